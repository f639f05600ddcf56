//! Staff accounts and organisations in the database.

use super::password::PasswordHash;
use super::{Organisation, Role, StaffUser};
use crate::db::{now, Db};
use crate::error::AppError;

/// `(id, email, role, organisation_id, organisation name, must change password)`
type StaffRow = (i64, String, String, Option<i64>, Option<String>, i64);

pub async fn load_staff(db: &Db, user_id: i64) -> Result<Option<StaffUser>, AppError> {
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.role, u.organisation_id, o.name, u.must_change_password
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, email, role, organisation_id, organisation, must_change)) = row else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&role) else {
        tracing::error!(user_id = id, "user has an unknown role");
        return Ok(None);
    };
    let areas: Vec<(String,)> =
        sqlx::query_as("SELECT area_code FROM user_areas WHERE user_id = $1 ORDER BY area_code")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    Ok(Some(StaffUser {
        id,
        email,
        role,
        organisation_id,
        organisation,
        areas: areas.into_iter().map(|a| a.0).collect(),
        must_change_password: must_change != 0,
    }))
}

/// The user id and password hash for an email, if there is such an account.
pub async fn credentials(db: &Db, email: &str) -> Result<Option<(i64, PasswordHash)>, AppError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id, h)| (id, PasswordHash::from_stored(h))))
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub areas: &'a [String],
    pub password: &'a PasswordHash,
    /// The password was made up for them (a one-time password).
    pub must_change_password: bool,
}

pub async fn create_user(db: &Db, user: NewUser<'_>) -> Result<i64, AppError> {
    let email = user.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 254 {
        return Err(AppError::invalid(
            "Enter an email address like name@example.org.",
        ));
    }
    let mut tx = db.write().await?;
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_some() {
        return Err(AppError::invalid(format!(
            "There is already an account for {email}."
        )));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (email, password_hash, role, organisation_id, created_at, must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&email)
    .bind(user.password.as_stored())
    .bind(user.role.key())
    .bind(user.organisation_id)
    .bind(now())
    .bind(i64::from(user.must_change_password))
    .fetch_one(&mut **tx)
    .await?;
    for area in user.areas {
        sqlx::query("INSERT INTO user_areas (user_id, area_code) VALUES ($1, $2)")
            .bind(id)
            .bind(area)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Sets a password chosen by its owner and ends their other sessions.
pub async fn set_password(
    db: &Db,
    user_id: i64,
    hash: &PasswordHash,
    keep_session_digest: &str,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
        .bind(hash.as_stored())
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep_session_digest)
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn password_hash(db: &Db, user_id: i64) -> Result<Option<PasswordHash>, AppError> {
    let row: Option<(String,)> = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(h,)| PasswordHash::from_stored(h)))
}

pub async fn organisation_by_name(db: &Db, name: &str) -> Result<Option<Organisation>, AppError> {
    Ok(sqlx::query_as::<_, (i64, String, Option<String>)>(
        "SELECT id, name, area_code FROM organisations WHERE name = $1",
    )
    .bind(name.trim())
    .fetch_optional(db.pool())
    .await?
    .map(|(id, name, area_code)| Organisation {
        id,
        name,
        area_code,
    }))
}

pub async fn organisations(db: &Db) -> Result<Vec<Organisation>, AppError> {
    Ok(sqlx::query_as::<_, (i64, String, Option<String>)>(
        "SELECT id, name, area_code FROM organisations ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|(id, name, area_code)| Organisation {
        id,
        name,
        area_code,
    })
    .collect())
}

pub async fn create_organisation(
    db: &Db,
    name: &str,
    kind: &str,
    area_code: Option<&str>,
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO organisations (name, kind, area_code, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(name.trim())
            .bind(kind)
            .bind(area_code)
            .bind(now())
            .fetch_one(&mut **tx)
            .await?;
    tx.commit().await?;
    Ok(id)
}
