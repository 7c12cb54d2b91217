//! Opening the ledger: the one place that composes the groups, so it sits
//! above them. The store opens and migrates the file; then the record
//! recomputes search keys a migration asked for, and a new ledger gets its
//! preset statuses and labels.

use std::path::Path;

use crate::record::search;
use crate::reference::presets;
use crate::store::error::Result;
use crate::store::ledger::Ledger;

impl Ledger {
    /// Opens (or creates) the ledger at `path` (`open_store`: refused
    /// unchanged when it is not a ledger, damaged, newer, or on a share).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let mut ledger = Self::open_store(path)?;
        // Checked before taking the write lock: opening a ledger that
        // another program is writing must still work for reading.
        if search::rekey_asked(&ledger.conn)? {
            ledger.write_as_system(search::rekey)?;
        }
        presets::seed_if_empty(&mut ledger)?;
        ledger.resume_session()?;
        Ok(ledger)
    }
}
