//! The optional "about you" section: the only facts heard ever asks a young
//! person about themselves. Never a date of birth, name, email, postcode or
//! location. "Prefer not to say" is always offered and stored as itself.

use serde::{Deserialize, Serialize};

pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeBand {
    #[serde(rename = "8-9")]
    EightToNine,
    #[serde(rename = "10-12")]
    TenToTwelve,
    #[serde(rename = "13-15")]
    ThirteenToFifteen,
    #[serde(rename = "16-17")]
    SixteenToSeventeen,
    #[serde(rename = "18-19")]
    EighteenToNineteen,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::EightToNine,
        AgeBand::TenToTwelve,
        AgeBand::ThirteenToFifteen,
        AgeBand::SixteenToSeventeen,
        AgeBand::EighteenToNineteen,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AgeBand::EightToNine => "8-9",
            AgeBand::TenToTwelve => "10-12",
            AgeBand::ThirteenToFifteen => "13-15",
            AgeBand::SixteenToSeventeen => "16-17",
            AgeBand::EighteenToNineteen => "18-19",
        }
    }

    pub fn label(self) -> String {
        format!("{} years", self.key().replace('-', " to "))
    }

    pub fn parse(key: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn parse_list(stored: &str) -> Vec<AgeBand> {
        let mut bands: Vec<AgeBand> = stored
            .split(',')
            .filter_map(|k| AgeBand::parse(k.trim()))
            .collect();
        bands.sort();
        bands.dedup();
        bands
    }

    pub fn join(bands: &[AgeBand]) -> String {
        bands.iter().map(|a| a.key()).collect::<Vec<_>>().join(",")
    }
}

/// Groups young people may choose to say they belong to, so services can
/// hear from those who are hardest to reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    InCareOrCareLeaver,
    YoungCarer,
    DisabilityOrSend,
}

impl Group {
    pub const ALL: [Group; 3] = [
        Group::InCareOrCareLeaver,
        Group::YoungCarer,
        Group::DisabilityOrSend,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Group::InCareOrCareLeaver => "in_care",
            Group::YoungCarer => "young_carer",
            Group::DisabilityOrSend => "disability_send",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Group::InCareOrCareLeaver => "I am in care or have left care",
            Group::YoungCarer => "I am a young carer",
            Group::DisabilityOrSend => "I have a disability or special educational needs (SEND)",
        }
    }

    pub fn parse(key: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.key() == key)
    }
}

/// What a young person chose to tell us about themselves. `None` means they
/// skipped the question; `Some(Choice::PreferNotToSay)` that they chose not to say.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AboutYou {
    pub age_band: Option<Choice<AgeBand>>,
    pub area_code: Option<Choice<String>>,
    pub groups: Option<Choice<Vec<Group>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice<T> {
    Said(T),
    PreferNotToSay,
}

impl<T> Choice<T> {
    pub fn stored(&self, said: impl FnOnce(&T) -> String) -> String {
        match self {
            Choice::Said(v) => said(v),
            Choice::PreferNotToSay => PREFER_NOT_TO_SAY.to_string(),
        }
    }
}

/// How a withheld small count reads: "fewer than 5".
pub fn fewer_than(limit: i64) -> String {
    format!("fewer than {limit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_parse_only_the_five_bands() {
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.key()), Some(band));
        }
        assert_eq!(AgeBand::parse("7-8"), None);
        assert_eq!(AgeBand::EightToNine.label(), "8 to 9 years");
    }

    #[test]
    fn groups_parse_by_key() {
        for g in Group::ALL {
            assert_eq!(Group::parse(g.key()), Some(g));
        }
        assert_eq!(Group::parse("name"), None);
    }

    #[test]
    fn prefer_not_to_say_is_stored_as_itself() {
        let c: Choice<AgeBand> = Choice::PreferNotToSay;
        assert_eq!(c.stored(|b| b.key().to_string()), PREFER_NOT_TO_SAY);
        assert_eq!(
            Choice::Said(AgeBand::TenToTwelve).stored(|b| b.key().to_string()),
            "10-12"
        );
    }
}
