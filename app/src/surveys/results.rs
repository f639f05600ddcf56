//! Turning stored answers into results. Pure: the store hands in counts, this
//! shapes them, and every output passes through [`disclose`] on the way out.

use super::model::{QuestionKind, SurveyForm};
use crate::about_you::{AgeBand, Group, PREFER_NOT_TO_SAY};
use serde::{Deserialize, Serialize};

/// One counted `(question, position, value)` group, as the store reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerCount {
    pub question_id: i64,
    pub position: i64,
    pub value: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub count: i64,
    /// Whole per cent of those who answered the question.
    pub percent: u32,
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
    pub texts: Vec<String>,
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
    pub last_response: Option<String>,
    pub questions: Vec<QuestionResult>,
    pub about_you: Vec<Breakdown>,
}

/// The stored "about you" fields of one response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AboutRow {
    pub age_band: Option<String>,
    pub area_code: Option<String>,
    pub groups: Option<String>,
}

pub struct TallyInput<'a> {
    pub survey: &'a SurveyForm,
    pub responses: i64,
    pub last_response: Option<String>,
    pub counts: &'a [AnswerCount],
    pub answered: &'a [(i64, i64)],
    pub texts: Vec<(i64, String)>,
    pub about: &'a [AboutRow],
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
                count,
                percent: percent(count, of),
            }
        })
        .collect()
}

pub fn tally(input: TallyInput<'_>) -> SurveyResults {
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
                texts: vec![],
            };
            match q.kind {
                QuestionKind::ShortText | QuestionKind::LongText => {
                    result.texts = input
                        .texts
                        .iter()
                        .filter(|(id, _)| *id == q.id)
                        .map(|(_, t)| t.clone())
                        .collect();
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
        about_breakdowns(input.about, input.area_name)
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
    rows: &[AboutRow],
    area_name: &dyn Fn(&str) -> Option<String>,
) -> Vec<Breakdown> {
    let total = rows.len() as i64;
    let pnts = (
        PREFER_NOT_TO_SAY.to_string(),
        "Prefer not to say".to_string(),
    );
    let count = |get: &dyn Fn(&AboutRow) -> Option<&String>, key: &str| {
        rows.iter()
            .filter(|r| get(r).is_some_and(|v| v.split(',').any(|p| p == key)))
            .count() as i64
    };

    let mut ages: Vec<(String, String)> = AgeBand::ALL
        .iter()
        .map(|b| (b.key().into(), b.label()))
        .collect();
    ages.push(pnts.clone());
    let mut areas: Vec<(String, String)> = Vec::new();
    for r in rows {
        if let Some(code) = &r.area_code {
            if code != PREFER_NOT_TO_SAY && !areas.iter().any(|(k, _)| k == code) {
                areas.push((
                    code.clone(),
                    area_name(code).unwrap_or_else(|| code.clone()),
                ));
            }
        }
    }
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
            bars: bars(ages, |k| count(&|r| r.age_band.as_ref(), k), total),
        },
        Breakdown {
            title: "Area".into(),
            bars: bars(areas, |k| count(&|r| r.area_code.as_ref(), k), total),
        },
        Breakdown {
            title: "Groups".into(),
            bars: bars(groups, |k| count(&|r| r.groups.as_ref(), k), total),
        },
    ]
}

/// Who is looking at results. Everything shown passes through [`disclose`],
/// so the disclosure rules for commissioners have one place to live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Staff of the organisation that ran the survey see their own results whole.
    OwnOrganisation,
}

pub fn disclose(results: SurveyResults, audience: Audience) -> SurveyResults {
    match audience {
        Audience::OwnOrganisation => results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let about = [
            AboutRow {
                age_band: Some("10-12".into()),
                area_code: Some("E1".into()),
                groups: Some("young_carer,in_care".into()),
            },
            AboutRow {
                age_band: Some(PREFER_NOT_TO_SAY.into()),
                ..Default::default()
            },
        ];
        let r = tally(TallyInput {
            survey: &s,
            responses: 4,
            last_response: None,
            counts: &counts,
            answered: &[(1, 4), (2, 2), (3, 1)],
            texts: vec![(3, "more trips".into())],
            about: &about,
            area_name: &|c| (c == "E1").then(|| "Eastshire".to_string()),
        });
        let q1 = &r.questions[0];
        assert_eq!(
            q1.bars
                .iter()
                .map(|b| (b.label.as_str(), b.count, b.percent))
                .collect::<Vec<_>>(),
            [("A", 3, 75), ("B", 1, 25)]
        );
        let q2 = &r.questions[1];
        assert_eq!(q2.bars.iter().map(|b| b.count).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(q2.average_place, vec![Some(2.0), Some(1.0)]);
        assert_eq!(r.questions[2].texts, vec!["more trips".to_string()]);
        let ages = &r.about_you[0].bars;
        assert_eq!(
            ages.iter()
                .find(|b| b.label == "10 to 12 years")
                .unwrap()
                .count,
            1
        );
        assert_eq!(
            ages.last().unwrap().count,
            1,
            "prefer not to say is counted"
        );
        assert_eq!(r.about_you[1].bars[0].label, "Eastshire");
        assert_eq!(
            r.about_you[2]
                .bars
                .iter()
                .map(|b| b.count)
                .collect::<Vec<_>>(),
            [1, 1, 0, 0]
        );
    }

    #[test]
    fn no_answers_give_zero_percent_not_a_division_by_zero() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
    }
}
