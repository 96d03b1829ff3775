//! What the chat server keeps, in one SQLite file: `<data dir>/chat.sqlite3` (the
//! bundled SQLite, so nothing is needed on the machine; WAL journal; the schema is made
//! on first start; every statement takes its values as parameters, never spliced in).
//!
//! ```text
//! users        name, salt, iterations, verifier (the vault's PBKDF2 → HKDF verifier:
//!              no password), current_key, created
//! public_keys  fingerprint (hex SHA-256 of the SPKI), user, spki, published
//! messages     id, sender, recipient, position, kind, time, sender_key, recipient_key,
//!              iv, ciphertext (AES-GCM output; an image's is a BLOB of up to 5 MiB)
//! relayed      the --evil server's re-encrypted copy of a message, for its recipient
//! ```
//!
//! Nothing in it can be read without a private key, and private keys never leave the
//! browsers: `squirrel web-chat dump` shows exactly what is here.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::i18n::{Lang, Localized};
use crate::tr_in;
use crate::vault::users::UserRecord;
use crate::webchat::crypto::Kind;

/// The database's file name in the data folder.
pub const DB_FILE: &str = "chat.sqlite3";

/// Longest user name, in characters.
pub const MAX_NAME: usize = 32;

/// The schema version in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    name        TEXT PRIMARY KEY,
    salt        TEXT NOT NULL,
    iterations  INTEGER NOT NULL,
    verifier    TEXT NOT NULL,
    current_key TEXT,
    created     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS public_keys (
    fingerprint TEXT PRIMARY KEY,
    user        TEXT NOT NULL REFERENCES users(name),
    spki        BLOB NOT NULL,
    published   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    sender        TEXT NOT NULL REFERENCES users(name),
    recipient     TEXT NOT NULL REFERENCES users(name),
    pair_first    TEXT NOT NULL,
    pair_second   TEXT NOT NULL,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('text', 'image')),
    time          TEXT NOT NULL,
    sender_key    TEXT NOT NULL,
    recipient_key TEXT NOT NULL,
    iv            BLOB NOT NULL,
    ciphertext    BLOB NOT NULL,
    UNIQUE (pair_first, pair_second, position)
);
CREATE TABLE IF NOT EXISTS relayed (
    message_id    INTEGER PRIMARY KEY REFERENCES messages(id),
    sender_key    TEXT NOT NULL,
    recipient_key TEXT NOT NULL,
    iv            BLOB NOT NULL,
    ciphertext    BLOB NOT NULL
);
";

/// Why the store could not do something. Its `Display` is English (the API's JSON
/// messages and the log); the command line prints [`Localized::localized`].
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// SQLite failed (disk full, damaged file…).
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// The data folder could not be made.
    Folder {
        /// The folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// `dump` on a folder without a database.
    NoDatabase(PathBuf),
    /// The database was made by a newer squirrel.
    Schema {
        /// The database file.
        path: PathBuf,
        /// Its version.
        found: i64,
    },
    /// The user name is refused; the text says why.
    BadName(String),
    /// The user exists already.
    Exists(String),
    /// No such user.
    NoSuchUser(String),
    /// This public key is already another user's.
    KeyTaken,
    /// The position is not the conversation's next one.
    PositionTaken {
        /// The position the sender used.
        given: u64,
        /// The conversation's next free position.
        next: u64,
    },
}

impl Localized for StorageError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            StorageError::Sqlite { path, source } => tr_in!(
                lang,
                "webchat-cli-database-failed",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            StorageError::Folder { path, source } => tr_in!(
                lang,
                "webchat-cli-cannot-make-folder",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            StorageError::NoDatabase(dir) => tr_in!(
                lang,
                "webchat-cli-no-database",
                dir = dir.display().to_string()
            ),
            StorageError::Schema { path, found } => tr_in!(
                lang,
                "webchat-cli-schema",
                path = path.display().to_string(),
                found = found.to_string(),
                known = SCHEMA_VERSION.to_string()
            ),
            StorageError::BadName(name) => {
                tr_in!(lang, "webchat-cli-bad-name", name = format!("{name:?}"))
            }
            StorageError::Exists(name) => tr_in!(lang, "webchat-cli-user-exists", name = name),
            StorageError::NoSuchUser(name) => tr_in!(lang, "webchat-cli-no-user", name = name),
            StorageError::KeyTaken => tr_in!(lang, "webchat-cli-key-taken"),
            StorageError::PositionTaken { given, next } => tr_in!(
                lang,
                "webchat-cli-position-taken",
                given = given.to_string(),
                next = next.to_string()
            ),
        }
    }
}

crate::english_display!(StorageError);

/// Checks a chat user name: 1 to [`MAX_NAME`] visible ASCII characters (`!` to `~`).
/// Any of them, `<` and `&` included: the page shows names with `textContent`, so
/// `<script>` is just a name. No spaces, controls or other scripts, so two names that
/// look the same are the same, and a NUL never separates anything but fields.
pub fn check_chat_name(name: &str) -> Result<(), StorageError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name.bytes().all(|b| (b'!'..=b'~').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(StorageError::BadName(name.to_string()))
    }
}

/// The two names of a conversation in byte order: how a pair is stored and keyed.
pub fn pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a.as_bytes() <= b.as_bytes() {
        (a, b)
    } else {
        (b, a)
    }
}

/// Now, UTC, RFC 3339 to the second: `2025-01-31T12:00:00Z`.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A published public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyRow {
    /// Hex SHA-256 of the SPKI.
    pub fingerprint: String,
    /// Whose key.
    pub user: String,
    /// The key, SPKI DER.
    pub spki: Vec<u8>,
    /// When it was published (RFC 3339).
    pub published: String,
}

/// A message to store (the server assigns its id and time).
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// Sender's user name.
    pub sender: &'a str,
    /// Recipient's user name.
    pub recipient: &'a str,
    /// Position in the conversation (0 for the first), part of the AAD.
    pub position: u64,
    /// Text or image.
    pub kind: Kind,
    /// Fingerprint of the sender's key the sender used.
    pub sender_key: &'a str,
    /// Fingerprint of the recipient's key the sender used.
    pub recipient_key: &'a str,
    /// AES-GCM IV, 12 bytes.
    pub iv: &'a [u8],
    /// AES-GCM ciphertext ‖ tag.
    pub ciphertext: &'a [u8],
}

/// A ciphertext and the keys it was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Fingerprint of the sender's key.
    pub sender_key: String,
    /// Fingerprint of the recipient's key.
    pub recipient_key: String,
    /// AES-GCM IV.
    pub iv: Vec<u8>,
    /// Ciphertext ‖ tag; `None` for an image in a listing (fetched on its own).
    pub ciphertext: Option<Vec<u8>>,
    /// Ciphertext length in bytes.
    pub size: u64,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// Server-assigned id, increasing.
    pub id: i64,
    /// Sender's user name.
    pub sender: String,
    /// Recipient's user name.
    pub recipient: String,
    /// Position in the conversation.
    pub position: u64,
    /// Text or image.
    pub kind: Kind,
    /// When the server stored it (RFC 3339, the server's clock: not authenticated).
    pub time: String,
    /// What the sender sent.
    pub sealed: Sealed,
    /// The `--evil` server's copy for the recipient, if it made one.
    pub relayed: Option<Sealed>,
}

/// One user as `dump` shows it.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// The name.
    pub name: String,
    /// The verifier record (salt, iterations, verifier).
    pub record: UserRecord,
    /// Fingerprint of the current public key.
    pub current_key: Option<String>,
    /// When the account was made.
    pub created: String,
}

/// The chat's SQLite database, behind one lock (one connection; a worker holds it for
/// one statement or transaction at a time).
#[derive(Debug)]
pub struct Storage {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Storage {
    /// Opens `<data_dir>/chat.sqlite3`, making the folder (mode 0700), the file and the
    /// schema if needed.
    pub fn open(data_dir: &Path) -> Result<Self, StorageError> {
        make_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|source| StorageError::Sqlite {
            path: path.clone(),
            source,
        })?;
        let storage = Storage {
            conn: Mutex::new(conn),
            path,
        };
        storage.set_up()?;
        Ok(storage)
    }

    /// Opens an existing database read-only (for `dump`, also while the server runs).
    pub fn open_read_only(data_dir: &Path) -> Result<Self, StorageError> {
        let path = data_dir.join(DB_FILE);
        if !path.exists() {
            return Err(StorageError::NoDatabase(data_dir.to_path_buf()));
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(
            |source| StorageError::Sqlite {
                path: path.clone(),
                source,
            },
        )?;
        let storage = Storage {
            conn: Mutex::new(conn),
            path,
        };
        storage.check_version()?;
        Ok(storage)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn err(&self, source: rusqlite::Error) -> StorageError {
        StorageError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn set_up(&self) -> Result<(), StorageError> {
        self.check_version()?;
        let conn = self.lock();
        // WAL: readers (`dump`) never block the server, and a write is one append.
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|()| conn.busy_timeout(std::time::Duration::from_secs(5)))
            .and_then(|()| conn.execute_batch(SCHEMA))
            .and_then(|()| conn.pragma_update(None, "user_version", SCHEMA_VERSION))
            .map_err(|e| self.err(e))
    }

    fn check_version(&self) -> Result<(), StorageError> {
        let found: i64 = self
            .lock()
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.err(e))?;
        if found > SCHEMA_VERSION {
            return Err(StorageError::Schema {
                path: self.path.clone(),
                found,
            });
        }
        Ok(())
    }

    /// Adds a user with its verifier record.
    pub fn add_user(&self, name: &str, record: &UserRecord) -> Result<(), StorageError> {
        check_chat_name(name)?;
        let conn = self.lock();
        let added = conn
            .execute(
                "INSERT OR IGNORE INTO users (name, salt, iterations, verifier, created)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, record.salt, record.iterations, record.verifier, now()],
            )
            .map_err(|e| self.err(e))?;
        if added == 0 {
            return Err(StorageError::Exists(name.to_string()));
        }
        Ok(())
    }

    /// A user's verifier record.
    pub fn user(&self, name: &str) -> Result<Option<UserRecord>, StorageError> {
        self.lock()
            .query_row(
                "SELECT salt, iterations, verifier FROM users WHERE name = ?1",
                [name],
                |row| {
                    Ok(UserRecord {
                        salt: row.get(0)?,
                        iterations: row.get(1)?,
                        verifier: row.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRow>, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare(
                "SELECT name, salt, iterations, verifier, current_key, created
                 FROM users ORDER BY name",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok(UserRow {
                    name: row.get(0)?,
                    record: UserRecord {
                        salt: row.get(1)?,
                        iterations: row.get(2)?,
                        verifier: row.get(3)?,
                    },
                    current_key: row.get(4)?,
                    created: row.get(5)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e));
        rows
    }

    /// Publishes `spki` (fingerprint `fingerprint`) as `user`'s current key. Publishing
    /// a key again only makes it current again.
    pub fn publish_key(
        &self,
        user: &str,
        spki: &[u8],
        fingerprint: &str,
    ) -> Result<(), StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let owner: Option<String> = tx
            .query_row(
                "SELECT user FROM public_keys WHERE fingerprint = ?1",
                [fingerprint],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        match owner {
            Some(owner) if owner != user => return Err(StorageError::KeyTaken),
            Some(_) => {}
            None => {
                tx.execute(
                    "INSERT INTO public_keys (fingerprint, user, spki, published)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![fingerprint, user, spki, now()],
                )
                .map_err(|e| self.err(e))?;
            }
        }
        let changed = tx
            .execute(
                "UPDATE users SET current_key = ?1 WHERE name = ?2",
                params![fingerprint, user],
            )
            .map_err(|e| self.err(e))?;
        if changed == 0 {
            return Err(StorageError::NoSuchUser(user.to_string()));
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// A key by fingerprint.
    pub fn key(&self, fingerprint: &str) -> Result<Option<PublicKeyRow>, StorageError> {
        self.lock()
            .query_row(
                "SELECT fingerprint, user, spki, published FROM public_keys
                 WHERE fingerprint = ?1",
                [fingerprint],
                key_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// A user's current key, if the user has published one.
    pub fn current_key(&self, user: &str) -> Result<Option<PublicKeyRow>, StorageError> {
        self.lock()
            .query_row(
                "SELECT k.fingerprint, k.user, k.spki, k.published
                 FROM users u JOIN public_keys k ON k.fingerprint = u.current_key
                 WHERE u.name = ?1",
                [user],
                key_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every published key, oldest first.
    pub fn keys(&self) -> Result<Vec<PublicKeyRow>, StorageError> {
        let conn = self.lock();
        let mut statement = conn
            .prepare(
                "SELECT fingerprint, user, spki, published FROM public_keys
                 ORDER BY published, user",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], key_row)
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e));
        rows
    }

    /// Stores a message at the conversation's next position; returns its id and time.
    /// [`StorageError::PositionTaken`] when `position` is not the next one (two sides
    /// sent at once: the later one fetches and sends again).
    pub fn add_message(&self, message: &NewMessage<'_>) -> Result<(i64, String), StorageError> {
        let (first, second) = pair(message.sender, message.recipient);
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let next: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM messages
                 WHERE pair_first = ?1 AND pair_second = ?2",
                params![first, second],
                |row| row.get(0),
            )
            .map_err(|e| self.err(e))?;
        let next = u64::try_from(next).unwrap_or(0);
        if message.position != next {
            return Err(StorageError::PositionTaken {
                given: message.position,
                next,
            });
        }
        let time = now();
        tx.execute(
            "INSERT INTO messages (sender, recipient, pair_first, pair_second, position, kind,
                                   time, sender_key, recipient_key, iv, ciphertext)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                message.sender,
                message.recipient,
                first,
                second,
                next as i64,
                message.kind.as_str(),
                time,
                message.sender_key,
                message.recipient_key,
                message.iv,
                message.ciphertext
            ],
        )
        .map_err(|e| self.err(e))?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(|e| self.err(e))?;
        Ok((id, time))
    }

    /// Stores the `--evil` server's copy of message `id` for its recipient.
    pub fn add_relayed(&self, id: i64, copy: &Sealed) -> Result<(), StorageError> {
        let ciphertext = copy.ciphertext.as_deref().unwrap_or_default();
        self.lock()
            .execute(
                "INSERT OR REPLACE INTO relayed (message_id, sender_key, recipient_key, iv, ciphertext)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, copy.sender_key, copy.recipient_key, copy.iv, ciphertext],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The conversation of `a` and `b` after message id `after`, oldest first, at most
    /// `limit` messages; image ciphertexts are left out (see [`Storage::image`]).
    pub fn messages(
        &self,
        a: &str,
        b: &str,
        after: i64,
        limit: u32,
    ) -> Result<Vec<MessageRow>, StorageError> {
        let (first, second) = pair(a, b);
        self.select_messages(
            "WHERE m.pair_first = ?1 AND m.pair_second = ?2 AND m.id > ?3
             ORDER BY m.id LIMIT ?4",
            params![first, second, after, limit],
        )
    }

    /// Every message, oldest first, for `dump` (image ciphertexts left out).
    pub fn all_messages(&self) -> Result<Vec<MessageRow>, StorageError> {
        self.select_messages("ORDER BY m.id", params![])
    }

    fn select_messages(
        &self,
        tail: &str,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<MessageRow>, StorageError> {
        let sql = format!(
            "SELECT m.id, m.sender, m.recipient, m.position, m.kind, m.time,
                    m.sender_key, m.recipient_key, m.iv,
                    CASE m.kind WHEN 'text' THEN m.ciphertext END, length(m.ciphertext),
                    r.sender_key, r.recipient_key, r.iv,
                    CASE m.kind WHEN 'text' THEN r.ciphertext END, length(r.ciphertext)
             FROM messages m LEFT JOIN relayed r ON r.message_id = m.id {tail}"
        );
        let conn = self.lock();
        let mut statement = conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(values, |row| {
                let kind: String = row.get(4)?;
                let relayed = match row.get::<_, Option<String>>(11)? {
                    Some(sender_key) => Some(Sealed {
                        sender_key,
                        recipient_key: row.get(12)?,
                        iv: row.get(13)?,
                        ciphertext: row.get(14)?,
                        size: row.get::<_, i64>(15)? as u64,
                    }),
                    None => None,
                };
                Ok(MessageRow {
                    id: row.get(0)?,
                    sender: row.get(1)?,
                    recipient: row.get(2)?,
                    position: row.get::<_, i64>(3)? as u64,
                    kind: Kind::parse(&kind).unwrap_or(Kind::Text),
                    time: row.get(5)?,
                    sealed: Sealed {
                        sender_key: row.get(6)?,
                        recipient_key: row.get(7)?,
                        iv: row.get(8)?,
                        ciphertext: row.get(9)?,
                        size: row.get::<_, i64>(10)? as u64,
                    },
                    relayed,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e));
        rows
    }

    /// An image message's ciphertexts: `(sender, recipient, as sent, relayed copy)`.
    #[allow(clippy::type_complexity)]
    pub fn image(
        &self,
        id: i64,
    ) -> Result<Option<(String, String, Vec<u8>, Option<Vec<u8>>)>, StorageError> {
        self.lock()
            .query_row(
                "SELECT m.sender, m.recipient, m.ciphertext, r.ciphertext
                 FROM messages m LEFT JOIN relayed r ON r.message_id = m.id
                 WHERE m.id = ?1 AND m.kind = 'image'",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The first `n` bytes of a message's stored ciphertext (for `dump`).
    pub fn ciphertext_prefix(&self, id: i64, n: usize) -> Result<Vec<u8>, StorageError> {
        self.lock()
            .query_row(
                "SELECT substr(ciphertext, 1, ?2) FROM messages WHERE id = ?1",
                params![id, n as i64],
                |row| row.get(0),
            )
            .map_err(|e| self.err(e))
    }
}

fn key_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PublicKeyRow> {
    Ok(PublicKeyRow {
        fingerprint: row.get(0)?,
        user: row.get(1)?,
        spki: row.get(2)?,
        published: row.get(3)?,
    })
}

/// Makes `dir` (and parents); on Unix a new folder is readable by its owner only.
fn make_private_dir(dir: &Path) -> Result<(), StorageError> {
    let folder_error = |source| StorageError::Folder {
        path: dir.to_path_buf(),
        source,
    };
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(folder_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> UserRecord {
        UserRecord::new("password1", crate::vault::keys::MIN_ITERATIONS).unwrap()
    }

    fn text<'a>(sender: &'a str, recipient: &'a str, position: u64) -> NewMessage<'a> {
        NewMessage {
            sender,
            recipient,
            position,
            kind: Kind::Text,
            sender_key: "k1",
            recipient_key: "k2",
            iv: &[0; 12],
            ciphertext: b"opaque",
        }
    }

    #[test]
    fn positions_are_per_pair_and_a_taken_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        for name in ["alice", "bob", "carol"] {
            store.add_user(name, &record()).unwrap();
        }
        store.add_message(&text("alice", "bob", 0)).unwrap();
        store.add_message(&text("bob", "alice", 1)).unwrap();
        store.add_message(&text("alice", "carol", 0)).unwrap();
        match store.add_message(&text("bob", "alice", 1)) {
            Err(StorageError::PositionTaken { given: 1, next: 2 }) => {}
            other => panic!("{other:?}"),
        }
        let between = store.messages("bob", "alice", 0, 100).unwrap();
        assert_eq!(
            between.iter().map(|m| m.position).collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(
            store
                .messages("alice", "bob", between[0].id, 100)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn names_with_markup_are_names_and_spaces_are_not() {
        assert!(check_chat_name("<script>alert(1)</script>").is_ok());
        for bad in ["", "a b", "zoé", "tab\t", &"x".repeat(33)] {
            assert!(check_chat_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_key_stays_with_its_user_and_the_newest_is_current() {
        let dir = tempfile::tempdir().unwrap();
        let store = Storage::open(dir.path()).unwrap();
        store.add_user("alice", &record()).unwrap();
        store.add_user("bob", &record()).unwrap();
        assert!(matches!(
            store.add_user("alice", &record()),
            Err(StorageError::Exists(_))
        ));
        store.publish_key("alice", b"spki-1", "f1").unwrap();
        store.publish_key("alice", b"spki-2", "f2").unwrap();
        assert_eq!(
            store.current_key("alice").unwrap().unwrap().fingerprint,
            "f2"
        );
        assert_eq!(store.key("f1").unwrap().unwrap().spki, b"spki-1");
        assert!(matches!(
            store.publish_key("bob", b"spki-1", "f1"),
            Err(StorageError::KeyTaken)
        ));
        assert!(store.current_key("bob").unwrap().is_none());
    }
}
