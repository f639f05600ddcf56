-- heard's foundation: organisations, staff, areas, surveys and responses.
-- Responses hold no device data: no address, user agent or cookie.

CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    area_code TEXT REFERENCES areas (code),
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE user_areas (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    area_code TEXT NOT NULL REFERENCES areas (code),
    PRIMARY KEY (user_id, area_code)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    intro TEXT NOT NULL,
    age_bands TEXT NOT NULL,
    tags TEXT NOT NULL,
    status TEXT NOT NULL,
    closes_on TEXT,
    ask_about_you INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_status ON surveys (status);
CREATE INDEX surveys_organisation ON surveys (organisation_id);

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    help TEXT NOT NULL,
    required INTEGER NOT NULL,
    outcome TEXT,
    settings TEXT NOT NULL
);
CREATE INDEX questions_survey ON questions (survey_id, position);

CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    submission_key TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    age_band TEXT,
    area_code TEXT,
    groups TEXT,
    UNIQUE (survey_id, submission_key)
);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES questions (id),
    position INTEGER NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX answers_response ON answers (response_id);
CREATE INDEX answers_question ON answers (question_id, position, value);
