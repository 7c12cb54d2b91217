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
fn group(digits: String) -> String {
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
