-- Folding (app/src/tallies) keeps one mark, how far it has folded, instead
-- of marking each response tallied (0014). A fold no longer rewrites every
-- response it takes (on PostgreSQL a new row version and new entries in
-- each of responses' indexes, as `tallied` was in an index's condition),
-- and a submission no longer adds an entry to `responses_untallied`: the
-- tail is every response after the mark, read along the primary key.
-- Responses are never deleted, so an id is never given twice.
DROP INDEX responses_untallied;
ALTER TABLE responses DROP COLUMN tallied;
ALTER TABLE tally_folder ADD COLUMN folded_to BIGINT NOT NULL DEFAULT 0;
-- The tallies are counted again from the start (a mark can't say which
-- responses the old flags had folded): until the fold has caught up, the
-- pages read a longer tail, exact all the while.
DELETE FROM survey_tallies;
DELETE FROM response_tallies;
DELETE FROM answer_tallies;
DELETE FROM question_tallies;
DELETE FROM outcome_tallies;
