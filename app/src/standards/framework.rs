//! A participation standards framework as data: its standards, each
//! standard's indicators, the levels an indicator is met at, which
//! indicators are key, and the award rules. heard holds no framework of its
//! own: each is loaded from a versioned file (`heard-framework/1`, JSON) and
//! checked as a whole, naming every problem, none stopping the check early.

use serde::{Deserialize, Serialize};

/// The one file format this version of heard reads.
pub const FORMAT: &str = "heard-framework/1";

/// The longest a name, title or label may be, in characters.
pub const MAX_TITLE: usize = 120;
/// The longest an indicator's or a summary's text may be, in characters.
pub const MAX_TEXT: usize = 600;
/// The most standards, and indicators in all, a framework may hold.
pub const MAX_STANDARDS: usize = 20;
pub const MAX_INDICATORS: usize = 200;
/// The largest file an administrator may import.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// A framework, exactly as its file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// [`FORMAT`].
    pub format: String,
    /// Stable across versions: `seven-s`, `lundy`.
    pub key: String,
    /// Grows with every published change.
    pub version: u32,
    pub name: String,
    pub summary: String,
    /// The levels an indicator is met at, the lowest first.
    pub levels: Vec<Level>,
    pub standards: Vec<Standard>,
    /// The awards, the lowest first.
    pub awards: Vec<Award>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub key: String,
    pub label: String,
    /// What meeting an indicator at this level looks like, in general.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub key: String,
    pub title: String,
    pub summary: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Unique in the framework.
    pub key: String,
    /// What an organisation that meets it does, for staff.
    pub text: String,
    /// The same claim as young people are asked about it ("They say … Do
    /// you agree?"), in words an 11-year-old reads.
    pub young_people: String,
    /// Key indicators are the ones awards count.
    #[serde(default)]
    pub key_indicator: bool,
}

/// An award: earned when at least `numerator / denominator` of the key
/// indicators are met, each at least at `level`, with evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Award {
    pub key: String,
    pub label: String,
    pub numerator: u32,
    pub denominator: u32,
    /// The lowest level that counts (a key of [`Framework::levels`]).
    pub level: String,
}

impl Award {
    /// How many of `key_indicators` this award needs met.
    pub fn needs(&self, key_indicators: usize) -> usize {
        let (n, d) = (self.numerator as usize, self.denominator.max(1) as usize);
        (key_indicators * n).div_ceil(d)
    }
}

impl Framework {
    /// Reads and checks a framework file: the framework, or every problem
    /// with it in words an administrator can act on.
    pub fn parse(text: &str) -> Result<Framework, Vec<String>> {
        if text.len() > MAX_FILE_BYTES {
            return Err(vec![format!(
                "The file is larger than {} KB: a framework fits in far less.",
                MAX_FILE_BYTES / 1024
            )]);
        }
        let framework: Framework = serde_json::from_str(text).map_err(|e| {
            vec![format!(
                "The file is not a framework heard can read (line {}, column {}): {}.",
                e.line(),
                e.column(),
                plain_json_error(&e)
            )]
        })?;
        let problems = framework.problems();
        if problems.is_empty() {
            Ok(framework)
        } else {
            Err(problems)
        }
    }

    /// Every problem with the framework, in order; none when it is sound.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.format != FORMAT {
            p.push(format!(
                "The format is \u{201c}{}\u{201d}: this version of heard reads \u{201c}{FORMAT}\u{201d}.",
                self.format
            ));
        }
        check_key(&mut p, "The framework", &self.key);
        if self.version == 0 {
            p.push("The version must be 1 or more.".into());
        }
        check_text(&mut p, "The framework's name", &self.name, MAX_TITLE);
        check_text(&mut p, "The framework's summary", &self.summary, MAX_TEXT);

        if self.levels.is_empty() {
            p.push("There are no levels: give at least one (for example emerging).".into());
        }
        let mut seen = Vec::new();
        for (i, l) in self.levels.iter().enumerate() {
            let at = format!("Level {}", i + 1);
            check_key(&mut p, &at, &l.key);
            check_unique(&mut p, &at, &mut seen, &l.key, "level");
            check_text(&mut p, &format!("{at}'s label"), &l.label, MAX_TITLE);
            check_text(&mut p, &format!("{at}'s summary"), &l.summary, MAX_TEXT);
        }

        if self.standards.is_empty() {
            p.push("There are no standards: give at least one.".into());
        }
        if self.standards.len() > MAX_STANDARDS {
            p.push(format!(
                "There are {} standards: at most {MAX_STANDARDS}.",
                self.standards.len()
            ));
        }
        let mut standards = Vec::new();
        let mut indicators = Vec::new();
        for (i, s) in self.standards.iter().enumerate() {
            let at = format!("Standard {}", i + 1);
            check_key(&mut p, &at, &s.key);
            check_unique(&mut p, &at, &mut standards, &s.key, "standard");
            check_text(&mut p, &format!("{at}'s title"), &s.title, MAX_TITLE);
            check_text(&mut p, &format!("{at}'s summary"), &s.summary, MAX_TEXT);
            if s.indicators.is_empty() {
                p.push(format!(
                    "{at} (\u{201c}{}\u{201d}) has no indicators.",
                    s.title
                ));
            }
            for (j, ind) in s.indicators.iter().enumerate() {
                let at = format!("Standard {}, indicator {}", i + 1, j + 1);
                check_key(&mut p, &at, &ind.key);
                check_unique(&mut p, &at, &mut indicators, &ind.key, "indicator");
                check_text(&mut p, &format!("{at}'s text"), &ind.text, MAX_TEXT);
                check_text(
                    &mut p,
                    &format!("{at}'s words for young people"),
                    &ind.young_people,
                    MAX_TEXT,
                );
            }
        }
        if indicators.len() > MAX_INDICATORS {
            p.push(format!(
                "There are {} indicators: at most {MAX_INDICATORS}.",
                indicators.len()
            ));
        }
        let keys = self.key_indicators().count();
        if keys == 0 && !indicators.is_empty() {
            p.push(
                "No indicator is marked key: awards count key indicators, so mark at least one."
                    .into(),
            );
        }

        if self.awards.is_empty() {
            p.push("There are no awards: give at least one (for example bronze).".into());
        }
        let mut awards = Vec::new();
        let mut last_share: Option<(u32, u32, usize)> = None;
        for (i, a) in self.awards.iter().enumerate() {
            let at = format!("Award {}", i + 1);
            check_key(&mut p, &at, &a.key);
            check_unique(&mut p, &at, &mut awards, &a.key, "award");
            check_text(&mut p, &format!("{at}'s label"), &a.label, MAX_TITLE);
            if a.denominator == 0 || a.numerator == 0 || a.numerator > a.denominator {
                p.push(format!(
                    "{at} (\u{201c}{}\u{201d}) needs {}/{} of the key indicators: give a share above 0 and at most 1, such as 1/3.",
                    a.label, a.numerator, a.denominator
                ));
                continue;
            }
            let rank = self.levels.iter().position(|l| l.key == a.level);
            match rank {
                None => p.push(format!(
                    "{at} (\u{201c}{}\u{201d}) counts level \u{201c}{}\u{201d}, which is not one of the levels.",
                    a.label, a.level
                )),
                Some(rank) => {
                    if let Some((n, d, r)) = last_share {
                        // Each award asks more than the one before: a larger
                        // share, or the same share at a higher level.
                        let more = u64::from(a.numerator) * u64::from(d)
                            > u64::from(n) * u64::from(a.denominator);
                        let same = u64::from(a.numerator) * u64::from(d)
                            == u64::from(n) * u64::from(a.denominator);
                        if !(more && rank >= r || same && rank > r) {
                            p.push(format!(
                                "{at} (\u{201c}{}\u{201d}) asks no more than the award before it: list awards from the lowest up.",
                                a.label
                            ));
                        }
                    }
                    last_share = Some((a.numerator, a.denominator, rank));
                }
            }
        }
        p
    }

    /// The key indicators, in the framework's order.
    pub fn key_indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.standards
            .iter()
            .flat_map(|s| s.indicators.iter())
            .filter(|i| i.key_indicator)
    }

    /// Every indicator with its standard, in order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Standard, &Indicator)> {
        self.standards
            .iter()
            .flat_map(|s| s.indicators.iter().map(move |i| (s, i)))
    }

    /// Where `level` stands among the levels (0 the lowest), if it is one.
    pub fn rank(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.key == level)
    }

    pub fn level_label(&self, level: &str) -> Option<&str> {
        self.levels
            .iter()
            .find(|l| l.key == level)
            .map(|l| l.label.as_str())
    }
}

/// A serde_json error without its Rust type names.
fn plain_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // "missing field `name` at line 3 column 1" → "missing field `name`"
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn check_key(p: &mut Vec<String>, at: &str, key: &str) {
    let ok = !key.is_empty()
        && key.len() <= 60
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !key.starts_with('-');
    if !ok {
        p.push(format!(
            "{at}'s key \u{201c}{key}\u{201d} must be 1 to 60 small letters, digits and hyphens (like shared-values)."
        ));
    }
}

fn check_unique(p: &mut Vec<String>, at: &str, seen: &mut Vec<String>, key: &str, what: &str) {
    if seen.iter().any(|k| k == key) {
        p.push(format!(
            "{at} uses the key \u{201c}{key}\u{201d} of another {what}: each {what} needs its own."
        ));
    }
    seen.push(key.to_string());
}

fn check_text(p: &mut Vec<String>, at: &str, text: &str, max: usize) {
    let n = text.trim().chars().count();
    if n == 0 {
        p.push(format!("{at} is empty."));
    } else if n > max {
        p.push(format!("{at} is {n} characters long: at most {max}."));
    }
}
