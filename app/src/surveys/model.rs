//! What a survey is: its questions, their kinds, and the rules about changing
//! them. Pure: no I/O, shared by the server and the browser.

use crate::about_you::AgeBand;
use crate::outcomes::Outcome;
use serde::{Deserialize, Serialize};

pub const SHORT_TEXT_LIMIT: usize = 200;
pub const LONG_TEXT_LIMIT: usize = 2000;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_QUESTIONS: usize = 60;
pub const TITLE_LIMIT: usize = 120;
pub const INTRO_LIMIT: usize = 1000;
pub const PROMPT_LIMIT: usize = 300;
pub const HELP_LIMIT: usize = 300;
pub const OPTION_LIMIT: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    Scale,
    YesNo,
    ShortText,
    LongText,
    Ranking,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::SingleChoice,
        QuestionKind::MultipleChoice,
        QuestionKind::Scale,
        QuestionKind::YesNo,
        QuestionKind::ShortText,
        QuestionKind::LongText,
        QuestionKind::Ranking,
    ];

    pub fn key(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::Scale => "scale",
            QuestionKind::YesNo => "yes_no",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::Ranking => "ranking",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "Single choice",
            QuestionKind::MultipleChoice => "Multiple choice",
            QuestionKind::Scale => "Scale 1 to 5",
            QuestionKind::YesNo => "Yes / no / not sure",
            QuestionKind::ShortText => "Short text",
            QuestionKind::LongText => "Long text",
            QuestionKind::Ranking => "Ranking",
        }
    }

    pub fn parse(key: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Kinds whose answers are picked from the question's own options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice | QuestionKind::Ranking
        )
    }

    pub fn is_text(self) -> bool {
        matches!(self, QuestionKind::ShortText | QuestionKind::LongText)
    }

    pub fn text_limit(self) -> usize {
        match self {
            QuestionKind::LongText => LONG_TEXT_LIMIT,
            _ => SHORT_TEXT_LIMIT,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleStyle {
    #[default]
    Faces,
    Numbers,
    /// Faces that answer "do you agree?" (young people's view of what an
    /// organisation says it does).
    Agree,
}

impl ScaleStyle {
    /// The faces and their words, for the styles that draw faces.
    pub fn faces(self) -> Option<&'static [(&'static str, &'static str); 5]> {
        match self {
            ScaleStyle::Faces => Some(&SCALE_FACES),
            ScaleStyle::Agree => Some(&AGREE_FACES),
            ScaleStyle::Numbers => None,
        }
    }
}

/// The fixed answers of a yes / no / not sure question.
pub const YES_NO: [(&str, &str); 3] = [("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")];

/// Face labels for a 1 to 5 scale; the words are what screen readers say.
/// Faces for "do you agree?": the happiest two count as agreeing.
pub const AGREE_FACES: [(&str, &str); 5] = [
    ("😞", "Not at all"),
    ("🙁", "Not really"),
    ("😐", "Not sure"),
    ("🙂", "Mostly"),
    ("😄", "Yes, totally"),
];

pub const SCALE_FACES: [(&str, &str); 5] = [
    ("😞", "Very bad"),
    ("🙁", "Bad"),
    ("😐", "OK"),
    ("🙂", "Good"),
    ("😄", "Very good"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Stable key stored with answers; labels may be reworded, keys never change.
    pub key: String,
    pub label: String,
}

/// Per-kind settings, stored as JSON beside the question.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuestionSettings {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// Multiple choice: the most picks allowed. Ranking: how many places to fill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_picks: Option<u8>,
    #[serde(default)]
    pub scale_style: ScaleStyle,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub outcome: Option<Outcome>,
    pub settings: QuestionSettings,
}

impl Question {
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }

    /// The first form field of the question: where its problem is shown and
    /// linked to, and what counts as "answered" (a ranking's first place).
    pub fn first_field(&self) -> String {
        if self.kind == QuestionKind::Ranking {
            self.rank_field(1)
        } else {
            self.field()
        }
    }

    /// The form field for a ranking place (1-based).
    pub fn rank_field(&self, place: usize) -> String {
        format!("q{}_r{}", self.id, place)
    }

    /// How many places a ranking question asks for.
    pub fn rank_places(&self) -> usize {
        let n = self.settings.options.len();
        self.settings
            .max_picks
            .map(|m| (m as usize).min(n))
            .unwrap_or(n)
    }

    pub fn option_label(&self, key: &str) -> Option<&str> {
        self.settings
            .options
            .iter()
            .find(|o| o.key == key)
            .map(|o| o.label.as_str())
    }

    /// Every value an answer to this question may take, with its label, in order.
    pub fn answer_values(&self) -> Vec<(String, String)> {
        match self.kind {
            QuestionKind::YesNo => YES_NO
                .iter()
                .map(|(k, l)| (k.to_string(), l.to_string()))
                .collect(),
            QuestionKind::Scale => (1..=5)
                .map(|n| {
                    let label = match self.settings.scale_style.faces() {
                        Some(faces) => format!("{n} – {}", faces[n - 1].1),
                        None => n.to_string(),
                    };
                    (n.to_string(), label)
                })
                .collect(),
            _ => self
                .settings
                .options
                .iter()
                .map(|o| (o.key.clone(), o.label.clone()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    Draft,
    Open,
    Closed,
}

impl SurveyStatus {
    pub fn key(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "Draft",
            SurveyStatus::Open => "Open",
            SurveyStatus::Closed => "Closed",
        }
    }

    pub fn parse(key: &str) -> Option<SurveyStatus> {
        [
            SurveyStatus::Draft,
            SurveyStatus::Open,
            SurveyStatus::Closed,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

/// A survey as young people see it: everything needed to show and check answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyForm {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub organisation: String,
    pub status: SurveyStatus,
    /// `YYYY-MM-DD`; answers are accepted until the end of that day.
    pub closes_on: Option<String>,
    pub age_bands: Vec<AgeBand>,
    pub tags: Vec<Outcome>,
    pub ask_about_you: bool,
    pub questions: Vec<Question>,
}

impl SurveyForm {
    /// Whether answers are accepted today (`today` is `YYYY-MM-DD`).
    pub fn accepts_answers(&self, today: &str) -> bool {
        self.status == SurveyStatus::Open && self.closes_on.as_deref().is_none_or(|d| today <= d)
    }
}

/// Why a change to a survey's questions was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditRefused {
    #[error("This survey is {0}, so its questions can't be added, removed or changed in type: young people's answers depend on them. You can still fix wording. To change more, duplicate the survey and edit the copy.")]
    StructureLocked(&'static str),
    #[error("Options can't be removed once a survey has been opened: some answers may have picked them. You can still reword them.")]
    OptionRemoved,
    #[error("The outcome a question is tagged with is fixed once the survey has been opened: commissioners' figures count its answers under it. Duplicate the survey to tag it differently.")]
    OutcomeLocked,
}

/// May the questions of a survey in `status` change from `before` to `after`?
/// Drafts may change freely. Once opened, only wording may change: prompts,
/// help text and option labels. Adding options to a choice question is
/// allowed; removing them is not. The outcome tag is fixed too: the running
/// tallies count answers under it.
pub fn check_question_edit(
    status: SurveyStatus,
    before: &Question,
    after: &Question,
) -> Result<(), EditRefused> {
    if status == SurveyStatus::Draft {
        return Ok(());
    }
    let locked = || EditRefused::StructureLocked(status.label_lower());
    if before.kind != after.kind
        || before.required != after.required && after.required
        || before.settings.max_picks != after.settings.max_picks
    {
        return Err(locked());
    }
    for old in &before.settings.options {
        if !after.settings.options.iter().any(|o| o.key == old.key) {
            return Err(EditRefused::OptionRemoved);
        }
    }
    if before.outcome != after.outcome {
        return Err(EditRefused::OutcomeLocked);
    }
    Ok(())
}

/// Adding or removing whole questions is only for drafts.
pub fn check_structure_change(status: SurveyStatus) -> Result<(), EditRefused> {
    match status {
        SurveyStatus::Draft => Ok(()),
        other => Err(EditRefused::StructureLocked(other.label_lower())),
    }
}

impl SurveyStatus {
    fn label_lower(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "a draft",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }
}

/// Builds option choices from staff input, one per line, keeping the keys of
/// options whose position and label survive, and giving new lines new keys.
/// Linear in the input: the number of lines is checked before anything else,
/// and every lookup is a hash.
pub fn options_from_lines(existing: &[Choice], lines: &str) -> Result<Vec<Choice>, String> {
    use std::collections::{HashMap, HashSet};
    let labels: Vec<String> = lines
        .lines()
        .map(crate::text::clean_line)
        .filter(|l| !l.is_empty())
        .take(MAX_OPTIONS + 1)
        .collect();
    if labels.len() > MAX_OPTIONS {
        return Err(format!(
            "A question can have at most {MAX_OPTIONS} options."
        ));
    }
    let mut next = existing
        .iter()
        .filter_map(|c| c.key.strip_prefix('o').and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    let typed: HashSet<&str> = labels.iter().map(String::as_str).collect();
    let by_label: HashMap<&str, &Choice> = existing.iter().map(|c| (c.label.as_str(), c)).collect();
    let mut seen_labels: HashSet<String> = HashSet::new();
    let mut used_keys: HashSet<&str> = HashSet::new();
    let mut out: Vec<Choice> = Vec::with_capacity(labels.len());
    for line in &labels {
        if line.chars().count() > OPTION_LIMIT {
            return Err(format!(
                "Each option must be {OPTION_LIMIT} characters or fewer."
            ));
        }
        if !seen_labels.insert(line.to_lowercase()) {
            return Err(format!("The option “{line}” is listed twice."));
        }
        // An option keeps its key when its label is unchanged, wherever it moved,
        // or when it is reworded in the same place.
        let same_label = by_label
            .get(line.as_str())
            .filter(|c| !used_keys.contains(c.key.as_str()));
        let same_place = existing
            .get(out.len())
            .filter(|c| !used_keys.contains(c.key.as_str()) && !typed.contains(c.label.as_str()));
        let key = match same_label.copied().or(same_place) {
            Some(c) => {
                used_keys.insert(c.key.as_str());
                c.key.clone()
            }
            None => {
                next += 1;
                format!("o{next}")
            }
        };
        out.push(Choice {
            key,
            label: line.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice_question(options: &[&str]) -> Question {
        Question {
            id: 1,
            kind: QuestionKind::SingleChoice,
            prompt: "Pick one".into(),
            help: String::new(),
            required: false,
            outcome: None,
            settings: QuestionSettings {
                options: options_from_lines(&[], &options.join("\n")).unwrap(),
                ..Default::default()
            },
        }
    }

    #[test]
    fn drafts_can_change_anything() {
        let before = choice_question(&["A", "B"]);
        let mut after = before.clone();
        after.kind = QuestionKind::ShortText;
        assert_eq!(
            check_question_edit(SurveyStatus::Draft, &before, &after),
            Ok(())
        );
    }

    #[test]
    fn open_surveys_keep_question_kinds_and_options() {
        let before = choice_question(&["A", "B"]);
        let mut kind_changed = before.clone();
        kind_changed.kind = QuestionKind::MultipleChoice;
        assert!(matches!(
            check_question_edit(SurveyStatus::Open, &before, &kind_changed),
            Err(EditRefused::StructureLocked(_))
        ));
        let mut option_removed = before.clone();
        option_removed.settings.options.pop();
        assert_eq!(
            check_question_edit(SurveyStatus::Open, &before, &option_removed),
            Err(EditRefused::OptionRemoved)
        );
        let mut made_required = before.clone();
        made_required.required = true;
        assert!(check_question_edit(SurveyStatus::Closed, &before, &made_required).is_err());
        let mut retagged = before.clone();
        retagged.outcome = Some(crate::outcomes::Outcome::Safe);
        assert_ne!(before.outcome, retagged.outcome);
        assert_eq!(
            check_question_edit(SurveyStatus::Open, &before, &retagged),
            Err(EditRefused::OutcomeLocked)
        );
    }

    #[test]
    fn open_surveys_allow_rewording_and_new_options() {
        let before = choice_question(&["A", "B"]);
        let mut after = before.clone();
        after.prompt = "Pick one, please".into();
        after.settings.options = options_from_lines(&before.settings.options, "A\nBee\nC").unwrap();
        assert_eq!(
            check_question_edit(SurveyStatus::Open, &before, &after),
            Ok(())
        );
        assert!(check_structure_change(SurveyStatus::Open).is_err());
        assert_eq!(check_structure_change(SurveyStatus::Draft), Ok(()));
    }

    #[test]
    fn option_keys_survive_rewording_and_reordering() {
        let first = options_from_lines(&[], "Football\nDrama\nCoding").unwrap();
        assert_eq!(
            first.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["o1", "o2", "o3"]
        );
        let moved = options_from_lines(&first, "Coding\nFootball\nDrama").unwrap();
        assert_eq!(
            moved.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["o3", "o1", "o2"],
            "unchanged words keep their key wherever they move"
        );
        let reworded = options_from_lines(&first, "Football\nDrama club\nCoding").unwrap();
        assert_eq!(
            reworded[1].key, "o2",
            "reworded in the same place keeps its key"
        );
        let replaced = options_from_lines(&first, "Coding\nFootball\nArt").unwrap();
        assert_eq!(
            replaced[2].key, "o4",
            "a new option in another place is new: Drama was removed"
        );
        let added = options_from_lines(&reworded, "Football\nDrama club\nCoding\nArt").unwrap();
        assert_eq!(added[3].key, "o4");
    }

    #[test]
    fn a_huge_list_of_options_is_refused_before_it_is_read_in_full() {
        let huge = "option\n".repeat(200_000) + "last";
        let started = std::time::Instant::now();
        assert!(options_from_lines(&[], &huge).is_err());
        let distinct: String = (0..100_000).map(|i| format!("option {i}\n")).collect();
        assert!(options_from_lines(&[], &distinct).is_err());
        // Generous: quadratic work on this input took many seconds.
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn options_refuse_duplicates_and_overlong_labels() {
        assert!(options_from_lines(&[], "A\na").is_err());
        assert!(options_from_lines(&[], &"x".repeat(OPTION_LIMIT + 1)).is_err());
    }

    #[test]
    fn a_survey_accepts_answers_only_while_open_and_before_its_closing_date() {
        let mut s = SurveyForm {
            id: 1,
            slug: "abc".into(),
            title: "t".into(),
            intro: String::new(),
            organisation: "o".into(),
            status: SurveyStatus::Open,
            closes_on: Some("2026-11-30".into()),
            age_bands: vec![],
            tags: vec![],
            ask_about_you: false,
            questions: vec![],
        };
        assert!(s.accepts_answers("2026-11-30"));
        assert!(!s.accepts_answers("2026-12-01"));
        s.closes_on = None;
        assert!(s.accepts_answers("2030-01-01"));
        s.status = SurveyStatus::Closed;
        assert!(!s.accepts_answers("2026-11-01"));
    }

    #[test]
    fn ranking_places_default_to_every_option() {
        let mut q = choice_question(&["A", "B", "C"]);
        q.kind = QuestionKind::Ranking;
        assert_eq!(q.rank_places(), 3);
        q.settings.max_picks = Some(2);
        assert_eq!(q.rank_places(), 2);
        q.settings.max_picks = Some(9);
        assert_eq!(q.rank_places(), 3);
    }
}
