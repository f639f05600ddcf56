-- Responses keep only the day they arrived (the start of its UTC day), never
-- the minute: a time of day could point to the one young person who answered
-- then. New responses are stored that way too.
UPDATE responses SET submitted_at = submitted_at / 86400 * 86400;
