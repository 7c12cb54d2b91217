//! The household a roster writes around its principal: 連名 after the name
//! in the same cell (遠藤 太郎、和子 / 中山 健太 様・陽菜 様) and a 家族 column
//! (花子（妻）・一郎（長男）, 長男 航、次男 拓也, 夫：圭介 長男：裕太). Only the
//! principal becomes a customer; the others become household members.

use daicho_ledger::HouseholdMember;

/// Marks that separate two people in one cell. ・ separates only after a
/// full name (小山 誠・彩); inside one name it is part of it (ジョン・スミス).
const SEPARATORS: [char; 6] = ['、', ',', '，', '/', '／', '\n'];

/// Relations as households write them, longest first so that 義父 is not
/// read as 父.
const RELATIONS: [&str; 34] = [
    "ご主人",
    "奥様",
    "義父",
    "義母",
    "祖父",
    "祖母",
    "長男",
    "次男",
    "三男",
    "四男",
    "長女",
    "次女",
    "三女",
    "四女",
    "息子",
    "娘",
    "夫",
    "妻",
    "父",
    "母",
    "兄",
    "弟",
    "姉",
    "妹",
    "孫",
    "嫁",
    "婿",
    "子",
    "長男嫁",
    "孫娘",
    "孫息子",
    "叔父",
    "叔母",
    "本人",
];

/// Splits a name cell that holds joint names: the principal's name, and
/// each joint name as written (honorifics dropped).
pub fn split_joint_names(cell: &str) -> (String, Vec<String>) {
    let parts = people_in(cell);
    let mut parts = parts.into_iter();
    let principal = parts.next().unwrap_or_default();
    (principal, parts.collect())
}

/// The people of one cell, honorifics dropped, in order.
fn people_in(cell: &str) -> Vec<String> {
    let folded = daicho_text::fold_width(cell.trim());
    let mut people = Vec::new();
    for part in folded.split(SEPARATORS) {
        let part = daicho_text::collapse_spaces(part);
        if part.is_empty() {
            continue;
        }
        // 小山 誠・彩: after a full name, ・ starts the next person.
        let first_is_full_name = part
            .split('・')
            .next()
            .is_some_and(|p| p.trim().contains(' '));
        let pieces: Vec<&str> = match first_is_full_name {
            true => part.split('・').collect(),
            false => vec![part.as_str()],
        };
        for piece in pieces {
            let (name, _) = daicho_text::name::strip_honorific(piece.trim());
            if !name.trim().is_empty() {
                people.push(name.trim().to_string());
            }
        }
    }
    people
}

/// Joint names as household members of a customer whose family name is
/// `family`, with their kana where the file gives them in the same order.
pub fn joint_members(joint: &[String], kana: &[String], family: &str) -> Vec<HouseholdMember> {
    joint
        .iter()
        .enumerate()
        .map(|(i, name)| HouseholdMember {
            id: None,
            name: with_family(name, family),
            kana: kana
                .get(i)
                .map(|k| daicho_text::kana::normalize_kana(k))
                .unwrap_or_default(),
            relation: String::new(),
            birthday: None,
            joint_name: true,
        })
        .collect()
}

/// The members a 家族 cell lists, with their relations.
pub fn family_members(cell: &str, family: &str) -> Vec<HouseholdMember> {
    let folded = daicho_text::fold_width(cell.trim());
    let mut members = Vec::new();
    for part in folded.split(SEPARATORS).flat_map(|p| p.split('・')) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let mut i = 0;
        let mut plain: Vec<&str> = Vec::new();
        while i < words.len() {
            let word = words[i];
            let (relation, name) = if let Some((rel, name)) = word.split_once([':', '：']) {
                (rel.to_string(), name.to_string())
            } else if let Some((name, rel)) = bracketed(word) {
                (rel, name)
            } else if is_relation(word) && i + 1 < words.len() {
                i += 1;
                (word.to_string(), words[i].to_string())
            } else {
                plain.push(word);
                i += 1;
                continue;
            };
            members.push(member(&name, &relation, family));
            i += 1;
        }
        // A name without a relation (佐藤 花子, or 花子).
        if !plain.is_empty() {
            members.push(member(&plain.join(" "), "", family));
        }
    }
    members.retain(|m| !m.name.trim().is_empty());
    members
}

/// 花子（妻） / 花子(妻): the name and the relation in brackets.
fn bracketed(word: &str) -> Option<(String, String)> {
    let open = word.find('(')?;
    let close = word[open..].find(')')? + open;
    Some((word[..open].to_string(), word[open + 1..close].to_string()))
}

fn is_relation(word: &str) -> bool {
    RELATIONS.contains(&word)
}

fn member(name: &str, relation: &str, family: &str) -> HouseholdMember {
    let (name, _) = daicho_text::name::strip_honorific(name.trim());
    HouseholdMember {
        id: None,
        name: with_family(name, family),
        kana: String::new(),
        relation: relation.trim().to_string(),
        birthday: None,
        joint_name: false,
    }
}

/// 和子 of the 遠藤 household is 遠藤 和子; a full name stays as it is.
fn with_family(name: &str, family: &str) -> String {
    let name = daicho_text::collapse_spaces(name);
    if name.contains(' ') || family.is_empty() || name.starts_with(family) {
        name
    } else {
        format!("{family} {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joint_names_in_the_name_cell() {
        for (cell, principal, joint) in [
            ("遠藤 太郎、和子", "遠藤 太郎", vec!["和子"]),
            ("中山 健太 様・陽菜 様", "中山 健太", vec!["陽菜"]),
            ("佐藤 恵子 様、舞 様", "佐藤 恵子", vec!["舞"]),
            ("小山\u{3000}誠・彩", "小山 誠", vec!["彩"]),
            ("山田 太郎", "山田 太郎", vec![]),
            ("ジョン・スミス", "ジョン・スミス", vec![]),
        ] {
            let (p, j) = split_joint_names(cell);
            assert_eq!(
                (p.as_str(), j),
                (principal, joint.iter().map(|s| s.to_string()).collect()),
                "{cell}"
            );
        }
    }

    fn family(cell: &str) -> Vec<(String, String)> {
        family_members(cell, "金子")
            .into_iter()
            .map(|m| (m.name, m.relation))
            .collect()
    }

    #[test]
    fn every_way_of_writing_the_family() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(n, r)| (n.to_string(), r.to_string()))
                .collect()
        };
        assert_eq!(family("妻：千代"), pairs(&[("金子 千代", "妻")]));
        assert_eq!(
            family("花子（妻）・一郎（長男）"),
            pairs(&[("金子 花子", "妻"), ("金子 一郎", "長男")])
        );
        assert_eq!(
            family("長男 航、次男 拓也"),
            pairs(&[("金子 航", "長男"), ("金子 拓也", "次男")])
        );
        assert_eq!(
            family("夫：圭介 長男：裕太"),
            pairs(&[("金子 圭介", "夫"), ("金子 裕太", "長男")])
        );
        assert_eq!(
            family("誠（夫）、和子（長女）"),
            pairs(&[("金子 誠", "夫"), ("金子 和子", "長女")])
        );
        assert_eq!(family("佐藤 花子"), pairs(&[("佐藤 花子", "")]));
        assert_eq!(family(""), pairs(&[]));
    }
}
