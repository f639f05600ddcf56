//! Running tallies: what results and insights count, kept as counts, so a
//! page reads a few hundred rows whether a survey has 30 responses or a
//! million (migration 0014).
//!
//! Nothing is added on the young person's way in: a submission only writes
//! its rows. A background job ([`store::fold`]) takes the responses after
//! its mark, in id order, a batch at a time, adds them to the tallies and
//! moves the mark past them, in one transaction, every [`FOLD_EVERY`]: a
//! short tail keeps reads fast (waiting for quiet writers was tried and
//! measured: the big folds it made later slowed a sustained rush by 40% on
//! SQLite, and a long tail made PostgreSQL plan results' reads badly).
//! Marking each response instead (migration 0014's `tallied`) rewrote every
//! response once more, with its index entries, on PostgreSQL. Reads add the
//! tallies to what is after the mark (a short tail, read along the primary
//! key), so every page is exact the moment an answer is stored. The few
//! places that delete answers take them back out ([`store::forget`]) in
//! their own transaction.
//!
//! This module is the pure part: turning rows into the amounts to add.

#[cfg(feature = "ssr")]
pub mod store;

use std::collections::BTreeMap;
use std::time::Duration;

/// A "who" key (`By::Who`: `area|age band|groups`) as (area, age band,
/// groups).
pub fn split_who(key: &str) -> (&str, &str, &str) {
    let mut parts = key.splitn(3, '|');
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}

/// How often the fold job runs.
pub const FOLD_EVERY: Duration = Duration::from_secs(1);

/// A month as stored in the tallies: `year * 100 + month` (202611).
pub fn month_key(day: i64) -> i64 {
    let (year, month) = crate::services::rating::year_month(day);
    year * 100 + i64::from(month)
}

/// The first second of the month `key`, and of the month after it.
pub fn month_bounds(key: i64) -> (i64, i64) {
    let (year, month) = (key / 100, key % 100);
    let start = days_from_civil(year, month, 1) * 86_400;
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (start, days_from_civil(ny, nm, 1) * 86_400)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether an answer says something good, for the outcome figures: a scale
/// at 4 or 5, or "yes". The one rule, in SQL, used by folding and by the
/// tail alike (`q` the question, `a` the answer).
pub const POSITIVE_SQL: &str = "CASE WHEN (q.kind = 'scale' AND a.value IN ('4', '5'))
                                       OR (q.kind = 'yes_no' AND a.value = 'yes') THEN 1 ELSE 0 END";

/// [`POSITIVE_SQL`] for an answer in hand (folding, and taking back out).
pub fn is_positive(kind: &str, value: &str) -> bool {
    matches!((kind, value), ("scale", "4" | "5") | ("yes_no", "yes"))
}

/// Question kinds whose answers count toward an outcome figure.
pub const OUTCOME_KINDS_SQL: &str = "('scale', 'yes_no')";

/// Who answered, as tallied: '' where they did not say.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Who {
    pub month: i64,
    pub age_band: String,
    pub area_code: String,
    pub groups: String,
}

/// One response not tallied yet.
#[derive(Debug, Clone)]
pub struct ResponseRow {
    pub survey_id: i64,
    pub day: i64,
    pub who: Who,
}

/// One answer not tallied yet (or being taken back out), with what folding
/// needs of its question and response.
#[derive(Debug, Clone)]
pub struct AnswerRow {
    pub response_id: i64,
    pub survey_id: i64,
    pub question_id: i64,
    pub kind: String,
    pub outcome: Option<String>,
    pub position: i64,
    pub value: String,
    /// Not hidden by moderation (`state IS NULL`): what results count.
    pub counted: bool,
    pub positive: bool,
    pub who: Who,
}

/// The amounts to add (or, folded with `-1`, take away).
#[derive(Debug, Default, PartialEq)]
pub struct Fold {
    /// survey → (responses, last day)
    pub surveys: BTreeMap<i64, (i64, i64)>,
    pub responses: BTreeMap<(i64, Who), i64>,
    /// (question, position, value) → answers
    pub answers: BTreeMap<(i64, i64, String), i64>,
    /// question → responses that answered it
    pub answered: BTreeMap<i64, i64>,
    /// (survey, outcome, who) → (positive, answered)
    pub outcomes: BTreeMap<(i64, String, Who), (i64, i64)>,
}

fn is_text(kind: &str) -> bool {
    matches!(kind, "short_text" | "long_text")
}

impl Fold {
    pub fn is_empty(&self) -> bool {
        self.surveys.is_empty()
            && self.responses.is_empty()
            && self.answers.is_empty()
            && self.answered.is_empty()
            && self.outcomes.is_empty()
    }

    pub fn response(&mut self, row: ResponseRow) {
        let survey = self.surveys.entry(row.survey_id).or_insert((0, 0));
        survey.0 += 1;
        survey.1 = survey.1.max(row.day);
        *self.responses.entry((row.survey_id, row.who)).or_default() += 1;
    }

    /// Adds `rows` times `sign`. A question's rows for one response must come
    /// together (multiple choice is answered once a response, however many
    /// boxes were ticked); the stores keep them together.
    pub fn answers(&mut self, rows: &[AnswerRow], sign: i64) {
        let mut multiple: std::collections::BTreeSet<(i64, i64)> = Default::default();
        for a in rows {
            if is_text(&a.kind) {
                // Free text: every answer counts as answered, whatever its
                // moderation; the words are never tallied.
                *self.answered.entry(a.question_id).or_default() += sign;
                continue;
            }
            if a.kind == "multiple_choice" {
                if multiple.insert((a.response_id, a.question_id)) {
                    *self.answered.entry(a.question_id).or_default() += sign;
                }
            } else if a.counted && a.position <= 1 {
                *self.answered.entry(a.question_id).or_default() += sign;
            }
            if !a.counted {
                continue;
            }
            *self
                .answers
                .entry((a.question_id, a.position, a.value.clone()))
                .or_default() += sign;
            if let Some(outcome) = &a.outcome {
                if matches!(a.kind.as_str(), "scale" | "yes_no") {
                    let o = self
                        .outcomes
                        .entry((a.survey_id, outcome.clone(), a.who.clone()))
                        .or_default();
                    o.0 += sign * i64::from(a.positive);
                    o.1 += sign;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Who {
        Who {
            month: 202611,
            age_band: "13-15".into(),
            area_code: String::new(),
            groups: "young_carer".into(),
        }
    }

    fn answer(response: i64, question: i64, kind: &str, position: i64, value: &str) -> AnswerRow {
        AnswerRow {
            response_id: response,
            survey_id: 1,
            question_id: question,
            kind: kind.into(),
            outcome: (kind == "scale").then(|| "be_healthy".to_string()),
            position,
            value: value.into(),
            counted: true,
            positive: value == "5",
            who: who(),
        }
    }

    #[test]
    fn months_are_keyed_and_bounded_by_their_first_seconds() {
        // 2026-11-24
        let day = 1_795_478_400;
        assert_eq!(month_key(day), 202611);
        let (start, end) = month_bounds(202611);
        assert_eq!(month_key(start), 202611);
        assert_eq!(month_key(start - 86_400), 202610);
        assert_eq!(month_key(end), 202612);
        assert_eq!(month_key(end - 86_400), 202611);
        assert!(start <= day && day < end);
        let (dec, jan) = month_bounds(202612);
        assert_eq!((month_key(dec), month_key(jan)), (202612, 202701));
        assert_eq!(month_bounds(197001).0, 0);
    }

    #[test]
    fn multiple_choice_counts_a_response_once_and_text_every_answer() {
        let mut f = Fold::default();
        f.answers(
            &[
                answer(1, 10, "multiple_choice", 0, "o1"),
                answer(1, 10, "multiple_choice", 0, "o2"),
                answer(2, 10, "multiple_choice", 0, "o2"),
                answer(1, 11, "long_text", 0, "words"),
                answer(1, 12, "ranking", 1, "o2"),
                answer(1, 12, "ranking", 2, "o1"),
                answer(1, 13, "scale", 0, "5"),
                answer(2, 13, "scale", 0, "2"),
            ],
            1,
        );
        assert_eq!(f.answered[&10], 2);
        assert_eq!(f.answered[&11], 1);
        assert_eq!(f.answered[&12], 1);
        assert_eq!(f.answered[&13], 2);
        assert_eq!(f.answers[&(10, 0, "o2".to_string())], 2);
        assert!(
            !f.answers.keys().any(|(q, _, _)| *q == 11),
            "words are never tallied"
        );
        assert_eq!(f.outcomes[&(1, "be_healthy".to_string(), who())], (1, 2));
    }

    #[test]
    fn taking_rows_back_out_leaves_nothing() {
        let rows = [
            answer(1, 10, "multiple_choice", 0, "o1"),
            answer(1, 13, "scale", 0, "5"),
            answer(1, 11, "short_text", 0, "hi"),
        ];
        let mut f = Fold::default();
        f.answers(&rows, 1);
        f.answers(&rows, -1);
        assert!(f.answered.values().all(|n| *n == 0));
        assert!(f.answers.values().all(|n| *n == 0));
        assert!(f.outcomes.values().all(|n| *n == (0, 0)));
    }

    #[test]
    fn hidden_answers_count_as_answered_text_only() {
        let mut hidden = answer(1, 13, "scale", 0, "5");
        hidden.counted = false;
        let mut f = Fold::default();
        f.answers(&[hidden], 1);
        assert!(
            !f.answered.contains_key(&13),
            "a hidden scale answer is not answered"
        );
        assert!(f.outcomes.is_empty());
    }

    #[test]
    fn responses_count_by_who_and_keep_the_last_day() {
        let mut f = Fold::default();
        for day in [86_400 * 3, 86_400 * 9, 86_400 * 5] {
            f.response(ResponseRow {
                survey_id: 4,
                day,
                who: who(),
            });
        }
        assert_eq!(f.surveys[&4], (3, 86_400 * 9));
        assert_eq!(f.responses[&(4, who())], 3);
    }
}
