//! Posts about suggestions: a young person's new idea and their support,
//! the private link's "save to phone" file, and staff moderation.

use super::pages::{JustSent, FORM};
use super::staff::{form_name, IdeaAction};
use super::store::{self, Decision, Found, Stored};
use super::{
    check_status_change, Category, Moderation, NewSuggestion, Status, REASON_LIMIT, REJECT_REASONS,
};
use crate::accounts::handlers::client_address;
use crate::accounts::viewer::Staff;
use crate::copy;
use crate::error::AppError;
use crate::forms::ssr::{
    read_form, render_with, render_with_both, rerender_page, see_other, FormPost,
};
use crate::forms::{is_key, Feedback, FormValues};
use crate::outcomes::Outcome;
use crate::state::AppState;
use crate::surveys::answering::page::HelpFirst;
use crate::surveys::answering::rules::IDEMPOTENCY_FIELD;
use crate::words::risk::RiskList;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};

/// Seconds to wait, rounded up, for a limit's answer.
fn wait_secs(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// POST /ideas: a young person's idea. Refused, it comes back with every
/// word kept; stored, the answer is its private link, shown once (a retry
/// with the same form shows the same link).
pub async fn create(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (parts, form) = match read_form(req).await {
        Ok(read) => read,
        Err(res) => return res,
    };
    let page = Some("/ideas/new");
    let kept = |state: AppState,
                parts,
                form: FormValues,
                message: String,
                status: StatusCode,
                help: bool| async move {
        let feedback = Feedback::message(FORM, form, message);
        if help {
            render_with_both(state, parts, page, feedback, HelpFirst, status).await
        } else {
            rerender_page(state, parts, page, feedback, status).await
        }
    };
    let Some(key) = form
        .value(IDEMPOTENCY_FIELD)
        .filter(|k| is_key(k))
        .map(str::to_string)
    else {
        return (StatusCode::BAD_REQUEST, copy::UNEXPECTED_REQUEST).into_response();
    };
    if let Err(wait) = state
        .answer_limiter
        .check(&client_address(&parts, &state.settings))
    {
        let secs = wait_secs(wait);
        let mut res = kept(
            state,
            parts,
            form,
            copy::too_many_sends(secs),
            StatusCode::TOO_MANY_REQUESTS,
            false,
        )
        .await;
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return res;
    }
    let areas = match store::areas_with_organisations(&state.db).await {
        Ok(a) => a,
        Err(e) => return kept(state, parts, form, e.to_string(), e.status(), false).await,
    };
    let new = NewSuggestion {
        title: form.raw("title").to_string(),
        description: form.raw("description").to_string(),
        category: Category::parse(form.raw("category")),
        area_code: form.raw("area").to_string(),
        outcome: Outcome::parse(form.raw("outcome")),
    };
    let organisation = match store::handling_organisation(&state.db, &new.area_code).await {
        Ok(o) => o,
        Err(e) => return kept(state, parts, form, e.to_string(), e.status(), false).await,
    };
    // The organisation's phrases, or heard's standard list if they can't be read.
    let risks = match organisation {
        Some(org) => state.answering_cache.risks(&state.db, org).await.unwrap_or_else(|e| {
            tracing::warn!(error = ?e, "risk phrases could not be read; screening with the standard list");
            std::sync::Arc::new(RiskList::standard().clone())
        }),
        None => std::sync::Arc::new(RiskList::standard().clone()),
    };
    let checked = new.clone().check(&|a| areas.iter().any(|(c, _)| c == a));
    let (s, organisation_id) = match (checked, organisation) {
        (Ok(s), Some(org)) => (s, org),
        (result, _) => {
            let fields = match result {
                Err(problems) => problems
                    .into_iter()
                    .map(|(f, m)| (f.to_string(), m))
                    .collect(),
                Ok(_) => vec![(
                    "area".to_string(),
                    "Choose the area where it should happen.".to_string(),
                )],
            };
            // Refused, but if the words matched the risk list, help comes first.
            let help = [&new.title, &new.description]
                .iter()
                .any(|t| risks.find(&crate::text::clean(t, true)).is_some());
            let feedback = Feedback {
                form: FORM.into(),
                values: form,
                summary: Some(copy::FIX_THE_PROBLEMS.into()),
                fields,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return if help {
                render_with_both(state, parts, page, feedback, HelpFirst, status).await
            } else {
                rerender_page(state, parts, page, feedback, status).await
            };
        }
    };
    let title = crate::words::screen(&s.title, &risks);
    let description = crate::words::screen(&s.description, &risks);
    let found = Found {
        title: &title,
        description: &description,
    };
    let help = found.risk().is_some();
    let stored = NewSuggestion {
        title: title.redacted.clone(),
        description: description.redacted.clone(),
        ..s
    };
    let code = store::code_for(&state, &key);
    let (key_digest, code_digest) = (
        store::key_digest(&state, &key),
        store::code_digest(&state, &code),
    );
    let content_digest = store::content_digest(&state, &stored);
    let origin = store::Origin {
        key_digest: &key_digest,
        content_digest: &content_digest,
        code_digest: &code_digest,
    };
    match store::create(&state.db, origin, organisation_id, &stored, &found).await {
        Ok(Stored::KeyUsedForOther) => {
            // Someone else's form on a shared phone: their words come back
            // with a fresh key, to be sent as a new idea.
            let mut values = form;
            values.0.remove(IDEMPOTENCY_FIELD);
            kept(
                state,
                parts,
                values,
                copy::IDEA_KEY_ALREADY_USED.to_string(),
                StatusCode::CONFLICT,
                help,
            )
            .await
        }
        Ok(result) => {
            if let Stored::New { items } = &result {
                if !items.is_empty() {
                    crate::safeguarding::notify::new_items(&state, organisation_id);
                }
            }
            let link = format!(
                "{}/my/{code}",
                state.settings.public_url.trim_end_matches('/')
            );
            let at = format!("/my/{code}");
            let mut res = if help {
                render_with_both(
                    state,
                    parts,
                    Some(&at),
                    JustSent { link },
                    HelpFirst,
                    StatusCode::OK,
                )
                .await
            } else {
                render_with(state, parts, Some(&at), JustSent { link }, StatusCode::OK).await
            };
            // The link is in this page only: not kept by the browser or a proxy.
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => kept(state, parts, form, e.to_string(), e.status(), help).await,
    }
}

/// POST /ideas/{ref}/support: once per phone.
pub async fn support(
    State(state): State<AppState>,
    Path(public_ref): Path<String>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    let (parts, _) = req.into_parts();
    let s = store::by_ref(&state.db, &public_ref)
        .await?
        .ok_or(AppError::NotFound)?;
    if s.view.moderation != Moderation::Approved {
        return Err(AppError::NotFound);
    }
    let phone = crate::phone::Phone::of(&state, &parts);
    let limited = state
        .answer_limiter
        .check(&client_address(&parts, &state.settings))
        .and_then(|()| phone.check_limits(&state, &parts));
    if let Err(wait) = limited {
        return Err(AppError::TooMany(copy::too_many_sends(wait_secs(wait))));
    }
    // Supported already, here or in an idea since joined with this one.
    let marks =
        store::support_marks(&state.db, s.id, |subject| phone.digest(&state, subject)).await?;
    if store::supported_any(&state.db, &marks).await? {
        // The page says "You support this idea".
        let mut res = see_other(&format!("/ideas/{public_ref}"));
        phone.set_on(&mut res);
        return Ok(res);
    }
    let subject = store::support_subject(s.id);
    let digest = phone.digest(&state, &subject);
    let once = crate::phone::Once {
        subject: &subject,
        phone: &digest,
        until: i64::MAX,
    };
    // A second support from the same phone changes nothing and says so
    // on the page ("You support this idea").
    store::support(&state.db, s.id, once).await?;
    let mut res = see_other(&format!("/ideas/{public_ref}?supported=1"));
    phone.set_on(&mut res);
    Ok(res)
}

/// GET /my/{code}/save: the private link as a small text file to keep.
pub async fn save_link(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    if !is_key(&code) {
        return Err(AppError::NotFound);
    }
    let s = store::by_code(&state.db, &store::code_digest(&state, &code))
        .await?
        .ok_or(AppError::NotFound)?;
    let link = format!(
        "{}/my/{code}",
        state.settings.public_url.trim_end_matches('/')
    );
    let text = format!(
        "Your idea on heard: {}\r\nYour private link (keep it to yourself): {link}\r\nOpen it to see if your idea was checked, and any reply.\r\n",
        s.view.title
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-heard-idea.txt\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response())
}

/// POST /staff/suggestions: approve, reject, join, or say where it stands.
pub async fn moderate(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    let action =
        IdeaAction::of(&form).ok_or_else(|| AppError::invalid(copy::UNEXPECTED_REQUEST))?;
    let areas = store::moderation_areas(&state.db, &user).await?;
    if areas.as_ref().is_some_and(|a| a.is_empty()) {
        return Err(AppError::Forbidden);
    }
    let public_ref = form.raw("idea").to_string();
    // Beyond their areas, or with the safeguarding lead: as if not there.
    let s = match store::by_ref(&state.db, &public_ref).await? {
        Some(s) if store::covers(&areas, &s.area_code) && !s.at_risk => s,
        _ => return Err(AppError::NotFound),
    };
    let back = |approved: bool| {
        let show = if approved { "?show=approved" } else { "" };
        see_other(&format!("/staff/suggestions{show}#idea-{public_ref}"))
    };
    let page = if s.view.moderation == Moderation::Approved {
        "/staff/suggestions?show=approved"
    } else {
        "/staff/suggestions"
    };
    let problem =
        |message: String| Feedback::message(&form_name(&public_ref), form.clone(), message);
    let refuse = |message: String, status: StatusCode| {
        let (state, parts, fb) = (state.clone(), parts.clone(), problem(message));
        async move { Ok(rerender_page(state, parts, Some(page), fb, status).await) }
    };
    let stale = "Someone else changed this suggestion just now: here is how it stands.".to_string();
    match action {
        IdeaAction::Approve | IdeaAction::Reject => {
            let decision = if action == IdeaAction::Approve {
                Decision::Approve
            } else {
                let reason = match form.raw("reason_choice") {
                    "own" => crate::text::clean_line(form.raw("reason")),
                    i => match i.parse::<usize>().ok().and_then(|i| REJECT_REASONS.get(i)) {
                        Some(r) => r.to_string(),
                        None => String::new(),
                    },
                };
                let len = crate::text::visible_len(&reason);
                if len == 0 || len > REASON_LIMIT {
                    return refuse(
                        format!(
                            "Give the young person a kind reason, up to {REASON_LIMIT} characters."
                        ),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await;
                }
                return match store::decide(
                    &state.db,
                    s.id,
                    &user,
                    Decision::Reject { reason: &reason },
                )
                .await?
                {
                    true => Ok(back(false)),
                    false => refuse(stale, StatusCode::CONFLICT).await,
                };
            };
            match store::decide(&state.db, s.id, &user, decision).await? {
                true => Ok(back(false)),
                false => refuse(stale, StatusCode::CONFLICT).await,
            }
        }
        IdeaAction::Merge => {
            let into = match store::by_ref(&state.db, form.raw("into")).await? {
                Some(t)
                    if t.view.moderation == Moderation::Approved
                        && t.id != s.id
                        && store::covers(&areas, &t.area_code) =>
                {
                    t
                }
                _ => {
                    return refuse(
                        "Choose an approved idea to join it with.".into(),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
            };
            match store::decide(&state.db, s.id, &user, Decision::Merge { into: into.id }).await? {
                true => Ok(back(s.view.moderation == Moderation::Approved)),
                false => refuse(stale, StatusCode::CONFLICT).await,
            }
        }
        IdeaAction::Status => {
            if s.view.moderation != Moderation::Approved {
                return refuse(
                    "Approve the suggestion first.".into(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            let from = Status::parse(form.raw("from")).unwrap_or(s.view.status);
            let (to, note) = match check_status_change(
                from,
                Status::parse(form.raw("status")),
                form.raw("note"),
            ) {
                Ok(ok) => ok,
                Err(m) => return refuse(m, StatusCode::UNPROCESSABLE_ENTITY).await,
            };
            match store::change_status(&state.db, s.id, from, to, &note, &user).await? {
                true => Ok(back(true)),
                false => refuse(stale, StatusCode::CONFLICT).await,
            }
        }
    }
}
