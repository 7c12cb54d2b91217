//! The address-number part (住所表示番号) of Japan Post's customer barcode,
//! extracted by the rule of Japan Post's 郵便番号・バーコードマニュアル
//! (zipmanual p17 処理概要, p19 バーコードに必要な文字情報の抜き出し法,
//! p25 バーコードの作成例). Each step below quotes the manual's words: upper-case
//! the letters, drop & / ・ ., keep digits, hyphens and lone letters, turn
//! everything else into one hyphen, read kanji numerals before the block words
//! as digits, drop the floor F, and close up the hyphens around letters.

use daicho_text::numeral::{is_kanji_numeral, kanji_number};

/// 補足1's 特定文字群 (9種類), the longest first so that 丁目 is not read as
/// 丁 and 番地 not as 番.
const BLOCK_WORDS: [&str; 9] = ["丁目", "番地", "地割", "丁", "番", "号", "線", "の", "ノ"];

/// Block words that also begin the rest of a place name (八丁堀, 三番町,
/// 一の宮, 三ノ輪). The manual reads only the part after the town name, but
/// the caller passes everything after the city, town name included, so a
/// numeral before one of these counts only when no name goes on after it.
const NAME_PARTS: [&str; 4] = ["丁", "番", "の", "ノ"];

/// One piece of the address as step 3 sorts it.
#[derive(Debug, PartialEq)]
enum Piece {
    Number(String),
    Letter(char),
    /// A hyphen as written, or anything step 4 turns into one.
    Hyphen,
}

/// The address number of the street part and building part of an address
/// (everything after the city). Empty when there is no number.
pub fn address_number(street_and_building: &str) -> String {
    let text = arabic_before_block_words(&tidied(street_and_building));
    joined(&pieces(&text))
}

/// Steps 1 and 2: 「データ内にあるアルファベットの小文字は大文字に置き換えます」
/// and 「データ内にある"&"等の下記の文字は取り除き、後ろのデータを詰めます。
/// 「&」(アンパサンド)、「/」(スラッシュ)、「・」(中グロ)、「.」(ピリオド)」.
/// Width is folded first so that full-width digits and letters count as the
/// manual's 算用数字 and アルファベット.
fn tidied(address: &str) -> String {
    daicho_text::fold_width(address)
        .chars()
        .filter(|c| !matches!(c, '&' | '/' | '・' | '.'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// 補足1: 「漢数字が下記の特定文字の前にある場合は抜き出し対象とし、算用数字に
/// 変換して抜き出します」 with the 9 words of [`BLOCK_WORDS`]. Beyond the
/// manual's words, a numeral that ends a number joined by those words
/// (十二番地の三 → 12-3) is read too: no word follows the last number to mark
/// it, but the joining word before it marks it just as well.
fn arabic_before_block_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = rest.find(|c| !is_kanji_numeral(c)).unwrap_or(rest.len());
        if len == 0 {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let (numeral, after) = rest.split_at(len);
        let counts = before_block_word(after) || ends_joined_number(&out, after);
        match kanji_number(numeral).filter(|_| counts) {
            Some(n) => out.push_str(&n.to_string()),
            None => out.push_str(numeral),
        }
        rest = after;
    }
    out
}

/// Whether `after` (the text right after a numeral) starts with a block
/// word that makes the numeral a number.
fn before_block_word(after: &str) -> bool {
    BLOCK_WORDS
        .iter()
        .find(|w| after.starts_with(*w))
        .is_some_and(|w| !NAME_PARTS.contains(w) || !starts_name(&after[w.len()..]))
}

/// Whether a numeral between `before` and `after` ends a number joined by a
/// block word: 12番地の|三, 5の|三, and not 1番|三井ビル.
fn ends_joined_number(before: &str, after: &str) -> bool {
    let Some(rest) = without_block_word(before) else {
        return false;
    };
    let number = without_block_word(rest).unwrap_or(rest);
    number.ends_with(|c: char| c.is_ascii_digit()) && !starts_name(after)
}

fn without_block_word(s: &str) -> Option<&str> {
    BLOCK_WORDS.iter().find_map(|w| s.strip_suffix(w))
}

/// Whether `s` goes on with a name: a kanji or kana that is not a numeral.
fn starts_name(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && !c.is_ascii() && !is_kanji_numeral(c))
}

/// Steps 3 and 4: 「算用数字、ハイフンおよび連続していないアルファベット1文字を
/// 必要な文字情報として抜き出します」; what stands before them (「漢字」、
/// 「かな文字」、「カタカナ文字」、「漢数字」、「ブランク」、「2文字以上連続した
/// アルファベット文字」) becomes a hyphen. 補足2 and 3: 「算用数字に続く
/// アルファベット1文字"F"に限っては抜き出し対象としません」 and becomes a hyphen
/// when something is extracted after it (2F201 → 2-201, 10F → 10).
fn pieces(text: &str) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let digits = run_len(&chars[i..], |c| c.is_ascii_digit());
        if digits > 0 {
            pieces.push(Piece::Number(chars[i..i + digits].iter().collect()));
            i += digits;
            continue;
        }
        let letters = run_len(&chars[i..], |c| c.is_ascii_uppercase());
        let floor = chars[i] == 'F' && matches!(pieces.last(), Some(Piece::Number(_)));
        pieces.push(match letters {
            1 if !floor => Piece::Letter(chars[i]),
            _ => Piece::Hyphen,
        });
        i += letters.max(1);
    }
    pieces
}

fn run_len(chars: &[char], of: impl Fn(char) -> bool) -> usize {
    chars.iter().take_while(|c| of(**c)).count()
}

/// Steps 5 and 6: 「ハイフンが連続する場合は1つにまとめます」, 「先頭がハイフンの
/// 場合は取り除きます」. A hyphen is written only before an extracted
/// character (step 4: 「抜き出された文字の前にある」), so none ends the number.
/// 補足4: 「アルファベット文字の前後にあるハイフンは取り除きます」; 補足5: the
/// letters that then touch (LB106) stay.
fn joined(pieces: &[Piece]) -> String {
    let mut out = String::new();
    let mut hyphen = false;
    let mut after_letter = false;
    for piece in pieces {
        match piece {
            Piece::Hyphen => hyphen = true,
            Piece::Number(n) => {
                if hyphen && !out.is_empty() && !after_letter {
                    out.push('-');
                }
                out.push_str(n);
                (hyphen, after_letter) = (false, false);
            }
            Piece::Letter(l) => {
                out.push(*l);
                (hyphen, after_letter) = (false, true);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Japan Post's own worked examples (zipmanual p25).
    #[test]
    fn the_rules_worked_examples() {
        assert_eq!(address_number("緑町3丁目30-8 郵便ビル403号"), "3-30-8-403");
        assert_eq!(address_number("台東5-6-3 ABCビル10F"), "5-6-3-10");
        assert_eq!(address_number("青野町綾部6-7 LプラザB106"), "6-7LB106");
    }

    /// Step 1: 小文字は大文字に置き換えます.
    #[test]
    fn lower_case_letters_count_as_capitals() {
        assert_eq!(address_number("台東5-6-3 ABcビル10F"), "5-6-3-10");
        assert_eq!(address_number("本町1-2 b棟"), "1-2B");
    }

    /// Step 2: & / ・ . are removed and the rest closed up, so the letters
    /// they parted make one run of two, which step 4 drops.
    #[test]
    fn ampersand_slash_dot_and_period_are_removed() {
        assert_eq!(
            address_number("東3丁目-20-5 郵便・A&bコーポB604号"),
            "3-20-5B604"
        );
        assert_eq!(address_number("本町1-2 A/Bハイツ3"), "1-2-3");
        assert_eq!(address_number("本町1-2 A.B.ハイツ3"), "1-2-3");
    }

    /// Steps 3 and 4: digits, hyphens and lone letters are kept; kanji, kana,
    /// blanks and runs of letters become one hyphen.
    #[test]
    fn anything_but_digits_hyphens_and_lone_letters_is_a_hyphen() {
        assert_eq!(
            address_number("霞が関1丁目3番2号 郵便プラザ503室"),
            "1-3-2-503"
        );
        assert_eq!(
            address_number("南四条西29丁目1524-23 第2郵便ハウス501"),
            "29-1524-23-2-501"
        );
        assert_eq!(address_number("永田町1丁目11ー32"), "1-11-32");
        assert_eq!(address_number("北六条東4丁目 郵便センター6号館"), "4-6");
    }

    /// Steps 5 and 6: one hyphen for a run, none at the front (nor at the end,
    /// where nothing extracted follows).
    #[test]
    fn hyphens_collapse_and_never_lead_or_trail() {
        assert_eq!(address_number("-- 堀見内 南田茂木 添60--1 -"), "60-1");
    }

    /// 補足1: kanji numerals before 丁目, 丁, 番地, 番, 号, 地割, 線, の, ノ
    /// are read as digits.
    #[test]
    fn kanji_numerals_before_block_words() {
        assert_eq!(address_number("緑町三丁目三十番八号"), "3-30-8");
        assert_eq!(
            address_number("河辺町十一丁目六番地一号 郵便タワー601"),
            "11-6-1-601"
        );
        assert_eq!(address_number("中田出井町四丁六番十九号"), "4-6-19");
        assert_eq!(address_number("大字津軽石第二十一地割大淵川480"), "21-480");
        assert_eq!(address_number("稲田町南七線 西28"), "7-28");
        assert_eq!(address_number("稲田町南七線西28"), "7-28");
        assert_eq!(address_number("本町三の五"), "3-5");
        assert_eq!(address_number("大字山田百二十三番地の四"), "123-4");
        assert_eq!(address_number("大字千二百番地"), "1200");
    }

    /// Numerals that only begin a place name are not numbers.
    #[test]
    fn numerals_in_place_names_stay_out() {
        assert_eq!(address_number("三軒茶屋1-2-3"), "1-2-3");
        assert_eq!(address_number("一の宮町5-3"), "5-3");
        assert_eq!(address_number("三ノ輪2-3"), "2-3");
        assert_eq!(address_number("三番町6-25"), "6-25");
        assert_eq!(address_number("八丁堀3丁目4"), "3-4");
        assert_eq!(address_number("本町2番 三井ビル"), "2");
    }

    /// 補足2 and 3: an F after a digit is a floor: dropped at the end, a
    /// hyphen before more numbers.
    #[test]
    fn a_floor_f_is_not_extracted() {
        assert_eq!(address_number("宮田町6丁目7-14 ABCビル2F"), "6-7-14-2");
        assert_eq!(address_number("6丁目7-14 ABCビル2F201号室"), "6-7-14-2-201");
        assert_eq!(address_number("本町1-2 F棟"), "1-2F");
        // 階 is a kanji like any other (step 4).
        assert_eq!(address_number("本町1-2 郵便ビル3階301"), "1-2-3-301");
    }

    /// 補足4 and 5: hyphens around a letter go; letters that then touch stay.
    #[test]
    fn hyphens_around_letters_go() {
        assert_eq!(
            address_number("港島中町9丁目7-6 郵便シティA棟1F1号"),
            "9-7-6A1-1"
        );
        assert_eq!(address_number("新田塚3丁目80-25 J1ビル2-B"), "3-80-25J1-2B");
        assert_eq!(address_number("安島三丁目五番地B棟"), "3-5B");
    }

    #[test]
    fn full_width_input_reads_as_ascii() {
        assert_eq!(
            address_number("桜新町１－２－３ コーポ桜１０１"),
            "1-2-3-101"
        );
    }

    #[test]
    fn nothing_to_extract() {
        assert_eq!(address_number("大字山田"), "");
        assert_eq!(address_number(""), "");
    }

    /// Characters that steer the rule, mixed with anything at all.
    fn address_char() -> impl Strategy<Value = char> {
        let steering: Vec<char> =
            "0123456789-－ー AaBbFf&/・.１Ａ十百千〇一二三九丁目番地割号線のノ宮町室階棟"
                .chars()
                .collect();
        prop_oneof![3 => prop::sample::select(steering), 1 => any::<char>()]
    }

    proptest! {
        #[test]
        fn never_panics_and_writes_only_barcode_characters(
            chars in prop::collection::vec(address_char(), 0..40)
        ) {
            let input: String = chars.into_iter().collect();
            let number = address_number(&input);
            prop_assert!(number.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || c == '-'));
            prop_assert!(!number.starts_with('-') && !number.ends_with('-'));
            prop_assert!(!number.contains("--"));
        }
    }
}
