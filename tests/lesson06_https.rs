//! Lesson 06: the same server behind TLS; the client must trust the squirrels' CA.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use common::prereq::{CURL, OPENSSL};
use common::{run, run_within, spawn_server, text};
use squirrel::http::Url;
use squirrel::lessons::{l01_plain_http, l06_https};
use squirrel::server::{Server, ServerHandle, Transport};
use squirrel::tap::{Direction, Tap};

fn start(certs: &Path) -> ServerHandle {
    squirrel::pki::ensure_dev_pki(certs).unwrap();
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

fn serve_and_fetch_commands_as_the_text_shows() {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    let server = spawn_server(
        dir.path(),
        &["https", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("https://localhost:{}/", server.port);
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
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("other")).unwrap();
    let server = spawn_server(
        dir.path(),
        &["https", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("https://localhost:{}/", server.port);
    let out = run(
        dir.path(),
        &["https", "fetch", "--url", &url, "--cacert", "other/ca.crt"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: TLS handshake with localhost:{} failed: the server's certificate is not signed by the CA you gave (other/ca.crt): it was signed by another CA (unable to get local issuer certificate)\n\
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

test_main! {
    fluffy_tail_is_not_on_the_wire_only_tls_records: [],
    without_cacert_the_client_refuses_our_ca_in_plain_words: [],
    curl_agrees_with_and_without_cacert: [CURL],
    tls_below_1_2_is_refused_and_1_2_works: [OPENSSL],
    serve_and_fetch_commands_as_the_text_shows: [],
    serve_checks_at_start_that_the_key_is_the_certificates: [],
    without_a_server_certificate_the_hint_makes_only_what_is_missing_and_works: [],
    fetch_with_another_ca_says_the_ca_given_did_not_sign_the_certificate: [],
    fetch_from_a_plain_http_server_says_it_does_not_speak_tls_with_the_reason: [],
}
