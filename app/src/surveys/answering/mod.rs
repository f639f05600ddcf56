//! Young people answering surveys: the answering rules, the pages and the
//! islands that keep answers in the browser, and on the server the post
//! handler with its cache, limiter and the store that records responses.

pub mod form;
pub mod keeper;
pub mod page;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod screening;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod limiter;
#[cfg(feature = "ssr")]
pub mod store;

use crate::surveys::model;
use serde::{Deserialize, Serialize};

/// Everything the answer page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerPageData {
    pub survey: model::SurveyForm,
    pub accepting: bool,
    /// `(code, name)` of the areas offered, when the survey asks "about you".
    pub areas: Vec<(String, String)>,
    /// A fresh idempotency key for this form.
    pub submission_key: String,
    /// Set when the survey is a service's ratings.
    pub rating: Option<RatingContext>,
}

/// The service a ratings form rates, and whether this phone may rate it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingContext {
    pub service_slug: String,
    pub service_name: String,
    /// The phone rated it lately: the day it may rate it again ("24 December 2026").
    pub again_from: Option<String>,
}
