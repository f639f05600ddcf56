//! Safeguarding: what a young person wrote that matched the risk list goes to
//! their organisation's safeguarding leads, and only to them (and heard's
//! administrators). The lead reads the item, records what they did and where
//! it stands; every look and every action is in the audit log. Leads keep
//! their organisation's own risk phrases; administrators keep everyone's.

use crate::components::{load_page, FieldErrors, FormMessage, FormState, Pager, StaffLayout};
use crate::error::AppError;
use crate::forms::OnceKey;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use rules::{ItemStatus, LeadAction, ACTION_FIELD, NOTE_FIELD, STATUS_FIELD};
use serde::{Deserialize, Serialize};

pub mod rules;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod store;

/// Items on one page of the queue.
pub const ITEMS_PER_PAGE: i64 = 25;
/// The form on an item's page.
pub const UPDATE_FORM: &str = "item";
/// The form on the phrases page.
pub const PHRASE_FORM: &str = "phrase";
/// Someone else saved a record on the item since this lead opened it.
pub const SAVED_MEANWHILE: &str = "Someone else recorded something on this item since you opened it. Read the history below, then save your record again.";

crate::form_actions! {
    /// What a post to /staff/safeguarding/phrases asks for.
    pub enum PhraseAction {
        AddForEveryone = "add_everyone",
        AddForOrganisation = "add_organisation",
        Remove = "remove",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub id: i64,
    pub organisation: String,
    pub survey: String,
    pub question: String,
    pub phrase: String,
    pub at: String,
    pub status: ItemStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<ItemSummary>,
    pub closed: bool,
    pub page: i64,
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDetail {
    pub id: i64,
    pub organisation: String,
    pub survey_id: i64,
    pub survey: String,
    pub question: String,
    /// What they wrote, personal details and all; `None` once deleted.
    pub text: Option<String>,
    /// Personal details were taken out of what everyone else would see.
    pub redacted_differs: bool,
    pub phrase: String,
    pub at: String,
    pub age_band: Option<String>,
    pub area: Option<String>,
    pub status: ItemStatus,
    pub action: Option<LeadAction>,
    pub note: String,
    /// When the record was last saved (0: never): a save must say it saw this.
    pub version: i64,
    /// `(question, answer)`: the rest of the same young person's response.
    pub rest_of_response: Vec<(String, String)>,
    /// What was recorded before, newest first.
    pub history: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhraseRow {
    pub id: i64,
    pub phrase: String,
    /// When and by whom.
    pub added: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhrasesPageData {
    /// heard's standard list.
    pub standard: Vec<String>,
    pub for_everyone: Vec<PhraseRow>,
    pub may_edit_everyone: bool,
    /// `(organisation name, its phrases)` for a lead.
    pub for_organisation: Option<(String, Vec<PhraseRow>)>,
}

#[server(endpoint = "safeguarding_queue")]
pub async fn safeguarding_queue(closed: bool, page: Option<i64>) -> Result<QueuePage, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let page = crate::paging::Page::new(page, ITEMS_PER_PAGE);
    store::queue(&state.db, &user, closed, page).await
}

#[server(endpoint = "safeguarding_item")]
pub async fn safeguarding_item(id: i64) -> Result<ItemDetail, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if user.safeguarding_reach() == crate::accounts::Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    store::item(&state.db, &user, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// New items for the viewer, for the navigation; none for anyone who may not
/// open a queue.
#[server(endpoint = "safeguarding_new_count")]
pub async fn safeguarding_new_count() -> Result<i64, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    store::new_count(&state.db, &user.safeguarding_reach()).await
}

#[server(endpoint = "risk_phrases_page")]
pub async fn risk_phrases_page() -> Result<PhrasesPageData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let lead_of = user.safeguarding_lead_of();
    if !user.may_add_risk_phrases_for_everyone() && lead_of.is_none() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    let for_organisation = match lead_of {
        Some(org) => Some((
            user.organisation.clone().unwrap_or_default(),
            store::phrases(&state.db, Some(org)).await?,
        )),
        None => None,
    };
    Ok(PhrasesPageData {
        standard: crate::words::risk::RiskList::standard_phrases()
            .map(str::to_string)
            .collect(),
        for_everyone: store::phrases(&state.db, None).await?,
        may_edit_everyone: user.may_add_risk_phrases_for_everyone(),
        for_organisation,
    })
}

/// "Safeguarding (3 new)" in the staff navigation, for those who may open a queue.
#[component]
pub fn SafeguardingNavLink() -> impl IntoView {
    let count = Resource::new_blocking(|| (), |_| safeguarding_new_count());
    view! {
        <li>
            <a href="/staff/safeguarding">
                "Safeguarding"
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match count.await {
                            Ok(n) if n > 0 => view! { " "<span class="count">{format!("{n} new")}</span> }.into_any(),
                            _ => ().into_any(),
                        }
                    })}
                </Suspense>
            </a>
        </li>
    }
}

fn status_tag(status: ItemStatus) -> impl IntoView {
    let class = format!("tag tag-{}", status.key().replace('_', "-"));
    view! { <span class=class>{status.label()}</span> }
}

#[component]
pub fn QueuePage(closed: bool) -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    let (title, base, other, other_label) = if closed {
        (
            "Closed safeguarding items",
            "/staff/safeguarding/closed",
            "/staff/safeguarding",
            "Open items",
        )
    } else {
        (
            "Safeguarding",
            "/staff/safeguarding",
            "/staff/safeguarding/closed",
            "Closed items",
        )
    };
    view! {
        <Title text=title/>
        <StaffLayout>
            {load_page(move || safeguarding_queue(closed, page), move |q: QueuePage| {
                let empty = q.items.is_empty();
                let rows = q.items.into_iter().map(|i| view! {
                    <li class="card">
                        <p><a href=format!("/staff/safeguarding/{}", i.id)><strong>{format!("Item {}", i.id)}</strong></a>
                           " · "{status_tag(i.status)}" · "{i.at}</p>
                        <p>{i.survey}" · "{i.question}</p>
                        <p class="hint">"Matched: “"{i.phrase}"” · "{i.organisation}</p>
                    </li>
                }).collect_view();
                view! {
                    <h1>{title}</h1>
                    <p>"What young people wrote that matched the risk list. Only safeguarding leads and administrators can open these; every look is recorded."</p>
                    <p><a href=other>{other_label}</a>" · "<a href="/staff/safeguarding/phrases">"Risk phrases"</a></p>
                    {empty.then(|| view! { <p>{if closed { "No closed items." } else { "Nothing is waiting." }}</p> })}
                    <ul class="cards">{rows}</ul>
                    <Pager base=base page=q.page more=q.more label="Pages of items" earlier="Earlier items" later="More items"/>
                }
            })}
        </StaffLayout>
    }
}

#[component]
pub fn ItemPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    let form = FormState::for_form(UPDATE_FORM);
    let saved = use_query_map().read_untracked().get("saved").is_some();
    view! {
        <Title text=format!("Safeguarding item {id}")/>
        <StaffLayout>
            {load_page(move || safeguarding_item(id), move |i: ItemDetail| {
                let form = form.clone();
                let chosen_status = form.feedback().map(|_| form.value(STATUS_FIELD)).unwrap_or_else(|| i.status.key().to_string());
                let chosen_action = form.feedback().map(|_| form.value(ACTION_FIELD))
                    .unwrap_or_else(|| i.action.map(|a| a.key().to_string()).unwrap_or_default());
                let note = form.feedback().map(|_| form.value(NOTE_FIELD)).unwrap_or_else(|| i.note.clone());
                let statuses = ItemStatus::ALL.into_iter().map(|s| {
                    let id = format!("item-status-{}", s.key().replace('_', "-"));
                    let checked = chosen_status == s.key();
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name=STATUS_FIELD value=s.key() checked=checked/>
                            <label for=id>{s.label()}</label>
                        </div>
                    }
                }).collect_view();
                let actions = LeadAction::ALL.into_iter().map(|a| {
                    let id = format!("item-action-{}", a.key().replace('_', "-"));
                    let checked = chosen_action == a.key();
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name=ACTION_FIELD value=a.key() checked=checked/>
                            <label for=id>{a.label()}</label>
                        </div>
                    }
                }).collect_view();
                let no_history = i.history.is_empty();
                let history = i.history.into_iter().map(|h| view! { <li>{h}</li> }).collect_view();
                view! {
                    <p><a href="/staff/safeguarding">"Back to the queue"</a></p>
                    <h1>{format!("Safeguarding item {}", i.id)}</h1>
                    {saved.then(|| view! { <p class="notice" role="status">"Saved. It is in the history below."</p> })}
                    <FieldErrors feedback=form.feedback() prefix="item"/>
                    <FormMessage message=form.summary()/>
                    <dl class="facts">
                        <dt>"Where"</dt><dd>{i.organisation}" · "{if i.survey_id > 0 {
                            view! { <a href=format!("/staff/surveys/{}/results", i.survey_id)>{i.survey}</a> }.into_any()
                        } else {
                            view! { <span>{i.survey}</span> }.into_any()
                        }}</dd>
                        <dt>"Question"</dt><dd>{i.question}</dd>
                        <dt>"When"</dt><dd>{i.at}</dd>
                        <dt>"Age"</dt><dd>{i.age_band.unwrap_or_else(|| "Not given".into())}</dd>
                        <dt>"Area"</dt><dd>{i.area.unwrap_or_else(|| "Not given".into())}</dd>
                        <dt>"Matched"</dt><dd>"“"{i.phrase}"”"</dd>
                        <dt>"Status"</dt><dd>{status_tag(i.status)}</dd>
                    </dl>
                    <h2>"What they wrote"</h2>
                    {match i.text {
                        Some(t) => view! { <blockquote class="free-text">{t}</blockquote> }.into_any(),
                        None => view! { <p>"The text has been deleted."</p> }.into_any(),
                    }}
                    {i.redacted_differs.then(|| view! {
                        <p class="hint">"This is exactly what they wrote. Personal details in it were taken out of every other view."</p>
                    })}
                    {(!i.rest_of_response.is_empty()).then(|| view! {
                        <details>
                            <summary>"The rest of their answers"</summary>
                            <dl class="facts">
                                {i.rest_of_response.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
                            </dl>
                        </details>
                    })}
                    <p class="hint">"heard does not know who wrote this: answers are anonymous. The young person was shown Childline, Shout, 999 and “talk to an adult you trust” straight after sending."</p>
                    <h2>"Record what you did"</h2>
                    <form method="post" action=format!("/staff/safeguarding/{}", i.id) class="stack">
                        <OnceKey/>
                        <input type="hidden" name="seen" value=i.version.to_string()/>
                        <fieldset class="field">
                            <legend>"Where it stands"</legend>
                            <p class="field-error" id="item-status-error" hidden=form.error(STATUS_FIELD).is_none()>{form.error(STATUS_FIELD)}</p>
                            {statuses}
                        </fieldset>
                        <fieldset class="field">
                            <legend>"What you did"</legend>
                            <p class="field-error" id="item-lead-action-error" hidden=form.error(ACTION_FIELD).is_none()>{form.error(ACTION_FIELD)}</p>
                            {actions}
                        </fieldset>
                        <crate::components::TextAreaField id="item-note" name=NOTE_FIELD label="Note"
                            hint="Which service, who you spoke to, what happens next. Required for “named service” and “other”. Closing with “no concern” releases their words: they wait for a moderator like any others."
                            error=form.error(NOTE_FIELD) value=note/>
                        <button class="button" type="submit">"Save"</button>
                    </form>
                    <h2>"History"</h2>
                    {no_history.then(|| view! { <p>"Nothing recorded yet."</p> })}
                    <ul class="history">{history}</ul>
                }
            })}
        </StaffLayout>
    }
}

#[component]
pub fn PhrasesPage() -> impl IntoView {
    let form = FormState::for_form(PHRASE_FORM);
    view! {
        <Title text="Risk phrases"/>
        <StaffLayout>
            {load_page(risk_phrases_page, move |d: PhrasesPageData| {
                let form = form.clone();
                let list = |rows: Vec<PhraseRow>, editable: bool| {
                    let empty = rows.is_empty();
                    view! {
                        {empty.then(|| view! { <p>"None added yet."</p> })}
                        <ul class="cards">
                            {rows.into_iter().map(|p| view! {
                                <li class="card">
                                    <p><strong>{p.phrase.clone()}</strong></p>
                                    <p class="hint">"Added "{p.added}</p>
                                    {editable.then(|| view! {
                                        <form method="post" action="/staff/safeguarding/phrases" class="inline">
                                            <OnceKey/>
                                            <input type="hidden" name="action" value=PhraseAction::Remove.key()/>
                                            <input type="hidden" name="id" value=p.id.to_string()/>
                                            <button type="submit" class="link-button">"Remove"<span class="visually-hidden">" “"{p.phrase.clone()}"”"</span></button>
                                        </form>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                };
                let add = |action: PhraseAction, label: &'static str| {
                    let id = format!("phrase-{}", action.key().replace('_', "-"));
                    view! {
                        <form method="post" action="/staff/safeguarding/phrases" class="stack">
                            <OnceKey/>
                            <input type="hidden" name="action" value=action.key()/>
                            <crate::components::TextField id=id name="phrase" label=label
                                hint="A word or a few words. Matching ignores case, accents, repeated letters, look-alike spellings and spaces. End a word with * to match its endings (hit* matches hits, hitting)."
                                error=form.error("phrase") value=form.value("phrase") autocomplete="off"/>
                            <button class="button" type="submit">"Add phrase"</button>
                        </form>
                    }
                };
                let standard_len = d.standard.len();
                view! {
                    <p><a href="/staff/safeguarding">"Back to the queue"</a></p>
                    <h1>"Risk phrases"</h1>
                    <p>"Anything a young person writes that matches one of these goes to their organisation's safeguarding lead, and they are shown where to get help. Changes apply from the next answer sent."</p>
                    <FormMessage message=form.summary()/>
                    <h2>"Added for everyone"</h2>
                    {d.may_edit_everyone.then(|| add(PhraseAction::AddForEveryone, "Add a phrase for every organisation"))}
                    {list(d.for_everyone, d.may_edit_everyone)}
                    {d.for_organisation.map(|(name, rows)| view! {
                        <h2>{format!("Added for {name}")}</h2>
                        {add(PhraseAction::AddForOrganisation, "Add a phrase for your organisation")}
                        {list(rows, true)}
                    })}
                    <h2>{format!("heard's standard list ({standard_len} phrases)")}</h2>
                    <details>
                        <summary>"Show the standard list"</summary>
                        <ul class="phrase-list">{d.standard.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    </details>
                }
            })}
        </StaffLayout>
    }
}
