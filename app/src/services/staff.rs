//! Staff pages for services: the organisation's services (add, edit, take
//! down), every rating and comment of one with trends by month and a CSV
//! export, and administrators' import of a list.

use super::rating::{tenths, MonthTrend, StatementTally, STATEMENTS};
use super::{Kind, ServiceCard, ServiceFields};
use crate::components::{
    load_page, FormMessage, FormState, SelectField, StaffLayout, TextAreaField, TextField,
};
use crate::error::AppError;
use crate::outcomes::Outcome;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

crate::form_actions! {
    /// What a post about a service asks for.
    pub enum ServiceAction {
        Add = "add",
        Save = "save",
        /// Take it off the directory (its ratings stay).
        Retire = "retire",
        Restore = "restore",
    }
}

/// The form's name, for feedback.
pub const FORM: &str = "service";
/// Ratings on one page of a service's staff page.
pub const RATINGS_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffServicesData {
    pub services: Vec<ServiceCard>,
    pub page: i64,
    pub more: bool,
    /// May add services (to their organisation, or any for administrators).
    pub may_add: bool,
    /// `(id, name)`: administrators choose whose service it is.
    pub organisations: Vec<(i64, String)>,
    pub areas: Vec<(String, String)>,
    pub may_import: bool,
    /// The organisation's own area, chosen first in a new service's form.
    pub home_area: Option<String>,
}

#[server]
pub async fn staff_services(page: Option<i64>) -> Result<StaffServicesData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let organisation = match (user.role, user.organisation_id) {
        (crate::accounts::Role::Admin, _) => None,
        (crate::accounts::Role::Commissioner, _) | (_, None) => return Err(AppError::Forbidden),
        (_, Some(org)) => Some(org),
    };
    let page = crate::paging::Page::new(page, 50);
    let (services, more) = super::store::staff_list(&state.db, organisation, page).await?;
    let all = crate::organisations::store::organisations(&state.db).await?;
    let home_area = organisation
        .and_then(|o| all.iter().find(|x| x.id == o))
        .and_then(|o| o.area_code.clone());
    let organisations = if user.may_import_services() {
        all.into_iter().map(|o| (o.id, o.name)).collect()
    } else {
        vec![]
    };
    let areas = crate::areas::store::active(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.code, a.name))
        .collect();
    Ok(StaffServicesData {
        services,
        page: page.index,
        more,
        may_add: user.may_import_services()
            || organisation.is_some_and(|o| user.may_manage_services_of(o)),
        organisations,
        areas,
        may_import: user.may_import_services(),
        home_area,
    })
}

#[component]
pub fn StaffServicesPage() -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    let state = FormState::for_form(FORM);
    view! {
        <Title text="Services"/>
        <StaffLayout>
            <h1>"Services"</h1>
            <p>"The services young people can find and rate. Each service's page shows its ratings and comments; comments wait in Moderation before anyone outside your organisation sees them."</p>
            {load_page(move || staff_services(page), move |d: StaffServicesData| {
                let state = state.clone();
                view! {
                    {d.may_import.then(|| view! { <p><a href="/staff/services/import">"Import services from a spreadsheet (CSV)"</a></p> })}
                    {if d.services.is_empty() {
                        view! { <p>"No services yet."</p> }.into_any()
                    } else {
                        view! {
                            <table class="data">
                                <thead><tr><th scope="col">"Service"</th><th scope="col">"Kind and area"</th><th scope="col">"Listed"</th></tr></thead>
                                <tbody>
                                    {d.services.iter().map(|s| view! {
                                        <tr>
                                            <td><a href=format!("/staff/services/{}", s.id)>{s.name.clone()}</a><br/><span class="meta">{s.organisation.clone()}</span></td>
                                            <td>{s.kind.label()}<br/><span class="meta">{s.area.clone()}</span></td>
                                            <td>{if s.active { "Yes" } else { "No" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                    <crate::components::Pager base="/staff/services" page=d.page more=d.more label="Pages of services" earlier="Earlier services" later="More services"/>
                    {d.may_add.then(|| {
                        let fields = ServiceFields { area_code: d.home_area.clone().unwrap_or_default(), ..Default::default() };
                        view! {
                            <h2 id="add">"Add a service"</h2>
                            <ServiceForm action="/staff/services".into() which=ServiceAction::Add state=state.clone() fields=fields areas=d.areas.clone() organisations=d.organisations.clone() button="Add service"/>
                        }
                    })}
                }
            })}
        </StaffLayout>
    }
}

/// The fields of a service, for adding or editing. On a failed post the
/// values typed come back from `state`.
#[component]
pub fn ServiceForm(
    action: String,
    which: ServiceAction,
    state: FormState,
    fields: ServiceFields,
    areas: Vec<(String, String)>,
    /// Offered only to administrators adding a service.
    organisations: Vec<(i64, String)>,
    button: &'static str,
) -> impl IntoView {
    let posted = state.feedback().is_some();
    let value = |name: &str, stored: &str| {
        if posted {
            state.value(name)
        } else {
            stored.to_string()
        }
    };
    let name = value("name", &fields.name);
    let kind = value("kind", fields.kind.map(Kind::key).unwrap_or(""));
    let area = value("area", &fields.area_code);
    let description = value("description", &fields.description);
    let contact = value("contact", &fields.contact);
    let website = value("website", fields.website.as_deref().unwrap_or(""));
    let organisation = state.value("organisation");
    let outcome_checked = |o: Outcome| {
        if posted {
            state.chosen("outcomes", o.key())
        } else {
            fields.outcomes.contains(&o)
        }
    };
    let outcomes = Outcome::ALL.map(|o| (o, outcome_checked(o)));
    view! {
        <FormMessage message=state.summary()/>
        <form method="post" action=action class="stack">
            <input type="hidden" name="action" value=which.key()/>
            <crate::forms::OnceKey/>
            {(!organisations.is_empty()).then(|| view! {
                <SelectField id="service-organisation" name="organisation" label="Organisation that runs it" error=state.error("organisation")>
                    {organisations.iter().map(|(id, n)| view! { <option value=id.to_string() selected=organisation == id.to_string()>{n.clone()}</option> }).collect_view()}
                </SelectField>
            })}
            <TextField id="service-name" name="name" label="Name" value=name error=state.error("name") autocomplete="off"/>
            <SelectField id="service-kind" name="kind" label="Kind of service" error=state.error("kind")>
                <option value="" selected=kind.is_empty()>"Choose a kind"</option>
                {Kind::ALL.iter().map(|k| view! { <option value=k.key() selected=k.key() == kind>{k.label()}</option> }).collect_view()}
            </SelectField>
            <SelectField id="service-area" name="area" label="Area it works in" error=state.error("area")>
                <option value="" selected=area.is_empty()>"Choose an area"</option>
                {areas.iter().map(|(code, n)| view! { <option value=code.clone() selected=*code == area>{n.clone()}</option> }).collect_view()}
            </SelectField>
            <fieldset class="checkboxes">
                <legend>"Outcomes it serves"</legend>
                {outcomes.into_iter().map(|(o, checked)| {
                    let id = format!("service-outcome-{}", o.key());
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name="outcomes" value=o.key() checked=checked/>
                            <label for=id>{o.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <TextAreaField id="service-description" name="description" label="Short description" hint="What it does, who for, when it is open. Up to 600 characters." value=description error=state.error("description")/>
            <TextAreaField id="service-contact" name="contact" label="Contact details" hint="Phone, email or address young people can use. Up to 300 characters." value=contact error=state.error("contact") rows=3/>
            <TextField id="service-website" name="website" label="Website (optional)" kind="url" value=website error=state.error("website") autocomplete="off"/>
            <button type="submit" class="button">{button}</button>
        </form>
    }
}

/// One rating as staff read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRating {
    pub id: i64,
    pub day: String,
    pub age_band: String,
    pub scores: [Option<i64>; 4],
    /// The comment as stored (redacted), or what stands in for it.
    pub comment: Option<String>,
    pub comment_state: String,
}

impl StaffRating {
    #[cfg(feature = "ssr")]
    pub fn of(r: super::store::RatingRow) -> StaffRating {
        let (comment, comment_state) = match (&r.comment, r.at_risk) {
            (Some(_), true) => (
                None,
                "A comment that is with the safeguarding lead".to_string(),
            ),
            (Some(c), false) => (
                Some(c.clone()),
                match r.state.as_deref() {
                    Some("approved") => "Approved",
                    Some("hidden") => "Hidden",
                    _ => "Waiting for moderation",
                }
                .to_string(),
            ),
            (None, _) => (None, String::new()),
        };
        StaffRating {
            id: r.id,
            day: crate::db::human_day(r.day),
            age_band: r
                .age_band
                .as_deref()
                .map(|k| match crate::about_you::AgeBand::parse(k) {
                    Some(b) => b.label(),
                    None => crate::copy::PREFER_NOT_TO_SAY.to_string(),
                })
                .unwrap_or_else(|| "Age not given".into()),
            scores: r.scores,
            comment,
            comment_state,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffServiceData {
    pub id: i64,
    pub slug: String,
    pub organisation: String,
    pub area: String,
    pub fields: ServiceFields,
    pub active: bool,
    pub may_edit: bool,
    pub survey_id: i64,
    pub areas: Vec<(String, String)>,
    pub ratings: i64,
    pub statements: Vec<StatementTally>,
    pub months: Vec<MonthTrend>,
    pub rows: Vec<StaffRating>,
    /// The id to page on from, when there are older ratings.
    pub older: Option<i64>,
}

#[server]
pub async fn staff_service(id: i64, after: Option<i64>) -> Result<StaffServiceData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let s = super::access::readable(&state.db, &user, id).await?;
    let (ratings, statements) = super::store::tallies(&state.db, s.survey_id).await?;
    let (by_day, per_day) = super::store::by_day(&state.db, s.survey_id).await?;
    let mut rows = super::store::ratings(
        &state.db,
        s.survey_id,
        after.unwrap_or(0),
        RATINGS_PER_PAGE + 1,
        true,
    )
    .await?;
    let older = (rows.len() as i64 > RATINGS_PER_PAGE).then(|| {
        rows.truncate(RATINGS_PER_PAGE as usize);
        rows.last().map(|r| r.id).unwrap_or(0)
    });
    let areas = crate::areas::store::active(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.code, a.name))
        .collect();
    Ok(StaffServiceData {
        id: s.id,
        slug: s.slug.clone(),
        organisation: s.organisation.clone(),
        area: s.area.clone(),
        fields: s.fields(),
        active: s.active != 0,
        may_edit: user.may_manage_services_of(s.organisation_id),
        survey_id: s.survey_id,
        areas,
        ratings,
        statements,
        months: super::rating::months(&by_day, &per_day),
        rows: rows.into_iter().map(StaffRating::of).collect(),
        older,
    })
}

fn score_text(s: Option<i64>) -> String {
    s.map(|n| {
        let words = usize::try_from(n - 1)
            .ok()
            .and_then(|i| crate::surveys::model::SCALE_FACES.get(i))
            .map(|f| f.1)
            .unwrap_or("");
        format!("{n} ({words})")
    })
    .unwrap_or_else(|| "–".into())
}

#[component]
pub fn StaffServicePage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    let after = use_query_map()
        .read_untracked()
        .get("after")
        .and_then(|p| p.parse::<i64>().ok());
    let state = FormState::for_form(FORM);
    view! {
        <StaffLayout>
            {load_page(move || staff_service(id, after), move |s: StaffServiceData| {
                let state = state.clone();
                let action = format!("/staff/services/{}", s.id);
                let toggle = if s.active { ServiceAction::Retire } else { ServiceAction::Restore };
                view! {
                    <Title text=s.fields.name.clone()/>
                    <p><a href="/staff/services">"All services"</a></p>
                    <h1>{s.fields.name.clone()}</h1>
                    <p class="meta">{s.organisation.clone()}" · "{s.area.clone()}" · "{if s.active { "Listed" } else { "Not listed" }}</p>
                    <p><a href=format!("/services/{}", s.slug)>"See its public page"</a>" · "
                        <a href=format!("/staff/surveys/{}/results", s.survey_id)>"Results by question"</a>" · "
                        <a href=format!("/staff/services/{}/ratings.csv", s.id) download="">"Download every rating (CSV)"</a></p>
                    <h2>"Ratings"</h2>
                    <p>{format!("{} ratings in all. Staff see every rating; the public page shows a summary from 5.", s.ratings)}</p>
                    <table class="data">
                        <caption>"Average of each statement (1 very bad to 5 very good)"</caption>
                        <thead><tr><th scope="col">"Statement"</th><th scope="col">"Average"</th><th scope="col">"Answered"</th></tr></thead>
                        <tbody>
                            {s.statements.iter().map(|t| view! {
                                <tr><th scope="row">{t.statement.clone()}</th><td>{t.average_tenths().map(tenths).unwrap_or_else(|| "–".into())}</td><td>{t.answered()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>"By month"</h2>
                    {if s.months.is_empty() {
                        view! { <p>"No ratings yet."</p> }.into_any()
                    } else {
                        view! {
                            // Scrolls sideways on a phone: focusable, so a keyboard can too.
                            <div class="table-wrap" role="region" aria-label="Ratings by month" tabindex="0">
                            <table class="data">
                                <caption>"Ratings and averages by month, newest first"</caption>
                                <thead><tr><th scope="col">"Month"</th><th scope="col">"Ratings"</th>
                                    {STATEMENTS.iter().map(|st| view! { <th scope="col">{*st}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {s.months.iter().map(|m| view! {
                                        <tr><th scope="row">{m.month.clone()}</th><td>{m.ratings}</td>
                                            {m.averages.iter().map(|a| view! { <td>{a.map(tenths).unwrap_or_else(|| "–".into())}</td> }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any()
                    }}
                    <h2 id="every-rating">"Every rating"</h2>
                    <ul class="ratings">
                        {s.rows.iter().map(|r| view! {
                            <li class="card">
                                <p class="meta">{r.day.clone()}" · "{r.age_band.clone()}</p>
                                <dl class="scores">
                                    {STATEMENTS.iter().zip(r.scores).map(|(st, sc)| view! { <dt>{*st}</dt><dd>{score_text(sc)}</dd> }).collect_view()}
                                </dl>
                                {r.comment.clone().map(|c| view! { <p class="comment">{c}</p> })}
                                {(!r.comment_state.is_empty()).then(|| view! { <p class="meta">{r.comment_state.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                    {s.older.map(|o| view! { <nav class="pager" aria-label="Pages of ratings"><a rel="next" href=format!("/staff/services/{}?after={o}#every-rating", s.id)>"Older ratings"</a></nav> })}
                    {s.may_edit.then(|| view! {
                        <h2>"Details"</h2>
                        <ServiceForm action=action.clone() which=ServiceAction::Save state=state.clone() fields=s.fields.clone() areas=s.areas.clone() organisations=vec![] button="Save details"/>
                        <form method="post" action=action.clone() class="stack">
                            <input type="hidden" name="action" value=toggle.key()/>
                            <button type="submit" class="button secondary">{if s.active { "Take it off the directory" } else { "List it again" }}</button>
                        </form>
                    })}
                }
            })}
        </StaffLayout>
    }
}

#[server]
pub async fn may_import() -> Result<(), AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if user.may_import_services() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let outcome = use_context::<crate::forms::ImportOutcome>();
    view! {
        <Title text="Import services"/>
        <StaffLayout>
            {load_page(may_import, move |()| {
                let outcome = outcome.clone();
                view! {
                    <p><a href="/staff/services">"All services"</a></p>
                    <h1>"Import services"</h1>
                    <crate::forms::ImportReport outcome=outcome done=|n| format!("{n} services added.")/>
                    <p>"A CSV file (save as CSV from Excel) with a first row naming its columns: "
                        <code>{super::IMPORT_COLUMNS.join(", ")}</code>". "
                        "Organisation is the organisation's name as heard has it; kind is one of heard's kinds ("
                        {Kind::ALL.iter().map(|k| k.label()).collect::<Vec<_>>().join("; ")}
                        "); area is the ONS code (E08000025); outcomes are separated by semicolons. Every row is checked: if any is wrong, nothing is added."</p>
                    <form method="post" action="/staff/services/import" enctype="multipart/form-data" class="stack">
                        <crate::forms::OnceKey/>
                        <div class="field">
                            <label for="import-file">"CSV file"</label>
                            <input id="import-file" type="file" name="file" accept=".csv,text/csv"/>
                        </div>
                        <button type="submit" class="button">"Import"</button>
                    </form>
                }
            })}
        </StaffLayout>
    }
}
