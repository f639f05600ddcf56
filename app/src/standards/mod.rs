//! Participation standards: organisations assess themselves against a
//! framework (Hear by Right–style), back each claim with evidence and young
//! people's views, and see the award that evidence would earn. Frameworks
//! are data ([`framework`]); the award rules are pure ([`award`]).

pub mod award;
pub mod compare;
#[cfg(feature = "ssr")]
pub mod documents;
pub mod framework;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod overview;
pub mod pages;
pub mod plan;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;

use rules::EvidenceKind;
use serde::{Deserialize, Serialize};

/// A framework version in the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkRow {
    pub id: i64,
    pub key: String,
    pub version: i64,
    pub name: String,
}

/// An assessment in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub title: String,
    pub framework: String,
    pub started_on: String,
    pub based_on: Option<i64>,
}

/// An assessment's heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub area_code: Option<String>,
    pub framework_id: i64,
    pub title: String,
    pub started_on: String,
    pub based_on: Option<i64>,
    /// The survey young people answer about it, once it is sent.
    pub panel_survey_id: Option<i64>,
    pub panel_slug: Option<String>,
}

/// A level claimed for an indicator, and the account behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub indicator: String,
    pub level: Option<String>,
    pub account: String,
    pub updated_on: String,
    /// When it was saved, to tell a later save by someone else.
    pub updated_at: i64,
}

/// An item of evidence, with what it points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: i64,
    pub indicator: String,
    pub kind: EvidenceKind,
    pub title: String,
    pub note: String,
    pub url: Option<String>,
    /// A document: `(id, name, bytes)`.
    pub document: Option<(i64, String, i64)>,
    /// A survey in heard: `(id, title)`.
    pub survey: Option<(i64, String)>,
    /// A survey's responses so far (true count: staff of the organisation
    /// see their own; others see it disclosed).
    pub responses: Option<i64>,
    /// Ideas young people sent for the organisation's area: sent, approved,
    /// happening (read now, so it keeps up).
    pub ideas: Option<(i64, i64, i64)>,
    pub added_on: String,
}

/// The frameworks heard ships, as files an administrator could import.
pub mod defaults {
    use super::framework::Framework;

    pub const SEVEN_S: &str = include_str!("frameworks/seven-s.json");
    pub const LUNDY: &str = include_str!("frameworks/lundy.json");

    fn parsed(text: &str) -> Framework {
        // Checked by the tests below: a shipped framework always parses.
        Framework::parse(text).unwrap_or_else(|p| panic!("a shipped framework is unsound: {p:?}"))
    }

    /// After the Seven S model: the default.
    pub fn seven_s() -> Framework {
        parsed(SEVEN_S)
    }

    /// After the Lundy model: smaller, with levels and awards of its own.
    pub fn lundy() -> Framework {
        parsed(LUNDY)
    }

    pub fn all() -> Vec<Framework> {
        vec![seven_s(), lundy()]
    }
}

#[cfg(test)]
mod tests {
    use super::defaults;
    use super::framework::{Framework, FORMAT, MAX_FILE_BYTES};

    #[test]
    fn the_shipped_frameworks_are_sound() {
        for text in [defaults::SEVEN_S, defaults::LUNDY] {
            let f = Framework::parse(text).unwrap();
            assert!(f.problems().is_empty());
        }
        let seven = defaults::seven_s();
        assert_eq!(seven.standards.len(), 7);
        let titles: Vec<&str> = seven.standards.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Shared values",
                "Strategy",
                "Structures",
                "Systems",
                "Staff",
                "Skills and knowledge",
                "Style of leadership"
            ]
        );
        let levels: Vec<&str> = seven.levels.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(levels, ["emerging", "established", "advanced"]);
        let lundy = defaults::lundy();
        let titles: Vec<&str> = lundy.standards.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Space", "Voice", "Audience", "Influence"]);
    }

    fn seven() -> Framework {
        defaults::seven_s()
    }

    fn problems_of(f: &Framework) -> String {
        f.problems().join("\n")
    }

    #[test]
    fn every_problem_is_named_not_just_the_first() {
        let mut f = seven();
        f.format = "heard-framework/9".into();
        f.name = " ".into();
        f.standards[1].key = "shared-values".into();
        f.standards[2].indicators[0].text = String::new();
        f.standards[3].indicators[1].key = "Systems Ways".into();
        f.awards[1].denominator = 0;
        let p = f.problems();
        assert_eq!(p.len(), 6, "{p:#?}");
        let all = p.join("\n");
        assert!(all.contains(FORMAT));
        assert!(all.contains("The framework's name is empty."));
        assert!(all
            .contains("Standard 2 uses the key \u{201c}shared-values\u{201d} of another standard"));
        assert!(all.contains("Standard 3, indicator 1's text is empty."));
        assert!(all.contains("Standard 4, indicator 2's key \u{201c}Systems Ways\u{201d} must be"));
        assert!(all.contains("Award 2 (\u{201c}Silver\u{201d}) needs 2/0"));
    }

    #[test]
    fn indicators_need_keys_unique_across_the_framework() {
        let mut f = seven();
        f.standards[6].indicators[0].key = f.standards[0].indicators[0].key.clone();
        assert!(problems_of(&f).contains("Standard 7, indicator 1 uses the key \u{201c}values-written\u{201d} of another indicator"));
    }

    #[test]
    fn awards_must_name_a_level_and_rise() {
        let mut f = seven();
        f.awards[0].level = "platinum".into();
        assert!(problems_of(&f)
            .contains("counts level \u{201c}platinum\u{201d}, which is not one of the levels"));
        let mut f = seven();
        f.awards.swap(0, 2);
        assert!(problems_of(&f).contains("asks no more than the award before it"));
        // The same share at a higher level rises.
        let mut f = seven();
        f.awards[2].numerator = 2;
        f.awards[2].denominator = 3;
        f.awards[2].level = "advanced".into();
        assert_eq!(f.problems(), Vec::<String>::new());
    }

    #[test]
    fn a_framework_needs_levels_standards_key_indicators_and_awards() {
        let mut f = seven();
        f.levels.clear();
        f.awards.clear();
        for s in &mut f.standards {
            for i in &mut s.indicators {
                i.key_indicator = false;
            }
        }
        let all = problems_of(&f);
        assert!(all.contains("There are no levels"));
        assert!(all.contains("No indicator is marked key"));
        assert!(all.contains("There are no awards"));
        let mut f = seven();
        f.standards.clear();
        assert!(problems_of(&f).contains("There are no standards"));
        let mut f = seven();
        f.standards[0].indicators.clear();
        assert!(problems_of(&f)
            .contains("Standard 1 (\u{201c}Shared values\u{201d}) has no indicators."));
    }

    #[test]
    fn files_that_are_not_frameworks_are_refused_in_words() {
        let broken = Framework::parse("{\"format\": \"heard-framework/1\",").unwrap_err();
        assert_eq!(broken.len(), 1);
        assert!(
            broken[0].starts_with("The file is not a framework heard can read (line 1"),
            "{broken:?}"
        );
        let missing = Framework::parse("{\"format\": \"heard-framework/1\"}").unwrap_err();
        assert!(missing[0].contains("missing field `key`"), "{missing:?}");
        assert!(!missing[0].contains(" at line "));
        let extra =
            defaults::SEVEN_S.replacen("\"version\"", "\"colour\": \"red\", \"version\"", 1);
        assert!(Framework::parse(&extra).unwrap_err()[0].contains("unknown field `colour`"));
        let huge = " ".repeat(MAX_FILE_BYTES + 1);
        assert!(Framework::parse(&huge).unwrap_err()[0].contains("larger than 256 KB"));
    }

    #[test]
    fn long_text_is_refused_with_its_length() {
        let mut f = seven();
        f.standards[0].indicators[0].young_people = "a".repeat(601);
        assert!(problems_of(&f).contains(
            "Standard 1, indicator 1's words for young people is 601 characters long: at most 600."
        ));
    }
}
