//! Moderation: every free-text answer waits for a person (a youth worker or
//! above in the organisation) before it may leave the organisation. Offensive
//! language comes first in the queue. A moderator approves, hides (with a
//! reason) or takes more out; never puts back what was taken out. Answers
//! with the safeguarding lead are not here: only the lead reads them.

use crate::components::{load_page, FormMessage, FormState, Pager, StaffLayout};
use crate::error::AppError;
use crate::forms::OnceKey;
use crate::words::redaction::REMOVED;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;

pub const ITEMS_PER_PAGE: i64 = 20;
pub const REASON_LIMIT: usize = 200;
/// Which answer's form was posted: `moderate-{public reference}`.
pub fn form_name(public_ref: &str) -> String {
    format!("moderate-{public_ref}")
}
/// Messages about the queue as a whole.
pub const QUEUE_FORM: &str = "moderation";
pub const ALREADY_DECIDED: &str = "Someone else dealt with that answer, or changed it, since you opened this page. The queue below is up to date: look again.";

crate::form_actions! {
    /// What a post to /staff/moderation asks for.
    pub enum ModerationAction {
        Approve = "approve",
        Hide = "hide",
        /// Take more out of the text.
        Redact = "redact",
    }
}

/// Where a free-text answer stands, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FreeTextState {
    /// Waiting for a moderator; offensive language flagged or not.
    Waiting {
        offensive: bool,
    },
    Approved,
    Hidden {
        reason: String,
    },
    /// Matched the risk list: only the safeguarding lead reads it.
    WithSafeguardingLead,
}

impl FreeTextState {
    /// From the stored `state`, `offensive`, `at_risk` and `reason`.
    pub fn from_stored(state: &str, offensive: bool, at_risk: bool, reason: String) -> Self {
        if at_risk {
            return FreeTextState::WithSafeguardingLead;
        }
        match state {
            "approved" => FreeTextState::Approved,
            "hidden" => FreeTextState::Hidden { reason },
            _ => FreeTextState::Waiting { offensive },
        }
    }

    /// Whether the organisation's own results show the words.
    pub fn shown_in_results(&self) -> bool {
        matches!(
            self,
            FreeTextState::Waiting { .. } | FreeTextState::Approved
        )
    }

    /// Whether the organisation's own download of every response holds the
    /// words: as its results show them, less anything flagged as offensive.
    pub fn in_own_download(&self) -> bool {
        matches!(
            self,
            FreeTextState::Waiting { offensive: false } | FreeTextState::Approved
        )
    }

    /// Whether the words may leave the organisation (commissioners, exports,
    /// feeds, the projector): approved, and then only ever the redacted text.
    pub fn may_leave_organisation(&self) -> bool {
        *self == FreeTextState::Approved
    }

    pub fn label(&self) -> String {
        match self {
            FreeTextState::Waiting { offensive: false } => "Waiting for a moderator".into(),
            FreeTextState::Waiting { offensive: true } => {
                "Offensive language: waiting for a moderator".into()
            }
            FreeTextState::Approved => "Approved".into(),
            FreeTextState::Hidden { reason } => format!("Hidden by a moderator: {reason}"),
            FreeTextState::WithSafeguardingLead => "With the safeguarding lead".into(),
        }
    }

    pub fn class(&self) -> &'static str {
        match self {
            FreeTextState::Waiting { offensive: false } => "tag tag-waiting",
            FreeTextState::Waiting { offensive: true } => "tag tag-offensive",
            FreeTextState::Approved => "tag tag-approved",
            FreeTextState::Hidden { .. } => "tag tag-hidden",
            FreeTextState::WithSafeguardingLead => "tag tag-safeguarding",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationItem {
    /// Random: forms name the answer by it, never by its id.
    pub public_ref: String,
    pub organisation: String,
    pub survey_id: i64,
    pub survey: String,
    pub question: String,
    /// The redacted text.
    pub text: String,
    pub offensive: bool,
    /// Kinds of personal detail taken out, as markers.
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationPage {
    pub items: Vec<ModerationItem>,
    pub page: i64,
    pub more: bool,
}

#[server(endpoint = "moderation_queue")]
pub async fn moderation_queue(page: Option<i64>) -> Result<ModerationPage, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let reach = user.moderation_reach();
    if reach == crate::accounts::Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    let page = crate::paging::Page::new(page, ITEMS_PER_PAGE);
    store::queue(&state.db, &reach, page).await
}

#[component]
pub fn ModerationQueuePage() -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    let message = FormState::for_form(QUEUE_FORM).summary();
    view! {
        <Title text="Moderation"/>
        <StaffLayout>
            {load_page(move || moderation_queue(page), move |q: ModerationPage| {
                let message = message.clone();
                let empty = q.items.is_empty();
                let items = q.items.into_iter().map(|i| view! { <ModerationCard item=i/> }).collect_view();
                view! {
                    <h1>"Moderation"</h1>
                    <p>"Young people's words wait here before they can leave your organisation (for commissioners, exports or a projector). Offensive language comes first. Approve, hide with a reason, or take more out: you can remove words, never put back what was taken out."</p>
                    <FormMessage message=message/>
                    {empty.then(|| view! { <p>"Nothing is waiting."</p> })}
                    <ul class="cards">{items}</ul>
                    <Pager base="/staff/moderation" page=q.page more=q.more label="Pages of answers" earlier="Earlier answers" later="More answers"/>
                }
            })}
        </StaffLayout>
    }
}

#[component]
fn ModerationCard(item: ModerationItem) -> impl IntoView {
    let id = item.public_ref.clone();
    let form = FormState::for_form(&form_name(&id));
    let (answer, seen) = (id.clone(), item.text.clone());
    let hidden_fields = move |action: ModerationAction| {
        view! {
            <OnceKey/>
            <input type="hidden" name="action" value=action.key()/>
            <input type="hidden" name="answer" value=answer.clone()/>
            <input type="hidden" name="seen" value=seen.clone()/>
        }
    };
    let edited = form
        .feedback()
        .map(|_| form.value("text"))
        .unwrap_or_else(|| item.text.clone());
    let heading = format!("answer-{id}");
    view! {
        <li class="card">
            <h2 class="card-title" id=heading>{item.survey.clone()}" · "{item.question.clone()}</h2>
            {item.offensive.then(|| view! { <p><span class="tag tag-offensive">"Offensive language"</span></p> })}
            <blockquote class="free-text">{item.text.clone()}</blockquote>
            {(!item.removed.is_empty()).then(|| view! {
                <p class="hint">"Already taken out: "{item.removed.join(", ")}</p>
            })}
            <FormMessage message=form.summary()/>
            <div class="actions">
                <form method="post" action="/staff/moderation" class="inline">
                    {hidden_fields(ModerationAction::Approve)}
                    <button class="button" type="submit">"Approve"</button>
                </form>
            </div>
            <details open=form.error("reason").is_some()>
                <summary>"Hide it"</summary>
                <form method="post" action="/staff/moderation" class="stack">
                    {hidden_fields(ModerationAction::Hide)}
                    <crate::components::TextField id=format!("reason-{id}") name="reason" label="Why hide it?"
                        hint="Staff see this reason in the results."
                        error=form.error("reason") value=form.value("reason") autocomplete="off"/>
                    <button class="button secondary" type="submit">"Hide"</button>
                </form>
            </details>
            <details open=form.error("text").is_some()>
                <summary>"Take more out"</summary>
                <form method="post" action="/staff/moderation" class="stack">
                    {hidden_fields(ModerationAction::Redact)}
                    <crate::components::TextAreaField id=format!("text-{id}") name="text" label="The answer with more taken out"
                        hint=format!("Delete words, or replace them with {REMOVED}. Nothing can be added.")
                        error=form.error("text") value=edited/>
                    <button class="button secondary" type="submit">"Save"</button>
                </form>
            </details>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::FreeTextState;

    #[test]
    fn only_approved_words_leave_the_organisation_and_held_ones_are_never_shown() {
        let waiting = FreeTextState::from_stored("waiting", true, false, String::new());
        assert_eq!(waiting, FreeTextState::Waiting { offensive: true });
        assert!(waiting.shown_in_results() && !waiting.may_leave_organisation());
        let approved = FreeTextState::from_stored("approved", false, false, String::new());
        assert!(approved.may_leave_organisation());
        // With the lead, whatever a moderator did before.
        let held = FreeTextState::from_stored("approved", false, true, String::new());
        assert_eq!(held, FreeTextState::WithSafeguardingLead);
        assert!(!held.shown_in_results() && !held.may_leave_organisation());
        let hidden = FreeTextState::from_stored("hidden", false, false, "rude".into());
        assert!(!hidden.shown_in_results() && !hidden.may_leave_organisation());
        assert_eq!(hidden.label(), "Hidden by a moderator: rude");
    }
}
