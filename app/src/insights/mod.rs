//! Commissioners' insights: what young people said across organisations and
//! areas, every number through [`crate::disclosure`]. This first view is the
//! overview of a commissioner's areas against England: consultations,
//! responses and organisations taking part, by month, and the five outcomes
//! as the share of answers that were positive.

use crate::components::{load_page, StaffLayout};
use crate::disclosure::Published;
use crate::error::AppError;
use crate::outcomes::Outcome;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod store;

/// One outcome's figure: the share of positive answers (scales 4 or 5,
/// faces happy, "yes") to questions tagged with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeFigure {
    pub outcome: Outcome,
    /// In the viewer's areas, where disclosable.
    pub mine: Option<u32>,
    pub mine_base: Published,
    /// Across England (all areas), where disclosable.
    pub england: Option<u32>,
    pub england_base: Published,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    /// The viewer's areas by name ("all of England" for a national view).
    pub areas: String,
    pub consultations: Published,
    pub responses: Published,
    pub organisations: Published,
    /// `(month, consultations, responses)`, newest first.
    pub months: Vec<(String, Published, Published)>,
    pub outcomes: Vec<OutcomeFigure>,
    /// A survey counts from this many responses.
    pub survey_minimum: i64,
}

#[server]
pub async fn overview() -> Result<OverviewData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    store::overview(&state.db, &user, &crate::disclosure::DEFAULT).await
}

fn share_text(share: Option<u32>) -> String {
    share
        .map(|s| format!("{s}%"))
        .unwrap_or_else(|| "not enough answers".into())
}

#[component]
pub fn InsightsPage() -> impl IntoView {
    view! {
        <Title text="Insights"/>
        <StaffLayout>
            <h1>"Insights"</h1>
            {load_page(overview, |o: OverviewData| view! {
                <p class="lead">{format!("What young people said in {}.", o.areas)}</p>
                <p class="notice">{crate::disclosure::ROUNDING_NOTE}" "
                    {format!("A survey counts once it has {} responses.", o.survey_minimum)}</p>
                <dl class="figures">
                    <div><dt>"Consultations"</dt><dd>{o.consultations.page_text()}</dd></div>
                    <div><dt>"Responses"</dt><dd>{o.responses.page_text()}</dd></div>
                    <div><dt>"Organisations taking part"</dt><dd>{o.organisations.page_text()}</dd></div>
                </dl>
                <h2>"The five outcomes"</h2>
                <p>"The share of answers that were positive (4 or 5 on a scale, happy faces, \u{201c}yes\u{201d}) to questions tagged with each outcome."</p>
                <div class="table-wrap" role="region" aria-label="The five outcomes" tabindex="0">
                    <table class="data">
                        <caption>"Positive answers by outcome, your areas and England"</caption>
                        <thead><tr><th scope="col">"Outcome"</th><th scope="col">"Your areas"</th><th scope="col">"England"</th></tr></thead>
                        <tbody>
                            {o.outcomes.iter().map(|f| view! {
                                <tr>
                                    <th scope="row">{f.outcome.label()}</th>
                                    <td>{share_text(f.mine)}<br/><span class="meta">{format!("of {} answers", f.mine_base.page_text())}</span></td>
                                    <td>{share_text(f.england)}<br/><span class="meta">{format!("of {} answers", f.england_base.page_text())}</span></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <h2>"By month"</h2>
                {if o.months.is_empty() {
                    view! { <p>"No survey in your areas has enough responses yet."</p> }.into_any()
                } else {
                    view! {
                        <table class="data">
                            <caption>"Consultations and responses by month, newest first"</caption>
                            <thead><tr><th scope="col">"Month"</th><th scope="col">"Consultations"</th><th scope="col">"Responses"</th></tr></thead>
                            <tbody>
                                {o.months.iter().map(|(m, c, r)| view! {
                                    <tr><th scope="row">{m.clone()}</th><td>{c.page_text()}</td><td>{r.page_text()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            })}
        </StaffLayout>
    }
}
