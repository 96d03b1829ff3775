//! The Secret Squirrels' file vault: members log in over mutual TLS, upload files that
//! the server zips and encrypts at rest (Fernet), list their archives, and download and
//! decrypt them. Built from the lessons' pieces: [`crate::http`], [`crate::server`],
//! [`crate::tls`] and [`crate::pki`].
//!
//! - [`keys`]: PBKDF2 → HKDF key derivation, shared by server and client;
//! - [`users`]: `users.json` (salt, iterations, verifier — never a password);
//! - [`sessions`]: session ids and the archive keys they hold, in memory;
//! - [`throttle`]: slowing down password guessing, per user name;
//! - [`storage`]: archive names, the ZIP + Fernet format, atomic writes;
//! - [`fernet_stream`]: Fernet tokens written and read in pieces (verified before any
//!   plaintext is released);
//! - [`server`]: the wire protocol as a request handler;
//! - [`pipeline`]: three threads for one upload (receive, seal, write);
//! - [`client`]: the same protocol from the member's side;
//! - [`config`], [`schedule`], [`progress`]: the client's remembered settings, daily
//!   scheduled uploads, and transfer progress;
//! - [`ui`]: the client's terminal UI.

pub mod client;
pub mod config;
pub mod fernet_stream;
pub mod keys;
pub mod pipeline;
pub mod progress;
pub mod schedule;
pub mod server;
pub mod sessions;
pub mod storage;
pub mod throttle;
pub mod ui;
pub mod users;
