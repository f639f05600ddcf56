//! Offensive language: flagged for a person to look at, never altered.
//!
//! The crate is `rustrict` (0.7, server side only: its word lists add about
//! 600 KB): actively kept, it rates text as profane, offensive, sexual or
//! mean at three severities and sees through the usual disguises ("f u c k",
//! "sh1t", "a$$hole", "fuuuck"), while knowing many innocent words that hold
//! rude ones ("Scunthorpe", "assess").
//!
//! Held for a moderator: profane or offensive of moderate severity or worse,
//! severely sexual or severely mean, and moderately sexual only alongside
//! something profane, mean or disguised. Not held: mild words ("crap",
//! "bloody"), and moderately sexual words on their own, because rustrict
//! rates "lesbian", "sex education", "breast cancer" and "Middlesex" there,
//! and mildly offensive ones, where it puts "gay" and "autistic". A young
//! person saying who they are is never held.
//!
//! rustrict misses or rates mildly some British slang and slurs ("slag",
//! "nonce", "knobhead", "paki", "pikey"). Its `customize` feature adds words
//! only through an `unsafe` global (the workspace forbids unsafe code) or a
//! whole copied word tree that matches inside other words ("slag" in
//! "slagheap"), so these are in `offensive_extra.txt` instead, matched by the
//! risk matcher: whole words, through the same disguises.
//!
//! Known false alarms, for the moderator to approve: place names
//! "Cockermouth" and "Lightwater", "Dick Whittington", "the nazis" in a
//! history lesson.

use super::risk::RiskList;
use rustrict::{Censor, Type};
use std::sync::OnceLock;

/// True when `text` should wait for a moderator before it is shown beyond
/// the organisation's own results.
pub fn is_offensive(text: &str) -> bool {
    let t = Censor::from_str(text).analyze();
    let held = t.is(Type::PROFANE & Type::MODERATE_OR_HIGHER)
        || t.is(Type::OFFENSIVE & Type::MODERATE_OR_HIGHER)
        || t.is(Type::SEXUAL & Type::SEVERE)
        || t.is(Type::MEAN & Type::SEVERE)
        || (t.is(Type::SEXUAL & Type::MODERATE_OR_HIGHER)
            && t.is(Type::PROFANE | Type::MEAN | Type::EVASIVE));
    held || extra().find(text).is_some()
}

fn extra() -> &'static RiskList {
    static EXTRA: OnceLock<RiskList> = OnceLock::new();
    EXTRA.get_or_init(|| RiskList::only(include_str!("offensive_extra.txt")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::corpus;

    #[test]
    fn the_offensive_corpus_is_held() {
        let lines = corpus::lines(include_str!("corpus/offensive.txt"));
        assert!(lines.len() >= 40, "{} lines", lines.len());
        let missed: Vec<&str> = lines.iter().copied().filter(|l| !is_offensive(l)).collect();
        println!(
            "offensive: held {}/{} corpus lines ({:.1}%); missed: {missed:?}",
            lines.len() - missed.len(),
            lines.len(),
            100.0 * (lines.len() - missed.len()) as f64 / lines.len() as f64
        );
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn ordinary_answers_are_not_held() {
        let lines = corpus::lines(include_str!("corpus/ordinary.txt"));
        let held: Vec<&str> = lines.iter().copied().filter(|l| is_offensive(l)).collect();
        println!(
            "offensive: false alarms on {}/{} ordinary lines ({:.1}%): {held:?}",
            held.len(),
            lines.len(),
            100.0 * held.len() as f64 / lines.len() as f64
        );
        assert!(held.is_empty(), "{held:#?}");
    }

    #[test]
    fn idioms_are_reported() {
        let lines = corpus::lines(include_str!("corpus/idioms.txt"));
        let held: Vec<&str> = lines.iter().copied().filter(|l| is_offensive(l)).collect();
        println!(
            "offensive: idioms held {}/{}: {held:?}",
            held.len(),
            lines.len()
        );
    }

    #[test]
    fn who_a_young_person_is_is_never_held() {
        for text in [
            "I'm gay",
            "I'm a lesbian and the club makes me feel welcome",
            "I'm trans",
            "I'm autistic",
            "I'm black and Muslim",
            "we had a sex education talk",
            "my mum had breast cancer",
        ] {
            assert!(!is_offensive(text), "{text}");
        }
    }

    #[test]
    fn places_with_rude_words_inside() {
        let report: Vec<(&str, bool)> = [
            "Scunthorpe",
            "Middlesex",
            "Essex",
            "Penistone",
            "Cockermouth",
            "Lightwater",
        ]
        .into_iter()
        .map(|p| (p, is_offensive(&format!("I live near {p}"))))
        .collect();
        println!("offensive: place names held: {report:?}");
        assert!(!is_offensive("I live in Scunthorpe"));
        assert!(!is_offensive("I go to school in Middlesex"));
    }

    #[test]
    fn uk_slang_is_held_on_whole_words_only() {
        assert!(is_offensive("she's a $lag"));
        assert!(is_offensive("k n o b h e a d"));
        assert!(!is_offensive("the slagheap by the old mine"));
        assert!(!is_offensive("the door knob is broken"));
        assert!(
            !is_offensive("this food is crap"),
            "mild words are not held"
        );
    }
}
