//! TLS through OpenSSL: the acceptor every squirrel TLS server uses, the connector every
//! client uses, a key log for Wireshark, and handshake failures as types and in plain
//! words ([`failure`]).
//!
//! Both sides refuse anything below TLS 1.2 (RFC 8996 deprecates 1.0 and 1.1) and offer
//! only the key-exchange groups of Mozilla's intermediate profile ([`GROUPS`]). A server
//! given a client CA demands a client certificate signed by it: mutual TLS.
//!
//! When the environment variable `SSLKEYLOGFILE` names a file, every endpoint appends
//! the session secrets to it in the NSS Key Log format (one line per secret, e.g.
//! `CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random hex> <secret hex>`), which Wireshark
//! reads to decrypt a capture (Preferences → Protocols → TLS → (Pre)-Master-Secret log
//! filename). Spec: <https://www.ietf.org/archive/id/draft-ietf-tls-keylogfile-02.html>.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use openssl::error::ErrorStack;
use openssl::pkey::PKey;
use openssl::ssl::{
    SslAcceptor, SslAcceptorBuilder, SslConnector, SslConnectorBuilder, SslContextBuilder,
    SslFiletype, SslMethod, SslMode, SslSessionCacheMode, SslStream, SslVerifyMode, SslVersion,
};
use openssl::x509::X509;

use crate::files;
use crate::i18n::{Lang, Localized};
use crate::net::{self, ConnectError};
use crate::tr_in;

pub mod failure;

pub use failure::{HandshakeFailure, Peer, TrustFailure};

/// The environment variable naming the key log file (the name curl, Firefox and Chrome use).
pub const KEYLOG_ENV: &str = "SSLKEYLOGFILE";

/// Why a TLS endpoint could not be set up or connected. Its words come from the
/// catalogs (`locales/*/tls.ftl`, [`Localized`]); `Display` is the English one.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A certificate, key or CA file is missing or unreadable.
    File {
        /// The certificate, key or CA file (PEM), as given.
        path: PathBuf,
        /// What OpenSSL or the file system said; `None` when the file does not exist.
        reason: Option<String>,
    },
    /// A private key that is not the one of the certificate it is given with.
    KeyMismatch {
        /// The certificate file (PEM).
        cert: PathBuf,
        /// The key file (PEM) given with it.
        key: PathBuf,
    },
    /// OpenSSL refused the configuration.
    Setup(#[from] ErrorStack),
    /// The TCP connection could not be made.
    Connect(#[from] ConnectError),
    /// The handshake failed.
    Handshake {
        /// The server as `host:port` (an IPv6 address in brackets).
        addr: String,
        /// Why, as a type (its words are the plain words).
        failure: HandshakeFailure,
    },
    /// The other side refused us just after the handshake: with TLS 1.3 a server that
    /// refuses our client certificate says so in an alert we only see on the first read.
    Refused(HandshakeFailure),
}

impl Localized for TlsError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            TlsError::File {
                path,
                reason: Some(reason),
            } => tr_in!(
                lang,
                "tls-file",
                path = path.display().to_string(),
                reason = reason.as_str()
            ),
            TlsError::File { path, reason: None } => {
                tr_in!(lang, "tls-file-missing", path = path.display().to_string())
            }
            TlsError::KeyMismatch { cert, key } => tr_in!(
                lang,
                "tls-key-mismatch",
                cert = cert.display().to_string(),
                key = key.display().to_string()
            ),
            TlsError::Setup(stack) => tr_in!(lang, "tls-setup", reason = stack.to_string()),
            // The connection's own words (crate::net), the socket's reason as the OS says it.
            TlsError::Connect(e) => e.message_in(lang),
            TlsError::Handshake { addr, failure } => tr_in!(
                lang,
                "tls-handshake",
                addr = addr.as_str(),
                failure = failure.message_in(lang)
            ),
            TlsError::Refused(failure) => failure.message_in(lang),
        }
    }
}

crate::english_display!(TlsError);

fn file_error(path: &Path, e: impl std::fmt::Display) -> TlsError {
    let reason = path.exists().then(|| e.to_string());
    TlsError::File {
        path: path.to_path_buf(),
        reason,
    }
}

/// The key-exchange groups every squirrel OpenSSL endpoint offers, in order of
/// preference, as OpenSSL names them: X25519 (RFC 7748), P-256 and P-384 (NIST curves,
/// `prime256v1` and `secp384r1`). Mozilla's intermediate profile
/// (ssl-config.mozilla.org, `tls_curves`) lists exactly these; OpenSSL's default list
/// adds X448, P-521 and the finite-field groups, which an audit (sslyze
/// `--mozilla_config=intermediate`) reports as offered but to be rejected.
pub const GROUPS: &str = "X25519:P-256:P-384";

/// Restricts the key exchange to [`GROUPS`]: the one place that sets them, for the
/// servers (lesson 07, the vault, the web chat) and the clients alike. In TLS 1.2 this
/// is the ECDHE curve; in TLS 1.3 the `supported_groups` and `key_share` extensions.
fn use_groups(ctx: &mut SslContextBuilder) -> Result<(), ErrorStack> {
    ctx.set_groups_list(GROUPS)
}

/// Appends NSS key log lines to `$SSLKEYLOGFILE` when it is set (file mode 0600: the
/// lines decrypt the traffic).
fn install_keylog(ctx: &mut SslContextBuilder) {
    let Some(path) = std::env::var_os(KEYLOG_ENV) else {
        return;
    };
    if path.is_empty() {
        return;
    }
    let path = PathBuf::from(path);
    log::warn!(
        "writing TLS secrets to {} ({KEYLOG_ENV} is set): anyone with this file can decrypt the traffic",
        path.display()
    );
    ctx.set_keylog_callback(move |_, line| {
        match files::private_options()
            .create(true)
            .append(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = writeln!(file, "{line}");
            }
            Err(e) => log::warn!("cannot append to the key log {}: {e}", path.display()),
        }
    });
}

/// Checks that `key` (PEM) is the private key of the first certificate in `cert` (PEM),
/// so a mismatch is named at start-up, in plain words, rather than failing every
/// handshake. Files that cannot be read are [`TlsError::File`]; files that do not parse
/// (or an encrypted key: no prompt here) are left for the TLS library to report.
pub fn check_key_pair(cert: &Path, key: &Path) -> Result<(), TlsError> {
    let cert_pem = std::fs::read(cert).map_err(|e| file_error(cert, e))?;
    let key_pem = std::fs::read(key).map_err(|e| file_error(key, e))?;
    let parsed = X509::from_pem(&cert_pem)
        .ok()
        .zip(PKey::private_key_from_pem_callback(&key_pem, |_| Ok(0)).ok());
    match parsed {
        Some((certificate, private)) => {
            let matches = certificate
                .public_key()
                .is_ok_and(|public| public.public_eq(&private));
            if matches {
                Ok(())
            } else {
                Err(TlsError::KeyMismatch {
                    cert: cert.to_path_buf(),
                    key: key.to_path_buf(),
                })
            }
        }
        None => Ok(()),
    }
}

/// Loads our certificate chain (PEM) and its private key (PEM) and checks they belong
/// together: the same step for a server and for a client with a certificate.
fn use_identity(ctx: &mut SslContextBuilder, cert: &Path, key: &Path) -> Result<(), TlsError> {
    ctx.set_certificate_chain_file(cert)
        .map_err(|e| file_error(cert, e))?;
    // Send the chain in `cert` as it is. Otherwise OpenSSL completes it from the trust
    // store and also sends the root CA, which the peer must already hold to trust us:
    // ~450 wasted bytes and one more certificate for the peer to parse per handshake.
    // RFC 8446 §4.4.2 lets the root be left out; nginx leaves it out too.
    ctx.set_mode(SslMode::NO_AUTO_CHAIN);
    // Before OpenSSL loads the key: it would refuse a mismatch with its raw
    // "X509_check_private_key:key values mismatch".
    check_key_pair(cert, key)?;
    ctx.set_private_key_file(key, SslFiletype::PEM)
        .map_err(|e| file_error(key, e))?;
    ctx.check_private_key().map_err(|_| TlsError::KeyMismatch {
        cert: cert.to_path_buf(),
        key: key.to_path_buf(),
    })
}

/// A server acceptor: certificate chain `cert` (PEM), private key `key` (PEM), TLS 1.2
/// or newer, the suites and [`GROUPS`] of Mozilla's intermediate profile (version 5). With `client_ca`, a client certificate
/// signed by that CA (PEM) is required and the handshake fails without one.
pub fn server_acceptor(
    cert: &Path,
    key: &Path,
    client_ca: Option<&Path>,
) -> Result<SslAcceptor, TlsError> {
    let mut builder: SslAcceptorBuilder =
        SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server())?;
    builder.set_min_proto_version(Some(SslVersion::TLS1_2))?;
    use_groups(&mut builder)?;
    use_identity(&mut builder, cert, key)?;
    if let Some(ca) = client_ca {
        builder.set_ca_file(ca).map_err(|e| file_error(ca, e))?;
        // Tell clients which CA we accept, so they pick the right certificate.
        let names =
            openssl::x509::X509Name::load_client_ca_file(ca).map_err(|e| file_error(ca, e))?;
        builder.set_client_ca_list(names);
        builder.set_verify(SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT);
        // A session that checked a client certificate may be resumed only where the same
        // check would pass again. OpenSSL refuses to resume (alert 80, internal error)
        // when a server that verifies clients names no context; ours is the client CA
        // itself (its SHA-256, the 32 bytes a context may hold). A resumed session keeps
        // the client certificate verified in the first handshake.
        let ca_bytes = std::fs::read(ca).map_err(|e| file_error(ca, e))?;
        let context = openssl::sha::sha256(&ca_bytes);
        builder.set_session_id_context(&context)?;
    }
    // Every connection is a single request, and clients resume with TLS 1.3 tickets
    // (stateless) if at all: OpenSSL's server-side session cache would only add a
    // locked insert per handshake (nginx turns it off by default too).
    builder.set_session_cache_mode(SslSessionCacheMode::OFF);
    // One TLS 1.3 ticket (OpenSSL sends two) is enough for a client that resumes.
    builder.set_num_tickets(1)?;
    install_keylog(&mut builder);
    Ok(builder.build())
}

/// A client connector that trusts only `ca` (PEM) and, with `identity` (certificate and
/// key PEM files), presents a client certificate. TLS 1.2 or newer, [`GROUPS`] only.
pub fn client_connector(
    ca: &Path,
    identity: Option<(&Path, &Path)>,
) -> Result<SslConnector, TlsError> {
    let mut builder: SslConnectorBuilder = SslConnector::builder(SslMethod::tls_client())?;
    builder.set_min_proto_version(Some(SslVersion::TLS1_2))?;
    use_groups(&mut builder)?;
    builder.set_ca_file(ca).map_err(|e| file_error(ca, e))?;
    if let Some((cert, key)) = identity {
        use_identity(&mut builder, cert, key)?;
    }
    install_keylog(&mut builder);
    Ok(builder.build())
}

/// Connects to `host:port` over TCP (within `timeout` for the connection, and for each
/// read and write after it; see [`net::connect`]) and performs the TLS handshake,
/// checking that the server's certificate names `host` (a DNS name or an IP address).
pub fn connect(
    connector: &SslConnector,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<SslStream<TcpStream>, TlsError> {
    let tcp = net::connect(host, port, timeout)?;
    handshake(connector, host, port, tcp)
}

/// The client's side of the TLS handshake with `host:port` over an open `stream` (e.g.
/// a TCP stream with deadlines), checking that the server's certificate names `host`.
pub fn handshake<S: std::io::Read + std::io::Write>(
    connector: &SslConnector,
    host: &str,
    port: u16,
    stream: S,
) -> Result<SslStream<S>, TlsError> {
    connector
        .connect(net::unbracketed(host), stream)
        .map_err(|e| TlsError::Handshake {
            addr: crate::http::authority(net::unbracketed(host), port),
            failure: HandshakeFailure::from_openssl(&e),
        })
}
