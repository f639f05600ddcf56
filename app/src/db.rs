//! The one database handle. SQLite (the default, a file) and PostgreSQL share
//! one code path through sqlx's `Any` driver and portable SQL with `$n`
//! placeholders. SQLite allows one writer at a time, so writes queue on an
//! in-process gate instead of racing into "database is locked"; PostgreSQL
//! needs no gate.

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
        let writers = if is_sqlite { 1 } else { Semaphore::MAX_PERMITS };
        Ok(Db {
            pool,
            backend,
            writes: Arc::new(Semaphore::new(writers)),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction, waiting for this process's turn to write.
    pub async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        let permit = self
            .writes
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let tx = self.pool.begin().await?;
        Ok(WriteTx {
            tx,
            _permit: permit,
        })
    }
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
