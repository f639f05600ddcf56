//! Staff pages: the list of assessments (start one, import a framework) and
//! an assessment, at a glance and indicator by indicator.

use super::award::Estimate;
use super::framework::{Framework, Indicator, Standard};
use super::plan::ActionStatus;
use super::rules::{EvidenceKind, ACCOUNT_LIMIT, TITLE_LIMIT};
use super::{AssessmentRow, ClaimRow, EvidenceItem, FrameworkRow, Head};
use crate::accounts::StandardsAccess;
use crate::components::{escape_html, FormState};
use crate::components::{load_page, FormMessage, StaffLayout};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

crate::form_actions! {
    /// What a post to /staff/standards/{id} asks for.
    pub enum AssessmentAction {
        Claim = "claim",
        Note = "note",
        Link = "link",
        Survey = "survey",
        Ideas = "ideas",
        Remove = "remove",
        Panel = "panel",
        AddAction = "add_action",
        UpdateAction = "update_action",
        AddStory = "add_story",
        Publish = "publish",
        Unpublish = "unpublish",
    }
}

/// The start form's name, for its feedback.
pub const START_FORM: &str = "start-assessment";

/// Feedback on an indicator's forms is named by what and which indicator.
pub fn form_name(what: &str, indicator: &str) -> String {
    format!("{what}-{indicator}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardsHomeData {
    pub assessments: Vec<AssessmentRow>,
    pub page: i64,
    pub more: bool,
    /// Organisations this person may start an assessment for.
    pub organisations: Vec<(i64, String)>,
    /// The newest version of each framework, to start from.
    pub frameworks: Vec<FrameworkRow>,
    /// Every version, for administrators (who import them).
    pub versions: Option<Vec<FrameworkRow>>,
    /// Commissioners and administrators: the view across organisations.
    pub overview: bool,
}

#[server]
pub async fn load_standards(page: Option<i64>) -> Result<StandardsHomeData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let reach = user.standards_reach();
    if reach == crate::accounts::Reach::Nowhere {
        return Err(AppError::Forbidden);
    }
    let page = crate::paging::Page::new(page, 30);
    let (assessments, more) = super::store::list(&state.db, &reach, page).await?;
    let organisations = super::store::organisations_for(&state.db, &user).await?;
    let all = super::store::frameworks(&state.db).await?;
    let mut frameworks: Vec<FrameworkRow> = Vec::new();
    for f in &all {
        if !frameworks.iter().any(|x| x.key == f.key) {
            frameworks.push(f.clone());
        }
    }
    Ok(StandardsHomeData {
        assessments,
        page: page.index,
        more,
        organisations,
        frameworks,
        versions: user.may_import_frameworks().then_some(all),
        overview: user.may_see_insights(),
    })
}

#[component]
pub fn StandardsPage() -> impl IntoView {
    let page = use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|p| p.parse::<i64>().ok());
    let outcome = use_context::<crate::forms::ImportOutcome>();
    view! {
        <Title text="Participation standards"/>
        <StaffLayout>
            <h1>"Participation standards"</h1>
            <p>"Assess how well your organisation involves young people, indicator by indicator: the level you have reached, how you know, the evidence, and what your young people say. heard shows the award your evidence would earn today, and what is missing for the next."</p>
            {load_page(move || load_standards(page), move |d: StandardsHomeData| {
                let outcome = outcome.clone();
                view! {
                    {d.overview.then(|| view! {
                        <p><a href="/staff/insights/standards">"All organisations at a glance: awards, overdue actions and levels by standard"</a></p>
                    })}
                    {(!d.organisations.is_empty() && !d.frameworks.is_empty()).then(|| view! {
                        <StartForm organisations=d.organisations.clone() frameworks=d.frameworks.clone()/>
                    })}
                    <h2>"Assessments"</h2>
                    {if d.assessments.is_empty() {
                        view! { <p>"No assessments yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="queue">
                                {d.assessments.iter().map(|a| view! {
                                    <li class="card">
                                        <h3><a href=format!("/staff/standards/{}", a.id)>{a.title.clone()}</a></h3>
                                        <p class="meta">{format!("{} · {} · started {}", a.organisation, a.framework, a.started_on)}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(d.page > 0 || d.more).then(|| view! {
                        <nav class="pager" aria-label="Pages of assessments">
                            {(d.page > 0).then(|| view! { <a rel="prev" href=format!("/staff/standards?page={}", d.page - 1)>"Newer"</a> })}
                            {d.more.then(|| view! { <a rel="next" href=format!("/staff/standards?page={}", d.page + 1)>"Older"</a> })}
                        </nav>
                    })}
                    {d.versions.clone().map(|versions| view! {
                        <h2 id="frameworks">"Frameworks"</h2>
                        <crate::forms::ImportReport outcome=outcome.clone() done=|_| "Framework loaded.".to_string()/>
                        <ul>
                            {versions.iter().map(|f| view! { <li>{format!("{} (version {})", f.name, f.version)}</li> }).collect_view()}
                        </ul>
                        <form method="post" action="/staff/standards/frameworks" enctype="multipart/form-data" class="stack">
                            <crate::forms::OnceKey/>
                            <div class="field">
                                <label for="framework-file">"Load a framework file"</label>
                                <p class="hint" id="framework-file-hint">"A heard framework file (JSON, format heard-framework/1). Every problem in it is listed; nothing is loaded until there are none. A new version of a framework needs a higher version number."</p>
                                <input id="framework-file" type="file" name="file" accept=".json,application/json" aria-describedby="framework-file-hint"/>
                            </div>
                            <button type="submit" class="button secondary">"Load framework"</button>
                        </form>
                    })}
                }
            })}
        </StaffLayout>
    }
}

#[component]
fn StartForm(organisations: Vec<(i64, String)>, frameworks: Vec<FrameworkRow>) -> impl IntoView {
    let state = FormState::for_form(START_FORM);
    let title = state.value("title");
    let chosen_org = state.value("organisation");
    let chosen_fw = state.value("framework");
    let one_org = organisations.len() == 1;
    view! {
        <h2>"Start an assessment"</h2>
        <FormMessage message=state.summary()/>
        <form method="post" action="/staff/standards" class="stack">
            <crate::forms::OnceKey/>
            {if one_org {
                view! { <input type="hidden" name="organisation" value=organisations[0].0.to_string()/> }.into_any()
            } else {
                view! {
                    <crate::components::SelectField id="start-organisation" name="organisation" label="Organisation" error=state.error("organisation")>
                        {organisations.iter().map(|(id, n)| view! { <option value=id.to_string() selected=chosen_org == id.to_string()>{n.clone()}</option> }).collect_view()}
                    </crate::components::SelectField>
                }.into_any()
            }}
            <crate::components::SelectField id="start-framework" name="framework" label="Framework" hint="A new assessment starts from your last one against the same framework, so you can compare them." error=state.error("framework")>
                {frameworks.iter().map(|f| view! { <option value=f.id.to_string() selected=chosen_fw == f.id.to_string()>{f.name.clone()}</option> }).collect_view()}
            </crate::components::SelectField>
            <crate::components::TextField id="start-title" name="title" label="Title" hint=format!("For example \u{201c}Self-assessment, spring 2027\u{201d}. Up to {TITLE_LIMIT} characters.") value=title error=state.error("title") autocomplete="off"/>
            <button type="submit" class="button">"Start the assessment"</button>
        </form>
    }
}

/// An action in the plan, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    pub id: i64,
    pub indicator: Option<String>,
    pub what: String,
    pub who: String,
    /// "31 March 2027", and as a date field holds it ("2027-03-31").
    pub due: String,
    pub due_input: String,
    pub status: ActionStatus,
    pub reason: String,
    pub overdue: bool,
}

/// A story of change, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryView {
    pub id: i64,
    pub said: String,
    pub changed: String,
    pub changed_on: String,
    pub public: bool,
    pub indicator: Option<String>,
    pub survey: Option<(i64, String)>,
    /// What the action it came from was.
    pub action: Option<String>,
}

/// Everything on an assessment's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentData {
    pub head: Head,
    pub framework: Framework,
    pub access: StandardsAccess,
    pub claims: Vec<ClaimRow>,
    pub evidence: Vec<EvidenceItem>,
    pub estimate: Estimate,
    /// The organisation's surveys, to add as evidence (contributors only).
    pub surveys: Vec<(i64, String)>,
    /// A survey's responses as this reader may see them, by evidence id.
    pub responses: Vec<(i64, String)>,
    /// Young people's agreement as this reader may see it, by indicator.
    pub agreement: Vec<(String, String)>,
    /// The same for each standard's indicators together, by standard.
    pub standard_agreement: Vec<(String, String)>,
    /// The link young people answer at, once made.
    pub panel_link: Option<String>,
    pub actions: Vec<ActionView>,
    pub stories: Vec<StoryView>,
}

#[server]
pub async fn load_assessment(id: i64) -> Result<AssessmentData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let (head, access, framework) =
        super::handlers::reach_with_framework(&state.db, &user, id).await?;
    let claims = super::store::claims(&state.db, id).await?;
    let mut evidence = super::store::evidence(&state.db, id).await?;
    let estimate = super::award::estimate(&framework, &award_claims(&claims, &evidence));
    let t = &state.settings.disclosure;
    // What a consultation counts now: true counts for the organisation's
    // own staff, disclosed for anyone else.
    let shown = |n: i64| {
        if access.may_open_documents() {
            n.to_string()
        } else {
            crate::disclosure::count(n, t).page_text()
        }
    };
    let responses = evidence
        .iter()
        .filter_map(|e| match (e.responses, e.ideas) {
            (Some(n), _) => Some((e.id, format!("responses so far: {}", shown(n)))),
            (_, Some((sent, approved, happening))) => Some((
                e.id,
                format!(
                    "sent: {}, approved: {}, happening: {}",
                    shown(sent),
                    shown(approved),
                    shown(happening)
                ),
            )),
            _ => None,
        })
        .collect();
    if !access.may_open_documents() {
        // Commissioners see that a document is there, never the document.
        for e in &mut evidence {
            e.responses = None;
            e.ideas = None;
            if let Some(d) = &mut e.document {
                d.0 = 0;
            }
        }
    }
    let surveys = if access.may_contribute() {
        super::store::surveys_of(&state.db, head.organisation_id).await?
    } else {
        vec![]
    };
    // The organisation's own staff see their young people's true counts;
    // commissioners see them disclosed.
    let disclosed = (!access.may_open_documents()).then_some(t);
    let said = match head.panel_survey_id {
        Some(survey) => super::store::panel_agreement(&state.db, id, survey).await?,
        None => vec![],
    };
    let agreement = said
        .iter()
        .map(|(k, agree, answered)| {
            (
                k.clone(),
                super::rules::agreement_words(*agree, *answered, disclosed),
            )
        })
        .collect();
    let standard_agreement = framework
        .standards
        .iter()
        .filter_map(|s| {
            let mine: Vec<_> = said
                .iter()
                .filter(|(k, _, _)| s.indicators.iter().any(|i| i.key == *k))
                .collect();
            (!mine.is_empty()).then(|| {
                let agree = mine.iter().map(|m| m.1).sum();
                let answered = mine.iter().map(|m| m.2).sum();
                (
                    s.key.clone(),
                    super::rules::agreement_words(agree, answered, disclosed),
                )
            })
        })
        .collect();
    let panel_link = head.panel_slug.as_ref().map(|slug| {
        format!(
            "{}/s/{slug}",
            state.settings.public_url.trim_end_matches('/')
        )
    });
    let today = crate::db::now() / 86_400 * 86_400;
    let actions = super::store::actions(&state.db, id)
        .await?
        .into_iter()
        .filter_map(|(aid, indicator, what, who, due, status, reason)| {
            let status = ActionStatus::parse(&status)?;
            Some(ActionView {
                id: aid,
                indicator,
                what,
                who,
                due: crate::db::human_day(due),
                due_input: crate::db::iso_day(due),
                status,
                reason,
                overdue: super::plan::is_overdue(due, status, today),
            })
        })
        .collect();
    // Commissioners read the stories the organisation made public.
    let stories = super::store::stories(&state.db, head.organisation_id)
        .await?
        .into_iter()
        .filter(|st| access.may_open_documents() || st.4 == 1)
        .map(
            |(sid, said, changed, on, public, indicator, survey, title, action)| StoryView {
                action,
                id: sid,
                said,
                changed,
                changed_on: crate::db::human_day(on),
                public: public == 1,
                indicator,
                survey: survey.zip(title),
            },
        )
        .collect();
    Ok(AssessmentData {
        actions,
        stories,
        agreement,
        standard_agreement,
        panel_link,
        head,
        framework,
        access,
        claims,
        evidence,
        estimate,
        surveys,
        responses,
    })
}

/// The assessment in the page's address (`/staff/standards/{id}/…`); 0,
/// which is no assessment, for anything else.
fn assessment_id() -> i64 {
    use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0)
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let id = assessment_id();
    view! {
        <Title text="Assessment"/>
        <StaffLayout>
            <p><a href="/staff/standards">"All assessments"</a></p>
            {load_page(move || load_assessment(id), |d: AssessmentData| view! { <Assessment d=d/> })}
        </StaffLayout>
    }
}

#[component]
fn Assessment(d: AssessmentData) -> impl IntoView {
    let h = d.head.clone();
    let f = d.framework.clone();
    view! {
        <Title text=h.title.clone()/>
        <h1>{h.title.clone()}</h1>
        <p class="meta">
            {format!("{} · {} · started {}", h.organisation, f.name, h.started_on)}
            {h.based_on.map(|b| view! { " · " <a href=format!("/staff/standards/{b}")>"the assessment it started from"</a> })}
        </p>
        <p class="no-print">
            <a href=format!("/staff/standards/{}/report", h.id)>"Report to print"</a>
            {h.based_on.map(|_| view! { " · " <a href=format!("/staff/standards/{}/compare", h.id)>"Compare with the one it started from"</a> })}
        </p>
        <AwardPanel framework=f.clone() estimate=d.estimate.clone()/>
        <PanelSection d=d.clone()/>
        <AtAGlance d=d.clone()/>
        {f.standards.iter().map(|s| view! { <StandardSection standard=s.clone() d=d.clone()/> }).collect_view()}
        <ActionPlan d=d.clone()/>
        <Stories d=d.clone()/>
    }
}

/// The framework's indicators as `(key, text)`, for choosing one.
fn indicator_choices(f: &Framework) -> Vec<(String, String)> {
    f.indicators()
        .map(|(_, i)| (i.key.clone(), i.text.clone()))
        .collect()
}

fn indicator_text(f: &Framework, key: &str) -> Option<String> {
    f.indicators()
        .find(|(_, i)| i.key == key)
        .map(|(_, i)| i.text.clone())
}

/// An action's fields: all of them for those who manage the plan
/// (`full`), where it stands for those who work on it.
#[component]
fn ActionFields(
    prefix: String,
    state: FormState,
    what: String,
    who: String,
    due: String,
    status: ActionStatus,
    reason: String,
    full: bool,
) -> impl IntoView {
    let posted = state.feedback().is_some();
    let pick = |name: &str, stored: String| if posted { state.value(name) } else { stored };
    let chosen = if posted {
        state.value("status")
    } else {
        status.key().to_string()
    };
    let id = |what: &str| format!("{prefix}-{what}");
    let plan = full.then(|| view! {
        <crate::components::TextField id=id("what") name="what" label="What will be done" value=pick("what", what.clone()) error=state.error("what") autocomplete="off"/>
        <crate::components::TextField id=id("who") name="who" label="Who will do it" hint="A colleague or a role, like \u{201c}participation lead\u{201d}." value=pick("who", who.clone()) error=state.error("who") autocomplete="off"/>
        <crate::components::TextField id=id("due") name="due" label="Due" kind="date" value=pick("due", due.clone()) error=state.error("due")/>
    });
    view! {
        {plan}
        <crate::components::SelectField id=id("status") name="status" label="Where it stands" error=state.error("status")>
            {ActionStatus::ALL.iter().map(|st| view! { <option value=st.key() selected=chosen == st.key()>{st.label()}</option> }).collect_view()}
        </crate::components::SelectField>
        <crate::components::TextField id=id("reason") name="reason" label="If dropped, why" value=pick("reason", reason) error=state.error("reason") autocomplete="off"/>
    }
}

#[component]
fn ActionPlan(d: AssessmentData) -> impl IntoView {
    let action = format!("/staff/standards/{}", d.head.id);
    let overdue = d.actions.iter().filter(|a| a.overdue).count();
    let choices = indicator_choices(&d.framework);
    let new_state = FormState::for_form("action-new");
    let chosen_indicator = new_state.value("indicator");
    let add = d.access.may_manage().then(|| view! {
        <details open=new_state.feedback().is_some()>
            <summary>"Add an action"</summary>
            <FormMessage message=new_state.summary()/>
            <form method="post" action=action.clone() class="stack">
                <input type="hidden" name="action" value=AssessmentAction::AddAction.key()/>
                <crate::forms::OnceKey/>
                <crate::components::SelectField id="action-new-indicator" name="indicator" label="Indicator it is for">
                    <option value="">"The assessment as a whole"</option>
                    {choices.iter().map(|(k, t)| view! { <option value=k.clone() selected=chosen_indicator == *k>{t.clone()}</option> }).collect_view()}
                </crate::components::SelectField>
                <ActionFields prefix="action-new".into() state=new_state.clone() what=String::new() who=String::new() due=String::new() status=ActionStatus::NotStarted reason=String::new() full=true/>
                <button type="submit" class="button">"Add the action"</button>
            </form>
        </details>
    });
    view! {
        <section id="actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Action plan"</h2>
            {(overdue > 0).then(|| view! {
                <p class="overdue-note"><strong>{if overdue == 1 { "1 action is overdue.".to_string() } else { format!("{overdue} actions are overdue.") }}</strong></p>
            })}
            {if d.actions.is_empty() {
                view! { <p class="meta">"No actions yet: turn the gaps above into actions, each with someone to do it and a day it is due."</p> }.into_any()
            } else {
                view! {
                    <ul class="queue actions">
                        {d.actions.iter().map(|a| view! { <ActionCard a=a.clone() d=d.clone()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {add}
        </section>
    }
}

#[component]
fn ActionCard(a: ActionView, d: AssessmentData) -> impl IntoView {
    let name = format!("action-{}", a.id);
    let state = FormState::for_form(&name);
    let indicator = a
        .indicator
        .as_deref()
        .and_then(|k| indicator_text(&d.framework, k).map(|t| (k.to_string(), t)));
    let edit = d.access.may_contribute().then(|| view! {
        <details open=state.feedback().is_some()>
            <summary>"Update"<span class="visually-hidden">" "{a.what.clone()}</span></summary>
            <FormMessage message=state.summary()/>
            <form method="post" action=format!("/staff/standards/{}", d.head.id) class="stack">
                <input type="hidden" name="action" value=AssessmentAction::UpdateAction.key()/>
                <input type="hidden" name="id" value=a.id.to_string()/>
                <ActionFields prefix=name.clone() state=state.clone() what=a.what.clone() who=a.who.clone() due=a.due_input.clone() status=a.status reason=a.reason.clone() full=d.access.may_manage()/>
                <button type="submit" class="button secondary">"Save"</button>
            </form>
        </details>
    });
    view! {
        <li class=if a.overdue { "card overdue" } else { "card" } id=name.clone()>
            <p><strong>{a.what.clone()}</strong>{a.overdue.then(|| view! { " " <span class="tag warning">"Overdue"</span> })}</p>
            <p class="meta">{format!("{} · due {} · {}", a.who, a.due, a.status.label())}</p>
            {(a.status == ActionStatus::Dropped).then(|| view! { <p>"Why: "{a.reason.clone()}</p> })}
            {indicator.map(|(k, t)| view! { <p>"For: "<a href=format!("#ind-{k}")>{t}</a></p> })}
            {edit}
        </li>
    }
}

#[component]
fn Stories(d: AssessmentData) -> impl IntoView {
    let action = format!("/staff/standards/{}", d.head.id);
    let choices = indicator_choices(&d.framework);
    let state = FormState::for_form("story-new");
    let posted = state.feedback().is_some();
    let surveys = d.surveys.clone();
    let chosen_indicator = state.value("indicator");
    let chosen_survey = state.value("survey");
    let chosen_action = state.value("action_id");
    let add = d.access.may_contribute().then(|| view! {
        <details open=posted>
            <summary>"Add a story of change"</summary>
            <FormMessage message=state.summary()/>
            <form method="post" action=action.clone() class="stack">
                <input type="hidden" name="action" value=AssessmentAction::AddStory.key()/>
                <crate::forms::OnceKey/>
                <crate::components::TextAreaField id="story-new-said" name="said" label="What young people said" value=state.value("said") error=state.error("said") rows=3/>
                <crate::components::TextAreaField id="story-new-changed" name="changed" label="What changed" value=state.value("changed") error=state.error("changed") rows=3/>
                <crate::components::TextField id="story-new-changed-on" name="changed_on" label="When it changed" kind="date" value=state.value("changed_on") error=state.error("changed_on")/>
                <crate::components::SelectField id="story-new-indicator" name="indicator" label="Indicator it shows (optional)">
                    <option value="">"None"</option>
                    {choices.iter().map(|(k, t)| view! { <option value=k.clone() selected=chosen_indicator == *k>{t.clone()}</option> }).collect_view()}
                </crate::components::SelectField>
                {(!surveys.is_empty()).then(|| view! {
                    <crate::components::SelectField id="story-new-survey" name="survey" label="Consultation it came from (optional)">
                        <option value="">"None"</option>
                        {surveys.iter().map(|(sid, t)| view! { <option value=sid.to_string() selected=chosen_survey == sid.to_string()>{t.clone()}</option> }).collect_view()}
                    </crate::components::SelectField>
                })}
                {(!d.actions.is_empty()).then(|| view! {
                    <crate::components::SelectField id="story-new-action" name="action_id" label="Action it came from (optional)">
                        <option value="">"None"</option>
                        {d.actions.iter().map(|a| view! { <option value=a.id.to_string() selected=chosen_action == a.id.to_string()>{a.what.clone()}</option> }).collect_view()}
                    </crate::components::SelectField>
                })}
                {d.access.may_manage().then(|| view! {
                    <div class="choice">
                        <input type="checkbox" id="story-new-public" name="public" value="1" checked=state.chosen("public", "1")/>
                        <label for="story-new-public">"Publish it on the \u{201c}you said, we did\u{201d} page"</label>
                    </div>
                })}
                <button type="submit" class="button">"Add the story"</button>
            </form>
        </details>
    });
    let stories = d.stories.iter().map(|st| {
        let flip = d.access.may_manage().then(|| view! {
            <form method="post" action=action.clone() class="inline">
                <input type="hidden" name="action" value=if st.public { AssessmentAction::Unpublish.key() } else { AssessmentAction::Publish.key() }/>
                <input type="hidden" name="id" value=st.id.to_string()/>
                <button type="submit" class="link-button">{if st.public { "Take it off the public page" } else { "Publish it" }}</button>
            </form>
        });
        let shows = st
            .indicator
            .as_deref()
            .and_then(|k| indicator_text(&d.framework, k).map(|t| (k.to_string(), t)));
        view! {
            <li class="card" id=format!("story-{}", st.id)>
                <p><strong>"Young people said: "</strong>{st.said.clone()}</p>
                <p><strong>"What changed: "</strong>{st.changed.clone()}</p>
                <p class="meta">{format!("{} · {}", st.changed_on, if st.public { "public" } else { "not public" })}</p>
                {shows.map(|(k, t)| view! { <p>"Shows: "<a href=format!("#ind-{k}")>{t}</a></p> })}
                {st.survey.clone().map(|(_, t)| view! { <p>"From: "{t}</p> })}
                {st.action.clone().map(|a| view! { <p>"Action: "{a}</p> })}
                {flip}
            </li>
        }
    }).collect_view();
    view! {
        <section id="changes" aria-labelledby="changes-heading">
            <h2 id="changes-heading">"What's changed"</h2>
            <p>"Short stories of change that came from young people's involvement. The ones you publish show on your \u{201c}you said, we did\u{201d} page."</p>
            {if d.stories.is_empty() {
                view! { <p class="meta">"No stories yet."</p> }.into_any()
            } else {
                view! { <ul class="queue">{stories}</ul> }.into_any()
            }}
            {add}
        </section>
    }
}

#[component]
fn PanelSection(d: AssessmentData) -> impl IntoView {
    let body = match (&d.panel_link, d.access.may_manage()) {
        (Some(link), _) => view! {
            <p>"Share this link with your young people. They answer anonymously, in faces, on any phone; what they say shows beside each indicator."</p>
            <p class="share-link"><a href=link.clone()>{link.clone()}</a></p>
            {d.access.may_open_documents().then(|| d.head.panel_survey_id.map(|s| view! {
                <p><a href=format!("/staff/surveys/{s}/results")>"Their answers in full"</a></p>
            }))}
        }.into_any(),
        (None, true) => view! {
            <p>"Ask your young people whether they agree with what you claim: heard makes a short survey in faces from the indicators you have given a level (up to 12), in words for young people. They answer anonymously, with or without JavaScript."</p>
            <form method="post" action=format!("/staff/standards/{}", d.head.id) class="inline">
                <input type="hidden" name="action" value=AssessmentAction::Panel.key()/>
                <input type="hidden" name="indicator" value=""/>
                <crate::forms::OnceKey/>
                <button type="submit" class="button secondary">"Make the link for young people"</button>
            </form>
        }.into_any(),
        (None, false) => view! { <p>"Young people have not been asked yet."</p> }.into_any(),
    };
    let problem = FormState::for_form("panel").summary();
    view! {
        <section class="panel" id="panel" aria-labelledby="panel-heading">
            <h2 id="panel-heading">"What young people say"</h2>
            <FormMessage message=problem/>
            {body}
        </section>
    }
}

#[component]
fn AwardPanel(framework: Framework, estimate: Estimate) -> impl IntoView {
    let text_of = |key: &str| {
        framework
            .indicators()
            .find(|(_, i)| i.key == key)
            .map(|(_, i)| i.text.clone())
            .unwrap_or_default()
    };
    let earned = match &estimate.earned {
        Some(a) => view! { <p class="award">"The evidence today would earn: "<strong>{a.clone()}</strong></p> }.into_any(),
        None => view! { <p class="award">"The evidence today does not earn an award yet."</p> }.into_any(),
    };
    let next = estimate.next.clone().map(|n| {
        let more = n.more();
        let level = n.level.clone();
        view! {
            <p>{format!(
                "For {}: {} more of the {} key indicators at {} or above, each with evidence ({} of {} needed count now).",
                n.label, more, estimate.key_indicators, n.level.to_lowercase(), n.counted, n.needs
            )}</p>
            <details>
                <summary>{format!("What is missing for {} ({})", n.label, n.missing.len())}</summary>
                <ul>
                    {n.missing.iter().map(|(key, why)| view! {
                        <li><a href=format!("#ind-{key}")>{text_of(key)}</a>": "{why.words(&level)}</li>
                    }).collect_view()}
                </ul>
            </details>
        }
    });
    view! {
        <section class="panel" aria-labelledby="award-heading">
            <h2 id="award-heading">"Award estimate"</h2>
            {earned}
            {next}
            <p class="hint">"Only key indicators count: each at the award's level or above, with at least one piece of evidence."</p>
        </section>
    }
}

/// One row of the at-a-glance table: a standard's indicators assessed,
/// their levels, and the evidence behind them.
fn glance_row(s: &Standard, f: &Framework, d: &AssessmentData) -> (usize, String, usize) {
    let keys: Vec<&str> = s.indicators.iter().map(|i| i.key.as_str()).collect();
    let mut per_level = vec![0usize; f.levels.len()];
    let mut assessed = 0;
    for c in d
        .claims
        .iter()
        .filter(|c| keys.contains(&c.indicator.as_str()))
    {
        if let Some(rank) = c.level.as_deref().and_then(|l| f.rank(l)) {
            per_level[rank] += 1;
            assessed += 1;
        }
    }
    let levels = f
        .levels
        .iter()
        .zip(&per_level)
        .rev()
        .filter(|(_, n)| **n > 0)
        .map(|(l, n)| format!("{n} {}", l.label.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let evidence = d
        .evidence
        .iter()
        .filter(|e| keys.contains(&e.indicator.as_str()))
        .count();
    (assessed, levels, evidence)
}

#[component]
fn AtAGlance(d: AssessmentData) -> impl IntoView {
    let f = d.framework.clone();
    view! {
        <h2>"At a glance"</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Standards at a glance">
            <table>
                <thead>
                    <tr><th scope="col">"Standard"</th><th scope="col">"Assessed"</th><th scope="col">"Levels"</th><th scope="col">"Evidence"</th><th scope="col">"Young people"</th></tr>
                </thead>
                <tbody>
                    {f.standards.iter().map(|s| {
                        let (assessed, levels, evidence) = glance_row(s, &f, &d);
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("#std-{}", s.key)>{s.title.clone()}</a></th>
                                <td>{format!("{assessed} of {}", s.indicators.len())}</td>
                                <td>{if levels.is_empty() { "\u{2014}".to_string() } else { levels }}</td>
                                <td>{evidence}</td>
                                <td>{d.standard_agreement.iter().find(|(k, _)| *k == s.key).map(|(_, w)| w.clone()).unwrap_or_else(|| "Not asked".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn StandardSection(standard: Standard, d: AssessmentData) -> impl IntoView {
    view! {
        <section class="standard" id=format!("std-{}", standard.key) aria-labelledby=format!("std-{}-h", standard.key)>
            <h2 id=format!("std-{}-h", standard.key)>{standard.title.clone()}</h2>
            <p>{standard.summary.clone()}</p>
            {standard.indicators.iter().map(|i| view! { <IndicatorBlock indicator=i.clone() d=d.clone()/> }).collect_view()}
        </section>
    }
}

#[component]
fn IndicatorBlock(indicator: Indicator, d: AssessmentData) -> impl IntoView {
    let key = indicator.key.clone();
    let f = &d.framework;
    let claim = d.claims.iter().find(|c| c.indicator == key).cloned();
    let level = claim
        .as_ref()
        .and_then(|c| c.level.as_deref())
        .and_then(|l| f.level_label(l))
        .map(str::to_string);
    let status = match (&level, &claim) {
        (Some(l), Some(c)) => format!("Claimed: {l} (updated {})", c.updated_on),
        _ => "Not assessed yet".to_string(),
    };
    let account = claim
        .as_ref()
        .map(|c| c.account.clone())
        .filter(|a| !a.is_empty());
    let items: Vec<EvidenceItem> = d
        .evidence
        .iter()
        .filter(|e| e.indicator == key)
        .cloned()
        .collect();
    let count = items.len();
    let claim_form = d.access.may_manage().then(|| {
        view! { <ClaimForm d=d.clone() indicator=key.clone() claim=claim.clone()/> }
    });
    let add = d.access.may_contribute().then(|| {
        view! { <AddEvidence d=d.clone() indicator=key.clone()/> }
    });
    view! {
        <article class="indicator" id=format!("ind-{key}") aria-labelledby=format!("ind-{key}-h")>
            <h3 id=format!("ind-{key}-h")>
                {indicator.text.clone()}
                {indicator.key_indicator.then(|| view! { " " <span class="tag">"Key indicator"</span> })}
            </h3>
            <p class="meta">{status}</p>
            {account.map(|a| view! { <p class="account">{a}</p> })}
            {d.agreement.iter().find(|(k, _)| *k == key).map(|(_, words)| view! {
                <p class="agreement">"Young people: "{words.clone()}</p>
            })}
            {claim_form}
            <h4>{format!("Evidence ({count})")}</h4>
            {if items.is_empty() {
                view! { <p class="meta">"No evidence yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="evidence">
                        {items.into_iter().map(|e| view! { <EvidenceLine e=e d=d.clone()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {add}
        </article>
    }
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[component]
fn EvidenceLine(e: EvidenceItem, d: AssessmentData) -> impl IntoView {
    let what = match (&e.document, &e.survey, &e.url) {
        (Some((doc, name, bytes)), _, _) => {
            let label = format!("{name}, {}", size(*bytes));
            if *doc > 0 {
                view! { " " <a href=format!("/staff/documents/{doc}") download="">{label}</a> }
                    .into_any()
            } else {
                view! { " " <span>{label}</span> }.into_any()
            }
        }
        (_, Some((survey, title)), _) => {
            let responses = d
                .responses
                .iter()
                .find(|(id, _)| *id == e.id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            let link = d
                .access
                .may_open_documents()
                .then(|| format!("/staff/surveys/{survey}/results"));
            view! {
                " "
                {match link {
                    Some(l) => view! { <a href=l>{title.clone()}</a> }.into_any(),
                    None => view! { <span>{title.clone()}</span> }.into_any(),
                }}
                {format!(" \u{2014} {responses}")}
            }
            .into_any()
        }
        _ if e.kind == EvidenceKind::Ideas => {
            let counts = d
                .responses
                .iter()
                .find(|(id, _)| *id == e.id)
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            view! { {format!(" \u{2014} {counts}")} }.into_any()
        }
        (_, _, Some(url)) => {
            view! { " " <a href=url.clone() rel="noopener noreferrer nofollow">{url.clone()}</a> }
                .into_any()
        }
        _ => ().into_any(),
    };
    let remove = d.access.may_contribute().then(|| view! {
        <form method="post" action=format!("/staff/standards/{}", d.head.id) class="inline">
            <input type="hidden" name="action" value=AssessmentAction::Remove.key()/>
            <input type="hidden" name="evidence" value=e.id.to_string()/>
            <input type="hidden" name="indicator" value=e.indicator.clone()/>
            <button type="submit" class="link-button">"Remove"<span class="visually-hidden">" "{e.title.clone()}</span></button>
        </form>
    });
    view! {
        <li>
            <strong>{format!("{}: ", e.kind.label())}</strong>
            {e.title.clone()}
            {what}
            {(!e.note.is_empty()).then(|| view! { <p class="note">{e.note.clone()}</p> })}
            <span class="meta">{format!(" (added {})", e.added_on)}</span>
            " "
            {remove}
        </li>
    }
}

#[component]
fn ClaimForm(d: AssessmentData, indicator: String, claim: Option<ClaimRow>) -> impl IntoView {
    let name = form_name("claim", &indicator);
    let state = FormState::for_form(&name);
    let posted = state.feedback().is_some();
    let chosen = if posted {
        state.value("level")
    } else {
        claim
            .as_ref()
            .and_then(|c| c.level.clone())
            .unwrap_or_default()
    };
    let stored_at = claim.as_ref().map(|c| c.updated_at);
    let account = if posted {
        state.value("account")
    } else {
        claim.map(|c| c.account).unwrap_or_default()
    };
    // The claim as it was when the form was drawn (after a refusal, as it
    // is now): a save over someone else's later one is refused, not lost.
    let seen = stored_at.map(|t| t.to_string()).unwrap_or_default();
    let id = |what: &str| format!("{what}-{indicator}");
    let mut levels: Vec<(String, String)> = vec![(String::new(), "Not assessed yet".into())];
    levels.extend(
        d.framework
            .levels
            .iter()
            .map(|l| (l.key.clone(), l.label.clone())),
    );
    view! {
        <details open=posted>
            <summary>"Claim a level"</summary>
            <FormMessage message=state.summary()/>
            <form method="post" action=format!("/staff/standards/{}", d.head.id) class="stack">
                <input type="hidden" name="action" value=AssessmentAction::Claim.key()/>
                <input type="hidden" name="indicator" value=indicator.clone()/>
                <input type="hidden" name="seen" value=seen/>
                <fieldset class="radios">
                    <legend>"Level"</legend>
                    {levels.into_iter().map(|(k, label)| {
                        let rid = id(&format!("level-{}", if k.is_empty() { "none" } else { &k }));
                        view! {
                            <div class="choice">
                                <input type="radio" id=rid.clone() name="level" value=k.clone() checked=chosen == k/>
                                <label for=rid>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for=id("account")>"How you know"</label>
                    <p class="hint" id=id("account-hint")>{format!("What you do, and how young people were part of it. Up to {ACCOUNT_LIMIT} characters.")}</p>
                    <textarea id=id("account") name="account" rows="4" aria-describedby=id("account-hint") inner_html=escape_html(&account)></textarea>
                </div>
                <button type="submit" class="button">"Save the claim"</button>
            </form>
        </details>
    }
}

#[component]
fn AddEvidence(d: AssessmentData, indicator: String) -> impl IntoView {
    let action = format!("/staff/standards/{}", d.head.id);
    let evidence_form = form_name("evidence", &indicator);
    let state = FormState::for_form(&evidence_form);
    let upload = FormState::for_form(&form_name("upload", &indicator));
    let open = state.feedback().is_some() || upload.feedback().is_some();
    let kind = state.value("action");
    let keep = |k: EvidenceKind, field: &str| {
        if kind == k.key() {
            state.value(field)
        } else {
            String::new()
        }
    };
    let id = |what: &str| format!("{what}-{indicator}");
    let hidden = |k: AssessmentAction| {
        view! {
            <input type="hidden" name="action" value=k.key()/>
            <input type="hidden" name="indicator" value=indicator.clone()/>
            <crate::forms::OnceKey/>
        }
    };
    let surveys = d.surveys.clone();
    view! {
        <details open=open class="add-evidence">
            <summary>"Add evidence"</summary>
            <FormMessage message=state.summary().or_else(|| upload.summary())/>
            <form method="post" action=action.clone() class="stack">
                {hidden(AssessmentAction::Note)}
                <h5>"A note"</h5>
                <crate::components::TextField id=id("note-title") name="title" label="Title" value=keep(EvidenceKind::Note, "title") autocomplete="off"/>
                <div class="field">
                    <label for=id("note-text")>"Note"</label>
                    <textarea id=id("note-text") name="note" rows="3" inner_html=escape_html(&keep(EvidenceKind::Note, "note"))></textarea>
                </div>
                <button type="submit" class="button secondary">"Add the note"</button>
            </form>
            <form method="post" action=action.clone() class="stack">
                {hidden(AssessmentAction::Link)}
                <h5>"A link"</h5>
                <crate::components::TextField id=id("link-title") name="title" label="Title" value=keep(EvidenceKind::Link, "title") autocomplete="off"/>
                <crate::components::TextField id=id("link-url") name="url" label="Web address" kind="url" value=keep(EvidenceKind::Link, "url") autocomplete="off"/>
                <button type="submit" class="button secondary">"Add the link"</button>
            </form>
            <form method="post" action=format!("{action}/documents") enctype="multipart/form-data" class="stack">
                <input type="hidden" name="indicator" value=indicator.clone()/>
                <crate::forms::OnceKey/>
                <h5>"A document"</h5>
                <crate::components::TextField id=id("doc-title") name="title" label="Title" value=upload.value("title") autocomplete="off"/>
                <div class="field">
                    <label for=id("doc-file")>"File"</label>
                    <p class="hint" id=id("doc-file-hint")>"A PDF, an image, or an office document, up to 10 MB."</p>
                    <input id=id("doc-file") type="file" name="file" aria-describedby=id("doc-file-hint") accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp"/>
                </div>
                <button type="submit" class="button secondary">"Upload the document"</button>
            </form>
            {(!surveys.is_empty()).then(|| view! {
                <form method="post" action=action.clone() class="stack">
                    {hidden(AssessmentAction::Survey)}
                    <h5>"A consultation in heard"</h5>
                    <crate::components::SelectField id=id("survey") name="survey" label="Survey" hint="A survey (live sessions' too) or a service's ratings: how many answered shows here and keeps up to date.">
                        {surveys.iter().map(|(sid, t)| view! { <option value=sid.to_string()>{t.clone()}</option> }).collect_view()}
                    </crate::components::SelectField>
                    <button type="submit" class="button secondary">"Add the survey"</button>
                </form>
            })}
            <form method="post" action=action.clone() class="stack">
                {hidden(AssessmentAction::Ideas)}
                <h5>"Ideas from young people"</h5>
                <p class="hint">"The ideas young people sent for your area: how many, how many you approved, how many are happening."</p>
                <button type="submit" class="button secondary">"Add the ideas"</button>
            </form>
        </details>
    }
}

/// The claims as the award rules count them: each indicator's level and
/// how much evidence backs it.
pub fn award_claims(claims: &[ClaimRow], evidence: &[EvidenceItem]) -> Vec<super::award::Claim> {
    claims
        .iter()
        .map(|c| super::award::Claim {
            indicator: c.indicator.clone(),
            level: c.level.clone(),
            evidence: evidence
                .iter()
                .filter(|e| e.indicator == c.indicator)
                .count(),
        })
        .collect()
}

/// GET /staff/standards/{id}/report: the assessment as a report for boards
/// and inspectors: everything the assessment page shows, without its forms,
/// laid out to print (the browser's Print saves it as a PDF).
#[component]
pub fn ReportPage() -> impl IntoView {
    let id = assessment_id();
    view! {
        <Title text="Assessment report"/>
        <StaffLayout>
            {load_page(move || load_assessment(id), move |mut d: AssessmentData| {
                // Read-only: nobody edits a report.
                d.access = d.access.min(StandardsAccess::Read);
                view! {
                    <div class="report">
                        <p class="no-print"><a href=format!("/staff/standards/{id}")>"Back to the assessment"</a>" · Print this page, or save it as a PDF from your browser's Print."</p>
                        <p class="report-kicker">"Participation standards: self-assessment report"</p>
                        <Assessment d=d/>
                    </div>
                }
            })}
        </StaffLayout>
    }
}

/// Two assessments compared, as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareData {
    pub head: Head,
    /// The assessment this one started from: `(id, title, started)`.
    pub before: Option<(i64, String, String)>,
    /// `(indicator text, before, after, evidence before, evidence after, what moved)`.
    pub changes: Vec<(String, String, String, usize, usize, String)>,
}

#[server]
pub async fn load_compare(id: i64) -> Result<CompareData, AppError> {
    let user = crate::accounts::viewer::require_staff()?;
    let state = crate::state::app_state()?;
    let (head, _, framework) = super::handlers::reach_with_framework(&state.db, &user, id).await?;
    let Some(before_id) = head.based_on else {
        return Ok(CompareData {
            head,
            before: None,
            changes: vec![],
        });
    };
    let before_head = super::store::head(&state.db, before_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let claims_of = |id: i64| {
        let db = state.db.clone();
        async move {
            let claims = super::store::claims(&db, id).await?;
            let evidence = super::store::evidence(&db, id).await?;
            Ok::<_, AppError>(award_claims_all(&claims, &evidence))
        }
    };
    let (before, after) = (claims_of(before_id).await?, claims_of(id).await?);
    let label = |l: &Option<String>| {
        l.as_deref()
            .and_then(|l| framework.level_label(l))
            .unwrap_or("Not assessed")
            .to_string()
    };
    let changes = super::compare::compare(&framework, &before, &after)
        .into_iter()
        .map(|c| {
            let text = framework
                .indicators()
                .find(|(_, i)| i.key == c.indicator)
                .map(|(_, i)| i.text.clone())
                .unwrap_or_default();
            (
                text,
                label(&c.before),
                label(&c.after),
                c.evidence_before,
                c.evidence_after,
                c.moved.label().to_string(),
            )
        })
        .collect();
    Ok(CompareData {
        head,
        before: Some((before_id, before_head.title, before_head.started_on)),
        changes,
    })
}

/// Like [`award_claims`], with indicators that have evidence but no claim.
#[cfg(feature = "ssr")]
fn award_claims_all(claims: &[ClaimRow], evidence: &[EvidenceItem]) -> Vec<super::award::Claim> {
    let mut all = award_claims(claims, evidence);
    for e in evidence {
        if !all.iter().any(|c| c.indicator == e.indicator) {
            all.push(super::award::Claim {
                indicator: e.indicator.clone(),
                level: None,
                evidence: evidence
                    .iter()
                    .filter(|x| x.indicator == e.indicator)
                    .count(),
            });
        }
    }
    all
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let id = assessment_id();
    view! {
        <Title text="Compare assessments"/>
        <StaffLayout>
            <p><a href=format!("/staff/standards/{id}")>"Back to the assessment"</a></p>
            {load_page(move || load_compare(id), |d: CompareData| view! {
                <h1>{format!("What changed: {}", d.head.title)}</h1>
                {match d.before.clone() {
                    None => view! { <p>"This assessment did not start from an earlier one, so there is nothing to compare it with."</p> }.into_any(),
                    Some((before, title, started)) => view! {
                        <p>"Compared with "<a href=format!("/staff/standards/{before}")>{title}</a>{format!(" (started {started}).")}</p>
                        {if d.changes.is_empty() {
                            view! { <p>"Nothing has changed yet."</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-wrap" tabindex="0" role="region" aria-label="What changed">
                                    <table class="compare">
                                        <thead><tr>
                                            <th scope="col">"Indicator"</th>
                                            <th scope="col">"Before"</th>
                                            <th scope="col">"Now"</th>
                                            <th scope="col">"Evidence"</th>
                                            <th scope="col">"What moved"</th>
                                        </tr></thead>
                                        <tbody>
                                            {d.changes.iter().map(|(text, b, a, eb, ea, moved)| view! {
                                                <tr>
                                                    <th scope="row">{text.clone()}</th>
                                                    <td>{b.clone()}</td>
                                                    <td>{a.clone()}</td>
                                                    <td>{format!("{eb} \u{2192} {ea}")}</td>
                                                    <td>{moved.clone()}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any()
                        }}
                    }.into_any(),
                }}
            })}
        </StaffLayout>
    }
}
