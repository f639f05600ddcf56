//! The national feed: local heard instances publish a signed document of
//! disclosed figures for their surveys that use national questions, and a
//! heard run as a hub collects, verifies and merges them, so the
//! Children's Commissioner's office sees England without holding a single
//! young person's answer.
//!
//! - [`template`]: national questions (`heard-national/1`), published by
//!   the hub and imported into local surveys.
//! - [`document`]: the feed document (`heard-feed/1`), RFC 8785 canonical
//!   JSON, and what a hub checks in it.
//! - [`publish`]: a local instance's counts as disclosed tables.
//! - [`signing`]: Ed25519 keys, detached signatures and key handover.
//! - [`merge`]: the hub's sums, disclosed again.
//! - `store`, `handlers`, `pages`: the database, the HTTP ends and the
//!   pages (the hub's instances and log, the national view, importing
//!   national questions); `export`: the national view as files.

pub mod document;
pub mod merge;
pub mod pages;
pub mod publish;
pub mod template;

#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod store;

/// The national templates heard ships (a hub publishes them).
pub const SHIPPED_TEMPLATES: [&str; 1] = [include_str!(
    "../../../server/data/national/growing-up-in-england.json"
)];

/// Who this instance is in its feed, and the key it signs with
/// (`HEARD_INSTANCE_ID`, `HEARD_INSTANCE_NAME`, `HEARD_FEED_KEY`, and while
/// moving to a new key `HEARD_FEED_PREVIOUS_KEY`).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct FeedIdentity {
    pub instance: String,
    pub name: String,
    pub key: std::sync::Arc<signing::FeedKey>,
    pub previous: Option<std::sync::Arc<signing::FeedKey>>,
    /// Who may read `/feed`: a hub that shows this (`HEARD_FEED_TOKEN`).
    pub token: FeedToken,
}

/// The token a hub shows to read `/feed`; never printed.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct FeedToken(String);

#[cfg(feature = "ssr")]
impl std::fmt::Debug for FeedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeedToken(…)")
    }
}

#[cfg(feature = "ssr")]
impl FeedToken {
    /// At least 32 characters, no spaces.
    pub fn new(text: &str) -> Option<FeedToken> {
        let t = text.trim();
        (t.chars().count() >= 32 && !t.chars().any(char::is_whitespace))
            .then(|| FeedToken(t.to_string()))
    }

    /// Whether `shown` is the token (compared as digests, so the time taken
    /// says nothing about how much of it was right).
    pub fn matches(&self, shown: &str) -> bool {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.0.as_bytes()) == Sha256::digest(shown.as_bytes())
    }
}

/// An instance a hub collects from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub instance: String,
    pub name: String,
    pub feed_url: String,
    pub public_key: String,
    pub pull_token: String,
}

/// An identifier (an instance's, a template's, a national question's):
/// lower-case letters, digits and dashes, 1 to 60.
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks what an administrator typed to register an instance; each
/// problem in words.
pub fn check_registration(
    instance: &str,
    name: &str,
    feed_url: &str,
    public_key: &str,
    pull_token: &str,
) -> Result<Registration, Vec<String>> {
    let mut problems = Vec::new();
    let instance = instance.trim();
    if !is_identifier(instance) {
        problems.push("The identifier is lower-case letters, digits and dashes, as the instance's HEARD_INSTANCE_ID says.".to_string());
    }
    // Through the shared text pipeline, like every name heard keeps.
    let name = crate::text::clean_line(name);
    if name.is_empty() || crate::text::visible_len(&name) > 120 {
        problems.push("Give the instance a name of up to 120 characters.".into());
    }
    // The one web-address check heard has.
    let url = crate::services::checked_website(feed_url.trim()).unwrap_or_default();
    if url.is_empty() {
        problems.push(
            "The feed address starts https:// (or http:// on a private network) and ends /feed."
                .into(),
        );
    }
    let key = public_key.trim();
    let key_ok = key.len() == 44
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=');
    if !key_ok {
        problems.push(
            "The public key is the 44 characters `heard feed public-key` prints on the instance."
                .into(),
        );
    }
    let token = pull_token.trim();
    if token.chars().count() < 32 || token.len() > 200 || token.chars().any(char::is_whitespace) {
        problems.push(
            "The pull token is the instance's HEARD_FEED_TOKEN: 32 characters or more, no spaces."
                .into(),
        );
    }
    if problems.is_empty() {
        Ok(Registration {
            instance: instance.into(),
            name,
            feed_url: url,
            public_key: key.into(),
            pull_token: token.into(),
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_names_each_problem_and_takes_a_good_one() {
        let key = "a".repeat(43) + "=";
        let token = "t".repeat(32);
        let ok = check_registration(
            " leeds ",
            "Leeds",
            "https://heard.leeds.gov.uk/feed",
            &key,
            &token,
        )
        .unwrap();
        assert_eq!(ok.instance, "leeds");
        let bad = check_registration("Leeds!", "", "ftp://x", "short", "short").unwrap_err();
        assert_eq!(bad.len(), 5, "{bad:?}");
    }
}
