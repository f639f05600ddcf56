//! Young people's responses: stored once per submission key, with a digest
//! of the answers. Portable SQL only: the same statements run on SQLite and
//! PostgreSQL.

use super::rules::{Answer, Submission};
use super::screening::Screening;
use crate::db::{now, Db, WriteTx};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New,
    /// The same submission key was stored before with the same answers (or
    /// before digests were kept): a double tap or a retry.
    AlreadyStored,
    /// The key was stored before with different answers: a form reused on a
    /// shared phone. Nothing was stored; the young person must be told.
    KeyUsedForOtherAnswers,
    /// [`Destination::once`] was already claimed by this phone and its time
    /// has not run out (a second rating of a service within 30 days).
    /// Nothing was stored.
    TooSoon,
}

/// SHA-256 (hex) of the answers as they would be stored, sorted, so the same
/// answers give the same digest whatever order the browser sent them in.
pub fn answers_digest(s: &Submission) -> String {
    use sha2::{Digest, Sha256};
    let mut rows = s.stored_rows();
    rows.sort();
    // Serialising plain strings and numbers cannot fail.
    let canonical = serde_json::to_string(&(rows, s.stored_about())).unwrap_or_default();
    format!("{:x}", Sha256::digest(canonical.as_bytes()))
}

/// Where a response goes.
#[derive(Debug, Clone, Copy)]
pub struct Destination<'a> {
    pub survey_id: i64,
    pub organisation_id: i64,
    pub key: &'a str,
    /// Only once per phone (a rating): claimed in the same transaction as
    /// the response, so two tabs cannot both get in.
    pub once: Option<crate::phone::Once<'a>>,
}

/// Stores one response and its answers in one transaction; returns only once
/// committed, with the safeguarding items it made. `s` is the submission as
/// stored (text redacted, [`Screening::stored`]); `screening` what was found
/// in each text answer, stored beside it. Nothing about the device is stored:
/// no address, no user agent, no cookie, and the time only to the day. A key
/// already used is never silently taken as done: only the same answers count
/// as a retry.
pub async fn record_response(
    db: &Db,
    to: Destination<'_>,
    s: &Submission,
    screening: &Screening,
) -> Result<(Recorded, Vec<i64>), AppError> {
    let Destination {
        survey_id,
        organisation_id: _,
        key,
        once,
    } = to;
    let day = now() / 86400 * 86400;
    let digest = answers_digest(s);
    let (age, area, groups) = s.stored_about();
    let mut tx = db.write().await?;
    crate::tallies::store::before_new_response(&mut tx.tx, db.backend()).await?;
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
        let recorded = match stored {
            Some(stored) if stored != digest => Recorded::KeyUsedForOtherAnswers,
            _ => Recorded::AlreadyStored,
        };
        return Ok((recorded, Vec::new()));
    };
    if let Some(once) = once {
        if !crate::phone::claim(&mut tx, once).await? {
            // Dropped without committing: the response goes too.
            return Ok((Recorded::TooSoon, Vec::new()));
        }
    }
    // Every answer in one statement (in chunks well under every driver's
    // limit on bound parameters), each text answer with what screening found
    // about it. An answer that was not screened is never stored unscreened:
    // the young person is told and keeps their answers.
    let sent_at = now();
    let rows = s.stored_rows();
    let mut found = Vec::with_capacity(rows.len());
    for (qid, _, _) in &rows {
        let text = s
            .answers
            .iter()
            .any(|(q, a)| q == qid && matches!(a, Answer::Text(_)));
        found.push(if text {
            let screened = screening.of_question(*qid).ok_or(AppError::Unexpected)?;
            let mut columns = ScreeningColumns::of(screened, to.organisation_id, sent_at);
            // Words beside a disclosure often carry it on ("and he said he'd
            // do worse if I tell"): every text answer of the response is
            // held for the lead when any matched.
            if screening.needs_help() {
                columns.at_risk = 1;
            }
            Some(columns)
        } else {
            None
        });
    }
    // Ids come back only when a safeguarding item needs one.
    let returning = if screening.needs_help() {
        " RETURNING id, question_id"
    } else {
        ""
    };
    let mut stored: Vec<(i64, i64)> = Vec::new();
    for (chunk, found) in rows.chunks(50).zip(found.chunks(50)) {
        // Other answers write NULL for the screening columns, and text answers
        // their numbers, in the SQL itself: only text is bound. (The numbers
        // are the same for every submission of a survey on a day, bar two
        // flags, so the statement is still prepared once.)
        let mut values = Vec::with_capacity(chunk.len());
        let mut n = 0;
        for found in found {
            let group: Vec<String> = (n + 1..=n + 5).map(|i| format!("${i}")).collect();
            n += 5;
            let screening = match found {
                Some(c) => {
                    let (p, o, d) = (n + 1, n + 2, n + 3);
                    n += 3;
                    format!(
                        "{}, ${p}, {}, ${o}, ${d}, {}, {}, 'waiting'",
                        c.organisation_id, c.screened_on, c.offensive, c.at_risk
                    )
                }
                None => ["NULL"; ScreeningColumns::COUNT].join(", "),
            };
            values.push(format!("({}, {screening})", group.join(", ")));
        }
        let sql = format!(
            "INSERT INTO answers (response_id, question_id, position, value, shuffle, {}) VALUES {}{returning}",
            ScreeningColumns::NAMES,
            values.join(", ")
        );
        let mut q = sqlx::query_as::<_, (i64, i64)>(&sql);
        for ((qid, pos, v), found) in chunk.iter().zip(found) {
            q = q
                .bind(response_id)
                .bind(*qid)
                .bind(*pos)
                .bind(v.clone())
                .bind(shuffle());
            if let Some(found) = found {
                q = found.bind_text(q);
            }
        }
        if returning.is_empty() {
            q.fetch_optional(&mut **tx).await?;
        } else {
            stored.extend(q.fetch_all(&mut **tx).await?);
        }
    }
    // A safeguarding item for each text answer that matched the risk list (a
    // text question has one answer per response, so its question says which).
    let (age_band, area_code, _) = s.stored_about();
    let mut matched = Vec::new();
    for (answer_id, question_id) in stored {
        if let Some(phrase) = screening
            .of_question(question_id)
            .and_then(|f| f.risk.as_ref())
        {
            let place = TextPlace {
                answer_id,
                organisation_id: to.organisation_id,
                survey_id,
                question_id,
                age_band: age_band.clone(),
                area_code: area_code.clone(),
                sent_at,
            };
            matched.push((place, phrase.as_str()));
        }
    }
    let items = record_items(&mut tx, &matched).await?;
    tx.commit().await?;
    Ok((Recorded::New, items))
}

/// A random number to order free text by: stable, and saying nothing about
/// who answered when (ids are given out in order).
pub fn shuffle() -> i64 {
    use rand::Rng;
    rand::thread_rng().gen_range(0..2_147_483_648)
}

/// Where a text answer that matched the risk list is, for its item.
#[derive(Debug, Clone)]
pub struct TextPlace {
    pub answer_id: i64,
    pub organisation_id: i64,
    pub survey_id: i64,
    pub question_id: i64,
    pub age_band: Option<String>,
    pub area_code: Option<String>,
    /// When it was sent (seconds): kept to the day with the answer, and to
    /// the hour on a safeguarding item (its lead may need the session).
    pub sent_at: i64,
}

/// What screening found about a text answer, as the columns stored with it.
pub struct ScreeningColumns {
    organisation_id: i64,
    public_ref: String,
    screened_on: i64,
    /// What they wrote, only when something was taken out.
    original: Option<String>,
    details: String,
    offensive: i64,
    at_risk: i64,
}

type AnswerQuery<'q> = sqlx::query::QueryAs<'q, sqlx::Any, (i64, i64), sqlx::any::AnyArguments<'q>>;

impl ScreeningColumns {
    pub const NAMES: &'static str =
        "organisation_id, public_ref, screened_on, original, details, offensive, at_risk, state";
    pub const COUNT: usize = 8;

    pub fn of(found: &crate::words::Screened, organisation_id: i64, sent_at: i64) -> Self {
        let details: Vec<&str> = found.details.iter().map(|d| d.key()).collect();
        ScreeningColumns {
            organisation_id,
            public_ref: crate::random::token::<12>(),
            screened_on: sent_at / 86_400 * 86_400,
            original: (found.original != found.redacted).then(|| found.original.clone()),
            details: details.join(","),
            offensive: i64::from(found.offensive),
            at_risk: i64::from(found.risk.is_some()),
        }
    }

    /// Held for the safeguarding lead whatever it says: words beside a
    /// disclosure often carry it on.
    pub fn held_for_lead(mut self) -> Self {
        self.at_risk = 1;
        self
    }

    /// Binds the text among [`Self::NAMES`]' values, in order: the public
    /// reference, the original and the details (numbers are written into the
    /// statement).
    pub fn bind_text<'q>(&self, q: AnswerQuery<'q>) -> AnswerQuery<'q> {
        q.bind(self.public_ref.clone())
            .bind(self.original.clone())
            .bind(self.details.clone())
    }

    /// Binds every one of [`Self::NAMES`]' values, in order. A text answer
    /// waits for a moderator.
    pub fn bind<'q>(&self, q: AnswerQuery<'q>) -> AnswerQuery<'q> {
        q.bind(self.organisation_id)
            .bind(self.public_ref.clone())
            .bind(self.screened_on)
            .bind(self.original.clone())
            .bind(self.details.clone())
            .bind(self.offensive)
            .bind(self.at_risk)
            .bind("waiting")
    }
}

/// A new safeguarding item for each stored text answer that matched the risk
/// list (with the phrase that matched); returns the items' ids.
pub async fn record_items(
    tx: &mut WriteTx,
    matched: &[(TextPlace, &str)],
) -> Result<Vec<i64>, AppError> {
    let mut items = Vec::with_capacity(matched.len());
    for (place, phrase) in matched {
        let (item,): (i64,) = sqlx::query_as(
            "INSERT INTO safeguarding_items (organisation_id, answer_id, survey_id, question_id,
                                             phrase, created_at, age_band, area_code, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new') RETURNING id",
        )
        .bind(place.organisation_id)
        .bind(place.answer_id)
        .bind(place.survey_id)
        .bind(place.question_id)
        .bind(*phrase)
        .bind(place.sent_at / 3_600 * 3_600)
        .bind(&place.age_band)
        .bind(&place.area_code)
        .fetch_one(&mut ***tx)
        .await?;
        items.push(item);
    }
    Ok(items)
}
