//! Making certificates: the CA (`ca init`), a key and a CSR (`ca csr`), the CA's
//! signature on a CSR (`ca sign`), both in one step (`ca issue`), the `.p12` bundle for
//! browsers, and the development set the vault makes on first start.
//!
//! One concept, so one file (about 1100 lines, with its words in both languages): every step reads the same CA, checks
//! names the same way and writes its files through the same no-clobber writer, and
//! `ca issue` is `ca csr` then `ca sign`; split by step, each file would import the
//! others' internals.

use std::fs;
use std::io;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, PKeyRef, Private};
use openssl::stack::Stack;
use openssl::symm::Cipher;
use openssl::x509::{X509Builder, X509Req, X509ReqBuilder, X509};

use super::inspect::{
    common_name, describe_key, describe_pem_label, is_ca, name_to_string, parse_certificate,
    pem_label, to_datetime,
};
use super::profile::{
    build_certificate, subject_alt_name, subject_name, AltName, KeyType, LeafProfile, Profile,
    Signer,
};
use super::{
    shown, Doing, Found, PkiError, Step, CA_CERT, CA_COMMON_NAME, CA_DAYS, CA_KEY, CLIENT_CERT,
    CLIENT_CSR, CLIENT_KEY, CLIENT_NAME, CLIENT_P12, DEFAULT_LEAF_DAYS, MAX_LEAF_DAYS,
    MAX_NAME_LEN, P12_ALPHABET, P12_PASSWORD_LEN, SERVER_CERT, SERVER_CSR, SERVER_KEY, SERVER_NAME,
};
use crate::files::{self, Access, Existing};
use crate::i18n::{Lang, Localized};
use crate::tr_in;

/// Options of [`init_ca`].
#[derive(Debug, Clone, Default)]
pub struct CaOptions {
    /// The CA's key type (ignored with `tutorial_compat`, which uses RSA 2048).
    pub key_type: KeyType,
    /// Encrypts `ca.key` (PKCS#8, AES-256-CBC, PBKDF2) with this passphrase; `None`
    /// leaves it unencrypted (mode 0600) and adds a warning to [`Issued::warnings`].
    pub passphrase: Option<String>,
    /// Replace existing `ca.crt`/`ca.key`.
    pub force: bool,
    /// Make the CA the tutorial's way ([`Profile::tutorial_extensions`], RSA 2048), for
    /// the lesson only: strict verifiers refuse what it signs. Adds a warning.
    pub tutorial_compat: bool,
}

/// Options of [`make_csr`].
#[derive(Debug, Clone)]
pub struct CsrOptions {
    /// The certificate name: CN, and the file names `<name>.key`, `<name>.csr`.
    pub name: String,
    /// Server requests carry the subjectAltNames localhost, 127.0.0.1, ::1 plus `dns`
    /// and `ips`; client requests carry `dns`/`ips` only if given.
    pub profile: LeafProfile,
    /// Extra DNS names (deduplicated, case-insensitively).
    pub dns: Vec<String>,
    /// Extra IP addresses (deduplicated).
    pub ips: Vec<IpAddr>,
    /// The new key's type.
    pub key_type: KeyType,
    /// Replace existing `<name>.key`/`<name>.csr`.
    pub force: bool,
}

impl CsrOptions {
    /// A request for `name` with `profile`, no extra names, a P-256 key and no `force`.
    pub fn new(name: impl Into<String>, profile: LeafProfile) -> Self {
        CsrOptions {
            name: name.into(),
            profile,
            dns: Vec::new(),
            ips: Vec::new(),
            key_type: KeyType::default(),
            force: false,
        }
    }
}

/// Options of [`sign_csr`].
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The profile the CA signs under: it, not the CSR, decides the extensions.
    pub profile: LeafProfile,
    /// Lifetime in days, 1 to [`MAX_LEAF_DAYS`] (cut to the CA's own end if longer).
    pub days: u32,
    /// The passphrase of `ca.key`, if it is encrypted.
    pub ca_passphrase: Option<String>,
    /// Replace existing `<name>.crt`/`<name>.p12`.
    pub force: bool,
    /// Password for `<name>.p12` (clients whose key is in the folder); `None` makes a
    /// random one, returned in [`Issued::p12_password_generated`].
    pub p12_password: Option<String>,
    /// Sign the tutorial's way, for the lesson only: the CSR's subjectAltNames (if any)
    /// and nothing else ([`Profile::tutorial_extensions`]); a server request without
    /// names is signed too, with a warning. Also accepts a CA made with
    /// [`CaOptions::tutorial_compat`] (it has no subjectKeyIdentifier).
    pub tutorial_compat: bool,
}

impl SignOptions {
    /// Signing under `profile` for [`DEFAULT_LEAF_DAYS`], no passphrase, no `force`, the
    /// modern way.
    pub fn new(profile: LeafProfile) -> Self {
        SignOptions {
            profile,
            days: DEFAULT_LEAF_DAYS,
            ca_passphrase: None,
            force: false,
            p12_password: None,
            tutorial_compat: false,
        }
    }
}

/// Options of [`issue`]: a CSR made and signed in one step, so the options of both.
/// The request's `profile` is the one signed (`sign.profile` follows it), and `force` in
/// either replaces every file the step writes.
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// The key and the request: name, profile, extra names, key type.
    pub csr: CsrOptions,
    /// The CA's signature: lifetime, CA passphrase, `.p12` password, tutorial way.
    /// With `tutorial_compat`, the key is RSA 2048 and the request holds only the names
    /// given (none by default: the name is then only in the CN, as the tutorial's
    /// `hostname`).
    pub sign: SignOptions,
}

impl IssueOptions {
    /// `name` under `profile` with the defaults of [`CsrOptions::new`] and
    /// [`SignOptions::new`].
    pub fn new(name: impl Into<String>, profile: LeafProfile) -> Self {
        IssueOptions {
            csr: CsrOptions::new(name, profile),
            sign: SignOptions::new(profile),
        }
    }
}

/// What one step made, for the caller to tell the user ([`Localized`]; its `Display` is
/// the English words).
#[derive(Debug, Clone)]
pub struct Issued {
    /// Which kind of certificate.
    pub profile: Profile,
    /// The certificate file (PEM).
    pub cert: PathBuf,
    /// The private key file, when this step made or used one.
    pub key: Option<PathBuf>,
    /// The CSR file, when this step made one.
    pub csr: Option<PathBuf>,
    /// The PKCS#12 bundle, for clients whose key was at hand.
    pub p12: Option<PathBuf>,
    /// The random `.p12` password, when none was given. Its words print it: print an
    /// `Issued` once, to the user only, never to a log.
    pub p12_password_generated: Option<String>,
    /// Whom the certificate is for: its subjectAltNames as text, or its CN when it has
    /// none.
    pub names: Vec<String>,
    /// The end of validity (notAfter).
    pub not_after: DateTime<Utc>,
    /// The issuer's CN.
    pub issuer: String,
    /// Things the user should know (e.g. an unencrypted CA key): each a line, in
    /// English through `Display`, in another language through [`Issued::warnings_in`].
    pub warnings: Vec<Warning>,
}

impl Issued {
    /// The warnings in `lang`, one line each, in the order of [`Issued::warnings`].
    pub fn warnings_in(&self, lang: Lang) -> Vec<String> {
        self.warnings
            .iter()
            .map(|warning| warning.message_in(lang))
            .collect()
    }
}

impl Localized for Issued {
    fn message_in(&self, lang: Lang) -> String {
        let until = self.not_after.format("%-d %b %Y").to_string();
        if self.profile == Profile::Ca {
            let mut files = shown(&self.cert);
            if let Some(key) = &self.key {
                files.push_str(&format!(", {}", key.display()));
            }
            return tr_in!(
                lang,
                "ca-created-ca",
                name = self.issuer.as_str(),
                files = files,
                until = until
            );
        }
        let file = self.cert.file_name().map_or_else(
            || shown(&self.cert),
            |name| name.to_string_lossy().into_owned(),
        );
        let mut lines = vec![tr_in!(
            lang,
            "ca-created",
            file = file,
            names = self.names.join(", "),
            until = until,
            issuer = self.issuer.as_str()
        )];
        // The files, indented under the sentence.
        lines.push(format!(
            "  {}",
            tr_in!(lang, "ca-created-certificate", path = shown(&self.cert))
        ));
        if let Some(key) = &self.key {
            lines.push(format!(
                "  {}",
                tr_in!(lang, "ca-created-key", path = shown(key))
            ));
        }
        if let Some(csr) = &self.csr {
            lines.push(format!(
                "  {}",
                tr_in!(lang, "ca-created-request", path = shown(csr))
            ));
        }
        if let Some(p12) = &self.p12 {
            lines.push(format!(
                "  {}",
                tr_in!(lang, "ca-created-p12", path = shown(p12))
            ));
        }
        if let Some(password) = &self.p12_password_generated {
            lines.push(tr_in!(
                lang,
                "ca-created-p12-password",
                password = password.as_str()
            ));
        }
        lines.join("\n")
    }
}

crate::english_display!(Issued);

/// Something the user should know about what a step made: a line of
/// [`Issued::warnings`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The certificate was made with `tutorial_compat`: strict verifiers refuse it.
    TutorialWay {
        /// The certificate file.
        cert: PathBuf,
    },
    /// The CA key was written without a passphrase.
    UnencryptedKey {
        /// The key file.
        key: PathBuf,
    },
    /// A server certificate made the tutorial's way without subjectAltName.
    NoHost {
        /// The certificate file.
        cert: PathBuf,
    },
    /// The lifetime asked for would outlive the CA: the certificate ends with it.
    OutlivesCa {
        /// The CA's end, `3 Dec 2036`.
        until: String,
    },
}

impl Localized for Warning {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            Warning::TutorialWay { cert } => {
                tr_in!(lang, "ca-warning-tutorial-way", path = shown(cert))
            }
            Warning::UnencryptedKey { key } => {
                tr_in!(lang, "ca-warning-unencrypted-key", path = shown(key))
            }
            Warning::NoHost { cert } => tr_in!(lang, "ca-warning-no-host", path = shown(cert)),
            Warning::OutlivesCa { until } => {
                tr_in!(lang, "ca-warning-outlives-ca", date = until.as_str())
            }
        }
    }
}

crate::english_display!(Warning);

/// One file to write: staged in memory first so that a failure (a wrong passphrase, an
/// existing file) leaves the folder untouched.
struct Output {
    path: PathBuf,
    bytes: Vec<u8>,
    secret: bool,
}

/// Writes all `outputs` into `dir`, or nothing if one of them exists and `force` is off.
///
/// Each file is written to a temporary file in `dir` (created by tempfile with
/// `OpenOptions::mode`, 0600 for secrets, 0644 otherwise, so a key is never readable by
/// others even for a moment), synced, then renamed into place: a crash leaves the old
/// file or the new one, never half a key.
fn write_outputs(dir: &Path, outputs: &[Output], force: bool) -> Result<(), PkiError> {
    if !force {
        if let Some(existing) = outputs.iter().find(|o| o.path.symlink_metadata().is_ok()) {
            return Err(PkiError::Exists {
                path: existing.path.clone(),
            });
        }
    }
    fs::create_dir_all(dir).map_err(|source| PkiError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    for output in outputs {
        write_one(output, force)?;
    }
    Ok(())
}

fn write_one(output: &Output, force: bool) -> Result<(), PkiError> {
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Keep
    };
    let access = if output.secret {
        Access::Private
    } else {
        Access::Public
    };
    match files::write_atomic(&output.path, &output.bytes, existing, access) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(PkiError::Exists {
            path: output.path.clone(),
        }),
        Err(source) => Err(PkiError::Write {
            path: output.path.clone(),
            source,
        }),
    }
}

/// Makes the CA: a key and a self-signed certificate `CN=Squirrel Local CA,
/// O=Secret Squirrels`, valid [`CA_DAYS`] days from now, in `dir/ca.crt` and
/// `dir/ca.key` (creating `dir`). With `tutorial_compat`, the key is RSA 2048 and the
/// certificate carries only a critical basicConstraints CA:TRUE, as the tutorial's.
///
/// Errors: [`PkiError::Exists`] if either file exists without `force` (nothing is
/// written), [`PkiError::EmptyPassphrase`], [`PkiError::Write`], [`PkiError::OpenSsl`].
pub fn init_ca(dir: &Path, options: &CaOptions) -> Result<Issued, PkiError> {
    if options.passphrase.as_deref() == Some("") {
        return Err(PkiError::EmptyPassphrase);
    }
    let key_type = if options.tutorial_compat {
        KeyType::Rsa2048
    } else {
        options.key_type
    };
    let key = key_type.generate()?;
    let subject = subject_name(CA_COMMON_NAME).doing(Step::NamingTheCA)?;
    let not_after = Asn1Time::days_from_now(CA_DAYS).doing(Step::DatingTheCA)?;
    let signer = Signer {
        cert: None,
        key: &key,
    };
    let row = Profile::Ca.row(options.tutorial_compat);
    let cert = build_certificate(&row, &subject, &key, &[], &not_after, &signer)
        .doing(Step::MakingTheCACertificate)?;
    let key_pem = match &options.passphrase {
        Some(passphrase) => key
            .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), passphrase.as_bytes())
            .doing(Step::EncryptingTheCAKey)?,
        None => key
            .private_key_to_pem_pkcs8()
            .doing(Step::EncodingTheCAKey)?,
    };
    let cert_path = dir.join(CA_CERT);
    let key_path = dir.join(CA_KEY);
    write_outputs(
        dir,
        &[
            Output {
                path: cert_path.clone(),
                bytes: cert.to_pem().doing(Step::EncodingTheCACertificate)?,
                secret: false,
            },
            Output {
                path: key_path.clone(),
                bytes: key_pem,
                secret: true,
            },
        ],
        options.force,
    )?;
    let mut kinds = Vec::new();
    if options.tutorial_compat {
        kinds.push(Warning::TutorialWay {
            cert: cert_path.clone(),
        });
    }
    if options.passphrase.is_none() {
        kinds.push(Warning::UnencryptedKey {
            key: key_path.clone(),
        });
    }
    Ok(Issued {
        profile: Profile::Ca,
        cert: cert_path,
        key: Some(key_path),
        csr: None,
        p12: None,
        p12_password_generated: None,
        names: vec![CA_COMMON_NAME.to_string()],
        not_after: to_datetime(cert.not_after(), CA_CERT)?,
        issuer: CA_COMMON_NAME.to_string(),
        warnings: kinds,
    })
}

/// Checks a certificate name: it becomes the CN and the file names `<name>.*`.
fn check_name(name: &str) -> Result<(), PkiError> {
    let fine = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.starts_with('.')
        && name != "ca"
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if fine {
        Ok(())
    } else {
        Err(PkiError::BadName {
            name: name.to_string(),
        })
    }
}

/// Checks a DNS name (RFC 1123 §2.1 labels; a leading `*.` wildcard label allowed) and
/// returns it in lower case, as DNS compares names without case.
fn check_dns_name(name: &str) -> Result<String, PkiError> {
    let bad = || PkiError::BadDnsName {
        name: name.to_string(),
    };
    let rest = name.strip_prefix("*.").unwrap_or(name);
    if rest.is_empty() || name.len() > 253 {
        return Err(bad());
    }
    for label in rest.split('.') {
        let fine = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !fine {
            return Err(bad());
        }
    }
    Ok(name.to_ascii_lowercase())
}

/// The subjectAltNames a request asks for: for servers (unless `only_given`, the
/// tutorial's way), localhost, 127.0.0.1 and ::1 first; then the extra names, DNS before
/// IP, without duplicates.
fn requested_alt_names(
    profile: LeafProfile,
    dns: &[String],
    ips: &[IpAddr],
    only_given: bool,
) -> Result<Vec<AltName>, PkiError> {
    let server_defaults = profile == LeafProfile::Server && !only_given;
    let mut names = Vec::new();
    if server_defaults {
        names.push(AltName::Dns("localhost".to_string()));
    }
    for name in dns {
        let name = AltName::Dns(check_dns_name(name)?);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let defaults: &[IpAddr] = if server_defaults {
        &[
            IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ]
    } else {
        &[]
    };
    for ip in defaults.iter().chain(ips) {
        let name = AltName::Ip(*ip);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// A key and a CSR for `options`, in memory; `only_given` leaves out the server's
/// default names (the tutorial's way).
fn build_csr(options: &CsrOptions, only_given: bool) -> Result<(PKey<Private>, X509Req), PkiError> {
    check_name(&options.name)?;
    let alt_names = requested_alt_names(options.profile, &options.dns, &options.ips, only_given)?;
    let key = options.key_type.generate()?;
    let subject = subject_name(&options.name).doing(Step::NamingTheRequest)?;
    let mut builder = X509ReqBuilder::new().doing(Step::StartingTheRequest)?;
    // Version 1, the only one PKCS#10 defines (RFC 2986 §4.1), is encoded as 0.
    builder.set_version(0).doing(Step::StartingTheRequest)?;
    builder
        .set_subject_name(&subject)
        .doing(Step::NamingTheRequest)?;
    builder.set_pubkey(&key).doing(Step::AddingThePublicKey)?;
    if !alt_names.is_empty() {
        let san = subject_alt_name(&alt_names)
            .build(&builder.x509v3_context(None))
            .doing(Step::AddingTheRequestedNames)?;
        let mut requested = Stack::new().doing(Step::AddingTheRequestedNames)?;
        requested.push(san).doing(Step::AddingTheRequestedNames)?;
        builder
            .add_extensions(&requested)
            .doing(Step::AddingTheRequestedNames)?;
    }
    builder
        .sign(&key, MessageDigest::sha256())
        .doing(Step::SigningTheRequest)?;
    Ok((key, builder.build()))
}

/// Makes a key and a certificate signing request (PKCS#10, RFC 2986) for
/// `CN=<name>, O=Secret Squirrels`, the subjectAltNames travelling as a requested
/// extension; writes `dir/<name>.key` (0600) and `dir/<name>.csr`, and returns the CSR's
/// path. This is what a server's owner does before asking the CA to sign.
///
/// Errors: [`PkiError::BadName`], [`PkiError::BadDnsName`], [`PkiError::Exists`]
/// (nothing written), [`PkiError::Write`], [`PkiError::OpenSsl`].
pub fn make_csr(dir: &Path, options: &CsrOptions) -> Result<PathBuf, PkiError> {
    let (key, request) = build_csr(options, false)?;
    let key_path = dir.join(format!("{}.key", options.name));
    let csr_path = dir.join(format!("{}.csr", options.name));
    write_outputs(
        dir,
        &[
            Output {
                path: key_path,
                bytes: key.private_key_to_pem_pkcs8().doing(Step::EncodingTheKey)?,
                secret: true,
            },
            Output {
                path: csr_path.clone(),
                bytes: request.to_pem().doing(Step::EncodingTheRequest)?,
                secret: false,
            },
        ],
        options.force,
    )?;
    Ok(csr_path)
}

/// What a CSR asks for, read back for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsrSummary {
    /// The subject, RFC 4514 style (`CN=server, O=Secret Squirrels`).
    pub subject: String,
    /// The requested subjectAltNames as text (`localhost`, `127.0.0.1`).
    pub names: Vec<String>,
    /// The key type, e.g. `EC P-256` or `RSA 2048 bits`.
    pub key: String,
}

/// Reads the CSR at `path` and says what it asks for.
///
/// Errors: [`PkiError::Read`], [`PkiError::NotACsr`], [`PkiError::UnsupportedName`],
/// [`PkiError::OpenSsl`].
pub fn read_csr(path: &Path) -> Result<CsrSummary, PkiError> {
    let request = load_csr(path)?;
    let key = request.public_key().doing(Step::ReadingTheRequestKey)?;
    Ok(CsrSummary {
        subject: name_to_string(request.subject_name()),
        names: csr_alt_names(&request, path)?
            .iter()
            .map(ToString::to_string)
            .collect(),
        key: describe_key(&key),
    })
}

fn load_csr(path: &Path) -> Result<X509Req, PkiError> {
    let bytes = fs::read(path).map_err(|source| PkiError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let parsed = match pem_label(&bytes) {
        Some("CERTIFICATE REQUEST") | Some("NEW CERTIFICATE REQUEST") => X509Req::from_pem(&bytes),
        Some(label) => {
            return Err(PkiError::NotACsr {
                path: path.to_path_buf(),
                found: describe_pem_label(label),
            })
        }
        None => X509Req::from_der(&bytes),
    };
    parsed.map_err(|_| PkiError::NotACsr {
        path: path.to_path_buf(),
        found: Found::Unparsable,
    })
}

/// The subjectAltNames a CSR requests. OpenSSL decodes them: the requested extensions
/// are put on a scratch certificate, whose SAN parser then reads them.
fn csr_alt_names(request: &X509Req, path: &Path) -> Result<Vec<AltName>, PkiError> {
    // No extension request at all is not an error; OpenSSL reports it as one.
    let Ok(extensions) = request.extensions() else {
        return Ok(Vec::new());
    };
    let mut scratch = X509Builder::new().doing(Step::ReadingTheRequestNames)?;
    for extension in &extensions {
        scratch
            .append_extension2(extension)
            .doing(Step::ReadingTheRequestNames)?;
    }
    let scratch = scratch.build();
    let Some(general_names) = scratch.subject_alt_names() else {
        return Ok(Vec::new());
    };
    let mut names = Vec::new();
    for general in &general_names {
        let name = if let Some(dns) = general.dnsname() {
            // Re-checked: these bytes come from whoever wrote the CSR.
            AltName::Dns(check_dns_name(dns)?)
        } else if let Some(ip) = general.ipaddress().and_then(ip_from_bytes) {
            AltName::Ip(ip)
        } else {
            return Err(PkiError::UnsupportedName {
                path: path.to_path_buf(),
                name: general
                    .email()
                    .or_else(|| general.uri())
                    .unwrap_or("(a name of another kind)")
                    .to_string(),
            });
        };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

pub(super) fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    match bytes.len() {
        4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
        _ => None,
    }
}

/// The CA, loaded and checked.
struct Ca {
    cert: X509,
    key: PKey<Private>,
}

/// Reads `dir/ca.crt` and `dir/ca.key`, decrypting the key with `passphrase`, and
/// checks that they are one pair and a CA that strict verifiers will accept as issuer
/// (unless `tutorial_compat`: the tutorial's CA has no subjectKeyIdentifier).
fn load_ca(dir: &Path, passphrase: Option<&str>, tutorial_compat: bool) -> Result<Ca, PkiError> {
    let cert_path = dir.join(CA_CERT);
    let key_path = dir.join(CA_KEY);
    let cert_bytes = fs::read(&cert_path).map_err(|source| PkiError::CaMissing {
        path: cert_path.clone(),
        source,
    })?;
    let cert = parse_certificate(&cert_bytes, &cert_path.display().to_string())?;
    let key_bytes = fs::read(&key_path).map_err(|source| PkiError::CaMissing {
        path: key_path.clone(),
        source,
    })?;
    let key = read_private_key(&key_bytes, &key_path, passphrase)?;
    let public = cert.public_key().doing(Step::ReadingTheCAPublicKey)?;
    if !public.public_eq(&key) {
        return Err(PkiError::KeyMismatch {
            key: key_path,
            cert: cert_path,
        });
    }
    if !is_ca(&cert).doing(Step::ReadingTheCABasicConstraints)? {
        return Err(PkiError::NotACa { path: cert_path });
    }
    if cert.subject_key_id().is_none() && !tutorial_compat {
        return Err(PkiError::CaWithoutKeyId { path: cert_path });
    }
    Ok(Ca { cert, key })
}

/// Reads a PEM private key, asking for a passphrase only if it is encrypted. The
/// callback answers for the terminal prompt OpenSSL would otherwise show.
fn read_private_key(
    bytes: &[u8],
    path: &Path,
    passphrase: Option<&str>,
) -> Result<PKey<Private>, PkiError> {
    let mut asked = false;
    let result = PKey::private_key_from_pem_callback(bytes, |buffer| {
        asked = true;
        match passphrase {
            Some(p) if p.len() <= buffer.len() => {
                buffer[..p.len()].copy_from_slice(p.as_bytes());
                Ok(p.len())
            }
            _ => Err(ErrorStack::get()),
        }
    });
    match result {
        Ok(key) => Ok(key),
        Err(_) if asked && passphrase.is_none() => Err(PkiError::PassphraseNeeded {
            path: path.to_path_buf(),
        }),
        Err(_) if asked => Err(PkiError::WrongPassphrase {
            path: path.to_path_buf(),
        }),
        Err(_) => Err(PkiError::NotAKey {
            path: path.to_path_buf(),
        }),
    }
}

/// Signs `request` with the CA under `options.profile`; with the leaf's `key`, also
/// bundles a `.p12`. Returns the files to write and what was made.
fn sign_request(
    dir: &Path,
    csr_path: &Path,
    name: &str,
    request: &X509Req,
    key: Option<&PKeyRef<Private>>,
    options: &SignOptions,
) -> Result<(Vec<Output>, Issued), PkiError> {
    if options.days == 0 {
        return Err(PkiError::ZeroDays);
    }
    if options.days > MAX_LEAF_DAYS {
        return Err(PkiError::TooManyDays { days: options.days });
    }
    if options
        .p12_password
        .as_deref()
        .is_some_and(|p| p.contains('\0'))
    {
        return Err(PkiError::BadP12Password);
    }
    let ca = load_ca(
        dir,
        options.ca_passphrase.as_deref(),
        options.tutorial_compat,
    )?;

    let public_key = request.public_key().doing(Step::ReadingTheRequestKey)?;
    // The CSR's signature proves its author holds the private key (RFC 2986 §3).
    if !request.verify(&public_key).unwrap_or(false) {
        return Err(PkiError::BadCsrSignature {
            path: csr_path.to_path_buf(),
        });
    }
    let subject = request.subject_name();
    if common_name(subject).is_none() {
        return Err(PkiError::CsrWithoutCommonName {
            path: csr_path.to_path_buf(),
        });
    }
    let alt_names = csr_alt_names(request, csr_path)?;
    // The tutorial's sign_csr checked nothing: for the lesson, its way signs a server
    // certificate without names too, so that `verify` can show what that breaks.
    if options.profile == LeafProfile::Server && alt_names.is_empty() && !options.tutorial_compat {
        return Err(PkiError::NoServerNames {
            path: csr_path.to_path_buf(),
        });
    }

    let cert_path = dir.join(format!("{name}.crt"));
    let mut kinds = Vec::new();
    if options.tutorial_compat {
        kinds.push(Warning::TutorialWay {
            cert: cert_path.clone(),
        });
        if options.profile == LeafProfile::Server && alt_names.is_empty() {
            kinds.push(Warning::NoHost {
                cert: cert_path.clone(),
            });
        }
    }
    let wanted = Asn1Time::days_from_now(options.days).doing(Step::DatingTheCertificate)?;
    // A certificate that outlives its CA stops verifying when the CA expires anyway.
    let not_after: &Asn1TimeRef = if wanted > *ca.cert.not_after() {
        kinds.push(Warning::OutlivesCa {
            until: to_datetime(ca.cert.not_after(), CA_CERT)?
                .format("%-d %b %Y")
                .to_string(),
        });
        ca.cert.not_after()
    } else {
        &wanted
    };
    let signer = Signer {
        cert: Some(&ca.cert),
        key: &ca.key,
    };
    let row = Profile::from(options.profile).row(options.tutorial_compat);
    let cert = build_certificate(&row, subject, &public_key, &alt_names, not_after, &signer)
        .doing(Step::SigningTheCertificate)?;

    let mut outputs = vec![Output {
        path: cert_path.clone(),
        bytes: cert.to_pem().doing(Step::EncodingTheCertificate)?,
        secret: false,
    }];
    let mut p12_path = None;
    let mut p12_password_generated = None;
    if let (LeafProfile::Client, Some(key)) = (options.profile, key) {
        let password = match &options.p12_password {
            Some(password) => password.clone(),
            None => {
                let password = random_password()?;
                p12_password_generated = Some(password.clone());
                password
            }
        };
        let mut chain = Stack::new().doing(Step::BundlingTheP12)?;
        chain.push(ca.cert.clone()).doing(Step::BundlingTheP12)?;
        let bundle = Pkcs12::builder()
            .name(name)
            .pkey(key)
            .cert(&cert)
            .ca(chain)
            .build2(&password)
            .doing(Step::BundlingTheP12)?;
        let path = dir.join(format!("{name}.p12"));
        outputs.push(Output {
            path: path.clone(),
            bytes: bundle.to_der().doing(Step::EncodingTheP12)?,
            secret: true,
        });
        p12_path = Some(path);
    }
    let names = if alt_names.is_empty() {
        common_name(subject).into_iter().collect()
    } else {
        alt_names.iter().map(ToString::to_string).collect()
    };
    let issued = Issued {
        profile: options.profile.into(),
        cert: cert_path,
        key: None,
        csr: None,
        p12: p12_path,
        p12_password_generated,
        names,
        not_after: to_datetime(cert.not_after(), name)?,
        issuer: common_name(ca.cert.subject_name())
            .unwrap_or_else(|| name_to_string(ca.cert.subject_name())),
        warnings: kinds,
    };
    Ok((outputs, issued))
}

/// The CA signs the CSR at `csr_path` under `options.profile`: the profile decides the
/// extensions and only the subject and subjectAltNames come from the CSR, after its
/// self-signature is checked. Writes `dir/<name>.crt`, `<name>` being the CSR's file
/// stem; for a client whose `dir/<name>.key` exists and matches, also `dir/<name>.p12`.
///
/// Errors: [`PkiError::CaMissing`], [`PkiError::PassphraseNeeded`],
/// [`PkiError::WrongPassphrase`], [`PkiError::NotACsr`], [`PkiError::BadCsrSignature`],
/// [`PkiError::NoServerNames`], [`PkiError::TooManyDays`], [`PkiError::Exists`]
/// (nothing written), [`PkiError::BadName`] (the file stem), [`PkiError::Write`].
pub fn sign_csr(dir: &Path, csr_path: &Path, options: &SignOptions) -> Result<Issued, PkiError> {
    let name = csr_path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    check_name(&name)?;
    let request = load_csr(csr_path)?;
    let key_path = dir.join(format!("{name}.key"));
    // The bundle needs the private key, which the CA normally never sees: use it only
    // when it sits in the folder and belongs to this request.
    let key = match (options.profile, fs::read(&key_path)) {
        (LeafProfile::Client, Ok(bytes)) => {
            let request_key = request.public_key().doing(Step::ReadingTheRequestKey)?;
            read_private_key(&bytes, &key_path, None)
                .ok()
                .filter(|key| key.public_eq(&request_key))
        }
        _ => None,
    };
    let (outputs, mut issued) =
        sign_request(dir, csr_path, &name, &request, key.as_deref(), options)?;
    write_outputs(dir, &outputs, options.force)?;
    if key.is_some() {
        issued.key = Some(key_path);
    }
    Ok(issued)
}

/// [`make_csr`] and [`sign_csr`] in one step: key, CSR and certificate in `dir`, and for
/// a client `<name>.p12` (key, certificate and CA) with `p12_password` or a random one
/// returned in [`Issued::p12_password_generated`]. All files are checked before any is
/// written.
///
/// Errors: those of [`make_csr`] and [`sign_csr`].
pub fn issue(dir: &Path, options: &IssueOptions) -> Result<Issued, PkiError> {
    let force = options.csr.force || options.sign.force;
    let tutorial_compat = options.sign.tutorial_compat;
    let csr_options = CsrOptions {
        key_type: if tutorial_compat {
            KeyType::Rsa2048
        } else {
            options.csr.key_type
        },
        force,
        ..options.csr.clone()
    };
    let sign_options = SignOptions {
        profile: options.csr.profile,
        force,
        ..options.sign.clone()
    };
    let name = &csr_options.name;
    let (key, request) = build_csr(&csr_options, tutorial_compat)?;
    let key_path = dir.join(format!("{name}.key"));
    let csr_path = dir.join(format!("{name}.csr"));
    let (signed, mut issued) =
        sign_request(dir, &csr_path, name, &request, Some(&key), &sign_options)?;
    let mut outputs = vec![
        Output {
            path: key_path.clone(),
            bytes: key.private_key_to_pem_pkcs8().doing(Step::EncodingTheKey)?,
            secret: true,
        },
        Output {
            path: csr_path.clone(),
            bytes: request.to_pem().doing(Step::EncodingTheRequest)?,
            secret: false,
        },
    ];
    outputs.extend(signed);
    write_outputs(dir, &outputs, force)?;
    issued.key = Some(key_path);
    issued.csr = Some(csr_path);
    Ok(issued)
}

/// Makes the vault's development PKI in `dir` (created if needed) unless it exists: a CA
/// without passphrase, `server` (server profile) and `client` (client profile, with
/// `client.p12` under a random password), and returns what was made; returns an empty
/// list when `ca.crt`, `server.crt` and `server.key` all exist.
///
/// Errors: [`PkiError::PartialPki`] when only some of the files exist (nothing is
/// overwritten), and those of [`init_ca`] and [`issue`].
pub fn ensure_dev_pki(dir: &Path) -> Result<Vec<Issued>, PkiError> {
    let needed = [CA_CERT, SERVER_CERT, SERVER_KEY];
    let exists = |file: &str| dir.join(file).symlink_metadata().is_ok();
    if needed.iter().all(|f| exists(f)) {
        return Ok(Vec::new());
    }
    let made = [
        CA_CERT,
        CA_KEY,
        SERVER_CERT,
        SERVER_KEY,
        SERVER_CSR,
        CLIENT_CERT,
        CLIENT_KEY,
        CLIENT_CSR,
        CLIENT_P12,
    ];
    let present: Vec<String> = made
        .iter()
        .filter(|f| exists(f))
        .map(|f| f.to_string())
        .collect();
    if !present.is_empty() {
        return Err(PkiError::PartialPki {
            dir: dir.to_path_buf(),
            missing: needed
                .iter()
                .filter(|f| !exists(f))
                .map(|f| f.to_string())
                .collect(),
            present,
        });
    }
    Ok(vec![
        init_ca(dir, &CaOptions::default())?,
        issue(dir, &IssueOptions::new(SERVER_NAME, LeafProfile::Server))?,
        issue(dir, &IssueOptions::new(CLIENT_NAME, LeafProfile::Client))?,
    ])
}

/// [`P12_PASSWORD_LEN`] characters of [`P12_ALPHABET`] from OpenSSL's CSPRNG; bytes at
/// or above the largest multiple of the alphabet's size are drawn again, so every
/// character is equally likely.
fn random_password() -> Result<String, PkiError> {
    let size = P12_ALPHABET.len();
    let limit = 256 - 256 % size;
    let mut password = String::with_capacity(P12_PASSWORD_LEN);
    let mut buffer = [0u8; 32];
    while password.len() < P12_PASSWORD_LEN {
        openssl::rand::rand_bytes(&mut buffer).doing(Step::MakingAPassword)?;
        for &byte in &buffer {
            if usize::from(byte) < limit && password.len() < P12_PASSWORD_LEN {
                password.push(char::from(P12_ALPHABET[usize::from(byte) % size]));
            }
        }
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_file_names_are_refused() {
        for bad in ["", "ca", ".hidden", "a/b", "a b", "é", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for good in ["server", "client", "alice-laptop", "bob_2", "www.example"] {
            assert!(check_name(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn dns_names_are_checked_and_lowercased() {
        assert_eq!(check_dns_name("Vault.Local").unwrap(), "vault.local");
        assert_eq!(check_dns_name("*.example.org").unwrap(), "*.example.org");
        for bad in ["", "a..b", "-a", "a b", "a\0b", "*.", "a.*.b"] {
            assert!(check_dns_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn server_names_start_with_the_loopback_names_without_duplicates() {
        let names = requested_alt_names(
            LeafProfile::Server,
            &["LOCALHOST".into(), "vault.local".into()],
            &["::1".parse().unwrap(), "10.0.0.5".parse().unwrap()],
            false,
        )
        .unwrap();
        let text: Vec<String> = names.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["localhost", "vault.local", "127.0.0.1", "::1", "10.0.0.5"]
        );
        assert!(requested_alt_names(LeafProfile::Client, &[], &[], false)
            .unwrap()
            .is_empty());
        // The tutorial's way asks only for the names given.
        assert!(requested_alt_names(LeafProfile::Server, &[], &[], true)
            .unwrap()
            .is_empty());
        let only =
            requested_alt_names(LeafProfile::Server, &["localhost".into()], &[], true).unwrap();
        assert_eq!(only, [AltName::Dns("localhost".into())]);
    }

    #[test]
    fn random_passwords_use_only_the_unambiguous_alphabet() {
        let password = random_password().unwrap();
        assert_eq!(password.len(), P12_PASSWORD_LEN);
        assert!(password.bytes().all(|b| P12_ALPHABET.contains(&b)));
        assert!(!password.contains(['0', 'O', '1', 'l', 'I']));
    }
}
