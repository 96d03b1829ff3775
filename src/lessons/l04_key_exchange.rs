//! Lesson 04 — key exchange.
//!
//! Fernet (lesson 03) works, but both sides need the same key, and sending it in the open
//! gives it away. Diffie-Hellman lets two squirrels agree on a key while everyone watches:
//! first with toy numbers an eavesdropper can brute-force, then with X25519, whose shared
//! secret becomes a Fernet key through HKDF. What it cannot do alone is tell you *who* you
//! agreed with: a man in the middle swaps the public keys and reads everything.
//!
//! Each step is a function returning the numbers it made, so the demo prints them and
//! the tests check them: [`toy_dh`] and [`brute_force`], [`x25519_exchange`],
//! [`man_in_the_middle`], and [`demo`] for all three.

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine;
use openssl::derive::Deriver;
use openssl::error::ErrorStack;
use openssl::pkey::{Id, PKey, Private};

use crate::i18n::{Lang, Localized};
use crate::kdf::{hkdf_sha256, KdfError};
use crate::lessons::SECRET;
use crate::tr_in;

/// The toy prime modulus, as in Wikipedia's "Diffie–Hellman key exchange" example: small
/// enough to try every private number by hand.
pub const TOY_PRIME: u64 = 23;

/// The toy generator: 5 is a primitive root modulo 23 (its powers give all of 1..=22), so
/// each private number has its own public number.
pub const TOY_GENERATOR: u64 = 5;

/// Largest prime [`toy_dh`] accepts: 2^24, so that [`brute_force`] (one multiplication
/// per candidate) ends in well under a second.
pub const TOY_PRIME_LIMIT: u64 = 1 << 24;

/// The HKDF `info` that turns an X25519 shared secret into this lesson's Fernet key.
pub const FERNET_KEY_INFO: &[u8] = b"squirrel lesson 04 fernet key";

/// Why a step of the key exchange failed. Words from `locales/*/key-exchange.ftl`
/// ([`Localized`]); `Display` is English.
#[derive(Debug, thiserror::Error)]
pub enum KeyExchangeError {
    /// The toy numbers do not make a Diffie-Hellman group.
    Toy(BadToy),
    /// OpenSSL failed to make or use an X25519 key.
    OpenSsl(#[from] ErrorStack),
    /// HKDF failed.
    Kdf(#[from] KdfError),
    /// A public key is not 32 bytes.
    KeyLength(usize),
    /// A Fernet token did not decrypt: the two sides do not hold the same key.
    WrongKey,
}

impl Localized for KeyExchangeError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            KeyExchangeError::Toy(bad) => {
                let reason = match bad {
                    BadToy::Prime { p } => tr_in!(
                        lang,
                        "kex-toy-p",
                        p = p.to_string(),
                        limit = TOY_PRIME_LIMIT.to_string()
                    ),
                    BadToy::Generator { g } => tr_in!(lang, "kex-toy-g", g = g.to_string()),
                    BadToy::Private { who, x, max } => tr_in!(
                        lang,
                        "kex-toy-private",
                        who = *who,
                        x = x.to_string(),
                        max = max.to_string()
                    ),
                };
                tr_in!(lang, "kex-error-toy", reason = reason)
            }
            // OpenSSL's own reason strings.
            KeyExchangeError::OpenSsl(e) => {
                tr_in!(lang, "kex-error-openssl", reason = e.to_string())
            }
            // KdfError is the vault's; its English words for now.
            KeyExchangeError::Kdf(e) => e.to_string(),
            KeyExchangeError::KeyLength(length) => {
                tr_in!(lang, "kex-error-key-length", length = length.to_string())
            }
            KeyExchangeError::WrongKey => tr_in!(lang, "kex-error-wrong-key"),
        }
    }
}

crate::english_display!(KeyExchangeError);

/// Why toy numbers do not make a Diffie-Hellman group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadToy {
    /// `p` is not a prime from 5 to [`TOY_PRIME_LIMIT`].
    Prime {
        /// The number given.
        p: u64,
    },
    /// `g` is not from 2 to p − 1.
    Generator {
        /// The number given.
        g: u64,
    },
    /// A private number is not from 1 to p − 2.
    Private {
        /// `a` or `b`.
        who: &'static str,
        /// The number given.
        x: u64,
        /// p − 2.
        max: u64,
    },
}

/// Where private numbers come from: OpenSSL's random generator, or a seed so a class can
/// replay the same numbers (`--seed N`; never for real keys).
#[derive(Debug, Clone)]
pub struct Dice {
    /// The SplitMix64 state when seeded; `None` for fresh randomness.
    seeded: Option<u64>,
}

impl Dice {
    /// Fresh randomness from OpenSSL (`RAND_bytes`).
    pub fn fresh() -> Self {
        Dice { seeded: None }
    }

    /// Reproducible numbers from `seed` (SplitMix64, Steele et al., OOPSLA 2014).
    pub fn seeded(seed: u64) -> Self {
        Dice { seeded: Some(seed) }
    }

    /// The next 64 random bits.
    ///
    /// Errors: OpenSSL's, when fresh randomness is unavailable.
    pub fn next_u64(&mut self) -> Result<u64, ErrorStack> {
        match &mut self.seeded {
            Some(state) => {
                *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                Ok(z ^ (z >> 31))
            }
            None => {
                let mut bytes = [0u8; 8];
                openssl::rand::rand_bytes(&mut bytes)?;
                Ok(u64::from_le_bytes(bytes))
            }
        }
    }

    /// A toy private number for prime `p`: 2 to p − 2 (1 and p − 1 give themselves away).
    pub fn toy_private(&mut self, p: u64) -> Result<u64, ErrorStack> {
        // The slight modulo bias does not matter for a toy.
        Ok(2 + self.next_u64()? % p.saturating_sub(3).max(1))
    }

    /// 32 random bytes: an X25519 private key.
    pub fn bytes32(&mut self) -> Result<[u8; 32], ErrorStack> {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next_u64()?.to_le_bytes());
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// Step 1: Diffie-Hellman with toy numbers
// ---------------------------------------------------------------------------------------

/// `base^exp mod modulus` by square-and-multiply, through u128 so no product overflows.
/// `modulus` 0 or 1 gives 0.
pub fn mod_pow(base: u64, exp: u64, modulus: u64) -> u64 {
    if modulus <= 1 {
        return 0;
    }
    let m = u128::from(modulus);
    let mut result: u128 = 1;
    let mut base = u128::from(base) % m;
    let mut exp = exp;
    while exp > 0 {
        if exp & 1 == 1 {
            result = result * base % m;
        }
        base = base * base % m;
        exp >>= 1;
    }
    // result < modulus, which is a u64.
    result as u64
}

fn is_prime(n: u64) -> bool {
    n >= 2
        && (2u64..)
            .take_while(|d| d.saturating_mul(*d) <= n)
            .all(|d| n % d != 0)
}

/// One toy Diffie-Hellman exchange between Alice and Bob (RFC 2631 §2.1.1, with tiny
/// numbers). In the paint analogy: `p` and `g` are the public colour, the private numbers
/// the secret colours, the public numbers the mixes sent in the open, and the shared
/// numbers the final colour each side mixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToyExchange {
    /// The public prime modulus.
    pub p: u64,
    /// The public generator.
    pub g: u64,
    /// Alice's private number `a` (never sent).
    pub alice_private: u64,
    /// Bob's private number `b` (never sent).
    pub bob_private: u64,
    /// What Alice sends: `A = g^a mod p`.
    pub alice_public: u64,
    /// What Bob sends: `B = g^b mod p`.
    pub bob_public: u64,
    /// What Alice computes: `B^a mod p`.
    pub alice_shared: u64,
    /// What Bob computes: `A^b mod p` — the same number, since both are `g^(ab) mod p`.
    pub bob_shared: u64,
}

/// Runs the toy exchange with prime `p`, generator `g` and private numbers `a`, `b`.
///
/// Errors: [`KeyExchangeError::Toy`] unless `p` is a prime from 5 to 2^24 (so
/// [`brute_force`] takes well under a second), 2 ≤ `g` < `p`, and 1 ≤ `a`, `b` ≤ p − 2.
pub fn toy_dh(p: u64, g: u64, a: u64, b: u64) -> Result<ToyExchange, KeyExchangeError> {
    if !(5..=TOY_PRIME_LIMIT).contains(&p) || !is_prime(p) {
        return Err(KeyExchangeError::Toy(BadToy::Prime { p }));
    }
    if !(2..p).contains(&g) {
        return Err(KeyExchangeError::Toy(BadToy::Generator { g }));
    }
    for (who, x) in [("a", a), ("b", b)] {
        if !(1..=p - 2).contains(&x) {
            return Err(KeyExchangeError::Toy(BadToy::Private {
                who,
                x,
                max: p - 2,
            }));
        }
    }
    let alice_public = mod_pow(g, a, p);
    let bob_public = mod_pow(g, b, p);
    Ok(ToyExchange {
        p,
        g,
        alice_private: a,
        bob_private: b,
        alice_public,
        bob_public,
        alice_shared: mod_pow(bob_public, a, p),
        bob_shared: mod_pow(alice_public, b, p),
    })
}

/// What the eavesdropper Eve gets by trying every private number against a public one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BruteForce {
    /// The first `x` with `g^x mod p` equal to the public number: the private number
    /// itself when `g` is a primitive root and the private number is below p − 1.
    pub private: u64,
    /// Numbers tried, `1..=private`.
    pub tries: u64,
    /// The shared secret Eve then computes from the other side's public number.
    pub shared: u64,
}

/// Eve's attack on a toy exchange, using only what crossed the wire (`p`, `g`, `A`,
/// `B`): tries x = 1, 2, 3 … until `g^x mod p = A`, then computes `B^x mod p`. It takes
/// at most p − 2 tries — a blink for 23, hopeless for a 255-bit group.
///
/// Returns `None` when no x below p matches (`A` is not a power of `g`).
pub fn brute_force(exchange: &ToyExchange) -> Option<BruteForce> {
    let ToyExchange { p, g, .. } = *exchange;
    let mut power = 1u64;
    for x in 1..p {
        // One multiplication per try: g^x from g^(x-1).
        power = (u128::from(power) * u128::from(g) % u128::from(p)) as u64;
        if power == exchange.alice_public {
            return Some(BruteForce {
                private: x,
                tries: x,
                shared: mod_pow(exchange.bob_public, x, p),
            });
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Step 2: X25519, and its shared secret as a Fernet key
// ---------------------------------------------------------------------------------------

/// One side of an X25519 exchange (RFC 7748): a private key that never leaves it.
pub struct Party {
    key: PKey<Private>,
}

impl std::fmt::Debug for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Party(X25519 private key)")
    }
}

impl Party {
    /// A new key pair: 32 private bytes from `dice` (X25519 clamps them itself).
    ///
    /// Errors: OpenSSL's.
    pub fn generate(dice: &mut Dice) -> Result<Party, KeyExchangeError> {
        let key = PKey::private_key_from_raw_bytes(&dice.bytes32()?, Id::X25519)?;
        Ok(Party { key })
    }

    /// The public key to send: 32 bytes (RFC 7748 §5, little-endian u-coordinate).
    ///
    /// Errors: OpenSSL's.
    pub fn public_key(&self) -> Result<[u8; 32], KeyExchangeError> {
        let raw = self.key.raw_public_key()?;
        raw.as_slice()
            .try_into()
            .map_err(|_| KeyExchangeError::KeyLength(raw.len()))
    }

    /// The 32-byte shared secret with whoever holds the private key of `peer_public`.
    ///
    /// Errors: [`KeyExchangeError::KeyLength`], or OpenSSL's (e.g. a low-order point
    /// that would give an all-zero secret).
    pub fn shared_secret(&self, peer_public: &[u8]) -> Result<[u8; 32], KeyExchangeError> {
        if peer_public.len() != 32 {
            return Err(KeyExchangeError::KeyLength(peer_public.len()));
        }
        let peer = PKey::public_key_from_raw_bytes(peer_public, Id::X25519)?;
        let mut deriver = Deriver::new(&self.key)?;
        deriver.set_peer(&peer)?;
        let secret = deriver.derive_to_vec()?;
        secret
            .as_slice()
            .try_into()
            .map_err(|_| KeyExchangeError::KeyLength(secret.len()))
    }
}

/// A Fernet key from a shared secret: HKDF-SHA256 (RFC 5869, no salt, info
/// [`FERNET_KEY_INFO`]) to 32 bytes, in URL-safe base64 (44 characters), as Fernet wants
/// (spec: github.com/fernet/spec). A raw DH secret is not uniformly random, so it goes
/// through a KDF rather than straight into a cipher.
///
/// Errors: [`KeyExchangeError::Kdf`].
pub fn fernet_key(shared_secret: &[u8]) -> Result<String, KeyExchangeError> {
    Ok(URL_SAFE.encode(hkdf_sha256(shared_secret, &[], FERNET_KEY_INFO)?))
}

/// Encrypts `message` as a Fernet token under `key` (from [`fernet_key`]).
fn seal(key: &str, message: &str) -> Result<String, KeyExchangeError> {
    let fernet = fernet::Fernet::new(key).ok_or(KeyExchangeError::WrongKey)?;
    Ok(fernet.encrypt(message.as_bytes()))
}

/// Decrypts a Fernet token under `key`; [`KeyExchangeError::WrongKey`] when it does not
/// open (another key, or a changed token).
pub fn open(key: &str, token: &str) -> Result<String, KeyExchangeError> {
    let fernet = fernet::Fernet::new(key).ok_or(KeyExchangeError::WrongKey)?;
    let plain = fernet
        .decrypt(token)
        .map_err(|_| KeyExchangeError::WrongKey)?;
    Ok(String::from_utf8_lossy(&plain).into_owned())
}

/// An X25519 exchange between Alice and Bob, and one Fernet message across it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct X25519Exchange {
    /// Alice's public key, sent in the open.
    pub alice_public: [u8; 32],
    /// Bob's public key, sent in the open.
    pub bob_public: [u8; 32],
    /// Alice's shared secret: her private key with Bob's public key.
    pub alice_shared: [u8; 32],
    /// Bob's shared secret: his private key with Alice's public key (the same bytes).
    pub bob_shared: [u8; 32],
    /// Alice's Fernet key, from her shared secret.
    pub alice_fernet_key: String,
    /// Bob's Fernet key, from his shared secret.
    pub bob_fernet_key: String,
    /// The Fernet token Alice sends: `message` encrypted with her key.
    pub token: String,
    /// What Bob reads when he decrypts the token with his key.
    pub bob_reads: String,
}

/// Alice and Bob each make an X25519 key pair, swap public keys, derive the shared
/// secret and the Fernet key; Alice encrypts `message` and Bob decrypts it.
///
/// Errors: OpenSSL's and HKDF's; [`KeyExchangeError::WrongKey`] if Bob could not read it.
pub fn x25519_exchange(dice: &mut Dice, message: &str) -> Result<X25519Exchange, KeyExchangeError> {
    let alice = Party::generate(dice)?;
    let bob = Party::generate(dice)?;
    let alice_public = alice.public_key()?;
    let bob_public = bob.public_key()?;
    let alice_shared = alice.shared_secret(&bob_public)?;
    let bob_shared = bob.shared_secret(&alice_public)?;
    let alice_fernet_key = fernet_key(&alice_shared)?;
    let bob_fernet_key = fernet_key(&bob_shared)?;
    let token = seal(&alice_fernet_key, message)?;
    let bob_reads = open(&bob_fernet_key, &token)?;
    Ok(X25519Exchange {
        alice_public,
        bob_public,
        alice_shared,
        bob_shared,
        alice_fernet_key,
        bob_fernet_key,
        token,
        bob_reads,
    })
}

// ---------------------------------------------------------------------------------------
// Step 3: the man in the middle
// ---------------------------------------------------------------------------------------

/// The same exchange with Mallory on the path: she replaces each public key with one of
/// her own, so each honest side shares a secret with *her*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManInTheMiddle {
    /// Alice's real public key (Bob never sees it).
    pub alice_public: [u8; 32],
    /// Bob's real public key (Alice never sees it).
    pub bob_public: [u8; 32],
    /// The key Alice receives believing it is Bob's: Mallory's first key.
    pub mallory_public_for_alice: [u8; 32],
    /// The key Bob receives believing it is Alice's: Mallory's second key.
    pub mallory_public_for_bob: [u8; 32],
    /// Alice's shared secret — with Mallory.
    pub alice_shared: [u8; 32],
    /// Bob's shared secret — with Mallory; not Alice's.
    pub bob_shared: [u8; 32],
    /// Mallory's secret with Alice (equal to `alice_shared`).
    pub mallory_shared_with_alice: [u8; 32],
    /// Mallory's secret with Bob (equal to `bob_shared`).
    pub mallory_shared_with_bob: [u8; 32],
    /// Alice's token, sent to "Bob".
    pub token_from_alice: String,
    /// What Mallory reads from it.
    pub mallory_reads: String,
    /// The token Mallory makes again under Bob's key and forwards.
    pub token_to_bob: String,
    /// What Bob reads: the message, as if nothing happened.
    pub bob_reads: String,
}

/// Runs the exchange of [`x25519_exchange`] with Mallory swapping the public keys in
/// transit: she decrypts Alice's `message`, reads it, re-encrypts it for Bob, and both
/// exchanges succeed. Nothing in the numbers tells Alice or Bob; only a signature on the
/// public key — a certificate (lesson 05) — would.
///
/// Errors: OpenSSL's and HKDF's; [`KeyExchangeError::WrongKey`] if a token did not open.
pub fn man_in_the_middle(
    dice: &mut Dice,
    message: &str,
) -> Result<ManInTheMiddle, KeyExchangeError> {
    let alice = Party::generate(dice)?;
    let bob = Party::generate(dice)?;
    let mallory_a = Party::generate(dice)?;
    let mallory_b = Party::generate(dice)?;
    let alice_public = alice.public_key()?;
    let bob_public = bob.public_key()?;
    let mallory_public_for_alice = mallory_a.public_key()?;
    let mallory_public_for_bob = mallory_b.public_key()?;

    // The swap: each side receives Mallory's key where it expects the other's.
    let alice_shared = alice.shared_secret(&mallory_public_for_alice)?;
    let bob_shared = bob.shared_secret(&mallory_public_for_bob)?;
    let mallory_shared_with_alice = mallory_a.shared_secret(&alice_public)?;
    let mallory_shared_with_bob = mallory_b.shared_secret(&bob_public)?;

    let token_from_alice = seal(&fernet_key(&alice_shared)?, message)?;
    let mallory_reads = open(&fernet_key(&mallory_shared_with_alice)?, &token_from_alice)?;
    let token_to_bob = seal(&fernet_key(&mallory_shared_with_bob)?, &mallory_reads)?;
    let bob_reads = open(&fernet_key(&bob_shared)?, &token_to_bob)?;
    Ok(ManInTheMiddle {
        alice_public,
        bob_public,
        mallory_public_for_alice,
        mallory_public_for_bob,
        alice_shared,
        bob_shared,
        mallory_shared_with_alice,
        mallory_shared_with_bob,
        token_from_alice,
        mallory_reads,
        token_to_bob,
        bob_reads,
    })
}

// ---------------------------------------------------------------------------------------
// The whole story
// ---------------------------------------------------------------------------------------

/// Everything `squirrel key-exchange demo` shows, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    /// Step 1: the toy exchange with [`TOY_PRIME`] and [`TOY_GENERATOR`].
    pub toy: ToyExchange,
    /// Step 1: Eve's brute force of it (`None` never happens with the toy group).
    pub eve: Option<BruteForce>,
    /// Step 2: X25519 and `fluffy tail` across it.
    pub x25519: X25519Exchange,
    /// Step 3: Mallory in the middle.
    pub mitm: ManInTheMiddle,
}

/// Runs the three steps with the club's message [`SECRET`]; private numbers and keys
/// from `seed` when given (the same seed, the same numbers), else fresh randomness.
///
/// Errors: those of the steps.
pub fn demo(seed: Option<u64>) -> Result<Demo, KeyExchangeError> {
    let mut dice = match seed {
        Some(seed) => Dice::seeded(seed),
        None => Dice::fresh(),
    };
    let a = dice.toy_private(TOY_PRIME)?;
    let b = dice.toy_private(TOY_PRIME)?;
    let toy = toy_dh(TOY_PRIME, TOY_GENERATOR, a, b)?;
    let eve = brute_force(&toy);
    let x25519 = x25519_exchange(&mut dice, SECRET)?;
    let mitm = man_in_the_middle(&mut dice, SECRET)?;
    Ok(Demo {
        toy,
        eve,
        x25519,
        mitm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::encode as hex;

    #[test]
    fn wikipedia_example_p23_g5_a4_b3_gives_both_sides_18() {
        let toy = toy_dh(23, 5, 4, 3).unwrap();
        assert_eq!((toy.alice_public, toy.bob_public), (4, 10));
        assert_eq!((toy.alice_shared, toy.bob_shared), (18, 18));
    }

    #[test]
    fn mod_pow_does_not_overflow_near_u64_max() {
        let p = 4_294_967_291; // the largest prime below 2^32
        assert_eq!(mod_pow(2, p - 1, p), 1); // Fermat
        assert_eq!(mod_pow(u64::MAX, 2, u64::MAX - 1), 1);
    }

    #[test]
    fn rfc7748_section_6_1_vector_gives_the_published_secret() {
        let raw = |s: &str| crate::hex::decode(s).unwrap();
        let alice = Party {
            key: PKey::private_key_from_raw_bytes(
                &raw("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"),
                Id::X25519,
            )
            .unwrap(),
        };
        assert_eq!(
            hex(&alice.public_key().unwrap()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
        );
        let bob_public = raw("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assert_eq!(
            hex(&alice.shared_secret(&bob_public).unwrap()),
            "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        );
    }

    #[test]
    fn numbers_that_are_not_a_toy_group_are_refused() {
        assert!(toy_dh(24, 5, 4, 3).is_err());
        assert!(toy_dh(16_777_259, 2, 4, 3).is_err()); // prime, but over the limit
        assert!(toy_dh(23, 23, 4, 3).is_err());
        assert!(toy_dh(23, 5, 0, 3).is_err());
        assert!(toy_dh(23, 5, 4, 22).is_err());
    }
}
