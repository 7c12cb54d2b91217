//! The record an erasure leaves in the change log (who, when, why; no
//! personal data), read by the erasure's own report and by the referral
//! network, which names an erased referrer as such.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::store::error::Result;

/// How a referral to an erased customer is shown (紹介者).
pub const ERASED_NAME: &str = "（消去済み）";

/// The change-log field of an erasure record. The record's row has no
/// customer_id (nothing of the person is left to attach it to) and holds
/// the reason as its new value.
pub(crate) const ERASED_FIELD: &str = "erased";

/// The record an erasure leaves: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Erasure {
    pub customer_id: i64,
    pub erased_at: String,
    pub staff_name: Option<String>,
    pub reason: String,
}

/// SQL: the erasure records (`?1` is `ERASED_FIELD`), read by `read_erasure`.
pub(crate) const ERASURES: &str =
    "SELECT cl.entity_id, cl.changed_at, s.name, coalesce(cl.new_value, '')
     FROM change_log cl LEFT JOIN staff s ON s.id = cl.staff_id
     WHERE cl.entity = 'customer' AND cl.field = ?1";

pub(crate) fn erasure_in(conn: &Connection, id: i64) -> Result<Option<Erasure>> {
    Ok(conn
        .query_row(
            &format!(
                "{ERASURES} AND cl.entity_id = ?2 ORDER BY cl.changed_at DESC, cl.id DESC LIMIT 1"
            ),
            params![ERASED_FIELD, id],
            read_erasure,
        )
        .optional()?)
}

pub(crate) fn read_erasure(r: &rusqlite::Row) -> rusqlite::Result<Erasure> {
    Ok(Erasure {
        customer_id: r.get(0)?,
        erased_at: r.get(1)?,
        staff_name: r.get(2)?,
        reason: r.get(3)?,
    })
}

/// The erased customer who referred `customer_id`, if that is why its
/// referrer is empty: the newest change of its referrer is the erasure's.
pub(crate) fn erased_referrer(conn: &Connection, customer_id: i64) -> Result<Option<i64>> {
    let last: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT old_value, new_value FROM change_log \
             WHERE customer_id = ?1 AND field = 'referrer_id' \
             ORDER BY changed_at DESC, id DESC LIMIT 1",
            [customer_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((Some(old), None)) = last else {
        return Ok(None);
    };
    let Ok(old) = old.parse::<i64>() else {
        return Ok(None);
    };
    Ok(erasure_in(conn, old)?.map(|e| e.customer_id))
}
