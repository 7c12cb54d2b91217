//! Household members (家族): relation, birthday, and whether their name goes
//! on DM as a joint name (連名).

use rusqlite::{params, Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::record::changelog::{self, Change};
use crate::record::validate::date_problem;
use crate::store::access::Need;
use crate::store::error::{FieldError, LedgerError, Result};
use crate::store::ids;
use crate::store::ledger::{Actor, Ledger};
use crate::store::sql;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct HouseholdMember {
    pub id: Option<i64>,
    pub name: String,
    pub kana: String,
    pub relation: String,
    pub birthday: Option<String>,
    pub joint_name: bool,
}

pub(crate) fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<HouseholdMember>> {
    let rows = sql::rows(
        conn,
        "SELECT id, name, kana, relation, birthday, joint_name FROM household_members
         WHERE customer_id = ?1 ORDER BY position, id",
        [customer_id],
        |r| {
            Ok(HouseholdMember {
                id: r.get(0)?,
                name: r.get(1)?,
                kana: r.get(2)?,
                relation: r.get(3)?,
                birthday: r.get(4)?,
                joint_name: r.get(5)?,
            })
        },
    )?;
    Ok(rows)
}

fn describe(members: &[HouseholdMember]) -> String {
    members
        .iter()
        .map(|m| {
            format!(
                "{}（{}）{}",
                m.name,
                m.relation,
                if m.joint_name { "連名" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("、")
}

pub(crate) fn validated(members: &[HouseholdMember]) -> Result<Vec<HouseholdMember>> {
    let mut errors = Vec::new();
    let cleaned = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let name = daicho_text::collapse_spaces(&m.name);
            if name.is_empty() {
                errors.push(FieldError::new(
                    &format!("members.{i}.name"),
                    format!("{}人目の家族の氏名を入力してください。", i + 1),
                ));
            }
            if let Some(problem) = m
                .birthday
                .as_deref()
                .and_then(|d| date_problem(d, "家族の生年月日"))
            {
                errors.push(FieldError::new(&format!("members.{i}.birthday"), problem));
            }
            HouseholdMember {
                id: m.id,
                name,
                kana: daicho_text::kana::normalize_kana(&m.kana),
                relation: m.relation.trim().to_string(),
                birthday: m.birthday.clone().filter(|d| !d.trim().is_empty()),
                joint_name: m.joint_name,
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(cleaned)
    } else {
        Err(LedgerError::Invalid(errors))
    }
}

pub(crate) fn replace(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    members: &[HouseholdMember],
) -> Result<()> {
    let members = validated(members)?;
    let before = of_customer(tx, customer_id)?;
    tx.execute(
        "DELETE FROM household_members WHERE customer_id = ?1",
        [customer_id],
    )?;
    for (position, m) in members.iter().enumerate() {
        tx.execute(
            "INSERT INTO household_members \
             (id, customer_id, name, kana, relation, birthday, joint_name, position) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ids::next_id(tx, "household_members")?,
                customer_id,
                m.name,
                m.kana,
                m.relation,
                m.birthday,
                m.joint_name,
                position as i64
            ],
        )?;
    }
    let (old, new) = (describe(&before), describe(&members));
    if old != new {
        changelog::record_customer(
            tx,
            actor,
            customer_id,
            &[Change::new("members", Some(old), Some(new))],
        )?;
    }
    Ok(())
}

impl Ledger {
    pub fn set_household(
        &mut self,
        actor: &Actor,
        customer_id: i64,
        members: &[HouseholdMember],
    ) -> Result<Vec<HouseholdMember>> {
        if !self.sees_sensitive()? {
            return Err(self.refuse_sensitive());
        }
        self.write(Need::Customers, |tx| {
            crate::record::customers::touch(tx, customer_id)?;
            replace(tx, actor, customer_id, members)?;
            crate::record::customers::refresh_search_key(tx, customer_id)?;
            of_customer(tx, customer_id)
        })
    }
}
