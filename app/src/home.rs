//! The young people's home page: join a live session, open surveys, services
//! in their area (chosen here, remembered on the phone only), popular ideas
//! and the latest "you said, we did". Plain links and GET forms: no
//! JavaScript, and small enough for a phone on paid data.

use crate::components::{load_page, Layout, Pager};
use crate::copy;
use crate::error::AppError;
use crate::replies::ReplyCard;
use crate::services::ServiceCard;
use crate::suggestions::Card;
use crate::surveys::answering::page::{open_surveys, HomeSurveys};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the home page shows of each part: services, ideas, replies.
#[cfg(feature = "ssr")]
const SHOWN: (i64, i64, i64) = (5, 3, 2);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearYouData {
    /// `(code, name)` of the chosen area, if any.
    pub area: Option<(String, String)>,
    /// Areas to choose from: those with services or organisations.
    pub areas: Vec<(String, String)>,
    pub services: Vec<ServiceCard>,
    pub ideas: Vec<Card>,
    pub replies: Vec<ReplyCard>,
}

/// `area` absent: the one remembered on the phone; present: chosen now (and
/// remembered, or forgotten when empty).
#[server]
pub async fn near_you(area: Option<String>) -> Result<NearYouData, AppError> {
    let state = crate::state::app_state()?;
    let mut areas = crate::services::store::areas_with_services(&state.db).await?;
    for a in crate::suggestions::store::areas_with_organisations(&state.db).await? {
        if !areas.contains(&a) {
            areas.push(a);
        }
    }
    areas.sort_by(|a, b| a.1.cmp(&b.1));
    let remembered = crate::services::pages::remembered_area();
    let chosen = area.is_some();
    let area = area
        .or(remembered)
        .and_then(|code| areas.iter().find(|(c, _)| *c == code).cloned());
    if chosen {
        crate::services::pages::remember_area(
            &state,
            area.as_ref().map(|(c, _)| c.as_str()).unwrap_or(""),
        );
    }
    let code = area.as_ref().map(|(c, _)| c.clone());
    // Services only for a chosen area: "near you" means near them.
    let (services, _) = match &code {
        None => (vec![], false),
        Some(_) => {
            crate::services::store::directory(
                &state.db,
                &state.services_index,
                &crate::services::store::Filter {
                    area: code.clone(),
                    ..Default::default()
                },
                crate::paging::Page::new(None, SHOWN.0),
            )
            .await?
        }
    };
    let (ideas, _) = crate::suggestions::store::public_list(
        &state.db,
        &crate::suggestions::store::Filter {
            area: code.clone(),
            ..Default::default()
        },
        crate::paging::Page::new(None, SHOWN.1),
    )
    .await?;
    let scope = match &code {
        Some(c) => crate::replies::store::Scope::Area(c.clone()),
        None => crate::replies::store::Scope::Everyone,
    };
    let (replies, _) =
        crate::replies::store::list(&state.db, &scope, crate::paging::Page::new(None, SHOWN.2))
            .await?;
    Ok(NearYouData {
        area,
        areas,
        services,
        ideas,
        replies,
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map()
        .read_untracked()
        .clone();
    let page = query.get("page").and_then(|p| p.parse::<i64>().ok());
    let area = query.get("area");
    view! {
        <Title text=copy::HOME_TITLE/>
        <Layout>
            <h1>{copy::HOME_TITLE}</h1>
            <p class="lead">{copy::HOME_INTRO}</p>
            <section class="panel" aria-labelledby="join-title">
                <h2 id="join-title">"Got a code from your youth worker?"</h2>
                <crate::live::pages::JoinForm/>
            </section>
            <nav class="big-links" aria-label="What you can do">
                <a class="button" href="/services">"Rate a service"</a>
                <a class="button" href="/ideas/new">"Suggest an activity"</a>
                <a class="button secondary" href="/ideas">"See ideas and support them"</a>
            </nav>
            {load_page(move || open_surveys(page), |open: HomeSurveys| if open.surveys.is_empty() && open.page == 0 {
                view! { <p>{copy::NO_SURVEYS}</p> }.into_any()
            } else {
                let (page, more) = (open.page, open.more);
                view! {
                    <h2>{copy::SURVEYS_HEADING}</h2>
                    <ul class="cards">
                        {open.surveys.into_iter().map(|s| view! {
                            <li class="card">
                                <h3><a href=format!("/s/{}", s.slug)>{s.title}</a></h3>
                                <p class="meta">{s.organisation}" · "{copy::survey_length(s.questions as usize)}</p>
                                {(!s.intro.is_empty()).then(|| view! { <p>{s.intro}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    <Pager base="/" page=page more=more label=copy::SURVEY_PAGES earlier=copy::NEWER_SURVEYS later=copy::MORE_SURVEYS/>
                }.into_any()
            })}
            {load_page(move || near_you(area.clone()), |n: NearYouData| view! { <NearYouView near=n/> })}
        </Layout>
    }
}

#[component]
fn NearYouView(near: NearYouData) -> impl IntoView {
    let chosen = near
        .area
        .as_ref()
        .map(|(c, _)| c.clone())
        .unwrap_or_default();
    let name = near.area.as_ref().map(|(_, n)| n.clone());
    let replies_link = match &near.area {
        Some((c, _)) => format!("/you-said-we-did?area={c}"),
        None => "/you-said-we-did".into(),
    };
    let services_link = match &near.area {
        Some((c, _)) => format!("/services?area={c}"),
        None => "/services".into(),
    };
    view! {
        <section aria-labelledby="near-title">
            <h2 id="near-title">{match &name { Some(n) => format!("Near you: {n}"), None => "Near you".to_string() }}</h2>
            <form method="get" action="/" class="inline-form">
                <label for="home-area">"Your area"</label>
                <select id="home-area" name="area">
                    <option value="" selected=chosen.is_empty()>"Choose your area"</option>
                    {near.areas.iter().map(|(c, n)| view! { <option value=c.clone() selected=*c == chosen>{n.clone()}</option> }).collect_view()}
                </select>
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <p class="hint">"Kept on this phone only, to show what's near you."</p>
            {(!near.services.is_empty()).then(|| view! {
                <h3>"Services"</h3>
                <ul class="links">
                    {near.services.iter().map(|s| view! { <li><a href=format!("/services/{}", s.slug)>{s.name.clone()}</a>" "<span class="meta">{s.kind.label()}</span></li> }).collect_view()}
                </ul>
                <p><a href=services_link>"All services"</a></p>
            })}
            {(!near.ideas.is_empty()).then(|| view! {
                <h3>"Popular ideas"</h3>
                <crate::suggestions::pages::IdeaCards cards=near.ideas.clone()/>
            })}
            {(!near.replies.is_empty()).then(|| view! {
                <h3>"You said, we did"</h3>
                <crate::replies::pages::ReplyList replies=near.replies.clone()/>
                <p><a href=replies_link>"More replies"</a></p>
            })}
        </section>
    }
}
