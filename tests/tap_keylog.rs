//! TLS key logs: every squirrel TLS endpoint appends NSS key log lines to the file named
//! by SSLKEYLOGFILE, and with them tshark decrypts a capture made by `squirrel tap` —
//! from the pcap with the key log, or from the pcapng alone (its Decryption Secrets
//! Block). Real processes, as the lesson texts run them.

mod common;
mod tap_support;

use std::path::{Path, PathBuf};

use common::prereq::{CURL, TSHARK};
use common::spawn_server;
use common::{run as squirrel, text};
use tap_support::{fields, http_bodies, TapProcess};

/// A key log line of a session that is not in the capture.
const FOREIGN: &str = "CLIENT_RANDOM ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff \
     000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

fn certs(dir: &Path) {
    squirrel::pki::ensure_dev_pki(&dir.join("certs")).unwrap();
}

/// The client randoms (second field) of a key log's lines.
fn randoms(keylog: &str) -> Vec<String> {
    let mut out: Vec<String> = keylog
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The secrets inside a pcapng's Decryption Secrets Block.
fn embedded_secrets(pcapng: &Path) -> String {
    let bytes = std::fs::read(pcapng).unwrap();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let kind = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let length = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        if kind == squirrel::pcap::DSB_BLOCK_TYPE {
            let secrets_type = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap());
            assert_eq!(secrets_type, squirrel::pcap::DSB_TLS_KEY_LOG);
            let n = u32::from_le_bytes(bytes[at + 12..at + 16].try_into().unwrap()) as usize;
            return String::from_utf8(bytes[at + 16..at + 16 + n].to_vec()).unwrap();
        }
        at += length;
    }
    String::new()
}

/// Lesson 06 as its text shows it: the native-tls server, a tap writing pcap and
/// pcapng, and two clients writing the key log — the lesson-07 OpenSSL client without a
/// certificate, and curl. The key log already holds another session's line.
struct Lesson06 {
    _dir: tempfile::TempDir,
    pcap: PathBuf,
    pcapng: PathBuf,
    keylog: PathBuf,
}

fn lesson06() -> Lesson06 {
    let dir = tempfile::tempdir().unwrap();
    certs(dir.path());
    let keylog = dir.path().join("keys.log");
    std::fs::write(&keylog, format!("# from another day\n{FOREIGN}\n")).unwrap();
    let server = spawn_server(
        dir.path(),
        &["https", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let to = format!("127.0.0.1:{}", server.port);
    let mut tap = TapProcess::start(
        dir.path(),
        &[
            "--listen",
            "127.0.0.1:0",
            "--to",
            &to,
            "--pcap",
            "06.pcap",
            "--pcapng",
            "06.pcapng",
            "--keylog",
            "keys.log",
            "--connections",
            "2",
        ],
        &[],
    );
    let url = format!("https://127.0.0.1:{}/", tap.addr.port());
    let env = [("SSLKEYLOGFILE", "keys.log")];
    let out = squirrel(
        dir.path(),
        &["mtls", "fetch", "--url", &url, "--cacert", "certs/ca.crt"],
        &env,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
    let out = CURL
        .command()
        .current_dir(dir.path())
        .args(["-sS", "--cacert", "certs/ca.crt", &url])
        .env("SSLKEYLOGFILE", "keys.log")
        .output()
        .unwrap();
    assert!(out.status.success(), "curl: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "fluffy tail");
    let out = tap.wait();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.contains("2 TLS secret line(s) embedded"),
        "{printed}"
    );
    Lesson06 {
        pcap: dir.path().join("06.pcap"),
        pcapng: dir.path().join("06.pcapng"),
        keylog,
        _dir: dir,
    }
}

fn lesson06_capture_decrypts_with_the_openssl_clients_and_curls_key_log() {
    let run = lesson06();
    assert_eq!(http_bodies(&run.pcap, None), "", "decrypted without keys?");
    let bodies = http_bodies(&run.pcap, Some(&run.keylog));
    assert_eq!(
        bodies.matches("fluffy tail").count(),
        2,
        "one reply per client: {bodies}"
    );
    let requests = fields(
        &run.pcap,
        Some(&run.keylog),
        "http.request",
        &["http.request.method"],
    );
    assert_eq!(requests.lines().count(), 2, "{requests}");
}

fn lesson06_pcapng_opens_decrypted_and_carries_only_its_own_secrets() {
    let run = lesson06();
    let bodies = http_bodies(&run.pcapng, None);
    assert_eq!(bodies.matches("fluffy tail").count(), 2, "{bodies}");
    let embedded = embedded_secrets(&run.pcapng);
    let written = std::fs::read_to_string(&run.keylog).unwrap();
    assert!(
        !embedded.contains("ffffffff"),
        "another session's secret: {embedded}"
    );
    assert!(!embedded.contains('#'), "{embedded}");
    assert_eq!(embedded.lines().count(), 2, "{embedded}");
    assert!(embedded.lines().all(|l| written.contains(l)));
}

fn lesson07_server_alone_writes_enough_to_decrypt_and_ctrl_c_writes_the_files() {
    let dir = tempfile::tempdir().unwrap();
    certs(dir.path());
    let server = spawn_server(
        dir.path(),
        &["mtls", "serve", "--addr", "127.0.0.1:0"],
        &[("SSLKEYLOGFILE", "server-keys.log")],
    );
    let to = format!("127.0.0.1:{}", server.port);
    let tap = TapProcess::start(
        dir.path(),
        &[
            "--listen",
            "127.0.0.1:0",
            "--to",
            &to,
            "--pcap",
            "07.pcap",
            "--pcapng",
            "07.pcapng",
            "--keylog",
            "server-keys.log",
        ],
        &[],
    );
    let url = format!("https://127.0.0.1:{}/", tap.addr.port());
    let out = squirrel(
        dir.path(),
        &[
            "mtls",
            "fetch",
            "--url",
            &url,
            "--cert",
            "certs/client.crt",
            "--key",
            "certs/client.key",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = tap.interrupt();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let keylog = std::fs::read_to_string(dir.path().join("server-keys.log")).unwrap();
    // TLS 1.3: the handshake and traffic secrets, one line each.
    for label in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
    ] {
        assert!(keylog.contains(label), "no {label}: {keylog}");
    }
    let pcap = dir.path().join("07.pcap");
    let keys = dir.path().join("server-keys.log");
    assert_eq!(http_bodies(&pcap, Some(&keys)).trim(), "fluffy tail");
    let pcapng = dir.path().join("07.pcapng");
    assert_eq!(http_bodies(&pcapng, None).trim(), "fluffy tail");
    // Decrypted, the handshake shows what TLS 1.3 hides: the client's certificate.
    let types = fields(&pcapng, None, "tls.handshake", &["tls.handshake.type"]);
    assert!(
        types.lines().flat_map(|l| l.split(',')).any(|t| t == "13"),
        "no CertificateRequest: {types}"
    );
}

fn vault_server_and_client_both_write_the_key_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_server(
        dir.path(),
        &["vault", "serve", "--port", "0", "--demo"],
        &[("SSLKEYLOGFILE", "server-keys.log")],
    );
    let to = format!("127.0.0.1:{}", server.port);
    let tap = TapProcess::start(
        dir.path(),
        &[
            "--listen",
            "127.0.0.1:0",
            "--to",
            &to,
            "--pcapng",
            "vault.pcapng",
            "--keylog",
            "client-keys.log",
            "--dump",
            "0",
        ],
        &[],
    );
    let address = format!("127.0.0.1:{}", tap.addr.port());
    let out = squirrel(
        dir.path(),
        &["vault", "list", "--server", &address, "--user", "user1"],
        &[
            ("SQUIRREL_PASSWORD", "password1"),
            ("SSLKEYLOGFILE", "client-keys.log"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = tap.interrupt();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let client = std::fs::read_to_string(dir.path().join("client-keys.log")).unwrap();
    let server_log = std::fs::read_to_string(dir.path().join("server-keys.log")).unwrap();
    assert!(!client.is_empty() && !server_log.is_empty());
    // The same sessions, seen from both ends.
    assert_eq!(randoms(&client), randoms(&server_log));
    let uris = fields(
        &dir.path().join("vault.pcapng"),
        None,
        "http.request",
        &["http.request.uri"],
    );
    for uri in ["/login", "/get-files", "/logout"] {
        assert!(uris.lines().any(|l| l == uri), "no {uri}: {uris}");
    }
}

test_main! {
    lesson06_capture_decrypts_with_the_openssl_clients_and_curls_key_log: [CURL, TSHARK],
    lesson06_pcapng_opens_decrypted_and_carries_only_its_own_secrets: [CURL, TSHARK],
    lesson07_server_alone_writes_enough_to_decrypt_and_ctrl_c_writes_the_files: [TSHARK],
    vault_server_and_client_both_write_the_key_log: [TSHARK],
}
