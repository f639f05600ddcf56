//! Young people answering surveys: on both databases, over real HTTP.

use crate::common::{as_refs, full_answers, new_key, Page, Store, TestApp};
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
    let page = Page::parse(&page.text().await.unwrap());
    let prompts = page.texts("form .q-prompt");
    assert!(
        prompts.contains(&"Which night should we open?".to_string())
            && prompts.contains(&"Put these trips in order".to_string()),
        "{prompts:?}"
    );
    assert!(
        page.has(&format!(
            "form[method=post][action=\"/s/{slug}\"] input[type=hidden][name=submission_key]"
        )),
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
    // In <main>: the footer carries the same numbers on every page.
    let help = Page::parse(&thanks).attrs("main a[href^=\"tel:\"]", "href");
    assert!(
        help.contains(&"tel:08001111".to_string()) && help.contains(&"tel:999".to_string()),
        "the thank-you page links to help: {help:?}"
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
    let page = Page::parse(&res.text().await.unwrap());
    let link = page.one("#error-summary #error-list a");
    assert!(
        link.text
            .starts_with("Please answer “Which night should we open?”"),
        "names the question: {link:?}"
    );
    assert_eq!(
        link.attr("href"),
        Some(format!("#q{}", q[0]).as_str()),
        "the summary links to the question"
    );
    assert!(
        page.has(&format!("input#q{}[name=q{}]", q[0], q[0])),
        "which is there"
    );
    assert_eq!(
        page.one(&format!("form textarea[name=q{}]", q[5])).text,
        "More trips\nand later opening",
        "typed text is kept"
    );
    assert_eq!(
        page.one(&format!("form input[name=q{}]", q[4]))
            .attr("value"),
        Some("brilliant"),
        "short text is kept"
    );
    let picked = |value: &str| {
        page.one(&format!("form input[name=q{}][value={value}]", q[1]))
            .has("checked")
    };
    assert!(
        picked("o1") && picked("o3") && !picked("o2"),
        "picks are kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await,
        0,
        "nothing stored"
    );
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "with the answer given, the same form is stored"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
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
        let page = Page::parse(&res.text().await.unwrap());
        assert!(
            page.texts("#error-list li")
                .iter()
                .any(|e| e.contains(message)),
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
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "the same form with good answers is stored"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

async fn closed_draft_and_unknown_surveys_refuse_answers(store: Store) {
    let (app, closed_id, closed, q) = setup(store, SurveyStatus::Closed).await;
    let client = app.client();
    let res = app
        .post(
            &client,
            &format!("/s/{closed}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 410);
    let page = Page::parse(&res.text().await.unwrap());
    assert_eq!(page.one("main h1").text, "This survey is closed");
    let org = app.organisation("Another", None).await;
    let (draft_id, draft) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let draft_q = app.question_ids(draft_id).await;
    assert_eq!(
        app.status(&client, &format!("/s/{draft}")).await,
        404,
        "drafts are not public"
    );
    let draft_answers = full_answers(&draft_q, &new_key());
    let res = app
        .post(&client, &format!("/s/{draft}"), &as_refs(&draft_answers))
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(app.status(&client, "/s/nosuchsurvey").await, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);

    // Opened, the same surveys take the same forms.
    for (id, from) in [
        (closed_id, SurveyStatus::Closed),
        (draft_id, SurveyStatus::Draft),
    ] {
        app::surveys::building::store::set_status(&app.db, id, from, SurveyStatus::Open)
            .await
            .unwrap();
    }
    assert_eq!(app.status(&client, &format!("/s/{draft}")).await, 200);
    let res = app
        .post(&client, &format!("/s/{draft}"), &as_refs(&draft_answers))
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post(
            &client,
            &format!("/s/{closed}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 2);
}

async fn a_survey_past_its_closing_date_refuses_answers(store: Store) {
    let (app, id, slug, q) = setup(store, SurveyStatus::Open).await;
    let listed = |html: String| {
        Page::parse(&html)
            .attrs("main ul.cards li.card a", "href")
            .contains(&format!("/s/{slug}"))
    };
    let home = app.get(&app.client(), "/").await.text().await.unwrap();
    assert!(listed(home), "listed while open");
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
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);

    sqlx::query(&format!(
        "UPDATE surveys SET closes_on = '2999-01-01' WHERE id = {id}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    // As the builder's store does after every edit, so the answering cache reloads.
    app.db.note_change(app::db::Changed::Surveys);
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "before its closing date, the same form is stored"
    );
    let home = app.get(&client, "/").await.text().await.unwrap();
    assert!(listed(home), "and it is listed");
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
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 303, "a well-formed form is stored");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
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
    // Every table of heard's, read from the schema, so a new one cannot be
    // missed (sqlx's own record of migrations aside).
    let listing = match app.store {
        Store::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
        }
        Store::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
        }
    };
    let tables: Vec<(String,)> = sqlx::query_as(listing)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(tables.len() >= 12, "{tables:?}");
    for (table,) in tables {
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
    let page = Page::parse(&html);
    let links = page.attrs("main ul.cards li.card a", "href");
    assert_eq!(links, vec![format!("/s/{open}")], "the open survey only");
    assert!(!html.contains(&format!("/s/{draft}")));
    assert!(
        !html.contains("heard.js")
            && !page.has("script[src], script[type=module], link[rel=modulepreload]"),
        "the home page loads no JavaScript"
    );
    for script in page.select("script") {
        assert!(
            !script.text.contains("Our youth club") && !script.text.contains(&open),
            "no page data is serialised: {script:?}"
        );
    }
}

/// The submission key the page's form carries.
fn form_key(html: &str) -> String {
    Page::parse(html)
        .one("form[method=post] input[name=submission_key]")
        .attr("value")
        .expect("a key value")
        .to_string()
}

async fn survey_pages_are_never_kept_by_a_cache(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let page = app.get(&client, &format!("/s/{slug}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let mut missing = full_answers(&q, &new_key());
    missing.retain(|(k, _)| *k != format!("q{}", q[0]));
    let refused = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&missing))
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.headers()["cache-control"],
        "no-store",
        "a page shown again keeps its key to itself too"
    );
}

async fn the_survey_page_offers_start_again_and_says_how_long_answers_are_kept(store: Store) {
    let (app, _, slug, _) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let html = app
        .get(&client, &format!("/s/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    let page = Page::parse(&html);
    let link = page.one("a[data-start-again]");
    assert_eq!(
        link.attr("href"),
        Some(format!("/s/{slug}").as_str()),
        "without JavaScript it loads a fresh form"
    );
    assert_eq!(link.text, app::copy::START_AGAIN);
    assert!(
        page.texts("form p.hint")
            .iter()
            .any(|t| t.contains("for up to 2 hours")),
        "says how long answers are kept"
    );
    let again = app
        .get(&client, &format!("/s/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert_ne!(form_key(&html), form_key(&again), "every load a fresh key");
}

async fn a_form_reused_with_different_answers_is_not_dropped_and_can_be_sent_as_new(store: Store) {
    let (app, id, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let key = new_key();
    let first = full_answers(&q, &key);
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&first))
        .await;
    assert_eq!(res.status(), 303);
    let (digest,): (Option<String>,) = sqlx::query_as("SELECT answers_digest FROM responses")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let digest = digest.expect("a digest is kept with the key");
    assert!(digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()));

    // The same answers again: a retry, told its answers are safe, stored once.
    let retry = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&first))
        .await;
    assert_eq!(retry.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);

    // The next person on a shared phone, with the first one's form and key.
    let mut second = full_answers(&q, &key);
    for (k, v) in second.iter_mut() {
        if *k == format!("q{}", q[4]) {
            *v = "different".into();
        }
    }
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&second))
        .await;
    assert_eq!(res.status(), 409);
    let html = res.text().await.unwrap();
    let page = Page::parse(&html);
    assert!(
        page.main_text()
            .contains("Someone already sent answers from this page"),
        "says these answers were not sent"
    );
    assert_eq!(
        page.one(&format!("form input[name=q{}]", q[4]))
            .attr("value"),
        Some("different"),
        "their answers are kept"
    );
    let fresh = form_key(&html);
    assert_ne!(fresh, key, "a fresh key to send them with");
    assert!(app::forms::is_key(&fresh));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await,
        1,
        "nothing stored under the used key"
    );

    // Sent again from that page: stored as a new response.
    let mut resend = second.clone();
    resend[0].1 = fresh;
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&resend))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM responses WHERE survey_id = {id}"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answers WHERE question_id = {} AND value = 'different'",
            q[4]
        ))
        .await,
        1
    );
}

async fn a_key_stored_before_digests_were_kept_still_counts_as_a_retry(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let key = new_key();
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &key)),
        )
        .await;
    assert_eq!(res.status(), 303);
    sqlx::query("UPDATE responses SET answers_digest = NULL")
        .execute(app.db.pool())
        .await
        .unwrap();
    let mut other = full_answers(&q, &key);
    other.retain(|(k, _)| *k != format!("q{}", q[4]));
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&other))
        .await;
    assert_eq!(res.status(), 303, "as before digests: the key decides");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

async fn a_full_write_queue_answers_busy_and_keeps_every_answer(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let key = new_key();
    let answers = full_answers(&q, &key);
    let held = app.db.hold_writes().await;
    let res = tokio::time::timeout(
        app::db::WRITE_WAIT * 4,
        app.post(&client, &format!("/s/{slug}"), &as_refs(&answers)),
    )
    .await
    .expect("busy is answered after the bounded wait, not never");
    assert_eq!(res.status(), 503);
    assert!(res.headers().get("retry-after").is_some());
    let html = res.text().await.unwrap();
    let page = Page::parse(&html);
    assert!(
        page.main_text().contains("heard is very busy right now"),
        "says so kindly"
    );
    assert_eq!(
        page.one(&format!("form textarea[name=q{}]", q[5])).text,
        "More trips\nand later opening",
        "answers kept"
    );
    assert_eq!(
        form_key(&html),
        key,
        "the same key: sending again stores once"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);

    drop(held);
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&answers))
        .await;
    assert_eq!(
        res.status(),
        303,
        "once the queue moves, the same form is stored"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

async fn a_survey_closed_or_reopened_by_staff_takes_effect_at_once(store: Store) {
    let (app, id, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let send = || full_answers(&q, &new_key());
    // Loaded once: the page and a post put the survey in memory.
    assert_eq!(app.status(&client, &format!("/s/{slug}")).await, 200);
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&send()))
        .await;
    assert_eq!(res.status(), 303);
    app::surveys::building::store::set_status(
        &app.db,
        id,
        SurveyStatus::Open,
        SurveyStatus::Closed,
    )
    .await
    .unwrap();
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&send()))
        .await;
    assert_eq!(res.status(), 410, "closed means closed, not in 30 seconds");
    app::surveys::building::store::set_status(
        &app.db,
        id,
        SurveyStatus::Closed,
        SurveyStatus::Open,
    )
    .await
    .unwrap();
    let res = app
        .post(&client, &format!("/s/{slug}"), &as_refs(&send()))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 2);
}

async fn an_area_retired_or_restored_takes_effect_at_once(store: Store) {
    let (app, _, slug, q) = setup(store, SurveyStatus::Open).await;
    let client = app.client();
    let code = app::areas::AreaCode::parse("E08000025").unwrap();
    let offered =
        |html: String| Page::parse(&html).has("select[name=about_area] option[value=E08000025]");
    let page = app
        .get(&client, &format!("/s/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(offered(page), "offered while active");
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 303, "the areas are now in memory");
    app::areas::store::set_active(&app.db, &code, false)
        .await
        .unwrap();
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 422, "a retired area is no longer offered");
    let page = app
        .get(&client, &format!("/s/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!offered(page), "and not shown");
    app::areas::store::set_active(&app.db, &code, true)
        .await
        .unwrap();
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 2);
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
    survey_pages_are_never_kept_by_a_cache,
    the_survey_page_offers_start_again_and_says_how_long_answers_are_kept,
    a_form_reused_with_different_answers_is_not_dropped_and_can_be_sent_as_new,
    a_key_stored_before_digests_were_kept_still_counts_as_a_retry,
    a_full_write_queue_answers_busy_and_keeps_every_answer,
    a_survey_closed_or_reopened_by_staff_takes_effect_at_once,
    an_area_retired_or_restored_takes_effect_at_once,
);
