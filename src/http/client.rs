//! The client's side: a request head written by hand, a response read back (head,
//! then a body framed by `Content-Length` or running to the end of the connection).

use super::*;

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
