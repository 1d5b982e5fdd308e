-- Schema 9: "Jansen, A." — the initials are in the name index, so that narrowing a common
-- surname by initials is decided on the index entries without reading every Jansen's row.
CREATE INDEX customers_search_name_initials ON customers(search_name, birth_date, initials);
