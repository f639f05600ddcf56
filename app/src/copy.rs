//! Words young people read, kept in one place so they can be checked for
//! plain English and translated (Welsh next). Short, plain and kind.

use crate::surveys::answering::rules::Problem;

pub const HOME_TITLE: &str = "Have your say";
pub const HOME_INTRO: &str =
    "Tell the people who run your services what you think. You don't need to give your name.";
pub const NO_SURVEYS: &str = "There are no surveys open right now. Please come back soon.";
pub const ANONYMOUS_NOTE: &str =
    "You don't need to give your name. We don't store anything that could identify your phone.";
pub const SUBMIT: &str = "Send my answers";
pub const REQUIRED_MARK: &str = "(needs an answer)";
pub const OPTIONAL_MARK: &str = "(optional)";
pub const ERROR_SUMMARY_TITLE: &str = "Please check your answers";
pub const SAVED_NOTE: &str =
    "Your answers are kept on this phone until you send them, for up to 2 hours.";
/// The "start again" link on a survey, for shared phones and tablets.
pub const START_AGAIN: &str = "Start again";
pub const START_AGAIN_NOTE: &str =
    "Sharing this phone or tablet? Start again to clear any answers kept on it.";
/// A form whose key was already used to send other answers (a shared phone).
pub const KEY_ALREADY_USED: &str = "These answers haven't been sent yet. Someone already sent answers from this page on this phone or tablet. Check your answers below, then send them now as a new response.";
pub const CLOSED_TITLE: &str = "This survey is closed";
pub const CLOSED_BODY: &str = "Thanks for looking. This survey is no longer taking answers.";
pub const THANKS_TITLE: &str = "Thank you – your answers have been sent";
pub const THANKS_NEXT: &str = "The people who run this survey will read what everyone said and decide what to change. They will share what they did about it.";
pub const HELP_TITLE: &str = "Need to talk to someone?";
pub const HELP_CHILDLINE: &str = "Childline is free and private, any time: call";
pub const CHILDLINE_NUMBER: (&str, &str) = ("0800 1111", "tel:08001111");
pub const HELP_DANGER: &str = "If you or someone else is in danger right now, call";
pub const EMERGENCY_NUMBER: (&str, &str) = ("999", "tel:999");
pub const HELP_SHOUT: &str = "Shout is free and private, any time, by text message: text SHOUT to";
pub const SHOUT_NUMBER: (&str, &str) = ("85258", "sms:85258?body=SHOUT");
pub const CHILDLINE_ONLINE: (&str, &str) = (
    "talk to Childline online",
    "https://www.childline.org.uk/get-support/",
);
pub const HELP_ADULT: &str = "Talk to an adult you trust: a parent or carer, a teacher, a youth worker, your doctor or school nurse.";
/// Leads the thank-you page when something they wrote matched the risk list.
pub const HELP_FIRST_TITLE: &str = "You don't have to deal with this on your own";
pub const HELP_FIRST_BODY: &str = "Something you wrote sounds like you, or someone you know, might not be safe. These people can help, today:";
pub const HELP_FIRST_HONEST: &str = "Your answers are anonymous: heard doesn't know who you are, so nobody can contact you because of what you wrote. Your organisation's safeguarding lead will read it, and it may help them keep young people safe. heard never promises to keep a secret if someone could be hurt.";
pub const HELP_FIRST_SENT: &str = "Your answers have been sent.";
/// Said once, before anything can be typed, on every page where a young
/// person can write in their own words.
pub const WRITING_NOTE: &str = "The people who run this survey read what you write, with phone numbers, emails, addresses and usernames taken out, but if it sounds like someone might not be safe, only their safeguarding lead reads it, just as you wrote it.";
pub const ABOUT_YOU_TITLE: &str = "About you (optional)";
pub const ABOUT_YOU_INTRO: &str =
    "This helps us check we hear from everyone. You can skip any of it.";
pub const AGE_QUESTION: &str = "How old are you?";
pub const AREA_QUESTION: &str = "Where do you live?";
pub const GROUPS_QUESTION: &str = "Do any of these describe you?";
pub const PREFER_NOT_TO_SAY: &str = "Prefer not to say";
pub const PICK_AREA: &str = "Choose your area";
pub const RANK_NONE: &str = "Choose…";

// The frame of every page.
pub const SKIP_TO_CONTENT: &str = "Skip to content";
pub const SIGN_IN: &str = "Sign in";
pub const SURVEYS_HEADING: &str = "Surveys";
pub const SURVEY_PAGES: &str = "Pages of surveys";
pub const NEWER_SURVEYS: &str = "Newer surveys";
pub const MORE_SURVEYS: &str = "More surveys";
pub const THANK_YOU_TITLE: &str = "Thank you";
pub const PAGE_NOT_FOUND: &str = "Page not found";
pub const PAGE_NOT_FOUND_BODY: &str = "We couldn't find that page. Check the link, or go to the";

/// A count withheld beside a small one, so the small one cannot be worked out.
pub const COUNT_HIDDEN: &str = "hidden";

// What goes wrong, in words anyone can act on (error.rs and forms.rs use these).
pub const THERE_IS_A_PROBLEM: &str = "There is a problem";
pub const GO_BACK_OR: &str =
    "Use your browser's back button to return to the page you were on, or go to the";
pub const HOME_PAGE: &str = "home page";
pub const NOT_SIGNED_IN: &str = "Please sign in to see this page.";
pub const FORBIDDEN: &str = "You don't have access to that.";
pub const MUST_CHANGE_PASSWORD: &str = "Please choose your own password first.";
pub const NOT_FOUND: &str = "We couldn't find that page. Check the link and try again.";
pub const BUSY: &str = "heard is very busy right now. Nothing you entered has been lost: please try again in a moment.";
pub const UNEXPECTED: &str = "Something went wrong on our side. Nothing you entered has been lost: please try again in a moment.";
pub const SURVEY_CHANGED: &str = "This survey was opened or closed while you were working on it. Here it is as it is now: please check and try again.";
pub const FIX_THE_PROBLEMS: &str =
    "There is a problem: put right what is marked below and try again.";
pub const UNEXPECTED_REQUEST: &str = "That request wasn't in the form we expected.";
pub const FORM_UNREADABLE: &str = "This form could not be read. Please go back and try again.";
pub const FORM_TOO_LARGE: &str =
    "That was more than this form can take. Please shorten your answers.";

pub fn question_of(n: usize, total: usize) -> String {
    format!("Question {n} of {total}")
}

pub fn survey_length(questions: usize) -> String {
    let minutes = (questions as f32 / 3.0).ceil().max(1.0) as usize;
    let q = if questions == 1 {
        "question"
    } else {
        "questions"
    };
    let m = if minutes == 1 { "minute" } else { "minutes" };
    format!("{questions} {q}, about {minutes} {m}")
}

pub fn pick_up_to(max: u8) -> String {
    format!("Pick up to {max}.")
}

pub fn rank_place(place: usize) -> String {
    let suffix = match place {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{place}{suffix} choice")
}

/// Too many answers sent from one network (a school or club) in a short time.
pub fn too_many_sends(seconds: u64) -> String {
    let unit = if seconds == 1 { "second" } else { "seconds" };
    format!("Lots of answers are being sent from where you are right now. Your answers are kept below: please wait {seconds} {unit}, then send them again.")
}

pub fn characters_left(max: usize) -> String {
    format!("Up to {max} characters.")
}

/// What to say about a problem with an answer.
pub fn problem(problem: &Problem, question: &str) -> String {
    match problem {
        Problem::Missing => format!("Please answer “{question}”."),
        Problem::NotOffered => format!("Please choose one of the answers shown for “{question}”."),
        Problem::OnlyOne => format!("Please choose just one answer for “{question}”."),
        Problem::TooManyPicks { max } => {
            format!("Please pick no more than {max} for “{question}”.")
        }
        Problem::TooLong { max, len } => {
            format!("Please keep your answer to “{question}” to {max} characters or fewer (it has {len}).")
        }
        Problem::RankRepeated => format!("Please choose each option only once for “{question}”."),
        Problem::RankGap => {
            format!("Please fill in your choices in order for “{question}”, starting with 1st.")
        }
    }
}

// Services and ratings.
pub const IDEA_KEY_ALREADY_USED: &str = "Your idea hasn't been sent yet. Someone already sent an idea from this page on this phone or tablet. Check yours below, then send it as a new idea.";
pub const RATED_TITLE: &str = "You rated this service lately";
pub const RATED_RECENTLY: &str = "You already rated this service on this phone in the last 30 days, so this rating was not added. Thank you: your last rating still counts.";
pub const RATED_THANKS: &str =
    "Thank you for rating this service. Your rating is anonymous: nobody can tell it was you.";
pub const NOT_ENOUGH_RATINGS: &str =
    "Not enough ratings yet. The summary shows once 5 people have rated this service.";
pub const SERVICES_TITLE: &str = "Find a service";
pub const NO_SERVICES: &str = "No services match. Try fewer words, another spelling, or all areas.";

/// When a phone may rate a service again.
pub fn rate_again_from(service: &str, day: &str) -> String {
    format!("You rated {service} on this phone in the last 30 days. You can rate it again from {day}. Thank you: your rating counts.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_question() {
        assert_eq!(
            problem(&Problem::Missing, "What should we change?"),
            "Please answer “What should we change?”."
        );
        assert!(problem(&Problem::TooLong { max: 200, len: 230 }, "Q").contains("(it has 230)"));
    }

    #[test]
    fn lengths_read_naturally() {
        assert_eq!(survey_length(1), "1 question, about 1 minute");
        assert_eq!(survey_length(7), "7 questions, about 3 minutes");
        assert_eq!(rank_place(2), "2nd choice");
    }
}
