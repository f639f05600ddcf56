//! Rating a service: the four statements, the threshold before a summary is
//! public, and the sums staff see. Pure: no I/O.

use crate::surveys::model::SCALE_FACES;
use serde::{Deserialize, Serialize};

/// The four statements, rated 1 to 5 in faces with words. Their order is
/// their position in the service's rating survey.
pub const STATEMENTS: [&str; 4] = [
    "They listened to me",
    "They treated me with respect",
    "They helped me",
    "It was easy to get to",
];

/// The optional question after the statements.
pub const BETTER: &str = "What would make it better?";

/// A service's summary is public only from this many ratings: the smallest
/// count disclosure publishes as a number.
pub const MIN_RATINGS_SHOWN: i64 = crate::disclosure::DEFAULT.small;

/// A phone may rate the same service again this many days later.
pub const RATE_AGAIN_AFTER_DAYS: i64 = 30;

/// When a phone that rates at `now` may rate the same service again: the
/// start of the day after 30 days have passed, so the mark holds no time of
/// day that could tie it to a rating.
pub fn rate_again_at(now: i64) -> i64 {
    (now + RATE_AGAIN_AFTER_DAYS * 86_400) / 86_400 * 86_400 + 86_400
}

/// How one statement was rated: how many chose each face, 1 to 5.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatementTally {
    pub statement: String,
    pub counts: [i64; 5],
}

impl StatementTally {
    pub fn answered(&self) -> i64 {
        self.counts.iter().sum()
    }

    /// The average in tenths (38 is 3.8), rounded half up; `None` unanswered.
    pub fn average_tenths(&self) -> Option<i64> {
        let n = self.answered();
        let sum: i64 = self
            .counts
            .iter()
            .enumerate()
            .map(|(i, c)| (i as i64 + 1) * c)
            .sum();
        (n > 0).then(|| (sum * 20 + n) / (2 * n))
    }
}

/// "3.8".
pub fn tenths(t: i64) -> String {
    format!("{}.{}", t / 10, t % 10)
}

/// The face and its words nearest an average in tenths.
pub fn face_for(tenths: i64) -> (&'static str, &'static str) {
    let nearest = ((tenths + 5) / 10).clamp(1, 5) as usize;
    SCALE_FACES[nearest - 1]
}

/// One statement as the public page shows it: every count through
/// [`crate::disclosure`], the average only from a base it allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicStatement {
    pub statement: String,
    /// In tenths, from 30 ratings of it.
    pub average: Option<i64>,
    /// One bar a face, 1 to 5.
    pub bars: Vec<crate::surveys::results::rules::Bar>,
}

/// What a service's public page shows of its ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PublicSummary {
    /// Fewer than [`MIN_RATINGS_SHOWN`]: nothing but that.
    NotEnough,
    Shown {
        ratings: crate::disclosure::Published,
        statements: Vec<PublicStatement>,
    },
}

/// The public summary of `ratings` ratings with these tallies, disclosed:
/// each statement's faces a protected row, per cents and the average only
/// from a base of 30.
pub fn public_summary(
    ratings: i64,
    statements: Vec<StatementTally>,
    t: &crate::disclosure::Thresholds,
) -> PublicSummary {
    use crate::disclosure::{average_tenths, count, share, table};
    if ratings < MIN_RATINGS_SHOWN {
        return PublicSummary::NotEnough;
    }
    let statements = statements
        .into_iter()
        .map(|s| {
            let answered = s.answered();
            let sum: i64 = s
                .counts
                .iter()
                .enumerate()
                .map(|(i, c)| (i as i64 + 1) * c)
                .sum();
            let published = table(&[s.counts.to_vec()], t).cells.remove(0);
            let bars = SCALE_FACES
                .iter()
                .zip(s.counts.iter().zip(published))
                .map(|((_, words), (n, p))| {
                    crate::surveys::results::rules::Bar::disclosed(
                        (*words).to_string(),
                        p,
                        p.number().and_then(|_| share(*n, answered, t)),
                    )
                })
                .collect();
            PublicStatement {
                statement: s.statement,
                average: average_tenths(sum, answered, t),
                bars,
            }
        })
        .collect();
    PublicSummary::Shown {
        ratings: count(ratings, t),
        statements,
    }
}

/// One month of a service's ratings, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTrend {
    /// "November 2026".
    pub month: String,
    pub ratings: i64,
    /// Per statement, in tenths.
    pub averages: Vec<Option<i64>>,
}

/// `(year, month)` of a day stored as seconds since 1970 (UTC).
pub fn year_month(day: i64) -> (i64, u32) {
    // Days to civil date (Howard Hinnant's algorithm).
    let z = day.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month)
}

pub fn month_name(year: i64, month: u32) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {year}", NAMES[(month as usize).clamp(1, 12) - 1])
}

/// Trends by month, newest first, from `(day, statement position 1..=4,
/// value 1..=5, count)` rows and each month's number of ratings.
pub fn months(rows: &[(i64, i64, i64, i64)], ratings: &[(i64, i64)]) -> Vec<MonthTrend> {
    use std::collections::BTreeMap;
    let mut sums: BTreeMap<(i64, u32), [(i64, i64); 4]> = BTreeMap::new();
    let mut counts: BTreeMap<(i64, u32), i64> = BTreeMap::new();
    for (day, n) in ratings {
        *counts.entry(year_month(*day)).or_default() += n;
    }
    for (day, position, value, count) in rows {
        let Some(i) = usize::try_from(position - 1).ok().filter(|i| *i < 4) else {
            continue;
        };
        let entry = sums.entry(year_month(*day)).or_default();
        entry[i].0 += value * count;
        entry[i].1 += count;
    }
    counts
        .into_iter()
        .rev()
        .map(|(ym, ratings)| {
            let s = sums.get(&ym).copied().unwrap_or_default();
            MonthTrend {
                month: month_name(ym.0, ym.1),
                ratings,
                averages: s
                    .iter()
                    .map(|(sum, n)| (*n > 0).then(|| (sum * 20 + n) / (2 * n)))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(counts: [i64; 5]) -> StatementTally {
        StatementTally {
            statement: STATEMENTS[0].into(),
            counts,
        }
    }

    #[test]
    fn averages_are_in_tenths_rounded_half_up() {
        assert_eq!(tally([0, 0, 0, 1, 1]).average_tenths(), Some(45));
        assert_eq!(
            tally([1, 0, 0, 0, 2]).average_tenths(),
            Some(37),
            "11/3 = 3.67"
        );
        assert_eq!(tally([0; 5]).average_tenths(), None);
        assert_eq!(tenths(38), "3.8");
    }

    #[test]
    fn a_phone_may_rate_again_from_a_day_boundary_at_least_thirty_days_on() {
        let now = 1_795_478_400 + 13 * 3_600 + 17;
        let again = rate_again_at(now);
        assert_eq!(again % 86_400, 0);
        assert!(again - now >= 30 * 86_400 && again - now < 31 * 86_400);
    }

    #[test]
    fn faces_follow_the_nearest_whole_number() {
        assert_eq!(face_for(10).1, "Very bad");
        assert_eq!(face_for(44).1, "Good");
        assert_eq!(face_for(45).1, "Very good");
        assert_eq!(face_for(50).1, "Very good");
    }

    #[test]
    fn a_summary_is_public_only_from_ten_ratings_and_every_number_is_disclosed() {
        let d = &crate::disclosure::DEFAULT;
        let t = vec![tally([0, 0, 1, 2, 6])];
        assert_eq!(public_summary(9, t.clone(), d), PublicSummary::NotEnough);
        let PublicSummary::Shown {
            ratings,
            statements,
        } = public_summary(9 + 1, t, d)
        else {
            panic!("shown from ten");
        };
        assert_eq!(ratings, crate::disclosure::Published::About(10));
        let s = &statements[0];
        assert_eq!(s.average, None, "an average needs a base of 30");
        assert!(
            s.bars.iter().all(|b| b.percent().is_none()),
            "so do per cents"
        );
        assert!(
            s.bars.iter().all(|b| !matches!(b.count(), Some(1..=9))),
            "{:?}",
            s.bars
        );
        let many = vec![tally([0, 0, 4, 10, 26])];
        let PublicSummary::Shown { statements, .. } = public_summary(40, many, d) else {
            panic!("shown");
        };
        assert_eq!(
            statements[0].average,
            Some(46),
            "(12 + 40 + 130) / 40 = 4.55"
        );
        assert_eq!(
            statements[0].bars[4].percent(),
            Some(63),
            "the published 25 of the published 40"
        );
    }

    #[test]
    fn days_fall_in_their_months() {
        assert_eq!(year_month(0), (1970, 1));
        // 2026-11-24 and 2024-02-29.
        assert_eq!(year_month(1_795_478_400), (2026, 11));
        assert_eq!(year_month(1_709_164_800), (2024, 2));
        assert_eq!(month_name(2026, 11), "November 2026");
    }

    #[test]
    fn months_are_newest_first_with_averages_per_statement() {
        let nov = 1_795_478_400;
        let oct = nov - 30 * 86_400;
        let rows = [
            (nov, 1, 5, 2),
            (nov, 1, 4, 1),
            (oct, 2, 1, 1),
            (nov, 9, 5, 1),
        ];
        let m = months(&rows, &[(nov, 3), (oct, 1)]);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].month, "November 2026");
        assert_eq!(m[0].ratings, 3);
        assert_eq!(m[0].averages, vec![Some(47), None, None, None]);
        assert_eq!(m[1].averages, vec![None, Some(10), None, None]);
    }
}
