//! Configuration, from environment variables (and `.env` if present).
//! Every variable is read here, and documented here and in the README.

use app::mail::Mailer;
use app::secret::ServerSecret;
use app::state::{Settings, DEFAULT_RETENTION_DAYS};
use std::net::SocketAddr;
use std::sync::Arc;
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
    /// `HEARD_SESSION_MAX_HOURS`: sign staff out this long after they signed
    /// in, however active. Default 12.
    pub session_max: Duration,
    /// `HEARD_PUBLIC_URL`: where people reach heard, for links staff share
    /// (`https://heard.example.org`). Default `http://` (or `https://` with
    /// `HEARD_HTTPS`) and `HEARD_ADDR`.
    pub public_url: String,
    /// `HEARD_SECRET` (at least 32 characters), or else the file named by
    /// `HEARD_SECRET_FILE` (default `heard.secret`, made with a random
    /// secret on first start, readable only by its owner). Every server behind
    /// a load balancer needs the same one.
    pub secret: ServerSecret,
    /// `HEARD_SMTP_URL`: the mail server that emails safeguarding leads when a
    /// new item waits (`smtps://user:pass@smtp.example.org:465`,
    /// `smtp://user:pass@host:587?tls=required`, `smtp://127.0.0.1:2525` for a
    /// relay on this machine). Unset: no email; the count in the leads'
    /// navigation shows new items. `HEARD_SMTP_FROM` says who email comes
    /// from (default `heard <no-reply@` the host of `HEARD_PUBLIC_URL` `>`).
    /// Both are checked at start-up.
    pub mail: Option<Arc<Mailer>>,
    /// `HEARD_RETENTION_DAYS`: originals of redacted text, and closed
    /// safeguarding items, are deleted this many days after they were written
    /// or closed. A whole number, at least 1. Default 365.
    pub retention_days: u32,
    /// `HEARD_SURVEY_MINIMUM`: a survey's results reach commissioners from
    /// this many responses. A whole number, at least 10. Default 30.
    pub survey_minimum: i64,
    /// `HEARD_UPLOADS_DIR`: where documents uploaded as evidence are kept,
    /// outside the site folder. Default `heard-uploads` (made if missing).
    /// Servers behind one load balancer share it (a network folder).
    pub uploads: std::path::PathBuf,
    /// The national feed (see README): `HEARD_FEED_KEY` names the file with
    /// this instance's Ed25519 key (`heard feed keygen`); with it, `/feed`
    /// serves a signed document of disclosed figures. `HEARD_INSTANCE_ID`
    /// (lower-case letters, digits, dashes) and `HEARD_INSTANCE_NAME` say
    /// who the instance is; `HEARD_FEED_TOKEN` (32 characters or more) is what
    /// the hub shows to read the feed. While moving to a new key,
    /// `HEARD_FEED_PREVIOUS_KEY` names the old key's file, which hands over.
    pub feed: Option<app::feed::FeedIdentity>,
    /// `HEARD_HUB`: `true` to run as a hub, collecting instances' feeds.
    pub hub: bool,
    /// `HEARD_HUB_PULL_MINUTES`: how often a hub pulls every feed. Default 15.
    pub hub_pull_every: Duration,
    /// `HEARD_HUB_URL`: the hub whose national questions staff may import
    /// (`https://hub.heard.example.org`).
    pub hub_url: Option<String>,
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
        let https = flag("HEARD_HTTPS")?;
        let max_hours = match var("HEARD_SESSION_MAX_HOURS") {
            None => 12,
            Some(h) => h
                .parse::<u64>()
                .ok()
                .filter(|h| *h > 0)
                .ok_or(ConfigError {
                    name: "HEARD_SESSION_MAX_HOURS",
                    problem: "expected a whole number of hours".into(),
                })?,
        };
        let public_url = match var("HEARD_PUBLIC_URL") {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
                u.trim_end_matches('/').to_string()
            }
            Some(_) => {
                return Err(ConfigError {
                    name: "HEARD_PUBLIC_URL",
                    problem: "expected an address starting https:// (or http://)".into(),
                })
            }
            None => format!("{}://{addr}", if https { "https" } else { "http" }),
        };
        let secret = match var("HEARD_SECRET") {
            Some(text) => ServerSecret::from_text(&text).ok_or(ConfigError {
                name: "HEARD_SECRET",
                problem: "expected at least 32 characters".into(),
            })?,
            None => {
                secret_file(&var("HEARD_SECRET_FILE").unwrap_or_else(|| "heard.secret".into()))?
            }
        };
        let mail = mail(
            var("HEARD_SMTP_URL").as_deref(),
            var("HEARD_SMTP_FROM").as_deref(),
            &public_url,
        )?;
        Ok(Config {
            database_url,
            addr,
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            https,
            session_idle: Duration::from_secs(idle * 60),
            trust_forwarded_for: flag("HEARD_TRUST_FORWARDED_FOR")?,
            session_max: Duration::from_secs(max_hours * 60 * 60),
            public_url,
            secret,
            mail,
            retention_days: retention_days(var("HEARD_RETENTION_DAYS").as_deref())?,
            survey_minimum: survey_minimum(var("HEARD_SURVEY_MINIMUM").as_deref())?,
            uploads: var("HEARD_UPLOADS_DIR")
                .unwrap_or_else(|| "heard-uploads".into())
                .into(),
            feed: feed(
                var("HEARD_FEED_KEY").as_deref(),
                var("HEARD_FEED_TOKEN").as_deref(),
                var("HEARD_FEED_PREVIOUS_KEY").as_deref(),
                var("HEARD_INSTANCE_ID").as_deref(),
                var("HEARD_INSTANCE_NAME").as_deref(),
            )?,
            hub: flag("HEARD_HUB")?,
            hub_pull_every: Duration::from_secs(
                whole(
                    "HEARD_HUB_PULL_MINUTES",
                    var("HEARD_HUB_PULL_MINUTES").as_deref(),
                    15,
                )? * 60,
            ),
            hub_url: var("HEARD_HUB_URL").map(|u| u.trim_end_matches('/').to_string()),
        })
    }

    pub fn settings(&self) -> Settings {
        Settings {
            https: self.https,
            session_idle: self.session_idle,
            trust_forwarded_for: self.trust_forwarded_for,
            session_max: self.session_max,
            public_url: self.public_url.clone(),
            secret: self.secret.clone(),
            mail: self.mail.clone(),
            retention_days: self.retention_days,
            disclosure: app::disclosure::Thresholds::with_survey_minimum(self.survey_minimum),
            uploads: self.uploads.clone(),
            feed: self.feed.clone(),
            hub: self.hub,
            hub_pull_every: self.hub_pull_every,
            hub_url: self.hub_url.clone(),
        }
    }
}

/// A whole number of at least 1 from `name`, or `default`.
fn whole(name: &'static str, text: Option<&str>, default: u64) -> Result<u64, ConfigError> {
    match text {
        None => Ok(default),
        Some(t) => match t.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(ConfigError {
                name,
                problem: format!("{t:?} is not a whole number of at least 1"),
            }),
        },
    }
}

/// This instance in the feed: its key (and the one it is moving from),
/// read now, and who it is.
fn feed(
    key: Option<&str>,
    token: Option<&str>,
    previous: Option<&str>,
    id: Option<&str>,
    name: Option<&str>,
) -> Result<Option<app::feed::FeedIdentity>, ConfigError> {
    use app::feed::signing::FeedKey;
    let Some(key) = key else {
        return Ok(None);
    };
    let read = |name: &'static str, path: &str| {
        FeedKey::read(std::path::Path::new(path))
            .map(Arc::new)
            .map_err(|problem| ConfigError { name, problem })
    };
    let instance = id.map(str::trim).unwrap_or_default().to_string();
    if !app::feed::is_identifier(&instance) {
        return Err(ConfigError {
            name: "HEARD_INSTANCE_ID",
            problem: "a feed needs the instance's identifier: lower-case letters, digits and dashes (`leeds-city-council`)".into(),
        });
    }
    let token = token
        .and_then(app::feed::FeedToken::new)
        .ok_or_else(|| ConfigError {
            name: "HEARD_FEED_TOKEN",
            problem: "a feed needs a token of 32 characters or more (no spaces) that only the hub is given: it shows it to read /feed".into(),
        })?;
    Ok(Some(app::feed::FeedIdentity {
        token,
        name: name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| instance.clone()),
        instance,
        key: read("HEARD_FEED_KEY", key)?,
        previous: previous
            .map(|p| read("HEARD_FEED_PREVIOUS_KEY", p))
            .transpose()?,
    }))
}

/// The mail server from `HEARD_SMTP_URL` and the sender from
/// `HEARD_SMTP_FROM`, both checked now rather than at the first email.
fn mail(
    url: Option<&str>,
    from: Option<&str>,
    public_url: &str,
) -> Result<Option<Arc<Mailer>>, ConfigError> {
    let from = match from {
        Some(text) => app::mail::parse_from(text).ok_or(ConfigError {
            name: "HEARD_SMTP_FROM",
            problem: format!(
                "{text:?} is not an email address (`heard <no-reply@example.org>` or `no-reply@example.org`)"
            ),
        })?,
        None => default_from(public_url),
    };
    let Some(url) = url else {
        return Ok(None);
    };
    Mailer::new(url, from)
        .map(|m| Some(Arc::new(m)))
        .map_err(|problem| ConfigError {
            name: "HEARD_SMTP_URL",
            problem,
        })
}

/// `heard <no-reply@host>`, the host being `HEARD_PUBLIC_URL`'s (or
/// `localhost` if that makes no address).
fn default_from(public_url: &str) -> app::mail::Mailbox {
    let host = public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or("");
    app::mail::parse_from(&format!("heard <no-reply@{host}>"))
        .or_else(|| app::mail::parse_from("heard <no-reply@localhost>"))
        .expect("a fixed address parses")
}

fn retention_days(value: Option<&str>) -> Result<u32, ConfigError> {
    match value {
        None => Ok(DEFAULT_RETENTION_DAYS),
        Some(d) => d
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| *d >= 1)
            .ok_or(ConfigError {
                name: "HEARD_RETENTION_DAYS",
                problem: format!("expected a whole number of days, at least 1, got {d:?}"),
            }),
    }
}

fn survey_minimum(value: Option<&str>) -> Result<i64, ConfigError> {
    let lowest = app::disclosure::LOWEST_SURVEY_MINIMUM;
    match value {
        None => Ok(app::disclosure::DEFAULT.min_survey_responses),
        Some(n) => n
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= lowest)
            .ok_or(ConfigError {
                name: "HEARD_SURVEY_MINIMUM",
                problem: format!(
                    "expected a whole number of responses, at least {lowest}, got {n:?}"
                ),
            }),
    }
}

/// Reads the secret from `path`, or makes one there (owner-only) if there is none.
fn secret_file(path: &str) -> Result<ServerSecret, ConfigError> {
    let problem = |problem: String| ConfigError {
        name: "HEARD_SECRET_FILE",
        problem,
    };
    match std::fs::read_to_string(path) {
        // Another server starting at the same moment may have made the file
        // and not yet written it: wait a moment for its secret.
        Ok(text) if text.trim().is_empty() => {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let text = std::fs::read_to_string(path).unwrap_or_default();
            ServerSecret::from_text(&text)
                .ok_or_else(|| problem(format!("{path} does not hold a secret heard can use")))
        }
        Ok(text) => ServerSecret::from_text(&text)
            .ok_or_else(|| problem(format!("{path} does not hold a secret heard can use"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = ServerSecret::generate();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let written = options.open(path).and_then(|mut f| {
                std::io::Write::write_all(&mut f, format!("{}\n", secret.to_text()).as_bytes())
            });
            match written {
                Ok(()) => Ok(secret),
                // Another process made it first: use theirs.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => secret_file(path),
                Err(e) => Err(problem(format!("could not create {path}: {e}"))),
            }
        }
        Err(e) => Err(problem(format!("could not read {path}: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_smtp_url_means_no_email() {
        assert!(mail(None, None, "https://heard.example.org")
            .unwrap()
            .is_none());
    }

    #[test]
    fn an_smtp_url_is_checked_at_start_up() {
        let m = mail(
            Some("smtp://user:pass@smtp.example.org:587?tls=required"),
            None,
            "https://heard.example.org",
        )
        .unwrap()
        .expect("a mailer");
        assert_eq!(m.server(), "smtp.example.org:587");
        for bad in [
            "smtp.example.org",
            "imap://smtp.example.org",
            "smtp://user:pass@smtp.example.org:587",
        ] {
            let e = mail(Some(bad), None, "https://heard.example.org").unwrap_err();
            assert_eq!(e.name, "HEARD_SMTP_URL", "{bad}");
            assert!(!e.to_string().contains("pass@"), "{e}");
        }
    }

    #[test]
    fn email_comes_from_no_reply_at_the_public_host_unless_told() {
        assert_eq!(
            default_from("https://heard.example.org:8443/x").to_string(),
            "heard <no-reply@heard.example.org>"
        );
        assert_eq!(
            default_from("http://[::1]:3000").email.to_string(),
            "no-reply@localhost"
        );
        assert!(mail(
            Some("smtp://127.0.0.1:2525"),
            Some("Safeguarding <safeguarding@council.example.gov.uk>"),
            "https://heard.example.org",
        )
        .is_ok());
        let e = mail(
            Some("smtp://127.0.0.1:2525"),
            Some("not an address"),
            "https://heard.example.org",
        )
        .unwrap_err();
        assert_eq!(e.name, "HEARD_SMTP_FROM");
        // Checked even while email is off, so turning it on later cannot fail.
        assert!(mail(None, Some("nope"), "https://heard.example.org").is_err());
    }

    #[test]
    fn retention_is_a_whole_number_of_days_from_one() {
        assert_eq!(survey_minimum(None).unwrap(), 30);
        assert_eq!(survey_minimum(Some("50")).unwrap(), 50);
        assert_eq!(survey_minimum(Some("10")).unwrap(), 10);
        assert!(survey_minimum(Some("9")).is_err(), "never below 10");
        assert!(survey_minimum(Some("lots")).is_err());
        assert_eq!(retention_days(None).unwrap(), 365);
        assert_eq!(retention_days(Some("30")).unwrap(), 30);
        assert_eq!(retention_days(Some("1")).unwrap(), 1);
        for bad in ["0", "-5", "1.5", "a year", "99999999999"] {
            let e = retention_days(Some(bad)).unwrap_err();
            assert_eq!(e.name, "HEARD_RETENTION_DAYS", "{bad}");
            assert!(e.to_string().contains("at least 1"), "{e}");
        }
    }
}
