//! Slowing down password guessing: after [`MAX_FAILURES`] failed logins for one user name
//! from one client address within [`WINDOW`], further attempts for that name from that
//! address are refused (429 with `Retry-After`) until the oldest failure leaves the
//! window. A refused attempt costs the server no PBKDF2 run.
//!
//! Two properties matter in a classroom, where everyone holds a client certificate:
//!
//! - **Atomic**: a login is counted when it *starts* ([`LoginThrottle::begin`]), not
//!   when its PBKDF2 run ends, so eight workers checking eight guesses at once cannot
//!   slip past the limit: attempts in flight count as failures until they end.
//! - **Per address**: a student who keeps guessing a classmate's password locks out
//!   only their own address; the owner, from theirs, still logs in.
//!
//! Entries expire with time (swept at most once per window), and their number is
//! bounded, so a spray of user names cannot grow memory without end.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::http::ApiError;

/// Failed logins allowed per user name and client address within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;

/// The sliding window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);

/// Most (user, address) pairs tracked at once; past it, the pair whose last failure is
/// oldest is forgotten.
const MAX_TRACKED: usize = 10_000;

type Key = (String, IpAddr);

#[derive(Debug, Default)]
struct Entry {
    /// When each recent failure happened, oldest first.
    failures: VecDeque<Instant>,
    /// Attempts started and not yet ended.
    in_flight: usize,
}

#[derive(Debug)]
struct State {
    entries: HashMap<Key, Entry>,
    last_sweep: Instant,
}

/// Recent login failures per (user name, client address).
#[derive(Debug)]
pub struct LoginThrottle {
    state: Mutex<State>,
    max_failures: usize,
    window: Duration,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle::new(MAX_FAILURES, WINDOW)
    }
}

/// A login refused by the throttle: how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed logins for this user from your address: try again in {seconds} s")]
pub struct Refusal {
    /// Whole seconds to wait (the `Retry-After` value).
    pub seconds: u64,
}

impl From<Refusal> for ApiError {
    /// 429 Too Many Requests, with `Retry-After` (RFC 6585 §4): the same refusal from
    /// the vault and the web chat.
    fn from(refusal: Refusal) -> Self {
        ApiError::new(429, refusal.to_string()).header("Retry-After", refusal.seconds.to_string())
    }
}

/// A login attempt that was allowed to start: end it with [`Attempt::failed`] or
/// [`Attempt::succeeded`]. Dropped without either (a server error), it counts for
/// nothing.
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    key: Option<Key>,
}

impl Attempt<'_> {
    /// The password was wrong: the attempt becomes a failure.
    pub fn failed(mut self) {
        if let Some(key) = self.key.take() {
            let now = Instant::now();
            let mut state = self.throttle.lock();
            let entry = state.entries.entry(key).or_default();
            entry.in_flight = entry.in_flight.saturating_sub(1);
            entry.failures.push_back(now);
            while entry.failures.len() > self.throttle.max_failures {
                entry.failures.pop_front();
            }
        }
    }

    /// The password was right: this address's failures for the user are forgotten.
    pub fn succeeded(mut self) {
        if let Some(key) = self.key.take() {
            self.throttle.lock().entries.remove(&key);
        }
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            let mut state = self.throttle.lock();
            if let Some(entry) = state.entries.get_mut(&key) {
                entry.in_flight = entry.in_flight.saturating_sub(1);
                if entry.in_flight == 0 && entry.failures.is_empty() {
                    state.entries.remove(&key);
                }
            }
        }
    }
}

impl LoginThrottle {
    /// Allows `max_failures` failures per (name, address) within `window`.
    pub fn new(max_failures: usize, window: Duration) -> Self {
        LoginThrottle {
            state: Mutex::new(State {
                entries: HashMap::new(),
                last_sweep: Instant::now(),
            }),
            max_failures: max_failures.max(1),
            window,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// [`LoginThrottle::begin`] for a server about to check a password: a refusal is
    /// logged (prefixed with `server`, e.g. `vault`, and the peer) and says how many
    /// whole seconds to wait, for the 429's message and `Retry-After`. `user` is logged
    /// as given: check it against the name rule first.
    pub fn admit(
        &self,
        server: &str,
        user: &str,
        peer: SocketAddr,
    ) -> Result<Attempt<'_>, Refusal> {
        self.begin(user, peer.ip()).map_err(|wait| {
            let seconds = wait.as_secs() + 1;
            log::warn!(
                "{server}: {peer}: too many failed logins for {user}; refused for {seconds} s"
            );
            Refusal { seconds }
        })
    }

    /// Starts a login attempt for `user` from `from`, or says how long to wait. The
    /// check and the count happen under one lock: attempts in flight count as failures
    /// until they end.
    pub fn begin(&self, user: &str, from: IpAddr) -> Result<Attempt<'_>, Duration> {
        let now = Instant::now();
        let window = self.window;
        let mut state = self.lock();
        if now.duration_since(state.last_sweep) >= window {
            state.entries.retain(|_, e| {
                e.in_flight > 0
                    || e.failures
                        .back()
                        .is_some_and(|t| now.duration_since(*t) < window)
            });
            state.last_sweep = now;
        }
        let key = (user.to_string(), from);
        if !state.entries.contains_key(&key) && state.entries.len() >= MAX_TRACKED {
            let stalest = state
                .entries
                .iter()
                .filter(|(_, e)| e.in_flight == 0)
                .min_by_key(|(_, e)| e.failures.back().copied())
                .map(|(k, _)| k.clone());
            if let Some(stalest) = stalest {
                state.entries.remove(&stalest);
            }
        }
        let entry = state.entries.entry(key.clone()).or_default();
        while entry
            .failures
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            entry.failures.pop_front();
        }
        if entry.failures.len() + entry.in_flight >= self.max_failures {
            // Attempts in flight end within a PBKDF2 run; failures leave with the window.
            let wait = match entry.failures.front() {
                Some(oldest) => (*oldest + window).saturating_duration_since(now),
                None => Duration::from_secs(1),
            };
            if entry.failures.is_empty() && entry.in_flight == 0 {
                state.entries.remove(&key);
            }
            return Err(wait.max(Duration::from_millis(1)));
        }
        entry.in_flight += 1;
        Ok(Attempt {
            throttle: self,
            key: Some(key),
        })
    }

    /// Number of (user, address) pairs tracked now.
    pub fn tracked(&self) -> usize {
        self.lock().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    const OTHER: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn five_failures_block_that_name_from_that_address_only_until_the_window_passes() {
        let throttle = LoginThrottle::new(5, Duration::from_millis(300));
        for _ in 0..5 {
            throttle.begin("nutkin", HOME).unwrap().failed();
        }
        let wait = throttle.begin("nutkin", HOME).unwrap_err();
        assert!(wait <= Duration::from_millis(300) && !wait.is_zero());
        assert!(
            throttle.begin("user2", HOME).is_ok(),
            "another user is not slowed"
        );
        assert!(
            throttle.begin("nutkin", OTHER).is_ok(),
            "the owner, from another address, is not locked out"
        );
        std::thread::sleep(Duration::from_millis(350));
        assert!(throttle.begin("nutkin", HOME).is_ok());
    }

    #[test]
    fn attempts_in_flight_count_so_concurrent_guesses_cannot_pass_the_limit() {
        let throttle = LoginThrottle::new(5, Duration::from_secs(60));
        let started: Vec<_> = (0..24)
            .filter_map(|_| throttle.begin("nutkin", HOME).ok())
            .collect();
        assert_eq!(started.len(), 5);
        for attempt in started {
            attempt.failed();
        }
        // The sixth must wait: for the window's length at most, and not for nothing.
        let wait = throttle
            .begin("nutkin", HOME)
            .expect_err("a sixth guess at once was let through");
        assert!(wait > Duration::ZERO && wait <= throttle.window, "{wait:?}");
    }

    #[test]
    fn success_clears_the_count_and_an_unfinished_attempt_counts_for_nothing() {
        let throttle = LoginThrottle::new(2, Duration::from_secs(60));
        throttle.begin("a", HOME).unwrap().failed();
        throttle.begin("a", HOME).unwrap().succeeded();
        throttle.begin("a", HOME).unwrap().failed();
        drop(throttle.begin("a", HOME).unwrap());
        assert!(throttle.begin("a", HOME).is_ok());
    }

    #[test]
    fn entries_expire_with_time() {
        let throttle = LoginThrottle::new(5, Duration::from_millis(100));
        for i in 0..50 {
            throttle.begin(&format!("name{i}"), HOME).unwrap().failed();
        }
        assert_eq!(throttle.tracked(), 50);
        std::thread::sleep(Duration::from_millis(150));
        // The next attempt sweeps what the window has left behind.
        throttle.begin("late", HOME).unwrap().failed();
        assert_eq!(throttle.tracked(), 1);
    }
}
