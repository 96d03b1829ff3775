//! `squirrel mtls …` (lesson 07).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Subcommand;
use squirrel::lessons::{l01_plain_http, l07_mutual_tls, parse_url};
use squirrel::server::Transport;
use squirrel::tls::{self, HandshakeFailure, TrustFailure};
use squirrel::tr;

use super::{handshake_failure, lesson_failure, run_lesson_server, TlsServeArgs};
use crate::Failure;

/// Lesson 07: mutual TLS — the server demands a client certificate signed by the CA.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve `fluffy tail` over TLS, only to clients with a certificate signed by --cacert.
    Serve {
        #[command(flatten)]
        tls: TlsServeArgs,
        /// The CA that must have signed client certificates (PEM).
        #[arg(long, default_value = "certs/ca.crt")]
        cacert: PathBuf,
    },
    /// Fetch the secret, presenting a client certificate (--cert and --key); without
    /// one the server refuses the connection.
    Fetch {
        /// The server's URL.
        #[arg(long, default_value = "https://localhost:5683/")]
        url: String,
        /// The CA the server's certificate must be signed by (PEM).
        #[arg(long, default_value = "certs/ca.crt")]
        cacert: PathBuf,
        /// Your client certificate (PEM), e.g. certs/client.crt.
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// Your client certificate's private key (PEM), e.g. certs/client.key.
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
    },
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Serve {
            tls: TlsServeArgs { serve, cert, key },
            cacert,
        } => {
            let acceptor = tls::server_acceptor(&cert, &key, Some(&cacert))
                .map_err(|e| lesson_failure(e.into()))?;
            run_lesson_server(
                "mtls",
                &serve.addr,
                Transport::OpenSsl(acceptor),
                Arc::new(l01_plain_http::handler),
                "https",
            )
        }
        Command::Fetch {
            url,
            cacert,
            cert,
            key,
        } => {
            let url = parse_url(&url, "https").map_err(lesson_failure)?;
            let identity = cert.as_deref().zip(key.as_deref());
            let secret = l07_mutual_tls::fetch(&url, &cacert, identity).map_err(|e| {
                let hint = match handshake_failure(&e).and_then(HandshakeFailure::trust) {
                    Some(TrustFailure::NoClientCertificate) if identity.is_none() => {
                        Some(tr!("mtls-hint-present-certificate"))
                    }
                    Some(TrustFailure::OurUsageRefused) => {
                        Some(tr!("mtls-hint-client-certificate"))
                    }
                    _ => None,
                };
                lesson_failure(e).maybe_hint(hint)
            })?;
            println!("{}", tr!("mtls-secret", secret = secret));
            Ok(())
        }
    }
}
