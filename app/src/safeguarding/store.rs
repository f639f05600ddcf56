//! Safeguarding items, risk phrases and the retention of what young people
//! wrote. Every read of an item or the queue is written to the audit log in
//! the same transaction that reads it: no line, no data.

use super::rules::{ItemStatus, LeadAction, Update};
use super::{ItemDetail, ItemSummary, PhraseRow, QueuePage};
use crate::accounts::{Reach, StaffUser};
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{human_time, now, Changed, Db};
use crate::error::AppError;
use crate::paging::Page;

/// The phrases added in the app that apply to `organisation_id`'s surveys:
/// those for everyone and the organisation's own.
pub async fn phrases_in_use(db: &Db, organisation_id: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT phrase FROM risk_phrases
         WHERE organisation_id IS NULL OR organisation_id = $1 ORDER BY id",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(p,)| p).collect())
}

/// Phrases added for everyone (`None`) or for one organisation.
pub async fn phrases(db: &Db, organisation_id: Option<i64>) -> Result<Vec<PhraseRow>, AppError> {
    let rows: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT p.id, p.phrase, p.added_at, u.email FROM risk_phrases p
         LEFT JOIN users u ON u.id = p.added_by
         WHERE COALESCE(p.organisation_id, 0) = $1 ORDER BY p.phrase",
    )
    .bind(organisation_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, phrase, at, by)| PhraseRow {
            id,
            phrase,
            added: format!(
                "{} by {}",
                human_time(at),
                by.unwrap_or_else(|| "a former colleague".into())
            ),
        })
        .collect())
}

/// Adds a phrase (already checked); false if it was there already.
pub async fn add_phrase(
    db: &Db,
    user: &StaffUser,
    organisation_id: Option<i64>,
    phrase: &str,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let added: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO risk_phrases (organisation_id, phrase, added_by, added_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(organisation_id)
    .bind(phrase)
    .bind(user.id)
    .bind(now())
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id,)) = added else {
        return Ok(false);
    };
    let whose = organisation_id.map_or("everyone".to_string(), |o| format!("organisation {o}"));
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::RiskPhraseAdded,
        Subject::RiskPhrase(id),
        &format!("\"{phrase}\" for {whose}"),
    )
    .await?;
    tx.commit().await?;
    db.note_change(Changed::RiskPhrases);
    Ok(true)
}

/// The organisation a phrase belongs to (`Some(None)`: everyone's), if it exists.
pub async fn phrase_owner(db: &Db, id: i64) -> Result<Option<Option<i64>>, AppError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT organisation_id FROM risk_phrases WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(o,)| o))
}

pub async fn remove_phrase(db: &Db, user: &StaffUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    let gone: Option<(String,)> =
        sqlx::query_as("DELETE FROM risk_phrases WHERE id = $1 RETURNING phrase")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((phrase,)) = gone {
        record_about(
            &mut tx,
            Actor::Staff(user),
            AuditAction::RiskPhraseRemoved,
            Subject::RiskPhrase(id),
            &format!("\"{phrase}\""),
        )
        .await?;
        tx.commit().await?;
        db.note_change(Changed::RiskPhrases);
    }
    Ok(())
}

/// New items within `reach`: the number in the lead's navigation.
pub async fn new_count(db: &Db, reach: &Reach) -> Result<i64, AppError> {
    let Some((clause, org)) = reach.organisation_clause("i.organisation_id") else {
        return Ok(0);
    };
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM safeguarding_items i WHERE {clause} AND i.status = 'new'"
    ))
    .bind(org)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    organisation: String,
    survey: String,
    question: String,
    phrase: String,
    created_at: i64,
    status: String,
}

/// One page of the queue within `reach`: open items (new first, then in
/// hand, oldest first), or closed ones (most recently closed first). The look
/// is audited before anything is returned.
pub async fn queue(
    db: &Db,
    user: &StaffUser,
    closed: bool,
    page: Page,
) -> Result<QueuePage, AppError> {
    let reach = user.safeguarding_reach();
    let Some((clause, org)) = reach.organisation_clause("i.organisation_id") else {
        return Err(AppError::Forbidden);
    };
    let (filter, order) = if closed {
        ("i.status = 'closed'", "i.closed_at DESC, i.id DESC")
    } else {
        (
            "i.status <> 'closed'",
            "CASE i.status WHEN 'new' THEN 0 ELSE 1 END, i.id",
        )
    };
    let mut tx = db.write().await?;
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT i.id, o.name AS organisation,
                COALESCE(s.title, 'A suggestion for an activity') AS survey,
                COALESCE(q.prompt, sg.title, '') AS question,
                i.phrase, i.created_at, i.status
         FROM safeguarding_items i
         JOIN organisations o ON o.id = i.organisation_id
         LEFT JOIN surveys s ON s.id = i.survey_id
         LEFT JOIN questions q ON q.id = i.question_id
         LEFT JOIN suggestions sg ON sg.id = i.suggestion_id
         WHERE {clause} AND {filter} ORDER BY {order} LIMIT $2 OFFSET $3"
    ))
    .bind(org)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&mut **tx)
    .await?;
    let organisation_id = match reach {
        Reach::Organisation(o) => Some(o),
        _ => None,
    };
    let which = if closed { "closed items" } else { "open items" };
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::SafeguardingQueueViewed,
        Subject::SafeguardingQueue { organisation_id },
        &format!("{which}, page {}", page.index + 1),
    )
    .await?;
    tx.commit().await?;
    let (rows, more) = page.split(rows);
    let items = rows
        .into_iter()
        .map(|r| ItemSummary {
            id: r.id,
            organisation: r.organisation,
            survey: r.survey,
            question: r.question,
            phrase: r.phrase,
            at: human_time(r.created_at),
            status: ItemStatus::parse(&r.status).unwrap_or(ItemStatus::New),
        })
        .collect();
    Ok(QueuePage {
        items,
        closed,
        page: page.index,
        more,
    })
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    organisation_id: i64,
    answer_id: Option<i64>,
    organisation: String,
    survey_id: i64,
    survey: String,
    question: String,
    text: Option<String>,
    redacted: Option<String>,
    phrase: String,
    created_at: i64,
    age_band: Option<String>,
    area: Option<String>,
    status: String,
    action: Option<String>,
    note: String,
    updated_at: Option<i64>,
}

/// The organisation an item belongs to, if it exists.
pub async fn item_organisation(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT organisation_id FROM safeguarding_items WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(o,)| o))
}

/// One item, for someone already allowed to read it; the look is audited
/// before anything is returned.
pub async fn item(db: &Db, user: &StaffUser, id: i64) -> Result<Option<ItemDetail>, AppError> {
    let mut tx = db.write().await?;
    let row: Option<ItemRow> = sqlx::query_as(
        "SELECT i.organisation_id, i.answer_id, o.name AS organisation, i.survey_id,
                COALESCE(s.title, 'A suggestion for an activity') AS survey,
                COALESCE(q.prompt, 'Their idea (title, then description)') AS question,
                COALESCE(a.original, a.value, sg.original, sg.title || '

' || sg.description) AS text,
                COALESCE(a.value, sg.title || '

' || sg.description) AS redacted,
                i.phrase, i.created_at, i.age_band, ar.name AS area, i.status, i.action, i.note,
                i.updated_at
         FROM safeguarding_items i
         JOIN organisations o ON o.id = i.organisation_id
         LEFT JOIN surveys s ON s.id = i.survey_id
         LEFT JOIN questions q ON q.id = i.question_id
         LEFT JOIN suggestions sg ON sg.id = i.suggestion_id
         LEFT JOIN answers a ON a.id = i.answer_id
         LEFT JOIN areas ar ON ar.code = i.area_code
         WHERE i.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    // Another organisation's item is as if not there: ids say nothing.
    let Some(r) = row.filter(|r| user.may_handle_safeguarding_for(r.organisation_id)) else {
        return Ok(None);
    };
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::SafeguardingItemViewed,
        Subject::SafeguardingItem(id),
        "",
    )
    .await?;
    let history: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT at, by_email, status, action, note FROM safeguarding_notes
         WHERE item_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    // The rest of that young person's response: only the lead sees it, and
    // it may say more ("how safe do you feel at home: very bad").
    let answers: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT a.question_id, a.position, a.value, a.original FROM answers a
         WHERE a.response_id = (SELECT response_id FROM answers WHERE id = $1)
           AND a.id <> $1
         ORDER BY a.question_id, a.position",
    )
    .bind(r.answer_id.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    tx.commit().await?;
    let questions = crate::surveys::store::by_id(db, r.survey_id)
        .await?
        .map(|s| s.form.questions)
        .unwrap_or_default();
    let rest_of_response = rest_of_response(&questions, answers);
    let age_band = r.age_band.map(|k| {
        crate::about_you::AgeBand::parse(&k)
            .map(|b| b.label())
            .unwrap_or_else(|| "Preferred not to say".into())
    });
    Ok(Some(ItemDetail {
        id,
        organisation: r.organisation,
        survey_id: r.survey_id,
        survey: r.survey,
        question: r.question,
        redacted_differs: r.redacted.as_deref() != r.text.as_deref(),
        text: r.text,
        phrase: r.phrase,
        at: human_time(r.created_at),
        age_band,
        area: r.area,
        status: ItemStatus::parse(&r.status).unwrap_or(ItemStatus::New),
        action: r.action.as_deref().and_then(LeadAction::parse),
        note: r.note,
        version: r.updated_at.unwrap_or(0),
        rest_of_response,
        history: history
            .into_iter()
            .map(|(at, by, status, action, note)| {
                let status = ItemStatus::parse(&status).map_or(status, |s| s.label().to_string());
                let action = action
                    .as_deref()
                    .and_then(LeadAction::parse)
                    .map_or("no action recorded yet", LeadAction::label);
                let note = if note.is_empty() {
                    String::new()
                } else {
                    format!(" · {note}")
                };
                format!("{} · {by} · {status}: {action}{note}", human_time(at))
            })
            .collect(),
    }))
}

/// `(question, answer)` in words, in the survey's order, for the answers
/// `(question id, position, value, original)` of one response.
fn rest_of_response(
    questions: &[crate::surveys::model::Question],
    answers: Vec<(i64, i64, String, Option<String>)>,
) -> Vec<(String, String)> {
    use crate::surveys::model::{QuestionKind, YES_NO};
    questions
        .iter()
        .filter_map(|q| {
            let values: Vec<String> = answers
                .iter()
                .filter(|(qid, ..)| *qid == q.id)
                .map(|(_, _, value, original)| match q.kind {
                    QuestionKind::YesNo => YES_NO
                        .iter()
                        .find(|(k, _)| k == value)
                        .map_or(value.clone(), |(_, l)| l.to_string()),
                    QuestionKind::Scale => format!("{value} of 5"),
                    QuestionKind::ShortText | QuestionKind::LongText => {
                        original.clone().unwrap_or_else(|| value.clone())
                    }
                    _ => q.option_label(value).unwrap_or(value).to_string(),
                })
                .collect();
            (!values.is_empty()).then(|| (q.prompt.clone(), values.join(", then ")))
        })
        .collect()
}

/// Records what the lead did, in one transaction: the item, its history (the
/// note too: every record is kept with the item, whatever is saved later)
/// and the audit line (status and action, never the note); only if nobody
/// recorded anything since `seen` (the item's `updated_at` as the lead saw
/// it, 0 for never). False when someone did: nothing is overwritten. Closed
/// with no concern, the response's words are released: they wait for a
/// moderator like any others (unless another item holds them).
pub async fn update(
    db: &Db,
    user: &StaffUser,
    id: i64,
    seen: i64,
    u: &Update,
) -> Result<bool, AppError> {
    // Strictly later than any earlier record, so a second save in the same
    // second is still told apart.
    let at = now().max(seen.saturating_add(1));
    let closed_at = (u.status == ItemStatus::Closed).then_some(at);
    let mut tx = db.write().await?;
    let changed = sqlx::query(
        "UPDATE safeguarding_items SET status = $1, action = $2, note = $3, updated_by = $4,
                updated_at = $5, closed_at = $6 WHERE id = $7 AND COALESCE(updated_at, 0) = $8",
    )
    .bind(u.status.key())
    .bind(u.action.map(LeadAction::key))
    .bind(&u.note)
    .bind(user.id)
    .bind(at)
    .bind(closed_at)
    .bind(id)
    .bind(seen)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO safeguarding_notes (item_id, at, by_email, status, action, note)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(at)
    .bind(&user.email)
    .bind(u.status.key())
    .bind(u.action.map(LeadAction::key))
    .bind(&u.note)
    .execute(&mut **tx)
    .await?;
    if u.status == ItemStatus::Closed && u.action == Some(LeadAction::NoConcern) {
        sqlx::query(
            "UPDATE answers SET at_risk = 0
             WHERE state IS NOT NULL
               AND response_id = (SELECT a.response_id FROM answers a
                                  JOIN safeguarding_items i ON i.answer_id = a.id WHERE i.id = $1)
               AND NOT EXISTS (SELECT 1 FROM safeguarding_items o
                               JOIN answers b ON b.id = o.answer_id
                               WHERE b.response_id = answers.response_id AND o.id <> $1
                                 AND NOT (o.status = 'closed' AND o.action = 'no_concern'))",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
        // A suggestion's words are released too: they wait for a moderator.
        sqlx::query(
            "UPDATE suggestions SET at_risk = 0
             WHERE id = (SELECT suggestion_id FROM safeguarding_items WHERE id = $1)",
        )
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    let action = u.action.map_or("no action recorded yet", LeadAction::label);
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::SafeguardingItemUpdated,
        Subject::SafeguardingItem(id),
        &format!("{}: {action}", u.status.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whom to tell that a new item waits: `organisation_id`'s safeguarding
/// leads who can sign in or, when it has none, heard's administrators (who
/// can open every queue), so an item never waits unseen.
pub async fn lead_emails(db: &Db, organisation_id: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT email FROM users WHERE organisation_id = $1 AND role = 'safeguarding_lead'
         AND disabled_at IS NULL ORDER BY email",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?;
    if !rows.is_empty() {
        return Ok(rows.into_iter().map(|(e,)| e).collect());
    }
    let admins: Vec<(String,)> = sqlx::query_as(
        "SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY email",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(admins.into_iter().map(|(e,)| e).collect())
}

/// What one retention run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retained {
    pub originals: u64,
    pub items: u64,
}

/// Deletes what young people wrote before details were taken out, once older
/// than `days`, and closed safeguarding items with their text, once closed
/// for longer than `days`. An answer that still has an item keeps its
/// original until the item goes: a lead handling it reads what was written,
/// details and all. The audit log keeps a line for each item, and one for the
/// originals, so it shows they existed. Items go at most 500 a run (the
/// rest next run); two servers running at once delete and record each item
/// once.
pub async fn apply_retention(db: &Db, days: i64) -> Result<Retained, AppError> {
    /// Closed items deleted at most per run.
    const BATCH: i64 = 500;
    let cutoff = now() - days * 86_400;
    let mut tx = db.write().await?;
    let originals = sqlx::query(
        "UPDATE answers SET original = NULL
         WHERE original IS NOT NULL AND screened_on < $1
         AND NOT EXISTS (SELECT 1 FROM safeguarding_items i WHERE i.answer_id = answers.id)",
    )
    .bind(cutoff)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let originals = originals
        + sqlx::query(
            "UPDATE suggestions SET original = NULL
             WHERE original IS NOT NULL AND created_on < $1
             AND NOT EXISTS (SELECT 1 FROM safeguarding_items i WHERE i.suggestion_id = suggestions.id)",
        )
        .bind(cutoff)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let items: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT id, organisation_id, answer_id, suggestion_id FROM safeguarding_items
         WHERE status = 'closed' AND closed_at < $1 ORDER BY id LIMIT $2",
    )
    .bind(cutoff)
    .bind(BATCH)
    .fetch_all(&mut **tx)
    .await?;
    let job = Actor::Job("retention job");
    let mut deleted = 0;
    // Deleted answers leave the tallies once, after every delete, so this
    // transaction takes tally rows only at the end (as folding does): lock
    // order responses, then tallies, the same as the fold's.
    let mut gone_answers: Vec<crate::tallies::store::Deleted> = Vec::new();
    for (id, organisation_id, answer, suggestion) in &items {
        // Another server's run may have taken it first: only the run that
        // deletes the item deletes its text and writes its line.
        let gone = sqlx::query("DELETE FROM safeguarding_items WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if gone == 0 {
            continue;
        }
        // The words go with the item: its answer row (with what screening
        // found about it); the rest of the response stays.
        if let Some(answer) = answer {
            // Released words (closed with no concern) stay with the results.
            // Its response locked first, so the tallies hear of it (below).
            let response: Option<(i64,)> =
                sqlx::query_as("SELECT response_id FROM answers WHERE id = $1")
                    .bind(answer)
                    .fetch_optional(&mut **tx)
                    .await?;
            if let Some((response,)) = response {
                crate::tallies::store::lock_response(&mut tx.tx, db.backend(), response).await?;
            }
            let rows: Vec<crate::tallies::store::Deleted> = sqlx::query_as(&format!(
                "DELETE FROM answers WHERE id = $1 AND at_risk = 1 {}",
                crate::tallies::store::DELETED_RETURNING
            ))
            .bind(answer)
            .fetch_all(&mut **tx)
            .await?;
            gone_answers.extend(rows);
        }
        // A suggestion held for the lead was never public: it goes too.
        if let Some(suggestion) = suggestion {
            sqlx::query("DELETE FROM suggestions WHERE id = $1 AND at_risk = 1")
                .bind(suggestion)
                .execute(&mut **tx)
                .await?;
        }
        let detail = format!("organisation {organisation_id}, closed more than {days} days ago");
        let action = AuditAction::SafeguardingItemDeleted;
        record_about(
            &mut tx,
            job,
            action,
            Subject::SafeguardingItem(*id),
            &detail,
        )
        .await?;
        deleted += 1;
    }
    crate::tallies::store::forget(&mut tx.tx, &gone_answers).await?;
    if originals > 0 {
        let detail = format!("{originals} answers' original text, older than {days} days");
        let action = AuditAction::OriginalsDeleted;
        record_about(&mut tx, job, action, Subject::Retention, &detail).await?;
    }
    tx.commit().await?;
    Ok(Retained {
        originals,
        items: deleted,
    })
}
