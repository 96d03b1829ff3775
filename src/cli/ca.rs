//! `squirrel ca …`: lesson 05, becoming a certificate authority. Each subcommand is one
//! step of the tutorial; the work is done by [`squirrel::pki`], this module only reads
//! options and tells the user what was made, mkcert style.

use std::env::{self, VarError};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use squirrel::i18n::{lang, Lang, Localized};
use squirrel::pki::{self, CaOptions, CsrOptions, IssueOptions, KeyType, LeafProfile, PkiError};
use squirrel::tr;
use squirrel::trust_store::{self, Ca, Outcome, TrustStoreError};

use crate::Failure;

/// Become your own certificate authority (CA): make the CA, certificate signing requests
/// (CSRs) and the certificates the CA signs, then read and check them.
///
/// Quick start: `squirrel ca init`, `squirrel ca issue --server`, `squirrel ca issue
/// --client`; the files go to certs/ (see certs/README.md for what each one is).
#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Make the CA: a key (ca.key) and a self-signed certificate (ca.crt) valid 10 years.
    ///
    /// Whoever trusts ca.crt trusts every certificate the CA signs, so ca.key is the
    /// secret here: encrypt it with --passphrase-env (else it is written unencrypted,
    /// readable only by you).
    ///
    /// Example: `CA_PASS=hazelnut squirrel ca init --passphrase-env CA_PASS`
    Init(InitArgs),
    /// Make a key (NAME.key) and a certificate signing request (NAME.csr) for the CA.
    ///
    /// The CSR is what a server's owner sends to a CA; the private key stays at home.
    /// A server's request asks for the names localhost, 127.0.0.1 and ::1, plus any
    /// --dns/--ip.
    ///
    /// Example: `squirrel ca csr --server --dns vault.local --ip 192.168.1.20`
    Csr(CsrArgs),
    /// Sign a CSR with the CA: writes NAME.crt (NAME from the CSR's file name).
    ///
    /// The CA checks the CSR's signature, takes only its subject and names (SAN), and
    /// decides the rest itself from --server or --client. For a client whose key sits
    /// in the folder, also writes NAME.p12 for browsers.
    ///
    /// Example: `squirrel ca sign certs/server.csr --server --days 90`
    Sign(SignArgs),
    /// Key, CSR and certificate in one step (csr + sign), plus NAME.p12 for a client.
    ///
    /// NAME.p12 bundles the client's key and certificate with the CA, for a browser to
    /// import (certs/README.md says how).
    ///
    /// To renew a certificate before it ends (`ca inspect` says when), issue it again with
    /// --force: a new key and a new certificate, for the same names.
    ///
    /// Example: `squirrel ca issue --server --dns vault.local` then `squirrel ca issue
    /// --client --name alice`
    Issue(IssueArgs),
    /// Read a certificate (PEM or DER) in plain words.
    ///
    /// Who it is for, who vouches for it, from when until when, what it may do, and its
    /// fingerprint. Inspecting is not verifying: see `ca verify`.
    ///
    /// Example: `squirrel ca inspect certs/server.crt --json`
    Inspect(InspectArgs),
    /// Check a certificate against the CA, and say which check failed.
    ///
    /// The signature chain to ca.crt (strict X.509 rules, as `openssl verify
    /// -x509_strict`; when only those fail, each broken rule is named), the dates, the
    /// usage (TLS server or client: by default the roles its extended key usage names),
    /// and for a server the names in subjectAltName. Exit code 1 when one fails.
    ///
    /// Example: `squirrel ca verify certs/client.crt --client`
    Verify(VerifyArgs),
    /// Trust the CA in this machine's browsers and system store, as mkcert does.
    ///
    /// Adds ca.crt to the NSS databases of Chromium (~/.pki/nssdb, made if missing) and
    /// Firefox (each profile), through NSS's certutil (package libnss3-tools), and, as
    /// root, to the system store (Debian/Ubuntu, Fedora, macOS), which curl and Python
    /// read. Browsers then open our HTTPS servers without a warning: never click
    /// through one. Running it again changes nothing; `ca uninstall` takes it back.
    /// TRUST_STORES=nss,system picks the stores.
    ///
    /// Example: `squirrel ca install`, then `sudo squirrel ca install` for curl and Python
    Install(TrustArgs),
    /// Take the CA out of every trust store `ca install` put it in; the files stay.
    ///
    /// Removes only this CA (its nickname holds its fingerprint), never another.
    /// TRUST_STORES=nss,system picks the stores.
    ///
    /// Example: `squirrel ca uninstall`
    Uninstall(TrustArgs),
}

/// The certificate folder, shared by every subcommand.
#[derive(Debug, Args)]
pub struct DirArg {
    /// Folder holding ca.crt, ca.key and the certificates.
    #[arg(long, value_name = "DIR", default_value = pki::DEFAULT_DIR)]
    dir: PathBuf,
}

/// The key type of a new key.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum KeyTypeArg {
    /// ECDSA P-256: small and fast.
    #[default]
    P256,
    /// RSA 2048 bits: the tutorial's choice.
    Rsa2048,
}

impl From<KeyTypeArg> for KeyType {
    fn from(arg: KeyTypeArg) -> KeyType {
        match arg {
            KeyTypeArg::P256 => KeyType::P256,
            KeyTypeArg::Rsa2048 => KeyType::Rsa2048,
        }
    }
}

/// `--server` or `--client`, exactly one.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RoleArgs {
    /// A TLS server certificate (extended key usage serverAuth).
    #[arg(long)]
    server: bool,
    /// A TLS client certificate for mutual TLS (extended key usage clientAuth).
    #[arg(long)]
    client: bool,
}

impl RoleArgs {
    fn profile(&self) -> LeafProfile {
        if self.client {
            LeafProfile::Client
        } else {
            LeafProfile::Server
        }
    }
}

/// `--server` or `--client` for `verify`, both optional.
#[derive(Debug, Args)]
#[group(required = false, multiple = false)]
pub struct VerifyRoleArgs {
    /// Check that it may be a TLS server.
    #[arg(long)]
    server: bool,
    /// Check that it may be a TLS client.
    #[arg(long)]
    client: bool,
}

/// Options of `ca init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    #[command(flatten)]
    dir: DirArg,
    /// The CA key's type.
    #[arg(long, value_enum, default_value_t)]
    key_type: KeyTypeArg,
    /// Name of the environment variable holding a passphrase to encrypt ca.key with.
    #[arg(long, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Replace an existing ca.crt and ca.key (every certificate it signed stops being
    /// trusted).
    #[arg(long)]
    force: bool,
    /// Make the CA the tutorial's way, for the lesson only: RSA 2048 and only a critical
    /// basicConstraints CA:TRUE (no keyUsage, no subjectKeyIdentifier), so strict
    /// verifiers (openssl verify -x509_strict, Python 3.13) refuse what it signs.
    #[arg(long, conflicts_with = "key_type")]
    tutorial_compat: bool,
}

/// What a certificate signing request asks for: the same in `ca csr` and `ca issue`.
#[derive(Debug, Args)]
pub struct RequestArgs {
    #[command(flatten)]
    role: RoleArgs,
    /// Certificate name: the CN, and the stem of its files (NAME.key, NAME.csr and, once
    /// signed, NAME.crt and NAME.p12) [default: server or client].
    #[arg(long)]
    name: Option<String>,
    /// An extra DNS name the server answers to (repeatable).
    #[arg(long = "dns", value_name = "NAME")]
    dns: Vec<String>,
    /// An extra IP address the server answers on (repeatable).
    #[arg(long = "ip", value_name = "ADDR")]
    ips: Vec<IpAddr>,
    /// The new key's type.
    #[arg(long, value_enum, default_value_t)]
    key_type: KeyTypeArg,
}

impl RequestArgs {
    /// The library's options for this request (`force`: replace NAME.key and NAME.csr).
    fn options(self, force: bool) -> CsrOptions {
        let profile = self.role.profile();
        CsrOptions {
            name: self
                .name
                .unwrap_or_else(|| profile.default_name().to_string()),
            profile,
            dns: self.dns,
            ips: self.ips,
            key_type: self.key_type.into(),
            force,
        }
    }
}

/// Options of `ca csr`.
#[derive(Debug, Args)]
pub struct CsrArgs {
    #[command(flatten)]
    request: RequestArgs,
    /// Replace an existing NAME.key and NAME.csr.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    dir: DirArg,
}

/// Options of `ca sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The certificate signing request (PEM), e.g. certs/server.csr.
    csr: PathBuf,
    #[command(flatten)]
    role: RoleArgs,
    /// Days the certificate is valid (at most 825: Apple refuses longer).
    #[arg(long, default_value_t = pki::DEFAULT_LEAF_DAYS)]
    days: u32,
    /// Name of the environment variable holding ca.key's passphrase.
    #[arg(long, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Name of the environment variable holding the NAME.p12 password [default: a
    /// random one, printed once].
    #[arg(long, value_name = "VAR")]
    p12_password_env: Option<String>,
    /// Replace an existing NAME.crt (and NAME.p12).
    #[arg(long)]
    force: bool,
    /// Sign the tutorial's way, for the lesson only: the CSR's names and no other
    /// extension (no keyUsage, no key identifiers), so strict verifiers refuse it.
    #[arg(long)]
    tutorial_compat: bool,
    #[command(flatten)]
    dir: DirArg,
}

/// Options of `ca issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    #[command(flatten)]
    request: RequestArgs,
    /// Days the certificate is valid (at most 825: Apple refuses longer).
    #[arg(long, default_value_t = pki::DEFAULT_LEAF_DAYS)]
    days: u32,
    /// Name of the environment variable holding ca.key's passphrase.
    #[arg(long, value_name = "VAR")]
    passphrase_env: Option<String>,
    /// Name of the environment variable holding the NAME.p12 password [default: a
    /// random one, printed once].
    #[arg(long, value_name = "VAR")]
    p12_password_env: Option<String>,
    /// Replace existing files.
    #[arg(long)]
    force: bool,
    /// Make it the tutorial's way, for the lesson only: an RSA 2048 key, only the
    /// --dns/--ip names (none by default: the name is then only in the CN), no keyUsage,
    /// no key identifiers. Strict verifiers refuse it.
    #[arg(long, conflicts_with = "key_type")]
    tutorial_compat: bool,
    #[command(flatten)]
    dir: DirArg,
}

/// Options of `ca inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The certificate, PEM or DER.
    file: PathBuf,
    /// Print JSON (dates in RFC 3339) instead of words.
    #[arg(long)]
    json: bool,
}

/// Options of `ca install` and `ca uninstall`.
#[derive(Debug, Args)]
pub struct TrustArgs {
    #[command(flatten)]
    dir: DirArg,
}

/// Options of `ca verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The certificate to check.
    file: PathBuf,
    #[command(flatten)]
    role: VerifyRoleArgs,
    /// Folder holding ca.crt, the CA to check against.
    #[arg(long, value_name = "DIR", default_value = pki::DEFAULT_DIR)]
    dir: PathBuf,
}

/// Runs one `ca` subcommand.
pub fn run(command: CaCommand) -> Result<(), crate::Failure> {
    match command {
        CaCommand::Init(args) => init(args),
        CaCommand::Csr(args) => csr(args),
        CaCommand::Sign(args) => sign(args),
        CaCommand::Issue(args) => issue(args),
        CaCommand::Inspect(args) => inspect(args),
        CaCommand::Verify(args) => verify(args),
        CaCommand::Install(args) => trust(args, true),
        CaCommand::Uninstall(args) => trust(args, false),
    }
}

fn init(args: InitArgs) -> Result<(), Failure> {
    let options = CaOptions {
        key_type: args.key_type.into(),
        passphrase: secret_from_env(args.passphrase_env.as_deref(), "--passphrase-env")?,
        force: args.force,
        tutorial_compat: args.tutorial_compat,
    };
    let issued = pki::init_ca(&args.dir.dir, &options).map_err(pki_failure)?;
    report(&issued);
    let next = if args.tutorial_compat {
        "squirrel ca issue --server --tutorial-compat"
    } else {
        "squirrel ca issue --server"
    };
    println!(
        "{}",
        tr!("ca-next-init", command = with_dir(next, &args.dir.dir))
    );
    Ok(())
}

fn csr(args: CsrArgs) -> Result<(), Failure> {
    let options = args.request.options(args.force);
    let dir = &args.dir.dir;
    let csr_path = pki::make_csr(dir, &options).map_err(pki_failure)?;
    let summary = pki::read_csr(&csr_path).map_err(pki_failure)?;
    let names = if summary.names.is_empty() {
        summary.subject
    } else {
        summary.names.join(", ")
    };
    println!(
        "{}",
        tr!(
            "ca-csr-created",
            csr = csr_path.display().to_string(),
            names = names,
            key = dir
                .join(format!("{}.key", options.name))
                .display()
                .to_string()
        )
    );
    let role = match options.profile {
        LeafProfile::Server => "--server",
        LeafProfile::Client => "--client",
    };
    println!(
        "{}",
        tr!(
            "ca-next-sign",
            command = with_dir(
                &format!("squirrel ca sign {} {role}", csr_path.display()),
                dir
            )
        )
    );
    Ok(())
}

fn sign(args: SignArgs) -> Result<(), Failure> {
    let options = pki::SignOptions {
        profile: args.role.profile(),
        days: args.days,
        ca_passphrase: secret_from_env(args.passphrase_env.as_deref(), "--passphrase-env")?,
        force: args.force,
        p12_password: secret_from_env(args.p12_password_env.as_deref(), "--p12-password-env")?,
        tutorial_compat: args.tutorial_compat,
    };
    let issued = pki::sign_csr(&args.dir.dir, &args.csr, &options).map_err(pki_failure)?;
    report(&issued);
    Ok(())
}

fn issue(args: IssueArgs) -> Result<(), Failure> {
    let csr = args.request.options(args.force);
    let options = IssueOptions {
        sign: pki::SignOptions {
            profile: csr.profile,
            days: args.days,
            ca_passphrase: secret_from_env(args.passphrase_env.as_deref(), "--passphrase-env")?,
            force: args.force,
            p12_password: secret_from_env(args.p12_password_env.as_deref(), "--p12-password-env")?,
            tutorial_compat: args.tutorial_compat,
        },
        csr,
    };
    let issued = pki::issue(&args.dir.dir, &options).map_err(pki_failure)?;
    report(&issued);
    Ok(())
}

fn inspect(args: InspectArgs) -> Result<(), Failure> {
    let summary = pki::inspect_file(&args.file).map_err(pki_failure)?;
    // For a CA, also where it is trusted: the question a student asks next.
    let stores = if summary.is_ca {
        let ca = Ca::load(&args.file).map_err(trust_failure)?;
        let (home, kinds) = (home()?, stores_from_env()?);
        Some(trust_store::status(&ca, &kinds, &home))
    } else {
        None
    };
    if args.json {
        /// The summary's fields, in their order, then where a CA is trusted.
        #[derive(serde::Serialize)]
        struct WithStores<'a> {
            #[serde(flatten)]
            summary: &'a pki::CertSummary,
            #[serde(skip_serializing_if = "Option::is_none")]
            trust_stores: Option<Vec<serde_json::Value>>,
        }
        let trust_stores = stores.as_ref().map(|(found, skipped)| {
            let mut list: Vec<serde_json::Value> = found
                .iter()
                .map(|(store, installed)| {
                    serde_json::json!({
                        "store": store.label.to_string(),
                        "location": store.location,
                        "installed": installed.as_ref().ok(),
                        "note": installed.as_ref().err(),
                    })
                })
                .collect();
            list.extend(skipped.iter().map(|report| {
                serde_json::json!({
                    "store": report.label.to_string(),
                    "location": null,
                    "installed": null,
                    "note": skipped_words(&report.outcome, Lang::En),
                })
            }));
            list
        });
        let json = serde_json::to_string_pretty(&WithStores {
            summary: &summary,
            trust_stores,
        })
        .map_err(|e| Failure::new(tr!("ca-error-json", reason = e.to_string())))?;
        println!("{json}");
    } else {
        let lang = lang();
        print!("{}", summary.localized());
        if let Some((found, skipped)) = &stores {
            let home = home()?;
            let mut lines: Vec<String> = found
                .iter()
                .map(|(store, installed)| {
                    let state = match installed {
                        Ok(true) => tr!("trust-store-state-installed"),
                        Ok(false) => tr!("trust-store-state-not-installed"),
                        Err(e) => tr!("trust-store-state-unknown", reason = e.as_str()),
                    };
                    tr!(
                        "trust-store-state",
                        store = store.label.localized(),
                        location = tilde(&store.location, &home),
                        state = state
                    )
                })
                .collect();
            lines.extend(skipped.iter().map(|r| {
                tr!(
                    "trust-store-state-skipped",
                    store = r.label.localized(),
                    reason = skipped_words(&r.outcome, lang)
                )
            }));
            let label = tr!("ca-inspect-trust-stores");
            for (i, line) in lines.iter().enumerate() {
                let head = if i == 0 { label.as_str() } else { "" };
                println!("{}{line}", pki::inspect::padded(head, lang));
            }
            if found.iter().all(|(_, installed)| installed != &Ok(true)) {
                println!(
                    "{}{}",
                    pki::inspect::padded("", lang),
                    tr!("trust-store-trust-it-here")
                );
            }
        }
    }
    Ok(())
}

fn trust(args: TrustArgs, install: bool) -> Result<(), Failure> {
    let ca_path = args.dir.dir.join(pki::CA_CERT);
    let ca = Ca::load(&ca_path).map_err(trust_failure)?;
    let (home, kinds) = (home()?, stores_from_env()?);
    let reports = if install {
        trust_store::install(&ca, &kinds, &home)
    } else {
        trust_store::uninstall(&ca, &kinds, &home)
    };
    let mut failed = false;
    let lang = lang();
    let ca_words = ca.localized();
    for report in &reports {
        let place = match &report.location {
            Some(location) => format!("{} ({})", report.label.localized(), tilde(location, &home)),
            None => report.label.localized(),
        };
        let (ca, place) = (ca_words.as_str(), place.as_str());
        match &report.outcome {
            Outcome::Installed => {
                println!("{}", tr!("trust-store-installed", ca = ca, place = place))
            }
            Outcome::AlreadyInstalled => {
                println!(
                    "{}",
                    tr!("trust-store-already-installed", ca = ca, place = place)
                )
            }
            Outcome::Removed => println!("{}", tr!("trust-store-removed", ca = ca, place = place)),
            Outcome::NotInstalled => {
                println!("{}", tr!("trust-store-not-installed", place = place))
            }
            Outcome::Skipped(_) => {
                // A store that holds our CA but could not be changed leaves the job
                // half done; a store that is simply absent does not.
                failed |= report.location.is_some() && !install;
                println!(
                    "{}",
                    tr!(
                        "trust-store-skipped",
                        place = place,
                        reason = skipped_words(&report.outcome, lang)
                    )
                );
            }
            Outcome::Failed(e) => {
                failed = true;
                eprintln!("{}", tr!("cli-error", message = format!("{place}: {e}")));
            }
        }
    }
    let trusted_somewhere = reports
        .iter()
        .any(|r| matches!(r.outcome, Outcome::Installed | Outcome::AlreadyInstalled));
    if install && !trusted_somewhere {
        return Err(
            Failure::new(tr!("trust-store-in-no-store", ca = ca_words.as_str()))
                .hint(tr!("trust-store-hint-in-no-store")),
        );
    }
    if failed {
        return Err(Failure::new(if install {
            tr!("trust-store-install-incomplete")
        } else {
            tr!("trust-store-uninstall-incomplete")
        }));
    }
    if install {
        println!(
            "{}",
            tr!(
                "trust-store-installed-next",
                command = with_dir("squirrel ca uninstall", &args.dir.dir)
            )
        );
    } else {
        println!(
            "{}",
            tr!(
                "trust-store-uninstalled-next",
                path = ca_path.display().to_string()
            )
        );
    }
    Ok(())
}

/// A skipped store's reason and hint in one phrase, in `lang`.
fn skipped_words(outcome: &Outcome, lang: Lang) -> String {
    match outcome {
        Outcome::Skipped(skip) => skip.message_in(lang),
        _ => String::new(),
    }
}

/// The user's home folder, where the browsers keep their NSS databases.
fn home() -> Result<PathBuf, Failure> {
    env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| Failure::new(tr!("ca-error-no-home")))
}

/// `TRUST_STORES` (mkcert's variable): which stores to use.
fn stores_from_env() -> Result<Vec<trust_store::StoreKind>, Failure> {
    let value = env::var("TRUST_STORES").ok();
    trust_store::selected_stores(value.as_deref()).map_err(trust_failure)
}

/// `~/.pki/nssdb` rather than `/home/alice/.pki/nssdb`.
fn tilde(path: &Path, home: &Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) => format!("~/{}", rest.display()),
        Err(_) => path.display().to_string(),
    }
}

fn trust_failure(e: TrustStoreError) -> Failure {
    match e {
        TrustStoreError::Pki(e) => {
            let missing = matches!(&e, PkiError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound);
            let failure = pki_failure(e);
            if missing {
                failure.hint(tr!("ca-hint-make-ca-first"))
            } else {
                failure
            }
        }
        TrustStoreError::UnknownStore(_) => {
            Failure::new(e.localized()).hint(tr!("trust-store-hint-unknown-store"))
        }
        TrustStoreError::NotACa(_) => Failure::new(e.localized()),
    }
}

fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let usage = if args.role.server {
        Some(LeafProfile::Server)
    } else if args.role.client {
        Some(LeafProfile::Client)
    } else {
        None
    };
    let report = pki::verify(&args.dir, &args.file, usage).map_err(pki_failure)?;
    println!("{}", report.localized());
    match report.first_failure() {
        None => Ok(()),
        Some(failure) => {
            let failure_message = Failure::new(tr!(
                "ca-error-verify",
                path = args.file.display().to_string(),
                finding = failure.detail_in(lang())
            ));
            Err(match failure.kind {
                pki::CheckKind::Chain => {
                    failure_message.hint(tr!("ca-hint-chain", ca = report.ca.display().to_string()))
                }
                pki::CheckKind::Strict => failure_message.hint(tr!(
                    "ca-hint-strict",
                    issue = with_dir("squirrel ca issue --server|--client --force", &args.dir),
                    init = with_dir("squirrel ca init --force", &args.dir)
                )),
                pki::CheckKind::Names => failure_message.hint(tr!(
                    "ca-hint-names",
                    command = with_dir(
                        "squirrel ca issue --server --force [--dns NAME] [--ip ADDR]",
                        &args.dir
                    )
                )),
                pki::CheckKind::Dates => failure_message.hint(tr!(
                    "ca-hint-dates",
                    command = with_dir("squirrel ca issue --force …", &args.dir)
                )),
                pki::CheckKind::Usage => failure_message.hint(tr!("ca-hint-usage")),
            })
        }
    }
}

/// Prints what was made on stdout and its warnings on stderr.
fn report(issued: &pki::Issued) {
    println!("{}", issued.localized());
    for warning in issued.warnings_in(lang()) {
        eprintln!("{}", tr!("cli-warning", warning = warning));
    }
}

/// `command --dir DIR` unless DIR is the default.
fn with_dir(command: &str, dir: &Path) -> String {
    if dir == Path::new(pki::DEFAULT_DIR) {
        command.to_string()
    } else {
        format!("{command} --dir {}", dir.display())
    }
}

/// Reads a secret from the environment variable the user named, so it never appears in
/// the command line (shell history, `ps`).
fn secret_from_env(var: Option<&str>, option: &str) -> Result<Option<String>, Failure> {
    let Some(var) = var else {
        return Ok(None);
    };
    match env::var(var) {
        Ok(value) => Ok(Some(value)),
        Err(VarError::NotPresent) => {
            Err(
                Failure::new(tr!("ca-error-env-not-set", var = var, option = option))
                    .hint(tr!("ca-hint-env-not-set", var = var)),
            )
        }
        Err(VarError::NotUnicode(_)) => Err(Failure::new(tr!("ca-error-env-not-utf8", var = var))),
    }
}

fn pki_failure(e: PkiError) -> Failure {
    let hint = match &e {
        PkiError::PassphraseNeeded { .. } => {
            Some("CA_PASS=… squirrel ca … --passphrase-env CA_PASS".to_string())
        }
        PkiError::WrongPassphrase { .. } => Some(tr!("ca-hint-wrong-passphrase")),
        PkiError::TooManyDays { .. } => Some(tr!(
            "ca-hint-too-many-days",
            max = pki::MAX_LEAF_DAYS.to_string(),
            default = pki::DEFAULT_LEAF_DAYS.to_string()
        )),
        _ => None,
    };
    Failure::new(e.localized()).maybe_hint(hint)
}
