//! `squirrel web-chat …` (lesson 09): the browser chat's server, its users, and what it
//! holds.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};
use squirrel::lessons::DEFAULT_ADDR;
use squirrel::pki;
use squirrel::server::Limits;
use squirrel::webchat::api::{AddUserError, MIN_PASSWORD};
use squirrel::webchat::storage::{Storage, StorageError, DB_FILE};
use squirrel::webchat::{
    self, dump, Chat, ChatOptions, ServeOptions, WebChatError, DEFAULT_DATA_DIR, DEFAULT_WORKERS,
};

use squirrel::i18n::Localized;
use squirrel::tr;

use super::vault::{parse_size, read_new_password, warning, PASSWORD_ENV};
use crate::Failure;

const DEFAULT_CERT: &str = "certs/server.crt";
const DEFAULT_KEY: &str = "certs/server.key";

/// Lesson 09: a browser chat, end-to-end encrypted with WebCrypto over our HTTPS.
///
/// Quick start: `squirrel ca install` (trust the squirrels' CA), `squirrel web-chat
/// serve`, then open https://localhost:5683/ as alice and https://127.0.0.1:5683/ as bob
/// (two origins: two separate cookie jars and key stores in one browser).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the chat over HTTPS (makes a development CA and server certificate in
    /// certs/ on first start if there are none).
    Serve(ServeArgs),
    /// Add a user (password from a prompt, or SQUIRREL_PASSWORD in scripts), e.g. when
    /// registration is turned off with --no-register.
    Adduser {
        /// The user name: 1 to 32 visible ASCII characters, no spaces.
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print what the server holds: users, public keys, and only ciphertext.
    Dump(DataArgs),
}

/// `--data-dir`.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Folder holding chat.sqlite3.
    #[arg(long, default_value = DEFAULT_DATA_DIR)]
    data_dir: PathBuf,
}

/// Options of `web-chat serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT (5683 is the tutorial's port).
    #[arg(long, default_value = DEFAULT_ADDR)]
    addr: String,
    #[command(flatten)]
    data: DataArgs,
    /// The server certificate (PEM).
    #[arg(long, default_value = DEFAULT_CERT)]
    cert: PathBuf,
    /// The server's private key (PEM).
    #[arg(long, default_value = DEFAULT_KEY)]
    key: PathBuf,
    /// Connections served at once: a browser opens several (the page's files, a poll,
    /// a send), some ahead of need.
    #[arg(long, default_value_t = DEFAULT_WORKERS as u16, value_parser = clap::value_parser!(u16).range(1..=256))]
    workers: u16,
    /// Largest image, e.g. 5MiB, 500KiB. Over it: 413.
    #[arg(long, default_value = "5MiB", value_parser = parse_size)]
    max_image: u64,
    /// Turn off registration: only users added with `web-chat adduser` can log in.
    #[arg(long)]
    no_register: bool,
    /// Be the man in the middle: hand each user keys of the server's own, read and
    /// re-encrypt every message, and log what it read. The safety numbers then differ.
    #[arg(long)]
    evil: bool,
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Serve(args) => serve(args),
        Command::Adduser { name, data } => adduser(&name, &data.data_dir),
        Command::Dump(data) => {
            let report = dump::dump(&data.data_dir).map_err(storage_failure)?;
            print!("{report}");
            Ok(())
        }
    }
}

fn storage_failure(e: StorageError) -> Failure {
    let hint = match &e {
        StorageError::NoDatabase(_) => Some(tr!("webchat-cli-hint-no-database")),
        StorageError::Sqlite { path, .. } => Some(tr!(
            "webchat-cli-hint-database",
            path = path.display().to_string()
        )),
        _ => None,
    };
    Failure::new(e.localized()).maybe_hint(hint)
}

fn serve(args: ServeArgs) -> Result<(), Failure> {
    make_dev_certificates_if_none(&args.cert, &args.key)?;
    let storage = Storage::open(&args.data.data_dir).map_err(storage_failure)?;
    let options = ChatOptions {
        registration: !args.no_register,
        max_image: args.max_image,
        evil: args.evil,
        ..ChatOptions::default()
    };
    let chat = Arc::new(Chat::new(storage, options));
    let serve = ServeOptions {
        addr: args.addr.clone(),
        cert: args.cert.clone(),
        key: args.key.clone(),
        limits: Limits {
            // The head and handshake deadlines of every squirrel server (lesson 08,
            // "Limits, and a classroom"); a browser sends at once.
            handshake_timeout: Duration::from_secs(10),
            head_timeout: Duration::from_secs(10),
            ..Limits::default()
        },
        workers: args.workers.into(),
    };
    let handle = webchat::start(&serve, chat).map_err(|e| {
        let hint = match &e {
            WebChatError::Bind { .. } => Some(tr!("webchat-cli-hint-port")),
            WebChatError::Tls(_) => Some(tr!("webchat-cli-hint-certificates")),
            _ => None,
        };
        Failure::new(e.localized()).maybe_hint(hint)
    })?;
    let addr = handle.addr();
    let port = addr.port();
    let host = if addr.ip().is_loopback() || addr.ip().is_unspecified() {
        "localhost".to_string()
    } else {
        addr.ip().to_string()
    };
    println!(
        "{}",
        tr!(
            "webchat-cli-serving",
            host = host,
            port = port.to_string(),
            workers = args.workers,
            database = args.data.data_dir.join(DB_FILE).display().to_string(),
            cert = args.cert.display().to_string()
        )
    );
    if addr.ip().is_loopback() {
        println!(
            "{}",
            tr!("webchat-cli-two-origins", port = port.to_string())
        );
    }
    if addr.ip().is_unspecified() {
        println!("{}", tr!("webchat-cli-classmates", port = port.to_string()));
    }
    println!("{}", tr!("webchat-cli-trust-ca"));
    if args.no_register {
        println!("{}", tr!("webchat-cli-registration-off"));
    }
    if args.evil {
        eprintln!("{}", warning(tr!("webchat-cli-evil")));
    }
    handle.join();
    Ok(())
}

/// With the default certificate paths and no certificates at all, makes the development
/// CA and server certificate as `vault serve` does, and says so.
fn make_dev_certificates_if_none(cert: &Path, key: &Path) -> Result<(), Failure> {
    let defaults = cert == Path::new(DEFAULT_CERT) && key == Path::new(DEFAULT_KEY);
    if !defaults || cert.exists() || key.exists() {
        return Ok(());
    }
    let dir = cert.parent().unwrap_or(Path::new("certs"));
    let issued = pki::ensure_dev_pki(dir)
        .map_err(|e| Failure::new(e.localized()).hint(tr!("webchat-cli-hint-make-certificates")))?;
    for issued in &issued {
        println!("{}", issued.localized());
        for w in issued.warnings_in(squirrel::i18n::lang()) {
            eprintln!("{}", warning(w));
        }
    }
    Ok(())
}

fn adduser(name: &str, data_dir: &Path) -> Result<(), Failure> {
    let storage = Storage::open(data_dir).map_err(storage_failure)?;
    if storage.user(name).map_err(storage_failure)?.is_some() {
        return Err(Failure::new(tr!("webchat-cli-user-exists", name = name)));
    }
    // The chat checks its own minimum (MIN_PASSWORD) below.
    let password = read_new_password(PASSWORD_ENV, name, true)?;
    let chat = Chat::new(storage, ChatOptions::default());
    chat.add_user(name, &password).map_err(|e| match e {
        AddUserError::Storage(e) => storage_failure(e),
        AddUserError::ShortPassword => Failure::new(tr!(
            "webchat-cli-short-password",
            min = MIN_PASSWORD.to_string()
        )),
        other => Failure::new(other.localized()),
    })?;
    println!(
        "{}",
        tr!(
            "webchat-cli-added",
            name = name,
            database = chat.storage().path().display().to_string()
        )
    );
    Ok(())
}
