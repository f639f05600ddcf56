//! Staff building surveys, and who may see and change what.

use crate::common::{as_refs, full_answers, listed_titles, new_key, Page, Store, TestApp};
use app::accounts::Role;
use app::surveys::model::SurveyStatus;
use leptos::server_fn::ServerFn;

async fn a_youth_worker_builds_opens_and_reads_the_results_of_a_survey(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Northfield Youth Service", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .post(&client, "/staff/surveys", &[("title", "Summer plans")])
        .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    for q in crate::common::every_kind() {
        let mut form = q.clone();
        form.push(("action", "add_question"));
        let res = app.post(&client, &location, &form).await;
        assert_eq!(res.status(), 303, "add {:?}", q[0]);
    }
    let res = app
        .post(
            &client,
            &location,
            &[
                ("action", "details"),
                ("title", "Summer plans"),
                ("intro", "Tell us"),
                ("tags", "enjoy_achieve"),
                ("age_bands", "13-15"),
                ("ask_about_you", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = Page::parse(&app.get(&client, &location).await.text().await.unwrap());
    assert!(
        page.main_text().contains("Put these trips in order"),
        "the question is listed"
    );
    assert!(
        page.select("form[method=post] button[name=to][value=open]")
            .iter()
            .any(|b| b.text == "Open survey"),
        "it can be opened"
    );
    let preview = app.get(&client, &format!("{location}/preview")).await;
    assert_eq!(preview.status(), 200);
    let preview = Page::parse(&preview.text().await.unwrap());
    assert!(
        preview
            .texts("main p.notice")
            .iter()
            .any(|t| t.starts_with("Preview.")),
        "says it is a preview"
    );
    assert!(
        preview
            .texts("main form .q-prompt")
            .contains(&"Put these trips in order".to_string()),
        "the preview shows the survey's form"
    );

    assert_eq!(
        app.post(&client, &location, &[("action", "status"), ("to", "open")])
            .await
            .status(),
        303
    );
    let open = Page::parse(&app.get(&client, &location).await.text().await.unwrap());
    let public = open.one("main a.public-link");
    let slug = public
        .attr("href")
        .and_then(|h| h.strip_prefix("/s/"))
        .expect("a link to the public page")
        .to_string();
    assert_eq!(
        public.text,
        format!("{}/s/{slug}", app.base),
        "the shareable link is shown"
    );

    let q = app.question_ids(id).await;
    let young = app.client();
    for _ in 0..3 {
        assert_eq!(
            app.post(
                &young,
                &format!("/s/{slug}"),
                &as_refs(&full_answers(&q, &new_key()))
            )
            .await
            .status(),
            303
        );
    }
    let results = app.get(&client, &format!("{location}/results")).await;
    assert_eq!(results.status(), 200);
    let html = results.text().await.unwrap();
    let page = Page::parse(&html);
    assert!(
        page.one("#results-summary")
            .text
            .starts_with("3 responses. The last came in"),
        "count and time of the last response"
    );
    let charts = page.select("main section.result .chart");
    assert!(!charts.is_empty());
    assert_eq!(
        page.select("main section.result .chart svg[role=img]")
            .len(),
        page.select("main section.result .chart table").len(),
        "every chart has its table"
    );
    assert!(page.has("main section.result .chart svg[role=img] title"));
    // Each table row as (answer, count, per cent).
    let rows = page.rows("main section.result table tbody tr");
    assert!(
        rows.contains(&vec!["Friday".into(), "3".into(), "100%".into()]),
        "counts and percentages: {rows:?}"
    );
    assert!(
        page.main_text().contains("More trips and later opening"),
        "free text listed"
    );
    assert!(
        rows.iter()
            .any(|r| r.first().map(String::as_str) == Some("Birmingham")),
        "areas by name: {rows:?}"
    );
}

async fn builder_mistakes_are_explained_and_keep_what_was_typed(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .post(&client, "/staff/surveys", &[("title", "   ")])
        .await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert_eq!(
        page.one("#new-title-error").text,
        "Give the survey a title."
    );
    let res = app
        .post(&client, "/staff/surveys", &[("title", "Summer plans")])
        .await;
    assert_eq!(res.status(), 303, "with a title it is made");
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let path = format!("/staff/surveys/{id}");
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "add_question"),
                ("kind", "single_choice"),
                ("prompt", "Favourite snack?"),
                ("options", "Crisps"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(page
        .texts("main .field-error")
        .contains(&"Give at least two options, one per line.".to_string()));
    assert!(
        page.attrs("main form input[name=prompt]", "value")
            .contains(&"Favourite snack?".to_string()),
        "the question typed is kept"
    );
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "add_question"),
                ("kind", "single_choice"),
                ("prompt", "Favourite snack?"),
                ("options", "Crisps\nFruit"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "with two options it is added");
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "details"),
                ("title", "Ok"),
                ("closes_on", "next week"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(Page::parse(&res.text().await.unwrap())
        .texts("main .field-error")
        .iter()
        .any(|e| e.contains("Enter the closing date as a date")));
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "details"),
                ("title", "Ok"),
                ("closes_on", "2999-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "a date is taken");
    let res = app
        .post(
            &client,
            "/staff/surveys/999999",
            &[("action", "details"), ("title", "x")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .post(&client, &path, &[("action", "details"), ("title", "x")])
        .await;
    assert_eq!(res.status(), 303, "the same form to a survey that exists");
}

async fn an_open_survey_refuses_changes_that_would_break_answers_and_says_why(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let path = format!("/staff/surveys/{id}");
    let add = [
        ("action", "add_question"),
        ("kind", "yes_no"),
        ("prompt", "New?"),
    ];
    let res = app.post(&client, &path, &add).await;
    assert_eq!(res.status(), 422, "no new questions once open");
    // The same forms on a draft: allowed.
    let (draft, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let draft_q = app.question_ids(draft).await;
    let draft_path = format!("/staff/surveys/{draft}");
    assert_eq!(app.post(&client, &draft_path, &add).await.status(), 303);
    let res = app
        .post(
            &client,
            &draft_path,
            &[
                ("action", "delete_question"),
                ("question", &draft_q[0].to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.question_ids(draft).await.len(), 7);
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "delete_question"),
                ("question", &q[0].to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(
        page.main_text()
            .contains("can't be added, removed or changed in type"),
        "says why"
    );
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "edit_question"),
                ("question", &q[0].to_string()),
                ("prompt", "Which night?"),
                ("options", "Friday\nSaturday"),
                ("required", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(Page::parse(&res.text().await.unwrap())
        .main_text()
        .contains("Options can't be removed"));
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "edit_question"),
                ("question", &q[0].to_string()),
                ("prompt", "Which night suits you?"),
                ("options", "Monday\nFriday\nSaturday"),
                ("required", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "rewording and adding an option is fine");
    assert_eq!(app.question_ids(id).await.len(), 7);
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "move"),
                ("question", &q[1].to_string()),
                ("direction", "up"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.question_ids(id).await[0],
        q[1],
        "reordering does not break answers"
    );
}

async fn duplicating_makes_a_new_draft_with_the_same_questions(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Closed).await;
    let res = app
        .post(
            &client,
            &format!("/staff/surveys/{id}"),
            &[("action", "duplicate")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let new_id: i64 = res.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(new_id, id);
    assert_eq!(app.question_ids(new_id).await.len(), 7);
    let page = Page::parse(
        &app.get(&client, &format!("/staff/surveys/{new_id}"))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(page.one("main h1").text, "Our youth club (copy)");
    assert_eq!(page.one("main h1 + p.meta .status").text, "Draft");
    let res = app
        .post(
            &client,
            &format!("/staff/surveys/{new_id}"),
            &[("action", "status"), ("to", "closed")],
        )
        .await;
    assert_eq!(res.status(), 422, "a draft can't jump to closed");
    let res = app
        .post(
            &client,
            &format!("/staff/surveys/{new_id}"),
            &[("action", "status"), ("to", "open")],
        )
        .await;
    assert_eq!(res.status(), 303, "it can open");
}

async fn a_survey_with_no_questions_cannot_open(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .post(&client, "/staff/surveys", &[("title", "Empty")])
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let res = app
        .post(&client, &location, &[("action", "status"), ("to", "open")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(Page::parse(&res.text().await.unwrap())
        .main_text()
        .contains("Add at least one question before opening the survey."));
    let res = app
        .post(
            &client,
            &location,
            &[
                ("action", "add_question"),
                ("kind", "yes_no"),
                ("prompt", "Shall we?"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post(&client, &location, &[("action", "status"), ("to", "open")])
        .await;
    assert_eq!(res.status(), 303, "with a question it opens");
}

async fn a_youth_worker_cannot_read_or_change_another_organisations_survey(store: Store) {
    let app = TestApp::spawn(store).await;
    let mine = app.organisation("Mine", None).await;
    let theirs = app.organisation("Theirs", None).await;
    let (id, slug) = app.survey_with_every_kind(theirs, SurveyStatus::Open).await;
    let client = app.signed_in(Role::YouthWorker, Some(mine), &[]).await;
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{id}")).await,
        404
    );
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{id}/results"))
            .await,
        404
    );
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{id}/preview"))
            .await,
        404
    );
    let res = app
        .post(
            &client,
            &format!("/staff/surveys/{id}"),
            &[("action", "status"), ("to", "closed")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .post(
            &client,
            &format!("/staff/surveys/{id}"),
            &[("action", "details"), ("title", "Hijacked")],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = app
        .post(
            &client,
            "/staff/surveys",
            &[
                ("title", "Sneaky"),
                ("organisation_id", &theirs.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "cannot create in another organisation");
    // The server functions check too, called directly.
    let api = client
        .post(app.url(app::surveys::results::page::LoadResults::PATH))
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(!api.status().is_success());
    assert!(!api.text().await.unwrap().contains("Which night"));
    let api = client
        .post(app.url(app::surveys::building::page::SurveyForBuilder::PATH))
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(!api.status().is_success());
    let home = app.get(&client, "/staff").await.text().await.unwrap();
    assert!(!home.contains("Our youth club"), "not even listed");
    let (status,): (String,) =
        sqlx::query_as(&format!("SELECT status FROM surveys WHERE id = {id}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "open");
    let _ = slug;

    // The same requests from a youth worker of the survey's organisation succeed.
    let owner = app.signed_in(Role::YouthWorker, Some(theirs), &[]).await;
    for page in ["", "/results", "/preview"] {
        assert_eq!(
            app.status(&owner, &format!("/staff/surveys/{id}{page}"))
                .await,
            200,
            "{page}"
        );
    }
    assert_eq!(
        listed_titles(&app.get(&owner, "/staff").await.text().await.unwrap()),
        vec!["Our youth club".to_string()]
    );
    for (path, fn_name) in [
        (
            app::surveys::results::page::LoadResults::PATH,
            "LoadResults",
        ),
        (
            app::surveys::building::page::SurveyForBuilder::PATH,
            "SurveyForBuilder",
        ),
    ] {
        let api = owner
            .post(app.url(path))
            .form(&[("id", id.to_string())])
            .send()
            .await
            .unwrap();
        assert!(api.status().is_success(), "{fn_name}");
        assert!(
            api.text().await.unwrap().contains("Which night"),
            "{fn_name}"
        );
    }
    let res = app
        .post(
            &owner,
            &format!("/staff/surveys/{id}"),
            &[("action", "details"), ("title", "Renamed")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post(
            &owner,
            &format!("/staff/surveys/{id}"),
            &[("action", "status"), ("to", "closed")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = app
        .post(
            &client,
            "/staff/surveys",
            &[("title", "Mine"), ("organisation_id", &mine.to_string())],
        )
        .await;
    assert_eq!(
        res.status(),
        303,
        "creating in their own organisation is fine"
    );
}

async fn signed_out_callers_of_server_functions_are_refused(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let res = app
        .client()
        .post(app.url(app::surveys::results::page::LoadResults::PATH))
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(!res.status().is_success());
    assert!(res.text().await.unwrap().contains("NotSignedIn"));
    let res = app
        .client()
        .post(app.url("/staff/surveys"))
        .form(&[("title", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    // Signed in, the same calls succeed.
    let signed_in = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = signed_in
        .post(app.url(app::surveys::results::page::LoadResults::PATH))
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    assert!(res.text().await.unwrap().contains("Which night"));
    let res = signed_in
        .post(app.url("/staff/surveys"))
        .form(&[("title", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
}

async fn safeguarding_leads_read_results_but_cannot_build(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let client = app.signed_in(Role::SafeguardingLead, Some(org), &[]).await;
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{id}/results"))
            .await,
        200
    );
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{id}")).await,
        404
    );
    assert_eq!(
        app.post(&client, "/staff/surveys", &[("title", "x")])
            .await
            .status(),
        403
    );
    // A youth worker of the same organisation may build.
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    assert_eq!(
        app.status(&worker, &format!("/staff/surveys/{id}")).await,
        200
    );
    assert_eq!(
        app.post(&worker, "/staff/surveys", &[("title", "x")])
            .await
            .status(),
        303
    );
}

async fn commissioners_see_surveys_in_their_areas_but_never_raw_results(store: Store) {
    let app = TestApp::spawn(store).await;
    let near = app
        .organisation("Birmingham Youth", Some("E08000025"))
        .await;
    let far = app.organisation("Leeds Youth", Some("E08000035")).await;
    let (near_id, _) = app.survey_with_every_kind(near, SurveyStatus::Open).await;
    let far_id = app::surveys::building::store::create(&app.db, far, "Leeds survey", None)
        .await
        .unwrap();
    let client = app
        .signed_in(Role::Commissioner, None, &["E08000025"])
        .await;
    let home = app.get(&client, "/staff").await.text().await.unwrap();
    assert_eq!(listed_titles(&home), vec!["Our youth club".to_string()]);
    assert!(!home.contains("Leeds survey"));
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{near_id}/results"))
            .await,
        404
    );
    assert_eq!(
        app.status(&client, &format!("/staff/surveys/{far_id}"))
            .await,
        404
    );
    // Each organisation's own staff do reach them.
    let near_worker = app.signed_in(Role::YouthWorker, Some(near), &[]).await;
    assert_eq!(
        app.status(&near_worker, &format!("/staff/surveys/{near_id}/results"))
            .await,
        200
    );
    let far_worker = app.signed_in(Role::YouthWorker, Some(far), &[]).await;
    assert_eq!(
        app.status(&far_worker, &format!("/staff/surveys/{far_id}"))
            .await,
        200
    );
}

async fn admins_edit_the_areas_list_and_retired_areas_are_not_accepted(store: Store) {
    let app = TestApp::spawn(store).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM areas").await,
        153,
        "England's upper-tier authorities"
    );
    let org = app.organisation("Org", None).await;
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    assert_eq!(
        app.post(
            &worker,
            "/staff/areas",
            &[("action", "retire"), ("code", "E08000025")]
        )
        .await
        .status(),
        403
    );
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    assert_eq!(app.status(&admin, "/staff/areas").await, 200);
    assert_eq!(
        app.post(
            &admin,
            "/staff/areas",
            &[
                ("action", "save"),
                ("code", "E06000099"),
                ("name", "New Unitary")
            ]
        )
        .await
        .status(),
        303
    );
    let res = app
        .post(
            &admin,
            "/staff/areas",
            &[
                ("action", "save"),
                ("code", "W06000001"),
                ("name", "Anglesey"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("E06, E08, E09 or E10"));
    assert_eq!(
        app.post(
            &admin,
            "/staff/areas",
            &[("action", "retire"), ("code", "E08000025")]
        )
        .await
        .status(),
        303
    );
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let page = Page::parse(
        &app.get(&app.client(), &format!("/s/{slug}"))
            .await
            .text()
            .await
            .unwrap(),
    );
    let areas = page.texts("select[name=about_area] option");
    assert!(
        areas.contains(&"New Unitary".to_string()) && !areas.contains(&"Birmingham".to_string()),
        "{areas:?}"
    );
    assert!(
        areas.contains(&"Coventry".to_string()),
        "others still offered"
    );
    let res = app
        .post(
            &app.client(),
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 422, "a retired area is no longer an answer");
    let mut new_area = full_answers(&q, &new_key());
    for (k, v) in new_area.iter_mut() {
        if k == "about_area" {
            *v = "E06000099".into();
        }
    }
    let res = app
        .post(&app.client(), &format!("/s/{slug}"), &as_refs(&new_area))
        .await;
    assert_eq!(res.status(), 303, "the new area is");
}

on_both_databases!(
    a_youth_worker_builds_opens_and_reads_the_results_of_a_survey,
    builder_mistakes_are_explained_and_keep_what_was_typed,
    an_open_survey_refuses_changes_that_would_break_answers_and_says_why,
    duplicating_makes_a_new_draft_with_the_same_questions,
    a_survey_with_no_questions_cannot_open,
    a_youth_worker_cannot_read_or_change_another_organisations_survey,
    signed_out_callers_of_server_functions_are_refused,
    safeguarding_leads_read_results_but_cannot_build,
    commissioners_see_surveys_in_their_areas_but_never_raw_results,
    admins_edit_the_areas_list_and_retired_areas_are_not_accepted,
);
