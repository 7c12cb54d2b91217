//! Ruby's JIS X 0301 date tests, the wareki gem's spec and ya-wareki's golden
//! table of every era spelling (wareki.json), fed exactly as its `adaptation`
//! says: `parse_date` must give the expected date; categories starting with
//! `nogate:` are inputs the ledger refuses on purpose, measured but not
//! counted.

mod common {
    pub mod external;
}

use std::collections::BTreeMap;

use daicho_text::{parse_date, read_date, DateError};
use serde_json::Value;

struct Case<'a> {
    input: &'a str,
    expected: &'a str,
    category: &'a str,
}

fn text<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field].as_str().expect("a string field")
}

fn cases(file: &Value) -> Vec<Case<'_>> {
    file["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| Case {
            input: text(c, "input"),
            expected: text(c, "expected"),
            category: text(c, "category"),
        })
        .collect()
}

fn passes(case: &Case) -> bool {
    parse_date(case.input).map(|d| d.to_string()).as_deref() == Some(case.expected)
}

#[test]
fn every_counted_case_reads_as_its_date() {
    let Some(file) = common::external::load("wareki.json") else {
        return;
    };
    let cases = cases(&file);
    let (ungated, counted): (Vec<&Case>, Vec<&Case>) = cases
        .iter()
        .partition(|c| c.category.starts_with("nogate:"));
    // Measured only: how many of the inputs refused on purpose would match.
    let mut measured: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in &ungated {
        let (read, all) = measured.entry(case.category).or_default();
        *read += usize::from(passes(case));
        *all += 1;
    }
    for (category, (read, all)) in measured {
        eprintln!("{category}: {read} of {all} read as the source library reads them");
    }
    let failures: Vec<String> = counted
        .iter()
        .filter(|c| !passes(c))
        .map(|c| {
            let got = read_date(c.input);
            format!(
                "{:?} ({}): expected {}, got {got:?}",
                c.input, c.category, c.expected
            )
        })
        .collect();
    common::external::assert_all_pass("wareki.json", counted.len(), &failures);
}

/// Meiji 1–5 counted lunisolar months: such a date is refused with the reason,
/// never turned into a wrong Gregorian day.
#[test]
fn lunisolar_dates_are_refused_with_the_reason() {
    let Some(file) = common::external::load("wareki.json") else {
        return;
    };
    let cases = cases(&file);
    let lunisolar: Vec<&Case> = cases
        .iter()
        .filter(|c| c.category == "nogate:lunisolar")
        .collect();
    assert!(!lunisolar.is_empty(), "wareki.json has lunisolar cases");
    let failures: Vec<String> = lunisolar
        .iter()
        .filter_map(|c| {
            let got = read_date(c.input);
            (got != Err(DateError::Lunisolar)).then(|| format!("{:?}: got {got:?}", c.input))
        })
        .collect();
    common::external::assert_all_pass("wareki.json lunisolar refusals", lunisolar.len(), &failures);
}
