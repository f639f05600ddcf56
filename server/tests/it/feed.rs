//! The national feed end to end over loopback: three heard processes, a hub
//! and two local instances, one on SQLite and one on PostgreSQL, each
//! `heard serve` in an OS process of its own. A national template is imported locally from the hub,
//! young people answer, the hub pulls, verifies and shows merged figures;
//! then a tampered byte, a replayed document, a wrong key, an oversized
//! body and an instance the hub can't reach are each refused or survived,
//! with the last good figures kept and a clear entry in the hub's log.

use crate::common::{as_refs, new_key, HeardProcess, Page, Store, TestApp};
use app::accounts::Role;
use app::feed::signing::{FeedKey, SIGNATURE_HEADER};
use app::surveys::model::SurveyStatus;

/// A local instance: its database (a `TestApp`, whose helpers then speak
/// to the process) and `heard serve` running on it with a feed key.
struct Local {
    app: TestApp,
    _process: HeardProcess,
    key: FeedKey,
    instance: &'static str,
    _dir: tempdir::Dir,
}

mod tempdir {
    /// A folder removed when dropped.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let p = std::env::temp_dir().join(format!("heard-feed-{}", crate::common::new_key()));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The token an instance's hub shows to read its feed.
fn token(instance: &str) -> String {
    format!("{instance}-pull-token-for-the-national-hub")
}

/// The hub: its database (a `TestApp`, whose helpers then speak to the
/// process) and `heard serve` running on it as a hub.
async fn hub() -> (TestApp, HeardProcess) {
    let mut app = TestApp::spawn(Store::Sqlite).await;
    let process = HeardProcess::start_with(
        app.database_url(),
        &"h".repeat(40),
        &[
            ("HEARD_HUB", "true"),
            // Pulls only when the test asks: a scheduled one would add log lines.
            ("HEARD_HUB_PULL_MINUTES", "100000"),
        ],
    );
    app.base = process.base.clone();
    (app, process)
}

async fn local(store: Store, instance: &'static str, name: &str, hub: &TestApp) -> Local {
    let mut app = TestApp::spawn(store).await;
    let dir = tempdir::Dir::new();
    let key = FeedKey::generate();
    let key_file = dir.0.join("feed.key");
    key.write_new(&key_file).unwrap();
    let process = HeardProcess::start_with(
        app.database_url(),
        &"s".repeat(40),
        &[
            ("HEARD_FEED_KEY", key_file.to_str().unwrap()),
            ("HEARD_INSTANCE_ID", instance),
            ("HEARD_INSTANCE_NAME", name),
            ("HEARD_FEED_TOKEN", &token(instance)),
            ("HEARD_HUB_URL", &hub.base),
            // Few young people, so the test stays light: a survey reaches
            // the feed from 10 responses (heard's lowest).
            ("HEARD_SURVEY_MINIMUM", "10"),
        ],
    );
    // Staff and young people now reach the instance in its own process.
    app.base = process.base.clone();
    Local {
        app,
        _process: process,
        key,
        instance,
        _dir: dir,
    }
}

/// Staff import the hub's national questions, open the survey, and `n`
/// young people of `area` answer (a third of them young carers).
async fn consult(l: &Local, organisation: &str, area: &str, n: usize) {
    let app = &l.app;
    let org = app.organisation(organisation, Some(area)).await;
    // Commissioners don't build surveys, so they import nothing.
    let commissioner = app.signed_in(Role::Commissioner, None, &[area]).await;
    let refused = app
        .post(
            &commissioner,
            "/staff/national-questions",
            &[("template", "growing-up-in-england"), ("version", "1")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let worker = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    let page = app.get(&worker, "/staff/national-questions").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Growing up in England"),
        "the hub's template is offered"
    );
    let res = app
        .post(
            &worker,
            "/staff/national-questions",
            &[("template", "growing-up-in-england"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let survey: i64 = res.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let refs: Vec<(String,)> =
        sqlx::query_as("SELECT national_ref FROM questions WHERE survey_id = $1 ORDER BY position")
            .bind(survey)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(refs[1].0, "growing-up-in-england/feel-safe-outside");
    // A national question's words stay the same all over England; its help
    // text is the organisation's own.
    let first: (i64,) =
        sqlx::query_as("SELECT id FROM questions WHERE survey_id = $1 ORDER BY position LIMIT 1")
            .bind(survey)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let first = first.0.to_string();
    let edit = |prompt: &'static str| {
        [
            ("action", "edit_question"),
            ("question", first.as_str()),
            ("prompt", prompt),
            ("help", "Think about this week."),
            ("outcome", "healthy"),
        ]
    };
    let path = format!("/staff/surveys/{survey}");
    let res = app
        .post(&worker, &path, &edit("How healthy are you?"))
        .await;
    assert_eq!(res.status(), 422);
    assert!(Page::parse(&res.text().await.unwrap())
        .main_text()
        .contains("This is a national question"));
    let same = "How healthy do you feel, in your body and your mind?";
    assert_eq!(app.post(&worker, &path, &edit(same)).await.status(), 303);
    app::surveys::building::store::set_status(
        &app.db,
        survey,
        SurveyStatus::Draft,
        SurveyStatus::Open,
    )
    .await
    .unwrap();
    let form = app::surveys::store::by_id(&app.db, survey)
        .await
        .unwrap()
        .unwrap()
        .form;
    let q: Vec<i64> = form.questions.iter().map(|q| q.id).collect();
    let phone = app.client();
    for i in 0..n {
        let mut answers = vec![
            ("submission_key".to_string(), new_key()),
            (format!("q{}", q[0]), "4".to_string()),
            (
                format!("q{}", q[1]),
                if i % 2 == 0 { "5" } else { "2" }.to_string(),
            ),
            (format!("q{}", q[2]), "yes".to_string()),
            (format!("q{}", q[3]), "3".to_string()),
            (format!("q{}", q[4]), "no".to_string()),
            (format!("q{}", q[5]), "4".to_string()),
            (format!("q{}", q[6]), "school".to_string()),
            ("about_age".to_string(), "13-15".to_string()),
            ("about_area".to_string(), area.to_string()),
        ];
        if i % 3 == 0 {
            answers.push(("about_groups".into(), "young_carer".into()));
        }
        let res = app
            .post(&phone, &format!("/s/{}", form.slug), &as_refs(&answers))
            .await;
        assert_eq!(res.status(), 303, "answer {i}");
    }
}

async fn register(hub: &TestApp, admin: &reqwest::Client, l: &Local, feed_url: &str) {
    let res = hub
        .post(
            admin,
            "/staff/hub",
            &[
                ("action", "register"),
                ("instance", l.instance),
                ("name", &format!("{} heard", l.instance)),
                ("feed_url", feed_url),
                ("public_key", &l.key.public()),
                ("pull_token", &token(l.instance)),
            ],
        )
        .await;
    assert_eq!(res.status(), 303, "register {}", l.instance);
}

async fn pull(hub: &TestApp, admin: &reqwest::Client, instance: &str) {
    let res = hub
        .post(
            admin,
            "/staff/hub",
            &[("action", "pull"), ("instance", instance)],
        )
        .await;
    assert_eq!(res.status(), 303);
}

/// The national view's "young people who responded" row for England.
async fn england(hub: &TestApp, viewer: &reqwest::Client) -> Vec<String> {
    let res = hub.get(viewer, "/staff/national").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let page = Page::parse(&html);
    page.rows("tr")
        .into_iter()
        .find(|r| r.first().is_some_and(|c| c == "England"))
        .unwrap_or_else(|| panic!("no row for England: {}", page.main_text()))
}

async fn log_says(hub: &TestApp, admin: &reqwest::Client, words: &str) -> bool {
    let html = hub.get(admin, "/staff/hub").await.text().await.unwrap();
    html.contains(words)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_pulls_verifies_and_merges_two_instances_and_survives_bad_documents() {
    let (hub, _hub_process) = hub().await;
    let leeds = local(Store::Sqlite, "leeds", "Leeds", &hub).await;
    let bradford = local(Store::Postgres, "bradford", "Bradford", &hub).await;
    consult(&leeds, "Leeds Youth Council", "E08000035", 12).await;
    consult(&bradford, "Bradford Youth Voice", "E08000032", 15).await;

    // The feed is signed, canonical and disclosed: never a response.
    // Only the hub, which shows the token, reads it.
    let feed = format!("{}/feed", leeds.app.base);
    let nobody = reqwest::Client::new();
    assert_eq!(nobody.get(&feed).send().await.unwrap().status(), 404);
    let wrong = nobody
        .get(&feed)
        .bearer_auth("x".repeat(40))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
    let res = nobody
        .get(&feed)
        .bearer_auth(token("leeds"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let signature = res.headers()[SIGNATURE_HEADER]
        .to_str()
        .unwrap()
        .to_string();
    let good = res.bytes().await.unwrap().to_vec();
    let opened = app::feed::signing::open(&good, Some(&signature), "leeds", &leeds.key.public())
        .expect("a good document");
    assert_eq!(opened.document.surveys.len(), 1);
    let text = String::from_utf8(good.clone()).unwrap();
    assert!(!text.contains("submission_key") && !text.contains("answers_digest"));

    let admin = hub.signed_in(Role::Admin, None, &[]).await;
    register(&hub, &admin, &leeds, &format!("{}/feed", leeds.app.base)).await;
    register(
        &hub,
        &admin,
        &bradford,
        &format!("{}/feed", bradford.app.base),
    )
    .await;
    // Only administrators run the hub; commissioners see the national view.
    let commissioner = hub
        .signed_in(Role::Commissioner, None, &["E08000035"])
        .await;
    assert_eq!(hub.status(&commissioner, "/staff/hub").await, 404);
    let refused = hub
        .post(
            &commissioner,
            "/staff/hub",
            &[("action", "pull"), ("instance", "leeds")],
        )
        .await;
    assert_eq!(refused.status(), 404);

    pull(&hub, &admin, "leeds").await;
    pull(&hub, &admin, "bradford").await;
    // Organisation staff on the hub never see the national view.
    let org = hub.organisation("Hub Youth Club", Some("E08000035")).await;
    let worker = hub.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    assert_eq!(hub.status(&worker, "/staff/national").await, 404);
    for file in ["csv", "xlsx", "json"] {
        assert_eq!(
            hub.status(&worker, &format!("/staff/national.{file}"))
                .await,
            404
        );
    }
    let row = england(&hub, &commissioner).await;
    // 12 and 15, each rounded to the nearest 5 by its instance: 10 + 15.
    assert_eq!(row[1], "25", "{row:?}");
    assert!(row[2].contains("leeds heard") && row[2].contains("bradford heard"));
    // Figures nobody could publish never show: every count is 0, 10 or
    // more, or hidden; the file says the same, and the download is logged.
    let csv = hub.get(&commissioner, "/staff/national.csv").await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("growing-up-in-england,responses,england,,25,")),
        "{csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("growing-up-in-england,question ")
                && l.contains(",answered,,25,")),
        "each national question's answers too: {csv}"
    );
    // As a workbook and as open data, each download logged.
    let xlsx = hub.get(&commissioner, "/staff/national.xlsx").await;
    assert_eq!(xlsx.status(), 200);
    crate::insights::opens_in_spreadsheets(
        &xlsx.bytes().await.unwrap(),
        "growing-up-in-england|responses|england||25|",
    );
    let json = hub.get(&commissioner, "/staff/national.json").await;
    assert_eq!(json.status(), 200);
    let doc: serde_json::Value = serde_json::from_slice(&json.bytes().await.unwrap()).unwrap();
    assert_eq!(doc["schema"], "heard-national-view/1");
    let whole = &doc["templates"][0]["responses"][0];
    assert_eq!(
        (&whole["by"], &whole["figure"]["count"]),
        (&"england".into(), &25.into())
    );
    let mut from: Vec<&str> = whole["figure"]["instances"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    from.sort();
    assert_eq!(
        from,
        ["bradford", "leeds"],
        "both instances stand behind it"
    );
    fn no_small_counts(v: &serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(n) = m.get("count").and_then(serde_json::Value::as_i64) {
                    assert!(!(1..=9).contains(&n), "{v}");
                }
                m.values().for_each(no_small_counts);
            }
            serde_json::Value::Array(a) => a.iter().for_each(no_small_counts),
            _ => {}
        }
    }
    no_small_counts(&doc);
    for format in ["csv", "xlsx", "json"] {
        assert_eq!(
            hub.count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE detail = 'national view ({format})'"
            ))
            .await,
            1
        );
    }

    // A tampered byte: refused, logged, and the figures stay.
    let mut tampered = good.clone();
    let at = text.find("\"sequence\":").unwrap() + 11;
    tampered[at] = if tampered[at] == b'1' { b'2' } else { b'1' };
    let push = |body: Vec<u8>, sig: String| {
        let hub = &hub;
        async move {
            reqwest::Client::new()
                .post(hub.url("/hub/feed/leeds"))
                .header(SIGNATURE_HEADER, sig)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let res = push(tampered, signature.clone()).await;
    assert_eq!(res.status(), 422);
    assert!(log_says(&hub, &admin, "the signature does not match").await);

    // The document kept, sent again: a replay.
    let res = push(good.clone(), signature.clone()).await;
    assert_eq!(res.status(), 409);
    assert!(log_says(&hub, &admin, "an old document sent again").await);

    // Signed by a key the hub doesn't know for Leeds.
    let stranger = FeedKey::generate();
    let mut doc = opened.document.clone();
    doc.sequence += 100;
    doc.key = stranger.public();
    let bytes = app::feed::document::canonical(&doc);
    let res = push(bytes.clone(), stranger.sign(&bytes)).await;
    assert_eq!(res.status(), 422);
    assert!(log_says(&hub, &admin, "a key this hub does not know").await);

    // Too big.
    let res = push(
        vec![b' '; app::feed::handlers::MAX_FEED_BYTES + 1],
        signature.clone(),
    )
    .await;
    assert_eq!(res.status(), 413);
    assert!(log_says(&hub, &admin, "bigger than").await);

    // Properly signed, but a week old, or dated ahead of the hub's clock.
    let signed = |doc: &app::feed::document::FeedDocument, key: &FeedKey| {
        let bytes = app::feed::document::canonical(doc);
        let sig = key.sign(&bytes);
        (bytes, sig)
    };
    let mut old = opened.document.clone();
    old.sequence += 10;
    old.issued_at -= 8 * 86_400;
    let (bytes, sig) = signed(&old, &leeds.key);
    assert_eq!(push(bytes, sig).await.status(), 422);
    assert!(log_says(&hub, &admin, "hours old").await);
    let mut ahead = opened.document.clone();
    ahead.sequence += 11;
    ahead.issued_at += 3600;
    let (bytes, sig) = signed(&ahead, &leeds.key);
    assert_eq!(push(bytes, sig).await.status(), 422);
    assert!(log_says(&hub, &admin, "dated in the future").await);

    // Leeds moves to a new key, handed over by the old one: taken; from
    // then on the old key alone is not enough.
    let new_key = FeedKey::generate();
    let mut moved = opened.document.clone();
    moved.sequence += 20;
    moved.key = new_key.public();
    moved.rotation = Some(leeds.key.hand_over("leeds", &new_key));
    let (bytes, sig) = signed(&moved, &new_key);
    assert_eq!(push(bytes, sig).await.status(), 202);
    assert!(log_says(&hub, &admin, "moved to a new key").await);
    let mut with_old = opened.document.clone();
    with_old.sequence += 30;
    let (bytes, sig) = signed(&with_old, &leeds.key);
    assert_eq!(push(bytes, sig).await.status(), 422);

    // Leeds goes away: the hub says so, and keeps its last good figures.
    drop(leeds);
    pull(&hub, &admin, "leeds").await;
    assert!(log_says(&hub, &admin, "could not reach the instance").await);
    let row = england(&hub, &commissioner).await;
    assert_eq!(row[1], "25", "the last good documents stay: {row:?}");

    // A newer document pushed by Bradford is kept.
    let res = reqwest::Client::new()
        .get(format!("{}/feed", bradford.app.base))
        .bearer_auth(token("bradford"))
        .send()
        .await
        .unwrap();
    let sig = res.headers()[SIGNATURE_HEADER]
        .to_str()
        .unwrap()
        .to_string();
    let body = res.bytes().await.unwrap().to_vec();
    let res = reqwest::Client::new()
        .post(hub.url("/hub/feed/bradford"))
        .header(SIGNATURE_HEADER, sig)
        .body(body)
        .send()
        .await
        .unwrap();
    // Pulled a moment ago, the same document comes back: a replay, refused.
    assert_eq!(res.status(), 409);

    // Leeds stops for good: an administrator removes it, saying so, and
    // its figures leave the national view. Nobody else can.
    let bradford_log = "SELECT COUNT(*) FROM hub_log l JOIN hub_instances i ON i.id = l.instance_id
                        WHERE i.instance = 'bradford'";
    let kept_for_bradford = hub.count(bradford_log).await;
    assert!(kept_for_bradford > 0);
    let remove = [("action", "remove"), ("instance", "leeds")];
    assert_eq!(
        hub.post(&commissioner, "/staff/hub", &remove)
            .await
            .status(),
        404
    );
    let res = hub.post(&admin, "/staff/hub", &remove).await;
    assert_eq!(res.status(), 422, "not without the box ticked");
    assert!(res.text().await.unwrap().contains("Tick the box"));
    let sure = [
        ("action", "remove"),
        ("instance", "leeds"),
        ("confirm", "yes"),
    ];
    assert_eq!(hub.post(&admin, "/staff/hub", &sure).await.status(), 303);
    assert_eq!(
        hub.post(&admin, "/staff/hub", &sure).await.status(),
        404,
        "gone"
    );
    let row = england(&hub, &commissioner).await;
    assert_eq!(row[1], "15", "Bradford's figures alone: {row:?}");
    assert!(!row[2].contains("leeds heard"), "{row:?}");
    assert_eq!(
        hub.count("SELECT COUNT(*) FROM audit_log WHERE action = 'instance_registered'")
            .await,
        2
    );
    assert_eq!(
        hub.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'instance_removed' AND detail = 'leeds (leeds heard)'"
        )
        .await,
        1
    );
    assert_eq!(
        hub.count(
            "SELECT COUNT(*) FROM hub_log WHERE instance_id NOT IN (SELECT id FROM hub_instances)"
        )
        .await,
        0,
        "its log went with it"
    );
    assert_eq!(
        hub.count(bradford_log).await,
        kept_for_bradford,
        "and only its"
    );
}
