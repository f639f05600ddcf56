//! POST /staff/team: add a colleague, give out a new one-time password,
//! remove or give back access.

use super::{check_new_member, Issued, TeamAction, ADD_FORM, MEMBER_FORM};
use crate::accounts::store::{self, NewPassword, NewUser};
use crate::accounts::viewer::Staff;
use crate::accounts::{password, Role, StaffUser};
use crate::audit::store::Actor;
use crate::copy;
use crate::error::AppError;
use crate::forms::ssr::{render_with, rerender, see_other, FormPost};
use crate::forms::{Feedback, FormValues};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{request::Parts, StatusCode};
use axum::response::Response;

pub async fn post(
    State(state): State<AppState>,
    Staff(me): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    if !me.may_manage_team() {
        return Err(AppError::Forbidden);
    }
    let action =
        TeamAction::of(&form).ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    let result = match action {
        TeamAction::Add => return add(state, parts, form, &me).await,
        TeamAction::Reset | TeamAction::Remove | TeamAction::Restore => {
            match member_in_reach(&state, &form, &me).await {
                Ok((_, _, role))
                    if action == TeamAction::Reset && !me.may_give_one_time_password_to(role) =>
                {
                    Err(AppError::Forbidden)
                }
                Ok((id, email, _)) if action == TeamAction::Reset => {
                    return reset(state, parts, &me, id, email).await;
                }
                Ok((id, _, _)) => {
                    store::set_access(&state.db, id, action == TeamAction::Restore, &me).await
                }
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => Ok(see_other("/staff/team")),
        Err(AppError::Invalid(m)) => {
            let fb = Feedback::message(MEMBER_FORM, form, m);
            Ok(rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(e),
    }
}

/// The account named by `user_id`, if `me` may act on it (404 otherwise, so
/// nobody learns which accounts exist beyond their reach).
async fn member_in_reach(
    state: &AppState,
    form: &FormValues,
    me: &StaffUser,
) -> Result<(i64, String, Role), AppError> {
    let id = form
        .value("user_id")
        .and_then(|v| v.parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    if id == me.id {
        return Err(AppError::invalid(
            "You can't change your own access here. To change your password, use the Password page.",
        ));
    }
    match super::store::member(&state.db, id).await? {
        Some((email, role, org)) if me.may_manage_member(id, role, org) => Ok((id, email, role)),
        _ => Err(AppError::NotFound),
    }
}

async fn add(
    state: AppState,
    parts: Parts,
    form: FormValues,
    me: &StaffUser,
) -> Result<Response, AppError> {
    let organisations: Vec<i64> = crate::organisations::store::organisations(&state.db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let areas: Vec<String> = crate::areas::store::active(&state.db)
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let fail = |fields: Vec<(String, String)>| Feedback {
        form: ADD_FORM.into(),
        values: form.clone(),
        summary: None,
        fields,
    };
    let new = match check_new_member(&form, me, &organisations, &areas) {
        Ok(n) => n,
        Err(fields) => {
            let fb = fail(fields);
            return Ok(rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await);
        }
    };
    let one_time = password::one_time();
    let hash = state.password_gate.hash(one_time.clone()).await?;
    let created = store::create_user(
        &state.db,
        NewUser {
            email: &new.email,
            role: new.role,
            organisation_id: new.organisation_id,
            areas: &new.areas,
            password: &hash,
            one_time_until: Some(password::one_time_until()),
            by: Actor::Staff(me),
        },
    )
    .await;
    match created {
        Ok(_) => Ok(show_once(state, parts, new.email.to_string(), one_time).await),
        Err(AppError::Invalid(m)) => {
            let fb = fail(vec![("email".into(), m)]);
            Ok(rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(e),
    }
}

async fn reset(
    state: AppState,
    parts: Parts,
    me: &StaffUser,
    id: i64,
    email: String,
) -> Result<Response, AppError> {
    let one_time = password::one_time();
    let until = password::one_time_until();
    let hash = state.password_gate.hash(one_time.clone()).await?;
    store::set_password(&state.db, id, &hash, NewPassword::OneTime { by: me, until }).await?;
    Ok(show_once(state, parts, email, one_time).await)
}

/// The team page with the new one-time password on it. Not a redirect: the
/// password must not travel in a URL, and a reload asks before posting again.
async fn show_once(state: AppState, parts: Parts, email: String, password: String) -> Response {
    render_with(
        state,
        parts,
        None,
        Issued { email, password },
        StatusCode::OK,
    )
    .await
}
