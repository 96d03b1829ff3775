//! Why a TLS handshake failed, as a type, and in words.
//!
//! [`TrustFailure`] is a certificate refused: the other side's, by our check, or ours,
//! by the other side's alert. [`HandshakeFailure`] is that, or no TLS at all, a timeout,
//! a closed connection. Both are made in one place from what OpenSSL reports — the
//! certificate check's code (`X509_V_ERR_*`, x509_vfy.h) and the reason of the error or
//! alert (`SSL_R_*`, sslerr.h; an alert's reason is 1000 + its number, RFC 8446 §6) —
//! for the OpenSSL endpoints and for lesson 06's native-tls alike, and turned into words
//! in one place, the [`Localized`] impls at the end (the catalogs' `locales/*/tls.ftl`),
//! so that a failure reads the same in every client, server log and lesson text, in
//! English or French; `Display` is the English words, for logs. Hints match the
//! variant, never the words.

use std::io;

use openssl::error::ErrorStack;
use openssl::ssl::HandshakeError;
use openssl::x509::X509VerifyResult;

use crate::i18n::{Lang, Localized};
use crate::tr_in;

/// The other side's role: whose certificate we checked, who speaks (or not) TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// We are the client; the other side is the server.
    Server,
    /// We are the server; the other side is the client.
    Client,
}

/// A certificate refused, with the field's name for why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustFailure {
    /// The other side's certificate is not signed by a CA we trust (unknown issuer).
    UnknownCa(Peer),
    /// The other side's certificate signed itself, and we do not trust it.
    SelfSigned(Peer),
    /// The other side's certificate starts in the future (or our clock is behind).
    NotYetValid(Peer),
    /// The other side's certificate has expired.
    Expired(Peer),
    /// The other side's certificate is not for its role (extended key usage: a client
    /// certificate presented by a server, or the reverse).
    WrongUsage(Peer),
    /// The server's certificate names neither the host nor the IP address we asked for
    /// (its subjectAltName).
    WrongHost {
        /// Whether we asked for an IP address rather than a DNS name.
        ip: bool,
    },
    /// Another failed check of the other side's certificate; OpenSSL's words say which.
    CheckFailed(Peer),
    /// The server requires a client certificate and the client sent none.
    NoClientCertificate,
    /// The other side does not trust the CA that signed our certificate: a client
    /// certificate from another CA (alert `unknown_ca`).
    OurCaUnknown,
    /// The other side refused our certificate for its usage: a server certificate
    /// presented as a client's, or the reverse (alert `unsupported_certificate`).
    OurUsageRefused,
    /// The other side refused our certificate for another reason (alerts
    /// `bad_certificate`, `certificate_unknown`).
    OurCertificateRefused,
    /// No TLS version in common: the other side offers only versions below 1.2.
    ProtocolTooOld,
}

/// Why a TLS handshake (or the first read after it, where TLS 1.3 reports a refused
/// client certificate) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandshakeFailure {
    /// A certificate was refused; `detail` is OpenSSL's reason, e.g. `unable to get
    /// local issuer certificate`, `tlsv13 alert certificate required`.
    Trust {
        /// Why, as a type.
        failure: TrustFailure,
        /// OpenSSL's words for it, shown after ours.
        detail: String,
    },
    /// The other side does not speak TLS on this port (plain HTTP, most likely).
    NotTls {
        /// Who does not.
        peer: Peer,
        /// OpenSSL's reason, e.g. `wrong version number`, `http request`.
        detail: String,
    },
    /// The other side sent nothing in time.
    TimedOut,
    /// The other side closed the connection mid-handshake, without an alert.
    Closed,
    /// The other side reset the connection.
    Reset,
    /// The connection broke: the socket error's text.
    Broken(String),
    /// Anything else: OpenSSL's own text.
    Other(String),
}

// Certificate check results (x509_vfy.h), as `X509_V_ERR_*`.
const UNABLE_TO_GET_ISSUER_CERT: i32 = 2;
const CERT_NOT_YET_VALID: i32 = 9;
const CERT_HAS_EXPIRED: i32 = 10;
const DEPTH_ZERO_SELF_SIGNED_CERT: i32 = 18;
const SELF_SIGNED_CERT_IN_CHAIN: i32 = 19;
const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
const UNABLE_TO_VERIFY_LEAF_SIGNATURE: i32 = 21;
const INVALID_PURPOSE: i32 = 26;
const HOSTNAME_MISMATCH: i32 = 62;
const IP_ADDRESS_MISMATCH: i32 = 64;

/// The check results we name, for native-tls, which keeps the code to itself.
const NAMED_CHECKS: [i32; 10] = [
    UNABLE_TO_GET_ISSUER_CERT,
    CERT_NOT_YET_VALID,
    CERT_HAS_EXPIRED,
    DEPTH_ZERO_SELF_SIGNED_CERT,
    SELF_SIGNED_CERT_IN_CHAIN,
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
    UNABLE_TO_VERIFY_LEAF_SIGNATURE,
    INVALID_PURPOSE,
    HOSTNAME_MISMATCH,
    IP_ADDRESS_MISMATCH,
];

// Reasons of the SSL library's errors (sslerr.h, `SSL_R_*`); an alert received is
// 1000 + the alert's number (RFC 8446 §6.2).
const HTTP_REQUEST: i32 = 156;
const PACKET_LENGTH_TOO_LONG: i32 = 198;
const PEER_DID_NOT_RETURN_A_CERTIFICATE: i32 = 199;
const UNSUPPORTED_PROTOCOL: i32 = 258;
const WRONG_VERSION_NUMBER: i32 = 267;
/// OpenSSL 3.2 and later, where a record that is not TLS fails in the record layer.
const RECORD_LAYER_FAILURE: i32 = 313;
const ALERT_BAD_CERTIFICATE: i32 = 1042;
const ALERT_UNSUPPORTED_CERTIFICATE: i32 = 1043;
const ALERT_CERTIFICATE_UNKNOWN: i32 = 1046;
const ALERT_UNKNOWN_CA: i32 = 1048;
const ALERT_PROTOCOL_VERSION: i32 = 1070;
const ALERT_CERTIFICATE_REQUIRED: i32 = 1116;

impl TrustFailure {
    /// Our check of `peer`'s certificate failed with OpenSSL's `code` (`X509_V_ERR_*`).
    pub fn from_verify_code(code: i32, peer: Peer) -> TrustFailure {
        match code {
            UNABLE_TO_GET_ISSUER_CERT
            | SELF_SIGNED_CERT_IN_CHAIN
            | UNABLE_TO_GET_ISSUER_CERT_LOCALLY
            | UNABLE_TO_VERIFY_LEAF_SIGNATURE => TrustFailure::UnknownCa(peer),
            DEPTH_ZERO_SELF_SIGNED_CERT => TrustFailure::SelfSigned(peer),
            CERT_NOT_YET_VALID => TrustFailure::NotYetValid(peer),
            CERT_HAS_EXPIRED => TrustFailure::Expired(peer),
            INVALID_PURPOSE => TrustFailure::WrongUsage(peer),
            HOSTNAME_MISMATCH => TrustFailure::WrongHost { ip: false },
            IP_ADDRESS_MISMATCH => TrustFailure::WrongHost { ip: true },
            _ => TrustFailure::CheckFailed(peer),
        }
    }
}

impl HandshakeFailure {
    /// A failed OpenSSL handshake: the certificate check's result when there was one,
    /// else the error or alert, else what happened to the socket.
    pub fn from_openssl<S>(e: &HandshakeError<S>) -> HandshakeFailure {
        match e {
            HandshakeError::SetupFailure(stack) => HandshakeFailure::Other(stack.to_string()),
            HandshakeError::Failure(mid) | HandshakeError::WouldBlock(mid) => {
                let peer = if mid.ssl().is_server() {
                    Peer::Client
                } else {
                    Peer::Server
                };
                let verify = mid.ssl().verify_result();
                if verify != X509VerifyResult::OK {
                    return HandshakeFailure::Trust {
                        failure: TrustFailure::from_verify_code(verify.as_raw(), peer),
                        detail: verify.error_string().to_string(),
                    };
                }
                let error = mid.error();
                if let Some(io) = error.io_error() {
                    return HandshakeFailure::from_socket(io);
                }
                match error.ssl_error() {
                    Some(stack) => HandshakeFailure::from_stack(stack, peer),
                    None => HandshakeFailure::Closed,
                }
            }
        }
    }

    /// A failed native-tls handshake (lesson 06) with the other side in role `peer`.
    /// On Linux native-tls is OpenSSL: its error holds OpenSSL's error stack, and its
    /// text ends with OpenSSL's words for the certificate check's result, from which the
    /// code is read back (native-tls does not hand it out).
    pub fn from_native_tls<S>(e: &native_tls::HandshakeError<S>, peer: Peer) -> HandshakeFailure {
        let e = match e {
            native_tls::HandshakeError::Failure(e) => e,
            native_tls::HandshakeError::WouldBlock(_) => return HandshakeFailure::TimedOut,
        };
        let text = e.to_string();
        for code in NAMED_CHECKS {
            // SAFETY: a code from x509_vfy.h, so OpenSSL has a string for it.
            let result = unsafe { X509VerifyResult::from_raw(code) };
            if text.ends_with(&format!("({})", result.error_string())) {
                return HandshakeFailure::Trust {
                    failure: TrustFailure::from_verify_code(code, peer),
                    detail: result.error_string().to_string(),
                };
            }
        }
        let source = std::error::Error::source(e);
        if let Some(stack) = source.and_then(|s| s.downcast_ref::<ErrorStack>()) {
            return HandshakeFailure::from_stack(stack, peer);
        }
        if let Some(io) = source.and_then(|s| s.downcast_ref::<io::Error>()) {
            return HandshakeFailure::from_socket(io);
        }
        HandshakeFailure::Other(text)
    }

    /// A refusal that surfaced as an I/O error after the handshake: with TLS 1.3 a server
    /// that refuses our client certificate says so in an alert we only see on the first
    /// read. `None` when the error holds no TLS error (a plain socket error).
    pub fn after_handshake(e: &io::Error) -> Option<HandshakeFailure> {
        let stack = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<openssl::ssl::Error>())
            .and_then(|ssl| ssl.ssl_error())?;
        // Only a client reads a reply, so the other side is the server.
        Some(HandshakeFailure::from_stack(stack, Peer::Server))
    }

    /// What happened to the socket during a handshake.
    pub fn from_socket(io: &io::Error) -> HandshakeFailure {
        match io.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => HandshakeFailure::TimedOut,
            io::ErrorKind::ConnectionReset => HandshakeFailure::Reset,
            _ => HandshakeFailure::Broken(io.to_string()),
        }
    }

    /// OpenSSL's error stack, by the reason code of its first error.
    fn from_stack(stack: &ErrorStack, peer: Peer) -> HandshakeFailure {
        let Some(first) = stack.errors().first() else {
            return HandshakeFailure::Closed;
        };
        let detail = first.reason().unwrap_or_default().to_string();
        let trust = |failure| HandshakeFailure::Trust {
            failure,
            detail: detail.clone(),
        };
        match first.reason_code() {
            ALERT_CERTIFICATE_REQUIRED | PEER_DID_NOT_RETURN_A_CERTIFICATE => {
                trust(TrustFailure::NoClientCertificate)
            }
            ALERT_UNKNOWN_CA => trust(TrustFailure::OurCaUnknown),
            ALERT_UNSUPPORTED_CERTIFICATE => trust(TrustFailure::OurUsageRefused),
            ALERT_BAD_CERTIFICATE | ALERT_CERTIFICATE_UNKNOWN => {
                trust(TrustFailure::OurCertificateRefused)
            }
            ALERT_PROTOCOL_VERSION | UNSUPPORTED_PROTOCOL => trust(TrustFailure::ProtocolTooOld),
            WRONG_VERSION_NUMBER | HTTP_REQUEST | PACKET_LENGTH_TOO_LONG | RECORD_LAYER_FAILURE => {
                HandshakeFailure::NotTls { peer, detail }
            }
            _ => HandshakeFailure::Other(stack.to_string()),
        }
    }

    /// The certificate refusal, if that is what this is.
    pub fn trust(&self) -> Option<TrustFailure> {
        match self {
            HandshakeFailure::Trust { failure, .. } => Some(*failure),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The words: every sentence a person reads about a TLS failure is here, from the catalogs
// (`locales/*/tls.ftl`); `Display` is the English one, for logs.

impl Peer {
    /// The selector the catalogs' `$peer` takes: `server`, `client`.
    fn selector(self) -> &'static str {
        match self {
            Peer::Server => "server",
            Peer::Client => "client",
        }
    }
}

impl Localized for TrustFailure {
    fn message_in(&self, lang: Lang) -> String {
        match *self {
            TrustFailure::UnknownCa(peer) => {
                tr_in!(lang, "tls-unknown-ca", peer = peer.selector())
            }
            TrustFailure::SelfSigned(peer) => {
                tr_in!(lang, "tls-self-signed", peer = peer.selector())
            }
            TrustFailure::NotYetValid(peer) => {
                tr_in!(lang, "tls-not-yet-valid", peer = peer.selector())
            }
            TrustFailure::Expired(peer) => tr_in!(lang, "tls-expired", peer = peer.selector()),
            TrustFailure::WrongUsage(peer) => {
                tr_in!(lang, "tls-wrong-usage", peer = peer.selector())
            }
            TrustFailure::WrongHost { ip: false } => tr_in!(lang, "tls-wrong-host"),
            TrustFailure::WrongHost { ip: true } => tr_in!(lang, "tls-wrong-ip"),
            TrustFailure::CheckFailed(peer) => {
                tr_in!(lang, "tls-check-failed", peer = peer.selector())
            }
            TrustFailure::NoClientCertificate => tr_in!(lang, "tls-no-client-certificate"),
            TrustFailure::OurCaUnknown => tr_in!(lang, "tls-our-ca-unknown"),
            TrustFailure::OurUsageRefused => tr_in!(lang, "tls-our-usage-refused"),
            TrustFailure::OurCertificateRefused => tr_in!(lang, "tls-our-certificate-refused"),
            TrustFailure::ProtocolTooOld => tr_in!(lang, "tls-protocol-too-old"),
        }
    }
}

crate::english_display!(TrustFailure);

impl Localized for HandshakeFailure {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            // OpenSSL's own words close the sentence, as they are: a student can search
            // for them.
            HandshakeFailure::Trust { failure, detail } => {
                format!("{} ({detail})", failure.message_in(lang))
            }
            HandshakeFailure::NotTls { peer, detail } => tr_in!(
                lang,
                "tls-not-tls",
                peer = peer.selector(),
                detail = detail.as_str()
            ),
            HandshakeFailure::TimedOut => tr_in!(lang, "tls-timed-out"),
            HandshakeFailure::Closed => tr_in!(lang, "tls-closed"),
            HandshakeFailure::Reset => tr_in!(lang, "tls-reset"),
            HandshakeFailure::Broken(io) => tr_in!(lang, "tls-broken", reason = io.as_str()),
            HandshakeFailure::Other(text) => text.clone(),
        }
    }
}

crate::english_display!(HandshakeFailure);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_check_has_its_own_variant_and_openssl_words() {
        for code in NAMED_CHECKS {
            assert_ne!(
                TrustFailure::from_verify_code(code, Peer::Server),
                TrustFailure::CheckFailed(Peer::Server),
                "{code}"
            );
            // SAFETY: a code from x509_vfy.h.
            let words = unsafe { X509VerifyResult::from_raw(code) }.error_string();
            assert!(!words.starts_with("unknown"), "{code}: {words}");
        }
        assert_eq!(
            TrustFailure::from_verify_code(50, Peer::Client),
            TrustFailure::CheckFailed(Peer::Client)
        );
    }

    #[test]
    fn the_words_name_whose_certificate_and_end_with_openssls() {
        let failure = HandshakeFailure::Trust {
            failure: TrustFailure::UnknownCa(Peer::Server),
            detail: "unable to get local issuer certificate".into(),
        };
        assert_eq!(
            failure.to_string(),
            "the server's certificate is not signed by a CA you trust (unable to get local issuer certificate)"
        );
        assert_eq!(
            TrustFailure::WrongUsage(Peer::Client).to_string(),
            "the client's certificate is not meant for this use (wrong extended key usage)"
        );
    }

    #[test]
    fn the_french_words_keep_openssls_reason_as_it_is() {
        let failure = HandshakeFailure::Trust {
            failure: TrustFailure::UnknownCa(Peer::Server),
            detail: "unable to get local issuer certificate".into(),
        };
        assert_eq!(
            failure.message_in(Lang::Fr),
            "le certificat du serveur n'est pas signé par une CA à laquelle vous faites confiance (unable to get local issuer certificate)"
        );
    }
}
