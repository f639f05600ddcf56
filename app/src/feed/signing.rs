//! Ed25519 keys and detached signatures for feed documents
//! (`ed25519-dalek`). The private key lives in a file named by
//! configuration (`HEARD_FEED_KEY`), never in the database and never in a
//! log: [`FeedKey`]'s `Debug` shows the public half only.

use super::document::{canonical, rotation_message, FeedDocument, Refusal, Rotation};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use std::path::Path;

/// The first word of a key file, so a wrong file is named as such.
const KEY_FILE_TAG: &str = "heard-feed-key/1";

/// The header that carries a document's signature.
pub const SIGNATURE_HEADER: &str = "heard-signature";

/// An instance's signing key.
pub struct FeedKey(SigningKey);

impl std::fmt::Debug for FeedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FeedKey(public {})", self.public())
    }
}

impl FeedKey {
    pub fn generate() -> FeedKey {
        FeedKey(SigningKey::generate(&mut rand::rngs::OsRng))
    }

    /// The public key, base64.
    pub fn public(&self) -> String {
        B64.encode(self.0.verifying_key().as_bytes())
    }

    /// The key file's text.
    pub fn file_text(&self) -> String {
        format!("{KEY_FILE_TAG} {}\n", B64.encode(self.0.to_bytes()))
    }

    pub fn from_file_text(text: &str) -> Result<FeedKey, String> {
        let rest = text
            .trim()
            .strip_prefix(KEY_FILE_TAG)
            .ok_or("it is not a heard feed key (make one with `heard feed keygen`)")?;
        let bytes = B64
            .decode(rest.trim())
            .map_err(|_| "its key is not base64".to_string())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "its key is not 32 bytes".to_string())?;
        Ok(FeedKey(SigningKey::from_bytes(&bytes)))
    }

    /// Reads a key file, naming the file (never the key) when it can't.
    pub fn read(path: &Path) -> Result<FeedKey, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("the feed key {} could not be read: {e}", path.display()))?;
        FeedKey::from_file_text(&text)
            .map_err(|e| format!("the feed key {} is not usable: {e}", path.display()))
    }

    /// Writes a new key file readable by its owner only; never over an
    /// existing file.
    pub fn write_new(&self, path: &Path) -> Result<(), String> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(path)
            .map_err(|e| format!("{} could not be made: {e}", path.display()))?;
        file.write_all(self.file_text().as_bytes())
            .and_then(|_| file.sync_all())
            .map_err(|e| format!("{} could not be written: {e}", path.display()))
    }

    /// The signature of `bytes`, base64.
    pub fn sign(&self, bytes: &[u8]) -> String {
        B64.encode(self.0.sign(bytes).to_bytes())
    }

    /// The handover from this (old) key to `new`.
    pub fn hand_over(&self, instance: &str, new: &FeedKey) -> Rotation {
        Rotation {
            previous_key: self.public(),
            signature: self.sign(&rotation_message(instance, &new.public())),
        }
    }
}

fn verifying_key(b64: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = B64.decode(b64.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether `signature` (base64) is `key`'s (base64) over `bytes`.
pub fn verify(key: &str, bytes: &[u8], signature: &str) -> bool {
    let Some(key) = verifying_key(key) else {
        return false;
    };
    let Ok(sig) = B64.decode(signature.trim()) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&sig) else {
        return false;
    };
    key.verify_strict(bytes, &sig).is_ok() && key.verify(bytes, &sig).is_ok()
}

/// What a hub concludes from a signed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub document: FeedDocument,
    /// The key the hub should know the instance by from now on, when the
    /// document handed over to a new one.
    pub new_key: Option<String>,
}

/// Reads and verifies a signed document for an instance the hub knows by
/// `instance` and `known_key`: the bytes must be the canonical JSON of a
/// document from that instance, signed by the known key, or by a new key
/// the known one handed over to.
pub fn open(
    bytes: &[u8],
    signature: Option<&str>,
    instance: &str,
    known_key: &str,
) -> Result<Verified, Refusal> {
    let signature = signature.ok_or(Refusal::NoSignature)?;
    let document: FeedDocument =
        serde_json::from_slice(bytes).map_err(|e| Refusal::NotJson(short(&e.to_string())))?;
    if canonical(&document) != bytes {
        return Err(Refusal::NotCanonical);
    }
    if document.instance != instance {
        return Err(Refusal::WrongInstance {
            expected: instance.to_string(),
            found: short(&document.instance),
        });
    }
    let new_key = if document.key == known_key {
        None
    } else {
        match &document.rotation {
            Some(r)
                if r.previous_key == known_key
                    && verify(
                        known_key,
                        &rotation_message(instance, &document.key),
                        &r.signature,
                    ) =>
            {
                Some(document.key.clone())
            }
            _ => return Err(Refusal::UnknownKey),
        }
    };
    if !verify(&document.key, bytes, signature) {
        return Err(Refusal::BadSignature);
    }
    super::document::check(&document)?;
    Ok(Verified { document, new_key })
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::document::{FeedSurvey, FeedTable, Measure, FORMAT};

    fn doc(key: &FeedKey, sequence: i64) -> FeedDocument {
        FeedDocument {
            format: FORMAT.into(),
            instance: "leeds".into(),
            name: "Leeds heard".into(),
            sequence,
            issued_at: 1_800_000_000,
            key: key.public(),
            rotation: None,
            small: 10,
            round_to: 5,
            surveys: vec![FeedSurvey {
                template: "growing-up".into(),
                template_version: 1,
                reference: "s1".into(),
                organisation: "Leeds Youth Council".into(),
                tables: vec![FeedTable {
                    measure: Measure::Responses,
                    outcome: None,
                    group: "all".into(),
                    areas: vec!["E08000035".into()],
                    age_bands: vec!["11-13".into(), "14-16".into()],
                    cells: vec![vec![Some(25), None]],
                    area_totals: vec![Some(30)],
                    age_band_totals: vec![Some(25), None],
                    total: Some(30),
                }],
                questions: vec![],
            }],
        }
    }

    fn signed(key: &FeedKey, d: &FeedDocument) -> (Vec<u8>, String) {
        let bytes = canonical(d);
        let sig = key.sign(&bytes);
        (bytes, sig)
    }

    #[test]
    fn a_signed_document_opens_with_its_key_and_not_with_another() {
        let key = FeedKey::generate();
        let (bytes, sig) = signed(&key, &doc(&key, 1));
        let v = open(&bytes, Some(&sig), "leeds", &key.public()).unwrap();
        assert_eq!(v.document.sequence, 1);
        assert_eq!(v.new_key, None);
        let other = FeedKey::generate();
        assert_eq!(
            open(&bytes, Some(&sig), "leeds", &other.public()),
            Err(Refusal::UnknownKey)
        );
        assert_eq!(
            open(&bytes, None, "leeds", &key.public()),
            Err(Refusal::NoSignature)
        );
        assert!(matches!(
            open(&bytes, Some(&sig), "york", &key.public()),
            Err(Refusal::WrongInstance { .. })
        ));
    }

    #[test]
    fn every_changed_byte_is_refused() {
        let key = FeedKey::generate();
        let (bytes, sig) = signed(&key, &doc(&key, 3));
        for i in 0..bytes.len() {
            let mut t = bytes.clone();
            t[i] ^= 0x01;
            assert!(
                open(&t, Some(&sig), "leeds", &key.public()).is_err(),
                "byte {i} changed and still opened"
            );
        }
        // Re-spelt (not canonical) but the same data: refused too.
        let pretty = serde_json::to_vec_pretty(&doc(&key, 3)).unwrap();
        assert_eq!(
            open(&pretty, Some(&sig), "leeds", &key.public()),
            Err(Refusal::NotCanonical)
        );
    }

    #[test]
    fn a_new_key_is_taken_only_with_the_old_ones_handover() {
        let old = FeedKey::generate();
        let new = FeedKey::generate();
        let mut d = doc(&new, 4);
        d.rotation = Some(old.hand_over("leeds", &new));
        let (bytes, sig) = signed(&new, &d);
        let v = open(&bytes, Some(&sig), "leeds", &old.public()).unwrap();
        assert_eq!(v.new_key, Some(new.public()));
        // A handover signed by someone else's key is not one.
        let stranger = FeedKey::generate();
        let mut forged = doc(&new, 5);
        forged.rotation = Some(Rotation {
            previous_key: old.public(),
            signature: stranger.sign(&rotation_message("leeds", &new.public())),
        });
        let (bytes, sig) = signed(&new, &forged);
        assert_eq!(
            open(&bytes, Some(&sig), "leeds", &old.public()),
            Err(Refusal::UnknownKey)
        );
    }

    #[test]
    fn a_count_the_rules_would_not_publish_is_refused() {
        let key = FeedKey::generate();
        let mut d = doc(&key, 1);
        d.surveys[0].tables[0].cells[0][1] = Some(3);
        let (bytes, sig) = signed(&key, &d);
        assert!(matches!(
            open(&bytes, Some(&sig), "leeds", &key.public()),
            Err(Refusal::Malformed(_))
        ));
        d.surveys[0].tables[0].cells[0][1] = Some(12);
        let (bytes, sig) = signed(&key, &d);
        assert!(matches!(
            open(&bytes, Some(&sig), "leeds", &key.public()),
            Err(Refusal::Malformed(_))
        ));
    }

    #[test]
    fn key_files_round_trip_and_never_show_the_private_half() {
        let key = FeedKey::generate();
        let again = FeedKey::from_file_text(&key.file_text()).unwrap();
        assert_eq!(again.public(), key.public());
        let secret = key.file_text();
        let secret = secret.split_whitespace().nth(1).unwrap();
        assert!(!format!("{key:?}").contains(secret));
        assert!(FeedKey::from_file_text("not a key").is_err());
    }
}
