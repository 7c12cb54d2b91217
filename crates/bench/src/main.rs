//! `daicho-bench`: whole-process benchmarks beside bare baselines, each run
//! in its own child process so that peak memory (VmHWM) is its own.
//!
//!   cargo run --release -p daicho-bench -- import --rows 100000
//!
//! prints a Markdown table for docs/benchmarks.md.

// The workspace's allocator (Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod roster_gen;
mod sync_bench;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use calamine::{open_workbook_auto, Reader};
use daicho_ledger::{Actor, Ledger};
use serde::{Deserialize, Serialize};

/// A field of /proc/PID/status in kB (`pid` is "self" for this process).
fn status_kb(pid: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn rss_kb() -> u64 {
    status_kb("self", "VmRSS:")
}

/// The cells of the DM list as Daichō's export writes them (a header row,
/// then the rows), read back from an export made first.
fn exported_cells(ledger_path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let request = dm_request();
    let work = tempfile::tempdir().expect("temp");
    let exported = work.path().join("dm.xlsx");
    export_dm(ledger_path, work.path(), &request, &exported);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&exported).expect("read back");
    let range = book.worksheet_range("DM").expect("sheet");
    let cells = range
        .rows()
        .skip(1)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let headers = request.columns.iter().map(|c| c.header.clone()).collect();
    (headers, cells)
}

/// rust_xlsxwriter alone, constant-memory mode, writing the same cells the
/// DM export writes (`exported_cells`, not timed).
fn dm_baseline(ledger_path: &Path) -> Run {
    let (headers, cells) = exported_cells(ledger_path);
    let out = tempfile::tempdir().expect("temp");
    let started = Instant::now();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().expect("sheet");
    for (c, header) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, header).expect("cell");
    }
    for (r, row) in cells.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, value)
                .expect("cell");
        }
    }
    let saving = Instant::now();
    book.save(out.path().join("bare.xlsx")).expect("save");
    Run {
        seconds: started.elapsed().as_secs_f64(),
        peak_kb: peak_kb(),
        save_seconds: saving.elapsed().as_secs_f64(),
        ..Run::default()
    }
}

/// The peer an office has: a Python script writing the same cells with
/// openpyxl in write-only mode (`peers/openpyxl_dm.py`), timed inside the
/// script from the first cell to the saved file, like the bare write.
fn dm_openpyxl(ledger_path: &Path) -> Run {
    let work = tempfile::tempdir().expect("temp");
    let cells = work.path().join("cells.json");
    std::fs::write(
        &cells,
        serde_json::to_vec(&exported_cells(ledger_path)).expect("json"),
    )
    .expect("cells");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("DAICHO_BENCH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../../tests/e2e/.venv/bin/python"));
    let out = Command::new(&python)
        .arg(root.join("peers/openpyxl_dm.py"))
        .arg(&cells)
        .arg(work.path().join("openpyxl.xlsx"))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (set DAICHO_BENCH_PYTHON to a Python with openpyxl)",
                python.display()
            )
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script's JSON")
}

/// SQLite alone reading the customers in the DM list's order (see
/// `postal_order_read`), on a read-only connection like the export's.
fn dm_sql_floor(ledger_path: &Path) -> Run {
    let conn = rusqlite::Connection::open_with_flags(
        ledger_path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("ledger");
    let started = Instant::now();
    assert!(daicho_bench::postal_order_read(&conn) > 0);
    Run {
        seconds: started.elapsed().as_secs_f64(),
        peak_kb: peak_kb(),
        ..Run::default()
    }
}

fn dm_request() -> daicho_mailing::export::ExportRequest {
    request_as(daicho_mailing::FileFormat::Xlsx)
}

fn request_as(format: daicho_mailing::FileFormat) -> daicho_mailing::export::ExportRequest {
    daicho_mailing::export::ExportRequest {
        label: "全顧客".into(),
        filter: Default::default(),
        columns: daicho_mailing::default_columns(),
        list: Default::default(),
        checks: Default::default(),
        format,
        campaign: "bench".into(),
        campaign_id: None,
        print: Default::default(),
    }
}

/// Daichō's DM export end to end: selection and exclusions, households,
/// checks (including the postal-code lookup), the file, the mailing record.
fn dm_export(ledger_path: &Path) -> Run {
    let work = tempfile::tempdir().expect("temp");
    let (idle_kb, seconds) = export_dm(
        ledger_path,
        work.path(),
        &dm_request(),
        &work.path().join("dm.xlsx"),
    );
    Run {
        seconds,
        peak_kb: peak_kb(),
        idle_mb: idle_kb as f64 / 1024.0,
        ..Run::default()
    }
}

/// Exports the DM list of a copy of the ledger (made in `work`) to `out`:
/// the memory after opening the copy, and the export's seconds. The peak
/// memory mark is reset after the copy so that it measures the export.
fn export_dm(
    ledger_path: &Path,
    work: &Path,
    request: &daicho_mailing::export::ExportRequest,
    out: &Path,
) -> (u64, f64) {
    let copy = work.join("ledger.sqlite3");
    Ledger::open(ledger_path)
        .expect("ledger")
        .backup_to(&copy)
        .expect("copy");
    let mut ledger = Ledger::open(&copy).expect("ledger");
    // Linux: writing 5 to clear_refs resets VmHWM to the present RSS.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak mark");
    let idle_kb = rss_kb();
    let started = Instant::now();
    let outcome = daicho_mailing::export::export(
        &mut ledger,
        &Actor::system(),
        request,
        daicho_ledger::contacts::local_today(),
        out,
        false,
        true,
    )
    .expect("export");
    assert!(outcome.rows > 0);
    (idle_kb, started.elapsed().as_secs_f64())
}

/// What one child process measured; the fields a mode does not measure
/// stay 0.
#[derive(Serialize, Deserialize, Clone, Copy, Default)]
struct Run {
    seconds: f64,
    peak_kb: u64,
    /// Progress reports per second of an import's commit.
    reports_per_second: f64,
    /// Memory after opening the ledger, before a DM export starts.
    idle_mb: f64,
    /// The bare write's `save()`, which compresses the sheet after its last row.
    save_seconds: f64,
}

fn peak_kb() -> u64 {
    status_kb("self", "VmHWM:")
}

/// calamine alone: open the workbook and touch every cell of every sheet.
fn baseline(file: &Path) -> Run {
    let started = Instant::now();
    let mut book = open_workbook_auto(file).expect("open");
    let mut cells = 0usize;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        cells += range
            .used_cells()
            .filter(|(_, _, c)| !c.to_string().is_empty())
            .count();
    }
    assert!(cells > 0);
    Run {
        seconds: started.elapsed().as_secs_f64(),
        peak_kb: peak_kb(),
        ..Run::default()
    }
}

/// Daichō end to end: read, find the table, map, normalize, de-duplicate,
/// match against the ledger and commit in one transaction.
fn full_import(file: &Path) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut ledger = Ledger::open(dir.path().join("bench.sqlite3")).expect("ledger");
    let started = Instant::now();
    let (plan, _) =
        daicho_roster::plan_file(file, &ledger, Default::default(), None).expect("plan");
    let planned_peak_mb = peak_kb() / 1024;
    let mut reports = 0u32;
    let commit_started = Instant::now();
    let outcome = daicho_roster::session::commit(
        &mut ledger,
        &Actor::system(),
        &plan,
        &AtomicBool::new(false),
        &mut |_| reports += 1,
    )
    .expect("commit");
    let commit_seconds = commit_started.elapsed().as_secs_f64();
    eprintln!(
        "  read+plan {:.2} s (peak {planned_peak_mb} MB), \
         commit {commit_seconds:.2} s (peak {} MB)",
        commit_started.duration_since(started).as_secs_f64(),
        peak_kb() / 1024
    );
    assert_eq!(outcome.created as usize, plan.records.len());
    Run {
        seconds: started.elapsed().as_secs_f64(),
        peak_kb: peak_kb(),
        reports_per_second: f64::from(reports) / commit_seconds,
        ..Run::default()
    }
}

/// The peer an office has: LibreOffice opening the roster headless and only
/// converting it to CSV, a whole process from start to exit. Its profile is
/// made by a first, untimed conversion. Peak memory is the largest of the
/// processes it ran (`soffice` starts `soffice.bin`).
fn libreoffice(file: &Path) -> Run {
    let work = tempfile::tempdir().expect("temp");
    let profile = std::env::temp_dir().join("daicho-bench-libreoffice-profile");
    let convert = || {
        let status = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "csv", "--outdir"])
            .arg(work.path())
            .arg(file)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("soffice (LibreOffice Calc) runs");
        assert!(status.success(), "soffice failed");
    };
    if !profile.exists() {
        convert();
    }
    let started = Instant::now();
    convert();
    let seconds = started.elapsed().as_secs_f64();
    let csv = work
        .path()
        .join(file.with_extension("csv").file_name().expect("name"));
    assert!(std::fs::metadata(&csv).expect("the CSV").len() > 0);
    // SAFETY: getrusage writes into the struct it is given.
    let children = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    Run {
        seconds,
        peak_kb: children.ru_maxrss as u64,
        ..Run::default()
    }
}

fn child(mode: &str, file: &Path) -> Run {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg(mode)
        .arg(file)
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("child JSON")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// The customer list and search at N customers: first page, a page deep in
/// the list, and text queries of 1, 2 and 3+ characters, against a plain
/// LIKE scan of the same rows.
fn list_bench(args: &[String]) {
    use daicho_ledger::{CustomerQuery, SortKey, TextPath};
    let customers: u32 = flag(args, "--customers", 100_000);
    let ledger = &Ledger::open(bench_ledger(customers)).expect("ledger");
    let today = daicho_ledger::contacts::local_today();
    let page = |q: CustomerQuery, path: TextPath| {
        move || {
            ledger.list_customers_via(&q, path, today).expect("list");
        }
    };
    let like = |text: &'static str| {
        move || {
            daicho_bench::plain_like_search(ledger.conn(), text);
        }
    };
    println!("| {customers} customers | p50 | p95 |");
    println!("| --- | --- | --- |");
    let row =
        |name: &str, (p50, p95): (f64, f64)| println!("| {name} | {p50:.1} ms | {p95:.1} ms |");
    let base = CustomerQuery {
        limit: 200,
        ..Default::default()
    };
    row(
        "first page (200 rows, kana order) + total",
        time(&page(base.clone(), TextPath::Auto)),
    );
    row(
        "page at row 50,000 (kana order)",
        time(&page(
            CustomerQuery {
                offset: 50_000.min(customers / 2),
                ..base.clone()
            },
            TextPath::Auto,
        )),
    );
    row(
        "page at row 50,000 (newest first)",
        time(&page(
            CustomerQuery {
                offset: 50_000.min(customers / 2),
                sort: SortKey::Updated,
                descending: true,
                ..base.clone()
            },
            TextPath::Auto,
        )),
    );
    // One and two characters: the short-search index (015); among them the
    // densest (区: every other customer) and digits.
    for text in [
        "山",
        "田",
        "区",
        "ヤマ",
        "世田",
        "03",
        "ヤマダ",
        "0312",
        "世田谷区桜新町",
    ] {
        row(
            &format!("search 「{text}」 (Daichō)"),
            time(&page(
                CustomerQuery {
                    text: text.into(),
                    ..base.clone()
                },
                TextPath::Auto,
            )),
        );
        row(
            &format!("search 「{text}」 (plain LIKE scan)"),
            time(&like(text)),
        );
    }
}

/// The ledger of `customers` generated customers the list and DM benchmarks
/// share, imported (once, then kept in the temp folder) from the seeded roster.
fn bench_ledger(customers: u32) -> PathBuf {
    let path = std::env::temp_dir().join(format!("daicho-bench-ledger-{customers}.sqlite3"));
    if path.exists() {
        return path;
    }
    eprintln!("filling {} with {customers} customers…", path.display());
    let roster = std::env::temp_dir().join(format!("daicho-bench-roster-{customers}.xlsx"));
    if !roster.exists() {
        roster_gen::write_roster(&roster, customers, 42).expect("roster");
    }
    let mut ledger = Ledger::open(&path).expect("ledger");
    daicho_roster::session::import_file(
        &mut ledger,
        &Actor::system(),
        &roster,
        Default::default(),
        None,
    )
    .expect("import");
    path
}

/// The median and 95th percentile of 41 runs of `f`, in milliseconds.
fn time(f: &dyn Fn()) -> (f64, f64) {
    let mut ms: Vec<f64> = (0..41)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    (ms[ms.len() / 2], ms[ms.len() * 95 / 100])
}

/// `--name value` from the command line, or the default.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

/// The whole import against calamine's bare read of the same file, each in
/// its own process (so that peak memory is its own), `--runs` times.
fn import_bench(args: &[String]) {
    let rows: u32 = flag(args, "--rows", 100_000);
    let runs: usize = flag(args, "--runs", 3);
    let file: PathBuf = std::env::temp_dir().join(format!("daicho-bench-roster-{rows}.xlsx"));
    if !file.exists() {
        eprintln!("writing {} ({rows} rows)…", file.display());
        roster_gen::write_roster(&file, rows, 42).expect("write roster");
    }
    let mut base = Vec::new();
    let mut office = Vec::new();
    let mut full = Vec::new();
    for i in 0..runs {
        eprintln!("run {}/{runs}…", i + 1);
        base.push(child("run-baseline", &file));
        office.push(child("run-libreoffice", &file));
        full.push(child("run-import", &file));
    }
    let b = median(base.iter().map(|r| r.seconds).collect());
    let f = median(full.iter().map(|r| r.seconds).collect());
    let bm = median(base.iter().map(|r| r.peak_kb as f64).collect()) / 1024.0;
    let fm = median(full.iter().map(|r| r.peak_kb as f64).collect()) / 1024.0;
    let rate = median(full.iter().map(|r| r.reports_per_second).collect());
    let lo = median(office.iter().map(|r| r.seconds).collect());
    let lom = median(office.iter().map(|r| r.peak_kb as f64).collect()) / 1024.0;
    println!(
        "| {rows} rows (.xlsx, {:.1} MB) | time (median of {runs}) | peak memory |",
        std::fs::metadata(&file)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0)
    );
    println!("| --- | --- | --- |");
    println!("| calamine, bare read of every cell | {b:.2} s | {bm:.0} MB |");
    println!("| LibreOffice headless, converting the workbook to CSV | {lo:.2} s | {lom:.0} MB |");
    println!("| Daichō import, end to end | {f:.2} s | {fm:.0} MB |");
    println!("| ratio to calamine | {:.2}× | {:.2}× |", f / b, fm / bm);
    println!(
        "| ratio to LibreOffice | {:.2}× | {:.2}× |",
        f / lo,
        fm / lom
    );
    println!();
    println!("Progress reports reached the UI {rate:.1} times a second during the commit.");
}

/// The DM export against rust_xlsxwriter alone and SQLite's bare read of the
/// same columns, each in its own process, `--runs` times.
fn dm_bench(args: &[String]) {
    let customers: u32 = flag(args, "--customers", 100_000);
    let runs: usize = flag(args, "--runs", 3);
    let ledger = std::env::temp_dir().join(format!("daicho-bench-ledger-{customers}.sqlite3"));
    assert!(
        ledger.exists(),
        "run `daicho-bench list --customers {customers}` first: it builds the ledger"
    );
    let mut base = Vec::new();
    let mut sql = Vec::new();
    let mut ours = Vec::new();
    let mut python = Vec::new();
    for i in 0..runs {
        eprintln!("run {}/{runs}…", i + 1);
        base.push(child("run-dm-baseline", &ledger));
        python.push(child("run-dm-openpyxl", &ledger));
        sql.push(child("run-dm-sql", &ledger));
        ours.push(child("run-dm-export", &ledger));
    }
    let b = median(base.iter().map(|r| r.seconds).collect());
    let save = median(base.iter().map(|r| r.save_seconds).collect());
    let read = median(sql.iter().map(|r| r.seconds).collect());
    let o = median(ours.iter().map(|r| r.seconds).collect());
    let py = median(python.iter().map(|r| r.seconds).collect());
    let peak = median(ours.iter().map(|r| r.peak_kb as f64).collect()) / 1024.0;
    let idle = median(ours.iter().map(|r| r.idle_mb).collect());
    println!("| DM export of a {customers}-customer ledger (.xlsx) | time (median of {runs}) |");
    println!("| --- | --- |");
    println!("| rust_xlsxwriter alone, constant memory, same cells | {b:.2} s |");
    println!("| … of which `save()`, compressing after the last row | {save:.2} s |");
    println!("| SQLite alone reading the printed columns in postal-code order | {read:.2} s |");
    println!("| Daichō export end to end | {o:.2} s |");
    println!("| ratio | {:.2}× |", o / b);
    println!("| a Python script writing the same cells with openpyxl (write-only) | {py:.2} s |");
    println!("| Daichō's speed-up over it | {:.1}× |", py / o);
    println!(
        "| floor: that read, then `save()` (nothing else done) | {:.2} s ({:.2}×) |",
        read + save,
        (read + save) / b
    );
    println!();
    let grown = peak - idle;
    println!(
        "Memory of the export process: {idle:.0} MB after opening the ledger, \
         {peak:.0} MB at peak (+{grown:.0} MB)."
    );
}

/// One measurement a child process makes on the file it is given.
type Measure = fn(&Path) -> Run;

/// The child processes' measurements, by mode.
const CHILD_RUNS: &[(&str, Measure)] = &[
    ("run-baseline", baseline),
    ("run-libreoffice", libreoffice),
    ("run-import", full_import),
    ("run-dm-baseline", dm_baseline),
    ("run-dm-openpyxl", dm_openpyxl),
    ("run-dm-sql", dm_sql_floor),
    ("run-dm-export", dm_export),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str);
    if let Some((_, run)) = CHILD_RUNS.iter().find(|(name, _)| Some(*name) == mode) {
        let run = run(Path::new(&args[2]));
        println!("{}", serde_json::to_string(&run).unwrap());
        return;
    }
    match mode {
        Some("import") => import_bench(&args),
        Some("list") => list_bench(&args),
        Some("dm") => dm_bench(&args),
        Some("print") => print_bench(&args),
        Some(mode) if mode.starts_with("run-print-") => println!(
            "{}",
            serde_json::to_string(&print_export(mode, Path::new(&args[2]))).unwrap()
        ),
        Some("sync") => sync_bench::bench(&args),
        Some(mode) if mode.starts_with("run-sync-") => sync_bench::child(mode, &args),
        _ => {
            eprintln!("usage: daicho-bench import [--rows N] [--runs N] | list [--customers N] | dm [--customers N] [--runs N] | print [--customers N] [--runs N] | sync overhead|offline|visible|import");
            std::process::exit(2);
        }
    }
}

/// The same list printed as postcards and labels, beside its .xlsx export:
/// each a whole export (selection, households, checks, file, record) in a
/// process of its own, alternating, on a ledger of `--customers` samples.
fn print_bench(args: &[String]) {
    let customers: u32 = flag(args, "--customers", 500);
    let runs: usize = flag(args, "--runs", 3);
    let ledger = std::env::temp_dir().join(format!("daicho-bench-print-{customers}.sqlite3"));
    if !ledger.exists() {
        let mut fresh = Ledger::open(&ledger).expect("ledger");
        fresh
            .add_sample_data(&Actor::system(), customers, 21)
            .expect("sample customers");
    }
    let modes = [
        "run-print-xlsx",
        "run-print-pdf-postcard",
        "run-print-pdf-labels",
    ];
    let mut results: Vec<Vec<Run>> = vec![Vec::new(); modes.len()];
    for i in 0..runs {
        eprintln!("run {}/{runs}…", i + 1);
        for (mode, runs) in modes.iter().zip(&mut results) {
            runs.push(child(mode, &ledger));
        }
    }
    println!("| the DM list of {customers} sample customers | time (median of {runs}) | memory over the open ledger |");
    println!("| --- | --- | --- |");
    for (mode, runs) in modes.iter().zip(&results) {
        let seconds = median(runs.iter().map(|r| r.seconds).collect());
        let grown = median(
            runs.iter()
                .map(|r| r.peak_kb as f64 / 1024.0 - r.idle_mb)
                .collect(),
        );
        println!(
            "| {} | {seconds:.2} s | +{grown:.0} MB |",
            mode.trim_start_matches("run-print-")
        );
    }
}

fn print_export(mode: &str, ledger_path: &Path) -> Run {
    let format = mode.trim_start_matches("run-print-");
    let format = daicho_mailing::FileFormat::parse(format).expect("a format");
    let work = tempfile::tempdir().expect("temp");
    let out = work.path().join("print.out");
    let (idle_kb, seconds) = export_dm(ledger_path, work.path(), &request_as(format), &out);
    Run {
        seconds,
        peak_kb: peak_kb(),
        idle_mb: idle_kb as f64 / 1024.0,
        ..Run::default()
    }
}
