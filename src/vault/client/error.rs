//! Why a vault command failed ([`ClientError`]), in a person's words and with the next
//! step ([`ClientError::hint_in`]); the server's known English messages in the user's
//! language ([`server_message_in`]).

use std::io;
use std::path::PathBuf;

use crate::http::HttpError;
use crate::i18n::{Lang, Localized};
use crate::tls::{Peer, TlsError, TrustFailure};
use crate::tr_in;
use crate::vault::archive::ArchiveError;
use crate::vault::keys::KeyError;

/// Why a vault command failed. Its `Display` is English (logs); a person reads
/// [`Localized::localized`], where the server's known messages are translated too.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connection or TLS failure.
    Tls(#[from] TlsError),
    /// The reply was not readable HTTP.
    Http(#[from] HttpError),
    /// The server answered with an error status and message.
    Server {
        /// The HTTP status code, 400 to 599 (401: log in again; 404: no such archive).
        status: u16,
        /// The `message` of the JSON body.
        message: String,
    },
    /// A reply did not have the documented shape.
    BadReply(String),
    /// Key derivation failed (for instance, unusable `kdf` parameters in the reply).
    Key(#[from] KeyError),
    /// Decrypting or unzipping an archive failed.
    Archive(#[from] ArchiveError),
    /// A local file could not be read or written.
    File {
        /// The local file or folder: an upload, `downloads/`, or a temporary file in it.
        path: PathBuf,
        /// The operating system's reason (not found, permission denied, disk full).
        #[source]
        source: io::Error,
    },
    /// The server address is not `HOST:PORT`.
    BadAddress(String),
}

impl Localized for ClientError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            ClientError::Tls(e) => e.message_in(lang),
            ClientError::Http(e) => {
                tr_in!(lang, "vault-error-reply-unreadable", reason = e.to_string())
            }
            ClientError::Server { status, message } => tr_in!(
                lang,
                "vault-error-server",
                status = status.to_string(),
                message = server_message_in(lang, message)
            ),
            ClientError::BadReply(reason) => {
                tr_in!(lang, "vault-error-bad-reply", reason = reason)
            }
            ClientError::Key(e) => e.message_in(lang),
            ClientError::Archive(e) => e.message_in(lang),
            ClientError::File { path, source } => tr_in!(
                lang,
                "vault-error-file",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            ClientError::BadAddress(address) => tr_in!(
                lang,
                "vault-error-bad-address",
                address = format!("{address:?}")
            ),
        }
    }
}

crate::english_display!(ClientError);

/// A `message` of the vault's JSON replies in `lang`: the server speaks English (its
/// replies are for programs too), so the client translates the messages it knows, word
/// for word the server's (`vault/api.rs`, `vault/throttle.rs`), their values kept; any
/// other comes as sent.
pub fn server_message_in(lang: Lang, message: &str) -> String {
    let fixed = match message {
        "wrong user name or password" => Some(tr_in!(lang, "vault-server-wrong-credentials")),
        "no such archive" => Some(tr_in!(lang, "vault-server-no-such-archive")),
        "no such session (expired or logged out): log in again" => {
            Some(tr_in!(lang, "vault-server-no-session"))
        }
        "log in first: no Authorization header" => Some(tr_in!(lang, "vault-server-log-in-first")),
        "the server could not complete the request (see its log)" => {
            Some(tr_in!(lang, "vault-server-failed"))
        }
        "the server's disk is full: nothing was stored" => {
            Some(tr_in!(lang, "vault-server-disk-full"))
        }
        "the request took too long to arrive" => Some(tr_in!(lang, "vault-server-too-slow")),
        _ => None,
    };
    if let Some(text) = fixed {
        return text;
    }
    if let Some([seconds]) = holes(
        message,
        "too many failed logins for this user from your address: try again in {} s",
    ) {
        return tr_in!(lang, "vault-server-throttled", seconds = seconds);
    }
    if let Some([limit]) = holes(
        message,
        "the file is larger than this vault's limit of {} (--max-upload)",
    ) {
        return tr_in!(lang, "vault-server-too-large", limit = limit);
    }
    if let Some([quota, used, need]) = holes(
        message,
        "this upload would take your archives past your quota of {} ({} used; the archive of this file may take {}): ask the vault's keeper for room",
    ) {
        return tr_in!(
            lang,
            "vault-server-over-quota",
            quota = quota,
            used = used,
            need = need
        );
    }
    if let Some([free]) = holes(
        message,
        "the server's disk is nearly full: this upload would leave less than {} free; nothing was stored",
    ) {
        return tr_in!(lang, "vault-server-disk-nearly-full", free = free);
    }
    message.to_string()
}

/// The values in `message` where `template` has `{}`, if `message` is `template` with
/// each `{}` filled by some non-empty text.
fn holes<'a, const N: usize>(message: &'a str, template: &str) -> Option<[&'a str; N]> {
    let mut pieces = template.split("{}");
    let mut rest = message.strip_prefix(pieces.next()?)?;
    let mut values = [""; N];
    for value in values.iter_mut() {
        let next = pieces.next()?;
        let at = if next.is_empty() {
            rest.len()
        } else {
            rest.find(next)?
        };
        if at == 0 {
            return None;
        }
        *value = &rest[..at];
        rest = &rest[at + next.len()..];
    }
    (pieces.next().is_none() && rest.is_empty()).then_some(values)
}

impl ClientError {
    /// The next step to suggest to a person, if any, in the language in force.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(crate::i18n::lang())
    }

    /// [`ClientError::hint`] in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        let hint = match self {
            ClientError::Tls(TlsError::Connect { .. }) => tr_in!(lang, "vault-hint-start-vault"),
            ClientError::Tls(TlsError::File { .. }) => {
                tr_in!(lang, "vault-hint-client-certificates")
            }
            ClientError::Tls(TlsError::Handshake { failure, .. })
                if failure.trust() == Some(TrustFailure::UnknownCa(Peer::Server)) =>
            {
                tr_in!(lang, "vault-hint-copy-ca")
            }
            ClientError::Server { status: 401, .. } => tr_in!(lang, "vault-hint-401"),
            ClientError::Server { status: 404, .. } => tr_in!(lang, "vault-hint-404"),
            ClientError::Server { status: 413, .. } => tr_in!(lang, "vault-hint-413"),
            ClientError::Archive(ArchiveError::Integrity) => tr_in!(lang, "vault-hint-integrity"),
            _ => return None,
        };
        Some(hint)
    }
}
