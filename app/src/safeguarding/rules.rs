//! What a safeguarding lead records about an item, and the rule for a
//! complete record: the same on the page and on the server.

use crate::forms::FormValues;
use serde::{Deserialize, Serialize};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemStatus {
    New,
    InHand,
    Closed,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 3] = [ItemStatus::New, ItemStatus::InHand, ItemStatus::Closed];

    pub fn key(self) -> &'static str {
        match self {
            ItemStatus::New => "new",
            ItemStatus::InHand => "in_hand",
            ItemStatus::Closed => "closed",
        }
    }

    pub fn parse(key: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::New => "New",
            ItemStatus::InHand => "In hand",
            ItemStatus::Closed => "Closed",
        }
    }
}

/// What the lead did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeadAction {
    NoConcern,
    /// Passed to the designated safeguarding lead of a named service.
    PassedToService,
    /// Shared with the police or children's social care.
    PoliceOrSocialCare,
    Other,
}

impl LeadAction {
    pub const ALL: [LeadAction; 4] = [
        LeadAction::NoConcern,
        LeadAction::PassedToService,
        LeadAction::PoliceOrSocialCare,
        LeadAction::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LeadAction::NoConcern => "no_concern",
            LeadAction::PassedToService => "passed_to_service",
            LeadAction::PoliceOrSocialCare => "police_or_social_care",
            LeadAction::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<LeadAction> {
        LeadAction::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            LeadAction::NoConcern => "No concern",
            LeadAction::PassedToService => {
                "Passed to the designated safeguarding lead of a named service"
            }
            LeadAction::PoliceOrSocialCare => "Shared with the police or children's social care",
            LeadAction::Other => "Other",
        }
    }

    /// The note must say more: which service, or what was done.
    pub fn needs_note(self) -> bool {
        matches!(self, LeadAction::PassedToService | LeadAction::Other)
    }
}

/// Longest note, in characters a person sees.
pub const NOTE_LIMIT: usize = 2_000;

/// The form's fields.
pub const STATUS_FIELD: &str = "status";
pub const ACTION_FIELD: &str = "lead_action";
pub const NOTE_FIELD: &str = "note";

/// A lead's record, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub status: ItemStatus,
    pub action: Option<LeadAction>,
    pub note: String,
}

/// Checks a posted record: `(field, message)` for each problem, in form order.
pub fn check_update(form: &FormValues) -> Result<Update, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let status = form.value(STATUS_FIELD).and_then(ItemStatus::parse);
    if status.is_none() {
        problems.push((STATUS_FIELD.into(), "Choose where the item stands.".into()));
    }
    let action = match form.value(ACTION_FIELD) {
        None | Some("") => None,
        Some(key) => match LeadAction::parse(key) {
            Some(a) => Some(a),
            None => {
                problems.push((
                    ACTION_FIELD.into(),
                    "Choose one of the actions listed.".into(),
                ));
                None
            }
        },
    };
    if status == Some(ItemStatus::Closed) && action.is_none() && form.value(ACTION_FIELD).is_none()
    {
        problems.push((
            ACTION_FIELD.into(),
            "Say what you did before closing the item.".into(),
        ));
    }
    let note = crate::text::clean(form.raw(NOTE_FIELD), true);
    let len = crate::text::visible_len(&note);
    if len > NOTE_LIMIT {
        problems.push((
            NOTE_FIELD.into(),
            format!("The note can be up to {NOTE_LIMIT} characters; it has {len}."),
        ));
    } else if note.is_empty() && action.is_some_and(LeadAction::needs_note) {
        let m = if action == Some(LeadAction::PassedToService) {
            "Name the service you passed it to."
        } else {
            "Say in the note what you did."
        };
        problems.push((NOTE_FIELD.into(), m.into()));
    }
    match status {
        Some(status) if problems.is_empty() => Ok(Update {
            status,
            action,
            note,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn a_complete_record_is_accepted() {
        let u = check_update(&form(&[
            ("status", "closed"),
            ("lead_action", "passed_to_service"),
            ("note", " Northtown school DSL, by phone "),
        ]))
        .unwrap();
        assert_eq!(u.status, ItemStatus::Closed);
        assert_eq!(u.action, Some(LeadAction::PassedToService));
        assert_eq!(u.note, "Northtown school DSL, by phone");
        let u = check_update(&form(&[("status", "in_hand")])).unwrap();
        assert_eq!((u.status, u.action), (ItemStatus::InHand, None));
    }

    #[test]
    fn closing_needs_an_action_and_some_actions_need_a_note() {
        let fields = |pairs: &[(&str, &str)]| -> Vec<String> {
            check_update(&form(pairs))
                .unwrap_err()
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        assert_eq!(fields(&[("status", "closed")]), vec![ACTION_FIELD]);
        assert_eq!(
            fields(&[("status", "closed"), ("lead_action", "other")]),
            vec![NOTE_FIELD]
        );
        assert_eq!(fields(&[("status", "done")]), vec![STATUS_FIELD]);
        assert_eq!(
            fields(&[("status", "new"), ("lead_action", "ignore")]),
            vec![ACTION_FIELD]
        );
        let long = "a".repeat(NOTE_LIMIT + 1);
        assert_eq!(
            fields(&[("status", "new"), ("note", long.as_str())]),
            vec![NOTE_FIELD]
        );
        assert!(check_update(&form(&[
            ("status", "closed"),
            ("lead_action", "no_concern")
        ]))
        .is_ok());
    }
}
