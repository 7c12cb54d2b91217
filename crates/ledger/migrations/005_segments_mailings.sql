-- Saved segments (a typed filter, stored as JSON) and static lists (members
-- by hand), DM exports with their recipients.
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('dynamic', 'static')),
    filter      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE segment_members (
    segment_id   INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (segment_id, customer_id)
) WITHOUT ROWID;

CREATE TABLE mailings (
    id           INTEGER PRIMARY KEY,
    exported_at  TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    campaign     TEXT NOT NULL DEFAULT '',
    segment      TEXT NOT NULL,
    format       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    sha256       TEXT NOT NULL
);

CREATE TABLE mailing_recipients (
    mailing_id   INTEGER NOT NULL REFERENCES mailings(id) ON DELETE CASCADE,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (mailing_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX mailing_recipients_customer ON mailing_recipients(customer_id);
