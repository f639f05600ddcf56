//! Live sessions: a youth worker runs a survey with a room of phones. The
//! presenter (a projector or a big TV) shows a join code, a QR code, the
//! question on screen and results as answers arrive; each phone follows the
//! presenter by itself. Answers are ordinary survey responses tagged with the
//! session, screened like every word a young person writes.
//!
//! - [`code`] and [`rules`] are pure and tested beside their definitions;
//! - [`store`] reads and writes sessions, [`hub`] tells open event streams
//!   (and, with PostgreSQL, other heard processes) that a session changed,
//!   [`handlers`] serves the posts and the event streams;
//! - [`pages`] draws the presenter and participant pages, and [`follow`]
//!   holds the two small islands that keep them live.

pub mod code;
pub mod follow;
pub mod pages;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod store;

use crate::forms::FormValues;
use crate::surveys::model::Question;
use crate::surveys::results::rules::QuestionResult;
use rules::LiveState;
use serde::{Deserialize, Serialize};

/// A free-text answer as the presenter sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveText {
    pub public_ref: String,
    /// Redacted: personal details never reach a projector.
    pub text: String,
    pub shown: bool,
    /// Held as possibly offensive and not yet approved by a moderator: it
    /// cannot be shown.
    pub held: bool,
}

/// One question of a session, with what the room answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionOutcome {
    pub question: Question,
    /// Its number in the session, from 1.
    pub position: i64,
    pub answered: i64,
    /// Bars, faces or places (not free text).
    pub result: Option<QuestionResult>,
    /// Free text: the newest, never any with the safeguarding lead.
    pub texts: Vec<LiveText>,
}

/// What the projector shows under the join code: everything that changes as
/// the session goes on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageData {
    pub session_id: i64,
    pub state: LiveState,
    pub joined: i64,
    /// The question on screen.
    pub current: Option<QuestionOutcome>,
}

/// The presenter's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresenterData {
    pub title: String,
    pub survey_id: i64,
    pub code: String,
    /// Where phones go: `https://…/j/CODE`.
    pub join_url: String,
    /// The join link as a QR code.
    pub qr: QrPicture,
    pub stage: StageData,
    /// Once the session has ended: every question with the room's answers
    /// (only the organisation's staff see this page).
    pub summary: Vec<QuestionOutcome>,
}

/// A QR code as the page draws it: `size` units square (quiet zone
/// included), the dark modules as one SVG path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrPicture {
    pub size: usize,
    pub path: String,
}

/// A phone's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantData {
    pub code: String,
    pub title: String,
    pub state: LiveState,
    pub question: Option<Question>,
    /// This phone's answer to the question on screen, as form values.
    pub mine: FormValues,
    pub answered: bool,
    /// What this phone wrote to the question on screen went to the
    /// safeguarding lead: help comes first.
    pub help: bool,
}

/// The phone's answer rows `(position, value)` as the form's fields.
pub fn answer_values(q: &Question, rows: &[(i64, String)]) -> FormValues {
    use crate::surveys::model::QuestionKind;
    let pairs = rows.iter().map(|(position, value)| {
        let name = if q.kind == QuestionKind::Ranking {
            q.rank_field(*position as usize)
        } else {
            q.field()
        };
        (name, value.clone())
    });
    FormValues::from_pairs(pairs)
}

/// The fields a phone posts besides the answer.
pub const QUESTION_FIELD: &str = "question";
