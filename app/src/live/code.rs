//! Join codes: six characters a young person can read off a projector and
//! type on a cracked phone. The alphabet leaves out every look-alike (0 and
//! O, 1, I and L), and typing is forgiving: any case, spaces and dashes.

/// Letters and digits a code is made of: 31, none of them confusable.
pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Characters in a code: 31^6 is about 887 million, so a guess that finds a
/// running session is about one in ten million even with a hundred running,
/// and guesses are limited.
pub const LENGTH: usize = 6;

/// The code a person typed, as stored, if it could be one.
pub fn normalise(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// A new random code.
#[cfg(feature = "ssr")]
pub fn generate() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..LENGTH)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The code split in two for reading aloud and off a screen: `ABC 234`.
pub fn spaced(code: &str) -> String {
    if code.len() == LENGTH && code.is_ascii() {
        format!("{} {}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in b"0O1IL" {
            assert!(!ALPHABET.contains(c), "{}", *c as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), 31);
    }

    #[test]
    fn typing_is_forgiving_about_case_spaces_and_dashes() {
        assert_eq!(normalise("abc 234").as_deref(), Some("ABC234"));
        assert_eq!(normalise(" Ab-C2 34 ").as_deref(), Some("ABC234"));
        assert_eq!(normalise("ABC234").as_deref(), Some("ABC234"));
    }

    #[test]
    fn what_cannot_be_a_code_is_refused() {
        for typed in [
            "", "ABC23", "ABC2345", "ABO234", "AB1234", "ABL234", "ABC23!", "ÅBC234",
        ] {
            assert_eq!(normalise(typed), None, "{typed}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn generated_codes_are_codes() {
        for _ in 0..1000 {
            let code = generate();
            assert_eq!(normalise(&code), Some(code.clone()));
        }
    }

    #[test]
    fn codes_are_spaced_for_reading() {
        assert_eq!(spaced("ABC234"), "ABC 234");
    }
}
