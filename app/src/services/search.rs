//! Forgiving search by name: "camhs" finds the Child and Adolescent Mental
//! Health Service, "youth clb" the youth club. Pure: a service's search text
//! is made once when it is saved ([`search_text`]); a query is matched
//! against it word by word ([`score`]).

use unicode_normalization::UnicodeNormalization;

/// Small words left out of initials and ignored in a query.
const SMALL_WORDS: [&str; 8] = ["and", "of", "the", "for", "in", "a", "an", "to"];

/// Lower case, accents dropped, anything not a letter or digit a space, runs
/// of spaces one: "St. Mary's  CAMHS" → "st mary s camhs".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfkd().filter(|c| !is_combining(*c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// What a service is found by: its folded name, the initials of the name's
/// words (without small words: "Child and Adolescent Mental Health Service"
/// gives "camhs"), and `extra` words (its kind).
pub fn search_text(name: &str, extra: &[&str]) -> String {
    let folded = fold(name);
    let initials: String = folded
        .split(' ')
        .filter(|w| !SMALL_WORDS.contains(w))
        .filter_map(|w| w.chars().next())
        .collect();
    let mut words = vec![folded.clone()];
    if initials.chars().count() >= 2 && !folded.split(' ').any(|w| w == initials) {
        words.push(initials);
    }
    words.extend(extra.iter().map(|e| fold(e)));
    words.join(" ")
}

/// How well one query word matches one word of a service (0: not at all).
fn word_score(q: &str, w: &str) -> u32 {
    if q == w {
        return 10;
    }
    let (ql, wl) = (q.chars().count(), w.chars().count());
    if w.starts_with(q) && ql >= 2 {
        return 7;
    }
    if ql >= 3 {
        let allowed = if ql >= 7 { 2 } else { 1 };
        if edits_within(q, w, allowed) {
            return 5;
        }
        // Letters left out ("clb", "yth"): the same first letter, in order.
        if q.chars().next() == w.chars().next() && wl <= ql + 3 && is_subsequence(q, w) {
            return 4;
        }
        // A slip in a longer word's beginning ("mentl" for "mental health").
        if wl > ql && edits_within(q, &w.chars().take(ql).collect::<String>(), 1) && ql >= 4 {
            return 3;
        }
    }
    0
}

fn is_subsequence(q: &str, w: &str) -> bool {
    let mut w = w.chars();
    q.chars().all(|c| w.any(|x| x == c))
}

/// Whether `a` becomes `b` in at most `max` insertions, deletions,
/// substitutions or swaps of neighbours (optimal string alignment). Three
/// rows on the stack: searches weigh every listed service's words, and
/// words longer than 32 letters are never near a query's.
fn edits_within(a: &str, b: &str, max: usize) -> bool {
    const MAX_LEN: usize = 32;
    let (mut ab, mut bb) = (['\0'; MAX_LEN], ['\0'; MAX_LEN]);
    let (mut al, mut bl) = (0, 0);
    for c in a.chars() {
        if al == MAX_LEN {
            return false;
        }
        ab[al] = c;
        al += 1;
    }
    for c in b.chars() {
        if bl == MAX_LEN {
            return false;
        }
        bb[bl] = c;
        bl += 1;
    }
    if al.abs_diff(bl) > max {
        return false;
    }
    let (a, b) = (&ab[..al], &bb[..bl]);
    let mut before = [0usize; MAX_LEN + 1];
    let mut prev: [usize; MAX_LEN + 1] = std::array::from_fn(|j| j);
    let mut row = [0usize; MAX_LEN + 1];
    // A swap reaches back two rows: give up only when both are past `max`.
    let mut prev_min = 0;
    for i in 1..=a.len() {
        row[0] = i;
        let mut best_in_row = row[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best;
            best_in_row = best_in_row.min(best);
        }
        if best_in_row > max && prev_min > max {
            return false;
        }
        prev_min = best_in_row;
        before = prev;
        prev = row;
    }
    prev[b.len()] <= max
}

/// The words of a query worth matching (folded, small words dropped, at most
/// eight: a search box is not a document).
pub fn query_words(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|w| !w.is_empty() && !SMALL_WORDS.contains(w))
        .take(8)
        .map(str::to_string)
        .collect()
}

/// How well a service's search text matches every query word (`None`: some
/// word matched nothing). Higher is better.
pub fn score(query: &[String], search_text: &str) -> Option<u32> {
    let words: Vec<&str> = search_text.split(' ').collect();
    let mut total = 0;
    for q in query {
        let best = words.iter().map(|w| word_score(q, w)).max().unwrap_or(0);
        if best == 0 {
            return None;
        }
        total += best;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str, name: &str, kind: &str) -> bool {
        score(&query_words(query), &search_text(name, &[kind])).is_some()
    }

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("  St. Mary's  Café—CAMHS "), "st mary s cafe camhs");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn initials_find_long_names() {
        let camhs = "Child and Adolescent Mental Health Service";
        assert!(finds("camhs", camhs, "Mental health"));
        assert!(finds("CAMHS", camhs, "Mental health"));
        assert!(finds(
            "yot",
            "Leeds Youth Offending Team",
            "Youth offending team"
        ));
    }

    #[test]
    fn slips_and_missing_letters_are_forgiven() {
        let club = "Northfield Youth Club";
        assert!(finds("youth clb", club, "Youth club or youth service"));
        assert!(finds("yuoth club", club, "Youth club"));
        assert!(finds("northfeild", club, "Youth club"));
        assert!(finds("north", club, "Youth club"));
        assert!(
            finds("mentl health", "Kooth", "Mental health"),
            "by its kind"
        );
    }

    #[test]
    fn every_word_must_match_something() {
        let club = "Northfield Youth Club";
        assert!(!finds("youth swimming", club, "Youth club"));
        assert!(!finds("zzz", club, "Youth club"));
        assert!(
            !finds("cl", "Careers Hub", "Careers"),
            "two letters match only a beginning"
        );
    }

    #[test]
    fn better_matches_score_higher() {
        let q = query_words("youth club");
        let exact = score(&q, &search_text("Youth Club", &[])).unwrap();
        let fuzzy = score(&q, &search_text("Yuoth Clb", &[])).unwrap();
        assert!(exact > fuzzy);
    }

    #[test]
    fn small_words_and_long_queries_are_trimmed() {
        assert_eq!(query_words("the club and the park"), vec!["club", "park"]);
        assert_eq!(
            query_words(&"a b c d e f g h i j k".replace(' ', " x")).len(),
            8
        );
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert!(edits_within("yuoth", "youth", 1));
        assert!(!edits_within("abc", "xyz", 2));
        assert!(edits_within("", "ab", 2));
        assert!(edits_within("northfeild", "northfield", 1));
        assert!(edits_within("mentl", "mental", 1));
        assert!(!edits_within("club", "clubhouse", 2));
        assert!(
            !edits_within(&"a".repeat(40), &"a".repeat(40), 2),
            "longer than any name's word"
        );
    }
}
