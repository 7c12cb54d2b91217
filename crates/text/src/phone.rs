//! Japanese phone numbers, stored with hyphens (03-2099-7843, 090-1234-5678).

use crate::kana::fold_width;

/// Prefixes of eleven-digit numbers (mobile, IP phone, M2M, free dial 0800).
const ELEVEN_DIGIT_PREFIXES: &[&str] = &["020", "050", "070", "080", "090", "0800"];

/// Reads a phone number as people and spreadsheets write it: full-width,
/// with brackets, spaces or no hyphens, with +81, or as a number cell that
/// lost its leading zero (320997843 → 03-2099-7843). Returns `None` when the
/// text is not a Japanese phone number.
pub fn normalize_phone(input: &str) -> Option<String> {
    let folded = fold_width(input);
    let trimmed = folded.trim();
    if trimmed.is_empty() {
        return None;
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || " -‐−ー()+.".contains(c))
    {
        return None;
    }
    let mut digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if trimmed.starts_with('+') {
        digits = digits.strip_prefix("81").map(|rest| format!("0{rest}"))?;
    }
    restore_leading_zero(digits).map(group)
}

/// Spreadsheets store 0312345678 as the number 312345678.
fn restore_leading_zero(digits: String) -> Option<String> {
    let digits = match (digits.len(), digits.starts_with('0')) {
        (10 | 11, true) => digits,
        (9 | 10, false) => format!("0{digits}"),
        _ => return None,
    };
    let eleven = ELEVEN_DIGIT_PREFIXES.iter().any(|p| digits.starts_with(p));
    (eleven == (digits.len() == 11)).then_some(digits)
}

/// Hyphens where Japanese numbers carry them, from libphonenumber's metadata
/// for Japan (it knows every area code's length: 03-, 045-, 0466-, 01267-).
/// A number in a range it does not know keeps its plain digits.
///
/// libphonenumber chooses Japan's grouping from at most the first six digits
/// after the 0 and the length (PhoneNumberMetadata.xml: the longest
/// `leadingDigits` spans six digits, and every pattern is `\d` counts), so
/// the grouping found for one number holds for every number that shares its
/// first seven digits and its length. A roster of 100,000 rows has a few
/// thousand such prefixes; formatting through libphonenumber once per prefix
/// instead of once per number takes the phone numbers from the largest part
/// of normalizing a row to a small one. Numbers starting 00 (prefixes
/// libphonenumber strips differently) are always formatted directly.
fn group(digits: String) -> String {
    if digits.starts_with("00") {
        return group_with_libphonenumber(digits);
    }
    let key = (digits[..7].to_string(), digits.len());
    let known = GROUPINGS.with_borrow(|g| g.get(&key).cloned());
    let grouping = known.unwrap_or_else(|| {
        let formatted = group_with_libphonenumber(digits.clone());
        let grouping: Vec<usize> = formatted.split('-').map(str::len).collect();
        GROUPINGS.with_borrow_mut(|g| {
            if g.len() >= MAX_GROUPINGS {
                g.clear();
            }
            g.insert(key, grouping.clone());
        });
        grouping
    });
    apply_grouping(&digits, &grouping)
}

/// Bounds the memory of the cache (a key and its grouping are ~60 bytes).
const MAX_GROUPINGS: usize = 100_000;

thread_local! {
    /// (first seven digits, length) → the lengths of the hyphenated groups.
    static GROUPINGS: std::cell::RefCell<std::collections::HashMap<(String, usize), Vec<usize>>> =
        Default::default();
}

fn apply_grouping(digits: &str, grouping: &[usize]) -> String {
    let mut out = String::with_capacity(digits.len() + grouping.len());
    let mut at = 0;
    for (i, len) in grouping.iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(&digits[at..at + len]);
        at += len;
    }
    out
}

fn group_with_libphonenumber(digits: String) -> String {
    phonenumber::parse(Some(phonenumber::country::Id::JP), &digits)
        .ok()
        .map(|n| n.format().mode(phonenumber::Mode::National).to_string())
        .filter(|national| phone_digits(national) == digits)
        .unwrap_or(digits)
}

/// The digits of a phone number, for comparing two spellings.
pub fn phone_digits(input: &str) -> String {
    fold_width(input)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_spellings() {
        assert_eq!(
            normalize_phone("090-1234-5678").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("09012345678").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("０３（２０９９）７８４３").as_deref(),
            Some("03-2099-7843")
        );
        assert_eq!(
            normalize_phone("320997843").as_deref(),
            Some("03-2099-7843")
        );
        assert_eq!(
            normalize_phone("9012345678").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("045 123 4567").as_deref(),
            Some("045-123-4567")
        );
        assert_eq!(
            normalize_phone("0466-12-3456").as_deref(),
            Some("0466-12-3456")
        );
        assert_eq!(
            normalize_phone("+81 90 1234 5678").as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(
            normalize_phone("0120-123-456").as_deref(),
            Some("0120-123-456")
        );
    }

    #[test]
    fn rejects_non_numbers() {
        assert_eq!(normalize_phone(""), None);
        assert_eq!(normalize_phone("なし"), None);
        assert_eq!(normalize_phone("1234"), None);
        assert_eq!(normalize_phone("03-1234-5678 内線12"), None);
    }

    proptest! {
        /// The cached grouping of a prefix gives what libphonenumber gives
        /// for every number under it: numbers are drawn from a few shared
        /// prefixes (so that most come from the cache) of every length.
        #[test]
        fn cached_groupings_agree_with_libphonenumber(
            numbers in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "03123", "04512", "04661", "01267", "01564", "09012",
                        "08012", "07012", "05012", "02012", "01201", "08001",
                        "05709", "09901", "01992", "04992", "01372", "07461",
                    ]),
                    0u64..1_000_000,
                    proptest::bool::ANY,
                ),
                1..60,
            ),
        ) {
            for (prefix, rest, long) in numbers {
                let digits = format!("{prefix}{rest:06}");
                let digits = if long { digits } else { digits[..10].to_string() };
                prop_assert_eq!(
                    group(digits.clone()),
                    group_with_libphonenumber(digits.clone()),
                    "{}", digits
                );
            }
        }

        #[test]
        fn normalizing_keeps_the_digits_and_is_idempotent(
            area in proptest::sample::select(vec!['1', '3', '4']),
            n in 0u64..100_000_000,
        ) {
            // Ten-digit landlines; 02x, 05x–09x lead eleven-digit numbers.
            let raw = format!("0{area}{n:08}");
            let once = normalize_phone(&raw).expect("ten-digit landline");
            prop_assert_eq!(phone_digits(&once), raw);
            prop_assert_eq!(normalize_phone(&once), Some(once.clone()));
        }
    }
}
