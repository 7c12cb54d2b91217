-- The customer list's default order (kana, blanks last), as an index the
-- planner can walk: without it every page of a 100,000-customer list sorts
-- the whole table (query.rs order_by must stay in step with this).
CREATE INDEX customers_kana_order ON customers(family_kana = '', family_kana, given_kana, family_name, id);
