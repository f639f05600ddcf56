//! Who may reach a service's staff side, said once for pages, server
//! functions and form handlers. Beyond someone's reach a service is "not
//! found", never "forbidden".

use super::store::{by_id, StoredService};
use crate::accounts::StaffUser;
use crate::db::Db;
use crate::error::AppError;

/// A service whose every rating and comment `viewer` may read: staff of its
/// organisation (as for survey results), and administrators.
pub async fn readable(db: &Db, viewer: &StaffUser, id: i64) -> Result<StoredService, AppError> {
    match by_id(db, id).await? {
        Some(s) if viewer.may_see_results_of(s.organisation_id) => Ok(s),
        _ => Err(AppError::NotFound),
    }
}

/// A service `viewer` may edit and take down.
pub async fn manageable(db: &Db, viewer: &StaffUser, id: i64) -> Result<StoredService, AppError> {
    match by_id(db, id).await? {
        Some(s) if viewer.may_manage_services_of(s.organisation_id) => Ok(s),
        _ => Err(AppError::NotFound),
    }
}
