//! Lesson 05's certificate authority: become a CA, make a key and a certificate signing
//! request (CSR), have the CA sign it, and read a certificate in plain words.
//!
//! Every X.509 structure comes from OpenSSL (through the `openssl` crate); this module
//! only decides *what* goes into a certificate. That decision is one table,
//! [`Profile::extensions`], in the spirit of easy-rsa's `x509-types/` files: the CA, server
//! and client profiles differ only in their rows, and one builder (`build_certificate`)
//! applies a row.
//!
//! The certificates pass `openssl verify -x509_strict` and Python 3.13's default
//! `VERIFY_X509_STRICT`, which refuse the tutorial's own certificates (they lack keyUsage,
//! subjectKeyIdentifier and authorityKeyIdentifier, RFC 5280 §4.2.1.1–§4.2.1.3). For the
//! lesson, the `tutorial_compat` options make certificates the tutorial's way
//! ([`Profile::tutorial_extensions`]), so students can watch strict verifiers refuse them
//! and [`verify`] say which rule each one breaks.
//!
//! Files live in one folder (default [`DEFAULT_DIR`]) under the names of the `*_CERT` /
//! `*_KEY` constants, so the vault and the lessons agree on them. Keys and `.p12` bundles
//! are created with mode 0600, certificates and CSRs with 0644; an existing file is
//! replaced only when the caller passes `force`.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use openssl::asn1::{Asn1Integer, Asn1Time, Asn1TimeRef};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{HasPublic, Id, PKey, PKeyRef, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::symm::Cipher;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::{
    X509Builder, X509ExtendedKeyUsage, X509KeyUsage, X509NameBuilder, X509NameRef, X509PurposeId,
    X509Ref, X509Req, X509ReqBuilder, X509StoreContext, X509VerifyResult, X509,
};
use serde::{Serialize, Serializer};

/// The folder `squirrel ca` and `squirrel vault serve` use when given none.
pub const DEFAULT_DIR: &str = "certs";
/// The CA certificate (PEM): give it to every client and server that should trust the CA.
pub const CA_CERT: &str = "ca.crt";
/// The CA private key (PEM PKCS#8, encrypted when a passphrase was given): the secret
/// that makes certificates everyone here trusts.
pub const CA_KEY: &str = "ca.key";
/// The development server's name: its files are `server.crt`, `server.key`, `server.csr`.
pub const SERVER_NAME: &str = "server";
/// The development server certificate (PEM).
pub const SERVER_CERT: &str = "server.crt";
/// The development server private key (PEM PKCS#8, unencrypted, mode 0600).
pub const SERVER_KEY: &str = "server.key";
/// The development server's certificate signing request (PEM, RFC 2986).
pub const SERVER_CSR: &str = "server.csr";
/// The development client's name: its files are `client.crt`, `client.key`, `client.csr`,
/// `client.p12`.
pub const CLIENT_NAME: &str = "client";
/// The development client certificate (PEM).
pub const CLIENT_CERT: &str = "client.crt";
/// The development client private key (PEM PKCS#8, unencrypted, mode 0600).
pub const CLIENT_KEY: &str = "client.key";
/// The development client's certificate signing request (PEM, RFC 2986).
pub const CLIENT_CSR: &str = "client.csr";
/// The development client's PKCS#12 bundle (RFC 7292) for browsers: key, certificate, CA.
pub const CLIENT_P12: &str = "client.p12";

/// The organization (O) in every subject this CA writes: the tutorial's club.
pub const ORGANIZATION: &str = "Secret Squirrels";
/// The CA's common name (CN).
pub const CA_COMMON_NAME: &str = "Squirrel Local CA";
/// The CA certificate's lifetime in days (10 years): a local CA is re-made rarely, and
/// every certificate it signs must end before it does.
pub const CA_DAYS: u32 = 3650;
/// A leaf certificate's default lifetime in days: the CA/Browser Forum's 398-day limit
/// for public TLS certificates (Baseline Requirements §6.3.2), with a day of margin.
pub const DEFAULT_LEAF_DAYS: u32 = 397;
/// The longest leaf lifetime accepted, in days. Apple's platforms refuse TLS server
/// certificates valid longer than 825 days, even from a private CA (support.apple.com
/// HT210176); mkcert stops at the same limit.
pub const MAX_LEAF_DAYS: u32 = 825;

/// RFC 5280 §4.1.2.4 recommends no bound on CN, but X.520's `ub-common-name` is 64
/// characters and OpenSSL refuses longer ones; names are also file names here.
const MAX_NAME_LEN: usize = 64;
/// A generated `.p12` password: 12 characters from a 54-character alphabet is about 69
/// bits, enough against guessing a file that should stay on the owner's disk anyway.
const P12_PASSWORD_LEN: usize = 12;
/// Letters and digits without the look-alikes 0/O, 1/l/I: the password is read off a
/// terminal and typed into a browser.
const P12_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Why something in the PKI could not be done. Each message is one line that names the
/// file and what went wrong, for a student to act on.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// A file to be written exists and `force` was not given; nothing was written.
    #[error("{} already exists (pass --force to replace it)", .path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// `ca.crt` or `ca.key` could not be read: usually the CA was never made.
    #[error("cannot read {}: {} (run: {})", .path.display(), io_reason(.source), init_command(.path))]
    CaMissing {
        /// The CA file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// Any other file could not be read.
    #[error("cannot read {}: {}", .path.display(), io_reason(.source))]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// A file or its folder could not be written.
    #[error("cannot write {}: {}", .path.display(), io_reason(.source))]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The input holds something other than an X.509 certificate.
    #[error("{origin} is not a certificate: {found}")]
    NotACertificate {
        /// Where the bytes came from (a path, or "the input").
        origin: String,
        /// What was found instead.
        found: String,
    },
    /// The file is not a PEM certificate signing request (RFC 2986).
    #[error("{} is not a certificate signing request (CSR): {found}", .path.display())]
    NotACsr {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        found: String,
    },
    /// The file is not a PEM private key.
    #[error("{} is not a PEM private key", .path.display())]
    NotAKey {
        /// The file.
        path: PathBuf,
    },
    /// The CA key is encrypted and no passphrase was given.
    #[error("{} is encrypted: give its passphrase (--passphrase-env VAR)", .path.display())]
    PassphraseNeeded {
        /// The key file.
        path: PathBuf,
    },
    /// The passphrase does not decrypt the key.
    #[error("wrong passphrase for {}", .path.display())]
    WrongPassphrase {
        /// The key file.
        path: PathBuf,
    },
    /// An empty passphrase would encrypt the CA key with nothing.
    #[error("the CA passphrase is empty: choose one, or give none to leave ca.key unencrypted")]
    EmptyPassphrase,
    /// A `.p12` password OpenSSL cannot take (it holds a NUL byte).
    #[error("the .p12 password contains a NUL byte")]
    BadP12Password,
    /// A key and a certificate that should form one pair do not.
    #[error("{} does not belong to {}: they are not one key pair", .key.display(), .cert.display())]
    KeyMismatch {
        /// The key file.
        key: PathBuf,
        /// The certificate file.
        cert: PathBuf,
    },
    /// `ca.crt` is not a CA certificate (RFC 5280 §4.2.1.9: basicConstraints cA is false).
    #[error("{} is not a CA certificate (basicConstraints CA:FALSE): it cannot sign others", .path.display())]
    NotACa {
        /// The certificate file.
        path: PathBuf,
    },
    /// The CA has no subjectKeyIdentifier, so its certificates could not carry the
    /// authorityKeyIdentifier that strict verifiers demand (RFC 5280 §4.2.1.1): it was
    /// made the tutorial's way, or by another tool.
    #[error("{} has no subjectKeyIdentifier, so the certificates it signs could not name it (make a new CA: squirrel ca init --force; or sign the tutorial's way with --tutorial-compat)", .path.display())]
    CaWithoutKeyId {
        /// The CA certificate file.
        path: PathBuf,
    },
    /// The CSR's self-signature does not verify: someone changed it, or it is corrupt.
    #[error("the CSR {} is not signed by its own key: it was altered or is corrupt", .path.display())]
    BadCsrSignature {
        /// The CSR file.
        path: PathBuf,
    },
    /// The CSR's subject has no common name, so the certificate would name no one.
    #[error("the CSR {} names no one: its subject has no CN", .path.display())]
    CsrWithoutCommonName {
        /// The CSR file.
        path: PathBuf,
    },
    /// A server certificate needs at least one subjectAltName (clients ignore the CN,
    /// RFC 6125 §6.4.4), and the CSR asks for none.
    #[error("the CSR {} asks for no names (subjectAltName), and a server certificate needs at least one (make it with: squirrel ca csr --server)", .path.display())]
    NoServerNames {
        /// The CSR file.
        path: PathBuf,
    },
    /// The CSR asks for a kind of name this CA does not sign (only DNS names and IPs).
    #[error("the CSR {} asks for the name {name:?}; this CA signs only DNS names and IP addresses", .path.display())]
    UnsupportedName {
        /// The CSR file.
        path: PathBuf,
        /// The refused name, as text.
        name: String,
    },
    /// A leaf lifetime over [`MAX_LEAF_DAYS`].
    #[error("{days} days is too long: a certificate may last at most {MAX_LEAF_DAYS} days (Apple refuses longer ones)")]
    TooManyDays {
        /// The refused number of days.
        days: u32,
    },
    /// A lifetime of zero days.
    #[error("a certificate must last at least 1 day")]
    ZeroDays,
    /// A certificate name that cannot be a CN and a file name.
    #[error("{name:?} cannot name a certificate: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '.', and not \"ca\"")]
    BadName {
        /// The refused name.
        name: String,
    },
    /// A DNS name with characters a host name cannot have (RFC 1123 §2.1).
    #[error(
        "{name:?} is not a DNS name: use letters, digits, '-' and '.' (optionally '*.' first)"
    )]
    BadDnsName {
        /// The refused name.
        name: String,
    },
    /// `ensure_dev_pki` found some of its files but not all: it overwrites nothing.
    #[error("{} holds only part of a PKI: {} missing, while {} exist (move the folder aside to start afresh)", .dir.display(), .missing.join(", "), .present.join(", "))]
    PartialPki {
        /// The certificate folder.
        dir: PathBuf,
        /// Needed files that are missing.
        missing: Vec<String>,
        /// Files of the set that exist.
        present: Vec<String>,
    },
    /// A date outside what the calendar code can show (not before year -262143).
    #[error("{origin} has a date that cannot be read")]
    BadDate {
        /// The certificate.
        origin: String,
    },
    /// OpenSSL itself failed (out of memory, a broken installation, malformed input).
    #[error("OpenSSL failed while {doing}: {source}")]
    OpenSsl {
        /// What was being done, e.g. "signing the certificate".
        doing: &'static str,
        /// OpenSSL's error queue.
        source: ErrorStack,
    },
}

/// Attaches what we were doing to an OpenSSL failure.
trait Doing<T> {
    fn doing(self, doing: &'static str) -> Result<T, PkiError>;
}

impl<T> Doing<T> for Result<T, ErrorStack> {
    fn doing(self, doing: &'static str) -> Result<T, PkiError> {
        self.map_err(|source| PkiError::OpenSsl { doing, source })
    }
}

/// "No such file or directory" rather than "No such file or directory (os error 2)".
fn io_reason(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    }
}

/// The command that makes the CA in the folder holding `path`.
fn init_command(path: &Path) -> String {
    match path.parent() {
        Some(dir) if dir != Path::new(DEFAULT_DIR) && !dir.as_os_str().is_empty() => {
            format!("squirrel ca init --dir {}", dir.display())
        }
        _ => "squirrel ca init".to_string(),
    }
}

/// The kind of key pair to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyType {
    /// ECDSA on NIST P-256 (FIPS 186-4), named curve: small keys, fast handshakes.
    #[default]
    P256,
    /// RSA with a 2048-bit modulus: the tutorial's choice, still universally accepted.
    Rsa2048,
}

impl KeyType {
    /// A fresh private key of this type, from OpenSSL's random generator.
    ///
    /// Errors: [`PkiError::OpenSsl`] if OpenSSL cannot generate the key.
    pub fn generate(self) -> Result<PKey<Private>, PkiError> {
        match self {
            KeyType::P256 => {
                // A named-curve group (the default for curves made from a NID since
                // OpenSSL 1.1): X509_STRICT refuses explicit curve parameters.
                let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)
                    .doing("choosing the P-256 curve")?;
                let ec = EcKey::generate(&group).doing("generating a P-256 key")?;
                PKey::from_ec_key(ec).doing("generating a P-256 key")
            }
            KeyType::Rsa2048 => {
                let rsa = Rsa::generate(2048).doing("generating an RSA key")?;
                PKey::from_rsa(rsa).doing("generating an RSA key")
            }
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyType::P256 => "EC P-256",
            KeyType::Rsa2048 => "RSA 2048 bits",
        })
    }
}

/// The three kinds of certificate this CA makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The CA's own, self-signed certificate.
    Ca,
    /// A TLS server's certificate (serverAuth).
    Server,
    /// A TLS client's certificate (clientAuth), for mutual TLS.
    Client,
}

/// The profiles a CSR can be signed under: a leaf is a server or a client, never a CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafProfile {
    /// A TLS server (serverAuth).
    Server,
    /// A TLS client (clientAuth).
    Client,
}

impl From<LeafProfile> for Profile {
    fn from(leaf: LeafProfile) -> Profile {
        match leaf {
            LeafProfile::Server => Profile::Server,
            LeafProfile::Client => Profile::Client,
        }
    }
}

impl LeafProfile {
    /// The usual certificate name for this profile: "server" or "client".
    pub fn default_name(self) -> &'static str {
        match self {
            LeafProfile::Server => SERVER_NAME,
            LeafProfile::Client => CLIENT_NAME,
        }
    }

    fn purpose(self) -> X509PurposeId {
        match self {
            LeafProfile::Server => X509PurposeId::SSL_SERVER,
            LeafProfile::Client => X509PurposeId::SSL_CLIENT,
        }
    }

    fn role(self) -> &'static str {
        match self {
            LeafProfile::Server => "a TLS server",
            LeafProfile::Client => "a TLS client",
        }
    }
}

/// One bit of the keyUsage extension (RFC 5280 §4.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsageFlag {
    /// Signs data, e.g. the TLS handshake (ECDHE key exchange, TLS 1.3).
    DigitalSignature,
    /// Decrypts a key sent to it: TLS 1.2's RSA key exchange needs it on RSA keys.
    KeyEncipherment,
    /// Signs certificates: only a CA.
    KeyCertSign,
    /// Signs certificate revocation lists: only a CA.
    CrlSign,
}

/// One purpose of the extendedKeyUsage extension (RFC 5280 §4.2.1.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtKeyUsage {
    /// id-kp-serverAuth: may be a TLS server.
    ServerAuth,
    /// id-kp-clientAuth: may be a TLS client.
    ClientAuth,
}

/// The extensions of one profile (RFC 5280 §4.2.1), as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extensions {
    /// Whether the basicConstraints extension (§4.2.1.9) is present; it is critical when
    /// it is. Only the tutorial's leaves go without it.
    pub basic_constraints: bool,
    /// basicConstraints cA: whether the certificate may sign certificates.
    pub ca: bool,
    /// basicConstraints pathLenConstraint: 0 means the CA signs only leaves.
    pub path_len: Option<u32>,
    /// keyUsage bits; the extension is critical, and absent when there are no bits.
    pub key_usage: &'static [KeyUsageFlag],
    /// Adds keyEncipherment when the certificate's key is RSA (TLS 1.2 RSA key exchange);
    /// an EC key cannot encipher, so it never gets it.
    pub key_encipherment_for_rsa: bool,
    /// extendedKeyUsage purposes (not critical); empty means no extension.
    pub extended_key_usage: &'static [ExtKeyUsage],
    /// subjectKeyIdentifier (§4.2.1.2): a hash of the public key.
    pub subject_key_id: bool,
    /// authorityKeyIdentifier (§4.2.1.1) with the issuer's key id, so verifiers find the
    /// issuer; a self-signed CA may omit it.
    pub authority_key_id: bool,
}

impl Profile {
    /// The profile table: which extensions each kind of certificate carries. Every
    /// certificate also gets a random serial, SHA-256 signature and the subject and
    /// validity chosen by the caller.
    pub const fn extensions(self) -> Extensions {
        use ExtKeyUsage::{ClientAuth, ServerAuth};
        use KeyUsageFlag::{CrlSign, DigitalSignature, KeyCertSign};
        match self {
            Profile::Ca => Extensions {
                basic_constraints: true,
                ca: true,
                path_len: Some(0),
                key_usage: &[KeyCertSign, CrlSign],
                key_encipherment_for_rsa: false,
                extended_key_usage: &[],
                subject_key_id: true,
                authority_key_id: false,
            },
            Profile::Server => Extensions {
                basic_constraints: true,
                ca: false,
                path_len: None,
                key_usage: &[DigitalSignature],
                key_encipherment_for_rsa: true,
                extended_key_usage: &[ServerAuth],
                subject_key_id: true,
                authority_key_id: true,
            },
            Profile::Client => Extensions {
                basic_constraints: true,
                ca: false,
                path_len: None,
                key_usage: &[DigitalSignature],
                key_encipherment_for_rsa: true,
                extended_key_usage: &[ClientAuth],
                subject_key_id: true,
                authority_key_id: true,
            },
        }
    }

    /// The tutorial's rows ("Exploring HTTPS with Python", `pki_helpers.py`): its CA
    /// certificate carries only `BasicConstraints(ca=True, path_length=None)`, critical;
    /// its `sign_csr` copies the CSR's extensions (the subjectAltNames) and adds nothing.
    /// No keyUsage, no extendedKeyUsage, no key identifiers, and no basicConstraints on
    /// leaves. Classic verification accepts such a chain; OpenSSL's X509_STRICT (and so
    /// Python 3.13's default context) refuses it: the leaf has no authorityKeyIdentifier,
    /// the CA no keyUsage and no subjectKeyIdentifier.
    pub const fn tutorial_extensions(self) -> Extensions {
        match self {
            Profile::Ca => Extensions {
                basic_constraints: true,
                ca: true,
                path_len: None,
                key_usage: &[],
                key_encipherment_for_rsa: false,
                extended_key_usage: &[],
                subject_key_id: false,
                authority_key_id: false,
            },
            Profile::Server | Profile::Client => Extensions {
                basic_constraints: false,
                ca: false,
                path_len: None,
                key_usage: &[],
                key_encipherment_for_rsa: false,
                extended_key_usage: &[],
                subject_key_id: false,
                authority_key_id: false,
            },
        }
    }

    /// [`Profile::tutorial_extensions`] when `tutorial_compat`, else
    /// [`Profile::extensions`].
    const fn row(self, tutorial_compat: bool) -> Extensions {
        if tutorial_compat {
            self.tutorial_extensions()
        } else {
            self.extensions()
        }
    }
}

/// A subjectAltName entry (RFC 5280 §4.2.1.6) this CA signs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AltName {
    Dns(String),
    Ip(IpAddr),
}

impl fmt::Display for AltName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AltName::Dns(name) => f.write_str(name),
            AltName::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// Who signs a certificate: the CA's certificate and key, or (for the CA itself) only
/// the key, which makes the certificate self-signed.
struct Signer<'a> {
    cert: Option<&'a X509Ref>,
    key: &'a PKeyRef<Private>,
}

/// Makes one certificate by applying one row of the profile table: the single place
/// where extensions are chosen.
fn build_certificate<T: HasPublic>(
    row: &Extensions,
    subject: &X509NameRef,
    public_key: &PKeyRef<T>,
    alt_names: &[AltName],
    not_after: &Asn1TimeRef,
    signer: &Signer<'_>,
) -> Result<X509, ErrorStack> {
    let mut builder = X509Builder::new()?;
    // Version 3 (the value is zero-based): extensions exist only in v3 (RFC 5280 §4.1.2.1).
    builder.set_version(2)?;
    let serial = random_serial()?;
    builder.set_serial_number(&serial)?;
    builder.set_subject_name(subject)?;
    builder.set_issuer_name(signer.cert.map_or(subject, |ca| ca.subject_name()))?;
    builder.set_pubkey(public_key)?;
    let now = Asn1Time::days_from_now(0)?;
    builder.set_not_before(&now)?;
    builder.set_not_after(not_after)?;

    if row.basic_constraints {
        let mut basic = BasicConstraints::new();
        basic.critical();
        if row.ca {
            basic.ca();
        }
        if let Some(len) = row.path_len {
            basic.pathlen(len);
        }
        builder.append_extension(basic.build()?)?;
    }

    let rsa_encipherment = row.key_encipherment_for_rsa && public_key.id() == Id::RSA;
    if !row.key_usage.is_empty() || rsa_encipherment {
        let mut usage = KeyUsage::new();
        usage.critical();
        for flag in row.key_usage {
            match flag {
                KeyUsageFlag::DigitalSignature => usage.digital_signature(),
                KeyUsageFlag::KeyEncipherment => usage.key_encipherment(),
                KeyUsageFlag::KeyCertSign => usage.key_cert_sign(),
                KeyUsageFlag::CrlSign => usage.crl_sign(),
            };
        }
        if rsa_encipherment {
            usage.key_encipherment();
        }
        builder.append_extension(usage.build()?)?;
    }

    if !row.extended_key_usage.is_empty() {
        let mut extended = ExtendedKeyUsage::new();
        for purpose in row.extended_key_usage {
            match purpose {
                ExtKeyUsage::ServerAuth => extended.server_auth(),
                ExtKeyUsage::ClientAuth => extended.client_auth(),
            };
        }
        builder.append_extension(extended.build()?)?;
    }
    if row.subject_key_id {
        let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(signer.cert, None))?;
        builder.append_extension(ski)?;
    }
    if row.authority_key_id {
        let aki = AuthorityKeyIdentifier::new()
            .keyid(false)
            .build(&builder.x509v3_context(signer.cert, None))?;
        builder.append_extension(aki)?;
    }
    if !alt_names.is_empty() {
        let san = subject_alt_name(alt_names).build(&builder.x509v3_context(signer.cert, None))?;
        builder.append_extension(san)?;
    }
    builder.sign(signer.key, MessageDigest::sha256())?;
    Ok(builder.build())
}

fn subject_alt_name(alt_names: &[AltName]) -> SubjectAlternativeName {
    let mut san = SubjectAlternativeName::new();
    for name in alt_names {
        match name {
            AltName::Dns(dns) => san.dns(dns),
            AltName::Ip(ip) => san.ip(&ip.to_string()),
        };
    }
    san
}

/// 127 random bits with the top one set: a positive serial of exactly 16 octets, within
/// RFC 5280 §4.1.2.2's 20, and unguessable (CA/B Forum asks for 64 random bits).
fn random_serial() -> Result<Asn1Integer, ErrorStack> {
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::ONE, false)?;
    serial.to_asn1_integer()
}

/// `O=Secret Squirrels, CN=<common_name>`, most general first as X.500 orders it.
fn subject_name(common_name: &str) -> Result<openssl::x509::X509Name, ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, ORGANIZATION)?;
    name.append_entry_by_nid(Nid::COMMONNAME, common_name)?;
    Ok(name.build())
}

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

/// Options of [`issue`]: those of [`make_csr`] and [`sign_csr`] together.
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// The certificate name: CN, and the file names `<name>.{key,csr,crt,p12}`.
    pub name: String,
    /// Server or client.
    pub profile: LeafProfile,
    /// Extra DNS names.
    pub dns: Vec<String>,
    /// Extra IP addresses.
    pub ips: Vec<IpAddr>,
    /// Lifetime in days, 1 to [`MAX_LEAF_DAYS`].
    pub days: u32,
    /// The new key's type.
    pub key_type: KeyType,
    /// Replace existing files.
    pub force: bool,
    /// The passphrase of `ca.key`, if it is encrypted.
    pub ca_passphrase: Option<String>,
    /// Password for the client's `<name>.p12`; `None` makes a random one.
    pub p12_password: Option<String>,
    /// Make it the tutorial's way, for the lesson only: an RSA 2048 key, a request for
    /// only the names in `dns`/`ips` (none by default: the name is then only in the CN,
    /// as the tutorial's `hostname`), signed as [`SignOptions::tutorial_compat`] does.
    pub tutorial_compat: bool,
}

impl IssueOptions {
    /// `name` under `profile` with the defaults: no extra names, [`DEFAULT_LEAF_DAYS`],
    /// P-256, no passphrase, a random `.p12` password, no `force`, the modern way.
    pub fn new(name: impl Into<String>, profile: LeafProfile) -> Self {
        IssueOptions {
            name: name.into(),
            profile,
            dns: Vec::new(),
            ips: Vec::new(),
            days: DEFAULT_LEAF_DAYS,
            key_type: KeyType::default(),
            force: false,
            ca_passphrase: None,
            p12_password: None,
            tutorial_compat: false,
        }
    }
}

/// What one step made, for the caller to tell the user (see its `Display`).
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
    /// The random `.p12` password, when none was given. `Display` prints it: print an
    /// `Issued` once, to the user only, never to a log.
    pub p12_password_generated: Option<String>,
    /// Whom the certificate is for: its subjectAltNames as text, or its CN when it has
    /// none.
    pub names: Vec<String>,
    /// The end of validity (notAfter).
    pub not_after: DateTime<Utc>,
    /// The issuer's CN.
    pub issuer: String,
    /// Things the user should know, one line each (e.g. an unencrypted CA key).
    pub warnings: Vec<String>,
}

impl fmt::Display for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let until = self.not_after.format("%-d %b %Y");
        if self.profile == Profile::Ca {
            write!(f, "Created the CA {} ({}", self.issuer, self.cert.display())?;
            if let Some(key) = &self.key {
                write!(f, ", {}", key.display())?;
            }
            return write!(f, ") — valid until {until}");
        }
        let file = self.cert.file_name().map_or_else(
            || self.cert.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        write!(
            f,
            "Created {file} for {} — valid until {until} — signed by {}",
            self.names.join(", "),
            self.issuer
        )?;
        write!(f, "\n  certificate: {}", self.cert.display())?;
        if let Some(key) = &self.key {
            write!(f, "\n  key:         {} (secret)", key.display())?;
        }
        if let Some(csr) = &self.csr {
            write!(f, "\n  request:     {}", csr.display())?;
        }
        if let Some(p12) = &self.p12 {
            write!(
                f,
                "\n  for browsers: {} (secret: key and certificate)",
                p12.display()
            )?;
        }
        if let Some(password) = &self.p12_password_generated {
            write!(f, "\nThe p12 password is: {password} (shown only once)")?;
        }
        Ok(())
    }
}

/// The warning every certificate made with `tutorial_compat` carries.
fn tutorial_warning(cert: &Path) -> String {
    format!(
        "{} made the tutorial's way: strict verifiers refuse it; for the lesson only",
        cert.display()
    )
}

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
        write_one(dir, output, force)?;
    }
    Ok(())
}

fn write_one(dir: &Path, output: &Output, force: bool) -> Result<(), PkiError> {
    let write_error = |source| PkiError::Write {
        path: output.path.clone(),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".squirrel-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if output.secret { 0o600 } else { 0o644 };
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(dir).map_err(write_error)?;
    file.write_all(&output.bytes).map_err(write_error)?;
    file.as_file().sync_all().map_err(write_error)?;
    let persisted = if force {
        file.persist(&output.path)
    } else {
        file.persist_noclobber(&output.path)
    };
    match persisted {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(PkiError::Exists {
            path: output.path.clone(),
        }),
        Err(e) => Err(write_error(e.error)),
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
    let subject = subject_name(CA_COMMON_NAME).doing("naming the CA")?;
    let not_after = Asn1Time::days_from_now(CA_DAYS).doing("dating the CA")?;
    let signer = Signer {
        cert: None,
        key: &key,
    };
    let row = Profile::Ca.row(options.tutorial_compat);
    let cert = build_certificate(&row, &subject, &key, &[], &not_after, &signer)
        .doing("making the CA certificate")?;
    let key_pem = match &options.passphrase {
        Some(passphrase) => key
            .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), passphrase.as_bytes())
            .doing("encrypting the CA key")?,
        None => key
            .private_key_to_pem_pkcs8()
            .doing("encoding the CA key")?,
    };
    let cert_path = dir.join(CA_CERT);
    let key_path = dir.join(CA_KEY);
    write_outputs(
        dir,
        &[
            Output {
                path: cert_path.clone(),
                bytes: cert.to_pem().doing("encoding the CA certificate")?,
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
    let mut warnings = Vec::new();
    if options.tutorial_compat {
        warnings.push(tutorial_warning(&cert_path));
    }
    if options.passphrase.is_none() {
        warnings.push(format!(
            "{} is not encrypted: anyone who can read it can make certificates your machines trust (encrypt it with --passphrase-env VAR)",
            key_path.display()
        ));
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
        warnings,
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
    let subject = subject_name(&options.name).doing("naming the request")?;
    let mut builder = X509ReqBuilder::new().doing("starting the request")?;
    // Version 1, the only one PKCS#10 defines (RFC 2986 §4.1), is encoded as 0.
    builder.set_version(0).doing("starting the request")?;
    builder
        .set_subject_name(&subject)
        .doing("naming the request")?;
    builder.set_pubkey(&key).doing("adding the public key")?;
    if !alt_names.is_empty() {
        let san = subject_alt_name(&alt_names)
            .build(&builder.x509v3_context(None))
            .doing("adding the requested names")?;
        let mut requested = Stack::new().doing("adding the requested names")?;
        requested.push(san).doing("adding the requested names")?;
        builder
            .add_extensions(&requested)
            .doing("adding the requested names")?;
    }
    builder
        .sign(&key, MessageDigest::sha256())
        .doing("signing the request")?;
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
                bytes: key.private_key_to_pem_pkcs8().doing("encoding the key")?,
                secret: true,
            },
            Output {
                path: csr_path.clone(),
                bytes: request.to_pem().doing("encoding the request")?,
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
    let key = request.public_key().doing("reading the request's key")?;
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
        found: "it cannot be parsed".to_string(),
    })
}

/// The subjectAltNames a CSR requests. OpenSSL decodes them: the requested extensions
/// are put on a scratch certificate, whose SAN parser then reads them.
fn csr_alt_names(request: &X509Req, path: &Path) -> Result<Vec<AltName>, PkiError> {
    // No extension request at all is not an error; OpenSSL reports it as one.
    let Ok(extensions) = request.extensions() else {
        return Ok(Vec::new());
    };
    let mut scratch = X509Builder::new().doing("reading the request's names")?;
    for extension in &extensions {
        scratch
            .append_extension2(extension)
            .doing("reading the request's names")?;
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

fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
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
    let public = cert.public_key().doing("reading the CA's public key")?;
    if !public.public_eq(&key) {
        return Err(PkiError::KeyMismatch {
            key: key_path,
            cert: cert_path,
        });
    }
    if !is_ca(&cert).doing("reading the CA's basicConstraints")? {
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

    let public_key = request.public_key().doing("reading the request's key")?;
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
    let mut warnings = Vec::new();
    if options.tutorial_compat {
        warnings.push(tutorial_warning(&cert_path));
        if options.profile == LeafProfile::Server && alt_names.is_empty() {
            warnings.push(format!(
                "{} names no host (no subjectAltName): its name is only in the CN, which browsers and other modern clients ignore",
                cert_path.display()
            ));
        }
    }
    let wanted = Asn1Time::days_from_now(options.days).doing("dating the certificate")?;
    // A certificate that outlives its CA stops verifying when the CA expires anyway.
    let not_after: &Asn1TimeRef = if wanted > *ca.cert.not_after() {
        warnings.push(format!(
            "the certificate would outlive the CA, so it ends with the CA on {}",
            to_datetime(ca.cert.not_after(), CA_CERT)?.format("%-d %b %Y")
        ));
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
        .doing("signing the certificate")?;

    let mut outputs = vec![Output {
        path: cert_path.clone(),
        bytes: cert.to_pem().doing("encoding the certificate")?,
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
        let mut chain = Stack::new().doing("bundling the .p12")?;
        chain.push(ca.cert.clone()).doing("bundling the .p12")?;
        let bundle = Pkcs12::builder()
            .name(name)
            .pkey(key)
            .cert(&cert)
            .ca(chain)
            .build2(&password)
            .doing("bundling the .p12")?;
        let path = dir.join(format!("{name}.p12"));
        outputs.push(Output {
            path: path.clone(),
            bytes: bundle.to_der().doing("encoding the .p12")?,
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
        warnings,
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
            let request_key = request.public_key().doing("reading the request's key")?;
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
    let csr_options = CsrOptions {
        name: options.name.clone(),
        profile: options.profile,
        dns: options.dns.clone(),
        ips: options.ips.clone(),
        key_type: if options.tutorial_compat {
            KeyType::Rsa2048
        } else {
            options.key_type
        },
        force: options.force,
    };
    let sign_options = SignOptions {
        profile: options.profile,
        days: options.days,
        ca_passphrase: options.ca_passphrase.clone(),
        force: options.force,
        p12_password: options.p12_password.clone(),
        tutorial_compat: options.tutorial_compat,
    };
    let (key, request) = build_csr(&csr_options, options.tutorial_compat)?;
    let key_path = dir.join(format!("{}.key", options.name));
    let csr_path = dir.join(format!("{}.csr", options.name));
    let (signed, mut issued) = sign_request(
        dir,
        &csr_path,
        &options.name,
        &request,
        Some(&key),
        &sign_options,
    )?;
    let mut outputs = vec![
        Output {
            path: key_path.clone(),
            bytes: key.private_key_to_pem_pkcs8().doing("encoding the key")?,
            secret: true,
        },
        Output {
            path: csr_path.clone(),
            bytes: request.to_pem().doing("encoding the request")?,
            secret: false,
        },
    ];
    outputs.extend(signed);
    write_outputs(dir, &outputs, options.force)?;
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
        openssl::rand::rand_bytes(&mut buffer).doing("making a password")?;
        for &byte in &buffer {
            if usize::from(byte) < limit && password.len() < P12_PASSWORD_LEN {
                password.push(char::from(P12_ALPHABET[usize::from(byte) % size]));
            }
        }
    }
    Ok(password)
}

// ---------------------------------------------------------------------------------------
// Reading certificates.

/// The PEM label (`CERTIFICATE`, `PRIVATE KEY`…) of the first block, if the bytes are PEM.
fn pem_label(bytes: &[u8]) -> Option<&str> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let start = bytes.windows(BEGIN.len()).position(|w| w == BEGIN)? + BEGIN.len();
    let rest = &bytes[start..];
    let end = rest.windows(5).position(|w| w == b"-----")?;
    std::str::from_utf8(&rest[..end]).ok()
}

fn describe_pem_label(label: &str) -> String {
    if label.contains("PRIVATE KEY") {
        "it holds a private key (keep it secret)".to_string()
    } else if label.contains("CERTIFICATE REQUEST") {
        "it holds a certificate signing request (CSR)".to_string()
    } else if label == "CERTIFICATE" {
        "it holds a certificate".to_string()
    } else {
        format!("it holds a PEM block labelled {label}")
    }
}

/// Parses a certificate, PEM (first block) or DER.
fn parse_certificate(bytes: &[u8], origin: &str) -> Result<X509, PkiError> {
    let parsed = match pem_label(bytes) {
        Some("CERTIFICATE") | Some("TRUSTED CERTIFICATE") | Some("X509 CERTIFICATE") => {
            X509::from_pem(bytes)
        }
        Some(label) => {
            return Err(PkiError::NotACertificate {
                origin: origin.to_string(),
                found: describe_pem_label(label),
            })
        }
        None => X509::from_der(bytes),
    };
    parsed.map_err(|_| PkiError::NotACertificate {
        origin: origin.to_string(),
        found: "it is neither a PEM nor a DER certificate".to_string(),
    })
}

/// An ASN.1 time as a chrono date: the distance from the Unix epoch, measured by
/// OpenSSL (`ASN1_TIME_diff`), so no text is parsed.
fn to_datetime(time: &Asn1TimeRef, origin: &str) -> Result<DateTime<Utc>, PkiError> {
    let epoch = Asn1Time::from_unix(0).doing("reading a date")?;
    let diff = epoch.diff(time).doing("reading a date")?;
    let seconds = i64::from(diff.days) * 86_400 + i64::from(diff.secs);
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| PkiError::BadDate {
        origin: origin.to_string(),
    })
}

/// `22 Nov 2026 03:24:24 UTC`.
fn plain_date(date: &DateTime<Utc>) -> String {
    date.format("%-d %b %Y %H:%M:%S UTC").to_string()
}

fn rfc3339<S: Serializer>(date: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&date.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A distinguished name RFC 4514 style: most specific first (`CN=…, O=…`), with the
/// special characters escaped.
pub fn name_to_string(name: &X509NameRef) -> String {
    let mut parts: Vec<String> = name
        .entries()
        .map(|entry| {
            let object = entry.object();
            let key = object
                .nid()
                .short_name()
                .map_or_else(|_| object.to_string(), str::to_string);
            let value = entry
                .data()
                .to_string()
                .unwrap_or_else(|_| "(unreadable)".to_string());
            format!("{key}={}", escape_rfc4514(&value))
        })
        .collect();
    parts.reverse();
    parts.join(", ")
}

fn escape_rfc4514(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let leading = i == 0 && (c == ' ' || c == '#');
        let trailing = i + 1 == value.chars().count() && c == ' ';
        if leading || trailing || matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn common_name(name: &X509NameRef) -> Option<String> {
    name.entries_by_nid(Nid::COMMONNAME)
        .next()
        .and_then(|entry| entry.data().to_string().ok())
}

fn describe_key<T: HasPublic>(key: &PKeyRef<T>) -> String {
    match key.id() {
        Id::EC => match key.ec_key().ok().and_then(|ec| ec.group().curve_name()) {
            Some(Nid::X9_62_PRIME256V1) => "EC P-256".to_string(),
            Some(Nid::SECP384R1) => "EC P-384".to_string(),
            Some(Nid::SECP521R1) => "EC P-521".to_string(),
            Some(nid) => format!("EC {}", nid.short_name().unwrap_or("(unknown curve)")),
            None => "EC (explicit curve parameters)".to_string(),
        },
        Id::RSA => format!("RSA {} bits", key.bits()),
        Id::ED25519 => "Ed25519".to_string(),
        Id::ED448 => "Ed448".to_string(),
        _ => format!("another kind of key ({} bits)", key.bits()),
    }
}

/// What a basicConstraints extension says (RFC 5280 §4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BasicConstraintsSeen {
    critical: bool,
    ca: bool,
}

/// The basicConstraints extension, if present. The `openssl` crate exposes the path
/// length (`X509_get_pathlen`) but neither the cA flag nor the extension's criticality,
/// so both are read from OpenSSL's own printout of the extension (`X509_print`): the
/// header line says `critical`, the next line `CA:TRUE` or `CA:FALSE`.
fn basic_constraints(cert: &X509Ref) -> Result<Option<BasicConstraintsSeen>, ErrorStack> {
    let text = cert.to_text()?;
    let text = String::from_utf8_lossy(&text);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.trim_start().strip_prefix("X509v3 Basic Constraints:") {
            return Ok(Some(BasicConstraintsSeen {
                critical: rest.trim() == "critical",
                ca: lines
                    .next()
                    .is_some_and(|value| value.trim_start().starts_with("CA:TRUE")),
            }));
        }
    }
    Ok(None)
}

/// Whether basicConstraints says cA (RFC 5280 §4.2.1.9); a path length is set only for
/// CAs, which saves reading the printout.
fn is_ca(cert: &X509Ref) -> Result<bool, ErrorStack> {
    if cert.pathlen().is_some() {
        return Ok(true);
    }
    Ok(basic_constraints(cert)?.is_some_and(|seen| seen.ca))
}

fn key_usage_names(usage: X509KeyUsage) -> Vec<String> {
    // RFC 5280 §4.2.1.3's names, in the bit order it lists them.
    let table = [
        (X509KeyUsage::DIGITAL_SIGNATURE, "digitalSignature"),
        (X509KeyUsage::NON_REPUDIATION, "contentCommitment"),
        (X509KeyUsage::KEY_ENCIPHERMENT, "keyEncipherment"),
        (X509KeyUsage::DATA_ENCIPHERMENT, "dataEncipherment"),
        (X509KeyUsage::KEY_AGREEMENT, "keyAgreement"),
        (X509KeyUsage::KEY_CERT_SIGN, "keyCertSign"),
        (X509KeyUsage::CRL_SIGN, "cRLSign"),
        (X509KeyUsage::ENCIPHER_ONLY, "encipherOnly"),
        (X509KeyUsage::DECIPHER_ONLY, "decipherOnly"),
    ];
    table
        .iter()
        .filter(|(flag, _)| usage.contains(*flag))
        .map(|(_, name)| name.to_string())
        .collect()
}

fn extended_key_usage_names(usage: X509ExtendedKeyUsage) -> Vec<String> {
    // RFC 5280 §4.2.1.12's names (the id-kp-… suffixes).
    let table = [
        (X509ExtendedKeyUsage::SSL_SERVER, "serverAuth"),
        (X509ExtendedKeyUsage::SSL_CLIENT, "clientAuth"),
        (X509ExtendedKeyUsage::CODE_SIGN, "codeSigning"),
        (X509ExtendedKeyUsage::SMIME, "emailProtection"),
        (X509ExtendedKeyUsage::TIMESTAMP, "timeStamping"),
        (X509ExtendedKeyUsage::OCSP_SIGN, "OCSPSigning"),
        (X509ExtendedKeyUsage::DVCS, "dvcs"),
        (X509ExtendedKeyUsage::SGC, "serverGatedCrypto"),
        (X509ExtendedKeyUsage::ANYEKU, "anyExtendedKeyUsage"),
    ];
    table
        .iter()
        .filter(|(flag, _)| usage.contains(*flag))
        .map(|(_, name)| name.to_string())
        .collect()
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A certificate in plain words: what `squirrel ca inspect` prints (`Display`) or
/// serializes (`--json`, dates in RFC 3339). Inspecting is not verifying: nothing here
/// says whether anyone should trust it (see [`verify`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertSummary {
    /// Subject, RFC 4514 style (`CN=localhost, O=Secret Squirrels`).
    pub subject: String,
    /// Issuer, same style.
    pub issuer: String,
    /// Whether the issuer is the subject and the certificate's own key signed it.
    pub self_signed: bool,
    /// Start of validity (RFC 5280 §4.1.2.5).
    #[serde(serialize_with = "rfc3339")]
    pub not_before: DateTime<Utc>,
    /// End of validity.
    #[serde(serialize_with = "rfc3339")]
    pub not_after: DateTime<Utc>,
    /// subjectAltNames with their kind: `DNS:localhost`, `IP:127.0.0.1`, `email:…`,
    /// `URI:…` (RFC 5280 §4.2.1.6).
    pub subject_alt_names: Vec<String>,
    /// The public key: `EC P-256`, `RSA 2048 bits`, `Ed25519`…
    pub key: String,
    /// keyUsage bits by their RFC 5280 names; `None` when the extension is absent
    /// (any usage).
    pub key_usage: Option<Vec<String>>,
    /// extendedKeyUsage purposes (`serverAuth`, `clientAuth`…); `None` when absent.
    pub extended_key_usage: Option<Vec<String>>,
    /// basicConstraints cA: whether it may sign certificates.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint, for CAs that have one.
    pub path_len: Option<u32>,
    /// Serial number, upper-case hex as `openssl x509 -serial` prints it.
    pub serial: String,
    /// SHA-256 of the DER certificate, colon hex as `openssl x509 -fingerprint -sha256`.
    pub sha256_fingerprint: String,
}

impl fmt::Display for CertSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "From {} to {}, I am {} according to {}{}.",
            plain_date(&self.not_before),
            plain_date(&self.not_after),
            self.subject,
            self.issuer,
            if self.self_signed {
                " (myself: self-signed)"
            } else {
                ""
            }
        )?;
        let names = if self.subject_alt_names.is_empty() {
            "(none)".to_string()
        } else {
            self.subject_alt_names.join(", ")
        };
        writeln!(f, "Names (SAN):         {names}")?;
        writeln!(f, "Key:                 {}", self.key)?;
        let list = |items: &Option<Vec<String>>, absent: &str| match items {
            Some(items) if !items.is_empty() => items.join(", "),
            Some(_) => "(none)".to_string(),
            None => absent.to_string(),
        };
        writeln!(
            f,
            "Key usage:           {}",
            list(&self.key_usage, "(no extension: any)")
        )?;
        writeln!(
            f,
            "Extended key usage:  {}",
            list(&self.extended_key_usage, "(no extension: any)")
        )?;
        let ca = match (self.is_ca, self.path_len) {
            (true, Some(0)) => {
                "yes, it may sign certificates (pathlen 0: no intermediate CAs)".to_string()
            }
            (true, Some(n)) => format!("yes, it may sign certificates (pathlen {n})"),
            (true, None) => "yes, it may sign certificates".to_string(),
            (false, _) => "no".to_string(),
        };
        writeln!(f, "CA:                  {ca}")?;
        writeln!(f, "Serial:              {}", self.serial)?;
        writeln!(f, "SHA-256 fingerprint: {}", self.sha256_fingerprint)
    }
}

/// Reads a certificate (PEM or DER) in plain words.
///
/// Errors: [`PkiError::NotACertificate`] (saying what the input holds instead, e.g. a
/// private key), [`PkiError::OpenSsl`].
pub fn inspect(bytes: &[u8]) -> Result<CertSummary, PkiError> {
    let cert = parse_certificate(bytes, "the input")?;
    summarize(&cert, "the input")
}

/// [`inspect`] for a file; errors name the file.
///
/// Errors: [`PkiError::Read`] and those of [`inspect`].
pub fn inspect_file(path: &Path) -> Result<CertSummary, PkiError> {
    let bytes = fs::read(path).map_err(|source| PkiError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let origin = path.display().to_string();
    let cert = parse_certificate(&bytes, &origin)?;
    summarize(&cert, &origin)
}

fn summarize(cert: &X509Ref, origin: &str) -> Result<CertSummary, PkiError> {
    let key = cert.public_key().doing("reading the public key")?;
    let self_signed =
        cert.issued(cert) == X509VerifyResult::OK && cert.verify(&key).unwrap_or(false);
    let subject_alt_names = cert
        .subject_alt_names()
        .map(|names| {
            names
                .iter()
                .map(|name| {
                    if let Some(dns) = name.dnsname() {
                        format!("DNS:{dns}")
                    } else if let Some(ip) = name.ipaddress() {
                        ip_from_bytes(ip).map_or_else(
                            || format!("IP:{}", colon_hex(ip)),
                            |ip| format!("IP:{ip}"),
                        )
                    } else if let Some(email) = name.email() {
                        format!("email:{email}")
                    } else if let Some(uri) = name.uri() {
                        format!("URI:{uri}")
                    } else {
                        "(another kind of name)".to_string()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let serial = cert
        .serial_number()
        .to_bn()
        .and_then(|bn| bn.to_hex_str().map(|hex| hex.to_string()))
        .doing("reading the serial number")?;
    let fingerprint = cert
        .digest(MessageDigest::sha256())
        .doing("hashing the certificate")?;
    Ok(CertSummary {
        subject: name_to_string(cert.subject_name()),
        issuer: name_to_string(cert.issuer_name()),
        self_signed,
        not_before: to_datetime(cert.not_before(), origin)?,
        not_after: to_datetime(cert.not_after(), origin)?,
        subject_alt_names,
        key: describe_key(&key),
        key_usage: cert.key_usage().map(key_usage_names),
        extended_key_usage: cert.extended_key_usage().map(extended_key_usage_names),
        is_ca: is_ca(cert).doing("reading basicConstraints")?,
        path_len: cert.pathlen(),
        serial,
        sha256_fingerprint: colon_hex(&fingerprint),
    })
}

// ---------------------------------------------------------------------------------------
// Verifying certificates.

/// Which check of [`verify`] a [`Check`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// The chain to the CA (RFC 5280 §6), under OpenSSL's X509_STRICT rules, or under
    /// the classic rules when only the strict ones fail (then [`CheckKind::Strict`]
    /// checks follow).
    Chain,
    /// One strict X.509 rule the chain breaks although the classic rules hold: what
    /// `openssl verify -x509_strict` and Python 3.13's default `VERIFY_X509_STRICT`
    /// refuse, e.g. a missing authorityKeyIdentifier. Only failures are reported.
    Strict,
    /// notBefore ≤ now ≤ notAfter, for the certificate and the CA.
    Dates,
    /// keyUsage/extendedKeyUsage allow the TLS role (OpenSSL's sslserver/sslclient
    /// purpose).
    Usage,
    /// For a certificate checked as a TLS server: it names hosts in subjectAltName
    /// (RFC 5280 §4.2.1.6), the only place browsers and RFC 9525 clients look.
    Names,
}

/// One check and its outcome, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Which check.
    pub kind: CheckKind,
    /// Whether it passed.
    pub passed: bool,
    /// What was found, e.g. `not signed by this CA: …`, `expired on …`.
    pub detail: String,
}

/// The outcome of [`verify`]: every check, passed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The certificate checked.
    pub cert: PathBuf,
    /// The CA certificate it was checked against.
    pub ca: PathBuf,
    /// The certificate's subject.
    pub subject: String,
    /// The checks, in the order chain, strict rules broken (if any), dates, usage(s),
    /// names (for a server).
    pub checks: Vec<Check>,
}

impl VerifyReport {
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|check| check.passed)
    }

    /// The first failed check, if any.
    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|check| !check.passed)
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) against {}:",
            self.cert.display(),
            self.subject,
            self.ca.display()
        )?;
        for check in &self.checks {
            let mark = if check.passed { "ok  " } else { "FAIL" };
            write!(f, "\n  {mark} {}", check.detail)?;
        }
        Ok(())
    }
}

// OpenSSL's verification results (include/openssl/x509_vfy.h), for the plain words.
const V_ERR_UNABLE_TO_GET_ISSUER_CERT: i32 = 2;
const V_ERR_CERT_SIGNATURE_FAILURE: i32 = 7;
const V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: i32 = 18;
const V_ERR_SELF_SIGNED_CERT_IN_CHAIN: i32 = 19;
const V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
const V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: i32 = 21;
const V_ERR_PATH_LENGTH_EXCEEDED: i32 = 25;
const V_ERR_INVALID_PURPOSE: i32 = 26;
const V_ERR_KEYUSAGE_NO_CERTSIGN: i32 = 32;
const V_ERR_INVALID_CA: i32 = 79;
const V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER: i32 = 85;
const V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER: i32 = 86;
const V_ERR_EMPTY_SUBJECT_ALT_NAME: i32 = 87;
const V_ERR_CA_BCONS_NOT_CRITICAL: i32 = 89;
const V_ERR_CA_CERT_MISSING_KEY_USAGE: i32 = 92;
const V_ERR_EC_KEY_EXPLICIT_PARAMS: i32 = 94;

/// Runs OpenSSL's verification of `cert` against a store holding only `ca`, dates aside,
/// with X509_STRICT when `strict` and with `purpose`; returns the result code and the
/// depth it concerns (0 = the certificate, 1 = the CA).
fn openssl_verify(
    ca: &X509,
    cert: &X509,
    strict: bool,
    purpose: Option<X509PurposeId>,
) -> Result<(X509VerifyResult, u32), ErrorStack> {
    let mut store = X509StoreBuilder::new()?;
    store.add_cert(ca.clone())?;
    let mut flags = X509VerifyFlags::NO_CHECK_TIME;
    if strict {
        flags |= X509VerifyFlags::X509_STRICT;
    }
    store.set_flags(flags)?;
    if let Some(purpose) = purpose {
        store.set_purpose(purpose)?;
    }
    let store = store.build();
    let chain = Stack::new()?;
    let mut context = X509StoreContext::new()?;
    context.init(&store, cert, &chain, |context| {
        context.verify_cert()?;
        Ok((context.error(), context.error_depth()))
    })
}

/// The chain check's failure in plain words.
fn explain_chain(result: X509VerifyResult, depth: u32, cert: &X509, ca: &X509) -> String {
    let which = if depth == 0 {
        "this certificate"
    } else {
        "the CA certificate"
    };
    let ca_name = name_to_string(ca.subject_name());
    let issuer = name_to_string(cert.issuer_name());
    match result.as_raw() {
        V_ERR_UNABLE_TO_GET_ISSUER_CERT
        | V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
        | V_ERR_SELF_SIGNED_CERT_IN_CHAIN => {
            if issuer == ca_name {
                format!(
                    "not signed by this CA: it names {ca_name} as its issuer, but another key signed it (that CA was made again, e.g. with ca init --force, or elsewhere)"
                )
            } else {
                format!("not signed by this CA: its issuer is {issuer}, this CA is {ca_name}")
            }
        }
        V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT => {
            format!("not signed by this CA: it is self-signed, and this CA is {ca_name}")
        }
        V_ERR_CERT_SIGNATURE_FAILURE => format!(
            "not signed by this CA: the signature does not match {ca_name}'s key (another CA with the same name, or an altered certificate)"
        ),
        V_ERR_INVALID_CA => match basic_constraints(ca) {
            Ok(None) => "the CA certificate never says it is a CA: it has no basicConstraints CA:TRUE (RFC 5280 §4.2.1.9)".to_string(),
            _ => "the CA certificate is not a CA (basicConstraints CA:FALSE)".to_string(),
        },
        V_ERR_KEYUSAGE_NO_CERTSIGN => {
            "the CA certificate's keyUsage does not allow signing certificates (keyCertSign)".to_string()
        }
        V_ERR_PATH_LENGTH_EXCEEDED => "the chain is longer than the CA's pathlen allows".to_string(),
        V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER => format!(
            "{which} breaks the strict X.509 rules: no authorityKeyIdentifier (RFC 5280 §4.2.1.1; Python 3.13 refuses it too)"
        ),
        V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER => format!(
            "{which} breaks the strict X.509 rules: no subjectKeyIdentifier (RFC 5280 §4.2.1.2; Python 3.13 refuses it too)"
        ),
        V_ERR_CA_CERT_MISSING_KEY_USAGE => "the CA certificate breaks the strict X.509 rules: no keyUsage (RFC 5280 §4.2.1.3)".to_string(),
        V_ERR_CA_BCONS_NOT_CRITICAL => "the CA certificate breaks the strict X.509 rules: basicConstraints is not critical (RFC 5280 §4.2.1.9)".to_string(),
        V_ERR_EMPTY_SUBJECT_ALT_NAME => format!("{which} breaks the strict X.509 rules: an empty subjectAltName"),
        V_ERR_EC_KEY_EXPLICIT_PARAMS => format!("{which} breaks the strict X.509 rules: its EC key spells out the curve instead of naming it"),
        code => format!(
            "{which} fails the chain check: {} (OpenSSL verify error {code})",
            result.error_string()
        ),
    }
}

/// How the chain check reads when only the classic rules hold.
const CLASSIC_ONLY: &str =
    "classic rules only: the strict ones, which openssl verify -x509_strict and Python 3.13 apply, fail below";

/// The strict-only failures [`strict_rule_breaks`] recognises; any other one is
/// reported in OpenSSL's words.
const LINTED_STRICT_ERRORS: &[i32] = &[
    V_ERR_INVALID_CA,
    V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER,
    V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER,
    V_ERR_CA_BCONS_NOT_CRITICAL,
    V_ERR_CA_CERT_MISSING_KEY_USAGE,
];

/// The strict X.509 rules (OpenSSL's X509_STRICT checks, taken from RFC 5280) that the
/// chain `cert` ← `ca` breaks, in plain words: the ones the tutorial's certificates
/// break. OpenSSL stops at the first; this lists them all, so a student sees every fix
/// at once. `cert` may be the CA itself (a chain of one).
fn strict_rule_breaks(cert: &X509Ref, ca: &X509Ref) -> Result<Vec<String>, ErrorStack> {
    let mut breaks = Vec::new();
    let cert_is_ca = cert.to_der()? == ca.to_der()?;
    if !cert_is_ca && cert.authority_key_id().is_none() {
        breaks.push(
            "this certificate has no authorityKeyIdentifier, the pointer to the CA key that signed it (RFC 5280 §4.2.1.1)"
                .to_string(),
        );
    }
    match basic_constraints(ca)? {
        None => breaks.push(
            "the CA certificate has no basicConstraints, so it never says it is a CA (RFC 5280 §4.2.1.9)"
                .to_string(),
        ),
        Some(seen) if !seen.critical => breaks.push(
            "the CA certificate's basicConstraints is not marked critical (RFC 5280 §4.2.1.9)"
                .to_string(),
        ),
        Some(_) => {}
    }
    if ca.key_usage().is_none() {
        breaks.push(
            "the CA certificate has no keyUsage saying it may sign certificates (keyCertSign, RFC 5280 §4.2.1.3)"
                .to_string(),
        );
    }
    if ca.subject_key_id().is_none() {
        breaks.push(
            "the CA certificate has no subjectKeyIdentifier, the name its certificates' authorityKeyIdentifier points to (RFC 5280 §4.2.1.2)"
                .to_string(),
        );
    }
    Ok(breaks)
}

/// The names check, for a certificate checked as a TLS server.
fn check_names(cert: &X509Ref) -> Check {
    let names: Option<Vec<String>> = cert.subject_alt_names().map(|names| {
        names
            .iter()
            .filter_map(|name| {
                name.dnsname().map(str::to_string).or_else(|| {
                    name.ipaddress()
                        .and_then(ip_from_bytes)
                        .map(|ip| ip.to_string())
                })
            })
            .collect()
    });
    let cn = common_name(cert.subject_name()).unwrap_or_default();
    match names {
        Some(names) if !names.is_empty() => Check {
            kind: CheckKind::Names,
            passed: true,
            detail: format!(
                "names: {} (subjectAltName: the host a client connects to must be one of them)",
                names.join(", ")
            ),
        },
        Some(_) => Check {
            kind: CheckKind::Names,
            passed: false,
            detail: "its subjectAltName names no host name or IP address, so no TLS client can match it".to_string(),
        },
        None => Check {
            kind: CheckKind::Names,
            passed: false,
            detail: format!(
                "no subjectAltName: the name {cn:?} is only in the CN, which browsers and other modern clients ignore (RFC 9525), so they find no host name in it"
            ),
        },
    }
}

/// The dates check, for the certificate and the CA.
fn check_dates(cert: &X509, ca: &X509, origin: &str) -> Result<Check, PkiError> {
    let now = Utc::now();
    let not_before = to_datetime(cert.not_before(), origin)?;
    let not_after = to_datetime(cert.not_after(), origin)?;
    let ca_not_after = to_datetime(ca.not_after(), CA_CERT)?;
    let ca_not_before = to_datetime(ca.not_before(), CA_CERT)?;
    let failure = if now < not_before {
        Some(format!(
            "not valid yet: it starts on {}",
            plain_date(&not_before)
        ))
    } else if now > not_after {
        Some(format!("expired on {}", plain_date(&not_after)))
    } else if now < ca_not_before {
        Some(format!(
            "the CA is not valid yet: it starts on {}",
            plain_date(&ca_not_before)
        ))
    } else if now > ca_not_after {
        Some(format!("the CA expired on {}", plain_date(&ca_not_after)))
    } else {
        None
    };
    Ok(match failure {
        Some(detail) => Check {
            kind: CheckKind::Dates,
            passed: false,
            detail,
        },
        None => Check {
            kind: CheckKind::Dates,
            passed: true,
            detail: format!(
                "dates: valid from {} until {}",
                plain_date(&not_before),
                plain_date(&not_after)
            ),
        },
    })
}

/// Checks the certificate at `cert` against the CA: `ca` is the CA certificate or the
/// folder holding `ca.crt`. Each check is reported in plain words:
/// 1. chain: OpenSSL's `X509_verify_cert` with X509_STRICT (as `openssl verify
///    -x509_strict`), dates aside: "not signed by this CA", or why not. When only the
///    strict rules fail (the tutorial's certificates), the chain is reported sound under
///    the classic rules and each broken strict rule follows as a [`CheckKind::Strict`]
///    failure ("no authorityKeyIdentifier", "the CA certificate has no keyUsage", …);
/// 2. dates: now between notBefore and notAfter, for the certificate and the CA;
/// 3. usage: OpenSSL's sslserver/sslclient purpose (keyUsage and extendedKeyUsage) for
///    `usage`, or when `None` for each role its extendedKeyUsage names (every role when
///    it has none; none for a CA); checked, and reported, only when the chain is sound;
/// 4. names: for a certificate checked as a TLS server, that subjectAltName names a
///    host: a name only in the CN is ignored by browsers and RFC 9525 clients.
///
/// Returns the report even when checks fail (see [`VerifyReport::ok`]).
///
/// Errors: [`PkiError::Read`], [`PkiError::CaMissing`], [`PkiError::NotACertificate`],
/// [`PkiError::OpenSsl`].
pub fn verify(
    ca: &Path,
    cert: &Path,
    usage: Option<LeafProfile>,
) -> Result<VerifyReport, PkiError> {
    let ca_path = if ca.is_dir() {
        ca.join(CA_CERT)
    } else {
        ca.to_path_buf()
    };
    let ca_bytes = fs::read(&ca_path).map_err(|source| PkiError::CaMissing {
        path: ca_path.clone(),
        source,
    })?;
    let ca_cert = parse_certificate(&ca_bytes, &ca_path.display().to_string())?;
    let cert_bytes = fs::read(cert).map_err(|source| PkiError::Read {
        path: cert.to_path_buf(),
        source,
    })?;
    let origin = cert.display().to_string();
    let leaf = parse_certificate(&cert_bytes, &origin)?;
    let ca_name = name_to_string(ca_cert.subject_name());

    let mut checks = Vec::new();
    let (strict, strict_depth) =
        openssl_verify(&ca_cert, &leaf, true, None).doing("verifying the chain")?;
    // `Some(strict)`: the chain holds, under the strict rules or only the classic ones,
    // and the usage is checked under the same; `None`: it does not hold.
    let chain_holds: Option<bool> = if strict == X509VerifyResult::OK {
        checks.push(Check {
            kind: CheckKind::Chain,
            passed: true,
            detail: format!("signed by this CA: {ca_name} (strict X.509 rules)"),
        });
        Some(true)
    } else {
        let (classic, classic_depth) =
            openssl_verify(&ca_cert, &leaf, false, None).doing("verifying the chain")?;
        if classic == X509VerifyResult::OK {
            checks.push(Check {
                kind: CheckKind::Chain,
                passed: true,
                detail: format!("signed by this CA: {ca_name} ({CLASSIC_ONLY})"),
            });
            let mut breaks = strict_rule_breaks(&leaf, &ca_cert).doing("reading the extensions")?;
            if breaks.is_empty() || !LINTED_STRICT_ERRORS.contains(&strict.as_raw()) {
                breaks.push(explain_chain(strict, strict_depth, &leaf, &ca_cert));
            }
            checks.extend(breaks.into_iter().map(|rule| Check {
                kind: CheckKind::Strict,
                passed: false,
                detail: format!("strict X.509 rule broken: {rule}"),
            }));
            Some(false)
        } else {
            checks.push(Check {
                kind: CheckKind::Chain,
                passed: false,
                detail: explain_chain(classic, classic_depth, &leaf, &ca_cert),
            });
            None
        }
    };
    checks.push(check_dates(&leaf, &ca_cert, &origin)?);

    let eku = leaf.extended_key_usage();
    let roles: Vec<LeafProfile> = match usage {
        Some(role) => vec![role],
        None if is_ca(&leaf).doing("reading basicConstraints")? => Vec::new(),
        None => [
            (X509ExtendedKeyUsage::SSL_SERVER, LeafProfile::Server),
            (X509ExtendedKeyUsage::SSL_CLIENT, LeafProfile::Client),
        ]
        .into_iter()
        .filter(|(flag, _)| eku.is_none_or(|eku| eku.contains(*flag)))
        .map(|(_, role)| role)
        .collect(),
    };
    let allowed = eku
        .map(extended_key_usage_names)
        .map_or_else(|| "any".to_string(), |names| names.join(", "));
    // OpenSSL checks purposes along a sound chain only; with a broken one there is
    // nothing meaningful to add.
    if let Some(strict) = chain_holds {
        for role in &roles {
            let (result, _) = openssl_verify(&ca_cert, &leaf, strict, Some(role.purpose()))
                .doing("verifying the usage")?;
            let (passed, detail) = if result == X509VerifyResult::OK {
                (
                    true,
                    format!(
                        "usage: may be {} (extended key usage: {allowed})",
                        role.role()
                    ),
                )
            } else if result.as_raw() == V_ERR_INVALID_PURPOSE {
                (
                    false,
                    format!(
                        "wrong usage: not for {} (extended key usage: {allowed})",
                        role.role()
                    ),
                )
            } else {
                (
                    false,
                    format!("wrong usage for {}: {}", role.role(), result.error_string()),
                )
            };
            checks.push(Check {
                kind: CheckKind::Usage,
                passed,
                detail,
            });
        }
    }
    if roles.contains(&LeafProfile::Server) {
        checks.push(check_names(&leaf));
    }
    Ok(VerifyReport {
        cert: cert.to_path_buf(),
        ca: ca_path,
        subject: name_to_string(leaf.subject_name()),
        checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reason_drops_the_os_error_number() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(io_reason(&e), "No such file or directory");
    }

    #[test]
    fn missing_ca_error_names_the_command_with_the_folder() {
        let e = PkiError::CaMissing {
            path: PathBuf::from("certs/ca.crt"),
            source: io::Error::from_raw_os_error(2),
        };
        assert_eq!(
            e.to_string(),
            "cannot read certs/ca.crt: No such file or directory (run: squirrel ca init)"
        );
        let e = PkiError::CaMissing {
            path: PathBuf::from("/tmp/x/ca.key"),
            source: io::Error::from_raw_os_error(2),
        };
        assert!(e
            .to_string()
            .ends_with("(run: squirrel ca init --dir /tmp/x)"));
    }

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

    #[test]
    fn rfc4514_escapes_special_characters() {
        assert_eq!(escape_rfc4514("Squirrels, Inc."), "Squirrels\\, Inc.");
        assert_eq!(escape_rfc4514("#1 "), "\\#1\\ ");
    }

    #[test]
    fn pem_labels_are_found() {
        assert_eq!(
            pem_label(b"x\n-----BEGIN PRIVATE KEY-----\n"),
            Some("PRIVATE KEY")
        );
        assert_eq!(pem_label(b"\x30\x82"), None);
    }

    #[test]
    fn the_tutorial_rows_carry_only_the_cas_basic_constraints() {
        let ca = Profile::Ca.tutorial_extensions();
        assert!(ca.basic_constraints && ca.ca && ca.path_len.is_none());
        assert!(ca.key_usage.is_empty() && !ca.subject_key_id && !ca.authority_key_id);
        for leaf in [Profile::Server, Profile::Client] {
            let row = leaf.tutorial_extensions();
            assert!(!row.basic_constraints && !row.ca);
            assert!(row.key_usage.is_empty() && !row.key_encipherment_for_rsa);
            assert!(row.extended_key_usage.is_empty());
            assert!(!row.subject_key_id && !row.authority_key_id);
        }
    }

    #[test]
    fn the_profile_table_matches_the_design() {
        let ca = Profile::Ca.extensions();
        assert!(ca.basic_constraints && ca.ca && ca.path_len == Some(0));
        assert!(ca.subject_key_id && !ca.authority_key_id);
        assert_eq!(
            ca.key_usage,
            &[KeyUsageFlag::KeyCertSign, KeyUsageFlag::CrlSign]
        );
        let server = Profile::Server.extensions();
        assert_eq!(server.extended_key_usage, &[ExtKeyUsage::ServerAuth]);
        assert!(!server.ca && server.authority_key_id && server.key_encipherment_for_rsa);
        let client = Profile::Client.extensions();
        assert_eq!(client.extended_key_usage, &[ExtKeyUsage::ClientAuth]);
    }
}
