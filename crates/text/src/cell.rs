//! Text bound for a spreadsheet cell or a CSV field.

use std::borrow::Cow;

/// Text that a spreadsheet would read as a formula (= + - @, or a tab or
/// carriage return before one) gets a leading apostrophe, which Excel and
/// label software show as plain text. Every CSV the app writes passes its
/// values through this; an .xlsx text cell is never evaluated, so the app's
/// .xlsx files hold values as they are.
pub fn defuse(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A value as a spreadsheet user forced it to stay text, without the
/// forcing: `="090-1234-5678"` (a formula whose result is the text) and
/// `'0466-12-3456` (a leading apostrophe, which also undoes `defuse`).
/// Anything else is returned as it is.
pub fn unwrap(value: &str) -> &str {
    let formula = value
        .strip_prefix("=\"")
        .and_then(|rest| rest.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'));
    formula.unwrap_or_else(|| value.strip_prefix('\'').unwrap_or(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_wrappers_are_removed() {
        assert_eq!(unwrap("=\"090-1234-5678\""), "090-1234-5678");
        assert_eq!(unwrap("'0466-12-3456"), "0466-12-3456");
        assert_eq!(unwrap("=\"\""), "");
        assert_eq!(unwrap("=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unwrap("=\"a\"&\"b\""), "=\"a\"&\"b\"");
        assert_eq!(unwrap("山田"), "山田");
    }

    proptest! {
        /// What the app writes through `defuse` reads back as it was.
        #[test]
        fn unwrap_undoes_defuse(value in "[^']\\PC*") {
            let written = defuse(&value);
            prop_assert_eq!(unwrap(&written), value.as_str());
        }
    }

    #[test]
    fn formulas_become_text_and_the_rest_is_kept() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defuse("+81 3"), "'+81 3");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("山田 = 様"), "山田 = 様");
        assert_eq!(defuse("03-2099-7843"), "03-2099-7843");
    }
}
