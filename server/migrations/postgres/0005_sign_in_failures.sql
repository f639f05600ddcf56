-- Failed sign-ins, counted across every server on one database: at most five
-- a minute per account and address. The key is a SHA-256 digest of the two
-- (never the address itself); rows go after an hour.
CREATE TABLE sign_in_failures (
    key_digest TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (key_digest, failed_at);
CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at);
