//! The server's logs, even at debug level, hold no password, no key, no whole session
//! id and no file content: a log file is often shared, copied and kept.

mod common;

use std::time::Duration;

use base64::Engine;
use squirrel::vault::client::VaultClient;
use squirrel::vault::keys::{KdfParams, MasterKey};

#[test]
fn debug_logs_hold_no_password_key_session_id_or_file_content() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    // A member of our own: the demo users' passwords are printed on purpose.
    let add = common::run(
        dir.path(),
        &["vault", "adduser", "nutkin"],
        &[("SQUIRREL_PASSWORD", "hazel-7731")],
    );
    assert!(add.status.success());
    let server = common::spawn_server_logging(
        dir.path(),
        &["vault", "serve", "--port", "0"],
        &[("RUST_LOG", "debug")],
        std::fs::File::create(&log_path).unwrap(),
    );
    let port = server.port;

    let secret_content = "the acorns are under the third oak";
    let client = VaultClient::new(
        &format!("127.0.0.1:{port}"),
        &dir.path().join("certs"),
        Duration::from_secs(30),
    )
    .unwrap();
    let session = client.login("nutkin", "hazel-7731").unwrap();
    let archive = client
        .upload_bytes(&session, "hideout.txt", secret_content.as_bytes())
        .unwrap();
    client.list(&session).unwrap();
    client
        .download(&session, &archive, &dir.path().join("downloads"))
        .unwrap();
    let _ = client.login("nutkin", "not-the-password-42");
    client.logout(&session).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    drop(server);

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("logged in"),
        "the log should still tell what happened:\n{log}"
    );
    assert!(
        log.contains(&session.session_id[..8]),
        "a session is followed by its first characters"
    );
    let users: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("vault-data/users.json")).unwrap())
            .unwrap();
    let record = &users["users"]["nutkin"];
    let params = KdfParams {
        algorithm: "pbkdf2-sha256".into(),
        salt: record["salt"].as_str().unwrap().into(),
        iterations: record["iterations"].as_u64().unwrap() as u32,
    };
    let master = MasterKey::derive("hazel-7731", &params).unwrap();
    let archive_key = master.archive_key().unwrap();
    let verifier = base64::engine::general_purpose::STANDARD.encode(master.verifier().unwrap());
    let forbidden = [
        ("password", "hazel-7731"),
        ("wrong password", "not-the-password-42"),
        ("whole session id", session.session_id.as_str()),
        ("archive key", archive_key.as_fernet_key()),
        ("verifier", verifier.as_str()),
        ("file content", secret_content),
    ];
    for (what, text) in forbidden {
        assert!(!log.contains(text), "the log holds the {what}:\n{log}");
    }
}
