//! The one database handle. SQLite (the default, a file) and PostgreSQL share
//! one code path through sqlx's `Any` driver and portable SQL with `$n`
//! placeholders. SQLite allows one writer at a time, so writes queue on an
//! in-process gate instead of racing into "database is locked"; PostgreSQL
//! needs no gate. A writer waits for its turn at most [`WRITE_WAIT`], then
//! heard answers "busy" rather than queueing without end.
//!
//! The handle also counts changes to what the app caches ([`Changed`]): a
//! store function that changes a survey or the areas notes it after its
//! commit, and caches drop what they loaded before.

use crate::error::AppError;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The longest a writer waits for its turn before the answer is "busy, try
/// again in a moment" ([`AppError::Busy`]). A submission takes a few
/// milliseconds to write, so five seconds of queue is hundreds of writers
/// ahead: beyond that, waiting longer only holds a phone (and a staff
/// sign-in) on a spinner.
pub const WRITE_WAIT: Duration = Duration::from_secs(5);

/// Writers admitted at once on PostgreSQL: in effect no gate (the pool has 16
/// connections), but a finite number so [`Db::hold_writes`] can take them all.
const POSTGRES_WRITERS: u32 = 1 << 20;

/// What caches of rarely changing reads depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// A survey or its questions (title, status, closing date, questions).
    Surveys,
    /// The list of areas.
    Areas,
    /// Risk phrases added in the app.
    RiskPhrases,
    /// Services: added, renamed, moved, listed or taken down.
    Services,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    writes: Arc<Semaphore>,
    writers: u32,
    changes: Arc<[AtomicU64; 4]>,
    /// PostgreSQL only: where a `LISTEN` connection of its own connects.
    listen_url: Option<ListenUrl>,
}

/// A connection address, which may hold a password: never printed.
#[derive(Clone)]
struct ListenUrl(Arc<str>);

impl std::fmt::Debug for ListenUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ListenUrl(..)")
    }
}

/// A write transaction; the writer's place in the queue is held until it ends.
pub struct WriteTx {
    pub tx: Transaction<'static, Any>,
    _permit: OwnedSemaphorePermit,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Db {
    pub fn backend_of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = Db::backend_of(url).ok_or_else(|| {
            sqlx::Error::Configuration("DATABASE_URL must start with sqlite: or postgres:".into())
        })?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let is_sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            .max_connections(if is_sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                        ] {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let writers = if is_sqlite { 1 } else { POSTGRES_WRITERS };
        Ok(Db {
            pool,
            backend,
            writes: Arc::new(Semaphore::new(writers as usize)),
            writers,
            changes: Arc::default(),
            listen_url: (!is_sqlite).then(|| ListenUrl(url.as_str().into())),
        })
    }

    /// PostgreSQL's address, for a connection that listens for notifications
    /// (the pool's connections cannot).
    pub fn listen_url(&self) -> Option<&str> {
        self.listen_url.as_ref().map(|u| &*u.0)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction, waiting for this process's turn to write
    /// at most [`WRITE_WAIT`]; after that, [`AppError::Busy`].
    pub async fn write(&self) -> Result<WriteTx, AppError> {
        let permit =
            match tokio::time::timeout(WRITE_WAIT, self.writes.clone().acquire_owned()).await {
                Ok(Ok(permit)) => permit,
                Ok(Err(_closed)) => return Err(sqlx::Error::PoolClosed.into()),
                Err(_elapsed) => {
                    tracing::warn!(waited = ?WRITE_WAIT, "write queue full: answered busy");
                    return Err(AppError::Busy);
                }
            };
        let tx = self.pool.begin().await?;
        Ok(WriteTx {
            tx,
            _permit: permit,
        })
    }

    /// Stops every write in this process until the guard is dropped (writers
    /// wait, then answer busy). For tests, and for maintenance that needs the
    /// database still (a consistent copy of an SQLite file).
    pub async fn hold_writes(&self) -> OwnedSemaphorePermit {
        self.writes
            .clone()
            .acquire_many_owned(self.writers)
            .await
            .expect("the write gate is never closed")
    }

    /// Records that `what` changed (call after the change commits).
    pub fn note_change(&self, what: Changed) {
        self.changes[what as usize].fetch_add(1, Ordering::SeqCst);
    }

    /// How many changes to `what` this process has made: a cache keeps what
    /// it loaded only while this stays the same.
    pub fn changes(&self, what: Changed) -> u64 {
        self.changes[what as usize].load(Ordering::SeqCst)
    }
}

enum Param {
    Int(i64),
    Text(String),
}

/// SQL with its parameters, numbered as they are added.
#[derive(Default)]
pub struct Sql {
    params: Vec<Param>,
}

impl Sql {
    pub fn int(&mut self, v: i64) -> String {
        self.params.push(Param::Int(v));
        format!("${}", self.params.len())
    }
    pub fn text(&mut self, v: &str) -> String {
        self.params.push(Param::Text(v.to_string()));
        format!("${}", self.params.len())
    }

    /// Runs `sql` with these parameters inside a write transaction.
    pub async fn execute(&self, tx: &mut WriteTx, sql: &str) -> Result<u64, AppError> {
        let mut q = sqlx::query(sql);
        for p in &self.params {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.clone()),
            };
        }
        Ok(q.execute(&mut ***tx).await?.rows_affected())
    }

    pub async fn rows<O>(&self, db: &Db, sql: &str) -> Result<Vec<O>, AppError>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        // Planned with its values each time, not kept prepared: these
        // statements vary with their scope, and a plan made without the
        // values could not see that the tallies' tail is short.
        let mut q = sqlx::query_as::<_, O>(sql).persistent(false);
        for p in &self.params {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.clone()),
            };
        }
        Ok(q.fetch_all(db.pool()).await?)
    }
}

/// Ids for an `IN (...)` list: whole numbers only, so nothing else can
/// reach the SQL.
pub fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Seconds since the Unix epoch, the one time format stored.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Today's date in England as `YYYY-MM-DD` (UTC is close enough for closing dates).
pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// A stored timestamp as people read it: "22 Nov 2026, 14:05 UTC".
pub fn human_time(ts: i64) -> String {
    use time::macros::format_description;
    let fmt =
        format_description!("[day padding:none] [month repr:short] [year], [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}

/// A day as a date field holds it: "2026-12-24".
pub fn iso_day(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .map(|t| {
            let d = t.date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        })
        .unwrap_or_default()
}

/// A day as people write it: "24 December 2026".
pub fn human_day(ts: i64) -> String {
    use time::macros::format_description;
    let fmt = format_description!("[day padding:none] [month repr:long] [year]");
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_default()
}
