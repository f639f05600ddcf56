-- Results are read from the tallies (0014), so a submission no longer pays
-- for indexes that only counted answers: `answers_question` (choices by
-- question, place and value) goes, and `answers_by_shuffle` keeps only what
-- it is read for, pages of free text (text answers always carry a state).
-- Each choice a young person sends now writes the row and one index
-- (`answers_response`) instead of three.
DROP INDEX answers_question;
DROP INDEX answers_by_shuffle;
CREATE INDEX answers_by_shuffle ON answers (question_id, shuffle, response_id) WHERE state IS NOT NULL;
