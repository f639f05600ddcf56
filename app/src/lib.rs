//! heard: young people in England, heard by the services that shape their lives.
//!
//! One folder per feature people can name (`surveys/`, `accounts/`, `areas/`),
//! each holding its pages, its server functions and, behind the `ssr` feature,
//! its queries. Pure rules (`outcomes`, `about_you`, `surveys::model`,
//! `surveys::answering::rules`, `surveys::results::rules`,
//! `surveys::building::rules`) have no I/O and are tested beside their
//! definitions.
#![recursion_limit = "256"]

pub mod about_you;
pub mod accounts;
pub mod areas;
pub mod audit;
pub mod components;
pub mod copy;
pub mod disclosure;
pub mod error;
pub mod feed;
pub mod forms;
pub mod home;
pub mod insights;
pub mod live;
pub mod moderation;
pub mod organisations;
pub mod outcomes;
pub mod paging;
pub mod replies;
pub mod safeguarding;
pub mod services;
pub mod standards;
pub mod suggestions;
pub mod surveys;
pub mod tallies;
pub mod team;
pub mod text;
pub mod words;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod phone;
#[cfg(feature = "ssr")]
pub mod random;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around every page.
pub fn shell(options: leptos::config::LeptosOptions) -> impl IntoView {
    let _ = options;
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="heard" href="/pkg/heard.css"/>
        <Title formatter=|t: String| if t.is_empty() { "heard".to_string() } else { format!("{t} – heard") }/>
        <Router>
            <Routes fallback=components::NotFound>
                <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug") view=surveys::answering::page::AnswerPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/thanks") view=surveys::answering::page::ThanksPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=accounts::pages::SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=surveys::building::list::StaffHome ssr=SsrMode::Async/>
                <Route path=path!("/staff/surveys/:id") view=surveys::building::page::BuilderPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/surveys/:id/preview") view=surveys::answering::page::PreviewPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/surveys/:id/results") view=surveys::results::page::ResultsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/areas") view=areas::AreasPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/team") view=team::TeamPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/organisations") view=organisations::OrganisationsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/audit") view=audit::AuditLogPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/safeguarding") view=|| view! { <safeguarding::QueuePage closed=false/> } ssr=SsrMode::Async/>
                <Route path=path!("/staff/safeguarding/closed") view=|| view! { <safeguarding::QueuePage closed=true/> } ssr=SsrMode::Async/>
                <Route path=path!("/staff/safeguarding/phrases") view=safeguarding::PhrasesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/safeguarding/:id") view=safeguarding::ItemPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/moderation") view=moderation::ModerationQueuePage ssr=SsrMode::Async/>
                <Route path=path!("/j") view=live::pages::JoinPage ssr=SsrMode::Async/>
                <Route path=path!("/j/:code") view=live::pages::ParticipantPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/live/:id") view=live::pages::PresenterPage ssr=SsrMode::Async/>
                <Route path=path!("/services") view=services::pages::DirectoryPage ssr=SsrMode::Async/>
                <Route path=path!("/services/:slug") view=services::pages::ServicePage ssr=SsrMode::Async/>
                <Route path=path!("/ideas") view=suggestions::pages::IdeasPage ssr=SsrMode::Async/>
                <Route path=path!("/ideas/new") view=suggestions::pages::NewIdeaPage ssr=SsrMode::Async/>
                <Route path=path!("/ideas/:ref") view=suggestions::pages::IdeaPage ssr=SsrMode::Async/>
                <Route path=path!("/my/:code") view=suggestions::pages::MyIdeaPage ssr=SsrMode::Async/>
                <Route path=path!("/you-said-we-did") view=replies::pages::YouSaidPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/suggestions") view=suggestions::staff::StaffIdeasPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/replies") view=replies::pages::StaffRepliesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/services") view=services::staff::StaffServicesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/services/import") view=services::staff::ImportPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/services/:id") view=services::staff::StaffServicePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/insights") view=insights::InsightsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/insights/surveys/:id") view=insights::SurveyInsightPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/insights/reach") view=insights::reach::ReachPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/insights/said") view=insights::said::SaidPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/insights/services") view=insights::services::ServicesInsightPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/insights/standards") view=standards::overview::OverviewPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/standards") view=standards::pages::StandardsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/standards/:id/report") view=standards::pages::ReportPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/standards/:id/compare") view=standards::pages::ComparePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/standards/:id") view=standards::pages::AssessmentPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/password") view=accounts::pages::ChangePasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/hub") view=feed::pages::HubPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/national") view=feed::pages::NationalPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/national-questions") view=feed::pages::NationalQuestionsPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// The per-request CSP nonce, put in request extensions by the server's
/// security middleware and used on every script Leptos writes.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Context every server-rendered page and server function needs: the app
/// state and this request's nonce.
#[cfg(feature = "ssr")]
pub fn server_context(state: state::AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(state.clone());
        if let Some(nonce) = use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0));
        }
    }
}

/// Starts the islands in the browser. Nothing else hydrates.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
