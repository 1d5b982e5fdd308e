-- Schema 15: one way to hand out numbers (issue 17): see ../0015_counters.sql. On PostgreSQL
-- the UPDATE ... RETURNING value of store/counters.py locks the counter's row until the
-- caller's transaction ends, so a second counter asking for the next number waits for it.
-- value is BIGINT: document code sequences run past 2^31.
CREATE TABLE counters (
    name   TEXT COLLATE "C" PRIMARY KEY,
    value  BIGINT NOT NULL
);

INSERT INTO counters(name, value) SELECT 'card:' || code, card_seq FROM branches;
INSERT INTO counters(name, value) SELECT 'actor_id', COALESCE(MAX(actor_id), 300000) FROM customers;
INSERT INTO counters(name, value)
    SELECT 'document_code', COALESCE(MAX(CAST(value AS BIGINT)), 0) FROM settings
    WHERE key = 'document_code_seq';
INSERT INTO counters(name, value)
    SELECT 'kenmerk:' || c.actor_id, COUNT(*) FROM mandates m JOIN customers c ON c.id = m.customer_id
    GROUP BY c.actor_id;

DELETE FROM settings WHERE key = 'document_code_seq';
ALTER TABLE branches DROP COLUMN card_seq;
