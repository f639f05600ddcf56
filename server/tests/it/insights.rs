//! Commissioners' insights: only their areas' organisations, only surveys
//! past the disclosure minimum, every number disclosed, and nobody else in.
//! Both databases, real HTTP.

use crate::common::{as_refs, full_answers, new_key, Page, Store, TestApp};
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
    assert_eq!(overview.attrs(".links a", "href"), vec![link.clone()]);
    let res = app.get(&local, &link).await;
    assert_eq!(res.status(), 200);
    let survey = Page::parse(&res.text().await.unwrap());
    let text = survey.main_text();
    assert!(
        text.contains("35 responses") && !text.contains("34"),
        "{text}"
    );
    let rows = survey.rows("table.data tbody tr");
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
    assert!(below.select("table.data").is_empty());
    assert_eq!(app.status(&camden, &link).await, 404);

    // Organisation staff never reach the cross-organisation views.
    for role in [Role::OrgAdmin, Role::YouthWorker, Role::SafeguardingLead] {
        let staff = app.signed_in(role, Some(leeds), &[]).await;
        assert_eq!(app.status(&staff, "/staff/insights").await, 403, "{role:?}");
        assert_eq!(app.status(&staff, &link).await, 403, "{role:?}");
    }
}

on_both_databases!(commissioners_see_their_areas_disclosed_and_nobody_else_gets_in);
