//! Live sessions under load, over real HTTP on loopback. Run with `make bench`.
//!
//! 1. 200 phones in one session answer the question on screen, 20 at a time;
//!    the presenter's event stream is read all along. For each answer: the
//!    time from its acknowledgement (the 303 after it committed) until the
//!    presenter's stream shows it counted (p50, p95, p99).
//! 2. Idle followers: 10,000 phones hold the session's event stream open.
//!    They are opened from a child process (this same program, told so by an
//!    environment variable), so the file descriptors and the memory measured
//!    here are the server's alone: resident memory before and after, per
//!    follower.
//!
//! Bounded: a fixed number of requests and connections to 127.0.0.1, then it
//! stops (the child is killed when it is done).

#[path = "../tests/it/common.rs"]
mod common;

use app::accounts::Role;
use app::surveys::model::SurveyStatus;
use common::{Store, TestApp};
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

const PHONES: usize = 200;
const AT_ONCE: usize = 20;
const IDLE: usize = 10_000;
const CHILD: &str = "HEARD_BENCH_FOLLOWERS_OF";

fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// The child: opens `IDLE` event streams to the URL it is given, says
/// "ready", and holds them until its input closes.
async fn followers(url: String) {
    let mut streams = Vec::with_capacity(IDLE);
    let clients: Vec<reqwest::Client> = (0..50)
        .map(|_| {
            reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .build()
                .unwrap()
        })
        .collect();
    let mut opened = 0;
    for chunk in (0..IDLE).collect::<Vec<_>>().chunks(200) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|i| clients[i % clients.len()].get(&url).send())
            .collect();
        for res in futures::future::join_all(batch).await {
            match res {
                Ok(r) if r.status() == 200 => {
                    opened += 1;
                    streams.push(r);
                }
                Ok(r) => eprintln!("follower refused: {}", r.status()),
                Err(e) => eprintln!("follower failed: {e}"),
            }
        }
    }
    println!("ready {opened}");
    std::io::stdout().flush().unwrap();
    let _ = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
    })
    .await;
    drop(streams);
}

async fn run(store: Store) {
    // Each phone on its own network (its own `X-Forwarded-For`, trusted as
    // behind a proxy): 200 phones from one address would rightly meet the
    // limit on new phones per address.
    let app = TestApp::spawn_with(
        store,
        app::state::Settings {
            trust_forwarded_for: true,
            ..app::state::Settings::default()
        },
    )
    .await;
    let org = app.organisation("Bench", Some("E08000025")).await;
    let (survey, _) = app.survey_with_every_kind(org, SurveyStatus::Draft).await;
    let q = app.question_ids(survey).await;
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let (session, code) = app.start_live(&worker, survey).await;
    let presenter_path = format!("/staff/live/{session}");
    app.post(&worker, &presenter_path, &[("action", "next")])
        .await;

    // The presenter's stream: when each count first appeared.
    let mut stream = worker
        .get(app.url(&format!("{presenter_path}/events")))
        .send()
        .await
        .unwrap();
    let watcher = tokio::spawn(async move {
        let mut seen_at: Vec<Option<Instant>> = vec![None; PHONES + 1];
        let mut buffer = String::new();
        let deadline = tokio::time::sleep(Duration::from_secs(120));
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                _ = &mut deadline => break,
                chunk = stream.chunk() => {
                    let Ok(Some(chunk)) = chunk else { break };
                    let now = Instant::now();
                    buffer.push_str(&String::from_utf8_lossy(&chunk));
                    // Each stage event carries `"answered":N` (its count).
                    const KEY: &str = "\"answered\":";
                    while let Some(at) = buffer.find(KEY) {
                        let digits: String = buffer[at + KEY.len()..]
                            .chars()
                            .take_while(char::is_ascii_digit)
                            .collect();
                        if at + KEY.len() + digits.len() >= buffer.len() {
                            break; // the rest of the number is still to come
                        }
                        let n: usize = digits.parse().unwrap_or(0);
                        for slot in seen_at.iter_mut().take(n.min(PHONES) + 1) {
                            slot.get_or_insert(now);
                        }
                        buffer.drain(..at + KEY.len());
                    }
                    if seen_at[PHONES].is_some() {
                        break;
                    }
                }
            }
        }
        seen_at
    });

    let phones: Vec<reqwest::Client> = (0..PHONES).map(|_| app.client()).collect();
    let address = |i: usize| format!("10.1.{}.{}", i / 250, i % 250);
    for (i, phone) in phones.iter().enumerate() {
        let res = phone
            .get(app.url(&format!("/j/{code}")))
            .header("x-forwarded-for", address(i))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let field = format!("q{}", q[0]);
    let mut acks = Vec::with_capacity(PHONES);
    let started = Instant::now();
    for (w, wave) in phones.chunks(AT_ONCE).enumerate() {
        let sends: Vec<_> = wave
            .iter()
            .enumerate()
            .map(|(i, phone)| {
                let from = address(w * AT_ONCE + i);
                let form = vec![
                    ("question".to_string(), q[0].to_string()),
                    (
                        field.clone(),
                        if i % 2 == 0 { "o1" } else { "o2" }.to_string(),
                    ),
                ];
                let (phone, url) = (phone.clone(), app.url(&format!("/j/{code}")));
                async move {
                    let res = phone
                        .post(&url)
                        .header("x-forwarded-for", from)
                        .form(&form)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), 303);
                    Instant::now()
                }
            })
            .collect();
        acks.extend(futures::future::join_all(sends).await);
    }
    let sending = started.elapsed();
    let seen_at = watcher.await.unwrap();
    acks.sort();
    let mut latencies: Vec<f64> = acks
        .iter()
        .enumerate()
        .map(|(k, ack)| {
            let seen = seen_at[k + 1].expect("every answer reached the presenter");
            seen.saturating_duration_since(*ack).as_secs_f64() * 1000.0
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{:<10} {PHONES} phones answering, {AT_ONCE} at once ({:.0} answers/s): acknowledged to on the presenter's stream p50 {:>6.1} ms   p95 {:>6.1} ms   p99 {:>6.1} ms",
        format!("{store:?}"),
        PHONES as f64 / sending.as_secs_f64(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
    );

    // Idle followers, opened by a child process.
    if store == Store::Sqlite {
        let before = resident_kb();
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .env(CHILD, app.url(&format!("/j/{code}/events")))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            line
        })
        .await
        .unwrap();
        let opened: usize = line
            .trim()
            .trim_start_matches("ready ")
            .parse()
            .unwrap_or(0);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after = resident_kb();
        let held = app.state.live.followers();
        println!(
            "{:<10} idle followers: {opened} of {IDLE} opened, {held} held by the server; its memory {} MB -> {} MB, {:.1} KB per follower",
            format!("{store:?}"),
            before / 1024,
            after / 1024,
            (after.saturating_sub(before)) as f64 / opened.max(1) as f64
        );
        drop(child.stdin.take());
        let _ = child.wait();
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Ok(url) = std::env::var(CHILD) {
        rt.block_on(followers(url));
        return;
    }
    rt.block_on(async {
        run(Store::Sqlite).await;
        if std::env::var("TEST_POSTGRES_URL").is_ok() {
            run(Store::Postgres).await;
        } else {
            println!("PostgreSQL skipped: set TEST_POSTGRES_URL (make bench does)");
        }
    });
}
