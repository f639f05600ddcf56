use super::{store, AreaCode, NAME_LIMIT};
use crate::accounts::pages::Viewer;
use crate::error::AppError;
use crate::forms::ssr::{read_form, rerender, see_other};
use crate::forms::Feedback;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn post(State(state): State<AppState>, req: Request<Body>) -> Response {
    let user = req.extensions().get::<Viewer>().and_then(|v| v.0.clone());
    match user {
        None => return AppError::NotSignedIn.into_response(),
        Some(u) if !u.may_edit_areas() => return AppError::Forbidden.into_response(),
        Some(_) => {}
    }
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let fail = |message: String| Feedback::message("areas", form.clone(), message);
    let code = match AreaCode::parse(form.raw("code")) {
        Ok(c) => c,
        Err(m) => return rerender(state, parts, fail(m), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let result = match form.value("action") {
        Some("save") => {
            let name = form.value("name").unwrap_or("");
            if name.is_empty() || name.chars().count() > NAME_LIMIT {
                let m = format!("Give the area a name of up to {NAME_LIMIT} characters.");
                return rerender(state, parts, fail(m), StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            store::save(&state.db, &code, name).await
        }
        Some(a @ ("retire" | "restore")) => {
            match store::set_active(&state.db, &code, a == "restore").await {
                Ok(true) => Ok(()),
                Ok(false) => Err(AppError::NotFound),
                Err(e) => Err(e),
            }
        }
        _ => Err(AppError::invalid(
            "That request wasn't in the form we expected.",
        )),
    };
    match result {
        Ok(()) => see_other("/staff/areas"),
        Err(e) => e.into_response(),
    }
}
