//! Results for the organisation's own staff: counts, percentages, charts
//! with their numbers beside them, and free text.

use super::model::QuestionKind;
use super::results::SurveyResults;
use crate::components::{load_page, BarChart, StaffLayout};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[server]
pub async fn load_results(id: i64) -> Result<SurveyResults, AppError> {
    use super::results::{disclose, tally, Audience, TallyInput};
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let owned = super::store::by_id(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.may_see_results_of(owned.organisation_id) {
        return Err(AppError::NotFound);
    }
    let raw = super::store::raw_results(&state.db, &owned.form).await?;
    let areas = crate::areas::store::all(&state.db).await?;
    let results = tally(TallyInput {
        survey: &owned.form,
        responses: raw.responses,
        last_response: raw.last_response_at.map(crate::db::human_time),
        counts: &raw.counts,
        answered: &raw.answered,
        texts: raw.texts,
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

#[component]
pub fn ResultsPage() -> impl IntoView {
    let id = leptos_router::hooks::use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);

    view! {
        <StaffLayout>
            {load_page(move || load_results(id), |r| view! { <Results results=r/> })}
        </StaffLayout>
    }
}

#[component]
fn Results(results: SurveyResults) -> impl IntoView {
    let r = results;
    let summary = match &r.last_response {
        Some(when) => format!(
            "{} {}. The last came in {when}.",
            r.responses,
            if r.responses == 1 {
                "response"
            } else {
                "responses"
            }
        ),
        None => "No responses yet.".to_string(),
    };
    let questions = r
        .questions
        .into_iter()
        .map(|q| {
            let heading = format!("{}. {}", q.number, q.prompt);
            let answered = format!("{} answered", q.answered);
            let body = if matches!(q.kind, QuestionKind::ShortText | QuestionKind::LongText) {
                if q.texts.is_empty() {
                    view! { <p>"No answers yet."</p> }.into_any()
                } else {
                    view! { <ul class="texts">{q.texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any()
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
                <section class="result">
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
        {questions}
        {about}
    }
}
