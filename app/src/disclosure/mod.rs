//! Disclosure control: the one rule every number, share, average, filter
//! and word passes through before it reaches anyone outside the
//! organisation that collected it (commissioners' pages, their exports,
//! later the national feed). Pure, with unit and property tests beside it.
//!
//! - A count from 1 to 9 is published as "fewer than 10" (`<10` in files);
//!   any other count is rounded to the nearest 5. Totals are computed from
//!   the true numbers and then rounded the same way.
//! - Secondary suppression: in a table, no row or column whose total is
//!   published ever has exactly one hidden cell, so no hidden cell can be
//!   worked out by taking the others from its total.
//! - Percentages only where the base is at least 30, to whole numbers, and
//!   only from the published numbers; averages only where the base is at
//!   least 30.
//! - A filter that would describe fewer than 10 young people is refused.
//! - Free text only if a moderator approved it, it is redacted, it is not
//!   with the safeguarding lead, and its survey has at least 10 responses.
//! - A survey reaches commissioners only from 30 responses (configurable,
//!   never below 10).

use serde::{Deserialize, Serialize};

/// Every threshold, in one place. Pages that use them say so
/// ([`ROUNDING_NOTE`]); the README lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Counts below this (and above 0) are published as "fewer than".
    pub small: i64,
    /// Other counts are rounded to the nearest multiple of this.
    pub round_to: i64,
    /// Percentages and averages need a base of at least this.
    pub min_base: i64,
    /// A filter must describe at least this many young people.
    pub min_filter: i64,
    /// Free text needs its survey to have at least this many responses.
    pub min_text_responses: i64,
    /// A survey reaches commissioners from this many responses.
    pub min_survey_responses: i64,
}

/// The lowest a survey's threshold may be set: the same as the smallest
/// count published.
pub const LOWEST_SURVEY_MINIMUM: i64 = 10;

pub const DEFAULT: Thresholds = Thresholds {
    small: 10,
    round_to: 5,
    min_base: 30,
    min_filter: 10,
    min_text_responses: 10,
    min_survey_responses: 30,
};

impl Default for Thresholds {
    fn default() -> Self {
        DEFAULT
    }
}

impl Thresholds {
    /// The defaults with a survey minimum of `n`, never below
    /// [`LOWEST_SURVEY_MINIMUM`].
    pub fn with_survey_minimum(n: i64) -> Thresholds {
        Thresholds {
            min_survey_responses: n.max(LOWEST_SURVEY_MINIMUM),
            ..DEFAULT
        }
    }
}

/// Said on every page that shows disclosed numbers.
pub const ROUNDING_NOTE: &str = "Numbers are rounded to protect young people's privacy: counts from 1 to 9 show as \u{201c}fewer than 10\u{201d}, others are rounded to the nearest 5, and some are hidden so that a small one cannot be worked out.";

/// Said when a filter would describe too few young people.
pub const FILTER_TOO_NARROW: &str = "That would describe fewer than 10 young people, so heard doesn't show it. Choose a wider area, age band, group or time.";

/// A count as it may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Published {
    /// Nobody.
    Zero,
    /// At least 1 and fewer than the small threshold.
    FewerThan(i64),
    /// Rounded to the nearest multiple of the rounding base (never below
    /// the small threshold).
    About(i64),
    /// Hidden so that a small count beside it cannot be worked out.
    Hidden,
}

impl Published {
    /// The number, where one is shown.
    pub fn number(self) -> Option<i64> {
        match self {
            Published::Zero => Some(0),
            Published::About(n) => Some(n),
            Published::FewerThan(_) | Published::Hidden => None,
        }
    }

    /// As written in a file: `0`, `25`, `<10`, or empty for hidden.
    pub fn file_text(self) -> String {
        match self {
            Published::Zero => "0".into(),
            Published::About(n) => n.to_string(),
            Published::FewerThan(n) => format!("<{n}"),
            Published::Hidden => String::new(),
        }
    }

    /// As read on a page.
    pub fn page_text(self) -> String {
        match self {
            Published::Zero => "0".into(),
            Published::About(n) => n.to_string(),
            Published::FewerThan(n) => format!("fewer than {n}"),
            Published::Hidden => "hidden".into(),
        }
    }

    pub fn is_hidden(self) -> bool {
        matches!(self, Published::FewerThan(_) | Published::Hidden)
    }
}

/// A true count, published: 0, fewer than 10, or rounded to the nearest 5
/// (halves up). Rounding never brings a count of 10 or more below 10.
pub fn count(n: i64, t: &Thresholds) -> Published {
    match n {
        i64::MIN..=0 => Published::Zero,
        n if n < t.small => Published::FewerThan(t.small),
        n => {
            let r = t.round_to.max(1);
            let rounded = (n + r / 2) / r * r;
            Published::About(rounded.max(t.small))
        }
    }
}

/// A table of true counts, published: its cells, each row's and column's
/// total, and the grand total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub cells: Vec<Vec<Published>>,
    pub row_totals: Vec<Published>,
    pub column_totals: Vec<Published>,
    pub total: Published,
}

/// Publishes a table of true counts (rows of equal length). Small cells are
/// hidden; then, until nothing changes, any row or column (the row and
/// column totals included, under the grand total) whose published total
/// would let exactly one hidden cell be worked out has one more cell hidden
/// (its smallest other cell), or, with no other cell, its total.
pub fn table(counts: &[Vec<i64>], t: &Thresholds) -> Table {
    let rows = counts.len();
    let columns = counts.iter().map(Vec::len).max().unwrap_or(0);
    let at = |r: usize, c: usize| counts[r].get(c).copied().unwrap_or(0);
    let mut cells: Vec<Vec<Published>> = (0..rows)
        .map(|r| (0..columns).map(|c| count(at(r, c), t)).collect())
        .collect();
    let mut row_totals: Vec<Published> = (0..rows)
        .map(|r| count((0..columns).map(|c| at(r, c)).sum(), t))
        .collect();
    let mut column_totals: Vec<Published> = (0..columns)
        .map(|c| count((0..rows).map(|r| at(r, c)).sum(), t))
        .collect();
    let mut total = count(counts.iter().flatten().sum(), t);
    let row_sums: Vec<i64> = (0..rows)
        .map(|r| (0..columns).map(|c| at(r, c)).sum())
        .collect();
    let column_sums: Vec<i64> = (0..columns)
        .map(|c| (0..rows).map(|r| at(r, c)).sum())
        .collect();
    loop {
        let mut changed = false;
        for r in 0..rows {
            let trues: Vec<i64> = (0..columns).map(|c| at(r, c)).collect();
            changed |= protect(&mut cells[r], &trues, &mut row_totals[r]);
        }
        for c in 0..columns {
            let trues: Vec<i64> = (0..rows).map(|r| at(r, c)).collect();
            let mut line: Vec<Published> = (0..rows).map(|r| cells[r][c]).collect();
            if protect(&mut line, &trues, &mut column_totals[c]) {
                for (r, p) in line.into_iter().enumerate() {
                    cells[r][c] = p;
                }
                changed = true;
            }
        }
        // The totals are a row and a column of their own, under the grand total.
        changed |= protect(&mut row_totals, &row_sums, &mut total);
        changed |= protect(&mut column_totals, &column_sums, &mut total);
        if !changed {
            break;
        }
    }
    Table {
        cells,
        row_totals,
        column_totals,
        total,
    }
}

/// One row or column: when its total is published and exactly one of its
/// cells is hidden, hides the smallest other cell that is not zero (a zero
/// is often known from elsewhere: a group in an age band nobody answered
/// from), else a zero, or the total when there is no other. True when
/// anything changed.
fn protect(line: &mut [Published], trues: &[i64], total: &mut Published) -> bool {
    if total.is_hidden() {
        return false;
    }
    if line.iter().filter(|p| p.is_hidden()).count() != 1 {
        return false;
    }
    let other = (0..line.len())
        .filter(|i| !line[*i].is_hidden())
        .min_by_key(|i| (trues[*i] == 0, trues[*i], *i));
    match other {
        Some(i) => line[i] = Published::Hidden,
        None => *total = Published::Hidden,
    }
    true
}

/// A whole percentage of `part` in `base`, from the published numbers, where
/// the true base is at least the threshold and both numbers are shown.
pub fn share(part: i64, base: i64, t: &Thresholds) -> Option<u32> {
    if base < t.min_base {
        return None;
    }
    let (p, b) = (count(part, t).number()?, count(base, t).number()?);
    (b > 0).then(|| ((p * 100 + b / 2) / b).clamp(0, 100) as u32)
}

/// An average in tenths (38 is 3.8) of `sum` over `n` answers, where `n` is
/// at least the threshold.
pub fn average_tenths(sum: i64, n: i64, t: &Thresholds) -> Option<i64> {
    (n >= t.min_base && n > 0).then(|| (sum * 20 + n) / (2 * n))
}

/// Whether a filter describing `young_people` may be shown (or the plain
/// message saying why not).
pub fn filter(young_people: i64, t: &Thresholds) -> Result<(), &'static str> {
    if young_people < t.min_filter {
        Err(FILTER_TOO_NARROW)
    } else {
        Ok(())
    }
}

/// Whether a survey's results reach anyone outside its organisation yet.
pub fn survey_reaches_out(responses: i64, t: &Thresholds) -> bool {
    responses >= t.min_survey_responses.max(LOWEST_SURVEY_MINIMUM)
}

/// What is known about a piece of free text, for [`text_may_leave`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFacts {
    pub approved: bool,
    pub with_safeguarding_lead: bool,
    /// The words stored are the redacted ones (always true of answers stored
    /// since screening began; false for anything not yet screened).
    pub redacted: bool,
    pub survey_responses: i64,
}

/// Whether free text may leave the organisation.
pub fn text_may_leave(f: TextFacts, t: &Thresholds) -> bool {
    f.approved
        && f.redacted
        && !f.with_safeguarding_lead
        && f.survey_responses >= t.min_text_responses
}

#[cfg(test)]
mod tests;
