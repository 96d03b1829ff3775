//! Lesson 07: the server demands a client certificate signed by the squirrels' CA.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use common::browser::{net_error, nss_trust, Browser, BrowserOptions, ChromiumPolicy};
use common::prereq::{
    CERTUTIL, CHROMEDRIVER, CHROMIUM, LIVE_CAPTURE, OPENSSL, PK12UTIL, PY_SELENIUM, ROOT, TSHARK,
};
use common::text::TextRun;
use common::{run, spawn_server, text};
use squirrel::http::Url;
use squirrel::lessons::{l01_plain_http, l07_mutual_tls, LessonError};
use squirrel::server::{Server, ServerHandle, Transport};
use squirrel::tap::Tap;
use squirrel::tls::{self, TlsError, TrustFailure};

/// The lesson's acceptor over development certificates made in `certs`.
fn acceptor(certs: &Path) -> openssl::ssl::SslAcceptor {
    squirrel::pki::ensure_dev_pki(certs).unwrap();
    tls::server_acceptor(
        &certs.join("server.crt"),
        &certs.join("server.key"),
        Some(&certs.join("ca.crt")),
    )
    .unwrap()
}

fn start(certs: &Path) -> ServerHandle {
    let acceptor = acceptor(certs);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    Server::new(
        "mtls",
        listener,
        Transport::OpenSsl(acceptor),
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap()
}

fn with_a_client_certificate_the_secret_arrives_and_stays_off_the_wire() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path();
    let server = start(certs);
    let tap = Tap::start("127.0.0.1:0", server.addr()).unwrap();
    let url = Url::parse(&format!("https://{}/", tap.addr())).unwrap();
    let identity = (certs.join("client.crt"), certs.join("client.key"));
    let secret = l07_mutual_tls::fetch(
        &url,
        &certs.join("ca.crt"),
        Some((&identity.0, &identity.1)),
    )
    .unwrap();
    assert_eq!(secret, "fluffy tail");
    assert!(!tap.saw(b"fluffy tail"));
}

fn without_a_client_certificate_the_server_refuses_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let url = Url::parse(&format!("https://127.0.0.1:{}/", server.addr().port())).unwrap();
    let err = l07_mutual_tls::fetch(&url, &dir.path().join("ca.crt"), None).unwrap_err();
    assert_eq!(
        refusal(&err),
        Some(TrustFailure::NoClientCertificate),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("a client certificate is required and none was sent ("),
        "{err}"
    );
}

/// The certificate refusal a lesson client met, in the handshake or at the first read.
fn refusal(e: &LessonError) -> Option<TrustFailure> {
    match e {
        LessonError::Tls(TlsError::Handshake { failure, .. } | TlsError::Refused(failure)) => {
            failure.trust()
        }
        _ => None,
    }
}

fn a_client_certificate_from_another_ca_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(&dir.path().join("ours"));
    let theirs = dir.path().join("theirs");
    squirrel::pki::ensure_dev_pki(&theirs).unwrap();
    let url = Url::parse(&format!("https://127.0.0.1:{}/", server.addr().port())).unwrap();
    let err = l07_mutual_tls::fetch(
        &url,
        &dir.path().join("ours/ca.crt"),
        Some((&theirs.join("client.crt"), &theirs.join("client.key"))),
    )
    .unwrap_err();
    assert_eq!(refusal(&err), Some(TrustFailure::OurCaUnknown), "{err}");
}

fn serve_and_fetch_commands_as_the_text_shows() {
    let (dir, _server, url) = mtls_server();
    let out = run(dir.path(), &["7", "fetch", "--url", &url], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("client certificate is required")
            && err.contains("hint: present a client certificate"),
        "{err}"
    );
    let out = run(
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
    assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
}

fn openssl_s_client_needs_the_client_certificate_and_speaks_tls_1_3() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path();
    let server = start(certs);
    let connect = format!("127.0.0.1:{}", server.addr().port());
    // -ign_eof: send the request from stdin, then keep reading until the server closes.
    let s_client = |extra: &[&str]| {
        let mut child = OPENSSL
            .command()
            .args([
                "s_client", "-connect", &connect, "-tls1_3", "-ign_eof", "-CAfile",
            ])
            .arg(certs.join("ca.crt"))
            .args(extra)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"GET / HTTP/1.1\r\n\r\n")
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let cert = certs.join("client.crt");
    let key = certs.join("client.key");
    let out = s_client(&[
        "-cert",
        cert.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("TLSv1.3"), "{stdout}");
    assert!(stdout.contains("\r\n\r\nfluffy tail"), "{stdout}");
    // Without one, the server's alert arrives (at the first read, in TLS 1.3).
    let out = s_client(&[]);
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("certificate required"), "{all}");
}

fn a_resumed_session_is_reused_and_still_carries_the_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path();
    let acceptor = acceptor(certs);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let connect = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    // The server side of two connections: was the session resumed, and whose
    // certificate does the server see?
    let server = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..2 {
            let (tcp, _) = listener.accept().unwrap();
            let mut ssl = acceptor.accept(tcp).unwrap();
            let mut request = [0u8; 64];
            let _ = std::io::Read::read(&mut ssl, &mut request);
            let client = ssl.ssl().peer_certificate().map(|cert| {
                let cn = cert
                    .subject_name()
                    .entries_by_nid(openssl::nid::Nid::COMMONNAME)
                    .next()
                    .unwrap();
                cn.data().to_string().unwrap()
            });
            seen.push((ssl.ssl().session_reused(), client));
            let reply =
                b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nfluffy tail";
            std::io::Write::write_all(&mut ssl, reply).unwrap();
            let _ = ssl.shutdown();
        }
        seen
    });
    let session = certs.join("session.pem");
    let s_client = |sess: &str| {
        let mut child = OPENSSL
            .command()
            .args(["s_client", "-connect", &connect, "-ign_eof", "-CAfile"])
            .arg(certs.join("ca.crt"))
            .arg("-cert")
            .arg(certs.join("client.crt"))
            .arg("-key")
            .arg(certs.join("client.key"))
            .arg(sess)
            .arg(&session)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        text(&out.stdout) + &text(&out.stderr)
    };
    let first = s_client("-sess_out");
    assert!(first.contains("New, TLSv1.3"), "{first}");
    let second = s_client("-sess_in");
    assert!(second.contains("Reused, TLSv1.3"), "{second}");
    assert!(second.contains("fluffy tail"), "{second}");
    assert!(!second.contains("alert"), "{second}");
    assert_eq!(
        server.join().unwrap(),
        vec![
            (false, Some("client".to_string())),
            (true, Some("client".to_string()))
        ]
    );
}

fn each_side_sends_its_own_certificate_and_not_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path();
    let acceptor = acceptor(certs);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // On a server, OpenSSL's peer chain is what the client sent after its own
    // certificate: empty unless the client added the CA.
    let server = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let ssl = acceptor.accept(tcp).unwrap();
        ssl.ssl().peer_cert_chain().map_or(0, |chain| chain.len())
    });
    let connector = tls::client_connector(
        &certs.join("ca.crt"),
        Some((&certs.join("client.crt"), &certs.join("client.key"))),
    )
    .unwrap();
    let client = tls::connect(
        &connector,
        "127.0.0.1",
        port,
        std::time::Duration::from_secs(10),
    )
    .unwrap();
    // On a client, the peer chain is everything the server sent, its own certificate first.
    let from_server = client.ssl().peer_cert_chain().unwrap();
    assert_eq!(from_server.len(), 1, "the server sent more than server.crt");
    assert_eq!(
        from_server[0].to_der().unwrap(),
        openssl::x509::X509::from_pem(&std::fs::read(certs.join("server.crt")).unwrap())
            .unwrap()
            .to_der()
            .unwrap()
    );
    assert_eq!(
        server.join().unwrap(),
        0,
        "the client sent more than client.crt"
    );
}

/// `squirrel mtls fetch --url URL ARGS…` in `dir`.
fn fetch(dir: &Path, url: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["mtls", "fetch", "--url", url];
    all.extend_from_slice(args);
    run(dir, &all, &[])
}

/// `squirrel mtls serve` over development certificates in a fresh folder's `certs/`;
/// the folder, the server, and its URL.
fn mtls_server() -> (tempfile::TempDir, common::Spawned, String) {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    let server = spawn_server(dir.path(), &["mtls", "serve", "--addr", "127.0.0.1:0"], &[]);
    let url = format!("https://localhost:{}/", server.port);
    (dir, server, url)
}

/// The `--flag value` pairs of a hint line, as arguments.
fn hinted_args(stderr: &str) -> Vec<String> {
    let hint = stderr
        .lines()
        .find_map(|l| l.strip_prefix("hint: "))
        .unwrap();
    let flags = &hint[hint.find("--").unwrap()..];
    flags.split_whitespace().map(str::to_string).collect()
}

fn a_key_of_another_certificate_is_named_in_plain_words_with_a_hint_that_works() {
    let (dir, _server, url) = mtls_server();
    let out = fetch(
        dir.path(),
        &url,
        &["--cert", "certs/client.crt", "--key", "certs/server.key"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(
        err,
        "error: certs/server.key is not the private key of the certificate certs/client.crt (they were not made together)\n\
         hint: use the key made with it: --cert certs/client.crt --key certs/client.key\n"
    );
    let hinted = hinted_args(&err);
    let hinted: Vec<&str> = hinted.iter().map(String::as_str).collect();
    let out = fetch(dir.path(), &url, &hinted);
    assert!(
        out.status.success(),
        "the hint failed: {}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
}

fn without_the_key_beside_it_the_hint_makes_a_new_pair_and_that_works() {
    let (dir, _server, url) = mtls_server();
    let certs = dir.path().join("certs");
    std::fs::rename(certs.join("client.key"), certs.join("lost.key")).unwrap();
    let out = fetch(
        dir.path(),
        &url,
        &["--cert", "certs/client.crt", "--key", "certs/server.key"],
    );
    let err = text(&out.stderr);
    assert_eq!(
        err,
        "error: certs/server.key is not the private key of the certificate certs/client.crt (they were not made together)\n\
         hint: make a new certificate and key together: squirrel ca issue --name client --client --force\n"
    );
    let out = run(
        dir.path(),
        &["ca", "issue", "--name", "client", "--client", "--force"],
        &[],
    );
    assert!(
        out.status.success(),
        "the hint failed: {}",
        text(&out.stderr)
    );
    let out = fetch(
        dir.path(),
        &url,
        &["--cert", "certs/client.crt", "--key", "certs/client.key"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn a_server_certificate_as_client_certificate_is_refused_in_plain_words() {
    let (dir, _server, url) = mtls_server();
    let out = fetch(
        dir.path(),
        &url,
        &["--cert", "certs/server.crt", "--key", "certs/server.key"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: the other side refused our certificate as not meant for this use: its extended key usage must say clientAuth for a client, serverAuth for a server (sslv3 alert unsupported certificate)\n\
         hint: present a client certificate (made with --client, e.g. squirrel ca issue --name client --client): --cert certs/client.crt --key certs/client.key\n"
    );
}

fn chromium_with_the_imported_p12_opens_lesson07_and_without_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let certs_arg = certs.to_str().unwrap();
    common::ok(&run(dir.path(), &["ca", "init", "--dir", certs_arg], &[]));
    common::ok(&run(
        dir.path(),
        &["ca", "issue", "--server", "--dir", certs_arg],
        &[],
    ));
    common::ok(&run(
        dir.path(),
        &[
            "ca",
            "issue",
            "--client",
            "--p12-password-env",
            "P12",
            "--dir",
            certs_arg,
        ],
        &[("P12", "acorns")],
    ));
    let server = Server::new(
        "mtls",
        TcpListener::bind("127.0.0.1:0").unwrap(),
        Transport::OpenSsl(
            tls::server_acceptor(
                &certs.join("server.crt"),
                &certs.join("server.key"),
                Some(&certs.join("ca.crt")),
            )
            .unwrap(),
        ),
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap();
    let origin = format!("https://localhost:{}", server.addr().port());
    // Headless Chromium cannot show the certificate chooser: the policy picks ours.
    let _policy = ChromiumPolicy::write(&serde_json::json!({
        "AutoSelectCertificateForUrls": [serde_json::json!({
            "pattern": origin,
            "filter": {"ISSUER": {"CN": "Squirrel Local CA"}},
        })
        .to_string()]
    }));

    // With the client certificate imported as lesson 07 says (NSS's pk12util).
    let with = dir.path().join("with");
    nss_trust(&with, &certs, true);
    let out = PK12UTIL
        .command()
        .arg("-d")
        .arg(format!("sql:{}", with.join(".pki/nssdb").display()))
        .args(["-W", "acorns", "-i"])
        .arg(certs.join("client.p12"))
        .output()
        .unwrap();
    assert!(out.status.success(), "pk12util: {}", text(&out.stderr));
    let mut browser = Browser::start(&BrowserOptions::new(&with));
    browser.get(&format!("{origin}/")).unwrap();
    assert_eq!(browser.text(), "fluffy tail");
    drop(browser);

    // The CA trusted, but no client certificate: the server refuses the handshake.
    let without = dir.path().join("without");
    nss_trust(&without, &certs, true);
    let mut browser = Browser::start(&BrowserOptions::new(&without));
    let refused = browser.get(&format!("{origin}/")).unwrap_err();
    // Which one depends on when Chromium reads the server's alert.
    assert!(
        [
            "net::ERR_BAD_SSL_CLIENT_AUTH_CERT",
            "net::ERR_SOCKET_NOT_CONNECTED"
        ]
        .contains(&net_error(&refused)),
        "{refused}"
    );
}

const TEXT: &str = "lessons/07-mutual-tls.md";

/// The text, with the line a test cannot run as written named.
fn text_run() -> TextRun {
    TextRun::new(TEXT).left_to_the_reader(
        "pk12util",
        "it asks for the .p12 password on the terminal; the Chromium test of this file imports the same file with pk12util -W",
    )
}

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    text_run().commands();
}

fn the_capture_section_finds_one_ticket_and_the_certificate_request_live() {
    TextRun::new(TEXT).setup(text::certificates).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    text_run().in_french().commands();
}

fn the_french_text_capture_section_finds_one_ticket_and_the_certificate_request_live() {
    TextRun::new(TEXT)
        .in_french()
        .setup(text::certificates)
        .capture();
}

test_main! {
    with_a_client_certificate_the_secret_arrives_and_stays_off_the_wire: [],
    without_a_client_certificate_the_server_refuses_and_says_so: [],
    a_client_certificate_from_another_ca_is_refused: [],
    serve_and_fetch_commands_as_the_text_shows: [],
    openssl_s_client_needs_the_client_certificate_and_speaks_tls_1_3: [OPENSSL],
    a_resumed_session_is_reused_and_still_carries_the_client_certificate: [OPENSSL],
    each_side_sends_its_own_certificate_and_not_the_ca: [],
    a_key_of_another_certificate_is_named_in_plain_words_with_a_hint_that_works: [],
    without_the_key_beside_it_the_hint_makes_a_new_pair_and_that_works: [],
    a_server_certificate_as_client_certificate_is_refused_in_plain_words: [],
    chromium_with_the_imported_p12_opens_lesson07_and_without_it_is_refused: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL, PK12UTIL, ROOT],
    every_command_of_the_text_runs_and_prints_what_it_shows: [],
    the_capture_section_finds_one_ticket_and_the_certificate_request_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [],
    the_french_text_capture_section_finds_one_ticket_and_the_certificate_request_live: [TSHARK, LIVE_CAPTURE],
}
