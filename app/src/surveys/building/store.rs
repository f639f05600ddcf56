//! The builder's writes: new surveys, their details and questions, status and
//! copies. Portable SQL only: the same statements run on SQLite and PostgreSQL.

use crate::about_you::AgeBand;
use crate::db::{now, Changed, Db};
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::surveys::model::{Question, SurveyStatus, TITLE_LIMIT};
use crate::surveys::store::OwnedSurvey;
use rand::Rng;
use sqlx::{Any, Transaction};

/// A short, unguessable public address part for a survey or a service.
pub(crate) fn new_slug() -> String {
    // No vowels or look-alikes: short, unguessable, never spells a word.
    const ALPHABET: &[u8] = b"bcdfghjkmnpqrstvwxz23456789";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A new survey's row, as every way of making one writes it.
pub(crate) struct NewSurvey<'a> {
    pub organisation_id: i64,
    pub title: &'a str,
    pub intro: &'a str,
    pub age_bands: &'a [AgeBand],
    pub tags: &'a [Outcome],
    pub status: SurveyStatus,
    pub ask_about_you: bool,
    pub created_by: Option<i64>,
}

/// Adds a survey (with a new slug) inside `tx`; its id.
pub(crate) async fn insert_survey(
    tx: &mut Transaction<'static, Any>,
    s: &NewSurvey<'_>,
) -> Result<i64, AppError> {
    let t = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO surveys (organisation_id, slug, title, intro, age_bands, tags, status, closes_on, ask_about_you, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $10) RETURNING id",
    )
    .bind(s.organisation_id)
    .bind(new_slug())
    .bind(s.title.chars().take(TITLE_LIMIT).collect::<String>())
    .bind(s.intro)
    .bind(AgeBand::join(s.age_bands))
    .bind(Outcome::join(s.tags))
    .bind(s.status.key())
    .bind(i64::from(s.ask_about_you))
    .bind(s.created_by)
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn create(
    db: &Db,
    organisation_id: i64,
    title: &str,
    created_by: Option<i64>,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let id = insert_survey(
        &mut tx,
        &NewSurvey {
            organisation_id,
            title,
            intro: "",
            age_bands: &[],
            tags: &[],
            status: SurveyStatus::Draft,
            ask_about_you: true,
            created_by,
        },
    )
    .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(id)
}

pub struct Details<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub age_bands: &'a [AgeBand],
    pub tags: &'a [Outcome],
    pub closes_on: Option<&'a str>,
    pub ask_about_you: bool,
}

pub async fn update_details(db: &Db, id: i64, d: Details<'_>) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query(
        "UPDATE surveys SET title = $1, intro = $2, age_bands = $3, tags = $4, closes_on = $5, ask_about_you = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(d.title)
    .bind(d.intro)
    .bind(AgeBand::join(d.age_bands))
    .bind(Outcome::join(d.tags))
    .bind(d.closes_on)
    .bind(i64::from(d.ask_about_you))
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(())
}

async fn touch(tx: &mut Transaction<'static, Any>, survey_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE surveys SET updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(survey_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds question `q` at `position` of survey `survey_id`.
pub(crate) async fn insert_question(
    tx: &mut Transaction<'static, Any>,
    survey_id: i64,
    position: i64,
    q: &Question,
) -> Result<i64, AppError> {
    let settings = serde_json::to_string(&q.settings).map_err(|_| AppError::Unexpected)?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO questions (survey_id, position, kind, prompt, help, required, outcome, settings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(survey_id)
    .bind(position)
    .bind(q.kind.key())
    .bind(&q.prompt)
    .bind(&q.help)
    .bind(i64::from(q.required))
    .bind(q.outcome.map(|o| o.key()))
    .bind(settings)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Claims the survey for this write transaction: marks it changed, but only
/// if it is still in the state `seen` when the change was checked. Two people
/// at one builder (or a double tap across an open) cannot slip a change past
/// a rule that no longer holds: the second finds the survey changed and is
/// told so. On PostgreSQL the update also locks the row until commit.
async fn claim(
    tx: &mut Transaction<'static, Any>,
    survey_id: i64,
    seen: SurveyStatus,
) -> Result<(), AppError> {
    let claimed = sqlx::query("UPDATE surveys SET updated_at = $1 WHERE id = $2 AND status = $3")
        .bind(now())
        .bind(survey_id)
        .bind(seen.key())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if claimed == 1 {
        Ok(())
    } else {
        Err(AppError::invalid(crate::copy::SURVEY_CHANGED))
    }
}

/// Adds a question at the end of a survey seen in state `seen` (a draft: see
/// [`crate::surveys::model::check_structure_change`]).
pub async fn add_question(
    db: &Db,
    survey_id: i64,
    seen: SurveyStatus,
    q: &Question,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    claim(&mut tx, survey_id, seen).await?;
    let (next, count): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(MAX(position), 0) + 1, COUNT(*) FROM questions WHERE survey_id = $1",
    )
    .bind(survey_id)
    .fetch_one(&mut **tx)
    .await?;
    if count >= crate::surveys::model::MAX_QUESTIONS as i64 {
        return Err(AppError::invalid(format!(
            "A survey can have at most {} questions.",
            crate::surveys::model::MAX_QUESTIONS
        )));
    }
    let id = insert_question(&mut tx, survey_id, next, q).await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(id)
}

/// Rewrites a question of a survey seen in state `seen`.
pub async fn update_question(
    db: &Db,
    survey_id: i64,
    seen: SurveyStatus,
    q: &Question,
) -> Result<(), AppError> {
    let settings = serde_json::to_string(&q.settings).map_err(|_| AppError::Unexpected)?;
    let mut tx = db.write().await?;
    claim(&mut tx, survey_id, seen).await?;
    sqlx::query(
        "UPDATE questions SET kind = $1, prompt = $2, help = $3, required = $4, outcome = $5, settings = $6 WHERE id = $7 AND survey_id = $8",
    )
    .bind(q.kind.key())
    .bind(&q.prompt)
    .bind(&q.help)
    .bind(i64::from(q.required))
    .bind(q.outcome.map(|o| o.key()))
    .bind(settings)
    .bind(q.id)
    .bind(survey_id)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(())
}

/// Deletes a question of a survey seen in state `seen` (a draft).
pub async fn delete_question(
    db: &Db,
    survey_id: i64,
    seen: SurveyStatus,
    question_id: i64,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    claim(&mut tx, survey_id, seen).await?;
    sqlx::query("DELETE FROM questions WHERE id = $1 AND survey_id = $2")
        .bind(question_id)
        .bind(survey_id)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(())
}

/// Writes the questions' order as given (ids in their new order).
pub async fn reorder(db: &Db, survey_id: i64, order: &[i64]) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    for (i, id) in order.iter().enumerate() {
        sqlx::query("UPDATE questions SET position = $1 WHERE id = $2 AND survey_id = $3")
            .bind(i as i64 + 1)
            .bind(id)
            .bind(survey_id)
            .execute(&mut **tx)
            .await?;
    }
    touch(&mut tx, survey_id).await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(())
}

/// Moves a survey from `from` (as it was seen when the move was checked) to `to`.
pub async fn set_status(
    db: &Db,
    survey_id: i64,
    from: SurveyStatus,
    to: SurveyStatus,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    claim(&mut tx, survey_id, from).await?;
    sqlx::query("UPDATE surveys SET status = $1 WHERE id = $2")
        .bind(to.key())
        .bind(survey_id)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(())
}

/// Copies a survey and its questions into a new draft; answers stay behind.
pub async fn duplicate(
    db: &Db,
    source: &OwnedSurvey,
    created_by: Option<i64>,
) -> Result<i64, AppError> {
    let f = &source.form;
    let mut tx = db.write().await?;
    let id = insert_survey(
        &mut tx,
        &NewSurvey {
            organisation_id: source.organisation_id,
            title: &format!("{} (copy)", f.title),
            intro: &f.intro,
            age_bands: &f.age_bands,
            tags: &f.tags,
            status: SurveyStatus::Draft,
            ask_about_you: f.ask_about_you,
            created_by,
        },
    )
    .await?;
    for (i, q) in f.questions.iter().enumerate() {
        insert_question(&mut tx, id, i as i64 + 1, q).await?;
    }
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(id)
}
