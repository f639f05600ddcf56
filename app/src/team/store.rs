//! Who can sign in for an organisation, as the team page lists them.

use super::TeamMember;
use crate::accounts::Role;
use crate::db::Db;
use crate::error::AppError;
use crate::paging::Page;

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    email: String,
    role: String,
    organisation_id: Option<i64>,
    organisation: Option<String>,
    must_change_password: i64,
    disabled_at: Option<i64>,
}

/// One page of staff accounts, of one organisation or (`None`) all of them,
/// with their areas, access removed or not; and whether there are more.
pub async fn team(
    db: &Db,
    organisation_id: Option<i64>,
    page: Page,
) -> Result<(Vec<TeamMember>, bool), AppError> {
    const SELECT: &str = "SELECT u.id, u.email, u.role, u.organisation_id, o.name AS organisation,
                u.must_change_password, u.disabled_at
         FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id";
    let (limit, offset) = (page.limit(), page.offset());
    let rows: Vec<MemberRow> = match organisation_id {
        Some(org) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE u.organisation_id = $1 ORDER BY u.email LIMIT $2 OFFSET $3"
            ))
            .bind(org)
            .bind(limit)
            .bind(offset)
            .fetch_all(db.pool())
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "{SELECT} ORDER BY o.name, u.email LIMIT $1 OFFSET $2"
            ))
            .bind(limit)
            .bind(offset)
            .fetch_all(db.pool())
            .await?
        }
    };
    let (rows, more) = page.split(rows);
    // The areas of the accounts on this page only.
    let mut areas: Vec<(i64, String)> = Vec::new();
    if !rows.is_empty() {
        let ids: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT user_id, area_code FROM user_areas WHERE user_id IN ({}) ORDER BY area_code",
            ids.join(", ")
        );
        let mut q = sqlx::query_as(&sql);
        for r in &rows {
            q = q.bind(r.id);
        }
        areas = q.fetch_all(db.pool()).await?;
    }
    let members = rows
        .into_iter()
        .filter_map(|r| {
            Some(TeamMember {
                id: r.id,
                role: Role::parse(&r.role)?,
                areas: areas
                    .iter()
                    .filter(|(u, _)| *u == r.id)
                    .map(|(_, a)| a.clone())
                    .collect(),
                email: r.email,
                organisation_id: r.organisation_id,
                organisation: r.organisation,
                waiting_for_first_sign_in: r.must_change_password != 0,
                access_removed: r.disabled_at.is_some(),
            })
        })
        .collect();
    Ok((members, more))
}

/// One account's email, role and organisation, for deciding who may act on it.
pub async fn member(
    db: &Db,
    user_id: i64,
) -> Result<Option<(String, Role, Option<i64>)>, AppError> {
    let row: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT email, role, organisation_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(email, role, org)| Some((email, Role::parse(&role)?, org))))
}
