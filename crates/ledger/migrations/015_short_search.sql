-- Search as you type at one and two characters (issue 22). The trigram
-- index cannot match fewer than three characters, and a scan of every
-- search key took 80–220 ms at 100,000 customers. This index holds, for
-- every customer not in the trash, one token per character and per pair of
-- characters of the search key (`record::search::grams`, through the
-- daicho_grams() function every connection registers), so a one- or two-
-- character query is one token. It keeps no copy of the text (contentless)
-- and no positions (detail=none): about 9 MB at 100,000 customers.
CREATE VIRTUAL TABLE customer_grams USING fts5(
    grams,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii',
    detail = none
);

CREATE TRIGGER customers_grams_insert AFTER INSERT ON customers
WHEN new.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM local_settings WHERE key = 'fts_bulk')
BEGIN
    INSERT INTO customer_grams(rowid, grams) VALUES (new.id, daicho_grams(new.search_key));
END;

CREATE TRIGGER customers_grams_delete AFTER DELETE ON customers BEGIN
    DELETE FROM customer_grams WHERE rowid = old.id;
END;

-- Trash and restore move a customer out of the index and back, so that the
-- index alone counts a query's live customers.
CREATE TRIGGER customers_grams_update AFTER UPDATE OF search_key, deleted_at ON customers
WHEN NOT EXISTS (SELECT 1 FROM local_settings WHERE key = 'fts_bulk')
BEGIN
    DELETE FROM customer_grams WHERE rowid = old.id;
    INSERT INTO customer_grams(rowid, grams)
    SELECT new.id, daicho_grams(new.search_key) WHERE new.deleted_at IS NULL;
END;

INSERT INTO customer_grams(rowid, grams)
SELECT id, daicho_grams(search_key) FROM customers WHERE deleted_at IS NULL;
