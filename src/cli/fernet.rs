//! `squirrel fernet …` (lesson 03).

use std::sync::Arc;

use clap::Subcommand;
use squirrel::i18n::Localized;
use squirrel::lessons::l03_fernet::{self, FernetError, FernetServer, KEY_ENV};
use squirrel::lessons::{parse_url, LessonError};
use squirrel::server::Transport;
use squirrel::tr;

use super::{lesson_failure, run_lesson_server, ServeArgs};
use crate::Failure;

/// Lesson 03: Fernet tokens instead of the message; both sides share SECRET_KEY.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a new random key, to put in SECRET_KEY on both sides.
    Keygen,
    /// Serve a Fernet token of `fluffy tail`, encrypted with $SECRET_KEY.
    Serve(ServeArgs),
    /// Fetch the token and decrypt it with $SECRET_KEY.
    Fetch {
        /// The server's URL.
        #[arg(long, default_value = "http://127.0.0.1:5683/")]
        url: String,
    },
}

fn key_from_env() -> Result<fernet::Fernet, Failure> {
    let text = std::env::var(KEY_ENV).map_err(|_| {
        Failure::new(tr!("fernet-key-not-set", name = KEY_ENV))
            .hint(tr!("fernet-key-not-set-hint", name = KEY_ENV))
    })?;
    l03_fernet::load_key(&text)
        .map_err(|e| Failure::new(e.localized()).hint(tr!("fernet-bad-key-hint")))
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Keygen => {
            let key = l03_fernet::keygen();
            println!("{key}");
            eprintln!("{}", tr!("fernet-share-key", name = KEY_ENV, key = &key));
            Ok(())
        }
        Command::Serve(args) => {
            let fernet = key_from_env()?;
            run_lesson_server(
                "fernet",
                &args.addr,
                Transport::Plain,
                Arc::new(FernetServer::new(fernet)),
                "http",
            )
        }
        Command::Fetch { url } => {
            let fernet = key_from_env()?;
            let url = parse_url(&url, "http").map_err(lesson_failure)?;
            let (token, secret) = l03_fernet::fetch(&url, &fernet).map_err(|e| match e {
                LessonError::Fernet(FernetError::WrongKey) => {
                    lesson_failure(e).hint(tr!("fernet-same-key-hint", name = KEY_ENV))
                }
                LessonError::Fernet(FernetError::NotAToken { .. } | FernetError::NotUtf8)
                | LessonError::NotUtf8
                | LessonError::Reply(_)
                | LessonError::Http(_) => lesson_failure(e).hint(tr!("fernet-start-server-hint")),
                other => lesson_failure(other),
            })?;
            println!("{}", tr!("fernet-token-on-the-wire", token = token));
            println!("{}", tr!("lessons-secret-message", secret = secret));
            Ok(())
        }
    }
}
