//! Services and their ratings: the directory, the 30-day rule, limits that
//! spare a class and stop a flood, the 5-ratings threshold, comments that
//! reach the public only approved and redacted, staff views, exports and
//! imports, and who may do what. Both databases, real HTTP.

use crate::common::{new_key, Page, Store, TestApp};
use app::accounts::Role;
use app::services::{Kind, ServiceFields};

const AREA: &str = "E08000025";

struct Club {
    app: TestApp,
    org: i64,
    id: i64,
    slug: String,
    rating_slug: String,
    questions: Vec<i64>,
}

fn fields(name: &str, kind: Kind) -> ServiceFields {
    ServiceFields {
        name: name.into(),
        kind: Some(kind),
        area_code: AREA.into(),
        outcomes: vec![app::outcomes::Outcome::EnjoyAchieve],
        description: "Open Tuesdays.".into(),
        contact: "0121 496 0000".into(),
        website: None,
    }
}

async fn club(store: Store) -> Club {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some(AREA))
        .await;
    let id = app::services::store::create(
        &app.db,
        org,
        &fields("Northfield Youth Club", Kind::YouthService),
        app::audit::store::Actor::CommandLine,
    )
    .await
    .expect("service");
    let s = app::services::store::by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    let questions = app.question_ids(s.survey_id).await;
    Club {
        app,
        org,
        id,
        slug: s.slug,
        rating_slug: s.rating_slug,
        questions,
    }
}

impl Club {
    /// A rating's form: four faces, an optional comment, an age band.
    fn rating(&self, scores: [u8; 4], comment: &str, key: &str) -> Vec<(String, String)> {
        let mut form: Vec<(String, String)> = self.questions[..4]
            .iter()
            .zip(scores)
            .map(|(q, s)| (format!("q{q}"), s.to_string()))
            .collect();
        form.push((format!("q{}", self.questions[4]), comment.to_string()));
        form.push(("about_age".into(), "13-15".into()));
        form.push(("submission_key".into(), key.to_string()));
        form
    }

    async fn rate(
        &self,
        phone: &reqwest::Client,
        scores: [u8; 4],
        comment: &str,
    ) -> reqwest::Response {
        let form = self.rating(scores, comment, &new_key());
        phone
            .post(self.app.url(&format!("/s/{}", self.rating_slug)))
            .form(&form)
            .send()
            .await
            .expect("rate")
    }

    async fn ratings(&self) -> i64 {
        self.app
            .count(&format!(
                "SELECT COUNT(*) FROM responses r JOIN services s ON s.survey_id = r.survey_id WHERE s.id = {}",
                self.id
            ))
            .await
    }

    async fn public_page(&self) -> Page {
        let res = self
            .app
            .get(&self.app.client(), &format!("/services/{}", self.slug))
            .await;
        assert_eq!(res.status(), 200);
        Page::parse(&res.text().await.unwrap())
    }
}

async fn young_people_find_services_by_area_kind_and_a_forgiving_search(store: Store) {
    let c = club(store).await;
    let camhs = fields(
        "Child and Adolescent Mental Health Service",
        Kind::MentalHealth,
    );
    app::services::store::create(
        &c.app.db,
        c.org,
        &camhs,
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let phone = c.app.client();
    let find = |q: &'static str| {
        let (app, phone) = (&c.app, &phone);
        async move {
            let res = app
                .get(phone, &format!("/services?q={q}&area=&kind="))
                .await;
            assert_eq!(res.status(), 200);
            Page::parse(&res.text().await.unwrap()).texts(".cards h3 a")
        }
    };
    assert_eq!(find("youth+clb").await, vec!["Northfield Youth Club"]);
    assert_eq!(
        find("camhs").await,
        vec!["Child and Adolescent Mental Health Service"]
    );
    assert!(find("swimming+pool").await.is_empty());
    let page = Page::parse(
        &c.app
            .get(&phone, "/services?q=zzz")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(page.main_text().contains("No services match"));
    // By kind, and by area; the area is remembered on the phone only.
    let res = c
        .app
        .get(&phone, &format!("/services?area={AREA}&kind=mental_health"))
        .await;
    assert!(
        res.headers().get_all("set-cookie").iter().any(|v| v
            .to_str()
            .unwrap()
            .starts_with(&format!("heard_area={AREA}"))),
        "the chosen area is kept in a cookie"
    );
    let names = Page::parse(&res.text().await.unwrap()).texts(".cards h3 a");
    assert_eq!(names, vec!["Child and Adolescent Mental Health Service"]);
    let again = Page::parse(&c.app.get(&phone, "/services").await.text().await.unwrap());
    assert_eq!(
        again.attrs("#service-area option[selected]", "value"),
        vec![AREA.to_string()]
    );
    // Taken off the directory: not listed, its page says it takes no ratings.
    app::services::store::set_active(
        &c.app.db,
        c.id,
        false,
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    assert_eq!(find("youth+club").await, Vec::<String>::new());
    assert!(c
        .public_page()
        .await
        .main_text()
        .contains("no longer listed"));
    assert_eq!(
        c.rate(&phone, [5, 5, 5, 5], "").await.status(),
        410,
        "closed to ratings"
    );
}

async fn a_phone_rates_a_service_once_in_thirty_days(store: Store) {
    let c = club(store).await;
    let phone = c.app.client();
    let form = Page::parse(
        &c.app
            .get(&phone, &format!("/s/{}", c.rating_slug))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(form.texts("h1"), vec!["Rate Northfield Youth Club"]);
    assert!(form.has("input[name=about_age]"), "an optional age band");
    assert!(
        !form.has("[name=about_area]") && !form.has("[name=about_groups]"),
        "nothing else about them"
    );
    let res = c.rate(&phone, [4, 5, 3, 2], "more trips").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/services/{}?rated=1", c.slug)
    );
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("heard_phone=")
            && cookie.contains("HttpOnly")
            && cookie.contains("Max-Age="),
        "{cookie}"
    );
    // The cookie is a random key and its signature; nothing else.
    let value = cookie
        .trim_start_matches("heard_phone=")
        .split(';')
        .next()
        .unwrap();
    let (key, sig) = value.split_once('.').unwrap();
    assert_eq!((key.len(), sig.len()), (22, 32));
    assert_eq!(c.ratings().await, 1);
    // Again from the same phone: refused, told why, what they wrote kept
    // on the page, and help first when their words matched the risk list.
    let res = c.rate(&phone, [1, 1, 1, 1], "my stepdad hits me").await;
    assert_eq!(res.status(), 409);
    let refused = Page::parse(&res.text().await.unwrap());
    assert!(refused
        .main_text()
        .contains("already rated this service on this phone"));
    assert!(refused.has(".help-panel"), "help first");
    assert!(
        refused.main_text().contains("my stepdad hits me"),
        "their words are shown back"
    );
    assert_eq!(c.ratings().await, 1);
    let page = Page::parse(
        &c.app
            .get(&phone, &format!("/s/{}", c.rating_slug))
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(
        page.main_text().contains("You can rate it again from"),
        "the form says when"
    );
    assert!(!page.has("form.survey-form"));
    // Another phone rates at once.
    assert_eq!(
        c.rate(&c.app.client(), [3, 3, 3, 3], "").await.status(),
        303
    );
    assert_eq!(c.ratings().await, 2);
    // A forged cookie is not the phone's: it gets a new one (and may rate).
    let forged = c.app.client();
    let res = forged
        .post(c.app.url(&format!("/s/{}", c.rating_slug)))
        .header("cookie", format!("heard_phone={key}.{}", "0".repeat(32)))
        .form(&c.rating([2, 2, 2, 2], "", &new_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("heard_phone="));
    // Thirty days on, the first phone may rate again.
    sqlx::query("UPDATE phone_marks SET until_at = $1")
        .bind(app::db::now() - 1)
        .execute(c.app.db.pool())
        .await
        .unwrap();
    assert_eq!(c.rate(&phone, [5, 5, 5, 5], "").await.status(), 303);
    assert_eq!(c.ratings().await, 4);
    // Marks identify nothing: no response points at them, and one phone's
    // marks for two services differ.
    let marks: Vec<(String, String)> = sqlx::query_as("SELECT subject, phone FROM phone_marks")
        .fetch_all(c.app.db.pool())
        .await
        .unwrap();
    assert!(marks
        .iter()
        .all(|(s, p)| s == &format!("rating:{}", c.id) && p.len() == 32 && !p.contains(key)));
}

async fn a_double_tap_and_two_tabs_store_one_rating(store: Store) {
    let c = club(store).await;
    let phone = c.app.client();
    // The phone's cookie first (its first rating of another service).
    let other = app::services::store::create(
        &c.app.db,
        c.org,
        &fields("Leisure Centre", Kind::Sport),
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let other = app::services::store::by_id(&c.app.db, other)
        .await
        .unwrap()
        .unwrap();
    let q = c.app.question_ids(other.survey_id).await;
    let mut first: Vec<(String, String)> = q[..4]
        .iter()
        .map(|q| (format!("q{q}"), "4".to_string()))
        .collect();
    first.push(("submission_key".into(), new_key()));
    let res = phone
        .post(c.app.url(&format!("/s/{}", other.rating_slug)))
        .form(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // The same form twice at once (a double tap), and two tabs' forms at once.
    let key = new_key();
    let tap = c.rating([4, 4, 4, 4], "", &key);
    let tab = c.rating([2, 2, 2, 2], "", &new_key());
    let url = c.app.url(&format!("/s/{}", c.rating_slug));
    let sends = [tap.clone(), tap, tab].map(|form| {
        let (phone, url) = (phone.clone(), url.clone());
        tokio::spawn(async move {
            phone
                .post(url)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut statuses = Vec::new();
    for s in sends {
        statuses.push(s.await.unwrap());
    }
    statuses.sort();
    assert_eq!(c.ratings().await, 1, "{statuses:?}");
    assert!(statuses.contains(&303), "{statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 303 || *s == 409),
        "{statuses:?}"
    );
}

async fn a_class_on_one_address_rates_together_and_a_flood_is_held(store: Store) {
    let c = club(store).await;
    // 35 phones behind one school address, all at once.
    let forms = (0..35)
        .map(|_| c.rating([4, 4, 5, 3], "", &new_key()))
        .collect();
    let statuses = c
        .app
        .post_all_at_once(&format!("/s/{}", c.rating_slug), forms)
        .await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(c.ratings().await, 35);
    // A script from the same address that never keeps a cookie.
    let script = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut refused = None;
    for i in 0..100 {
        let res = script
            .post(c.app.url(&format!("/s/{}", c.rating_slug)))
            .form(&c.rating([1, 1, 1, 1], "flood", &new_key()))
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
            let page = Page::parse(&res.text().await.unwrap());
            assert!(
                page.has("form.survey-form"),
                "the form comes back with its answers"
            );
            refused = Some(i);
            break;
        }
    }
    let refused = refused.expect("the flood is held");
    // New phones per address: a class of 35 fits; the script got the rest of
    // the minute's quota and no more.
    assert!(refused <= 25, "held after {refused}");
    assert!(c.ratings().await <= 35 + 25);
}

async fn the_public_summary_shows_from_ten_ratings_disclosed_with_approved_comments_only(
    store: Store,
) {
    let c = club(store).await;
    let mut comments = vec!["call me on 07700 900123 about the club"];
    comments.extend([""; 8]);
    for (i, comment) in comments.iter().enumerate() {
        let res = c
            .rate(&c.app.client(), [5, 4, 3, (i % 5 + 1) as u8], comment)
            .await;
        assert_eq!(res.status(), 303);
    }
    let page = c.public_page().await;
    assert!(
        page.main_text().contains("Not enough ratings yet"),
        "9 ratings"
    );
    assert!(!page.has(".statement"));
    assert_eq!(
        c.rate(&c.app.client(), [5, 4, 3, 5], "you are shit")
            .await
            .status(),
        303
    );
    let page = c.public_page().await;
    assert!(page.main_text().contains("From 10 ratings."));
    assert!(page.main_text().contains("Numbers are rounded"));
    assert_eq!(page.texts(".statement").len(), 4);
    assert!(
        page.texts(".statement .average").is_empty(),
        "an average only from 30 ratings"
    );
    assert!(
        page.has(".statement table.chart-table"),
        "each chart has its table"
    );
    // Every count disclosed: none from 1 to 9 on the page.
    let cells = page.rows(".statement table.chart-table tbody tr");
    assert!(
        cells
            .iter()
            .all(|r| !matches!(r[1].parse::<i64>(), Ok(1..=9))),
        "{cells:?}"
    );
    let listened = &cells[..5];
    assert_eq!(
        listened[4][1..],
        ["10".to_string(), "–".to_string()],
        "all ten: very good"
    );
    // Thirty ratings: averages and per cents.
    for _ in 0..20 {
        c.rate(&c.app.client(), [5, 4, 3, 5], "").await;
    }
    let page = c.public_page().await;
    let averages = page.texts(".statement .average");
    assert_eq!(averages.len(), 4);
    assert!(
        averages[0].contains("Very good") && averages[0].contains("5.0 out of 5"),
        "{averages:?}"
    );
    // No comment is public until a moderator approves it.
    assert!(page.texts(".comments li").is_empty());
    let text = page.main_text();
    assert!(!text.contains("07700") && !text.contains("shit"));
    // Stored redacted; the offensive one waits, flagged.
    let stored: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT value, state, offensive FROM answers WHERE state IS NOT NULL ORDER BY id",
    )
    .fetch_all(c.app.db.pool())
    .await
    .unwrap();
    assert_eq!(stored.len(), 2, "{stored:?}");
    assert_eq!(
        stored[0].0,
        "call me on [phone number removed] about the club"
    );
    assert_eq!((stored[1].1.as_str(), stored[1].2), ("waiting", 1));
    // Approved in the moderation queue, it shows: redacted.
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    let queue = Page::parse(
        &c.app
            .get(&worker, "/staff/moderation")
            .await
            .text()
            .await
            .unwrap(),
    );
    assert!(
        queue.main_text().contains("Ratings: Northfield Youth Club"),
        "named by its service"
    );
    // Both approved; the one flagged as offensive still never shows.
    let refs: Vec<(String,)> =
        sqlx::query_as("SELECT public_ref FROM answers WHERE state = 'waiting' ORDER BY id")
            .fetch_all(c.app.db.pool())
            .await
            .unwrap();
    assert_eq!(refs.len(), 2);
    for (r,) in &refs {
        let res = c
            .app
            .post(
                &worker,
                "/staff/moderation",
                &[("action", "approve"), ("answer", r)],
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    let page = c.public_page().await;
    assert_eq!(
        page.texts(".comments li p:first-child"),
        vec!["call me on [phone number removed] about the club"]
    );
    assert!(!page.main_text().contains("07700"));
}

async fn staff_see_every_rating_by_month_and_export_them_safely(store: Store) {
    let c = club(store).await;
    assert_eq!(
        c.rate(
            &c.app.client(),
            [5, 4, 3, 2],
            "=HYPERLINK(\"http://evil.example\")"
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        c.rate(&c.app.client(), [1, 2, 3, 4], "").await.status(),
        303
    );
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    let res = c
        .app
        .get(&worker, &format!("/staff/services/{}", c.id))
        .await;
    assert_eq!(res.status(), 200);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(page.main_text().contains("2 ratings in all"));
    assert_eq!(page.select(".ratings li").len(), 2);
    let months = page.rows(".table-wrap table tbody tr");
    assert_eq!(months.len(), 1, "{months:?}");
    assert_eq!(months[0][1], "2");
    assert_eq!(months[0][2], "3.0", "they listened: (5 + 1) / 2");
    // The file: a byte-order mark, a header, a formula made harmless.
    let res = c
        .app
        .get(&worker, &format!("/staff/services/{}/ratings.csv", c.id))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = res.text().await.unwrap();
    assert!(body.starts_with("\u{feff}Rating,Date,Age band,They listened to me"));
    assert!(body.contains("'=HYPERLINK"), "{body}");
    assert!(!body.contains(",=HYPERLINK") && !body.contains("\"=HYPERLINK"));
    assert_eq!(body.trim_end().lines().count(), 3);
    // Another organisation's staff: not found, page and file alike.
    let other = c.app.organisation("Elsewhere", Some(AREA)).await;
    let stranger = c.app.signed_in(Role::OrgAdmin, Some(other), &[]).await;
    assert_eq!(
        c.app
            .status(&stranger, &format!("/staff/services/{}", c.id))
            .await,
        404
    );
    assert_eq!(
        c.app
            .status(&stranger, &format!("/staff/services/{}/ratings.csv", c.id))
            .await,
        404
    );
    let commissioner = c.app.signed_in(Role::Commissioner, None, &[AREA]).await;
    assert_eq!(
        c.app
            .status(
                &commissioner,
                &format!("/staff/services/{}/ratings.csv", c.id)
            )
            .await,
        404
    );
}

async fn organisation_admins_manage_their_own_services_only(store: Store) {
    let c = club(store).await;
    let manager = c.app.signed_in(Role::OrgAdmin, Some(c.org), &[]).await;
    let add = |name: &'static str| {
        vec![
            ("action", "add"),
            ("name", name),
            ("kind", "sport"),
            ("area", AREA),
            ("outcomes", "healthy"),
            ("description", "Swimming"),
            ("contact", ""),
            ("website", ""),
        ]
    };
    let res = c
        .app
        .post(&manager, "/staff/services", &add("Northfield Pool"))
        .await;
    assert_eq!(res.status(), 303);
    let id: (i64,) = sqlx::query_as("SELECT id FROM services WHERE name = 'Northfield Pool'")
        .fetch_one(c.app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"],
        format!("/staff/services/{}", id.0)
    );
    // Bad input: every problem named, nothing added.
    let res = c
        .app
        .post(
            &manager,
            "/staff/services",
            &[
                ("action", "add"),
                ("name", ""),
                ("kind", "gym"),
                ("area", "nowhere"),
                ("website", "ftp://x"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert_eq!(
        page.select(".field-error:not([hidden])").len(),
        4,
        "name, kind, area, website: each beside its field"
    );
    let res = c
        .app
        .post(&manager, "/staff/services", &add("northfield  POOL"))
        .await;
    assert_eq!(res.status(), 422, "the same name again");
    assert_eq!(c.app.count("SELECT COUNT(*) FROM services").await, 2);
    // Edit and take down their own.
    let save = [
        ("action", "save"),
        ("name", "Northfield Swimming Pool"),
        ("kind", "sport"),
        ("area", AREA),
        ("description", ""),
        ("contact", ""),
        ("website", "https://pool.example.org"),
    ];
    let res = c
        .app
        .post(&manager, &format!("/staff/services/{}", id.0), &save)
        .await;
    assert_eq!(res.status(), 303);
    let s = app::services::store::by_id(&c.app.db, id.0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (s.name.as_str(), s.website.as_deref()),
        ("Northfield Swimming Pool", Some("https://pool.example.org"))
    );
    let title: (String,) = sqlx::query_as("SELECT title FROM surveys WHERE id = $1")
        .bind(s.survey_id)
        .fetch_one(c.app.db.pool())
        .await
        .unwrap();
    assert_eq!(title.0, "Ratings: Northfield Swimming Pool");
    // Youth workers read ratings but don't manage services; other
    // organisations' admins don't reach them at all.
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    assert_eq!(
        c.app
            .post(&worker, "/staff/services", &add("Worker's Pool"))
            .await
            .status(),
        403
    );
    assert_eq!(
        c.app
            .post(
                &worker,
                &format!("/staff/services/{}", c.id),
                &[("action", "retire")]
            )
            .await
            .status(),
        404
    );
    let other = c.app.organisation("Elsewhere", Some(AREA)).await;
    let stranger = c.app.signed_in(Role::OrgAdmin, Some(other), &[]).await;
    assert_eq!(
        c.app
            .post(
                &stranger,
                &format!("/staff/services/{}", c.id),
                &[("action", "retire")]
            )
            .await
            .status(),
        404
    );
    let res = c
        .app
        .post(
            &manager,
            &format!("/staff/services/{}", c.id),
            &[("action", "retire")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // The ratings survey never shows among surveys, nor opens in the builder.
    let surveys = Page::parse(&c.app.get(&manager, "/staff").await.text().await.unwrap());
    assert!(!surveys.main_text().contains("Ratings:"));
    assert_eq!(
        c.app
            .status(&manager, &format!("/staff/surveys/{}", s.survey_id))
            .await,
        404
    );
    let home = Page::parse(&c.app.get(&c.app.client(), "/").await.text().await.unwrap());
    assert!(!home.main_text().contains("Ratings:"));
}

async fn administrators_import_a_list_all_or_nothing(store: Store) {
    let c = club(store).await;
    let admin = c.app.signed_in(Role::Admin, None, &[]).await;
    let upload = |csv: &'static str| {
        let (app, admin) = (&c.app, &admin);
        async move {
            let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("services.csv")
                .mime_str("text/csv")
                .unwrap();
            let form = reqwest::multipart::Form::new().part("file", part);
            admin
                .post(app.url("/staff/services/import"))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let bad = "organisation,name,kind,area\nNorthfield Youth Service,Library,culture,E08000025\nNobody,Gym,gym,E08000025\nNorthfield Youth Service,Northfield Youth Club,youth_service,E08000025\n";
    let res = upload(bad).await;
    assert_eq!(res.status(), 422);
    let text = Page::parse(&res.text().await.unwrap()).main_text();
    assert!(text.contains("Nothing was loaded"));
    assert!(text.contains("Row 3: kind"), "{text}");
    assert!(
        text.contains("Row 3: heard has no organisation called \u{201c}Nobody\u{201d}"),
        "{text}"
    );
    assert!(
        text.contains("Row 4: This organisation already has a service called"),
        "{text}"
    );
    assert_eq!(
        c.app.count("SELECT COUNT(*) FROM services").await,
        1,
        "nothing half-imported"
    );
    let good = "\u{feff}Name,Kind,Area,Organisation,Outcomes\nLibrary,Culture,E08000025,Northfield Youth Service,Enjoy and achieve\nCareers Hub,careers,E08000025,northfield youth service,\n";
    let res = upload(good).await;
    assert_eq!(res.status(), 200);
    assert!(Page::parse(&res.text().await.unwrap())
        .main_text()
        .contains("2 services added"));
    assert_eq!(c.app.count("SELECT COUNT(*) FROM services").await, 3);
    assert_eq!(
        c.app
            .count("SELECT COUNT(*) FROM surveys WHERE service_id IS NOT NULL")
            .await,
        3
    );
    let manager = c.app.signed_in(Role::OrgAdmin, Some(c.org), &[]).await;
    let part = reqwest::multipart::Part::bytes(good.as_bytes().to_vec()).file_name("s.csv");
    let res = manager
        .post(c.app.url("/staff/services/import"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        403,
        "organisation admins add their own, one at a time"
    );
}

on_both_databases!(
    young_people_find_services_by_area_kind_and_a_forgiving_search,
    a_phone_rates_a_service_once_in_thirty_days,
    a_double_tap_and_two_tabs_store_one_rating,
    a_class_on_one_address_rates_together_and_a_flood_is_held,
    the_public_summary_shows_from_ten_ratings_disclosed_with_approved_comments_only,
    staff_see_every_rating_by_month_and_export_them_safely,
    organisation_admins_manage_their_own_services_only,
    administrators_import_a_list_all_or_nothing,
);
