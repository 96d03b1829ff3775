//! Every request row of the wire protocol (lesson 08's text, "The wire protocol"), errors
//! included, over raw mutual TLS.

mod common;

use std::io::{Read, Write};

use common::prereq::CURL;
use common::{json, status, TestVault};

fn login_raw(vault: &TestVault, user: &str, password: &str) -> String {
    let body = format!(r#"{{"username": "{user}", "password": "{password}"}}"#);
    let reply = vault.exchange(
        format!("POST /login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len())
            .as_bytes(),
    );
    assert_eq!(status(&reply), 200, "{reply}");
    json(&reply)["session_id"].as_str().unwrap().to_string()
}

fn python_client_bytes_written_one_at_a_time_work() {
    let vault = TestVault::start();
    // As the original Python client did: no Host header, the bare session id, the raw
    // file as the body; here dripped one byte (one TLS record) at a time.
    let session = login_raw(&vault, "user1", "password1");
    let body = b"fluffy tail";
    let mut request = format!(
        "POST /upload-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: message.txt\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    let mut stream = vault.raw();
    for byte in &request {
        stream.write_all(&[*byte]).unwrap();
        stream.flush().unwrap();
    }
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8(reply).unwrap();
    assert_eq!(status(&reply), 200, "{reply}");
    assert!(reply.contains("Connection: close\r\n"));
    let archive = json(&reply)["archive"].as_str().unwrap().to_string();
    assert!(archive.starts_with("message.txt_"));

    // get-files and download-file, also without Host, with `Bearer` this time.
    let reply = vault.exchange(
        format!("GET /get-files HTTP/1.1\r\nAuthorization: Bearer {session}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&reply), 200);
    assert_eq!(json(&reply)["archives"], serde_json::json!([archive]));
    let reply = vault.exchange(
        format!("GET /download-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: {archive}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&reply), 200);
    assert!(json(&reply)["file_content"].as_str().unwrap().len() > 40);
    assert!(json(&reply)["message"].is_string());
}

fn login_reply_carries_session_and_kdf() {
    let vault = TestVault::start();
    let body = r#"{"username":"user2","password":"password2"}"#;
    let reply = vault.exchange(
        format!(
            "POST /login HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert_eq!(status(&reply), 200);
    let v = json(&reply);
    assert!(v["message"].is_string());
    assert_eq!(v["session_id"].as_str().unwrap().len(), 36);
    assert_eq!(v["kdf"]["algorithm"], "pbkdf2-sha256");
    assert_eq!(v["kdf"]["iterations"], 600000);
    assert!(v["kdf"]["salt"].is_string());
}

/// A request with a JSON body and its correct Content-Length.
fn with_body(line: &str, body: &str) -> String {
    format!(
        "{line} HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

fn errors_answer_with_the_documented_status_and_a_json_message() {
    let vault = TestVault::start();
    let session = login_raw(&vault, "user1", "password1");
    let cases: Vec<(String, u16)> = vec![
        // bad JSON, wrong password, unknown user
        ("POST /login HTTP/1.1\r\nContent-Length: 5\r\n\r\n{nope".into(), 400),
        (with_body("POST /login", r#"{"username":"user1","password":"wrong!"}"#), 401),
        (with_body("POST /login", r#"{"username":"nobody","password":"wrong!"}"#), 401),
        (with_body("POST /login", r#"{"username":"user1"}"#), 400),
        // no session, unknown session
        ("GET /get-files HTTP/1.1\r\n\r\n".into(), 401),
        ("GET /get-files HTTP/1.1\r\nAuthorization: 00000000-0000-4000-8000-000000000000\r\n\r\n".into(), 401),
        ("POST /upload-file HTTP/1.1\r\nFile-Name: a.txt\r\nContent-Length: 1\r\n\r\nx".into(), 401),
        // upload: bad names, no length, chunked
        (format!("POST /upload-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: ../escape.txt\r\nContent-Length: 1\r\n\r\nx"), 400),
        (format!("POST /upload-file HTTP/1.1\r\nAuthorization: {session}\r\nContent-Length: 1\r\n\r\nx"), 400),
        (format!("POST /upload-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: a.txt\r\n\r\n"), 411),
        (format!("POST /upload-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: a.txt\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"), 411),
        // downloads: missing header, bad name, unknown archive, bad percent-encoding
        (format!("GET /download-file HTTP/1.1\r\nAuthorization: {session}\r\n\r\n"), 400),
        (format!("GET /download-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: ../users.json\r\n\r\n"), 400),
        (format!("GET /download-file HTTP/1.1\r\nAuthorization: {session}\r\nFile-Name: none_2026-01-01T00-00-00.enc\r\n\r\n"), 404),
        (format!("GET /archives/none_2026-01-01T00-00-00.enc HTTP/1.1\r\nAuthorization: {session}\r\n\r\n"), 404),
        (format!("GET /archives/%2e%2e%2fusers.json HTTP/1.1\r\nAuthorization: {session}\r\n\r\n"), 400),
        (format!("GET /archives/%ff.enc HTTP/1.1\r\nAuthorization: {session}\r\n\r\n"), 400),
        ("GET /archives/x.enc HTTP/1.1\r\n\r\n".into(), 401),
        // routing and framing
        ("GET /nowhere HTTP/1.1\r\n\r\n".into(), 404),
        ("GET /login HTTP/1.1\r\n\r\n".into(), 405),
        ("DELETE /get-files HTTP/1.1\r\n\r\n".into(), 405),
        ("this is not http\r\n\r\n".into(), 400),
        ("POST /login HTTP/1.1\r\nContent-Length: lots\r\n\r\n".into(), 400),
        (format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(17 * 1024)), 431),
        ("POST /upload-file HTTP/1.1\r\nContent-Length: 67108865\r\n\r\n".into(), 413),
        ("POST /logout HTTP/1.1\r\n\r\n".into(), 401),
    ];
    for (request, expected) in &cases {
        let reply = vault.exchange(request.as_bytes());
        assert_eq!(
            status(&reply),
            *expected,
            "request {request:?} got {reply:?}"
        );
        assert!(
            json(&reply)["message"].is_string(),
            "no JSON message for {request:?}: {reply}"
        );
    }
    let reply = vault.exchange(b"GET /login HTTP/1.1\r\n\r\n");
    assert!(reply.contains("Allow: POST\r\n"), "{reply}");
    // Nothing escaped the data folder and no archive was made by the failures.
    assert!(!vault.data.join("archives/escape.txt").exists());
    assert!(!vault.dir.path().join("escape.txt").exists());
    assert!(vault
        .client()
        .list(&vault.client().login("user1", "password1").unwrap())
        .unwrap()
        .is_empty());
}

fn archives_path_accepts_percent_encoded_utf8() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "été à la plage.txt", b"sun")
        .unwrap();
    // The client percent-encodes; check the raw route too.
    let encoded: String =
        percent_encoding::utf8_percent_encode(&archive, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let reply = vault.exchange(
        format!(
            "GET /archives/{encoded} HTTP/1.1\r\nAuthorization: {}\r\n\r\n",
            session.session_id
        )
        .as_bytes(),
    );
    assert_eq!(status(&reply), 200);
    assert!(reply.contains("Content-Type: application/octet-stream\r\n"));
    assert_eq!(
        client.fetch(&session, &archive).unwrap().len(),
        reply.split_once("\r\n\r\n").unwrap().1.len()
    );
}

fn logout_ends_the_session() {
    let vault = TestVault::start();
    let session = login_raw(&vault, "user1", "password1");
    let reply = vault.exchange(
        format!("POST /logout HTTP/1.1\r\nAuthorization: {session}\r\nContent-Length: 0\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(status(&reply), 200);
    let reply = vault.exchange(
        format!("GET /get-files HTTP/1.1\r\nAuthorization: {session}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status(&reply), 401);
}

fn curl_logs_in_uploads_and_fetches_like_any_https_client() {
    let vault = TestVault::start();
    let certs = &vault.certs;
    let base = format!("https://localhost:{}", vault.port);
    let curl = |args: &[&str]| {
        let out = CURL
            .command()
            .args(["-sS", "--fail-with-body", "--cacert"])
            .arg(certs.join("ca.crt"))
            .arg("--cert")
            .arg(certs.join("client.crt"))
            .arg("--key")
            .arg(certs.join("client.key"))
            .args(args)
            .output()
            .expect("curl runs");
        assert!(
            out.status.success(),
            "curl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let login = curl(&[
        "--data",
        r#"{"username":"user1","password":"password1"}"#,
        &format!("{base}/login"),
    ]);
    let login: serde_json::Value = serde_json::from_slice(&login.stdout).unwrap();
    let session = login["session_id"].as_str().unwrap().to_string();
    // Over 1 MiB, curl asks `Expect: 100-continue` first; the server answers at once.
    let file = vault.dir.path().join("photo.jpg");
    let content = common::random_bytes(2 * 1024 * 1024);
    std::fs::write(&file, &content).unwrap();
    let reply = curl(&[
        "-v",
        "-H",
        &format!("Authorization: {session}"),
        "-H",
        "File-Name: photo.jpg",
        "--data-binary",
        &format!("@{}", file.display()),
        &format!("{base}/upload-file"),
    ]);
    let trace = String::from_utf8_lossy(&reply.stderr);
    assert!(trace.contains("> Expect: 100-continue"), "{trace}");
    assert!(trace.contains("< HTTP/1.1 100 Continue"), "{trace}");
    let archive = serde_json::from_slice::<serde_json::Value>(&reply.stdout).unwrap()["archive"]
        .as_str()
        .unwrap()
        .to_string();
    let encoded =
        percent_encoding::utf8_percent_encode(&archive, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let token = curl(&[
        "-H",
        &format!("Authorization: Bearer {session}"),
        &format!("{base}/archives/{encoded}"),
    ]);
    let (client, me) = vault.login("user1", "password1");
    assert_eq!(token.stdout, client.fetch(&me, &archive).unwrap());
    let (name, back) =
        squirrel::vault::archive::open(&token.stdout, me.archive_key(), u64::MAX).unwrap();
    assert_eq!((name.as_str(), back), ("photo.jpg", content));
}

test_main! {
    python_client_bytes_written_one_at_a_time_work: [],
    login_reply_carries_session_and_kdf: [],
    errors_answer_with_the_documented_status_and_a_json_message: [],
    archives_path_accepts_percent_encoded_utf8: [],
    logout_ends_the_session: [],
    curl_logs_in_uploads_and_fetches_like_any_https_client: [CURL],
}
