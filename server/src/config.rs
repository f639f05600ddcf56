//! Configuration, from environment variables (and `.env` if present).
//! Every variable is read here, and documented here and in the README.

use app::state::Settings;
use std::net::SocketAddr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://heard.db` (default; created if missing) or a
    /// `postgres://` URL for many servers on one database.
    pub database_url: String,
    /// `HEARD_ADDR`: where to listen. Default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the built site (CSS, JS, wasm). Default `target/site`.
    pub site_root: String,
    /// `HEARD_HTTPS`: `true` when people reach heard over https (default `false`).
    pub https: bool,
    /// `HEARD_SESSION_IDLE_MINUTES`: sign staff out after this long idle. Default 120.
    pub session_idle: Duration,
    /// `HEARD_TRUST_FORWARDED_FOR`: `true` only behind a proxy that sets
    /// `X-Forwarded-For`; used for sign-in rate limits, never stored. Default `false`.
    pub trust_forwarded_for: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn flag(name: &'static str) -> Result<bool, ConfigError> {
    match var(name).as_deref().map(str::to_lowercase).as_deref() {
        None | Some("false" | "0" | "no") => Ok(false),
        Some("true" | "1" | "yes") => Ok(true),
        Some(other) => Err(ConfigError {
            name,
            problem: format!("expected true or false, got {other:?}"),
        }),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let _ = dotenvy::dotenv();
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://heard.db".into());
        if app::db::Db::backend_of(&database_url).is_none() {
            return Err(ConfigError {
                name: "DATABASE_URL",
                problem: "must start with sqlite: or postgres:".into(),
            });
        }
        let addr = var("HEARD_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .map_err(|e| ConfigError {
                name: "HEARD_ADDR",
                problem: format!("not an address and port: {e}"),
            })?;
        let idle = match var("HEARD_SESSION_IDLE_MINUTES") {
            None => 120,
            Some(m) => m
                .parse::<u64>()
                .ok()
                .filter(|m| *m > 0)
                .ok_or(ConfigError {
                    name: "HEARD_SESSION_IDLE_MINUTES",
                    problem: "expected a whole number of minutes".into(),
                })?,
        };
        Ok(Config {
            database_url,
            addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            https: flag("HEARD_HTTPS")?,
            session_idle: Duration::from_secs(idle * 60),
            trust_forwarded_for: flag("HEARD_TRUST_FORWARDED_FOR")?,
        })
    }

    pub fn settings(&self) -> Settings {
        Settings {
            https: self.https,
            session_idle: self.session_idle,
            trust_forwarded_for: self.trust_forwarded_for,
        }
    }
}
