//! Width and kana folding.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::variants::{is_variation_selector, representative};

/// NFKC of `s`, borrowed when the quick check already knows it is in NFKC
/// (most stored text: an import or a search normalizes each value many times).
fn nfkc(s: &str) -> Cow<'_, str> {
    if s.chars().all(stays_in_nfkc) || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    }
}

/// Characters of the blocks most Japanese text is written in whose NFKC
/// quick check is Yes by the Unicode data (ASCII, the CJK unified
/// ideographs, hiragana and katakana without the sound marks and their
/// combining forms): found with one comparison instead of the quick
/// check's table lookup, which was 6% of a DM export's time.
fn stays_in_nfkc(c: char) -> bool {
    matches!(c, '\0'..='\x7F' | '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}')
}

/// NFKC: full-width digits, Latin letters and symbols become ASCII, half-width
/// katakana become full-width (with dakuten composed: ﾀﾞ → ダ). CJK
/// compatibility ideographs are kept as written: NFKC would turn 神 or 塚,
/// as a family register writes them, into 神 and 塚, and a person's name
/// must keep its character.
pub fn fold_width(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    for (i, c) in s.char_indices() {
        if is_compatibility_ideograph(c) {
            out.push_str(&nfkc(&s[run..i]));
            out.push(c);
            run = i + c.len_utf8();
        }
    }
    out.push_str(&nfkc(&s[run..]));
    out
}

fn is_compatibility_ideograph(c: char) -> bool {
    matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}')
}

/// Hiragana become katakana; everything else is left as it is.
pub fn to_katakana(s: &str) -> String {
    s.chars().map(katakana_of).collect()
}

fn katakana_of(c: char) -> char {
    match c {
        // ぁ..ゖ and the iteration marks ゝゞ sit exactly 0x60 below their katakana.
        '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => {
            char::from_u32(c as u32 + 0x60).unwrap_or(c)
        }
        _ => c,
    }
}

/// Kana as the ledger stores it: width-folded full-width katakana, with the
/// ideographic space folded to an ASCII one and runs of spaces collapsed.
pub fn normalize_kana(s: &str) -> String {
    collapse_spaces(&to_katakana(&fold_width(s)).nfc().collect::<String>())
}

/// Trim and collapse any run of white space (including U+3000) to one ASCII space.
pub fn collapse_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Characters that differ between spellings of the same phone number, postal
/// code or address and so must not decide a search: every kind of dash and
/// hyphen, brackets and white space. The katakana long vowel ー is kept.
fn is_search_noise(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '(' | ')' | '（' | '）' | '〒'
        )
}

/// The form in which text is compared by search: width-folded, hiragana as
/// katakana, lower case, variant kanji as their common form (髙 as 高, 邊 as
/// 辺), without spaces, dashes, brackets and variation selectors. A query
/// and a record field that a person would call "the same" have the same key.
pub fn search_key(s: &str) -> String {
    // Full NFKC here: a search for 神田 (as typed) finds 神田 (as stored).
    let folded: String = nfkc(s)
        .chars()
        .map(katakana_of)
        .filter(|c| !is_search_noise(*c) && !is_variation_selector(*c))
        .flat_map(char::to_lowercase)
        .map(representative)
        .collect();
    // Composed last: ゑ + ﾞ only meets its precomposed katakana (ヹ) once the
    // hiragana has become katakana (found by fuzzing).
    if is_nfc_quick(folded.chars()) == IsNormalized::Yes {
        folded
    } else {
        folded.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fast path claims only what Unicode's own quick check says.
    #[test]
    fn the_characters_taken_as_nfkc_are_nfkc_by_the_quick_check() {
        let claimed: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| stays_in_nfkc(c))
            .collect();
        assert!(claimed.len() > 20_000);
        for c in claimed {
            assert_eq!(is_nfkc_quick([c].into_iter()), IsNormalized::Yes, "{c:?}");
        }
    }

    #[test]
    fn half_width_and_hiragana_meet_full_width_katakana() {
        assert_eq!(search_key("ﾔﾏﾀﾞ"), "ヤマダ");
        assert_eq!(search_key("やまだ"), "ヤマダ");
        assert_eq!(search_key("ヤマダ　タロウ"), "ヤマダタロウ");
        assert_eq!(normalize_kana("やまだ　たろう"), "ヤマダ タロウ");
        assert_eq!(to_katakana("ゔぁゝ"), "ヴァヽ");
    }

    #[test]
    fn phone_spellings_share_a_key() {
        assert_eq!(search_key("090-1234-5678"), "09012345678");
        assert_eq!(search_key("０９０（１２３４）５６７８"), "09012345678");
        assert_eq!(search_key("〒154-0015"), "1540015");
    }

    #[test]
    fn long_vowel_mark_is_kept() {
        assert_eq!(search_key("ｺｰﾎﾟ"), "コーポ");
    }

    #[test]
    fn names_keep_their_compatibility_ideographs() {
        assert_eq!(fold_width("神田　ﾀﾛｳ"), "神田 タロウ");
        assert_eq!(fold_width("髙﨑"), "髙﨑");
        assert_eq!(search_key("神田"), search_key("神田"));
    }

    #[test]
    fn hiragana_with_a_half_width_dakuten_composes_once_katakana() {
        assert_eq!(search_key("ゑﾞ"), "ヹ");
        assert_eq!(normalize_kana("ゑﾞ"), "ヹ");
    }

    #[test]
    fn latin_is_folded_and_lowered() {
        assert_eq!(search_key("ＴＡＲＯ@Example.JP"), "taro@example.jp");
    }

    proptest! {
        // The quick checks only skip passes that would change nothing: the
        // key is the one of NFKC, katakana, filter, lower case and NFC in full.
        #[test]
        fn search_key_equals_its_full_definition(s in "[\\p{Han}\u{FE00}\u{E0100}\\p{Hiragana}\\p{Katakana}ｦ-ﾟ\u{3099}\u{309A}\u{FF9E}０-９Ａ-Ｚa-zA-Zé\u{0301}\u{F900}-\u{F910}① 　ー－()（）@.]{0,40}") {
            let full: String = to_katakana(&s.nfkc().collect::<String>())
                .chars()
                .filter(|c| !is_search_noise(*c) && !is_variation_selector(*c))
                .flat_map(char::to_lowercase)
                .map(representative)
                .collect::<String>()
                .nfc()
                .collect();
            prop_assert_eq!(search_key(&s), full);
        }

        #[test]
        fn search_key_is_idempotent(s in "[\\p{Han}\\p{Hiragana}\\p{Katakana}ｦ-ﾟ０-９Ａ-Ｚa-zA-Z0-9 　ー－()（）@.]{0,40}") {
            let once = search_key(&s);
            prop_assert_eq!(search_key(&once), once);
        }

        /// `address_key` stops its rounds on this: folding a folded text
        /// changes nothing, compatibility ideographs and combining marks
        /// (which compose across the pieces folded apart) included.
        #[test]
        fn width_folding_is_idempotent(s in "[\\p{Han}豈-龎\u{2F800}-\u{2F820}\u{0300}-\u{036F}\u{3099}\u{309A}ｦ-ﾟ ａ-ｚA-Za-z0-9０-９　ー－]{0,30}") {
            let once = fold_width(&s);
            prop_assert_eq!(fold_width(&once), once);
        }

        #[test]
        fn kana_normalization_is_idempotent(s in "[ぁ-んァ-ヶｦ-ﾟ　 a-zＡ-Ｚ0-9０-９]{0,30}") {
            let once = normalize_kana(&s);
            prop_assert_eq!(normalize_kana(&once), once);
        }

        /// Width folding keeps meaning: a text typed in full-width ASCII
        /// folds to exactly the half-width text, and Japanese text that has
        /// no width variant passes through unchanged.
        #[test]
        fn width_folding_keeps_meaning(ascii in "[!-~]{0,30}", japanese in "[一-龥ぁ-ゖァ-ヶー\u{F900}-\u{FAFF}]{0,20}") {
            let wide: String = ascii.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
            prop_assert_eq!(fold_width(&wide), ascii.clone());
            prop_assert_eq!(fold_width(&japanese), japanese.clone());
            prop_assert_eq!(fold_width(&format!("{wide}{japanese}")), format!("{ascii}{japanese}"));
        }

        #[test]
        fn hiragana_and_katakana_spellings_agree(s in "[ぁ-ゖ]{1,20}") {
            let kata = to_katakana(&s);
            prop_assert_eq!(search_key(&s), search_key(&kata));
        }
    }
}
