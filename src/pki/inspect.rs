//! Reading a certificate in plain words (`ca inspect`): who it is for, who vouches for
//! it, from when until when, what it may do. Inspecting is not verifying.

use std::fs;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{HasPublic, Id, PKeyRef};
use openssl::x509::{
    X509ExtendedKeyUsage, X509KeyUsage, X509NameRef, X509Ref, X509VerifyResult, X509,
};
use serde::{Serialize, Serializer};

use super::issue::ip_from_bytes;
use super::{Doing, Found, PkiError, Step};
use crate::i18n::{Lang, Localized};
use crate::tr_in;

/// The PEM label (`CERTIFICATE`, `PRIVATE KEY`…) of the first block, if the bytes are PEM.
pub(super) fn pem_label(bytes: &[u8]) -> Option<&str> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let start = bytes.windows(BEGIN.len()).position(|w| w == BEGIN)? + BEGIN.len();
    let rest = &bytes[start..];
    let end = rest.windows(5).position(|w| w == b"-----")?;
    std::str::from_utf8(&rest[..end]).ok()
}

pub(super) fn describe_pem_label(label: &str) -> Found {
    if label.contains("PRIVATE KEY") {
        Found::PrivateKey
    } else if label.contains("CERTIFICATE REQUEST") {
        Found::Csr
    } else if label == "CERTIFICATE" {
        Found::Certificate
    } else {
        Found::OtherPem(label.to_string())
    }
}

/// Parses a certificate, PEM (first block) or DER.
pub(super) fn parse_certificate(bytes: &[u8], origin: &str) -> Result<X509, PkiError> {
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
        found: Found::NotPemOrDer,
    })
}

/// An ASN.1 time as a chrono date: the distance from the Unix epoch, measured by
/// OpenSSL (`ASN1_TIME_diff`), so no text is parsed.
pub(super) fn to_datetime(time: &Asn1TimeRef, origin: &str) -> Result<DateTime<Utc>, PkiError> {
    let epoch = Asn1Time::from_unix(0).doing(Step::ReadingADate)?;
    let diff = epoch.diff(time).doing(Step::ReadingADate)?;
    let seconds = i64::from(diff.days) * 86_400 + i64::from(diff.secs);
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| PkiError::BadDate {
        origin: origin.to_string(),
    })
}

/// `22 Nov 2026 03:24:24 UTC`.
pub(super) fn plain_date(date: &DateTime<Utc>) -> String {
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
        // '\u{22}' is the double quote, written so that a scan of this file for quoted
        // message keys (tests/i18n_catalogs.rs) pairs its quotes right.
        if leading || trailing || matches!(c, ',' | '+' | '\u{22}' | '\\' | '<' | '>' | ';' | '=') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

pub(super) fn common_name(name: &X509NameRef) -> Option<String> {
    name.entries_by_nid(Nid::COMMONNAME)
        .next()
        .and_then(|entry| entry.data().to_string().ok())
}

pub(super) fn describe_key<T: HasPublic>(key: &PKeyRef<T>) -> String {
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
pub(super) struct BasicConstraintsSeen {
    pub(super) critical: bool,
    pub(super) ca: bool,
}

/// The basicConstraints extension, if present. The `openssl` crate exposes the path
/// length (`X509_get_pathlen`) but neither the cA flag nor the extension's criticality,
/// so both are read from OpenSSL's own printout of the extension (`X509_print`): the
/// header line says `critical`, the next line `CA:TRUE` or `CA:FALSE`.
pub(super) fn basic_constraints(
    cert: &X509Ref,
) -> Result<Option<BasicConstraintsSeen>, ErrorStack> {
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
pub(super) fn is_ca(cert: &X509Ref) -> Result<bool, ErrorStack> {
    if cert.pathlen().is_some() {
        return Ok(true);
    }
    Ok(basic_constraints(cert)?.is_some_and(|seen| seen.ca))
}

pub(super) fn key_usage_names(usage: X509KeyUsage) -> Vec<String> {
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

pub(super) fn extended_key_usage_names(usage: X509ExtendedKeyUsage) -> Vec<String> {
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

/// A certificate in plain words: what `squirrel ca inspect` prints ([`Localized`]; its
/// `Display` is the English words) or serializes (`--json`, dates in RFC 3339).
/// Inspecting is not verifying: nothing here says whether anyone should trust it (see
/// [`verify`](fn@super::verify)).
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

/// The labels of [`CertSummary`]'s lines, then `ca inspect`'s trust stores line, in
/// `lang`: the values start one column after the longest.
fn labels(lang: Lang) -> [String; 8] {
    [
        tr_in!(lang, "ca-inspect-names"),
        tr_in!(lang, "ca-inspect-key"),
        tr_in!(lang, "ca-inspect-key-usage"),
        tr_in!(lang, "ca-inspect-extended-key-usage"),
        tr_in!(lang, "ca-inspect-ca"),
        tr_in!(lang, "ca-inspect-serial"),
        tr_in!(lang, "ca-inspect-fingerprint"),
        tr_in!(lang, "ca-inspect-trust-stores"),
    ]
}

/// The column where the values of `ca inspect`'s lines start, in characters: 21 in
/// English (`SHA-256 fingerprint: `).
pub fn value_column(lang: Lang) -> usize {
    labels(lang)
        .iter()
        .map(|label| label.chars().count() + 1)
        .max()
        .unwrap_or(0)
}

/// `label` padded with spaces to [`value_column`].
pub fn padded(label: &str, lang: Lang) -> String {
    let width = value_column(lang);
    let mut text = label.to_string();
    while text.chars().count() < width {
        text.push(' ');
    }
    text
}

impl Localized for CertSummary {
    fn message_in(&self, lang: Lang) -> String {
        let (from, to) = (plain_date(&self.not_before), plain_date(&self.not_after));
        let (subject, issuer) = (self.subject.as_str(), self.issuer.as_str());
        let mut text = if self.self_signed {
            tr_in!(
                lang,
                "ca-inspect-sentence-self-signed",
                from = from,
                to = to,
                subject = subject,
                issuer = issuer
            )
        } else {
            tr_in!(
                lang,
                "ca-inspect-sentence",
                from = from,
                to = to,
                subject = subject,
                issuer = issuer
            )
        };
        text.push('\n');
        let none = || tr_in!(lang, "ca-inspect-none");
        let list = |items: &Option<Vec<String>>| match items {
            Some(items) if !items.is_empty() => items.join(", "),
            Some(_) => none(),
            None => tr_in!(lang, "ca-inspect-any"),
        };
        let names = if self.subject_alt_names.is_empty() {
            none()
        } else {
            self.subject_alt_names.join(", ")
        };
        let ca = match (self.is_ca, self.path_len) {
            (true, Some(0)) => tr_in!(lang, "ca-inspect-ca-pathlen-zero"),
            (true, Some(n)) => tr_in!(lang, "ca-inspect-ca-pathlen", pathlen = n.to_string()),
            (true, None) => tr_in!(lang, "ca-inspect-ca-yes"),
            (false, _) => tr_in!(lang, "ca-inspect-ca-no"),
        };
        let values = [
            names,
            self.key.clone(),
            list(&self.key_usage),
            list(&self.extended_key_usage),
            ca,
            self.serial.clone(),
            self.sha256_fingerprint.clone(),
        ];
        for (label, value) in labels(lang).iter().zip(values) {
            text.push_str(&padded(label, lang));
            text.push_str(&value);
            text.push('\n');
        }
        text
    }
}

crate::english_display!(CertSummary);

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
    let key = cert.public_key().doing(Step::ReadingThePublicKey)?;
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
                            || format!("IP:{}", crate::hex::colons(ip)),
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
        .doing(Step::ReadingTheSerialNumber)?;
    let fingerprint = cert
        .digest(MessageDigest::sha256())
        .doing(Step::HashingTheCertificate)?;
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
        is_ca: is_ca(cert).doing(Step::ReadingBasicConstraints)?,
        path_len: cert.pathlen(),
        serial,
        sha256_fingerprint: crate::hex::colons(&fingerprint),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
