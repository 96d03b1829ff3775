//! A full disk or a crash mid-upload never leaves half an archive behind.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::prereq::TMPFS_MOUNT;
use common::{files_under, random_bytes};
use squirrel::server::Limits;
use squirrel::vault::client::{ClientError, VaultClient};
use squirrel::vault::server::{self, Policy, ServeOptions, Vault};

/// A 3 MiB tmpfs, unmounted when dropped: a disk that really fills up.
struct TinyDisk(PathBuf);

impl TinyDisk {
    /// Mounts the tmpfs (the test needs [`TMPFS_MOUNT`]: root).
    fn mount(at: &Path) -> TinyDisk {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
            .arg(at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cannot mount a 3 MiB tmpfs: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        TinyDisk(at.to_path_buf())
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn a_full_disk_is_an_error_reply_with_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let disk = TinyDisk::mount(&dir.path().join("disk"));
    let data = disk.0.join("vault-data");
    // No free-space check: this test is about the disk filling up during the write (the
    // check that refuses such an upload up front is in vault_hostile_classroom).
    let policy = Policy {
        min_free: 0,
        ..Policy::default()
    };
    let vault = Arc::new(Vault::open_with(&data, policy).unwrap());
    vault.add_demo_users().unwrap();
    let options = ServeOptions {
        addr: "127.0.0.1:0".into(),
        data_dir: data.clone(),
        certs_dir: dir.path().join("certs"),
        limits: Limits::default(),
        workers: 1,
    };
    let running = server::start(&options, vault).unwrap();
    let client = VaultClient::new(
        &format!("127.0.0.1:{}", running.handle.addr().port()),
        &dir.path().join("certs"),
        Duration::from_secs(30),
    )
    .unwrap();
    let session = client.login("user1", "password1").unwrap();

    // 2.5 MiB of random data becomes a 3.4 MiB token: it cannot fit.
    match client.upload_bytes(&session, "too-big.bin", &random_bytes(2560 * 1024)) {
        Err(ClientError::Server {
            status: 500,
            message,
        }) => {
            assert!(message.contains("disk is full"), "{message}")
        }
        other => panic!("expected a 500 for a full disk, got {other:?}"),
    }
    let left: Vec<PathBuf> = files_under(&data)
        .into_iter()
        .filter(|p| !p.ends_with("users.json"))
        .collect();
    assert!(
        left.is_empty(),
        "the failed upload left files behind: {left:?}"
    );
    assert!(client.list(&session).unwrap().is_empty());

    // The server serves on, and a file that fits is stored.
    let archive = client
        .upload_bytes(&session, "fits.txt", b"fluffy tail")
        .unwrap();
    assert_eq!(client.list(&session).unwrap(), vec![archive]);
    drop(running);
}

fn temporary_files_left_by_a_crash_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let user_dir = dir.path().join("archives/user1");
    std::fs::create_dir_all(&user_dir).unwrap();
    // What a crash between writing and renaming leaves: a temporary file.
    std::fs::write(user_dir.join(".tmp-crashed123"), b"half an archive").unwrap();
    std::fs::write(user_dir.join("kept.txt_2026-01-01T00-00-00.enc"), b"gAAAAA").unwrap();
    Vault::open(dir.path()).unwrap();
    let names: Vec<String> = std::fs::read_dir(&user_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["kept.txt_2026-01-01T00-00-00.enc".to_string()]);
}

/// Everything under the user's archive folder (temporary files included).
fn user_files(vault: &common::TestVault) -> Vec<PathBuf> {
    let dir = vault.data.join("archives/user1");
    if dir.exists() {
        files_under(&dir)
    } else {
        Vec::new()
    }
}

fn an_upload_cut_off_or_stalled_mid_body_leaves_nothing_behind() {
    use std::io::{Read, Write};
    let limits = Limits {
        body_grace: Duration::from_secs(1),
        ..Limits::default()
    };
    let vault = common::TestVault::start_with(limits, 2);
    let (_, session) = vault.login("user1", "password1");
    let head = format!(
        "POST /upload-file HTTP/1.1\r\nAuthorization: {}\r\nFile-Name: cut.bin\r\nContent-Length: {}\r\n\r\n",
        session.session_id,
        10 << 20
    );
    // Goes away after 3 MiB of 10.
    let mut stream = vault.raw();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&random_bytes(3 << 20)).unwrap();
    drop(stream);
    // Stops after 3 MiB of 10: cut at the minimum rate (408).
    let mut stream = vault.raw();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&random_bytes(3 << 20)).unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    assert_eq!(common::status(&String::from_utf8_lossy(&reply)), 408);
    // The first one's temporary file goes as soon as its worker notices.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !user_files(&vault).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        user_files(&vault).is_empty(),
        "left behind: {:?}",
        user_files(&vault)
    );
}

test_main! {
    an_upload_cut_off_or_stalled_mid_body_leaves_nothing_behind: [],
    a_full_disk_is_an_error_reply_with_nothing_half_written: [TMPFS_MOUNT],
    temporary_files_left_by_a_crash_are_removed_at_start: [],
}
