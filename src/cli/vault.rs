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

use crate::Failure;

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
                println!("Uploaded {} as {archive}", file.display());
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
                    println!("Downloaded {archive} → {}", path.display());
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
        VaultError::Bind { .. } => Some("another program uses this port: pick another with --port"),
        VaultError::Tls(_) | VaultError::Pki(_) => {
            Some("move the certificate folder aside to have the vault make a new development CA")
        }
        _ => None,
    };
    Failure::new(e).maybe_hint(hint)
}

fn client_failure(e: ClientError) -> Failure {
    let hint = e.hint();
    Failure::new(e).maybe_hint(hint)
}

fn serve(args: ServeArgs) -> Result<(), Failure> {
    let policy = Policy {
        max_upload: args.max_upload,
        quota: args.quota,
        min_free: args.min_free,
    };
    let vault = Arc::new(Vault::open_with(&args.data_dir, policy).map_err(vault_failure)?);
    if args.demo {
        let added = vault.add_demo_users().map_err(vault_failure)?;
        if !added.is_empty() {
            println!("Added the demo users {}.", added.join(" and "));
        }
        let logins: Vec<String> = DEMO_USERS.iter().map(|(u, p)| format!("{u}/{p}")).collect();
        eprintln!(
            "warning: DEMO MODE: anyone can log in as {} — never keep real files in a demo vault",
            logins.join(" or ")
        );
    }
    let options = ServeOptions {
        addr: format!("{}:{}", args.host, args.port),
        data_dir: args.data_dir.clone(),
        certs_dir: args.certs.clone(),
        limits: Limits {
            max_body: args.max_upload,
            head_bytes: usize::try_from(args.max_head).unwrap_or(usize::MAX),
            handshake_timeout: Duration::from_secs(args.handshake_timeout),
            head_timeout: Duration::from_secs(args.head_timeout),
            body_grace: Duration::from_secs(args.body_grace),
            body_min_rate: args.min_body_rate.max(1),
            max_conn_per_address: args.max_conn_per_address.into(),
            ..Limits::default()
        },
        workers: args.workers.into(),
    };
    let running = vault_server::start(&options, vault).map_err(vault_failure)?;
    for issued in &running.issued {
        println!("{issued}");
        for warning in &issued.warnings {
            eprintln!("warning: {warning}");
        }
    }
    for warning in &running.warnings {
        eprintln!("warning: {warning}");
    }
    let users = Users::load(&args.data_dir)
        .map(|u| u.names())
        .unwrap_or_default();
    println!(
        "The vault is listening on https://{} ({} worker{}; data in {}, certificates in {}).",
        running.handle.addr(),
        args.workers,
        if args.workers == 1 { "" } else { "s" },
        args.data_dir.display(),
        args.certs.display()
    );
    if users.is_empty() {
        println!(
            "No users yet: add one with `squirrel vault adduser NAME`, or restart with --demo."
        );
    } else {
        println!(
            "Users: {}. Clients need a certificate signed by {}.",
            users.join(", "),
            args.certs.join("ca.crt").display()
        );
        println!("Try, in another terminal:");
        let user = users.first().map(String::as_str).unwrap_or("user1");
        let password = if args.demo { "password1" } else { "…" };
        println!("  SQUIRREL_PASSWORD={password} squirrel vault upload README.md --user {user} --server localhost:{}", args.port);
        println!("  SQUIRREL_PASSWORD={password} squirrel vault list --user {user} --server localhost:{}", args.port);
        println!(
            "  squirrel vault ui --user {user} --server localhost:{}",
            args.port
        );
    }
    println!("Stop it with Ctrl-C.");
    running.handle.join();
    Ok(())
}

/// Reads a password: from `env_var` when set, else from a prompt without echo.
fn read_password(env_var: &str, prompt: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(env_var) {
        return Ok(password);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        Failure::new(format!("cannot read a password: {e}")).hint(format!(
            "set {env_var} to give the password without a prompt"
        ))
    })
}

/// A new password: from `env_var`, else typed twice; at least [`MIN_PASSWORD_CHARS`]
/// characters unless `allow_short`.
pub(crate) fn read_new_password(
    env_var: &str,
    who: &str,
    allow_short: bool,
) -> Result<String, Failure> {
    let password = match std::env::var(env_var) {
        Ok(password) => password,
        Err(_) => {
            let first = read_password(env_var, &format!("New password for {who}: "))?;
            let second = read_password(env_var, "Repeat it: ")?;
            if first != second {
                return Err(Failure::new(
                    "the two passwords differ; nothing was changed",
                ));
            }
            first
        }
    };
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS && !allow_short {
        return Err(Failure::new(format!(
            "the password has {length} character{}: at least {MIN_PASSWORD_CHARS} are needed; nothing was changed",
            if length == 1 { "" } else { "s" }
        ))
        .hint("choose a longer one (a few words make a good one); for a class demo only: --allow-short-password"));
    }
    Ok(password)
}

fn adduser(args: UserArgs) -> Result<(), Failure> {
    // Refuse a bad or taken name before asking for a password.
    check_user_name(&args.name).map_err(Failure::new)?;
    let mut users = Users::load(&args.data_dir).map_err(Failure::new)?;
    if users.contains(&args.name) {
        return Err(
            Failure::new(format!("the user {} already exists", args.name)).hint(format!(
                "change the password with: squirrel vault passwd {}",
                args.name
            )),
        );
    }
    let password = read_new_password(PASSWORD_ENV, &args.name, args.allow_short_password)?;
    users
        .add(&args.name, &password, DEFAULT_ITERATIONS)
        .and_then(|()| users.save())
        .map_err(Failure::new)?;
    println!("Added {} to {}.", args.name, users.path().display());
    Ok(())
}

fn passwd(args: UserArgs) -> Result<(), Failure> {
    let users = Users::load(&args.data_dir).map_err(Failure::new)?;
    if !users.contains(&args.name) {
        return Err(Failure::new(format!(
            "there is no user {} in {}",
            args.name,
            users.path().display()
        ))
        .hint(format!("add it with: squirrel vault adduser {}", args.name)));
    }
    let vault = Vault::open(&args.data_dir).map_err(vault_failure)?;
    let old = read_password(
        PASSWORD_ENV,
        &format!("Current password for {}: ", args.name),
    )?;
    let new = read_new_password(NEW_PASSWORD_ENV, &args.name, args.allow_short_password)?;
    let count = vault
        .change_password(&args.name, &old, &new)
        .map_err(vault_failure)?;
    println!(
        "Changed the password of {} and re-encrypted {count} archive{} with the new key.",
        args.name,
        if count == 1 { "" } else { "s" }
    );
    Ok(())
}

fn config_failure(e: ConfigError) -> Failure {
    let hint = match &e {
        ConfigError::Format { path, .. } => Some(format!(
            "fix {} or remove it with: squirrel vault logout --forget",
            path.display()
        )),
        ConfigError::File { .. } => None,
    };
    Failure::new(e).maybe_hint(hint)
}

fn schedule_failure(e: ScheduleError) -> Failure {
    let hint = e.hint();
    Failure::new(e).maybe_hint(hint)
}

/// Who to log in as, where: flags first, then `config.json`, then the defaults.
struct Target {
    server: String,
    host: String,
    port: u16,
    user: String,
    config: Option<ClientConfig>,
}

fn target(args: &ClientArgs) -> Result<Target, Failure> {
    let config = config::load(&args.dir).map_err(config_failure)?;
    let server = args
        .server
        .clone()
        .or_else(|| config.as_ref().map(ClientConfig::server))
        .unwrap_or_else(|| DEFAULT_SERVER.to_string());
    let (host, port) = vault_client::parse_server(&server).map_err(client_failure)?;
    let user = args
        .user
        .clone()
        .or_else(|| config.as_ref().map(|c| c.username.clone()))
        .ok_or_else(|| {
            Failure::new("no user name given").hint(
                "pass --user NAME, or remember it with: squirrel vault login --user NAME --remember (the demo vault has user1 and user2)",
            )
        })?;
    Ok(Target {
        server,
        host,
        port,
        user,
        config,
    })
}

/// The password: `SQUIRREL_PASSWORD`, else the remembered one (only for the same server
/// and user it was saved for), else a prompt.
fn password(target: &Target) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(PASSWORD_ENV) {
        return Ok(password);
    }
    if let Some(remembered) = target
        .config
        .as_ref()
        .and_then(|c| c.password_for(&target.host, target.port, &target.user))
    {
        return Ok(remembered.to_string());
    }
    read_password(
        PASSWORD_ENV,
        &format!("Password for {}@{}: ", target.user, target.server),
    )
}

/// A progress bar when stdout is a terminal (and not `--quiet`); else nothing, and each
/// command prints its plain one-line results.
fn progress(args: &ClientArgs) -> Option<Arc<dyn Progress>> {
    (!args.quiet && std::io::stdout().is_terminal())
        .then(|| Arc::new(TerminalBar::new(BAR_THRESHOLD)) as Arc<dyn Progress>)
}

/// Logs in, runs `action`, and logs out whatever happened.
fn with_session<F>(args: &ClientArgs, action: F) -> Result<(), Failure>
where
    F: FnOnce(&VaultClient, &LoggedIn) -> Result<(), Failure>,
{
    let target = target(args)?;
    let vault = client(args, &target.server)?;
    let password = password(&target)?;
    let session = vault
        .login(&target.user, &password)
        .map_err(client_failure)?;
    let result = action(&vault, &session);
    if let Err(e) = vault.logout(&session) {
        log::warn!("could not log out: {e}");
    }
    result
}

fn client(args: &ClientArgs, server: &str) -> Result<VaultClient, Failure> {
    let vault = VaultClient::new(
        server,
        &args.dir.join("certs"),
        Duration::from_secs(args.timeout.max(1)),
    )
    .map_err(client_failure)?;
    Ok(match progress(args) {
        Some(p) => vault.with_progress(p),
        None => vault,
    })
}

fn login(args: &ClientArgs, remember: bool) -> Result<(), Failure> {
    let target = target(args)?;
    let vault = client(args, &target.server)?;
    let password = password(&target)?;
    let session = vault
        .login(&target.user, &password)
        .map_err(client_failure)?;
    if let Err(e) = vault.logout(&session) {
        log::warn!("could not log out: {e}");
    }
    println!(
        "Logged in to {} as {}: your password works.",
        target.server, target.user
    );
    let had_password = target.config.as_ref().is_some_and(|c| c.password.is_some());
    let saved = ClientConfig {
        host: target.host.clone(),
        port: target.port,
        username: target.user.clone(),
        password: remember.then_some(password),
    };
    let path = config::save(&args.dir, &saved).map_err(config_failure)?;
    if remember {
        println!(
            "Remembered the server, your user name and your password in {}: later commands need no --server, --user or password.",
            path.display()
        );
        eprintln!(
            "warning: your password is stored in clear in {} (readable only by you, mode 0600): anyone who can read your files can log in as you. Forget it with: squirrel vault logout --forget",
            path.display()
        );
    } else {
        println!(
            "Remembered the server and your user name in {} (not your password: add --remember for that).",
            path.display()
        );
        if had_password {
            println!("The password remembered before was removed.");
        }
    }
    Ok(())
}

fn logout(dir: &Path, forget: bool) -> Result<(), Failure> {
    if !forget {
        println!("Nothing to log out: every command logs in and out by itself, so no session outlives it.");
        let remembered = config::load(dir).map_err(config_failure)?;
        if let Some(c) = remembered {
            println!(
                "{} remembers {}@{}{}; remove it with: squirrel vault logout --forget",
                config::path(dir).display(),
                c.username,
                c.server(),
                if c.password.is_some() {
                    " and the password"
                } else {
                    ""
                }
            );
        }
        return Ok(());
    }
    if config::forget(dir).map_err(config_failure)? {
        println!(
            "Forgot the remembered server, user name and password (removed {}).",
            config::path(dir).display()
        );
    } else {
        println!(
            "Nothing was remembered (no {}).",
            config::path(dir).display()
        );
    }
    Ok(())
}

/// A unix time (seconds) or UTC time as local time, to the minute.
fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn local_unix(seconds: i64) -> String {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .map(local_time)
        .unwrap_or_else(|| format!("{seconds} (unix time)"))
}

/// Pads `text` with spaces to `width` characters (not bytes: names can be UTF-8).
fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

fn print_archives(archives: &[vault_client::ArchiveInfo]) {
    if archives.is_empty() {
        println!("No archives yet. Upload one with: squirrel vault upload FILE");
        return;
    }
    let stale = vault_client::stale_flags(archives, Utc::now());
    let rows: Vec<[String; 4]> = archives
        .iter()
        .map(|a| {
            // Names come from the server: nothing in them may reach the terminal raw.
            [
                vault_client::printable(&a.file_name),
                a.uploaded.map(local_time).unwrap_or_else(|| "?".into()),
                a.size
                    .map(|n| indicatif::HumanBytes(n).to_string())
                    .unwrap_or_else(|| "?".into()),
                vault_client::printable(&a.archive),
            ]
        })
        .collect();
    let header = ["FILE", "UPLOADED", "SIZE", "ARCHIVE"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    println!(
        "  {}  {}  {}  {}",
        pad(header[0], widths[0]),
        pad(header[1], widths[1]),
        pad(header[2], widths[2]),
        header[3]
    );
    for (row, stale) in rows.iter().zip(&stale) {
        println!(
            "{} {}  {}  {}  {}",
            if *stale { "⚠" } else { " " },
            pad(&row[0], widths[0]),
            pad(&row[1], widths[1]),
            pad(&row[2], widths[2]),
            row[3]
        );
    }
    if stale.iter().any(|s| *s) {
        println!("⚠ the newest upload of this file is over 24 h old (schedule it with: squirrel vault schedule add FILE)");
    }
}

fn run_schedule(command: ScheduleCommand) -> Result<(), Failure> {
    match command {
        ScheduleCommand::Add { files, state } => {
            let mut schedule = Schedule::load(&state.dir).map_err(schedule_failure)?;
            let mut added = Vec::new();
            for file in &files {
                let (path, new) = schedule.add(file).map_err(schedule_failure)?;
                added.push((path, new));
            }
            schedule.save().map_err(schedule_failure)?;
            for (path, new) in added {
                if new {
                    println!("Scheduled {path} for daily upload (first upload at the next `squirrel vault schedule run`).");
                } else {
                    println!("{path} was already scheduled.");
                }
            }
            Ok(())
        }
        ScheduleCommand::Remove { files, state } => {
            let mut schedule = Schedule::load(&state.dir).map_err(schedule_failure)?;
            let mut removed = Vec::new();
            for file in &files {
                removed.push(schedule.remove(file).map_err(schedule_failure)?);
            }
            schedule.save().map_err(schedule_failure)?;
            for path in removed {
                println!("Removed {path} from the schedule (the file itself is untouched).");
            }
            Ok(())
        }
        ScheduleCommand::List(state) => {
            let schedule = Schedule::load(&state.dir).map_err(schedule_failure)?;
            print_schedule(&schedule, schedule::system_now());
            Ok(())
        }
        ScheduleCommand::Run {
            once,
            every,
            client,
        } => schedule_run(&client, once, Duration::from_secs(every)),
        ScheduleCommand::Cron(client) => schedule_cron(&client),
    }
}

fn print_schedule(schedule: &Schedule, now: i64) {
    if schedule.is_empty() {
        println!("Nothing is scheduled. Add a file with: squirrel vault schedule add FILE");
        return;
    }
    let rows: Vec<[String; 3]> = schedule
        .entries()
        .map(|(path, last)| {
            let missing = if Path::new(path).exists() {
                ""
            } else {
                " (missing)"
            };
            [
                format!("{path}{missing}"),
                if last <= 0 {
                    "never".to_string()
                } else {
                    local_unix(last)
                },
                if schedule::is_due(last, now) {
                    "now".to_string()
                } else {
                    local_unix(schedule::next_due(last))
                },
            ]
        })
        .collect();
    let header = ["FILE", "LAST UPLOAD", "NEXT DUE"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1)];
    println!(
        "{}  {}  {}",
        pad(header[0], widths[0]),
        pad(header[1], widths[1]),
        header[2]
    );
    for row in rows {
        println!(
            "{}  {}  {}",
            pad(&row[0], widths[0]),
            pad(&row[1], widths[1]),
            row[2]
        );
    }
}

/// Prints what a pass did; with `quiet_not_due`, files not due are left out (the loop
/// would print them every minute).
fn print_pass(report: &PassReport, quiet_not_due: bool) {
    let stamp = Local::now().format("%Y-%m-%d %H:%M:%S");
    for (path, outcome) in &report.files {
        match outcome {
            Outcome::Uploaded { archive } => println!("{stamp} Uploaded {path} as {archive}"),
            Outcome::Unrecorded { archive, error } => println!(
                "{stamp} Uploaded {path} as {archive}, but could not record it ({error}): it will be uploaded again"
            ),
            Outcome::NotDue { next } if !quiet_not_due => {
                println!("{stamp} Not due: {path} (next upload after {})", local_unix(*next))
            }
            Outcome::NotDue { .. } => {}
            Outcome::Missing => println!(
                "{stamp} Missing: {path} — kept in the schedule, tried again at the next pass"
            ),
            Outcome::Failed { error, hint } => {
                println!("{stamp} Failed: {path}: {error}");
                if let Some(hint) = hint {
                    println!("{stamp}   hint: {hint}");
                }
            }
            Outcome::Skipped => println!(
                "{stamp} Skipped: {path} (an earlier upload of this pass failed the same way)"
            ),
        }
    }
}

fn schedule_run(args: &ClientArgs, once: bool, every: Duration) -> Result<(), Failure> {
    let acquired = RunLock::acquire(&args.dir).map_err(schedule_failure)?;
    if let Some(pid) = acquired.took_over {
        println!(
            "Took over the lock of process {pid}, which is no longer running (it was stopped before it could clean up): {}",
            acquired.lock.path().display()
        );
    }
    let target = target(args)?;
    let vault = client(args, &target.server)?;
    let password = password(&target)?;
    let mut account = Account::new(vault, target.user.clone(), password);
    let clock = schedule::system_now;
    if once {
        let report =
            schedule::run_pass(&args.dir, &mut account, &clock).map_err(schedule_failure)?;
        drop(acquired);
        if report.files.is_empty() {
            println!("Nothing is scheduled. Add a file with: squirrel vault schedule add FILE");
        }
        print_pass(&report, false);
        let failed = report.files.iter().filter(|(_, o)| o.is_failure()).count();
        if failed > 0 {
            return Err(Failure::new(format!(
                "{failed} of {} scheduled files could not be uploaded (see above)",
                report.files.len()
            )));
        }
        return Ok(());
    }
    // Stops between files and releases the lock (systemd stops services with SIGTERM).
    let stop = super::stop_flag_on_signals()?;
    let count = Schedule::load(&args.dir)
        .map(|s| s.entries().count())
        .unwrap_or(0);
    println!(
        "Uploading {count} scheduled file{} to {} as {} when due, checking every {} s. Stop with Ctrl-C.",
        if count == 1 { "" } else { "s" },
        target.server,
        target.user,
        every.as_secs()
    );
    schedule::run_loop(
        &args.dir,
        &mut account,
        &clock,
        every,
        &stop,
        &mut |report| print_pass(report, true),
        &mut |e| eprintln!("error: {e}"),
    );
    drop(acquired);
    println!("Stopped.");
    Ok(())
}

/// Quotes for a POSIX shell: `'…'`, with `'` as `'\''`; crontab also needs `%` escaped.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''").replace('%', "\\%"))
}

/// Quotes for a systemd `ExecStart=`/`WorkingDirectory=` value.
fn systemd_quote(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('%', "%%")
    )
}

fn schedule_cron(args: &ClientArgs) -> Result<(), Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new(format!("cannot find the squirrel program: {e}")))?;
    let dir = schedule::absolute(&args.dir).map_err(schedule_failure)?;
    let exe = exe.to_string_lossy().into_owned();
    let dir = dir.to_string_lossy().into_owned();
    let mut extra: Vec<String> = Vec::new();
    if let Some(server) = &args.server {
        extra.extend(["--server".into(), server.clone()]);
    }
    if let Some(user) = &args.user {
        extra.extend(["--user".into(), user.clone()]);
    }
    let mut cron_args = vec!["vault", "schedule", "run", "--once", "--dir"]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    cron_args.push(dir.clone());
    cron_args.extend(extra);
    let cron_command = std::iter::once(shell_quote(&exe))
        .chain(cron_args.iter().map(|a| shell_quote(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let systemd_command = std::iter::once(systemd_quote(&exe))
        .chain(cron_args.iter().map(|a| systemd_quote(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let log = format!("{dir}/schedule.log");
    println!("# Scheduled uploads without a terminal: run one pass every 15 minutes; each file");
    println!("# goes up once its last upload is 24 h old. The job cannot type a password:");
    println!("# remember it first with `squirrel vault login --remember` (in {dir}).");
    println!("#");
    println!("# cron — `crontab -e`, then add this line:");
    println!(
        "*/15 * * * * cd {} && {cron_command} >> {} 2>&1",
        shell_quote(&dir),
        shell_quote(&log)
    );
    println!();
    println!("# systemd — save as ~/.config/systemd/user/squirrel-upload.service:");
    println!("[Unit]");
    println!("Description=Squirrel vault: upload the scheduled files that are due");
    println!();
    println!("[Service]");
    println!("Type=oneshot");
    // WorkingDirectory= takes the path as it is (no quotes), with specifiers expanded.
    println!("WorkingDirectory={}", dir.replace('%', "%%"));
    println!("ExecStart={systemd_command}");
    println!();
    println!("# … and as ~/.config/systemd/user/squirrel-upload.timer:");
    println!("[Unit]");
    println!("Description=Squirrel vault: scheduled uploads every 15 minutes");
    println!();
    println!("[Timer]");
    println!("OnCalendar=*:0/15");
    println!("Persistent=true");
    println!();
    println!("[Install]");
    println!("WantedBy=timers.target");
    println!();
    println!("# then: systemctl --user daemon-reload && systemctl --user enable --now squirrel-upload.timer");
    println!("# (see its runs with: journalctl --user -u squirrel-upload)");
    Ok(())
}

fn ui(args: &ClientArgs) -> Result<(), Failure> {
    let options = squirrel::vault::ui::UiOptions {
        dir: args.dir.clone(),
        server: args.server.clone(),
        user: args.user.clone(),
        timeout: Duration::from_secs(args.timeout.max(1)),
        check_every: schedule::DEFAULT_CHECK_EVERY,
    };
    squirrel::vault::ui::run(options).map_err(|e| match e {
        squirrel::vault::ui::UiError::NotATerminal => Failure::new(e).hint(
            "run it in a terminal, or use the commands: squirrel vault login, list, upload, schedule, download",
        ),
        other => Failure::new(other),
    })
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
