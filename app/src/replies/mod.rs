//! "You said, we did": an organisation answers young people back. What they
//! said (a theme), what the organisation did or will do, and when; linked to
//! the ratings, suggestions and surveys it came from. Shown on a service's
//! page, on linked suggestions (and the young person's private link), and on
//! public pages per organisation and per area.

use serde::{Deserialize, Serialize};

pub mod pages;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod html;
#[cfg(feature = "ssr")]
pub mod store;

pub const SAID_LIMIT: usize = 300;
pub const DID_LIMIT: usize = 3_000;
pub const WHEN_LIMIT: usize = 80;
/// Replies on one page of a public list.
pub const PER_PAGE: i64 = 20;

/// What a reply can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinkKind {
    Service,
    Suggestion,
    Survey,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::Service, LinkKind::Suggestion, LinkKind::Survey];

    pub fn key(self) -> &'static str {
        match self {
            LinkKind::Service => "service",
            LinkKind::Suggestion => "suggestion",
            LinkKind::Survey => "survey",
        }
    }

    pub fn parse(key: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A published reply as anyone sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyCard {
    pub id: i64,
    pub organisation: String,
    pub said: String,
    /// Cleaned by ammonia when it was saved: paragraphs, lists, links only.
    pub did_html: String,
    pub when: String,
    /// "24 November 2026".
    pub published: String,
    /// `(what it answers, link)`: "Ratings of Northfield Youth Club".
    pub links: Vec<(String, Option<String>)>,
}

/// What staff write in a reply, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplyFields {
    pub said: String,
    /// As typed: plain text (blank lines make paragraphs, "- " lines a
    /// list) or simple HTML.
    pub did: String,
    pub when: String,
}

impl ReplyFields {
    pub fn check(mut self) -> Result<ReplyFields, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        self.said = crate::text::clean(&self.said, true);
        self.did = crate::text::clean(&self.did, true);
        self.when = crate::text::clean_line(&self.when);
        let said = crate::text::visible_len(&self.said);
        if said == 0 || said > SAID_LIMIT {
            problems.push((
                "said",
                format!("Say what young people told you, in up to {SAID_LIMIT} characters."),
            ));
        }
        let did = crate::text::visible_len(&self.did);
        if did == 0 || did > DID_LIMIT {
            problems.push((
                "did",
                format!("Say what you did or will do, in up to {DID_LIMIT} characters."),
            ));
        }
        let when = crate::text::visible_len(&self.when);
        if when == 0 || when > WHEN_LIMIT {
            problems.push(("when", format!("Say when, for example \u{201c}Since September 2026\u{201d} (up to {WHEN_LIMIT} characters).")));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_reply_is_needed() {
        let ok = ReplyFields {
            said: " More trips ".into(),
            did: "We booked two.".into(),
            when: "March 2027".into(),
        }
        .check()
        .unwrap();
        assert_eq!(ok.said, "More trips");
        let problems = ReplyFields::default().check().unwrap_err();
        assert_eq!(
            problems.iter().map(|p| p.0).collect::<Vec<_>>(),
            vec!["said", "did", "when"]
        );
    }

    #[test]
    fn link_kinds_round_trip() {
        for k in LinkKind::ALL {
            assert_eq!(LinkKind::parse(k.key()), Some(k));
        }
    }
}
