//! Outgoing email over SMTP (`HEARD_SMTP_URL`). The transport is checked and
//! built once at start-up, so a wrong address stops heard starting instead of
//! failing at the first email; every send has a time limit, so a mail server
//! that never answers holds nothing up for ever.

use lettre::message::header::ContentType;
pub use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt;
use std::time::Duration;

/// The longest one email may take, from connecting to the server's last
/// reply; also the limit on each step of the conversation.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// One email's words: plain text, no markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub body: String,
}

/// The way email leaves heard: an SMTP server and who it comes from.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `host:port`, for logs: never the user name or password.
    server: String,
}

/// Never prints the URL: it may hold the server's password.
impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish()
    }
}

/// Why an email was not sent. Holds nothing of what the email said.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the recipient is not an email address")]
    Recipient,
    #[error("the email could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the mail server did not finish within {SEND_TIMEOUT:?}")]
    TimedOut,
    #[error("the mail server refused or failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

impl Mailer {
    /// Checks `url` (`smtps://user:pass@host:465`, `smtp://user:pass@host:587?tls=required`,
    /// `smtp://127.0.0.1:2525`) and builds the transport. Connects to
    /// nothing: the first email does. The error says what is wrong without
    /// repeating the URL (it may hold a password).
    pub fn new(url: &str, from: Mailbox) -> Result<Mailer, String> {
        let parsed = url::Url::parse(url).map_err(|e| {
            format!("not a URL ({e}); characters such as @ / : in the user name or password must be percent-encoded")
        })?;
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let encrypted = match (parsed.scheme(), tls.as_deref()) {
            ("smtps", None) | ("smtp", Some("required")) => true,
            ("smtp", None | Some("opportunistic")) => false,
            ("smtp" | "smtps", Some(other)) => {
                return Err(format!(
                    "tls={other} is not understood: use tls=required (or opportunistic)"
                ))
            }
            (scheme, _) => {
                return Err(format!(
                    "{scheme}:// is not understood: use smtps:// or smtp://"
                ))
            }
        };
        let host = parsed.host().ok_or("names no mail server host")?.to_owned();
        // `smtp:` is not a scheme the URL standard knows, so an IPv4 address
        // arrives as a name: read it as an address here.
        let loopback = match &host {
            url::Host::Domain(d) => {
                d.eq_ignore_ascii_case("localhost")
                    || d.parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        let credentials = !parsed.username().is_empty() || parsed.password().is_some();
        if credentials && !encrypted && !loopback {
            return Err(
                "would send the password unencrypted: use smtps:// or add ?tls=required".into(),
            );
        }
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("not usable: {e}"))?;
        let transport = builder.timeout(Some(SEND_TIMEOUT)).build();
        let port = parsed.port().map_or(String::new(), |p| format!(":{p}"));
        Ok(Mailer {
            transport,
            from,
            server: format!("{host}{port}"),
        })
    }

    /// The server email goes to (`host:port`), for logs.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends `email` to `to`, giving up after [`SEND_TIMEOUT`].
    pub async fn send(&self, to: &str, email: &Email) -> Result<(), SendError> {
        let to: Mailbox = to.parse().map_err(|_| SendError::Recipient)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            // Mail without one looks like spam to many filters.
            .message_id(None)
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())?;
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message)).await {
            Ok(sent) => sent.map(|_| ()).map_err(SendError::from),
            Err(_elapsed) => Err(SendError::TimedOut),
        }
    }
}

/// Parses who email comes from: `heard <no-reply@example.org>` or a bare address.
pub fn parse_from(text: &str) -> Option<Mailbox> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> Mailbox {
        parse_from("heard <no-reply@heard.example.org>").unwrap()
    }

    #[test]
    fn the_urls_heard_documents_are_accepted() {
        for url in [
            "smtps://user:pass@smtp.example.org:465",
            "smtps://smtp.example.org",
            "smtp://user:pass@smtp.example.org:587?tls=required",
            "smtp://smtp.example.org:587?tls=opportunistic",
            "smtp://127.0.0.1:2525",
            "smtp://user:pass@localhost:25",
        ] {
            let m = Mailer::new(url, from()).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(!format!("{m:?}").contains("pass"), "{m:?}");
        }
    }

    #[test]
    fn unusable_urls_are_refused_without_repeating_the_password() {
        for url in [
            "mail.example.org",
            "http://smtp.example.org",
            "smtp://",
            "smtp://smtp.example.org?tls=sometimes",
            "smtp://user:secretpw@smtp.example.org:587",
            "smtp://user:secretpw@smtp.example.org:587?tls=opportunistic",
        ] {
            let e = Mailer::new(url, from()).expect_err(url);
            assert!(!e.contains("secretpw"), "{url}: {e}");
        }
    }

    #[test]
    fn a_password_is_never_sent_in_the_clear_to_another_machine() {
        let e = Mailer::new("smtp://u:p@smtp.example.org", from()).unwrap_err();
        assert!(e.contains("unencrypted"), "{e}");
        assert!(Mailer::new("smtp://u:p@smtp.example.org?tls=required", from()).is_ok());
        assert!(Mailer::new("smtp://u:p@127.0.0.1:2525", from()).is_ok());
        assert!(Mailer::new("smtp://u:p@[::1]:2525", from()).is_ok());
        assert!(Mailer::new("smtp://u:p@127.0.0.1.example.org:25", from()).is_err());
        assert!(Mailer::new("smtp://u:p@192.0.2.1:25", from()).is_err());
    }

    #[test]
    fn senders_parse_with_or_without_a_name() {
        assert_eq!(
            parse_from("heard <no-reply@heard.example.org>")
                .unwrap()
                .email
                .to_string(),
            "no-reply@heard.example.org"
        );
        assert!(parse_from("safeguarding@council.example.gov.uk").is_some());
        assert!(parse_from("not an address").is_none());
        assert!(parse_from("heard <no-reply@>").is_none());
    }
}
