//! Listing and searching customers. The filter is a typed structure compiled
//! here to SQL with parameters; no SQL text ever comes from the caller.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::record::fields::Grade;
use crate::record::rules::{self, Clause};
use crate::reference::statuses::Stage;
use crate::selection::predicates;
use crate::selection::segments::{Condition, Group, Part};
use crate::store::error::Result;
use crate::store::ledger::Ledger;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CustomerQuery {
    /// Any part of name, kana, phone, postal code, address, e-mail or notes.
    pub text: String,
    pub status_ids: Vec<i64>,
    pub stages: Vec<Stage>,
    pub grades: Vec<Grade>,
    /// Customers with any of these labels.
    pub label_ids: Vec<i64>,
    pub staff_ids: Vec<i64>,
    /// List the trash instead of the ledger.
    pub trashed: bool,
    /// Only records whose completeness is below this percentage.
    pub completeness_below: Option<u32>,
    /// Only records not updated for the configured stale days.
    pub stale_only: bool,
    /// Only graded prospects overdue for a contact.
    pub overdue_only: bool,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for CustomerQuery {
    fn default() -> Self {
        Self {
            text: String::new(),
            status_ids: Vec::new(),
            stages: Vec::new(),
            grades: Vec::new(),
            label_ids: Vec::new(),
            staff_ids: Vec::new(),
            trashed: false,
            completeness_below: None,
            stale_only: false,
            overdue_only: false,
            sort: SortKey::Kana,
            descending: false,
            offset: 0,
            limit: 200,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Kana,
    Updated,
    Created,
    PostalCode,
    Status,
    Grade,
}

/// One line of the customer list: what the list shows, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CustomerRow {
    pub id: i64,
    pub family_name: String,
    pub given_name: String,
    pub family_kana: String,
    pub given_kana: String,
    pub company: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub mobile: String,
    pub email: String,
    pub status_id: i64,
    pub grade: Option<Grade>,
    pub label_ids: Vec<i64>,
    pub staff_id: Option<i64>,
    pub dm_opt_out: bool,
    pub updated_at: String,
    /// Percent; see `completeness::WEIGHTS`.
    pub completeness: u32,
    /// Local time of the last contact, YYYY-MM-DD HH:MM.
    pub last_contact_at: Option<String>,
    pub stale: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CustomerPage {
    /// How many customers match in all; `rows` is one window of them.
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<CustomerRow>,
}

/// How a text query reaches the rows. Trigram FTS cannot match fewer than
/// three characters, so one or two characters go through the short-search
/// index (migration 015), and a plain scan of the normalized column is the
/// reference (and serves the trash, which the short index leaves out); all
/// give the same rows (property-tested below).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPath {
    Auto,
    Trigram,
    Grams,
    Scan,
}

impl TextPath {
    /// The path a query's search key takes.
    fn resolve(self, key: &str, trashed: bool) -> Self {
        match self {
            Self::Auto if key.chars().count() >= 3 => Self::Trigram,
            Self::Auto if trashed => Self::Scan,
            Self::Auto => Self::Grams,
            chosen => chosen,
        }
    }
}

/// The text filter: by the path `path` resolves to for this query.
fn text(text: &str, path: TextPath, trashed: bool) -> Option<Clause> {
    let key = daicho_text::search_key(text);
    if key.is_empty() {
        return None;
    }
    Some(match path.resolve(&key, trashed) {
        TextPath::Trigram | TextPath::Auto => {
            let phrase = format!("\"{}\"", key.replace('"', "\"\""));
            Clause::new(
                "c.id IN (SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?)",
                vec![Value::Text(phrase)],
            )
        }
        TextPath::Grams => match crate::record::search::gram_token(&key) {
            Some(token) => Clause::new(
                "c.id IN (SELECT rowid FROM customer_grams WHERE customer_grams MATCH ?)",
                vec![Value::Text(token)],
            ),
            None => Clause::new("instr(c.search_key, ?) > 0", vec![Value::Text(key)]),
        },
        TextPath::Scan => Clause::new("instr(c.search_key, ?) > 0", vec![Value::Text(key)]),
    })
}

/// A short query with nothing else to filter on is counted from its index
/// alone, which holds exactly the customers not in the trash: the count
/// then costs no visit to each matching customer.
fn counted_by_grams(q: &CustomerQuery, path: TextPath) -> Option<String> {
    let key = daicho_text::search_key(&q.text);
    let plain = !q.trashed && as_group(q).parts.is_empty();
    let short = path.resolve(&key, q.trashed) == TextPath::Grams;
    if plain && short {
        crate::record::search::gram_token(&key)
    } else {
        None
    }
}

/// The list's filters that are segment conditions too, as a segment's
/// filter: all of them, where an empty choice filters nothing (and any of
/// the labels).
fn as_group(q: &CustomerQuery) -> Group {
    let chosen = |condition, any: bool| any.then_some(condition);
    let labels = Group {
        all: false,
        parts: q
            .label_ids
            .iter()
            .map(|&id| Part::Condition {
                condition: Condition::LabelHas { id },
            })
            .collect(),
    };
    let conditions = [
        chosen(
            Condition::StatusIn {
                ids: q.status_ids.clone(),
            },
            !q.status_ids.is_empty(),
        ),
        chosen(
            Condition::StageIn {
                stages: q.stages.clone(),
            },
            !q.stages.is_empty(),
        ),
        chosen(
            Condition::GradeIn {
                grades: q.grades.clone(),
            },
            !q.grades.is_empty(),
        ),
        chosen(
            Condition::StaffIn {
                ids: q.staff_ids.clone(),
            },
            !q.staff_ids.is_empty(),
        ),
        q.completeness_below
            .map(|percent| Condition::CompletenessBelow { percent }),
        chosen(Condition::Stale { yes: true }, q.stale_only),
        chosen(Condition::Overdue { yes: true }, q.overdue_only),
    ];
    let mut parts: Vec<Part> = conditions
        .into_iter()
        .flatten()
        .map(|condition| Part::Condition { condition })
        .collect();
    if !labels.parts.is_empty() {
        parts.push(Part::Group { group: labels });
    }
    Group { all: true, parts }
}

/// The query's filter on `today` (its window and order aside).
pub(crate) fn compile(q: &CustomerQuery, path: TextPath, today: NaiveDate) -> Clause {
    let trash = Clause::fixed(if q.trashed {
        "c.deleted_at IS NOT NULL"
    } else {
        "c.deleted_at IS NULL"
    });
    let parts = [
        Some(trash),
        text(&q.text, path, q.trashed),
        Some(predicates::group(&as_group(q), today)),
    ];
    Clause::join(parts.into_iter().flatten().collect(), true)
}

fn order_by(sort: SortKey, descending: bool) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let terms: &[&str] = match sort {
        // Records without kana go last whichever way the list runs.
        SortKey::Kana => &[
            "c.family_kana = '' ASC",
            "c.family_kana {}",
            "c.given_kana {}",
            "c.family_name {}",
        ],
        SortKey::Updated => &["c.updated_at {}"],
        SortKey::Created => &["c.created_at {}"],
        SortKey::PostalCode => &["c.postal_code = '' ASC", "c.postal_code {}"],
        SortKey::Status => &["s.position {}", "c.family_kana {}"],
        SortKey::Grade => &["c.grade IS NULL ASC", "c.grade {}", "c.family_kana {}"],
    };
    let mut parts: Vec<String> = terms.iter().map(|t| t.replace("{}", dir)).collect();
    parts.push(format!("c.id {dir}"));
    parts.join(", ")
}

/// The list's columns on `today`, read by `row_from`.
fn row_columns(today: NaiveDate) -> Clause {
    let stale = rules::stale(today);
    let overdue = rules::overdue(today);
    Clause::new(
        format!(
            "c.id, c.family_name, c.given_name, c.family_kana, c.given_kana, c.company,
    c.postal_code,
    c.prefecture || c.city || c.address1
        || CASE WHEN c.address2 = '' THEN '' ELSE ' ' || c.address2 END,
    c.phone, c.mobile, c.email, c.status_id, c.grade,
    (SELECT group_concat(cl.label_id) FROM customer_labels cl WHERE cl.customer_id = c.id),
    c.staff_id, c.dm_opt_out, c.updated_at, {},
    (SELECT max(k.at) FROM contacts k WHERE k.customer_id = c.id), {}, {}",
            rules::completeness(),
            stale.sql,
            overdue.sql
        ),
        [stale.params, overdue.params].concat(),
    )
}

fn row_from(r: &rusqlite::Row) -> rusqlite::Result<CustomerRow> {
    let labels: Option<String> = r.get(13)?;
    Ok(CustomerRow {
        id: r.get(0)?,
        family_name: r.get(1)?,
        given_name: r.get(2)?,
        family_kana: r.get(3)?,
        given_kana: r.get(4)?,
        company: r.get(5)?,
        postal_code: r.get(6)?,
        address: r.get(7)?,
        phone: r.get(8)?,
        mobile: r.get(9)?,
        email: r.get(10)?,
        status_id: r.get(11)?,
        grade: r
            .get::<_, Option<String>>(12)?
            .as_deref()
            .and_then(Grade::parse),
        label_ids: labels
            .unwrap_or_default()
            .split(',')
            .filter_map(|id| id.parse().ok())
            .collect(),
        staff_id: r.get(14)?,
        dm_opt_out: r.get(15)?,
        updated_at: r.get(16)?,
        completeness: r.get(17)?,
        last_contact_at: r.get(18)?,
        stale: r.get(19)?,
        overdue: r.get(20)?,
    })
}

const FROM: &str = "FROM customers c JOIN statuses s ON s.id = c.status_id";

pub(crate) fn list(
    conn: &Connection,
    q: &CustomerQuery,
    path: TextPath,
    today: NaiveDate,
) -> Result<CustomerPage> {
    let filter = compile(q, path, today);
    let total: u32 = match counted_by_grams(q, path) {
        Some(token) => conn.query_row(
            "SELECT count(*) FROM customer_grams WHERE customer_grams MATCH ?1",
            [token],
            |r| r.get(0),
        )?,
        None => conn.query_row(
            &format!("SELECT count(*) {FROM} WHERE {}", filter.sql),
            rusqlite::params_from_iter(&filter.params),
            |r| r.get(0),
        )?,
    };
    let rows = match first_look(conn, q, path, today, total)? {
        Some(rows) => rows,
        None => page(conn, q, &filter, today, "")?,
    };
    Ok(CustomerPage {
        total,
        offset: q.offset,
        rows,
    })
}

/// Rows in list order a short query's first page looks at before it asks
/// its index. A query that many customers match (「区」: every other one)
/// fills its page within a few hundred rows, while gathering its 50,000
/// ids from the index first costs 30 ms at 100,000 customers.
const FIRST_LOOK: u32 = 3000;

/// A plain short query's first page in kana order, from the first
/// `FIRST_LOOK` customers in that order checked one by one; `None` when
/// they do not fill the page (the index then finds the rest).
fn first_look(
    conn: &Connection,
    q: &CustomerQuery,
    path: TextPath,
    today: NaiveDate,
    total: u32,
) -> Result<Option<Vec<CustomerRow>>> {
    let wanted = q.limit.clamp(1, 1000).min(total);
    if q.offset != 0 || q.sort != SortKey::Kana || counted_by_grams(q, path).is_none() {
        return Ok(None);
    }
    let scan = compile(q, TextPath::Scan, today);
    let first = format!(
        "JOIN (SELECT c.id FROM customers c ORDER BY {} LIMIT {FIRST_LOOK}) first \
         ON first.id = c.id",
        order_by(q.sort, q.descending)
    );
    let rows = page(conn, q, &scan, today, &first)?;
    Ok((rows.len() as u32 == wanted).then_some(rows))
}

/// One window of the rows `filter` finds, in the query's order; `join`
/// narrows the rows looked at.
fn page(
    conn: &Connection,
    q: &CustomerQuery,
    filter: &Clause,
    today: NaiveDate,
    join: &str,
) -> Result<Vec<CustomerRow>> {
    let columns = row_columns(today);
    let sql = format!(
        "SELECT {} {FROM} {join} WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
        columns.sql,
        filter.sql,
        order_by(q.sort, q.descending),
        q.limit.clamp(1, 1000),
        q.offset
    );
    let mut stmt = conn.prepare(&sql)?;
    let params = [columns.params.clone(), filter.params.clone()].concat();
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), row_from)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Ledger {
    /// One window of the customers a query finds, flagged as of `today`.
    pub fn list_customers(&self, q: &CustomerQuery, today: NaiveDate) -> Result<CustomerPage> {
        list(&self.conn, q, TextPath::Auto, today)
    }

    /// One customer as a list row on `today`.
    pub fn customer_row(&self, id: i64, today: NaiveDate) -> Result<CustomerRow> {
        let columns = row_columns(today);
        let sql = format!("SELECT {} {FROM} WHERE c.id = ?", columns.sql);
        let params = [columns.params, vec![Value::Integer(id)]].concat();
        use rusqlite::OptionalExtension;
        self.conn
            .query_row(&sql, rusqlite::params_from_iter(params), row_from)
            .optional()?
            .ok_or(crate::LedgerError::NotFound {
                entity: "顧客", id
            })
    }

    /// `list_customers` with the text path forced, for benchmarks and for
    /// checking that both paths agree.
    pub fn list_customers_via(
        &self,
        q: &CustomerQuery,
        path: TextPath,
        today: NaiveDate,
    ) -> Result<CustomerPage> {
        list(&self.conn, q, path, today)
    }
}

/// Every customer a query matches on `today`, ignoring its window (for
/// "add these to a list").
pub(crate) fn matching_ids(
    conn: &Connection,
    q: &CustomerQuery,
    today: NaiveDate,
) -> Result<Vec<i64>> {
    let filter = compile(q, TextPath::Auto, today);
    let sql = format!("SELECT c.id {FROM} WHERE {} ORDER BY c.id", filter.sql);
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(filter.params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, CustomerFields, Ledger};
    use proptest::prelude::*;

    fn ids(ledger: &Ledger, text: &str, path: TextPath) -> Vec<i64> {
        ids_in(ledger, text, path, SortKey::Created, 1000)
    }

    fn ids_in(ledger: &Ledger, text: &str, path: TextPath, sort: SortKey, limit: u32) -> Vec<i64> {
        let q = CustomerQuery {
            text: text.into(),
            limit,
            sort,
            ..Default::default()
        };
        ledger
            .list_customers_via(&q, path, crate::contacts::local_today())
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    fn total(ledger: &Ledger, text: &str, path: TextPath) -> u32 {
        let q = CustomerQuery {
            text: text.into(),
            ..Default::default()
        };
        ledger
            .list_customers_via(&q, path, crate::contacts::local_today())
            .unwrap()
            .total
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// The trigram index and the plain scan must find the same customers
        /// for every query long enough for both.
        #[test]
        fn trigram_and_scan_agree(
            names in proptest::collection::vec(("[山田中川佐藤林あ-んア-ン]{1,3}", "[太郎花子一二ア-ンｱ-ﾝ]{1,3}", "0[789]0-?[0-9]{4}-?[0-9]{4}"), 1..12),
            query in "[山田中川佐藤林あ-んア-ンｱ-ﾝ0-9\\-]{3,6}",
            pick in 0usize..100,
            from in 0usize..6,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut ledger = Ledger::open(dir.path().join("t.sqlite3")).unwrap();
            let mut created = Vec::new();
            for (family, given, phone) in &names {
                let fields = CustomerFields { family_name: family.clone(), given_name: given.clone(), mobile: phone.clone(), ..Default::default() };
                created.push(ledger.create_customer(&Actor::system(), &fields).unwrap().id);
            }
            // One in the trash and one trashed and restored: the short index
            // holds the live customers only.
            ledger.trash_customer(&Actor::system(), created[pick % created.len()]).unwrap();
            let again = created[(pick + 1) % created.len()];
            if created.len() > 2 {
                ledger.trash_customer(&Actor::system(), again).unwrap();
                ledger.restore_customer(&Actor::system(), again).unwrap();
            }
            // Half the time query a slice of a stored key, so matches happen.
            let (family, given, phone) = &names[pick % names.len()];
            let stored = daicho_text::search_key(&format!("{family}{given}\n{phone}"));
            let slice: String = stored.chars().skip(from).take(4).filter(|c| *c != '\n').collect();
            for q in [query.as_str(), slice.as_str()] {
                if daicho_text::search_key(q).chars().count() >= 3 {
                    prop_assert_eq!(ids(&ledger, q, TextPath::Trigram), ids(&ledger, q, TextPath::Scan), "query {}", q);
                }
            }
            // Every one- and two-character piece of the queries: the short
            // index finds what the scan finds, and counts as many.
            for q in [query.as_str(), slice.as_str()] {
                let key = daicho_text::search_key(q);
                let chars: Vec<char> = key.chars().collect();
                for width in 1..=2 {
                    for piece in chars.windows(width) {
                        let piece: String = piece.iter().collect();
                        prop_assert_eq!(ids(&ledger, &piece, TextPath::Grams), ids(&ledger, &piece, TextPath::Scan), "query {}", piece);
                        prop_assert_eq!(total(&ledger, &piece, TextPath::Auto), total(&ledger, &piece, TextPath::Scan), "count {}", piece);
                        // The first page in kana order, looked up first among
                        // the first customers in that order (`first_look`).
                        for limit in [1, 3, 200] {
                            prop_assert_eq!(
                                ids_in(&ledger, &piece, TextPath::Auto, SortKey::Kana, limit),
                                ids_in(&ledger, &piece, TextPath::Scan, SortKey::Kana, limit),
                                "page {} of {}", limit, piece
                            );
                        }
                    }
                }
            }
        }
    }
}
