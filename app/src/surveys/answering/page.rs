//! The young people's pages: the list of open surveys, a survey to answer,
//! and the thank-you page. They work with JavaScript off; with it on, a small
//! island keeps answers on the phone and checks them as they go.

use super::form::SurveyFormView;
use super::keeper::ForgetAnswers;
use super::AnswerPageData;
use crate::components::{load_page, HelpLines, IslandScripts, Layout, StaffLayout};
use crate::copy;
use crate::error::AppError;
use crate::surveys::SurveyCard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Surveys on one page of the home page.
pub const SURVEYS_PER_PAGE: i64 = 30;

/// One page of the surveys open today, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HomeSurveys {
    pub surveys: Vec<SurveyCard>,
    pub page: i64,
    pub more: bool,
}

#[server]
pub async fn open_surveys(page: Option<i64>) -> Result<HomeSurveys, AppError> {
    let state = crate::state::app_state()?;
    let page = crate::paging::Page::new(page, SURVEYS_PER_PAGE);
    let (surveys, more) =
        crate::surveys::store::open_surveys(&state.db, &crate::db::today(), page).await?;
    Ok(HomeSurveys {
        surveys,
        page: page.index,
        more,
    })
}

#[cfg(feature = "ssr")]
async fn page_data(owned: crate::surveys::store::OwnedSurvey) -> Result<AnswerPageData, AppError> {
    let state = crate::state::app_state()?;
    let areas = if owned.form.ask_about_you {
        state.answering_cache.areas(&state.db).await?.to_vec()
    } else {
        vec![]
    };
    let submission_key = crate::random::token::<16>();
    let accepting = owned.form.accepts_answers(&crate::db::today());
    let rating = match owned.service {
        Some(service) => {
            let parts = use_context::<http::request::Parts>();
            let phone = parts.and_then(|p| crate::phone::Phone::known(&state, &p));
            let again_from = match phone {
                Some(phone) => {
                    let subject = crate::services::store::rating_subject(service.id);
                    crate::phone::marked_until(&state.db, &subject, &phone.digest(&state, &subject))
                        .await?
                        .map(crate::db::human_day)
                }
                None => None,
            };
            Some(super::RatingContext {
                service_slug: service.slug,
                service_name: service.name,
                again_from,
            })
        }
        None => None,
    };
    Ok(AnswerPageData {
        survey: owned.form,
        accepting,
        areas: if rating.is_some() { vec![] } else { areas },
        submission_key,
        rating,
    })
}

/// A survey by its public link. Drafts are not public. Read through the
/// answering cache: a post refused and shown again loads nothing twice.
#[server]
pub async fn survey_to_answer(slug: String) -> Result<AnswerPageData, AppError> {
    let state = crate::state::app_state()?;
    let owned = state
        .answering_cache
        .survey(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if owned.form.status == crate::surveys::model::SurveyStatus::Draft {
        return Err(AppError::NotFound);
    }
    page_data(owned).await
}

/// Any survey, as staff who may manage it preview it.
#[server]
pub async fn survey_preview(id: i64) -> Result<AnswerPageData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let owned = crate::surveys::access::previewable(&state.db, &user, id).await?;
    page_data(owned).await
}

#[component]
pub fn AnswerPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();

    // Shown again after a post: the form with what they sent and why it was
    // refused (help first if it matched), never the "rated lately" page in
    // its place.
    let posted = crate::forms::Feedback::for_form(super::form::FORM).is_some();
    view! {
        <Layout>
            {load_page(move || survey_to_answer(slug.clone()), move |d: AnswerPageData| if let Some(again) = d.rating.as_ref().filter(|_| !posted).and_then(|r| r.again_from.clone().map(|a| (a, r.clone()))) {
                let (again, r) = again;
                view! {
                    <Title text=copy::RATED_TITLE/>
                    <h1>{copy::RATED_TITLE}</h1>
                    <p>{copy::rate_again_from(&r.service_name, &again)}</p>
                    <p><a href=format!("/services/{}", r.service_slug)>{format!("Back to {}", r.service_name)}</a></p>
                }.into_any()
            } else if d.accepting {
                view! { <SurveyFormView data=d preview=false/><IslandScripts/> }.into_any()
            } else {
                view! {
                    <Title text=copy::CLOSED_TITLE/>
                    <h1>{copy::CLOSED_TITLE}</h1>
                    <p>{copy::CLOSED_BODY}</p>
                    <p><a href="/">"See other surveys"</a></p>
                }.into_any()
            })}
        </Layout>
    }
}

#[component]
pub fn PreviewPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);

    view! {
        <StaffLayout>
            {load_page(move || survey_preview(id), |d: AnswerPageData| view! {
                <p class="notice"><strong>"Preview."</strong>" This is how young people will see the survey. Answers can't be sent from here. "
                    <a href=format!("/staff/surveys/{}", d.survey.id)>"Back to the survey"</a></p>
                <div class="preview-frame"><SurveyFormView data=d preview=true/></div>
            })}
        </StaffLayout>
    }
}

/// In a page's context when something a young person wrote matched the risk
/// list: the page leads with help. Never in an address (a shared phone's
/// history would show it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpFirst;

/// Help, first and kindly, for a young person whose words suggest they or
/// someone else may not be safe; `sent` says whether their answers were sent
/// (the page's heading when they were; above the survey's own when not).
#[component]
pub fn HelpFirstPanel(sent: bool) -> impl IntoView {
    view! {
        <div class="panel help-panel">
            {if sent {
                view! { <h1>{copy::HELP_FIRST_TITLE}</h1> }.into_any()
            } else {
                view! { <h2>{copy::HELP_FIRST_TITLE}</h2> }.into_any()
            }}
            <p>{sent.then_some(copy::HELP_FIRST_SENT)}" "{copy::HELP_FIRST_BODY}</p>
            <HelpLines as_list=true/>
            <p>{copy::HELP_FIRST_HONEST}</p>
        </div>
    }
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    // Given by the answer handler when something they wrote matched the risk
    // list: help comes first, then the thanks.
    let help_first = use_context::<HelpFirst>().is_some();
    let thanks = view! {
        <div class="panel success-panel">
            {if help_first {
                view! { <h2>{copy::THANKS_TITLE}</h2> }.into_any()
            } else {
                view! { <h1>{copy::THANKS_TITLE}</h1> }.into_any()
            }}
            <p>{copy::THANKS_NEXT}</p>
        </div>
    };
    let help = if help_first {
        view! {
            <HelpFirstPanel sent=true/>
            {thanks}
        }
        .into_any()
    } else {
        view! {
            {thanks}
            <h2>{copy::HELP_TITLE}</h2>
            <HelpLines as_list=true/>
        }
        .into_any()
    };
    view! {
        <Title text=if help_first { copy::HELP_FIRST_TITLE } else { copy::THANK_YOU_TITLE }/>
        <Layout>
            {help}
            <ForgetAnswers slug=slug/>
            <p><a class="button secondary" href="/">"See other surveys"</a></p>
            <IslandScripts/>
        </Layout>
    }
}
