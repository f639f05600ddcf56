-- Responses not folded into the tallies yet sit on a small queue rather
-- than carry a mark: folding takes rows off the queue instead of rewriting
-- every response it folds (on PostgreSQL each rewrite was a new row version
-- and new index entries). A trigger queues every new response, whichever
-- code stores it.
CREATE TABLE tally_queue (
    response_id BIGINT PRIMARY KEY
);
INSERT INTO tally_queue (response_id) SELECT id FROM responses WHERE tallied = 0;
CREATE FUNCTION queue_for_tallies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tally_queue (response_id) VALUES (NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER responses_to_tally AFTER INSERT ON responses
    FOR EACH ROW EXECUTE FUNCTION queue_for_tallies();
DROP INDEX responses_untallied;
ALTER TABLE responses DROP COLUMN tallied;
