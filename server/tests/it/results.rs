//! The staff results page at scale, and without singling out a child: tallies
//! counted by the database, free text a page at a time in a stable shuffled
//! order, small "about you" counts withheld, and no time finer than the day.

use crate::common::{as_refs, full_answers, new_key, Store, TestApp};
use crate::seeding::{seed_responses, RARE_EVERY};
use app::accounts::Role;
use app::surveys::model::SurveyStatus;
use app::surveys::results::rules::{SMALL_COUNT_LIMIT, TEXT_PAGE_SIZE};
use leptos::server_fn::ServerFn;

/// 18 Nov 2026, 00:00 UTC.
const DAY: i64 = 1_794_960_000;

struct Seeded {
    app: TestApp,
    org: i64,
    id: i64,
    q: Vec<i64>,
    staff: reqwest::Client,
}

async fn seeded(store: Store, responses: usize) -> Seeded {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    seed_responses(&app, id, &q, responses, DAY).await;
    let staff = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    Seeded {
        app,
        org,
        id,
        q,
        staff,
    }
}

impl Seeded {
    async fn page(&self, query: &str) -> String {
        let res = self
            .app
            .get(
                &self.staff,
                &format!("/staff/surveys/{}/results{query}", self.id),
            )
            .await;
        assert_eq!(res.status(), 200, "results{query}");
        res.text().await.unwrap()
    }
}

/// The response ids behind the short-text answers on a page, in page order.
fn short_text_ids(html: &str) -> Vec<i64> {
    html.split("<span class=\"words\">Seeded answer ")
        .skip(1)
        .filter_map(|rest| {
            let (id, after) = rest.split_once(' ')?;
            after
                .starts_with("brilliant</span>")
                .then(|| id.parse().ok())?
        })
        .collect()
}

/// One question's part of the results page.
fn section(html: &str, question: i64) -> &str {
    let start = html
        .find(&format!("id=\"question-{question}\""))
        .expect("the question's section");
    let rest = &html[start..];
    &rest[..rest.find("</section>").expect("section ends")]
}

/// The `href` of the link with `rel` in `html` (attributes in any order).
fn link(html: &str, rel: &str) -> Option<String> {
    html.split("<a ").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>')?];
        tag.contains(&format!("rel=\"{rel}\"")).then(|| {
            let href = tag.split("href=\"").nth(1).unwrap();
            href[..href.find('"').unwrap()].replace("&amp;", "&")
        })
    })
}

async fn free_text_is_paged_with_plain_links_and_every_answer_is_reachable_once(store: Store) {
    let s = seeded(store, 120).await;
    let first = s.page("").await;
    let ids = short_text_ids(&first);
    assert_eq!(ids.len() as i64, TEXT_PAGE_SIZE, "one page of answers");
    assert!(
        first.contains("Answers 1 to 50 of 120"),
        "says where we are"
    );
    assert!(
        link(section(&first, s.q[4]), "prev").is_none(),
        "no page before the first"
    );

    let mut seen = ids;
    let mut html = first;
    let mut pages = 1;
    while let Some(next) = link(section(&html, s.q[4]), "next") {
        assert!(
            next.starts_with(&format!(
                "/staff/surveys/{}/results?q={}&page=",
                s.id, s.q[4]
            )),
            "a plain link for this question: {next}"
        );
        let query = &next[next.find('?').unwrap()..next.find('#').unwrap()];
        html = s.page(query).await;
        seen.extend(short_text_ids(&html));
        pages += 1;
        assert!(pages <= 3, "120 answers make three pages");
    }
    assert_eq!(pages, 3);
    assert!(html.contains("Answers 101 to 120 of 120"));
    assert!(
        link(section(&html, s.q[4]), "prev").is_some(),
        "the last page links back"
    );
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 120, "every answer shown exactly once");

    // The other text question stays on its first page meanwhile, and a page
    // past the end shows the last one.
    let beyond = s.page(&format!("?q={}&page=999", s.q[4])).await;
    assert!(beyond.contains("Answers 101 to 120 of 120"));
    assert_eq!(
        beyond.matches(": more trips, later opening").count() as i64,
        TEXT_PAGE_SIZE
    );
}

async fn free_text_comes_in_a_stable_shuffled_order_not_newest_first(store: Store) {
    let s = seeded(store, 60).await;
    let ids = short_text_ids(&s.page("").await);
    assert_eq!(ids.len() as i64, TEXT_PAGE_SIZE);
    let mut ascending = ids.clone();
    ascending.sort();
    let mut descending = ascending.clone();
    descending.reverse();
    assert!(ids != ascending && ids != descending, "shuffled: {ids:?}");
    assert_eq!(
        ids,
        short_text_ids(&s.page("").await),
        "the same order on every load, so paging works"
    );
    // The order is the stored random numbers' order.
    let stored: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT response_id FROM answers WHERE question_id = {} ORDER BY shuffle, response_id",
        s.q[4]
    ))
    .fetch_all(s.app.db.pool())
    .await
    .unwrap();
    let expected: Vec<i64> = stored.into_iter().map(|(id,)| id).collect();
    assert_eq!(ids, expected[..ids.len()]);
}

/// Answers sent through heard get a random place in the order, not one
/// anyone could work out from the order they arrived in.
async fn answers_sent_get_a_random_place_in_the_order(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", Some("E08000025")).await;
    let (id, slug) = app
        .survey_with_every_kind(org, app::surveys::model::SurveyStatus::Open)
        .await;
    let q = app.question_ids(id).await;
    for _ in 0..12 {
        let res = app
            .post(
                &app.client(),
                &format!("/s/{slug}"),
                &crate::common::as_refs(&crate::common::full_answers(
                    &q,
                    &crate::common::new_key(),
                )),
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    let rows: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT response_id, shuffle FROM answers WHERE question_id = {} ORDER BY response_id",
        q[4]
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 12);
    let shuffles: Vec<i64> = rows.iter().map(|(_, s)| *s).collect();
    let mut distinct = shuffles.clone();
    distinct.sort();
    distinct.dedup();
    assert!(
        distinct.len() >= 11,
        "random, not all the same: {shuffles:?}"
    );
    assert_ne!(
        shuffles, distinct,
        "not in the order they arrived: {shuffles:?}"
    );
}

async fn the_results_page_stays_small_whatever_the_number_of_responses(store: Store) {
    let s = seeded(store, 200).await;
    let small = s.page("").await.len();
    seed_responses(&s.app, s.id, &s.q, 3_000, DAY).await;
    let large = s.page("").await;
    assert!(
        large.contains("3200 responses"),
        "all counted: {}",
        &large[large.find("results-summary").unwrap_or(0)..][..120]
    );
    assert!(
        large.len() < small + 2_000,
        "bounded: {small} bytes at 200 responses, {} at 3,200",
        large.len()
    );
    assert!(large.len() < 60_000, "{} bytes", large.len());
}

async fn about_you_counts_under_five_are_withheld_and_larger_ones_shown(store: Store) {
    let s = seeded(store, RARE_EVERY).await;
    let html = s.page("").await;
    assert!(
        html.contains(&format!(
            "<th scope=\"row\">Hartlepool</th><td>fewer than {SMALL_COUNT_LIMIT}</td><td>–</td>"
        )),
        "one young person's area is withheld, and its per cent"
    );
    // Birmingham's 999 would give Hartlepool away (1,000 less 999): hidden too.
    assert!(
        html.contains("<th scope=\"row\">Birmingham</th><td>hidden</td><td>–</td>"),
        "the one count beside a withheld one that would give it away is hidden"
    );
    assert!(
        html.contains("<th scope=\"row\">8 to 9 years</th><td>143</td>"),
        "larger counts are shown"
    );
    assert!(
        html.contains("<th scope=\"row\">Prefer not to say</th><td>0</td><td>0%</td>"),
        "0 stays 0"
    );
    assert!(
        html.contains("Hartlepool: fewer than 5") && !html.contains("Hartlepool: 1 "),
        "the chart's summary withholds it too"
    );
    // The server function itself never sends the withheld count.
    let api = s
        .staff
        .post(s.app.url(app::surveys::results::page::LoadResults::PATH))
        .form(&[("id", s.id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(api.status().is_success());
    let json: serde_json::Value = serde_json::from_str(&api.text().await.unwrap()).unwrap();
    let area = json["about_you"][1]["bars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["label"] == "Hartlepool")
        .unwrap()
        .clone();
    assert_eq!(area["tally"], serde_json::json!({ "FewerThan": 5 }));
    let _ = s.org;
}

async fn tallies_are_counted_by_the_database_in_a_bounded_number_of_rows(store: Store) {
    let s = seeded(store, 2_000).await;
    let form = app::surveys::store::by_id(&s.app.db, s.id)
        .await
        .unwrap()
        .unwrap()
        .form;
    let raw = app::surveys::results::store::raw_results(&s.app.db, &form)
        .await
        .unwrap();
    assert_eq!(raw.responses, 2_000);
    assert!(raw.about.ages.len() <= 7 && raw.about.groups.len() <= 5);
    assert_eq!(
        raw.about.areas.iter().map(|(_, n)| n).sum::<i64>(),
        2_000,
        "every response counted"
    );
    assert!(raw.about.areas.contains(&(Some("E08000025".into()), 1_998)));
    assert!(
        raw.counts.len() < 20,
        "choices only, never a group per free-text answer: {}",
        raw.counts.len()
    );
    assert!(raw.counts.iter().all(|c| c.question_id != s.q[4]));
    let picked = |value: &str| {
        raw.counts
            .iter()
            .find(|c| c.question_id == s.q[0] && c.value == value)
            .map_or(0, |c| c.count)
    };
    assert_eq!(picked("o1") + picked("o2"), 2_000);
    assert!(raw.answered.contains(&(s.q[4], 2_000)));
}

async fn results_show_the_day_of_the_last_response_never_the_time(store: Store) {
    let s = seeded(store, 3).await;
    // A response stored to the minute, as before migration 0007.
    sqlx::query(&format!(
        "UPDATE responses SET submitted_at = {} WHERE survey_id = {}",
        DAY + 13 * 3600 + 7 * 60,
        s.id
    ))
    .execute(s.app.db.pool())
    .await
    .unwrap();
    let html = s.page("").await;
    assert!(
        html.contains("3 responses. The last came in on 18 Nov 2026."),
        "the day"
    );
    assert!(
        !html.contains("13:07") && !html.contains("UTC"),
        "never the time"
    );
}

async fn migration_0007_keeps_only_the_day_of_stored_responses(store: Store) {
    let s = seeded(store, 2).await;
    sqlx::query(&format!(
        "UPDATE responses SET submitted_at = {} WHERE survey_id = {}",
        DAY + 86_399,
        s.id
    ))
    .execute(s.app.db.pool())
    .await
    .unwrap();
    let migration = match store {
        Store::Sqlite => {
            include_str!("../../migrations/sqlite/0007_results_by_day_and_shuffled.sql")
        }
        Store::Postgres => {
            include_str!("../../migrations/postgres/0007_results_by_day_and_shuffled.sql")
        }
    };
    // Its update, again (the index it adds is there already).
    let update = migration
        .split(';')
        .find(|statement| statement.contains("UPDATE responses"))
        .unwrap();
    sqlx::query(update).execute(s.app.db.pool()).await.unwrap();
    assert_eq!(
        s.app
            .count(&format!(
                "SELECT COUNT(*) FROM responses WHERE survey_id = {} AND submitted_at = {DAY}",
                s.id
            ))
            .await,
        2
    );
}

/// The plan `sql` would run with `binds`, as the database says; on
/// PostgreSQL as it would be at scale (a small table is cheaper to sort or
/// read whole than through an index). The connection is given back reset.
async fn plan_of(app: &TestApp, store: Store, sql: &str, binds: &[i64]) -> String {
    explain(app, store, sql, binds, true).await
}

/// The plan `sql` would run with `binds`; on PostgreSQL with sequential
/// scans and sorts discouraged if `at_scale`, or as its statistics choose.
async fn explain(app: &TestApp, store: Store, sql: &str, binds: &[i64], at_scale: bool) -> String {
    let mut conn = app.db.pool().acquire().await.unwrap();
    let plan: Vec<String> = match store {
        Store::Sqlite => {
            let explained = format!("EXPLAIN QUERY PLAN {sql}");
            let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(&explained);
            for b in binds {
                q = q.bind(*b);
            }
            let rows = q.fetch_all(&mut *conn).await.unwrap();
            rows.into_iter().map(|r| r.3).collect()
        }
        Store::Postgres => {
            let off: &[&str] = if at_scale {
                &["SET enable_seqscan = off", "SET enable_sort = off"]
            } else {
                &[]
            };
            for off in off {
                sqlx::query(off).execute(&mut *conn).await.unwrap();
            }
            let explained = format!("EXPLAIN {sql}");
            let mut q = sqlx::query_as::<_, (String,)>(&explained);
            for b in binds {
                q = q.bind(*b);
            }
            let rows = q.fetch_all(&mut *conn).await.unwrap();
            sqlx::query("RESET ALL").execute(&mut *conn).await.unwrap();
            rows.into_iter().map(|r| r.0).collect()
        }
    };
    plan.join("\n")
}

async fn a_page_of_free_text_is_read_off_the_shuffled_index_not_sorted(store: Store) {
    let s = seeded(store, 60).await;
    let sql = app::surveys::results::store::TEXT_PAGE_SQL;
    let plan = plan_of(&s.app, store, sql, &[s.q[5], TEXT_PAGE_SIZE, 0]).await;
    assert!(plan.contains("answers_by_shuffle"), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
        "no sort: {plan}"
    );
    // The plan is the one the page uses: the same answers come back.
    let page = app::surveys::results::store::text_answers(&s.app.db, s.q[5], 0, TEXT_PAGE_SIZE)
        .await
        .unwrap();
    assert_eq!(page.len() as i64, TEXT_PAGE_SIZE);
}

/// Each page of the download carries on along the primary key from where
/// the last ended: never every response of the survey found and sorted
/// again (at a million responses that made a download take 76 s).
async fn a_page_of_the_download_is_read_along_the_primary_key_not_sorted(store: Store) {
    let s = seeded(store, 60).await;
    let sql = app::surveys::results::export::page_sql(s.app.db.backend());
    let plan = plan_of(&s.app, store, &sql, &[s.id, 0, 2000]).await;
    let along_the_key = match store {
        Store::Sqlite => "SEARCH r USING INTEGER PRIMARY KEY",
        Store::Postgres => "Index Scan using responses_pkey on responses r",
    };
    assert!(plan.contains(along_the_key), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
        "no sort: {plan}"
    );
}

async fn the_untallied_tail_is_read_through_the_index_whatever_the_statistics(store: Store) {
    let s = seeded(store, 2_000).await;
    if store == Store::Postgres {
        // So that no analysis in the background puts the statistics right.
        sqlx::query("ALTER TABLE responses SET (autovacuum_enabled = off)")
            .execute(s.app.db.pool())
            .await
            .unwrap();
    }
    // Statistics gathered while every response was in the tail (as after a
    // bulk load), then every response folded.
    sqlx::query("ANALYZE")
        .execute(s.app.db.pool())
        .await
        .unwrap();
    app::tallies::store::fold(&s.app.db, usize::MAX)
        .await
        .unwrap();
    let hint = app::tallies::store::folded_hint(&s.app.db).await.unwrap();
    assert!(hint > 0);
    // The tail read along the primary key from the mark, never the
    // survey's every response; then each tail response's answers by their
    // index, never every answer.
    let (by_key, by_index, every) = match store {
        Store::Sqlite => (
            "SEARCH r USING INTEGER PRIMARY KEY (rowid>?)",
            "SEARCH a USING INDEX answers_response",
            ["SCAN a", "SCAN r", "USING INDEX sqlite_autoindex_responses"],
        ),
        Store::Postgres => (
            "responses_pkey",
            "answers_response",
            [
                "Seq Scan on answers",
                "Seq Scan on responses",
                "responses_survey_id",
            ],
        ),
    };
    let backend = s.app.db.backend();
    for sql in [
        app::tallies::store::answer_counts_sql(backend),
        app::tallies::store::answered_survey_sql(backend),
    ] {
        let plan = explain(&s.app, store, &sql, &[s.id, hint], false).await;
        assert!(plan.contains(by_key), "{plan}");
        assert!(plan.contains(by_index), "{plan}");
        for every in every {
            assert!(!plan.contains(every), "{every}: {plan}");
        }
    }
    // Insights count every survey's tail at once, along the key too.
    let sql = format!(
        "SELECT s.id, {} FROM surveys s {}",
        app::tallies::store::RESPONSES_OF_S,
        app::tallies::store::responses_of_surveys("$1")
    );
    let plan = explain(&s.app, store, &sql, &[hint], false).await;
    assert!(
        plan.contains(by_key.replace(" r ", " u ").as_str()) || plan.contains("responses_pkey"),
        "{plan}"
    );
    for every in every {
        assert!(
            !plan.contains(every.replace(" r", " u").as_str()),
            "{every}: {plan}"
        );
    }
}

/// Needs `record_response` to store `now() / 86400 * 86400` (it stores the
/// minute today); the lead applies that one line with the other helper's work.
async fn new_responses_are_stored_with_the_day_only_never_the_minute(store: Store) {
    let s = seeded(store, 0).await;
    let slug = app::surveys::store::by_id(&s.app.db, s.id)
        .await
        .unwrap()
        .unwrap()
        .form
        .slug;
    let young = s.app.client();
    let form = crate::common::full_answers(&s.q, &crate::common::new_key());
    let res = s
        .app
        .post(
            &young,
            &format!("/s/{slug}"),
            &crate::common::as_refs(&form),
        )
        .await;
    assert_eq!(res.status(), 303, "stored");
    let (at,): (i64,) = sqlx::query_as(&format!(
        "SELECT submitted_at FROM responses WHERE survey_id = {}",
        s.id
    ))
    .fetch_one(s.app.db.pool())
    .await
    .unwrap();
    let today = app::db::now() / 86_400 * 86_400;
    assert!(
        at % 86_400 == 0 && (today - 86_400..=today).contains(&at),
        "the start of today (UTC), not the minute: {at}"
    );
}

/// The organisation's download: one row a response, each answer as the
/// young person saw it (labels, ranks in order), their words whole whatever
/// they hold, and nothing flagged: never offensive, hidden or unscreened.
async fn the_download_has_each_answer_as_its_words_and_nothing_flagged(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    // Words that are JSON themselves, too: the download packs answers as
    // JSON and must give them back as words.
    let words = "Tea, coffee: \"both\"; 🙂 café [\"7\",null] {\"a\":1} \\n";
    let phone = app.client();
    let longs = [
        "More trips\nand later opening, please",
        "A second one",
        "A third one",
        "A fourth one",
    ];
    for long in longs {
        let mut answers = full_answers(&q, &new_key());
        for (k, v) in &mut answers {
            if *k == format!("q{}", q[4]) {
                *v = words.into();
            }
            if *k == format!("q{}", q[5]) {
                *v = long.into();
            }
        }
        let res = app
            .post(&phone, &format!("/s/{slug}"), &as_refs(&answers))
            .await;
        assert_eq!(res.status(), 303);
    }
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM responses WHERE survey_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    // The second response's words: one hidden by a moderator, one
    // offensive; the third's with the safeguarding lead; the fourth's never
    // screened (no marks at all).
    for (response, question, set) in [
        (ids[1].0, q[4], "state = 'hidden'"),
        (ids[1].0, q[5], "offensive = 1"),
        (ids[2].0, q[5], "at_risk = 1"),
        (
            ids[3].0,
            q[5],
            "state = NULL, offensive = NULL, at_risk = NULL",
        ),
    ] {
        sqlx::query(&format!(
            "UPDATE answers SET {set} WHERE response_id = $1 AND question_id = $2"
        ))
        .bind(response)
        .bind(question)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    // A response with no answers at all still has its row.
    sqlx::query(
        "INSERT INTO responses (survey_id, submission_key, submitted_at) VALUES ($1, 'empty', $2)",
    )
    .bind(id)
    .bind(DAY)
    .execute(app.db.pool())
    .await
    .unwrap();
    let staff = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .get(&staff, &format!("/staff/surveys/{id}/responses.csv"))
        .await;
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    let mut file = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = file.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..5],
        ["Response", "Day", "Age band", "Area", "Groups"]
    );
    assert_eq!(header[5], "1. Which night should we open?");
    let rows: Vec<Vec<String>> = file
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 5, "one row a response");
    let first = &rows[0];
    assert_eq!(first[0], "1");
    assert_eq!(first[2..5], ["13-15", "E08000025", "young_carer"]);
    assert_eq!(first[5], "Friday", "a choice as its label");
    assert_eq!(first[6], "Sport; Art", "every pick, in order");
    assert!(first[7].starts_with('4'), "{}", first[7]);
    assert_eq!(first[8], "Not sure");
    assert_eq!(first[9], words, "commas, colons, quotes and emoji whole");
    assert_eq!(first[10], "More trips\nand later opening, please");
    assert_eq!(first[11], "1. Climbing; 2. Beach", "ranks in order");
    let second = &rows[1];
    assert_eq!(second[0], "2");
    assert_eq!(second[9], "", "hidden by a moderator: not in the download");
    assert_eq!(second[10], "", "offensive: not in the download");
    assert_eq!(second[11], "1. Climbing; 2. Beach");
    assert_eq!(
        rows[2][10], "",
        "with the safeguarding lead: not in the download"
    );
    assert_eq!(rows[2][9], words, "the rest of that response stays");
    assert_eq!(rows[3][10], "", "never screened: not in the download");
    assert_eq!(rows[4][0], "5");
    assert!(rows[4][5..].iter().all(String::is_empty), "{:?}", rows[4]);
    if store == Store::Sqlite {
        // The download's bigger page cache goes with it: every connection
        // the pool keeps is back to SQLite's own size.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let mut held = Vec::new();
            for _ in 0..app.db.pool().size() {
                held.push(app.db.pool().acquire().await.unwrap());
            }
            let mut sizes = Vec::new();
            for conn in &mut held {
                let (size,): (i64,) = sqlx::query_as("PRAGMA cache_size")
                    .fetch_one(&mut **conn)
                    .await
                    .unwrap();
                sizes.push(size);
            }
            if sizes.iter().all(|s| *s == -2000) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "{sizes:?}");
            drop(held);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

crate::on_both_databases!(
    new_responses_are_stored_with_the_day_only_never_the_minute,
    a_page_of_free_text_is_read_off_the_shuffled_index_not_sorted,
    free_text_is_paged_with_plain_links_and_every_answer_is_reachable_once,
    free_text_comes_in_a_stable_shuffled_order_not_newest_first,
    answers_sent_get_a_random_place_in_the_order,
    the_results_page_stays_small_whatever_the_number_of_responses,
    about_you_counts_under_five_are_withheld_and_larger_ones_shown,
    tallies_are_counted_by_the_database_in_a_bounded_number_of_rows,
    results_show_the_day_of_the_last_response_never_the_time,
    migration_0007_keeps_only_the_day_of_stored_responses,
    the_download_has_each_answer_as_its_words_and_nothing_flagged,
    a_page_of_the_download_is_read_along_the_primary_key_not_sorted,
    the_untallied_tail_is_read_through_the_index_whatever_the_statistics,
);
