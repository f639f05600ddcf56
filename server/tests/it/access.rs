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
    Commissioner,
    OtherCommissioner,
    Nobody,
}

const EVERYONE: [Who; 9] = [
    Who::Admin,
    Who::OrgAdmin,
    Who::Worker,
    Who::Lead,
    Who::OtherOrgAdmin,
    Who::OtherWorker,
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

on_both_databases!(
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
