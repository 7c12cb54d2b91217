//! Splitting a one-line Japanese address into prefecture, city and the rest,
//! and telling when two addresses are the same place.

use crate::kana::{fold_width, to_katakana};
use crate::municipality::{find_at_start, Found, Municipality};
use crate::numeral::{is_kanji_numeral, kanji_number};

pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressParts {
    pub prefecture: String,
    pub city: String,
    /// Town, block numbers and anything after them, digits and dashes folded.
    pub rest: String,
}

/// Splits an address line. Nothing is lost: prefecture + city + rest is the
/// width-folded input with its spaces trimmed. A missing prefecture or city
/// leaves that part empty. The municipality is found in Japan Post's list
/// (longest match first, within the prefecture when one is written), and
/// only an unknown name falls back to the first 市, 区, 郡, 町 or 村.
pub fn split_address(input: &str) -> AddressParts {
    let folded = fold_address(input);
    let (prefecture, after_pref) = split_prefecture(&folded);
    let after_pref = after_pref.trim_start();
    let city_len = match find_city(after_pref, prefecture) {
        Some(found) => found.len,
        None => fallback_city_len(after_pref),
    };
    AddressParts {
        prefecture: prefecture.unwrap_or("").to_string(),
        city: after_pref[..city_len].to_string(),
        rest: after_pref[city_len..].trim().to_string(),
    }
}

/// A prefecture written at the start, and what follows it.
fn split_prefecture(folded: &str) -> (Option<&'static str>, &str) {
    match PREFECTURES.iter().find(|p| folded.starts_with(*p)) {
        Some(p) => (Some(*p), &folded[p.len()..]),
        None => (None, folded),
    }
}

/// The municipality at the start of `s`: within the written prefecture, or
/// anywhere when none is written (or the written one has no such name). A
/// designated city written without its ward takes the ward that follows.
fn find_city(s: &str, prefecture: Option<&str>) -> Option<Found> {
    let mut found =
        find_at_start(s, prefecture).or_else(|| prefecture.and_then(|_| find_at_start(s, None)))?;
    if found.candidates.is_empty() {
        found.len += ward_len(&s[found.len..]);
    }
    Some(found)
}

/// An address in the form the ledger keeps: the prefecture and the
/// municipality as Japan Post writes them, the town as written with its
/// block numbers as 1-2-3, and the building on its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Address {
    pub prefecture: String,
    pub city: String,
    pub street: String,
    pub building: String,
}

/// What reading an address noticed, for a warning beside the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    /// The written prefecture is not the one the postal code belongs to.
    PrefectureDisagrees {
        written: String,
        postal_code: String,
        of_postal: String,
    },
}

impl std::fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PrefectureDisagrees {
                written,
                postal_code,
                of_postal,
            } => write!(
                f,
                "住所は{written}ですが、郵便番号 {postal_code} は{of_postal}の番号です。\
                 どちらかが誤っていないか確認してください。"
            ),
        }
    }
}

/// Reads an address as a roster holds it: one line (or the parts of a
/// split address joined), a building column (may be empty) and the postal
/// code (may be empty). The prefecture comes from the line, else from the
/// municipality when its name is unique in Japan, else from the postal
/// code; a municipality written without its 郡 gets it back; a line with no
/// municipality at all takes the postal code's.
pub fn read_address(
    line: &str,
    building: &str,
    postal_code: &str,
) -> (Address, Vec<AddressProblem>) {
    let folded = fold_address(line);
    let (written_prefecture, after) = split_prefecture(&folded);
    let after = after.trim_start();
    let places = crate::postal::lookup_postal(postal_code);
    let postal_prefecture = one(places.iter().map(|p| p.prefecture.as_str()));
    let found = find_city(after, written_prefecture);
    let municipality = found.as_ref().and_then(|f| {
        f.unique().or_else(|| {
            // 府中市 or 美里町 alone: the postal code tells which.
            let of_postal = |m: &&Municipality| {
                places
                    .iter()
                    .any(|p| p.prefecture == m.prefecture && p.city == m.city)
            };
            one(f.candidates.iter().filter(of_postal).copied())
        })
    });
    let (city, rest, municipality) = match (&found, municipality) {
        (Some(f), Some(m)) => (m.city.to_string(), &after[f.len..], Some(m)),
        (Some(f), None) => (after[..f.len].to_string(), &after[f.len..], None),
        (None, _) => match one(places
            .iter()
            .map(|p| (p.prefecture.as_str(), p.city.as_str())))
        {
            Some((prefecture, city)) if !after.is_empty() => {
                let m = crate::municipality::all()
                    .iter()
                    .find(|m| m.prefecture == prefecture && m.city == city)
                    .copied();
                (city.to_string(), after, m)
            }
            _ => {
                let len = fallback_city_len(after);
                (after[..len].to_string(), &after[len..], None)
            }
        },
    };
    let prefecture = written_prefecture
        .or(municipality.map(|m| m.prefecture))
        .or(postal_prefecture)
        .unwrap_or("")
        .to_string();
    let mut problems = Vec::new();
    if let (Some(written), Some(of_postal)) = (written_prefecture, postal_prefecture) {
        if written != of_postal {
            problems.push(AddressProblem::PrefectureDisagrees {
                written: written.to_string(),
                postal_code: crate::postal::normalize_postal(postal_code).unwrap_or_default(),
                of_postal: of_postal.to_string(),
            });
        }
    }
    let building = fold_address(building);
    let mut street = crate::street::read_street(rest, municipality.as_ref());
    if continues_street(&street.street, &building, municipality.as_ref()) {
        // 兵庫県淡路市 / 中田3丁目17番16号: a second address line that holds
        // the block numbers, under a header that promised the building.
        let joined = format!("{} {}", rest.trim(), building.trim());
        street = crate::street::read_street(&joined, municipality.as_ref());
        return (address_of(prefecture, city, street, ""), problems);
    }
    (address_of(prefecture, city, street, &building), problems)
}

/// Whether a building cell goes on with the street: the street has no block
/// numbers yet, and the cell starts with the block numbers themselves
/// (5丁目10-15, 四百三十一番地) or with a town of the municipality
/// (中田3丁目17番16号, 緑ケ丘西9丁目28番2号), not with a building's name
/// (コーポ101). Where the municipality is unknown, a town is told from a
/// building's name by having no katakana or Latin letters.
fn continues_street(street: &str, building: &str, municipality: Option<&Municipality>) -> bool {
    let building = building.trim();
    if building.is_empty()
        || crate::street::has_block_numbers(street)
        || !crate::street::has_block_numbers(building)
    {
        return false;
    }
    let read = crate::street::read_street(building, None);
    let before_numbers = read
        .street
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
    match municipality {
        _ if before_numbers.is_empty() => true,
        Some(m) => crate::municipality::town_at_start(building, m).is_some(),
        None => !before_numbers
            .contains(|c: char| c.is_ascii_alphabetic() || ('ァ'..='ヺ').contains(&c)),
    }
}

fn address_of(
    prefecture: String,
    city: String,
    street: crate::street::Street,
    building: &str,
) -> Address {
    let building = [street.building.as_str(), building.trim()]
        .into_iter()
        .filter(|b| !b.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Address {
        prefecture,
        city,
        street: street.street,
        building,
    }
}

/// The one value all items share; `None` when there are none or several.
fn one<T: PartialEq>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.all(|x| x == first).then_some(first)
}

/// Folds full-width digits, letters and every dash-like character between
/// digits to ASCII so that block numbers read 1-2-3.
pub fn fold_address(input: &str) -> String {
    let folded = fold_width(input.trim());
    let mut out = String::with_capacity(folded.len());
    let mut after_digit = false;
    for c in folded.chars() {
        let dash = matches!(c, '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | 'ー' | '－');
        out.push(if dash && after_digit { '-' } else { c });
        after_digit = c.is_ascii_digit();
    }
    out
}

/// The form in which two addresses are the same place: widths, dashes,
/// hiragana and letter case folded, block words written as dashes
/// (一丁目2番3号 is 1-2-3, 101号室 is 101), and spaces dropped. The parts
/// are joined, so a building written after the street or in its own field
/// gives the same key. Unlike the search key, block-number dashes stay
/// (1-23 and 12-3 are different houses), and a space between two digits or
/// letters stays as one space (1-2-3 101 is not 1-2-3101).
pub fn address_key(parts: &[&str]) -> String {
    // Spaces go first, so that 三 番 reads as 三番 like any other spelling.
    // Dropping one can join a combining mark to a letter (W ̊ → ẘ), which
    // decides whether the space before that letter stays, and so on to the
    // left (found by fuzzing): repeat until nothing changes. Every round
    // that changes something drops a space, so this ends; the usual address
    // takes two rounds. Letters are lower-cased first: w and a ring compose
    // into ẘ, W and a ring do not, and that too decides a space.
    let mut spaced = fold_width(&parts.join(" ")).to_ascii_lowercase();
    loop {
        let next = fold_width(&without_spaces(&spaced));
        // fold_width is idempotent (a test holds it to that), so a round
        // that leaves no space would change nothing more: the usual
        // address stops after one round instead of two.
        let last = next == spaced || !next.contains(char::is_whitespace);
        spaced = next;
        if last {
            break;
        }
    }
    let blocks = dashed_blocks(&arabic_blocks(&spaced));
    // Folded again last: a dropped space or a new katakana can meet a
    // combining mark or a dash (found by fuzzing), and the key must be its
    // own key.
    fold_address(&to_katakana(&blocks))
}

/// Drops white space, except one space between two digits or letters.
fn without_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut spaced = false;
    for c in s.chars() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let between_alphanumerics =
            out.ends_with(|p: char| p.is_ascii_alphanumeric()) && c.is_ascii_alphanumeric();
        if spaced && between_alphanumerics {
            out.push(' ');
        }
        spaced = false;
        out.push(c);
    }
    out
}

/// 三丁目 → 3丁目, 十二番 → 12番, 5番地の三 → 5番地の3: only numerals
/// directly before a block word, or standing alone directly after a number's
/// block word or の. A numeral before の stays: 一の宮 and 三ノ輪 are town
/// names.
pub fn arabic_blocks(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && is_kanji_numeral(chars[i]) {
            i += 1;
        }
        if i > start {
            let numeral: String = chars[start..i].iter().collect();
            let next: String = chars[i..].iter().take(2).collect();
            let is_block = ["丁", "番", "号", "地"].iter().any(|w| next.starts_with(w));
            // 5番地の三 ends a lot number; 1番三井ビル starts a building's name.
            let ends_lot = after_number_block(&out) && !next.starts_with(char::is_alphabetic);
            match kanji_number(&numeral).filter(|_| is_block || ends_lot) {
                Some(n) => out.push_str(&n.to_string()),
                None => out.push_str(&numeral),
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Words that end a block number (一丁目, 2番地, 3番, 4号).
const BLOCK_WORDS: [&str; 4] = ["丁目", "番地", "番", "号"];

/// Whether `s` ends with a number and a block word or の (5番地, 5の,
/// 5番地の).
fn after_number_block(s: &str) -> bool {
    fn strip<'a>(s: &'a str, words: &[&str]) -> Option<&'a str> {
        words.iter().find_map(|w| s.strip_suffix(w))
    }
    let Some(rest) = strip(s, &["の", "ノ"]).or_else(|| strip(s, &BLOCK_WORDS)) else {
        return false;
    };
    strip(rest, &BLOCK_WORDS)
        .unwrap_or(rest)
        .ends_with(|c: char| c.is_ascii_digit())
}

/// 1丁目2番地3号 → 1-2-3, 123番地の4 → 123-4: a block word after a number
/// becomes a dash when a number follows, and goes when none does (5番地,
/// 101号室); の between two numbers is a dash, and part of a name anywhere
/// else (1の宮).
fn dashed_blocks(s: &str) -> String {
    const WORDS: [&str; 9] = [
        "丁目",
        "番地の",
        "番地ノ",
        "番地",
        "号室",
        "番",
        "号",
        "の",
        "ノ",
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let number_follows =
            |word: &str| rest[word.len()..].starts_with(|n: char| n.is_ascii_digit());
        let joins = |word: &str| !word.ends_with(['の', 'ノ']) || number_follows(word);
        let word = WORDS.iter().find(|w| {
            out.ends_with(|p: char| p.is_ascii_digit()) && rest.starts_with(*w) && joins(w)
        });
        match word {
            Some(word) => {
                if number_follows(word) {
                    out.push('-');
                }
                rest = &rest[word.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// An unknown municipality (a name from before a merger, a typing slip):
/// up to the first 市, 区, 郡 + 町/村, 町 or 村.
fn fallback_city_len(s: &str) -> usize {
    let Some((end, delimiter)) = first_delimiter(s, &['市', '区', '郡', '町', '村']) else {
        return 0;
    };
    if delimiter == '郡' {
        // 〇〇郡〇〇町: the district and its town or village together.
        let rest = &s[end..];
        return end + first_delimiter(rest, &['町', '村']).map_or(0, |(len, _)| len);
    }
    end
}

/// The ward after a designated city, if one follows (横浜市港北区).
fn ward_len(s: &str) -> usize {
    match first_delimiter(s, &['区']) {
        Some((end, _)) if s[..end].chars().count() <= 5 => end,
        _ => 0,
    }
}

/// Byte length up to and including the first delimiter that is not the first
/// character (a name is at least one character before its suffix).
fn first_delimiter(s: &str, delimiters: &[char]) -> Option<(usize, char)> {
    s.char_indices()
        .skip(1)
        .take_while(|(_, c)| !c.is_ascii_digit())
        .find(|(_, c)| delimiters.contains(c))
        .map(|(i, c)| (i + c.len_utf8(), c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parts(p: &str, c: &str, r: &str) -> AddressParts {
        AddressParts {
            prefecture: p.into(),
            city: c.into(),
            rest: r.into(),
        }
    }

    #[test]
    fn splits_common_shapes() {
        assert_eq!(
            split_address("東京都世田谷区桜新町1-2-3"),
            parts("東京都", "世田谷区", "桜新町1-2-3")
        );
        assert_eq!(
            split_address("神奈川県横浜市港北区日吉本町１－２－３"),
            parts("神奈川県", "横浜市港北区", "日吉本町1-2-3")
        );
        assert_eq!(
            split_address("埼玉県入間郡毛呂山町岩井1"),
            parts("埼玉県", "入間郡毛呂山町", "岩井1")
        );
        assert_eq!(
            split_address("三重県四日市市諏訪町1-5"),
            parts("三重県", "四日市市", "諏訪町1-5")
        );
        assert_eq!(
            split_address("東京都町田市原町田6-1-1"),
            parts("東京都", "町田市", "原町田6-1-1")
        );
        assert_eq!(
            split_address("千葉県市川市八幡1丁目1番1号"),
            parts("千葉県", "市川市", "八幡1丁目1番1号")
        );
        assert_eq!(
            split_address("北海道札幌市中央区北1条西2丁目"),
            parts("北海道", "札幌市中央区", "北1条西2丁目")
        );
        assert_eq!(
            split_address("長野県松本市丸の内3−7"),
            parts("長野県", "松本市", "丸の内3-7")
        );
        assert_eq!(
            split_address("福島県郡山市朝日1-23-7"),
            parts("福島県", "郡山市", "朝日1-23-7")
        );
    }

    #[test]
    fn without_prefecture_the_city_is_still_found() {
        assert_eq!(
            split_address("世田谷区桜新町1-2-3"),
            parts("", "世田谷区", "桜新町1-2-3")
        );
    }

    #[test]
    fn katakana_long_vowel_is_not_a_dash() {
        assert_eq!(fold_address("コーポ1ー2"), "コーポ1-2");
    }

    #[test]
    fn address_keys_fold_spelling_but_keep_block_numbers_apart() {
        let key = |parts: &[&str]| address_key(parts);
        let plain = key(&["東京都", "世田谷区", "桜新町1-2-3", "コーポ101"]);
        assert_eq!(
            key(&["東京都", "世田谷区", "桜新町１－２－３", "ｺｰﾎﾟ１０１"]),
            plain
        );
        assert_eq!(
            key(&["東京都", "世田谷区", "桜新町1ー2ー3 こーぽ101", ""]),
            plain
        );
        assert_eq!(
            key(&["東京都世田谷区", "", "桜新町 1-2-3　コーポ101", ""]),
            plain
        );
        assert_eq!(
            key(&["", "", "日吉Ａ棟", ""]),
            key(&["", "", "日吉a棟", ""])
        );
        assert_ne!(
            key(&["", "", "日吉1-23", ""]),
            key(&["", "", "日吉12-3", ""])
        );
        assert_eq!(
            key(&["", "", "日吉1-2-3", "101"]),
            key(&["", "", "日吉1-2-3 101", ""])
        );
        assert_ne!(
            key(&["", "", "日吉1-2-3", "101"]),
            key(&["", "", "日吉1-2-3101", ""])
        );
    }

    #[test]
    fn an_address_key_is_its_own_key() {
        // Inputs the fuzzer found: a dropped space joins a combining mark
        // to a letter, and a dropped space puts ー after a digit.
        for text in [
            "W \u{300}",
            "  \u{0}3    W   \u{340} \u{340}",
            "1 ー2",
            "ゑ\u{3099}",
            "1番ー2",
            "桜新町一丁目2番3号",
            "5番地の三",
            "5の宮",
            "5番地ノ宮",
            "W  W \u{30a}\n\0\u{34d}W  W \u{30a}",
            concat!(
                "山\0 \0.\u{34d}00W \u{30a}\n\0\u{34d}W  W \u{30a}\n\0\u{34d}\n\0  \u{3}\u{10}1)",
                ".\u{34d}00W \u{30a}\n\0\u{34d}W  g  \0\u{30a}1 \n\0  \u{3}\u{10}1)",
            ),
        ] {
            let key = address_key(&[text]);
            assert_eq!(address_key(&[&key]), key, "{text:?}");
        }
    }

    #[test]
    fn block_words_and_dashes_are_one_spelling() {
        let key = |address: &str| address_key(&[address]);
        let plain = key("桜新町1-2-3 コーポ101");
        for spelling in [
            "桜新町一丁目2番3号 コーポ101号室",
            "桜新町1丁目2-3 コーポ101",
            "桜新町１丁目２番地３ コーポ１０１号室",
        ] {
            assert_eq!(key(spelling), plain, "{spelling}");
        }
        assert_eq!(key("大字山田5番地"), key("大字山田5"));
        assert_ne!(key("日吉1丁目23"), key("日吉12-3"));
        assert_ne!(key("日吉1丁目2番"), key("日吉12"));
        assert_eq!(key("三十二番"), key("32"));
        // Rural lots: 番地の and の between numbers, kanji numerals after them.
        for spelling in [
            "字山田123番地の4",
            "字山田123-4",
            "字山田百二十三番地の四",
            "字山田123の4",
            "字山田123番地ノ4",
        ] {
            assert_eq!(key(spelling), key("字山田123-4"), "{spelling}");
        }
        assert_ne!(key("字山田123番地の4"), key("字山田1234"));
        // の in a name stays, and a numeral before it is a name, not a number.
        assert_eq!(key("一の宮町5の3"), key("一ノ宮町5-3"));
        assert_ne!(key("一の宮町5-3"), key("1-宮町5-3"));
        assert_eq!(key("5番地の宮"), key("5の宮"));
        assert_ne!(
            key("1番三井ビル"),
            key("1番3井ビル"),
            "a building's name stays"
        );
        let endless = "九".repeat(40) + "番";
        assert_eq!(key(&endless), endless, "too long for a number: as written");
    }

    proptest! {
        #[test]
        fn address_keys_ignore_width_and_spaces_between_words(
            words in proptest::collection::vec("[一-龠ァ-ヶ]{1,4}[0-9]{0,3}", 1..4),
        ) {
            let spaced = words.join("　");
            let wide: String = words.concat().chars().map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                c => c,
            }).collect();
            // Joining words drops a space only where a digit meets a kanji or kana.
            prop_assert_eq!(address_key(&[&spaced]), address_key(&[&wide]));
        }

        #[test]
        fn nothing_of_the_address_is_lost(
            pref in proptest::sample::select(PREFECTURES.to_vec()),
            body in "[一-龠ぁ-んァ-ヶ市区町村郡0-9\\-]{0,20}",
        ) {
            let input = format!("{pref}{body}");
            let p = split_address(&input);
            let joined = format!("{}{}{}", p.prefecture, p.city, p.rest);
            prop_assert_eq!(joined, fold_address(&input).trim().to_string());
        }
    }
}

/// Every municipality of Japan Post's list, with one of its towns.
#[cfg(test)]
mod every_municipality {
    use super::*;
    use crate::municipality::{all, towns};

    fn unique_in_japan(city: &str) -> bool {
        all().iter().filter(|m| m.city == city).count() == 1
    }

    #[test]
    fn splits_back_exactly_with_and_without_its_prefecture() {
        let mut failures = Vec::new();
        for m in all() {
            let town = towns(m).first().copied().unwrap_or("");
            // A town ending in a digit (鶴沼第1) is kept apart from the lot.
            let gap = if town.ends_with(|c: char| c.is_ascii_digit()) {
                " "
            } else {
                ""
            };
            let rest = fold_address(&format!("{town}{gap}1-2-3"));
            let whole = split_address(&format!("{}{}{rest}", m.prefecture, m.city));
            if (
                whole.prefecture.as_str(),
                whole.city.as_str(),
                whole.rest.as_str(),
            ) != (m.prefecture, m.city, rest.as_str())
            {
                failures.push(format!("{m:?}: {whole:?}"));
            }
            let (read, _) = read_address(&format!("{}{rest}", m.city), "", "");
            let want_prefecture = if unique_in_japan(m.city) {
                m.prefecture
            } else {
                ""
            };
            if read.city != m.city || read.prefecture != want_prefecture {
                failures.push(format!("{m:?} without its prefecture: {read:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {}:\n{}",
            failures.len(),
            all().len(),
            failures[..failures.len().min(30)].join("\n")
        );
    }

    #[test]
    fn a_district_left_out_comes_back_where_the_town_is_unique() {
        let mut failures = Vec::new();
        for m in all() {
            let Some((_, bare)) = m.city.split_once('郡') else {
                continue;
            };
            let same_bare = all()
                .iter()
                .filter(|o| o.city.split_once('郡').map_or(o.city, |(_, b)| b) == bare)
                .count();
            let (read, _) = read_address(&format!("{}{bare}1-2-3", m.prefecture), "", "");
            if same_bare == 1 && read.city != m.city {
                failures.push(format!("{m:?}: {read:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
