//! Postal codes (郵便番号): seven digits, stored as NNN-NNNN.

use crate::kana::fold_width;

/// Reads a postal code as people and spreadsheets write it: with 〒, in
/// full-width digits, without the hyphen, or as a number that lost its
/// leading zeros (600001 → 060-0001). Returns `None` for anything that is not
/// a postal code.
pub fn normalize_postal(input: &str) -> Option<String> {
    let folded = fold_width(input);
    let body = folded.trim().trim_start_matches('〒').trim();
    if body.is_empty() {
        return None;
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '‐' | '−' | 'ー' | ' '))
    {
        return None;
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let has_hyphen = body.chars().any(|c| !c.is_ascii_digit() && c != ' ');
    // A number cell drops only leading zeros; a hyphenated text never does.
    let digits = match digits.len() {
        7 => digits,
        5 | 6 if !has_hyphen => format!("{digits:0>7}"),
        _ => return None,
    };
    Some(format!("{}-{}", &digits[..3], &digits[3..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_spellings() {
        assert_eq!(normalize_postal("154-0015").as_deref(), Some("154-0015"));
        assert_eq!(
            normalize_postal("〒１５４－００１５").as_deref(),
            Some("154-0015")
        );
        assert_eq!(normalize_postal("1540015").as_deref(), Some("154-0015"));
        assert_eq!(normalize_postal("600001").as_deref(), Some("060-0001"));
        assert_eq!(normalize_postal("〒 154 0015").as_deref(), Some("154-0015"));
    }

    #[test]
    fn rejects_what_is_not_a_postal_code() {
        assert_eq!(normalize_postal(""), None);
        assert_eq!(normalize_postal("12-345"), None);
        assert_eq!(normalize_postal("東京都"), None);
        assert_eq!(normalize_postal("12345678"), None);
    }

    proptest! {
        #[test]
        fn formatted_codes_round_trip(n in 0u32..10_000_000) {
            let formatted = format!("{:03}-{:04}", n / 10_000, n % 10_000);
            prop_assert_eq!(normalize_postal(&formatted), Some(formatted.clone()));
            let as_number = n.to_string();
            if as_number.len() >= 5 {
                prop_assert_eq!(normalize_postal(&as_number), Some(formatted));
            }
        }
    }
}
