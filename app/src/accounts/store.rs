//! Staff accounts in the database: who they are, their passwords, their
//! access and their sign-in failures.

use super::password::PasswordHash;
use super::{Email, Role, StaffUser};
use crate::audit::store::{record, Actor};
use crate::audit::AuditAction;
use crate::db::{now, Db};
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    email: String,
    role: String,
    organisation_id: Option<i64>,
    organisation: Option<String>,
    must_change_password: i64,
}

pub async fn load_staff(db: &Db, user_id: i64) -> Result<Option<StaffUser>, AppError> {
    let row: Option<StaffRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.role, u.organisation_id, o.name AS organisation, u.must_change_password
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
         WHERE u.id = $1 AND u.disabled_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(StaffRow {
        id,
        email,
        role,
        organisation_id,
        organisation,
        must_change_password: must_change,
    }) = row
    else {
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

/// What signing in checks for one account.
pub struct Credentials {
    pub user_id: i64,
    pub hash: PasswordHash,
    /// A one-time password stops working at this time.
    pub expires_at: Option<i64>,
}

/// The credentials for an email, if there is such an account and its access
/// has not been removed.
pub async fn credentials(db: &Db, email: &str) -> Result<Option<Credentials>, AppError> {
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, password_hash, password_expires_at FROM users WHERE email = $1 AND disabled_at IS NULL",
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(user_id, h, expires_at)| Credentials {
        user_id,
        hash: PasswordHash::from_stored(h),
        expires_at,
    }))
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub role: Role,
    pub organisation_id: Option<i64>,
    pub areas: &'a [String],
    pub password: &'a PasswordHash,
    /// The password was made up for them (a one-time password) and stops
    /// working at this time unless they replace it first.
    pub one_time_until: Option<i64>,
    /// Who is adding them, for the audit log.
    pub by: Actor<'a>,
}

pub async fn create_user(db: &Db, user: NewUser<'_>) -> Result<i64, AppError> {
    let email = user.email.as_str();
    let mut tx = db.write().await?;
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
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
    .bind(email)
    .bind(user.password.as_stored())
    .bind(user.role.key())
    .bind(user.organisation_id)
    .bind(now())
    .bind(i64::from(user.one_time_until.is_some()))
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE users SET password_expires_at = $1 WHERE id = $2")
        .bind(user.one_time_until)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for area in user.areas {
        sqlx::query("INSERT INTO user_areas (user_id, area_code) VALUES ($1, $2)")
            .bind(id)
            .bind(area)
            .execute(&mut **tx)
            .await?;
    }
    let detail = format!(
        "{}{}",
        user.role.label(),
        if user.areas.is_empty() {
            String::new()
        } else {
            format!(" for {}", user.areas.join(", "))
        }
    );
    record(&mut tx, user.by, AuditAction::MemberAdded, id, &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Whose password is being set.
pub enum NewPassword<'a> {
    /// Chosen by its owner, signed in with the session whose digest this is:
    /// their other sessions end.
    Chosen {
        by: &'a StaffUser,
        keep_session_digest: &'a str,
    },
    /// A one-time password given out for them `by` someone: every session
    /// ends, and they must choose their own at next sign-in, before `until`.
    OneTime { by: &'a StaffUser, until: i64 },
}

pub async fn set_password(
    db: &Db,
    user_id: i64,
    hash: &PasswordHash,
    kind: NewPassword<'_>,
) -> Result<(), AppError> {
    let (must_change, keep, until, by, action) = match kind {
        NewPassword::Chosen {
            by,
            keep_session_digest,
        } => (
            0,
            keep_session_digest,
            None,
            by,
            AuditAction::PasswordChanged,
        ),
        NewPassword::OneTime { by, until } => {
            (1, "", Some(until), by, AuditAction::OneTimePassword)
        }
    };
    let mut tx = db.write().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, password_expires_at = $3 WHERE id = $4",
    )
    .bind(hash.as_stored())
    .bind(must_change)
    .bind(until)
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    record(&mut tx, Actor::Staff(by), action, user_id, "").await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep)
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

/// Removes (or gives back) an account's access, `by` someone. Removing ends
/// its sessions at once.
pub async fn set_access(
    db: &Db,
    user_id: i64,
    access: bool,
    by: &StaffUser,
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    let action = if access {
        AuditAction::AccessRestored
    } else {
        AuditAction::AccessRemoved
    };
    record(&mut tx, Actor::Staff(by), action, user_id, "").await?;
    sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind((!access).then(now))
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    if !access {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How many times `$1` failed to sign in after `$2`, and the oldest of them.
const COUNT_FAILURES: &str =
    "SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures WHERE key_digest = $1 AND failed_at > $2";

/// Failed sign-ins are kept this long, then cleared.
const KEEP_FAILURES_SECONDS: i64 = 60 * 60;

/// Failed sign-ins for `key_digest` since `since`: how many, and the oldest.
pub async fn sign_in_failures(
    db: &Db,
    key_digest: &str,
    since: i64,
) -> Result<(i64, Option<i64>), AppError> {
    Ok(sqlx::query_as(COUNT_FAILURES)
        .bind(key_digest)
        .bind(since)
        .fetch_one(db.pool())
        .await?)
}

/// Records a failed sign-in at `at` (clearing old ones) and returns the
/// failures for `key_digest` since `since`, this one included.
pub async fn record_sign_in_failure(
    db: &Db,
    key_digest: &str,
    at: i64,
    since: i64,
) -> Result<(i64, Option<i64>), AppError> {
    let mut tx = db.write().await?;
    sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
        .bind(at - KEEP_FAILURES_SECONDS)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO sign_in_failures (key_digest, failed_at) VALUES ($1, $2)")
        .bind(key_digest)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    let counted: (i64, Option<i64>) = sqlx::query_as(COUNT_FAILURES)
        .bind(key_digest)
        .bind(since)
        .fetch_one(&mut **tx)
        .await?;
    tx.commit().await?;
    Ok(counted)
}
