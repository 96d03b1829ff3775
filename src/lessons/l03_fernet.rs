//! Lesson 03 — Fernet symmetric encryption.
//!
//! The squirrels stop inventing ciphers and use Fernet (AES-128-CBC + HMAC-SHA256, a
//! timestamp, all in one URL-safe base64 token; spec: github.com/fernet/spec). The
//! server sends a token instead of the message; only a client holding the same
//! `SECRET_KEY` can read it, and a changed token is refused. An eavesdropper sees only
//! the token. What is left unsolved: how did both sides get the key? (Lesson 04.)

use std::net::SocketAddr;

use fernet::Fernet;

use crate::http::{self, Request, Response, Url};
use crate::i18n::{Lang, Localized};
use crate::lessons::{body_text, LessonError, CLIENT_TIMEOUT, MAX_REPLY, SECRET};
use crate::net;
use crate::tr_in;

/// The environment variable holding the shared key, as in the tutorial.
pub const KEY_ENV: &str = "SECRET_KEY";

/// What is wrong with lesson 03's key or token; words from `locales/*/fernet.ftl`
/// ([`Localized`]), an English `Display`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FernetError {
    /// `SECRET_KEY` is empty.
    KeyEmpty,
    /// `SECRET_KEY` is not 32 bytes of URL-safe base64.
    NotAKey {
        /// The length of the text given, in bytes.
        length: usize,
    },
    /// The reply is not a Fernet token.
    NotAToken {
        /// The reply's first 40 characters.
        start: String,
    },
    /// The token does not decrypt with this key (another key, or a changed token).
    WrongKey,
    /// The decrypted message is not UTF-8 text.
    NotUtf8,
}

impl Localized for FernetError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            FernetError::KeyEmpty => tr_in!(lang, "fernet-key-empty", name = KEY_ENV),
            FernetError::NotAKey { length } => tr_in!(
                lang,
                "fernet-key-not-fernet",
                name = KEY_ENV,
                length = length.to_string()
            ),
            FernetError::NotAToken { start } => tr_in!(
                lang,
                "fernet-reply-not-a-token",
                start = format!("{start:?}")
            ),
            FernetError::WrongKey => tr_in!(lang, "fernet-wrong-key", name = KEY_ENV),
            FernetError::NotUtf8 => tr_in!(lang, "fernet-message-not-utf8"),
        }
    }
}

crate::english_display!(FernetError);

/// A new random Fernet key: URL-safe base64 of 32 random bytes (44 characters).
pub fn keygen() -> String {
    Fernet::generate_key()
}

/// Checks a key's text and makes a Fernet instance of it.
///
/// Errors ([`LessonError::Fernet`]) say what is wrong: empty, not base64, or not 32
/// bytes.
pub fn load_key(text: &str) -> Result<Fernet, LessonError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FernetError::KeyEmpty.into());
    }
    Fernet::new(text).ok_or_else(|| FernetError::NotAKey { length: text.len() }.into())
}

/// The server: `GET /` → 200 `text/plain`, a fresh Fernet token of `fluffy tail`.
pub struct FernetServer {
    fernet: Fernet,
}

impl FernetServer {
    /// A server encrypting with `fernet`.
    pub fn new(fernet: Fernet) -> Self {
        FernetServer { fernet }
    }
}

impl crate::server::Handler for FernetServer {
    fn handle(&self, request: Request, peer: SocketAddr) -> Response {
        // Same routes as lesson 01; only the body changes.
        let plain = crate::lessons::l01_plain_http::handler(request, peer);
        if plain.status != 200 {
            return plain;
        }
        Response::text(200, &self.fernet.encrypt(SECRET.as_bytes()))
    }
}

/// The client: fetches the token from `url` and decrypts it with `fernet`.
/// Returns the token and the plaintext. A token made with another key (or changed on
/// the way) is an error that says so.
pub fn fetch(url: &Url, fernet: &Fernet) -> Result<(String, String), LessonError> {
    let mut stream = net::connect(&url.host, url.port, CLIENT_TIMEOUT)?;
    let response = http::get(&mut stream, url, MAX_REPLY).map_err(LessonError::reply)?;
    let token = body_text(response)?.trim().to_string();
    if !looks_like_a_token(&token) {
        let start: String = token.chars().take(40).collect();
        return Err(FernetError::NotAToken { start }.into());
    }
    let plain = fernet.decrypt(&token).map_err(|_| FernetError::WrongKey)?;
    let text = String::from_utf8(plain).map_err(|_| FernetError::NotUtf8)?;
    Ok((token, text))
}

/// Whether `text` has a Fernet token's shape (spec: github.com/fernet/spec): URL-safe
/// base64 of version 0x80, an 8-byte timestamp, a 16-byte IV, at least one 16-byte AES
/// block and a 32-byte HMAC. Only the key can tell whether it is genuine.
fn looks_like_a_token(text: &str) -> bool {
    use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode};
    use base64::Engine;
    // Padded or not: only the shape matters here, the fernet crate judges the rest.
    let lenient = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    lenient
        .decode(text)
        .is_ok_and(|bytes| bytes.len() >= 1 + 8 + 16 + 16 + 32 && bytes[0] == 0x80)
}
