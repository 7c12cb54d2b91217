//! geolonia's and japanese-address-parser's test addresses, and every
//! municipality of Japan followed by its first town, split as the file's
//! `adaptation` says: prefecture and city exactly, and nothing lost.

mod common {
    pub mod external;
}

use common::external;
use daicho_text::split_address;
use unicode_normalization::UnicodeNormalization;

/// NFKC with white space removed and every dash-like character read as '-'.
fn comparable(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | 'ー' | '－' | '─' | '━' => {
                '-'
            }
            c => c,
        })
        .collect()
}

#[test]
fn every_public_address_splits_exactly() {
    let Some(file) = external::load("address.json") else {
        return;
    };
    let cases = file["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let text = |k: &str| case[k].as_str().unwrap_or("");
        let input = text("input");
        let parts = split_address(input);
        let want_prefecture = comparable(text("prefecture"));
        let prefecture_ok = comparable(&parts.prefecture) == want_prefecture
            || (want_prefecture.is_empty() && !comparable(input).starts_with(&parts.prefecture));
        let given_back =
            if want_prefecture.is_empty() && prefecture_ok && !parts.prefecture.is_empty() {
                format!("{}{}", parts.city, parts.rest)
            } else {
                format!("{}{}{}", parts.prefecture, parts.city, parts.rest)
            };
        let ok = prefecture_ok
            && comparable(&parts.city) == comparable(text("city"))
            && comparable(&given_back) == comparable(input);
        if !ok {
            failures.push(format!(
                "{} {input}: got {:?} / {:?} / {:?}, want {:?} / {:?}",
                text("id"),
                parts.prefecture,
                parts.city,
                parts.rest,
                text("prefecture"),
                text("city")
            ));
        }
    }
    external::assert_all_pass("address.json", cases.len(), &failures);
}
