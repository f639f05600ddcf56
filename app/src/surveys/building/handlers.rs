//! Form posts for building surveys: a new draft, and the builder's actions.

use super::rules::{check_title, parse_details, parse_question};
use super::store::{self, Details};
use crate::accounts::viewer::Viewer;
use crate::accounts::StaffUser;
use crate::error::AppError;
use crate::forms::ssr::{once, read_form, rerender, rerender_page, see_other};
use crate::forms::{Feedback, FormValues};
use crate::state::AppState;
use crate::surveys::model::{
    check_question_edit, check_structure_change, SurveyStatus, MAX_QUESTIONS,
};
use crate::surveys::store::{self as shared, OwnedSurvey};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{request::Parts, Request, StatusCode};
use axum::response::{IntoResponse, Response};

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
                form: super::list::CREATE_FORM.into(),
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
    let owned = match shared::by_id(&state.db, id).await {
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
