//! Variant kanji: 髙 and 高, 𠮷 and 吉, 邊, 邉 and 辺 are one name written
//! with different characters, and search must treat them as one.
//!
//! The classes come from published tables (KANJIDIC2's variant references
//! and Unihan), joined by scripts/gen-variant-data.py into
//! assets/variants/variants.tsv: each variant with the one character that
//! stands for its class. Only search keys fold; stored text keeps the
//! character as written.

use std::sync::OnceLock;

/// Variant → representative, sorted by variant (the file lists them by code
/// point), for a binary search per character.
fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../../../assets/variants/variants.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (variant, representative) = l.split_once('\t')?;
                Some((variant.chars().next()?, representative.chars().next()?))
            })
            .collect()
    })
}

/// The character that stands for `c`'s variant class; `c` itself when it
/// has no variant or is no ideograph.
pub fn representative(c: char) -> char {
    // No ideograph lies below CJK Extension A: kana and ASCII skip the search.
    if c < '\u{3400}' {
        return c;
    }
    let table = table();
    match table.binary_search_by_key(&c, |&(variant, _)| variant) {
        Ok(i) => table[i].1,
        Err(_) => c,
    }
}

/// Variation selectors choose a glyph of the character before them (葛󠄀 with
/// an IVS is still 葛): they never decide whether two names are the same.
pub fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kana::search_key;
    use proptest::prelude::*;

    #[test]
    fn the_table_is_sorted_and_each_class_has_one_representative() {
        let table = table();
        assert!(table.len() > 2000, "{}", table.len());
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        for &(variant, representative) in table {
            assert_ne!(variant, representative);
            assert_eq!(super::representative(representative), representative);
        }
    }

    #[test]
    fn name_variants_meet_their_common_form() {
        for (variants, common) in [
            ("髙", '高'),
            ("𠮷", '吉'),
            ("齋齊斎", '斉'),
            ("邊邉", '辺'),
            ("﨑嵜", '崎'),
            ("澤", '沢'),
            ("濱濵", '浜'),
        ] {
            for v in variants.chars() {
                assert_eq!(representative(v), common, "{v}");
            }
            assert_eq!(representative(common), common);
        }
    }

    #[test]
    fn distinct_joyo_kanji_stay_apart() {
        // KANJIDIC2 lists 埼 and 崎 as variants, but the Jōyō table has both:
        // 埼玉 and 宮崎 are different words.
        assert_ne!(representative('埼'), representative('崎'));
        assert_eq!(representative('ア'), 'ア');
    }

    #[test]
    fn search_keys_fold_variants_and_drop_variation_selectors() {
        assert_eq!(search_key("髙橋"), search_key("高橋"));
        assert_eq!(search_key("𠮷田"), "吉田");
        assert_eq!(search_key("渡邉"), search_key("渡邊"));
        assert_eq!(search_key("齋藤"), search_key("斎藤"));
        assert_eq!(search_key("齊藤"), search_key("斉藤"));
        assert_eq!(search_key("山\u{FA11}"), "山崎");
        assert_eq!(search_key("葛\u{E0100}飾"), "葛飾");
        assert_eq!(search_key("葛\u{FE00}飾"), "葛飾");
    }

    proptest! {
        /// Swapping any one character of a text for a variant of it never
        /// changes the key.
        #[test]
        fn a_variant_swapped_in_keeps_the_key(
            pair in 0..table().len(),
            before in "[\\p{Han}ぁ-ゖァ-ヶ]{0,8}",
            after in "[\\p{Han}ぁ-ゖァ-ヶ]{0,8}",
        ) {
            let (variant, representative) = table()[pair];
            prop_assert_eq!(
                search_key(&format!("{before}{variant}{after}")),
                search_key(&format!("{before}{representative}{after}"))
            );
        }

        #[test]
        fn the_fold_is_idempotent(pair in 0..table().len(), s in "[\\p{Han}\u{FE00}\u{E0100}]{0,12}") {
            let text = format!("{s}{}", table()[pair].0);
            let once = search_key(&text);
            prop_assert_eq!(search_key(&once), once.clone());
            prop_assert!(once.chars().all(|c| super::representative(c) == c));
        }
    }
}
