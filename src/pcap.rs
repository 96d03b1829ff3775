//! Capture files Wireshark opens: what the [`crate::tap`] saw, framed as the packets a
//! capture on the client's link would have shown, written as pcap or pcapng.
//!
//! The tap sees a byte stream, not packets, so we frame it ourselves, readably:
//! each connection becomes a TCP handshake (SYN, SYN-ACK, ACK), one segment per read
//! (PSH+ACK, split when over IPv4's 65535-byte limit), and a FIN from each side that
//! the other acknowledges, with consistent sequence and acknowledgement numbers and
//! correct IPv4 and TCP checksums, inside Ethernet frames. The addresses and ports are
//! the real ones of the client's connection: the client's, and the tap's that it
//! connected to (to the client, the tap *is* the server).
//!
//! Formats (written with the `pcap-file` crate):
//! - pcap: <https://wiki.wireshark.org/Development/LibpcapFileFormat>, link type 1
//!   (Ethernet), microsecond timestamps.
//! - pcapng: IETF draft-ietf-opsawg-pcapng (Section Header, Interface Description,
//!   Enhanced Packet blocks), with TLS secrets embedded in a Decryption Secrets Block
//!   (§4.7: block type 0x0000000A, secrets type 0x544c534b "TLSK", the NSS key log
//!   lines), as `editcap --inject-secrets tls,KEYLOG` makes: Wireshark then decrypts
//!   the capture with no key log file to configure.
//!
//! Framing: RFC 894 (Ethernet II), RFC 791 (IPv4), RFC 8200 (IPv6), RFC 9293 (TCP),
//! RFC 1071 (the Internet checksum).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::blocks::section_header::{SectionHeaderBlock, SectionHeaderOption};
use pcap_file::pcapng::blocks::unknown::UnknownBlock;
use pcap_file::pcapng::{Block, PcapNgWriter};
use pcap_file::{DataLink, Endianness, TsResolution};

use crate::i18n::{Lang, Localized};
use crate::tap::{Direction, Event};
use crate::tr_in;

/// Largest frame we write, in bytes: the snapshot length in the file headers (that of
/// tcpdump). Our frames are at most 14 + 65535.
pub const SNAPLEN: u32 = 262_144;

/// The largest IPv4 or IPv6 packet (the 16-bit length field), in bytes.
pub const MAX_IP_PACKET: usize = 65_535;

/// The client's Ethernet address: locally administered (bit 0x02 of the first byte),
/// so it can belong to no real card.
pub const CLIENT_MAC: [u8; 6] = [0x02, 0x00, 0x5c, 0x00, 0x00, 0x01];

/// The server's (the tap's) Ethernet address, locally administered like [`CLIENT_MAC`].
pub const SERVER_MAC: [u8; 6] = [0x02, 0x00, 0x5c, 0x00, 0x00, 0x02];

/// pcapng block type of a Decryption Secrets Block (draft-ietf-opsawg-pcapng §4.7).
pub const DSB_BLOCK_TYPE: u32 = 0x0000_000A;

/// DSB secrets type of an NSS key log ("TLSK").
pub const DSB_TLS_KEY_LOG: u32 = 0x544c_534b;

/// Why a capture could not be written (or its key log read). Words from
/// `locales/*/pcap.ftl` ([`Localized`]); `Display` is English.
#[derive(Debug, thiserror::Error)]
pub enum PcapError {
    /// The file could not be created or written.
    Write {
        /// The capture file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The pcap-file crate refused a block or packet.
    Format {
        /// The capture file.
        path: PathBuf,
        /// What the crate said.
        reason: String,
    },
    /// The key log could not be read.
    KeyLog {
        /// The key log file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
}

impl Localized for PcapError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            PcapError::Write { path, source } => tr_in!(
                lang,
                "pcap-cannot-write",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            PcapError::Format { path, reason } => tr_in!(
                lang,
                "pcap-cannot-write",
                path = path.display().to_string(),
                reason = reason
            ),
            PcapError::KeyLog { path, source } => tr_in!(
                lang,
                "pcap-cannot-read-key-log",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
        }
    }
}

crate::english_display!(PcapError);

/// One captured frame: when, and its bytes from the Ethernet header on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// When the tap saw it.
    pub at: SystemTime,
    /// The Ethernet II frame: MAC header, IPv4 or IPv6 header, TCP header, payload.
    pub frame: Vec<u8>,
}

/// TCP flags (RFC 9293 §3.1).
mod flags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
}

/// One TCP connection as the capture shows it.
struct Flow {
    client: SocketAddr,
    server: SocketAddr,
    /// The next sequence number each side sends: [client, server].
    next_seq: [u32; 2],
    /// IPv4 identification counters: [client, server].
    ip_id: [u16; 2],
}

impl Flow {
    fn new(client: SocketAddr, server: SocketAddr) -> Flow {
        // Initial sequence numbers: real stacks pick them at random; any value works
        // (Wireshark shows them relative to the first), so derive them from the ports.
        let isn = |port: u16| u32::from(port).wrapping_mul(0x9e37_79b9);
        Flow {
            client,
            server,
            next_seq: [isn(client.port()), isn(server.port()).rotate_left(7)],
            ip_id: [1, 1],
        }
    }

    /// A segment from `side` (0 client, 1 server) with `tcp_flags` and `payload`;
    /// advances that side's sequence number by the payload and by one for SYN or FIN.
    fn segment(&mut self, side: usize, tcp_flags: u8, payload: &[u8]) -> Vec<u8> {
        let other = 1 - side;
        let (src, dst, src_mac, dst_mac) = if side == 0 {
            (self.client, self.server, CLIENT_MAC, SERVER_MAC)
        } else {
            (self.server, self.client, SERVER_MAC, CLIENT_MAC)
        };
        let seq = self.next_seq[side];
        // SYN alone acknowledges nothing; everything after it acknowledges all received.
        let ack = if tcp_flags & flags::ACK != 0 {
            self.next_seq[other]
        } else {
            0
        };
        let consumed = payload.len() as u32 + u32::from(tcp_flags & (flags::SYN | flags::FIN) != 0);
        self.next_seq[side] = seq.wrapping_add(consumed);
        let id = self.ip_id[side];
        self.ip_id[side] = id.wrapping_add(1);
        frame(
            &TcpHeader {
                src,
                dst,
                seq,
                ack,
                flags: tcp_flags,
            },
            src_mac,
            dst_mac,
            id,
            payload,
        )
    }
}

/// The fields of a TCP header that change from segment to segment.
struct TcpHeader {
    src: SocketAddr,
    dst: SocketAddr,
    seq: u32,
    ack: u32,
    flags: u8,
}

/// The largest TCP payload that fits one IP packet of `addr`'s family (no options).
pub fn max_payload(addr: &SocketAddr) -> usize {
    match addr {
        // IPv4: the total length counts the 20-byte IP header and the 20-byte TCP header.
        SocketAddr::V4(_) => MAX_IP_PACKET - 20 - 20,
        // IPv6: the payload length counts only what follows the 40-byte header.
        SocketAddr::V6(_) => MAX_IP_PACKET - 20,
    }
}

/// The Internet checksum (RFC 1071): the one's complement of the one's-complement sum
/// of 16-bit big-endian words, an odd last byte padded with zero.
pub fn internet_checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    let mut odd: Option<u8> = None;
    for part in parts {
        for &byte in part.iter() {
            match odd.take() {
                Some(high) => sum += u64::from(u16::from_be_bytes([high, byte])),
                None => odd = Some(byte),
            }
        }
    }
    if let Some(high) = odd {
        sum += u64::from(u16::from_be_bytes([high, 0]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    // The loop leaves sum below 0x10000.
    !(sum as u16)
}

/// An Ethernet II frame holding an IPv4 or IPv6 packet holding a TCP segment, both
/// checksums computed. `src` and `dst` must be of one family (a tap's client and its
/// local address always are); the payload must fit [`max_payload`].
fn frame(
    tcp: &TcpHeader,
    src_mac: [u8; 6],
    dst_mac: [u8; 6],
    ip_id: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut segment = Vec::with_capacity(20 + payload.len());
    segment.extend_from_slice(&tcp.src.port().to_be_bytes());
    segment.extend_from_slice(&tcp.dst.port().to_be_bytes());
    segment.extend_from_slice(&tcp.seq.to_be_bytes());
    segment.extend_from_slice(&tcp.ack.to_be_bytes());
    segment.push(5 << 4); // data offset: 5 words, no options
    segment.push(tcp.flags);
    segment.extend_from_slice(&65_535u16.to_be_bytes()); // window
    segment.extend_from_slice(&[0, 0]); // checksum, filled below
    segment.extend_from_slice(&[0, 0]); // urgent pointer
    segment.extend_from_slice(payload);
    let tcp_len = segment.len();

    let mut out = Vec::with_capacity(14 + 40 + tcp_len);
    out.extend_from_slice(&dst_mac);
    out.extend_from_slice(&src_mac);
    match (tcp.src.ip(), tcp.dst.ip()) {
        (IpAddr::V4(src), IpAddr::V4(dst)) => {
            // The pseudo-header the TCP checksum covers (RFC 9293 §3.1).
            let pseudo = [
                &src.octets()[..],
                &dst.octets()[..],
                &[0, 6],
                &(tcp_len as u16).to_be_bytes(),
            ]
            .concat();
            let sum = internet_checksum(&[&pseudo, &segment]);
            segment[16..18].copy_from_slice(&sum.to_be_bytes());

            out.extend_from_slice(&0x0800u16.to_be_bytes());
            let mut ip = Vec::with_capacity(20);
            ip.push(0x45); // version 4, header length 5 words
            ip.push(0); // DSCP/ECN
            ip.extend_from_slice(&((20 + tcp_len) as u16).to_be_bytes());
            ip.extend_from_slice(&ip_id.to_be_bytes());
            ip.extend_from_slice(&0x4000u16.to_be_bytes()); // Don't Fragment
            ip.push(64); // TTL
            ip.push(6); // protocol: TCP
            ip.extend_from_slice(&[0, 0]); // header checksum, filled below
            ip.extend_from_slice(&src.octets());
            ip.extend_from_slice(&dst.octets());
            let sum = internet_checksum(&[&ip]);
            ip[10..12].copy_from_slice(&sum.to_be_bytes());
            out.extend_from_slice(&ip);
        }
        (src, dst) => {
            let v6 = |ip: IpAddr| match ip {
                IpAddr::V6(v6) => v6,
                IpAddr::V4(v4) => v4.to_ipv6_mapped(),
            };
            let (src, dst) = (v6(src), v6(dst));
            let pseudo = [
                &src.octets()[..],
                &dst.octets()[..],
                &(tcp_len as u32).to_be_bytes(),
                &[0, 0, 0, 6],
            ]
            .concat();
            let sum = internet_checksum(&[&pseudo, &segment]);
            segment[16..18].copy_from_slice(&sum.to_be_bytes());

            out.extend_from_slice(&0x86ddu16.to_be_bytes());
            out.extend_from_slice(&[0x60, 0, 0, 0]); // version 6, no class, no flow label
            out.extend_from_slice(&(tcp_len as u16).to_be_bytes());
            out.push(6); // next header: TCP
            out.push(64); // hop limit
            out.extend_from_slice(&src.octets());
            out.extend_from_slice(&dst.octets());
        }
    }
    out.extend_from_slice(&segment);
    out
}

/// Frames the tap's events as packets, in order: for each connection a handshake at
/// its opening, one or more PSH+ACK segments per read, and FIN then ACK when a side
/// finishes. Events of connections never opened are skipped.
pub fn packets(events: &[Event]) -> Vec<Packet> {
    let mut flows: HashMap<usize, Flow> = HashMap::new();
    let mut out = Vec::new();
    for event in events {
        match event {
            Event::Open {
                connection,
                client,
                tap,
                at,
                ..
            } => {
                let mut flow = Flow::new(*client, *tap);
                for (side, tcp_flags) in [
                    (0, flags::SYN),
                    (1, flags::SYN | flags::ACK),
                    (0, flags::ACK),
                ] {
                    out.push(Packet {
                        at: *at,
                        frame: flow.segment(side, tcp_flags, &[]),
                    });
                }
                flows.insert(*connection, flow);
            }
            Event::Data(segment) => {
                let Some(flow) = flows.get_mut(&segment.connection) else {
                    continue;
                };
                let side = side_of(segment.direction);
                for chunk in segment.bytes.chunks(max_payload(&flow.client)) {
                    out.push(Packet {
                        at: segment.at,
                        frame: flow.segment(side, flags::PSH | flags::ACK, chunk),
                    });
                }
            }
            // Nothing crossed to the server.
            Event::Unreachable { .. } => {}
            Event::Close {
                connection,
                direction,
                at,
            } => {
                let Some(flow) = flows.get_mut(connection) else {
                    continue;
                };
                let side = side_of(*direction);
                out.push(Packet {
                    at: *at,
                    frame: flow.segment(side, flags::FIN | flags::ACK, &[]),
                });
                out.push(Packet {
                    at: *at,
                    frame: flow.segment(1 - side, flags::ACK, &[]),
                });
            }
        }
    }
    out
}

fn side_of(direction: Direction) -> usize {
    match direction {
        Direction::ToServer => 0,
        Direction::ToClient => 1,
    }
}

fn since_epoch(at: SystemTime) -> Duration {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
}

fn create(path: &Path) -> Result<BufWriter<File>, PcapError> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|source| PcapError::Write {
            path: path.to_path_buf(),
            source,
        })
}

fn finish(path: &Path, writer: BufWriter<File>) -> Result<(), PcapError> {
    let write_error = |source| PcapError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = writer
        .into_inner()
        .map_err(|e| write_error(e.into_error()))?;
    file.sync_all().map_err(write_error)
}

fn format_error(path: &Path) -> impl Fn(pcap_file::PcapError) -> PcapError + '_ {
    move |e| match e {
        pcap_file::PcapError::IoError(source) => PcapError::Write {
            path: path.to_path_buf(),
            source,
        },
        other => PcapError::Format {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}

/// Writes `packets` to `path` as a pcap file (libpcap format 2.4, little-endian,
/// microsecond timestamps, link type Ethernet), replacing any file there.
///
/// Errors: [`PcapError::Write`] and [`PcapError::Format`], naming the file.
pub fn write_pcap(path: &Path, packets: &[Packet]) -> Result<(), PcapError> {
    let header = PcapHeader {
        snaplen: SNAPLEN,
        datalink: DataLink::ETHERNET,
        ts_resolution: TsResolution::MicroSecond,
        endianness: Endianness::Little,
        ..PcapHeader::default()
    };
    let mut writer = PcapWriter::with_header(create(path)?, header).map_err(format_error(path))?;
    for packet in packets {
        let length = packet.frame.len() as u32;
        writer
            .write_packet(&PcapPacket::new(
                since_epoch(packet.at),
                length,
                &packet.frame,
            ))
            .map_err(format_error(path))?;
    }
    finish(path, writer.into_writer())
}

/// Writes `packets` to `path` as pcapng (one section, one Ethernet interface named
/// `squirrel-tap`, nanosecond timestamps), replacing any file there. When `key_log`
/// holds NSS key log lines, they go in a Decryption Secrets Block (type
/// [`DSB_BLOCK_TYPE`], secrets type [`DSB_TLS_KEY_LOG`]) right after the section
/// header, where `editcap --inject-secrets` puts it: before the packets it decrypts.
///
/// Errors: [`PcapError::Write`] and [`PcapError::Format`], naming the file.
pub fn write_pcapng(path: &Path, packets: &[Packet], key_log: &[u8]) -> Result<(), PcapError> {
    let section = SectionHeaderBlock {
        endianness: Endianness::Little,
        options: vec![SectionHeaderOption::UserApplication(Cow::Borrowed(
            concat!("squirrel ", env!("CARGO_PKG_VERSION")),
        ))],
        ..SectionHeaderBlock::default()
    };
    let mut writer =
        PcapNgWriter::with_section_header(create(path)?, section).map_err(format_error(path))?;
    // Where `editcap --inject-secrets` puts it: first after the section header.
    if !key_log.is_empty() {
        let body = decryption_secrets_body(key_log);
        // The crate writes the block type, the lengths and the final padding around it.
        let block = UnknownBlock::new(DSB_BLOCK_TYPE, 0, &body);
        writer
            .write_block(&Block::Unknown(block))
            .map_err(format_error(path))?;
    }
    let interface = InterfaceDescriptionBlock {
        linktype: DataLink::ETHERNET,
        snaplen: SNAPLEN,
        options: vec![
            InterfaceDescriptionOption::IfName(Cow::Borrowed("squirrel-tap")),
            // pcap-file writes Enhanced Packet timestamps in nanoseconds: say so.
            InterfaceDescriptionOption::IfTsResol(9),
        ],
    };
    writer
        .write_block(&Block::InterfaceDescription(interface))
        .map_err(format_error(path))?;
    for packet in packets {
        let block = EnhancedPacketBlock {
            interface_id: 0,
            timestamp: since_epoch(packet.at),
            original_len: packet.frame.len() as u32,
            data: Cow::Borrowed(&packet.frame),
            options: vec![],
        };
        writer
            .write_block(&Block::EnhancedPacket(block))
            .map_err(format_error(path))?;
    }
    finish(path, writer.into_inner())
}

/// The body of a Decryption Secrets Block (little-endian, as our section): secrets
/// type, secrets length, the secrets. The padding to 32 bits follows as the block's.
fn decryption_secrets_body(key_log: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(8 + key_log.len());
    body.extend_from_slice(&DSB_TLS_KEY_LOG.to_le_bytes());
    body.extend_from_slice(&(key_log.len() as u32).to_le_bytes());
    body.extend_from_slice(key_log);
    body
}

/// The client randoms (32 bytes each) of the TLS ClientHellos the clients sent: the
/// key that NSS key log lines are filed under. Reads the first record of each
/// connection's client-to-server stream with [`crate::tls_records`]: a handshake record
/// holding a ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
pub fn client_randoms(events: &[Event]) -> Vec<[u8; 32]> {
    use crate::tls_records::{self as tls, HEADER_LEN};
    // The most a first record can take (TLS 1.2's ciphertext limit): past it, no TLS.
    const FIRST_RECORD_MAX: usize = HEADER_LEN + (1 << 14) + 2048;
    let mut starts: HashMap<usize, Vec<u8>> = HashMap::new();
    let mut order = Vec::new();
    for event in events {
        if let Event::Data(segment) = event {
            if segment.direction != Direction::ToServer {
                continue;
            }
            let start = starts.entry(segment.connection).or_insert_with(|| {
                order.push(segment.connection);
                Vec::new()
            });
            if start.len() < FIRST_RECORD_MAX && tls::records(start).is_empty() {
                start.extend_from_slice(&segment.bytes);
            }
        }
    }
    order
        .iter()
        .filter_map(|c| starts.get(c))
        .filter_map(|start| {
            let first = *tls::records(start).first()?;
            if first.content_type != tls::HANDSHAKE {
                return None;
            }
            let messages = tls::handshake_messages(start, &[first], |_| true);
            let hello = messages
                .first()
                .filter(|m| m.msg_type == tls::CLIENT_HELLO)?;
            Some(tls::client_hello(&hello.body)?.random)
        })
        .collect()
}

/// The lines of an NSS key log that belong to these client randoms (the second field
/// of each line, in hex: `CLIENT_RANDOM <client random> <master secret>`, or a TLS 1.3
/// `*_TRAFFIC_SECRET` label). Comments, blank lines and other sessions' secrets are
/// left out, so a capture handed out carries the keys of its own connections only; a
/// line both endpoints wrote is kept once.
/// Format: <https://www.ietf.org/archive/id/draft-ietf-tls-keylogfile-02.html>.
pub fn key_log_for(key_log: &str, randoms: &[[u8; 32]]) -> String {
    let wanted: Vec<String> = randoms.iter().map(|r| crate::hex::encode(r)).collect();
    let mut out = String::new();
    let mut kept = std::collections::HashSet::new();
    for line in key_log.lines() {
        let mut fields = line.split_whitespace();
        let (Some(_label), Some(random), Some(_secret), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let line = line.trim();
        if wanted.iter().any(|w| w.eq_ignore_ascii_case(random)) && kept.insert(line) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Reads the key log at `path`, keeping only the lines of the connections in `events`
/// (see [`key_log_for`]).
///
/// Errors: [`PcapError::KeyLog`] when it cannot be read.
pub fn read_key_log(path: &Path, events: &[Event]) -> Result<String, PcapError> {
    let bytes = std::fs::read(path).map_err(|source| PcapError::KeyLog {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(key_log_for(
        &String::from_utf8_lossy(&bytes),
        &client_randoms(events),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_1071_example_sums_to_the_published_value() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its
        // complement.
        let sum = internet_checksum(&[&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]]);
        assert_eq!(sum, !0xddf2);
    }

    #[test]
    fn a_header_with_its_checksum_sums_to_zero() {
        let client: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let server: SocketAddr = "127.0.0.1:5683".parse().unwrap();
        let mut flow = Flow::new(client, server);
        let frame = flow.segment(0, flags::PSH | flags::ACK, b"fluffy tail");
        let ip = &frame[14..34];
        assert_eq!(internet_checksum(&[ip]), 0);
        let tcp = &frame[34..];
        let pseudo = [
            &[127, 0, 0, 1, 127, 0, 0, 1, 0, 6][..],
            &(tcp.len() as u16).to_be_bytes(),
        ]
        .concat();
        assert_eq!(internet_checksum(&[&pseudo, tcp]), 0);
    }

    #[test]
    fn key_log_keeps_only_our_sessions() {
        let ours = [0xabu8; 32];
        let log = format!(
            "# comment\nCLIENT_RANDOM {} {}\nCLIENT_RANDOM {} {}\n",
            "ab".repeat(32),
            "11".repeat(48),
            "cd".repeat(32),
            "22".repeat(48)
        );
        let kept = key_log_for(&log, &[ours]);
        assert_eq!(kept.lines().count(), 1);
        assert!(kept.starts_with("CLIENT_RANDOM abab"));
    }
}
