//! The `squirrel` command: lessons, the certificate authority, the file vault and the
//! browser chat.
//!
//! Every failure ends as one `error:` line (and a `hint:` line when there is a next step
//! to suggest) on stderr, and exit code 1.

mod cli;

use std::fmt;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Learn how HTTPS protects data by building it, then guard your files with it.
///
/// The Secret Squirrels keep the message `fluffy tail` away from eavesdroppers, stage by
/// stage, and end with a mutual-TLS file vault. Log detail: RUST_LOG=debug.
#[derive(Debug, Parser)]
#[command(name = "squirrel", version, propagate_version = true)]
struct Cli {
    /// The language of every message for a person: en or fr [default: from LC_ALL,
    /// LC_MESSAGES or LANG, else en]. Logs and wire protocols stay English.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    lang: Option<squirrel::i18n::Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the lessons: number, command, text and staged test.
    Lessons,
    /// Run every stage end to end on this machine and show what an eavesdropper sees.
    Tour(cli::tour::Command),
    /// Relay a connection, showing (and saving as pcap) every byte that passes.
    Tap(cli::tap::Command),
    /// Lesson 01: the secret over plain HTTP, readable by anyone on the path.
    #[command(subcommand, visible_alias = "1", alias = "01")]
    PlainHttp(cli::plain_http::Command),
    /// Lesson 02: a shift cipher, an encrypted chat, and breaking it by frequency analysis.
    #[command(subcommand, visible_alias = "2", alias = "02")]
    Substitution(cli::substitution::Command),
    /// Lesson 03: Fernet symmetric encryption with a shared SECRET_KEY.
    #[command(subcommand, visible_alias = "3", alias = "03")]
    Fernet(cli::fernet::Command),
    /// Lesson 04: Diffie-Hellman with toy numbers, X25519, and the man in the middle.
    #[command(subcommand, visible_alias = "4", alias = "04")]
    KeyExchange(cli::key_exchange::Command),
    /// Lesson 05: become a certificate authority; make and read certificates.
    #[command(subcommand, visible_alias = "5", alias = "05")]
    Ca(cli::ca::CaCommand),
    /// Lesson 06: HTTPS — the plain-http server behind TLS.
    #[command(subcommand, visible_alias = "6", alias = "06")]
    Https(cli::https::Command),
    /// Lesson 07: mutual TLS — the server demands a client certificate.
    #[command(subcommand, visible_alias = "7", alias = "07")]
    Mtls(cli::mtls::Command),
    /// Lesson 08: the Secret Squirrels' file vault, server and client.
    #[command(subcommand, visible_alias = "8", alias = "08")]
    Vault(cli::vault::VaultCommand),
    /// Lesson 09: a browser chat, end-to-end encrypted with WebCrypto over our HTTPS.
    #[command(subcommand, visible_alias = "9", alias = "09")]
    WebChat(cli::web_chat::Command),
}

/// A failure the user can act on: printed as `error: …` and an optional `hint: …`.
#[derive(Debug)]
pub struct Failure {
    message: String,
    hint: Option<String>,
}

impl Failure {
    /// A failure with a one-line message and no hint.
    pub fn new(message: impl fmt::Display) -> Self {
        Failure {
            message: message.to_string(),
            hint: None,
        }
    }

    /// Adds the next step the user should take.
    pub fn hint(mut self, hint: impl fmt::Display) -> Self {
        self.hint = Some(hint.to_string());
        self
    }

    /// Adds a hint when there is one.
    pub fn maybe_hint(self, hint: Option<impl fmt::Display>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }
}

fn main() -> ExitCode {
    // Rust ignores SIGPIPE, so `squirrel lessons | head` would panic on the closed pipe.
    // The default action ends the process quietly, as `cat` does. Sockets are not
    // affected: the standard library sends with MSG_NOSIGNAL.
    #[cfg(unix)]
    // SAFETY: called first thing, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format_target(false)
        .init();
    let cli = Cli::parse();
    squirrel::i18n::set_lang(cli.lang.unwrap_or_else(squirrel::i18n::Lang::from_env));
    let result = match cli.command {
        Command::Lessons => cli::lessons::run(),
        Command::Tour(command) => cli::tour::run(command),
        Command::Tap(command) => cli::tap::run(command),
        Command::PlainHttp(command) => cli::plain_http::run(command),
        Command::Substitution(command) => cli::substitution::run(command),
        Command::Fernet(command) => cli::fernet::run(command),
        Command::Https(command) => cli::https::run(command),
        Command::Mtls(command) => cli::mtls::run(command),
        Command::KeyExchange(command) => cli::key_exchange::run(command),
        Command::Ca(command) => cli::ca::run(command),
        Command::Vault(command) => cli::vault::run(command),
        Command::WebChat(command) => cli::web_chat::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            if let Some(hint) = failure.hint {
                eprintln!("hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}
