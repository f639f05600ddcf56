//! Words and phrases that may mean a young person, or someone else, is at
//! risk. heard's standard list is `risk_phrases.txt` beside this file; an
//! administrator (for everyone) and a safeguarding lead (for their
//! organisation) add more in the app, checked by [`check_phrase`].
//!
//! Matching is for safeguarding, so it prefers a false alarm to a miss.
//! Text and phrases are folded the same way before they are compared:
//!
//! - case and accents go ("SUİCİDE", "suïcide"), and a few look-alike letters
//!   from other alphabets (Cyrillic "а", "е", "о" …) become Latin;
//! - look-alike digits and symbols stand for letters: `0` o, `1` i or l,
//!   `3` e, `4` a, `5` s, `7` t, `8` b, `9` g, `@` a, `$` s, `!` and `|`
//!   i or l, `+` t, `€` e ("k1ll", "$uicide", "r@pe");
//! - letters written more than once count once ("killlll", "pleeease");
//! - spaces and punctuation inside a phrase do not matter ("k i l l my
//!   self", "kill.my.self", "killmyself" all match "kill myself").
//!
//! A phrase must start where a word starts and end where a word ends, so
//! "grapes" does not match "rape", "therapist" not "rapist", "skills" not
//! "kill"; the words of a phrase may be run together or spaced out.
//!
//! In the list, a `*` at the end of a word stands for any ending of that
//! word: `hit* me` matches "hit me", "hits me", "hitting me". A line
//! starting with `#` is a heading or a comment.
//!
//! How: the phrases are folded into a trie once (the standard list in a
//! `OnceLock`, additions each time [`RiskList::with_additions`] is called);
//! the text is folded once and the trie walked from the start of each word.

use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The most characters (as a person sees them) a phrase may have.
pub const PHRASE_MAX: usize = 100;

/// Why a phrase someone tried to add cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseProblem {
    Empty,
    TooLong,
    /// Only punctuation or symbols: it would match nothing.
    NoLetterOrDigit,
    /// A single letter or digit would match almost every answer.
    TooShort,
}

/// A compiled list: heard's standard phrases and any added in the app.
#[derive(Debug, Clone)]
pub struct RiskList {
    /// Additions only; the standard list is always searched too.
    additions: Option<Trie>,
    standard: bool,
}

impl RiskList {
    /// heard's standard list only.
    pub fn standard() -> &'static RiskList {
        static STANDARD: OnceLock<RiskList> = OnceLock::new();
        STANDARD.get_or_init(|| RiskList {
            additions: None,
            standard: true,
        })
    }

    /// The standard list and `additions` (phrases already checked by [`check_phrase`]).
    pub fn with_additions(additions: &[String]) -> RiskList {
        RiskList {
            additions: (!additions.is_empty())
                .then(|| Trie::build(additions.iter().map(String::as_str))),
            standard: true,
        }
    }

    /// A list of its own, without the standard phrases: `list` is one phrase
    /// a line, `#` comments, in the syntax of `risk_phrases.txt`.
    pub(crate) fn only(list: &str) -> RiskList {
        RiskList {
            additions: Some(Trie::build(phrase_lines(list))),
            standard: false,
        }
    }

    /// Number of phrases in the standard list.
    pub fn standard_len() -> usize {
        standard_trie().phrases.len()
    }

    /// The standard list's phrases, as written, in order.
    pub fn standard_phrases() -> impl Iterator<Item = &'static str> {
        standard_trie().phrases.iter().map(String::as_str)
    }

    /// The first phrase `text` matches (the one that starts earliest), as
    /// written in the list.
    pub fn find(&self, text: &str) -> Option<&str> {
        let folded = Folded::new(text);
        let tries: Vec<&Trie> = self
            .standard
            .then(standard_trie)
            .into_iter()
            .chain(self.additions.as_ref())
            .collect();
        let mut failed: Vec<HashSet<(u32, u32)>> = vec![HashSet::new(); tries.len()];
        (0..folded.syms.len())
            .filter(|&at| folded.may_start(at))
            .find_map(|at| {
                tries.iter().zip(&mut failed).find_map(|(t, failed)| {
                    t.walk(&folded, at, 0, None, failed)
                        .map(|p| t.phrases[p as usize].as_str())
                })
            })
    }
}

fn standard_trie() -> &'static Trie {
    static TRIE: OnceLock<Trie> = OnceLock::new();
    TRIE.get_or_init(|| Trie::build(phrase_lines(include_str!("risk_phrases.txt"))))
}

/// The phrases in a list file: not blank, not `#` comments.
fn phrase_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A phrase someone wants to add, tidied (clean, lower case, `*` only at
/// the ends of words), or why not.
pub fn check_phrase(input: &str) -> Result<String, PhraseProblem> {
    let cleaned = crate::text::clean_line(input).to_lowercase();
    let tidied = cleaned
        .split(' ')
        .map(|word| {
            let stars = word.ends_with('*');
            let bare: String = word.chars().filter(|&c| c != '*').collect();
            if stars && !bare.is_empty() {
                bare + "*"
            } else {
                bare
            }
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let letters = tidied.chars().filter(|c| c.is_alphanumeric()).count();
    if tidied.is_empty() {
        Err(PhraseProblem::Empty)
    } else if crate::text::visible_len(&tidied) > PHRASE_MAX {
        Err(PhraseProblem::TooLong)
    } else if letters == 0 {
        Err(PhraseProblem::NoLetterOrDigit)
    } else if letters < 2 {
        Err(PhraseProblem::TooShort)
    } else {
        Ok(tidied)
    }
}

/// What one character of text may stand for, once folded.
#[derive(Debug, Clone, Copy)]
struct Sym {
    alts: [char; 3],
    len: u8,
    /// A symbol standing in for a letter (`@`, `!`): part of a word, but a
    /// phrase may also start after it or end before it ("help me!").
    soft: bool,
}

impl Sym {
    fn one(c: char) -> Sym {
        Sym {
            alts: [c, c, c],
            len: 1,
            soft: false,
        }
    }

    fn alts(&self) -> &[char] {
        &self.alts[..self.len as usize]
    }

    fn is(&self, c: char) -> bool {
        self.alts().contains(&c)
    }
}

/// Look-alikes: what a digit or symbol may stand for, and whether it is soft.
fn look_alike(c: char) -> Option<(&'static [char], bool)> {
    Some(match c {
        '0' => (&['0', 'o'], false),
        '1' => (&['1', 'i', 'l'], false),
        '3' => (&['3', 'e'], false),
        '4' => (&['4', 'a'], false),
        '5' => (&['5', 's'], false),
        '7' => (&['7', 't'], false),
        '8' => (&['8', 'b'], false),
        '9' => (&['9', 'g'], false),
        '@' => (&['a'], true),
        '$' => (&['s'], true),
        '!' => (&['i', 'l'], true),
        '|' => (&['i', 'l'], true),
        '+' => (&['t'], true),
        '€' => (&['e'], true),
        _ => return None,
    })
}

/// Letters from other alphabets that look like Latin ones.
fn confusable(c: char) -> char {
    match c {
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ı' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'α' => 'a',
        'ο' => 'o',
        'ß' => 's',
        'ł' => 'l',
        'ø' => 'o',
        _ => c,
    }
}

/// The plain lower-case letters `c` is made of (accents dropped).
fn plain(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        for d in std::iter::once(lower).nfkd() {
            if !is_combining_mark(d) {
                push(confusable(d));
            }
        }
    }
}

/// Text folded for matching: one symbol per letter, digit or look-alike,
/// with the word (token) each belongs to.
struct Folded {
    syms: Vec<Sym>,
    word: Vec<u32>,
}

impl Folded {
    fn new(text: &str) -> Folded {
        let mut syms = Vec::with_capacity(text.len());
        let mut word = Vec::with_capacity(text.len());
        let mut n = 0u32;
        let mut in_word = false;
        for c in text.chars() {
            plain(c, |p| {
                let sym = if p.is_alphanumeric() {
                    match look_alike(p) {
                        Some((alts, soft)) => from_alts(alts, soft),
                        None => Sym::one(p),
                    }
                } else if let Some((alts, soft)) = look_alike(p) {
                    from_alts(alts, soft)
                } else if matches!(p, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`') {
                    // An apostrophe keeps a word whole: "don't" is "dont", and
                    // "it's" has no word "s" for a phrase to start at.
                    return;
                } else {
                    if in_word {
                        n += 1;
                        in_word = false;
                    }
                    return;
                };
                syms.push(sym);
                word.push(n);
                in_word = true;
            });
        }
        Folded { syms, word }
    }

    /// A phrase may start at `at`: the start of a word or just after a look-alike symbol.
    fn may_start(&self, at: usize) -> bool {
        at == 0 || self.word[at] != self.word[at - 1] || self.syms[at - 1].soft
    }

    /// A phrase may end just before `at`: the end of a word or just before a look-alike symbol.
    fn may_end(&self, at: usize) -> bool {
        at == self.syms.len() || self.word[at] != self.word[at - 1] || self.syms[at].soft
    }

    /// Where the word holding `at - 1` ends (`at` itself when a word ends there).
    fn word_end(&self, at: usize) -> usize {
        if at == 0 || at == self.syms.len() || self.word[at] != self.word[at - 1] {
            return at;
        }
        let w = self.word[at - 1];
        at + self.word[at..].iter().take_while(|&&x| x == w).count()
    }
}

fn from_alts(alts: &[char], soft: bool) -> Sym {
    let mut s = Sym {
        alts: [alts[0]; 3],
        len: alts.len() as u8,
        soft,
    };
    s.alts[..alts.len()].copy_from_slice(alts);
    s
}

/// One step of a folded phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Letter(char),
    /// Any ending of the word just matched.
    AnyEnding,
}

/// A phrase folded the way text is; digits in a word with letters become
/// the letter they look like ("k1ll" is "kill"), doubled letters count once.
fn fold_phrase(phrase: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for word in phrase.split(|c: char| c.is_whitespace()) {
        let any_ending = word.ends_with('*');
        let mut letters = Vec::new();
        for c in word.chars() {
            plain(c, |p| letters.push(p));
        }
        let has_letter = letters.iter().any(|c| c.is_alphabetic());
        for p in letters {
            let folded = match look_alike(p) {
                // The letter it stands for: "k1ll" is "kill", "r@pe" is "rape".
                Some((alts, _)) if !p.is_ascii_digit() || has_letter => {
                    *alts.iter().find(|a| !a.is_ascii_digit()).unwrap_or(&p)
                }
                _ if p.is_alphanumeric() => p,
                _ => continue,
            };
            if steps.last() != Some(&Step::Letter(folded)) {
                steps.push(Step::Letter(folded));
            }
        }
        if any_ending && matches!(steps.last(), Some(Step::Letter(_))) {
            steps.push(Step::AnyEnding);
        }
    }
    steps
}

#[derive(Debug, Clone, Default)]
struct Node {
    next: Vec<(Step, u32)>,
    /// The phrase that ends here (the first in the list, if several fold alike).
    phrase: Option<u32>,
}

#[derive(Debug, Clone)]
struct Trie {
    nodes: Vec<Node>,
    phrases: Vec<String>,
}

impl Trie {
    fn build<'a>(phrases: impl Iterator<Item = &'a str>) -> Trie {
        let mut trie = Trie {
            nodes: vec![Node::default()],
            phrases: Vec::new(),
        };
        for phrase in phrases {
            let steps = fold_phrase(phrase);
            if steps.is_empty() {
                continue;
            }
            let id = trie.phrases.len() as u32;
            trie.phrases.push(phrase.to_string());
            let mut at = 0usize;
            for step in steps {
                at = match trie.nodes[at].next.iter().find(|(s, _)| *s == step) {
                    Some(&(_, n)) => n as usize,
                    None => {
                        let n = trie.nodes.len();
                        trie.nodes.push(Node::default());
                        trie.nodes[at].next.push((step, n as u32));
                        n
                    }
                };
            }
            trie.nodes[at].phrase.get_or_insert(id);
        }
        trie
    }

    /// The phrase matched walking from `node` at symbol `at`, `last` being
    /// the letter just matched (repeats of it are let through first, so
    /// "KILL MYSELF" is "kill myself" rather than "kill* myself"). `failed`
    /// holds the repeats already followed to no match: a walk's outcome does
    /// not depend on where it started, and without it "1 1 1 1 …" (each `1`
    /// an i or an l) would take time growing with the square of its length.
    fn walk(
        &self,
        text: &Folded,
        at: usize,
        node: usize,
        last: Option<char>,
        failed: &mut HashSet<(u32, u32)>,
    ) -> Option<u32> {
        let here = &self.nodes[node];
        if let Some(p) = here.phrase {
            if text.may_end(at) {
                return Some(p);
            }
        }
        let sym = text.syms.get(at);
        if let (Some(s), Some(c)) = (sym, last) {
            let state = (node as u32, at as u32 + 1);
            if s.is(c) && !failed.contains(&state) {
                let found = self.walk(text, at + 1, node, last, failed);
                if found.is_some() {
                    return found;
                }
                failed.insert(state);
            }
        }
        for &(step, next) in &here.next {
            let found = match step {
                Step::Letter(c) => match sym {
                    Some(s) if s.is(c) => self.walk(text, at + 1, next as usize, Some(c), failed),
                    _ => None,
                },
                Step::AnyEnding => self
                    .walk(text, at, next as usize, None, failed)
                    .or_else(|| match text.word_end(at) {
                        end if end > at => self.walk(text, end, next as usize, None, failed),
                        _ => None,
                    }),
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
