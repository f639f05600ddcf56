use super::*;
use crate::words::corpus;

fn redacted(text: &str) -> String {
    redact(text).0
}

#[test]
fn every_detail_in_the_corpus_is_removed_and_nothing_else_changes() {
    let cases = corpus::pairs(include_str!("../corpus/personal.txt"));
    assert!(cases.len() >= 80, "{} cases", cases.len());
    let misses: Vec<String> = cases
        .iter()
        .filter(|(input, want)| redacted(input) != *want)
        .map(|(input, want)| format!("{input}\n   want {want}\n    got {}", redacted(input)))
        .collect();
    let caught = cases.len() - misses.len();
    println!(
        "personal details: {caught}/{} lines redacted exactly ({:.1}%)",
        cases.len(),
        100.0 * caught as f64 / cases.len() as f64
    );
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn ordinary_text_stays_byte_for_byte() {
    let lines = corpus::lines(include_str!("../corpus/ordinary.txt"));
    assert!(lines.len() >= 150, "{} lines", lines.len());
    let touched: Vec<String> = lines
        .iter()
        .filter(|l| redacted(l) != **l)
        .map(|l| format!("{l}\n    got {}", redacted(l)))
        .collect();
    println!(
        "personal details: {}/{} ordinary lines untouched ({:.1}%)",
        lines.len() - touched.len(),
        lines.len(),
        100.0 * (lines.len() - touched.len()) as f64 / lines.len() as f64
    );
    assert!(touched.is_empty(), "{}", touched.join("\n"));
}

#[test]
fn the_kinds_found_are_listed_once_each_in_order() {
    let (text, details) =
        redact("@jess_2010 then 07700 900123, 07700 900456 and jess@gmail.com in M1 1AE");
    assert_eq!(
        details,
        vec![
            Detail::Email,
            Detail::Phone,
            Detail::Postcode,
            Detail::Username
        ]
    );
    assert_eq!(
        text,
        "[username removed] then [phone number removed], [phone number removed] and [email removed] in [postcode removed]"
    );
    assert_eq!(redact("nothing here"), ("nothing here".to_string(), vec![]));
}

#[test]
fn numbers_that_are_not_phone_numbers_stay() {
    for s in [
        "I am 14",
        "call 999",
        "Childline is 0800 1111",
        "we raised 1,500,000 pence",
        "my score was 07700 points",
        "01/02/2024",
        "12345678901234",
        "0121",
    ] {
        assert_eq!(redacted(s), s);
    }
}

#[test]
fn postcodes_need_a_real_area_and_ordinals_stay() {
    assert_eq!(redacted("M1 1AE"), "[postcode removed]");
    assert_eq!(redacted("in Y9 2nd term"), "in Y9 2nd term", "Y is no area");
    assert_eq!(redacted("le1 2nd"), "le1 2nd", "an ordinal in lower case");
    assert_eq!(redacted("B33 8TH"), "[postcode removed]");
    assert_eq!(redacted("ABC1 2DE"), "ABC1 2DE", "three letters is no area");
}

#[test]
fn words_after_platform_names_stay_unless_they_are_usernames() {
    for s in [
        "I use insta and tiktok",
        "tiktok dances are fun",
        "my snapchat is full",
        "add me on snapchat please",
        "xbox 360",
        "see you @ school",
        "follow me on insta because",
    ] {
        assert_eq!(redacted(s), s);
    }
    assert_eq!(redacted("snap: jess"), "snap: [username removed]");
    assert_eq!(redacted("snapchat jess_x"), "snapchat [username removed]");
}

#[test]
fn sentences_run_together_are_not_links() {
    for s in [
        "it was good.It was fun",
        "we went.So good",
        "e.g. football",
        "at 10.30 on saturday",
        "Mr.Smith is our teacher",
        "I got 3.5 out of 5",
        "i was at school.then home",
    ] {
        assert_eq!(redacted(s), s);
    }
    assert_eq!(redacted("see youtu.be/abc"), "see [link removed]");
    assert_eq!(redacted("that was it.Be nice"), "that was it.Be nice");
}
