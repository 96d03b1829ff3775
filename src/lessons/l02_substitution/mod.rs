//! Lesson 02 — a substitution cipher.
//!
//! The Secret Squirrels stop sending `fluffy tail` in clear text: each letter moves one
//! place back in the alphabet, so the wire carries `ekteex szhk`. Their chat relay stores
//! and forwards only such ciphertext — it has no key. It looks safe, and it is a TOY: there
//! are only 26 keys to try, and letter frequencies give the key away without trying any.
//!
//! In the order the lesson text tells it: the cipher, the chat server, the chat client,
//! and the eavesdropper who breaks it all by frequency analysis.
//!
//! One file per part: [`cipher`], [`chat_server`](mod@chat_server), [`chat_client`],
//! [`crack`](mod@crack); their
//! items are also here, as `l02_substitution::encrypt` etc.

pub mod chat_client;
pub mod chat_server;
pub mod cipher;
pub mod crack;

use std::path::PathBuf;

use crate::lessons::LessonError;

pub use chat_client::{ChatClient, Received};
pub use chat_server::{chat_server, parse_chat_log, ChatRoom, LogLine, CHAT_WORKERS};
pub use cipher::{decrypt, encrypt};
pub use crack::{
    chi_squared, crack, crack_chat_log, letter_counts, Crack, CrackedLog, Guess, Language,
};

/// Letters in the alphabet the cipher shifts: `A`–`Z` and `a`–`z`.
pub const ALPHABET_LEN: u8 = 26;

/// The tutorial's key: each letter moves one place back (`f` → `e`).
pub const TUTORIAL_SHIFT: i64 = 1;

/// Largest chat message, in bytes of ciphertext (`NAME: message`). Over it: 413.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024;

/// Messages the relay keeps in memory for clients that poll; the log file keeps all.
pub const KEPT_MESSAGES: usize = 1000;

/// Fewest letters frequency analysis needs before its answer deserves trust.
pub const MIN_LETTERS: u64 = 20;

/// Why a lesson 02 step failed.
#[derive(Debug, thiserror::Error)]
pub enum SubstitutionError {
    /// Connecting to the relay, or its reply, failed (the text says how).
    #[error(transparent)]
    Lesson(#[from] LessonError),
    /// The chat log could not be opened or written.
    #[error("cannot append to the chat log {path}: {source}")]
    Log {
        /// The chat log (`log.txt` unless `--log` says otherwise).
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The encrypted message is larger than [`MAX_MESSAGE_BYTES`].
    #[error("the message is {length} bytes once encrypted; the chat takes at most {limit}")]
    TooLong {
        /// Its length in bytes.
        length: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A name or message that cannot travel as one line of text.
    #[error("{0}")]
    BadText(String),
    /// The relay's reply does not have the shape this client expects.
    #[error("the chat server's reply makes no sense: {0}")]
    BadReply(String),
    /// Frequency analysis needs at least one letter.
    #[error("the text has no letters A–Z to analyse")]
    NoLetters,
}
