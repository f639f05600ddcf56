//! The hub's sums: instances' disclosed figures added up, then through the
//! disclosure rules again. Pure.
//!
//! Why merging never reveals more than an instance did: the hub only ever
//! holds what instances published (it never sees a true count), and every
//! merged figure is computed from those published numbers alone. A sum of
//! published numbers (each 0, or 10 or more and a multiple of 5) is itself
//! 0, or 10 or more and a multiple of 5, so rounding it again changes
//! nothing and no merged figure is ever between 1 and 9. Where any part was
//! hidden, the merged figure is not a total: it shows as "at least" the
//! known part when that is 10 or more, and as hidden otherwise, so a hidden
//! part can never be worked out from it. Shares are given only where every
//! part is known and the base is at least 30.

use super::document::{Count, FeedDocument, Measure};
use crate::disclosure::{count, share, Published, Thresholds};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A document the hub kept, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub instance: String,
    pub name: String,
    pub issued_at: i64,
}

/// Published figures added up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sum {
    pub known: i64,
    pub hidden: u32,
    pub from: BTreeSet<usize>,
}

impl Sum {
    fn add(&mut self, c: Count, source: usize) {
        match c {
            Some(n) => self.known += n,
            None => self.hidden += 1,
        }
        self.from.insert(source);
    }
}

/// A merged figure as shown: the disclosed number, whether it is only
/// "at least" (some part was hidden), and the instances behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub shown: Published,
    pub at_least: bool,
    pub sources: Vec<usize>,
}

impl Figure {
    pub fn page_text(&self) -> String {
        match (self.at_least, self.shown) {
            (true, Published::About(n)) => format!("at least {n}"),
            (_, p) => p.page_text(),
        }
    }
    pub fn file_text(&self) -> String {
        match (self.at_least, self.shown) {
            (true, Published::About(n)) => format!(">={n}"),
            (_, p) => p.file_text(),
        }
    }
}

/// A sum through the disclosure rules again.
pub fn disclose(sum: &Sum, t: &Thresholds) -> Figure {
    let sources = sum.from.iter().copied().collect();
    let (shown, at_least) = match sum.hidden {
        0 => (count(sum.known, t), false),
        _ if sum.known >= t.small => (count(sum.known, t), true),
        _ => (Published::Hidden, true),
    };
    Figure {
        shown,
        at_least,
        sources,
    }
}

/// An outcome's merged figures: positive answers of those answered, and
/// the share where it may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub positive: Figure,
    pub answered: Figure,
    pub percent: Option<u32>,
}

fn share_of(positive: &Sum, answered: &Sum, t: &Thresholds) -> Share {
    let positive_figure = disclose(positive, t);
    let answered_figure = disclose(answered, t);
    let percent = if positive.hidden == 0 && answered.hidden == 0 {
        share(positive.known, answered.known, t)
    } else {
        None
    };
    Share {
        positive: positive_figure,
        answered: answered_figure,
        percent,
    }
}

/// A breakdown: the whole, by area, by age band, by group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sums {
    whole: Sum,
    areas: BTreeMap<String, Sum>,
    ages: BTreeMap<String, Sum>,
    groups: BTreeMap<String, Sum>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown<T> {
    pub whole: T,
    pub by_area: Vec<(String, T)>,
    pub by_age_band: Vec<(String, T)>,
    pub by_group: Vec<(String, T)>,
}

impl<T> Breakdown<T> {
    /// Every figure with what it is for: `("england", "", whole)`, then
    /// `("area", code, ..)`, `("age_band", key, ..)` and `("group", key, ..)`.
    pub fn lines(&self) -> impl Iterator<Item = (&'static str, &str, &T)> {
        std::iter::once(("england", "", &self.whole))
            .chain(self.by_area.iter().map(|(k, v)| ("area", k.as_str(), v)))
            .chain(
                self.by_age_band
                    .iter()
                    .map(|(k, v)| ("age_band", k.as_str(), v)),
            )
            .chain(self.by_group.iter().map(|(k, v)| ("group", k.as_str(), v)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedOutcome {
    pub outcome: String,
    pub figures: Breakdown<Share>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedQuestion {
    pub id: String,
    pub answered: Figure,
    /// (value, figure, share of those who answered where it may be shown)
    pub answers: Vec<(String, Figure, Option<u32>)>,
}

/// A national template across every instance that feeds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedTemplate {
    pub template: String,
    pub surveys: usize,
    pub responses: Breakdown<Figure>,
    pub outcomes: Vec<MergedOutcome>,
    pub questions: Vec<MergedQuestion>,
}

fn breakdown(s: &Sums, t: &Thresholds) -> Breakdown<Figure> {
    let list =
        |m: &BTreeMap<String, Sum>| m.iter().map(|(k, v)| (k.clone(), disclose(v, t))).collect();
    Breakdown {
        whole: disclose(&s.whole, t),
        by_area: list(&s.areas),
        by_age_band: list(&s.ages),
        by_group: list(&s.groups),
    }
}

fn shares(p: &Sums, a: &Sums, t: &Thresholds) -> Breakdown<Share> {
    let list = |pm: &BTreeMap<String, Sum>, am: &BTreeMap<String, Sum>| {
        am.iter()
            .map(|(k, answered)| {
                let positive = pm.get(k).cloned().unwrap_or_default();
                (k.clone(), share_of(&positive, answered, t))
            })
            .collect()
    };
    Breakdown {
        whole: share_of(&p.whole, &a.whole, t),
        by_area: list(&p.areas, &a.areas),
        by_age_band: list(&p.ages, &a.ages),
        by_group: list(&p.groups, &a.groups),
    }
}

#[derive(Default)]
struct Gathered {
    surveys: usize,
    // (measure, outcome) → sums
    tables: BTreeMap<(Measure, String), Sums>,
    // question → (answered, value → count)
    questions: BTreeMap<String, (Sum, BTreeMap<String, Sum>)>,
}

/// Merges the documents kept (each with its index into the sources the
/// page lists) into one view per national template.
pub fn merge(docs: &[(usize, &FeedDocument)], t: &Thresholds) -> Vec<MergedTemplate> {
    let mut by_template: BTreeMap<String, Gathered> = BTreeMap::new();
    for (source, doc) in docs {
        for s in &doc.surveys {
            let g = by_template.entry(s.template.clone()).or_default();
            g.surveys += 1;
            for table in &s.tables {
                let key = (table.measure, table.outcome.clone().unwrap_or_default());
                let sums = g.tables.entry(key).or_default();
                if table.group == "all" {
                    sums.whole.add(table.total, *source);
                    for (area, c) in table.areas.iter().zip(&table.area_totals) {
                        sums.areas.entry(area.clone()).or_default().add(*c, *source);
                    }
                    for (age, c) in table.age_bands.iter().zip(&table.age_band_totals) {
                        sums.ages.entry(age.clone()).or_default().add(*c, *source);
                    }
                } else {
                    sums.groups
                        .entry(table.group.clone())
                        .or_default()
                        .add(table.total, *source);
                }
            }
            for q in &s.questions {
                let (answered, values) = g.questions.entry(q.id.clone()).or_default();
                answered.add(q.answered, *source);
                for a in &q.answers {
                    values
                        .entry(a.value.clone())
                        .or_default()
                        .add(a.count, *source);
                }
            }
        }
    }
    by_template
        .into_iter()
        .map(|(template, g)| {
            let empty = Sums::default();
            let responses = breakdown(
                g.tables
                    .get(&(Measure::Responses, String::new()))
                    .unwrap_or(&empty),
                t,
            );
            let outcomes: BTreeSet<&String> = g
                .tables
                .keys()
                .filter(|(m, _)| *m == Measure::Answered)
                .map(|(_, o)| o)
                .collect();
            let outcomes = outcomes
                .into_iter()
                .map(|o| MergedOutcome {
                    outcome: o.clone(),
                    figures: shares(
                        g.tables
                            .get(&(Measure::Positive, o.clone()))
                            .unwrap_or(&empty),
                        g.tables
                            .get(&(Measure::Answered, o.clone()))
                            .unwrap_or(&empty),
                        t,
                    ),
                })
                .collect();
            let questions = g
                .questions
                .into_iter()
                .map(|(id, (answered, values))| {
                    let answers = values
                        .iter()
                        .map(|(v, sum)| {
                            let percent = if sum.hidden == 0 && answered.hidden == 0 {
                                share(sum.known, answered.known, t)
                            } else {
                                None
                            };
                            (v.clone(), disclose(sum, t), percent)
                        })
                        .collect();
                    MergedQuestion {
                        id,
                        answered: disclose(&answered, t),
                        answers,
                    }
                })
                .collect();
            MergedTemplate {
                template,
                surveys: g.surveys,
                responses,
                outcomes,
                questions,
            }
        })
        .collect()
}

/// Every figure of a merged view, for tests and for files.
pub fn figures(m: &MergedTemplate) -> Vec<&Figure> {
    let mut all = Vec::new();
    let b = &m.responses;
    all.push(&b.whole);
    all.extend(
        b.by_area
            .iter()
            .chain(&b.by_age_band)
            .chain(&b.by_group)
            .map(|(_, f)| f),
    );
    for o in &m.outcomes {
        let f = &o.figures;
        for s in std::iter::once(&f.whole).chain(
            f.by_area
                .iter()
                .chain(&f.by_age_band)
                .chain(&f.by_group)
                .map(|(_, s)| s),
        ) {
            all.push(&s.positive);
            all.push(&s.answered);
        }
    }
    for q in &m.questions {
        all.push(&q.answered);
        all.extend(q.answers.iter().map(|(_, f, _)| f));
    }
    all
}
