//! Demo data for trying heard out, and adding staff from the command line.

use app::accounts::password;
use app::accounts::store::{self, NewUser};
use app::accounts::{Email, Role};
use app::audit::store::Actor;
use app::db::Db;
use app::forms::FormValues;
use app::surveys::building::rules::parse_question;
use app::surveys::building::store as surveys;
use app::surveys::model::SurveyStatus;

pub const DEMO_ORG: &str = "Northfield Youth Service";
pub const DEMO_AREA: &str = "E08000025";
/// Demo accounts: for trying heard on your own machine only.
pub const DEMO_ACCOUNTS: [(&str, &str, &str); 5] = [
    ("admin@heard.example", "admin", "demo-admin-password"),
    (
        "manager@heard.example",
        "org_admin",
        "demo-manager-password",
    ),
    (
        "worker@heard.example",
        "youth_worker",
        "demo-worker-password",
    ),
    (
        "safeguarding@heard.example",
        "safeguarding_lead",
        "demo-safeguarding-password",
    ),
    (
        "commissioner@heard.example",
        "commissioner",
        "demo-commissioner-password",
    ),
];

/// The demo accounts that still have their published passwords, access
/// removed or not (access can be given back in the app). While any does,
/// heard serves only this machine.
pub async fn accounts_with_demo_passwords(db: &Db) -> Result<Vec<&'static str>, String> {
    let mut found = Vec::new();
    for (email, _, pw) in DEMO_ACCOUNTS {
        let stored: Option<(String,)> =
            sqlx::query_as("SELECT password_hash FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(db.pool())
                .await
                .map_err(err)?;
        if let Some((hash,)) = stored {
            if password::verify(
                pw.to_string(),
                Some(password::PasswordHash::from_stored(hash)),
            )
            .await
            {
                found.push(email);
            }
        }
    }
    Ok(found)
}

/// Ends the demo accounts: access removed, sessions ended, and the published
/// password replaced by a random one nobody knows. What they built stays.
pub async fn remove(db: &Db) -> Result<(), String> {
    for (email, _, _) in DEMO_ACCOUNTS {
        let hash = password::hash(password::one_time()).await.map_err(err)?;
        let mut tx = db.write().await.map_err(err)?;
        let found: Option<(i64,)> = sqlx::query_as(
            "UPDATE users SET password_hash = $1, disabled_at = $2 WHERE email = $3 RETURNING id",
        )
        .bind(hash.as_stored())
        .bind(app::db::now())
        .bind(email)
        .fetch_optional(&mut **tx)
        .await
        .map_err(err)?;
        if let Some((id,)) = found {
            app::audit::store::record(
                &mut tx,
                Actor::CommandLine,
                app::audit::AuditAction::AccessRemoved,
                id,
                "demo account ended by heard demo --remove",
            )
            .await
            .map_err(err)?;
        }
        sqlx::query(
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE email = $1)",
        )
        .bind(email)
        .execute(&mut **tx)
        .await
        .map_err(err)?;
        tx.commit().await.map_err(err)?;
    }
    println!("heard: the demo accounts can no longer sign in.");
    Ok(())
}

/// Leeds Youth Council has assessed itself against the Seven S framework:
/// a third of the key indicators met with evidence (bronze), an action past
/// its day and a published story of change, so the commissioners' view of
/// participation standards shows something. Northfield has not started.
async fn assess(db: &Db) -> Result<(), String> {
    use app::standards::{defaults, plan, rules, store as standards};
    let (org,): (i64,) = sqlx::query_as("SELECT id FROM organisations WHERE name = $1")
        .bind(crate::demo_voices::OTHERS[0].0)
        .fetch_one(db.pool())
        .await
        .map_err(err)?;
    let (admin,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(DEMO_ACCOUNTS[0].0)
        .fetch_one(db.pool())
        .await
        .map_err(err)?;
    let user = app::accounts::StaffUser {
        id: admin,
        email: DEMO_ACCOUNTS[0].0.into(),
        role: Role::Admin,
        organisation_id: None,
        organisation: None,
        areas: vec![],
        must_change_password: false,
    };
    let (framework,): (i64,) =
        sqlx::query_as("SELECT MAX(id) FROM frameworks WHERE key = 'seven-s'")
            .fetch_one(db.pool())
            .await
            .map_err(err)?;
    let f = defaults::seven_s();
    let id = standards::start(
        db,
        org,
        framework,
        &f,
        "Self-assessment, autumn 2026",
        &user,
    )
    .await
    .map_err(err)?;
    let keys: Vec<String> = f.key_indicators().map(|i| i.key.clone()).collect();
    for (n, key) in keys.iter().enumerate().take(9) {
        let level = if n % 3 == 0 {
            "established"
        } else {
            "emerging"
        };
        let claim =
            rules::check_claim(&f, key, level, "Agreed with the youth council in October.")?;
        standards::save_claim(db, id, key, &claim, None, &user)
            .await
            .map_err(err)?;
        if n < 7 {
            let note = standards::NewEvidence {
                indicator: key,
                kind: rules::EvidenceKind::Note,
                title: "Youth council minutes",
                note: "Minutes of the October meeting, where young people agreed this.",
                url: None,
                document_id: None,
                ref_id: None,
            };
            standards::add_evidence(db, id, &note, &user)
                .await
                .map_err(err)?;
        }
    }
    for (what, due, status) in [
        (
            "Ask the youth council to review the complaints leaflet",
            "2026-10-01",
            "not_started",
        ),
        (
            "Train new staff in involving young people",
            "2027-03-31",
            "under_way",
        ),
    ] {
        let action = plan::check_action(what, "Participation lead", due, status, "")
            .map_err(|p| format!("{p:?}"))?;
        standards::add_action(db, id, Some(&keys[0]), &action, &user)
            .await
            .map_err(err)?;
    }
    let story = plan::check_story(
        "The youth club should stay open later on Fridays.",
        "The club now opens until 10pm on Fridays, and young people help run it.",
        "2026-09-05",
    )
    .map_err(|p| format!("{p:?}"))?;
    let links = standards::StoryLinks {
        assessment_id: Some(id),
        indicator: Some(&keys[0]),
        action_id: None,
        survey_id: None,
    };
    standards::add_story(db, org, &links, &story, true, &user)
        .await
        .map_err(err)?;
    Ok(())
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

const SAFETY_TITLE: &str = "Feeling safe where you live";
const VOICES_TITLE: &str = "How are things round here?";
const VOICES_INTRO: &str = "Five minutes on feeling safe and what there is to do. Anonymous.";
const SAFETY_INTRO: &str = "Tell us how safe you feel getting around. Your answers are anonymous.";

/// Builds a survey of `questions` and opens it.
async fn open_survey(
    db: &Db,
    org: i64,
    title: &str,
    intro: &str,
    tags: &str,
    questions: &[&[(&str, &str)]],
) -> Result<i64, String> {
    let id = surveys::create(db, org, title, None).await.map_err(err)?;
    for q in questions {
        let question = parse_question(&FormValues::from_pairs(q.iter().copied()), None)
            .map_err(|e| format!("demo question is invalid: {e:?}"))?;
        surveys::add_question(db, id, SurveyStatus::Draft, &question)
            .await
            .map_err(err)?;
    }
    let tags = app::outcomes::Outcome::parse_list(tags);
    let bands = app::about_you::AgeBand::ALL;
    surveys::update_details(
        db,
        id,
        surveys::Details {
            title,
            intro,
            age_bands: &bands[1..],
            tags: &tags,
            closes_on: None,
            ask_about_you: true,
        },
    )
    .await
    .map_err(err)?;
    surveys::set_status(db, id, SurveyStatus::Draft, SurveyStatus::Open)
        .await
        .map_err(err)?;
    Ok(id)
}

async fn form_of(db: &Db, id: i64) -> Result<app::surveys::model::SurveyForm, String> {
    Ok(app::surveys::store::by_id(db, id)
        .await
        .map_err(err)?
        .ok_or("demo survey went missing")?
        .form)
}

/// Services young people can find and rate in the demo.
const DEMO_SERVICES: [(&str, &str, &str, &str, &str); 3] = [
    (
        "Northfield Youth Club",
        "youth_service",
        "enjoy_achieve,positive_contribution",
        "Open Tuesday and Thursday, 6pm to 9pm, for 11 to 19 year olds. Pool, music, cooking and trips.",
        "Northfield Community Centre\n0121 496 0000",
    ),
    (
        "Child and Adolescent Mental Health Service",
        "mental_health",
        "healthy",
        "Support for young people's mental health. Your GP, school nurse or youth worker can refer you.",
        "0121 496 0001",
    ),
    (
        "Northfield Leisure Centre",
        "sport",
        "healthy,enjoy_achieve",
        "Swimming, gym and football. Free swims for under 16s in the school holidays.",
        "0121 496 0002",
    ),
];

/// Loads demo data into an empty database; does nothing if anyone has an account.
pub async fn load(db: &Db) -> Result<(), String> {
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(db.pool())
        .await
        .map_err(err)?;
    if users > 0 {
        println!("heard: the database already has accounts, so no demo data was loaded.");
        return Ok(());
    }
    let org = app::organisations::store::create_organisation(
        db,
        DEMO_ORG,
        "youth_service",
        Some(DEMO_AREA),
    )
    .await
    .map_err(err)?;
    for (email, role, pw) in DEMO_ACCOUNTS {
        let role = Role::parse(role).ok_or("unknown demo role")?;
        let hash = password::hash(pw.to_string()).await.map_err(err)?;
        // The demo commissioner holds Birmingham and Leeds, so areas compare.
        let areas = if role == Role::Commissioner {
            vec![DEMO_AREA.to_string(), "E08000035".to_string()]
        } else {
            vec![]
        };
        let organisation_id = role.needs_organisation().then_some(org);
        let email = Email::parse(email)?;
        store::create_user(
            db,
            NewUser {
                email: &email,
                role,
                organisation_id,
                areas: &areas,
                password: &hash,
                one_time_until: None,
                by: Actor::CommandLine,
            },
        )
        .await
        .map_err(err)?;
    }
    let club: &[&[(&str, &str)]] = &[
        &[
            ("kind", "single_choice"),
            ("prompt", "Which night should the club open?"),
            ("options", "Monday\nWednesday\nFriday"),
            ("required", "on"),
            ("outcome", "enjoy_achieve"),
        ],
        &[
            ("kind", "multiple_choice"),
            ("prompt", "What would you like to do?"),
            ("help", "Pick up to three."),
            ("options", "Sport\nMusic\nCooking\nGaming\nArt\nTrips"),
            ("max_picks", "3"),
            ("outcome", "enjoy_achieve"),
        ],
        &[
            ("kind", "scale"),
            ("prompt", "How much do you enjoy the club now?"),
            ("scale_style", "faces"),
        ],
        &[
            ("kind", "yes_no"),
            ("prompt", "Would you help plan a trip?"),
            ("outcome", "positive_contribution"),
        ],
        &[("kind", "short_text"), ("prompt", "One word for the club")],
        &[
            ("kind", "long_text"),
            ("prompt", "What should we change?"),
            ("help", "Anything at all. Don't write your name."),
        ],
        &[
            ("kind", "ranking"),
            ("prompt", "Put these trips in order"),
            ("options", "Beach\nTheme park\nClimbing wall\nCinema"),
            ("max_picks", "3"),
        ],
    ];
    let safety: &[&[(&str, &str)]] = &[
        &[
            ("kind", "scale"),
            ("prompt", "How safe do you feel in the park after school?"),
            ("scale_style", "numbers"),
            ("required", "on"),
            ("outcome", "safe"),
        ],
        &[
            ("kind", "yes_no"),
            (
                "prompt",
                "Do you know where to get help if you feel unsafe?",
            ),
            ("outcome", "safe"),
        ],
        &[
            ("kind", "single_choice"),
            ("prompt", "How do you usually get home?"),
            ("options", "Walk\nBus\nBike\nLift from someone"),
        ],
        &[
            ("kind", "multiple_choice"),
            ("prompt", "What would make you feel safer?"),
            (
                "options",
                "Better lights\nMore youth workers about\nSafe places to wait\nCCTV",
            ),
        ],
        &[
            ("kind", "ranking"),
            ("prompt", "Rank these places from safest"),
            ("options", "School\nPark\nShops\nBus stop"),
        ],
        &[
            ("kind", "short_text"),
            ("prompt", "A place that feels unsafe (no addresses, please)"),
        ],
        &[
            ("kind", "long_text"),
            ("prompt", "Anything else you want us to know?"),
        ],
    ];
    let voices: &[&[(&str, &str)]] = &[
        &[
            ("kind", "scale"),
            ("prompt", "How safe do you feel out and about near home?"),
            ("scale_style", "faces"),
            ("required", "on"),
            ("outcome", "safe"),
        ],
        &[
            ("kind", "yes_no"),
            (
                "prompt",
                "Is there an adult you could go to if something was wrong?",
            ),
            ("outcome", "safe"),
        ],
        &[
            ("kind", "scale"),
            ("prompt", "How much is there to do near you?"),
            ("scale_style", "faces"),
            ("outcome", "enjoy_achieve"),
        ],
        &[
            ("kind", "single_choice"),
            ("prompt", "Where do you mostly spend time after school?"),
            (
                "options",
                "At home\nAt a friend's\nYouth club\nPark or outside\nShops or town",
            ),
        ],
        &[
            ("kind", "multiple_choice"),
            ("prompt", "What would you like more of?"),
            (
                "options",
                "Sport\nMusic\nSomewhere to chill\nTrips\nJobs and skills\nArt",
            ),
            ("max_picks", "3"),
        ],
        &[
            ("kind", "ranking"),
            ("prompt", "What matters most to you?"),
            (
                "options",
                "Feeling safe\nThings to do\nBeing listened to\nGetting around",
            ),
            ("max_picks", "3"),
        ],
        &[
            ("kind", "short_text"),
            ("prompt", "One word for where you live"),
        ],
        &[
            ("kind", "long_text"),
            ("prompt", "What one thing would make it better?"),
            ("help", "Don't write your name or anyone else's."),
        ],
    ];
    // The two surveys young people try first start empty; a third, and
    // other organisations' surveys in other areas, come with responses.
    for (title, intro, tags, questions) in [
        (
            "What should the youth club do next?",
            "Help us plan next term. It takes about three minutes.",
            "enjoy_achieve,positive_contribution",
            club,
        ),
        (SAFETY_TITLE, SAFETY_INTRO, "safe,healthy", safety),
    ] {
        open_survey(db, org, title, intro, tags, questions).await?;
    }
    let mut rng = crate::demo_voices::seeded();
    let id = open_survey(
        db,
        org,
        VOICES_TITLE,
        VOICES_INTRO,
        "safe,enjoy_achieve",
        voices,
    )
    .await?;
    crate::demo_voices::respond(db, &mut rng, &form_of(db, id).await?, org, DEMO_AREA, 1_500)
        .await?;
    for (name, kind, area, n) in crate::demo_voices::OTHERS {
        let other = app::organisations::store::create_organisation(db, name, kind, Some(area))
            .await
            .map_err(err)?;
        let id = open_survey(
            db,
            other,
            VOICES_TITLE,
            VOICES_INTRO,
            "safe,enjoy_achieve",
            voices,
        )
        .await?;
        crate::demo_voices::respond(db, &mut rng, &form_of(db, id).await?, other, area, n).await?;
    }
    for (name, kind, outcomes, description, contact) in DEMO_SERVICES {
        use app::services::{Kind, ServiceFields};
        let fields = ServiceFields {
            name: name.to_string(),
            kind: Kind::parse(kind),
            area_code: DEMO_AREA.to_string(),
            outcomes: app::outcomes::Outcome::parse_list(outcomes),
            description: description.to_string(),
            contact: contact.to_string(),
            website: None,
        };
        let id =
            app::services::store::create(db, org, &fields, app::audit::store::Actor::CommandLine)
                .await
                .map_err(err)?;
        // Ratings: plenty for the leisure centre, some for mental health
        // (too few for averages); the club's first rating is yours.
        let (n, lean) = match kind {
            "sport" => (45, 4),
            "mental_health" => (14, 3),
            _ => (0, 3),
        };
        let survey = app::services::store::by_id(db, id)
            .await
            .map_err(err)?
            .ok_or("demo service went missing")?
            .survey_id;
        crate::demo_voices::rate(db, &mut rng, &form_of(db, survey).await?, org, n, lean).await?;
    }
    assess(db).await?;
    println!("heard: demo data loaded. Sign in at /sign-in with:");
    for (email, role, pw) in DEMO_ACCOUNTS {
        println!("  {role:<18} {email:<30} password: {pw}");
    }
    Ok(())
}

pub async fn add_user(
    db: &Db,
    email: &str,
    role: &str,
    org: Option<&str>,
    areas: &[String],
    password_given: Option<String>,
) -> Result<(), String> {
    let email = &Email::parse(email)?;
    let role = Role::parse(role).ok_or_else(|| {
        format!(
            "unknown role {role:?}: use one of {}",
            Role::ALL.map(|r| r.key()).join(", ")
        )
    })?;
    let organisation_id = match (role.needs_organisation(), org) {
        (true, None) => return Err(format!("a {} needs --org", role.key())),
        (_, Some(name)) => Some(
            match app::organisations::store::organisation_by_name(db, name)
                .await
                .map_err(err)?
            {
                Some(o) => o.id,
                None => app::organisations::store::create_organisation(db, name, "other", None)
                    .await
                    .map_err(err)?,
            },
        ),
        (false, None) => None,
    };
    let mut codes = Vec::new();
    for a in areas {
        let code = app::areas::AreaCode::parse(a)?;
        if !app::areas::store::is_active(db, code.as_str())
            .await
            .map_err(err)?
        {
            return Err(format!("unknown area {a}"));
        }
        codes.push(code.as_str().to_string());
    }
    let printed = password_given.is_none();
    let pw = password_given.unwrap_or_else(password::one_time);
    password::check_new(&pw)?;
    let hash = password::hash(pw.clone()).await.map_err(err)?;
    store::create_user(
        db,
        NewUser {
            email,
            role,
            organisation_id,
            areas: &codes,
            password: &hash,
            one_time_until: printed.then(password::one_time_until),
            by: Actor::CommandLine,
        },
    )
    .await
    .map_err(err)?;
    if printed {
        println!(
            "heard: added {email} as {}. One-time password: {pw}",
            role.label()
        );
    } else {
        println!("heard: added {email} as {}.", role.label());
    }
    Ok(())
}
