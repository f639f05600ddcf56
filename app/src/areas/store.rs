use super::{parse_seed, Area, AreaCode};
use crate::db::{Changed, Db};
use crate::error::AppError;

pub async fn all(db: &Db) -> Result<Vec<Area>, AppError> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT code, name, active FROM areas ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, active)| Area {
            code,
            name,
            active: active != 0,
        })
        .collect())
}

pub async fn active(db: &Db) -> Result<Vec<Area>, AppError> {
    Ok(all(db).await?.into_iter().filter(|a| a.active).collect())
}

pub async fn is_active(db: &Db, code: &str) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT active FROM areas WHERE code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some_and(|(a,)| a != 0))
}

/// Adds the area, or renames it if the code is known.
pub async fn save(db: &Db, code: &AreaCode, name: &str) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query(
        "INSERT INTO areas (code, name, active) VALUES ($1, $2, 1) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
    )
    .bind(code.as_str())
    .bind(name)
    .execute(&mut **tx)
    .await?;
    tx.commit().await?;
    // Young people's pages keep the list in memory: tell them it changed.
    db.note_change(Changed::Areas);
    Ok(())
}

pub async fn set_active(db: &Db, code: &AreaCode, active: bool) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let done = sqlx::query("UPDATE areas SET active = $1 WHERE code = $2")
        .bind(i64::from(active))
        .bind(code.as_str())
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    // Young people's pages keep the list in memory: tell them it changed.
    db.note_change(Changed::Areas);
    Ok(done.rows_affected() == 1)
}

/// Loads the shipped list into an empty table; returns how many were added.
pub async fn seed_if_empty(db: &Db, csv: &str) -> Result<usize, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM areas")
        .fetch_one(db.pool())
        .await?;
    if n > 0 {
        return Ok(0);
    }
    let rows = parse_seed(csv);
    let mut tx = db.write().await?;
    for (code, name) in &rows {
        sqlx::query("INSERT INTO areas (code, name, active) VALUES ($1, $2, 1)")
            .bind(code.as_str())
            .bind(name)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    // Young people's pages keep the list in memory: tell them it changed.
    db.note_change(Changed::Areas);
    Ok(rows.len())
}
