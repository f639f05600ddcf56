//! Surveys: built by staff, answered by young people, counted for staff.

pub mod answers;
pub mod builder;
pub mod editing;
pub mod form_view;
pub mod keeper;
pub mod model;
pub mod public;
pub mod results;
pub mod results_page;
pub mod staff;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod limiter;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// A survey card on the young people's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyCard {
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub organisation: String,
    pub questions: i64,
    pub tags: Vec<crate::outcomes::Outcome>,
}

/// Everything the answer page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerPageData {
    pub survey: model::SurveyForm,
    pub accepting: bool,
    /// `(code, name)` of the areas offered, when the survey asks "about you".
    pub areas: Vec<(String, String)>,
    /// A fresh idempotency key for this form.
    pub submission_key: String,
}
