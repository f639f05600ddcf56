//! A phone's participant cookie, for "once per phone" without knowing whose
//! phone it is: ratings (again after 30 days) and supports for suggestions.
//!
//! The cookie holds 16 random bytes and an HMAC-SHA-256 of them under the
//! server's secret (`key.signature`): a cookie heard did not make is ignored
//! and replaced. Only keyed digests of the key *and the thing it is about*
//! are stored (`phone_marks`), so one phone's marks cannot be linked to one
//! another, to its answers or to anything about the phone. Clearing cookies
//! lets a phone rate again: heard cannot tell phones apart otherwise, and
//! does not try (no addresses, no fingerprints).

use crate::db::WriteTx;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::request::Parts;
use axum::http::HeaderValue;

pub const COOKIE: &str = "heard_phone";

/// Kept about 400 days (the most browsers allow).
const MAX_AGE_SECONDS: i64 = 400 * 86_400;

/// The phone making a request.
pub struct Phone {
    key: String,
    /// Set when the phone had no valid cookie: the `Set-Cookie` to send.
    pub new_cookie: Option<HeaderValue>,
}

fn signature(state: &AppState, key: &str) -> String {
    state.settings.secret.digest(&["phone cookie", key])
}

/// Equal without saying where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Phone {
    /// The phone's key from its cookie, if heard signed it.
    pub fn known(state: &AppState, parts: &Parts) -> Option<Phone> {
        let value = crate::accounts::sessions::cookie_value(&parts.headers, COOKIE)?;
        let (key, sig) = value.split_once('.')?;
        (crate::forms::is_key(key) && same(sig, &signature(state, key))).then(|| Phone {
            key: key.to_string(),
            new_cookie: None,
        })
    }

    /// The phone's key, or a new one with its cookie to set.
    pub fn of(state: &AppState, parts: &Parts) -> Phone {
        Phone::known(state, parts).unwrap_or_else(|| {
            let key = crate::random::token::<16>();
            let value = format!(
                "{COOKIE}={key}.{}; Path=/; Max-Age={MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax{}",
                signature(state, &key),
                if state.settings.https { "; Secure" } else { "" }
            );
            Phone {
                new_cookie: HeaderValue::from_str(&value).ok(),
                key,
            }
        })
    }

    /// What is stored for this phone about `subject` (e.g. `rating:12`).
    pub fn digest(&self, state: &AppState, subject: &str) -> String {
        state.settings.secret.digest(&["phone", subject, &self.key])
    }

    /// A key for in-memory limits on this phone (never stored).
    pub fn limit_key(&self, state: &AppState) -> String {
        state.settings.secret.digest(&["phone limit", &self.key])
    }

    /// Counts one post from this phone: by the phone, never by the address
    /// alone (a class on one school network posts together), except that a
    /// phone new to heard is counted against its address too, so a script
    /// that never keeps its cookie is still held. `Err` says how long to wait.
    pub fn check_limits(&self, state: &AppState, parts: &Parts) -> Result<(), std::time::Duration> {
        if self.new_cookie.is_some() {
            let address = crate::accounts::handlers::client_address(parts, &state.settings);
            state.new_phones.check(&address)?;
        }
        state.phone_posts.check(&self.limit_key(state))
    }

    /// Adds the new cookie, if any, to a response.
    pub fn set_on(&self, res: &mut axum::response::Response) {
        if let Some(cookie) = &self.new_cookie {
            res.headers_mut()
                .append(axum::http::header::SET_COOKIE, cookie.clone());
        }
    }
}

/// Once per phone for a thing, until a time.
#[derive(Debug, Clone, Copy)]
pub struct Once<'a> {
    /// What it is about: `rating:{service}`, `support:{suggestion}`.
    pub subject: &'a str,
    /// [`Phone::digest`] for the subject.
    pub phone: &'a str,
    /// When the phone may do it again (seconds; `i64::MAX` for never).
    pub until: i64,
}

/// Claims `once` inside a write: `false` when the phone already did it and
/// its time has not run out (the caller rolls back).
pub async fn claim(tx: &mut WriteTx, once: Once<'_>) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO phone_marks (subject, phone, until_at) VALUES ($1, $2, $3)
         ON CONFLICT (subject, phone) DO UPDATE SET until_at = excluded.until_at
         WHERE phone_marks.until_at <= $4
         RETURNING until_at",
    )
    .bind(once.subject)
    .bind(once.phone)
    .bind(once.until)
    .bind(crate::db::now())
    .fetch_optional(&mut ***tx)
    .await?;
    Ok(row.is_some())
}

/// Until when the phone may not do `subject` again, if it did it.
pub async fn marked_until(
    db: &crate::db::Db,
    subject: &str,
    phone: &str,
) -> Result<Option<i64>, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT until_at FROM phone_marks WHERE subject = $1 AND phone = $2 AND until_at > $3",
    )
    .bind(subject)
    .bind(phone)
    .bind(crate::db::now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(u,)| u))
}

/// Marks whose time ran out (housekeeping).
pub async fn forget_expired(db: &crate::db::Db) -> Result<u64, AppError> {
    let mut tx = db.write().await?;
    let done = sqlx::query("DELETE FROM phone_marks WHERE until_at <= $1")
        .bind(crate::db::now())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_compares_whole_strings() {
        assert!(super::same("abc", "abc"));
        assert!(!super::same("abc", "abd"));
        assert!(!super::same("abc", "ab"));
    }
}
