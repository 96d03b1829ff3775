//! The command line: one module per command group; each turns library errors into
//! `error:`/`hint:` lines, in the user's language (`locales/*/cli.ftl` for the words
//! shared here). Shared here: the options every lesson server and client takes.

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
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use squirrel::i18n::Localized;
use squirrel::lessons::{LessonError, DEFAULT_ADDR};
use squirrel::server::{Handler, Server, Transport};
use squirrel::tls::{HandshakeFailure, TlsError};
use squirrel::tr;

use crate::Failure;

/// `--addr` of every lesson server.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT (5683 is the tutorial's port).
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: String,
}

/// `--addr`, `--cert` and `--key` of a lesson's TLS server (lessons 06 and 07).
#[derive(Debug, Args)]
pub struct TlsServeArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// The server certificate (PEM).
    #[arg(long, default_value = "certs/server.crt")]
    pub cert: PathBuf,
    /// The server's private key (PEM; PKCS#8 for lesson 06's native-tls).
    #[arg(long, default_value = "certs/server.key")]
    pub key: PathBuf,
}

/// A flag set by the first Ctrl-C (SIGINT) or SIGTERM, so a long-running command stops
/// cleanly — the tap writes its capture, the scheduler releases its lock; a second
/// signal ends the process at once, as usual.
pub fn stop_flag_on_signals() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>, Failure> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, std::sync::Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, std::sync::Arc::clone(&stop)))
            .map_err(|e| Failure::new(tr!("cli-signals-failed", reason = e.to_string())))?;
    }
    Ok(stop)
}

/// Binds a lesson server's `--addr`; returns the listener and the address it got.
pub fn bind_lesson(addr: &str) -> Result<(TcpListener, std::net::SocketAddr), Failure> {
    check_port(addr, "--addr")?;
    let listener = TcpListener::bind(addr).map_err(|e| {
        let failure = Failure::new(tr!(
            "net-cannot-listen",
            addr = addr,
            reason = e.to_string()
        ));
        match e.kind() {
            std::io::ErrorKind::AddrInUse => failure.hint(tr!("cli-listen-in-use-hint")),
            std::io::ErrorKind::PermissionDenied => failure.hint(tr!("cli-listen-privileged-hint")),
            _ => failure.hint(tr!("cli-listen-other-hint")),
        }
    })?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::new(tr!("cli-bound-address-failed", reason = e.to_string())))?;
    Ok((listener, bound))
}

/// Refuses a `HOST:PORT` whose port is not a number from 0 to 65535, in those words
/// (the socket library only says "invalid port value").
pub fn check_port(addr: &str, option: &str) -> Result<(), Failure> {
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Err(Failure::new(tr!(
            "net-cannot-listen",
            addr = addr,
            reason = tr!("cli-port-missing")
        ))
        .hint(tr!("cli-port-missing-hint", option = option)));
    };
    if port.parse::<u16>().is_ok() {
        return Ok(());
    }
    let why = if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
        tr!("cli-port-out-of-range", port = port)
    } else {
        tr!("cli-port-not-a-number", port = format!("{port:?}"))
    };
    Err(
        Failure::new(tr!("net-cannot-listen", addr = addr, reason = why)).hint(tr!(
            "cli-port-hint",
            option = option,
            host = host
        )),
    )
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
    let url = format!("{scheme}://{bound}/");
    println!("{}", tr!("cli-serving", lesson = lesson, url = url));
    Server::new(lesson, listener, transport, handler)
        .run()
        .map_err(|e| Failure::new(tr!("cli-server-stopped", reason = e.to_string())))
}

/// Why a lesson's TLS client failed, when a certificate was refused or the server does
/// not speak TLS: what its hints match on.
pub fn handshake_failure(e: &LessonError) -> Option<&HandshakeFailure> {
    match e {
        LessonError::Tls(TlsError::Handshake { failure, .. } | TlsError::Refused(failure)) => {
            Some(failure)
        }
        _ => None,
    }
}

/// A lesson error as a failure, with a hint when one helps.
pub fn lesson_failure(e: LessonError) -> Failure {
    let hint = match &e {
        LessonError::Connect(_) | LessonError::Tls(TlsError::Connect(_)) => {
            Some(tr!("cli-server-not-running-hint"))
        }
        LessonError::Tls(TlsError::File { path, .. }) => make_certs_hint(path),
        LessonError::Tls(TlsError::KeyMismatch { cert, key }) => Some(key_mismatch_hint(cert, key)),
        _ => None,
    };
    Failure::new(e.localized()).maybe_hint(hint)
}

/// `squirrel ca …` with `--dir DIR` when DIR is not the default `certs`.
fn ca_command(command: &str, dir: &Path) -> String {
    if dir == Path::new("certs") {
        format!("squirrel ca {command}")
    } else {
        format!("squirrel ca {command} --dir {}", dir.display())
    }
}

/// The `ca` command that makes a missing certificate or key file, or `None` when the
/// file exists (it is damaged or unreadable: making it again is not the answer). After
/// lesson 05 the CA exists, so the hint leaves out `ca init`, which would refuse.
pub fn make_certs_hint(missing: &Path) -> Option<String> {
    if missing.exists() {
        return None;
    }
    let dir = match missing.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    // Only the lessons' own file names: for any other, a typo is as likely as a gap.
    let name = missing.file_stem()?.to_string_lossy();
    if !["ca", "server", "client"].contains(&name.as_ref()) {
        return None;
    }
    if !dir.join("ca.crt").exists() {
        return Some(tr!(
            "cli-make-certs-hint",
            init = ca_command("init", dir),
            server = ca_command("issue --name server --server", dir),
            client = ca_command("issue --name client --client", dir)
        ));
    }
    let role = if name == "server" {
        "--server"
    } else {
        "--client"
    };
    (name != "ca").then(|| {
        tr!(
            "cli-make-cert-hint",
            command = ca_command(&format!("issue --name {name} {role}"), dir)
        )
    })
}

/// What to do when `key` is not the private key of `cert`: the key made with the
/// certificate when it is beside it (`certs/client.crt` → `certs/client.key`), else a new
/// certificate and key made together.
pub fn key_mismatch_hint(cert: &Path, key: &Path) -> String {
    let sibling = cert.with_extension("key");
    if sibling != key && sibling.exists() {
        return tr!(
            "cli-use-sibling-key-hint",
            cert = cert.display().to_string(),
            key = sibling.display().to_string()
        );
    }
    let dir = match cert.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = cert
        .file_stem()
        .map_or("NAME".into(), |s| s.to_string_lossy().into_owned());
    let role = if name == "server" {
        "--server"
    } else {
        "--client"
    };
    tr!(
        "cli-make-new-cert-hint",
        command = ca_command(&format!("issue --name {name} {role} --force"), dir)
    )
}
