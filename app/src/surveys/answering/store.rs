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
    } = to;
    let day = now() / 86400 * 86400;
    let digest = answers_digest(s);
    let (age, area, groups) = s.stored_about();
    let mut tx = db.write().await?;
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
    // Every answer in one statement (in chunks well under every driver's
    // limit on bound parameters), with the ids of the text answers back.
    let rows = s.stored_rows();
    let is_text = |qid: i64| {
        s.answers
            .iter()
            .any(|(q, a)| *q == qid && matches!(a, Answer::Text(_)))
    };
    let shuffles: Vec<i64> = rows.iter().map(|_| shuffle()).collect();
    let mut text_ids: Vec<(i64, i64)> = Vec::new();
    for (chunk, shuffle) in rows.chunks(200).zip(shuffles.chunks(200)) {
        let mut sql = String::from(
            "INSERT INTO answers (response_id, question_id, position, value, shuffle) VALUES ",
        );
        sql.push_str(&placeholders(chunk.len(), 5));
        sql.push_str(" RETURNING id, question_id");
        let mut q = sqlx::query_as(&sql);
        for ((qid, pos, v), shuffle) in chunk.iter().zip(shuffle) {
            q = q
                .bind(response_id)
                .bind(*qid)
                .bind(*pos)
                .bind(v.clone())
                .bind(*shuffle);
        }
        let stored: Vec<(i64, i64)> = q.fetch_all(&mut **tx).await?;
        text_ids.extend(stored.into_iter().filter(|(_, qid)| is_text(*qid)));
    }
    // What screening found about each text answer (a text question has one
    // answer per response, so its question says which). An answer that was
    // not screened is never stored unscreened: the young person is told and
    // keeps their answers.
    let (age_band, area_code, _) = s.stored_about();
    let mut screened = Vec::with_capacity(text_ids.len());
    for (answer_id, question_id) in text_ids {
        let found = screening
            .of_question(question_id)
            .ok_or(AppError::Unexpected)?;
        let place = TextPlace {
            answer_id,
            organisation_id: to.organisation_id,
            survey_id,
            question_id,
            age_band: age_band.clone(),
            area_code: area_code.clone(),
            sent_at: now(),
        };
        screened.push((place, found));
    }
    let items = record_screening(&mut tx, &screened).await?;
    tx.commit().await?;
    Ok((Recorded::New, items))
}

/// A random number to order free text by: stable, and saying nothing about
/// who answered when (ids are given out in order).
fn shuffle() -> i64 {
    use rand::Rng;
    rand::thread_rng().gen_range(0..2_147_483_648)
}

/// Where a text answer is, for what screening found about it.
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

/// `($1, $2, …)` groups for `rows` rows of `columns` values each.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stores what screening found about stored text answers (the original only
/// when something was taken out), in one statement, and a new safeguarding
/// item for each that matched the risk list; returns the items' ids. An
/// answer already screened (two servers starting at once) is left as it is.
pub async fn record_screening(
    tx: &mut WriteTx,
    screened: &[(TextPlace, &crate::words::Screened)],
) -> Result<Vec<i64>, AppError> {
    let mut inserted: Vec<(i64,)> = Vec::new();
    // 11 values a row: well under every driver's limit in chunks of 50.
    for chunk in screened.chunks(50) {
        let sql = format!(
            "INSERT INTO free_texts (answer_id, organisation_id, survey_id, question_id, public_ref,
                                     created_at, original, details, offensive, at_risk, state)
             VALUES {} ON CONFLICT (answer_id) DO NOTHING RETURNING answer_id",
            placeholders(chunk.len(), 11)
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for (place, found) in chunk {
            let original = (found.original != found.redacted).then(|| found.original.clone());
            let details: Vec<&str> = found.details.iter().map(|d| d.key()).collect();
            q = q
                .bind(place.answer_id)
                .bind(place.organisation_id)
                .bind(place.survey_id)
                .bind(place.question_id)
                .bind(crate::random::token::<12>())
                .bind(place.sent_at / 86_400 * 86_400)
                .bind(original)
                .bind(details.join(","))
                .bind(i64::from(found.offensive))
                .bind(i64::from(found.risk.is_some()))
                .bind("waiting");
        }
        inserted.extend(q.fetch_all(&mut ***tx).await?);
    }
    let mut items = Vec::new();
    for (place, found) in screened {
        let Some(phrase) = &found.risk else { continue };
        if !inserted.iter().any(|(id,)| *id == place.answer_id) {
            continue;
        }
        let (item,): (i64,) = sqlx::query_as(
            "INSERT INTO safeguarding_items (organisation_id, answer_id, survey_id, question_id,
                                             phrase, created_at, age_band, area_code, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'new') RETURNING id",
        )
        .bind(place.organisation_id)
        .bind(place.answer_id)
        .bind(place.survey_id)
        .bind(place.question_id)
        .bind(phrase)
        .bind(place.sent_at / 3_600 * 3_600)
        .bind(&place.age_band)
        .bind(&place.area_code)
        .fetch_one(&mut ***tx)
        .await?;
        items.push(item);
    }
    Ok(items)
}
