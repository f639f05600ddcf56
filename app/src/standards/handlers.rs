//! Posts about participation standards (start an assessment, load a
//! framework, claim a level, add or remove evidence, upload a document) and
//! the download of a document. Each checks who is calling first
//! ([`crate::accounts::StaffUser::standards_access`]).

use super::documents::{self, Incoming, Refused};
use super::framework::Framework;
use super::pages::{form_name, AssessmentAction, START_FORM};
use super::rules::{self, EvidenceKind};
use super::store::{self, NewEvidence};
use super::Head;
use crate::accounts::viewer::Staff;
use crate::accounts::{StaffUser, StandardsAccess};
use crate::db::Db;
use crate::error::AppError;
use crate::forms::ssr::{once, rerender_page, see_other, FormPost};
use crate::forms::{Feedback, FormValues, ImportOutcome};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};

/// An assessment and what `user` may do with it; not found when they may
/// do nothing (another organisation's assessments are as if not there).
pub async fn reach_assessment(
    db: &Db,
    user: &StaffUser,
    id: i64,
) -> Result<(Head, StandardsAccess), AppError> {
    let head = store::head(db, id).await?.ok_or(AppError::NotFound)?;
    let access = user.standards_access(head.organisation_id, head.area_code.as_deref());
    if access == StandardsAccess::None {
        return Err(AppError::NotFound);
    }
    Ok((head, access))
}

/// [`reach_assessment`] with the framework it was made against.
pub async fn reach_with_framework(
    db: &Db,
    user: &StaffUser,
    id: i64,
) -> Result<(Head, StandardsAccess, Framework), AppError> {
    let (head, access) = reach_assessment(db, user, id).await?;
    let framework = store::framework(db, head.framework_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((head, access, framework))
}

/// POST /staff/standards: start an assessment.
pub async fn start(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    let organisation_id: i64 = form
        .raw("organisation")
        .parse()
        .map_err(|_| AppError::invalid("Choose the organisation to assess."))?;
    let area = store::organisation_area(&state.db, organisation_id)
        .await?
        .ok_or_else(|| AppError::invalid("Choose the organisation to assess."))?;
    if !user
        .standards_access(organisation_id, area.as_deref())
        .may_manage()
    {
        return Err(AppError::Forbidden);
    }
    let refuse = |message: String| {
        let (state, parts) = (state.clone(), parts.clone());
        let fb = Feedback::message(START_FORM, form.clone(), message);
        async move {
            Ok(rerender_page(
                state,
                parts,
                Some("/staff/standards"),
                fb,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
    };
    let framework_id: i64 = form.raw("framework").parse().unwrap_or(0);
    let Some(framework) = store::framework(&state.db, framework_id).await? else {
        return refuse("Choose a framework.".into()).await;
    };
    let title = match rules::check_title(form.raw("title"), "assessment") {
        Ok(t) => t,
        Err(m) => return refuse(m).await,
    };
    let db = state.db.clone();
    Ok(once(&db, &form, "/staff/standards", || async move {
        match store::start(
            &state.db,
            organisation_id,
            framework_id,
            &framework,
            &title,
            &user,
        )
        .await
        {
            Ok(id) => see_other(&format!("/staff/standards/{id}")),
            Err(e) => e.into_response(),
        }
    })
    .await)
}

/// POST /staff/standards/frameworks: load a framework file (administrators).
pub async fn import_framework(
    State(state): State<AppState>,
    Staff(user): Staff,
    req: Request<Body>,
) -> Result<Response, AppError> {
    if !user.may_import_frameworks() {
        return Err(AppError::Forbidden);
    }
    let (parts, text) = crate::forms::ssr::uploaded_text_saying(
        req,
        "Choose a framework file to load.",
        "The file is not plain text in UTF-8: a framework file is JSON text.",
    )
    .await?;
    let outcome = match text {
        Err(refused) => refused,
        Ok(text) => match Framework::parse(&text) {
            Err(problems) => ImportOutcome::Refused(
                problems
                    .into_iter()
                    .take(crate::forms::PROBLEMS_SHOWN)
                    .collect(),
            ),
            Ok(f) => match store::import(&state.db, &f, &text, &user).await? {
                Ok(_) => ImportOutcome::Added(1),
                Err(why) => ImportOutcome::Refused(vec![why]),
            },
        },
    };
    let status = match outcome {
        ImportOutcome::Added(_) => StatusCode::OK,
        ImportOutcome::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(
        crate::forms::ssr::render_with(state, parts, Some("/staff/standards"), outcome, status)
            .await,
    )
}

/// POST /staff/standards/{id}: claim a level, add or remove evidence.
pub async fn post(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
    FormPost {
        parts,
        values: form,
    }: FormPost,
) -> Result<Response, AppError> {
    let action = AssessmentAction::of(&form)
        .ok_or_else(|| AppError::invalid(crate::copy::UNEXPECTED_REQUEST))?;
    let (head, access, framework) = reach_with_framework(&state.db, &user, id).await?;
    let allowed = match action {
        AssessmentAction::Claim
        | AssessmentAction::Panel
        | AssessmentAction::AddAction
        | AssessmentAction::Publish
        | AssessmentAction::Unpublish => access.may_manage(),
        AssessmentAction::Note
        | AssessmentAction::Link
        | AssessmentAction::Survey
        | AssessmentAction::Ideas
        | AssessmentAction::Remove
        | AssessmentAction::UpdateAction
        | AssessmentAction::AddStory => access.may_contribute(),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let page = format!("/staff/standards/{id}");
    if action == AssessmentAction::Panel {
        let claims = store::claims(&state.db, id).await?;
        return Ok(
            match store::open_panel(&state.db, &head, &framework, &claims, &user).await? {
                Ok(_) => see_other(&format!("{page}#panel")),
                Err(why) => {
                    let fb = Feedback::message("panel", form, why);
                    rerender_page(
                        state,
                        parts,
                        Some(&page),
                        fb,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
            },
        );
    }
    if let Some(res) = plan_post(&state, &parts, &user, &head, &framework, action, &form).await? {
        return Ok(res);
    }
    let indicator = form.raw("indicator").to_string();
    if !framework.indicators().any(|(_, i)| i.key == indicator) {
        return Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST));
    }
    let back = see_other(&format!("{page}#ind-{indicator}"));
    let refuse = |what: &str, message: String| {
        let (state, parts, page) = (state.clone(), parts.clone(), page.clone());
        let fb = Feedback::message(&form_name(what, &indicator), form.clone(), message);
        async move {
            Ok(rerender_page(
                state,
                parts,
                Some(&page),
                fb,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
    };
    let evidence =
        |kind: EvidenceKind| -> Result<(String, String, Option<String>, Option<i64>), String> {
            match kind {
                EvidenceKind::Note => Ok((
                    rules::check_title(form.raw("title"), "note")?,
                    rules::check_note(form.raw("note"))?,
                    None,
                    None,
                )),
                EvidenceKind::Link => Ok((
                    rules::check_title(form.raw("title"), "link")?,
                    String::new(),
                    Some(rules::check_link(form.raw("url"))?),
                    None,
                )),
                EvidenceKind::Ideas => Ok((
                    "Ideas young people sent for our area".to_string(),
                    String::new(),
                    None,
                    None,
                )),
                EvidenceKind::Survey | EvidenceKind::Document => Err(String::new()),
            }
        };
    match action {
        AssessmentAction::Claim => {
            let claim = match rules::check_claim(
                &framework,
                &indicator,
                form.raw("level"),
                form.raw("account"),
            ) {
                Ok(c) => c,
                Err(m) => return refuse("claim", m).await,
            };
            let seen = form.raw("seen").parse::<i64>().ok();
            if store::save_claim(&state.db, id, &indicator, &claim, seen, &user).await? {
                return Ok(back);
            }
            let fb = Feedback::message(
                &form_name("claim", &indicator),
                form.clone(),
                "Someone else saved this claim while you were writing: theirs shows above, yours is in the form. Save again to keep yours.",
            );
            Ok(rerender_page(state, parts, Some(&page), fb, StatusCode::CONFLICT).await)
        }
        AssessmentAction::Note
        | AssessmentAction::Link
        | AssessmentAction::Survey
        | AssessmentAction::Ideas => {
            let kind = match action {
                AssessmentAction::Note => EvidenceKind::Note,
                AssessmentAction::Link => EvidenceKind::Link,
                AssessmentAction::Ideas => EvidenceKind::Ideas,
                _ => EvidenceKind::Survey,
            };
            if kind == EvidenceKind::Ideas && head.area_code.is_none() {
                return refuse(
                    "evidence",
                    "Your organisation has no area yet, so heard can't tell which ideas are for you: ask an administrator to set it.".into(),
                )
                .await;
            }
            let (title, note, url, ref_id) = if kind == EvidenceKind::Survey {
                let survey: i64 = form.raw("survey").parse().unwrap_or(0);
                match store::surveys_of(&state.db, head.organisation_id)
                    .await?
                    .into_iter()
                    .find(|(s, _)| *s == survey)
                {
                    Some((s, title)) => (title, String::new(), None, Some(s)),
                    None => {
                        return refuse(
                            "evidence",
                            "Choose one of your organisation's surveys.".into(),
                        )
                        .await
                    }
                }
            } else {
                match evidence(kind) {
                    Ok(e) => e,
                    Err(m) => return refuse("evidence", m).await,
                }
            };
            let db = state.db.clone();
            Ok(once(&db, &form, &page, || async move {
                let new = NewEvidence {
                    indicator: &indicator,
                    kind,
                    title: &title,
                    note: &note,
                    url: url.as_deref(),
                    document_id: None,
                    ref_id,
                };
                match store::add_evidence(&state.db, id, &new, &user).await {
                    Ok(_) => back,
                    Err(e) => e.into_response(),
                }
            })
            .await)
        }
        AssessmentAction::Remove => {
            let evidence_id: i64 = form.raw("evidence").parse().unwrap_or(0);
            // Gone already (a double tap): the page shows how it stands.
            store::remove_evidence(&state.db, &state.settings.uploads, id, evidence_id).await?;
            Ok(back)
        }
        // Handled above.
        _ => Err(AppError::Unexpected),
    }
}

/// The action plan's and the stories' posts (`None`: not one of those).
/// The caller has checked who may do what.
async fn plan_post(
    state: &AppState,
    parts: &axum::http::request::Parts,
    user: &StaffUser,
    head: &Head,
    framework: &Framework,
    action: AssessmentAction,
    form: &FormValues,
) -> Result<Option<Response>, AppError> {
    use super::plan::{check_action, check_story};
    let id = head.id;
    let page = format!("/staff/standards/{id}");
    // An optional indicator: empty, or one of the framework's.
    let indicator = match form.raw("indicator") {
        "" => None,
        k if framework.indicators().any(|(_, i)| i.key == k) => Some(k.to_string()),
        _ => return Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST)),
    };
    let refuse = |name: String, problems: Vec<(&'static str, String)>| {
        let fb = Feedback {
            form: name,
            values: form.clone(),
            summary: Some(crate::copy::FIX_THE_PROBLEMS.into()),
            fields: problems
                .into_iter()
                .map(|(f, m)| (f.to_string(), m))
                .collect(),
        };
        let (state, parts, page) = (state.clone(), parts.clone(), page.clone());
        async move {
            Ok(Some(
                rerender_page(
                    state,
                    parts,
                    Some(&page),
                    fb,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await,
            ))
        }
    };
    let checked_action = || {
        check_action(
            form.raw("what"),
            form.raw("who"),
            form.raw("due"),
            form.raw("status"),
            form.raw("reason"),
        )
    };
    match action {
        AssessmentAction::AddAction => {
            let a = match checked_action() {
                Ok(a) => a,
                Err(p) => return refuse("action-new".into(), p).await,
            };
            let db = state.db.clone();
            let (state, user) = (state.clone(), user.clone());
            Ok(Some(
                once(&db, form, &page, || async move {
                    match store::add_action(&state.db, id, indicator.as_deref(), &a, &user).await {
                        Ok(action) => see_other(&format!("/staff/standards/{id}#action-{action}")),
                        Err(e) => e.into_response(),
                    }
                })
                .await,
            ))
        }
        AssessmentAction::UpdateAction => {
            let action_id: i64 = form.raw("id").parse().unwrap_or(0);
            // Youth workers say where an action stands; what it is, who
            // does it and by when are for those who manage the plan.
            let manages = user
                .standards_access(head.organisation_id, head.area_code.as_deref())
                .may_manage();
            let Some(stored) = store::actions(&state.db, id)
                .await?
                .into_iter()
                .find(|a| a.0 == action_id)
            else {
                return Err(AppError::NotFound);
            };
            let checked = if manages {
                checked_action()
            } else {
                check_action(
                    &stored.2,
                    &stored.3,
                    &crate::db::iso_day(stored.4),
                    form.raw("status"),
                    form.raw("reason"),
                )
            };
            let a = match checked {
                Ok(a) => a,
                Err(p) => return refuse(format!("action-{action_id}"), p).await,
            };
            if !store::update_action(&state.db, id, action_id, &a, user).await? {
                return Err(AppError::NotFound);
            }
            Ok(Some(see_other(&format!("{page}#action-{action_id}"))))
        }
        AssessmentAction::AddStory => {
            let story = match check_story(
                form.raw("said"),
                form.raw("changed"),
                form.raw("changed_on"),
            ) {
                Ok(s) => s,
                Err(p) => return refuse("story-new".into(), p).await,
            };
            let survey_id = match form.raw("survey") {
                "" => None,
                s => {
                    let s: i64 = s.parse().unwrap_or(0);
                    let ours = store::surveys_of(&state.db, head.organisation_id)
                        .await?
                        .iter()
                        .any(|(x, _)| *x == s);
                    if !ours {
                        return refuse(
                            "story-new".into(),
                            vec![(
                                "survey",
                                "Choose one of your organisation's surveys.".into(),
                            )],
                        )
                        .await;
                    }
                    Some(s)
                }
            };
            let action_id = match form.raw("action_id") {
                "" => None,
                a => {
                    let a: i64 = a.parse().unwrap_or(0);
                    if !store::actions(&state.db, id)
                        .await?
                        .iter()
                        .any(|x| x.0 == a)
                    {
                        return refuse(
                            "story-new".into(),
                            vec![(
                                "action_id",
                                "Choose one of this assessment's actions.".into(),
                            )],
                        )
                        .await;
                    }
                    Some(a)
                }
            };
            // Only those who manage the assessment publish.
            let public = form.checked("public")
                && user
                    .standards_access(head.organisation_id, head.area_code.as_deref())
                    .may_manage();
            let db = state.db.clone();
            let (state, user, org) = (state.clone(), user.clone(), head.organisation_id);
            Ok(Some(
                once(&db, form, &page, || async move {
                    let links = store::StoryLinks {
                        assessment_id: Some(id),
                        indicator: indicator.as_deref(),
                        action_id,
                        survey_id,
                    };
                    match store::add_story(&state.db, org, &links, &story, public, &user).await {
                        Ok(story) => see_other(&format!("/staff/standards/{id}#story-{story}")),
                        Err(e) => e.into_response(),
                    }
                })
                .await,
            ))
        }
        AssessmentAction::Publish | AssessmentAction::Unpublish => {
            let story: i64 = form.raw("id").parse().unwrap_or(0);
            let public = action == AssessmentAction::Publish;
            if !store::set_story_public(&state.db, head.organisation_id, story, public).await? {
                return Err(AppError::NotFound);
            }
            Ok(Some(see_other(&format!("{page}#story-{story}"))))
        }
        _ => Ok(None),
    }
}

/// The upload form's fields besides the file, and their longest.
const MAX_FIELDS: usize = 8;
const MAX_FIELD_BYTES: usize = 4 * 1024;

/// POST /staff/standards/{id}/documents: upload a document as evidence. The
/// file streams to the uploads folder; it is refused as soon as it is too
/// big or its first bytes show a kind heard does not keep, and nothing of
/// it stays.
pub async fn upload(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
    req: Request<Body>,
) -> Result<Response, AppError> {
    use axum::extract::{FromRequest, Multipart};
    let (head, access, framework) = reach_with_framework(&state.db, &user, id).await?;
    if !access.may_contribute() {
        return Err(AppError::Forbidden);
    }
    let (parts, body) = req.into_parts();
    let mut multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), &())
        .await
        .map_err(|_| AppError::BadForm)?;
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut received: Option<(documents::Received, String)> = None;
    let mut refused: Option<Refused> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadForm)?
    {
        let name = field.name().unwrap_or("").to_string();
        if name != "file" {
            // The form's few short fields: read a chunk at a time, refused
            // past a few kilobytes, so memory never grows with what is sent.
            if fields.len() >= MAX_FIELDS {
                return Err(AppError::BadForm);
            }
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadForm)? {
                if text.len() + chunk.len() > MAX_FIELD_BYTES {
                    return Err(AppError::TooLarge);
                }
                text.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(text).map_err(|_| AppError::BadForm)?;
            fields.push((name, text));
            continue;
        }
        if received.is_some() || refused.is_some() {
            continue;
        }
        let uploaded_name = field.file_name().unwrap_or("").to_string();
        let mut incoming = Incoming::begin(&state.settings.uploads).await?;
        let mut verdict = Ok(());
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    verdict = incoming.chunk(&chunk).await?;
                    if verdict.is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    incoming.discard().await;
                    return Err(AppError::BadForm);
                }
            }
        }
        match verdict {
            Err(why) => {
                incoming.discard().await;
                refused = Some(why);
            }
            Ok(()) => match incoming.finish().await? {
                Ok(file) => received = Some((file, uploaded_name)),
                Err(why) => refused = Some(why),
            },
        }
        if refused.is_some() {
            break;
        }
    }
    let form = FormValues::from_pairs(fields);
    let indicator = form.raw("indicator").to_string();
    if !framework.indicators().any(|(_, i)| i.key == indicator) {
        if let Some((file, _)) = received {
            file.discard().await;
        }
        return Err(AppError::invalid(crate::copy::UNEXPECTED_REQUEST));
    }
    let page = format!("/staff/standards/{id}");
    let problem = match (
        &received,
        refused,
        rules::check_title(form.raw("title"), "document"),
    ) {
        (_, Some(why), _) => Some(why.message().to_string()),
        (None, None, _) => Some(Refused::Empty.message().to_string()),
        (Some(_), None, Err(m)) => Some(m),
        (Some(_), None, Ok(_)) => None,
    };
    if let Some(message) = problem {
        if let Some((file, _)) = received {
            file.discard().await;
        }
        let fb = Feedback::message(&form_name("upload", &indicator), form, message);
        return Ok(rerender_page(
            state,
            parts,
            Some(&page),
            fb,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    }
    let title = rules::check_title(form.raw("title"), "document").unwrap_or_default();
    // A double tap sends the file twice: the second is let go unrecorded.
    let held = Arc::new(Mutex::new(received));
    let taken = held.clone();
    let db = state.db.clone();
    let res = once(&db, &form, &page, || async move {
        let Some((file, uploaded_name)) = taken.lock().expect("not poisoned").take() else {
            return AppError::Unexpected.into_response();
        };
        let recorded = documents::record(
            &state.db,
            head.organisation_id,
            id,
            &indicator,
            &title,
            &uploaded_name,
            &file,
            &user,
        )
        .await;
        match recorded {
            Ok(_) => {
                file.keep();
                see_other(&format!("/staff/standards/{id}#ind-{indicator}"))
            }
            // Dropped unkept, the file is deleted.
            Err(e) => e.into_response(),
        }
    })
    .await;
    // Not recorded (a repeat of a form already sent): dropped, so deleted.
    drop(held);
    Ok(res)
}

/// GET /staff/documents/{id}: a document, as an attachment, to its
/// organisation's staff and heard's administrators.
pub async fn document(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let doc = documents::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let area = store::organisation_area(&state.db, doc.organisation_id)
        .await?
        .flatten();
    if !user
        .standards_access(doc.organisation_id, area.as_deref())
        .may_open_documents()
    {
        return Err(AppError::NotFound);
    }
    let path =
        documents::path_of(&state.settings.uploads, &doc.stored_as).ok_or(AppError::NotFound)?;
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, document = id, "a document's file is missing");
            return Err(AppError::NotFound);
        }
    };
    crate::audit::store::record_now(
        &state.db,
        crate::audit::store::Actor::Staff(&user),
        crate::audit::AuditAction::DocumentOpened,
        crate::audit::store::Subject::Document(id),
        &doc.name,
    )
    .await?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let ascii: String = doc
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(doc.name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
