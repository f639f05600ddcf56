//! At most five failed sign-ins a minute for one account from one address;
//! after that, 429 with `Retry-After` until the quota refills.
//!
//! Two counts keep that promise: governor's, in this process (no database
//! round trip for a flood), and the database's, shared by every server behind
//! a load balancer ([`shared_wait`]).
//!
//! Keys are keyed digests ([`crate::secret::ServerSecret::digest`]) of the
//! email and address, 32 characters whatever anyone types, and the map is
//! pruned: by the housekeeping job every few minutes, and at once when it
//! reaches [`MAX_KEYS`]. Past that, a new key is counted only in the database,
//! so memory stays flat under a flood of made-up emails.

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FAILURES_PER_MINUTE: u32 = 5;

/// At most this many keys in memory: about 10 MB in all.
pub const MAX_KEYS: usize = 50_000;

pub struct SignInLimiter {
    failures: RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>,
    locked_until: Mutex<HashMap<String, Instant>>,
    /// When the map was last pruned because it was full: a flood would
    /// otherwise prune on every request.
    pruned_when_full: Mutex<Option<Instant>>,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl SignInLimiter {
    pub fn new() -> Self {
        let per_minute = NonZeroU32::new(FAILURES_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        SignInLimiter {
            failures: RateLimiter::keyed(Quota::per_minute(per_minute)),
            locked_until: Mutex::default(),
            pruned_when_full: Mutex::default(),
        }
    }

    /// Forgets keys whose quota has refilled and locks that have ended.
    pub fn prune(&self) {
        self.failures.retain_recent();
        self.failures.shrink_to_fit();
        let now = Instant::now();
        let mut locked = self.locked_until.lock().unwrap_or_else(|e| e.into_inner());
        locked.retain(|_, until| *until > now);
        locked.shrink_to_fit();
    }

    /// How many keys are held in memory.
    pub fn len(&self) -> usize {
        self.failures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How long this key must wait before trying again, if it is locked out.
    pub fn locked(&self, key: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut locked = self.locked_until.lock().unwrap_or_else(|e| e.into_inner());
        match locked.get(key).copied() {
            Some(until) if until > now => Some(until - now),
            Some(_) => {
                // Ended: forget it (the rest go at the next prune).
                locked.remove(key);
                None
            }
            None => None,
        }
    }

    /// Records a failure. Returns the wait if this failure used up the quota.
    pub fn record_failure(&self, key: &str) -> Option<Duration> {
        if self.failures.len() >= MAX_KEYS {
            let mut last = self
                .pruned_when_full
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if last.is_none_or(|t| t.elapsed() > Duration::from_secs(1)) {
                *last = Some(Instant::now());
                drop(last);
                self.prune();
            }
            if self.failures.len() >= MAX_KEYS {
                // Full of recent keys: the database's count still applies.
                return None;
            }
        }
        match self.failures.check_key(&key.to_string()) {
            Ok(()) => None,
            Err(not_until) => {
                let wait = not_until
                    .wait_time_from(DefaultClock::default().now())
                    .max(Duration::from_secs(1));
                let mut locked = self.locked_until.lock().unwrap_or_else(|e| e.into_inner());
                if locked.len() >= MAX_KEYS {
                    let now = Instant::now();
                    locked.retain(|_, until| *until > now);
                }
                if locked.len() < MAX_KEYS {
                    locked.insert(key.to_string(), Instant::now() + wait);
                }
                Some(wait)
            }
        }
    }
}

/// The window the shared count looks back over, in seconds.
pub const WINDOW_SECONDS: i64 = 60;

/// How long to wait, given `failures` in the last minute across every server,
/// the `oldest` of them, and the time `now` (Unix seconds): locked once more
/// than five have failed, until the oldest leaves the window.
pub fn shared_wait(failures: i64, oldest: Option<i64>, now: i64) -> Option<Duration> {
    if failures <= i64::from(FAILURES_PER_MINUTE) {
        return None;
    }
    let until = oldest.unwrap_or(now) + WINDOW_SECONDS;
    Some(Duration::from_secs((until - now).max(1) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_count_locks_after_the_fifth_failure_until_the_oldest_is_a_minute_old() {
        assert_eq!(shared_wait(5, Some(100), 110), None);
        assert_eq!(
            shared_wait(6, Some(100), 110),
            Some(Duration::from_secs(50))
        );
        assert_eq!(
            shared_wait(6, Some(100), 160),
            Some(Duration::from_secs(1)),
            "never 0"
        );
        assert_eq!(shared_wait(0, None, 110), None);
    }

    #[test]
    fn the_sixth_failure_in_a_minute_locks_the_key_and_only_that_key() {
        let l = SignInLimiter::new();
        let key = "worker|127.0.0.1";
        for _ in 0..FAILURES_PER_MINUTE {
            assert_eq!(l.record_failure(key), None);
            assert_eq!(l.locked(key), None);
        }
        let wait = l.record_failure(key).expect("locked");
        assert!(wait <= Duration::from_secs(60));
        assert!(l.locked(key).is_some());
        assert_eq!(l.locked("worker|127.0.0.2"), None);
    }

    #[test]
    fn memory_is_capped_however_many_keys_a_flood_makes_up() {
        let l = SignInLimiter::new();
        for i in 0..(MAX_KEYS + 5_000) {
            l.record_failure(&format!("{i:032x}"));
        }
        assert!(l.len() <= MAX_KEYS, "{} keys held", l.len());
        assert!(
            l.len() > MAX_KEYS / 2,
            "recent keys are kept, not thrown away"
        );
    }
}
