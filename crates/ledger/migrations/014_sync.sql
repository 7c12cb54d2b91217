-- Several PCs, one ledger (issue #19). Each PC keeps a full copy; every
-- write's changes travel as SQLite session changesets through the office
-- hub. This step separates what is this PC's own from what the office
-- shares, and adds the tables sync keeps in every copy.

-- This PC's own facts, never sent to the others: the person chosen here,
-- the second place for backups, the search index's requests and bulk mode,
-- and sync's bookkeeping (device number, hub, cursor).
CREATE TABLE local_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO local_settings (key, value)
    SELECT key, value FROM settings
    WHERE key IN ('current_staff_id', 'second_place', 'rekey_search', 'fts_bulk');
DELETE FROM settings
    WHERE key IN ('current_staff_id', 'second_place', 'rekey_search', 'fts_bulk');

-- The search index's triggers stand aside during a bulk import on this PC
-- (003); the flag is now this PC's own.
DROP TRIGGER customers_fts_insert;
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers
WHEN NOT EXISTS (SELECT 1 FROM local_settings WHERE key = 'fts_bulk')
BEGIN
    INSERT INTO customer_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;

DROP TRIGGER customers_fts_update;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_key ON customers
WHEN NOT EXISTS (SELECT 1 FROM local_settings WHERE key = 'fts_bulk')
BEGIN
    INSERT INTO customer_fts(customer_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO customer_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;

-- The changes this PC made and has not yet had taken by the hub, one
-- changeset per write, in the same transaction as the write itself.
-- AUTOINCREMENT: a seq is never given twice, even after the outbox has been
-- emptied, because the hub drops a (device, seq) it has already taken.
CREATE TABLE sync_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    staff_id   INTEGER,
    changeset  BLOB NOT NULL
);

-- The PCs of the office, as the hub registered them (replicated): who
-- "PC 3" is when a conflict names it.
CREATE TABLE sync_devices (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('hub', 'pc')),
    joined_at  TEXT NOT NULL,
    left_at    TEXT
);

-- A field two PCs changed at the same time (replicated; written by the
-- hub). base is the value both started from; a is the value in effect
-- before b arrived, b the one that arrived later. `kept` says what the hub
-- put in effect: b (arrival order), both (notes keep both texts), or
-- sticky (a DM stop, deceased or moved flag that sync never undoes).
-- The values keep SQLite's own types, so the columns have none (row_id
-- too: the office settings are keyed by name).
CREATE TABLE sync_conflicts (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    table_name   TEXT NOT NULL,
    row_id       NOT NULL,
    customer_id  INTEGER,
    field        TEXT NOT NULL,
    base,
    a,
    a_device     INTEGER,
    a_staff_id   INTEGER,
    a_at         TEXT,
    b,
    b_device     INTEGER,
    b_staff_id   INTEGER,
    b_at         TEXT,
    kept         TEXT NOT NULL CHECK (kept IN ('b', 'both', 'sticky', 'rejected')),
    resolved_at  TEXT,
    resolved_by  INTEGER
);
CREATE INDEX sync_conflicts_open ON sync_conflicts (customer_id) WHERE resolved_at IS NULL;
