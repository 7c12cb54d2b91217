-- DM export templates: which columns, in which order, under which headers.
-- `columns` is the mailing crate's JSON.
CREATE TABLE export_templates (
    name      TEXT PRIMARY KEY CHECK (length(trim(name)) > 0),
    columns   TEXT NOT NULL,
    saved_at  TEXT NOT NULL
) WITHOUT ROWID;
