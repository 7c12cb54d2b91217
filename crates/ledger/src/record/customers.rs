//! Customers: creating, editing, status moves, trash. Every write normalizes
//! the record, refreshes its search key and logs each changed field.

use std::sync::LazyLock;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::changelog::{self, Change};
use crate::record::fields::{BuildTiming, Gender, Grade, Honorific, Land};
use crate::record::household::{self, HouseholdMember};
use crate::reference::labels::{self, Label};
use crate::reference::presets::IMPORTANT_LABEL;
use crate::reference::statuses::{self, Stage};
use crate::store::error::{LedgerError, Result};
use crate::store::ledger::{now, Actor, Ledger};
use crate::{record::validate, reference::settings};

/// Everything the office edits on a customer: the form's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CustomerFields {
    pub family_name: String,
    pub given_name: String,
    pub family_kana: String,
    pub given_kana: String,
    pub honorific: Honorific,
    pub company: String,
    pub department: String,
    pub gender: Option<Gender>,
    /// YYYY-MM-DD
    pub birthday: Option<String>,
    /// NNN-NNNN
    pub postal_code: String,
    pub prefecture: String,
    pub city: String,
    /// Town and block numbers.
    pub address1: String,
    /// Building and room.
    pub address2: String,
    pub phone: String,
    pub mobile: String,
    pub email: String,
    /// 反響元: 見学会, WEB, チラシ, 紹介, 来店 …
    pub source: String,
    pub staff_id: Option<i64>,
    pub build_timing: Option<BuildTiming>,
    /// 予算（万円）
    pub budget_man_yen: Option<i64>,
    pub land: Option<Land>,
    /// `None` on a new customer: the first active status.
    pub status_id: Option<i64>,
    pub grade: Option<Grade>,
    pub dm_opt_out: bool,
    pub mail_returned_reason: String,
    pub mail_returned_on: Option<String>,
    pub deceased: bool,
    pub moved: bool,
    pub notes: String,
    /// 紹介者: the customer who referred this one.
    pub referrer_id: Option<i64>,
    /// The campaign or event that brought the customer.
    pub campaign_id: Option<i64>,
}

impl Default for CustomerFields {
    fn default() -> Self {
        Self {
            family_name: String::new(),
            given_name: String::new(),
            family_kana: String::new(),
            given_kana: String::new(),
            honorific: Honorific::Sama,
            company: String::new(),
            department: String::new(),
            gender: None,
            birthday: None,
            postal_code: String::new(),
            prefecture: String::new(),
            city: String::new(),
            address1: String::new(),
            address2: String::new(),
            phone: String::new(),
            mobile: String::new(),
            email: String::new(),
            source: String::new(),
            staff_id: None,
            build_timing: None,
            budget_man_yen: None,
            land: None,
            status_id: None,
            grade: None,
            dm_opt_out: false,
            mail_returned_reason: String::new(),
            mail_returned_on: None,
            deceased: false,
            moved: false,
            notes: String::new(),
            referrer_id: None,
            campaign_id: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Customer {
    pub id: i64,
    pub fields: CustomerFields,
    pub status: String,
    pub stage: Stage,
    pub labels: Vec<Label>,
    pub members: Vec<HouseholdMember>,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// SQL: the customer `c`'s name as lists show it (姓 名).
pub(crate) const DISPLAY_NAME: &str = "trim(c.family_name || ' ' || c.given_name)";

/// Column order shared by SELECT, INSERT and UPDATE of `CustomerFields`.
pub(crate) const FIELD_COLUMNS: [&str; 32] = [
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "honorific",
    "company",
    "department",
    "gender",
    "birthday",
    "postal_code",
    "prefecture",
    "city",
    "address1",
    "address2",
    "phone",
    "mobile",
    "email",
    "source",
    "staff_id",
    "build_timing",
    "budget_man_yen",
    "land",
    "status_id",
    "grade",
    "dm_opt_out",
    "mail_returned_reason",
    "mail_returned_on",
    "deceased",
    "moved",
    "notes",
    "referrer_id",
    "campaign_id",
];

/// The fields as text, in `FIELD_COLUMNS` order, for the change log.
pub(crate) fn field_texts(f: &CustomerFields) -> [Option<String>; 32] {
    let text = |s: &str| Some(s.to_string());
    let flag = |b: bool| Some(if b { "1" } else { "0" }.to_string());
    [
        text(&f.family_name),
        text(&f.given_name),
        text(&f.family_kana),
        text(&f.given_kana),
        text(f.honorific.as_str()),
        text(&f.company),
        text(&f.department),
        f.gender.map(|g| g.as_str().into()),
        f.birthday.clone(),
        text(&f.postal_code),
        text(&f.prefecture),
        text(&f.city),
        text(&f.address1),
        text(&f.address2),
        text(&f.phone),
        text(&f.mobile),
        text(&f.email),
        text(&f.source),
        f.staff_id.map(|v| v.to_string()),
        f.build_timing.map(|v| v.as_str().into()),
        f.budget_man_yen.map(|v| v.to_string()),
        f.land.map(|v| v.as_str().into()),
        f.status_id.map(|v| v.to_string()),
        f.grade.map(|v| v.as_str().into()),
        flag(f.dm_opt_out),
        text(&f.mail_returned_reason),
        f.mail_returned_on.clone(),
        flag(f.deceased),
        flag(f.moved),
        text(&f.notes),
        f.referrer_id.map(|v| v.to_string()),
        f.campaign_id.map(|v| v.to_string()),
    ]
}

fn fields_from_row(r: &Row, offset: usize) -> rusqlite::Result<CustomerFields> {
    let code = |i: usize| -> rusqlite::Result<Option<String>> { r.get(offset + i) };
    Ok(CustomerFields {
        family_name: r.get(offset)?,
        given_name: r.get(offset + 1)?,
        family_kana: r.get(offset + 2)?,
        given_kana: r.get(offset + 3)?,
        honorific: Honorific::parse(&r.get::<_, String>(offset + 4)?).unwrap_or(Honorific::Sama),
        company: r.get(offset + 5)?,
        department: r.get(offset + 6)?,
        gender: code(7)?.as_deref().and_then(Gender::parse),
        birthday: r.get(offset + 8)?,
        postal_code: r.get(offset + 9)?,
        prefecture: r.get(offset + 10)?,
        city: r.get(offset + 11)?,
        address1: r.get(offset + 12)?,
        address2: r.get(offset + 13)?,
        phone: r.get(offset + 14)?,
        mobile: r.get(offset + 15)?,
        email: r.get(offset + 16)?,
        source: r.get(offset + 17)?,
        staff_id: r.get(offset + 18)?,
        build_timing: code(19)?.as_deref().and_then(BuildTiming::parse),
        budget_man_yen: r.get(offset + 20)?,
        land: code(21)?.as_deref().and_then(Land::parse),
        status_id: r.get(offset + 22)?,
        grade: code(23)?.as_deref().and_then(Grade::parse),
        dm_opt_out: r.get(offset + 24)?,
        mail_returned_reason: r.get(offset + 25)?,
        mail_returned_on: r.get(offset + 26)?,
        deceased: r.get(offset + 27)?,
        moved: r.get(offset + 28)?,
        notes: r.get(offset + 29)?,
        referrer_id: r.get(offset + 30)?,
        campaign_id: r.get(offset + 31)?,
    })
}

fn field_params(f: &CustomerFields) -> Vec<Box<dyn rusqlite::ToSql + '_>> {
    vec![
        Box::new(&f.family_name),
        Box::new(&f.given_name),
        Box::new(&f.family_kana),
        Box::new(&f.given_kana),
        Box::new(f.honorific.as_str()),
        Box::new(&f.company),
        Box::new(&f.department),
        Box::new(f.gender.map(Gender::as_str)),
        Box::new(&f.birthday),
        Box::new(&f.postal_code),
        Box::new(&f.prefecture),
        Box::new(&f.city),
        Box::new(&f.address1),
        Box::new(&f.address2),
        Box::new(&f.phone),
        Box::new(&f.mobile),
        Box::new(&f.email),
        Box::new(&f.source),
        Box::new(f.staff_id),
        Box::new(f.build_timing.map(BuildTiming::as_str)),
        Box::new(f.budget_man_yen),
        Box::new(f.land.map(Land::as_str)),
        Box::new(f.status_id),
        Box::new(f.grade.map(Grade::as_str)),
        Box::new(f.dm_opt_out),
        Box::new(&f.mail_returned_reason),
        Box::new(&f.mail_returned_on),
        Box::new(f.deceased),
        Box::new(f.moved),
        Box::new(&f.notes),
        Box::new(f.referrer_id),
        Box::new(f.campaign_id),
    ]
}

/// The statements over every field, written once: an import runs them once
/// per customer, and the statement cache finds them by their text.
static SELECT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT c.id, s.name, s.stage, c.created_at, c.updated_at, c.deleted_at, {}
         FROM customers c JOIN statuses s ON s.id = c.status_id WHERE c.id = ?1",
        FIELD_COLUMNS.map(|c| format!("c.{c}")).join(", ")
    )
});
static INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    let n = FIELD_COLUMNS.len();
    let placeholders = (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO customers ({}, created_at, updated_at, search_key) VALUES ({placeholders}, ?{}, ?{}, ?{})",
        FIELD_COLUMNS.join(", "),
        n + 1,
        n + 2,
        n + 3
    )
});
static UPDATE_SQL: LazyLock<String> = LazyLock::new(|| {
    let assignments = FIELD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let n = FIELD_COLUMNS.len();
    format!(
        "UPDATE customers SET {assignments}, updated_at = ?{} WHERE id = ?{}",
        n + 1,
        n + 2
    )
});

pub(crate) fn get_in(conn: &Connection, id: i64) -> Result<Customer> {
    let found = conn
        .prepare_cached(&SELECT_SQL)?
        .query_row([id], |r| {
            Ok(Customer {
                id: r.get(0)?,
                status: r.get(1)?,
                stage: Stage::parse(&r.get::<_, String>(2)?).unwrap_or(Stage::Inquiry),
                created_at: r.get(3)?,
                updated_at: r.get(4)?,
                deleted_at: r.get(5)?,
                fields: fields_from_row(r, 6)?,
                labels: Vec::new(),
                members: Vec::new(),
            })
        })
        .optional()?;
    let mut customer = found.ok_or(LedgerError::NotFound {
        entity: "顧客", id
    })?;
    customer.labels = labels::of_customer(conn, id)?;
    customer.members = household::of_customer(conn, id)?;
    Ok(customer)
}

/// Marks the customer as updated now; fails if there is no such customer.
pub(crate) fn touch(tx: &Transaction, id: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE customers SET updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    if changed == 0 {
        return Err(LedgerError::NotFound {
            entity: "顧客", id
        });
    }
    Ok(())
}

/// The normalized text that search matches against. Fields are joined by a
/// newline, which search keys never contain, so that a query never matches
/// across two fields.
fn search_key_of(f: &CustomerFields, members: &[HouseholdMember]) -> String {
    let key = daicho_text::search_key;
    let mut parts = vec![
        key(&format!("{}{}", f.family_name, f.given_name)),
        key(&format!("{}{}", f.family_kana, f.given_kana)),
        key(&f.company),
        key(&f.department),
        key(&f.phone),
        key(&f.mobile),
        key(&f.email),
        key(&f.postal_code),
        key(&format!(
            "{}{}{}{}",
            f.prefecture, f.city, f.address1, f.address2
        )),
        key(&f.notes),
    ];
    for member in members {
        parts.push(key(&member.name));
        parts.push(key(&member.kana));
    }
    parts.retain(|p| !p.is_empty());
    parts.join("\n")
}

pub(crate) fn refresh_search_key(tx: &Transaction, id: i64) -> Result<()> {
    let c = get_in(tx, id)?;
    let key = search_key_of(&c.fields, &c.members);
    tx.prepare_cached("UPDATE customers SET search_key = ?2 WHERE id = ?1")?
        .execute(params![id, key])?;
    Ok(())
}

/// Inserts a new customer. Its creation is one change-log row, "created",
/// without the values: the row itself holds them, and every later change of
/// a field is logged with its old value.
fn insert(
    tx: &Transaction,
    actor: &Actor,
    fields: &CustomerFields,
    members: &[HouseholdMember],
) -> Result<i64> {
    let at = now();
    let key = search_key_of(fields, members);
    let mut values = field_params(fields);
    values.push(Box::new(&at));
    values.push(Box::new(&at));
    values.push(Box::new(&key));
    tx.prepare_cached(&INSERT_SQL)?
        .execute(rusqlite::params_from_iter(values.iter()))?;
    let id = tx.last_insert_rowid();
    changelog::record_customer(tx, actor, id, &[Change::new("created", None, None)])?;
    Ok(id)
}

fn record_status_move(
    tx: &Transaction,
    actor: &Actor,
    id: i64,
    from: Option<i64>,
    to: i64,
    note: &str,
    lost_reason: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO status_history (customer_id, from_status_id, to_status_id, changed_at, staff_id, note, lost_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![id, from, to, now(), actor.staff_id, note, lost_reason])?;
    Ok(())
}

/// Adds a customer inside the caller's transaction; returns its id.
pub(crate) fn create_in(tx: &Transaction, actor: &Actor, input: &CustomerFields) -> Result<i64> {
    Creation::read(tx)?.create(tx, actor, input, &[])
}

/// What creating a customer needs from the ledger besides the record,
/// read once: an import or the sample data creates thousands of customers
/// in one transaction, and the statuses and settings do not change inside it.
pub(crate) struct Creation {
    statuses: Vec<statuses::Status>,
    auto_important_label: bool,
    important_label: Option<i64>,
}

impl Creation {
    pub(crate) fn read(tx: &Transaction) -> Result<Self> {
        Ok(Self {
            statuses: statuses::list_in(tx)?,
            auto_important_label: settings::read(tx)?.auto_important_label,
            important_label: None,
        })
    }

    /// Adds a customer (with its household, if any) and its first status;
    /// new inquiries get 重要顧客 when the office's rule is on.
    pub(crate) fn create(
        &mut self,
        tx: &Transaction,
        actor: &Actor,
        input: &CustomerFields,
        members: &[HouseholdMember],
    ) -> Result<i64> {
        let mut fields = validate::customer(tx, input, None, &self.statuses)?;
        let members = household::validated(members)?;
        let status = match fields.status_id {
            Some(id) => self
                .statuses
                .iter()
                .find(|s| s.id == id)
                .ok_or(LedgerError::NotFound {
                    entity: "ステータス",
                    id,
                })?,
            None => statuses::first_active(&self.statuses)?,
        };
        let (status_id, stage) = (status.id, status.stage);
        fields.status_id = Some(status_id);
        let id = insert(tx, actor, &fields, &members)?;
        if !members.is_empty() {
            household::replace(tx, actor, id, &members)?;
        }
        record_status_move(tx, actor, id, None, status_id, "", "")?;
        if stage == Stage::Inquiry && self.auto_important_label {
            let label = match self.important_label {
                Some(label) => label,
                None => *self
                    .important_label
                    .insert(labels::find_or_create(tx, IMPORTANT_LABEL)?),
            };
            labels::add_to_new_customer(tx, actor, id, (label, IMPORTANT_LABEL))?;
        }
        Ok(id)
    }
}

/// Saves an edited record inside the caller's transaction.
pub(crate) fn update_in(
    tx: &Transaction,
    actor: &Actor,
    id: i64,
    input: &CustomerFields,
) -> Result<()> {
    let before = get_in(tx, id)?;
    let mut fields = validate::customer(
        tx,
        input,
        Some(validate::Editing {
            id,
            status_id: before.fields.status_id,
        }),
        &statuses::list_in(tx)?,
    )?;
    fields.status_id = fields.status_id.or(before.fields.status_id);
    // Mail came back from the old address; a corrected one may get mail again.
    let address = |f: &CustomerFields| {
        (
            f.postal_code.clone(),
            f.prefecture.clone(),
            f.city.clone(),
            f.address1.clone(),
            f.address2.clone(),
        )
    };
    let b = &before.fields;
    if address(&fields) != address(b)
        && fields.mail_returned_reason == b.mail_returned_reason
        && fields.mail_returned_on == b.mail_returned_on
    {
        fields.mail_returned_reason.clear();
        fields.mail_returned_on = None;
    }
    let changes: Vec<Change> = FIELD_COLUMNS
        .iter()
        .zip(
            field_texts(&before.fields)
                .into_iter()
                .zip(field_texts(&fields)),
        )
        .filter(|(_, (old, new))| old != new)
        .map(|(column, (old, new))| Change::new(column, old, new))
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    let at = now();
    let mut values = field_params(&fields);
    values.push(Box::new(&at));
    values.push(Box::new(id));
    tx.prepare_cached(&UPDATE_SQL)?
        .execute(rusqlite::params_from_iter(values.iter()))?;
    changelog::record_customer(tx, actor, id, &changes)?;
    if fields.status_id != before.fields.status_id {
        let to = fields.status_id.expect("a stored customer has a status");
        record_status_move(tx, actor, id, before.fields.status_id, to, "", "")?;
    }
    refresh_search_key(tx, id)
}

/// The `FIELD_COLUMNS` entry of this name.
pub(crate) fn static_column(name: &str) -> Option<&'static str> {
    FIELD_COLUMNS.iter().copied().find(|c| *c == name)
}

/// Puts one logged field back to `value` (import undo). The column comes
/// from `FIELD_COLUMNS`, never from outside.
pub(crate) fn restore_field(
    tx: &Transaction,
    id: i64,
    column: &str,
    value: Option<&str>,
) -> Result<bool> {
    let Some(column) = static_column(column) else {
        return Ok(false);
    };
    tx.execute(
        &format!("UPDATE customers SET {column} = ?2, updated_at = ?3 WHERE id = ?1"),
        params![id, value, now()],
    )?;
    Ok(true)
}

impl Ledger {
    pub fn customer(&self, id: i64) -> Result<Customer> {
        get_in(&self.conn, id)
    }

    /// Adds a customer. New inquiries get 重要顧客 when the office's rule is on.
    pub fn create_customer(&mut self, actor: &Actor, input: &CustomerFields) -> Result<Customer> {
        self.write(|tx| {
            let id = create_in(tx, actor, input)?;
            get_in(tx, id)
        })
    }

    /// Saves an edited record; only the fields that differ are logged. A new
    /// status here is a status move like any other.
    pub fn update_customer(
        &mut self,
        actor: &Actor,
        id: i64,
        input: &CustomerFields,
    ) -> Result<Customer> {
        self.write(|tx| {
            update_in(tx, actor, id, input)?;
            get_in(tx, id)
        })
    }

    /// Moves a customer to another status with an optional note (the one-click
    /// change from the list or the detail header). A move to a lost status
    /// needs the reason the deal was lost.
    pub fn change_status(
        &mut self,
        actor: &Actor,
        id: i64,
        status_id: i64,
        note: &str,
        lost_reason: &str,
    ) -> Result<Customer> {
        self.write(|tx| {
            let before = get_in(tx, id)?;
            let status = statuses::get_in(tx, status_id)?;
            let lost_reason = if status.stage == Stage::Lost {
                match daicho_text::collapse_spaces(lost_reason) {
                    reason if reason.is_empty() => {
                        return Err(LedgerError::Invalid(vec![crate::FieldError::new(
                            "lost_reason",
                            format!("「{}」に移す理由を選んでください。", status.name),
                        )]))
                    }
                    reason => reason,
                }
            } else {
                String::new()
            };
            if status.retired {
                return Err(LedgerError::Conflict(format!(
                    "「{}」は廃止されたステータスのため選べません。",
                    status.name
                )));
            }
            if before.fields.status_id == Some(status_id) {
                return Ok(before);
            }
            tx.execute(
                "UPDATE customers SET status_id = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, status_id, now()],
            )?;
            let old = before.fields.status_id.map(|v| v.to_string());
            changelog::record_customer(
                tx,
                actor,
                id,
                &[Change::new("status_id", old, Some(status_id.to_string()))],
            )?;
            record_status_move(
                tx,
                actor,
                id,
                before.fields.status_id,
                status_id,
                note.trim(),
                &lost_reason,
            )?;
            get_in(tx, id)
        })
    }

    /// Moves a customer to the trash; it leaves every list but keeps its data.
    pub fn trash_customer(&mut self, actor: &Actor, id: i64) -> Result<()> {
        self.set_deleted(actor, id, Some(now()))
    }

    pub fn restore_customer(&mut self, actor: &Actor, id: i64) -> Result<()> {
        self.set_deleted(actor, id, None)
    }

    fn set_deleted(&mut self, actor: &Actor, id: i64, deleted_at: Option<String>) -> Result<()> {
        self.write(|tx| {
            let before = get_in(tx, id)?;
            if before.deleted_at.is_some() == deleted_at.is_some() {
                return Ok(());
            }
            tx.execute(
                "UPDATE customers SET deleted_at = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, deleted_at, now()],
            )?;
            changelog::record_customer(
                tx,
                actor,
                id,
                &[Change::new(
                    "deleted_at",
                    before.deleted_at,
                    deleted_at.clone(),
                )],
            )
        })
    }

    pub fn customer_history(&self, id: i64) -> Result<Vec<changelog::HistoryEntry>> {
        get_in(&self.conn, id)?;
        changelog::history(&self.conn, id)
    }
}
