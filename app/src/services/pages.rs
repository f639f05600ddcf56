//! Young people's pages for services: the directory (browse by area and
//! kind, search by name) and a service's page (its rating summary, approved
//! comments, replies). No JavaScript needed: plain links and GET forms.

use super::rating::{face_for, tenths, PublicStatement, PublicSummary};
use super::{Kind, ServiceCard};
use crate::components::{load_page, IslandScripts, Layout};
use crate::copy;
use crate::error::AppError;
use crate::outcomes::Outcome;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// The cookie that remembers a young person's area on their phone only
/// (heard stores nothing about it).
pub const AREA_COOKIE: &str = "heard_area";

/// The longest search heard reads.
pub const QUERY_LIMIT: usize = 100;

/// Approved comments on one page of a service.
pub const COMMENTS_PER_PAGE: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DirectoryQuery {
    pub q: String,
    pub area: String,
    pub kind: String,
    pub page: i64,
}

impl DirectoryQuery {
    /// The address of this search on another page.
    pub fn href(&self, page: i64) -> String {
        let mut pairs = form_pairs(&[("q", &self.q), ("area", &self.area), ("kind", &self.kind)]);
        if page > 0 {
            pairs.push_str(&format!("&page={page}"));
        }
        if pairs.is_empty() {
            "/services".to_string()
        } else {
            format!("/services?{pairs}")
        }
    }
}

/// `a=1&b=2`, percent-encoded, without empty values.
fn form_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub query: DirectoryQuery,
    pub services: Vec<ServiceCard>,
    pub more: bool,
    /// `(code, name)` of areas with services.
    pub areas: Vec<(String, String)>,
}

/// The directory: `area` absent means the area remembered on the phone;
/// present (even empty) is what they chose, and is remembered.
#[server]
pub async fn service_directory(
    q: Option<String>,
    area: Option<String>,
    kind: Option<String>,
    page: Option<i64>,
) -> Result<Directory, AppError> {
    use super::search::query_words;
    let state = crate::state::app_state()?;
    let areas = super::store::areas_with_services(&state.db).await?;
    let remembered = remembered_area();
    let chosen = area.is_some();
    let area = area
        .or(remembered)
        .filter(|a| areas.iter().any(|(code, _)| code == a))
        .unwrap_or_default();
    if chosen {
        remember_area(&state, &area);
    }
    let kind = kind.as_deref().and_then(Kind::parse);
    let q: String = crate::text::clean_line(&q.unwrap_or_default())
        .chars()
        .take(QUERY_LIMIT)
        .collect();
    let page = crate::paging::Page::new(page, super::PER_PAGE);
    let filter = super::store::Filter {
        area: (!area.is_empty()).then(|| area.clone()),
        kind,
        words: query_words(&q),
    };
    let (services, more) =
        super::store::directory(&state.db, &state.services_index, &filter, page).await?;
    Ok(Directory {
        query: DirectoryQuery {
            q,
            area,
            kind: kind.map(|k| k.key().to_string()).unwrap_or_default(),
            page: page.index,
        },
        services,
        more,
        areas,
    })
}

/// The area remembered on this phone, if any (its cookie).
#[cfg(feature = "ssr")]
pub fn remembered_area() -> Option<String> {
    use_context::<http::request::Parts>()
        .and_then(|p| crate::accounts::sessions::cookie_value(&p.headers, AREA_COOKIE))
}

/// Remembers (or forgets, for "") the area on the phone: a cookie only.
#[cfg(feature = "ssr")]
pub fn remember_area(state: &crate::state::AppState, area: &str) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let secure = if state.settings.https { "; Secure" } else { "" };
    let cookie = if area.is_empty() {
        format!("{AREA_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax{secure}")
    } else {
        format!("{AREA_COOKIE}={area}; Path=/; Max-Age=34560000; SameSite=Lax{secure}")
    };
    if let Ok(v) = http::HeaderValue::from_str(&cookie) {
        response.append_header(http::header::SET_COOKIE, v);
    }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let query = use_query_map().read_untracked().clone();
    let get = move |k: &str| query.get(k);
    let (q, area, kind) = (get("q"), get("area"), get("kind"));
    let page = get("page").and_then(|p| p.parse::<i64>().ok());
    view! {
        <Title text=copy::SERVICES_TITLE/>
        <Layout>
            <h1>{copy::SERVICES_TITLE}</h1>
            <p class="lead">"Rate the services you use, so they hear what works for you and what doesn't. Anonymous: no name, no account."</p>
            {load_page(move || service_directory(q.clone(), area.clone(), kind.clone(), page), |d: Directory| {
                let query = d.query.clone();
                view! {
                    <form method="get" action="/services" class="stack search-form" role="search">
                        <div class="field">
                            <label for="service-q">"Name of the service"</label>
                            <input id="service-q" type="search" name="q" value=query.q.clone() maxlength=QUERY_LIMIT autocomplete="off" enterkeyhint="search"/>
                        </div>
                        <div class="field">
                            <label for="service-area">"Area"</label>
                            <select id="service-area" name="area">
                                <option value="" selected=query.area.is_empty()>"All areas"</option>
                                {d.areas.iter().map(|(code, name)| view! {
                                    <option value=code.clone() selected=*code == query.area>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="service-kind">"Kind of service"</label>
                            <select id="service-kind" name="kind">
                                <option value="" selected=query.kind.is_empty()>"Any kind"</option>
                                {Kind::ALL.iter().map(|k| view! {
                                    <option value=k.key() selected=k.key() == query.kind>{k.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button">"Find services"</button>
                    </form>
                    <ServiceList directory=d/>
                }
            })}
        </Layout>
    }
}

#[component]
fn ServiceList(directory: Directory) -> impl IntoView {
    let Directory {
        query,
        services,
        more,
        ..
    } = directory;
    if services.is_empty() {
        return view! { <p class="notice" role="status">{copy::NO_SERVICES}</p> }.into_any();
    }
    let page = query.page;
    let heading = if query.q.is_empty() {
        "Services".to_string()
    } else {
        format!("Services matching \u{201c}{}\u{201d}", query.q)
    };
    view! {
        <h2 id="results">{heading}</h2>
        <ul class="cards">
            {services.into_iter().map(|s| view! {
                <li class="card">
                    <h3><a href=format!("/services/{}", s.slug)>{s.name}</a></h3>
                    <p class="meta">{s.kind.label()}" · "{s.area}</p>
                </li>
            }).collect_view()}
        </ul>
        {(page > 0 || more).then(|| view! {
            <nav class="pager" aria-label="Pages of services">
                {(page > 0).then(|| view! { <a rel="prev" href=query.href(page - 1)>"Earlier services"</a> })}
                {more.then(|| view! { <a rel="next" href=query.href(page + 1)>"More services"</a> })}
            </nav>
        })}
    }
    .into_any()
}

/// A service's public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicePageData {
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub area: String,
    pub organisation: String,
    pub outcomes: Vec<Outcome>,
    pub description: String,
    pub contact: String,
    pub website: Option<String>,
    pub active: bool,
    /// Where the rating form is: `/s/{rating_slug}`.
    pub rating_slug: String,
    pub summary: PublicSummary,
    /// Approved comments, redacted: `(text, "November 2026")`.
    pub comments: Vec<(String, String)>,
    pub page: i64,
    pub more: bool,
    /// "You said, we did" replies about this service.
    pub replies: Vec<crate::replies::ReplyCard>,
}

#[server]
pub async fn public_service(slug: String, page: Option<i64>) -> Result<ServicePageData, AppError> {
    let state = crate::state::app_state()?;
    let s = super::store::by_slug(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let (ratings, tallies) = super::store::tallies(&state.db, s.survey_id).await?;
    let page = crate::paging::Page::new(page, COMMENTS_PER_PAGE);
    // Comments too wait for the disclosure rule: one of a handful could
    // point to who wrote it. (The store reads only approved, redacted words
    // never with the safeguarding lead.)
    let may_leave = crate::disclosure::text_may_leave(
        crate::disclosure::TextFacts {
            approved: true,
            with_safeguarding_lead: false,
            redacted: true,
            survey_responses: ratings,
        },
        &state.settings.disclosure,
    );
    let (comments, more) = if may_leave && ratings >= super::rating::MIN_RATINGS_SHOWN {
        super::store::approved_comments(&state.db, s.survey_id, page).await?
    } else {
        (vec![], false)
    };
    let fields = s.fields();
    let replies = crate::replies::store::linked(&state.db, "service", s.id).await?;
    Ok(ServicePageData {
        replies,
        slug: s.slug,
        name: s.name,
        kind: fields.kind.unwrap_or(Kind::Other),
        area: s.area,
        organisation: s.organisation,
        outcomes: fields.outcomes,
        description: s.description,
        contact: s.contact,
        website: s.website,
        active: s.active != 0,
        rating_slug: s.rating_slug,
        summary: super::rating::public_summary(ratings, tallies, &state.settings.disclosure),
        comments: comments
            .into_iter()
            .map(|(text, day)| {
                let (y, m) = super::rating::year_month(day);
                (text, super::rating::month_name(y, m))
            })
            .collect(),
        page: page.index,
        more,
    })
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let query = use_query_map().read_untracked().clone();
    let rated = query.get("rated").is_some();
    let page = query.get("page").and_then(|p| p.parse::<i64>().ok());
    // Something they wrote in their rating matched the risk list: help first.
    let help_first = use_context::<crate::surveys::answering::page::HelpFirst>().is_some();
    view! {
        <Layout>
            {load_page(move || public_service(slug.clone(), page), move |s: ServicePageData| {
                view! { <ServiceView service=s rated=rated help_first=help_first/> }
            })}
        </Layout>
    }
}

#[component]
fn ServiceView(service: ServicePageData, rated: bool, help_first: bool) -> impl IntoView {
    let s = service;
    let description = s
        .description
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_string()}</p> })
        .collect_view();
    let thanks = rated.then(|| {
        let forget = view! { <crate::surveys::answering::keeper::ForgetAnswers slug=s.rating_slug.clone()/><IslandScripts/> };
        if help_first {
            view! { <crate::surveys::answering::page::HelpFirstPanel sent=true/>{forget} }.into_any()
        } else {
            view! { <div class="panel success-panel" role="status"><p>{copy::RATED_THANKS}</p></div>{forget} }.into_any()
        }
    });
    let outcomes = (!s.outcomes.is_empty()).then(|| {
        let labels = s
            .outcomes
            .iter()
            .map(|o| o.label())
            .collect::<Vec<_>>()
            .join(", ");
        view! { <p class="meta">"Helps young people: "{labels}</p> }
    });
    let contact = (!s.contact.is_empty() || s.website.is_some()).then(|| view! {
        <h2>"Contact"</h2>
        {s.contact.lines().map(|l| view! { <p class="contact-line">{l.to_string()}</p> }).collect_view()}
        {s.website.clone().map(|w| view! { <p><a href=w.clone() rel="noopener noreferrer nofollow">{w.clone()}</a></p> })}
    });
    let rate = if s.active {
        view! { <p><a class="button" href=format!("/s/{}", s.rating_slug)>"Rate this service"</a></p> }.into_any()
    } else {
        view! { <p class="notice">"This service is no longer listed, so it takes no new ratings."</p> }.into_any()
    };
    let base = format!("/services/{}", s.slug);
    let (page, more) = (s.page, s.more);
    view! {
        <Title text=s.name.clone()/>
        {thanks}
        <h1>{s.name.clone()}</h1>
        <p class="meta">{s.kind.label()}" · "{s.area.clone()}" · run by "{s.organisation.clone()}</p>
        {outcomes}
        {description}
        {rate}
        <h2 id="ratings">"What young people say"</h2>
        <RatingSummary summary=s.summary.clone()/>
        {(!s.comments.is_empty() || page > 0).then(|| view! {
            <h3>"What would make it better"</h3>
            <ul class="comments">
                {s.comments.iter().map(|(text, month)| view! {
                    <li><p>{text.clone()}</p><p class="meta">{month.clone()}</p></li>
                }).collect_view()}
            </ul>
            {(page > 0 || more).then(|| view! {
                <nav class="pager" aria-label="Pages of comments">
                    {(page > 0).then(|| view! { <a rel="prev" href=format!("{base}?page={}", page - 1)>"Newer comments"</a> })}
                    {more.then(|| view! { <a rel="next" href=format!("{base}?page={}", page + 1)>"Older comments"</a> })}
                </nav>
            })}
        })}
        {(!s.replies.is_empty()).then(|| view! {
            <h2>"You said, we did"</h2>
            <crate::replies::pages::ReplyList replies=s.replies.clone()/>
        })}
        {contact}
        <p><a href="/services">"Find another service"</a></p>
    }
}

/// Faces and plain numbers per statement, each with a chart and its table.
#[component]
pub fn RatingSummary(summary: PublicSummary) -> impl IntoView {
    match summary {
        PublicSummary::NotEnough => view! { <p class="notice">{copy::NOT_ENOUGH_RATINGS}</p> }.into_any(),
        PublicSummary::Shown { ratings, statements } => view! {
            <p>{format!("From {} ratings.", ratings.page_text())}</p>
            <p class="hint">{crate::disclosure::ROUNDING_NOTE}</p>
            <ul class="statements">
                {statements.into_iter().enumerate().map(|(i, t)| view! { <StatementView index=i statement=t/> }).collect_view()}
            </ul>
        }
        .into_any(),
    }
}

#[component]
fn StatementView(index: usize, statement: PublicStatement) -> impl IntoView {
    let average = statement.average.map(|t| {
        let (face, words) = face_for(t);
        view! {
            <p class="average"><span class="face" aria-hidden="true">{face}</span>" "
                <strong>{words}</strong>" · "{format!("{} out of 5", tenths(t))}</p>
        }
    });
    view! {
        <li class="statement">
            <h3>{statement.statement.clone()}</h3>
            {average}
            <details>
                <summary>"How people rated it"</summary>
                <crate::components::BarChart id=format!("statement-{index}") caption=statement.statement.clone() bars=statement.bars value_heading="Ratings"/>
            </details>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_keep_their_filters_across_pages() {
        let q = DirectoryQuery {
            q: "youth clb & co".into(),
            area: "E08000025".into(),
            kind: String::new(),
            page: 0,
        };
        assert_eq!(
            q.href(2),
            "/services?q=youth+clb+%26+co&area=E08000025&page=2"
        );
        assert_eq!(DirectoryQuery::default().href(0), "/services");
    }
}
