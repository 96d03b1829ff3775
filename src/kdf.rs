//! Key derivation, from OpenSSL: HKDF-SHA256 (RFC 5869), which turns a secret that is
//! already strong (an X25519 or ECDH shared secret, a PBKDF2 output) into keys bound to
//! a purpose, and PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), which makes guessing a password
//! slow. Lesson 04 (the shared secret becomes a Fernet key), the vault (password →
//! archive key and login verifier) and the browser chat (pair keys) all derive here.

use openssl::hash::MessageDigest;
use openssl::md::Md;
use openssl::pkey::Id;
use openssl::pkey_ctx::PkeyCtx;

/// OpenSSL could not derive a key (out of memory, a broken installation).
#[derive(Debug, thiserror::Error)]
#[error("key derivation failed: {0}")]
pub struct KdfError(#[from] openssl::error::ErrorStack);

/// RFC 5869 HKDF-SHA256 of `ikm` with `salt` (empty: no salt, that is HashLen zero
/// bytes) and `info`, 32 bytes of output.
///
/// Errors: [`KdfError`] when OpenSSL fails.
pub fn hkdf_sha256(ikm: &[u8], salt: &[u8], info: &[u8]) -> Result<[u8; 32], KdfError> {
    let mut out = [0u8; 32];
    hkdf_sha256_into(ikm, salt, info, &mut out)?;
    Ok(out)
}

fn hkdf_sha256_into(ikm: &[u8], salt: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), KdfError> {
    let mut ctx = PkeyCtx::new_id(Id::HKDF)?;
    ctx.derive_init()?;
    ctx.set_hkdf_md(Md::sha256())?;
    ctx.set_hkdf_key(ikm)?;
    if !salt.is_empty() {
        ctx.set_hkdf_salt(salt)?;
    }
    if !info.is_empty() {
        ctx.add_hkdf_info(info)?;
    }
    ctx.derive(Some(out))?;
    Ok(())
}

/// RFC 8018 PBKDF2-HMAC-SHA256 of `password` with `salt` and `iterations`, 32 bytes.
///
/// Errors: [`KdfError`] when OpenSSL fails.
pub fn pbkdf2_sha256(password: &[u8], salt: &[u8], iterations: u32) -> Result<[u8; 32], KdfError> {
    let mut out = [0u8; 32];
    openssl::pkcs5::pbkdf2_hmac(
        password,
        salt,
        iterations as usize,
        MessageDigest::sha256(),
        &mut out,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::hex::encode as hex;

    #[test]
    fn hkdf_matches_rfc5869_test_case_3_no_salt() {
        let mut out = [0u8; 42];
        hkdf_sha256_into(&[0x0b; 22], &[], b"", &mut out).unwrap();
        assert_eq!(
            hex(&out),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
        );
    }

    #[test]
    fn salted_hkdf_matches_rfc5869_test_case_1() {
        let mut out = [0u8; 42];
        let salt: Vec<u8> = (0x00..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        hkdf_sha256_into(&[0x0b; 22], &salt, &info, &mut out).unwrap();
        assert_eq!(
            hex(&out),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
        assert_eq!(hkdf_sha256(&[0x0b; 22], &salt, &info).unwrap(), out[..32]);
    }

    #[test]
    fn pbkdf2_matches_rfc7914_vector() {
        // RFC 7914 §11's PBKDF2-HMAC-SHA256 vector, first 32 of its 64 bytes.
        assert_eq!(
            hex(&pbkdf2_sha256(b"passwd", b"salt", 1).unwrap()),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }
}
