//! Lesson 08: the vault, end to end — what the lesson text promises, in one test. The
//! full suite is in `vault_*.rs`.

mod common;

use common::TestVault;

#[test]
fn a_member_uploads_lists_and_downloads_and_the_disk_holds_only_tokens() {
    let vault = TestVault::start();
    let (client, session) = vault.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "message.txt", b"fluffy tail")
        .unwrap();
    assert_eq!(client.list(&session).unwrap(), vec![archive.clone()]);
    let downloads = vault.dir.path().join("downloads");
    let path = client.download(&session, &archive, &downloads).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), b"fluffy tail");

    let on_disk = std::fs::read(vault.data.join("archives/user1").join(&archive)).unwrap();
    assert!(on_disk.starts_with(b"gAAAAA"));
    assert!(!on_disk.windows(6).any(|w| w == b"fluffy"));
    let users = std::fs::read_to_string(vault.data.join("users.json")).unwrap();
    assert!(!users.contains("password1"));
    client.logout(&session).unwrap();
    assert!(client.list(&session).is_err());
}
