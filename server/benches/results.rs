//! How the staff results page holds up at 100,000 responses: time to first
//! byte, time to the last byte, and the size of the HTML (as sent
//! uncompressed, and gzipped), on SQLite and PostgreSQL. The responses are
//! written straight into the database (see `tests/it/seeding.rs`), then a
//! signed-in youth worker asks for the page over real HTTP on loopback.
//!
//! Run with `cargo bench -p server --bench results` (add `--profile dev` to
//! skip the release build; the numbers are then for unoptimised code).
//! Bounded: a fixed number of requests to 127.0.0.1, then it stops.

#[path = "../tests/it/common.rs"]
mod common;
#[path = "../tests/it/seeding.rs"]
mod seeding;

use app::accounts::Role;
use app::surveys::model::SurveyStatus;
use common::{Store, TestApp};
use std::time::{Duration, Instant};

const RESPONSES: usize = 100_000;
const LOADS: usize = 5;

struct Load {
    first_byte: Duration,
    last_byte: Duration,
    bytes: usize,
}

async fn load(client: &reqwest::Client, url: &str, encoding: &str) -> Load {
    let t = Instant::now();
    let res = client
        .get(url)
        .header("accept", "text/html")
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    let first_byte = t.elapsed();
    assert_eq!(res.status(), 200, "{url}");
    let bytes = res.bytes().await.unwrap().len();
    Load {
        first_byte,
        last_byte: t.elapsed(),
        bytes,
    }
}

/// The median of `LOADS` loads (after one to warm up).
async fn measure(store: Store, client: &reqwest::Client, name: &str, url: &str) {
    load(client, url, "identity").await;
    let mut loads = Vec::new();
    for _ in 0..LOADS {
        loads.push(load(client, url, "identity").await);
    }
    loads.sort_by_key(|l| l.last_byte);
    let m = &loads[LOADS / 2];
    let gzipped = load(client, url, "gzip").await.bytes;
    println!(
        "{:<9} {name:<28} first byte {:>7.0} ms   last byte {:>7.0} ms   {:>9} bytes   ({:>8} gzipped)",
        format!("{store:?}"),
        m.first_byte.as_secs_f64() * 1000.0,
        m.last_byte.as_secs_f64() * 1000.0,
        m.bytes,
        gzipped,
    );
}

async fn run(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Bench", Some("E08000025")).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let t = Instant::now();
    seeding::seed_responses(&app, id, &q, RESPONSES, 1_795_000_000 / 86400 * 86400).await;
    println!(
        "{:<9} seeded {RESPONSES} responses in {:.1} s",
        format!("{store:?}"),
        t.elapsed().as_secs_f64()
    );
    // The queries behind the page, each on its own.
    let form = app::surveys::store::by_id(&app.db, id)
        .await
        .unwrap()
        .unwrap()
        .form;
    let t = Instant::now();
    app::surveys::results::store::raw_results(&app.db, &form)
        .await
        .unwrap();
    let tallies = t.elapsed();
    let t = Instant::now();
    app::surveys::results::store::text_answers(&app.db, q[5], 0, 50)
        .await
        .unwrap();
    let first_page = t.elapsed();
    let t = Instant::now();
    app::surveys::results::store::text_answers(&app.db, q[5], RESPONSES as i64 - 50, 50)
        .await
        .unwrap();
    println!(
        "{:<9} queries: tallies {:.0} ms, first page of free text {:.0} ms, last page {:.0} ms",
        format!("{store:?}"),
        tallies.as_secs_f64() * 1000.0,
        first_page.as_secs_f64() * 1000.0,
        t.elapsed().as_secs_f64() * 1000.0,
    );
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let page = format!("/staff/surveys/{id}/results");
    measure(store, &client, "results page", &app.url(&page)).await;
    let deep = format!("{page}?q={}&page={}", q[5], RESPONSES / 50);
    measure(store, &client, "last page of free text", &app.url(&deep)).await;
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
