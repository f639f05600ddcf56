//! The feed document (`heard-feed/1`): what a local heard publishes of its
//! surveys that use national questions, already through
//! [`crate::disclosure`]. Pure: reading, writing and checking a document,
//! with no database and no keys.
//!
//! On the wire a document is its RFC 8785 canonical JSON (JSON
//! Canonicalization Scheme: keys sorted, no spaces, numbers and strings in
//! one spelling), so the bytes signed are the bytes sent and the hub can
//! tell a re-spelt document from the one that was signed.

use serde::{Deserialize, Serialize};

/// The format this heard writes and reads.
pub const FORMAT: &str = "heard-feed/1";

/// No count in a document is above this (England has about 12 million
/// young people): sums of many never overflow.
pub const MAX_COUNT: i64 = 1_000_000_000;

/// A disclosed count: a number (0, or at least the small threshold and a
/// multiple of the rounding base), or `null` where it is hidden (fewer than
/// 10, or hidden so that a small one cannot be worked out).
pub type Count = Option<i64>;

/// One feed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedDocument {
    pub format: String,
    /// The instance's stable identifier (`leeds-city-council`).
    pub instance: String,
    /// Its name as people read it.
    pub name: String,
    /// Grows with every document the instance signs; a hub refuses one that
    /// is not higher than the last it kept (a replay).
    pub sequence: i64,
    /// When it was signed (seconds since 1970, UTC).
    pub issued_at: i64,
    /// The Ed25519 public key that signed it (base64, 32 bytes).
    pub key: String,
    /// When the instance has moved to a new key: the old key's word for it.
    pub rotation: Option<Rotation>,
    /// The disclosure rules the counts went through.
    pub small: i64,
    pub round_to: i64,
    pub surveys: Vec<FeedSurvey>,
}

/// "My new key is `key`", signed by the old one ([`rotation_message`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    pub previous_key: String,
    /// The previous key's signature over [`rotation_message`] (base64).
    pub signature: String,
}

/// What an old key signs to hand over to a new one.
pub fn rotation_message(instance: &str, new_key: &str) -> Vec<u8> {
    format!("heard-feed-rotation/1\n{instance}\n{new_key}").into_bytes()
}

/// One survey's disclosed figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSurvey {
    /// The national template it uses, and its version.
    pub template: String,
    pub template_version: i64,
    /// The instance's own reference for the survey (opaque).
    pub reference: String,
    pub organisation: String,
    pub tables: Vec<FeedTable>,
    pub questions: Vec<FeedQuestion>,
}

/// What a table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Young people who responded.
    Responses,
    /// Answers to questions tagged with the table's outcome.
    Answered,
    /// Of those, the positive ones (scales 4–5, happy faces, "yes").
    Positive,
}

/// A disclosed table: areas down, age bands across, with the totals the
/// disclosure rules protected together ([`crate::disclosure::table`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedTable {
    pub measure: Measure,
    /// An Every Child Matters outcome's key, for answered and positive.
    pub outcome: Option<String>,
    /// `all`, or a group's key (a young person may be in several).
    pub group: String,
    /// Area codes ("" where none is known).
    pub areas: Vec<String>,
    /// Age band keys ("" where not said).
    pub age_bands: Vec<String>,
    /// `cells[area][age band]`.
    pub cells: Vec<Vec<Count>>,
    pub area_totals: Vec<Count>,
    pub age_band_totals: Vec<Count>,
    pub total: Count,
}

/// A national question's disclosed answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedQuestion {
    /// The question's identifier in its template.
    pub id: String,
    pub answered: Count,
    pub answers: Vec<FeedAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedAnswer {
    pub value: String,
    pub count: Count,
}

/// A published count as the feed writes it.
pub fn count_of(p: crate::disclosure::Published) -> Count {
    p.number()
}

/// The canonical bytes of a document (RFC 8785).
#[cfg(feature = "ssr")]
pub fn canonical(doc: &FeedDocument) -> Vec<u8> {
    // A document is plain data (strings, integers, lists, maps): it always
    // serialises.
    serde_json_canonicalizer::to_vec(doc).unwrap_or_default()
}

/// Why a document was refused, in words for the hub's log and its admin
/// page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    TooBig { limit: usize },
    NotJson(String),
    NotCanonical,
    WrongFormat(String),
    WrongInstance { expected: String, found: String },
    NoSignature,
    BadSignature,
    UnknownKey,
    Replay { last: i64, found: i64 },
    Stale { age_hours: i64 },
    FromTheFuture,
    Malformed(String),
    Unreachable(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::TooBig { limit } => write!(f, "refused: the document is bigger than {} KB", limit / 1024),
            Refusal::NotJson(e) => write!(f, "refused: not a feed document ({e})"),
            Refusal::NotCanonical => write!(f, "refused: the document is not in canonical JSON (RFC 8785), so its signature cannot be trusted"),
            Refusal::WrongFormat(v) => write!(f, "refused: format \u{201c}{v}\u{201d} is not {FORMAT}"),
            Refusal::WrongInstance { expected, found } => write!(f, "refused: the document says it is from \u{201c}{found}\u{201d}, not \u{201c}{expected}\u{201d}"),
            Refusal::NoSignature => write!(f, "refused: no Heard-Signature header"),
            Refusal::BadSignature => write!(f, "refused: the signature does not match the document (it was changed, or signed with another key)"),
            Refusal::UnknownKey => write!(f, "refused: signed with a key this hub does not know for the instance, and no handover from the known key"),
            Refusal::Replay { last, found } => write!(f, "refused: sequence {found} is not after the last kept ({last}); an old document sent again"),
            Refusal::Stale { age_hours } => write!(f, "refused: the document is {age_hours} hours old"),
            Refusal::FromTheFuture => write!(f, "refused: the document is dated in the future (check the instance's clock)"),
            Refusal::Malformed(why) => write!(f, "refused: {why}"),
            Refusal::Unreachable(why) => write!(f, "could not reach the instance: {why}"),
        }
    }
}

/// Checks what a document says, beyond its signature: the format, and
/// that every count is one the disclosure rules could have published (so
/// a local instance that skipped them is refused, not merged).
pub fn check(doc: &FeedDocument) -> Result<(), Refusal> {
    if doc.format != FORMAT {
        return Err(Refusal::WrongFormat(doc.format.clone()));
    }
    let bad = |why: String| Err(Refusal::Malformed(why));
    let heard = crate::disclosure::DEFAULT;
    if doc.small < heard.small
        || doc.round_to < heard.round_to
        || doc.round_to % heard.round_to != 0
    {
        return bad(format!(
            "its disclosure rules (fewer than {}, rounded to {}) are weaker than heard's",
            doc.small, doc.round_to
        ));
    }
    if doc.sequence < 1 {
        return bad("its sequence number is not positive".into());
    }
    let ok = |c: &Count| match c {
        None | Some(0) => true,
        Some(n) => *n >= doc.small && *n <= MAX_COUNT && n % doc.round_to == 0,
    };
    for s in &doc.surveys {
        if s.template.is_empty() || s.reference.is_empty() {
            return bad("a survey has no template or reference".into());
        }
        for t in &s.tables {
            if t.cells.len() != t.areas.len()
                || t.area_totals.len() != t.areas.len()
                || t.age_band_totals.len() != t.age_bands.len()
                || t.cells.iter().any(|row| row.len() != t.age_bands.len())
            {
                return bad(format!(
                    "a table of survey {} does not add up to its areas and age bands",
                    s.reference
                ));
            }
            if (t.measure == Measure::Responses) != t.outcome.is_none() {
                return bad(format!(
                    "a table of survey {} names the wrong outcome",
                    s.reference
                ));
            }
            let counts = t
                .cells
                .iter()
                .flatten()
                .chain(&t.area_totals)
                .chain(&t.age_band_totals)
                .chain(std::iter::once(&t.total));
            if let Some(n) = counts.clone().find(|c| !ok(c)) {
                return bad(format!(
                    "survey {} publishes a count of {} (counts must be 0, or {} or more and rounded to {})",
                    s.reference,
                    n.unwrap_or_default(),
                    doc.small,
                    doc.round_to
                ));
            }
        }
        for q in &s.questions {
            let counts = q
                .answers
                .iter()
                .map(|a| &a.count)
                .chain(std::iter::once(&q.answered));
            if let Some(n) = counts.clone().find(|c| !ok(c)) {
                return bad(format!(
                    "survey {} publishes a count of {} for question {}",
                    s.reference,
                    n.unwrap_or_default(),
                    q.id
                ));
            }
        }
    }
    Ok(())
}
