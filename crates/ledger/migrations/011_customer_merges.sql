-- Merging two records of one person found in the ledger (重複の候補), and
-- undoing it. `kept_before` and `merged_before` hold both customer rows as
-- they were (every column, as JSON); `kept_after` the survivor right after,
-- so that an undo puts back only the columns nobody has changed since;
-- `moved` lists the rows that pointed at the merged-away customer and now
-- point at the survivor, table by table, so that an undo sends back exactly
-- those. No foreign key to customers: the merged-away record is deleted.
CREATE TABLE customer_merges (
    id             INTEGER PRIMARY KEY,
    merged_at      TEXT NOT NULL,
    staff_id       INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    kept_id        INTEGER NOT NULL,
    merged_id      INTEGER NOT NULL,
    kept_before    TEXT NOT NULL,
    kept_after     TEXT NOT NULL,
    merged_before  TEXT NOT NULL,
    moved          TEXT NOT NULL,
    undone_at      TEXT
);
CREATE INDEX customer_merges_kept ON customer_merges(kept_id);

-- Pairs the office said are two different people (同姓同名の別人 at one
-- address, a shared family e-mail), kept out of the candidates; `low_id` is
-- the smaller customer id. Deleting either customer forgets the pair.
CREATE TABLE distinct_customers (
    low_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    high_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    marked_at  TEXT NOT NULL,
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
) WITHOUT ROWID;
CREATE INDEX distinct_customers_high ON distinct_customers(high_id);
