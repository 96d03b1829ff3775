//! Lesson 01 — plain HTTP.
//!
//! The Secret Squirrels put their message on a web server: `GET /` answers
//! `fluffy tail`. It works, and anyone who can see the network — a Wi-Fi neighbour, the
//! café's router, Wireshark on loopback — reads the request and the reply, byte for
//! byte, because nothing is encrypted. Every later stage keeps this exchange and wraps
//! it in something stronger.

use std::net::SocketAddr;

use crate::http::{self, Request, Response, Url};
use crate::lessons::{body_text, LessonError, CLIENT_TIMEOUT, MAX_REPLY, SECRET};
use crate::net;

/// The server's whole logic: `GET /` → 200 `text/plain` `fluffy tail`. The same handler
/// serves lessons 06 and 07, only wrapped in TLS.
pub fn handler(request: Request, _peer: SocketAddr) -> Response {
    match (request.method.as_str(), request.path()) {
        ("GET", "/") => Response::text(200, SECRET),
        (_, "/") => Response::error(405, "only GET / is served here").header("Allow", "GET"),
        _ => Response::error(404, "the secret is at /"),
    }
}

/// The client: `GET url` over plain TCP; returns the body text.
///
/// These are the bytes it sends (`Host` is the only header):
///
/// ```text
/// GET / HTTP/1.1\r\nHost: 127.0.0.1:5683\r\nConnection: close\r\n\r\n
/// ```
pub fn fetch(url: &Url) -> Result<String, LessonError> {
    let mut stream = net::connect(&url.host, url.port, CLIENT_TIMEOUT)?;
    let response = http::get(&mut stream, url, MAX_REPLY).map_err(LessonError::reply)?;
    body_text(response)
}
