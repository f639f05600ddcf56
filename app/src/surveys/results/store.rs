//! What the results page counts, counted by the database, and free text a
//! page at a time. Portable SQL only: the same statements run on SQLite and
//! PostgreSQL.

use super::rules::TextAnswer;
use super::rules::{AboutCounts, AnswerCount};
use crate::db::Db;
use crate::error::AppError;
use crate::moderation::FreeTextState;
use crate::surveys::model::SurveyForm;
use std::collections::BTreeMap;

/// Everything the results page counts, read from the running tallies
/// (`crate::tallies`): rows bounded by the survey's questions, options and
/// "about you" answers, never by how many responses there are. Free text is
/// read a page at a time by [`text_answers`].
pub struct RawResults {
    pub responses: i64,
    pub last_response_at: Option<i64>,
    pub counts: Vec<AnswerCount>,
    pub answered: Vec<(i64, i64)>,
    pub about: AboutCounts,
}

pub async fn raw_results(db: &Db, survey: &SurveyForm) -> Result<RawResults, AppError> {
    use crate::tallies::store as tallies;
    let (responses, last_response_at) = tallies::survey_totals(db, survey.id).await?;
    let counts = tallies::answer_counts(db, survey.id)
        .await?
        .into_iter()
        .map(|(question_id, position, value, count)| AnswerCount {
            question_id,
            position,
            value,
            count,
        })
        .collect();
    let answered = tallies::answered(db, survey.id).await?;
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

/// The "about you" answers: at most a few rows for each field (every area,
/// every set of groups), whatever the responses.
async fn about_counts(db: &Db, survey_id: i64) -> Result<AboutCounts, AppError> {
    let mut ages: BTreeMap<String, i64> = BTreeMap::new();
    let mut areas: BTreeMap<String, i64> = BTreeMap::new();
    let mut groups: BTreeMap<String, i64> = BTreeMap::new();
    for (age, area, group, n) in crate::tallies::store::about(db, survey_id).await? {
        *ages.entry(age).or_default() += n;
        *areas.entry(area).or_default() += n;
        *groups.entry(group).or_default() += n;
    }
    let said = |m: BTreeMap<String, i64>| -> Vec<(Option<String>, i64)> {
        m.into_iter()
            .map(|(k, n)| ((!k.is_empty()).then_some(k), n))
            .collect()
    };
    Ok(AboutCounts {
        ages: said(ages),
        areas: said(areas),
        groups: said(groups),
    })
}

/// One page of a free-text question's answers, in a stable shuffled order: by
/// the random number each answer was stored with (migration 0009), so the
/// order says nothing about who answered when and stays put from one page
/// load to the next. `answers_by_shuffle` indexes exactly this order, so a
/// page is read off the index, not sorted.
pub const TEXT_PAGE_SQL: &str = "SELECT a.value, a.state, a.offensive, a.at_risk, a.reason
     FROM answers a
     WHERE a.question_id = $1 AND a.state IS NOT NULL
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
