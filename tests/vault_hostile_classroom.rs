//! The vault against a hostile classroom: a classmate with a client certificate (every
//! student has one) tries to exhaust memory, workers, disk and the login throttle, and to
//! hide or destroy uploads. Each test reproduces one attack through real sockets; the
//! figures the issue asks for are printed (`cargo test --test vault_hostile_classroom --
//! --nocapture` shows them).

mod common;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{json, proc_kib, random_bytes, status, TestVault};
use squirrel::server::Limits;
use squirrel::vault::server::{self, Policy, ServeOptions, Vault};
use squirrel::vault::users::Users;

/// The tests that measure a delay or memory run one at a time: a figure means little
/// while the two cores are busy with another test.
static EXCLUSIVE: Mutex<()> = Mutex::new(());

fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    EXCLUSIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// `squirrel vault serve` as a process, with its log (stderr) in a file: memory and
/// log size are the process's own.
struct ServeProcess {
    spawned: common::Spawned,
    dir: tempfile::TempDir,
    log: std::path::PathBuf,
}

fn serve_process() -> ServeProcess {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let spawned = common::spawn_server_logging(
        dir.path(),
        &["vault", "serve", "--demo", "--port", "0"],
        &[("RUST_LOG", "info")],
        std::fs::File::create(&log).unwrap(),
    );
    ServeProcess { spawned, dir, log }
}

fn connector(certs: &std::path::Path) -> openssl::ssl::SslConnector {
    squirrel::tls::client_connector(
        &certs.join("ca.crt"),
        Some((&certs.join("client.crt"), &certs.join("client.key"))),
    )
    .unwrap()
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: /proc, and 127.0.0.0/8 as other machines"
)]
fn ten_logins_with_30_mib_user_names_leave_memory_and_the_log_alone() {
    let _alone = exclusive();
    let server = serve_process();
    let port = server.spawned.port;
    let certs = server.dir.path().join("certs");
    let tls = connector(&certs);
    let client = squirrel::vault::client::VaultClient::new(
        &format!("127.0.0.1:{}", port),
        &certs,
        Duration::from_secs(30),
    )
    .unwrap();
    // Warm up (first handshake, first login), then measure.
    let session = client.login("user1", "password1").unwrap();
    client.list(&session).unwrap();
    let pid = server.spawned.child.id();
    let before = proc_kib(pid, "VmRSS:");
    let log_before = std::fs::metadata(&server.log).unwrap().len();

    let name = "n".repeat(30 << 20);
    let body = format!(r#"{{"username":"{name}","password":"x"}}"#);
    for _ in 0..10 {
        let mut stream =
            squirrel::tls::connect(&tls, "127.0.0.1", port, Duration::from_secs(30)).unwrap();
        let head = format!(
            "POST /login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        // The server answers before the body and stops reading: the write may fail.
        let _ = stream.write_all(body.as_bytes());
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        let reply = String::from_utf8_lossy(&reply);
        if !reply.is_empty() {
            assert_eq!(status(&reply), 413, "{reply}");
        }
    }
    // A name under the body limit but over the name rule: refused before any log line
    // or throttle entry holds it.
    let long = "x".repeat(3000);
    let mut stream =
        squirrel::tls::connect(&tls, "127.0.0.1", port, Duration::from_secs(30)).unwrap();
    let body = format!(r#"{{"username":"{long}","password":"x"}}"#);
    assert_eq!(common::login_status(&mut stream, &body), 400);

    // The login limit does not slow the member down.
    client
        .list(&client.login("user1", "password1").unwrap())
        .unwrap();
    let after = proc_kib(pid, "VmRSS:");
    let grew_kib = after.saturating_sub(before);
    let log = std::fs::read_to_string(&server.log).unwrap();
    let log_grew = log.len() as u64 - log_before;
    println!(
        "figure: 10 logins with 30 MiB user names: server RSS {} -> {} KiB (+{:.1} MB; target < 5 MB), log +{log_grew} bytes",
        before,
        after,
        grew_kib as f64 * 1024.0 / 1e6
    );
    assert!(
        grew_kib * 1024 < 5_000_000,
        "the server grew by {grew_kib} KiB"
    );
    assert!(log_grew < 16 * 1024, "the log grew by {log_grew} bytes");
    assert!(
        log.lines().all(|l| l.len() < 400),
        "a log line is too long: {}",
        log.lines().map(str::len).max().unwrap_or(0)
    );
    assert!(
        !log.contains(&"x".repeat(100)),
        "the long name reached the log"
    );
}

/// Opens `n` TCP connections that never send a byte.
fn idle_tcp(port: u16, n: usize) -> Vec<TcpStream> {
    (0..n)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect()
}

/// The time a member's login and list take while `idle` connections sit open.
fn login_latency(vault: &TestVault) -> Duration {
    let started = Instant::now();
    let (client, session) = vault.login("user1", "password1");
    client.list(&session).unwrap();
    started.elapsed()
}

fn idle_connections_do_not_delay_a_login(workers: usize, bound: Duration) {
    let _alone = exclusive();
    let vault = TestVault::start_with(Limits::default(), workers);
    let baseline = login_latency(&vault);
    let idle = idle_tcp(vault.port, 64);
    std::thread::sleep(Duration::from_millis(200));
    let with_idle = login_latency(&vault);
    drop(idle);
    // The same after the TLS handshake: the request never comes.
    let handshaken: Vec<_> = (0..64).map(|_| vault.raw()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let with_handshaken = login_latency(&vault);
    drop(handshaken);
    println!(
        "figure: --workers {workers}: login + list alone {:.2} s; after 64 idle TCP connections {:.2} s; after 64 idle post-handshake connections {:.2} s (target <= {} s)",
        baseline.as_secs_f64(),
        with_idle.as_secs_f64(),
        with_handshaken.as_secs_f64(),
        bound.as_secs()
    );
    assert!(
        with_idle <= bound,
        "login took {with_idle:?} with 64 idle connections"
    );
    assert!(
        with_handshaken <= bound,
        "login took {with_handshaken:?} with 64 idle TLS connections"
    );
}

#[test]
fn sixty_four_idle_connections_delay_a_login_under_2_s_with_one_worker() {
    idle_connections_do_not_delay_a_login(1, Duration::from_secs(2));
}

#[test]
fn sixty_four_idle_connections_delay_a_login_under_1_s_with_eight_workers() {
    idle_connections_do_not_delay_a_login(8, Duration::from_secs(1));
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: /proc, and 127.0.0.0/8 as other machines"
)]
fn a_client_cannot_hold_more_workers_than_its_share() {
    let _alone = exclusive();
    let limits = Limits {
        max_conn_per_address: 2,
        ..Limits::default()
    };
    let vault = TestVault::start_with(limits, 4);
    // Three connections from one address that start a request and stall: only two are
    // served at once, and another address still finds a free worker at once.
    let stalled: Vec<_> = (0..3)
        .map(|_| {
            let mut s = vault.raw();
            s.write_all(b"GET /get-files HTTP/1.1\r\nX-Slow: ").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let mut other = vault.raw_from(Ipv4Addr::new(127, 0, 0, 2));
    other.write_all(b"GET /nowhere HTTP/1.1\r\n\r\n").unwrap();
    let mut reply = Vec::new();
    let _ = other.read_to_end(&mut reply);
    assert_eq!(status(&String::from_utf8_lossy(&reply)), 404);
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(stalled);
}

#[test]
fn a_reader_at_2_kb_per_second_holds_a_worker_no_longer_than_the_reply_deadline() {
    let _alone = exclusive();
    let window = Duration::from_secs(1);
    let limits = Limits {
        body_grace: window,
        ..Limits::default()
    };
    let vault = TestVault::start_with(limits, 1);
    let (client, session) = vault.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "big.bin", &random_bytes(11_000_000))
        .unwrap();
    let mut slow = vault.raw();
    slow.write_all(
        format!(
            "GET /archives/{archive} HTTP/1.1\r\nAuthorization: {}\r\n\r\n",
            session.session_id
        )
        .as_bytes(),
    )
    .unwrap();
    let started = Instant::now();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 2048];
        let mut total = 0usize;
        // 2 KB per second, for 30 s at most.
        while started.elapsed() < Duration::from_secs(30) {
            match slow.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => total += n,
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        total
    });
    std::thread::sleep(Duration::from_millis(200));
    // With one worker, the next request is served once the trickling reader is cut.
    let other = vault.client();
    let session2 = other.login("user2", "password2").unwrap();
    other.list(&session2).unwrap();
    let held = started.elapsed();
    println!(
        "figure: a 2 KB/s reader of an 11 MB download held the only worker {:.1} s (reply deadline: 64 KiB per {} s window; target <= the reply deadline)",
        held.as_secs_f64(),
        window.as_secs()
    );
    assert!(
        held < Duration::from_secs(5),
        "the reader held the worker {held:?}"
    );
    let read = reader.join().unwrap();
    assert!(read < 11_000_000, "the trickling reader got the whole file");
}

#[test]
fn a_file_named_like_a_temporary_file_is_refused_so_a_restart_deletes_no_upload() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let reply = vault.exchange(
        format!(
            "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: .tmp-notes.txt\r\nContent-Length: 5\r\n\r\nhello",
            session.session_id
        )
        .as_bytes(),
    );
    assert_eq!(status(&reply), 400, "{reply}");
    let kept = client
        .upload_bytes(&session, "notes.txt", b"hello")
        .unwrap();
    // A restart removes crash leftovers only, and every confirmed upload stays listed.
    Vault::open(&vault.data).unwrap();
    assert_eq!(client.list(&session).unwrap(), vec![kept]);
}

#[test]
fn invisible_and_look_alike_names_are_refused_and_nfd_becomes_nfc() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    for name in [
        "invoice\u{202E}fdp.exe",
        "zero\u{200B}width.txt",
        "\u{FEFF}bom.txt",
        "line\u{2028}break.txt",
        "notes\u{FF0F}secret.txt",
    ] {
        let reply = vault.exchange(
            format!(
                "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: {name}\r\nContent-Length: 1\r\n\r\nx",
                session.session_id
            )
            .as_bytes(),
        );
        assert_eq!(status(&reply), 400, "{name:?}: {reply}");
    }
    // café as e + combining acute (NFD, how macOS spells it) and as é (NFC): one name.
    let nfd = vault.exchange(
        format!(
            "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: cafe\u{301}.txt\r\nContent-Length: 1\r\n\r\nx",
            session.session_id
        )
        .as_bytes(),
    );
    assert_eq!(status(&nfd), 200, "{nfd}");
    let nfc = client
        .upload_bytes(&session, "caf\u{e9}.txt", b"y")
        .unwrap();
    let nfd = json(&nfd)["archive"].as_str().unwrap().to_string();
    assert!(nfd.starts_with("caf\u{e9}.txt"), "{nfd:?}");
    assert!(nfc.starts_with("caf\u{e9}.txt"), "{nfc:?}");
    // And it comes back under the NFC name.
    let downloads = vault.dir.path().join("downloads");
    let path = client.download(&session, &nfd, &downloads).unwrap();
    assert_eq!(path.file_name().unwrap(), "caf\u{e9}.txt");
}

#[test]
fn quota_is_checked_before_the_body_is_read_and_counts_uploads_in_flight() {
    let policy = Policy {
        quota: 1 << 20,
        ..Policy::default()
    };
    let vault = TestVault::start_with_policy(Limits::default(), 4, policy);
    let (client, session) = vault.login("user1", "password1");
    client
        .upload_bytes(&session, "first.bin", &random_bytes(500_000))
        .unwrap();
    // The head alone is answered: 507, no body sent.
    let mut stream = vault.raw();
    stream
        .write_all(
            format!(
                "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: second.bin\r\nContent-Length: 600000\r\n\r\n",
                session.session_id
            )
            .as_bytes(),
        )
        .unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert_eq!(status(&reply), 507, "{reply}");
    assert!(
        json(&reply)["message"].as_str().unwrap().contains("quota"),
        "{reply}"
    );
    // Two uploads at once that fit only one by one: the second is refused while the
    // first is in flight (its space is reserved), not both accepted.
    let (client2, session2) = vault.login("user2", "password2");
    let head = |name: &str| {
        format!(
            "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: {name}\r\nContent-Length: 600000\r\n\r\n",
            session2.session_id
        )
    };
    let mut first = vault.raw();
    first.write_all(head("a.bin").as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let reply = vault.exchange(head("b.bin").as_bytes());
    assert_eq!(status(&reply), 507, "{reply}");
    first.write_all(&random_bytes(600_000)).unwrap();
    let mut reply = Vec::new();
    let _ = first.read_to_end(&mut reply);
    assert_eq!(status(&String::from_utf8_lossy(&reply)), 200);
    assert_eq!(client2.list(&session2).unwrap().len(), 1);
}

#[test]
fn an_upload_that_would_leave_too_little_free_space_is_507_and_stores_nothing() {
    let policy = Policy {
        min_free: u64::MAX / 4,
        ..Policy::default()
    };
    let vault = TestVault::start_with_policy(Limits::default(), 1, policy);
    let (client, session) = vault.login("user1", "password1");
    match client.upload_bytes(&session, "x.bin", b"fluffy tail") {
        Err(squirrel::vault::client::ClientError::Server {
            status: 507,
            message,
        }) => {
            assert!(message.contains("disk"), "{message}")
        }
        other => panic!("expected 507, got {other:?}"),
    }
    assert!(client.list(&session).unwrap().is_empty());
}

/// Sends a login from `source` and returns the reply's status.
fn login_from(vault: &TestVault, source: Ipv4Addr, user: &str, password: &str) -> u16 {
    let body = format!(r#"{{"username":"{user}","password":"{password}"}}"#);
    common::login_status(&mut vault.raw_from(source), &body)
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "needs Linux: /proc, and 127.0.0.0/8 as other machines"
)]
fn twenty_four_concurrent_guesses_check_five_and_the_owner_still_logs_in_elsewhere() {
    let _alone = exclusive();
    let vault = Arc::new(TestVault::start_with(Limits::default(), 8));
    let attacker = Ipv4Addr::new(127, 0, 0, 3);
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let vault = Arc::clone(&vault);
            std::thread::spawn(move || login_from(&vault, attacker, "user1", &format!("guess{i}")))
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    println!(
        "figure: 24 concurrent wrong guesses for one user with --workers 8: {checked} checked, {refused} refused with 429 (target: 5 checked)"
    );
    assert_eq!(checked, 5, "{statuses:?}");
    assert_eq!(refused, 19, "{statuses:?}");
    // The attacker's address is locked out, even with the right password…
    assert_eq!(login_from(&vault, attacker, "user1", "password1"), 429);
    // …but the owner, from their own machine, is not.
    assert_eq!(
        login_from(&vault, Ipv4Addr::new(127, 0, 0, 4), "user1", "password1"),
        200
    );
}

#[test]
fn a_users_json_record_named_like_a_path_is_refused_and_the_others_work() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("vault-data");
    let vault = Vault::open(&data).unwrap();
    vault.add_demo_users().unwrap();
    drop(vault);
    // Someone with write access to users.json adds a record whose name climbs out.
    let path = data.join("users.json");
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let record = file["users"]["user1"].clone();
    file["users"]["../../../escape"] = record;
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    // …and leaves the folder and the key writable by others.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();

    let vault = Arc::new(Vault::open(&data).unwrap());
    let options = ServeOptions {
        addr: "127.0.0.1:0".into(),
        data_dir: data.clone(),
        certs_dir: dir.path().join("certs"),
        limits: Limits::default(),
        workers: 1,
    };
    let running = server::start(&options, vault).unwrap();
    let key = dir.path().join("certs/server.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let warnings = server::startup_warnings(&data, &dir.path().join("certs"));
    let all = warnings.join("\n");
    assert!(
        all.contains("../../../escape") && all.contains("ignored"),
        "{all}"
    );
    assert!(
        all.contains(&format!("chmod go-w {}", path.display())),
        "{all}"
    );
    assert!(
        all.contains(&format!("chmod 600 {}", key.display())),
        "{all}"
    );
    assert!(
        running.warnings.iter().any(|w| w.contains("users.json")),
        "{:?}",
        running.warnings
    );

    let client = squirrel::vault::client::VaultClient::new(
        &format!("127.0.0.1:{}", running.handle.addr().port()),
        &dir.path().join("certs"),
        Duration::from_secs(30),
    )
    .unwrap();
    match client.login("../../../escape", "password1") {
        Err(squirrel::vault::client::ClientError::Server { status: 400, .. }) => {}
        other => panic!("the path-named record logged in: {other:?}"),
    }
    let session = client.login("user1", "password1").unwrap();
    client.upload_bytes(&session, "fine.txt", b"ok").unwrap();
    assert!(!dir.path().join("escape").exists());
    // adduser keeps the refused record as it was (it is not silently deleted).
    let mut users = Users::load(&data).unwrap();
    users.add("nutkin", "hazel-7731", 1000).unwrap();
    users.save().unwrap();
    let file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(file["users"].get("../../../escape").is_some());
    assert!(file["users"].get("nutkin").is_some());
}

#[test]
fn absolute_form_request_targets_are_served() {
    let vault = TestVault::start();
    let (_, session) = vault.login("user1", "password1");
    let reply = vault.exchange(
        format!(
            "GET https://127.0.0.1:{}/get-files HTTP/1.1\r\nAuthorization: {}\r\n\r\n",
            vault.port, session.session_id
        )
        .as_bytes(),
    );
    assert_eq!(status(&reply), 200, "{reply}");
    assert_eq!(json(&reply)["archives"], serde_json::json!([]));
}
