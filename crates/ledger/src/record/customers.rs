//! Customers: creating, editing, status moves, trash. Every write normalizes
//! the record, refreshes its search key and logs each changed field.

use std::sync::LazyLock;

use rusqlite::types::ToSqlOutput;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::changelog::{self, Change};
use crate::record::columns::{column, customer_columns};
use crate::record::customer_labels;
use crate::record::fields::{BuildTiming, Gender, Grade, Honorific, Land};
use crate::record::household::{self, HouseholdMember};
use crate::record::sensitive;
use crate::reference::labels::{self, Label};
use crate::reference::presets::IMPORTANT_LABEL;
use crate::reference::statuses::{self, Stage};
use crate::store::access::Need;
use crate::store::error::{LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger};
use crate::store::sql;
use crate::{record::validate, reference::settings};

customer_columns! {
    family_name: String = Text, "姓", NamePair;
    given_name: String = Text, "名", Fill;
    family_kana: String = Text, "セイ（フリガナ）", Fill, kept_in_notes;
    given_kana: String = Text, "メイ（フリガナ）", Fill, kept_in_notes;
    honorific: Honorific = Code, "敬称", Keep;
    company: String = Text, "会社名", Fill;
    department: String = Text, "部署", Fill;
    gender: Option<Gender> = Code, "性別", Fill;
    /// YYYY-MM-DD
    birthday: Option<String> = Date, "生年月日", Fill, kept_in_notes;
    /// NNN-NNNN
    postal_code: String = Text, "郵便番号", Fill, kept_in_notes;
    prefecture: String = Text, "都道府県", Fill;
    city: String = Text, "市区町村", Fill;
    /// Town and block numbers.
    address1: String = Text, "町名・番地", Fill;
    /// Building and room.
    address2: String = Text, "建物名・部屋番号", Fill;
    phone: String = Text, "電話番号", Fill, kept_in_notes;
    mobile: String = Text, "携帯電話", Fill, kept_in_notes;
    email: String = Text, "メールアドレス", Fill, kept_in_notes;
    /// 反響元: 見学会, WEB, チラシ, 紹介, 来店 …
    source: String = Text, "反響元", Fill;
    staff_id: Option<i64> = Id, "担当者", Fill;
    build_timing: Option<BuildTiming> = Code, "建築時期", Fill;
    /// 予算（万円）
    budget_man_yen: Option<i64> = Number, "予算（万円）", Fill;
    land: Option<Land> = Code, "土地", Fill;
    /// `None` on a new customer: the first active status.
    status_id: Option<i64> = Id, "ステータス", Replace;
    grade: Option<Grade> = Code, "見込み度", Fill;
    dm_opt_out: bool = Flag, "DM不要", Either;
    mail_returned_reason: String = Text, "郵便返戻の理由", Fill;
    mail_returned_on: Option<String> = Date, "返戻日", Fill;
    deceased: bool = Flag, "ご逝去", Either;
    moved: bool = Flag, "転居", Either;
    notes: String = Text, "備考", Append;
    /// 社外秘: seen only by the roles the office chooses (`sensitive`);
    /// never imported, never in a DM list or the search index.
    confidential_notes: String = Text, "社外秘メモ", Keep;
    /// 紹介者: the customer who referred this one.
    referrer_id: Option<i64> = Id, "紹介者", Keep;
    /// The campaign or event that brought the customer.
    campaign_id: Option<i64> = Id, "キャンペーン", Keep;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Customer {
    pub id: i64,
    pub fields: CustomerFields,
    pub status: String,
    pub stage: Stage,
    pub labels: Vec<Label>,
    pub members: Vec<HouseholdMember>,
    /// The birthday, family and 社外秘 notes were left out: the person
    /// reading may not see them.
    pub sensitive_hidden: bool,
    pub created_at: String,
    pub updated_at: String,
    pub deleted_at: Option<String>,
}

/// The statements over every field, written once: an import runs them once
/// per customer, and the statement cache finds them by their text.
static SELECT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT c.id, s.name, s.stage, c.created_at, c.updated_at, c.deleted_at, {}
         FROM customers c JOIN statuses s ON s.id = c.status_id WHERE c.id = ?1",
        column_names()
            .map(|c| format!("c.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
});
static INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO customers (id, {}, created_at, updated_at, search_key) VALUES ({})",
        column_names().collect::<Vec<_>>().join(", "),
        sql::placeholders(0, CUSTOMER_COLUMNS.len() + 4),
    )
});
static UPDATE_SQL: LazyLock<String> = LazyLock::new(|| {
    let assignments = column_names()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let n = CUSTOMER_COLUMNS.len();
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
                fields: CustomerFields::from_row(r)?,
                labels: Vec::new(),
                members: Vec::new(),
                sensitive_hidden: false,
            })
        })
        .optional()?;
    let mut customer = found.ok_or(LedgerError::NotFound {
        entity: "顧客", id
    })?;
    customer.labels = customer_labels::of_customer(conn, id)?;
    customer.members = household::of_customer(conn, id)?;
    Ok(customer)
}

/// Marks the customer as updated now; fails if there is no such customer.
pub(crate) fn touch(tx: &Transaction, id: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE customers SET updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    sql::found(changed, "顧客", id)
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
fn insert(tx: &Transaction, actor: &Actor, fields: &CustomerFields, key: &str) -> Result<i64> {
    let id = ids::next_id(tx, "customers")?;
    let at = now();
    let mut values = vec![ToSqlOutput::from(id)];
    values.extend(fields.sql_values());
    values.extend([at.as_str(), at.as_str(), key].map(ToSqlOutput::from));
    tx.prepare_cached(&INSERT_SQL)?
        .execute(rusqlite::params_from_iter(values.iter()))?;
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
        "INSERT INTO status_history (id, customer_id, from_status_id, to_status_id, changed_at, \
         staff_id, note, lost_reason) VALUES (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        from,
        to,
        now(),
        actor.staff_id,
        note,
        lost_reason,
        ids::next_id(tx, "status_history")?
    ])?;
    Ok(())
}

/// Adds a customer inside the caller's transaction; returns its id.
pub(crate) fn create_in(tx: &Transaction, actor: &Actor, input: &CustomerFields) -> Result<i64> {
    Creation::read(tx)?.create(tx, actor, input, &[])
}

/// A new customer made ready without the ledger: its fields and household
/// checked, its search key made. An import makes drafts on a second core
/// ahead of its writes.
pub(crate) struct Draft {
    checked: validate::Checked,
    members: Result<Vec<HouseholdMember>>,
    search_key: String,
}

impl Draft {
    pub(crate) fn of(input: &CustomerFields, members: &[HouseholdMember]) -> Self {
        let checked = validate::check(input);
        let members = household::validated(members);
        let search_key = search_key_of(checked.fields(), members.as_deref().unwrap_or_default());
        Self {
            checked,
            members,
            search_key,
        }
    }
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
        self.create_drafted(tx, actor, input, Draft::of(input, members))
    }

    /// `create` with the ledger-free part (`Draft::of(input, …)`) done.
    pub(crate) fn create_drafted(
        &mut self,
        tx: &Transaction,
        actor: &Actor,
        input: &CustomerFields,
        draft: Draft,
    ) -> Result<i64> {
        let mut fields = draft.checked.against(tx, input, None, &self.statuses)?;
        let members = draft.members?;
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
        let id = insert(tx, actor, &fields, &draft.search_key)?;
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
            customer_labels::add_to_new_customer(tx, actor, id, (label, IMPORTANT_LABEL))?;
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
    let changes: Vec<Change> = column_names()
        .zip(before.fields.texts().into_iter().zip(fields.texts()))
        .filter(|(_, (old, new))| old != new)
        .map(|(column, (old, new))| Change::new(column, old, new))
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    let at = now();
    let mut values = fields.sql_values();
    values.extend([ToSqlOutput::from(at.as_str()), ToSqlOutput::from(id)]);
    tx.prepare_cached(&UPDATE_SQL)?
        .execute(rusqlite::params_from_iter(values.iter()))?;
    changelog::record_customer(tx, actor, id, &changes)?;
    if fields.status_id != before.fields.status_id {
        let to = fields.status_id.expect("a stored customer has a status");
        record_status_move(tx, actor, id, before.fields.status_id, to, "", "")?;
    }
    refresh_search_key(tx, id)
}

/// The column names, in declaration order.
pub(crate) fn column_names() -> impl Iterator<Item = &'static str> {
    CUSTOMER_COLUMNS.iter().map(|c| c.name)
}

/// The `CUSTOMER_COLUMNS` name equal to `name`.
pub(crate) fn static_column(name: &str) -> Option<&'static str> {
    column(name).map(|c| c.name)
}

/// Puts one logged field back to `value` (import undo). The column comes
/// from `CUSTOMER_COLUMNS`, never from outside.
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
    /// Every customer not in the trash, by id (joining an office offers a
    /// PC's own customers for import into the office ledger).
    pub fn customer_ids(&self) -> Result<Vec<i64>> {
        sql::rows(
            &self.conn,
            "SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id",
            [],
            |r| r.get(0),
        )
    }

    /// The customer as the person acting may see them (`sensitive`).
    pub fn customer(&self, id: i64) -> Result<Customer> {
        let mut customer = get_in(&self.conn, id)?;
        if !self.sees_sensitive()? {
            sensitive::mask(&mut customer);
        }
        Ok(customer)
    }

    /// Adds a customer. New inquiries get 重要顧客 when the office's rule is on.
    pub fn create_customer(&mut self, actor: &Actor, input: &CustomerFields) -> Result<Customer> {
        self.write(Need::Customers, |tx| {
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
        let sees = self.sees_sensitive()?;
        let mut customer = self.write(Need::Customers, |tx| {
            let input = match sees {
                true => input.clone(),
                false => sensitive::keep_stored(input, &get_in(tx, id)?.fields),
            };
            update_in(tx, actor, id, &input)?;
            get_in(tx, id)
        })?;
        if !sees {
            sensitive::mask(&mut customer);
        }
        Ok(customer)
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
        self.write(Need::Customers, |tx| {
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
        self.write(Need::Customers, |tx| {
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
        let mut entries = changelog::history(&self.conn, id)?;
        if !self.sees_sensitive()? {
            sensitive::mask_history(&mut entries);
        }
        Ok(entries)
    }
}
