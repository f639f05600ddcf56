//! Surveys, questions and responses in the database. Portable SQL only: the
//! same statements run on SQLite and PostgreSQL.

use super::answers::Submission;
use super::model::{Question, QuestionKind, QuestionSettings, SurveyForm, SurveyStatus};
use super::results::{AboutCounts, AnswerCount};
use super::staff::StaffSurveyRow;
use super::SurveyCard;
use crate::about_you::AgeBand;
use crate::accounts::Reach;
use crate::db::{now, Changed, Db};
use crate::error::AppError;
use crate::outcomes::Outcome;
use rand::Rng;
use sqlx::{Any, Transaction};

type SurveyRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    String,
);

/// `(id, kind, prompt, help, required, outcome, settings)`
type QuestionRow = (i64, String, String, String, i64, Option<String>, String);
/// `(id, title, organisation, organisation id, area, status, responses)`
type StaffListRow = (i64, String, String, i64, Option<String>, String, i64);

const SURVEY_COLUMNS: &str = "s.id, s.organisation_id, s.slug, s.title, s.intro, s.age_bands, s.tags, s.status, s.closes_on, s.ask_about_you, o.name";

/// A survey with who owns it, for permission checks.
#[derive(Debug, Clone)]
pub struct OwnedSurvey {
    pub form: SurveyForm,
    pub organisation_id: i64,
}

async fn questions_of(db: &Db, survey_id: i64) -> Result<Vec<Question>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "SELECT id, kind, prompt, help, required, outcome, settings FROM questions WHERE survey_id = $1 ORDER BY position, id",
    )
    .bind(survey_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(id, kind, prompt, help, required, outcome, settings)| {
            let kind = QuestionKind::parse(&kind).ok_or_else(|| {
                tracing::error!(question = id, "stored question has an unknown kind");
                AppError::Unexpected
            })?;
            let settings: QuestionSettings = serde_json::from_str(&settings).map_err(|e| {
                tracing::error!(question = id, error = %e, "stored question settings unreadable");
                AppError::Unexpected
            })?;
            Ok(Question {
                id,
                kind,
                prompt,
                help,
                required: required != 0,
                outcome: outcome.as_deref().and_then(Outcome::parse),
                settings,
            })
        })
        .collect()
}

async fn hydrate_row(db: &Db, row: SurveyRow) -> Result<OwnedSurvey, AppError> {
    let (
        id,
        organisation_id,
        slug,
        title,
        intro,
        age_bands,
        tags,
        status,
        closes_on,
        ask_about_you,
        organisation,
    ) = row;
    let questions = questions_of(db, id).await?;
    Ok(OwnedSurvey {
        organisation_id,
        form: SurveyForm {
            id,
            slug,
            title,
            intro,
            organisation,
            status: SurveyStatus::parse(&status).unwrap_or(SurveyStatus::Draft),
            closes_on,
            age_bands: AgeBand::parse_list(&age_bands),
            tags: Outcome::parse_list(&tags),
            ask_about_you: ask_about_you != 0,
            questions,
        },
    })
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<OwnedSurvey>, AppError> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys s JOIN organisations o ON o.id = s.organisation_id WHERE s.slug = $1");
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
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = $1");
    let row: Option<SurveyRow> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(row) => Ok(Some(hydrate_row(db, row).await?)),
        None => Ok(None),
    }
}

pub async fn open_surveys(db: &Db, today: &str) -> Result<Vec<SurveyCard>, AppError> {
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT s.slug, s.title, s.intro, o.name, s.tags,
                (SELECT COUNT(*) FROM questions q WHERE q.survey_id = s.id)
         FROM surveys s JOIN organisations o ON o.id = s.organisation_id
         WHERE s.status = 'open' AND (s.closes_on IS NULL OR s.closes_on >= $1)
         ORDER BY s.created_at DESC, s.id DESC",
    )
    .bind(today)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
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
        .collect())
}

/// One page of the surveys `reach` covers, most recently changed first, and
/// whether there are more. Who may see what is decided in the query, so a
/// page costs the same at ten surveys or ten thousand.
pub async fn visible_surveys(
    db: &Db,
    reach: &Reach,
    page: i64,
    per_page: i64,
) -> Result<(Vec<StaffSurveyRow>, bool), AppError> {
    const SELECT: &str = "SELECT s.id, s.title, o.name, o.id, o.area_code, s.status,
                (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id)
         FROM surveys s JOIN organisations o ON o.id = s.organisation_id";
    const ORDER: &str = "ORDER BY s.updated_at DESC, s.id DESC";
    let (limit, offset) = (per_page + 1, page.max(0) * per_page);
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
                "{SELECT} WHERE s.organisation_id = $1 {ORDER} LIMIT $2 OFFSET $3"
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
                    "{SELECT} WHERE o.area_code IN ({}) {ORDER} LIMIT $1 OFFSET $2",
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
    let more = rows.len() as i64 > per_page;
    let surveys = rows
        .into_iter()
        .take(per_page as usize)
        .map(
            |(id, title, organisation, organisation_id, organisation_area, status, responses)| {
                StaffSurveyRow {
                    id,
                    title,
                    organisation,
                    organisation_id,
                    organisation_area,
                    status: SurveyStatus::parse(&status).unwrap_or(SurveyStatus::Draft),
                    responses,
                }
            },
        )
        .collect();
    Ok((surveys, more))
}

fn new_slug() -> String {
    // No vowels or look-alikes: short, unguessable, never spells a word.
    const ALPHABET: &[u8] = b"bcdfghjkmnpqrstvwxz23456789";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub async fn create(
    db: &Db,
    organisation_id: i64,
    title: &str,
    created_by: Option<i64>,
) -> Result<i64, AppError> {
    let t = now();
    let mut tx = db.write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO surveys (organisation_id, slug, title, intro, age_bands, tags, status, closes_on, ask_about_you, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, '', '', '', 'draft', NULL, 1, $4, $5, $5) RETURNING id",
    )
    .bind(organisation_id)
    .bind(new_slug())
    .bind(title)
    .bind(created_by)
    .bind(t)
    .fetch_one(&mut **tx)
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

async fn insert_question(
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

pub async fn add_question(db: &Db, survey_id: i64, q: &Question) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let (next,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM questions WHERE survey_id = $1")
            .bind(survey_id)
            .fetch_one(&mut **tx)
            .await?;
    let id = insert_question(&mut tx, survey_id, next, q).await?;
    touch(&mut tx, survey_id).await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(id)
}

pub async fn update_question(db: &Db, survey_id: i64, q: &Question) -> Result<(), AppError> {
    let settings = serde_json::to_string(&q.settings).map_err(|_| AppError::Unexpected)?;
    let mut tx = db.write().await?;
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
    touch(&mut tx, survey_id).await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(())
}

pub async fn delete_question(db: &Db, survey_id: i64, question_id: i64) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query("DELETE FROM questions WHERE id = $1 AND survey_id = $2")
        .bind(question_id)
        .bind(survey_id)
        .execute(&mut **tx)
        .await?;
    touch(&mut tx, survey_id).await?;
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

pub async fn set_status(db: &Db, survey_id: i64, status: SurveyStatus) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query("UPDATE surveys SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.key())
        .bind(now())
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
    let t = now();
    let mut tx = db.write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO surveys (organisation_id, slug, title, intro, age_bands, tags, status, closes_on, ask_about_you, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', NULL, $7, $8, $9, $9) RETURNING id",
    )
    .bind(source.organisation_id)
    .bind(new_slug())
    .bind(format!("{} (copy)", f.title).chars().take(super::model::TITLE_LIMIT).collect::<String>())
    .bind(&f.intro)
    .bind(AgeBand::join(&f.age_bands))
    .bind(Outcome::join(&f.tags))
    .bind(i64::from(f.ask_about_you))
    .bind(created_by)
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    for (i, q) in f.questions.iter().enumerate() {
        insert_question(&mut tx, id, i as i64 + 1, q).await?;
    }
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New,
    /// The same submission key was stored before with the same answers (or
    /// before digests were kept): a double tap or a retry.
    AlreadyStored,
    /// The key was stored before with different answers: a form reused on a
    /// shared phone. Nothing was stored; the young person must be told.
    KeyUsedForOtherAnswers,
}

/// SHA-256 (hex) of the answers as they would be stored, sorted, so the same
/// answers give the same digest whatever order the browser sent them in.
pub fn answers_digest(s: &Submission) -> String {
    use sha2::{Digest, Sha256};
    let mut rows: Vec<(i64, i64, String)> = s
        .answers
        .iter()
        .flat_map(|(qid, a)| {
            a.stored_values()
                .into_iter()
                .map(move |(pos, v)| (*qid, pos, v))
        })
        .collect();
    rows.sort();
    let age = s
        .about
        .age_band
        .as_ref()
        .map(|c| c.stored(|b| b.key().to_string()));
    let area = s.about.area_code.as_ref().map(|c| c.stored(|a| a.clone()));
    let groups = s.about.groups.as_ref().map(|c| {
        c.stored(|gs| {
            let mut keys: Vec<&str> = gs.iter().map(|g| g.key()).collect();
            keys.sort_unstable();
            keys.join(",")
        })
    });
    // Serialising plain strings and numbers cannot fail.
    let canonical = serde_json::to_string(&(rows, age, area, groups)).unwrap_or_default();
    format!("{:x}", Sha256::digest(canonical.as_bytes()))
}

/// Stores one response and its answers in one transaction; returns only once
/// committed. Nothing about the device is stored: no address, no user agent,
/// no cookie, and the time only to the day. A key already used is never
/// silently taken as done: only the same answers count as a retry.
pub async fn record_response(
    db: &Db,
    survey_id: i64,
    key: &str,
    s: &Submission,
) -> Result<Recorded, AppError> {
    let day = now() / 86400 * 86400;
    let digest = answers_digest(s);
    let age = s
        .about
        .age_band
        .as_ref()
        .map(|c| c.stored(|b| b.key().to_string()));
    let area = s.about.area_code.as_ref().map(|c| c.stored(|a| a.clone()));
    let groups = s
        .about
        .groups
        .as_ref()
        .map(|c| c.stored(|gs| gs.iter().map(|g| g.key()).collect::<Vec<_>>().join(",")));
    let mut tx = db.write().await?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO responses (survey_id, submission_key, submitted_at, age_band, area_code, groups, answers_digest)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (survey_id, submission_key) DO NOTHING RETURNING id",
    )
    .bind(survey_id)
    .bind(key)
    .bind(day)
    .bind(age)
    .bind(area)
    .bind(groups)
    .bind(&digest)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((response_id,)) = inserted else {
        // The conflicting row has committed (PostgreSQL waits for it before
        // DO NOTHING; SQLite writes one at a time), so it can be read here.
        let (stored,): (Option<String>,) = sqlx::query_as(
            "SELECT answers_digest FROM responses WHERE survey_id = $1 AND submission_key = $2",
        )
        .bind(survey_id)
        .bind(key)
        .fetch_one(&mut **tx)
        .await?;
        return Ok(match stored {
            Some(stored) if stored != digest => Recorded::KeyUsedForOtherAnswers,
            _ => Recorded::AlreadyStored,
        });
    };
    let rows: Vec<(i64, i64, String)> = s
        .answers
        .iter()
        .flat_map(|(qid, a)| {
            a.stored_values()
                .into_iter()
                .map(move |(pos, v)| (*qid, pos, v))
        })
        .collect();
    // One statement for all the answers, in chunks well under every driver's
    // limit on bound parameters.
    for chunk in rows.chunks(200) {
        let mut sql =
            String::from("INSERT INTO answers (response_id, question_id, position, value) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 4;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
        }
        let mut q = sqlx::query(&sql);
        for (qid, pos, v) in chunk {
            q = q.bind(response_id).bind(*qid).bind(*pos).bind(v.clone());
        }
        q.execute(&mut **tx).await?;
    }
    tx.commit().await?;
    Ok(Recorded::New)
}

pub async fn response_count(db: &Db, survey_id: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM responses WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

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
    // Read straight off the `answers_question` index, question by question.
    let counted: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.position, a.value, COUNT(*) FROM answers a
         WHERE a.question_id IN (SELECT id FROM questions
                                 WHERE survey_id = $1 AND kind NOT IN ('short_text', 'long_text'))
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
                                 WHERE survey_id = $1 AND kind <> 'multiple_choice')
           AND a.position <= 1
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
/// a multiplicative hash of the response id (the same integer arithmetic on
/// SQLite and PostgreSQL, kept below 2^63), so the order says nothing about
/// who answered when, and stays put from one page load to the next. The
/// expression is exactly the one indexed by `answers_shuffled` (migration
/// 0007), so a page is read off the index, not sorted: change both together.
pub const TEXT_PAGE_SQL: &str = "SELECT a.value FROM answers a
     WHERE a.question_id = $1
     ORDER BY ((a.response_id % 2147483648) * 2654435761) % 2147483648, a.response_id
     LIMIT $2 OFFSET $3";

/// One page of a free-text question's answers ([`TEXT_PAGE_SQL`]).
pub async fn text_answers(
    db: &Db,
    question_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(TEXT_PAGE_SQL)
        .bind(question_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(|(v,)| v).collect())
}
