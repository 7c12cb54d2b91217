//! The Ministry's table of area and exchange codes and implementers' tests
//! (phone.json), fed exactly as its `adaptation` says.

mod common {
    pub mod external;
}

use daicho_text::normalize_phone;
use serde_json::Value;

fn text(v: &Value) -> &str {
    v.as_str().expect("a string field")
}

#[test]
fn every_case_and_every_mic_prefix_groups_as_expected() {
    let Some(file) = common::external::load("phone.json") else {
        return;
    };
    let mut expected: Vec<(String, String)> = file["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| {
            (
                text(&c["input"]).to_string(),
                text(&c["expected"]).to_string(),
            )
        })
        .collect();
    // A MIC row [prefix, 市外局番, 市内局番] stands for prefix + "1234".
    expected.extend(file["mic"].as_array().expect("mic rows").iter().map(|row| {
        let (prefix, area, exchange) = (text(&row[0]), text(&row[1]), text(&row[2]));
        (format!("{prefix}1234"), format!("{area}-{exchange}-1234"))
    }));
    let failures: Vec<String> = expected
        .iter()
        .filter_map(|(input, want)| {
            let got = normalize_phone(input);
            (got.as_deref() != Some(want.as_str()))
                .then(|| format!("{input:?}: expected {want}, got {got:?}"))
        })
        .collect();
    common::external::assert_all_pass("phone.json", expected.len(), &failures);
}
