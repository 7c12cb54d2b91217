-- After-care requests (アフター・クレーム対応, issue #17): an owner's request
-- from the call to done, with who handles it, by when, which partner, and
-- at closing its cause, so the office learns where problems come from.
-- The three lists are the office's own (editable, retired not deleted);
-- a request keeps pointing at a retired entry.

CREATE TABLE request_categories (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position  INTEGER NOT NULL DEFAULT 0,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired = 0 OR retired = 1)
);
INSERT INTO request_categories (name, position) VALUES
    ('雨漏り', 1), ('水回り', 2), ('建具', 3), ('設備', 4), ('外装', 5),
    ('内装', 6), ('構造', 7), ('その他', 8);

CREATE TABLE request_causes (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position  INTEGER NOT NULL DEFAULT 0,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired = 0 OR retired = 1)
);
INSERT INTO request_causes (name, position) VALUES
    ('施工', 1), ('材料', 2), ('設計', 3), ('使用方法', 4), ('経年', 5), ('その他', 6);

-- 協力業者: starts empty, the office adds its own.
CREATE TABLE partners (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    position  INTEGER NOT NULL DEFAULT 0,
    retired   INTEGER NOT NULL DEFAULT 0 CHECK (retired = 0 OR retired = 1)
);

-- Dates are the office's local days (YYYY-MM-DD). `contact_id` is the
-- contact (クレーム, 点検) the request was made from; the visits and work
-- done later are contacts pointing here through contacts.request_id.
-- Value lists are comparisons, not IN lists (see 009).
CREATE TABLE service_requests (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    project_id    INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    contact_id    INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    received_on   TEXT NOT NULL CHECK (received_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    channel       TEXT NOT NULL CHECK (channel = 'phone' OR channel = 'visit' OR channel = 'inspection' OR channel = 'email' OR channel = 'other'),
    category_id   INTEGER NOT NULL REFERENCES request_categories(id),
    complaint     TEXT NOT NULL DEFAULT '',
    urgency       TEXT NOT NULL DEFAULT 'normal' CHECK (urgency = 'normal' OR urgency = 'urgent' OR urgency = 'emergency'),
    staff_id      INTEGER REFERENCES staff(id) ON DELETE SET NULL,
    due_on        TEXT CHECK (due_on IS NULL OR due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status        TEXT NOT NULL DEFAULT 'received' CHECK (status = 'received' OR status = 'arranging' OR status = 'in_progress' OR status = 'on_hold' OR status = 'done'),
    partner_id    INTEGER REFERENCES partners(id) ON DELETE SET NULL,
    cost_yen      INTEGER CHECK (cost_yen IS NULL OR cost_yen >= 0),
    cause_id      INTEGER REFERENCES request_causes(id),
    resolution    TEXT NOT NULL DEFAULT '',
    satisfaction  INTEGER CHECK (satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)),
    closed_on     TEXT CHECK (closed_on IS NULL OR closed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- Closed exactly when done, and a closed request has its cause.
    CHECK ((status = 'done') = (closed_on IS NOT NULL)),
    CHECK (status <> 'done' OR cause_id IS NOT NULL)
);
CREATE INDEX service_requests_customer ON service_requests(customer_id);
CREATE INDEX service_requests_project ON service_requests(project_id) WHERE project_id IS NOT NULL;
CREATE INDEX service_requests_contact ON service_requests(contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX service_requests_open ON service_requests(due_on) WHERE status <> 'done';
CREATE INDEX service_requests_staff ON service_requests(staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX service_requests_category ON service_requests(category_id);
CREATE INDEX service_requests_cause ON service_requests(cause_id) WHERE cause_id IS NOT NULL;
CREATE INDEX service_requests_partner ON service_requests(partner_id) WHERE partner_id IS NOT NULL;
CREATE INDEX service_requests_received ON service_requests(received_on);

ALTER TABLE contacts ADD COLUMN request_id INTEGER REFERENCES service_requests(id) ON DELETE SET NULL;
CREATE INDEX contacts_request ON contacts(request_id) WHERE request_id IS NOT NULL;
