//! The hub answering in-process: the `Hub` conversation over the hub's
//! store. The HTTPS server (`net`) serves exactly this; tests call it
//! directly or through a faulty transport.

use std::path::Path;
use std::sync::Mutex;

use daicho_ledger::sync::hub::{Caller, HubRefusal, HubStore, Incoming};
use daicho_ledger::{Coded, LATEST_VERSION};

use crate::error::SyncError;
use crate::wire::{
    Auth, DigestReply, Hub, LogEntry, PairReply, PairRequest, PullReply, PullRequest, PushReply,
    PushRequest, Refused, SnapshotInfo,
};

/// The most log entries one pull returns.
pub const PULL_LIMIT: u32 = 2_000;

/// The office hub: its store behind one lock (the log has one writer),
/// and its clock.
pub struct Office {
    store: Mutex<HubStore>,
    clock: Box<dyn Fn() -> String + Send + Sync>,
}

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The hub's time for its log and records: local time to the second.
pub fn wall_clock() -> String {
    chrono::Local::now().format(TIME_FORMAT).to_string()
}

impl Office {
    pub fn new(store: HubStore) -> Self {
        Self::with_clock(store, wall_clock)
    }

    /// The hub with a given clock (tests pass time in).
    pub fn with_clock(store: HubStore, clock: impl Fn() -> String + Send + Sync + 'static) -> Self {
        Self {
            store: Mutex::new(store),
            clock: Box::new(clock),
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, HubStore> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A one-time pairing secret, valid for `minutes`: six digits from the
    /// OS's random source.
    pub fn offer_pairing(&self, minutes: i64) -> Result<String, SyncError> {
        let secret = format!("{:06}", random_below(1_000_000));
        let now = chrono::NaiveDateTime::parse_from_str(&(self.clock)(), TIME_FORMAT)
            .map_err(|e| SyncError::Corrupt(format!("親機の時計: {e}")))?;
        let expires = (now + chrono::Duration::minutes(minutes))
            .format(TIME_FORMAT)
            .to_string();
        self.store().offer_pairing(&secret, &expires)?;
        Ok(secret)
    }

    pub fn head(&self) -> Result<i64, SyncError> {
        Ok(self.store().head()?)
    }

    pub fn identity(&self) -> Result<daicho_ledger::sync::hub::Identity, SyncError> {
        Ok(self.store().identity()?)
    }

    /// The hub's certificate and key, as its HTTPS server serves them.
    pub fn certificate(&self) -> Result<crate::net::Identity, SyncError> {
        let stored = self.identity()?;
        Ok(crate::net::Identity {
            cert_der: stored.cert,
            key_der: stored.key,
        })
    }
}

fn random_below(n: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the OS's random source");
    u64::from_le_bytes(bytes) % n
}

fn caller(auth: &Auth) -> Caller<'_> {
    Caller {
        device: auth.device,
        token: &auth.token,
        schema_version: auth.schema_version,
    }
}

impl From<HubRefusal> for SyncError {
    fn from(refusal: HubRefusal) -> Self {
        match refusal {
            HubRefusal::SchemaMismatch { pc, hub } => Self::SchemaMismatch { ours: pc, hub },
            HubRefusal::Ledger(e) => Self::Ledger(e),
            other => Self::Remote(crate::wire::WireError {
                code: other.code(),
                message: other.to_string(),
            }),
        }
    }
}

impl Hub for Office {
    fn pair(&self, request: &PairRequest) -> Result<PairReply, SyncError> {
        let now = (self.clock)();
        let mut store = self.store();
        let (device, token) =
            store.pair(&request.secret, &request.name, request.schema_version, &now)?;
        Ok(PairReply {
            device,
            token,
            hub_name: store.identity()?.name,
        })
    }

    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        let now = (self.clock)();
        let changes: Vec<Incoming> = request
            .changes
            .iter()
            .map(|c| Incoming {
                device_seq: c.device_seq,
                at: &c.at,
                staff_id: c.staff_id,
                changeset: &c.changeset,
            })
            .collect();
        let taken = self.store().take(&caller(&request.auth), &changes, &now)?;
        Ok(PushReply {
            taken_through: taken.through,
            refused: taken
                .refused
                .into_iter()
                .map(|(device_seq, undo)| Refused { device_seq, undo })
                .collect(),
        })
    }

    fn pull(&self, request: &PullRequest) -> Result<PullReply, SyncError> {
        let limit = request.limit.min(PULL_LIMIT);
        let (entries, head) =
            self.store()
                .log_after(&caller(&request.auth), request.after, limit)?;
        Ok(PullReply {
            entries: entries.into_iter().map(LogEntry::from).collect(),
            head,
        })
    }

    fn snapshot(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError> {
        let seq = self.store().snapshot(&caller(auth), to)?;
        let bytes = std::fs::metadata(to)
            .map_err(daicho_ledger::LedgerError::io(to))?
            .len();
        Ok(SnapshotInfo { seq, bytes })
    }

    fn leave(&self, auth: &Auth) -> Result<(), SyncError> {
        let now = (self.clock)();
        Ok(self.store().leave(&caller(auth), &now)?)
    }

    fn digest(&self, auth: &Auth) -> Result<DigestReply, SyncError> {
        let (seq, tables) = self.store().digest(&caller(auth))?;
        Ok(DigestReply { seq, tables })
    }
}

/// The schema version this binary speaks.
pub const SCHEMA_VERSION: i64 = LATEST_VERSION;
