//! `squirrel key-exchange …` (lesson 04): the story of agreeing on a key in public,
//! told with the numbers `l04_key_exchange` computes.

use std::io::{self, Write};

use clap::Subcommand;
use squirrel::hex::encode as hex;
use squirrel::lessons::l04_key_exchange::{
    self as lesson, BruteForce, Demo, ManInTheMiddle, ToyExchange, X25519Exchange,
};
use squirrel::lessons::SECRET;

use crate::Failure;

/// Lesson 04: Diffie-Hellman with toy numbers, X25519, and the man in the middle.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tell the story step by step, with the numbers: toy Diffie-Hellman and its brute
    /// force, X25519 into a Fernet key, and Mallory in the middle.
    Demo {
        /// Make the private numbers and keys from this seed, so a class sees the same
        /// numbers (the Fernet tokens still differ: they carry a time and a random IV).
        #[arg(long)]
        seed: Option<u64>,
    },
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Demo { seed } => {
            let demo = lesson::demo(seed).map_err(|e| {
                Failure::new(e).hint("this needs OpenSSL 1.1.1 or later (X25519 and HKDF)")
            })?;
            let mut out = io::stdout().lock();
            tell(&mut out, &demo, seed).or_else(output_closed)
        }
    }
}

/// A reader who stops reading (`| head`) ends the story quietly; other write errors fail.
fn output_closed(e: io::Error) -> Result<(), Failure> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Failure::new(format!("cannot write to stdout: {e}")))
    }
}

fn tell(out: &mut dyn Write, demo: &Demo, seed: Option<u64>) -> io::Result<()> {
    writeln!(out, "Lesson 04 — agreeing on a key while everyone listens")?;
    match seed {
        Some(seed) => writeln!(
            out,
            "(numbers from --seed {seed}: run it again, get the same ones)"
        )?,
        None => writeln!(out, "(fresh random numbers: pass --seed N to replay a run)")?,
    }
    toy(out, &demo.toy, demo.eve.as_ref())?;
    x25519(out, &demo.x25519)?;
    mitm(out, &demo.mitm)
}

fn heading(out: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "== {title} ==")?;
    writeln!(out)?;
    Ok(())
}

fn toy(out: &mut dyn Write, t: &ToyExchange, eve: Option<&BruteForce>) -> io::Result<()> {
    let (p, g) = (t.p, t.g);
    heading(
        out,
        "1. Diffie-Hellman with toy numbers (a TOY: real groups have 255 bits or more)",
    )?;
    writeln!(
        out,
        "The paint analogy. Alice and Bob agree, in the open, on a common paint:"
    )?;
    writeln!(
        out,
        "  p = {p} (a prime) and g = {g}. Everyone knows them, Eve the eavesdropper too."
    )?;
    writeln!(out, "Each picks a secret colour and tells no one:")?;
    writeln!(out, "  Alice: a = {}", t.alice_private)?;
    writeln!(out, "  Bob:   b = {}", t.bob_private)?;
    writeln!(
        out,
        "Each mixes the common paint with their secret colour and sends the mix:"
    )?;
    writeln!(
        out,
        "  Alice sends A = g^a mod p = {g}^{} mod {p} = {}",
        t.alice_private, t.alice_public
    )?;
    writeln!(
        out,
        "  Bob sends   B = g^b mod p = {g}^{} mod {p} = {}",
        t.bob_private, t.bob_public
    )?;
    writeln!(out, "Each adds their secret colour to the other's mix:")?;
    writeln!(
        out,
        "  Alice: B^a mod p = {}^{} mod {p} = {}",
        t.bob_public, t.alice_private, t.alice_shared
    )?;
    writeln!(
        out,
        "  Bob:   A^b mod p = {}^{} mod {p} = {}",
        t.alice_public, t.bob_private, t.bob_shared
    )?;
    if t.alice_shared == t.bob_shared {
        writeln!(
            out,
            "The same colour on both sides: the shared secret is {}. It never crossed the wire.",
            t.alice_shared
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Eve holds p = {p}, g = {g}, A = {}, B = {}.",
        t.alice_public, t.bob_public
    )?;
    writeln!(
        out,
        "Unmixing paint is hard, but there are only {} secret colours: she tries them all.",
        p - 2
    )?;
    match eve {
        Some(eve) => {
            for x in 1..=eve.private {
                let power = lesson::mod_pow(g, x, p);
                let mark = if x == eve.private {
                    "  <- that is A"
                } else {
                    ""
                };
                writeln!(out, "  x = {x:>2}: {g}^{x} mod {p} = {power}{mark}")?;
            }
            writeln!(
                out,
                "After {} tries Eve knows a = {}, and computes B^a mod p = {}: the shared secret.",
                eve.tries, eve.private, eve.shared
            )?;
        }
        None => writeln!(out, "  (no x matches: this g does not generate A)")?,
    }
    writeln!(
        out,
        "X25519 draws its secret from about 2^252 numbers: trying them all is out of reach."
    )?;
    Ok(())
}

fn x25519(out: &mut dyn Write, x: &X25519Exchange) -> io::Result<()> {
    heading(
        out,
        "2. X25519: the same idea on an elliptic curve (RFC 7748)",
    )?;
    writeln!(
        out,
        "Each side makes a key pair and sends the public half (32 bytes):"
    )?;
    writeln!(out, "  Alice's public key: {}", hex(&x.alice_public))?;
    writeln!(out, "  Bob's public key:   {}", hex(&x.bob_public))?;
    writeln!(
        out,
        "Each combines its private key with the other's public key:"
    )?;
    writeln!(out, "  Alice's shared secret: {}", hex(&x.alice_shared))?;
    writeln!(out, "  Bob's shared secret:   {}", hex(&x.bob_shared))?;
    if x.alice_shared == x.bob_shared {
        writeln!(out, "  The same 32 bytes on both sides.")?;
    }
    writeln!(
        out,
        "HKDF-SHA256 turns the secret into a Fernet key (URL-safe base64 of 32 bytes):"
    )?;
    writeln!(out, "  Alice's Fernet key: {}", x.alice_fernet_key)?;
    writeln!(out, "  Bob's Fernet key:   {}", x.bob_fernet_key)?;
    writeln!(out, "Alice encrypts `{SECRET}` and sends the token:")?;
    writeln!(out, "  {}", x.token)?;
    writeln!(out, "Bob decrypts it with his key: {}", x.bob_reads)?;
    writeln!(
        out,
        "Eve saw both public keys and the token. Without a private key she cannot make"
    )?;
    writeln!(
        out,
        "the secret — but nothing told Alice that the key she got really was Bob's."
    )?;
    Ok(())
}

fn mitm(out: &mut dyn Write, m: &ManInTheMiddle) -> io::Result<()> {
    heading(out, "3. The man in the middle")?;
    writeln!(
        out,
        "Mallory sits on the path and swaps the public keys as they pass:"
    )?;
    writeln!(out, "  Alice sends her key:    {}", hex(&m.alice_public))?;
    writeln!(
        out,
        "  Bob receives instead:   {} (Mallory's)",
        hex(&m.mallory_public_for_bob)
    )?;
    writeln!(out, "  Bob sends his key:      {}", hex(&m.bob_public))?;
    writeln!(
        out,
        "  Alice receives instead: {} (Mallory's)",
        hex(&m.mallory_public_for_alice)
    )?;
    writeln!(out, "Each honest side now shares a secret — with Mallory:")?;
    writeln!(
        out,
        "  Alice's shared secret:        {}",
        hex(&m.alice_shared)
    )?;
    writeln!(
        out,
        "  Mallory's secret with Alice:  {}",
        hex(&m.mallory_shared_with_alice)
    )?;
    writeln!(
        out,
        "  Bob's shared secret:          {}",
        hex(&m.bob_shared)
    )?;
    writeln!(
        out,
        "  Mallory's secret with Bob:    {}",
        hex(&m.mallory_shared_with_bob)
    )?;
    if m.alice_shared != m.bob_shared {
        writeln!(
            out,
            "  Alice and Bob hold different secrets, and neither can tell."
        )?;
    }
    writeln!(out, "Alice encrypts `{SECRET}` for \"Bob\":")?;
    writeln!(out, "  {}", m.token_from_alice)?;
    writeln!(out, "Mallory decrypts it and reads: {}", m.mallory_reads)?;
    writeln!(
        out,
        "She encrypts it again under her key with Bob and forwards it:"
    )?;
    writeln!(out, "  {}", m.token_to_bob)?;
    writeln!(
        out,
        "Bob decrypts: {} — everything worked, as far as he can see.",
        m.bob_reads
    )?;
    writeln!(out, "She could as easily have changed the message.")?;
    writeln!(out)?;
    writeln!(
        out,
        "Key exchange keeps out eavesdroppers, not impostors. The fix: sign the public"
    )?;
    writeln!(
        out,
        "key with a key you already trust — a certificate. Lesson 05: squirrel ca init"
    )?;
    Ok(())
}
