//! What every request handler and server function can reach.

use crate::accounts::limiter::SignInLimiter;
use crate::accounts::password::PasswordGate;
use crate::db::Db;
use crate::error::AppError;
use crate::secret::ServerSecret;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;
use std::time::Duration;

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
}

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
