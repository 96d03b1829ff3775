//! Logged-in sessions: a random id (UUID v4, 122 random bits) mapped to the user and
//! what the server keeps for the session — the vault's archive key, nothing for the
//! browser chat (lesson 09) — in memory only. A server restart logs everyone out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::vault::keys::ArchiveKey;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// A session ends this long after login, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::from_secs(12 * 60 * 60);

/// What a session id grants: whose data, and what the server keeps for the session
/// (`T`: the vault's [`ArchiveKey`], `()` for the chat).
#[derive(Debug, Clone)]
pub struct Session<T = ArchiveKey> {
    /// The member this session belongs to (a name `users.json` holds).
    pub user: String,
    /// What the server keeps for this session (the vault: the user's archive key).
    pub data: T,
    created: Instant,
    last_seen: Instant,
}

/// All sessions of a server, behind one lock.
#[derive(Debug)]
pub struct Sessions<T = ArchiveKey> {
    map: Mutex<HashMap<String, Session<T>>>,
    idle: Duration,
    absolute: Duration,
}

impl<T: Clone> Default for Sessions<T> {
    fn default() -> Self {
        Sessions::new(IDLE_TIMEOUT, ABSOLUTE_TIMEOUT)
    }
}

/// The first 8 characters of a session id: enough to follow one in the logs, not
/// enough to use it.
pub fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or("?")
}

impl<T: Clone> Sessions<T> {
    /// Sessions that end after `idle` without use or `absolute` after login.
    pub fn new(idle: Duration, absolute: Duration) -> Self {
        Sessions {
            map: Mutex::new(HashMap::new()),
            idle,
            absolute,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session<T>>> {
        // A panic elsewhere while holding the lock leaves the map usable.
        self.map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a session for `user` keeping `data`; returns its id (UUID v4, hyphenated).
    pub fn create(&self, user: &str, data: T) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let now = Instant::now();
        let mut map = self.lock();
        let (idle, absolute) = (self.idle, self.absolute);
        map.retain(|_, s| !expired(s, now, idle, absolute));
        map.insert(
            id.clone(),
            Session {
                user: user.to_string(),
                data,
                created: now,
                last_seen: now,
            },
        );
        id
    }

    /// The live session with this id, marking it used; an expired one is removed.
    pub fn get(&self, id: &str) -> Option<Session<T>> {
        let now = Instant::now();
        let mut map = self.lock();
        let session = map.get_mut(id)?;
        if expired(session, now, self.idle, self.absolute) {
            map.remove(id);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends a session; false when there was none.
    pub fn remove(&self, id: &str) -> bool {
        self.lock().remove(id).is_some()
    }

    /// Number of live sessions.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether there are no sessions.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn expired<T>(s: &Session<T>, now: Instant, idle: Duration, absolute: Duration) -> bool {
    now.duration_since(s.last_seen) > idle || now.duration_since(s.created) > absolute
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ArchiveKey {
        use crate::vault::keys::{KdfParams, MasterKey};
        let params = KdfParams::generate(crate::vault::keys::MIN_ITERATIONS).unwrap();
        MasterKey::derive("pw", &params)
            .unwrap()
            .archive_key()
            .unwrap()
    }

    #[test]
    fn idle_sessions_expire_and_busy_ones_stay_until_the_absolute_limit() {
        let sessions: Sessions =
            Sessions::new(Duration::from_millis(200), Duration::from_millis(500));
        let idle = sessions.create("user1", key());
        let busy = sessions.create("user2", key());
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(120));
            assert!(
                sessions.get(&busy).is_some(),
                "a session in use stays alive"
            );
        }
        assert!(sessions.get(&idle).is_none(), "an idle session expires");
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            sessions.get(&busy).is_none(),
            "every session ends at the absolute limit"
        );
        assert!(sessions.is_empty());
    }

    #[test]
    fn logout_removes_and_ids_are_uuid_v4() {
        let sessions: Sessions = Sessions::default();
        let id = sessions.create("user1", key());
        assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
        assert_eq!(short_id(&id).len(), 8);
        assert!(sessions.remove(&id));
        assert!(!sessions.remove(&id));
    }
}
