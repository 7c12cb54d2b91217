//! Micro-benchmarks of the hot paths, each in one criterion group beside the
//! bare work it builds on, so the report shows the ratio:
//! - the Japanese text rules on messy roster values vs NFKC alone;
//! - reading a roster fixture vs calamine's bare read of the same file;
//! - search at 10,000 customers (1, 2, 3+ characters) vs a plain LIKE scan;
//! - a segment filter compiled and counted vs the same condition in hand-written SQL.
//!
//! `cargo bench -p daicho-bench --bench micro`; figures in docs/benchmarks.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use calamine::{open_workbook_auto, Reader};
use criterion::{criterion_group, criterion_main, Criterion};
use daicho_ledger::segments::{Condition, Group, Part};
use daicho_ledger::{Actor, CustomerQuery, Ledger, TextPath};
use unicode_normalization::UnicodeNormalization;

/// Values as old rosters hold them: full-width digits, 〒, lost leading
/// zeros, 和暦, half-width kana, one address column.
const PHONES: [&str; 4] = [
    "０３（２０９９）７８４３",
    "320997843",
    "090-1234-5678",
    "045 123 4567",
];
const POSTALS: [&str; 4] = ["〒１５４－００１５", "600001", "154-0015", "1540015"];
const DATES: [&str; 4] = ["S48.5.12", "昭和48年5月12日", "2020/1/2", "令和元年5月1日"];
const ADDRESSES: [&str; 3] = [
    "東京都世田谷区桜新町１－２－３　桜マンション１０１",
    "北海道札幌市中央区北一条西2丁目1番地",
    "京都府京都市下京区烏丸通七条下ル東塩小路町721-1",
];
const NAMES: [(&str, &str); 3] = [
    ("山田　太郎", "ﾔﾏﾀﾞ ﾀﾛｳ"),
    ("髙橋 花子", "たかはし はなこ"),
    ("佐々木一郎", "ササキイチロウ"),
];

fn text_rules(c: &mut Criterion) {
    let all: Vec<&str> = PHONES
        .iter()
        .chain(&POSTALS)
        .chain(&DATES)
        .chain(&ADDRESSES)
        .copied()
        .chain(NAMES.iter().flat_map(|(n, k)| [*n, *k]))
        .collect();
    let mut group = c.benchmark_group("text");
    group.bench_function("bare NFKC of every value", |b| {
        b.iter(|| {
            all.iter()
                .map(|v| black_box(v).nfkc().count())
                .sum::<usize>()
        })
    });
    group.bench_function("Daichō rule for every value", |b| {
        b.iter(|| {
            PHONES.iter().for_each(|v| {
                let _ = black_box(daicho_text::normalize_phone(v));
            });
            POSTALS.iter().for_each(|v| {
                let _ = black_box(daicho_text::normalize_postal(v));
            });
            DATES.iter().for_each(|v| {
                let _ = black_box(daicho_text::parse_date(v));
            });
            ADDRESSES.iter().for_each(|v| {
                let _ = black_box(daicho_text::split_address(v));
            });
            NAMES.iter().for_each(|(n, k)| {
                let _ = black_box(daicho_text::split_person(n, k));
            });
        })
    });
    group.bench_function("search key of every value", |b| {
        b.iter(|| {
            all.iter()
                .map(|v| daicho_text::search_key(black_box(v)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/rosters")
        .join(name)
}

fn roster_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    for name in ["roster_messy.xlsx", "roster_legacy.xls"] {
        let path = fixture(name);
        group.bench_function(format!("{name}: calamine bare"), |b| {
            b.iter(|| {
                let mut book = open_workbook_auto(&path).unwrap();
                let mut cells = 0;
                for sheet in book.sheet_names() {
                    cells += book.worksheet_range(&sheet).unwrap().used_cells().count();
                }
                cells
            })
        });
        group.bench_function(format!("{name}: Daichō read"), |b| {
            b.iter(|| daicho_roster::read::read(&path, None).unwrap().sheets.len())
        });
    }
    group.finish();
}

/// A seeded 10,000-customer ledger, made once and kept in the temp folder.
fn ledger() -> Ledger {
    let path = std::env::temp_dir().join("daicho-micro-10000.sqlite3");
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let mut ledger = Ledger::open(&partial).unwrap();
        ledger.add_sample_data(&Actor::system(), 10_000, 7).unwrap();
        drop(ledger);
        std::fs::rename(&partial, &path).unwrap();
    }
    Ledger::open(&path).unwrap()
}

fn search(c: &mut Criterion) {
    let ledger = ledger();
    let conn = ledger.conn();
    let mut group = c.benchmark_group("search 10k");
    let today = daicho_ledger::contacts::local_today();
    for text in ["山", "ヤマ", "ヤマダ", "世田谷区"] {
        let query = CustomerQuery {
            text: text.into(),
            limit: 200,
            ..Default::default()
        };
        group.bench_function(format!("「{text}」 Daichō"), |b| {
            b.iter(|| {
                ledger
                    .list_customers_via(&query, TextPath::Auto, today)
                    .unwrap()
                    .total
            })
        });
        group.bench_function(format!("「{text}」 plain LIKE"), |b| {
            b.iter(|| daicho_bench::plain_like_search(conn, text))
        });
    }
    group.finish();
}

fn segment(c: &mut Criterion) {
    let ledger = ledger();
    let conn = ledger.conn();
    let filter = Group {
        all: true,
        parts: vec![
            Part::Condition {
                condition: Condition::PrefectureIn {
                    names: vec!["東京都".into()],
                },
            },
            Part::Condition {
                condition: Condition::HasUsableAddress { yes: true },
            },
        ],
    };
    let mut group = c.benchmark_group("segment 10k");
    let today = daicho_ledger::contacts::local_today();
    group.bench_function("Daichō filter, compiled and run", |b| {
        b.iter(|| ledger.filter_member_ids(&filter, today).unwrap().len())
    });
    group.bench_function("hand-written SQL", |b| {
        let mut stmt = conn
            .prepare(
                "SELECT c.id FROM customers c WHERE c.deleted_at IS NULL \
                 AND c.prefecture = '東京都' \
                 AND c.postal_code GLOB '[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]' \
                 AND c.address1 <> ''",
            )
            .unwrap();
        b.iter(|| stmt.query_map([], |r| r.get::<_, i64>(0)).unwrap().count())
    });
    group.finish();
}

/// Fewer, shorter samples than criterion's default: the micro-benchmarks
/// are many, and their figures are steady at this size.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
}

criterion_group! {
    name = micro;
    config = config();
    targets = text_rules, roster_read, search, segment
}
criterion_main!(micro);
