-- Staff forms carry a one-time key: a double tap or a retry does the job once,
-- and the repeat is sent where the first went. Kept a day.
CREATE TABLE form_keys (
    key TEXT PRIMARY KEY,
    location TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_keys_created_at ON form_keys (created_at);
