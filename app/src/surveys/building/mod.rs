//! Staff building surveys: the staff home list, the builder page, their form
//! posts and the writes behind them.

pub mod list;
pub mod page;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod store;

crate::form_actions! {
    /// What a post to the builder (`/staff/surveys/{id}`) asks for.
    pub enum BuilderAction {
        Details = "details",
        AddQuestion = "add_question",
        EditQuestion = "edit_question",
        DeleteQuestion = "delete_question",
        /// Move a question up or down.
        Move = "move",
        /// Open or close the survey.
        Status = "status",
        Duplicate = "duplicate",
    }
}

impl BuilderAction {
    /// The name of the form on the builder page that posts this action (the
    /// question's own form for edits, deletes and moves).
    pub fn form_name(self, form: &crate::forms::FormValues) -> String {
        match self {
            BuilderAction::EditQuestion | BuilderAction::DeleteQuestion | BuilderAction::Move => {
                format!("question-{}", form.value("question").unwrap_or(""))
            }
            other => other.key().to_string(),
        }
    }
}
