//! Ratings of services a second, over real HTTP on loopback, 40 phones at
//! once, each a phone new to heard (its cookie made on the way), every one
//! acknowledged only after it commits with its once-a-month mark; a search
//! of the directory at 10,000 services; and the weight of the young people's
//! new pages. Run with `make bench`.
//!
//! Each sender is a phone on its own network (its own `X-Forwarded-For`,
//! trusted as behind a proxy), as the submissions bench does.

#[path = "../tests/it/common.rs"]
mod common;

use app::services::{Kind, ServiceFields};
use app::state::Settings;
use common::{new_key, Store, TestApp};
use std::time::{Duration, Instant};

const RATINGS: usize = 2000;
const CONCURRENCY: usize = 40;
const WARM_UP: usize = 80;
const SERVICES: usize = 10_000;
const SEARCHES: usize = 200;

fn rating(q: &[i64], i: usize) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = q[..4]
        .iter()
        .enumerate()
        .map(|(n, id)| (format!("q{id}"), ((i + n) % 5 + 1).to_string()))
        .collect();
    if i.is_multiple_of(4) {
        form.push((
            format!("q{}", q[4]),
            "More trips and longer opening on Fridays please".into(),
        ));
    }
    form.push(("about_age".into(), "13-15".into()));
    form.push(("submission_key".into(), new_key()));
    form
}

async fn send(client: &reqwest::Client, url: &str, q: &[i64], i: usize) -> reqwest::StatusCode {
    client
        .post(url)
        .header(
            "x-forwarded-for",
            format!("10.{}.{}.{}", i / 62_500 % 250, i / 250 % 250, i % 250),
        )
        .form(&rating(q, i))
        .send()
        .await
        .unwrap()
        .status()
}

async fn run(store: Store) {
    let settings = Settings {
        trust_forwarded_for: true,
        ..Settings::default()
    };
    let app = TestApp::spawn_with(store, settings).await;
    let org = app.organisation("Bench", Some("E08000025")).await;
    let fields = |name: String, kind| ServiceFields {
        name,
        kind: Some(kind),
        area_code: "E08000025".into(),
        description: "Open Tuesday and Thursday evenings for 11 to 19 year olds.".into(),
        ..Default::default()
    };
    let id = app::services::store::create(
        &app.db,
        org,
        &fields("Northfield Youth Club".into(), Kind::YouthService),
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let s = app::services::store::by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    let q = app.question_ids(s.survey_id).await;
    let url = app.url(&format!("/s/{}", s.rating_slug));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let mut warming = Vec::new();
    for w in 0..CONCURRENCY {
        let (client, url, q) = (client.clone(), url.clone(), q.clone());
        warming.push(tokio::spawn(async move {
            for i in 0..WARM_UP / CONCURRENCY {
                send(&client, &url, &q, 1_000_000 + w * 100 + i).await;
            }
        }));
    }
    for w in warming {
        w.await.unwrap();
    }
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CONCURRENCY {
        let (client, url, q) = (client.clone(), url.clone(), q.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in (w..RATINGS).step_by(CONCURRENCY) {
                let t = Instant::now();
                assert_eq!(send(&client, &url, &q, i).await, 303);
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64()
            * 1000.0
    };
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM responses WHERE survey_id = {}",
            s.survey_id
        ))
        .await;
    assert_eq!(stored as usize, RATINGS + WARM_UP, "every rating stored");
    let marks = app.count("SELECT COUNT(*) FROM phone_marks").await;
    assert_eq!(marks as usize, RATINGS + WARM_UP, "each with its mark");
    println!(
        "{:<10} {RATINGS} ratings, {CONCURRENCY} at once: {:>6.0}/s   p50 {:>5.1} ms   p95 {:>5.1} ms   p99 {:>5.1} ms",
        format!("{store:?}"),
        RATINGS as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
    );

    // The directory at 10,000 services: a forgiving search over all of them.
    let kinds = Kind::ALL;
    let words = [
        "Youth", "Club", "Centre", "Health", "Careers", "Library", "Hub", "Project", "Team",
        "Service",
    ];
    let mut tx = app.db.write().await.unwrap();
    for i in 0..SERVICES {
        let name = format!(
            "{} {} {} {i}",
            words[i % 10],
            words[i / 10 % 10],
            words[i / 100 % 10]
        );
        app::services::store::create_in(&mut tx, org, &fields(name, kinds[i % kinds.len()]), None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let page_client = reqwest::Client::new();
    let t = Instant::now();
    for _ in 0..SEARCHES {
        let res = page_client
            .get(app.url("/services?q=yuoth+clb"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.bytes().await.unwrap();
    }
    println!(
        "{:<10} directory search \"yuoth clb\" over {} services: {:>6.1} ms a page",
        format!("{store:?}"),
        SERVICES + 1,
        t.elapsed().as_secs_f64() * 1000.0 / SEARCHES as f64
    );
}

/// The bytes of the young people's new pages, as a phone fetches them.
async fn page_weights() {
    let app = TestApp::spawn(Store::Sqlite).await;
    let org = app.organisation("Weights", Some("E08000025")).await;
    let id = app::services::store::create(
        &app.db,
        org,
        &ServiceFields {
            name: "Northfield Youth Club".into(),
            kind: Some(Kind::YouthService),
            area_code: "E08000025".into(),
            description: "Open Tuesday and Thursday evenings.".into(),
            ..Default::default()
        },
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let s = app::services::store::by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap();
    let pages = [
        "/".to_string(),
        "/services".into(),
        "/services?q=youth+club".into(),
        format!("/services/{}", s.slug),
        format!("/s/{}", s.rating_slug),
        "/ideas".into(),
        "/ideas/new".into(),
        "/you-said-we-did".into(),
    ];
    let client = reqwest::Client::new();
    for page in pages {
        let mut sizes = Vec::new();
        for encoding in ["br", "gzip", "identity"] {
            let res = client
                .get(app.url(&page))
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{page}");
            sizes.push(res.bytes().await.unwrap().len());
        }
        println!(
            "page {page:<28} br {:>6} B   gzip {:>6} B   html {:>6} B",
            sizes[0], sizes[1], sizes[2]
        );
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        page_weights().await;
        run(Store::Sqlite).await;
        if std::env::var("TEST_POSTGRES_URL").is_ok() {
            run(Store::Postgres).await;
        } else {
            println!("PostgreSQL skipped: set TEST_POSTGRES_URL (make bench does)");
        }
    });
}
