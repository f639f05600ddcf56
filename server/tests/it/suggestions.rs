//! Suggestions and "you said, we did": private links, moderation states,
//! supports once a phone, merges, status notes, replies where they belong,
//! the home page, and who may do what across organisations and areas. Both
//! databases, real HTTP.

use crate::common::{new_key, Page, Store, TestApp};
use app::accounts::Role;

const AREA: &str = "E08000025";
const OTHER_AREA: &str = "E09000001";

struct Town {
    app: TestApp,
    org: i64,
}

async fn town(store: Store) -> Town {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some(AREA))
        .await;
    Town { app, org }
}

fn idea(title: &str, description: &str, key: &str) -> Vec<(String, String)> {
    [
        ("title", title),
        ("description", description),
        ("category", "sport"),
        ("area", AREA),
        ("outcome", "healthy"),
        ("submission_key", key),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

impl Town {
    async fn suggest(
        &self,
        phone: &reqwest::Client,
        form: &[(String, String)],
    ) -> reqwest::Response {
        phone
            .post(self.app.url("/ideas"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Sends an idea and returns its private link's path and public reference.
    async fn sent(&self, title: &str, description: &str) -> (String, String) {
        let res = self
            .suggest(&self.app.client(), &idea(title, description, &new_key()))
            .await;
        assert_eq!(res.status(), 200);
        let page = Page::parse(&res.text().await.unwrap());
        let link = page.one("#my-link").attr("value").unwrap().to_string();
        let path = link[link.find("/my/").unwrap()..].to_string();
        let (r,): (String,) = sqlx::query_as("SELECT public_ref FROM suggestions WHERE title = $1")
            .bind(title)
            .fetch_one(self.app.db.pool())
            .await
            .unwrap();
        (path, r)
    }

    async fn html(&self, client: &reqwest::Client, path: &str) -> Page {
        let res = self.app.get(client, path).await;
        assert_eq!(res.status(), 200, "{path}");
        Page::parse(&res.text().await.unwrap())
    }

    async fn moderate(&self, worker: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
        self.app.post(worker, "/staff/suggestions", form).await
    }
}

async fn a_young_person_keeps_a_private_link_and_sees_their_idea_approved_and_answered(
    store: Store,
) {
    let t = town(store).await;
    let phone = t.app.client();
    let key = new_key();
    let form = idea(
        "A skate park",
        "Near the library. Text me on 07700 900123",
        &key,
    );
    let res = t.suggest(&phone, &form).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = Page::parse(&res.text().await.unwrap());
    let link = page.one("#my-link").attr("value").unwrap().to_string();
    assert!(
        link.starts_with("http://") && link.contains("/my/"),
        "{link}"
    );
    let path = link[link.find("/my/").unwrap()..].to_string();
    assert!(
        page.has(&format!("a[href=\"{path}/save\"][download]")),
        "a way to keep it"
    );
    // A retry of the same form: stored once, the same link.
    let again = Page::parse(&t.suggest(&phone, &form).await.text().await.unwrap());
    assert_eq!(again.one("#my-link").attr("value"), Some(link.as_str()));
    assert_eq!(t.app.count("SELECT COUNT(*) FROM suggestions").await, 1);
    // The same form's key with other words (a shared phone): told, kept,
    // with a fresh key; the first idea's link is never shown.
    let other = idea("Boxing club", "Tuesdays", &key);
    let res = t.suggest(&t.app.client(), &other).await;
    assert_eq!(res.status(), 409);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(!page.has("#my-link"));
    assert_eq!(page.one("#idea-title").attr("value"), Some("Boxing club"));
    assert_ne!(
        page.one("input[name=submission_key]").attr("value"),
        Some(key.as_str())
    );
    assert_eq!(t.app.count("SELECT COUNT(*) FROM suggestions").await, 1);
    // Neither the key nor the link's code is stored, only keyed digests.
    let (stored_key,): (String,) = sqlx::query_as("SELECT submission_key FROM suggestions")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_ne!(stored_key, key);
    assert!(!path.contains(&stored_key));
    // Only the private link shows it while it waits.
    let (r,): (String,) = sqlx::query_as("SELECT public_ref FROM suggestions")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        t.app.status(&t.app.client(), &format!("/ideas/{r}")).await,
        404
    );
    assert!(t
        .html(&t.app.client(), "/ideas")
        .await
        .texts(".cards h3")
        .is_empty());
    let mine = t.html(&t.app.client(), &path).await;
    assert!(mine.main_text().contains("Waiting to be checked"));
    assert!(
        !mine.main_text().contains("07700"),
        "redacted even for its author's link"
    );
    // The file to keep.
    let file = t.app.get(&t.app.client(), &format!("{path}/save")).await;
    assert_eq!(file.status(), 200);
    assert!(file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(file.text().await.unwrap().contains(&link));
    // A made-up code finds nothing.
    assert_eq!(
        t.app
            .status(&t.app.client(), &format!("/my/{}", new_key()))
            .await,
        404
    );
    // Approved by a youth worker of the area's organisation: public, redacted.
    let worker = t.app.signed_in(Role::YouthWorker, Some(t.org), &[]).await;
    let queue = t.html(&worker, "/staff/suggestions").await;
    assert_eq!(queue.texts(".queue h2"), vec!["A skate park"]);
    assert_eq!(
        t.moderate(&worker, &[("action", "approve"), ("idea", &r)])
            .await
            .status(),
        303
    );
    let public = t.html(&t.app.client(), &format!("/ideas/{r}")).await;
    assert!(public
        .main_text()
        .contains("Near the library. Text me on [phone number removed]"));
    assert_eq!(
        t.html(&t.app.client(), "/ideas").await.texts(".cards h3"),
        vec!["A skate park"]
    );
    assert!(t
        .html(&t.app.client(), &path)
        .await
        .main_text()
        .contains("Checked and public"));
    // Where it stands, with a public note.
    let res = t
        .moderate(
            &worker,
            &[
                ("action", "status"),
                ("idea", &r),
                ("from", "new"),
                ("status", "planned"),
                ("note", "The council has found a site."),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let stale = t
        .moderate(
            &worker,
            &[
                ("action", "status"),
                ("idea", &r),
                ("from", "new"),
                ("status", "happening"),
                ("note", "Open!"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409, "a page from before the change");
    let mine = t.html(&t.app.client(), &path).await;
    assert!(
        mine.main_text().contains("Planned")
            && mine.main_text().contains("The council has found a site.")
    );
    // A reply linked to it reaches the private link too.
    let manager = t.app.signed_in(Role::OrgAdmin, Some(t.org), &[]).await;
    let (sid,): (i64,) = sqlx::query_as("SELECT id FROM suggestions")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let link_value = format!("suggestion:{sid}");
    let res = t
        .app
        .post(
            &manager,
            "/staff/replies",
            &[
                ("action", "publish"),
                ("said", "You want a skate park."),
                ("did", "We found a site.\n\n- ramps\n- a bowl"),
                ("when", "Spring 2027"),
                ("links", &link_value),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let mine = t.html(&t.app.client(), &path).await;
    assert!(
        mine.main_text().contains("You want a skate park."),
        "{}",
        mine.main_text()
    );
    assert_eq!(mine.texts(".reply .did li"), vec!["ramps", "a bowl"]);
}

async fn supports_count_once_a_phone_and_carry_over_when_ideas_are_joined(store: Store) {
    let t = town(store).await;
    let (_, first) = t.sent("Football on Fridays", "").await;
    let (_, second) = t.sent("Friday football", "").await;
    let worker = t.app.signed_in(Role::YouthWorker, Some(t.org), &[]).await;
    for r in [&first, &second] {
        assert_eq!(
            t.moderate(&worker, &[("action", "approve"), ("idea", r)])
                .await
                .status(),
            303
        );
    }
    let supports = |r: String| {
        let db = t.app.db.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as("SELECT supports FROM suggestions WHERE public_ref = $1")
                    .bind(r)
                    .fetch_one(db.pool())
                    .await
                    .unwrap();
            n
        }
    };
    let phone = t.app.client();
    // The second tap lands on the idea, which says the phone supports it.
    for thanks in ["?supported=1", ""] {
        let res = t
            .app
            .post(&phone, &format!("/ideas/{first}/support"), &[])
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/ideas/{first}{thanks}"));
    }
    assert_eq!(supports(first.clone()).await, 1, "once a phone");
    assert!(t
        .html(&phone, &format!("/ideas/{first}"))
        .await
        .main_text()
        .contains("You support this idea"));
    assert_eq!(
        t.app
            .post(&t.app.client(), &format!("/ideas/{first}/support"), &[])
            .await
            .status(),
        303
    );
    let second_phone = t.app.client();
    assert_eq!(
        t.app
            .post(&second_phone, &format!("/ideas/{second}/support"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(supports(first.clone()).await, 2);
    // Joined: the second's supporter and its author count for the first.
    let res = t
        .moderate(
            &worker,
            &[("action", "merge"), ("idea", &second), ("into", &first)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(supports(first.clone()).await, 4);
    let gone = t.html(&t.app.client(), &format!("/ideas/{second}")).await;
    assert!(gone.main_text().contains("joined with a similar one"));
    assert!(
        !gone.main_text().contains("Friday football"),
        "a joined idea's own words stay private"
    );
    // The phone that supported the joined one counts once for both.
    let res = t
        .app
        .post(&second_phone, &format!("/ideas/{first}/support"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(supports(first.clone()).await, 4);
    assert!(t
        .html(&second_phone, &format!("/ideas/{first}"))
        .await
        .main_text()
        .contains("You support this idea"));
    assert!(gone.has(&format!("a[href=\"/ideas/{first}\"]")));
    assert_eq!(
        t.html(&t.app.client(), "/ideas").await.texts(".cards h3"),
        vec!["Football on Fridays"]
    );
    // Joined again (the first into a third): the second's phone still
    // counts once, and the second points at the third.
    let (_, third) = t.sent("Five-a-side league", "").await;
    assert_eq!(
        t.moderate(&worker, &[("action", "approve"), ("idea", &third)])
            .await
            .status(),
        303
    );
    let res = t
        .moderate(
            &worker,
            &[("action", "merge"), ("idea", &first), ("into", &third)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        supports(third.clone()).await,
        5,
        "4 carried over and the first's author"
    );
    assert_eq!(
        t.app
            .post(&second_phone, &format!("/ideas/{third}/support"), &[])
            .await
            .status(),
        303
    );
    assert_eq!(supports(third.clone()).await, 5);
    let gone = t.html(&t.app.client(), &format!("/ideas/{second}")).await;
    assert!(gone.has(&format!("a[href=\"/ideas/{third}\"]")));
    // A waiting idea can't be supported.
    let (_, waiting) = t.sent("Climbing wall", "").await;
    assert_eq!(
        t.app
            .post(&t.app.client(), &format!("/ideas/{waiting}/support"), &[])
            .await
            .status(),
        404
    );
}

async fn a_rejection_reaches_the_young_person_with_a_kind_reason(store: Store) {
    let t = town(store).await;
    let (path, r) = t.sent("Paintball", "").await;
    let worker = t.app.signed_in(Role::YouthWorker, Some(t.org), &[]).await;
    let res = t
        .moderate(
            &worker,
            &[
                ("action", "reject"),
                ("idea", &r),
                ("reason_choice", "own"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "a reason is needed");
    let res = t
        .moderate(
            &worker,
            &[("action", "reject"), ("idea", &r), ("reason_choice", "1")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let mine = t.html(&t.app.client(), &path).await;
    assert!(mine.main_text().contains("Not taken forward"));
    assert!(mine
        .main_text()
        .contains(app::suggestions::REJECT_REASONS[1]));
    assert_eq!(
        t.app.status(&t.app.client(), &format!("/ideas/{r}")).await,
        404,
        "never public"
    );
    let again = t
        .moderate(&worker, &[("action", "approve"), ("idea", &r)])
        .await;
    assert_eq!(again.status(), 409, "already decided");
}

async fn only_youth_workers_of_the_areas_organisations_moderate(store: Store) {
    let t = town(store).await;
    let (_, r) = t.sent("Cooking club", "").await;
    let elsewhere = t
        .app
        .organisation("Elsewhere Youth", Some(OTHER_AREA))
        .await;
    let stranger = t
        .app
        .signed_in(Role::YouthWorker, Some(elsewhere), &[])
        .await;
    assert!(t
        .html(&stranger, "/staff/suggestions")
        .await
        .texts(".queue h2")
        .is_empty());
    assert_eq!(
        t.moderate(&stranger, &[("action", "approve"), ("idea", &r)])
            .await
            .status(),
        404
    );
    for role in [Role::SafeguardingLead, Role::Commissioner] {
        let c = t.app.signed_in(role, Some(t.org), &[AREA]).await;
        assert_eq!(
            t.moderate(&c, &[("action", "approve"), ("idea", &r)])
                .await
                .status(),
            403,
            "{role:?}"
        );
        assert_eq!(
            t.app.status(&c, "/staff/suggestions").await,
            403,
            "{role:?}"
        );
    }
    // A second organisation in the same area moderates too; so do administrators.
    let neighbour = t.app.organisation("Northfield Scouts", Some(AREA)).await;
    let neighbour = t
        .app
        .signed_in(Role::YouthWorker, Some(neighbour), &[])
        .await;
    assert_eq!(
        t.moderate(&neighbour, &[("action", "approve"), ("idea", &r)])
            .await
            .status(),
        303
    );
    let admin = t.app.signed_in(Role::Admin, None, &[]).await;
    assert_eq!(
        t.moderate(
            &admin,
            &[
                ("action", "status"),
                ("idea", &r),
                ("from", "new"),
                ("status", "looking"),
                ("note", "Asking the school")
            ]
        )
        .await
        .status(),
        303
    );
}

async fn words_that_suggest_a_risk_get_help_first_and_reach_the_lead_only(store: Store) {
    let t = town(store).await;
    t.app.staff(Role::SafeguardingLead, Some(t.org), &[]).await;
    let res = t
        .suggest(
            &t.app.client(),
            &idea(
                "Somewhere safe",
                "my stepdad hits me so somewhere to go at night",
                &new_key(),
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(page.has(".help-panel"), "help first");
    assert!(page.has("#my-link"), "and their link");
    let (items,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM safeguarding_items WHERE suggestion_id IS NOT NULL AND organisation_id = $1")
        .bind(t.org)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(items, 1);
    let worker = t.app.signed_in(Role::YouthWorker, Some(t.org), &[]).await;
    assert!(
        t.html(&worker, "/staff/suggestions")
            .await
            .texts(".queue h2")
            .is_empty(),
        "not in moderation"
    );
    let lead = t
        .app
        .signed_in(Role::SafeguardingLead, Some(t.org), &[])
        .await;
    let queue = t.html(&lead, "/staff/safeguarding").await;
    assert!(
        queue.main_text().contains("A suggestion for an activity"),
        "{}",
        queue.main_text()
    );
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM safeguarding_items")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let item = t.html(&lead, &format!("/staff/safeguarding/{id}")).await;
    assert!(item.main_text().contains("my stepdad hits me"));
}

async fn a_bad_suggestion_comes_back_with_every_word_kept(store: Store) {
    let t = town(store).await;
    let long = "x".repeat(81);
    let mut form = idea(&long, "keep these words", &new_key());
    form.retain(|(k, _)| k != "category");
    let res = t.suggest(&t.app.client(), &form).await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert_eq!(page.one("#idea-title").attr("value"), Some(long.as_str()));
    assert!(page.main_text().contains("keep these words"));
    assert!(page.main_text().contains("(it has 81)"));
    assert_eq!(t.app.count("SELECT COUNT(*) FROM suggestions").await, 0);
}

async fn replies_show_where_they_belong_cleaned_and_only_their_organisation_changes_them(
    store: Store,
) {
    let t = town(store).await;
    let service = app::services::store::create(
        &t.app.db,
        t.org,
        &app::services::ServiceFields {
            name: "Northfield Youth Club".into(),
            kind: Some(app::services::Kind::YouthService),
            area_code: AREA.into(),
            ..Default::default()
        },
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let manager = t.app.signed_in(Role::OrgAdmin, Some(t.org), &[]).await;
    let link = format!("service:{service}");
    let did = "<p onclick=\"x()\">We open on Fridays now.<script>alert(1)</script> <a href=\"javascript:alert(1)\">x</a></p>";
    let res = t
        .app
        .post(
            &manager,
            "/staff/replies",
            &[
                ("action", "publish"),
                ("said", "Open on Fridays"),
                ("did", did),
                ("when", "From January 2027"),
                ("links", &link),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (stored,): (String,) = sqlx::query_as("SELECT did_html FROM replies")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert!(
        !stored.contains("script") && !stored.contains("onclick") && !stored.contains("javascript"),
        "{stored}"
    );
    let slug: (String,) = sqlx::query_as("SELECT slug FROM services")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    for path in [
        format!("/services/{}", slug.0),
        format!("/you-said-we-did?organisation={}", t.org),
        format!("/you-said-we-did?area={AREA}"),
        "/you-said-we-did".into(),
    ] {
        let page = t.html(&t.app.client(), &path).await;
        assert_eq!(
            page.texts(".reply .said"),
            vec!["You said: Open on Fridays"],
            "{path}"
        );
        assert!(
            page.main_text().contains("We open on Fridays now."),
            "{path}"
        );
    }
    let other_area = t
        .html(
            &t.app.client(),
            &format!("/you-said-we-did?area={OTHER_AREA}"),
        )
        .await;
    assert!(other_area.texts(".reply").is_empty());
    // Another organisation: can't take it down, can't link to these services.
    let elsewhere = t
        .app
        .organisation("Elsewhere Youth", Some(OTHER_AREA))
        .await;
    let stranger = t.app.signed_in(Role::OrgAdmin, Some(elsewhere), &[]).await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM replies")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        t.app
            .post(
                &stranger,
                "/staff/replies",
                &[("action", "remove"), ("reply", &id.to_string())]
            )
            .await
            .status(),
        404
    );
    let res = t
        .app
        .post(
            &stranger,
            "/staff/replies",
            &[
                ("action", "publish"),
                ("said", "x"),
                ("did", "y"),
                ("when", "z"),
                ("links", &link),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        t.app
            .count(&format!(
                "SELECT COUNT(*) FROM reply_links WHERE target_id = {service}"
            ))
            .await,
        1,
        "only its own"
    );
    for role in [Role::SafeguardingLead, Role::Commissioner] {
        let c = t.app.signed_in(role, Some(t.org), &[AREA]).await;
        assert_eq!(
            t.app
                .post(
                    &c,
                    "/staff/replies",
                    &[
                        ("action", "publish"),
                        ("said", "x"),
                        ("did", "y"),
                        ("when", "z")
                    ]
                )
                .await
                .status(),
            403
        );
    }
    let bad = t
        .app
        .post(
            &manager,
            "/staff/replies",
            &[
                ("action", "publish"),
                ("said", ""),
                ("did", ""),
                ("when", ""),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        t.app
            .post(
                &manager,
                "/staff/replies",
                &[("action", "remove"), ("reply", &id.to_string())]
            )
            .await
            .status(),
        303
    );
    assert_eq!(
        t.app
            .count("SELECT COUNT(*) FROM replies WHERE organisation_id = 1")
            .await,
        0
    );
}

async fn the_home_page_brings_the_area_together_on_the_phone_only(store: Store) {
    let t = town(store).await;
    app::services::store::create(
        &t.app.db,
        t.org,
        &app::services::ServiceFields {
            name: "Northfield Library".into(),
            kind: Some(app::services::Kind::Culture),
            area_code: AREA.into(),
            ..Default::default()
        },
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let (_, r) = t.sent("Gaming nights", "").await;
    let worker = t.app.signed_in(Role::YouthWorker, Some(t.org), &[]).await;
    t.moderate(&worker, &[("action", "approve"), ("idea", &r)])
        .await;
    let phone = t.app.client();
    let home = t.html(&phone, "/").await;
    assert!(home.texts("#near-title").iter().any(|h| h == "Near you"));
    assert!(
        !home.main_text().contains("Northfield Library"),
        "no area chosen yet"
    );
    let res = t.app.get(&phone, &format!("/?area={AREA}")).await;
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with(&format!("heard_area={AREA}")));
    let home = t.html(&phone, "/").await;
    let text = home.main_text();
    assert!(
        text.contains("Northfield Library") && text.contains("Gaming nights"),
        "{text}"
    );
    assert!(home.has("a[href=\"/services\"]") && home.has("a[href=\"/ideas/new\"]"));
    assert!(
        !home.has("script[src], script[type=module], link[rel=modulepreload]"),
        "no JavaScript on the home page"
    );
}

on_both_databases!(
    a_young_person_keeps_a_private_link_and_sees_their_idea_approved_and_answered,
    supports_count_once_a_phone_and_carry_over_when_ideas_are_joined,
    a_rejection_reaches_the_young_person_with_a_kind_reason,
    only_youth_workers_of_the_areas_organisations_moderate,
    words_that_suggest_a_risk_get_help_first_and_reach_the_lead_only,
    a_bad_suggestion_comes_back_with_every_word_kept,
    replies_show_where_they_belong_cleaned_and_only_their_organisation_changes_them,
    the_home_page_brings_the_area_together_on_the_phone_only,
);
