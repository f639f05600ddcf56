//! Who may reach a survey, said once for pages, server functions and form
//! handlers alike. Surveys beyond someone's reach are "not found", never
//! "forbidden": other organisations' surveys are not even acknowledged.

use super::store::{by_id, OwnedSurvey};
use crate::accounts::StaffUser;
use crate::db::Db;
use crate::error::AppError;

/// The survey `id`, if `may` allows `viewer` near its organisation.
async fn reachable(
    db: &Db,
    viewer: &StaffUser,
    id: i64,
    may: impl Fn(&StaffUser, i64) -> bool,
) -> Result<OwnedSurvey, AppError> {
    match by_id(db, id).await? {
        Some(s) if may(viewer, s.organisation_id) => Ok(s),
        _ => Err(AppError::NotFound),
    }
}

/// A survey `viewer` may build: edit, open, close, duplicate.
/// A service's ratings survey is never built by hand: its questions are the
/// service's four statements.
pub async fn manageable(db: &Db, viewer: &StaffUser, id: i64) -> Result<OwnedSurvey, AppError> {
    match reachable(db, viewer, id, StaffUser::may_manage_surveys_of).await? {
        s if s.service.is_some() => Err(AppError::NotFound),
        s => Ok(s),
    }
}

/// A survey whose organisation's own results `viewer` may read.
pub async fn readable(db: &Db, viewer: &StaffUser, id: i64) -> Result<OwnedSurvey, AppError> {
    reachable(db, viewer, id, StaffUser::may_see_results_of).await
}

/// A survey `viewer` may preview: one they build or whose results they read.
pub async fn previewable(db: &Db, viewer: &StaffUser, id: i64) -> Result<OwnedSurvey, AppError> {
    reachable(db, viewer, id, |v, org| {
        v.may_manage_surveys_of(org) || v.may_see_results_of(org)
    })
    .await
}
