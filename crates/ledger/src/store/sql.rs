//! SQL helpers every table uses, so that the row loop, the existence check
//! and the placeholder list are written once (as Mozilla's `support/sql`).
//! Table names passed here are the crate's own constants, never text from
//! outside; values are always bound parameters.

use rusqlite::{Connection, OptionalExtension, Params, Row};

use crate::store::error::{FieldError, LedgerError, Result};

/// Every row of `sql` mapped by `map`, prepared through the statement cache.
pub(crate) fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map(params, map)?
        .collect::<rusqlite::Result<_>>()?)
}

/// An UPDATE or DELETE of one row by id that changed `changed` rows: none
/// means there is no such `entity` (ラベル, ステータス …).
pub(crate) fn found(changed: usize, entity: &'static str, id: i64) -> Result<()> {
    if changed == 0 {
        return Err(LedgerError::NotFound { entity, id });
    }
    Ok(())
}

/// Whether `table` has a row with this id.
pub(crate) fn exists(conn: &Connection, table: &'static str, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// `?1, ?2, …, ?n` after `skip` earlier parameters: the list an `IN (…)`
/// binds its values to.
pub(crate) fn placeholders(skip: usize, n: usize) -> String {
    (skip + 1..=skip + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses a name that another row of `table` already has. `table` is one
/// of the crate's own table names, never text from outside; `what` names
/// the thing in the message (ラベル, ステータス …).
pub(crate) fn name_free(
    conn: &Connection,
    table: &'static str,
    what: &str,
    name: &str,
    own_id: Option<i64>,
) -> Result<()> {
    let clash: Option<i64> = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE name = ?1"))?
        .query_row([name], |r| r.get(0))
        .optional()?;
    if clash.is_some() && clash != own_id {
        return Err(LedgerError::Invalid(vec![FieldError::new(
            "name",
            format!("「{name}」という{what}は既にあります。"),
        )]));
    }
    Ok(())
}

/// Runs `bulk` with the secondary indexes of `tables` dropped, then builds
/// each again from its stored definition. SQLite builds an index from
/// sorted rows in one pass, several times faster than it keeps the index up
/// to date row by row through a bulk insert (issue 22). Unique indexes stay:
/// they are constraints. Inside the caller's transaction, so a failure or a
/// cancel rolls the drops back with the rows. Only for work that reads the
/// tables by rowid while it runs: any other lookup would scan. `built` is
/// called after each index (an import reports progress and may cancel).
pub(crate) fn indexes_built_after<T>(
    tx: &rusqlite::Transaction,
    tables: &[&'static str],
    bulk: impl FnOnce() -> Result<T>,
    mut built: impl FnMut() -> Result<()>,
) -> Result<T> {
    let mut definitions: Vec<(String, String)> = Vec::new();
    for table in tables {
        definitions.extend(rows(
            tx,
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL
               AND sql NOT LIKE 'CREATE UNIQUE%'",
            [table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?);
    }
    for (name, _) in &definitions {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    let outcome = bulk()?;
    for (_, sql) in &definitions {
        tx.execute_batch(sql)?;
        built()?;
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_earlier_parameters() {
        assert_eq!(placeholders(0, 3), "?1, ?2, ?3");
        assert_eq!(placeholders(2, 2), "?3, ?4");
        assert_eq!(placeholders(0, 0), "");
    }

    #[test]
    fn rows_and_exists_read_through_the_cache() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); \
             INSERT INTO t VALUES (1, 'a'), (2, 'b');",
        )
        .unwrap();
        let values = rows(
            &conn,
            "SELECT v FROM t WHERE id >= ?1 ORDER BY id",
            [1],
            |r| r.get::<_, String>(0),
        )
        .unwrap();
        assert_eq!(values, ["a", "b"]);
        assert!(exists(&conn, "t", 2).unwrap());
        assert!(!exists(&conn, "t", 3).unwrap());
    }
}
