//! A classroom's load: many clients at once, stalled clients, slow and oversized
//! requests — and the vault keeps serving, loses nothing and logs no secret.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{random_bytes, status, TestVault};
use squirrel::server::Limits;
use squirrel::vault::keys::MIN_ITERATIONS;
use squirrel::vault::users::Users;

/// The tests that measure a delay take this lock, and so do the twenty-client tests:
/// a delay is only meaningful when the machine's two cores are not busy with another
/// test's hundred uploads.
static EXCLUSIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    EXCLUSIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Adds `n` users `student0…` with password `pw-<name>` (cheap key derivation: this
/// test is about load, not about PBKDF2).
fn add_students(vault: &TestVault, n: usize) {
    let mut users = Users::load(&vault.data).unwrap();
    for i in 0..n {
        let name = format!("student{i}");
        users
            .add(&name, &format!("pw-{name}"), MIN_ITERATIONS)
            .unwrap();
    }
    users.save().unwrap();
}

fn twenty_clients_lose_nothing(workers: usize) {
    let _alone = exclusive();
    let vault = Arc::new(TestVault::start_with(Limits::default(), workers));
    add_students(&vault, 20);
    let threads: Vec<_> = (0..20)
        .map(|i| {
            let vault = Arc::clone(&vault);
            std::thread::spawn(move || -> Result<usize, String> {
                let name = format!("student{i}");
                let client = vault.client();
                let session = client
                    .login(&name, &format!("pw-{name}"))
                    .map_err(|e| format!("{name} login: {e}"))?;
                let mut sent = Vec::new();
                for j in 0..5 {
                    // 64 KiB to 1 MiB, different for every upload.
                    let size = 64 * 1024 + (i * 5 + j) * (960 * 1024) / 100;
                    let content = random_bytes(size);
                    let file = format!("file{j}.bin");
                    let archive = client
                        .upload_bytes(&session, &file, &content)
                        .map_err(|e| format!("{name} upload: {e}"))?;
                    sent.push((archive, file, content));
                }
                let mut listed = client
                    .list(&session)
                    .map_err(|e| format!("{name} list: {e}"))?;
                listed.sort();
                let mut expected: Vec<String> = sent.iter().map(|(a, _, _)| a.clone()).collect();
                expected.sort();
                if listed != expected {
                    return Err(format!("{name} lists {listed:?}, uploaded {expected:?}"));
                }
                let downloads = vault.dir.path().join(format!("downloads-{name}"));
                for (archive, file, content) in &sent {
                    let path = client
                        .download(&session, archive, &downloads)
                        .map_err(|e| format!("{name} download: {e}"))?;
                    if path.file_name().and_then(|n| n.to_str()) != Some(file.as_str()) {
                        return Err(format!("{name}: {archive} came back as {}", path.display()));
                    }
                    if std::fs::read(&path).map_err(|e| e.to_string())? != *content {
                        return Err(format!("{name}: {archive} differs after the round trip"));
                    }
                }
                client
                    .logout(&session)
                    .map_err(|e| format!("{name} logout: {e}"))?;
                Ok(sent.len())
            })
        })
        .collect();
    let mut errors = Vec::new();
    let mut files = 0;
    for thread in threads {
        match thread.join().expect("client thread") {
            Ok(n) => files += n,
            Err(e) => errors.push(e),
        }
    }
    assert!(errors.is_empty(), "{} errors: {errors:#?}", errors.len());
    assert_eq!(files, 100);
}

#[test]
fn twenty_clients_at_once_lose_nothing_with_one_worker() {
    twenty_clients_lose_nothing(1);
}

#[test]
fn twenty_clients_at_once_lose_nothing_with_eight_workers() {
    twenty_clients_lose_nothing(8);
}

/// Opens `n` TCP connections that never send a byte.
fn stall(vault: &TestVault, n: usize) -> Vec<TcpStream> {
    (0..n)
        .map(|_| TcpStream::connect(("127.0.0.1", vault.port)).unwrap())
        .collect()
}

#[test]
fn five_stalled_clients_delay_a_login_by_at_most_their_deadlines_with_one_worker() {
    let _alone = exclusive();
    let deadline = Duration::from_secs(1);
    let limits = Limits {
        handshake_timeout: deadline,
        head_timeout: deadline,
        ..Limits::default()
    };
    let vault = TestVault::start_with(limits, 1);
    let stalled = stall(&vault, 5);
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let (client, session) = vault.login("user1", "password1");
    let waited = started.elapsed();
    // Stalled clients wait in the gate, not in the worker, and are closed at their
    // deadline (tests/vault_hostile_classroom.rs measures the delay with 64 of them).
    assert!(
        waited <= 5 * deadline + Duration::from_secs(2),
        "login took {waited:?}"
    );
    assert!(client.list(&session).unwrap().is_empty());
    // The stalled connections were closed by the server.
    for mut s in stalled {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 16];
        assert!(
            matches!(s.read(&mut buf), Ok(0) | Err(_)),
            "a stalled connection is still open"
        );
    }
}

#[test]
fn five_stalled_clients_delay_no_one_with_eight_workers() {
    let _alone = exclusive();
    let vault = TestVault::start_with(Limits::default(), 8);
    let _stalled = stall(&vault, 5);
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let (client, session) = vault.login("user1", "password1");
    client.list(&session).unwrap();
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(2),
        "login and list took {waited:?}"
    );
}

#[test]
fn slow_head_and_stalled_body_get_408_and_the_server_serves_on() {
    let limits = Limits {
        head_timeout: Duration::from_millis(500),
        body_grace: Duration::from_millis(500),
        ..Limits::default()
    };
    let vault = TestVault::start_with(limits, 1);
    // A head that never ends.
    let mut stream = vault.raw();
    stream
        .write_all(b"GET /get-files HTTP/1.1\r\nX-Slow: ")
        .unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    assert_eq!(status(&String::from_utf8_lossy(&reply)), 408);
    // A body that stops halfway.
    let mut stream = vault.raw();
    stream
        .write_all(b"POST /login HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"user")
        .unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    assert_eq!(status(&String::from_utf8_lossy(&reply)), 408);
    // And the next member is served.
    let (client, session) = vault.login("user2", "password2");
    assert!(client.list(&session).unwrap().is_empty());
}

#[test]
fn repeated_wrong_passwords_get_429_for_that_user_only() {
    let _alone = exclusive();
    let vault = TestVault::start();
    let client = vault.client();
    for _ in 0..5 {
        let err = client.login("user1", "guess").unwrap_err();
        assert!(err.to_string().contains("401"), "{err}");
    }
    let reply = vault.exchange(
        b"POST /login HTTP/1.1\r\nContent-Length: 43\r\n\r\n{\"username\":\"user1\",\"password\":\"password1\"}",
    );
    assert_eq!(status(&reply), 429, "{reply}");
    assert!(reply.contains("Retry-After: "), "{reply}");
    // Another member is not refused: the throttle counts per user.
    let (client, session) = vault.login("user2", "password2");
    assert!(client.list(&session).unwrap().is_empty());
}

#[test]
fn upload_over_the_limit_is_413_before_the_body_is_read() {
    let limits = Limits {
        max_body: 1024 * 1024,
        ..Limits::default()
    };
    let vault = TestVault::start_with(limits, 1);
    let (client, session) = vault.login("user1", "password1");
    let err = client
        .upload_bytes(&session, "big.bin", &random_bytes(3 * 1024 * 1024))
        .unwrap_err();
    assert!(err.to_string().contains("413"), "{err}");
    assert!(client.list(&session).unwrap().is_empty());
    client
        .upload_bytes(&session, "small.bin", &random_bytes(1000))
        .unwrap();
}
