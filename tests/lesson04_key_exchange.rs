//! Lesson 04's claims: Diffie-Hellman gives both sides the same secret without sending it;
//! with toy numbers an eavesdropper brute-forces it; X25519's secret becomes a Fernet key
//! that carries `fluffy tail` across; and a man in the middle reads everything unnoticed.
//!
//! Run: `cargo test --test lesson04_key_exchange`

mod common;

use common::prereq::{LIVE_CAPTURE, TSHARK};
use common::text;
use common::text::TextRun;
use squirrel::lessons::l04_key_exchange::{
    self as lesson, brute_force, man_in_the_middle, toy_dh, x25519_exchange, Dice, Party,
    TOY_GENERATOR, TOY_PRIME,
};
use squirrel::lessons::SECRET;

fn both_sides_derive_the_same_toy_secret_for_every_pair_of_private_numbers() {
    for a in 1..=TOY_PRIME - 2 {
        for b in 1..=TOY_PRIME - 2 {
            let toy = toy_dh(TOY_PRIME, TOY_GENERATOR, a, b).unwrap();
            assert_eq!(toy.alice_shared, toy.bob_shared, "a = {a}, b = {b}");
            // What crossed the wire is g^a and g^b, never the secret g^(ab).
            assert_eq!(
                toy.alice_shared,
                lesson::mod_pow(TOY_GENERATOR, a * b, TOY_PRIME)
            );
        }
    }
}

fn eavesdropper_brute_forces_the_toy_private_number_and_the_secret() {
    for a in 1..=TOY_PRIME - 2 {
        let toy = toy_dh(TOY_PRIME, TOY_GENERATOR, a, 7).unwrap();
        let eve = brute_force(&toy).unwrap();
        assert_eq!(eve.private, a);
        assert_eq!(eve.tries, a);
        assert_eq!(eve.shared, toy.bob_shared);
    }
    // A few-digit prime only costs her more tries, not more thought.
    let toy = toy_dh(7919, 7, 4321, 1234).unwrap();
    let eve = brute_force(&toy).unwrap();
    assert_eq!(eve.shared, toy.alice_shared);
    assert_eq!(lesson::mod_pow(7, eve.private, 7919), toy.alice_public);
}

fn both_sides_derive_the_same_x25519_secret_and_the_fernet_message_crosses() {
    let x = x25519_exchange(&mut Dice::fresh(), SECRET).unwrap();
    assert_ne!(x.alice_public, x.bob_public);
    assert_eq!(x.alice_shared, x.bob_shared);
    assert_ne!(x.alice_shared, [0u8; 32]);
    assert_eq!(x.alice_fernet_key, x.bob_fernet_key);
    assert_eq!(x.alice_fernet_key.len(), 44);
    assert!(fernet::Fernet::new(&x.alice_fernet_key).is_some());
    assert!(x.token.starts_with("gAAAAA"), "{}", x.token);
    assert!(!x.token.contains(SECRET));
    assert_eq!(x.bob_reads, SECRET);
    assert_eq!(lesson::open(&x.bob_fernet_key, &x.token).unwrap(), SECRET);
}

fn an_eavesdropper_with_her_own_key_gets_a_different_secret() {
    let mut dice = Dice::fresh();
    let x = x25519_exchange(&mut dice, SECRET).unwrap();
    // Eve can do X25519 too, with both public keys — but not with their private keys.
    let eve = Party::generate(&mut dice).unwrap();
    let with_alice = eve.shared_secret(&x.alice_public).unwrap();
    let with_bob = eve.shared_secret(&x.bob_public).unwrap();
    assert_ne!(with_alice, x.alice_shared);
    assert_ne!(with_bob, x.alice_shared);
    let eve_key = lesson::fernet_key(&with_alice).unwrap();
    assert!(lesson::open(&eve_key, &x.token).is_err());
}

fn man_in_the_middle_reads_fluffy_tail_and_the_honest_sides_hold_different_secrets() {
    let m = man_in_the_middle(&mut Dice::fresh(), SECRET).unwrap();
    assert_eq!(m.mallory_reads, SECRET);
    assert_eq!(m.bob_reads, SECRET);
    assert_ne!(m.alice_shared, m.bob_shared);
    assert_eq!(m.alice_shared, m.mallory_shared_with_alice);
    assert_eq!(m.bob_shared, m.mallory_shared_with_bob);
    // Each side received a key that is not the other's, and nothing failed.
    assert_ne!(m.mallory_public_for_alice, m.bob_public);
    assert_ne!(m.mallory_public_for_bob, m.alice_public);
    assert_ne!(m.token_from_alice, m.token_to_bob);
}

fn a_seed_replays_the_same_numbers_and_keys() {
    let one = lesson::demo(Some(42)).unwrap();
    let two = lesson::demo(Some(42)).unwrap();
    assert_eq!(one.toy, two.toy);
    assert_eq!(one.x25519.alice_public, two.x25519.alice_public);
    assert_eq!(one.x25519.alice_fernet_key, two.x25519.alice_fernet_key);
    assert_eq!(one.mitm.bob_shared, two.mitm.bob_shared);
    let other = lesson::demo(Some(43)).unwrap();
    assert_ne!(one.x25519.alice_public, other.x25519.alice_public);
    assert_eq!(one.eve.map(|e| e.private), Some(one.toy.alice_private));
}

fn binary_demo_exits_0_and_prints_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run(dir.path(), &["4", "demo", "--seed", "7"], &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let demo = lesson::demo(Some(7)).unwrap();
    let t = demo.toy;
    for needle in [
        "== 1. Diffie-Hellman with toy numbers".to_string(),
        format!("p = {} (a prime) and g = {}", t.p, t.g),
        format!(
            "Alice sends A = g^a mod p = {}^{} mod {} = {}",
            t.g, t.alice_private, t.p, t.alice_public
        ),
        format!("the shared secret is {}", t.alice_shared),
        "== 2. X25519".to_string(),
        format!(
            "Alice's public key: {}",
            squirrel::hex::encode(&demo.x25519.alice_public)
        ),
        format!(
            "Bob's public key:   {}",
            squirrel::hex::encode(&demo.x25519.bob_public)
        ),
        format!(
            "Alice's shared secret: {}",
            squirrel::hex::encode(&demo.x25519.alice_shared)
        ),
        format!(
            "Bob's shared secret:   {}",
            squirrel::hex::encode(&demo.x25519.bob_shared)
        ),
        format!("Alice's Fernet key: {}", demo.x25519.alice_fernet_key),
        "Bob decrypts it with his key: fluffy tail".to_string(),
        "== 3. The man in the middle".to_string(),
        "Mallory decrypts it and reads: fluffy tail".to_string(),
        "Alice and Bob hold different secrets".to_string(),
    ] {
        assert!(text.contains(&needle), "missing {needle:?} in:\n{text}");
    }
}

const TEXT: &str = "lessons/04-key-exchange.md";

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).commands();
}

fn the_capture_section_finds_the_x25519_keys_of_tls_1_2_and_1_3_live() {
    TextRun::new(TEXT).setup(text::certificates).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).in_french().commands();
}

fn the_french_text_capture_section_finds_the_x25519_keys_of_tls_1_2_and_1_3_live() {
    TextRun::new(TEXT)
        .setup(text::certificates)
        .in_french()
        .capture();
}

test_main! {
    both_sides_derive_the_same_toy_secret_for_every_pair_of_private_numbers: [],
    eavesdropper_brute_forces_the_toy_private_number_and_the_secret: [],
    both_sides_derive_the_same_x25519_secret_and_the_fernet_message_crosses: [],
    an_eavesdropper_with_her_own_key_gets_a_different_secret: [],
    man_in_the_middle_reads_fluffy_tail_and_the_honest_sides_hold_different_secrets: [],
    a_seed_replays_the_same_numbers_and_keys: [],
    binary_demo_exits_0_and_prints_the_keys: [],
    every_command_of_the_text_runs_and_prints_what_it_shows: [],
    the_capture_section_finds_the_x25519_keys_of_tls_1_2_and_1_3_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [],
    the_french_text_capture_section_finds_the_x25519_keys_of_tls_1_2_and_1_3_live: [TSHARK, LIVE_CAPTURE],
}
