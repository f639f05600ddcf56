//! Who may reach a survey, said once for pages, server functions and form
//! handlers alike. Surveys beyond someone's reach are "not found", never
//! "forbidden": other organisations' surveys are not even acknowledged.

use super::store::{by_id, OwnedSurvey};
use crate::accounts::StaffUser;
use crate::db::Db;
use crate::error::AppError;

/// A survey `viewer` may build: edit, open, close, duplicate.
pub async fn manageable(db: &Db, viewer: &StaffUser, id: i64) -> Result<OwnedSurvey, AppError> {
    match by_id(db, id).await? {
        Some(s) if viewer.may_manage_surveys_of(s.organisation_id) => Ok(s),
        _ => Err(AppError::NotFound),
    }
}

/// A survey whose organisation's own results `viewer` may read.
pub async fn readable(db: &Db, viewer: &StaffUser, id: i64) -> Result<OwnedSurvey, AppError> {
    match by_id(db, id).await? {
        Some(s) if viewer.may_see_results_of(s.organisation_id) => Ok(s),
        _ => Err(AppError::NotFound),
    }
}

/// A survey `viewer` may preview: one they build or whose results they read.
pub async fn previewable(db: &Db, viewer: &StaffUser, id: i64) -> Result<OwnedSurvey, AppError> {
    match by_id(db, id).await? {
        Some(s)
            if viewer.may_manage_surveys_of(s.organisation_id)
                || viewer.may_see_results_of(s.organisation_id) =>
        {
            Ok(s)
        }
        _ => Err(AppError::NotFound),
    }
}
