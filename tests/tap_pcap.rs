//! The tap's captures as Wireshark sees them: real lesson traffic through a real tap,
//! written as pcap and pcapng, and read back by tshark (and compared with editcap).

mod common;
mod tap_support;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::prereq::{EDITCAP, TSHARK};
use squirrel::http::{Response, Url};
use squirrel::lessons::{l01_plain_http, l06_https};
use squirrel::pcap;
use squirrel::server::{Handler, Server, ServerHandle, Transport};
use squirrel::tap::{Direction, Event, Segment, Tap};
use tap_support::{fields, file_contains, frames_with_problems, http_bodies, tshark};

fn serve(transport: Transport, handler: Arc<dyn Handler>) -> ServerHandle {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    Server::new("test", listener, transport, handler)
        .spawn()
        .unwrap()
}

/// Runs `client` through a tap in front of `server`, writes the pcap into `dir`.
fn capture(
    dir: &Path,
    name: &str,
    server: SocketAddr,
    client: impl FnOnce(SocketAddr),
) -> (Vec<Event>, PathBuf) {
    let tap = Tap::start("127.0.0.1:0", server).unwrap();
    client(tap.addr());
    let events = tap.stop(Duration::from_secs(5));
    let path = dir.join(name);
    pcap::write_pcap(&path, &pcap::packets(&events)).unwrap();
    (events, path)
}

fn lesson01(dir: &Path) -> (Vec<Event>, PathBuf) {
    let server = serve(Transport::Plain, Arc::new(l01_plain_http::handler));
    capture(dir, "01.pcap", server.addr(), |tap| {
        let url = Url::parse(&format!("http://{tap}/")).unwrap();
        assert_eq!(l01_plain_http::fetch(&url).unwrap(), "fluffy tail");
    })
}

fn lesson06(dir: &Path) -> (Vec<Event>, PathBuf) {
    let certs = dir.join("certs");
    squirrel::pki::ensure_dev_pki(&certs).unwrap();
    let acceptor =
        l06_https::acceptor(&certs.join("server.crt"), &certs.join("server.key")).unwrap();
    let server = serve(
        Transport::NativeTls(acceptor),
        Arc::new(l01_plain_http::handler),
    );
    capture(dir, "06.pcap", server.addr(), |tap| {
        let url = Url::parse(&format!("https://{tap}/")).unwrap();
        let secret = l06_https::fetch(&url, Some(&certs.join("ca.crt"))).unwrap();
        assert_eq!(secret, "fluffy tail");
    })
}

fn lesson01_pcap_holds_fluffy_tail_and_tshark_finds_the_get_and_the_200() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pcap) = lesson01(dir.path());
    assert!(file_contains(&pcap, b"fluffy tail"));
    let http = fields(
        &pcap,
        None,
        "http",
        &[
            "http.request.method",
            "http.request.uri",
            "http.response.code",
        ],
    );
    assert!(http.contains("GET\t/\t"), "{http}");
    assert!(http.contains("\t200"), "{http}");
    assert_eq!(http_bodies(&pcap, None).trim(), "fluffy tail");
}

fn the_capture_shows_the_clients_real_ports_and_a_whole_tcp_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let (events, pcap) = lesson01(dir.path());
    let Some(Event::Open { client, tap, .. }) = events.first() else {
        panic!("no open event: {events:?}");
    };
    let flags = fields(
        &pcap,
        None,
        "tcp",
        &["tcp.srcport", "tcp.dstport", "tcp.flags.str"],
    );
    let lines: Vec<&str> = flags.lines().collect();
    let syn = format!("{}\t{}\t", client.port(), tap.port());
    assert!(
        lines[0].starts_with(&syn) && lines[0].contains('S'),
        "{flags}"
    );
    assert!(lines[1].contains('S') && lines[1].contains('A'), "{flags}");
    assert_eq!(
        lines.iter().filter(|l| l.contains('F')).count(),
        2,
        "one FIN each way: {flags}"
    );
    // tshark's own view of the conversation: complete (SYN, SYN-ACK, ACK, data, FIN).
    let completeness = fields(&pcap, None, "tcp", &["tcp.completeness"]);
    assert!(
        completeness.lines().last().unwrap_or("").trim() == "31",
        "tcp.completeness: {completeness}"
    );
}

fn tshark_finds_every_checksum_good_and_no_tcp_warning() {
    let dir = tempfile::tempdir().unwrap();
    for (_, pcap) in [lesson01(dir.path()), lesson06(dir.path())] {
        assert_eq!(frames_with_problems(&pcap), "", "{}", pcap.display());
    }
}

fn lesson06_pcap_hides_fluffy_tail_and_tshark_finds_the_tls_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pcap) = lesson06(dir.path());
    assert!(!file_contains(&pcap, b"fluffy tail"));
    let types = fields(&pcap, None, "tls.handshake", &["tls.handshake.type"]);
    let types: Vec<&str> = types.lines().flat_map(|l| l.split(',')).collect();
    assert!(types.contains(&"1"), "no ClientHello: {types:?}");
    assert!(types.contains(&"2"), "no ServerHello: {types:?}");
    assert!(types.contains(&"11"), "no Certificate: {types:?}");
    let data = fields(&pcap, None, "tls.app_data", &["tls.record.content_type"]);
    assert!(!data.is_empty(), "no application data records");
    assert_eq!(http_bodies(&pcap, None), "", "HTTP without the keys");
}

fn reads_over_64_kib_are_split_to_fit_ipv4s_limit() {
    const BODY: usize = 400_000;
    let dir = tempfile::tempdir().unwrap();
    let big = |_request, _peer| Response::text(200, &"squirrel".repeat(BODY / 8));
    let server = serve(Transport::Plain, Arc::new(big));
    let (events, pcap) = capture(dir.path(), "big.pcap", server.addr(), |tap| {
        let url = Url::parse(&format!("http://{tap}/")).unwrap();
        assert_eq!(l01_plain_http::fetch(&url).unwrap().len(), BODY);
    });
    let largest_read = events
        .iter()
        .filter_map(|e| match e {
            Event::Data(s) => Some(s.bytes.len()),
            _ => None,
        })
        .max()
        .unwrap();
    let lengths = fields(&pcap, None, "tcp.len > 0", &["ip.len", "tcp.len"]);
    let mut payload = 0;
    for line in lengths.lines() {
        let (ip, tcp) = line.split_once('\t').unwrap();
        assert!(ip.parse::<usize>().unwrap() <= 65_535, "{line}");
        payload += tcp.parse::<usize>().unwrap();
    }
    let total: usize = events
        .iter()
        .filter_map(|e| match e {
            Event::Data(s) => Some(s.bytes.len()),
            _ => None,
        })
        .sum();
    assert_eq!(payload, total, "every byte is in exactly one segment");
    let reads = events
        .iter()
        .filter(|e| matches!(e, Event::Data(_)))
        .count();
    let segments = lengths.lines().count();
    assert!(segments >= reads, "{segments} segments for {reads} reads");
    if largest_read > pcap::max_payload(&server.addr()) {
        assert!(
            segments > reads,
            "a read of {largest_read} bytes was not split"
        );
    }
    let length = fields(&pcap, None, "http.response", &["http.content_length"]);
    assert_eq!(length.trim(), BODY.to_string());
    assert_eq!(frames_with_problems(&pcap), "");
}

fn a_read_larger_than_an_ip_packet_becomes_several_segments() {
    let client: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    let tap: SocketAddr = "127.0.0.1:5684".parse().unwrap();
    let at = SystemTime::now();
    let bytes = vec![b'x'; 200_000];
    let events = vec![
        Event::Open {
            connection: 0,
            client,
            tap,
            server: "127.0.0.1:5683".parse().unwrap(),
            at,
        },
        Event::Data(Segment {
            connection: 0,
            direction: Direction::ToClient,
            at,
            bytes: bytes.clone(),
        }),
    ];
    let packets = pcap::packets(&events);
    let data: Vec<&pcap::Packet> = packets.iter().skip(3).collect();
    assert_eq!(data.len(), 4, "200 000 bytes in segments of at most 65 495");
    for packet in &data {
        let ip_total = u16::from_be_bytes([packet.frame[16], packet.frame[17]]);
        assert_eq!(usize::from(ip_total) + 14, packet.frame.len());
    }
    let carried: usize = data.iter().map(|p| p.frame.len() - 14 - 20 - 20).sum();
    assert_eq!(carried, bytes.len());
}

fn ipv6_connections_are_framed_as_ipv6_with_good_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let at = SystemTime::now();
    let request = b"GET / HTTP/1.1\r\nHost: [::1]:5684\r\nConnection: close\r\n\r\n".to_vec();
    let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nfluffy tail";
    let events = vec![
        Event::Open {
            connection: 0,
            client: "[::1]:40000".parse().unwrap(),
            tap: "[::1]:5684".parse().unwrap(),
            server: "[::1]:5683".parse().unwrap(),
            at,
        },
        Event::Data(Segment {
            connection: 0,
            direction: Direction::ToServer,
            at,
            bytes: request,
        }),
        Event::Data(Segment {
            connection: 0,
            direction: Direction::ToClient,
            at,
            bytes: reply.to_vec(),
        }),
        Event::Close {
            connection: 0,
            direction: Direction::ToClient,
            at,
        },
        Event::Close {
            connection: 0,
            direction: Direction::ToServer,
            at,
        },
    ];
    let path = dir.path().join("v6.pcap");
    pcap::write_pcap(&path, &pcap::packets(&events)).unwrap();
    let v6 = fields(&path, None, "ipv6 && tcp", &["ipv6.src", "tcp.srcport"]);
    assert_eq!(v6.lines().count(), 9, "{v6}");
    assert!(v6.starts_with("::1\t40000"), "{v6}");
    assert_eq!(http_bodies(&path, None).trim(), "fluffy tail");
    assert_eq!(frames_with_problems(&path), "");
}

fn the_pcapng_secrets_block_is_the_one_editcap_inject_secrets_makes() {
    let dir = tempfile::tempdir().unwrap();
    let (events, pcap_path) = lesson01(dir.path());
    // Any key log text will do: editcap does not check the lines, and neither do we.
    let key_log = format!("CLIENT_RANDOM {} {}\n", "ab".repeat(32), "cd".repeat(48));
    let keylog = dir.path().join("keys.log");
    std::fs::write(&keylog, &key_log).unwrap();
    let ours = dir.path().join("ours.pcapng");
    pcap::write_pcapng(&ours, &pcap::packets(&events), key_log.as_bytes()).unwrap();
    let theirs = dir.path().join("theirs.pcapng");
    let out = EDITCAP
        .command()
        .arg("--inject-secrets")
        .arg(format!("tls,{}", keylog.display()))
        .arg(&pcap_path)
        .arg(&theirs)
        .output()
        .expect("editcap comes with tshark (Debian package wireshark-common)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dsb = |path: &Path| -> Vec<u8> {
        let bytes = std::fs::read(path).unwrap();
        let mut at = 0;
        while at + 8 <= bytes.len() {
            let kind = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
            let length = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
            if kind == pcap::DSB_BLOCK_TYPE {
                return bytes[at..at + length].to_vec();
            }
            at += length;
        }
        panic!("no Decryption Secrets Block in {}", path.display());
    };
    assert_eq!(dsb(&ours), dsb(&theirs));
    // And both files hold the same packets.
    let frames = |p: &Path| {
        tshark(&[
            "-r",
            &p.to_string_lossy(),
            "-T",
            "fields",
            "-e",
            "frame.len",
        ])
    };
    assert_eq!(frames(&ours), frames(&theirs));
}

/// A client's ephemeral port is whatever the kernel gives; some are registered in
/// Wireshark to another protocol (57000: IRC), and tshark tries a port's dissector
/// before guessing HTTP. Read with the tap's port decoded as HTTP, as the tap tests read
/// every capture, both connections show their body, the one from 57000 too.
fn a_client_on_a_port_wireshark_gives_another_protocol_still_reads_as_http() {
    let dir = tempfile::tempdir().unwrap();
    let at = SystemTime::now();
    let tap: SocketAddr = "127.0.0.1:40500".parse().unwrap();
    let server: SocketAddr = "127.0.0.1:40600".parse().unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {tap}\r\nConnection: close\r\n\r\n");
    let reply =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nfluffy tail";
    let mut events = Vec::new();
    for (connection, client) in [(0, "127.0.0.1:40000"), (1, "127.0.0.1:57000")] {
        events.push(Event::Open {
            connection,
            client: client.parse().unwrap(),
            tap,
            server,
            at,
        });
        for (direction, bytes) in [
            (Direction::ToServer, request.as_bytes()),
            (Direction::ToClient, &reply[..]),
        ] {
            events.push(Event::Data(Segment {
                connection,
                direction,
                at,
                bytes: bytes.to_vec(),
            }));
        }
        for direction in [Direction::ToClient, Direction::ToServer] {
            events.push(Event::Close {
                connection,
                direction,
                at,
            });
        }
    }
    let path = dir.path().join("57000.pcap");
    pcap::write_pcap(&path, &pcap::packets(&events)).unwrap();
    // What tshark guesses alone: the connection from 57000 is IRC, its HTTP hidden.
    let guessed = tshark(&[
        "-r",
        &path.to_string_lossy(),
        "-Y",
        "http",
        "-T",
        "fields",
        "-e",
        "http.file_data",
    ]);
    assert_eq!(guessed.matches("fluffy tail").count(), 1, "{guessed}");
    let bodies = http_bodies(&path, None);
    assert_eq!(bodies.matches("fluffy tail").count(), 2, "{bodies}");
}

test_main! {
    lesson01_pcap_holds_fluffy_tail_and_tshark_finds_the_get_and_the_200: [TSHARK],
    the_capture_shows_the_clients_real_ports_and_a_whole_tcp_conversation: [TSHARK],
    tshark_finds_every_checksum_good_and_no_tcp_warning: [TSHARK],
    lesson06_pcap_hides_fluffy_tail_and_tshark_finds_the_tls_handshake: [TSHARK],
    reads_over_64_kib_are_split_to_fit_ipv4s_limit: [TSHARK],
    a_read_larger_than_an_ip_packet_becomes_several_segments: [],
    ipv6_connections_are_framed_as_ipv6_with_good_checksums: [TSHARK],
    the_pcapng_secrets_block_is_the_one_editcap_inject_secrets_makes: [EDITCAP, TSHARK],
    a_client_on_a_port_wireshark_gives_another_protocol_still_reads_as_http: [TSHARK],
}
