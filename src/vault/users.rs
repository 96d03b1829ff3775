//! The vault's members: `users.json` in the data folder.
//!
//! ```json
//! {"users": {"user1": {"salt": "<base64>", "iterations": 600000, "verifier": "<base64>"}}}
//! ```
//!
//! No password and no key is ever stored: only what checks a password (the HKDF
//! verifier of lesson 08's "How it protects a file", see [`crate::vault::keys`]).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::files::{self, StateError};
use crate::i18n::{Lang, Localized};
use crate::tr_in;
use crate::vault::keys::{self, KdfParams, KeyError, MasterKey};

/// Longest user name, in bytes.
pub const MAX_USER_NAME: usize = 64;

/// Why a user could not be added, changed or checked.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The name is refused; the text says why.
    BadName(String),
    /// `adduser` on an existing name.
    Exists(String),
    /// `passwd` or a lookup of a name `users.json` does not hold (the name).
    NoSuchUser(String),
    /// Unknown user or wrong password (deliberately one error: no user enumeration).
    BadCredentials,
    /// The password is refused.
    EmptyPassword,
    /// `users.json` could not be parsed.
    Damaged {
        /// `users.json` in the data folder.
        path: PathBuf,
        /// The JSON parser's complaint, with line and column.
        reason: String,
    },
    /// Key derivation failed.
    Key(#[from] KeyError),
    /// The file could not be read or written.
    Io {
        /// `users.json` in the data folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
}

impl Localized for UserError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            UserError::BadName(name) => {
                tr_in!(
                    lang,
                    "vault-error-bad-user-name",
                    name = format!("{name:?}")
                )
            }
            UserError::Exists(name) => tr_in!(lang, "vault-error-user-exists", name = name),
            UserError::NoSuchUser(name) => tr_in!(lang, "vault-error-no-such-user", name = name),
            UserError::BadCredentials => tr_in!(lang, "vault-error-wrong-credentials"),
            UserError::EmptyPassword => tr_in!(lang, "vault-error-empty-password"),
            UserError::Damaged { path, reason } => tr_in!(
                lang,
                "vault-error-damaged",
                path = path.display().to_string(),
                reason = reason
            ),
            UserError::Key(e) => e.message_in(lang),
            UserError::Io { path, source } => tr_in!(
                lang,
                "vault-error-cannot-use",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
        }
    }
}

crate::english_display!(UserError);

impl From<StateError> for UserError {
    fn from(e: StateError) -> Self {
        match e {
            StateError::File { path, source } => UserError::Io { path, source },
            StateError::Format { path, reason } => UserError::Damaged { path, reason },
        }
    }
}

/// One user's entry in `users.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    /// Salt, standard base64.
    pub salt: String,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// HKDF login verifier, standard base64 of 32 bytes.
    pub verifier: String,
}

impl UserRecord {
    /// A record for `password` with a fresh salt.
    pub fn new(password: &str, iterations: u32) -> Result<Self, UserError> {
        if password.is_empty() {
            return Err(UserError::EmptyPassword);
        }
        let params = KdfParams::generate(iterations)?;
        let verifier = MasterKey::derive(password, &params)?.verifier()?;
        Ok(UserRecord {
            salt: params.salt,
            iterations,
            verifier: STANDARD.encode(verifier),
        })
    }

    /// The parameters a client needs to derive the same keys (the login reply's `kdf`).
    pub fn kdf(&self) -> KdfParams {
        KdfParams {
            algorithm: keys::ALGORITHM.to_string(),
            salt: self.salt.clone(),
            iterations: self.iterations,
        }
    }

    /// A record no password matches (made once per process, with
    /// [`keys::DEFAULT_ITERATIONS`]): checking a password against it for an unknown user
    /// costs the same PBKDF2 run as for a known one, so timing does not tell which user
    /// names exist. Shared by the vault and the browser chat.
    pub fn dummy() -> Result<&'static UserRecord, UserError> {
        static DUMMY: OnceLock<Option<UserRecord>> = OnceLock::new();
        DUMMY
            .get_or_init(|| {
                let mut random = [0u8; 24];
                openssl::rand::rand_bytes(&mut random).ok()?;
                UserRecord::new(&STANDARD.encode(random), keys::DEFAULT_ITERATIONS).ok()
            })
            .as_ref()
            .ok_or(UserError::BadCredentials)
    }

    /// Derives the master key from `password` and checks it against the verifier
    /// (constant-time comparison). Costs one PBKDF2 run.
    pub fn check(&self, password: &str) -> Result<MasterKey, UserError> {
        let master = MasterKey::derive(password, &self.kdf())?;
        let expected = STANDARD
            .decode(&self.verifier)
            .map_err(|_| UserError::BadCredentials)?;
        if keys::verifiers_match(&master.verifier()?, &expected) {
            Ok(master)
        } else {
            Err(UserError::BadCredentials)
        }
    }
}

/// `users.json` as written: records that load, and records refused at load, kept as they
/// were so that saving does not silently delete them.
#[derive(Debug, Default, Serialize, Deserialize)]
struct UsersFile {
    users: BTreeMap<String, serde_json::Value>,
}

/// A record of `users.json` that was refused at load, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRecord {
    /// The name as the file spells it (escaped and cut when shown: it may be hostile).
    pub name: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks a user name: it becomes a folder name under `archives/`.
pub fn check_user_name(name: &str) -> Result<(), UserError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_USER_NAME
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(UserError::BadName(name.to_string()))
    }
}

/// The users of one data folder, loaded from and saved to `users.json`.
#[derive(Debug)]
pub struct Users {
    path: PathBuf,
    users: BTreeMap<String, UserRecord>,
    /// Refused records, as they were in the file: written back unchanged.
    refused: BTreeMap<String, serde_json::Value>,
    refused_why: Vec<RefusedRecord>,
}

impl Users {
    /// Loads `<data_dir>/users.json`; a missing file is an empty list of users. Each
    /// record is checked: a bad name (it becomes a folder name: `../../escape` must not)
    /// or a malformed record is refused, named in [`Users::refused`], and the others keep
    /// working. A file that is not JSON of the documented shape is an error.
    pub fn load(data_dir: &Path) -> Result<Self, UserError> {
        let path = data_dir.join("users.json");
        let file: UsersFile = files::load_json(&path)?.unwrap_or_default();
        let mut users = BTreeMap::new();
        let mut refused = BTreeMap::new();
        let mut refused_why = Vec::new();
        for (name, value) in file.users {
            let checked = check_user_name(&name)
                .map_err(|_| "the name is not a valid user name".to_string())
                .and_then(|()| {
                    serde_json::from_value::<UserRecord>(value.clone())
                        .map_err(|e| format!("the record is malformed: {e}"))
                });
            match checked {
                Ok(record) => {
                    users.insert(name, record);
                }
                Err(reason) => {
                    refused_why.push(RefusedRecord {
                        name: name.clone(),
                        reason,
                    });
                    refused.insert(name, value);
                }
            }
        }
        Ok(Users {
            path,
            users,
            refused,
            refused_why,
        })
    }

    /// The records refused at load (see [`Users::load`]).
    pub fn refused(&self) -> &[RefusedRecord] {
        &self.refused_why
    }

    /// Writes `users.json` atomically, creating the data folder if needed (see
    /// [`files::save_json`]). Records refused at load are written back as they were.
    pub fn save(&self) -> Result<(), UserError> {
        let mut file = UsersFile {
            users: self.refused.clone(),
        };
        for (name, record) in &self.users {
            let value = serde_json::to_value(record).map_err(|e| UserError::Io {
                path: self.path.clone(),
                source: e.into(),
            })?;
            file.users.insert(name.clone(), value);
        }
        Ok(files::save_json(&self.path, &file)?)
    }

    /// The file this list lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.users.contains_key(name)
    }

    /// A user's record.
    pub fn get(&self, name: &str) -> Option<&UserRecord> {
        self.users.get(name)
    }

    /// User names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.users.keys().cloned().collect()
    }

    /// Adds a user (in memory; call [`Users::save`]). Costs one PBKDF2 run.
    pub fn add(&mut self, name: &str, password: &str, iterations: u32) -> Result<(), UserError> {
        check_user_name(name)?;
        if self.contains(name) || self.refused.contains_key(name) {
            return Err(UserError::Exists(name.to_string()));
        }
        let record = UserRecord::new(password, iterations)?;
        self.users.insert(name.to_string(), record);
        Ok(())
    }

    /// Replaces a user's record (in memory; call [`Users::save`]).
    pub fn set(&mut self, name: &str, record: UserRecord) -> Result<(), UserError> {
        match self.users.get_mut(name) {
            Some(slot) => {
                *slot = record;
                Ok(())
            }
            None => Err(UserError::NoSuchUser(name.to_string())),
        }
    }
}
