//! Lesson 07 — mutual TLS.
//!
//! HTTPS proves the server to the client. Now the server wants proof too: it asks for
//! a client certificate signed by the squirrels' CA and refuses the handshake without
//! one. The same lesson-01 handler again, behind an OpenSSL acceptor configured with
//! the CA (`tls::server_acceptor` with a client CA). This is the vault's front door.

use std::path::Path;

use crate::http::{self, Url};
use crate::lessons::{body_text, LessonError, CLIENT_TIMEOUT, MAX_REPLY};
use crate::tls;

/// The client: `GET url` over TLS, trusting `cacert` and presenting `cert`/`key` (PEM)
/// when given. Without a client certificate the server refuses us; with TLS 1.3 we learn
/// it at the first read, and the error says so in plain words.
pub fn fetch(
    url: &Url,
    cacert: &Path,
    identity: Option<(&Path, &Path)>,
) -> Result<String, LessonError> {
    let connector = tls::client_connector(cacert, identity)?;
    let mut stream = tls::connect(&connector, &url.host, url.port, CLIENT_TIMEOUT)?;
    let response = http::get(&mut stream, url, MAX_REPLY).map_err(LessonError::reply)?;
    let _ = stream.shutdown();
    body_text(response)
}
