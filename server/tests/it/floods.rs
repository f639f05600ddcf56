//! Floods: many survey posts from one address, and more requests at once
//! than the server takes. A school's classes always get through; a flood is
//! held to the limit and nothing beyond it is stored.

use crate::common::{full_answers, new_key, Store, TestApp};
use app::surveys::answering::limiter::SURVEY_POSTS_PER_MINUTE;
use app::surveys::model::SurveyStatus;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn open_survey(store: Store) -> (TestApp, String, Vec<i64>) {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    (app, slug, q)
}

struct Sent {
    status: u16,
    retry_after: Option<String>,
    body: String,
}

/// Sends every form at once from its own connection (from `from`, a loopback
/// address), and returns what came back.
async fn send_all(
    app: &TestApp,
    path: &str,
    from: std::net::IpAddr,
    forms: Vec<Vec<(String, String)>>,
) -> Vec<Sent> {
    let tasks: Vec<_> = forms
        .into_iter()
        .map(|form| {
            let url = app.url(path);
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .local_address(from)
                    .build()
                    .unwrap();
                let res = client.post(url).form(&form).send().await.unwrap();
                Sent {
                    status: res.status().as_u16(),
                    retry_after: res
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_string()),
                    body: res.text().await.unwrap(),
                }
            })
        })
        .collect();
    let mut sent = Vec::new();
    for t in tasks {
        sent.push(t.await.unwrap());
    }
    sent
}

fn school() -> std::net::IpAddr {
    "127.0.0.1".parse().unwrap()
}

async fn two_classes_on_one_school_address_all_get_their_answers_stored(store: Store) {
    let (app, slug, q) = open_survey(store).await;
    let forms = (0..70).map(|_| full_answers(&q, &new_key())).collect();
    let sent = send_all(&app, &format!("/s/{slug}"), school(), forms).await;
    for s in &sent {
        assert_eq!(s.status, 303, "every phone is told its answers are safe");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 70);
}

async fn a_flood_from_one_address_is_held_to_the_limit_and_nothing_beyond_it_is_stored(
    store: Store,
) {
    let (app, slug, q) = open_survey(store).await;
    let limit = SURVEY_POSTS_PER_MINUTE as usize;
    let started = Instant::now();
    let mut sent = Vec::new();
    // In waves of 40 (well under the server's limit on requests at once, and
    // a short write queue on a busy machine), 80 more than the limit.
    for _ in 0..(limit + 80) / 40 {
        let forms = (0..40).map(|_| full_answers(&q, &new_key())).collect();
        sent.extend(send_all(&app, &format!("/s/{slug}"), school(), forms).await);
    }
    let elapsed = started.elapsed();
    let stored = app.count("SELECT COUNT(*) FROM responses").await as usize;
    let accepted = sent.iter().filter(|s| s.status == 303).count();
    let refused: Vec<&Sent> = sent.iter().filter(|s| s.status == 429).collect();
    assert_eq!(accepted + refused.len(), sent.len(), "only 303 or 429");
    assert!(accepted >= limit, "the whole quota is usable at once");
    assert_eq!(stored, accepted, "only what was accepted is stored");
    // The quota refills at one post every 60/limit seconds while the flood runs.
    let refilled = (elapsed.as_secs_f64() * limit as f64 / 60.0).ceil() as usize;
    assert!(
        stored <= limit + refilled,
        "{stored} stored from one address in {elapsed:?}"
    );
    assert!(!refused.is_empty(), "the flood was stopped");
    for r in &refused {
        let wait: u64 = r.retry_after.as_deref().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait));
    }
    let page = &refused[0].body;
    assert!(page.contains("Lots of answers are being sent from where you are"));
    assert!(
        page.contains("More trips\nand later opening"),
        "the page comes back with the answers kept"
    );

    // Another address, meanwhile, is not held up.
    let elsewhere = send_all(
        &app,
        &format!("/s/{slug}"),
        "127.0.0.2".parse().unwrap(),
        vec![full_answers(&q, &new_key())],
    )
    .await;
    assert_eq!(elsewhere[0].status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await as usize,
        stored + 1
    );
}

/// Young people's answers are never shed, even beyond the router's limit on
/// requests at once ([`heard::MAX_IN_FLIGHT`]): a shed post would come back
/// without its form. With every writer held, each waits its bounded turn and
/// comes back busy with its answers kept; once writes move, a send goes
/// through. (Other requests are shed: see `bounds` below.)
async fn answers_are_never_shed_even_beyond_the_routers_limit(store: Store) {
    let settings = app::state::Settings {
        trust_forwarded_for: true,
        ..app::state::Settings::default()
    };
    let app = TestApp::spawn_with(store, settings).await;
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let extra = 20;
    let held = app.db.hold_writes().await;
    let tasks: Vec<_> = (0..heard::MAX_IN_FLIGHT + extra)
        .map(|i| {
            // Each its own network, so the per-address limit stays out of it.
            let (url, form) = (app.url(&format!("/s/{slug}")), full_answers(&q, &new_key()));
            tokio::spawn(async move {
                let res = reqwest::Client::new()
                    .post(url)
                    .header("x-forwarded-for", format!("10.{}.{}.1", i / 256, i % 256))
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            })
        })
        .collect();
    let mut shed = 0;
    let mut busy_with_answers = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 503);
        if body.contains("<form") {
            assert!(body.contains("More trips\nand later opening"));
            busy_with_answers += 1;
        } else {
            shed += 1;
        }
    }
    drop(held);
    assert_eq!(shed, 0, "no answers shed");
    assert_eq!(busy_with_answers + shed, heard::MAX_IN_FLIGHT + extra);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    let sent = send_all(
        &app,
        &format!("/s/{slug}"),
        school(),
        vec![full_answers(&q, &new_key())],
    )
    .await;
    assert_eq!(sent[0].status, 303, "with room again, answers are stored");
}

on_both_databases!(
    two_classes_on_one_school_address_all_get_their_answers_stored,
    a_flood_from_one_address_is_held_to_the_limit_and_nothing_beyond_it_is_stored,
    answers_are_never_shed_even_beyond_the_routers_limit,
);

mod bounds {
    //! The limits on every request, on a small router of their own: no
    //! database is involved, so once is enough.
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tokio::sync::Semaphore;
    use tower::ServiceExt;

    /// A router whose `/wait` holds each request until `gate` gives a permit,
    /// counting those that started in `started`; `/fast` answers at once.
    fn slow_router(gate: Arc<Semaphore>, started: Arc<AtomicUsize>) -> Router {
        Router::new()
            .route(
                "/wait",
                get(move || async move {
                    started.fetch_add(1, Ordering::SeqCst);
                    let _permit = gate.acquire().await.unwrap();
                    "done"
                }),
            )
            .route("/fast", get(|| async { "fast" }))
    }

    fn get_req(path: &str) -> Request<Body> {
        Request::get(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn requests_beyond_the_limit_are_shed_at_once_and_the_rest_are_served() {
        let (gate, started) = (Arc::new(Semaphore::new(0)), Arc::new(AtomicUsize::new(0)));
        let router = slow_router(gate.clone(), started.clone())
            .layer(heard::bounds(2, Duration::from_secs(60)));
        let held: Vec<_> = (0..2)
            .map(|_| tokio::spawn(router.clone().oneshot(get_req("/wait"))))
            .collect();
        tokio::time::timeout(Duration::from_secs(30), async {
            while started.load(Ordering::SeqCst) < 2 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await
        .expect("both requests started");

        let shed = tokio::time::timeout(
            Duration::from_secs(10),
            router.clone().oneshot(get_req("/fast")),
        )
        .await
        .expect("shed at once, not queued")
        .unwrap();
        assert_eq!(shed.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(shed.headers().get("retry-after").is_some());

        gate.add_permits(2);
        for h in held {
            assert_eq!(h.await.unwrap().unwrap().status(), StatusCode::OK);
        }
        let after = router.oneshot(get_req("/fast")).await.unwrap();
        assert_eq!(after.status(), StatusCode::OK, "served once there is room");
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_is_answered_busy() {
        let (gate, started) = (Arc::new(Semaphore::new(0)), Arc::new(AtomicUsize::new(0)));
        let router = slow_router(gate, started).layer(heard::bounds(8, Duration::from_millis(300)));
        let slow = tokio::time::timeout(
            Duration::from_secs(30),
            router.clone().oneshot(get_req("/wait")),
        )
        .await
        .expect("the timeout answers")
        .unwrap();
        assert_eq!(slow.status(), StatusCode::SERVICE_UNAVAILABLE);
        let fast = router.oneshot(get_req("/fast")).await.unwrap();
        assert_eq!(fast.status(), StatusCode::OK);
    }
}
