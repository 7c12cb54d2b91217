//! Splitting a person's name and its kana into family and given parts.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::kana::{collapse_spaces, normalize_kana};

/// Family and given name with their kana, as the ledger stores them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonName {
    pub family: String,
    pub given: String,
    pub family_kana: String,
    pub given_kana: String,
    /// The split was not certain (no space and an unknown surname): a person
    /// should look at it.
    pub needs_review: bool,
}

/// Surnames by their kanji with variants folded (髙田 is looked up as 高田,
/// 﨑山 as 崎山), each with its readings.
fn surnames() -> &'static HashMap<String, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<String, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../../../assets/presets/surnames.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(kanji, readings)| (folded(kanji), readings.split('|').collect()))
            .collect()
    })
}

fn folded(kanji: &str) -> String {
    kanji.chars().map(crate::variants::representative).collect()
}

/// Surnames a file teaches: from its rows that write the name and the kana
/// with a space (我妻 孝之 / ワガツマ タカユキ), the surnames the dictionary
/// lacks or reads otherwise split the file's other rows (我妻蓮 / ワガツマ レン).
#[derive(Debug, Clone, Default)]
pub struct KnownSurnames {
    readings: HashMap<String, Vec<String>>,
}

impl KnownSurnames {
    /// Learns the surname of a name and kana that both have a space.
    pub fn learn(&mut self, name: &str, kana: &str) {
        let name = collapse_spaces(strip_honorific(name).0);
        let kana = normalize_kana(kana);
        if let (Some((family, _)), Some((family_kana, _))) =
            (split_at_space(&name), split_at_space(&kana))
        {
            let readings = self.readings.entry(folded(&family)).or_default();
            if !readings.contains(&family_kana) {
                readings.push(family_kana);
            }
        }
    }

    /// The readings of a surname: the file's, then the dictionary's.
    fn readings_of(&self, surname: &str) -> Vec<&str> {
        let key = folded(surname);
        let learned = self
            .readings
            .get(&key)
            .into_iter()
            .flatten()
            .map(String::as_str);
        let known = surnames().get(&key).into_iter().flatten().copied();
        learned.chain(known).collect()
    }
}

/// No surname is longer than this many characters (勅使河原 has four).
const LONGEST_SURNAME: usize = 5;

fn split_at_space(s: &str) -> Option<(String, String)> {
    s.split_once(' ')
        .map(|(a, b)| (a.to_string(), b.to_string()))
}

/// Honorifics that follow a name on a list or an envelope: 様 and さま for a
/// person, 殿 in official letters, 御中 for a company or a department.
/// 様方 ("care of") is an address, not an honorific, and is left alone.
const HONORIFICS: &[&str] = &["様", "さま", "殿", "御中"];

/// `name` without a trailing honorific (with or without a space before it),
/// and the honorific it had. No Japanese given name ends in 様, さま or 御中;
/// 殿 ends almost none (a name that is only the honorific is kept as it is).
pub fn strip_honorific(name: &str) -> (&str, Option<&'static str>) {
    let trimmed = name.trim_end();
    for &honorific in HONORIFICS {
        if let Some(rest) = trimmed.strip_suffix(honorific) {
            let rest = rest.trim_end();
            if !rest.is_empty() {
                return (rest, Some(honorific));
            }
        }
    }
    (name, None)
}

/// Splits `name` and `kana` at a space (ASCII or ideographic), after
/// dropping a trailing honorific. Without a space, a known surname at the
/// start is split off when the kana agrees with its reading; anything else
/// stays whole in the family part and is flagged.
pub fn split_person(name: &str, kana: &str) -> PersonName {
    split_person_knowing(name, kana, &KnownSurnames::default())
}

/// `split_person` that also knows the surnames a file taught.
pub fn split_person_knowing(name: &str, kana: &str, known: &KnownSurnames) -> PersonName {
    let name = collapse_spaces(strip_honorific(name).0);
    let kana = normalize_kana(kana);
    let kana_split = split_at_space(&kana);
    let reading_fits = |readings: &[&str]| match &kana_split {
        Some((family_kana, _)) => readings.contains(&family_kana.as_str()),
        None => {
            kana.is_empty()
                || readings
                    .iter()
                    .any(|r| kana.starts_with(r) && kana.len() > r.len())
        }
    };

    let (family, given, surname_readings) = match split_at_space(&name) {
        Some((family, given)) => {
            let readings = known.readings_of(&family);
            (family, given, Some(readings))
        }
        None => {
            // The longest surname at the start whose reading fits the kana,
            // leaving at least one character for the given name.
            let surname = name
                .char_indices()
                .skip(1)
                .take(LONGEST_SURNAME)
                .map(|(end, _)| &name[..end])
                .map(|family| (family, known.readings_of(family)))
                .filter(|(_, readings)| !readings.is_empty() && reading_fits(readings))
                .last();
            match surname {
                Some((family, readings)) => (
                    family.to_string(),
                    name[family.len()..].to_string(),
                    Some(readings),
                ),
                None => (name.clone(), String::new(), None),
            }
        }
    };
    let mut needs_review = surname_readings.is_none();

    let (family_kana, given_kana) = match kana_split {
        Some(parts) => parts,
        None if kana.is_empty() || given.is_empty() => (kana.clone(), String::new()),
        None => {
            let reading = surname_readings
                .unwrap_or_default()
                .into_iter()
                .find(|r| kana.starts_with(r) && kana.len() > r.len());
            match reading {
                Some(r) => (r.to_string(), kana[r.len()..].to_string()),
                None => {
                    needs_review = true;
                    (kana.clone(), String::new())
                }
            }
        }
    };
    PersonName {
        family,
        given,
        family_kana,
        given_kana,
        needs_review,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(p: &PersonName) -> (&str, &str, &str, &str, bool) {
        (
            &p.family,
            &p.given,
            &p.family_kana,
            &p.given_kana,
            p.needs_review,
        )
    }

    #[test]
    fn spaces_of_either_width_split() {
        assert_eq!(
            parts(&split_person("青木\u{3000}翔太", "アオキ ショウタ")),
            ("青木", "翔太", "アオキ", "ショウタ", false)
        );
        assert_eq!(
            parts(&split_person("渡辺 結衣", "ﾜﾀﾅﾍﾞ ﾕｲ")),
            ("渡辺", "結衣", "ワタナベ", "ユイ", false)
        );
        assert_eq!(
            parts(&split_person("藤井\u{3000}洋介", "ふじい ようすけ")),
            ("藤井", "洋介", "フジイ", "ヨウスケ", false)
        );
    }

    #[test]
    fn known_surnames_split_names_and_kana_without_spaces() {
        assert_eq!(
            parts(&split_person("松本涼平", "マツモト リョウヘイ")),
            ("松本", "涼平", "マツモト", "リョウヘイ", false)
        );
        assert_eq!(
            parts(&split_person("坂本\u{3000}七夏", "サカモトナナミ")),
            ("坂本", "七夏", "サカモト", "ナナミ", false)
        );
        assert_eq!(
            parts(&split_person("佐々木直人", "ササキナオト")),
            ("佐々木", "直人", "ササキ", "ナオト", false)
        );
        assert_eq!(
            parts(&split_person("森幹", "モリミキ")),
            ("森", "幹", "モリ", "ミキ", false)
        );
    }

    #[test]
    fn kana_that_disagrees_with_the_surname_prevents_a_split() {
        // 東 is read アズマ or ヒガシ, 東海 トウカイ: with the kana ショウジ
        // neither may split 東海林大, and the known 東海林 does; kana that
        // fits none of them splits nothing.
        assert_eq!(
            parts(&split_person("東海林大", "ショウジダイ")),
            ("東海林", "大", "ショウジ", "ダイ", false)
        );
        assert_eq!(
            parts(&split_person("東海林大", "ナガイダイ")),
            ("東海林大", "", "ナガイダイ", "", true)
        );
    }

    #[test]
    fn honorifics_are_stripped_with_or_without_a_space() {
        assert_eq!(strip_honorific("山田 太郎 様"), ("山田 太郎", Some("様")));
        assert_eq!(strip_honorific("山田太郎様"), ("山田太郎", Some("様")));
        assert_eq!(
            strip_honorific("山田\u{3000}花子\u{3000}さま "),
            ("山田\u{3000}花子", Some("さま"))
        );
        assert_eq!(strip_honorific("総務課長殿"), ("総務課長", Some("殿")));
        assert_eq!(
            strip_honorific("株式会社木村工業 御中"),
            ("株式会社木村工業", Some("御中"))
        );
    }

    #[test]
    fn care_of_and_bare_honorifics_are_not_honorifics() {
        assert_eq!(strip_honorific("山田様方"), ("山田様方", None));
        assert_eq!(strip_honorific("様"), ("様", None));
        assert_eq!(strip_honorific("山田 太郎"), ("山田 太郎", None));
    }

    #[test]
    fn the_split_drops_the_honorific() {
        assert_eq!(
            parts(&split_person("山田 太郎 様", "ヤマダ タロウ")),
            ("山田", "太郎", "ヤマダ", "タロウ", false)
        );
        assert_eq!(
            parts(&split_person("松本涼平様", "マツモトリョウヘイ")),
            ("松本", "涼平", "マツモト", "リョウヘイ", false)
        );
    }

    #[test]
    fn surnames_written_with_a_variant_are_known() {
        assert_eq!(
            parts(&split_person("髙田陽翔", "タカダハルト")),
            ("髙田", "陽翔", "タカダ", "ハルト", false)
        );
        assert_eq!(
            parts(&split_person("櫻井 典子", "サクライノリコ")),
            ("櫻井", "典子", "サクライ", "ノリコ", false)
        );
    }

    #[test]
    fn unknown_names_stay_whole_and_are_flagged() {
        assert_eq!(
            parts(&split_person("株式会社山田工務店", "")),
            ("株式会社山田工務店", "", "", "", true)
        );
        assert_eq!(
            parts(&split_person("我那覇翔", "ガナハショウ")),
            ("我那覇翔", "", "ガナハショウ", "", true)
        );
    }
}
