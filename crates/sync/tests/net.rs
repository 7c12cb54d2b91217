//! The HTTPS between a PC and the hub, over real loopback sockets. The hub
//! here is a small recorder that answers from what it was sent (it stands
//! in for the hub's logic, which has its own tests); everything between it
//! and the client is the real server, TLS and client.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use daicho_ledger::{Coded, ErrorCode};
use daicho_sync::net::{serve, Client, Identity, PairingCode, Served};
use daicho_sync::wire::{
    Auth, Change, DigestReply, LogEntry, PairReply, PairRequest, PullReply, PullRequest, PushReply,
    PushRequest, Refused, SnapshotInfo, WireError,
};
use daicho_sync::{Hub, SyncError};

#[derive(Debug, Clone, PartialEq)]
enum Received {
    Pair(PairRequest),
    Push(PushRequest),
    Pull(PullRequest),
    Snapshot(Auth, PathBuf),
    Digest(Auth),
    Leave(Auth),
}

#[derive(Default)]
struct Recorder {
    received: Mutex<Vec<Received>>,
    /// Every call is answered with this error instead.
    refusal: Option<fn() -> SyncError>,
    snapshot: Vec<u8>,
    /// Bytes the snapshot claims beyond what it wrote: the server then
    /// runs out of file before the announced length and cuts the body.
    snapshot_claims_extra: u64,
}

impl Recorder {
    fn take(&self, what: Received) -> Result<(), SyncError> {
        self.lock().push(what);
        self.refusal.map_or(Ok(()), |refusal| Err(refusal()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Received>> {
        self.received.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn received(&self) -> Vec<Received> {
        self.lock().clone()
    }

    /// Every change pushed so far, as the log entries a pull returns: the
    /// change, then its bytes reversed as the hub's "correction".
    fn log(&self) -> Vec<LogEntry> {
        let pushes = self.lock().clone();
        let changes = pushes.into_iter().flat_map(|received| match received {
            Received::Push(push) => push
                .changes
                .into_iter()
                .map(|change| (push.auth.device, change))
                .collect(),
            _ => vec![],
        });
        changes
            .enumerate()
            .map(|(at, (device, change))| LogEntry {
                seq: at as i64 + 1,
                device,
                device_seq: change.device_seq,
                changesets: vec![
                    change.changeset.clone(),
                    change.changeset.iter().rev().copied().collect(),
                ],
            })
            .collect()
    }
}

impl Hub for Recorder {
    fn pair(&self, request: &PairRequest) -> Result<PairReply, SyncError> {
        self.take(Received::Pair(request.clone()))?;
        Ok(PairReply {
            device: 7,
            token: format!("token for {}", request.name),
            hub_name: "事務所の親機".into(),
        })
    }

    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        self.take(Received::Push(request.clone()))?;
        // An empty change stands for one the hub refuses; its "inverse" is
        // every byte value.
        let refused = request
            .changes
            .iter()
            .filter(|change| change.changeset.is_empty())
            .map(|change| Refused {
                device_seq: change.device_seq,
                undo: every_byte(),
            })
            .collect();
        Ok(PushReply {
            taken_through: request.changes.last().map_or(0, |c| c.device_seq),
            refused,
        })
    }

    fn pull(&self, request: &PullRequest) -> Result<PullReply, SyncError> {
        self.take(Received::Pull(request.clone()))?;
        let log = self.log();
        let head = log.len() as i64;
        let entries = log
            .into_iter()
            .filter(|entry| entry.seq > request.after)
            .take(request.limit as usize)
            .collect();
        Ok(PullReply { entries, head })
    }

    fn snapshot(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError> {
        self.take(Received::Snapshot(auth.clone(), to.to_path_buf()))?;
        fs::File::create_new(to).unwrap();
        fs::write(to, &self.snapshot).unwrap();
        Ok(SnapshotInfo {
            seq: 42,
            bytes: self.snapshot.len() as u64 + self.snapshot_claims_extra,
        })
    }

    fn leave(&self, auth: &Auth) -> Result<(), SyncError> {
        self.take(Received::Leave(auth.clone()))
    }

    fn digest(&self, auth: &Auth) -> Result<DigestReply, SyncError> {
        self.take(Received::Digest(auth.clone()))?;
        Ok(DigestReply {
            seq: 42,
            tables: vec![
                ("customers".into(), "0f1e2d".into()),
                ("顧客メモ".into(), "\u{0}\u{7f}\"\\".into()),
            ],
        })
    }
}

fn start(recorder: Recorder) -> (Arc<Recorder>, Served) {
    let recorder = Arc::new(recorder);
    let identity = Identity::generate().unwrap();
    let served = serve(
        Arc::clone(&recorder) as Arc<dyn Hub>,
        "127.0.0.1:0".parse().unwrap(),
        &identity,
    )
    .unwrap();
    (recorder, served)
}

fn auth() -> Auth {
    Auth {
        device: 7,
        token: "token for 田中のノートPC".into(),
        schema_version: 14,
    }
}

fn every_byte() -> Vec<u8> {
    (0..=255).collect()
}

/// Bytes that do not repeat in any short pattern (a fixed LCG).
fn noise(len: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect()
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while !done() {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_pc_pairs_with_the_code_and_learns_the_whole_fingerprint() {
    let (hub, served) = start(Recorder::default());
    let port = served.local_addr.port();
    assert_eq!(served.url, format!("https://127.0.0.1:{port}"));

    let code = PairingCode::new("042195", &served.fingerprint).unwrap();
    let typed = PairingCode::parse(&code.to_string().to_lowercase()).unwrap();
    let (paired, fingerprint) = Client::pair(&served.url, &typed, "田中のノートPC", 14).unwrap();
    assert_eq!(fingerprint, served.fingerprint);
    assert_eq!(paired.device, 7);
    assert_eq!(paired.token, "token for 田中のノートPC");
    assert_eq!(paired.hub_name, "事務所の親機");
    let pairing = PairRequest {
        secret: "042195".into(),
        name: "田中のノートPC".into(),
        schema_version: 14,
    };
    assert_eq!(hub.received(), [Received::Pair(pairing)]);
}

#[test]
fn push_pull_and_digest_carry_every_byte_value() {
    let (hub, served) = start(Recorder::default());
    let client = Client::new(&served.url, &served.fingerprint);
    let change = |device_seq, staff_id, changeset| Change {
        device_seq,
        at: format!("2025-04-01 09:3{device_seq}:00"),
        staff_id,
        changeset,
    };
    let backwards: Vec<u8> = every_byte().into_iter().rev().collect();
    let push = PushRequest {
        auth: auth(),
        changes: vec![
            change(1, Some(3), every_byte()),
            change(2, None, vec![]),
            change(3, Some(4), backwards.clone()),
        ],
    };
    let pushed = client.push(&push).unwrap();
    assert_eq!(pushed.taken_through, 3);
    let refused = Refused {
        device_seq: 2,
        undo: every_byte(),
    };
    assert_eq!(pushed.refused, [refused]);
    assert_eq!(hub.received(), [Received::Push(push)]);

    let pull = PullRequest {
        auth: auth(),
        after: 1,
        limit: 10,
    };
    let pulled = client.pull(&pull).unwrap();
    assert_eq!(pulled.head, 3);
    assert_eq!(pulled.entries, hub.log()[1..]);
    assert_eq!(pulled.entries[1].changesets, [backwards, every_byte()]);
    assert_eq!(hub.received()[1], Received::Pull(pull));

    let digest = client.digest(&auth()).unwrap();
    assert_eq!(hub.received()[2], Received::Digest(auth()));
    assert_eq!(digest, hub.digest(&auth()).unwrap());
}

#[test]
fn a_snapshot_arrives_whole_and_the_hub_keeps_no_copy() {
    // Larger than one chunk of the server's, so it travels in several.
    let snapshot: Vec<u8> = every_byte().repeat(1500);
    let (hub, served) = start(Recorder {
        snapshot: snapshot.clone(),
        ..Recorder::default()
    });
    let client = Client::new(&served.url, &served.fingerprint);
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite3");
    let info = client.snapshot(&auth(), &copy).unwrap();
    let whole = SnapshotInfo {
        seq: 42,
        bytes: snapshot.len() as u64,
    };
    assert_eq!(info, whole);
    assert_eq!(fs::read(&copy).unwrap(), snapshot);
    let [Received::Snapshot(asked, hubs_file)] = &hub.received()[..] else {
        panic!("the hub was asked for one snapshot");
    };
    assert_eq!(*asked, auth());
    wait_until("the hub removes its temporary copy once sent", || {
        !hubs_file.exists() && !hubs_file.parent().unwrap().exists()
    });
}

#[test]
fn a_push_of_30_mb_arrives_whole() {
    let (hub, served) = start(Recorder::default());
    let client = Client::new(&served.url, &served.fingerprint);
    let changeset = noise(30 * 1024 * 1024);
    let push = PushRequest {
        auth: auth(),
        changes: vec![Change {
            device_seq: 1,
            at: "2025-04-01 09:30:00".into(),
            staff_id: None,
            changeset,
        }],
    };
    assert_eq!(client.push(&push).unwrap().taken_through, 1);
    assert!(hub.received() == [Received::Push(push)]);
}

#[test]
fn a_hub_with_another_certificate_hears_nothing() {
    let (hub, served) = start(Recorder::default());
    let impostor = Identity::generate().unwrap();
    let client = Client::new(&served.url, &impostor.fingerprint());
    let pushed = client.push(&PushRequest {
        auth: auth(),
        changes: vec![],
    });
    let error = pushed.unwrap_err();
    assert!(matches!(error, SyncError::Certificate { .. }), "{error:?}");
    assert_eq!(error.code(), ErrorCode::HubCertificate);
    assert!(error.to_string().contains(&served.url), "{error}");

    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite3");
    let error = client.snapshot(&auth(), &copy).unwrap_err();
    assert_eq!(error.code(), ErrorCode::HubCertificate);
    assert!(!copy.exists());
    assert_eq!(hub.received(), []);
}

#[test]
fn a_pairing_code_for_another_hub_sends_nothing() {
    let (hub, served) = start(Recorder::default());
    let other = Identity::generate().unwrap();
    let code = PairingCode::new("042195", &other.fingerprint()).unwrap();
    let error = Client::pair(&served.url, &code, "田中のノートPC", 14).unwrap_err();
    assert!(matches!(error, SyncError::Pairing(_)), "{error:?}");
    assert_eq!(error.code(), ErrorCode::PairingRefused);
    assert!(
        error.to_string().contains("打ち間違えていないか"),
        "{error}"
    );
    assert_eq!(hub.received(), []);
}

#[test]
fn a_stopped_hub_is_unreachable_at_once() {
    let (hub, served) = start(Recorder::default());
    let client = Client::new(&served.url, &served.fingerprint);
    let url = served.url.clone();
    served.stop();
    let started = Instant::now();
    let error = client.digest(&auth()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(4));
    assert!(matches!(error, SyncError::Unreachable { .. }), "{error:?}");
    assert_eq!(error.code(), ErrorCode::HubUnreachable);
    assert!(error.to_string().contains(&url), "{error}");
    assert!(error.to_string().contains("オフライン"), "{error}");
    assert_eq!(hub.received(), []);
}

#[test]
fn the_hubs_refusal_arrives_as_the_hub_wrote_it() {
    let (hub, served) = start(Recorder {
        refusal: Some(|| SyncError::SchemaMismatch { ours: 13, hub: 14 }),
        ..Recorder::default()
    });
    let client = Client::new(&served.url, &served.fingerprint);
    let said = SyncError::SchemaMismatch { ours: 13, hub: 14 };
    let pull = PullRequest {
        auth: auth(),
        after: 0,
        limit: 100,
    };
    let error = client.pull(&pull).unwrap_err();
    assert!(matches!(error, SyncError::Remote(_)), "{error:?}");
    assert_eq!(error.code(), ErrorCode::SchemaMismatch);
    assert_eq!(error.to_string(), said.to_string());

    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite3");
    let error = client.snapshot(&auth(), &copy).unwrap_err();
    assert_eq!(error.code(), ErrorCode::SchemaMismatch);
    assert!(!copy.exists());
    assert_eq!(hub.received().len(), 2);
}

#[test]
fn a_used_pairing_code_is_refused_in_the_hubs_words() {
    let (_hub, served) = start(Recorder {
        refusal: Some(|| SyncError::Pairing("このペアリングコードは使用済みです。".into())),
        ..Recorder::default()
    });
    let code = PairingCode::new("042195", &served.fingerprint).unwrap();
    let error = Client::pair(&served.url, &code, "田中のノートPC", 14).unwrap_err();
    assert_eq!(error.code(), ErrorCode::PairingRefused);
    assert_eq!(error.to_string(), "このペアリングコードは使用済みです。");
}

#[test]
fn a_snapshot_cut_short_leaves_no_file() {
    let (hub, served) = start(Recorder {
        snapshot: noise(600 * 1024),
        snapshot_claims_extra: 100,
        ..Recorder::default()
    });
    let client = Client::new(&served.url, &served.fingerprint);
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("copy.sqlite3");
    let error = client.snapshot(&auth(), &copy).unwrap_err();
    assert!(matches!(error, SyncError::Corrupt(_)), "{error:?}");
    assert_eq!(error.code(), ErrorCode::SyncCorrupt);
    assert!(!copy.exists());
    assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 0);
    assert_eq!(hub.received().len(), 1);
}

#[test]
fn a_snapshot_never_replaces_a_file_that_is_there() {
    let (_hub, served) = start(Recorder {
        snapshot: every_byte(),
        ..Recorder::default()
    });
    let client = Client::new(&served.url, &served.fingerprint);
    let folder = tempfile::tempdir().unwrap();
    let ledger = folder.path().join("ledger.sqlite3");
    fs::write(&ledger, "the office's ledger").unwrap();
    let error = client.snapshot(&auth(), &ledger).unwrap_err();
    assert_eq!(error.code(), ErrorCode::Io);
    assert_eq!(fs::read(&ledger).unwrap(), b"the office's ledger");
}

#[test]
fn a_port_in_use_is_said_in_japanese() {
    let (_hub, served) = start(Recorder::default());
    let identity = Identity::generate().unwrap();
    let second = serve(Arc::new(Recorder::default()), served.local_addr, &identity);
    let error = second.unwrap_err();
    assert_eq!(error.code(), ErrorCode::Io);
    assert!(
        error
            .to_string()
            .contains("他のプログラムがこのポートを使っています"),
        "{error}"
    );
}

#[test]
fn an_identity_survives_its_stored_form() {
    let identity = Identity::generate().unwrap();
    let stored = serde_json::to_string(&identity).unwrap();
    let loaded: Identity = serde_json::from_str(&stored).unwrap();
    assert_eq!(loaded, identity);
    assert_eq!(loaded.fingerprint().len(), 64);
    assert!(loaded
        .fingerprint()
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert!(!format!("{identity:?}").contains("key_der: ["));
}

/// A plain HTTPS client that trusts the hub's certificate the ordinary way
/// (as its own authority, under the name in it), to send what `Client`
/// never would.
fn raw_agent(identity: &Identity, served: &Served) -> (ureq::Agent, String) {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(identity.cert_der.clone().into()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let hub = served.local_addr;
    let agent = ureq::AgentBuilder::new()
        .tls_config(Arc::new(config))
        .resolver(move |_: &str| Ok(vec![hub]))
        .build();
    (agent, format!("https://daicho-hub:{}", hub.port()))
}

fn wire_error(answer: Result<ureq::Response, ureq::Error>) -> (u16, WireError) {
    match answer {
        Err(ureq::Error::Status(status, response)) => (
            status,
            serde_json::from_reader(response.into_reader()).unwrap(),
        ),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn a_malformed_request_is_refused_without_reaching_the_hub() {
    let hub = Arc::new(Recorder::default());
    let identity = Identity::generate().unwrap();
    let listen = "127.0.0.1:0".parse().unwrap();
    let served = serve(Arc::clone(&hub) as Arc<dyn Hub>, listen, &identity).unwrap();
    let (agent, url) = raw_agent(&identity, &served);

    let garbled = agent
        .post(&format!("{url}/v1/push"))
        .send_string("{\"auth\": ");
    let (status, error) = wire_error(garbled);
    assert_eq!(status, 400);
    assert_eq!(error.code, ErrorCode::SyncCorrupt);
    assert!(
        error.message.contains("要求の形が違います"),
        "{}",
        error.message
    );

    let asked_elsewhere = agent
        .post(&format!("{url}/v1/push"))
        .send_string(&serde_json::to_string(&auth()).unwrap());
    assert_eq!(wire_error(asked_elsewhere).1.code, ErrorCode::SyncCorrupt);

    let unknown = agent.get(&format!("{url}/v1/push")).call();
    let (status, error) = wire_error(unknown);
    assert_eq!(status, 404);
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("GET /v1/push"), "{}", error.message);
    assert_eq!(hub.received(), []);
}
