-- Schema 15: one way to hand out numbers (issue 17). Card numbers from "V" (per branch), actor
-- ids of new customers, the document codes of mandate forms and the kenmerken of a customer's
-- mandates (per actor id) come from a row here, advanced inside the caller's write transaction
-- (store/counters.py: UPDATE ... RETURNING value): never read-then-write, so two counters never
-- get the same number, on SQLite (one writer at a time) and on PostgreSQL (the row is locked
-- until the commit). value is the last number handed out.
--   card:<branch code>   the 8-digit sequence of the branch's card numbers (was branches.card_seq)
--   actor_id             the last actor id given to a new customer (300000 before the first)
--   document_code        the sequence in the document code (was the setting document_code_seq)
--   kenmerk:<actor id>   the number of the actor's last mandate (381847-001: 1)
CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);

INSERT INTO counters(name, value) SELECT 'card:' || code, card_seq FROM branches;
INSERT INTO counters(name, value) SELECT 'actor_id', COALESCE(MAX(actor_id), 300000) FROM customers;
INSERT INTO counters(name, value)
    SELECT 'document_code', COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM settings
    WHERE key = 'document_code_seq';
INSERT INTO counters(name, value)
    SELECT 'kenmerk:' || c.actor_id, COUNT(*) FROM mandates m JOIN customers c ON c.id = m.customer_id
    GROUP BY c.actor_id;

DELETE FROM settings WHERE key = 'document_code_seq';
ALTER TABLE branches DROP COLUMN card_seq;
