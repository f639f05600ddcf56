-- Participation standards (app/src/standards): frameworks, organisations'
-- self-assessments against them, evidence, young people's view, actions and
-- the record of what changed.

-- A version of a framework, as imported: the checked file kept whole
-- (`heard-framework/1`), so an assessment always reads the words it was
-- made against.
CREATE TABLE frameworks (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    imported_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (key, version)
);

-- An organisation's assessment, dated; a new one may start from the last
-- (`based_on`), copying its claims and evidence.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    framework_id INTEGER NOT NULL REFERENCES frameworks (id),
    title TEXT NOT NULL,
    started_on INTEGER NOT NULL,
    started_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    based_on INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
    -- The survey young people answer for it (faces, one question per
    -- indicator), once the organisation sends the link.
    panel_survey_id INTEGER REFERENCES surveys (id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX assessments_of ON assessments (organisation_id, id);

-- The level claimed for an indicator, and the account behind it.
CREATE TABLE assessment_claims (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    level TEXT,
    account TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (assessment_id, indicator)
);

-- Which question of the panel survey asks about which indicator.
CREATE TABLE panel_questions (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    PRIMARY KEY (assessment_id, indicator)
);

-- An uploaded document: the file lives in the uploads folder under
-- `stored_as` (random, never the uploaded name); `name` is the uploaded
-- name cleaned, for the download only.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    stored_as TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    uploaded_at INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

-- Evidence for an indicator: a note, a link, a document, or a consultation
-- in heard (`kind` survey | service | suggestions, `ref_id` its id).
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    indicator TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    note TEXT NOT NULL,
    url TEXT,
    document_id INTEGER REFERENCES documents (id),
    ref_id INTEGER,
    added_at INTEGER NOT NULL,
    added_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX evidence_of ON evidence (assessment_id, indicator);

-- What the organisation will do about a gap.
CREATE TABLE standard_actions (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    indicator TEXT,
    what TEXT NOT NULL,
    who TEXT NOT NULL,
    -- The day it is due: the seconds of its midnight (UTC), as every time.
    due_on INTEGER NOT NULL,
    -- not_started | under_way | done | dropped
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX standard_actions_of ON standard_actions (assessment_id, due_on);

-- "What's changed": a story of change that came from young people's
-- involvement; public on the "you said, we did" page when staff choose.
CREATE TABLE change_stories (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    assessment_id INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
    indicator TEXT,
    action_id INTEGER REFERENCES standard_actions (id) ON DELETE SET NULL,
    survey_id INTEGER REFERENCES surveys (id) ON DELETE SET NULL,
    said TEXT NOT NULL,
    changed TEXT NOT NULL,
    -- The day it changed: the seconds of its midnight (UTC).
    changed_on INTEGER NOT NULL,
    public INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX change_stories_of ON change_stories (organisation_id, changed_on);
CREATE INDEX change_stories_public ON change_stories (public, changed_on);
