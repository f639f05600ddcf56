use super::*;
use crate::words::corpus;

fn standard(text: &str) -> Option<&'static str> {
    RiskList::standard().find(text)
}

fn rate(hits: usize, of: usize) -> f64 {
    100.0 * hits as f64 / of as f64
}

#[test]
fn the_risk_corpus_is_caught() {
    let lines = corpus::lines(include_str!("../corpus/risk.txt"));
    assert!(lines.len() >= 200, "{} lines", lines.len());
    let missed: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| standard(l).is_none())
        .collect();
    let caught = rate(lines.len() - missed.len(), lines.len());
    println!(
        "risk: caught {}/{} corpus lines ({caught:.1}%); missed: {missed:?}",
        lines.len() - missed.len(),
        lines.len()
    );
    assert!(caught >= 98.0, "missed {missed:#?}");
}

#[test]
fn ordinary_answers_are_rarely_flagged() {
    let lines = corpus::lines(include_str!("../corpus/ordinary.txt"));
    assert!(lines.len() >= 150, "{} lines", lines.len());
    let flagged: Vec<(&str, &str)> = lines
        .iter()
        .filter_map(|l| standard(l).map(|p| (*l, p)))
        .collect();
    let false_alarms = rate(flagged.len(), lines.len());
    println!(
        "risk: false alarms on {}/{} ordinary lines ({false_alarms:.1}%): {flagged:?}",
        flagged.len(),
        lines.len()
    );
    assert!(false_alarms <= 2.0, "flagged {flagged:#?}");
}

#[test]
fn idioms_are_reported_not_tuned_away() {
    let lines = corpus::lines(include_str!("../corpus/idioms.txt"));
    let flagged: Vec<(&str, &str)> = lines
        .iter()
        .filter_map(|l| standard(l).map(|p| (*l, p)))
        .collect();
    println!(
        "risk: idioms flagged {}/{} ({:.1}%): {flagged:?}",
        flagged.len(),
        lines.len(),
        rate(flagged.len(), lines.len())
    );
}

#[test]
fn every_category_has_phrases_and_every_phrase_matches_itself() {
    assert!(
        RiskList::standard_len() >= 500,
        "{}",
        RiskList::standard_len()
    );
    let file = include_str!("../risk_phrases.txt");
    let headings = file
        .lines()
        .filter(|l| l.starts_with("# ") && !l.contains('.') && l.len() < 60)
        .count();
    assert!(headings >= 14, "{headings} categories");
    for phrase in RiskList::standard_phrases() {
        let written = phrase.replace('*', "");
        assert!(
            standard(&written).is_some(),
            "{phrase} does not match itself"
        );
    }
}

#[test]
fn matching_holds_across_case_accents_repeats_look_alikes_and_spacing() {
    for text in [
        "I want to KILL MYSELF",
        "i want to kïll mysélf",
        "i want to killllll myyyself",
        "i want to k1ll mys3lf",
        "ki11 myself",
        "i want to k!ll myself",
        "k i l l m y s e l f",
        "kill.my.self",
        "kill-my-self",
        "killmyself",
        "kill, myself",
        "КILL МYSЕLF",
        "I want to kill myself!!!",
        "(kill myself)",
    ] {
        assert_eq!(standard(text), Some("kill myself"), "{text}");
    }
    assert_eq!(standard("$uicide"), Some("suicid*"));
    assert_eq!(standard("he r@ped her"), Some("raped"));
}

#[test]
fn a_star_stands_for_any_ending() {
    for text in ["he hit me", "he hits me", "he's hitting me", "HITTING ME"] {
        assert_eq!(standard(text), Some("hit* me"), "{text}");
    }
    assert_eq!(standard("he's been suicidal"), Some("suicid*"));
    // Words that a star would let run into the next word are listed whole:
    // "a bus" is not "abuse".
    assert_eq!(standard("i was abused"), Some("abused"));
    assert_eq!(standard("it was abusive"), Some("abusive"));
    assert_eq!(standard("I get a bus to the club"), None);
}

#[test]
fn phrases_match_whole_words_only() {
    for text in [
        "I like grapes",
        "my therapist is nice",
        "skills and drills",
        "I hit the ball",
        "the kiln in art",
        "scrape my knee",
        "draped in a flag",
        "the stabilisers came off my bike",
        "skilled players",
        "shitake mushrooms",
    ] {
        assert_eq!(standard(text), None, "{text}");
    }
    assert_eq!(standard("the rapist"), Some("rapist"));
    assert_eq!(
        standard("it's tabbed"),
        None,
        "an apostrophe starts no word"
    );
    assert_eq!(standard("I don’t want to live"), Some("dont want to live"));
}

#[test]
fn additions_are_matched_beside_the_standard_list() {
    let list = RiskList::with_additions(&["hide the pills".into(), "blue whale*".into()]);
    assert_eq!(list.find("i hid3 the pillz"), None, "z is no s");
    assert_eq!(list.find("I hide the pills"), Some("hide the pills"));
    assert_eq!(list.find("the blue whales challenge"), Some("blue whale*"));
    assert_eq!(list.find("I want to kill myself"), Some("kill myself"));
    assert_eq!(RiskList::standard().find("I hide the pills"), None);
    assert_eq!(RiskList::with_additions(&[]).find("kms"), Some("kms"));
}

#[test]
fn the_earliest_match_in_the_text_is_the_one_given() {
    assert_eq!(standard("i am homeless and he hits me"), Some("homeless*"));
}

#[test]
fn long_or_strange_text_is_handled() {
    assert_eq!(standard(""), None);
    assert_eq!(standard("!!!!!!!!!!"), None);
    assert_eq!(standard(&"l".repeat(5000)), None);
    assert_eq!(standard(&"1 ".repeat(2000)), None);
    let long = format!("{} kms", "I like football. ".repeat(100));
    assert_eq!(standard(&long), Some("kms"));
}

#[test]
fn phrases_to_add_are_tidied_or_refused() {
    assert_eq!(check_phrase("  Blue   WHALE*  "), Ok("blue whale*".into()));
    assert_eq!(
        check_phrase("hide**the pills*"),
        Ok("hidethe pills*".into())
    );
    assert_eq!(check_phrase("* kill"), Ok("kill".into()));
    assert_eq!(check_phrase("k1ll"), Ok("k1ll".into()));
    assert_eq!(check_phrase("   "), Err(PhraseProblem::Empty));
    assert_eq!(check_phrase("\u{200B}"), Err(PhraseProblem::Empty));
    assert_eq!(check_phrase("!!! ***"), Err(PhraseProblem::NoLetterOrDigit));
    assert_eq!(check_phrase("x"), Err(PhraseProblem::TooShort));
    assert_eq!(
        check_phrase(&"a".repeat(PHRASE_MAX)).map(|p| p.len()),
        Ok(PHRASE_MAX)
    );
    assert_eq!(
        check_phrase(&"a".repeat(PHRASE_MAX + 1)),
        Err(PhraseProblem::TooLong)
    );
    assert_eq!(
        check_phrase(&"👍🏽".repeat(PHRASE_MAX)),
        Err(PhraseProblem::NoLetterOrDigit),
        "counted as seen, not as bytes"
    );
}
