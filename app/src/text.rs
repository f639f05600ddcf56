//! Cleaning text people type, staff and young people alike, before it is
//! checked or stored: line endings made plain, control characters dropped,
//! and the invisible characters that can hide or reorder what a reader sees
//! (zero-width characters, bidirectional overrides and isolates) removed.
//! Pure; used on both sides of the wire.

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
    )
}

/// Trims, normalises line endings and drops control and invisible characters
/// (keeping new lines when `multiline`; otherwise they become spaces).
pub fn clean(text: &str, multiline: bool) -> String {
    let text = text.replace("\r\n", "\n");
    let kept: String = text
        .chars()
        .map(|c| if c == '\n' && !multiline { ' ' } else { c })
        .filter(|c| (!c.is_control() || (multiline && *c == '\n')) && !is_invisible(*c))
        .collect();
    kept.trim().to_string()
}

/// [`clean`] for a one-line field: a title, a name, an option.
pub fn clean_line(text: &str) -> String {
    clean(text, false)
}

/// How long text is as a person sees it (placeholder until graphemes).
pub fn visible_len(text: &str) -> usize {
    text.chars().count()
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
}
