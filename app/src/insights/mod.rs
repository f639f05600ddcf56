//! Commissioners' insights: what young people said across organisations and
//! areas, every number through [`crate::disclosure`]. This first view is the
//! overview of a commissioner's areas against England: consultations,
//! responses and organisations taking part, by month, and the five outcomes
//! as the share of answers that were positive.

use crate::components::{load_page, BarChart, StaffLayout};
use crate::disclosure::Published;
use crate::error::AppError;
use crate::outcomes::Outcome;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod export;
pub mod reach;
pub mod said;
pub mod services;
#[cfg(feature = "ssr")]
pub mod store;

/// One answer to a question as published: its label, its count, and its
/// share of those who answered where that may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRow {
    pub label: String,
    pub count: Published,
    pub percent: Option<u32>,
}

impl AnswerRow {
    /// As a bar of a chart: a withheld count draws no bar.
    pub fn bar(&self) -> crate::surveys::results::rules::Bar {
        crate::surveys::results::rules::Bar::disclosed(self.label.clone(), self.count, self.percent)
    }
}

/// A question's disclosed results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInsight {
    /// Its place in the survey, from 1.
    pub number: usize,
    pub prompt: String,
    pub outcome: Option<Outcome>,
    pub answered: Published,
    pub rows: Vec<AnswerRow>,
}

/// A question's results through disclosure: choices, scales and yes/no
/// (free text and rankings are shown elsewhere, or not at all). `counts`
/// are `(value, count)` of this question's answers; `answered` how many
/// young people answered it.
pub fn question_insight(
    q: &crate::surveys::model::Question,
    counts: &[(String, i64)],
    answered: i64,
    t: &crate::disclosure::Thresholds,
) -> Option<QuestionInsight> {
    use crate::disclosure::{count, share, table};
    use crate::surveys::model::QuestionKind;
    let values = q.answer_values();
    let of = |key: &str| {
        counts
            .iter()
            .filter(|(v, _)| v == key)
            .map(|(_, n)| n)
            .sum::<i64>()
    };
    let trues: Vec<i64> = values.iter().map(|(k, _)| of(k)).collect();
    let published: Vec<Published> = match q.kind {
        // One answer each: the options and those who answered are a row
        // and its total, protected together.
        QuestionKind::SingleChoice | QuestionKind::Scale | QuestionKind::YesNo => {
            table(std::slice::from_ref(&trues), t).cells.remove(0)
        }
        // Several each: no total of the picks is published, so each count
        // stands alone.
        QuestionKind::MultipleChoice => trues.iter().map(|n| count(*n, t)).collect(),
        _ => return None,
    };
    let rows = values
        .into_iter()
        .zip(trues.iter().zip(published))
        .map(|((_, label), (n, p))| AnswerRow {
            label,
            count: p,
            percent: p.number().and_then(|_| share(*n, answered, t)),
        })
        .collect();
    Some(QuestionInsight {
        number: 0,
        prompt: q.prompt.clone(),
        outcome: q.outcome,
        answered: count(answered, t),
        rows,
    })
}

/// One survey's disclosed results, for commissioners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyInsightData {
    pub title: String,
    pub organisation: String,
    pub responses: Published,
    /// False until it has the minimum number of responses: nothing else shown.
    pub reached: bool,
    pub survey_minimum: i64,
    pub questions: Vec<QuestionInsight>,
}

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

/// What the overview is narrowed to and compared by, as in its address
/// (`?area=E08000035&age=13-15&group=young_carer&by=area`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsightFilter {
    pub area: Option<String>,
    pub age: Option<String>,
    pub group: Option<String>,
    /// An organisation's id.
    pub organisation: Option<String>,
    /// Months, "2026-05", both ends included.
    pub from: Option<String>,
    pub to: Option<String>,
    /// "area", "age" or "group".
    pub by: Option<String>,
}

impl InsightFilter {
    /// The filter as a query string (without `by`), for links and downloads.
    pub fn query(&self) -> String {
        query_of(&[
            ("area", &self.area),
            ("age", &self.age),
            ("group", &self.group),
            ("organisation", &self.organisation),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

/// `key=value` pairs of the values given, joined with `&`.
pub fn query_of(pairs: &[(&str, &Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={v}"))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// One row of a comparison: who, how many (disclosed), and each outcome's
/// share (in [`Outcome::ALL`] order) where disclosable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub label: String,
    pub responses: Published,
    pub shares: Vec<Option<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// "Area", "Age band" or "Group".
    pub by: String,
    pub rows: Vec<ComparisonRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    /// The viewer's areas by name ("all of England" for a national view).
    pub areas: String,
    /// (code, name) of the areas they may narrow to.
    pub area_choices: Vec<(String, String)>,
    /// (id, name) of the organisations whose surveys count.
    pub organisation_choices: Vec<(i64, String)>,
    pub filter: InsightFilter,
    /// Why nothing below the figures is shown: the filter is too narrow.
    pub refused: Option<String>,
    /// The figures compared by area, age band or group, when asked.
    pub compare: Option<Comparison>,
    pub consultations: Published,
    pub responses: Published,
    pub organisations: Published,
    /// `(month, consultations, responses)`, newest first.
    pub months: Vec<(String, Published, Published)>,
    pub outcomes: Vec<OutcomeFigure>,
    /// A survey counts from this many responses.
    pub survey_minimum: i64,
    /// The newest surveys that count: `(id, title, organisation)`.
    pub surveys: Vec<(i64, String, String)>,
}

#[server]
pub async fn overview(filter: InsightFilter) -> Result<OverviewData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    store::overview(&state.db, &user, &filter, &state.settings.disclosure).await
}

#[server]
pub async fn survey_insight(id: i64) -> Result<SurveyInsightData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_see_insights() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    store::survey_insight(&state.db, &user, id, &state.settings.disclosure).await
}

/// The insights' own pages, one tap apart.
#[component]
pub fn InsightsNav(here: &'static str) -> impl IntoView {
    let pages = [
        ("overview", "/staff/insights", "Overview"),
        ("reach", "/staff/insights/reach", "Who has not been heard"),
        ("said", "/staff/insights/said", "What young people said"),
        ("services", "/staff/insights/services", "Services and ideas"),
        (
            "standards",
            "/staff/insights/standards",
            "Participation standards",
        ),
    ];
    view! {
        <nav class="subnav" aria-label="Insights">
            <ul>
                {pages.into_iter().map(|(key, href, label)| view! {
                    <li><a href=href aria-current=(key == here).then_some("page")>{label}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

fn share_text(share: Option<u32>) -> String {
    share
        .map(|s| format!("{s}%"))
        .unwrap_or_else(|| "not enough answers".into())
}

/// The outcome figures as bars (an SVG with its table): each outcome's share
/// of positive answers, with how many answers it is of.
fn outcome_bars(figures: &[OutcomeFigure]) -> Vec<crate::surveys::results::rules::Bar> {
    figures
        .iter()
        .map(|f| {
            crate::surveys::results::rules::Bar::disclosed(
                f.outcome.label().to_string(),
                f.mine_base,
                f.mine,
            )
        })
        .collect()
}

#[component]
fn FilterForm(o: OverviewData) -> impl IntoView {
    let f = o.filter.clone();
    let ages = crate::about_you::AgeBand::ALL.map(|a| (a.key().to_string(), a.label().to_string()));
    let groups = crate::about_you::Group::ALL.map(|g| (g.key().to_string(), g.label().to_string()));
    let organisations = o
        .organisation_choices
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()));
    let by = [("area", "Area"), ("age", "Age band"), ("group", "Group")]
        .map(|(k, l)| (k.to_string(), l.to_string()));
    view! {
        <form method="get" action="/staff/insights" class="filters stack">
            <FilterSelect id="f-area" name="area" label="Area" any="All your areas" choices=o.area_choices.clone() chosen=f.area.clone()/>
            <FilterSelect id="f-age" name="age" label="Age band" any="All ages" choices=ages.to_vec() chosen=f.age.clone()/>
            <FilterSelect id="f-group" name="group" label="Group" any="Everyone" choices=groups.to_vec() chosen=f.group.clone()/>
            <FilterSelect id="f-org" name="organisation" label="Organisation" any="Every organisation" choices=organisations.collect() chosen=f.organisation.clone()/>
            <div class="filter-row">
                <label for="f-from">"From month"</label>
                <input id="f-from" name="from" type="month" placeholder="2026-05" value=f.from.clone().unwrap_or_default()/>
            </div>
            <div class="filter-row">
                <label for="f-to">"To month"</label>
                <input id="f-to" name="to" type="month" placeholder="2026-11" value=f.to.clone().unwrap_or_default()/>
            </div>
            <FilterSelect id="f-by" name="by" label="Compare by" any="Nothing" choices=by.to_vec() chosen=f.by.clone()/>
            <button type="submit" class="button">"Show"</button>
        </form>
    }
}

/// One filter of an insights page: a labelled choice whose first option,
/// `any`, sends nothing (no filter), the rest `(value, label)`, with the
/// value the page was drawn with chosen. Every insights filter form draws
/// its choices with it, so they look and read alike.
#[component]
pub(crate) fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<(String, String)>,
    chosen: Option<String>,
) -> impl IntoView {
    view! {
        <div class="filter-row">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {choices.into_iter().map(|(value, text)| {
                    let selected = chosen.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ComparisonTable(c: Comparison) -> impl IntoView {
    let caption = format!("Positive answers by outcome and {}", c.by.to_lowercase());
    view! {
        <h2>{format!("By {}", c.by.to_lowercase())}</h2>
        <div class="table-wrap" role="region" aria-label=caption.clone() tabindex="0">
            <table class="data">
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <th scope="col">{c.by.clone()}</th>
                    <th scope="col">"Young people"</th>
                    {Outcome::ALL.into_iter().map(|o| view! { <th scope="col">{o.label()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {c.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label}</th>
                            <td>{r.responses.page_text()}</td>
                            {r.shares.into_iter().map(|s| view! { <td>{share_text(s)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn InsightsPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map()
        .read_untracked()
        .clone();
    let filter = InsightFilter {
        area: query.get("area"),
        age: query.get("age"),
        group: query.get("group"),
        organisation: query.get("organisation"),
        from: query.get("from"),
        to: query.get("to"),
        by: query.get("by"),
    };
    view! {
        <Title text="Insights"/>
        <StaffLayout>
            <InsightsNav here="overview"/>
            <h1>"Insights"</h1>
            {load_page(move || overview(filter.clone()), |o: OverviewData| view! {
                <p class="lead">{format!("What young people said in {}.", o.areas)}</p>
                <p class="notice">{crate::disclosure::ROUNDING_NOTE}" "
                    {format!("A survey counts once it has {} responses.", o.survey_minimum)}</p>
                <FilterForm o=o.clone()/>
                <dl class="figures">
                    <div><dt>"Consultations"</dt><dd>{o.consultations.page_text()}</dd></div>
                    <div><dt>"Responses"</dt><dd>{o.responses.page_text()}</dd></div>
                    <div><dt>"Organisations taking part"</dt><dd>{o.organisations.page_text()}</dd></div>
                </dl>
                {match o.refused.clone() {
                    Some(why) => view! { <p class="error-summary" role="alert">{why}</p> }.into_any(),
                    None => view! { <Figures o=o.clone()/> }.into_any(),
                }}
            })}
        </StaffLayout>
    }
}

#[component]
fn Figures(o: OverviewData) -> impl IntoView {
    let query = o.filter.query();
    let download = move |ext: &str| {
        if query.is_empty() {
            format!("/staff/insights/export.{ext}")
        } else {
            format!("/staff/insights/export.{ext}?{query}")
        }
    };
    view! {
        <h2>"The five outcomes"</h2>
        <p>"The share of answers that were positive (4 or 5 on a scale, happy faces, \u{201c}yes\u{201d}) to questions tagged with each outcome."</p>
        <BarChart id="outcomes".to_string() caption="Positive answers by outcome, your areas".to_string()
            bars=outcome_bars(&o.outcomes) value_heading="Answers"/>
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
        {o.compare.clone().map(|c| view! { <ComparisonTable c=c/> })}
        <h2>"Download"</h2>
        <p>"These figures by area and age band, disclosed the same way:"</p>
        <ul class="links">
            <li><a href=download("csv") download>"CSV (opens in Excel)"</a></li>
            <li><a href=download("xlsx") download>"Excel workbook (.xlsx)"</a></li>
            <li><a href=download("json") download>"JSON (open data, schema heard-insights/1)"</a></li>
        </ul>
        <h2>"Surveys"</h2>
        {if o.surveys.is_empty() {
            view! { <p>"None has enough responses yet."</p> }.into_any()
        } else {
            view! {
                <ul class="links">
                    {o.surveys.iter().map(|(id, title, org)| view! {
                        <li><a href=format!("/staff/insights/surveys/{id}")>{title.clone()}</a>" "<span class="meta">{org.clone()}</span></li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"By month"</h2>
        {if o.months.is_empty() {
            view! { <p>"No survey in your areas has enough responses yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" aria-label="Consultations and responses by month" tabindex="0">
                <table class="data">
                    <caption>"Consultations and responses by month, newest first"</caption>
                    <thead><tr><th scope="col">"Month"</th><th scope="col">"Consultations"</th><th scope="col">"Responses"</th></tr></thead>
                    <tbody>
                        {o.months.iter().map(|(m, c, r)| view! {
                            <tr><th scope="row">{m.clone()}</th><td>{c.page_text()}</td><td>{r.page_text()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
pub fn SurveyInsightPage() -> impl IntoView {
    let id = leptos_router::hooks::use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    view! {
        <StaffLayout>
            {load_page(move || survey_insight(id), |s: SurveyInsightData| view! {
                <Title text=s.title.clone()/>
                <p><a href="/staff/insights">"Insights"</a></p>
                <h1>{s.title.clone()}</h1>
                <p class="meta">{s.organisation.clone()}" · "{format!("{} responses", s.responses.page_text())}</p>
                <p class="notice">{crate::disclosure::ROUNDING_NOTE}</p>
                {if !s.reached {
                    view! { <p>{format!("Results show once the survey has {} responses.", s.survey_minimum)}</p> }.into_any()
                } else {
                    view! {
                        {s.questions.iter().map(|q| view! {
                            <section class="result">
                                <h2>{q.prompt.clone()}</h2>
                                <p class="meta">{format!("Answered by {}", q.answered.page_text())}{q.outcome.map(|o| format!(" · {}", o.label()))}</p>
                                <BarChart id=format!("q{}", q.number) caption=q.prompt.clone()
                                    bars=q.rows.iter().map(AnswerRow::bar).collect() value_heading="Young people"/>
                            </section>
                        }).collect_view()}
                    }.into_any()
                }}
            })}
        </StaffLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::{Question, QuestionKind, QuestionSettings};

    fn question(kind: QuestionKind) -> Question {
        Question {
            id: 1,
            kind,
            prompt: "How safe do you feel?".into(),
            help: String::new(),
            required: true,
            outcome: Some(Outcome::Safe),
            settings: QuestionSettings::default(),
        }
    }

    #[test]
    fn a_scale_is_disclosed_as_a_protected_row() {
        let counts = [
            ("1".to_string(), 3),
            ("4".to_string(), 40),
            ("5".to_string(), 22),
        ];
        let q = question_insight(
            &question(QuestionKind::Scale),
            &counts,
            65,
            &crate::disclosure::DEFAULT,
        )
        .unwrap();
        let shown: Vec<String> = q.rows.iter().map(|r| r.count.page_text()).collect();
        // 3 is small; the smallest other non-zero (the zeros first) hides with it.
        assert_eq!(shown.iter().filter(|s| *s == "fewer than 10").count(), 1);
        assert!(
            shown.iter().filter(|s| *s == "hidden").count() >= 1,
            "{shown:?}"
        );
        assert_eq!(q.answered, Published::About(65));
        assert_eq!(
            q.rows[3].percent,
            Some(62),
            "40 of 65: 40 of the published 65"
        );
        assert!(q
            .rows
            .iter()
            .all(|r| r.count.is_hidden() == r.percent.is_none() || r.count == Published::Zero));
    }

    #[test]
    fn free_text_and_rankings_are_not_tables() {
        for kind in [
            QuestionKind::ShortText,
            QuestionKind::LongText,
            QuestionKind::Ranking,
        ] {
            assert!(
                question_insight(&question(kind), &[], 50, &crate::disclosure::DEFAULT).is_none()
            );
        }
    }
}
