//! The survey as a plain HTML form. Rendered on the server only; errors and
//! values from a refused post come back through [`Feedback`].

use super::keeper::AnswerKeeper;
use super::rules::{ABOUT_AGE, ABOUT_AREA, ABOUT_GROUPS, IDEMPOTENCY_FIELD};
use super::AnswerPageData;
use crate::about_you::{AgeBand, Group, PREFER_NOT_TO_SAY};
use crate::copy;
use crate::forms::{Feedback, FormValues};
use crate::surveys::model::{Question, QuestionKind, SCALE_FACES};
use leptos::prelude::*;
use leptos_meta::Title;

pub const FORM: &str = "answers";

/// The id of a choice input: the first option carries the field's own name,
/// so error links (`#q3`) land on it.
fn choice_id(field: &str, i: usize) -> String {
    if i == 0 {
        field.to_string()
    } else {
        format!("{field}-{i}")
    }
}

fn error_line(id: String, error: Option<String>) -> impl IntoView {
    let hidden = error.is_none();
    view! { <p class="field-error" id=id hidden=hidden>{error}</p> }
}

/// `(value, label, face)` of one choice.
type ChoiceOption = (String, String, Option<&'static str>);

/// Radios or checkboxes. `labels` are `(value, visible label, face)`.
fn choices(
    name: String,
    multiple: bool,
    options: Vec<ChoiceOption>,
    values: &FormValues,
    class: &'static str,
) -> impl IntoView {
    let kind = if multiple { "checkbox" } else { "radio" };
    view! {
        <div class=format!("choices {class}")>
            {options.into_iter().enumerate().map(|(i, (value, label, face))| {
                let id = choice_id(&name, i);
                let checked = values.has(&name, &value);
                view! {
                    <div class="choice">
                        <input type=kind id=id.clone() name=name.clone() value=value checked=checked/>
                        <label for=id>
                            {face.map(|f| view! { <span class="face" aria-hidden="true">{f}</span> })}
                            <span class="choice-label">{label}</span>
                        </label>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
pub(crate) fn QuestionField(
    question: Question,
    number: usize,
    total: usize,
    values: FormValues,
    error: Option<String>,
) -> impl IntoView {
    let q = question;
    let field = q.field();
    let first = q.first_field();
    let error_id = format!("{first}-error");
    let help_id = format!("{field}-help");
    let described = if q.help.is_empty() {
        error_id.clone()
    } else {
        format!("{help_id} {error_id}")
    };
    let mark = if q.required {
        copy::REQUIRED_MARK
    } else {
        copy::OPTIONAL_MARK
    };
    let class = if error.is_some() {
        "question has-error"
    } else {
        "question"
    };
    let heading = view! {
        <span class="q-number">{copy::question_of(number, total)}</span>
        <span class="q-prompt">{q.prompt.clone()}</span>
        " "<span class="q-mark">{mark}</span>
    };
    let help = (!q.help.is_empty())
        .then(|| view! { <p class="hint" id=help_id.clone()>{q.help.clone()}</p> });
    let error = error_line(error_id, error);
    match q.kind {
        QuestionKind::ShortText | QuestionKind::LongText => {
            let limit = q.kind.text_limit();
            let value = values.raw(&field).to_string();
            let input = if q.kind == QuestionKind::ShortText {
                view! { <input type="text" id=field.clone() name=field.clone() maxlength=limit value=value aria-describedby=described.clone()/> }.into_any()
            } else {
                view! { <textarea id=field.clone() name=field.clone() rows="5" maxlength=limit aria-describedby=described.clone() inner_html=crate::components::escape_html(&value)></textarea> }.into_any()
            };
            view! {
                <div class=class>
                    <label for=field class="q-heading">{heading}</label>
                    {help}
                    <p class="hint">{copy::characters_left(limit)}</p>
                    {error}
                    {input}
                </div>
            }
            .into_any()
        }
        QuestionKind::Ranking => {
            let places = q.rank_places();
            let options = q.settings.options.clone();
            view! {
                <fieldset class=class aria-describedby=described>
                    <legend class="q-heading">{heading}</legend>
                    {help}
                    {error}
                    <div class="ranking">
                        {(1..=places).map(|place| {
                            let name = q.rank_field(place);
                            let chosen = values.raw(&name).to_string();
                            view! {
                                <div class="rank-place">
                                    <label for=name.clone()>{copy::rank_place(place)}</label>
                                    <select id=name.clone() name=name>
                                        <option value="">{copy::RANK_NONE}</option>
                                        {options.iter().map(|o| {
                                            let selected = o.key == chosen;
                                            view! { <option value=o.key.clone() selected=selected>{o.label.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            }
            .into_any()
        }
        kind => {
            let multiple = kind == QuestionKind::MultipleChoice;
            let (options, style): (Vec<ChoiceOption>, &'static str) = match kind {
                QuestionKind::Scale if q.settings.scale_style.faces().is_some() => {
                    let faces = q.settings.scale_style.faces().unwrap_or(&SCALE_FACES);
                    (
                        (1..=5)
                            .map(|n| {
                                (
                                    n.to_string(),
                                    format!("{n} – {}", faces[n - 1].1),
                                    Some(faces[n - 1].0),
                                )
                            })
                            .collect(),
                        "scale faces",
                    )
                }
                QuestionKind::Scale => (
                    (1..=5)
                        .map(|n| {
                            let label = match n {
                                1 => format!("1 – {}", SCALE_FACES[0].1),
                                5 => format!("5 – {}", SCALE_FACES[4].1),
                                n => n.to_string(),
                            };
                            (n.to_string(), label, None)
                        })
                        .collect(),
                    "scale numbers",
                ),
                _ => (
                    q.answer_values()
                        .into_iter()
                        .map(|(k, l)| (k, l, None))
                        .collect(),
                    "list",
                ),
            };
            let picks = q
                .settings
                .max_picks
                .filter(|_| multiple)
                .map(|m| view! { <p class="hint">{copy::pick_up_to(m)}</p> });
            view! {
                <fieldset class=class aria-describedby=described>
                    <legend class="q-heading">{heading}</legend>
                    {help}
                    {picks}
                    {error}
                    {choices(field, multiple, options, &values, style)}
                </fieldset>
            }
            .into_any()
        }
    }
}

#[component]
fn AboutYouFields(
    areas: Vec<(String, String)>,
    values: FormValues,
    feedback: Option<Feedback>,
    /// Ask only the age band (a service's rating).
    age_only: bool,
) -> impl IntoView {
    let err = |f: &str| feedback.as_ref().and_then(|fb| fb.field(f));
    let pnts = || {
        (
            PREFER_NOT_TO_SAY.to_string(),
            copy::PREFER_NOT_TO_SAY.to_string(),
            None,
        )
    };
    let mut ages: Vec<ChoiceOption> = AgeBand::ALL
        .iter()
        .map(|b| (b.key().to_string(), b.label(), None))
        .collect();
    ages.push(pnts());
    let mut groups: Vec<ChoiceOption> = Group::ALL
        .iter()
        .map(|g| (g.key().to_string(), g.label().to_string(), None))
        .collect();
    groups.push(pnts());
    let area_value = values.raw(ABOUT_AREA).to_string();
    let (age_err, area_err, groups_err) = (err(ABOUT_AGE), err(ABOUT_AREA), err(ABOUT_GROUPS));
    view! {
        <section class="about-you" aria-labelledby="about-you-title">
            <h2 id="about-you-title">{copy::ABOUT_YOU_TITLE}</h2>
            <p>{copy::ABOUT_YOU_INTRO}</p>
            <fieldset class="question" aria-describedby="about_age-error">
                <legend class="q-heading">{copy::AGE_QUESTION}</legend>
                {error_line("about_age-error".into(), age_err)}
                {choices(ABOUT_AGE.into(), false, ages, &values, "list")}
            </fieldset>
            {(!age_only).then(|| view! {
            <div class="question">
                <label for=ABOUT_AREA class="q-heading">{copy::AREA_QUESTION}</label>
                {error_line("about_area-error".into(), area_err)}
                <select id=ABOUT_AREA name=ABOUT_AREA aria-describedby="about_area-error">
                    <option value="">{copy::PICK_AREA}</option>
                    <option value=PREFER_NOT_TO_SAY selected=area_value == PREFER_NOT_TO_SAY>{copy::PREFER_NOT_TO_SAY}</option>
                    {areas.into_iter().map(|(code, name)| {
                        let selected = code == area_value;
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <fieldset class="question" aria-describedby="about_groups-error">
                <legend class="q-heading">{copy::GROUPS_QUESTION}</legend>
                {error_line("about_groups-error".into(), groups_err)}
                {choices(ABOUT_GROUPS.into(), true, groups, &values, "list")}
            </fieldset>
            })}
        </section>
    }
}

#[component]
pub fn SurveyFormView(data: AnswerPageData, preview: bool) -> impl IntoView {
    let feedback = if preview {
        None
    } else {
        Feedback::for_form(FORM)
    };
    let values = feedback
        .as_ref()
        .map(|f| f.values.clone())
        .unwrap_or_default();
    let errors = feedback
        .as_ref()
        .map(|f| f.fields.clone())
        .unwrap_or_default();
    let survey = data.survey;
    let total = survey.questions.len();
    let key = values
        .value(IDEMPOTENCY_FIELD)
        .map(str::to_string)
        .unwrap_or(data.submission_key);
    let title = match (&data.rating, errors.is_empty()) {
        (Some(r), true) => format!("Rate {}", r.service_name),
        (Some(r), false) => format!("Error: Rate {}", r.service_name),
        (None, true) => survey.title.clone(),
        (None, false) => format!("Error: {}", survey.title),
    };
    let has_errors = !errors.is_empty();
    // A message about the whole form (busy, too many, a key already used),
    // shown above it; the answers below are the ones that were sent.
    let notice = feedback
        .as_ref()
        .and_then(|f| f.summary.clone())
        .map(|m| view! { <div class="notice form-notice" role="alert"><p>{m}</p></div> });
    // Shown again by the server: its values are the latest, so the browser's
    // kept copy is replaced rather than restored over them.
    let restore = feedback.is_none();
    let intro = survey
        .intro
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_string()}</p> })
        .collect_view();
    let questions = survey
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let first = q.first_field();
            let error = errors.iter().find(|(f, _)| *f == first).map(|(_, m)| m.clone());
            view! { <QuestionField question=q.clone() number=i + 1 total=total values=values.clone() error=error/> }
        })
        .collect_view();
    let age_only = data.rating.is_some();
    let about = survey.ask_about_you.then(|| view! { <AboutYouFields areas=data.areas values=values.clone() feedback=feedback.clone() age_only=age_only/> });
    // A service's rating reads as one: "Rate Northfield Youth Club".
    let heading = match &data.rating {
        Some(r) => format!("Rate {}", r.service_name),
        None => survey.title.clone(),
    };
    let action = format!("/s/{}", survey.slug);
    let submit = if preview {
        view! { <p class="notice">"Preview: answers can't be sent from here."</p> }.into_any()
    } else {
        view! {
            <button type="submit" class="button">{copy::SUBMIT}</button>
            <p class="hint">{copy::SAVED_NOTE}</p>
        }
        .into_any()
    };
    let form = view! {
        <form method="post" action=action.clone() novalidate class="survey-form">
            <input type="hidden" name=IDEMPOTENCY_FIELD value=key/>
            <p class="progress" id="progress-text">{copy::survey_length(total)}</p>
            {questions}
            {about}
            {submit}
        </form>
    };
    let form = if preview {
        form.into_any()
    } else {
        // With JavaScript off, "start again" is a link to the page, which
        // always comes with a fresh form and key; with it on, the keeper also
        // clears the answers kept on the phone before following it.
        let start_again = view! {
            <p class="start-again hint">{copy::START_AGAIN_NOTE}" "
                <a href=action.clone() data-start-again="">{copy::START_AGAIN}</a>
            </p>
        };
        view! {
            <AnswerKeeper slug=survey.slug.clone() survey=survey.clone() restore=restore>
                {start_again}
                {form}
            </AnswerKeeper>
        }
        .into_any()
    };
    // Their answers were not stored (busy, a fault, a shared phone's form),
    // but what they wrote matched the risk list: help is not kept waiting.
    let help_first = use_context::<super::page::HelpFirst>()
        .is_some()
        .then(|| view! { <super::page::HelpFirstPanel sent=false/> });
    view! {
        <Title text=title/>
        {help_first}
        <h1>{heading}</h1>
        <p class="meta">{survey.organisation.clone()}" · "{copy::survey_length(total)}</p>
        {intro}
        <p class="hint">{copy::ANONYMOUS_NOTE}</p>
        {survey.questions.iter().any(|q| q.kind.is_text()).then(|| view! {
            <p class="hint writing-note">{copy::WRITING_NOTE}</p>
        })}
        <div id="error-summary" class="error-summary" role="alert" tabindex="-1" hidden=!has_errors>
            <h2>{copy::ERROR_SUMMARY_TITLE}</h2>
            <ul id="error-list">
                {errors.iter().map(|(f, m)| view! { <li><a href=format!("#{f}")>{m.clone()}</a></li> }).collect_view()}
            </ul>
        </div>
        {notice}
        {form}
    }
}
