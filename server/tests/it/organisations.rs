//! Organisations: administrators add them and say which area each works in,
//! which decides the commissioners who see them.

use crate::common::{Store, TestApp};
use app::accounts::Role;
use leptos::server_fn::ServerFn;

async fn id_of(app: &TestApp, name: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    id.to_string()
}

async fn set_area(app: &TestApp, admin: &reqwest::Client, id: &str, area: &str) -> u16 {
    app.post(
        admin,
        "/staff/organisations",
        &[("action", "area"), ("organisation_id", id), ("area", area)],
    )
    .await
    .status()
    .as_u16()
}

async fn an_organisations_area_decides_which_commissioners_see_it(store: Store) {
    let app = TestApp::spawn(store).await;
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    let res = app
        .post(
            &admin,
            "/staff/organisations",
            &[
                ("action", "add"),
                ("name", " Riverside Youth Club "),
                ("kind", "charity"),
                ("area", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = app
        .get(&admin, "/staff/organisations")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Riverside Youth Club") && page.contains("Charity or community group"));
    assert!(page.contains("No area yet"));

    let org: i64 = id_of(&app, "Riverside Youth Club").await.parse().unwrap();
    app::surveys::building::store::create(&app.db, org, "Riverside plans", None)
        .await
        .unwrap();
    let commissioner = app
        .signed_in(Role::Commissioner, None, &["E08000025"])
        .await;
    let sees = |client: reqwest::Client| {
        let url = app.url("/staff");
        async move {
            client
                .get(url)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("Riverside plans")
        }
    };
    assert!(
        !sees(commissioner.clone()).await,
        "no area: no commissioner"
    );

    let id = org.to_string();
    assert_eq!(set_area(&app, &admin, &id, "E08000025").await, 303);
    assert!(
        sees(commissioner.clone()).await,
        "now Birmingham's commissioner sees it"
    );
    assert!(app
        .get(&admin, "/staff/organisations")
        .await
        .text()
        .await
        .unwrap()
        .contains("Works in Birmingham"));
    assert_eq!(set_area(&app, &admin, &id, "E08000026").await, 303);
    assert!(!sees(commissioner).await, "moved to Coventry");
}

async fn mistakes_are_named_and_nothing_is_added(store: Store) {
    let app = TestApp::spawn(store).await;
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    app.organisation("Northfield Youth Service", None).await;
    let before = app.count("SELECT COUNT(*) FROM organisations").await;
    let res = app
        .post(
            &admin,
            "/staff/organisations",
            &[
                ("action", "add"),
                ("name", ""),
                ("kind", "pirates"),
                ("area", "E99999999"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    for message in [
        "Give the organisation a name of up to 120 characters.",
        "Choose what kind of organisation it is.",
        "Choose an area from the list, or none.",
    ] {
        assert!(page.contains(message), "{message}");
    }
    let res = app
        .post(
            &admin,
            "/staff/organisations",
            &[
                ("action", "add"),
                ("name", "Northfield Youth Service"),
                ("kind", "youth_service"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("There is already an organisation called Northfield Youth Service."));
    assert!(
        page.contains(r#"value="Northfield Youth Service""#),
        "what was typed is kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations").await,
        before
    );

    let id = id_of(&app, "Northfield Youth Service").await;
    let res = app
        .post(
            &admin,
            "/staff/organisations",
            &[
                ("action", "area"),
                ("organisation_id", &id),
                ("area", "W06000001"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .post(
            &admin,
            "/staff/organisations",
            &[
                ("action", "area"),
                ("organisation_id", "999999"),
                ("area", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 404);
}

async fn only_administrators_manage_organisations(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Northfield Youth Service", None).await;
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    let id = org.to_string();
    for role in [Role::OrgAdmin, Role::YouthWorker, Role::Commissioner] {
        let client = app.signed_in(role, Some(org), &["E08000025"]).await;
        assert_eq!(
            app.status(&client, "/staff/organisations").await,
            403,
            "{role:?}"
        );
        let res = app
            .post(
                &client,
                "/staff/organisations",
                &[
                    ("action", "area"),
                    ("organisation_id", &id),
                    ("area", "E08000025"),
                ],
            )
            .await;
        assert_eq!(res.status(), 403, "{role:?}");
        let api = client
            .post(app.url(app::organisations::LoadOrganisations::PATH))
            .send()
            .await
            .unwrap();
        assert!(!api.status().is_success(), "{role:?}");
    }
    let api = admin
        .post(app.url(app::organisations::LoadOrganisations::PATH))
        .send()
        .await
        .unwrap();
    assert!(api.status().is_success());
    assert!(api
        .text()
        .await
        .unwrap()
        .contains("Northfield Youth Service"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations WHERE area_code IS NOT NULL")
            .await,
        0
    );
}

on_both_databases!(
    an_organisations_area_decides_which_commissioners_see_it,
    mistakes_are_named_and_nothing_is_added,
    only_administrators_manage_organisations,
);
