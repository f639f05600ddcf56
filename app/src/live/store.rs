//! Live sessions in the database. Portable SQL only: the same statements run
//! on SQLite and PostgreSQL. A session's answers are ordinary responses and
//! answers (tagged with `live_session_id`), screened like any survey's.

use super::rules::{Control, LiveState, Refused};
use super::LiveText;
use crate::db::{now, Changed, Db};
use crate::error::AppError;
use crate::surveys::answering::rules::Submission;
use crate::surveys::answering::screening::Screening;
use crate::surveys::answering::store::{record_items, ScreeningColumns, TextPlace};
use crate::surveys::model::SurveyStatus;
use crate::surveys::store::OwnedSurvey;

/// Phones one session takes. A youth club, a school hall or a council
/// chamber is well under this; it stops a script from filling the table.
pub const MAX_PARTICIPANTS: i64 = 1_000;

/// Free-text answers the presenter sees for one question at once.
pub const TEXTS_SHOWN: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub organisation_id: i64,
    pub survey_id: i64,
    pub code: String,
    pub state: LiveState,
}

type SessionRow = (i64, i64, i64, String, Option<i64>, i64, i64, i64, i64, i64);

const SESSION_SQL: &str =
    "SELECT l.id, l.organisation_id, l.survey_id, l.code, l.ended_at, l.position,
            l.locked, l.show_results, l.version,
            (SELECT COUNT(*) FROM questions q WHERE q.survey_id = l.survey_id)
     FROM live_sessions l";

fn session_of(row: SessionRow) -> Session {
    let (
        id,
        organisation_id,
        survey_id,
        code,
        ended_at,
        position,
        locked,
        show,
        version,
        questions,
    ) = row;
    Session {
        id,
        organisation_id,
        survey_id,
        code,
        state: LiveState {
            position,
            questions,
            locked: locked != 0,
            show_results: show != 0,
            ended: ended_at.is_some(),
            version,
        },
    }
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Session>, AppError> {
    let row: Option<SessionRow> = sqlx::query_as(&format!("{SESSION_SQL} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(session_of))
}

/// The running session with `code` (an ended session's code is free again).
pub async fn running(db: &Db, code: &str) -> Result<Option<Session>, AppError> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "{SESSION_SQL} WHERE l.code = $1 AND l.ended_at IS NULL"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(session_of))
}

/// The latest session with `code`, running or ended (a phone that was in it
/// is told it ended).
pub async fn latest(db: &Db, code: &str) -> Result<Option<Session>, AppError> {
    let row: Option<SessionRow> = sqlx::query_as(&format!(
        "{SESSION_SQL} WHERE l.code = $1 ORDER BY l.id DESC LIMIT 1"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(session_of))
}

/// Where a session stands now.
pub async fn state(db: &Db, id: i64) -> Result<Option<LiveState>, AppError> {
    Ok(by_id(db, id).await?.map(|s| s.state))
}

/// Starts a session of `survey`. A draft with questions is opened (its
/// answers are real responses); a closed survey, or one with no questions,
/// cannot run. Returns the new session's id.
pub async fn start(db: &Db, survey: &OwnedSurvey, started_by: i64) -> Result<i64, AppError> {
    let form = &survey.form;
    if form.questions.is_empty() {
        return Err(AppError::Invalid(
            "Add a question first: a session shows one question at a time.".into(),
        ));
    }
    if form.status == SurveyStatus::Closed {
        return Err(AppError::Invalid(
            "This survey is closed. Duplicate it to run it again with a new group.".into(),
        ));
    }
    let mut tx = db.write().await?;
    if form.status == SurveyStatus::Draft {
        // Only if it is still the draft that was checked.
        let opened = sqlx::query("UPDATE surveys SET status = 'open', updated_at = $1 WHERE id = $2 AND status = 'draft'")
            .bind(now())
            .bind(form.id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if opened != 1 {
            return Err(AppError::Invalid(
                "This survey changed while you were looking at it. Please try again.".into(),
            ));
        }
    }
    // A code not in use by a running session (a clash is one in millions).
    let mut id = None;
    for _ in 0..5 {
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO live_sessions (organisation_id, survey_id, code, started_by, started_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(survey.organisation_id)
        .bind(form.id)
        .bind(super::code::generate())
        .bind(started_by)
        .bind(now())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some((new,)) = inserted {
            id = Some(new);
            break;
        }
    }
    let id = id.ok_or(AppError::Unexpected)?;
    tx.commit().await?;
    db.note_change(Changed::Surveys);
    Ok(id)
}

/// Applies a presenter's control to the session as it is now. Two presses at
/// once (a double tap, two tabs) apply one after the other, never both to the
/// same state.
pub async fn control(db: &Db, id: i64, control: Control) -> Result<LiveState, AppError> {
    let mut tx = db.write().await?;
    let row: Option<SessionRow> = sqlx::query_as(&format!("{SESSION_SQL} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let session = session_of(row.ok_or(AppError::NotFound)?);
    let next = session
        .state
        .after(control)
        .map_err(|e: Refused| AppError::Invalid(e.to_string()))?;
    let changed = sqlx::query(
        "UPDATE live_sessions SET position = $1, locked = $2, show_results = $3, version = $4,
                ended_at = CASE WHEN $5 = 1 THEN $6 ELSE ended_at END
         WHERE id = $7 AND version = $8",
    )
    .bind(next.position)
    .bind(i64::from(next.locked))
    .bind(i64::from(next.show_results))
    .bind(next.version)
    .bind(i64::from(next.ended))
    .bind(now())
    .bind(id)
    .bind(session.state.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        // PostgreSQL: another press committed between the read and the write.
        return Err(AppError::Invalid(
            "Someone else moved the session on at the same moment. Here is where it is now.".into(),
        ));
    }
    tx.commit().await?;
    Ok(next)
}

/// What joining did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    /// In the session already (a reload, the next question).
    Already,
    /// Counted in now: the presenter's count moves.
    New,
    /// The session has [`MAX_PARTICIPANTS`] phones.
    Full,
}

/// Counts a phone in, once however often it reloads.
pub async fn join(db: &Db, session: i64, key_digest: &str) -> Result<Joined, AppError> {
    let known: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM live_participants WHERE session_id = $1 AND key_digest = $2")
            .bind(session)
            .bind(key_digest)
            .fetch_optional(db.pool())
            .await?;
    if known.is_some() {
        return Ok(Joined::Already);
    }
    let mut tx = db.write().await?;
    let (joined,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM live_participants WHERE session_id = $1")
            .bind(session)
            .fetch_one(&mut **tx)
            .await?;
    if joined >= MAX_PARTICIPANTS {
        return Ok(Joined::Full);
    }
    let added = sqlx::query(
        "INSERT INTO live_participants (session_id, key_digest) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(session)
    .bind(key_digest)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(if added == 1 {
        Joined::New
    } else {
        Joined::Already
    })
}

/// Phones in the session, and how many answered the question `question_id`.
pub async fn counts(
    db: &Db,
    session: i64,
    question_id: Option<i64>,
) -> Result<(i64, i64), AppError> {
    let (joined,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM live_participants WHERE session_id = $1")
            .bind(session)
            .fetch_one(db.pool())
            .await?;
    let answered = match question_id {
        Some(q) => {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(DISTINCT a.response_id) FROM answers a
                 JOIN responses r ON r.id = a.response_id
                 WHERE r.live_session_id = $1 AND a.question_id = $2",
            )
            .bind(session)
            .bind(q)
            .fetch_one(db.pool())
            .await?;
            n
        }
        None => 0,
    };
    Ok((joined, answered))
}

/// Each `(position, value)` given to `question_id` in the session, counted.
pub async fn answer_counts(
    db: &Db,
    session: i64,
    question_id: i64,
) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.position, a.value, COUNT(*) FROM answers a
         JOIN responses r ON r.id = a.response_id
         WHERE r.live_session_id = $1 AND a.question_id = $2 AND a.state IS NULL
         GROUP BY a.position, a.value",
    )
    .bind(session)
    .bind(question_id)
    .fetch_all(db.pool())
    .await?)
}

/// The newest free-text answers to `question_id` in the session (never one
/// with the safeguarding lead), at most [`TEXTS_SHOWN`].
pub async fn texts(db: &Db, session: i64, question_id: i64) -> Result<Vec<LiveText>, AppError> {
    let rows: Vec<(String, String, Option<i64>, i64, String)> = sqlx::query_as(
        "SELECT a.public_ref, a.value, a.live_shown, a.offensive, a.state FROM answers a
         JOIN responses r ON r.id = a.response_id
         WHERE r.live_session_id = $1 AND a.question_id = $2
           AND a.public_ref IS NOT NULL AND a.at_risk = 0 AND a.state <> 'hidden' AND a.value <> ''
         ORDER BY a.id DESC LIMIT $3",
    )
    .bind(session)
    .bind(question_id)
    .bind(TEXTS_SHOWN)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(public_ref, text, shown, offensive, state)| LiveText {
            public_ref,
            text,
            shown: shown == Some(1),
            held: offensive != 0 && state != "approved",
        })
        .collect())
}

/// Puts a free-text answer of the session on the projector, or takes it off.
/// Only text that passed the checks: never one with the safeguarding lead,
/// hidden by a moderator, or held as offensive and not approved.
pub async fn show_text(
    db: &Db,
    session: i64,
    public_ref: &str,
    shown: bool,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    let changed = sqlx::query(
        "UPDATE answers SET live_shown = $1
         WHERE public_ref = $2 AND at_risk = 0 AND state <> 'hidden'
           AND (offensive = 0 OR state = 'approved' OR $1 = 0)
           AND response_id IN (SELECT id FROM responses WHERE live_session_id = $3)",
    )
    .bind(i64::from(shown))
    .bind(public_ref)
    .bind(session)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::Invalid(
            "That answer can't be shown: it may be waiting for a moderator or with the safeguarding lead.".into(),
        ));
    }
    tx.commit().await?;
    Ok(())
}

/// The phone's answer to `question_id`, as stored: `(position, value)` rows.
/// For free text, the newest words (changed words are kept beside those
/// that went to the lead).
pub async fn my_answer(
    db: &Db,
    session: &Session,
    key_digest: &str,
    question_id: i64,
    text: bool,
) -> Result<Vec<(i64, String)>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT a.position, a.value FROM answers a
         JOIN responses r ON r.id = a.response_id
         WHERE r.survey_id = $1 AND r.submission_key = $2 AND a.question_id = $3
         ORDER BY a.id DESC",
    )
    .bind(session.survey_id)
    .bind(response_key(session.id, key_digest))
    .bind(question_id)
    .fetch_all(db.pool())
    .await?;
    let mut mine = rows;
    if text {
        mine.truncate(1);
    }
    mine.sort();
    Ok(mine)
}

/// Whether anything this phone wrote in the session went to the
/// safeguarding lead: its pages lead with help from then on, to the end.
pub async fn phone_needs_help(
    db: &Db,
    session: &Session,
    key_digest: &str,
) -> Result<bool, AppError> {
    let (items,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM safeguarding_items i
         JOIN answers a ON a.id = i.answer_id
         JOIN responses r ON r.id = a.response_id
         WHERE r.survey_id = $1 AND r.submission_key = $2",
    )
    .bind(session.survey_id)
    .bind(response_key(session.id, key_digest))
    .fetch_one(db.pool())
    .await?;
    Ok(items > 0)
}

/// A phone's response in a session is keyed by the session and its digest.
fn response_key(session: i64, key_digest: &str) -> String {
    format!("live-{session}-{key_digest}")
}

/// One answer a phone has stored, oldest first, with how many safeguarding
/// items point at it.
#[derive(sqlx::FromRow)]
struct PhoneRow {
    question_id: i64,
    position: i64,
    value: String,
    at_risk: Option<i64>,
    items: i64,
}

/// What storing a live answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored (or changed); the safeguarding items it made.
    Saved(Vec<i64>),
    /// The same answer was stored already: a retry, a double tap.
    Unchanged,
    /// The question is no longer taking answers (moved on, locked, ended).
    NotTaking(LiveState),
}

/// Stores a phone's answer to the question on screen, in place of any answer
/// it gave before, checking in the same transaction that the question still
/// takes answers. `s` holds the one question's answer as stored (redacted),
/// `screening` what was found in it.
///
/// Words that went to the safeguarding lead are never replaced: a changed
/// answer is stored beside them, and held too. Once any words of a phone
/// match, every text answer of its response is held for the lead (and taken
/// off the projector), as on surveys, and so is everything it writes after.
pub async fn record_answer(
    db: &Db,
    session: &Session,
    key_digest: &str,
    s: &Submission,
    screening: &Screening,
) -> Result<Stored, AppError> {
    let rows = s.stored_rows();
    let Some(&(question_id, _, _)) = rows.first() else {
        return Err(AppError::Invalid("Choose or write an answer first.".into()));
    };
    let position = session.state.current().ok_or(AppError::NotFound)?;
    let key = response_key(session.id, key_digest);
    let day = now() / 86400 * 86400;
    let sent_at = now();
    let mut tx = db.write().await?;
    // Answers and the presenter's presses take turns on the session's row:
    // PostgreSQL locks it here until this commits (SQLite writes one at a
    // time anyway), so a lock or a move that committed first wins and this
    // answer is refused with the state, and one that comes later waits. Two
    // posts from the same phone at once take turns too.
    sqlx::query("UPDATE live_sessions SET version = version WHERE id = $1")
        .bind(session.id)
        .execute(&mut **tx)
        .await?;
    let row: Option<SessionRow> = sqlx::query_as(&format!("{SESSION_SQL} WHERE l.id = $1"))
        .bind(session.id)
        .fetch_optional(&mut **tx)
        .await?;
    let now_state = session_of(row.ok_or(AppError::NotFound)?).state;
    if !now_state.takes_answers_to(position) || now_state.position != session.state.position {
        return Ok(Stored::NotTaking(now_state));
    }
    crate::tallies::store::before_new_response(&mut tx.tx, db.backend()).await?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO responses (survey_id, submission_key, submitted_at, live_session_id)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (survey_id, submission_key) DO NOTHING RETURNING id",
    )
    .bind(session.survey_id)
    .bind(&key)
    .bind(day)
    .bind(session.id)
    .fetch_optional(&mut **tx)
    .await?;
    let response_id = match inserted {
        Some((id,)) => id,
        None => {
            let (id,): (i64,) = sqlx::query_as(
                "SELECT id FROM responses WHERE survey_id = $1 AND submission_key = $2",
            )
            .bind(session.survey_id)
            .bind(&key)
            .fetch_one(&mut **tx)
            .await?;
            id
        }
    };
    // Locked for the change: if the running tallies have this response
    // folded already, the change tallies itself below.
    let folded =
        crate::tallies::store::lock_response(&mut tx.tx, db.backend(), response_id).await?;
    // Everything this phone has stored, and which rows a safeguarding item
    // points at: those words stay as written whatever the phone does next.
    let before: Vec<PhoneRow> = sqlx::query_as(
        "SELECT a.question_id, a.position, a.value, a.at_risk,
                (SELECT COUNT(*) FROM safeguarding_items i WHERE i.answer_id = a.id) AS items
         FROM answers a WHERE a.response_id = $1 ORDER BY a.id",
    )
    .bind(response_id)
    .fetch_all(&mut **tx)
    .await?;
    let held_before = before.iter().any(|row| row.at_risk == Some(1));
    let this_question: Vec<&PhoneRow> = before
        .iter()
        .filter(|row| row.question_id == question_id)
        .collect();
    let mut new: Vec<(i64, String)> = rows.iter().map(|(_, p, v)| (*p, v.clone())).collect();
    new.sort();
    let mut replaceable: Vec<(i64, String)> = this_question
        .iter()
        .filter(|row| row.items == 0)
        .map(|row| (row.position, row.value.clone()))
        .collect();
    replaceable.sort();
    // The phone's answer now: what can be replaced, or else the newest of
    // the words kept for the lead.
    let newest_kept = this_question
        .iter()
        .rev()
        .find(|row| row.items > 0)
        .map(|row| vec![(row.position, row.value.clone())]);
    let current = if replaceable.is_empty() {
        newest_kept.unwrap_or_default()
    } else {
        replaceable
    };
    if !current.is_empty() && current == new {
        // Already there, word for word: a retry or a double tap.
        return Ok(Stored::Unchanged);
    }
    // Back to words the lead already has: those are the answer again (no
    // second copy, no second item).
    let back_to_kept = this_question.iter().any(|row| {
        row.items > 0 && new.len() == 1 && (row.position, &row.value) == (new[0].0, &new[0].1)
    });
    let deleted: Vec<crate::tallies::store::Deleted> = sqlx::query_as(&format!(
        "DELETE FROM answers WHERE response_id = $1 AND question_id = $2
           AND NOT EXISTS (SELECT 1 FROM safeguarding_items i WHERE i.answer_id = answers.id)
         {}",
        crate::tallies::store::DELETED_RETURNING
    ))
    .bind(response_id)
    .bind(question_id)
    .fetch_all(&mut **tx)
    .await?;
    crate::tallies::store::forget(&mut tx.tx, &deleted).await?;
    if back_to_kept {
        tx.commit().await?;
        return Ok(Stored::Saved(Vec::new()));
    }
    let hold = held_before || screening.needs_help();
    if screening.needs_help() && !held_before {
        // Everything this phone wrote before goes to the lead too, and off
        // the projector.
        sqlx::query(
            "UPDATE answers SET at_risk = 1, live_shown = 0
             WHERE response_id = $1 AND public_ref IS NOT NULL",
        )
        .bind(response_id)
        .execute(&mut **tx)
        .await?;
    }
    let mut matched = Vec::new();
    let mut stored = Vec::new();
    for (qid, pos, value) in &rows {
        let screened = s.answers.iter().any(|(q, a)| {
            q == qid && matches!(a, crate::surveys::answering::rules::Answer::Text(_))
        });
        let (answer_id,): (i64,) = if screened {
            let found = screening.of_question(*qid).ok_or(AppError::Unexpected)?;
            let mut columns = ScreeningColumns::of(found, session.organisation_id, sent_at);
            if hold {
                columns = columns.held_for_lead();
            }
            let sql = format!(
                "INSERT INTO answers (response_id, question_id, position, value, shuffle, {})
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id, question_id",
                ScreeningColumns::NAMES
            );
            let q = sqlx::query_as(&sql)
                .bind(response_id)
                .bind(*qid)
                .bind(*pos)
                .bind(value.clone())
                .bind(crate::surveys::answering::store::shuffle());
            columns
                .bind(q)
                .fetch_one(&mut **tx)
                .await
                .map(|(id, _): (i64, i64)| (id,))?
        } else {
            sqlx::query_as(
                "INSERT INTO answers (response_id, question_id, position, value, shuffle)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(response_id)
            .bind(*qid)
            .bind(*pos)
            .bind(value.clone())
            .bind(crate::surveys::answering::store::shuffle())
            .fetch_one(&mut **tx)
            .await?
        };
        stored.push(answer_id);
        if let Some(phrase) = screening.of_question(*qid).and_then(|f| f.risk.clone()) {
            let place = TextPlace {
                answer_id,
                organisation_id: session.organisation_id,
                survey_id: session.survey_id,
                question_id: *qid,
                age_band: None,
                area_code: None,
                sent_at,
            };
            matched.push((place, phrase));
        }
    }
    let matched: Vec<(TextPlace, &str)> = matched
        .iter()
        .map(|(p, s)| (p.clone(), s.as_str()))
        .collect();
    if folded {
        crate::tallies::store::add(&mut tx.tx, &stored).await?;
    }
    let items = record_items(&mut tx, &matched).await?;
    tx.commit().await?;
    Ok(Stored::Saved(items))
}
