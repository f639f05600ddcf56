//! Reading the survey builder's forms into surveys and questions. Pure.

use crate::about_you::AgeBand;
use crate::forms::FormValues;
use crate::outcomes::Outcome;
use crate::surveys::model::*;

pub type FieldErrors = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailsInput {
    pub title: String,
    pub intro: String,
    pub age_bands: Vec<AgeBand>,
    pub tags: Vec<Outcome>,
    pub closes_on: Option<String>,
    pub ask_about_you: bool,
}

pub fn check_title(title: &str) -> Result<String, String> {
    let title = crate::text::clean_line(title);
    let title = title.as_str();
    if title.is_empty() {
        Err("Give the survey a title.".into())
    } else if title.chars().count() > TITLE_LIMIT {
        Err(format!(
            "Keep the title to {TITLE_LIMIT} characters or fewer."
        ))
    } else {
        Ok(title.to_string())
    }
}

/// A date typed as `YYYY-MM-DD` (what `<input type="date">` posts).
pub fn check_date(s: &str) -> Result<String, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let ok = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2
        && y.parse::<u16>().is_ok_and(|y| y >= 2000)
        && m.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        && d.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d)));
    if ok {
        Ok(s.to_string())
    } else {
        Err("Enter the closing date as a date, like 2026-12-31.".into())
    }
}

pub fn parse_details(v: &FormValues) -> Result<DetailsInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = check_title(v.raw("title"))
        .map_err(|m| errors.push(("title".into(), m)))
        .unwrap_or_default();
    let intro = crate::text::clean(v.raw("intro"), true);
    if intro.chars().count() > INTRO_LIMIT {
        errors.push((
            "intro".into(),
            format!("Keep the introduction to {INTRO_LIMIT} characters or fewer."),
        ));
    }
    let mut age_bands = Vec::new();
    for b in v.values("age_bands") {
        match AgeBand::parse(b) {
            Some(b) => age_bands.push(b),
            None => errors.push(("age_bands".into(), "Choose age bands from the list.".into())),
        }
    }
    let mut tags = Vec::new();
    for t in v.values("tags") {
        match Outcome::parse(t) {
            Some(t) => tags.push(t),
            None => errors.push(("tags".into(), "Choose outcomes from the list.".into())),
        }
    }
    let closes_on = match v.value("closes_on") {
        None => None,
        Some(d) => check_date(d)
            .map_err(|m| errors.push(("closes_on".into(), m)))
            .ok(),
    };
    if errors.is_empty() {
        age_bands.sort();
        age_bands.dedup();
        tags.sort();
        tags.dedup();
        Ok(DetailsInput {
            title,
            intro,
            age_bands,
            tags,
            closes_on,
            ask_about_you: v.checked("ask_about_you"),
        })
    } else {
        Err(errors)
    }
}

/// A question from the builder's form. `existing` keeps the id and the option
/// keys of a question being edited; its kind cannot change here.
pub fn parse_question(
    v: &FormValues,
    existing: Option<&Question>,
) -> Result<Question, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = match existing {
        Some(q) => Some(q.kind),
        None => {
            let k = v.value("kind").and_then(QuestionKind::parse);
            if k.is_none() {
                errors.push(("kind".into(), "Choose a type of question.".into()));
            }
            k
        }
    };
    let prompt = crate::text::clean_line(v.raw("prompt"));
    if prompt.is_empty() {
        errors.push(("prompt".into(), "Write the question.".into()));
    } else if prompt.chars().count() > PROMPT_LIMIT {
        errors.push((
            "prompt".into(),
            format!("Keep the question to {PROMPT_LIMIT} characters or fewer."),
        ));
    }
    let help = crate::text::clean_line(v.raw("help"));
    if help.chars().count() > HELP_LIMIT {
        errors.push((
            "help".into(),
            format!("Keep the help text to {HELP_LIMIT} characters or fewer."),
        ));
    }
    let outcome = match v.value("outcome") {
        None => None,
        Some(o) => {
            let parsed = Outcome::parse(o);
            if parsed.is_none() {
                errors.push(("outcome".into(), "Choose an outcome from the list.".into()));
            }
            parsed
        }
    };
    let mut settings = existing.map(|q| q.settings.clone()).unwrap_or_default();
    if let Some(kind) = kind {
        if kind.has_options() {
            let old = existing
                .map(|q| q.settings.options.as_slice())
                .unwrap_or(&[]);
            match options_from_lines(old, v.raw("options")) {
                Ok(opts) if opts.len() < 2 => errors.push((
                    "options".into(),
                    "Give at least two options, one per line.".into(),
                )),
                Ok(opts) => settings.options = opts,
                Err(m) => errors.push(("options".into(), m)),
            }
        } else {
            settings.options.clear();
        }
        settings.max_picks = None;
        if matches!(kind, QuestionKind::MultipleChoice | QuestionKind::Ranking) {
            if let Some(m) = v.value("max_picks") {
                match m.parse::<u8>() {
                    Ok(n) if n >= 1 && (n as usize) <= settings.options.len().max(1) => {
                        settings.max_picks = Some(n)
                    }
                    _ => errors.push((
                        "max_picks".into(),
                        "The most picks must be a whole number from 1 to the number of options."
                            .into(),
                    )),
                }
            }
        }
        settings.scale_style =
            if kind == QuestionKind::Scale && v.value("scale_style") == Some("numbers") {
                ScaleStyle::Numbers
            } else {
                ScaleStyle::Faces
            };
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(Question {
            id: existing.map(|q| q.id).unwrap_or(0),
            kind,
            prompt,
            help,
            required: v.checked("required"),
            outcome,
            settings,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn details_need_a_title_and_a_real_date() {
        let errs =
            parse_details(&form(&[("title", " "), ("closes_on", "31/12/2026")])).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
            ["title", "closes_on"]
        );
        let ok = parse_details(&form(&[
            ("title", "Youth club"),
            ("age_bands", "13-15"),
            ("age_bands", "10-12"),
            ("tags", "safe"),
            ("closes_on", "2026-12-31"),
            ("ask_about_you", "on"),
        ]))
        .unwrap();
        assert_eq!(
            ok.age_bands,
            vec![AgeBand::TenToTwelve, AgeBand::ThirteenToFifteen]
        );
        assert_eq!(ok.closes_on.as_deref(), Some("2026-12-31"));
        assert!(ok.ask_about_you);
    }

    #[test]
    fn a_new_choice_question_needs_two_options() {
        let errs = parse_question(
            &form(&[
                ("kind", "single_choice"),
                ("prompt", "Which day?"),
                ("options", "Mon"),
            ]),
            None,
        )
        .unwrap_err();
        assert_eq!(errs[0].0, "options");
        let q = parse_question(
            &form(&[
                ("kind", "multiple_choice"),
                ("prompt", "Which?"),
                ("options", "A\nB\nC"),
                ("max_picks", "2"),
                ("required", "on"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(q.settings.options.len(), 3);
        assert_eq!(q.settings.max_picks, Some(2));
        assert!(q.required);
    }

    #[test]
    fn max_picks_cannot_exceed_the_options() {
        let errs = parse_question(
            &form(&[
                ("kind", "multiple_choice"),
                ("prompt", "Which?"),
                ("options", "A\nB"),
                ("max_picks", "3"),
            ]),
            None,
        )
        .unwrap_err();
        assert_eq!(errs[0].0, "max_picks");
    }

    #[test]
    fn editing_keeps_the_kind_and_option_keys() {
        let q = parse_question(
            &form(&[("kind", "ranking"), ("prompt", "Rank"), ("options", "A\nB")]),
            None,
        )
        .unwrap();
        let edited = parse_question(
            &form(&[
                ("kind", "short_text"),
                ("prompt", "Rank these"),
                ("options", "B\nA\nC"),
            ]),
            Some(&q),
        )
        .unwrap();
        assert_eq!(edited.kind, QuestionKind::Ranking);
        assert_eq!(edited.settings.options[0].key, "o2");
        assert_eq!(edited.settings.options[2].key, "o3");
    }

    #[test]
    fn unknown_kinds_are_refused() {
        let errs = parse_question(&form(&[("kind", "essay"), ("prompt", "Hi")]), None).unwrap_err();
        assert_eq!(errs[0].0, "kind");
    }
}
