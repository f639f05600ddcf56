//! The award an assessment's evidence would earn today, and what is missing
//! for the next: pure, from the framework's own rules.

use super::framework::Framework;
use serde::{Deserialize, Serialize};

/// What an assessment says of one indicator, as awards count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub indicator: String,
    /// The level claimed, if any.
    pub level: Option<String>,
    /// How many evidence items back it.
    pub evidence: usize,
}

/// Why a key indicator does not count yet towards an award.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Missing {
    /// No level is claimed.
    NoLevel,
    /// The level claimed is below the award's.
    LevelTooLow,
    /// A level is claimed but nothing backs it.
    NoEvidence,
}

impl Missing {
    pub fn words(&self, level: &str) -> String {
        match self {
            Missing::NoLevel => "no level claimed yet".into(),
            Missing::LevelTooLow => format!("needs to reach {}", level.to_lowercase()),
            Missing::NoEvidence => "needs evidence".into(),
        }
    }
}

/// The award earned and the way to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    /// The label of the highest award earned, if any.
    pub earned: Option<String>,
    pub key_indicators: usize,
    /// The next award up, if there is one.
    pub next: Option<NextAward>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextAward {
    pub label: String,
    /// The level it counts from, as a label.
    pub level: String,
    /// Key indicators it needs in all, and how many count now.
    pub needs: usize,
    pub counted: usize,
    /// Key indicators that do not count yet: (indicator key, why).
    pub missing: Vec<(String, Missing)>,
}

impl NextAward {
    /// How many more key indicators must count.
    pub fn more(&self) -> usize {
        self.needs.saturating_sub(self.counted)
    }
}

/// Whether `claim` counts towards an award from level rank `at_least`.
fn counts(framework: &Framework, claim: Option<&Claim>, at_least: usize) -> Result<(), Missing> {
    let Some(claim) = claim else {
        return Err(Missing::NoLevel);
    };
    let Some(rank) = claim.level.as_deref().and_then(|l| framework.rank(l)) else {
        return Err(Missing::NoLevel);
    };
    if rank < at_least {
        return Err(Missing::LevelTooLow);
    }
    if claim.evidence == 0 {
        return Err(Missing::NoEvidence);
    }
    Ok(())
}

/// The award `claims` earn under `framework`'s rules today: each award
/// counts the key indicators claimed at least at its level with at least
/// one piece of evidence, and is earned when that reaches its share.
pub fn estimate(framework: &Framework, claims: &[Claim]) -> Estimate {
    let keys: Vec<&str> = framework.key_indicators().map(|i| i.key.as_str()).collect();
    let claim_of = |key: &str| claims.iter().find(|c| c.indicator == key);
    let mut earned = None;
    let mut next = None;
    for award in &framework.awards {
        let at_least = framework.rank(&award.level).unwrap_or(0);
        let mut counted = 0;
        let mut missing = Vec::new();
        for key in &keys {
            match counts(framework, claim_of(key), at_least) {
                Ok(()) => counted += 1,
                Err(why) => missing.push((key.to_string(), why)),
            }
        }
        let needs = award.needs(keys.len());
        if counted >= needs && next.is_none() {
            earned = Some(award.label.clone());
        } else if next.is_none() {
            next = Some(NextAward {
                label: award.label.clone(),
                level: framework
                    .level_label(&award.level)
                    .unwrap_or(&award.level)
                    .to_string(),
                needs,
                counted,
                missing,
            });
        }
    }
    Estimate {
        earned,
        key_indicators: keys.len(),
        next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standards::defaults;

    fn claim(key: &str, level: &str, evidence: usize) -> Claim {
        Claim {
            indicator: key.into(),
            level: Some(level.into()),
            evidence,
        }
    }

    fn keys(f: &Framework) -> Vec<String> {
        f.key_indicators().map(|i| i.key.clone()).collect()
    }

    #[test]
    fn nothing_claimed_earns_nothing_and_names_every_key_indicator() {
        for f in defaults::all() {
            let e = estimate(&f, &[]);
            assert_eq!(e.earned, None, "{}", f.key);
            let next = e.next.expect("the first award is next");
            assert_eq!(next.label, f.awards[0].label);
            assert_eq!(next.counted, 0);
            assert_eq!(next.missing.len(), e.key_indicators);
            assert!(next.missing.iter().all(|(_, why)| *why == Missing::NoLevel));
        }
    }

    #[test]
    fn seven_s_awards_need_a_third_two_thirds_and_all_key_indicators() {
        let f = defaults::seven_s();
        let keys = keys(&f);
        let n = keys.len();
        assert_eq!(n, 21, "seven standards, three key indicators each");
        let with = |count: usize, level: &str| -> Vec<Claim> {
            keys.iter()
                .take(count)
                .map(|k| claim(k, level, 1))
                .collect()
        };
        // One short of a third: nothing; a third: bronze.
        assert_eq!(estimate(&f, &with(6, "emerging")).earned, None);
        assert_eq!(
            estimate(&f, &with(7, "emerging")).earned.as_deref(),
            Some("Bronze")
        );
        // Every level counts: a claim at emerging with evidence is met.
        assert_eq!(
            estimate(&f, &with(13, "advanced")).earned.as_deref(),
            Some("Bronze")
        );
        let e = estimate(&f, &with(13, "emerging"));
        let next = e.next.unwrap();
        assert_eq!(
            (next.label.as_str(), next.needs, next.counted, next.more()),
            ("Silver", 14, 13, 1)
        );
        assert_eq!(
            estimate(&f, &with(14, "emerging")).earned.as_deref(),
            Some("Silver")
        );
        assert_eq!(
            estimate(&f, &with(20, "advanced")).earned.as_deref(),
            Some("Silver")
        );
        let all = estimate(&f, &with(21, "advanced"));
        assert_eq!(all.earned.as_deref(), Some("Gold"));
        assert_eq!(all.next, None);
    }

    #[test]
    fn a_claim_without_evidence_does_not_count() {
        let f = defaults::seven_s();
        let keys = keys(&f);
        let mut claims: Vec<Claim> = keys
            .iter()
            .take(7)
            .map(|k| claim(k, "advanced", 1))
            .collect();
        claims[3].evidence = 0;
        let e = estimate(&f, &claims);
        assert_eq!(e.earned, None);
        let next = e.next.unwrap();
        assert_eq!((next.more(), next.counted), (1, 6));
        assert!(next
            .missing
            .contains(&(keys[3].clone(), Missing::NoEvidence)));
    }

    #[test]
    fn indicators_that_are_not_key_never_count() {
        let f = defaults::seven_s();
        let others: Vec<Claim> = f
            .indicators()
            .filter(|(_, i)| !i.key_indicator)
            .map(|(_, i)| claim(&i.key, "advanced", 3))
            .collect();
        assert!(!others.is_empty());
        assert_eq!(estimate(&f, &others).earned, None);
    }

    #[test]
    fn lundy_awards_follow_its_own_rules_and_levels() {
        let f = defaults::lundy();
        let keys = keys(&f);
        let n = keys.len();
        let top = f.levels.last().unwrap().key.clone();
        let all: Vec<Claim> = keys.iter().map(|k| claim(k, &top, 1)).collect();
        let e = estimate(&f, &all);
        assert_eq!(
            e.earned.as_deref(),
            Some(f.awards.last().unwrap().label.as_str())
        );
        // Its last award counts only its top level.
        let lowest = f.levels[0].key.clone();
        let low: Vec<Claim> = keys.iter().map(|k| claim(k, &lowest, 1)).collect();
        let e = estimate(&f, &low);
        assert_ne!(
            e.earned.as_deref(),
            Some(f.awards.last().unwrap().label.as_str())
        );
        assert!(e
            .next
            .unwrap()
            .missing
            .iter()
            .all(|(_, w)| *w == Missing::LevelTooLow));
        let first = &f.awards[0];
        let needed = first.needs(n);
        let some: Vec<Claim> = keys
            .iter()
            .take(needed)
            .map(|k| claim(k, &first.level, 1))
            .collect();
        assert_eq!(
            estimate(&f, &some).earned.as_deref(),
            Some(first.label.as_str())
        );
        let fewer: Vec<Claim> = keys
            .iter()
            .take(needed - 1)
            .map(|k| claim(k, &first.level, 1))
            .collect();
        assert_eq!(estimate(&f, &fewer).earned, None);
    }

    #[test]
    fn a_level_the_framework_does_not_have_counts_as_none() {
        let f = defaults::seven_s();
        let claims: Vec<Claim> = keys(&f).iter().map(|k| claim(k, "legendary", 5)).collect();
        let e = estimate(&f, &claims);
        assert_eq!(e.earned, None);
        assert!(e
            .next
            .unwrap()
            .missing
            .iter()
            .all(|(_, w)| *w == Missing::NoLevel));
    }
}
