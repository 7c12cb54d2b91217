//! 重複の候補: pairs of customers already in the ledger that look like one
//! person typed twice. They are found with the import's own keys (name and
//! phone, name and address, e-mail; never the name alone), grouped in one
//! pass over the ledger, so a ledger of 100,000 customers is never compared
//! pair by pair. Pairs the office said are two people stay out.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::import::{ledger_keys, MatchKind};
use crate::record::changelog::{self, Change};
use crate::record::rules::DISPLAY_NAME;
use crate::store::access::Need;
use crate::store::error::{LedgerError, Result};
use crate::store::ledger::{now, Actor, Ledger};
use crate::store::sql;

/// What the candidates list shows of each customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CustomerBrief {
    pub id: i64,
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub mobile: String,
    pub address: String,
    pub email: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Two customers that share at least one key; `a` is the older record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DuplicatePair {
    pub a: CustomerBrief,
    pub b: CustomerBrief,
    /// Every key the two share, in the order NamePhone, NameAddress, Email.
    pub reasons: Vec<MatchKind>,
}

/// The pairs of ids (smaller first) sharing a key, with the keys they share.
/// Customers in the trash are left out.
fn shared_keys(conn: &Connection) -> Result<BTreeMap<(i64, i64), BTreeSet<MatchKind>>> {
    let mut groups: foldhash::HashMap<(MatchKind, String), Vec<i64>> = Default::default();
    ledger_keys(conn, false, |id, keys| {
        for (kind, key) in keys.each() {
            let ids = groups.entry((kind, key.to_owned())).or_default();
            // Phone and mobile may be one number: one customer, one entry.
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    })?;
    let mut pairs: BTreeMap<(i64, i64), BTreeSet<MatchKind>> = BTreeMap::new();
    for ((kind, _), ids) in groups.into_iter().filter(|(_, ids)| ids.len() > 1) {
        for (i, &a) in ids.iter().enumerate() {
            for &b in &ids[i + 1..] {
                pairs.entry((a, b)).or_default().insert(kind);
            }
        }
    }
    Ok(pairs.into_iter().collect())
}

fn distinct_pairs(conn: &Connection) -> Result<HashSet<(i64, i64)>> {
    let pairs = sql::rows(
        conn,
        "SELECT low_id, high_id FROM distinct_customers",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(pairs.into_iter().collect())
}

fn brief(conn: &Connection, id: i64) -> Result<CustomerBrief> {
    let sql = format!(
        "SELECT c.id, {DISPLAY_NAME}, trim(c.family_kana || ' ' || c.given_kana), c.phone,
                c.mobile, trim(c.prefecture || c.city || c.address1 || ' ' || c.address2),
                c.email, s.name, c.created_at, c.updated_at
         FROM customers c JOIN statuses s ON s.id = c.status_id WHERE c.id = ?1"
    );
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| {
        Ok(CustomerBrief {
            id: r.get(0)?,
            name: r.get(1)?,
            kana: r.get(2)?,
            phone: r.get(3)?,
            mobile: r.get(4)?,
            address: r.get(5)?,
            email: r.get(6)?,
            status: r.get(7)?,
            created_at: r.get(8)?,
            updated_at: r.get(9)?,
        })
    })?)
}

impl Ledger {
    /// Every pair of customers outside the trash that share a match key,
    /// oldest pair first, minus the pairs marked as two people.
    pub fn duplicate_candidates(&self) -> Result<Vec<DuplicatePair>> {
        let distinct = distinct_pairs(&self.conn)?;
        shared_keys(&self.conn)?
            .into_iter()
            .filter(|(pair, _)| !distinct.contains(pair))
            .map(|((a, b), reasons)| {
                Ok(DuplicatePair {
                    a: brief(&self.conn, a)?,
                    b: brief(&self.conn, b)?,
                    reasons: reasons.into_iter().collect(),
                })
            })
            .collect()
    }

    /// Records that two customers are different people (別人), so the pair
    /// no longer appears among the candidates.
    pub fn mark_distinct(&mut self, actor: &Actor, a: i64, b: i64) -> Result<()> {
        if a == b {
            return Err(LedgerError::Conflict(
                "同じ顧客どうしは別人にできません。".into(),
            ));
        }
        self.write(Need::Customers, |tx| {
            for id in [a, b] {
                crate::record::customers::get_in(tx, id)?;
            }
            tx.execute(
                "INSERT OR IGNORE INTO distinct_customers (low_id, high_id, marked_at) \
                 VALUES (?1, ?2, ?3)",
                params![a.min(b), a.max(b), now()],
            )?;
            for (id, other) in [(a, b), (b, a)] {
                let change = Change::new("distinct_from", None, Some(other.to_string()));
                changelog::record_customer(tx, actor, id, &[change])?;
            }
            Ok(())
        })
    }
}
