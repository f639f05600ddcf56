//! Running tallies: results read from the tallies plus the tail not folded
//! yet are exactly what counting every answer gives, before folding, after
//! it, with submissions arriving while two folders run, and after answers
//! are deleted. Both databases.

use crate::common::{as_refs, full_answers, new_key, Store, TestApp};
use crate::seeding;
use app::surveys::model::SurveyStatus;
use app::surveys::results::rules::AnswerCount;
use app::tallies::store::{self as tallies, By, Scope, Slice};

/// What counting every answer gives (the way results were read before the
/// tallies): (counts, answered, responses).
async fn truth(app: &TestApp, survey: i64) -> (Vec<AnswerCount>, Vec<(i64, i64)>, i64) {
    let counts: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT a.question_id, a.position, a.value, COUNT(*) FROM answers a
         JOIN questions q ON q.id = a.question_id
         WHERE q.survey_id = $1 AND q.kind NOT IN ('short_text', 'long_text') AND a.state IS NULL
         GROUP BY a.question_id, a.position, a.value ORDER BY 1, 2, 3",
    )
    .bind(survey)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut answered: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.question_id, COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id
         WHERE q.survey_id = $1 AND q.kind NOT IN ('multiple_choice', 'short_text', 'long_text')
           AND a.position <= 1 AND a.state IS NULL GROUP BY a.question_id
         UNION ALL
         SELECT a.question_id, COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id
         WHERE q.survey_id = $1 AND q.kind IN ('short_text', 'long_text') GROUP BY a.question_id
         UNION ALL
         SELECT a.question_id, COUNT(DISTINCT a.response_id) FROM answers a
         JOIN questions q ON q.id = a.question_id
         WHERE q.survey_id = $1 AND q.kind = 'multiple_choice' GROUP BY a.question_id",
    )
    .bind(survey)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    answered.sort();
    let responses = app
        .count(&format!(
            "SELECT COUNT(*) FROM responses WHERE survey_id = {survey}"
        ))
        .await;
    (
        counts
            .into_iter()
            .map(|(question_id, position, value, count)| AnswerCount {
                question_id,
                position,
                value,
                count,
            })
            .collect(),
        answered,
        responses,
    )
}

async fn read(app: &TestApp, survey: i64) -> (Vec<AnswerCount>, Vec<(i64, i64)>, i64) {
    let form = app::surveys::store::by_id(&app.db, survey)
        .await
        .unwrap()
        .unwrap()
        .form;
    let raw = app::surveys::results::store::raw_results(&app.db, &form)
        .await
        .unwrap();
    let mut counts = raw.counts;
    counts.sort_by(|a, b| {
        (a.question_id, a.position, &a.value).cmp(&(b.question_id, b.position, &b.value))
    });
    let mut answered = raw.answered;
    answered.sort();
    (counts, answered, raw.responses)
}

/// The "stay safe" figure across everything: (positive, answered).
async fn safe(app: &TestApp) -> (i64, i64) {
    let scope = Scope {
        minimum: 1,
        ..Scope::default()
    };
    tallies::outcomes(&app.db, &scope, &Slice::default(), By::Whole)
        .await
        .unwrap()
        .get(&("safe".to_string(), String::new()))
        .copied()
        .unwrap_or((0, 0))
}

async fn safe_truth(app: &TestApp) -> (i64, i64) {
    let positive = app
        .count(
            "SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id
             WHERE q.outcome = 'safe' AND a.state IS NULL
               AND ((q.kind = 'scale' AND a.value IN ('4', '5')) OR (q.kind = 'yes_no' AND a.value = 'yes'))",
        )
        .await;
    let answered = app
        .count(
            "SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id
             WHERE q.outcome = 'safe' AND a.state IS NULL AND q.kind IN ('scale', 'yes_no')",
        )
        .await;
    (positive, answered)
}

async fn pending(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM responses WHERE id > (SELECT folded_to FROM tally_folder)")
        .await
}

async fn results_are_exact_before_during_and_after_folding(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Tally Youth Club", Some("E08000025"))
        .await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    sqlx::query(
        "UPDATE questions SET outcome = 'safe' WHERE survey_id = $1 AND kind IN ('scale', 'yes_no')",
    )
    .bind(id)
    .execute(app.db.pool())
    .await
    .unwrap();
    let q = app.question_ids(id).await;
    seeding::seed_responses(&app, id, &q, 3_000, 1_795_000_000 / 86400 * 86400).await;

    // Nothing folded yet: the tail alone is exact.
    let expected = truth(&app, id).await;
    assert_eq!(expected.2, 3_000);
    assert_eq!(read(&app, id).await, expected);
    assert_eq!(safe(&app).await, safe_truth(&app).await);
    assert!(safe_truth(&app).await.1 > 0);

    // Part folded: a batch at a time, exact at every step.
    tallies::fold(&app.db, 1).await.unwrap();
    assert!(pending(&app).await > 0, "one batch leaves some to fold");
    assert!(pending(&app).await < 3_000, "and folds some");
    assert_eq!(read(&app, id).await, expected);
    assert_eq!(safe(&app).await, safe_truth(&app).await);

    // Answers keep arriving over HTTP while two servers fold at once.
    let phone = app.client();
    let sending = async {
        for _ in 0..20 {
            let res = app
                .post(
                    &phone,
                    &format!("/s/{slug}"),
                    &as_refs(&full_answers(&q, &new_key())),
                )
                .await;
            assert_eq!(res.status(), 303);
        }
    };
    let (_, a, b) = tokio::join!(
        sending,
        tallies::fold(&app.db, 1000),
        tallies::fold(&app.db, 1000)
    );
    a.unwrap();
    b.unwrap();
    tallies::fold(&app.db, 1000).await.unwrap();
    assert_eq!(pending(&app).await, 0, "everything folded");
    let expected = truth(&app, id).await;
    assert_eq!(expected.2, 3_020);
    assert_eq!(
        read(&app, id).await,
        expected,
        "folded twice by nobody, missed by nobody"
    );
    assert_eq!(safe(&app).await, safe_truth(&app).await);
    let by_month = tallies::responses(
        &app.db,
        &Scope {
            minimum: 1,
            ..Scope::default()
        },
        &Slice::default(),
        By::Month,
    )
    .await
    .unwrap();
    assert_eq!(by_month.values().sum::<i64>(), 3_020);

    // Deleting folded answers takes them back out (as live sessions and
    // safeguarding do, each response locked first): one scale answer, one
    // multiple choice answer's rows.
    let mut tx = app.db.write().await.unwrap();
    let returning = tallies::DELETED_RETURNING;
    let (first, second): (i64, i64) = sqlx::query_as(
        "SELECT MIN(response_id), MAX(response_id) FROM answers WHERE question_id = $1",
    )
    .bind(q[2])
    .fetch_one(&mut *tx.tx)
    .await
    .unwrap();
    let backend = app.db.backend();
    assert!(
        tallies::lock_response(&mut tx.tx, backend, first)
            .await
            .unwrap(),
        "folded"
    );
    assert!(tallies::lock_response(&mut tx.tx, backend, second)
        .await
        .unwrap());
    let mut deleted: Vec<tallies::Deleted> = sqlx::query_as(&format!(
        "DELETE FROM answers WHERE response_id = $1 AND question_id = $2 {returning}"
    ))
    .bind(first)
    .bind(q[2])
    .fetch_all(&mut *tx.tx)
    .await
    .unwrap();
    deleted.extend(
        sqlx::query_as::<_, tallies::Deleted>(&format!(
            "DELETE FROM answers WHERE response_id = $1 AND question_id = $2 {returning}"
        ))
        .bind(second)
        .bind(q[1])
        .fetch_all(&mut *tx.tx)
        .await
        .unwrap(),
    );
    assert_eq!(deleted.len(), 3);
    tallies::forget(&mut tx.tx, &deleted).await.unwrap();
    // And a changed answer stored for a folded response adds itself.
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO answers (response_id, question_id, position, value) VALUES ($1, $2, 0, '5') RETURNING id",
    )
    .bind(first)
    .bind(q[2])
    .fetch_one(&mut *tx.tx)
    .await
    .unwrap();
    tallies::add(&mut tx.tx, &[id]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        read(&app, id_of(&app, q[2]).await).await,
        truth(&app, id_of(&app, q[2]).await).await
    );
    assert_eq!(safe(&app).await, safe_truth(&app).await);
}

async fn id_of(app: &TestApp, question: i64) -> i64 {
    app.count(&format!(
        "SELECT survey_id FROM questions WHERE id = {question}"
    ))
    .await
}

/// PostgreSQL gives a response its id when its transaction starts storing
/// it, and transactions commit in any order: a response stored after a
/// later one must still be folded, once. (SQLite has one writer: there a
/// smaller id is always committed before a larger one is given.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_committed_after_a_later_one_is_folded_once_on_postgres() {
    let app = TestApp::spawn(Store::Postgres).await;
    let org = app.organisation("Late Youth Club", Some("E08000025")).await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    let phone = app.client();
    let send = || async {
        let res = app
            .post(
                &phone,
                &format!("/s/{slug}"),
                &as_refs(&full_answers(&q, &new_key())),
            )
            .await;
        assert_eq!(res.status(), 303);
    };
    send().await;
    send().await;
    tallies::fold(&app.db, 100).await.unwrap();
    assert_eq!(pending(&app).await, 0);

    // A response given its id, with an answer, not committed yet (stored
    // as every submission stores one: after `before_new_response`)...
    let mut slow = app.db.pool().begin().await.unwrap();
    tallies::before_new_response(&mut slow, app.db.backend())
        .await
        .unwrap();
    let (late,): (i64,) = sqlx::query_as(
        "INSERT INTO responses (survey_id, submission_key, submitted_at)
         VALUES ($1, 'late-response', $2) RETURNING id",
    )
    .bind(id)
    .bind(app::db::now() / 86_400 * 86_400)
    .fetch_one(&mut *slow)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO answers (response_id, question_id, position, value) VALUES ($1, $2, 0, '4')",
    )
    .bind(late)
    .bind(q[2])
    .execute(&mut *slow)
    .await
    .unwrap();
    // ...while a later one commits.
    send().await;
    let waited = std::time::Instant::now();
    assert_eq!(
        tallies::fold(&app.db, 100).await.unwrap(),
        0,
        "nothing folded past a response still being stored"
    );
    assert!(
        waited.elapsed() < std::time::Duration::from_secs(2),
        "the fold waits briefly, then tries next round: {:?}",
        waited.elapsed()
    );
    assert_eq!(read(&app, id).await, truth(&app, id).await);

    slow.commit().await.unwrap();
    assert_eq!(read(&app, id).await, truth(&app, id).await);
    assert_eq!(tallies::fold(&app.db, 100).await.unwrap(), 2);
    assert_eq!(pending(&app).await, 0, "everything folded");
    let expected = truth(&app, id).await;
    assert_eq!(expected.2, 4);
    assert_eq!(read(&app, id).await, expected, "the late response once");

    // VACUUM's lock on responses (autovacuum can hold it for long) holds
    // neither submissions nor the fold up.
    let mut vacuum = app.db.pool().begin().await.unwrap();
    sqlx::query("LOCK TABLE responses IN SHARE UPDATE EXCLUSIVE MODE")
        .execute(&mut *vacuum)
        .await
        .unwrap();
    send().await;
    assert_eq!(tallies::fold(&app.db, 100).await.unwrap(), 1);
    vacuum.rollback().await.unwrap();
    assert_eq!(read(&app, id).await, truth(&app, id).await);
}

/// Puts the database back as it was before migration 0018 (responses
/// marked `tallied` up to `mark`, but `out_of_order`), then runs 0018.
async fn migrate_0018_from(app: &TestApp, mark: i64, out_of_order: Option<i64>) {
    let (migration, index) = match app.store {
        Store::Sqlite => (
            include_str!("../../migrations/sqlite/0018_tally_mark.sql"),
            "CREATE INDEX responses_untallied ON responses (survey_id) WHERE tallied = 0",
        ),
        Store::Postgres => (
            include_str!("../../migrations/postgres/0018_tally_mark.sql"),
            "CREATE INDEX responses_untallied ON responses (survey_id) WHERE tallied = 0",
        ),
    };
    let mut tx = app.db.pool().begin().await.unwrap();
    for sql in [
        "ALTER TABLE tally_folder DROP COLUMN folded_to",
        "ALTER TABLE responses ADD COLUMN tallied BIGINT NOT NULL DEFAULT 0",
        index,
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    sqlx::query("UPDATE responses SET tallied = 1 WHERE id <= $1")
        .bind(mark)
        .execute(&mut *tx)
        .await
        .unwrap();
    if let Some(id) = out_of_order {
        sqlx::query("UPDATE responses SET tallied = 0 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    sqlx::raw_sql(migration).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Migration 0018 keeps the tallies where the responses marked tallied
/// come before the rest (the fold keeps up), and counts them again from the
/// start where they don't: exact either way.
async fn migration_0018_sets_the_mark_from_the_flags(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Mark Youth Club", Some("E08000025")).await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    seeding::seed_responses(&app, id, &q, 1_200, 1_795_000_000 / 86400 * 86400).await;
    let expected = truth(&app, id).await;

    // Folded in order: the mark goes after the last folded response.
    tallies::fold(&app.db, 1).await.unwrap();
    let mark = tallies::folded_hint(&app.db).await.unwrap();
    assert!(mark > 0 && pending(&app).await > 0);
    migrate_0018_from(&app, mark, None).await;
    assert_eq!(tallies::folded_hint(&app.db).await.unwrap(), mark);
    assert!(
        app.count("SELECT COUNT(*) FROM answer_tallies").await > 0,
        "the tallies stay"
    );
    assert_eq!(read(&app, id).await, expected);

    // A response left behind a folded one: counted again from the start.
    migrate_0018_from(&app, mark, Some(mark - 10)).await;
    assert_eq!(tallies::folded_hint(&app.db).await.unwrap(), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM answer_tallies").await,
        0,
        "counted again"
    );
    assert_eq!(read(&app, id).await, expected);
    tallies::fold(&app.db, 1000).await.unwrap();
    assert_eq!(pending(&app).await, 0);
    assert_eq!(read(&app, id).await, expected);
}

on_both_databases!(
    results_are_exact_before_during_and_after_folding,
    migration_0018_sets_the_mark_from_the_flags
);
