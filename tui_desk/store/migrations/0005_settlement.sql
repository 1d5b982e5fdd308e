-- Schema 5: step 4 (Afrekenen nieuwe lener) and Financieel ▸ Kas — payments at a register, how a
-- payment is spread over invoices, waivers (kwijtschelding), registrations of open amounts with
-- their contribution letters, and cash-ups (kasopmaak).
--
-- What an invoice still needs (its outstanding amount) is computed, never stored:
--   contributie: amount - discount - paid (payment_allocations) - set off by credit notes
--                (credit_set_offs.invoice_id) - waived (waivers)
--   creditnota:  amount (negative) + set off against invoices (credit_set_offs.credit_invoice_id)
-- An invoice stays 'open' until nothing is outstanding; then 'paid' (also a credit note used
-- up) or 'waived' (when a waiver settled the last part).
-- Registreren does not touch customers.balance_cents (tegoed): the registered amount is the
-- outstanding amount of the invoices with a row in open_registrations (Wise's "registratie").

-- A payment received at a register. Cash: tendered = amount + change. PIN: no tendered, no change.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    register_id     INTEGER NOT NULL REFERENCES cash_registers(id),
    method          TEXT NOT NULL CHECK (method IN ('kas', 'pin')),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    tendered_cents  INTEGER,
    change_cents    INTEGER NOT NULL DEFAULT 0 CHECK (change_cents >= 0),
    staff_id        INTEGER NOT NULL REFERENCES staff(id),
    at              TEXT NOT NULL,
    -- the settlement session (one screen at the desk) the payment was made in
    session_id      TEXT NOT NULL,
    CHECK ((method = 'kas' AND tendered_cents = amount_cents + change_cents)
        OR (method = 'pin' AND tendered_cents IS NULL AND change_cents = 0))
);
CREATE INDEX payments_register ON payments(register_id, at);
CREATE INDEX payments_customer ON payments(customer_id, at);

-- Which invoices a payment paid, and how much of each (oldest first; the last may be partly paid).
CREATE TABLE payment_allocations (
    id            INTEGER PRIMARY KEY,
    payment_id    INTEGER NOT NULL REFERENCES payments(id),
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0)
);
CREATE INDEX payment_allocations_invoice ON payment_allocations(invoice_id);
CREATE INDEX payment_allocations_payment ON payment_allocations(payment_id);

-- An open credit note set off against an open invoice (before a payment, waiver or registration).
CREATE TABLE credit_set_offs (
    id                 INTEGER PRIMARY KEY,
    credit_invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
    invoice_id         INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
    at                 TEXT NOT NULL,
    staff_id           INTEGER REFERENCES staff(id)
);
CREATE INDEX credit_set_offs_credit ON credit_set_offs(credit_invoice_id);
CREATE INDEX credit_set_offs_invoice ON credit_set_offs(invoice_id);

-- Kwijtschelding: booked apart from payments, one row per invoice waived.
CREATE TABLE waivers (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    reason_code   TEXT NOT NULL,            -- data/waive_reasons.toml
    reason        TEXT NOT NULL,            -- its label when waived
    note          TEXT NOT NULL DEFAULT '',
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    at            TEXT NOT NULL,
    session_id    TEXT NOT NULL
);
CREATE INDEX waivers_invoice ON waivers(invoice_id);
CREATE INDEX waivers_customer ON waivers(customer_id, at);

-- A contributiebrief: sent by e-mail through the outbox, or listed for the postal batch.
CREATE TABLE contribution_letters (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    created_at     TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('email', 'post')),
    to_addr        TEXT NOT NULL DEFAULT '',
    subject        TEXT NOT NULL,
    body_text      TEXT NOT NULL,            -- the letter as sent or to be printed
    mail_id        INTEGER REFERENCES mail_outbox(id),
    -- post only: 'pending' until a postal batch printed it
    postal_status  TEXT CHECK (postal_status IN ('pending', 'printed')),
    postal_batch   TEXT,
    printed_at     TEXT,
    staff_id       INTEGER REFERENCES staff(id),
    CHECK ((channel = 'email' AND mail_id IS NOT NULL AND postal_status IS NULL)
        OR (channel = 'post' AND mail_id IS NULL AND postal_status IS NOT NULL))
);
CREATE INDEX contribution_letters_customer ON contribution_letters(customer_id, created_at);
CREATE INDEX contribution_letters_postal ON contribution_letters(postal_status)
    WHERE postal_status IS NOT NULL;

-- Registreren: the amount stays open and is collected by direct debit ('incasso', with an active
-- mandate) or asked for with a contribution letter ('brief'). One row per invoice.
CREATE TABLE open_registrations (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    invoice_id    INTEGER NOT NULL REFERENCES invoices(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    collection    TEXT NOT NULL CHECK (collection IN ('incasso', 'brief')),
    letter_id     INTEGER REFERENCES contribution_letters(id),
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    at            TEXT NOT NULL,
    session_id    TEXT NOT NULL
);
CREATE INDEX open_registrations_invoice ON open_registrations(invoice_id);
CREATE INDEX open_registrations_customer ON open_registrations(customer_id, at);

-- Kasopmaak: the cash counted in a register's drawer against what it should hold since the
-- previous cash-up. The float left in the drawer is the next cash-up's opening float.
CREATE TABLE cash_ups (
    id                   INTEGER PRIMARY KEY,
    register_id          INTEGER NOT NULL REFERENCES cash_registers(id),
    staff_id             INTEGER NOT NULL REFERENCES staff(id),
    at                   TEXT NOT NULL,
    since                TEXT,                 -- the previous cash-up's at (NULL: the first)
    opening_float_cents  INTEGER NOT NULL,
    cash_in_cents        INTEGER NOT NULL,     -- tendered in cash
    change_out_cents     INTEGER NOT NULL,
    expected_cents       INTEGER NOT NULL,     -- cash expected in the drawer
    pin_cents            INTEGER NOT NULL,     -- PIN received (for the report; not in the drawer)
    counted_cents        INTEGER NOT NULL CHECK (counted_cents >= 0),
    difference_cents     INTEGER NOT NULL,     -- counted - expected
    float_after_cents    INTEGER NOT NULL CHECK (float_after_cents >= 0),
    note                 TEXT NOT NULL DEFAULT '',
    CHECK (difference_cents = counted_cents - expected_cents)
);
CREATE INDEX cash_ups_register ON cash_ups(register_id, at);
