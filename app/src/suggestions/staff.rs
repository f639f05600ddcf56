//! The staff side of suggestions: youth workers of the area's organisations
//! check new ones (approve, reject with a kind reason, join duplicates) and
//! say where approved ones stand, each change with a public note.

use super::QueueItem;
use super::{Moderation, Status, REJECT_REASONS};
use crate::components::{load_page, StaffLayout};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

crate::form_actions! {
    /// What a post to /staff/suggestions asks for.
    pub enum IdeaAction {
        Approve = "approve",
        Reject = "reject",
        Merge = "merge",
        Status = "status",
    }
}

/// Feedback on a suggestion's forms is named by its reference.
pub fn form_name(public_ref: &str) -> String {
    format!("idea-{public_ref}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffIdeasData {
    pub showing: Moderation,
    pub items: Vec<QueueItem>,
    pub page: i64,
    pub more: bool,
    /// Approved ones to join a duplicate with: `(reference, title)`.
    pub targets: Vec<(String, String)>,
}

#[server]
pub async fn staff_ideas(approved: bool, page: Option<i64>) -> Result<StaffIdeasData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let areas = super::store::moderation_areas(&state.db, &user).await?;
    if areas.as_ref().is_some_and(|a| a.is_empty()) {
        return Err(AppError::Forbidden);
    }
    let showing = if approved {
        Moderation::Approved
    } else {
        Moderation::Waiting
    };
    let page = crate::paging::Page::new(page, 30);
    let (items, more) = super::store::queue(&state.db, &areas, showing, page).await?;
    let targets = super::store::approved_in(&state.db, &areas, 200)
        .await?
        .into_iter()
        .map(|(_, r, t)| (r, t))
        .collect();
    Ok(StaffIdeasData {
        showing,
        items,
        page: page.index,
        more,
        targets,
    })
}

#[component]
pub fn StaffIdeasPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let approved = q.get("show").as_deref() == Some("approved");
    let page = q.get("page").and_then(|p| p.parse::<i64>().ok());
    view! {
        <Title text="Suggestions"/>
        <StaffLayout>
            <h1>"Suggestions"</h1>
            <p>"Ideas young people sent for your area. Only approved ones are public; the young person sees a reason if one is not taken forward, and every update you write."</p>
            <nav class="tabs" aria-label="Suggestions">
                <a href="/staff/suggestions" aria-current=(!approved).then_some("page")>"To check"</a>
                " · "
                <a href="/staff/suggestions?show=approved" aria-current=approved.then_some("page")>"Approved"</a>
            </nav>
            {load_page(move || staff_ideas(approved, page), |d: StaffIdeasData| {
                let base = if d.showing == Moderation::Approved { "/staff/suggestions?show=approved&" } else { "/staff/suggestions?" };
                let (page, more) = (d.page, d.more);
                view! {
                    {if d.items.is_empty() {
                        view! { <p>{if d.showing == Moderation::Waiting { "Nothing to check." } else { "No approved suggestions yet." }}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="queue">
                                {d.items.iter().map(|i| view! { <IdeaItem item=i.clone() targets=d.targets.clone()/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(page > 0 || more).then(|| view! {
                        <nav class="pager" aria-label="Pages of suggestions">
                            {(page > 0).then(|| view! { <a rel="prev" href=format!("{base}page={}", page - 1)>"Earlier"</a> })}
                            {more.then(|| view! { <a rel="next" href=format!("{base}page={}", page + 1)>"More"</a> })}
                        </nav>
                    })}
                }
            })}
        </StaffLayout>
    }
}

#[component]
fn IdeaItem(item: QueueItem, targets: Vec<(String, String)>) -> impl IntoView {
    let r = item.public_ref.clone();
    let feedback = crate::forms::Feedback::for_form(&form_name(&r));
    let problem = feedback.as_ref().and_then(|f| {
        f.summary
            .clone()
            .or_else(|| f.fields.first().map(|(_, m)| m.clone()))
    });
    let id = |what: &str| format!("{what}-{r}");
    let targets: Vec<(String, String)> = targets.into_iter().filter(|(t, _)| *t != r).collect();
    let merge = (!targets.is_empty()).then(|| view! {
        <form method="post" action="/staff/suggestions" class="stack">
            <input type="hidden" name="idea" value=r.clone()/>
            <input type="hidden" name="action" value=IdeaAction::Merge.key()/>
            <label for=id("into")>"Same as an approved idea? Join them (supports carry over)"</label>
            <select id=id("into") name="into">
                {targets.iter().map(|(t, title)| view! { <option value=t.clone()>{title.clone()}</option> }).collect_view()}
            </select>
            <button type="submit" class="button secondary">"Join with this idea"</button>
        </form>
    });
    let actions = if item.state == Moderation::Waiting {
        view! {
            <form method="post" action="/staff/suggestions" class="inline">
                <input type="hidden" name="idea" value=r.clone()/>
                <input type="hidden" name="action" value=IdeaAction::Approve.key()/>
                <button type="submit" class="button">"Approve"<span class="visually-hidden">" "{item.title.clone()}</span></button>
            </form>
            <form method="post" action="/staff/suggestions" class="stack">
                <input type="hidden" name="idea" value=r.clone()/>
                <input type="hidden" name="action" value=IdeaAction::Reject.key()/>
                <fieldset>
                    <legend>"Not taking it forward? Tell them why, kindly"</legend>
                    {REJECT_REASONS.iter().enumerate().map(|(i, reason)| {
                        let rid = format!("reason-{r}-{i}");
                        view! { <div class="choice"><input type="radio" id=rid.clone() name="reason_choice" value=i.to_string() checked=i == 0/><label for=rid>{*reason}</label></div> }
                    }).collect_view()}
                    <div class="choice"><input type="radio" id=id("reason-own") name="reason_choice" value="own"/><label for=id("reason-own")>"In my own words:"</label></div>
                    <label for=id("reason") class="visually-hidden">"Your reason"</label>
                    <textarea id=id("reason") name="reason" rows="2"></textarea>
                </fieldset>
                <button type="submit" class="button secondary">"Don't take it forward"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/staff/suggestions" class="stack">
                <input type="hidden" name="idea" value=r.clone()/>
                <input type="hidden" name="action" value=IdeaAction::Status.key()/>
                <input type="hidden" name="from" value=item.status.key()/>
                <label for=id("status")>"Where it stands now"</label>
                <select id=id("status") name="status">
                    {Status::ALL.iter().filter(|s| **s != Status::New).map(|s| view! { <option value=s.key() selected=*s == item.status>{s.label()}</option> }).collect_view()}
                </select>
                <label for=id("note")>"A short note young people will see"</label>
                <textarea id=id("note") name="note" rows="2"></textarea>
                <button type="submit" class="button">"Save update"</button>
            </form>
        }
        .into_any()
    };
    view! {
        <li class="card" id=format!("idea-{r}")>
            {problem.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <h2 class="h3">{item.title.clone()}</h2>
            {item.offensive.then(|| view! { <p class="flag">"May contain offensive language"</p> })}
            <blockquote class="free-text">{item.description.clone()}</blockquote>
            <p class="meta">{item.category.label()}" · "{item.area.clone()}" · "{item.status.label()}" · "{format!("{} supporters", item.supports)}</p>
            {actions}
            {merge}
        </li>
    }
}
