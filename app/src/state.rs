//! What every request handler and server function can reach.

use crate::accounts::limiter::SignInLimiter;
use crate::accounts::password::PasswordGate;
use crate::db::Db;
use crate::error::AppError;
use crate::mail::Mailer;
use crate::secret::ServerSecret;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;
use std::time::Duration;

/// Days kept when `HEARD_RETENTION_DAYS` is not set: a year.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;

/// Settings the app itself reads; the server's configuration fills them in.
#[derive(Debug, Clone)]
pub struct Settings {
    /// People reach heard over https (behind a proxy that terminates TLS):
    /// cookies are `Secure`, browsers are told to stay on https (HSTS), and
    /// shared links start `https://`.
    pub https: bool,
    /// Sign staff out after this long without a request.
    pub session_idle: Duration,
    /// Use the last `X-Forwarded-For` address for rate limiting (only behind a
    /// proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Sign staff out this long after they signed in, however busy they are.
    pub session_max: Duration,
    /// Where people reach heard (`https://heard.example.org`), for links that
    /// are shared; never taken from a request's `Host` header.
    pub public_url: String,
    /// Keys digests that must not be reversible from the database.
    pub secret: ServerSecret,
    /// Email to safeguarding leads when a new item waits (`HEARD_SMTP_URL`);
    /// `None` sends none, and the count in their navigation still shows it.
    pub mail: Option<Arc<Mailer>>,
    /// Originals of redacted text, and closed safeguarding items, are deleted
    /// this many days after they were written or closed (at least 1).
    pub retention_days: u32,
    /// Disclosure control's thresholds; the survey minimum comes from
    /// `HEARD_SURVEY_MINIMUM` (never below 10).
    pub disclosure: crate::disclosure::Thresholds,
    /// Where uploaded documents are kept (`HEARD_UPLOADS_DIR`): never a
    /// folder the web server serves.
    pub uploads: std::path::PathBuf,
    /// This instance in the national feed, where it publishes one.
    pub feed: Option<crate::feed::FeedIdentity>,
    /// Runs as a hub: collects instances' feeds and publishes national
    /// questions.
    pub hub: bool,
    /// How often a hub pulls every instance's feed.
    pub hub_pull_every: Duration,
    /// The hub whose national questions staff may import.
    pub hub_url: Option<String>,
}

impl Settings {
    /// The session cookie's name: `__Host-` over https, so no subdomain can set it.
    pub fn session_cookie(&self) -> &'static str {
        if self.https {
            "__Host-heard_session"
        } else {
            "heard_session"
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            https: false,
            session_idle: Duration::from_secs(2 * 60 * 60),
            trust_forwarded_for: false,
            session_max: Duration::from_secs(12 * 60 * 60),
            public_url: "http://127.0.0.1:3000".into(),
            secret: ServerSecret::generate(),
            mail: None,
            retention_days: DEFAULT_RETENTION_DAYS,
            disclosure: crate::disclosure::DEFAULT,
            // Tests and benches: a folder of their own, never a real one.
            uploads: std::env::temp_dir().join(format!(
                "heard-uploads-{}-{}",
                std::process::id(),
                crate::random::token::<6>()
            )),
            feed: None,
            hub: false,
            hub_pull_every: Duration::from_secs(15 * 60),
            hub_url: None,
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    pub sign_in_limiter: Arc<SignInLimiter>,
    pub password_gate: Arc<PasswordGate>,
    /// Survey posts per address (young people's answers).
    pub answer_limiter: Arc<crate::surveys::answering::limiter::AnswerLimiter>,
    /// Open surveys and areas, as the answering path reads them.
    pub answering_cache: Arc<crate::surveys::answering::cache::AnsweringCache>,
    /// Organisations whose safeguarding leads are being emailed right now.
    pub lead_alerts: Arc<crate::safeguarding::notify::InFlight>,
    /// Live sessions' followers, and the signals that keep them live.
    pub live: Arc<crate::live::hub::LiveHub>,
    /// Wrong join codes per address.
    #[from_ref(skip)]
    pub wrong_codes: Arc<crate::surveys::answering::limiter::AnswerLimiter>,
    /// New phones joining live sessions, per address.
    #[from_ref(skip)]
    pub new_phones: Arc<crate::surveys::answering::limiter::AnswerLimiter>,
    /// Answers per phone in live sessions.
    #[from_ref(skip)]
    pub phone_posts: Arc<crate::surveys::answering::limiter::AnswerLimiter>,
    /// The services directory's search text, in memory.
    #[from_ref(skip)]
    pub services_index: Arc<crate::services::store::SearchIndex>,
    /// Places for phones' open event streams in this process.
    #[from_ref(skip)]
    pub live_followers: Arc<tokio::sync::Semaphore>,
    /// Places for presenters' event streams, apart: phones can't take them.
    #[from_ref(skip)]
    pub live_presenters: Arc<tokio::sync::Semaphore>,
}

/// Event streams one process holds open at once (each a few kilobytes while
/// idle); one more is told "busy, try again" and its phone falls back to
/// reloading by hand.
pub const MAX_LIVE_FOLLOWERS: usize = 20_000;

/// Presenters' event streams one process holds open at once.
pub const MAX_LIVE_PRESENTERS: usize = 1_000;

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db, settings: Settings) -> Self {
        AppState {
            leptos_options,
            db,
            settings: Arc::new(settings),
            sign_in_limiter: Arc::new(SignInLimiter::new()),
            password_gate: Arc::new(PasswordGate::default()),
            answer_limiter: Arc::default(),
            answering_cache: Arc::default(),
            lead_alerts: Arc::default(),
            live: Arc::default(),
            wrong_codes: Arc::new(
                crate::surveys::answering::limiter::AnswerLimiter::with_quota(
                    crate::live::handlers::WRONG_CODES_PER_MINUTE,
                ),
            ),
            new_phones: Arc::new(
                crate::surveys::answering::limiter::AnswerLimiter::with_quota(
                    crate::live::handlers::NEW_PHONES_PER_MINUTE,
                ),
            ),
            phone_posts: Arc::new(
                crate::surveys::answering::limiter::AnswerLimiter::with_quota(
                    crate::live::handlers::POSTS_PER_PHONE_PER_MINUTE,
                ),
            ),
            services_index: Arc::default(),
            live_followers: Arc::new(tokio::sync::Semaphore::new(MAX_LIVE_FOLLOWERS)),
            live_presenters: Arc::new(tokio::sync::Semaphore::new(MAX_LIVE_PRESENTERS)),
        }
    }
}

/// The state, inside a server function or a page rendered on the server.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        AppError::Unexpected
    })
}
