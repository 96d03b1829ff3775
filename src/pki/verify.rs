//! Checking a certificate as a client would (`ca verify`): the chain to `ca.crt` under
//! strict X.509 rules, the dates, the usage and the names, each check in plain words.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::Utc;
use openssl::error::ErrorStack;
use openssl::stack::Stack;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509VerifyFlags;
use openssl::x509::{
    X509ExtendedKeyUsage, X509PurposeId, X509Ref, X509StoreContext, X509VerifyResult, X509,
};
use serde::Serialize;

use super::inspect::{
    basic_constraints, common_name, extended_key_usage_names, is_ca, name_to_string,
    parse_certificate, plain_date, to_datetime,
};
use super::issue::ip_from_bytes;
use super::profile::LeafProfile;
use super::{Doing, PkiError, CA_CERT};

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
