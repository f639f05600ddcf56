//! Signing in and out: plain form posts.

use super::limiter::{shared_wait, WINDOW_SECONDS};
use super::password;
use super::viewer::SignedIn;
use super::{sessions, store};
use crate::db::now;
use crate::error::AppError;
use crate::forms::ssr::{rerender, see_other, FormPost};
use crate::forms::{Feedback, FormValues};
use crate::state::{AppState, Settings};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::Response;
use std::net::SocketAddr;
use std::time::Duration;

pub const FORM: &str = "sign-in";
pub const NOT_RECOGNISED: &str = "Email or password not recognised.";

/// The address a request came from, for rate limiting only: never stored.
pub fn client_address(parts: &Parts, settings: &Settings) -> String {
    if settings.trust_forwarded_for {
        if let Some(last) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            return last.to_string();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Where to go after signing in: only a path inside the staff area.
pub fn safe_next(query: Option<&str>) -> String {
    query
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "next")
                .map(|(_, v)| v.into_owned())
        })
        .filter(|n| {
            n.starts_with("/staff")
                && !n.contains("//")
                && !n.contains('\\')
                // Only what can go into a Location header as it is.
                && n.bytes().all(|b| b.is_ascii_graphic())
        })
        .unwrap_or_else(|| "/staff".into())
}

/// No account has an email longer than an address can be, so a longer one is
/// not recognised at once: no password check, no count.
const LONGEST_EMAIL: usize = super::email::MAX_LENGTH;

pub async fn sign_in(
    State(state): State<AppState>,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    let email = form.value("email").unwrap_or("").to_lowercase();
    let entered = form.raw("password").to_string();
    if email.chars().count() > LONGEST_EMAIL {
        let kept = FormValues::default();
        return Ok(not_recognised(state, parts, kept).await);
    }
    // The password is never sent back to the page.
    let kept = FormValues::from_pairs([("email", email.clone())]);
    // One keyed digest of account and address: the in-memory key and the
    // database's, the same length whatever was typed.
    let key = state.settings.secret.digest(&[
        "sign-in",
        &email,
        &client_address(&parts, &state.settings),
    ]);
    if let Some(wait) = state.sign_in_limiter.locked(&key) {
        return Ok(too_many(state, parts, kept, wait).await);
    }
    let t = now();
    let (failures, oldest) = store::sign_in_failures(&state.db, &key, t - WINDOW_SECONDS).await?;
    if let Some(wait) = shared_wait(failures, oldest, t) {
        return Ok(too_many(state, parts, kept, wait).await);
    }
    let found = store::credentials(&state.db, &email).await?;
    let (user_id, hash, expired) = match found {
        Some(c) => (
            Some(c.user_id),
            Some(c.hash),
            c.expires_at.is_some_and(|until| until < t),
        ),
        None => (None, None, false),
    };
    // One argon2 pass whether or not the account exists (a decoy otherwise),
    // so the time taken tells nobody which emails have accounts.
    let matched = match state.password_gate.verify(entered, hash).await {
        Ok(m) => m,
        Err(AppError::Busy) => return Ok(busy(state, parts, kept).await),
        Err(e) => return Err(e),
    };
    if matched && !expired {
        if let Some(user_id) = user_id {
            let previous = sessions::token_from_headers(&parts.headers, &state.settings);
            let token = sessions::start(&state.db, user_id, previous.as_deref()).await?;
            let mut res = see_other(&safe_next(parts.uri.query()));
            if let Ok(v) = HeaderValue::from_str(&sessions::cookie(&token, &state.settings)) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            return Ok(res);
        }
    }
    let here = state.sign_in_limiter.record_failure(&key);
    let t = now();
    let (failures, oldest) =
        store::record_sign_in_failure(&state.db, &key, t, t - WINDOW_SECONDS).await?;
    let everywhere = shared_wait(failures, oldest, t);
    if let Some(wait) = here.or(everywhere) {
        return Ok(too_many(state, parts, kept, wait).await);
    }
    if matched && expired {
        let fb = Feedback::message(FORM, kept, ONE_TIME_EXPIRED);
        return Ok(rerender(state, parts, fb, StatusCode::UNAUTHORIZED).await);
    }
    Ok(not_recognised(state, parts, kept).await)
}

/// Shown only to someone who typed the right one-time password too late.
pub const ONE_TIME_EXPIRED: &str =
    "That one-time password has expired. Ask whoever gave it to you for a new one.";

async fn not_recognised(state: AppState, parts: Parts, kept: FormValues) -> Response {
    rerender(
        state,
        parts,
        Feedback::message(FORM, kept, NOT_RECOGNISED),
        StatusCode::UNAUTHORIZED,
    )
    .await
}

/// The sign-in page again with "busy" (503, Retry-After).
async fn busy(state: AppState, parts: Parts, kept: FormValues) -> Response {
    let mut res = rerender(
        state,
        parts,
        Feedback::message(FORM, kept, AppError::Busy.to_string()),
        StatusCode::SERVICE_UNAVAILABLE,
    )
    .await;
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(crate::error::ssr::BUSY_RETRY_AFTER_SECONDS),
    );
    res
}

async fn too_many(state: AppState, parts: Parts, kept: FormValues, wait: Duration) -> Response {
    let secs = wait.as_secs().max(1);
    let message = format!("Too many attempts. Please wait {secs} seconds and try again.");
    let mut res = rerender(
        state,
        parts,
        Feedback::message(FORM, kept, message),
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

/// POST /staff/password: the signed-in member of staff chooses a new password.
pub async fn change_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    let token = sessions::token_from_headers(&parts.headers, &state.settings).unwrap_or_default();
    let (current, new) = (form.raw("current").to_string(), form.raw("new").to_string());
    let refuse = |message: &str| {
        Feedback::message(super::pages::PASSWORD_FORM, FormValues::default(), message)
    };
    // Someone at an unlocked screen may not guess the current password at leisure.
    let key = state
        .settings
        .secret
        .digest(&["password-check", &user.id.to_string()]);
    if let Some(wait) = state.sign_in_limiter.locked(&key) {
        let secs = wait.as_secs().max(1);
        let message = format!("Too many attempts. Please wait {secs} seconds and try again.");
        let mut res = rerender(
            state,
            parts,
            refuse(&message),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return Ok(res);
    }
    let stored = store::password_hash(&state.db, user.id).await?;
    let current_ok = state.password_gate.verify(current.clone(), stored).await?;
    let problem = if !current_ok {
        let _ = state.sign_in_limiter.record_failure(&key);
        Some("Your current password was not recognised.".to_string())
    } else if let Err(m) = password::check_new(&new) {
        Some(m)
    } else if new != form.raw("confirm") {
        Some("The two new passwords are different. Type the same one twice.".to_string())
    } else if new == current {
        Some("Choose a new password, not the one you have now.".to_string())
    } else {
        None
    };
    if let Some(message) = problem {
        return Ok(rerender(
            state,
            parts,
            refuse(&message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    }
    let hash = state.password_gate.hash(new).await?;
    store::set_password(
        &state.db,
        user.id,
        &hash,
        store::NewPassword::Chosen {
            by: &user,
            keep_session_digest: &sessions::digest(&token),
        },
    )
    .await?;
    Ok(see_other("/staff"))
}

pub async fn sign_out(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = sessions::token_from_headers(&headers, &state.settings) {
        sessions::end(&state.db, &token).await?;
    }
    let mut res = see_other("/sign-in");
    if let Ok(v) = HeaderValue::from_str(&sessions::clearing_cookie(&state.settings)) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_only_returns_to_staff_pages() {
        assert_eq!(
            safe_next(Some("next=%2Fstaff%2Fsurveys%2F3")),
            "/staff/surveys/3"
        );
        assert_eq!(safe_next(Some("next=https%3A%2F%2Fevil.example")), "/staff");
        assert_eq!(safe_next(Some("next=%2Fstaff%2F%2Fevil.example")), "/staff");
        assert_eq!(safe_next(None), "/staff");
        assert_eq!(safe_next(Some("next=%2Fstaff%0D%0ASet-Cookie")), "/staff");
        assert_eq!(safe_next(Some("next=%2Fstaff%2F%C3%A9")), "/staff");
        assert_eq!(safe_next(Some("next=%FF")), "/staff");
    }
}
