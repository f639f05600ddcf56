//! Staff forms carry a one-time key: a double tap or a retry after a dropped
//! connection does the job once, and every tap lands where the first went.

use crate::common::{new_key, Page, Store, TestApp};
use app::accounts::Role;
use app::surveys::model::SurveyStatus;

/// The same form posted `times` at the same moment by one signed-in phone;
/// the statuses and `Location`s that came back.
async fn taps(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
    times: usize,
) -> Vec<(u16, String)> {
    let form: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let tasks: Vec<_> = (0..times)
        .map(|_| {
            let (client, url, form) = (client.clone(), app.url(path), form.clone());
            tokio::spawn(async move {
                let res = client.post(url).form(&form).send().await.unwrap();
                let location = res
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string())
                    .unwrap_or_default();
                (res.status().as_u16(), location)
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn all_went_to(results: &[(u16, String)]) -> String {
    let (status, location) = results[0].clone();
    assert_eq!(status, 303, "{results:?}");
    assert!(
        results.iter().all(|r| *r == (303, location.clone())),
        "every tap lands in the same place: {results:?}"
    );
    location
}

async fn double_taps_build_once(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;

    let key = new_key();
    let created = taps(
        &app,
        &client,
        "/staff/surveys",
        &[("title", "Summer plans"), ("once", &key)],
        3,
    )
    .await;
    let survey = all_went_to(&created);
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 1);

    let key = new_key();
    let added = taps(
        &app,
        &client,
        &survey,
        &[
            ("action", "add_question"),
            ("kind", "yes_no"),
            ("prompt", "Should we open on Sundays?"),
            ("once", &key),
        ],
        5,
    )
    .await;
    let at_question = all_went_to(&added);
    assert!(at_question.starts_with(&format!("{survey}#question-")));
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 1);

    let question = at_question.rsplit('-').next().unwrap().to_string();
    let key = new_key();
    let deleted = taps(
        &app,
        &client,
        &survey,
        &[
            ("action", "delete_question"),
            ("question", &question),
            ("once", &key),
        ],
        3,
    )
    .await;
    assert_eq!(
        all_went_to(&deleted),
        survey,
        "the second tap is not told the question was not found"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, 0);
}

async fn a_retry_after_the_first_finished_lands_where_it_went(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let path = format!("/staff/surveys/{id}");
    let key = new_key();
    let form = [("action", "duplicate"), ("once", key.as_str())];

    let first = app.post(&client, &path, &form).await;
    assert_eq!(first.status(), 303);
    let retry = app.post(&client, &path, &form).await;
    assert_eq!(retry.status(), 303);
    assert_eq!(first.headers()["location"], retry.headers()["location"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM surveys").await, 2);

    let fresh = app
        .post(
            &client,
            &path,
            &[("action", "duplicate"), ("once", &new_key())],
        )
        .await;
    assert_eq!(fresh.status(), 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM surveys").await,
        3,
        "a new form is a new job"
    );
}

async fn a_refused_form_lets_its_key_go(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let path = format!("/staff/surveys/{id}");
    let before = app.count("SELECT COUNT(*) FROM questions").await;
    let key = new_key();
    let mut form = vec![
        ("action", "add_question"),
        ("kind", "short_text"),
        ("prompt", ""),
        ("once", key.as_str()),
    ];
    assert_eq!(app.post(&client, &path, &form).await.status(), 422);
    form[2] = ("prompt", "What should we call the room?");
    assert_eq!(
        app.post(&client, &path, &form).await.status(),
        303,
        "the corrected form is not mistaken for a repeat"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions").await,
        before + 1
    );
}

async fn every_form_on_the_builder_carries_its_own_key(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let page = app
        .get(&client, &format!("/staff/surveys/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let page = Page::parse(&page);
    let forms = page.select("form[method=post]").len();
    let keys = page.attrs("form[method=post] input[name=once]", "value");
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert!(forms > 20, "{forms} forms");
    assert!(
        page.has("form[method=post][action=\"/sign-out\"]")
            && !page.has("form[action=\"/sign-out\"] input[name=once]"),
        "signing out needs no key"
    );
    assert_eq!(keys.len(), forms - 1, "one key per form but sign-out");
    assert_eq!(distinct.len(), keys.len(), "none shared");
    assert!(keys.iter().all(|k| k.len() >= 16));
}

on_both_databases!(
    double_taps_build_once,
    a_retry_after_the_first_finished_lands_where_it_went,
    a_refused_form_lets_its_key_go,
    every_form_on_the_builder_carries_its_own_key,
);
