//! A moderator's edit to a redacted answer may only take more out, never put
//! anything back: the same rule in the browser and on the server.
//!
//! The rule: `after` must be pieces of `before`, in order, each piece a run of
//! whole words and punctuation marks (UAX #29 word boundaries), with
//! [`REMOVED`] wherever the moderator likes. Spaces do not count, so a piece
//! may be joined to the next with or without a space. Anything else is new:
//! a detail typed back where its marker was, a changed or re-spelt word
//! (even one made by deleting letters, "class" to "ass"), words swapped
//! round.

use unicode_segmentation::UnicodeSegmentation;

/// What a moderator puts where they took something out.
pub const REMOVED: &str = "[removed]";

/// The words and marks of `text`, without spaces.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_word_bounds()
        .filter(|w| !w.chars().all(char::is_whitespace))
}

/// True when `after` is `before` with parts removed (or replaced by
/// [`REMOVED`]) and nothing added.
pub fn removes_only(before: &str, after: &str) -> bool {
    let mut source = words(before);
    // Greedy is enough: taking each word at its first place left in `before`
    // leaves the most room for the words after it.
    after
        .split(REMOVED)
        .flat_map(words)
        .all(|word| source.any(|w| w == word))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "My stepdad shouts. Call me on [phone number removed] or snap [username removed] after school!";

    #[test]
    fn the_same_text_or_less_is_allowed() {
        assert!(removes_only(BEFORE, BEFORE));
        assert!(removes_only(BEFORE, ""));
        assert!(removes_only(BEFORE, REMOVED));
        assert!(removes_only(
            BEFORE,
            "My stepdad shouts. [removed] after school!"
        ));
        assert!(removes_only(BEFORE, "[removed] shouts [removed]"));
        assert!(removes_only(
            BEFORE,
            "My stepdad shouts. Call me on [phone number removed] after school!"
        ));
        assert!(
            removes_only(BEFORE, "My stepdad shouts"),
            "punctuation may go"
        );
    }

    #[test]
    fn spaces_at_the_joins_do_not_count() {
        assert!(removes_only(
            BEFORE,
            "My  stepdad\nshouts .[removed]after school !"
        ));
        assert!(removes_only("a, b and c", "a,b[removed]c"));
    }

    #[test]
    fn a_detail_typed_back_where_its_marker_was_is_refused() {
        assert!(!removes_only(
            BEFORE,
            "My stepdad shouts. Call me on 07700 900123 or snap [username removed] after school!"
        ));
        assert!(!removes_only(
            BEFORE,
            "My stepdad shouts. Call me on [phone number removed] or snap jess_2010 after school!"
        ));
        assert!(
            !removes_only(
                "[phone number removed]",
                "[phone number removed] 07700900123"
            ),
            "appended"
        );
    }

    #[test]
    fn new_changed_or_reordered_words_are_refused() {
        assert!(!removes_only("dog bites man", "man bites dog"), "swapped");
        assert!(!removes_only("I am sad", "I am not sad"), "a word added");
        assert!(!removes_only("I am sad", "I am sadd"), "a letter inserted");
        assert!(!removes_only("I am sad", "I am mad"), "a letter changed");
        assert!(
            !removes_only("my class", "my ass"),
            "letters cut from a word make a new one"
        );
        assert!(
            !removes_only("I am sad", "I amsad"),
            "two words joined make a new one"
        );
        assert!(!removes_only("sad sad", "sad sad sad"), "a word repeated");
        assert!(
            !removes_only("it was fun", "it was fun."),
            "punctuation added"
        );
        assert!(
            !removes_only("it was fun", "it was [REMOVED] fun"),
            "the marker exactly"
        );
        assert!(!removes_only("", "x"));
    }

    #[test]
    fn words_keep_their_accents_and_emoji_their_joins() {
        assert!(removes_only("café 👍🏽 ok", "café ok"));
        assert!(!removes_only("café ok", "cafe ok"));
        assert!(!removes_only("👍🏽", "👍"));
    }
}
