-- Who may do what (issue #18): each staff member's role and, when the
-- office turns sign-in on, their PIN; and the record of every file that
-- left with customer data (the printer entrustment record the privacy law
-- expects), with erasures and restores.

-- Existing staff keep every right they had: an office that starts using
-- roles gives each person theirs when it turns sign-in on.
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'sales', 'office', 'read_only'));
-- An Argon2id hash in its PHC string form; NULL until a PIN is set.
ALTER TABLE staff ADD COLUMN pin_hash TEXT;

-- 社外秘 notes: seen only by the roles the office chooses, like birthdays
-- and family members; never imported and never in a DM list.
ALTER TABLE customers ADD COLUMN confidential_notes TEXT NOT NULL DEFAULT '';

-- The name and role are copied in, not looked up: the record must still
-- say who it was after the member is renamed or leaves.
CREATE TABLE export_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    staff_id    INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    staff_name  TEXT NOT NULL,
    role        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('dm_list', 'report', 'partner_sheet',
                    'disclosure', 'backup', 'erasure', 'restore')),
    file_name   TEXT NOT NULL DEFAULT '',
    people      INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
    segment     TEXT NOT NULL DEFAULT '',
    sha256      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX export_log_at ON export_log (at);
CREATE INDEX export_log_staff ON export_log (staff_id);

-- The DM lists already written are the record's start.
INSERT INTO export_log (at, staff_id, staff_name, role, kind, file_name, people, segment, sha256)
SELECT m.exported_at, m.staff_id, coalesce(s.name, ''), coalesce(s.role, ''), 'dm_list',
       m.file_name, m.rows, m.segment, m.sha256
FROM mailings m LEFT JOIN staff s ON s.id = m.staff_id
ORDER BY m.id;
