//! The feed's reads and writes: national templates, surveys made from them,
//! a local instance's signed document, and a hub's instances, documents
//! and log. Portable SQL: the same statements on SQLite and PostgreSQL.

use super::document::{
    canonical, FeedAnswer, FeedDocument, FeedQuestion, FeedSurvey, Measure, Refusal, FORMAT,
};
use super::merge::Source;
use super::template::{reference, Template};
use super::FeedIdentity;
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{now, Db};
use crate::disclosure::Thresholds;
use crate::error::AppError;
use std::collections::BTreeMap;

// ---- national templates -------------------------------------------------

/// Keeps a checked template (its file whole); one already kept stays as it
/// was. True when it was new.
pub async fn keep_template(db: &Db, t: &Template) -> Result<bool, AppError> {
    let body = serde_json::to_string(t).map_err(|_| AppError::Unexpected)?;
    let mut tx = db.write().await?;
    let done = sqlx::query(
        "INSERT INTO national_templates (id, version, title, body, loaded_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id, version) DO NOTHING",
    )
    .bind(&t.id)
    .bind(t.version)
    .bind(&t.title)
    .bind(body)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

/// The templates heard ships, kept at every start.
pub async fn ensure_shipped(db: &Db, files: &[&str]) -> Result<(), String> {
    for text in files {
        let t = super::template::parse(text).map_err(|p| p.join("; "))?;
        keep_template(db, &t).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Every template kept, newest version first (at most 100).
pub async fn templates(db: &Db) -> Result<Vec<Template>, AppError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM national_templates ORDER BY id, version DESC LIMIT 100")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(b,)| serde_json::from_str(&b).ok())
        .collect())
}

/// A new draft survey of `organisation_id` with a template's questions,
/// each marked with its place in the template; its id.
pub async fn import(
    db: &Db,
    organisation_id: i64,
    user_id: i64,
    t: &Template,
) -> Result<i64, AppError> {
    use crate::surveys::building::store::{insert_question, insert_survey, NewSurvey};
    keep_template(db, t).await?;
    let mut tags: Vec<crate::outcomes::Outcome> =
        t.questions.iter().filter_map(|q| q.outcome).collect();
    tags.sort();
    tags.dedup();
    let mut tx = db.write().await?;
    let survey = insert_survey(
        &mut tx,
        &NewSurvey {
            organisation_id,
            title: &t.title,
            intro: &t.intro,
            age_bands: &crate::about_you::AgeBand::ALL,
            tags: &tags,
            status: crate::surveys::model::SurveyStatus::Draft,
            ask_about_you: true,
            created_by: Some(user_id),
        },
    )
    .await?;
    for (i, q) in t.questions.iter().enumerate() {
        let id = insert_question(&mut tx, survey, i as i64 + 1, &q.question()).await?;
        sqlx::query("UPDATE questions SET national_ref = $1 WHERE id = $2")
            .bind(reference(&t.id, &q.id))
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE surveys SET national_template = $1, national_version = $2 WHERE id = $3")
        .bind(&t.id)
        .bind(t.version)
        .bind(survey)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    db.note_change(crate::db::Changed::Surveys);
    Ok(survey)
}

/// Whether question `id` came from a national template (its words then
/// stay as they are, so answers stay comparable).
pub async fn is_national(db: &Db, question_id: i64) -> Result<bool, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT national_ref FROM questions WHERE id = $1")
            .bind(question_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(matches!(row, Some((Some(_),))))
}

// ---- a local instance's feed ---------------------------------------------

/// How long a signed document is served again before a new one is signed.
pub const FRESH_FOR_SECS: i64 = 60;

/// At most this many surveys in a document.
const MAX_SURVEYS: i64 = 500;

/// The document's surveys: those made from a national template, open or
/// closed, with enough responses to reach outside the organisation.
async fn feed_surveys(db: &Db, t: &Thresholds) -> Result<Vec<FeedSurvey>, AppError> {
    use crate::tallies::store::{outcomes, responses, By, Scope, Slice};
    let surveys: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT s.id, s.national_template, s.national_version, o.name FROM surveys s
         JOIN organisations o ON o.id = s.organisation_id
         WHERE s.national_template IS NOT NULL AND s.status <> 'draft' AND s.service_id IS NULL
         ORDER BY s.id LIMIT $1",
    )
    .bind(MAX_SURVEYS)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for (id, template, version, organisation) in surveys {
        let Some(owned) = crate::surveys::store::by_id(db, id).await? else {
            continue;
        };
        let raw = crate::surveys::results::store::raw_results(db, &owned.form).await?;
        if !crate::disclosure::survey_reaches_out(raw.responses, t) {
            continue;
        }
        let scope = Scope {
            areas: None,
            minimum: 0,
            organisation: None,
            survey: Some(id),
        };
        let whole = Slice::default();
        let who = responses(db, &scope, &whole, By::Who).await?;
        let mut tables = super::publish::tables(Measure::Responses, None, &who, t);
        let by_outcome = outcomes(db, &scope, &whole, By::Who).await?;
        let mut answered: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        let mut positive: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for ((outcome, who), (p, n)) in by_outcome {
            answered
                .entry(outcome.clone())
                .or_default()
                .insert(who.clone(), n);
            positive.entry(outcome).or_default().insert(who, p);
        }
        for (outcome, counts) in &answered {
            tables.extend(super::publish::tables(
                Measure::Answered,
                Some(outcome),
                counts,
                t,
            ));
            let empty = BTreeMap::new();
            let p = positive.get(outcome).unwrap_or(&empty);
            tables.extend(super::publish::tables(
                Measure::Positive,
                Some(outcome),
                p,
                t,
            ));
        }
        let national: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, national_ref FROM questions WHERE survey_id = $1 AND national_ref IS NOT NULL",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?;
        let questions = owned
            .form
            .questions
            .iter()
            .filter_map(|q| {
                let (_, r) = national.iter().find(|(qid, _)| *qid == q.id)?;
                let question = r.split_once('/').map(|(_, q)| q).unwrap_or(r);
                let insight = crate::insights::store::question_of(q, &raw, t)?;
                Some(FeedQuestion {
                    id: question.to_string(),
                    answered: insight.answered.number(),
                    answers: q
                        .answer_values()
                        .into_iter()
                        .zip(insight.rows)
                        .map(|((value, _), row)| FeedAnswer {
                            value,
                            count: row.count.number(),
                        })
                        .collect(),
                })
            })
            .collect();
        out.push(FeedSurvey {
            template,
            template_version: version,
            reference: id.to_string(),
            organisation,
            tables,
            questions,
        });
    }
    Ok(out)
}

/// The last signed document, while it is fresh.
async fn stored_if_fresh(db: &Db) -> Result<Option<(String, String)>, AppError> {
    let (issued_at, body, signature): (i64, String, String) =
        sqlx::query_as("SELECT issued_at, body, signature FROM feed_state WHERE id = 1")
            .fetch_one(db.pool())
            .await?;
    let at = now();
    let fresh = !body.is_empty() && (issued_at..issued_at + FRESH_FOR_SECS).contains(&at);
    Ok(fresh.then_some((body, signature)))
}

/// The signed document to serve: the last one while it is fresh, or a new
/// one with the next sequence number. `(canonical JSON, signature)`.
pub async fn current(
    db: &Db,
    me: &FeedIdentity,
    t: &Thresholds,
) -> Result<(String, String), AppError> {
    if let Some(fresh) = stored_if_fresh(db).await? {
        return Ok(fresh);
    }
    // One document is made at a time in a process; those who waited get it.
    static MAKING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _making = tokio::time::timeout(std::time::Duration::from_secs(30), MAKING.lock())
        .await
        .map_err(|_| AppError::Busy)?;
    if let Some(fresh) = stored_if_fresh(db).await? {
        return Ok(fresh);
    }
    let at = now();
    // The number is taken first, in a write of its own; the document is
    // read and signed after, holding no lock.
    let mut tx = db.write().await?;
    let (sequence,): (i64,) = sqlx::query_as(
        "UPDATE feed_state SET sequence = sequence + 1 WHERE id = 1 RETURNING sequence",
    )
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    let doc = FeedDocument {
        format: FORMAT.into(),
        instance: me.instance.clone(),
        name: me.name.clone(),
        sequence,
        issued_at: at,
        key: me.key.public(),
        rotation: me
            .previous
            .as_ref()
            .map(|old| old.hand_over(&me.instance, &me.key)),
        small: t.small,
        round_to: t.round_to,
        surveys: feed_surveys(db, t).await?,
    };
    let bytes = canonical(&doc);
    let signature = me.key.sign(&bytes);
    let body = String::from_utf8(bytes).map_err(|_| AppError::Unexpected)?;
    let mut tx = db.write().await?;
    sqlx::query(
        "UPDATE feed_state SET stored_sequence = $1, issued_at = $2, body = $3, signature = $4
         WHERE id = 1 AND stored_sequence < $1",
    )
    .bind(sequence)
    .bind(at)
    .bind(&body)
    .bind(&signature)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok((body, signature))
}

// ---- a hub's instances --------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Instance {
    pub id: i64,
    pub instance: String,
    pub name: String,
    pub feed_url: String,
    pub public_key: String,
    pub last_sequence: i64,
    pub issued_at: Option<i64>,
    pub received_at: Option<i64>,
    pub status: String,
    pub status_ok: i64,
    pub checked_at: Option<i64>,
    pub pull_token: String,
}

const INSTANCE_COLUMNS: &str = "id, instance, name, feed_url, public_key, last_sequence, issued_at, received_at, status, status_ok, checked_at, pull_token";

/// At most this many instances on a hub.
pub const MAX_INSTANCES: i64 = 1000;

pub async fn instances(db: &Db) -> Result<Vec<Instance>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {INSTANCE_COLUMNS} FROM hub_instances ORDER BY name, id LIMIT {MAX_INSTANCES}"
    ))
    .fetch_all(db.pool())
    .await?)
}

pub async fn instance(db: &Db, instance: &str) -> Result<Option<Instance>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {INSTANCE_COLUMNS} FROM hub_instances WHERE instance = $1"
    ))
    .bind(instance)
    .fetch_optional(db.pool())
    .await?)
}

/// Registers an instance (checked by [`super::check_registration`]), in
/// the audit log with who did it; a second registration of the same
/// identifier is refused.
pub async fn register(
    db: &Db,
    by: Actor<'_>,
    r: &super::Registration,
) -> Result<Result<i64, String>, AppError> {
    let mut tx = db.write().await?;
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO hub_instances (instance, name, feed_url, public_key, pull_token, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'Registered; nothing received yet.', $6)
         ON CONFLICT (instance) DO NOTHING RETURNING id",
    )
    .bind(&r.instance)
    .bind(&r.name)
    .bind(&r.feed_url)
    .bind(&r.public_key)
    .bind(&r.pull_token)
    .bind(now())
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id,)) = id else {
        return Ok(Err(format!("{} is registered already.", r.instance)));
    };
    let detail = format!("{} ({}), feed {}", r.instance, r.name, r.feed_url);
    record_about(
        &mut tx,
        by,
        AuditAction::InstanceRegistered,
        Subject::HubInstance(id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Stops collecting `instance`: its row, its last good document (so its
/// figures leave the national view) and its log lines go, in the audit log
/// with who did it. `false` if there was no such instance.
pub async fn remove(db: &Db, by: Actor<'_>, instance: &str) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let found: Option<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM hub_instances WHERE instance = $1")
            .bind(instance)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((id, name)) = found else {
        return Ok(false);
    };
    sqlx::query("DELETE FROM hub_log WHERE instance_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM hub_instances WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let detail = format!("{instance} ({name})");
    record_about(
        &mut tx,
        by,
        AuditAction::InstanceRemoved,
        Subject::HubInstance(id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Log entries kept an instance.
const LOG_KEPT: i64 = 300;

async fn log(db: &Db, instance_id: i64, accepted: bool, message: &str) -> Result<(), AppError> {
    let at = now();
    let mut tx = db.write().await?;
    sqlx::query(
        "UPDATE hub_instances SET status = $1, status_ok = $2, checked_at = $3 WHERE id = $4",
    )
    .bind(message)
    .bind(i64::from(accepted))
    .bind(at)
    .bind(instance_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO hub_log (instance_id, at, accepted, message) VALUES ($1, $2, $3, $4)")
        .bind(instance_id)
        .bind(at)
        .bind(i64::from(accepted))
        .bind(message)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "DELETE FROM hub_log WHERE instance_id = $1 AND id <= (
           SELECT id FROM hub_log WHERE instance_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
    )
    .bind(instance_id)
    .bind(LOG_KEPT)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a refusal to the instance's status and the log; the last good
/// document stays.
pub async fn refused(db: &Db, i: &Instance, why: &Refusal) -> Result<(), AppError> {
    tracing::warn!(instance = %i.instance, "feed {why}");
    log(db, i.id, false, &why.to_string()).await
}

/// How old a document may be when it arrives.
pub const MAX_AGE_SECS: i64 = 7 * 86_400;
/// How far ahead of the hub's clock an instance's may be.
pub const CLOCK_SLACK_SECS: i64 = 5 * 60;

/// Takes a signed document for `i` (pulled or pushed): verified, newer
/// than the last kept, not stale; kept with the key it handed over to. The
/// sequence kept, or why it was refused (also in the log).
pub async fn receive(
    db: &Db,
    i: &Instance,
    bytes: &[u8],
    signature: Option<&str>,
) -> Result<Result<i64, Refusal>, AppError> {
    let at = now();
    let checked =
        super::signing::open(bytes, signature, &i.instance, &i.public_key).and_then(|v| {
            let d = &v.document;
            if d.sequence <= i.last_sequence {
                Err(Refusal::Replay {
                    last: i.last_sequence,
                    found: d.sequence,
                })
            } else if d.issued_at > at + CLOCK_SLACK_SECS {
                Err(Refusal::FromTheFuture)
            } else if at - d.issued_at > MAX_AGE_SECS {
                Err(Refusal::Stale {
                    age_hours: (at - d.issued_at) / 3600,
                })
            } else {
                Ok(v)
            }
        });
    let v = match checked {
        Ok(v) => v,
        Err(why) => {
            refused(db, i, &why).await?;
            return Ok(Err(why));
        }
    };
    let body = std::str::from_utf8(bytes).map_err(|_| AppError::Unexpected)?;
    let d = &v.document;
    let mut tx = db.write().await?;
    // Only over an older one: two deliveries at once keep the newer.
    let kept = sqlx::query(
        "UPDATE hub_instances SET last_sequence = $1, document = $2, issued_at = $3, received_at = $4,
                public_key = $5
         WHERE id = $6 AND last_sequence < $1 AND public_key = $7",
    )
    .bind(d.sequence)
    .bind(body)
    .bind(d.issued_at)
    .bind(at)
    .bind(v.new_key.as_deref().unwrap_or(&i.public_key))
    .bind(i.id)
    // Checked against the key it was verified with: a handover that landed
    // meanwhile is never undone.
    .bind(&i.public_key)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    if kept.rows_affected() == 0 {
        let why = Refusal::Replay {
            last: i.last_sequence,
            found: d.sequence,
        };
        refused(db, i, &why).await?;
        return Ok(Err(why));
    }
    let surveys = d.surveys.len();
    let mut message = format!(
        "Kept document {} ({surveys} survey{}).",
        d.sequence,
        if surveys == 1 { "" } else { "s" }
    );
    if let Some(k) = &v.new_key {
        message.push_str(&format!(
            " The instance moved to a new key ({}…), handed over by the old one.",
            &k[..8.min(k.len())]
        ));
    }
    tracing::info!(instance = %i.instance, sequence = d.sequence, "feed document kept");
    log(db, i.id, true, &message).await?;
    Ok(Ok(d.sequence))
}

/// The log, newest first: (instance name, when, accepted, message).
pub async fn recent_log(db: &Db, limit: i64) -> Result<Vec<(String, i64, bool, String)>, AppError> {
    let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT i.name, l.at, l.accepted, l.message FROM hub_log l
         JOIN hub_instances i ON i.id = l.instance_id ORDER BY l.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, at, ok, m)| (n, at, ok == 1, m))
        .collect())
}

/// The kept documents, parsed, and what they were read at: parsed again
/// only when an instance's document changed, not on every page view. (A
/// process serves one database; the key is how many documents, the newest
/// arrival and the sum of instances' sequence numbers, weighted by id.)
type Parsed = std::sync::Arc<Vec<(Source, FeedDocument)>>;
type ParsedAt = ((i64, i64, i64), Parsed);
static PARSED: std::sync::Mutex<Option<ParsedAt>> = std::sync::Mutex::new(None);

/// The last good document of every instance, with where it came from.
pub async fn kept(db: &Db) -> Result<Parsed, AppError> {
    let (n, last, sequences): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(MAX(received_at), 0), CAST(COALESCE(SUM(id * last_sequence), 0) AS BIGINT)
         FROM hub_instances WHERE document IS NOT NULL",
    )
    .fetch_one(db.pool())
    .await?;
    let key = (n, last, sequences);
    if let Ok(cached) = PARSED.lock() {
        if let Some((k, parsed)) = cached.as_ref() {
            if *k == key {
                return Ok(parsed.clone());
            }
        }
    }
    let parsed: Parsed = std::sync::Arc::new(parse_kept(db).await?);
    if let Ok(mut cached) = PARSED.lock() {
        *cached = Some((key, parsed.clone()));
    }
    Ok(parsed)
}

async fn parse_kept(db: &Db) -> Result<Vec<(Source, FeedDocument)>, AppError> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(&format!(
        "SELECT instance, name, COALESCE(issued_at, 0), document FROM hub_instances
         WHERE document IS NOT NULL ORDER BY name, id LIMIT {MAX_INSTANCES}"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(instance, name, issued_at, doc)| {
            let d: FeedDocument = serde_json::from_str(&doc).ok()?;
            Some((
                Source {
                    instance,
                    name,
                    issued_at,
                },
                d,
            ))
        })
        .collect())
}
