//! Commissioners' insights: only their areas' organisations, only surveys
//! past the disclosure minimum, every number disclosed, and nobody else in.
//! Both databases, real HTTP.

use crate::common::{as_refs, full_answers, new_key, Page, Store, TestApp};
use crate::seeding;
use app::accounts::Role;
use app::surveys::model::SurveyStatus;

const LEEDS: &str = "E08000035";
const CAMDEN: &str = "E09000007";

/// An open survey in `area` whose scale and yes/no questions are tagged
/// "stay safe", with `responses` responses (each: scale 4, "not sure").
async fn survey_in(app: &TestApp, name: &str, area: &str, responses: usize) -> (i64, i64) {
    let org = app.organisation(name, Some(area)).await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    sqlx::query("UPDATE questions SET outcome = 'safe' WHERE survey_id = $1 AND kind IN ('scale', 'yes_no')")
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let q = app.question_ids(id).await;
    let phone = app.client();
    for _ in 0..responses {
        let res = app
            .post(
                &phone,
                &format!("/s/{slug}"),
                &as_refs(&full_answers(&q, &new_key())),
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    (org, id)
}

async fn page(app: &TestApp, who: &reqwest::Client) -> Page {
    let res = app.get(who, "/staff/insights").await;
    assert_eq!(res.status(), 200);
    Page::parse(&res.text().await.unwrap())
}

async fn commissioners_see_their_areas_disclosed_and_nobody_else_gets_in(store: Store) {
    let app = TestApp::spawn(store).await;
    let (leeds, leeds_survey) = survey_in(&app, "Leeds Youth Service", LEEDS, 34).await;
    let (_, camden_survey) = survey_in(&app, "Camden Youth Club", CAMDEN, 12).await;

    let local = app.signed_in(Role::Commissioner, None, &[LEEDS]).await;
    let p = page(&app, &local).await;
    let text = p.main_text();
    assert!(text.contains("Leeds"), "{text}");
    assert!(text.contains("Numbers are rounded to protect young people's privacy"));
    let figures = p.texts(".figures dd");
    assert_eq!(
        figures,
        vec!["fewer than 10", "35", "fewer than 10"],
        "1 consultation, 34 responses, 1 organisation"
    );
    let rows = p.rows("table.data tbody tr");
    let safe = rows.iter().find(|r| r[0] == "Stay safe").unwrap();
    assert!(safe[1].starts_with("50%"), "35 of 70 published: {safe:?}");
    assert!(safe[1].contains("of 70 answers"));
    assert!(
        !text.contains("34") && !text.contains("68"),
        "no true counts"
    );

    // Camden's survey has 12 responses: below the minimum, it counts as none.
    let camden = app.signed_in(Role::Commissioner, None, &[CAMDEN]).await;
    let p = page(&app, &camden).await;
    assert_eq!(p.texts(".figures dd"), vec!["0", "0", "0"]);
    assert!(p
        .main_text()
        .contains("No survey in your areas has enough responses yet"));
    // England beside it: Leeds' figures.
    let rows = p.rows("table.data tbody tr");
    let safe = rows.iter().find(|r| r[0] == "Stay safe").unwrap();
    assert!(
        safe[1].starts_with("not enough answers") && safe[2].starts_with("50%"),
        "{safe:?}"
    );

    // A national view and administrators see all of England.
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    assert!(page(&app, &admin)
        .await
        .main_text()
        .contains("all of England"));

    // Each survey that counts, disclosed question by question.
    let overview = page(&app, &local).await;
    let link = format!("/staff/insights/surveys/{leeds_survey}");
    assert!(overview.attrs(".links a", "href").contains(&link));
    assert_eq!(
        overview
            .attrs(".links a", "href")
            .iter()
            .filter(|h| h.starts_with("/staff/insights/surveys/"))
            .count(),
        1
    );
    let res = app.get(&local, &link).await;
    assert_eq!(res.status(), 200);
    let survey = Page::parse(&res.text().await.unwrap());
    let text = survey.main_text();
    assert!(
        text.contains("35 responses") && !text.contains("34"),
        "{text}"
    );
    let rows = survey.rows("table.chart-table tbody tr");
    let good = rows
        .iter()
        .find(|r| r[0] == "4 – Good")
        .expect("the scale's rows");
    assert_eq!(good[1..], ["35".to_string(), "100%".to_string()]);
    assert!(
        rows.iter()
            .all(|r| !matches!(r[1].parse::<i64>(), Ok(1..=9))),
        "{rows:?}"
    );
    // Below the minimum: nothing but that; beyond their areas: not found.
    let res = app
        .get(&camden, &format!("/staff/insights/surveys/{camden_survey}"))
        .await;
    assert_eq!(res.status(), 200);
    let below = Page::parse(&res.text().await.unwrap());
    assert!(below
        .main_text()
        .contains("Results show once the survey has 30 responses"));
    assert!(below.select("table.chart-table").is_empty());
    assert_eq!(app.status(&camden, &link).await, 404);

    // Organisation staff never reach the cross-organisation views.
    for role in [Role::OrgAdmin, Role::YouthWorker, Role::SafeguardingLead] {
        let staff = app.signed_in(role, Some(leeds), &[]).await;
        assert_eq!(app.status(&staff, "/staff/insights").await, 403, "{role:?}");
        assert_eq!(app.status(&staff, &link).await, 403, "{role:?}");
    }
}

const BIRMINGHAM: &str = "E08000025";
const HARTLEPOOL: &str = "E06000001";

async fn get_page(app: &TestApp, who: &reqwest::Client, path: &str) -> Page {
    let res = app.get(who, path).await;
    assert_eq!(res.status(), 200, "{path}");
    Page::parse(&res.text().await.unwrap())
}

async fn exports(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'exported'")
        .await
}

/// A downloaded workbook opens in openpyxl and converts in LibreOffice.
pub(crate) fn opens_in_spreadsheets(bytes: &[u8], expect_cell: &str) {
    let dir = std::env::temp_dir().join(format!("heard-xlsx-{}", new_key()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("download.xlsx");
    std::fs::write(&file, bytes).unwrap();
    // Debian's Python, where Debian's openpyxl is.
    let read = std::process::Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(
            "import openpyxl, sys\n\
             wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n\
             ws = wb.worksheets[0]\n\
             print('\\n'.join('|'.join('' if c is None else str(c) for c in row) for row in ws.iter_rows(values_only=True)))",
        )
        .arg(&file)
        .output()
        .expect("python3 with openpyxl (make test installs it)");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(text.contains(expect_cell), "{text}");
    let converted = std::process::Command::new("soffice")
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&file)
        .env("HOME", &dir)
        .output()
        .expect("LibreOffice (make test installs it)");
    assert!(
        converted.status.success() && dir.join("download.csv").exists(),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

async fn filters_comparisons_and_downloads_stay_disclosed(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Birmingham Youth Voice", Some(BIRMINGHAM))
        .await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    sqlx::query("UPDATE questions SET outcome = 'safe' WHERE survey_id = $1 AND kind IN ('scale', 'yes_no')")
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let q = app.question_ids(id).await;
    // 1,400 responses: each age band (and "prefer not to say", and none)
    // 200; young carers 280, in care 560; one in Hartlepool (in care).
    seeding::seed_responses(&app, id, &q, 1_400, 1_795_000_000 / 86400 * 86400).await;
    // A young person writes something Excel would run.
    let mut answers = full_answers(&q, &new_key());
    answers[6].1 = "=HYPERLINK(\"http://example.org\")".into();
    let res = app
        .post(&app.client(), &format!("/s/{slug}"), &as_refs(&answers))
        .await;
    assert_eq!(res.status(), 303);

    let local = app
        .signed_in(Role::Commissioner, None, &[BIRMINGHAM, HARTLEPOOL])
        .await;
    // Narrowed to an age band: 200 of them.
    let p = get_page(&app, &local, "/staff/insights?age=16-17").await;
    assert_eq!(p.texts(".figures dd")[1], "200");
    // Narrowed to months and to an organisation; wrong ones refused plainly.
    let p = get_page(&app, &local, "/staff/insights?from=2026-11&to=2026-11").await;
    assert_eq!(p.texts(".figures dd")[1], "1400");
    let p = get_page(&app, &local, "/staff/insights?from=2027-01").await;
    assert!(p.main_text().contains("fewer than 10 young people"));
    let p = get_page(&app, &local, &format!("/staff/insights?organisation={org}")).await;
    assert_eq!(p.texts(".figures dd")[1], "1400");
    assert!(
        p.select("#f-org option").len() >= 2,
        "the organisations to choose from"
    );
    let elsewhere = app
        .organisation("Leeds Youth Council", Some("E08000035"))
        .await;
    for bad in [
        format!("organisation={elsewhere}"),
        "from=2026-13".to_string(),
        "from=2026-12&to=2026-11".to_string(),
    ] {
        let res = app.get(&local, &format!("/staff/insights?{bad}")).await;
        assert_eq!(res.status(), 422, "{bad}");
    }
    // Compared by age band and by group, side by side.
    let p = get_page(&app, &local, "/staff/insights?by=age").await;
    let rows = p.rows("table.data tbody tr");
    let teens = rows
        .iter()
        .find(|r| r[0] == "13 to 15 years")
        .expect("a row a band");
    assert_eq!(teens[1], "200", "201 with the one from the form: {rows:?}");
    assert!(rows.iter().any(|r| r[0] == "Not said"));
    let p = get_page(&app, &local, "/staff/insights?by=group&area=E08000025").await;
    let rows = p.rows("table.data tbody tr");
    let carers = rows.iter().find(|r| r[0] == "I am a young carer").unwrap();
    assert_eq!(carers[1], "280");
    let in_care = rows
        .iter()
        .find(|r| r[0] == "I am in care or have left care")
        .unwrap();
    assert_eq!(
        in_care[1], "560",
        "a young person in two groups counts in both"
    );
    // "How do young carers in Birmingham feel about staying safe?"
    let p = get_page(
        &app,
        &local,
        "/staff/insights?area=E08000025&group=young_carer",
    )
    .await;
    let safe = p
        .rows("table.data tbody tr")
        .into_iter()
        .find(|r| r[0] == "Stay safe")
        .unwrap();
    // Two questions tagged "stay safe": 281 young carers answered both.
    assert!(safe[1].contains("of 560 answers"), "{safe:?}");
    // A filter describing one young person is refused plainly, not drawn.
    let p = get_page(&app, &local, &format!("/staff/insights?area={HARTLEPOOL}")).await;
    assert!(
        p.main_text().contains("fewer than 10 young people"),
        "{}",
        p.main_text()
    );
    assert!(p.select("svg.bars").is_empty() && p.select(".chart-table").is_empty());
    // An area that is not theirs is refused too.
    let res = app.get(&local, "/staff/insights?area=E08000035").await;
    assert_eq!(res.status(), 422);
    assert!(Page::parse(&res.text().await.unwrap())
        .main_text()
        .contains("Choose one of your areas"));
    let res = app
        .get(
            &local,
            &format!("/staff/insights/export.csv?area={HARTLEPOOL}"),
        )
        .await;
    assert_eq!(res.status(), 422);

    // Downloads: disclosed aggregates only, each in the audit log.
    let before = exports(&app).await;
    let res = app.get(&local, "/staff/insights/export.csv").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .contains("Area code,Area,Age band,Young people"));
    let mut small = 0;
    for line in lines {
        for cell in line.split(',') {
            assert!(!matches!(cell.parse::<i64>(), Ok(1..=9)), "{line}");
            small += usize::from(cell == "<10");
        }
    }
    assert!(small > 0, "Hartlepool's one response shows as <10");
    // Hartlepool's one young person hides Birmingham's figure beside it in
    // each column it is in, so it cannot be taken from the total.
    assert!(csv.contains(",All areas,all,1400,"), "{csv}");
    assert!(csv.contains("E08000025,Birmingham,all,,"), "{csv}");
    let res = app.get(&local, "/staff/insights/export.json").await;
    assert_eq!(res.status(), 200);
    let doc: serde_json::Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(doc["schema"], "heard-insights/1");
    assert!(doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !matches!(r["young_people"].as_i64(), Some(1..=9))));
    let res = app.get(&local, "/staff/insights/export.xlsx").await;
    assert_eq!(res.status(), 200);
    opens_in_spreadsheets(&res.bytes().await.unwrap(), "All areas|all|1400");
    assert_eq!(exports(&app).await, before + 3);

    // The organisation's own staff download every response, streamed: one
    // row each, formulas neutralised, nothing flagged.
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .get(&worker, &format!("/staff/surveys/{id}/responses.csv"))
        .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let numbered = csv
        .lines()
        .filter(|l| {
            l.split(',')
                .next()
                .is_some_and(|c| c.parse::<u64>().is_ok())
        })
        .count();
    assert_eq!(numbered, 1_401, "one row a response");
    assert!(csv.contains("'=HYPERLINK"), "neutralised");
    assert!(!csv.contains("\n=HYPERLINK") && !csv.contains(",=HYPERLINK"));
    // Compressed on the way, as browsers ask: streamed to its end.
    let res = worker
        .get(app.url(&format!("/staff/surveys/{id}/responses.csv")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert!(
        res.bytes().await.unwrap().len() > 1000,
        "the whole body arrives"
    );
    let res = app
        .get(&worker, &format!("/staff/surveys/{id}/responses.xlsx"))
        .await;
    assert_eq!(res.status(), 200);
    opens_in_spreadsheets(&res.bytes().await.unwrap(), "More trips");
    assert_eq!(exports(&app).await, before + 6);
    // Commissioners never download responses; other organisations neither;
    // organisation staff never download the cross-organisation figures.
    assert_eq!(
        app.status(&local, &format!("/staff/surveys/{id}/responses.csv"))
            .await,
        404
    );
    let other = app.organisation("Elsewhere", Some(BIRMINGHAM)).await;
    let stranger = app.signed_in(Role::OrgAdmin, Some(other), &[]).await;
    assert_eq!(
        app.status(&stranger, &format!("/staff/surveys/{id}/responses.xlsx"))
            .await,
        404
    );
    assert_eq!(app.status(&worker, "/staff/insights/export.csv").await, 403);
    assert_eq!(exports(&app).await, before + 6, "refusals write nothing");
    let signed_out = app.client();
    assert_ne!(
        app.status(&signed_out, "/staff/insights/export.json").await,
        200
    );
}

async fn who_has_not_been_heard_what_they_said_and_services_stay_disclosed(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Birmingham Youth Voice", Some(BIRMINGHAM))
        .await;
    let (id, _) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    sqlx::query("UPDATE questions SET outcome = 'enjoy_achieve' WHERE id = $1")
        .bind(q[5])
        .execute(app.db.pool())
        .await
        .unwrap();
    seeding::seed_responses(&app, id, &q, 1_400, 1_795_000_000 / 86400 * 86400).await;
    // A moderator approved 25 answers to the long question; one of them later
    // went to the safeguarding lead and one was flagged offensive.
    sqlx::query(
        "UPDATE answers SET state = 'approved' WHERE question_id = $1
           AND response_id IN (SELECT id FROM responses WHERE survey_id = $2 ORDER BY id LIMIT 25)",
    )
    .bind(q[5])
    .bind(id)
    .execute(app.db.pool())
    .await
    .unwrap();
    let (lead, rude): (i64, i64) = sqlx::query_as(
        "SELECT MIN(id), MAX(id) FROM answers WHERE question_id = $1 AND state = 'approved'",
    )
    .bind(q[5])
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    sqlx::query("UPDATE answers SET at_risk = 1, value = 'LEAD ONLY' WHERE id = $1")
        .bind(lead)
        .execute(app.db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE answers SET offensive = 1, value = 'RUDE WORDS' WHERE id = $1")
        .bind(rude)
        .execute(app.db.pool())
        .await
        .unwrap();
    let local = app
        .signed_in(Role::Commissioner, None, &[BIRMINGHAM, HARTLEPOOL])
        .await;

    // Who has not been heard: every area of theirs, gaps in words.
    let p = get_page(&app, &local, "/staff/insights/reach").await;
    let text = p.main_text();
    assert!(
        text.contains("Birmingham") && text.contains("Hartlepool"),
        "{text}"
    );
    assert!(text.contains("none yet"), "Hartlepool's gaps are plain");
    let rows = p.rows("table.reach tbody tr");
    let teens = rows.iter().find(|r| r[0] == "13 to 15 years").unwrap();
    assert_eq!(teens[1], "200", "{rows:?}");
    assert!(rows
        .iter()
        .flatten()
        .all(|c| !matches!(c.parse::<i64>(), Ok(1..=9))));
    // Administrators load populations; a wrong file loads nothing.
    let admin = app.signed_in(Role::Admin, None, &[]).await;
    let load = |who: &reqwest::Client, csv: &'static str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("people.csv"),
        );
        who.post(app.url("/staff/insights/populations"))
            .multipart(form)
            .send()
    };
    let res = load(
        &admin,
        "area_code,age_band,people\nE08000025,13-15,20000\nE99999999,8-9,5\n",
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Row 3: heard has no area with the code E99999999"));
    assert_eq!(app.count("SELECT COUNT(*) FROM populations").await, 0);
    let res = load(&admin, "area_code,age_band,people\nE08000025,13-15,20000\n")
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'populations_loaded'")
            .await,
        1
    );
    assert_eq!(
        load(&local, "area_code,age_band,people\nE08000025,8-9,1\n")
            .await
            .unwrap()
            .status(),
        403
    );
    let p = get_page(&app, &local, "/staff/insights/reach").await;
    let rows = p.rows("table.reach tbody tr");
    let teens = rows.iter().find(|r| r[0] == "13 to 15 years").unwrap();
    assert_eq!(teens.last().unwrap(), "1.0%", "200 of 20,000: {teens:?}");

    // What young people said: approved words only, never the lead's or the
    // offensive, a page at a time, filterable by outcome.
    let p = get_page(&app, &local, "/staff/insights/said").await;
    let quotes = p.texts(".quotes blockquote");
    assert_eq!(quotes.len(), 20, "{quotes:?}");
    assert!(quotes.iter().all(|q| q.starts_with("Seeded answer")));
    let more = p.attrs(".pager a", "href");
    assert_eq!(more.len(), 1);
    let p = get_page(&app, &local, &more[0]).await;
    let rest = p.texts(".quotes blockquote");
    assert_eq!(
        rest.len(),
        3,
        "25 approved, less the lead's and the offensive"
    );
    assert!(p.select(".pager a").is_empty());
    let p = get_page(&app, &local, "/staff/insights/said?outcome=safe").await;
    assert!(p.select(".quotes blockquote").is_empty());
    let p = get_page(
        &app,
        &local,
        "/staff/insights/said?outcome=enjoy_achieve&age=13-15",
    )
    .await;
    assert!(!p.select(".quotes blockquote").is_empty());
    let all_text = format!("{}{}", quotes.join(" "), rest.join(" "));
    assert!(!all_text.contains("LEAD ONLY") && !all_text.contains("RUDE WORDS"));
    let p = get_page(
        &app,
        &local,
        &format!("/staff/insights/said?area={HARTLEPOOL}"),
    )
    .await;
    assert!(p.main_text().contains("fewer than 10 young people"));

    // Services and ideas: ratings by kind and area, ideas by status.
    let service = app::services::store::create(
        &app.db,
        org,
        &app::services::ServiceFields {
            name: "Northfield Youth Club".into(),
            kind: Some(app::services::Kind::YouthService),
            area_code: BIRMINGHAM.into(),
            outcomes: vec![],
            description: "Open Tuesdays.".into(),
            contact: "0121 496 0000".into(),
            website: None,
        },
        app::audit::store::Actor::CommandLine,
    )
    .await
    .unwrap();
    let s = app::services::store::by_id(&app.db, service)
        .await
        .unwrap()
        .unwrap();
    let rq = app.question_ids(s.survey_id).await;
    for i in 0..40 {
        let (r,): (i64,) = sqlx::query_as(
            "INSERT INTO responses (survey_id, submission_key, submitted_at) VALUES ($1, $2, 0) RETURNING id",
        )
        .bind(s.survey_id)
        .bind(format!("rating-{i}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        for q in &rq[..4] {
            sqlx::query("INSERT INTO answers (response_id, question_id, position, value) VALUES ($1, $2, 0, $3)")
                .bind(r)
                .bind(q)
                .bind(if i < 30 { "5" } else { "2" })
                .execute(app.db.pool())
                .await
                .unwrap();
        }
    }
    // Half of them folded, to read both halves.
    app::tallies::store::fold(&app.db, 1).await.unwrap();
    for (i, status) in ["happening", "happening", "new"]
        .iter()
        .cycle()
        .take(12)
        .enumerate()
    {
        sqlx::query(
            "INSERT INTO suggestions (public_ref, submission_key, content_digest, code_digest, organisation_id,
               title, description, details, offensive, at_risk, category, area_code, state, status, created_on, updated_at)
             VALUES ($1, $1, $1, $1, $2, 'Idea', 'Words', '', 0, 0, 'sport', $3, 'approved', $4, 0, 0)",
        )
        .bind(format!("idea-{i}"))
        .bind(org)
        .bind(BIRMINGHAM)
        .bind(status)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let p = get_page(&app, &local, "/staff/insights/services").await;
    let rows = p.rows("table.data tbody tr");
    let club = rows
        .iter()
        .find(|r| r[0] == "Youth club or youth service")
        .expect("{rows:?}");
    assert_eq!(
        club[1..],
        ["Birmingham", "40", "75%", "75%", "75%", "75%"].map(String::from)
    );
    assert!(
        p.main_text()
            .contains("Reached \u{201c}happening\u{201d}: fewer than 10."),
        "8 of 12"
    );
    let sport = rows.iter().find(|r| r[0] == "Sport").unwrap();
    assert_eq!(sport.last().unwrap(), "10", "12 rounds to 10");

    // Organisation staff reach none of it.
    let worker = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    for path in [
        "/staff/insights/reach",
        "/staff/insights/said",
        "/staff/insights/services",
    ] {
        assert_eq!(app.status(&worker, path).await, 403, "{path}");
    }
}

on_both_databases!(
    commissioners_see_their_areas_disclosed_and_nobody_else_gets_in,
    filters_comparisons_and_downloads_stay_disclosed,
    who_has_not_been_heard_what_they_said_and_services_stay_disclosed
);
