//! Lesson 06: the same server behind TLS; the client must trust the squirrels' CA.

mod common;
mod tap_support;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::browser::{net_error, nss_trust, Browser, BrowserOptions};
use common::prereq::{
    CERTUTIL, CHROMEDRIVER, CHROMIUM, CURL, LIVE_CAPTURE, OPENSSL, PY_SELENIUM, TSHARK,
};
use common::text::TextRun;
use common::{run, run_within, spawn_server, text};
use openssl::ssl::{SslConnector, SslMethod, SslVersion};
use squirrel::http::Url;
use squirrel::lessons::{l01_plain_http, l06_https, LessonError};
use squirrel::server::{Server, ServerHandle, Transport};
use squirrel::tap::{Direction, Tap};
use squirrel::tls::{self, HandshakeFailure, Peer, TlsError, TrustFailure};

fn start(certs: &Path) -> ServerHandle {
    squirrel::pki::ensure_dev_pki(certs).unwrap();
    serve(certs)
}

/// Lesson 06's server with the certificate already in `certs`.
fn serve(certs: &Path) -> ServerHandle {
    let acceptor =
        l06_https::acceptor(&certs.join("server.crt"), &certs.join("server.key")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    Server::new(
        "https",
        listener,
        Transport::NativeTls(acceptor),
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap()
}

/// The failure a TLS client met in its handshake.
fn handshake_failure(e: TlsError) -> HandshakeFailure {
    match e {
        TlsError::Handshake { failure, .. } => failure,
        other => panic!("not a handshake failure: {other}"),
    }
}

/// What lesson 06's native-tls client and the OpenSSL client of lessons 07 and 08 meet,
/// both trusting `ca`, at `https://localhost:port/`.
fn both_clients_fail(ca: &Path, port: u16) -> (HandshakeFailure, HandshakeFailure) {
    let url = Url::parse(&format!("https://localhost:{port}/")).unwrap();
    let native = match l06_https::fetch(&url, Some(ca)).unwrap_err() {
        LessonError::Tls(e) => handshake_failure(e),
        other => panic!("{other}"),
    };
    let connector = tls::client_connector(ca, None).unwrap();
    let timeout = Duration::from_secs(10);
    let openssl =
        handshake_failure(tls::connect(&connector, "localhost", port, timeout).unwrap_err());
    (native, openssl)
}

fn native_tls_and_openssl_clients_name_each_refusal_alike() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("certs"));
    squirrel::pki::ensure_dev_pki(&dir.path().join("other")).unwrap();
    let (native, openssl) =
        both_clients_fail(&dir.path().join("other/ca.crt"), server.addr().port());
    assert_eq!(native, openssl);
    assert_eq!(native.trust(), Some(TrustFailure::UnknownCa(Peer::Server)));

    let plain = TcpListener::bind("127.0.0.1:0").unwrap();
    let plain = Server::new(
        "plain-http",
        plain,
        Transport::Plain,
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap();
    let (native, openssl) =
        both_clients_fail(&dir.path().join("certs/ca.crt"), plain.addr().port());
    assert_eq!(native, openssl);
    assert!(
        matches!(
            native,
            HandshakeFailure::NotTls {
                peer: Peer::Server,
                ..
            }
        ),
        "{native:?}"
    );
}

fn fluffy_tail_is_not_on_the_wire_only_tls_records() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let tap = Tap::start("127.0.0.1:0", server.addr()).unwrap();
    let url = Url::parse(&format!("https://{}/", tap.addr())).unwrap();
    assert_eq!(
        l06_https::fetch(&url, Some(&dir.path().join("ca.crt"))).unwrap(),
        "fluffy tail"
    );
    assert!(
        !tap.saw(b"fluffy tail"),
        "the secret crossed the wire in clear"
    );
    // Both directions start with a TLS handshake record: content type 22, version 3.x.
    for direction in [Direction::ToServer, Direction::ToClient] {
        let bytes = tap.bytes(direction);
        assert_eq!(
            &bytes[..2],
            &[0x16, 0x03],
            "{direction:?} does not start with a TLS record"
        );
    }
}

fn without_cacert_the_client_refuses_our_ca_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let url = Url::parse(&format!("https://localhost:{}/", server.addr().port())).unwrap();
    let err = l06_https::fetch(&url, None).unwrap_err().to_string();
    assert!(err.contains("not signed by a CA you trust"), "{err}");
    assert!(
        err.contains("unable to get local issuer certificate"),
        "{err}"
    );
    assert_eq!(
        l06_https::fetch(&url, Some(&dir.path().join("ca.crt"))).unwrap(),
        "fluffy tail"
    );
}

fn curl_agrees_with_and_without_cacert() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let url = format!("https://localhost:{}/", server.addr().port());
    let ca = dir.path().join("ca.crt");
    let out = CURL
        .command()
        .args(["-sS", "--cacert", ca.to_str().unwrap(), &url])
        .output()
        .unwrap();
    assert!(out.status.success(), "curl: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "fluffy tail");
    let out = CURL.command().args(["-sS", &url]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(60),
        "curl should refuse an unknown CA: {}",
        text(&out.stderr)
    );
}

fn tls_below_1_2_is_refused_and_1_2_works() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let connect = format!("127.0.0.1:{}", server.addr().port());
    let s_client = |version: &str| {
        OPENSSL
            .command()
            .args([
                "s_client",
                "-connect",
                &connect,
                version,
                "-cipher",
                "DEFAULT@SECLEVEL=0",
                "-CAfile",
            ])
            .arg(dir.path().join("ca.crt"))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    // native-tls's OpenSSL acceptor follows Mozilla's "intermediate" v4 profile, which
    // also turns TLS 1.3 off: the lesson text says so, and lesson 07 (OpenSSL directly)
    // speaks 1.3.
    for version in ["-tls1", "-tls1_1", "-tls1_3"] {
        let out = s_client(version);
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(!out.status.success(), "{version} was accepted: {all}");
        // The server itself says no (an alert), not just our client's own policy.
        assert!(
            all.contains("alert protocol version") || all.contains("unsupported protocol"),
            "{version}: {all}"
        );
    }
    let out = s_client("-tls1_2");
    assert!(out.status.success(), "TLS 1.2: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Verify return code: 0 (ok)"));
}

/// Lesson 06's suites as its text lists them: TLS 1.2 only (native-tls keeps Mozilla's
/// older intermediate profile, version 4), and with the default P-256 certificate these
/// seven, OpenSSL's name then the IANA name the text and Wireshark use.
const SUITES: [(&str, &str); 7] = [
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-ECDSA-AES256-SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    ),
    (
        "ECDHE-ECDSA-AES128-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    ),
    (
        "ECDHE-ECDSA-AES256-SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    ),
    (
        "ECDHE-ECDSA-AES128-SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    ),
];

/// A handshake with lesson 06's server at `port` from an OpenSSL client that offers
/// only `ciphers` (an OpenSSL cipher list) and only `version`: the suite agreed on (IANA
/// name), or the error.
fn handshake(
    certs: &Path,
    port: u16,
    version: SslVersion,
    ciphers: &str,
) -> Result<String, String> {
    let mut builder = SslConnector::builder(SslMethod::tls_client()).unwrap();
    builder.set_ca_file(certs.join("ca.crt")).unwrap();
    builder.set_min_proto_version(Some(version)).unwrap();
    builder.set_max_proto_version(Some(version)).unwrap();
    builder
        .set_cipher_list(&format!("{ciphers}:@SECLEVEL=0"))
        .unwrap();
    let tcp = squirrel::net::connect("127.0.0.1", port, Duration::from_secs(10)).unwrap();
    let stream = builder
        .build()
        .connect("127.0.0.1", tcp)
        .map_err(|e| e.to_string())?;
    let cipher = stream.ssl().current_cipher().unwrap();
    Ok(cipher.standard_name().unwrap_or(cipher.name()).to_string())
}

fn native_tls_speaks_tls_1_2_only_with_the_seven_suites_the_text_lists() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let port = server.addr().port();
    assert!(
        handshake(dir.path(), port, SslVersion::TLS1_3, "ALL").is_err(),
        "lesson 06's server speaks TLS 1.3 now: update its text"
    );
    for (openssl_name, iana_name) in SUITES {
        assert_eq!(
            handshake(dir.path(), port, SslVersion::TLS1_2, openssl_name).as_deref(),
            Ok(iana_name),
            "lesson 06's server refuses {iana_name} now: update its text"
        );
    }
    // Every other suite this OpenSSL knows, offered at once, is refused.
    let others: String = SUITES.iter().map(|(name, _)| format!(":!{name}")).collect();
    let other = handshake(
        dir.path(),
        port,
        SslVersion::TLS1_2,
        &format!("ALL:COMPLEMENTOFALL{others}"),
    );
    assert!(
        other.is_err(),
        "lesson 06's server accepts {other:?} too: update its text"
    );
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/06-https.md"))
        .unwrap();
    for (_, iana_name) in SUITES {
        assert!(
            text.contains(&format!("`{iana_name}`")),
            "lessons/06-https.md does not list {iana_name}"
        );
    }
}

/// `squirrel https serve` in a fresh folder holding the development certificates, on a
/// free port: the folder, the server and its URL.
fn serve_command() -> (tempfile::TempDir, common::Spawned, String) {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    let server = spawn_server(
        dir.path(),
        &["https", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("https://localhost:{}/", server.port);
    (dir, server, url)
}

fn serve_and_fetch_commands_as_the_text_shows() {
    let (dir, _server, url) = serve_command();
    let out = run(dir.path(), &["6", "fetch", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("not signed by a CA you trust")
            && err.contains("hint: pass --cacert certs/ca.crt"),
        "{err}"
    );
    let out = run(
        dir.path(),
        &["https", "fetch", "--url", &url, "--cacert", "certs/ca.crt"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
}

/// `--lang fr` words the refusal, its hint and the secret in French; without it, under
/// `LC_ALL=C.UTF-8`, the same commands speak English.
fn fetch_speaks_french_with_lang_fr_and_english_without() {
    let (dir, server, url) = serve_command();
    let authority = format!("localhost:{}", server.port);

    let out = run(
        dir.path(),
        &["https", "fetch", "--url", &url, "--lang", "fr"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "erreur\u{a0}: la poignée de main TLS avec {authority} a échoué\u{a0}: le certificat du serveur n'est pas signé par une CA à laquelle vous faites confiance (unable to get local issuer certificate)\n\
             conseil\u{a0}: passez --cacert certs/ca.crt (c'est la CA des écureuils qui a signé le certificat du serveur, et votre système ne la connaît pas)\n"
        )
    );
    let out = run(dir.path(), &["https", "fetch", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: TLS handshake with {authority} failed: the server's certificate is not signed by a CA you trust (unable to get local issuer certificate)\n\
             hint: pass --cacert certs/ca.crt (the squirrels' own CA signed the server's certificate, and your system does not know it)\n"
        )
    );

    let trusted = ["https", "fetch", "--url", &url, "--cacert", "certs/ca.crt"];
    let out = run(dir.path(), &[&trusted[..], &["--lang", "fr"]].concat(), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Le message secret est\u{a0}: fluffy tail\n"
    );
    let out = run(dir.path(), &trusted, &[]);
    assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
}

fn serve_checks_at_start_that_the_key_is_the_certificates() {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    // Before the check, this server started, and then every handshake failed with "no
    // shared cipher": run it with a deadline.
    let out = run_within(
        dir.path(),
        &[
            "https",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--key",
            "certs/client.key",
        ],
        &[],
        std::time::Duration::from_secs(10),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stderr),
        "error: certs/client.key is not the private key of the certificate certs/server.crt (they were not made together)\n\
         hint: use the key made with it: --cert certs/server.crt --key certs/server.key\n"
    );
}

fn without_a_server_certificate_the_hint_makes_only_what_is_missing_and_works() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["ca", "init"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let serve = ["https", "serve", "--addr", "127.0.0.1:0"];
    let out = run_within(dir.path(), &serve, &[], std::time::Duration::from_secs(10));
    assert_eq!(
        text(&out.stderr),
        "error: cannot use certs/server.crt: no such file\n\
         hint: make it with: squirrel ca issue --name server --server\n"
    );
    let out = run(
        dir.path(),
        &["ca", "issue", "--name", "server", "--server"],
        &[],
    );
    assert!(
        out.status.success(),
        "the hint failed: {}",
        text(&out.stderr)
    );
    let server = spawn_server(dir.path(), &serve, &[]);
    let url = format!("https://localhost:{}/", server.port);
    let out = run(
        dir.path(),
        &["https", "fetch", "--url", &url, "--cacert", "certs/ca.crt"],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn fetch_with_another_ca_says_the_ca_given_did_not_sign_the_certificate() {
    let (dir, server, url) = serve_command();
    squirrel::pki::ensure_dev_pki(&dir.path().join("other")).unwrap();
    let out = run(
        dir.path(),
        &["https", "fetch", "--url", &url, "--cacert", "other/ca.crt"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: TLS handshake with localhost:{} failed: the server's certificate is not signed by a CA you trust (unable to get local issuer certificate)\n\
             hint: pass the CA that signed the server's certificate, e.g. --cacert certs/ca.crt\n",
            server.port
        )
    );
}

fn fetch_from_a_plain_http_server_says_it_does_not_speak_tls_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_server(
        dir.path(),
        &["plain-http", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("https://localhost:{}/", server.port);
    let out = run(dir.path(), &["https", "fetch", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: TLS handshake with localhost:{port} failed: the server does not speak TLS here (plain HTTP on this port?) (wrong version number)\n\
             hint: is it a plain-HTTP server (lessons 01 to 03)? try: squirrel plain-http fetch --url http://localhost:{port}/\n",
            port = server.port
        )
    );
}

fn chromium_refuses_our_ca_until_ca_install_and_again_after_uninstall() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let home = dir.path().join("home");
    let server = start(&certs);
    let url = format!("https://localhost:{}/", server.addr().port());
    let open = |home: &Path| {
        let mut browser = Browser::start(&BrowserOptions::new(home));
        browser.get(&url).map(|()| {
            let secure = browser.eval("return window.isSecureContext;", &[]);
            (browser.text(), secure)
        })
    };

    // The warning a student must never click through.
    let before = open(&home).unwrap_err();
    assert_eq!(
        net_error(&before),
        "net::ERR_CERT_AUTHORITY_INVALID",
        "{before}"
    );

    nss_trust(&home, &certs, true);
    let (text, secure) = open(&home).unwrap();
    assert_eq!(text, "fluffy tail");
    assert_eq!(secure, true);

    nss_trust(&home, &certs, false);
    let after = open(&home).unwrap_err();
    assert_eq!(
        net_error(&after),
        "net::ERR_CERT_AUTHORITY_INVALID",
        "{after}"
    );
}

fn a_secure_context_needs_https_once_the_name_is_not_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let home = dir.path().join("home");
    let certs_arg = certs.to_str().unwrap();
    common::ok(&run(dir.path(), &["ca", "init", "--dir", certs_arg], &[]));
    common::ok(&run(
        dir.path(),
        &[
            "ca",
            "issue",
            "--server",
            "--dns",
            "squirrel.test",
            "--dir",
            certs_arg,
        ],
        &[],
    ));
    nss_trust(&home, &certs, true);
    let https = serve(&certs);
    let http = Server::new(
        "plain-http",
        TcpListener::bind("127.0.0.1:0").unwrap(),
        Transport::Plain,
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap();
    let mut options = BrowserOptions::new(&home);
    options.map_to_loopback.push("squirrel.test".into());
    let mut browser = Browser::start(&options);
    let mut context = |url: String| {
        browser.get(&url).unwrap();
        let seen = browser.eval(
            "return [document.body.innerText, window.isSecureContext, typeof crypto.subtle];",
            &[],
        );
        (url, seen)
    };
    let (http_port, https_port) = (http.addr().port(), https.addr().port());
    for (url, seen) in [
        // Loopback is "potentially trustworthy": even plain HTTP is a secure context.
        context(format!("http://localhost:{http_port}/")),
        context(format!("http://127.0.0.1:{http_port}/")),
    ] {
        assert_eq!(
            seen,
            serde_json::json!(["fluffy tail", true, "object"]),
            "{url}"
        );
    }
    // A name a classmate would use: plain HTTP is not, so no WebCrypto.
    let (url, seen) = context(format!("http://squirrel.test:{http_port}/"));
    assert_eq!(
        seen,
        serde_json::json!(["fluffy tail", false, "undefined"]),
        "{url}"
    );
    // The same name over HTTPS, with the CA trusted: secure, WebCrypto is there.
    let (url, seen) = context(format!("https://squirrel.test:{https_port}/"));
    assert_eq!(
        seen,
        serde_json::json!(["fluffy tail", true, "object"]),
        "{url}"
    );
}

fn chromiums_key_log_decrypts_the_taps_capture() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let home = dir.path().join("home");
    let server = start(&certs);
    nss_trust(&home, &certs, true);
    let tap = Tap::start("127.0.0.1:0", server.addr()).unwrap();
    let keylog = dir.path().join("keys.log");
    let mut options = BrowserOptions::new(&home);
    options.keylog = Some(keylog.clone());
    let mut browser = Browser::start(&options);
    browser
        .get(&format!("https://localhost:{}/", tap.addr().port()))
        .unwrap();
    assert_eq!(browser.text(), "fluffy tail");
    drop(browser);
    let events = tap.stop(std::time::Duration::from_secs(5));
    let pcap = dir.path().join("chromium.pcap");
    squirrel::pcap::write_pcap(&pcap, &squirrel::pcap::packets(&events)).unwrap();
    assert!(!tap_support::file_contains(&pcap, b"fluffy tail"));
    assert!(
        std::fs::metadata(&keylog).unwrap().len() > 0,
        "Chromium wrote no key log"
    );
    let bodies = tap_support::http_bodies(&pcap, Some(&keylog));
    assert!(
        bodies.contains("fluffy tail"),
        "tshark decrypted: {bodies:?}"
    );
}

const TEXT: &str = "lessons/06-https.md";

/// The text, with the lines a test cannot run as written named.
fn text_run() -> TextRun {
    TextRun::new(TEXT)
        .left_to_the_reader(
            "chromium",
            "a browser window: the Chromium tests of this file drive one headless",
        )
        .left_to_the_reader(
            "SSLKEYLOGFILE=keys.log chromium",
            "a browser window: chromiums_key_log_decrypts_the_taps_capture drives one headless",
        )
}

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    text_run().commands();
}

fn the_capture_section_shows_tls_and_decrypts_with_the_key_log_live() {
    TextRun::new(TEXT).setup(text::certificates).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    text_run().in_french().commands();
}

fn the_french_text_capture_section_shows_tls_and_decrypts_with_the_key_log_live() {
    TextRun::new(TEXT)
        .in_french()
        .setup(text::certificates)
        .capture();
}

test_main! {
    native_tls_and_openssl_clients_name_each_refusal_alike: [],
    fluffy_tail_is_not_on_the_wire_only_tls_records: [],
    without_cacert_the_client_refuses_our_ca_in_plain_words: [],
    curl_agrees_with_and_without_cacert: [CURL],
    tls_below_1_2_is_refused_and_1_2_works: [OPENSSL],
    native_tls_speaks_tls_1_2_only_with_the_seven_suites_the_text_lists: [],
    serve_and_fetch_commands_as_the_text_shows: [],
    fetch_speaks_french_with_lang_fr_and_english_without: [],
    serve_checks_at_start_that_the_key_is_the_certificates: [],
    without_a_server_certificate_the_hint_makes_only_what_is_missing_and_works: [],
    fetch_with_another_ca_says_the_ca_given_did_not_sign_the_certificate: [],
    fetch_from_a_plain_http_server_says_it_does_not_speak_tls_with_the_reason: [],
    chromium_refuses_our_ca_until_ca_install_and_again_after_uninstall: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL],
    a_secure_context_needs_https_once_the_name_is_not_loopback: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL],
    chromiums_key_log_decrypts_the_taps_capture: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL, TSHARK],
    every_command_of_the_text_runs_and_prints_what_it_shows: [CERTUTIL],
    the_capture_section_shows_tls_and_decrypts_with_the_key_log_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [CERTUTIL],
    the_french_text_capture_section_shows_tls_and_decrypts_with_the_key_log_live: [TSHARK, LIVE_CAPTURE],
}
