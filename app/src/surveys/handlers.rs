//! Form posts for surveys: young people's answers, and the builder's actions.

use super::answers::{check_answers, IDEMPOTENCY_FIELD};
use super::editing::{check_title, parse_details, parse_question};
use super::model::{check_question_edit, check_structure_change, SurveyStatus, MAX_QUESTIONS};
use super::store::{self, Details, OwnedSurvey, Recorded};
use crate::accounts::handlers::client_address;
use crate::accounts::viewer::Viewer;
use crate::accounts::StaffUser;
use crate::copy;
use crate::error::ssr::BUSY_RETRY_AFTER_SECONDS;
use crate::error::AppError;
use crate::forms::ssr::{once, read_form, rerender, rerender_page, see_other};
use crate::forms::{is_key, Feedback, FormValues};
use crate::state::AppState;
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
        Err(e) => return not_stored(state, parts, form, e).await,
    };
    if !owned.form.accepts_answers(&crate::db::today()) {
        // The page explains that the survey has closed.
        return rerender(state, parts, Feedback::default(), StatusCode::GONE).await;
    }
    let areas = if owned.form.ask_about_you {
        match state.answering_cache.areas(&state.db).await {
            Ok(list) => list,
            Err(e) => return not_stored(state, parts, form, e).await,
        }
    } else {
        Default::default()
    };
    let is_area = |code: &str| areas.iter().any(|(c, _)| c == code);
    match check_answers(&owned.form, &form, &is_area) {
        Err(errors) => {
            let fields = errors
                .iter()
                .map(|e| (e.field.clone(), copy::problem(&e.problem, &e.about)))
                .collect();
            let feedback = Feedback {
                form: super::form_view::FORM.into(),
                values: form,
                summary: None,
                fields,
            };
            rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(submission) => {
            match store::record_response(&state.db, owned.form.id, &key, &submission).await {
                Ok(Recorded::New | Recorded::AlreadyStored) => {
                    see_other(&format!("/s/{slug}/thanks"))
                }
                Ok(Recorded::KeyUsedForOtherAnswers) => {
                    // Someone else's form on a shared phone: these answers go
                    // back with a fresh key, to be sent as a new response.
                    let mut values = form;
                    values.0.remove(IDEMPOTENCY_FIELD);
                    let message = copy::KEY_ALREADY_USED.to_string();
                    kept(state, parts, values, message, StatusCode::CONFLICT, None).await
                }
                Err(e) => not_stored(state, parts, form, e).await,
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
    let feedback = Feedback::message(super::form_view::FORM, values, message);
    let mut res = rerender(state, parts, feedback, status).await;
    if let Some(secs) = retry_after {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}

/// Answers that could not be stored: busy (a full write queue) or a fault.
/// Either way the page comes back with the answers and the same key, so
/// sending again stores them once.
async fn not_stored(state: AppState, parts: Parts, values: FormValues, e: AppError) -> Response {
    match e {
        AppError::Busy => {
            let secs = u64::from(BUSY_RETRY_AFTER_SECONDS);
            let status = StatusCode::SERVICE_UNAVAILABLE;
            kept(state, parts, values, e.to_string(), status, Some(secs)).await
        }
        AppError::Unexpected => {
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            kept(state, parts, values, e.to_string(), status, None).await
        }
        other => other.into_response(),
    }
}

fn viewer(req: &Request<Body>) -> Result<StaffUser, AppError> {
    req.extensions()
        .get::<Viewer>()
        .and_then(|v| v.0.clone())
        .ok_or(AppError::NotSignedIn)
}

/// POST /staff/surveys: start a new draft.
pub async fn create(State(state): State<AppState>, req: Request<Body>) -> Response {
    let user = match viewer(&req) {
        Ok(u) if u.may_create_surveys() => u,
        Ok(_) => return AppError::Forbidden.into_response(),
        Err(e) => return e.into_response(),
    };
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let db = state.db.clone();
    once(&db, &form.clone(), "/staff", || {
        create_survey(state, user, parts, form)
    })
    .await
}

async fn create_survey(
    state: AppState,
    user: StaffUser,
    parts: Parts,
    form: FormValues,
) -> Response {
    let organisation_id = match (
        user.organisation_id,
        form.value("organisation_id")
            .and_then(|o| o.parse::<i64>().ok()),
    ) {
        (_, Some(chosen)) if user.may_manage_surveys_of(chosen) => chosen,
        (Some(own), None) => own,
        _ => {
            return AppError::invalid("Choose the organisation this survey belongs to.")
                .into_response()
        }
    };
    let title = match check_title(form.raw("title")) {
        Ok(t) => t,
        Err(m) => {
            let fb = Feedback {
                form: super::staff::CREATE_FORM.into(),
                values: form,
                summary: None,
                fields: vec![("title".into(), m)],
            };
            return rerender_page(
                state,
                parts,
                Some("/staff"),
                fb,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match store::create(&state.db, organisation_id, &title, Some(user.id)).await {
        Ok(id) => see_other(&format!("/staff/surveys/{id}")),
        Err(e) => e.into_response(),
    }
}

enum Outcome {
    Done(String),
    Refused {
        form: String,
        fields: Vec<(String, String)>,
        summary: Option<String>,
    },
}

fn refused(form: &str, summary: impl Into<String>) -> Outcome {
    Outcome::Refused {
        form: form.into(),
        fields: vec![],
        summary: Some(summary.into()),
    }
}

/// POST /staff/surveys/{id}: every builder action, named by the `action` field.
pub async fn builder(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request<Body>,
) -> Response {
    let user = match viewer(&req) {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let owned = match store::by_id(&state.db, id).await {
        Ok(Some(o)) if user.may_manage_surveys_of(o.organisation_id) => o,
        Ok(_) => return AppError::NotFound.into_response(),
        Err(e) => return e.into_response(),
    };
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let (db, page) = (state.db.clone(), format!("/staff/surveys/{id}"));
    once(&db, &form.clone(), &page, || async move {
        match act(&state, &user, &owned, &form).await {
            Ok(Outcome::Done(location)) => see_other(&location),
            Ok(Outcome::Refused {
                form: which,
                fields,
                summary,
            }) => {
                let fb = Feedback {
                    form: which,
                    values: form,
                    summary,
                    fields,
                };
                rerender_builder(state, parts, fb).await
            }
            Err(e) => e.into_response(),
        }
    })
    .await
}

async fn rerender_builder(state: AppState, parts: Parts, fb: Feedback) -> Response {
    rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn act(
    state: &AppState,
    user: &StaffUser,
    owned: &OwnedSurvey,
    form: &FormValues,
) -> Result<Outcome, AppError> {
    let db = &state.db;
    let s = &owned.form;
    let here = format!("/staff/surveys/{}", s.id);
    let question = || {
        form.value("question")
            .and_then(|q| q.parse::<i64>().ok())
            .and_then(|qid| s.questions.iter().find(|q| q.id == qid))
            .ok_or(AppError::NotFound)
    };
    match form.value("action").unwrap_or("") {
        "details" => match parse_details(form) {
            Err(fields) => Ok(Outcome::Refused {
                form: "details".into(),
                fields,
                summary: None,
            }),
            Ok(d) => {
                store::update_details(
                    db,
                    s.id,
                    Details {
                        title: &d.title,
                        intro: &d.intro,
                        age_bands: &d.age_bands,
                        tags: &d.tags,
                        closes_on: d.closes_on.as_deref(),
                        ask_about_you: d.ask_about_you,
                    },
                )
                .await?;
                Ok(Outcome::Done(here))
            }
        },
        "add_question" => {
            if let Err(e) = check_structure_change(s.status) {
                return Ok(refused("add_question", e.to_string()));
            }
            if s.questions.len() >= MAX_QUESTIONS {
                return Ok(refused(
                    "add_question",
                    format!("A survey can have at most {MAX_QUESTIONS} questions."),
                ));
            }
            match parse_question(form, None) {
                Err(fields) => Ok(Outcome::Refused {
                    form: "add_question".into(),
                    fields,
                    summary: None,
                }),
                Ok(q) => {
                    let qid = store::add_question(db, s.id, &q).await?;
                    Ok(Outcome::Done(format!("{here}#question-{qid}")))
                }
            }
        }
        "edit_question" => {
            let before = question()?;
            let which = format!("question-{}", before.id);
            match parse_question(form, Some(before)) {
                Err(fields) => Ok(Outcome::Refused {
                    form: which,
                    fields,
                    summary: None,
                }),
                Ok(after) => {
                    if let Err(e) = check_question_edit(s.status, before, &after) {
                        return Ok(refused(&which, e.to_string()));
                    }
                    store::update_question(db, s.id, &after).await?;
                    Ok(Outcome::Done(format!("{here}#{which}")))
                }
            }
        }
        "delete_question" => {
            let q = question()?;
            if let Err(e) = check_structure_change(s.status) {
                return Ok(refused(&format!("question-{}", q.id), e.to_string()));
            }
            store::delete_question(db, s.id, q.id).await?;
            Ok(Outcome::Done(here))
        }
        "move" => {
            let q = question()?;
            let mut order: Vec<i64> = s.questions.iter().map(|q| q.id).collect();
            let Some(i) = order.iter().position(|id| *id == q.id) else {
                return Err(AppError::NotFound);
            };
            match form.value("direction") {
                Some("up") if i > 0 => order.swap(i, i - 1),
                Some("down") if i + 1 < order.len() => order.swap(i, i + 1),
                Some("up" | "down") => {}
                _ => return Err(AppError::invalid("Choose to move the question up or down.")),
            }
            store::reorder(db, s.id, &order).await?;
            Ok(Outcome::Done(format!("{here}#question-{}", q.id)))
        }
        "status" => {
            let to = form.value("to").and_then(SurveyStatus::parse);
            match (s.status, to) {
                (SurveyStatus::Draft | SurveyStatus::Closed, Some(SurveyStatus::Open)) => {
                    if s.questions.is_empty() {
                        return Ok(refused("status", "Add at least one question before opening the survey."));
                    }
                    store::set_status(db, s.id, SurveyStatus::Open).await?;
                    Ok(Outcome::Done(here))
                }
                (SurveyStatus::Open, Some(SurveyStatus::Closed)) => {
                    store::set_status(db, s.id, SurveyStatus::Closed).await?;
                    Ok(Outcome::Done(here))
                }
                _ => Ok(refused("status", "That change of status isn't possible. Open surveys can be closed; drafts and closed surveys can be opened.")),
            }
        }
        "duplicate" => {
            let new_id = store::duplicate(db, owned, Some(user.id)).await?;
            Ok(Outcome::Done(format!("/staff/surveys/{new_id}")))
        }
        _ => Err(AppError::invalid(
            "That request wasn't in the form we expected.",
        )),
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
