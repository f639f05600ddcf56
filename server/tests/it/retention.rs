//! The retention job: originals of redacted text and closed safeguarding
//! items go once past `HEARD_RETENTION_DAYS`; the audit log keeps that they
//! existed. On both databases, rows aged with SQL.

use crate::common::{as_refs, full_answers, new_key, Store, TestApp};
use app::db::now;
use app::state::Settings;
use app::surveys::model::SurveyStatus;

const DAY: i64 = 86_400;

/// Posts a complete response whose long-text answer is `text`; returns the
/// long-text answer's id.
async fn answer(app: &TestApp, slug: &str, q: &[i64], text: &str) -> i64 {
    let mut form = full_answers(q, &new_key());
    for (name, value) in &mut form {
        if *name == format!("q{}", q[5]) {
            *value = text.to_string();
        }
    }
    let res = app
        .post(&app.client(), &format!("/s/{slug}"), &as_refs(&form))
        .await;
    // 303 to the thanks page, or 200: help first, in answer to the post.
    assert!([200, 303].contains(&res.status().as_u16()));
    let (id,): (i64,) = sqlx::query_as(
        "SELECT a.id FROM answers a WHERE a.question_id = $1 ORDER BY a.id DESC LIMIT 1",
    )
    .bind(q[5])
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    id
}

async fn item_of(app: &TestApp, answer_id: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM safeguarding_items WHERE answer_id = $1")
        .bind(answer_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    id
}

async fn exec(app: &TestApp, sql: &str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(app.db.pool()).await.unwrap();
}

/// The original kept beside an answer (`None`: none, or the row is gone).
async fn original(app: &TestApp, answer_id: i64) -> Option<String> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT original FROM answers WHERE id = $1")
            .bind(answer_id)
            .fetch_optional(app.db.pool())
            .await
            .unwrap();
    row.and_then(|(o,)| o)
}

async fn audit_lines(app: &TestApp, action: &str, subject_id: Option<i64>) -> Vec<String> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, subject_kind, detail FROM audit_log
         WHERE action = $1 AND COALESCE(subject_id, 0) = $2 ORDER BY id",
    )
    .bind(action)
    .bind(subject_id.unwrap_or(0))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(actor, kind, detail)| format!("{actor} | {kind} | {detail}"))
        .collect()
}

async fn the_job_deletes_what_is_past_retention_and_the_audit_log_remembers(store: Store) {
    let app = TestApp::spawn(store).await;
    assert_eq!(app.state.settings.retention_days, 365);
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (survey, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(survey).await;

    let closed_long_ago = answer(&app, &slug, &q, "my stepdad hits me").await;
    let open_long_ago = answer(&app, &slug, &q, "my mum's boyfriend hits me").await;
    let closed_lately = answer(&app, &slug, &q, "he hits me when he's drunk").await;
    let redacted_long_ago = answer(&app, &slug, &q, "more trips please").await;
    let redacted_lately = answer(&app, &slug, &q, "later opening please").await;
    let (old_item, open_item, recent_item) = (
        item_of(&app, closed_long_ago).await,
        item_of(&app, open_long_ago).await,
        item_of(&app, closed_lately).await,
    );
    // Everything written 400 days ago but the last; what was taken out kept
    // as the original beside four of them.
    let (t400, t10) = (now() - 400 * DAY, now() - 10 * DAY);
    exec(
        &app,
        "UPDATE answers SET screened_on = $1 WHERE state IS NOT NULL",
        &[t400],
    )
    .await;
    exec(
        &app,
        "UPDATE safeguarding_items SET created_at = $1",
        &[t400],
    )
    .await;
    exec(
        &app,
        "UPDATE answers SET screened_on = $1 WHERE id = $2",
        &[now(), redacted_lately],
    )
    .await;
    for a in [
        closed_long_ago,
        open_long_ago,
        redacted_long_ago,
        redacted_lately,
    ] {
        exec(
            &app,
            "UPDATE answers SET original = 'ORIGINAL ' || CAST(id AS TEXT) WHERE id = $1",
            &[a],
        )
        .await;
    }
    exec(
        &app,
        "UPDATE safeguarding_items SET status = 'closed', closed_at = $1 WHERE id = $2",
        &[now() - 366 * DAY, old_item],
    )
    .await;
    exec(
        &app,
        "UPDATE safeguarding_items SET status = 'closed', closed_at = $1 WHERE id = $2",
        &[t10, recent_item],
    )
    .await;
    let answers_before = app.count("SELECT COUNT(*) FROM answers").await;
    let (old_response,): (i64,) = sqlx::query_as("SELECT response_id FROM answers WHERE id = $1")
        .bind(closed_long_ago)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let rest_of_old_response = app
        .count(&format!(
            "SELECT COUNT(*) FROM answers WHERE response_id = {old_response}"
        ))
        .await;

    // Two servers run the job at the same moment, as behind a load balancer.
    let second = app.another_server().await;
    tokio::join!(
        heard::jobs::tidy(&app.state),
        heard::jobs::tidy(&second.state)
    );

    // The item closed more than a year ago is gone with its words.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM safeguarding_items WHERE id = {old_item}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answers WHERE id = {closed_long_ago}"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answers WHERE id = {closed_long_ago}"
        ))
        .await,
        0
    );
    // The rest of that response stays, and so does every other answer.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answers WHERE response_id = {old_response}"
        ))
        .await,
        rest_of_old_response - 1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answers").await,
        answers_before - 1
    );
    // Open items stay, with their original (a lead handling one reads it
    // whole, however old); so does an item closed ten days ago.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM safeguarding_items WHERE id IN ({open_item}, {recent_item})"
        ))
        .await,
        2
    );
    assert_eq!(
        original(&app, open_long_ago).await,
        Some(format!("ORIGINAL {open_long_ago}"))
    );
    // Originals past their time are gone, their redacted answers stay.
    assert_eq!(original(&app, redacted_long_ago).await, None);
    let (kept,): (String,) = sqlx::query_as("SELECT value FROM answers WHERE id = $1")
        .bind(redacted_long_ago)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, "more trips please");
    assert_eq!(
        original(&app, redacted_lately).await,
        Some(format!("ORIGINAL {redacted_lately}"))
    );

    // The audit log says, once each, that they existed.
    assert_eq!(
        audit_lines(&app, "safeguarding_item_deleted", Some(old_item)).await,
        vec![format!(
            "heard's retention job | safeguarding_item | organisation {org}, closed more than 365 days ago"
        )]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'safeguarding_item_deleted'")
            .await,
        1
    );
    assert_eq!(
        audit_lines(&app, "originals_deleted", None).await,
        vec![
            "heard's retention job | retention | 1 answers' original text, older than 365 days"
                .to_string()
        ]
    );

    // A second run finds nothing more to do and writes nothing.
    let lines = app.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        app::safeguarding::store::apply_retention(&app.db, 365)
            .await
            .unwrap(),
        app::safeguarding::store::Retained::default()
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, lines);

    // Nobody can change or delete those lines, not even with SQL.
    for sql in [
        "UPDATE audit_log SET detail = 'nothing happened'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'safeguarding_item_deleted'",
    ] {
        assert!(
            sqlx::query(sql).execute(app.db.pool()).await.is_err(),
            "{sql} was allowed"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, lines);
    assert_eq!(
        audit_lines(&app, "safeguarding_item_deleted", Some(old_item))
            .await
            .len(),
        1
    );
}

async fn the_retention_period_comes_from_the_settings(store: Store) {
    let app = TestApp::spawn_with(
        store,
        Settings {
            retention_days: 30,
            ..Settings::default()
        },
    )
    .await;
    let org = app.organisation("Northfield Youth Service", None).await;
    let (survey, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(survey).await;
    let past = answer(&app, &slug, &q, "my stepdad hits me").await;
    let within = answer(&app, &slug, &q, "my brother hits me").await;
    let (past_item, within_item) = (item_of(&app, past).await, item_of(&app, within).await);
    for (item, days) in [(past_item, 31), (within_item, 29)] {
        exec(
            &app,
            "UPDATE safeguarding_items SET status = 'closed', closed_at = $1 WHERE id = $2",
            &[now() - days * DAY, item],
        )
        .await;
    }
    heard::jobs::tidy(&app.state).await;
    let left: Vec<(i64,)> = sqlx::query_as("SELECT id FROM safeguarding_items ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, vec![(within_item,)]);
    assert_eq!(
        audit_lines(&app, "safeguarding_item_deleted", Some(past_item)).await,
        vec![format!(
            "heard's retention job | safeguarding_item | organisation {org}, closed more than 30 days ago"
        )]
    );
}

crate::on_both_databases!(
    the_job_deletes_what_is_past_retention_and_the_audit_log_remembers,
    the_retention_period_comes_from_the_settings,
);

/// Two servers' runs at once on PostgreSQL (SQLite has one writer at a time,
/// and each run reads after it has the write lock): a run that finds an item
/// another run is deleting neither deletes its text again nor writes a
/// second line. The other run is played by a transaction held open here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_runs_at_once_delete_and_record_each_item_once() {
    let app = TestApp::spawn(Store::Postgres).await;
    let org = app.organisation("Northfield Youth Service", None).await;
    let (survey, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(survey).await;
    let words = answer(&app, &slug, &q, "my stepdad hits me").await;
    let item = item_of(&app, words).await;
    exec(
        &app,
        "UPDATE safeguarding_items SET status = 'closed', closed_at = $1 WHERE id = $2",
        &[now() - 400 * DAY, item],
    )
    .await;

    let mut other_run = app.db.pool().begin().await.unwrap();
    sqlx::query("DELETE FROM safeguarding_items WHERE id = $1")
        .bind(item)
        .execute(&mut *other_run)
        .await
        .unwrap();
    let db = app.db.clone();
    let this_run =
        tokio::spawn(async move { app::safeguarding::store::apply_retention(&db, 365).await });
    // Bounded wait until this run waits for the other's lock on the item.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let waiting = app
            .count(
                "SELECT COUNT(*) FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND datname = current_database()",
            )
            .await;
        if waiting > 0 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the run never reached the item"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    other_run.commit().await.unwrap();
    let done = this_run.await.unwrap().unwrap();
    assert_eq!(done.items, 0, "the other run deleted it");
    assert_eq!(
        audit_lines(&app, "safeguarding_item_deleted", Some(item))
            .await
            .len(),
        0,
        "only the run that deleted it writes its line"
    );
    // The well-behaved case beside it: one run alone deletes and records.
    let again = answer(&app, &slug, &q, "my brother hits me").await;
    let second = item_of(&app, again).await;
    exec(
        &app,
        "UPDATE safeguarding_items SET status = 'closed', closed_at = $1 WHERE id = $2",
        &[now() - 400 * DAY, second],
    )
    .await;
    let done = app::safeguarding::store::apply_retention(&app.db, 365)
        .await
        .unwrap();
    assert_eq!(done.items, 1);
    assert_eq!(
        audit_lines(&app, "safeguarding_item_deleted", Some(second))
            .await
            .len(),
        1
    );
}
