//! National questions (`heard-national/1`): a question set with stable
//! identifiers and outcome tags that the hub publishes and local instances
//! import into surveys of their own. Answers to a national question stay
//! comparable across England because every instance stores the question's
//! identifier beside it. Pure.

use super::is_identifier;
use crate::outcomes::Outcome;
use crate::surveys::model::{
    Question, QuestionKind, QuestionSettings, HELP_LIMIT, OPTION_LIMIT, TITLE_LIMIT,
};
use serde::{Deserialize, Serialize};

pub const TEMPLATE_FORMAT: &str = "heard-national/1";

/// At most this many national questions in a template.
pub const MAX_QUESTIONS: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub format: String,
    /// Stable: `growing-up-in-england`.
    pub id: String,
    pub version: i64,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub questions: Vec<TemplateQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuestion {
    /// Stable within the template: `feel-safe-outside`.
    pub id: String,
    pub kind: QuestionKind,
    pub prompt: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub required: bool,
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub settings: QuestionSettings,
}

/// Reads and checks a template file, naming every problem.
pub fn parse(text: &str) -> Result<Template, Vec<String>> {
    let t: Template =
        serde_json::from_str(text).map_err(|e| vec![format!("not a national template: {e}")])?;
    let mut problems = Vec::new();
    if t.format != TEMPLATE_FORMAT {
        problems.push(format!("format must be \u{201c}{TEMPLATE_FORMAT}\u{201d}"));
    }
    if !is_identifier(&t.id) {
        problems.push("id must be lower-case letters, digits and dashes".into());
    }
    if t.version < 1 {
        problems.push("version must be 1 or more".into());
    }
    if t.title.trim().is_empty() || t.title.chars().count() > TITLE_LIMIT {
        problems.push(format!("title must be 1 to {TITLE_LIMIT} characters"));
    }
    if t.questions.is_empty() || t.questions.len() > MAX_QUESTIONS {
        problems.push(format!("a template has 1 to {MAX_QUESTIONS} questions"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, q) in t.questions.iter().enumerate() {
        let at = format!("question {} ({})", i + 1, q.id);
        if !is_identifier(&q.id) {
            problems.push(format!(
                "{at}: id must be lower-case letters, digits and dashes"
            ));
        }
        if !seen.insert(q.id.as_str()) {
            problems.push(format!("{at}: the id is used twice"));
        }
        if !matches!(
            q.kind,
            QuestionKind::SingleChoice
                | QuestionKind::MultipleChoice
                | QuestionKind::Scale
                | QuestionKind::YesNo
        ) {
            problems.push(format!(
                "{at}: national questions are choices, scales or yes/no, so they can be counted across England"
            ));
        }
        if q.prompt.trim().is_empty() || q.prompt.chars().count() > TITLE_LIMIT {
            problems.push(format!(
                "{at}: the question must be 1 to {TITLE_LIMIT} characters"
            ));
        }
        if q.help.chars().count() > HELP_LIMIT {
            problems.push(format!("{at}: help is at most {HELP_LIMIT} characters"));
        }
        let options = &q.settings.options;
        if q.kind.has_options() {
            let mut keys = std::collections::BTreeSet::new();
            if options.len() < 2 || options.len() > 12 {
                problems.push(format!("{at}: a choice has 2 to 12 options"));
            }
            for o in options {
                if !is_identifier(&o.key) || !keys.insert(o.key.as_str()) {
                    problems.push(format!("{at}: option keys must be identifiers, each once"));
                }
                if o.label.trim().is_empty() || o.label.chars().count() > OPTION_LIMIT {
                    problems.push(format!(
                        "{at}: option labels are 1 to {OPTION_LIMIT} characters"
                    ));
                }
            }
        } else if !options.is_empty() {
            problems.push(format!("{at}: only choices have options"));
        }
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(problems)
    }
}

impl TemplateQuestion {
    /// As a question of a local survey.
    pub fn question(&self) -> Question {
        Question {
            id: 0,
            kind: self.kind,
            prompt: self.prompt.clone(),
            help: self.help.clone(),
            required: self.required,
            outcome: self.outcome,
            settings: self.settings.clone(),
        }
    }
}

/// A national question keeps its words, answers and outcome, so what young
/// people answer means the same all over England; its help may change.
pub fn check_national_edit(before: &Question, after: &Question) -> Result<(), &'static str> {
    if before.prompt != after.prompt
        || before.kind != after.kind
        || before.settings != after.settings
        || before.outcome != after.outcome
    {
        return Err("This is a national question: its words and answers are the same all over England, so they can't be changed. You can remove it, or add questions of your own.");
    }
    Ok(())
}

/// The reference stored beside a local question: `template/question`.
pub fn reference(template: &str, question: &str) -> String {
    format!("{template}/{question}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../../server/data/national/growing-up-in-england.json");

    #[test]
    fn the_shipped_template_is_valid_and_tags_every_outcome() {
        let t = parse(SHIPPED).unwrap();
        for o in Outcome::ALL {
            assert!(
                t.questions.iter().any(|q| q.outcome == Some(o)),
                "no question tagged {o:?}"
            );
        }
    }

    #[test]
    fn a_national_question_keeps_its_words_but_not_its_help() {
        let t = parse(SHIPPED).unwrap();
        let before = t.questions[0].question();
        let mut after = before.clone();
        after.help = "Think about this week.".into();
        assert!(check_national_edit(&before, &after).is_ok());
        after.prompt = "How healthy are you?".into();
        assert!(check_national_edit(&before, &after).is_err());
    }

    #[test]
    fn a_broken_template_names_each_problem() {
        let mut t = parse(SHIPPED).unwrap();
        t.id = "Not An Id".into();
        t.questions[1].id = t.questions[0].id.clone();
        t.questions[2].kind = QuestionKind::LongText;
        let problems = parse(&serde_json::to_string(&t).unwrap()).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("id must be"));
        assert!(problems[1].contains("used twice"));
        assert!(problems[2].contains("counted across England"));
        assert!(parse("{").is_err());
    }
}
