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
use squirrel::i18n::Localized;
use squirrel::pcap;
use squirrel::tap::{hex_dump, Direction, Event, Observer, Tap};
use squirrel::tls::KEYLOG_ENV;
use squirrel::tr;

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
            Failure::new(tr!(
                "wiretap-cannot-write",
                path = path.display().to_string(),
                reason = e.to_string()
            ))
            .hint(tr!("wiretap-cannot-write-hint"))
        })?;
    }
    super::check_port(&command.listen, "--listen")?;
    let web = command.web.as_deref().map(bind_web).transpose()?;
    let stop = super::stop_flag_on_signals()?;
    let dump = command.dump;
    let observer: Observer = Arc::new(move |event: &Event| print_event(event, dump));
    let tap = Tap::start_observed(&command.listen, target, observer).map_err(|e| {
        Failure::new(tr!(
            "net-cannot-listen",
            addr = &command.listen,
            reason = e.to_string()
        ))
        .hint(tr!("wiretap-cannot-listen-hint"))
    })?;
    println!(
        "{}",
        tr!(
            "wiretap-relaying",
            tap = tap.addr().to_string(),
            server = target.to_string()
        )
    );
    let page = match web {
        Some((listener, addr)) => {
            let page = LivePage::new(tap.recording(), tap.addr(), target);
            let handle = live::start(listener, page).map_err(|e| {
                Failure::new(tr!("wiretap-live-cannot-start", reason = e.to_string()))
            })?;
            println!("{}", tr!("wiretap-live-at", addr = addr.to_string()));
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
        pcap::write_pcap(path, &packets).map_err(|e| Failure::new(e.localized()))?;
        println!(
            "{}",
            tr!(
                "wiretap-wrote-pcap",
                path = path.display().to_string(),
                packets = packets.len().to_string()
            )
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
                eprintln!(
                    "{}",
                    tr!(
                        "wiretap-no-key-log",
                        path = path.display().to_string(),
                        env = KEYLOG_ENV
                    )
                );
            }
            String::new()
        }
        Some(keylog) => match pcap::read_key_log(keylog, events) {
            Ok(secrets) => {
                if secrets.is_empty() && tls_connections > 0 {
                    eprintln!(
                        "{}",
                        tr!(
                            "wiretap-key-log-empty",
                            keylog = keylog.display().to_string(),
                            n = tls_connections.to_string(),
                            env = KEYLOG_ENV
                        )
                    );
                }
                secrets
            }
            Err(e) => {
                eprintln!(
                    "{}",
                    tr!(
                        "wiretap-key-log-unreadable",
                        reason = e.localized(),
                        path = path.display().to_string()
                    )
                );
                String::new()
            }
        },
    };
    pcap::write_pcapng(path, &packets, secrets.as_bytes())
        .map_err(|e| Failure::new(e.localized()))?;
    let lines = secrets.lines().count();
    let path = path.display().to_string();
    let packets = packets.len().to_string();
    let wrote = if lines > 0 {
        tr!(
            "wiretap-wrote-pcapng-decrypted",
            path = path,
            packets = packets,
            lines = lines.to_string()
        )
    } else {
        tr!(
            "wiretap-wrote-pcapng",
            path = path,
            packets = packets,
            lines = lines.to_string()
        )
    };
    println!("{wrote}");
    Ok(())
}

/// Binds the live page's address, which must be loopback.
fn bind_web(addr: &str) -> Result<(TcpListener, SocketAddr), Failure> {
    let refuse = |why: String| {
        Failure::new(tr!("wiretap-web-cannot-serve", addr = addr, reason = why))
            .hint(tr!("wiretap-web-loopback-hint"))
    };
    let wanted = first_address(addr).map_err(refuse)?;
    if !wanted.ip().is_loopback() {
        return Err(refuse(tr!("wiretap-web-not-loopback")));
    }
    let listener = TcpListener::bind(wanted).map_err(|e| {
        Failure::new(tr!(
            "wiretap-web-cannot-serve",
            addr = addr,
            reason = e.to_string()
        ))
        .hint(tr!("wiretap-web-port-hint"))
    })?;
    let bound = listener
        .local_addr()
        .map_err(|e| Failure::new(tr!("wiretap-bound-address", reason = e.to_string())))?;
    Ok((listener, bound))
}

fn resolve(addr: &str) -> Result<SocketAddr, Failure> {
    first_address(addr).map_err(|why| {
        Failure::new(tr!("wiretap-cannot-use-to", addr = addr, reason = why))
            .hint(tr!("wiretap-cannot-use-to-hint"))
    })
}

/// The first address `HOST:PORT` resolves to, or why there is none.
fn first_address(addr: &str) -> Result<SocketAddr, String> {
    addr.to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or_else(|| tr!("wiretap-no-address"))
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
            "{}",
            tr!(
                "wiretap-event-open",
                connection = connection.to_string(),
                client = client.to_string(),
                tap = tap.to_string(),
                server = server.to_string()
            )
        ),
        Event::Data(segment) => {
            let n = segment.bytes.len();
            let shown = n.min(dump);
            let mut text = tr!(
                "wiretap-event-data",
                connection = segment.connection.to_string(),
                arrow = segment.direction.arrow(),
                n = n.to_string()
            );
            text.push('\n');
            text.push_str(&hex_dump(&segment.bytes[..shown], 0));
            if shown > 0 && shown < n {
                let more = tr!("wiretap-event-more", n = (n - shown).to_string());
                text.push_str(&format!("      {more}\n"));
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
        } => {
            let (connection, client, server) = (
                connection.to_string(),
                client.to_string(),
                server.to_string(),
            );
            let line = if *answered {
                tr!(
                    "wiretap-event-unreachable-answered",
                    connection = connection,
                    client = client,
                    server = server,
                    reason = reason
                )
            } else {
                tr!(
                    "wiretap-event-unreachable-closed",
                    connection = connection,
                    client = client,
                    server = server,
                    reason = reason
                )
            };
            writeln!(out, "{line}")
        }
        Event::Close {
            connection,
            direction,
            ..
        } => {
            let (connection, arrow) = (connection.to_string(), direction.arrow());
            let line = match direction {
                Direction::ToServer => {
                    tr!(
                        "wiretap-event-end-client",
                        connection = connection,
                        arrow = arrow
                    )
                }
                Direction::ToClient => {
                    tr!(
                        "wiretap-event-end-server",
                        connection = connection,
                        arrow = arrow
                    )
                }
            };
            writeln!(out, "{line}")
        }
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
        println!("{}", tr!("wiretap-turned-away", n = turned_away));
    }
    println!(
        "{}",
        tr!(
            "wiretap-stopped",
            connections = connections,
            to_server = totals[0].0.to_string(),
            reads_to_server = totals[0].1,
            to_client = totals[1].0.to_string(),
            reads_to_client = totals[1].1
        )
    );
}
