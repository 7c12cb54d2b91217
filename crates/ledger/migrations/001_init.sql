-- Daichō ledger, schema version 1. (Ledger::open stamps the file's
-- application_id, which a migration transaction cannot set.)

CREATE TABLE staff (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kana      TEXT NOT NULL DEFAULT '',
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    position  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE statuses (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    stage       TEXT NOT NULL CHECK (stage IN ('inquiry','negotiation','nurture','contract','owner','stopped','lost')),
    dm_allowed  INTEGER NOT NULL DEFAULT 1 CHECK (dm_allowed IN (0, 1)),
    color       TEXT NOT NULL DEFAULT '#64748b',
    position    INTEGER NOT NULL,
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);

CREATE TABLE labels (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    color     TEXT NOT NULL DEFAULT '#0ea5e9',
    position  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE customers (
    id                    INTEGER PRIMARY KEY,
    family_name           TEXT NOT NULL CHECK (length(trim(family_name)) > 0),
    given_name            TEXT NOT NULL DEFAULT '',
    family_kana           TEXT NOT NULL DEFAULT '',
    given_kana            TEXT NOT NULL DEFAULT '',
    honorific             TEXT NOT NULL DEFAULT '様' CHECK (honorific IN ('様','御中')),
    company               TEXT NOT NULL DEFAULT '',
    department            TEXT NOT NULL DEFAULT '',
    gender                TEXT CHECK (gender IN ('male','female','other')),
    birthday              TEXT CHECK (birthday IS NULL OR birthday GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    postal_code           TEXT NOT NULL DEFAULT '' CHECK (postal_code = '' OR postal_code GLOB '[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
    prefecture            TEXT NOT NULL DEFAULT '',
    city                  TEXT NOT NULL DEFAULT '',
    address1              TEXT NOT NULL DEFAULT '',
    address2              TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    mobile                TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    source                TEXT NOT NULL DEFAULT '',
    staff_id              INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    build_timing          TEXT CHECK (build_timing IN ('now','within_year','two_three_years','undecided')),
    budget_man_yen        INTEGER CHECK (budget_man_yen IS NULL OR budget_man_yen >= 0),
    land                  TEXT CHECK (land IN ('owned','none','searching')),
    status_id             INTEGER NOT NULL REFERENCES statuses(id),
    grade                 TEXT CHECK (grade IN ('A','B','C','D')),
    dm_opt_out            INTEGER NOT NULL DEFAULT 0 CHECK (dm_opt_out IN (0, 1)),
    mail_returned_reason  TEXT NOT NULL DEFAULT '',
    mail_returned_on      TEXT,
    deceased              INTEGER NOT NULL DEFAULT 0 CHECK (deceased IN (0, 1)),
    moved                 INTEGER NOT NULL DEFAULT 0 CHECK (moved IN (0, 1)),
    notes                 TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT,
    -- Normalized text of every searchable field (daicho_text::search_key),
    -- fields separated by a newline so that no query spans two of them.
    search_key            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customers_status ON customers(status_id) WHERE deleted_at IS NULL;
CREATE INDEX customers_kana ON customers(family_kana, given_kana);
CREATE INDEX customers_postal ON customers(postal_code);
CREATE INDEX customers_updated ON customers(updated_at);
CREATE INDEX customers_staff ON customers(staff_id);

CREATE VIRTUAL TABLE customer_fts USING fts5(
    search_key,
    content = 'customers',
    content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customer_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customer_fts(customer_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_key ON customers BEGIN
    INSERT INTO customer_fts(customer_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO customer_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;

CREATE TABLE household_members (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kana         TEXT NOT NULL DEFAULT '',
    relation     TEXT NOT NULL DEFAULT '',
    birthday     TEXT CHECK (birthday IS NULL OR birthday GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    joint_name   INTEGER NOT NULL DEFAULT 0 CHECK (joint_name IN (0, 1)),
    position     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX household_members_customer ON household_members(customer_id);

CREATE TABLE customer_labels (
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    label_id     INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, label_id)
) WITHOUT ROWID;
CREATE INDEX customer_labels_label ON customer_labels(label_id);

CREATE TABLE status_history (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    from_status_id  INTEGER REFERENCES statuses(id),
    to_status_id    INTEGER NOT NULL REFERENCES statuses(id),
    changed_at      TEXT NOT NULL,
    staff_id        INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_history_customer ON status_history(customer_id, changed_at);
CREATE INDEX status_history_to ON status_history(to_status_id, changed_at);

-- One row per changed field of every write. Import undo replays it backwards.
CREATE TABLE change_log (
    id           INTEGER PRIMARY KEY,
    changed_at   TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    source       TEXT NOT NULL CHECK (source IN ('user','import','merge','system')),
    batch_id     INTEGER,
    entity       TEXT NOT NULL,
    entity_id    INTEGER NOT NULL,
    customer_id  INTEGER,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT
);
CREATE INDEX change_log_customer ON change_log(customer_id, changed_at);
CREATE INDEX change_log_batch ON change_log(batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
