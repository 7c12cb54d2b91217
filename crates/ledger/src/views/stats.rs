//! Counts for the sidebar and `daicho stats`.

use serde::{Deserialize, Serialize};

use crate::store::error::Result;
use crate::store::ledger::Ledger;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StatusCount {
    pub status_id: i64,
    pub status: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LedgerStats {
    pub customers: u32,
    pub trashed: u32,
    /// Every status in list order, retired ones included.
    pub by_status: Vec<StatusCount>,
}

impl Ledger {
    pub fn stats(&self) -> Result<LedgerStats> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.name, count(c.id) FROM statuses s
             LEFT JOIN customers c ON c.status_id = s.id AND c.deleted_at IS NULL
             GROUP BY s.id ORDER BY s.position, s.id",
        )?;
        let by_status: Vec<StatusCount> = stmt
            .query_map([], |r| {
                Ok(StatusCount {
                    status_id: r.get(0)?,
                    status: r.get(1)?,
                    count: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let trashed = self.conn.query_row(
            "SELECT count(*) FROM customers WHERE deleted_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(LedgerStats {
            customers: by_status.iter().map(|s| s.count).sum(),
            trashed,
            by_status,
        })
    }
}
