-- FTS5 flushes its pending index at every statement savepoint, i.e. once
-- per customer written. A bulk import sets 'fts_bulk' in settings inside its
-- transaction; these triggers then stand aside and the import indexes what
-- it wrote in one pass before it commits (import.rs).
DROP TRIGGER customers_fts_insert;
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers
WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'fts_bulk')
BEGIN
    INSERT INTO customer_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;

DROP TRIGGER customers_fts_update;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_key ON customers
WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'fts_bulk')
BEGIN
    INSERT INTO customer_fts(customer_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO customer_fts(rowid, search_key) VALUES (new.id, new.search_key);
END;
