-- Organisation administrators remove a colleague's access without losing what
-- they built: the account stays (surveys name their creator), sign-in stops.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
