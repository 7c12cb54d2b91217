//! The baselines that both the whole-process benchmarks (`src/main.rs`) and
//! the criterion micro-benchmarks (`benches/micro.rs`) measure against.

use rusqlite::Connection;

/// A search as a plain `LIKE` scan over every searchable column, doing the
/// same work as the customer list: count the matches, then read the first
/// page of 200 in kana order. Returns the count and the page's length.
pub fn plain_like_search(conn: &Connection, text: &str) -> (i64, usize) {
    const FILTER: &str = "deleted_at IS NULL AND (family_name || given_name || family_kana || given_kana || phone || mobile || email || postal_code || prefecture || city || address1 || address2 || notes) LIKE '%' || ?1 || '%'";
    let total = conn
        .prepare_cached(&format!("SELECT count(*) FROM customers WHERE {FILTER}"))
        .unwrap()
        .query_row([text], |r| r.get(0))
        .unwrap();
    let page = conn
        .prepare_cached(&format!(
            "SELECT id FROM customers WHERE {FILTER} ORDER BY family_kana, given_kana LIMIT 200"
        ))
        .unwrap()
        .query_map([text], |r| r.get::<_, i64>(0))
        .unwrap()
        .count();
    (total, page)
}

/// SQLite alone handing over what a DM list prints, in its order: every
/// customer's name, company and address columns in postal-code order, each
/// value looked at once (no copy, no decoding into Rust strings). Returns
/// the bytes seen. No DM export can read its candidates faster than this.
pub fn postal_order_read(conn: &Connection) -> usize {
    let mut stmt = conn
        .prepare(
            "SELECT family_name, given_name, family_kana, given_kana, honorific, company,
                    department, postal_code, prefecture, city, address1, address2
             FROM customers WHERE deleted_at IS NULL ORDER BY postal_code, id",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut bytes = 0;
    while let Some(row) = rows.next().unwrap() {
        for i in 0..12 {
            bytes += row.get_ref(i).unwrap().as_bytes().map_or(0, <[u8]>::len);
        }
    }
    bytes
}
