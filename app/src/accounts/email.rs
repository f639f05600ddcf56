//! An email address as staff type them: trimmed, lower case, one `@` with
//! something before it and a dotted domain after it, at most 254 characters.
//! The app (adding a colleague, signing in) and the command line
//! (`heard user add`) parse it the same way.

use serde::{Deserialize, Serialize};

/// The longest an email address can be.
pub const MAX_LENGTH: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, String> {
        let email = raw.trim().to_lowercase();
        let ok = email.chars().count() <= MAX_LENGTH
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            });
        if ok {
            Ok(Email(email))
        } else {
            Err("Enter an email address like name@example.org.".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_tidied_and_must_look_like_addresses() {
        assert_eq!(
            Email::parse("  Sam.Jones@Youth.Example ").unwrap().as_str(),
            "sam.jones@youth.example"
        );
        for bad in [
            "",
            "sam",
            "sam@",
            "@org.example",
            "sam@org",
            "sam@@org.example",
            "sa m@org.example",
            "sam@org.example.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Email::parse("  Lead@Example.ORG ").unwrap().as_str(),
            "lead@example.org"
        );
        for bad in [
            "",
            "lead",
            "lead@",
            "@example.org",
            "lead@example",
            "a@b@c.org",
            "le ad@example.org",
            "lead@.org",
            "lead@example.org.",
            "lead@example..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(250))).is_err());
    }
}
