//! The moderation queue and what moderators do, each with its audit line.

use super::{ModerationItem, ModerationPage};
use crate::accounts::{Reach, StaffUser};
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::paging::Page;
use crate::words::Detail;

#[derive(sqlx::FromRow)]
struct Row {
    public_ref: String,
    organisation: String,
    survey_id: i64,
    survey: String,
    question: String,
    text: String,
    offensive: i64,
    details: String,
}

/// One page of answers waiting for a moderator within `reach`: offensive
/// first, then oldest first. Answers with the safeguarding lead never appear.
pub async fn queue(db: &Db, reach: &Reach, page: Page) -> Result<ModerationPage, AppError> {
    let Some((clause, org)) = reach.organisation_clause("a.organisation_id") else {
        return Err(AppError::Forbidden);
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT a.public_ref, o.name AS organisation, q.survey_id, s.title AS survey,
                q.prompt AS question, a.value AS text, a.offensive, a.details
         FROM answers a
         JOIN organisations o ON o.id = a.organisation_id
         JOIN questions q ON q.id = a.question_id
         JOIN surveys s ON s.id = q.survey_id
         WHERE {clause} AND a.state = 'waiting' AND a.at_risk = 0
         ORDER BY a.offensive DESC, a.shuffle, a.id LIMIT $2 OFFSET $3"
    ))
    .bind(org)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let (rows, more) = page.split(rows);
    let items = rows
        .into_iter()
        .map(|r| ModerationItem {
            public_ref: r.public_ref,
            organisation: r.organisation,
            survey_id: r.survey_id,
            survey: r.survey,
            question: r.question,
            text: r.text,
            offensive: r.offensive != 0,
            removed: r
                .details
                .split(',')
                .filter_map(Detail::parse)
                .map(|d| d.marker().to_string())
                .collect(),
        })
        .collect();
    Ok(ModerationPage {
        items,
        page: page.index,
        more,
    })
}

/// An answer a moderator may act on (by its public reference): its id, its
/// organisation, and whether it is with the safeguarding lead.
pub struct Moderatable {
    pub answer_id: i64,
    pub organisation_id: i64,
    pub at_risk: bool,
}

pub async fn moderatable(db: &Db, public_ref: &str) -> Result<Option<Moderatable>, AppError> {
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, organisation_id, at_risk FROM answers WHERE public_ref = $1")
            .bind(public_ref)
            .fetch_optional(db.pool())
            .await?;
    Ok(
        row.map(|(answer_id, organisation_id, at_risk)| Moderatable {
            answer_id,
            organisation_id,
            at_risk: at_risk != 0,
        }),
    )
}

/// What a moderator decided.
pub enum Decision<'a> {
    Approve,
    Hide {
        reason: &'a str,
    },
    /// The text with more taken out (already checked to remove only), kept
    /// waiting for a decision.
    Redact {
        before: &'a str,
        after: &'a str,
    },
}

/// Applies a decision with its audit line, in one transaction. A redaction
/// applies only if the text is still what the moderator saw (two moderators
/// at once: the second is told to look again); false then.
pub async fn decide(
    db: &Db,
    user: &StaffUser,
    answer_id: i64,
    decision: Decision<'_>,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let (action, detail, changed) = match decision {
        Decision::Approve | Decision::Hide { .. } => {
            let (state, reason, action) = match decision {
                Decision::Hide { reason } => ("hidden", reason, AuditAction::AnswerHidden),
                _ => ("approved", "", AuditAction::AnswerApproved),
            };
            let n = sqlx::query(
                "UPDATE answers SET state = $1, reason = $2, moderated_by = $3, moderated_at = $4
                 WHERE id = $5 AND at_risk = 0 AND state = 'waiting'",
            )
            .bind(state)
            .bind(reason)
            .bind(user.id)
            .bind(now())
            .bind(answer_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            (action, reason.to_string(), n)
        }
        Decision::Redact { before, after } => {
            let n = sqlx::query(
                "UPDATE answers SET value = $1 WHERE id = $2 AND value = $3 AND at_risk = 0",
            )
            .bind(after)
            .bind(answer_id)
            .bind(before)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            (AuditAction::AnswerRedacted, String::new(), n)
        }
    };
    if changed != 1 {
        return Ok(false);
    }
    record_about(
        &mut tx,
        Actor::Staff(user),
        action,
        Subject::Answer(answer_id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
