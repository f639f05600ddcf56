//! Who may do what, feature by feature: for every page and every form post,
//! the callers allowed succeed and every other role (and every member of
//! another organisation) is refused, through the page and through the post.
//! A refusal means nothing unless the same request from an allowed caller
//! succeeds, so each row below carries both.

use crate::common::{Store, TestApp};
use app::accounts::Role;
use app::surveys::model::SurveyStatus;

/// Everyone who might call: each role in the organisation, the same roles in
/// another organisation, a commissioner of the organisation's area and one
/// of another area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    OrgAdmin,
    Worker,
    Lead,
    OtherOrgAdmin,
    OtherWorker,
    OtherLead,
    Commissioner,
    OtherCommissioner,
    Nobody,
}

const EVERYONE: [Who; 10] = [
    Who::Admin,
    Who::OrgAdmin,
    Who::Worker,
    Who::Lead,
    Who::OtherOrgAdmin,
    Who::OtherWorker,
    Who::OtherLead,
    Who::Commissioner,
    Who::OtherCommissioner,
    Who::Nobody,
];

struct World {
    app: TestApp,
    clients: Vec<(Who, reqwest::Client)>,
    survey: i64,
}

async fn world(store: Store) -> World {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("North", Some("E08000025")).await;
    let other = app.organisation("South", Some("E09000001")).await;
    let (survey, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let mut clients = Vec::new();
    for who in EVERYONE {
        let client = match who {
            Who::Admin => app.signed_in(Role::Admin, None, &[]).await,
            Who::OrgAdmin => app.signed_in(Role::OrgAdmin, Some(org), &[]).await,
            Who::Worker => app.signed_in(Role::YouthWorker, Some(org), &[]).await,
            Who::Lead => app.signed_in(Role::SafeguardingLead, Some(org), &[]).await,
            Who::OtherOrgAdmin => app.signed_in(Role::OrgAdmin, Some(other), &[]).await,
            Who::OtherWorker => app.signed_in(Role::YouthWorker, Some(other), &[]).await,
            Who::OtherLead => {
                app.signed_in(Role::SafeguardingLead, Some(other), &[])
                    .await
            }
            Who::Commissioner => {
                app.signed_in(Role::Commissioner, None, &["E08000025"])
                    .await
            }
            Who::OtherCommissioner => {
                app.signed_in(Role::Commissioner, None, &["E09000001"])
                    .await
            }
            Who::Nobody => app.client(),
        };
        clients.push((who, client));
    }
    World {
        app,
        clients,
        survey,
    }
}

/// GETs `path` as everyone: `allowed` get 200; signed-out visitors are sent
/// to sign in; everyone else gets one of `refused`.
async fn page(w: &World, path: &str, allowed: &[Who], refused: &[u16]) {
    for (who, client) in &w.clients {
        let status = w.app.status(client, path).await;
        if allowed.contains(who) {
            assert_eq!(status, 200, "{who:?} may open {path}");
        } else if *who == Who::Nobody {
            assert_eq!(status, 303, "{path} asks the signed-out to sign in");
        } else {
            assert!(
                refused.contains(&status),
                "{who:?} is refused {path}: {status}"
            );
        }
    }
}

/// POSTs `form` to `path` as everyone: `allowed` get one of `done`;
/// everyone else one of `refused` (signed-out visitors, 401).
async fn post(
    w: &World,
    path: &str,
    form: &dyn Fn(Who) -> Vec<(String, String)>,
    allowed: &[Who],
    done: &[u16],
    refused: &[u16],
) {
    for (who, client) in &w.clients {
        let pairs = form(*who);
        let res = client
            .post(w.app.url(path))
            .form(&pairs)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        if allowed.contains(who) {
            assert!(
                done.contains(&status),
                "{who:?} may post to {path}: {status}"
            );
        } else if *who == Who::Nobody {
            assert_eq!(status, 401, "{path} refuses the signed-out");
        } else {
            assert!(
                refused.contains(&status),
                "{who:?} is refused {path}: {status}"
            );
        }
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn areas_are_for_administrators(store: Store) {
    let w = world(store).await;
    page(&w, "/staff/areas", &[Who::Admin], &[403]).await;
    let form = |who: Who| {
        let code = format!("E0600{:04}", who as u32 + 100);
        vec![
            ("action".into(), "save".into()),
            ("code".into(), code),
            ("name".into(), "Newtown".into()),
        ]
    };
    post(&w, "/staff/areas", &form, &[Who::Admin], &[303], &[403]).await;
}

async fn organisations_are_for_administrators(store: Store) {
    let w = world(store).await;
    page(&w, "/staff/organisations", &[Who::Admin], &[403]).await;
    let form = |who: Who| {
        pairs(&[("action", "add"), ("kind", "charity"), ("area", "")])
            .into_iter()
            .chain([("name".to_string(), format!("New charity {who:?}"))])
            .collect()
    };
    post(
        &w,
        "/staff/organisations",
        &form,
        &[Who::Admin],
        &[303],
        &[403],
    )
    .await;
}

async fn teams_are_for_administrators_and_organisation_admins(store: Store) {
    let w = world(store).await;
    let managers = [Who::Admin, Who::OrgAdmin, Who::OtherOrgAdmin];
    page(&w, "/staff/team", &managers, &[403]).await;
    let form = |who: Who| {
        let mut p = pairs(&[("action", "add"), ("role", "youth_worker")]);
        p.push((
            "email".into(),
            format!("new-{who:?}@org.example").to_lowercase(),
        ));
        if who == Who::Admin {
            // An administrator says which organisation.
            p.push(("organisation_id".into(), "1".into()));
        }
        p
    };
    post(&w, "/staff/team", &form, &managers, &[200], &[403]).await;
}

async fn the_audit_log_is_for_administrators(store: Store) {
    let w = world(store).await;
    page(&w, "/staff/audit", &[Who::Admin], &[403]).await;
}

async fn a_survey_is_built_by_its_own_organisation(store: Store) {
    let w = world(store).await;
    let builders = [Who::Admin, Who::OrgAdmin, Who::Worker];
    let path = format!("/staff/surveys/{}", w.survey);
    page(&w, &path, &builders, &[403, 404]).await;
    let form = |_: Who| {
        pairs(&[
            ("action", "details"),
            ("title", "Our youth club, renamed"),
            ("intro", ""),
        ])
    };
    post(&w, &path, &form, &builders, &[303], &[403, 404]).await;
}

async fn a_surveys_results_are_read_within_its_organisation(store: Store) {
    let w = world(store).await;
    let readers = [Who::Admin, Who::OrgAdmin, Who::Worker, Who::Lead];
    let path = format!("/staff/surveys/{}/results", w.survey);
    page(&w, &path, &readers, &[403, 404]).await;
}

async fn a_survey_is_previewed_by_those_who_build_it_or_read_its_results(store: Store) {
    let w = world(store).await;
    let previewers = [Who::Admin, Who::OrgAdmin, Who::Worker, Who::Lead];
    let path = format!("/staff/surveys/{}/preview", w.survey);
    page(&w, &path, &previewers, &[403, 404]).await;
}

async fn everyone_signed_in_may_change_their_own_password(store: Store) {
    let w = world(store).await;
    let signed_in: Vec<Who> = EVERYONE.into_iter().filter(|w| *w != Who::Nobody).collect();
    page(&w, "/staff/password", &signed_in, &[]).await;
}

async fn new_surveys_are_started_by_those_who_build_them(store: Store) {
    let w = world(store).await;
    let starters = [
        Who::Admin,
        Who::OrgAdmin,
        Who::Worker,
        Who::OtherOrgAdmin,
        Who::OtherWorker,
    ];
    let form = |who: Who| {
        let mut p = pairs(&[("title", "A new survey")]);
        if who == Who::Admin {
            p.push(("organisation_id".into(), "1".into()));
        }
        p
    };
    post(&w, "/staff/surveys", &form, &starters, &[303], &[403]).await;
}

/// What a young person wrote that matched the risk list, in `w`'s survey:
/// returns the item's id and the words.
async fn a_risk_item(w: &World) -> (i64, &'static str) {
    let words = "my stepdad hits me when he's angry";
    assert_eq!(an_answer(w, words).await, 200, "help first");
    let id = w.app.count("SELECT MAX(id) FROM safeguarding_items").await;
    (id, words)
}

/// A full set of answers to `w`'s survey with `words` as the long answer;
/// the status of the post.
async fn an_answer(w: &World, words: &str) -> u16 {
    let slug = app::surveys::store::by_id(&w.app.db, w.survey)
        .await
        .unwrap()
        .unwrap()
        .form
        .slug;
    let q = w.app.question_ids(w.survey).await;
    let mut answers = crate::common::full_answers(&q, &crate::common::new_key());
    answers[7].1 = words.into();
    let res = w
        .app
        .post(
            &w.app.client(),
            &format!("/s/{slug}"),
            &crate::common::as_refs(&answers),
        )
        .await;
    res.status().as_u16()
}

/// Calls a server function as everyone: `allowed` get 200, with `secret` in
/// the reply for `readers`; everyone else is refused; only readers see it.
async fn server_fn(
    w: &World,
    name: &str,
    args: &[(&str, &str)],
    allowed: &[Who],
    readers: &[Who],
    secret: &str,
) {
    for (who, client) in &w.clients {
        let res = client
            .post(w.app.url(&format!("/api/{name}")))
            .form(args)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body = res.text().await.unwrap();
        if allowed.contains(who) {
            assert_eq!(status, 200, "{who:?} may call {name}: {body}");
        } else {
            assert_ne!(status, 200, "{who:?} is refused {name}");
        }
        assert_eq!(
            body.contains(secret),
            readers.contains(who),
            "{who:?}: {body}"
        );
    }
}

async fn safeguarding_items_are_for_the_organisations_leads_and_administrators(store: Store) {
    let w = world(store).await;
    let (item, words) = a_risk_item(&w).await;
    let leads = [Who::Admin, Who::Lead];
    // The queue: the other organisation's lead opens their own (empty) queue.
    page(
        &w,
        "/staff/safeguarding",
        &[Who::Admin, Who::Lead, Who::OtherLead],
        &[403],
    )
    .await;
    let path = format!("/staff/safeguarding/{item}");
    page(&w, &path, &leads, &[403, 404]).await;
    for (who, client) in &w.clients {
        let body = w.app.get(client, &path).await.text().await.unwrap();
        assert_eq!(body.contains(words), leads.contains(who), "{who:?}");
    }
    let id = item.to_string();
    server_fn(
        &w,
        "safeguarding_item",
        &[("id", &id)],
        &leads,
        &leads,
        words,
    )
    .await;
    let prompt = "What should we change?";
    let queues = [Who::Admin, Who::Lead, Who::OtherLead];
    let args = [("closed", "false")];
    server_fn(&w, "safeguarding_queue", &args, &queues, &leads, prompt).await;
    // Each save says which record it saw: the administrator's goes first,
    // so the lead's (which saw none) is told someone saved meanwhile (409).
    let form = |_: Who| pairs(&[("status", "in_hand"), ("seen", "0")]);
    post(&w, &path, &form, &leads, &[303, 409], &[403, 404]).await;
    // Seeing the latest record, the lead's save goes through.
    let seen = w
        .app
        .count(&format!(
            "SELECT updated_at FROM safeguarding_items WHERE id = {item}"
        ))
        .await
        .to_string();
    let lead = &w
        .clients
        .iter()
        .find(|(who, _)| *who == Who::Lead)
        .unwrap()
        .1;
    let res = w
        .app
        .post(
            lead,
            &path,
            &[
                ("status", "closed"),
                ("lead_action", "no_concern"),
                ("seen", &seen),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
}

async fn moderation_is_for_youth_workers_and_above_in_the_organisation(store: Store) {
    let w = world(store).await;
    let moderators = [Who::Admin, Who::OrgAdmin, Who::Worker];
    let everyones_own = [
        Who::Admin,
        Who::OrgAdmin,
        Who::Worker,
        Who::OtherOrgAdmin,
        Who::OtherWorker,
    ];
    page(&w, "/staff/moderation", &everyones_own, &[403]).await;
    // One waiting answer for each moderator to approve, and one for the lead.
    for _ in &moderators {
        assert_eq!(an_answer(&w, "more trips please").await, 303);
    }
    a_risk_item(&w).await;
    let answers: Vec<(String,)> =
        sqlx::query_as("SELECT public_ref FROM answers WHERE at_risk = 0 ORDER BY id")
            .fetch_all(w.app.db.pool())
            .await
            .unwrap();
    let form = move |who: Who| {
        let mine = moderators.iter().position(|m| *m == who).unwrap_or(0);
        pairs(&[("action", "approve")])
            .into_iter()
            .chain([("answer".to_string(), answers[mine].0.clone())])
            .collect()
    };
    // Each sees their own organisation's queue; only this one's holds the words.
    server_fn(
        &w,
        "moderation_queue",
        &[],
        &everyones_own,
        &moderators,
        "brilliant",
    )
    .await;
    post(
        &w,
        "/staff/moderation",
        &form,
        &moderators,
        &[303],
        &[403, 404],
    )
    .await;
}

async fn risk_phrases_are_kept_by_administrators_and_leads(store: Store) {
    let w = world(store).await;
    let keepers = [Who::Admin, Who::Lead, Who::OtherLead];
    page(&w, "/staff/safeguarding/phrases", &keepers, &[403]).await;
    let everyone = |who: Who| {
        pairs(&[("action", "add_everyone")])
            .into_iter()
            .chain([("phrase".to_string(), format!("phrase for all {who:?}"))])
            .collect()
    };
    post(
        &w,
        "/staff/safeguarding/phrases",
        &everyone,
        &[Who::Admin],
        &[303],
        &[403],
    )
    .await;
    let own = |who: Who| {
        pairs(&[("action", "add_organisation")])
            .into_iter()
            .chain([("phrase".to_string(), format!("phrase of {who:?}"))])
            .collect()
    };
    post(
        &w,
        "/staff/safeguarding/phrases",
        &own,
        &[Who::Lead, Who::OtherLead],
        &[303],
        &[403],
    )
    .await;
}

async fn a_live_session_is_run_by_its_own_organisation(store: Store) {
    let w = world(store).await;
    let builders = [Who::Admin, Who::OrgAdmin, Who::Worker];
    let survey = app::surveys::store::by_id(&w.app.db, w.survey)
        .await
        .unwrap()
        .unwrap();
    let session = app::live::store::start(&w.app.db, &survey, 1)
        .await
        .unwrap();
    let code = app::live::store::by_id(&w.app.db, session)
        .await
        .unwrap()
        .unwrap()
        .code;
    let path = format!("/staff/live/{session}");
    page(&w, &path, &builders, &[403, 404]).await;
    let show = |_: Who| pairs(&[("action", "show")]);
    post(&w, &path, &show, &builders, &[303], &[403, 404]).await;
    let id = session.to_string();
    let args = [("id", id.as_str())];
    server_fn(&w, "live_presenter", &args, &builders, &builders, &code).await;
    let start = |_: Who| pairs(&[]);
    let start_path = format!("/staff/surveys/{}/live", w.survey);
    post(&w, &start_path, &start, &builders, &[303], &[403, 404]).await;
    // Quick polls belong to an organisation: an administrator (of none) is
    // told to start one from a survey.
    let quick = |_: Who| pairs(&[]);
    post(
        &w,
        "/staff/live/quick",
        &quick,
        &[
            Who::OrgAdmin,
            Who::Worker,
            Who::OtherOrgAdmin,
            Who::OtherWorker,
            Who::Admin,
        ],
        &[303, 422],
        &[403],
    )
    .await;
}

on_both_databases!(
    a_live_session_is_run_by_its_own_organisation,
    safeguarding_items_are_for_the_organisations_leads_and_administrators,
    moderation_is_for_youth_workers_and_above_in_the_organisation,
    risk_phrases_are_kept_by_administrators_and_leads,
    areas_are_for_administrators,
    organisations_are_for_administrators,
    teams_are_for_administrators_and_organisation_admins,
    the_audit_log_is_for_administrators,
    a_survey_is_built_by_its_own_organisation,
    a_surveys_results_are_read_within_its_organisation,
    new_surveys_are_started_by_those_who_build_them,
    a_survey_is_previewed_by_those_who_build_it_or_read_its_results,
    everyone_signed_in_may_change_their_own_password,
);
