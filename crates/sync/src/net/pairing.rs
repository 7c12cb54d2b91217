//! The pairing code the hub shows and a person types on the new PC:
//! `123456-ABCD-EFGH`. The six digits are the one-time secret the hub
//! checks; the eight letters are the first 40 bits of the hub's
//! certificate fingerprint in Crockford base32, so the new PC can tell the
//! real hub from a machine that answers in its place before it sends the
//! secret.

use std::fmt;
use std::str::FromStr;

use crate::error::SyncError;

/// Crockford's base32: digits and capitals without I, L, O and U, so that
/// nothing reads as something else.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SECRET_DIGITS: usize = 6;
/// 40 bits of the fingerprint: eight base32 letters, ten hex digits.
const PIN_BYTES: usize = 5;
const PIN_LETTERS: usize = 8;

#[derive(Clone, PartialEq, Eq)]
pub struct PairingCode {
    secret: String,
    pin: [u8; PIN_BYTES],
}

impl PairingCode {
    /// The code for a secret of six digits and the hub's certificate
    /// fingerprint (lowercase or uppercase hex, as `Identity::fingerprint`).
    pub fn new(secret: &str, fingerprint: &str) -> Result<Self, SyncError> {
        let secret_ok = secret.len() == SECRET_DIGITS && secret.bytes().all(|b| b.is_ascii_digit());
        let pin = fingerprint_prefix(fingerprint);
        match (secret_ok, pin) {
            (true, Some(pin)) => Ok(Self {
                secret: secret.to_string(),
                pin,
            }),
            _ => Err(SyncError::Pairing(
                "ペアリングコードを作れません（秘密の数字は6桁、証明書の指紋は16進で指定します）。"
                    .into(),
            )),
        }
    }

    /// What a person typed: spaces, lowercase, full-width characters, the
    /// long vowel mark an IME makes of a hyphen, or no hyphens at all are
    /// taken as the same code.
    pub fn parse(text: &str) -> Result<Self, SyncError> {
        let chars: Vec<char> = text
            .chars()
            .map(narrow)
            .filter(|c| !is_separator(*c))
            .collect();
        let malformed = |why: String| {
            SyncError::Pairing(format!(
                "ペアリングコード「{}」の形が違います（{why}）。親機に表示された「\
                 123456-ABCD-EFGH」の形のコード（数字6桁と英数字8文字）を入力してください。",
                text.trim()
            ))
        };
        let wanted = SECRET_DIGITS + PIN_LETTERS;
        if chars.len() != wanted {
            return Err(malformed(format!(
                "{} 文字あります。区切りを除いて {wanted} 文字です",
                chars.len()
            )));
        }
        let (secret, letters) = chars.split_at(SECRET_DIGITS);
        if let Some(c) = secret.iter().find(|c| !c.is_ascii_digit()) {
            return Err(malformed(format!(
                "最初の6文字は数字です。「{c}」は数字ではありません"
            )));
        }
        let mut bits: u64 = 0;
        for c in letters {
            let value = crockford_value(*c)
                .ok_or_else(|| malformed(format!("「{c}」はコードに使わない文字です")))?;
            bits = bits << 5 | u64::from(value);
        }
        let mut pin = [0; PIN_BYTES];
        pin.copy_from_slice(&bits.to_be_bytes()[8 - PIN_BYTES..]);
        Ok(Self {
            secret: secret.iter().collect(),
            pin,
        })
    }

    /// The six digits the hub checks.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Whether a certificate fingerprint (hex) begins with this code's
    /// 40 bits.
    pub fn matches(&self, fingerprint: &str) -> bool {
        fingerprint_prefix(fingerprint) == Some(self.pin)
    }
}

impl fmt::Display for PairingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut padded = [0; 8];
        padded[8 - PIN_BYTES..].copy_from_slice(&self.pin);
        let bits = u64::from_be_bytes(padded);
        let letters: String = (0..PIN_LETTERS)
            .rev()
            .map(|i| char::from(CROCKFORD[(bits >> (5 * i) & 31) as usize]))
            .collect();
        write!(f, "{}-{}-{}", self.secret, &letters[..4], &letters[4..])
    }
}

/// The secret stays out of logs; the certificate part is no secret.
impl fmt::Debug for PairingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.to_string();
        write!(f, "PairingCode(******{})", &shown[SECRET_DIGITS..])
    }
}

impl FromStr for PairingCode {
    type Err = SyncError;

    fn from_str(text: &str) -> Result<Self, SyncError> {
        Self::parse(text)
    }
}

/// The first 40 bits of a hex fingerprint.
fn fingerprint_prefix(fingerprint: &str) -> Option<[u8; PIN_BYTES]> {
    let hex = fingerprint.get(..PIN_BYTES * 2)?;
    let mut pin = [0; PIN_BYTES];
    for (i, byte) in pin.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(pin)
}

/// Full-width ASCII (and the ideographic space) as its ASCII self,
/// uppercase.
fn narrow(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_uppercase()
}

/// Hyphens and what a Japanese keyboard or IME types for one.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_' | 'ー' | 'ｰ' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−'
        )
}

/// Crockford decoding: O reads as zero, I and L as one.
fn crockford_value(c: char) -> Option<u8> {
    let c = match c {
        'O' => '0',
        'I' | 'L' => '1',
        _ => c,
    };
    let position = CROCKFORD.iter().position(|&b| char::from(b) == c)?;
    u8::try_from(position).ok()
}

#[cfg(test)]
mod tests {
    use super::PairingCode;
    use daicho_ledger::{Coded, ErrorCode};

    const FINGERPRINT: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn a_code_reads_back_however_it_was_typed() {
        let code = PairingCode::new("042195", FINGERPRINT).unwrap();
        let shown = code.to_string();
        assert_eq!(shown, "042195-04HM-ASW9");
        for typed in [
            shown.clone(),
            shown.to_lowercase(),
            shown.replace('-', ""),
            "042195 04hm asw9".to_string(),
            "０４２１９５ー０４ＨＭーＡＳＷ９".to_string(),
            " 042195-04HM-ASW9\n".to_string(),
        ] {
            let parsed = PairingCode::parse(&typed).unwrap();
            assert_eq!(parsed, code, "{typed}");
            assert_eq!(parsed.secret(), "042195");
        }
        assert_eq!(
            PairingCode::parse("042195-O4HM-ASW9").unwrap(),
            code,
            "the letter O is the digit zero"
        );
        assert!(code.matches(FINGERPRINT));
        assert!(code.matches(&FINGERPRINT.to_uppercase()));
        assert!(!code.matches(&FINGERPRINT.replacen('0', "1", 1)));
    }

    #[test]
    fn a_malformed_code_says_what_is_wrong_in_japanese() {
        for (typed, says) in [
            ("12345-ABCD-EFGH", "13 文字あります"),
            ("123456-ABCD-EFGH-J", "15 文字あります"),
            ("12345A-ABCD-EFGH", "「A」は数字ではありません"),
            ("123456-ABCD-EFGU", "「U」はコードに使わない文字です"),
            ("", "0 文字あります"),
        ] {
            let error = PairingCode::parse(typed).unwrap_err();
            assert_eq!(error.code(), ErrorCode::PairingRefused);
            let message = error.to_string();
            assert!(message.contains(says), "{typed}: {message}");
            assert!(message.contains("123456-ABCD-EFGH"), "{message}");
        }
    }

    #[test]
    fn the_secret_stays_out_of_debug_output() {
        let code = PairingCode::new("042195", FINGERPRINT).unwrap();
        assert_eq!(format!("{code:?}"), "PairingCode(******-04HM-ASW9)");
    }
}
