//! The vault server: its state (users, sessions, archives, the upload policy), its
//! start-up (development certificates, the listener, warnings about file modes) and how
//! it is served: behind mutual TLS on the shared accept loop ([`crate::server`]). The
//! wire protocol, routing and handlers are in [`super::api`]; the contract is lesson
//! 08's text (`lessons/08-vault.md`).

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::i18n::{Lang, Localized};
use crate::pki;
use crate::server::{loggable, Handler, Limits, Server, ServerHandle, Transport};
use crate::tls;
use crate::vault::archive::{self, ArchiveError};
use crate::vault::keys::DEFAULT_ITERATIONS;
use crate::vault::sessions::Sessions;
use crate::vault::storage::Storage;
use crate::vault::throttle::LoginThrottle;
use crate::vault::users::{UserError, UserRecord, Users};
use crate::{tr, tr_in};

/// The demo accounts `--demo` adds: the original project's test users.
pub const DEMO_USERS: [(&str, &str); 2] = [("user1", "password1"), ("user2", "password2")];

/// What the vault allows each upload and each member, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Largest upload (default 64 MiB); told to clients in the login reply, so they
    /// can bound what they download.
    pub max_upload: u64,
    /// Most bytes of archives one member may keep on disk (default 1 GiB); 0: no quota.
    pub quota: u64,
    /// Free space an upload must leave on the data folder's disk (default 1 GiB);
    /// 0: no check.
    pub min_free: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_upload: 64 << 20,
            quota: 1 << 30,
            min_free: 1 << 30,
        }
    }
}

/// Why the vault could not start or change its users.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// `users.json` could not be read, is damaged, or a user could not be added.
    Users(#[from] UserError),
    /// The archive folder could not be opened or cleaned of a crash's leftovers.
    Storage(#[from] ArchiveError),
    /// The development certificates could not be made or read.
    Pki(#[from] pki::PkiError),
    /// TLS set-up problem.
    Tls(#[from] tls::TlsError),
    /// The address could not be bound.
    Bind {
        /// `HOST:PORT` as given (`--host`, `--port`).
        addr: String,
        /// The socket error: address in use, permission denied (ports below 1024).
        #[source]
        source: std::io::Error,
    },
    /// Anything else from the operating system.
    Io(#[from] std::io::Error),
}

impl Localized for VaultError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            VaultError::Users(e) => e.message_in(lang),
            VaultError::Storage(e) => e.message_in(lang),
            VaultError::Pki(e) => e.message_in(lang),
            VaultError::Tls(e) => e.message_in(lang),
            VaultError::Bind { addr, source } => tr_in!(
                lang,
                "net-cannot-listen",
                addr = addr,
                reason = source.to_string()
            ),
            VaultError::Io(e) => e.to_string(),
        }
    }
}

crate::english_display!(VaultError);

/// The vault's state: users, sessions and archives. Handles requests without a socket.
#[derive(Debug)]
pub struct Vault {
    pub(super) data_dir: PathBuf,
    pub(super) sessions: Sessions,
    pub(super) throttle: LoginThrottle,
    pub(super) storage: Storage,
    pub(super) policy: Policy,
    /// Bytes reserved by uploads in flight, per member: counted by the quota and the
    /// free-space checks, so concurrent uploads cannot each pass alone and overfill.
    pub(super) reserved: Mutex<HashMap<String, u64>>,
}

impl Vault {
    /// Opens the data folder (creating it): `users.json` and `archives/`, with the
    /// default [`Policy`].
    pub fn open(data_dir: &Path) -> Result<Self, VaultError> {
        Vault::open_with(data_dir, Policy::default())
    }

    /// Opens the data folder with this policy (upload size, quota, free space).
    pub fn open_with(data_dir: &Path, policy: Policy) -> Result<Self, VaultError> {
        std::fs::create_dir_all(data_dir)?;
        // Fail at start, not at the first login, if users.json is damaged.
        let users = Users::load(data_dir)?;
        for refused in users.refused() {
            log::warn!(
                "vault: {}: the record {:?} is ignored: {}",
                users.path().display(),
                loggable(&refused.name),
                refused.reason
            );
        }
        Ok(Vault {
            data_dir: data_dir.to_path_buf(),
            sessions: Sessions::default(),
            throttle: LoginThrottle::default(),
            storage: Storage::open(data_dir)?,
            policy,
            reserved: Mutex::new(HashMap::new()),
        })
    }

    /// The policy this vault enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub(super) fn reserved(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.reserved.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The users, read afresh: `vault adduser` and `vault passwd` take effect without a
    /// restart, and a read costs little beside a login's PBKDF2 run.
    pub(super) fn users(&self) -> Result<Users, UserError> {
        Users::load(&self.data_dir)
    }

    /// Adds the missing demo users and saves; returns the names added.
    pub fn add_demo_users(&self) -> Result<Vec<String>, VaultError> {
        let mut users = self.users()?;
        let mut added = Vec::new();
        for (name, password) in DEMO_USERS {
            if !users.contains(name) {
                users.add(name, password, DEFAULT_ITERATIONS)?;
                added.push(name.to_string());
            }
        }
        if !added.is_empty() {
            users.save()?;
        }
        Ok(added)
    }

    /// Changes `user`'s password from `old` to `new` and re-encrypts the user's
    /// archives with the new archive key; returns how many archives were re-encrypted.
    ///
    /// Every archive is verified and re-encrypted into a temporary file (a piece at a
    /// time, whatever its size) before any is replaced, so a wrong old password or a
    /// damaged archive changes nothing. A crash while the archives are being renamed
    /// over can leave some under the old key: stop the server first, and keep backups.
    pub fn change_password(&self, user: &str, old: &str, new: &str) -> Result<usize, VaultError> {
        let mut users = self.users()?;
        let record = users
            .get(user)
            .cloned()
            .ok_or_else(|| UserError::NoSuchUser(user.to_string()))?;
        let old_key = record.check(old)?.archive_key().map_err(UserError::from)?;
        let new_record = UserRecord::new(new, record.iterations.max(DEFAULT_ITERATIONS))?;
        let new_key = new_record
            .check(new)?
            .archive_key()
            .map_err(UserError::from)?;
        // Every archive is verified and written anew under the new key into a temporary
        // file first, a piece at a time; only when all succeeded are they renamed over.
        let mut resealed = Vec::new();
        for archive in self.storage.list(user)? {
            let (file, _) = self.storage.open_archive(user, &archive)?;
            let opened = archive::OpenedArchive::open(file, &old_key)?;
            let temp = self.storage.temporary(user)?;
            let temp = archive::reseal_to(opened, &new_key, temp)?;
            resealed.push((archive, temp));
        }
        let count = resealed.len();
        for (archive, temp) in resealed {
            self.storage.replace(user, &archive, temp)?;
        }
        users.set(user, new_record)?;
        users.save()?;
        Ok(count)
    }
}

/// Start-up warnings about files others could change or read, as OpenSSH's StrictModes
/// checks: a group- or world-writable data folder, `users.json` or archive folder (anyone
/// in that group could add a member or swap archives), and private keys in `certs_dir`
/// that others can write or read. Each says the `chmod` that fixes it. Also names the
/// records of `users.json` that were refused.
pub fn startup_warnings(data_dir: &Path, certs_dir: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut warnings = Vec::new();
    let mode = |path: &Path| std::fs::metadata(path).ok().map(|m| m.permissions().mode());
    for path in [
        data_dir.to_path_buf(),
        data_dir.join("users.json"),
        data_dir.join("archives"),
    ] {
        if let Some(mode) = mode(&path) {
            if mode & 0o022 != 0 {
                let path = path.display().to_string();
                let octal = format!("{:o}", mode & 0o777);
                warnings.push(if mode & 0o002 != 0 {
                    tr!(
                        "vault-warning-writable-by-everyone",
                        path = &path,
                        mode = octal
                    )
                } else {
                    tr!(
                        "vault-warning-writable-by-group",
                        path = &path,
                        mode = octal
                    )
                });
            }
        }
    }
    let keys = std::fs::read_dir(certs_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "key"));
    for key in keys {
        if let Some(mode) = mode(&key) {
            if mode & 0o077 != 0 {
                warnings.push(tr!(
                    "vault-warning-key-mode",
                    path = key.display().to_string(),
                    mode = format!("{:o}", mode & 0o777)
                ));
            }
        }
    }
    if let Ok(users) = Users::load(data_dir) {
        for refused in users.refused() {
            warnings.push(tr!(
                "vault-warning-record-ignored",
                path = users.path().display().to_string(),
                name = format!("{:?}", loggable(&refused.name)),
                reason = refused.reason.to_string()
            ));
        }
    }
    warnings
}

/// How to run a vault server (`squirrel vault serve`).
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind, e.g. `127.0.0.1:5000` (`0.0.0.0:5000` for a classroom).
    pub addr: String,
    /// Data folder: `users.json` and `archives/`.
    pub data_dir: PathBuf,
    /// Certificate folder: `ca.crt`, `server.crt`, `server.key` (made on first start).
    pub certs_dir: PathBuf,
    /// Connection limits; `max_body` is the upload limit in bytes.
    pub limits: Limits,
    /// Number of accept loops on the listener (at least 1).
    pub workers: usize,
}

/// A vault that is listening.
pub struct Running {
    /// The server; dropping it stops the server.
    pub handle: ServerHandle,
    /// Certificates made on this start (empty when they existed).
    pub issued: Vec<pki::Issued>,
    /// The shared state (for adding users while running, in tests).
    pub vault: Arc<Vault>,
    /// What the keeper should fix ([`startup_warnings`]).
    pub warnings: Vec<String>,
}

/// Makes the development PKI if `certs_dir` has none, opens the data folder, binds and
/// starts serving on background threads.
pub fn start(options: &ServeOptions, vault: Arc<Vault>) -> Result<Running, VaultError> {
    let issued = pki::ensure_dev_pki(&options.certs_dir)?;
    let certs = &options.certs_dir;
    let acceptor = tls::server_acceptor(
        &certs.join(pki::SERVER_CERT),
        &certs.join(pki::SERVER_KEY),
        Some(&certs.join(pki::CA_CERT)),
    )?;
    let listener = TcpListener::bind(&options.addr).map_err(|source| VaultError::Bind {
        addr: options.addr.clone(),
        source,
    })?;
    let handler: Arc<dyn Handler> = vault.clone();
    let handle = Server::new("vault", listener, Transport::OpenSsl(acceptor), handler)
        .limits(options.limits.clone())
        .workers(options.workers)
        .spawn()?;
    let warnings = startup_warnings(&options.data_dir, &options.certs_dir);
    Ok(Running {
        handle,
        issued,
        vault,
        warnings,
    })
}
