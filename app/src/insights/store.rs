//! The overview's reads: only surveys that have reached the disclosure
//! minimum count, and every number is disclosed before it leaves here.

use super::{OutcomeFigure, OverviewData};
use crate::accounts::{Reach, StaffUser};
use crate::db::Db;
use crate::disclosure::{count, share, Thresholds};
use crate::error::AppError;
use crate::outcomes::Outcome;
use std::collections::BTreeMap;

/// Surveys that count (not a service's ratings, not drafts, with at least
/// `$1` responses), of organisations in the areas bound from `$2` on (all
/// of them for `None`).
fn eligible(areas: Option<&[String]>) -> String {
    let clause = match areas {
        None => "1 = 1".to_string(),
        Some(list) => format!(
            "o.area_code IN ({})",
            (0..list.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "SELECT s.id FROM surveys s JOIN organisations o ON o.id = s.organisation_id
         WHERE s.service_id IS NULL AND s.status <> 'draft' AND {clause}
           AND (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) >= $1"
    )
}

struct Raw {
    consultations: i64,
    organisations: i64,
    responses: i64,
    /// day → (surveys with a response that day's month are counted later, responses)
    by_day: Vec<(i64, i64, i64)>,
    /// outcome key → (positive, answered)
    outcomes: BTreeMap<String, (i64, i64)>,
}

async fn raw(db: &Db, areas: Option<&[String]>, t: &Thresholds) -> Result<Raw, AppError> {
    if areas.is_some_and(|a| a.is_empty()) {
        return Ok(Raw {
            consultations: 0,
            organisations: 0,
            responses: 0,
            by_day: vec![],
            outcomes: BTreeMap::new(),
        });
    }
    let eligible = eligible(areas);
    let minimum = t
        .min_survey_responses
        .max(crate::disclosure::LOWEST_SURVEY_MINIMUM);
    let areas_list: Vec<String> = areas.map(<[String]>::to_vec).unwrap_or_default();
    let totals_sql = format!(
        "SELECT COUNT(*), COUNT(DISTINCT s.organisation_id) FROM surveys s WHERE s.id IN ({eligible})"
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(&totals_sql).bind(minimum);
    for a in &areas_list {
        q = q.bind(a);
    }
    let (consultations, organisations) = q.fetch_one(db.pool()).await?;
    let days_sql = format!(
        "SELECT r.submitted_at, r.survey_id, COUNT(*) FROM responses r WHERE r.survey_id IN ({eligible})
         GROUP BY r.submitted_at, r.survey_id"
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64)>(&days_sql).bind(minimum);
    for a in &areas_list {
        q = q.bind(a);
    }
    let by_day = q.fetch_all(db.pool()).await?;
    let responses = by_day.iter().map(|(_, _, n)| n).sum();
    let outcomes_sql = format!(
        "SELECT q.outcome,
                SUM(CASE WHEN (q.kind = 'scale' AND a.value IN ('4', '5')) OR (q.kind = 'yes_no' AND a.value = 'yes')
                         THEN 1 ELSE 0 END),
                COUNT(*)
         FROM answers a JOIN questions q ON q.id = a.question_id
         WHERE q.outcome IS NOT NULL AND q.kind IN ('scale', 'yes_no') AND q.survey_id IN ({eligible})
         GROUP BY q.outcome"
    );
    let mut q = sqlx::query_as::<_, (String, i64, i64)>(&outcomes_sql).bind(minimum);
    for a in &areas_list {
        q = q.bind(a);
    }
    let outcomes = q
        .fetch_all(db.pool())
        .await?
        .into_iter()
        .map(|(o, p, n)| (o, (p, n)))
        .collect();
    Ok(Raw {
        consultations,
        organisations,
        responses,
        by_day,
        outcomes,
    })
}

/// The overview for `user`'s areas (all of England for administrators and
/// national commissioners), against England.
pub async fn overview(db: &Db, user: &StaffUser, t: &Thresholds) -> Result<OverviewData, AppError> {
    let all_areas: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM areas ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    let (mine_areas, label): (Option<Vec<String>>, String) = match user.survey_reach() {
        Reach::Everywhere => (None, "all of England".into()),
        Reach::Areas(list) if all_areas.iter().all(|(c, _)| list.contains(c)) => {
            (None, "all of England".into())
        }
        Reach::Areas(list) => {
            let names: Vec<String> = all_areas
                .iter()
                .filter(|(c, _)| list.contains(c))
                .map(|(_, n)| n.clone())
                .collect();
            (
                Some(list),
                if names.is_empty() {
                    "no areas yet".into()
                } else {
                    names.join(", ")
                },
            )
        }
        _ => return Err(AppError::Forbidden),
    };
    let mine = raw(db, mine_areas.as_deref(), t).await?;
    let england = if mine_areas.is_none() {
        None
    } else {
        Some(raw(db, None, t).await?)
    };
    let mut months: BTreeMap<(i64, u32), (std::collections::BTreeSet<i64>, i64)> = BTreeMap::new();
    for (day, survey, n) in &mine.by_day {
        let m = months
            .entry(crate::services::rating::year_month(*day))
            .or_default();
        m.0.insert(*survey);
        m.1 += n;
    }
    let figure = |raw: &Raw, o: Outcome| {
        let (p, n) = raw.outcomes.get(o.key()).copied().unwrap_or((0, 0));
        (share(p, n, t), count(n, t))
    };
    let outcomes = Outcome::ALL
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
    let surveys = counted_surveys(db, mine_areas.as_deref(), t).await?;
    Ok(OverviewData {
        surveys,
        areas: label,
        consultations: count(mine.consultations, t),
        responses: count(mine.responses, t),
        organisations: count(mine.organisations, t),
        months: months
            .into_iter()
            .rev()
            .map(|((y, m), (surveys, n))| {
                (
                    crate::services::rating::month_name(y, m),
                    count(surveys.len() as i64, t),
                    count(n, t),
                )
            })
            .collect(),
        outcomes,
        survey_minimum: t
            .min_survey_responses
            .max(crate::disclosure::LOWEST_SURVEY_MINIMUM),
    })
}

/// The newest surveys that count in `areas` (50 at most): `(id, title,
/// organisation)`.
async fn counted_surveys(
    db: &Db,
    areas: Option<&[String]>,
    t: &Thresholds,
) -> Result<Vec<(i64, String, String)>, AppError> {
    if areas.is_some_and(|a| a.is_empty()) {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT s.id, s.title, o.name FROM surveys s JOIN organisations o ON o.id = s.organisation_id
         WHERE s.id IN ({}) ORDER BY s.updated_at DESC, s.id DESC LIMIT 50",
        eligible(areas)
    );
    let mut q = sqlx::query_as(&sql).bind(
        t.min_survey_responses
            .max(crate::disclosure::LOWEST_SURVEY_MINIMUM),
    );
    for a in areas.unwrap_or(&[]) {
        q = q.bind(a.clone());
    }
    Ok(q.fetch_all(db.pool()).await?)
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
            .filter_map(|q| {
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
