-- Parked mail and sent prints (issue 18): mail that used up its tries is parked (not failed
-- for ever) and keeps a Message-ID of its own; a print job sent to a printer that cannot
-- confirm it is 'sent'.
--
-- SQLite rebuilds both tables to change their CHECK constraints; PostgreSQL changes them in
-- place (the constraints carry PostgreSQL's default names, <table>_<column>_check).

-- mail_outbox ------------------------------------------------------------------------------
-- status: queued (waiting for its next try), sent, parked (used up its tries: waits for an
--         administrator, 'tui-desk mail retry' or F5 in Berichten), failed (refused for good)
-- message_id: the Message-ID header, the same on every try; a server that took a mail and
--         then hung gets the same id again, so the resend is recognised as the same message
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_status_check
    CHECK (status IN ('queued', 'sent', 'parked', 'failed'));
ALTER TABLE mail_outbox ADD COLUMN message_id TEXT COLLATE "C" UNIQUE;
ALTER TABLE mail_outbox ADD COLUMN parked_at TEXT COLLATE "C";
-- Mail given up after its tries before this version was 'failed' with this note: parked now.
UPDATE mail_outbox SET status = 'parked', parked_at = next_try_at
    WHERE status = 'failed' AND last_error LIKE '%(opgegeven na % pogingen)';

-- print_jobs --------------------------------------------------------------------------------
-- status 'sent': every byte went to a printer that does not report whether it printed
-- (receipt_status = false, card_replies = false, a device file): shown as "Verstuurd", never
-- as "Geprint".
ALTER TABLE print_jobs DROP CONSTRAINT print_jobs_status_check;
ALTER TABLE print_jobs ADD CONSTRAINT print_jobs_status_check
    CHECK (status IN ('queued', 'printing', 'done', 'sent', 'failed', 'cancelled'));
