//! The command line: one module per command group; each turns library errors into
//! `error:`/`hint:` lines. Shared here: the options every lesson server and client takes.

pub mod ca;
pub mod fernet;
pub mod https;
pub mod key_exchange;
pub mod lessons;
pub mod mtls;
pub mod plain_http;
pub mod substitution;
pub mod tap;
pub mod tour;
pub mod vault;
pub mod web_chat;

use std::net::TcpListener;
use std::sync::Arc;

use clap::Args;
use squirrel::lessons::{LessonError, DEFAULT_ADDR};
use squirrel::server::{Handler, Server, Transport};

use crate::Failure;

/// `--addr` of every lesson server.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT (5683 is the tutorial's port).
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: String,
}

/// A flag set by the first Ctrl-C (SIGINT) or SIGTERM, so a long-running command stops
/// cleanly — the tap writes its capture, the scheduler releases its lock; a second
/// signal ends the process at once, as usual.
pub fn stop_flag_on_signals() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>, Failure> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, std::sync::Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, std::sync::Arc::clone(&stop)))
            .map_err(|e| Failure::new(format!("cannot handle Ctrl-C: {e}")))?;
    }
    Ok(stop)
}

/// Binds a lesson server's `--addr`; returns the listener and the address it got.
pub fn bind_lesson(addr: &str) -> Result<(TcpListener, std::net::SocketAddr), Failure> {
    let listener = TcpListener::bind(addr).map_err(|e| {
        Failure::new(format!("cannot listen on {addr}: {e}"))
            .hint("another server may use this port: stop it, or pass --addr 127.0.0.1:OTHERPORT")
    })?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::new(format!("cannot read the bound address: {e}")))?;
    Ok((listener, bound))
}

/// Binds `addr` and serves forever with one worker, after saying where and how to stop.
pub fn run_lesson_server(
    lesson: &str,
    addr: &str,
    transport: Transport,
    handler: Arc<dyn Handler>,
    scheme: &str,
) -> Result<(), Failure> {
    let (listener, bound) = bind_lesson(addr)?;
    println!("{lesson}: serving {scheme}://{bound}/ — stop with Ctrl-C.");
    Server::new(lesson, listener, transport, handler)
        .run()
        .map_err(|e| Failure::new(format!("the server stopped: {e}")))
}

/// A lesson error as a failure, with a hint when one helps.
pub fn lesson_failure(e: LessonError) -> Failure {
    let hint = match &e {
        LessonError::Tls(squirrel::tls::TlsError::Connect { .. }) => {
            Some("is the lesson's server running? start it in another terminal with `serve`")
        }
        LessonError::Tls(squirrel::tls::TlsError::File { .. }) => {
            Some("make the certificates with: squirrel ca init && squirrel ca issue --name server --server && squirrel ca issue --name client --client")
        }
        _ => None,
    };
    Failure::new(e).maybe_hint(hint)
}
