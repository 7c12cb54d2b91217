//! Recomputing every customer's search key, when a migration changed the
//! rules of `daicho_text::search_key` (010: variant kanji). It runs after
//! every migration, on the schema the record's code reads.

use rusqlite::Transaction;

use crate::record::customers;
use crate::store::error::Result;
use crate::store::kv::{self, Local};
use crate::store::sql;

/// Whether a migration asked for the keys to be recomputed.
pub(crate) fn rekey_asked(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(kv::local_get(conn, Local::RekeySearch)?.is_some())
}

/// Recomputes every key, then rebuilds the search index in one pass instead
/// of once per customer (003_bulk_fts), and clears the request.
pub(crate) fn rekey(tx: &Transaction) -> Result<()> {
    kv::local_put(tx, Local::FtsBulk, "1")?;
    for id in sql::rows(tx, "SELECT id FROM customers", [], |r| r.get(0))? {
        customers::refresh_search_key(tx, id)?;
    }
    in_bulk(tx, || {
        tx.execute(
            "INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')",
            [],
        )?;
        tx.execute_batch(
            "INSERT INTO customer_grams(customer_grams) VALUES ('delete-all');
             INSERT INTO customer_grams(rowid, grams)
             SELECT id, daicho_grams(search_key) FROM customers WHERE deleted_at IS NULL;",
        )?;
        Ok(())
    })?;
    kv::local_delete(tx, Local::FtsBulk)?;
    kv::local_delete(tx, Local::RekeySearch)
}

/// Runs `fill`, which writes many customers into both search indexes at
/// once, with FTS5 holding 4 MB of terms before it writes a segment, then
/// SQLite's default again. At the default 1 MB a 100,000-row import wrote a
/// segment every few thousand customers and merged them as they piled up:
/// 4 MB built both indexes about 0.2 s faster (8 MB 0.05 s more for 5 MB
/// more at the import's peak, 32 MB nothing). Other writes keep the default.
pub(crate) fn in_bulk(tx: &Transaction, fill: impl FnOnce() -> Result<()>) -> Result<()> {
    hash_size(tx, BULK_HASH)?;
    fill()?;
    hash_size(tx, FTS5_DEFAULT_HASH)
}

const BULK_HASH: i64 = 4 << 20;
/// SQLite's own default (`FTS5_DEFAULT_HASHSIZE`).
const FTS5_DEFAULT_HASH: i64 = 1 << 20;

fn hash_size(tx: &Transaction, bytes: i64) -> Result<()> {
    for table in ["customer_fts", "customer_grams"] {
        tx.execute(
            &format!("INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?1)"),
            [bytes],
        )?;
    }
    Ok(())
}

/// The short-search index's tokens for a search key (migration 015): one
/// for each character (`u` and its UTF-8 in hex) and one for each pair of
/// neighbouring characters within a field (`b` and the pair's hex), so a
/// query of one or two characters is exactly one token. Hex keeps every
/// token plain ASCII letters and digits, which the `ascii` tokenizer never
/// splits.
pub(crate) fn grams(search_key: &str) -> String {
    // Written straight into one string: a bulk import makes these for every
    // customer it adds. A token met twice is harmless to the index.
    let mut out = String::with_capacity(search_key.len() * 10);
    for field in search_key.split('\n') {
        let mut previous = None;
        for (at, c) in field.char_indices() {
            let end = at + c.len_utf8();
            push_token(&mut out, 'u', &field[at..end]);
            if let Some(start) = previous {
                push_token(&mut out, 'b', &field[start..end]);
            }
            previous = Some(at);
        }
    }
    out
}

/// The token a query's search key of one or two characters is found by.
pub(crate) fn gram_token(query_key: &str) -> Option<String> {
    let count = query_key.chars().count();
    (1..=2).contains(&count).then(|| {
        let mut token = String::new();
        push_token(&mut token, if count == 1 { 'u' } else { 'b' }, query_key);
        token
    })
}

/// Appends ` kHEX`: the kind letter and the text's UTF-8 in hex.
fn push_token(out: &mut String, kind: char, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    if !out.is_empty() {
        out.push(' ');
    }
    out.push(kind);
    for byte in text.bytes() {
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 15)] as char);
    }
}

/// Registers daicho_grams(search_key) on a connection: pure, so SQLite may
/// run it in triggers and the schema.
pub(crate) fn register_grams(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "daicho_grams",
        1,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| Ok(grams(&ctx.get::<String>(0)?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_two_characters_are_one_token_and_never_span_fields() {
        let tokens = grams("ヤマダ\n03");
        for query in ["ヤ", "マダ", "0", "03"] {
            let token = gram_token(query).unwrap();
            assert!(tokens.split(' ').any(|t| t == token), "{query}");
        }
        let across = gram_token("ダ0").unwrap();
        assert!(!tokens.split(' ').any(|t| t == across));
        assert_eq!(gram_token("ヤマダ"), None);
        assert!(tokens
            .bytes()
            .all(|b| b == b' ' || b.is_ascii_alphanumeric()));
    }
}
