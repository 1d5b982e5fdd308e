-- Schema 4: step 3 (Abonnement) — who may take a tariff, and invoices for subscription periods.

-- Who may take or issue a tariff (see data/tariffs.toml and rules/tariffs.py). Lists are comma
-- separated, as staff.roles.
ALTER TABLE tariffs ADD COLUMN roles TEXT NOT NULL DEFAULT '';
ALTER TABLE tariffs ADD COLUMN selections TEXT NOT NULL DEFAULT '';
ALTER TABLE tariffs ADD COLUMN needs_mandate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tariffs ADD COLUMN one_per_person_staff INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tariffs ADD COLUMN one_per_school INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tariffs ADD COLUMN pay_directly INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tariffs ADD COLUMN expiry_month INTEGER CHECK (expiry_month BETWEEN 1 AND 12);

-- What a customer owes (or gets back) for a subscription period.
--   contributie  the charge for one period: amount_cents >= 0, minus discount_cents (korting)
--   creditnota   money back for the unused part of a period (Muteer abonnement, Opzeggen):
--                amount_cents <= 0, credits_invoice_id the contributie it corrects
-- The amount still to settle is SUM(amount_cents - discount_cents) over the open rows.
-- status: open (to be paid / collected), paid, waived (kwijtgescholden), credited (cancelled
-- before it was paid: nothing is owed any more).
CREATE TABLE invoices (
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers(id),
    period_id           INTEGER REFERENCES subscription_periods(id),
    kind                TEXT NOT NULL DEFAULT 'contributie'
                        CHECK (kind IN ('contributie', 'creditnota')),
    amount_cents        INTEGER NOT NULL,
    discount_cents      INTEGER NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'open'
                        CHECK (status IN ('open', 'paid', 'waived', 'credited')),
    description         TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    due_date            TEXT NOT NULL,
    settled_at          TEXT,
    staff_id            INTEGER REFERENCES staff(id),
    credits_invoice_id  INTEGER REFERENCES invoices(id),
    CHECK ((kind = 'contributie' AND amount_cents >= 0
            AND discount_cents BETWEEN 0 AND amount_cents)
        OR (kind = 'creditnota' AND amount_cents <= 0 AND discount_cents = 0))
);
CREATE INDEX invoices_customer ON invoices(customer_id, status);
CREATE UNIQUE INDEX invoices_period ON invoices(period_id) WHERE kind = 'contributie';
CREATE INDEX invoices_due ON invoices(status, due_date);

-- Monthly maintenance and renewals look periods up by end date and by tariff.
CREATE INDEX subscription_periods_end ON subscription_periods(end_date, status);
CREATE INDEX subscription_periods_tariff ON subscription_periods(tariff_code, end_date);
