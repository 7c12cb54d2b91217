//! The inbox of conflicts (issue #20) on real ledgers: two PCs change one
//! customer's phone before they meet; the card shows both sides with who,
//! which PC and the value in effect; settling it on one PC is an edit in
//! the customer's history, and after a sync the card is closed and the
//! value the same on both PCs. Leaving an office stops sync on that PC.

use std::path::Path;

use daicho_ledger::sync::hub::{HubStore, Identity};
use daicho_ledger::sync::inbox::Settle;
use daicho_ledger::sync::spoke::Joined;
use daicho_ledger::*;
use daicho_sync::office::Office;
use daicho_sync::spoke::{check, leave, receive, sync_once};
use daicho_sync::wire::*;

fn clock() -> String {
    "2026-12-02 10:00:00".into()
}

fn office(dir: &Path) -> (Office, Ledger) {
    let first = dir.join("pc0.sqlite3");
    let mut ledger = Ledger::open(&first).unwrap();
    let fields = CustomerFields {
        family_name: "高橋".into(),
        given_name: "一郎".into(),
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
    let hub = dir.join("hub.sqlite3");
    let store = HubStore::create(&hub, &first, &identity, "事務所のPC", &clock()).unwrap();
    (
        Office::with_clock(store, clock),
        Ledger::open(&first).unwrap(),
    )
}

fn join(hub: &Office, dir: &Path, name: &str) -> Ledger {
    let secret = hub.offer_pairing(30).unwrap();
    let paired = hub
        .pair(&PairRequest {
            secret,
            name: name.into(),
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
    let path = dir.join(format!("{name}.sqlite3"));
    receive(hub, &joined, &path).unwrap();
    Ledger::open(&path).unwrap()
}

fn set_phone(ledger: &mut Ledger, phone: &str) {
    let mut fields = ledger.customer(1).unwrap().fields;
    fields.phone = phone.into();
    ledger
        .update_customer(&Actor::system(), 1, &fields)
        .unwrap();
}

#[test]
fn a_card_settled_on_one_pc_closes_on_every_pc() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, mut office_pc) = office(dir.path());
    let mut laptop = join(&hub, dir.path(), "田中ノート");
    sync_once(&mut office_pc, &hub).unwrap();

    set_phone(&mut office_pc, "03-3333-0001");
    set_phone(&mut laptop, "090-4444-0002");
    sync_once(&mut office_pc, &hub).unwrap();
    sync_once(&mut laptop, &hub).unwrap();
    sync_once(&mut office_pc, &hub).unwrap();

    let cards = office_pc.conflict_cards().unwrap();
    assert_eq!(cards.len(), 1, "{cards:?}");
    let card = &cards[0];
    assert_eq!(card.customer_name, "高橋 一郎");
    assert_eq!(card.field_label, "電話番号");
    assert_eq!(card.base.as_deref(), Some("03-1111-2222"));
    assert_eq!(card.a.value.as_deref(), Some("03-3333-0001"));
    assert_eq!(card.a.pc.as_deref(), Some("事務所のPC"));
    assert_eq!(card.b.value.as_deref(), Some("090-4444-0002"));
    assert_eq!(card.b.pc.as_deref(), Some("田中ノート"));
    assert_eq!(card.now.as_deref(), Some("090-4444-0002"));
    assert_eq!(office_pc.conflicted_fields(1).unwrap(), vec!["phone"]);

    office_pc
        .resolve_conflict(&Actor::system(), card.id, &Settle::A)
        .unwrap();
    assert!(office_pc.conflict_cards().unwrap().is_empty());
    let history = office_pc.customer_history(1).unwrap();
    assert!(
        history
            .iter()
            .any(|h| format!("{h:?}").contains("03-3333-0001")),
        "the settling is not in the history: {history:?}"
    );

    sync_once(&mut office_pc, &hub).unwrap();
    sync_once(&mut laptop, &hub).unwrap();
    assert!(laptop.conflict_cards().unwrap().is_empty());
    for pc in [&office_pc, &laptop] {
        assert_eq!(pc.customer(1).unwrap().fields.phone, "03-3333-0001");
    }
}

#[test]
fn a_pc_that_leaves_sends_first_and_syncs_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, mut office_pc) = office(dir.path());
    let mut laptop = join(&hub, dir.path(), "佐藤ノート");
    let numbers = |pc: &Ledger| pc.sync_state().unwrap().unwrap().hub.device;
    let left_number = numbers(&laptop);
    set_phone(&mut laptop, "090-5555-0003");

    let left = leave(&mut laptop, &hub, false).unwrap();
    assert_eq!((left.sent, left.dropped), (1, 0));
    assert!(laptop.sync_state().unwrap().is_none());
    // Its last change reached the office; its later ones stay its own.
    sync_once(&mut office_pc, &hub).unwrap();
    assert_eq!(office_pc.customer(1).unwrap().fields.phone, "090-5555-0003");
    set_phone(&mut laptop, "090-5555-0004");
    assert!(laptop.sync_outbox(10).unwrap().is_empty());

    // The next PC never takes the number of the one that left (its writes
    // are in the hub's log under it): it joins, and its writes are taken.
    let mut next = join(&hub, dir.path(), "鈴木ノート");
    assert_ne!(numbers(&next), left_number);
    set_phone(&mut next, "090-5555-0005");
    sync_once(&mut next, &hub).unwrap();
    sync_once(&mut office_pc, &hub).unwrap();
    assert_eq!(office_pc.customer(1).unwrap().fields.phone, "090-5555-0005");
}

#[test]
fn a_pin_set_on_one_pc_reaches_every_pc() {
    let dir = tempfile::tempdir().unwrap();
    let (hub, mut office_pc) = office(dir.path());
    let staff = office_pc
        .save_staff(&StaffInput {
            id: None,
            name: "佐藤 健一".into(),
            kana: String::new(),
            active: true,
            role: Role::Admin,
        })
        .unwrap();
    sync_once(&mut office_pc, &hub).unwrap();
    let mut laptop = join(&hub, dir.path(), "佐藤ノート");
    laptop.sign_in(staff.id, None).unwrap();
    laptop.set_pin(staff.id, "4321").unwrap();
    sync_once(&mut laptop, &hub).unwrap();
    sync_once(&mut office_pc, &hub).unwrap();
    let pin_hash = |pc: &Ledger| -> Option<String> {
        pc.conn()
            .query_row(
                "SELECT pin_hash FROM staff WHERE id = ?1",
                [staff.id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert!(pin_hash(&laptop).is_some());
    assert_eq!(pin_hash(&office_pc), pin_hash(&laptop));
    assert_eq!(check(&office_pc, &hub).unwrap(), Some(Vec::new()));
}
