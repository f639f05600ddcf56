//! The `heard` command line, run as a real process.

use std::io::Write;
use std::process::{Command, Stdio};

fn heard(db: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_heard"));
    c.args(args)
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("RUST_LOG", "error")
        .env("HEARD_SECRET_FILE", db.with_extension("secret"))
        .env("HEARD_UPLOADS_DIR", db.with_extension("uploads"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `heard` with `args`, writing `stdin` (or nothing) to it.
fn run(db: &std::path::Path, args: &[&str], stdin: &[u8]) -> std::process::Output {
    let mut child = heard(db, args).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if !stdin.is_empty() {
        input.write_all(stdin).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// A database file in the temporary folder, gone with its journal, its
/// secret and its uploads folder when dropped, whether the test passes or
/// fails.
struct TempDb(std::path::PathBuf);

impl std::ops::Deref for TempDb {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        crate::common::remove_sqlite_file(&self.0);
        let _ = std::fs::remove_file(self.0.with_extension("secret"));
        let _ = std::fs::remove_dir_all(self.0.with_extension("uploads"));
    }
}

fn temp_db(name: &str) -> TempDb {
    let p = std::env::temp_dir().join(format!("heard-cli-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&p);
    TempDb(p)
}

#[test]
fn a_failed_migration_stops_with_a_clear_message() {
    let db = temp_db("broken");
    // A table in the way, with the wrong shape: the first migration cannot run.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let conn = app::db::Db::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE areas (nonsense TEXT)")
            .execute(conn.pool())
            .await
            .unwrap();
        conn.pool().close().await;
    });
    let out = heard(&db, &["migrate"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("heard: the database could not be migrated"),
        "{err}"
    );
    let clean = temp_db("unbroken");
    let out = heard(&clean, &["migrate"]).output().unwrap();
    assert!(
        out.status.success(),
        "without the table in the way it migrates: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_bad_setting_is_named() {
    let db = temp_db("config");
    let out = heard(&db, &["migrate"])
        .env("HEARD_ADDR", "not-an-address")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HEARD_ADDR"));
    let out = heard(&db, &["migrate"])
        .env("HEARD_ADDR", "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "an address is fine: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn users_can_be_added_with_a_printed_or_piped_password_and_demo_data_loads_once() {
    let db = temp_db("users");
    let out = heard(&db, &["migrate"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = heard(
        &db,
        &[
            "user",
            "add",
            "--email",
            "Lead@Example.org",
            "--role",
            "safeguarding_lead",
            "--org",
            "Eastshire Youth",
        ],
    )
    .spawn()
    .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a very long piped password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("a very long piped password"));

    let mut child = heard(
        &db,
        &[
            "user",
            "add",
            "--email",
            "c@example.org",
            "--role",
            "commissioner",
            "--area",
            "E08000025",
        ],
    )
    .spawn()
    .unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("One-time password:"),
        "{stdout}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let flags: Vec<(String, i64)> = rt.block_on(async {
        let conn = app::db::Db::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query_as("SELECT email, must_change_password FROM users ORDER BY email")
            .fetch_all(conn.pool())
            .await
            .unwrap()
    });
    assert_eq!(
        flags,
        vec![("c@example.org".into(), 1), ("lead@example.org".into(), 0)],
        "printed passwords are one-time"
    );

    let mut child = heard(
        &db,
        &[
            "user",
            "add",
            "--email",
            "x@example.org",
            "--role",
            "youth_worker",
        ],
    )
    .spawn()
    .unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --org"));
    let with_org = [
        "user",
        "add",
        "--email",
        "x@example.org",
        "--role",
        "youth_worker",
        "--org",
        "Eastshire Youth",
    ];
    assert!(
        run(&db, &with_org, b"").status.success(),
        "with --org it is added"
    );

    let mut child = heard(
        &db,
        &[
            "user",
            "add",
            "--email",
            "y@example.org",
            "--role",
            "wizard",
        ],
    )
    .spawn()
    .unwrap();
    drop(child.stdin.take());
    assert!(!child.wait_with_output().unwrap().status.success());
    let known_role = [
        "user",
        "add",
        "--email",
        "y@example.org",
        "--role",
        "safeguarding_lead",
        "--org",
        "Eastshire Youth",
    ];
    assert!(
        run(&db, &known_role, b"").status.success(),
        "a role heard knows is taken"
    );

    let mut child = heard(
        &db,
        &["user", "add", "--email", "z@example.org", "--role", "admin"],
    )
    .spawn()
    .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"));
    let out = run(
        &db,
        &["user", "add", "--email", "z@example.org", "--role", "admin"],
        b"a long enough admin password\n",
    );
    assert!(
        out.status.success(),
        "a long password is taken: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = heard(&db, &["demo"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("already has accounts"),
        "demo data never lands on a real database"
    );
}

#[test]
fn demo_data_has_surveys_using_every_question_type_and_responses_that_show_something() {
    let db = temp_db("demo");
    let out = heard(&db, &["demo"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("worker@heard.example") && stdout.contains("admin@heard.example"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = app::db::Db::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let count = |sql: &'static str| {
            let db = db.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await.unwrap();
                n
            }
        };
        // The two young people try first start empty, with every kind.
        let empty: Vec<(i64,)> = sqlx::query_as(
            "SELECT s.id FROM surveys s WHERE s.status = 'open' AND s.service_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = s.id)",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert_eq!(empty.len(), 2);
        for (id,) in empty {
            let kinds: Vec<(String,)> = sqlx::query_as(&format!(
                "SELECT DISTINCT kind FROM questions WHERE survey_id = {id}"
            ))
            .fetch_all(db.pool())
            .await
            .unwrap();
            assert_eq!(kinds.len(), 7, "every question type in survey {id}");
        }
        assert_eq!(count("SELECT COUNT(*) FROM services").await, 3, "services to rate");
        // A few thousand responses, over organisations in four areas, age
        // bands, groups and months, through the real path (screened).
        let responses = count("SELECT COUNT(*) FROM responses").await;
        assert!((2_500..5_000).contains(&responses), "{responses}");
        assert_eq!(
            count("SELECT COUNT(DISTINCT o.area_code) FROM organisations o JOIN surveys s ON s.organisation_id = o.id JOIN responses r ON r.survey_id = s.id").await,
            4
        );
        assert!(count("SELECT COUNT(DISTINCT age_band) FROM responses").await >= 5);
        assert!(count("SELECT COUNT(DISTINCT groups) FROM responses").await >= 4);
        assert!(count("SELECT COUNT(DISTINCT submitted_at / 2592000) FROM responses").await >= 5);
        assert!(count("SELECT COUNT(*) FROM answers WHERE screened_on IS NOT NULL AND state = 'approved'").await > 500);
        assert_eq!(count("SELECT COUNT(*) FROM answers WHERE state = 'waiting'").await, 0, "the queue starts empty");
        assert_eq!(count("SELECT COUNT(*) FROM safeguarding_items").await, 0);
        // One survey stays under the minimum, so a commissioner sees why.
        assert_eq!(
            count("SELECT COUNT(*) FROM surveys s WHERE s.service_id IS NULL AND (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) BETWEEN 1 AND 29").await,
            1
        );
    });
}

/// Starts `heard serve` on `addr`; returns whether it said it was ready (it is
/// then stopped) or what it printed when it refused.
fn try_serving(db: &std::path::Path, addr: &str) -> Result<(), String> {
    try_serving_with(db, addr, &[])
}

fn try_serving_with(db: &std::path::Path, addr: &str, env: &[(&str, &str)]) -> Result<(), String> {
    use std::io::BufRead;
    let mut command = heard(db, &["serve"]);
    command.env("HEARD_ADDR", addr);
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let ready = std::io::BufReader::new(stdout)
        .lines()
        .next()
        .and_then(Result::ok)
        .is_some_and(|l| l.contains("is ready"));
    if ready {
        let _ = child.kill();
        let _ = child.wait();
        return Ok(());
    }
    let out = child.wait_with_output().unwrap();
    Err(String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn demo_accounts_with_published_passwords_are_served_only_on_loopback() {
    let db = temp_db("demo-exposed");
    assert!(heard(&db, &["demo"]).output().unwrap().status.success());
    let refused = try_serving(&db, "0.0.0.0:0").expect_err("refuses every address");
    assert!(refused.contains("heard demo --remove"), "{refused}");
    assert!(refused.contains("admin@heard.example"), "{refused}");
    assert_eq!(
        try_serving(&db, "127.0.0.1:0"),
        Ok(()),
        "this machine only is fine"
    );
    // A proxy on this machine would pass loopback on to the world.
    for proxy in [
        ("HEARD_PUBLIC_URL", "https://heard.example.org"),
        ("HEARD_HTTPS", "true"),
        ("HEARD_TRUST_FORWARDED_FOR", "true"),
    ] {
        let refused = try_serving_with(&db, "127.0.0.1:0", &[proxy]).expect_err("behind a proxy");
        assert!(
            refused.contains("heard demo --remove"),
            "{proxy:?}: {refused}"
        );
    }
    // Access removed in the app can be given back: the password still counts.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let conn = app::db::Db::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query("UPDATE users SET disabled_at = 1")
            .execute(conn.pool())
            .await
            .unwrap();
        conn.pool().close().await;
    });
    assert!(
        try_serving(&db, "0.0.0.0:0").is_err(),
        "removed access is not enough"
    );
    let out = heard(&db, &["demo", "--remove"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        try_serving(&db, "0.0.0.0:0"),
        Ok(()),
        "without them, anywhere"
    );
}
