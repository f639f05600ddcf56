//! Writing and reading the audit log.

use super::{AuditAction, AuditLine, AuditLogPageData};
use crate::accounts::StaffUser;
use crate::db::{human_time, now, Db, WriteTx};
use crate::error::AppError;

/// Who acted.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    Staff(&'a StaffUser),
    /// `heard user add` on the server itself.
    CommandLine,
    /// A background job (the retention job).
    Job(&'static str),
}

impl Actor<'_> {
    fn id(&self) -> Option<i64> {
        match self {
            Actor::Staff(u) => Some(u.id),
            Actor::CommandLine | Actor::Job(_) => None,
        }
    }

    fn name(&self) -> String {
        match self {
            Actor::Staff(u) => u.email.clone(),
            Actor::CommandLine => "the heard command line".into(),
            Actor::Job(name) => format!("heard's {name}"),
        }
    }
}

/// What a line is about, when it is not an account.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    SafeguardingQueue {
        organisation_id: Option<i64>,
    },
    SafeguardingItem(i64),
    Answer(i64),
    RiskPhrase(i64),
    Service(i64),
    Suggestion(i64),
    Reply(i64),
    /// A survey's responses (organisation staff's download).
    Survey(i64),
    /// Commissioners' disclosed figures.
    Insights,
    Framework(i64),
    Assessment(i64),
    Document(i64),
    /// An instance a hub collects from.
    HubInstance(i64),
    /// Many things at once (a retention run): the detail says how many.
    Retention,
}

impl Subject {
    fn kind(self) -> &'static str {
        match self {
            Subject::SafeguardingQueue { .. } => "safeguarding_queue",
            Subject::SafeguardingItem(_) => "safeguarding_item",
            Subject::Answer(_) => "answer",
            Subject::RiskPhrase(_) => "risk_phrase",
            Subject::Service(_) => "service",
            Subject::Suggestion(_) => "suggestion",
            Subject::Reply(_) => "reply",
            Subject::Survey(_) => "survey",
            Subject::Insights => "insights",
            Subject::Framework(_) => "framework",
            Subject::Assessment(_) => "assessment",
            Subject::Document(_) => "document",
            Subject::HubInstance(_) => "hub_instance",
            Subject::Retention => "retention",
        }
    }

    fn id(self) -> Option<i64> {
        match self {
            Subject::SafeguardingQueue { organisation_id } => organisation_id,
            Subject::SafeguardingItem(id)
            | Subject::Answer(id)
            | Subject::RiskPhrase(id)
            | Subject::Service(id)
            | Subject::Suggestion(id)
            | Subject::Reply(id)
            | Subject::Survey(id)
            | Subject::Framework(id)
            | Subject::Assessment(id)
            | Subject::Document(id)
            | Subject::HubInstance(id) => Some(id),
            Subject::Retention | Subject::Insights => None,
        }
    }

    fn name(self) -> String {
        match self {
            Subject::SafeguardingQueue {
                organisation_id: Some(o),
            } => format!("the safeguarding queue of organisation {o}"),
            Subject::SafeguardingQueue {
                organisation_id: None,
            } => "every organisation's safeguarding queue".into(),
            Subject::SafeguardingItem(id) => format!("safeguarding item {id}"),
            Subject::Answer(id) => format!("answer {id}"),
            Subject::RiskPhrase(id) => format!("risk phrase {id}"),
            Subject::Service(id) => format!("service {id}"),
            Subject::Suggestion(id) => format!("suggestion {id}"),
            Subject::Reply(id) => format!("reply {id}"),
            Subject::Survey(id) => format!("survey {id}"),
            Subject::Insights => "commissioners' insights".into(),
            Subject::Framework(id) => format!("framework {id}"),
            Subject::Assessment(id) => format!("assessment {id}"),
            Subject::Document(id) => format!("document {id}"),
            Subject::HubInstance(id) => format!("hub instance {id}"),
            Subject::Retention => "kept text past its retention".into(),
        }
    }
}

/// Writes one line about `subject` in a transaction of its own (for reads
/// and downloads, which change nothing else).
pub async fn record_now(
    db: &crate::db::Db,
    actor: Actor<'_>,
    action: AuditAction,
    subject: Subject,
    detail: &str,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    record_about(&mut tx, actor, action, subject, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes one line about something other than an account, inside the
/// transaction that does the action (or, for a look, right before the data is
/// returned: no line, no data).
pub async fn record_about(
    tx: &mut WriteTx,
    actor: Actor<'_>,
    action: AuditAction,
    subject: Subject,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, subject_id, subject, detail, subject_kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(actor.id())
    .bind(actor.name())
    .bind(action.key())
    .bind(subject.id())
    .bind(subject.name())
    .bind(detail)
    .bind(subject.kind())
    .execute(&mut ***tx)
    .await?;
    Ok(())
}

/// Writes one line, inside the transaction that does the action. The
/// subject's email is read from the account as it is at that moment.
pub async fn record(
    tx: &mut WriteTx,
    actor: Actor<'_>,
    action: AuditAction,
    subject_id: i64,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let written = sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, subject_id, subject, detail)
         SELECT $1, $2, $3, $4, $5, email, $6 FROM users WHERE id = $5",
    )
    .bind(now())
    .bind(actor.id())
    .bind(actor.name())
    .bind(action.key())
    .bind(subject_id)
    .bind(detail)
    .execute(&mut ***tx)
    .await?
    .rows_affected();
    if written == 1 {
        Ok(())
    } else {
        // No such account: the action must not happen without its line.
        Err(sqlx::Error::RowNotFound)
    }
}

/// The newest `limit` lines older than `before` (all, without it).
pub async fn page(db: &Db, before: Option<i64>, limit: i64) -> Result<AuditLogPageData, AppError> {
    let rows: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, at, actor, action, subject, detail FROM audit_log
         WHERE id < $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit + 1)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() as i64 > limit;
    let lines: Vec<AuditLine> = rows
        .into_iter()
        .take(limit as usize)
        .map(|(id, at, actor, action, subject, detail)| AuditLine {
            id,
            at: human_time(at),
            actor,
            action: AuditAction::parse(&action)
                .map(|a| a.label().to_string())
                .unwrap_or(action),
            subject,
            detail,
        })
        .collect();
    let older = if more {
        lines.last().map(|l| l.id)
    } else {
        None
    };
    Ok(AuditLogPageData { lines, older })
}
