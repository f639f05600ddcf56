//! Young people's pages for suggestions: the public list (most supported
//! first, filtered by area, category and status), a suggestion with its
//! support button, the form for a new one, and the private link that shows
//! its author where it stands. No JavaScript needed.

use super::Card;
use super::{Category, Moderation, Status, SuggestionView, DESCRIPTION_LIMIT, TITLE_LIMIT};
use crate::components::{load_page, FormState, Layout, SelectField, TextAreaField, TextField};
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::replies::pages::ReplyList;
use crate::surveys::answering::page::HelpFirstPanel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// The new suggestion form's name, for feedback.
pub const FORM: &str = "suggestion";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeasListData {
    pub cards: Vec<Card>,
    pub more: bool,
    pub page: i64,
    pub area: String,
    pub category: String,
    pub status: String,
    pub areas: Vec<(String, String)>,
}

impl IdeasListData {
    fn href(&self, page: i64) -> String {
        let mut q: Vec<String> = [
            ("area", &self.area),
            ("category", &self.category),
            ("status", &self.status),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
        if page > 0 {
            q.push(format!("page={page}"));
        }
        if q.is_empty() {
            "/ideas".into()
        } else {
            format!("/ideas?{}", q.join("&"))
        }
    }
}

#[server]
pub async fn ideas_list(
    area: Option<String>,
    category: Option<String>,
    status: Option<String>,
    page: Option<i64>,
) -> Result<IdeasListData, AppError> {
    let state = crate::state::app_state()?;
    let areas = super::store::areas_with_organisations(&state.db).await?;
    let remembered = crate::services::pages::remembered_area();
    let area = area
        .or(remembered)
        .filter(|a| areas.iter().any(|(c, _)| c == a))
        .unwrap_or_default();
    let category = category.as_deref().and_then(Category::parse);
    let status = status.as_deref().and_then(Status::parse);
    let page = crate::paging::Page::new(page, super::PER_PAGE);
    let filter = super::store::Filter {
        area: (!area.is_empty()).then(|| area.clone()),
        category,
        status,
    };
    let (cards, more) = super::store::public_list(&state.db, &filter, page).await?;
    Ok(IdeasListData {
        cards,
        more,
        page: page.index,
        area,
        category: category.map(|c| c.key().to_string()).unwrap_or_default(),
        status: status.map(|s| s.key().to_string()).unwrap_or_default(),
        areas,
    })
}

/// A list of suggestions as cards.
#[component]
pub fn IdeaCards(cards: Vec<Card>) -> impl IntoView {
    view! {
        <ul class="cards">
            {cards.into_iter().map(|c| view! {
                <li class="card">
                    <h3><a href=format!("/ideas/{}", c.public_ref)>{c.title}</a></h3>
                    <p class="meta">{c.category.label()}" · "{c.area}" · "{c.status.label()}" · "
                        <strong>{supporters(c.supports)}</strong></p>
                </li>
            }).collect_view()}
        </ul>
    }
}

fn supporters(n: i64) -> String {
    match n {
        1 => "1 supporter".into(),
        n => format!("{n} supporters"),
    }
}

#[component]
pub fn IdeasPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let (area, category, status) = (q.get("area"), q.get("category"), q.get("status"));
    let page = q.get("page").and_then(|p| p.parse::<i64>().ok());
    view! {
        <Title text="Ideas for things to do"/>
        <Layout>
            <h1>"Ideas for things to do"</h1>
            <p class="lead">"What young people want to do and where. Support the ideas you like: the more support, the more likely it happens."</p>
            <p><a class="button" href="/ideas/new">"Suggest an activity"</a></p>
            {load_page(move || ideas_list(area.clone(), category.clone(), status.clone(), page), |d: IdeasListData| {
                let (page, more) = (d.page, d.more);
                let (prev, next) = (d.href(page.saturating_sub(1)), d.href(page + 1));
                view! {
                    <form method="get" action="/ideas" class="stack search-form">
                        <div class="field">
                            <label for="ideas-area">"Area"</label>
                            <select id="ideas-area" name="area">
                                <option value="" selected=d.area.is_empty()>"All areas"</option>
                                {d.areas.iter().map(|(c, n)| view! { <option value=c.clone() selected=*c == d.area>{n.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="ideas-category">"Kind of activity"</label>
                            <select id="ideas-category" name="category">
                                <option value="" selected=d.category.is_empty()>"Any kind"</option>
                                {Category::ALL.iter().map(|c| view! { <option value=c.key() selected=c.key() == d.category>{c.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="ideas-status">"Where it stands"</label>
                            <select id="ideas-status" name="status">
                                <option value="" selected=d.status.is_empty()>"Any"</option>
                                {Status::ALL.iter().map(|s| view! { <option value=s.key() selected=s.key() == d.status>{s.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button secondary">"Show ideas"</button>
                    </form>
                    {if d.cards.is_empty() {
                        view! { <p class="notice" role="status">"No ideas here yet. Be the first: suggest one!"</p> }.into_any()
                    } else {
                        view! { <h2>"Most supported first"</h2><IdeaCards cards=d.cards.clone()/> }.into_any()
                    }}
                    {(page > 0 || more).then(|| view! {
                        <nav class="pager" aria-label="Pages of ideas">
                            {(page > 0).then(|| view! { <a rel="prev" href=prev.clone()>"More supported ideas"</a> })}
                            {more.then(|| view! { <a rel="next" href=next.clone()>"More ideas"</a> })}
                        </nav>
                    })}
                }
            })}
        </Layout>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeaFormData {
    pub areas: Vec<(String, String)>,
    pub submission_key: String,
    pub remembered_area: String,
}

#[server]
pub async fn idea_form() -> Result<IdeaFormData, AppError> {
    let state = crate::state::app_state()?;
    let remembered_area = crate::services::pages::remembered_area().unwrap_or_default();
    Ok(IdeaFormData {
        areas: super::store::areas_with_organisations(&state.db).await?,
        submission_key: crate::random::token::<16>(),
        remembered_area,
    })
}

#[component]
pub fn NewIdeaPage() -> impl IntoView {
    let state = FormState::for_form(FORM);
    let help_first = use_context::<crate::surveys::answering::page::HelpFirst>().is_some();
    view! {
        <Layout>
            {load_page(idea_form, move |d: IdeaFormData| {
                let state = state.clone();
                let posted = state.feedback().is_some();
                // The same key after a refusal (so a retry is stored once); a
                // fresh one when it was taken away (someone else's form).
                let kept_key = state.value(crate::surveys::answering::rules::IDEMPOTENCY_FIELD);
                let key = if kept_key.is_empty() { d.submission_key.clone() } else { kept_key };
                let area = if posted { state.value("area") } else { d.remembered_area.clone() };
                let category = state.value("category");
                let outcome = state.value("outcome");
                let title = if posted { "Error: Suggest an activity" } else { "Suggest an activity" };
                view! {
                    <Title text=title/>
                    {help_first.then(|| view! { <HelpFirstPanel sent=false/> })}
                    <h1>"Suggest an activity"</h1>
                    <p class="lead">"Something you'd like to do, or somewhere you'd like to go. Youth workers read every idea; once one is checked, others can see and support it."</p>
                    <p class="hint">{crate::copy::ANONYMOUS_NOTE}" "{crate::copy::WRITING_NOTE}</p>
                    <crate::components::FormMessage message=state.summary()/>
                    <form method="post" action="/ideas" class="stack" novalidate>
                        <input type="hidden" name=crate::surveys::answering::rules::IDEMPOTENCY_FIELD value=key/>
                        <TextField id="idea-title" name="title" label="Your idea, in a few words" hint=format!("Up to {TITLE_LIMIT} characters, like \u{201c}A skate park near the library\u{201d}.") value=state.value("title") error=state.error("title") autocomplete="off"/>
                        <TextAreaField id="idea-description" name="description" label="Tell us more (optional)" hint=format!("Who it's for, when, where. Up to {DESCRIPTION_LIMIT} characters.") value=state.value("description") error=state.error("description") rows=5/>
                        <SelectField id="idea-category" name="category" label="Kind of activity" error=state.error("category")>
                            <option value="" selected=category.is_empty()>"Choose one"</option>
                            {Category::ALL.iter().map(|c| view! { <option value=c.key() selected=c.key() == category>{c.label()}</option> }).collect_view()}
                        </SelectField>
                        <SelectField id="idea-area" name="area" label="Area" error=state.error("area")>
                            <option value="" selected=area.is_empty()>"Choose your area"</option>
                            {d.areas.iter().map(|(c, n)| view! { <option value=c.clone() selected=*c == area>{n.clone()}</option> }).collect_view()}
                        </SelectField>
                        <SelectField id="idea-outcome" name="outcome" label="What would it help with? (optional)">
                            <option value="" selected=outcome.is_empty()>"Not sure"</option>
                            {Outcome::ALL.iter().map(|o| view! { <option value=o.key() selected=o.key() == outcome>{o.label()}</option> }).collect_view()}
                        </SelectField>
                        <button type="submit" class="button">"Send my idea"</button>
                    </form>
                }
            })}
        </Layout>
    }
}

/// A suggestion's public page data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeaPageData {
    pub view: SuggestionView,
    /// This phone supported it already.
    pub supported: bool,
}

#[server]
pub async fn idea(public_ref: String) -> Result<IdeaPageData, AppError> {
    let state = crate::state::app_state()?;
    let s = super::store::by_ref(&state.db, &public_ref)
        .await?
        .ok_or(AppError::NotFound)?;
    // Only approved ones are public; a merged one points to where it went.
    if !matches!(s.view.moderation, Moderation::Approved | Moderation::Merged) {
        return Err(AppError::NotFound);
    }
    // A joined idea may never have been approved: the public sees only
    // where it went, never its words.
    if s.view.moderation == Moderation::Merged {
        let mut view = s.view;
        view.title = "An idea joined with another".into();
        view.description = String::new();
        view.area = String::new();
        view.month = String::new();
        view.outcome = None;
        view.notes.clear();
        view.replies.clear();
        return Ok(IdeaPageData {
            view,
            supported: false,
        });
    }
    let phone =
        use_context::<http::request::Parts>().and_then(|p| crate::phone::Phone::known(&state, &p));
    let supported = match phone {
        Some(phone) => {
            let marks = super::store::support_marks(&state.db, s.id, |subject| {
                phone.digest(&state, subject)
            })
            .await?;
            super::store::supported_any(&state.db, &marks).await?
        }
        None => false,
    };
    Ok(IdeaPageData {
        view: s.view,
        supported,
    })
}

#[component]
pub fn IdeaPage() -> impl IntoView {
    let r = use_params_map()
        .read_untracked()
        .get("ref")
        .unwrap_or_default();
    let q = use_query_map().read_untracked().clone();
    let just_supported = q.get("supported").is_some();
    view! {
        <Layout>
            {load_page(move || idea(r.clone()), move |d: IdeaPageData| {
                let v = d.view.clone();
                let support = if v.moderation == Moderation::Merged {
                    None
                } else if d.supported {
                    Some(view! { <p class="panel success-panel" role="status">{if just_supported { "Thanks for your support!" } else { "You support this idea." }}</p> }.into_any())
                } else {
                    Some(view! {
                        <form method="post" action=format!("/ideas/{}/support", v.public_ref) class="stack">
                            <button type="submit" class="button">"I support this idea"</button>
                        </form>
                    }.into_any())
                };
                view! {
                    <Title text=v.title.clone()/>
                    <SuggestionBody view=v/>
                    {support}
                    <p><a href="/ideas">"See other ideas"</a></p>
                }
            })}
        </Layout>
    }
}

/// What a suggestion says and where it stands: for the public page and the
/// author's private link alike.
#[component]
pub fn SuggestionBody(view: SuggestionView) -> impl IntoView {
    let v = view;
    let merged = v.merged_into.clone().map(|(r, t)| view! {
        <p class="notice">"This idea was joined with a similar one, so support for both counts together: "
            <a href=format!("/ideas/{r}")>{t}</a>"."</p>
    });
    view! {
        <h1>{v.title.clone()}</h1>
        {(!v.area.is_empty()).then(|| view! {
            <p class="meta">{v.category.label()}" · "{v.area.clone()}" · suggested in "{v.month.clone()}</p>
        })}
        {v.description.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| view! { <p>{p.trim().to_string()}</p> }).collect_view()}
        {merged}
        {(v.moderation == Moderation::Approved).then(|| view! {
            <p class="status"><strong>{v.status.label()}</strong>" · "{supporters(v.supports)}</p>
        })}
        {(!v.notes.is_empty()).then(|| view! {
            <h2>"Updates"</h2>
            <ul class="timeline">
                {v.notes.iter().map(|(s, note, day)| view! {
                    <li><p><strong>{s.label()}</strong>" · "<span class="meta">{day.clone()}</span></p><p>{note.clone()}</p></li>
                }).collect_view()}
            </ul>
        })}
        {(!v.replies.is_empty()).then(|| view! {
            <h2>"You said, we did"</h2>
            <ReplyList replies=v.replies.clone()/>
        })}
    }
}

/// The private link's page data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyIdeaData {
    pub view: SuggestionView,
}

#[server]
pub async fn my_idea(code: String) -> Result<MyIdeaData, AppError> {
    let state = crate::state::app_state()?;
    if !crate::forms::is_key(&code) {
        return Err(AppError::NotFound);
    }
    let digest = super::store::code_digest(&state, &code);
    let s = super::store::by_code(&state.db, &digest)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(MyIdeaData { view: s.view })
}

/// In the page's context when the suggestion was just sent: the link is
/// shown to keep, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JustSent {
    pub link: String,
}

#[component]
pub fn MyIdeaPage() -> impl IntoView {
    let code = use_params_map()
        .read_untracked()
        .get("code")
        .unwrap_or_default();
    let just_sent = use_context::<JustSent>();
    let help_first = use_context::<crate::surveys::answering::page::HelpFirst>().is_some();
    let save = format!("/my/{code}/save");
    view! {
        <Layout>
            {help_first.then(|| view! { <HelpFirstPanel sent=true/> })}
            {just_sent.map(|j| view! {
                <div class="panel success-panel">
                    <h2>"Thank you: your idea is sent"</h2>
                    <p>"Keep this private link to see when your idea is checked and any reply. It is the only way back to it: heard doesn't know who you are."</p>
                    <label for="my-link">"Your private link"</label>
                    <input id="my-link" class="private-link" type="text" readonly value=j.link.clone()/>
                    <p><crate::components::CopyButton value=j.link.clone() label="Copy the link".to_string()/></p>
                    <p><a class="button secondary" href=save.clone() download="my-heard-idea.txt">"Save the link to your phone"</a></p>
                    <p class="hint">"Or bookmark this page, or copy the link into your notes. Don't share it: anyone with it can see your idea's page."</p>
                </div>
                <crate::components::IslandScripts/>
            })}
            {load_page(move || my_idea(code.clone()), |d: MyIdeaData| {
                let v = d.view.clone();
                let state = match v.moderation {
                    Moderation::Waiting => view! { <p class="notice" role="status">"Waiting to be checked by a youth worker. Come back to this link to see how it's going."</p> }.into_any(),
                    Moderation::Approved => view! { <p class="notice" role="status">"Checked and public: others can see and support it. "<a href=format!("/ideas/{}", v.public_ref)>"See its public page"</a>"."</p> }.into_any(),
                    Moderation::Rejected => view! { <div class="notice" role="status"><p>"Not taken forward."</p>{v.reason.clone().map(|r| view! { <p>{r}</p> })}</div> }.into_any(),
                    Moderation::Merged => view! { <p class="notice" role="status">"Joined with a similar idea, so support for both counts together."</p> }.into_any(),
                };
                view! {
                    <Title text="Your idea"/>
                    <p class="meta">"Your idea"</p>
                    {state}
                    <SuggestionBody view=v/>
                    <p><a href="/ideas">"See other ideas"</a></p>
                }
            })}
        </Layout>
    }
}
