//! Merging two records of one person (統合). The survivor takes, field by
//! field, the value the office picked; every row that pointed at the other
//! record (contacts, projects, tasks, labels, household, referrals, lists,
//! DM recipients, status and change history) moves to the survivor, and the
//! other record is deleted. The merge keeps both records as they were and
//! which rows moved, so that one undo puts everything back.

use std::collections::BTreeMap;

use rusqlite::{params, types::ValueRef, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::record::changelog::{self, Change};
use crate::record::customers::{self, Customer, CustomerFields};
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Actor, Ledger, Source};
use crate::store::sql;

/// Which record's value a field of the survivor takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    Kept,
    Other,
    /// Both texts, the survivor's first: only for the notes.
    Both,
}

/// The office's choice for one field (`field` as in `CustomerFields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FieldPick {
    pub field: String,
    pub pick: Pick,
}

/// A field where the two records differ, both values as text (as the
/// change log writes them) and the pick a merge makes unless told otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MergeField {
    pub field: String,
    pub kept: String,
    pub other: String,
    pub pick: Pick,
}

/// How many rows of a table move to the survivor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RelatedCount {
    pub table: String,
    pub count: u32,
}

/// What merging `other` into `kept` would do, for the side-by-side dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MergePlan {
    pub kept: Customer,
    pub other: Customer,
    pub fields: Vec<MergeField>,
    pub moving: Vec<RelatedCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MergeRecord {
    pub id: i64,
    pub merged_at: String,
    pub staff_name: Option<String>,
    pub kept_id: i64,
    pub merged_id: i64,
    /// The merged-away customer's name, as it was.
    pub merged_name: String,
    pub undone_at: Option<String>,
}

/// Tables whose rows belong to a customer through `customer_id` and have an
/// `id`: they move to the survivor and, on undo, back by id.
const OWNED: [&str; 7] = [
    "household_members",
    "status_history",
    "contacts",
    "projects",
    "tasks",
    "service_requests",
    "change_log",
];

/// Memberships keyed by customer and another row: (table, its key column,
/// the table that key points to). The survivor joins what the other was in.
const MEMBERSHIPS: [(&str, &str, &str); 3] = [
    ("customer_labels", "label_id", "labels"),
    ("segment_members", "segment_id", "segments"),
    ("mailing_recipients", "mailing_id", "mailings"),
];

/// The rows a merge re-pointed, stored with it for the undo.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Moved {
    /// `OWNED` table → ids of its rows that moved to the survivor.
    rows: BTreeMap<String, Vec<i64>>,
    /// `MEMBERSHIPS` table → the keys the merged-away customer had.
    memberships: BTreeMap<String, Vec<i64>>,
    /// `MEMBERSHIPS` table → the keys the survivor had not had before.
    gained: BTreeMap<String, Vec<i64>>,
    /// Customers the merged-away one had referred.
    referred: Vec<i64>,
    /// Pairs marked as two people with the merged-away customer: the other
    /// customer and when.
    distinct: Vec<(i64, String)>,
    /// Status moves the merge itself recorded on the survivor.
    added_status_history: Vec<i64>,
    /// Import batches that had merged into the other record: their undo
    /// now puts back what they wrote on the survivor, where those rows went.
    import_batches: Vec<i64>,
    /// Those of them the survivor was not already part of.
    gained_batches: Vec<i64>,
}

/// A record's fields by name; the serde names are the column names.
fn field_values(f: &CustomerFields) -> Map<String, Value> {
    match serde_json::to_value(f) {
        Ok(Value::Object(map)) => map,
        _ => unreachable!("CustomerFields serializes to an object"),
    }
}

/// A value as the change log writes it: flags as 1 and 0, nothing as "".
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "1" } else { "0" }.into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null | Value::Bool(false)) || v.as_str() == Some("")
}

/// The survivor's non-empty value, else the other's; two different notes
/// are both kept. A flag counts as empty when off, so an opt-out or a
/// 逝去 on either record stays.
fn default_pick(field: &str, kept: &Value, other: &Value) -> Pick {
    match (is_empty(kept), is_empty(other)) {
        (false, false) if field == "notes" => Pick::Both,
        (true, false) => Pick::Other,
        _ => Pick::Kept,
    }
}

/// The survivor's fields: each field where the records differ takes the
/// office's pick, or the default one.
fn resolve(
    kept: &CustomerFields,
    other: &CustomerFields,
    picks: &[FieldPick],
) -> Result<CustomerFields> {
    let (k, o) = (field_values(kept), field_values(other));
    let refused: Vec<FieldError> = picks
        .iter()
        .filter(|p| !k.contains_key(&p.field) || (p.pick == Pick::Both && p.field != "notes"))
        .map(|p| {
            FieldError::new(
                &p.field,
                format!("項目「{}」はこの選び方で統合できません。", p.field),
            )
        })
        .collect();
    if !refused.is_empty() {
        return Err(LedgerError::Invalid(refused));
    }
    let merged: Map<String, Value> = k
        .into_iter()
        .map(|(field, kv)| {
            let ov = &o[&field];
            let pick = picks
                .iter()
                .find(|p| p.field == field)
                .map(|p| p.pick)
                .unwrap_or_else(|| default_pick(&field, &kv, ov));
            let value = match pick {
                _ if kv == *ov => kv,
                Pick::Kept => kv,
                Pick::Other => ov.clone(),
                Pick::Both => Value::String(format!("{}\n{}", text(&kv), text(ov)).trim().into()),
            };
            (field, value)
        })
        .collect();
    Ok(
        serde_json::from_value(Value::Object(merged))
            .expect("values taken from two CustomerFields"),
    )
}

/// Every column of a customer row, as JSON: what an undo writes back.
fn row_of(conn: &Connection, id: i64) -> Result<Map<String, Value>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM customers WHERE id = ?1")?;
    let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
    let row = stmt
        .query_row([id], |r| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let value = match r.get_ref(i)? {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(n) => n.into(),
                        ValueRef::Real(x) => x.into(),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                        ValueRef::Blob(b) => b.to_vec().into(),
                    };
                    Ok((name.clone(), value))
                })
                .collect::<rusqlite::Result<Map<String, Value>>>()
        })
        .optional()?;
    row.ok_or(LedgerError::NotFound {
        entity: "顧客", id
    })
}

fn sql_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => n
            .as_i64()
            .map(Sql::Integer)
            .unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or_default())),
        Value::String(s) => Sql::Text(s.clone()),
        Value::Array(bytes) => Sql::Blob(
            bytes
                .iter()
                .filter_map(|b| b.as_u64())
                .map(|b| b as u8)
                .collect(),
        ),
        Value::Object(_) => Sql::Text(v.to_string()),
    }
}

/// The columns the customers table has now: snapshot keys are checked
/// against them before they become SQL.
fn customer_columns(conn: &Connection) -> Result<Vec<String>> {
    let stmt = conn.prepare_cached("SELECT * FROM customers LIMIT 0")?;
    Ok(stmt.column_names().iter().map(|n| n.to_string()).collect())
}

/// Puts a deleted customer row back exactly as it was, id included.
fn insert_row(tx: &Transaction, row: &Map<String, Value>) -> Result<()> {
    let columns: Vec<String> = customer_columns(tx)?
        .into_iter()
        .filter(|c| row.contains_key(c))
        .collect();
    tx.execute(
        &format!(
            "INSERT INTO customers ({}) VALUES ({})",
            columns.join(", "),
            sql::placeholders(0, columns.len())
        ),
        rusqlite::params_from_iter(columns.iter().map(|c| sql_value(&row[c]))),
    )?;
    Ok(())
}

fn ids(tx: &Connection, query: &str, args: impl rusqlite::Params) -> Result<Vec<i64>> {
    sql::rows(tx, query, args, |r| r.get(0))
}

/// Points every row of `other` at `kept`, noting which.
fn move_rows(tx: &Transaction, actor: &Actor, kept: i64, other: i64) -> Result<Moved> {
    let mut moved = Moved::default();
    for table in OWNED {
        let rows = ids(
            tx,
            &format!("SELECT id FROM {table} WHERE customer_id = ?1"),
            [other],
        )?;
        tx.execute(
            &format!("UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2"),
            params![kept, other],
        )?;
        moved.rows.insert(table.into(), rows);
    }
    for (table, key, _) in MEMBERSHIPS {
        let had = ids(
            tx,
            &format!("SELECT {key} FROM {table} WHERE customer_id = ?1"),
            [other],
        )?;
        let gained = ids(
            tx,
            &format!(
                "SELECT {key} FROM {table} WHERE customer_id = ?1 \
                 AND {key} NOT IN (SELECT {key} FROM {table} WHERE customer_id = ?2)"
            ),
            [other, kept],
        )?;
        tx.execute(
            &format!(
                "INSERT INTO {table} (customer_id, {key}) \
                 SELECT ?1, {key} FROM {table} WHERE customer_id = ?2 \
                 AND {key} NOT IN (SELECT {key} FROM {table} WHERE customer_id = ?1)"
            ),
            params![kept, other],
        )?;
        moved.memberships.insert(table.into(), had);
        moved.gained.insert(table.into(), gained);
    }
    moved.referred = ids(
        tx,
        "SELECT id FROM customers WHERE referrer_id = ?1 AND id <> ?2",
        [other, kept],
    )?;
    for &id in &moved.referred {
        set_referrer(tx, actor, id, other, kept)?;
    }
    move_import_batches(tx, kept, other, &mut moved)?;
    let mut stmt = tx.prepare(
        "SELECT CASE WHEN low_id = ?1 THEN high_id ELSE low_id END, marked_at \
         FROM distinct_customers WHERE low_id = ?1 OR high_id = ?1",
    )?;
    moved.distinct = stmt
        .query_map([other], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(moved)
}

/// An import that filled fields of the other record is undone on the
/// survivor, which now holds those change-log rows. (A batch that created
/// the other record keeps its row: undoing it deletes nobody now.)
fn move_import_batches(tx: &Transaction, kept: i64, other: i64, moved: &mut Moved) -> Result<()> {
    moved.import_batches = ids(
        tx,
        "SELECT batch_id FROM import_batch_customers WHERE customer_id = ?1 AND action = 'merged'",
        [other],
    )?;
    moved.gained_batches = ids(
        tx,
        "SELECT batch_id FROM import_batch_customers WHERE customer_id = ?1 AND action = 'merged'
         AND batch_id NOT IN (SELECT batch_id FROM import_batch_customers WHERE customer_id = ?2)",
        [other, kept],
    )?;
    for batch in &moved.gained_batches {
        tx.execute(
            "INSERT INTO import_batch_customers (batch_id, customer_id, action) \
             VALUES (?1, ?2, 'merged')",
            params![batch, kept],
        )?;
    }
    tx.execute(
        "DELETE FROM import_batch_customers WHERE customer_id = ?1 AND action = 'merged'",
        [other],
    )?;
    Ok(())
}

/// Moves a referral from one referrer to another, if it still has the first.
fn set_referrer(tx: &Transaction, actor: &Actor, id: i64, from: i64, to: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE customers SET referrer_id = ?3 WHERE id = ?1 AND referrer_id = ?2",
        params![id, from, to],
    )?;
    if changed > 0 {
        let change = Change::new("referrer_id", Some(from.to_string()), Some(to.to_string()));
        changelog::record_customer(tx, actor, id, &[change])?;
    }
    Ok(())
}

fn last_status_move(tx: &Transaction) -> Result<i64> {
    Ok(
        tx.query_row("SELECT coalesce(max(id), 0) FROM status_history", [], |r| {
            r.get(0)
        })?,
    )
}

fn name_of(row: &Map<String, Value>) -> String {
    format!("{} {}", text(&row["family_name"]), text(&row["given_name"]))
        .trim()
        .to_string()
}

fn merge_in(
    tx: &Transaction,
    actor: &Actor,
    kept: i64,
    other: i64,
    picks: &[FieldPick],
) -> Result<i64> {
    let (k, o) = (customers::get_in(tx, kept)?, customers::get_in(tx, other)?);
    if k.deleted_at.is_some() || o.deleted_at.is_some() {
        return Err(LedgerError::Conflict(
            "ゴミ箱にある顧客は統合できません。先にゴミ箱から戻してください。".into(),
        ));
    }
    let mut fields = resolve(&k.fields, &o.fields, picks)?;
    // Whoever referred one of the two cannot be either of them now.
    fields.referrer_id = fields.referrer_id.filter(|r| *r != kept && *r != other);
    let kept_before = row_of(tx, kept)?;
    let merged_before = row_of(tx, other)?;
    let mut moved = move_rows(tx, actor, kept, other)?;
    let last_move = last_status_move(tx)?;
    customers::update_in(tx, actor, kept, &fields)?;
    moved.added_status_history = ids(
        tx,
        "SELECT id FROM status_history WHERE id > ?1 AND customer_id = ?2",
        [last_move, kept],
    )?;
    let merged_from = format!("{} {}", ids::display(other), name_of(&merged_before));
    changelog::record_customer(
        tx,
        actor,
        kept,
        &[Change::new("merged_from", None, Some(merged_from))],
    )?;
    tx.execute("DELETE FROM customers WHERE id = ?1", [other])?;
    customers::refresh_search_key(tx, kept)?;
    let kept_after = row_of(tx, kept)?;
    let json = |m: &Map<String, Value>| Value::Object(m.clone()).to_string();
    let id = ids::next_id(tx, "customer_merges")?;
    tx.execute(
        "INSERT INTO customer_merges (id, merged_at, staff_id, kept_id, merged_id, kept_before, \
         kept_after, merged_before, moved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            now(),
            actor.staff_id,
            kept,
            other,
            json(&kept_before),
            json(&kept_after),
            json(&merged_before),
            serde_json::to_string(&moved).expect("moved rows serialize"),
        ],
    )?;
    Ok(id)
}

struct Stored {
    kept: i64,
    other: i64,
    kept_before: Map<String, Value>,
    kept_after: Map<String, Value>,
    merged_before: Map<String, Value>,
    moved: Moved,
}

fn stored(tx: &Transaction, id: i64) -> Result<Stored> {
    let row = tx
        .query_row(
            "SELECT kept_id, merged_id, kept_before, kept_after, merged_before, moved, undone_at \
             FROM customer_merges WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    [r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    let Some((kept, other, [kb, ka, mb, moved], undone)) = row else {
        return Err(LedgerError::NotFound {
            entity: "統合", id
        });
    };
    if undone.is_some() {
        return Err(LedgerError::Conflict(format!(
            "統合 {} は既に取り消されています。",
            ids::display(id)
        )));
    }
    let object = |text: &str| -> Result<Map<String, Value>> {
        match serde_json::from_str(text) {
            Ok(Value::Object(m)) => Ok(m),
            _ => Err(LedgerError::Conflict(unreadable(id))),
        }
    };
    Ok(Stored {
        kept,
        other,
        kept_before: object(&kb)?,
        kept_after: object(&ka)?,
        merged_before: object(&mb)?,
        moved: serde_json::from_str(&moved).map_err(|_| LedgerError::Conflict(unreadable(id)))?,
    })
}

fn unreadable(id: i64) -> String {
    format!("統合 {} の記録が読めません。", ids::display(id))
}

/// Sends back every row the merge moved, where it still points at the
/// survivor; rows deleted since stay deleted.
fn move_back(tx: &Transaction, actor: &Actor, s: &Stored) -> Result<()> {
    for table in OWNED {
        let mut stmt = tx.prepare(&format!(
            "UPDATE {table} SET customer_id = ?1 WHERE id = ?2 AND customer_id = ?3"
        ))?;
        for id in s.moved.rows.get(table).into_iter().flatten() {
            stmt.execute(params![s.other, id, s.kept])?;
        }
    }
    for (table, key, parent) in MEMBERSHIPS {
        let mut give_back = tx.prepare(&format!(
            "INSERT OR IGNORE INTO {table} (customer_id, {key}) \
             SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM {parent} WHERE id = ?2)"
        ))?;
        for key_id in s.moved.memberships.get(table).into_iter().flatten() {
            give_back.execute(params![s.other, key_id])?;
        }
        let mut take_away = tx.prepare(&format!(
            "DELETE FROM {table} WHERE customer_id = ?1 AND {key} = ?2"
        ))?;
        for key_id in s.moved.gained.get(table).into_iter().flatten() {
            take_away.execute(params![s.kept, key_id])?;
        }
    }
    for &id in &s.moved.referred {
        set_referrer(tx, actor, id, s.kept, s.other)?;
    }
    for (id, marked_at) in &s.moved.distinct {
        tx.execute(
            "INSERT OR IGNORE INTO distinct_customers (low_id, high_id, marked_at)
             SELECT min(?1, ?2), max(?1, ?2), ?3
             WHERE EXISTS (SELECT 1 FROM customers WHERE id = ?2)",
            params![s.other, id, marked_at],
        )?;
    }
    for batch in &s.moved.import_batches {
        tx.execute(
            "INSERT OR IGNORE INTO import_batch_customers (batch_id, customer_id, action) \
             VALUES (?1, ?2, 'merged')",
            params![batch, s.other],
        )?;
    }
    for batch in &s.moved.gained_batches {
        tx.execute(
            "DELETE FROM import_batch_customers WHERE batch_id = ?1 AND customer_id = ?2",
            params![batch, s.kept],
        )?;
    }
    for id in &s.moved.added_status_history {
        tx.execute("DELETE FROM status_history WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// Puts back each column of the survivor the merge changed, unless someone
/// has changed it again since; the fields put back are logged.
fn restore_kept(tx: &Transaction, actor: &Actor, s: &Stored) -> Result<()> {
    let current = row_of(tx, s.kept)?;
    let columns: Vec<&String> = current
        .keys()
        .filter(|c| c.as_str() != "id")
        .filter(|c| s.kept_after.get(*c) == Some(&current[*c]))
        .filter(|c| {
            s.kept_before
                .get(*c)
                .is_some_and(|before| *before != current[*c])
        })
        .collect();
    if columns.is_empty() {
        return Ok(());
    }
    let assignments: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 2))
        .collect();
    let mut values = vec![rusqlite::types::Value::Integer(s.kept)];
    values.extend(columns.iter().map(|c| sql_value(&s.kept_before[*c])));
    tx.execute(
        &format!(
            "UPDATE customers SET {} WHERE id = ?1",
            assignments.join(", ")
        ),
        rusqlite::params_from_iter(values),
    )?;
    let changes: Vec<Change> = columns
        .iter()
        .filter_map(|c| customers::static_column(c))
        .map(|c| Change::new(c, Some(text(&current[c])), Some(text(&s.kept_before[c]))))
        .collect();
    changelog::record_customer(tx, actor, s.kept, &changes)
}

fn undo_in(tx: &Transaction, actor: &Actor, id: i64) -> Result<()> {
    let s = stored(tx, id)?;
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
        [s.other],
        |r| r.get(0),
    )?;
    if taken {
        return Err(LedgerError::Conflict(format!(
            "統合の後に ID {} が別の顧客に使われたため、この統合は取り消せません。",
            ids::display(s.other)
        )));
    }
    if let Err(LedgerError::NotFound { .. }) = row_of(tx, s.kept) {
        return Err(LedgerError::Conflict(format!(
            "統合先の顧客（ID {}）がその後削除されたか別の顧客に統合されたため、\
             この統合は取り消せません。後の統合があれば、先にそちらを取り消してください。",
            ids::display(s.kept)
        )));
    }
    insert_row(tx, &s.merged_before)?;
    move_back(tx, actor, &s)?;
    restore_kept(tx, actor, &s)?;
    customers::refresh_search_key(tx, s.kept)?;
    let marker = |customer: i64, with: i64| {
        let change = Change::new("merge_undone", None, Some(with.to_string()));
        changelog::record_customer(tx, actor, customer, &[change])
    };
    marker(s.kept, s.other)?;
    marker(s.other, s.kept)?;
    tx.execute(
        "UPDATE customer_merges SET undone_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    Ok(())
}

fn counts_of(conn: &Connection, other: i64) -> Result<Vec<RelatedCount>> {
    let tables = OWNED
        .iter()
        .chain(MEMBERSHIPS.iter().map(|(t, _, _)| t))
        .filter(|t| **t != "change_log");
    let mut counts = Vec::new();
    for table in tables {
        let count: u32 = conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE customer_id = ?1"),
            [other],
            |r| r.get(0),
        )?;
        counts.push(RelatedCount {
            table: table.to_string(),
            count,
        });
    }
    let referred: u32 = conn.query_row(
        "SELECT count(*) FROM customers WHERE referrer_id = ?1",
        [other],
        |r| r.get(0),
    )?;
    counts.push(RelatedCount {
        table: "referrals".into(),
        count: referred,
    });
    Ok(counts)
}

const RECORD_SQL: &str = "SELECT m.id, m.merged_at, s.name, m.kept_id, m.merged_id,
        trim(coalesce(json_extract(m.merged_before, '$.family_name'), '') || ' ' || coalesce(json_extract(m.merged_before, '$.given_name'), '')),
        m.undone_at
    FROM customer_merges m LEFT JOIN staff s ON s.id = m.staff_id";

fn record_of(r: &rusqlite::Row) -> rusqlite::Result<MergeRecord> {
    Ok(MergeRecord {
        id: r.get(0)?,
        merged_at: r.get(1)?,
        staff_name: r.get(2)?,
        kept_id: r.get(3)?,
        merged_id: r.get(4)?,
        merged_name: r.get(5)?,
        undone_at: r.get(6)?,
    })
}

impl Ledger {
    /// The fields where `kept` and `other` differ with the default picks,
    /// and what would move: what the merge dialog shows.
    pub fn merge_plan(&self, kept: i64, other: i64) -> Result<MergePlan> {
        let (k, o) = (
            customers::get_in(&self.conn, kept)?,
            customers::get_in(&self.conn, other)?,
        );
        let ov = field_values(&o.fields);
        let fields = field_values(&k.fields)
            .into_iter()
            .filter(|(field, kv)| ov[field] != *kv)
            .map(|(field, kv)| MergeField {
                pick: default_pick(&field, &kv, &ov[&field]),
                kept: text(&kv),
                other: text(&ov[&field]),
                field,
            })
            .collect();
        Ok(MergePlan {
            moving: counts_of(&self.conn, other)?,
            kept: k,
            other: o,
            fields,
        })
    }

    /// Merges `other` into `kept` in one transaction: fields by `picks`
    /// (the rest by `default_pick`), every related row moved, `other`
    /// deleted, the merge logged on the survivor and recorded for the undo.
    pub fn merge_customers(
        &mut self,
        actor: &Actor,
        kept: i64,
        other: i64,
        picks: &[FieldPick],
    ) -> Result<MergeRecord> {
        if kept == other {
            return Err(LedgerError::Conflict(
                "同じ顧客どうしは統合できません。".into(),
            ));
        }
        let actor = Actor {
            source: Source::Merge,
            ..*actor
        };
        let id = self.write(Need::Customers, |tx| {
            merge_in(tx, &actor, kept, other, picks)
        })?;
        self.merge_record(id)
    }

    /// Undoes a merge: the merged-away customer comes back with its id and
    /// every row it had; the survivor gets back each field the merge changed
    /// that nobody has changed since.
    pub fn undo_merge(&mut self, actor: &Actor, id: i64) -> Result<MergeRecord> {
        let actor = Actor {
            source: Source::Merge,
            ..*actor
        };
        self.write(Need::Customers, |tx| undo_in(tx, &actor, id))?;
        self.merge_record(id)
    }

    /// Every merge, newest first.
    pub fn merges(&self) -> Result<Vec<MergeRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "{RECORD_SQL} ORDER BY m.merged_at DESC, m.id DESC"
        ))?;
        let rows = stmt
            .query_map([], record_of)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn merge_record(&self, id: i64) -> Result<MergeRecord> {
        self.conn
            .query_row(&format!("{RECORD_SQL} WHERE m.id = ?1"), [id], record_of)
            .optional()?
            .ok_or(LedgerError::NotFound {
                entity: "統合", id
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new table pointing at customers must be taught here: its rows
    /// would otherwise vanish with the merged-away record.
    #[test]
    fn every_table_that_points_at_customers_is_moved() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
        let mut pointing = ids_as_names(
            ledger.conn(),
            "SELECT DISTINCT m.name FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.\"table\" = 'customers' ORDER BY m.name",
        );
        // The customers' own referrer_id and the pairs marked as two people
        // are handled by `move_rows` beside the tables listed.
        let mut handled: Vec<String> = OWNED
            .iter()
            .chain(MEMBERSHIPS.iter().map(|(t, _, _)| t))
            .chain(&["customers", "distinct_customers"])
            .filter(|t| **t != "change_log")
            .map(|t| t.to_string())
            .collect();
        handled.sort();
        pointing.sort();
        assert_eq!(pointing, handled);
    }

    fn ids_as_names(conn: &Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.collect::<rusqlite::Result<_>>().unwrap()
    }

    fn with(notes: &str, phone: &str, dm_opt_out: bool) -> CustomerFields {
        CustomerFields {
            family_name: "山田".into(),
            notes: notes.into(),
            phone: phone.into(),
            dm_opt_out,
            ..Default::default()
        }
    }

    #[test]
    fn the_survivor_keeps_its_values_and_fills_the_empty_ones() {
        let kept = with("", "03-1234-5678", false);
        let other = with("", "06-1234-5678", true);
        let merged = resolve(&kept, &other, &[]).unwrap();
        assert_eq!(
            (merged.phone.as_str(), merged.dm_opt_out),
            ("03-1234-5678", true)
        );
    }

    #[test]
    fn two_notes_are_both_kept_and_a_pick_overrides_the_default() {
        let kept = with("玄関前に駐車可", "03-1234-5678", false);
        let other = with("犬がいる", "06-1234-5678", false);
        let pick = FieldPick {
            field: "phone".into(),
            pick: Pick::Other,
        };
        let merged = resolve(&kept, &other, &[pick]).unwrap();
        assert_eq!(merged.notes, "玄関前に駐車可\n犬がいる");
        assert_eq!(merged.phone, "06-1234-5678");
    }

    #[test]
    fn an_unknown_field_or_both_outside_the_notes_is_refused() {
        let f = with("", "", false);
        for (field, pick) in [("shoe_size", Pick::Other), ("phone", Pick::Both)] {
            let picks = [FieldPick {
                field: field.into(),
                pick,
            }];
            assert!(matches!(
                resolve(&f, &f, &picks),
                Err(LedgerError::Invalid(_))
            ));
        }
    }
}
