//! The browser chat of lesson 09: end-to-end encryption with WebCrypto, over our HTTPS.
//!
//! The server is the shared accept loop ([`crate::server`]) behind the OpenSSL acceptor
//! ([`crate::tls`]), serving a page compiled in from `web/` and a JSON API. The browsers
//! make the keys, encrypt and decrypt; the server stores what it cannot read.
//!
//! - [`crypto`]: the end-to-end format (the Rust twin of `web/crypto.js`);
//! - [`storage`]: users, public keys and ciphertexts in SQLite;
//! - [`api`]: the page and the API as a request handler;
//! - [`page`]: the files of `web/`, compiled in;
//! - [`words`]: every word of the page, in English and French;
//! - [`evil`]: `--evil`, the server as a man in the middle;
//! - [`dump`]: what the server holds, printed.

pub mod api;
pub mod crypto;
pub mod dump;
pub mod evil;
pub mod page;
pub mod storage;
pub mod words;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use crate::i18n::{self, Lang, Localized};
use crate::server::{Handler, Limits, Server, ServerHandle, Transport};
use crate::tls::{self, TlsError};
use crate::tr_in;
use crate::vault::keys::DEFAULT_ITERATIONS;

pub use api::Chat;

/// Largest text message, in bytes of UTF-8 (its ciphertext is 16 bytes more). Over it:
/// 413.
pub const MAX_TEXT: usize = 64 * 1024;

/// Default largest image, in bytes (`--max-image`). Over it: 413.
pub const DEFAULT_MAX_IMAGE: u64 = 5 * 1024 * 1024;

/// Default folder of the database.
pub const DEFAULT_DATA_DIR: &str = "chat-data";

/// Default number of workers: a browser opens several connections at once (the page's
/// files, a poll, a send) and some ahead of need, which one worker would serve in turn.
pub const DEFAULT_WORKERS: usize = 4;

/// What the chat allows.
#[derive(Debug, Clone)]
pub struct ChatOptions {
    /// Whether anyone may register (`--no-register` turns it off).
    pub registration: bool,
    /// Largest image, in bytes.
    pub max_image: u64,
    /// PBKDF2 iterations for new passwords.
    pub iterations: u32,
    /// Whether the server is the man in the middle (`--evil`).
    pub evil: bool,
    /// The page's language for a browser whose `Accept-Language` names neither French
    /// nor English: the server's (`--lang`, else the locale).
    pub lang: Lang,
}

impl Default for ChatOptions {
    fn default() -> Self {
        ChatOptions {
            registration: true,
            max_image: DEFAULT_MAX_IMAGE,
            iterations: DEFAULT_ITERATIONS,
            evil: false,
            lang: i18n::lang(),
        }
    }
}

/// Why the chat server could not start (English `Display` for the log; the command line
/// prints [`Localized::localized`]).
#[derive(Debug, thiserror::Error)]
pub enum WebChatError {
    /// The database could not be opened.
    Storage(#[from] storage::StorageError),
    /// The certificate or key could not be used.
    Tls(#[from] TlsError),
    /// The address could not be bound.
    Bind {
        /// The address.
        addr: String,
        /// The socket error.
        #[source]
        source: std::io::Error,
    },
    /// The workers could not be started.
    Io(#[from] std::io::Error),
}

impl Localized for WebChatError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            WebChatError::Storage(e) => e.message_in(lang),
            WebChatError::Tls(e) => e.message_in(lang),
            WebChatError::Bind { addr, source } => tr_in!(
                lang,
                "net-cannot-listen",
                addr = addr,
                reason = source.to_string()
            ),
            WebChatError::Io(e) => tr_in!(lang, "webchat-cli-cannot-start", reason = e.to_string()),
        }
    }
}

crate::english_display!(WebChatError);

/// How to run the chat server (`squirrel web-chat serve`).
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind, e.g. `127.0.0.1:5683`.
    pub addr: String,
    /// The server certificate chain (PEM).
    pub cert: PathBuf,
    /// Its private key (PEM).
    pub key: PathBuf,
    /// Connection limits; `max_body` is raised to fit the largest image.
    pub limits: Limits,
    /// Number of accept loops (at least 1).
    pub workers: usize,
}

/// Binds, wraps the listener in TLS (1.2 or newer, no client certificate) and serves
/// `chat` on background threads; the handle stops it.
pub fn start(options: &ServeOptions, chat: Arc<Chat>) -> Result<ServerHandle, WebChatError> {
    let acceptor = tls::server_acceptor(&options.cert, &options.key, None)?;
    let listener = TcpListener::bind(&options.addr).map_err(|source| WebChatError::Bind {
        addr: options.addr.clone(),
        source,
    })?;
    let mut limits = options.limits.clone();
    // The handler sets each route's own limit (64 KiB text, the image limit); this is
    // only the ceiling.
    limits.max_body = limits.max_body.max(chat.largest_body());
    let handler: Arc<dyn Handler> = chat;
    Ok(
        Server::new("web-chat", listener, Transport::OpenSsl(acceptor), handler)
            .limits(limits)
            .workers(options.workers)
            .spawn()?,
    )
}
