//! Shared reads of surveys and their questions, used by building, answering
//! and results alike. Each feature's writes and counts live in its own
//! `store.rs`. Portable SQL only: the same statements run on SQLite and
//! PostgreSQL.

use super::model::{Question, QuestionKind, QuestionSettings, SurveyForm, SurveyStatus};
use super::{StaffSurveyRow, SurveyCard};
use crate::about_you::AgeBand;
use crate::accounts::Reach;
use crate::db::Db;
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::paging::Page;

#[derive(sqlx::FromRow)]
struct SurveyRow {
    id: i64,
    organisation_id: i64,
    slug: String,
    title: String,
    intro: String,
    age_bands: String,
    tags: String,
    status: String,
    closes_on: Option<String>,
    ask_about_you: i64,
    organisation: String,
    service_id: Option<i64>,
    service_slug: Option<String>,
    service_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    kind: String,
    prompt: String,
    help: String,
    required: i64,
    outcome: Option<String>,
    settings: String,
}

#[derive(sqlx::FromRow)]
struct StaffListRow {
    id: i64,
    title: String,
    organisation: String,
    organisation_id: i64,
    organisation_area: Option<String>,
    status: String,
    responses: i64,
}

const SURVEY_COLUMNS: &str = "s.id, s.organisation_id, s.slug, s.title, s.intro, s.age_bands, s.tags, s.status, s.closes_on, s.ask_about_you, o.name AS organisation, sv.id AS service_id, sv.slug AS service_slug, sv.name AS service_name";
/// Surveys with their organisation and, for a service's ratings, the service.
const SURVEY_TABLES: &str = "surveys s JOIN organisations o ON o.id = s.organisation_id LEFT JOIN services sv ON sv.id = s.service_id";

/// A survey with who owns it, for permission checks.
#[derive(Debug, Clone)]
pub struct OwnedSurvey {
    pub form: SurveyForm,
    pub organisation_id: i64,
    /// Set when the survey holds a service's ratings: it is answered from the
    /// service's page, once a phone a month, and never built by hand.
    pub service: Option<RatedService>,
}

/// The service a ratings survey belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedService {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

async fn questions_of(db: &Db, survey_id: i64) -> Result<Vec<Question>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "SELECT id, kind, prompt, help, required, outcome, settings FROM questions WHERE survey_id = $1 ORDER BY position, id",
    )
    .bind(survey_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            let kind = QuestionKind::parse(&r.kind).ok_or_else(|| {
                tracing::error!(question = id, "stored question has an unknown kind");
                AppError::Unexpected
            })?;
            let settings: QuestionSettings = serde_json::from_str(&r.settings).map_err(|e| {
                tracing::error!(question = id, error = %e, "stored question settings unreadable");
                AppError::Unexpected
            })?;
            Ok(Question {
                id,
                kind,
                prompt: r.prompt,
                help: r.help,
                required: r.required != 0,
                outcome: r.outcome.as_deref().and_then(Outcome::parse),
                settings,
            })
        })
        .collect()
}

async fn hydrate_row(db: &Db, row: SurveyRow) -> Result<OwnedSurvey, AppError> {
    let questions = questions_of(db, row.id).await?;
    let service = match (row.service_id, row.service_slug, row.service_name) {
        (Some(id), Some(slug), Some(name)) => Some(RatedService { id, slug, name }),
        _ => None,
    };
    Ok(OwnedSurvey {
        service,
        organisation_id: row.organisation_id,
        form: SurveyForm {
            id: row.id,
            slug: row.slug,
            title: row.title,
            intro: row.intro,
            organisation: row.organisation,
            status: SurveyStatus::parse(&row.status).unwrap_or(SurveyStatus::Draft),
            closes_on: row.closes_on,
            age_bands: AgeBand::parse_list(&row.age_bands),
            tags: Outcome::parse_list(&row.tags),
            ask_about_you: row.ask_about_you != 0,
            questions,
        },
    })
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<OwnedSurvey>, AppError> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM {SURVEY_TABLES} WHERE s.slug = $1");
    let row: Option<SurveyRow> = sqlx::query_as(&sql)
        .bind(slug)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(row) => Ok(Some(hydrate_row(db, row).await?)),
        None => Ok(None),
    }
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<OwnedSurvey>, AppError> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM {SURVEY_TABLES} WHERE s.id = $1");
    let row: Option<SurveyRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(row) => Ok(Some(hydrate_row(db, row).await?)),
        None => Ok(None),
    }
}

/// One page of the surveys open today, newest first, and whether there are more.
pub async fn open_surveys(
    db: &Db,
    today: &str,
    page: Page,
) -> Result<(Vec<SurveyCard>, bool), AppError> {
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT s.slug, s.title, s.intro, o.name, s.tags,
                (SELECT COUNT(*) FROM questions q WHERE q.survey_id = s.id)
         FROM surveys s JOIN organisations o ON o.id = s.organisation_id
         WHERE s.status = 'open' AND (s.closes_on IS NULL OR s.closes_on >= $1)
           AND s.service_id IS NULL
         ORDER BY s.created_at DESC, s.id DESC
         LIMIT $2 OFFSET $3",
    )
    .bind(today)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let (rows, more) = page.split(rows);
    let cards = rows
        .into_iter()
        .map(
            |(slug, title, intro, organisation, tags, questions)| SurveyCard {
                slug,
                title,
                intro,
                organisation,
                questions,
                tags: Outcome::parse_list(&tags),
            },
        )
        .collect();
    Ok((cards, more))
}

/// One page of the surveys `reach` covers, most recently changed first, and
/// whether there are more. Who may see what is decided in the query, so a
/// page costs the same at ten surveys or ten thousand.
pub async fn visible_surveys(
    db: &Db,
    reach: &Reach,
    page: Page,
) -> Result<(Vec<StaffSurveyRow>, bool), AppError> {
    const SELECT: &str = "SELECT s.id, s.title, o.name AS organisation, o.id AS organisation_id,
                o.area_code AS organisation_area, s.status,
                (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) AS responses
         FROM surveys s JOIN organisations o ON o.id = s.organisation_id
         WHERE s.service_id IS NULL";
    const ORDER: &str = "ORDER BY s.updated_at DESC, s.id DESC";
    let (limit, offset) = (page.limit(), page.offset());
    let rows: Vec<StaffListRow> = match reach {
        Reach::Nowhere => vec![],
        Reach::Everywhere => {
            sqlx::query_as(&format!("{SELECT} {ORDER} LIMIT $1 OFFSET $2"))
                .bind(limit)
                .bind(offset)
                .fetch_all(db.pool())
                .await?
        }
        Reach::Organisation(org) => {
            sqlx::query_as(&format!(
                "{SELECT} AND s.organisation_id = $1 {ORDER} LIMIT $2 OFFSET $3"
            ))
            .bind(org)
            .bind(limit)
            .bind(offset)
            .fetch_all(db.pool())
            .await?
        }
        Reach::Areas(areas) => {
            // A commissioner holds a handful of areas (all of them, at most 153).
            let list: Vec<String> = (0..areas.len()).map(|i| format!("${}", i + 3)).collect();
            if list.is_empty() {
                vec![]
            } else {
                let sql = format!(
                    "{SELECT} AND o.area_code IN ({}) {ORDER} LIMIT $1 OFFSET $2",
                    list.join(", ")
                );
                let mut q = sqlx::query_as(&sql).bind(limit).bind(offset);
                for a in areas {
                    q = q.bind(a);
                }
                q.fetch_all(db.pool()).await?
            }
        }
    };
    let (rows, more) = page.split(rows);
    let surveys = rows
        .into_iter()
        .map(|r| StaffSurveyRow {
            id: r.id,
            title: r.title,
            organisation: r.organisation,
            organisation_id: r.organisation_id,
            organisation_area: r.organisation_area,
            status: SurveyStatus::parse(&r.status).unwrap_or(SurveyStatus::Draft),
            responses: r.responses,
        })
        .collect();
    Ok((surveys, more))
}

pub async fn response_count(db: &Db, survey_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM responses WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}
