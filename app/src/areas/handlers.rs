use super::{store, AreaAction, AreaCode, NAME_LIMIT};
use crate::accounts::viewer::Staff;
use crate::copy;
use crate::error::AppError;
use crate::forms::ssr::{rerender, see_other, FormPost};
use crate::forms::Feedback;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

pub async fn post(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    if !user.may_edit_areas() {
        return Err(AppError::Forbidden);
    }
    let fail = |message: String| Feedback::message("areas", form.clone(), message);
    let code = match AreaCode::parse(form.raw("code")) {
        Ok(c) => c,
        Err(m) => {
            return Ok(rerender(state, parts, fail(m), StatusCode::UNPROCESSABLE_ENTITY).await)
        }
    };
    let result = match AreaAction::of(&form) {
        Some(AreaAction::Save) => {
            let name = crate::text::clean_line(form.raw("name"));
            let name = name.as_str();
            if name.is_empty() || name.chars().count() > NAME_LIMIT {
                let m = format!("Give the area a name of up to {NAME_LIMIT} characters.");
                return Ok(rerender(state, parts, fail(m), StatusCode::UNPROCESSABLE_ENTITY).await);
            }
            store::save(&state.db, &code, name).await
        }
        Some(a @ (AreaAction::Retire | AreaAction::Restore)) => {
            match store::set_active(&state.db, &code, a == AreaAction::Restore).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(AppError::NotFound),
                Err(e) => Err(e),
            }
        }
        _ => Err(AppError::invalid(copy::UNEXPECTED_REQUEST)),
    };
    result.map(|()| see_other("/staff/areas"))
}
