//! Turning stored answers into results. Pure: the store hands in counts (and
//! one page of free text a question), this shapes them, and every output
//! passes through [`disclose`] on the way out.

use crate::about_you::{AgeBand, Group, PREFER_NOT_TO_SAY};
use crate::surveys::model::{QuestionKind, SurveyForm};
use serde::{Deserialize, Serialize};

/// "About you" counts from 1 up to one less than this are shown only as
/// "fewer than" it, so a small group cannot point to one young person.
pub const SMALL_COUNT_LIMIT: i64 = 5;

/// Free-text answers shown at once for one question; the rest are a link away.
pub const TEXT_PAGE_SIZE: i64 = 50;

/// One counted `(question, position, value)` group, as the store reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerCount {
    pub question_id: i64,
    pub position: i64,
    pub value: String,
    pub count: i64,
}

/// What one bar says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tally {
    Shown {
        count: i64,
        /// Whole per cent of those who answered the question.
        percent: u32,
    },
    /// A count shown without a per cent (its base is too small for one to
    /// be disclosed).
    Counted(i64),
    /// Withheld: at least one and fewer than this many (no per cent either).
    FewerThan(i64),
    /// Withheld although not small, so that a small count beside it cannot
    /// be worked out by taking the others from the total.
    Hidden,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub tally: Tally,
}

impl Bar {
    /// A bar of disclosed numbers: a count as published, with its per cent
    /// where that may be shown.
    pub fn disclosed(
        label: String,
        count: crate::disclosure::Published,
        percent: Option<u32>,
    ) -> Bar {
        use crate::disclosure::Published;
        Bar {
            label,
            tally: match (count, percent) {
                (Published::FewerThan(n), _) => Tally::FewerThan(n),
                (Published::Hidden, _) => Tally::Hidden,
                (Published::Zero, Some(p)) => Tally::Shown {
                    count: 0,
                    percent: p,
                },
                (Published::About(n), Some(p)) => Tally::Shown {
                    count: n,
                    percent: p,
                },
                (Published::Zero, None) => Tally::Counted(0),
                (Published::About(n), None) => Tally::Counted(n),
            },
        }
    }

    /// The count, when it is shown.
    pub fn count(&self) -> Option<i64> {
        match self.tally {
            Tally::Shown { count, .. } | Tally::Counted(count) => Some(count),
            Tally::FewerThan(_) | Tally::Hidden => None,
        }
    }

    /// The per cent, when it is shown.
    pub fn percent(&self) -> Option<u32> {
        match self.tally {
            Tally::Shown { percent, .. } => Some(percent),
            Tally::Counted(_) | Tally::FewerThan(_) | Tally::Hidden => None,
        }
    }
}

/// One page of a question's free-text answers, in a stable shuffled order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextPage {
    pub answers: Vec<TextAnswer>,
    /// 1-based; `pages` is at least 1.
    pub page: i64,
    pub pages: i64,
}

/// One free-text answer as the organisation's results show it: the words
/// (redacted; none when hidden or with the safeguarding lead) and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextAnswer {
    pub text: Option<String>,
    pub state: crate::moderation::FreeTextState,
}

impl TextAnswer {
    pub fn new(value: String, state: crate::moderation::FreeTextState) -> TextAnswer {
        TextAnswer {
            text: state.shown_in_results().then_some(value),
            state,
        }
    }
}

impl TextPage {
    /// The 1-based place of the first and last answer shown.
    pub fn range(&self) -> (i64, i64) {
        let first = (self.page - 1) * TEXT_PAGE_SIZE + 1;
        (first, first + self.answers.len() as i64 - 1)
    }
}

/// Which page of a question's free text to read: `requested` kept within the
/// pages there are (so a stale or made-up link shows the nearest page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextWindow {
    pub page: i64,
    pub pages: i64,
}

impl TextWindow {
    pub fn of(answers: i64, requested: i64) -> TextWindow {
        let pages = ((answers + TEXT_PAGE_SIZE - 1) / TEXT_PAGE_SIZE).max(1);
        TextWindow {
            page: requested.clamp(1, pages),
            pages,
        }
    }

    pub fn offset(self) -> i64 {
        (self.page - 1) * TEXT_PAGE_SIZE
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question_id: i64,
    pub number: usize,
    pub prompt: String,
    pub kind: QuestionKind,
    /// How many responses answered this question.
    pub answered: i64,
    pub bars: Vec<Bar>,
    /// Ranking only: each option's average place (1 is best), same order as `bars`.
    pub average_place: Vec<Option<f32>>,
    /// Free text only: the page of answers shown.
    pub texts: TextPage,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub title: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub survey_id: i64,
    pub title: String,
    pub responses: i64,
    /// The day (never the time) the last response came in.
    pub last_response: Option<String>,
    pub questions: Vec<QuestionResult>,
    pub about_you: Vec<Breakdown>,
}

/// The "about you" answers counted in the database: each stored value (or
/// `None` when skipped) with how many responses gave it. Groups are stored as
/// a comma-separated set, so `groups` counts each set seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AboutCounts {
    pub ages: Vec<(Option<String>, i64)>,
    pub areas: Vec<(Option<String>, i64)>,
    pub groups: Vec<(Option<String>, i64)>,
}

pub struct TallyInput<'a> {
    pub survey: &'a SurveyForm,
    pub responses: i64,
    pub last_response: Option<String>,
    pub counts: &'a [AnswerCount],
    pub answered: &'a [(i64, i64)],
    /// One page of answers for each free-text question, by question id.
    pub texts: Vec<(i64, TextPage)>,
    pub about: &'a AboutCounts,
    pub area_name: &'a dyn Fn(&str) -> Option<String>,
}

fn percent(count: i64, of: i64) -> u32 {
    if of <= 0 {
        0
    } else {
        ((count as f64 * 100.0 / of as f64).round()) as u32
    }
}

fn bars(values: Vec<(String, String)>, count_of: impl Fn(&str) -> i64, of: i64) -> Vec<Bar> {
    values
        .into_iter()
        .map(|(key, label)| {
            let count = count_of(&key);
            Bar {
                label,
                tally: Tally::Shown {
                    count,
                    percent: percent(count, of),
                },
            }
        })
        .collect()
}

pub fn tally(mut input: TallyInput<'_>) -> SurveyResults {
    let survey = input.survey;
    let questions = survey
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let answered = input
                .answered
                .iter()
                .find(|(id, _)| *id == q.id)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            let counts: Vec<&AnswerCount> = input
                .counts
                .iter()
                .filter(|c| c.question_id == q.id)
                .collect();
            let mut result = QuestionResult {
                question_id: q.id,
                number: i + 1,
                prompt: q.prompt.clone(),
                kind: q.kind,
                answered,
                bars: vec![],
                average_place: vec![],
                texts: TextPage::default(),
            };
            match q.kind {
                QuestionKind::ShortText | QuestionKind::LongText => {
                    result.texts = input
                        .texts
                        .iter_mut()
                        .find(|(id, _)| *id == q.id)
                        .map(|(_, page)| std::mem::take(page))
                        .unwrap_or(TextPage {
                            answers: vec![],
                            page: 1,
                            pages: 1,
                        });
                }
                QuestionKind::Ranking => {
                    let first = |key: &str| {
                        counts
                            .iter()
                            .filter(|c| c.value == key && c.position == 1)
                            .map(|c| c.count)
                            .sum()
                    };
                    result.bars = bars(q.answer_values(), first, answered);
                    result.average_place = q
                        .answer_values()
                        .iter()
                        .map(|(key, _)| {
                            let placed: Vec<&&AnswerCount> =
                                counts.iter().filter(|c| &c.value == key).collect();
                            let n: i64 = placed.iter().map(|c| c.count).sum();
                            (n > 0).then(|| {
                                placed.iter().map(|c| c.position * c.count).sum::<i64>() as f32
                                    / n as f32
                            })
                        })
                        .collect();
                }
                _ => {
                    let count_of = |key: &str| {
                        counts
                            .iter()
                            .filter(|c| c.value == key)
                            .map(|c| c.count)
                            .sum()
                    };
                    result.bars = bars(q.answer_values(), count_of, answered);
                }
            }
            result
        })
        .collect();

    let about_you = if survey.ask_about_you {
        about_breakdowns(input.about, input.responses, input.area_name)
    } else {
        vec![]
    };
    SurveyResults {
        survey_id: survey.id,
        title: survey.title.clone(),
        responses: input.responses,
        last_response: input.last_response,
        questions,
        about_you,
    }
}

fn about_breakdowns(
    about: &AboutCounts,
    total: i64,
    area_name: &dyn Fn(&str) -> Option<String>,
) -> Vec<Breakdown> {
    let pnts = (
        PREFER_NOT_TO_SAY.to_string(),
        "Prefer not to say".to_string(),
    );
    // A stored value counts for `key` when it is the key, or (for groups, a
    // comma-separated set) holds it.
    let count = |counted: &[(Option<String>, i64)], key: &str| -> i64 {
        counted
            .iter()
            .filter(|(v, _)| v.as_deref().is_some_and(|v| v.split(',').any(|p| p == key)))
            .map(|(_, n)| n)
            .sum()
    };

    let mut ages: Vec<(String, String)> = AgeBand::ALL
        .iter()
        .map(|b| (b.key().into(), b.label()))
        .collect();
    ages.push(pnts.clone());
    let mut areas: Vec<(String, String)> = about
        .areas
        .iter()
        .filter_map(|(code, _)| code.as_ref())
        .filter(|code| code.as_str() != PREFER_NOT_TO_SAY)
        .map(|code| {
            (
                code.clone(),
                area_name(code).unwrap_or_else(|| code.clone()),
            )
        })
        .collect();
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    areas.push(pnts.clone());
    let mut groups: Vec<(String, String)> = Group::ALL
        .iter()
        .map(|g| (g.key().into(), g.label().into()))
        .collect();
    groups.push(pnts);

    vec![
        Breakdown {
            title: "Age".into(),
            bars: bars(ages, |k| count(&about.ages, k), total),
        },
        Breakdown {
            title: "Area".into(),
            bars: bars(areas, |k| count(&about.areas, k), total),
        },
        Breakdown {
            title: "Groups".into(),
            bars: bars(groups, |k| count(&about.groups, k), total),
        },
    ]
}

/// Who is looking at results. Everything shown passes through [`disclose`],
/// so the disclosure rules for commissioners have one place to live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Staff of the organisation that ran the survey: everything but small
    /// "about you" counts, which could point to one young person.
    OwnOrganisation,
}

pub fn disclose(mut results: SurveyResults, audience: Audience) -> SurveyResults {
    match audience {
        Audience::OwnOrganisation => {
            for breakdown in results.about_you.iter_mut() {
                withhold_small_in(&mut breakdown.bars);
            }
            results
        }
    }
}

/// Withholds the small counts of one breakdown; and when that hides exactly
/// one count, the smallest other count too, so the hidden one cannot be
/// worked out by taking the others from the total.
fn withhold_small_in(bars: &mut [Bar]) {
    for bar in bars.iter_mut() {
        bar.tally = withhold_small(bar.tally);
    }
    let hidden = bars
        .iter()
        .filter(|b| matches!(b.tally, Tally::FewerThan(_)))
        .count();
    if hidden == 1 {
        let smallest = bars
            .iter_mut()
            .filter(|b| matches!(b.tally, Tally::Shown { count, .. } if count > 0))
            .min_by_key(|b| match b.tally {
                Tally::Shown { count, .. } => count,
                _ => i64::MAX,
            });
        if let Some(bar) = smallest {
            bar.tally = Tally::Hidden;
        }
    }
}

/// Counts from 1 to [`SMALL_COUNT_LIMIT`] − 1 become "fewer than"; 0 stays 0.
fn withhold_small(tally: Tally) -> Tally {
    match tally {
        Tally::Shown { count, .. } if (1..SMALL_COUNT_LIMIT).contains(&count) => {
            Tally::FewerThan(SMALL_COUNT_LIMIT)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(words: &str) -> TextAnswer {
        let state = crate::moderation::FreeTextState::Waiting { offensive: false };
        TextAnswer::new(words.into(), state)
    }

    fn labelled(label: &str, count: i64) -> Bar {
        Bar {
            label: label.into(),
            tally: Tally::Shown { count, percent: 0 },
        }
    }

    #[test]
    fn one_small_count_hides_the_next_smallest_too_so_it_cannot_be_subtracted_out() {
        let mut bars = vec![
            labelled("a", 2),
            labelled("b", 40),
            labelled("c", 9),
            labelled("d", 0),
        ];
        withhold_small_in(&mut bars);
        assert_eq!(bars[0].tally, Tally::FewerThan(SMALL_COUNT_LIMIT));
        assert_eq!(bars[2].tally, Tally::Hidden, "the next smallest goes too");
        assert!(matches!(bars[1].tally, Tally::Shown { count: 40, .. }));
        assert!(
            matches!(bars[3].tally, Tally::Shown { count: 0, .. }),
            "0 stays 0"
        );
        // Two small ones already hide each other.
        let mut bars = vec![labelled("a", 2), labelled("b", 40), labelled("c", 3)];
        withhold_small_in(&mut bars);
        assert!(matches!(bars[1].tally, Tally::Shown { count: 40, .. }));
        // None small: all shown.
        let mut bars = vec![labelled("a", 20), labelled("b", 40)];
        withhold_small_in(&mut bars);
        assert!(bars.iter().all(|b| matches!(b.tally, Tally::Shown { .. })));
    }
    use crate::surveys::model::{options_from_lines, Question, QuestionSettings, SurveyStatus};

    fn survey() -> SurveyForm {
        let q = |id, kind, opts: &str| Question {
            id,
            kind,
            prompt: format!("Q{id}"),
            help: String::new(),
            required: false,
            outcome: None,
            settings: QuestionSettings {
                options: options_from_lines(&[], opts).unwrap(),
                ..Default::default()
            },
        };
        SurveyForm {
            id: 9,
            slug: "x".into(),
            title: "T".into(),
            intro: String::new(),
            organisation: "O".into(),
            status: SurveyStatus::Open,
            closes_on: None,
            age_bands: vec![],
            tags: vec![],
            ask_about_you: true,
            questions: vec![
                q(1, QuestionKind::SingleChoice, "A\nB"),
                q(2, QuestionKind::Ranking, "X\nY"),
                q(3, QuestionKind::ShortText, ""),
            ],
        }
    }

    #[test]
    fn counts_become_bars_with_percentages_of_those_who_answered() {
        let counts = [
            AnswerCount {
                question_id: 1,
                position: 0,
                value: "o1".into(),
                count: 3,
            },
            AnswerCount {
                question_id: 1,
                position: 0,
                value: "o2".into(),
                count: 1,
            },
            AnswerCount {
                question_id: 2,
                position: 1,
                value: "o2".into(),
                count: 2,
            },
            AnswerCount {
                question_id: 2,
                position: 2,
                value: "o1".into(),
                count: 2,
            },
        ];
        let s = survey();
        let about = AboutCounts {
            ages: vec![
                (Some("10-12".into()), 1),
                (Some(PREFER_NOT_TO_SAY.into()), 1),
            ],
            areas: vec![(Some("E1".into()), 1), (None, 1)],
            groups: vec![(Some("young_carer,in_care".into()), 1), (None, 1)],
        };
        let r = tally(TallyInput {
            survey: &s,
            responses: 4,
            last_response: None,
            counts: &counts,
            answered: &[(1, 4), (2, 2), (3, 1)],
            texts: vec![(
                3,
                TextPage {
                    answers: vec![waiting("more trips")],
                    page: 1,
                    pages: 1,
                },
            )],
            about: &about,
            area_name: &|c| (c == "E1").then(|| "Eastshire".to_string()),
        });
        let q1 = &r.questions[0];
        assert_eq!(
            q1.bars
                .iter()
                .map(|b| (b.label.as_str(), b.count(), b.percent()))
                .collect::<Vec<_>>(),
            [("A", Some(3), Some(75)), ("B", Some(1), Some(25))]
        );
        let q2 = &r.questions[1];
        assert_eq!(
            q2.bars.iter().map(|b| b.count()).collect::<Vec<_>>(),
            [Some(0), Some(2)]
        );
        assert_eq!(q2.average_place, vec![Some(2.0), Some(1.0)]);
        assert_eq!(r.questions[2].texts.answers, vec![waiting("more trips")]);
        let ages = &r.about_you[0].bars;
        assert_eq!(
            ages.iter()
                .find(|b| b.label == "10 to 12 years")
                .unwrap()
                .count(),
            Some(1)
        );
        assert_eq!(
            ages.last().unwrap().count(),
            Some(1),
            "prefer not to say is counted"
        );
        assert_eq!(r.about_you[1].bars[0].label, "Eastshire");
        assert_eq!(
            r.about_you[2]
                .bars
                .iter()
                .map(|b| b.count())
                .collect::<Vec<_>>(),
            [Some(1), Some(1), Some(0), Some(0)]
        );
    }

    fn shown(count: i64) -> Bar {
        Bar {
            label: format!("{count}"),
            tally: Tally::Shown { count, percent: 10 },
        }
    }

    #[test]
    fn the_own_organisation_sees_small_about_you_counts_only_as_fewer_than_five() {
        let results = SurveyResults {
            survey_id: 1,
            title: "T".into(),
            responses: 100,
            last_response: None,
            questions: vec![QuestionResult {
                question_id: 1,
                number: 1,
                prompt: "Q".into(),
                kind: QuestionKind::YesNo,
                answered: 3,
                bars: vec![shown(3)],
                average_place: vec![],
                texts: TextPage::default(),
            }],
            about_you: vec![Breakdown {
                title: "Age".into(),
                bars: (0..=6).map(shown).collect(),
            }],
        };
        let seen = disclose(results, Audience::OwnOrganisation);
        let tallies: Vec<Tally> = seen.about_you[0].bars.iter().map(|b| b.tally).collect();
        let withheld = Tally::FewerThan(SMALL_COUNT_LIMIT);
        assert_eq!(
            tallies,
            [
                Tally::Shown {
                    count: 0,
                    percent: 10
                },
                withheld,
                withheld,
                withheld,
                withheld,
                Tally::Shown {
                    count: 5,
                    percent: 10
                },
                Tally::Shown {
                    count: 6,
                    percent: 10
                },
            ],
            "1 to 4 withheld with their per cents; 0 and 5 up shown"
        );
        assert_eq!(seen.about_you[0].bars[1].percent(), None);
        assert_eq!(
            seen.questions[0].bars[0].count(),
            Some(3),
            "answers to questions are not about who someone is"
        );
    }

    #[test]
    fn free_text_pages_stay_within_the_answers_there_are() {
        assert_eq!(TextWindow::of(0, 1), TextWindow { page: 1, pages: 1 });
        assert_eq!(TextWindow::of(120, 2), TextWindow { page: 2, pages: 3 });
        assert_eq!(
            TextWindow::of(120, 99).page,
            3,
            "past the end: the last page"
        );
        assert_eq!(TextWindow::of(120, -4).page, 1);
        assert_eq!(TextWindow::of(100, 9).pages, 2);
        assert_eq!(TextWindow::of(120, 3).offset(), 100);
        let last = TextPage {
            answers: vec![waiting("a"); 20],
            page: 3,
            pages: 3,
        };
        assert_eq!(last.range(), (101, 120));
    }

    #[test]
    fn no_answers_give_zero_percent_not_a_division_by_zero() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
    }
}
