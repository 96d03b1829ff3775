//! Who may connect, who may see what, and what the archives on disk really are.

mod common;

use std::path::Path;
use std::time::Duration;

use common::prereq::{PYTHON3, PY_CRYPTOGRAPHY};
use common::{random_bytes, TestVault};
use squirrel::tls;
use squirrel::vault::archive;
use squirrel::vault::client::ClientError;
use squirrel::vault::keys::{KdfParams, MasterKey};

fn second_user_cannot_list_or_fetch_first_users_archives() {
    let vault = TestVault::start();
    let (client, alice) = vault.login("user1", "password1");
    let archive = client
        .upload_bytes(&alice, "diary.txt", b"fluffy tail")
        .unwrap();
    let bob = client.login("user2", "password2").unwrap();

    assert!(
        client.list(&bob).unwrap().is_empty(),
        "user2 sees user1's archives"
    );
    for result in [
        client.fetch(&bob, &archive),
        client.fetch_json(&bob, &archive),
    ] {
        match result {
            Err(ClientError::Server { status: 404, .. }) => {}
            other => panic!("user2 fetched user1's archive: {other:?}"),
        }
    }
    // Not even by walking up the tree.
    let sneaky = format!("../user1/{archive}");
    assert!(matches!(
        client.fetch(&bob, &sneaky),
        Err(ClientError::Server { status: 400, .. })
    ));
    assert_eq!(client.list(&alice).unwrap(), vec![archive]);
}

fn hostile_file_names_are_refused_and_nothing_lands_outside_the_data_folder() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    for name in [
        "../escape.txt",
        "../../escape.txt",
        "/etc/escape",
        "a/b.txt",
        "a\\b.txt",
        "bell\u{7}.txt",
        "nl\n.txt",
        ".",
        "..",
        "",
    ] {
        // Through the raw protocol, bypassing the client's own check.
        let reply = vault.exchange(
            format!(
                "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: {name}\r\nContent-Length: 1\r\n\r\nx",
                session.session_id
            )
            .as_bytes(),
        );
        assert!(
            reply.starts_with("HTTP/1.1 400"),
            "{name:?} was accepted: {reply}"
        );
        // And the client refuses them before sending.
        let err = client.upload_bytes(&session, name, b"x").unwrap_err();
        assert!(
            matches!(
                err,
                squirrel::vault::client::ClientError::Archive(
                    squirrel::vault::archive::ArchiveError::BadName(_)
                )
            ),
            "{name:?}: {err}"
        );
    }
    assert!(!vault.dir.path().join("escape.txt").exists());
    assert!(!vault.data.join("escape.txt").exists());
    assert!(!vault.data.join("archives/escape.txt").exists());
    let mut files = Vec::new();
    collect_files(&vault.data, &mut files);
    assert_eq!(
        files,
        vec![vault.data.join("users.json")],
        "unexpected files: {files:?}"
    );
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn wrong_password_is_401() {
    let vault = TestVault::start();
    match vault.client().login("user1", "password2") {
        Err(e @ ClientError::Server { status: 401, .. }) => assert!(e.hint().is_some()),
        other => panic!("expected 401, got {other:?}"),
    }
}

/// Connects with `connector` and asks for `/get-files`: the handshake's error, or
/// whatever bytes the server sent back (nothing, when it refused us).
fn ask_for_files(
    connector: &openssl::ssl::SslConnector,
    port: u16,
) -> Result<Vec<u8>, tls::TlsError> {
    use std::io::{Read, Write};
    let mut stream = tls::connect(connector, "127.0.0.1", port, Duration::from_secs(10))?;
    let _ = stream.write_all(b"GET /get-files HTTP/1.1\r\n\r\n");
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    Ok(reply)
}

fn no_client_certificate_means_no_connection() {
    let vault = TestVault::start();
    let connector = tls::client_connector(&vault.certs.join("ca.crt"), None).unwrap();
    // With TLS 1.3 the refusal may come at the handshake or at the first read.
    let outcome = ask_for_files(&connector, vault.port);
    match outcome {
        Err(e) => assert!(e.to_string().contains("handshake"), "{e}"),
        Ok(reply) => assert!(
            reply.is_empty(),
            "the server answered without a client certificate: {reply:?}"
        ),
    }
}

fn client_certificate_from_another_ca_is_refused() {
    let vault = TestVault::start();
    let other = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(other.path()).unwrap();
    let connector = tls::client_connector(
        &vault.certs.join("ca.crt"),
        Some((
            &other.path().join("client.crt"),
            &other.path().join("client.key"),
        )),
    )
    .unwrap();
    let outcome = ask_for_files(&connector, vault.port);
    if let Ok(reply) = outcome {
        assert!(
            reply.is_empty(),
            "the server answered a stranger's certificate: {reply:?}"
        );
    }
}

fn client_refuses_a_server_signed_by_another_ca() {
    let vault = TestVault::start();
    let other = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(other.path()).unwrap();
    // The client trusts another CA (but presents a certificate the server accepts).
    std::fs::copy(
        vault.certs.join("client.crt"),
        other.path().join("client.crt"),
    )
    .unwrap();
    std::fs::copy(
        vault.certs.join("client.key"),
        other.path().join("client.key"),
    )
    .unwrap();
    let client = squirrel::vault::client::VaultClient::new(
        &vault.server(),
        other.path(),
        Duration::from_secs(10),
    )
    .unwrap();
    let err = client.login("user1", "password1").unwrap_err();
    assert!(
        err.to_string().contains("not signed by a CA you trust"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("ca.crt"));
}

fn archive_on_disk_is_fernet_over_zip_with_the_documented_keys() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let text = "fluffy tail\n".repeat(1000);
    let archive = client
        .upload_bytes(&session, "message.txt", text.as_bytes())
        .unwrap();
    let random = random_bytes(100_000);
    let photo = client.upload_bytes(&session, "photo.jpg", &random).unwrap();

    // In Rust, from users.json and the file alone: PBKDF2 → HKDF → Fernet → ZIP.
    let users: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vault.data.join("users.json")).unwrap()).unwrap();
    let record = &users["users"]["user1"];
    assert!(record.get("password").is_none());
    let params = KdfParams {
        algorithm: "pbkdf2-sha256".into(),
        salt: record["salt"].as_str().unwrap().into(),
        iterations: record["iterations"].as_u64().unwrap() as u32,
    };
    let key = MasterKey::derive("password1", &params)
        .unwrap()
        .archive_key()
        .unwrap();
    let token = std::fs::read(vault.data.join("archives/user1").join(&archive)).unwrap();
    assert!(token.starts_with(b"gAAAAA"), "not a Fernet token");
    let (name, content) = archive::open(&token, &key, u64::MAX).unwrap();
    assert_eq!(
        (name.as_str(), content.as_slice()),
        ("message.txt", text.as_bytes())
    );

    // And independently, with Python's cryptography and zipfile.
    let out = vault.dir.path().join("python-out");
    for (archive, name, method, expected) in [
        (&archive, "message.txt", "deflated", text.as_bytes()),
        (&photo, "photo.jpg", "stored", random.as_slice()),
    ] {
        let output = PYTHON3
            .command()
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/python/open_archive.py"
            ))
            .args([
                vault.data.as_os_str(),
                "user1".as_ref(),
                "password1".as_ref(),
                archive.as_ref(),
                out.as_os_str(),
            ])
            .output()
            .expect("python3 runs");
        assert!(
            output.status.success(),
            "python3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            format!("{name}\n{method}\n")
        );
        assert_eq!(std::fs::read(out.join(name)).unwrap(), expected);
    }
}

test_main! {
    second_user_cannot_list_or_fetch_first_users_archives: [],
    hostile_file_names_are_refused_and_nothing_lands_outside_the_data_folder: [],
    wrong_password_is_401: [],
    no_client_certificate_means_no_connection: [],
    client_certificate_from_another_ca_is_refused: [],
    client_refuses_a_server_signed_by_another_ca: [],
    archive_on_disk_is_fernet_over_zip_with_the_documented_keys: [PYTHON3, PY_CRYPTOGRAPHY],
}
