//! TLS as an eavesdropper reads it: the records of a byte stream, and the handshake
//! messages that travel in clear inside them — the ClientHello with its server name, the
//! ServerHello with the version and cipher suite, in TLS 1.2 the Certificate — while
//! everything after the keys are agreed is only a content type and a length.
//!
//! Specs: RFC 8446 (TLS 1.3) §5.1 records, §4 handshake messages, §4.1.3 the
//! HelloRetryRequest random, §4.2.1 `supported_versions`, §6 alerts, Appendix D.4 the
//! compatibility change_cipher_spec; RFC 5246 (TLS 1.2) §7.4; RFC 6066 §3 `server_name`;
//! RFC 8422 §5.4 the ECDHE ServerKeyExchange. Names are the IANA registry's.
//!
//! One parser for the whole project: the tour's report, the pictures of
//! [`crate::diagram`] and the key-log filter of [`crate::pcap`] read records here. It
//! never decrypts anything and never fails: bytes it cannot make sense of are reported
//! as what they are (an unknown type, a message cut short).

/// Length of a record header: content type (1), version (2), length (2).
pub const HEADER_LEN: usize = 5;

/// Record content type: change_cipher_spec.
pub const CHANGE_CIPHER_SPEC: u8 = 20;
/// Record content type: alert.
pub const ALERT: u8 = 21;
/// Record content type: handshake.
pub const HANDSHAKE: u8 = 22;
/// Record content type: application_data (in TLS 1.3 every encrypted record says so).
pub const APPLICATION_DATA: u8 = 23;

/// Handshake message type: ClientHello.
pub const CLIENT_HELLO: u8 = 1;
/// Handshake message type: ServerHello (and HelloRetryRequest, told apart by its random).
pub const SERVER_HELLO: u8 = 2;
/// Handshake message type: Certificate.
pub const CERTIFICATE: u8 = 11;
/// Handshake message type: ServerKeyExchange (TLS 1.2).
pub const SERVER_KEY_EXCHANGE: u8 = 12;

/// TLS 1.2's version number on the wire.
pub const TLS1_2: u16 = 0x0303;
/// TLS 1.3's version number on the wire (only in `supported_versions`; the record and
/// ServerHello fields say 1.2, RFC 8446 §4.1.3).
pub const TLS1_3: u16 = 0x0304;

/// The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3).
const HELLO_RETRY_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// Extension numbers we read (IANA "TLS ExtensionType Values").
const EXT_SERVER_NAME: u16 = 0;
const EXT_SUPPORTED_VERSIONS: u16 = 43;

/// One record of a stream: where it is and what its header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Content type: [`HANDSHAKE`], [`APPLICATION_DATA`], …
    pub content_type: u8,
    /// The version field of the header (0x0301 or 0x0303 in practice, even for TLS 1.3).
    pub version: u16,
    /// Offset of the header's first byte in the stream.
    pub offset: usize,
    /// Length of the fragment after the 5-byte header, in bytes.
    pub length: usize,
}

impl Record {
    /// The fragment: the bytes after the header.
    pub fn fragment<'a>(&self, stream: &'a [u8]) -> &'a [u8] {
        let start = self.offset + HEADER_LEN;
        &stream[start.min(stream.len())..(start + self.length).min(stream.len())]
    }

    /// Bytes on the wire, header included.
    pub fn wire_len(&self) -> usize {
        HEADER_LEN + self.length
    }

    /// Offset just past the record.
    pub fn end(&self) -> usize {
        self.offset + self.wire_len()
    }
}

/// The complete records at the start of `stream` (one direction of a connection), in
/// order. A record cut short at the end (still arriving) is left out; so is everything
/// from a header that is no TLS (an unknown content type or a version whose first byte
/// is not 3), since from there on the framing means nothing.
pub fn records(stream: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(header) = stream.get(at..at + HEADER_LEN) {
        if !(CHANGE_CIPHER_SPEC..=APPLICATION_DATA).contains(&header[0]) || header[1] != 3 {
            break;
        }
        let record = Record {
            content_type: header[0],
            version: u16::from_be_bytes([header[1], header[2]]),
            offset: at,
            length: usize::from(u16::from_be_bytes([header[3], header[4]])),
        };
        if record.end() > stream.len() {
            break;
        }
        out.push(record);
        at = record.end();
    }
    out
}

/// Whether `stream` starts like TLS: a handshake record header (type 22, version 3.x).
/// Enough bytes for the header are needed.
pub fn looks_like_tls(stream: &[u8]) -> bool {
    stream.len() >= HEADER_LEN && stream[0] == HANDSHAKE && stream[1] == 3
}

/// A record content type by its RFC name (`handshake`, `application_data`).
pub fn content_type_name(content_type: u8) -> &'static str {
    match content_type {
        CHANGE_CIPHER_SPEC => "change_cipher_spec",
        ALERT => "alert",
        HANDSHAKE => "handshake",
        APPLICATION_DATA => "application_data",
        _ => "unknown",
    }
}

/// A handshake message type by its name in the RFCs (`ClientHello`, `Finished`).
pub fn handshake_name(msg_type: u8) -> &'static str {
    match msg_type {
        0 => "HelloRequest",
        CLIENT_HELLO => "ClientHello",
        SERVER_HELLO => "ServerHello",
        4 => "NewSessionTicket",
        5 => "EndOfEarlyData",
        8 => "EncryptedExtensions",
        CERTIFICATE => "Certificate",
        SERVER_KEY_EXCHANGE => "ServerKeyExchange",
        13 => "CertificateRequest",
        14 => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        22 => "CertificateStatus",
        24 => "KeyUpdate",
        _ => "unknown handshake message",
    }
}

/// A protocol version as people say it (`TLS 1.2`), or its number in hex.
pub fn version_name(version: u16) -> String {
    match version {
        0x0300 => "SSL 3.0".into(),
        0x0301 => "TLS 1.0".into(),
        0x0302 => "TLS 1.1".into(),
        TLS1_2 => "TLS 1.2".into(),
        TLS1_3 => "TLS 1.3".into(),
        // GREASE values (RFC 8701) and drafts: say what they are, not a guess.
        other => format!("0x{other:04x}"),
    }
}

/// A cipher suite by its IANA name, for the suites OpenSSL, browsers and curl offer
/// today; others by number, as Wireshark shows an unknown one.
pub fn cipher_suite_name(suite: u16) -> String {
    let name = match suite {
        0x1301 => "TLS_AES_128_GCM_SHA256",
        0x1302 => "TLS_AES_256_GCM_SHA384",
        0x1303 => "TLS_CHACHA20_POLY1305_SHA256",
        0xc02b => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xc02c => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xc02f => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xc030 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xcca8 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xcca9 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0x009e => "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009f => "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0xccaa => "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        _ => return format!("0x{suite:04x}"),
    };
    name.to_string()
}

/// A key exchange group by its IANA name (`x25519`), or its number.
pub fn group_name(group: u16) -> String {
    let name = match group {
        0x0017 => "secp256r1",
        0x0018 => "secp384r1",
        0x0019 => "secp521r1",
        0x001d => "x25519",
        0x001e => "x448",
        0x0100 => "ffdhe2048",
        0x0101 => "ffdhe3072",
        0x11ec => "X25519MLKEM768",
        _ => return format!("0x{group:04x}"),
    };
    name.to_string()
}

/// An alert description by its RFC name (`close_notify`, `certificate_required`).
pub fn alert_name(description: u8) -> String {
    let name = match description {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        116 => "certificate_required",
        120 => "no_application_protocol",
        _ => return format!("alert {description}"),
    };
    name.to_string()
}

/// A clear alert record's fragment: (fatal, description name). `None` when it is not
/// the two bytes of a clear alert.
pub fn alert(fragment: &[u8]) -> Option<(bool, String)> {
    match fragment {
        [level, description] => Some((*level == 2, alert_name(*description))),
        _ => None,
    }
}

/// One handshake message read from clear handshake records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeMessage {
    /// Its type: [`CLIENT_HELLO`], [`SERVER_HELLO`], …
    pub msg_type: u8,
    /// Index, in the records given, of the record where the message starts.
    pub record: usize,
    /// The body after the 4-byte header (type and 24-bit length); shorter than the
    /// length says when the stream ends first.
    pub body: Vec<u8>,
}

/// The handshake messages carried by the clear handshake records among `records` of
/// `stream`, in order. A message may span records, and a record may hold several; the
/// records are joined as RFC 8446 §5.1 says. `clear(i)` tells whether record `i` is
/// readable: after TLS 1.2's change_cipher_spec a handshake record is encrypted (its
/// Finished) and must be skipped.
pub fn handshake_messages(
    stream: &[u8],
    records: &[Record],
    clear: impl Fn(usize) -> bool,
) -> Vec<HandshakeMessage> {
    // The joined handshake bytes, and for each byte range the record it came from.
    let mut joined: Vec<u8> = Vec::new();
    let mut origins: Vec<(usize, usize)> = Vec::new(); // (start in joined, record index)
    for (i, record) in records.iter().enumerate() {
        if record.content_type == HANDSHAKE && clear(i) {
            origins.push((joined.len(), i));
            joined.extend_from_slice(record.fragment(stream));
        }
    }
    let record_at = |position: usize| {
        origins
            .iter()
            .rev()
            .find(|(start, _)| *start <= position)
            .map_or(0, |(_, i)| *i)
    };
    let mut out = Vec::new();
    let mut at = 0;
    while at + 4 <= joined.len() {
        let length = usize::from(joined[at + 1]) << 16
            | usize::from(joined[at + 2]) << 8
            | usize::from(joined[at + 3]);
        let end = (at + 4 + length).min(joined.len());
        out.push(HandshakeMessage {
            msg_type: joined[at],
            record: record_at(at),
            body: joined[at + 4..end].to_vec(),
        });
        at += 4 + length;
    }
    out
}

/// A reader over a message body that stops, rather than panics, at the end.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.bytes.get(..n)?, self.bytes.get(n..)?);
        self.bytes = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    fn u24(&mut self) -> Option<usize> {
        self.take(3)
            .map(|b| usize::from(b[0]) << 16 | usize::from(b[1]) << 8 | usize::from(b[2]))
    }

    /// A vector with a length prefix of `prefix` bytes (1, 2 or 3).
    fn vector(&mut self, prefix: usize) -> Option<&'a [u8]> {
        let length = match prefix {
            1 => usize::from(self.u8()?),
            2 => usize::from(self.u16()?),
            _ => self.u24()?,
        };
        self.take(length)
    }

    /// The extensions block: (type, data) pairs.
    fn extensions(&mut self) -> Vec<(u16, &'a [u8])> {
        let mut out = Vec::new();
        let Some(block) = self.vector(2) else {
            return out;
        };
        let mut block = Cursor { bytes: block };
        while let (Some(kind), Some(data)) = (block.u16(), block.vector(2)) {
            out.push((kind, data));
        }
        out
    }
}

/// What a ClientHello says in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHello {
    /// The client random (32 bytes): NSS key log lines are filed under it.
    pub random: [u8; 32],
    /// The host name of the `server_name` extension (SNI), if any.
    pub server_name: Option<String>,
    /// The versions offered in `supported_versions`, else the legacy version alone.
    pub versions: Vec<u16>,
    /// How many cipher suites it offers.
    pub cipher_suites: usize,
}

/// Reads a ClientHello body (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2). `None` when it is cut
/// short before the cipher suites.
pub fn client_hello(body: &[u8]) -> Option<ClientHello> {
    let mut c = Cursor { bytes: body };
    let legacy_version = c.u16()?;
    let random: [u8; 32] = c.take(32)?.try_into().ok()?;
    c.vector(1)?; // legacy_session_id
    let suites = c.vector(2)?;
    let mut hello = ClientHello {
        random,
        server_name: None,
        versions: vec![legacy_version],
        cipher_suites: suites.len() / 2,
    };
    if c.vector(1).is_none() {
        // No compression methods: the extensions are missing too.
        return Some(hello);
    }
    for (kind, data) in c.extensions() {
        let mut data = Cursor { bytes: data };
        match kind {
            EXT_SERVER_NAME => {
                // A list of (type, name); type 0 is a host name (RFC 6066 §3).
                let mut list = Cursor {
                    bytes: data.vector(2).unwrap_or_default(),
                };
                while let (Some(name_type), Some(name)) = (list.u8(), list.vector(2)) {
                    if name_type == 0 {
                        hello.server_name = Some(String::from_utf8_lossy(name).into_owned());
                    }
                }
            }
            EXT_SUPPORTED_VERSIONS => {
                let list = data.vector(1).unwrap_or_default();
                let versions: Vec<u16> = list
                    .chunks_exact(2)
                    .map(|v| u16::from_be_bytes([v[0], v[1]]))
                    // GREASE (RFC 8701): 0x?a?a, offered to keep servers honest.
                    .filter(|v| v & 0x0f0f != 0x0a0a)
                    .collect();
                if !versions.is_empty() {
                    hello.versions = versions;
                }
            }
            _ => {}
        }
    }
    Some(hello)
}

/// What a ServerHello says in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHello {
    /// The version chosen: `supported_versions` when present (TLS 1.3), else the
    /// legacy field.
    pub version: u16,
    /// The cipher suite chosen.
    pub cipher_suite: u16,
    /// Whether it is in fact a HelloRetryRequest (its random is the fixed value of
    /// RFC 8446 §4.1.3): the server asks for another key share.
    pub retry: bool,
}

/// Reads a ServerHello body (RFC 8446 §4.1.3; RFC 5246 §7.4.1.3). `None` when it is
/// cut short before the cipher suite.
pub fn server_hello(body: &[u8]) -> Option<ServerHello> {
    let mut c = Cursor { bytes: body };
    let legacy_version = c.u16()?;
    let random = c.take(32)?;
    c.vector(1)?; // legacy_session_id_echo
    let cipher_suite = c.u16()?;
    let mut hello = ServerHello {
        version: legacy_version,
        cipher_suite,
        retry: random == HELLO_RETRY_RANDOM,
    };
    if c.u8().is_some() {
        for (kind, data) in c.extensions() {
            if kind == EXT_SUPPORTED_VERSIONS {
                if let Some(version) = (Cursor { bytes: data }).u16() {
                    hello.version = version;
                }
            }
        }
    }
    Some(hello)
}

/// The certificates of a TLS 1.2 Certificate body, DER each, the server's own first
/// (RFC 5246 §7.4.2). TLS 1.3's Certificate travels encrypted, so it never comes here.
pub fn certificates(body: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Some(list) = (Cursor { bytes: body }).vector(3) else {
        return out;
    };
    let mut list = Cursor { bytes: list };
    while let Some(der) = list.vector(3) {
        out.push(der.to_vec());
    }
    out
}

/// The named group of a TLS 1.2 ECDHE ServerKeyExchange body (RFC 8422 §5.4: curve type
/// 3, named_curve, then the group), if it is one.
pub fn key_exchange_group(body: &[u8]) -> Option<u16> {
    let mut c = Cursor { bytes: body };
    (c.u8()? == 3).then_some(())?;
    c.u16()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        crate::hex::decode(text).unwrap()
    }

    /// RFC 8448 §3 (Simple 1-RTT Handshake): the client's ClientHello record, as sent.
    const RFC8448_CLIENT_HELLO_RECORD: &str =
        "16 03 01 00 c4 01 00 00 c0 03 03 cb 34 ec b1 e7 81 63
        ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83
        02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b
        00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00 0a 00 14 00
        12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23
        00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2
        3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a
        af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03
        02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06
        02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01";

    /// RFC 8448 §3: the server's ServerHello record.
    const RFC8448_SERVER_HELLO_RECORD: &str =
        "16 03 03 00 5a 02 00 00 56 03 03 a6 af 06 a4 12 18 60
        dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e
        d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88
        76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83 3d f1
        dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04";

    #[test]
    fn rfc_8448_client_hello_names_the_server_and_offers_tls_1_3() {
        let stream = hex(RFC8448_CLIENT_HELLO_RECORD);
        let records = records(&stream);
        assert_eq!(
            records,
            [Record {
                content_type: HANDSHAKE,
                version: 0x0301,
                offset: 0,
                length: 0xc4
            }]
        );
        let messages = handshake_messages(&stream, &records, |_| true);
        assert_eq!(messages.len(), 1);
        assert_eq!(handshake_name(messages[0].msg_type), "ClientHello");
        let hello = client_hello(&messages[0].body).unwrap();
        assert_eq!(hello.server_name.as_deref(), Some("server"));
        assert_eq!(hello.versions, [TLS1_3]);
        assert_eq!(hello.cipher_suites, 3);
        assert_eq!(hello.random[..4], [0xcb, 0x34, 0xec, 0xb1]);
    }

    #[test]
    fn rfc_8448_server_hello_picks_tls_1_3_and_aes_128_gcm() {
        let stream = hex(RFC8448_SERVER_HELLO_RECORD);
        let records = records(&stream);
        let messages = handshake_messages(&stream, &records, |_| true);
        let hello = server_hello(&messages[0].body).unwrap();
        assert_eq!(version_name(hello.version), "TLS 1.3");
        assert_eq!(
            cipher_suite_name(hello.cipher_suite),
            "TLS_AES_128_GCM_SHA256"
        );
        assert!(!hello.retry);
    }

    #[test]
    fn a_record_still_arriving_is_not_counted() {
        let mut stream = hex(RFC8448_SERVER_HELLO_RECORD);
        stream.extend_from_slice(&[23, 3, 3, 0, 10, 1, 2, 3]);
        let found = records(&stream);
        assert_eq!(found.len(), 1);
        stream.extend_from_slice(&[0; 7]);
        let found = records(&stream);
        assert_eq!(found.len(), 2);
        assert_eq!(content_type_name(found[1].content_type), "application_data");
        assert_eq!(found[1].wire_len(), 15);
    }

    #[test]
    fn a_message_split_over_two_records_is_joined_and_filed_under_the_first() {
        let whole = hex(RFC8448_SERVER_HELLO_RECORD);
        let message = &whole[HEADER_LEN..];
        let (a, b) = message.split_at(40);
        let mut stream = vec![22, 3, 3, 0, a.len() as u8];
        stream.extend_from_slice(a);
        stream.extend_from_slice(&[22, 3, 3, 0, b.len() as u8]);
        stream.extend_from_slice(b);
        let records = records(&stream);
        assert_eq!(records.len(), 2);
        let messages = handshake_messages(&stream, &records, |_| true);
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].record, 0);
        assert_eq!(messages[0].body, message[4..]);
    }

    #[test]
    fn garbage_is_no_record_and_no_panic() {
        assert!(records(b"GET / HTTP/1.1\r\n\r\n").is_empty());
        assert!(!looks_like_tls(b"GET /"));
        for n in 0..60 {
            let body = vec![0xff; n];
            let _ = client_hello(&body);
            let _ = server_hello(&body);
            let _ = certificates(&body);
            let _ = key_exchange_group(&body);
        }
        assert_eq!(alert(&[1, 0]), Some((false, "close_notify".into())));
        assert_eq!(alert(&[1, 2, 3]), None);
    }
}
