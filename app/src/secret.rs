//! The server's secret: the key for digests that must not be reversible by
//! anyone holding a copy of the database (sign-in failure counts are keyed by
//! email and address). Every server behind a load balancer uses the same one
//! (`HEARD_SECRET`, or the file `HEARD_SECRET_FILE` names).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// 32 random bytes. Neither `Serialize` nor `Display`; `Debug` shows nothing.
#[derive(Clone)]
pub struct ServerSecret([u8; 32]);

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(..)")
    }
}

impl ServerSecret {
    /// A new random secret (tests, and a first start with no secret yet).
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        ServerSecret(bytes)
    }

    /// From its text form (as written by [`ServerSecret::to_text`], or any
    /// string of at least 32 characters, which is hashed down to 32 bytes).
    pub fn from_text(text: &str) -> Option<Self> {
        use base64::Engine;
        let text = text.trim();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) {
            if let Ok(bytes) = <[u8; 32]>::try_from(bytes.as_slice()) {
                return Some(ServerSecret(bytes));
            }
        }
        (text.chars().count() >= 32).then(|| {
            use sha2::Digest;
            ServerSecret(Sha256::digest(text.as_bytes()).into())
        })
    }

    pub fn to_text(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// An HMAC-SHA-256 of the parts (each length-prefixed, so `("ab", "c")`
    /// and `("a", "bc")` differ), as 32 hex characters (128 bits): short
    /// enough to keep many in memory, long enough never to collide by chance.
    pub fn digest(&self, parts: &[&str]) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_keyed_short_and_unambiguous() {
        let (a, b) = (ServerSecret::generate(), ServerSecret::generate());
        let d = a.digest(&["sign-in", "x@example.org", "127.0.0.1"]);
        assert_eq!(d.len(), 32);
        assert_eq!(d, a.digest(&["sign-in", "x@example.org", "127.0.0.1"]));
        assert_ne!(
            d,
            b.digest(&["sign-in", "x@example.org", "127.0.0.1"]),
            "another key"
        );
        assert_ne!(a.digest(&["ab", "c"]), a.digest(&["a", "bc"]));
    }

    #[test]
    fn secrets_round_trip_through_text_and_refuse_short_ones() {
        let s = ServerSecret::generate();
        let back = ServerSecret::from_text(&s.to_text()).unwrap();
        assert_eq!(s.digest(&["x"]), back.digest(&["x"]));
        assert!(ServerSecret::from_text("too short").is_none());
        assert!(ServerSecret::from_text(&"a long passphrase ".repeat(2)).is_some());
        assert_eq!(format!("{s:?}"), "ServerSecret(..)");
    }
}
