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

use crate::i18n::{Lang, Localized};
use crate::lessons::LessonError;
use crate::tr_in;

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

/// Why a lesson 02 step failed. Words from `locales/*/substitution.ftl`
/// ([`Localized`]); `Display` is English.
#[derive(Debug, thiserror::Error)]
pub enum SubstitutionError {
    /// Connecting to the relay, or its reply, failed (the text says how).
    Lesson(#[from] LessonError),
    /// The chat log could not be opened or written.
    Log {
        /// The chat log (`log.txt` unless `--log` says otherwise).
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The encrypted message is larger than [`MAX_MESSAGE_BYTES`].
    TooLong {
        /// Its length in bytes.
        length: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A name or message that cannot travel as one line of text.
    BadText(BadText),
    /// The relay's reply does not have the shape this client expects.
    BadReply(BadReply),
    /// Frequency analysis needs at least one letter.
    NoLetters,
}

/// What is wrong with a chat member's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadText {
    /// An empty name, or one with control characters (a line break).
    Name,
    /// A message with control characters.
    Message,
}

/// How the relay's reply is not what the chat client expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadReply {
    /// The body is not UTF-8.
    NotUtf8,
    /// The body's line count does not match the indexes in the headers.
    Lines {
        /// Lines in the body.
        lines: usize,
        /// `X-First-Index`.
        first: u64,
        /// `X-Next-Index`.
        next: u64,
    },
    /// A header is missing (its name).
    NoHeader(String),
    /// A header that should hold a number does not.
    NotANumber {
        /// The header's name.
        name: String,
        /// Its value.
        value: String,
    },
}

impl Localized for BadReply {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            BadReply::NotUtf8 => tr_in!(lang, "substitution-reply-not-utf8"),
            BadReply::Lines { lines, first, next } => tr_in!(
                lang,
                "substitution-reply-lines",
                lines = lines.to_string(),
                first = first.to_string(),
                next = next.to_string()
            ),
            BadReply::NoHeader(name) => tr_in!(lang, "substitution-reply-no-header", name = name),
            BadReply::NotANumber { name, value } => tr_in!(
                lang,
                "substitution-reply-not-a-number",
                name = name,
                value = format!("{value:?}")
            ),
        }
    }
}

impl Localized for SubstitutionError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            SubstitutionError::Lesson(e) => e.message_in(lang),
            SubstitutionError::Log { path, source } => tr_in!(
                lang,
                "substitution-error-log",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            SubstitutionError::TooLong { length, limit } => tr_in!(
                lang,
                "substitution-error-too-long",
                length = length.to_string(),
                limit = limit.to_string()
            ),
            SubstitutionError::BadText(BadText::Name) => tr_in!(lang, "substitution-bad-name"),
            SubstitutionError::BadText(BadText::Message) => {
                tr_in!(lang, "substitution-bad-message")
            }
            SubstitutionError::BadReply(reason) => tr_in!(
                lang,
                "substitution-error-bad-reply",
                reason = reason.message_in(lang)
            ),
            SubstitutionError::NoLetters => tr_in!(lang, "substitution-error-no-letters"),
        }
    }
}

crate::english_display!(SubstitutionError);
