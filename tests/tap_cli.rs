//! `squirrel tap` as a student runs it: between a lesson's client and server, printing
//! a Wireshark-like dump while it runs and writing the capture when stopped.

mod common;
mod tap_support;

use common::prereq::TSHARK;
use common::spawn_server;
use common::{run as squirrel, text};
use tap_support::{http_bodies, TapProcess};

/// A lesson-01 server and a tap in front of it, with extra tap options.
fn plain_http_through_a_tap(
    dir: &std::path::Path,
    options: &[&str],
) -> (common::Spawned, TapProcess) {
    let server = spawn_server(dir, &["plain-http", "serve", "--addr", "127.0.0.1:0"], &[]);
    let to = format!("127.0.0.1:{}", server.port);
    let mut args = vec!["--listen", "127.0.0.1:0", "--to", &to];
    args.extend_from_slice(options);
    let tap = TapProcess::start(dir, &args, &[]);
    (server, tap)
}

fn fetch_through(dir: &std::path::Path, tap: &TapProcess) {
    let url = format!("http://{}/", tap.addr);
    let out = squirrel(dir, &["plain-http", "fetch", "--url", &url], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
}

fn tap_prints_a_hex_dump_of_each_direction_with_byte_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, mut tap) = plain_http_through_a_tap(dir.path(), &["--connections", "1"]);
    fetch_through(dir.path(), &tap);
    let out = tap.wait();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("connected to"), "{printed}");
    // The request is 60 bytes with the tap's port in it: `Host: 127.0.0.1:NNNNN`.
    assert!(
        printed.contains("#0 client → server, 60 bytes\n"),
        "{printed}"
    );
    assert!(
        printed
            .contains("0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1.."),
        "{printed}"
    );
    assert!(printed.contains("#0 server → client, "), "{printed}");
    // The secret in the ASCII column, the way Wireshark's bytes pane shows it.
    assert!(
        printed
            .lines()
            .any(|l| l.starts_with("00") && l.ends_with("fluffy tail")),
        "{printed}"
    );
    assert!(
        printed.contains("client → server 60 bytes in 1 read, server → client 110 bytes"),
        "{printed}"
    );
}

fn dump_limit_shows_the_first_bytes_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, mut tap) =
        plain_http_through_a_tap(dir.path(), &["--connections", "1", "--dump", "16"]);
    fetch_through(dir.path(), &tap);
    let printed = text(&tap.wait().stdout);
    assert!(printed.contains("      … 44 more bytes\n"), "{printed}");
    assert!(!printed.contains("0010  "), "{printed}");
}

fn ctrl_c_stops_the_tap_and_writes_pcap_and_pcapng() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, tap) =
        plain_http_through_a_tap(dir.path(), &["--pcap", "01.pcap", "--pcapng", "01.pcapng"]);
    fetch_through(dir.path(), &tap);
    fetch_through(dir.path(), &tap);
    let out = tap.interrupt();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.contains("tap: stopped after 2 connections"),
        "{printed}"
    );
    assert!(printed.contains("Wrote 01.pcap ("), "{printed}");
    for file in ["01.pcap", "01.pcapng"] {
        let bodies = http_bodies(&dir.path().join(file), None);
        assert_eq!(bodies.matches("fluffy tail").count(), 2, "{file}: {bodies}");
    }
}

fn a_tls_pcapng_without_key_log_says_it_stays_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
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
            "--pcapng",
            "06.pcapng",
            "--connections",
            "1",
        ],
        &[],
    );
    let url = format!("https://127.0.0.1:{}/", tap.addr.port());
    let out = squirrel(
        dir.path(),
        &["https", "fetch", "--url", &url, "--cacert", "certs/ca.crt"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = tap.wait();
    assert!(out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("note: no key log given, so 06.pcapng cannot be decrypted"),
        "{err}"
    );
    assert_eq!(http_bodies(&dir.path().join("06.pcapng"), None), "");
}

fn a_bad_server_address_is_a_one_line_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let out = squirrel(
        dir.path(),
        &["tap", "--listen", "127.0.0.1:0", "--to", "no-port-here"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: cannot use --to no-port-here"),
        "{err}"
    );
    assert!(
        err.contains("\nhint: give the server as HOST:PORT"),
        "{err}"
    );
}

/// With `--lang fr`, the tap speaks French: the dump's headings, the closing counts, an
/// error and its hint; the same command without `--lang`, under `LC_ALL=C.UTF-8`, English.
fn the_tap_speaks_french_with_lang_fr_and_english_under_c() {
    let dir = tempfile::tempdir().unwrap();
    let (server, mut tap) =
        plain_http_through_a_tap(dir.path(), &["--connections", "1", "--lang", "fr"]);
    let to = format!("127.0.0.1:{}", server.port);
    let url = format!("http://{}/", tap.addr);
    let out = squirrel(
        dir.path(),
        &["--lang", "fr", "plain-http", "fetch", "--url", &url],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Le message secret est\u{a0}: fluffy tail\n"
    );
    let out = tap.wait();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let first = printed.lines().next().unwrap_or("");
    assert_eq!(
        first,
        format!(
            "tap\u{a0}: relais de {0} → {to} — dirigez le client vers {0}\u{202f}; arrêtez avec Ctrl-C.",
            tap.addr
        )
    );
    assert!(
        printed.contains(&format!(
            " connecté à {}\u{202f}; relayé vers {to}\n",
            tap.addr
        )),
        "{printed}"
    );
    assert!(
        printed.contains("#0 client → serveur, 60 octets\n"),
        "{printed}"
    );
    assert!(printed.contains("#0 serveur → client, "), "{printed}");
    assert!(
        printed.contains(" fin (le serveur a fini d'envoyer)\n"),
        "{printed}"
    );
    assert!(
        printed.contains(
            "tap\u{a0}: arrêté après 1 connexion\u{a0}: client → serveur 60 octets en 1 lecture, serveur → client 110 octets en "
        ),
        "{printed}"
    );
    for english in [
        "bytes",
        "relaying",
        "connected",
        "stopped after",
        "finished sending",
    ] {
        assert!(!printed.contains(english), "`{english}` in: {printed}");
    }

    let bad = ["tap", "--listen", "127.0.0.1:0", "--to", "no-port-here"];
    let mut french = vec!["--lang", "fr"];
    french.extend(bad);
    let out = squirrel(dir.path(), &french, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("erreur\u{a0}: impossible d'utiliser --to no-port-here\u{a0}: "),
        "{err}"
    );
    assert!(
        err.ends_with(
            "\nconseil\u{a0}: donnez le serveur sous la forme HÔTE:PORT, par exemple --to 127.0.0.1:5683\n"
        ),
        "{err}"
    );
    let out = squirrel(dir.path(), &bad, &[("LANG", "fr_FR.UTF-8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: cannot use --to no-port-here: "),
        "{err}"
    );
    assert!(
        err.ends_with("\nhint: give the server as HOST:PORT, e.g. --to 127.0.0.1:5683\n"),
        "{err}"
    );
}

fn a_busy_listen_port_says_to_pick_another() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let listen = busy.local_addr().unwrap().to_string();
    let out = squirrel(dir.path(), &["tap", "--listen", &listen], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("error: cannot listen on {listen}")),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
}

fn an_unwritable_capture_file_is_refused_before_relaying() {
    let dir = tempfile::tempdir().unwrap();
    let out = squirrel(
        dir.path(),
        &[
            "tap",
            "--listen",
            "127.0.0.1:0",
            "--pcap",
            "no/such/folder/x.pcap",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: cannot write no/such/folder/x.pcap"),
        "{err}"
    );
    assert!(text(&out.stdout).is_empty(), "it relayed nothing");
}

fn a_tap_whose_server_is_down_answers_http_with_a_502_and_closes_tls() {
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on: bound, then released.
    let down = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let to = down.to_string();
    let mut tap = TapProcess::start(
        dir.path(),
        &["--listen", "127.0.0.1:0", "--to", &to, "--connections", "2"],
        &[],
    );
    let out = squirrel(
        dir.path(),
        &[
            "plain-http",
            "fetch",
            "--url",
            &format!("http://{}/", tap.addr),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: the server answered 502 Bad Gateway: tap: cannot reach the server {to} (connection refused: is the server running?)\n"
        )
    );
    // A TLS client cannot be answered in words: the tap closes.
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    let out = squirrel(
        dir.path(),
        &[
            "mtls",
            "fetch",
            "--url",
            &format!("https://localhost:{}/", tap.addr.port()),
        ],
        &[],
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: TLS handshake with localhost:{} failed: the other side closed the connection during the handshake\n",
            tap.addr.port()
        )
    );
    // Turned-away connections count for --connections: the tap stops by itself.
    let out = tap.wait();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.contains(&format!(
            " connected, but the server {to} cannot be reached (connection refused: is the server running?): answered 502 Bad Gateway\n"
        )),
        "{printed}"
    );
    assert!(
        printed.contains(
            "): closed the connection (a TLS client sees it closed during the handshake)\n"
        ),
        "{printed}"
    );
    assert!(
        printed.contains("tap: 2 connections turned away: the server could not be reached.\n"),
        "{printed}"
    );
}

test_main! {
    tap_prints_a_hex_dump_of_each_direction_with_byte_counts: [],
    dump_limit_shows_the_first_bytes_and_counts_the_rest: [],
    ctrl_c_stops_the_tap_and_writes_pcap_and_pcapng: [TSHARK],
    a_tls_pcapng_without_key_log_says_it_stays_encrypted: [TSHARK],
    a_bad_server_address_is_a_one_line_error_with_a_hint: [],
    the_tap_speaks_french_with_lang_fr_and_english_under_c: [],
    a_busy_listen_port_says_to_pick_another: [],
    an_unwritable_capture_file_is_refused_before_relaying: [],
    a_tap_whose_server_is_down_answers_http_with_a_502_and_closes_tls: [],
}
