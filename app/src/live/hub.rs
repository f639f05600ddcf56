//! Who is following which session, and telling them when it changes.
//!
//! Every open event stream (a phone, the projector) holds a receiver on its
//! session's channel here. A change is announced once: with SQLite straight
//! to this process's channels; with PostgreSQL through `pg_notify`, which
//! every heard process behind the load balancer hears on a `LISTEN`
//! connection of its own and passes on to its own channels, so a projector on
//! one process sees answers that arrive at another.
//!
//! A signal carries no answer and no state, only "look again": whoever hears
//! it re-reads the session, so a lost signal costs freshness, never truth.
//! Notifications sent while the listener reconnects are lost, so after a
//! reconnect every stream is told to look again.

use crate::db::{Backend, Db};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::broadcast;

/// The PostgreSQL channel heard's processes talk on.
pub const CHANNEL: &str = "heard_live";

/// What changed in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The presenter moved, locked, showed or ended; the session's version
    /// is now this: phones follow.
    State(i64),
    /// An answer was stored or changed, or free text shown: the projector
    /// counts again.
    Answers,
    /// Signals may have been missed: look again.
    Resync,
}

impl Signal {}

/// The payload of one notification: `s:42:7` (session 42 is at version 7),
/// `a:42`, `r:42`.
fn payload(session: i64, signal: Signal) -> String {
    match signal {
        Signal::State(version) => format!("s:{session}:{version}"),
        Signal::Answers => format!("a:{session}"),
        Signal::Resync => format!("r:{session}"),
    }
}

fn parse_payload(text: &str) -> Option<(i64, Signal)> {
    let mut parts = text.split(':');
    let kind = parts.next()?;
    let session = parts.next()?.parse().ok()?;
    let signal = match (kind, parts.next()) {
        ("s", Some(v)) => Signal::State(v.parse().ok()?),
        ("a", None) => Signal::Answers,
        ("r", None) => Signal::Resync,
        _ => return None,
    };
    parts.next().is_none().then_some((session, signal))
}

/// The longest the listener waits to connect.
const CONNECT_FOR: Duration = Duration::from_secs(10);

/// The longest the listener waits without hearing anything before it
/// connects afresh.
const QUIET_FOR: Duration = Duration::from_secs(300);

/// Signals a slow receiver may fall behind by before it is told to resync:
/// signals are "look again", so only the latest matters.
const BACKLOG: usize = 16;

#[derive(Default)]
pub struct LiveHub {
    /// Only sessions someone follows now; dropped when the last one goes.
    channels: Mutex<HashMap<i64, broadcast::Sender<Signal>>>,
}

impl LiveHub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, broadcast::Sender<Signal>>> {
        self.channels.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Follows `session`. Call only for a session that exists (the map holds
    /// only sessions someone is following).
    pub fn subscribe(&self, session: i64) -> broadcast::Receiver<Signal> {
        let mut channels = self.lock();
        // Sessions nobody follows any more are forgotten now and then.
        if channels.len() > 64 {
            channels.retain(|_, tx| tx.receiver_count() > 0);
        }
        channels
            .entry(session)
            .or_insert_with(|| broadcast::channel(BACKLOG).0)
            .subscribe()
    }

    /// Streams following sessions now, over every session (for tests and the
    /// benchmark).
    pub fn followers(&self) -> usize {
        self.lock().values().map(|tx| tx.receiver_count()).sum()
    }

    /// Passes `signal` to this process's followers of `session`.
    pub fn deliver(&self, session: i64, signal: Signal) {
        let mut channels = self.lock();
        if let Some(tx) = channels.get(&session) {
            if tx.send(signal).is_err() {
                channels.remove(&session);
            }
        }
    }

    fn deliver_everywhere(&self, signal: Signal) {
        for tx in self.lock().values() {
            let _ = tx.send(signal);
        }
    }

    /// Tells everyone following `session`, on every heard process, after the
    /// change has committed. Never fails the change it reports: a signal not
    /// sent is logged, and streams look again on their own within
    /// [`super::handlers::RECHECK`].
    pub async fn announce(&self, db: &Db, session: i64, signal: Signal) {
        match db.backend() {
            Backend::Sqlite => self.deliver(session, signal),
            Backend::Postgres => {
                let sent = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(payload(session, signal))
                    .execute(db.pool())
                    .await;
                if let Err(e) = sent {
                    tracing::warn!(error = ?e, "a live session change could not be announced");
                    self.deliver(session, signal);
                }
            }
        }
    }

    /// Listens for other processes' announcements (PostgreSQL only), for as
    /// long as the process runs. Reconnects on its own, with a pause; after
    /// a reconnect every stream looks again.
    pub fn listen(self: &std::sync::Arc<Self>, db: &Db) -> Option<tokio::task::JoinHandle<()>> {
        let url = db.listen_url()?.to_string();
        let hub = self.clone();
        Some(tokio::spawn(async move {
            loop {
                match hub.listen_once(&url).await {
                    Ok(()) => {}
                    Err(e) => {
                        tracing::warn!(error = ?e, "live session listener lost; reconnecting")
                    }
                }
                hub.deliver_everywhere(Signal::Resync);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }))
    }

    async fn listen_once(&self, url: &str) -> Result<(), sqlx::Error> {
        let timed_out = || sqlx::Error::PoolTimedOut;
        let mut listener = tokio::time::timeout(CONNECT_FOR, async {
            let mut l = sqlx::postgres::PgListener::connect(url).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        })
        .await
        .map_err(|_| timed_out())??;
        // Anything missed while connecting.
        self.deliver_everywhere(Signal::Resync);
        loop {
            // `try_recv` hands back `None` when the connection dropped (and
            // reconnects on the next call): streams must look again. A quiet
            // spell longer than `QUIET_FOR` may be a connection that died
            // without a word: connect afresh.
            let Ok(next) = tokio::time::timeout(QUIET_FOR, listener.try_recv()).await else {
                return Ok(());
            };
            match next? {
                Some(n) => {
                    if let Some((session, signal)) = parse_payload(n.payload()) {
                        self.deliver(session, signal);
                    }
                }
                None => self.deliver_everywhere(Signal::Resync),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_say_which_session_and_what_changed() {
        for signal in [Signal::State(7), Signal::Answers, Signal::Resync] {
            assert_eq!(parse_payload(&payload(42, signal)), Some((42, signal)));
        }
        for bad in [
            "", "s", "s:", "s:1", "x:1", "ss:1:2", "s:one:2", ":1", "a:1:2", "s:1:2:3",
        ] {
            assert_eq!(parse_payload(bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn followers_of_a_session_hear_its_signals_and_no_others() {
        let hub = LiveHub::default();
        let mut a = hub.subscribe(1);
        let mut b = hub.subscribe(2);
        hub.deliver(1, Signal::Answers);
        assert_eq!(a.recv().await.unwrap(), Signal::Answers);
        assert!(b.try_recv().is_err());
        assert_eq!(hub.followers(), 2);
        drop(a);
        drop(b);
        hub.deliver(1, Signal::State(2));
        hub.deliver(2, Signal::State(2));
        assert_eq!(hub.followers(), 0);
        assert!(hub.lock().is_empty(), "channels nobody follows are dropped");
    }
}
