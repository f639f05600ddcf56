//! Every word a young person writes: help first after a risk phrase, the
//! item with the organisation's safeguarding lead (and nobody else), every
//! look and action audited, phrases added in the app used at once, and
//! moderation. Both databases, real HTTP.

use crate::common::{as_refs, full_answers, new_key, Page, Store, TestApp};
use app::accounts::Role;
use app::surveys::model::SurveyStatus;

struct Club {
    app: TestApp,
    org: i64,
    survey: i64,
    slug: String,
    q: Vec<i64>,
}

async fn club(store: Store) -> Club {
    let app = TestApp::spawn(store).await;
    let org = app
        .organisation("Northfield Youth Service", Some("E08000025"))
        .await;
    let (survey, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let q = app.question_ids(survey).await;
    Club {
        app,
        org,
        survey,
        slug,
        q,
    }
}

/// What a young person sees after sending their answers.
struct Sent {
    /// Help first, in answer to the post (200), rather than sent on to the
    /// thank-you page (303).
    help: bool,
    html: String,
}

impl Club {
    /// Posts `form` to the survey, from a phone of its own.
    async fn send(&self, form: &[(String, String)]) -> reqwest::Response {
        let path = format!("/s/{}", self.slug);
        self.app
            .post(&self.app.client(), &path, &as_refs(form))
            .await
    }

    /// Sends a full set of answers with `short` and `long` as the free text.
    async fn answer(&self, short: &str, long: &str) -> Sent {
        let mut answers = full_answers(&self.q, &new_key());
        answers[6].1 = short.into();
        answers[7].1 = long.into();
        let res = self.send(&answers).await;
        let status = res.status().as_u16();
        if status == 303 {
            let location = res.headers()["location"].to_str().unwrap().to_string();
            assert_eq!(location, format!("/s/{}/thanks", self.slug));
        }
        let html = res.text().await.unwrap_or_default();
        assert!(status == 303 || status == 200, "{status}: {html}");
        Sent {
            help: status == 200,
            html,
        }
    }

    /// The public reference of the answer whose stored words are `words`.
    async fn reference(&self, words: &str) -> String {
        let (r,): (String,) = sqlx::query_as("SELECT public_ref FROM answers WHERE value = $1")
            .bind(words)
            .fetch_one(self.app.db.pool())
            .await
            .unwrap();
        r
    }

    async fn html(&self, client: &reqwest::Client, path: &str) -> String {
        let res = self.app.get(client, path).await;
        assert_eq!(res.status(), 200, "{path}");
        res.text().await.unwrap()
    }

    async fn results(&self, client: &reqwest::Client) -> Page {
        Page::parse(
            &self
                .html(client, &format!("/staff/surveys/{}/results", self.survey))
                .await,
        )
    }

    async fn audit(&self, action: &str) -> i64 {
        self.app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await
    }
}

const RISK: &str = "my stepdad hits me when he has been drinking";

async fn a_risk_phrase_brings_help_first_and_an_item_only_the_lead_reads(store: Store) {
    let c = club(store).await;
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    let lead = c
        .app
        .signed_in(Role::SafeguardingLead, Some(c.org), &[])
        .await;

    // An ordinary answer: the plain thank-you page.
    assert!(!c.answer("brilliant", "more trips please").await.help);
    // Words that match the risk list: help first (no JavaScript needed: the
    // form posts and the server sends the young person on).
    let next = c.answer("ok", RISK).await;
    assert!(next.help, "help in answer to the post: no address says so");
    let help = Page::parse(&next.html);
    assert_eq!(help.one("main h1").text, app::copy::HELP_FIRST_TITLE);
    let links = help.attrs("main .help-panel a", "href");
    for number in ["tel:08001111", "sms:85258?body=SHOUT", "tel:999"] {
        assert!(links.iter().any(|l| l == number), "{number} in {links:?}");
    }
    let said = help.main_text();
    assert!(said.contains("adult you trust"), "{said}");
    assert!(
        said.contains("doesn't know who you are"),
        "honest about anonymity: {said}"
    );
    assert!(
        said.contains(app::copy::THANKS_TITLE),
        "and the thanks: {said}"
    );

    // One item, with where it came from and the "about you" they gave.
    let (phrase, age, area, status): (String, Option<String>, Option<String>, String) =
        sqlx::query_as("SELECT phrase, age_band, area_code, status FROM safeguarding_items")
            .fetch_one(c.app.db.pool())
            .await
            .unwrap();
    assert!(!phrase.is_empty());
    assert_eq!(
        (age.as_deref(), area.as_deref(), status.as_str()),
        (Some("13-15"), Some("E08000025"), "new")
    );
    let item = c.app.count("SELECT id FROM safeguarding_items").await;

    // The youth worker sees that it is with the lead, never the words.
    let results = c.results(&worker).await;
    let text = results.main_text();
    assert!(!text.contains("stepdad"), "{text}");
    assert!(text.contains("With the safeguarding lead"), "{text}");
    assert!(
        text.contains("more trips please"),
        "ordinary words still shown"
    );
    let nav = Page::parse(&c.html(&worker, "/staff").await).texts("nav a");
    assert!(!nav.iter().any(|l| l.contains("Safeguarding")), "{nav:?}");

    // The lead: a count in the navigation, the queue, the item.
    let nav = Page::parse(&c.html(&lead, "/staff").await).texts("nav a");
    assert!(
        nav.iter()
            .any(|l| l.contains("Safeguarding") && l.contains("1 new")),
        "{nav:?}"
    );
    assert_eq!(c.audit("safeguarding_queue_viewed").await, 0);
    let queue = c.html(&lead, "/staff/safeguarding").await;
    assert!(queue.contains(&format!("/staff/safeguarding/{item}")));
    assert!(
        !queue.contains("stepdad"),
        "the queue lists items, not words"
    );
    let lines: Vec<(String, String)> = sqlx::query_as("SELECT action, detail FROM audit_log")
        .fetch_all(c.app.db.pool())
        .await
        .unwrap();
    assert_eq!(c.audit("safeguarding_queue_viewed").await, 1, "{lines:?}");
    let page = Page::parse(&c.html(&lead, &format!("/staff/safeguarding/{item}")).await);
    assert!(page.one("blockquote.free-text").text.contains(RISK));
    assert!(page.main_text().contains("13 to 15 years"));
    // The rest of the same response, in words, for the lead alone.
    let rest = page.main_text();
    assert!(rest.contains("The rest of their answers"), "{rest}");
    assert!(
        rest.contains("How much do you enjoy it?") && rest.contains("4 of 5"),
        "{rest}"
    );
    assert!(rest.contains("Not sure"), "{rest}");
    assert_eq!(c.audit("safeguarding_item_viewed").await, 1);

    // Recording what was done: closing needs an action; then it is kept.
    let path = format!("/staff/safeguarding/{item}");
    let res = c.app.post(&lead, &path, &[("status", "closed")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Say what you did"));
    let res = c
        .app
        .post(
            &lead,
            &path,
            &[
                ("status", "closed"),
                ("lead_action", "passed_to_service"),
                ("note", "Northfield school DSL, by phone"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (status, action, note): (String, String, String) =
        sqlx::query_as("SELECT status, action, note FROM safeguarding_items")
            .fetch_one(c.app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), action.as_str(), note.as_str()),
        (
            "closed",
            "passed_to_service",
            "Northfield school DSL, by phone"
        )
    );
    assert_eq!(c.audit("safeguarding_item_updated").await, 1);
    let page = c.html(&lead, &path).await;
    assert!(
        page.contains("Passed to the designated safeguarding lead"),
        "history shows it"
    );
    let nav = Page::parse(&c.html(&lead, "/staff").await).texts("nav a");
    assert!(
        !nav.iter().any(|l| l.contains("new")),
        "nothing new now: {nav:?}"
    );
    // The audit log says who looked and who acted; nobody can change it.
    let who: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT actor FROM audit_log WHERE subject_kind <> 'account'")
            .fetch_all(c.app.db.pool())
            .await
            .unwrap();
    assert_eq!(who.len(), 1, "{who:?}");
    assert!(who[0].0.starts_with("safeguarding_lead@"));
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(c.app.db.pool())
        .await
        .is_err());
}

async fn two_taps_on_a_risk_answer_make_one_item_and_both_see_help(store: Store) {
    let c = club(store).await;
    let mut answers = full_answers(&c.q, &new_key());
    answers[7].1 = RISK.into();
    let statuses = c
        .app
        .post_all_at_once(&format!("/s/{}", c.slug), vec![answers.clone(); 8])
        .await;
    assert!(
        statuses.iter().all(|s| *s == 200),
        "help for every tap: {statuses:?}"
    );
    assert_eq!(
        c.app.count("SELECT COUNT(*) FROM safeguarding_items").await,
        1
    );
    assert_eq!(c.app.count("SELECT COUNT(*) FROM responses").await, 1);
    // A retry after a lost reply is sent to help again.
    let res = c.send(&answers).await;
    assert_eq!(res.status(), 200);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains(app::copy::HELP_FIRST_TITLE));
}

async fn personal_details_never_reach_the_results_and_the_original_is_kept_apart(store: Store) {
    let c = club(store).await;
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    let words = "text me on 07700 900123 or email sam.jones@example.com, I live at NE1 4XF";
    c.answer("ok", words).await;
    let (value,): (String,) = sqlx::query_as(&format!(
        "SELECT value FROM answers WHERE question_id = {}",
        c.q[5]
    ))
    .fetch_one(c.app.db.pool())
    .await
    .unwrap();
    for gone in ["07700", "sam.jones", "NE1"] {
        assert!(!value.contains(gone), "{gone} in {value}");
    }
    for marker in [
        "[phone number removed]",
        "[email removed]",
        "[postcode removed]",
    ] {
        assert!(value.contains(marker), "{marker} in {value}");
    }
    let (original, details): (Option<String>, String) =
        sqlx::query_as("SELECT original, details FROM answers WHERE original IS NOT NULL")
            .fetch_one(c.app.db.pool())
            .await
            .unwrap();
    assert_eq!(original.as_deref(), Some(words));
    assert_eq!(details, "email,phone,postcode");
    let text = c.results(&worker).await.main_text();
    assert!(
        text.contains("[phone number removed]") && !text.contains("07700"),
        "{text}"
    );
}

async fn phrases_added_in_the_app_are_matched_from_the_next_answer(store: Store) {
    let c = club(store).await;
    let other = c.app.organisation("Southside Youth Club", None).await;
    let admin = c.app.signed_in(Role::Admin, None, &[]).await;
    let other_lead = c
        .app
        .signed_in(Role::SafeguardingLead, Some(other), &[])
        .await;
    let lead = c
        .app
        .signed_in(Role::SafeguardingLead, Some(c.org), &[])
        .await;

    assert!(!c.answer("ok", "the purple elephant came again").await.help);
    let res = c
        .app
        .post(
            &admin,
            "/staff/safeguarding/phrases",
            &[("action", "add_everyone"), ("phrase", "Purple Elephant")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // Another organisation's own phrase is theirs only.
    let res = c
        .app
        .post(
            &other_lead,
            "/staff/safeguarding/phrases",
            &[("action", "add_organisation"), ("phrase", "blue whale")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(c.answer("ok", "the purple elephant came again").await.help);
    assert!(!c.answer("ok", "we saw a blue whale").await.help);
    // The lead adds one for their own organisation: used at once.
    let res = c
        .app
        .post(
            &lead,
            "/staff/safeguarding/phrases",
            &[("action", "add_organisation"), ("phrase", "blue whale")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(c.answer("ok", "we saw a blue whale").await.help);
    assert_eq!(
        c.app.count("SELECT COUNT(*) FROM safeguarding_items").await,
        2
    );
    // An empty phrase is refused with a reason, and nothing is added.
    let res = c
        .app
        .post(
            &lead,
            "/staff/safeguarding/phrases",
            &[("action", "add_organisation"), ("phrase", "  ")],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(c.app.count("SELECT COUNT(*) FROM risk_phrases").await, 3);
    // A lead cannot remove everyone's phrase; the administrator can.
    let everyones = c
        .app
        .count("SELECT id FROM risk_phrases WHERE organisation_id IS NULL")
        .await;
    let id = everyones.to_string();
    let res = c
        .app
        .post(
            &lead,
            "/staff/safeguarding/phrases",
            &[("action", "remove"), ("id", &id)],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = c
        .app
        .post(
            &admin,
            "/staff/safeguarding/phrases",
            &[("action", "remove"), ("id", &id)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(!c.answer("ok", "the purple elephant came again").await.help);
    assert_eq!(c.audit("risk_phrase_added").await, 3);
    assert_eq!(c.audit("risk_phrase_removed").await, 1);
}

async fn moderators_approve_hide_and_take_out_but_never_put_back(store: Store) {
    let c = club(store).await;
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    c.answer("brilliant", "we need a new pool table and a tv")
        .await;
    c.answer("fine", "see you next week").await;
    // A disclosure: both its answers are held for the lead, "ok" included.
    c.answer("ok", RISK).await;
    let queue = Page::parse(&c.html(&worker, "/staff/moderation").await);
    let words = queue.texts("blockquote.free-text");
    assert_eq!(words.len(), 4, "{words:?}");
    assert!(!words.iter().any(|w| w == "ok"), "{words:?}");
    assert!(
        !words.iter().any(|w| w.contains("stepdad")),
        "the lead's item is not here"
    );
    let pool_words = "we need a new pool table and a tv";
    let (brilliant, pool, fine) = (
        c.reference("brilliant").await,
        c.reference(pool_words).await,
        c.reference("fine").await,
    );
    let post = |form: Vec<(&'static str, String)>| {
        let (c, worker) = (&c, &worker);
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.app.post(worker, "/staff/moderation", &form).await
        }
    };
    let res = post(vec![
        ("action", "approve".into()),
        ("answer", brilliant.clone()),
    ])
    .await;
    assert_eq!(res.status(), 303);
    // A second moderator who saw it waiting is told it was dealt with.
    let res = post(vec![
        ("action", "hide".into()),
        ("answer", brilliant.clone()),
        ("reason", "Too short".into()),
    ])
    .await;
    assert_eq!(res.status(), 409);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Someone else dealt with that answer"));
    let res = post(vec![
        ("action", "hide".into()),
        ("answer", fine.clone()),
        ("reason", "".into()),
    ])
    .await;
    assert_eq!(res.status(), 422, "a reason is needed");
    let res = post(vec![
        ("action", "hide".into()),
        ("answer", fine.clone()),
        ("reason", "Not about the club".into()),
    ])
    .await;
    assert_eq!(res.status(), 303);
    // Taking out is allowed; adding or putting back is not.
    let res = post(vec![
        ("action", "redact".into()),
        ("answer", pool.clone()),
        ("seen", pool_words.into()),
        (
            "text",
            "we need a new pool table and a tv and a bigger budget".into(),
        ),
    ])
    .await;
    assert_eq!(res.status(), 422);
    let res = post(vec![
        ("action", "redact".into()),
        ("answer", pool.clone()),
        ("seen", pool_words.into()),
        ("text", "we need a new [removed] and a tv".into()),
    ])
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(c.reference("we need a new [removed] and a tv").await, pool);
    // A stale edit (made on the text as it was) changes nothing.
    let res = post(vec![
        ("action", "redact".into()),
        ("answer", pool.clone()),
        ("seen", pool_words.into()),
        ("text", "we need a new pool table".into()),
    ])
    .await;
    assert_eq!(res.status(), 409);
    // The lead's item is not there for a moderator, nor is anything unknown.
    let (risky,): (String,) =
        sqlx::query_as("SELECT public_ref FROM answers WHERE at_risk = 1 AND value = 'ok'")
            .fetch_one(c.app.db.pool())
            .await
            .unwrap();
    let res = post(vec![("action", "approve".into()), ("answer", risky)]).await;
    assert_eq!(res.status(), 404);
    let res = post(vec![
        ("action", "approve".into()),
        ("answer", "nothing-like-it".into()),
    ])
    .await;
    assert_eq!(res.status(), 404);

    let results = c.results(&worker).await;
    let states = results.texts("ul.texts li");
    let text = states.join(" | ");
    assert!(text.contains("brilliant Approved"), "{text}");
    assert!(
        text.contains("Hidden by a moderator: Not about the club") && !text.contains("fine"),
        "{text}"
    );
    assert!(
        text.contains("we need a new [removed] and a tv Waiting for a moderator"),
        "{text}"
    );
    assert!(
        text.contains("With the safeguarding lead") && !text.contains("stepdad"),
        "{text}"
    );
    let queue = Page::parse(&c.html(&worker, "/staff/moderation").await);
    // In a shuffled order: nothing says who answered when.
    let mut waiting = queue.texts("blockquote.free-text");
    waiting.sort();
    assert_eq!(
        waiting,
        vec![
            "see you next week".to_string(),
            "we need a new [removed] and a tv".to_string(),
        ]
    );
    assert_eq!(c.audit("answer_approved").await, 1);
    assert_eq!(c.audit("answer_hidden").await, 1);
    assert_eq!(c.audit("answer_redacted").await, 1);
}

async fn free_text_stored_before_screening_is_screened_at_start_up(store: Store) {
    let c = club(store).await;
    // As heard stored it before this change: answers, no screening.
    sqlx::query("INSERT INTO responses (survey_id, submission_key, submitted_at, age_band) VALUES ($1, 'old-one', 0, '16-17')")
        .bind(c.survey)
        .execute(c.app.db.pool())
        .await
        .unwrap();
    let response = c.app.count("SELECT id FROM responses").await;
    for (q, value) in [(c.q[4], "call me 07700 900123"), (c.q[5], RISK)] {
        sqlx::query("INSERT INTO answers (response_id, question_id, position, value) VALUES ($1, $2, 0, $3)")
            .bind(response)
            .bind(q)
            .bind(value)
            .execute(c.app.db.pool())
            .await
            .unwrap();
    }
    let screened = app::surveys::answering::screening::screen_unscreened(&c.app.db)
        .await
        .unwrap();
    assert_eq!(screened, 2);
    assert_eq!(
        c.app
            .count("SELECT COUNT(*) FROM answers WHERE state IS NOT NULL")
            .await,
        2
    );
    assert_eq!(
        c.app
            .count("SELECT COUNT(*) FROM safeguarding_items WHERE age_band = '16-17'")
            .await,
        1
    );
    assert_eq!(
        c.app
            .count("SELECT COUNT(*) FROM answers WHERE value LIKE '%07700%'")
            .await,
        0
    );
    assert_eq!(
        app::surveys::answering::screening::screen_unscreened(&c.app.db)
            .await
            .unwrap(),
        0,
        "once"
    );
}

async fn help_leads_the_survey_page_when_matching_answers_could_not_be_stored(store: Store) {
    let c = club(store).await;
    // A shared phone: the form's key was used by someone else's answers.
    let key = new_key();
    let mut first = full_answers(&c.q, &key);
    first[7].1 = "more trips please".into();
    let res = c.send(&first).await;
    assert_eq!(res.status(), 303);
    let mut second = full_answers(&c.q, &key);
    second[7].1 = RISK.into();
    let res = c.send(&second).await;
    assert_eq!(res.status(), 409);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(page
        .one(".help-panel h2")
        .text
        .contains(app::copy::HELP_FIRST_TITLE));
    assert!(page
        .attrs("main .help-panel a", "href")
        .contains(&"tel:08001111".to_string()));
    // Their words are kept in the form, to send as a new response.
    assert!(page
        .one(&format!("textarea[name=q{}]", c.q[5]))
        .text
        .contains("stepdad"));
    assert_eq!(
        c.app.count("SELECT COUNT(*) FROM safeguarding_items").await,
        0
    );

    // Refused for a missing answer: help first all the same; an ordinary
    // refusal has no help panel.
    let mut missing = full_answers(&c.q, &new_key());
    missing.retain(|(k, _)| *k != format!("q{}", c.q[0]));
    let long = format!("q{}", c.q[5]);
    let saying = |form: &mut Vec<(String, String)>, words: &str| {
        for (k, v) in form.iter_mut() {
            if *k == long {
                *v = words.into();
            }
        }
    };
    saying(&mut missing, RISK);
    let res = c.send(&missing).await;
    assert_eq!(res.status(), 422);
    let page = Page::parse(&res.text().await.unwrap());
    assert!(page.has(".help-panel"), "help on a refused post too");
    saying(&mut missing, "more trips please");
    let res = c.send(&missing).await;
    assert_eq!(res.status(), 422);
    assert!(!Page::parse(&res.text().await.unwrap()).has(".help-panel"));
}

async fn no_concern_releases_the_words_and_other_records_keep_them_held(store: Store) {
    let c = club(store).await;
    let worker = c.app.signed_in(Role::YouthWorker, Some(c.org), &[]).await;
    let lead = c
        .app
        .signed_in(Role::SafeguardingLead, Some(c.org), &[])
        .await;
    c.answer("the tuck shop", "my dad hit me with a belt").await;
    c.answer("the pool table", "my brother was so mad he hit me")
        .await;
    let items: Vec<(i64,)> = sqlx::query_as("SELECT id FROM safeguarding_items ORDER BY id")
        .fetch_all(c.app.db.pool())
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let close = |item: i64, action: &'static str, note: &'static str| {
        let (c, lead) = (&c, &lead);
        async move {
            let path = format!("/staff/safeguarding/{item}");
            let res = c
                .app
                .post(
                    lead,
                    &path,
                    &[
                        ("status", "closed"),
                        ("lead_action", action),
                        ("note", note),
                        ("seen", "0"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 303);
        }
    };
    close(items[0].0, "police_or_social_care", "Reported to MASH").await;
    close(
        items[1].0,
        "no_concern",
        "A sibling squabble: checked with the club",
    )
    .await;
    let text = c.results(&worker).await.main_text();
    // Released: both of that response's words wait for a moderator.
    assert!(text.contains("my brother was so mad he hit me"), "{text}");
    assert!(text.contains("the pool table"), "{text}");
    // Still held: the other response's words.
    assert!(
        !text.contains("belt") && !text.contains("tuck shop"),
        "{text}"
    );
    // The notes are in the item's history, never in the audit log.
    let page = c
        .html(&lead, &format!("/staff/safeguarding/{}", items[0].0))
        .await;
    assert!(page.contains("Reported to MASH"));
    assert_eq!(
        c.app
            .count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%MASH%'")
            .await,
        0
    );
    assert_eq!(
        c.app.count("SELECT COUNT(*) FROM safeguarding_notes").await,
        2
    );
    // Retention: the closed items go with their notes; the released words stay.
    sqlx::query("UPDATE safeguarding_items SET closed_at = 0")
        .execute(c.app.db.pool())
        .await
        .unwrap();
    app::safeguarding::store::apply_retention(&c.app.db, 365)
        .await
        .unwrap();
    assert_eq!(
        c.app.count("SELECT COUNT(*) FROM safeguarding_notes").await,
        0
    );
    let text = c.results(&worker).await.main_text();
    assert!(text.contains("my brother was so mad he hit me"), "{text}");
    assert_eq!(
        c.app
            .count("SELECT COUNT(*) FROM answers WHERE value LIKE '%belt%'")
            .await,
        0
    );
}

on_both_databases!(
    a_risk_phrase_brings_help_first_and_an_item_only_the_lead_reads,
    two_taps_on_a_risk_answer_make_one_item_and_both_see_help,
    personal_details_never_reach_the_results_and_the_original_is_kept_apart,
    phrases_added_in_the_app_are_matched_from_the_next_answer,
    moderators_approve_hide_and_take_out_but_never_put_back,
    free_text_stored_before_screening_is_screened_at_start_up,
    help_leads_the_survey_page_when_matching_answers_could_not_be_stored,
    no_concern_releases_the_words_and_other_records_keep_them_held,
);
