//! Several PCs as real processes on loopback (issue #19): a `daicho hub
//! serve`, PCs that `daicho join` it through a proxy in this test that cuts
//! and restores the link, `daicho sync` running beside `daicho update`, and
//! SIGKILL of a PC mid-push and mid-pull and of the hub mid-apply. After
//! every fault each ledger still passes integrity and foreign-key checks,
//! and once everyone syncs, every copy is the hub's with nothing lost.
//!
//! `SYNC_KILLS` sets the kills of each kind: 12 in the test command,
//! `SYNC_KILLS=50` in the longer run whose figures are in
//! docs/benchmarks.md.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{daicho, daicho_json, ok};
use daicho_ledger::Ledger;

fn spawn(db: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_daicho"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// `daicho hub serve` on a free port; its URL from the first line.
struct HubProcess {
    child: Child,
    port: u16,
    fingerprint: String,
}

fn serve(hub: &Path) -> HubProcess {
    serve_on(hub, "127.0.0.1:0")
}

fn serve_on(hub: &Path, listen: &str) -> HubProcess {
    let mut child = spawn(hub, &["hub", "serve", "--listen", listen, "--json"]);
    let mut text = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut text)
        .unwrap();
    let first: serde_json::Value = serde_json::from_str(&text).unwrap();
    let url = first["url"].as_str().unwrap();
    HubProcess {
        port: url.rsplit(':').next().unwrap().parse().unwrap(),
        fingerprint: first["fingerprint"].as_str().unwrap().to_string(),
        child,
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP proxy between the PCs and the hub: the link a test cuts, restores
/// and points at a restarted hub.
struct Proxy {
    port: u16,
    target: Arc<AtomicU16>,
    cut: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn to(port: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let proxy = Self {
            port: listener.local_addr().unwrap().port(),
            target: Arc::new(AtomicU16::new(port)),
            cut: Arc::new(AtomicBool::new(false)),
            open: Arc::new(Mutex::new(Vec::new())),
        };
        let (target, cut, open) = (proxy.target.clone(), proxy.cut.clone(), proxy.open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if cut.load(Ordering::SeqCst) {
                    continue; // dropped: the PC sees the connection fail
                }
                let Ok(upstream) = TcpStream::connect(("127.0.0.1", target.load(Ordering::SeqCst)))
                else {
                    continue;
                };
                {
                    let mut open = open.lock().unwrap();
                    open.push(client.try_clone().unwrap());
                    open.push(upstream.try_clone().unwrap());
                }
                pipe(client.try_clone().unwrap(), upstream.try_clone().unwrap());
                pipe(upstream, client);
            }
        });
        proxy
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    fn set_cut(&self, cut: bool) {
        self.cut.store(cut, Ordering::SeqCst);
        if cut {
            for stream in self.open.lock().unwrap().drain(..) {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

struct Office {
    dir: tempfile::TempDir,
    hub: PathBuf,
    serving: HubProcess,
    proxy: Proxy,
    pcs: Vec<PathBuf>,
}

/// A hub seeded from a first PC with a few customers, and `n - 1` more PCs
/// joined through the proxy.
fn office(n: usize) -> Office {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("pc0.sqlite3");
    for i in 0..5 {
        ok(&daicho_json(
            &first,
            &[
                "add",
                "--family",
                &format!("顧客{i}"),
                "--phone",
                &format!("03-1234-000{i}"),
            ],
        ));
    }
    let hub = dir.path().join("hub.sqlite3");
    ok(&daicho_json(
        &hub,
        &["hub", "init", "--from", first.to_str().unwrap()],
    ));
    let serving = serve(&hub);
    let proxy = Proxy::to(serving.port);
    ok(&daicho_json(
        &first,
        &["sync", "--once", "--hub", &proxy.url()],
    ));
    let mut pcs = vec![first];
    for i in 1..n {
        let code = ok(&daicho_json(&hub, &["hub", "pair"]))["code"]
            .as_str()
            .unwrap()
            .to_string();
        let pc = dir.path().join(format!("pc{i}.sqlite3"));
        ok(&daicho_json(
            &pc,
            &[
                "join",
                "--hub",
                &proxy.url(),
                "--code",
                &code,
                "--name",
                &format!("ノートPC{i}"),
            ],
        ));
        pcs.push(pc);
    }
    Office {
        dir,
        hub,
        serving,
        proxy,
        pcs,
    }
}

fn whole(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!((check.as_str(), orphans), ("ok", 0), "{}", path.display());
}

fn head(hub: &Path) -> i64 {
    rusqlite::Connection::open(hub)
        .unwrap()
        .query_row("SELECT coalesce(max(seq), 0) FROM hub_log", [], |r| {
            r.get(0)
        })
        .unwrap()
}

/// Every PC's copy is the hub's: nothing unsent, the log applied to its
/// head, every replicated table alike; and the hub logged every write.
fn converged(office: &Office) -> Result<(), String> {
    let hub_digest = Ledger::open(&office.hub).unwrap().sync_digest().unwrap();
    let head = head(&office.hub);
    for pc in &office.pcs {
        let ledger = Ledger::open(pc).unwrap();
        let state = ledger.sync_state().unwrap().unwrap();
        if state.unsent != 0 || state.cursor != head {
            return Err(format!("{}: {state:?}, head {head}", pc.display()));
        }
        if ledger.sync_digest().unwrap() != hub_digest {
            return Err(format!("{} differs from the hub", pc.display()));
        }
        // Every write this PC made is in the hub's log, once.
        let made: i64 = rusqlite::Connection::open(pc)
            .unwrap()
            .query_row(
                "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let logged: i64 = rusqlite::Connection::open(&office.hub)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM hub_log WHERE device = ?1",
                [state.hub.device],
                |r| r.get(0),
            )
            .unwrap();
        if made != logged {
            return Err(format!("{}: {made} writes, {logged} logged", pc.display()));
        }
    }
    Ok(())
}

fn sync_until_converged(office: &Office) {
    let mut last = String::new();
    for _ in 0..20 {
        for pc in &office.pcs {
            let _ = daicho(pc, &["sync", "--once"]);
        }
        match converged(office) {
            Ok(()) => return,
            Err(why) => last = why,
        }
    }
    panic!("did not converge: {last}");
}

#[test]
fn five_pcs_syncing_beside_their_edits_converge_through_a_cut_link() {
    let office = office(5);
    let mut syncing: Vec<Child> = office.pcs.iter().map(|pc| spawn(pc, &["sync"])).collect();
    let mut rng = fastrand::Rng::with_seed(19);
    for round in 0..40 {
        let pc = &office.pcs[rng.usize(0..office.pcs.len())];
        let customer = rng.u32(1..=5).to_string();
        let phone = format!("0{}-5555-{:04}", rng.u32(3..=9), round);
        ok(&daicho_json(pc, &["update", &customer, "--phone", &phone]));
        if round % 10 == 5 {
            office.proxy.set_cut(true);
        }
        if round % 10 == 9 {
            office.proxy.set_cut(false);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    office.proxy.set_cut(false);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut outcome = converged(&office);
    while outcome.is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
        outcome = converged(&office);
    }
    for child in &mut syncing {
        let _ = child.kill();
        let _ = child.wait();
    }
    outcome.unwrap();
    for pc in &office.pcs {
        whole(pc);
    }
    whole(&office.hub);
    // The same phone edited on two PCs before they met: recorded.
    let conflicts = ok(&daicho_json(&office.pcs[0], &["conflicts"]));
    for conflict in conflicts.as_array().unwrap() {
        assert_eq!(conflict["field"], "phone");
        assert_ne!(conflict["a"], conflict["b"]);
    }
    drop(office.dir);
}

fn kills() -> usize {
    std::env::var("SYNC_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(12)
}

/// How long an unhurried `daicho sync --once` of a 300-customer write
/// takes here: the kills land at random within it.
fn sync_time(pc: &Path) -> Duration {
    ok(&daicho_json(pc, &["sample", "--count", "300"]));
    let started = Instant::now();
    ok(&daicho_json(pc, &["sync", "--once"]));
    started.elapsed()
}

/// Starts `daicho sync --once` on `pc`, kills it after a random part of
/// `span`; whether it was still running when killed.
fn kill_during(pc: &Path, span: Duration, rng: &mut fastrand::Rng) -> bool {
    let mut child = spawn(pc, &["sync", "--once"]);
    std::thread::sleep(span.mul_f64(rng.f64()));
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

#[test]
fn a_pc_killed_mid_push_or_mid_pull_loses_nothing() {
    let office = office(2);
    let (a, b) = (&office.pcs[0], &office.pcs[1]);
    let span = sync_time(b);
    let mut rng = fastrand::Rng::with_seed(7);
    let mut hits = 0;
    for _ in 0..kills() {
        // Mid-push: B has a big write unsent.
        ok(&daicho_json(b, &["sample", "--count", "300"]));
        hits += usize::from(kill_during(b, span, &mut rng));
        whole(b);
        // Mid-pull: A's big write is at the hub; B pulls it.
        ok(&daicho_json(a, &["sample", "--count", "300"]));
        ok(&daicho_json(a, &["sync", "--once"]));
        hits += usize::from(kill_during(b, span, &mut rng));
        whole(b);
    }
    sync_until_converged(&office);
    whole(&office.hub);
    assert!(
        hits >= kills(),
        "only {hits} of {} kills met a running sync",
        2 * kills()
    );
}

#[test]
fn the_hub_killed_mid_apply_loses_nothing() {
    let mut office = office(2);
    let b = office.pcs[1].clone();
    let span = sync_time(&b);
    let mut rng = fastrand::Rng::with_seed(11);
    let mut hits = 0;
    for _ in 0..kills() {
        ok(&daicho_json(&b, &["sample", "--count", "300"]));
        let mut pushing = spawn(&b, &["sync", "--once"]);
        std::thread::sleep(span.mul_f64(rng.f64()));
        hits += usize::from(pushing.try_wait().unwrap().is_none());
        // The hub dies wherever it is; it comes back on another port.
        let _ = office.serving.child.kill();
        let _ = office.serving.child.wait();
        let _ = pushing.kill();
        let _ = pushing.wait();
        whole(&office.hub);
        office.serving = serve(&office.hub);
        office
            .proxy
            .target
            .store(office.serving.port, Ordering::SeqCst);
        whole(&b);
    }
    sync_until_converged(&office);
    assert!(
        hits >= kills() / 2,
        "only {hits} of {} kills met a running push",
        kills()
    );
}

/// A hub serving on every interface announces itself by mDNS: `daicho
/// hubs` finds it among whatever else answers, and a PC joins by the
/// address found. One on loopback only is not announced.
#[test]
fn a_pc_finds_the_hub_on_the_network_and_joins_by_the_address_found() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("pc0.sqlite3");
    ok(&daicho_json(&first, &["add", "--family", "山本"]));
    let hub = dir.path().join("hub.sqlite3");
    ok(&daicho_json(
        &hub,
        &[
            "hub",
            "init",
            "--from",
            first.to_str().unwrap(),
            "--name",
            "山本工務店",
        ],
    ));
    let hidden = serve(&hub);
    let found = ok(&daicho_json(&first, &["hubs", "--wait", "3"]));
    let ours = |hubs: &serde_json::Value, fingerprint: &str| {
        hubs.as_array()
            .unwrap()
            .iter()
            .find(|h| h["fingerprint"] == fingerprint)
            .cloned()
    };
    assert_eq!(ours(&found, &hidden.fingerprint), None, "{found}");
    drop(hidden);

    let serving = serve_on(&hub, "0.0.0.0:0");
    let found = ok(&daicho_json(&first, &["hubs", "--wait", "3"]));
    let hub_found = ours(&found, &serving.fingerprint).expect("the hub was not found");
    assert_eq!(hub_found["office"], "山本工務店");
    let address = hub_found["address"].as_str().unwrap();
    assert!(
        address.ends_with(&format!(":{}", serving.port)),
        "{address}"
    );
    let code = ok(&daicho_json(&hub, &["hub", "pair"]))["code"]
        .as_str()
        .unwrap()
        .to_string();
    let laptop = dir.path().join("laptop.sqlite3");
    let url = format!("https://{address}");
    ok(&daicho_json(
        &laptop,
        &["join", "--hub", &url, "--code", &code, "--name", "ノートPC"],
    ));
    let stats = ok(&daicho_json(&laptop, &["stats"]));
    assert_eq!(stats["customers"], 1, "{stats}");
}
