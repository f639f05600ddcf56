//! How many survey submissions a second heard stores, over real HTTP on
//! loopback, with a room (or a school) of phones sending at once. Each
//! submission answers seven questions plus "about you" and is acknowledged
//! only after it commits. Then how fast the survey page itself is served, in
//! each encoding a phone may ask for. Run with `make bench`.
//!
//! Bounded: a fixed number of requests to 127.0.0.1, then it stops.
//!
//! Each of the 40 senders is a phone on its own network (its own
//! `X-Forwarded-For`, trusted as behind a proxy): one address sending 2,000
//! would rightly meet the per-address limit on survey posts.

#[path = "../tests/it/common.rs"]
mod common;

use app::state::Settings;
use app::surveys::model::SurveyStatus;
use common::{full_answers, new_key, Store, TestApp};
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 40;
const PAGE_VIEWS: usize = 2000;
const WARM_UP: usize = 80;

async fn fetch(client: &reqwest::Client, url: &str, encoding: &str) -> usize {
    let res = client
        .get(url)
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.bytes().await.unwrap().len()
}

/// Survey page views a second with `encoding` accepted, 40 at once, and the bytes each took.
async fn page_views(url: &str, encoding: &'static str) -> (f64, f64, usize) {
    let client = reqwest::Client::new();
    let bytes = fetch(&client, url, encoding).await;
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CONCURRENCY {
        let (client, url) = (client.clone(), url.to_string());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for _ in (w..PAGE_VIEWS).step_by(CONCURRENCY) {
                let t = Instant::now();
                fetch(&client, &url, encoding).await;
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for w in workers {
        latencies.extend(w.await.unwrap());
    }
    let per_second = PAGE_VIEWS as f64 / started.elapsed().as_secs_f64();
    latencies.sort();
    let p95 = latencies[latencies.len() * 95 / 100].as_secs_f64() * 1000.0;
    (per_second, p95, bytes)
}

async fn run(store: Store) {
    // A burst by default; `HEARD_BENCH_SUBMISSIONS=20000` keeps answers
    // arriving long enough for the fold to run at its limit while they do.
    let submissions: usize = std::env::var("HEARD_BENCH_SUBMISSIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let settings = Settings {
        trust_forwarded_for: true,
        ..Settings::default()
    };
    let app = TestApp::spawn_with(store, settings).await;
    let org = app.organisation("Bench", Some("E08000025")).await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let url = app.url(&format!("/s/{slug}"));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Warm up caches and every pooled connection, as many at once as the
    // timed run sends: opening database connections is set-up, not storing.
    let mut warming = Vec::new();
    for w in 0..CONCURRENCY {
        let (client, url, q) = (client.clone(), url.clone(), q.clone());
        warming.push(tokio::spawn(async move {
            for _ in 0..WARM_UP / CONCURRENCY {
                client
                    .post(&url)
                    .header("x-forwarded-for", format!("10.0.1.{w}"))
                    .form(&full_answers(&q, &new_key()))
                    .send()
                    .await
                    .unwrap();
            }
        }));
    }
    for w in warming {
        w.await.unwrap();
    }
    // The running tallies' fold job runs as it does in `heard serve`.
    let folding = tokio::spawn(app::tallies::store::keep_folding(app.db.clone(), 50));
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CONCURRENCY {
        let (client, url, q) = (client.clone(), url.clone(), q.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in (w..submissions).step_by(CONCURRENCY) {
                let t = Instant::now();
                // A few posts an address: a school's phones, within the
                // limit per address however long the run.
                let address = format!("10.{}.{}.{w}", 1 + i / 50_000, (i / 200) % 250);
                let status = client
                    .post(&url)
                    .header("x-forwarded-for", address)
                    .form(&full_answers(&q, &new_key()))
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 303);
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
    folding.abort();
    latencies.sort();
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)].as_secs_f64()
            * 1000.0
    };
    let stored = app
        .count(&format!(
            "SELECT COUNT(*) FROM responses WHERE survey_id = {id}"
        ))
        .await;
    assert_eq!(
        stored as usize,
        submissions + WARM_UP,
        "every submission stored"
    );
    println!(
        "{:<10} {submissions} submissions, {CONCURRENCY} at once: {:>6.0}/s   p50 {:>5.1} ms   p95 {:>5.1} ms   p99 {:>5.1} ms",
        format!("{store:?}"),
        submissions as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
    );

    // Reading results after the rush: the grouped queries behind the results page.
    let form = app::surveys::store::by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap()
        .form;
    let t = Instant::now();
    for _ in 0..20 {
        app::surveys::results::store::raw_results(&app.db, &form)
            .await
            .unwrap();
    }
    println!(
        "{:<10} results for {} responses: {:>6.1} ms each",
        format!("{store:?}"),
        stored,
        t.elapsed().as_secs_f64() * 1000.0 / 20.0
    );

    for encoding in ["br", "gzip", "identity"] {
        let (per_second, p95, bytes) = page_views(&url, encoding).await;
        println!(
            "{:<10} survey page, {encoding:<8} {PAGE_VIEWS} views, {CONCURRENCY} at once: {per_second:>6.0}/s   p95 {p95:>5.1} ms   {bytes:>6} bytes",
            format!("{store:?}"),
        );
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        run(Store::Sqlite).await;
        if std::env::var("TEST_POSTGRES_URL").is_ok() {
            run(Store::Postgres).await;
        } else {
            println!("PostgreSQL skipped: set TEST_POSTGRES_URL (make bench does)");
        }
    });
}
