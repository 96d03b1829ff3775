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

/// Largest request or response head we read, in bytes (status/request line and
/// headers, up to and including the blank line). Over it: 431.
pub const HEAD_LIMIT: usize = 16 * 1024;

/// Most headers one head may carry; more is treated like an oversized head (431).
const MAX_HEADERS: usize = 64;

/// Why a message could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The peer closed the connection before sending a complete head or body.
    #[error("the connection closed before the message was complete")]
    Closed,
    /// The head was larger than the limit, in bytes, or had too many headers.
    #[error("the message head is larger than {limit} bytes or has too many headers")]
    HeadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The bytes are not an HTTP/1.1 message.
    #[error("malformed HTTP message: {0}")]
    Malformed(String),
    /// `Content-Length` announces more bytes than allowed.
    #[error("the body of {length} bytes is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// Announced length in bytes.
        length: u64,
        /// Limit in bytes.
        limit: u64,
    },
    /// A deadline passed or the peer stopped sending (see `server::TimedStream`).
    #[error("timed out waiting for the other side")]
    TimedOut,
    /// Any other I/O failure (including TLS failures surfaced as I/O errors).
    #[error("{0}")]
    Io(#[source] io::Error),
}

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

/// A response: status, headers and body. `Content-Length` and `Connection: close` are
/// added when it is written, never stored.
///
/// The body is either bytes in memory (`body`) or, for a large file, a
/// [`StreamedBody`] read while it is sent (see [`Response::streamed`]).
#[derive(Debug)]
pub struct Response {
    /// Status code, e.g. 200.
    pub status: u16,
    /// Header fields other than `Content-Length` and `Connection`.
    pub headers: Headers,
    /// The body bytes (empty when the body is streamed).
    pub body: Vec<u8>,
    /// A body read from a source as it is written, instead of `body`.
    stream: Option<StreamedBody>,
    /// The answer to a HEAD request: the head is written, `Content-Length` included, and
    /// the body is not (see [`Response::without_body`]).
    head_only: bool,
}

/// A response body of exactly `len` bytes read from a source (an archive file) while it
/// is written, so a 64 MiB download never sits in the server's memory.
pub struct StreamedBody {
    len: u64,
    source: Box<dyn Read + Send>,
}

impl StreamedBody {
    /// A body of `len` bytes read from `source`. Writing it fails with `UnexpectedEof`
    /// if `source` ends early; bytes past `len` are never read.
    pub fn new(len: u64, source: impl Read + Send + 'static) -> Self {
        StreamedBody {
            len,
            source: Box::new(source),
        }
    }
}

impl fmt::Debug for StreamedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StreamedBody({} bytes)", self.len)
    }
}

/// Bytes read from a streamed body per write: a few TLS records, few system calls.
const STREAM_CHUNK: usize = 256 * 1024;

impl Response {
    /// An empty response with this status.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: Headers::new(),
            body: Vec::new(),
            stream: None,
            head_only: false,
        }
    }

    /// A `text/plain; charset=utf-8` response.
    pub fn text(status: u16, text: &str) -> Self {
        Response::new(status)
            .header("Content-Type", "text/plain; charset=utf-8")
            .with_body(text.as_bytes().to_vec())
    }

    /// An `application/json` response with `value` serialized.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Response::new(status)
            .header("Content-Type", "application/json")
            .with_body(value.to_string().into_bytes())
    }

    /// An error reply: JSON `{"message": message}`, the shape of every error body.
    pub fn error(status: u16, message: &str) -> Self {
        Response::json(status, &serde_json::json!({ "message": message }))
    }

    /// Adds a header. CR and LF are removed from the value so no input can split the
    /// head (response splitting).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let clean: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        self.headers.push(name, clean);
        self
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self.stream = None;
        self
    }

    /// Replaces the body with one read from its source while it is written.
    pub fn streamed(mut self, body: StreamedBody) -> Self {
        self.body = Vec::new();
        self.stream = Some(body);
        self
    }

    /// This response as the answer to a HEAD request (RFC 9110 §9.3.2): the same head,
    /// `Content-Length` included (the length GET's body has), and no body. A streamed
    /// body's source is never read.
    pub fn without_body(mut self) -> Self {
        self.head_only = true;
        self
    }

    /// Where an `Allow` header (of a 405) lists GET, lists HEAD after it: whatever serves
    /// GET serves HEAD too (RFC 9110 §9.1), the server sees to it for every handler.
    pub fn allow_head(mut self) -> Self {
        for (name, value) in &mut self.headers.0 {
            let methods: Vec<&str> = value.split(',').map(str::trim).collect();
            if name.eq_ignore_ascii_case("allow")
                && methods.contains(&"GET")
                && !methods.contains(&"HEAD")
            {
                let listed: Vec<&str> = methods
                    .iter()
                    .map(|&m| if m == "GET" { "GET, HEAD" } else { m })
                    .collect();
                *value = listed.join(", ");
            }
        }
        self
    }

    /// The body's length in bytes, streamed or not (the `Content-Length`).
    pub fn body_len(&self) -> u64 {
        match &self.stream {
            Some(stream) => stream.len,
            None => self.body.len() as u64,
        }
    }

    /// The bytes of the head, ending with the blank line.
    pub fn head_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in self.headers.iter() {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.body_len()));
        head.push_str("Connection: close\r\n\r\n");
        head.into_bytes()
    }

    /// Writes the whole response and flushes. A streamed body is read from its source
    /// as it goes (so this takes `&mut self`); a source that ends early or fails makes
    /// this fail, and the peer sees a body shorter than its `Content-Length`.
    pub fn write_to<W: Write + ?Sized>(&mut self, writer: &mut W) -> io::Result<()> {
        let mut head = self.head_bytes();
        if self.head_only {
            writer.write_all(&head)?;
        } else if let Some(stream) = self.stream.as_mut() {
            writer.write_all(&head)?;
            let len = stream.len;
            let mut source = ExactReader {
                inner: (&mut stream.source).take(len),
                remaining: len,
            };
            let mut chunk = vec![0u8; STREAM_CHUNK.min(len as usize)];
            loop {
                let n = source.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                writer.write_all(&chunk[..n])?;
            }
        } else if self.body.len() <= 16 * 1024 {
            // A small reply goes out in one write: over TLS that is one record and one
            // packet instead of two. A large body is not copied for that.
            head.extend_from_slice(&self.body);
            writer.write_all(&head)?;
        } else {
            writer.write_all(&head)?;
            writer.write_all(&self.body)?;
        }
        writer.flush()
    }

    /// The body parsed as JSON.
    pub fn json_body(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The `message` field of a JSON body, if any: what every squirrel reply carries.
    pub fn message(&self) -> Option<String> {
        self.json_body()
            .ok()?
            .get("message")?
            .as_str()
            .map(str::to_string)
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, reason(self.status))
    }
}

/// Writes a request head by hand: request line, `Host` (when given), the headers,
/// `Content-Length` (when given) and `Connection: close`. The caller then writes exactly
/// `content_length` body bytes.
pub fn write_request_head<W: Write + ?Sized>(
    writer: &mut W,
    method: &str,
    target: &str,
    host: Option<&str>,
    headers: &[(&str, &str)],
    content_length: Option<u64>,
) -> io::Result<()> {
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    if let Some(host) = host {
        head.push_str(&format!("Host: {host}\r\n"));
    }
    for (name, value) in headers {
        let clean: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{name}: {clean}\r\n"));
    }
    if let Some(n) = content_length {
        head.push_str(&format!("Content-Length: {n}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    writer.write_all(head.as_bytes())
}

/// Writes a whole request with an in-memory body and flushes.
pub fn write_request<W: Write + ?Sized>(
    writer: &mut W,
    method: &str,
    target: &str,
    host: Option<&str>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let length =
        (!body.is_empty() || method == "POST" || method == "PUT").then_some(body.len() as u64);
    write_request_head(writer, method, target, host, headers, length)?;
    writer.write_all(body)?;
    writer.flush()
}

/// A response head: status and headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// Status code, 100 to 599 (RFC 9110 §15).
    pub status: u16,
    /// Header fields.
    pub headers: Headers,
}

/// Reads a response head of at most `limit` bytes; returns it and the bytes read past it.
pub fn read_response_head<R: Read + ?Sized>(
    reader: &mut R,
    limit: usize,
) -> Result<(ResponseHead, Vec<u8>), HttpError> {
    read_head(reader, limit, |buf| {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(buf).map_err(parse_error)? {
            httparse::Status::Partial => Ok(None),
            httparse::Status::Complete(len) => {
                let head = ResponseHead {
                    status: resp.code.unwrap_or(0),
                    headers: owned_headers(resp.headers),
                };
                Ok(Some((head, len)))
            }
        }
    })
}

/// Reads a whole response whose body is at most `max_body` bytes: framed by
/// `Content-Length`, or, without it, running to the end of the connection.
pub fn read_response<R: Read + ?Sized>(
    reader: &mut R,
    max_body: u64,
) -> Result<Response, HttpError> {
    let (head, already) = read_response_head(reader, HEAD_LIMIT)?;
    read_response_body(reader, head, already, max_body)
}

/// Reads the body that follows `head` (with `already`, the bytes read past the head),
/// at most `max_body` bytes: framed by `Content-Length`, or running to the end of the
/// connection. Split from [`read_response`] so a caller can look at the head first,
/// e.g. to size a progress bar, and read the body through a wrapping reader.
pub fn read_response_body<R: Read + ?Sized>(
    reader: &mut R,
    head: ResponseHead,
    already: Vec<u8>,
    max_body: u64,
) -> Result<Response, HttpError> {
    let body = match head.headers.content_length()? {
        Some(length) if length > max_body => {
            return Err(HttpError::BodyTooLarge {
                length,
                limit: max_body,
            })
        }
        Some(length) => read_body(reader, already, length)?,
        None => {
            let mut body = already;
            reader
                .take(max_body.saturating_add(1).saturating_sub(body.len() as u64))
                .read_to_end(&mut body)?;
            if body.len() as u64 > max_body {
                return Err(HttpError::BodyTooLarge {
                    length: body.len() as u64,
                    limit: max_body,
                });
            }
            body
        }
    };
    let mut headers = Headers::new();
    for (name, value) in head.headers.iter() {
        if !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection")
        {
            headers.push(name, value);
        }
    }
    Ok(Response {
        status: head.status,
        headers,
        body,
        stream: None,
        head_only: false,
    })
}

/// An error reply of a JSON API (the vault's, the web chat's): a status and a
/// `{"message": …}` body for a person, with an extra JSON field when the client needs one
/// (`next` of a 409) and an extra header (`Allow` of a 405, `Retry-After` of a 429).
#[derive(Debug)]
pub struct ApiError {
    /// Status code, 400 to 599.
    pub status: u16,
    /// The body's `message`: one line saying what was wrong.
    pub message: String,
    extra: Option<(&'static str, serde_json::Value)>,
    header: Option<(&'static str, String)>,
}

impl ApiError {
    /// An error reply of `status` saying `message`.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            extra: None,
            header: None,
        }
    }

    /// 405: `path` takes `allow` (a method, or `GET, HEAD`), not `method`; with `Allow`.
    pub fn not_allowed(path: &str, method: &str, allow: &str) -> Self {
        ApiError::new(405, format!("{path} takes {allow}, not {method}")).header("Allow", allow)
    }

    /// Adds the JSON field `field` to the body, beside `message`.
    pub fn with(mut self, field: &'static str, value: serde_json::Value) -> Self {
        self.extra = Some((field, value));
        self
    }

    /// Adds the header `name`.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.header = Some((name, value.into()));
        self
    }

    /// The reply.
    pub fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "message": self.message });
        if let Some((field, value)) = self.extra {
            body[field] = value;
        }
        let response = Response::json(self.status, &body);
        match self.header {
            Some((name, value)) => response.header(name, &value),
            None => response,
        }
    }
}

/// Splits an authority `host[:port]` — an IPv6 address in brackets, `[::1]:5683` —
/// into the host (without brackets) and the port, `default_port` when there is none.
/// Errors say what is wrong, in a few words: `no host`, `unclosed [`, `the port is not a
/// number from 0 to 65535`.
pub fn split_authority(authority: &str, default_port: u16) -> Result<(String, u16), &'static str> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (host, after) = inner.split_once(']').ok_or("unclosed [")?;
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(after.strip_prefix(':').ok_or("only :PORT may follow ]")?),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("no host");
    }
    let port = match port {
        Some(p) => p
            .parse()
            .map_err(|_| "the port is not a number from 0 to 65535")?,
        None => default_port,
    };
    Ok((host.to_string(), port))
}

/// `host:port` as a `Host` header and URLs write it: an IPv6 address in brackets.
pub fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A parsed `http://` or `https://` URL: the parts a client needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// Port (default 80 for http, 443 for https).
    pub port: u16,
    /// Path and query, at least `/`.
    pub target: String,
}

impl Url {
    /// Parses `scheme://host[:port][/path]`; IPv6 hosts in brackets (`http://[::1]:5683/`).
    pub fn parse(text: &str) -> Result<Url, String> {
        let bad =
            |why: &str| format!("bad URL {text:?}: {why} (expected e.g. http://127.0.0.1:5683/)");
        let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("no scheme"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(bad("the scheme must be http or https")),
        };
        let (authority, target) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let (host, port) = split_authority(authority, default_port).map_err(bad)?;
        Ok(Url {
            scheme,
            host,
            port,
            target,
        })
    }

    /// The `Host` header value: `host:port`, with brackets around IPv6 addresses.
    pub fn host_header(&self) -> String {
        authority(&self.host, self.port)
    }
}

/// Sends `GET url.target` on an open connection (plain or TLS) and reads the whole
/// response, at most `max_body` bytes of body: the client side of lessons 01 to 07.
pub fn get<S: Read + Write + ?Sized>(
    stream: &mut S,
    url: &Url,
    max_body: u64,
) -> Result<Response, HttpError> {
    write_request(
        stream,
        "GET",
        &url.target,
        Some(&url.host_header()),
        &[],
        &[],
    )?;
    read_response(stream, max_body)
}

#[cfg(test)]
mod tests {
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
            Err("only :PORT may follow ]")
        );
        assert_eq!(split_authority(":5", 80), Err("no host"));
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
