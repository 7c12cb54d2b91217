//! The export record (持ち出し記録): every file that left with customer
//! data, and every erasure and restore, with who, when, how many people,
//! which list and the file's SHA-256. It is the record of entrustment to
//! printers the privacy law expects (個人情報保護法 Art. 25, 27), kept in the
//! ledger so a backup carries it. Rows are only ever added.

use std::path::Path;

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::store::access::{Acting, Need};
use crate::store::error::{LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Ledger};
use crate::store::sql;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    DmList,
    Report,
    PartnerSheet,
    Disclosure,
    Backup,
    Erasure,
    Restore,
}

impl ExportKind {
    pub const ALL: [ExportKind; 7] = [
        Self::DmList,
        Self::Report,
        Self::PartnerSheet,
        Self::Disclosure,
        Self::Backup,
        Self::Erasure,
        Self::Restore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DmList => "dm_list",
            Self::Report => "report",
            Self::PartnerSheet => "partner_sheet",
            Self::Disclosure => "disclosure",
            Self::Backup => "backup",
            Self::Erasure => "erasure",
            Self::Restore => "restore",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::DmList => "DMリスト",
            Self::Report => "帳票",
            Self::PartnerSheet => "協力業者への依頼",
            Self::Disclosure => "開示",
            Self::Backup => "バックアップの書き出し",
            Self::Erasure => "消去",
            Self::Restore => "復元",
        }
    }

    /// What a person needs to do it (and so to have it recorded).
    pub fn need(self) -> Need {
        match self {
            Self::DmList | Self::Report | Self::PartnerSheet => Need::Export,
            Self::Disclosure => Need::Disclose,
            Self::Backup | Self::Restore => Need::Backup,
            Self::Erasure => Need::Erase,
        }
    }

    fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(Self::Report)
    }
}

/// One file out (or one erasure or restore), as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ExportNote {
    pub kind: ExportKind,
    /// The file's name (never its folder: that may name a person's PC).
    pub file_name: String,
    /// How many people's data it holds.
    pub people: u32,
    /// The segment, list or filter it was made from, when there is one.
    pub segment: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ExportEntry {
    pub id: i64,
    pub at: String,
    pub staff_id: Option<i64>,
    pub staff_name: String,
    /// The role's label when it was recorded (管理者, 営業 …).
    pub role: String,
    #[serde(flatten)]
    pub note: ExportNote,
}

const INSERT_EXPORT: &str = "INSERT INTO export_log \
    (id, at, staff_id, staff_name, role, kind, file_name, people, segment, sha256) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

const SELECT_EXPORTS: &str = "SELECT id, at, staff_id, staff_name, role, kind, file_name, \
    people, segment, sha256 FROM export_log ORDER BY at DESC, id DESC LIMIT ?1";

/// Records `note` as done by `acting`, inside the write that does it.
pub(crate) fn log_in(tx: &Transaction, acting: &Acting, note: &ExportNote) -> Result<()> {
    tx.execute(
        INSERT_EXPORT,
        params![
            ids::next_id(tx, "export_log")?,
            now(),
            acting.staff_id,
            acting.name,
            acting.role.as_str(),
            note.kind.as_str(),
            note.file_name,
            note.people,
            note.segment,
            note.sha256
        ],
    )?;
    Ok(())
}

fn list_in(conn: &Connection, limit: u32) -> Result<Vec<ExportEntry>> {
    sql::rows(conn, SELECT_EXPORTS, [limit], |r| {
        let role: String = r.get(4)?;
        Ok(ExportEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            staff_id: r.get(2)?,
            staff_name: r.get(3)?,
            role: crate::store::access::Role::parse(&role).map_or(role, |r| r.label().to_string()),
            note: ExportNote {
                kind: ExportKind::parse(&r.get::<_, String>(5)?),
                file_name: r.get(6)?,
                people: r.get(7)?,
                segment: r.get(8)?,
                sha256: r.get(9)?,
            },
        })
    })
}

impl Ledger {
    /// Records a file that left (a backup copied out, a report) by the
    /// person acting, who must be allowed to make it. `finish` runs last
    /// inside the same transaction (putting the file in place): the file is
    /// there exactly when the record is.
    pub fn record_export(
        &mut self,
        note: &ExportNote,
        finish: impl FnOnce() -> Result<()>,
    ) -> Result<ExportEntry> {
        let acting = self.require(note.kind.need())?.clone();
        self.write(note.kind.need(), |tx| {
            log_in(tx, &acting, note)?;
            finish()?;
            Ok(list_in(tx, 1)?.remove(0))
        })
    }

    /// A backup a person copies out (to hand over, to keep off site): the
    /// whole ledger leaves, so only a 管理者 may, and it is recorded with
    /// its SHA-256. A backup that cannot be recorded is removed.
    pub fn export_backup(&mut self, dest: &Path) -> Result<ExportEntry> {
        self.require(Need::Backup)?;
        self.backup_to(dest)?;
        let recorded = self.record_file(ExportKind::Backup, dest);
        if recorded.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        recorded
    }

    /// Records that the ledger was restored from `from` (called on the
    /// restored ledger, which then holds the record).
    pub fn record_restore(&mut self, from: &Path) -> Result<ExportEntry> {
        self.record_file(ExportKind::Restore, from)
    }

    fn record_file(&mut self, kind: ExportKind, file: &Path) -> Result<ExportEntry> {
        let bytes = std::fs::read(file).map_err(LedgerError::io(file))?;
        let people: u32 = self.conn.query_row(
            "SELECT count(*) FROM customers WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        let note = ExportNote {
            kind,
            file_name: file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            people,
            segment: String::new(),
            sha256: format!("{:x}", Sha256::digest(&bytes)),
        };
        self.record_export(&note, || Ok(()))
    }

    /// The newest `limit` entries first.
    pub fn exports(&self, limit: u32) -> Result<Vec<ExportEntry>> {
        list_in(&self.conn, limit)
    }
}
