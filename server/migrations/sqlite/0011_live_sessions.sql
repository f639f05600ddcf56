-- Live sessions (app/src/live): a youth worker runs a survey with a room of
-- phones. Answers are ordinary responses tagged with their session.
CREATE TABLE live_sessions (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    -- Six characters without look-alikes; works only while the session runs.
    code TEXT NOT NULL,
    started_by INTEGER,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    -- 0: waiting for the first question; 1..n: the question on screen.
    position INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    show_results INTEGER NOT NULL DEFAULT 1,
    -- Grows with every change the room should follow.
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX live_sessions_code ON live_sessions (code) WHERE ended_at IS NULL;
CREATE INDEX live_sessions_survey ON live_sessions (survey_id, id);

-- Phones that joined: a digest of a random key in the phone's cookie for this
-- session only. Nothing else about the phone.
CREATE TABLE live_participants (
    session_id INTEGER NOT NULL REFERENCES live_sessions (id) ON DELETE CASCADE,
    key_digest TEXT NOT NULL,
    PRIMARY KEY (session_id, key_digest)
);

ALTER TABLE responses ADD COLUMN live_session_id INTEGER REFERENCES live_sessions (id);
CREATE INDEX responses_live ON responses (live_session_id) WHERE live_session_id IS NOT NULL;
-- Free text the youth worker put on the projector.
ALTER TABLE answers ADD COLUMN live_shown INTEGER;
