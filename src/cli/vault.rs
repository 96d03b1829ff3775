//! `squirrel vault …`: the file vault's server, its user management and its client.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};

use squirrel::server::Limits;
use squirrel::vault::client::{ClientError, LoggedIn, VaultClient, DEFAULT_SERVER};
use squirrel::vault::keys::DEFAULT_ITERATIONS;
use squirrel::vault::server::{self as vault_server, ServeOptions, Vault, VaultError, DEMO_USERS};
use squirrel::vault::users::Users;

use crate::Failure;

/// The environment variable scripts use to give a password without a prompt.
const PASSWORD_ENV: &str = "SQUIRREL_PASSWORD";

/// The environment variable `vault passwd` reads the new password from.
const NEW_PASSWORD_ENV: &str = "SQUIRREL_NEW_PASSWORD";

/// The Secret Squirrels' file vault: a mutual-TLS server that zips and encrypts files at
/// rest, and its client.
///
/// Quick start: `squirrel vault serve --demo` in one terminal, then in another
/// `SQUIRREL_PASSWORD=password1 squirrel vault upload README.md --user user1`.
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
    /// Check that you can log in (then log out again).
    Login(ClientArgs),
    /// Upload files: the server zips each one and encrypts it with your key.
    Upload {
        /// Files to upload.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        client: ClientArgs,
    },
    /// List your archives on the server.
    List(ClientArgs),
    /// Download archives, decrypt them and write the files into <dir>/downloads/
    /// (an existing file is never overwritten).
    Download {
        /// Archive names, as `vault list` shows them.
        #[arg(required = true)]
        archives: Vec<String>,
        #[command(flatten)]
        client: ClientArgs,
    },
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
    /// Largest upload, e.g. 64MiB, 500KiB, 1GiB (bytes without a unit).
    #[arg(long, default_value = "64MiB", value_parser = parse_size)]
    max_upload: u64,
    /// Connections served at once: each worker is one blocking accept loop, so a few
    /// stalled clients delay no one.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    workers: u16,
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
}

/// Options every client command shares.
#[derive(Debug, Args)]
pub struct ClientArgs {
    /// The vault server, HOST:PORT.
    #[arg(long, default_value = DEFAULT_SERVER)]
    server: String,
    /// Your user name.
    #[arg(long, short)]
    user: Option<String>,
    /// State folder: certs/ (ca.crt, client.crt, client.key) and downloads/.
    #[arg(long, default_value = ".")]
    dir: PathBuf,
    /// Seconds to wait for the server on each read or write.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// Runs one `vault` subcommand.
pub fn run(command: VaultCommand) -> Result<(), Failure> {
    match command {
        VaultCommand::Serve(args) => serve(args),
        VaultCommand::Adduser(args) => adduser(args),
        VaultCommand::Passwd(args) => passwd(args),
        VaultCommand::Login(client) => with_session(&client, |_, session| {
            println!(
                "Logged in to {} as {}: your password works.",
                client.server, session.user
            );
            Ok(())
        }),
        VaultCommand::Upload { files, client } => with_session(&client, |vault, session| {
            for file in &files {
                let archive = vault.upload_file(session, file).map_err(client_failure)?;
                println!("Uploaded {} as {archive}", file.display());
            }
            Ok(())
        }),
        VaultCommand::List(client) => with_session(&client, |vault, session| {
            let archives = vault.list(session).map_err(client_failure)?;
            if archives.is_empty() {
                println!("No archives yet. Upload one with: squirrel vault upload FILE");
            }
            for archive in archives {
                println!("{archive}");
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
    }
}

/// Parses a size such as `64MiB`, `500KiB`, `1GiB`, `10MB` or `1024` into bytes.
fn parse_size(text: &str) -> Result<u64, String> {
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
    let failure = Failure::new(e);
    match hint {
        Some(h) => failure.hint(h),
        None => failure,
    }
}

fn client_failure(e: ClientError) -> Failure {
    let hint = e.hint();
    let failure = Failure::new(e);
    match hint {
        Some(h) => failure.hint(h),
        None => failure,
    }
}

fn serve(args: ServeArgs) -> Result<(), Failure> {
    let vault = Arc::new(Vault::open(&args.data_dir).map_err(vault_failure)?);
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

/// A new password: from `env_var`, else typed twice.
fn read_new_password(env_var: &str, who: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(env_var) {
        return Ok(password);
    }
    let first = read_password(env_var, &format!("New password for {who}: "))?;
    let second = read_password(env_var, "Repeat it: ")?;
    if first != second {
        return Err(Failure::new(
            "the two passwords differ; nothing was changed",
        ));
    }
    Ok(first)
}

fn adduser(args: UserArgs) -> Result<(), Failure> {
    let mut users = Users::load(&args.data_dir).map_err(Failure::new)?;
    if users.contains(&args.name) {
        return Err(
            Failure::new(format!("the user {} already exists", args.name)).hint(format!(
                "change the password with: squirrel vault passwd {}",
                args.name
            )),
        );
    }
    let password = read_new_password(PASSWORD_ENV, &args.name)?;
    users
        .add(&args.name, &password, DEFAULT_ITERATIONS)
        .and_then(|()| users.save())
        .map_err(Failure::new)?;
    println!("Added {} to {}.", args.name, users.path().display());
    Ok(())
}

fn passwd(args: UserArgs) -> Result<(), Failure> {
    let vault = Vault::open(&args.data_dir).map_err(vault_failure)?;
    let old = read_password(
        PASSWORD_ENV,
        &format!("Current password for {}: ", args.name),
    )?;
    let new = read_new_password(NEW_PASSWORD_ENV, &args.name)?;
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

/// Logs in, runs `action`, and logs out whatever happened.
fn with_session<F>(args: &ClientArgs, action: F) -> Result<(), Failure>
where
    F: FnOnce(&VaultClient, &LoggedIn) -> Result<(), Failure>,
{
    let user = args.user.clone().ok_or_else(|| {
        Failure::new("no user name given")
            .hint("pass --user NAME (the demo vault has user1 and user2)")
    })?;
    let vault = client(&args.dir, &args.server, args.timeout)?;
    let password = read_password(
        PASSWORD_ENV,
        &format!("Password for {user}@{}: ", args.server),
    )?;
    let session = vault.login(&user, &password).map_err(client_failure)?;
    let result = action(&vault, &session);
    if let Err(e) = vault.logout(&session) {
        log::warn!("could not log out: {e}");
    }
    result
}

fn client(dir: &Path, server: &str, timeout: u64) -> Result<VaultClient, Failure> {
    VaultClient::new(
        server,
        &dir.join("certs"),
        Duration::from_secs(timeout.max(1)),
    )
    .map_err(client_failure)
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
