//! Replies in the database. Portable SQL only.

use super::{LinkKind, ReplyCard, ReplyFields};
use crate::accounts::StaffUser;
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::paging::Page;

/// Publishes a reply with its links. What they did is cleaned with ammonia
/// here, the one way into `replies.did_html`, so no caller can store it raw.
pub async fn create(
    db: &Db,
    organisation_id: i64,
    user: &StaffUser,
    fields: &ReplyFields,
    links: &[(LinkKind, i64)],
) -> Result<i64, AppError> {
    let did_html = super::html::clean(&fields.did);
    let t = now();
    let mut tx = db.write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO replies (organisation_id, said, did_html, did_text, when_text, published_at, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6) RETURNING id",
    )
    .bind(organisation_id)
    .bind(&fields.said)
    .bind(&did_html)
    .bind(super::html::text_of(&did_html))
    .bind(&fields.when)
    .bind(t)
    .bind(user.id)
    .fetch_one(&mut **tx)
    .await?;
    for (kind, target) in links {
        sqlx::query("INSERT INTO reply_links (reply_id, kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(kind.key())
            .bind(target)
            .execute(&mut **tx)
            .await?;
    }
    let detail = format!("{} links", links.len());
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::ReplyPublished,
        Subject::Reply(id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes a reply down. False when there was none of `organisation_id`'s.
pub async fn remove(
    db: &Db,
    id: i64,
    organisation_id: i64,
    user: &StaffUser,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let done = sqlx::query("DELETE FROM replies WHERE id = $1 AND organisation_id = $2")
        .bind(id)
        .bind(organisation_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if done == 1 {
        record_about(
            &mut tx,
            Actor::Staff(user),
            AuditAction::ReplyRemoved,
            Subject::Reply(id),
            "",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done == 1)
}

/// The organisation a reply belongs to.
pub async fn owner(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT organisation_id FROM replies WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(o,)| o))
}

type ReplyRow = (i64, String, String, String, String, i64);

async fn cards(db: &Db, rows: Vec<ReplyRow>) -> Result<Vec<ReplyCard>, AppError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let params: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT l.reply_id, l.kind, sv.name, sv.slug, sg.title, sg.public_ref, sg.state, s.title
         FROM reply_links l
         LEFT JOIN services sv ON l.kind = 'service' AND sv.id = l.target_id
         LEFT JOIN suggestions sg ON l.kind = 'suggestion' AND sg.id = l.target_id
         LEFT JOIN surveys s ON l.kind = 'survey' AND s.id = l.target_id
         WHERE l.reply_id IN ({}) ORDER BY l.kind, l.target_id",
        params.join(", ")
    );
    type LinkRow = (
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let mut q = sqlx::query_as::<_, LinkRow>(&sql);
    for r in &rows {
        q = q.bind(r.0);
    }
    let links = q.fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(id, organisation, said, did_html, when, at)| ReplyCard {
            id,
            organisation,
            said,
            did_html,
            when,
            published: crate::db::human_day(at),
            links: links
                .iter()
                .filter(|l| l.0 == id)
                .filter_map(|(_, kind, name, slug, title, public_ref, state, survey)| {
                    match kind.as_str() {
                        "service" => Some((
                            format!("Ratings of {}", name.clone()?),
                            slug.clone().map(|s| format!("/services/{s}")),
                        )),
                        // Only a public suggestion is named to the public.
                        "suggestion" if state.as_deref() == Some("approved") => Some((
                            format!("Suggestion: {}", title.clone()?),
                            public_ref.clone().map(|r| format!("/ideas/{r}")),
                        )),
                        "survey" => Some((format!("Survey: {}", survey.clone()?), None)),
                        _ => None,
                    }
                })
                .collect(),
        })
        .collect())
}

const SELECT: &str = "SELECT r.id, o.name, r.said, r.did_html, r.when_text, r.published_at
     FROM replies r JOIN organisations o ON o.id = r.organisation_id";

/// The newest replies linked to a service, a suggestion or a survey.
pub async fn linked(db: &Db, kind: &str, target: i64) -> Result<Vec<ReplyCard>, AppError> {
    let rows: Vec<ReplyRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.id IN (SELECT reply_id FROM reply_links WHERE kind = $1 AND target_id = $2)
         ORDER BY r.published_at DESC, r.id DESC LIMIT 20"
    ))
    .bind(kind)
    .bind(target)
    .fetch_all(db.pool())
    .await?;
    cards(db, rows).await
}

/// Whose replies a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Everyone,
    Organisation(i64),
    /// Organisations working in the area.
    Area(String),
}

/// One page of replies, newest first.
pub async fn list(db: &Db, scope: &Scope, page: Page) -> Result<(Vec<ReplyCard>, bool), AppError> {
    const ORDER: &str = "ORDER BY r.published_at DESC, r.id DESC";
    let rows: Vec<ReplyRow> = match scope {
        Scope::Everyone => {
            sqlx::query_as(&format!("{SELECT} {ORDER} LIMIT $1 OFFSET $2"))
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(db.pool())
                .await?
        }
        Scope::Organisation(o) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE r.organisation_id = $3 {ORDER} LIMIT $1 OFFSET $2"
            ))
            .bind(page.limit())
            .bind(page.offset())
            .bind(o)
            .fetch_all(db.pool())
            .await?
        }
        Scope::Area(a) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE o.area_code = $3 {ORDER} LIMIT $1 OFFSET $2"
            ))
            .bind(page.limit())
            .bind(page.offset())
            .bind(a)
            .fetch_all(db.pool())
            .await?
        }
    };
    let (rows, more) = page.split(rows);
    Ok((cards(db, rows).await?, more))
}

/// What an organisation's reply may link to: its services, the approved
/// suggestions in its area, its surveys. `(kind, id, label)`.
pub async fn linkable(
    db: &Db,
    organisation_id: i64,
) -> Result<Vec<(LinkKind, i64, String)>, AppError> {
    let mut out = Vec::new();
    let services: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM services WHERE organisation_id = $1 ORDER BY folded_name LIMIT 200",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?;
    out.extend(
        services
            .into_iter()
            .map(|(id, n)| (LinkKind::Service, id, format!("Ratings of {n}"))),
    );
    let suggestions: Vec<(i64, String)> = sqlx::query_as(
        "SELECT sg.id, sg.title FROM suggestions sg JOIN organisations o ON o.area_code = sg.area_code
         WHERE o.id = $1 AND sg.state = 'approved' ORDER BY sg.supports DESC, sg.id DESC LIMIT 100",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?;
    out.extend(
        suggestions
            .into_iter()
            .map(|(id, t)| (LinkKind::Suggestion, id, format!("Suggestion: {t}"))),
    );
    let surveys: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM surveys WHERE organisation_id = $1 AND service_id IS NULL
           AND status <> 'draft'
         ORDER BY updated_at DESC, id DESC LIMIT 100",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?;
    out.extend(
        surveys
            .into_iter()
            .map(|(id, t)| (LinkKind::Survey, id, format!("Survey: {t}"))),
    );
    Ok(out)
}
