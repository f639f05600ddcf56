//! The insights' reads, from the running tallies: only surveys that have
//! reached the disclosure minimum count, and every number is disclosed
//! before it leaves here.

use super::{Comparison, ComparisonRow, InsightFilter, OutcomeFigure, OverviewData};
use crate::about_you::{AgeBand, Group};
use crate::accounts::{Reach, StaffUser};
use crate::db::Db;
use crate::disclosure::{count, share, table, Published, Thresholds, LOWEST_SURVEY_MINIMUM};
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::tallies::store::{self as tallies, By, Scope, Slice};
use std::collections::BTreeMap;

/// The viewer's scope: `None` for all of England, else their areas, with
/// the areas' names ("all of England" for everywhere).
pub struct Reachable {
    pub areas: Option<Vec<String>>,
    pub label: String,
    /// (code, name) of the areas they may filter by.
    pub choices: Vec<(String, String)>,
}

/// Where `user` may look: administrators and national commissioners
/// everywhere; commissioners their areas; nobody else.
pub async fn reachable(db: &Db, user: &StaffUser) -> Result<Reachable, AppError> {
    let all_areas: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM areas ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    Ok(match user.survey_reach() {
        Reach::Everywhere => Reachable {
            areas: None,
            label: "all of England".into(),
            choices: all_areas,
        },
        Reach::Areas(list) if all_areas.iter().all(|(c, _)| list.contains(c)) => Reachable {
            areas: None,
            label: "all of England".into(),
            choices: all_areas,
        },
        Reach::Areas(list) => {
            let choices: Vec<(String, String)> = all_areas
                .into_iter()
                .filter(|(c, _)| list.contains(c))
                .collect();
            let label = if choices.is_empty() {
                "no areas yet".into()
            } else {
                choices
                    .iter()
                    .map(|(_, n)| n.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Reachable {
                areas: Some(list),
                label,
                choices,
            }
        }
        _ => return Err(AppError::Forbidden),
    })
}

/// A filter checked against what the viewer may see: an area of theirs, an
/// age band and a group heard knows. Anything else is a clear refusal.
pub fn slice_of(filter: &InsightFilter, reach: &Reachable) -> Result<Slice, AppError> {
    let some = |v: &Option<String>| v.as_ref().filter(|s| !s.is_empty()).cloned();
    let area = some(&filter.area);
    if let Some(a) = &area {
        if !reach.choices.iter().any(|(c, _)| c == a) {
            return Err(AppError::invalid("Choose one of your areas."));
        }
    }
    let age_band = some(&filter.age);
    if let Some(a) = &age_band {
        if AgeBand::parse(a).is_none() {
            return Err(AppError::invalid("Choose an age band from the list."));
        }
    }
    let group = some(&filter.group);
    if let Some(g) = &group {
        if Group::parse(g).is_none() {
            return Err(AppError::invalid("Choose a group from the list."));
        }
    }
    Ok(Slice {
        area,
        age_band,
        group,
        from_month: None,
        to_month: None,
    })
}

pub fn scope_of(reach: &Reachable, t: &Thresholds) -> Scope {
    Scope {
        areas: reach.areas.clone(),
        minimum: t.min_survey_responses.max(LOWEST_SURVEY_MINIMUM),
        organisation: None,
        survey: None,
    }
}

/// (outcome, key) → (positive, answered), as the tallies read them.
type OutcomeCounts = BTreeMap<(String, String), (i64, i64)>;

/// A comparison's rows, keyed by what tallies group by, as labels.
fn label_of(by: By, key: &str, areas: &[(String, String)]) -> String {
    if key.is_empty() {
        return "Not said".into();
    }
    match by {
        By::Area => areas
            .iter()
            .find(|(c, _)| c == key)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| key.to_string()),
        By::AgeBand => AgeBand::parse(key).map_or_else(
            || {
                if key == crate::about_you::PREFER_NOT_TO_SAY {
                    "Preferred not to say".to_string()
                } else {
                    key.to_string()
                }
            },
            AgeBand::label,
        ),
        By::Groups => Group::parse(key).map_or_else(|| key.to_string(), |g| g.label().to_string()),
        _ => key.to_string(),
    }
}

/// Counts grouped by the stored list of groups, as counts by each group (a
/// young person in two groups counts in both).
fn by_each_group<V: Copy + Default + std::ops::AddAssign>(
    rows: impl IntoIterator<Item = (String, V)>,
) -> BTreeMap<String, V> {
    let mut out: BTreeMap<String, V> = Group::ALL
        .iter()
        .map(|g| (g.key().to_string(), V::default()))
        .collect();
    for (groups, v) in rows {
        for g in groups.split(',').filter_map(Group::parse) {
            *out.entry(g.key().to_string()).or_default() += v;
        }
    }
    out
}

/// The outcome figures side by side by area, age band or group, within
/// `slice`: every count disclosed, every share from a base of at least 30.
pub async fn comparison(
    db: &Db,
    scope: &Scope,
    slice: &Slice,
    by: By,
    areas: &[(String, String)],
    t: &Thresholds,
) -> Result<Comparison, AppError> {
    let responses = tallies::responses(db, scope, slice, by).await?;
    let outcomes = tallies::outcomes(db, scope, slice, by).await?;
    let (responses, outcomes): (BTreeMap<String, i64>, OutcomeCounts) = if by == By::Groups {
        let mut per: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for o in Outcome::ALL {
            let rows = outcomes
                .iter()
                .filter(|((k, _), _)| k == o.key())
                .map(|((_, g), (p, n))| (g.clone(), Pair(*p, *n)));
            for (g, Pair(p, n)) in by_each_group(rows) {
                per.insert((o.key().to_string(), g), (p, n));
            }
        }
        (by_each_group(responses), per)
    } else {
        (responses, outcomes)
    };
    // Area and age band rows add up to everyone: one protected row. Groups
    // overlap (and leave out most young people), so each stands alone.
    let keys: Vec<String> = responses.keys().cloned().collect();
    let trues: Vec<i64> = keys.iter().map(|k| responses[k]).collect();
    let published: Vec<Published> = if by == By::Groups {
        trues.iter().map(|n| count(*n, t)).collect()
    } else {
        table(std::slice::from_ref(&trues), t).cells.remove(0)
    };
    let rows = keys
        .iter()
        .zip(published)
        .map(|(k, p)| ComparisonRow {
            label: label_of(by, k, areas),
            responses: p,
            shares: Outcome::ALL
                .into_iter()
                .map(|o| {
                    let (pos, n) = outcomes
                        .get(&(o.key().to_string(), k.clone()))
                        .copied()
                        .unwrap_or((0, 0));
                    share(pos, n, t)
                })
                .collect(),
        })
        .collect();
    Ok(Comparison {
        by: match by {
            By::Area => "Area",
            By::AgeBand => "Age band",
            _ => "Group",
        }
        .into(),
        rows,
    })
}

#[derive(Clone, Copy, Default)]
struct Pair(i64, i64);

impl std::ops::AddAssign for Pair {
    fn add_assign(&mut self, o: Pair) {
        self.0 += o.0;
        self.1 += o.1;
    }
}

/// The overview for `user`'s areas (all of England for administrators and
/// national commissioners), against England, within `filter`.
pub async fn overview(
    db: &Db,
    user: &StaffUser,
    filter: &InsightFilter,
    t: &Thresholds,
) -> Result<OverviewData, AppError> {
    let reach = reachable(db, user).await?;
    let slice = slice_of(filter, &reach)?;
    let by = match filter.by.as_deref() {
        None | Some("") => None,
        Some("area") => Some(By::Area),
        Some("age") => Some(By::AgeBand),
        Some("group") => Some(By::Groups),
        Some(_) => return Err(AppError::invalid("Compare by area, age band or group.")),
    };
    let scope = scope_of(&reach, t);
    let (consultations, organisations) = tallies::scope_size(db, &scope).await?;
    let surveys = tallies::surveys(db, &scope, 50)
        .await?
        .into_iter()
        .map(|(id, title, org, _)| (id, title, org))
        .collect();
    let mut data = OverviewData {
        surveys,
        areas: reach.label.clone(),
        area_choices: reach.choices.clone(),
        filter: filter.clone(),
        refused: None,
        consultations: count(consultations, t),
        responses: Published::Zero,
        organisations: count(organisations, t),
        months: vec![],
        outcomes: vec![],
        compare: None,
        survey_minimum: scope.minimum,
    };
    let everyone = tallies::responses(db, &scope, &slice, By::Whole)
        .await?
        .values()
        .sum::<i64>();
    if slice != Slice::default() {
        if let Err(message) = crate::disclosure::filter(everyone, t) {
            data.refused = Some(message.to_string());
            return Ok(data);
        }
    }
    data.responses = count(everyone, t);
    let mut months: BTreeMap<i64, (std::collections::BTreeSet<String>, i64)> = BTreeMap::new();
    for (key, n) in tallies::responses(db, &scope, &slice, By::MonthSurvey).await? {
        let (month, survey) = key.split_once('|').unwrap_or((&key, ""));
        let m = months.entry(month.parse().unwrap_or(0)).or_default();
        m.0.insert(survey.to_string());
        m.1 += n;
    }
    data.months = months
        .into_iter()
        .rev()
        .map(|(key, (surveys, n))| {
            (
                crate::services::rating::month_name(key / 100, (key % 100) as u32),
                count(surveys.len() as i64, t),
                count(n, t),
            )
        })
        .collect();
    let mine = tallies::outcomes(db, &scope, &slice, By::Whole).await?;
    let england = if scope.areas.is_none() {
        None
    } else {
        let everywhere = Scope {
            areas: None,
            ..scope.clone()
        };
        let wide = Slice {
            area: None,
            ..slice.clone()
        };
        Some(tallies::outcomes(db, &everywhere, &wide, By::Whole).await?)
    };
    let figure = |m: &BTreeMap<(String, String), (i64, i64)>, o: Outcome| {
        let (p, n) = m
            .get(&(o.key().to_string(), String::new()))
            .copied()
            .unwrap_or((0, 0));
        (share(p, n, t), count(n, t))
    };
    data.outcomes = Outcome::ALL
        .into_iter()
        .map(|o| {
            let (mine_share, mine_base) = figure(&mine, o);
            let (england, england_base) = figure(england.as_ref().unwrap_or(&mine), o);
            OutcomeFigure {
                outcome: o,
                mine: mine_share,
                mine_base,
                england,
                england_base,
            }
        })
        .collect();
    if let Some(by) = by {
        data.compare = Some(comparison(db, &scope, &slice, by, &reach.choices, t).await?);
    }
    Ok(data)
}

/// One survey's disclosed results for `user`: a survey of an organisation in
/// their areas (any, for administrators), never a draft or a service's
/// ratings; "not found" otherwise.
pub async fn survey_insight(
    db: &Db,
    user: &StaffUser,
    id: i64,
    t: &Thresholds,
) -> Result<super::SurveyInsightData, AppError> {
    let owned = crate::surveys::store::by_id(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let area: Option<(Option<String>,)> =
        sqlx::query_as("SELECT area_code FROM organisations WHERE id = $1")
            .bind(owned.organisation_id)
            .fetch_optional(db.pool())
            .await?;
    let area = area.and_then(|(a,)| a);
    let reachable = match user.survey_reach() {
        Reach::Everywhere => true,
        Reach::Areas(list) => area.as_ref().is_some_and(|a| list.contains(a)),
        _ => false,
    };
    let form = owned.form;
    if !reachable
        || owned.service.is_some()
        || form.status == crate::surveys::model::SurveyStatus::Draft
    {
        return Err(AppError::NotFound);
    }
    let raw = crate::surveys::results::store::raw_results(db, &form).await?;
    let reached = crate::disclosure::survey_reaches_out(raw.responses, t);
    let questions = if reached {
        form.questions
            .iter()
            .enumerate()
            .filter_map(|(i, q)| {
                let counts: Vec<(String, i64)> = raw
                    .counts
                    .iter()
                    .filter(|c| c.question_id == q.id)
                    .map(|c| (c.value.clone(), c.count))
                    .collect();
                let answered = raw
                    .answered
                    .iter()
                    .find(|(qid, _)| *qid == q.id)
                    .map(|(_, n)| *n)
                    .unwrap_or(0);
                super::question_insight(q, &counts, answered, t).map(|mut insight| {
                    insight.number = i + 1;
                    insight
                })
            })
            .collect()
    } else {
        vec![]
    };
    Ok(super::SurveyInsightData {
        title: form.title,
        organisation: form.organisation,
        responses: count(raw.responses, t),
        reached,
        survey_minimum: t
            .min_survey_responses
            .max(crate::disclosure::LOWEST_SURVEY_MINIMUM),
        questions,
    })
}
