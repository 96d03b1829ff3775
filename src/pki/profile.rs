//! The profile table: which extensions the CA, a server and a client certificate carry
//! (RFC 5280 §4.2.1), as data, in the spirit of easy-rsa's `x509-types/`; the key types;
//! and the one builder that applies a row.

use std::fmt;
use std::net::IpAddr;

use openssl::asn1::{Asn1Integer, Asn1Time, Asn1TimeRef};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{HasPublic, Id, PKey, PKeyRef, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509Builder, X509NameBuilder, X509NameRef, X509PurposeId, X509Ref, X509};
use serde::Serialize;

use super::{Doing, PkiError, Step, CLIENT_NAME, ORGANIZATION, SERVER_NAME};

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
                    .doing(Step::ChoosingTheP256Curve)?;
                let ec = EcKey::generate(&group).doing(Step::GeneratingAP256Key)?;
                PKey::from_ec_key(ec).doing(Step::GeneratingAP256Key)
            }
            KeyType::Rsa2048 => {
                let rsa = Rsa::generate(2048).doing(Step::GeneratingAnRSAKey)?;
                PKey::from_rsa(rsa).doing(Step::GeneratingAnRSAKey)
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

    pub(super) fn purpose(self) -> X509PurposeId {
        match self {
            LeafProfile::Server => X509PurposeId::SSL_SERVER,
            LeafProfile::Client => X509PurposeId::SSL_CLIENT,
        }
    }

    /// The catalogs' `$role`: `server`, `client`.
    pub(super) fn selector(self) -> &'static str {
        match self {
            LeafProfile::Server => "server",
            LeafProfile::Client => "client",
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

/// What every row of the profile table shares unless it says otherwise: a leaf
/// (basicConstraints CA:FALSE, critical), that signs (digitalSignature; plus
/// keyEncipherment on RSA keys, for TLS 1.2's RSA key exchange), with both key
/// identifiers so verifiers find its issuer, and no extendedKeyUsage.
pub const COMMON: Extensions = Extensions {
    basic_constraints: true,
    ca: false,
    path_len: None,
    key_usage: &[KeyUsageFlag::DigitalSignature],
    key_encipherment_for_rsa: true,
    extended_key_usage: &[],
    subject_key_id: true,
    authority_key_id: true,
};

impl Profile {
    /// The profile table: which extensions each kind of certificate carries. Every
    /// certificate also gets a random serial, SHA-256 signature and the subject and
    /// validity chosen by the caller. A row is [`COMMON`] with what differs.
    pub const fn extensions(self) -> Extensions {
        use ExtKeyUsage::{ClientAuth, ServerAuth};
        use KeyUsageFlag::{CrlSign, KeyCertSign};
        match self {
            Profile::Ca => Extensions {
                ca: true,
                path_len: Some(0),
                key_usage: &[KeyCertSign, CrlSign],
                key_encipherment_for_rsa: false,
                // Self-signed: it is its own authority.
                authority_key_id: false,
                ..COMMON
            },
            Profile::Server => Extensions {
                extended_key_usage: &[ServerAuth],
                ..COMMON
            },
            Profile::Client => Extensions {
                extended_key_usage: &[ClientAuth],
                ..COMMON
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
    pub(super) const fn row(self, tutorial_compat: bool) -> Extensions {
        if tutorial_compat {
            self.tutorial_extensions()
        } else {
            self.extensions()
        }
    }
}

/// A subjectAltName entry (RFC 5280 §4.2.1.6) this CA signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum AltName {
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
pub(super) struct Signer<'a> {
    pub(super) cert: Option<&'a X509Ref>,
    pub(super) key: &'a PKeyRef<Private>,
}

/// Makes one certificate by applying one row of the profile table: the single place
/// where extensions are chosen.
pub(super) fn build_certificate<T: HasPublic>(
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

pub(super) fn subject_alt_name(alt_names: &[AltName]) -> SubjectAlternativeName {
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
pub(super) fn random_serial() -> Result<Asn1Integer, ErrorStack> {
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::ONE, false)?;
    serial.to_asn1_integer()
}

/// `O=Secret Squirrels, CN=<common_name>`, most general first as X.500 orders it.
pub(super) fn subject_name(common_name: &str) -> Result<openssl::x509::X509Name, ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, ORGANIZATION)?;
    name.append_entry_by_nid(Nid::COMMONNAME, common_name)?;
    Ok(name.build())
}

#[cfg(test)]
mod tests {
    use super::*;

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
