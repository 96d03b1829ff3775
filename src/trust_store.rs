//! Trust stores: putting our CA where browsers and the system look for the CAs they
//! trust (`squirrel ca install`), taking it out again (`ca uninstall`), and saying
//! where it is (`ca inspect`). This is what mkcert does for its users
//! (`truststore_nss.go`, `truststore_linux.go`, `truststore_darwin.go`), so that a
//! student never learns to click through a certificate warning.
//!
//! - **NSS** (Chromium and Firefox on Linux keep their own list): `~/.pki/nssdb`
//!   (made if missing), Chromium's snap, and every Firefox profile with a `cert9.db`;
//!   edited with NSS's `certutil`, trust `C,,` (a CA for TLS servers), under a nickname
//!   that holds the CA's SHA-256 fingerprint, so uninstall removes exactly ours.
//! - **The system store**, as root: Debian/Ubuntu `/usr/local/share/ca-certificates/`
//!   and `update-ca-certificates`; Fedora `/etc/pki/ca-trust/source/anchors/` and
//!   `update-ca-trust`; macOS the System keychain through `security`. curl, Python
//!   and OpenSSL read it, so they then trust our servers without `--cacert`.
//!
//! `TRUST_STORES=nss,system` (mkcert's variable) picks the stores. Nothing here ever
//! touches a CA but ours, and the certificate files stay where they are.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, Utc};

use crate::i18n::{Lang, Localized};
use crate::pki::{self, PkiError};
use crate::{tr, tr_in};

/// Why the trust stores could not be read or changed. Its words come from the catalogs
/// (`locales/*/trust-store.ftl`, [`Localized`]); `Display` is the English one.
#[derive(Debug, thiserror::Error)]
pub enum TrustStoreError {
    /// The CA certificate could not be read.
    Pki(#[from] PkiError),
    /// The certificate is not a CA's: installing it would trust nothing it signed.
    NotACa(PathBuf),
    /// `TRUST_STORES` names a store we do not know.
    UnknownStore(String),
}

impl Localized for TrustStoreError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            TrustStoreError::Pki(e) => e.message_in(lang),
            TrustStoreError::NotACa(path) => tr_in!(
                lang,
                "trust-store-error-not-a-ca",
                path = path.display().to_string()
            ),
            TrustStoreError::UnknownStore(name) => tr_in!(
                lang,
                "trust-store-error-unknown-store",
                name = format!("{name:?}")
            ),
        }
    }
}

crate::english_display!(TrustStoreError);

/// A trust store's name, for a person: who reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreName {
    /// Chromium's NSS database, `~/.pki/nssdb`.
    Chromium,
    /// The Chromium snap's NSS database.
    ChromiumSnap,
    /// A Firefox profile's NSS database, by the profile's folder name.
    Firefox(String),
    /// Every NSS database at once (when certutil is missing).
    Nss,
    /// The operating system's store.
    System,
    /// macOS's System keychain.
    Keychain,
}

impl Localized for StoreName {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            StoreName::Chromium => tr_in!(lang, "trust-store-chromium"),
            StoreName::ChromiumSnap => tr_in!(lang, "trust-store-chromium-snap"),
            StoreName::Firefox(profile) => {
                tr_in!(lang, "trust-store-firefox", profile = profile)
            }
            StoreName::Nss => tr_in!(lang, "trust-store-nss"),
            StoreName::System => tr_in!(lang, "trust-store-system"),
            StoreName::Keychain => tr_in!(lang, "trust-store-keychain"),
        }
    }
}

crate::english_display!(StoreName);

/// Why a store was left alone, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// NSS's `certutil` is not on PATH; `install` is the command that installs it.
    NoCertutil {
        /// The install command for this platform, e.g. `sudo apt-get install libnss3-tools`.
        install: &'static str,
    },
    /// Changing the system store needs root; `action` is `install` or `uninstall`.
    NeedsRoot {
        /// The `ca` subcommand to run again with sudo.
        action: &'static str,
    },
    /// Windows: the system store is changed by hand.
    Windows,
    /// No system store squirrel knows how to change.
    NoSystemStore,
}

impl Localized for Skip {
    /// The reason, then the hint in parentheses.
    fn message_in(&self, lang: Lang) -> String {
        match self {
            Skip::NoCertutil { install } => {
                tr_in!(lang, "trust-store-skip-no-certutil", command = *install)
            }
            Skip::NeedsRoot { action } => {
                tr_in!(lang, "trust-store-skip-needs-root", action = *action)
            }
            Skip::Windows => tr_in!(lang, "trust-store-skip-windows"),
            Skip::NoSystemStore => tr_in!(lang, "trust-store-skip-no-system-store"),
        }
    }
}

crate::english_display!(Skip);

/// A kind of trust store, as `TRUST_STORES` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// NSS databases: Chromium and Firefox.
    Nss,
    /// The operating system's store: curl, Python, OpenSSL, and browsers that use it.
    System,
}

/// The stores to use: `TRUST_STORES` (comma-separated `nss`, `system`), or both when it
/// is unset or empty.
///
/// Errors: [`TrustStoreError::UnknownStore`].
pub fn selected_stores(trust_stores: Option<&str>) -> Result<Vec<StoreKind>, TrustStoreError> {
    let Some(list) = trust_stores.filter(|list| !list.trim().is_empty()) else {
        return Ok(vec![StoreKind::Nss, StoreKind::System]);
    };
    let mut kinds = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let kind = match name.to_ascii_lowercase().as_str() {
            "nss" => StoreKind::Nss,
            "system" => StoreKind::System,
            _ => return Err(TrustStoreError::UnknownStore(name.to_string())),
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// Our CA as the stores see it.
#[derive(Debug, Clone)]
pub struct Ca {
    /// The certificate file (PEM).
    pub path: PathBuf,
    /// Its common name (`Squirrel Local CA`).
    pub name: String,
    /// SHA-256 of the DER certificate, colon hex (`openssl x509 -fingerprint -sha256`).
    pub fingerprint: String,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    pem: Vec<u8>,
}

impl Ca {
    /// Reads a CA certificate (PEM or DER).
    ///
    /// Errors: [`TrustStoreError::Pki`] for an unreadable file or one that holds no
    /// certificate, [`TrustStoreError::NotACa`] for a leaf certificate.
    pub fn load(path: &Path) -> Result<Ca, TrustStoreError> {
        let summary = pki::inspect_file(path)?;
        if !summary.is_ca {
            return Err(TrustStoreError::NotACa(path.to_path_buf()));
        }
        // The stores want PEM; `inspect_file` has just read it as PEM or DER.
        let bytes = std::fs::read(path).map_err(|source| PkiError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let pem = openssl::x509::X509::from_pem(&bytes)
            .or_else(|_| openssl::x509::X509::from_der(&bytes))
            .and_then(|cert| cert.to_pem())
            .map_err(|source| PkiError::OpenSsl {
                doing: pki::Step::ReadingTheCACertificate,
                source,
            })?;
        let name = summary
            .subject
            .split(", ")
            .find_map(|part| part.strip_prefix("CN="))
            .unwrap_or(&summary.subject)
            .to_string();
        Ok(Ca {
            path: path.to_path_buf(),
            name,
            fingerprint: summary.sha256_fingerprint,
            not_after: summary.not_after,
            pem,
        })
    }

    /// The fingerprint as 64 hex digits, without colons.
    fn hex(&self) -> String {
        self.fingerprint.replace(':', "")
    }

    /// The NSS nickname: the name and the whole fingerprint, so uninstall finds ours
    /// and only ours (another `Squirrel Local CA`, made by another `ca init`, differs).
    pub fn nickname(&self) -> String {
        format!("{} {}", self.name, self.hex())
    }

    /// The file name in the system store's folders (`squirrel-<16 hex>.crt`).
    fn system_file_name(&self) -> String {
        format!("squirrel-{}.crt", &self.hex()[..16])
    }
}

impl Localized for Ca {
    /// `"Squirrel Local CA" (SHA-256 06:B8:…:42:17, valid until 3 Dec 2036)`.
    fn message_in(&self, lang: Lang) -> String {
        let fp = &self.fingerprint;
        let short = if fp.len() > 12 {
            format!("{}…{}", &fp[..5], &fp[fp.len() - 5..])
        } else {
            fp.clone()
        };
        tr_in!(
            lang,
            "trust-store-ca",
            name = self.name.as_str(),
            fingerprint = short,
            until = self.not_after.format("%-d %b %Y").to_string()
        )
    }
}

crate::english_display!(Ca);

/// One place a CA can be trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    /// NSS (a browser's database) or the system's store.
    pub kind: StoreKind,
    /// Who reads it: `Chromium (NSS)`, `Firefox profile abc.default (NSS)`,
    /// `the system store`.
    pub label: StoreName,
    /// Where it is: the NSS database folder, or the system store's folder.
    pub location: PathBuf,
    how: How,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum How {
    /// `certutil -d sql:DIR`; `create` when the database may be made (Chromium's).
    Nss { create: bool },
    /// Copy into a folder, then run a refresh command; `refresh_removed` after a
    /// removal (Debian's plain refresh rebuilds the bundle but leaves the removed
    /// certificate's links in /etc/ssl/certs, dangling).
    Folder {
        refresh: &'static [&'static str],
        refresh_removed: &'static [&'static str],
    },
    /// macOS keychain, through `security`.
    Keychain,
}

/// What happened to one store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The CA was added.
    Installed,
    /// The CA was there already; nothing changed.
    AlreadyInstalled,
    /// The CA was removed.
    Removed,
    /// The CA was not there; nothing changed.
    NotInstalled,
    /// The store was left alone, and why, with what to do.
    Skipped(Skip),
    /// A command failed; the store may be unchanged. The words are in the language in
    /// force (`crate::i18n::lang`), with the command's own complaint.
    Failed(String),
}

/// One line of an install or uninstall report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The store (or the kind of store) the line is about.
    pub label: StoreName,
    /// Where it is, if known.
    pub location: Option<PathBuf>,
    /// What happened.
    pub outcome: Outcome,
}

/// The NSS databases and system store this user can reach, for the selected kinds, with
/// a [`Report`] for each kind that is skipped (no `certutil`, not root, unknown system).
/// `home` is the user's home folder (`$HOME`).
pub fn find_stores(kinds: &[StoreKind], home: &Path) -> (Vec<Store>, Vec<Report>) {
    let mut stores = Vec::new();
    let mut skipped = Vec::new();
    if kinds.contains(&StoreKind::Nss) {
        if on_path("certutil").is_some() {
            stores.extend(nss_stores(home));
        } else {
            skipped.push(Report {
                label: StoreName::Nss,
                location: None,
                outcome: Outcome::Skipped(Skip::NoCertutil {
                    install: nss_tools_install(),
                }),
            });
        }
    }
    if kinds.contains(&StoreKind::System) {
        match system_store() {
            Ok(store) => stores.push(store),
            Err(skip) => skipped.push(Report {
                label: StoreName::System,
                location: None,
                outcome: Outcome::Skipped(skip),
            }),
        }
    }
    (stores, skipped)
}

/// Adds `ca` to every store found for `kinds` (see [`find_stores`]); running it again
/// changes nothing. The system store needs root: as another user it is skipped with
/// the `sudo` command to run.
pub fn install(ca: &Ca, kinds: &[StoreKind], home: &Path) -> Vec<Report> {
    change(ca, kinds, home, true)
}

/// Removes `ca` (and only it) from every store found for `kinds`; the certificate
/// files stay.
pub fn uninstall(ca: &Ca, kinds: &[StoreKind], home: &Path) -> Vec<Report> {
    change(ca, kinds, home, false)
}

/// Brings every store to `installed`, touching only those that differ.
fn change(ca: &Ca, kinds: &[StoreKind], home: &Path, installed: bool) -> Vec<Report> {
    let (stores, mut reports) = find_stores(kinds, home);
    for store in stores {
        let outcome = match is_installed(ca, &store) {
            Ok(now) if now == installed && installed => Outcome::AlreadyInstalled,
            Ok(now) if now == installed => Outcome::NotInstalled,
            _ if needs_root(&store) && !is_root() => {
                not_root(if installed { "install" } else { "uninstall" })
            }
            _ => match if installed {
                add(ca, &store)
            } else {
                remove(ca, &store)
            } {
                Ok(()) if installed => Outcome::Installed,
                Ok(()) => Outcome::Removed,
                Err(e) => Outcome::Failed(e),
            },
        };
        reports.push(report(&store, outcome));
    }
    reports
}

/// A store, and whether it holds the CA (`Err`: it could not be read, and why).
pub type StoreState = (Store, Result<bool, String>);

/// Whether `ca` is in each store found for `kinds`, with the skipped kinds.
pub fn status(ca: &Ca, kinds: &[StoreKind], home: &Path) -> (Vec<StoreState>, Vec<Report>) {
    let (stores, skipped) = find_stores(kinds, home);
    let found = stores
        .into_iter()
        .map(|store| {
            let installed = is_installed(ca, &store);
            (store, installed)
        })
        .collect();
    (found, skipped)
}

fn report(store: &Store, outcome: Outcome) -> Report {
    Report {
        label: store.label.clone(),
        location: Some(store.location.clone()),
        outcome,
    }
}

fn not_root(action: &'static str) -> Outcome {
    Outcome::Skipped(Skip::NeedsRoot { action })
}

fn needs_root(store: &Store) -> bool {
    store.kind == StoreKind::System
}

fn is_root() -> bool {
    // SAFETY: geteuid(2) cannot fail and touches no memory.
    unsafe { libc::geteuid() == 0 }
}

/// Chromium's database (made if missing, as Chromium itself would on first start),
/// Chromium's snap, and each Firefox profile that has a `cert9.db`.
fn nss_stores(home: &Path) -> Vec<Store> {
    let mut stores = vec![Store {
        kind: StoreKind::Nss,
        label: StoreName::Chromium,
        location: home.join(".pki/nssdb"),
        how: How::Nss { create: true },
    }];
    let snap_chromium = home.join("snap/chromium/current/.pki/nssdb");
    if snap_chromium.join("cert9.db").is_file() {
        stores.push(Store {
            kind: StoreKind::Nss,
            label: StoreName::ChromiumSnap,
            location: snap_chromium,
            how: How::Nss { create: false },
        });
    }
    for profiles in [
        home.join(".mozilla/firefox"),
        home.join("snap/firefox/common/.mozilla/firefox"),
    ] {
        let Ok(entries) = std::fs::read_dir(&profiles) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("cert9.db").is_file())
            .collect();
        found.sort();
        for profile in found {
            let name = profile
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            stores.push(Store {
                kind: StoreKind::Nss,
                label: StoreName::Firefox(name),
                location: profile,
                how: How::Nss { create: false },
            });
        }
    }
    stores
}

/// This machine's system store, or why there is none we know how to use.
fn system_store() -> Result<Store, Skip> {
    if cfg!(target_os = "macos") {
        return Ok(Store {
            kind: StoreKind::System,
            label: StoreName::Keychain,
            location: PathBuf::from("/Library/Keychains/System.keychain"),
            how: How::Keychain,
        });
    }
    if cfg!(windows) {
        return Err(Skip::Windows);
    }
    let debian = Path::new("/usr/local/share/ca-certificates");
    if debian.is_dir() && on_path("update-ca-certificates").is_some() {
        return Ok(Store {
            kind: StoreKind::System,
            label: StoreName::System,
            location: debian.to_path_buf(),
            how: How::Folder {
                refresh: &["update-ca-certificates"],
                refresh_removed: &["update-ca-certificates", "--fresh"],
            },
        });
    }
    let fedora = Path::new("/etc/pki/ca-trust/source/anchors");
    if fedora.is_dir() && on_path("update-ca-trust").is_some() {
        return Ok(Store {
            kind: StoreKind::System,
            label: StoreName::System,
            location: fedora.to_path_buf(),
            how: How::Folder {
                refresh: &["update-ca-trust", "extract"],
                refresh_removed: &["update-ca-trust", "extract"],
            },
        });
    }
    Err(Skip::NoSystemStore)
}

fn is_installed(ca: &Ca, store: &Store) -> Result<bool, String> {
    match &store.how {
        How::Nss { .. } => Ok(nss_find(ca, &store.location)?
            .is_some_and(|(_, trust)| trust.split(',').next().unwrap_or("").contains('C'))),
        How::Folder { .. } => Ok(std::fs::read(store.location.join(ca.system_file_name()))
            .is_ok_and(|bytes| bytes == ca.pem)),
        How::Keychain => {
            // Trusted as a root for SSL by the admin domain: what `add-trusted-cert -d`
            // makes.
            let out = run(Command::new("security")
                .args(["verify-cert", "-p", "ssl", "-c"])
                .arg(&ca.path))?;
            Ok(out.status.success())
        }
    }
}

fn add(ca: &Ca, store: &Store) -> Result<(), String> {
    match &store.how {
        How::Nss { create } => {
            if !store.location.join("cert9.db").is_file() {
                if !create {
                    return Err(tr!("trust-store-failed-no-database"));
                }
                std::fs::create_dir_all(&store.location).map_err(|e| {
                    tr!(
                        "trust-store-failed-make",
                        path = store.location.display().to_string(),
                        reason = e.to_string()
                    )
                })?;
                checked(
                    Command::new("certutil")
                        .args(["-N", "--empty-password", "-d"])
                        .arg(nss_dir(&store.location)),
                )?;
            }
            match nss_find(ca, &store.location)? {
                // Already there under another nickname (a .p12 import brings the CA
                // along, untrusted): trust that entry rather than add a twin.
                Some((nickname, trust)) => {
                    nss_set_trust(store, &nickname, &with_ssl_ca(&trust, true))
                }
                None => checked(
                    Command::new("certutil")
                        .args(["-A", "-t", "C,,", "-d"])
                        .arg(nss_dir(&store.location))
                        .args(["-n", &ca.nickname(), "-i"])
                        .arg(&ca.path),
                ),
            }
        }
        How::Folder { refresh, .. } => {
            let file = store.location.join(ca.system_file_name());
            std::fs::write(&file, &ca.pem).map_err(|e| {
                tr!(
                    "trust-store-failed-write",
                    path = file.display().to_string(),
                    reason = e.to_string()
                )
            })?;
            checked(Command::new(refresh[0]).args(&refresh[1..]))
        }
        How::Keychain => checked(
            Command::new("security")
                .args(["add-trusted-cert", "-d", "-r", "trustRoot", "-k"])
                .arg(&store.location)
                .arg(&ca.path),
        ),
    }
}

fn remove(ca: &Ca, store: &Store) -> Result<(), String> {
    match &store.how {
        How::Nss { .. } => match nss_find(ca, &store.location)? {
            Some((nickname, _)) if nickname == ca.nickname() => checked(
                Command::new("certutil")
                    .args(["-D", "-d"])
                    .arg(nss_dir(&store.location))
                    .args(["-n", &nickname]),
            ),
            // Someone else's entry (a .p12 import): take back only the trust we gave.
            Some((nickname, trust)) => nss_set_trust(store, &nickname, &with_ssl_ca(&trust, false)),
            None => Ok(()),
        },
        How::Folder {
            refresh_removed, ..
        } => {
            let file = store.location.join(ca.system_file_name());
            std::fs::remove_file(&file).map_err(|e| {
                tr!(
                    "trust-store-failed-remove",
                    path = file.display().to_string(),
                    reason = e.to_string()
                )
            })?;
            checked(Command::new(refresh_removed[0]).args(&refresh_removed[1..]))
        }
        How::Keychain => {
            checked(
                Command::new("security")
                    .args(["remove-trusted-cert", "-d"])
                    .arg(&ca.path),
            )?;
            checked(Command::new("security").args([
                "delete-certificate",
                "-Z",
                &sha1_hex(&ca.pem)?,
                "/Library/Keychains/System.keychain",
            ]))
        }
    }
}

/// The nickname and trust attributes (`C,,`) under which an NSS database holds our
/// CA's certificate, found by its bytes rather than its nickname: a `.p12` import
/// stores the same certificate under a nickname of its own.
fn nss_find(ca: &Ca, dir: &Path) -> Result<Option<(String, String)>, String> {
    if !dir.join("cert9.db").is_file() {
        return Ok(None);
    }
    let ours = openssl::x509::X509::from_pem(&ca.pem)
        .and_then(|cert| cert.to_der())
        .map_err(|e| e.to_string())?;
    let list = run(Command::new("certutil")
        .args(["-L", "-d"])
        .arg(nss_dir(dir)))?;
    for line in String::from_utf8_lossy(&list.stdout).lines() {
        // `Nickname with spaces      C,,`: the trust attributes are the last word.
        let Some((nickname, trust)) = line.trim_end().rsplit_once(char::is_whitespace) else {
            continue;
        };
        let nickname = nickname.trim_end();
        if nickname.is_empty() || trust.matches(',').count() != 2 {
            continue;
        }
        let pem = run(Command::new("certutil")
            .args(["-L", "-a", "-d"])
            .arg(nss_dir(dir))
            .args(["-n", nickname]))?;
        let same = openssl::x509::X509::stack_from_pem(&pem.stdout)
            .unwrap_or_default()
            .iter()
            .any(|cert| cert.to_der().is_ok_and(|der| der == ours));
        if same {
            return Ok(Some((nickname.to_string(), trust.to_string())));
        }
    }
    Ok(None)
}

/// Trust attributes `ssl,email,objsign` with the SSL CA flag `C` added or taken away,
/// the rest kept.
fn with_ssl_ca(trust: &str, ca: bool) -> String {
    let (ssl, rest) = trust.split_once(',').unwrap_or((trust, ","));
    let mut ssl: String = ssl.chars().filter(|&c| c != 'C').collect();
    if ca {
        ssl.insert(0, 'C');
    }
    format!("{ssl},{rest}")
}

fn nss_set_trust(store: &Store, nickname: &str, trust: &str) -> Result<(), String> {
    checked(
        Command::new("certutil")
            .args(["-M", "-d"])
            .arg(nss_dir(&store.location))
            .args(["-n", nickname, "-t", trust]),
    )
}

/// `sql:DIR`, NSS's name for a cert9.db database.
fn nss_dir(dir: &Path) -> String {
    format!("sql:{}", dir.display())
}

fn sha1_hex(pem: &[u8]) -> Result<String, String> {
    let cert = openssl::x509::X509::from_pem(pem).map_err(|e| e.to_string())?;
    let digest = cert
        .digest(openssl::hash::MessageDigest::sha1())
        .map_err(|e| e.to_string())?;
    Ok(crate::hex::encode_upper(&digest))
}

/// Runs a store's command with its output captured.
fn run(command: &mut Command) -> Result<std::process::Output, String> {
    command.stdin(Stdio::null()).output().map_err(|e| {
        tr!(
            "trust-store-failed-run",
            program = format!("{:?}", command.get_program()),
            reason = e.to_string()
        )
    })
}

/// Runs a store's command; its first line of complaint when it fails.
fn checked(command: &mut Command) -> Result<(), String> {
    let out = run(command)?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Err(tr!(
        "trust-store-failed-command",
        program = command.get_program().to_string_lossy().into_owned(),
        status = out.status.to_string(),
        reason = why.trim()
    ))
}

/// The install line of NSS's tools on this platform.
fn nss_tools_install() -> &'static str {
    if cfg!(target_os = "macos") {
        "brew install nss"
    } else if Path::new("/etc/fedora-release").exists() || Path::new("/etc/redhat-release").exists()
    {
        "sudo dnf install nss-tools"
    } else {
        "sudo apt-get install libnss3-tools"
    }
}

/// Where `program` is on PATH, as a shell would find it.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|file| file.is_file())
}
