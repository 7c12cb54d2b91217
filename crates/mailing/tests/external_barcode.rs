//! Japan Post's worked examples of the 住所表示番号 and implementers' tests
//! (barcode.json of the shared external tests), fed as its `adaptation`
//! says: the address after the city, compared whole, or cut to the 13
//! barcode characters where only those are known.

#[path = "../../text/tests/common/external.rs"]
mod external;

use daicho_mailing::barcode::address_number;
use serde_json::Value;

/// The barcode carries 13 characters after the postal code, and a letter
/// takes two of them (a control code and a digit), so a long number is cut.
fn first_13_barcode_characters(number: &str) -> String {
    let mut width = 0;
    number
        .chars()
        .take_while(|c| {
            width += if c.is_ascii_uppercase() { 2 } else { 1 };
            width <= 13
        })
        .collect()
}

fn field<'a>(case: &'a Value, name: &str) -> Option<&'a str> {
    case.get(name).and_then(Value::as_str)
}

#[test]
fn japan_posts_worked_examples_and_implementers_tests() {
    let Some(file) = external::load("barcode.json") else {
        return;
    };
    let cases = file["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    let mut after_town_passes = 0;
    for case in cases {
        let id = field(case, "id").unwrap_or("?");
        let judged = |input: &str| {
            let number = address_number(input);
            match (field(case, "expected"), field(case, "expected_barcode13")) {
                (Some(expected), _) => (number == expected, number, expected.to_string()),
                (None, Some(expected)) => {
                    let cut = first_13_barcode_characters(&number);
                    (cut == expected, cut, expected.to_string())
                }
                (None, None) => panic!("{id}: no expected value"),
            }
        };
        let after_city = field(case, "after_city").expect("after_city");
        let (pass, got, expected) = judged(after_city);
        if !pass {
            failures.push(format!("{id}: {after_city} → {got}, expected {expected}"));
        }
        if field(case, "after_town").is_some_and(|t| judged(t).0) {
            after_town_passes += 1;
        }
    }
    eprintln!(
        "for information: {after_town_passes} of {} pass when fed after_town",
        cases.len()
    );
    external::assert_all_pass("barcode address numbers", cases.len(), &failures);
}
