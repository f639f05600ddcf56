//! Two assessments side by side: what moved (a level up or down), what is
//! new (claimed now, not before), and how the evidence grew. Pure.

use super::award::Claim;
use super::framework::Framework;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Moved {
    Up,
    Down,
    /// Claimed now, not before.
    New,
    /// Claimed before, not now.
    Withdrawn,
    /// The same level, with more or less evidence.
    Same,
}

impl Moved {
    pub fn label(self) -> &'static str {
        match self {
            Moved::Up => "Moved up",
            Moved::Down => "Moved down",
            Moved::New => "New",
            Moved::Withdrawn => "No longer claimed",
            Moved::Same => "Same level",
        }
    }
}

/// An indicator that changed between two assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub indicator: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub evidence_before: usize,
    pub evidence_after: usize,
    pub moved: Moved,
}

/// The indicators of `framework` whose level or evidence differs between
/// `before` and `after`, in the framework's order.
pub fn compare(framework: &Framework, before: &[Claim], after: &[Claim]) -> Vec<Change> {
    let find = |claims: &[Claim], key: &str| {
        claims
            .iter()
            .find(|c| c.indicator == key)
            .map(|c| {
                (
                    c.level.clone().filter(|l| framework.rank(l).is_some()),
                    c.evidence,
                )
            })
            .unwrap_or((None, 0))
    };
    framework
        .indicators()
        .filter_map(|(_, i)| {
            let (b, eb) = find(before, &i.key);
            let (a, ea) = find(after, &i.key);
            let rank = |l: &Option<String>| l.as_deref().and_then(|l| framework.rank(l));
            let moved = match (rank(&b), rank(&a)) {
                (None, None) if eb == ea => return None,
                (None, None) => Moved::Same,
                (None, Some(_)) => Moved::New,
                (Some(_), None) => Moved::Withdrawn,
                (Some(x), Some(y)) if y > x => Moved::Up,
                (Some(x), Some(y)) if y < x => Moved::Down,
                _ if eb == ea => return None,
                _ => Moved::Same,
            };
            Some(Change {
                indicator: i.key.clone(),
                before: b,
                after: a,
                evidence_before: eb,
                evidence_after: ea,
                moved,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standards::defaults;

    fn claim(key: &str, level: Option<&str>, evidence: usize) -> Claim {
        Claim {
            indicator: key.into(),
            level: level.map(str::to_string),
            evidence,
        }
    }

    #[test]
    fn what_moved_and_what_is_new_in_the_frameworks_order() {
        let f = defaults::seven_s();
        let keys: Vec<String> = f.indicators().map(|(_, i)| i.key.clone()).collect();
        let before = vec![
            claim(&keys[0], Some("emerging"), 1),
            claim(&keys[1], Some("advanced"), 1),
            claim(&keys[2], Some("established"), 1),
            claim(&keys[3], Some("established"), 2),
            claim(&keys[5], Some("emerging"), 0),
        ];
        let after = vec![
            claim(&keys[0], Some("established"), 1),
            claim(&keys[1], Some("established"), 1),
            claim(&keys[2], Some("established"), 1),
            claim(&keys[3], Some("established"), 3),
            claim(&keys[4], Some("emerging"), 1),
            claim(&keys[5], None, 0),
        ];
        let changes = compare(&f, &before, &after);
        let moved: Vec<(&str, Moved)> = changes
            .iter()
            .map(|c| (c.indicator.as_str(), c.moved))
            .collect();
        assert_eq!(
            moved,
            [
                (keys[0].as_str(), Moved::Up),
                (keys[1].as_str(), Moved::Down),
                (keys[3].as_str(), Moved::Same),
                (keys[4].as_str(), Moved::New),
                (keys[5].as_str(), Moved::Withdrawn),
            ]
        );
        assert_eq!(
            (changes[2].evidence_before, changes[2].evidence_after),
            (2, 3)
        );
        assert!(
            compare(&f, &before, &before).is_empty(),
            "nothing changed, nothing listed"
        );
    }
}
