-- Running tallies (app/src/tallies): what results and insights count, kept
-- as counts so a page reads a few hundred rows whatever the responses. A
-- background job folds new responses, with their answers, in (`tallied`
-- 0 → 1) a batch at a time; reads add what is not folded yet, so they are
-- exact. Only responses carry the mark: one row a submission, not one an
-- answer, so folding rewrites little.
-- Months are `year * 100 + month`; a missing "about you" is stored as ''.
-- `area_code` is the area the young person gave (insights fall back to the
-- organisation's area where they gave none).
ALTER TABLE responses ADD COLUMN tallied BIGINT NOT NULL DEFAULT 0;
CREATE INDEX responses_untallied ON responses (survey_id) WHERE tallied = 0;

CREATE TABLE survey_tallies (
    survey_id BIGINT PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
    responses BIGINT NOT NULL,
    last_day BIGINT NOT NULL
);

CREATE TABLE response_tallies (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    month BIGINT NOT NULL,
    age_band TEXT NOT NULL,
    area_code TEXT NOT NULL,
    groups TEXT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (survey_id, month, age_band, area_code, groups)
);

CREATE TABLE answer_tallies (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    answers BIGINT NOT NULL,
    PRIMARY KEY (question_id, position, value)
);

-- How many responses answered each question (multiple choice counted once
-- a response; free text once an answer).
CREATE TABLE question_tallies (
    question_id BIGINT PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    answered BIGINT NOT NULL
);

-- Answers to questions tagged with an outcome that say something good or
-- not (scales 4-5, "yes"), by who answered and when.
CREATE TABLE outcome_tallies (
    survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    month BIGINT NOT NULL,
    age_band TEXT NOT NULL,
    area_code TEXT NOT NULL,
    groups TEXT NOT NULL,
    positive BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    PRIMARY KEY (survey_id, outcome, month, age_band, area_code, groups)
);

-- One row: folding jobs on several servers take turns on it.
CREATE TABLE tally_folder (
    id BIGINT PRIMARY KEY,
    folded_at BIGINT NOT NULL
);
INSERT INTO tally_folder (id, folded_at) VALUES (1, 0);

-- Young people in each area and age band (for example the ONS mid-year
-- estimates), loaded by administrators, so reach shows as a share.
CREATE TABLE populations (
    area_code TEXT NOT NULL REFERENCES areas (code),
    age_band TEXT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (area_code, age_band)
);

-- "What young people said": approved words read in the shuffled order, a
-- page at a time, without sorting them all.
CREATE INDEX answers_approved ON answers (shuffle, id)
    WHERE state = 'approved' AND at_risk = 0 AND offensive = 0;
