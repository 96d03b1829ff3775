//! The chat's end-to-end format, in Rust: the twin of `web/crypto.js`, byte for byte.
//! The browser does this with WebCrypto; the `--evil` server does it with OpenSSL to
//! read and re-encrypt what passes, which proves the format is the one written here.
//!
//! ```text
//! identity key   ECDH P-256 key pair, made in the browser; the public key travels as
//!                SPKI (DER), its fingerprint is the SHA-256 of the SPKI, in hex
//! shared secret  ECDH(own private key, peer's public key): the x-coordinate, 32 bytes
//! pair key       HKDF-SHA256(ikm = shared secret, salt = "squirrel web-chat v1",
//!                            info = first name ‖ 0x00 ‖ second name), 32 bytes
//!                (the two user names in byte order, so both sides get the same key)
//! message        AES-256-GCM(pair key, IV = 12 fresh random bytes, AAD, plaintext);
//!                ciphertext ‖ 16-byte tag, as WebCrypto returns it
//! AAD            "squirrel web-chat v1" ‖ 0 ‖ kind ‖ 0 ‖ sender ‖ 0 ‖ recipient ‖ 0 ‖
//!                position (decimal), kind "text" or "image"
//! text           plaintext = the UTF-8 text
//! image          plaintext = JSON {"name","type"} ‖ 0x00 ‖ the image's bytes
//! safety number  SHA-256(SPKI ‖ SPKI, the two in byte order) read as a big-endian
//!                number, its last 60 decimal digits, in 12 groups of 5
//! ```
//!
//! The AAD is authenticated, not encrypted: a server that moves a ciphertext to another
//! position, another conversation or another sender makes the receiver's decryption
//! fail. User names never hold a NUL byte (see `storage::check_chat_name`), so the
//! NUL-separated fields cannot be confused.

use openssl::bn::{BigNum, BigNumContext};
use openssl::derive::Deriver;
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private, Public};
use openssl::symm::{decrypt_aead, encrypt_aead, Cipher};

use crate::kdf::{hkdf_sha256, KdfError};

/// The protocol's name and version: the HKDF salt and the start of every AAD.
pub const PROTOCOL: &str = "squirrel web-chat v1";

/// Length of an AES-GCM IV (nonce), in bytes: the 96 bits GCM is built for (NIST SP
/// 800-38D §5.2.1.1).
pub const IV_LEN: usize = 12;

/// Length of the AES-GCM tag appended to every ciphertext, in bytes.
pub const TAG_LEN: usize = 16;

/// Longest SPKI accepted, in bytes (a P-256 SPKI is 91).
pub const MAX_SPKI: usize = 256;

/// What a message carries: text or an image (also part of its AAD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    Text,
    /// An image with its name and type (see [`ImagePlaintext`]).
    Image,
}

impl Kind {
    /// `text` or `image`, as stored and as in the AAD.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Image => "image",
        }
    }

    /// Parses `text` or `image`.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "text" => Some(Kind::Text),
            "image" => Some(Kind::Image),
            _ => None,
        }
    }
}

/// Why a step of the format failed.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The bytes are not a P-256 public key in SPKI form.
    #[error("not an ECDH P-256 public key (SPKI, DER): {0}")]
    BadPublicKey(String),
    /// Authentication failed: wrong key, or the ciphertext, IV or AAD was changed.
    #[error("the message does not decrypt: wrong key, or changed on the way")]
    Tampered,
    /// An image plaintext without its header.
    #[error("not an image message: {0}")]
    BadImage(String),
    /// OpenSSL failed.
    #[error("OpenSSL failed: {0}")]
    OpenSsl(#[from] ErrorStack),
    /// HKDF failed.
    #[error(transparent)]
    Kdf(#[from] KdfError),
}

/// A fresh ECDH P-256 key pair (what `crypto.subtle.generateKey` makes in the page).
pub fn generate_key() -> Result<PKey<Private>, CryptoError> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    Ok(PKey::from_ec_key(EcKey::generate(&group)?)?)
}

/// The public half of `key` as SPKI (DER), what the page publishes.
pub fn spki(key: &PKey<Private>) -> Result<Vec<u8>, CryptoError> {
    Ok(key.public_key_to_der()?)
}

/// Parses an SPKI and checks it is a valid point on P-256: anything else is refused
/// before it is stored or used.
pub fn parse_public_key(spki: &[u8]) -> Result<PKey<Public>, CryptoError> {
    if spki.len() > MAX_SPKI {
        return Err(CryptoError::BadPublicKey(format!(
            "{} bytes (a P-256 SPKI is 91)",
            spki.len()
        )));
    }
    let key = PKey::public_key_from_der(spki)
        .map_err(|_| CryptoError::BadPublicKey("not a DER SubjectPublicKeyInfo".into()))?;
    let ec = key
        .ec_key()
        .map_err(|_| CryptoError::BadPublicKey("not an elliptic-curve key".into()))?;
    if ec.group().curve_name() != Some(Nid::X9_62_PRIME256V1) {
        return Err(CryptoError::BadPublicKey("not on the P-256 curve".into()));
    }
    ec.check_key()
        .map_err(|_| CryptoError::BadPublicKey("not a valid point".into()))?;
    Ok(key)
}

/// A key's fingerprint: SHA-256 of its SPKI, lowercase hex (64 characters).
pub fn fingerprint(spki: &[u8]) -> String {
    crate::hex::encode(&openssl::sha::sha256(spki))
}

/// The pair key of `me` and `peer` (user names): ECDH between `own` and the peer's SPKI,
/// then HKDF-SHA256 as the module doc says. Both sides get the same 32 bytes.
pub fn pair_key(
    own: &PKey<Private>,
    peer_spki: &[u8],
    me: &str,
    peer: &str,
) -> Result<[u8; 32], CryptoError> {
    let peer_key = parse_public_key(peer_spki)?;
    let mut deriver = Deriver::new(own)?;
    deriver.set_peer(&peer_key)?;
    let shared = deriver.derive_to_vec()?;
    let (first, second) = if me.as_bytes() <= peer.as_bytes() {
        (me, peer)
    } else {
        (peer, me)
    };
    let mut info = Vec::with_capacity(first.len() + second.len() + 1);
    info.extend_from_slice(first.as_bytes());
    info.push(0);
    info.extend_from_slice(second.as_bytes());
    Ok(hkdf_sha256(&shared, PROTOCOL.as_bytes(), &info)?)
}

/// The associated data of a message: what it is, who sent it to whom, and its position
/// in the conversation (0 for the first).
pub fn associated_data(kind: Kind, sender: &str, recipient: &str, position: u64) -> Vec<u8> {
    let position = position.to_string();
    let fields = [kind.as_str(), sender, recipient, &position];
    let mut aad = PROTOCOL.as_bytes().to_vec();
    for field in fields {
        aad.push(0);
        aad.extend_from_slice(field.as_bytes());
    }
    aad
}

/// A fresh random IV from OpenSSL's generator.
pub fn random_iv() -> Result<[u8; IV_LEN], CryptoError> {
    let mut iv = [0u8; IV_LEN];
    openssl::rand::rand_bytes(&mut iv)?;
    Ok(iv)
}

/// AES-256-GCM: returns ciphertext ‖ tag (WebCrypto's layout).
pub fn seal(
    key: &[u8; 32],
    iv: &[u8; IV_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut tag = [0u8; TAG_LEN];
    let mut out = encrypt_aead(
        Cipher::aes_256_gcm(),
        key,
        Some(iv),
        aad,
        plaintext,
        &mut tag,
    )?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Checks and decrypts ciphertext ‖ tag; [`CryptoError::Tampered`] when anything was
/// changed or the key is not the sender's.
pub fn open(key: &[u8; 32], iv: &[u8], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if iv.len() != IV_LEN || sealed.len() < TAG_LEN {
        return Err(CryptoError::Tampered);
    }
    let (ciphertext, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    decrypt_aead(Cipher::aes_256_gcm(), key, Some(iv), aad, ciphertext, tag)
        .map_err(|_| CryptoError::Tampered)
}

/// The plaintext of an image message: its name and type, then its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImagePlaintext {
    /// The file name the sender picked (any text: shown with `textContent`).
    pub name: String,
    /// The MIME type the sender's browser gave, e.g. `image/png`.
    pub mime: String,
    /// The image's bytes.
    pub bytes: Vec<u8>,
}

impl ImagePlaintext {
    /// JSON header ‖ 0x00 ‖ bytes (JSON escapes any NUL, so the first 0 ends the header).
    pub fn encode(&self) -> Vec<u8> {
        let header = serde_json::json!({ "name": self.name, "type": self.mime }).to_string();
        let mut out = header.into_bytes();
        out.push(0);
        out.extend_from_slice(&self.bytes);
        out
    }

    /// Splits a decrypted image message.
    pub fn decode(plaintext: &[u8]) -> Result<Self, CryptoError> {
        let end = plaintext
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| CryptoError::BadImage("no header".into()))?;
        let header: serde_json::Value = serde_json::from_slice(&plaintext[..end])
            .map_err(|_| CryptoError::BadImage("the header is not JSON".into()))?;
        let field = |name: &str| {
            header
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| CryptoError::BadImage(format!("no {name} in the header")))
        };
        Ok(ImagePlaintext {
            name: field("name")?,
            mime: field("type")?,
            bytes: plaintext[end + 1..].to_vec(),
        })
    }
}

/// The safety number of two public keys (SPKI), the same whichever comes first:
/// SHA-256 over both in byte order, read as a number, its last 60 decimal digits in 12
/// groups of 5 separated by spaces. 2^256 is about 10^77, so taking it modulo 10^60
/// leaves each digit practically uniform.
pub fn safety_number(spki_a: &[u8], spki_b: &[u8]) -> Result<String, CryptoError> {
    let (first, second) = if spki_a <= spki_b {
        (spki_a, spki_b)
    } else {
        (spki_b, spki_a)
    };
    let mut hasher = openssl::sha::Sha256::new();
    hasher.update(first);
    hasher.update(second);
    let digest = BigNum::from_slice(&hasher.finish())?;
    let modulus = BigNum::from_dec_str(&format!("1{}", "0".repeat(60)))?;
    let mut rest = BigNum::new()?;
    let mut ctx = BigNumContext::new()?;
    rest.nnmod(&digest, &modulus, &mut ctx)?;
    let digits = format!("{:0>60}", rest.to_dec_str()?.to_string());
    let groups: Vec<&str> = (0..12).map(|i| &digits[i * 5..i * 5 + 5]).collect();
    Ok(groups.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_derive_the_same_pair_key_and_names_bind_it() {
        let alice = generate_key().unwrap();
        let bob = generate_key().unwrap();
        let from_alice = pair_key(&alice, &spki(&bob).unwrap(), "alice", "bob").unwrap();
        let from_bob = pair_key(&bob, &spki(&alice).unwrap(), "bob", "alice").unwrap();
        assert_eq!(from_alice, from_bob);
        let other_names = pair_key(&alice, &spki(&bob).unwrap(), "alice", "carol").unwrap();
        assert_ne!(from_alice, other_names);
    }

    #[test]
    fn a_moved_or_reattributed_ciphertext_does_not_decrypt() {
        let key = [7u8; 32];
        let iv = random_iv().unwrap();
        let aad = associated_data(Kind::Text, "alice", "bob", 3);
        let sealed = seal(&key, &iv, &aad, b"fluffy tail").unwrap();
        assert_eq!(sealed.len(), b"fluffy tail".len() + TAG_LEN);
        assert_eq!(open(&key, &iv, &aad, &sealed).unwrap(), b"fluffy tail");
        for other in [
            associated_data(Kind::Text, "alice", "bob", 4),
            associated_data(Kind::Text, "bob", "alice", 3),
            associated_data(Kind::Image, "alice", "bob", 3),
        ] {
            assert!(matches!(
                open(&key, &iv, &other, &sealed),
                Err(CryptoError::Tampered)
            ));
        }
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(open(&key, &iv, &aad, &flipped).is_err());
    }

    #[test]
    fn aad_layout_is_the_documented_one() {
        assert_eq!(
            associated_data(Kind::Image, "alice", "<b>", 12),
            b"squirrel web-chat v1\x00image\x00alice\x00<b>\x0012".to_vec()
        );
    }

    /// Known answer computed independently with Python:
    /// `int(hashlib.sha256(bytes([1]*3) + bytes([2]*3)).hexdigest(), 16) % 10**60`.
    #[test]
    fn safety_number_matches_an_independent_computation_in_either_order() {
        let expected = "58979 28268 68968 28507 83914 00219 80850 08615 11592 80101 30314 10990";
        assert_eq!(safety_number(&[1; 3], &[2; 3]).unwrap(), expected);
        assert_eq!(safety_number(&[2; 3], &[1; 3]).unwrap(), expected);
    }

    #[test]
    fn image_plaintext_round_trips_and_names_with_nul_stay_whole() {
        let image = ImagePlaintext {
            name: "a\0<script>.png".into(),
            mime: "image/png".into(),
            bytes: vec![0, 1, 2, 0, 255],
        };
        assert_eq!(ImagePlaintext::decode(&image.encode()).unwrap(), image);
        assert!(ImagePlaintext::decode(b"no header").is_err());
    }

    #[test]
    fn only_p256_public_keys_are_accepted() {
        let key = generate_key().unwrap();
        assert!(parse_public_key(&spki(&key).unwrap()).is_ok());
        let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(1024).unwrap()).unwrap();
        assert!(parse_public_key(&rsa.public_key_to_der().unwrap()).is_err());
        let p384 = EcGroup::from_curve_name(Nid::SECP384R1).unwrap();
        let p384 = PKey::from_ec_key(EcKey::generate(&p384).unwrap()).unwrap();
        assert!(parse_public_key(&p384.public_key_to_der().unwrap()).is_err());
        assert!(parse_public_key(b"garbage").is_err());
    }
}
