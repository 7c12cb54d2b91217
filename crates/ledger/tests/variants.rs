//! Search finds a name written with variant kanji (issue 13): the ledger's
//! keys fold them through daicho_text::search_key.

use daicho_ledger::contacts::local_today;
use daicho_ledger::*;

fn ledger_with(names: &[(&str, &str)]) -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    for (family, given) in names {
        let fields = CustomerFields {
            family_name: family.to_string(),
            given_name: given.to_string(),
            ..Default::default()
        };
        ledger.create_customer(&Actor::user(None), &fields).unwrap();
    }
    (dir, ledger)
}

fn found(ledger: &Ledger, text: &str) -> Vec<String> {
    let q = CustomerQuery {
        text: text.into(),
        ..Default::default()
    };
    let mut names: Vec<String> = ledger
        .list_customers(&q, local_today())
        .unwrap()
        .rows
        .iter()
        .map(|r| ledger.customer(r.id).unwrap().fields.family_name)
        .collect();
    names.sort();
    names
}

#[test]
fn each_spelling_finds_every_variant_of_a_name() {
    let (_dir, ledger) = ledger_with(&[
        ("𠮷田", "一郎"),
        ("齋藤", "花子"),
        ("齊藤", "次郎"),
        ("斎藤", "三郎"),
        ("渡邉", "四郎"),
        ("山田", "太郎"),
    ]);
    // Two characters go through the plain scan, three or more through the
    // trigram index: both must fold.
    assert_eq!(found(&ledger, "吉田"), ["𠮷田"]);
    assert_eq!(found(&ledger, "吉田一郎"), ["𠮷田"]);
    assert_eq!(found(&ledger, "斉藤"), ["斎藤", "齊藤", "齋藤"]);
    assert_eq!(found(&ledger, "さいとう").len(), 0, "kana is not the kanji");
    assert_eq!(found(&ledger, "渡辺"), ["渡邉"]);
    assert_eq!(found(&ledger, "渡邊四郎"), ["渡邉"]);
}

#[test]
fn stored_names_keep_the_characters_as_written() {
    let (_dir, ledger) = ledger_with(&[("髙橋", "花子")]);
    let customer = ledger.customer(1).unwrap();
    assert_eq!(customer.fields.family_name, "髙橋");
    assert_eq!(found(&ledger, "高橋"), ["髙橋"]);
}
