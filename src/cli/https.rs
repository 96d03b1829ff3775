//! `squirrel https …` (lesson 06).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;
use squirrel::lessons::{l01_plain_http, l06_https, parse_url};
use squirrel::server::Transport;

use squirrel::tls::{HandshakeFailure, Peer, TrustFailure};
use squirrel::tr;

use super::{handshake_failure, lesson_failure, run_lesson_server, TlsServeArgs};
use crate::Failure;

/// Lesson 06: the plain-http server behind TLS (native-tls).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve `fluffy tail` over HTTPS with the server certificate from lesson 05.
    Serve(TlsServeArgs),
    /// Fetch the secret over HTTPS. Without --cacert the system's CAs are used, and they
    /// do not know the squirrels' CA: the handshake fails. With it, it succeeds.
    Fetch {
        /// The server's URL.
        #[arg(long, default_value = "https://localhost:5683/")]
        url: String,
        /// Trust only this CA certificate (PEM), e.g. certs/ca.crt.
        #[arg(long)]
        cacert: Option<PathBuf>,
    },
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Serve(TlsServeArgs { serve, cert, key }) => {
            let acceptor = l06_https::acceptor(&cert, &key).map_err(lesson_failure)?;
            run_lesson_server(
                "https",
                &serve.addr,
                Transport::NativeTls(acceptor),
                Arc::new(l01_plain_http::handler),
                "https",
            )
        }
        Command::Fetch { url, cacert } => {
            let url = parse_url(&url, "https").map_err(lesson_failure)?;
            let secret = l06_https::fetch(&url, cacert.as_deref()).map_err(|e| {
                let hint = match handshake_failure(&e) {
                    Some(failure)
                        if failure.trust() == Some(TrustFailure::UnknownCa(Peer::Server)) =>
                    {
                        Some(untrusted_hint(cacert.as_deref()))
                    }
                    Some(HandshakeFailure::NotTls { .. }) => Some(tr!(
                        "https-hint-not-tls",
                        url = format!("http://{}/", url.host_header())
                    )),
                    _ => None,
                };
                lesson_failure(e).maybe_hint(hint)
            })?;
            println!("{}", tr!("https-secret", secret = secret));
            Ok(())
        }
    }
}

/// What to do when the server's certificate is not signed by a CA the client trusts:
/// without `--cacert`, the system's CAs, which do not know the squirrels' own; with it,
/// another CA than the one that signed the server's certificate.
fn untrusted_hint(cacert: Option<&Path>) -> String {
    let ours = Path::new("certs/ca.crt");
    if cacert.is_none() {
        tr!("https-hint-pass-cacert")
    } else if cacert == Some(ours) {
        // The class's usual trap: `ca init --force` made a new CA after the server's
        // certificate was issued, so the old CA signed it.
        tr!("https-hint-ca-made-again")
    } else {
        tr!("https-hint-other-ca", ca = ours.display().to_string())
    }
}
