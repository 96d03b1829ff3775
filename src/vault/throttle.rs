//! Slowing down password guessing: after [`MAX_FAILURES`] failed logins for one user name
//! within [`WINDOW`], further attempts for that name are refused (429 with
//! `Retry-After`) until the oldest failure leaves the window. Other users are not
//! affected, and a refused attempt costs the server no PBKDF2 run.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins allowed per user name within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;

/// The sliding window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Most user names tracked at once, so a spray of made-up names cannot grow memory
/// without bound; names beyond it are not throttled until old entries expire.
const MAX_TRACKED: usize = 10_000;

/// A login refused by the throttle: how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed logins for this user: try again in {seconds} s")]
pub struct Refusal {
    /// Whole seconds to wait (the `Retry-After` value).
    pub seconds: u64,
}

/// Recent login failures per user name.
#[derive(Debug)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    max_failures: usize,
    window: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(MAX_FAILURES, WINDOW)
    }
}

impl LoginThrottle {
    /// Allows `max_failures` failures per name within `window`.
    pub fn new(max_failures: usize, window: Duration) -> Self {
        LoginThrottle {
            failures: Mutex::new(HashMap::new()),
            max_failures: max_failures.max(1),
            window,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Ok` when `user` may try to log in now, else how long to wait.
    pub fn check(&self, user: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut map = self.lock();
        let Some(times) = map.get_mut(user) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() < self.max_failures {
            if times.is_empty() {
                map.remove(user);
            }
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now);
        Err((oldest + self.window).saturating_duration_since(now))
    }

    /// Like [`LoginThrottle::check`], for a server about to check a password: a
    /// refusal is logged (prefixed with `server`, e.g. `vault`) and says how many whole
    /// seconds to wait, for the 429's message and `Retry-After`.
    pub fn admit(&self, server: &str, user: &str) -> Result<(), Refusal> {
        self.check(user).map_err(|wait| {
            let seconds = wait.as_secs() + 1;
            log::warn!("{server}: too many failed logins for {user:?}; refused for {seconds} s");
            Refusal { seconds }
        })
    }

    /// Records a failed login for `user`.
    pub fn failed(&self, user: &str) {
        let now = Instant::now();
        let mut map = self.lock();
        if !map.contains_key(user) && map.len() >= MAX_TRACKED {
            let window = self.window;
            map.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
            if map.len() >= MAX_TRACKED {
                return;
            }
        }
        let times = map.entry(user.to_string()).or_default();
        times.push_back(now);
        while times.len() > self.max_failures {
            times.pop_front();
        }
    }

    /// Forgets `user`'s failures after a successful login.
    pub fn succeeded(&self, user: &str) {
        self.lock().remove(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_that_name_only_until_the_window_passes() {
        let throttle = LoginThrottle::new(5, Duration::from_millis(300));
        for _ in 0..5 {
            assert!(throttle.check("nutkin").is_ok());
            throttle.failed("nutkin");
        }
        let wait = throttle.check("nutkin").unwrap_err();
        assert!(wait <= Duration::from_millis(300) && !wait.is_zero());
        assert!(
            throttle.check("user2").is_ok(),
            "another user is not slowed"
        );
        std::thread::sleep(Duration::from_millis(350));
        assert!(throttle.check("nutkin").is_ok());
    }

    #[test]
    fn success_clears_the_count() {
        let throttle = LoginThrottle::new(2, Duration::from_secs(60));
        throttle.failed("a");
        throttle.succeeded("a");
        throttle.failed("a");
        assert!(throttle.check("a").is_ok());
    }
}
