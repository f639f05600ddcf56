//! Frameworks, assessments, claims and evidence in the database. Callers
//! check who may do what ([`crate::accounts::StandardsAccess`]) first; these
//! functions only read and write.

use super::framework::Framework;
use super::rules::{CheckedClaim, EvidenceKind};
use super::{AssessmentRow, ClaimRow, EvidenceItem, FrameworkRow, Head};
use crate::accounts::{Reach, StaffUser};
use crate::audit::store::{record_about, Actor, Subject};
use crate::audit::AuditAction;
use crate::db::{human_day, now, Db, Sql};
use crate::error::AppError;
use crate::paging::Page;

/// A stored or shipped framework that no longer parses: a bug, logged.
fn unsound(problems: Vec<String>) -> AppError {
    tracing::error!(?problems, "a stored framework does not parse");
    AppError::Unexpected
}

/// Adds the frameworks heard ships ([`super::defaults`]) that the database
/// does not hold yet, as version of their own. Run at every start: a new
/// version of a shipped file arrives with the release that brings it.
pub async fn ensure_shipped(db: &Db) -> Result<(), AppError> {
    for text in [super::defaults::SEVEN_S, super::defaults::LUNDY] {
        let f = Framework::parse(text).map_err(unsound)?;
        let mut tx = db.write().await?;
        sqlx::query(
            "INSERT INTO frameworks (key, version, name, body, imported_at, imported_by)
             VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (key, version) DO NOTHING",
        )
        .bind(&f.key)
        .bind(i64::from(f.version))
        .bind(&f.name)
        .bind(text)
        .bind(now())
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Stores a checked framework file. The same key and version again is
/// refused (assessments made against it keep its words): `Ok(Err(why))`.
pub async fn import(
    db: &Db,
    f: &Framework,
    text: &str,
    user: &StaffUser,
) -> Result<Result<i64, String>, AppError> {
    let mut tx = db.write().await?;
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO frameworks (key, version, name, body, imported_at, imported_by)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key, version) DO NOTHING RETURNING id",
    )
    .bind(&f.key)
    .bind(i64::from(f.version))
    .bind(&f.name)
    .bind(text)
    .bind(now())
    .bind(user.id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id,)) = id else {
        return Ok(Err(format!(
            "Version {} of \u{201c}{}\u{201d} is already in heard: give the file a higher version to load it as a new one.",
            f.version, f.key
        )));
    };
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::FrameworkImported,
        Subject::Framework(id),
        &format!("{} version {}", f.key, f.version),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Every framework version, the newest version of each first.
pub async fn frameworks(db: &Db) -> Result<Vec<FrameworkRow>, AppError> {
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT id, key, version, name FROM frameworks ORDER BY name, key, version DESC",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, key, version, name)| FrameworkRow {
            id,
            key,
            version,
            name,
        })
        .collect())
}

/// A framework as stored (it was checked when it came in).
pub async fn framework(db: &Db, id: i64) -> Result<Option<Framework>, AppError> {
    let body: Option<(String,)> = sqlx::query_as("SELECT body FROM frameworks WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    body.map(|(text,)| Framework::parse(&text).map_err(unsound))
        .transpose()
}

type AssessmentTuple = (
    i64,
    i64,
    String,
    Option<String>,
    String,
    String,
    i64,
    Option<i64>,
);

fn assessment_row(t: AssessmentTuple) -> AssessmentRow {
    let (id, organisation_id, organisation, _area, title, framework, started_at, based_on) = t;
    AssessmentRow {
        id,
        organisation_id,
        organisation,
        title,
        framework,
        started_on: human_day(started_at),
        based_on,
    }
}

const LIST_SELECT: &str =
    "SELECT a.id, a.organisation_id, o.name, o.area_code, a.title, f.name, a.started_on, a.based_on
     FROM assessments a JOIN organisations o ON o.id = a.organisation_id
     JOIN frameworks f ON f.id = a.framework_id";

/// The assessments someone may list, newest first, a page at a time.
pub async fn list(
    db: &Db,
    reach: &Reach,
    page: Page,
) -> Result<(Vec<AssessmentRow>, bool), AppError> {
    let mut sql = Sql::default();
    let Some(cond) = reach_condition(&mut sql, reach) else {
        return Ok((vec![], false));
    };
    let (limit, offset) = (sql.int(page.limit()), sql.int(page.offset()));
    let rows: Vec<AssessmentTuple> = sql
        .rows(
            db,
            &format!("{LIST_SELECT} WHERE {cond} ORDER BY a.started_on DESC, a.id DESC LIMIT {limit} OFFSET {offset}"),
        )
        .await?;
    let (rows, more) = page.split(rows);
    Ok((rows.into_iter().map(assessment_row).collect(), more))
}

/// An assessment's heading: whose, against what, when.
pub async fn head(db: &Db, id: i64) -> Result<Option<Head>, AppError> {
    type Row = (
        i64,
        i64,
        String,
        Option<String>,
        i64,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT a.id, a.organisation_id, o.name, o.area_code, a.framework_id, a.title,
                a.started_on, a.based_on, a.panel_survey_id, s.slug
         FROM assessments a JOIN organisations o ON o.id = a.organisation_id
         LEFT JOIN surveys s ON s.id = a.panel_survey_id
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(
        |(
            id,
            organisation_id,
            organisation,
            area_code,
            framework_id,
            title,
            started,
            based_on,
            panel,
            slug,
        )| Head {
            id,
            organisation_id,
            organisation,
            area_code,
            framework_id,
            title,
            started_on: human_day(started),
            based_on,
            panel_survey_id: panel,
            panel_slug: slug,
        },
    ))
}

/// Starts an assessment of `organisation_id` against `framework_id` (which
/// is `framework`). When the organisation has assessed itself against the
/// same framework before (any version), the new one starts from the latest:
/// its claims and evidence are copied (and stay linked to it, to compare),
/// those of indicators and levels this version still has.
pub async fn start(
    db: &Db,
    organisation_id: i64,
    framework_id: i64,
    framework: &Framework,
    title: &str,
    user: &StaffUser,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let last: Option<(i64,)> = sqlx::query_as(
        "SELECT a.id FROM assessments a
         JOIN frameworks f ON f.id = a.framework_id
         WHERE a.organisation_id = $1
           AND f.key = (SELECT key FROM frameworks WHERE id = $2)
         ORDER BY a.started_on DESC, a.id DESC LIMIT 1",
    )
    .bind(organisation_id)
    .bind(framework_id)
    .fetch_optional(&mut **tx)
    .await?;
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessments (organisation_id, framework_id, title, started_on, started_by, based_on, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $4) RETURNING id",
    )
    .bind(organisation_id)
    .bind(framework_id)
    .bind(title)
    .bind(at)
    .bind(user.id)
    .bind(last.map(|(id,)| id))
    .fetch_one(&mut **tx)
    .await?;
    if let Some((from,)) = last {
        let mut sql = Sql::default();
        let (to, from) = (sql.int(id), sql.int(from));
        let keys: Vec<String> = framework
            .indicators()
            .map(|(_, i)| sql.text(&i.key))
            .collect();
        let levels: Vec<String> = framework.levels.iter().map(|l| sql.text(&l.key)).collect();
        let (keys, levels) = (keys.join(", "), levels.join(", "));
        sql.execute(
            &mut tx,
            &format!(
                "INSERT INTO assessment_claims (assessment_id, indicator, level, account, updated_at, updated_by)
                 SELECT {to}, indicator, CASE WHEN level IN ({levels}) THEN level END, account, updated_at, updated_by
                 FROM assessment_claims WHERE assessment_id = {from} AND indicator IN ({keys})"
            ),
        )
        .await?;
        sql.execute(
            &mut tx,
            &format!(
                "INSERT INTO evidence (assessment_id, indicator, kind, title, note, url, document_id, ref_id, added_at, added_by)
                 SELECT {to}, indicator, kind, title, note, url, document_id, ref_id, added_at, added_by
                 FROM evidence WHERE assessment_id = {from} AND indicator IN ({keys}) ORDER BY id"
            ),
        )
        .await?;
    }
    record_about(
        &mut tx,
        Actor::Staff(user),
        AuditAction::AssessmentStarted,
        Subject::Assessment(id),
        title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Every claim of an assessment.
pub async fn claims(db: &Db, assessment_id: i64) -> Result<Vec<ClaimRow>, AppError> {
    let rows: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT indicator, level, account, updated_at FROM assessment_claims
         WHERE assessment_id = $1",
    )
    .bind(assessment_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(indicator, level, account, at)| ClaimRow {
            indicator,
            level,
            account,
            updated_on: human_day(at),
            updated_at: at,
        })
        .collect())
}

/// Saves a claim made from the claim as it was seen (`seen`: its
/// `updated_at`, `None` when there was none). If someone saved it since,
/// nothing is written and the answer is `false`, so neither loses their
/// words; saving the same again (a double tap) is `true`.
pub async fn save_claim(
    db: &Db,
    assessment_id: i64,
    indicator: &str,
    claim: &CheckedClaim,
    seen: Option<i64>,
    user: &StaffUser,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let at = now();
    let written = sqlx::query(
        "INSERT INTO assessment_claims (assessment_id, indicator, level, account, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (assessment_id, indicator)
         DO UPDATE SET level = excluded.level, account = excluded.account,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by
         WHERE assessment_claims.updated_at = $7",
    )
    .bind(assessment_id)
    .bind(indicator)
    .bind(&claim.level)
    .bind(&claim.account)
    .bind(at)
    .bind(user.id)
    .bind(seen.unwrap_or(-1))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if !written {
        let now_stored: Option<(Option<String>, String)> = sqlx::query_as(
            "SELECT level, account FROM assessment_claims WHERE assessment_id = $1 AND indicator = $2",
        )
        .bind(assessment_id)
        .bind(indicator)
        .fetch_optional(&mut **tx)
        .await?;
        tx.commit().await?;
        return Ok(now_stored == Some((claim.level.clone(), claim.account.clone())));
    }
    touch(&mut tx, assessment_id, at).await?;
    tx.commit().await?;
    Ok(true)
}

async fn touch(tx: &mut crate::db::WriteTx, assessment_id: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE assessments SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(assessment_id)
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

/// Evidence to add: what kind, and what it points at.
pub struct NewEvidence<'a> {
    pub indicator: &'a str,
    pub kind: EvidenceKind,
    pub title: &'a str,
    pub note: &'a str,
    pub url: Option<&'a str>,
    pub document_id: Option<i64>,
    pub ref_id: Option<i64>,
}

/// Adds an evidence item; its id.
pub async fn add_evidence(
    db: &Db,
    assessment_id: i64,
    e: &NewEvidence<'_>,
    user: &StaffUser,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let id = insert_evidence(&mut tx, assessment_id, e, user).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`add_evidence`] inside a transaction (a document's, with its record).
pub(super) async fn insert_evidence(
    tx: &mut crate::db::WriteTx,
    assessment_id: i64,
    e: &NewEvidence<'_>,
    user: &StaffUser,
) -> Result<i64, AppError> {
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO evidence (assessment_id, indicator, kind, title, note, url, document_id, ref_id, added_at, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(assessment_id)
    .bind(e.indicator)
    .bind(e.kind.key())
    .bind(e.title)
    .bind(e.note)
    .bind(e.url)
    .bind(e.document_id)
    .bind(e.ref_id)
    .bind(at)
    .bind(user.id)
    .fetch_one(&mut ***tx)
    .await?;
    touch(tx, assessment_id, at).await?;
    Ok(id)
}

/// Takes an evidence item off an assessment. A document no other evidence
/// points at any more (assessments started from this one keep theirs) is
/// deleted with it, its file too: a wrong upload can be taken back whole.
/// Whether there was one to take.
pub async fn remove_evidence(
    db: &Db,
    uploads: &std::path::Path,
    assessment_id: i64,
    id: i64,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let gone: Option<(Option<i64>,)> = sqlx::query_as(
        "DELETE FROM evidence WHERE id = $1 AND assessment_id = $2 RETURNING document_id",
    )
    .bind(id)
    .bind(assessment_id)
    .fetch_optional(&mut **tx)
    .await?;
    let mut file = None;
    if let Some((Some(document),)) = gone {
        let orphan: Option<(String,)> = sqlx::query_as(
            "DELETE FROM documents WHERE id = $1
               AND NOT EXISTS (SELECT 1 FROM evidence WHERE document_id = $1)
             RETURNING stored_as",
        )
        .bind(document)
        .fetch_optional(&mut **tx)
        .await?;
        file = orphan.and_then(|(stored_as,)| super::documents::path_of(uploads, &stored_as));
    }
    touch(&mut tx, assessment_id, now()).await?;
    tx.commit().await?;
    // After the commit: a file without its record is never served, and
    // deleting it first could lose one whose record stays.
    if let Some(path) = file {
        if let Err(e) = tokio::fs::remove_file(&path).await {
            tracing::warn!(error = %e, "a removed document's file could not be deleted");
        }
    }
    Ok(gone.is_some())
}

/// An assessment's evidence, oldest first, with what each points at: a
/// document's name and size, a survey's title and responses so far (read
/// now, so it keeps up).
pub async fn evidence(db: &Db, assessment_id: i64) -> Result<Vec<EvidenceItem>, AppError> {
    let mut ideas: Option<(i64, i64, i64)> = None;
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.id, e.indicator, e.kind, e.title, e.note, e.url, e.document_id, d.name, d.bytes,
                e.ref_id, s.title, e.added_at
         FROM evidence e
         LEFT JOIN documents d ON d.id = e.document_id
         LEFT JOIN surveys s ON s.id = e.ref_id AND e.kind = 'survey'
         WHERE e.assessment_id = $1 ORDER BY e.id",
    )
    .bind(assessment_id)
    .fetch_all(db.pool())
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for (
        id,
        indicator,
        kind,
        title,
        note,
        url,
        document_id,
        doc_name,
        doc_bytes,
        ref_id,
        survey,
        at,
    ) in rows
    {
        let Some(kind) = EvidenceKind::parse(&kind) else {
            continue;
        };
        let responses = match (kind, ref_id) {
            (EvidenceKind::Survey, Some(survey_id)) => {
                Some(crate::tallies::store::survey_totals(db, survey_id).await?.0)
            }
            _ => None,
        };
        let idea_counts = match kind {
            EvidenceKind::Ideas => {
                if ideas.is_none() {
                    ideas = Some(ideas_for(db, assessment_id).await?);
                }
                ideas
            }
            _ => None,
        };
        items.push(EvidenceItem {
            ideas: idea_counts,
            id,
            indicator,
            kind,
            title,
            note,
            url,
            document: document_id
                .map(|d| (d, doc_name.unwrap_or_default(), doc_bytes.unwrap_or(0))),
            survey: ref_id.zip(survey),
            responses,
            added_on: human_day(at),
        });
    }
    Ok(items)
}

/// Ideas young people sent for the area of an assessment's organisation:
/// `(sent, approved, happening)` (none without an area).
async fn ideas_for(db: &Db, assessment_id: i64) -> Result<(i64, i64, i64), AppError> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN g.state = 'approved' THEN 1 ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN g.state = 'approved' AND g.status = 'happening' THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM suggestions g
         JOIN organisations o ON o.area_code = g.area_code
         JOIN assessments a ON a.organisation_id = o.id
         WHERE a.id = $1",
    )
    .bind(assessment_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.unwrap_or((0, 0, 0)))
}

/// The consultations of an organisation that could be evidence: its
/// surveys (those run live among them) and its services' ratings, `(id,
/// title)`, newest first (at most 200).
pub async fn surveys_of(db: &Db, organisation_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, title FROM surveys WHERE organisation_id = $1
         ORDER BY updated_at DESC, id DESC LIMIT 200",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?)
}

/// The organisations someone may start an assessment for: `(id, name)`.
pub async fn organisations_for(db: &Db, user: &StaffUser) -> Result<Vec<(i64, String)>, AppError> {
    use crate::accounts::Role;
    Ok(match (user.role, user.organisation_id) {
        (Role::Admin, _) => {
            sqlx::query_as("SELECT id, name FROM organisations ORDER BY name LIMIT 500")
                .fetch_all(db.pool())
                .await?
        }
        (Role::OrgAdmin, Some(org)) => {
            sqlx::query_as("SELECT id, name FROM organisations WHERE id = $1")
                .bind(org)
                .fetch_all(db.pool())
                .await?
        }
        _ => vec![],
    })
}

/// An organisation's area, to decide what someone may do with its
/// standards: `None` when there is no such organisation.
pub async fn organisation_area(
    db: &Db,
    organisation_id: i64,
) -> Result<Option<Option<String>>, AppError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT area_code FROM organisations WHERE id = $1")
            .bind(organisation_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(a,)| a))
}

/// The most indicators young people are asked about at once: a short,
/// friendly survey, not the whole framework.
pub const PANEL_QUESTIONS: usize = 12;

/// Makes the survey young people answer about an assessment: one faces
/// question per indicator with a level claimed (at most
/// [`PANEL_QUESTIONS`], in the framework's order), in the framework's words
/// for young people, open at once and anonymous like every survey. Asking
/// twice gives the same survey. `Ok(Err(why))` when there is nothing to ask.
pub async fn open_panel(
    db: &Db,
    head: &Head,
    framework: &Framework,
    claims: &[ClaimRow],
    user: &StaffUser,
) -> Result<Result<i64, String>, AppError> {
    use crate::surveys::model::{Question, QuestionKind, QuestionSettings, ScaleStyle};
    let asked: Vec<(&str, &str)> = framework
        .indicators()
        .filter(|(_, i)| {
            claims
                .iter()
                .any(|c| c.indicator == i.key && c.level.is_some())
        })
        .take(PANEL_QUESTIONS)
        .map(|(_, i)| (i.key.as_str(), i.young_people.as_str()))
        .collect();
    if asked.is_empty() {
        return Ok(Err(
            "Claim a level for at least one indicator first: young people are asked whether they agree with what you claim.".into(),
        ));
    }
    let mut tx = db.write().await?;
    // Locks the assessment's row (PostgreSQL) and finds a survey made already.
    let (existing,): (Option<i64>,) = sqlx::query_as(
        "UPDATE assessments SET updated_at = $1 WHERE id = $2 RETURNING panel_survey_id",
    )
    .bind(now())
    .bind(head.id)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(survey) = existing {
        tx.commit().await?;
        return Ok(Ok(survey));
    }
    let title = format!("Do you agree? {}", head.organisation);
    let intro = format!(
        "{} is checking how well it listens to young people. Here is what they say they do: tell them if you agree. You don't give your name.",
        head.organisation
    );
    let survey = crate::surveys::building::store::insert_survey(
        &mut tx,
        &crate::surveys::building::store::NewSurvey {
            organisation_id: head.organisation_id,
            title: &title,
            intro: &intro,
            age_bands: &crate::about_you::AgeBand::ALL,
            tags: &[],
            status: crate::surveys::model::SurveyStatus::Open,
            ask_about_you: true,
            created_by: Some(user.id),
        },
    )
    .await?;
    for (i, (key, words)) in asked.iter().enumerate() {
        let q = Question {
            id: 0,
            kind: QuestionKind::Scale,
            prompt: words.to_string(),
            help: String::new(),
            required: false,
            outcome: None,
            settings: QuestionSettings {
                scale_style: ScaleStyle::Agree,
                ..QuestionSettings::default()
            },
        };
        let question =
            crate::surveys::building::store::insert_question(&mut tx, survey, i as i64 + 1, &q)
                .await?;
        sqlx::query(
            "INSERT INTO panel_questions (assessment_id, indicator, question_id) VALUES ($1, $2, $3)",
        )
        .bind(head.id)
        .bind(key)
        .bind(question)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE assessments SET panel_survey_id = $1 WHERE id = $2")
        .bind(survey)
        .bind(head.id)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    db.note_change(crate::db::Changed::Surveys);
    Ok(Ok(survey))
}

/// What young people said of each indicator they were asked about:
/// `(indicator, agree, answered)` (agree: the happiest two faces).
pub async fn panel_agreement(
    db: &Db,
    assessment_id: i64,
    survey_id: i64,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    let asked: Vec<(String, i64)> = sqlx::query_as(
        "SELECT indicator, question_id FROM panel_questions WHERE assessment_id = $1",
    )
    .bind(assessment_id)
    .fetch_all(db.pool())
    .await?;
    let counts = crate::tallies::store::answer_counts(db, survey_id).await?;
    Ok(asked
        .into_iter()
        .map(|(indicator, question)| {
            let (mut agree, mut answered) = (0, 0);
            for (_, _, value, n) in counts.iter().filter(|c| c.0 == question) {
                answered += n;
                if crate::tallies::is_positive("scale", value) {
                    agree += n;
                }
            }
            (indicator, agree, answered)
        })
        .collect())
}

/// An action in the plan, as read.
pub type ActionTuple = (i64, Option<String>, String, String, i64, String, String);

/// An assessment's actions, soonest due first.
pub async fn actions(db: &Db, assessment_id: i64) -> Result<Vec<ActionTuple>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, indicator, what, who, due_on, status, reason FROM standard_actions
         WHERE assessment_id = $1 ORDER BY due_on, id LIMIT 500",
    )
    .bind(assessment_id)
    .fetch_all(db.pool())
    .await?)
}

/// Adds an action (for `indicator`, or the assessment as a whole).
pub async fn add_action(
    db: &Db,
    assessment_id: i64,
    indicator: Option<&str>,
    a: &super::plan::CheckedAction,
    user: &StaffUser,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO standard_actions (assessment_id, indicator, what, who, due_on, status, reason, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(assessment_id)
    .bind(indicator)
    .bind(&a.what)
    .bind(&a.who)
    .bind(a.due)
    .bind(a.status.key())
    .bind(&a.reason)
    .bind(at)
    .bind(user.id)
    .fetch_one(&mut **tx)
    .await?;
    touch(&mut tx, assessment_id, at).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an action (the last save wins). Whether it was this assessment's.
pub async fn update_action(
    db: &Db,
    assessment_id: i64,
    id: i64,
    a: &super::plan::CheckedAction,
    user: &StaffUser,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let at = now();
    let changed = sqlx::query(
        "UPDATE standard_actions SET what = $1, who = $2, due_on = $3, status = $4, reason = $5,
                updated_at = $6, updated_by = $7
         WHERE id = $8 AND assessment_id = $9",
    )
    .bind(&a.what)
    .bind(&a.who)
    .bind(a.due)
    .bind(a.status.key())
    .bind(&a.reason)
    .bind(at)
    .bind(user.id)
    .bind(id)
    .bind(assessment_id)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    touch(&mut tx, assessment_id, at).await?;
    tx.commit().await?;
    Ok(changed)
}

/// A story of change, as read: `(id, said, changed, changed_on, public,
/// indicator, survey id, survey title, the action it came from)`.
pub type StoryTuple = (
    i64,
    String,
    String,
    i64,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// An organisation's stories of change, newest first (at most 200).
pub async fn stories(db: &Db, organisation_id: i64) -> Result<Vec<StoryTuple>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.said, c.changed, c.changed_on, c.public, c.indicator, c.survey_id, s.title, sa.what
         FROM change_stories c LEFT JOIN surveys s ON s.id = c.survey_id
         LEFT JOIN standard_actions sa ON sa.id = c.action_id
         WHERE c.organisation_id = $1 ORDER BY c.changed_on DESC, c.id DESC LIMIT 200",
    )
    .bind(organisation_id)
    .fetch_all(db.pool())
    .await?)
}

/// What a new story is linked to.
pub struct StoryLinks<'a> {
    pub assessment_id: Option<i64>,
    pub indicator: Option<&'a str>,
    pub action_id: Option<i64>,
    pub survey_id: Option<i64>,
}

pub async fn add_story(
    db: &Db,
    organisation_id: i64,
    links: &StoryLinks<'_>,
    s: &super::plan::CheckedStory,
    public: bool,
    user: &StaffUser,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO change_stories (organisation_id, assessment_id, indicator, action_id, survey_id,
                                     said, changed, changed_on, public, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(organisation_id)
    .bind(links.assessment_id)
    .bind(links.indicator)
    .bind(links.action_id)
    .bind(links.survey_id)
    .bind(&s.said)
    .bind(&s.changed)
    .bind(s.changed_on)
    .bind(i64::from(public))
    .bind(now())
    .bind(user.id)
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Publishes a story on the "you said, we did" page, or takes it down.
/// Whether it was the organisation's.
pub async fn set_story_public(
    db: &Db,
    organisation_id: i64,
    id: i64,
    public: bool,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let changed =
        sqlx::query("UPDATE change_stories SET public = $1 WHERE id = $2 AND organisation_id = $3")
            .bind(i64::from(public))
            .bind(id)
            .bind(organisation_id)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1;
    tx.commit().await?;
    Ok(changed)
}

/// Public stories of change, newest first (at most `limit`), of one
/// organisation, of the organisations of one area, or of everyone:
/// `(organisation, said, changed, changed_on)`.
pub async fn public_stories(
    db: &Db,
    organisation: Option<i64>,
    area: Option<&str>,
    limit: i64,
) -> Result<Vec<(String, String, String, i64)>, AppError> {
    const SELECT: &str = "SELECT o.name, c.said, c.changed, c.changed_on
         FROM change_stories c JOIN organisations o ON o.id = c.organisation_id
         WHERE c.public = 1";
    const ORDER: &str = "ORDER BY c.changed_on DESC, c.id DESC LIMIT $1";
    let sql = match (organisation, area) {
        (Some(_), _) => format!("{SELECT} AND c.organisation_id = $2 {ORDER}"),
        (None, Some(_)) => format!("{SELECT} AND o.area_code = $2 {ORDER}"),
        (None, None) => format!("{SELECT} {ORDER}"),
    };
    let q = sqlx::query_as(&sql).bind(limit);
    let q = match (organisation, area) {
        (Some(o), _) => q.bind(o),
        (None, Some(a)) => q.bind(a),
        (None, None) => q,
    };
    Ok(q.fetch_all(db.pool()).await?)
}

/// Organisations someone oversees, as a condition on `o` (organisations)
/// whose values `sql` binds: `None` when they oversee none.
fn reach_condition(sql: &mut Sql, reach: &Reach) -> Option<String> {
    match reach {
        Reach::Nowhere => None,
        Reach::Everywhere => Some("1 = 1".into()),
        Reach::Organisation(o) => Some(format!("o.id = {}", sql.int(*o))),
        Reach::Areas(areas) if areas.is_empty() => None,
        Reach::Areas(areas) => {
            let list: Vec<String> = areas.iter().map(|a| sql.text(a)).collect();
            Some(format!("o.area_code IN ({})", list.join(", ")))
        }
    }
}

/// An organisation in an overview: `(organisation id, name, latest
/// assessment id, its title, its framework id, started)`.
pub type OverviewRow = (
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// The organisations someone oversees, by name, a page at a time, each
/// with its latest assessment (if it has one).
pub async fn overview_page(
    db: &Db,
    reach: &Reach,
    page: Page,
) -> Result<(Vec<OverviewRow>, bool), AppError> {
    let mut sql = Sql::default();
    let Some(cond) = reach_condition(&mut sql, reach) else {
        return Ok((vec![], false));
    };
    let (limit, offset) = (sql.int(page.limit()), sql.int(page.offset()));
    let rows: Vec<OverviewRow> = sql
        .rows(
            db,
            &format!(
                "SELECT o.id, o.name, a.id, a.title, a.framework_id, a.started_on
                 FROM organisations o
                 LEFT JOIN assessments a ON a.id = (SELECT MAX(id) FROM assessments WHERE organisation_id = o.id)
                 WHERE {cond} ORDER BY o.name, o.id LIMIT {limit} OFFSET {offset}"
            ),
        )
        .await?;
    Ok(page.split(rows))
}

/// Claims of several assessments: `(assessment, indicator, level)`.
pub async fn claims_of(
    db: &Db,
    ids: &[i64],
) -> Result<Vec<(i64, String, Option<String>)>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query_as(&format!(
        "SELECT assessment_id, indicator, level FROM assessment_claims WHERE assessment_id IN ({})",
        crate::db::id_list(ids)
    ))
    .fetch_all(db.pool())
    .await?)
}

/// Evidence counted per indicator of several assessments.
pub async fn evidence_counts(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String, i64)>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query_as(&format!(
        "SELECT assessment_id, indicator, COUNT(*) FROM evidence WHERE assessment_id IN ({})
         GROUP BY assessment_id, indicator",
        crate::db::id_list(ids)
    ))
    .fetch_all(db.pool())
    .await?)
}

/// Actions still to do whose day has passed, per assessment.
pub async fn overdue_counts(db: &Db, ids: &[i64], today: i64) -> Result<Vec<(i64, i64)>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(sqlx::query_as(&format!(
        "SELECT assessment_id, COUNT(*) FROM standard_actions
         WHERE assessment_id IN ({}) AND status IN ('not_started', 'under_way') AND due_on < $1
         GROUP BY assessment_id",
        crate::db::id_list(ids)
    ))
    .bind(today)
    .fetch_all(db.pool())
    .await?)
}

/// Across the latest assessment of every organisation someone oversees:
/// how many have one per framework, and the indicators claimed at each
/// level: `(framework id, organisations)` and `(framework id, indicator,
/// level, organisations)`. Grouped in the database: a few hundred rows
/// however many organisations.
pub async fn levels_across(
    db: &Db,
    reach: &Reach,
) -> Result<(Vec<(i64, i64)>, Vec<(i64, String, String, i64)>), AppError> {
    let mut sql = Sql::default();
    let Some(cond) = reach_condition(&mut sql, reach) else {
        return Ok((vec![], vec![]));
    };
    let latest = format!(
        "SELECT MAX(a.id) AS id FROM assessments a JOIN organisations o ON o.id = a.organisation_id
         WHERE {cond} GROUP BY a.organisation_id"
    );
    let assessed: Vec<(i64, i64)> = sql
        .rows(
            db,
            &format!(
                "SELECT a.framework_id, COUNT(*) FROM assessments a WHERE a.id IN ({latest}) GROUP BY a.framework_id"
            ),
        )
        .await?;
    let levels: Vec<(i64, String, String, i64)> = sql
        .rows(
            db,
            &format!(
                "SELECT a.framework_id, c.indicator, c.level, COUNT(*)
                 FROM assessments a JOIN assessment_claims c ON c.assessment_id = a.id
                 WHERE a.id IN ({latest}) AND c.level IS NOT NULL
                 GROUP BY a.framework_id, c.indicator, c.level"
            ),
        )
        .await?;
    Ok((assessed, levels))
}

/// Published stories of change of the organisations someone oversees,
/// newest first: `(organisation, said, changed, changed_on)`.
pub async fn public_stories_in(
    db: &Db,
    reach: &Reach,
    limit: i64,
) -> Result<Vec<(String, String, String, i64)>, AppError> {
    let mut sql = Sql::default();
    let Some(cond) = reach_condition(&mut sql, reach) else {
        return Ok(vec![]);
    };
    let limit = sql.int(limit);
    sql.rows(
        db,
        &format!(
            "SELECT o.name, c.said, c.changed, c.changed_on
             FROM change_stories c JOIN organisations o ON o.id = c.organisation_id
             WHERE c.public = 1 AND {cond} ORDER BY c.changed_on DESC, c.id DESC LIMIT {limit}"
        ),
    )
    .await
}
