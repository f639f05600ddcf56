//! Form posts for building surveys: a new draft, and the builder's actions.

use super::rules::{check_title, parse_details, parse_question};
use super::store::{self, Details};
use super::BuilderAction;
use crate::accounts::viewer::Staff;
use crate::accounts::StaffUser;
use crate::copy;
use crate::error::AppError;
use crate::forms::ssr::{once, rerender, rerender_page, see_other, FormPost};
use crate::forms::{Feedback, FormValues};
use crate::state::AppState;
use crate::surveys::access;
use crate::surveys::model::{
    check_question_edit, check_structure_change, SurveyStatus, MAX_QUESTIONS,
};
use crate::surveys::store::OwnedSurvey;
use axum::extract::{Path, State};
use axum::http::{request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};

/// POST /staff/surveys: start a new draft.
pub async fn create(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    if !user.may_create_surveys() {
        return Err(AppError::Forbidden);
    }
    let db = state.db.clone();
    Ok(once(&db, &form.clone(), "/staff", || async move {
        create_survey(state, user, parts, form)
            .await
            .unwrap_or_else(IntoResponse::into_response)
    })
    .await)
}

async fn create_survey(
    state: AppState,
    user: StaffUser,
    parts: Parts,
    form: FormValues,
) -> Result<Response, AppError> {
    let organisation_id = match (
        user.organisation_id,
        form.value("organisation_id")
            .and_then(|o| o.parse::<i64>().ok()),
    ) {
        (_, Some(chosen)) if user.may_manage_surveys_of(chosen) => chosen,
        (Some(own), None) => own,
        _ => {
            return Err(AppError::invalid(
                "Choose the organisation this survey belongs to.",
            ))
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
            return Ok(rerender_page(
                state,
                parts,
                Some("/staff"),
                fb,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    let id = store::create(&state.db, organisation_id, &title, Some(user.id)).await?;
    Ok(see_other(&format!("/staff/surveys/{id}")))
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
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    let owned = access::manageable(&state.db, &user, id).await?;
    let action =
        BuilderAction::of(&form).ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    let (db, page) = (state.db.clone(), format!("/staff/surveys/{id}"));
    Ok(once(&db, &form.clone(), &page, || async move {
        let outcome = match act(&state, &user, &owned, action, &form).await {
            // The survey changed between reading it and writing: say so on
            // the form that was posted, with the survey as it is now.
            Err(AppError::Invalid(m)) if m == copy::SURVEY_CHANGED => {
                Ok(refused(&action.form_name(&form), m))
            }
            other => other,
        };
        match outcome {
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
    .await)
}

async fn rerender_builder(state: AppState, parts: Parts, fb: Feedback) -> Response {
    rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn act(
    state: &AppState,
    user: &StaffUser,
    owned: &OwnedSurvey,
    action: BuilderAction,
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
    match action {
        BuilderAction::Details => match parse_details(form) {
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
        BuilderAction::AddQuestion => {
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
                    let qid = store::add_question(db, s.id, s.status, &q).await?;
                    Ok(Outcome::Done(format!("{here}#question-{qid}")))
                }
            }
        }
        BuilderAction::EditQuestion => {
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
                    if crate::feed::store::is_national(db, before.id).await? {
                        if let Err(e) = crate::feed::template::check_national_edit(before, &after) {
                            return Ok(refused(&which, e));
                        }
                    }
                    store::update_question(db, s.id, s.status, &after).await?;
                    Ok(Outcome::Done(format!("{here}#{which}")))
                }
            }
        }
        BuilderAction::DeleteQuestion => {
            let q = question()?;
            if let Err(e) = check_structure_change(s.status) {
                return Ok(refused(&format!("question-{}", q.id), e.to_string()));
            }
            store::delete_question(db, s.id, s.status, q.id).await?;
            Ok(Outcome::Done(here))
        }
        BuilderAction::Move => {
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
        BuilderAction::Status => {
            let to = form.value("to").and_then(SurveyStatus::parse);
            match (s.status, to) {
                (SurveyStatus::Draft | SurveyStatus::Closed, Some(SurveyStatus::Open)) => {
                    if s.questions.is_empty() {
                        return Ok(refused("status", "Add at least one question before opening the survey."));
                    }
                    store::set_status(db, s.id, s.status, SurveyStatus::Open).await?;
                    Ok(Outcome::Done(here))
                }
                (SurveyStatus::Open, Some(SurveyStatus::Closed)) => {
                    store::set_status(db, s.id, s.status, SurveyStatus::Closed).await?;
                    Ok(Outcome::Done(here))
                }
                _ => Ok(refused("status", "That change of status isn't possible. Open surveys can be closed; drafts and closed surveys can be opened.")),
            }
        }
        BuilderAction::Duplicate => {
            let new_id = store::duplicate(db, owned, Some(user.id)).await?;
            Ok(Outcome::Done(format!("/staff/surveys/{new_id}")))
        }
    }
}
