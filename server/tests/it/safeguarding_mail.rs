//! Email to safeguarding leads when a young person's answer matches the risk
//! list: against a local SMTP server the test starts, on both databases,
//! over real HTTP.

use crate::common::{as_refs, full_answers, new_key, Page, Store, TestApp};
use crate::smtp::{eventually, refusing_url, TestSmtp};
use app::accounts::Role;
use app::mail::Mailer;
use app::state::Settings;
use app::surveys::model::SurveyStatus;
use std::sync::Arc;
use std::time::Duration;

/// What the young person writes into the long-text question.
const WORDS: &str = "my stepdad hits me";
/// The survey's title and the long-text question's prompt (see `every_kind`).
const SURVEY: &str = "Our youth club";
const QUESTION: &str = "What should we change?";
/// Long enough for a loaded 2-core machine; the wait ends as soon as it can.
const WITHIN: Duration = Duration::from_secs(10);

fn mailing_to(url: &str) -> Settings {
    let from = app::mail::parse_from("heard <no-reply@heard.test>").unwrap();
    Settings {
        mail: Some(Arc::new(Mailer::new(url, from).expect("mailer"))),
        ..Settings::default()
    }
}

/// A complete response whose long-text answer is `text`.
fn answers_saying(q: &[i64], key: &str, text: &str) -> Vec<(String, String)> {
    let mut form = full_answers(q, key);
    for (name, value) in &mut form {
        if *name == format!("q{}", q[5]) {
            *value = text.to_string();
        }
    }
    form
}

/// An open survey at a new organisation: (organisation, survey id, slug, question ids).
async fn survey(app: &TestApp, name: &str) -> (i64, i64, String, Vec<i64>) {
    let org = app.organisation(name, Some("E08000025")).await;
    let (id, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(id).await;
    (org, id, slug, q)
}

async fn send(app: &TestApp, slug: &str, form: &[(String, String)]) -> reqwest::Response {
    app.post(&app.client(), &format!("/s/{slug}"), &as_refs(form))
        .await
}

/// The round of emails has finished: every send done or given up.
async fn round_over(app: &TestApp) {
    assert!(
        eventually(WITHIN, || app.state.lead_alerts.is_empty()).await,
        "the emails to the leads finished within {WITHIN:?}"
    );
}

async fn each_active_lead_of_the_organisation_gets_one_email_with_only_a_link(store: Store) {
    let smtp = TestSmtp::start().await;
    let app = TestApp::spawn_with(store, mailing_to(&smtp.url)).await;
    let (org, survey_id, slug, q) = survey(&app, "Northfield Youth Service").await;
    let other = app.organisation("Southside Youth Club", None).await;
    let (lead_a, _) = app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    let (lead_b, _) = app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    let (gone, _) = app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    sqlx::query("UPDATE users SET disabled_at = 1 WHERE email = $1")
        .bind(&gone)
        .execute(app.db.pool())
        .await
        .unwrap();
    app.staff(Role::SafeguardingLead, Some(other), &[]).await;
    app.staff(Role::YouthWorker, Some(org), &[]).await;
    app.staff(Role::OrgAdmin, Some(org), &[]).await;
    app.staff(Role::Admin, None, &[]).await;

    let form = answers_saying(&q, &new_key(), WORDS);
    let res = send(&app, &slug, &form).await;
    assert_eq!(res.status(), 200, "help, in answer to the post");
    assert!(
        eventually(WITHIN, || smtp.received().len() >= 2).await,
        "two emails within {WITHIN:?}: {:?}",
        smtp.received()
    );
    round_over(&app).await;

    let mail = smtp.received();
    let mut to: Vec<String> = mail.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    let mut leads = vec![lead_a.clone(), lead_b.clone()];
    leads.sort();
    assert_eq!(
        to, leads,
        "one email to each active lead of the organisation"
    );
    let link = format!("{}/staff/safeguarding", app.base);
    for m in &mail {
        assert_eq!(m.to.len(), 1, "each lead gets their own email");
        assert_eq!(m.from, "no-reply@heard.test");
        assert!(m.data.contains("Message-ID: <"), "{}", m.data);
        assert!(m.data.contains(&link), "{}", m.data);
        assert!(
            m.data
                .contains("Subject: A new item is waiting in heard's safeguarding queue"),
            "{}",
            m.data
        );
        let lower = m.data.to_lowercase();
        for secret in [
            WORDS,
            "stepdad",
            "hits me",
            SURVEY,
            QUESTION,
            "Northfield",
            &slug,
            &format!("/staff/surveys/{survey_id}"),
        ] {
            assert!(
                !lower.contains(&secret.to_lowercase()),
                "the email says {secret:?}: {}",
                m.data
            );
        }
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM safeguarding_items").await,
        1,
        "the item is stored"
    );

    // A double tap stores nothing new, so nobody is emailed again.
    let res = send(&app, &slug, &form).await;
    assert_eq!(res.status(), 200);
    assert!(app.state.lead_alerts.is_empty(), "no round started");
    assert_eq!(smtp.received().len(), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

async fn an_organisation_without_a_lead_has_its_items_sent_to_the_administrators(store: Store) {
    let smtp = TestSmtp::start().await;
    let app = TestApp::spawn_with(store, mailing_to(&smtp.url)).await;
    let (org, _, slug, q) = survey(&app, "Northfield Youth Service").await;
    let (admin, _) = app.staff(Role::Admin, None, &[]).await;
    app.staff(Role::YouthWorker, Some(org), &[]).await;
    let res = send(&app, &slug, &answers_saying(&q, &new_key(), WORDS)).await;
    assert_eq!(res.status(), 200);
    assert!(eventually(WITHIN, || smtp.received().len() == 1).await);
    round_over(&app).await;
    let sent = smtp.received();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].to, vec![admin]);
}

async fn an_answer_with_nothing_worrying_emails_nobody(store: Store) {
    let smtp = TestSmtp::start().await;
    let app = TestApp::spawn_with(store, mailing_to(&smtp.url)).await;
    let (org, _, slug, q) = survey(&app, "Northfield Youth Service").await;
    app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    let res = send(
        &app,
        &slug,
        &answers_saying(&q, &new_key(), "more trips please"),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/s/{slug}/thanks"));
    // A round is claimed before the young person's page is sent: none was.
    assert!(app.state.lead_alerts.is_empty());
    assert!(smtp.received().is_empty());

    // The same server does email when there is something to say.
    let res = send(&app, &slug, &answers_saying(&q, &new_key(), WORDS)).await;
    assert_eq!(res.status(), 200);
    assert!(eventually(WITHIN, || smtp.received().len() == 1).await);
}

async fn without_smtp_nothing_is_sent_and_the_answer_is_stored(store: Store) {
    let smtp = TestSmtp::start().await;
    let app = TestApp::spawn(store).await;
    assert!(app.state.settings.mail.is_none());
    let (org, _, slug, q) = survey(&app, "Northfield Youth Service").await;
    app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    let res = send(&app, &slug, &answers_saying(&q, &new_key(), WORDS)).await;
    assert_eq!(res.status(), 200);
    assert!(app.state.lead_alerts.is_empty(), "no round started");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM safeguarding_items WHERE status = 'new'")
            .await,
        1
    );
    assert!(smtp.received().is_empty());
}

/// The young person's answer is stored and they see help first, whatever
/// the mail server does.
async fn answer_is_kept_and_help_shown(app: &TestApp, slug: &str, q: &[i64], expect_items: i64) {
    let client = app.client();
    let res = app
        .post(
            &client,
            &format!("/s/{slug}"),
            &as_refs(&answers_saying(q, &new_key(), WORDS)),
        )
        .await;
    // Help in answer to the post itself: no address says so.
    assert_eq!(res.status(), 200);
    let text = Page::parse(&res.text().await.unwrap()).main_text();
    assert!(text.contains(app::copy::HELP_FIRST_TITLE), "{text}");
    assert!(text.contains("0800 1111"), "{text}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM safeguarding_items").await,
        expect_items
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM answers a JOIN safeguarding_items i ON i.answer_id = a.id
             WHERE a.value = '{WORDS}'"
        ))
        .await,
        expect_items,
        "the words are stored with each item"
    );
}

async fn a_mail_server_that_refuses_loses_no_answer(store: Store) {
    let app = TestApp::spawn_with(store, mailing_to(&refusing_url().await)).await;
    let (org, _, slug, q) = survey(&app, "Northfield Youth Service").await;
    app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    answer_is_kept_and_help_shown(&app, &slug, &q, 1).await;
    // The failure is handled and let go: the next item tries again.
    round_over(&app).await;
    answer_is_kept_and_help_shown(&app, &slug, &q, 2).await;
    round_over(&app).await;
}

async fn a_mail_server_that_never_answers_holds_up_nobody(store: Store) {
    let smtp = TestSmtp::silent().await;
    let app = TestApp::spawn_with(store, mailing_to(&smtp.url)).await;
    let (org, _, slug, q) = survey(&app, "Northfield Youth Service").await;
    app.staff(Role::SafeguardingLead, Some(org), &[]).await;
    answer_is_kept_and_help_shown(&app, &slug, &q, 1).await;
    // The young person has their page while the email still waits for the
    // server (it gives up after SEND_TIMEOUT, 10 s).
    assert_eq!(app.state.lead_alerts.len(), 1, "the email is still waiting");
    // ... and it does give up: the round ends, bounded by the timeout.
    let limit = app::mail::SEND_TIMEOUT * 3;
    assert!(
        eventually(limit, || app.state.lead_alerts.is_empty()).await,
        "the send gave up within {limit:?}"
    );
    assert!(smtp.received().is_empty());
}

crate::on_both_databases!(
    an_organisation_without_a_lead_has_its_items_sent_to_the_administrators,
    each_active_lead_of_the_organisation_gets_one_email_with_only_a_link,
    an_answer_with_nothing_worrying_emails_nobody,
    without_smtp_nothing_is_sent_and_the_answer_is_stored,
    a_mail_server_that_refuses_loses_no_answer,
    a_mail_server_that_never_answers_holds_up_nobody,
);

/// Runs `heard migrate` with the given settings on a throwaway SQLite file.
fn migrate_with(name: &str, vars: &[(&str, &str)]) -> std::process::Output {
    let db = std::env::temp_dir().join(format!("heard-mail-{name}-{}.db", std::process::id()));
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_heard"));
    c.arg("migrate")
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("RUST_LOG", "error")
        .env("HEARD_SECRET", "a test secret that is long enough to use")
        .env("HEARD_UPLOADS_DIR", db.with_extension("uploads"));
    for (k, v) in vars {
        c.env(k, v);
    }
    let out = c.output().expect("run heard");
    crate::common::remove_sqlite_file(&db);
    let _ = std::fs::remove_dir_all(db.with_extension("uploads"));
    out
}

#[test]
fn bad_email_and_retention_settings_stop_heard_at_start_up() {
    for (i, (var, value)) in [
        ("HEARD_SMTP_URL", "smtp://user:hunter2@smtp.example.org:587"),
        ("HEARD_SMTP_URL", "smtp.example.org"),
        ("HEARD_SMTP_FROM", "not an address"),
        ("HEARD_RETENTION_DAYS", "0"),
        ("HEARD_RETENTION_DAYS", "a year"),
    ]
    .into_iter()
    .enumerate()
    {
        let out = migrate_with(&format!("bad{i}"), &[(var, value)]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{var}={value} was accepted");
        assert!(err.contains(var), "{var}: {err}");
        assert!(!err.contains("hunter2"), "the password is repeated: {err}");
    }
    let out = migrate_with(
        "good",
        &[
            (
                "HEARD_SMTP_URL",
                "smtp://user:hunter2@smtp.example.org:587?tls=required",
            ),
            (
                "HEARD_SMTP_FROM",
                "Safeguarding <no-reply@council.example.gov.uk>",
            ),
            ("HEARD_RETENTION_DAYS", "30"),
        ],
    );
    assert!(
        out.status.success(),
        "good settings start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
