//! POST /staff/team: add a colleague, give out a new one-time password,
//! remove or give back access.

use super::{check_new_member, Issued, ADD_FORM, MEMBER_FORM};
use crate::accounts::pages::Viewer;
use crate::accounts::store::{self, NewPassword, NewUser};
use crate::accounts::{password, Role, StaffUser};
use crate::audit::store::Actor;
use crate::db::now;
use crate::error::AppError;
use crate::forms::ssr::{read_form, render_with, rerender, see_other};
use crate::forms::{Feedback, FormValues};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{request::Parts, Request, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn post(State(state): State<AppState>, req: Request<Body>) -> Response {
    let me = match req.extensions().get::<Viewer>().and_then(|v| v.0.clone()) {
        None => return AppError::NotSignedIn.into_response(),
        Some(u) if !u.may_manage_team() => return AppError::Forbidden.into_response(),
        Some(u) => u,
    };
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let result = match form.value("action") {
        Some("add") => return add(state, parts, form, &me).await,
        Some(action @ ("reset" | "remove" | "restore")) => {
            match member_in_reach(&state, &form, &me).await {
                Ok((_, _, role))
                    if action == "reset" && !me.may_give_one_time_password_to(role) =>
                {
                    Err(AppError::Forbidden)
                }
                Ok((id, email, _)) if action == "reset" => {
                    return reset(state, parts, &me, id, email).await;
                }
                Ok((id, _, _)) => store::set_access(&state.db, id, action == "restore", &me).await,
                Err(e) => Err(e),
            }
        }
        _ => Err(AppError::invalid(
            "That request wasn't in the form we expected.",
        )),
    };
    match result {
        Ok(()) => see_other("/staff/team"),
        Err(AppError::Invalid(m)) => {
            let fb = Feedback::message(MEMBER_FORM, form, m);
            rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => e.into_response(),
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
        .ok_or_else(|| AppError::invalid("That request wasn't in the form we expected."))?;
    if id == me.id {
        return Err(AppError::invalid(
            "You can't change your own access here. To change your password, use the Password page.",
        ));
    }
    match store::member(&state.db, id).await? {
        Some((email, role, org)) if me.may_manage_member(id, role, org) => Ok((id, email, role)),
        _ => Err(AppError::NotFound),
    }
}

async fn add(state: AppState, parts: Parts, form: FormValues, me: &StaffUser) -> Response {
    let organisations: Vec<i64> = match store::organisations(&state.db).await {
        Ok(list) => list.into_iter().map(|o| o.id).collect(),
        Err(e) => return e.into_response(),
    };
    let areas: Vec<String> = match crate::areas::store::active(&state.db).await {
        Ok(list) => list.into_iter().map(|a| a.code).collect(),
        Err(e) => return e.into_response(),
    };
    let fail = |fields: Vec<(String, String)>| Feedback {
        form: ADD_FORM.into(),
        values: form.clone(),
        summary: None,
        fields,
    };
    let new = match check_new_member(&form, me, &organisations, &areas) {
        Ok(n) => n,
        Err(fields) => {
            return rerender(state, parts, fail(fields), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let one_time = password::one_time();
    let hash = match state.password_gate.hash(one_time.clone()).await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    let created = store::create_user(
        &state.db,
        NewUser {
            email: &new.email,
            role: new.role,
            organisation_id: new.organisation_id,
            areas: &new.areas,
            password: &hash,
            one_time_until: Some(one_time_until()),
            by: Actor::Staff(me),
        },
    )
    .await;
    match created {
        Ok(_) => show_once(state, parts, new.email, one_time).await,
        Err(AppError::Invalid(m)) => {
            let fb = fail(vec![("email".into(), m)]);
            rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => e.into_response(),
    }
}

/// When a one-time password given out now stops working.
fn one_time_until() -> i64 {
    now() + password::ONE_TIME_DAYS * 24 * 60 * 60
}

async fn reset(state: AppState, parts: Parts, me: &StaffUser, id: i64, email: String) -> Response {
    let one_time = password::one_time();
    let until = one_time_until();
    let saved = match state.password_gate.hash(one_time.clone()).await {
        Ok(hash) => {
            store::set_password(&state.db, id, &hash, NewPassword::OneTime { by: me, until }).await
        }
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => show_once(state, parts, email, one_time).await,
        Err(e) => e.into_response(),
    }
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
