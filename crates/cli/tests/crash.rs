//! Crash safety: the `daicho` process is killed with SIGKILL at spread-out
//! moments of an import, a DM export and a burst of edits (50 kills in all).
//! After every kill the ledger passes `PRAGMA integrity_check` and holds
//! either the state before the interrupted work or the state after it,
//! never a part of it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;
use rusqlite::Connection;

mod common;
use common::{count, integrity, write_roster};

const IMPORT_KILLS: u32 = 20;
const EXPORT_KILLS: u32 = 15;
const EDIT_KILLS: u32 = 15;
const ROSTER_ROWS: u64 = 4000;

fn daicho(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_daicho"));
    command
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn run(db: &Path, args: &[&str]) {
    let status = daicho(db).args(args).status().unwrap();
    assert!(status.success(), "daicho {args:?}");
}

/// A thousand `daicho add` in a row, each its own process and transaction.
const BURST_SCRIPT: &str = r#"i=0; while [ $i -lt 1000 ]; do
  "$0" --db "$1" add --family 連続 --given "$i" --mobile 090-1111-$(printf %04d $i) >/dev/null 2>&1
  i=$((i+1))
done"#;

/// Customers written without their creation's history: half an edit.
const TORN_CUSTOMERS: &str = "SELECT count(*) FROM customers c
     WHERE NOT EXISTS (SELECT 1 FROM status_history h WHERE h.customer_id = c.id)
        OR NOT EXISTS (SELECT 1 FROM change_log l
                       WHERE l.entity = 'customer' AND l.entity_id = c.id AND l.field = 'created')";

/// Every table's rows, hashed in rowid order: equal hashes, equal ledgers.
fn fingerprint(db: &Path) -> u64 {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema \
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut hasher = DefaultHasher::new();
    for table in tables {
        table.hash(&mut hasher);
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                match row.get_ref(i).unwrap() {
                    ValueRef::Null => 0u8.hash(&mut hasher),
                    ValueRef::Integer(v) => v.hash(&mut hasher),
                    ValueRef::Real(v) => v.to_bits().hash(&mut hasher),
                    ValueRef::Text(v) | ValueRef::Blob(v) => v.hash(&mut hasher),
                }
            }
        }
    }
    hasher.finish()
}

/// The ledger's files (with its WAL) copied aside and put back between kills.
struct Pristine {
    db: PathBuf,
    saved: PathBuf,
}

impl Pristine {
    fn save(db: &Path) -> Self {
        let saved = db.with_extension("pristine");
        std::fs::create_dir_all(&saved).unwrap();
        let this = Self {
            db: db.to_path_buf(),
            saved,
        };
        for (from, to) in this.files() {
            let _ = std::fs::remove_file(&to);
            if from.exists() {
                std::fs::copy(&from, &to).unwrap();
            }
        }
        this
    }

    fn restore(&self) {
        for (to, from) in self.files() {
            let _ = std::fs::remove_file(&to);
            if from.exists() {
                std::fs::copy(&from, &to).unwrap();
            }
        }
    }

    fn files(&self) -> Vec<(PathBuf, PathBuf)> {
        ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| {
                let name = format!("{}{suffix}", self.db.file_name().unwrap().to_string_lossy());
                (self.db.with_file_name(&name), self.saved.join(&name))
            })
            .collect()
    }
}

/// Starts `command`, kills it (SIGKILL, the whole process group) after
/// `delay`, and says whether it was still running when the kill came.
fn kill_after(mut command: Command, delay: Duration) -> bool {
    use std::os::unix::process::CommandExt;
    let mut child: Child = command.process_group(0).spawn().unwrap();
    std::thread::sleep(delay);
    let running = child.try_wait().unwrap().is_none();
    let group = i32::try_from(child.id()).unwrap();
    assert!(group > 1);
    // SAFETY: killpg only sends a signal; the group is the child's own.
    unsafe { libc::killpg(group, libc::SIGKILL) };
    child.wait().unwrap();
    running
}

/// The moment of the `k`-th of `n` kills: spread over the work's measured
/// length, the last few after it has finished.
fn moment(k: u32, n: u32, length: Duration) -> Duration {
    length.mul_f64((f64::from(k) + 0.5) / f64::from(n) * 1.15)
}

#[test]
fn killed_at_any_moment_the_ledger_is_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("daicho.sqlite3");
    run(&db, &["sample", "--count", "300"]);
    let pristine = Pristine::save(&db);
    let before = fingerprint(&db);
    let interrupted = kill_imports(dir.path(), &pristine, before)
        + kill_exports(dir.path(), &pristine, before)
        + kill_edit_bursts(&pristine);
    assert!(
        interrupted >= 30,
        "only {interrupted} of 50 kills landed while the work was running"
    );
}

/// An import, killed again and again: all its rows or none of them.
/// Returns how many kills landed while it ran (as the next two do).
fn kill_imports(dir: &Path, pristine: &Pristine, before: u64) -> u32 {
    let db = &pristine.db;
    let customers_before = count(db, "SELECT count(*) FROM customers");
    let roster = write_roster(dir, "roster.csv", ROSTER_ROWS as u32, 3000, "");
    let import = || {
        let mut c = daicho(db);
        c.arg("import").arg(&roster);
        c
    };
    let started = Instant::now();
    assert!(import().status().unwrap().success());
    let length = started.elapsed();
    let mut interrupted = 0;
    for k in 0..IMPORT_KILLS {
        pristine.restore();
        interrupted += u32::from(kill_after(import(), moment(k, IMPORT_KILLS, length)));
        assert_eq!(integrity(db), "ok", "import kill {k}");
        if fingerprint(db) != before {
            assert_eq!(
                count(db, "SELECT count(*) FROM customers"),
                customers_before + ROSTER_ROWS as i64,
                "import kill {k}: half an import"
            );
            assert_eq!(count(db, "SELECT count(*) FROM import_batches"), 1);
        }
    }
    interrupted
}

/// A DM export over last month's file: the record and the new file, or
/// neither. (A kill between the rename and the commit, a window of one
/// system call, leaves the new file with the old one beside it.)
fn kill_exports(dir: &Path, pristine: &Pristine, before: u64) -> u32 {
    let db = &pristine.db;
    let out = dir.join("dm.xlsx");
    let export = || {
        let mut c = daicho(db);
        c.args(["export", "dm", "--all", "--accept", "--replace", "--out"])
            .arg(&out);
        c
    };
    pristine.restore();
    std::fs::write(&out, b"last month").unwrap();
    let started = Instant::now();
    assert!(export().status().unwrap().success());
    let length = started.elapsed();
    let mut interrupted = 0;
    for k in 0..EXPORT_KILLS {
        pristine.restore();
        std::fs::write(&out, b"last month").unwrap();
        let _ = std::fs::remove_file(dir.join(".dm.xlsx.previous"));
        interrupted += u32::from(kill_after(export(), moment(k, EXPORT_KILLS, length)));
        assert_eq!(integrity(db), "ok", "export kill {k}");
        let recorded = count(db, "SELECT count(*) FROM mailings");
        let old_file = std::fs::read(&out).unwrap() == b"last month";
        if recorded == 0 {
            assert_eq!(fingerprint(db), before, "export kill {k}");
            assert!(
                old_file || dir.join(".dm.xlsx.previous").exists(),
                "export kill {k}: the old file is gone and nothing was recorded"
            );
        } else {
            assert_eq!(recorded, 1);
            assert!(!old_file, "export kill {k}: recorded but not written");
        }
    }
    interrupted
}

/// A burst of edits, one process after another: each customer whole.
fn kill_edit_bursts(pristine: &Pristine) -> u32 {
    let db = &pristine.db;
    let burst = || {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(BURST_SCRIPT)
            .arg(env!("CARGO_BIN_EXE_daicho"))
            .arg(db);
        c
    };
    pristine.restore();
    let mut interrupted = 0;
    let mut added_before = 0;
    for k in 0..EDIT_KILLS {
        interrupted += u32::from(kill_after(
            burst(),
            Duration::from_millis(150 + 97 * u64::from(k % 7)),
        ));
        assert_eq!(integrity(db), "ok", "edit kill {k}");
        let added = count(
            db,
            "SELECT count(*) FROM customers WHERE family_name = '連続'",
        );
        assert!(added >= added_before, "edit kill {k}: committed edits lost");
        added_before = added;
        let torn = count(db, TORN_CUSTOMERS);
        assert_eq!(torn, 0, "edit kill {k}: a customer without its history");
    }
    assert!(added_before > 0, "no edit was ever committed");
    interrupted
}
