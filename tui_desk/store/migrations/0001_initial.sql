-- Schema 1: the foundation. Later issues add tables in migrations of their own.
-- Dates are ISO text (YYYY-MM-DD), timestamps ISO text (YYYY-MM-DDTHH:MM:SS), money integer cents.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE branches (
    code      TEXT PRIMARY KEY CHECK (length(code) = 4),
    name      TEXT NOT NULL,
    place     TEXT NOT NULL,
    -- last sequence number handed out for cards of this branch (the 8-digit part)
    card_seq  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cash_registers (
    id          INTEGER PRIMARY KEY,
    branch_code TEXT NOT NULL REFERENCES branches(code),
    name        TEXT NOT NULL UNIQUE
);

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    -- the operating-system (SSH) login that maps to this staff member, if any
    login           TEXT UNIQUE,
    name            TEXT NOT NULL,
    branch_code     TEXT NOT NULL REFERENCES branches(code),
    roles           TEXT NOT NULL DEFAULT 'balie',      -- comma separated: balie,educatie,beheer
    pin_hash        TEXT,                               -- scrypt$n$r$p$salt$hash
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    active          INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE customers (
    id                      INTEGER PRIMARY KEY,
    actor_id                INTEGER NOT NULL UNIQUE,
    kind                    TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'institution')),
    -- M Man, V Vrouw, X Neutraal, O Onbekend, I Instelling
    gender                  TEXT NOT NULL DEFAULT 'O' CHECK (gender IN ('M', 'V', 'X', 'O', 'I')),
    initials                TEXT NOT NULL DEFAULT '',
    prefix                  TEXT NOT NULL DEFAULT '',
    surname                 TEXT NOT NULL,
    first_name              TEXT NOT NULL DEFAULT '',
    -- surname folded for search: no prefix, lower case, no accents (rules.names.search_key)
    search_name             TEXT NOT NULL,
    birth_date              TEXT,
    phone                   TEXT NOT NULL DEFAULT '',
    sms                     TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    newsletter              INTEGER NOT NULL DEFAULT 0,
    id_checked              INTEGER NOT NULL DEFAULT 0,
    use_login               INTEGER NOT NULL DEFAULT 1,
    loan_history            INTEGER NOT NULL DEFAULT 0,
    notify_loaned_before    INTEGER NOT NULL DEFAULT 0,
    selection               TEXT NOT NULL DEFAULT '',
    branch_code             TEXT NOT NULL REFERENCES branches(code),
    registered_on           TEXT NOT NULL,
    last_activity           TEXT,
    items_on_loan           INTEGER NOT NULL DEFAULT 0,
    strips                  INTEGER NOT NULL DEFAULT 0,
    balance_cents           INTEGER NOT NULL DEFAULT 0,     -- tegoed: positive = credit
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
CREATE INDEX customers_search_name ON customers(search_name, birth_date);
CREATE INDEX customers_birth_date ON customers(birth_date);

CREATE TABLE addresses (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL DEFAULT 'hoofdadres'
                  CHECK (kind IN ('hoofdadres', 'postadres', 'factuuradres', 'alternatief')),
    street        TEXT NOT NULL DEFAULT '',
    house_number  INTEGER,
    house_suffix  TEXT NOT NULL DEFAULT '',
    postcode      TEXT NOT NULL DEFAULT '',      -- '9468 BG' for NL; as given for elsewhere
    place         TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT 'NL',    -- ISO 3166 alpha-2
    verified      INTEGER NOT NULL DEFAULT 1,    -- 0: typed by hand, not found in the postcode table
    region        TEXT NOT NULL DEFAULT '',
    UNIQUE (customer_id, kind)
);
CREATE INDEX addresses_postcode ON addresses(postcode, house_number);

CREATE TABLE cards (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE CHECK (length(number) = 14),
    customer_id  INTEGER REFERENCES customers(id),
    branch_code  TEXT NOT NULL REFERENCES branches(code),
    status       TEXT NOT NULL DEFAULT 'actief' CHECK (status IN ('actief', 'geblokkeerd', 'vervangen')),
    issued_on    TEXT NOT NULL,
    blocked_on   TEXT,
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cards_customer ON cards(customer_id);

CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    slot         INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 4),
    text         TEXT NOT NULL CHECK (length(text) <= 60),
    private      INTEGER NOT NULL DEFAULT 0,     -- 1: pops up when the record opens
    created_at   TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id),
    UNIQUE (customer_id, slot)
);

CREATE TABLE tariffs (
    code           TEXT PRIMARY KEY CHECK (length(code) = 4),
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    audience       TEXT NOT NULL CHECK (audience IN ('person', 'institution', 'both')),
    category       TEXT NOT NULL CHECK (category IN ('vast', 'leeftijd', 'tijdelijk')),
    min_age        INTEGER,
    max_age        INTEGER,
    period_unit    TEXT NOT NULL CHECK (period_unit IN ('year', 'month', 'week', 'day')),
    period_length  INTEGER NOT NULL,
    strips         INTEGER NOT NULL DEFAULT 0,
    max_items      INTEGER,
    active         INTEGER NOT NULL DEFAULT 1
);

-- Prices change over time: a period is billed at the price valid on its start date.
CREATE TABLE tariff_prices (
    tariff_code  TEXT NOT NULL REFERENCES tariffs(code),
    audience     TEXT NOT NULL CHECK (audience IN ('person', 'institution', 'both')),
    valid_from   TEXT NOT NULL,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    PRIMARY KEY (tariff_code, audience, valid_from)
);

CREATE TABLE subscription_periods (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id),
    tariff_code     TEXT NOT NULL REFERENCES tariffs(code),
    instance        TEXT NOT NULL DEFAULT 'I001',
    branch_code     TEXT NOT NULL REFERENCES branches(code),
    start_date      TEXT NOT NULL,
    end_date        TEXT NOT NULL,
    status          TEXT NOT NULL
                    CHECK (status IN ('Nieuw', 'Gefactureerd', 'Normaal', 'Opgezegd', 'Ongeldig')),
    amount_cents    INTEGER NOT NULL DEFAULT 0,
    discount_cents  INTEGER NOT NULL DEFAULT 0,
    section         TEXT NOT NULL DEFAULT 'BIEB',
    created_at      TEXT NOT NULL,
    ended_on        TEXT,
    end_reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX subscription_periods_customer ON subscription_periods(customer_id, start_date);

CREATE TABLE postcodes (
    postcode      TEXT NOT NULL,          -- '9468 BG'
    min_number    INTEGER NOT NULL,
    max_number    INTEGER NOT NULL,
    parity        TEXT NOT NULL DEFAULT 'all' CHECK (parity IN ('odd', 'even', 'all')),
    street        TEXT NOT NULL,
    place         TEXT NOT NULL,
    region        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postcode, min_number, parity)
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id),
    customer_id  INTEGER REFERENCES customers(id),
    entity       TEXT NOT NULL,            -- table or concept: customer, address, notice, ...
    entity_id    TEXT,
    action       TEXT NOT NULL,            -- insert, update, delete, sign_in, ...
    before       TEXT,                     -- JSON of the changed fields before
    after        TEXT                      -- JSON of the changed fields after
);
CREATE INDEX audit_log_customer ON audit_log(customer_id, at);
