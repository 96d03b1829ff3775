//! Lesson 08: the vault, end to end — what the lesson text promises, in one test. The
//! full suite is in `vault_*.rs`.

mod common;

use common::prereq::{LIVE_CAPTURE, TSHARK};
use common::text::TextRun;
use common::TestVault;

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
    // The session is gone: the server answers 401, and says to log in again.
    let err = client.list(&session).unwrap_err();
    assert!(
        matches!(
            err,
            squirrel::vault::client::ClientError::Server { status: 401, .. }
        ),
        "{err}"
    );
}

const TEXT: &str = "lessons/08-vault.md";

/// The file the text schedules for daily uploads, in the student's folder.
fn notes(dir: &std::path::Path) -> Vec<(String, String)> {
    std::fs::write(dir.join("notes.txt"), "acorns: 12, hazelnuts: 7\n").unwrap();
    Vec::new()
}

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT)
        .setup(notes)
        .left_to_the_reader(
            "sslyze",
            "an auditor's scan, a minute long; tests/tls_audit.rs runs it against the vault and fails on any finding",
        )
        .commands();
}

fn the_capture_section_decrypts_the_vault_live_and_through_the_tap() {
    TextRun::new(TEXT).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT)
        .in_french()
        .setup(notes)
        .left_to_the_reader(
            "sslyze",
            "an auditor's scan, a minute long; tests/tls_audit.rs runs it against the vault and fails on any finding",
        )
        .commands();
}

fn the_french_text_capture_section_decrypts_the_vault_live_and_through_the_tap() {
    TextRun::new(TEXT).in_french().capture();
}

test_main! {
    a_member_uploads_lists_and_downloads_and_the_disk_holds_only_tokens: [],
    every_command_of_the_text_runs_and_prints_what_it_shows: [],
    the_capture_section_decrypts_the_vault_live_and_through_the_tap: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [],
    the_french_text_capture_section_decrypts_the_vault_live_and_through_the_tap: [TSHARK, LIVE_CAPTURE],
}
