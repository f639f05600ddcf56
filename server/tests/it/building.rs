//! Staff building surveys, and who may see and change what.

use crate::common::{as_refs, full_answers, new_key, Store, TestApp};
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
    let page = app.get(&client, &location).await.text().await.unwrap();
    assert!(page.contains("Put these trips in order") && page.contains("Open survey"));
    let preview = app.get(&client, &format!("{location}/preview")).await;
    assert_eq!(preview.status(), 200);
    assert!(preview.text().await.unwrap().contains("Preview"));

    assert_eq!(
        app.post(&client, &location, &[("action", "status"), ("to", "open")])
            .await
            .status(),
        303
    );
    let open = app.get(&client, &location).await.text().await.unwrap();
    let slug = open
        .split("href=\"/s/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(
        open.contains(&format!("{}/s/{slug}", app.base)),
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
    assert!(
        html.contains("3 responses. The last came in"),
        "count and time of the last response"
    );
    assert!(
        html.contains("<svg") && html.contains("role=\"img\"") && html.contains("<table"),
        "charts with tables"
    );
    assert!(
        html.contains("<td>3</td><td>100%</td>"),
        "counts and percentages"
    );
    assert!(
        html.contains("More trips\nand later opening"),
        "free text listed"
    );
    assert!(html.contains("Birmingham"), "areas by name");
}

async fn builder_mistakes_are_explained_and_keep_what_was_typed(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .post(&client, "/staff/surveys", &[("title", "   ")])
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Give the survey a title."));
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
    let html = res.text().await.unwrap();
    assert!(html.contains("Give at least two options, one per line."));
    assert!(
        html.contains("value=\"Favourite snack?\""),
        "the question typed is kept"
    );
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
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Enter the closing date as a date"));
    let res = app
        .post(
            &client,
            "/staff/surveys/999999",
            &[("action", "details"), ("title", "x")],
        )
        .await;
    assert_eq!(res.status(), 404);
}

async fn an_open_survey_refuses_changes_that_would_break_answers_and_says_why(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let path = format!("/staff/surveys/{id}");
    let res = app
        .post(
            &client,
            &path,
            &[
                ("action", "add_question"),
                ("kind", "yes_no"),
                ("prompt", "New?"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "no new questions once open");
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
    let html = res.text().await.unwrap();
    assert!(
        html.contains("can't be added, removed or changed in type"),
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
    assert!(res
        .text()
        .await
        .unwrap()
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
    let page = app
        .get(&client, &format!("/staff/surveys/{new_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Our youth club (copy)") && page.contains("Draft"));
    let res = app
        .post(
            &client,
            &format!("/staff/surveys/{new_id}"),
            &[("action", "status"), ("to", "closed")],
        )
        .await;
    assert_eq!(res.status(), 422, "a draft can't jump to closed");
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
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Add at least one question before opening the survey."));
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
    assert!(home.contains("Our youth club") && !home.contains("Leeds survey"));
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
    let page = app
        .get(&app.client(), &format!("/s/{slug}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("New Unitary") && !page.contains(">Birmingham<"));
    let res = app
        .post(
            &app.client(),
            &format!("/s/{slug}"),
            &as_refs(&full_answers(&q, &new_key())),
        )
        .await;
    assert_eq!(res.status(), 422, "a retired area is no longer an answer");
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
