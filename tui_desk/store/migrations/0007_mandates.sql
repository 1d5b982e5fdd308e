-- Schema 7: step 5 (Incassomachtiging) — SEPA direct-debit mandates, the customer documents
-- (a printed form, found back by the document code in its barcode), what was collected, and
-- the pre-notifications of collections.
--
-- The IBAN lives on the mandate, not on the customer: a customer "has incasso" (the Incasso
-- tick) exactly when one of their mandates has status 'active'. Step 1's IBAN waits in the
-- registration draft until a mandate is printed with it.

-- The library's document codes are handed out from this counter (settings key), never twice.
INSERT OR IGNORE INTO settings(key, value) VALUES ('document_code_seq', '0');

-- A printed form, by its document code. type: '01 - Incassomachtiging'. When it is processed
-- ("Verwerk machtiging") the source says how: scan (a scanned page), file (a chosen file: PDF or
-- image) or none (Geen upload); the file itself is kept here.
CREATE TABLE customer_documents (
    id             INTEGER PRIMARY KEY,
    document_code  TEXT NOT NULL UNIQUE CHECK (length(document_code) = 16),
    customer_id    INTEGER NOT NULL REFERENCES customers(id),
    type           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'printed' CHECK (status IN ('printed', 'processed')),
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES staff(id),
    processed_at   TEXT,
    processed_by   INTEGER REFERENCES staff(id),
    source         TEXT CHECK (source IN ('scan', 'file', 'none')),
    file_name      TEXT NOT NULL DEFAULT '',
    file_type      TEXT NOT NULL DEFAULT '',     -- application/pdf, image/png, image/jpeg, ...
    file_data      BLOB,
    CHECK ((status = 'printed' AND source IS NULL)
        OR (status = 'processed' AND source IS NOT NULL))
);
CREATE INDEX customer_documents_customer ON customer_documents(customer_id, created_at);

-- A mandate (incassomachtiging). status:
--   pending    printed, waiting for the signed form to be processed
--   active     signed and processed: it may be collected on (at most one per customer)
--   revoked    ingetrokken on revoked_on with revoke_reason (also: replaced by a newer one,
--              a new IBAN without overstapservice)
--   lapsed     not used for 36 months (rules.mandates.is_lapsed)
--   cancelled  a printed form that was never processed and is superseded by a later print
-- signed_on is the Datum afgifte machtiging; first/last_collected_on drive FRST/RCUR and the
-- 36-month lapse. uses_switch_service: the IBAN was changed through the overstapservice
-- (previous_iban keeps the account the mandate was signed for).
CREATE TABLE mandates (
    id                   INTEGER PRIMARY KEY,
    customer_id          INTEGER NOT NULL REFERENCES customers(id),
    kenmerk              TEXT NOT NULL UNIQUE CHECK (length(kenmerk) BETWEEN 1 AND 35),
    document_code        TEXT NOT NULL UNIQUE REFERENCES customer_documents(document_code),
    iban                 TEXT NOT NULL,
    bic                  TEXT NOT NULL DEFAULT '',
    holder_name          TEXT NOT NULL,
    holder_place         TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'active', 'revoked', 'lapsed',
                                           'cancelled')),
    printed_at           TEXT NOT NULL,
    printed_by           INTEGER REFERENCES staff(id),
    signed_on            TEXT,
    processed_at         TEXT,
    processed_by         INTEGER REFERENCES staff(id),
    revoked_on           TEXT,
    revoke_reason        TEXT NOT NULL DEFAULT '',
    uses_switch_service  INTEGER NOT NULL DEFAULT 0,
    previous_iban        TEXT,
    iban_changed_on      TEXT,
    first_collected_on   TEXT,
    last_collected_on    TEXT,
    CHECK (status NOT IN ('active', 'revoked', 'lapsed') OR signed_on IS NOT NULL),
    CHECK ((status = 'revoked') = (revoked_on IS NOT NULL))
);
CREATE UNIQUE INDEX mandates_one_active ON mandates(customer_id) WHERE status = 'active';
CREATE INDEX mandates_customer ON mandates(customer_id, status);

-- What a collection file asked the bank to collect: one row per invoice (never collected
-- twice), grouped per mandate into one SEPA transaction (end_to_end_id).
CREATE TABLE collections (
    id               INTEGER PRIMARY KEY,
    mandate_id       INTEGER NOT NULL REFERENCES mandates(id),
    customer_id      INTEGER NOT NULL REFERENCES customers(id),
    invoice_id       INTEGER NOT NULL UNIQUE REFERENCES invoices(id),
    amount_cents     INTEGER NOT NULL CHECK (amount_cents > 0),
    sequence_type    TEXT NOT NULL CHECK (sequence_type IN ('FRST', 'RCUR')),
    collection_date  TEXT NOT NULL,
    end_to_end_id    TEXT NOT NULL,
    message_id       TEXT NOT NULL,
    exported_at      TEXT NOT NULL,
    file_name        TEXT NOT NULL
);
CREATE INDEX collections_mandate ON collections(mandate_id, collection_date);
CREATE INDEX collections_date ON collections(collection_date);

-- Pre-notification (vooraankondiging) of a collection, one per invoice: mailed through the
-- outbox (mail_id), or 'none' when the customer has no e-mail address (listed for the post).
CREATE TABLE collection_notices (
    id               INTEGER PRIMARY KEY,
    invoice_id       INTEGER NOT NULL UNIQUE REFERENCES invoices(id),
    mandate_id       INTEGER NOT NULL REFERENCES mandates(id),
    customer_id      INTEGER NOT NULL REFERENCES customers(id),
    amount_cents     INTEGER NOT NULL,
    collection_date  TEXT NOT NULL,           -- the day announced
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'none')),
    mail_id          INTEGER REFERENCES mail_outbox(id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX collection_notices_customer ON collection_notices(customer_id, created_at);
