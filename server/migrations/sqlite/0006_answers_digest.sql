-- A digest (SHA-256, hex) of the answers stored with each submission key, so
-- a key seen again with different answers (a shared phone restoring the last
-- person's form) is told apart from a retry of the same answers. Responses
-- stored before this have none and behave as before.
ALTER TABLE responses ADD COLUMN answers_digest TEXT;
