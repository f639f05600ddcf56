//! The feed's HTTP ends: a local instance's `GET /feed`; a hub's
//! `GET /national/templates` and `POST /hub/feed/{instance}` (a push); the
//! hub's pull of every instance; and the staff forms (register an
//! instance, pull now, import national questions).

use super::document::Refusal;
use super::signing::SIGNATURE_HEADER;
use super::store::{self, Instance};
use crate::accounts::viewer::Staff;
use crate::audit::store::Actor;
use crate::error::AppError;
use crate::forms::ssr::{see_other, FormPost};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// The biggest document a hub takes.
pub const MAX_FEED_BYTES: usize = 4 * 1024 * 1024;

/// How long a hub waits for an instance's feed, start to finish.
pub const PULL_TIMEOUT: Duration = Duration::from_secs(20);

/// How long a local instance waits for the hub's templates.
pub const TEMPLATES_TIMEOUT: Duration = Duration::from_secs(10);

/// GET /feed: this instance's signed document (404 where no feed key is
/// configured).
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let me = state.settings.feed.as_ref().ok_or(AppError::NotFound)?;
    // Only the hub, which shows the token, reads the feed.
    let shown = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !me.token.matches(shown) {
        return Err(AppError::NotFound);
    }
    let (body, signature) = store::current(&state.db, me, &state.settings.disclosure).await?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&signature) {
        h.insert(SIGNATURE_HEADER, v);
    }
    Ok(res)
}

/// GET /national/templates: the national questions this hub publishes.
pub async fn templates(State(state): State<AppState>) -> Result<Response, AppError> {
    if !state.settings.hub {
        return Err(AppError::NotFound);
    }
    let list = store::templates(&state.db).await?;
    Ok(axum::Json(list).into_response())
}

/// Reads at most [`MAX_FEED_BYTES`] of a body.
async fn limited(body: Body) -> Result<Vec<u8>, Refusal> {
    axum::body::to_bytes(body, MAX_FEED_BYTES)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| Refusal::TooBig {
            limit: MAX_FEED_BYTES,
        })
}

fn signature_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// POST /hub/feed/{instance}: an instance pushes its document. 202 when
/// kept; 409 for a replay; 413 too big; 422 otherwise, saying why.
pub async fn push(
    State(state): State<AppState>,
    Path(instance): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    if !state.settings.hub {
        return Err(AppError::NotFound);
    }
    let i = store::instance(&state.db, &instance)
        .await?
        .ok_or(AppError::NotFound)?;
    let outcome = match limited(body).await {
        Ok(bytes) => {
            store::receive(&state.db, &i, &bytes, signature_of(&headers).as_deref()).await?
        }
        Err(why) => {
            store::refused(&state.db, &i, &why).await?;
            Err(why)
        }
    };
    Ok(match outcome {
        Ok(sequence) => {
            (StatusCode::ACCEPTED, format!("Kept document {sequence}.\n")).into_response()
        }
        Err(why) => {
            let status = match why {
                Refusal::Replay { .. } => StatusCode::CONFLICT,
                Refusal::TooBig { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            (status, format!("{why}\n")).into_response()
        }
    })
}

/// A client for talking to other heard instances: time limits on
/// everything, no cookies, no redirects to follow.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("heard/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Fetches `url` with a time limit, reading at most `limit` bytes.
/// `(bytes, signature header)`.
async fn fetch(
    client: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    limit: usize,
    timeout: Duration,
) -> Result<(Vec<u8>, Option<String>), Refusal> {
    let work = async {
        let mut request = client.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let mut res = request
            .send()
            .await
            .map_err(|e| Refusal::Unreachable(describe(&e)))?;
        if !res.status().is_success() {
            return Err(Refusal::Unreachable(format!(
                "it answered {}",
                res.status()
            )));
        }
        if res.content_length().is_some_and(|n| n as usize > limit) {
            return Err(Refusal::TooBig { limit });
        }
        let signature = signature_of(res.headers());
        let mut bytes = Vec::new();
        while let Some(chunk) = res
            .chunk()
            .await
            .map_err(|e| Refusal::Unreachable(describe(&e)))?
        {
            if bytes.len() + chunk.len() > limit {
                return Err(Refusal::TooBig { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok((bytes, signature))
    };
    tokio::time::timeout(timeout, work)
        .await
        .unwrap_or_else(|_| {
            Err(Refusal::Unreachable(format!(
                "no answer within {} seconds",
                timeout.as_secs()
            )))
        })
}

/// An HTTP failure in words, without the internals.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "it took too long to answer".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        "the connection failed".into()
    }
}

/// Pulls one instance's feed and takes it in (or logs why not). The last
/// good document stays whatever happens.
pub async fn pull(
    state: &AppState,
    client: &reqwest::Client,
    i: &Instance,
) -> Result<Result<i64, Refusal>, AppError> {
    match fetch(
        client,
        &i.feed_url,
        Some(&i.pull_token),
        MAX_FEED_BYTES,
        PULL_TIMEOUT,
    )
    .await
    {
        Ok((bytes, signature)) => store::receive(&state.db, i, &bytes, signature.as_deref()).await,
        Err(why) => {
            store::refused(&state.db, i, &why).await?;
            Ok(Err(why))
        }
    }
}

/// Pulls every instance, a few at a time.
pub async fn pull_all(state: &AppState, client: &reqwest::Client) -> Result<(), AppError> {
    use futures::StreamExt;
    let all = store::instances(&state.db).await?;
    let results: Vec<_> = futures::stream::iter(all)
        .map(|i| {
            let (state, client) = (state.clone(), client.clone());
            async move { pull(&state, &client, &i).await }
        })
        .buffer_unordered(4)
        .collect()
        .await;
    for r in results {
        // A refusal is in the log and on the instance already.
        let _logged = r?;
    }
    Ok(())
}

/// The hub's pull job, until the process stops.
pub async fn keep_pulling(state: AppState, every: Duration) {
    let client = client();
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = pull_all(&state, &client).await {
            tracing::warn!(error = ?e, "could not pull the instances' feeds");
        }
    }
}

/// The templates a hub publishes, fetched from `HEARD_HUB_URL`.
pub async fn hub_templates(state: &AppState) -> Result<Vec<super::template::Template>, String> {
    let hub = state
        .settings
        .hub_url
        .as_deref()
        .ok_or("No hub is set for this heard (HEARD_HUB_URL).")?;
    let url = format!("{}/national/templates", hub.trim_end_matches('/'));
    let (bytes, _) = fetch(&client(), &url, None, MAX_FEED_BYTES, TEMPLATES_TIMEOUT)
        .await
        .map_err(|e| format!("The hub could not be reached: {e}."))?;
    let list: Vec<serde_json::Value> = serde_json::from_slice(&bytes)
        .map_err(|_| "The hub's list of national questions could not be read.".to_string())?;
    // Each one checked as if it were a file loaded by hand.
    Ok(list
        .into_iter()
        .filter_map(|v| super::template::parse(&v.to_string()).ok())
        .collect())
}

/// POST /staff/hub: register an instance, pull one now, or remove one.
pub async fn hub_post(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost { parts: _, values }: FormPost,
) -> Result<Response, AppError> {
    if !state.settings.hub || !user.may_run_the_hub() {
        return Err(AppError::NotFound);
    }
    match values.raw("action") {
        "register" => {
            let r = super::check_registration(
                values.raw("instance"),
                values.raw("name"),
                values.raw("feed_url"),
                values.raw("public_key"),
                values.raw("pull_token"),
            )
            .map_err(|p| AppError::invalid(p.join(" ")))?;
            store::register(&state.db, Actor::Staff(&user), &r)
                .await?
                .map_err(AppError::invalid)?;
            Ok(see_other(&format!("/staff/hub?registered={}", r.instance)))
        }
        "remove" => {
            if values.raw("confirm") != "yes" {
                return Err(AppError::invalid(
                    "Tick the box to say its figures should leave the national view.",
                ));
            }
            if !store::remove(&state.db, Actor::Staff(&user), values.raw("instance")).await? {
                return Err(AppError::NotFound);
            }
            Ok(see_other("/staff/hub"))
        }
        "pull" => {
            let instance = values.raw("instance");
            let i = store::instance(&state.db, instance)
                .await?
                .ok_or(AppError::NotFound)?;
            // What happened shows on the page, from the log.
            let _logged = pull(&state, &client(), &i).await?;
            Ok(see_other("/staff/hub"))
        }
        _ => Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST)),
    }
}

/// POST /staff/national-questions: make a draft survey from one of the
/// hub's templates (read again from the hub, never from the form).
pub async fn import(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost { parts: _, values }: FormPost,
) -> Result<Response, AppError> {
    if !user.may_create_surveys() {
        return Err(AppError::Forbidden);
    }
    let organisation_id = match (
        user.organisation_id,
        values.raw("organisation_id").parse::<i64>().ok(),
    ) {
        (_, Some(chosen)) if user.may_manage_surveys_of(chosen) => chosen,
        (Some(own), None) => own,
        _ => {
            return Err(AppError::invalid(
                "Choose the organisation the survey belongs to.",
            ))
        }
    };
    let (id, version) = (values.raw("template"), values.raw("version"));
    let templates = hub_templates(&state).await.map_err(AppError::invalid)?;
    let t = templates
        .into_iter()
        .find(|t| t.id == id && t.version.to_string() == version)
        .ok_or_else(|| {
            AppError::invalid("The hub no longer offers those questions: choose again.")
        })?;
    let survey = store::import(&state.db, organisation_id, user.id, &t).await?;
    Ok(see_other(&format!("/staff/surveys/{survey}")))
}
