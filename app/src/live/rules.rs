//! What a live session is doing and how the presenter's controls change it.
//! Pure: the store reads and writes [`LiveState`], these rules decide.

use serde::{Deserialize, Serialize};

crate::form_actions! {
    /// The presenter's controls, as buttons posting to the session.
    pub enum Control {
        Next = "next",
        Previous = "previous",
        Lock = "lock",
        Unlock = "unlock",
        ShowResults = "show",
        HideResults = "hide",
        End = "end",
    }
}

/// Where a session stands: everything a phone or the projector follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveState {
    /// 0 before the first question; then the question on screen, from 1.
    pub position: i64,
    /// Questions in the session's survey.
    pub questions: i64,
    /// Answers to the question on screen are no longer taken.
    pub locked: bool,
    pub show_results: bool,
    pub ended: bool,
    /// Grows with every change; a phone that saw this version is up to date.
    pub version: i64,
}

/// Why a control did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("This session has ended.")]
    Ended,
    #[error("That is already the last question. End the session when the room is done.")]
    AtLastQuestion,
    #[error("That is already the start of the session.")]
    AtStart,
    #[error("There is no question on screen to lock yet.")]
    NoQuestion,
}

impl LiveState {
    /// The question on screen, counting from 1, if any.
    pub fn current(&self) -> Option<i64> {
        (!self.ended && (1..=self.questions).contains(&self.position)).then_some(self.position)
    }

    /// Whether an answer to question number `position` is taken now.
    pub fn takes_answers_to(&self, position: i64) -> bool {
        self.current() == Some(position) && !self.locked
    }

    /// The state after `control`, with the version moved on.
    pub fn after(self, control: Control) -> Result<LiveState, Refused> {
        if self.ended {
            return Err(Refused::Ended);
        }
        let mut next = self;
        match control {
            Control::Next => {
                if self.position >= self.questions {
                    return Err(Refused::AtLastQuestion);
                }
                next.position += 1;
                // A new question on screen takes answers.
                next.locked = false;
            }
            Control::Previous => {
                if self.position <= 1 {
                    return Err(Refused::AtStart);
                }
                next.position -= 1;
                next.locked = false;
            }
            Control::Lock | Control::Unlock => {
                if self.current().is_none() {
                    return Err(Refused::NoQuestion);
                }
                next.locked = control == Control::Lock;
            }
            Control::ShowResults => next.show_results = true,
            Control::HideResults => next.show_results = false,
            Control::End => next.ended = true,
        }
        next.version += 1;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(questions: i64) -> LiveState {
        LiveState {
            position: 0,
            questions,
            locked: false,
            show_results: true,
            ended: false,
            version: 1,
        }
    }

    #[test]
    fn a_session_starts_waiting_and_steps_through_its_questions() {
        let s = start(2);
        assert_eq!(s.current(), None);
        let s = s.after(Control::Next).unwrap();
        assert_eq!((s.current(), s.version), (Some(1), 2));
        let s = s.after(Control::Next).unwrap();
        assert_eq!(s.current(), Some(2));
        assert_eq!(s.after(Control::Next), Err(Refused::AtLastQuestion));
        let s = s.after(Control::Previous).unwrap();
        assert_eq!(s.current(), Some(1));
        assert_eq!(s.after(Control::Previous), Err(Refused::AtStart));
    }

    #[test]
    fn answers_are_taken_for_the_question_on_screen_until_it_is_locked() {
        let s = start(3).after(Control::Next).unwrap();
        assert!(s.takes_answers_to(1));
        assert!(!s.takes_answers_to(2));
        let locked = s.after(Control::Lock).unwrap();
        assert!(!locked.takes_answers_to(1));
        assert!(locked.after(Control::Unlock).unwrap().takes_answers_to(1));
        // Moving on unlocks the next question.
        let moved = locked.after(Control::Next).unwrap();
        assert!(moved.takes_answers_to(2));
    }

    #[test]
    fn nothing_can_be_locked_before_the_first_question() {
        assert_eq!(start(1).after(Control::Lock), Err(Refused::NoQuestion));
    }

    #[test]
    fn an_ended_session_takes_nothing_and_changes_no_more() {
        let s = start(2)
            .after(Control::Next)
            .unwrap()
            .after(Control::End)
            .unwrap();
        assert!(s.ended);
        assert!(!s.takes_answers_to(1));
        assert_eq!(s.current(), None);
        for c in Control::ALL {
            assert_eq!(s.after(*c), Err(Refused::Ended));
        }
    }

    #[test]
    fn results_are_shown_and_hidden() {
        let s = start(1).after(Control::HideResults).unwrap();
        assert!(!s.show_results);
        assert!(s.after(Control::ShowResults).unwrap().show_results);
    }
}
