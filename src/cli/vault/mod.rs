//! `squirrel vault …`: the file vault's server, its user management and its client
//! (one-shot commands, daily scheduled uploads, and the terminal UI).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Local, TimeZone, Utc};
use clap::{Args, Subcommand};

use squirrel::server::Limits;
use squirrel::vault::client::{
    self as vault_client, Account, ClientError, LoggedIn, VaultClient, DEFAULT_SERVER,
};
use squirrel::vault::config::{self, ClientConfig, ConfigError};
use squirrel::vault::keys::DEFAULT_ITERATIONS;
use squirrel::vault::progress::{Progress, TerminalBar, BAR_THRESHOLD};
use squirrel::vault::schedule::{self, Outcome, PassReport, RunLock, Schedule, ScheduleError};
use squirrel::vault::server::{
    self as vault_server, Policy, ServeOptions, Vault, VaultError, DEMO_USERS,
};
use squirrel::vault::users::{check_user_name, Users};

use squirrel::i18n::Localized;
use squirrel::tr;

use crate::Failure;

mod client;
mod schedule_cmd;
mod server;

use client::*;
use schedule_cmd::*;
pub(crate) use server::read_new_password;
use server::*;

/// The environment variable scripts use to give a password without a prompt.
pub(crate) const PASSWORD_ENV: &str = "SQUIRREL_PASSWORD";

/// The environment variable `vault passwd` reads the new password from.
const NEW_PASSWORD_ENV: &str = "SQUIRREL_NEW_PASSWORD";

/// The shortest new password `adduser` and `passwd` accept without
/// `--allow-short-password`, in characters (OWASP ASVS 4.0, V2.1.1: at least 8).
const MIN_PASSWORD_CHARS: usize = 8;

/// The Secret Squirrels' file vault: a mutual-TLS server that zips and encrypts files at
/// rest, and its client.
///
/// Quick start: `squirrel vault serve --demo` in one terminal, then in another
/// `squirrel vault login --user user1 --remember` (password1) and
/// `squirrel vault upload README.md`, `squirrel vault list`, or `squirrel vault ui`.
#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Run the vault server (makes a development CA and certificates in --certs on
    /// first start).
    Serve(ServeArgs),
    /// Add a member (password from a prompt, or SQUIRREL_PASSWORD in scripts).
    Adduser(UserArgs),
    /// Change a member's password and re-encrypt their archives (current password from
    /// SQUIRREL_PASSWORD or a prompt; new one from SQUIRREL_NEW_PASSWORD or a prompt).
    Passwd(UserArgs),
    /// Check that you can log in, and remember the server and user name in
    /// <dir>/config.json for later commands (the password too with --remember).
    Login {
        /// Also remember the password (stored in clear in config.json, mode 0600), so
        /// later commands and scheduled uploads need no prompt.
        #[arg(long)]
        remember: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Every command logs out by itself; with --forget, also remove the remembered
    /// server, user name and password (<dir>/config.json).
    Logout {
        /// Remove config.json.
        #[arg(long)]
        forget: bool,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Upload files: the server zips each one and encrypts it with your key.
    Upload {
        /// Files to upload.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List your archives: file, upload time (local), stored size, archive name; ⚠ marks
    /// a file whose newest upload is over 24 h old.
    List {
        /// Print only the archive names, one a line (for scripts).
        #[arg(long)]
        names: bool,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Download archives, decrypt them and write the files into <dir>/downloads/
    /// (an existing file is never overwritten).
    Download {
        /// Archive names, as `vault list` shows them.
        #[arg(required = true)]
        archives: Vec<String>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Daily uploads: files uploaded again once their last upload is 24 h old
    /// (<dir>/upload_schedule.json).
    #[command(subcommand)]
    Schedule(ScheduleCommand),
    /// The terminal UI: log in, see your archives, upload, schedule, download.
    Ui(ClientArgs),
}

/// `vault schedule …`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Schedule files for daily upload (stored as absolute paths).
    Add {
        /// Files to upload every day.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Stop uploading files (the files themselves are untouched).
    Remove {
        /// Files to take out of the schedule.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Show each scheduled file, its last upload and when the next is due.
    List(StateArgs),
    /// Upload the due files: every minute until stopped, or once with --once (for cron
    /// or a systemd timer; the exit code is 1 if any file failed).
    Run {
        /// One pass, then exit.
        #[arg(long)]
        once: bool,
        /// Seconds between passes.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
        every: u64,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// Print a crontab line and systemd units that run `schedule run --once`.
    Cron(ClientArgs),
}

/// The client's state folder, for commands that need nothing else.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// State folder: config.json, upload_schedule.json, certs/, downloads/.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
}

/// Options of `vault serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on: 127.0.0.1 keeps the vault on this machine; 0.0.0.0 opens it
    /// to a classroom network.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on.
    #[arg(long, env = "PORT", default_value_t = 5000)]
    port: u16,
    /// Folder holding users.json and archives/.
    #[arg(long, default_value = "vault-data")]
    data_dir: PathBuf,
    /// Folder holding ca.crt, server.crt and server.key (made on first start if empty).
    #[arg(long, default_value = "certs")]
    certs: PathBuf,
    /// Largest upload, e.g. 64MiB, 500KiB, 1GiB (bytes without a unit). Over it: 413.
    #[arg(long, default_value = "64MiB", value_parser = parse_size)]
    max_upload: u64,
    /// Largest request head (request line and headers). Over it: 431.
    #[arg(long, default_value = "16KiB", value_parser = parse_size)]
    max_head: u64,
    /// Seconds the whole TLS handshake may take.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    handshake_timeout: u64,
    /// Seconds the whole request head may take (a client dripping bytes is cut). Over it: 408.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    head_timeout: u64,
    /// Seconds over which --min-body-rate is measured, for uploads and downloads alike.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3600))]
    body_grace: u64,
    /// Slowest upload or download accepted, per second over each --body-grace window
    /// (e.g. 64KiB). A slower upload gets 408; a slower reader is cut.
    #[arg(long, default_value = "64KiB", value_parser = parse_size)]
    min_body_rate: u64,
    /// Connections served at once: each worker serves one connection at a time (idle
    /// connections wait without holding one), so a few stalled clients delay no one.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    workers: u16,
    /// Connections from one client address served at once; its others wait their turn.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    max_conn_per_address: u16,
    /// Most archive bytes one member may keep (e.g. 1GiB); 0 for no quota. Over it: 507.
    #[arg(long, default_value = "1GiB", value_parser = parse_size)]
    quota: u64,
    /// Free space an upload must leave on the data folder's disk; 0 for no check.
    /// Under it: 507.
    #[arg(long, default_value = "1GiB", value_parser = parse_size)]
    min_free: u64,
    /// Add the demo users user1/password1 and user2/password2 if they are missing.
    #[arg(long)]
    demo: bool,
}

/// Options of `vault adduser` and `vault passwd`.
#[derive(Debug, Args)]
pub struct UserArgs {
    /// The member's user name (letters, digits, '.', '-', '_').
    name: String,
    /// Folder holding users.json and archives/.
    #[arg(long, default_value = "vault-data")]
    data_dir: PathBuf,
    /// Accept a new password shorter than 8 characters: for a class demo only (OWASP
    /// ASVS asks for 8 or more; the archive key is only as strong as the password).
    #[arg(long)]
    allow_short_password: bool,
}

/// Options every client command shares.
#[derive(Debug, Args)]
pub struct ClientArgs {
    /// The vault server, HOST:PORT [default: from config.json, else localhost:5000].
    #[arg(long)]
    server: Option<String>,
    /// Your user name [default: from config.json].
    #[arg(long, short)]
    user: Option<String>,
    /// State folder: config.json, upload_schedule.json, certs/ (ca.crt, client.crt,
    /// client.key) and downloads/.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Seconds one request may take in all, plus the time its file needs at 64 KiB/s.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// No progress bars (they show only on a terminal, for transfers over 1 MiB).
    #[arg(long, short)]
    quiet: bool,
}

/// Runs one `vault` subcommand.
pub fn run(command: VaultCommand) -> Result<(), Failure> {
    match command {
        VaultCommand::Serve(args) => serve(args),
        VaultCommand::Adduser(args) => adduser(args),
        VaultCommand::Passwd(args) => passwd(args),
        VaultCommand::Login { remember, client } => login(&client, remember),
        VaultCommand::Logout { forget, state } => logout(&state.dir, forget),
        VaultCommand::Upload { files, client } => with_session(&client, |vault, session| {
            for file in &files {
                let archive = vault.upload_file(session, file).map_err(client_failure)?;
                println!(
                    "{}",
                    tr!(
                        "vault-uploaded",
                        file = file.display().to_string(),
                        archive = archive
                    )
                );
            }
            Ok(())
        }),
        VaultCommand::List { names, client } => with_session(&client, |vault, session| {
            let archives = vault.list_details(session).map_err(client_failure)?;
            if names {
                for a in &archives {
                    println!("{}", a.archive);
                }
            } else {
                print_archives(&archives);
            }
            Ok(())
        }),
        VaultCommand::Download { archives, client } => {
            let downloads = client.dir.join("downloads");
            with_session(&client, |vault, session| {
                for archive in &archives {
                    let path = vault
                        .download(session, archive, &downloads)
                        .map_err(client_failure)?;
                    println!(
                        "{}",
                        tr!(
                            "vault-downloaded",
                            archive = archive,
                            path = path.display().to_string()
                        )
                    );
                }
                Ok(())
            })
        }
        VaultCommand::Schedule(command) => run_schedule(command),
        VaultCommand::Ui(client) => ui(&client),
    }
}

/// Parses a size such as `64MiB`, `500KiB`, `1GiB`, `10MB` or `1024` into bytes.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 64MiB)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        other => return Err(format!("unknown unit {other:?} (use KiB, MiB or GiB)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("{text:?} is too large"))
}

fn vault_failure(e: VaultError) -> Failure {
    let hint = match &e {
        VaultError::Bind { .. } => Some(tr!("vault-hint-port")),
        VaultError::Tls(_) | VaultError::Pki(_) => Some(tr!("vault-hint-certificates")),
        _ => None,
    };
    Failure::new(e.localized()).maybe_hint(hint)
}

fn client_failure(e: ClientError) -> Failure {
    let hint = e.hint();
    Failure::new(e.localized()).maybe_hint(hint)
}

/// `warning: MESSAGE` (`avertissement : …`), the line a command prints on stderr about
/// something it did anyway.
pub(crate) fn warning(message: impl std::fmt::Display) -> String {
    tr!("cli-warning", warning = message.to_string())
}

/// `words`, joined as a sentence lists them: `a`, `a and b`, `a, b and c` (`or` with
/// `vault-or`).
fn joined(words: &[String], and: String) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}
#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("10 kb"), Ok(10_000));
        assert_eq!(parse_size("7"), Ok(7));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999GiB").is_err());
    }
}
