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
use crate::tls;

fn read(path: &Path, what: &str) -> Result<Vec<u8>, LessonError> {
    std::fs::read(path)
        .map_err(|e| LessonError::Key(format!("cannot read the {what} {}: {e}", path.display())))
}

/// The server side: a `native-tls` acceptor for `cert` (PEM) and `key` (PEM PKCS#8),
/// TLS 1.2 or newer. Serve it with `Transport::NativeTls` and the lesson-01 handler.
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, LessonError> {
    // native-tls takes any key with any certificate, and every handshake would then fail
    // ("no shared cipher"): check the pair now, as the OpenSSL acceptor of lesson 07 does.
    tls::check_key_pair(cert, key)?;
    let identity = Identity::from_pkcs8(&read(cert, "certificate")?, &read(key, "private key")?)
        .map_err(|e| {
            LessonError::Key(format!(
                "cannot use {} with {}: {e}",
                cert.display(),
                key.display()
            ))
        })?;
    TlsAcceptor::builder(identity)
        .min_protocol_version(Some(Protocol::Tlsv12))
        .build()
        .map_err(|e| LessonError::Key(format!("TLS set-up failed: {e}")))
}

/// The client: `GET url` over TLS with `native-tls`, trusting only `cacert` (PEM) when
/// given — as `curl --cacert` does — else the system's CAs, which do not know ours.
pub fn fetch(url: &Url, cacert: Option<&Path>) -> Result<String, LessonError> {
    let mut builder = TlsConnector::builder();
    builder.min_protocol_version(Some(Protocol::Tlsv12));
    if let Some(path) = cacert {
        let ca = Certificate::from_pem(&read(path, "CA certificate")?).map_err(|e| {
            LessonError::Key(format!("{} is not a PEM certificate: {e}", path.display()))
        })?;
        builder
            .add_root_certificate(ca)
            .disable_built_in_roots(true);
    }
    let connector = builder
        .build()
        .map_err(|e| LessonError::Key(format!("TLS set-up failed: {e}")))?;
    let tcp = tls::tcp_connect(&url.host, url.port, CLIENT_TIMEOUT)?;
    let mut stream = connector.connect(&url.host, tcp).map_err(|e| {
        let reason = match e {
            native_tls::HandshakeError::Failure(e) => explain(&e.to_string(), cacert),
            native_tls::HandshakeError::WouldBlock(_) => "the server took too long".to_string(),
        };
        LessonError::Tls(tls::TlsError::Handshake {
            addr: url.host_header(),
            reason,
        })
    })?;
    let response = http::get(&mut stream, url, MAX_REPLY).map_err(LessonError::reply)?;
    body_text(response)
}

/// Plain words for native-tls's handshake errors (OpenSSL's text on Linux), the
/// OpenSSL reason after them. `cacert` is the CA the client was told to trust, if any.
fn explain(text: &str, cacert: Option<&Path>) -> String {
    let untrusted = match cacert {
        Some(ca) => format!(
            "the server's certificate is not signed by the CA you gave ({}): it was signed by another CA",
            ca.display()
        ),
        None => "the server's certificate is not signed by a CA you trust: it was signed by the squirrels' own CA, which your system does not know".to_string(),
    };
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "unable to get local issuer certificate",
                "self-signed certificate in certificate chain",
            ],
            &untrusted,
        ),
        (
            &["self-signed certificate"],
            "the server's certificate is self-signed and not one you trust",
        ),
        (
            &["Hostname mismatch", "IP address mismatch"],
            "the server's certificate does not name this host (check its SANs)",
        ),
        (
            &["certificate has expired"],
            "the server's certificate has expired",
        ),
        (
            &[
                "wrong version number",
                "packet length too long",
                "record layer failure",
            ],
            "the server does not speak TLS here (plain HTTP on this port?)",
        ),
    ];
    for (reasons, plain) in cases {
        // OpenSSL's text ends in "…:wrong version number:../ssl/record/…:354:": name the
        // reason that matched, not whatever follows the last colon.
        if let Some(reason) = reasons.iter().find(|r| text.contains(**r)) {
            return format!("{plain} ({reason})");
        }
    }
    text.to_string()
}
