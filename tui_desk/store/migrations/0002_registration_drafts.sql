-- Schema 2: the registration wizard keeps its draft here on every change, so that a dropped
-- connection or a crash loses nothing that was typed and the registration can be resumed.
CREATE TABLE registration_drafts (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    branch_code  TEXT NOT NULL REFERENCES branches(code),
    step         TEXT NOT NULL,
    data         TEXT NOT NULL,            -- JSON: what was typed, field by field
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'abandoned')),
    customer_id  INTEGER REFERENCES customers(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX registration_drafts_staff ON registration_drafts(staff_id, status, updated_at);

-- Card numbers handed out with "V" (next free number) before the customer exists; a number is
-- never handed out twice, even when the registration is abandoned.
CREATE TABLE card_reservations (
    number       TEXT PRIMARY KEY CHECK (length(number) = 14),
    draft_id     INTEGER REFERENCES registration_drafts(id) ON DELETE SET NULL,
    reserved_at  TEXT NOT NULL
);
