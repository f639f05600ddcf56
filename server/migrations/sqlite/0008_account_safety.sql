-- One-time passwords expire: NULL for a password its owner chose.
ALTER TABLE users ADD COLUMN password_expires_at BIGINT;

-- Failure counts are now keyed by an HMAC with the server's secret; the old
-- plain digests would never match again.
DELETE FROM sign_in_failures;

-- Sessions are purged when idle or past their lifetime.
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_created ON sessions (created_at);

-- Every account action: who did what to whom, and when. Nobody edits it:
-- heard has no code that changes a row, and the database refuses it too.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_id BIGINT,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
