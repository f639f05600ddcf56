//! Words and phrases that may mean a young person, or someone else, is at risk.

/// A compiled list: heard's standard phrases and any added in the app.
#[derive(Debug, Clone)]
pub struct RiskList {
    phrases: Vec<String>,
}

/// Why a phrase someone tried to add cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseProblem {
    Empty,
    TooLong,
}

pub const PHRASE_MAX: usize = 100;

impl RiskList {
    /// heard's standard list only.
    pub fn standard() -> &'static RiskList {
        static STANDARD: std::sync::OnceLock<RiskList> = std::sync::OnceLock::new();
        STANDARD.get_or_init(|| RiskList {
            phrases: vec!["hits me".into(), "kill myself".into()],
        })
    }

    /// The standard list and `additions` (phrases already checked by [`check_phrase`]).
    pub fn with_additions(additions: &[String]) -> RiskList {
        let mut phrases = RiskList::standard().phrases.clone();
        phrases.extend(additions.iter().cloned());
        RiskList { phrases }
    }

    /// The standard list's phrases, as written in it.
    pub fn standard_phrases() -> Vec<String> {
        RiskList::standard().phrases.clone()
    }

    /// Number of phrases in the standard list.
    pub fn standard_len() -> usize {
        RiskList::standard().phrases.len()
    }

    /// The first phrase `text` matches, as written in the list.
    pub fn find(&self, text: &str) -> Option<&str> {
        let lower = text.to_lowercase();
        self.phrases
            .iter()
            .find(|p| lower.contains(p.as_str()))
            .map(String::as_str)
    }
}

/// A phrase someone wants to add, tidied (trimmed, lower case), or why not.
pub fn check_phrase(input: &str) -> Result<String, PhraseProblem> {
    let p = crate::text::clean_line(input).to_lowercase();
    if p.is_empty() {
        Err(PhraseProblem::Empty)
    } else if p.chars().count() > PHRASE_MAX {
        Err(PhraseProblem::TooLong)
    } else {
        Ok(p)
    }
}
