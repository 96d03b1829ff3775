//! Checking a certificate as a client would (`ca verify`): the chain to `ca.crt` under
//! strict X.509 rules, the dates, the usage and the names, each check in plain words.

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
use super::{shown, Doing, PkiError, Step, CA_CERT};
use crate::i18n::{Lang, Localized};
use crate::tr_in;

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
    /// What was found, in English, e.g. `not signed by this CA: …`, `expired on …`;
    /// [`Check::detail_in`] says it in another language.
    pub detail: String,
    /// What was found, as a type.
    #[serde(skip)]
    finding: Finding,
}

impl Check {
    fn new(kind: CheckKind, passed: bool, finding: Finding) -> Check {
        Check {
            kind,
            passed,
            detail: finding.to_string(),
            finding,
        }
    }

    /// What was found, in `lang`: [`Check::detail`]'s words.
    pub fn detail_in(&self, lang: Lang) -> String {
        self.finding.message_in(lang)
    }
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

impl Localized for VerifyReport {
    fn message_in(&self, lang: Lang) -> String {
        let mut text = tr_in!(
            lang,
            "ca-verify-header",
            cert = shown(&self.cert),
            subject = self.subject.as_str(),
            ca = shown(&self.ca)
        );
        // The marks padded to one width, so the findings line up.
        let (ok, fail) = (tr_in!(lang, "ca-verify-ok"), tr_in!(lang, "ca-verify-fail"));
        let width = ok.chars().count().max(fail.chars().count());
        for check in &self.checks {
            let mark = if check.passed { &ok } else { &fail };
            let padding = " ".repeat(width - mark.chars().count());
            text.push_str(&format!(
                "\n  {mark}{padding} {}",
                check.finding.message_in(lang)
            ));
        }
        text
    }
}

crate::english_display!(VerifyReport);

/// Which certificate of the chain a broken rule concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// The certificate checked.
    Leaf,
    /// The CA certificate.
    Ca,
}

impl Which {
    fn at_depth(depth: u32) -> Which {
        if depth == 0 {
            Which::Leaf
        } else {
            Which::Ca
        }
    }

    /// The catalogs' `$which`: `leaf`, `ca`.
    fn selector(self) -> &'static str {
        match self {
            Which::Leaf => "leaf",
            Which::Ca => "ca",
        }
    }
}

/// What a check found, as a type: [`Check::detail`] is its English words, and
/// [`Check::detail_in`] its words in any language (`locales/*/ca.ftl`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Finding {
    // The chain.
    Signed {
        ca: String,
    },
    SignedClassicOnly {
        ca: String,
    },
    KeyDiffers {
        ca: String,
    },
    OtherIssuer {
        issuer: String,
        ca: String,
    },
    SelfSigned {
        ca: String,
    },
    SignatureMismatch {
        ca: String,
    },
    CaNeverSaysCa,
    CaNotCa,
    CaNoKeyCertSign,
    PathLength,
    NoAuthorityKeyId(Which),
    NoSubjectKeyId(Which),
    CaNoKeyUsage,
    CaConstraintsNotCritical,
    EmptySan(Which),
    ExplicitCurve(Which),
    OtherChainFailure {
        which: Which,
        reason: String,
        code: i32,
    },
    // The strict rules, all listed.
    Strict(Box<Finding>),
    RuleNoAuthorityKeyId,
    RuleCaNoBasicConstraints,
    RuleCaConstraintsNotCritical,
    RuleCaNoKeyUsage,
    RuleCaNoSubjectKeyId,
    // The dates.
    NotYetValid {
        date: String,
    },
    Expired {
        date: String,
    },
    CaNotYetValid {
        date: String,
    },
    CaExpired {
        date: String,
    },
    Valid {
        from: String,
        until: String,
    },
    // The usage; `allowed`: the extended key usage's purposes, `None` when it has none.
    MayBe {
        role: LeafProfile,
        allowed: Option<String>,
    },
    NotFor {
        role: LeafProfile,
        allowed: Option<String>,
    },
    WrongUsage {
        role: LeafProfile,
        reason: String,
    },
    // The names.
    Names {
        names: String,
    },
    NoHostInSan,
    NoSan {
        cn: String,
    },
}

impl Localized for Finding {
    fn message_in(&self, lang: Lang) -> String {
        let allowed_words = |allowed: &Option<String>| match allowed {
            Some(names) => names.clone(),
            None => tr_in!(lang, "ca-verify-any-usage"),
        };
        match self {
            Finding::Signed { ca } => tr_in!(lang, "ca-verify-signed", ca = ca),
            Finding::SignedClassicOnly { ca } => {
                tr_in!(lang, "ca-verify-signed-classic-only", ca = ca)
            }
            Finding::KeyDiffers { ca } => tr_in!(lang, "ca-verify-key-differs", ca = ca),
            Finding::OtherIssuer { issuer, ca } => {
                tr_in!(lang, "ca-verify-other-issuer", issuer = issuer, ca = ca)
            }
            Finding::SelfSigned { ca } => tr_in!(lang, "ca-verify-self-signed", ca = ca),
            Finding::SignatureMismatch { ca } => {
                tr_in!(lang, "ca-verify-signature-mismatch", ca = ca)
            }
            Finding::CaNeverSaysCa => tr_in!(lang, "ca-verify-ca-never-says-ca"),
            Finding::CaNotCa => tr_in!(lang, "ca-verify-ca-not-ca"),
            Finding::CaNoKeyCertSign => tr_in!(lang, "ca-verify-ca-no-key-cert-sign"),
            Finding::PathLength => tr_in!(lang, "ca-verify-path-length"),
            Finding::NoAuthorityKeyId(which) => {
                tr_in!(
                    lang,
                    "ca-verify-no-authority-key-id",
                    which = which.selector()
                )
            }
            Finding::NoSubjectKeyId(which) => {
                tr_in!(
                    lang,
                    "ca-verify-no-subject-key-id",
                    which = which.selector()
                )
            }
            Finding::CaNoKeyUsage => tr_in!(lang, "ca-verify-ca-no-key-usage"),
            Finding::CaConstraintsNotCritical => {
                tr_in!(lang, "ca-verify-ca-constraints-not-critical")
            }
            Finding::EmptySan(which) => {
                tr_in!(lang, "ca-verify-empty-san", which = which.selector())
            }
            Finding::ExplicitCurve(which) => {
                tr_in!(lang, "ca-verify-explicit-curve", which = which.selector())
            }
            Finding::OtherChainFailure {
                which,
                reason,
                code,
            } => tr_in!(
                lang,
                "ca-verify-other-chain-failure",
                which = which.selector(),
                reason = reason,
                code = code.to_string()
            ),
            Finding::Strict(rule) => {
                tr_in!(lang, "ca-verify-strict-rule", rule = rule.message_in(lang))
            }
            Finding::RuleNoAuthorityKeyId => tr_in!(lang, "ca-verify-rule-no-authority-key-id"),
            Finding::RuleCaNoBasicConstraints => {
                tr_in!(lang, "ca-verify-rule-ca-no-basic-constraints")
            }
            Finding::RuleCaConstraintsNotCritical => {
                tr_in!(lang, "ca-verify-rule-ca-constraints-not-critical")
            }
            Finding::RuleCaNoKeyUsage => tr_in!(lang, "ca-verify-rule-ca-no-key-usage"),
            Finding::RuleCaNoSubjectKeyId => tr_in!(lang, "ca-verify-rule-ca-no-subject-key-id"),
            Finding::NotYetValid { date } => tr_in!(lang, "ca-verify-not-yet-valid", date = date),
            Finding::Expired { date } => tr_in!(lang, "ca-verify-expired", date = date),
            Finding::CaNotYetValid { date } => {
                tr_in!(lang, "ca-verify-ca-not-yet-valid", date = date)
            }
            Finding::CaExpired { date } => tr_in!(lang, "ca-verify-ca-expired", date = date),
            Finding::Valid { from, until } => {
                tr_in!(lang, "ca-verify-valid", from = from, until = until)
            }
            Finding::MayBe { role, allowed } => tr_in!(
                lang,
                "ca-verify-may-be",
                role = role.selector(),
                allowed = allowed_words(allowed)
            ),
            Finding::NotFor { role, allowed } => tr_in!(
                lang,
                "ca-verify-not-for",
                role = role.selector(),
                allowed = allowed_words(allowed)
            ),
            Finding::WrongUsage { role, reason } => tr_in!(
                lang,
                "ca-verify-wrong-usage",
                role = role.selector(),
                reason = reason
            ),
            Finding::Names { names } => tr_in!(lang, "ca-verify-names", names = names),
            Finding::NoHostInSan => tr_in!(lang, "ca-verify-no-host-in-san"),
            Finding::NoSan { cn } => tr_in!(lang, "ca-verify-no-san", cn = format!("{cn:?}")),
        }
    }
}

crate::english_display!(Finding);

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

/// The chain check's failure, as a finding.
fn explain_chain(result: X509VerifyResult, depth: u32, cert: &X509, ca: &X509) -> Finding {
    let which = Which::at_depth(depth);
    let ca_name = name_to_string(ca.subject_name());
    let issuer = name_to_string(cert.issuer_name());
    match result.as_raw() {
        V_ERR_UNABLE_TO_GET_ISSUER_CERT
        | V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
        | V_ERR_SELF_SIGNED_CERT_IN_CHAIN => {
            if issuer == ca_name {
                Finding::KeyDiffers { ca: ca_name }
            } else {
                Finding::OtherIssuer {
                    issuer,
                    ca: ca_name,
                }
            }
        }
        V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT => Finding::SelfSigned { ca: ca_name },
        V_ERR_CERT_SIGNATURE_FAILURE => Finding::SignatureMismatch { ca: ca_name },
        V_ERR_INVALID_CA => match basic_constraints(ca) {
            Ok(None) => Finding::CaNeverSaysCa,
            _ => Finding::CaNotCa,
        },
        V_ERR_KEYUSAGE_NO_CERTSIGN => Finding::CaNoKeyCertSign,
        V_ERR_PATH_LENGTH_EXCEEDED => Finding::PathLength,
        V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER => Finding::NoAuthorityKeyId(which),
        V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER => Finding::NoSubjectKeyId(which),
        V_ERR_CA_CERT_MISSING_KEY_USAGE => Finding::CaNoKeyUsage,
        V_ERR_CA_BCONS_NOT_CRITICAL => Finding::CaConstraintsNotCritical,
        V_ERR_EMPTY_SUBJECT_ALT_NAME => Finding::EmptySan(which),
        V_ERR_EC_KEY_EXPLICIT_PARAMS => Finding::ExplicitCurve(which),
        code => Finding::OtherChainFailure {
            which,
            reason: result.error_string().to_string(),
            code,
        },
    }
}

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
fn strict_rule_breaks(cert: &X509Ref, ca: &X509Ref) -> Result<Vec<Finding>, ErrorStack> {
    let mut breaks = Vec::new();
    let cert_is_ca = cert.to_der()? == ca.to_der()?;
    if !cert_is_ca && cert.authority_key_id().is_none() {
        breaks.push(Finding::RuleNoAuthorityKeyId);
    }
    match basic_constraints(ca)? {
        None => breaks.push(Finding::RuleCaNoBasicConstraints),
        Some(seen) if !seen.critical => breaks.push(Finding::RuleCaConstraintsNotCritical),
        Some(_) => {}
    }
    if ca.key_usage().is_none() {
        breaks.push(Finding::RuleCaNoKeyUsage);
    }
    if ca.subject_key_id().is_none() {
        breaks.push(Finding::RuleCaNoSubjectKeyId);
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
        Some(names) if !names.is_empty() => Check::new(
            CheckKind::Names,
            true,
            Finding::Names {
                names: names.join(", "),
            },
        ),
        Some(_) => Check::new(CheckKind::Names, false, Finding::NoHostInSan),
        None => Check::new(CheckKind::Names, false, Finding::NoSan { cn }),
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
        Some(Finding::NotYetValid {
            date: plain_date(&not_before),
        })
    } else if now > not_after {
        Some(Finding::Expired {
            date: plain_date(&not_after),
        })
    } else if now < ca_not_before {
        Some(Finding::CaNotYetValid {
            date: plain_date(&ca_not_before),
        })
    } else if now > ca_not_after {
        Some(Finding::CaExpired {
            date: plain_date(&ca_not_after),
        })
    } else {
        None
    };
    Ok(match failure {
        Some(finding) => Check::new(CheckKind::Dates, false, finding),
        None => Check::new(
            CheckKind::Dates,
            true,
            Finding::Valid {
                from: plain_date(&not_before),
                until: plain_date(&not_after),
            },
        ),
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
        openssl_verify(&ca_cert, &leaf, true, None).doing(Step::VerifyingTheChain)?;
    // `Some(strict)`: the chain holds, under the strict rules or only the classic ones,
    // and the usage is checked under the same; `None`: it does not hold.
    let chain_holds: Option<bool> =
        if strict == X509VerifyResult::OK {
            checks.push(Check::new(
                CheckKind::Chain,
                true,
                Finding::Signed {
                    ca: ca_name.clone(),
                },
            ));
            Some(true)
        } else {
            let (classic, classic_depth) =
                openssl_verify(&ca_cert, &leaf, false, None).doing(Step::VerifyingTheChain)?;
            if classic == X509VerifyResult::OK {
                checks.push(Check::new(
                    CheckKind::Chain,
                    true,
                    Finding::SignedClassicOnly {
                        ca: ca_name.clone(),
                    },
                ));
                let mut breaks =
                    strict_rule_breaks(&leaf, &ca_cert).doing(Step::ReadingTheExtensions)?;
                if breaks.is_empty() || !LINTED_STRICT_ERRORS.contains(&strict.as_raw()) {
                    breaks.push(explain_chain(strict, strict_depth, &leaf, &ca_cert));
                }
                checks.extend(breaks.into_iter().map(|rule| {
                    Check::new(CheckKind::Strict, false, Finding::Strict(Box::new(rule)))
                }));
                Some(false)
            } else {
                checks.push(Check::new(
                    CheckKind::Chain,
                    false,
                    explain_chain(classic, classic_depth, &leaf, &ca_cert),
                ));
                None
            }
        };
    checks.push(check_dates(&leaf, &ca_cert, &origin)?);

    let eku = leaf.extended_key_usage();
    let roles: Vec<LeafProfile> = match usage {
        Some(role) => vec![role],
        None if is_ca(&leaf).doing(Step::ReadingBasicConstraints)? => Vec::new(),
        None => [
            (X509ExtendedKeyUsage::SSL_SERVER, LeafProfile::Server),
            (X509ExtendedKeyUsage::SSL_CLIENT, LeafProfile::Client),
        ]
        .into_iter()
        .filter(|(flag, _)| eku.is_none_or(|eku| eku.contains(*flag)))
        .map(|(_, role)| role)
        .collect(),
    };
    let allowed = eku.map(|eku| extended_key_usage_names(eku).join(", "));
    // OpenSSL checks purposes along a sound chain only; with a broken one there is
    // nothing meaningful to add.
    if let Some(strict) = chain_holds {
        for role in &roles {
            let (result, _) = openssl_verify(&ca_cert, &leaf, strict, Some(role.purpose()))
                .doing(Step::VerifyingTheUsage)?;
            let (passed, finding) = if result == X509VerifyResult::OK {
                (
                    true,
                    Finding::MayBe {
                        role: *role,
                        allowed: allowed.clone(),
                    },
                )
            } else if result.as_raw() == V_ERR_INVALID_PURPOSE {
                (
                    false,
                    Finding::NotFor {
                        role: *role,
                        allowed: allowed.clone(),
                    },
                )
            } else {
                (
                    false,
                    Finding::WrongUsage {
                        role: *role,
                        reason: result.error_string().to_string(),
                    },
                )
            };
            checks.push(Check::new(CheckKind::Usage, passed, finding));
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
