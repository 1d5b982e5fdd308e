-- Parked mail and sent prints (issue 18): mail that used up its tries is parked (not failed
-- for ever) and keeps a Message-ID of its own; a print job sent to a printer that cannot
-- confirm it is 'sent'.
--
-- SQLite cannot change a CHECK constraint in place: both tables are rebuilt. mail_outbox has
-- children (contribution_letters.mail_id, collection_notices.mail_id ON DELETE SET NULL):
-- with foreign keys on, dropping the old table would clear or refuse those links. The next
-- line makes the migration run with foreign keys off and checked before the commit.
-- foreign_keys: off

-- mail_outbox ------------------------------------------------------------------------------
-- status: queued (waiting for its next try), sent, parked (used up its tries: waits for an
--         administrator, 'tui-desk mail retry' or F5 in Berichten), failed (refused for good)
-- message_id: the Message-ID header, the same on every try; a server that took a mail and
--         then hung gets the same id again, so the resend is recognised as the same message
CREATE TABLE mail_outbox_new (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    to_addr      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body_text    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    customer_id  INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    status       TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'sent', 'parked', 'failed')),
    tries        INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    next_try_at  TEXT NOT NULL,
    sent_at      TEXT,
    message_id   TEXT UNIQUE,
    parked_at    TEXT
);
INSERT INTO mail_outbox_new(id, created_at, to_addr, subject, body_text, kind, customer_id,
                            status, tries, last_error, next_try_at, sent_at)
    SELECT id, created_at, to_addr, subject, body_text, kind, customer_id, status, tries,
           last_error, next_try_at, sent_at FROM mail_outbox;
-- Mail given up after its tries before this version was 'failed' with this note: parked now.
UPDATE mail_outbox_new SET status = 'parked', parked_at = next_try_at
    WHERE status = 'failed' AND last_error LIKE '%(opgegeven na % pogingen)';
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_try_at);
CREATE INDEX mail_outbox_created ON mail_outbox(created_at);
CREATE INDEX mail_outbox_customer ON mail_outbox(customer_id);

-- print_jobs --------------------------------------------------------------------------------
-- status 'sent': every byte went to a printer that does not report whether it printed
-- (receipt_status = false, card_replies = false, a device file): shown as "Verstuurd", never
-- as "Geprint".
CREATE TABLE print_jobs_new (
    id           INTEGER PRIMARY KEY,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    workstation  TEXT NOT NULL,
    printer      TEXT NOT NULL,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('kassabon', 'inschrijfbewijs', 'klantbon', 'machtiging',
                                 'ledenpas')),
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
    staff_id     INTEGER REFERENCES staff(id)
);
INSERT INTO print_jobs_new SELECT id, created_at, updated_at, workstation, printer, kind,
    customer_id, label, payload, options, status, tries, last_error, request_key, staff_id
    FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE UNIQUE INDEX print_jobs_open_request ON print_jobs(request_key)
    WHERE status IN ('queued', 'printing', 'failed');
CREATE INDEX print_jobs_workstation ON print_jobs(workstation, status, created_at);
CREATE INDEX print_jobs_request ON print_jobs(request_key, updated_at);
