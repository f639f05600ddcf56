//! Services and ideas across the viewer's areas: ratings by kind of service
//! and area (how many, and the share who agreed with each of the four
//! statements), and approved ideas by category and where they stand, with
//! how many reached "happening". Every number disclosed.

use crate::components::{load_page, StaffLayout};
use crate::disclosure::Published;
use crate::error::AppError;
use crate::services::rating::STATEMENTS;
use crate::suggestions::{Category, Status};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// Ratings of one kind of service in one area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRow {
    pub kind: String,
    pub area: String,
    pub ratings: Published,
    /// For each of [`STATEMENTS`]: the share who rated it 4 or 5.
    pub agreed: Vec<Option<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesInsightData {
    pub area: Option<String>,
    pub area_choices: Vec<(String, String)>,
    pub refused: Option<String>,
    pub ratings: Vec<RatingRow>,
    /// Rows in [`Category::ALL`] order, columns in [`Status::ALL`] order.
    pub ideas: crate::disclosure::Table,
}

#[server]
pub async fn services_insight(area: Option<String>) -> Result<ServicesInsightData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    super::store::services_insight(&state.db, &user, area, &state.settings.disclosure).await
}

fn share_text(s: Option<u32>) -> String {
    s.map(|s| format!("{s}%"))
        .unwrap_or_else(|| "not enough ratings".into())
}

#[component]
pub fn ServicesInsightPage() -> impl IntoView {
    let area = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("area");
    view! {
        <Title text="Services and ideas"/>
        <StaffLayout>
            <super::InsightsNav here="services"/>
            <h1>"Services and ideas"</h1>
            {load_page(move || services_insight(area.clone()), |d: ServicesInsightData| view! {
                <p class="notice">{crate::disclosure::ROUNDING_NOTE}</p>
                <form method="get" action="/staff/insights/services" class="filters stack">
                    <super::FilterSelect id="sv-area" name="area" label="Area" any="All your areas" choices=d.area_choices.clone() chosen=d.area.clone()/>
                    <button type="submit" class="button">"Show"</button>
                </form>
                {match d.refused.clone() {
                    Some(why) => view! { <p class="error-summary" role="alert">{why}</p> }.into_any(),
                    None => view! { <Tables d=d.clone()/> }.into_any(),
                }}
            })}
        </StaffLayout>
    }
}

#[component]
fn Tables(d: ServicesInsightData) -> impl IntoView {
    let happening = Status::ALL
        .iter()
        .position(|s| *s == Status::Happening)
        .and_then(|i| d.ideas.column_totals.get(i).copied())
        .unwrap_or(Published::Zero);
    view! {
        <h2>"Ratings of services"</h2>
        <p>"How many ratings each kind of service had, and the share of young people who rated each statement 4 or 5 out of 5."</p>
        {if d.ratings.is_empty() {
            view! { <p>"No ratings yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" aria-label="Ratings by kind of service and area" tabindex="0">
                    <table class="data">
                        <caption>"Ratings by kind of service and area"</caption>
                        <thead><tr>
                            <th scope="col">"Kind of service"</th><th scope="col">"Area"</th><th scope="col">"Ratings"</th>
                            {STATEMENTS.iter().map(|s| view! { <th scope="col">{*s}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {d.ratings.iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.kind.clone()}</th><td>{r.area.clone()}</td><td>{r.ratings.page_text()}</td>
                                    {r.agreed.iter().map(|a| view! { <td>{share_text(*a)}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <h2>"Ideas from young people"</h2>
        <p>{format!("Approved ideas by what they are and where they stand. Reached \u{201c}happening\u{201d}: {}.", happening.page_text())}</p>
        <div class="table-wrap" role="region" aria-label="Ideas by category and status" tabindex="0">
            <table class="data">
                <caption>"Ideas by category and status"</caption>
                <thead><tr>
                    <th scope="col">"Category"</th>
                    {Status::ALL.iter().map(|s| view! { <th scope="col">{s.label()}</th> }).collect_view()}
                    <th scope="col">"All"</th>
                </tr></thead>
                <tbody>
                    {Category::ALL.iter().enumerate().map(|(i, c)| view! {
                        <tr>
                            <th scope="row">{c.label()}</th>
                            {d.ideas.cells[i].iter().map(|p| view! { <td>{p.page_text()}</td> }).collect_view()}
                            <td>{d.ideas.row_totals[i].page_text()}</td>
                        </tr>
                    }).collect_view()}
                    <tr>
                        <th scope="row">"All"</th>
                        {d.ideas.column_totals.iter().map(|p| view! { <td>{p.page_text()}</td> }).collect_view()}
                        <td>{d.ideas.total.page_text()}</td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}
