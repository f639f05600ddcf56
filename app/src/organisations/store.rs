//! Organisations in the database.

use super::Organisation;
use crate::db::{now, Db};
use crate::error::AppError;

const COLUMNS: &str = "id, name, kind, area_code";

pub async fn organisation_by_name(db: &Db, name: &str) -> Result<Option<Organisation>, AppError> {
    Ok(sqlx::query_as::<_, Organisation>(&format!(
        "SELECT {COLUMNS} FROM organisations WHERE name = $1"
    ))
    .bind(name.trim())
    .fetch_optional(db.pool())
    .await?)
}

/// Every organisation, by name. Few enough to list in a choice (about 150
/// local authorities' services at most per instance), so not paged.
pub async fn organisations(db: &Db) -> Result<Vec<Organisation>, AppError> {
    Ok(sqlx::query_as::<_, Organisation>(&format!(
        "SELECT {COLUMNS} FROM organisations ORDER BY name"
    ))
    .fetch_all(db.pool())
    .await?)
}

pub async fn create_organisation(
    db: &Db,
    name: &str,
    kind: &str,
    area_code: Option<&str>,
) -> Result<i64, AppError> {
    let name = name.trim();
    let mut tx = db.write().await?;
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid(format!(
            "There is already an organisation called {name}."
        )));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO organisations (name, kind, area_code, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(area_code)
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets the area an organisation works in (commissioners of that area see it).
/// False when there is no such organisation.
pub async fn set_organisation_area(
    db: &Db,
    id: i64,
    area_code: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let changed = sqlx::query("UPDATE organisations SET area_code = $1 WHERE id = $2")
        .bind(area_code)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(changed)
}
