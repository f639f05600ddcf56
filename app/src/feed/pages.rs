//! The feed's pages: the hub's instances and log (administrators), the
//! national view over the merged feeds (commissioners and administrators
//! on a hub), and national questions to import (staff who build surveys).

use super::merge::{Breakdown, Figure, MergedTemplate, Share, Source};
use crate::components::{load_page, StaffLayout};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceRow {
    pub instance: String,
    pub name: String,
    pub feed_url: String,
    pub last_sequence: i64,
    pub issued: Option<String>,
    pub received: Option<String>,
    pub status: String,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubData {
    pub instances: Vec<InstanceRow>,
    /// (instance, when, kept, message), newest first.
    pub log: Vec<(String, String, bool, String)>,
}

#[server]
pub async fn load_hub() -> Result<HubData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    if !state.settings.hub || !user.may_run_the_hub() {
        return Err(AppError::NotFound);
    }
    use crate::db::human_time;
    let instances = super::store::instances(&state.db)
        .await?
        .into_iter()
        .map(|i| InstanceRow {
            instance: i.instance,
            name: i.name,
            feed_url: i.feed_url,
            last_sequence: i.last_sequence,
            issued: i.issued_at.map(human_time),
            received: i.received_at.map(human_time),
            status: i.status,
            ok: i.status_ok == 1,
        })
        .collect();
    let log = super::store::recent_log(&state.db, 50)
        .await?
        .into_iter()
        .map(|(n, at, ok, m)| (n, human_time(at), ok, m))
        .collect();
    Ok(HubData { instances, log })
}

#[component]
pub fn HubPage() -> impl IntoView {
    view! {
        <Title text="National hub"/>
        <StaffLayout>
            <h1>"National hub"</h1>
            <p>"The heard instances this hub collects from. Each publishes a signed feed of figures that have been through disclosure control; the hub checks every document before keeping it, and keeps the last good one whatever happens next."</p>
            <p><a href="/staff/national">"See the national view"</a></p>
            {load_page(load_hub, |d: HubData| view! { <Hub d=d/> })}
        </StaffLayout>
    }
}

#[component]
fn Hub(d: HubData) -> impl IntoView {
    view! {
        <h2>"Instances"</h2>
        {if d.instances.is_empty() {
            view! { <p>"No instances yet: register the first below."</p> }.into_any()
        } else {
            view! {
                <ul class="queue">
                    {d.instances.into_iter().map(|i| view! {
                        <li class="card">
                            <h3>{i.name.clone()}</h3>
                            <p class="meta">{format!("{} \u{00b7} {}", i.instance, i.feed_url)}</p>
                            <p>{match (&i.issued, &i.received) {
                                (Some(issued), Some(received)) => format!("Last good document: number {}, signed {issued}, received {received}.", i.last_sequence),
                                _ => "No good document yet.".into(),
                            }}</p>
                            <p class=if i.ok { "status" } else { "status refused" }>
                                <strong>{if i.ok { "Last check: " } else { "Problem: " }}</strong>
                                {i.status.clone()}
                            </p>
                            <form method="post" action="/staff/hub">
                                <input type="hidden" name="action" value="pull"/>
                                <input type="hidden" name="instance" value=i.instance.clone()/>
                                <button type="submit" class="secondary">{format!("Pull {} now", i.name)}</button>
                            </form>
                            <details>
                                <summary>{format!("Remove {}", i.name)}</summary>
                                <form method="post" action="/staff/hub" class="stack">
                                    <input type="hidden" name="action" value="remove"/>
                                    <input type="hidden" name="instance" value=i.instance.clone()/>
                                    <p>"The hub stops collecting this instance. Its last good document and its log go, so its figures leave the national view. Register it again to take it back."</p>
                                    <div class="choice">
                                        <input type="checkbox" id=format!("remove-{}", i.instance) name="confirm" value="yes" required/>
                                        <label for=format!("remove-{}", i.instance)>{format!("Remove {} and its figures", i.name)}</label>
                                    </div>
                                    <button type="submit" class="button warning">{format!("Remove {}", i.name)}</button>
                                </form>
                            </details>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Register an instance"</h2>
        <form method="post" action="/staff/hub" class="stack">
            <input type="hidden" name="action" value="register"/>
            <label for="hub-instance">"Identifier"</label>
            <p class="hint" id="hub-instance-hint">"As the instance's HEARD_INSTANCE_ID says: lower-case letters, digits and dashes."</p>
            <input id="hub-instance" name="instance" required aria-describedby="hub-instance-hint" autocomplete="off"/>
            <label for="hub-name">"Name"</label>
            <input id="hub-name" name="name" required autocomplete="off"/>
            <label for="hub-url">"Feed address"</label>
            <p class="hint" id="hub-url-hint">"Where its feed is, ending /feed."</p>
            <input id="hub-url" name="feed_url" type="url" required aria-describedby="hub-url-hint"/>
            <label for="hub-key">"Public key"</label>
            <p class="hint" id="hub-key-hint">"What `heard feed public-key` prints on the instance (44 characters)."</p>
            <input id="hub-key" name="public_key" required aria-describedby="hub-key-hint" autocomplete="off"/>
            <label for="hub-token">"Pull token"</label>
            <p class="hint" id="hub-token-hint">"The instance's HEARD_FEED_TOKEN: the hub shows it to read the feed."</p>
            <input id="hub-token" name="pull_token" type="password" required aria-describedby="hub-token-hint" autocomplete="off"/>
            <button type="submit">"Register"</button>
        </form>
        <h2>"Log"</h2>
        {if d.log.is_empty() {
            view! { <p>"Nothing yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label="What the hub did with each document">
                    <table>
                        <thead><tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Instance"</th>
                            <th scope="col">"Outcome"</th>
                        </tr></thead>
                        <tbody>
                            {d.log.into_iter().map(|(name, at, ok, message)| view! {
                                <tr>
                                    <td>{at}</td>
                                    <td>{name}</td>
                                    <td>{if ok { "" } else { "\u{26a0} " }}{message}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalData {
    pub sources: Vec<Source>,
    /// When each source's document was signed, as people read it.
    pub signed: Vec<String>,
    pub templates: Vec<(String, MergedTemplate)>,
    /// `area:`, `age:` or `group:` and a key → what people read.
    pub labels: Vec<(String, String)>,
}

#[server]
pub async fn load_national() -> Result<NationalData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    national_view(&state, &user).await
}

/// The national view for `user`: commissioners and administrators on a
/// hub; "not found" for everyone else and on an instance that is no hub.
#[cfg(feature = "ssr")]
pub async fn national_view(
    state: &crate::state::AppState,
    user: &crate::accounts::StaffUser,
) -> Result<NationalData, AppError> {
    if !state.settings.hub || !user.may_see_insights() {
        return Err(AppError::NotFound);
    }
    let db = &state.db;
    let kept = super::store::kept(db).await?;
    let docs: Vec<(usize, &super::document::FeedDocument)> =
        kept.iter().enumerate().map(|(n, (_, d))| (n, d)).collect();
    let merged = super::merge::merge(&docs, &state.settings.disclosure);
    let titles: std::collections::BTreeMap<String, String> = super::store::templates(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.title))
        .collect();
    let reach = crate::insights::store::reachable(db, user).await?;
    let mine = |area: &str| {
        reach
            .areas
            .as_ref()
            .is_none_or(|list| list.iter().any(|a| a == area))
    };
    let templates: Vec<(String, MergedTemplate)> = merged
        .into_iter()
        .map(|mut m| {
            // Commissioners of some areas see those areas; England as a
            // whole is for everyone here.
            m.responses.by_area.retain(|(a, _)| mine(a));
            for o in &mut m.outcomes {
                o.figures.by_area.retain(|(a, _)| mine(a));
            }
            (
                titles
                    .get(&m.template)
                    .cloned()
                    .unwrap_or_else(|| m.template.clone()),
                m,
            )
        })
        .collect();
    // Every key named as insights name it.
    let mut labels = Vec::new();
    for (_, m) in &templates {
        let outcomes = m.outcomes.iter().map(|o| &o.figures);
        let parts = std::iter::once((
            m.responses.by_area.iter().map(|x| &x.0).collect::<Vec<_>>(),
            m.responses
                .by_age_band
                .iter()
                .map(|x| &x.0)
                .collect::<Vec<_>>(),
            m.responses
                .by_group
                .iter()
                .map(|x| &x.0)
                .collect::<Vec<_>>(),
        ))
        .chain(outcomes.map(|f| {
            (
                f.by_area.iter().map(|x| &x.0).collect(),
                f.by_age_band.iter().map(|x| &x.0).collect(),
                f.by_group.iter().map(|x| &x.0).collect(),
            )
        }));
        use crate::tallies::store::By;
        for (areas, ages, groups) in parts {
            for (by, kind, keys) in [
                (By::Area, "area", areas),
                (By::AgeBand, "age", ages),
                (By::Groups, "group", groups),
            ] {
                for k in keys {
                    labels.push((
                        format!("{kind}:{k}"),
                        crate::insights::store::label_of(by, k, &reach),
                    ));
                }
            }
        }
    }
    labels.sort();
    labels.dedup();
    Ok(NationalData {
        signed: kept
            .iter()
            .map(|(s, _)| crate::db::human_time(s.issued_at))
            .collect(),
        sources: kept.iter().map(|(s, _)| s.clone()).collect(),
        templates,
        labels,
    })
}

#[component]
pub fn NationalPage() -> impl IntoView {
    view! {
        <Title text="England: national questions"/>
        <StaffLayout>
            <h1>"England: national questions"</h1>
            <p>"What young people said to the national questions, across every heard instance that feeds this hub. Each figure says which instances it comes from; each instance's document says when it was signed."</p>
            <p class="hint">{crate::disclosure::ROUNDING_NOTE}" Where an instance hid a small number, a total shows as \u{201c}at least\u{201d} what is known."</p>
            <h2>"Download"</h2>
            <p>"Every figure on this page, with the instances behind it, disclosed the same way:"</p>
            <ul class="links">
                <li><a href="/staff/national.csv" download>"CSV (opens in Excel)"</a></li>
                <li><a href="/staff/national.xlsx" download>"Excel workbook (.xlsx)"</a></li>
                <li><a href="/staff/national.json" download>"JSON (open data, schema heard-national-view/1)"</a></li>
            </ul>
            {load_page(load_national, |d: NationalData| view! { <National d=d/> })}
        </StaffLayout>
    }
}

fn from_text(f: &[usize], sources: &[Source]) -> String {
    f.iter()
        .filter_map(|i| sources.get(*i))
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

fn label_of(kind: &str, key: &str, labels: &[(String, String)]) -> String {
    let wanted = format!("{kind}:{key}");
    labels
        .iter()
        .find(|(k, _)| *k == wanted)
        .map(|(_, l)| l.clone())
        .unwrap_or_else(|| key.to_string())
}

#[component]
fn National(d: NationalData) -> impl IntoView {
    let sources = d.sources.clone();
    view! {
        <h2>"Instances"</h2>
        {if d.sources.is_empty() {
            view! { <p>"No instance has sent a good document yet."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {d.sources.iter().zip(&d.signed).map(|(s, at)| view! {
                        <li>{format!("{}: document signed {at}", s.name)}</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {d.templates.into_iter().enumerate().map(|(n, (title, m))| {
            let sources = sources.clone();
            let areas = d.labels.clone();
            view! {
                <section aria-labelledby=format!("t-{n}")>
                    <h2 id=format!("t-{n}")>{title}</h2>
                    <p>{format!("{} survey{} using these questions. Young people who responded: {}.", m.surveys, if m.surveys == 1 { "" } else { "s" }, m.responses.whole.page_text())}</p>
                    <FigureTable
                        caption="Young people who responded".into()
                        b=m.responses.clone()
                        sources=sources.clone()
                        areas=areas.clone()
                    />
                    <h3>"Every Child Matters outcomes"</h3>
                    {m.outcomes.iter().map(|o| {
                        let label = crate::outcomes::Outcome::parse(&o.outcome).map(|x| x.label().to_string()).unwrap_or_else(|| o.outcome.clone());
                        view! {
                            <ShareTable
                                caption=format!("{label}: answers that were positive")
                                b=o.figures.clone()
                                sources=sources.clone()
                                areas=areas.clone()
                            />
                        }
                    }).collect_view()}
                    <h3>"Each national question"</h3>
                    {m.questions.iter().map(|q| view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Answers to {}", q.id)>
                            <table>
                                <caption>{format!("{} (answered: {})", q.id, q.answered.page_text())}</caption>
                                <thead><tr>
                                    <th scope="col">"Answer"</th>
                                    <th scope="col">"Young people"</th>
                                    <th scope="col">"Share"</th>
                                    <th scope="col">"From"</th>
                                </tr></thead>
                                <tbody>
                                    {q.answers.iter().map(|(v, f, p)| view! {
                                        <tr>
                                            <th scope="row">{v.clone()}</th>
                                            <td>{f.page_text()}</td>
                                            <td>{p.map(|p| format!("{p}%")).unwrap_or_else(|| "\u{2014}".into())}</td>
                                            <td>{from_text(&f.sources, &sources)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
    }
}

fn rows<T: Clone>(b: &Breakdown<T>, areas: &[(String, String)]) -> Vec<(String, T)> {
    b.lines()
        .map(|(by, key, v)| {
            let label = match by {
                "england" => "England".to_string(),
                "age_band" => label_of("age", key, areas),
                _ => label_of(by, key, areas),
            };
            (label, v.clone())
        })
        .collect()
}

#[component]
fn FigureTable(
    caption: String,
    b: Breakdown<Figure>,
    sources: Vec<Source>,
    areas: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption.clone()>
            <table>
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <th scope="col">"Who"</th>
                    <th scope="col">"Young people"</th>
                    <th scope="col">"From"</th>
                </tr></thead>
                <tbody>
                    {rows(&b, &areas).into_iter().map(|(label, f)| view! {
                        <tr>
                            <th scope="row">{label}</th>
                            <td>{f.page_text()}</td>
                            <td>{from_text(&f.sources, &sources)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ShareTable(
    caption: String,
    b: Breakdown<Share>,
    sources: Vec<Source>,
    areas: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption.clone()>
            <table>
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <th scope="col">"Who"</th>
                    <th scope="col">"Positive"</th>
                    <th scope="col">"Answers"</th>
                    <th scope="col">"Share"</th>
                    <th scope="col">"From"</th>
                </tr></thead>
                <tbody>
                    {rows(&b, &areas).into_iter().map(|(label, s)| view! {
                        <tr>
                            <th scope="row">{label}</th>
                            <td>{s.positive.page_text()}</td>
                            <td>{s.answered.page_text()}</td>
                            <td>{s.percent.map(|p| format!("{p}%")).unwrap_or_else(|| "\u{2014}".into())}</td>
                            <td>{from_text(&s.answered.sources, &sources)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionsData {
    /// The hub's templates, or why they could not be read.
    pub templates: Result<Vec<super::template::Template>, String>,
    /// Organisations the viewer may make a survey for: (id, name).
    pub organisations: Vec<(i64, String)>,
}

#[server]
pub async fn load_national_questions() -> Result<QuestionsData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    if !user.may_create_surveys() {
        return Err(AppError::Forbidden);
    }
    let state = crate::state::app_state()?;
    let organisations: Vec<(i64, String)> = match user.organisation_id {
        Some(own) => {
            sqlx::query_as("SELECT id, name FROM organisations WHERE id = $1")
                .bind(own)
                .fetch_all(state.db.pool())
                .await?
        }
        None => {
            sqlx::query_as("SELECT id, name FROM organisations ORDER BY name LIMIT 500")
                .fetch_all(state.db.pool())
                .await?
        }
    };
    Ok(QuestionsData {
        templates: super::handlers::hub_templates(&state).await,
        organisations,
    })
}

#[component]
pub fn NationalQuestionsPage() -> impl IntoView {
    view! {
        <Title text="National questions"/>
        <StaffLayout>
            <h1>"National questions"</h1>
            <p>"Questions asked all over England. Make a survey with them (you can add questions of your own), and what young people answer is counted with everyone else's for the Children's Commissioner, rounded and never one young person's answers."</p>
            {load_page(load_national_questions, |d: QuestionsData| view! { <Questions d=d/> })}
        </StaffLayout>
    }
}

#[component]
fn Questions(d: QuestionsData) -> impl IntoView {
    let organisations = d.organisations.clone();
    match d.templates {
        Err(why) => view! { <p role="alert">{why}</p> }.into_any(),
        Ok(list) if list.is_empty() => view! { <p>"The hub offers no national questions yet."</p> }.into_any(),
        Ok(list) => view! {
            <ul class="queue">
                {list.into_iter().map(|t| {
                    let organisations = organisations.clone();
                    view! {
                        <li class="card">
                            <h2>{format!("{} (version {})", t.title, t.version)}</h2>
                            <p>{t.intro.clone()}</p>
                            <ol>
                                {t.questions.iter().map(|q| view! {
                                    <li>{q.prompt.clone()}{q.outcome.map(|o| view! { <span class="tag">{o.label()}</span> })}</li>
                                }).collect_view()}
                            </ol>
                            <form method="post" action="/staff/national-questions">
                                <input type="hidden" name="template" value=t.id.clone()/>
                                <input type="hidden" name="version" value=t.version.to_string()/>
                                {(organisations.len() > 1).then(|| view! {
                                    <label for=format!("org-{}", t.id)>"For"</label>
                                    <select id=format!("org-{}", t.id) name="organisation_id">
                                        {organisations.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                                    </select>
                                })}
                                <button type="submit">"Make a survey with these questions"</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
}
