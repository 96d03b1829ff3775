//! Lesson 06 — HTTPS.
//!
//! The lesson-01 server, unchanged, behind TLS: the `native-tls` acceptor (the platform's
//! TLS library: OpenSSL on Linux, Secure Transport on macOS, SChannel on Windows) with
//! the server certificate our CA signed in lesson 05. The client trusts only the CAs it
//! is told to: without `--cacert` it refuses our private CA's certificate; with it, the
//! handshake succeeds and the eavesdropper sees only TLS records. TLS below 1.2 is refused.

use std::path::Path;

use native_tls::{Certificate, Identity, Protocol, TlsAcceptor, TlsConnector};

use crate::http::{self, Url};
use crate::lessons::{body_text, LessonError, CLIENT_TIMEOUT, MAX_REPLY};
use crate::net;
use crate::tls::{self, HandshakeFailure, Peer, TlsError};
use crate::tr;

/// Which file [`read`] reads, for its error's words.
#[derive(Clone, Copy)]
enum What {
    Certificate,
    PrivateKey,
    CaCertificate,
}

fn read(path: &Path, what: What) -> Result<Vec<u8>, LessonError> {
    std::fs::read(path).map_err(|e| {
        let (path, reason) = (path.display().to_string(), e.to_string());
        LessonError::Key(match what {
            What::Certificate => tr!(
                "https-cannot-read-certificate",
                path = path,
                reason = reason
            ),
            What::PrivateKey => tr!("https-cannot-read-key", path = path, reason = reason),
            What::CaCertificate => {
                tr!(
                    "https-cannot-read-ca-certificate",
                    path = path,
                    reason = reason
                )
            }
        })
    })
}

/// The server side: a `native-tls` acceptor for `cert` (PEM) and `key` (PEM PKCS#8),
/// TLS 1.2 or newer. Serve it with `Transport::NativeTls` and the lesson-01 handler.
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, LessonError> {
    // native-tls takes any key with any certificate, and every handshake would then fail
    // ("no shared cipher"): check the pair now, as the OpenSSL acceptor of lesson 07 does.
    tls::check_key_pair(cert, key)?;
    let identity = Identity::from_pkcs8(
        &read(cert, What::Certificate)?,
        &read(key, What::PrivateKey)?,
    )
    .map_err(|e| {
        LessonError::Key(tr!(
            "https-cannot-use-pair",
            cert = cert.display().to_string(),
            key = key.display().to_string(),
            reason = e.to_string()
        ))
    })?;
    TlsAcceptor::builder(identity)
        .min_protocol_version(Some(Protocol::Tlsv12))
        .build()
        .map_err(|e| LessonError::Key(tr!("https-setup-failed", reason = e.to_string())))
}

/// The client: `GET url` over TLS with `native-tls`, trusting only `cacert` (PEM) when
/// given — as `curl --cacert` does — else the system's CAs, which do not know ours.
pub fn fetch(url: &Url, cacert: Option<&Path>) -> Result<String, LessonError> {
    let mut builder = TlsConnector::builder();
    builder.min_protocol_version(Some(Protocol::Tlsv12));
    if let Some(path) = cacert {
        let ca = Certificate::from_pem(&read(path, What::CaCertificate)?).map_err(|e| {
            LessonError::Key(tr!(
                "https-not-a-pem-certificate",
                path = path.display().to_string(),
                reason = e.to_string()
            ))
        })?;
        builder
            .add_root_certificate(ca)
            .disable_built_in_roots(true);
    }
    let connector = builder
        .build()
        .map_err(|e| LessonError::Key(tr!("https-setup-failed", reason = e.to_string())))?;
    let tcp = net::connect(&url.host, url.port, CLIENT_TIMEOUT)?;
    let mut stream = connector.connect(&url.host, tcp).map_err(|e| {
        LessonError::Tls(TlsError::Handshake {
            addr: url.host_header(),
            failure: HandshakeFailure::from_native_tls(&e, Peer::Server),
        })
    })?;
    let response = http::get(&mut stream, url, MAX_REPLY).map_err(LessonError::reply)?;
    body_text(response)
}
