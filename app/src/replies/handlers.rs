//! POST /staff/replies: publish a reply, or take one down.

use super::pages::FORM;
use super::{store, LinkKind, ReplyFields};
use crate::accounts::viewer::Staff;
use crate::error::AppError;
use crate::forms::ssr::{once, rerender, see_other, FormPost};
use crate::forms::Feedback;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub async fn post(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    // Organisation staff who build surveys publish and take down replies.
    let org = user
        .organisation_id
        .filter(|o| user.may_manage_surveys_of(*o))
        .ok_or(AppError::Forbidden)?;
    match form.raw("action") {
        "remove" => {
            let id = form
                .raw("reply")
                .parse::<i64>()
                .map_err(|_| AppError::NotFound)?;
            if store::owner(&state.db, id).await? != Some(org) {
                return Err(AppError::NotFound);
            }
            store::remove(&state.db, id, org, &user).await?;
            Ok(see_other("/staff/replies"))
        }
        "publish" => {
            let fields = ReplyFields {
                said: form.raw("said").to_string(),
                did: form.raw("did").to_string(),
                when: form.raw("when").to_string(),
            };
            let fields = match fields.check() {
                Ok(f) => f,
                Err(problems) => {
                    let feedback = Feedback {
                        form: FORM.into(),
                        values: form,
                        summary: Some(crate::copy::FIX_THE_PROBLEMS.into()),
                        fields: problems
                            .into_iter()
                            .map(|(f, m)| (f.to_string(), m))
                            .collect(),
                    };
                    return Ok(
                        rerender(state, parts, feedback, StatusCode::UNPROCESSABLE_ENTITY).await,
                    );
                }
            };
            // Only what this organisation may link to; anything else is ignored.
            let allowed = store::linkable(&state.db, org).await?;
            let links: Vec<(LinkKind, i64)> = form
                .values("links")
                .iter()
                .filter_map(|v| {
                    let (k, id) = v.split_once(':')?;
                    Some((LinkKind::parse(k)?, id.parse::<i64>().ok()?))
                })
                .filter(|(k, id)| allowed.iter().any(|(ak, aid, _)| ak == k && aid == id))
                .collect();
            let db = state.db.clone();
            Ok(once(&db, &form, "/staff/replies", || async move {
                match store::create(&state.db, org, &user, &fields, &links).await {
                    Ok(_) => see_other("/staff/replies"),
                    Err(e) => e.into_response(),
                }
            })
            .await)
        }
        _ => Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST)),
    }
}
