//! `daicho-bench sync …`: the figures of issue #19 (several PCs, one
//! ledger) beside bare baselines measured in the same run.
//!
//!   daicho-bench sync overhead [--customers N] [--writes N] [--batch N]
//!   daicho-bench sync offline  [--customers N] [--ops N]
//!   daicho-bench sync visible  [--customers N] [--pcs N] [--edits N]
//!   daicho-bench sync import   [--customers N] [--rows N] [--runs N]
//!
//! Every office here is a real one: a hub seeded from a sample ledger and
//! served over HTTPS on loopback by a child process, PCs that joined it with
//! a pairing code and the hub's snapshot. What is timed runs in child
//! processes too (each PC's sync, each import, each background worker), so
//! that every peak memory (VmHWM) is its own and nothing shares a cache.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use daicho_ledger::contacts::ContactInput;
use daicho_ledger::sync::hub::{HubStore, Identity as HubIdentity};
use daicho_ledger::sync::spoke::Joined;
use daicho_ledger::{Actor, CustomerFields, LabelInput, Ledger, LATEST_VERSION};
use daicho_sync::net::{serve, Client, Identity, PairingCode};
use daicho_sync::office::{wall_clock, Office};
use daicho_sync::spoke::{receive, sync_once};
use daicho_sync::wire::{
    Auth, DigestReply, PairReply, PairRequest, PullReply, PullRequest, PushReply, PushRequest,
    SnapshotInfo,
};
use daicho_sync::worker::{Worker, EVERY};
use daicho_sync::{Hub, SyncError};
use rusqlite::{Connection, OpenFlags};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{flag, peak_kb};

/// `daicho-bench sync WHAT …`
pub fn bench(args: &[String]) {
    match args.get(2).map(String::as_str) {
        Some("overhead") => overhead(args),
        Some("offline") => offline(args),
        Some("visible") => visible(args),
        Some("import") => import(args),
        _ => {
            eprintln!("usage: daicho-bench sync overhead|offline|visible|import [--customers N] …");
            std::process::exit(2);
        }
    }
}

/// The child processes' side: `daicho-bench run-sync-… ARGS`.
pub fn child(mode: &str, args: &[String]) {
    let path = Path::new(&args[2]);
    match mode {
        "run-sync-hub" => hub_child(path),
        "run-sync-pc" => pc_child(path),
        "run-sync-once" => print_json(&sync_child(path)),
        "run-sync-import" => print_json(&import_child(path, Path::new(&args[3]))),
        _ => unreachable!("main dispatches only run-sync-* here"),
    }
}

fn print_json(value: &impl Serialize) {
    println!("{}", serde_json::to_string(value).expect("JSON"));
}

// ---------------------------------------------------------------------------
// The office: a sample ledger, the hub made from it, PCs that join.

/// A ledger of `customers` sample customers (with households, contacts,
/// projects and tasks, as `daicho sample` makes them) and four labels, made
/// once and kept in the temp folder.
fn base_ledger(customers: u32) -> PathBuf {
    let path = std::env::temp_dir().join(format!("daicho-bench-sync-base-{customers}.sqlite3"));
    if path.exists() {
        return path;
    }
    eprintln!(
        "filling {} with {customers} sample customers…",
        path.display()
    );
    let part = std::env::temp_dir().join(format!("daicho-bench-sync-part-{customers}.sqlite3"));
    let _ = std::fs::remove_file(&part);
    let mut ledger = Ledger::open(&part).expect("ledger");
    for (name, color) in [
        ("見学会", "#0ea5e9"),
        ("紹介", "#22c55e"),
        ("地鎮祭済", "#f59e0b"),
        ("DM反応", "#64748b"),
    ] {
        let label = LabelInput {
            id: None,
            name: name.into(),
            color: color.into(),
        };
        ledger.save_label(&label).expect("label");
    }
    ledger
        .add_sample_data(&Actor::system(), customers, 42)
        .expect("sample data");
    drop(ledger);
    std::fs::rename(&part, &path).expect("base ledger");
    path
}

/// A compact copy of a closed ledger, laid out as a hub's snapshot is
/// (`VACUUM INTO`), so that a PC on its own and a PC that joined start from
/// files of the same shape.
fn compact_copy(from: &Path, to: &Path) {
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.execute("VACUUM INTO ?1", [to.to_string_lossy()])
        .expect("VACUUM INTO");
}

/// The office's files in one temporary folder: the hub, seeded from a copy
/// of the base ledger (which becomes PC 0), and the PCs that join.
struct Site {
    dir: tempfile::TempDir,
    /// The sample ledger, on its own; never written to.
    base: PathBuf,
    hub: PathBuf,
}

impl Site {
    fn new(base: &Path) -> Self {
        // Beside the other temp files, on the machine's disk: a tmpfs would
        // make every fsync free and hide the cost of synchronous=FULL.
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("pc0.sqlite3");
        compact_copy(base, &first);
        let identity = Identity::generate().expect("certificate");
        let hub_identity = HubIdentity {
            name: "事務所".into(),
            fingerprint: identity.fingerprint(),
            cert: identity.cert_der,
            key: identity.key_der,
        };
        let hub = dir.path().join("hub.sqlite3");
        HubStore::create(&hub, &first, &hub_identity, "事務所のPC", &wall_clock()).expect("hub");
        Self {
            dir,
            base: base.to_path_buf(),
            hub,
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A new PC joins in-process, as `daicho join` does but without HTTPS:
    /// for a PC that only works offline.
    fn join_here(&self, name: &str) -> PathBuf {
        let office = Office::new(HubStore::open(&self.hub).expect("hub"));
        let secret = office.offer_pairing(30).expect("pairing");
        let paired = office
            .pair(&PairRequest {
                secret,
                name: name.into(),
                schema_version: LATEST_VERSION,
            })
            .expect("pair");
        let joined = Joined {
            url: String::new(),
            fingerprint: String::new(),
            token: paired.token,
            device: paired.device,
            hub_name: paired.hub_name,
        };
        let path = self.file(&format!("{name}.sqlite3"));
        receive(&office, &joined, &path).expect("snapshot");
        path
    }

    /// A new PC joins the served hub as `daicho hub pair` and `daicho join`
    /// do: a pairing code offered on the hub's file, then the pairing and
    /// the snapshot over HTTPS.
    fn join(&self, hub: &HubProcess, name: &str) -> PathBuf {
        let secret = Office::new(HubStore::open(&self.hub).expect("hub"))
            .offer_pairing(30)
            .expect("pairing");
        let code = PairingCode::new(&secret, &hub.fingerprint).expect("code");
        let (paired, fingerprint) =
            Client::pair(&hub.url, &code, name, LATEST_VERSION).expect("pair");
        let joined = Joined {
            url: hub.url.clone(),
            fingerprint: fingerprint.clone(),
            token: paired.token,
            device: paired.device,
            hub_name: paired.hub_name,
        };
        let path = self.file(&format!("{name}.sqlite3"));
        receive(&Client::new(&hub.url, &fingerprint), &joined, &path).expect("snapshot");
        path
    }
}

/// A copy of a ledger no connection has open (so it has no WAL to carry).
fn copy_closed(from: &Path, to: &Path) {
    let wal = PathBuf::from(format!("{}-wal", from.display()));
    assert!(!wal.exists(), "{} is open", from.display());
    std::fs::copy(from, to).expect("copy");
}

/// The hub served over HTTPS on loopback by a child process.
struct HubProcess {
    child: Child,
    url: String,
    fingerprint: String,
}

impl HubProcess {
    fn start(hub: &Path) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("exe"))
            .arg("run-sync-hub")
            .arg(hub)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("hub process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("hub's first line");
        let served: serde_json::Value = serde_json::from_str(&line).expect("hub's JSON");
        Self {
            child,
            url: served["url"].as_str().expect("url").to_string(),
            fingerprint: served["fingerprint"].as_str().expect("fp").to_string(),
        }
    }

    fn peak_kb(&self) -> u64 {
        crate::status_kb(&self.child.id().to_string(), "VmHWM:")
    }

    fn stop(mut self) {
        drop(self.child.stdin.take());
        self.child.wait().expect("hub exits");
    }
}

/// Serves the hub until the parent closes this process's stdin.
fn hub_child(hub: &Path) {
    let office = Arc::new(Office::new(HubStore::open(hub).expect("hub")));
    let identity = office.certificate().expect("identity");
    let served = serve(office, "127.0.0.1:0".parse().expect("addr"), &identity).expect("serve");
    println!(
        "{}",
        serde_json::json!({"url": served.url, "fingerprint": served.fingerprint})
    );
    until_stdin_closes();
    served.stop();
}

/// A PC as the app runs it: the background worker syncing every
/// `worker::EVERY` on its own connection, until stdin closes; then its last
/// status.
fn pc_child(ledger: &Path) {
    let worker = Worker::start(ledger.to_path_buf(), EVERY).expect("a PC that joined");
    until_stdin_closes();
    let status = worker.info().status;
    drop(worker);
    print_json(&status);
}

fn until_stdin_closes() {
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
}

/// Runs `daicho-bench MODE ARGS…` and reads the JSON it prints.
fn child_json<T: DeserializeOwned>(mode: &str, args: &[&OsStr]) -> T {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .arg(mode)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .expect("child");
    assert!(out.status.success(), "{mode} failed");
    serde_json::from_slice(&out.stdout).expect("child JSON")
}

/// A PC that runs its background worker in a child process.
struct PcProcess(Child);

impl PcProcess {
    fn start(ledger: &Path) -> Self {
        let child = Command::new(std::env::current_exe().expect("exe"))
            .arg("run-sync-pc")
            .arg(ledger)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("PC process");
        Self(child)
    }

    /// Stops the worker; its last status.
    fn stop(mut self) -> String {
        drop(self.0.stdin.take());
        let out = self.0.wait_with_output().expect("PC exits");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

fn customer_ids(ledger: &Ledger) -> Vec<i64> {
    let mut stmt = ledger
        .conn()
        .prepare("SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id")
        .expect("ids");
    stmt.query_map([], |r| r.get(0))
        .expect("ids")
        .collect::<rusqlite::Result<_>>()
        .expect("ids")
}

/// The rows and bytes of changesets waiting in a PC's outbox.
fn outbox(path: &Path) -> (i64, i64) {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("ledger")
        .query_row(
            "SELECT count(*), coalesce(sum(length(changeset)), 0) FROM sync_outbox",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("outbox")
}

/// A phone number no customer has yet: `n` counts up.
fn fresh_phone(n: usize) -> String {
    format!("03-{:04}-{:04}", 5000 + n / 10_000, n % 10_000)
}

/// Milliseconds: mean, p50, p95, max.
fn stats(mut ms: Vec<f64>) -> [f64; 4] {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    [
        ms.iter().sum::<f64>() / ms.len() as f64,
        at(0.5),
        at(0.95),
        ms[ms.len() - 1],
    ]
}

/// Milliseconds as a person reads them: ms below a tenth of a second.
fn shown(ms: f64) -> String {
    if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn mb(bytes: f64) -> f64 {
    bytes / 1_000_000.0
}

// ---------------------------------------------------------------------------
// 1. Write overhead at synchronous=FULL.

/// Single-field edits (the phone) on a PC that joined an office (captured
/// into its outbox) and on the same ledger on its own, with the bare SQLite
/// update of the same row beside them: interleaved batches, each write
/// timed alone.
fn overhead(args: &[String]) {
    let customers: u32 = flag(args, "--customers", 10_000);
    let writes: usize = flag(args, "--writes", 2_000);
    let batch: usize = flag(args, "--batch", 100);
    let site = Site::new(&base_ledger(customers));
    let joined_path = site.join_here("ノートPC");
    let alone_path = site.file("alone.sqlite3");
    compact_copy(&site.base, &alone_path);
    let bare_path = site.file("bare.sqlite3");
    compact_copy(&site.base, &bare_path);
    let mut joined = Ledger::open(&joined_path).expect("joined");
    let mut alone = Ledger::open(&alone_path).expect("alone");
    let mut bare = bare_connection(&bare_path);
    let ids = customer_ids(&alone);
    let mut rng = fastrand::Rng::with_seed(19);
    let mut ms: [Vec<f64>; 3] = Default::default();
    let mut n = 0;
    for round in 0..writes.div_ceil(batch) {
        let targets: Vec<i64> = (0..batch).map(|_| ids[rng.usize(..ids.len())]).collect();
        // Each kind takes each place in the order in turn.
        for kind in (0..3).map(|k| (k + round) % 3) {
            for &id in &targets {
                n += 1;
                let took = match kind {
                    0 => bare_edit(&mut bare, id, n),
                    1 => ledger_edit(&mut alone, id, n),
                    _ => ledger_edit(&mut joined, id, n),
                };
                ms[kind].push(took.as_secs_f64() * 1000.0);
            }
        }
    }
    drop(joined);
    let (rows, bytes) = outbox(&joined_path);
    print_overhead(customers, &ms, rows, bytes);
}

fn bare_connection(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("bare");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("WAL");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("FULL");
    conn.pragma_update(None, "foreign_keys", "ON").expect("fk");
    conn
}

const BARE_EDIT: &str = "UPDATE customers SET phone = ?1, updated_at = ?2 WHERE id = ?3";

/// The row's phone and time set by hand in one IMMEDIATE transaction.
fn bare_edit(conn: &mut Connection, id: i64, n: usize) -> Duration {
    let phone = fresh_phone(n);
    let started = Instant::now();
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .expect("begin");
    tx.prepare_cached(BARE_EDIT)
        .and_then(|mut s| s.execute(rusqlite::params![phone, wall_clock(), id]))
        .expect("update");
    tx.commit().expect("commit");
    started.elapsed()
}

/// What the customer form's save does: the record as read, one field
/// changed, `update_customer`.
fn ledger_edit(ledger: &mut Ledger, id: i64, n: usize) -> Duration {
    let mut fields = ledger.customer(id).expect("customer").fields;
    fields.phone = fresh_phone(n);
    let started = Instant::now();
    ledger
        .update_customer(&Actor::system(), id, &fields)
        .expect("edit");
    started.elapsed()
}

fn print_overhead(customers: u32, ms: &[Vec<f64>; 3], rows: i64, bytes: i64) {
    let [bare, alone, joined] = ms.clone().map(stats);
    println!(
        "| one-field edit, {customers}-customer ledger, synchronous=FULL ({} writes each) | \
            mean | p50 | p95 | max |",
        ms[0].len()
    );
    println!("| --- | --- | --- | --- | --- |");
    let row = |name: &str, s: [f64; 4]| {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {:.2} ms | {:.1} ms |",
            s[0], s[1], s[2], s[3]
        );
    };
    row("SQLite alone: UPDATE of the phone + COMMIT", bare);
    row("Daichō, a PC on its own (`update_customer`)", alone);
    row("Daichō, a PC that joined an office (captured)", joined);
    println!(
        "| joined ÷ on its own | {:.3}× | {:.3}× | {:.3}× | |",
        joined[0] / alone[0],
        joined[1] / alone[1],
        joined[2] / alone[2]
    );
    println!();
    println!(
        "Outbox after the run: {rows} changesets, {bytes} bytes ({:.0} bytes a write).",
        bytes as f64 / rows.max(1) as f64
    );
}

// ---------------------------------------------------------------------------
// Timing a sync: where the seconds go and how many bytes cross.

/// One `sync_once` as a child process measured it.
#[derive(Serialize, Deserialize, Clone, Copy, Default, Debug)]
struct SyncRun {
    /// The whole sync, less the time spent counting bytes.
    seconds: f64,
    /// Inside push calls: the request over HTTPS and the hub taking it.
    push_seconds: f64,
    /// Inside pull calls: the request over HTTPS and the hub's log read.
    pull_seconds: f64,
    pushes: u32,
    pulls: u32,
    /// JSON bodies: requests sent, replies received.
    sent_bytes: u64,
    received_bytes: u64,
    pushed: usize,
    pulled: usize,
    peak_kb: u64,
}

/// The HTTPS client, with the time inside each call and the size of each
/// body counted (the counting's own time is kept apart and taken off).
struct Metered<'a> {
    hub: &'a dyn Hub,
    run: Mutex<SyncRun>,
    counting: Mutex<Duration>,
}

impl Metered<'_> {
    /// One call to the hub: its time into `tally`, then the size of both
    /// bodies, whose counting is timed apart.
    fn call<Q: Serialize, A: Serialize>(
        &self,
        request: &Q,
        send: impl FnOnce(&Q) -> Result<A, SyncError>,
        tally: impl FnOnce(&mut SyncRun, f64),
    ) -> Result<A, SyncError> {
        let started = Instant::now();
        let reply = send(request);
        tally(
            &mut self.run.lock().expect("tally"),
            started.elapsed().as_secs_f64(),
        );
        let counting = Instant::now();
        let size = |json: serde_json::Result<Vec<u8>>| json.map_or(0, |v| v.len() as u64);
        let sent = size(serde_json::to_vec(request));
        let received = reply.as_ref().map_or(0, |r| size(serde_json::to_vec(r)));
        let mut run = self.run.lock().expect("tally");
        run.sent_bytes += sent;
        run.received_bytes += received;
        *self.counting.lock().expect("tally") += counting.elapsed();
        reply
    }
}

impl Hub for Metered<'_> {
    fn pair(&self, request: &PairRequest) -> Result<PairReply, SyncError> {
        self.hub.pair(request)
    }

    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        self.call(
            request,
            |r| self.hub.push(r),
            |run, took| {
                run.push_seconds += took;
                run.pushes += 1;
            },
        )
    }

    fn pull(&self, request: &PullRequest) -> Result<PullReply, SyncError> {
        self.call(
            request,
            |r| self.hub.pull(r),
            |run, took| {
                run.pull_seconds += took;
                run.pulls += 1;
            },
        )
    }

    fn snapshot(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError> {
        self.hub.snapshot(auth, to)
    }

    fn digest(&self, auth: &Auth) -> Result<DigestReply, SyncError> {
        self.hub.digest(auth)
    }

    fn leave(&self, auth: &Auth) -> Result<(), SyncError> {
        self.hub.leave(auth)
    }
}

/// One `sync_once` of the PC at `path` with its hub over HTTPS.
fn sync_child(path: &Path) -> SyncRun {
    let mut ledger = Ledger::open(path).expect("ledger");
    let state = ledger.sync_state().expect("state").expect("joined");
    let client = Client::new(&state.hub.url, &state.hub.fingerprint);
    let metered = Metered {
        hub: &client,
        run: Mutex::new(SyncRun::default()),
        counting: Mutex::new(Duration::ZERO),
    };
    let started = Instant::now();
    let report = sync_once(&mut ledger, &metered).expect("sync");
    let took = started.elapsed() - *metered.counting.lock().expect("tally");
    let mut run = *metered.run.lock().expect("tally");
    run.seconds = took.as_secs_f64();
    run.pushed = report.pushed;
    run.pulled = report.pulled;
    run.peak_kb = peak_kb();
    run
}

fn sync_of(path: &Path) -> SyncRun {
    child_json("run-sync-once", &[path.as_os_str()])
}

fn digest_of(path: &Path) -> Vec<(String, String)> {
    Ledger::open(path)
        .expect("ledger")
        .sync_digest()
        .expect("digest")
}

fn sync_row(name: &str, run: &SyncRun) {
    println!(
        "| {name} | {:.2} s | {:.2} s ({}) | {:.2} s ({}) | {:.2} s | {:.2} MB / {:.2} MB | \
            {} MB |",
        run.seconds,
        run.push_seconds,
        run.pushes,
        run.pull_seconds,
        run.pulls,
        run.seconds - run.push_seconds - run.pull_seconds,
        mb(run.sent_bytes as f64),
        mb(run.received_bytes as f64),
        run.peak_kb / 1024
    );
}

fn sync_header(title: &str) {
    println!(
        "| {title} | sync, whole | in push calls (calls) | in pull calls (calls) | on the PC \
            (outbox, apply) | sent / received (JSON) | peak memory |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
}

// ---------------------------------------------------------------------------
// 2. 5,000 offline operations, one sync.

/// A laptop works offline (field edits, contacts, labels, new customers),
/// then syncs once over HTTPS; then a desk PC pulls it all.
fn offline(args: &[String]) {
    let customers: u32 = flag(args, "--customers", 10_000);
    let ops: usize = flag(args, "--ops", 5_000);
    let site = Site::new(&base_ledger(customers));
    let hub = HubProcess::start(&site.hub);
    let laptop = site.join(&hub, "laptop");
    let desk = site.join(&hub, "desk");
    let idle = sync_of(&desk);
    let (made, mix) = offline_work(&laptop, ops);
    let (rows, bytes) = outbox(&laptop);
    let pushed = sync_of(&laptop);
    let pulled = sync_of(&desk);
    let hub_peak = hub.peak_kb();
    hub.stop();
    assert_eq!(digest_of(&laptop), digest_of(&desk), "the two PCs differ");
    println!(
        "{ops} operations offline on a {customers}-customer ledger ({mix}) took {made:.1} s \
            and queued {rows} changesets, {:.2} MB.",
        mb(bytes as f64)
    );
    println!();
    sync_header("one `sync_once` over HTTPS on loopback");
    sync_row("idle PC: nothing to send or fetch (baseline)", &idle);
    sync_row(
        &format!("laptop: push {rows} writes, pull them back"),
        &pushed,
    );
    sync_row("second PC: pull and apply them", &pulled);
    println!();
    println!(
        "Pushed {}, pulled {} on the laptop; pulled {} on the second PC. Hub process peak \
            memory {} MB.",
        pushed.pushed,
        pushed.pulled,
        pulled.pulled,
        hub_peak / 1024
    );
}

/// The laptop's offline work: seconds, and what it was.
fn offline_work(path: &Path, ops: usize) -> (f64, String) {
    let mut ledger = Ledger::open(path).expect("laptop");
    let ids = customer_ids(&ledger);
    let labels: Vec<i64> = ledger
        .labels()
        .expect("labels")
        .iter()
        .map(|l| l.id)
        .collect();
    let kind = ledger.contact_kinds().expect("kinds")[0].id;
    let today = daicho_ledger::contacts::local_today();
    let mut rng = fastrand::Rng::with_seed(5_000);
    let mut mix = [0usize; 4];
    let me = Actor::system();
    let started = Instant::now();
    for n in 0..ops {
        let id = ids[rng.usize(..ids.len())];
        let roll = rng.u32(..100);
        let what = match roll {
            0..=39 => {
                let mut fields = ledger.customer(id).expect("customer").fields;
                if n % 2 == 0 {
                    fields.phone = fresh_phone(n);
                } else {
                    fields.notes = format!("{}\n訪問メモ {n}", fields.notes);
                }
                ledger.update_customer(&me, id, &fields).expect("edit");
                0
            }
            40..=64 => {
                let contact = ContactInput {
                    customer_id: id,
                    kind_id: kind,
                    at: format!("{today} {:02}:{:02}", 9 + n % 9, n % 60),
                    note: format!("出先での打合せ {n}"),
                    next_on: None,
                    next_note: String::new(),
                };
                ledger.log_contact(&me, &contact, today).expect("contact");
                1
            }
            65..=79 => {
                let chosen: Vec<i64> = labels.iter().copied().filter(|_| rng.bool()).collect();
                ledger
                    .set_customer_labels(&me, id, &chosen)
                    .expect("labels");
                2
            }
            _ => {
                let fields = CustomerFields {
                    family_name: format!("出先{n}"),
                    phone: fresh_phone(100_000 + n),
                    ..Default::default()
                };
                ledger.create_customer(&me, &fields).expect("create");
                3
            }
        };
        mix[what] += 1;
    }
    let made = started.elapsed().as_secs_f64();
    let mix = format!(
        "{} field edits, {} contacts, {} label sets, {} new customers",
        mix[0], mix[1], mix[2], mix[3]
    );
    (made, mix)
}

// ---------------------------------------------------------------------------
// 3. One edit, visible on the other PCs.

/// One PC edits (its worker syncing in the background, as in the app);
/// `--pcs` others each run their worker in a process of their own. The time
/// from each edit's commit until a read-only connection to each other PC's
/// file shows it, polled every 20 ms; the hub's own file is watched too.
fn visible(args: &[String]) {
    let customers: u32 = flag(args, "--customers", 10_000);
    let pcs: usize = flag(args, "--pcs", 5);
    let edits: usize = flag(args, "--edits", 120);
    let site = Site::new(&base_ledger(customers));
    let hub = HubProcess::start(&site.hub);
    let editor_path = site.join(&hub, "editor");
    let others: Vec<PathBuf> = (1..=pcs)
        .map(|n| site.join(&hub, &format!("pc{n}")))
        .collect();
    let idle: Vec<f64> = (0..20)
        .map(|_| sync_of(&others[0]).seconds * 1000.0)
        .collect();
    let running: Vec<PcProcess> = others.iter().map(|p| PcProcess::start(p)).collect();
    let mut editor = Ledger::open(&editor_path).expect("editor");
    let worker = Worker::start(editor_path.clone(), EVERY).expect("editor's worker");
    std::thread::sleep(3 * EVERY);
    let mut watched = others.clone();
    watched.push(site.hub.clone());
    let (tx, rx) = mpsc::channel();
    let watcher = std::thread::spawn(move || watch(&watched, &rx));
    let ids = customer_ids(&editor);
    let mut rng = fastrand::Rng::with_seed(3);
    for k in 0..edits {
        std::thread::sleep(Duration::from_millis(rng.u64(200..2_500)));
        let id = ids[(k * 37) % ids.len()];
        let mut fields = editor.customer(id).expect("customer").fields;
        fields.phone = fresh_phone(200_000 + k);
        let saved = editor
            .update_customer(&Actor::system(), id, &fields)
            .expect("edit");
        tx.send((id, saved.fields.phone, Instant::now()))
            .expect("watcher");
    }
    drop(tx);
    let seen = watcher.join().expect("watcher");
    drop(worker);
    let statuses: Vec<String> = running.into_iter().map(PcProcess::stop).collect();
    hub.stop();
    print_visible(pcs, edits, &seen, &idle, &statuses);
}

/// Per edit, per watched file (the PCs, then the hub), the milliseconds
/// until it showed the edit (None: not within 30 s).
type Seen = Vec<Vec<Option<f64>>>;

fn watch(files: &[PathBuf], edits: &mpsc::Receiver<(i64, String, Instant)>) -> Seen {
    let conns: Vec<Connection> = files
        .iter()
        .map(|f| Connection::open_with_flags(f, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("read"))
        .collect();
    let mut seen: Seen = Vec::new();
    let mut pending: Vec<(usize, i64, String, Instant)> = Vec::new();
    let mut open = true;
    while open || !pending.is_empty() {
        loop {
            match edits.try_recv() {
                Ok((id, phone, at)) => {
                    seen.push(vec![None; files.len()]);
                    pending.push((seen.len() - 1, id, phone, at));
                }
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        pending.retain(|(k, id, phone, at)| {
            for (f, conn) in conns.iter().enumerate() {
                if seen[*k][f].is_none() && shows(conn, *id, phone) {
                    seen[*k][f] = Some(at.elapsed().as_secs_f64() * 1000.0);
                }
            }
            seen[*k].contains(&None) && at.elapsed() < Duration::from_secs(30)
        });
        std::thread::sleep(Duration::from_millis(20));
    }
    seen
}

fn shows(conn: &Connection, id: i64, phone: &str) -> bool {
    conn.prepare_cached("SELECT phone FROM customers WHERE id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get::<_, String>(0)))
        .is_ok_and(|p| p == phone)
}

fn print_visible(pcs: usize, edits: usize, seen: &Seen, idle: &[f64], statuses: &[String]) {
    let on_pcs: Vec<f64> = seen
        .iter()
        .flat_map(|s| s[..pcs].iter().flatten().copied())
        .collect();
    let all_pcs: Vec<f64> = seen
        .iter()
        .filter(|s| s[..pcs].iter().all(Option::is_some))
        .map(|s| s[..pcs].iter().flatten().copied().fold(0.0, f64::max))
        .collect();
    let at_hub: Vec<f64> = seen.iter().filter_map(|s| s[pcs]).collect();
    let missed = seen
        .iter()
        .flat_map(|s| s[..pcs].iter())
        .filter(|v| v.is_none())
        .count();
    println!(
        "| {edits} one-field edits on one PC, {pcs} other PCs (worker every {} s) | mean | \
            p50 | p95 | max |",
        EVERY.as_secs_f64()
    );
    println!("| --- | --- | --- | --- | --- |");
    let row = |name: &str, ms: Vec<f64>| {
        let s = stats(ms).map(shown);
        println!("| {name} | {} | {} | {} | {} |", s[0], s[1], s[2], s[3]);
    };
    row("baseline: one idle `sync_once` over HTTPS", idle.to_vec());
    row("edit → in the hub's file (push leg)", at_hub);
    row(
        &format!("edit → on one other PC ({} pairs)", on_pcs.len()),
        on_pcs,
    );
    row(&format!("edit → on all {pcs} other PCs"), all_pcs);
    println!();
    println!(
        "Not seen within 30 s: {missed} of {} edit×PC pairs. Workers' last status: {statuses:?}",
        edits * pcs
    );
}

// ---------------------------------------------------------------------------
// 4. A 20,000-row import reaching the others.

/// An import as a child process measured it.
#[derive(Serialize, Deserialize, Clone, Copy, Default, Debug)]
struct ImportRun {
    seconds: f64,
    plan_seconds: f64,
    commit_seconds: f64,
    created: u32,
    outbox_rows: i64,
    outbox_bytes: i64,
    peak_kb: u64,
}

/// The import of `roster` into the ledger at `path`, as the app does it
/// (read, plan, commit in one transaction).
fn import_child(path: &Path, roster: &Path) -> ImportRun {
    let mut ledger = Ledger::open(path).expect("ledger");
    let started = Instant::now();
    let (plan, _) =
        daicho_roster::plan_file(roster, &ledger, Default::default(), None).expect("plan");
    let planned = Instant::now();
    let outcome = daicho_roster::session::commit(
        &mut ledger,
        &Actor::system(),
        &plan,
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .expect("commit");
    let run = ImportRun {
        seconds: started.elapsed().as_secs_f64(),
        plan_seconds: planned.duration_since(started).as_secs_f64(),
        commit_seconds: planned.elapsed().as_secs_f64(),
        created: outcome.created,
        peak_kb: peak_kb(),
        ..ImportRun::default()
    };
    drop(ledger);
    let (outbox_rows, outbox_bytes) = outbox(path);
    ImportRun {
        outbox_rows,
        outbox_bytes,
        ..run
    }
}

/// The import on a PC on its own and on a PC that joined, alternately
/// `--runs` times on fresh copies; then the last joined copy pushes it and
/// a second PC pulls it, each a process of its own.
fn import(args: &[String]) {
    let customers: u32 = flag(args, "--customers", 10_000);
    let rows: u32 = flag(args, "--rows", 20_000);
    let runs: usize = flag(args, "--runs", 3);
    let roster = std::env::temp_dir().join(format!("daicho-bench-roster-{rows}.xlsx"));
    if !roster.exists() {
        crate::roster_gen::write_roster(&roster, rows, 42).expect("roster");
    }
    let site = Site::new(&base_ledger(customers));
    let hub = HubProcess::start(&site.hub);
    let importer = site.join(&hub, "importer");
    let other = site.join(&hub, "other");
    let alone = site.file("alone.sqlite3");
    compact_copy(&site.base, &alone);
    let (mut on_own, mut joined) = (Vec::new(), Vec::new());
    let mut last = PathBuf::new();
    for run in 0..runs {
        eprintln!("import run {}/{runs}…", run + 1);
        let own_copy = site.file(&format!("alone-{run}.sqlite3"));
        let joined_copy = site.file(&format!("importer-{run}.sqlite3"));
        copy_closed(&alone, &own_copy);
        copy_closed(&importer, &joined_copy);
        let one = |p: &Path| -> ImportRun {
            child_json("run-sync-import", &[p.as_os_str(), roster.as_os_str()])
        };
        if run % 2 == 0 {
            on_own.push(one(&own_copy));
            joined.push(one(&joined_copy));
        } else {
            joined.push(one(&joined_copy));
            on_own.push(one(&own_copy));
        }
        last = joined_copy;
    }
    let pushed = sync_of(&last);
    let pulled = sync_of(&other);
    let hub_peak = hub.peak_kb();
    hub.stop();
    assert_eq!(digest_of(&last), digest_of(&other), "the two PCs differ");
    print_import(rows, &on_own, &joined, &pushed, &pulled, hub_peak);
}

fn print_import(
    rows: u32,
    on_own: &[ImportRun],
    joined: &[ImportRun],
    pushed: &SyncRun,
    pulled: &SyncRun,
    hub_peak: u64,
) {
    let med =
        |runs: &[ImportRun], f: fn(&ImportRun) -> f64| crate::median(runs.iter().map(f).collect());
    println!(
        "| {rows}-row import (median of {}) | whole | read + plan | commit | peak memory |",
        on_own.len()
    );
    println!("| --- | --- | --- | --- | --- |");
    for (name, runs) in [
        ("a PC on its own", on_own),
        ("a PC that joined (captured)", joined),
    ] {
        println!(
            "| {name} | {:.2} s | {:.2} s | {:.2} s | {:.0} MB |",
            med(runs, |r| r.seconds),
            med(runs, |r| r.plan_seconds),
            med(runs, |r| r.commit_seconds),
            med(runs, |r| r.peak_kb as f64) / 1024.0
        );
    }
    println!(
        "| joined ÷ on its own | {:.2}× | | {:.2}× | {:.2}× |",
        med(joined, |r| r.seconds) / med(on_own, |r| r.seconds),
        med(joined, |r| r.commit_seconds) / med(on_own, |r| r.commit_seconds),
        med(joined, |r| r.peak_kb as f64) / med(on_own, |r| r.peak_kb as f64)
    );
    println!();
    let last = joined.last().expect("a run");
    println!(
        "The import created {} customers and queued {} changeset(s), {:.1} MB.",
        last.created,
        last.outbox_rows,
        mb(last.outbox_bytes as f64)
    );
    println!();
    sync_header("then one `sync_once` each, over HTTPS");
    sync_row("the importing PC: push, pull back", pushed);
    sync_row("another PC: pull and apply", pulled);
    println!();
    println!("Hub process peak memory {} MB.", hub_peak / 1024);
}
