//! Files go up and come back byte-identical, over real mutual TLS.

mod common;

use common::{random_bytes, TestVault};
use squirrel::vault::archive::ArchiveError;
use squirrel::vault::client::ClientError;

#[test]
fn fifty_mib_random_file_comes_back_identical() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let content = random_bytes(50 * 1024 * 1024);
    let path = vault.dir.path().join("big.bin");
    std::fs::write(&path, &content).unwrap();

    let archive = client.upload_file(&session, &path).unwrap();
    assert!(
        archive.starts_with("big.bin_") && archive.ends_with(".enc"),
        "{archive}"
    );
    assert_eq!(client.list(&session).unwrap(), vec![archive.clone()]);

    let downloads = vault.dir.path().join("downloads");
    let written = client.download(&session, &archive, &downloads).unwrap();
    assert_eq!(written, downloads.join("big.bin"));
    assert!(
        std::fs::read(&written).unwrap() == content,
        "50 MiB file differs after the round trip"
    );
}

#[test]
fn empty_file_and_accented_name_with_spaces_come_back_identical() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let downloads = vault.dir.path().join("downloads");
    for (name, content) in [
        ("empty.txt", Vec::new()),
        (
            "Résumé de l'écureuil été 2026.txt",
            "fluffy tail, queue touffue\n".repeat(100).into_bytes(),
        ),
    ] {
        let archive = client.upload_bytes(&session, name, &content).unwrap();
        let written = client.download(&session, &archive, &downloads).unwrap();
        assert_eq!(written.file_name().unwrap().to_str().unwrap(), name);
        assert_eq!(std::fs::read(&written).unwrap(), content, "{name}");
    }
    // The original protocol's /download-file returns the same archive bytes.
    let archives = client.list(&session).unwrap();
    for archive in &archives {
        assert_eq!(
            client.fetch_json(&session, archive).unwrap(),
            client.fetch(&session, archive).unwrap()
        );
    }
}

#[test]
fn a_second_download_never_overwrites_the_first() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "notes.txt", b"first")
        .unwrap();
    let downloads = vault.dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    std::fs::write(downloads.join("notes.txt"), b"mine, keep me").unwrap();
    let written = client.download(&session, &archive, &downloads).unwrap();
    assert_eq!(written, downloads.join("notes (1).txt"));
    assert_eq!(
        std::fs::read(downloads.join("notes.txt")).unwrap(),
        b"mine, keep me"
    );
    assert_eq!(std::fs::read(written).unwrap(), b"first");
}

#[test]
fn same_name_twice_in_one_second_gets_two_archives() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let a = client.upload_bytes(&session, "twice.txt", b"1").unwrap();
    let b = client.upload_bytes(&session, "twice.txt", b"2").unwrap();
    assert_ne!(a, b);
    assert_eq!(client.list(&session).unwrap().len(), 2);
}

#[test]
fn tampered_archive_is_an_integrity_error_and_nothing_is_written() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "secret.txt", b"fluffy tail")
        .unwrap();
    let on_disk = vault.data.join("archives/user1").join(&archive);
    let mut token = std::fs::read(&on_disk).unwrap();
    // Flip one base64 character in the middle of the ciphertext.
    let i = token.len() / 2;
    token[i] = if token[i] == b'A' { b'B' } else { b'A' };
    std::fs::write(&on_disk, &token).unwrap();

    let downloads = vault.dir.path().join("downloads");
    let err = client.download(&session, &archive, &downloads).unwrap_err();
    assert!(
        matches!(err, ClientError::Archive(ArchiveError::Integrity)),
        "{err:?}"
    );
    assert!(err.to_string().contains("integrity"), "{err}");
    assert!(!downloads.exists() || std::fs::read_dir(&downloads).unwrap().next().is_none());
}
