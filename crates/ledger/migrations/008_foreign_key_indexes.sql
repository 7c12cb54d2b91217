-- Indexes on the child side of foreign keys that had none. Without them,
-- saving a project (its open inspections are replaced), deleting a contact,
-- and deleting a customer (emptying the trash, undoing an import) each scan
-- a whole child table: found when generating a 100,000-customer ledger
-- slowed down quadratically.
CREATE INDEX tasks_project ON tasks(project_id) WHERE project_id IS NOT NULL;
CREATE INDEX tasks_contact ON tasks(contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX segment_members_customer ON segment_members(customer_id);
CREATE INDEX mailings_campaign ON mailings(campaign_id) WHERE campaign_id IS NOT NULL;
