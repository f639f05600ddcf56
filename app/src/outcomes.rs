//! The five *Every Child Matters* outcomes: the tags every survey, question,
//! service and suggestion can carry, and that reports group by.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Healthy,
    Safe,
    EnjoyAchieve,
    PositiveContribution,
    EconomicWellbeing,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Healthy,
        Outcome::Safe,
        Outcome::EnjoyAchieve,
        Outcome::PositiveContribution,
        Outcome::EconomicWellbeing,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Outcome::Healthy => "healthy",
            Outcome::Safe => "safe",
            Outcome::EnjoyAchieve => "enjoy_achieve",
            Outcome::PositiveContribution => "positive_contribution",
            Outcome::EconomicWellbeing => "economic_wellbeing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Healthy => "Be healthy",
            Outcome::Safe => "Stay safe",
            Outcome::EnjoyAchieve => "Enjoy and achieve",
            Outcome::PositiveContribution => "Make a positive contribution",
            Outcome::EconomicWellbeing => "Achieve economic well-being",
        }
    }

    pub fn parse(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }

    /// Reads a stored comma-separated list, skipping anything unknown.
    pub fn parse_list(stored: &str) -> Vec<Outcome> {
        let mut tags: Vec<Outcome> = stored
            .split(',')
            .filter_map(|k| Outcome::parse(k.trim()))
            .collect();
        tags.sort();
        tags.dedup();
        tags
    }

    pub fn join(tags: &[Outcome]) -> String {
        tags.iter().map(|o| o.key()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_round_trips_through_its_key() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.key()), Some(o));
        }
        assert_eq!(Outcome::parse("happy"), None);
    }

    #[test]
    fn stored_lists_skip_unknown_keys_and_duplicates() {
        assert_eq!(
            Outcome::parse_list("safe, healthy,nonsense,safe"),
            vec![Outcome::Healthy, Outcome::Safe]
        );
        assert_eq!(
            Outcome::join(&[Outcome::Healthy, Outcome::Safe]),
            "healthy,safe"
        );
        assert!(Outcome::parse_list("").is_empty());
    }
}
