//! The staff home: the surveys a member of staff may see, and a new survey.

use crate::accounts::{Role, StaffUser};
use crate::components::{load_page, SelectField, StaffLayout, TextField};
use crate::error::AppError;
use crate::forms::{Feedback, OnceKey};
use crate::organisations::Organisation;
use crate::surveys::StaffSurveyRow;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

pub const CREATE_FORM: &str = "create";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHomeData {
    pub user: StaffUser,
    /// `(survey, may manage, may see results)`
    pub surveys: Vec<(StaffSurveyRow, bool, bool)>,
    /// Admins choose which organisation a new survey belongs to.
    pub organisations: Vec<Organisation>,
    /// This page of the list (from 0), and whether there are later ones.
    pub page: i64,
    pub more: bool,
}

/// Surveys on one page of the staff home.
pub const PER_PAGE: i64 = 50;

#[server]
pub async fn load_staff_home(page: Option<i64>) -> Result<StaffHomeData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let page = crate::paging::Page::new(page, PER_PAGE);
    let (surveys, more) =
        crate::surveys::store::visible_surveys(&state.db, &user.survey_reach(), page).await?;
    let surveys = surveys
        .into_iter()
        .map(|s| {
            let (manage, results) = (
                user.may_manage_surveys_of(s.organisation_id),
                user.may_see_results_of(s.organisation_id),
            );
            (s, manage, results)
        })
        .collect();
    let organisations = if user.role == Role::Admin {
        crate::organisations::store::organisations(&state.db).await?
    } else {
        vec![]
    };
    Ok(StaffHomeData {
        user,
        surveys,
        organisations,
        page: page.index,
        more,
    })
}

#[component]
pub fn StaffHome() -> impl IntoView {
    let feedback = Feedback::for_form(CREATE_FORM);
    let page = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    view! {
        <Title text="Surveys"/>
        <StaffLayout>
            {load_page(move || load_staff_home(page), move |d| view! { <StaffHomeView data=d feedback=feedback.clone()/> })}
        </StaffLayout>
    }
}

#[component]
fn StaffHomeView(data: StaffHomeData, feedback: Option<Feedback>) -> impl IntoView {
    let user = data.user;
    let who = format!(
        "Signed in as {} ({}{})",
        user.email,
        user.role.label(),
        user.organisation
            .as_ref()
            .map(|o| format!(", {o}"))
            .unwrap_or_default()
    );
    let title_error = feedback.as_ref().and_then(|f| f.field("title"));
    let title_value = feedback
        .as_ref()
        .map(|f| f.values.raw("title").to_string())
        .unwrap_or_default();
    let create = user.may_create_surveys().then(|| {
        let orgs = data.organisations.clone();
        view! {
            <section aria-labelledby="new-survey">
                <h2 id="new-survey">"Start a new survey"</h2>
                <form method="post" action="/staff/surveys" class="stack">
                    <OnceKey/>
                    <TextField id="new-title" name="title" label="Title" value=title_value error=title_error.clone()/>
                    {(!orgs.is_empty()).then(|| view! {
                        <SelectField id="new-org" name="organisation_id" label="Organisation">
                            {orgs.into_iter().map(|o| view! { <option value=o.id.to_string()>{o.name}</option> }).collect_view()}
                        </SelectField>
                    })}
                    <button type="submit" class="button">"Create survey"</button>
                </form>
                {user.organisation_id.is_some().then(|| view! {
                    <form method="post" action="/staff/live/quick" class="stack">
                        <OnceKey/>
                        <p>"Or ask a room one question now: a quick poll is kept like any survey."</p>
                        <button type="submit" class="button secondary">"Start a quick poll"</button>
                    </form>
                })}
            </section>
        }
    });
    let team = user
        .may_manage_team()
        .then(|| view! { <p><a href="/staff/team">"Team: who can sign in"</a></p> });
    let admin = user
        .may_edit_areas()
        .then(|| view! { <p><a href="/staff/areas">"Manage areas"</a></p> });
    let commissioner = (user.role == Role::Commissioner).then(|| view! {
        <p class="notice">"You can see which surveys organisations in your areas are running. "
            <a href="/staff/insights">"Insights"</a>" shows what young people said across them, anonymised and rounded."</p>
    });
    let (page, more) = (data.page, data.more);
    let pager = (page > 0 || more).then(|| view! {
        <nav class="pager" aria-label="Pages of surveys">
            {(page > 0).then(|| view! { <a rel="prev" href=format!("/staff?page={}", page - 1)>"Newer surveys"</a> })}
            {more.then(|| view! { <a rel="next" href=format!("/staff?page={}", page + 1)>"Older surveys"</a> })}
        </nav>
    });
    let cards = data
        .surveys
        .into_iter()
        .map(|(s, manage, results)| {
            let title = if manage {
                view! { <a href=format!("/staff/surveys/{}", s.id)>{s.title.clone()}</a> }.into_any()
            } else {
                view! { <span>{s.title.clone()}</span> }.into_any()
            };
            let responses = format!("{} {}", s.responses, if s.responses == 1 { "response" } else { "responses" });
            let results_link = results.then(|| {
                view! { <p><a href=format!("/staff/surveys/{}/results", s.id) aria-label=format!("Results for {}", s.title)>"Results"</a></p> }
            });
            view! {
                <li class="card">
                    <h3>{title}</h3>
                    <p class="meta">
                        <span class=format!("status status-{}", s.status.key())>{s.status.label()}</span>
                        " · "{s.organisation}" · "{responses}
                    </p>
                    {results_link}
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>"Surveys"</h1>
        <p class="meta">{who}</p>
        {commissioner}
        {create}
        {team}
        {admin}
        <h2>"All surveys"</h2>
        <ul class="cards">{cards}</ul>
        {pager}
    }
}
