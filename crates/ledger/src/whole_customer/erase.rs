//! Erasure (個人情報保護法 第35条 利用停止・消去): a customer and every row
//! that holds their values leave the ledger in one transaction, and the file
//! is then rewritten so that neither freed pages nor the WAL keep the text.
//! What stays is the erasure record: the id, when, who and why.

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::changelog::{self, Change};
use crate::record::customers;
use crate::record::erasures::{erasure_in, read_erasure, ERASED_FIELD, ERASURES};
pub use crate::record::erasures::{Erasure, ERASED_NAME};
use crate::record::rules::DISPLAY_NAME;
use crate::reference::export_log::{self, ExportKind, ExportNote};
use crate::store::access::Need;
use crate::store::backup::{self, BackupInfo};
use crate::store::error::{LedgerError, Result};
use crate::store::ledger::{classify, now, Actor, Ledger};
use crate::FieldError;

/// Tables holding rows about one customer, in the order they can be deleted
/// (a task points at a contact and a project), with the condition that
/// picks the customer's rows (`?1` is the id) and what the row is.
const HELD: [(&str, &str, Part); 13] = [
    ("tasks", "customer_id = ?1", Part::Tasks),
    // What the owner said about their house, before its contacts.
    ("service_requests", "customer_id = ?1", Part::Requests),
    ("contacts", "customer_id = ?1", Part::Contacts),
    ("projects", "customer_id = ?1", Part::Projects),
    ("household_members", "customer_id = ?1", Part::Members),
    ("customer_labels", "customer_id = ?1", Part::Labels),
    ("segment_members", "customer_id = ?1", Part::Lists),
    ("mailing_recipients", "customer_id = ?1", Part::Mailings),
    ("status_history", "customer_id = ?1", Part::StatusMoves),
    ("change_log", "customer_id = ?1", Part::ChangeRows),
    // A merge keeps both records as they were, to be undone.
    (
        "customer_merges",
        "kept_id = ?1 OR merged_id = ?1",
        Part::Merges,
    ),
    // Only ids from here on, but nothing may point at the person later.
    (
        "distinct_customers",
        "low_id = ?1 OR high_id = ?1",
        Part::Ids,
    ),
    ("import_batch_customers", "customer_id = ?1", Part::Ids),
];

#[derive(Clone, Copy)]
enum Part {
    Tasks,
    Requests,
    Contacts,
    Projects,
    Members,
    Labels,
    Lists,
    Mailings,
    StatusMoves,
    ChangeRows,
    Merges,
    Ids,
}

/// How many rows of each kind an erasure removes (or removed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Held {
    pub members: u32,
    pub contacts: u32,
    pub projects: u32,
    pub tasks: u32,
    /// After-care requests (アフター).
    pub requests: u32,
    pub labels: u32,
    /// Static lists the customer is a member of.
    pub lists: u32,
    /// DM exports that included the customer.
    pub mailings: u32,
    pub status_moves: u32,
    /// Change-history rows.
    pub change_rows: u32,
    /// Merges of a duplicate record into this one (both records as they were).
    pub merges: u32,
    /// Customers this one referred: they keep the link, shown as 「（消去済み）」.
    pub referred: u32,
}

impl Held {
    fn slot(&mut self, part: Part) -> Option<&mut u32> {
        Some(match part {
            Part::Tasks => &mut self.tasks,
            Part::Requests => &mut self.requests,
            Part::Contacts => &mut self.contacts,
            Part::Projects => &mut self.projects,
            Part::Members => &mut self.members,
            Part::Labels => &mut self.labels,
            Part::Lists => &mut self.lists,
            Part::Mailings => &mut self.mailings,
            Part::StatusMoves => &mut self.status_moves,
            Part::ChangeRows => &mut self.change_rows,
            Part::Merges => &mut self.merges,
            Part::Ids => return None,
        })
    }

    /// Runs `each` (a count or a delete, returning rows) over every table
    /// in `HELD` order.
    fn tally(mut each: impl FnMut(&str, &str) -> Result<u32>) -> Result<Self> {
        let mut held = Self::default();
        for (table, which, part) in HELD {
            let rows = each(table, which)?;
            if let Some(slot) = held.slot(part) {
                *slot = rows;
            }
        }
        Ok(held)
    }
}

/// What the confirmation names before anything is erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ErasurePreview {
    pub customer_id: i64,
    pub name: String,
    pub held: Held,
    /// Backups in `backups/` (newest first): each still holds the person
    /// until it rotates out.
    pub backups: Vec<BackupInfo>,
    /// How many backups `backups/` keeps; an old one goes when a newer is made.
    pub backups_kept: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ErasureReport {
    pub erasure: Erasure,
    pub removed: Held,
    /// The backups taken before the erasure, which still hold the person.
    pub backups: Vec<BackupInfo>,
    pub backups_kept: u32,
    /// False when the file could not be rewritten or its WAL emptied yet
    /// (another program reading the ledger, a full disk): erasing the same
    /// id again retries that step.
    pub scrubbed: bool,
}

fn count(conn: &Connection, table: &str, which: &str, id: i64) -> Result<u32> {
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM {table} WHERE {which}"),
        [id],
        |r| r.get(0),
    )?)
}

fn referred_by(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let ids = conn
        .prepare_cached("SELECT id FROM customers WHERE referrer_id = ?1 ORDER BY id")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn name_of(conn: &Connection, id: i64) -> Result<String> {
    customers::get_in(conn, id)?;
    Ok(conn.query_row(
        &format!("SELECT {DISPLAY_NAME} FROM customers c WHERE c.id = ?1"),
        [id],
        |r| r.get(0),
    )?)
}

fn reason_given(reason: &str) -> Result<String> {
    match daicho_text::collapse_spaces(reason) {
        r if r.is_empty() => Err(LedgerError::Invalid(vec![FieldError::new(
            "reason",
            "消去の理由を入力してください（例: ご本人から消去の請求）。",
        )])),
        r => Ok(r),
    }
}

/// Deletes the customer and everything held about them inside `tx`. The
/// customers they referred lose the id but keep a logged change whose old
/// value names the erased id, which `erased_referrer` reads back.
fn erase_in(tx: &Transaction, actor: &Actor, id: i64, reason: &str) -> Result<Held> {
    customers::get_in(tx, id)?;
    let referred = referred_by(tx, id)?;
    let at = now();
    for other in &referred {
        tx.execute(
            "UPDATE customers SET referrer_id = NULL, updated_at = ?2 WHERE id = ?1",
            params![other, at],
        )?;
        changelog::record_customer(
            tx,
            actor,
            *other,
            &[Change::new("referrer_id", Some(id.to_string()), None)],
        )?;
    }
    let mut held = Held::tally(|table, which| {
        Ok(tx.execute(&format!("DELETE FROM {table} WHERE {which}"), [id])? as u32)
    })?;
    held.referred = referred.len() as u32;
    // The delete trigger takes the row out of the search index; optimize
    // then merges the index into one segment, so no older segment keeps the
    // person's trigrams next to a delete marker.
    tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    for index in ["customer_fts", "customer_grams"] {
        tx.execute(
            &format!("INSERT INTO {index}({index}) VALUES ('optimize')"),
            [],
        )?;
    }
    changelog::record(
        tx,
        actor,
        "customer",
        id,
        None,
        &[Change::new(ERASED_FIELD, None, Some(reason.to_string()))],
    )?;
    Ok(held)
}

const ERASURE: ExportNote = ExportNote {
    kind: ExportKind::Erasure,
    file_name: String::new(),
    people: 1,
    segment: String::new(),
    sha256: String::new(),
};

impl Ledger {
    /// What erasing customer `id` would remove, for the confirmation.
    pub fn erasure_preview(&self, id: i64) -> Result<ErasurePreview> {
        let name = name_of(&self.conn, id)?;
        let mut held = Held::tally(|table, which| count(&self.conn, table, which, id))?;
        held.referred = referred_by(&self.conn, id)?.len() as u32;
        Ok(ErasurePreview {
            customer_id: id,
            name,
            held,
            backups: backup::list(self.path())?,
            backups_kept: backup::KEEP as u32,
        })
    }

    /// Erases customer `id` for `reason` in one transaction (nothing changes
    /// if any step fails), then rewrites the file and empties the WAL so the
    /// deleted text is in neither. Erasing an id that was already erased
    /// only repeats the rewrite, so a rewrite that could not finish is
    /// retried the same way.
    pub fn erase_customer(
        &mut self,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<ErasureReport> {
        let backups = backup::list(self.path())?;
        let removed = match erasure_in(&self.conn, id)? {
            Some(_) if customers::get_in(&self.conn, id).is_err() => Held::default(),
            _ => {
                let reason = reason_given(reason)?;
                let acting = self.require(Need::Erase)?.clone();
                self.with_secure_delete(|ledger| {
                    ledger.write(Need::Erase, |tx| {
                        // The record says that someone was erased, never who.
                        export_log::log_in(tx, &acting, &ERASURE)?;
                        erase_in(tx, actor, id, &reason)
                    })
                })?
            }
        };
        let scrubbed = self.scrub().is_ok();
        Ok(ErasureReport {
            erasure: erasure_in(&self.conn, id)?.ok_or(LedgerError::NotFound {
                entity: "消去記録",
                id,
            })?,
            removed,
            backups,
            backups_kept: backup::KEEP as u32,
            scrubbed,
        })
    }

    /// Every erasure record, newest first.
    pub fn erasures(&self) -> Result<Vec<Erasure>> {
        let rows = self
            .conn
            .prepare(&format!(
                "{ERASURES} ORDER BY cl.changed_at DESC, cl.id DESC"
            ))?
            .query_map([ERASED_FIELD], read_erasure)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Runs `work` with SQLite overwriting deleted content with zeros, so
    /// the pages a delete frees (and the WAL frames that carry them) do not
    /// keep the text even before the file is rewritten.
    fn with_secure_delete<T>(&mut self, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let usual: i64 = self
            .conn
            .pragma_query_value(None, "secure_delete", |r| r.get(0))?;
        self.conn.pragma_update(None, "secure_delete", 1)?;
        let done = work(self);
        self.conn.pragma_update(None, "secure_delete", usual)?;
        done
    }

    /// Rewrites the file without free space (VACUUM: earlier edits left old
    /// copies of rows in freed space that secure_delete was not on for), then
    /// copies the WAL into it and truncates the WAL to nothing. Fails while
    /// another connection still reads an older snapshot.
    fn scrub(&mut self) -> Result<()> {
        let path = self.path().to_path_buf();
        self.conn
            .execute_batch("VACUUM")
            .map_err(|e| classify(e, &path))?;
        let (busy, _, _): (i64, i64, i64) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .map_err(|e| classify(e, &path))?;
        if busy != 0 {
            return Err(LedgerError::Locked { path });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Coded, CustomerFields};

    fn open_temp() -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
        (dir, ledger)
    }

    fn add(ledger: &mut Ledger, family: &str, referrer_id: Option<i64>) -> i64 {
        let fields = CustomerFields {
            family_name: family.into(),
            phone: "03-1234-5678".into(),
            referrer_id,
            ..Default::default()
        };
        ledger
            .create_customer(&Actor::user(None), &fields)
            .unwrap()
            .id
    }

    #[test]
    fn an_empty_reason_is_refused_and_nothing_changes() {
        let (_dir, mut ledger) = open_temp();
        let id = add(&mut ledger, "山田", None);
        let error = ledger
            .erase_customer(&Actor::user(None), id, " 　")
            .unwrap_err();
        assert_eq!(error.code(), "invalid");
        assert!(ledger.customer(id).is_ok());
        assert!(ledger.erasures().unwrap().is_empty());
    }

    #[test]
    fn an_unknown_customer_is_not_found() {
        let (_dir, mut ledger) = open_temp();
        let error = ledger
            .erase_customer(&Actor::user(None), 99, "請求")
            .unwrap_err();
        assert_eq!(error.code(), "not_found");
    }

    #[test]
    fn referrals_keep_the_link_and_the_referred_stay_editable() {
        let (_dir, mut ledger) = open_temp();
        let referrer = add(&mut ledger, "紹介", None);
        let referred = add(&mut ledger, "被紹介", Some(referrer));
        let preview = ledger.erasure_preview(referrer).unwrap();
        assert_eq!((preview.name.as_str(), preview.held.referred), ("紹介", 1));
        let report = ledger
            .erase_customer(&Actor::user(None), referrer, "ご本人の請求")
            .unwrap();
        assert_eq!(report.erasure.reason, "ご本人の請求");
        assert!(report.scrubbed);
        let shown = ledger.referrals(referred).unwrap().referrer.unwrap();
        assert_eq!((shown.id, shown.name.as_str()), (referrer, ERASED_NAME));
        assert!(shown.erased);
        let mut fields = ledger.customer(referred).unwrap().fields;
        fields.notes = "編集できる".into();
        ledger
            .update_customer(&Actor::user(None), referred, &fields)
            .unwrap();
        let check: Vec<String> = ledger
            .conn()
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(check.is_empty(), "{check:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]

        /// Erasing one customer changes nobody else, except that those it
        /// referred show the link as erased.
        #[test]
        fn the_others_stay_as_they_were(
            referrers in proptest::collection::vec(proptest::option::of(0usize..6), 2..6),
            pick in 0usize..6,
        ) {
            let (_dir, mut ledger) = open_temp();
            let mut ids: Vec<i64> = Vec::new();
            for (i, referrer) in referrers.iter().enumerate() {
                let referrer = referrer.and_then(|r| ids.get(r).copied());
                ids.push(add(&mut ledger, &format!("顧客{i}"), referrer));
            }
            let gone = ids[pick % ids.len()];
            let before: Vec<_> = ids.iter().map(|id| ledger.customer(*id).unwrap()).collect();
            ledger.erase_customer(&Actor::user(None), gone, "請求").unwrap();
            for old in before.iter().filter(|c| c.id != gone) {
                let now = ledger.customer(old.id).unwrap();
                if old.fields.referrer_id == Some(gone) {
                    let shown = ledger.referrals(old.id).unwrap().referrer.unwrap();
                    proptest::prop_assert!(shown.erased && shown.id == gone);
                    proptest::prop_assert_eq!(now.fields.referrer_id, None);
                } else {
                    proptest::prop_assert_eq!(&now.fields, &old.fields);
                    proptest::prop_assert_eq!(&now.updated_at, &old.updated_at);
                }
            }
            proptest::prop_assert!(ledger.customer(gone).is_err());
        }
    }

    #[test]
    fn erasing_again_only_rewrites_the_file() {
        let (_dir, mut ledger) = open_temp();
        let id = add(&mut ledger, "山田", None);
        let first = ledger
            .erase_customer(&Actor::user(None), id, "請求")
            .unwrap();
        assert!(first.removed.change_rows >= 1);
        let again = ledger.erase_customer(&Actor::user(None), id, "").unwrap();
        assert_eq!(again.removed, Held::default());
        assert_eq!(again.erasure, first.erasure);
        assert_eq!(ledger.erasures().unwrap().len(), 1);
    }
}
