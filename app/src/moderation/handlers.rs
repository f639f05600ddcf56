//! POST /staff/moderation: approve, hide or take more out of one answer.

use super::store::{self, Decision};
use super::{form_name, ModerationAction, REASON_LIMIT};
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
    let answer_id = values
        .value("answer")
        .and_then(|a| a.parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    let action =
        ModerationAction::of(&values).ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    let Some(answer) = store::moderatable(&state.db, answer_id).await? else {
        return Err(AppError::NotFound);
    };
    // Answers with the safeguarding lead are theirs alone: to anyone else
    // they are as if not there.
    if !user.may_moderate(answer.organisation_id) || answer.at_risk {
        return Err(AppError::Forbidden);
    }
    let problem = |field: &str, message: String, values: FormValues| Feedback {
        form: form_name(answer_id),
        values,
        summary: None,
        fields: vec![(field.to_string(), message)],
    };
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
            if !removes_only(&answer.text, &after) {
                let m = "You can only take words out (or replace them with [removed]); nothing can be added or put back.".to_string();
                let feedback = problem("text", m, values);
                return Ok(
                    rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await,
                );
            }
            Decision::Redact {
                before: &answer.text,
                after: &after,
            }
        }
    };
    let db = state.db.clone();
    Ok(once(&db, &values, PAGE, || async {
        match store::decide(&state.db, &user, answer_id, decision).await {
            Ok(_) => see_other(PAGE),
            Err(e) => e.into_response(),
        }
    })
    .await)
}
