//! Text bound for a spreadsheet cell or a CSV field.

use std::borrow::Cow;

/// Text that a spreadsheet would read as a formula (= + - @, or a tab or
/// carriage return before one) gets a leading apostrophe, which Excel and
/// label software show as plain text. Every file the app writes passes its
/// values through this.
pub fn defuse(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
