//! A local instance's counts as feed tables: areas down, age bands across,
//! for everyone and for each group, through [`crate::disclosure::table`]
//! (small cells hidden, and enough others that none can be worked out from
//! the totals beside them). Pure.

use super::document::{count_of, FeedTable, Measure};
use crate::about_you::Group;
use crate::disclosure::{table, Thresholds};
use std::collections::{BTreeMap, BTreeSet};

/// The groups a table is made for: everyone, then each group.
pub const ALL: &str = "all";

/// `who` → count, `who` being `area|age band|groups` (groups
/// comma-separated), as the tallies group by it: the tables for `measure`
/// (everyone, and each group with anyone in it).
pub fn tables(
    measure: Measure,
    outcome: Option<&str>,
    counts: &BTreeMap<String, i64>,
    t: &Thresholds,
) -> Vec<FeedTable> {
    let who: Vec<(&str, &str, Vec<&str>, i64)> = counts
        .iter()
        .map(|(k, n)| {
            let (area, age, groups) = crate::tallies::split_who(k);
            let groups = groups.split(',').filter(|g| !g.is_empty()).collect();
            (area, age, groups, *n)
        })
        .collect();
    let areas: Vec<String> = who
        .iter()
        .map(|w| w.0.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let ages: Vec<String> = who
        .iter()
        .map(|w| w.1.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let groups = std::iter::once(ALL).chain(Group::ALL.iter().map(|g| g.key()));
    groups
        .filter_map(|group| {
            let mut matrix = vec![vec![0_i64; ages.len()]; areas.len()];
            let mut any = false;
            for (area, age, gs, n) in &who {
                if group != ALL && !gs.contains(&group) {
                    continue;
                }
                let r = areas.iter().position(|a| a == area)?;
                let c = ages.iter().position(|a| a == age)?;
                matrix[r][c] += n;
                any |= *n > 0;
            }
            if !any && group != ALL {
                return None;
            }
            let published = table(&matrix, t);
            Some(FeedTable {
                measure,
                outcome: outcome.map(str::to_string),
                group: group.to_string(),
                areas: areas.clone(),
                age_bands: ages.clone(),
                cells: published
                    .cells
                    .iter()
                    .map(|row| row.iter().map(|p| count_of(*p)).collect())
                    .collect(),
                area_totals: published.row_totals.iter().map(|p| count_of(*p)).collect(),
                age_band_totals: published
                    .column_totals
                    .iter()
                    .map(|p| count_of(*p))
                    .collect(),
                total: count_of(published.total),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::DEFAULT;
    use crate::feed::document::{check, FeedDocument, FeedSurvey, FORMAT};
    use crate::feed::merge::{figures, merge};
    use proptest::prelude::*;

    fn who(area: &str, age: &str, groups: &str, n: i64) -> (String, i64) {
        (format!("{area}|{age}|{groups}"), n)
    }

    #[test]
    fn a_survey_becomes_a_table_for_everyone_and_each_group_with_anyone() {
        let counts: BTreeMap<String, i64> = [
            who("E08000035", "11-13", "", 40),
            who("E08000035", "14-16", "young_carer", 12),
            who("E08000036", "11-13", "in_care,young_carer", 3),
        ]
        .into_iter()
        .collect();
        let t = tables(Measure::Responses, None, &counts, &DEFAULT);
        let groups: Vec<&str> = t.iter().map(|t| t.group.as_str()).collect();
        assert_eq!(groups, ["all", "in_care", "young_carer"]);
        let all = &t[0];
        assert_eq!(all.areas, ["E08000035", "E08000036"]);
        // 3 is hidden, and so is the 40 beside it in its column: with the
        // column's total, the 3 could be worked out from the 40.
        assert_eq!(all.cells[1][0], None);
        assert_eq!(all.cells[0], [None, Some(10)]);
        assert_eq!(all.age_band_totals, [Some(45), Some(10)]);
        assert_eq!(all.total, Some(55));
    }

    fn document(tables: Vec<FeedTable>) -> FeedDocument {
        FeedDocument {
            format: FORMAT.into(),
            instance: "x".into(),
            name: "x".into(),
            sequence: 1,
            issued_at: 0,
            key: String::new(),
            rotation: None,
            small: 10,
            round_to: 5,
            surveys: vec![FeedSurvey {
                template: "growing-up-in-england".into(),
                template_version: 1,
                reference: "1".into(),
                organisation: "o".into(),
                tables,
                questions: vec![],
            }],
        }
    }

    proptest! {
        /// Whatever instances count, what they publish passes the hub's
        /// checks, and what the hub merges from it never shows a count
        /// from 1 to 9.
        #[test]
        fn merged_disclosed_output_never_shows_a_count_from_1_to_9(
            instances in proptest::collection::vec(
                proptest::collection::vec((0..4usize, 0..3usize, 0..4usize, 0..60i64), 0..25),
                1..4,
            )
        ) {
            let areas = ["E08000035", "E08000036", "E08000037", ""];
            let ages = ["8-10", "11-13", "14-16"];
            let groups = ["", "in_care", "young_carer", "in_care,send"];
            let docs: Vec<FeedDocument> = instances
                .iter()
                .map(|cells| {
                    let mut counts = BTreeMap::new();
                    for (a, b, g, n) in cells {
                        *counts
                            .entry(format!("{}|{}|{}", areas[*a], ages[*b], groups[*g]))
                            .or_insert(0) += n;
                    }
                    let mut t = tables(Measure::Responses, None, &counts, &DEFAULT);
                    t.extend(tables(Measure::Answered, Some("safe"), &counts, &DEFAULT));
                    let half: BTreeMap<String, i64> =
                        counts.iter().map(|(k, n)| (k.clone(), n / 2)).collect();
                    t.extend(tables(Measure::Positive, Some("safe"), &half, &DEFAULT));
                    document(t)
                })
                .collect();
            for d in &docs {
                prop_assert!(check(d).is_ok(), "{:?}", check(d));
            }
            let kept: Vec<(usize, &FeedDocument)> = docs.iter().enumerate().collect();
            for m in merge(&kept, &DEFAULT) {
                for f in figures(&m) {
                    let n = f.shown.number();
                    prop_assert!(!matches!(n, Some(1..=9)), "{f:?}");
                }
            }
        }
    }

    #[test]
    fn a_merged_figure_with_a_hidden_part_is_never_a_total() {
        let a: BTreeMap<String, i64> = [who("E08000035", "11-13", "", 40)].into_iter().collect();
        let b: BTreeMap<String, i64> = [who("E08000035", "11-13", "", 4)].into_iter().collect();
        let da = document(tables(Measure::Responses, None, &a, &DEFAULT));
        let db = document(tables(Measure::Responses, None, &b, &DEFAULT));
        let m = merge(&[(0, &da), (1, &db)], &DEFAULT);
        let whole = &m[0].responses.whole;
        assert_eq!(whole.page_text(), "at least 40");
        assert_eq!(whole.sources, [0, 1]);
        // Two that are both known add up, and stay rounded.
        let c: BTreeMap<String, i64> = [who("E08000035", "11-13", "", 23)].into_iter().collect();
        let dc = document(tables(Measure::Responses, None, &c, &DEFAULT));
        let m = merge(&[(0, &da), (1, &dc)], &DEFAULT);
        assert_eq!(m[0].responses.whole.page_text(), "65");
        // Only hidden parts: hidden.
        let m = merge(&[(1, &db)], &DEFAULT);
        assert_eq!(m[0].responses.whole.page_text(), "hidden");
    }
}
