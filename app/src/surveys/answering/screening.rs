//! Every text answer in a submission through the text pipeline
//! ([`crate::words::screen`]) before anything is stored: the text stored in
//! `answers` is the redacted one; what screening found goes beside it.

use super::rules::{Answer, Submission};
use crate::words::{risk::RiskList, screen, Screened};

/// What screening found in one submission's text answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Screening {
    /// `(question id, what screening found)` for each text answer.
    pub texts: Vec<(i64, Screened)>,
}

impl Screening {
    pub fn of(submission: &Submission, risks: &RiskList) -> Screening {
        let texts = submission
            .answers
            .iter()
            .filter_map(|(qid, a)| match a {
                Answer::Text(t) => Some((*qid, screen(t, risks))),
                _ => None,
            })
            .collect();
        Screening { texts }
    }

    /// The submission as it is stored: each text answer redacted.
    pub fn stored(&self, submission: &Submission) -> Submission {
        let mut stored = submission.clone();
        for (qid, answer) in &mut stored.answers {
            if let Answer::Text(t) = answer {
                if let Some((_, s)) = self.texts.iter().find(|(q, _)| q == qid) {
                    *t = s.redacted.clone();
                }
            }
        }
        stored
    }

    /// Something they wrote matched the risk list: the next page leads with help.
    pub fn needs_help(&self) -> bool {
        self.texts.iter().any(|(_, s)| s.risk.is_some())
    }

    /// What screening found about question `qid`'s answer.
    pub fn of_question(&self, qid: i64) -> Option<&Screened> {
        self.texts.iter().find(|(q, _)| *q == qid).map(|(_, s)| s)
    }
}

/// Text answers stored before heard screened free text (an upgrade): screened
/// now, in batches, as if just sent: redacted, flagged, and items made for
/// the safeguarding lead (no email: the count in the leads' navigation shows
/// them). Returns how many were screened. Runs at start-up (`heard migrate`,
/// and before serving), before anyone reads results; servers starting
/// together screen each answer once.
pub async fn screen_unscreened(db: &crate::db::Db) -> Result<u64, crate::error::AppError> {
    use super::store::{record_items, ScreeningColumns, TextPlace};
    use std::collections::HashMap;
    const BATCH: i64 = 500;
    type Row = (
        i64,
        i64,
        i64,
        i64,
        String,
        Option<String>,
        Option<String>,
        i64,
        String,
    );
    let mut lists: HashMap<i64, RiskList> = HashMap::new();
    let mut screened = 0;
    loop {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT a.id, s.organisation_id, s.id, a.question_id, a.value, r.age_band, r.area_code,
                    r.submitted_at, q.kind
             FROM answers a
             JOIN questions q ON q.id = a.question_id
             JOIN responses r ON r.id = a.response_id
             JOIN surveys s ON s.id = r.survey_id
             WHERE q.kind IN ('short_text', 'long_text')
               AND a.state IS NULL
             ORDER BY a.id LIMIT $1",
        )
        .bind(BATCH)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            return Ok(screened);
        }
        for (_, org, ..) in &rows {
            if !lists.contains_key(org) {
                let added = crate::safeguarding::store::phrases_in_use(db, *org).await?;
                lists.insert(*org, RiskList::with_additions(&added));
            }
        }
        // Screened before the write turn is taken: the turn holds only SQL.
        let mut found = Vec::with_capacity(rows.len());
        let mut places = Vec::with_capacity(rows.len());
        for (
            answer_id,
            organisation_id,
            survey_id,
            question_id,
            value,
            age_band,
            area_code,
            sent_at,
            kind,
        ) in rows
        {
            // Cleaned as answers are cleaned now, so what is stored is what a
            // moderator sees and edits.
            let value = crate::text::clean(&value, kind == "long_text");
            found.push(screen(&value, &lists[&organisation_id]));
            places.push(TextPlace {
                answer_id,
                organisation_id,
                survey_id,
                question_id,
                age_band,
                area_code,
                sent_at,
            });
        }
        let mut tx = db.write().await?;
        let mut matched = Vec::new();
        for (place, found) in places.iter().zip(&found) {
            let c = ScreeningColumns::of(found, place.organisation_id, place.sent_at);
            // Only if still unscreened: servers starting together screen it once.
            let sql = format!(
                "UPDATE answers SET value = $1, ({}) = ($2, $3, $4, $5, $6, $7, $8, $9)
                 WHERE id = $10 AND state IS NULL RETURNING id, question_id",
                ScreeningColumns::NAMES
            );
            let q = sqlx::query_as::<_, (i64, i64)>(&sql).bind(&found.redacted);
            let done = c
                .bind(q)
                .bind(place.answer_id)
                .fetch_optional(&mut **tx)
                .await?;
            if let (Some(_), Some(phrase)) = (done, &found.risk) {
                matched.push((place.clone(), phrase.as_str()));
            }
        }
        record_items(&mut tx, &matched).await?;
        screened += places.len() as u64;
        tx.commit().await?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(texts: &[(i64, &str)]) -> Submission {
        let mut answers: Vec<(i64, Answer)> = texts
            .iter()
            .map(|(q, t)| (*q, Answer::Text(t.to_string())))
            .collect();
        answers.push((9, Answer::Scale(4)));
        Submission {
            answers,
            about: Default::default(),
        }
    }

    #[test]
    fn only_text_answers_are_screened_and_stored_redacted() {
        let s = submission(&[(1, "email me at sam@example.com"), (2, "fine")]);
        let screening = Screening::of(&s, RiskList::standard());
        assert_eq!(screening.texts.len(), 2);
        let stored = screening.stored(&s);
        assert_eq!(
            stored.answers[0].1,
            Answer::Text("email me at [email removed]".into())
        );
        assert_eq!(stored.answers[1].1, Answer::Text("fine".into()));
        assert_eq!(stored.answers[2].1, Answer::Scale(4));
        assert!(!screening.needs_help());
    }

    #[test]
    fn a_risk_phrase_anywhere_means_help_first() {
        let s = submission(&[(1, "the club is ok"), (2, "my stepdad hits me")]);
        let screening = Screening::of(&s, RiskList::standard());
        assert!(screening.needs_help());
        assert!(screening.of_question(2).is_some_and(|s| s.risk.is_some()));
        assert!(screening.of_question(1).is_some_and(|s| s.risk.is_none()));
    }
}
