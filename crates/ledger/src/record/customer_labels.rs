//! Which labels a customer has: set from the form, the import and the
//! sample data, each change logged on the customer.

use rusqlite::{params, Connection, Transaction};

use crate::record::changelog::{self, Change};
use crate::reference::labels::{list_in, Label};
use crate::store::access::Need;
use crate::store::error::{LedgerError, Result};
use crate::store::ledger::{Actor, Ledger};
use crate::store::sql;

/// The labels of one customer, in label order.
pub(crate) fn of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Label>> {
    let rows = sql::rows(
        conn,
        "SELECT l.id, l.name, l.color FROM customer_labels cl JOIN labels l ON l.id = cl.label_id
         WHERE cl.customer_id = ?1 ORDER BY l.position, l.id",
        [customer_id],
        Label::from_row,
    )?;
    Ok(rows)
}

/// Sets the labels of a customer and logs what was added and removed.
pub(crate) fn set_for_customer(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    label_ids: &[i64],
) -> Result<()> {
    let before = of_customer(tx, customer_id)?;
    let known = list_in(tx)?;
    let mut wanted: Vec<&Label> = Vec::new();
    for id in label_ids {
        let label = known
            .iter()
            .find(|l| l.id == *id)
            .ok_or(LedgerError::NotFound {
                entity: "ラベル",
                id: *id,
            })?;
        if !wanted.contains(&label) {
            wanted.push(label);
        }
    }
    let names = |labels: &[&Label]| {
        labels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let before_refs: Vec<&Label> = before.iter().collect();
    let (old, new) = (names(&before_refs), names(&wanted));
    if old == new {
        return Ok(());
    }
    tx.execute(
        "DELETE FROM customer_labels WHERE customer_id = ?1",
        [customer_id],
    )?;
    for label in &wanted {
        tx.execute(
            "INSERT INTO customer_labels (customer_id, label_id) VALUES (?1, ?2)",
            params![customer_id, label.id],
        )?;
    }
    changelog::record_customer(
        tx,
        actor,
        customer_id,
        &[Change::new("labels", Some(old), Some(new))],
    )
}

/// Gives a customer created in this transaction (so without labels yet)
/// its first label, logged as `set_for_customer` logs it.
pub(crate) fn add_to_new_customer(
    tx: &Transaction,
    actor: &Actor,
    customer_id: i64,
    (label_id, label_name): (i64, &str),
) -> Result<()> {
    tx.prepare_cached("INSERT INTO customer_labels (customer_id, label_id) VALUES (?1, ?2)")?
        .execute(params![customer_id, label_id])?;
    changelog::record_customer(
        tx,
        actor,
        customer_id,
        &[Change::new(
            "labels",
            Some(String::new()),
            Some(label_name.to_string()),
        )],
    )
}

impl Ledger {
    pub fn set_customer_labels(
        &mut self,
        actor: &Actor,
        customer_id: i64,
        label_ids: &[i64],
    ) -> Result<()> {
        self.write(Need::Customers, |tx| {
            crate::record::customers::touch(tx, customer_id)?;
            set_for_customer(tx, actor, customer_id, label_ids)
        })
    }
}
