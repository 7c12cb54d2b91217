//! The office hub's store: a full copy of the ledger plus the hub's own
//! tables (`hub_*`, never replicated). The hub takes each PC's changes in
//! arrival order, one log for the office, and records for each what it put
//! in effect: the change as SQLite applied it (`taken`), then its policy
//! corrections (`fixes`), each captured by a session of its own so that a
//! correction is never netted away; a change the ledger's rules refuse is
//! kept whole in a conflict record and undone on the PC that made it.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::session::{ChangesetItem, ConflictAction, ConflictType, Session};
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::record::customers;
use crate::store::error::{Coded, ErrorCode, LedgerError, Result};
use crate::store::kv::{self, Local};
use crate::store::ledger::Ledger;
use crate::store::migrations::LATEST_VERSION;
use crate::store::sql;
use crate::sync::conflicts::{self, Clash, Decided, Origin};
use crate::sync::policy::{self, Policy};
use crate::sync::{apply, digest, replicated, spoke};

/// The hub's own device number: its conflict records and PC registrations
/// take ids from this range.
pub const HUB_DEVICE: i64 = 1;
/// The PC whose ledger seeded the hub keeps its ids (range 0).
pub const FIRST_DEVICE: i64 = 0;
/// Wrong pairing secrets before every offered code is withdrawn.
const MAX_TRIES: i64 = 5;

const HUB_SCHEMA: &str = "
CREATE TABLE hub_identity (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    name     TEXT NOT NULL,
    cert     BLOB NOT NULL,
    key      BLOB NOT NULL,
    fingerprint TEXT NOT NULL,
    -- Wrong pairing secrets since the last right one: at MAX_TRIES every
    -- offered code is withdrawn, so six digits cannot be guessed.
    failed_pairings INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE hub_devices (
    id             INTEGER PRIMARY KEY,
    token_sha256   TEXT NOT NULL,
    taken_through  INTEGER NOT NULL DEFAULT 0,
    pulled_through INTEGER NOT NULL DEFAULT 0,
    paired_at      TEXT NOT NULL
);
CREATE TABLE hub_pairing (
    secret      TEXT PRIMARY KEY,
    expires_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE hub_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    device      INTEGER NOT NULL,
    device_seq  INTEGER NOT NULL,
    at          TEXT NOT NULL,
    staff_id    INTEGER,
    pc_at       TEXT,
    taken       BLOB NOT NULL,
    fixes       BLOB NOT NULL,
    undo        BLOB NOT NULL,
    UNIQUE (device, device_seq)
);
CREATE TABLE hub_row_origin (
    table_name  TEXT NOT NULL,
    row_id      NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
";

/// Why the hub refused a PC's request.
#[derive(Debug, thiserror::Error)]
pub enum HubRefusal {
    #[error("このPC（番号 {0}）は親機に登録されていないか、登録が取り消されています。設定の「複数台で使う」から親機につなぎ直してください。")]
    UnknownDevice(i64),
    #[error("接続コードが違うか、使用済みか、期限が切れています。親機で新しい接続コードを出して、もう一度入力してください。")]
    BadSecret,
    #[error("このPCの台帳（版 {pc}）と親機の台帳（版 {hub}）の版が違うため、変更を送受信しません。{}このPCでの作業は続けられ、変更は更新後に送ります。", if .pc < .hub { "このPCのアプリを更新してください。" } else { "親機のアプリを先に更新してください。" })]
    SchemaMismatch { pc: i64, hub: i64 },
    #[error("PC {device} から届いた変更（{device_seq} 番）が壊れているため、親機は何も反映していません（{detail}）。")]
    Corrupt {
        device: i64,
        device_seq: i64,
        detail: String,
    },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl Coded for HubRefusal {
    fn code(&self) -> ErrorCode {
        match self {
            Self::UnknownDevice(_) | Self::BadSecret => ErrorCode::PairingRefused,
            Self::SchemaMismatch { .. } => ErrorCode::SchemaMismatch,
            Self::Corrupt { .. } => ErrorCode::SyncCorrupt,
            Self::Ledger(e) => e.code(),
        }
    }
}

impl From<rusqlite::Error> for HubRefusal {
    fn from(e: rusqlite::Error) -> Self {
        Self::Ledger(e.into())
    }
}

/// A PC's credentials on a request.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    pub device: i64,
    pub token: &'a str,
    pub schema_version: i64,
}

/// One change arriving from a PC.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub device_seq: i64,
    pub at: &'a str,
    pub staff_id: Option<i64>,
    pub changeset: &'a [u8],
}

/// One entry of the hub's log, as a PC applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub device: i64,
    pub device_seq: i64,
    /// Applied in order by every PC.
    pub changesets: Vec<Vec<u8>>,
}

/// What the hub did with a PC's push: the last change it has taken, and
/// the inverse of each change of the push that it refused, which the PC
/// applies before anything else so that its copy never holds what the
/// office refused.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Taken {
    pub through: i64,
    pub refused: Vec<(i64, Vec<u8>)>,
}

/// The hub's certificate and key (made by the transport), the
/// certificate's fingerprint the PCs pin, and the hub's name.
#[derive(Debug, Clone)]
pub struct Identity {
    pub name: String,
    pub cert: Vec<u8>,
    pub key: Vec<u8>,
    pub fingerprint: String,
}

pub struct HubStore {
    ledger: Ledger,
}

fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl HubStore {
    /// Seeds a hub at `hub` from the office's ledger at `from` and registers
    /// that ledger as the first PC, which keeps its ids. Refuses an existing
    /// file at `hub`; on failure nothing is left there.
    pub fn create(
        hub: &Path,
        from: &Path,
        identity: &Identity,
        first_pc: &str,
        now: &str,
    ) -> Result<Self> {
        if hub.exists() {
            return Err(LedgerError::Conflict(format!(
                "{} は既にあります。親機の台帳は新しいファイルに作ります（既存のファイルには手\
                 を加えていません）。",
                hub.display()
            )));
        }
        let mut source = Ledger::open_store(from)?;
        let made = Self::seed(&source, hub, identity, first_pc, now);
        let (store, token) = match made {
            Ok(made) => made,
            Err(e) => {
                let _ = std::fs::remove_file(hub);
                return Err(e);
            }
        };
        let hub_info = spoke::Joined {
            url: String::new(),
            fingerprint: identity.fingerprint.clone(),
            token,
            device: FIRST_DEVICE,
            hub_name: identity.name.clone(),
        };
        if let Err(e) = source.write_as_system(|tx| spoke::join_in(tx, &hub_info, 0)) {
            drop(store);
            let _ = std::fs::remove_file(hub);
            return Err(e);
        }
        Ok(store)
    }

    fn seed(
        source: &Ledger,
        hub: &Path,
        identity: &Identity,
        first_pc: &str,
        now: &str,
    ) -> Result<(Self, String)> {
        let target = hub.to_string_lossy().to_string();
        source.conn.execute("VACUUM INTO ?1", [&target])?;
        let mut store = Self {
            ledger: Ledger::open_store(hub)?,
        };
        store
            .ledger
            .conn
            .pragma_update(None, "secure_delete", "ON")?;
        let token = new_token();
        store.ledger.write_as_system(|tx| {
            tx.execute_batch(HUB_SCHEMA)?;
            tx.execute("DELETE FROM local_settings", [])?;
            tx.execute("DELETE FROM sync_outbox", [])?;
            kv::local_put(tx, Local::SyncDevice, &HUB_DEVICE.to_string())?;
            tx.execute(
                "INSERT INTO hub_identity (id, name, cert, key, fingerprint) VALUES (1, ?1, \
                 ?2, ?3, ?4)",
                params![
                    identity.name,
                    identity.cert,
                    identity.key,
                    identity.fingerprint
                ],
            )?;
            tx.execute(
                "INSERT INTO hub_devices (id, token_sha256, paired_at) VALUES (?1, ?2, ?3)",
                params![FIRST_DEVICE, token_hash(&token), now],
            )?;
            Ok(())
        })?;
        store.own_write(now, |tx| {
            register(tx, HUB_DEVICE, &identity.name, "hub", now)?;
            register(tx, FIRST_DEVICE, first_pc, "pc", now)?;
            // An office ledger is set up: a PC that joins it never sees the
            // first-run questions (a ledger filled only by daicho has not
            // answered them).
            kv::put(tx, crate::reference::settings::FIRST_RUN_DONE, "true")
        })?;
        Ok((store, token))
    }

    /// Opens an existing hub (migrating it as any ledger, after a backup).
    pub fn open(hub: &Path) -> Result<Self> {
        let ledger = Ledger::open_store(hub)?;
        ledger.conn.pragma_update(None, "secure_delete", "ON")?;
        let is_hub: bool = ledger.conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'hub_log'",
            [],
            |r| r.get(0),
        )?;
        if !is_hub {
            return Err(LedgerError::Conflict(format!(
                "{} は親機の台帳ではありません（daicho hub init で作ります）。",
                hub.display()
            )));
        }
        Ok(Self { ledger })
    }

    pub fn path(&self) -> &Path {
        self.ledger.path()
    }

    pub fn identity(&self) -> Result<Identity> {
        Ok(self.ledger.conn.query_row(
            "SELECT name, cert, key, fingerprint FROM hub_identity WHERE id = 1",
            [],
            |r| {
                Ok(Identity {
                    name: r.get(0)?,
                    cert: r.get(1)?,
                    key: r.get(2)?,
                    fingerprint: r.get(3)?,
                })
            },
        )?)
    }

    /// Offers a one-time pairing secret until `expires_at`.
    pub fn offer_pairing(&mut self, secret: &str, expires_at: &str) -> Result<()> {
        self.ledger.write_as_system(|tx| {
            tx.execute(
                "INSERT OR REPLACE INTO hub_pairing (secret, expires_at) VALUES (?1, ?2)",
                params![secret, expires_at],
            )?;
            // A new code starts a new count of wrong tries.
            tx.execute("UPDATE hub_identity SET failed_pairings = 0", [])?;
            Ok(())
        })
    }

    /// Registers a new PC for a valid secret (used once), giving it the
    /// next device number and a token.
    pub fn pair(
        &mut self,
        secret: &str,
        name: &str,
        schema_version: i64,
        now: &str,
    ) -> Result<(i64, String), HubRefusal> {
        if schema_version != LATEST_VERSION {
            return Err(HubRefusal::SchemaMismatch {
                pc: schema_version,
                hub: LATEST_VERSION,
            });
        }
        let token = new_token();
        let device = self.own_write(now, |tx| {
            let used = tx.execute(
                "DELETE FROM hub_pairing WHERE secret = ?1 AND expires_at >= ?2",
                params![secret, now],
            )?;
            if used == 0 {
                tx.execute(
                    "UPDATE hub_identity SET failed_pairings = failed_pairings + 1",
                    [],
                )?;
                tx.execute(
                    "DELETE FROM hub_pairing WHERE (SELECT failed_pairings FROM hub_identity) \
                     >= ?1",
                    [MAX_TRIES],
                )?;
                return Ok(None);
            }
            tx.execute("UPDATE hub_identity SET failed_pairings = 0", [])?;
            // Never a number a PC that left had: its writes are in the log
            // under it, and a new PC's would collide with them there.
            let device: i64 = tx.query_row(
                "SELECT max(coalesce(max(id), 0) + 1, 2) FROM (SELECT id FROM hub_devices \
                 UNION ALL SELECT id FROM sync_devices UNION ALL SELECT device AS id FROM hub_log)",
                [],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO hub_devices (id, token_sha256, paired_at) VALUES (?1, ?2, ?3)",
                params![device, token_hash(&token), now],
            )?;
            register(tx, device, name, "pc", now)?;
            Ok(Some(device))
        })?;
        device.map(|d| (d, token)).ok_or(HubRefusal::BadSecret)
    }

    fn check(&self, caller: &Caller) -> Result<i64, HubRefusal> {
        if caller.schema_version != LATEST_VERSION {
            return Err(HubRefusal::SchemaMismatch {
                pc: caller.schema_version,
                hub: LATEST_VERSION,
            });
        }
        let taken: Option<i64> = self
            .ledger
            .conn
            .prepare_cached(
                "SELECT taken_through FROM hub_devices WHERE id = ?1 AND token_sha256 = ?2",
            )?
            .query_row(params![caller.device, token_hash(caller.token)], |r| {
                r.get(0)
            })
            .optional()?;
        taken.ok_or(HubRefusal::UnknownDevice(caller.device))
    }

    /// Takes a PC's changes in its order, skipping those already taken
    /// (a re-send), all in one transaction. The reply names the refused
    /// ones of this push, a re-send's included (its first reply may have
    /// been lost).
    pub fn take(
        &mut self,
        caller: &Caller,
        changes: &[Incoming],
        now: &str,
    ) -> Result<Taken, HubRefusal> {
        let already = self.check(caller)?;
        let mut through = already;
        let device = caller.device;
        let mut broken = None;
        let taken = self.ledger.write_applying(|tx| {
            for change in changes.iter().filter(|c| c.device_seq > already) {
                take_one(tx, device, change, now).inspect_err(|e| {
                    if let Some(detail) = unreadable(e) {
                        broken = Some((change.device_seq, detail));
                    }
                })?;
                through = change.device_seq;
            }
            tx.prepare_cached("UPDATE hub_devices SET taken_through = ?2 WHERE id = ?1")?
                .execute(params![device, through])?;
            forget_applied(tx)
        });
        if let (Err(_), Some((device_seq, detail))) = (&taken, broken) {
            return Err(HubRefusal::Corrupt {
                device,
                device_seq,
                detail,
            });
        }
        taken?;
        let (first, last) = match (changes.first(), changes.last()) {
            (Some(first), Some(last)) => (first.device_seq, last.device_seq),
            _ => {
                return Ok(Taken {
                    through,
                    refused: Vec::new(),
                })
            }
        };
        let refused = sql::rows(
            &self.ledger.conn,
            "SELECT device_seq, undo FROM hub_log WHERE device = ?1 \
             AND device_seq BETWEEN ?2 AND ?3 AND length(undo) > 0 ORDER BY device_seq",
            params![device, first, last],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Taken { through, refused })
    }

    /// The log after `after`, at most `limit` entries, and the log's head.
    /// The PC has applied everything up to `after`.
    pub fn log_after(
        &self,
        caller: &Caller,
        after: i64,
        limit: u32,
    ) -> Result<(Vec<Entry>, i64), HubRefusal> {
        self.check(caller)?;
        self.ledger
            .conn
            .prepare_cached(
                "UPDATE hub_devices SET pulled_through = max(pulled_through, ?2) WHERE id = ?1",
            )?
            .execute(params![caller.device, after])?;
        let entries = sql::rows(
            &self.ledger.conn,
            "SELECT seq, device, device_seq, taken, fixes FROM hub_log \
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            params![after, limit],
            |r| {
                let fixes: Vec<u8> = r.get(4)?;
                let mut changesets = vec![r.get::<_, Vec<u8>>(3)?];
                if !fixes.is_empty() {
                    changesets.push(fixes);
                }
                Ok(Entry {
                    seq: r.get(0)?,
                    device: r.get(1)?,
                    device_seq: r.get(2)?,
                    changesets,
                })
            },
        )?;
        Ok((entries, self.head()?))
    }

    pub fn head(&self) -> Result<i64> {
        Ok(self
            .ledger
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM hub_log", [], |r| {
                r.get(0)
            })?)
    }

    /// A copy of the office's ledger for a PC that joins, without the hub's
    /// own tables (its key, the PCs' tokens): written to `to`, a new file.
    /// Returns the log position it reflects.
    pub fn snapshot(&self, caller: &Caller, to: &Path) -> Result<i64, HubRefusal> {
        self.check(caller)?;
        // VACUUM runs outside a transaction: the copy matches the head read
        // here because this connection is the hub's only writer (and the
        // caller holds it).
        let seq = self.head()?;
        self.ledger
            .conn
            .execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
        strip_hub_tables(to).inspect_err(|_| {
            let _ = std::fs::remove_file(to);
        })?;
        Ok(seq)
    }

    /// A PC leaves: its token stops working, and every PC sees it left.
    pub fn leave(&mut self, caller: &Caller, now: &str) -> Result<(), HubRefusal> {
        self.check(caller)?;
        let device = caller.device;
        self.own_write(now, |tx| {
            tx.execute("DELETE FROM hub_devices WHERE id = ?1", [device])?;
            tx.execute(
                "UPDATE sync_devices SET left_at = ?2 WHERE id = ?1",
                params![device, now],
            )?;
            Ok(())
        })?;
        Ok(())
    }

    /// The fingerprints of the replicated tables at the log's head.
    pub fn digest(&self, caller: &Caller) -> Result<(i64, Vec<(String, String)>), HubRefusal> {
        self.check(caller)?;
        let tx = self.ledger.conn.unchecked_transaction()?;
        let seq = self.head()?;
        let tables = digest::tables(&tx)?;
        Ok((seq, tables))
    }

    /// A write the hub makes on its own account (registering a PC), logged
    /// as the hub's own change so that every PC receives it.
    fn own_write<T>(
        &mut self,
        now: &str,
        work: impl FnOnce(&Transaction) -> Result<T>,
    ) -> Result<T> {
        self.ledger.write_as_system(|tx| {
            let (value, changeset) = recorded(tx, work)?;
            if !changeset.is_empty() {
                let device_seq: i64 = tx.query_row(
                    "SELECT coalesce(max(device_seq), 0) + 1 FROM hub_log WHERE device = ?1",
                    [HUB_DEVICE],
                    |r| r.get(0),
                )?;
                log(
                    tx,
                    HUB_DEVICE,
                    device_seq,
                    now,
                    &Origin::default(),
                    &changeset,
                    &[],
                    &[],
                )?;
            }
            Ok(value)
        })
    }
}

/// Runs `work` under a session of its own; its value and changeset.
fn recorded<T>(
    tx: &Transaction,
    work: impl FnOnce(&Transaction) -> Result<T>,
) -> Result<(T, Vec<u8>)> {
    let mut session = Session::new(tx)?;
    session.table_filter(Some(replicated));
    session.attach::<&str>(None)?;
    let value = work(tx)?;
    let mut changeset = Vec::new();
    session.changeset_strm(&mut changeset)?;
    Ok((value, changeset))
}

/// SQLite's word that a changeset is not one it can read (cut short,
/// damaged), as against a failure of the hub itself.
fn unreadable(error: &LedgerError) -> Option<String> {
    use rusqlite::ErrorCode as E;
    match error {
        LedgerError::Sqlite(rusqlite::Error::SqliteFailure(e, detail))
            if matches!(e.code, E::DatabaseCorrupt | E::ApiMisuse | E::NotADatabase) =>
        {
            Some(detail.clone().unwrap_or_else(|| e.to_string()))
        }
        _ => None,
    }
}

/// Empties the changesets every PC has applied: they hold old values (an
/// erased customer's among them) that nobody needs any more; a PC that
/// joins later starts from a snapshot. The entries stay, for the order.
/// The hub's connection zeroes the freed pages (`secure_delete`).
fn forget_applied(tx: &Transaction) -> Result<()> {
    tx.prepare_cached(
        "UPDATE hub_log SET taken = x'', fixes = x'', undo = x'' \
         WHERE seq <= (SELECT min(pulled_through) FROM hub_devices) \
         AND length(taken) + length(fixes) > 0",
    )?
    .execute([])?;
    Ok(())
}

fn register(tx: &Transaction, device: i64, name: &str, role: &str, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_devices (id, name, role, joined_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, left_at = NULL",
        params![device, name, role, now],
    )?;
    Ok(())
}

fn strip_hub_tables(copy: &Path) -> Result<()> {
    let conn = rusqlite::Connection::open(copy)?;
    // Zero the freed pages, so that the key and tokens leave no trace.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.execute_batch(
        "BEGIN;
         DROP TABLE hub_identity; DROP TABLE hub_devices; DROP TABLE hub_pairing;
         DROP TABLE hub_log; DROP TABLE hub_row_origin;
         DELETE FROM local_settings; DELETE FROM sync_outbox;
         COMMIT;",
    )?;
    Ok(())
}

/// What the apply met that the policies settle afterwards.
#[derive(Default)]
struct Met {
    clashes: Vec<Clash>,
    gone: Vec<Clash>,
    refused: Option<&'static str>,
}

fn on_arrival(kind: ConflictType, item: &ChangesetItem, met: &Mutex<Met>) -> ConflictAction {
    let mut met = met
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if kind == ConflictType::SQLITE_CHANGESET_FOREIGN_KEY {
        // Reported once, after the whole changeset, with no row: the item
        // has no operation to read (rusqlite's `op` would read a null name).
        met.refused = Some("foreign_key");
        return ConflictAction::SQLITE_CHANGESET_ABORT;
    }
    let deleting = item
        .op()
        .is_ok_and(|op| op.code() == rusqlite::hooks::Action::SQLITE_DELETE);
    match kind {
        // A delete wins over a change made meanwhile (an erasure, a merge).
        ConflictType::SQLITE_CHANGESET_DATA if deleting => ConflictAction::SQLITE_CHANGESET_REPLACE,
        ConflictType::SQLITE_CHANGESET_DATA | ConflictType::SQLITE_CHANGESET_CONFLICT => {
            match conflicts::clash_of(&kind, item) {
                Ok(clash) => {
                    if !clash.fields.is_empty() {
                        met.clashes.push(clash);
                    }
                    ConflictAction::SQLITE_CHANGESET_REPLACE
                }
                Err(_) => ConflictAction::SQLITE_CHANGESET_ABORT,
            }
        }
        ConflictType::SQLITE_CHANGESET_NOTFOUND => {
            if !deleting {
                if let Ok(gone) = gone_of(item) {
                    met.gone.push(gone);
                }
            }
            ConflictAction::SQLITE_CHANGESET_OMIT
        }
        _ => {
            met.refused = Some("constraint");
            ConflictAction::SQLITE_CHANGESET_ABORT
        }
    }
}

/// An update of a row deleted at the hub meanwhile: which fields it set.
/// Their values are not kept: the row was deleted on purpose (an erasure
/// must not come back through a conflict record).
fn gone_of(item: &ChangesetItem) -> rusqlite::Result<Clash> {
    let op = item.op()?;
    let pk = item.pk()?.to_vec();
    let mut clash = Clash {
        table: op.table_name().to_string(),
        key: Vec::new(),
        fields: Vec::new(),
    };
    for (column, &in_key) in pk.iter().enumerate() {
        if in_key != 0 {
            clash.key.push(conflicts::owned(item.old_value(column)?));
        } else if item.new_value(column).is_ok() {
            clash.fields.push(conflicts::ClashField {
                column,
                base: Value::Null,
                a: Value::Null,
                b: Value::Null,
            });
        }
    }
    Ok(clash)
}

fn take_one(tx: &Transaction, device: i64, change: &Incoming, now: &str) -> Result<()> {
    let met = Arc::new(Mutex::new(Met::default()));
    let arriving = Origin {
        device: Some(device),
        staff_id: change.staff_id,
        at: Some(change.at.to_string()),
    };
    let seen = met.clone();
    let (applied, taken) = recorded(tx, |tx| {
        Ok(apply(tx, change.changeset, move |kind, item| {
            on_arrival(kind, &item, &seen)
        }))
    })?;
    let met = std::mem::take(
        &mut *met
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let (taken, fixes, undo) = match (applied, met.refused) {
        (Ok(()), _) => {
            let ((), fixes) = recorded(tx, |tx| settle(tx, &met, &arriving, now))?;
            (taken, fixes, Vec::new())
        }
        (Err(_), Some(reason)) => {
            let ((), fixes) = recorded(tx, |tx| refuse(tx, change, reason, &arriving, now))?;
            let mut undo = Vec::new();
            rusqlite::session::invert_strm(&mut &change.changeset[..], &mut undo)?;
            (Vec::new(), fixes, undo)
        }
        (Err(e), None) => return Err(e.into()),
    };
    log(
        tx,
        device,
        change.device_seq,
        now,
        &arriving,
        &taken,
        &fixes,
        &undo,
    )
}

#[allow(clippy::too_many_arguments)]
fn log(
    tx: &Transaction,
    device: i64,
    device_seq: i64,
    now: &str,
    origin: &Origin,
    taken: &[u8],
    fixes: &[u8],
    undo: &[u8],
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO hub_log (device, device_seq, at, staff_id, pc_at, taken, fixes, undo) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        device,
        device_seq,
        now,
        origin.staff_id,
        origin.at,
        taken,
        fixes,
        undo
    ])?;
    let seq = tx.last_insert_rowid();
    for changeset in [taken, fixes] {
        note_origins(tx, seq, changeset)?;
    }
    Ok(())
}

/// Remembers which log entry last touched each row, to say who wrote the
/// value a later change conflicts with.
fn note_origins(tx: &Transaction, seq: i64, changeset: &[u8]) -> Result<()> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    if changeset.is_empty() {
        return Ok(());
    }
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut items = rusqlite::session::ChangesetIter::start_strm(&reader)?;
    let mut note = tx.prepare_cached(
        "INSERT OR REPLACE INTO hub_row_origin (table_name, row_id, seq) VALUES (?1, ?2, ?3)",
    )?;
    while let Some(item) = items.next()? {
        let op = item.op()?;
        let pk = item.pk()?;
        let inserting = op.code() == rusqlite::hooks::Action::SQLITE_INSERT;
        let key: Vec<Value> = (0..pk.len())
            .filter(|&c| pk[c] != 0)
            .map(|c| {
                let value = if inserting {
                    item.new_value(c)
                } else {
                    item.old_value(c)
                };
                value.map(conflicts::owned)
            })
            .collect::<rusqlite::Result<_>>()?;
        note.execute(params![op.table_name(), row_key(&key), seq])?;
    }
    Ok(())
}

/// A row's key as one value: the id itself, or the key columns as JSON.
fn row_key(key: &[Value]) -> Value {
    match key {
        [one] => one.clone(),
        many => Value::Text(
            serde_json::Value::Array(
                many.iter()
                    .map(|v| match v {
                        Value::Integer(i) => (*i).into(),
                        Value::Text(t) => t.clone().into(),
                        _ => serde_json::Value::Null,
                    })
                    .collect(),
            )
            .to_string(),
        ),
    }
}

fn origin_of(tx: &Transaction, table: &str, key: &Value) -> Result<Origin> {
    Ok(tx
        .prepare_cached(
            "SELECT l.device, l.staff_id, l.pc_at FROM hub_row_origin o \
             JOIN hub_log l ON l.seq = o.seq WHERE o.table_name = ?1 AND o.row_id = ?2",
        )?
        .query_row(params![table, key], |r| {
            Ok(Origin {
                device: r.get(0)?,
                staff_id: r.get(1)?,
                at: r.get(2)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

fn column_names(tx: &Transaction, table: &str) -> Result<(Vec<String>, Vec<String>)> {
    let all: Vec<(String, i64)> = sql::rows(
        tx,
        "SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid",
        [table],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut keys: Vec<(i64, String)> = all
        .iter()
        .filter(|(_, pk)| *pk > 0)
        .map(|(n, pk)| (*pk, n.clone()))
        .collect();
    keys.sort();
    Ok((
        all.into_iter().map(|(n, _)| n).collect(),
        keys.into_iter().map(|(_, n)| n).collect(),
    ))
}

/// Sets one field of one row (the table and column names come from the
/// schema via the changeset, never from outside).
fn set(
    tx: &Transaction,
    table: &str,
    keys: &[String],
    key: &[Value],
    column: &str,
    value: &Value,
) -> Result<()> {
    let filter = keys
        .iter()
        .enumerate()
        .map(|(i, k)| format!("\"{k}\" = ?{}", i + 2))
        .collect::<Vec<_>>()
        .join(" AND ");
    let sql = format!("UPDATE \"{table}\" SET \"{column}\" = ?1 WHERE {filter}");
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![value];
    values.extend(key.iter().map(|v| v as &dyn rusqlite::ToSql));
    tx.execute(&sql, values.as_slice())?;
    Ok(())
}

fn customer_of(tx: &Transaction, table: &str, key: &Value) -> Result<Option<i64>> {
    if table == "customers" {
        return Ok(match key {
            Value::Integer(id) => Some(*id),
            _ => None,
        });
    }
    let has_customer: bool = tx.query_row(
        "SELECT count(*) FROM pragma_table_info(?1) WHERE name = 'customer_id'",
        [table],
        |r| r.get(0),
    )?;
    if !has_customer || !matches!(key, Value::Integer(_)) {
        return Ok(None);
    }
    Ok(tx
        .query_row(
            &format!("SELECT customer_id FROM \"{table}\" WHERE rowid = ?1"),
            [key],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

fn text(value: &Value) -> String {
    match value {
        Value::Text(t) => t.clone(),
        Value::Integer(i) => i.to_string(),
        _ => String::new(),
    }
}

fn truthy(value: &Value) -> bool {
    matches!(value, Value::Integer(i) if *i != 0)
}

/// Puts the office's policies in effect for what the apply met, and records
/// each conflict for the office to read.
fn settle(tx: &Transaction, met: &Met, arriving: &Origin, now: &str) -> Result<()> {
    for clash in &met.clashes {
        let (names, keys) = column_names(tx, &clash.table)?;
        let row_id = row_key(&clash.key);
        let customer_id = customer_of(tx, &clash.table, &row_id)?;
        let before = origin_of(tx, &clash.table, &row_id)?;
        for field in &clash.fields {
            let column = &names[field.column];
            let (kept, value) = match policy::of(&clash.table, column) {
                Policy::Derived => {
                    if column == "updated_at" && text(&field.a) > text(&field.b) {
                        set(tx, &clash.table, &keys, &clash.key, column, &field.a)?;
                    }
                    continue;
                }
                Policy::Sticky if truthy(&field.a) && !truthy(&field.b) => {
                    ("sticky", Some(field.a.clone()))
                }
                Policy::Sticky => continue,
                Policy::Notes => {
                    let merged =
                        policy::both_texts(&text(&field.base), &text(&field.a), &text(&field.b));
                    ("both", Some(Value::Text(merged)))
                }
                Policy::Arrival => ("b", None),
            };
            if let Some(value) = &value {
                set(tx, &clash.table, &keys, &clash.key, column, value)?;
            }
            conflicts::record(
                tx,
                now,
                &Decided {
                    table: &clash.table,
                    row_id: row_id.clone(),
                    customer_id,
                    field: column,
                    base: field.base.clone(),
                    a: (field.a.clone(), &before),
                    b: (field.b.clone(), arriving),
                    kept,
                },
            )?;
        }
        if let (Some(id), "customers") = (customer_id, clash.table.as_str()) {
            customers::refresh_search_key(tx, id)?;
        }
    }
    for gone in &met.gone {
        let (names, _) = column_names(tx, &gone.table)?;
        let row_id = row_key(&gone.key);
        for field in &gone.fields {
            conflicts::record(
                tx,
                now,
                &Decided {
                    table: &gone.table,
                    row_id: row_id.clone(),
                    customer_id: None,
                    field: &names[field.column],
                    base: Value::Null,
                    a: (Value::Null, &Origin::default()),
                    b: (Value::Null, arriving),
                    kept: "rejected",
                },
            )?;
        }
    }
    Ok(())
}

/// A change the ledger's rules refuse (a name another PC took meanwhile, a
/// row whose customer was deleted meanwhile): kept whole, as SQLite wrote
/// it, in one conflict record, and undone on its PC.
fn refuse(
    tx: &Transaction,
    change: &Incoming,
    reason: &str,
    arriving: &Origin,
    now: &str,
) -> Result<()> {
    conflicts::record(
        tx,
        now,
        &Decided {
            table: "*",
            row_id: Value::Integer(change.device_seq),
            customer_id: None,
            field: reason,
            base: Value::Null,
            a: (Value::Null, &Origin::default()),
            b: (Value::Blob(change.changeset.to_vec()), arriving),
            kept: "rejected",
        },
    )
}
