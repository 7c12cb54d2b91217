//! What a PC and the office hub say to each other. One trait, `Hub`, is the
//! whole conversation: the hub answers it in-process (`hub::Office`), the
//! HTTPS client (`net::Client`) carries it over the LAN, and the tests'
//! faulty transport wraps either. Changesets travel as SQLite made them
//! (base64 inside JSON): nothing here reads or rewrites them.

use std::path::Path;

use daicho_ledger::ErrorCode;
use serde::{Deserialize, Serialize};

use crate::error::SyncError;

/// A position in the hub's log: the hub numbers every change it takes.
pub type Seq = i64;

/// Who is asking: the device number the hub gave at pairing and the secret
/// that came with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Auth {
    pub device: i64,
    pub token: String,
    /// The ledger's schema version on the asking PC: changesets travel only
    /// between equal versions.
    pub schema_version: i64,
}

/// One write made on a PC: its changeset and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The PC's own numbering of its writes (its outbox's seq): the hub
    /// takes each (device, device_seq) once, so a re-send is harmless.
    pub device_seq: i64,
    /// When the PC wrote it, by its own clock (shown, never ordered by).
    pub at: String,
    pub staff_id: Option<i64>,
    #[serde(with = "base64_bytes")]
    pub changeset: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub auth: Auth,
    /// In the PC's order; the hub takes them in that order.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushReply {
    /// The last device_seq the hub has taken (applied, or recorded as
    /// rejected) from this PC: the PC drops its outbox up to here.
    pub taken_through: i64,
    /// The changes of this push the hub refused (a name another PC took
    /// meanwhile, a customer deleted meanwhile), each with its inverse,
    /// which the PC applies so that its copy never keeps them. They are
    /// kept whole in a conflict record.
    #[serde(default)]
    pub refused: Vec<Refused>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    pub device_seq: i64,
    #[serde(with = "base64_bytes")]
    pub undo: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub auth: Auth,
    /// The last seq this PC has applied.
    pub after: Seq,
    /// At most this many entries in one reply.
    pub limit: u32,
}

/// One entry of the hub's log: what the hub put in effect for one change,
/// as changesets to apply in order (the change as taken, then the hub's
/// corrections, if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub seq: Seq,
    pub device: i64,
    pub device_seq: i64,
    #[serde(with = "base64_list")]
    pub changesets: Vec<Vec<u8>>,
}

/// The ledger's entry as it travels, and back: the same fields.
impl From<daicho_ledger::sync::hub::Entry> for LogEntry {
    fn from(e: daicho_ledger::sync::hub::Entry) -> Self {
        Self {
            seq: e.seq,
            device: e.device,
            device_seq: e.device_seq,
            changesets: e.changesets,
        }
    }
}

impl From<LogEntry> for daicho_ledger::sync::hub::Entry {
    fn from(e: LogEntry) -> Self {
        Self {
            seq: e.seq,
            device: e.device,
            device_seq: e.device_seq,
            changesets: e.changesets,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullReply {
    pub entries: Vec<LogEntry>,
    /// The hub's last seq: more to pull while `after` is below it.
    pub head: Seq,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRequest {
    /// The secret part of the pairing code the hub showed.
    pub secret: String,
    /// This PC's name, shown in conflicts ("田中のノートPC").
    pub name: String,
    pub schema_version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairReply {
    pub device: i64,
    pub token: String,
    pub hub_name: String,
}

/// A copy of the hub's ledger for a PC that joins, and the log position it
/// reflects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub seq: Seq,
    pub bytes: u64,
}

/// One fingerprint per replicated table at a log position, to find a PC
/// that has drifted from the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestReply {
    pub seq: Seq,
    pub tables: Vec<(String, String)>,
}

/// An error as it crosses the wire: the one code list and the Japanese
/// message the hub wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
}

/// The conversation between a PC and the hub.
pub trait Hub: Send + Sync {
    /// Registers a PC with a pairing code; the reply is its device number
    /// and secret.
    fn pair(&self, request: &PairRequest) -> Result<PairReply, SyncError>;
    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError>;
    fn pull(&self, request: &PullRequest) -> Result<PullReply, SyncError>;
    /// Writes a consistent copy of the hub's ledger to `to` (a new file).
    fn snapshot(&self, auth: &Auth, to: &Path) -> Result<SnapshotInfo, SyncError>;
    fn digest(&self, auth: &Auth) -> Result<DigestReply, SyncError>;
    /// This PC leaves the office: the hub forgets its token and marks it
    /// left on every PC.
    fn leave(&self, auth: &Auth) -> Result<(), SyncError>;
}

mod base64_bytes {
    use base64::{engine::general_purpose::STANDARD, Engine};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}

mod base64_list {
    use base64::{engine::general_purpose::STANDARD, Engine};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(list: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|bytes| STANDARD.encode(bytes)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .into_iter()
            .map(|text| STANDARD.decode(text).map_err(serde::de::Error::custom))
            .collect()
    }
}
