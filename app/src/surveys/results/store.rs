//! What the results page counts, counted by the database, and free text a
//! page at a time. Portable SQL only: the same statements run on SQLite and
//! PostgreSQL.

use super::rules::TextAnswer;
use super::rules::{AboutCounts, AnswerCount};
use crate::db::Db;
use crate::error::AppError;
use crate::moderation::FreeTextState;
use crate::surveys::model::SurveyForm;

/// Everything the results page counts, each counted by the database: a
/// handful of grouped queries whose rows are bounded by the survey's questions
/// and options (never by how many responses there are). Free text is read a
/// page at a time by [`text_answers`].
pub struct RawResults {
    pub responses: i64,
    pub last_response_at: Option<i64>,
    pub counts: Vec<AnswerCount>,
    pub answered: Vec<(i64, i64)>,
    pub about: AboutCounts,
}

pub async fn raw_results(db: &Db, survey: &SurveyForm) -> Result<RawResults, AppError> {
    let (responses, last_response_at): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(submitted_at) FROM responses WHERE survey_id = $1")
            .bind(survey.id)
            .fetch_one(db.pool())
            .await?;
    // Free text is left out here: every answer would be a group of its own.
    // Read straight off the `answers_question` index (which holds every
    // answer but free text), question by question.
    let counted: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.position, a.value, COUNT(*) FROM answers a
         WHERE a.question_id IN (SELECT id FROM questions
                                 WHERE survey_id = $1 AND kind NOT IN ('short_text', 'long_text'))
           AND a.state IS NULL
         GROUP BY a.question_id, a.position, a.value",
    )
    .bind(survey.id)
    .fetch_all(db.pool())
    .await?;
    let counts = counted
        .into_iter()
        .map(|(question_id, position, value, count)| AnswerCount {
            question_id,
            position,
            value,
            count,
        })
        .collect();
    // Every kind but multiple choice stores one answer a response at place 0
    // or 1 (rankings fill places from 1), so counting those rows counts the
    // responses, off the index; only multiple choice needs a distinct count.
    // Kinds never change once a survey has answers.
    let answered: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.question_id, COUNT(*) FROM answers a
         WHERE a.question_id IN (SELECT id FROM questions
                                 WHERE survey_id = $1
                                   AND kind NOT IN ('multiple_choice', 'short_text', 'long_text'))
           AND a.position <= 1 AND a.state IS NULL
         GROUP BY a.question_id
         UNION ALL
         SELECT a.question_id, COUNT(*) FROM answers a
         WHERE a.question_id IN (SELECT id FROM questions
                                 WHERE survey_id = $1 AND kind IN ('short_text', 'long_text'))
         GROUP BY a.question_id
         UNION ALL
         SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM answers a
         WHERE a.question_id IN (SELECT id FROM questions
                                 WHERE survey_id = $1 AND kind = 'multiple_choice')
         GROUP BY a.question_id",
    )
    .bind(survey.id)
    .fetch_all(db.pool())
    .await?;
    let about = if survey.ask_about_you {
        about_counts(db, survey.id).await?
    } else {
        AboutCounts::default()
    };
    Ok(RawResults {
        responses,
        last_response_at,
        counts,
        answered,
        about,
    })
}

/// The "about you" answers grouped by the database: at most a few rows for
/// each field (every area, every set of groups), whatever the responses.
async fn about_counts(db: &Db, survey_id: i64) -> Result<AboutCounts, AppError> {
    let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT 'age', age_band, COUNT(*) FROM responses WHERE survey_id = $1 GROUP BY age_band
         UNION ALL
         SELECT 'area', area_code, COUNT(*) FROM responses WHERE survey_id = $1 GROUP BY area_code
         UNION ALL
         SELECT 'groups', groups, COUNT(*) FROM responses WHERE survey_id = $1 GROUP BY groups",
    )
    .bind(survey_id)
    .fetch_all(db.pool())
    .await?;
    let mut about = AboutCounts::default();
    for (field, value, count) in rows {
        let into = match field.as_str() {
            "age" => &mut about.ages,
            "area" => &mut about.areas,
            _ => &mut about.groups,
        };
        into.push((value, count));
    }
    Ok(about)
}

/// One page of a free-text question's answers, in a stable shuffled order: by
/// the random number each answer was stored with (migration 0009), so the
/// order says nothing about who answered when and stays put from one page
/// load to the next. `answers_by_shuffle` indexes exactly this order, so a
/// page is read off the index, not sorted.
pub const TEXT_PAGE_SQL: &str = "SELECT a.value, a.state, a.offensive, a.at_risk, a.reason
     FROM answers a
     WHERE a.question_id = $1
     ORDER BY a.shuffle, a.response_id
     LIMIT $2 OFFSET $3";

/// One page of a free-text question's answers ([`TEXT_PAGE_SQL`]), each with
/// its state; words that are hidden or with the safeguarding lead never leave
/// this function.
pub async fn text_answers(
    db: &Db,
    question_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<TextAnswer>, AppError> {
    type Row = (
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(TEXT_PAGE_SQL)
        .bind(question_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(value, state, offensive, at_risk, reason)| {
            // Every text answer is screened as it is stored (and older ones
            // when heard upgrades); one that was not is treated as unsafe.
            let state = FreeTextState::from_stored(
                state.as_deref().unwrap_or("waiting"),
                offensive.unwrap_or(0) != 0,
                at_risk.is_none_or(|r| r != 0),
                reason.unwrap_or_default(),
            );
            TextAnswer::new(value, state)
        })
        .collect())
}
