//! Team: organisation administrators add colleagues with one-time passwords,
//! give out new ones, and remove or give back access, within their reach only.

use crate::common::{Page, Store, TestApp};
use app::accounts::Role;
use leptos::server_fn::ServerFn;

/// Signs in from a new phone; returns it and the status of the attempt.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> (reqwest::Client, u16) {
    let client = app.client();
    let res = app
        .post(
            &client,
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await;
    (client, res.status().as_u16())
}

/// The one-time password shown on a page, and that it is shown once only.
fn one_time_password(page: &str) -> String {
    Page::parse(page).one("main code").text
}

async fn id_of(app: &TestApp, email: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    id.to_string()
}

async fn a_new_colleague_gets_a_one_time_password_to_replace_at_first_sign_in(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Northfield", None).await;
    let lead = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    assert_eq!(app.status(&lead, "/staff/team").await, 200);

    let res = app
        .post(
            &lead,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", " Sam@Northfield.example "),
                ("role", "youth_worker"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = res.text().await.unwrap();
    assert!(Page::parse(&page)
        .main_text()
        .contains("One-time password for sam@northfield.example"));
    let given = one_time_password(&page);
    assert_eq!(given.len(), 20);
    assert!(
        !app.get(&lead, "/staff/team")
            .await
            .text()
            .await
            .unwrap()
            .contains(&given),
        "shown once, never again"
    );
    let (role, org_of, must_change): (String, Option<i64>, i64) = sqlx::query_as(
        "SELECT role, organisation_id, must_change_password FROM users WHERE email = 'sam@northfield.example'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), org_of, must_change),
        ("youth_worker", Some(org), 1)
    );

    let (sam, status) = sign_in(&app, "sam@northfield.example", &given).await;
    assert_eq!(status, 303);
    let res = app.get(&sam, "/staff").await;
    assert_eq!(
        res.headers()["location"],
        "/staff/password",
        "must choose their own first"
    );
}

async fn mistakes_are_named_and_nothing_is_added(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Northfield", None).await;
    let lead = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    let before = app.count("SELECT COUNT(*) FROM users").await;

    let res = app
        .post(
            &lead,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", "sam at northfield"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert_eq!(
        page.one("#team-email-error").text,
        "Enter an email address like name@example.org."
    );
    assert_eq!(
        page.one("#team-role-error").text,
        "Choose what they will do.",
        "org admins can't make admins"
    );
    assert_eq!(
        page.one("form input[name=email]").attr("value"),
        Some("sam at northfield"),
        "what was typed is kept"
    );
    assert!(
        page.has("main a[href=\"#team-email\"]") && page.has("input#team-email"),
        "the summary links to the field"
    );

    let (existing, _) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .post(
            &lead,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", &existing),
                ("role", "youth_worker"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(Page::parse(&res.text().await.unwrap())
        .main_text()
        .contains(&format!("There is already an account for {existing}.")));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, before + 1);
    let res = app
        .post(
            &lead,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", "sam@northfield.example"),
                ("role", "youth_worker"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "a new address and a role they may give");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, before + 2);
}

async fn removing_access_ends_sessions_at_once_and_it_can_be_given_back(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Northfield", None).await;
    let lead = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let (worker, status) = sign_in(&app, &email, &pw).await;
    assert_eq!(status, 303);
    let id = id_of(&app, &email).await;

    let res = app
        .post(
            &lead,
            "/staff/team",
            &[("action", "remove"), ("user_id", &id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.get(&worker, "/staff").await.headers()["location"],
        "/sign-in?next=%2Fstaff",
        "their open session ended"
    );
    assert_eq!(
        sign_in(&app, &email, &pw).await.1,
        401,
        "and they can't sign in"
    );
    let page = Page::parse(&app.get(&lead, "/staff/team").await.text().await.unwrap());
    assert!(page
        .texts("main li.card p")
        .contains(&"Access removed".to_string()));

    let res = app
        .post(
            &lead,
            "/staff/team",
            &[("action", "restore"), ("user_id", &id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(sign_in(&app, &email, &pw).await.1, 303);
}

async fn a_forgotten_password_is_replaced_by_a_new_one_time_one(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Northfield", None).await;
    let lead = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    // A youth worker's: only administrators reset leads' and organisation
    // admins' passwords (see hardening.rs).
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let (old_phone, _) = sign_in(&app, &email, &pw).await;
    let id = id_of(&app, &email).await;

    let res = app
        .post(
            &lead,
            "/staff/team",
            &[("action", "reset"), ("user_id", &id)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let given = one_time_password(&res.text().await.unwrap());
    assert_eq!(
        app.status(&old_phone, "/staff").await,
        303,
        "old sessions end"
    );
    assert_eq!(
        sign_in(&app, &email, &pw).await.1,
        401,
        "the old password is gone"
    );
    let (phone, status) = sign_in(&app, &email, &given).await;
    assert_eq!(status, 303);
    assert_eq!(
        app.get(&phone, "/staff").await.headers()["location"],
        "/staff/password"
    );
}

async fn nobody_reaches_beyond_their_own_team(store: Store) {
    let app = TestApp::spawn(store).await;
    let north = app.organisation("Northfield", None).await;
    let south = app.organisation("Southfield", None).await;
    let (lead_email, lead_pw) = app.staff(Role::OrgAdmin, Some(north), &[]).await;
    let (lead, _) = sign_in(&app, &lead_email, &lead_pw).await;
    let (other, _) = app.staff(Role::YouthWorker, Some(south), &[]).await;
    let (admin, _) = app.staff(Role::Admin, None, &[]).await;
    let other_id = id_of(&app, &other).await;
    let admin_id = id_of(&app, &admin).await;
    let own_id = id_of(&app, &lead_email).await;
    let (colleague, _) = app.staff(Role::YouthWorker, Some(north), &[]).await;
    let colleague_id = id_of(&app, &colleague).await;

    for (id, action) in [
        (&other_id, "remove"),
        (&other_id, "reset"),
        (&admin_id, "remove"),
    ] {
        let res = app
            .post(&lead, "/staff/team", &[("action", action), ("user_id", id)])
            .await;
        assert_eq!(res.status(), 404, "{action} {id}");
    }
    let page = app.get(&lead, "/staff/team").await.text().await.unwrap();
    assert!(
        !page.contains(&other),
        "another organisation's staff are not listed"
    );
    let members = Page::parse(&page).texts("main h3.member-email");
    assert!(members.contains(&colleague), "their own are: {members:?}");

    let res = app
        .post(
            &lead,
            "/staff/team",
            &[("action", "remove"), ("user_id", &own_id)],
        )
        .await;
    assert_eq!(res.status(), 422, "nobody locks themselves out");
    assert_eq!(sign_in(&app, &other, "a long enough password").await.1, 303);
    // The same forms for someone in their own team.
    let res = app
        .post(
            &lead,
            "/staff/team",
            &[("action", "reset"), ("user_id", &colleague_id)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post(
            &lead,
            "/staff/team",
            &[("action", "remove"), ("user_id", &colleague_id)],
        )
        .await;
    assert_eq!(res.status(), 303);

    let worker = app.signed_in(Role::YouthWorker, Some(north), &[]).await;
    assert_eq!(app.status(&worker, "/staff/team").await, 403);
    assert_eq!(app.status(&lead, "/staff/team").await, 200);
    let home = |client: reqwest::Client| {
        let url = app.url("/staff");
        async move {
            let html = client.get(url).send().await.unwrap().text().await.unwrap();
            Page::parse(&html).has("a[href=\"/staff/team\"]")
        }
    };
    assert!(
        home(lead.clone()).await,
        "Team is offered to those who manage one"
    );
    assert!(!home(worker.clone()).await, "and only to them");
    let res = app
        .post(
            &worker,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", "x@y.example"),
                ("role", "youth_worker"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // The server function checks too, called directly.
    let api = |client: reqwest::Client| {
        let url = app.url(app::team::LoadTeam::PATH);
        async move { client.post(url).send().await.unwrap() }
    };
    let res = api(lead.clone()).await;
    assert!(res.status().is_success());
    assert!(res.text().await.unwrap().contains(&lead_email));
    let res = api(worker.clone()).await;
    assert!(!res.status().is_success());
    assert!(!res.text().await.unwrap().contains(&lead_email));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'x@y.example'")
            .await,
        0
    );
    let res = app
        .post(
            &lead,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", "x@y.example"),
                ("role", "youth_worker"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "the lead may add them");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'x@y.example'")
            .await,
        1
    );
}

async fn administrators_add_commissioners_for_an_area(store: Store) {
    let app = TestApp::spawn(store).await;
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    let res = app
        .post(
            &admin,
            "/staff/team",
            &[
                ("action", "add"),
                ("email", "c@commissioner.example"),
                ("role", "commissioner"),
                ("organisation_id", ""),
                ("area", "E08000025"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let given = one_time_password(&res.text().await.unwrap());
    let (area,): (String,) = sqlx::query_as(
        "SELECT a.area_code FROM user_areas a JOIN users u ON u.id = a.user_id WHERE u.email = 'c@commissioner.example'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(area, "E08000025");
    assert_eq!(sign_in(&app, "c@commissioner.example", &given).await.1, 303);
}

on_both_databases!(
    a_new_colleague_gets_a_one_time_password_to_replace_at_first_sign_in,
    mistakes_are_named_and_nothing_is_added,
    removing_access_ends_sessions_at_once_and_it_can_be_given_back,
    a_forgotten_password_is_replaced_by_a_new_one_time_one,
    nobody_reaches_beyond_their_own_team,
    administrators_add_commissioners_for_an_area,
);
