//! Young people suggest activities ("more to do and places to go"); others
//! support them, once a phone; youth workers of the area's organisations
//! moderate (approve, reject with a kind reason, merge duplicates) and say
//! where each stands. The young person follows theirs by a private link,
//! an unguessable code that nothing else ties to them.

use crate::outcomes::Outcome;
use serde::{Deserialize, Serialize};

pub mod pages;
pub mod staff;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;

pub const TITLE_LIMIT: usize = 80;
pub const DESCRIPTION_LIMIT: usize = 1_000;
pub const NOTE_LIMIT: usize = 300;
pub const REASON_LIMIT: usize = 300;
/// Suggestions on one page of the public list.
pub const PER_PAGE: i64 = 20;

macro_rules! keyed {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal, $label:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }

            pub fn parse(key: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|k| k.key() == key)
            }
        }
    };
}

keyed! {
    /// What sort of activity.
    Category {
        Sport = "sport", "Sport";
        Arts = "arts", "Arts";
        Music = "music", "Music";
        Outdoors = "outdoors", "Outdoors";
        Gaming = "gaming", "Gaming";
        Clubs = "clubs", "Clubs";
        Trips = "trips", "Trips";
        Volunteering = "volunteering", "Volunteering";
        Learning = "learning", "Learning and skills";
        Other = "other", "Other";
    }
}

keyed! {
    /// Where moderation stands. Only approved suggestions are public.
    Moderation {
        Waiting = "waiting", "Waiting to be checked";
        Approved = "approved", "Approved";
        Rejected = "rejected", "Not taken forward";
        Merged = "merged", "Joined with a similar suggestion";
    }
}

keyed! {
    /// Where an approved suggestion stands.
    Status {
        New = "new", "New";
        Looking = "looking", "Being looked at";
        Planned = "planned", "Planned";
        Happening = "happening", "Happening";
        NotPossible = "not_possible", "Not possible";
    }
}

/// Kind reasons a moderator can give when a suggestion is not taken
/// forward; they can also write their own.
pub const REJECT_REASONS: [&str; 4] = [
    "Thank you! Something like this already happens near you: ask your youth worker about it.",
    "Thank you. We can't offer this, for example because it costs too much or isn't safe, but please keep the ideas coming.",
    "Thank you. We couldn't share this because it had personal details or unkind words in it. You're welcome to suggest it again.",
    "Thank you. This isn't something the services here can do, but we have passed it on.",
];

/// A new suggestion as a young person wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewSuggestion {
    pub title: String,
    pub description: String,
    pub category: Option<Category>,
    pub area_code: String,
    pub outcome: Option<Outcome>,
}

/// A problem with one field of a new suggestion.
pub type Problem = (&'static str, String);

impl NewSuggestion {
    /// Cleans and checks every field, naming every problem. Limits count
    /// what a person sees, the same rule as the form's.
    pub fn check(mut self, is_area: &dyn Fn(&str) -> bool) -> Result<NewSuggestion, Vec<Problem>> {
        let mut problems = Vec::new();
        self.title = crate::text::clean_line(&self.title);
        self.description = crate::text::clean(&self.description, true);
        let title_len = crate::text::visible_len(&self.title);
        if title_len == 0 {
            problems.push(("title", "Give your idea a short title.".to_string()));
        } else if title_len > TITLE_LIMIT {
            problems.push((
                "title",
                format!("Please keep the title to {TITLE_LIMIT} characters (it has {title_len})."),
            ));
        }
        let len = crate::text::visible_len(&self.description);
        if len > DESCRIPTION_LIMIT {
            problems.push((
                "description",
                format!(
                    "Please keep the description to {DESCRIPTION_LIMIT} characters (it has {len})."
                ),
            ));
        }
        if self.category.is_none() {
            problems.push((
                "category",
                "Choose what kind of activity it is.".to_string(),
            ));
        }
        if !is_area(&self.area_code) {
            problems.push((
                "area",
                "Choose the area where it should happen.".to_string(),
            ));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

/// A status change staff make on an approved suggestion, checked: a new
/// status and a short public note.
pub fn check_status_change(
    from: Status,
    to: Option<Status>,
    note: &str,
) -> Result<(Status, String), String> {
    let note = crate::text::clean_line(note);
    let Some(to) = to.filter(|t| *t != Status::New) else {
        return Err("Choose where the suggestion stands now.".into());
    };
    if to == from {
        return Err(format!(
            "It is already \u{201c}{}\u{201d}.",
            to.label().to_lowercase()
        ));
    }
    let len = crate::text::visible_len(&note);
    if len == 0 || len > NOTE_LIMIT {
        return Err(format!(
            "Write a short note young people will see, up to {NOTE_LIMIT} characters{}.",
            if to == Status::NotPossible {
                ", saying why it is not possible"
            } else {
                ""
            }
        ));
    }
    Ok((to, note))
}

/// A suggestion as the public, or its author, see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub public_ref: String,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub area: String,
    pub outcome: Option<Outcome>,
    pub moderation: Moderation,
    pub status: Status,
    pub supports: i64,
    /// Shown to the young person when it was not taken forward.
    pub reason: Option<String>,
    /// The suggestion it was joined with (its public reference and title).
    pub merged_into: Option<(String, String)>,
    /// Public notes, newest first: `(status, note, "24 November 2026")`.
    pub notes: Vec<(Status, String, String)>,
    /// "You said, we did" replies linked to it.
    pub replies: Vec<crate::replies::ReplyCard>,
    /// "November 2026".
    pub month: String,
}

/// A suggestion in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub public_ref: String,
    pub title: String,
    pub category: Category,
    pub area: String,
    pub status: Status,
    pub supports: i64,
}

/// A suggestion in the staff queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub public_ref: String,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub area: String,
    pub state: Moderation,
    pub status: Status,
    pub supports: i64,
    pub offensive: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new() -> NewSuggestion {
        NewSuggestion {
            title: "  Skate   park ".into(),
            description: "A place to skate\n\n\n\nafter school".into(),
            category: Some(Category::Sport),
            area_code: "E08000025".into(),
            outcome: None,
        }
    }

    #[test]
    fn a_good_suggestion_comes_back_cleaned() {
        let ok = new().check(&|a| a == "E08000025").unwrap();
        assert_eq!(ok.title, "Skate park");
        assert_eq!(ok.description, "A place to skate\n\nafter school");
    }

    #[test]
    fn every_problem_is_named_with_limits_counted_as_seen() {
        let bad = NewSuggestion {
            title: "é".repeat(TITLE_LIMIT + 1),
            description: "👍🏽".repeat(DESCRIPTION_LIMIT),
            category: None,
            ..new()
        };
        let problems = bad.check(&|_| false).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            vec!["title", "category", "area"],
            "1,000 emoji with skin tones fit"
        );
        assert!(problems[0].1.contains("(it has 81)"));
    }

    #[test]
    fn status_changes_need_a_new_status_and_a_note() {
        assert_eq!(
            check_status_change(
                Status::New,
                Some(Status::Looking),
                " We're asking the leisure centre "
            ),
            Ok((Status::Looking, "We're asking the leisure centre".into()))
        );
        assert!(check_status_change(Status::Looking, Some(Status::Looking), "x").is_err());
        assert!(check_status_change(Status::New, None, "x").is_err());
        assert!(check_status_change(Status::New, Some(Status::New), "x").is_err());
        assert!(
            check_status_change(Status::Planned, Some(Status::NotPossible), "")
                .unwrap_err()
                .contains("why")
        );
        assert!(check_status_change(
            Status::New,
            Some(Status::Planned),
            &"x".repeat(NOTE_LIMIT + 1)
        )
        .is_err());
    }

    #[test]
    fn keys_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.key()), Some(*c));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(*s));
        }
        for m in Moderation::ALL {
            assert_eq!(Moderation::parse(m.key()), Some(*m));
        }
    }
}
