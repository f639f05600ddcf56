//! At most five failed sign-ins a minute for one account from one address;
//! after that, 429 with `Retry-After` until the quota refills.
//!
//! Two counts keep that promise: governor's, in this process (no database
//! round trip for a flood), and the database's, shared by every server behind
//! a load balancer ([`shared_wait`]).

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FAILURES_PER_MINUTE: u32 = 5;

pub struct SignInLimiter {
    failures: RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>,
    locked_until: Mutex<HashMap<String, Instant>>,
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
        }
    }

    pub fn key(email: &str, address: &str) -> String {
        format!("{}|{address}", email.trim().to_lowercase())
    }

    /// How long this key must wait before trying again, if it is locked out.
    pub fn locked(&self, key: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut locked = self.locked_until.lock().unwrap_or_else(|e| e.into_inner());
        locked.retain(|_, until| *until > now);
        locked.get(key).map(|until| *until - now)
    }

    /// Records a failure. Returns the wait if this failure used up the quota.
    pub fn record_failure(&self, key: &str) -> Option<Duration> {
        match self.failures.check_key(&key.to_string()) {
            Ok(()) => None,
            Err(not_until) => {
                let wait = not_until
                    .wait_time_from(DefaultClock::default().now())
                    .max(Duration::from_secs(1));
                let mut locked = self.locked_until.lock().unwrap_or_else(|e| e.into_inner());
                locked.insert(key.to_string(), Instant::now() + wait);
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
        let key = SignInLimiter::key("Worker@Example.org", "127.0.0.1");
        for _ in 0..FAILURES_PER_MINUTE {
            assert_eq!(l.record_failure(&key), None);
            assert_eq!(l.locked(&key), None);
        }
        let wait = l.record_failure(&key).expect("locked");
        assert!(wait <= Duration::from_secs(60));
        assert!(l.locked(&key).is_some());
        assert_eq!(
            l.locked(&SignInLimiter::key("worker@example.org", "127.0.0.2")),
            None
        );
        assert!(
            l.locked(&SignInLimiter::key("worker@example.org", "127.0.0.1"))
                .is_some(),
            "email case does not matter"
        );
    }
}
