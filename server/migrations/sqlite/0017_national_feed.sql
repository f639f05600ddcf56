-- National questions and the signed, anonymised feed (app/src/feed).

-- Templates of national questions: a hub publishes the ones it holds; a
-- local instance keeps those it imported from, so a survey always reads the
-- words it was made from. The checked file is kept whole.
CREATE TABLE national_templates (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    loaded_at INTEGER NOT NULL,
    PRIMARY KEY (id, version)
);

-- A survey made from a template, and each question's place in it
-- (`template/question`): what keeps answers comparable across England.
ALTER TABLE surveys ADD COLUMN national_template TEXT;
ALTER TABLE surveys ADD COLUMN national_version INTEGER;
ALTER TABLE questions ADD COLUMN national_ref TEXT;

-- A local instance's feed. `sequence` only grows (one is taken for every
-- document signed); the last document is kept a minute, so a hub pulling
-- often, or anyone else, never makes heard sign again and again.
CREATE TABLE feed_state (
    id INTEGER PRIMARY KEY,
    sequence INTEGER NOT NULL,
    stored_sequence INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
INSERT INTO feed_state (id, sequence, stored_sequence, issued_at, body, signature)
VALUES (1, 0, 0, 0, '', '');

-- A hub's instances: who they are, where their feed is, the key that signs
-- it, and the last good document (never a response: disclosed figures
-- only). `status` is what happened last, in words.
CREATE TABLE hub_instances (
    id INTEGER PRIMARY KEY,
    instance TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    feed_url TEXT NOT NULL,
    public_key TEXT NOT NULL,
    -- What the hub shows the instance's /feed (HEARD_FEED_TOKEN there).
    pull_token TEXT NOT NULL,
    last_sequence INTEGER NOT NULL DEFAULT 0,
    document TEXT,
    issued_at INTEGER,
    received_at INTEGER,
    status TEXT NOT NULL,
    status_ok INTEGER NOT NULL DEFAULT 1,
    checked_at INTEGER,
    created_at INTEGER NOT NULL
);

-- What the hub did with each document, pulled or pushed (the newest few
-- hundred an instance are kept).
CREATE TABLE hub_log (
    id INTEGER PRIMARY KEY,
    instance_id INTEGER NOT NULL REFERENCES hub_instances (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX hub_log_instance ON hub_log (instance_id, id);
