-- Schema 8: the session that owns a registration draft, so that "go on with an unfinished
-- registration" offers a draft to the session that left it. In the training database every
-- trainee signs in as the same demo staff member: there the offer is by session; in
-- production by staff member (a person may move to another counter). The value is built by
-- services.desk.session_key: "<login>@<SSH client address>" (not the port: a dropped line
-- that logs in again from the same thin terminal is the same session), "<login>@<tty>" for a
-- local terminal. NULL: made before this migration or without a session (scripts, tests);
-- such a draft is offered to its staff member everywhere.
ALTER TABLE registration_drafts ADD COLUMN session TEXT COLLATE "C";
