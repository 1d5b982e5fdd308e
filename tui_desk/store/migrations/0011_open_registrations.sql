-- Schema 10: a registration ends complete or visibly unfinished.
--
-- open_followups: a registration whose step 4 (the first amount) or step 5 (the
-- incassomachtiging) was left unfinished and kept open with a reason. At most one open row per
-- customer and kind; closed when the mandate is processed or the amount is settled. The
-- Melding it put on the record (notices.slot) is removed then.
CREATE TABLE open_followups (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    branch_code   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('machtiging', 'betaling')),
    reason        TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 80),
    opened_at     TEXT NOT NULL,
    due_on        TEXT NOT NULL,              -- the mandate (or payment) is expected by then
    staff_id      INTEGER REFERENCES staff(id),
    notice_slot   INTEGER,                    -- the Melding on the record, if one was free
    notice_text   TEXT NOT NULL DEFAULT '',
    closed_at     TEXT,
    closed_how    TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX open_followups_one_open ON open_followups(customer_id, kind)
    WHERE closed_at IS NULL;
CREATE INDEX open_followups_branch ON open_followups(branch_code, closed_at);

-- A monthly renewal the monthly run did not make because the tariff is collected by direct
-- debit and the customer has no active mandate: listed once as a change, then on the 1st.
CREATE TABLE renewals_withheld (
    period_id     INTEGER PRIMARY KEY REFERENCES subscription_periods(id) ON DELETE CASCADE,
    customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    withheld_on   TEXT NOT NULL
);

-- Search keys now keep the letters of every script (Arabic, Chinese, Cyrillic, Greek ...) and
-- split d'Ancona and 't like other prefixes: recompute the stored keys.
UPDATE customers SET search_name = tui_search_key(surname);
