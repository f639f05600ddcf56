//! Live sessions over real HTTP on both databases: a youth worker starts a
//! session, phones join with the code and follow the presenter, answers are
//! stored once as the survey's responses (changed until locked, refused with
//! a reason after), the presenter's event stream shows them, wrong codes are
//! limited while a whole class behind one address never is, and a presenter
//! on one server sees answers that arrive at another (PostgreSQL).

use crate::common::{HeardProcess, Page, Store, TestApp};
use app::accounts::Role;
use app::state::Settings;
use app::surveys::model::SurveyStatus;
use futures::StreamExt;
use std::time::Duration;

struct Room {
    app: TestApp,
    org: i64,
    survey: i64,
    q: Vec<i64>,
    worker: reqwest::Client,
    session: i64,
    code: String,
}

async fn room_on(app: TestApp) -> Room {
    let org = app
        .organisation("Eastside Youth Club", Some("E08000025"))
        .await;
    // A draft: starting a session opens it.
    let (survey, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let q = app.question_ids(survey).await;
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (session, code) = app.start_live(&worker, survey).await;
    Room {
        app,
        org,
        survey,
        q,
        worker,
        session,
        code,
    }
}

/// An app that counts each phone by the address its proxy says
/// (`X-Forwarded-For`), as behind a load balancer.
async fn behind_a_proxy(store: Store) -> TestApp {
    TestApp::spawn_with(
        store,
        Settings {
            trust_forwarded_for: true,
            ..Settings::default()
        },
    )
    .await
}

async fn room(store: Store) -> Room {
    room_on(TestApp::spawn(store).await).await
}

impl Room {
    async fn control(&self, action: &str) -> reqwest::Response {
        self.app
            .post(
                &self.worker,
                &format!("/staff/live/{}", self.session),
                &[("action", action)],
            )
            .await
    }

    /// The presenter's page as HTML.
    async fn presenter_html(&self) -> String {
        self.app
            .get(&self.worker, &format!("/staff/live/{}", self.session))
            .await
            .text()
            .await
            .unwrap()
    }

    /// A phone that has opened the join link.
    async fn phone(&self) -> reqwest::Client {
        let phone = self.app.client();
        let res = self.app.get(&phone, &format!("/j/{}", self.code)).await;
        assert_eq!(res.status(), 200);
        phone
    }

    async fn page(&self, phone: &reqwest::Client) -> Page {
        Page::parse(
            &self
                .app
                .get(phone, &format!("/j/{}", self.code))
                .await
                .text()
                .await
                .unwrap(),
        )
    }

    async fn answer(&self, phone: &reqwest::Client, form: &[(&str, &str)]) -> String {
        let res = self
            .app
            .post(phone, &format!("/j/{}", self.code), form)
            .await;
        assert_eq!(
            res.status(),
            303,
            "an answer is always answered with where to look"
        );
        res.headers()["location"].to_str().unwrap().to_string()
    }
}

async fn a_room_follows_the_presenter_and_its_answers_are_kept(store: Store) {
    let r = room(store).await;
    assert_eq!(r.code.len(), 6);
    let presenter = Page::parse(&r.presenter_html().await);
    assert_eq!(
        presenter.texts(".join-code")[0],
        app::live::code::spaced(&r.code)
    );
    let opened = app::surveys::store::by_id(&r.app.db, r.survey)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        opened.form.status,
        SurveyStatus::Open,
        "starting a draft opens it"
    );

    let phone = r.phone().await;
    assert!(r
        .page(&phone)
        .await
        .main_text()
        .contains("Waiting for the next question"));

    assert_eq!(r.control("next").await.status(), 303);
    let page = r.page(&phone).await;
    assert!(
        page.main_text().contains("Which night should we open?"),
        "the question appears"
    );
    let q1 = r.q[0].to_string();
    let field = format!("q{}", r.q[0]);

    // Answer, then change it: one response, the latest answer.
    let to = r.answer(&phone, &[("question", &q1), (&field, "o1")]).await;
    assert!(to.ends_with("?saved=1"), "{to}");
    r.answer(&phone, &[("question", &q1), (&field, "o2")]).await;
    // A retry of the same answer (a flaky connection) changes nothing.
    r.answer(&phone, &[("question", &q1), (&field, "o2")]).await;
    let answers = r
        .app
        .count(&format!(
            "SELECT COUNT(*) FROM answers a JOIN responses s ON s.id = a.response_id
             WHERE s.live_session_id = {} AND a.question_id = {} AND a.value = 'o2'",
            r.session, r.q[0]
        ))
        .await;
    assert_eq!(answers, 1);
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM responses WHERE survey_id = {}",
                r.survey
            ))
            .await,
        1,
        "a session's answers are the survey's responses"
    );
    let page = r.page(&phone).await;
    assert_eq!(
        page.attrs("input[checked]", "value"),
        vec!["o2".to_string()],
        "the phone sees its answer"
    );

    // The presenter sees it counted.
    let presenter = r.presenter_html().await;
    assert!(Page::parse(&presenter).texts(".stage-counts")[0].contains("1 joined · 1 answered"));

    // Locked: a late change is refused, and the phone is told.
    r.control("lock").await;
    let to = r.answer(&phone, &[("question", &q1), (&field, "o1")]).await;
    assert!(to.ends_with("?locked=1"), "{to}");
    assert!(r.page(&phone).await.main_text().contains("locked"));

    // Moved on: an answer to the old question is not taken, and says so.
    r.control("next").await;
    let to = r.answer(&phone, &[("question", &q1), (&field, "o1")]).await;
    assert!(to.ends_with("?moved=1"), "{to}");

    // Ended: the phone is told, and answers go nowhere.
    let ended = r.control("end").await;
    assert_eq!(ended.status(), 303);
    let page = r.page(&phone).await;
    assert!(
        page.main_text().contains("This session has ended"),
        "{}",
        page.main_text()
    );
    let q2 = r.q[1].to_string();
    r.answer(
        &phone,
        &[("question", &q2), (&format!("q{}", r.q[1]), "o1")],
    )
    .await;
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM answers WHERE question_id = {}",
                r.q[1]
            ))
            .await,
        0
    );
    // The presenter's page now says what the room said, question by question.
    let summary = Page::parse(&r.presenter_html().await);
    assert_eq!(summary.texts(".live-summary .result h3").len(), r.q.len());
    assert_eq!(
        summary.texts(".live-summary .result .meta")[0],
        "1 answered"
    );
    // The results page counts the room like any survey's responses.
    let results = r
        .app
        .get(&r.worker, &format!("/staff/surveys/{}/results", r.survey))
        .await
        .text()
        .await
        .unwrap();
    assert!(Page::parse(&results).texts("#results-summary")[0].starts_with("1 response"));
}

async fn only_the_organisation_runs_and_sees_its_session(store: Store) {
    let r = room(store).await;
    let other_org = r.app.organisation("Westside", Some("E08000025")).await;
    let path = format!("/staff/live/{}", r.session);
    for (role, org) in [
        (Role::YouthWorker, Some(other_org)),
        (Role::OrgAdmin, Some(other_org)),
        (Role::SafeguardingLead, Some(r.org)),
        (Role::Commissioner, None),
    ] {
        let someone = r.app.signed_in(role, org, &["E08000025"]).await;
        let page = r.app.status(&someone, &path).await;
        assert!(page == 404 || page == 403, "{role:?} page {page}");
        let post = r.app.post(&someone, &path, &[("action", "next")]).await;
        assert!(
            post.status() == 404 || post.status() == 403,
            "{role:?} post {}",
            post.status()
        );
        let events = r.app.status(&someone, &format!("{path}/events")).await;
        assert!(events == 404 || events == 403, "{role:?} events {events}");
    }
    let stranger = r.app.client();
    let res = r.app.get(&stranger, &path).await;
    assert_eq!(
        res.status(),
        303,
        "someone not signed in is sent to sign in"
    );
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/sign-in"));
    let events = r.app.get(&stranger, &format!("{path}/events")).await;
    assert!(
        events.status() == 401 || events.status() == 303,
        "{}",
        events.status()
    );
    // Beside the refusals: the organisation's own admin runs it.
    let admin = r.app.signed_in(Role::OrgAdmin, Some(r.org), &[]).await;
    assert_eq!(r.app.status(&admin, &path).await, 200);
    assert_eq!(
        r.app
            .post(&admin, &path, &[("action", "next")])
            .await
            .status(),
        303
    );
    let state = app::live::store::state(&r.app.db, r.session)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.position, 1, "only the allowed press moved it");
}

async fn wrong_codes_are_limited_and_right_ones_are_not(store: Store) {
    let r = room_on(behind_a_proxy(store).await).await;
    let guess = |code: String| {
        let r = &r;
        async move {
            r.app
                .client()
                .post(r.app.url("/j"))
                .header("x-forwarded-for", "192.0.2.7")
                .form(&[("code", code.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let wrong = if r.code == "ABCDEF" {
        "ABCDEG"
    } else {
        "ABCDEF"
    };
    for i in 0..app::live::handlers::WRONG_CODES_PER_MINUTE {
        assert_eq!(guess(wrong.into()).await.status(), 422, "wrong code {i}");
    }
    let limited = guess(wrong.into()).await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    // Another address typing the right code, in lower case with a space.
    let typed = format!("{} {}", &r.code[..3], &r.code[3..]).to_lowercase();
    let res = r
        .app
        .client()
        .post(r.app.url("/j"))
        .header("x-forwarded-for", "192.0.2.8")
        .form(&[("code", typed.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/j/{}", r.code).as_str());
}

/// A class of 35 phones behind one school address joins and answers 20
/// questions: never a 429.
async fn a_class_behind_one_address_is_never_limited(store: Store) {
    let app = behind_a_proxy(store).await;
    let org = app.organisation("School council", None).await;
    let survey = app::surveys::building::store::create(&app.db, org, "Twenty questions", None)
        .await
        .unwrap();
    for i in 0..20 {
        let prompt = format!("Question {i}");
        let q = app::surveys::building::rules::parse_question(
            &app::forms::FormValues::from_pairs([
                ("kind", "single_choice"),
                ("prompt", prompt.as_str()),
                ("options", "Yes\nNo"),
            ]),
            None,
        )
        .unwrap();
        app::surveys::building::store::add_question(&app.db, survey, SurveyStatus::Draft, &q)
            .await
            .unwrap();
    }
    let q = app.question_ids(survey).await;
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (session, code) = app.start_live(&worker, survey).await;
    let session_path = format!("/staff/live/{session}");
    let school = "203.0.113.9";
    let phones: Vec<reqwest::Client> = (0..35).map(|_| app.client()).collect();
    for phone in &phones {
        let res = phone
            .get(app.url(&format!("/j/{code}")))
            .header("x-forwarded-for", school)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    for (i, qid) in q.iter().enumerate() {
        app.post(&worker, &session_path, &[("action", "next")])
            .await;
        // Eight phones at a time (a room taps over a few seconds, and the
        // rest of the test suite shares this machine); what matters here is
        // that one address is never limited, however many phones it carries.
        let url = app.url(&format!("/j/{code}"));
        let answered: Vec<(u16, u16)> = futures::stream::iter(phones.iter().enumerate())
            .map(|(p, phone)| {
                let (phone, url) = (phone.clone(), url.clone());
                let form = vec![
                    ("question".to_string(), qid.to_string()),
                    (
                        format!("q{qid}"),
                        if p % 2 == 0 { "o1" } else { "o2" }.to_string(),
                    ),
                ];
                async move {
                    let sent = phone
                        .post(&url)
                        .header("x-forwarded-for", school)
                        .form(&form)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16();
                    let shown = phone
                        .get(&url)
                        .header("x-forwarded-for", school)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16();
                    (sent, shown)
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        for statuses in answered {
            assert_eq!(statuses, (303, 200), "question {i}");
        }
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM responses WHERE live_session_id = {session}"
        ))
        .await,
        35
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.live_session_id = {session}"
        ))
        .await,
        700
    );
}

/// Reads server-sent events from `res` until one of `kind` whose data
/// contains `wanted`, for at most 10 seconds.
async fn event_with(mut res: reqwest::Response, kind: &str, wanted: &str) -> String {
    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Ok(Some(chunk)) = res.chunk().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            for event in seen.split("\n\n") {
                let is_kind = event.lines().any(|l| l == format!("event: {kind}"));
                let data: Vec<&str> = event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data: "))
                    .collect();
                let data = data.join("\n");
                if is_kind && data.contains(wanted) {
                    return Some(data);
                }
            }
        }
        None
    })
    .await;
    found
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {kind} event with {wanted:?}; saw:\n{seen}"))
}

async fn streams_carry_the_presenter_and_the_answers(store: Store) {
    let r = room(store).await;
    let phone = r.phone().await;
    let follow = phone
        .get(r.app.url(&format!("/j/{}/events", r.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(follow.status(), 200);
    assert_eq!(follow.headers()["content-type"], "text/event-stream");
    let before = app::live::store::state(&r.app.db, r.session)
        .await
        .unwrap()
        .unwrap()
        .version;
    r.control("next").await;
    event_with(follow, "state", &(before + 1).to_string()).await;

    let stage = r
        .worker
        .get(r.app.url(&format!("/staff/live/{}/events", r.session)))
        .send()
        .await
        .unwrap();
    assert_eq!(stage.status(), 200);
    let field = format!("q{}", r.q[0]);
    r.answer(&phone, &[("question", &r.q[0].to_string()), (&field, "o1")])
        .await;
    let data = event_with(stage, "stage", "\"answered\":1,").await;
    assert!(data.contains("Which night should we open?"));

    // A phone whose page was drawn just before the end connects after it:
    // it is told the ended session's version, once, and reloads.
    r.control("end").await;
    let ended = app::live::store::by_id(&r.app.db, r.session)
        .await
        .unwrap()
        .unwrap()
        .state
        .version;
    let late = phone
        .get(r.app.url(&format!("/j/{}/events", r.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 200);
    event_with(late, "state", &ended.to_string()).await;
    // A stranger's stream for the same code is a wrong code.
    let stranger = r
        .app
        .client()
        .get(r.app.url(&format!("/j/{}/events", r.code)))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 404);
}

/// With PostgreSQL, a presenter connected to one heard process sees an
/// answer sent to another process on the same database, and phones on the
/// other process follow the presenter.
async fn a_presenter_on_one_server_sees_answers_at_another(store: Store) {
    let r = room(store).await;
    let other = HeardProcess::start(
        r.app.database_url(),
        "another test secret that is long enough",
    );
    r.control("next").await;
    let stage = r
        .worker
        .get(r.app.url(&format!("/staff/live/{}/events", r.session)))
        .send()
        .await
        .unwrap();
    let phone = r.app.client();
    let page = format!("{}/j/{}", other.base, r.code);
    assert_eq!(phone.get(&page).send().await.unwrap().status(), 200);
    let follow = phone.get(format!("{page}/events")).send().await.unwrap();
    assert_eq!(follow.status(), 200);
    let field = format!("q{}", r.q[0]);
    let form = [
        ("question", r.q[0].to_string()),
        (field.as_str(), "o2".to_string()),
    ];
    let res = phone.post(&page).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 303);
    event_with(stage, "stage", "\"answered\":1,").await;
    // And the other way round: the presenter moves on, the phone hears it.
    let before = app::live::store::state(&r.app.db, r.session)
        .await
        .unwrap()
        .unwrap()
        .version;
    r.control("next").await;
    event_with(follow, "state", &(before + 1).to_string()).await;
}

async fn words_that_raise_a_flag_bring_help_and_one_item(store: Store) {
    let r = room(store).await;
    let phone = r.phone().await;
    for _ in 0..5 {
        r.control("next").await; // to the short text question
    }
    let q = r.q[4].to_string();
    let field = format!("q{}", r.q[4]);
    let words = "my stepdad hits me";
    r.answer(&phone, &[("question", &q), (&field, words)]).await;
    // Sent again (a retry) and changed: still one item, the words kept for the lead.
    r.answer(&phone, &[("question", &q), (&field, words)]).await;
    r.answer(&phone, &[("question", &q), (&field, "never mind")])
        .await;
    let page = r.page(&phone).await;
    assert!(page.has(".help-panel"), "help first");
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM safeguarding_items WHERE organisation_id = {}",
                r.org
            ))
            .await,
        1
    );
    // The presenter never sees them.
    let presenter = r.presenter_html().await;
    assert!(!presenter.contains("stepdad"));
    // Ordinary words can be shown on the projector.
    let other_phone = r.phone().await;
    r.answer(
        &other_phone,
        &[("question", &q), (&field, "more trips please")],
    )
    .await;
    let reference = r
        .app
        .count(&format!(
            "SELECT COUNT(*) FROM answers WHERE question_id = {} AND at_risk = 0",
            r.q[4]
        ))
        .await;
    assert_eq!(reference, 1);
    let (public_ref,): (String,) =
        sqlx::query_as("SELECT public_ref FROM answers WHERE question_id = $1 AND at_risk = 0")
            .bind(r.q[4])
            .fetch_one(r.app.db.pool())
            .await
            .unwrap();
    let res = r
        .app
        .post(
            &r.worker,
            &format!("/staff/live/{}", r.session),
            &[("action", "show_text"), ("answer", &public_ref)],
        )
        .await;
    assert_eq!(res.status(), 303);
    let presenter = r.presenter_html().await;
    assert_eq!(
        Page::parse(&presenter).texts(".stage-texts li"),
        vec!["more trips please".to_string()]
    );
}

/// Once a phone's words raise a flag, everything it wrote is held for the
/// lead and taken off the projector, and so is what it writes after; words
/// it changes are kept beside the lead's, never lost.
async fn a_phone_whose_words_raise_a_flag_is_held_from_then_on(store: Store) {
    let r = room(store).await;
    let phone = r.phone().await;
    for _ in 0..5 {
        r.control("next").await; // the short text question
    }
    let (short, long) = (r.q[4], r.q[5]);
    let path = format!("/staff/live/{}", r.session);
    let show = |public_ref: String| {
        let r = &r;
        let path = path.clone();
        async move {
            r.app
                .post(
                    &r.worker,
                    &path,
                    &[("action", "show_text"), ("answer", &public_ref)],
                )
                .await
                .status()
        }
    };
    let reference = |question: i64| {
        let r = &r;
        async move {
            let (public_ref,): (String,) = sqlx::query_as(
                "SELECT public_ref FROM answers WHERE question_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(question)
            .fetch_one(r.app.db.pool())
            .await
            .unwrap();
            public_ref
        }
    };
    let sf = format!("q{short}");
    r.answer(
        &phone,
        &[("question", &short.to_string()), (&sf, "more trips")],
    )
    .await;
    assert_eq!(
        show(reference(short).await).await,
        303,
        "ordinary words can be shown"
    );
    // The same phone changes its words to a disclosure, then changes them again.
    r.answer(
        &phone,
        &[
            ("question", &short.to_string()),
            (&sf, "he hits me at home"),
        ],
    )
    .await;
    r.answer(
        &phone,
        &[("question", &short.to_string()), (&sf, "forget it")],
    )
    .await;
    let kept = r
        .app
        .count(&format!(
            "SELECT COUNT(*) FROM answers WHERE question_id = {short} AND at_risk = 1"
        ))
        .await;
    assert_eq!(
        kept, 2,
        "the disclosure stays as written, the change is held beside it"
    );
    assert_eq!(
        r.page(&phone)
            .await
            .attrs(&format!("input[name={sf}]"), "value"),
        vec!["forget it".to_string()],
        "the phone sees its newest words"
    );
    // Changed again and back: never more than the lead's words and the newest.
    r.answer(&phone, &[("question", &short.to_string()), (&sf, "ok")])
        .await;
    r.answer(
        &phone,
        &[
            ("question", &short.to_string()),
            (&sf, "he hits me at home"),
        ],
    )
    .await;
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM answers WHERE question_id = {short}"
            ))
            .await,
        1,
        "back to the lead's words: they are the answer again"
    );
    assert_eq!(
        r.page(&phone)
            .await
            .attrs(&format!("input[name={sf}]"), "value"),
        vec!["he hits me at home".to_string()]
    );
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM answers WHERE question_id = {short} AND live_shown = 1"
            ))
            .await,
        0,
        "nothing of theirs stays on the projector"
    );
    // What it writes next is held too, and cannot be shown; help stays first.
    r.control("next").await;
    assert!(r.page(&phone).await.has(".help-panel"));
    let lf = format!("q{long}");
    r.answer(
        &phone,
        &[("question", &long.to_string()), (&lf, "the club is fine")],
    )
    .await;
    assert_eq!(show(reference(long).await).await, 422);
    // Another phone's words are not affected.
    let other = r.phone().await;
    r.answer(
        &other,
        &[("question", &long.to_string()), (&lf, "more music nights")],
    )
    .await;
    assert_eq!(show(reference(long).await).await, 303);
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM safeguarding_items WHERE organisation_id = {}",
                r.org
            ))
            .await,
        1
    );
    assert!(!r.page(&other).await.has(".help-panel"));
    // To the end.
    r.control("end").await;
    let ended = r.page(&phone).await;
    assert!(ended.has(".help-panel") && ended.main_text().contains("This session has ended"));
}

/// One phone pouring answers in is held to a minute's worth; the others are not.
async fn a_phone_pouring_answers_is_limited(store: Store) {
    let r = room(store).await;
    let phone = r.phone().await;
    r.control("next").await;
    let (q, f) = (r.q[0].to_string(), format!("q{}", r.q[0]));
    for i in 0..app::live::handlers::POSTS_PER_PHONE_PER_MINUTE {
        let value = if i % 2 == 0 { "o1" } else { "o2" };
        r.answer(&phone, &[("question", &q), (&f, value)]).await;
    }
    let res = r
        .app
        .post(
            &phone,
            &format!("/j/{}", r.code),
            &[("question", &q), (&f, "o1")],
        )
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    let other = r.phone().await;
    assert!(r
        .answer(&other, &[("question", &q), (&f, "o1")])
        .await
        .ends_with("?saved=1"));
}

/// One phone tapping send ten times at once, with different answers, and a
/// lock pressed among them: one answer stored, never two.
async fn concurrent_taps_store_one_answer(store: Store) {
    let r = room(store).await;
    let phone = r.phone().await;
    r.control("next").await;
    let q0 = r.q[0];
    let f0 = format!("q{q0}");
    let taps: Vec<_> = (0..10)
        .map(|i| {
            let (phone, url) = (phone.clone(), r.app.url(&format!("/j/{}", r.code)));
            let value = if i % 2 == 0 { "o1" } else { "o2" };
            let form = vec![
                ("question".to_string(), q0.to_string()),
                (f0.clone(), value.to_string()),
            ];
            tokio::spawn(async move { phone.post(url).form(&form).send().await.unwrap().status() })
        })
        .collect();
    for t in taps {
        assert_eq!(t.await.unwrap(), 303);
    }
    assert_eq!(
        r.app
            .count(&format!(
                "SELECT COUNT(*) FROM answers WHERE question_id = {q0}"
            ))
            .await,
        1
    );
}

/// A script making up phones from one address is held to a minute's worth.
async fn made_up_phones_from_one_address_are_limited(store: Store) {
    let r = room_on(behind_a_proxy(store).await).await;
    let path = r.app.url(&format!("/j/{}", r.code));
    // A phone (a client with its own cookies) opening the join link from `address`.
    let join = |phone: &reqwest::Client, address: &'static str| {
        phone.get(&path).header("x-forwarded-for", address).send()
    };
    let per_minute = app::live::handlers::NEW_PHONES_PER_MINUTE;
    let started = std::time::Instant::now();
    for i in 0..per_minute {
        let res = join(&r.app.client(), "198.51.100.1").await.unwrap();
        assert_eq!(res.status(), 200, "phone {i}");
    }
    // The allowance comes back a little at a time (a phone a second), so
    // on a busy machine the next phone or two may still get in; the one
    // after what came back while they were joining never does.
    let mut extra = 0;
    let res = loop {
        let res = join(&r.app.client(), "198.51.100.1").await.unwrap();
        let came_back = started.elapsed().as_secs_f64() * f64::from(per_minute) / 60.0;
        if res.status() != 200 || f64::from(extra) > came_back + 1.0 || extra >= 10 {
            break res;
        }
        extra += 1;
    };
    assert_eq!(res.status(), 429, "{extra} more phones got in");
    assert!(res.headers().contains_key("retry-after"));
    // A phone that has joined is never limited by it.
    let joined = r.app.client();
    let res = join(&joined, "198.51.100.2").await.unwrap();
    assert_eq!(res.status(), 200);
    let again = join(&joined, "198.51.100.1").await.unwrap();
    assert_eq!(again.status(), 200);
}

async fn the_join_link_reads_as_a_qr_code(store: Store) {
    let r = room(store).await;
    let html = r.presenter_html().await;
    let start = html.find("<svg").expect("an svg");
    let end = html[start..].find("</svg>").expect("its end") + start + 6;
    let dir = std::env::temp_dir().join(format!("heard-qr-{}", r.code));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("join.svg");
    std::fs::write(&svg, &html[start..end]).unwrap();
    let out = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&svg)
        .output()
        .expect("zbarimg (Debian zbar-tools) is installed");
    let _ = std::fs::remove_dir_all(&dir);
    let read = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(read, r.app.url(&format!("/j/{}", r.code)));
}

crate::on_both_databases!(
    a_room_follows_the_presenter_and_its_answers_are_kept,
    only_the_organisation_runs_and_sees_its_session,
    wrong_codes_are_limited_and_right_ones_are_not,
    a_class_behind_one_address_is_never_limited,
    streams_carry_the_presenter_and_the_answers,
    words_that_raise_a_flag_bring_help_and_one_item,
    a_phone_whose_words_raise_a_flag_is_held_from_then_on,
    concurrent_taps_store_one_answer,
    a_phone_pouring_answers_is_limited,
    made_up_phones_from_one_address_are_limited,
    the_join_link_reads_as_a_qr_code,
);

mod across_servers {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_presenter_on_one_server_sees_answers_at_another() {
        super::a_presenter_on_one_server_sees_answers_at_another(crate::common::Store::Postgres)
            .await
    }
}
