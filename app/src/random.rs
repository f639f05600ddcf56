//! Unguessable tokens: session tokens, form keys, submission keys, CSP nonces.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;

/// `BYTES` random bytes from the operating system's generator, as URL-safe
/// base64 (letters, digits, `-` and `_`).
pub fn token<const BYTES: usize>() -> String {
    let mut bytes = [0u8; BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_fresh_and_url_safe() {
        let (a, b) = (super::token::<16>(), super::token::<16>());
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(crate::forms::is_key(&a));
    }
}
