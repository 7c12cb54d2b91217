//! The numbers (分析): monthly targets against actuals, conversion between
//! stages from the status history, lost reasons, results by source and
//! campaign, and contacts logged per staff.
//!
//! Every figure but the status snapshot and the contacts counts one thing,
//! work the office did, declared once in `WORK`: one row per inquiry, status
//! move and contract, dated by the local day it happened (times are stored
//! in UTC: a move at 8:00 in Japan belongs to that day, not the one before).
//! Definitions, so that every figure can be checked by hand:
//! - an inquiry is a customer registered by hand on that day (customers a
//!   roster import created are old customers, not new inquiries);
//! - a status move is work when a person made it: a customer moved to
//!   another status, or registered by hand in its first one. A status an
//!   import wrote (the first status of a customer it created, or a status its
//!   merge overwrote on one already in the ledger) is what the roster said
//!   of the past, and a status that merging two records of one person gave
//!   the survivor is one the other record had reached before (its moves
//!   came along): neither is work of any period. The write that made a move
//!   is its change-log row: `created` for a first status, `status_id` with
//!   the same old → new after; every write logs its change before the move
//!   it makes, so it is the latest such row at or before the move, and its
//!   source says import or merge. A move the change log has no row for
//!   counts as work;
//! - a negotiation started is a customer moved into a negotiation-stage
//!   status by work in the period (counted once a month);
//! - a lost reason is counted once for each move into a lost-stage status
//!   by work in the period;
//! - a contract is a project whose contract date is in the period, the
//!   amount its amount;
//! - the funnel follows the period's inquiries: a customer reached a stage
//!   when work ever moved it into that stage or a later one (a contract: or
//!   it has a project with a contract date);
//! - by source and by campaign: the period's inquiries and contracts, under
//!   the customer's source and campaign;
//! - customers in the trash count in no figure;
//! - contacts are always logged by a person: counted per staff and day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::record::validate::parse_date;
use crate::reference::statuses::{stage_list, Stage};
use crate::store::access::Need;
use crate::store::calendar;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ledger::Ledger;
use crate::views::requests::{self, RequestFigures};
use crate::views::stats::StatusCount;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct MonthTargets {
    pub inquiries: u32,
    pub negotiations: u32,
    pub contracts: u32,
    pub amount_yen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MonthFigures {
    /// YYYY-MM
    pub month: String,
    pub target: MonthTargets,
    pub actual: MonthTargets,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FunnelStep {
    pub stage: Stage,
    /// Customers of the period's inquiries who reached this stage.
    pub customers: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Breakdown {
    pub name: String,
    pub inquiries: u32,
    pub contracts: u32,
    pub amount_yen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct NamedCount {
    pub name: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StaffDayCount {
    pub staff: String,
    /// YYYY-MM-DD
    pub day: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    pub by_status: Vec<StatusCount>,
    pub months: Vec<MonthFigures>,
    /// Inquiry → negotiation → contract → owner for the period's inquiries.
    pub funnel: Vec<FunnelStep>,
    pub lost_reasons: Vec<NamedCount>,
    pub by_source: Vec<Breakdown>,
    pub by_campaign: Vec<Breakdown>,
    pub contacts: Vec<StaffDayCount>,
    /// After-care requests in the period (`views::requests`).
    pub requests: RequestFigures,
}

/// Work the office did, one row per fact (see the module comment):
/// `kind` is 'inquiry', 'move' or 'contract'; `day` the local date. Every
/// figure reads its rows through `IN_PERIOD`, and no figure counts work
/// any other way.
const WORK: &str = "WITH work(kind, customer_id, day, stage, lost_reason, amount_yen) AS (
    -- Registered by hand. NOT IN reads the batch table once: it is keyed by
    -- batch, and a NOT EXISTS per customer took 100 s after a 50,000-row import.
    SELECT 'inquiry', c.id, date(c.created_at, 'localtime'), NULL, '', 0
    FROM customers c
    WHERE c.deleted_at IS NULL
      AND c.id NOT IN (SELECT customer_id FROM import_batch_customers WHERE action = 'created')
    UNION ALL
    -- Moved by a person: the change-log row of the write that made the move
    -- is neither an import's nor a merge's.
    SELECT 'move', h.customer_id, date(h.changed_at, 'localtime'), s.stage, h.lost_reason, 0
    FROM status_history h JOIN statuses s ON s.id = h.to_status_id JOIN customers c ON c.id = h.customer_id
    WHERE c.deleted_at IS NULL
      AND NOT coalesce((
          SELECT l.source IN ('import', 'merge') FROM change_log l
          WHERE l.customer_id = h.customer_id AND l.entity = 'customer' AND l.changed_at <= h.changed_at
            AND CASE WHEN h.from_status_id IS NULL THEN l.field = 'created'
                     ELSE l.field = 'status_id' AND l.old_value = CAST(h.from_status_id AS TEXT)
                          AND l.new_value = CAST(h.to_status_id AS TEXT) END
          ORDER BY l.changed_at DESC, l.id DESC LIMIT 1), 0)
    UNION ALL
    SELECT 'contract', p.customer_id, p.contract_on, NULL, '', coalesce(p.amount_yen, 0)
    FROM projects p JOIN customers c ON c.id = p.customer_id
    WHERE c.deleted_at IS NULL AND p.contract_on IS NOT NULL
)";

/// SQL over `work`: the fact happened between the two parameters, inclusive.
const IN_PERIOD: &str = "work.day BETWEEN ?1 AND ?2";

/// SQL over `work`: a move into one of `stages`.
fn moved_into(stages: &[Stage]) -> String {
    format!(
        "(work.kind = 'move' AND work.stage IN ({}))",
        stage_list(stages)
    )
}

/// Sets month ?1's targets to ?2 … ?5, over any set before.
const SAVE_TARGETS: &str = "INSERT INTO monthly_targets
        (month, inquiries, negotiations, contracts, amount_yen)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT(month) DO UPDATE SET inquiries = excluded.inquiries,
        negotiations = excluded.negotiations, contracts = excluded.contracts,
        amount_yen = excluded.amount_yen";

fn targets(conn: &Connection, month: &str) -> Result<MonthTargets> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(
            "SELECT inquiries, negotiations, contracts, amount_yen FROM monthly_targets \
             WHERE month = ?1",
        )?
        .query_row([month], |r| {
            Ok(MonthTargets {
                inquiries: r.get(0)?,
                negotiations: r.get(1)?,
                contracts: r.get(2)?,
                amount_yen: r.get(3)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// The actuals of every month from `first` to `last` (YYYY-MM), whole
/// months, in one pass over the work; a month without work is absent.
fn actuals(conn: &Connection, first: &str, last: &str) -> Result<BTreeMap<String, MonthTargets>> {
    let sql = format!(
        "{WORK} SELECT substr(day, 1, 7), sum(kind = 'inquiry'),
                count(DISTINCT CASE WHEN {negotiation} THEN customer_id END),
                sum(kind = 'contract'), sum(amount_yen)
         FROM work WHERE {IN_PERIOD} GROUP BY 1",
        negotiation = moved_into(&[Stage::Negotiation]),
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params![format!("{first}-01"), format!("{last}-31")], |r| {
            Ok((
                r.get(0)?,
                MonthTargets {
                    inquiries: r.get(1)?,
                    negotiations: r.get(2)?,
                    contracts: r.get(3)?,
                    amount_yen: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Inquiry → negotiation → contract → owner: how many of the period's
/// inquiries work ever brought to each stage, in one pass per customer.
fn funnel(conn: &Connection, from: &str, to: &str) -> Result<Vec<FunnelStep>> {
    let steps = [
        (Stage::Inquiry, "1".to_string()),
        (
            Stage::Negotiation,
            moved_into(&[Stage::Negotiation, Stage::Contract, Stage::Owner]),
        ),
        (
            Stage::Contract,
            format!(
                "kind = 'contract' OR {}",
                moved_into(&[Stage::Contract, Stage::Owner])
            ),
        ),
        (Stage::Owner, moved_into(&[Stage::Owner])),
    ];
    let reached: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, (_, condition))| format!("max({condition}) AS r{i}"))
        .collect();
    let sums: Vec<String> = (0..steps.len())
        .map(|i| format!("coalesce(sum(r{i}), 0)"))
        .collect();
    let sql = format!(
        "{WORK} SELECT {} FROM (
             SELECT {} FROM work GROUP BY customer_id
             HAVING max(kind = 'inquiry' AND {IN_PERIOD}))",
        sums.join(", "),
        reached.join(", "),
    );
    let counts: Vec<u32> = conn.query_row(&sql, params![from, to], |r| {
        (0..steps.len()).map(|i| r.get(i)).collect()
    })?;
    Ok(steps
        .iter()
        .zip(counts)
        .map(|((stage, _), customers)| FunnelStep {
            stage: *stage,
            customers,
        })
        .collect())
}

fn lost_reasons(conn: &Connection, from: &str, to: &str) -> Result<Vec<NamedCount>> {
    let sql = format!(
        "{WORK} SELECT CASE WHEN lost_reason = '' THEN '（理由なし）' ELSE lost_reason END,
                count(*)
         FROM work WHERE {} AND {IN_PERIOD}
         GROUP BY 1 ORDER BY 2 DESC, 1",
        moved_into(&[Stage::Lost]),
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params![from, to], |r| {
            Ok(NamedCount {
                name: r.get(0)?,
                count: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The period's inquiries and contracts under `key`, an SQL expression over
/// the customer `c` and whatever `join` adds.
fn breakdown(
    conn: &Connection,
    key: &str,
    join: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Breakdown>> {
    let sql = format!(
        "{WORK} SELECT {key} AS name, sum(work.kind = 'inquiry'), sum(work.kind = 'contract'),
                sum(work.amount_yen)
         FROM work JOIN customers c ON c.id = work.customer_id {join}
         WHERE work.kind IN ('inquiry', 'contract') AND {IN_PERIOD}
         GROUP BY name ORDER BY 2 DESC, 3 DESC, name"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params![from, to], |r| {
            Ok(Breakdown {
                name: r.get(0)?,
                inquiries: r.get(1)?,
                contracts: r.get(2)?,
                amount_yen: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn contacts(conn: &Connection, from: &str, to: &str) -> Result<Vec<StaffDayCount>> {
    let rows = conn
        .prepare(
            "SELECT coalesce(s.name, '（担当なし）'), substr(k.at, 1, 10), count(*)
             FROM contacts k LEFT JOIN staff s ON s.id = k.staff_id
             WHERE substr(k.at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY 1, 2 ORDER BY 2, 1",
        )?
        .query_map(params![from, to], |r| {
            Ok(StaffDayCount {
                staff: r.get(0)?,
                day: r.get(1)?,
                count: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Ledger {
    pub fn dashboard(&self, from: &str, to: &str) -> Result<Dashboard> {
        let (from_day, to_day) = calendar::period(parse_date(from), parse_date(to))?;
        let conn = &self.conn;
        let months = calendar::months_between(from_day, to_day);
        let mut actual = match (months.first(), months.last()) {
            (Some(first), Some(last)) => actuals(conn, first, last)?,
            _ => BTreeMap::new(),
        };
        let months = months
            .into_iter()
            .map(|month| {
                Ok(MonthFigures {
                    target: targets(conn, &month)?,
                    actual: actual.remove(&month).unwrap_or_default(),
                    month,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Dashboard {
            from: from.to_string(),
            to: to.to_string(),
            by_status: self.stats()?.by_status,
            months,
            funnel: funnel(conn, from, to)?,
            lost_reasons: lost_reasons(conn, from, to)?,
            by_source: breakdown(
                conn,
                "CASE WHEN c.source = '' THEN '（未設定）' ELSE c.source END",
                "",
                from,
                to,
            )?,
            by_campaign: breakdown(
                conn,
                "coalesce(cp.name, '（なし）')",
                "LEFT JOIN campaigns cp ON cp.id = c.campaign_id",
                from,
                to,
            )?,
            contacts: contacts(conn, from, to)?,
            requests: requests::figures(conn, from_day, to_day)?,
        })
    }

    pub fn save_month_targets(&mut self, month: &str, targets: &MonthTargets) -> Result<()> {
        let valid = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok()
            && month.len() == 7;
        if !valid {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "month",
                "月は YYYY-MM の形で入力してください（例: 2026-04）。",
            )]));
        }
        if targets.amount_yen < 0 {
            return Err(LedgerError::Invalid(vec![FieldError::new(
                "amount_yen",
                "目標金額は0円以上で入力してください。",
            )]));
        }
        self.write(Need::Settings, |tx| {
            tx.execute(
                SAVE_TARGETS,
                params![
                    month,
                    targets.inquiries,
                    targets.negotiations,
                    targets.contracts,
                    targets.amount_yen
                ],
            )?;
            Ok(())
        })
    }
}
