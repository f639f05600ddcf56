//! Pieces every page uses.

mod chart;
mod field;
pub use chart::BarChart;
pub use field::escape_html;
pub use field::{FormState, SelectField, TextAreaField, TextField};

use crate::copy;
use crate::error::AppError;
use crate::forms::Feedback;
use leptos::prelude::*;
use leptos_meta::Title;

/// The frame of a young people's page: skip link, header, main, help footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{copy::SKIP_TO_CONTENT}</a>
        <header class="site-header">
            <a class="brand" href="/">"heard"</a>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p><HelpLines/></p>
        </footer>
    }
}

/// Where a young person can get help now, with numbers a phone can call.
#[component]
pub fn HelpLines(#[prop(optional)] as_list: bool) -> impl IntoView {
    use crate::copy::{CHILDLINE_NUMBER, EMERGENCY_NUMBER, HELP_CHILDLINE, HELP_DANGER};
    let childline =
        view! { {HELP_CHILDLINE}" "<a href=CHILDLINE_NUMBER.1>{CHILDLINE_NUMBER.0}</a>"." };
    let danger = view! { {HELP_DANGER}" "<a href=EMERGENCY_NUMBER.1>{EMERGENCY_NUMBER.0}</a>"." };
    if as_list {
        use crate::copy::{CHILDLINE_ONLINE, HELP_ADULT, HELP_SHOUT, SHOUT_NUMBER};
        view! {
            <ul class="help-lines">
                <li>{childline}" Or "<a href=CHILDLINE_ONLINE.1>{CHILDLINE_ONLINE.0}</a>"."</li>
                <li>{HELP_SHOUT}" "<a href=SHOUT_NUMBER.1>{SHOUT_NUMBER.0}</a>"."</li>
                <li>{danger}</li>
                <li>{HELP_ADULT}</li>
            </ul>
        }
        .into_any()
    } else {
        view! { {childline}" "{danger} }.into_any()
    }
}

/// The frame of a staff page.
#[component]
pub fn StaffLayout(children: Children) -> impl IntoView {
    // Links to what this person may manage (staff pages render only on the server).
    #[cfg(feature = "ssr")]
    let (
        team,
        organisations,
        areas,
        audit,
        safeguarding,
        moderation,
        services,
        replies,
        insights,
        standards,
        (national, hub, national_questions),
    ) = crate::accounts::viewer::viewer()
        .filter(|u| !u.must_change_password)
        .map(|u| {
            use crate::accounts::Reach;
            (
                u.may_manage_team(),
                u.may_manage_organisations(),
                u.may_edit_areas(),
                u.may_read_audit_log(),
                u.safeguarding_reach() != Reach::Nowhere,
                u.moderation_reach() != Reach::Nowhere,
                u.may_import_services()
                    || u.survey_reach() != Reach::Nowhere
                        && u.role != crate::accounts::Role::Commissioner,
                u.organisation_id
                    .is_some_and(|o| u.may_manage_surveys_of(o)),
                u.may_see_insights(),
                u.standards_reach() != Reach::Nowhere,
                crate::state::app_state()
                    .map(|s| {
                        (
                            s.settings.hub && u.may_see_insights(),
                            s.settings.hub && u.may_run_the_hub(),
                            s.settings.hub_url.is_some() && u.may_create_surveys(),
                        )
                    })
                    .unwrap_or_default(),
            )
        })
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let (
        team,
        organisations,
        areas,
        audit,
        safeguarding,
        moderation,
        services,
        replies,
        insights,
        standards,
        (national, hub, national_questions),
    ) = (
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        (false, false, false),
    );
    view! {
        <a class="skip-link" href="#main">{copy::SKIP_TO_CONTENT}</a>
        <header class="site-header staff">
            <a class="brand" href="/staff">"heard"<span class="brand-note">" for staff"</span></a>
            <nav aria-label="Staff">
                <ul>
                    <li><a href="/staff">"Surveys"</a></li>
                    {insights.then(|| view! { <li><a href="/staff/insights">"Insights"</a></li> })}
                    {safeguarding.then(|| view! { <crate::safeguarding::SafeguardingNavLink/> }.into_any())}
                    {moderation.then(|| view! { <li><a href="/staff/moderation">"Moderation"</a></li> })}
                    {services.then(|| view! { <li><a href="/staff/services">"Services"</a></li> })}
                    {moderation.then(|| view! { <li><a href="/staff/suggestions">"Suggestions"</a></li> })}
                    {replies.then(|| view! { <li><a href="/staff/replies">"You said, we did"</a></li> })}
                    {standards.then(|| view! { <li><a href="/staff/standards">"Standards"</a></li> })}
                    {national_questions.then(|| view! { <li><a href="/staff/national-questions">"National questions"</a></li> })}
                    {national.then(|| view! { <li><a href="/staff/national">"England"</a></li> })}
                    {hub.then(|| view! { <li><a href="/staff/hub">"National hub"</a></li> })}
                    {team.then(|| view! { <li><a href="/staff/team">"Team"</a></li> })}
                    {organisations.then(|| view! { <li><a href="/staff/organisations">"Organisations"</a></li> })}
                    {areas.then(|| view! { <li><a href="/staff/areas">"Areas"</a></li> })}
                    {audit.then(|| view! { <li><a href="/staff/audit">"Audit log"</a></li> })}
                    <li><a href="/staff/password">"Password"</a></li>
                    <li>
                        <form method="post" action="/sign-out" class="inline">
                            <button type="submit" class="link-button">"Sign out"</button>
                        </form>
                    </li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" class="staff-main">{children()}</main>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=copy::PAGE_NOT_FOUND/>
        <Layout>
            <h1>{copy::PAGE_NOT_FOUND}</h1>
            <p>{copy::PAGE_NOT_FOUND_BODY}" "<a href="/">{copy::HOME_PAGE}</a>"."</p>
        </Layout>
    }
}

/// An error shown in place of a page's content, with the right status code.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(error.status());
    }
    let sign_in = matches!(error, AppError::NotSignedIn);
    view! {
        <Title text=copy::THERE_IS_A_PROBLEM/>
        <div class="panel error-panel" role="alert">
            <h1>{copy::THERE_IS_A_PROBLEM}</h1>
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <p><a href="/sign-in">{copy::SIGN_IN}</a></p> })}
        </div>
    }
}

/// Awaits a page's data on the server, then shows it, or the error in its
/// place (with the error's status code). Nothing is serialised into the page.
/// The data is loaded once per page, however often the view is drawn (a load
/// may record that someone looked, and a look is recorded once).
pub fn load_page<T, Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + Send + 'static,
{
    use futures::FutureExt;
    let data = load().boxed().shared();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let data = data.clone();
                let show = show.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => show(d).into_any(),
                        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The problems with a form's fields, each linking to its field, whose id is
/// `{prefix}-{field}` (underscores as dashes). Nothing when there are none.
#[component]
pub fn FieldErrors(feedback: Option<Feedback>, prefix: &'static str) -> impl IntoView {
    feedback.filter(|f| !f.fields.is_empty()).map(|f| {
        let items = f
            .fields
            .into_iter()
            .map(|(name, message)| {
                let target = format!("#{prefix}-{}", name.replace('_', "-"));
                view! { <li><a href=target>{message}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="form-error">
                <h2>{copy::THERE_IS_A_PROBLEM}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// A message about a whole form, shown after a failed post.
#[component]
pub fn FormMessage(message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="form-error">
                <p>{m}</p>
            </div>
        }
    })
}

/// Loads the islands' code. Only pages with islands include it, so the other
/// pages send no JavaScript at all.
#[component]
pub fn IslandScripts() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let options = use_context::<crate::state::AppState>().map(|s| s.leptos_options);
        options.map(|options| view! { <leptos::hydration::HydrationScripts options islands=true/> })
    }
}

/// Links to the pages before and after this one of a long list (`?page=n`).
/// Nothing when the list fits on one page.
#[component]
pub fn Pager(
    /// Where the list lives, e.g. `/staff/team`.
    base: &'static str,
    page: i64,
    more: bool,
    /// What the list holds, for screen readers: "Pages of surveys".
    label: &'static str,
    earlier: &'static str,
    later: &'static str,
) -> impl IntoView {
    (page > 0 || more).then(|| {
        view! {
            <nav class="pager" aria-label=label>
                {(page > 0).then(|| view! { <a rel="prev" href=format!("{base}?page={}", page - 1)>{earlier}</a> })}
                {more.then(|| view! { <a rel="next" href=format!("{base}?page={}", page + 1)>{later}</a> })}
            </nav>
        }
    })
}

/// A "copy" button for something the page also shows to select and copy by
/// hand (and offers to save): hidden until the island wakes, so with
/// JavaScript off nothing is offered that does nothing.
#[island]
pub fn CopyButton(value: String, label: String) -> impl IntoView {
    let (ready, set_ready) = signal(false);
    let (copied, set_copied) = signal(false);
    Effect::new(move || set_ready.set(true));
    let on_click = move |_: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        if copy_to_clipboard(&value) {
            set_copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&value, set_copied);
    };
    view! {
        <button type="button" class="button secondary" hidden=move || !ready.get() on:click=on_click>{label}</button>
        <span class="hint" role="status">{move || copied.get().then_some(" Copied.")}</span>
    }
}

/// `navigator.clipboard.writeText(text)`, if the browser has it.
#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator: wasm_bindgen::JsValue = window.navigator().into();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match write {
        Some(write) => write.call1(&clipboard, &text.into()).is_ok(),
        None => false,
    }
}
