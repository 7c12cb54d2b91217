-- Follow-up work: contacts (対応履歴) with next actions, projects (案件)
-- with their after-care tasks, campaigns, referrals, lost reasons and
-- monthly targets.

CREATE TABLE contact_kinds (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position  INTEGER NOT NULL DEFAULT 0,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
);
INSERT INTO contact_kinds (name, position) VALUES
    ('来場', 1), ('訪問', 2), ('電話', 3), ('メール', 4), ('DM', 5),
    ('イベント', 6), ('点検', 7), ('クレーム', 8), ('その他', 9);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    kind        TEXT NOT NULL DEFAULT '',
    held_on     TEXT CHECK (held_on IS NULL OR held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    cost_yen    INTEGER NOT NULL DEFAULT 0 CHECK (cost_yen >= 0),
    created_at  TEXT NOT NULL
);

ALTER TABLE customers ADD COLUMN referrer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL;
ALTER TABLE customers ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL;
CREATE INDEX customers_referrer ON customers(referrer_id) WHERE referrer_id IS NOT NULL;
CREATE INDEX customers_campaign ON customers(campaign_id) WHERE campaign_id IS NOT NULL;
CREATE INDEX customers_created ON customers(created_at);

-- `at` is the office's local time, 'YYYY-MM-DD HH:MM'.
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind_id      INTEGER NOT NULL REFERENCES contact_kinds(id),
    at           TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]'),
    staff_id     INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX contacts_customer ON contacts(customer_id, at);
CREATE INDEX contacts_at ON contacts(at);

CREATE TABLE projects (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('new_build', 'renovation', 'other')),
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    amount_yen     INTEGER CHECK (amount_yen IS NULL OR amount_yen >= 0),
    contract_on    TEXT,
    start_on       TEXT,
    completion_on  TEXT,
    handover_on    TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX projects_customer ON projects(customer_id);
CREATE INDEX projects_contract ON projects(contract_on) WHERE contract_on IS NOT NULL;
CREATE INDEX projects_handover ON projects(handover_on) WHERE handover_on IS NOT NULL;

-- Dated follow-ups: next actions from contacts and after-care inspections
-- from a handover. Done tasks stay as history.
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('next_action', 'inspection')),
    due_on       TEXT NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    project_id   INTEGER REFERENCES projects(id) ON DELETE CASCADE,
    contact_id   INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    done_at      TEXT,
    done_by      INTEGER REFERENCES staff(id) ON DELETE SET NULL
);
CREATE INDEX tasks_open ON tasks(due_on) WHERE done_at IS NULL;
CREATE INDEX tasks_customer ON tasks(customer_id);

ALTER TABLE status_history ADD COLUMN lost_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE mailings ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id) ON DELETE SET NULL;

CREATE TABLE monthly_targets (
    month        TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
    inquiries    INTEGER NOT NULL DEFAULT 0 CHECK (inquiries >= 0),
    negotiations INTEGER NOT NULL DEFAULT 0 CHECK (negotiations >= 0),
    contracts    INTEGER NOT NULL DEFAULT 0 CHECK (contracts >= 0),
    amount_yen   INTEGER NOT NULL DEFAULT 0 CHECK (amount_yen >= 0)
) WITHOUT ROWID;
