//! Checking a young person's answers. The same function runs on the server
//! (the rule) and in the browser (inline help), so the two never disagree.

use crate::about_you::{AboutYou, AgeBand, Choice, Group, PREFER_NOT_TO_SAY};
use crate::forms::FormValues;
use crate::surveys::model::{Question, QuestionKind, SurveyForm, YES_NO};
use serde::{Deserialize, Serialize};

pub const ABOUT_AGE: &str = "about_age";
pub const ABOUT_AREA: &str = "about_area";
pub const ABOUT_GROUPS: &str = "about_groups";
pub const IDEMPOTENCY_FIELD: &str = "submission_key";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Single choice (option key), yes / no / not sure (its key).
    Choice(String),
    Choices(Vec<String>),
    Scale(u8),
    Text(String),
    /// Option keys, first place first.
    Ranking(Vec<String>),
}

impl Answer {
    /// `(position, value)` rows as stored.
    pub fn stored_values(&self) -> Vec<(i64, String)> {
        match self {
            Answer::Choice(v) | Answer::Text(v) => vec![(0, v.clone())],
            Answer::Scale(n) => vec![(0, n.to_string())],
            Answer::Choices(vs) => vs.iter().map(|v| (0, v.clone())).collect(),
            Answer::Ranking(vs) => vs
                .iter()
                .enumerate()
                .map(|(i, v)| (i as i64 + 1, v.clone()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub answers: Vec<(i64, Answer)>,
    pub about: AboutYou,
}

impl Submission {
    /// "About you" as it is stored: age band, area, groups (keys, sorted, joined).
    pub fn stored_about(&self) -> (Option<String>, Option<String>, Option<String>) {
        let age = self
            .about
            .age_band
            .as_ref()
            .map(|c| c.stored(|b| b.key().to_string()));
        let area = self
            .about
            .area_code
            .as_ref()
            .map(|c| c.stored(|a| a.clone()));
        let groups = self.about.groups.as_ref().map(|c| {
            c.stored(|gs| {
                let mut keys: Vec<&str> = gs.iter().map(|g| g.key()).collect();
                keys.sort_unstable();
                keys.join(",")
            })
        });
        (age, area, groups)
    }

    /// Every answer as the rows it is stored in: `(question, position, value)`.
    pub fn stored_rows(&self) -> Vec<(i64, i64, String)> {
        self.answers
            .iter()
            .flat_map(|(qid, a)| {
                a.stored_values()
                    .into_iter()
                    .map(move |(pos, v)| (*qid, pos, v))
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Missing,
    NotOffered,
    OnlyOne,
    TooManyPicks { max: u8 },
    TooLong { max: usize, len: usize },
    RankRepeated,
    RankGap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field (or first field) the problem is about, for linking to it.
    pub field: String,
    /// The question's prompt, or the about-you question's title.
    pub about: String,
    pub problem: Problem,
}

/// Checks posted answers against the survey. `is_area` says whether an area
/// code is one heard knows (the browser, which lacks the list, says yes).
pub fn check_answers(
    survey: &SurveyForm,
    raw: &FormValues,
    is_area: &dyn Fn(&str) -> bool,
) -> Result<Submission, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for q in &survey.questions {
        match check_question(q, raw) {
            Ok(Some(a)) => answers.push((q.id, a)),
            Ok(None) => {}
            Err(problem) => errors.push(FieldError {
                field: q.first_field(),
                about: q.prompt.clone(),
                problem,
            }),
        }
    }
    let about = if survey.ask_about_you {
        check_about_you(raw, is_area, &mut errors)
    } else {
        AboutYou::default()
    };
    if errors.is_empty() {
        Ok(Submission { answers, about })
    } else {
        Err(errors)
    }
}

fn check_question(q: &Question, raw: &FormValues) -> Result<Option<Answer>, Problem> {
    let field = q.field();
    let values = raw.values(&field);
    let answer = match q.kind {
        QuestionKind::SingleChoice | QuestionKind::YesNo => match values.as_slice() {
            [] => None,
            [v] => {
                let offered = if q.kind == QuestionKind::YesNo {
                    YES_NO.iter().any(|(k, _)| k == v)
                } else {
                    q.option_label(v).is_some()
                };
                if !offered {
                    return Err(Problem::NotOffered);
                }
                Some(Answer::Choice(v.to_string()))
            }
            _ => return Err(Problem::OnlyOne),
        },
        QuestionKind::MultipleChoice => {
            if values.iter().any(|v| q.option_label(v).is_none()) {
                return Err(Problem::NotOffered);
            }
            let mut picks: Vec<String> = Vec::new();
            for v in values {
                if !picks.iter().any(|p| p == v) {
                    picks.push(v.to_string());
                }
            }
            if let Some(max) = q.settings.max_picks {
                if picks.len() > max as usize {
                    return Err(Problem::TooManyPicks { max });
                }
            }
            (!picks.is_empty()).then_some(Answer::Choices(picks))
        }
        QuestionKind::Scale => match values.as_slice() {
            [] => None,
            [v] => match v.parse::<u8>() {
                Ok(n @ 1..=5) => Some(Answer::Scale(n)),
                _ => return Err(Problem::NotOffered),
            },
            _ => return Err(Problem::OnlyOne),
        },
        QuestionKind::ShortText | QuestionKind::LongText => {
            let text = clean_text(raw.raw(&field), q.kind == QuestionKind::LongText);
            let len = crate::text::visible_len(&text);
            let max = q.kind.text_limit();
            if len > max {
                return Err(Problem::TooLong { max, len });
            }
            (!text.is_empty()).then_some(Answer::Text(text))
        }
        QuestionKind::Ranking => {
            let mut order: Vec<String> = Vec::new();
            let mut gap = false;
            for place in 1..=q.rank_places() {
                match raw.value(&q.rank_field(place)) {
                    None => gap = true,
                    Some(v) => {
                        if q.option_label(v).is_none() {
                            return Err(Problem::NotOffered);
                        }
                        if order.iter().any(|o| o == v) {
                            return Err(Problem::RankRepeated);
                        }
                        if gap {
                            return Err(Problem::RankGap);
                        }
                        order.push(v.to_string());
                    }
                }
            }
            (!order.is_empty()).then_some(Answer::Ranking(order))
        }
    };
    match answer {
        None if q.required => Err(Problem::Missing),
        other => Ok(other),
    }
}

/// Normalises (NFKC), trims, collapses spaces and drops control and invisible
/// characters (keeping new lines in long answers, at most one blank line in a
/// row), so what is stored is exactly what was meant.
pub fn clean_text(text: &str, multiline: bool) -> String {
    crate::text::clean(text, multiline)
}

fn check_about_you(
    raw: &FormValues,
    is_area: &dyn Fn(&str) -> bool,
    errors: &mut Vec<FieldError>,
) -> AboutYou {
    let mut about = AboutYou::default();
    let mut fail = |field: &str, about: &str, problem| {
        errors.push(FieldError {
            field: field.to_string(),
            about: about.to_string(),
            problem,
        })
    };
    match raw.values(ABOUT_AGE).as_slice() {
        [] => {}
        [PREFER_NOT_TO_SAY] => about.age_band = Some(Choice::PreferNotToSay),
        [v] => match AgeBand::parse(v) {
            Some(b) => about.age_band = Some(Choice::Said(b)),
            None => fail(ABOUT_AGE, "How old are you?", Problem::NotOffered),
        },
        _ => fail(ABOUT_AGE, "How old are you?", Problem::OnlyOne),
    }
    match raw.values(ABOUT_AREA).as_slice() {
        [] => {}
        [PREFER_NOT_TO_SAY] => about.area_code = Some(Choice::PreferNotToSay),
        [v] if is_area(v) => about.area_code = Some(Choice::Said(v.to_string())),
        [_] => fail(ABOUT_AREA, "Where do you live?", Problem::NotOffered),
        _ => fail(ABOUT_AREA, "Where do you live?", Problem::OnlyOne),
    }
    let groups = raw.values(ABOUT_GROUPS);
    if groups.contains(&PREFER_NOT_TO_SAY) {
        if groups.len() > 1 {
            fail(
                ABOUT_GROUPS,
                "Do any of these describe you?",
                Problem::OnlyOne,
            );
        } else {
            about.groups = Some(Choice::PreferNotToSay);
        }
    } else if !groups.is_empty() {
        let parsed: Option<Vec<Group>> = groups.iter().map(|g| Group::parse(g)).collect();
        match parsed {
            Some(mut gs) => {
                gs.sort();
                gs.dedup();
                about.groups = Some(Choice::Said(gs));
            }
            None => fail(
                ABOUT_GROUPS,
                "Do any of these describe you?",
                Problem::NotOffered,
            ),
        }
    }
    about
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::{options_from_lines, QuestionSettings, SurveyStatus};

    fn q(
        id: i64,
        kind: QuestionKind,
        required: bool,
        options: &str,
        max_picks: Option<u8>,
    ) -> Question {
        Question {
            id,
            kind,
            prompt: format!("Question {id}"),
            help: String::new(),
            required,
            outcome: None,
            settings: QuestionSettings {
                options: options_from_lines(&[], options).unwrap(),
                max_picks,
                ..Default::default()
            },
        }
    }

    fn survey() -> SurveyForm {
        SurveyForm {
            id: 1,
            slug: "s".into(),
            title: "Our youth club".into(),
            intro: String::new(),
            organisation: "Org".into(),
            status: SurveyStatus::Open,
            closes_on: None,
            age_bands: vec![],
            tags: vec![],
            ask_about_you: true,
            questions: vec![
                q(1, QuestionKind::SingleChoice, true, "Mon\nTue", None),
                q(
                    2,
                    QuestionKind::MultipleChoice,
                    false,
                    "Art\nSport\nMusic",
                    Some(2),
                ),
                q(3, QuestionKind::Scale, false, "", None),
                q(4, QuestionKind::YesNo, false, "", None),
                q(5, QuestionKind::ShortText, false, "", None),
                q(6, QuestionKind::LongText, false, "", None),
                q(7, QuestionKind::Ranking, false, "A\nB\nC", Some(2)),
            ],
        }
    }

    fn check(pairs: &[(&str, &str)]) -> Result<Submission, Vec<FieldError>> {
        check_answers(
            &survey(),
            &FormValues::from_pairs(pairs.iter().copied()),
            &|c| c == "E09000001",
        )
    }

    fn problems(pairs: &[(&str, &str)]) -> Vec<(String, Problem)> {
        check(pairs)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_full_set_of_answers_is_accepted() {
        let s = check(&[
            ("q1", "o2"),
            ("q2", "o1"),
            ("q2", "o3"),
            ("q3", "4"),
            ("q4", "not_sure"),
            ("q5", "  more football  "),
            ("q6", "line one\r\nline two"),
            ("q7_r1", "o3"),
            ("q7_r2", "o1"),
            ("about_age", "13-15"),
            ("about_area", "E09000001"),
            ("about_groups", "young_carer"),
        ])
        .unwrap();
        assert_eq!(
            s.answers,
            vec![
                (1, Answer::Choice("o2".into())),
                (2, Answer::Choices(vec!["o1".into(), "o3".into()])),
                (3, Answer::Scale(4)),
                (4, Answer::Choice("not_sure".into())),
                (5, Answer::Text("more football".into())),
                (6, Answer::Text("line one\nline two".into())),
                (7, Answer::Ranking(vec!["o3".into(), "o1".into()])),
            ]
        );
        assert_eq!(
            s.about.age_band,
            Some(Choice::Said(AgeBand::ThirteenToFifteen))
        );
        assert_eq!(s.about.area_code, Some(Choice::Said("E09000001".into())));
        assert_eq!(s.about.groups, Some(Choice::Said(vec![Group::YoungCarer])));
    }

    #[test]
    fn a_missing_required_answer_names_the_question() {
        let errs = check(&[]).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, "q1");
        assert_eq!(errs[0].about, "Question 1");
        assert_eq!(errs[0].problem, Problem::Missing);
    }

    #[test]
    fn options_that_are_not_offered_are_refused() {
        assert_eq!(
            problems(&[("q1", "o9")]),
            vec![("q1".into(), Problem::NotOffered)]
        );
        assert_eq!(
            problems(&[("q1", "o1"), ("q3", "6")]),
            vec![("q3".into(), Problem::NotOffered)]
        );
        assert_eq!(
            problems(&[("q1", "o1"), ("q4", "maybe")]),
            vec![("q4".into(), Problem::NotOffered)]
        );
        assert_eq!(
            problems(&[("q1", "o1"), ("q1", "o2")]),
            vec![("q1".into(), Problem::OnlyOne)]
        );
    }

    #[test]
    fn too_many_picks_are_refused() {
        assert_eq!(
            problems(&[("q1", "o1"), ("q2", "o1"), ("q2", "o2"), ("q2", "o3")]),
            vec![("q2".into(), Problem::TooManyPicks { max: 2 })]
        );
    }

    #[test]
    fn text_over_its_limit_is_refused_and_says_how_long_it_is() {
        let long = "x".repeat(201);
        assert_eq!(
            problems(&[("q1", "o1"), ("q5", &long)]),
            vec![("q5".into(), Problem::TooLong { max: 200, len: 201 })]
        );
    }

    #[test]
    fn text_limits_count_what_a_person_sees_not_code_points() {
        // A thumbs-up with a skin tone is two code points and one character seen.
        let thumbs = "\u{1F44D}\u{1F3FD}".repeat(200);
        assert!(check(&[("q1", "o1"), ("q5", &thumbs)]).is_ok());
        let over = "\u{1F44D}\u{1F3FD}".repeat(201);
        assert_eq!(
            problems(&[("q1", "o1"), ("q5", &over)]),
            vec![("q5".into(), Problem::TooLong { max: 200, len: 201 })]
        );
    }

    #[test]
    fn rankings_refuse_repeats_and_gaps() {
        assert_eq!(
            problems(&[("q1", "o1"), ("q7_r1", "o1"), ("q7_r2", "o1")]),
            vec![("q7_r1".into(), Problem::RankRepeated)]
        );
        assert_eq!(
            problems(&[("q1", "o1"), ("q7_r2", "o1")]),
            vec![("q7_r1".into(), Problem::RankGap)]
        );
    }

    #[test]
    fn about_you_accepts_prefer_not_to_say_and_refuses_unknown_areas() {
        let s = check(&[
            ("q1", "o1"),
            ("about_age", PREFER_NOT_TO_SAY),
            ("about_area", PREFER_NOT_TO_SAY),
            ("about_groups", PREFER_NOT_TO_SAY),
        ])
        .unwrap();
        assert_eq!(s.about.age_band, Some(Choice::PreferNotToSay));
        assert_eq!(s.about.area_code, Some(Choice::PreferNotToSay));
        assert_eq!(s.about.groups, Some(Choice::PreferNotToSay));
        assert_eq!(
            problems(&[("q1", "o1"), ("about_area", "E99")]),
            vec![("about_area".into(), Problem::NotOffered)]
        );
        assert_eq!(
            problems(&[
                ("q1", "o1"),
                ("about_groups", "young_carer"),
                ("about_groups", PREFER_NOT_TO_SAY)
            ]),
            vec![("about_groups".into(), Problem::OnlyOne)]
        );
    }

    #[test]
    fn text_is_cleaned_of_control_characters() {
        assert_eq!(clean_text(" a\u{0}b\nc ", false), "ab c");
        assert_eq!(clean_text("a\r\nb", true), "a\nb");
    }

    #[test]
    fn stored_values_keep_ranking_order() {
        assert_eq!(
            Answer::Ranking(vec!["o2".into(), "o1".into()]).stored_values(),
            vec![(1, "o2".to_string()), (2, "o1".to_string())]
        );
    }
}
