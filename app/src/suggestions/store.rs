//! Suggestions in the database. Portable SQL only: the same statements run
//! on SQLite and PostgreSQL.

use super::{Card, Category, Moderation, NewSuggestion, QueueItem, Status, SuggestionView};
use crate::accounts::{Role, StaffUser};
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::paging::Page;
use crate::words::Screened;

/// Areas where suggestions can be made: those with an organisation to take
/// them (its youth workers moderate, its lead hears of any risk).
pub async fn areas_with_organisations(db: &Db) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.code, a.name FROM areas a
         WHERE a.active = 1 AND EXISTS (SELECT 1 FROM organisations o WHERE o.area_code = a.code)
         ORDER BY a.name",
    )
    .fetch_all(db.pool())
    .await?)
}

/// The organisation that takes an area's suggestions: the first with a
/// safeguarding lead, or else the first.
pub async fn handling_organisation(db: &Db, area: &str) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT o.id FROM organisations o WHERE o.area_code = $1
         ORDER BY CASE WHEN EXISTS (SELECT 1 FROM users u WHERE u.organisation_id = o.id
                                    AND u.role = 'safeguarding_lead') THEN 0 ELSE 1 END, o.id
         LIMIT 1",
    )
    .bind(area)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(id,)| id))
}

/// What screening found in a suggestion's title and description together.
pub struct Found<'a> {
    pub title: &'a Screened,
    pub description: &'a Screened,
}

impl Found<'_> {
    fn details(&self) -> String {
        let mut d: Vec<&str> = self
            .title
            .details
            .iter()
            .chain(&self.description.details)
            .map(|d| d.key())
            .collect();
        d.sort();
        d.dedup();
        d.join(",")
    }

    fn original(&self) -> Option<String> {
        let changed = self.title.redacted != self.title.original
            || self.description.redacted != self.description.original;
        changed.then(|| format!("{}\n\n{}", self.title.original, self.description.original))
    }

    pub fn risk(&self) -> Option<&str> {
        self.title
            .risk
            .as_deref()
            .or(self.description.risk.as_deref())
    }
}

pub enum Stored {
    /// Stored now, with the safeguarding items it made.
    New { items: Vec<i64> },
    /// Stored before with this key and these words (a double tap, a retry).
    Already,
    /// The key was used for other words: someone else's form on a shared
    /// phone. Nothing was stored; they must be told and keep their words.
    KeyUsedForOther,
}

/// Where a new suggestion comes from: its form's key and what was sent, as
/// keyed digests, and its private link's code digest.
pub struct Origin<'a> {
    pub key_digest: &'a str,
    pub content_digest: &'a str,
    pub code_digest: &'a str,
}

/// Stores a new suggestion (text already redacted in `s`), once per key, and
/// an item for the lead when its words matched the risk list.
pub async fn create(
    db: &Db,
    origin: Origin<'_>,
    organisation_id: i64,
    s: &NewSuggestion,
    found: &Found<'_>,
) -> Result<Stored, AppError> {
    let t = now();
    // To the day, like the answers: nothing stored says when exactly.
    let day = t / 86_400 * 86_400;
    let public_ref = crate::random::token::<9>();
    let risk = found.risk();
    let mut tx = db.write().await?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO suggestions (public_ref, submission_key, content_digest, code_digest, organisation_id, title,
                                  description, original, details, offensive, at_risk, category, area_code, outcome,
                                  state, status, supports, created_on, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'waiting', 'new', 0, $15, $15)
         ON CONFLICT (submission_key) DO NOTHING RETURNING id",
    )
    .bind(&public_ref)
    .bind(origin.key_digest)
    .bind(origin.content_digest)
    .bind(origin.code_digest)
    .bind(organisation_id)
    .bind(&s.title)
    .bind(&s.description)
    .bind(found.original())
    .bind(found.details())
    .bind(i64::from(found.title.offensive || found.description.offensive))
    .bind(i64::from(risk.is_some()))
    .bind(s.category.unwrap_or(Category::Other).key())
    .bind(&s.area_code)
    .bind(s.outcome.map(Outcome::key))
    .bind(day)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id,)) = inserted else {
        // The first has committed (PostgreSQL waits for it; SQLite writes
        // one at a time), so it can be read here.
        let (content,): (String,) =
            sqlx::query_as("SELECT content_digest FROM suggestions WHERE submission_key = $1")
                .bind(origin.key_digest)
                .fetch_one(&mut **tx)
                .await?;
        return Ok(if content == origin.content_digest {
            Stored::Already
        } else {
            Stored::KeyUsedForOther
        });
    };
    let mut items = Vec::new();
    if let Some(phrase) = risk {
        let (item,): (i64,) = sqlx::query_as(
            "INSERT INTO safeguarding_items (organisation_id, answer_id, survey_id, question_id, suggestion_id,
                                             phrase, created_at, age_band, area_code, status)
             VALUES ($1, NULL, 0, 0, $2, $3, $4, NULL, $5, 'new') RETURNING id",
        )
        .bind(organisation_id)
        .bind(id)
        .bind(phrase)
        .bind(t / 3_600 * 3_600)
        .bind(&s.area_code)
        .fetch_one(&mut **tx)
        .await?;
        items.push(item);
    }
    tx.commit().await?;
    Ok(Stored::New { items })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    public_ref: String,
    title: String,
    description: String,
    category: String,
    area: String,
    area_code: String,
    outcome: Option<String>,
    state: String,
    status: String,
    supports: i64,
    reason: Option<String>,
    merged_ref: Option<String>,
    merged_title: Option<String>,
    created_on: i64,
    organisation_id: i64,
    offensive: i64,
    at_risk: i64,
}

const SELECT: &str = "SELECT sg.id, sg.public_ref, sg.title, sg.description, sg.category, a.name AS area,
        sg.area_code, sg.outcome, sg.state, sg.status, sg.supports, sg.reason, m.public_ref AS merged_ref,
        m.title AS merged_title, sg.created_on, sg.organisation_id, sg.offensive, sg.at_risk
     FROM suggestions sg
     JOIN areas a ON a.code = sg.area_code
     LEFT JOIN suggestions m ON m.id = sg.merged_into";

/// One suggestion with what staff act on.
pub struct Suggestion {
    pub id: i64,
    pub area_code: String,
    pub organisation_id: i64,
    pub at_risk: bool,
    pub offensive: bool,
    pub view: SuggestionView,
}

async fn view_of(db: &Db, r: Row) -> Result<Suggestion, AppError> {
    let notes: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT status, note, at FROM suggestion_notes WHERE suggestion_id = $1 ORDER BY id DESC LIMIT 50",
    )
    .bind(r.id)
    .fetch_all(db.pool())
    .await?;
    let replies = crate::replies::store::linked(db, "suggestion", r.id).await?;
    let (y, m) = crate::services::rating::year_month(r.created_on);
    Ok(Suggestion {
        id: r.id,
        area_code: r.area_code,
        organisation_id: r.organisation_id,
        at_risk: r.at_risk != 0,
        offensive: r.offensive != 0,
        view: SuggestionView {
            public_ref: r.public_ref,
            title: r.title,
            description: r.description,
            category: Category::parse(&r.category).unwrap_or(Category::Other),
            area: r.area,
            outcome: r.outcome.as_deref().and_then(Outcome::parse),
            moderation: Moderation::parse(&r.state).unwrap_or(Moderation::Waiting),
            status: Status::parse(&r.status).unwrap_or(Status::New),
            supports: r.supports,
            reason: r.reason,
            merged_into: r.merged_ref.zip(r.merged_title),
            notes: notes
                .into_iter()
                .map(|(s, n, at)| {
                    (
                        Status::parse(&s).unwrap_or(Status::New),
                        n,
                        crate::db::human_day(at),
                    )
                })
                .collect(),
            replies,
            month: crate::services::rating::month_name(y, m),
        },
    })
}

/// The suggestion a private link's code opens.
pub async fn by_code(db: &Db, code_digest: &str) -> Result<Option<Suggestion>, AppError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE sg.code_digest = $1"))
        .bind(code_digest)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(r) => Ok(Some(view_of(db, r).await?)),
        None => Ok(None),
    }
}

/// A suggestion by its public reference (any state: callers decide).
pub async fn by_ref(db: &Db, public_ref: &str) -> Result<Option<Suggestion>, AppError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE sg.public_ref = $1"))
        .bind(public_ref)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(r) => Ok(Some(view_of(db, r).await?)),
        None => Ok(None),
    }
}

/// What the public list is filtered by.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub area: Option<String>,
    pub category: Option<Category>,
    pub status: Option<Status>,
}

/// One page of approved suggestions, most supported first.
pub async fn public_list(db: &Db, f: &Filter, page: Page) -> Result<(Vec<Card>, bool), AppError> {
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT sg.public_ref, sg.title, sg.category, a.name, sg.status, sg.supports
         FROM suggestions sg JOIN areas a ON a.code = sg.area_code
         WHERE sg.state = 'approved' AND ($1 = '' OR sg.area_code = $1)
           AND ($2 = '' OR sg.category = $2) AND ($3 = '' OR sg.status = $3)
         ORDER BY sg.supports DESC, sg.id DESC LIMIT $4 OFFSET $5",
    )
    .bind(f.area.clone().unwrap_or_default())
    .bind(f.category.map(Category::key).unwrap_or_default())
    .bind(f.status.map(Status::key).unwrap_or_default())
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let (rows, more) = page.split(rows);
    Ok((
        rows.into_iter()
            .map(
                |(public_ref, title, category, area, status, supports)| Card {
                    public_ref,
                    title,
                    category: Category::parse(&category).unwrap_or(Category::Other),
                    area,
                    status: Status::parse(&status).unwrap_or(Status::New),
                    supports,
                },
            )
            .collect(),
        more,
    ))
}

/// One support from a phone, once: false when this phone already supported
/// it, or it is not (or no longer) public.
pub async fn support(db: &Db, id: i64, once: crate::phone::Once<'_>) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let public: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM suggestions WHERE id = $1 AND state = 'approved'")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    if public.is_none() || !crate::phone::claim(&mut tx, once).await? {
        return Ok(false);
    }
    sqlx::query("UPDATE suggestions SET supports = supports + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The areas whose suggestions `user` moderates: `None` for everywhere
/// (administrators); youth workers and organisation admins, their
/// organisation's area; nobody else any.
pub async fn moderation_areas(db: &Db, user: &StaffUser) -> Result<Option<Vec<String>>, AppError> {
    match (user.role, user.organisation_id) {
        (Role::Admin, _) => Ok(None),
        (Role::OrgAdmin | Role::YouthWorker, Some(org)) => {
            let row: Option<(Option<String>,)> =
                sqlx::query_as("SELECT area_code FROM organisations WHERE id = $1")
                    .bind(org)
                    .fetch_optional(db.pool())
                    .await?;
            Ok(Some(row.and_then(|(a,)| a).into_iter().collect()))
        }
        _ => Ok(Some(vec![])),
    }
}

/// Whether `areas` (from [`moderation_areas`]) covers `area`.
pub fn covers(areas: &Option<Vec<String>>, area: &str) -> bool {
    areas
        .as_ref()
        .is_none_or(|list| list.iter().any(|a| a == area))
}

/// A condition on `sg.area_code` for `areas` with its values bound from
/// `$first` on; `None` when it covers no area at all.
fn area_clause(areas: &Option<Vec<String>>, first: usize) -> Option<(String, Vec<String>)> {
    match areas {
        None => Some(("1 = 1".into(), vec![])),
        Some(list) if list.is_empty() => None,
        Some(list) => {
            let params: Vec<String> = (0..list.len()).map(|i| format!("${}", i + first)).collect();
            Some((
                format!("sg.area_code IN ({})", params.join(", ")),
                list.clone(),
            ))
        }
    }
}

/// One page of suggestions in `areas` for staff: waiting ones (offensive
/// first), or approved ones (most supported first). Suggestions with the
/// safeguarding lead never appear.
pub async fn queue(
    db: &Db,
    areas: &Option<Vec<String>>,
    state: Moderation,
    page: Page,
) -> Result<(Vec<QueueItem>, bool), AppError> {
    let order = if state == Moderation::Waiting {
        "sg.offensive DESC, sg.id"
    } else {
        "sg.supports DESC, sg.id DESC"
    };
    let Some((area_clause, list)) = area_clause(areas, 4) else {
        return Ok((vec![], false));
    };
    let sql = format!(
        "SELECT sg.public_ref, sg.title, sg.description, sg.category, a.name, sg.state, sg.status, sg.supports, sg.offensive
         FROM suggestions sg JOIN areas a ON a.code = sg.area_code
         WHERE sg.state = $1 AND sg.at_risk = 0 AND {area_clause}
         ORDER BY {order} LIMIT $2 OFFSET $3"
    );
    type QueueRow = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
    );
    let mut q = sqlx::query_as::<_, QueueRow>(&sql)
        .bind(state.key())
        .bind(page.limit())
        .bind(page.offset());
    for a in &list {
        q = q.bind(a);
    }
    let (rows, more) = page.split(q.fetch_all(db.pool()).await?);
    Ok((
        rows.into_iter()
            .map(
                |(
                    public_ref,
                    title,
                    description,
                    category,
                    area,
                    state,
                    status,
                    supports,
                    offensive,
                )| QueueItem {
                    public_ref,
                    title,
                    description,
                    category: Category::parse(&category).unwrap_or(Category::Other),
                    area,
                    state: Moderation::parse(&state).unwrap_or(Moderation::Waiting),
                    status: Status::parse(&status).unwrap_or(Status::New),
                    supports,
                    offensive: offensive != 0,
                },
            )
            .collect(),
        more,
    ))
}

/// A moderator's decision on a waiting suggestion.
pub enum Decision<'a> {
    Approve,
    Reject {
        reason: &'a str,
    },
    /// Joined with the approved suggestion `into` (its id); supports carry over.
    Merge {
        into: i64,
    },
}

/// Applies a decision if the suggestion still waits (two moderators at
/// once: the second is told it was already decided). Returns whether it did.
pub async fn decide(
    db: &Db,
    id: i64,
    user: &StaffUser,
    decision: Decision<'_>,
) -> Result<bool, AppError> {
    let by = user.id;
    let (action, detail) = match &decision {
        Decision::Approve => (AuditAction::SuggestionApproved, String::new()),
        Decision::Reject { reason } => {
            (AuditAction::SuggestionRejected, format!("reason: {reason}"))
        }
        Decision::Merge { into } => (
            AuditAction::SuggestionMerged,
            format!("into suggestion {into}"),
        ),
    };
    let t = now();
    let mut tx = db.write().await?;
    let done = match decision {
        Decision::Approve => sqlx::query(
            "UPDATE suggestions SET state = 'approved', moderated_by = $1, updated_at = $2 WHERE id = $3 AND state = 'waiting'",
        )
        .bind(by)
        .bind(t)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected(),
        Decision::Reject { reason } => sqlx::query(
            "UPDATE suggestions SET state = 'rejected', reason = $1, moderated_by = $2, updated_at = $3 WHERE id = $4 AND state = 'waiting'",
        )
        .bind(reason)
        .bind(by)
        .bind(t)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected(),
        Decision::Merge { into } => {
            let done = sqlx::query(
                "UPDATE suggestions SET state = 'merged', merged_into = $1, moderated_by = $2, updated_at = $3
                 WHERE id = $4 AND state IN ('waiting', 'approved') AND id <> $1
                   AND EXISTS (SELECT 1 FROM suggestions t WHERE t.id = $1 AND t.state = 'approved')",
            )
            .bind(into)
            .bind(by)
            .bind(t)
            .bind(id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if done == 1 {
                // Its supports, and its author's (one), join the other's.
                sqlx::query(
                    "UPDATE suggestions SET supports = supports + 1 + (SELECT supports FROM suggestions WHERE id = $1), updated_at = $2
                     WHERE id = $3",
                )
                .bind(id)
                .bind(t)
                .bind(into)
                .execute(&mut **tx)
                .await?;
                // Ideas joined with this one before now point where it
                // went, so a phone that supported any of them counts once.
                sqlx::query("UPDATE suggestions SET merged_into = $1 WHERE merged_into = $2")
                    .bind(into)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query("UPDATE suggestions SET supports = 0 WHERE id = $1")
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
            done
        }
    };
    if done == 1 {
        record_about(
            &mut tx,
            Actor::Staff(user),
            action,
            Subject::Suggestion(id),
            &detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done == 1)
}

/// Moves an approved suggestion from `from` to `to` with a public note, if
/// it is still at `from` (a stale page is told to look again).
pub async fn change_status(
    db: &Db,
    id: i64,
    from: Status,
    to: Status,
    note: &str,
    user: &StaffUser,
) -> Result<bool, AppError> {
    let by = user.id;
    let t = now();
    let mut tx = db.write().await?;
    let done = sqlx::query(
        "UPDATE suggestions SET status = $1, updated_at = $2 WHERE id = $3 AND state = 'approved' AND status = $4",
    )
    .bind(to.key())
    .bind(t)
    .bind(id)
    .bind(from.key())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if done == 1 {
        sqlx::query("INSERT INTO suggestion_notes (suggestion_id, status, note, at, by_user) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(to.key())
            .bind(note)
            .bind(t)
            .bind(by)
            .execute(&mut **tx)
            .await?;
        let detail = format!("{} to {}", from.key(), to.key());
        record_about(
            &mut tx,
            Actor::Staff(user),
            AuditAction::SuggestionUpdated,
            Subject::Suggestion(id),
            &detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(done == 1)
}

/// Approved suggestions in an area, most supported first (for linking a
/// reply, or merging into): `(id, public_ref, title)`.
pub async fn approved_in(
    db: &Db,
    areas: &Option<Vec<String>>,
    limit: i64,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let Some((clause, list)) = area_clause(areas, 2) else {
        return Ok(vec![]);
    };
    let sql = format!(
        "SELECT id, public_ref, title FROM suggestions sg WHERE sg.state = 'approved' AND {clause}
         ORDER BY sg.supports DESC, sg.id DESC LIMIT $1"
    );
    let mut q = sqlx::query_as(&sql).bind(limit);
    for a in &list {
        q = q.bind(a);
    }
    Ok(q.fetch_all(db.pool()).await?)
}

/// The marks a phone would hold had it supported suggestion `id` or one
/// joined with it: `(subject, phone digest)`, made by `digest`.
pub async fn support_marks(
    db: &Db,
    id: i64,
    digest: impl Fn(&str) -> String,
) -> Result<Vec<(String, String)>, AppError> {
    let joined: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM suggestions WHERE merged_into = $1 ORDER BY id LIMIT 100")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    Ok(std::iter::once(id)
        .chain(joined.into_iter().map(|(j,)| j))
        .map(|i| {
            let subject = support_subject(i);
            let d = digest(&subject);
            (subject, d)
        })
        .collect())
}

/// Whether the phone holds any of `marks`.
pub async fn supported_any(db: &Db, marks: &[(String, String)]) -> Result<bool, AppError> {
    if marks.is_empty() {
        return Ok(false);
    }
    let clause: Vec<String> = (0..marks.len())
        .map(|i| format!("(subject = ${} AND phone = ${})", 2 * i + 1, 2 * i + 2))
        .collect();
    let sql = format!(
        "SELECT COUNT(*) FROM phone_marks WHERE {}",
        clause.join(" OR ")
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql);
    for (subject, phone) in marks {
        q = q.bind(subject).bind(phone);
    }
    Ok(q.fetch_one(db.pool()).await?.0 > 0)
}

/// What a phone's support mark is about.
pub fn support_subject(id: i64) -> String {
    format!("support:{id}")
}

/// The private link's code for a suggestion sent with form key `key`: the
/// same key gives the same code, so a retry shows the same link. The key is
/// random and was only ever on the young person's phone.
pub fn code_for(state: &crate::state::AppState, key: &str) -> String {
    state.settings.secret.digest(&["suggestion link code", key])
}

/// What is stored of a form's key: never the key, from which the link's
/// code could be made again.
pub fn key_digest(state: &crate::state::AppState, key: &str) -> String {
    state.settings.secret.digest(&["suggestion form key", key])
}

/// What is stored of what was sent, to tell a retry from another form.
pub fn content_digest(state: &crate::state::AppState, s: &NewSuggestion) -> String {
    state.settings.secret.digest(&[
        "suggestion content",
        &s.title,
        &s.description,
        s.category.map(Category::key).unwrap_or(""),
        &s.area_code,
        s.outcome.map(Outcome::key).unwrap_or(""),
    ])
}

/// What is stored of a private link's code.
pub fn code_digest(state: &crate::state::AppState, code: &str) -> String {
    state.settings.secret.digest(&["suggestion link", code])
}
