//! `web-chat serve --evil`: the server turns into lesson 04's man in the middle.
//!
//! The server hands out the public keys, so it can lie about them. For every real key it
//! makes a stand-in of its own, and shows each user the stand-ins of everyone else.
//! Alice then encrypts for the server believing she encrypts for Bob; the server
//! decrypts, logs what it read, and encrypts again for Bob with its stand-in for Alice.
//! Both pages decrypt and the chat works — but each page computes its safety number
//! from the keys it was given, so Alice's and Bob's numbers no longer match. Reading
//! them to each other is how the students catch the lie.
//!
//! Everything here uses the format of [`crate::webchat::crypto`], with OpenSSL: the
//! browser encrypts with WebCrypto, this module decrypts; this module encrypts, the
//! browser decrypts. Stand-in private keys live in this process only.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use openssl::pkey::{PKey, Private};

use crate::webchat::crypto::{self, CryptoError, ImagePlaintext, Kind};
use crate::webchat::storage::{NewMessage, PublicKeyRow, Sealed, Storage};

/// Longest piece of a text the log shows, in characters.
const LOG_TEXT: usize = 200;

/// A key the server made to stand in for a user's real key.
struct StandIn {
    key: PKey<Private>,
    row: PublicKeyRow,
}

/// The man in the middle's state: one stand-in key per real key.
#[derive(Default)]
pub struct Evil {
    /// Real fingerprint → its stand-in.
    by_real: Mutex<HashMap<String, StandIn>>,
    /// Stand-in fingerprint → the real fingerprint it replaces.
    by_fake: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for Evil {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Evil({} stand-in keys)", lock(&self.by_fake).len())
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Evil {
    /// No stand-ins yet: they are made when a key is first shown.
    pub fn new() -> Self {
        Evil::default()
    }

    /// The key shown to everyone but its owner in place of `real`: same user name, the
    /// server's own key. Made on first use, then always the same.
    pub fn stand_in(&self, real: &PublicKeyRow) -> Result<PublicKeyRow, CryptoError> {
        let mut by_real = lock(&self.by_real);
        if let Some(stand_in) = by_real.get(&real.fingerprint) {
            return Ok(stand_in.row.clone());
        }
        let key = crypto::generate_key()?;
        let spki = crypto::spki(&key)?;
        let row = PublicKeyRow {
            fingerprint: crypto::fingerprint(&spki),
            user: real.user.clone(),
            spki,
            published: real.published.clone(),
        };
        log::warn!(
            "web-chat (evil): showing everyone but {} a key of mine ({}…) instead of theirs ({}…)",
            real.user,
            &row.fingerprint[..16],
            real.fingerprint.get(..16).unwrap_or("?")
        );
        lock(&self.by_fake).insert(row.fingerprint.clone(), real.fingerprint.clone());
        by_real.insert(
            real.fingerprint.clone(),
            StandIn {
                key,
                row: row.clone(),
            },
        );
        Ok(row)
    }

    /// A stand-in key by its fingerprint, as `GET /api/keys/<fingerprint>` shows it.
    pub fn stand_in_by_fingerprint(&self, fingerprint: &str) -> Option<PublicKeyRow> {
        let real = lock(&self.by_fake).get(fingerprint)?.clone();
        lock(&self.by_real).get(&real).map(|s| s.row.clone())
    }

    /// Reads a message the sender encrypted for a stand-in, logs it, and encrypts it
    /// again for the real recipient with the sender's stand-in. Returns the recipient's
    /// copy, or `None` (logged) when the message was not made for one of our keys.
    pub fn relay(&self, storage: &Storage, message: &NewMessage<'_>) -> Option<Sealed> {
        match self.try_relay(storage, message) {
            Ok(copy) => copy,
            Err(e) => {
                log::warn!(
                    "web-chat (evil): could not read {} → {}: {e}",
                    message.sender,
                    message.recipient
                );
                None
            }
        }
    }

    fn try_relay(
        &self,
        storage: &Storage,
        message: &NewMessage<'_>,
    ) -> Result<Option<Sealed>, RelayError> {
        let NewMessage {
            sender,
            recipient,
            position,
            kind,
            ..
        } = *message;
        let Some(real_recipient_key) = lock(&self.by_fake).get(message.recipient_key).cloned()
        else {
            return Ok(None);
        };
        let sender_key = storage
            .key(message.sender_key)?
            .ok_or(RelayError::Missing("the sender's key"))?;
        let recipient_key = storage
            .key(&real_recipient_key)?
            .ok_or(RelayError::Missing("the recipient's key"))?;
        let aad = crypto::associated_data(kind, sender, recipient, position);
        let plaintext = {
            let by_real = lock(&self.by_real);
            let posing_as_recipient = by_real
                .get(&real_recipient_key)
                .ok_or(RelayError::Missing("my stand-in key"))?;
            let key = crypto::pair_key(
                &posing_as_recipient.key,
                &sender_key.spki,
                recipient,
                sender,
            )?;
            crypto::open(&key, message.iv, &aad, message.ciphertext)?
        };
        log_what_i_read(kind, sender, recipient, position, &plaintext);
        let posing_as_sender_row = self.stand_in(&sender_key)?;
        let sealed_again = {
            let by_real = lock(&self.by_real);
            let posing_as_sender = by_real
                .get(&sender_key.fingerprint)
                .ok_or(RelayError::Missing("my stand-in key"))?;
            let key = crypto::pair_key(
                &posing_as_sender.key,
                &recipient_key.spki,
                sender,
                recipient,
            )?;
            let iv = crypto::random_iv()?;
            let ciphertext = crypto::seal(&key, &iv, &aad, &plaintext)?;
            Sealed {
                sender_key: posing_as_sender_row.fingerprint,
                recipient_key: recipient_key.fingerprint,
                iv: iv.to_vec(),
                size: ciphertext.len() as u64,
                ciphertext: Some(ciphertext),
            }
        };
        Ok(Some(sealed_again))
    }
}

fn log_what_i_read(kind: Kind, sender: &str, recipient: &str, position: u64, plaintext: &[u8]) {
    match kind {
        Kind::Text => {
            let text = String::from_utf8_lossy(plaintext);
            let mut shown: String = text.chars().take(LOG_TEXT).collect();
            if text.chars().count() > LOG_TEXT {
                shown.push('…');
            }
            log::warn!(
                "web-chat (evil): read {sender} → {recipient} at position {position}: {shown:?}"
            );
        }
        Kind::Image => match ImagePlaintext::decode(plaintext) {
            Ok(image) => log::warn!(
                "web-chat (evil): read {sender} → {recipient} at position {position}: an image {:?} ({}, {} bytes)",
                image.name,
                image.mime,
                image.bytes.len()
            ),
            Err(e) => log::warn!("web-chat (evil): read {sender} → {recipient}: {e}"),
        },
    }
}

/// Why a message could not be relayed.
#[derive(Debug, thiserror::Error)]
enum RelayError {
    #[error("{0} is missing")]
    Missing(&'static str),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Storage(#[from] crate::webchat::storage::StorageError),
}
