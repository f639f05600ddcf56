//! The national view as files, as local insights are: CSV, Excel or JSON
//! (schema `heard-national-view/1`, documented in the README). Every figure
//! is one the hub disclosed again after merging, with the instances behind
//! it; each download is written to the audit log.

use super::merge::Figure;
use super::pages::{national_view, NationalData};
use crate::accounts::viewer::Staff;
use crate::audit::store::{record_now, Actor, Subject};
use crate::audit::AuditAction;
use crate::disclosure::{Published, Thresholds};
use crate::error::AppError;
use crate::insights::export::{disclosure_json, format_of, json_count, small_file};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;

/// The JSON schema's name and version.
pub const SCHEMA: &str = "heard-national-view/1";

/// The header row of the CSV and the workbook.
pub fn header() -> Vec<String> {
    [
        "template",
        "measure",
        "by",
        "key",
        "young people or answers",
        "positive",
        "percent positive",
        "instances",
    ]
    .map(String::from)
    .to_vec()
}

/// The instances a figure comes from, by identifier.
fn instance_ids(f: &Figure, d: &NationalData) -> Vec<String> {
    f.sources
        .iter()
        .filter_map(|i| d.sources.get(*i))
        .map(|s| s.instance.clone())
        .collect()
}

/// The same, as a file's cell.
fn instances(f: &Figure, d: &NationalData) -> String {
    instance_ids(f, d).join(" ")
}

fn percent(p: Option<u32>) -> String {
    p.map(|p| p.to_string()).unwrap_or_default()
}

/// Every row of the national view: each template's young people, then each
/// outcome's answers and positive answers (England, by area, by age band,
/// by group), then each national question's answers.
pub fn rows(d: &NationalData) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (_, m) in &d.templates {
        for (by, key, f) in m.responses.lines() {
            out.push(vec![
                m.template.clone(),
                "responses".into(),
                by.into(),
                key.into(),
                f.file_text(),
                String::new(),
                String::new(),
                instances(f, d),
            ]);
        }
        for o in &m.outcomes {
            for (by, key, s) in o.figures.lines() {
                out.push(vec![
                    m.template.clone(),
                    o.outcome.clone(),
                    by.into(),
                    key.into(),
                    s.answered.file_text(),
                    s.positive.file_text(),
                    percent(s.percent),
                    instances(&s.answered, d),
                ]);
            }
        }
        for q in &m.questions {
            out.push(vec![
                m.template.clone(),
                format!("question {}", q.id),
                "answered".into(),
                String::new(),
                q.answered.file_text(),
                String::new(),
                String::new(),
                instances(&q.answered, d),
            ]);
            for (value, f, p) in &q.answers {
                out.push(vec![
                    m.template.clone(),
                    format!("question {}", q.id),
                    "answer".into(),
                    value.clone(),
                    f.file_text(),
                    String::new(),
                    percent(*p),
                    instances(f, d),
                ]);
            }
        }
    }
    out
}

/// A figure in the JSON document: the disclosed count (a number, `"<10"`
/// or `null`), whether it is only a floor (an instance hid a part), and the
/// instances it comes from.
fn figure_json(f: &Figure, d: &NationalData) -> serde_json::Value {
    serde_json::json!({
        "count": json_count(f.shown),
        "at_least": f.at_least && matches!(f.shown, Published::About(_)),
        "instances": instance_ids(f, d),
    })
}

fn lines_json<T>(
    b: &super::merge::Breakdown<T>,
    each: impl Fn(&T) -> serde_json::Value,
) -> Vec<serde_json::Value> {
    b.lines()
        .map(|(by, key, v)| serde_json::json!({"by": by, "key": key, "figure": each(v)}))
        .collect()
}

/// The open-data document of the national view.
pub fn json(d: &NationalData, t: &Thresholds) -> serde_json::Value {
    serde_json::json!({
        "schema": SCHEMA,
        "generated_on": crate::db::today(),
        "disclosure": disclosure_json(t),
        "instances": d.sources.iter().map(|s| serde_json::json!({
            "instance": s.instance,
            "name": s.name,
            "signed_at": crate::db::iso_day(s.issued_at),
        })).collect::<Vec<_>>(),
        "templates": d.templates.iter().map(|(title, m)| serde_json::json!({
            "template": m.template,
            "title": title,
            "surveys": m.surveys,
            "responses": lines_json(&m.responses, |f| figure_json(f, d)),
            "outcomes": m.outcomes.iter().map(|o| serde_json::json!({
                "outcome": o.outcome,
                "figures": lines_json(&o.figures, |s| serde_json::json!({
                    "answers": figure_json(&s.answered, d),
                    "positive": figure_json(&s.positive, d),
                    "percent_positive": s.percent,
                })),
            })).collect::<Vec<_>>(),
            "questions": m.questions.iter().map(|q| serde_json::json!({
                "question": q.id,
                "answered": figure_json(&q.answered, d),
                "answers": q.answers.iter().map(|(v, f, p)| serde_json::json!({
                    "value": v,
                    "figure": figure_json(f, d),
                    "percent": p,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /staff/national.{csv,xlsx,json}`: the national view as a file, for
/// those who may see it. Written to the audit log.
pub async fn download(
    State(state): State<AppState>,
    Staff(user): Staff,
    uri: axum::http::Uri,
) -> Result<Response, AppError> {
    let d = national_view(&state, &user).await?;
    let format = format_of(&uri);
    record_now(
        &state.db,
        Actor::Staff(&user),
        AuditAction::Exported,
        Subject::Insights,
        &format!("national view ({format})"),
    )
    .await?;
    let name = format!("heard-national-{}.{format}", crate::db::today());
    small_file(format, &name, "England", &header(), rows(&d), || {
        json(&d, &state.settings.disclosure)
    })
}
