//! Numbers written in kanji, as rosters and documents write them: positional
//! (四十八, 千九百七十三, 三万五千), digit by digit (二〇二〇, 一〇), and in
//! the 大字 of contracts and deeds (壱萬弐阡, 参拾).

use std::sync::LazyLock;

/// One kanji numeral: a digit, or a unit that multiplies the digit before it.
#[derive(Clone, Copy)]
enum Numeral {
    Digit(u32),
    Unit(u32),
}

/// 万 closes the upper part of a number (三万五千 = 3 × 万 + 5000).
const MAN: u32 = 10_000;

/// Each numeral with the characters that write it: the common form first,
/// then the 大字 of the Japanese Industrial Standard list (壱弐参拾 and the
/// older 壹貳參肆伍陸柒捌玖佰阡萬), 零 for zero, and ○ (the white circle), which
/// input methods offer for 〇 and many people type in its place.
const NUMERALS: [(&str, Numeral); 14] = [
    ("〇零○", Numeral::Digit(0)),
    ("一壱壹弌", Numeral::Digit(1)),
    ("二弐貳弍", Numeral::Digit(2)),
    ("三参參弎", Numeral::Digit(3)),
    ("四肆", Numeral::Digit(4)),
    ("五伍", Numeral::Digit(5)),
    ("六陸", Numeral::Digit(6)),
    ("七漆柒", Numeral::Digit(7)),
    ("八捌", Numeral::Digit(8)),
    ("九玖", Numeral::Digit(9)),
    ("十拾", Numeral::Unit(10)),
    ("百佰陌", Numeral::Unit(100)),
    ("千阡仟", Numeral::Unit(1000)),
    ("万萬", Numeral::Unit(MAN)),
];

/// `NUMERALS` by character, sorted: every character of every address is
/// asked about (a DM export folds 100,000 addresses), and searching the
/// fourteen strings for each took a seventh of the export's time.
static BY_CHAR: LazyLock<Vec<(char, Numeral)>> = LazyLock::new(|| {
    let mut by_char: Vec<(char, Numeral)> = NUMERALS
        .iter()
        .flat_map(|(chars, n)| chars.chars().map(|c| (c, *n)))
        .collect();
    by_char.sort_by_key(|(c, _)| *c);
    by_char
});

fn numeral(c: char) -> Option<Numeral> {
    let found = BY_CHAR.binary_search_by_key(&c, |(c, _)| *c).ok()?;
    Some(BY_CHAR[found].1)
}

/// Whether `c` writes a kanji digit or unit (so a caller can find where a
/// run of numerals ends).
pub fn is_kanji_numeral(c: char) -> bool {
    numeral(c).is_some()
}

/// The value of a run of kanji numerals, or `None` when it is empty, not all
/// numerals, not a well-formed number (十百, 二〇十) or too large for `u32`.
pub fn kanji_number(s: &str) -> Option<u32> {
    let mut upper = 0;
    let mut section = Section::default();
    for c in s.chars() {
        match numeral(c)? {
            Numeral::Digit(d) => section.digit(d)?,
            Numeral::Unit(MAN) if upper == 0 => {
                // 万 needs a number before it, and comes once.
                upper = section.value().filter(|n| *n > 0)?.checked_mul(MAN)?;
                section = Section::default();
            }
            Numeral::Unit(MAN) => return None,
            Numeral::Unit(unit) => section.unit(unit)?,
        }
    }
    let lower = match section.is_empty() {
        true if upper > 0 => 0,
        _ => section.value()?,
    };
    upper.checked_add(lower)
}

/// The part of a number below 万: either digits alone (二〇二〇) or single
/// digits each before a unit, the units falling (千九百七十三).
#[derive(Default)]
struct Section {
    /// The sum of the digit × unit terms read so far.
    terms: u32,
    /// The digits read since the last unit, and how many there were.
    run: u32,
    run_len: u32,
    last_unit: Option<u32>,
}

impl Section {
    fn is_empty(&self) -> bool {
        self.run_len == 0 && self.last_unit.is_none()
    }

    fn digit(&mut self, d: u32) -> Option<()> {
        // Checked: digit-by-digit input of any length must not overflow.
        self.run = self.run.checked_mul(10)?.checked_add(d)?;
        self.run_len += 1;
        Some(())
    }

    fn unit(&mut self, unit: u32) -> Option<()> {
        let falls = self.last_unit.is_none_or(|last| unit < last);
        // 十 alone is ten; 二十 is two tens; 〇十 and 一二十 are not numbers.
        let times = match self.run_len {
            0 => 1,
            1 if self.run > 0 => self.run,
            _ => return None,
        };
        if !falls {
            return None;
        }
        // At most 9 × 1000 per term and 9,990 in all: no overflow.
        self.terms += times * unit;
        self.last_unit = Some(unit);
        self.run = 0;
        self.run_len = 0;
        Some(())
    }

    /// After a unit only one digit may follow (四十八, not 百二〇).
    fn value(&self) -> Option<u32> {
        if self.is_empty() || (self.last_unit.is_some() && self.run_len > 1) {
            return None;
        }
        self.terms.checked_add(self.run)
    }
}

/// The common character of digit `d` (〇 for 0, 一 for 1…).
#[cfg(test)]
fn kanji_digit(d: u32) -> char {
    NUMERALS[d as usize]
        .0
        .chars()
        .next()
        .expect("a digit's character")
}

/// `n` written positionally (千九百七十三, 三万五千, 〇), for tests that
/// spell numbers the way people write them.
#[cfg(test)]
pub(crate) fn positional_kanji(n: u32) -> String {
    fn below_man(n: u32) -> String {
        let mut out = String::new();
        for (place, unit) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
            // 十, not 一十: a one before a unit goes unwritten.
            match n / place % 10 {
                0 => {}
                1 if place > 1 => out.push_str(unit),
                d => {
                    out.push(kanji_digit(d));
                    out.push_str(unit);
                }
            }
        }
        out
    }
    match (n / MAN, n % MAN) {
        (0, 0) => kanji_digit(0).to_string(),
        (0, lower) => below_man(lower),
        (upper, lower) => format!("{}万{}", below_man(upper), below_man(lower)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn positional_forms() {
        assert_eq!(kanji_number("四十八"), Some(48));
        assert_eq!(kanji_number("十"), Some(10));
        assert_eq!(kanji_number("十二"), Some(12));
        assert_eq!(kanji_number("二十"), Some(20));
        assert_eq!(kanji_number("百五"), Some(105));
        assert_eq!(kanji_number("千九百七十三"), Some(1973));
        assert_eq!(kanji_number("二千二十"), Some(2020));
        assert_eq!(kanji_number("三万五千"), Some(35_000));
        assert_eq!(kanji_number("十二万三千四百五十六"), Some(123_456));
    }

    #[test]
    fn digit_by_digit_forms() {
        assert_eq!(kanji_number("二〇二〇"), Some(2020));
        assert_eq!(kanji_number("一〇"), Some(10));
        assert_eq!(kanji_number("〇五"), Some(5));
        assert_eq!(kanji_number("〇"), Some(0));
        assert_eq!(kanji_number("一二万"), Some(120_000));
    }

    #[test]
    fn daiji_and_variant_zeros() {
        assert_eq!(kanji_number("肆"), Some(4));
        assert_eq!(kanji_number("壱萬弐阡参拾"), Some(12_030));
        assert_eq!(kanji_number("二○二○"), Some(2020));
        assert_eq!(kanji_number("零"), Some(0));
    }

    #[test]
    fn malformed_runs_are_refused() {
        for bad in [
            "",
            "十十",
            "十百",
            "二〇十",
            "百二〇",
            "〇十",
            "万",
            "一万二万",
            "四x",
            "48",
        ] {
            assert_eq!(kanji_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn long_input_never_overflows() {
        assert_eq!(kanji_number(&"九".repeat(40)), None);
        assert_eq!(kanji_number("九九九九九九万"), None);
        assert_eq!(kanji_number("四二九四九六七二九五"), Some(u32::MAX));
    }

    proptest! {
        #[test]
        fn positional_spelling_reads_back(n in 0u32..100_000_000) {
            prop_assert_eq!(kanji_number(&positional_kanji(n)), Some(n));
        }

        #[test]
        fn digit_by_digit_spelling_reads_back(n in 0u32..u32::MAX) {
            let digits: String = n
                .to_string()
                .chars()
                .map(|c| kanji_digit(c.to_digit(10).unwrap()))
                .collect();
            prop_assert_eq!(kanji_number(&digits), Some(n));
        }

        #[test]
        fn any_text_is_read_without_panic(s in "[〇一二三四五六七八九十百千万]{0,30}") {
            let _ = kanji_number(&s);
        }
    }
}
