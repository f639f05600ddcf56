-- Suggestions for activities (app/src/suggestions). Each is screened like
-- every word a young person writes: title and description hold the redacted
-- text; `original` what they wrote when something was taken out (for the
-- safeguarding lead, until HEARD_RETENTION_DAYS).
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    -- In public addresses (/ideas/{public_ref}): random, so it says nothing
    -- about when it was made or what came before.
    public_ref TEXT NOT NULL UNIQUE,
    -- A keyed digest of the young person's form key (a retry stores it once
    -- and shows the same private link) and of what they sent (the same key
    -- with other words is someone else's form on a shared phone).
    submission_key TEXT NOT NULL UNIQUE,
    content_digest TEXT NOT NULL,
    -- A keyed digest of the private link's code; the code is shown once.
    code_digest TEXT NOT NULL UNIQUE,
    -- The area's organisation whose safeguarding lead gets an item if the
    -- words suggest someone is at risk.
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    original TEXT,
    details TEXT NOT NULL,
    offensive INTEGER NOT NULL,
    at_risk INTEGER NOT NULL,
    category TEXT NOT NULL,
    area_code TEXT NOT NULL REFERENCES areas (code),
    outcome TEXT,
    -- waiting | approved | rejected | merged
    state TEXT NOT NULL,
    reason TEXT,
    merged_into INTEGER REFERENCES suggestions (id),
    -- new | looking | planned | happening | not_possible
    status TEXT NOT NULL DEFAULT 'new',
    supports INTEGER NOT NULL DEFAULT 0,
    -- The day (never the time).
    created_on INTEGER NOT NULL,
    moderated_by INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX suggestions_public ON suggestions (state, area_code, supports);
CREATE INDEX suggestions_queue ON suggestions (area_code, state, offensive);

-- Each status change's public note.
CREATE TABLE suggestion_notes (
    id INTEGER PRIMARY KEY,
    suggestion_id INTEGER NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    at INTEGER NOT NULL,
    by_user INTEGER
);
CREATE INDEX suggestion_notes_of ON suggestion_notes (suggestion_id, id);

-- A safeguarding item may come from a suggestion: then it has no answer,
-- and survey_id and question_id are 0.
ALTER TABLE safeguarding_items ADD COLUMN suggestion_id INTEGER REFERENCES suggestions (id) ON DELETE SET NULL;

-- "You said, we did" (app/src/replies): what young people said, what the
-- organisation did or will do, and when. `did_html` is cleaned by ammonia on
-- the server before it is stored.
CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    said TEXT NOT NULL,
    did_html TEXT NOT NULL,
    did_text TEXT NOT NULL,
    when_text TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    created_by INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX replies_organisation ON replies (organisation_id, published_at);
CREATE INDEX replies_published ON replies (published_at);

-- What a reply answers: ratings of a service, suggestions, surveys.
CREATE TABLE reply_links (
    reply_id INTEGER NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
    -- service | suggestion | survey
    kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    PRIMARY KEY (reply_id, kind, target_id)
);
CREATE INDEX reply_links_target ON reply_links (kind, target_id);
