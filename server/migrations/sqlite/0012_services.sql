-- Services young people rate (app/src/services). A service's ratings are
-- responses to a survey of its own (surveys.service_id points back), so every
-- comment goes through the same screening, moderation, safeguarding and
-- retention as any answer, and results count them as the answers they are.
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- In the public address: /services/{slug}.
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- The name folded for search (lower case, letters and digits), its
    -- initials and its kind's words: what a search is matched against.
    search_text TEXT NOT NULL,
    -- Folded name: one service of a name per organisation.
    folded_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    area_code TEXT NOT NULL REFERENCES areas (code),
    outcomes TEXT NOT NULL,
    description TEXT NOT NULL,
    contact TEXT NOT NULL,
    website TEXT,
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX services_name ON services (organisation_id, folded_name);
CREATE INDEX services_area ON services (area_code, kind) WHERE active = 1;
CREATE INDEX services_organisation ON services (organisation_id, folded_name);
ALTER TABLE surveys ADD COLUMN service_id INTEGER;

-- "Once per phone" for ratings (again after 30 days) and supports (once):
-- a keyed digest of the phone's random cookie and the thing it is about, so
-- one phone's marks cannot be linked to one another or to its answers.
CREATE TABLE phone_marks (
    subject TEXT NOT NULL,
    phone TEXT NOT NULL,
    until_at INTEGER NOT NULL,
    PRIMARY KEY (subject, phone)
);
CREATE INDEX phone_marks_until ON phone_marks (until_at);
