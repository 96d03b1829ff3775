//! Our TLS servers judged by a tool that knows nothing of them: sslyze (PyPI), with
//! `--mozilla_config=intermediate`, scans `mtls serve`, `vault serve` and `web-chat
//! serve` as an auditor would, with the client certificate where one is required, and
//! any finding fails: a profile rule broken (protocols, suites, curves, certificate
//! lifetime…), a known attack that works (Heartbleed, CCS injection, ROBOT, client
//! renegotiation), compression, a chain that does not verify against the test's CA.
//!
//! The key-exchange groups (`tls::GROUPS`) are also checked without sslyze, both ways:
//! our servers refuse a client offering only other groups, and our clients offer no
//! other group to a server.
//!
//! Run: `cargo test --test tls_audit` (sslyze: `bash .ci/run` installs it in `.ci/venv`).

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::prereq::SSLYZE;
use common::{spawn_server, text, Spawned};
use openssl::nid::Nid;
use openssl::pkey::Id;
use openssl::ssl::{SslAcceptor, SslConnector, SslFiletype, SslMethod, SslVerifyMode, SslVersion};
use serde_json::Value;
use squirrel::lessons::l01_plain_http;
use squirrel::server::{Server, Transport};
use squirrel::tls;

/// sslyze's verdict on `127.0.0.1:port`: every finding, in words (empty: none), and
/// its console report to show when there are some.
fn sslyze(dir: &Path, port: u16, client_certificate: bool) -> (Vec<String>, String) {
    let target = format!("127.0.0.1:{port}");
    let json = dir.join("sslyze.json");
    let mut command = SSLYZE.command();
    command
        .current_dir(dir)
        .args(["--mozilla_config=intermediate", "--certinfo_ca_file"])
        .arg(dir.join("certs/ca.crt"))
        .arg("--json_out")
        .arg(&json);
    if client_certificate {
        command
            .arg("--cert")
            .arg(dir.join("certs/client.crt"))
            .arg("--key")
            .arg(dir.join("certs/client.key"));
    }
    let out = command.arg(&target).output().unwrap();
    let report = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let mut findings = Vec::new();
    // sslyze exits with 1 when a server breaks the profile, but with 0 when it could not
    // reach it at all: the compliance line is what says the scan ran and passed.
    if !out.status.success() {
        findings.push(format!("sslyze exited with {:?}", out.status.code()));
    }
    if !report.contains(&format!("{target}: OK - Compliant.")) {
        findings.push("not compliant with Mozilla's intermediate profile".into());
    }
    let Ok(json) = std::fs::read_to_string(&json) else {
        findings.push("sslyze wrote no JSON report".into());
        return (findings, report);
    };
    let json: Value = serde_json::from_str(&json).unwrap();
    let server = &json["server_scan_results"][0];
    for field in ["connectivity_status", "scan_status"] {
        if server[field] != "COMPLETED" {
            findings.push(format!("{field}: {}", server[field]));
        }
    }
    let scans = &server["scan_result"];
    for (name, scan) in scans.as_object().into_iter().flatten() {
        if !matches!(scan["status"].as_str(), Some("COMPLETED" | "NOT_SCHEDULED")) {
            findings.push(format!(
                "the {name} scan did not complete: {}",
                scan["status"]
            ));
        }
    }
    let result = |scan: &str, field: &str| scans[scan]["result"][field].clone();
    let expect = |findings: &mut Vec<String>, scan: &str, field: &str, wanted: Value| {
        let got = result(scan, field);
        if got != wanted {
            findings.push(format!("{scan}.{field} is {got}, not {wanted}"));
        }
    };
    for old in [
        "ssl_2_0_cipher_suites",
        "ssl_3_0_cipher_suites",
        "tls_1_0_cipher_suites",
        "tls_1_1_cipher_suites",
    ] {
        expect(&mut findings, old, "is_tls_version_supported", false.into());
    }
    for current in ["tls_1_2_cipher_suites", "tls_1_3_cipher_suites"] {
        expect(
            &mut findings,
            current,
            "is_tls_version_supported",
            true.into(),
        );
    }
    expect(
        &mut findings,
        "heartbleed",
        "is_vulnerable_to_heartbleed",
        false.into(),
    );
    expect(
        &mut findings,
        "openssl_ccs_injection",
        "is_vulnerable_to_ccs_injection",
        false.into(),
    );
    expect(
        &mut findings,
        "tls_compression",
        "supports_compression",
        false.into(),
    );
    expect(
        &mut findings,
        "tls_fallback_scsv",
        "supports_fallback_scsv",
        true.into(),
    );
    expect(
        &mut findings,
        "session_renegotiation",
        "is_vulnerable_to_client_renegotiation_dos",
        false.into(),
    );
    expect(
        &mut findings,
        "session_renegotiation",
        "supports_secure_renegotiation",
        true.into(),
    );
    expect(
        &mut findings,
        "tls_extended_master_secret",
        "supports_ems_extension",
        true.into(),
    );
    let robot = result("robot", "robot_result");
    if !robot
        .as_str()
        .is_some_and(|r| r.starts_with("NOT_VULNERABLE"))
    {
        findings.push(format!("ROBOT: {robot}"));
    }
    let curves: Vec<&str> = scans["elliptic_curves"]["result"]["supported_curves"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    if curves != ["X25519", "secp256r1", "secp384r1"] {
        findings.push(format!("curves offered: {curves:?}"));
    }
    let deployment = &result("certificate_info", "certificate_deployments")[0];
    let trusted_by_our_ca = deployment["path_validation_results"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| {
            p["trust_store"]["name"] == "Supplied CA file" && p["was_validation_successful"] == true
        });
    if !trusted_by_our_ca {
        findings.push("the chain does not verify against the test's ca.crt".into());
    }
    if deployment["received_chain_has_valid_order"] != true {
        findings.push("the chain the server sends is out of order".into());
    }
    (findings, report)
}

fn assert_no_findings(dir: &Path, server: &Spawned, client_certificate: bool) {
    let (findings, report) = sslyze(dir, server.port, client_certificate);
    assert!(
        findings.is_empty(),
        "sslyze found:\n  {}\n\n{report}",
        findings.join("\n  ")
    );
}

fn mtls_serve_meets_mozilla_intermediate_by_sslyze() {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
    let server = spawn_server(dir.path(), &["mtls", "serve", "--addr", "127.0.0.1:0"], &[]);
    assert_no_findings(dir.path(), &server, true);
}

fn vault_serve_meets_mozilla_intermediate_by_sslyze() {
    let dir = tempfile::tempdir().unwrap();
    // It makes its development CA, server and client certificates in certs/.
    let server = spawn_server(dir.path(), &["vault", "serve", "--port", "0"], &[]);
    assert_no_findings(dir.path(), &server, true);
}

fn web_chat_serve_meets_mozilla_intermediate_by_sslyze() {
    let dir = tempfile::tempdir().unwrap();
    // A browser chat asks for no client certificate: the scan goes without one.
    let server = spawn_server(
        dir.path(),
        &["web-chat", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    assert_no_findings(dir.path(), &server, false);
}

/// The group of the key exchange a client offering `groups` (in that order of
/// preference), at most TLS `max`, ends up with against our mutual-TLS server at `port`.
fn group_agreed(certs: &Path, port: u16, groups: &str, max: SslVersion) -> String {
    let mut builder = SslConnector::builder(SslMethod::tls_client()).unwrap();
    builder.set_ca_file(certs.join("ca.crt")).unwrap();
    builder
        .set_certificate_chain_file(certs.join("client.crt"))
        .unwrap();
    builder
        .set_private_key_file(certs.join("client.key"), SslFiletype::PEM)
        .unwrap();
    builder.set_groups_list(groups).unwrap();
    builder.set_max_proto_version(Some(max)).unwrap();
    let tcp = squirrel::net::connect("127.0.0.1", port, Duration::from_secs(10)).unwrap();
    let stream = builder
        .build()
        .connect("127.0.0.1", tcp)
        .unwrap_or_else(|e| panic!("offering {groups} ({max:?}): {e}"));
    let key = stream.ssl().peer_tmp_key().unwrap();
    match key.id() {
        Id::X25519 => "X25519".into(),
        Id::X448 => "X448".into(),
        Id::EC => match key.ec_key().unwrap().group().curve_name() {
            Some(Nid::X9_62_PRIME256V1) => "P-256".into(),
            Some(Nid::SECP384R1) => "P-384".into(),
            Some(Nid::SECP521R1) => "P-521".into(),
            other => format!("{other:?}"),
        },
        other => format!("{other:?}"),
    }
}

/// Whether our client (`tls::client_connector`) completes a handshake, at most TLS
/// `max`, with a bare OpenSSL server that accepts only `group`.
fn our_client_agrees_with(certs: &Path, group: &str, max: SslVersion) -> bool {
    let mut builder = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).unwrap();
    builder
        .set_certificate_chain_file(certs.join("server.crt"))
        .unwrap();
    builder
        .set_private_key_file(certs.join("server.key"), SslFiletype::PEM)
        .unwrap();
    builder.set_verify(SslVerifyMode::NONE);
    builder.set_groups_list(group).unwrap();
    builder.set_max_proto_version(Some(max)).unwrap();
    let acceptor = builder.build();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        acceptor.accept(tcp).is_ok()
    });
    let connector = tls::client_connector(&certs.join("ca.crt"), None).unwrap();
    let client = tls::connect(&connector, "127.0.0.1", port, Duration::from_secs(10)).is_ok();
    let accepted = server.join().unwrap();
    client && accepted
}

fn the_key_exchange_uses_only_x25519_p256_and_p384_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    squirrel::pki::ensure_dev_pki(&certs).unwrap();
    let acceptor = tls::server_acceptor(
        &certs.join("server.crt"),
        &certs.join("server.key"),
        Some(&certs.join("ca.crt")),
    )
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = Server::new(
        "mtls",
        listener,
        Transport::OpenSsl(acceptor),
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap();
    let port = server.addr().port();
    assert_eq!(tls::GROUPS, "X25519:P-256:P-384");
    for max in [SslVersion::TLS1_2, SslVersion::TLS1_3] {
        // The client's first choice wins when the server takes it; otherwise they fall
        // back to P-256 (in TLS 1.2 a client must offer P-256 anyway: it is the curve of
        // the server's ECDSA key, RFC 8422 §5.1).
        for (offered, agreed) in [
            ("X25519:P-256", "X25519"),
            ("P-256", "P-256"),
            ("P-384:P-256", "P-384"),
            ("X448:P-256", "P-256"),
            ("P-521:P-256", "P-256"),
            ("ffdhe2048:P-256", "P-256"),
        ] {
            assert_eq!(
                group_agreed(&certs, port, offered, max),
                agreed,
                "a client offering {offered} ({max:?})"
            );
        }
        for group in ["X25519", "P-256", "P-384"] {
            assert!(
                our_client_agrees_with(&certs, group, max),
                "our client does not offer {group} ({max:?})"
            );
        }
        for group in ["X448", "P-521", "ffdhe2048"] {
            assert!(
                !our_client_agrees_with(&certs, group, max),
                "our client offers {group} ({max:?})"
            );
        }
    }
}

test_main! {
    mtls_serve_meets_mozilla_intermediate_by_sslyze: [SSLYZE],
    vault_serve_meets_mozilla_intermediate_by_sslyze: [SSLYZE],
    web_chat_serve_meets_mozilla_intermediate_by_sslyze: [SSLYZE],
    the_key_exchange_uses_only_x25519_p256_and_p384_both_ways: [],
}
