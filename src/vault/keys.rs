//! The vault's key derivation (lesson 08's text, "How it protects a file"): one
//! password, two keys.
//!
//! ```text
//! master       = PBKDF2-HMAC-SHA256(password UTF-8, salt 16 B, iterations, 32 B)   RFC 8018 §5.2
//! archive key  = HKDF-SHA256(ikm = master, no salt, "squirrel vault archive key", 32 B)   RFC 5869
//! verifier     = HKDF-SHA256(ikm = master, no salt, "squirrel vault login verifier", 32 B)
//! ```
//!
//! The server stores only the salt, the iteration count and the verifier; it keeps the
//! archive key in memory for the session. The client derives the same archive key from
//! the password and the `kdf` object of the login reply, so anyone with the password can
//! open an archive with Python's `cryptography` and `zipfile`. Two HKDF labels keep the
//! stored verifier from revealing anything about the archive key.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::kdf::{hkdf_sha256, pbkdf2_sha256, KdfError};
use crate::tr_in;

/// PBKDF2 iterations for new passwords: OWASP's 2023 figure for PBKDF2-HMAC-SHA256,
/// about 0.2 s on one core, paid once per login on each side.
pub const DEFAULT_ITERATIONS: u32 = 600_000;

/// Fewest iterations accepted from a login reply or `users.json`: a server (or file)
/// cannot talk a client into a trivially brute-forced key.
pub const MIN_ITERATIONS: u32 = 1_000;

/// Most iterations accepted, so a hostile server cannot make a client spin for hours.
pub const MAX_ITERATIONS: u32 = 100_000_000;

/// Salt length in bytes.
pub const SALT_LEN: usize = 16;

/// HKDF `info` of the archive key.
pub const ARCHIVE_KEY_INFO: &[u8] = b"squirrel vault archive key";

/// HKDF `info` of the login verifier.
pub const VERIFIER_INFO: &[u8] = b"squirrel vault login verifier";

/// The `algorithm` value of [`KdfParams`].
pub const ALGORITHM: &str = "pbkdf2-sha256";

/// Why a key could not be derived.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The parameters are outside what we accept (the reason stays English).
    BadParams(String),
    /// OpenSSL failed (out of memory and the like).
    Kdf(#[from] KdfError),
}

impl Localized for KeyError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            KeyError::BadParams(reason) => tr_in!(lang, "vault-error-kdf-params", reason = reason),
            // OpenSSL's own words.
            KeyError::Kdf(e) => e.to_string(),
        }
    }
}

crate::english_display!(KeyError);

/// The `kdf` object of the login reply: `{"algorithm":"pbkdf2-sha256","salt":<standard
/// base64 of 16 bytes>,"iterations":600000}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// Salt, standard base64 with padding.
    pub salt: String,
    /// PBKDF2 iteration count.
    pub iterations: u32,
}

impl KdfParams {
    /// Fresh parameters: a random 16-byte salt and `iterations`.
    pub fn generate(iterations: u32) -> Result<Self, KeyError> {
        let mut salt = [0u8; SALT_LEN];
        openssl::rand::rand_bytes(&mut salt).map_err(KdfError::from)?;
        Ok(KdfParams {
            algorithm: ALGORITHM.to_string(),
            salt: STANDARD.encode(salt),
            iterations,
        })
    }

    /// Checks the algorithm, the salt and the iteration bounds; returns the salt bytes.
    pub fn salt_bytes(&self) -> Result<Vec<u8>, KeyError> {
        if self.algorithm != ALGORITHM {
            return Err(KeyError::BadParams(format!(
                "algorithm {:?} (expected {ALGORITHM})",
                self.algorithm
            )));
        }
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&self.iterations) {
            return Err(KeyError::BadParams(format!(
                "{} iterations (expected {MIN_ITERATIONS} to {MAX_ITERATIONS})",
                self.iterations
            )));
        }
        let salt = STANDARD
            .decode(&self.salt)
            .map_err(|_| KeyError::BadParams("the salt is not base64".into()))?;
        if salt.len() < 8 {
            return Err(KeyError::BadParams(
                "the salt is shorter than 8 bytes".into(),
            ));
        }
        Ok(salt)
    }
}

/// The 32-byte PBKDF2 output both keys come from. Never stored, never logged.
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    /// PBKDF2-HMAC-SHA256 of the password's UTF-8 bytes (RFC 8018 §5.2).
    pub fn derive(password: &str, params: &KdfParams) -> Result<Self, KeyError> {
        let salt = params.salt_bytes()?;
        Ok(MasterKey(pbkdf2_sha256(
            password.as_bytes(),
            &salt,
            params.iterations,
        )?))
    }

    /// The archive key: HKDF-SHA256 with [`ARCHIVE_KEY_INFO`], as a Fernet key.
    pub fn archive_key(&self) -> Result<ArchiveKey, KeyError> {
        let raw = hkdf_sha256(&self.0, &[], ARCHIVE_KEY_INFO)?;
        Ok(ArchiveKey(URL_SAFE.encode(raw)))
    }

    /// The login verifier: HKDF-SHA256 with [`VERIFIER_INFO`].
    pub fn verifier(&self) -> Result<[u8; 32], KeyError> {
        Ok(hkdf_sha256(&self.0, &[], VERIFIER_INFO)?)
    }
}

/// A Fernet key: URL-safe base64 of 32 bytes (16 signing, 16 encryption; spec:
/// github.com/fernet/spec). Lives only in memory.
#[derive(Clone)]
pub struct ArchiveKey(String);

impl std::fmt::Debug for ArchiveKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ArchiveKey(…)")
    }
}

impl ArchiveKey {
    /// The key in Fernet's text form (URL-safe base64, 44 characters).
    pub fn as_fernet_key(&self) -> &str {
        &self.0
    }

    /// A Fernet instance for this key.
    pub fn fernet(&self) -> Option<fernet::Fernet> {
        fernet::Fernet::new(&self.0)
    }
}

/// Compares two verifiers in constant time, so timing does not leak how many leading
/// bytes of a guess were right.
pub fn verifiers_match(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && openssl::memcmp::eq(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_key_and_verifier_differ_and_are_deterministic() {
        let params = KdfParams {
            algorithm: ALGORITHM.into(),
            salt: STANDARD.encode([7u8; 16]),
            iterations: MIN_ITERATIONS,
        };
        let a = MasterKey::derive("fluffy tail", &params).unwrap();
        let b = MasterKey::derive("fluffy tail", &params).unwrap();
        assert_eq!(a.archive_key().unwrap().0, b.archive_key().unwrap().0);
        assert_ne!(
            URL_SAFE.encode(a.verifier().unwrap()),
            a.archive_key().unwrap().0
        );
        assert!(a.archive_key().unwrap().fernet().is_some());
    }

    #[test]
    fn hostile_parameters_are_refused() {
        let mut params = KdfParams::generate(10).unwrap();
        assert!(
            matches!(params.salt_bytes(), Err(KeyError::BadParams(why)) if why.contains("iterations"))
        );
        params.iterations = DEFAULT_ITERATIONS;
        params.algorithm = "md5".into();
        assert!(
            matches!(params.salt_bytes(), Err(KeyError::BadParams(why)) if why.contains("md5"))
        );
    }
}
