//! Campaigns and events (見学会, チラシ, WEB広告, DM, ニュースレター …): what they
//! cost and what they brought in.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::record::validate::parse_date;
use crate::reference::statuses::{reached_sql, Stage};
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{now, Ledger};
use crate::store::sql;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    /// 見学会, チラシ, WEB広告, DM, ニュースレター …
    pub kind: String,
    pub held_on: Option<String>,
    pub cost_yen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CampaignInput {
    pub id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub held_on: Option<String>,
    pub cost_yen: i64,
}

/// What one campaign brought: customers who came from it, how many of them
/// reached a meeting (the negotiation stage or beyond) and a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CampaignResult {
    pub campaign: Campaign,
    pub inquiries: u32,
    pub meetings: u32,
    pub contracts: u32,
    pub amount_yen: i64,
    pub cost_per_inquiry: Option<i64>,
    pub cost_per_contract: Option<i64>,
}

fn list_in(conn: &Connection) -> Result<Vec<Campaign>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind, held_on, cost_yen FROM campaigns \
         ORDER BY coalesce(held_on, created_at) DESC, id DESC",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Campaign {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                held_on: r.get(3)?,
                cost_yen: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn validate(input: &CampaignInput) -> Result<CampaignInput> {
    let mut errors = Vec::new();
    let mut clean = input.clone();
    clean.name = daicho_text::collapse_spaces(&input.name);
    clean.kind = daicho_text::collapse_spaces(&input.kind);
    if clean.name.is_empty() {
        errors.push(FieldError::new(
            "name",
            "キャンペーン名を入力してください。",
        ));
    }
    if input.cost_yen < 0 {
        errors.push(FieldError::new(
            "cost_yen",
            "費用は0円以上で入力してください。",
        ));
    }
    clean.held_on = match input.held_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match parse_date(text) {
            Some(d) => Some(d.format("%Y-%m-%d").to_string()),
            None => {
                errors.push(FieldError::new(
                    "held_on",
                    "実施日は正しい日付で入力してください（例: 2026-05-03）。",
                ));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(LedgerError::Invalid(errors))
    }
}

fn ratio(cost: i64, count: u32) -> Option<i64> {
    (count > 0).then(|| (cost as f64 / f64::from(count)).round() as i64)
}

impl Ledger {
    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        list_in(&self.conn)
    }

    pub fn save_campaign(&mut self, input: &CampaignInput) -> Result<Vec<Campaign>> {
        let clean = validate(input)?;
        self.write(Need::Segments, |tx| {
            crate::store::sql::name_free(tx, "campaigns", "キャンペーン", &clean.name, clean.id)?;
            match clean.id {
                Some(id) => {
                    let n = tx.execute(
                        "UPDATE campaigns SET name = ?2, kind = ?3, held_on = ?4, cost_yen = ?5 \
                         WHERE id = ?1",
                        params![id, clean.name, clean.kind, clean.held_on, clean.cost_yen],
                    )?;
                    sql::found(n, "キャンペーン", id)?;
                }
                None => {
                    let id = ids::next_id(tx, "campaigns")?;
                    tx.execute(
                        "INSERT INTO campaigns (id, name, kind, held_on, cost_yen, created_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![
                            id,
                            clean.name,
                            clean.kind,
                            clean.held_on,
                            clean.cost_yen,
                            now()
                        ],
                    )?;
                }
            }
            list_in(tx)
        })
    }

    /// Every campaign with what it brought, newest first.
    pub fn campaign_results(&self) -> Result<Vec<CampaignResult>> {
        // A meeting: the customer reached the negotiation stage or beyond.
        let meeting = reached_sql(&[Stage::Negotiation, Stage::Contract, Stage::Owner]);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT count(*), coalesce(sum({meeting}), 0),
                    (SELECT count(*) FROM projects p JOIN customers pc ON pc.id = p.customer_id
                     WHERE pc.campaign_id = ?1 AND pc.deleted_at IS NULL
                       AND p.contract_on IS NOT NULL),
                    (SELECT coalesce(sum(p.amount_yen), 0)
                     FROM projects p JOIN customers pc ON pc.id = p.customer_id
                     WHERE pc.campaign_id = ?1 AND pc.deleted_at IS NULL
                       AND p.contract_on IS NOT NULL)
             FROM customers c JOIN statuses s ON s.id = c.status_id
             WHERE c.campaign_id = ?1 AND c.deleted_at IS NULL"
        ))?;
        list_in(&self.conn)?
            .into_iter()
            .map(|campaign| {
                let (inquiries, meetings, contracts, amount_yen): (u32, u32, u32, i64) = stmt
                    .query_row([campaign.id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })?;
                Ok(CampaignResult {
                    cost_per_inquiry: ratio(campaign.cost_yen, inquiries),
                    cost_per_contract: ratio(campaign.cost_yen, contracts),
                    campaign,
                    inquiries,
                    meetings,
                    contracts,
                    amount_yen,
                })
            })
            .collect()
    }
}
