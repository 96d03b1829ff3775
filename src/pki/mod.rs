//! Lesson 05's certificate authority: become a CA, make a key and a certificate signing
//! request (CSR), have the CA sign it, and read a certificate in plain words.
//!
//! Every X.509 structure comes from OpenSSL (through the `openssl` crate); this module
//! only decides *what* goes into a certificate. That decision is one table,
//! [`Profile::extensions`] (in [`profile`]), in the spirit of easy-rsa's `x509-types/`
//! files: the CA, server and client profiles differ only in their rows, and one builder
//! applies a row.
//!
//! - [`profile`]: key types, the profile table, the builder;
//! - [`issue`](mod@issue): `ca init`, `csr`, `sign`, `issue`, the `.p12`, the development set;
//! - [`inspect`](mod@inspect): a certificate in plain words;
//! - [`verify`](mod@verify): a certificate checked as a client would, check by check.
//!
//! The certificates pass `openssl verify -x509_strict` and Python 3.13's default
//! `VERIFY_X509_STRICT`, which refuse the tutorial's own certificates (they lack keyUsage,
//! subjectKeyIdentifier and authorityKeyIdentifier, RFC 5280 §4.2.1.1–§4.2.1.3). For the
//! lesson, the `tutorial_compat` options make certificates the tutorial's way
//! ([`Profile::tutorial_extensions`]), so students can watch strict verifiers refuse them
//! and [`verify`](fn@verify) say which rule each one breaks.
//!
//! Files live in one folder (default [`DEFAULT_DIR`]) under the names of the `*_CERT` /
//! `*_KEY` constants, so the vault and the lessons agree on them. Keys and `.p12` bundles
//! are created with mode 0600, certificates and CSRs with 0644; an existing file is
//! replaced only when the caller passes `force`.

use std::io;
use std::path::{Path, PathBuf};

use openssl::error::ErrorStack;

use crate::i18n::{Lang, Localized};
use crate::tr_in;

pub mod inspect;
pub mod issue;
pub mod profile;
pub mod verify;

pub use inspect::{inspect, inspect_file, name_to_string, CertSummary};
pub use issue::{
    ensure_dev_pki, init_ca, issue, make_csr, read_csr, sign_csr, CaOptions, CsrOptions,
    CsrSummary, IssueOptions, Issued, SignOptions, Warning,
};
pub use profile::{ExtKeyUsage, Extensions, KeyType, KeyUsageFlag, LeafProfile, Profile};
pub use verify::{verify, Check, CheckKind, VerifyReport};

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
/// A leaf certificate's default lifetime in days: one year, under the 366 days of
/// Mozilla's intermediate TLS profile (ssl-config.mozilla.org, `maximum_certificate_lifespan`).
/// Public CAs must now issue shorter ones (CA/Browser Forum ballot SC-081v3: 200 days
/// from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15); a private CA is not bound
/// by that, and a class renews by hand (`ca issue --force`), not with ACME.
pub const DEFAULT_LEAF_DAYS: u32 = 365;
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
/// file and what went wrong, for a student to act on; the words come from the catalogs
/// (`locales/*/ca.ftl`, [`Localized`]), and `Display` is the English one.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// A file to be written exists and `force` was not given; nothing was written.
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// `ca.crt` or `ca.key` could not be read: usually the CA was never made.
    CaMissing {
        /// The CA file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// Any other file could not be read.
    Read {
        /// The certificate, CSR or key file (PEM) that could not be read.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// A file or its folder could not be written.
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The input holds something other than an X.509 certificate.
    NotACertificate {
        /// Where the bytes came from (a path, or "the input").
        origin: String,
        /// What was found instead.
        found: Found,
    },
    /// The file is not a PEM certificate signing request (RFC 2986).
    NotACsr {
        /// The file given as a CSR (`ca sign FILE`).
        path: PathBuf,
        /// What was found instead.
        found: Found,
    },
    /// The file is not a PEM private key.
    NotAKey {
        /// The file given as a private key (`--key`, or `ca.key`).
        path: PathBuf,
    },
    /// The CA key is encrypted and no passphrase was given.
    PassphraseNeeded {
        /// The key file.
        path: PathBuf,
    },
    /// The passphrase does not decrypt the key.
    WrongPassphrase {
        /// The key file.
        path: PathBuf,
    },
    /// An empty passphrase would encrypt the CA key with nothing.
    EmptyPassphrase,
    /// A `.p12` password OpenSSL cannot take (it holds a NUL byte).
    BadP12Password,
    /// A key and a certificate that should form one pair do not.
    KeyMismatch {
        /// The key file.
        key: PathBuf,
        /// The certificate file.
        cert: PathBuf,
    },
    /// `ca.crt` is not a CA certificate (RFC 5280 §4.2.1.9: basicConstraints cA is false).
    NotACa {
        /// The certificate file.
        path: PathBuf,
    },
    /// The CA has no subjectKeyIdentifier, so its certificates could not carry the
    /// authorityKeyIdentifier that strict verifiers demand (RFC 5280 §4.2.1.1): it was
    /// made the tutorial's way, or by another tool.
    CaWithoutKeyId {
        /// The CA certificate file.
        path: PathBuf,
    },
    /// The CSR's self-signature does not verify: someone changed it, or it is corrupt.
    BadCsrSignature {
        /// The CSR file.
        path: PathBuf,
    },
    /// The CSR's subject has no common name, so the certificate would name no one.
    CsrWithoutCommonName {
        /// The CSR file.
        path: PathBuf,
    },
    /// A server certificate needs at least one subjectAltName (clients ignore the CN,
    /// RFC 6125 §6.4.4), and the CSR asks for none.
    NoServerNames {
        /// The CSR file.
        path: PathBuf,
    },
    /// The CSR asks for a kind of name this CA does not sign (only DNS names and IPs).
    UnsupportedName {
        /// The CSR file.
        path: PathBuf,
        /// The refused name, as text.
        name: String,
    },
    /// A leaf lifetime over [`MAX_LEAF_DAYS`].
    TooManyDays {
        /// The refused number of days.
        days: u32,
    },
    /// A lifetime of zero days.
    ZeroDays,
    /// A certificate name that cannot be a CN and a file name.
    BadName {
        /// The refused name.
        name: String,
    },
    /// A DNS name with characters a host name cannot have (RFC 1123 §2.1).
    BadDnsName {
        /// The refused name.
        name: String,
    },
    /// `ensure_dev_pki` found some of its files but not all: it overwrites nothing.
    PartialPki {
        /// The certificate folder.
        dir: PathBuf,
        /// Needed files that are missing.
        missing: Vec<String>,
        /// Files of the set that exist.
        present: Vec<String>,
    },
    /// A date outside what the calendar code can show (not before year -262143).
    BadDate {
        /// Where the certificate came from: its path, or "the input".
        origin: String,
    },
    /// OpenSSL itself failed (out of memory, a broken installation, malformed input).
    OpenSsl {
        /// What was being done, e.g. signing the certificate.
        doing: Step,
        /// OpenSSL's error queue.
        source: ErrorStack,
    },
}

/// What a file given as a certificate or a CSR holds instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A PEM private key.
    PrivateKey,
    /// A PEM certificate signing request.
    Csr,
    /// A PEM certificate.
    Certificate,
    /// Another PEM block, by its label.
    OtherPem(String),
    /// Bytes that are neither a PEM nor a DER certificate.
    NotPemOrDer,
    /// A CSR that does not parse.
    Unparsable,
}

impl Localized for Found {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            Found::PrivateKey => tr_in!(lang, "ca-found-private-key"),
            Found::Csr => tr_in!(lang, "ca-found-csr"),
            Found::Certificate => tr_in!(lang, "ca-found-certificate"),
            Found::OtherPem(label) => tr_in!(lang, "ca-found-other-pem", label = label),
            Found::NotPemOrDer => tr_in!(lang, "ca-found-not-pem-or-der"),
            Found::Unparsable => tr_in!(lang, "ca-found-unparsable"),
        }
    }
}

crate::english_display!(Found);

/// A path as a placeable.
pub(crate) fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl Localized for PkiError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            PkiError::Exists { path } => tr_in!(lang, "ca-error-exists", path = shown(path)),
            PkiError::CaMissing { path, source } => tr_in!(
                lang,
                "ca-error-ca-missing",
                path = shown(path),
                reason = io_reason(source),
                command = init_command(path)
            ),
            PkiError::Read { path, source } => tr_in!(
                lang,
                "ca-error-read",
                path = shown(path),
                reason = io_reason(source)
            ),
            PkiError::Write { path, source } => tr_in!(
                lang,
                "ca-error-write",
                path = shown(path),
                reason = io_reason(source)
            ),
            PkiError::NotACertificate { origin, found } => tr_in!(
                lang,
                "ca-error-not-a-certificate",
                origin = origin,
                found = found.message_in(lang)
            ),
            PkiError::NotACsr { path, found } => tr_in!(
                lang,
                "ca-error-not-a-csr",
                path = shown(path),
                found = found.message_in(lang)
            ),
            PkiError::NotAKey { path } => tr_in!(lang, "ca-error-not-a-key", path = shown(path)),
            PkiError::PassphraseNeeded { path } => {
                tr_in!(lang, "ca-error-passphrase-needed", path = shown(path))
            }
            PkiError::WrongPassphrase { path } => {
                tr_in!(lang, "ca-error-wrong-passphrase", path = shown(path))
            }
            PkiError::EmptyPassphrase => tr_in!(lang, "ca-error-empty-passphrase"),
            PkiError::BadP12Password => tr_in!(lang, "ca-error-bad-p12-password"),
            PkiError::KeyMismatch { key, cert } => tr_in!(
                lang,
                "ca-error-key-mismatch",
                key = shown(key),
                cert = shown(cert)
            ),
            PkiError::NotACa { path } => tr_in!(lang, "ca-error-not-a-ca", path = shown(path)),
            PkiError::CaWithoutKeyId { path } => {
                tr_in!(lang, "ca-error-ca-without-key-id", path = shown(path))
            }
            PkiError::BadCsrSignature { path } => {
                tr_in!(lang, "ca-error-bad-csr-signature", path = shown(path))
            }
            PkiError::CsrWithoutCommonName { path } => {
                tr_in!(lang, "ca-error-csr-without-cn", path = shown(path))
            }
            PkiError::NoServerNames { path } => {
                tr_in!(lang, "ca-error-no-server-names", path = shown(path))
            }
            PkiError::UnsupportedName { path, name } => tr_in!(
                lang,
                "ca-error-unsupported-name",
                path = shown(path),
                name = format!("{name:?}")
            ),
            PkiError::TooManyDays { days } => tr_in!(
                lang,
                "ca-error-too-many-days",
                days = days.to_string(),
                max = MAX_LEAF_DAYS.to_string()
            ),
            PkiError::ZeroDays => tr_in!(lang, "ca-error-zero-days"),
            PkiError::BadName { name } => {
                tr_in!(lang, "ca-error-bad-name", name = format!("{name:?}"))
            }
            PkiError::BadDnsName { name } => {
                tr_in!(lang, "ca-error-bad-dns-name", name = format!("{name:?}"))
            }
            PkiError::PartialPki {
                dir,
                missing,
                present,
            } => tr_in!(
                lang,
                "ca-error-partial-pki",
                dir = shown(dir),
                missing = missing.join(", "),
                present = present.join(", ")
            ),
            PkiError::BadDate { origin } => tr_in!(lang, "ca-error-bad-date", origin = origin),
            PkiError::OpenSsl { doing, source } => tr_in!(
                lang,
                "ca-error-openssl",
                doing = doing.message_in(lang),
                reason = source.to_string()
            ),
        }
    }
}

crate::english_display!(PkiError);

/// What the PKI was doing when OpenSSL failed, for [`PkiError::OpenSsl`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Adding the requested names.
    AddingTheRequestedNames,
    /// Reading the request's key.
    ReadingTheRequestKey,
    /// Bundling the .p12.
    BundlingTheP12,
    /// Verifying the chain.
    VerifyingTheChain,
    /// Starting the request.
    StartingTheRequest,
    /// Reading the request's names.
    ReadingTheRequestNames,
    /// Reading basicConstraints.
    ReadingBasicConstraints,
    /// Reading a date.
    ReadingADate,
    /// Naming the request.
    NamingTheRequest,
    /// Generating an RSA key.
    GeneratingAnRSAKey,
    /// Generating a P-256 key.
    GeneratingAP256Key,
    /// Encoding the request.
    EncodingTheRequest,
    /// Encoding the key.
    EncodingTheKey,
    /// Reading the CA certificate.
    ReadingTheCACertificate,
    /// Verifying the usage.
    VerifyingTheUsage,
    /// Signing the request.
    SigningTheRequest,
    /// Signing the certificate.
    SigningTheCertificate,
    /// Reading the serial number.
    ReadingTheSerialNumber,
    /// Reading the public key.
    ReadingThePublicKey,
    /// Reading the extensions.
    ReadingTheExtensions,
    /// Reading the CA's public key.
    ReadingTheCAPublicKey,
    /// Reading the CA's basicConstraints.
    ReadingTheCABasicConstraints,
    /// Naming the CA.
    NamingTheCA,
    /// Making the CA certificate.
    MakingTheCACertificate,
    /// Making a password.
    MakingAPassword,
    /// Hashing the certificate.
    HashingTheCertificate,
    /// Encrypting the CA key.
    EncryptingTheCAKey,
    /// Encoding the certificate.
    EncodingTheCertificate,
    /// Encoding the CA key.
    EncodingTheCAKey,
    /// Encoding the CA certificate.
    EncodingTheCACertificate,
    /// Encoding the .p12.
    EncodingTheP12,
    /// Dating the certificate.
    DatingTheCertificate,
    /// Dating the CA.
    DatingTheCA,
    /// Choosing the P-256 curve.
    ChoosingTheP256Curve,
    /// Adding the public key.
    AddingThePublicKey,
}

impl Localized for Step {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            Step::AddingTheRequestedNames => tr_in!(lang, "ca-step-adding-the-requested-names"),
            Step::ReadingTheRequestKey => tr_in!(lang, "ca-step-reading-the-request-key"),
            Step::BundlingTheP12 => tr_in!(lang, "ca-step-bundling-the-p12"),
            Step::VerifyingTheChain => tr_in!(lang, "ca-step-verifying-the-chain"),
            Step::StartingTheRequest => tr_in!(lang, "ca-step-starting-the-request"),
            Step::ReadingTheRequestNames => tr_in!(lang, "ca-step-reading-the-request-names"),
            Step::ReadingBasicConstraints => tr_in!(lang, "ca-step-reading-basicconstraints"),
            Step::ReadingADate => tr_in!(lang, "ca-step-reading-a-date"),
            Step::NamingTheRequest => tr_in!(lang, "ca-step-naming-the-request"),
            Step::GeneratingAnRSAKey => tr_in!(lang, "ca-step-generating-an-rsa-key"),
            Step::GeneratingAP256Key => tr_in!(lang, "ca-step-generating-a-p256-key"),
            Step::EncodingTheRequest => tr_in!(lang, "ca-step-encoding-the-request"),
            Step::EncodingTheKey => tr_in!(lang, "ca-step-encoding-the-key"),
            Step::ReadingTheCACertificate => tr_in!(lang, "ca-step-reading-the-ca-certificate"),
            Step::VerifyingTheUsage => tr_in!(lang, "ca-step-verifying-the-usage"),
            Step::SigningTheRequest => tr_in!(lang, "ca-step-signing-the-request"),
            Step::SigningTheCertificate => tr_in!(lang, "ca-step-signing-the-certificate"),
            Step::ReadingTheSerialNumber => tr_in!(lang, "ca-step-reading-the-serial-number"),
            Step::ReadingThePublicKey => tr_in!(lang, "ca-step-reading-the-public-key"),
            Step::ReadingTheExtensions => tr_in!(lang, "ca-step-reading-the-extensions"),
            Step::ReadingTheCAPublicKey => tr_in!(lang, "ca-step-reading-the-ca-public-key"),
            Step::ReadingTheCABasicConstraints => {
                tr_in!(lang, "ca-step-reading-the-ca-basicconstraints")
            }
            Step::NamingTheCA => tr_in!(lang, "ca-step-naming-the-ca"),
            Step::MakingTheCACertificate => tr_in!(lang, "ca-step-making-the-ca-certificate"),
            Step::MakingAPassword => tr_in!(lang, "ca-step-making-a-password"),
            Step::HashingTheCertificate => tr_in!(lang, "ca-step-hashing-the-certificate"),
            Step::EncryptingTheCAKey => tr_in!(lang, "ca-step-encrypting-the-ca-key"),
            Step::EncodingTheCertificate => tr_in!(lang, "ca-step-encoding-the-certificate"),
            Step::EncodingTheCAKey => tr_in!(lang, "ca-step-encoding-the-ca-key"),
            Step::EncodingTheCACertificate => tr_in!(lang, "ca-step-encoding-the-ca-certificate"),
            Step::EncodingTheP12 => tr_in!(lang, "ca-step-encoding-the-p12"),
            Step::DatingTheCertificate => tr_in!(lang, "ca-step-dating-the-certificate"),
            Step::DatingTheCA => tr_in!(lang, "ca-step-dating-the-ca"),
            Step::ChoosingTheP256Curve => tr_in!(lang, "ca-step-choosing-the-p256-curve"),
            Step::AddingThePublicKey => tr_in!(lang, "ca-step-adding-the-public-key"),
        }
    }
}

crate::english_display!(Step);

/// Attaches what we were doing to an OpenSSL failure.
trait Doing<T> {
    fn doing(self, doing: Step) -> Result<T, PkiError>;
}

impl<T> Doing<T> for Result<T, ErrorStack> {
    fn doing(self, doing: Step) -> Result<T, PkiError> {
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
}
