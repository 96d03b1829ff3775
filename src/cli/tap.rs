//! `squirrel tap`: a relay between a client and a server that shows every byte passing,
//! as a Wireshark-like hex dump per direction, and writes the capture as pcap or pcapng
//! when it stops — so every stage can be seen with Wireshark, and without it.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use squirrel::diagram::live::{self, LivePage};
use squirrel::pcap;
use squirrel::tap::{hex_dump, Direction, Event, Observer, Tap};
use squirrel::tls::KEYLOG_ENV;
use squirrel::tour::plural;

use crate::Failure;

/// Relay connections from --listen to --to, print what passes (hex and ASCII, per
/// direction, with byte counts) and, when stopped (Ctrl-C or --connections), write the
/// capture for Wireshark.
///
/// Example, lesson 01: `squirrel plain-http serve` in one terminal, `squirrel tap --pcap
/// lesson01.pcap` in a second, `squirrel plain-http fetch --url http://127.0.0.1:5684/`
/// in a third. Add `--web 127.0.0.1:8088` and open http://127.0.0.1:8088/ to watch each
/// connection drawn as a ladder, live.
///
/// When the server cannot be reached, the tap answers a plain-HTTP client itself with
/// `502 Bad Gateway` and the reason, as a web proxy does, and closes a TLS client's
/// connection (it holds no certificate to answer with); it prints which, and why.
#[derive(Debug, Args)]
pub struct Command {
    /// Address to listen on, HOST:PORT: point the client here instead of at the server.
    #[arg(long, default_value = "127.0.0.1:5684")]
    pub listen: String,
    /// The server to relay to, HOST:PORT (5683: the lessons' port).
    #[arg(long, default_value = squirrel::lessons::DEFAULT_ADDR)]
    pub to: String,
    /// Write a pcap file when the tap stops (Wireshark, tshark, tcpdump -r open it).
    #[arg(long, value_name = "FILE")]
    pub pcap: Option<PathBuf>,
    /// Write a pcapng file when the tap stops, with the TLS secrets of --keylog
    /// embedded: Wireshark opens it already decrypted.
    #[arg(long, value_name = "FILE")]
    pub pcapng: Option<PathBuf>,
    /// The NSS key log the TLS client or server writes (their SSLKEYLOGFILE), read when
    /// the tap stops; only the lines of the captured connections go into --pcapng.
    #[arg(long, value_name = "KEYLOG", env = KEYLOG_ENV)]
    pub keylog: Option<PathBuf>,
    /// Bytes of each read to show in the dump (0: byte counts only).
    #[arg(long, value_name = "BYTES", default_value_t = 256)]
    pub dump: usize,
    /// Stop after this many connections have closed (default: run until Ctrl-C).
    #[arg(long, value_name = "N")]
    pub connections: Option<usize>,
    /// Also serve a page at http://ADDR/ that draws each connection as it happens (a
    /// ladder diagram and its bytes), e.g. 127.0.0.1:8088. Loopback only: the page
    /// shows every byte the tap relays, passwords too.
    #[arg(long, value_name = "ADDR")]
    pub web: Option<String>,
}

/// Runs the tap until Ctrl-C (or --connections), then writes the capture files.
pub fn run(command: Command) -> Result<(), Failure> {
    let target = resolve(&command.to)?;
    // Find out now, not after an hour of class, that a capture cannot be written.
    for path in [&command.pcap, &command.pcapng].into_iter().flatten() {
        std::fs::File::create(path).map_err(|e| {
            Failure::new(format!("cannot write {}: {e}", path.display()))
                .hint("pass a file in a folder you can write to")
        })?;
    }
    super::check_port(&command.listen, "--listen")?;
    let web = command.web.as_deref().map(bind_web).transpose()?;
    let stop = super::stop_flag_on_signals()?;
    let dump = command.dump;
    let observer: Observer = Arc::new(move |event: &Event| print_event(event, dump));
    let tap = Tap::start_observed(&command.listen, target, observer).map_err(|e| {
        Failure::new(format!("cannot listen on {}: {e}", command.listen))
            .hint("another program may use this port: pass --listen 127.0.0.1:OTHERPORT")
    })?;
    println!(
        "tap: relaying {} → {target} — point the client at {}; stop with Ctrl-C.",
        tap.addr(),
        tap.addr()
    );
    let page = match web {
        Some((listener, addr)) => {
            let page = LivePage::new(tap.recording(), tap.addr(), target);
            let handle = live::start(listener, page)
                .map_err(|e| Failure::new(format!("cannot start the live page: {e}")))?;
            println!("tap: live page at http://{addr}/ — open it in a browser.");
            Some(handle)
        }
        None => None,
    };
    flush();
    while !stop.load(Ordering::SeqCst)
        && command
            .connections
            .is_none_or(|n| tap.finished_connections() < n)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let events = tap.stop(Duration::from_secs(2));
    if let Some(page) = page {
        page.stop();
    }
    print_totals(&events);
    if let Some(path) = &command.pcap {
        let packets = pcap::packets(&events);
        pcap::write_pcap(path, &packets).map_err(Failure::new)?;
        println!(
            "Wrote {} ({} packets): open it in Wireshark, or run `tshark -r {}`.",
            path.display(),
            packets.len(),
            path.display()
        );
    }
    if let Some(path) = &command.pcapng {
        write_pcapng(path, &events, command.keylog.as_deref())?;
    }
    Ok(())
}

fn write_pcapng(path: &Path, events: &[Event], keylog: Option<&Path>) -> Result<(), Failure> {
    let packets = pcap::packets(events);
    let tls_connections = pcap::client_randoms(events).len();
    let secrets = match keylog {
        None => {
            if tls_connections > 0 {
                eprintln!("note: no key log given, so {} cannot be decrypted; pass --keylog FILE (the file the client's {KEYLOG_ENV} named)", path.display());
            }
            String::new()
        }
        Some(keylog) => match pcap::read_key_log(keylog, events) {
            Ok(secrets) => {
                if secrets.is_empty() && tls_connections > 0 {
                    eprintln!(
                        "note: {} holds no secrets for these {tls_connections} TLS connection(s): was {KEYLOG_ENV}={} set for the client or the server when they ran?",
                        keylog.display(),
                        keylog.display()
                    );
                }
                secrets
            }
            Err(e) => {
                eprintln!("warning: {e}; writing {} without secrets", path.display());
                String::new()
            }
        },
    };
    pcap::write_pcapng(path, &packets, secrets.as_bytes()).map_err(Failure::new)?;
    let lines = secrets.lines().count();
    println!(
        "Wrote {} ({} packets, {lines} TLS secret line(s) embedded){}",
        path.display(),
        packets.len(),
        if lines > 0 {
            ": Wireshark opens it decrypted."
        } else {
            "."
        }
    );
    Ok(())
}

/// Binds the live page's address, which must be loopback.
fn bind_web(addr: &str) -> Result<(TcpListener, SocketAddr), Failure> {
    let refuse = |why: &str| {
        Failure::new(format!("cannot serve the live page on {addr}: {why}"))
            .hint("give a loopback address, e.g. --web 127.0.0.1:8088")
    };
    let wanted = first_address(addr).map_err(|why| refuse(&why))?;
    if !wanted.ip().is_loopback() {
        return Err(refuse(
            "it is not loopback, and the page shows every byte the tap relays, passwords too",
        ));
    }
    let listener = TcpListener::bind(wanted).map_err(|e| {
        Failure::new(format!("cannot serve the live page on {addr}: {e}"))
            .hint("another program may use this port: pass --web 127.0.0.1:OTHERPORT")
    })?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::new(format!("cannot read the bound address: {e}")))?;
    Ok((listener, bound))
}

fn resolve(addr: &str) -> Result<SocketAddr, Failure> {
    first_address(addr).map_err(|why| {
        Failure::new(format!("cannot use --to {addr}: {why}"))
            .hint("give the server as HOST:PORT, e.g. --to 127.0.0.1:5683")
    })
}

/// The first address `HOST:PORT` resolves to, or why there is none.
fn first_address(addr: &str) -> Result<SocketAddr, String> {
    addr.to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or_else(|| "the name has no address".to_string())
}

fn flush() {
    let _ = std::io::stdout().flush();
}

/// One event, as the tap prints it while it runs.
fn print_event(event: &Event, dump: usize) {
    let mut out = std::io::stdout().lock();
    let _ = match event {
        Event::Open {
            connection,
            client,
            tap,
            server,
            ..
        } => writeln!(
            out,
            "#{connection} {client} connected to {tap}; relaying to {server}"
        ),
        Event::Data(segment) => {
            let n = segment.bytes.len();
            let shown = n.min(dump);
            let mut text = format!(
                "#{} {}, {n} bytes\n",
                segment.connection,
                segment.direction.arrow()
            );
            text.push_str(&hex_dump(&segment.bytes[..shown], 0));
            if shown > 0 && shown < n {
                text.push_str(&format!("      … {} more bytes\n", n - shown));
            }
            write!(out, "{text}")
        }
        Event::Unreachable {
            connection,
            client,
            server,
            reason,
            answered,
            ..
        } => writeln!(
            out,
            "#{connection} {client} connected, but the server {server} cannot be reached ({reason}): {}",
            if *answered {
                "answered 502 Bad Gateway"
            } else {
                "closed the connection (a TLS client sees it closed during the handshake)"
            }
        ),
        Event::Close {
            connection,
            direction,
            ..
        } => writeln!(
            out,
            "#{connection} {}: end (the {} finished sending)",
            direction.arrow(),
            match direction {
                Direction::ToServer => "client",
                Direction::ToClient => "server",
            }
        ),
    };
    let _ = out.flush();
}

fn print_totals(events: &[Event]) {
    let mut connections = 0;
    let mut turned_away = 0;
    let mut totals = [(0usize, 0usize); 2];
    for event in events {
        match event {
            Event::Open { .. } => connections += 1,
            Event::Data(segment) => {
                let i = usize::from(segment.direction == Direction::ToClient);
                totals[i].0 += segment.bytes.len();
                totals[i].1 += 1;
            }
            Event::Unreachable { .. } => turned_away += 1,
            Event::Close { .. } => {}
        }
    }
    if turned_away > 0 {
        println!(
            "tap: {} turned away: the server could not be reached.",
            plural(turned_away, "connection")
        );
    }
    println!(
        "tap: stopped after {}: client → server {} bytes in {}, server → client {} bytes in {}.",
        plural(connections, "connection"),
        totals[0].0,
        plural(totals[0].1, "read"),
        totals[1].0,
        plural(totals[1].1, "read")
    );
}
