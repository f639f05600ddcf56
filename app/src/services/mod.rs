//! Services young people use, rated by them: a directory by area and kind,
//! forgiving search by name, and ratings. A service's ratings are responses
//! to a survey of its own (four statements in faces, "what would make it
//! better?", an optional age band), so every comment is screened, moderated
//! and kept like any answer; the 30-day rule rides on the phone's cookie
//! ([`crate::phone`]).

use crate::outcomes::Outcome;
use serde::{Deserialize, Serialize};

pub mod pages;
pub mod rating;
pub mod search;
pub mod staff;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod store;

pub const NAME_LIMIT: usize = 120;
pub const DESCRIPTION_LIMIT: usize = 600;
pub const CONTACT_LIMIT: usize = 300;
pub const WEBSITE_LIMIT: usize = 300;
/// The columns an import reads, by header name (any order, any case; others
/// are ignored). `organisation`, `name`, `kind` and `area` are needed.
pub const IMPORT_COLUMNS: [&str; 8] = [
    "organisation",
    "name",
    "kind",
    "area",
    "outcomes",
    "description",
    "contact",
    "website",
];
/// Services on one page of the directory.
pub const PER_PAGE: i64 = 20;

macro_rules! kinds {
    ($($variant:ident = $key:literal, $label:literal, [$($word:literal),*];)*) => {
        /// What sort of service it is: young people browse by it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Kind { $($variant,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            pub fn key(self) -> &'static str {
                match self { $(Kind::$variant => $key,)* }
            }

            pub fn label(self) -> &'static str {
                match self { $(Kind::$variant => $label,)* }
            }

            /// Other words young people search for it by.
            pub fn words(self) -> &'static [&'static str] {
                match self { $(Kind::$variant => &[$($word),*],)* }
            }

            pub fn parse(key: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.key() == key)
            }

            /// By its key or its label, as a spreadsheet might say it.
            pub fn parse_loosely(text: &str) -> Option<Kind> {
                let folded = search::fold(text);
                Kind::ALL.iter().copied().find(|k| {
                    search::fold(k.key()) == folded || search::fold(k.label()) == folded
                })
            }
        }
    };
}

kinds! {
    School = "school", "School or college", ["sixth form", "academy"];
    Health = "health", "Health", ["doctor", "gp", "nurse", "hospital", "clinic"];
    MentalHealth = "mental_health", "Mental health", ["camhs", "counselling", "wellbeing"];
    Police = "police", "Police", ["pcso"];
    YouthService = "youth_service", "Youth club or youth service", ["youth work"];
    YouthOffending = "youth_offending", "Youth offending team", ["yot", "youth justice"];
    SocialCare = "social_care", "Children's social care", ["social worker", "care"];
    Housing = "housing", "Housing", ["homeless"];
    Careers = "careers", "Careers and employment", ["jobs", "apprenticeship", "work"];
    Sport = "sport", "Sport and leisure", ["gym", "swimming", "leisure centre"];
    Culture = "culture", "Culture", ["library", "museum", "arts", "theatre"];
    Transport = "transport", "Transport", ["bus", "train"];
    Charity = "charity", "Charity or voluntary group", ["voluntary"];
    Council = "council", "Council", [];
    Other = "other", "Other", [];
}

/// A service in a list: the directory, a staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub area: String,
    pub organisation: String,
    pub active: bool,
}

/// What staff write about a service (also a row of an import).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceFields {
    pub name: String,
    pub kind: Option<Kind>,
    pub area_code: String,
    pub outcomes: Vec<Outcome>,
    pub description: String,
    pub contact: String,
    pub website: Option<String>,
}

/// A problem with one field, named by the field.
pub type FieldProblem = (&'static str, String);

impl ServiceFields {
    /// Cleans and checks every field; `is_area` says whether a code is an
    /// area heard offers. Every problem is named, not only the first.
    pub fn check(
        mut self,
        is_area: &dyn Fn(&str) -> bool,
    ) -> Result<ServiceFields, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        self.name = crate::text::clean_line(&self.name);
        self.description = crate::text::clean(&self.description, true);
        self.contact = crate::text::clean(&self.contact, true);
        self.area_code = self.area_code.trim().to_uppercase();
        if self.name.is_empty() || crate::text::visible_len(&self.name) > NAME_LIMIT {
            problems.push((
                "name",
                format!("Give the service a name of up to {NAME_LIMIT} characters."),
            ));
        } else if search::fold(&self.name).is_empty() {
            problems.push((
                "name",
                "A name needs at least one letter or number.".to_string(),
            ));
        }
        if self.kind.is_none() {
            problems.push(("kind", "Choose what kind of service it is.".to_string()));
        }
        if !is_area(&self.area_code) {
            problems.push(("area", "Choose the area the service works in.".to_string()));
        }
        if crate::text::visible_len(&self.description) > DESCRIPTION_LIMIT {
            problems.push((
                "description",
                format!("Keep the description to {DESCRIPTION_LIMIT} characters."),
            ));
        }
        if crate::text::visible_len(&self.contact) > CONTACT_LIMIT {
            problems.push((
                "contact",
                format!("Keep the contact details to {CONTACT_LIMIT} characters."),
            ));
        }
        self.website = match self
            .website
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            None => None,
            Some(w) => match checked_website(w) {
                Some(w) => Some(w),
                None => {
                    problems.push(("website", format!("A website starts with https:// or http:// and is up to {WEBSITE_LIMIT} characters.")));
                    None
                }
            },
        };
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// A website address safe to link to: http or https only, no spaces or
/// quotes, a host with a dot.
/// A web address heard will link to: `https://` or `http://`, a host with a
/// dot, nothing that could break out of an attribute.
pub(crate) fn checked_website(w: &str) -> Option<String> {
    let rest = w
        .strip_prefix("https://")
        .or_else(|| w.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let ok = w.chars().count() <= WEBSITE_LIMIT
        && host.contains('.')
        && !w.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\')
        });
    ok.then(|| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> ServiceFields {
        ServiceFields {
            name: "  Northfield   Youth Club ".into(),
            kind: Some(Kind::YouthService),
            area_code: "e08000025".into(),
            outcomes: vec![Outcome::EnjoyAchieve],
            description: "Open Tuesday and Thursday evenings.".into(),
            contact: "0121 000 0000".into(),
            website: Some("https://northfield.example.org/club".into()),
        }
    }

    #[test]
    fn good_fields_come_back_cleaned() {
        let ok = fields().check(&|a| a == "E08000025").unwrap();
        assert_eq!(ok.name, "Northfield Youth Club");
        assert_eq!(ok.area_code, "E08000025");
        assert_eq!(
            ok.website.as_deref(),
            Some("https://northfield.example.org/club")
        );
    }

    #[test]
    fn every_problem_is_named() {
        let bad = ServiceFields {
            name: " ".into(),
            kind: None,
            area_code: "nowhere".into(),
            description: "x".repeat(DESCRIPTION_LIMIT + 1),
            website: Some("javascript:alert(1)".into()),
            ..fields()
        };
        let problems = bad.check(&|_| false).unwrap_err();
        let named: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            named,
            vec!["name", "kind", "area", "description", "website"]
        );
    }

    #[test]
    fn websites_are_http_links_only() {
        assert!(checked_website("http://example.org").is_some());
        assert!(checked_website("example.org").is_none());
        assert!(checked_website("https://localhost").is_none());
        assert!(checked_website("https://a.org/\"onmouseover=x").is_none());
    }

    #[test]
    fn kinds_parse_by_key_or_label() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.key()), Some(*k));
            assert_eq!(Kind::parse_loosely(k.label()), Some(*k));
        }
        assert_eq!(
            Kind::parse_loosely("mental health"),
            Some(Kind::MentalHealth)
        );
        assert_eq!(Kind::parse_loosely("gym"), None);
    }
}
