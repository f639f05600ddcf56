//! Personal details in free text: found and replaced by a marker, so what
//! leaves the organisation cannot lead anyone to the young person.
//!
//! Found, in this order (each pass sees the markers of the ones before, so a
//! handle is never looked for inside an email address):
//!
//! 1. email addresses, also written out ("jess at gmail dot com",
//!    "kai[at]icloud[dot]com");
//! 2. web links, with or without a scheme or `www.`, bare domains with a
//!    common ending ("jessvlogs.co.uk", "youtu.be/…") and "youtube dot com";
//! 3. UK phone numbers, mobile and landline, `+44`, `0044`, `(0)`, with
//!    spaces, dashes, dots or brackets anywhere;
//! 4. UK postcodes, with or without the space, any case, whose area is a
//!    real one (so "KS3 4th" or "Y9 2nd" stay);
//! 5. usernames: `@name`, and a name after a platform ("snap: jess",
//!    "my insta is jess", "add me on tiktok jess", "roblox username jess",
//!    "snapchat jess_2010"). After a bare platform name only something that
//!    looks like a handle (a digit, `_`, `.` or `#` in it) is taken, as
//!    "insta reels" and "tiktok dances" are far more common than a plain
//!    word that is a username; after a cue (":", "is", "add me on") any word
//!    but a common one is.
//!
//! Not found: street addresses, names, schools, numbers written as words.
//!
//! `linkify` finds well-formed emails and links; `regex` (no look-around:
//! boundaries are checked in code) the rest.

use super::Detail;
use linkify::{LinkFinder, LinkKind};
use regex::{Regex, RegexBuilder};
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::OnceLock;

/// One pass: the spans of one kind of detail.
type Pass = fn(&Finders, &str) -> Vec<Range<usize>>;

/// `text` with every personal detail replaced by its marker, and the kinds found.
pub fn redact(text: &str) -> (String, Vec<Detail>) {
    let f = finders();
    let mut out = text.to_string();
    let mut found = BTreeSet::new();
    let passes: [(Detail, Pass); 5] = [
        (Detail::Email, Finders::emails),
        (Detail::Link, Finders::links),
        (Detail::Phone, Finders::phones),
        (Detail::Postcode, Finders::postcodes),
        (Detail::Username, Finders::usernames),
    ];
    for (detail, find) in passes {
        let spans = merge(find(f, &out));
        if !spans.is_empty() {
            out = replace(&out, &spans, detail.marker());
            found.insert(detail);
        }
    }
    (out, found.into_iter().collect())
}

/// Sorted, with overlapping or touching spans joined.
fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

fn replace(text: &str, spans: &[Range<usize>], marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        out.push_str(marker);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Endings of bare domains taken as links without a scheme. Short endings
/// that are also English words ("to", "me", "is", "it", "in", "so", "be")
/// are left out: "it was good.So we went" is not a link.
const ENDINGS: &str = "com|net|org|uk|co|io|gg|tv|app|dev|xyz|info|biz|ly|link|site|online|shop|store|fm|ai|eu|ie|de|fr|es|ca|au|nz|edu|gov|ac|sch|nhs|club|games|blog";

/// Mail services: "jess at gmail.com" is an email even without digits.
const MAIL_SERVICES: &[&str] = &[
    "gmail",
    "googlemail",
    "hotmail",
    "outlook",
    "live",
    "yahoo",
    "icloud",
    "me",
    "aol",
    "btinternet",
    "sky",
    "virginmedia",
    "talktalk",
    "protonmail",
    "proton",
    "msn",
    "mail",
];

/// Platforms people give a username for.
const PLATFORMS: &str = r"snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|discord|twitter|facebook|fb|youtube|yt|twitch|roblox|fortnite|epic|psn|playstation|xbox|steam|kik|telegram|threads|bereal|pinterest|reddit|minecraft|whatsapp|signal";

/// What may stand between a platform and the name.
const LABEL: &str = r"user\s?name|name|handle|id|tag|gamer\s?tag|acc(?:ount)?|@";

/// A username's shape: letters, digits, `_`, `.` and `#` inside.
const HANDLE: &str = r"[A-Za-z0-9_](?:[A-Za-z0-9_.#]*[A-Za-z0-9_])?";

/// Words that follow a cue ("my insta is …") without being a username.
const COMMON: &[&str] = &[
    "a",
    "an",
    "the",
    "is",
    "it",
    "its",
    "it's",
    "and",
    "or",
    "but",
    "so",
    "to",
    "too",
    "on",
    "off",
    "in",
    "at",
    "of",
    "for",
    "with",
    "my",
    "me",
    "i",
    "you",
    "your",
    "we",
    "they",
    "them",
    "he",
    "she",
    "not",
    "no",
    "yes",
    "just",
    "only",
    "really",
    "very",
    "private",
    "public",
    "full",
    "down",
    "broken",
    "blocked",
    "banned",
    "deleted",
    "hacked",
    "gone",
    "closed",
    "open",
    "locked",
    "boring",
    "fun",
    "good",
    "bad",
    "great",
    "best",
    "better",
    "worse",
    "new",
    "old",
    "dead",
    "because",
    "cos",
    "coz",
    "lol",
    "all",
    "every",
    "everyday",
    "loads",
    "lots",
    "more",
    "much",
    "now",
    "then",
    "there",
    "here",
    "this",
    "that",
    "when",
    "if",
    "as",
    "are",
    "was",
    "be",
    "been",
    "am",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "cant",
    "will",
    "would",
    "should",
    "could",
    "please",
    "pls",
    "plz",
    "thanks",
    "account",
    "acc",
    "name",
    "username",
    "handle",
    "page",
    "story",
    "stories",
    "video",
    "videos",
    "app",
    "too",
    "also",
    "again",
    "instead",
    "same",
    "different",
    "mine",
    "yours",
    "here",
    "about",
    "up",
    "out",
];

struct Finders {
    link_finder: LinkFinder,
    email_finder: LinkFinder,
    written_email: Regex,
    bare_domain: Regex,
    written_domain: Regex,
    phone: Regex,
    postcode: Regex,
    at_handle: Regex,
    /// "snap: jess", "snapchat name is jess", "my insta is jess", "add me on snap jess",
    /// "snap me on jess".
    cued_handles: [Regex; 5],
    bare_handle: Regex,
    platform: Regex,
}

fn finders() -> &'static Finders {
    static FINDERS: OnceLock<Finders> = OnceLock::new();
    FINDERS.get_or_init(Finders::new)
}

fn ci(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .expect("a valid pattern")
}

impl Finders {
    fn new() -> Finders {
        let mut link_finder = LinkFinder::new();
        link_finder
            .kinds(&[LinkKind::Url])
            .url_must_have_scheme(false);
        let mut email_finder = LinkFinder::new();
        email_finder.kinds(&[LinkKind::Email]);
        let at = r"(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+)";
        let dot = r"(?:\s*\.\s*|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)";
        let word = r"[a-z0-9_%+'-]+";
        let handles = [
            // snap: jess, ig = jess, username: jess
            format!(
                r"(?-u:\b)(?:{PLATFORMS}|user\s?name|gamer\s?tag)\s*(?:(?:{LABEL})\s*)?[:=]\s*@?({HANDLE})"
            ),
            // snapchat name is jess, roblox username jess, xbox gamertag is jess
            format!(r"(?-u:\b)(?:{PLATFORMS})\s+(?:{LABEL})(?:\s+is)?\s+@?({HANDLE})"),
            // my insta is jess, my username is jess, my xbox gamertag is jess
            format!(
                r"(?-u:\b)my\s+(?:(?:{PLATFORMS})\s+)?(?:(?:{LABEL})\s+)?(?:is|=|:)\s*@?({HANDLE})"
            ),
            // add me on snap jess, follow me on insta its jess
            format!(
                r"(?-u:\b)(?:add|follow|dm|message|msg|text|hmu|find|search|friend)\s+(?:me\s+)?(?:on\s+|at\s+)?(?:{PLATFORMS})(?:\s*(?:its|it's|is|as|name|username|@|:|-))*\s+@?({HANDLE})"
            ),
            // snap me on jess, message me at jess
            format!(
                r"(?-u:\b)(?:snap|sc|message|msg|dm|text|add|hmu|follow)\s+me\s+(?:on|at|@)\s*@?({HANDLE})"
            ),
        ];
        Finders {
            link_finder,
            email_finder,
            written_email: ci(&format!(
                r"(?-u:\b){word}(?:{dot}{word})*{at}[a-z0-9-]+(?:{dot}[a-z0-9-]+)*{dot}(?:{ENDINGS})(?-u:\b)"
            )),
            bare_domain: ci(&format!(
                r"(?-u:\b)(?:youtu\.be|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{ENDINGS}))(?-u:\b)(?:[/?#]\S*)?"
            )),
            written_domain: ci(&format!(
                r"(?-u:\b)[a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)*\s+dot\s+(?:{ENDINGS})(?-u:\b)(?:\s+slash\s+[a-z0-9_.-]+)*"
            )),
            phone: ci(
                r"(?:(?:\+|(?-u:\b)00)\s*44\s*(?:\(\s*0\s*\)\s*)?|(?:\(\s*)?(?-u:\b)0)[1235789](?:[\s\-.()]{0,3}\d){8,9}",
            ),
            postcode: ci(
                r"(?-u:\b)([a-z]{1,2})[0-9][a-z0-9]?\s?([0-9][abd-hjlnp-uw-z]{2})(?-u:\b)",
            ),
            at_handle: ci(&format!(r"(?:^|[^\w@.])(@{HANDLE})")),
            cued_handles: handles.map(|h| ci(&h)),
            platform: ci(&format!("^(?:{PLATFORMS})$")),
            bare_handle: ci(&format!(
                r"(?-u:\b)(?:{PLATFORMS})(?:\s*-\s*|\s+)@?({HANDLE})"
            )),
        }
    }

    fn emails(&self, text: &str) -> Vec<Range<usize>> {
        let mut spans: Vec<_> = self
            .email_finder
            .links(text)
            .map(|l| l.start()..l.end())
            .collect();
        for m in self.written_email.find_iter(text) {
            if written_email_is_one(m.as_str()) {
                spans.push(m.range());
            }
        }
        spans
    }

    fn links(&self, text: &str) -> Vec<Range<usize>> {
        let mut spans: Vec<_> = self
            .link_finder
            .links(text)
            .filter(|l| {
                let s = l.as_str().to_ascii_lowercase();
                s.contains("://") || s.starts_with("www.") || self.bare_domain.is_match(&s)
            })
            .map(|l| l.start()..l.end())
            .collect();
        for m in self.bare_domain.find_iter(text) {
            let s = m.as_str();
            spans.push(m.start()..m.start() + s.trim_end_matches(is_trailing).len());
        }
        spans.extend(self.written_domain.find_iter(text).map(|m| m.range()));
        spans
    }

    fn phones(&self, text: &str) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        self.phone
            .find_iter(text)
            .filter(|m| {
                // No digit or letter straight before or after: not part of a longer number.
                let before = m.start().checked_sub(1).map(|i| bytes[i]);
                let after = bytes.get(m.end()).copied();
                !before.is_some_and(|b| b.is_ascii_alphanumeric())
                    && !after.is_some_and(|b| b.is_ascii_alphanumeric())
            })
            .map(|m| m.range())
            .collect()
    }

    fn postcodes(&self, text: &str) -> Vec<Range<usize>> {
        self.postcode
            .captures_iter(text)
            .filter(|c| {
                let area = c[1].to_ascii_uppercase();
                let inward = &c[2];
                let ordinal = ["st", "nd", "rd", "th"].contains(&&inward[1..])
                    && inward[1..].chars().all(|ch| ch.is_ascii_lowercase());
                POSTCODE_AREAS.split(' ').any(|a| a == area) && !ordinal
            })
            .map(|c| c.get(0).expect("whole match").range())
            .collect()
    }

    fn usernames(&self, text: &str) -> Vec<Range<usize>> {
        let mut spans: Vec<_> = self
            .at_handle
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.range())
            .collect();
        for re in &self.cued_handles {
            for c in re.captures_iter(text) {
                let m = c.get(1).expect("a handle");
                if !is_common(m.as_str()) && !self.platform.is_match(m.as_str()) {
                    spans.push(m.range());
                }
            }
        }
        for c in self.bare_handle.captures_iter(text) {
            let m = c.get(1).expect("a handle");
            if looks_like_handle(m.as_str()) {
                spans.push(m.range());
            }
        }
        spans
    }
}

/// "jess at gmail dot com" is plainly an email; "it at argos.co.uk" is a
/// shop's website (found as a link by the next pass).
fn written_email_is_one(found: &str) -> bool {
    let lower = found.to_ascii_lowercase();
    let written = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "dot")
        || ["(at", "[at", "{at", "<at"]
            .iter()
            .any(|a| lower.contains(a));
    if lower.contains('@') || written {
        return true;
    }
    let Some((local, domain)) = lower.split_once(" at ") else {
        return false;
    };
    let service = domain.trim().split(['.', ' ']).next().unwrap_or("");
    MAIL_SERVICES.contains(&service)
        || local.contains(|c: char| c.is_ascii_digit() || c == '.' || c == '_')
}

fn is_trailing(c: char) -> bool {
    matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | ')' | '\'' | '"')
}

fn is_common(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    COMMON.contains(&w.as_str())
}

fn looks_like_handle(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_alphabetic())
        && word.contains(|c: char| c.is_ascii_digit() || matches!(c, '_' | '.' | '#'))
}

/// The 121 postcode areas of the UK (and the Crown dependencies).
const POSTCODE_AREAS: &str = "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE";

#[cfg(test)]
mod tests;
