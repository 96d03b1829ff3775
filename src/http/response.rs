//! What a server sends: a [`Response`] (status, headers, a body in memory or streamed),
//! written by hand so the bytes on the wire can be read in the code, and the JSON
//! APIs' error reply, [`ApiError`].

use super::*;

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
    pub(super) stream: Option<StreamedBody>,
    /// The answer to a HEAD request: the head is written, `Content-Length` included, and
    /// the body is not (see [`Response::without_body`]).
    pub(super) head_only: bool,
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
pub(super) const STREAM_CHUNK: usize = 256 * 1024;

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
