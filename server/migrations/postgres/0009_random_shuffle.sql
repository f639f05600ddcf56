-- Free text is shown in a stable shuffled order so that the order says
-- nothing about who answered when. 0007 ordered by a fixed formula of the
-- response id, which anyone who reads the code could undo (ids are given out
-- in order). Each answer now carries a random number drawn when it is stored.
ALTER TABLE answers ADD COLUMN shuffle BIGINT NOT NULL DEFAULT 0;
UPDATE answers SET shuffle = floor(random() * 2147483648)::bigint;
DROP INDEX answers_shuffled;
CREATE INDEX answers_by_shuffle ON answers (question_id, shuffle, response_id);
