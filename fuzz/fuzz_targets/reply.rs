//! Fuzzes what a hostile server can send the vault client: arbitrary bytes as an HTTP
//! reply (read as the client reads one, then through the client's readers of the login,
//! list, upload and `/download-file` replies and of error replies), and arbitrary bytes
//! as an archive (a Fernet token checked and opened with the member's key), including
//! arbitrary bytes sealed with that key, so the fuzzer reaches the ZIP reader behind the
//! HMAC. No input may panic; whatever the client would print must be printable.
//!
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run reply fuzz/corpus/reply -- -max_total_time=600`
//! The first byte picks the mode: 0 a reply, 1 an archive token, 2 a ZIP sealed with the
//! key (the rest of the input is the ZIP).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use squirrel::http;
use squirrel::vault::client::{self, ClientError};
use squirrel::vault::keys::{ArchiveKey, KdfParams, MasterKey, MIN_ITERATIONS};
use squirrel::vault::storage;

fn key() -> &'static ArchiveKey {
    static KEY: OnceLock<ArchiveKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let params = KdfParams {
            algorithm: "pbkdf2-sha256".into(),
            salt: "BwcHBwcHBwcHBwcHBwcHBw==".into(),
            iterations: MIN_ITERATIONS,
        };
        MasterKey::derive("password1", &params)
            .expect("key")
            .archive_key()
            .expect("archive key")
    })
}

/// What the CLI would print of an error: it must hold no control character.
fn check_printable(e: &ClientError) {
    let text = e.to_string();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "unprintable error: {text:?}"
    );
}

fn reply(data: &[u8]) {
    let Ok(response) = http::read_response(&mut &data[..], 1 << 20) else {
        return;
    };
    if response.status != 200 {
        check_printable(&client::error_reply(&response));
        return;
    }
    if let Ok(login) = client::login_reply(&response) {
        let _ = login.kdf.salt_bytes();
    }
    match client::list_reply(&response) {
        Ok(archives) => {
            for a in archives {
                assert!(storage::check_archive_name(&a.archive).is_ok());
                let shown = client::printable(&a.file_name);
                assert!(!shown.chars().any(char::is_control));
            }
        }
        Err(e) => check_printable(&e),
    }
    if let Ok(archive) = client::upload_reply(&response) {
        assert!(storage::check_archive_name(&archive).is_ok());
    }
    let _ = client::download_file_reply(&response);
}

fn archive(token: &[u8]) {
    if let Ok((name, content)) = storage::open(token, key(), 1 << 20) {
        assert!(storage::check_file_name(&name).is_ok() || name.is_empty());
        assert!(content.len() <= 1 << 20);
        let _ = storage::entry_matches_archive(&name, "notes.txt_2026-01-01T00-00-00.enc");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => reply(rest),
        1 => archive(rest),
        _ => {
            let Some(fernet) = key().fernet() else {
                return;
            };
            archive(fernet.encrypt(rest).as_bytes());
        }
    }
});
