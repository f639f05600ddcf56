//! The audit log: every account action (colleagues added, one-time passwords
//! given out, access removed or given back, passwords changed), every look at
//! and action on a safeguarding item, every moderation and every change to the
//! risk phrases, written in
//! the same transaction as the action itself, so neither happens without the
//! other. Administrators read it at `/staff/audit`; nobody can change it (the
//! database refuses updates and deletes).

use crate::components::{load_page, StaffLayout};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod store;

/// What was done. Stored by [`AuditAction::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    MemberAdded,
    OneTimePassword,
    AccessRemoved,
    AccessRestored,
    PasswordChanged,
    SafeguardingQueueViewed,
    SafeguardingItemViewed,
    SafeguardingItemUpdated,
    /// Deleted by the retention job once closed for long enough.
    SafeguardingItemDeleted,
    RiskPhraseAdded,
    RiskPhraseRemoved,
    AnswerApproved,
    AnswerHidden,
    AnswerRedacted,
    /// What young people wrote before details were taken out, deleted by the
    /// retention job.
    OriginalsDeleted,
    ServiceAdded,
    ServicesImported,
    ServiceChanged,
    SuggestionApproved,
    SuggestionRejected,
    SuggestionMerged,
    SuggestionUpdated,
    ReplyPublished,
    ReplyRemoved,
    /// Downloaded an export (what, and which filter, in the detail).
    Exported,
    PopulationsLoaded,
    FrameworkImported,
    AssessmentStarted,
    DocumentUploaded,
    DocumentOpened,
    /// A hub took on a heard instance's feed.
    InstanceRegistered,
    /// A hub stopped collecting an instance's feed (its figures left the
    /// national view).
    InstanceRemoved,
}

impl AuditAction {
    pub const ALL: [AuditAction; 32] = [
        AuditAction::MemberAdded,
        AuditAction::OneTimePassword,
        AuditAction::AccessRemoved,
        AuditAction::AccessRestored,
        AuditAction::PasswordChanged,
        AuditAction::SafeguardingQueueViewed,
        AuditAction::SafeguardingItemViewed,
        AuditAction::SafeguardingItemUpdated,
        AuditAction::SafeguardingItemDeleted,
        AuditAction::RiskPhraseAdded,
        AuditAction::RiskPhraseRemoved,
        AuditAction::AnswerApproved,
        AuditAction::AnswerHidden,
        AuditAction::AnswerRedacted,
        AuditAction::OriginalsDeleted,
        AuditAction::ServiceAdded,
        AuditAction::ServicesImported,
        AuditAction::ServiceChanged,
        AuditAction::SuggestionApproved,
        AuditAction::SuggestionRejected,
        AuditAction::SuggestionMerged,
        AuditAction::SuggestionUpdated,
        AuditAction::ReplyPublished,
        AuditAction::ReplyRemoved,
        AuditAction::Exported,
        AuditAction::PopulationsLoaded,
        AuditAction::FrameworkImported,
        AuditAction::AssessmentStarted,
        AuditAction::DocumentUploaded,
        AuditAction::DocumentOpened,
        AuditAction::InstanceRegistered,
        AuditAction::InstanceRemoved,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AuditAction::MemberAdded => "member_added",
            AuditAction::OneTimePassword => "one_time_password",
            AuditAction::AccessRemoved => "access_removed",
            AuditAction::AccessRestored => "access_restored",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::SafeguardingQueueViewed => "safeguarding_queue_viewed",
            AuditAction::SafeguardingItemViewed => "safeguarding_item_viewed",
            AuditAction::SafeguardingItemUpdated => "safeguarding_item_updated",
            AuditAction::SafeguardingItemDeleted => "safeguarding_item_deleted",
            AuditAction::RiskPhraseAdded => "risk_phrase_added",
            AuditAction::RiskPhraseRemoved => "risk_phrase_removed",
            AuditAction::AnswerApproved => "answer_approved",
            AuditAction::AnswerHidden => "answer_hidden",
            AuditAction::AnswerRedacted => "answer_redacted",
            AuditAction::OriginalsDeleted => "originals_deleted",
            AuditAction::ServiceAdded => "service_added",
            AuditAction::ServicesImported => "services_imported",
            AuditAction::ServiceChanged => "service_changed",
            AuditAction::SuggestionApproved => "suggestion_approved",
            AuditAction::SuggestionRejected => "suggestion_rejected",
            AuditAction::SuggestionMerged => "suggestion_merged",
            AuditAction::SuggestionUpdated => "suggestion_updated",
            AuditAction::ReplyPublished => "reply_published",
            AuditAction::ReplyRemoved => "reply_removed",
            AuditAction::Exported => "exported",
            AuditAction::PopulationsLoaded => "populations_loaded",
            AuditAction::FrameworkImported => "framework_imported",
            AuditAction::AssessmentStarted => "assessment_started",
            AuditAction::DocumentUploaded => "document_uploaded",
            AuditAction::DocumentOpened => "document_opened",
            AuditAction::InstanceRegistered => "instance_registered",
            AuditAction::InstanceRemoved => "instance_removed",
        }
    }

    pub fn parse(key: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            AuditAction::MemberAdded => "Added an account",
            AuditAction::OneTimePassword => "Gave out a one-time password",
            AuditAction::AccessRemoved => "Removed access",
            AuditAction::AccessRestored => "Gave access back",
            AuditAction::PasswordChanged => "Changed their own password",
            AuditAction::SafeguardingQueueViewed => "Opened the safeguarding queue",
            AuditAction::SafeguardingItemViewed => "Read a safeguarding item",
            AuditAction::SafeguardingItemUpdated => "Recorded action on a safeguarding item",
            AuditAction::SafeguardingItemDeleted => "Deleted a closed safeguarding item",
            AuditAction::RiskPhraseAdded => "Added a risk phrase",
            AuditAction::RiskPhraseRemoved => "Removed a risk phrase",
            AuditAction::AnswerApproved => "Approved an answer",
            AuditAction::AnswerHidden => "Hid an answer",
            AuditAction::AnswerRedacted => "Took more out of an answer",
            AuditAction::OriginalsDeleted => "Deleted original text past its retention",
            AuditAction::ServiceAdded => "Added a service",
            AuditAction::ServicesImported => "Imported services",
            AuditAction::ServiceChanged => "Changed a service",
            AuditAction::SuggestionApproved => "Approved a suggestion",
            AuditAction::SuggestionRejected => "Did not take a suggestion forward",
            AuditAction::SuggestionMerged => "Joined a suggestion with another",
            AuditAction::SuggestionUpdated => "Said where a suggestion stands",
            AuditAction::ReplyPublished => "Published a reply",
            AuditAction::ReplyRemoved => "Took down a reply",
            AuditAction::Exported => "Downloaded an export",
            AuditAction::PopulationsLoaded => "Loaded population counts",
            AuditAction::FrameworkImported => "Imported a standards framework",
            AuditAction::AssessmentStarted => "Started a standards assessment",
            AuditAction::DocumentUploaded => "Uploaded a document as evidence",
            AuditAction::DocumentOpened => "Opened a document",
            AuditAction::InstanceRegistered => "Registered an instance on the hub",
            AuditAction::InstanceRemoved => "Removed an instance from the hub",
        }
    }
}

/// One line of the log, as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogPageData {
    pub lines: Vec<AuditLine>,
    /// The id to continue from for older lines, if there are any.
    pub older: Option<i64>,
}

/// Lines shown on one page.
pub const PAGE_SIZE: i64 = 50;

#[server]
pub async fn audit_page(before: Option<i64>) -> Result<AuditLogPageData, AppError> {
    let viewer = crate::accounts::viewer::require_staff()?;
    if !viewer.may_read_audit_log() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    store::page(&state.db, before, PAGE_SIZE).await
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let before = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("before")
        .and_then(|b| b.parse::<i64>().ok());
    view! {
        <Title text="Audit log"/>
        <StaffLayout>
            {load_page(move || audit_page(before), |page: AuditLogPageData| {
                let empty = page.lines.is_empty();
                let rows = page
                    .lines
                    .into_iter()
                    .map(|l| view! {
                        <li class="card">
                            <p><strong>{l.action}</strong>" · "{l.at}</p>
                            <p>"By "{l.actor}" · for "{l.subject}</p>
                            {(!l.detail.is_empty()).then(|| view! { <p class="hint">{l.detail}</p> })}
                        </li>
                    })
                    .collect_view();
                view! {
                    <h1>"Audit log"</h1>
                    <p>"Every change to who can sign in, every look at and action on a safeguarding item, every moderation and every change to the risk phrases, newest first. Nobody can edit or delete these lines."</p>
                    {empty.then(|| view! { <p>"Nothing has been recorded yet."</p> })}
                    <ul class="cards">{rows}</ul>
                    {page.older.map(|id| view! {
                        <p><a href=format!("/staff/audit?before={id}")>"Older entries"</a></p>
                    })}
                }
            })}
        </StaffLayout>
    }
}
