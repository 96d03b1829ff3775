//! Lesson 09 — the browser chat.
//!
//! The last stage takes encryption into the browser. Our HTTPS server (lessons 05–07)
//! serves a page whose JavaScript makes an ECDH P-256 key pair with WebCrypto, keeps the
//! private half non-extractable in IndexedDB, and encrypts every message and image with
//! AES-256-GCM under a key only the two browsers can derive. The server stores what it
//! cannot read; safety numbers let two people check they hold each other's real keys,
//! and `--evil` shows what happens when the server lies about them (lesson 04's man in
//! the middle, caught).
//!
//! Read it in this order (the lesson text follows the same path):
//!
//! 1. `web/crypto.js`: every WebCrypto call, and [`crate::webchat::crypto`], its Rust
//!    twin with OpenSSL;
//! 2. `web/keystore.js`, `web/api.js`, `web/app.js`, `web/view.js`: where the key
//!    lives, what is sent, the chat itself, and text put in the page as text;
//! 3. [`crate::webchat::api`]: the server, which checks sessions, positions and keys
//!    but sees only ciphertext, stored by [`crate::webchat::storage`];
//! 4. [`crate::webchat::dump`]: what the server holds, printed;
//! 5. [`crate::webchat::evil`]: the server as a man in the middle.

pub use crate::webchat::crypto::{associated_data, open, pair_key, safety_number, seal, PROTOCOL};
pub use crate::webchat::{start, Chat, ChatOptions, ServeOptions};
