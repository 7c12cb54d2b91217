//! The part of an address after the municipality, in the ledger's one form:
//! the town exactly as written, then the block numbers as ASCII digits
//! joined by hyphens (1丁目2番3号, 一丁目二番三号, 1丁目2-3 and 1-2-3 are all
//! 1-2-3; 123番地の4 is 123-4; 123番地 is 123), then a building, which moves
//! to the building field.

use crate::municipality::{town_at_start, Municipality};
use crate::numeral::{is_kanji_numeral, kanji_number};

/// Street and building of the part of an address after its municipality.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Street {
    pub street: String,
    /// What follows the block numbers (a building and its room); empty
    /// when nothing does.
    pub building: String,
}

/// Words that join two block numbers (丁目, 番地の …) or end the last one.
/// Longest first, so that 番地の is read before 番地 and 番.
const JOINS: [&str; 14] = [
    "丁目",
    "番地の",
    "番地ノ",
    "番地",
    "番の",
    "番ノ",
    "丁",
    "番",
    "号の",
    "号",
    "の",
    "ノ",
    "-",
    "‐",
];
/// The joins that may also end the last number (5番地, 3丁目, 8号).
const ENDS: [&str; 5] = ["丁目", "番地", "丁", "番", "号"];

/// Reads the part after the municipality. The town is protected where
/// Japan Post lists it for `municipality` (四番, 一番町 and 北十条西 hold
/// numerals of their own); elsewhere the block numbers are the first run of
/// numbers joined by block words that is not part of a name (北1条西, 八丁堀,
/// 一の宮 stay as written).
pub fn read_street(rest: &str, municipality: Option<&Municipality>) -> Street {
    let rest = rest.trim();
    let town = municipality
        .and_then(|m| town_at_start(rest, m))
        .unwrap_or(0);
    let (town_part, tail) = rest.split_at(town);
    match find_run(tail) {
        Some(run) => Street {
            street: format!("{town_part}{}{}", tail[..run.start].trim_end(), run.numbers),
            building: tail[run.end..].trim().to_string(),
        },
        None => Street {
            street: rest.to_string(),
            building: String::new(),
        },
    }
}

/// A street as a person typed it into the form, with its block numbers in
/// the one form and anything after them kept where it was (a form has its
/// own building field; what the person put in the street stays there).
pub fn canonical_street(street: &str, municipality: Option<&Municipality>) -> String {
    let read = read_street(street, municipality);
    match read.building.is_empty() {
        true => read.street,
        false => format!("{} {}", read.street, read.building),
    }
}

/// Whether a text holds block numbers (1-2-3, 5番地, 三丁目).
pub fn has_block_numbers(text: &str) -> bool {
    find_run(text).is_some()
}

/// Block numbers found in a text.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    /// Byte range of the numbers and their block words.
    start: usize,
    end: usize,
    /// The numbers, as ASCII digits joined by hyphens.
    numbers: String,
}

/// The first run of block numbers in `text`.
fn find_run(text: &str) -> Option<Run> {
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        // A kanji numeral right after a digit (03千番) starts no number: read
        // as digits it would run into the digit before it.
        let starts_number = (c.is_ascii_digit() && !previous.is_some_and(|p| p.is_ascii_digit()))
            || (is_kanji_numeral(c)
                && !previous.is_some_and(|p| is_kanji_numeral(p) || p.is_ascii_digit()));
        previous = Some(c);
        if starts_number {
            if let Some(run) = read_run(text, at) {
                return Some(run);
            }
        }
    }
    None
}

/// A number at `at`: ASCII digits, or kanji numerals when a block word
/// follows them (or, after a join, when nothing that could be a name does).
fn read_number(text: &str, at: usize, first: bool) -> Option<(String, usize)> {
    let rest = &text[at..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        // As written: 05 stays 05, and a number too long for any type stays.
        return Some((rest[..digits].to_string(), at + digits));
    }
    let len: usize = rest
        .chars()
        .take_while(|c| is_kanji_numeral(*c))
        .map(char::len_utf8)
        .sum();
    let after = &rest[len..];
    let block_word_follows = ENDS.iter().any(|w| after.starts_with(w));
    let ends_lot = !first && !after.starts_with(|c: char| is_name_char(c));
    if len == 0 || !(block_word_follows || ends_lot) {
        return None;
    }
    Some((kanji_number(&rest[..len])?.to_string(), at + len))
}

/// Kanji and hiragana go on a name (八丁堀, 四番町, 5番地の宮); katakana and
/// Latin letters start a building's name (2丁目グランドハイツ).
fn is_name_char(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
        || c == '々'
}

fn read_run(text: &str, start: usize) -> Option<Run> {
    let mut numbers: Vec<String> = Vec::new();
    let mut at = start;
    let mut joined = false;
    loop {
        let (n, after) = read_number(text, at, numbers.is_empty())?;
        numbers.push(n);
        at = after;
        // 1135 番地: a space may stand between a number and its block word.
        let gap = text[at..].len() - text[at..].trim_start().len();
        let Some(word) = JOINS.iter().find(|w| text[at + gap..].starts_with(*w)) else {
            break;
        };
        let mut next = at + gap + word.len();
        // 3丁目-20-5: a dash after a block word adds nothing.
        while text[next..].starts_with('-') {
            next += 1;
        }
        // 5843-  58: spaces may follow a join as they may precede it.
        let number_at = next + (text[next..].len() - text[next..].trim_start().len());
        if read_number(text, number_at, false).is_some() {
            joined = true;
            at = number_at;
            continue;
        }
        if !ENDS.contains(word) || text[next..].starts_with(is_name_char) {
            // 八丁堀, 四番町, 1番三井ビル: the word belongs to a name.
            return None;
        }
        joined = true;
        at = next;
        break;
    }
    // A lone number against a name is part of it (北1条西, 第2).
    if !joined && text[at..].starts_with(is_name_char) {
        return None;
    }
    Some(Run {
        start,
        end: at,
        numbers: numbers.join("-"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(rest: &str) -> (String, String) {
        let s = read_street(rest, None);
        (s.street, s.building)
    }

    #[test]
    fn every_written_form_of_block_numbers_is_one() {
        for spelling in [
            "桜新町1丁目2番3号",
            "桜新町一丁目二番三号",
            "桜新町1丁目2-3",
            "桜新町1丁目2番地3",
            "桜新町1-2-3",
        ] {
            assert_eq!(
                read(spelling),
                ("桜新町1-2-3".into(), "".into()),
                "{spelling}"
            );
        }
        for spelling in [
            "山田123番4号",
            "山田123番地の4",
            "山田123番地4",
            "山田百二十三番地の四",
        ] {
            assert_eq!(
                read(spelling),
                ("山田123-4".into(), "".into()),
                "{spelling}"
            );
        }
        assert_eq!(read("山田123番地"), ("山田123".into(), "".into()));
        assert_eq!(
            read("常葉町西向六丁目十六番一号"),
            ("常葉町西向6-16-1".into(), "".into())
        );
        assert_eq!(
            read("多功二千八百二十九番地"),
            ("多功2829".into(), "".into())
        );
        assert_eq!(
            read("右京塚東3丁目-20-5"),
            ("右京塚東3-20-5".into(), "".into())
        );
        // Spaces around a block word or a join (found in rosters and by fuzzing).
        assert_eq!(read("玉川1135 番地"), ("玉川1135".into(), "".into()));
        assert_eq!(read("+83-  5843-  58"), ("+83-5843-58".into(), "".into()));
        // A kanji numeral against a digit starts no number; digits stay as written.
        assert_eq!(read("03千番三号"), ("03千番3".into(), "".into()));
        assert_eq!(read("山田05番地"), ("山田05".into(), "".into()));
    }

    #[test]
    fn numerals_in_names_stay() {
        assert_eq!(read("北1条西2丁目3-4"), ("北1条西2-3-4".into(), "".into()));
        assert_eq!(read("北十条西3丁目"), ("北十条西3".into(), "".into()));
        assert_eq!(read("八丁堀3-4"), ("八丁堀3-4".into(), "".into()));
        assert_eq!(read("一の宮町5の3"), ("一の宮町5-3".into(), "".into()));
        assert_eq!(read("九条西千九番地"), ("九条西1009".into(), "".into()));
        assert_eq!(
            read("大字津軽石第二十一地割大淵川480"),
            ("大字津軽石第二十一地割大淵川480".into(), "".into())
        );
        assert_eq!(
            read("竹屋町通西洞院東入毘沙門町312番地"),
            ("竹屋町通西洞院東入毘沙門町312".into(), "".into())
        );
    }

    #[test]
    fn a_town_of_japan_posts_list_is_protected() {
        let m = Municipality {
            prefecture: "愛知県",
            city: "名古屋市熱田区",
        };
        let s = read_street("四番二丁目1番5号", Some(&m));
        assert_eq!(s.street, "四番2-1-5");
    }

    #[test]
    fn a_form_keeps_what_follows_the_numbers_in_the_street() {
        assert_eq!(canonical_street("桜新町一丁目2番3号", None), "桜新町1-2-3");
        assert_eq!(
            canonical_street("桜新町1丁目2-3コーポ101", None),
            "桜新町1-2-3 コーポ101"
        );
        assert_eq!(canonical_street("", None), "");
    }

    #[test]
    fn a_building_after_the_numbers_moves() {
        assert_eq!(
            read("茄子町2丁目29番7号 クレセントA棟605"),
            ("茄子町2-29-7".into(), "クレセントA棟605".into())
        );
        assert_eq!(
            read("緑町4丁目11-4　メゾン緑209号室"),
            ("緑町4-11-4".into(), "メゾン緑209号室".into())
        );
        assert_eq!(
            read("台東5-6-3ABCビル10F"),
            ("台東5-6-3".into(), "ABCビル10F".into())
        );
        assert_eq!(read("大字山田"), ("大字山田".into(), "".into()));
    }
}
