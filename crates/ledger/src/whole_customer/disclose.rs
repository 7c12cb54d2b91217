//! Disclosure (個人情報保護法 第33条 開示): everything the ledger holds about
//! one person, gathered for the workbook the office hands over
//! (`daicho_mailing::disclosure` writes it), and the record of the handover
//! in that person's history.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::followups::contacts::Contact;
use crate::followups::projects::Project;
use crate::followups::requests::{RequestFilter, ServiceRequest};
use crate::followups::tasks::Task;
use crate::record::changelog::{self, Change, HistoryEntry};
use crate::record::columns::column;
use crate::record::customers::{self, Customer};
use crate::reference::export_log::{self, ExportKind, ExportNote};
use crate::store::access::Need;
use crate::store::error::Result;
use crate::store::ids;
use crate::store::ledger::{Actor, Ledger};
use crate::store::sql;

/// The change-log field of a disclosure; its new value is the file's name.
pub const DISCLOSED_FIELD: &str = "disclosed";

/// Japanese names of the logged fields that are not customer columns (those
/// are named in `CUSTOMER_COLUMNS`), for a file read by the person themselves.
const LABELS: &[(&str, &str)] = &[
    ("created", "登録"),
    ("labels", "ラベル"),
    ("members", "家族"),
    ("deleted_at", "ごみ箱"),
    ("project_kind", "案件の種類"),
    ("project_title", "案件名"),
    ("project_amount_yen", "案件の金額"),
    ("project_contract_on", "契約日"),
    ("project_start_on", "着工日"),
    ("project_completion_on", "完成日"),
    ("project_handover_on", "引渡日"),
    ("project_deleted", "案件の削除"),
    (DISCLOSED_FIELD, "開示"),
];

/// The Japanese name of a stored field (the code itself when unknown).
pub fn field_label(field: &str) -> &str {
    if let Some(column) = column(field) {
        return column.label;
    }
    LABELS
        .iter()
        .find(|(code, _)| *code == field)
        .map_or(field, |(_, label)| label)
}

/// A stored value as a person reads it: codes named, flags as はい/いいえ,
/// references by id. `None` (no value) is empty.
pub fn shown_value(field: &str, raw: Option<&str>) -> String {
    let Some(raw) = raw else {
        return String::new();
    };
    let named = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .find(|(code, _)| *code == raw)
            .map_or(raw, |(_, name)| name)
            .to_string()
    };
    match field {
        "gender" => named(&[("male", "男性"), ("female", "女性"), ("other", "その他")]),
        "build_timing" => named(&[
            ("now", "今すぐ"),
            ("within_year", "1年以内"),
            ("two_three_years", "2〜3年後"),
            ("undecided", "未定"),
        ]),
        "land" => named(&[
            ("owned", "あり"),
            ("none", "なし"),
            ("searching", "探している"),
        ]),
        "project_kind" => named(&[
            ("new_build", "新築"),
            ("renovation", "リフォーム"),
            ("other", "その他"),
        ]),
        "dm_opt_out" | "deceased" | "moved" => named(&[("1", "はい"), ("0", "いいえ")]),
        "staff_id" | "status_id" | "referrer_id" | "campaign_id" => match raw.parse() {
            Ok(id) => format!("ID {}", ids::display(id)),
            Err(_) => format!("ID {raw}"),
        },
        _ => raw.to_string(),
    }
}

/// One line of the record: a field's name and its value as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DisclosedField {
    pub label: String,
    pub value: String,
}

/// A DM export that included the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MailingSent {
    pub exported_at: String,
    pub campaign: String,
    pub file_name: String,
}

/// Everything held about one customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Disclosure {
    pub customer: Customer,
    /// The record's fields in the form's order, then when it was made and changed.
    pub record: Vec<DisclosedField>,
    pub contacts: Vec<Contact>,
    pub projects: Vec<Project>,
    pub tasks: Vec<Task>,
    /// After-care requests, open and closed (what the owner said included).
    pub requests: Vec<ServiceRequest>,
    /// Static lists the person is a member of.
    pub lists: Vec<String>,
    pub mailings: Vec<MailingSent>,
    /// The full timeline, newest first (as the history tab shows it).
    pub history: Vec<HistoryEntry>,
}

/// The record's fields, with the staff member, status and campaign by name.
fn record(conn: &Connection, customer: &Customer) -> Result<Vec<DisclosedField>> {
    let (staff, campaign): (Option<String>, Option<String>) = conn.query_row(
        "SELECT s.name, k.name FROM customers c
         LEFT JOIN staff s ON s.id = c.staff_id LEFT JOIN campaigns k ON k.id = c.campaign_id
         WHERE c.id = ?1",
        [customer.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let line = |field: &str, value: String| DisclosedField {
        label: field_label(field).to_string(),
        value,
    };
    let mut lines = vec![DisclosedField {
        label: "顧客ID".into(),
        value: ids::display(customer.id),
    }];
    for (field, raw) in customers::column_names().zip(customer.fields.texts()) {
        let value = match field {
            "staff_id" => staff.clone().unwrap_or_default(),
            "campaign_id" => campaign.clone().unwrap_or_default(),
            "status_id" => customer.status.clone(),
            _ => shown_value(field, raw.as_deref()),
        };
        lines.push(line(field, value));
    }
    lines.push(DisclosedField {
        label: "登録日時".into(),
        value: customer.created_at.clone(),
    });
    lines.push(DisclosedField {
        label: "更新日時".into(),
        value: customer.updated_at.clone(),
    });
    Ok(lines)
}

fn lists(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let names = sql::rows(
        conn,
        "SELECT s.name FROM segment_members m JOIN segments s ON s.id = m.segment_id
             WHERE m.customer_id = ?1 ORDER BY s.name",
        [id],
        |r| r.get(0),
    )?;
    Ok(names)
}

fn mailings(conn: &Connection, id: i64) -> Result<Vec<MailingSent>> {
    let sent = sql::rows(
        conn,
        "SELECT m.exported_at, m.campaign, m.file_name
             FROM mailing_recipients r JOIN mailings m ON m.id = r.mailing_id
             WHERE r.customer_id = ?1 ORDER BY m.exported_at DESC, m.id DESC",
        [id],
        |r| {
            Ok(MailingSent {
                exported_at: r.get(0)?,
                campaign: r.get(1)?,
                file_name: r.get(2)?,
            })
        },
    )?;
    Ok(sent)
}

impl Ledger {
    /// Everything the ledger holds about customer `id`, as it stands on
    /// `today` (a request's overdue flag and warranty).
    pub fn disclosure(&self, id: i64, today: NaiveDate) -> Result<Disclosure> {
        let theirs = RequestFilter {
            customer_id: Some(id),
            ..RequestFilter::default()
        };
        let customer = customers::get_in(&self.conn, id)?;
        Ok(Disclosure {
            record: record(&self.conn, &customer)?,
            contacts: self.contacts(id)?,
            projects: self.projects(id)?,
            tasks: self.tasks(id)?,
            requests: self.requests(&theirs, today)?,
            lists: lists(&self.conn, id)?,
            mailings: mailings(&self.conn, id)?,
            history: changelog::history(&self.conn, id)?,
            customer,
        })
    }

    /// Records in the customer's history that their data was disclosed as
    /// `file_name`. `finish` (putting the file in place) runs inside the same
    /// transaction: the file exists exactly when the record does.
    pub fn record_disclosure(
        &mut self,
        actor: &Actor,
        id: i64,
        file_name: &str,
        sha256: &str,
        finish: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        let acting = self.require(Need::Disclose)?.clone();
        let note = ExportNote {
            kind: ExportKind::Disclosure,
            file_name: file_name.to_string(),
            people: 1,
            segment: String::new(),
            sha256: sha256.to_string(),
        };
        self.write(Need::Disclose, |tx| {
            export_log::log_in(tx, &acting, &note)?;
            customers::touch(tx, id)?;
            changelog::record_customer(
                tx,
                actor,
                id,
                &[Change::new(
                    DISCLOSED_FIELD,
                    None,
                    Some(file_name.to_string()),
                )],
            )?;
            finish()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CustomerFields;

    #[test]
    fn codes_are_named_and_unknown_ones_kept() {
        assert_eq!(shown_value("gender", Some("female")), "女性");
        assert_eq!(shown_value("dm_opt_out", Some("1")), "はい");
        assert_eq!(shown_value("staff_id", Some("3")), "ID 3");
        assert_eq!(shown_value("notes", Some("male")), "male");
        assert_eq!(shown_value("notes", None), "");
        assert_eq!(field_label("phone"), "電話番号");
        assert_eq!(field_label("something_new"), "something_new");
    }

    #[test]
    fn every_form_field_has_a_label() {
        for field in customers::column_names() {
            assert_ne!(field_label(field), field, "{field}");
        }
    }

    #[test]
    fn the_disclosure_is_in_the_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
        let fields = CustomerFields {
            family_name: "開示".into(),
            gender: Some(crate::Gender::Male),
            ..Default::default()
        };
        let id = ledger
            .create_customer(&Actor::user(None), &fields)
            .unwrap()
            .id;
        let d = ledger
            .disclosure(id, crate::store::calendar::local_today())
            .unwrap();
        let gender = d.record.iter().find(|l| l.label == "性別").unwrap();
        assert_eq!(gender.value, "男性");
        let status = d.record.iter().find(|l| l.label == "ステータス").unwrap();
        assert_eq!(status.value, d.customer.status);
        ledger
            .record_disclosure(&Actor::user(None), id, "開示.xlsx", "", || Ok(()))
            .unwrap();
        let history = ledger.customer_history(id).unwrap();
        assert!(history
            .iter()
            .any(|h| h.field == DISCLOSED_FIELD && h.new_value.as_deref() == Some("開示.xlsx")));
    }
}
