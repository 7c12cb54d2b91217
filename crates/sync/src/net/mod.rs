//! The HTTPS between a PC and the office hub on the LAN (issue #19,
//! "Transport"). The hub serves the `Hub` conversation (`serve`); a PC
//! speaks it through `Client`. There is no certificate authority on an
//! office LAN, so the hub makes its own certificate once (`Identity`) and a
//! PC pins it: at pairing by the part of its fingerprint that the pairing
//! code carries (`PairingCode`), afterwards by the whole fingerprint it saw
//! then.
//!
//! While it serves on every interface, the hub announces itself by mDNS
//! so that a PC can find it without an address (`discovery`).
//!
//! Every request is a POST of one wire type as JSON to `/v1/<method>`; the
//! answer is the reply type as JSON, a `WireError` as JSON with a non-2xx
//! status, or, for a snapshot, the file itself with its log position in
//! the `x-daicho-seq` header.

mod client;
mod discovery;
mod identity;
mod pairing;
mod pin;
mod server;

pub use client::Client;
pub use discovery::{announce, find_hubs, Announced, FoundHub};
pub use identity::Identity;
pub use pairing::PairingCode;
pub use server::{serve, Served};

/// This PC's name as the office sees it (the computer's name).
pub fn pc_name() -> String {
    gethostname::gethostname().to_string_lossy().into_owned()
}

/// The port the office hub listens on, unless told otherwise: a PC that
/// joins by the hub's name alone uses it.
pub const HUB_PORT: u16 = 47210;

/// The largest request or reply body either side reads into memory. A push
/// of a 20,000-customer import is tens of megabytes of base64; this leaves
/// room for several times that and still refuses a runaway sender.
const MAX_BODY: u64 = 512 * 1024 * 1024;

/// The header that carries a snapshot's log position beside its bytes.
const SEQ_HEADER: &str = "x-daicho-seq";

/// The paths of the conversation, one per `Hub` method.
mod route {
    pub const PAIR: &str = "/v1/pair";
    pub const PUSH: &str = "/v1/push";
    pub const PULL: &str = "/v1/pull";
    pub const SNAPSHOT: &str = "/v1/snapshot";
    pub const DIGEST: &str = "/v1/digest";
    pub const LEAVE: &str = "/v1/leave";
}

/// A file the transport could not write or read, in the ledger's words
/// (the message names the path; a full disk says so).
fn io_error(path: &std::path::Path, source: std::io::Error) -> crate::error::SyncError {
    crate::error::SyncError::Ledger(daicho_ledger::LedgerError::Io {
        path: path.to_path_buf(),
        source,
    })
}
