//! The Japanese text rules on any text: no panic, and each normalizer is
//! idempotent (what it returns, it returns unchanged).
#![no_main]

use daicho_text::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(postal) = normalize_postal(text) {
        assert_eq!(normalize_postal(&postal).as_deref(), Some(postal.as_str()));
    }
    if let Some(phone) = normalize_phone(text) {
        assert_eq!(normalize_phone(&phone).as_deref(), Some(phone.as_str()));
        // The digits are kept; a leading zero lost in a spreadsheet comes
        // back, and the country code +81 becomes the trunk prefix 0.
        // A spreadsheet's '… or ="…" around the number is no part of it.
        let folded = fold_width(text);
        let written = unwrap(folded.trim()).trim_start();
        let (given, kept) = (phone_digits(text), phone_digits(&phone));
        let domestic = given.strip_prefix("81").map(|rest| format!("0{rest}"));
        assert!(
            kept == given
                || kept == format!("0{given}")
                || (written.starts_with('+') && Some(&kept) == domestic.as_ref()),
            "{text:?} -> {phone:?}"
        );
    }
    let key = search_key(text);
    assert_eq!(search_key(&key), key);
    let kana = normalize_kana(text);
    assert_eq!(normalize_kana(&kana), kana);
    let folded = fold_width(text);
    assert_eq!(fold_width(&folded), folded);
    let address = address_key(&[text]);
    assert_eq!(address_key(&[&address]), address, "{text:?}");
    assert_eq!(parse_date(text), read_date(text).ok());
    for phone in split_phones(text) {
        assert_eq!(normalize_phone(&phone).as_deref(), Some(phone.as_str()));
    }
    // Splitting loses nothing but the spaces between the parts.
    let parts = split_address(text);
    let unspaced = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(
        unspaced(&format!("{}{}{}", parts.prefecture, parts.city, parts.rest)),
        unspaced(&address::fold_address(text)),
        "{text:?}"
    );
    let (read, _) = read_address(text, "", text);
    // A street in the ledger's form reads back as itself.
    let again = street::read_street(&read.street, None);
    assert_eq!(again.street, read.street, "{text:?}");
    let _ = split_person(text, text);
    let _ = to_katakana(text);
});
