//! Segments: saved, named conditions over the ledger. The filter is a typed
//! tree (groups of all/any conditions) compiled here to SQL with parameters;
//! no SQL text ever comes from outside. Static lists hold their members.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::fields::Grade;
use crate::reference::statuses::Stage;
use crate::selection::predicates;
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Ledger};
use crate::store::sql;

/// One condition on a customer. New conditions are new variants with one
/// arm in `predicates::condition`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    StatusIn {
        ids: Vec<i64>,
    },
    StageIn {
        stages: Vec<Stage>,
    },
    GradeIn {
        grades: Vec<Grade>,
    },
    LabelHas {
        id: i64,
    },
    LabelHasNot {
        id: i64,
    },
    SourceIn {
        sources: Vec<String>,
    },
    StaffIn {
        ids: Vec<i64>,
    },
    PrefectureIn {
        names: Vec<String>,
    },
    CityIn {
        names: Vec<String>,
    },
    PostalPrefix {
        prefix: String,
    },
    /// Registered between two dates (YYYY-MM-DD, inclusive).
    CreatedBetween {
        from: Option<String>,
        to: Option<String>,
    },
    /// Not updated for at least this many days.
    NotUpdatedFor {
        days: u32,
    },
    BirthdayMonth {
        month: u8,
    },
    HasEmail {
        yes: bool,
    },
    HasUsableAddress {
        yes: bool,
    },
    /// Member of a static list.
    InList {
        segment_id: i64,
    },
    /// A graded prospect whose last contact is older than the grade's rhythm.
    Overdue {
        yes: bool,
    },
    /// An open next action due within this many days (overdue ones included).
    NextActionWithin {
        days: u32,
    },
    /// An open after-care inspection due within this many days.
    InspectionDueWithin {
        days: u32,
    },
    /// A project handed over in the calendar year this many years ago.
    HandedOverYearsAgo {
        years: u32,
    },
    /// Repeat contracts plus referred customers' contracts.
    ContributionAtLeast {
        contracts: u32,
    },
    CampaignIn {
        ids: Vec<i64>,
    },
    /// Record completeness (percent) below this.
    CompletenessBelow {
        percent: u32,
    },
    /// Not updated for the stale days set in the follow-up settings.
    Stale {
        yes: bool,
    },
}

/// All (and) or any (or) of its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Group {
    pub all: bool,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum Part {
    Condition { condition: Condition },
    Group { group: Group },
}

impl Default for Group {
    fn default() -> Self {
        Self {
            all: true,
            parts: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// Members change as the ledger changes.
    Dynamic,
    /// Members added and removed by hand (or a snapshot of a segment).
    Static,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub kind: SegmentKind,
    pub filter: Group,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SegmentInput {
    pub id: Option<i64>,
    pub name: String,
    pub kind: SegmentKind,
    pub filter: Group,
}

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn decode((id, name, kind, filter): (i64, String, String, String)) -> Segment {
    Segment {
        id,
        name,
        kind: if kind == "static" {
            SegmentKind::Static
        } else {
            SegmentKind::Dynamic
        },
        filter: serde_json::from_str(&filter).unwrap_or_default(),
    }
}

/// The ids of the living customers a filter selects on `today`, in
/// customer order.
pub(crate) fn member_ids(conn: &Connection, filter: &Group, today: NaiveDate) -> Result<Vec<i64>> {
    let filter = predicates::group(filter, today);
    let sql = format!(
        "SELECT c.id FROM customers c JOIN statuses s ON s.id = c.status_id
         WHERE c.deleted_at IS NULL AND ({}) ORDER BY c.id",
        filter.sql
    );
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(filter.params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Saves a segment inside the caller's transaction.
fn save_in(tx: &Transaction, input: &SegmentInput) -> Result<Segment> {
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(LedgerError::Invalid(vec![FieldError::new(
            "name",
            "セグメントの名前を入力してください。",
        )]));
    }
    let filter = serde_json::to_string(&input.filter).expect("filter serializes");
    let kind = match input.kind {
        SegmentKind::Dynamic => "dynamic",
        SegmentKind::Static => "static",
    };
    crate::store::sql::name_free(tx, "segments", "セグメント", &name, input.id)?;
    let id = match input.id {
        Some(id) => {
            let n = tx.execute(
                "UPDATE segments SET name = ?2, kind = ?3, filter = ?4, updated_at = ?5 \
                 WHERE id = ?1",
                params![id, name, kind, filter, now()],
            )?;
            sql::found(n, "セグメント", id)?;
            id
        }
        None => {
            let id = ids::next_id(tx, "segments")?;
            tx.execute(
                "INSERT INTO segments (id, name, kind, filter, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![id, name, kind, filter, now()],
            )?;
            id
        }
    };
    Ok(Segment {
        id,
        name,
        kind: input.kind,
        filter: input.filter.clone(),
    })
}

/// Adds and removes members of a static list inside the caller's transaction.
fn set_members_in(tx: &Transaction, segment_id: i64, add: &[i64], remove: &[i64]) -> Result<()> {
    for id in add {
        tx.execute(
            "INSERT OR IGNORE INTO segment_members (segment_id, customer_id) VALUES (?1, ?2)",
            params![segment_id, id],
        )?;
    }
    for id in remove {
        tx.execute(
            "DELETE FROM segment_members WHERE segment_id = ?1 AND customer_id = ?2",
            params![segment_id, id],
        )?;
    }
    Ok(())
}

impl Ledger {
    pub fn segments(&self) -> Result<Vec<Segment>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, kind, filter FROM segments ORDER BY name")?;
        let rows: Vec<_> = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.into_iter().map(decode).collect())
    }

    pub fn segment_named(&self, name: &str) -> Result<Option<Segment>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name, kind, filter FROM segments WHERE name = ?1",
                [name],
                from_row,
            )
            .optional()?
            .map(decode))
    }

    pub fn save_segment(&mut self, input: &SegmentInput) -> Result<Segment> {
        self.write(Need::Segments, |tx| save_in(tx, input))
    }

    /// The customers a segment holds on `today`: its filter's for a dynamic
    /// segment, its members for a static list.
    pub fn segment_member_ids(&self, segment: &Segment, today: NaiveDate) -> Result<Vec<i64>> {
        let filter = match segment.kind {
            SegmentKind::Dynamic => segment.filter.clone(),
            SegmentKind::Static => Group {
                all: true,
                parts: vec![Part::Condition {
                    condition: Condition::InList {
                        segment_id: segment.id,
                    },
                }],
            },
        };
        member_ids(&self.conn, &filter, today)
    }

    /// Customers matching a filter being built on `today` (the live count in
    /// the builder).
    pub fn filter_member_ids(&self, filter: &Group, today: NaiveDate) -> Result<Vec<i64>> {
        member_ids(&self.conn, filter, today)
    }

    /// Adds or removes customers of a static list.
    pub fn set_list_members(&mut self, segment_id: i64, add: &[i64], remove: &[i64]) -> Result<()> {
        self.write(Need::Segments, |tx| {
            set_members_in(tx, segment_id, add, remove)
        })
    }

    /// A static list holding a filter's members as they are on `today`,
    /// saved in one write: a list is never left without its members.
    pub fn snapshot_segment(
        &mut self,
        name: &str,
        filter: &Group,
        today: NaiveDate,
    ) -> Result<Segment> {
        let input = SegmentInput {
            id: None,
            name: name.to_string(),
            kind: SegmentKind::Static,
            filter: Group::default(),
        };
        self.write(Need::Segments, |tx| {
            let ids = member_ids(tx, filter, today)?;
            let list = save_in(tx, &input)?;
            set_members_in(tx, list.id, &ids, &[])?;
            Ok(list)
        })
    }

    /// Adds every customer a list search finds on `today` (all pages) to a
    /// static list.
    pub fn add_search_to_list(
        &mut self,
        segment_id: i64,
        query: &crate::CustomerQuery,
        today: NaiveDate,
    ) -> Result<u32> {
        self.write(Need::Segments, |tx| {
            let ids = crate::selection::query::matching_ids(tx, query, today)?;
            set_members_in(tx, segment_id, &ids, &[])?;
            Ok(ids.len() as u32)
        })
    }
}
