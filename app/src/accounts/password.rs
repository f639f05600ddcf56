//! Passwords: argon2id, hashed off the async runtime. At least 12 characters,
//! no composition rules.

use argon2::password_hash::{rand_core::OsRng, PasswordHash as Phc, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

/// A stored argon2id hash. Deliberately neither `Serialize` nor `Display`.
#[derive(Clone)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl PasswordHash {
    pub fn from_stored(s: String) -> Self {
        PasswordHash(s)
    }

    pub fn as_stored(&self) -> &str {
        &self.0
    }
}

/// Checks the length rule; the message is shown to the person choosing it.
/// A one-time password to hand to a new colleague: 20 characters from an
/// alphabet without look-alikes (no 0/o, 1/l/i), about 99 bits. Its holder must
/// choose their own at first sign-in.
pub fn one_time() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub fn check_new(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Err(format!(
            "Passwords must be at least {MIN_LENGTH} characters long."
        ))
    } else if n > MAX_LENGTH {
        Err(format!(
            "Passwords must be at most {MAX_LENGTH} characters long."
        ))
    } else {
        Ok(())
    }
}

pub async fn hash(password: String) -> Result<PasswordHash, crate::error::AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| PasswordHash(h.to_string()))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        crate::error::AppError::Unexpected
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        crate::error::AppError::Unexpected
    })
}

/// Verifies off the runtime. With no stored hash, still spends the same effort
/// so that timing does not reveal whether an account exists.
pub async fn verify(password: String, stored: Option<PasswordHash>) -> bool {
    tokio::task::spawn_blocking(move || {
        let found = stored.is_some();
        let phc_text = match stored {
            Some(h) => h.0,
            // A decoy hash; the result is discarded, so even its own password fails.
            None => Argon2::default()
                .hash_password(b"decoy-password-x", &SaltString::generate(&mut OsRng))
                .map(|h| h.to_string())
                .unwrap_or_default(),
        };
        let matches = Phc::new(&phc_text)
            .map(|phc| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &phc)
                    .is_ok()
            })
            .unwrap_or(false);
        found && matches
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_the_only_rule() {
        assert!(check_new("short").is_err());
        assert!(check_new("correct horse").is_ok());
        assert!(check_new("aaaaaaaaaaaa").is_ok());
        assert!(check_new(&"a".repeat(MAX_LENGTH + 1)).is_err());
    }

    #[test]
    fn one_time_passwords_are_long_unambiguous_and_different() {
        let (a, b) = (one_time(), one_time());
        assert_ne!(a, b);
        assert_eq!(a.len(), 20);
        assert!(check_new(&a).is_ok());
        assert!(
            !a.chars().any(|c| "01ilo".contains(c)),
            "no look-alikes to misread over the phone: {a}"
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("a long enough password".into()).await.unwrap();
        assert!(h.as_stored().starts_with("$argon2id$"));
        assert!(verify("a long enough password".into(), Some(h.clone())).await);
        assert!(!verify("a long enough passworD".into(), Some(h)).await);
        assert!(!verify("decoy-password-x".into(), None).await);
    }
}
