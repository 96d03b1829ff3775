//! The client's remembered settings, `config.json` in its state folder, as the original
//! client kept them: `{"host", "port", "username"}` and, only when the member asked
//! ("remember me"), `"password"` — in clear, so the file is written with mode 0600 and
//! the password is offered only to the same server and user it was saved for.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::{self, StateError};
use crate::i18n::{Lang, Localized};
use crate::tr_in;

/// The file name of the remembered settings in the state folder.
pub const CONFIG_FILE: &str = "config.json";

/// Why the remembered settings could not be read, written or removed.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read, written or removed.
    File {
        /// `config.json`.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// The file is not the expected JSON.
    Format {
        /// `config.json`.
        path: PathBuf,
        /// The parser's complaint.
        reason: String,
    },
}

impl Localized for ConfigError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            ConfigError::File { path, source } => tr_in!(
                lang,
                "vault-error-file",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            ConfigError::Format { path, reason } => tr_in!(
                lang,
                "vault-error-not-a-config",
                path = path.display().to_string(),
                reason = reason
            ),
        }
    }
}

crate::english_display!(ConfigError);

/// What `config.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// The vault's host name or address.
    pub host: String,
    /// The vault's port.
    pub port: u16,
    /// The member's user name.
    pub username: String,
    /// The password, only when the member asked to remember it. Stored in clear: the
    /// vault derives the archive key from it, so a hash would not do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl ClientConfig {
    /// The server as `HOST:PORT` (`[::1]:5000` for an IPv6 address).
    pub fn server(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The remembered password, but only for the same server and user: a password
    /// saved for one vault is never sent to another.
    pub fn password_for(&self, host: &str, port: u16, user: &str) -> Option<&str> {
        (self.host == host && self.port == port && self.username == user)
            .then_some(self.password.as_deref())
            .flatten()
    }
}

/// The path of `config.json` in the state folder `dir`.
pub fn path(dir: &Path) -> PathBuf {
    dir.join(CONFIG_FILE)
}

/// Reads `dir/config.json`; `None` when there is none.
pub fn load(dir: &Path) -> Result<Option<ClientConfig>, ConfigError> {
    Ok(files::load_json(&path(dir))?)
}

/// Writes `dir/config.json` atomically with mode 0600 (owner only): the temporary file
/// is created 0600 before any byte is written, so the password is never readable by
/// others, not even for a moment. Returns the path.
pub fn save(dir: &Path, config: &ClientConfig) -> Result<PathBuf, ConfigError> {
    let path = path(dir);
    files::save_json(&path, config)?;
    Ok(path)
}

impl From<StateError> for ConfigError {
    fn from(e: StateError) -> Self {
        match e {
            StateError::File { path, source } => ConfigError::File { path, source },
            StateError::Format { path, reason } => ConfigError::Format { path, reason },
        }
    }
}

/// Removes `dir/config.json`; returns whether there was one.
pub fn forget(dir: &Path) -> Result<bool, ConfigError> {
    let path = path(dir);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(ConfigError::File { path, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(password: Option<&str>) -> ClientConfig {
        ClientConfig {
            host: "localhost".into(),
            port: 5000,
            username: "user1".into(),
            password: password.map(str::to_string),
        }
    }

    #[test]
    fn config_round_trips_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
        let path = save(dir.path(), &sample(Some("password1"))).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(sample(Some("password1"))));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(forget(dir.path()).unwrap());
        assert!(!forget(dir.path()).unwrap());
    }

    #[test]
    fn no_password_key_is_written_unless_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), &sample(None)).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.contains("password"), "{text}");
    }

    #[test]
    fn remembered_password_is_offered_only_to_its_own_server_and_user() {
        let config = sample(Some("password1"));
        assert_eq!(
            config.password_for("localhost", 5000, "user1"),
            Some("password1")
        );
        assert_eq!(config.password_for("localhost", 5001, "user1"), None);
        assert_eq!(config.password_for("evil.example", 5000, "user1"), None);
        assert_eq!(config.password_for("localhost", 5000, "user2"), None);
    }

    #[test]
    fn ipv6_hosts_get_brackets() {
        let mut config = sample(None);
        config.host = "::1".into();
        assert_eq!(config.server(), "[::1]:5000");
    }
}
