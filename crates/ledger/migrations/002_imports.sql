-- Import batches: which file, who, what it did; undo replays change_log rows
-- tagged with the batch id.
CREATE TABLE import_batches (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    rows         INTEGER NOT NULL DEFAULT 0,
    created      INTEGER NOT NULL DEFAULT 0,
    merged       INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    warnings     INTEGER NOT NULL DEFAULT 0,
    undone_at    TEXT
);

-- No foreign key to customers: undoing a batch deletes the customers it created.
CREATE TABLE import_batch_customers (
    batch_id     INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    customer_id  INTEGER NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('created', 'merged')),
    PRIMARY KEY (batch_id, customer_id)
) WITHOUT ROWID;

-- Column mappings saved by name, found again by the file's header layout.
CREATE TABLE saved_mappings (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    header_signature  TEXT NOT NULL,
    mapping           TEXT NOT NULL,
    saved_at          TEXT NOT NULL
);
CREATE INDEX saved_mappings_signature ON saved_mappings(header_signature);
