//! Results and insights at national scale, on SQLite and PostgreSQL:
//!
//! - a loader fills a database with 1,000,000 realistic responses (every
//!   question kind, ten answers each: 10,000,000 answers) in a few
//!   statements (`tests/it/seeding.rs`), then the running tallies fold them
//!   in (the same job `heard serve` runs, timed here as a throughput);
//! - the staff results page and the commissioner's overview (and its
//!   comparison by area, and one survey's disclosed results) over real HTTP:
//!   p50 and p95 of 20 loads each;
//! - the organisation's download of every response as CSV and as `.xlsx`:
//!   seconds and the process's peak memory while it streams.
//!
//! Run with `cargo bench -p server --bench results`; set
//! `HEARD_BENCH_RESPONSES` for another size. Bounded: it stops after a fixed
//! number of requests to 127.0.0.1.

#[path = "../tests/it/common.rs"]
mod common;
#[path = "../tests/it/seeding.rs"]
mod seeding;

use app::accounts::Role;
use app::surveys::model::SurveyStatus;
use common::{Store, TestApp};
use std::time::{Duration, Instant};

const LOADS: usize = 20;

fn responses() -> usize {
    std::env::var("HEARD_BENCH_RESPONSES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// A memory figure of this process from /proc/self/status, in MB (Linux):
/// `VmHWM` the peak resident since the last reset, `VmRSS` resident now.
fn memory_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Starts counting peak memory from now (Linux: "5" resets the peak).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn timed(client: &reqwest::Client, url: &str) -> (Duration, usize) {
    let t = Instant::now();
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    let bytes = res.bytes().await.unwrap().len();
    (t.elapsed(), bytes)
}

async fn page(store: Store, client: &reqwest::Client, name: &str, url: &str) {
    timed(client, url).await;
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..LOADS {
        let (t, b) = timed(client, url).await;
        times.push(t);
        bytes = b;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{:<9} {name:<34} p50 {:>7.1} ms   p95 {:>7.1} ms   {bytes:>7} bytes",
        format!("{store:?}"),
        ms(times[LOADS / 2]),
        ms(times[LOADS * 95 / 100]),
    );
}

/// Streams a download to nowhere, counting bytes: (seconds, bytes, resident
/// MB before, peak MB during). The server, the database (SQLite's page
/// cache) and this client share the process, so the peak less the resident
/// memory before is what the download itself took.
async fn download(client: &reqwest::Client, url: &str) -> (f64, usize, f64, f64) {
    reset_peak();
    let before = memory_mb("VmRSS:");
    let t = Instant::now();
    let mut res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    let mut bytes = 0;
    while let Some(chunk) = res.chunk().await.unwrap() {
        bytes += chunk.len();
    }
    (
        t.elapsed().as_secs_f64(),
        bytes,
        before,
        memory_mb("VmHWM:"),
    )
}

async fn run(store: Store) {
    let n = responses();
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Bench", Some("E08000025")).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let t = Instant::now();
    seeding::seed_responses(&app, id, &q, n, 1_795_000_000 / 86_400 * 86_400).await;
    // A second survey, so the overview reads over 10,000,000 answers.
    let other = app.organisation("Bench Two", Some("E08000035")).await;
    let (id2, _) = app.survey_with_every_kind(other, SurveyStatus::Open).await;
    let q2 = app.question_ids(id2).await;
    seeding::seed_responses(&app, id2, &q2, n / 8, 1_795_000_000 / 86_400 * 86_400).await;
    // Spread over a year: a month back for each of twelve.
    sqlx::query("UPDATE responses SET submitted_at = submitted_at - (id % 12) * 30 * 86400")
        .execute(app.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE questions SET outcome = 'safe' WHERE kind IN ('scale', 'yes_no')")
        .execute(app.db.pool())
        .await
        .unwrap();
    let answers = app.count("SELECT COUNT(*) FROM answers").await;
    println!(
        "{:<9} loaded {} responses ({answers} answers) in {:.1} s",
        format!("{store:?}"),
        n + n / 8,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let folded = app::tallies::store::fold(&app.db, usize::MAX)
        .await
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{:<9} folded {folded} rows into the tallies in {secs:.1} s ({:.0} rows/s)",
        format!("{store:?}"),
        folded as f64 / secs
    );

    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let national = app.signed_in(Role::Admin, None, &[]).await;
    page(
        store,
        &worker,
        "results page",
        &app.url(&format!("/staff/surveys/{id}/results")),
    )
    .await;
    page(
        store,
        &national,
        "commissioner overview",
        &app.url("/staff/insights"),
    )
    .await;
    page(
        store,
        &national,
        "overview by area, young carers",
        &app.url("/staff/insights?by=area&group=young_carer"),
    )
    .await;
    page(
        store,
        &national,
        "one survey, disclosed",
        &app.url(&format!("/staff/insights/surveys/{id}")),
    )
    .await;
    page(
        store,
        &national,
        "who has not been heard",
        &app.url("/staff/insights/reach"),
    )
    .await;

    for ext in ["csv", "xlsx"] {
        let (secs, bytes, before, peak) = download(
            &worker,
            &app.url(&format!("/staff/surveys/{id}/responses.{ext}")),
        )
        .await;
        println!(
            "{:<9} {n} responses as .{ext:<4}  {secs:>6.1} s   {:>6.1} MB   memory {before:>6.1} MB before, peak {peak:>6.1} MB (+{:.1} MB)",
            format!("{store:?}"),
            bytes as f64 / 1_048_576.0,
            peak - before,
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
