//! Japan's municipalities (市区町村) as Japan Post writes them, taken from the
//! shipped postal data (assets/postal): every prefecture and city, with its
//! 郡 or its designated city's ward, and the towns (町域) of each.
//!
//! An address is split by this list, longest match first, never at the first
//! 市, 町 or 村 character: 四日市市, 市川市, 大町町 and 北村山郡大石田町 hold
//! those characters inside their names.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::postal::postal_lines;

/// A municipality as Japan Post writes it: 北海道 / 余市郡仁木町,
/// 神奈川県 / 横浜市港北区, 東京都 / 千代田区.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Municipality {
    pub prefecture: &'static str,
    pub city: &'static str,
}

/// How an address may write a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// As Japan Post writes it.
    Whole,
    /// Without its 郡 (仁木町 for 余市郡仁木町), as people often write it.
    WithoutDistrict,
    /// A designated city without its ward (横浜市 for 横浜市港北区): the
    /// ward is not known from the name.
    WithoutWard,
}

struct Entry {
    /// The written form, each character folded by `fold_char`.
    folded: Vec<char>,
    municipality: usize,
    form: Form,
}

struct Index {
    all: Vec<Municipality>,
    /// Entries by their first folded character.
    by_first: HashMap<char, Vec<Entry>>,
    /// The towns of each municipality, by its index in `all`.
    towns: Vec<Vec<&'static str>>,
    /// The same towns by their first folded character: an address is read
    /// against the few that can start it (a city has up to a thousand, and
    /// trying each was 7% of an import's time).
    towns_by_first: Vec<HashMap<char, Vec<&'static str>>>,
    /// Each municipality's index in `all`.
    position: HashMap<Municipality, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build)
}

fn build() -> Index {
    let mut position: HashMap<Municipality, usize> = HashMap::new();
    let mut all = Vec::new();
    let mut towns: Vec<Vec<&'static str>> = Vec::new();
    for line in postal_lines() {
        let mut fields = line.split('\t').skip(1);
        let (Some(prefecture), Some(city)) = (fields.next(), fields.next()) else {
            continue;
        };
        let town = fields.next().unwrap_or("");
        let m = Municipality { prefecture, city };
        let i = *position.entry(m).or_insert_with(|| {
            all.push(m);
            towns.push(Vec::new());
            all.len() - 1
        });
        if is_town_name(town) && !towns[i].contains(&town) {
            towns[i].push(town);
        }
    }
    let mut by_first: HashMap<char, Vec<Entry>> = HashMap::new();
    let mut add = |written: &str, municipality: usize, form: Form| {
        let folded: Vec<char> = written.chars().map(fold_char).collect();
        if let Some(&first) = folded.first() {
            by_first.entry(first).or_default().push(Entry {
                folded,
                municipality,
                form,
            });
        }
    };
    let mut designated = Vec::new();
    for (i, m) in all.iter().enumerate() {
        for form in [Form::Whole, Form::WithoutDistrict] {
            if let Some(written) = written_form(m, form) {
                add(written, i, form);
            }
        }
        if let Some(city) = written_form(m, Form::WithoutWard) {
            if !designated.contains(&(m.prefecture, city)) {
                designated.push((m.prefecture, city));
                add(city, i, Form::WithoutWard);
            }
        }
    }
    let towns_by_first = towns
        .iter()
        .map(|names| {
            let mut by_first: HashMap<char, Vec<&'static str>> = HashMap::new();
            for &town in names {
                if let Some(first) = town.chars().next() {
                    by_first.entry(fold_char(first)).or_default().push(town);
                }
            }
            by_first
        })
        .collect();
    Index {
        all,
        by_first,
        towns,
        towns_by_first,
        position,
    }
}

/// Japan Post's town field also holds ranges and notes cut short by the
/// data's packager (下左草７７地割〜下左草８, 小菅村の次に１〜６６３番地がくる場合):
/// they are no town's name.
fn is_town_name(town: &str) -> bool {
    !town.is_empty() && !town.contains(['〜', '～', '、']) && !town.contains("場合")
}

/// 横浜市 of 横浜市港北区: a city whose Japan Post name goes on to a ward.
fn designated_city(city: &str) -> Option<&str> {
    let (before, _) = city.split_once('市')?;
    let rest = &city[before.len() + '市'.len_utf8()..];
    (!before.is_empty() && rest.ends_with('区')).then(|| &city[..before.len() + '市'.len_utf8()])
}

/// Folds the spellings that differ between Japan Post and the people who
/// write addresses: variant kanji (塩竈 / 塩釜 stay apart only where the
/// variant table does) and the small and large ケ of place names (袖ケ浦 /
/// 袖ヶ浦, 霞が関 / 霞ヶ関).
fn fold_char(c: char) -> char {
    match c {
        'ヶ' | 'ケ' | 'が' | 'ｹ' => 'ケ',
        c => crate::variants::representative(c),
    }
}

/// A municipality found at the start of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte length of the municipality as written.
    pub len: usize,
    /// Japan Post's municipalities that the written name can be (several
    /// for 府中市 without a prefecture, or 美里町 without its 郡; none for a
    /// designated city written without its ward).
    pub candidates: Vec<Municipality>,
}

impl Found {
    /// The one municipality it is, when only one fits.
    pub fn unique(&self) -> Option<Municipality> {
        match self.candidates.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// The longest municipality written at the start of `text`, within
/// `prefecture` when it is known.
pub fn find_at_start(text: &str, prefecture: Option<&str>) -> Option<Found> {
    let index = index();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let first = fold_char(chars.first()?.1);
    let fits = |e: &&Entry| {
        e.folded.len() <= chars.len()
            && e.folded
                .iter()
                .zip(&chars)
                .all(|(f, (_, c))| *f == fold_char(*c))
            && prefecture.is_none_or(|p| index.all[e.municipality].prefecture == p)
    };
    let matches: Vec<&Entry> = index.by_first.get(&first)?.iter().filter(fits).collect();
    let longest = matches.iter().map(|e| e.folded.len()).max()?;
    let len = chars.get(longest).map_or(text.len(), |(at, _)| *at);
    let longest: Vec<&Entry> = matches
        .into_iter()
        .filter(|e| e.folded.len() == longest)
        .collect();
    // 鹿嶋市 as written is Ibaraki's, though it folds like Saga's 鹿島市.
    let written = &text[..len];
    let exact = |e: &&&Entry| written_form(&index.all[e.municipality], e.form) == Some(written);
    let exact_only = longest.iter().any(|e| exact(&e));
    let mut candidates: Vec<Municipality> = Vec::new();
    for entry in longest.iter().filter(|e| !exact_only || exact(e)) {
        let m = index.all[entry.municipality];
        if entry.form != Form::WithoutWard && !candidates.contains(&m) {
            candidates.push(m);
        }
    }
    Some(Found { len, candidates })
}

/// How `form` writes `m`.
fn written_form(m: &Municipality, form: Form) -> Option<&'static str> {
    match form {
        Form::Whole => Some(m.city),
        Form::WithoutDistrict => m.city.split_once('郡').map(|(_, town)| town),
        Form::WithoutWard => designated_city(m.city),
    }
}

/// The towns (町域) Japan Post lists for a municipality.
pub fn towns(m: &Municipality) -> &'static [&'static str] {
    let index = index();
    index
        .position
        .get(m)
        .map_or(&[], |&i| index.towns[i].as_slice())
}

/// Every municipality, in the order of the postal data.
pub fn all() -> &'static [Municipality] {
    &index().all
}

/// The length of the longest town of `m` written at the start of `text`
/// (with 大字 or 字 before it, as many rosters write), in bytes.
pub fn town_at_start(text: &str, m: &Municipality) -> Option<usize> {
    let body = ["大字", "字"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .unwrap_or(text);
    let skipped = text.len() - body.len();
    let index = index();
    let first = fold_char(body.chars().next()?);
    index.towns_by_first[*index.position.get(m)?]
        .get(&first)?
        .iter()
        .filter_map(|town| prefix_len(body, town))
        .max()
        .map(|len| skipped + len)
}

/// Byte length of `written` in `text` when `text` starts with it, compared
/// character by character through `fold_char`.
fn prefix_len(text: &str, written: &str) -> Option<usize> {
    let mut len = 0;
    let mut chars = text.chars();
    for w in written.chars() {
        let c = chars.next()?;
        if fold_char(c) != fold_char(w) {
            return None;
        }
        len += c.len_utf8();
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(text: &str, prefecture: Option<&str>) -> Option<(String, Vec<&'static str>)> {
        find_at_start(text, prefecture).map(|f| {
            (
                text[..f.len].to_string(),
                f.candidates.iter().map(|m| m.city).collect(),
            )
        })
    }

    #[test]
    fn the_list_is_japan_posts() {
        assert!(all().len() > 1_800, "{}", all().len());
        assert!(all().contains(&Municipality {
            prefecture: "北海道",
            city: "余市郡仁木町"
        }));
    }

    #[test]
    fn names_holding_city_words_are_found_whole() {
        for (text, want) in [
            ("四日市市諏訪町1-5", "四日市市"),
            ("市川市八幡1-1-1", "市川市"),
            ("大村市今津町5-4-14", "大村市"),
            ("田村市常葉町西向", "田村市"),
            ("北村山郡大石田町大石田", "北村山郡大石田町"),
            ("佐波郡玉村町下新田", "佐波郡玉村町"),
            ("杵島郡大町町大町", "杵島郡大町町"),
        ] {
            assert_eq!(city(text, None).map(|c| c.0), Some(want.into()), "{text}");
        }
    }

    #[test]
    fn a_district_may_be_left_out_and_a_ward_is_part_of_the_city() {
        assert_eq!(
            city("仁木町北町", Some("北海道")),
            Some(("仁木町".into(), vec!["余市郡仁木町"]))
        );
        assert_eq!(
            city("横浜市港北区日吉", None),
            Some(("横浜市港北区".into(), vec!["横浜市港北区"]))
        );
        assert_eq!(
            city("横浜市日吉", None),
            Some(("横浜市".into(), vec![])),
            "a designated city without its ward"
        );
    }

    #[test]
    fn small_and_large_ke_are_one_spelling() {
        assert_eq!(
            city("袖ヶ浦市長浦", None),
            Some(("袖ヶ浦市".into(), vec!["袖ケ浦市"]))
        );
    }

    #[test]
    fn a_name_in_two_prefectures_needs_the_prefecture() {
        let (_, found) = city("府中市宮西町", None).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(
            city("府中市宮西町", Some("東京都")).unwrap().1,
            vec!["府中市"]
        );
    }

    #[test]
    fn towns_are_found_with_or_without_oaza() {
        let m = Municipality {
            prefecture: "愛知県",
            city: "名古屋市熱田区",
        };
        assert_eq!(town_at_start("四番1-2-3", &m), Some("四番".len()));
        let m = find_at_start("柴田郡大河原町", None)
            .unwrap()
            .unique()
            .unwrap();
        assert_eq!(
            town_at_start("大字山崎町3002-4", &m),
            Some("大字山崎町".len())
        );
    }
}
