-- Every word a young person writes is screened before it is stored
-- (app/src/words). For a text answer, answers.value holds the redacted text,
-- the only form that leaves the organisation, and the columns below say what
-- screening found and where moderation stands, and keep what they wrote when
-- something was taken out, until the retention job deletes it. They are
-- written with the answer in the same statement (NULL for other answers).
ALTER TABLE answers ADD COLUMN organisation_id BIGINT;
-- What staff pages and forms call the answer by: random, so nothing about
-- one answer (its order, its neighbours) tells of another.
ALTER TABLE answers ADD COLUMN public_ref TEXT;
-- The day it was screened (as responses.submitted_at: never the time).
ALTER TABLE answers ADD COLUMN screened_on BIGINT;
ALTER TABLE answers ADD COLUMN original TEXT;
ALTER TABLE answers ADD COLUMN details TEXT;
ALTER TABLE answers ADD COLUMN offensive BIGINT;
ALTER TABLE answers ADD COLUMN at_risk BIGINT;
-- waiting | approved | hidden
ALTER TABLE answers ADD COLUMN state TEXT;
ALTER TABLE answers ADD COLUMN reason TEXT;
ALTER TABLE answers ADD COLUMN moderated_by BIGINT;
ALTER TABLE answers ADD COLUMN moderated_at BIGINT;
CREATE UNIQUE INDEX answers_ref ON answers (public_ref) WHERE public_ref IS NOT NULL;
CREATE INDEX answers_moderation ON answers (organisation_id, state, at_risk, offensive)
    WHERE state IS NOT NULL;
CREATE INDEX answers_originals ON answers (screened_on) WHERE original IS NOT NULL;
-- Choices are counted off answers_question; free text never is, and a long
-- answer is too big for a PostgreSQL btree row (about 2.7 KB): the index now
-- holds the answers that are not free text only.
DROP INDEX answers_question;
CREATE INDEX answers_question ON answers (question_id, position, value) WHERE state IS NULL;

-- Items for the organisation's safeguarding leads: what matched, where it
-- came from, and what the lead did. The text itself stays in answers; an
-- item points at it.
CREATE TABLE safeguarding_items (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    answer_id BIGINT REFERENCES answers (id) ON DELETE SET NULL,
    survey_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    phrase TEXT NOT NULL,
    -- To the hour: the lead may need to know which session it came from.
    created_at BIGINT NOT NULL,
    age_band TEXT,
    area_code TEXT,
    status TEXT NOT NULL,
    action TEXT,
    note TEXT NOT NULL DEFAULT '',
    updated_by BIGINT,
    updated_at BIGINT,
    closed_at BIGINT
);
CREATE INDEX safeguarding_queue ON safeguarding_items (organisation_id, status, id);
CREATE INDEX safeguarding_answer ON safeguarding_items (answer_id);

-- Every record a lead saved on an item, notes and all: the item's history.
-- Deleted with the item; the audit log keeps only who acted, when, and the
-- status and action (never a note).
CREATE TABLE safeguarding_notes (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES safeguarding_items (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    by_email TEXT NOT NULL,
    status TEXT NOT NULL,
    action TEXT,
    note TEXT NOT NULL
);
CREATE INDEX safeguarding_notes_item ON safeguarding_notes (item_id, id);
CREATE INDEX safeguarding_closed ON safeguarding_items (closed_at) WHERE closed_at IS NOT NULL;

-- Risk phrases added in the app: for everyone (organisation NULL, by an
-- administrator) or for one organisation (by its safeguarding lead).
CREATE TABLE risk_phrases (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT REFERENCES organisations (id),
    phrase TEXT NOT NULL,
    added_by BIGINT,
    added_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX risk_phrases_once ON risk_phrases (COALESCE(organisation_id, 0), phrase);

-- Audit lines about things other than accounts (safeguarding items,
-- answers, phrases) say what kind of thing they are about.
ALTER TABLE audit_log ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'account';
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id, id);
