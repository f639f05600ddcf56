//! The `heard` server: configuration, the router, middleware, migrations,
//! demo data and the command line. The app itself lives in the `app` crate.

// The staff pages' view types are deep; a release build (LTO) computes their
// layout here, past the default limit.
#![recursion_limit = "256"]

pub mod config;
pub mod demo;
pub mod demo_voices;
pub mod jobs;
pub mod security;

use app::db::{Backend, Db};
use app::error::AppError;
use app::state::{AppState, Settings};
use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, Route};
use axum::{middleware, BoxError, Router};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower::{Layer, Service};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// England's upper-tier local authorities, seeded into an empty database.
pub const AREAS_CSV: &str = include_str!("../data/areas.csv");

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Brings the schema up to date and seeds the areas list on first run.
pub async fn migrate(db: &Db) -> Result<(), String> {
    let migrator = match db.backend() {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator
        .run(db.pool())
        .await
        .map_err(|e| format!("the database could not be migrated: {e}"))?;
    app::areas::store::seed_if_empty(db, AREAS_CSV)
        .await
        .map_err(|e| format!("the areas list could not be loaded: {e}"))?;
    app::standards::store::ensure_shipped(db)
        .await
        .map_err(|e| format!("the shipped standards frameworks could not be loaded: {e}"))?;
    app::feed::store::ensure_shipped(db, &app::feed::SHIPPED_TEMPLATES)
        .await
        .map_err(|e| format!("the shipped national questions could not be loaded: {e}"))?;
    // Free text stored before heard screened it is screened before anyone
    // can read it.
    let screened = app::surveys::answering::screening::screen_unscreened(db)
        .await
        .map_err(|e| format!("older free text could not be screened: {e}"))?;
    if screened > 0 {
        tracing::info!(answers = screened, "older free text screened");
    }
    Ok(())
}

pub fn leptos_options(site_root: &str, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("heard")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match sqlx::query("SELECT 1").execute(state.db.pool()).await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}

/// The longest any request may take before heard answers "busy, try again"
/// (503). The slowest honest request, a submission behind a queue of others,
/// waits at most 5 s for its turn to write ([`app::db::WRITE_WAIT`]) and
/// 10 s for a connection; 30 s is well past both, and stops a client that
/// trickles its form in byte by byte from holding a place for ever.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The time limit for a document upload, and how many at once.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(5 * 60);
pub const MAX_UPLOADS_IN_FLIGHT: usize = 16;

/// The time limit for a download of every response to a survey until its
/// first byte (the CSV streams from the start; a workbook must be whole
/// before it is sent: a million responses take about a minute), and how
/// many at once (each reads the whole survey).
pub const EXPORT_TIMEOUT: Duration = Duration::from_secs(5 * 60);
pub const MAX_EXPORTS_IN_FLIGHT: usize = 4;

/// Feed documents pushed to a hub at once.
pub const MAX_PUSHES_IN_FLIGHT: usize = 4;

/// Requests served at once; one more is answered 503 with `Retry-After` at
/// once, not queued. Two classes tapping "send" together are 70; `make bench`
/// sends 40 at a time. On 2 cores and a pool of 8 (SQLite) or 16 (PostgreSQL)
/// connections, more than 256 in progress only lengthens every wait, and
/// each may hold a form of up to 256 KB (64 MB in all at most).
pub const MAX_IN_FLIGHT: usize = 256;

/// Bounds for a router's requests: at most `max_in_flight` in progress (the
/// rest shed at once with 503 and `Retry-After`), each for at most `timeout`
/// (then 503 too).
pub fn bounds(
    max_in_flight: usize,
    timeout: Duration,
) -> impl Layer<
    Route,
    Service: Service<
        Request,
        Response: IntoResponse + 'static,
        Error: Into<Infallible> + 'static,
        Future: Send + 'static,
    > + Clone
                 + Send
                 + Sync
                 + 'static,
> + Clone
       + Send
       + Sync
       + 'static {
    ServiceBuilder::new()
        .layer(HandleErrorLayer::new(overloaded))
        .load_shed()
        .layer(GlobalConcurrencyLimitLayer::new(max_in_flight))
        .timeout(timeout)
}

async fn overloaded(err: BoxError) -> Response {
    if err.is::<tower::timeout::error::Elapsed>() {
        tracing::warn!("a request ran out of time");
    } else {
        tracing::warn!("too many requests at once: one shed");
    }
    AppError::Busy.into_response()
}

/// The path as logged: a private link's code (`/my/{code}`) is a key to a
/// young person's idea, so it never reaches the logs.
fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/my/") {
        Some(rest) => {
            let tail = rest
                .split_once('/')
                .map(|(_, t)| format!("/{t}"))
                .unwrap_or_default();
            format!("/my/[code]{tail}").into()
        }
        None => path.into(),
    }
}

/// Survey pages carry a per-visitor submission key: a cache must never hand
/// one visitor's page to the next (every later send would be a "duplicate").
async fn survey_pages_not_stored(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let survey_page = path.starts_with("/s/")
        || path == "/j"
        || path.starts_with("/j/")
        || path == "/ideas/new"
        || path == "/ideas"
        || path.starts_with("/my/");
    let mut res = next.run(req).await;
    if survey_page {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The whole app as a router: pages, form posts, server functions, static files.
pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(app::App);
    let context = app::server_context(state.clone());
    let shell_options = options.clone();
    let pkg = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let static_files = Router::new()
        .nest_service(
            "/pkg",
            ServeDir::new(pkg).precompressed_br().precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        // The same address gives brotli, gzip or raw bytes: caches must keep them apart.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ));
    // Young people's answers are never shed: a shed post would come back as a
    // page with no form, and with JavaScript off what they wrote would be
    // gone. They are bounded instead by the limit per address, the bounded
    // wait for a write (which answers with the page and every answer kept),
    // and the time limit.
    let answers = Router::new()
        .route("/s/{slug}", post(app::surveys::answering::handlers::answer))
        .route("/j/{code}", post(app::live::handlers::answer))
        .route("/ideas", post(app::suggestions::handlers::create))
        .route(
            "/ideas/{r}/support",
            post(app::suggestions::handlers::support),
        )
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .timeout(REQUEST_TIMEOUT),
        );
    // Event streams stay open as long as a phone or a projector follows a
    // session: outside the time limit and the count of requests in flight,
    // bounded instead by their own number (`MAX_LIVE_FOLLOWERS`).
    let streams = Router::new()
        .route(
            "/j/{code}/events",
            get(app::live::handlers::participant_events),
        )
        .route(
            "/staff/live/{id}/events",
            get(app::live::handlers::presenter_events),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::viewer,
        ));
    // A document takes a while on a phone's uplink (10 MB at 1 Mbit/s is
    // 80 seconds): uploads have a longer time limit of their own, and fewer
    // at once. A cut-off upload leaves nothing behind.
    let uploads = Router::new()
        .route(
            "/staff/standards/{id}/documents",
            post(app::standards::handlers::upload).layer(axum::extract::DefaultBodyLimit::max(
                app::standards::documents::MAX_DOCUMENT_BYTES + 64 * 1024,
            )),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::viewer,
        ))
        .layer(bounds(MAX_UPLOADS_IN_FLIGHT, UPLOAD_TIMEOUT));
    // Every response to a survey, as a file: longer to make than a page, so
    // a time limit of its own, and only a few at once.
    let exports = Router::new()
        .route(
            "/staff/surveys/{id}/responses.csv",
            get(app::surveys::results::export::download),
        )
        .route(
            "/staff/surveys/{id}/responses.xlsx",
            get(app::surveys::results::export::download),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::viewer,
        ))
        .layer(bounds(MAX_EXPORTS_IN_FLIGHT, EXPORT_TIMEOUT));
    // Instances push their feed to a hub: a document is up to 4 MB, so only a
    // few at once.
    let pushes = Router::new()
        .route("/hub/feed/{instance}", post(app::feed::handlers::push))
        .layer(bounds(MAX_PUSHES_IN_FLIGHT, REQUEST_TIMEOUT));
    // Pages and form posts learn who is signed in; static files and the health
    // check never touch the sessions table.
    Router::new()
        .route("/sign-in", post(app::accounts::handlers::sign_in))
        .route("/sign-out", post(app::accounts::handlers::sign_out))
        .route(
            "/staff/surveys",
            post(app::surveys::building::handlers::create),
        )
        .route(
            "/staff/surveys/{id}",
            post(app::surveys::building::handlers::builder),
        )
        .route("/staff/areas", post(app::areas::handlers::post))
        .route(
            "/staff/safeguarding/phrases",
            post(app::safeguarding::handlers::phrases),
        )
        .route(
            "/staff/safeguarding/{id}",
            post(app::safeguarding::handlers::update),
        )
        .route("/staff/moderation", post(app::moderation::handlers::post))
        .route("/staff/surveys/{id}/live", post(app::live::handlers::start))
        .route("/staff/live/quick", post(app::live::handlers::quick_poll))
        .route("/staff/live/{id}", post(app::live::handlers::control))
        .route("/j", post(app::live::handlers::join))
        .route("/staff/team", post(app::team::handlers::post))
        .route("/staff/services", post(app::services::handlers::create))
        .route(
            "/staff/suggestions",
            post(app::suggestions::handlers::moderate),
        )
        .route("/staff/replies", post(app::replies::handlers::post))
        .route(
            "/my/{code}/save",
            get(app::suggestions::handlers::save_link),
        )
        .route(
            "/staff/services/import",
            post(app::services::handlers::import),
        )
        .route(
            "/staff/services/{id}",
            post(app::services::handlers::update),
        )
        .route(
            "/staff/insights/populations",
            post(app::insights::reach::load_populations),
        )
        .route(
            "/staff/insights/export.csv",
            get(app::insights::export::download),
        )
        .route(
            "/staff/insights/export.xlsx",
            get(app::insights::export::download),
        )
        .route(
            "/staff/insights/export.json",
            get(app::insights::export::download),
        )
        .route(
            "/staff/services/{id}/ratings.csv",
            get(app::services::handlers::export),
        )
        .route(
            "/staff/organisations",
            post(app::organisations::handlers::post),
        )
        .route(
            "/staff/password",
            post(app::accounts::handlers::change_password),
        )
        .route("/staff/standards", post(app::standards::handlers::start))
        .route(
            "/staff/standards/frameworks",
            post(app::standards::handlers::import_framework),
        )
        .route(
            "/staff/standards/{id}",
            post(app::standards::handlers::post),
        )
        .route(
            "/staff/documents/{id}",
            get(app::standards::handlers::document),
        )
        .route("/staff/hub", post(app::feed::handlers::hub_post))
        .route("/staff/national.csv", get(app::feed::export::download))
        .route("/staff/national.xlsx", get(app::feed::export::download))
        .route("/staff/national.json", get(app::feed::export::download))
        .route(
            "/staff/national-questions",
            post(app::feed::handlers::import),
        )
        .route("/feed", get(app::feed::handlers::feed))
        .route("/national/templates", get(app::feed::handlers::templates))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            app::shell(shell_options.clone())
        })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::viewer,
        ))
        // Every page, post and server function is bounded in time and number
        // (static files and the health check are cheap and stay outside), and
        // survey pages are never kept by a cache.
        .fallback_service(
            ServeDir::new(options.site_root.to_string()).not_found_service(
                axum::handler::HandlerWithoutStateExt::into_service(not_found_page(state.clone())),
            ),
        )
        .layer(bounds(MAX_IN_FLIGHT, REQUEST_TIMEOUT))
        .merge(answers)
        .merge(streams)
        .merge(uploads)
        .merge(exports)
        .merge(pushes)
        .layer(middleware::from_fn(survey_pages_not_stored))
        .route("/healthz", get(healthz))
        .merge(static_files)
        .layer(middleware::from_fn_with_state(
            state.settings.https,
            security::headers,
        ))
        // Pages are compressed as they are sent: brotli where the browser takes it
        // (a survey page is 23.6 KB raw, 4.9 KB at level 5 against 6.0 KB of
        // gzip at level 1), gzip otherwise. Level 5 costs well under a millisecond.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
        // One line per request: method, path, status, time taken. Never the
        // query string (it can carry what someone typed) and never an address.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    let path = logged_path(req.uri().path());
                    tracing::info_span!("request", method = %req.method(), path = %path)
                })
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
        .with_state(state)
}

/// Any address nobody serves: the "page not found" page in the site's layout,
/// with a way home (404), rather than an empty body a phone shows as an error.
fn not_found_page(
    state: AppState,
) -> impl Fn(
    axum::http::Request<axum::body::Body>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = axum::response::Response> + Send>>
       + Clone
       + Send
       + 'static {
    move |req| {
        let state = state.clone();
        Box::pin(async move {
            let (parts, _) = req.into_parts();
            app::forms::ssr::render_with(state, parts, None, (), axum::http::StatusCode::NOT_FOUND)
                .await
        })
    }
}

/// Connects, migrates and builds the state: everything but listening.
pub async fn prepare(
    database_url: &str,
    site_root: &str,
    addr: SocketAddr,
    settings: Settings,
) -> Result<AppState, String> {
    let db = Db::connect(database_url)
        .await
        .map_err(|e| format!("could not open the database: {e}"))?;
    migrate(&db).await?;
    std::fs::create_dir_all(&settings.uploads).map_err(|e| {
        format!(
            "the uploads folder {} could not be made: {e}",
            settings.uploads.display()
        )
    })?;
    // The sign-in decoy hash is made now, not during someone's first sign-in.
    tokio::task::spawn_blocking(app::accounts::password::warm_up)
        .await
        .map_err(|e| format!("could not start: {e}"))?;
    Ok(AppState::new(leptos_options(site_root, addr), db, settings))
}

/// `heard feed push`: sends this instance's signed document to the hub.
pub async fn push_feed(state: &AppState) -> Result<(), String> {
    let me = state
        .settings
        .feed
        .as_ref()
        .ok_or("HEARD_FEED_KEY is not set: make a key with `heard feed keygen`.")?;
    let hub = state
        .settings
        .hub_url
        .as_deref()
        .ok_or("HEARD_HUB_URL is not set: which hub should have it?")?;
    let (body, signature) = app::feed::store::current(&state.db, me, &state.settings.disclosure)
        .await
        .map_err(|e| format!("the document could not be made: {e}"))?;
    let url = format!("{hub}/hub/feed/{}", me.instance);
    let res = app::feed::handlers::client()
        .post(&url)
        .timeout(app::feed::handlers::PULL_TIMEOUT)
        .header(app::feed::signing::SIGNATURE_HEADER, signature)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("the hub at {hub} could not be reached: {e}"))?;
    let status = res.status();
    let said = res.text().await.unwrap_or_default();
    if status.is_success() {
        println!("heard: the hub {}", said.trim().to_lowercase());
        Ok(())
    } else {
        Err(format!(
            "the hub refused the document ({status}): {}",
            said.trim()
        ))
    }
}

/// Serves on a bound listener until the process is told to stop.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let housekeeping = jobs::spawn_housekeeping(state.clone());
    let folding = jobs::spawn_folding(state.clone());
    let pulling = jobs::spawn_hub_pulling(state.clone());
    // With PostgreSQL, hear other processes' live session changes.
    let live_listener = state.live.listen(&state.db);
    let served = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    housekeeping.abort();
    folding.abort();
    if let Some(p) = pulling {
        p.abort();
    }
    if let Some(l) = live_listener {
        l.abort();
    }
    served
}

#[cfg(test)]
mod tests {
    #[test]
    fn private_links_never_reach_the_logs() {
        assert_eq!(super::logged_path("/my/abcdefghijklmnop"), "/my/[code]");
        assert_eq!(
            super::logged_path("/my/abcdefghijklmnop/save"),
            "/my/[code]/save"
        );
        assert_eq!(super::logged_path("/ideas/new"), "/ideas/new");
    }
}
