//! What young people said: their own words, for commissioners, only where
//! the disclosure rules let them leave the organisation (approved by a
//! moderator, redacted, never with the safeguarding lead, from a survey that
//! reaches commissioners). Filterable by outcome, area and age band; each
//! quote shows only its survey and outcome, never who or when. A page at a
//! time, in the stable shuffled order the results use.

use crate::components::{load_page, StaffLayout};
use crate::error::AppError;
use crate::outcomes::Outcome;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// Quotes on one page.
pub const QUOTES_PER_PAGE: i64 = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaidFilter {
    pub outcome: Option<String>,
    pub area: Option<String>,
    pub age: Option<String>,
    /// Where the previous page ended: "shuffle.id".
    pub after: Option<String>,
}

impl SaidFilter {
    /// The filter as a query string, without the page.
    pub fn query(&self) -> String {
        super::query_of(&[
            ("outcome", &self.outcome),
            ("area", &self.area),
            ("age", &self.age),
        ])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub words: String,
    pub survey: String,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaidData {
    pub filter: SaidFilter,
    pub area_choices: Vec<(String, String)>,
    pub refused: Option<String>,
    pub quotes: Vec<Quote>,
    /// The next page's `after`, if there is one.
    pub next: Option<String>,
}

#[server]
pub async fn said(filter: SaidFilter) -> Result<SaidData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    super::store::said(&state.db, &user, filter, &state.settings.disclosure).await
}

#[component]
pub fn SaidPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map()
        .read_untracked()
        .clone();
    let filter = SaidFilter {
        outcome: query.get("outcome"),
        area: query.get("area"),
        age: query.get("age"),
        after: query.get("after"),
    };
    view! {
        <Title text="What young people said"/>
        <StaffLayout>
            <super::InsightsNav here="said"/>
            <h1>"What young people said"</h1>
            {load_page(move || said(filter.clone()), |d: SaidData| {
                let f = d.filter.clone();
                let outcomes = Outcome::ALL.map(|o| (o.key().to_string(), o.label().to_string())).to_vec();
                let ages = crate::about_you::AgeBand::ALL.map(|a| (a.key().to_string(), a.label().to_string())).to_vec();
                let next = d.next.clone().map(|after| {
                    let q = d.filter.query();
                    if q.is_empty() { format!("/staff/insights/said?after={after}") } else { format!("/staff/insights/said?{q}&after={after}") }
                });
                view! {
                    <p class="lead">"Young people's own words, approved by a moderator with personal details taken out. Only from surveys with enough responses; never anything with the safeguarding lead."</p>
                    <form method="get" action="/staff/insights/said" class="filters stack">
                        <super::FilterSelect id="s-outcome" name="outcome" label="Outcome" any="Any outcome" choices=outcomes chosen=f.outcome.clone()/>
                        <super::FilterSelect id="s-area" name="area" label="Area" any="All your areas" choices=d.area_choices.clone() chosen=f.area.clone()/>
                        <super::FilterSelect id="s-age" name="age" label="Age band" any="All ages" choices=ages chosen=f.age.clone()/>
                        <button type="submit" class="button">"Show"</button>
                    </form>
                    {match (d.refused.clone(), d.quotes.is_empty()) {
                        (Some(why), _) => view! { <p class="error-summary" role="alert">{why}</p> }.into_any(),
                        (None, true) => view! { <p>"Nothing approved to show here yet."</p> }.into_any(),
                        (None, false) => view! {
                            <ul class="quotes">
                                {d.quotes.into_iter().map(|q| view! {
                                    <li>
                                        <blockquote>{q.words}</blockquote>
                                        <p class="meta">{q.survey}{q.outcome.map(|o| format!(" · {}", o.label()))}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                    {next.map(|href| view! { <p class="pager"><a href=href>"More"</a></p> })}
                }
            })}
        </StaffLayout>
    }
}
