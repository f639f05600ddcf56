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

impl Reachable {
    /// An area's name ("Not known" for none, the code if heard has no name).
    pub fn name_of(&self, code: &str) -> String {
        match code {
            "" => "Not known".into(),
            ELSEWHERE => "Elsewhere".into(),
            _ => self
                .choices
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| code.to_string()),
        }
    }

    /// The area a young person gave, as the viewer's views group it: one of
    /// the viewer's areas, or "elsewhere" for any other (never named).
    pub fn area_key(&self, code: &str) -> String {
        if code.is_empty() || self.choices.iter().any(|(c, _)| c == code) {
            code.to_string()
        } else {
            ELSEWHERE.to_string()
        }
    }
}

/// Young people of the viewer's organisations who live in other areas.
pub const ELSEWHERE: &str = "elsewhere";

/// Where `user` may look: administrators and national commissioners (their
/// reach is everywhere) all of England; commissioners exactly their areas;
/// nobody else.
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
    let month = |v: &Option<String>, what: &str| -> Result<Option<i64>, AppError> {
        match some(v) {
            None => Ok(None),
            Some(m) => month_key_of(&m).map(Some).ok_or_else(|| {
                AppError::invalid(format!(
                    "Give the {what} month as a year and month, like 2026-11."
                ))
            }),
        }
    };
    let (from_month, to_month) = (month(&filter.from, "first")?, month(&filter.to, "last")?);
    if let (Some(f), Some(t)) = (from_month, to_month) {
        if f > t {
            return Err(AppError::invalid(
                "The first month must come before the last.",
            ));
        }
    }
    Ok(Slice {
        area,
        age_band,
        group,
        from_month,
        to_month,
    })
}

/// "2026-11" as a tallies month key (202611).
pub fn month_key_of(text: &str) -> Option<i64> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m) = (y.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
    ((2000..=2999).contains(&y) && (1..=12).contains(&m)).then_some(y * 100 + m)
}

/// The organisation a filter names, if it is one the viewer may see.
pub async fn organisation_of(
    db: &Db,
    filter: &InsightFilter,
    reach: &Reachable,
) -> Result<Option<i64>, AppError> {
    let Some(text) = filter.organisation.as_ref().filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let refused = || AppError::invalid("Choose one of the organisations listed.");
    let id: i64 = text.parse().map_err(|_| refused())?;
    let area: Option<(Option<String>,)> =
        sqlx::query_as("SELECT area_code FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let Some((area,)) = area else {
        return Err(refused());
    };
    match &reach.areas {
        None => Ok(Some(id)),
        Some(list) if area.is_some_and(|a| list.contains(&a)) => Ok(Some(id)),
        Some(_) => Err(refused()),
    }
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
pub(crate) fn label_of(by: By, key: &str, reach: &Reachable) -> String {
    match by {
        By::Area => reach.name_of(key),
        _ if key.is_empty() => "Not said".into(),
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
    reach: &Reachable,
    t: &Thresholds,
) -> Result<Comparison, AppError> {
    let mut responses = tallies::responses(db, scope, slice, by).await?;
    let mut outcomes = tallies::outcomes(db, scope, slice, by).await?;
    // Areas beyond the viewer's are one row, "Elsewhere", never named.
    if by == By::Area {
        let mut merged: BTreeMap<String, i64> = BTreeMap::new();
        for (k, n) in responses {
            *merged.entry(reach.area_key(&k)).or_default() += n;
        }
        responses = merged;
        let mut merged: OutcomeCounts = BTreeMap::new();
        for ((o, k), (p, n)) in outcomes {
            let e = merged.entry((o, reach.area_key(&k))).or_default();
            e.0 += p;
            e.1 += n;
        }
        outcomes = merged;
    }
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
            label: label_of(by, k, reach),
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
    let mut scope = scope_of(&reach, t);
    let organisation_choices = tallies::organisations(db, &scope).await?;
    scope.organisation = organisation_of(db, filter, &reach).await?;
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
        organisation_choices,
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
    if slice != Slice::default() || scope.organisation.is_some() {
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
    // The months add up to the responses published above: one protected row.
    let by_month: Vec<i64> = months.values().map(|(_, n)| *n).collect();
    let published = table(std::slice::from_ref(&by_month), t).cells.remove(0);
    data.months = months
        .into_iter()
        .zip(published)
        .rev()
        .map(|((key, (surveys, _)), n)| {
            (
                crate::services::rating::month_name(key / 100, (key % 100) as u32),
                count(surveys.len() as i64, t),
                n,
            )
        })
        .collect();
    let mine = tallies::outcomes(db, &scope, &slice, By::Whole).await?;
    let england = if scope.areas.is_none() {
        None
    } else {
        let everywhere = Scope {
            areas: None,
            organisation: None,
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
        data.compare = Some(comparison(db, &scope, &slice, by, &reach, t).await?);
    }
    Ok(data)
}

/// A question's disclosed results from its survey's counts
/// ([`super::question_insight`]); the rows follow
/// [`crate::surveys::model::Question::answer_values`].
pub fn question_of(
    q: &crate::surveys::model::Question,
    raw: &crate::surveys::results::store::RawResults,
    t: &Thresholds,
) -> Option<super::QuestionInsight> {
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
    super::question_insight(q, &counts, answered, t)
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
                question_of(q, &raw, t).map(|mut insight| {
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

/// Who has been heard in each of `user`'s areas: responses by age band ×
/// (everyone, each group), one protected table an area, with reach where
/// the population is known.
pub async fn reach(
    db: &Db,
    user: &StaffUser,
    t: &Thresholds,
) -> Result<super::reach::ReachData, AppError> {
    use super::reach::{reach_share, AreaReach, ReachData, ReachRow};
    let reach = reachable(db, user).await?;
    let scope = scope_of(&reach, t);
    let who = tallies::responses(db, &scope, &Slice::default(), By::Who).await?;
    let populations: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT area_code, age_band, people FROM populations")
            .fetch_all(db.pool())
            .await?;
    // Age rows: each band, then "not said".
    let mut ages: Vec<(Option<AgeBand>, String)> = AgeBand::ALL
        .into_iter()
        .map(|a| (Some(a), a.label()))
        .collect();
    ages.push((None, "Not said".into()));
    let mut areas = Vec::new();
    for (code, name) in &reach.choices {
        let mut counts = vec![vec![0i64; 1 + Group::ALL.len()]; ages.len()];
        for (key, n) in &who {
            let (area, age, groups) = tallies::split_who(key);
            if area != code {
                continue;
            }
            let row = ages
                .iter()
                .position(|(a, _)| a.is_some_and(|a| a.key() == age))
                .unwrap_or(ages.len() - 1);
            counts[row][0] += n;
            for (i, g) in Group::ALL.iter().enumerate() {
                if groups.split(',').any(|x| x == g.key()) {
                    counts[row][i + 1] += n;
                }
            }
        }
        let published = table(&counts, t);
        let people = |age: Option<AgeBand>| {
            age.and_then(|a| {
                populations
                    .iter()
                    .find(|(c, b, _)| c == code && b == a.key())
                    .map(|(_, _, p)| *p)
            })
        };
        let has_population = populations.iter().any(|(c, _, _)| c == code);
        let mut rows: Vec<ReachRow> = ages
            .iter()
            .zip(&published.cells)
            .map(|((age, label), cells)| ReachRow {
                label: label.clone(),
                cells: cells.clone(),
                reach: people(*age).and_then(|p| reach_share(cells[0], p)),
            })
            .collect();
        let everyone: i64 = AgeBand::ALL.iter().filter_map(|a| people(Some(*a))).sum();
        rows.push(ReachRow {
            label: "All ages".into(),
            cells: published.column_totals.clone(),
            reach: (everyone > 0)
                .then(|| reach_share(published.column_totals[0], everyone))
                .flatten(),
        });
        areas.push(AreaReach {
            code: code.clone(),
            name: name.clone(),
            rows,
            has_population,
        });
    }
    Ok(ReachData {
        areas,
        may_load: user.may_load_populations(),
        survey_minimum: scope.minimum,
    })
}

/// Stores checked population rows (replacing what an area and band had),
/// and writes the audit line, in one transaction.
pub async fn load_populations(
    db: &Db,
    user: &StaffUser,
    rows: &[super::reach::PopulationRow],
) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    for r in rows {
        sqlx::query(
            "INSERT INTO populations (area_code, age_band, people) VALUES ($1, $2, $3)
             ON CONFLICT (area_code, age_band) DO UPDATE SET people = excluded.people",
        )
        .bind(&r.area_code)
        .bind(r.age_band.key())
        .bind(r.people)
        .execute(&mut **tx)
        .await?;
    }
    crate::audit::store::record_about(
        &mut tx,
        crate::audit::store::Actor::Staff(user),
        crate::audit::AuditAction::PopulationsLoaded,
        crate::audit::store::Subject::Insights,
        &format!("{} population counts", rows.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approved, redacted words young people wrote in surveys that reach the
/// viewer, a page at a time, every one passed through
/// [`crate::disclosure::text_may_leave`].
pub async fn said(
    db: &Db,
    user: &StaffUser,
    filter: super::said::SaidFilter,
    t: &Thresholds,
) -> Result<super::said::SaidData, AppError> {
    use super::said::{Quote, SaidData, QUOTES_PER_PAGE};
    use crate::disclosure::{text_may_leave, TextFacts};
    use crate::tallies::store::{
        eligible, folded_hint, responses_of_surveys, sliced, Part, Sql, RESPONSES_OF_S,
    };
    let reach = reachable(db, user).await?;
    let slice = slice_of(
        &InsightFilter {
            area: filter.area.clone(),
            age: filter.age.clone(),
            ..InsightFilter::default()
        },
        &reach,
    )?;
    let outcome = match filter.outcome.as_deref() {
        None | Some("") => None,
        Some(k) => Some(
            Outcome::parse(k)
                .ok_or_else(|| AppError::invalid("Choose an outcome from the list."))?,
        ),
    };
    let after: Option<(i64, i64)> = match filter.after.as_deref() {
        None | Some("") => None,
        Some(a) => Some(
            a.split_once('.')
                .and_then(|(s, i)| Some((s.parse().ok()?, i.parse().ok()?)))
                .ok_or_else(|| AppError::invalid("That page link is not one of heard's."))?,
        ),
    };
    let mut data = SaidData {
        filter: filter.clone(),
        area_choices: reach.choices.clone(),
        refused: None,
        quotes: vec![],
        next: None,
    };
    let mut scope = scope_of(&reach, t);
    scope.minimum = scope.minimum.max(t.min_text_responses);
    if slice != Slice::default() {
        let described = tallies::responses(db, &scope, &slice, By::Whole)
            .await?
            .values()
            .sum::<i64>();
        if let Err(m) = crate::disclosure::filter(described, t) {
            data.refused = Some(m.to_string());
            return Ok(data);
        }
    }
    let hint = folded_hint(db).await?;
    let mut sql = Sql::default();
    let eligible = eligible(&mut sql, &scope, hint);
    let responses = responses_of_surveys(&sql.int(hint));
    let cond = sliced(&mut sql, &slice, Part::Tail);
    let mut extra = String::new();
    if let Some(o) = outcome {
        extra.push_str(&format!(" AND q.outcome = {}", sql.text(o.key())));
    }
    if let Some((shuffle, id)) = after {
        let (a, b) = (sql.int(shuffle), sql.int(id));
        extra.push_str(&format!(
            " AND (a.shuffle > {a} OR (a.shuffle = {a} AND a.id > {b}))"
        ));
    }
    let limit = sql.int(QUOTES_PER_PAGE + 1);
    let text = format!(
        "SELECT a.id, a.shuffle, a.value, s.title, q.outcome, a.state, a.at_risk,
                CASE WHEN a.screened_on IS NULL THEN 0 ELSE 1 END, {RESPONSES_OF_S}
         FROM answers a
         JOIN questions q ON q.id = a.question_id
         JOIN responses r ON r.id = a.response_id
         JOIN surveys s ON s.id = q.survey_id
         JOIN organisations o ON o.id = s.organisation_id
         {responses}
         WHERE q.kind IN ('short_text', 'long_text') AND a.state = 'approved'
           AND a.at_risk = 0 AND a.offensive = 0
           AND q.survey_id IN ({eligible}) AND {cond}{extra}
         ORDER BY a.shuffle, a.id LIMIT {limit}"
    );
    type QuoteRow = (
        i64,
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        i64,
        i64,
    );
    let mut rows: Vec<QuoteRow> = sql.rows(db, &text).await?;
    if rows.len() as i64 > QUOTES_PER_PAGE {
        rows.truncate(QUOTES_PER_PAGE as usize);
        data.next = rows.last().map(|r| format!("{}.{}", r.1, r.0));
    }
    data.quotes = rows
        .into_iter()
        .filter(|(_, _, _, _, _, state, at_risk, screened, responses)| {
            text_may_leave(
                TextFacts {
                    approved: state.as_deref() == Some("approved"),
                    with_safeguarding_lead: *at_risk != 0,
                    redacted: *screened != 0,
                    survey_responses: *responses,
                },
                t,
            )
        })
        .map(|(_, _, words, survey, outcome, ..)| Quote {
            words,
            survey,
            outcome: outcome.as_deref().and_then(Outcome::parse),
        })
        .collect();
    Ok(data)
}

/// Ratings by kind of service and area, and approved ideas by category and
/// status, in `user`'s areas (or one of them), disclosed.
pub async fn services_insight(
    db: &Db,
    user: &StaffUser,
    area: Option<String>,
    t: &Thresholds,
) -> Result<super::services::ServicesInsightData, AppError> {
    use super::services::{RatingRow, ServicesInsightData};
    use crate::services::rating::STATEMENTS;
    use crate::services::Kind;
    use crate::suggestions::{Category, Status};
    use crate::tallies::store::{
        folded_hint, responses_of_surveys, untallied, Sql, RESPONSES_OF_S,
    };
    let reach = reachable(db, user).await?;
    let slice = slice_of(
        &InsightFilter {
            area: area.clone(),
            ..InsightFilter::default()
        },
        &reach,
    )?;
    let areas: Option<Vec<String>> = match &slice.area {
        Some(a) => Some(vec![a.clone()]),
        None => reach.areas.clone(),
    };
    let mut data = ServicesInsightData {
        area: slice.area.clone(),
        area_choices: reach.choices.clone(),
        refused: None,
        ratings: vec![],
        ideas: table(&vec![vec![0; Status::ALL.len()]; Category::ALL.len()], t),
    };
    let mut sql = Sql::default();
    let within = |sql: &mut Sql, column: &str| match &areas {
        None => "1 = 1".to_string(),
        Some(list) if list.is_empty() => "1 = 0".to_string(),
        Some(list) => format!(
            "{column} IN ({})",
            list.iter()
                .map(|a| sql.text(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let cond = within(&mut sql, "sv.area_code");
    // Both statements below bind the same values.
    let hint = sql.int(folded_hint(db).await?);
    let counts: Vec<(String, String, i64)> = sql
        .rows(
            db,
            &format!(
                "SELECT sv.kind, sv.area_code, {RESPONSES_OF_S} FROM services sv
                 JOIN surveys s ON s.id = sv.survey_id {responses} WHERE {cond}",
                responses = responses_of_surveys(&hint),
            ),
        )
        .await?;
    let mut ratings: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (kind, area, n) in counts {
        *ratings.entry((kind, area)).or_default() += n;
    }
    // Each statement's answers: the tallies and the tail.
    let answers: Vec<(String, String, String, String, i64)> = sql
        .rows(
            db,
            &format!(
                "SELECT sv.kind, sv.area_code, q.prompt, t.value, t.answers FROM answer_tallies t
                 JOIN questions q ON q.id = t.question_id JOIN services sv ON sv.survey_id = q.survey_id
                 WHERE q.kind = 'scale' AND {cond}
                 UNION ALL
                 SELECT sv.kind, sv.area_code, q.prompt, a.value, COUNT(*) FROM {tail}
                 JOIN questions q ON q.id = a.question_id JOIN services sv ON sv.survey_id = q.survey_id
                 WHERE {untallied} AND a.response_id = r.id
                   AND a.state IS NULL AND q.kind = 'scale' AND {cond}
                 GROUP BY sv.kind, sv.area_code, q.prompt, a.value",
                tail = crate::tallies::store::tail_answers(db.backend()),
                untallied = untallied("r", &hint),
            ),
        )
        .await?;
    let mut agreed: BTreeMap<(String, String, usize), (i64, i64)> = BTreeMap::new();
    for (kind, area, prompt, value, n) in answers {
        if let Some(i) = STATEMENTS.iter().position(|s| *s == prompt) {
            let e = agreed.entry((kind, area, i)).or_default();
            e.1 += n;
            if crate::tallies::is_positive("scale", &value) {
                e.0 += n;
            }
        }
    }
    let rated: i64 = ratings.values().sum();
    data.ratings = ratings
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|((kind, area), n)| RatingRow {
            kind: Kind::parse(&kind).map_or(kind.clone(), |k| k.label().to_string()),
            area: reach.name_of(&area),
            ratings: count(n, t),
            agreed: (0..STATEMENTS.len())
                .map(|i| {
                    let (p, n) = agreed
                        .get(&(kind.clone(), area.clone(), i))
                        .copied()
                        .unwrap_or((0, 0));
                    share(p, n, t)
                })
                .collect(),
        })
        .collect();
    let mut sql = Sql::default();
    let cond = within(&mut sql, "area_code");
    let ideas: Vec<(String, String, i64)> = sql
        .rows(
            db,
            &format!(
                "SELECT category, status, COUNT(*) FROM suggestions
                 WHERE state = 'approved' AND {cond} GROUP BY category, status"
            ),
        )
        .await?;
    let mut counts = vec![vec![0i64; Status::ALL.len()]; Category::ALL.len()];
    for (category, status, n) in ideas {
        if let (Some(r), Some(c)) = (
            Category::ALL.iter().position(|x| x.key() == category),
            Status::ALL.iter().position(|x| x.key() == status),
        ) {
            counts[r][c] += n;
        }
    }
    // One area that holds fewer than 10 ratings and ideas in all is refused.
    if slice.area.is_some() {
        let described = counts.iter().flatten().sum::<i64>() + rated;
        if let Err(m) = crate::disclosure::filter(described, t) {
            data.refused = Some(m.to_string());
            data.ratings.clear();
            return Ok(data);
        }
    }
    data.ideas = table(&counts, t);
    Ok(data)
}
