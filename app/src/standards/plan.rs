//! The action plan and the record of what changed: pure rules. Gaps become
//! actions (what, who, by when, where it stands); a story of change says
//! what young people said and what changed because of it.

use crate::text::{clean, clean_line, visible_len};
use serde::{Deserialize, Serialize};

/// What an action is; what young people said; what changed.
pub const WHAT_LIMIT: usize = 300;
/// Who does it: a colleague or a named role.
pub const WHO_LIMIT: usize = 120;
/// Why an action was dropped.
pub const REASON_LIMIT: usize = 300;
/// A story's parts.
pub const STORY_LIMIT: usize = 600;

crate::form_actions! {
    /// Where an action stands.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ActionStatus {
        NotStarted = "not_started",
        UnderWay = "under_way",
        Done = "done",
        Dropped = "dropped",
    }
}

impl ActionStatus {
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "Not started",
            ActionStatus::UnderWay => "Under way",
            ActionStatus::Done => "Done",
            ActionStatus::Dropped => "Dropped",
        }
    }

    /// Still to do: it can be overdue.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::NotStarted | ActionStatus::UnderWay)
    }
}

/// An action whose day has passed and that is still to do.
pub fn is_overdue(due: i64, status: ActionStatus, today: i64) -> bool {
    status.is_open() && due < today
}

/// The first second (UTC) of a date typed `YYYY-MM-DD`, if it is a real one.
pub fn day_of(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(2000..=2200).contains(&y) || d < 1 || d > days_in {
        return None;
    }
    Some(crate::tallies::days_from_civil(y, m, d) * 86_400)
}

/// A checked action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedAction {
    pub what: String,
    pub who: String,
    pub due: i64,
    pub status: ActionStatus,
    pub reason: String,
}

/// Checks an action as typed; every problem by field.
pub fn check_action(
    what: &str,
    who: &str,
    due: &str,
    status: &str,
    reason: &str,
) -> Result<CheckedAction, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let what = clean_line(what);
    match visible_len(&what) {
        0 => problems.push(("what", "Say what will be done.".to_string())),
        n if n > WHAT_LIMIT => problems.push((
            "what",
            format!("Keep what will be done to {WHAT_LIMIT} characters or fewer."),
        )),
        _ => {}
    }
    let who = clean_line(who);
    match visible_len(&who) {
        0 => problems.push((
            "who",
            "Say who will do it: a colleague or a role.".to_string(),
        )),
        n if n > WHO_LIMIT => problems.push((
            "who",
            format!("Keep who to {WHO_LIMIT} characters or fewer."),
        )),
        _ => {}
    }
    let due = day_of(due);
    if due.is_none() {
        problems.push((
            "due",
            "Enter the day it is due, like 2027-03-31.".to_string(),
        ));
    }
    let status = ActionStatus::parse(status);
    let reason = clean_line(reason);
    match status {
        None => problems.push(("status", "Choose where it stands.".to_string())),
        Some(ActionStatus::Dropped) if reason.is_empty() => {
            problems.push(("reason", "Say why it was dropped.".to_string()))
        }
        _ => {}
    }
    if visible_len(&reason) > REASON_LIMIT {
        problems.push((
            "reason",
            format!("Keep the reason to {REASON_LIMIT} characters or fewer."),
        ));
    }
    match (due, status) {
        (Some(due), Some(status)) if problems.is_empty() => Ok(CheckedAction {
            what,
            who,
            due,
            status,
            // A reason is kept only for a dropped action.
            reason: if status == ActionStatus::Dropped {
                reason
            } else {
                String::new()
            },
        }),
        _ => Err(problems),
    }
}

/// A checked story of change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedStory {
    pub said: String,
    pub changed: String,
    pub changed_on: i64,
}

pub fn check_story(
    said: &str,
    changed: &str,
    changed_on: &str,
) -> Result<CheckedStory, Vec<(&'static str, String)>> {
    let mut problems = Vec::new();
    let mut part = |field: &'static str, text: &str, empty: &str| {
        let text = clean(text, true);
        match visible_len(&text) {
            0 => problems.push((field, empty.to_string())),
            n if n > STORY_LIMIT => problems.push((
                field,
                format!("Keep it to {STORY_LIMIT} characters or fewer ({n} now)."),
            )),
            _ => {}
        }
        text
    };
    let said = part("said", said, "Say what young people said.");
    let changed = part("changed", changed, "Say what changed.");
    let day = day_of(changed_on);
    if day.is_none() {
        problems.push((
            "changed_on",
            "Enter the day it changed, like 2027-03-31.".to_string(),
        ));
    }
    match day {
        Some(changed_on) if problems.is_empty() => Ok(CheckedStory {
            said,
            changed,
            changed_on,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_dates() {
        assert_eq!(day_of("1970-01-02"), None, "before 2000");
        assert_eq!(day_of("2027-01-01"), Some(1_798_761_600));
        assert!(day_of("2028-02-29").is_some());
        for bad in [
            "2027-02-29",
            "2027-13-01",
            "2027-04-31",
            "27-01-01",
            "2027/01/01",
            "",
            "soon",
        ] {
            assert_eq!(day_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn actions_need_what_who_when_and_a_reason_to_drop() {
        let ok = check_action(
            " Ask the panel ",
            "Participation lead",
            "2027-03-31",
            "under_way",
            "ignored",
        )
        .unwrap();
        assert_eq!(
            (ok.what.as_str(), ok.reason.as_str()),
            ("Ask the panel", "")
        );
        let e = check_action("", "", "31/03/2027", "nope", "").unwrap_err();
        let fields: Vec<&str> = e.iter().map(|p| p.0).collect();
        assert_eq!(fields, ["what", "who", "due", "status"]);
        let e = check_action("Ask", "Me", "2027-03-31", "dropped", " ").unwrap_err();
        assert_eq!(e[0].0, "reason");
        let ok = check_action("Ask", "Me", "2027-03-31", "dropped", "The funding ended").unwrap();
        assert_eq!(ok.reason, "The funding ended");
    }

    #[test]
    fn only_open_actions_are_overdue() {
        let today = day_of("2027-04-01").unwrap();
        let due = day_of("2027-03-31").unwrap();
        assert!(is_overdue(due, ActionStatus::NotStarted, today));
        assert!(is_overdue(due, ActionStatus::UnderWay, today));
        assert!(!is_overdue(due, ActionStatus::Done, today));
        assert!(!is_overdue(due, ActionStatus::Dropped, today));
        assert!(
            !is_overdue(today, ActionStatus::UnderWay, today),
            "due today is not late"
        );
    }

    #[test]
    fn stories_say_what_was_said_and_what_changed() {
        let ok = check_story("Open later on Fridays", "We open till 10pm", "2027-02-01").unwrap();
        assert_eq!(ok.changed, "We open till 10pm");
        let e = check_story(" ", &"a".repeat(STORY_LIMIT + 1), "").unwrap_err();
        let fields: Vec<&str> = e.iter().map(|p| p.0).collect();
        assert_eq!(fields, ["said", "changed", "changed_on"]);
    }
}
