//! Staff sign-in, sessions, rate limits and security headers.

use crate::common::{Page, Store, TestApp};
use app::accounts::Role;
use app::state::Settings;
use std::time::Duration;

async fn sign_in_failures_say_only_that_the_details_were_not_recognised(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let client = app.client();
    let wrong_password = app
        .post(
            &client,
            "/sign-in",
            &[("email", &email), ("password", "not the password at all")],
        )
        .await;
    assert_eq!(wrong_password.status(), 401);
    let a = wrong_password.text().await.unwrap();
    let no_account = app
        .post(
            &client,
            "/sign-in",
            &[
                ("email", "nobody@nowhere.example"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    assert_eq!(no_account.status(), 401);
    let b = no_account.text().await.unwrap();
    let (a_page, b_page) = (Page::parse(&a), Page::parse(&b));
    for page in [&a_page, &b_page] {
        assert!(page
            .main_text()
            .contains("Email or password not recognised."));
    }
    assert_eq!(
        a_page.one("form input[name=email]").attr("value"),
        Some(email.as_str()),
        "the email is kept"
    );
    assert!(
        !a.contains("not the password at all"),
        "the password is never sent back"
    );
    assert!(
        a_page
            .one("form input[name=password]")
            .attr("value")
            .unwrap_or("")
            .is_empty(),
        "the password field is empty"
    );
    let right = app
        .post(&client, "/sign-in", &[("email", &email), ("password", &pw)])
        .await;
    assert_eq!(right.status(), 303, "the right password signs in");
}

async fn the_sixth_failed_sign_in_in_a_minute_is_refused_with_retry_after(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let client = app.client();
    for _ in 0..5 {
        assert_eq!(
            app.post(
                &client,
                "/sign-in",
                &[("email", &email), ("password", "wrong password!")]
            )
            .await
            .status(),
            401
        );
    }
    let res = app
        .post(
            &client,
            "/sign-in",
            &[("email", &email), ("password", "wrong password!")],
        )
        .await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    let locked = app
        .post(&client, "/sign-in", &[("email", &email), ("password", &pw)])
        .await;
    assert_eq!(
        locked.status(),
        429,
        "even the right password waits until the lock ends"
    );
    let (other, other_pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    assert_eq!(
        app.post(
            &client,
            "/sign-in",
            &[("email", &other), ("password", &other_pw)]
        )
        .await
        .status(),
        303,
        "other accounts are unaffected"
    );
}

async fn the_limit_holds_across_servers_behind_a_load_balancer(store: Store) {
    let first = TestApp::spawn(store).await;
    let second = first.another_server().await;
    let org = first.organisation("Org", None).await;
    let (email, pw) = first.staff(Role::YouthWorker, Some(org), &[]).await;
    let wrong = [("email", email.as_str()), ("password", "wrong password!")];
    for server in [&first, &first, &first, &second, &second] {
        let res = server.post(&server.client(), "/sign-in", &wrong).await;
        assert_eq!(res.status(), 401);
    }
    let res = second.post(&second.client(), "/sign-in", &wrong).await;
    assert_eq!(
        res.status(),
        429,
        "the sixth failure in a minute, wherever it lands, is refused"
    );
    assert!(res.headers().contains_key("retry-after"));
    for server in [&first, &second] {
        let res = server
            .post(
                &server.client(),
                "/sign-in",
                &[("email", email.as_str()), ("password", pw.as_str())],
            )
            .await;
        assert_eq!(res.status(), 429, "locked on every server");
    }
    let stored = first
        .count("SELECT COUNT(*) FROM sign_in_failures WHERE key_digest LIKE '%@%' OR key_digest LIKE '%127.0.0.1%'")
        .await;
    assert_eq!(
        stored, 0,
        "only digests are stored, never the email or address"
    );
    assert_eq!(
        first.count("SELECT COUNT(*) FROM sign_in_failures").await,
        6
    );
    let (other, other_pw) = first.staff(Role::YouthWorker, Some(org), &[]).await;
    for server in [&first, &second] {
        let res = server
            .post(
                &server.client(),
                "/sign-in",
                &[("email", other.as_str()), ("password", other_pw.as_str())],
            )
            .await;
        assert_eq!(
            res.status(),
            303,
            "another account signs in on every server"
        );
    }
}

async fn sessions_use_safe_cookies_and_are_renewed_at_sign_in(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let client = app.client();
    let first = app
        .post(&client, "/sign-in", &[("email", &email), ("password", &pw)])
        .await;
    assert_eq!(first.status(), 303);
    assert_eq!(first.headers()["location"], "/staff");
    let cookie = first.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
            && !cookie.contains("Secure")
    );
    let second = app
        .post(
            &client,
            "/sign-in?next=%2Fstaff%2Fareas",
            &[("email", &email), ("password", &pw)],
        )
        .await;
    assert_eq!(second.headers()["location"], "/staff/areas");
    let cookie2 = second.headers()["set-cookie"].to_str().unwrap().to_string();
    assert_ne!(cookie, cookie2, "a new token at every sign-in");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "the old session ended"
    );
    let token = cookie2
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string();
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "only a digest is stored"
    );
}

async fn over_https_cookies_are_secure_and_browsers_stay_on_https(store: Store) {
    let app = TestApp::spawn_with(
        store,
        Settings {
            https: true,
            ..Settings::default()
        },
    )
    .await;
    let org = app.organisation("Org", None).await;
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let res = app
        .post(
            &app.client(),
            "/sign-in",
            &[("email", &email), ("password", &pw)],
        )
        .await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("; Secure"));
    // `__Host-`: browsers take it only from this exact host, over https,
    // for the whole site, with no Domain.
    assert!(cookie.starts_with("__Host-heard_session="), "{cookie}");
    assert!(
        cookie.contains("; Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    for path in ["/", "/sign-in", "/healthz"] {
        let res = app.get(&app.client(), path).await;
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
    let plain = TestApp::spawn(store).await;
    let res = plain.get(&plain.client(), "/").await;
    assert!(
        res.headers().get("strict-transport-security").is_none(),
        "not over plain http: HSTS there would lock people out of a test server"
    );
}

async fn staff_pages_need_sign_in_and_are_never_cached(store: Store) {
    let app = TestApp::spawn(store).await;
    let client = app.client();
    let res = app.get(&client, "/staff").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/sign-in?next=%2Fstaff");
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    let res = app.get(&client, "/staff").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = Page::parse(&res.text().await.unwrap());
    assert_eq!(page.one("main h2#new-survey").text, "Start a new survey");
    assert!(page.has("main form[action=\"/staff/surveys\"] input[name=title]"));
}

async fn idle_sessions_end(store: Store) {
    let app = TestApp::spawn_with(
        store,
        Settings {
            session_idle: Duration::from_secs(60),
            ..Settings::default()
        },
    )
    .await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    assert_eq!(app.status(&client, "/staff").await, 200);
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 3600")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        app.status(&client, "/staff").await,
        303,
        "signed out after an hour idle"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

async fn static_files_never_look_up_sessions(store: Store) {
    let app = TestApp::spawn_with(
        store,
        Settings {
            session_idle: Duration::from_secs(60),
            ..Settings::default()
        },
    )
    .await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 3600")
        .execute(app.db.pool())
        .await
        .unwrap();
    for path in [
        "/pkg/heard.css",
        "/pkg/heard.wasm",
        "/favicon.svg",
        "/healthz",
    ] {
        app.get(&client, path).await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        1,
        "assets and the health check did not resolve (and so did not end) the idle session"
    );
    assert_eq!(app.status(&client, "/staff").await, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        0,
        "a page does resolve it"
    );
}

async fn signing_out_ends_the_session(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let client = app.signed_in(Role::YouthWorker, Some(org), &[]).await;
    assert_eq!(app.status(&client, "/staff").await, 200, "signed in");
    let res = app.post(&client, "/sign-out", &[]).await;
    assert_eq!(res.status(), 303);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(app.status(&client, "/staff").await, 303);
}

async fn every_response_carries_the_security_headers(store: Store) {
    let app = TestApp::spawn(store).await;
    let client = app.client();
    for path in ["/", "/sign-in", "/healthz", "/no-such-page"] {
        let res = app.get(&client, path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'nonce-"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert!(h["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("geolocation=()"));
    }
    assert_eq!(app.status(&client, "/no-such-page").await, 404);
    assert_eq!(
        app.get(&client, "/healthz").await.text().await.unwrap(),
        "ok"
    );
}

async fn scripts_carry_this_responses_nonce(store: Store) {
    use app::surveys::model::SurveyStatus;
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (_, slug) = app.survey_with_every_kind(org, SurveyStatus::Open).await;
    let res = app.get(&app.client(), &format!("/s/{slug}")).await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let page = Page::parse(&res.text().await.unwrap());
    let scripts = page.select("script");
    assert!(
        page.has("link[rel=modulepreload][href=\"/pkg/heard.js\"]")
            && page.has("script[type=module]"),
        "the survey page loads its island"
    );
    for script in &scripts {
        assert_eq!(
            script.attr("nonce"),
            Some(nonce.as_str()),
            "every script has the nonce: {script:?}"
        );
    }
}

async fn other_sites_cannot_post_here(store: Store) {
    let app = TestApp::spawn(store).await;
    let org = app.organisation("Org", None).await;
    let (email, pw) = app.staff(Role::YouthWorker, Some(org), &[]).await;
    let client = app.client();
    let res = client
        .post(app.url("/sign-in"))
        .header("origin", "https://evil.example")
        .form(&[("email", &email), ("password", &pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = client
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", &email), ("password", &pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = client
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", &email), ("password", &pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "a page of this site is welcome");
    let res = client
        .post(app.url("/sign-in"))
        .header("origin", &app.base)
        .form(&[("email", &email), ("password", &pw)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "the same origin is welcome");
}

on_both_databases!(
    sign_in_failures_say_only_that_the_details_were_not_recognised,
    the_sixth_failed_sign_in_in_a_minute_is_refused_with_retry_after,
    the_limit_holds_across_servers_behind_a_load_balancer,
    sessions_use_safe_cookies_and_are_renewed_at_sign_in,
    over_https_cookies_are_secure_and_browsers_stay_on_https,
    staff_pages_need_sign_in_and_are_never_cached,
    idle_sessions_end,
    signing_out_ends_the_session,
    static_files_never_look_up_sessions,
    every_response_carries_the_security_headers,
    scripts_carry_this_responses_nonce,
    other_sites_cannot_post_here,
);

mod one_time_passwords {
    use crate::common::{Store, TestApp};
    use app::accounts::password;
    use app::accounts::store::{self, NewUser};
    use app::accounts::Role;

    async fn a_one_time_password_must_be_replaced_before_anything_else(store: Store) {
        let app = TestApp::spawn(store).await;
        let org = app.organisation("Org", None).await;
        let hash = password::hash("given out once, long".into()).await.unwrap();
        let new_user = NewUser {
            email: &app::accounts::Email::parse("new@org.example").unwrap(),
            role: Role::YouthWorker,
            organisation_id: Some(org),
            areas: &[],
            password: &hash,
            one_time_until: Some(app::db::now() + 3600),
            by: app::audit::store::Actor::CommandLine,
        };
        store::create_user(&app.db, new_user).await.unwrap();
        let client = app.client();
        let res = app
            .post(
                &client,
                "/sign-in",
                &[
                    ("email", "new@org.example"),
                    ("password", "given out once, long"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let res = app.get(&client, "/staff").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/staff/password");
        assert_eq!(
            app.post(&client, "/staff/surveys", &[("title", "x")])
                .await
                .status(),
            403
        );
        assert_eq!(app.status(&client, "/staff/password").await, 200);

        let res = app
            .post(
                &client,
                "/staff/password",
                &[
                    ("current", "given out once, long"),
                    ("new", "short"),
                    ("confirm", "short"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("at least 12 characters"));
        let res = app
            .post(
                &client,
                "/staff/password",
                &[
                    ("current", "given out once, long"),
                    ("new", "my own good password"),
                    ("confirm", "my own good passwerd"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let res = app
            .post(
                &client,
                "/staff/password",
                &[
                    ("current", "wrong"),
                    ("new", "my own good password"),
                    ("confirm", "my own good password"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let res = app
            .post(
                &client,
                "/staff/password",
                &[
                    ("current", "given out once, long"),
                    ("new", "my own good password"),
                    ("confirm", "my own good password"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert_eq!(app.status(&client, "/staff").await, 200, "free to work now");
        assert_eq!(
            app.post(&client, "/staff/surveys", &[("title", "x")])
                .await
                .status(),
            303,
            "the form refused before is accepted now"
        );

        let other = app.client();
        let res = app
            .post(
                &other,
                "/sign-in",
                &[
                    ("email", "new@org.example"),
                    ("password", "given out once, long"),
                ],
            )
            .await;
        assert_eq!(res.status(), 401, "the one-time password no longer works");
        let res = app
            .post(
                &other,
                "/sign-in",
                &[
                    ("email", "new@org.example"),
                    ("password", "my own good password"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
    }

    on_both_databases!(a_one_time_password_must_be_replaced_before_anything_else);
}
