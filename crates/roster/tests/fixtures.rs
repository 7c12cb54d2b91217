//! The four real-world rosters in tests/fixtures/rosters, each imported into
//! a fresh ledger and compared with its truth file: the exact number of
//! distinct people and every name, kana, postal code, phone, birthday,
//! address, status and DM flag.

mod common;

use std::path::Path;

use common::{digits, fixtures, import};
use daicho_ledger::contacts::local_today;
use daicho_ledger::import::FileCounts;
use daicho_ledger::{Actor, Coded, CustomerQuery, Ledger};
use daicho_roster::{plan, read, PlanOptions};

/// The search index agrees with the customers table, and both search paths
/// find the same people.
fn assert_search_index_sound(ledger: &Ledger) {
    ledger
        .conn()
        .execute(
            "INSERT INTO customer_fts(customer_fts) VALUES ('integrity-check')",
            [],
        )
        .expect("FTS index matches the table");
    for q in ["ヤマダ", "やまだ", "東京都", "090", "桜新町"] {
        let query = CustomerQuery {
            text: q.into(),
            limit: 1000,
            ..Default::default()
        };
        let fts = ledger
            .list_customers_via(&query, daicho_ledger::TextPath::Trigram, local_today())
            .unwrap();
        let scan = ledger
            .list_customers_via(&query, daicho_ledger::TextPath::Scan, local_today())
            .unwrap();
        assert_eq!(fts.total, scan.total, "{q}");
    }
}

/// Every person of the truth file, found and checked field by field.
fn check(file: &str) {
    let imported = import(file);
    let ledger = &imported.ledger;
    let people = imported.truth["people"].as_array().unwrap();
    let all = ledger
        .list_customers(
            &CustomerQuery {
                limit: 1000,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    let customers: Vec<_> = all
        .rows
        .iter()
        .map(|r| ledger.customer(r.id).unwrap())
        .collect();
    assert_eq!(
        all.total as usize,
        people.len(),
        "{file}: distinct people (skipped: {:?})",
        imported.plan.skipped.iter().take(5).collect::<Vec<_>>()
    );
    let statuses = ledger.statuses().unwrap();
    let problems: Vec<String> = people
        .iter()
        .flat_map(|person| person_problems(person, &customers, &statuses))
        .collect();
    assert!(
        problems.is_empty(),
        "{file}: {} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// What differs between one person of the truth file and the customer
/// found for them by name and phone (or that none was found).
fn person_problems(
    person: &serde_json::Value,
    customers: &[daicho_ledger::Customer],
    statuses: &[daicho_ledger::Status],
) -> Vec<String> {
    let s = |k: &str| person[k].as_str().unwrap_or("").to_string();
    let phone = digits(&s("phone"));
    let found = customers.iter().find(|c| {
        c.fields.family_name == s("family")
            && c.fields.given_name == s("given")
            && (digits(&c.fields.phone) == phone || digits(&c.fields.mobile) == phone)
    });
    let Some(c) = found else {
        return vec![format!(
            "not found: {} {} {}",
            s("family"),
            s("given"),
            s("phone")
        )];
    };
    let f = &c.fields;
    let status = statuses
        .iter()
        .find(|st| Some(st.id) == f.status_id)
        .map(|st| st.name.clone())
        .unwrap_or_default();
    let fields = [
        ("family_kana", f.family_kana.clone(), s("family_kana")),
        ("given_kana", f.given_kana.clone(), s("given_kana")),
        ("zip", f.postal_code.clone(), s("zip")),
        ("prefecture", f.prefecture.clone(), s("prefecture")),
        ("city", f.city.clone(), s("city")),
        ("street", f.address1.clone(), s("street")),
        ("building", f.address2.clone(), s("building")),
        (
            "birthday",
            f.birthday.clone().unwrap_or_default(),
            s("birthday"),
        ),
        ("status", status, s("status")),
        (
            "dm_opt_out",
            f.dm_opt_out.to_string(),
            person["dm_opt_out"].as_bool().unwrap().to_string(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, got, want)| got != want)
        .map(|(what, got, want)| {
            format!("{} {}: {what} {got:?} ≠ {want:?}", s("family"), s("given"))
        })
        .collect()
}

#[test]
fn roster_basic() {
    check("roster_basic.xlsx");
}

#[test]
fn roster_messy() {
    check("roster_messy.xlsx");
}

#[test]
fn roster_fude_sjis() {
    check("roster_fude_sjis.csv");
    assert_search_index_sound(&import("roster_fude_sjis.csv").ledger);
}

#[test]
fn roster_legacy() {
    check("roster_legacy.xls");
}

#[test]
fn messy_file_reports_its_footer_and_duplicates() {
    let imported = import("roster_messy.xlsx");
    assert_eq!(imported.plan.sheets[0].header_row, 4);
    assert!(
        imported
            .plan
            .skipped
            .iter()
            .any(|s| s.reason.contains("合計")),
        "{:?}",
        imported.plan.skipped
    );
    assert_eq!(
        imported.plan.records.len() + imported.plan.merged_in_file as usize,
        432
    );
}

#[test]
fn importing_the_same_file_twice_creates_no_duplicates() {
    let mut imported = import("roster_basic.xlsx");
    let book = read(&fixtures().join("roster_basic.xlsx"), None).unwrap();
    let plan = plan(
        book,
        &imported.ledger.statuses().unwrap(),
        &PlanOptions::default(),
    )
    .unwrap();
    let again = imported
        .ledger
        .import_records(
            &Actor::system(),
            "again",
            &plan.records,
            FileCounts::default(),
            &mut |_, _| true,
        )
        .unwrap();
    assert_eq!((again.created, again.merged), (0, 300));
    assert_eq!(imported.ledger.stats().unwrap().customers, 300);
    assert_search_index_sound(&imported.ledger);
}

/// A ledger already holding 松田 春香 (who is also in roster_basic.xlsx),
/// with whatever else `fields` gives her.
fn ledger_with_matsuda(
    dir: &Path,
    fields: daicho_ledger::CustomerFields,
) -> (Ledger, daicho_ledger::Customer) {
    let mut ledger = Ledger::open(dir.join("daicho.sqlite3")).unwrap();
    let base = daicho_ledger::CustomerFields {
        family_name: "松田".into(),
        given_name: "春香".into(),
        mobile: "06-7217-9682".into(),
        ..fields
    };
    let existing = ledger.create_customer(&Actor::user(None), &base).unwrap();
    (ledger, existing)
}

#[test]
fn undo_removes_created_customers_and_restores_merged_fields() {
    let dir = tempfile::tempdir().unwrap();
    // Someone already in the ledger, with no birthday and no postal code.
    let (mut ledger, existing) = ledger_with_matsuda(dir.path(), Default::default());
    let book = read(&fixtures().join("roster_basic.xlsx"), None).unwrap();
    let plan = plan(book, &ledger.statuses().unwrap(), &PlanOptions::default()).unwrap();
    let outcome = ledger
        .import_records(
            &Actor::system(),
            "roster_basic.xlsx",
            &plan.records,
            FileCounts::default(),
            &mut |_, _| true,
        )
        .unwrap();
    assert_eq!((outcome.created, outcome.merged), (299, 1));
    let merged = ledger.customer(existing.id).unwrap();
    assert_eq!(merged.fields.postal_code, "030-0801");
    assert_eq!(merged.fields.birthday.as_deref(), Some("1993-10-17"));
    assert_search_index_sound(&ledger);
    assert_eq!(
        ledger
            .list_customers(
                &CustomerQuery {
                    text: "0300801".into(),
                    ..Default::default()
                },
                local_today()
            )
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.id == existing.id)
            .count(),
        1,
        "the merged postal code is searchable"
    );

    ledger
        .undo_import(&Actor::user(None), outcome.batch)
        .unwrap();
    assert_eq!(ledger.stats().unwrap().customers, 1);
    let restored = ledger.customer(existing.id).unwrap();
    assert_eq!(
        (
            restored.fields.postal_code.as_str(),
            restored.fields.birthday.as_deref()
        ),
        ("", None)
    );
    assert_eq!(restored.fields.mobile, "06-7217-9682");
    assert_eq!(
        ledger
            .undo_import(&Actor::user(None), outcome.batch)
            .unwrap_err()
            .code(),
        "conflict",
        "undone once only"
    );
    assert!(ledger.import_batches().unwrap()[0].undone_at.is_some());
    assert_search_index_sound(&ledger);
}

#[test]
fn cancelling_leaves_the_ledger_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let mut ledger = Ledger::open(&path).unwrap();
    let book = read(&fixtures().join("roster_legacy.xls"), None).unwrap();
    let plan = plan(book, &ledger.statuses().unwrap(), &PlanOptions::default()).unwrap();
    let mut calls = 0;
    let err = ledger
        .import_records(
            &Actor::system(),
            "roster_legacy.xls",
            &plan.records,
            FileCounts::default(),
            &mut |done, _| {
                calls += 1;
                done < 150
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert!(calls > 100);
    assert_eq!(ledger.stats().unwrap().customers, 0);
    assert!(ledger.import_batches().unwrap().is_empty());
}

#[test]
fn bad_files_are_refused_by_name_with_the_ledger_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daicho.sqlite3");
    let ledger = Ledger::open(&path).unwrap();
    let good = std::fs::read(fixtures().join("roster_basic.xlsx")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.xlsx",
            good[..good.len() / 2].to_vec(),
            "roster_corrupt",
        ),
        (
            "photo.xlsx",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "roster_corrupt",
        ),
        // Found by fuzzing: calamine panics on this broken .xls directory.
        (
            "broken_directory.xls",
            std::fs::read(fixtures().join("broken_directory.xls")).unwrap(),
            "roster_corrupt",
        ),
        // Found by fuzzing: a cell at row 65,536, column 16,001 made calamine
        // allocate a sheet of a billion cells, and the process aborted.
        (
            "oversized_sheet.xls",
            std::fs::read(fixtures().join("oversized_sheet.xls")).unwrap(),
            "roster_corrupt",
        ),
        ("empty.csv", Vec::new(), "roster_empty"),
        (
            "memo.csv",
            "今日の予定\n打合せ 10時\n".as_bytes().to_vec(),
            "roster_no_header",
        ),
    ];
    for (name, bytes, code) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let err =
            daicho_roster::plan_file(&file, &ledger, PlanOptions::default(), None).unwrap_err();
        assert_eq!(err.code(), code, "{name}");
        let message = err.to_string();
        assert!(message.contains(name), "{name}: {err}");
        // Told in Japanese: no English words from the reader library.
        let english = message
            .replace(name, "")
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| word.len() >= 3 && word.chars().all(|c| c.is_ascii_lowercase()));
        assert!(!english, "{name}: {err}");
    }
    assert_eq!(ledger.stats().unwrap().customers, 0);
}

#[test]
fn a_saved_mapping_is_found_again_by_header_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let file = fixtures().join("roster_basic.xlsx");
    let (first, saved) =
        daicho_roster::plan_file(&file, &ledger, PlanOptions::default(), None).unwrap();
    assert_eq!(saved, None);
    // The office decides the 備考 column should be ignored and saves that.
    let mut mapping = daicho_roster::plan::mapping_of(&first);
    mapping.insert("備考".into(), Some(daicho_roster::Field::Ignore));
    ledger
        .save_mapping(&daicho_ledger::import::SavedMapping {
            name: "基本名簿".into(),
            header_signature: first.header_signature.clone(),
            mapping: serde_json::to_string(&mapping).unwrap(),
        })
        .unwrap();
    let (second, saved) =
        daicho_roster::plan_file(&file, &ledger, PlanOptions::default(), None).unwrap();
    assert_eq!(saved.as_deref(), Some("基本名簿"));
    let notes = second.sheets[0]
        .columns
        .iter()
        .find(|c| c.header == "備考")
        .unwrap();
    assert_eq!(notes.field, Some(daicho_roster::Field::Ignore));
    assert!(second
        .records
        .iter()
        .all(|r| !r.fields.notes.contains("要連絡")));
}

#[test]
fn the_report_lists_skipped_rows_and_warnings_and_never_half_writes() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let (plan, _) = daicho_roster::plan_file(
        &fixtures().join("roster_messy.xlsx"),
        &ledger,
        PlanOptions::default(),
        None,
    )
    .unwrap();
    let preview = daicho_roster::session::preview(&ledger, &plan, None).unwrap();
    let dest = dir.path().join("report.xlsx");
    daicho_roster::report::write_report(&preview, &dest, false).unwrap();
    let book = read(&dest, None).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["概要", "スキップ", "注意", "既存と異なる値"]);
    let skipped = &book.sheets[1].rows;
    assert_eq!(skipped[1][1].text(), "438");
    assert!(skipped[1][2].text().contains("合計"));
    let before = std::fs::read(&dest).unwrap();
    assert_eq!(
        daicho_roster::report::write_report(&preview, &dest, false)
            .unwrap_err()
            .code(),
        "file_exists"
    );
    assert_eq!(
        std::fs::read(&dest).unwrap(),
        before,
        "the existing file is untouched"
    );
    let missing = dir.path().join("no-such-folder").join("report.xlsx");
    assert!(daicho_roster::report::write_report(&preview, &missing, false).is_err());
    assert!(!missing.exists());
}

/// Commits a plan as the app does, without cancelling or watching progress.
fn commit(ledger: &mut Ledger, plan: &daicho_roster::RosterPlan) {
    daicho_roster::session::commit(
        ledger,
        &Actor::system(),
        plan,
        &std::sync::atomic::AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
}

#[test]
fn choosing_the_files_value_for_a_conflict_replaces_the_ledgers() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ledger, existing) = ledger_with_matsuda(
        dir.path(),
        daicho_ledger::CustomerFields {
            postal_code: "100-0001".into(),
            ..Default::default()
        },
    );
    let file = fixtures().join("roster_basic.xlsx");
    let (plan, _) = daicho_roster::plan_file(&file, &ledger, PlanOptions::default(), None).unwrap();
    let preview = daicho_roster::session::preview(&ledger, &plan, None).unwrap();
    let conflict = preview
        .conflicts
        .iter()
        .find(|c| c.conflict.field == "postal_code")
        .unwrap();
    assert_eq!(
        (
            conflict.conflict.existing.as_str(),
            conflict.conflict.incoming.as_str(),
            conflict.conflict.use_incoming
        ),
        ("100-0001", "030-0801", false)
    );
    let options = PlanOptions {
        take_incoming: vec![daicho_roster::plan::FieldChoice {
            row: conflict.row.clone(),
            field: "postal_code".into(),
        }],
        ..Default::default()
    };
    let (plan, _) = daicho_roster::plan_file(&file, &ledger, options, None).unwrap();
    assert!(daicho_roster::session::preview(&ledger, &plan, None)
        .unwrap()
        .conflicts
        .iter()
        .any(|c| c.conflict.field == "postal_code" && c.conflict.use_incoming));
    commit(&mut ledger, &plan);
    assert_eq!(
        ledger.customer(existing.id).unwrap().fields.postal_code,
        "030-0801"
    );
}

#[test]
fn same_name_at_neighbouring_block_numbers_is_two_people() {
    // Without a phone, name and address are the only key: 日吉1-23 and
    // 日吉12-3 must not meet when the dashes are folded away, while the
    // same house written in full-width digits must.
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let roster = dir.path().join("hiyoshi.csv");
    std::fs::write(
        &roster,
        "氏名,郵便番号,住所\n\
         山田 太郎,223-0061,神奈川県横浜市港北区日吉1-23\n\
         山田 太郎,223-0061,神奈川県横浜市港北区日吉12-3\n\
         山田 太郎,223-0061,神奈川県横浜市港北区日吉１－２３\n",
    )
    .unwrap();
    let (plan, _) =
        daicho_roster::plan_file(&roster, &ledger, PlanOptions::default(), None).unwrap();
    commit(&mut ledger, &plan);
    let addresses: Vec<String> = ledger
        .conn()
        .prepare("SELECT address1 FROM customers ORDER BY address1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(addresses, ["日吉1-23", "日吉12-3"]);
}

#[test]
fn nothing_in_a_report_becomes_a_formula() {
    // The file's name comes back in every row of the report as its sheet
    // name, and a name is whatever the sender chose.
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let roster = dir.path().join("=HYPERLINK(1).csv");
    std::fs::write(
        &roster,
        "氏名,住所,電話\n\
         山田 太郎,東京都世田谷区桜新町1-2-3,03-2099-7843\n\
         佐藤,,\n\
         鈴木一郎,東京都世田谷区桜新町1-2-4,+1 555\n",
    )
    .unwrap();
    let (plan, _) =
        daicho_roster::plan_file(&roster, &ledger, PlanOptions::default(), None).unwrap();
    let preview = daicho_roster::session::preview(&ledger, &plan, None).unwrap();
    let dest = dir.path().join("report.xlsx");
    daicho_roster::report::write_report(&preview, &dest, false).unwrap();

    // An .xlsx text cell is never evaluated: the name comes back exactly as
    // written, with no apostrophe added, and no cell holds a formula.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&dest).unwrap();
    let mut hostile = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        hostile.extend(
            range
                .used_cells()
                .map(|(_, _, c)| c.to_string())
                .filter(|t| t.contains("HYPERLINK")),
        );
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}: a formula"
        );
    }
    // The summary's file name, and the sheet name of the skipped row and
    // of each warning.
    assert!(hostile.len() >= 4, "{hostile:?}");
    for text in hostile {
        assert!(text.starts_with("=HYPERLINK(1)"), "{text}");
    }
}

#[test]
fn previews_say_which_rows_were_paired_and_which_columns_nobody_mapped() {
    let statuses = Ledger::open(tempfile::tempdir().unwrap().path().join("l.sqlite3"))
        .unwrap()
        .statuses()
        .unwrap();
    let planned = |file: &str| {
        let book = read(&fixtures().join(file), None).unwrap();
        plan(book, &statuses, &PlanOptions::default()).unwrap()
    };
    let two_row = planned("roster_two_row.xlsx");
    let sheet = &two_row.sheets[0];
    assert_eq!(sheet.lines, 2);
    assert_eq!(sheet.paired_rows[..3], [6, 8, 10]);
    assert!(sheet
        .columns
        .iter()
        .any(|c| c.line == 1 && c.header.contains("氏")));

    let csv = planned("roster_realworld_sjis.csv");
    let unmapped: Vec<&str> = csv.unmapped.iter().map(|c| c.header.as_str()).collect();
    assert!(unmapped.contains(&"登録日"), "{unmapped:?}");
    assert!(csv.unmapped.iter().all(|c| !c.samples.is_empty()));
    assert!(csv.has_status_column);

    let households = planned("roster_households.xlsx");
    assert!(!households.has_status_column);
}

#[test]
fn status_wordings_corrected_once_are_saved_with_the_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    let file = fixtures().join("roster_labelsoft_export.csv");
    let (first, _) =
        daicho_roster::plan_file(&file, &ledger, PlanOptions::default(), None).unwrap();
    let negotiating = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "商談中")
        .unwrap();
    // The office reads its group 「見学会」 as a negotiation and saves that.
    let choices = daicho_roster::SavedChoices {
        columns: daicho_roster::plan::mapping_of(&first),
        status_values: [("見学会".to_string(), negotiating.id)].into(),
    };
    ledger
        .save_mapping(&daicho_ledger::import::SavedMapping {
            name: "筆まめ".into(),
            header_signature: first.header_signature.clone(),
            mapping: choices.to_json(),
        })
        .unwrap();
    let (second, saved) =
        daicho_roster::plan_file(&file, &ledger, PlanOptions::default(), None).unwrap();
    assert_eq!(saved.as_deref(), Some("筆まめ"));
    let value = second
        .status_values
        .iter()
        .find(|v| v.value == "見学会")
        .unwrap();
    assert_eq!(value.status_id, Some(negotiating.id));
}
