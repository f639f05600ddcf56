//! The survey builder: details, questions (add, edit, reorder, delete),
//! preview, open, close and duplicate. Every action is a plain form post.

use super::BuilderAction;
use crate::about_you::AgeBand;
use crate::components::{
    load_page, FormMessage, SelectField, StaffLayout, TextAreaField, TextField,
};
use crate::error::AppError;
use crate::forms::{Feedback, FormValues, OnceKey};
use crate::outcomes::Outcome;
use crate::surveys::model::{Question, QuestionKind, ScaleStyle, SurveyForm, SurveyStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuilderData {
    pub survey: SurveyForm,
    pub responses: i64,
    pub public_url: String,
}

#[server]
pub async fn survey_for_builder(id: i64) -> Result<BuilderData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let owned = crate::surveys::access::manageable(&state.db, &user, id).await?;
    let responses = crate::surveys::store::response_count(&state.db, id).await?;
    // From configuration, never the request's Host header, which anyone can set.
    let public_url = format!(
        "{}/s/{}",
        state.settings.public_url.trim_end_matches('/'),
        owned.form.slug
    );
    Ok(BuilderData {
        survey: owned.form,
        responses,
        public_url,
    })
}

#[component]
pub fn BuilderPage() -> impl IntoView {
    let id = leptos_router::hooks::use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);

    view! {
        <StaffLayout>
            {load_page(move || survey_for_builder(id), |d| view! { <Builder data=d/> })}
        </StaffLayout>
    }
}

fn error_for(feedback: &Option<Feedback>, field: &str) -> Option<String> {
    feedback.as_ref().and_then(|f| f.field(field))
}

/// A labelled text input with its error; values come back after a refused post.
fn text_field(
    form_id: &str,
    name: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    view! { <TextField id=format!("{form_id}-{name}") name=name label=label value=value error=error/> }
}

#[component]
fn Builder(data: BuilderData) -> impl IntoView {
    let s = data.survey;
    let id = s.id;
    let action = format!("/staff/surveys/{id}");
    let status = s.status;
    let locked = status != SurveyStatus::Draft;
    let count = s.questions.len();
    let status_fb = Feedback::for_form("status");
    let status_buttons = match status {
        SurveyStatus::Draft => view! { <button class="button" name="to" value="open">"Open survey"</button> }.into_any(),
        SurveyStatus::Open => view! { <button class="button warning" name="to" value="closed">"Close survey"</button> }.into_any(),
        SurveyStatus::Closed => view! { <button class="button" name="to" value="open">"Reopen survey"</button> }.into_any(),
    };
    let questions = s
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| view! { <QuestionEditor question=q.clone() number=i + 1 count=count action=action.clone() locked=locked/> })
        .collect_view();
    view! {
        <Title text=format!("Edit: {}", s.title)/>
        <p><a href="/staff">"All surveys"</a></p>
        <h1>{s.title.clone()}</h1>
        <p class="meta">
            <span class=format!("status status-{}", status.key())>{status.label()}</span>
            " · "{s.organisation.clone()}" · "{format!("{} {}", data.responses, if data.responses == 1 { "response" } else { "responses" })}
        </p>
        <section class="panel" aria-labelledby="share-title">
            <h2 id="share-title">"Share and run"</h2>
            {(status == SurveyStatus::Open).then(|| view! {
                <p>"Public link: "<a href=format!("/s/{}", s.slug) class="public-link">{data.public_url.clone()}</a></p>
            })}
            <FormMessage message=status_fb.and_then(|f| f.summary)/>
            <div class="actions">
                <a class="button secondary" href=format!("/staff/surveys/{id}/preview")>"Preview"</a>
                <a class="button secondary" href=format!("/staff/surveys/{id}/results")>"Results"</a>
                <form method="post" action=action.clone() class="inline">
                    <input type="hidden" name="action" value=BuilderAction::Status.key()/><OnceKey/>
                    {status_buttons}
                </form>
                <form method="post" action=action.clone() class="inline">
                    <input type="hidden" name="action" value=BuilderAction::Duplicate.key()/><OnceKey/>
                    <button class="button secondary">"Duplicate"</button>
                </form>
                {(status != SurveyStatus::Closed && count > 0).then(|| view! {
                    <form method="post" action=format!("/staff/surveys/{id}/live") class="inline">
                        <OnceKey/>
                        <button class="button">"Run it live with a room"</button>
                    </form>
                })}
            </div>
            {(status == SurveyStatus::Draft).then(|| view! {
                <p class="hint">"Running it live opens the survey: answers in the room are kept as its responses."</p>
            })}
        </section>
        <DetailsForm survey=s.clone() action=action.clone()/>
        <h2>"Questions"</h2>
        {locked.then(|| view! {
            <p class="notice">{crate::surveys::model::EditRefused::StructureLocked(if status == SurveyStatus::Open { "open" } else { "closed" }).to_string()}</p>
        })}
        {(count == 0).then(|| view! { <p>"No questions yet. Add the first one below."</p> })}
        <ol class="question-list">{questions}</ol>
        {(!locked).then(|| view! { <AddQuestion action=action.clone()/> })}
    }
}

#[component]
fn DetailsForm(survey: SurveyForm, action: String) -> impl IntoView {
    let fb = Feedback::for_form("details");
    let v = fb.as_ref().map(|f| f.values.clone());
    let title = v
        .as_ref()
        .map(|v| v.raw("title").to_string())
        .unwrap_or(survey.title.clone());
    let intro = v
        .as_ref()
        .map(|v| v.raw("intro").to_string())
        .unwrap_or(survey.intro.clone());
    let closes = v
        .as_ref()
        .map(|v| v.raw("closes_on").to_string())
        .unwrap_or(survey.closes_on.clone().unwrap_or_default());
    let band_on = |b: AgeBand| {
        v.as_ref()
            .map(|v| v.has("age_bands", b.key()))
            .unwrap_or(survey.age_bands.contains(&b))
    };
    let tag_on = |t: Outcome| {
        v.as_ref()
            .map(|v| v.has("tags", t.key()))
            .unwrap_or(survey.tags.contains(&t))
    };
    let about_on = v
        .as_ref()
        .map(|v| v.checked("ask_about_you"))
        .unwrap_or(survey.ask_about_you);
    let closes_err = error_for(&fb, "closes_on");
    let intro_err = error_for(&fb, "intro");
    view! {
        <section aria-labelledby="details-title">
            <h2 id="details-title">"Details"</h2>
            <form method="post" action=action class="stack">
                <input type="hidden" name="action" value=BuilderAction::Details.key()/><OnceKey/>
                {text_field("details", "title", "Title", title, error_for(&fb, "title"))}
                <TextAreaField id="details-intro" name="intro" label="Short introduction for young people" rows=3 value=intro error=intro_err/>
                <fieldset>
                    <legend>"Who is it for?"</legend>
                    <div class="choices list">
                        {AgeBand::ALL.into_iter().map(|b| {
                            let id = format!("band-{}", b.key());
                            view! { <div class="choice"><input type="checkbox" id=id.clone() name="age_bands" value=b.key() checked=band_on(b)/><label for=id>{b.label()}</label></div> }
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Every Child Matters outcomes"</legend>
                    <div class="choices list">
                        {Outcome::ALL.into_iter().map(|o| {
                            let id = format!("tag-{}", o.key());
                            view! { <div class="choice"><input type="checkbox" id=id.clone() name="tags" value=o.key() checked=tag_on(o)/><label for=id>{o.label()}</label></div> }
                        }).collect_view()}
                    </div>
                </fieldset>
                <TextField id="details-closes" name="closes_on" kind="date" label="Closing date (optional)" hint="Answers are taken until the end of this day." value=closes error=closes_err/>
                <div class="choice">
                    <input type="checkbox" id="details-about" name="ask_about_you" value="on" checked=about_on/>
                    <label for="details-about">"Ask the optional “about you” questions (age band, area, groups)"</label>
                </div>
                <button type="submit" class="button">"Save details"</button>
            </form>
        </section>
    }
}

/// Fields shared by adding and editing a question.
fn question_fields(
    form_id: String,
    q: Option<&Question>,
    kind: Option<QuestionKind>,
    v: Option<FormValues>,
    fb: &Option<Feedback>,
) -> impl IntoView {
    let val = |name: &str, current: String| {
        v.as_ref()
            .map(|v| v.raw(name).to_string())
            .unwrap_or(current)
    };
    let prompt = val("prompt", q.map(|q| q.prompt.clone()).unwrap_or_default());
    let help = val("help", q.map(|q| q.help.clone()).unwrap_or_default());
    let options = val(
        "options",
        q.map(|q| {
            q.settings
                .options
                .iter()
                .map(|o| o.label.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default(),
    );
    let max_picks = val(
        "max_picks",
        q.and_then(|q| q.settings.max_picks)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let required = v
        .as_ref()
        .map(|v| v.checked("required"))
        .unwrap_or(q.is_some_and(|q| q.required));
    let outcome = val(
        "outcome",
        q.and_then(|q| q.outcome)
            .map(|o| o.key().to_string())
            .unwrap_or_default(),
    );
    let numbers = val(
        "scale_style",
        q.map(|q| {
            if q.settings.scale_style == ScaleStyle::Numbers {
                "numbers"
            } else {
                "faces"
            }
            .to_string()
        })
        .unwrap_or_default(),
    ) == "numbers";
    let shows = |k: fn(QuestionKind) -> bool| kind.is_none_or(k);
    let id = |n: &str| format!("{form_id}-{n}");
    let options_label = if kind.is_none() {
        "Options, one per line (choice and ranking questions)"
    } else {
        "Options, one per line"
    };
    let options_hint = q.is_some().then_some(
        "An option keeps its answers if you leave its words alone (it can move) or reword it where it stands.",
    );
    let picks_label = if kind == Some(QuestionKind::Ranking) {
        "How many places to rank (optional)"
    } else {
        "Most picks allowed (optional; for ranking, places to fill)"
    };
    view! {
        {text_field(&form_id, "prompt", "Question", prompt, error_for(fb, "prompt"))}
        {text_field(&form_id, "help", "Help text (optional)", help, error_for(fb, "help"))}
        {shows(QuestionKind::has_options).then(|| match options_hint {
            Some(hint) => view! {
                <TextAreaField id=id("options") name="options" label=options_label hint=hint value=options error=error_for(fb, "options")/>
            }.into_any(),
            None => view! {
                <TextAreaField id=id("options") name="options" label=options_label value=options error=error_for(fb, "options")/>
            }.into_any(),
        })}
        {shows(|k| matches!(k, QuestionKind::MultipleChoice | QuestionKind::Ranking)).then(|| view! {
            <TextField id=id("max_picks") name="max_picks" label=picks_label inputmode="numeric" value=max_picks error=error_for(fb, "max_picks")/>
        })}
        {shows(|k| k == QuestionKind::Scale).then(|| view! {
            <SelectField id=id("scale_style") name="scale_style" label="Show the 1 to 5 scale as (scale questions)">
                <option value="faces" selected=!numbers>"Faces"</option>
                <option value="numbers" selected=numbers>"Numbers"</option>
            </SelectField>
        })}
        <SelectField id=id("outcome") name="outcome" label="Outcome tag (optional)">
            <option value="">"None"</option>
            {Outcome::ALL.into_iter().map(|o| view! { <option value=o.key() selected=outcome == o.key()>{o.label()}</option> }).collect_view()}
        </SelectField>
        <div class="choice">
            <input type="checkbox" id=id("required") name="required" value="on" checked=required/>
            <label for=id("required")>"Young people must answer this"</label>
        </div>
    }
}

#[component]
fn QuestionEditor(
    question: Question,
    number: usize,
    count: usize,
    action: String,
    locked: bool,
) -> impl IntoView {
    let q = question;
    let form_id = format!("question-{}", q.id);
    let fb = Feedback::for_form(&form_id);
    let values = fb.as_ref().map(|f| f.values.clone());
    let summary = fb.as_ref().and_then(|f| f.summary.clone());
    let qid = q.id.to_string();
    let heading_id = format!("{form_id}-heading");
    let move_form = |direction: &'static str, label: String, enabled: bool| {
        enabled.then(|| view! {
            <form method="post" action=action.clone() class="inline">
                <input type="hidden" name="action" value=BuilderAction::Move.key()/><OnceKey/>
                <input type="hidden" name="question" value=qid.clone()/>
                <input type="hidden" name="direction" value=direction/>
                <button class="button secondary small" aria-label=label>{if direction == "up" { "Move up" } else { "Move down" }}</button>
            </form>
        })
    };
    view! {
        <li class="question-editor" id=form_id.clone()>
            <h3 id=heading_id.clone()>{format!("{number}. {}", q.prompt)}" "<span class="kind">{format!("({})", q.kind.label())}</span></h3>
            <FormMessage message=summary/>
            <details open=fb.is_some()>
                <summary>{format!("Edit question {number}")}</summary>
                <form method="post" action=action.clone() class="stack">
                    <input type="hidden" name="action" value=BuilderAction::EditQuestion.key()/><OnceKey/>
                    <input type="hidden" name="question" value=qid.clone()/>
                    {question_fields(form_id.clone(), Some(&q), Some(q.kind), values, &fb)}
                    <button type="submit" class="button">{format!("Save question {number}")}</button>
                </form>
            </details>
            <div class="actions">
                {move_form("up", format!("Move up question {number}"), number > 1)}
                {move_form("down", format!("Move down question {number}"), number < count)}
                {(!locked).then(|| view! {
                    <form method="post" action=action.clone() class="inline">
                        <input type="hidden" name="action" value=BuilderAction::DeleteQuestion.key()/><OnceKey/>
                        <input type="hidden" name="question" value=qid.clone()/>
                        <button class="button warning small" aria-label=format!("Delete question {number}")>"Delete"</button>
                    </form>
                })}
            </div>
        </li>
    }
}

#[component]
fn AddQuestion(action: String) -> impl IntoView {
    let fb = Feedback::for_form("add_question");
    let values = fb.as_ref().map(|f| f.values.clone());
    let kind = values
        .as_ref()
        .map(|v| v.raw("kind").to_string())
        .unwrap_or_default();
    let kind_err = error_for(&fb, "kind");
    view! {
        <section class="panel" aria-labelledby="add-title" id="add-question">
            <h2 id="add-title">"Add a question"</h2>
            <form method="post" action=action class="stack">
                <input type="hidden" name="action" value=BuilderAction::AddQuestion.key()/><OnceKey/>
                <SelectField id="add-kind" name="kind" label="Type of question" error=kind_err>
                    {QuestionKind::ALL.into_iter().map(|k| view! { <option value=k.key() selected=kind == k.key()>{k.label()}</option> }).collect_view()}
                </SelectField>
                {question_fields("add".into(), None, None, values, &fb)}
                <button type="submit" class="button">"Add question"</button>
            </form>
        </section>
    }
}
