//! Boots the whole app on port 0 against a fresh database (an SQLite file or a
//! new PostgreSQL database) and speaks HTTP to it. Each app cleans up after itself.
#![allow(dead_code)]

use app::accounts::password;
use app::accounts::store::{self, NewUser};
use app::accounts::Role;
use app::db::Db;
use app::forms::FormValues;
use app::state::Settings;
use app::surveys::building::rules::parse_question;
use app::surveys::building::store as surveys;
use app::surveys::model::SurveyStatus;
use rand::Rng;
use std::net::SocketAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// Runs each named test once against SQLite and once against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::common::Store::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::common::Store::Postgres).await }
            )*
        }
    };
}

enum Cleanup {
    /// Another server on a database some other `TestApp` cleans up.
    Nothing,
    File(std::path::PathBuf),
    Database {
        admin_url: String,
        name: String,
    },
}

pub struct TestApp {
    pub base: String,
    database_url: String,
    pub db: Db,
    /// The running app's state (limiters, settings), for checking what it holds.
    pub state: app::state::AppState,
    pub store: Store,
    cleanup: Cleanup,
    server: tokio::task::JoinHandle<()>,
    /// PostgreSQL: hears other servers' live session changes, as `serve` does.
    listener: Option<tokio::task::JoinHandle<()>>,
}

fn random_name() -> String {
    let mut rng = rand::thread_rng();
    (0..12)
        .map(|_| (b'a' + rng.gen_range(0..26)) as char)
        .collect()
}

/// The PostgreSQL server tests use: `TEST_POSTGRES_URL` (make test starts one).
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").expect(
        "TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts a local PostgreSQL, \
         or point it at a server where the user may create databases",
    )
}

/// `admin_url` with its database swapped for `name`.
fn database_url(admin_url: &str, name: &str) -> String {
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin_url.to_string());
    format!("{base}/{name}")
}

static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

/// A PostgreSQL database migrated and seeded once, named after a digest of the
/// migrations and the areas list, so a change to either makes a new one and
/// later runs reuse it. Built under a temporary name and renamed when ready, so
/// a run that stops half way never leaves a broken template behind.
async fn postgres_template(admin_url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("heard_tpl_{}", schema_digest());
            let admin = Db::connect(admin_url)
                .await
                .expect("connect to TEST_POSTGRES_URL");
            let exists: Option<(i32,)> =
                sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
                    .bind(&name)
                    .fetch_optional(admin.pool())
                    .await
                    .expect("look for the template");
            if exists.is_none() {
                let building = format!("{name}_{}", random_name());
                sqlx::query(&format!("CREATE DATABASE {building}"))
                    .execute(admin.pool())
                    .await
                    .expect("create the template");
                let db = Db::connect(&database_url(admin_url, &building))
                    .await
                    .expect("connect to the template");
                heard::migrate(&db).await.expect("migrate the template");
                db.pool().close().await;
                // A closed pool's server processes may linger a moment, and a
                // database in use cannot be renamed: end them, and try again
                // for a few seconds while they go.
                let mut renamed = Err(sqlx::Error::PoolClosed);
                for _ in 0..50 {
                    let _ = sqlx::query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                    )
                    .bind(&building)
                    .execute(admin.pool())
                    .await;
                    renamed = sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                        .execute(admin.pool())
                        .await;
                    let in_use = matches!(&renamed, Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55006"));
                    if !in_use {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                if renamed.is_err() {
                    // Another run finished one first: use theirs.
                    let _ =
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                            .execute(admin.pool())
                            .await;
                }
            }
            admin.pool().close().await;
            name
        })
        .await
        .clone()
}

/// A short digest of everything `heard::migrate` puts in a new database.
fn schema_digest() -> String {
    use std::hash::{Hash, Hasher};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    // FNV-style hashing via DefaultHasher with fixed keys is stable within a
    // toolchain; a new toolchain at worst builds one more template.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in files {
        f.file_name().hash(&mut h);
        std::fs::read(&f).expect("migration").hash(&mut h);
    }
    heard::AREAS_CSV.hash(&mut h);
    app::standards::defaults::SEVEN_S.hash(&mut h);
    app::standards::defaults::LUNDY.hash(&mut h);
    format!("{:016x}", h.finish())
}

impl TestApp {
    pub async fn spawn(store: Store) -> TestApp {
        Self::spawn_with(store, Settings::default()).await
    }

    pub async fn spawn_with(store: Store, settings: Settings) -> TestApp {
        Self::spawn_serving(store, settings, "target/site").await
    }

    /// The app serving its built files from `site_root`.
    pub async fn spawn_serving(store: Store, settings: Settings, site_root: &str) -> TestApp {
        let (url, cleanup) = match store {
            Store::Sqlite => {
                let path = std::env::temp_dir().join(format!("heard-test-{}.db", random_name()));
                (format!("sqlite://{}", path.display()), Cleanup::File(path))
            }
            Store::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("heard_test_{}", random_name());
                let template = postgres_template(&admin_url).await;
                let admin = Db::connect(&admin_url)
                    .await
                    .expect("connect to TEST_POSTGRES_URL");
                // Cloning a migrated database is a file copy: much faster than
                // running every migration and seeding the areas again.
                sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(admin.pool())
                    .await
                    .expect("create test database");
                admin.pool().close().await;
                (
                    database_url(&admin_url, &name),
                    Cleanup::Database { admin_url, name },
                )
            }
        };
        Self::serve(store, settings, site_root, url, cleanup).await
    }

    /// A second server on this one's database, as behind a load balancer.
    pub async fn another_server(&self) -> TestApp {
        let url = self.database_url.clone();
        // Servers behind one load balancer share their settings, the secret included.
        Self::serve(
            self.store,
            (*self.state.settings).clone(),
            "target/site",
            url,
            Cleanup::Nothing,
        )
        .await
    }

    async fn serve(
        store: Store,
        settings: Settings,
        site_root: &str,
        url: String,
        cleanup: Cleanup,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().expect("local address");
        let mut settings = settings;
        if settings.public_url == Settings::default().public_url {
            // Links to share point at this server, as HEARD_PUBLIC_URL would say.
            settings.public_url = format!("http://{addr}");
        }
        let state = heard::prepare(&url, site_root, addr, settings)
            .await
            .expect("prepare app");
        let db = state.db.clone();
        let router = heard::router(state.clone());
        let live_listener = state.live.listen(&state.db);
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("serve");
        });
        TestApp {
            base: format!("http://{addr}"),
            database_url: url,
            db,
            state,
            store,
            cleanup,
            server,
            listener: live_listener,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Starts a live session of `survey` as `worker` (through the builder's
    /// button) and returns its id and join code.
    pub async fn start_live(&self, worker: &reqwest::Client, survey: i64) -> (i64, String) {
        let res = self
            .post(worker, &format!("/staff/surveys/{survey}/live"), &[])
            .await;
        assert_eq!(res.status(), 303, "the session starts");
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let session: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
        let code = app::live::store::by_id(&self.db, session)
            .await
            .unwrap()
            .unwrap()
            .code;
        (session, code)
    }

    /// Where this app's database is (for a second `heard` process on it).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("heard-test-agent/1.0 (Cracked Phone 3)")
            .build()
            .expect("client")
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("GET")
    }

    pub async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("accept", "text/html")
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    /// The status a GET answers with.
    pub async fn status(&self, client: &reqwest::Client, path: &str) -> u16 {
        self.get(client, path).await.status().as_u16()
    }

    /// Sends every form to `path` at the same moment, each from its own phone,
    /// and returns the statuses.
    pub async fn post_all_at_once(
        &self,
        path: &str,
        forms: Vec<Vec<(String, String)>>,
    ) -> Vec<u16> {
        let tasks: Vec<_> = forms
            .into_iter()
            .map(|form| {
                let (client, url) = (self.client(), self.url(path));
                tokio::spawn(async move {
                    client
                        .post(url)
                        .form(&form)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        statuses
    }

    pub async fn organisation(&self, name: &str, area: Option<&str>) -> i64 {
        app::organisations::store::create_organisation(&self.db, name, "youth_service", area)
            .await
            .expect("organisation")
    }

    /// Adds a member of staff and returns their email and password.
    pub async fn staff(
        &self,
        role: Role,
        organisation_id: Option<i64>,
        areas: &[&str],
    ) -> (String, String) {
        let email = format!("{}@{}.example", role.key(), random_name());
        let pw = "a long enough password".to_string();
        let hash = password::hash(pw.clone()).await.expect("hash");
        let areas: Vec<String> = areas.iter().map(|a| a.to_string()).collect();
        store::create_user(
            &self.db,
            NewUser {
                email: &app::accounts::Email::parse(&email).expect("email"),
                role,
                organisation_id,
                areas: &areas,
                password: &hash,
                one_time_until: None,
                by: app::audit::store::Actor::CommandLine,
            },
        )
        .await
        .expect("user");
        (email, pw)
    }

    /// A client signed in as a new member of staff.
    pub async fn signed_in(
        &self,
        role: Role,
        organisation_id: Option<i64>,
        areas: &[&str],
    ) -> reqwest::Client {
        let (email, pw) = self.staff(role, organisation_id, areas).await;
        let client = self.client();
        let res = self
            .post(&client, "/sign-in", &[("email", &email), ("password", &pw)])
            .await;
        assert_eq!(res.status(), 303, "sign in as {email}");
        client
    }

    /// An open survey with one question of every kind (the first required)
    /// and the "about you" section. Returns its id and slug.
    pub async fn survey_with_every_kind(
        &self,
        organisation_id: i64,
        status: SurveyStatus,
    ) -> (i64, String) {
        let id = surveys::create(&self.db, organisation_id, "Our youth club", None)
            .await
            .expect("survey");
        for q in every_kind() {
            let q =
                parse_question(&FormValues::from_pairs(q.iter().copied()), None).expect("question");
            surveys::add_question(&self.db, id, SurveyStatus::Draft, &q)
                .await
                .expect("add question");
        }
        if status != SurveyStatus::Draft {
            surveys::set_status(&self.db, id, SurveyStatus::Draft, status)
                .await
                .expect("status");
        }
        let slug = app::surveys::store::by_id(&self.db, id)
            .await
            .expect("load")
            .expect("exists")
            .form
            .slug;
        (id, slug)
    }

    pub async fn question_ids(&self, survey_id: i64) -> Vec<i64> {
        app::surveys::store::by_id(&self.db, survey_id)
            .await
            .unwrap()
            .unwrap()
            .form
            .questions
            .iter()
            .map(|q| q.id)
            .collect()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.db.pool())
            .await
            .expect("count");
        n
    }
}

pub fn every_kind() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![
            ("kind", "single_choice"),
            ("prompt", "Which night should we open?"),
            ("options", "Monday\nFriday"),
            ("required", "on"),
        ],
        vec![
            ("kind", "multiple_choice"),
            ("prompt", "What would you like to do?"),
            ("options", "Sport\nMusic\nArt"),
            ("max_picks", "2"),
        ],
        vec![("kind", "scale"), ("prompt", "How much do you enjoy it?")],
        vec![
            ("kind", "yes_no"),
            ("prompt", "Would you help plan a trip?"),
        ],
        vec![("kind", "short_text"), ("prompt", "One word for the club")],
        vec![("kind", "long_text"), ("prompt", "What should we change?")],
        vec![
            ("kind", "ranking"),
            ("prompt", "Put these trips in order"),
            ("options", "Beach\nCinema\nClimbing"),
            ("max_picks", "2"),
        ],
    ]
}

/// A complete, valid set of answers for [`TestApp::survey_with_every_kind`].
pub fn full_answers(q: &[i64], key: &str) -> Vec<(String, String)> {
    vec![
        ("submission_key".into(), key.into()),
        (format!("q{}", q[0]), "o2".into()),
        (format!("q{}", q[1]), "o1".into()),
        (format!("q{}", q[1]), "o3".into()),
        (format!("q{}", q[2]), "4".into()),
        (format!("q{}", q[3]), "not_sure".into()),
        (format!("q{}", q[4]), "brilliant".into()),
        (format!("q{}", q[5]), "More trips\nand later opening".into()),
        (format!("q{}_r1", q[6]), "o3".into()),
        (format!("q{}_r2", q[6]), "o1".into()),
        ("about_age".into(), "13-15".into()),
        ("about_area".into(), "E08000025".into()),
        ("about_groups".into(), "young_carer".into()),
    ]
}

pub fn as_refs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

pub fn new_key() -> String {
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| format!("{:x}", rng.gen_range(0..16)))
        .collect()
}

/// Removes an SQLite database file and its journal (`-wal`, `-shm`).
pub fn remove_sqlite_file(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        if let Some(l) = &self.listener {
            l.abort();
        }
        if !matches!(self.cleanup, Cleanup::Nothing) {
            let _ = std::fs::remove_dir_all(&self.state.settings.uploads);
        }
        match &self.cleanup {
            Cleanup::Nothing => {}
            Cleanup::File(path) => remove_sqlite_file(path),
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs outside async; a short-lived runtime of its own drops the database.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let admin = Db::connect(&admin_url).await.ok()?;
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(admin.pool())
                            .await
                            .ok()
                    })
                })
                .join();
            }
        }
    }
}

/// A page parsed as a browser parses it, so checks name elements and
/// attributes rather than how the markup happens to be spelled (attribute
/// order, quoting, whitespace, the framework's comments and island data).
pub struct Page(scraper::Html);

/// One element found on a [`Page`]: its text (comments left out) and attributes.
#[derive(Debug, Clone)]
pub struct Element {
    /// Every text node inside it, joined, with the ends trimmed.
    pub text: String,
    attrs: Vec<(String, String)>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.attr(name).is_some()
    }
}

impl Page {
    pub fn parse(html: &str) -> Page {
        Page(scraper::Html::parse_document(html))
    }

    /// Every element matching the CSS selector `css`, in document order.
    pub fn select(&self, css: &str) -> Vec<Element> {
        let selector = scraper::Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
        self.0
            .select(&selector)
            .map(|e| Element {
                text: e.text().collect::<String>().trim().to_string(),
                attrs: e
                    .value()
                    .attrs()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
            })
            .collect()
    }

    /// The one element matching `css`; fails if there is none or more than one.
    pub fn one(&self, css: &str) -> Element {
        let mut found = self.select(css);
        assert_eq!(found.len(), 1, "exactly one `{css}`: {found:?}");
        found.remove(0)
    }

    /// Whether any element matches `css`.
    pub fn has(&self, css: &str) -> bool {
        !self.select(css).is_empty()
    }

    /// The texts of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(|e| e.text).collect()
    }

    /// The values of attribute `name` on every element matching `css` that has it.
    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .filter_map(|e| e.attr(name).map(str::to_string))
            .collect()
    }

    /// The cells' texts (`th` and `td`) of every table row matching `css`.
    pub fn rows(&self, css: &str) -> Vec<Vec<String>> {
        let rows = scraper::Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
        let cells = scraper::Selector::parse("th, td").unwrap();
        self.0
            .select(&rows)
            .map(|r| {
                r.select(&cells)
                    .map(|c| c.text().collect::<String>().trim().to_string())
                    .collect()
            })
            .collect()
    }

    /// The text a person reads in the page's `<main>` (not the header, the
    /// footer, scripts or island data), with runs of whitespace made one space.
    pub fn main_text(&self) -> String {
        let main = scraper::Selector::parse("main").unwrap();
        let mut text = String::new();
        for m in self.0.select(&main) {
            for node in m.descendants() {
                let Some(t) = node.value().as_text() else {
                    continue;
                };
                let in_script = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style"))
                });
                if !in_script {
                    text.push_str(t);
                    text.push(' ');
                }
            }
        }
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The titles of the surveys listed as cards on a page.
pub fn listed_titles(html: &str) -> Vec<String> {
    Page::parse(html).texts("ul.cards li.card h3")
}

/// `heard serve` in an OS process of its own on `database_url` (its memory
/// its own; another server behind the load balancer). Killed when dropped.
pub struct HeardProcess {
    pub child: std::process::Child,
    pub base: String,
    uploads: std::path::PathBuf,
}

impl HeardProcess {
    pub fn start(database_url: &str, secret: &str) -> HeardProcess {
        Self::start_with(database_url, secret, &[])
    }

    /// [`HeardProcess::start`] with more of heard's settings.
    pub fn start_with(database_url: &str, secret: &str, settings: &[(&str, &str)]) -> HeardProcess {
        use std::io::BufRead;
        let uploads = std::env::temp_dir().join(format!("heard-uploads-process-{}", random_name()));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_heard"))
            .arg("serve")
            .envs(settings.iter().copied())
            .env("HEARD_UPLOADS_DIR", &uploads)
            .env("DATABASE_URL", database_url)
            .env("HEARD_ADDR", "127.0.0.1:0")
            .env("HEARD_SECRET", secret)
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start heard");
        let line = std::io::BufReader::new(child.stdout.take().unwrap())
            .lines()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        let base = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .map(|a| format!("http://{a}"))
            .unwrap_or_else(|| panic!("heard did not say where it listens: {line}"));
        HeardProcess {
            child,
            base,
            uploads,
        }
    }
}

impl Drop for HeardProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.uploads);
    }
}
