//! squirrel: learn how HTTPS protects data by building it, one stage at a time.
//!
//! The stages of the tutorial "Exploring HTTPS with Python" (the Secret Squirrels
//! and their message `fluffy tail`) share the machinery in this crate:
//!
//! - [`files`]: atomic writes, files for their owner only, JSON state files;
//! - [`hex`]: bytes as hex text, as openssl and Wireshark write them;
//! - [`i18n`]: every message for a person in English and French (Fluent catalogs);
//! - [`http`]: HTTP/1.1 requests and responses over any `Read`/`Write`, written by hand
//!   so the bytes on the wire stay visible;
//! - [`net`]: the plain TCP connection every client opens first, with deadlines;
//! - [`server`]: the one blocking accept loop, with per-connection deadlines and limits;
//! - [`tls`]: OpenSSL acceptors and connectors (mutual TLS, TLS 1.2 minimum, key log),
//!   and why a handshake failed ([`tls::TrustFailure`]), in one wording;
//! - [`pki`]: a small certificate authority (CA, CSR, server and client certificates);
//! - [`lessons`]: the numbered lessons and the table that lists them;
//! - [`tap`]: a relay that keeps a copy of every byte, to show what an eavesdropper sees;
//! - [`pcap`]: what the tap saw as Ethernet/IP/TCP packets in pcap and pcapng files;
//! - [`trust_store`]: our CA in the browsers' and the system's trust stores (`ca install`);
//! - [`tls_records`]: TLS records and the handshake messages in clear, as an eavesdropper
//!   reads them;
//! - [`tour`]: every stage end to end on loopback, with the tap between client and server;
//! - [`diagram`]: ladder diagrams and byte views of what the tap saw (`tour --html`,
//!   `tap --web`);
//! - [`vault`]: the club's file vault, server and client, built from the pieces above;
//! - [`webchat`]: the browser chat of lesson 09, end-to-end encrypted with WebCrypto;
//! - [`web`]: what the pages squirrel serves share (files compiled in, headers).

// Every public item says what it is, in which units, and where it comes from.
#![warn(missing_docs)]

pub mod diagram;
pub mod files;
pub mod hex;
pub mod http;
pub mod i18n;
pub mod kdf;
pub mod lessons;
pub mod net;
pub mod pcap;
pub mod pki;
pub mod server;
pub mod tap;
pub mod tls;
pub mod tls_records;
pub mod tour;
pub mod trust_store;
pub mod vault;
pub mod web;
pub mod webchat;
