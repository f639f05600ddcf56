use super::*;
use proptest::prelude::*;

const T: Thresholds = DEFAULT;

#[test]
fn counts_are_zero_fewer_than_ten_or_rounded_to_five() {
    let shown: Vec<String> = [0, 1, 9, 10, 12, 13, 17, 18, 102, 557_077]
        .iter()
        .map(|n| count(*n, &T).file_text())
        .collect();
    assert_eq!(
        shown,
        ["0", "<10", "<10", "10", "10", "15", "15", "20", "100", "557075"]
    );
    assert_eq!(count(7, &T).page_text(), "fewer than 10");
}

#[test]
fn one_hidden_cell_in_a_row_takes_the_smallest_other_with_it() {
    let t = table(&[vec![3, 40, 25]], &T);
    assert_eq!(
        t.cells[0],
        vec![
            Published::FewerThan(10),
            Published::About(40),
            Published::Hidden
        ]
    );
    assert_eq!(
        t.row_totals[0],
        Published::About(70),
        "from the true 68, rounded"
    );
}

#[test]
fn a_real_count_is_hidden_beside_a_small_cell_before_a_zero() {
    // A zero hidden says nothing a reader could not know from elsewhere
    // (a group in an age band nobody answered from): a real count goes.
    let t = table(&[vec![0, 3, 40, 25]], &T);
    assert_eq!(
        t.cells[0],
        vec![
            Published::Zero,
            Published::FewerThan(10),
            Published::About(40),
            Published::Hidden
        ]
    );
}

#[test]
fn a_lone_hidden_cell_hides_its_total_instead() {
    let t = table(&[vec![4], vec![30]], &T);
    assert_eq!(t.row_totals[0], Published::FewerThan(10));
    // Column: 4 hidden, 30 shown, total 34 shown: 30 goes too.
    assert_eq!(t.cells[1][0], Published::Hidden);
    assert_eq!(
        t.row_totals[1],
        Published::Hidden,
        "its row has no other cell"
    );
}

#[test]
fn shares_and_averages_need_a_base_of_thirty_and_use_published_numbers() {
    assert_eq!(share(10, 29, &T), None);
    assert_eq!(share(12, 40, &T), Some(25), "10 of 40");
    assert_eq!(
        share(3, 100, &T),
        None,
        "a hidden count has no share either"
    );
    assert_eq!(average_tenths(100, 29, &T), None);
    assert_eq!(average_tenths(114, 30, &T), Some(38));
}

#[test]
fn filters_text_and_surveys_have_their_floors() {
    assert_eq!(filter(9, &T), Err(FILTER_TOO_NARROW));
    assert!(filter(10, &T).is_ok());
    assert!(!survey_reaches_out(29, &T) && survey_reaches_out(30, &T));
    let low = Thresholds::with_survey_minimum(3);
    assert_eq!(low.min_survey_responses, 10, "never below 10");
    let facts = TextFacts {
        approved: true,
        with_safeguarding_lead: false,
        redacted: true,
        survey_responses: 10,
    };
    assert!(text_may_leave(facts, &T));
    assert!(!text_may_leave(
        TextFacts {
            approved: false,
            ..facts
        },
        &T
    ));
    assert!(!text_may_leave(
        TextFacts {
            with_safeguarding_lead: true,
            ..facts
        },
        &T
    ));
    assert!(!text_may_leave(
        TextFacts {
            redacted: false,
            ..facts
        },
        &T
    ));
    assert!(!text_may_leave(
        TextFacts {
            survey_responses: 9,
            ..facts
        },
        &T
    ));
}

fn tables() -> impl Strategy<Value = Vec<Vec<i64>>> {
    (1usize..6, 1usize..6).prop_flat_map(|(r, c)| {
        proptest::collection::vec(
            proptest::collection::vec(prop_oneof![Just(0i64), 1i64..10, 10i64..200], c),
            r,
        )
    })
}

fn every_published(t: &Table) -> Vec<Published> {
    t.cells
        .iter()
        .flatten()
        .chain(&t.row_totals)
        .chain(&t.column_totals)
        .chain(std::iter::once(&t.total))
        .copied()
        .collect()
}

proptest! {
    #[test]
    fn no_count_between_one_and_nine_is_ever_published(n in -5i64..100_000) {
        let shown = count(n, &T).number();
        prop_assert!(!matches!(shown, Some(1..=9)), "{n} shown as {shown:?}");
    }

    #[test]
    fn no_table_publishes_a_count_between_one_and_nine(counts in tables()) {
        let t = table(&counts, &T);
        for p in every_published(&t) {
            prop_assert!(!matches!(p.number(), Some(1..=9)), "{p:?} in {counts:?}");
        }
    }

    #[test]
    fn no_hidden_cell_can_be_worked_out_from_its_row_or_column(counts in tables()) {
        let t = table(&counts, &T);
        for (r, row) in t.cells.iter().enumerate() {
            let hidden = row.iter().filter(|p| p.is_hidden()).count();
            prop_assert!(t.row_totals[r].is_hidden() || hidden != 1, "row {r} of {counts:?}: {t:?}");
        }
        for c in 0..t.column_totals.len() {
            let hidden = t.cells.iter().filter(|row| row[c].is_hidden()).count();
            prop_assert!(t.column_totals[c].is_hidden() || hidden != 1, "column {c} of {counts:?}: {t:?}");
        }
        for totals in [&t.row_totals, &t.column_totals] {
            let hidden = totals.iter().filter(|p| p.is_hidden()).count();
            prop_assert!(t.total.is_hidden() || hidden != 1, "totals of {counts:?}: {t:?}");
        }
    }

    #[test]
    fn totals_are_the_true_totals_rounded(counts in tables()) {
        let t = table(&counts, &T);
        let true_total: i64 = counts.iter().flatten().sum();
        prop_assert!(t.total == count(true_total, &T) || t.total == Published::Hidden);
        for (r, row) in counts.iter().enumerate() {
            let shown = t.row_totals[r];
            prop_assert!(shown == count(row.iter().sum(), &T) || shown == Published::Hidden);
        }
    }

    #[test]
    fn a_share_never_says_more_than_the_published_counts(part in 0i64..500, extra in 0i64..500) {
        let base = part + extra;
        if let Some(s) = share(part, base, &T) {
            prop_assert!(base >= T.min_base);
            let (p, b) = (count(part, &T).number().unwrap(), count(base, &T).number().unwrap());
            prop_assert_eq!(s as i64, (p * 100 + b / 2) / b);
        }
    }
}
