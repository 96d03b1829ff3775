//! The tap's events as ladder diagrams: for each connection, one arrow per message that
//! crossed — an HTTP request or response, a TLS record — labelled with what an
//! eavesdropper reads in it and nothing more, in the order the capture shows them.
//!
//! The arrows come from the bytes, never from what a stage meant to send: a stage that
//! leaked would show it. HTTP is read with [`crate::http`]'s parsers, TLS with
//! [`crate::tls_records`].

use std::net::SocketAddr;
use std::time::SystemTime;

use crate::diagram::labels::{fill, labels};
use crate::http::{read_request_head, read_response_head, HEAD_LIMIT};
use crate::tap::{Direction, Event};
use crate::tls_records::{self as tls, HandshakeMessage, Record};

/// Bytes of an HTTP body quoted under its arrow.
pub const BODY_PREVIEW: usize = 40;

/// What a connection speaks, judged from the client's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// HTTP/1.x in clear.
    Http,
    /// TLS.
    Tls,
    /// Something else, or nothing sent yet: one arrow per read.
    Other,
}

impl Protocol {
    /// `http`, `tls` or `other`, for pages and data attributes.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Tls => "tls",
            Protocol::Other => "other",
        }
    }
}

/// One message that crossed, as an arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    /// Which way it went.
    pub direction: Direction,
    /// What the eavesdropper reads: `GET / HTTP/1.1`, `ClientHello, SNI localhost`,
    /// `application_data, 127 bytes`.
    pub label: String,
    /// A second line: an HTTP body's first bytes, a certificate's issuer, or what the
    /// protocol says the encrypted bytes are.
    pub note: Option<String>,
    /// Whether its content is encrypted (the eavesdropper sees a type and a length).
    pub sealed: bool,
    /// The TLS record's content type, for TLS arrows.
    pub record_type: Option<u8>,
    /// Offset of its first byte in its direction's stream.
    pub offset: usize,
    /// Its length on the wire, in bytes (headers included).
    pub length: usize,
    /// Index, among the tap's events, of the read that completed it: arrows are in this
    /// order, the order of the frames in the capture.
    pub read: usize,
}

impl Arrow {
    /// Whether the stream offset `at` falls inside this arrow's bytes.
    pub fn holds(&self, direction: Direction, at: usize) -> bool {
        self.direction == direction && (self.offset..self.offset + self.length).contains(&at)
    }
}

/// One connection through the tap, with its bytes and its arrows.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Its number (0, 1, … in accept order).
    pub id: usize,
    /// The client's address and (ephemeral) port, as the tap accepted it.
    pub client: SocketAddr,
    /// The tap's address the client connected to.
    pub tap: SocketAddr,
    /// The server the tap relayed to.
    pub server: SocketAddr,
    /// When the tap accepted it.
    pub opened: SystemTime,
    /// Plain HTTP or TLS, from its first bytes.
    pub protocol: Protocol,
    /// Everything the client sent.
    pub to_server: Vec<u8>,
    /// Everything the server sent.
    pub to_client: Vec<u8>,
    /// Whether the client, then the server, finished sending.
    pub finished: (bool, bool),
    /// Its messages, in capture order.
    pub arrows: Vec<Arrow>,
}

impl Connection {
    /// The bytes that went one way.
    pub fn stream(&self, direction: Direction) -> &[u8] {
        match direction {
            Direction::ToServer => &self.to_server,
            Direction::ToClient => &self.to_client,
        }
    }

    /// The bytes of one of its arrows.
    pub fn bytes(&self, arrow: &Arrow) -> &[u8] {
        let stream = self.stream(arrow.direction);
        let end = (arrow.offset + arrow.length).min(stream.len());
        &stream[arrow.offset.min(end)..end]
    }

    /// Whether both sides have finished sending.
    pub fn closed(&self) -> bool {
        self.finished.0 && self.finished.1
    }
}

/// The connection an event belongs to.
pub fn connection_of(event: &Event) -> usize {
    match event {
        Event::Open { connection, .. }
        | Event::Close { connection, .. }
        | Event::Unreachable { connection, .. } => *connection,
        Event::Data(segment) => segment.connection,
    }
}

/// Every connection in `events`, in accept order, with its arrows. Events of a
/// connection whose opening is not among them are left out.
pub fn connections(events: &[Event]) -> Vec<Connection> {
    let mut out: Vec<Connection> = Vec::new();
    // Per connection (same index as `out`): the stream length after each read, with
    // the read's event index, for each direction.
    let mut reads: Vec<[Vec<(usize, usize)>; 2]> = Vec::new();
    let index = |out: &[Connection], id: usize| out.iter().position(|c| c.id == id);
    for (at, event) in events.iter().enumerate() {
        match event {
            Event::Open {
                connection,
                client,
                tap,
                server,
                at: when,
            } => {
                out.push(Connection {
                    id: *connection,
                    client: *client,
                    tap: *tap,
                    server: *server,
                    opened: *when,
                    protocol: Protocol::Other,
                    to_server: Vec::new(),
                    to_client: Vec::new(),
                    finished: (false, false),
                    arrows: Vec::new(),
                });
                reads.push([Vec::new(), Vec::new()]);
            }
            Event::Data(segment) => {
                if let Some(i) = index(&out, segment.connection) {
                    let c = &mut out[i];
                    let (stream, side) = match segment.direction {
                        Direction::ToServer => (&mut c.to_server, 0),
                        Direction::ToClient => (&mut c.to_client, 1),
                    };
                    stream.extend_from_slice(&segment.bytes);
                    reads[i][side].push((stream.len(), at));
                }
            }
            // Turned away: nothing crossed, there is no ladder to draw.
            Event::Unreachable { .. } => {}
            Event::Close {
                connection,
                direction,
                ..
            } => {
                if let Some(i) = index(&out, *connection) {
                    match direction {
                        Direction::ToServer => out[i].finished.0 = true,
                        Direction::ToClient => out[i].finished.1 = true,
                    }
                }
            }
        }
    }
    for (c, reads) in out.iter_mut().zip(&reads) {
        c.protocol = protocol_of(&c.to_server);
        let mut arrows = match c.protocol {
            Protocol::Http => [Direction::ToServer, Direction::ToClient]
                .into_iter()
                .flat_map(|d| http_arrows(c.stream(d), d))
                .collect(),
            Protocol::Tls => tls_arrows(&c.to_server, &c.to_client),
            Protocol::Other => raw_arrows(c, reads),
        };
        for arrow in &mut arrows {
            let side = &reads[usize::from(arrow.direction == Direction::ToClient)];
            let end = arrow.offset + arrow.length;
            let first = side.partition_point(|(len, _)| *len < end);
            arrow.read = side.get(first).map_or(usize::MAX, |(_, at)| *at);
        }
        arrows.sort_by_key(|a| (a.read, a.offset));
        c.arrows = arrows;
    }
    out
}

/// HTTP when the client's first bytes are a method and a space, TLS when they are a
/// handshake record header.
fn protocol_of(to_server: &[u8]) -> Protocol {
    if tls::looks_like_tls(to_server) {
        return Protocol::Tls;
    }
    let method = to_server
        .iter()
        .position(|&b| b == b' ')
        .map(|space| &to_server[..space]);
    match method {
        Some(m) if !m.is_empty() && m.len() <= 16 && m.iter().all(u8::is_ascii_uppercase) => {
            Protocol::Http
        }
        _ => Protocol::Other,
    }
}

/// A few bytes as text: printable ASCII as it is, others as `.` (as in a hex dump's
/// right-hand column), and `…` when there is more.
pub fn preview(bytes: &[u8], limit: usize) -> String {
    let mut text: String = bytes
        .iter()
        .take(limit)
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '.'
            }
        })
        .collect();
    if bytes.len() > limit {
        text.push('…');
    }
    text
}

/// One arrow per HTTP message of one direction: its first line, and its body's start.
/// A message whose head has not all arrived is not drawn yet; one whose body is still
/// arriving is drawn with the bytes there are.
fn http_arrows(stream: &[u8], direction: Direction) -> Vec<Arrow> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < stream.len() {
        let mut reader = &stream[at..];
        let before = reader.len();
        let parsed = match direction {
            Direction::ToServer => {
                read_request_head(&mut reader, HEAD_LIMIT).map(|(h, rest)| (h.headers, rest))
            }
            Direction::ToClient => {
                read_response_head(&mut reader, HEAD_LIMIT).map(|(h, rest)| (h.headers, rest))
            }
        };
        let Ok((headers, rest)) = parsed else { break };
        let head_len = before - reader.len() - rest.len();
        let available = stream.len() - at - head_len;
        let body_len = match headers.content_length() {
            Ok(Some(n)) => usize::try_from(n).unwrap_or(usize::MAX).min(available),
            // A request without a length has no body; a response runs to the end.
            Ok(None) if direction == Direction::ToServer => 0,
            _ => available,
        };
        let head = &stream[at..at + head_len];
        let line_end = crate::tap::find(head, b"\r\n").unwrap_or(head.len());
        let body = &stream[at + head_len..at + head_len + body_len];
        out.push(Arrow {
            direction,
            label: String::from_utf8_lossy(&head[..line_end]).into_owned(),
            note: (!body.is_empty()).then(|| {
                fill(
                    &labels().http_body,
                    &[("text", &preview(body, BODY_PREVIEW))],
                )
            }),
            sealed: false,
            record_type: None,
            offset: at,
            length: head_len + body_len,
            read: 0,
        });
        at += head_len + body_len;
    }
    out
}

/// One arrow per read, for bytes that are neither HTTP nor TLS.
fn raw_arrows(c: &Connection, reads: &[Vec<(usize, usize)>; 2]) -> Vec<Arrow> {
    let mut out = Vec::new();
    for (side, direction) in [Direction::ToServer, Direction::ToClient]
        .into_iter()
        .enumerate()
    {
        let stream = c.stream(direction);
        let mut start = 0;
        for &(end, _) in &reads[side] {
            let n = end - start;
            out.push(Arrow {
                direction,
                label: fill(&labels().raw_bytes, &[("n", &n.to_string())]),
                note: Some(preview(&stream[start..end], BODY_PREVIEW)),
                sealed: false,
                record_type: None,
                offset: start,
                length: n,
                read: 0,
            });
            start = end;
        }
    }
    out
}

/// One arrow per TLS record of both directions.
fn tls_arrows(to_server: &[u8], to_client: &[u8]) -> Vec<Arrow> {
    let client_records = tls::records(to_server);
    let server_records = tls::records(to_client);
    // The version, from the ServerHello: the server's first handshake message, always
    // in clear (before its change_cipher_spec, in both versions).
    let before_ccs = server_records
        .iter()
        .position(|r| r.content_type == tls::CHANGE_CIPHER_SPEC)
        .unwrap_or(server_records.len());
    let version = tls::handshake_messages(to_client, &server_records[..before_ccs], |_| true)
        .iter()
        .find(|m| m.msg_type == tls::SERVER_HELLO)
        .and_then(|m| tls::server_hello(&m.body))
        .map(|hello| hello.version);
    let tls13 = version == Some(tls::TLS1_3);
    let mut out = records_arrows(to_server, &client_records, Direction::ToServer, tls13);
    out.extend(records_arrows(
        to_client,
        &server_records,
        Direction::ToClient,
        tls13,
    ));
    out
}

/// The arrows of one direction's records.
fn records_arrows(
    stream: &[u8],
    records: &[Record],
    direction: Direction,
    tls13: bool,
) -> Vec<Arrow> {
    let words = labels();
    // In TLS 1.2 a side encrypts everything after its change_cipher_spec; in TLS 1.3
    // encrypted records all say application_data, and the change_cipher_spec is a
    // no-op.
    let ccs = records
        .iter()
        .position(|r| r.content_type == tls::CHANGE_CIPHER_SPEC);
    let encrypted = |i: usize| !tls13 && ccs.is_some_and(|c| i > c);
    let messages = tls::handshake_messages(stream, records, |i| !encrypted(i));
    let mut encrypted_handshakes = 0;
    let mut application_data = 0;
    let mut out = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let (label, note, sealed) = match record.content_type {
            tls::HANDSHAKE if encrypted(i) => {
                encrypted_handshakes += 1;
                // RFC 5246 §7.4.9: the first message after change_cipher_spec is Finished.
                let label = if encrypted_handshakes == 1 {
                    &words.encrypted_finished
                } else {
                    &words.encrypted_handshake
                };
                (label.to_string(), None, true)
            }
            tls::HANDSHAKE => {
                let described: Vec<(String, Option<String>)> = messages
                    .iter()
                    .filter(|m| m.record == i)
                    .map(describe)
                    .collect();
                if described.is_empty() {
                    (words.handshake_continued.to_string(), None, false)
                } else {
                    let label: Vec<&str> = described.iter().map(|(l, _)| l.as_str()).collect();
                    let notes: Vec<&str> =
                        described.iter().filter_map(|(_, n)| n.as_deref()).collect();
                    (
                        label.join(" + "),
                        (!notes.is_empty()).then(|| notes.join("; ")),
                        false,
                    )
                }
            }
            tls::CHANGE_CIPHER_SPEC => (
                tls::content_type_name(record.content_type).to_string(),
                Some(
                    if tls13 {
                        &words.ccs_tls13
                    } else {
                        &words.ccs_tls12
                    }
                    .to_string(),
                ),
                false,
            ),
            tls::ALERT => match tls::alert(record.fragment(stream)) {
                Some((fatal, name)) if !encrypted(i) => (
                    fill(
                        if fatal {
                            &words.alert_fatal
                        } else {
                            &words.alert
                        },
                        &[("name", &name)],
                    ),
                    None,
                    false,
                ),
                _ => (words.alert_encrypted.to_string(), None, true),
            },
            tls::APPLICATION_DATA => {
                application_data += 1;
                let note = (tls13 && application_data == 1).then(|| {
                    match direction {
                        Direction::ToClient => &words.tls13_server_encrypted,
                        Direction::ToServer => &words.tls13_client_encrypted,
                    }
                    .to_string()
                });
                (
                    fill(
                        &words.application_data,
                        &[("n", &record.length.to_string())],
                    ),
                    note,
                    true,
                )
            }
            other => (tls::content_type_name(other).to_string(), None, true),
        };
        out.push(Arrow {
            direction,
            label,
            note,
            sealed,
            record_type: Some(record.content_type),
            offset: record.offset,
            length: record.wire_len(),
            read: 0,
        });
    }
    out
}

/// A clear handshake message's label and note.
fn describe(message: &HandshakeMessage) -> (String, Option<String>) {
    let words = labels();
    let name = tls::handshake_name(message.msg_type).to_string();
    match message.msg_type {
        tls::CLIENT_HELLO => match tls::client_hello(&message.body) {
            Some(hello) => {
                let label = match &hello.server_name {
                    Some(host) => fill(&words.client_hello_sni, &[("name", host)]),
                    None => words.client_hello_no_sni.to_string(),
                };
                let versions: Vec<String> = hello
                    .versions
                    .iter()
                    .map(|v| tls::version_name(*v))
                    .collect();
                let note = fill(
                    &words.client_hello_offers,
                    &[
                        ("versions", &versions.join(", ")),
                        ("n", &hello.cipher_suites.to_string()),
                    ],
                );
                (label, Some(note))
            }
            None => (name, None),
        },
        tls::SERVER_HELLO => match tls::server_hello(&message.body) {
            Some(hello) if hello.retry => ("HelloRetryRequest".to_string(), None),
            Some(hello) => (
                fill(
                    &words.server_hello,
                    &[
                        ("version", &tls::version_name(hello.version)),
                        ("suite", &tls::cipher_suite_name(hello.cipher_suite)),
                    ],
                ),
                None,
            ),
            None => (name, None),
        },
        tls::CERTIFICATE => {
            let first = tls::certificates(&message.body)
                .into_iter()
                .next()
                .and_then(|der| openssl::x509::X509::from_der(&der).ok());
            match first {
                Some(cert) => (
                    fill(
                        &words.certificate,
                        &[("subject", &crate::pki::name_to_string(cert.subject_name()))],
                    ),
                    Some(fill(
                        &words.certificate_note,
                        &[("issuer", &crate::pki::name_to_string(cert.issuer_name()))],
                    )),
                ),
                None => (name, None),
            }
        }
        tls::SERVER_KEY_EXCHANGE => match tls::key_exchange_group(&message.body) {
            Some(group) => (
                fill(
                    &words.server_key_exchange,
                    &[("group", &tls::group_name(group))],
                ),
                None,
            ),
            None => (name, None),
        },
        _ => (name, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tap::Segment;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    fn data(connection: usize, direction: Direction, bytes: &[u8]) -> Event {
        Event::Data(Segment {
            connection,
            direction,
            at: SystemTime::UNIX_EPOCH,
            bytes: bytes.to_vec(),
        })
    }

    fn open(connection: usize) -> Event {
        Event::Open {
            connection,
            client: addr(40000 + connection as u16),
            tap: addr(5684),
            server: addr(5683),
            at: SystemTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn http_is_one_arrow_per_message_with_the_body_quoted() {
        let events = [
            open(0),
            data(0, Direction::ToServer, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            data(
                0,
                Direction::ToClient,
                b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nfluffy",
            ),
            data(0, Direction::ToClient, b" tail"),
        ];
        let c = &connections(&events)[0];
        assert_eq!(c.protocol, Protocol::Http);
        let labels: Vec<&str> = c.arrows.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, ["GET / HTTP/1.1", "HTTP/1.1 200 OK"]);
        assert_eq!(c.arrows[1].note.as_deref(), Some("body: fluffy tail"));
        assert_eq!(c.bytes(&c.arrows[1]).len(), 50);
        // Completed by the last read: event 3.
        assert_eq!(c.arrows[1].read, 3);
    }

    #[test]
    fn a_head_still_arriving_is_not_drawn_yet() {
        let events = [
            open(0),
            data(0, Direction::ToServer, b"GET / HTTP/1.1\r\nHo"),
        ];
        let c = &connections(&events)[0];
        assert!(c.arrows.is_empty());
    }

    #[test]
    fn bytes_that_are_neither_http_nor_tls_are_an_arrow_per_read() {
        let events = [open(1), data(1, Direction::ToServer, b"\x00\x01binary")];
        let other = &connections(&events)[0];
        assert_eq!(other.protocol, Protocol::Other);
        assert_eq!(other.arrows[0].label, "8 bytes");
        assert_eq!(other.arrows[0].note.as_deref(), Some("..binary"));
    }
}
