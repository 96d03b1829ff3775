//! `squirrel key-exchange …` (lesson 04): the story of agreeing on a key in public,
//! told with the numbers `l04_key_exchange` computes.

use std::io::{self, Write};

use clap::Subcommand;
use squirrel::hex::encode as hex;
use squirrel::i18n::Localized;
use squirrel::lessons::l04_key_exchange::{
    self as lesson, BruteForce, Demo, ManInTheMiddle, ToyExchange, X25519Exchange,
};
use squirrel::lessons::SECRET;
use squirrel::tr;

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
            let demo = lesson::demo(seed)
                .map_err(|e| Failure::new(e.localized()).hint(tr!("kex-openssl-hint")))?;
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
        Err(Failure::new(tr!(
            "kex-cannot-write-stdout",
            reason = e.to_string()
        )))
    }
}

/// One line of the story.
fn line(out: &mut dyn Write, text: String) -> io::Result<()> {
    writeln!(out, "{text}")
}

/// One indented line: a number, a key, a token.
fn indented(out: &mut dyn Write, text: String) -> io::Result<()> {
    writeln!(out, "  {text}")
}

fn tell(out: &mut dyn Write, demo: &Demo, seed: Option<u64>) -> io::Result<()> {
    line(out, tr!("kex-title"))?;
    match seed {
        Some(seed) => line(out, tr!("kex-seeded", seed = seed.to_string()))?,
        None => line(out, tr!("kex-random"))?,
    }
    toy(out, &demo.toy, demo.eve.as_ref())?;
    x25519(out, &demo.x25519)?;
    mitm(out, &demo.mitm)
}

fn heading(out: &mut dyn Write, title: String) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "== {title} ==")?;
    writeln!(out)?;
    Ok(())
}

fn toy(out: &mut dyn Write, t: &ToyExchange, eve: Option<&BruteForce>) -> io::Result<()> {
    let (p, g) = (t.p.to_string(), t.g.to_string());
    let (a, b) = (t.alice_private.to_string(), t.bob_private.to_string());
    let (big_a, big_b) = (t.alice_public.to_string(), t.bob_public.to_string());
    heading(out, tr!("kex-toy-heading"))?;
    line(out, tr!("kex-paint"))?;
    indented(out, tr!("kex-public", p = &p, g = &g))?;
    line(out, tr!("kex-secret-colour"))?;
    indented(out, tr!("kex-alice-a", a = &a))?;
    indented(out, tr!("kex-bob-b", b = &b))?;
    line(out, tr!("kex-mixes"))?;
    indented(
        out,
        tr!("kex-alice-sends", g = &g, a = &a, p = &p, A = &big_a),
    )?;
    indented(
        out,
        tr!("kex-bob-sends", g = &g, b = &b, p = &p, B = &big_b),
    )?;
    line(out, tr!("kex-adds"))?;
    indented(
        out,
        tr!(
            "kex-alice-computes",
            B = &big_b,
            a = &a,
            p = &p,
            secret = t.alice_shared.to_string()
        ),
    )?;
    indented(
        out,
        tr!(
            "kex-bob-computes",
            A = &big_a,
            b = &b,
            p = &p,
            secret = t.bob_shared.to_string()
        ),
    )?;
    if t.alice_shared == t.bob_shared {
        line(
            out,
            tr!("kex-same-colour", secret = t.alice_shared.to_string()),
        )?;
    }
    writeln!(out)?;
    line(
        out,
        tr!("kex-eve-holds", p = &p, g = &g, A = &big_a, B = &big_b),
    )?;
    line(out, tr!("kex-eve-tries", n = (t.p - 2).to_string()))?;
    match eve {
        Some(eve) => {
            for x in 1..=eve.private {
                let power = lesson::mod_pow(t.g, x, t.p);
                let mark = if x == eve.private {
                    format!("  {}", tr!("kex-that-is-a"))
                } else {
                    String::new()
                };
                writeln!(out, "  x = {x:>2}: {g}^{x} mod {p} = {power}{mark}")?;
            }
            line(
                out,
                tr!(
                    "kex-eve-knows",
                    tries = eve.tries.to_string(),
                    a = eve.private.to_string(),
                    secret = eve.shared.to_string()
                ),
            )?;
        }
        None => indented(out, tr!("kex-no-match"))?,
    }
    line(out, tr!("kex-out-of-reach"))
}

fn x25519(out: &mut dyn Write, x: &X25519Exchange) -> io::Result<()> {
    heading(out, tr!("kex-x25519-heading"))?;
    line(out, tr!("kex-key-pairs"))?;
    indented(out, tr!("kex-alice-public", key = hex(&x.alice_public)))?;
    indented(out, tr!("kex-bob-public", key = hex(&x.bob_public)))?;
    line(out, tr!("kex-combines"))?;
    indented(out, tr!("kex-alice-shared", secret = hex(&x.alice_shared)))?;
    indented(out, tr!("kex-bob-shared", secret = hex(&x.bob_shared)))?;
    if x.alice_shared == x.bob_shared {
        indented(out, tr!("kex-same-bytes"))?;
    }
    line(out, tr!("kex-hkdf"))?;
    indented(out, tr!("kex-alice-fernet", key = &x.alice_fernet_key))?;
    indented(out, tr!("kex-bob-fernet", key = &x.bob_fernet_key))?;
    line(out, tr!("kex-alice-encrypts", secret = SECRET))?;
    writeln!(out, "  {}", x.token)?;
    line(out, tr!("kex-bob-decrypts", text = &x.bob_reads))?;
    line(out, tr!("kex-eve-saw"))?;
    line(out, tr!("kex-nothing-told"))
}

fn mitm(out: &mut dyn Write, m: &ManInTheMiddle) -> io::Result<()> {
    heading(out, tr!("kex-mitm-heading"))?;
    line(out, tr!("kex-mallory-swaps"))?;
    indented(out, tr!("kex-mitm-alice-sends", key = hex(&m.alice_public)))?;
    indented(
        out,
        tr!(
            "kex-mitm-bob-receives",
            key = hex(&m.mallory_public_for_bob)
        ),
    )?;
    indented(out, tr!("kex-mitm-bob-sends", key = hex(&m.bob_public)))?;
    indented(
        out,
        tr!(
            "kex-mitm-alice-receives",
            key = hex(&m.mallory_public_for_alice)
        ),
    )?;
    line(out, tr!("kex-with-mallory"))?;
    indented(
        out,
        tr!("kex-mitm-alice-shared", secret = hex(&m.alice_shared)),
    )?;
    indented(
        out,
        tr!(
            "kex-mitm-mallory-alice",
            secret = hex(&m.mallory_shared_with_alice)
        ),
    )?;
    indented(out, tr!("kex-mitm-bob-shared", secret = hex(&m.bob_shared)))?;
    indented(
        out,
        tr!(
            "kex-mitm-mallory-bob",
            secret = hex(&m.mallory_shared_with_bob)
        ),
    )?;
    if m.alice_shared != m.bob_shared {
        indented(out, tr!("kex-different"))?;
    }
    line(out, tr!("kex-alice-for-bob", secret = SECRET))?;
    writeln!(out, "  {}", m.token_from_alice)?;
    line(out, tr!("kex-mallory-reads", text = &m.mallory_reads))?;
    line(out, tr!("kex-mallory-forwards"))?;
    writeln!(out, "  {}", m.token_to_bob)?;
    line(out, tr!("kex-bob-reads", text = &m.bob_reads))?;
    line(out, tr!("kex-could-change"))?;
    writeln!(out)?;
    line(out, tr!("kex-moral-1"))?;
    line(out, tr!("kex-moral-2"))
}
