//! A limit on survey posts from one address, so one machine cannot fill the
//! database or the write queue with made-up responses. The address is used
//! only here, in memory, and never stored.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Survey posts one address may send: up to 240 at once, then one every
/// quarter of a second (240 a minute).
///
/// Why 240: a school, a college or a youth club puts every phone behind one
/// address. A class of 35 answering together, each phone sending perhaps
/// three times (a slip to correct, a retry on a weak signal), is about 105
/// posts in a minute; a second class in the next room doubles it to 210. 240
/// leaves room above that, and a whole year group that keeps going only waits
/// a few seconds now and then (told when to send again, answers kept). A
/// flood, a script sending thousands a minute, is held to 4 a second, which
/// the database takes without noticing.
pub const SURVEY_POSTS_PER_MINUTE: u32 = 240;

/// Addresses remembered at once (about 100 bytes each: 10 MB at most). Past
/// this, addresses whose quota has refilled are forgotten (at most once a
/// second, so a flood cannot make every post scan the map); if every one is
/// recent, posts are let through uncounted rather than refused: turning every
/// young person away because someone made up a hundred thousand addresses
/// would hand them the off switch. The bounded wait for a write still holds
/// the database's load.
pub const MAX_ADDRESSES: usize = 100_000;

/// How often addresses whose quota has refilled are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);
/// How often, at most, a full map is pruned.
const PRUNE_WHEN_FULL_EVERY: Duration = Duration::from_secs(1);

pub struct AnswerLimiter {
    posts: DefaultKeyedRateLimiter<String>,
    last_pruned: Mutex<Instant>,
}

impl AnswerLimiter {
    fn pruned_within(&self, within: Duration) -> bool {
        self.last_pruned
            .lock()
            .map(|last| last.elapsed() < within)
            .unwrap_or(true)
    }
}

impl Default for AnswerLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl AnswerLimiter {
    pub fn new() -> Self {
        Self::with_quota(SURVEY_POSTS_PER_MINUTE)
    }

    /// A limiter allowing `per_minute` posts a minute per address.
    pub fn with_quota(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        AnswerLimiter {
            posts: RateLimiter::keyed(Quota::per_minute(per_minute)),
            last_pruned: Mutex::new(Instant::now()),
        }
    }

    /// Counts one post from `address`. `Err` says how long to wait first.
    pub fn check(&self, address: &str) -> Result<(), Duration> {
        self.prune_now_and_then();
        let key = Self::key(address);
        if self.posts.len() >= MAX_ADDRESSES {
            if !self.pruned_within(PRUNE_WHEN_FULL_EVERY) {
                self.prune();
            }
            if self.posts.len() >= MAX_ADDRESSES {
                return Ok(());
            }
        }
        self.posts.check_key(&key).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .max(Duration::from_secs(1))
        })
    }

    /// Addresses remembered now.
    pub fn addresses(&self) -> usize {
        self.posts.len()
    }

    /// Forgets addresses whose quota has refilled.
    pub fn prune(&self) {
        self.posts.retain_recent();
        self.posts.shrink_to_fit();
        *self.last_pruned.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn prune_now_and_then(&self) {
        let due = self
            .last_pruned
            .try_lock()
            .is_ok_and(|last| last.elapsed() >= PRUNE_EVERY);
        if due {
            self.prune();
        }
    }

    /// An IPv6 address counts by its /64: one phone or home network is given
    /// a whole /64, so counting single addresses would let one machine be
    /// millions of people.
    pub fn key(address: &str) -> String {
        match address.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            _ => address.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_may_post_its_quota_at_once_and_then_waits() {
        let l = AnswerLimiter::new();
        for i in 0..SURVEY_POSTS_PER_MINUTE {
            assert_eq!(l.check("10.0.0.1"), Ok(()), "post {i}");
        }
        let wait = l.check("10.0.0.1").expect_err("over the limit");
        assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(60));
        assert_eq!(
            l.check("10.0.0.2"),
            Ok(()),
            "another address is not held up"
        );
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        assert_eq!(
            AnswerLimiter::key("2001:db8:1:2:aaaa::1"),
            AnswerLimiter::key("2001:db8:1:2:bbbb:cccc:dddd:eeee")
        );
        assert_ne!(
            AnswerLimiter::key("2001:db8:1:2::1"),
            AnswerLimiter::key("2001:db8:1:3::1")
        );
        assert_eq!(AnswerLimiter::key("192.0.2.7"), "192.0.2.7");
        let l = AnswerLimiter::with_quota(2);
        assert!(l.check("2001:db8::1").is_ok() && l.check("2001:db8::2").is_ok());
        assert!(l.check("2001:db8::3").is_err(), "one /64, one count");
    }

    #[test]
    fn addresses_whose_quota_refilled_are_forgotten() {
        let l = AnswerLimiter::with_quota(600);
        assert!(l.check("10.0.0.1").is_ok());
        l.prune();
        assert_eq!(l.addresses(), 1, "still counting");
        // One post of 600 a minute refills in 0.1 s, and governor forgets a
        // key one refill later: half a second is ample, and never too short.
        std::thread::sleep(Duration::from_millis(500));
        l.prune();
        assert_eq!(l.addresses(), 0);
    }

    #[test]
    fn the_addresses_remembered_are_capped() {
        // One post a minute: nobody's quota refills during the test, so
        // pruning can forget no one.
        let l = AnswerLimiter::with_quota(1);
        for i in 0..MAX_ADDRESSES as u32 {
            let a = std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string();
            assert!(l.check(&a).is_ok());
        }
        assert_eq!(l.addresses(), MAX_ADDRESSES);
        assert!(
            l.check("192.0.2.1").is_ok(),
            "nobody is turned away because the map is full"
        );
        assert_eq!(
            l.addresses(),
            MAX_ADDRESSES,
            "and the newcomer is not remembered"
        );
    }
}
