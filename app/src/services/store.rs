//! Services and their ratings in the database. Portable SQL only: the same
//! statements run on SQLite and PostgreSQL.

use super::rating::{StatementTally, BETTER, STATEMENTS};
use super::search::{fold, score, search_text};
use super::{Kind, ServiceCard, ServiceFields};
use crate::about_you::AgeBand;
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{now, Changed, Db, WriteTx};
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::paging::Page;
use crate::surveys::model::{Question, QuestionKind, QuestionSettings};

/// What a phone's mark for rating service `id` is about.
pub fn rating_subject(service_id: i64) -> String {
    format!("rating:{service_id}")
}

fn words_of(f: &ServiceFields) -> String {
    let kind = f.kind.unwrap_or(Kind::Other);
    let mut extra = vec![kind.label()];
    extra.extend_from_slice(kind.words());
    search_text(&f.name, &extra)
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds what staff write about a service, in the order both the insert and
/// the update name them: name, search text, folded name, kind, area,
/// outcomes, description, contact, website.
fn bind_fields<'q>(q: AnyQuery<'q>, f: &'q ServiceFields) -> AnyQuery<'q> {
    q.bind(&f.name)
        .bind(words_of(f))
        .bind(fold(&f.name))
        .bind(f.kind.unwrap_or(Kind::Other).key())
        .bind(&f.area_code)
        .bind(Outcome::join(&f.outcomes))
        .bind(&f.description)
        .bind(&f.contact)
        .bind(&f.website)
}

fn survey_title(name: &str) -> String {
    format!("Ratings: {name}")
}

/// The organisation's service already called (near enough) `name`, if any.
async fn same_name(
    tx: &mut WriteTx,
    organisation_id: i64,
    name: &str,
    except: Option<i64>,
) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM services WHERE organisation_id = $1 AND folded_name = $2 AND id <> $3",
    )
    .bind(organisation_id)
    .bind(fold(name))
    .bind(except.unwrap_or(0))
    .fetch_optional(&mut ***tx)
    .await?;
    Ok(row.is_some())
}

/// Whether the organisation already has a service called (near enough) `name`.
pub async fn name_in_use(db: &Db, organisation_id: i64, name: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM services WHERE organisation_id = $1 AND folded_name = $2")
            .bind(organisation_id)
            .bind(fold(name))
            .fetch_optional(db.pool())
            .await?;
    Ok(row.is_some())
}

/// The message when an organisation already has a service of that name.
pub fn name_taken(name: &str) -> String {
    format!("This organisation already has a service called \u{201c}{name}\u{201d}.")
}

/// Adds a service and the survey that holds its ratings, inside `tx`.
/// Returns its id and slug; `Invalid` if the organisation has one of that name.
pub async fn create_in(
    tx: &mut WriteTx,
    organisation_id: i64,
    f: &ServiceFields,
    by: Option<i64>,
) -> Result<(i64, String), AppError> {
    if same_name(tx, organisation_id, &f.name, None).await? {
        return Err(AppError::invalid(name_taken(&f.name)));
    }
    let t = now();
    let survey_id = crate::surveys::building::store::insert_survey(
        &mut tx.tx,
        &crate::surveys::building::store::NewSurvey {
            organisation_id,
            title: &survey_title(&f.name),
            intro: "",
            age_bands: &AgeBand::ALL,
            tags: &f.outcomes,
            status: crate::surveys::model::SurveyStatus::Open,
            ask_about_you: true,
            created_by: by,
        },
    )
    .await?;
    let scale = |prompt: &str| Question {
        id: 0,
        kind: QuestionKind::Scale,
        prompt: prompt.to_string(),
        help: String::new(),
        required: true,
        outcome: None,
        settings: QuestionSettings::default(),
    };
    let mut questions: Vec<Question> = STATEMENTS.iter().map(|s| scale(s)).collect();
    questions.push(Question {
        kind: QuestionKind::LongText,
        required: false,
        help: "Optional. Please don't write your name or anyone else's.".into(),
        ..scale(BETTER)
    });
    for (i, q) in questions.iter().enumerate() {
        crate::surveys::building::store::insert_question(tx, survey_id, i as i64 + 1, q).await?;
    }
    let slug = crate::surveys::building::store::new_slug();
    let row = bind_fields(
        sqlx::query(
            "INSERT INTO services (organisation_id, slug, name, search_text, folded_name, kind, area_code,
                                   outcomes, description, contact, website, survey_id, active, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id",
        )
        .bind(organisation_id)
        .bind(&slug),
        f,
    )
    .bind(survey_id)
    .bind(t)
    .fetch_one(&mut ***tx)
    .await?;
    let id: i64 = sqlx::Row::try_get(&row, 0)?;
    sqlx::query("UPDATE surveys SET service_id = $1 WHERE id = $2")
        .bind(id)
        .bind(survey_id)
        .execute(&mut ***tx)
        .await?;
    Ok((id, slug))
}

/// Adds one service. Returns its id.
pub async fn create(
    db: &Db,
    organisation_id: i64,
    f: &ServiceFields,
    actor: Actor<'_>,
) -> Result<i64, AppError> {
    let by = match actor {
        Actor::Staff(u) => Some(u.id),
        _ => None,
    };
    let mut tx = db.write().await?;
    let (id, _) = create_in(&mut tx, organisation_id, f, by).await?;
    let detail = format!("{} (organisation {organisation_id})", f.name);
    record_about(
        &mut tx,
        actor,
        AuditAction::ServiceAdded,
        Subject::Service(id),
        &detail,
    )
    .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    db.note_change(Changed::Services);
    Ok(id)
}

/// Adds every row or none: `Err((row number, message))` names the first
/// row the database refused (a name already taken).
pub async fn import(
    db: &Db,
    rows: &[(usize, i64, ServiceFields)],
    user: &crate::accounts::StaffUser,
) -> Result<Result<usize, (usize, String)>, AppError> {
    let mut tx = db.write().await?;
    let mut first = None;
    for (line, organisation_id, f) in rows {
        match create_in(&mut tx, *organisation_id, f, Some(user.id)).await {
            Ok((id, _)) => first = first.or(Some(id)),
            Err(AppError::Invalid(m)) => return Ok(Err((*line, m))),
            Err(e) => return Err(e),
        }
    }
    if let Some(first) = first {
        let detail = format!("{} services from a file, this the first", rows.len());
        record_about(
            &mut tx,
            Actor::Staff(user),
            AuditAction::ServicesImported,
            Subject::Service(first),
            &detail,
        )
        .await?;
    }
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    db.note_change(Changed::Services);
    Ok(Ok(rows.len()))
}

/// Saves new details; the ratings survey's title and tags follow.
pub async fn update(
    db: &Db,
    id: i64,
    f: &ServiceFields,
    user: &crate::accounts::StaffUser,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    let Some((organisation_id, survey_id)) = sqlx::query_as::<_, (i64, i64)>(
        "SELECT organisation_id, survey_id FROM services WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Err(AppError::NotFound);
    };
    if same_name(&mut tx, organisation_id, &f.name, Some(id)).await? {
        return Err(AppError::invalid(name_taken(&f.name)));
    }
    let t = now();
    bind_fields(
        sqlx::query(
            "UPDATE services SET name = $1, search_text = $2, folded_name = $3, kind = $4, area_code = $5,
                    outcomes = $6, description = $7, contact = $8, website = $9, updated_at = $10
             WHERE id = $11",
        ),
        f,
    )
    .bind(t)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE surveys SET title = $1, tags = $2, updated_at = $3 WHERE id = $4")
        .bind(survey_title(&f.name))
        .bind(Outcome::join(&f.outcomes))
        .bind(t)
        .bind(survey_id)
        .execute(&mut **tx)
        .await?;
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::ServiceChanged,
        Subject::Service(id),
        "details saved",
    )
    .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    db.note_change(Changed::Services);
    Ok(())
}

/// Lists the service, or takes it off the directory (its ratings stay; it
/// takes no new ones).
pub async fn set_active(db: &Db, id: i64, active: bool, actor: Actor<'_>) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query("UPDATE services SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE surveys SET status = $1, updated_at = $2 WHERE id = (SELECT survey_id FROM services WHERE id = $3)",
    )
    .bind(if active { "open" } else { "closed" })
    .bind(now())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let detail = if active {
        "listed again"
    } else {
        "taken off the directory"
    };
    record_about(
        &mut tx,
        actor,
        AuditAction::ServiceChanged,
        Subject::Service(id),
        detail,
    )
    .await?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    db.note_change(Changed::Services);
    Ok(())
}

/// A service as its organisation's staff see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredService {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub area_code: String,
    pub area: String,
    pub outcomes: String,
    pub description: String,
    pub contact: String,
    pub website: Option<String>,
    pub survey_id: i64,
    pub rating_slug: String,
    pub active: i64,
}

impl StoredService {
    pub fn fields(&self) -> ServiceFields {
        ServiceFields {
            name: self.name.clone(),
            kind: Kind::parse(&self.kind),
            area_code: self.area_code.clone(),
            outcomes: Outcome::parse_list(&self.outcomes),
            description: self.description.clone(),
            contact: self.contact.clone(),
            website: self.website.clone(),
        }
    }
}

const STORED: &str =
    "SELECT sv.id, sv.organisation_id, o.name AS organisation, sv.slug, sv.name, sv.kind,
        sv.area_code, a.name AS area, sv.outcomes, sv.description, sv.contact, sv.website,
        sv.survey_id, s.slug AS rating_slug, sv.active
     FROM services sv
     JOIN organisations o ON o.id = sv.organisation_id
     JOIN areas a ON a.code = sv.area_code
     JOIN surveys s ON s.id = sv.survey_id";

pub async fn by_id(db: &Db, id: i64) -> Result<Option<StoredService>, AppError> {
    Ok(sqlx::query_as(&format!("{STORED} WHERE sv.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<StoredService>, AppError> {
    Ok(sqlx::query_as(&format!("{STORED} WHERE sv.slug = $1"))
        .bind(slug)
        .fetch_optional(db.pool())
        .await?)
}

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    area: String,
    organisation: String,
    active: i64,
}

impl From<CardRow> for ServiceCard {
    fn from(r: CardRow) -> ServiceCard {
        ServiceCard {
            id: r.id,
            slug: r.slug,
            name: r.name,
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Other),
            area: r.area,
            organisation: r.organisation,
            active: r.active != 0,
        }
    }
}

const CARDS: &str =
    "SELECT sv.id, sv.slug, sv.name, sv.kind, a.name AS area, o.name AS organisation, sv.active
     FROM services sv
     JOIN organisations o ON o.id = sv.organisation_id
     JOIN areas a ON a.code = sv.area_code";

/// One page of an organisation's services (all of them for `None`), by name.
pub async fn staff_list(
    db: &Db,
    organisation: Option<i64>,
    page: Page,
) -> Result<(Vec<ServiceCard>, bool), AppError> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        "{CARDS} WHERE ($1 = 0 OR sv.organisation_id = $1)
         ORDER BY sv.folded_name, sv.id LIMIT $2 OFFSET $3"
    ))
    .bind(organisation.unwrap_or(0))
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    let (rows, more) = page.split(rows);
    Ok((rows.into_iter().map(ServiceCard::from).collect(), more))
}

/// What young people filter the directory by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub area: Option<String>,
    pub kind: Option<Kind>,
    /// Folded query words ([`super::search::query_words`]); none lists by name.
    pub words: Vec<String>,
}

/// The most services a search weighs. Services are added by staff, never
/// by visitors, so this bounds work no visitor can grow.
const SEARCH_CANDIDATES: i64 = 50_000;

/// A listed service as search weighs it.
#[derive(Debug)]
pub struct IndexEntry {
    id: i64,
    area: String,
    kind: String,
    text: String,
    name: String,
}

/// The listed services' search text, kept in memory: read again after any
/// change to services on this server, and at least every 30 seconds (other
/// servers' changes). About 100 bytes a service: 1 MB at 10,000.
#[derive(Default)]
pub struct SearchIndex {
    entry: std::sync::Mutex<Option<Loaded>>,
    /// One load at a time: searches that find it stale wait for that one.
    loading: tokio::sync::Mutex<()>,
}

/// The index as loaded: the change count then, when, and the entries.
type Loaded = (u64, std::time::Instant, std::sync::Arc<Vec<IndexEntry>>);

async fn search_index(
    db: &Db,
    index: &SearchIndex,
) -> Result<std::sync::Arc<Vec<IndexEntry>>, AppError> {
    let generation = db.changes(Changed::Services);
    let fresh = |e: &Loaded| {
        e.0 == generation && e.1.elapsed() < crate::surveys::answering::cache::FRESH_FOR
    };
    let cached = || {
        index
            .entry
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|e| fresh(e))
            .map(|e| e.2.clone())
    };
    if let Some(hit) = cached() {
        return Ok(hit);
    }
    // Never waits long: a load that hangs tells the next search "busy".
    let _loading = tokio::time::timeout(std::time::Duration::from_secs(10), index.loading.lock())
        .await
        .map_err(|_| AppError::Busy)?;
    if let Some(hit) = cached() {
        return Ok(hit);
    }
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, area_code, kind, search_text, folded_name FROM services WHERE active = 1 ORDER BY id LIMIT $1",
    )
    .bind(SEARCH_CANDIDATES)
    .fetch_all(db.pool())
    .await?;
    let list = std::sync::Arc::new(
        rows.into_iter()
            .map(|(id, area, kind, text, name)| IndexEntry {
                id,
                area,
                kind,
                text,
                name,
            })
            .collect::<Vec<_>>(),
    );
    *index.entry.lock().unwrap_or_else(|e| e.into_inner()) =
        Some((generation, std::time::Instant::now(), list.clone()));
    Ok(list)
}

/// One page of listed services matching `filter`: by name, or best match
/// first when searching.
pub async fn directory(
    db: &Db,
    index: &SearchIndex,
    filter: &Filter,
    page: Page,
) -> Result<(Vec<ServiceCard>, bool), AppError> {
    const WHERE: &str =
        "sv.active = 1 AND ($1 = '' OR sv.area_code = $1) AND ($2 = '' OR sv.kind = $2)";
    let area = filter.area.clone().unwrap_or_default();
    let kind = filter.kind.map(Kind::key).unwrap_or_default();
    if filter.words.is_empty() {
        let rows: Vec<CardRow> = sqlx::query_as(&format!(
            "{CARDS} WHERE {WHERE} ORDER BY sv.folded_name, sv.id LIMIT $3 OFFSET $4"
        ))
        .bind(&area)
        .bind(kind)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(db.pool())
        .await?;
        let (rows, more) = page.split(rows);
        return Ok((rows.into_iter().map(ServiceCard::from).collect(), more));
    }
    let index = search_index(db, index).await?;
    let mut found: Vec<(u32, &str, i64)> = index
        .iter()
        .filter(|e| filter.area.as_deref().is_none_or(|a| a == e.area))
        .filter(|e| filter.kind.is_none_or(|k| k.key() == e.kind))
        .filter_map(|e| score(&filter.words, &e.text).map(|s| (s, e.name.as_str(), e.id)))
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
    let ids: Vec<i64> = found
        .iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .map(|f| f.2)
        .collect();
    let (ids, more) = page.split(ids);
    if ids.is_empty() {
        return Ok((vec![], false));
    }
    let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    // Listed now: the index may be a few seconds behind another server.
    let sql = format!(
        "{CARDS} WHERE sv.active = 1 AND sv.id IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query_as::<_, CardRow>(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    let mut rows = q.fetch_all(db.pool()).await?;
    // Back in the order of the match.
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    Ok((rows.into_iter().map(ServiceCard::from).collect(), more))
}

/// Areas with at least one listed service, by name: what the directory offers.
pub async fn areas_with_services(db: &Db) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.code, a.name FROM areas a
         WHERE EXISTS (SELECT 1 FROM services sv WHERE sv.area_code = a.code AND sv.active = 1)
         ORDER BY a.name",
    )
    .fetch_all(db.pool())
    .await?)
}

/// How many ratings the service has and how each statement was rated, from
/// the running tallies (`crate::tallies`).
pub async fn tallies(db: &Db, survey_id: i64) -> Result<(i64, Vec<StatementTally>), AppError> {
    let (ratings, _) = crate::tallies::store::survey_totals(db, survey_id).await?;
    let positions: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, position FROM questions WHERE survey_id = $1 AND kind = 'scale'",
    )
    .bind(survey_id)
    .fetch_all(db.pool())
    .await?;
    let mut tallies: Vec<StatementTally> = STATEMENTS
        .iter()
        .map(|s| StatementTally {
            statement: s.to_string(),
            counts: [0; 5],
        })
        .collect();
    for (question, _, value, count) in crate::tallies::store::answer_counts(db, survey_id).await? {
        let Some((_, position)) = positions.iter().find(|(id, _)| *id == question) else {
            continue;
        };
        let (Some(t), Ok(v)) = (
            usize::try_from(position - 1)
                .ok()
                .and_then(|i| tallies.get_mut(i)),
            value.parse::<usize>(),
        ) else {
            continue;
        };
        if (1..=5).contains(&v) {
            t.counts[v - 1] += count;
        }
    }
    Ok((ratings, tallies))
}

/// One page of a service's comments a moderator approved (redacted; never
/// one flagged as offensive or with the safeguarding lead), newest first:
/// `(text, day)`.
pub async fn approved_comments(
    db: &Db,
    survey_id: i64,
    page: Page,
) -> Result<(Vec<(String, i64)>, bool), AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.value, r.submitted_at FROM answers a
         JOIN questions q ON q.id = a.question_id
         JOIN responses r ON r.id = a.response_id
         WHERE q.survey_id = $1 AND a.state = 'approved' AND a.at_risk = 0 AND a.offensive = 0
           AND a.screened_on IS NOT NULL
         ORDER BY r.submitted_at DESC, a.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(survey_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db.pool())
    .await?;
    Ok(page.split(rows))
}

/// `(day, statement position, value, count)` and `(day, ratings)`, for trends
/// by month.
pub async fn by_day(
    db: &Db,
    survey_id: i64,
) -> Result<(Vec<(i64, i64, i64, i64)>, Vec<(i64, i64)>), AppError> {
    let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT r.submitted_at, q.position, a.value, COUNT(*) FROM answers a
         JOIN questions q ON q.id = a.question_id
         JOIN responses r ON r.id = a.response_id
         WHERE q.survey_id = $1 AND q.kind = 'scale'
         GROUP BY r.submitted_at, q.position, a.value",
    )
    .bind(survey_id)
    .fetch_all(db.pool())
    .await?;
    let days: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT submitted_at, COUNT(*) FROM responses WHERE survey_id = $1 GROUP BY submitted_at",
    )
    .bind(survey_id)
    .fetch_all(db.pool())
    .await?;
    let rows = rows
        .into_iter()
        .filter_map(|(d, p, v, c)| v.parse().ok().map(|v| (d, p, v, c)))
        .collect();
    Ok((rows, days))
}

/// One rating as staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRow {
    pub id: i64,
    pub day: i64,
    pub age_band: Option<String>,
    /// Per statement, 1 to 5.
    pub scores: [Option<i64>; 4],
    pub comment: Option<String>,
    /// Where the comment stands: waiting, approved, hidden; `at_risk` when
    /// it is with the safeguarding lead.
    pub state: Option<String>,
    pub at_risk: bool,
}

/// Ratings after `after` (a response id; 0 for the first), newest first
/// when `newest_first`, else oldest first, up to `limit`.
pub async fn ratings(
    db: &Db,
    survey_id: i64,
    after: i64,
    limit: i64,
    newest_first: bool,
) -> Result<Vec<RatingRow>, AppError> {
    let (cmp, order) = if newest_first {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let after = if newest_first && after == 0 {
        i64::MAX
    } else {
        after
    };
    let responses: Vec<(i64, i64, Option<String>)> = sqlx::query_as(&format!(
        "SELECT id, submitted_at, age_band FROM responses
         WHERE survey_id = $1 AND id {cmp} $2 ORDER BY id {order} LIMIT $3"
    ))
    .bind(survey_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    if responses.is_empty() {
        return Ok(vec![]);
    }
    let list: Vec<String> = (2..responses.len() + 2).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT a.response_id, q.position, a.value, a.state, a.at_risk FROM answers a
         JOIN questions q ON q.id = a.question_id
         WHERE q.survey_id = $1 AND a.response_id IN ({})",
        list.join(", ")
    );
    let mut q =
        sqlx::query_as::<_, (i64, i64, String, Option<String>, Option<i64>)>(&sql).bind(survey_id);
    for (id, ..) in &responses {
        q = q.bind(id);
    }
    let answers = q.fetch_all(db.pool()).await?;
    Ok(responses
        .into_iter()
        .map(|(id, day, age_band)| {
            let mut row = RatingRow {
                id,
                day,
                age_band,
                scores: [None; 4],
                comment: None,
                state: None,
                at_risk: false,
            };
            for (_, position, value, state, at_risk) in answers.iter().filter(|a| a.0 == id) {
                match usize::try_from(*position - 1) {
                    Ok(i) if i < 4 => row.scores[i] = value.parse().ok(),
                    _ => {
                        row.comment = Some(value.clone());
                        row.state = state.clone();
                        row.at_risk = at_risk.unwrap_or(0) != 0;
                    }
                }
            }
            row
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn rating_subjects_name_the_service() {
        assert_eq!(super::rating_subject(12), "rating:12");
    }
}
