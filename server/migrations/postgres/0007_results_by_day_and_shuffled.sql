-- Responses keep only the day they arrived (the start of its UTC day), never
-- the minute: a time of day could point to the one young person who answered
-- then. New responses are stored that way too.
UPDATE responses SET submitted_at = submitted_at / 86400 * 86400;

-- Free-text answers are shown a page at a time in a stable shuffled order (a
-- multiplicative hash of the response id, so the order says nothing about
-- who answered when). Indexing that order reads any page straight off the
-- index instead of sorting every answer. The expression must stay exactly
-- the one in `surveys::store::text_answers`.
CREATE INDEX answers_shuffled ON answers (
    question_id,
    (((response_id % 2147483648) * 2654435761) % 2147483648),
    response_id
);
