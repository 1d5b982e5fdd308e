-- Schema 6: the print spool. Every print (receipt or card) is a job stored before it is sent.

-- kind: kassabon, inschrijfbewijs, klantbon, machtiging (SEPA mandate form), ledenpas (card)
-- printer: the address the job goes to (tcp://host:9100, rfc2217://host:port, demo: ...)
-- payload: the bytes for the printer (ESC/POS, or the Evolis command stream with the bitmap)
-- options: JSON with what a retry needs (baud rate, time-out, status check) and what a preview
--          shows (the fields of the card, the receipt's width)
-- status: queued (stored, not sent), printing (being sent), done, failed (kept with last_error,
--         to be retried or cancelled), cancelled
-- request_key: what was asked for (workstation, kind, customer, card ...). While a job with the
--         same key is queued, printing or failed, asking again returns that job instead of a
--         second copy (the manual: "NOOIT EEN ENTER DOEN").
CREATE TABLE print_jobs (
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
                 CHECK (status IN ('queued', 'printing', 'done', 'failed', 'cancelled')),
    tries        INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    request_key  TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX print_jobs_open_request ON print_jobs(request_key)
    WHERE status IN ('queued', 'printing', 'failed');
CREATE INDEX print_jobs_workstation ON print_jobs(workstation, status, created_at);
CREATE INDEX print_jobs_request ON print_jobs(request_key, updated_at);
