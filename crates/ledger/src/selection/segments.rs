//! Segments: saved, named conditions over the ledger. The filter is a typed
//! tree (groups of all/any conditions) compiled here to SQL with parameters;
//! no SQL text ever comes from outside. Static lists hold their members.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::followups::referrals::CONTRIBUTION_SQL;
use crate::record::fields::Grade;
use crate::reference::settings::{stale_sql, TODAY_SQL};
use crate::reference::statuses::Stage;
use crate::selection::completeness::completeness_sql;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ledger::{now, Ledger};
use crate::views::today::overdue_sql;

/// One condition on a customer. New conditions are new variants with one
/// arm in `Condition::compile`.
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

/// SQL that a usable postal address satisfies: seven-digit postal code and a
/// street part. Shared by the segment condition and the DM exclusion.
pub(crate) const USABLE_ADDRESS: &str =
    "(c.postal_code GLOB '[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]' AND c.address1 <> '')";

fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Condition {
    fn compile(&self, params: &mut Vec<Value>) -> String {
        match self {
            Self::StatusIn { ids } if ids.is_empty() => "0".into(),
            Self::StatusIn { ids } => format!("c.status_id IN ({})", ints(params, ids)),
            Self::StaffIn { ids } if ids.is_empty() => "0".into(),
            Self::StaffIn { ids } => format!("c.staff_id IN ({})", ints(params, ids)),
            Self::LabelHas { id } => format!("EXISTS (SELECT 1 FROM customer_labels cl WHERE cl.customer_id = c.id AND cl.label_id = {})", ints(params, &[*id])),
            Self::LabelHasNot { id } => format!("NOT EXISTS (SELECT 1 FROM customer_labels cl WHERE cl.customer_id = c.id AND cl.label_id = {})", ints(params, &[*id])),
            Self::InList { segment_id } => format!("c.id IN (SELECT customer_id FROM segment_members WHERE segment_id = {})", ints(params, &[*segment_id])),
            Self::StageIn { stages } => texts(params, "s.stage", stages.iter().map(|s| s.as_str().to_string())),
            Self::GradeIn { grades } => texts(params, "c.grade", grades.iter().map(|g| g.as_str().to_string())),
            Self::SourceIn { sources } => texts(params, "c.source", sources.iter().cloned()),
            Self::PrefectureIn { names } => texts(params, "c.prefecture", names.iter().cloned()),
            Self::CityIn { names } => texts(params, "c.city", names.iter().cloned()),
            Self::PostalPrefix { prefix } => {
                let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
                params.push(Value::Text(digits.clone()));
                params.push(Value::Text(digits));
                "substr(replace(c.postal_code, '-', ''), 1, length(?)) = ?".into()
            }
            Self::CreatedBetween { from, to } => {
                let mut parts = Vec::new();
                if let Some(from) = from {
                    params.push(Value::Text(from.clone()));
                    parts.push("substr(c.created_at, 1, 10) >= ?");
                }
                if let Some(to) = to {
                    params.push(Value::Text(to.clone()));
                    parts.push("substr(c.created_at, 1, 10) <= ?");
                }
                if parts.is_empty() { "1".into() } else { parts.join(" AND ") }
            }
            Self::NotUpdatedFor { days } => {
                params.push(Value::Integer(i64::from(*days)));
                "julianday('now') - julianday(c.updated_at) >= ?".into()
            }
            Self::BirthdayMonth { month } => {
                params.push(Value::Text(format!("{month:02}")));
                "substr(c.birthday, 6, 2) = ?".into()
            }
            Self::HasEmail { yes } => if *yes { "c.email <> ''" } else { "c.email = ''" }.into(),
            Self::HasUsableAddress { yes } => if *yes { USABLE_ADDRESS.to_string() } else { format!("NOT {USABLE_ADDRESS}") },
            Self::Overdue { yes } => negated(overdue_sql(TODAY_SQL), *yes),
            Self::Stale { yes } => negated(stale_sql(), *yes),
            Self::NextActionWithin { days } => open_task_within(params, "next_action", *days),
            Self::InspectionDueWithin { days } => open_task_within(params, "inspection", *days),
            Self::HandedOverYearsAgo { years } => {
                params.push(Value::Integer(i64::from(*years)));
                format!("EXISTS (SELECT 1 FROM projects p WHERE p.customer_id = c.id AND CAST(substr(p.handover_on, 1, 4) AS INTEGER) = CAST(strftime('%Y', {TODAY_SQL}) AS INTEGER) - ?)")
            }
            Self::ContributionAtLeast { contracts } => {
                params.push(Value::Integer(i64::from(*contracts)));
                format!("{CONTRIBUTION_SQL} >= ?")
            }
            Self::CampaignIn { ids } if ids.is_empty() => "0".into(),
            Self::CampaignIn { ids } => format!("c.campaign_id IN ({})", ints(params, ids)),
            Self::CompletenessBelow { percent } => {
                params.push(Value::Integer(i64::from(*percent)));
                format!("{} < ?", completeness_sql())
            }
        }
    }
}

fn negated(sql: String, yes: bool) -> String {
    if yes {
        sql
    } else {
        format!("NOT {sql}")
    }
}

fn open_task_within(params: &mut Vec<Value>, kind: &str, days: u32) -> String {
    params.push(Value::Text(kind.into()));
    params.push(Value::Text(format!("+{days} days")));
    format!("EXISTS (SELECT 1 FROM tasks t WHERE t.customer_id = c.id AND t.kind = ? AND t.done_at IS NULL AND t.due_on <= date({TODAY_SQL}, ?))")
}

fn ints(params: &mut Vec<Value>, ids: &[i64]) -> String {
    params.extend(ids.iter().map(|v| Value::Integer(*v)));
    marks(ids.len())
}

fn texts(params: &mut Vec<Value>, column: &str, values: impl Iterator<Item = String>) -> String {
    let before = params.len();
    params.extend(values.map(Value::Text));
    match params.len() - before {
        0 => "0".into(),
        n => format!("{column} IN ({})", marks(n)),
    }
}

impl Group {
    /// The group as one SQL boolean over `customers c JOIN statuses s`.
    pub(crate) fn compile(&self, params: &mut Vec<Value>) -> String {
        if self.parts.is_empty() {
            return "1".into();
        }
        let joiner = if self.all { " AND " } else { " OR " };
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| match p {
                Part::Condition { condition } => condition.compile(params),
                Part::Group { group } => group.compile(params),
            })
            .map(|sql| format!("({sql})"))
            .collect();
        parts.join(joiner)
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

/// The ids of the living customers a filter selects, in customer order.
pub(crate) fn member_ids(conn: &Connection, filter: &Group) -> Result<Vec<i64>> {
    let mut params = Vec::new();
    let condition = filter.compile(&mut params);
    let sql = format!("SELECT c.id FROM customers c JOIN statuses s ON s.id = c.status_id WHERE c.deleted_at IS NULL AND ({condition}) ORDER BY c.id");
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
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
        self.write(|tx| {
            crate::store::sql::name_free(tx, "segments", "セグメント", &name, input.id)?;
            let id = match input.id {
                Some(id) => {
                    let n = tx.execute(
                        "UPDATE segments SET name = ?2, kind = ?3, filter = ?4, updated_at = ?5 WHERE id = ?1",
                        params![id, name, kind, filter, now()],
                    )?;
                    if n == 0 {
                        return Err(LedgerError::NotFound { entity: "セグメント", id });
                    }
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO segments (name, kind, filter, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                        params![name, kind, filter, now()],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            Ok(Segment { id, name: name.clone(), kind: input.kind, filter: input.filter.clone() })
        })
    }

    /// The customers a segment holds now: its filter for a dynamic segment,
    /// its members for a static list.
    pub fn segment_member_ids(&self, segment: &Segment) -> Result<Vec<i64>> {
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
        member_ids(&self.conn, &filter)
    }

    /// Customers matching a filter being built (the live count in the builder).
    pub fn filter_member_ids(&self, filter: &Group) -> Result<Vec<i64>> {
        member_ids(&self.conn, filter)
    }

    /// Adds or removes customers of a static list (also: a snapshot of a
    /// segment's current members).
    pub fn set_list_members(&mut self, segment_id: i64, add: &[i64], remove: &[i64]) -> Result<()> {
        self.write(|tx| {
            for id in add {
                tx.execute("INSERT OR IGNORE INTO segment_members (segment_id, customer_id) VALUES (?1, ?2)", params![segment_id, id])?;
            }
            for id in remove {
                tx.execute("DELETE FROM segment_members WHERE segment_id = ?1 AND customer_id = ?2", params![segment_id, id])?;
            }
            Ok(())
        })
    }
}

impl Ledger {
    /// A static list holding a filter's members as they are now.
    pub fn snapshot_segment(&mut self, name: &str, filter: &Group) -> Result<Segment> {
        let ids = member_ids(&self.conn, filter)?;
        let list = self.save_segment(&SegmentInput {
            id: None,
            name: name.to_string(),
            kind: SegmentKind::Static,
            filter: Group::default(),
        })?;
        self.set_list_members(list.id, &ids, &[])?;
        Ok(list)
    }

    /// Adds every customer a list search finds (all pages) to a static list.
    pub fn add_search_to_list(
        &mut self,
        segment_id: i64,
        query: &crate::CustomerQuery,
    ) -> Result<u32> {
        let ids = crate::selection::query::matching_ids(&self.conn, query)?;
        self.set_list_members(segment_id, &ids, &[])?;
        Ok(ids.len() as u32)
    }
}
