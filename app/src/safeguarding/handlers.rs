//! Posts from the safeguarding pages: a lead's record on an item, and
//! changes to the risk phrases.

use super::rules::check_update;
use super::{store, PhraseAction, PHRASE_FORM, SAVED_MEANWHILE, UPDATE_FORM};
use crate::accounts::viewer::Staff;
use crate::copy;
use crate::error::AppError;
use crate::forms::ssr::{once, rerender, see_other, FormPost};
use crate::forms::Feedback;
use crate::state::AppState;
use crate::words::risk::{check_phrase, PhraseProblem, PHRASE_MAX};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// POST /staff/safeguarding/{id}: what the lead did, and where it stands.
pub async fn update(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
    FormPost { parts, values }: FormPost,
) -> Result<Response, AppError> {
    if user.safeguarding_reach() == crate::accounts::Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    // Another organisation's item is as if not there.
    match store::item_organisation(&state.db, id).await? {
        Some(org) if user.may_handle_safeguarding_for(org) => {}
        _ => return Err(AppError::NotFound),
    }
    let update = match check_update(&values) {
        Ok(u) => u,
        Err(fields) => {
            let feedback = Feedback {
                form: UPDATE_FORM.into(),
                values,
                summary: None,
                fields,
            };
            return Ok(rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
    };
    let seen = values
        .value("seen")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let page = format!("/staff/safeguarding/{id}");
    let db = state.db.clone();
    let meanwhile = Feedback::message(UPDATE_FORM, values.clone(), SAVED_MEANWHILE);
    Ok(once(&db, &values, &page, || async {
        match store::update(&state.db, &user, id, seen, &update).await {
            Ok(true) => see_other(&format!("{page}?saved")),
            Ok(false) => rerender(state.clone(), parts, meanwhile, StatusCode::CONFLICT).await,
            Err(e) => e.into_response(),
        }
    })
    .await)
}

fn phrase_message(problem: PhraseProblem) -> String {
    match problem {
        PhraseProblem::Empty => "Type the word or phrase to add.".into(),
        PhraseProblem::TooLong => format!("A phrase can be up to {PHRASE_MAX} characters."),
        PhraseProblem::NoLetterOrDigit => {
            "That phrase cannot be matched: use letters or numbers.".into()
        }
        PhraseProblem::TooShort => {
            "Use at least two letters or numbers: one on its own would match almost every answer."
                .into()
        }
    }
}

/// POST /staff/safeguarding/phrases: add or remove a phrase. Administrators
/// keep the list for everyone; a safeguarding lead keeps their organisation's.
pub async fn phrases(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost { parts, values }: FormPost,
) -> Result<Response, AppError> {
    let page = "/staff/safeguarding/phrases";
    let lead_of = user.safeguarding_lead_of();
    let whose = match PhraseAction::of(&values) {
        Some(PhraseAction::AddForEveryone) if user.may_add_risk_phrases_for_everyone() => None,
        Some(PhraseAction::AddForOrganisation) if lead_of.is_some() => lead_of,
        Some(PhraseAction::Remove) => {
            let id = values
                .value("id")
                .and_then(|i| i.parse::<i64>().ok())
                .ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
            let allowed = match store::phrase_owner(&state.db, id).await? {
                None => return Ok(see_other(page)),
                Some(None) => user.may_add_risk_phrases_for_everyone(),
                Some(Some(org)) => lead_of == Some(org),
            };
            if !allowed {
                return Err(AppError::Forbidden);
            }
            store::remove_phrase(&state.db, &user, id).await?;
            return Ok(see_other(page));
        }
        Some(_) => return Err(AppError::Forbidden),
        None => return Err(AppError::invalid(copy::UNEXPECTED_REQUEST)),
    };
    let phrase = match check_phrase(values.raw("phrase")) {
        Ok(p) => p,
        Err(problem) => {
            let feedback = Feedback {
                form: PHRASE_FORM.into(),
                values,
                summary: None,
                fields: vec![("phrase".into(), phrase_message(problem))],
            };
            return Ok(rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
    };
    let db = state.db.clone();
    Ok(once(&db, &values, page, || async {
        match store::add_phrase(&state.db, &user, whose, &phrase).await {
            Ok(_) => see_other(page),
            Err(e) => e.into_response(),
        }
    })
    .await)
}
