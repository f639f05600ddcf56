//! What staff may write into an assessment, checked the same way wherever
//! it arrives: a claim (level and account), evidence (a note, a link, a
//! document or a consultation in heard), and an assessment's title.

use super::framework::Framework;
use crate::text::{clean, clean_line, visible_len};
use serde::{Deserialize, Serialize};

/// An assessment's title, an evidence item's title.
pub const TITLE_LIMIT: usize = 120;
/// An account of how an indicator is met; a note as evidence.
pub const ACCOUNT_LIMIT: usize = 2000;
/// A link as evidence: as long as a service's website may be.
pub const URL_LIMIT: usize = crate::services::WEBSITE_LIMIT;

crate::form_actions! {
    /// The kinds of evidence, as stored and as posted.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum EvidenceKind {
        Note = "note",
        Link = "link",
        Document = "document",
        Survey = "survey",
        Ideas = "ideas",
    }
}

impl EvidenceKind {
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Note => "Note",
            EvidenceKind::Link => "Link",
            EvidenceKind::Document => "Document",
            EvidenceKind::Survey => "Consultation in heard",
            EvidenceKind::Ideas => "Ideas from young people",
        }
    }
}

/// A checked claim: the level (none: not assessed yet) and the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedClaim {
    pub level: Option<String>,
    pub account: String,
}

/// Checks a claim against `framework`: the indicator must be one of its
/// own, the level one of its levels (or none), the account not too long.
pub fn check_claim(
    framework: &Framework,
    indicator: &str,
    level: &str,
    account: &str,
) -> Result<CheckedClaim, String> {
    if !framework.indicators().any(|(_, i)| i.key == indicator) {
        return Err("That indicator is not part of this assessment's framework.".into());
    }
    let level = match level {
        "" => None,
        l if framework.rank(l).is_some() => Some(l.to_string()),
        _ => return Err("Choose one of the levels.".into()),
    };
    let account = clean(account, true);
    let len = visible_len(&account);
    if len > ACCOUNT_LIMIT {
        return Err(format!(
            "The account is {len} characters long: at most {ACCOUNT_LIMIT}."
        ));
    }
    Ok(CheckedClaim { level, account })
}

/// A title: cleaned, not empty, not too long.
pub fn check_title(title: &str, what: &str) -> Result<String, String> {
    let title = clean_line(title);
    match visible_len(&title) {
        0 => Err(format!("Give the {what} a title.")),
        n if n > TITLE_LIMIT => Err(format!(
            "The {what}'s title is {n} characters long: at most {TITLE_LIMIT}."
        )),
        _ => Ok(title),
    }
}

/// A note: cleaned, not empty, not too long.
pub fn check_note(note: &str) -> Result<String, String> {
    let note = clean(note, true);
    match visible_len(&note) {
        0 => Err("Write the note.".into()),
        n if n > ACCOUNT_LIMIT => Err(format!(
            "The note is {n} characters long: at most {ACCOUNT_LIMIT}."
        )),
        _ => Ok(note),
    }
}

/// A link: `https://` or `http://` and a host, nothing that runs script
/// (`javascript:`), not too long. A missing scheme gets `https://`.
pub fn check_link(url: &str) -> Result<String, String> {
    let url = clean_line(url).replace(' ', "%20");
    if url.is_empty() {
        return Err("Give the link's address.".into());
    }
    if url.len() > URL_LIMIT {
        return Err(format!("The link is longer than {URL_LIMIT} characters."));
    }
    let lower = url.to_ascii_lowercase();
    let url = if lower.starts_with("https://") || lower.starts_with("http://") {
        url
    } else if lower.contains(':') && !lower.contains('.') || lower.starts_with("javascript:") {
        return Err("A link must start with https://".into());
    } else {
        format!("https://{url}")
    };
    crate::services::checked_website(&url).ok_or_else(|| {
        "That does not look like a web address: check it and try again.".to_string()
    })?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standards::defaults;

    #[test]
    fn claims_take_the_frameworks_own_indicators_and_levels() {
        let seven = defaults::seven_s();
        let ok = check_claim(
            &seven,
            "values-written",
            "established",
            "  We wrote it\r\n down ",
        )
        .unwrap();
        assert_eq!(ok.level.as_deref(), Some("established"));
        assert_eq!(ok.account, "We wrote it\ndown");
        assert_eq!(
            check_claim(&seven, "values-written", "", "").unwrap().level,
            None
        );
        assert!(check_claim(&seven, "values-written", "gold", "").is_err());
        assert!(check_claim(&seven, "nope", "emerging", "").is_err());
        // Lundy's levels are its own: Seven S's are not.
        let lundy = defaults::lundy();
        let key = &lundy.standards[0].indicators[0].key;
        assert!(check_claim(&lundy, key, "emerging", "").is_err());
        assert!(check_claim(&lundy, key, "embedded", "").is_ok());
        let long = "a".repeat(ACCOUNT_LIMIT + 1);
        assert!(check_claim(&seven, "values-written", "", &long)
            .unwrap_err()
            .contains("2001 characters"));
    }

    #[test]
    fn links_are_web_addresses_and_nothing_else() {
        assert_eq!(
            check_link("www.example.org/a b").unwrap(),
            "https://www.example.org/a%20b"
        );
        assert_eq!(
            check_link("http://example.org").unwrap(),
            "http://example.org"
        );
        for bad in [
            "",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,hi",
            "https://",
            "https://ex ample",
            "not a link",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
        assert!(check_link(&format!("https://e.org/{}", "a".repeat(URL_LIMIT))).is_err());
    }

    #[test]
    fn titles_and_notes_are_cleaned_and_limited() {
        assert_eq!(
            check_title("  Board  minutes ", "evidence").unwrap(),
            "Board minutes"
        );
        assert_eq!(
            check_title(" ", "evidence").unwrap_err(),
            "Give the evidence a title."
        );
        assert!(check_title(&"a".repeat(TITLE_LIMIT + 1), "evidence").is_err());
        assert!(check_note("\n").is_err());
        assert_eq!(
            check_note(" We asked\n\n\n them ").unwrap(),
            "We asked\n\nthem"
        );
    }
}

/// How young people's agreement with a claim reads: true counts for the
/// organisation's own staff (`disclosed` `None`), disclosed for anyone
/// else (a share only from the disclosure base, counts rounded).
pub fn agreement_words(
    agree: i64,
    answered: i64,
    disclosed: Option<&crate::disclosure::Thresholds>,
) -> String {
    if answered == 0 {
        return "No answers yet".into();
    }
    match disclosed {
        None => format!("{agree} of {answered} agree"),
        Some(t) => match crate::disclosure::share(agree, answered, t) {
            Some(p) => format!("{p}% agree"),
            None => format!(
                "{} answered: too few to show",
                crate::disclosure::count(answered, t).page_text()
            ),
        },
    }
}

#[cfg(test)]
mod agreement_tests {
    use super::agreement_words;
    use crate::disclosure::DEFAULT;

    #[test]
    fn staff_see_their_counts_and_others_see_them_disclosed() {
        assert_eq!(agreement_words(0, 0, None), "No answers yet");
        assert_eq!(agreement_words(7, 10, None), "7 of 10 agree");
        let shown = agreement_words(7, 10, Some(&DEFAULT));
        assert!(
            shown.contains("too few to show") && !shown.contains('7'),
            "{shown}"
        );
        assert_eq!(agreement_words(21, 40, Some(&DEFAULT)), "50% agree");
    }
}
