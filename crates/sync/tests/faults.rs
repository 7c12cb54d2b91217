//! What the hub refuses, and that a refusal changes nothing (issue #19,
//! "Bad input and faults"): a guessed pairing code, a PC from another
//! schema version, a PC the hub does not know, a damaged changeset, a
//! re-send; and a PC clock hours wrong, which orders nothing.

use std::path::Path;

use daicho_ledger::sync::hub::{HubStore, Identity};
use daicho_ledger::sync::spoke::Joined;
use daicho_ledger::*;
use daicho_sync::office::Office;
use daicho_sync::spoke::{check, receive, repair, sync_once};
use daicho_sync::wire::*;
use daicho_sync::SyncError;

fn clock() -> String {
    "2026-12-02 10:00:00".into()
}

fn hub_from(dir: &Path) -> Office {
    let first = dir.join("pc0.sqlite3");
    let mut ledger = Ledger::open(&first).unwrap();
    let fields = CustomerFields {
        family_name: "佐藤".into(),
        phone: "03-1111-2222".into(),
        ..Default::default()
    };
    ledger.create_customer(&Actor::system(), &fields).unwrap();
    drop(ledger);
    let identity = Identity {
        name: "事務所".into(),
        cert: Vec::new(),
        key: Vec::new(),
        fingerprint: String::new(),
    };
    let store = HubStore::create(
        &dir.join("hub.sqlite3"),
        &first,
        &identity,
        "事務所のPC",
        &clock(),
    )
    .unwrap();
    Office::with_clock(store, clock)
}

fn pair(hub: &Office, secret: &str) -> Result<PairReply, SyncError> {
    hub.pair(&PairRequest {
        secret: secret.into(),
        name: "ノートPC".into(),
        schema_version: LATEST_VERSION,
    })
}

fn joined(reply: PairReply) -> Joined {
    Joined {
        url: String::new(),
        fingerprint: String::new(),
        token: reply.token,
        device: reply.device,
        hub_name: reply.hub_name,
    }
}

#[test]
fn five_wrong_codes_withdraw_the_offered_one() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_from(dir.path());
    let secret = hub.offer_pairing(30).unwrap();
    let wrong = if secret == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let refused = pair(&hub, wrong).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::PairingRefused);
        assert!(refused.to_string().contains("接続コード"), "{refused}");
    }
    assert_eq!(
        pair(&hub, &secret).unwrap_err().code(),
        ErrorCode::PairingRefused
    );
    // A new code is a new start, and a code is good once.
    let again = hub.offer_pairing(30).unwrap();
    assert!(pair(&hub, &again).is_ok());
    assert!(pair(&hub, &again).is_err());
}

/// A joined PC with one unsent edit of customer 1's phone.
fn pc_with_an_edit(hub: &Office, dir: &Path, phone: &str) -> Ledger {
    let secret = hub.offer_pairing(30).unwrap();
    let info = joined(pair(hub, &secret).unwrap());
    let path = dir.join(format!("pc{}.sqlite3", info.device));
    receive(hub, &info, &path).unwrap();
    let mut ledger = Ledger::open(&path).unwrap();
    let mut fields = ledger.customer(1).unwrap().fields;
    fields.phone = phone.into();
    ledger
        .update_customer(&Actor::system(), 1, &fields)
        .unwrap();
    ledger
}

fn push_of(ledger: &Ledger, schema_version: i64) -> PushRequest {
    let state = ledger.sync_state().unwrap().unwrap();
    PushRequest {
        auth: Auth {
            device: state.hub.device,
            token: state.hub.token,
            schema_version,
        },
        changes: ledger
            .sync_outbox(100)
            .unwrap()
            .into_iter()
            .map(|w| Change {
                device_seq: w.seq,
                at: w.at,
                staff_id: w.staff_id,
                changeset: w.changeset,
            })
            .collect(),
    }
}

#[test]
fn refused_pushes_change_nothing_at_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_from(dir.path());
    let pc = pc_with_an_edit(&hub, dir.path(), "03-9999-0000");
    let head = hub.head().unwrap();

    let newer = hub.push(&push_of(&pc, LATEST_VERSION + 1)).unwrap_err();
    assert_eq!(newer.code(), ErrorCode::SchemaMismatch);
    assert!(
        newer.to_string().contains("親機のアプリを先に更新"),
        "{newer}"
    );

    let mut stranger = push_of(&pc, LATEST_VERSION);
    stranger.auth.token = "0".repeat(64);
    assert_eq!(
        hub.push(&stranger).unwrap_err().code(),
        ErrorCode::PairingRefused
    );

    let mut damaged = push_of(&pc, LATEST_VERSION);
    let cut = damaged.changes[0].changeset.len() / 2;
    damaged.changes[0].changeset.truncate(cut);
    let corrupt = hub.push(&damaged).unwrap_err();
    assert_eq!(corrupt.code(), ErrorCode::SyncCorrupt, "{corrupt}");

    assert_eq!(hub.head().unwrap(), head, "a refused push logged something");
    // The whole change, sent as it was written, is then taken, once.
    let whole = push_of(&pc, LATEST_VERSION);
    let first = hub.push(&whole).unwrap();
    let head = hub.head().unwrap();
    assert_eq!(hub.push(&whole).unwrap(), first);
    assert_eq!(hub.head().unwrap(), head, "a re-send was taken twice");
}

#[test]
fn a_pc_clock_hours_wrong_orders_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_from(dir.path());
    let mut early = pc_with_an_edit(&hub, dir.path(), "03-2222-0001");
    let mut late = pc_with_an_edit(&hub, dir.path(), "03-2222-0002");
    // The second PC's clock says it wrote hours before the first.
    let mut request = push_of(&late, LATEST_VERSION);
    for change in &mut request.changes {
        change.at = "2026-12-01 22:00:00".into();
    }
    sync_once(&mut early, &hub).unwrap();
    let reply = hub.push(&request).unwrap();
    late.sync_taken(&daicho_ledger::sync::hub::Taken {
        through: reply.taken_through,
        refused: Vec::new(),
    })
    .unwrap();
    sync_once(&mut late, &hub).unwrap();
    sync_once(&mut early, &hub).unwrap();
    // Arrival decides: the later arrival is in effect on both, and the
    // conflict shows both values.
    for pc in [&early, &late] {
        assert_eq!(pc.customer(1).unwrap().fields.phone, "03-2222-0002");
    }
    let conflicts = early.sync_conflicts(true).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].a.as_deref(), Some("03-2222-0001"));
    assert_eq!(conflicts[0].b.as_deref(), Some("03-2222-0002"));
    assert_eq!(conflicts[0].b_at.as_deref(), Some("2026-12-01 22:00:00"));
}

#[test]
fn a_copy_that_drifted_is_found_and_replaced_by_the_hubs() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_from(dir.path());
    let mut pc = pc_with_an_edit(&hub, dir.path(), "03-7777-0000");
    sync_once(&mut pc, &hub).unwrap();
    assert_eq!(
        daicho_sync::spoke::check(&pc, &hub).unwrap(),
        Some(Vec::new())
    );
    let path = pc.path().to_path_buf();
    drop(pc);
    // Something outside Daichō changed the file: no change was captured.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE customers SET phone = '00-0000-0000'", [])
        .unwrap();
    conn.execute(
        "INSERT INTO local_settings (key, value) VALUES ('second_place', \
         '{\"folder\":\"/media/usb\"}') \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [],
    )
    .unwrap();
    drop(conn);
    let pc = Ledger::open(&path).unwrap();
    assert_eq!(
        daicho_sync::spoke::check(&pc, &hub).unwrap(),
        Some(vec!["customers".to_string()])
    );
    drop(pc);

    let kept = daicho_sync::spoke::repair(&path, &hub).unwrap();
    assert!(kept.exists(), "the drifted copy is kept beside");
    let pc = Ledger::open(&path).unwrap();
    assert_eq!(
        daicho_sync::spoke::check(&pc, &hub).unwrap(),
        Some(Vec::new())
    );
    assert_eq!(pc.customer(1).unwrap().fields.phone, "03-7777-0000");
    assert!(
        pc.own_settings()
            .unwrap()
            .iter()
            .any(|(k, v)| k == "second_place" && v.contains("/media/usb")),
        "this PC's own settings stay"
    );
}

/// A drifted copy is replaced with the hub's only when no program has it
/// open: one that had would go on writing to the replaced file, and its WAL
/// would be read into the new one. Refused, nothing changes; once it is
/// closed, the copy is the hub's and the drifted one is kept whole.
#[test]
fn a_repair_waits_for_every_other_program_to_close_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_from(dir.path());
    let mut pc = pc_with_an_edit(&hub, dir.path(), "090-1111-0001");
    sync_once(&mut pc, &hub).unwrap();
    let path = pc.path().to_path_buf();
    drop(pc);
    // A change made around the ledger, by a tool that keeps the file open.
    let tool = rusqlite::Connection::open(&path).unwrap();
    tool.execute(
        "UPDATE customers SET phone = '03-9999-9999' WHERE id = 1",
        [],
    )
    .unwrap();

    let refused = repair(&path, &hub).unwrap_err();
    assert!(refused.to_string().contains("開いて"), "{refused}");
    let phone = |p: &Path| -> String {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("SELECT phone FROM customers WHERE id = 1", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(phone(&path), "03-9999-9999");

    drop(tool);
    let kept = repair(&path, &hub).unwrap();
    assert_eq!(phone(&path), "090-1111-0001");
    assert_eq!(phone(&kept), "03-9999-9999");
    // The repaired copy numbers its writes on from where it stood, so the
    // hub takes the next one rather than skipping it as taken.
    let mut ledger = Ledger::open(&path).unwrap();
    let mut fields = ledger.customer(1).unwrap().fields;
    fields.phone = "090-1111-0002".into();
    ledger
        .update_customer(&Actor::system(), 1, &fields)
        .unwrap();
    sync_once(&mut ledger, &hub).unwrap();
    assert_eq!(phone(&dir.path().join("hub.sqlite3")), "090-1111-0002");
    assert_eq!(check(&ledger, &hub).unwrap(), Some(Vec::new()));
}
