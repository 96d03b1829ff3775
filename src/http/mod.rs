//! HTTP/1.1 messages over any `Read`/`Write` (RFC 9112), shared by every server and
//! client in squirrel.
//!
//! Heads are parsed with `httparse`; everything we send is written by hand below, so a
//! student can read exactly which bytes go on the wire:
//!
//! ```text
//! HTTP/1.1 200 OK\r\n
//! Content-Type: text/plain\r\n
//! Content-Length: 11\r\n
//! Connection: close\r\n
//! \r\n
//! fluffy tail
//! ```
//!
//! squirrel speaks one request per connection (`Connection: close`), so a body is
//! either framed by `Content-Length` or, for responses only, runs to the end of the
//! connection. Chunked transfer coding is refused (411), as a small server may do.
//!
//! Leniency for the original Python vault client: no `Host` header is required, and
//! header values that are not UTF-8 are read as Latin-1 (what Python's `http.client`
//! sends for a non-ASCII `File-Name`).

use std::fmt;
use std::io::{self, Read, Write};

use crate::i18n::{Lang, Localized};
use crate::tr_in;

mod client;
mod response;
mod url;

pub use client::{
    get, read_response, read_response_body, read_response_head, write_request, write_request_head,
    ResponseHead,
};
pub use response::{ApiError, Response, StreamedBody};
pub use url::{authority, split_authority, AuthorityError, Url, UrlError, UrlProblem};

/// Largest request or response head we read, in bytes (status/request line and
/// headers, up to and including the blank line). Over it: 431.
pub const HEAD_LIMIT: usize = 16 * 1024;

/// Most headers one head may carry; more is treated like an oversized head (431).
const MAX_HEADERS: usize = 64;

/// Why a message could not be read. Its words for a person come from
/// `locales/*/http.ftl` ([`Localized`]); `Display` is English, for logs and the JSON
/// `message` of a server's error reply.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The peer closed the connection before sending a complete head or body.
    Closed,
    /// The head was larger than the limit, in bytes, or had too many headers.
    HeadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The bytes are not an HTTP/1.1 message (the detail, in English, names the field:
    /// it is the protocol's, as httparse's own words are).
    Malformed(String),
    /// `Content-Length` announces more bytes than allowed.
    BodyTooLarge {
        /// Announced length in bytes.
        length: u64,
        /// Limit in bytes.
        limit: u64,
    },
    /// A deadline passed or the peer stopped sending (see `server::TimedStream`).
    TimedOut,
    /// Any other I/O failure (including TLS failures surfaced as I/O errors).
    Io(#[source] io::Error),
}

impl Localized for HttpError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            HttpError::Closed => tr_in!(lang, "http-closed"),
            HttpError::HeadTooLarge { limit } => {
                tr_in!(lang, "http-head-too-large", limit = limit.to_string())
            }
            HttpError::Malformed(detail) => tr_in!(lang, "http-malformed", detail = detail),
            HttpError::BodyTooLarge { length, limit } => tr_in!(
                lang,
                "http-body-too-large",
                length = length.to_string(),
                limit = limit.to_string()
            ),
            HttpError::TimedOut => tr_in!(lang, "http-timed-out"),
            // The operating system's (or OpenSSL's) own words.
            HttpError::Io(e) => e.to_string(),
        }
    }
}

crate::english_display!(HttpError);

impl HttpError {
    /// The status a server answers with for this error, or `None` when the
    /// connection is beyond answering (closed, broken).
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::HeadTooLarge { .. } => Some(431),
            HttpError::Malformed(_) => Some(400),
            HttpError::BodyTooLarge { .. } => Some(413),
            HttpError::TimedOut => Some(408),
            HttpError::Closed | HttpError::Io(_) => None,
        }
    }
}

impl From<io::Error> for HttpError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => HttpError::TimedOut,
            io::ErrorKind::UnexpectedEof => HttpError::Closed,
            _ => HttpError::Io(e),
        }
    }
}

/// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// The first value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Appends a field (values must not contain CR or LF; see [`Response::header`]).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// All fields in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// `Content-Length` as a number: `Ok(None)` when absent, an error when it is not a
    /// single non-negative integer (two differing values are a classic smuggling trick).
    pub fn content_length(&self) -> Result<Option<u64>, HttpError> {
        let mut found: Option<u64> = None;
        for (_, value) in self
            .0
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        {
            let value = value.trim();
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HttpError::Malformed(format!(
                    "Content-Length is not a number: {value:?}"
                )));
            }
            let n: u64 = value
                .parse()
                .map_err(|_| HttpError::Malformed("Content-Length is too large".into()))?;
            if found.is_some_and(|f| f != n) {
                return Err(HttpError::Malformed(
                    "two different Content-Length values".into(),
                ));
            }
            found = Some(n);
        }
        Ok(found)
    }
}

/// Decodes a header value: UTF-8 when valid, else Latin-1 (RFC 9110 §5.5 obs-text),
/// which is what Python's `http.client` sends for non-ASCII values.
fn header_value(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// A request head: request line and headers, the body not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// Method, e.g. `GET`, `POST` (case-sensitive, RFC 9110 §9.1).
    pub method: String,
    /// The request-target exactly as sent, e.g. `/archives/a%20b.enc?x=1`.
    pub target: String,
    /// Header fields.
    pub headers: Headers,
}

impl RequestHead {
    /// The target's path, without any query string (still percent-encoded).
    pub fn path(&self) -> &str {
        target_path(&self.target)
    }
}

/// The path of a request-target, without the query: `/a/b` of `/a/b?x=1`, and of the
/// absolute form `https://host:5000/a/b?x=1` that a server must accept too
/// (RFC 9112 §3.2.2; proxies send it).
pub fn target_path(target: &str) -> &str {
    let target = target.split('?').next().unwrap_or("");
    let scheme_end = target.find("://").filter(|&i| {
        let scheme = &target[..i];
        scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
    });
    match scheme_end {
        Some(i) => {
            let after_authority = &target[i + 3..];
            match after_authority.find('/') {
                Some(slash) => &after_authority[slash..],
                None => "/",
            }
        }
        None => target,
    }
}

/// A complete request: head and body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Method, e.g. `POST`.
    pub method: String,
    /// The request-target exactly as sent.
    pub target: String,
    /// Header fields.
    pub headers: Headers,
    /// The body (empty when there is none).
    pub body: Vec<u8>,
}

impl Request {
    /// Joins a head and its body.
    pub fn new(head: RequestHead, body: Vec<u8>) -> Self {
        Request {
            method: head.method,
            target: head.target,
            headers: head.headers,
            body,
        }
    }

    /// The target's path, without any query string (still percent-encoded); see
    /// [`target_path`].
    pub fn path(&self) -> &str {
        target_path(&self.target)
    }

    /// The head of this request (without the body).
    pub fn head(&self) -> RequestHead {
        RequestHead {
            method: self.method.clone(),
            target: self.target.clone(),
            headers: self.headers.clone(),
        }
    }
}

/// Reads bytes from `reader` until a whole head has arrived, and hands the buffer to
/// `parse` after each read. Returns what `parse` made of the head, and the bytes that
/// came after it (the start of the body).
fn read_head<R, T, F>(reader: &mut R, limit: usize, mut parse: F) -> Result<(T, Vec<u8>), HttpError>
where
    R: Read + ?Sized,
    F: FnMut(&[u8]) -> Result<Option<(T, usize)>, HttpError>,
{
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return Err(HttpError::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some((parsed, head_len)) = parse(&buf)? {
            if head_len > limit {
                return Err(HttpError::HeadTooLarge { limit });
            }
            let rest = buf.split_off(head_len);
            return Ok((parsed, rest));
        }
        if buf.len() > limit {
            return Err(HttpError::HeadTooLarge { limit });
        }
    }
}

fn parse_error(e: httparse::Error) -> HttpError {
    match e {
        httparse::Error::TooManyHeaders => HttpError::HeadTooLarge { limit: HEAD_LIMIT },
        other => HttpError::Malformed(other.to_string()),
    }
}

fn owned_headers(parsed: &[httparse::Header<'_>]) -> Headers {
    Headers(
        parsed
            .iter()
            .map(|h| (h.name.to_string(), header_value(h.value)))
            .collect(),
    )
}

/// Reads a request head of at most `limit` bytes.
///
/// Returns the head and any bytes read past it (the beginning of the body).
/// Errors: [`HttpError::HeadTooLarge`] (431), [`HttpError::Malformed`] (400), and the
/// I/O cases. Only HTTP/1.0 and 1.1 exist for httparse, so other versions are 400.
pub fn read_request_head<R: Read + ?Sized>(
    reader: &mut R,
    limit: usize,
) -> Result<(RequestHead, Vec<u8>), HttpError> {
    read_head(reader, limit, |buf| {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(buf).map_err(parse_error)? {
            httparse::Status::Partial => Ok(None),
            httparse::Status::Complete(len) => {
                let head = RequestHead {
                    method: req.method.unwrap_or_default().to_string(),
                    target: req.path.unwrap_or_default().to_string(),
                    headers: owned_headers(req.headers),
                };
                Ok(Some((head, len)))
            }
        }
    })
}

/// A reader over exactly `length` body bytes: first `already` (bytes read together with
/// the head), then the rest from `reader`. Reading past the end returns EOF; a peer that
/// closes early makes a read fail with `UnexpectedEof`.
pub fn body_reader<'a, R: Read + ?Sized>(
    reader: &'a mut R,
    mut already: Vec<u8>,
    length: u64,
) -> impl Read + 'a {
    let prefix_len = (already.len() as u64).min(length);
    already.truncate(prefix_len as usize);
    ExactReader {
        inner: io::Cursor::new(already).chain(reader.take(length - prefix_len)),
        remaining: length,
    }
}

/// Turns an early EOF into an error, so a truncated body is never taken for a whole one.
struct ExactReader<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for ExactReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} body bytes missing", self.remaining),
            ));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

/// Reads a whole body of `length` bytes into memory (see [`body_reader`]). The caller
/// has checked `length` against its limit, so the buffer is allocated once, at its
/// final size: growing it by doubling would copy a 64 MiB upload several times.
pub fn read_body<R: Read + ?Sized>(
    reader: &mut R,
    already: Vec<u8>,
    length: u64,
) -> Result<Vec<u8>, HttpError> {
    let capacity = usize::try_from(length).map_err(|_| HttpError::BodyTooLarge {
        length,
        limit: usize::MAX as u64,
    })?;
    let mut body = Vec::with_capacity(capacity);
    body_reader(reader, already, length).read_to_end(&mut body)?;
    Ok(body)
}

/// The standard reason phrase of a status code (RFC 9110 §15).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        507 => "Insufficient Storage",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::response::STREAM_CHUNK;
    use super::*;

    /// A reader that hands out one byte per read, like a client dripping bytes.
    struct Drip<'a>(&'a [u8]);
    impl Read for Drip<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn request_head_and_body_arrive_byte_by_byte() {
        let raw = b"POST /upload-file HTTP/1.1\r\nAuthorization: abc\r\nFile-Name: caf\xe9.txt\r\nContent-Length: 5\r\n\r\nhello";
        let mut r = Drip(raw);
        let (head, rest) = read_request_head(&mut r, HEAD_LIMIT).unwrap();
        assert_eq!(head.method, "POST");
        assert_eq!(head.path(), "/upload-file");
        assert_eq!(head.headers.get("authorization"), Some("abc"));
        assert_eq!(head.headers.get("file-name"), Some("café.txt"));
        let len = head.headers.content_length().unwrap().unwrap();
        assert_eq!(read_body(&mut r, rest, len).unwrap(), b"hello");
    }

    #[test]
    fn oversized_head_is_431() {
        let mut raw = b"GET / HTTP/1.1\r\nX: ".to_vec();
        raw.extend(std::iter::repeat_n(b'a', HEAD_LIMIT));
        let err = read_request_head(&mut &raw[..], HEAD_LIMIT).unwrap_err();
        assert_eq!(err.status(), Some(431));
    }

    #[test]
    fn garbage_is_400_and_short_body_is_an_error() {
        let err = read_request_head(&mut &b"\x16\x03\x01\x00\xa5garbage\r\n\r\n"[..], HEAD_LIMIT)
            .unwrap_err();
        assert_eq!(err.status(), Some(400));
        let err = read_body(&mut &b"abc"[..], Vec::new(), 10).unwrap_err();
        assert!(matches!(err, HttpError::Closed), "{err:?}");
    }

    #[test]
    fn urls_parse() {
        let u = Url::parse("http://127.0.0.1:5683/").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.target.as_str()),
            ("127.0.0.1", 5683, "/")
        );
        let u = Url::parse("https://[::1]/x?y").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.target.as_str()),
            ("::1", 443, "/x?y")
        );
        assert_eq!(u.host_header(), "[::1]:443");
        assert!(Url::parse("ftp://x/").is_err());
        assert!(Url::parse("http://:80/").is_err());
        assert!(Url::parse("localhost:5683").is_err());
    }

    #[test]
    fn authorities_split_and_join_with_ipv6_in_brackets() {
        assert_eq!(split_authority("[::1]:5000", 80), Ok(("::1".into(), 5000)));
        assert_eq!(split_authority("[::1]", 80), Ok(("::1".into(), 80)));
        assert_eq!(
            split_authority("localhost", 443),
            Ok(("localhost".into(), 443))
        );
        assert_eq!(
            split_authority("[::1]x", 80),
            Err(AuthorityError::AfterBracket)
        );
        assert_eq!(split_authority(":5", 80), Err(AuthorityError::NoHost));
        assert_eq!(authority("::1", 5000), "[::1]:5000");
        assert_eq!(authority("127.0.0.1", 5000), "127.0.0.1:5000");
    }

    #[test]
    fn absolute_form_targets_have_the_same_path() {
        for (target, path) in [
            ("/get-files", "/get-files"),
            ("/archives/a%20b.enc?x=1", "/archives/a%20b.enc"),
            ("https://localhost:5000/get-files", "/get-files"),
            ("HTTP://[::1]:5000/archives/x.enc?y", "/archives/x.enc"),
            ("https://localhost:5000", "/"),
            ("*", "*"),
        ] {
            assert_eq!(target_path(target), path, "{target}");
        }
    }

    #[test]
    fn conflicting_content_lengths_are_refused() {
        let raw = b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n";
        let (head, _) = read_request_head(&mut &raw[..], HEAD_LIMIT).unwrap();
        assert!(head.headers.content_length().is_err());
    }

    #[test]
    fn streamed_body_is_sent_whole_with_its_length() {
        let content: Vec<u8> = (0..STREAM_CHUNK * 2 + 7).map(|i| i as u8).collect();
        let mut sent = Response::new(200).streamed(StreamedBody::new(
            content.len() as u64,
            io::Cursor::new(content.clone()),
        ));
        let mut wire = Vec::new();
        sent.write_to(&mut wire).unwrap();
        let length_line = format!("\r\nContent-Length: {}\r\n", content.len());
        let head_end = wire.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        assert!(String::from_utf8_lossy(&wire[..head_end + 2]).contains(&length_line));
        let got = read_response(&mut &wire[..], u64::MAX).unwrap();
        assert_eq!(got.body, content);
    }

    #[test]
    fn streamed_body_whose_source_ends_early_is_an_error() {
        let mut sent =
            Response::new(200).streamed(StreamedBody::new(10, io::Cursor::new(b"short".to_vec())));
        let err = sent.write_to(&mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn a_head_answer_has_gets_content_length_and_no_body() {
        let mut sent = Response::text(200, "fluffy tail").without_body();
        let mut wire = Vec::new();
        sent.write_to(&mut wire).unwrap();
        let text = String::from_utf8(wire).unwrap();
        assert!(text.contains("\r\nContent-Length: 11\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n"), "{text}");
        // A streamed body's source is not even read.
        struct Unreadable;
        impl Read for Unreadable {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                panic!("a HEAD answer read its body")
            }
        }
        let mut sent = Response::new(200)
            .streamed(StreamedBody::new(1 << 20, Unreadable))
            .without_body();
        let mut wire = Vec::new();
        sent.write_to(&mut wire).unwrap();
        assert!(String::from_utf8(wire)
            .unwrap()
            .ends_with("Content-Length: 1048576\r\nConnection: close\r\n\r\n"));
    }

    #[test]
    fn allow_lists_head_wherever_it_lists_get() {
        let allow = |value: &str| {
            Response::new(405)
                .header("Allow", value)
                .allow_head()
                .headers
                .get("allow")
                .map(str::to_string)
        };
        assert_eq!(allow("GET").as_deref(), Some("GET, HEAD"));
        assert_eq!(allow("GET, POST").as_deref(), Some("GET, HEAD, POST"));
        assert_eq!(allow("POST").as_deref(), Some("POST"));
        assert_eq!(allow("GET, HEAD").as_deref(), Some("GET, HEAD"));
        assert_eq!(Response::new(404).allow_head().headers.get("allow"), None);
    }

    #[test]
    fn response_round_trips_through_the_wire_format() {
        let mut sent =
            Response::error(404, "no such archive").header("X-Evil", "a\r\nSet-Cookie: x");
        let mut wire = Vec::new();
        sent.write_to(&mut wire).unwrap();
        let text = String::from_utf8(wire.clone()).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(!text.contains("\r\nSet-Cookie"));
        let got = read_response(&mut &wire[..], 1024).unwrap();
        assert_eq!(got.status, 404);
        assert_eq!(got.message().as_deref(), Some("no such archive"));
    }
}
