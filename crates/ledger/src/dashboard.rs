//! The numbers (分析): monthly targets against actuals, conversion between
//! stages from the status history, lost reasons, results by source and
//! campaign, and contacts logged per staff.
//!
//! Definitions, so that every figure can be checked by hand:
//! - an inquiry is a customer registered in the period by hand (customers
//!   created by a roster import are old customers, not new inquiries);
//! - a negotiation started is a customer moved into a negotiation-stage
//!   status in the period (counted once);
//! - a contract is a project whose contract date is in the period.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, LedgerError, Result};
use crate::ledger::Ledger;
use crate::stats::StatusCount;
use crate::statuses::{reached_sql, Stage};
use crate::validate::parse_date;

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
}

/// SQL: customers registered by hand (not by an import).
const BY_HAND: &str = "NOT EXISTS (SELECT 1 FROM import_batch_customers ib WHERE ib.customer_id = c.id AND ib.action = 'created')";
const IN_PERIOD: &str = "substr(c.created_at, 1, 10) BETWEEN ?1 AND ?2";

fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        months.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    months
}

fn targets(conn: &Connection, month: &str) -> Result<MonthTargets> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT inquiries, negotiations, contracts, amount_yen FROM monthly_targets WHERE month = ?1")?
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

fn actuals(conn: &Connection, from: &str, to: &str) -> Result<MonthTargets> {
    let inquiries = conn.query_row(
        &format!("SELECT count(*) FROM customers c WHERE c.deleted_at IS NULL AND {IN_PERIOD} AND {BY_HAND}"),
        params![from, to],
        |r| r.get(0),
    )?;
    let negotiations = conn.query_row(
        "SELECT count(DISTINCT h.customer_id) FROM status_history h JOIN statuses s ON s.id = h.to_status_id
         JOIN customers c ON c.id = h.customer_id
         WHERE c.deleted_at IS NULL AND s.stage = 'negotiation' AND substr(h.changed_at, 1, 10) BETWEEN ?1 AND ?2",
        params![from, to],
        |r| r.get(0),
    )?;
    let (contracts, amount_yen) = conn.query_row(
        "SELECT count(*), coalesce(sum(p.amount_yen), 0) FROM projects p JOIN customers c ON c.id = p.customer_id
         WHERE c.deleted_at IS NULL AND p.contract_on BETWEEN ?1 AND ?2",
        params![from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(MonthTargets {
        inquiries,
        negotiations,
        contracts,
        amount_yen,
    })
}

fn month_bounds(month: &str) -> (String, String) {
    (format!("{month}-01"), format!("{month}-31"))
}

fn breakdown(
    conn: &Connection,
    key: &str,
    join: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Breakdown>> {
    let sql = format!(
        "SELECT name, sum(inquiries), sum(contracts), sum(amount) FROM (
             SELECT {key} AS name, 1 AS inquiries, 0 AS contracts, 0 AS amount
             FROM customers c {join} WHERE c.deleted_at IS NULL AND {IN_PERIOD} AND {BY_HAND}
             UNION ALL
             SELECT {key}, 0, 1, coalesce(p.amount_yen, 0)
             FROM projects p JOIN customers c ON c.id = p.customer_id {join}
             WHERE c.deleted_at IS NULL AND p.contract_on BETWEEN ?1 AND ?2
         ) GROUP BY name ORDER BY sum(inquiries) DESC, sum(contracts) DESC, name"
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

pub(crate) fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    match (parse_date(from), parse_date(to)) {
        (Some(f), Some(t)) if f <= t => Ok((f, t)),
        (Some(_), Some(_)) => Err(LedgerError::Invalid(vec![FieldError::new(
            "to",
            "期間の終わりが始まりより前になっています。",
        )])),
        _ => Err(LedgerError::Invalid(vec![FieldError::new(
            "from",
            "期間は正しい日付で入力してください（例: 2026-04-01）。",
        )])),
    }
}

impl Ledger {
    pub fn dashboard(&self, from: &str, to: &str) -> Result<Dashboard> {
        let (from_day, to_day) = period(from, to)?;
        let conn = &self.conn;
        let months = months_between(from_day, to_day)
            .into_iter()
            .map(|month| {
                let (first, last) = month_bounds(&month);
                Ok(MonthFigures {
                    target: targets(conn, &month)?,
                    actual: actuals(conn, &first, &last)?,
                    month,
                })
            })
            .collect::<Result<_>>()?;
        let cohort = format!(
            "FROM customers c JOIN statuses s ON s.id = c.status_id WHERE c.deleted_at IS NULL AND {IN_PERIOD} AND {BY_HAND}"
        );
        let steps = [
            (Stage::Inquiry, "1".to_string()),
            (Stage::Negotiation, reached_sql(&[Stage::Negotiation, Stage::Contract, Stage::Owner])),
            (
                Stage::Contract,
                format!(
                    "({} OR EXISTS (SELECT 1 FROM projects p WHERE p.customer_id = c.id AND p.contract_on IS NOT NULL))",
                    reached_sql(&[Stage::Contract, Stage::Owner])
                ),
            ),
            (Stage::Owner, reached_sql(&[Stage::Owner])),
        ];
        let funnel = steps
            .iter()
            .map(|(stage, condition)| {
                Ok(FunnelStep {
                    stage: *stage,
                    customers: conn.query_row(
                        &format!("SELECT count(*) {cohort} AND {condition}"),
                        params![from, to],
                        |r| r.get(0),
                    )?,
                })
            })
            .collect::<Result<_>>()?;
        let lost_reasons = conn
            .prepare(
                "SELECT CASE WHEN h.lost_reason = '' THEN '（理由なし）' ELSE h.lost_reason END, count(*)
                 FROM status_history h JOIN statuses s ON s.id = h.to_status_id
                 WHERE s.stage = 'lost' AND substr(h.changed_at, 1, 10) BETWEEN ?1 AND ?2
                 GROUP BY 1 ORDER BY 2 DESC, 1",
            )?
            .query_map(params![from, to], |r| Ok(NamedCount { name: r.get(0)?, count: r.get(1)? }))?
            .collect::<rusqlite::Result<_>>()?;
        let contacts = conn
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
        Ok(Dashboard {
            from: from.to_string(),
            to: to.to_string(),
            by_status: self.stats()?.by_status,
            months,
            funnel,
            lost_reasons,
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
            contacts,
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
        self.write(|tx| {
            tx.execute(
                "INSERT INTO monthly_targets (month, inquiries, negotiations, contracts, amount_yen) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(month) DO UPDATE SET inquiries = excluded.inquiries, negotiations = excluded.negotiations,
                     contracts = excluded.contracts, amount_yen = excluded.amount_yen",
                params![month, targets.inquiries, targets.negotiations, targets.contracts, targets.amount_yen],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_a_period() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            months_between(d("2025-11-15"), d("2026-02-01")),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }
}
