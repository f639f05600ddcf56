//! Organisations: administrators add them and say which area each works in,
//! which decides the commissioners who see them.

use crate::common::{listed_titles, Page, Store, TestApp};
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

/// The card listing organisation `name` on the organisations page, as a page of its own.
async fn listed_card(app: &TestApp, admin: &reqwest::Client, name: &str) -> Page {
    let html = app
        .get(admin, "/staff/organisations")
        .await
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let card = scraper::Selector::parse("main ul.cards li.card").unwrap();
    let h3 = scraper::Selector::parse("h3").unwrap();
    let found: Vec<String> = doc
        .select(&card)
        .filter(|c| {
            c.select(&h3)
                .any(|h| h.text().collect::<String>().trim() == name)
        })
        .map(|c| c.html())
        .collect();
    assert_eq!(found.len(), 1, "one card for {name}");
    Page::parse(&found[0])
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
    // The add form offers every kind too: read the organisation's own card.
    let card = listed_card(&app, &admin, "Riverside Youth Club").await;
    assert_eq!(card.texts("p.meta"), vec!["Charity or community group"]);
    assert!(
        card.texts("p").iter().any(|p| p.starts_with("No area yet")),
        "{:?}",
        card.texts("p")
    );

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
                .map(|page| listed_titles(&page).contains(&"Riverside plans".to_string()))
                .unwrap()
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
    let card = listed_card(&app, &admin, "Riverside Youth Club").await;
    assert!(
        card.texts("p")
            .iter()
            .any(|p| p.starts_with("Works in Birmingham")),
        "{:?}",
        card.texts("p")
    );
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
    let page = Page::parse(&res.text().await.unwrap());
    for (field, message) in [
        (
            "name",
            "Give the organisation a name of up to 120 characters.",
        ),
        ("kind", "Choose what kind of organisation it is."),
        ("area", "Choose an area from the list, or none."),
    ] {
        assert_eq!(
            page.one(&format!("#organisation-{field}-error")).text,
            message
        );
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
    let page = Page::parse(&res.text().await.unwrap());
    assert!(page
        .main_text()
        .contains("There is already an organisation called Northfield Youth Service."));
    assert_eq!(
        page.one("form input[name=name]").attr("value"),
        Some("Northfield Youth Service"),
        "what was typed is kept"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations").await,
        before
    );
    let res = app
        .post(
            &admin,
            "/staff/organisations",
            &[
                ("action", "add"),
                ("name", "Southfield Youth Service"),
                ("kind", "youth_service"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "a new name is added");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations").await,
        before + 1
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
    assert_eq!(
        set_area(&app, &admin, &id, "E08000025").await,
        303,
        "an English area is fine"
    );
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
    assert_eq!(
        set_area(&app, &admin, &id, "").await,
        303,
        "an organisation that exists"
    );
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
    // The same page and form from an administrator.
    assert_eq!(app.status(&admin, "/staff/organisations").await, 200);
    assert_eq!(set_area(&app, &admin, &id, "E08000025").await, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations WHERE area_code IS NOT NULL")
            .await,
        1
    );
}

on_both_databases!(
    an_organisations_area_decides_which_commissioners_see_it,
    mistakes_are_named_and_nothing_is_added,
    only_administrators_manage_organisations,
);
