//! POST /staff/organisations: add an organisation, or set the area one works in.

use super::{check_area, check_new_organisation, ADD_FORM, AREA_FORM};
use crate::accounts::pages::Viewer;
use crate::accounts::store;
use crate::error::AppError;
use crate::forms::ssr::{read_form, rerender, see_other};
use crate::forms::Feedback;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn post(State(state): State<AppState>, req: Request<Body>) -> Response {
    match req.extensions().get::<Viewer>().and_then(|v| v.0.clone()) {
        None => return AppError::NotSignedIn.into_response(),
        Some(u) if !u.may_manage_organisations() => return AppError::Forbidden.into_response(),
        Some(_) => {}
    }
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let areas: Vec<String> = match crate::areas::store::active(&state.db).await {
        Ok(list) => list.into_iter().map(|a| a.code).collect(),
        Err(e) => return e.into_response(),
    };
    let refused = |which: &str, fields: Vec<(String, String)>, summary: Option<String>| Feedback {
        form: which.into(),
        values: form.clone(),
        summary,
        fields,
    };
    let result = match form.value("action") {
        Some("add") => match check_new_organisation(&form, &areas) {
            Err(fields) => Err(refused(ADD_FORM, fields, None)),
            Ok(new) => {
                match store::create_organisation(
                    &state.db,
                    &new.name,
                    new.kind,
                    new.area_code.as_deref(),
                )
                .await
                {
                    Ok(_) => Ok(()),
                    Err(AppError::Invalid(m)) => {
                        Err(refused(ADD_FORM, vec![("name".into(), m)], None))
                    }
                    Err(e) => return e.into_response(),
                }
            }
        },
        Some("area") => {
            let id = form
                .value("organisation_id")
                .and_then(|v| v.parse::<i64>().ok());
            match (id, check_area(&form, &areas)) {
                (Some(id), Ok(area)) => {
                    match store::set_organisation_area(&state.db, id, area.as_deref()).await {
                        Ok(true) => Ok(()),
                        Ok(false) => return AppError::NotFound.into_response(),
                        Err(e) => return e.into_response(),
                    }
                }
                (_, Err(m)) => Err(refused(AREA_FORM, vec![], Some(m))),
                (None, _) => return AppError::NotFound.into_response(),
            }
        }
        _ => {
            return AppError::invalid("That request wasn't in the form we expected.")
                .into_response()
        }
    };
    match result {
        Ok(()) => see_other("/staff/organisations"),
        Err(fb) => rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}
