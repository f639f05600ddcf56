//! Commissioners' downloads: the outcome figures by area and age band, every
//! number through [`crate::disclosure`], as CSV, Excel or JSON (schema
//! `heard-insights/1`, documented in the README). Only disclosed aggregates
//! leave: never a response. Each download is written to the audit log.

use super::store::{organisation_of, reachable, scope_of, slice_of};
use super::InsightFilter;
use crate::about_you::AgeBand;
use crate::accounts::viewer::Staff;
use crate::audit::store::{record_now, Actor, Subject};
use crate::audit::AuditAction;
use crate::disclosure::{share, table, Published, Thresholds};
use crate::error::AppError;
use crate::outcomes::Outcome;
use crate::state::AppState;
use crate::tallies::store::{self as tallies, By};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// The JSON schema's name and version.
pub const SCHEMA: &str = "heard-insights/1";

/// Age columns: each band, then "not said" (skipped or preferred not to).
fn age_columns() -> Vec<(&'static str, String)> {
    let mut c: Vec<(&'static str, String)> = AgeBand::ALL
        .into_iter()
        .map(|a| (a.key(), a.label()))
        .collect();
    c.push(("not_said", "Not said".into()));
    c
}

fn age_column(stored: &str) -> &'static str {
    AgeBand::parse(stored).map_or("not_said", AgeBand::key)
}

/// One row of the download.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub area_code: String,
    pub area: String,
    /// An age band's key, `not_said`, or `all`.
    pub age_band: String,
    pub responses: Published,
    /// In [`Outcome::ALL`] order: (answers, whole per cent positive).
    pub outcomes: Vec<(Published, Option<u32>)>,
}

/// The figures by area × age band, disclosed: responses as one protected
/// table (with each area's and age band's total and the grand total), each
/// outcome's answers as a protected table of their own, and each cell's
/// share of positive answers only from a base of 30. Where a cell's young
/// people are not shown as a rounded count, neither are their answers (they
/// would tell it again).
pub fn rows(
    responses: &BTreeMap<(String, &'static str), i64>,
    outcomes: &BTreeMap<(String, String, &'static str), (i64, i64)>,
    name: impl Fn(&str) -> String,
    t: &Thresholds,
) -> Vec<Row> {
    let ages = age_columns();
    let mut area_codes: Vec<String> = responses.keys().map(|(a, _)| a.clone()).collect();
    area_codes.dedup();
    let matrix = |value: &dyn Fn(&str, &str) -> i64| -> Vec<Vec<i64>> {
        area_codes
            .iter()
            .map(|a| ages.iter().map(|(k, _)| value(a, k)).collect())
            .collect()
    };
    let people = table(
        &matrix(&|a, k| {
            responses
                .get(&(a.to_string(), age_key(k)))
                .copied()
                .unwrap_or(0)
        }),
        t,
    );
    // Per outcome: the true (positive, answered) of a cell, row, column or
    // everything, and the published answers as a protected table.
    let truth = |o: Outcome, area: Option<&str>, age: Option<&str>| -> (i64, i64) {
        outcomes
            .iter()
            .filter(|((oc, a, g), _)| {
                oc == o.key() && area.is_none_or(|x| x == a) && age.is_none_or(|x| x == *g)
            })
            .fold((0, 0), |(p, n), (_, (dp, dn))| (p + dp, n + dn))
    };
    let answered: Vec<crate::disclosure::Table> = Outcome::ALL
        .into_iter()
        .map(|o| table(&matrix(&|a, k| truth(o, Some(a), Some(k)).1), t))
        .collect();
    let figure = |pick: &dyn Fn(&crate::disclosure::Table) -> Published,
                  area: Option<&str>,
                  age: Option<&str>,
                  people: Published|
     -> Vec<(Published, Option<u32>)> {
        Outcome::ALL
            .into_iter()
            .zip(&answered)
            .map(|(o, table)| {
                let shown = pick(table);
                if !matches!(people, Published::About(_)) {
                    let hidden = if people == Published::Zero {
                        Published::Zero
                    } else {
                        Published::Hidden
                    };
                    return (hidden, None);
                }
                let (p, n) = truth(o, area, age);
                (shown, shown.number().and_then(|_| share(p, n, t)))
            })
            .collect()
    };
    let mut out = Vec::new();
    for (r, area) in area_codes.iter().enumerate() {
        for (c, (age, _)) in ages.iter().enumerate() {
            let p = people.cells[r][c];
            out.push(Row {
                area_code: area.clone(),
                area: name(area),
                age_band: (*age).to_string(),
                responses: p,
                outcomes: figure(&|tb| tb.cells[r][c], Some(area), Some(age), p),
            });
        }
        let p = people.row_totals[r];
        out.push(Row {
            area_code: area.clone(),
            area: name(area),
            age_band: "all".into(),
            responses: p,
            outcomes: figure(&|tb| tb.row_totals[r], Some(area), None, p),
        });
    }
    for (c, (age, _)) in ages.iter().enumerate() {
        let p = people
            .column_totals
            .get(c)
            .copied()
            .unwrap_or(Published::Zero);
        out.push(Row {
            area_code: String::new(),
            area: "All areas".into(),
            age_band: (*age).to_string(),
            responses: p,
            outcomes: figure(
                &|tb| tb.column_totals.get(c).copied().unwrap_or(Published::Zero),
                None,
                Some(age),
                p,
            ),
        });
    }
    out.push(Row {
        area_code: String::new(),
        area: "All areas".into(),
        age_band: "all".into(),
        responses: people.total,
        outcomes: figure(&|tb| tb.total, None, None, people.total),
    });
    out
}

/// A column key as stored in the maps (`&'static`).
fn age_key(k: &str) -> &'static str {
    age_columns()
        .into_iter()
        .map(|(key, _)| key)
        .find(|key| *key == k)
        .unwrap_or("not_said")
}

/// The header row of the CSV and the workbook.
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = ["Area code", "Area", "Age band", "Young people"]
        .map(String::from)
        .to_vec();
    for o in Outcome::ALL {
        h.push(format!("{}: answers", o.label()));
        h.push(format!("{}: % positive", o.label()));
    }
    h
}

/// A row's cells as written in files: `<10` for fewer than 10, empty for
/// hidden or not shown.
pub fn cells(row: &Row) -> Vec<String> {
    let mut c = vec![
        row.area_code.clone(),
        row.area.clone(),
        row.age_band.clone(),
        row.responses.file_text(),
    ];
    for (answers, percent) in &row.outcomes {
        c.push(answers.file_text());
        c.push(percent.map(|p| p.to_string()).unwrap_or_default());
    }
    c
}

/// A count in a JSON download: a number, `"<10"`, or `null` for hidden.
pub fn json_count(p: Published) -> serde_json::Value {
    match p {
        Published::Zero => 0.into(),
        Published::About(n) => n.into(),
        Published::FewerThan(n) => format!("<{n}").into(),
        Published::Hidden => serde_json::Value::Null,
    }
}

/// The disclosure rules a JSON download was made under.
pub fn disclosure_json(t: &Thresholds) -> serde_json::Value {
    serde_json::json!({
        "note": crate::disclosure::ROUNDING_NOTE,
        "fewer_than": t.small,
        "rounded_to": t.round_to,
        "minimum_base_for_percentages": t.min_base,
        "minimum_survey_responses": t.min_survey_responses,
    })
}

/// The open-data document.
pub fn json(
    rows: &[Row],
    areas_label: &str,
    filter: &InsightFilter,
    t: &Thresholds,
) -> serde_json::Value {
    serde_json::json!({
        "schema": SCHEMA,
        "generated_on": crate::db::today(),
        "areas": areas_label,
        "filter": {
            "area": filter.area,
            "age_band": filter.age,
            "group": filter.group,
            "organisation": filter.organisation,
            "from_month": filter.from,
            "to_month": filter.to,
        },
        "disclosure": disclosure_json(t),
        "outcomes": Outcome::ALL.iter().map(|o| serde_json::json!({"key": o.key(), "label": o.label()})).collect::<Vec<_>>(),
        "rows": rows.iter().map(|r| serde_json::json!({
            "area_code": r.area_code,
            "area": r.area,
            "age_band": r.age_band,
            "young_people": json_count(r.responses),
            "outcomes": Outcome::ALL.iter().zip(&r.outcomes).map(|(o, (n, p))| (o.key().to_string(), serde_json::json!({
                "answers": json_count(*n),
                "percent_positive": p,
            }))).collect::<serde_json::Map<_, _>>(),
        })).collect::<Vec<_>>(),
    })
}

/// An Excel workbook of `header` and `rows` (cells as text or whole
/// numbers; never a formula), written as it goes.
pub fn workbook(
    sheet: &str,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
    out: impl std::io::Write + std::io::Seek + Send,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(sheet)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in rows.enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            // Whole numbers as numbers (so they sum); everything else as
            // text, which Excel never runs (and "007" keeps its zeros).
            let written_as_text = cell.starts_with('+')
                || cell.starts_with("-0")
                || (cell.len() > 1 && cell.starts_with('0'));
            match cell.parse::<i64>() {
                Ok(n) if !written_as_text => ws.write_number(r, c as u16, n as f64)?,
                _ => ws.write_string(r, c as u16, cell)?,
            };
        }
    }
    book.save_to_writer(out)
}

/// `GET /staff/insights/export.{csv,xlsx,json}?area=&age=&group=`
pub async fn download(
    State(state): State<AppState>,
    Staff(user): Staff,
    uri: axum::http::Uri,
    Query(filter): Query<InsightFilter>,
) -> Result<Response, AppError> {
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let t = &state.settings.disclosure;
    let format = format_of(&uri);
    let reach = reachable(&state.db, &user).await?;
    let slice = slice_of(&filter, &reach)?;
    let mut scope = scope_of(&reach, t);
    scope.organisation = organisation_of(&state.db, &filter, &reach).await?;
    let who = tallies::responses(&state.db, &scope, &slice, By::Who).await?;
    if slice != tallies::Slice::default() || scope.organisation.is_some() {
        crate::disclosure::filter(who.values().sum(), t).map_err(AppError::invalid)?;
    }
    let split = |key: &str| -> (String, &'static str) {
        let (area, age, _) = tallies::split_who(key);
        (reach.area_key(area), age_column(age))
    };
    let mut responses: BTreeMap<(String, &'static str), i64> = BTreeMap::new();
    for (k, n) in &who {
        *responses.entry(split(k)).or_default() += n;
    }
    let mut outcomes: BTreeMap<(String, String, &'static str), (i64, i64)> = BTreeMap::new();
    for ((o, k), (p, n)) in tallies::outcomes(&state.db, &scope, &slice, By::Who).await? {
        let (area, age) = split(&k);
        let e = outcomes.entry((o, area, age)).or_default();
        e.0 += p;
        e.1 += n;
    }
    let rows = rows(&responses, &outcomes, |code| reach.name_of(code), t);
    let detail = format!(
        "insights by area and age band ({format}){}",
        match filter.query() {
            q if q.is_empty() => String::new(),
            q => format!(", {q}"),
        }
    );
    record_now(
        &state.db,
        Actor::Staff(&user),
        AuditAction::Exported,
        Subject::Insights,
        &detail,
    )
    .await?;
    let name = format!("heard-insights-{}.{format}", crate::db::today());
    let table = rows.iter().map(cells).collect::<Vec<_>>();
    small_file(format, &name, "Insights", &header(), table, || {
        json(&rows, &reach.label, &filter, t)
    })
}

/// The format a download's address asks for: `csv`, `xlsx` or `json`.
pub fn format_of(uri: &axum::http::Uri) -> &'static str {
    match uri.path().rsplit_once('.') {
        Some((_, "xlsx")) => "xlsx",
        Some((_, "json")) => "json",
        _ => "csv",
    }
}

/// A download of aggregates (small, so made whole before it is sent) named
/// `name`: `header` and `table` as CSV or a workbook sheet, or the JSON
/// document `json` makes.
pub fn small_file(
    format: &str,
    name: &str,
    sheet: &str,
    header: &[String],
    table: Vec<Vec<String>>,
    json: impl FnOnce() -> serde_json::Value,
) -> Result<Response, AppError> {
    let (kind, body) = match format {
        "csv" => {
            let mut file =
                crate::export::CsvFile::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
            for r in &table {
                file.row(r.iter().map(String::as_str));
            }
            ("text/csv; charset=utf-8", file.take())
        }
        "json" => (
            "application/json",
            serde_json::to_vec_pretty(&json()).map_err(|_| AppError::Unexpected)?,
        ),
        _ => {
            let mut out = std::io::Cursor::new(Vec::new());
            workbook(sheet, header, table.into_iter(), &mut out).map_err(|e| {
                tracing::error!(error = ?e, "could not write a workbook");
                AppError::Unexpected
            })?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                out.into_inner(),
            )
        }
    };
    Ok(attachment(kind, name, Body::from(body)))
}

/// A download: its type, its name, never cached.
pub fn attachment(kind: &str, name: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_count_in_a_download_is_disclosed_and_totals_come_from_true_numbers() {
        let mut responses = BTreeMap::new();
        responses.insert(("E08000035".to_string(), "13-15"), 42);
        responses.insert(("E08000035".to_string(), "16-17"), 3);
        responses.insert(("E08000035".to_string(), "10-12"), 18);
        let mut outcomes = BTreeMap::new();
        outcomes.insert(
            ("safe".to_string(), "E08000035".to_string(), "13-15"),
            (30, 40),
        );
        let rows = rows(
            &responses,
            &outcomes,
            |_| "Leeds".to_string(),
            &crate::disclosure::DEFAULT,
        );
        let texts: Vec<String> = rows.iter().map(|r| r.responses.file_text()).collect();
        assert!(
            texts.iter().all(|t| !matches!(t.parse::<i64>(), Ok(1..=9))),
            "{texts:?}"
        );
        assert!(texts.contains(&"<10".to_string()));
        let all = rows
            .iter()
            .find(|r| r.area == "Leeds" && r.age_band == "all")
            .unwrap();
        assert_eq!(all.responses, Published::About(65), "63 rounds to 65");
        let teen = rows
            .iter()
            .find(|r| r.age_band == "13-15" && r.area == "Leeds")
            .unwrap();
        let safe = Outcome::ALL.iter().position(|o| o.key() == "safe").unwrap();
        assert_eq!(teen.outcomes[safe], (Published::About(40), Some(75)));
        let c = cells(teen);
        assert_eq!(c.len(), header().len());
        let doc = json(
            &rows,
            "Leeds",
            &InsightFilter::default(),
            &crate::disclosure::DEFAULT,
        );
        assert_eq!(doc["schema"], SCHEMA);
        assert!(doc["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| { !matches!(r["young_people"].as_i64(), Some(1..=9)) }));
    }

    #[test]
    fn workbooks_hold_text_as_text_and_numbers_as_numbers() {
        let mut out = std::io::Cursor::new(Vec::new());
        workbook(
            "Test",
            &["A".into(), "B".into()],
            [vec!["=1+1".to_string(), "25".to_string()]].into_iter(),
            &mut out,
        )
        .unwrap();
        let bytes = out.into_inner();
        assert_eq!(&bytes[..2], b"PK", "a zip file");
    }
}
