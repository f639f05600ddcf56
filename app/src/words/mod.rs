//! Every word a young person writes goes through here on the server, once,
//! before it is stored: normalised ([`crate::text`]), personal details taken
//! out ([`personal`]), offensive language flagged ([`offensive`]) and risk
//! phrases matched ([`risk`]). Pure: no I/O, tests beside each part. Every
//! feature that takes free text from young people calls [`screen`].

use serde::{Deserialize, Serialize};

pub mod redaction;

#[cfg(feature = "ssr")]
pub mod offensive;
#[cfg(feature = "ssr")]
pub mod personal;
#[cfg(feature = "ssr")]
pub mod risk;

/// A kind of personal detail taken out of what someone wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Detail {
    Email,
    Phone,
    Postcode,
    Link,
    Username,
}

impl Detail {
    pub const ALL: [Detail; 5] = [
        Detail::Email,
        Detail::Phone,
        Detail::Postcode,
        Detail::Link,
        Detail::Username,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Detail::Email => "email",
            Detail::Phone => "phone",
            Detail::Postcode => "postcode",
            Detail::Link => "link",
            Detail::Username => "username",
        }
    }

    pub fn parse(key: &str) -> Option<Detail> {
        Detail::ALL.into_iter().find(|d| d.key() == key)
    }

    /// What replaces the detail in the text.
    pub fn marker(self) -> &'static str {
        match self {
            Detail::Email => "[email removed]",
            Detail::Phone => "[phone number removed]",
            Detail::Postcode => "[postcode removed]",
            Detail::Link => "[link removed]",
            Detail::Username => "[username removed]",
        }
    }
}

/// What screening found in one piece of text.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    /// What they wrote (already normalised).
    pub original: String,
    /// With every personal detail replaced by its marker: the only form that
    /// ever leaves the organisation.
    pub redacted: String,
    /// The kinds of detail taken out, each once, in [`Detail`] order.
    pub details: Vec<Detail>,
    /// Offensive language: held for a moderator, never altered.
    pub offensive: bool,
    /// The risk phrase that matched (as written in the list), if any.
    pub risk: Option<String>,
}

/// Screens text that has already been normalised and length-checked.
#[cfg(feature = "ssr")]
pub fn screen(text: &str, risks: &risk::RiskList) -> Screened {
    let (redacted, details) = personal::redact(text);
    Screened {
        original: text.to_string(),
        redacted,
        details,
        offensive: offensive::is_offensive(text),
        risk: risks.find(text).map(str::to_string),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn screening_redacts_flags_and_keeps_the_original() {
        let text =
            "my stepdad hits me, snap me on jess_2010 or ring 07700 900123. this club is shit";
        let s = screen(text, risk::RiskList::standard());
        assert_eq!(s.original, text);
        assert_eq!(
            s.redacted,
            "my stepdad hits me, snap me on [username removed] or ring [phone number removed]. this club is shit",
        );
        assert_eq!(s.details, vec![Detail::Phone, Detail::Username]);
        assert!(s.offensive);
        assert_eq!(s.risk.as_deref(), Some("hit* me"));
    }

    #[test]
    fn ordinary_text_passes_untouched() {
        let text = "I like the youth club, more football please";
        let s = screen(
            text,
            &risk::RiskList::with_additions(&["blue whale*".into()]),
        );
        assert_eq!(s.redacted, text);
        assert_eq!((s.details.len(), s.offensive, s.risk), (0, false, None));
    }

    #[test]
    fn details_round_trip_through_their_keys() {
        for d in Detail::ALL {
            assert_eq!(Detail::parse(d.key()), Some(d));
        }
        assert_eq!(Detail::parse("nope"), None);
    }
}

/// Reading the test corpora in `corpus/`: one case a line, `#` starts a comment.
#[cfg(all(test, feature = "ssr"))]
pub(crate) mod corpus {
    /// The lines that are not blank or comments.
    pub fn lines(text: &str) -> Vec<&str> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    }

    /// Lines written `input => expected`.
    pub fn pairs(text: &str) -> Vec<(&str, &str)> {
        lines(text)
            .into_iter()
            .map(|l| l.split_once(" => ").expect("input => expected"))
            .collect()
    }
}
