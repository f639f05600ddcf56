//! Passwords: argon2id, hashed off the async runtime. At least 12 characters,
//! no composition rules.

use argon2::password_hash::{rand_core::OsRng, PasswordHash as Phc, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;
pub use super::ONE_TIME_DAYS;

/// When a one-time password given out now stops working.
pub fn one_time_until() -> i64 {
    crate::db::now() + ONE_TIME_DAYS * 24 * 60 * 60
}

/// A stored argon2id hash. Deliberately neither `Serialize` nor `Display`.
#[derive(Clone)]
pub struct PasswordHash(String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

impl PasswordHash {
    pub fn from_stored(s: String) -> Self {
        PasswordHash(s)
    }

    pub fn as_stored(&self) -> &str {
        &self.0
    }
}

/// Checks the length rule; the message is shown to the person choosing it.
/// A one-time password to hand to a new colleague: 20 characters from an
/// alphabet without look-alikes (no 0/o, 1/l/i), about 99 bits. Its holder must
/// choose their own at first sign-in.
pub fn one_time() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub fn check_new(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Err(format!(
            "Passwords must be at least {MIN_LENGTH} characters long."
        ))
    } else if n > MAX_LENGTH {
        Err(format!(
            "Passwords must be at most {MAX_LENGTH} characters long."
        ))
    } else {
        Ok(())
    }
}

pub async fn hash(password: String) -> Result<PasswordHash, crate::error::AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            crate::error::AppError::Unexpected
        })?
}

fn hash_blocking(password: &str) -> Result<PasswordHash, crate::error::AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| PasswordHash(h.to_string()))
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            crate::error::AppError::Unexpected
        })
}

thread_local! {
    /// Argon2 passes made on this thread, so the gate can count each job's.
    static PASSES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The one way heard gets an argon2 hasher: every pass is counted.
fn argon2() -> Argon2<'static> {
    PASSES.with(|p| p.set(p.get() + 1));
    Argon2::default()
}

/// A hash of nothing anyone knows, made once with the same parameters as
/// every real hash, so checking a password for an email with no account costs
/// exactly what checking one for a real account costs: one argon2 pass.
static DECOY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    argon2()
        .hash_password(
            crate::random::token::<32>().as_bytes(),
            &SaltString::generate(&mut OsRng),
        )
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Makes the decoy now (at start-up) rather than during someone's first sign-in.
pub fn warm_up() {
    std::sync::LazyLock::force(&DECOY);
}

/// Checks `password` against `stored` (or against the decoy, made with the
/// same parameters, when there is no account) on this thread: one argon2
/// pass either way, which keeps response times from telling anyone whether
/// an account exists.
fn verify_blocking(password: &str, stored: Option<&PasswordHash>) -> bool {
    let phc_text = stored.map(|h| h.0.as_str()).unwrap_or(DECOY.as_str());
    let matches = Phc::new(phc_text)
        .map(|phc| argon2().verify_password(password.as_bytes(), &phc).is_ok())
        .unwrap_or(false);
    stored.is_some() && matches
}

/// Verifies off the runtime, without the queue (the command line and tests).
/// People signing in go through [`PasswordGate::verify`].
pub async fn verify(password: String, stored: Option<PasswordHash>) -> bool {
    tokio::task::spawn_blocking(move || verify_blocking(&password, stored.as_ref()))
        .await
        .unwrap_or(false)
}

/// How many password checks may wait for a free worker before the next is
/// turned away with "busy".
pub const MAX_WAITING: usize = 32;
/// The longest anyone waits for their password to be checked.
pub const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

type Job = Box<dyn FnOnce() + Send>;

/// Password hashing for requests, on a few threads of its own (one per
/// core) behind a short queue; beyond the queue, [`AppError::Busy`] at once.
/// Each argon2 pass holds about 19 MiB: run on the runtime's blocking pool,
/// a flood spread them over hundreds of threads, each keeping its own
/// allocator arena, and memory grew by hundreds of megabytes. Here it is
/// bounded by the number of workers, whatever arrives. A job whose request
/// went away still runs (the queue is short), and its place is given back
/// when it does.
///
/// [`AppError::Busy`]: crate::error::AppError::Busy
pub struct PasswordGate {
    jobs: std::sync::mpsc::SyncSender<Job>,
    /// Argon2 passes made for requests, for checking that every sign-in
    /// costs the same whether or not its account exists.
    passes: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for PasswordGate {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordGate::new(cores, MAX_WAITING)
    }
}

impl PasswordGate {
    /// `workers` threads, and up to `max_waiting` jobs queued for them. The
    /// threads end when the gate is dropped.
    pub fn new(workers: usize, max_waiting: usize) -> Self {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(max_waiting);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..workers.max(1) {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("heard-password-{i}"))
                .spawn(move || loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = started {
                tracing::error!(error = %e, "could not start a password worker");
            }
        }
        PasswordGate {
            jobs,
            passes: std::sync::Arc::default(),
        }
    }

    /// How many argon2 passes requests have cost so far.
    pub fn passes(&self) -> u64 {
        self.passes.load(std::sync::atomic::Ordering::SeqCst)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let passes = self.passes.clone();
        let job: Job = Box::new(move || {
            let before = PASSES.with(|p| p.get());
            let value = work();
            let made = PASSES.with(|p| p.get()) - before;
            passes.fetch_add(made, std::sync::atomic::Ordering::SeqCst);
            let _ = done.send(value);
        });
        self.jobs
            .try_send(job)
            .map_err(|_| crate::error::AppError::Busy)?;
        match tokio::time::timeout(MAX_WAIT, result).await {
            Ok(Ok(value)) => Ok(value),
            _ => Err(crate::error::AppError::Busy),
        }
    }

    /// [`verify`], in turn.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<PasswordHash>,
    ) -> Result<bool, crate::error::AppError> {
        self.run(move || verify_blocking(&password, stored.as_ref()))
            .await
    }

    /// [`hash`], in turn.
    pub async fn hash(&self, password: String) -> Result<PasswordHash, crate::error::AppError> {
        self.run(move || hash_blocking(&password)).await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_the_only_rule() {
        assert!(check_new("short").is_err());
        assert!(check_new("correct horse").is_ok());
        assert!(check_new("aaaaaaaaaaaa").is_ok());
        assert!(check_new(&"a".repeat(MAX_LENGTH + 1)).is_err());
    }

    #[test]
    fn one_time_passwords_are_long_unambiguous_and_different() {
        let (a, b) = (one_time(), one_time());
        assert_ne!(a, b);
        assert_eq!(a.len(), 20);
        assert!(check_new(&a).is_ok());
        assert!(
            !a.chars().any(|c| "01ilo".contains(c)),
            "no look-alikes to misread over the phone: {a}"
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let h = hash("a long enough password".into()).await.unwrap();
        assert!(h.as_stored().starts_with("$argon2id$"));
        assert!(verify("a long enough password".into(), Some(h.clone())).await);
        assert!(!verify("a long enough passworD".into(), Some(h)).await);
        assert!(!verify("decoy-password-x".into(), None).await);
    }

    #[test]
    fn an_unknown_account_costs_exactly_what_a_known_one_does() {
        let h = PasswordHash(
            Argon2::default()
                .hash_password(b"a long enough password", &SaltString::generate(&mut OsRng))
                .unwrap()
                .to_string(),
        );
        assert!(!verify_blocking("wrong password here", Some(&h)));
        assert!(verify_blocking("a long enough password", Some(&h)));
        assert!(!verify_blocking("a long enough password", None));
        // Same parameters, so the same cost per pass.
        let decoy = Phc::new(&DECOY).unwrap();
        let real = Phc::new(&h.0).unwrap();
        assert_eq!(decoy.params, real.params);
        assert_eq!(decoy.algorithm, real.algorithm);
    }

    #[tokio::test]
    async fn a_request_that_goes_away_gives_its_place_in_the_queue_back() {
        let gate = std::sync::Arc::new(PasswordGate::new(1, 1));
        // The one worker is busy until told to stop.
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let worker = gate.clone();
        let busy = tokio::spawn(async move {
            worker
                .run(move || {
                    let _ = wait.recv();
                })
                .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        // One waits in the queue, then its request goes away.
        let waiting =
            tokio::time::timeout(std::time::Duration::from_millis(50), gate.run(|| ())).await;
        assert!(waiting.is_err(), "it was still waiting when dropped");
        assert_eq!(
            gate.run(|| ()).await,
            Err(crate::error::AppError::Busy),
            "the queue is full"
        );
        release.send(()).unwrap();
        let _ = busy.await;
        // The dropped one ran and left: there is room again.
        let mut served = false;
        for _ in 0..50 {
            if gate.run(|| ()).await.is_ok() {
                served = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(served, "the queue is not left full");
    }

    #[tokio::test]
    async fn a_full_queue_is_turned_away_at_once_and_the_rest_are_served() {
        let gate = std::sync::Arc::new(PasswordGate::new(1, 2));
        let h = hash("a long enough password".into()).await.unwrap();
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (gate, h) = (gate.clone(), h.clone());
                tokio::spawn(
                    async move { gate.verify("a long enough password".into(), Some(h)).await },
                )
            })
            .collect();
        let mut served = 0;
        let mut busy = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(true) => served += 1,
                Err(crate::error::AppError::Busy) => busy += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(served >= 1, "someone is served");
        assert!(
            busy >= 1,
            "beyond one running and two waiting, some are turned away"
        );
        assert_eq!(served + busy, 12);
    }
}
