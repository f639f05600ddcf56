//! Surveys: built by staff, answered by young people, counted for staff.
//!
//! Split by what the people using it name:
//!
//! - [`model`]: the shared model (surveys, questions, their kinds and
//!   settings, status rules); pure, no I/O.
//! - `access` (server only): who may build, read or preview a survey, one
//!   function each, used by pages and form handlers alike.
//! - `store` (server only): shared reads of surveys and questions (by id, by
//!   slug, the open list, the staff list, response counts).
//! - [`building`]: staff making surveys: the rules for their fields
//!   (`rules`), the staff home list (`list`), the builder page (`page`), the
//!   form posts (`handlers`) and the writes (`store`).
//! - [`answering`]: young people answering: the answering rules (`rules`),
//!   the pages (`page`, `form`), the islands that keep answers in the browser
//!   (`keeper`), and on the server the post handler, its cache, limiter and
//!   the store that records responses.
//! - [`results`]: counting for staff: tallies and what each audience may see
//!   (`rules`; [`results::disclose`] is the seam every reader of results goes
//!   through), the results page (`page`) and the counting queries (`store`).
//!
//! Dependencies run one way: pages and handlers → rules and stores → model.

pub mod answering;
pub mod building;
pub mod model;
pub mod results;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod store;

use model::SurveyStatus;
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

/// A survey in the staff list, as the shared store reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSurveyRow {
    pub id: i64,
    pub title: String,
    pub organisation: String,
    pub organisation_id: i64,
    pub organisation_area: Option<String>,
    pub status: SurveyStatus,
    pub responses: i64,
}
