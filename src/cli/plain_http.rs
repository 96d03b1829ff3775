//! `squirrel plain-http …` (lesson 01).

use std::sync::Arc;

use clap::Subcommand;
use squirrel::lessons::{l01_plain_http, parse_url};
use squirrel::server::Transport;
use squirrel::tr;

use super::{lesson_failure, run_lesson_server, ServeArgs};
use crate::Failure;

/// Lesson 01: the secret over plain HTTP, readable by anyone on the path.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve `fluffy tail` at GET / in clear text.
    Serve(ServeArgs),
    /// Fetch the secret and print it.
    Fetch {
        /// The server's URL.
        #[arg(long, default_value = "http://127.0.0.1:5683/")]
        url: String,
    },
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Serve(args) => run_lesson_server(
            "plain-http",
            &args.addr,
            Transport::Plain,
            Arc::new(l01_plain_http::handler),
            "http",
        ),
        Command::Fetch { url } => {
            let url = parse_url(&url, "http").map_err(lesson_failure)?;
            let secret = l01_plain_http::fetch(&url).map_err(lesson_failure)?;
            println!("{}", tr!("lessons-secret-message", secret = secret));
            Ok(())
        }
    }
}
