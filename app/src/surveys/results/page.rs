//! Results for the organisation's own staff: counts, percentages, charts
//! with their numbers beside them, and free text.

use super::rules::{SurveyResults, TextPage, TEXT_PAGE_SIZE};
use crate::components::{load_page, BarChart, StaffLayout};
use crate::error::AppError;
use crate::surveys::model::QuestionKind;
use leptos::prelude::*;
use leptos_meta::Title;

/// Reads a survey's results for the organisation's own staff: tallies counted
/// by the database, and one page of free text for each text question (page
/// `page` of question `question`, the first page of the others).
#[server]
pub async fn load_results(
    id: i64,
    question: Option<i64>,
    page: Option<i64>,
) -> Result<SurveyResults, AppError> {
    use super::rules::{disclose, tally, Audience, TallyInput, TextPage, TextWindow};
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let owned = crate::surveys::access::readable(&state.db, &user, id).await?;
    let raw = super::store::raw_results(&state.db, &owned.form).await?;
    let mut texts = Vec::new();
    for q in owned.form.questions.iter().filter(|q| q.kind.is_text()) {
        let answers = raw
            .answered
            .iter()
            .find(|(qid, _)| *qid == q.id)
            .map_or(0, |(_, n)| *n);
        let requested = if question == Some(q.id) {
            page.unwrap_or(1)
        } else {
            1
        };
        let window = TextWindow::of(answers, requested);
        let answers = super::store::text_answers(
            &state.db,
            q.id,
            window.offset(),
            super::rules::TEXT_PAGE_SIZE,
        )
        .await?;
        texts.push((
            q.id,
            TextPage {
                answers,
                page: window.page,
                pages: window.pages,
            },
        ));
    }
    let areas = crate::areas::store::all(&state.db).await?;
    let results = tally(TallyInput {
        survey: &owned.form,
        responses: raw.responses,
        last_response: raw.last_response_at.map(day_of),
        counts: &raw.counts,
        answered: &raw.answered,
        texts,
        about: &raw.about,
        area_name: &|code| {
            areas
                .iter()
                .find(|a| a.code == code)
                .map(|a| a.name.clone())
        },
    });
    Ok(disclose(results, Audience::OwnOrganisation))
}

/// A stored time as the day it fell on, "24 Nov 2026": results never show
/// the time of day, which could tell who answered.
#[cfg(feature = "ssr")]
fn day_of(ts: i64) -> String {
    use time::macros::format_description;
    let fmt = format_description!("[day padding:none] [month repr:short] [year]");
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let id = leptos_router::hooks::use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    // Which question's free text to page through, and which page: plain
    // query parameters, so the links work without JavaScript.
    let query = leptos_router::hooks::use_query_map()
        .read_untracked()
        .clone();
    let question = query.get("q").and_then(|q| q.parse::<i64>().ok());
    let page = query.get("page").and_then(|p| p.parse::<i64>().ok());

    view! {
        <StaffLayout>
            {load_page(move || load_results(id, question, page), |r| view! { <Results results=r/> })}
        </StaffLayout>
    }
}

#[component]
fn Results(results: SurveyResults) -> impl IntoView {
    let r = results;
    let summary = match &r.last_response {
        Some(when) => format!(
            "{} {}. The last came in on {when}.",
            r.responses,
            if r.responses == 1 {
                "response"
            } else {
                "responses"
            }
        ),
        None => "No responses yet.".to_string(),
    };
    let survey_id = r.survey_id;
    let questions = r
        .questions
        .into_iter()
        .map(|q| {
            let heading = format!("{}. {}", q.number, q.prompt);
            let answered = format!("{} answered", q.answered);
            let body = if matches!(q.kind, QuestionKind::ShortText | QuestionKind::LongText) {
                if q.texts.answers.is_empty() {
                    view! { <p>"No answers yet."</p> }.into_any()
                } else {
                    view! { <TextAnswers survey_id=survey_id question=q.question_id number=q.number total=q.answered texts=q.texts/> }.into_any()
                }
            } else if q.kind == QuestionKind::Ranking {
                let places = q
                    .bars
                    .iter()
                    .zip(q.average_place.iter())
                    .map(|(b, p)| view! { <tr><th scope="row">{b.label.clone()}</th><td>{p.map(|p| format!("{p:.1}")).unwrap_or_else(|| "–".into())}</td></tr> })
                    .collect_view();
                view! {
                    <BarChart id=format!("chart-{}", q.question_id) caption=format!("{heading}: how often each was ranked first") bars=q.bars value_heading="Ranked first"/>
                    <table class="data">
                        <caption>"Average place (1 is best)"</caption>
                        <thead><tr><th scope="col">"Option"</th><th scope="col">"Average place"</th></tr></thead>
                        <tbody>{places}</tbody>
                    </table>
                }
                .into_any()
            } else {
                let note = (q.kind == QuestionKind::MultipleChoice).then(|| view! { <p class="hint">"People could pick more than one, so per cents can add up to more than 100."</p> });
                view! { {note}<BarChart id=format!("chart-{}", q.question_id) caption=heading.clone() bars=q.bars/> }.into_any()
            };
            view! {
                <section class="result" id=format!("question-{}", q.question_id)>
                    <h2>{heading.clone()}</h2>
                    <p class="meta">{answered}</p>
                    {body}
                </section>
            }
        })
        .collect_view();
    let about = (!r.about_you.is_empty()).then(|| {
        view! {
            <section class="result">
                <h2>"About the young people who answered"</h2>
                {r.about_you.into_iter().enumerate().map(|(i, b)| view! {
                    <h3>{b.title.clone()}</h3>
                    <BarChart id=format!("about-{i}") caption=b.title bars=b.bars/>
                }).collect_view()}
            </section>
        }
    });
    view! {
        <Title text=format!("Results: {}", r.title)/>
        <p><a href=format!("/staff/surveys/{}", r.survey_id)>"Back to the survey"</a></p>
        <h1>{format!("Results: {}", r.title)}</h1>
        <p class="lead" id="results-summary">{summary}</p>
        {(r.responses > 0).then(|| view! {
            <p class="downloads">"Download every response (one row each, the day only, free text only where nothing flagged it): "
                <a href=format!("/staff/surveys/{survey_id}/responses.csv") download>"CSV"</a>" · "
                <a href=format!("/staff/surveys/{survey_id}/responses.xlsx") download>"Excel (.xlsx)"</a></p>
        })}
        {questions}
        {about}
    }
}

/// One page of a question's free-text answers, with plain links to the pages
/// either side (they keep the reader at this question).
#[component]
fn TextAnswers(
    survey_id: i64,
    question: i64,
    number: usize,
    total: i64,
    texts: TextPage,
) -> impl IntoView {
    let (first, last) = texts.range();
    let link = move |page: i64| {
        format!("/staff/surveys/{survey_id}/results?q={question}&page={page}#question-{question}")
    };
    let pager = (texts.pages > 1).then(|| {
        let previous = (texts.page > 1).then(|| {
            view! { <a href=link(texts.page - 1) rel="prev">{format!("Previous {TEXT_PAGE_SIZE} answers")}</a> }
        });
        let next = (texts.page < texts.pages).then(|| {
            view! { <a href=link(texts.page + 1) rel="next">{format!("Next {TEXT_PAGE_SIZE} answers")}</a> }
        });
        view! {
            <nav class="pager" aria-label=format!("More answers to question {number}")>
                <p>{format!("Answers {first} to {last} of {total}, in a shuffled order. Page {} of {}.", texts.page, texts.pages)}</p>
                {previous}
                {next}
            </nav>
        }
    });
    view! {
        <ul class="texts">{texts.answers.into_iter().map(|t| view! {
            <li>
                {t.text.map(|words| view! { <span class="words">{words}</span>" " })}
                <span class=t.state.class()>{t.state.label()}</span>
            </li>
        }).collect_view()}</ul>
        {pager}
    }
}
