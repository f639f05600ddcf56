//! Participation standards across organisations, for commissioners (their
//! areas) and administrators (all of England): which organisations have an
//! assessment, the award each one's evidence earns, overdue actions, the
//! levels claimed by standard across organisations, and the stories of
//! change they published. Nothing here is about a young person, so there is
//! nothing to disclose; young people's agreement stays on each assessment,
//! disclosed there.

use crate::components::{load_page, BarChart, StaffLayout};
use crate::error::AppError;
use crate::surveys::results::rules::{Bar, Tally};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewOrg {
    pub id: i64,
    pub name: String,
    /// Its latest assessment: `(id, title, started, framework)`.
    pub assessment: Option<(i64, String, String, String)>,
    pub award: Option<String>,
    pub overdue: i64,
}

/// One framework's levels by standard across organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkLevels {
    pub name: String,
    pub organisations: i64,
    /// Each standard's indicators at each level (and not assessed),
    /// counted across the organisations.
    pub standards: Vec<(String, Vec<(String, i64)>)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    pub organisations: Vec<OverviewOrg>,
    pub page: i64,
    pub more: bool,
    pub frameworks: Vec<FrameworkLevels>,
    pub stories: Vec<(String, String, String, String)>,
}

#[server]
pub async fn load_overview(page: Option<i64>) -> Result<OverviewData, AppError> {
    use super::award::{estimate, Claim};
    use super::framework::Framework;
    use super::store;
    use std::collections::BTreeMap;
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    let db = &state.db;
    let reach = user.standards_reach();
    let page = crate::paging::Page::new(page, 50);
    let (rows, more) = store::overview_page(db, &reach, page).await?;
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    let today = crate::db::now() / 86_400 * 86_400;
    let claims = store::claims_of(db, &ids).await?;
    let evidence = store::evidence_counts(db, &ids).await?;
    let overdue = store::overdue_counts(db, &ids, today).await?;
    let (assessed, levels) = store::levels_across(db, &reach).await?;
    // Each framework read once.
    let mut frameworks: BTreeMap<i64, Framework> = BTreeMap::new();
    for id in rows
        .iter()
        .filter_map(|r| r.4)
        .chain(assessed.iter().map(|a| a.0))
    {
        if let std::collections::btree_map::Entry::Vacant(e) = frameworks.entry(id) {
            if let Some(f) = store::framework(db, id).await? {
                e.insert(f);
            }
        }
    }
    let organisations = rows
        .into_iter()
        .map(|(id, name, assessment, title, framework_id, started)| {
            let f = framework_id.and_then(|f| frameworks.get(&f));
            let award = match (assessment, f) {
                (Some(a), Some(f)) => {
                    let mine: Vec<Claim> = claims
                        .iter()
                        .filter(|c| c.0 == a)
                        .map(|(_, indicator, level)| Claim {
                            indicator: indicator.clone(),
                            level: level.clone(),
                            evidence: evidence
                                .iter()
                                .find(|e| e.0 == a && e.1 == *indicator)
                                .map(|e| e.2 as usize)
                                .unwrap_or(0),
                        })
                        .collect();
                    estimate(f, &mine).earned
                }
                _ => None,
            };
            OverviewOrg {
                id,
                name,
                assessment: assessment.map(|a| {
                    (
                        a,
                        title.clone().unwrap_or_default(),
                        started.map(crate::db::human_day).unwrap_or_default(),
                        f.map(|f| f.name.clone()).unwrap_or_default(),
                    )
                }),
                award,
                overdue: assessment
                    .and_then(|a| overdue.iter().find(|o| o.0 == a))
                    .map(|o| o.1)
                    .unwrap_or(0),
            }
        })
        .collect();
    let frameworks = assessed
        .iter()
        .filter_map(|(fid, orgs)| {
            let f = frameworks.get(fid)?;
            let standards = f
                .standards
                .iter()
                .map(|s| {
                    let at = |level: &str| -> i64 {
                        levels
                            .iter()
                            .filter(|(lf, i, l, _)| {
                                lf == fid && l == level && s.indicators.iter().any(|x| x.key == *i)
                            })
                            .map(|r| r.3)
                            .sum()
                    };
                    let mut bars: Vec<(String, i64)> = f
                        .levels
                        .iter()
                        .map(|l| (l.label.clone(), at(&l.key)))
                        .collect();
                    let claimed: i64 = bars.iter().map(|b| b.1).sum();
                    bars.push((
                        "Not assessed".into(),
                        (orgs * s.indicators.len() as i64 - claimed).max(0),
                    ));
                    (s.title.clone(), bars)
                })
                .collect();
            Some(FrameworkLevels {
                name: f.name.clone(),
                organisations: *orgs,
                standards,
            })
        })
        .collect();
    let stories = store::public_stories_in(db, &reach, 10)
        .await?
        .into_iter()
        .map(|(o, said, changed, on)| (o, said, changed, crate::db::human_day(on)))
        .collect();
    Ok(OverviewData {
        organisations,
        page: page.index,
        more,
        frameworks,
        stories,
    })
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    view! {
        <Title text="Participation standards across organisations"/>
        <StaffLayout>
            <crate::insights::InsightsNav here="standards"/>
            <h1>"Participation standards across organisations"</h1>
            <p>"How the organisations in your areas assess themselves: their latest assessment, the award its evidence would earn today, actions past their day, and the levels they claim."</p>
            {load_page(move || load_overview(page), |d: OverviewData| view! { <Overview d=d/> })}
        </StaffLayout>
    }
}

#[component]
fn Overview(d: OverviewData) -> impl IntoView {
    let (page, more) = (d.page, d.more);
    view! {
        <h2>"Organisations"</h2>
        {if d.organisations.is_empty() {
            view! { <p>"No organisations in your areas yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Organisations and their assessments">
                    <table class="organisations">
                        <thead><tr>
                            <th scope="col">"Organisation"</th>
                            <th scope="col">"Latest assessment"</th>
                            <th scope="col">"Award today"</th>
                            <th scope="col">"Overdue actions"</th>
                        </tr></thead>
                        <tbody>
                            {d.organisations.iter().map(|o| view! {
                                <tr>
                                    <th scope="row">{o.name.clone()}</th>
                                    <td>{match &o.assessment {
                                        Some((id, title, started, framework)) => view! {
                                            <a href=format!("/staff/standards/{id}")>{title.clone()}</a>
                                            <span class="meta">{format!(" ({framework}, {started})")}</span>
                                        }.into_any(),
                                        None => view! { <span>"None yet"</span> }.into_any(),
                                    }}</td>
                                    <td>{o.award.clone().unwrap_or_else(|| if o.assessment.is_some() { "None yet".into() } else { "\u{2014}".into() })}</td>
                                    <td>{o.overdue}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(page > 0 || more).then(|| view! {
            <nav class="pager" aria-label="Pages of organisations">
                {(page > 0).then(|| view! { <a rel="prev" href=format!("/staff/insights/standards?page={}", page - 1)>"Earlier"</a> })}
                {more.then(|| view! { <a rel="next" href=format!("/staff/insights/standards?page={}", page + 1)>"More"</a> })}
            </nav>
        })}
        {d.frameworks.iter().enumerate().map(|(n, f)| view! {
            <section aria-labelledby=format!("fw-{n}")>
                <h2 id=format!("fw-{n}")>{format!("{}: levels by standard", f.name)}</h2>
                <p>{format!("Indicators at each level, counted across the latest assessments of {} organisation{}.", f.organisations, if f.organisations == 1 { "" } else { "s" })}</p>
                {f.standards.iter().enumerate().map(|(i, (title, bars))| view! {
                    <h3>{title.clone()}</h3>
                    <BarChart
                        id=format!("fw-{n}-{i}")
                        caption=format!("{title}: indicators at each level")
                        bars=bars.iter().map(|(label, count)| Bar { label: label.clone(), tally: Tally::Counted(*count) }).collect()
                        value_heading="Indicators"
                    />
                }).collect_view()}
            </section>
        }).collect_view()}
        <h2>"What's changed"</h2>
        {if d.stories.is_empty() {
            view! { <p>"No published stories of change yet."</p> }.into_any()
        } else {
            view! {
                <ul class="queue">
                    {d.stories.iter().map(|(org, said, changed, when)| view! {
                        <li class="card">
                            <p><strong>"Young people said: "</strong>{said.clone()}</p>
                            <p><strong>"What changed: "</strong>{changed.clone()}</p>
                            <p class="meta">{format!("{org}, {when}")}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
