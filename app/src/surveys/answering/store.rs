//! Young people's responses: stored once per submission key, with a digest
//! of the answers. Portable SQL only: the same statements run on SQLite and
//! PostgreSQL.

use super::rules::Submission;
use crate::db::{now, Db};
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

/// Stores one response and its answers in one transaction; returns only once
/// committed. Nothing about the device is stored: no address, no user agent,
/// no cookie, and the time only to the day. A key already used is never
/// silently taken as done: only the same answers count as a retry.
pub async fn record_response(
    db: &Db,
    survey_id: i64,
    key: &str,
    s: &Submission,
) -> Result<Recorded, AppError> {
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
        return Ok(match stored {
            Some(stored) if stored != digest => Recorded::KeyUsedForOtherAnswers,
            _ => Recorded::AlreadyStored,
        });
    };
    let rows = s.stored_rows();
    // One statement for all the answers, in chunks well under every driver's
    // limit on bound parameters.
    // Each answer carries a random number to order free text by: stable, and
    // saying nothing about who answered when (ids are given out in order).
    let shuffles: Vec<i64> = {
        use rand::Rng;
        let mut rng = rand::thread_rng();
        rows.iter()
            .map(|_| rng.gen_range(0..2_147_483_648))
            .collect()
    };
    for (chunk, shuffle) in rows.chunks(200).zip(shuffles.chunks(200)) {
        let mut sql = String::from(
            "INSERT INTO answers (response_id, question_id, position, value, shuffle) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            ));
        }
        let mut q = sqlx::query(&sql);
        for ((qid, pos, v), shuffle) in chunk.iter().zip(shuffle) {
            q = q
                .bind(response_id)
                .bind(*qid)
                .bind(*pos)
                .bind(v.clone())
                .bind(*shuffle);
        }
        q.execute(&mut **tx).await?;
    }
    tx.commit().await?;
    Ok(Recorded::New)
}
