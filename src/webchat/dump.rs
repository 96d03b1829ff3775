//! `squirrel web-chat dump`: everything the server holds, printed — the lesson's "what
//! the server sees". User names and password verifiers, public keys by fingerprint, and
//! for every message who sent it to whom, when, its size and the first bytes of its
//! ciphertext. No text, no image, no private key: the server has none of them.

use std::fmt::Write as _;
use std::path::Path;

use crate::tr;
use crate::webchat::crypto::Kind;
use crate::webchat::storage::{Storage, StorageError};

/// How many ciphertext bytes each message line shows.
pub const PREFIX_BYTES: usize = 16;

/// The report for the database in `data_dir` (opened read-only, also while the server
/// runs). Errors: no database there, or SQLite's.
pub fn dump(data_dir: &Path) -> Result<String, StorageError> {
    let storage = Storage::open_read_only(data_dir)?;
    let mut out = String::new();
    let size = std::fs::metadata(storage.path())
        .map(|m| m.len())
        .unwrap_or(0);
    // Recent writes sit in the WAL journal beside the file until SQLite folds them in.
    let mut wal = storage.path().as_os_str().to_owned();
    wal.push("-wal");
    let journal = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let path = storage.path().display().to_string();
    let title = if journal > 0 {
        tr!(
            "webchat-cli-dump-title-journal",
            path = path,
            size = human_size(size),
            total = human_size(size + journal)
        )
    } else {
        tr!(
            "webchat-cli-dump-title",
            path = path,
            size = human_size(size)
        )
    };
    let _ = writeln!(out, "{title}");

    let users = storage.users()?;
    let _ = writeln!(out, "\n{}", tr!("webchat-cli-dump-users", n = users.len()));
    for user in &users {
        let line = tr!(
            "webchat-cli-dump-user",
            iterations = user.record.iterations.to_string(),
            salt = user.record.salt.as_str(),
            verifier = user.record.verifier.get(..12).unwrap_or(""),
            key = user
                .current_key
                .as_deref()
                .map(short_fingerprint)
                .unwrap_or_else(|| tr!("webchat-cli-dump-no-key"))
        );
        let _ = writeln!(out, "  {:<16} {line}", user.name);
    }

    let keys = storage.keys()?;
    let _ = writeln!(out, "\n{}", tr!("webchat-cli-dump-keys", n = keys.len()));
    for key in &keys {
        let current = users
            .iter()
            .any(|u| u.current_key.as_deref() == Some(key.fingerprint.as_str()));
        let line = if current {
            tr!(
                "webchat-cli-dump-key",
                bytes = key.spki.len(),
                published = key.published.as_str()
            )
        } else {
            tr!(
                "webchat-cli-dump-key-replaced",
                bytes = key.spki.len(),
                published = key.published.as_str()
            )
        };
        let _ = writeln!(
            out,
            "  {:<16} {}  {line}",
            key.user,
            short_fingerprint(&key.fingerprint)
        );
    }

    let messages = storage.all_messages()?;
    let _ = writeln!(
        out,
        "\n{}",
        tr!("webchat-cli-dump-messages", n = messages.len())
    );
    let mut relayed = 0;
    for m in &messages {
        let prefix = storage.ciphertext_prefix(m.id, PREFIX_BYTES)?;
        let kind = match m.kind {
            Kind::Text => tr!("webchat-cli-dump-text"),
            Kind::Image => tr!("webchat-cli-dump-image"),
        };
        let _ = writeln!(
            out,
            "  #{:<4} {}  {} → {}  {:<5} {} {:<3} {:>9}  {}…",
            m.id,
            m.time,
            m.sender,
            m.recipient,
            kind,
            tr!("webchat-cli-dump-position"),
            m.position,
            human_size(m.sealed.size),
            crate::hex::encode(&prefix)
        );
        if m.relayed.is_some() {
            relayed += 1;
        }
    }
    let images = messages.iter().filter(|m| m.kind == Kind::Image).count();
    if images > 0 {
        let _ = writeln!(out, "  {}", tr!("webchat-cli-dump-images", n = images));
    }
    if relayed > 0 {
        let _ = writeln!(out, "\n{}", tr!("webchat-cli-dump-relayed", n = relayed));
    }
    Ok(out)
}

/// `a1b2 c3d4 e5f6 a7b8`: the first 8 bytes of a fingerprint, in groups, enough to
/// compare by eye.
pub fn short_fingerprint(fingerprint: &str) -> String {
    let head = fingerprint.get(..16).unwrap_or(fingerprint);
    let groups: Vec<&str> = (0..head.len())
        .step_by(4)
        .map(|i| &head[i..(i + 4).min(head.len())])
        .collect();
    format!("{}…", groups.join(" "))
}

fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}
