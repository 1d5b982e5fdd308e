-- Schema 3: login accounts (Single Identity), the customer's link to one, and the mail outbox.

-- The local identity service: the embedded stand-in for the national login service, used in
-- demo and training. Usernames are case-sensitive (BINARY collation) and never handed out twice:
-- a removed account keeps its row, so an old activation mail never points at someone else.
CREATE TABLE login_accounts (
    id                INTEGER PRIMARY KEY,
    username          TEXT NOT NULL UNIQUE,
    email             TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'active', 'removed')),
    created_at        TEXT NOT NULL,
    -- sha256 (hex) of the activation token; the token itself is only in the mail
    token_hash        TEXT UNIQUE,
    -- the first moment the link no longer works (created_at + 24 hours)
    token_expires_at  TEXT,
    activated_at      TEXT,
    removed_at        TEXT,
    removed_reason    TEXT NOT NULL DEFAULT ''   -- 'expired' (not activated in time), 'forgotten'
);
-- Generated usernames differ from every existing one in more than letter case.
CREATE INDEX login_accounts_username_lower ON login_accounts(lower(username));
CREATE INDEX login_accounts_pending ON login_accounts(status, token_expires_at);

-- A customer's login account, by username: the identity service may live outside this
-- database, so there is no foreign key to login_accounts. One row per link ever made; the
-- current one has forgotten_at NULL ("Vergeet inlogaccount" sets it).
CREATE TABLE customer_logins (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    username         TEXT NOT NULL,
    email            TEXT NOT NULL,
    origin           TEXT NOT NULL CHECK (origin IN ('existing', 'generated')),
    -- what this system last learnt from the identity service
    account_status   TEXT NOT NULL CHECK (account_status IN ('pending', 'active', 'removed')),
    linked_at        TEXT NOT NULL,
    staff_id         INTEGER REFERENCES staff(id),
    -- set when the account was removed because it was not activated within 24 hours: the
    -- record shows it until staff use "Vergeet inlogaccount" and generate a new one
    removed_at       TEXT,
    forgotten_at     TEXT,
    forgotten_by     INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX customer_logins_current ON customer_logins(customer_id)
    WHERE forgotten_at IS NULL;
CREATE UNIQUE INDEX customer_logins_username ON customer_logins(username)
    WHERE forgotten_at IS NULL;
CREATE INDEX customer_logins_pending ON customer_logins(account_status)
    WHERE forgotten_at IS NULL;

-- Mail waits here until the SMTP server took it: a registration never waits on the server,
-- and a mail survives the server being down. In the training database nothing is sent.
CREATE TABLE mail_outbox (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    to_addr      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body_text    TEXT NOT NULL,
    kind         TEXT NOT NULL,                 -- 'activation', ...
    customer_id  INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    tries        INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    -- not before this moment; a sender that claims a mail moves it forward (a lease), so two
    -- senders at once never deliver the same mail twice
    next_try_at  TEXT NOT NULL,
    sent_at      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_try_at);
CREATE INDEX mail_outbox_created ON mail_outbox(created_at);
CREATE INDEX mail_outbox_customer ON mail_outbox(customer_id);
