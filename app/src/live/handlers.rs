//! Posts and event streams of live sessions.
//!
//! - `POST /staff/surveys/{id}/live` starts a session of a survey;
//!   `POST /staff/live/quick` starts a quick poll (a new survey, kept like
//!   any other) and takes the youth worker to add its question;
//! - `POST /staff/live/{id}`: the presenter's controls, and free text shown
//!   or hidden;
//! - `POST /j`: a typed code; `POST /j/{code}`: a phone's answer;
//! - `GET /j/{code}/events` and `GET /staff/live/{id}/events`: server-sent
//!   events for phones (the session's version) and the presenter (the stage,
//!   drawn on the server).

use super::hub::Signal;
use super::rules::{Control, LiveState};
use super::store::{self, Session, Stored};
use super::{code, QuestionOutcome, StageData, QUESTION_FIELD};
use crate::accounts::handlers::client_address;
use crate::accounts::viewer::Staff;
use crate::accounts::StaffUser;
use crate::error::AppError;
use crate::forms::ssr::{once, see_other, FormPost};
use crate::forms::FormValues;
use crate::state::AppState;
use crate::surveys::access;
use crate::surveys::answering::rules::check_answers;
use crate::surveys::answering::screening::Screening;
use crate::surveys::model::SurveyForm;
use axum::extract::{Path, State};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

/// Wrong codes one address may try a minute (typed, or in an address). A
/// room that mistypes now and then never meets it; guessing 887 million
/// codes at 10 a minute is hopeless.
pub const WRONG_CODES_PER_MINUTE: u32 = 10;

/// How long the presenter's stream gathers answers arriving together before
/// drawing the stage again: a room answering at once is drawn a few times a
/// second, not once per answer.
pub const GATHER: Duration = Duration::from_millis(150);

/// A phone's stream reads the session again after this long without a
/// signal (plus up to a quarter more, so a room's streams spread out): a
/// signal lost (an announcement that failed, a listener that reconnected
/// late) costs a minute at most, never the session.
pub const RECHECK: Duration = Duration::from_secs(60);

/// A presenter's stream draws the stage again after this long without a
/// signal.
pub const PRESENTER_RECHECK: Duration = Duration::from_secs(15);

/// Somewhere between nothing and `max`, at random.
fn jitter(max: Duration) -> Duration {
    use rand::Rng;
    max.mul_f64(rand::thread_rng().gen_range(0.0..1.0))
}

/// `base` and up to a quarter more, at random.
fn spread(base: Duration) -> Duration {
    use rand::Rng;
    base + base.mul_f64(rand::thread_rng().gen_range(0.0..0.25))
}

/// A comment on every open stream this often, so proxies keep it open and a
/// phone that went away is noticed.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The cookie a phone holds for one session: random, for this session's
/// address only, and gone after 12 hours.
pub const PARTICIPANT_COOKIE: &str = "heard_live";

/// The presenter's session, if `user` may run its survey.
pub async fn presentable(state: &AppState, user: &StaffUser, id: i64) -> Result<Session, AppError> {
    let session = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    access::manageable(&state.db, user, session.survey_id).await?;
    Ok(session)
}

/// Counts a wrong code against the address; `Err` is how many seconds it
/// must wait before trying another.
pub fn wrong_code(state: &AppState, parts: &Parts) -> Result<(), u64> {
    state
        .wrong_codes
        .check(&client_address(parts, &state.settings))
        .map_err(|wait| (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
}

/// The 429 for an address that tried too many wrong codes.
pub fn too_many_codes(secs: u64) -> Response {
    too_many(super::pages::TOO_MANY_CODES, secs)
}

fn too_many(message: &str, secs: u64) -> Response {
    let mut res = AppError::TooMany(message.into()).into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

/// New phones one address may bring into live sessions a minute: a class of
/// 35 joining at once, and everyone joining again after clearing cookies,
/// is well under it; a script making up phones to stuff the results or fill
/// a session is held to one a second.
pub const NEW_PHONES_PER_MINUTE: u32 = 60;

/// Answers one phone may send a minute: answering every question of a quick
/// session and changing each answer twice is well under it; a script
/// pouring answers (and safeguarding items) through one phone is not.
pub const POSTS_PER_PHONE_PER_MINUTE: u32 = 30;

/// Counts a new phone against the address; `Err` is how many seconds it must
/// wait.
pub fn new_phone(state: &AppState, parts: &Parts) -> Result<(), u64> {
    state
        .new_phones
        .check(&client_address(parts, &state.settings))
        .map_err(|wait| (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
}

/// `POST /staff/surveys/{id}/live`
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff(user): Staff,
    FormPost { values, .. }: FormPost,
) -> Result<Response, AppError> {
    let survey = access::manageable(&state.db, &user, id).await?;
    // A double tap starts one session: the second is sent to the first.
    let db = state.db.clone();
    Ok(once(
        &db,
        &values,
        &format!("/staff/surveys/{id}"),
        || async move {
            match store::start(&state.db, &survey, user.id).await {
                Ok(session) => see_other(&format!("/staff/live/{session}")),
                Err(e) => e.into_response(),
            }
        },
    )
    .await)
}

/// `POST /staff/live/quick`: a new survey for a question typed on the spot.
pub async fn quick_poll(
    State(state): State<AppState>,
    Staff(user): Staff,
    FormPost { values, .. }: FormPost,
) -> Result<Response, AppError> {
    if !user.may_create_surveys() {
        return Err(AppError::Forbidden);
    }
    let Some(organisation_id) = user
        .organisation_id
        .filter(|o| user.may_manage_surveys_of(*o))
    else {
        return Err(AppError::Invalid(
            "Quick polls belong to an organisation: start one from a survey of the organisation instead.".into(),
        ));
    };
    let title = format!("Quick poll, {}", crate::db::human_time(crate::db::now()));
    let db = state.db.clone();
    Ok(once(&db, &values, "/staff", || async move {
        let created = crate::surveys::building::store::create(
            &state.db,
            organisation_id,
            &title,
            Some(user.id),
        )
        .await;
        match created {
            Ok(id) => see_other(&format!("/staff/surveys/{id}")),
            Err(e) => e.into_response(),
        }
    })
    .await)
}

/// `POST /staff/live/{id}`: a control, or free text shown or hidden.
pub async fn control(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff(user): Staff,
    FormPost { values, .. }: FormPost,
) -> Result<Response, AppError> {
    let session = presentable(&state, &user, id).await?;
    let page = format!("/staff/live/{id}");
    match values.value("action") {
        Some(action @ ("show_text" | "hide_text")) => {
            let public_ref = values
                .value("answer")
                .ok_or_else(|| AppError::Invalid("Choose an answer to show.".into()))?;
            store::show_text(&state.db, session.id, public_ref, action == "show_text").await?;
            state
                .live
                .announce(&state.db, session.id, Signal::Answers)
                .await;
        }
        other => {
            let control = other
                .and_then(Control::parse)
                .ok_or_else(|| AppError::Invalid(crate::copy::UNEXPECTED_REQUEST.to_string()))?;
            let next = store::control(&state.db, session.id, control).await?;
            state
                .live
                .announce(&state.db, session.id, Signal::State(next.version))
                .await;
        }
    }
    Ok(see_other(&page))
}

/// `POST /j`: a code typed on the join page or the home page.
pub async fn join(State(state): State<AppState>, FormPost { parts, values }: FormPost) -> Response {
    match values.value("code").and_then(code::normalise) {
        Some(c) => match store::running(&state.db, &c).await {
            Ok(Some(_)) => see_other(&format!("/j/{c}")),
            Ok(None) => refused_code(&state, &parts),
            Err(e) => e.into_response(),
        },
        None => refused_code(&state, &parts),
    }
}

fn refused_code(state: &AppState, parts: &Parts) -> Response {
    if let Err(secs) = wrong_code(state, parts) {
        return too_many_codes(secs);
    }
    AppError::Invalid(
        "No session is running with that code. Check the six characters on the screen and try again.".into(),
    )
    .into_response()
}

/// The phone's key for this session, from its cookie, as stored (a digest).
pub fn participant_digest(state: &AppState, parts: &Parts, code: &str) -> Option<String> {
    let key = crate::accounts::sessions::cookie_value(&parts.headers, PARTICIPANT_COOKIE)?;
    crate::forms::is_key(&key).then(|| state.settings.secret.digest(&["live", code, &key]))
}

/// A new key for a phone joining `code`, with its `Set-Cookie` value.
pub fn new_participant(state: &AppState, code: &str) -> (String, String) {
    let key = crate::random::token::<16>();
    let cookie = format!(
        "{PARTICIPANT_COOKIE}={key}; Path=/j/{code}; Max-Age=43200; HttpOnly; SameSite=Lax{}",
        if state.settings.https { "; Secure" } else { "" }
    );
    (state.settings.secret.digest(&["live", code, &key]), cookie)
}

/// The survey with only the question on screen, for checking one answer.
fn one_question(form: &SurveyForm, position: i64) -> Option<SurveyForm> {
    let q = form
        .questions
        .get(usize::try_from(position - 1).ok()?)?
        .clone();
    Some(SurveyForm {
        questions: vec![q],
        ask_about_you: false,
        ..form.clone()
    })
}

/// `POST /j/{code}`: a phone's answer to the question on screen. Whatever
/// happens, the phone is told: stored, not taken (and why), or what to fix.
pub async fn answer(
    State(state): State<AppState>,
    Path(code): Path<String>,
    FormPost { parts, values }: FormPost,
) -> Response {
    answer_inner(state, code, parts, values)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn answer_inner(
    state: AppState,
    code: String,
    parts: Parts,
    values: FormValues,
) -> Result<Response, AppError> {
    let code = code::normalise(&code).unwrap_or_default();
    let page = format!("/j/{code}");
    let known = participant_digest(&state, &parts, &code);
    let Some(session) = store::running(&state.db, &code).await? else {
        // Ended (a phone that was in it holds its cookie: its page says so),
        // or a wrong code, counted like any other.
        if known.is_none() {
            if let Err(secs) = wrong_code(&state, &parts) {
                return Ok(too_many_codes(secs));
            }
        }
        return Ok(see_other(&page));
    };
    let mut set_cookie = None;
    let digest = match known {
        Some(d) => d,
        None => {
            // Cookies cleared or blocked mid-session: join afresh.
            if let Err(secs) = new_phone(&state, &parts) {
                return Ok(too_many(super::pages::TOO_MANY_PHONES, secs));
            }
            let (digest, cookie) = new_participant(&state, &code);
            set_cookie = Some(cookie);
            digest
        }
    };
    // Counted by the phone (its digest), never by the address: a class
    // shares one.
    if let Err(wait) = state.phone_posts.check(&digest) {
        let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        return Ok(with_cookie(
            too_many(super::pages::TOO_MANY_ANSWERS, secs),
            set_cookie,
        ));
    }
    match store::join(&state.db, session.id, &digest).await? {
        store::Joined::Full => return Err(AppError::Invalid(super::pages::FULL.into())),
        store::Joined::New => {
            state
                .live
                .announce(&state.db, session.id, Signal::Answers)
                .await
        }
        store::Joined::Already => {}
    }
    let survey = crate::surveys::store::by_id(&state.db, session.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let position = session.state.current();
    let form = position.and_then(|p| one_question(&survey.form, p));
    let posted = values
        .value(QUESTION_FIELD)
        .and_then(|q| q.parse::<i64>().ok());
    let (Some(form), true) = (form, posted.is_some()) else {
        return Ok(with_cookie(see_other(&page), set_cookie));
    };
    if posted != Some(form.questions[0].id) {
        // The question moved on while they answered: the page shows where
        // the session is now, and says so.
        return Ok(with_cookie(
            see_other(&format!("{page}?moved=1")),
            set_cookie,
        ));
    }
    let submission = match check_answers(&form, &values, &|_| false) {
        Ok(s) => s,
        Err(errors) => {
            let problem = errors
                .first()
                .map(|e| crate::copy::problem(&e.problem, &e.about))
                .unwrap_or_default();
            return Err(AppError::Invalid(problem));
        }
    };
    let risks = match state
        .answering_cache
        .risks(&state.db, session.organisation_id)
        .await
    {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = ?e, "risk phrases added in the app could not be read; screening with the standard list");
            std::sync::Arc::new(crate::words::risk::RiskList::standard().clone())
        }
    };
    let screening = Screening::of(&submission, &risks);
    let stored = screening.stored(&submission);
    let outcome = store::record_answer(&state.db, &session, &digest, &stored, &screening).await?;
    let location = match outcome {
        Stored::Saved(items) => {
            if !items.is_empty() {
                crate::safeguarding::notify::new_items(&state, session.organisation_id);
            }
            state
                .live
                .announce(&state.db, session.id, Signal::Answers)
                .await;
            format!("{page}?saved=1")
        }
        Stored::Unchanged => format!("{page}?saved=1"),
        Stored::NotTaking(now) if now.ended => page,
        Stored::NotTaking(now) if now.position != session.state.position => {
            format!("{page}?moved=1")
        }
        Stored::NotTaking(_) => format!("{page}?locked=1"),
    };
    Ok(with_cookie(see_other(&location), set_cookie))
}

fn with_cookie(mut res: Response, cookie: Option<String>) -> Response {
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

fn sse(stream: impl Stream<Item = Result<Event, Infallible>> + Send + 'static) -> Response {
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

fn state_event(state: &LiveState) -> Event {
    Event::default()
        .event("state")
        .id(state.version.to_string())
        .data(state.version.to_string())
}

/// `GET /j/{code}/events`: the session's version, now and whenever the
/// presenter changes it. The phone reloads its page when the version moves
/// (or offers to, if something is typed and not sent). A reconnect starts
/// with the version as it is: nothing to replay.
pub async fn participant_events(
    State(state): State<AppState>,
    Path(code): Path<String>,
    parts: Parts,
) -> Response {
    let session = match code::normalise(&code) {
        Some(c) => store::running(&state.db, &c).await,
        None => Ok(None),
    };
    let session = match session {
        Ok(Some(s)) => s,
        Ok(None) => return not_running(&state, &parts, &code).await,
        Err(e) => return e.into_response(),
    };
    let Ok(place) = state.live_followers.clone().try_acquire_owned() else {
        return AppError::Busy.into_response();
    };
    let rx = state.live.subscribe(session.id);
    let first = session.state;
    let db = state.db.clone();
    let id = session.id;
    let stream = futures::stream::unfold(
        (Some(first), first.version, rx, db, place),
        move |(pending, mut seen, mut rx, db, place)| async move {
            if let Some(s) = pending {
                return Some((Ok(state_event(&s)), (None, seen, rx, db, place)));
            }
            loop {
                let version = match tokio::time::timeout(spread(RECHECK), rx.recv()).await {
                    Ok(Ok(Signal::State(v))) => Some(v),
                    Ok(Ok(Signal::Answers)) => None,
                    Ok(Ok(Signal::Resync) | Err(RecvError::Lagged(_))) | Err(_) => {
                        // A room's streams look again spread over a moment,
                        // not all in the same millisecond.
                        tokio::time::sleep(jitter(Duration::from_secs(2))).await;
                        match store::state(&db, id).await {
                            Ok(Some(s)) => Some(s.version),
                            _ => None,
                        }
                    }
                    Ok(Err(RecvError::Closed)) => return None,
                };
                if let Some(v) = version.filter(|v| *v > seen) {
                    seen = v;
                    let event = Event::default()
                        .event("state")
                        .id(v.to_string())
                        .data(v.to_string());
                    return Some((Ok(event), (None, seen, rx, db, place)));
                }
            }
        },
    );
    sse(stream)
}

/// A phone's stream for a code with no running session. A phone that was in
/// it (its cookie says so) may have drawn its page just before the session
/// ended: it is sent the ended session's version once, so it reloads and
/// sees that it ended. Anything else is a wrong code.
async fn not_running(state: &AppState, parts: &Parts, code: &str) -> Response {
    if participant_digest(state, parts, code).is_some() {
        if let Ok(Some(ended)) = store::latest(&state.db, code).await {
            let last = futures::stream::once(async move { Ok(state_event(&ended.state)) });
            return sse(last);
        }
    }
    match wrong_code(state, parts) {
        Ok(()) => StatusCode::NOT_FOUND.into_response(),
        Err(secs) => too_many_codes(secs),
    }
}

/// `GET /staff/live/{id}/events`: the stage and the review list, drawn on
/// the server, now and whenever answers arrive or the session changes.
pub async fn presenter_events(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Staff(user): Staff,
) -> Result<Response, AppError> {
    let session = presentable(&state, &user, id).await?;
    let place = state
        .live_presenters
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::Busy)?;
    let rx = state.live.subscribe(session.id);
    let stream = futures::stream::unfold(
        (true, rx, state, place),
        move |(first, mut rx, state, place)| async move {
            if !first {
                match tokio::time::timeout(PRESENTER_RECHECK, rx.recv()).await {
                    // A signal, signals missed, or a while without any: draw again.
                    Ok(Ok(_) | Err(RecvError::Lagged(_))) | Err(_) => {}
                    Ok(Err(RecvError::Closed)) => return None,
                }
                // Answers arriving together are drawn together.
                tokio::time::sleep(GATHER).await;
                while rx.try_recv().is_ok() {}
            }
            let events = match stage(&state, id).await {
                Ok(stage) => super::pages::stage_events(&stage),
                Err(e) => {
                    tracing::warn!(error = ?e, "a live stage could not be drawn");
                    vec![]
                }
            };
            let batch = futures::stream::iter(events.into_iter().map(Ok));
            Some((batch, (false, rx, state, place)))
        },
    );
    use futures::StreamExt;
    Ok(sse(stream.flatten()))
}

/// Everything the stage shows for session `id`, as it is now.
pub async fn stage(state: &AppState, id: i64) -> Result<StageData, AppError> {
    let session = store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let survey = crate::surveys::store::by_id(&state.db, session.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (joined, _) = store::counts(&state.db, id, None).await?;
    let current = match session.state.current() {
        Some(p) => Some(outcome(state, id, &survey.form, p).await?),
        None => None,
    };
    Ok(StageData {
        session_id: id,
        state: session.state,
        joined,
        current,
    })
}

/// Question number `position` of session `id`, with what the room answered.
pub async fn outcome(
    state: &AppState,
    id: i64,
    form: &SurveyForm,
    position: i64,
) -> Result<QuestionOutcome, AppError> {
    use crate::surveys::results::rules::{tally, AboutCounts, AnswerCount, TallyInput};
    let one = one_question(form, position).ok_or(AppError::NotFound)?;
    let q = one.questions[0].clone();
    let (_, answered) = store::counts(&state.db, id, Some(q.id)).await?;
    let (mut result, mut texts) = (None, vec![]);
    if q.kind.is_text() {
        texts = store::texts(&state.db, id, q.id).await?;
    } else {
        let counts: Vec<AnswerCount> = store::answer_counts(&state.db, id, q.id)
            .await?
            .into_iter()
            .map(|(position, value, count)| AnswerCount {
                question_id: q.id,
                position,
                value,
                count,
            })
            .collect();
        let results = tally(TallyInput {
            survey: &one,
            responses: answered,
            last_response: None,
            counts: &counts,
            answered: &[(q.id, answered)],
            texts: vec![],
            about: &AboutCounts::default(),
            area_name: &|_| None,
        });
        result = results.questions.into_iter().next();
    }
    Ok(QuestionOutcome {
        question: q,
        position,
        answered,
        result,
        texts,
    })
}
