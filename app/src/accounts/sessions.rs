//! Server-side sessions. The browser holds a random token; the database holds
//! only its SHA-256, so a copy of the database signs nobody in.

use super::store;
use super::StaffUser;
use crate::db::{now, Db};
use crate::error::AppError;
use crate::state::Settings;
use sha2::{Digest, Sha256};

/// A session token as given to the browser. Not `Serialize`; not logged.
pub struct SessionToken(String);

impl SessionToken {
    fn generate() -> Self {
        SessionToken(crate::random::token::<32>())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

pub fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Starts a new session for a user, ending the one the browser had (if any).
pub async fn start(
    db: &Db,
    user_id: i64,
    previous: Option<&str>,
) -> Result<SessionToken, AppError> {
    let token = SessionToken::generate();
    let t = now();
    let mut tx = db.write().await?;
    if let Some(old) = previous {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(digest(old))
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
        .bind(digest(&token.0))
        .bind(user_id)
        .bind(t)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn end(db: &Db, token: &str) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(digest(token))
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in member of staff for a token, if the session is live.
/// Sessions end when idle for longer than `session_idle`, and in any case
/// `session_max` after they began.
pub async fn resolve(
    db: &Db,
    token: &str,
    settings: &Settings,
) -> Result<Option<StaffUser>, AppError> {
    let hash = digest(token);
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some((user_id, created, last_seen)) = row else {
        return Ok(None);
    };
    let t = now();
    if t - last_seen > settings.session_idle.as_secs() as i64
        || t - created > settings.session_max.as_secs() as i64
    {
        end(db, token).await?;
        return Ok(None);
    }
    // Touch at most once a minute, so reading pages rarely writes.
    if t - last_seen > 60 {
        let mut tx = db.write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(t)
            .bind(&hash)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
    }
    store::load_staff(db, user_id).await
}

/// Deletes sessions that have ended (idle too long, or past their lifetime),
/// so the table holds only live ones. Run by the housekeeping job.
pub async fn purge_ended(db: &Db, settings: &Settings) -> Result<u64, AppError> {
    let t = now();
    let mut tx = db.write().await?;
    let gone = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(t - settings.session_idle.as_secs() as i64)
        .bind(t - settings.session_max.as_secs() as i64)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone)
}

/// The `Set-Cookie` value for a new session. Over https the cookie is
/// `Secure` and named `__Host-…`, which browsers accept only from this exact
/// host over https with `Path=/` and no `Domain`.
pub fn cookie(token: &SessionToken, settings: &Settings) -> String {
    format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax{}",
        settings.session_cookie(),
        token.0,
        if settings.https { "; Secure" } else { "" }
    )
}

pub fn clearing_cookie(settings: &Settings) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        settings.session_cookie(),
        if settings.https { "; Secure" } else { "" }
    )
}

/// The session token a request carries, if any.
pub fn token_from_headers(headers: &http::HeaderMap, settings: &Settings) -> Option<String> {
    headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| token_from_cookies(h, settings.session_cookie()))
        .map(str::to_string)
}

/// The value of cookie `name` a request carries, if any.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| token_from_cookies(h, name))
        .map(str::to_string)
}

/// Reads the session token from a `Cookie` header.
fn token_from_cookies<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_digests() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 43);
        assert_eq!(digest(&a.0).len(), 64);
        assert_ne!(digest(&a.0), a.0);
    }

    #[test]
    fn cookies_are_http_only_and_same_site_lax() {
        let t = SessionToken("abc".into());
        let plain = Settings::default();
        assert_eq!(
            cookie(&t, &plain),
            "heard_session=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        let https = Settings {
            https: true,
            ..Settings::default()
        };
        assert_eq!(
            cookie(&t, &https),
            "__Host-heard_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert_eq!(
            token_from_cookies("a=1; heard_session=xyz; b=2", "heard_session"),
            Some("xyz")
        );
        assert_eq!(
            token_from_cookies("heard_session=xyz", "__Host-heard_session"),
            None,
            "over https only the __Host- cookie counts"
        );
        assert_eq!(token_from_cookies("heard_session=", "heard_session"), None);
    }
}
