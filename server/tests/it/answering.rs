//! Young people answering surveys: on both databases, over real HTTP.

use crate::common::{as_refs, full_answers, new_key, Store, TestApp};
use app::surveys::model::SurveyStatus;

async fn setup(store: Store, status: SurveyStatus) -> (TestApp, i64, String, Vec<i64>) {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (id, slug) = app.survey_with_every_kind(org, status).await;
    let q = app.question_ids(id).await;
    (app, id, slug, q)
}

async fn a_young_person_can_answer_every_question_type_and_it_is_stored(store: Store) {
    let (app, id, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let page = app.get(&client, &format!("/s/{slug}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Which night should we open?") && html.contains("Put these trips in order")
    );
    assert!(
        html.contains("name=\"submission_key\""),
        "the form carries an idempotency key"
    );

    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/s/{slug}/thanks"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM responses WHERE survey_id = {id}"
        ))
        .await,
        1
    );
    // 1 + 2 picks + 1 + 1 + 1 + 1 + 2 ranked
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 9);
    let (age, area, groups): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT age_band, area_code, groups FROM responses")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (age.as_deref(), area.as_deref(), groups.as_deref()),
        (Some("13-15"), Some("E08000025"), Some("young_carer"))
    );
    let ranked: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT position, value FROM answers WHERE question_id = {} ORDER BY position",
        q[6]
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(ranked, vec![(1, "o3".to_string()), (2, "o1".to_string())]);

    let thanks = app
        .get(&client, &format!("/s/{slug}/thanks"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        thanks.contains("0800 1111") && thanks.contains("999"),
        "the thank-you page links to help"
    );
}

async fn a_missing_required_answer_names_the_question_and_keeps_every_answer(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let mut answers = full_answers(&q, &new_key());
    answers.retain(|(k, _)| *k != format!("q{}", q[0]));
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&answers))
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Please answer “Which night should we open?”"),
        "names the question"
    );
    assert!(
        html.contains("More trips\nand later opening"),
        "typed text is kept"
    );
    assert!(html.contains("value=\"brilliant\""), "short text is kept");
    assert!(
        html.contains(&format!(
            "id=\"q{}-2\" name=\"q{}\" value=\"o3\" checked",
            q[1], q[1]
        )),
        "picks are kept"
    );
    assert!(
        html.contains(&format!("href=\"#q{}\"", q[0])),
        "the summary links to the question"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await,
        0,
        "nothing stored"
    );
}

async fn bad_answers_get_clear_errors_and_store_nothing(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let long = "x".repeat(201);
    let cases: Vec<(String, String, &str)> = vec![
        (
            format!("q{}", q[0]),
            "o9".into(),
            "Please choose one of the answers shown for “Which night should we open?”",
        ),
        (
            format!("q{}", q[2]),
            "7".into(),
            "Please choose one of the answers shown for “How much do you enjoy it?”",
        ),
        (
            format!("q{}", q[4]),
            long,
            "to 200 characters or fewer (it has 201)",
        ),
        (
            "about_area".into(),
            "E99999999".into(),
            "Where do you live?",
        ),
    ];
    for (field, value, message) in cases {
        let mut answers = full_answers(&q, &new_key());
        answers.retain(|(k, _)| *k != field);
        answers.push((field.clone(), value));
        let res = app
            .post(&client, &format!("/s/{slug}"), &as_refs(&answers))
            .await;
        assert_eq!(res.status(), 422, "{field}");
        assert!(
            res.text().await.unwrap().contains(message),
            "{field}: {message}"
        );
    }
    let mut too_many = full_answers(&q, &new_key());
    too_many.push((format!("q{}", q[1]), "o2".into()));
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&too_many))
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Please pick no more than 2 for “What would you like to do?”"));
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn closed_draft_and_unknown_surveys_refuse_answers(store: Store) {
    let (app, _, closed, q) = setup(store, SurveyStatus::Closed).await;
    let client = app.client();
    let res = app
        .post(
            &client,
            &format!("/s/{closed}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains("This survey is closed"));
    let org = app.organisation("Another", None).await;
    let (_, draft) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    assert_eq!(
        app.status(&client, &format!("/s/{draft}")).await,
        404,
        "drafts are not public"
    );
    let res = app
        .post(
            &client,
            &format!("/s/{draft}"),
            &[("submission_key", &new_key())],
        )
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.status(&client, "/s/nosuchsurvey").await, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn a_survey_past_its_closing_date_refuses_answers(store: Store) {
    let (app, id, slug, q) = setup(store, SurveyStatus::Open).await;
    sqlx::query(&format!(
        "UPDATE surveys SET closes_on = '2001-01-01' WHERE id = {id}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let client = app.client();
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 410);
    let home = app.get(&client, "/").await.text().await.unwrap();
    assert!(!home.contains(&slug), "no longer listed");
}

async fn a_malformed_form_is_refused(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let mut no_key = full_answers(&q, &new_key());
    no_key.remove(0);
    assert_eq!(
        app.post(&client, &format!("/s/{slug}"), &as_refs(&no_key))
            .await
            .status(),
        400
    );
    let json = client
        .post(app.url(&format!("/s/{slug}")))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 400);
    let bad_key = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &[("submission_key", "<script>alert(1)</script>xxxxxxxx")],
        )
        .await;
    assert_eq!(bad_key.status(), 400);
    let huge = "q=".to_string() + &"x".repeat(300 * 1024);
    let res = client
        .post(app.url(&format!("/s/{slug}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

async fn twenty_identical_concurrent_posts_store_exactly_one_response(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let answers = full_answers(&q, &new_key());
    let statuses = app
        .post_all_at_once(&format!("/s/{slug}"), vec![answers; 20])
        .await;
    for status in statuses {
        assert_eq!(status, 303, "every tap is told its answers are safe");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 9);
}

async fn many_different_concurrent_submissions_are_all_stored(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let forms = (0..40).map(|_| full_answers(&q, &new_key())).collect();
    for status in app.post_all_at_once(&format!("/s/{slug}"), forms).await {
        assert_eq!(status, 303, "no 'database is locked'");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 40);
}

async fn nothing_about_the_device_is_stored_with_a_response(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers().get("set-cookie").is_none(),
        "young people get no cookie"
    );
    // Every text value in every table: the address and user agent appear nowhere.
    let mut scanned = 0;
    let tables = [
        "responses",
        "answers",
        "surveys",
        "questions",
        "areas",
        "organisations",
        "users",
        "sessions",
    ];
    for table in tables {
        let sql = match app.store {
            Store::Sqlite => format!("SELECT * FROM {table}"),
            Store::Postgres => format!("SELECT row_to_json(t)::text FROM {table} t"),
        };
        let rows: Vec<sqlx::any::AnyRow> =
            sqlx::query(&sql).fetch_all(app.db.pool()).await.unwrap();
        for row in rows {
            use sqlx::Row;
            for i in 0..row.len() {
                if let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) {
                    scanned += 1;
                    assert!(
                        !text.contains("127.0.0.1"),
                        "{table} holds the client address"
                    );
                    assert!(
                        !text.contains("heard-test-agent") && !text.contains("Cracked Phone"),
                        "{table} holds the user agent"
                    );
                }
            }
        }
    }
    assert!(
        scanned > 20,
        "the scan read the stored text ({scanned} values)"
    );
}

async fn the_home_page_lists_open_surveys_only_and_sends_no_script(store: Store) {
    let (app, _, open, _) = setup(store, SurveyStatus::Open).await;
    let org = app.organisation("Another", None).await;
    let (_, draft) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let client = app.client();
    let res = app.get(&client, "/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("/s/{open}")));
    assert!(!html.contains(&format!("/s/{draft}")));
    assert!(
        !html.contains("heard.js"),
        "the home page loads no JavaScript"
    );
    assert!(
        !html.contains("__RESOLVED_RESOURCES[0]"),
        "no page data is serialised"
    );
}

on_both_databases!(
    a_young_person_can_answer_every_question_type_and_it_is_stored,
    a_missing_required_answer_names_the_question_and_keeps_every_answer,
    bad_answers_get_clear_errors_and_store_nothing,
    closed_draft_and_unknown_surveys_refuse_answers,
    a_survey_past_its_closing_date_refuses_answers,
    a_malformed_form_is_refused,
    twenty_identical_concurrent_posts_store_exactly_one_response,
    many_different_concurrent_submissions_are_all_stored,
    nothing_about_the_device_is_stored_with_a_response,
    the_home_page_lists_open_surveys_only_and_sends_no_script,
);
