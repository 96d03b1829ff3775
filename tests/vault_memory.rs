//! Uploads and downloads stream: a 64 MiB file through real TLS never sits whole in the
//! server's memory nor in the client's. The bounds here are generous (the benchmark
//! measures the real figures); each would fail if the file were held even once.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::proc_kib;
use squirrel::vault::client::VaultClient;

const MIB: u64 = 1024 * 1024;

/// Peak memory growth allowed, in KiB: under the 64 MiB file, with room for buffers,
/// the allocator and a loaded machine.
const BOUND_KIB: u64 = 40 * 1024;

/// Runs `command` to its end and returns its peak resident memory in KiB: its own
/// `VmHWM`, read from `/proc` every 2 ms until it exits. (Not wait4(2)'s `ru_maxrss`:
/// Linux carries the parent's high-water mark into a child started with `CLONE_VM`, as
/// `posix_spawn` does, so that figure would be this test's own size.)
fn peak_of(mut command: Command) -> (std::process::ExitStatus, u64, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        // Gone between the two calls (a zombie has no VmHWM): keep the last reading.
        if let Ok(text) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
            {
                peak = kib;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    (status, peak, reader.join().unwrap())
}

#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "needs Linux: /proc")]
fn a_64_mib_upload_and_download_never_hold_the_file_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::spawn_server(
        dir.path(),
        &["vault", "serve", "--demo", "--port", "0"],
        &[("RUST_LOG", "warn")],
    );
    let port = server.port;

    let certs = dir.path().join("certs");
    let client = VaultClient::new(
        &format!("127.0.0.1:{port}"),
        &certs,
        Duration::from_secs(120),
    )
    .unwrap();
    let session = client.login("user1", "password1").unwrap();
    // Warm up: the first upload sets up what every upload reuses.
    client
        .upload_bytes(&session, "warm-up.bin", &common::random_bytes(1 << 20))
        .unwrap();
    let pid = server.child.id();
    let before = proc_kib(pid, "VmRSS:");
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();

    let file = dir.path().join("big.bin");
    std::fs::write(&file, common::random_bytes(64 * MIB as usize)).unwrap();
    let archive = client.upload_file(&session, &file).unwrap();
    let peak = proc_kib(pid, "VmHWM:");
    let grew = peak.saturating_sub(before);
    println!(
        "server: {before} KiB before, peak {peak} KiB during the 64 MiB upload (+{:.1} MiB)",
        grew as f64 / 1024.0
    );
    assert!(
        grew < BOUND_KIB,
        "the server's peak grew by {grew} KiB during a 64 MiB upload"
    );

    // The CLI's download: its own peak, from the kernel's accounting of the process.
    let server = format!("127.0.0.1:{port}");
    let command = common::squirrel(
        dir.path(),
        &[
            "vault", "download", &archive, "--user", "user1", "--server", &server,
        ],
        &[("SQUIRREL_PASSWORD", "password1"), ("RUST_LOG", "warn")],
    );
    let (status, client_peak, stderr) = peak_of(command);
    assert!(status.success(), "{stderr}");
    println!(
        "client: peak {client_peak} KiB during vault download of 64 MiB ({:.1} MiB)",
        client_peak as f64 / 1024.0
    );
    assert!(
        client_peak < BOUND_KIB + 16 * 1024,
        "vault download peaked at {client_peak} KiB"
    );
    assert_eq!(
        std::fs::read(dir.path().join("downloads/big.bin")).unwrap(),
        std::fs::read(&file).unwrap()
    );
}
