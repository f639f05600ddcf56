//! Who has not been heard yet: responses in each of the viewer's areas by
//! age band and group, gaps shown plainly, and, where administrators have
//! loaded how many young people live there (for example the ONS mid-year
//! estimates), reach as a share of them. Every count disclosed.

use crate::about_you::{AgeBand, Group};
use crate::components::{load_page, StaffLayout};
use crate::disclosure::Published;
use crate::error::AppError;
use crate::forms::ImportOutcome;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// The columns of a population file.
pub const POPULATION_COLUMNS: [&str; 3] = ["area_code", "age_band", "people"];

/// The most rows a population file may have (every area × every band).
pub const MAX_POPULATION_ROWS: usize = 5_000;

/// The most young people one area and age band can hold (a sanity check).
pub const MAX_PEOPLE: i64 = 10_000_000;

/// One checked row of a population file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationRow {
    pub line: usize,
    pub area_code: String,
    pub age_band: AgeBand,
    pub people: i64,
}

#[cfg(feature = "ssr")]
/// Reads a population CSV (`area_code,age_band,people`, a header first):
/// the rows that are right, and a plain sentence for each that is not.
/// Whether each area exists is for the caller, who knows them.
pub fn read_populations(text: &str) -> (Vec<PopulationRow>, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut problems = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_lowercase()).collect(),
        Err(_) => return (vec![], vec!["The file could not be read as CSV.".into()]),
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(area), Some(age), Some(people)) = (col("area_code"), col("age_band"), col("people"))
    else {
        return (
            vec![],
            vec![format!(
                "The first row must name the columns {}.",
                POPULATION_COLUMNS.join(", ")
            )],
        );
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        if i >= MAX_POPULATION_ROWS {
            problems.push(format!(
                "The file has more than {MAX_POPULATION_ROWS} rows: split it."
            ));
            break;
        }
        let Ok(record) = record else {
            problems.push(format!("Row {line} could not be read."));
            continue;
        };
        let get = |c: usize| record.get(c).unwrap_or("").to_string();
        let area_code = get(area).to_uppercase();
        if area_code.is_empty() {
            problems.push(format!("Row {line}: the area code is missing."));
            continue;
        }
        let Some(age_band) = AgeBand::parse(&get(age)) else {
            problems.push(format!(
                "Row {line}: the age band must be one of {}.",
                AgeBand::ALL.map(AgeBand::key).join(", ")
            ));
            continue;
        };
        match get(people).replace(',', "").parse::<i64>() {
            Ok(n) if (0..=MAX_PEOPLE).contains(&n) => rows.push(PopulationRow {
                line,
                area_code,
                age_band,
                people: n,
            }),
            _ => problems.push(format!(
                "Row {line}: people must be a whole number from 0 to {MAX_PEOPLE}."
            )),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push("The file has no rows under its header.".into());
    }
    (rows, problems)
}

/// One age band's row for an area: responses from everyone and from each
/// group (disclosed), and reach as a share of the young people living there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachRow {
    pub label: String,
    /// Everyone, then each of [`Group::ALL`].
    pub cells: Vec<Published>,
    /// "2.4%" of the young people living there, where known.
    pub reach: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaReach {
    pub code: String,
    pub name: String,
    pub rows: Vec<ReachRow>,
    pub has_population: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachData {
    pub areas: Vec<AreaReach>,
    /// Administrators load population counts.
    pub may_load: bool,
    pub survey_minimum: i64,
}

/// Reach as a share of those living there, from the published count only
/// (a count that is not a rounded number shows no share).
pub fn reach_share(published: Published, people: i64) -> Option<String> {
    let n = published.number()?;
    (people > 0).then(|| format!("{:.1}%", n as f64 * 100.0 / people as f64))
}

#[server]
pub async fn reach() -> Result<ReachData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    super::store::reach(&state.db, &user, &state.settings.disclosure).await
}

/// `POST /staff/insights/populations`: administrators load population
/// counts. Every row is checked; if any is wrong, nothing is loaded. Rows
/// for an area and band already held replace what was there.
#[cfg(feature = "ssr")]
pub async fn load_populations(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    crate::accounts::viewer::Staff(user): crate::accounts::viewer::Staff,
    req: axum::http::Request<axum::body::Body>,
) -> Result<axum::response::Response, AppError> {
    use axum::http::StatusCode;
    if !user.may_load_populations() {
        return Err(AppError::Forbidden);
    }
    let (parts, text) = crate::forms::ssr::uploaded_text(req).await?;
    let outcome = match text {
        Err(refused) => refused,
        Ok(text) => {
            let (rows, mut problems) = read_populations(&text);
            let known: Vec<String> = crate::areas::store::all(&state.db)
                .await?
                .into_iter()
                .map(|a| a.code)
                .collect();
            for r in &rows {
                if !known.contains(&r.area_code) {
                    problems.push(format!(
                        "Row {}: heard has no area with the code {}.",
                        r.line, r.area_code
                    ));
                }
            }
            if problems.is_empty() {
                super::store::load_populations(&state.db, &user, &rows).await?;
                ImportOutcome::Added(rows.len())
            } else {
                problems.truncate(crate::forms::PROBLEMS_SHOWN);
                ImportOutcome::Refused(problems)
            }
        }
    };
    let status = match outcome {
        ImportOutcome::Added(_) => StatusCode::OK,
        ImportOutcome::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(
        crate::forms::ssr::render_with(
            state,
            parts,
            Some("/staff/insights/reach"),
            outcome,
            status,
        )
        .await,
    )
}

#[component]
pub fn ReachPage() -> impl IntoView {
    let outcome = use_context::<ImportOutcome>();
    view! {
        <Title text="Who has not been heard yet"/>
        <StaffLayout>
            <super::InsightsNav here="reach"/>
            <h1>"Who has not been heard yet"</h1>
            <crate::forms::ImportReport outcome=outcome done=|n| format!("{n} population counts loaded.")/>
            {load_page(reach, |r: ReachData| view! {
                <p class="lead">"Responses in each of your areas by age band and group, so you can see who is missing. A young person who answered two surveys counts twice."</p>
                <p class="notice">{crate::disclosure::ROUNDING_NOTE}" "{format!("Only surveys with {} responses or more count.", r.survey_minimum)}</p>
                {if r.areas.is_empty() {
                    view! { <p>"You have no areas yet."</p> }.into_any()
                } else {
                    r.areas.iter().map(|a| view! { <AreaTable area=a.clone()/> }).collect_view().into_any()
                }}
                {r.may_load.then(|| view! {
                    <h2>"Young people living in each area"</h2>
                    <p>"Load how many young people live in each area and age band (for example from the ONS mid-year estimates), so reach shows as a share. A CSV file whose first row names its columns: "
                        <code>{POPULATION_COLUMNS.join(", ")}</code>"; age bands are "
                        {AgeBand::ALL.map(AgeBand::key).join(", ")}". Every row is checked: if any is wrong, nothing is loaded."</p>
                    <form method="post" action="/staff/insights/populations" enctype="multipart/form-data" class="stack">
                        <div class="field">
                            <label for="population-file">"CSV file"</label>
                            <input id="population-file" type="file" name="file" accept=".csv,text/csv"/>
                        </div>
                        <button type="submit" class="button">"Load"</button>
                    </form>
                })}
            })}
        </StaffLayout>
    }
}

#[component]
fn AreaTable(area: AreaReach) -> impl IntoView {
    let caption = format!("Responses in {} by age band and group", area.name);
    view! {
        <h2>{area.name.clone()}</h2>
        <div class="table-wrap" role="region" aria-label=caption.clone() tabindex="0">
            <table class="data reach">
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <th scope="col">"Age band"</th>
                    <th scope="col">"All young people"</th>
                    {Group::ALL.iter().map(|g| view! { <th scope="col">{group_heading(*g)}</th> }).collect_view()}
                    {area.has_population.then(|| view! { <th scope="col">"Share of young people living there"</th> })}
                </tr></thead>
                <tbody>
                    {area.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label}</th>
                            {r.cells.into_iter().map(|c| {
                                let gap = c == Published::Zero;
                                view! { <td class:gap=gap>{if gap { "none yet".to_string() } else { c.page_text() }}</td> }
                            }).collect_view()}
                            {area.has_population.then(|| view! { <td>{r.reach.unwrap_or_else(|| "–".into())}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn group_heading(g: Group) -> &'static str {
    match g {
        Group::InCareOrCareLeaver => "In care or care leavers",
        Group::YoungCarer => "Young carers",
        Group::DisabilityOrSend => "Disability or SEND",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_population_file_is_read_and_every_problem_named_by_row() {
        let (rows, problems) = read_populations(
            "\u{feff}area_code,age_band,people\nE08000035,13-15,\"31,200\"\ne08000025,8-9,4000\nE08000035,20-25,10\nE08000035,10-12,lots\n,10-12,5\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].people, 31_200);
        assert_eq!(rows[1].area_code, "E08000025");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("Row 4: the age band"));
        assert!(problems[1].starts_with("Row 5: people"));
        assert!(problems[2].starts_with("Row 6: the area code"));
        let (_, problems) = read_populations("code,people\nx,1\n");
        assert!(problems[0].contains("area_code, age_band, people"));
        let (_, problems) = read_populations("area_code,age_band,people\n");
        assert!(!problems.is_empty());
    }

    #[test]
    fn reach_is_a_share_of_the_published_count_only() {
        assert_eq!(
            reach_share(Published::About(250), 10_000),
            Some("2.5%".into())
        );
        assert_eq!(reach_share(Published::FewerThan(10), 10_000), None);
        assert_eq!(reach_share(Published::Hidden, 10_000), None);
        assert_eq!(reach_share(Published::About(250), 0), None);
        assert_eq!(reach_share(Published::Zero, 500), Some("0.0%".into()));
    }
}
