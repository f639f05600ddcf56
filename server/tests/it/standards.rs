//! Participation standards: frameworks loaded and imported, assessments
//! started (and started again from the last), claims and evidence, the
//! award estimate, documents checked and kept safe, and who may do what,
//! each refusal beside the caller who is allowed. Both databases, real HTTP.

use crate::common::{new_key, Page, Store, TestApp};
use app::accounts::Role;
use app::standards::defaults;

const AREA: &str = "E08000025";
const OTHER_AREA: &str = "E08000026";

/// The smallest PDF-looking file: what heard checks is its first bytes.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

struct Org {
    app: TestApp,
    org: i64,
    admin: reqwest::Client,
}

async fn org(store: Store) -> Org {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some(AREA))
        .await;
    let admin = app.signed_in(Role::OrgAdmin, Some(org), &[]).await;
    Org { app, org, admin }
}

impl Org {
    async fn framework_id(&self, key: &str) -> i64 {
        self.app
            .count(&format!(
                "SELECT MAX(id) FROM frameworks WHERE key = '{key}'"
            ))
            .await
    }

    /// Starts an assessment as `who`; its id.
    async fn start(&self, who: &reqwest::Client, framework: &str, title: &str) -> i64 {
        let fw = self.framework_id(framework).await.to_string();
        let res = self
            .app
            .post(
                who,
                "/staff/standards",
                &[
                    ("organisation", &self.org.to_string()),
                    ("framework", &fw),
                    ("title", title),
                    ("once", &new_key()),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
        let to = res.headers()["location"].to_str().unwrap().to_string();
        to.trim_start_matches("/staff/standards/").parse().unwrap()
    }

    /// The claim's `updated_at` as a freshly drawn form holds it.
    async fn seen(&self, id: i64, indicator: &str) -> String {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT updated_at FROM assessment_claims WHERE assessment_id = $1 AND indicator = $2",
        )
        .bind(id)
        .bind(indicator)
        .fetch_optional(self.app.db.pool())
        .await
        .unwrap();
        row.map(|(t,)| t.to_string()).unwrap_or_default()
    }

    async fn claim_saying(
        &self,
        who: &reqwest::Client,
        id: i64,
        indicator: &str,
        level: &str,
        account: &str,
        seen: &str,
    ) -> reqwest::Response {
        self.app
            .post(
                who,
                &format!("/staff/standards/{id}"),
                &[
                    ("action", "claim"),
                    ("indicator", indicator),
                    ("level", level),
                    ("account", account),
                    ("seen", seen),
                ],
            )
            .await
    }

    async fn claim(&self, who: &reqwest::Client, id: i64, indicator: &str, level: &str) -> u16 {
        let seen = self.seen(id, indicator).await;
        self.claim_saying(
            who,
            id,
            indicator,
            level,
            "Young people sit on the board.",
            &seen,
        )
        .await
        .status()
        .as_u16()
    }

    async fn note(&self, who: &reqwest::Client, id: i64, indicator: &str) -> u16 {
        self.app
            .post(
                who,
                &format!("/staff/standards/{id}"),
                &[
                    ("action", "note"),
                    ("indicator", indicator),
                    ("title", "Board minutes"),
                    ("note", "Two young trustees since May."),
                    ("once", &new_key()),
                ],
            )
            .await
            .status()
            .as_u16()
    }

    async fn upload(
        &self,
        who: &reqwest::Client,
        id: i64,
        indicator: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("indicator", indicator.to_string())
            .text("once", new_key())
            .text("title", "Signed policy")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name(name.to_string())
                    .mime_str("text/html")
                    .unwrap(),
            );
        who.post(self.app.url(&format!("/staff/standards/{id}/documents")))
            .header("accept", "text/html")
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    async fn page(&self, who: &reqwest::Client, id: i64) -> (u16, String) {
        let res = self.app.get(who, &format!("/staff/standards/{id}")).await;
        let status = res.status().as_u16();
        (status, Page::parse(&res.text().await.unwrap()).main_text())
    }

    fn uploads(&self) -> Vec<String> {
        match std::fs::read_dir(&self.app.state.settings.uploads) {
            Ok(dir) => dir
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect(),
            Err(_) => vec![],
        }
    }
}

fn key_indicators(n: usize) -> Vec<String> {
    defaults::seven_s()
        .key_indicators()
        .take(n)
        .map(|i| i.key.clone())
        .collect()
}

async fn shipped_frameworks_load_and_administrators_import_new_ones(store: Store) {
    let o = org(store).await;
    assert_eq!(o.app.count("SELECT COUNT(*) FROM frameworks").await, 2);
    let upload = |who: reqwest::Client, text: String| {
        let url = o.app.url("/staff/standards/frameworks");
        async move {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(text.into_bytes()).file_name("framework.json"),
            );
            let res = who.post(url).multipart(form).send().await.unwrap();
            let status = res.status().as_u16();
            (status, Page::parse(&res.text().await.unwrap()).main_text())
        }
    };
    let v2 = defaults::LUNDY.replacen("\"version\": 1", "\"version\": 2", 1);
    assert_ne!(v2, defaults::LUNDY, "the shipped file names its version");
    // An organisation's administrator may not load frameworks...
    let (status, _) = upload(o.admin.clone(), v2.clone()).await;
    assert_eq!(status, 403);
    // ...heard's administrators may, and see every problem of a bad file.
    let admin = o.app.signed_in(Role::Admin, None, &[]).await;
    let broken = v2.replacen(
        "\"format\": \"heard-framework/1\"",
        "\"format\": \"heard-framework/7\"",
        1,
    );
    let (status, text) = upload(admin.clone(), broken).await;
    assert_eq!(status, 422);
    assert!(
        text.contains("Nothing was loaded") && text.contains("heard-framework/1"),
        "{text}"
    );
    let (status, text) = upload(admin.clone(), v2.clone()).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Framework loaded."));
    assert_eq!(
        o.app
            .count("SELECT COUNT(*) FROM frameworks WHERE key = 'lundy'")
            .await,
        2
    );
    // The same version again keeps what assessments were made against.
    let (status, text) = upload(admin.clone(), v2).await;
    assert_eq!(status, 422);
    assert!(text.contains("already in heard"), "{text}");
    assert_eq!(
        o.app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'framework_imported'")
            .await,
        1
    );
}

async fn the_award_estimate_follows_levels_and_evidence(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let (status, text) = o.page(&o.admin, id).await;
    assert_eq!(status, 200);
    assert!(text.contains("does not earn an award yet"), "{text}");
    assert!(
        text.contains("For Bronze: 7 more of the 21 key indicators"),
        "{text}"
    );
    // Seven key indicators (a third of 21) at emerging or above, with evidence.
    let keys = key_indicators(7);
    for k in &keys {
        assert_eq!(o.claim(&o.admin, id, k, "established").await, 303);
    }
    for k in &keys[..6] {
        assert_eq!(o.note(&o.admin, id, k).await, 303);
    }
    let (_, text) = o.page(&o.admin, id).await;
    assert!(
        text.contains("does not earn an award yet"),
        "one lacks evidence: {text}"
    );
    assert!(text.contains("needs evidence"), "{text}");
    assert_eq!(o.note(&o.admin, id, &keys[6]).await, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("would earn: Bronze"), "{text}");
    assert!(text.contains("For Silver: 7 more"), "{text}");
    assert!(text.contains("Claimed: Established"), "{text}");
    // The report shows the same, without a form to change it.
    let res = o
        .app
        .get(&o.admin, &format!("/staff/standards/{id}/report"))
        .await;
    assert_eq!(res.status(), 200);
    let report = Page::parse(&res.text().await.unwrap());
    assert!(report.main_text().contains("would earn: Bronze"));
    assert!(!report.has("main form"), "a report has nothing to post");
    // A level the framework does not have, or an indicator it does not, is refused.
    assert_eq!(o.claim(&o.admin, id, &keys[0], "gold").await, 422);
    assert_eq!(
        o.claim(&o.admin, id, "no-such-indicator", "emerging").await,
        422
    );
    // Taking the level back to "not assessed" loses the award.
    assert_eq!(o.claim(&o.admin, id, &keys[0], "").await, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("does not earn an award yet"), "{text}");
}

async fn only_the_organisations_staff_change_its_assessment(store: Store) {
    let o = org(store).await;
    let app = &o.app;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    let other = app.organisation("Other Youth Service", Some(AREA)).await;
    let worker = app.signed_in(Role::YouthWorker, Some(o.org), &[]).await;
    let lead = app
        .signed_in(Role::SafeguardingLead, Some(o.org), &[])
        .await;
    let commissioner = app.signed_in(Role::Commissioner, None, &[AREA]).await;
    let far = app.signed_in(Role::Commissioner, None, &[OTHER_AREA]).await;
    let other_admin = app.signed_in(Role::OrgAdmin, Some(other), &[]).await;
    let other_worker = app.signed_in(Role::YouthWorker, Some(other), &[]).await;

    // Reading: the organisation's staff and its area's commissioners.
    for (who, status) in [
        (&o.admin, 200),
        (&worker, 200),
        (&lead, 200),
        (&commissioner, 200),
        (&far, 404),
        (&other_admin, 404),
        (&other_worker, 404),
    ] {
        assert_eq!(o.page(who, id).await.0, status);
    }
    // Claiming a level: its administrators.
    assert_eq!(o.claim(&o.admin, id, &k, "emerging").await, 303);
    for (who, status) in [
        (&worker, 403),
        (&lead, 403),
        (&commissioner, 403),
        (&other_admin, 404),
    ] {
        assert_eq!(o.claim(who, id, &k, "advanced").await, status);
    }
    // Evidence: its youth workers too, nobody else.
    assert_eq!(o.note(&worker, id, &k).await, 303);
    for (who, status) in [(&lead, 403), (&commissioner, 403), (&other_worker, 404)] {
        assert_eq!(o.note(who, id, &k).await, status);
    }
    // Starting one: its administrators only.
    let fw = o.framework_id("seven-s").await.to_string();
    for who in [&worker, &lead, &commissioner, &other_admin] {
        let res = app
            .post(
                who,
                "/staff/standards",
                &[
                    ("organisation", &o.org.to_string()),
                    ("framework", &fw),
                    ("title", "Mine"),
                    ("once", &new_key()),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM assessments").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assessment_claims WHERE level = 'emerging'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM evidence").await, 1);
    // The list shows each what they may see.
    let listed = |who: reqwest::Client| async move {
        let res = app.get(&who, "/staff/standards").await;
        (
            res.status().as_u16(),
            res.text().await.unwrap().contains("Spring 2027"),
        )
    };
    assert_eq!(listed(worker.clone()).await, (200, true));
    assert_eq!(listed(commissioner.clone()).await, (200, true));
    assert_eq!(listed(far.clone()).await, (200, false));
    assert_eq!(listed(other_admin.clone()).await, (200, false));
}

async fn a_new_assessment_starts_from_the_last(store: Store) {
    let o = org(store).await;
    let first = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    assert_eq!(o.claim(&o.admin, first, &k, "established").await, 303);
    assert_eq!(o.note(&o.admin, first, &k).await, 303);
    // Another framework's assessment starts empty.
    let lundy = o.start(&o.admin, "lundy", "Lundy check").await;
    assert_eq!(
        o.app
            .count(&format!(
                "SELECT COUNT(*) FROM assessment_claims WHERE assessment_id = {lundy}"
            ))
            .await,
        0
    );
    let second = o.start(&o.admin, "seven-s", "Autumn 2027").await;
    let (_, text) = o.page(&o.admin, second).await;
    assert!(text.contains("Claimed: Established"), "{text}");
    assert!(text.contains("Board minutes"), "{text}");
    assert!(text.contains("the assessment it started from"), "{text}");
    // Changing the new one leaves the old as it was.
    assert_eq!(o.claim(&o.admin, second, &k, "advanced").await, 303);
    let (_, old) = o.page(&o.admin, first).await;
    assert!(old.contains("Claimed: Established") && !old.contains("Claimed: Advanced"));
    // The two compared: what moved, with its evidence.
    let res = o
        .app
        .get(&o.admin, &format!("/staff/standards/{second}/compare"))
        .await;
    assert_eq!(res.status(), 200);
    let rows = Page::parse(&res.text().await.unwrap()).rows("table.compare tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0][1..],
        ["Established", "Advanced", "1 \u{2192} 1", "Moved up"]
    );
    let res = o
        .app
        .get(&o.admin, &format!("/staff/standards/{first}/compare"))
        .await;
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("did not start from an earlier one"));
}

async fn documents_are_checked_kept_safe_and_served_only_to_the_allowed(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    let worker = o.app.signed_in(Role::YouthWorker, Some(o.org), &[]).await;

    // A file that is a web page is refused whatever its name says.
    let res = o
        .upload(
            &worker,
            id,
            &k,
            "policy.pdf",
            b"<html><script>alert(1)</script></html>".to_vec(),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("heard keeps PDFs, images"));
    // Too big: refused, and nothing of it stays.
    let mut big = PDF.to_vec();
    big.resize(app::standards::documents::MAX_DOCUMENT_BYTES + 1, b' ');
    let res = o.upload(&worker, id, &k, "big.pdf", big).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("larger than 10 MB"));
    assert!(o.uploads().is_empty(), "{:?}", o.uploads());
    assert_eq!(o.app.count("SELECT COUNT(*) FROM documents").await, 0);

    // A PDF with a name that tries to leave the folder.
    let res = o
        .upload(&worker, id, &k, "../../../tmp/evil.html", PDF.to_vec())
        .await;
    assert_eq!(res.status(), 303);
    let files = o.uploads();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].chars().all(|c| c.is_ascii_alphanumeric()) && files[0].len() == 32);
    assert!(!std::path::Path::new("/tmp/evil.html").exists());
    let doc = o.app.count("SELECT MAX(id) FROM documents").await;
    let (_, text) = o.page(&worker, id).await;
    assert!(text.contains("evil.pdf"), "{text}");

    // Served as an attachment with the type its bytes earned.
    let res = o.app.get(&worker, &format!("/staff/documents/{doc}")).await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"evil.pdf\""));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["content-security-policy"], "default-src 'none'; sandbox");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(
        o.app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'document_opened'")
            .await,
        1
    );
    // The safeguarding lead may open it; commissioners see it is there but
    // may not open it; other organisations see nothing.
    let lead = o
        .app
        .signed_in(Role::SafeguardingLead, Some(o.org), &[])
        .await;
    assert_eq!(
        o.app
            .status(&lead, &format!("/staff/documents/{doc}"))
            .await,
        200
    );
    let commissioner = o.app.signed_in(Role::Commissioner, None, &[AREA]).await;
    assert_eq!(
        o.app
            .status(&commissioner, &format!("/staff/documents/{doc}"))
            .await,
        404
    );
    let (_, text) = o.page(&commissioner, id).await;
    assert!(text.contains("evil.pdf"));
    let page = o
        .app
        .get(&commissioner, &format!("/staff/standards/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&format!("/staff/documents/{doc}")));
    let other = o.app.organisation("Other", Some(AREA)).await;
    let stranger = o.app.signed_in(Role::OrgAdmin, Some(other), &[]).await;
    assert_eq!(
        o.app
            .status(&stranger, &format!("/staff/documents/{doc}"))
            .await,
        404
    );
    // Only its staff may upload.
    let res = o.upload(&lead, id, &k, "x.pdf", PDF.to_vec()).await;
    assert_eq!(res.status(), 403);
    let res = o.upload(&stranger, id, &k, "x.pdf", PDF.to_vec()).await;
    assert_eq!(res.status(), 404);
    assert_eq!(o.uploads().len(), 1);
    // A wrong upload taken off is gone whole: its record and its file.
    let evidence = o
        .app
        .count("SELECT MAX(id) FROM evidence")
        .await
        .to_string();
    let res = o
        .app
        .post(
            &worker,
            &format!("/staff/standards/{id}"),
            &[
                ("action", "remove"),
                ("indicator", &k),
                ("evidence", &evidence),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(o.app.count("SELECT COUNT(*) FROM documents").await, 0);
    assert!(o.uploads().is_empty(), "{:?}", o.uploads());
    assert_eq!(
        o.app
            .status(&worker, &format!("/staff/documents/{doc}"))
            .await,
        404
    );
}

async fn links_and_consultations_as_evidence(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    let post = |form: Vec<(&'static str, String)>| {
        let (app, admin) = (&o.app, o.admin.clone());
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
            let res = app
                .post(&admin, &format!("/staff/standards/{id}"), &form)
                .await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let link = |url: &str| {
        vec![
            ("action", "link".to_string()),
            ("indicator", k.clone()),
            ("title", "Our policy".to_string()),
            ("url", url.to_string()),
            ("once", new_key()),
        ]
    };
    let (status, text) = post(link("javascript:alert(1)")).await;
    assert_eq!(status, 422);
    assert!(text.contains("must start with https://"), "{text}");
    let kept = Page::parse(&text);
    assert_eq!(
        kept.attrs(&format!("#link-title-{k}"), "value"),
        ["Our policy"],
        "what was typed is kept"
    );
    assert!(kept.has(&format!("#ind-{k} details.add-evidence[open]")));
    assert_eq!(post(link("www.example.org/policy")).await.0, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("https://www.example.org/policy"));

    // A survey of the organisation's own, with its responses as they grow.
    let (survey, _) = o
        .app
        .survey_with_every_kind(o.org, app::surveys::model::SurveyStatus::Open)
        .await;
    let other = o.app.organisation("Other", Some(AREA)).await;
    let (theirs, _) = o
        .app
        .survey_with_every_kind(other, app::surveys::model::SurveyStatus::Open)
        .await;
    let add = |s: i64| {
        vec![
            ("action", "survey".to_string()),
            ("indicator", k.clone()),
            ("survey", s.to_string()),
            ("once", new_key()),
        ]
    };
    assert_eq!(post(add(theirs)).await.0, 422);
    assert_eq!(post(add(survey)).await.0, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("responses so far: 0"), "{text}");
    // The ideas young people sent for the organisation's area, counted now.
    let ideas = vec![
        ("action", "ideas".to_string()),
        ("indicator", k.clone()),
        ("once", new_key()),
    ];
    assert_eq!(post(ideas).await.0, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("Ideas from young people:"), "{text}");
    assert!(
        text.contains("sent: 0, approved: 0, happening: 0"),
        "{text}"
    );
}

async fn a_double_tap_adds_evidence_once(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    let key = new_key();
    let form = [
        ("action", "note"),
        ("indicator", k.as_str()),
        ("title", "Board minutes"),
        ("note", "Twice?"),
        ("once", key.as_str()),
    ];
    let path = format!("/staff/standards/{id}");
    let (a, b) = tokio::join!(
        o.app.post(&o.admin, &path, &form),
        o.app.post(&o.admin, &path, &form)
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
    assert_eq!(o.app.count("SELECT COUNT(*) FROM evidence").await, 1);
}

async fn young_people_say_whether_they_agree(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let keys = key_indicators(2);
    let panel = |who: reqwest::Client| {
        let app = &o.app;
        async move {
            let res = app
                .post(
                    &who,
                    &format!("/staff/standards/{id}"),
                    &[("action", "panel"), ("indicator", ""), ("once", &new_key())],
                )
                .await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    // Nothing claimed yet: nothing to ask.
    let (status, text) = panel(o.admin.clone()).await;
    assert_eq!(status, 422);
    assert!(text.contains("Claim a level for at least one indicator first"));
    for k in &keys {
        assert_eq!(o.claim(&o.admin, id, k, "established").await, 303);
    }
    // A youth worker may not send it; the organisation's administrator may.
    let worker = o.app.signed_in(Role::YouthWorker, Some(o.org), &[]).await;
    assert_eq!(panel(worker.clone()).await.0, 403);
    assert_eq!(panel(o.admin.clone()).await.0, 303);
    assert_eq!(
        panel(o.admin.clone()).await.0,
        303,
        "asking twice is harmless"
    );
    assert_eq!(o.app.count("SELECT COUNT(*) FROM panel_questions").await, 2);
    let survey = o
        .app
        .count(&format!(
            "SELECT panel_survey_id FROM assessments WHERE id = {id}"
        ))
        .await;
    let slug: (String,) = sqlx::query_as("SELECT slug FROM surveys WHERE id = $1")
        .bind(survey)
        .fetch_one(o.app.db.pool())
        .await
        .unwrap();
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains(&format!("/s/{}", slug.0)), "{text}");
    assert!(text.contains("Young people: No answers yet"), "{text}");

    // A young person answers, as a plain form (no JavaScript), in faces.
    let questions = o.app.question_ids(survey).await;
    assert_eq!(questions.len(), 2);
    let phone = o.app.client();
    let page = o
        .app
        .get(&phone, &format!("/s/{}", slug.0))
        .await
        .text()
        .await
        .unwrap();
    let words = &defaults::seven_s()
        .key_indicators()
        .next()
        .unwrap()
        .young_people
        .clone();
    assert!(
        Page::parse(&page).main_text().contains(words.as_str()),
        "asked in their words"
    );
    let key = new_key();
    let form = [
        ("submission_key", key.as_str()),
        (&format!("q{}", questions[0]), "5"),
        (&format!("q{}", questions[1]), "2"),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (&**a, *b)).collect();
    let res = o.app.post(&phone, &format!("/s/{}", slug.0), &form).await;
    assert_eq!(res.status(), 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("Young people: 1 of 1 agree"), "{text}");
    assert!(text.contains("Young people: 0 of 1 agree"), "{text}");
    // Commissioners see it disclosed: one answer is too few to show.
    let commissioner = o.app.signed_in(Role::Commissioner, None, &[AREA]).await;
    let (status, text) = o.page(&commissioner, id).await;
    assert_eq!(status, 200);
    assert!(
        text.contains("fewer than 10 answered: too few to show")
            || text.contains("Fewer than 10 answered: too few to show"),
        "{text}"
    );
    assert!(!text.contains("1 of 1 agree"));
}

/// The organisation's public "you said, we did" page, as anyone reads it.
async fn public(app: &TestApp, org: i64) -> String {
    let res = app
        .get(
            &app.client(),
            &format!("/you-said-we-did?organisation={org}"),
        )
        .await;
    Page::parse(&res.text().await.unwrap()).main_text()
}

async fn actions_plan_the_gaps_and_stories_tell_what_changed(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    let path = format!("/staff/standards/{id}");
    let post = |who: reqwest::Client, form: Vec<(&'static str, String)>| {
        let (app, path) = (&o.app, path.clone());
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
            let res = app.post(&who, &path, &form).await;
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let action = |what: &str, due: &str, status: &str, reason: &str| {
        vec![
            ("action", "add_action".to_string()),
            ("indicator", k.clone()),
            ("what", what.to_string()),
            ("who", "Participation lead".to_string()),
            ("due", due.to_string()),
            ("status", status.to_string()),
            ("reason", reason.to_string()),
            ("once", new_key()),
        ]
    };
    // Every problem is named, and what was typed is kept.
    let (status, html) = post(
        o.admin.clone(),
        action("Ask the panel", "31/01/2024", "dropped", ""),
    )
    .await;
    assert_eq!(status, 422);
    let page = Page::parse(&html);
    assert!(
        page.main_text().contains("Enter the day it is due")
            && page.main_text().contains("Say why it was dropped")
    );
    assert_eq!(page.attrs("#action-new-what", "value"), ["Ask the panel"]);
    // A youth worker may not plan actions; the administrator may.
    let worker = o.app.signed_in(Role::YouthWorker, Some(o.org), &[]).await;
    assert_eq!(
        post(
            worker.clone(),
            action("Ask", "2024-01-31", "not_started", "")
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            o.admin.clone(),
            action("Ask the panel", "2024-01-31", "not_started", "")
        )
        .await
        .0,
        303
    );
    assert_eq!(
        post(
            o.admin.clone(),
            action("Train the team", "2199-01-31", "under_way", "")
        )
        .await
        .0,
        303
    );
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("1 action is overdue."), "{text}");
    assert!(text.contains("Overdue"));
    // The youth worker doing it marks it done: nothing is overdue.
    let action_id = o
        .app
        .count("SELECT MIN(id) FROM standard_actions")
        .await
        .to_string();
    let update = |status: &str| {
        vec![
            ("action", "update_action".to_string()),
            ("id", action_id.clone()),
            ("what", "Ask the panel".to_string()),
            ("who", "Sam".to_string()),
            ("due", "2024-01-31".to_string()),
            ("status", status.to_string()),
            ("reason", String::new()),
        ]
    };
    let commissioner = o.app.signed_in(Role::Commissioner, None, &[AREA]).await;
    assert_eq!(post(commissioner.clone(), update("done")).await.0, 403);
    assert_eq!(post(worker.clone(), update("done")).await.0, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(!text.contains("overdue"), "{text}");
    // A youth worker says where it stands; who does it is the plan's.
    assert!(
        text.contains("Participation lead · due 31 January 2024 · Done"),
        "{text}"
    );
    assert_eq!(post(o.admin.clone(), update("done")).await.0, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("Sam · due 31 January 2024 · Done"), "{text}");

    // A story of change: a youth worker writes it (not public, whatever
    // they tick), the administrator publishes it.
    let story = vec![
        ("action", "add_story".to_string()),
        ("action_id", action_id.clone()),
        ("indicator", k.clone()),
        ("said", "Open later on Fridays".to_string()),
        ("changed", "We open until 10pm on Fridays".to_string()),
        ("changed_on", "2027-02-01".to_string()),
        ("public", "1".to_string()),
        ("once", new_key()),
    ];
    assert_eq!(post(worker.clone(), story).await.0, 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("Action: Ask the panel"), "{text}");
    assert!(!public(&o.app, o.org).await.contains("We open until 10pm"));
    let (_, text) = o.page(&commissioner, id).await;
    assert!(
        !text.contains("We open until 10pm"),
        "commissioners read public stories only"
    );
    let story_id = o
        .app
        .count("SELECT MAX(id) FROM change_stories")
        .await
        .to_string();
    let publish = |what: &str| vec![("action", what.to_string()), ("id", story_id.clone())];
    assert_eq!(post(worker.clone(), publish("publish")).await.0, 403);
    let other = o.app.organisation("Other", Some(AREA)).await;
    let stranger = o.app.signed_in(Role::OrgAdmin, Some(other), &[]).await;
    assert_eq!(post(stranger, publish("publish")).await.0, 404);
    assert_eq!(post(o.admin.clone(), publish("publish")).await.0, 303);
    let text = public(&o.app, o.org).await;
    assert!(
        text.contains("What's changed") && text.contains("We open until 10pm on Fridays"),
        "{text}"
    );
    let (_, text) = o.page(&commissioner, id).await;
    assert!(text.contains("We open until 10pm"));
    assert_eq!(post(o.admin.clone(), publish("unpublish")).await.0, 303);
    assert!(!public(&o.app, o.org).await.contains("We open until 10pm"));
}

async fn commissioners_see_organisations_in_their_areas_at_a_glance(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    for k in key_indicators(7) {
        assert_eq!(o.claim(&o.admin, id, &k, "established").await, 303);
        assert_eq!(o.note(&o.admin, id, &k).await, 303);
    }
    let due = [
        ("action", "add_action"),
        ("indicator", ""),
        ("what", "Ask the panel"),
        ("who", "Lead"),
        ("due", "2024-01-31"),
        ("status", "under_way"),
        ("reason", ""),
    ];
    assert_eq!(
        o.app
            .post(&o.admin, &format!("/staff/standards/{id}"), &due)
            .await
            .status(),
        303
    );
    let quiet = o.app.organisation("Quiet Youth Club", Some(AREA)).await;
    let far_org = o
        .app
        .organisation("Far Away Youth Club", Some(OTHER_AREA))
        .await;
    assert!(quiet > 0 && far_org > 0);
    let overview = |who: reqwest::Client| {
        let app = &o.app;
        async move {
            let res = app.get(&who, "/staff/insights/standards").await;
            let status = res.status().as_u16();
            let html = res.text().await.unwrap();
            (
                status,
                Page::parse(&html).rows("table.organisations tbody tr"),
                Page::parse(&html).main_text(),
            )
        }
    };
    let commissioner = o.app.signed_in(Role::Commissioner, None, &[AREA]).await;
    let (status, rows, text) = overview(commissioner).await;
    assert_eq!(status, 200, "{text}");
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        ["Northfield Youth Service", "Quiet Youth Club"],
        "their areas only"
    );
    assert!(rows[0][1].contains("Spring 2027"));
    assert_eq!(rows[0][2], "Bronze");
    assert_eq!(rows[0][3], "1");
    assert_eq!(rows[1][1], "None yet");
    assert!(text.contains("levels by standard"), "{text}");
    assert!(
        text.contains("across the latest assessments of 1 organisation."),
        "{text}"
    );
    // Organisation staff have their own page, not this one.
    assert_eq!(overview(o.admin.clone()).await.0, 403);
    let admin = o.app.signed_in(Role::Admin, None, &[]).await;
    let (_, rows, _) = overview(admin).await;
    assert_eq!(rows.len(), 3, "administrators see all of England");
}

async fn two_people_saving_one_claim_lose_nothing(store: Store) {
    let o = org(store).await;
    let id = o.start(&o.admin, "seven-s", "Spring 2027").await;
    let k = key_indicators(1).remove(0);
    let colleague = o.app.signed_in(Role::OrgAdmin, Some(o.org), &[]).await;
    // Both open the form before either saves.
    let seen = o.seen(id, &k).await;
    let mine = o
        .claim_saying(
            &o.admin,
            id,
            &k,
            "established",
            "We asked the panel in May.",
            &seen,
        )
        .await;
    assert_eq!(mine.status(), 303);
    // A double tap of the same form is fine.
    let again = o
        .claim_saying(
            &o.admin,
            id,
            &k,
            "established",
            "We asked the panel in May.",
            &seen,
        )
        .await;
    assert_eq!(again.status(), 303);
    // The colleague's later save is refused, with their words kept.
    let theirs = o
        .claim_saying(
            &colleague,
            id,
            &k,
            "advanced",
            "Young people run the board.",
            &seen,
        )
        .await;
    assert_eq!(theirs.status(), 409);
    let html = theirs.text().await.unwrap();
    assert!(html.contains("Someone else saved this claim"));
    assert!(
        html.contains("Young people run the board."),
        "their words are in the form"
    );
    assert!(
        Page::parse(&html)
            .main_text()
            .contains("We asked the panel in May."),
        "the saved one shows"
    );
    // Saving again, having seen it, keeps theirs.
    let seen = o.seen(id, &k).await;
    let theirs = o
        .claim_saying(
            &colleague,
            id,
            &k,
            "advanced",
            "Young people run the board.",
            &seen,
        )
        .await;
    assert_eq!(theirs.status(), 303);
    let (_, text) = o.page(&o.admin, id).await;
    assert!(text.contains("Claimed: Advanced") && text.contains("Young people run the board."));
}

on_both_databases!(
    two_people_saving_one_claim_lose_nothing,
    commissioners_see_organisations_in_their_areas_at_a_glance,
    actions_plan_the_gaps_and_stories_tell_what_changed,
    young_people_say_whether_they_agree,
    shipped_frameworks_load_and_administrators_import_new_ones,
    the_award_estimate_follows_levels_and_evidence,
    only_the_organisations_staff_change_its_assessment,
    a_new_assessment_starts_from_the_last,
    documents_are_checked_kept_safe_and_served_only_to_the_allowed,
    links_and_consultations_as_evidence,
    a_double_tap_adds_evidence_once,
);
