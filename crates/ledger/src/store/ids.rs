//! Ids that never collide across the office's PCs (issue #19). Every PC
//! keeps a whole copy of the ledger and sends its new rows to the others,
//! so two PCs must never give two rows of one table the same id: each PC (a
//! device) takes its ids from a range of its own, `device << DEVICE_BITS`
//! up. The next id is the largest in this PC's range plus one, one seek on
//! the table's rowid B-tree, so there is no counter to keep or replicate.
//! The first PC is device 0: a one-PC office keeps the ids it always had.

use std::cell::RefCell;
use std::marker::PhantomData;

use rusqlite::{params, Connection, Transaction};

use crate::store::error::{LedgerError, Result};
use crate::store::kv::{self, Local};

/// The bits of an id that number a device's own rows: 2^40 rows per table
/// and PC, and room for 2^23 PCs below the sign bit.
pub const DEVICE_BITS: u32 = 40;

/// This PC's device number in `local_settings`; absent on the first PC.
pub(crate) const DEVICE_KEY: &str = "sync_device";

const RANGE: i64 = 1 << DEVICE_BITS;
const LAST_DEVICE: i64 = (1 << (63 - DEVICE_BITS)) - 1;

/// This PC's device number (0 until it joins an office as another PC).
pub(crate) fn device(conn: &Connection) -> Result<i64> {
    let Some(value) = kv::local_get(conn, Local::SyncDevice)? else {
        return Ok(0);
    };
    value
        .parse::<i64>()
        .ok()
        .filter(|d| (0..=LAST_DEVICE).contains(d))
        .ok_or_else(|| {
            LedgerError::Conflict(format!(
                "この PC の番号（{DEVICE_KEY} = {value}）が読めないため、新しい記録を書けません。"
            ))
        })
}

/// The id the next new row of `table` takes on this PC. `table` is one of
/// the crate's own table names, never text from outside. Inside
/// `count_up` it is counted in memory after the first.
pub(crate) fn next_id(conn: &Connection, table: &'static str) -> Result<i64> {
    let Some(device) = COUNTING.with_borrow(|run| run.as_ref().and_then(|r| r.device_for(conn)))
    else {
        return first_free(conn, device(conn)?, table);
    };
    let counted = COUNTING.with_borrow(|run| run.as_ref().and_then(|r| r.next_of(table)));
    let id = match counted {
        Some(id) => id,
        None => first_free(conn, device, table)?,
    };
    COUNTING.with_borrow_mut(|run| {
        if let Some(run) = run {
            run.set_next(table, id + 1);
        }
    });
    Ok(id)
}

/// The largest id of `table` in `device`'s range, plus one.
fn first_free(conn: &Connection, device: i64, table: &'static str) -> Result<i64> {
    let lo = device << DEVICE_BITS;
    let hi = lo + (RANGE - 1);
    let id: i64 = conn
        .prepare_cached(&format!(
            "SELECT coalesce(max(id), ?1) + 1 FROM {table} WHERE id BETWEEN ?1 AND ?2"
        ))?
        .query_row(params![lo, hi], |r| r.get(0))?;
    if id > hi {
        return Err(LedgerError::Conflict(format!(
            "{table} の番号をこの PC の範囲で使い切りました。"
        )));
    }
    Ok(id)
}

thread_local! {
    /// The ids a bulk write is counting up, while its `Counting` lives.
    static COUNTING: RefCell<Option<Run>> = const { RefCell::new(None) };
}

struct Run {
    /// The connection whose transaction counts (its address, only compared).
    conn: usize,
    device: i64,
    next: Vec<(&'static str, i64)>,
}

impl Run {
    fn device_for(&self, conn: &Connection) -> Option<i64> {
        (self.conn == address(conn)).then_some(self.device)
    }

    fn next_of(&self, table: &str) -> Option<i64> {
        self.next.iter().find(|(t, _)| *t == table).map(|&(_, n)| n)
    }

    fn set_next(&mut self, table: &'static str, id: i64) {
        match self.next.iter_mut().find(|(t, _)| *t == table) {
            Some(entry) => entry.1 = id,
            None => self.next.push((table, id)),
        }
    }
}

fn address(conn: &Connection) -> usize {
    std::ptr::from_ref(conn) as usize
}

/// While it lives, `next_id` on `tx` asks the file once per table and then
/// counts up: an import or the sample data writes thousands of rows in one
/// transaction, and no other connection can write while it is open, so
/// the count stays right. It lives no longer than the transaction.
pub(crate) struct Counting<'tx> {
    owner: bool,
    _tx: PhantomData<&'tx Transaction<'tx>>,
}

pub(crate) fn count_up<'tx>(tx: &'tx Transaction<'tx>) -> Result<Counting<'tx>> {
    let device = device(tx)?;
    let owner = COUNTING.with_borrow_mut(|run| {
        if run.is_some() {
            return false;
        }
        *run = Some(Run {
            conn: address(tx),
            device,
            next: Vec::new(),
        });
        true
    });
    Ok(Counting {
        owner,
        _tx: PhantomData,
    })
}

impl Drop for Counting<'_> {
    fn drop(&mut self) {
        if self.owner {
            COUNTING.set(None);
        }
    }
}

/// An id as the office reads it: `123` on the first PC, `3-17` for the
/// 17th row PC 3 made, never the raw number (3298534883345).
pub fn display(id: i64) -> String {
    let device = id >> DEVICE_BITS;
    if device <= 0 {
        return id.to_string();
    }
    format!("{device}-{}", id & (RANGE - 1))
}

/// An id as `display` writes it (full-width digits too), or a raw id as
/// `--json` gives it.
pub fn parse_display(text: &str) -> Option<i64> {
    let folded = daicho_text::fold_width(text.trim());
    let Some((device, n)) = folded.split_once('-') else {
        return folded.parse::<i64>().ok().filter(|&id| id > 0);
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(device) || !digits(n) {
        return None;
    }
    let device = device.parse::<i64>().ok()?;
    let n = n.parse::<i64>().ok()?;
    ((1..=LAST_DEVICE).contains(&device) && (0..RANGE).contains(&n))
        .then_some((device << DEVICE_BITS) + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_pc_shows_its_ids_as_they_always_were() {
        for id in [1, 2, 123, RANGE - 1] {
            assert_eq!(display(id), id.to_string());
            assert_eq!(parse_display(&display(id)), Some(id));
        }
    }

    #[test]
    fn another_pc_shows_its_number_and_its_count() {
        let id = (3 << DEVICE_BITS) + 17;
        assert_eq!(display(id), "3-17");
        assert_eq!(parse_display("3-17"), Some(id));
        assert_eq!(
            parse_display(" ３－１７ "),
            Some(id),
            "as typed in Japanese"
        );
        assert_eq!(parse_display(&id.to_string()), Some(id), "a raw id");
        let last = (LAST_DEVICE << DEVICE_BITS) + (RANGE - 1);
        assert_eq!(last, i64::MAX);
        assert_eq!(parse_display(&display(last)), Some(last));
    }

    #[test]
    fn what_is_not_an_id_is_refused() {
        for text in [
            "", "-", "0", "-3", "3-", "-17", "0-17", "3-+1", "a-1", "3-17-1", "1.5",
        ] {
            assert_eq!(parse_display(text), None, "{text}");
        }
        let past_last_device = format!("{}-1", LAST_DEVICE + 1);
        assert_eq!(parse_display(&past_last_device), None);
        assert_eq!(parse_display(&format!("3-{RANGE}")), None);
    }
}
