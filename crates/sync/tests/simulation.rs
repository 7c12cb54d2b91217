//! A deterministic simulation of an office: one hub and five PCs as real
//! ledgers in a temporary folder, random work on random PCs between random
//! syncs, over a transport that drops, duplicates, delays (and so
//! reorders), pages the log in small replies and cuts links by seed. After the links heal and everyone
//! syncs, every copy must be the hub's, whole, with nothing lost, a DM stop
//! never undone by sync, and a conflict record exactly where two PCs
//! changed the same field unknowingly (an oracle replays the hub's order).
//!
//! `SYNC_SEEDS=1000 cargo test -p daicho-sync --release --test simulation`
//! is the long run whose figures are in docs/benchmarks.md; a failing seed
//! is printed and belongs in `REGRESSIONS`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use daicho_ledger::sync::hub::{HubStore, Identity};
use daicho_ledger::sync::spoke::Joined;
use daicho_ledger::*;
use daicho_sync::office::Office;
use daicho_sync::spoke::{receive, sync_once};
use daicho_sync::wire::*;
use daicho_sync::SyncError;

/// Seeds that once failed, kept so they never fail again.
const REGRESSIONS: &[u64] = &[];
const PCS: usize = 5;
const STABLE: usize = 24;

fn clock() -> String {
    "2026-12-02 10:00:00".into()
}

/// The link between the PCs and the hub, with faults chosen by the seed.
struct Net {
    hub: Arc<Office>,
    rng: Mutex<fastrand::Rng>,
    cut: Mutex<HashSet<i64>>,
    /// Pushes delayed in the network, delivered later (out of order).
    late: Mutex<Vec<PushRequest>>,
    faulty: AtomicBool,
}

struct Link<'a> {
    net: &'a Net,
    device: i64,
}

fn lost() -> SyncError {
    SyncError::Unreachable {
        url: "sim".into(),
        detail: "lost".into(),
    }
}

impl Net {
    fn chance(&self, p: f64) -> bool {
        self.faulty.load(Ordering::Relaxed) && self.rng.lock().unwrap().f64() < p
    }

    fn deliver_late(&self) {
        let late: Vec<PushRequest> = {
            let mut stash = self.late.lock().unwrap();
            // Late messages arrive now and then, and all once links heal.
            let now = self.chance(0.3) || !self.faulty.load(Ordering::Relaxed);
            if stash.is_empty() || !now {
                return;
            }
            stash.drain(..).collect()
        };
        for request in late {
            // A late duplicate: whatever it says, the hub must take it once.
            let _ = self.hub.push(&request);
        }
    }
}

impl Hub for Link<'_> {
    fn pair(&self, request: &PairRequest) -> Result<PairReply, SyncError> {
        self.net.hub.pair(request)
    }

    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        self.net.deliver_late();
        if self.net.cut.lock().unwrap().contains(&self.device) || self.net.chance(0.1) {
            return Err(lost());
        }
        if self.net.chance(0.1) {
            self.net.late.lock().unwrap().push(request.clone());
            return Err(lost());
        }
        if self.net.chance(0.1) {
            self.net.hub.push(request)?;
        }
        let reply = self.net.hub.push(request)?;
        if self.net.chance(0.1) {
            return Err(lost());
        }
        Ok(reply)
    }

    fn pull(&self, request: &PullRequest) -> Result<PullReply, SyncError> {
        if self.net.cut.lock().unwrap().contains(&self.device) || self.net.chance(0.1) {
            return Err(lost());
        }
        let mut request = request.clone();
        if self.net.chance(0.3) {
            // Small pages: a pull of many entries spans several replies.
            request.limit = self.net.rng.lock().unwrap().u32(1..=4);
        }
        let mut reply = self.net.hub.pull(&request)?;
        if self.net.chance(0.05) && reply.entries.len() > 1 {
            // A reply cut short in transit: the PC applies what came.
            let keep = reply.entries.len() / 2;
            reply.entries.truncate(keep);
        }
        Ok(reply)
    }

    fn snapshot(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError> {
        self.net.hub.snapshot(auth, to)
    }

    fn digest(&self, auth: &Auth) -> Result<DigestReply, SyncError> {
        self.net.hub.digest(auth)
    }

    fn leave(&self, auth: &Auth) -> Result<(), SyncError> {
        self.net.hub.leave(auth)
    }
}

struct Pc {
    ledger: Ledger,
    device: i64,
    path: PathBuf,
}

/// A field edit, for the oracle: where it was made, what the PC saw
/// before, and what it wrote.
#[derive(Debug, Clone)]
struct Edit {
    device: i64,
    device_seq: i64,
    customer: i64,
    field: &'static str,
    base: String,
    new: String,
}

struct Office5 {
    _dir: tempfile::TempDir,
    hub_path: PathBuf,
    net: Net,
    pcs: Vec<Pc>,
    stable: Vec<i64>,
    initial: BTreeMap<(i64, &'static str), String>,
    /// Each PC's imports (batch, customers), newest last.
    imported: Vec<Vec<(i64, Vec<i64>)>>,
}

fn actor() -> Actor {
    Actor::system()
}

/// The first PC's ledger, with the customers every PC edits.
fn first_pc(path: &Path) -> Vec<i64> {
    let mut ledger = Ledger::open(path).unwrap();
    let stable = (0..STABLE)
        .map(|i| {
            let fields = CustomerFields {
                family_name: format!("安定{i}"),
                phone: format!("03-1000-{i:04}"),
                notes: format!("初回メモ{i}"),
                ..Default::default()
            };
            ledger.create_customer(&actor(), &fields).unwrap().id
        })
        .collect();
    ledger
        .save_label(&LabelInput {
            id: None,
            name: "見学会".into(),
            color: "#0ea5e9".into(),
        })
        .unwrap();
    stable
}

/// A PC that pairs with the hub and receives its snapshot.
fn join(hub: &Office, dir: &Path, n: usize) -> Pc {
    let secret = hub.offer_pairing(30).unwrap();
    let paired = hub
        .pair(&PairRequest {
            secret,
            name: format!("ノートPC{n}"),
            schema_version: LATEST_VERSION,
        })
        .unwrap();
    let joined = Joined {
        url: String::new(),
        fingerprint: String::new(),
        token: paired.token,
        device: paired.device,
        hub_name: paired.hub_name,
    };
    let path = dir.join(format!("pc{n}.sqlite3"));
    receive(hub, &joined, &path).unwrap();
    Pc {
        ledger: Ledger::open(&path).unwrap(),
        device: paired.device,
        path,
    }
}

fn setup(seed: u64) -> Office5 {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("pc0.sqlite3");
    let stable = first_pc(&first);
    let hub_path = dir.path().join("hub.sqlite3");
    let identity = Identity {
        name: "事務所".into(),
        cert: Vec::new(),
        key: Vec::new(),
        fingerprint: String::new(),
    };
    let store = HubStore::create(&hub_path, &first, &identity, "事務所のPC", &clock()).unwrap();
    let net = Net {
        hub: Arc::new(Office::with_clock(store, clock)),
        rng: Mutex::new(fastrand::Rng::with_seed(seed)),
        cut: Mutex::new(HashSet::new()),
        late: Mutex::new(Vec::new()),
        faulty: AtomicBool::new(true),
    };
    let mut pcs = vec![Pc {
        ledger: Ledger::open(&first).unwrap(),
        device: 0,
        path: first,
    }];
    pcs.extend((1..PCS).map(|n| join(&net.hub, dir.path(), n)));
    let mut initial = BTreeMap::new();
    for &id in &stable {
        let c = pcs[0].ledger.customer(id).unwrap();
        initial.insert((id, "phone"), c.fields.phone.clone());
        initial.insert((id, "dm_opt_out"), "0".to_string());
    }
    Office5 {
        _dir: dir,
        hub_path,
        net,
        pcs,
        stable,
        initial,
        imported: vec![Vec::new(); PCS],
    }
}

fn last_outbox_seq(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0)",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// A roster of 200 new people, as an import of it would come from a file.
fn roster(device: i64, step: usize) -> Vec<daicho_ledger::import::ImportRecord> {
    (0..200)
        .map(|i| daicho_ledger::import::ImportRecord {
            origin: vec![daicho_ledger::import::RowRef {
                sheet: "名簿".into(),
                row: i + 2,
            }],
            fields: CustomerFields {
                family_name: format!("名簿{device}-{step}-{i}"),
                phone: format!("06-{:04}-{:04}", step % 10_000, i),
                ..Default::default()
            },
            members: Vec::new(),
            overwrite: Vec::new(),
        })
        .collect()
}

/// Whole-ledger work on one PC: a 200-row import, its undo, a merge of
/// two people it brought, a customer to the trash.
fn bulk(p: &mut Pc, roll: u32, step: usize, imported: &mut Vec<(i64, Vec<i64>)>) {
    match roll {
        0 => {
            let counts = daicho_ledger::import::FileCounts {
                rows: 200,
                skipped: 0,
                warnings: 0,
            };
            let done = p
                .ledger
                .import_records(
                    &actor(),
                    "名簿.xlsx",
                    &roster(p.device, step),
                    counts,
                    &mut |_, _| true,
                )
                .unwrap();
            let ids: Vec<i64> = rusqlite::Connection::open(&p.path)
                .unwrap()
                .prepare(
                    "SELECT customer_id FROM import_batch_customers WHERE batch_id = ?1 \
                    ORDER BY customer_id",
                )
                .unwrap()
                .query_map([done.batch], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            imported.push((done.batch, ids));
        }
        1 => {
            if let Some((batch, _)) = imported.pop() {
                let _ = p.ledger.undo_import(&actor(), batch);
            }
        }
        2 => {
            if let Some((_, ids)) = imported.last() {
                if ids.len() >= 2 {
                    let _ = p.ledger.merge_customers(&actor(), ids[0], ids[1], &[]);
                }
            }
        }
        _ => {
            if let Some((_, ids)) = imported.last() {
                if let Some(id) = ids.get(step % ids.len().max(1)) {
                    let _ = p.ledger.trash_customer(&actor(), *id);
                }
            }
        }
    }
}

/// Work the oracle does not follow field by field: labels, new customers
/// and label names, status moves.
fn other_work(p: &mut Pc, roll: u32, customer: i64, step: usize, pc: usize) {
    match roll {
        56..=69 => {
            let labels = p.ledger.labels().unwrap();
            let ids: Vec<i64> = labels.iter().map(|l| l.id).collect();
            let _ =
                p.ledger
                    .set_customer_labels(&actor(), customer, &ids[..step % (ids.len() + 1)]);
        }
        70..=84 => {
            let fields = CustomerFields {
                family_name: format!("新規{}-{}", p.device, step),
                phone: format!("090-{:04}-{:04}", pc, step % 10_000),
                ..Default::default()
            };
            p.ledger.create_customer(&actor(), &fields).unwrap();
        }
        85..=89 => {
            let name = format!("ラベル{}", step % 7);
            // Two PCs may name a label alike: the hub refuses the second.
            let _ = p.ledger.save_label(&LabelInput {
                id: None,
                name,
                color: "#64748b".into(),
            });
        }
        _ => {
            let statuses = p.ledger.statuses().unwrap();
            let status = &statuses[step % statuses.len()];
            let _ = p
                .ledger
                .change_status(&actor(), customer, status.id, "", "");
        }
    }
}

/// One random piece of work on one PC; the edits the oracle follows.
fn work(office: &mut Office5, pc: usize, step: usize, edits: &mut Vec<Edit>) {
    let roll = office.net.rng.lock().unwrap().u32(0..104);
    if roll >= 100 {
        let p = &mut office.pcs[pc];
        let imported = &mut office.imported[pc];
        bulk(p, roll - 100, step, imported);
        return;
    }
    let customer = office.stable[office.net.rng.lock().unwrap().usize(0..STABLE)];
    let p = &mut office.pcs[pc];
    let before = p.ledger.customer(customer).unwrap();
    let mut fields = before.fields.clone();
    let field: Option<&'static str> = match roll {
        0..=29 => {
            fields.phone = format!("0{}-{:04}-{:04}", 3 + pc, step % 10_000, roll);
            Some("phone")
        }
        30..=44 => {
            fields.notes = format!("{}\n〔メモ{}-{}〕", fields.notes, p.device, step);
            Some("notes")
        }
        45..=52 => {
            fields.dm_opt_out = true;
            Some("dm_opt_out")
        }
        53..=55 => {
            fields.dm_opt_out = false;
            Some("dm_opt_out")
        }
        _ => return other_work(p, roll, customer, step, pc),
    };
    let saved = p.ledger.update_customer(&actor(), customer, &fields);
    let Ok(saved) = saved else { return };
    if field == Some("notes") {
        // Kept as an edit whose value must survive in the final notes.
        edits.push(Edit {
            device: p.device,
            device_seq: last_outbox_seq(&p.path),
            customer,
            field: "notes",
            base: String::new(),
            new: format!("〔メモ{}-{}〕", p.device, step),
        });
        return;
    }
    if let Some(field) = field {
        let (base, new) = match field {
            "phone" => (before.fields.phone.clone(), saved.fields.phone.clone()),
            _ => (
                u8::from(before.fields.dm_opt_out).to_string(),
                u8::from(saved.fields.dm_opt_out).to_string(),
            ),
        };
        if base != new {
            edits.push(Edit {
                device: p.device,
                device_seq: last_outbox_seq(&p.path),
                customer,
                field,
                base,
                new,
            });
        }
    }
}

fn sync(office: &mut Office5, pc: usize) {
    let p = &mut office.pcs[pc];
    let link = Link {
        net: &office.net,
        device: p.device,
    };
    match sync_once(&mut p.ledger, &link) {
        Ok(_) | Err(SyncError::Unreachable { .. }) => {}
        Err(e) => panic!("PC {} sync failed: {e}", p.device),
    }
}

fn run(seed: u64, steps: usize) -> Result<(), String> {
    let mut office = setup(seed);
    let mut edits = Vec::new();
    for step in 0..steps {
        let roll = office.net.rng.lock().unwrap().u32(0..100);
        let pc = office.net.rng.lock().unwrap().usize(0..PCS);
        match roll {
            0..=59 => work(&mut office, pc, step, &mut edits),
            60..=89 => sync(&mut office, pc),
            _ => {
                let device = office.pcs[pc].device;
                let mut cut = office.net.cut.lock().unwrap();
                if !cut.remove(&device) {
                    cut.insert(device);
                }
            }
        }
    }
    // The links heal; late messages arrive; everyone syncs until quiet.
    office.net.faulty.store(false, Ordering::Relaxed);
    office.net.cut.lock().unwrap().clear();
    office.net.deliver_late();
    for _ in 0..3 {
        for pc in 0..PCS {
            sync(&mut office, pc);
        }
    }
    check(&office, &edits)
}

fn check(office: &Office5, edits: &[Edit]) -> Result<(), String> {
    let hub = rusqlite::Connection::open(&office.hub_path).unwrap();
    let auth = |pc: &Pc| {
        let state = pc.ledger.sync_state().unwrap().unwrap();
        Auth {
            device: state.hub.device,
            token: state.hub.token,
            schema_version: LATEST_VERSION,
        }
    };
    let hub_digest = office.net.hub.digest(&auth(&office.pcs[0])).unwrap();
    for pc in &office.pcs {
        let state = pc.ledger.sync_state().unwrap().unwrap();
        if state.unsent != 0 || state.cursor != hub_digest.seq {
            return Err(format!("PC {} not quiet: {state:?}", pc.device));
        }
        let digest = pc.ledger.sync_digest().unwrap();
        if digest != hub_digest.tables {
            let differ: Vec<_> = digest
                .iter()
                .zip(&hub_digest.tables)
                .filter(|(a, b)| a != b)
                .map(|(a, _)| a.0.clone())
                .collect();
            return Err(format!(
                "PC {} differs from the hub in {differ:?}",
                pc.device
            ));
        }
        whole(&pc.path)?;
        // Every write the PC made reached the hub's log exactly once.
        let made = last_outbox_seq(&pc.path);
        let logged: i64 = hub
            .query_row(
                "SELECT count(*) FROM hub_log WHERE device = ?1",
                [pc.device],
                |r| r.get(0),
            )
            .unwrap();
        if logged != made {
            return Err(format!(
                "PC {}: {made} writes, {logged} in the hub's log",
                pc.device
            ));
        }
    }
    whole(&office.hub_path)?;
    oracle(office, &hub, edits)?;
    let kinds: Vec<(String, i64)> = {
        let mut stmt = hub
            .prepare("SELECT kept, count(*) FROM sync_conflicts GROUP BY kept ORDER BY kept")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    eprintln!(
        "{} edits followed; conflicts by outcome {kinds:?}",
        edits.len()
    );
    Ok(())
}

fn whole(path: &Path) -> Result<(), String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    if ok != "ok" || orphans != 0 {
        return Err(format!(
            "{}: integrity {ok}, {orphans} orphans",
            path.display()
        ));
    }
    Ok(())
}

/// Every note a PC added is in the final notes (both texts are kept).
fn notes_kept(office: &Office5, edits: &[Edit]) -> Result<(), String> {
    for e in edits.iter().filter(|e| e.field == "notes") {
        let notes = office.pcs[0]
            .ledger
            .customer(e.customer)
            .unwrap()
            .fields
            .notes;
        if !notes.contains(&e.new) {
            return Err(format!(
                "customer {}: note {} lost: {notes:?}",
                e.customer, e.new
            ));
        }
    }
    Ok(())
}

/// The conflict records the hub wrote for the followed fields, counted by
/// customer and field.
fn recorded(hub: &rusqlite::Connection) -> BTreeMap<(i64, &'static str), i64> {
    let mut stmt = hub
        .prepare(
            "SELECT row_id, field, count(*) FROM sync_conflicts \
             WHERE table_name = 'customers' AND field IN ('phone', 'dm_opt_out') \
             GROUP BY row_id, field",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let field: String = r.get(1)?;
        let field = if field == "phone" {
            "phone"
        } else {
            "dm_opt_out"
        };
        Ok(((r.get(0)?, field), r.get(2)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Replays the edits in the hub's order: a conflict is expected exactly
/// where the hub's value differed from the one the PC started from; the
/// DM stop is sticky; the final values are the replay's.
fn oracle(office: &Office5, hub: &rusqlite::Connection, edits: &[Edit]) -> Result<(), String> {
    notes_kept(office, edits)?;
    let mut ordered: Vec<(i64, &Edit)> = edits
        .iter()
        .filter(|e| e.field != "notes")
        .map(|e| {
            let seq: i64 = hub
                .query_row(
                    "SELECT seq FROM hub_log WHERE device = ?1 AND device_seq = ?2",
                    [e.device, e.device_seq],
                    |r| r.get(0),
                )
                .unwrap_or_else(|_| panic!("edit not in the hub's log: {e:?}"));
            (seq, e)
        })
        .collect();
    ordered.sort_by_key(|(seq, _)| *seq);
    let mut value = office.initial.clone();
    let mut expected: BTreeMap<(i64, &str), i64> = BTreeMap::new();
    for (_, e) in &ordered {
        let current = value.get(&(e.customer, e.field)).cloned().unwrap();
        let clash = current != e.base && current != e.new;
        let sticky = clash && e.field == "dm_opt_out" && current == "1";
        if clash {
            *expected.entry((e.customer, e.field)).or_default() += 1;
        }
        value.insert(
            (e.customer, e.field),
            if sticky { current } else { e.new.clone() },
        );
    }
    let got = recorded(hub);
    if got != expected {
        return Err(format!("conflict records {got:?}, expected {expected:?}"));
    }
    let ledger = &office.pcs[0].ledger;
    for ((id, field), want) in &value {
        let c = ledger.customer(*id).unwrap();
        let have = match *field {
            "phone" => c.fields.phone.clone(),
            _ => u8::from(c.fields.dm_opt_out).to_string(),
        };
        if &have != want {
            return Err(format!("customer {id} {field}: {have}, replay says {want}"));
        }
    }
    Ok(())
}

fn seeds() -> Vec<u64> {
    let count = std::env::var("SYNC_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12u64);
    let first = std::env::var("SYNC_FIRST")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1u64);
    REGRESSIONS
        .iter()
        .copied()
        .chain(first..first + count)
        .collect()
}

#[test]
fn an_office_of_five_pcs_converges_under_faults() {
    let mut failed = Vec::new();
    for seed in seeds() {
        eprintln!("seed {seed}");
        if let Err(why) = run(seed, 160) {
            eprintln!("seed {seed}: {why}");
            failed.push(seed);
        }
    }
    assert!(failed.is_empty(), "failing seeds: {failed:?}");
}
