//! The `squirrel` command: lessons, the certificate authority, the file vault and the
//! browser chat.
//!
//! Every failure ends as one `error:` line (and a `hint:` line when there is a next step
//! to suggest) on stderr, and exit code 1; in French `erreur :` and `conseil :`
//! (`locales/*/cli.ftl`).

mod cli;

use std::fmt;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use squirrel::lessons::LESSONS;

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
    #[command(subcommand)]
    PlainHttp(cli::plain_http::Command),
    /// Lesson 02: a shift cipher, an encrypted chat, and breaking it by frequency analysis.
    #[command(subcommand)]
    Substitution(cli::substitution::Command),
    /// Lesson 03: Fernet symmetric encryption with a shared SECRET_KEY.
    #[command(subcommand)]
    Fernet(cli::fernet::Command),
    /// Lesson 04: Diffie-Hellman with toy numbers, X25519, and the man in the middle.
    #[command(subcommand)]
    KeyExchange(cli::key_exchange::Command),
    /// Lesson 05: become a certificate authority; make and read certificates.
    #[command(subcommand)]
    Ca(cli::ca::CaCommand),
    /// Lesson 06: HTTPS — the plain-http server behind TLS.
    #[command(subcommand)]
    Https(cli::https::Command),
    /// Lesson 07: mutual TLS — the server demands a client certificate.
    #[command(subcommand)]
    Mtls(cli::mtls::Command),
    /// Lesson 08: the Secret Squirrels' file vault, server and client.
    #[command(subcommand)]
    Vault(cli::vault::VaultCommand),
    /// Lesson 09: a browser chat, end-to-end encrypted with WebCrypto over our HTTPS.
    #[command(subcommand)]
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

/// The command line, each lesson's command answering to its number too (`squirrel 3`,
/// `squirrel 03`), as the lesson table says.
fn command() -> clap::Command {
    Cli::command().mut_subcommands(|sub| {
        match LESSONS.iter().find(|l| l.command == sub.get_name()) {
            Some(lesson) => sub
                .visible_alias(lesson.number.to_string())
                .alias(format!("{:02}", lesson.number)),
            None => sub,
        }
    })
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
    let cli = Cli::from_arg_matches(&command().get_matches()).unwrap_or_else(|e| e.exit());
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
            eprintln!("{}", squirrel::tr!("cli-error", message = failure.message));
            if let Some(hint) = failure.hint {
                eprintln!("{}", squirrel::tr!("cli-hint", hint = hint));
            }
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_command_exists_and_answers_to_its_number() {
        let command = command();
        for lesson in LESSONS {
            let sub = command
                .find_subcommand(lesson.command)
                .unwrap_or_else(|| panic!("no `squirrel {}`", lesson.command));
            let aliases: Vec<&str> = sub.get_all_aliases().collect();
            let number = lesson.number.to_string();
            let padded = format!("{:02}", lesson.number);
            assert_eq!(
                aliases,
                [number.as_str(), padded.as_str()],
                "{}",
                lesson.command
            );
            assert_eq!(
                sub.get_visible_aliases().collect::<Vec<_>>(),
                [number.as_str()]
            );
        }
        command.debug_assert();
    }

    /// `--lang` (the language squirrel speaks) reaches every command, and no command
    /// has an option of its own by that name (clap would mix their values up).
    #[test]
    fn the_global_lang_and_crack_s_language_parse_side_by_side() {
        let args = [
            "squirrel",
            "--lang",
            "fr",
            "2",
            "crack",
            "--language",
            "en",
            "x.txt",
        ];
        let matches = command().try_get_matches_from(args).unwrap();
        let cli = Cli::from_arg_matches(&matches).unwrap();
        assert_eq!(cli.lang, Some(squirrel::i18n::Lang::Fr));
        let plain = command()
            .try_get_matches_from(["squirrel", "substitution", "crack"])
            .unwrap();
        assert!(Cli::from_arg_matches(&plain).is_ok());
    }

    /// The README's lesson table is the lesson table: a row per lesson, in order, with
    /// its command and every subcommand it has (`…` for "too many to list"), its text
    /// and its staged test.
    #[test]
    fn the_readme_lesson_table_is_the_lesson_table() {
        let readme = include_str!("../README.md");
        let rows: Vec<Vec<&str>> = readme
            .lines()
            .filter(|l| l.starts_with("| 0"))
            .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
            .collect();
        assert_eq!(rows.len(), LESSONS.len(), "README rows: {rows:?}");
        let command = command();
        for (row, lesson) in rows.iter().zip(LESSONS) {
            let [number, usage, text, test] = row[..] else {
                panic!("README row of 4 cells expected: {row:?}");
            };
            assert_eq!(number, format!("{:02}", lesson.number));
            let usage = usage.trim_matches('`').replace("\\|", "|");
            let subcommands = usage
                .strip_prefix(&format!("squirrel {} ", lesson.command))
                .unwrap_or_else(|| panic!("README row {number}: {usage}"));
            let sub = command.find_subcommand(lesson.command).unwrap();
            let mut ours: Vec<&str> = sub
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| s.get_name())
                .collect();
            if subcommands != "…" {
                let mut listed: Vec<&str> = subcommands.split('|').collect();
                listed.sort_unstable();
                ours.sort_unstable();
                assert_eq!(listed, ours, "README row {number}");
            }
            let path = lesson.text_path();
            assert_eq!(text, format!("[{path}]({path})"));
            assert_eq!(test, format!("`cargo test --test {}`", lesson.test_name()));
        }
    }
}
