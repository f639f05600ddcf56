-- Folding (app/src/tallies) keeps one mark, how far it has folded, instead
-- of marking each response tallied (0014). A fold no longer rewrites every
-- response it takes (on PostgreSQL a new row version and new entries in
-- each of responses' indexes, as `tallied` was in an index's condition),
-- and a submission no longer adds an entry to `responses_untallied`: the
-- tail is every response after the mark, read along the primary key.
-- Responses are never deleted, so an id is never given twice.
-- Old servers still running wait while the mark is set.
LOCK TABLE responses IN ACCESS EXCLUSIVE MODE;
ALTER TABLE tally_folder ADD COLUMN folded_to BIGINT NOT NULL DEFAULT 0;
-- Where every folded response comes before every one not folded yet (the
-- fold keeps up, so almost always), the mark goes after the last folded one
-- and the tallies stay.
UPDATE tally_folder
SET folded_to = COALESCE((SELECT MIN(id) - 1 FROM responses WHERE tallied = 0),
                         (SELECT MAX(id) FROM responses), 0)
WHERE id = 1 AND NOT EXISTS (
    SELECT 1 FROM responses t
    WHERE t.tallied = 1 AND t.id > (SELECT MIN(u.id) FROM responses u WHERE u.tallied = 0)
);
-- Otherwise the tallies are counted again from the start: until the fold
-- has caught up, pages read a longer tail, exact all the while.
DELETE FROM survey_tallies WHERE (SELECT folded_to FROM tally_folder WHERE id = 1) = 0;
DELETE FROM response_tallies WHERE (SELECT folded_to FROM tally_folder WHERE id = 1) = 0;
DELETE FROM answer_tallies WHERE (SELECT folded_to FROM tally_folder WHERE id = 1) = 0;
DELETE FROM question_tallies WHERE (SELECT folded_to FROM tally_folder WHERE id = 1) = 0;
DELETE FROM outcome_tallies WHERE (SELECT folded_to FROM tally_folder WHERE id = 1) = 0;
DROP INDEX responses_untallied;
ALTER TABLE responses DROP COLUMN tallied;
