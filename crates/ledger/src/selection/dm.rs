//! Who may receive direct mail: a segment's members minus everyone who must
//! not get it. The exclusions are applied here, after the segment, so no
//! segment can override them.

use std::rc::Rc;

use chrono::NaiveDate;
use rusqlite::params;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::followups::requests;
use crate::record::rules::{DISPLAY_NAME, USABLE_ADDRESS};
use crate::reference::export_log::{self, ExportKind, ExportNote};
use crate::selection::predicates;
use crate::selection::segments::Group;
use crate::store::access::Need;
use crate::store::error::{LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger};

/// Why someone is left out of a DM list, in the order they are checked.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// DM不要: the customer asked not to get mail.
    OptOut,
    /// The customer's status does not allow DM (停止, 離反顧客 …).
    StatusForbids,
    /// Mail came back undeliverable and the address has not been corrected.
    MailReturned,
    DeceasedOrMoved,
    /// No seven-digit postal code or no street part.
    NoUsableAddress,
    /// An after-care request is still open (a setting, on by default).
    OpenRequest,
}

impl Exclusion {
    pub fn label(self) -> &'static str {
        match self {
            Self::OptOut => "DM不要",
            Self::StatusForbids => "DM不可のステータス",
            Self::MailReturned => "郵便返戻",
            Self::DeceasedOrMoved => "ご逝去・転居",
            Self::NoUsableAddress => "住所不備",
            Self::OpenRequest => "アフター対応中",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "opt_out" => Self::OptOut,
            "status" => Self::StatusForbids,
            "returned" => Self::MailReturned,
            "gone" => Self::DeceasedOrMoved,
            "address" => Self::NoUsableAddress,
            "open_request" => Self::OpenRequest,
            _ => return None,
        })
    }
}

/// A customer as a DM list needs them: what is printed, and what templates
/// may add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub customer_id: i64,
    pub family_name: String,
    pub given_name: String,
    pub family_kana: String,
    pub given_kana: String,
    pub honorific: String,
    pub company: String,
    pub department: String,
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    pub address1: String,
    pub address2: String,
    pub phone: String,
    pub staff: String,
    pub status: String,
    pub grade: String,
    /// Household members marked for joint names (連名), in their order.
    pub joint_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ExcludedPerson {
    pub customer_id: i64,
    pub name: String,
    pub reason: Exclusion,
}

/// Someone a filter selects: on the list, or left out and why.
// Nearly every candidate is included: boxing the large variant would cost
// an allocation per customer to save space on the few left out.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidate {
    Included(Addressee),
    Excluded(ExcludedPerson),
}

/// An export's row, its SHA-256 blank until the file is finished: ?1 the time,
/// ?2 the staff, ?3 … ?7 the record's texts and row count, ?8 the campaign,
/// whose name stands in for an empty campaign text, ?9 its id.
const INSERT_MAILING: &str = "INSERT INTO mailings
        (id, exported_at, staff_id, campaign, segment, format, file_name, rows, sha256,
         campaign_id)
    VALUES (?9, ?1, ?2, coalesce(nullif(?3, ''), (SELECT name FROM campaigns WHERE id = ?8), ''),
            ?4, ?5, ?6, ?7, '', ?8)";

impl Ledger {
    /// The DM candidates of a filter on `today`, one at a time in
    /// postal-code order (then by id), so that a list of any size is never
    /// held at once and people at one address always arrive together.
    pub fn dm_candidates<E: From<LedgerError>>(
        &self,
        filter: &Group,
        today: NaiveDate,
        mut each: impl FnMut(Candidate) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let filter = predicates::group(filter, today);
        // The joint names' ordered subquery runs only for customers in the
        // IN list (built once): run for every row it took a fifth of the scan.
        let sql = format!(
            "SELECT c.id, c.family_name, c.given_name, c.family_kana, c.given_kana, c.honorific,
           c.company, c.department, c.postal_code, c.prefecture, c.city, c.address1, c.address2,
           c.phone, coalesce(st.name, ''), s.name, coalesce(c.grade, ''),
           CASE WHEN c.id IN (SELECT customer_id FROM household_members WHERE joint_name = 1) THEN
               (SELECT group_concat(m.name, char(31)) FROM (SELECT name FROM household_members
                   WHERE customer_id = c.id AND joint_name = 1 ORDER BY position, id) m)
           END,
           CASE WHEN c.dm_opt_out THEN 'opt_out'
                WHEN NOT s.dm_allowed THEN 'status'
                WHEN c.mail_returned_reason <> '' OR c.mail_returned_on IS NOT NULL THEN 'returned'
                WHEN c.deceased OR c.moved THEN 'gone'
                WHEN NOT {USABLE_ADDRESS} THEN 'address'
                WHEN {open_request} THEN 'open_request'
           END,
           {DISPLAY_NAME}
    FROM customers c JOIN statuses s ON s.id = c.status_id LEFT JOIN staff st ON st.id = c.staff_id
    WHERE c.deleted_at IS NULL AND ({})
    ORDER BY c.postal_code, c.id",
            filter.sql,
            open_request = requests::open_request_keeps_from_dm(),
        );
        let mut stmt = self.conn.prepare(&sql).map_err(LedgerError::from)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(filter.params))
            .map_err(LedgerError::from)?;
        while let Some(r) = rows.next().map_err(LedgerError::from)? {
            each(candidate(r).map_err(LedgerError::from)?)?;
        }
        Ok(())
    }

    /// Records an export: what, when, by whom, to which file, and who was in
    /// it. `finish` runs last inside the transaction and returns the file's
    /// SHA-256 (the export finishes its file and puts it in place there,
    /// while the recipients are being written); its failure rolls the record
    /// back.
    pub fn record_mailing(
        &mut self,
        actor: &Actor,
        mailing: &MailingRecord,
        mut recipients: Vec<i64>,
        finish: impl FnOnce() -> Result<String>,
    ) -> Result<i64> {
        // In id order the recipient rows append to their B-trees instead of
        // landing all over them: less than half the time at 100,000.
        recipients.sort_unstable();
        let recipients: Vec<Value> = recipients.into_iter().map(Value::from).collect();
        // The foreign-key check reads every recipient's customer page once
        // (≈ 40 MB at 100,000 in the usual cache).
        let acting = self.require(Need::Export)?.clone();
        self.write_with_cache(Need::Export, 8192, |tx| {
            let id = ids::next_id(tx, "mailings")?;
            tx.execute(
                INSERT_MAILING,
                params![
                    now(),
                    actor.staff_id,
                    mailing.campaign,
                    mailing.segment,
                    mailing.format,
                    mailing.file_name,
                    mailing.rows,
                    mailing.campaign_id,
                    id
                ],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO mailing_recipients (mailing_id, customer_id) \
                 SELECT ?1, value FROM rarray(?2)",
                params![id, Rc::new(recipients)],
            )?;
            let sha256 = finish()?;
            tx.execute(
                "UPDATE mailings SET sha256 = ?1 WHERE id = ?2",
                params![sha256, id],
            )?;
            let note = ExportNote {
                kind: ExportKind::DmList,
                file_name: mailing.file_name.clone(),
                people: mailing.rows,
                segment: mailing.list_name().to_string(),
                sha256,
            };
            export_log::log_in(tx, &acting, &note)?;
            Ok(id)
        })
    }

    pub fn mailings(&self) -> Result<Vec<Mailing>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, exported_at, campaign, segment, format, file_name, rows, sha256, \
             campaign_id FROM mailings ORDER BY exported_at DESC, id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Mailing {
                    id: r.get(0)?,
                    exported_at: r.get(1)?,
                    sha256: r.get(7)?,
                    record: MailingRecord {
                        campaign: r.get(2)?,
                        segment: r.get(3)?,
                        format: r.get(4)?,
                        file_name: r.get(5)?,
                        rows: r.get(6)?,
                        campaign_id: r.get(8)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Marks a mailed piece as returned: the customer is left out of later
    /// lists until the address is corrected.
    pub fn mark_returned(
        &mut self,
        actor: &Actor,
        customer_id: i64,
        reason: &str,
        on: &str,
    ) -> Result<()> {
        let mut fields = self.customer(customer_id)?.fields;
        fields.mail_returned_reason = reason.to_string();
        fields.mail_returned_on = Some(on.to_string());
        self.update_customer(actor, customer_id, &fields)
            .map(|_| ())
    }
}

fn candidate(r: &rusqlite::Row) -> rusqlite::Result<Candidate> {
    let get = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let reason: Option<String> = r.get(18)?;
    let person = Addressee {
        customer_id: r.get(0)?,
        family_name: get(1)?,
        given_name: get(2)?,
        family_kana: get(3)?,
        given_kana: get(4)?,
        honorific: get(5)?,
        company: get(6)?,
        department: get(7)?,
        postal_code: get(8)?,
        prefecture: get(9)?,
        city: get(10)?,
        address1: get(11)?,
        address2: get(12)?,
        phone: get(13)?,
        staff: get(14)?,
        status: get(15)?,
        grade: get(16)?,
        joint_names: r
            .get::<_, Option<String>>(17)?
            .map(|j| j.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
    };
    Ok(match reason.as_deref().and_then(Exclusion::from_code) {
        None => Candidate::Included(person),
        Some(reason) => Candidate::Excluded(ExcludedPerson {
            customer_id: person.customer_id,
            name: r.get(19)?,
            reason,
        }),
    })
}

/// What is recorded of one export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MailingRecord {
    /// Free text, or the campaign's name when `campaign_id` is set.
    pub campaign: String,
    pub campaign_id: Option<i64>,
    /// The segment's name and its filter as JSON.
    pub segment: String,
    pub format: String,
    pub file_name: String,
    pub rows: u32,
}

impl MailingRecord {
    /// The segment text as the mailing keeps it: the list's name, a space
    /// and its filter as JSON.
    pub fn segment_text(name: &str, filter_json: &str) -> String {
        format!("{name} {filter_json}")
    }

    /// The list's name alone, as the export record shows it.
    pub fn list_name(&self) -> &str {
        self.segment
            .split_once(" {")
            .map_or(self.segment.as_str(), |(name, _)| name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Mailing {
    pub id: i64,
    pub exported_at: String,
    /// Of the file as written, taken before it was put in place.
    pub sha256: String,
    pub record: MailingRecord,
}

/// A saved export layout; `columns` is the mailing crate's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StoredTemplate {
    pub name: String,
    pub columns: String,
}

const DM_CHECKS: &str = "dm_checks";
const PRINT: &str = "print";

impl Ledger {
    pub fn export_templates(&self) -> Result<Vec<StoredTemplate>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, columns FROM export_templates ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredTemplate {
                    name: r.get(0)?,
                    columns: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn save_export_template(&mut self, template: &StoredTemplate) -> Result<()> {
        if template.name.trim().is_empty() {
            return Err(crate::LedgerError::Invalid(vec![crate::FieldError::new(
                "name",
                "テンプレートの名前を入力してください。",
            )]));
        }
        self.write(Need::Export, |tx| {
            tx.execute(
                "INSERT INTO export_templates (name, columns, saved_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name)
                 DO UPDATE SET columns = excluded.columns, saved_at = excluded.saved_at",
                params![template.name.trim(), template.columns, now()],
            )?;
            Ok(())
        })
    }

    /// The office's pre-export checks (limits, banned words) as JSON, if set.
    pub fn dm_checks(&self) -> Result<Option<String>> {
        crate::store::kv::get(&self.conn, DM_CHECKS)
    }

    pub fn save_dm_checks(&mut self, json: &str) -> Result<()> {
        self.write(Need::Export, |tx| {
            crate::store::kv::put(tx, DM_CHECKS, json)
        })
    }

    /// The office's print choices (label sheet, layout, sender) as JSON,
    /// and this PC's printers with their offsets (never sent to another
    /// PC: each has its own printers).
    pub fn print_settings(&self) -> Result<(Option<String>, Option<String>)> {
        Ok((
            crate::store::kv::get(&self.conn, PRINT)?,
            crate::store::kv::local_get(&self.conn, crate::store::kv::Local::Printers)?,
        ))
    }

    pub fn save_print_settings(&mut self, office: &str, printers: &str) -> Result<()> {
        self.write(Need::Export, |tx| {
            crate::store::kv::put(tx, PRINT, office)?;
            crate::store::kv::local_put(tx, crate::store::kv::Local::Printers, printers)
        })
    }
}
