-- Schema 10: privacy by design (AVG) and minors. Ouder/verzorger of a minor, consents as
-- records (given and withdrawn, by whom, how), communication preferences per message kind,
-- blocks (blokkades), deregistration and anonymisation, and purged print-job payloads.

-- The ouder/verzorger of a minor: a customer linked by scanning their card
-- (guardian_customer_id), or a person typed in (name, relation, phone, e-mail). The link stays
-- when the child comes of age; from then on it is no longer required nor used for mail.
CREATE TABLE guardians (
    id                    INTEGER PRIMARY KEY,
    customer_id           INTEGER NOT NULL REFERENCES customers(id),
    guardian_customer_id  INTEGER REFERENCES customers(id),
    name                  TEXT NOT NULL DEFAULT '',
    relation              TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    staff_id              INTEGER REFERENCES staff(id),
    CHECK (guardian_customer_id IS NOT NULL OR name <> ''),
    CHECK (guardian_customer_id IS NULL OR guardian_customer_id <> customer_id)
);
CREATE INDEX guardians_customer ON guardians(customer_id);
CREATE INDEX guardians_guardian ON guardians(guardian_customer_id);

-- A consent: given on given_at by staff given_by, how (balie: at the counter, formulier: on a
-- signed form), by the guardian for a minor; withdrawn_at set when withdrawn. One current
-- (not withdrawn) consent per kind. customers.newsletter / loan_history /
-- notify_loaned_before mirror the current state for the screens that read them.
CREATE TABLE consents (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER NOT NULL REFERENCES customers(id),
    kind               TEXT NOT NULL
                       CHECK (kind IN ('nieuwsbrief', 'leenhistorie', 'eerder_geleend')),
    given_at           TEXT NOT NULL,
    given_by           INTEGER REFERENCES staff(id),
    method             TEXT NOT NULL CHECK (method IN ('balie', 'formulier')),
    by_guardian        INTEGER NOT NULL DEFAULT 0,
    withdrawn_at       TEXT,
    withdrawn_by       INTEGER REFERENCES staff(id),
    withdrawn_method   TEXT CHECK (withdrawn_method IN ('balie', 'formulier')),
    CHECK ((withdrawn_at IS NULL) = (withdrawn_method IS NULL))
);
CREATE UNIQUE INDEX consents_current ON consents(customer_id, kind) WHERE withdrawn_at IS NULL;
CREATE INDEX consents_customer ON consents(customer_id, given_at);

-- The flags of existing customers become consent records (given at the counter on the day of
-- registration: what the old flag said).
INSERT INTO consents(customer_id, kind, given_at, method)
    SELECT id, 'nieuwsbrief', registered_on || 'T00:00:00', 'balie' FROM customers
    WHERE newsletter = 1;
INSERT INTO consents(customer_id, kind, given_at, method)
    SELECT id, 'leenhistorie', registered_on || 'T00:00:00', 'balie' FROM customers
    WHERE loan_history = 1;
INSERT INTO consents(customer_id, kind, given_at, method)
    SELECT id, 'eerder_geleend', registered_on || 'T00:00:00', 'balie' FROM customers
    WHERE notify_loaned_before = 1;

-- How the customer wants each kind of message: channel and language. No row: the default
-- (services.privacy.default_preferences).
CREATE TABLE communication_preferences (
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    kind         TEXT NOT NULL
                 CHECK (kind IN ('reservering', 'herinnering', 'contributie', 'nieuwsbrief')),
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'post', 'geen')),
    language     TEXT NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    updated_at   TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id),
    PRIMARY KEY (customer_id, kind)
);

-- A blokkade: type, reason, from start_date, until end_date (NULL: until lifted). Lifted by
-- staff (lifted_by) or by maintenance after its end date (lifted_by NULL).
CREATE TABLE customer_blocks (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    type        TEXT NOT NULL
                CHECK (type IN ('adres_onbekend', 'openstaand_bedrag', 'gedrag', 'overig')),
    reason      TEXT NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    staff_id    INTEGER REFERENCES staff(id),
    created_at  TEXT NOT NULL,
    lifted_at   TEXT,
    lifted_by   INTEGER REFERENCES staff(id),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX customer_blocks_customer ON customer_blocks(customer_id, lifted_at);
CREATE INDEX customer_blocks_open ON customer_blocks(end_date) WHERE lifted_at IS NULL;

-- Uitschrijven ends the membership on deregistered_on. Anonymised customers keep only the
-- year of birth (birth_date NULL) and a pseudonym; their financial records are removed after
-- the fiscal term (fiscal_removed_on).
ALTER TABLE customers ADD COLUMN deregistered_on TEXT;
ALTER TABLE customers ADD COLUMN anonymised_on TEXT;
ALTER TABLE customers ADD COLUMN birth_year INTEGER;
ALTER TABLE customers ADD COLUMN fiscal_removed_on TEXT;
CREATE INDEX customers_last_activity ON customers(last_activity) WHERE anonymised_on IS NULL;

-- The print spool again, with the Uitschrijfbewijs as a kind and purged_at: the printer data
-- (payload, options, label) of a finished job is emptied after
-- [privacy] print_jobs_retention_days. SQLite cannot change a CHECK: the table is rebuilt.
CREATE TABLE print_jobs_new (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    workstation  TEXT NOT NULL,
    printer      TEXT NOT NULL,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('kassabon', 'inschrijfbewijs', 'klantbon', 'machtiging',
                                 'ledenpas', 'uitschrijfbewijs')),
    customer_id  INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    label        TEXT NOT NULL DEFAULT '',
    payload      BLOB NOT NULL,
    options      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'printing', 'done', 'sent', 'failed',
                                   'cancelled')),
    tries        INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    request_key  TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id),
    purged_at    TEXT
);
INSERT INTO print_jobs_new(id, created_at, updated_at, workstation, printer, kind, customer_id,
                           label, payload, options, status, tries, last_error, request_key,
                           staff_id)
    SELECT id, created_at, updated_at, workstation, printer, kind, customer_id, label, payload,
           options, status, tries, last_error, request_key, staff_id FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE UNIQUE INDEX print_jobs_open_request ON print_jobs(request_key)
    WHERE status IN ('queued', 'printing', 'failed');
CREATE INDEX print_jobs_workstation ON print_jobs(workstation, status, created_at);
CREATE INDEX print_jobs_request ON print_jobs(request_key, updated_at);
CREATE INDEX print_jobs_purge ON print_jobs(updated_at) WHERE purged_at IS NULL;
