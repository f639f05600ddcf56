//! Cleaning text people type, staff and young people alike, before it is
//! checked or stored: Unicode made canonical (NFKC, so a full-width or
//! "fancy font" letter is the plain letter), line endings made plain, control
//! characters dropped, the invisible characters that can hide or reorder what
//! a reader sees (zero-width characters, bidirectional overrides and
//! isolates) removed, and runs of spaces collapsed. Lengths are counted as a
//! person sees them ([`visible_len`]). Pure; used on both sides of the wire,
//! so the browser's inline help and the server's rule never disagree.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Characters that change how text reads without being seen.
fn is_invisible(c: char) -> bool {
    matches!(c,
        // Zero-width space and the direction marks; the zero-width joiner and
        // non-joiner (U+200C, U+200D) stay: emoji sequences and several
        // scripts (Persian, the Indian scripts) need them.
        '\u{200B}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' // bidirectional embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidirectional isolates
        | '\u{FEFF}' // byte order mark / zero-width no-break space
        | '\u{00AD}' // soft hyphen
        | '\u{180E}' // Mongolian vowel separator, once a space
    )
}

/// Trims, normalises (NFKC) and drops control and invisible characters.
/// Runs of spaces become one space. With `multiline`, new lines stay (spaces
/// at their ends go, and never more than one blank line in a row); without,
/// a new line is a space.
pub fn clean(text: &str, multiline: bool) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Drop the invisible first: NFKC would otherwise compose across them.
    let kept: String = text
        .chars()
        .filter(|c| (!c.is_control() || *c == '\n') && !is_invisible(*c))
        .collect();
    let mut out = String::with_capacity(kept.len());
    // New lines seen since the last visible character, and whether a space is owed.
    let (mut newlines, mut space) = (0usize, false);
    for c in kept.nfkc() {
        if c == '\n' && multiline {
            newlines += 1;
            space = false;
        } else if c.is_whitespace() {
            space = newlines == 0;
        } else {
            if !out.is_empty() {
                if newlines > 0 {
                    out.push_str(if newlines > 1 { "\n\n" } else { "\n" });
                } else if space {
                    out.push(' ');
                }
            }
            (newlines, space) = (0, false);
            out.push(c);
        }
    }
    out
}

/// [`clean`] for a one-line field: a title, a name, an option.
pub fn clean_line(text: &str) -> String {
    clean(text, false)
}

/// How many characters a person sees: "é" written as e and an accent is one,
/// a family emoji made of four people is one. Limits count these, not bytes.
pub fn visible_len(text: &str) -> usize {
    text.graphemes(true).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_go_and_new_lines_stay_only_where_wanted() {
        assert_eq!(
            clean_line("  Youth\u{200B} club\u{202E}txt.exe "),
            "Youth clubtxt.exe"
        );
        assert_eq!(clean_line("a\u{2066}b\u{2069}c\u{FEFF}"), "abc");
        assert_eq!(clean_line("one\r\ntwo\tthree\u{7}"), "one twothree");
        assert_eq!(clean("one\r\ntwo\n", true), "one\ntwo");
        assert_eq!(
            clean("\u{200B}\u{200B}", true),
            "",
            "nothing visible is nothing"
        );
        assert_eq!(
            clean_line("Café ☕ 🎉"),
            "Café ☕ 🎉",
            "ordinary text untouched"
        );
    }

    #[test]
    fn runs_of_spaces_collapse_and_blank_lines_are_at_most_one() {
        assert_eq!(clean_line("I   like \u{00A0} football"), "I like football");
        assert_eq!(clean_line("one\n\n\ntwo"), "one two");
        assert_eq!(
            clean("  first line   \n\n\n\n  second  line \n third\r\r", true),
            "first line\n\nsecond line\nthird"
        );
        assert_eq!(
            clean("a \n \n b", true),
            "a\n\nb",
            "a line of spaces is blank"
        );
        assert_eq!(clean("old\rmac", true), "old\nmac");
    }

    #[test]
    fn compatibility_forms_become_plain_letters_and_emoji_joins_stay() {
        assert_eq!(clean_line("ｆｕｌｌ ｗｉｄｔｈ"), "full width");
        assert_eq!(
            clean_line("\u{1D5F5}\u{1D5F6}"),
            "hi",
            "maths sans-serif bold"
        );
        assert_eq!(clean_line("ﬁsh"), "fish");
        assert_eq!(
            clean_line("e\u{0301}"),
            "\u{00E9}",
            "an accent typed apart joins its letter"
        );
        let family = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(clean_line(family), family);
        assert_eq!(clean_line("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn visible_length_counts_what_a_person_sees() {
        assert_eq!(visible_len("hello"), 5);
        assert_eq!(visible_len("e\u{0301}"), 1);
        assert_eq!(
            visible_len("\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}"),
            1
        );
        assert_eq!(visible_len("🇬🇧 ok"), 4);
        assert_eq!(visible_len(""), 0);
    }
}
