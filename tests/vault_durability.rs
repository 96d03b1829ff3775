//! A full disk or a crash mid-upload never leaves half an archive behind.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::prereq::TMPFS_MOUNT;
use common::random_bytes;
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

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
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

test_main! {
    a_full_disk_is_an_error_reply_with_nothing_half_written: [TMPFS_MOUNT],
    temporary_files_left_by_a_crash_are_removed_at_start: [],
}
