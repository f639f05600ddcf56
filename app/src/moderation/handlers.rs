//! POST /staff/moderation: approve, hide or take more out of one answer.

use super::store::{self, Decision};
use super::{form_name, ModerationAction, ALREADY_DECIDED, QUEUE_FORM, REASON_LIMIT};
use crate::accounts::viewer::Staff;
use crate::copy;
use crate::error::AppError;
use crate::forms::ssr::{once, rerender, see_other, FormPost};
use crate::forms::{Feedback, FormValues};
use crate::state::AppState;
use crate::words::redaction::removes_only;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

const PAGE: &str = "/staff/moderation";

pub async fn post(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost { parts, values }: FormPost,
) -> Result<Response, AppError> {
    let public_ref = values
        .value("answer")
        .map(str::to_string)
        .ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    let action =
        ModerationAction::of(&values).ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    if user.moderation_reach() == crate::accounts::Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    // Answers with the safeguarding lead, or of another organisation, are as
    // if not there: nothing tells which answers are the lead's.
    let answer = match store::moderatable(&state.db, &public_ref).await? {
        Some(a) if user.may_moderate(a.organisation_id) && !a.at_risk => a,
        _ => return Err(AppError::NotFound),
    };
    let answer_id = answer.answer_id;
    let problem = |field: &str, message: String, values: FormValues| Feedback {
        form: form_name(&public_ref),
        values,
        summary: None,
        fields: vec![(field.to_string(), message)],
    };
    // What the moderator saw: a redaction applies to that text only.
    let seen = crate::text::clean(values.raw("seen"), true);
    let reason = crate::text::clean_line(values.raw("reason"));
    let after = crate::text::clean(values.raw("text"), true);
    let decision = match action {
        ModerationAction::Approve => Decision::Approve,
        ModerationAction::Hide => {
            let len = crate::text::visible_len(&reason);
            if reason.is_empty() || len > REASON_LIMIT {
                let m = format!("Give a reason of up to {REASON_LIMIT} characters.");
                let feedback = problem("reason", m, values);
                return Ok(
                    rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await,
                );
            }
            Decision::Hide { reason: &reason }
        }
        ModerationAction::Redact => {
            if !removes_only(&seen, &after) {
                let m = "You can only take words out (or replace them with [removed]); nothing can be added or put back.".to_string();
                let feedback = problem("text", m, values);
                return Ok(
                    rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await,
                );
            }
            Decision::Redact {
                before: &seen,
                after: &after,
            }
        }
    };
    let db = state.db.clone();
    let already = Feedback::message(QUEUE_FORM, values.clone(), ALREADY_DECIDED);
    Ok(once(&db, &values, PAGE, || async {
        match store::decide(&state.db, &user, answer_id, decision).await {
            Ok(true) => see_other(PAGE),
            Ok(false) => rerender(state.clone(), parts, already, StatusCode::CONFLICT).await,
            Err(e) => e.into_response(),
        }
    })
    .await)
}
