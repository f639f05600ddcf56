//! POST /staff/organisations: add an organisation, or set the area one works in.

use super::store;
use super::{check_area, check_new_organisation, OrganisationAction, ADD_FORM, AREA_FORM};
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
    if !user.may_manage_organisations() {
        return Err(AppError::Forbidden);
    }
    let areas: Vec<String> = crate::areas::store::active(&state.db)
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let refused = |which: &str, fields: Vec<(String, String)>, summary: Option<String>| Feedback {
        form: which.into(),
        values: form.clone(),
        summary,
        fields,
    };
    let result = match OrganisationAction::of(&form) {
        Some(OrganisationAction::Add) => match check_new_organisation(&form, &areas) {
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
                    Err(e) => return Err(e),
                }
            }
        },
        Some(OrganisationAction::Area) => {
            let id = form
                .value("organisation_id")
                .and_then(|v| v.parse::<i64>().ok());
            match (id, check_area(&form, &areas)) {
                (Some(id), Ok(area)) => {
                    if !store::set_organisation_area(&state.db, id, area.as_deref()).await? {
                        return Err(AppError::NotFound);
                    }
                    Ok(())
                }
                (_, Err(m)) => Err(refused(AREA_FORM, vec![], Some(m))),
                (None, _) => return Err(AppError::NotFound),
            }
        }
        _ => return Err(AppError::invalid(copy::UNEXPECTED_REQUEST)),
    };
    Ok(match result {
        Ok(()) => see_other("/staff/organisations"),
        Err(fb) => rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await,
    })
}
