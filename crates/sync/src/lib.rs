//! Several PCs, one ledger (issue #19). Each PC keeps a full copy of the
//! ledger; every write's changes are captured by SQLite's session extension
//! on the one write path (`daicho_ledger::sync`) and travel through the
//! office hub, which orders them in one log, applies the office's conflict
//! policies and sends back what it put in effect. See docs/architecture.md,
//! "Several PCs".

pub mod error;
pub mod net;
pub mod office;
pub mod spoke;
pub mod wire;
pub mod worker;

pub use error::SyncError;
pub use wire::Hub;
