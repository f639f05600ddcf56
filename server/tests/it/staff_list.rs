//! The staff home lists only what each person may see, asked of the database
//! page by page, so it holds at thousands of surveys.

use crate::common::{Store, TestApp};
use app::accounts::Role;
use app::surveys::building::store as surveys;

fn titles(page: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(page);
    let sel = scraper::Selector::parse("ul.cards li.card h3").unwrap();
    doc.select(&sel)
        .map(|h| h.text().collect::<String>().trim().to_string())
        .collect()
}

async fn each_role_lists_exactly_the_surveys_it_may_see(store: Store) {
    let app = TestApp::spawn(store).await;
    let north = app.organisation("North", Some("E08000025")).await;
    let south = app.organisation("South", Some("E09000001")).await;
    let nowhere = app.organisation("Nowhere", None).await;
    for (org, title) in [
        (north, "North survey"),
        (south, "South survey"),
        (nowhere, "Unplaced survey"),
    ] {
        surveys::create(&app.db, org, title, None).await.unwrap();
    }
    // (role, organisation, areas, the surveys they should see)
    type Case<'a> = (Role, Option<i64>, &'a [&'a str], &'a [&'a str]);
    let cases: [Case; 5] = [
        (
            Role::Admin,
            None,
            &[],
            &["North survey", "South survey", "Unplaced survey"],
        ),
        (Role::YouthWorker, Some(north), &[], &["North survey"]),
        (Role::SafeguardingLead, Some(south), &[], &["South survey"]),
        (Role::OrgAdmin, Some(nowhere), &[], &["Unplaced survey"]),
        (Role::Commissioner, None, &["E08000025"], &["North survey"]),
    ];
    for (role, org, areas, expected) in cases {
        let client = app.signed_in(role, org, areas).await;
        let page = app.get(&client, "/staff").await.text().await.unwrap();
        let mut seen = titles(&page);
        seen.sort();
        assert_eq!(seen, expected, "{role:?}");
    }
}

async fn a_long_list_comes_in_pages_with_links_between_them(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Busy", None).await;
    for i in 0..120 {
        surveys::create(&app.db, org, &format!("Survey {i:03}"), None)
            .await
            .unwrap();
    }
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let first = app.get(&client, "/staff").await.text().await.unwrap();
    assert_eq!(titles(&first).len(), 50);
    assert!(first.contains("href=\"/staff?page=1\""), "a next page");
    let last = app
        .get(&client, "/staff?page=2")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(titles(&last).len(), 20);
    assert!(!last.contains("page=3"), "no page after the last");
    assert!(last.contains("href=\"/staff?page=1\""), "a way back");
    let mut all: Vec<String> = Vec::new();
    for p in 0..3 {
        let page = app
            .get(&client, &format!("/staff?page={p}"))
            .await
            .text()
            .await
            .unwrap();
        all.extend(titles(&page));
    }
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 120, "every survey once");
}

on_both_databases!(
    each_role_lists_exactly_the_surveys_it_may_see,
    a_long_list_comes_in_pages_with_links_between_them,
);
