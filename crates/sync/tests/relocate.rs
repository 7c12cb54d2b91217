//! A PC finds its hub again on the LAN (mDNS) by the certificate it pinned:
//! the first PC, which never learnt the hub's address, and any PC after the
//! hub's address changed (here its port, as a restart on another port or a
//! new DHCP lease would change it). Real HTTPS and real multicast.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use daicho_ledger::sync::hub::{HubStore, Identity as HubIdentity};
use daicho_ledger::*;
use daicho_sync::net::{serve, Identity, Served};
use daicho_sync::office::Office;
use daicho_sync::worker::{SyncStatus, Worker};

fn serve_on_the_lan(hub: &Path, identity: &Identity) -> Served {
    let office = Arc::new(Office::new(HubStore::open(hub).unwrap()));
    let mut served = serve(office, "0.0.0.0:0".parse().unwrap(), identity).unwrap();
    served.announce("事務所", "jimusho").unwrap();
    served
}

/// Waits until the worker is synced with the hub at `port`.
fn synced_at(worker: &Worker, ledger: &Path, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let url = Ledger::open(ledger)
            .unwrap()
            .sync_state()
            .unwrap()
            .unwrap()
            .hub
            .url;
        let synced = matches!(worker.info().status, SyncStatus::Synced { .. });
        if synced && url.ends_with(&format!(":{port}")) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "not synced at port {port}: {url} {:?}",
            worker.info().status
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_pc_finds_its_hub_again_by_the_certificate_it_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("pc0.sqlite3");
    let mut ledger = Ledger::open(&first).unwrap();
    let fields = CustomerFields {
        family_name: "森".into(),
        ..Default::default()
    };
    ledger.create_customer(&Actor::system(), &fields).unwrap();
    drop(ledger);
    let identity = Identity::generate().unwrap();
    let hub = dir.path().join("hub.sqlite3");
    let stored = HubIdentity {
        name: "事務所".into(),
        cert: identity.cert_der.clone(),
        key: identity.key_der.clone(),
        fingerprint: identity.fingerprint(),
    };
    HubStore::create(&hub, &first, &stored, "事務所のPC", "2026-12-02 10:00:00").unwrap();

    // The first PC has never been told where the hub is.
    let served = serve_on_the_lan(&hub, &identity);
    let worker = Worker::start(first.clone(), Duration::from_millis(50)).unwrap();
    synced_at(&worker, &first, served.local_addr.port());

    // The hub comes back elsewhere: the PC follows it.
    let old_port = served.local_addr.port();
    served.stop();
    let moved = serve_on_the_lan(&hub, &identity);
    assert_ne!(moved.local_addr.port(), old_port);
    synced_at(&worker, &first, moved.local_addr.port());
}
