//! Posts and downloads on the staff side of services.

use super::staff::{ServiceAction, FORM};
use super::{store, Kind, ServiceFields};
use crate::accounts::viewer::Staff;
use crate::accounts::StaffUser;
use crate::error::AppError;
use crate::forms::ssr::{once, render_with, rerender, see_other, FormPost};
use crate::forms::ImportOutcome;
use crate::forms::{Feedback, FormValues};
use crate::outcomes::Outcome;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, Request, StatusCode};
use axum::response::{IntoResponse, Response};

fn fields_of(form: &FormValues) -> ServiceFields {
    ServiceFields {
        name: form.raw("name").to_string(),
        kind: Kind::parse(form.raw("kind")),
        area_code: form.raw("area").to_string(),
        outcomes: Outcome::parse_list(&form.values("outcomes").join(",")),
        description: form.raw("description").to_string(),
        contact: form.raw("contact").to_string(),
        website: Some(form.raw("website").to_string()),
    }
}

async fn active_areas(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(crate::areas::store::active(&state.db)
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect())
}

/// The form again with every problem beside its field.
fn refused(form: FormValues, problems: Vec<(&'static str, String)>) -> Feedback {
    Feedback {
        form: FORM.into(),
        values: form,
        summary: Some(crate::copy::FIX_THE_PROBLEMS.into()),
        fields: problems
            .into_iter()
            .map(|(f, m)| (f.to_string(), m))
            .collect(),
    }
}

/// The organisation a new service belongs to: the member's own, or for an
/// administrator the one they chose.
fn owner_of_new(user: &StaffUser, form: &FormValues) -> Result<i64, AppError> {
    if user.may_import_services() {
        return form
            .raw("organisation")
            .parse::<i64>()
            .map_err(|_| AppError::invalid("Choose the organisation that runs the service."));
    }
    match user.organisation_id {
        Some(org) if user.may_manage_services_of(org) => Ok(org),
        _ => Err(AppError::Forbidden),
    }
}

/// POST /staff/services: add a service.
pub async fn create(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    if ServiceAction::of(&form) != Some(ServiceAction::Add) {
        return Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST));
    }
    let organisation_id = owner_of_new(&user, &form)?;
    if !user.may_manage_services_of(organisation_id) {
        return Err(AppError::Forbidden);
    }
    let areas = active_areas(&state).await?;
    let fields = match fields_of(&form).check(&|a| areas.iter().any(|x| x == a)) {
        Ok(f) => f,
        Err(problems) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(rerender(state, parts, refused(form, problems), status).await);
        }
    };
    let db = state.db.clone();
    Ok(once(&db, &form.clone(), "/staff/services", || async move {
        match store::create(
            &state.db,
            organisation_id,
            &fields,
            crate::audit::store::Actor::Staff(&user),
        )
        .await
        {
            Ok(id) => see_other(&format!("/staff/services/{id}")),
            Err(AppError::Invalid(m)) => {
                let fb = refused(form, vec![("name", m)]);
                rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(e) => e.into_response(),
        }
    })
    .await)
}

/// POST /staff/services/{id}: save details, take it down, list it again.
pub async fn update(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    super::access::manageable(&state.db, &user, id).await?;
    let back = format!("/staff/services/{id}");
    match ServiceAction::of(&form) {
        Some(ServiceAction::Save) => {
            let areas = active_areas(&state).await?;
            let fields = match fields_of(&form).check(&|a| areas.iter().any(|x| x == a)) {
                Ok(f) => f,
                Err(problems) => {
                    let status = StatusCode::UNPROCESSABLE_ENTITY;
                    return Ok(rerender(state, parts, refused(form, problems), status).await);
                }
            };
            match store::update(&state.db, id, &fields, &user).await {
                Ok(()) => Ok(see_other(&back)),
                Err(AppError::Invalid(m)) => {
                    let fb = refused(form, vec![("name", m)]);
                    Ok(rerender(state, parts, fb, StatusCode::UNPROCESSABLE_ENTITY).await)
                }
                Err(e) => Err(e),
            }
        }
        Some(a @ (ServiceAction::Retire | ServiceAction::Restore)) => {
            store::set_active(
                &state.db,
                id,
                a == ServiceAction::Restore,
                crate::audit::store::Actor::Staff(&user),
            )
            .await?;
            Ok(see_other(&back))
        }
        _ => Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST)),
    }
}

/// POST /staff/services/import: administrators add a list from a CSV file,
/// every row or none.
pub async fn import(
    State(state): State<AppState>,
    Staff(user): Staff,
    req: Request<Body>,
) -> Result<Response, AppError> {
    if !user.may_import_services() {
        return Err(AppError::Forbidden);
    }
    let (parts, text) = crate::forms::ssr::uploaded_text(req).await?;
    let page = Some("/staff/services/import");
    let outcome = match text {
        Err(refused) => refused,
        Ok(text) => checked_import(&state, &user, &text).await?,
    };
    let status = match outcome {
        ImportOutcome::Added(_) => StatusCode::OK,
        ImportOutcome::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(render_with(state, parts, page, outcome, status).await)
}

async fn checked_import(
    state: &AppState,
    user: &StaffUser,
    text: &str,
) -> Result<ImportOutcome, AppError> {
    let (rows, mut problems) = super::import::read(text);
    let areas = active_areas(state).await?;
    let organisations = crate::organisations::store::organisations(&state.db).await?;
    let mut ready = Vec::with_capacity(rows.len());
    for row in rows {
        let org = organisations
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(&row.organisation));
        if org.is_none() {
            problems.push(format!(
                "Row {}: heard has no organisation called \u{201c}{}\u{201d}.",
                row.line, row.organisation
            ));
        }
        match row.fields.check(&|a| areas.iter().any(|x| x == a)) {
            Ok(fields) => {
                if let Some(org) = org {
                    ready.push((row.line, org.id, fields));
                }
            }
            Err(found) => problems.extend(
                found
                    .into_iter()
                    .map(|(_, m)| format!("Row {}: {m}", row.line)),
            ),
        }
    }
    // Two rows of one organisation with one name would be refused by the
    // database half-way: named here, with both rows.
    for (i, (line, org, f)) in ready.iter().enumerate() {
        let folded = super::search::fold(&f.name);
        if let Some((first, ..)) = ready[..i]
            .iter()
            .find(|(_, o, g)| o == org && super::search::fold(&g.name) == folded)
        {
            problems.push(format!("Row {line}: the same service as row {first}."));
        }
    }
    // Names already taken in the database, found before anything is written.
    for (line, org, f) in &ready {
        if store::name_in_use(&state.db, *org, &f.name).await? {
            problems.push(format!("Row {line}: {}", store::name_taken(&f.name)));
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| row_of(p));
        problems.truncate(crate::forms::PROBLEMS_SHOWN);
        return Ok(ImportOutcome::Refused(problems));
    }
    Ok(match store::import(&state.db, &ready, user).await? {
        Ok(n) => ImportOutcome::Added(n),
        Err((line, m)) => ImportOutcome::Refused(vec![format!("Row {line}: {m}")]),
    })
}

/// The row a problem names ("Row 12: …"), for listing them in file order.
fn row_of(problem: &str) -> usize {
    problem
        .strip_prefix("Row ")
        .and_then(|p| p.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Ratings read from the database per step of a download.
const EXPORT_STEP: i64 = 500;

/// GET /staff/services/{id}/ratings.csv: every rating and comment, oldest
/// first, streamed a step at a time.
pub async fn export(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let service = super::access::readable(&state.db, &user, id).await?;
    let mut tx = state.db.write().await?;
    crate::audit::store::record_about(
        &mut tx,
        crate::audit::store::Actor::Staff(&user),
        crate::audit::AuditAction::Exported,
        crate::audit::store::Subject::Service(id),
        "ratings (csv)",
    )
    .await?;
    tx.commit().await?;
    let mut header = vec!["Rating", "Date", "Age band"];
    header.extend(super::rating::STATEMENTS);
    header.extend([super::rating::BETTER, "Comment status"]);
    let first = crate::export::CsvFile::new(&header).take();
    let db = state.db.clone();
    let survey_id = service.survey_id;
    let rows = futures::stream::unfold(Some(0i64), move |after| {
        let db = db.clone();
        async move {
            let after = after?;
            match store::ratings(&db, survey_id, after, EXPORT_STEP, false).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let last = rows.last().map(|r| r.id);
                    let mut file = crate::export::CsvFile::bare();
                    for r in rows {
                        let r = super::staff::StaffRating::of(r);
                        let scores: Vec<String> = r
                            .scores
                            .iter()
                            .map(|s| s.map(|n| n.to_string()).unwrap_or_default())
                            .collect();
                        let mut cells = vec![r.id.to_string(), r.day, r.age_band];
                        cells.extend(scores);
                        cells.push(r.comment.unwrap_or_default());
                        cells.push(r.comment_state);
                        file.row(cells.iter().map(String::as_str));
                    }
                    Some((Ok::<_, std::io::Error>(file.take()), last))
                }
                Err(e) => {
                    // The download stops short; the log says why.
                    tracing::error!(error = ?e, "ratings export failed part way");
                    Some((Err(std::io::Error::other("export failed")), None))
                }
            }
        }
    });

    let name = format!("ratings-{}.csv", service.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        crate::export::streamed(first, rows),
    )
        .into_response())
}
