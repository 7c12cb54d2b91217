//! Japan Post's customer barcode (カスタマバーコード) as a symbol: the
//! characters, the check digit and the bars, by the 郵便番号・バーコード
//! マニュアル (ZM): format and padding p12, letters p20, check digit p21.
//! Where to draw it and how large is the printing's part (`print`).
//!
//! The bar patterns (ZM p11 「体系」) are a figure in the manual that could not
//! be read where this was written; [`bars_of`] was taken from five
//! independent encoders that agree on every row (zint, BWIPP, a ZXing port,
//! and two smaller ones; see docs/print-research.md), and the tests hold it
//! to two of the manual's own examples decoded end to end.

use serde::{Deserialize, Serialize};

/// One of the four bars (ZM p11): all the same width, differing in length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Bar {
    /// ロングバー: the whole height.
    Long,
    /// セミロングバー（上）: the middle and the upper third.
    Ascender,
    /// セミロングバー（下）: the middle and the lower third.
    Descender,
    /// タイミングバー: the middle third only.
    Timing,
}

/// One character of the symbol: 0–9, the hyphen, or a control code CC1–CC8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Char {
    Digit(u8),
    Hyphen,
    Control(u8),
}

impl Char {
    /// The check-digit value of ZM p21's table: 0–9, - = 10, CC1–CC8 = 11–18.
    pub fn value(self) -> u8 {
        match self {
            Self::Digit(d) => d,
            Self::Hyphen => 10,
            Self::Control(n) => 10 + n,
        }
    }

    fn of_value(value: u8) -> Self {
        match value {
            0..=9 => Self::Digit(value),
            10 => Self::Hyphen,
            _ => Self::Control(value - 10),
        }
    }
}

/// The padding of a short address number (ZM p12: 「制御コードCC4」).
const PAD: Char = Char::Control(4);
/// Characters of the address-number part (ZM p12: 13けた).
const ADDRESS_CHARS: usize = 13;

/// The symbol's characters: the postal code, the address number cut or
/// padded to 13, and the check digit; `None` when the postal code is not
/// seven digits or there is no address number (ZM p17: both are needed).
pub fn characters(postal_code: &str, address_number: &str) -> Option<Vec<Char>> {
    let digits: Vec<u8> = postal_code
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_digit(10).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.len() != 7 || address_number.is_empty() {
        return None;
    }
    let mut chars: Vec<Char> = digits.into_iter().map(Char::Digit).collect();
    chars.extend(address_part(address_number)?);
    let sum: u32 = chars.iter().map(|c| u32::from(c.value())).sum();
    chars.push(Char::of_value(((19 - sum % 19) % 19) as u8));
    Some(chars)
}

/// The address number as 13 characters: a letter is a control code and a
/// digit (ZM p20: A–J CC1, K–T CC2, U–Z CC3); over 13 are cut, keeping a
/// letter's control code that falls 13th; under 13 are padded with CC4.
fn address_part(address_number: &str) -> Option<Vec<Char>> {
    let mut part = Vec::with_capacity(ADDRESS_CHARS + 1);
    for c in address_number.chars() {
        match c {
            '0'..='9' => part.push(Char::Digit(c as u8 - b'0')),
            '-' => part.push(Char::Hyphen),
            'A'..='Z' => {
                let n = c as u8 - b'A';
                part.push(Char::Control(1 + n / 10));
                part.push(Char::Digit(n % 10));
            }
            _ => return None,
        }
    }
    part.truncate(ADDRESS_CHARS);
    part.resize(ADDRESS_CHARS, PAD);
    Some(part)
}

/// The three bars of a character, left to right.
pub fn bars_of(c: Char) -> [Bar; 3] {
    use Bar::{Ascender as A, Descender as D, Long as L, Timing as T};
    const DIGITS: [[Bar; 3]; 10] = [
        [L, T, T],
        [L, L, T],
        [L, D, A],
        [D, L, A],
        [L, A, D],
        [L, T, L],
        [D, A, L],
        [A, L, D],
        [A, D, L],
        [T, L, L],
    ];
    const CONTROLS: [[Bar; 3]; 8] = [
        [D, A, T],
        [D, T, A],
        [A, D, T],
        [T, D, A],
        [A, T, D],
        [T, A, D],
        [T, T, L],
        [L, L, L],
    ];
    match c {
        Char::Digit(d) => DIGITS[usize::from(d)],
        Char::Hyphen => [T, L, T],
        Char::Control(n) => CONTROLS[usize::from(n - 1)],
    }
}

const START: [Bar; 2] = [Bar::Long, Bar::Descender];
const STOP: [Bar; 2] = [Bar::Descender, Bar::Long];

/// Every bar of the symbol (67 of them), left to right.
pub fn bars(characters: &[Char]) -> Vec<Bar> {
    let mut out = START.to_vec();
    out.extend(characters.iter().flat_map(|c| bars_of(*c)));
    out.extend(STOP);
    out
}

/// The characters read back from bars (what a sorting machine does), for
/// the tests that draw a symbol and read it from the page.
pub fn decode(bars: &[Bar]) -> Option<Vec<Char>> {
    let inner = bars.strip_prefix(&START)?.strip_suffix(&STOP)?;
    if inner.len() % 3 != 0 {
        return None;
    }
    let every: Vec<Char> = (0..=9)
        .map(Char::Digit)
        .chain([Char::Hyphen])
        .chain((1..=8).map(Char::Control))
        .collect();
    inner
        .chunks(3)
        .map(|three| every.iter().copied().find(|c| bars_of(*c) == three))
        .collect()
}

/// A symbol's characters as the manual writes them: 1000013 1-3-2-503 CC4….
pub fn spelled(characters: &[Char]) -> String {
    characters
        .iter()
        .map(|c| match c {
            Char::Digit(d) => d.to_string(),
            Char::Hyphen => "-".into(),
            Char::Control(n) => format!("[CC{n}]"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::barcode::address_number;

    fn letters(bars: &[Bar]) -> String {
        bars.iter()
            .map(|b| match b {
                Bar::Long => 'F',
                Bar::Ascender => 'A',
                Bar::Descender => 'D',
                Bar::Timing => 'T',
            })
            .collect()
    }

    #[test]
    fn the_manuals_example_has_check_digit_nine() {
        // ZM p17 注3 and p21: 100-0013, 1-3-2-503 → チェックデジット 9.
        let number = address_number("霞が関1丁目3番2号 郵便プラザ503室");
        assert_eq!(number, "1-3-2-503");
        let chars = characters("100-0013", &number).unwrap();
        assert_eq!(chars.len(), 21);
        assert_eq!(*chars.last().unwrap(), Char::Digit(9));
        assert_eq!(spelled(&chars), "10000131-3-2-503[CC4][CC4][CC4][CC4]9");
        assert_eq!(bars(&chars).len(), 67);
    }

    #[test]
    fn the_manuals_cut_examples_keep_twenty_characters() {
        // ZM p20: 064-0804 29-1524-23-2-501 is cut after the 20th character.
        let chars = characters("0640804", "29-1524-23-2-501").unwrap();
        assert_eq!(spelled(&chars[..20]), "064080429-1524-23-2-");
        // ZM p20: a letter's control code that falls 20th stays, its digit goes.
        let chars = characters("9100067", "3-80-25J1-2B").unwrap();
        assert_eq!(spelled(&chars[..20]), "91000673-80-25[CC1]91-2[CC1]");
    }

    #[test]
    fn check_values_ten_to_eighteen_are_the_hyphen_and_control_codes() {
        // ZM p25 (as transcribed in the research notes): 014-0113 60-1 → CC8.
        let chars = characters("0140113", "60-1").unwrap();
        assert_eq!(*chars.last().unwrap(), Char::Control(8));
        let chars = characters("2630023", "3-30-8-403").unwrap();
        assert_eq!(*chars.last().unwrap(), Char::Digit(5));
    }

    #[test]
    fn two_worked_symbols_have_their_published_bars() {
        // The manual's p6 examples as encoded by zint's tests (third party).
        let chars = characters("1540023", "3-16-4-205").unwrap();
        assert_eq!(
            letters(&bars(&chars)),
            "FDFFTFTFFADFTTFTTFDADFADFATFTFFTDAFTFTFADTFTFDAFTTFTFTDATDATDADAFDF"
        );
        let chars = characters("3501106", "22-1A308").unwrap();
        assert_eq!(
            letters(&bars(&chars)),
            "FDDFAFTFFTTFFTFFTFTTDAFFDAFDATFTFFTDATFTTDFAFTTADFTDATDATDATDAFTFDF"
        );
    }

    #[test]
    fn decoding_reads_back_what_was_encoded() {
        let chars = characters("1000013", "1-3-2-503").unwrap();
        assert_eq!(decode(&bars(&chars)), Some(chars));
        assert_eq!(decode(&bars(&[])[1..]), None);
    }

    #[test]
    fn no_symbol_without_a_full_postal_code_or_an_address_number() {
        assert_eq!(characters("100-001", "1-3-2"), None);
        assert_eq!(characters("1000013", ""), None);
    }
}
