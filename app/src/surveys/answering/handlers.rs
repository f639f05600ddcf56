//! POST /s/{slug}: young people's answers.

use super::page::HelpFirst;
use super::rules::{check_answers, IDEMPOTENCY_FIELD};
use super::screening::Screening;
use super::store::{self, Recorded};
use crate::accounts::handlers::client_address;
use crate::copy;
use crate::error::ssr::BUSY_RETRY_AFTER_SECONDS;
use crate::error::AppError;
use crate::forms::ssr::{read_form, render_with, render_with_both, rerender, see_other};
use crate::forms::{is_key, Feedback, FormValues};
use crate::state::AppState;
use crate::surveys::model::{QuestionKind, SurveyStatus};
use crate::words::risk::RiskList;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, request::Parts, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};

/// POST /s/{slug}: a young person sends their answers. Nothing they wrote is
/// ever dropped without telling them: every refusal shows the page again with
/// every answer kept and says what to do.
pub async fn answer(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    req: Request<Body>,
) -> Response {
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let Some(key) = form
        .value(IDEMPOTENCY_FIELD)
        .filter(|k| is_key(k))
        .map(str::to_string)
    else {
        return (
            StatusCode::BAD_REQUEST,
            "This form could not be read. Please go back, reload the page and try again.",
        )
            .into_response();
    };
    // The address is counted in memory only, never stored.
    if let Err(wait) = state
        .answer_limiter
        .check(&client_address(&parts, &state.settings))
    {
        // Rounded up: sent again when told, it goes through.
        let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        let message = copy::too_many_sends(secs);
        return kept(
            state,
            parts,
            form,
            message,
            StatusCode::TOO_MANY_REQUESTS,
            Some(secs),
        )
        .await;
    }
    let owned = match state.answering_cache.survey(&state.db, &slug).await {
        Ok(Some(o)) if o.form.status != SurveyStatus::Draft => o,
        Ok(_) => return rerender(state, parts, Feedback::default(), StatusCode::NOT_FOUND).await,
        Err(e) => return not_stored(state, parts, form, e, None).await,
    };
    if !owned.form.accepts_answers(&crate::db::today()) {
        // The page explains that the survey has closed.
        return rerender(state, parts, Feedback::default(), StatusCode::GONE).await;
    }
    // A service's rating: once a phone a month, by the phone's own cookie.
    let phone = owned
        .service
        .as_ref()
        .map(|_| crate::phone::Phone::of(&state, &parts));
    let mut res = take_answers(state, parts, form, key, owned, phone.as_ref()).await;
    if let Some(phone) = &phone {
        phone.set_on(&mut res);
    }
    res
}

/// A ratings survey asks only for an age band: anything else sent about
/// the young person is dropped, never stored.
fn only_what_is_asked(
    owned: &crate::surveys::store::OwnedSurvey,
    mut form: FormValues,
) -> FormValues {
    if owned.service.is_some() {
        use super::rules::{ABOUT_AREA, ABOUT_GROUPS};
        form.0.remove(ABOUT_AREA);
        form.0.remove(ABOUT_GROUPS);
    }
    form
}

/// Checks, screens and stores answers to a survey that takes them.
async fn take_answers(
    state: AppState,
    parts: Parts,
    form: FormValues,
    key: String,
    owned: crate::surveys::store::OwnedSurvey,
    phone: Option<&crate::phone::Phone>,
) -> Response {
    let form = only_what_is_asked(&owned, form);
    let once_subject = owned
        .service
        .as_ref()
        .map(|s| crate::services::store::rating_subject(s.id));
    if let Some(phone) = phone {
        if let Err(wait) = phone.check_limits(&state, &parts) {
            let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
            let message = copy::too_many_sends(secs);
            let status = StatusCode::TOO_MANY_REQUESTS;
            return kept(state, parts, form, message, status, Some(secs)).await;
        }
    }
    let phone_digest = match (phone, &once_subject) {
        (Some(p), Some(subject)) => Some(p.digest(&state, subject)),
        _ => None,
    };
    let areas = if owned.form.ask_about_you {
        match state.answering_cache.areas(&state.db).await {
            Ok(list) => list,
            Err(e) => return not_stored(state, parts, form, e, None).await,
        }
    } else {
        Default::default()
    };
    let is_area = |code: &str| areas.iter().any(|(c, _)| c == code);
    // A list that cannot be loaded never stops answers being stored: heard's
    // standard list is always there.
    let risks = match state
        .answering_cache
        .risks(&state.db, owned.organisation_id)
        .await
    {
        Ok(risks) => risks,
        Err(e) => {
            tracing::warn!(error = ?e, "risk phrases added in the app could not be read; screening with the standard list");
            std::sync::Arc::new(RiskList::standard().clone())
        }
    };
    match check_answers(&owned.form, &form, &is_area) {
        Err(errors) => {
            let fields = errors
                .iter()
                .map(|e| (e.field.clone(), copy::problem(&e.problem, &e.about)))
                .collect();
            // Refused (an answer missing, words over the limit) and nothing
            // stored; but if what they wrote matched the risk list, help
            // still comes first.
            let help = owned
                .form
                .questions
                .iter()
                .filter(|q| q.kind.is_text())
                .any(|q| {
                    let multiline = q.kind == QuestionKind::LongText;
                    risks
                        .find(&crate::text::clean(form.raw(&q.field()), multiline))
                        .is_some()
                });
            let feedback = Feedback {
                form: super::form::FORM.into(),
                values: form,
                summary: None,
                fields,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            if help {
                render_with_both(state, parts, None, feedback, HelpFirst, status).await
            } else {
                rerender(state, parts, feedback, status).await
            }
        }
        Ok(submission) => {
            let screening = Screening::of(&submission, &risks);
            let help = screening.needs_help().then_some(HelpFirst);
            let once = match (&once_subject, &phone_digest) {
                (Some(subject), Some(phone)) => Some(crate::phone::Once {
                    subject,
                    phone,
                    until: crate::services::rating::rate_again_at(crate::db::now()),
                }),
                _ => None,
            };
            let to = store::Destination {
                survey_id: owned.form.id,
                organisation_id: owned.organisation_id,
                key: &key,
                once,
            };
            let stored = screening.stored(&submission);
            match store::record_response(&state.db, to, &stored, &screening).await {
                Ok((Recorded::New | Recorded::AlreadyStored, items)) => {
                    if !items.is_empty() {
                        crate::safeguarding::notify::new_items(&state, owned.organisation_id);
                    }
                    let thanks = match &owned.service {
                        Some(service) => format!("/services/{}?rated=1", service.slug),
                        None => format!("/s/{}/thanks", owned.form.slug),
                    };
                    match help {
                        // Help first when anything they wrote matched the
                        // risk list (a retry screens the same words the same
                        // way). Shown in answer to the post itself, so no
                        // address in the phone's history says so.
                        Some(help) => {
                            render_with(state, parts, Some(&thanks), help, StatusCode::OK).await
                        }
                        None => see_other(&thanks),
                    }
                }
                Ok((Recorded::KeyUsedForOtherAnswers, _)) => {
                    // Someone else's form on a shared phone: these answers go
                    // back with a fresh key, to be sent as a new response.
                    let mut values = form;
                    values.0.remove(IDEMPOTENCY_FIELD);
                    let message = copy::KEY_ALREADY_USED.to_string();
                    let status = StatusCode::CONFLICT;
                    kept_with_help(state, parts, values, message, status, None, help).await
                }
                Ok((Recorded::TooSoon, _)) => {
                    let message = copy::RATED_RECENTLY.to_string();
                    let status = StatusCode::CONFLICT;
                    kept_with_help(state, parts, form, message, status, None, help).await
                }
                Err(e) => not_stored(state, parts, form, e, help).await,
            }
        }
    }
}

/// The survey page again with every answer in `values` and `message` above
/// the form; `retry_after` (seconds) when the refusal is about waiting.
async fn kept(
    state: AppState,
    parts: Parts,
    values: FormValues,
    message: String,
    status: StatusCode,
    retry_after: Option<u64>,
) -> Response {
    kept_with_help(state, parts, values, message, status, retry_after, None).await
}

/// [`kept`], leading with help when what they wrote matched the risk list:
/// their answers are not stored yet, but help is not kept waiting.
async fn kept_with_help(
    state: AppState,
    parts: Parts,
    values: FormValues,
    message: String,
    status: StatusCode,
    retry_after: Option<u64>,
    help: Option<HelpFirst>,
) -> Response {
    let feedback = Feedback::message(super::form::FORM, values, message);
    let mut res = match help {
        Some(help) => render_with_both(state, parts, None, feedback, help, status).await,
        None => rerender(state, parts, feedback, status).await,
    };
    if let Some(secs) = retry_after {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}

/// Answers that could not be stored: busy (a full write queue) or a fault.
/// Either way the page comes back with the answers and the same key, so
/// sending again stores them once.
async fn not_stored(
    state: AppState,
    parts: Parts,
    values: FormValues,
    e: AppError,
    help: Option<HelpFirst>,
) -> Response {
    match e {
        AppError::Busy => {
            let secs = u64::from(BUSY_RETRY_AFTER_SECONDS);
            let status = StatusCode::SERVICE_UNAVAILABLE;
            let message = e.to_string();
            kept_with_help(state, parts, values, message, status, Some(secs), help).await
        }
        AppError::Unexpected => {
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            let message = e.to_string();
            kept_with_help(state, parts, values, message, status, None, help).await
        }
        other => other.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use crate::forms::is_key;

    #[test]
    fn submission_keys_are_short_plain_tokens() {
        assert!(is_key("0123456789abcdef0123456789abcdef"));
        assert!(!is_key("short"));
        assert!(!is_key("0123456789abcdef<script>"));
    }
}
