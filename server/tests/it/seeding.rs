//! Many responses at once, written straight into the database in a handful of
//! statements (portable SQL), for tests and benches that need a big survey
//! without sending thousands of forms. Shared with `benches/results.rs`.
#![allow(dead_code)]

use crate::common::TestApp;

/// Each seeded response's "about you", by its number: mostly the same answers,
/// with one area given by just one response in every [`RARE_EVERY`].
const AGES: [&str; 7] = [
    "8-9",
    "10-12",
    "13-15",
    "16-17",
    "18-19",
    "prefer_not_to_say",
    "",
];
const GROUPS: [&str; 5] = [
    "young_carer",
    "in_care,disability_send",
    "",
    "prefer_not_to_say",
    "in_care",
];
/// One response in this many is from a rarely seen area (`E06000001`).
pub const RARE_EVERY: usize = 1000;

fn literal(v: &str) -> String {
    if v.is_empty() {
        "NULL".into()
    } else {
        format!("'{v}'")
    }
}

/// Adds `n` responses to a survey made by [`TestApp::survey_with_every_kind`]
/// (`q` its question ids), each answering every question, with free text
/// that names its response (`Seeded answer {response id} …`). Submitted on
/// `day` (seconds, the start of a UTC day).
pub async fn seed_responses(app: &TestApp, survey_id: i64, q: &[i64], n: usize, day: i64) {
    let mut tx = app.db.pool().begin().await.expect("begin");
    let (start,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM responses WHERE survey_id = {survey_id}"
    ))
    .fetch_one(&mut *tx)
    .await
    .expect("count responses");
    let mut i = 0;
    while i < n {
        let rows: Vec<String> = (i..n.min(i + 1000))
            .map(|k| {
                let area = if k % RARE_EVERY == RARE_EVERY - 1 {
                    "E06000001"
                } else {
                    "E08000025"
                };
                format!(
                    "({survey_id}, 'seed-{survey_id}-{}', {day}, {}, '{area}', {})",
                    start + k as i64,
                    literal(AGES[k % AGES.len()]),
                    literal(GROUPS[k % GROUPS.len()]),
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO responses (survey_id, submission_key, submitted_at, age_band, area_code, groups) VALUES {}",
            rows.join(", ")
        ))
        .execute(&mut *tx)
        .await
        .expect("seed responses");
        i += 1000;
    }
    // The answers, one statement a question, for every seeded response.
    let seeded = format!(
        "FROM responses r WHERE r.survey_id = {survey_id} AND r.submission_key LIKE 'seed-%' AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id)"
    );
    let answers = [
        format!("SELECT r.id, {}, 0, CASE WHEN r.id % 3 = 0 THEN 'o1' ELSE 'o2' END {seeded}", q[0]),
        format!("SELECT r.id, {}, 0, 'o1' {seeded} UNION ALL SELECT r.id, {}, 0, 'o3' {seeded}", q[1], q[1]),
        format!("SELECT r.id, {}, 0, CASE WHEN r.id % 2 = 0 THEN '4' ELSE '5' END {seeded}", q[2]),
        format!("SELECT r.id, {}, 0, 'not_sure' {seeded}", q[3]),
        format!("SELECT r.id, {}, 0, 'Seeded answer ' || r.id || ' brilliant' {seeded}", q[4]),
        format!("SELECT r.id, {}, 0, 'Seeded answer ' || r.id || ': more trips, later opening and somewhere quiet to do homework' {seeded}", q[5]),
        format!("SELECT r.id, {}, 1, 'o3' {seeded} UNION ALL SELECT r.id, {}, 2, 'o1' {seeded}", q[6], q[6]),
    ];
    // Each part reads "seeded responses with no answers yet", so they all go
    // in one statement: it sees the table as it was before any of them.
    let all = answers.join(" UNION ALL ");
    sqlx::query(&format!(
        "INSERT INTO answers (response_id, question_id, position, value) {all}"
    ))
    .execute(&mut *tx)
    .await
    .expect("seed answers");
    // Stored answers carry a random number to order free text by; seeded
    // ones get a scrambled one, the same on both databases.
    sqlx::query(
        "UPDATE answers SET shuffle = ((response_id % 2147483648) * 2654435761) % 2147483648
         WHERE shuffle = 0",
    )
    .execute(&mut *tx)
    .await
    .expect("seed shuffle");
    // Screened as ordinary words: nothing found, waiting for a moderator.
    sqlx::query(&format!(
        "UPDATE answers SET organisation_id = (SELECT organisation_id FROM surveys WHERE id = {survey_id}),
                public_ref = 'seed-' || id, screened_on = {day}, details = '', offensive = 0,
                at_risk = 0, state = 'waiting'
         WHERE state IS NULL AND question_id IN
               (SELECT id FROM questions WHERE survey_id = {survey_id} AND kind IN ('short_text', 'long_text'))"
    ))
    .execute(&mut *tx)
    .await
    .expect("seed free text states");
    tx.commit().await.expect("commit seed");
}
