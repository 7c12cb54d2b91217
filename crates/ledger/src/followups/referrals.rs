//! Referrals (紹介): who brought whom, and an owner's contribution (seed
//! 004's 貢献: repeat contracts plus the contracts of the people they referred).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::record::customers;
use crate::record::erasures;
use crate::record::rules::{CONTRIBUTION, DISPLAY_NAME as NAME};
use crate::reference::statuses::Stage;
use crate::store::error::Result;
use crate::store::ledger::Ledger;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
    pub status: String,
    /// An erased customer (only as a referrer): the id names nobody now.
    pub erased: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct Contribution {
    /// Contracts after the customer's first one.
    pub repeat_contracts: u32,
    pub repeat_amount_yen: i64,
    /// Contracts of the customers they referred.
    pub referred_contracts: u32,
    pub referred_amount_yen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Referrals {
    pub referrer: Option<PersonRef>,
    pub referred: Vec<PersonRef>,
    pub contribution: Contribution,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct NetworkNode {
    pub id: i64,
    pub name: String,
    pub stage: Stage,
    /// Contribution in contracts; the graph sizes nodes by it.
    pub contribution: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReferralNetwork {
    pub nodes: Vec<NetworkNode>,
    /// (referrer, referred)
    pub links: Vec<(i64, i64)>,
}

fn contribution_in(conn: &Connection, id: i64) -> Result<Contribution> {
    let own: Vec<i64> = conn
        .prepare_cached(
            "SELECT coalesce(amount_yen, 0) FROM projects
             WHERE customer_id = ?1 AND contract_on IS NOT NULL
             ORDER BY contract_on, id",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (referred_contracts, referred_amount_yen): (u32, i64) = conn.query_row(
        "SELECT count(*), coalesce(sum(p.amount_yen), 0)
         FROM projects p JOIN customers r ON r.id = p.customer_id
         WHERE r.referrer_id = ?1 AND r.deleted_at IS NULL AND p.contract_on IS NOT NULL",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Contribution {
        repeat_contracts: own.len().saturating_sub(1) as u32,
        repeat_amount_yen: own.iter().skip(1).sum(),
        referred_contracts,
        referred_amount_yen,
    })
}

fn people(conn: &Connection, sql: &str, id: i64) -> Result<Vec<PersonRef>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map([id], |r| {
            Ok(PersonRef {
                id: r.get(0)?,
                name: r.get(1)?,
                status: r.get(2)?,
                erased: false,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

impl Ledger {
    pub fn referrals(&self, id: i64) -> Result<Referrals> {
        let customer = customers::get_in(&self.conn, id)?;
        let select = format!(
            "SELECT c.id, {NAME}, s.name FROM customers c JOIN statuses s ON s.id = c.status_id"
        );
        let referrer = match customer.fields.referrer_id {
            Some(r) => people(&self.conn, &format!("{select} WHERE c.id = ?1"), r)?.pop(),
            None => erasures::erased_referrer(&self.conn, id)?.map(|r| PersonRef {
                id: r,
                name: erasures::ERASED_NAME.to_string(),
                status: String::new(),
                erased: true,
            }),
        };
        Ok(Referrals {
            referrer,
            referred: people(
                &self.conn,
                &format!(
                    "{select} WHERE c.referrer_id = ?1 AND c.deleted_at IS NULL \
                     ORDER BY c.created_at"
                ),
                id,
            )?,
            contribution: contribution_in(&self.conn, id)?,
        })
    }

    /// Every customer with a referral link, and the links.
    pub fn referral_network(&self) -> Result<ReferralNetwork> {
        let links: Vec<(i64, i64)> = self
            .conn
            .prepare(
                "SELECT c.referrer_id, c.id
                 FROM customers c JOIN customers r ON r.id = c.referrer_id
                 WHERE c.deleted_at IS NULL AND r.deleted_at IS NULL ORDER BY c.id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let nodes = self
            .conn
            .prepare(&format!(
                "SELECT c.id, {NAME}, s.stage, {CONTRIBUTION}
                 FROM customers c JOIN statuses s ON s.id = c.status_id
                 WHERE c.deleted_at IS NULL AND (c.referrer_id IS NOT NULL
                       OR EXISTS (SELECT 1 FROM customers x
                                  WHERE x.referrer_id = c.id AND x.deleted_at IS NULL))
                 ORDER BY c.id"
            ))?
            .query_map([], |r| {
                Ok(NetworkNode {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    stage: Stage::parse(&r.get::<_, String>(2)?).unwrap_or(Stage::Inquiry),
                    contribution: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let known: std::collections::HashSet<i64> = nodes.iter().map(|n| n.id).collect();
        Ok(ReferralNetwork {
            links: links
                .into_iter()
                .filter(|(a, b)| known.contains(a) && known.contains(b))
                .collect(),
            nodes,
        })
    }
}
