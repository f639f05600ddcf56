//! The presenter's page (`/staff/live/{id}`), a phone's page (`/j/{code}`)
//! and the join page (`/j`). All are drawn on the server and work without
//! JavaScript: the presenter's controls are buttons, a phone's answer is a
//! form, and "check for the next question" is a link. The islands in
//! [`super::follow`] make them live.

use super::follow::{LiveFollower, LivePresenter};
use super::rules::Control;
use super::{
    code, LiveText, ParticipantData, PresenterData, QuestionOutcome, StageData, QUESTION_FIELD,
};
use crate::components::{load_page, IslandScripts, Layout, StaffLayout};
use crate::error::AppError;
use crate::surveys::answering::form::QuestionField;
use crate::surveys::answering::page::HelpFirstPanel;
use crate::surveys::model::QuestionKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(endpoint = "live_presenter")]
pub async fn presenter_view(id: i64) -> Result<PresenterData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let session = super::handlers::presentable(&state, &user, id).await?;
    let survey = crate::surveys::store::by_id(&state.db, session.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut summary = Vec::new();
    if session.state.ended {
        for position in 1..=session.state.questions {
            summary.push(super::handlers::outcome(&state, id, &survey.form, position).await?);
        }
    }
    let join_url = format!(
        "{}/j/{}",
        state.settings.public_url.trim_end_matches('/'),
        session.code
    );
    let qr = qr_picture(&join_url)?;
    Ok(PresenterData {
        title: survey.form.title,
        survey_id: session.survey_id,
        code: session.code,
        join_url,
        qr,
        stage: super::handlers::stage(&state, id).await?,
        summary,
    })
}

/// The join link as a QR code: its dark modules as one SVG path, drawn by
/// the page's own view (no markup handed over whole). Each module is
/// [`QR_MODULE`] units, so the picture is sharp at its own size even where
/// a viewer ignores `viewBox` (some decoders do), and a row's run of dark
/// modules is one rectangle.
#[cfg(feature = "ssr")]
fn qr_picture(link: &str) -> Result<super::QrPicture, AppError> {
    use std::fmt::Write;
    /// Light modules around the code, as the standard asks, so scanners find it.
    const QUIET: usize = 4;
    let code = qrcode::QrCode::new(link.as_bytes()).map_err(|_| AppError::Unexpected)?;
    let width = code.width();
    let colours = code.to_colors();
    let dark = |x: usize, y: usize| colours[y * width + x] == qrcode::Color::Dark;
    let mut path = String::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if !dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && dark(x, y) {
                x += 1;
            }
            let (left, top) = ((start + QUIET) * QR_MODULE, (y + QUIET) * QR_MODULE);
            let run = (x - start) * QR_MODULE;
            let _ = write!(path, "M{left} {top}h{run}v{QR_MODULE}h-{run}z");
        }
    }
    Ok(super::QrPicture {
        size: (width + 2 * QUIET) * QR_MODULE,
        path,
    })
}

/// Units a QR module is drawn in.
pub const QR_MODULE: usize = 6;

#[server(endpoint = "live_participant")]
pub async fn participant_view(code: String) -> Result<ParticipantData, AppError> {
    use super::handlers::{new_participant, participant_digest, wrong_code};
    let state = crate::state::app_state()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Unexpected)?;
    let response = use_context::<leptos_axum::ResponseOptions>();
    let code = code::normalise(&code).unwrap_or_default();
    let session = match super::store::running(&state.db, &code).await? {
        Some(s) => s,
        None => {
            // A phone that was in a session with this code holds its cookie:
            // it ended. Anything else is a wrong code, and counted.
            if !code.is_empty() && participant_digest(&state, &parts, &code).is_some() {
                if let Some(ended) = super::store::latest(&state.db, &code).await? {
                    let title = crate::surveys::store::by_id(&state.db, ended.survey_id)
                        .await?
                        .map(|s| s.form.title)
                        .unwrap_or_default();
                    let help = match participant_digest(&state, &parts, &code) {
                        Some(d) => super::store::phone_needs_help(&state.db, &ended, &d).await?,
                        None => false,
                    };
                    return Ok(ParticipantData {
                        code: ended.code,
                        title,
                        state: ended.state,
                        question: None,
                        mine: Default::default(),
                        answered: false,
                        help,
                    });
                }
                return Err(AppError::Invalid(ENDED.into()));
            }
            if let Err(secs) = wrong_code(&state, &parts) {
                if let Some(r) = &response {
                    r.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
                }
                return Err(AppError::TooMany(TOO_MANY_CODES.into()));
            }
            return Err(AppError::NotFound);
        }
    };
    let digest = match participant_digest(&state, &parts, &code) {
        Some(d) => d,
        None => {
            if let Err(secs) = super::handlers::new_phone(&state, &parts) {
                if let Some(r) = &response {
                    r.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
                }
                return Err(AppError::TooMany(TOO_MANY_PHONES.into()));
            }
            let (digest, cookie) = new_participant(&state, &code);
            if let (Some(r), Ok(v)) = (&response, http::HeaderValue::from_str(&cookie)) {
                r.insert_header(http::header::SET_COOKIE, v);
            }
            digest
        }
    };
    match super::store::join(&state.db, session.id, &digest).await? {
        super::store::Joined::Full => return Err(AppError::Invalid(FULL.into())),
        // The presenter's count of phones moves.
        super::store::Joined::New => {
            state
                .live
                .announce(&state.db, session.id, super::hub::Signal::Answers)
                .await
        }
        super::store::Joined::Already => {}
    }
    let survey = crate::surveys::store::by_id(&state.db, session.survey_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let question = session
        .state
        .current()
        .and_then(|p| survey.form.questions.get(p as usize - 1))
        .cloned();
    let (mine, answered) = match &question {
        Some(q) => {
            let rows =
                super::store::my_answer(&state.db, &session, &digest, q.id, q.kind.is_text())
                    .await?;
            (super::answer_values(q, &rows), !rows.is_empty())
        }
        None => Default::default(),
    };
    let help = super::store::phone_needs_help(&state.db, &session, &digest).await?;
    Ok(ParticipantData {
        code: session.code,
        title: survey.form.title,
        state: session.state,
        question,
        mine,
        answered,
        help,
    })
}

pub const FULL: &str = "This session is full. Ask the youth worker how else you can take part.";

pub const TOO_MANY_ANSWERS: &str = "That's a lot of answers from this phone in a minute. Please wait a moment, then send yours again.";

pub const TOO_MANY_PHONES: &str =
    "Lots of phones have just joined from this network. Please wait a minute and try again.";

pub const TOO_MANY_CODES: &str = "Too many codes that didn't work. Please wait a minute, then check the code on the screen and try again.";

pub const ENDED: &str =
    "This session has ended. Thank you for taking part: the youth worker has your answers.";

/// `/j`: type the code from the screen.
#[component]
pub fn JoinPage() -> impl IntoView {
    view! {
        <Title text="Join a live session"/>
        <Layout>
            <h1>"Join a live session"</h1>
            <JoinForm/>
        </Layout>
    }
}

/// The code box, on the join page and the home page.
#[component]
pub fn JoinForm() -> impl IntoView {
    view! {
        <form method="post" action="/j" class="join-form">
            <label for="code">"Code on the screen"</label>
            <p class="hint" id="code-hint">"Six letters and numbers, like ABC 234."</p>
            <input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters"
                spellcheck="false" inputmode="text" maxlength="12" aria-describedby="code-hint" class="code-input"/>
            <button type="submit" class="button">"Join"</button>
        </form>
    }
}

/// `/j/{code}`: a phone in a session.
#[component]
pub fn ParticipantPage() -> impl IntoView {
    let code = use_params_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let query = use_query_map().read_untracked();
    let notice = if query.get("saved").is_some() {
        Some("Saved. You can change your answer until the question is locked.")
    } else if query.get("moved").is_some() {
        Some("The session moved on before your answer arrived. Here is the question on screen now.")
    } else if query.get("locked").is_some() {
        Some("Answers to this question were locked before yours arrived, so it wasn't saved.")
    } else {
        None
    };
    view! {
        <Layout>
            {load_page(move || participant_view(code.clone()), move |d: ParticipantData| view! {
                <Participant data=d notice=notice/>
                <IslandScripts/>
            })}
        </Layout>
    }
}

#[component]
fn Participant(data: ParticipantData, notice: Option<&'static str>) -> impl IntoView {
    let d = data;
    let page = format!("/j/{}", d.code);
    // The question page names the survey in its heading; the others here.
    let heading_note = if d.question.is_some() && !d.state.ended {
        format!("Live session {}", code::spaced(&d.code))
    } else {
        format!("Live session {} · {}", code::spaced(&d.code), d.title)
    };
    let help = d.help.then(|| view! { <HelpFirstPanel sent=true/> });
    let body = match (&d.question, d.state.ended) {
        (_, true) => view! {
            <Title text="Session ended"/>
            <h1>"This session has ended"</h1>
            <p>"Thank you for taking part: the youth worker has your answers."</p>
        }
        .into_any(),
        (None, false) => view! {
            <Title text="Waiting for the next question"/>
            <h1>"Waiting for the next question"</h1>
            <p>"It will appear here by itself when the youth worker moves on."</p>
            <p><a href=page.clone()>"Check for the next question"</a></p>
        }
        .into_any(),
        (Some(q), false) => {
            let number = d.state.position as usize;
            let total = d.state.questions as usize;
            let notice = notice.map(|n| view! { <p class="notice" role="status">{n}</p> });
            if d.state.locked {
                view! {
                    <Title text=q.prompt.clone()/>
                    <h1>{q.prompt.clone()}</h1>
                    {notice}
                    <p class="notice">{if d.answered { "Answers are locked. Yours is in." } else { "Answers to this question are locked." }}</p>
                    <p><a href=page.clone()>"Check for the next question"</a></p>
                }
                .into_any()
            } else {
                let button = if d.answered {
                    "Change my answer"
                } else {
                    "Send"
                };
                view! {
                    <Title text=q.prompt.clone()/>
                    <h1 class="live-heading">{format!("Live: {}", d.title)}</h1>
                    {notice}
                    <form method="post" action=page.clone() novalidate class="survey-form live-form">
                        <input type="hidden" name=QUESTION_FIELD value=q.id.to_string()/>
                        <QuestionField question=q.clone() number=number total=total values=d.mine.clone() error=None/>
                        <button type="submit" class="button">{button}</button>
                        <p class="hint live-sending" role="status"></p>
                    </form>
                    <p><a href=page.clone()>"Check for the next question"</a></p>
                }
                .into_any()
            }
        }
    };
    if d.state.ended {
        // Nothing more to follow.
        return view! { {help}<p class="live-note">{heading_note}</p>{body} }.into_any();
    }
    view! {
        {help}
        <p class="live-note">{heading_note}</p>
        <LiveFollower code=d.code.clone() version=d.state.version>
            {body}
            <p class="notice live-next" hidden role="status">
                <a href=page.clone()>"The next question is up: show it"</a>
            </p>
        </LiveFollower>
    }
    .into_any()
}

/// `/staff/live/{id}`: the projector.
#[component]
pub fn PresenterPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    view! {
        <StaffLayout>
            {load_page(move || presenter_view(id), |d: PresenterData| view! {
                <Presenter data=d/>
                <IslandScripts/>
            })}
        </StaffLayout>
    }
}

#[component]
fn Presenter(data: PresenterData) -> impl IntoView {
    let d = data;
    let s = d.stage.state;
    if s.ended {
        return view! {
            <Title text=format!("Ended: {}", d.title)/>
            <h1>{format!("Live session ended: {}", d.title)}</h1>
            <p class="lead">{format!("{} phones joined. Their answers are this survey's responses.", d.stage.joined)}</p>
            <Summary outcomes=d.summary/>
            <p><a href=format!("/staff/surveys/{}/results", d.survey_id)>"All results of this survey"</a></p>
        }
        .into_any();
    }
    let action = format!("/staff/live/{}", d.stage.session_id);
    let button = move |control: Control, label: &'static str, enabled: bool, key: &'static str| {
        let action = action.clone();
        view! {
            <form method="post" action=action class="inline">
                <input type="hidden" name="action" value=control.key()/>
                <button type="submit" class="button secondary" disabled=!enabled data-key=key>{label}</button>
            </form>
        }
    };
    let on_question = s.current().is_some();
    let lock = if s.locked {
        button(Control::Unlock, "Unlock answers", on_question, "")
    } else {
        button(Control::Lock, "Lock answers", on_question, "")
    };
    let results = if s.show_results {
        button(Control::HideResults, "Hide results", true, "")
    } else {
        button(Control::ShowResults, "Show results", true, "")
    };
    view! {
        <Title text=format!("Live: {}", d.title)/>
        <div class="presenter">
            <div class="join-panel">
                <p class="join-how">"Join at "<strong>{d.join_url.clone()}</strong></p>
                <p class="join-code" aria-label=format!("Code {}", d.code.chars().map(String::from).collect::<Vec<_>>().join(" "))>{code::spaced(&d.code)}</p>
                <svg class="qr" role="img" aria-label="QR code for the join link" xmlns="http://www.w3.org/2000/svg"
                    width=d.qr.size height=d.qr.size viewBox=format!("0 0 {0} {0}", d.qr.size) shape-rendering="crispEdges">
                    <rect width=d.qr.size height=d.qr.size fill="#fff"/>
                    <path d=d.qr.path.clone() fill="#000"/>
                </svg>
            </div>
            <LivePresenter id=d.stage.session_id version=s.version stage=d.stage.clone()>
                <nav class="controls" aria-label="Session controls">
                    {button(Control::Previous, "Previous", s.position > 1, "previous")}
                    {button(Control::Next, "Next question", s.position < s.questions, "next")}
                    {lock}
                    {results}
                    {button(Control::End, "End session", true, "")}
                </nav>
                <p class="hint">"Arrow keys and Page Up / Page Down move between questions (a clicker works)."</p>
            </LivePresenter>
            <p><a href=format!("/staff/surveys/{}/results", d.survey_id)>"All results of this survey"</a></p>
        </div>
    }
    .into_any()
}

/// The part of the projector that changes as answers arrive.
#[component]
pub fn Stage(data: StageData) -> impl IntoView {
    let d = data;
    let Some(o) = d.current.clone() else {
        let text = if d.state.ended {
            "This session has ended."
        } else {
            "Waiting to start: join now."
        };
        return view! {
            <h1 class="stage-question">{text}</h1>
            <p class="stage-counts">{format!("{} joined", d.joined)}</p>
        }
        .into_any();
    };
    let of = format!("Question {} of {}", o.position, d.state.questions);
    let counts = format!("{} joined · {} answered", d.joined, o.answered);
    let locked = d
        .state
        .locked
        .then(|| view! { <p class="stage-locked">"Answers locked"</p> });
    let prompt = o.question.prompt.clone();
    let results = if d.state.show_results {
        view! { <Outcome outcome=o on_screen=true/> }.into_any()
    } else {
        view! { <p class="hint">"Results are hidden."</p> }.into_any()
    };
    view! {
        <p class="stage-of">{of}</p>
        <h1 class="stage-question">{prompt}</h1>
        <p class="stage-counts">{counts}</p>
        {locked}
        {results}
    }
    .into_any()
}

/// What the room answered to one question: bars for choices and scales,
/// faces (with their words) for a faces scale, places for a ranking, and
/// free text. `on_screen`: only the text the youth worker chose to show.
#[component]
fn Outcome(outcome: QuestionOutcome, on_screen: bool) -> impl IntoView {
    use crate::components::BarChart;
    let o = outcome;
    let q = o.question;
    if q.kind.is_text() {
        let texts: Vec<LiveText> = o
            .texts
            .into_iter()
            .filter(|t| !t.held && (t.shown || !on_screen))
            .collect();
        return if texts.is_empty() {
            let hint = if on_screen {
                "Answers appear here when the youth worker shows them."
            } else {
                "No answers that can be shown."
            };
            view! { <p class="hint">{hint}</p> }.into_any()
        } else {
            view! { <ul class="stage-texts">{texts.into_iter().map(|t| view! { <li>{t.text}</li> }).collect_view()}</ul> }
                .into_any()
        };
    }
    let Some(r) = o.result else {
        return ().into_any();
    };
    if q.kind == QuestionKind::Ranking {
        let mut places: Vec<(String, f32)> = r
            .bars
            .iter()
            .zip(r.average_place.iter())
            .filter_map(|(b, p)| p.map(|p| (b.label.clone(), p)))
            .collect();
        places.sort_by(|a, b| a.1.total_cmp(&b.1));
        return view! {
            <ol class="stage-ranking">{places.into_iter().map(|(label, p)| view! {
                <li>{label}" "<span class="hint">{format!("(average place {p:.1})")}</span></li>
            }).collect_view()}</ol>
        }
        .into_any();
    }
    if let (QuestionKind::Scale, Some(faces)) = (q.kind, q.settings.scale_style.faces()) {
        return view! {
            <ul class="stage-faces">{r.bars.iter().zip(faces.iter()).map(|(b, (face, words))| view! {
                <li>
                    <span class="face" aria-hidden="true">{*face}</span>
                    <span class="face-words">{*words}</span>
                    <strong class="face-count">{b.count().map(|c| c.to_string()).unwrap_or_default()}</strong>
                </li>
            }).collect_view()}</ul>
        }
        .into_any();
    }
    view! { <BarChart id=format!("live-{}", q.id) caption=q.prompt.clone() bars=r.bars/> }
        .into_any()
}

/// Every question of an ended session with the room's answers.
#[component]
fn Summary(outcomes: Vec<QuestionOutcome>) -> impl IntoView {
    view! {
        <section class="live-summary" aria-labelledby="summary-title">
            <h2 id="summary-title">"What the room said"</h2>
            {outcomes.into_iter().map(|o| {
                let heading = format!("{}. {}", o.position, o.question.prompt);
                let answered = format!("{} answered", o.answered);
                view! {
                    <section class="result">
                        <h3>{heading}</h3>
                        <p class="meta">{answered}</p>
                        <Outcome outcome=o on_screen=false/>
                    </section>
                }
            }).collect_view()}
        </section>
    }
}

/// Free text to the question on screen, each with a button to show it on
/// the projector or take it off.
#[component]
pub fn ReviewList(data: StageData) -> impl IntoView {
    let action = format!("/staff/live/{}", data.session_id);
    let Some(o) = data.current.filter(|o| o.question.kind.is_text()) else {
        return view! { <p>"The question on screen isn't free text."</p> }.into_any();
    };
    if o.texts.is_empty() {
        return view! { <p>"No answers yet."</p> }.into_any();
    }
    view! {
        <ul class="review-list">{o.texts.into_iter().map(|t| {
            let action = action.clone();
            let control = if t.held {
                view! { <span class="hint">"Waiting for a moderator: it can't be shown yet."</span> }.into_any()
            } else {
                let (value, label) = if t.shown { ("hide_text", "Hide") } else { ("show_text", "Show") };
                view! {
                    <form method="post" action=action class="inline">
                        <input type="hidden" name="action" value=value/>
                        <input type="hidden" name="answer" value=t.public_ref.clone()/>
                        <button type="submit" class="button secondary">{label}</button>
                    </form>
                }.into_any()
            };
            let text = if t.held { "[held]".to_string() } else { t.text.clone() };
            view! { <li><span class="words">{text}</span>" "{control}</li> }
        }).collect_view()}</ul>
    }
    .into_any()
}

/// The presenter's events for `stage`: the stage as data (the island draws
/// it with the same views as the page) and the version.
#[cfg(feature = "ssr")]
pub fn stage_events(stage: &StageData) -> Vec<axum::response::sse::Event> {
    use axum::response::sse::Event;
    let mut events = Vec::new();
    match serde_json::to_string(stage) {
        Ok(json) => events.push(Event::default().event("stage").data(json)),
        Err(e) => tracing::error!(error = %e, "a live stage could not be written"),
    }
    events.push(
        Event::default()
            .event("state")
            .id(stage.state.version.to_string())
            .data(stage.state.version.to_string()),
    );
    events
}
