//! "You said, we did" pages: the public list per organisation or per area,
//! the replies shown beside what they answer, and the staff page to publish
//! them.

use super::{LinkKind, ReplyCard};
use crate::components::{
    load_page, FormMessage, FormState, Layout, StaffLayout, TextAreaField, TextField,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The staff form's name, for feedback.
pub const FORM: &str = "reply";

/// Replies as cards: what young people said, what was done, when.
#[component]
pub fn ReplyList(replies: Vec<ReplyCard>) -> impl IntoView {
    view! {
        <ul class="replies">
            {replies.into_iter().map(|r| view! {
                <li class="card reply">
                    <p class="said"><strong>"You said: "</strong>{r.said}</p>
                    <div class="did">
                        <p><strong>"We did: "</strong></p>
                        // Cleaned with ammonia on the server when it was saved.
                        <div inner_html=r.did_html></div>
                    </div>
                    <p class="meta">{r.when}" · "{r.organisation}" · published "{r.published}</p>
                    {(!r.links.is_empty()).then(|| view! {
                        <p class="meta">"About: "
                            {r.links.into_iter().enumerate().map(|(i, (label, href))| view! {
                                {(i > 0).then_some("; ")}
                                {match href {
                                    Some(h) => view! { <a href=h>{label}</a> }.into_any(),
                                    None => view! { <span>{label}</span> }.into_any(),
                                }}
                            }).collect_view()}
                        </p>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicRepliesData {
    /// "Northfield Youth Service", "Birmingham", or "everyone".
    pub whose: Option<String>,
    pub replies: Vec<ReplyCard>,
    pub page: i64,
    pub more: bool,
    pub query: String,
    /// Stories of change organisations chose to publish (the first page
    /// only): `(organisation, what young people said, what changed, when)`.
    pub changes: Vec<(String, String, String, String)>,
}

#[server]
pub async fn public_replies(
    organisation: Option<i64>,
    area: Option<String>,
    page: Option<i64>,
) -> Result<PublicRepliesData, AppError> {
    let state = crate::state::app_state()?;
    let page = crate::paging::Page::new(page, super::PER_PAGE);
    let (scope, whose, query) = match (organisation, area) {
        (Some(o), _) => {
            let name: Option<(String,)> =
                sqlx::query_as("SELECT name FROM organisations WHERE id = $1")
                    .bind(o)
                    .fetch_optional(state.db.pool())
                    .await?;
            let (name,) = name.ok_or(AppError::NotFound)?;
            (
                super::store::Scope::Organisation(o),
                Some(name),
                format!("organisation={o}&"),
            )
        }
        (None, Some(a)) if !a.is_empty() => {
            let name: Option<(String,)> = sqlx::query_as("SELECT name FROM areas WHERE code = $1")
                .bind(&a)
                .fetch_optional(state.db.pool())
                .await?;
            let (name,) = name.ok_or(AppError::NotFound)?;
            let query = format!("area={a}&");
            (super::store::Scope::Area(a), Some(name), query)
        }
        _ => (super::store::Scope::Everyone, None, String::new()),
    };
    let (replies, more) = super::store::list(&state.db, &scope, page).await?;
    let changes = if page.index == 0 {
        let (org, area) = match &scope {
            super::store::Scope::Organisation(o) => (Some(*o), None),
            super::store::Scope::Area(a) => (None, Some(a.as_str())),
            _ => (None, None),
        };
        crate::standards::store::public_stories(&state.db, org, area, 10)
            .await?
            .into_iter()
            .map(|(o, said, changed, on)| (o, said, changed, crate::db::human_day(on)))
            .collect()
    } else {
        vec![]
    };
    Ok(PublicRepliesData {
        changes,
        whose,
        replies,
        page: page.index,
        more,
        query,
    })
}

#[component]
pub fn YouSaidPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let organisation = q.get("organisation").and_then(|o| o.parse::<i64>().ok());
    let area = q.get("area");
    let page = q.get("page").and_then(|p| p.parse::<i64>().ok());
    view! {
        <Layout>
            {load_page(move || public_replies(organisation, area.clone(), page), |d: PublicRepliesData| {
                let title = match &d.whose {
                    Some(w) => format!("You said, we did: {w}"),
                    None => "You said, we did".to_string(),
                };
                let (page, more, query) = (d.page, d.more, d.query.clone());
                view! {
                    <Title text=title.clone()/>
                    <h1>{title}</h1>
                    <p class="lead">"What young people told services, and what the services did about it."</p>
                    {if d.replies.is_empty() {
                        view! { <p>"No replies yet."</p> }.into_any()
                    } else {
                        view! { <ReplyList replies=d.replies.clone()/> }.into_any()
                    }}
                    {(!d.changes.is_empty()).then(|| view! {
                        <h2>"What's changed"</h2>
                        <ul class="queue">
                            {d.changes.iter().map(|(org, said, changed, when)| view! {
                                <li class="card">
                                    <p><strong>"You said: "</strong>{said.clone()}</p>
                                    <p><strong>"What changed: "</strong>{changed.clone()}</p>
                                    <p class="meta">{format!("{org}, {when}")}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(page > 0 || more).then(|| view! {
                        <nav class="pager" aria-label="Pages of replies">
                            {(page > 0).then(|| view! { <a rel="prev" href=format!("/you-said-we-did?{query}page={}", page - 1)>"Newer"</a> })}
                            {more.then(|| view! { <a rel="next" href=format!("/you-said-we-did?{query}page={}", page + 1)>"Older"</a> })}
                        </nav>
                    })}
                }
            })}
        </Layout>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRepliesData {
    pub organisation_id: i64,
    pub organisation: String,
    pub replies: Vec<ReplyCard>,
    pub linkable: Vec<(LinkKind, i64, String)>,
    pub page: i64,
    pub more: bool,
}

#[server]
pub async fn staff_replies(page: Option<i64>) -> Result<StaffRepliesData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let org = user
        .organisation_id
        .filter(|o| user.may_manage_surveys_of(*o))
        .ok_or(AppError::Forbidden)?;
    let page = crate::paging::Page::new(page, super::PER_PAGE);
    let (replies, more) =
        super::store::list(&state.db, &super::store::Scope::Organisation(org), page).await?;
    Ok(StaffRepliesData {
        organisation_id: org,
        organisation: user.organisation.clone().unwrap_or_default(),
        replies,
        linkable: super::store::linkable(&state.db, org).await?,
        page: page.index,
        more,
    })
}

#[component]
pub fn StaffRepliesPage() -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    let state = FormState::for_form(FORM);
    view! {
        <Title text="You said, we did"/>
        <StaffLayout>
            <h1>"You said, we did"</h1>
            {load_page(move || staff_replies(page), move |d: StaffRepliesData| {
                let state = state.clone();
                let kind_name = |k: LinkKind| match k {
                    LinkKind::Service => "Ratings of your services",
                    LinkKind::Suggestion => "Suggestions in your area",
                    LinkKind::Survey => "Your surveys",
                };
                view! {
                    <p>"Tell young people what you did with what they said. Replies are public: on "
                        <a href=format!("/you-said-we-did?organisation={}", d.organisation_id)>"your organisation's page"</a>
                        ", on your area's page, and beside the services, suggestions and surveys they answer."</p>
                    <h2>"Publish a reply"</h2>
                    <FormMessage message=state.summary()/>
                    <form method="post" action="/staff/replies" class="stack">
                        <input type="hidden" name="action" value="publish"/>
                        <crate::forms::OnceKey/>
                        <TextAreaField id="reply-said" name="said" label="You said" hint="What young people told you, in their words where you can: \u{201c}The club should open on Fridays.\u{201d}" value=state.value("said") error=state.error("said") rows=2/>
                        <TextAreaField id="reply-did" name="did" label="We did" hint="What you did or will do. A blank line starts a new paragraph; lines starting \u{201c}- \u{201d} make a list; simple HTML links work." value=state.value("did") error=state.error("did") rows=5/>
                        <TextField id="reply-when" name="when" label="When" hint="For example \u{201c}From January 2027\u{201d} or \u{201c}Done in November 2026\u{201d}." value=state.value("when") error=state.error("when") autocomplete="off"/>
                        {LinkKind::ALL.into_iter().map(|k| {
                            let options: Vec<(i64, String)> = d.linkable.iter().filter(|(kind, ..)| *kind == k).map(|(_, id, l)| (*id, l.clone())).collect();
                            (!options.is_empty()).then(|| view! {
                                <fieldset class="checkboxes">
                                    <legend>{kind_name(k)}" it answers"</legend>
                                    {options.into_iter().map(|(id, label)| {
                                        let field_id = format!("link-{}-{id}", k.key());
                                        let value = format!("{}:{id}", k.key());
                                        let checked = state.chosen("links", &value);
                                        view! { <div class="choice"><input type="checkbox" id=field_id.clone() name="links" value=value checked=checked/><label for=field_id>{label}</label></div> }
                                    }).collect_view()}
                                </fieldset>
                            })
                        }).collect_view()}
                        <button type="submit" class="button">"Publish"</button>
                    </form>
                    <h2>"Published"</h2>
                    {if d.replies.is_empty() {
                        view! { <p>"Nothing published yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="published">
                                {d.replies.iter().map(|r| view! {
                                    <li>
                                        <ReplyList replies=vec![r.clone()]/>
                                        <form method="post" action="/staff/replies" class="inline">
                                            <input type="hidden" name="action" value="remove"/>
                                            <input type="hidden" name="reply" value=r.id.to_string()/>
                                            <button type="submit" class="link-button">"Take down"<span class="visually-hidden">" the reply about "{r.said.clone()}</span></button>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <crate::components::Pager base="/staff/replies" page=d.page more=d.more label="Pages of replies" earlier="Newer" later="Older"/>
                }
            })}
        </StaffLayout>
    }
}
