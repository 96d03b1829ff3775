//! A tap: a relay between a client and a server that forwards every byte both ways and
//! keeps a copy, so we can show — and tests can assert — what an eavesdropper on the
//! path sees at each stage (`fluffy tail` in clear at lesson 01, only TLS records at 06).
//!
//! Point the client at the tap's address instead of the server's. One thread accepts;
//! each connection gets two copying threads, one per direction. Everything that happens
//! is an [`Event`] — a connection opens, bytes cross, one side finishes sending — kept
//! in order, shown as it happens to an observer (`squirrel tap` prints a hex dump), and
//! turned into a capture file by [`crate::pcap`] when the tap stops.
//!
//! This is tooling, not a server: it has no limits and keeps every byte in memory, and
//! it binds loopback in tests and lessons.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// From the client to the server.
    ToServer,
    /// From the server to the client.
    ToClient,
}

impl Direction {
    /// `client → server` or `server → client`, for dumps, in the language in force.
    pub fn arrow(self) -> String {
        self.arrow_in(crate::i18n::lang())
    }

    /// [`Direction::arrow`] in `lang` (`client → serveur`).
    pub fn arrow_in(self, lang: crate::i18n::Lang) -> String {
        match self {
            Direction::ToServer => crate::tr_in!(lang, "wiretap-arrow-to-server"),
            Direction::ToClient => crate::tr_in!(lang, "wiretap-arrow-to-client"),
        }
    }
}

/// One read's worth of bytes passing through the tap.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Which connection (0, 1, … in accept order).
    pub connection: usize,
    /// `ToServer` (the client sent it) or `ToClient`.
    pub direction: Direction,
    /// When the tap read it.
    pub at: SystemTime,
    /// The bytes, exactly as they crossed.
    pub bytes: Vec<u8>,
}

/// Something the tap saw, in the order it happened.
#[derive(Debug, Clone)]
pub enum Event {
    /// A client connected and the tap reached the server.
    Open {
        /// Which connection (0, 1, … in accept order).
        connection: usize,
        /// The client's address and port.
        client: SocketAddr,
        /// The address the client connected to: the tap's (the server, as the client
        /// sees it). A capture shows the connection between `client` and `tap`.
        tap: SocketAddr,
        /// The server the tap relays to.
        server: SocketAddr,
        /// When the tap accepted it.
        at: SystemTime,
    },
    /// Bytes crossed.
    Data(Segment),
    /// A client connected but the server could not be reached: the tap answered a
    /// plain-HTTP client with `502 Bad Gateway` and a JSON `message`, and closed any
    /// other (a TLS client cannot be told in words: the tap holds no certificate). No
    /// bytes of it go into a capture: nothing reached the server.
    Unreachable {
        /// Which connection (0, 1, … in accept order).
        connection: usize,
        /// The client's address and port.
        client: SocketAddr,
        /// The server the tap could not reach.
        server: SocketAddr,
        /// Why, in words, in the language in force ("connection refused").
        reason: String,
        /// Whether the client spoke HTTP and got the 502.
        answered: bool,
        /// When the tap gave up.
        at: SystemTime,
    },
    /// One side finished sending (end of stream, or a broken connection): a TCP FIN.
    /// `direction` is the way it no longer sends.
    Close {
        /// The connection's number (0, 1, … in accept order).
        connection: usize,
        /// `ToServer`: the client finished sending; `ToClient`: the server did.
        direction: Direction,
        /// When the tap saw it.
        at: SystemTime,
    },
}

/// Called with each event as it happens, in order (while the tap holds its lock, so
/// keep it quick: printing is fine).
pub type Observer = Arc<dyn Fn(&Event) + Send + Sync>;

/// The streams of a connection still relaying, to cut them when the tap stops.
struct Open {
    client: TcpStream,
    server: TcpStream,
    /// Copying threads still running for it (2, then 1, then it is removed).
    copies: usize,
}

impl Open {
    /// Handles on both sockets of a connection whose two copying threads are starting.
    fn of(client: &TcpStream, server: &TcpStream) -> io::Result<Open> {
        Ok(Open {
            client: client.try_clone()?,
            server: server.try_clone()?,
            copies: 2,
        })
    }
}

struct Shared {
    events: Mutex<Vec<Event>>,
    observer: Option<Observer>,
    open: Mutex<HashMap<usize, Open>>,
    /// Signalled whenever a connection's last copying thread ends.
    idle: Condvar,
    /// The connection [`Tap::stop`] makes to wake the accepting thread.
    waker: Mutex<Waker>,
}

/// The connection that wakes the accepting thread when the tap stops, known by its
/// address, so that a client queued before it (its connection made just before Ctrl-C)
/// is still relayed rather than dropped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Waker {
    /// Not made yet (the tap runs, or the stop has only just begun).
    Pending,
    /// Made from this address.
    At(SocketAddr),
    /// Could not be made: the next connection accepted ends the loop.
    Absent,
}

/// How long the accepting thread waits to learn the waker's address.
const WAKER_WAIT: Duration = Duration::from_secs(2);

impl Shared {
    fn record(&self, event: Event) {
        let mut events = lock(&self.events);
        if let Some(observer) = &self.observer {
            observer(&event);
        }
        events.push(event);
    }

    fn copy_ended(&self, connection: usize) {
        let mut open = lock(&self.open);
        if let Some(entry) = open.get_mut(&connection) {
            entry.copies = entry.copies.saturating_sub(1);
            if entry.copies == 0 {
                open.remove(&connection);
            }
        }
        self.idle.notify_all();
    }
}

/// A lock that survives a panic elsewhere: every change under it is a single push or
/// insert, so the data is never half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A handle on a running tap's events, for what shows them as they happen (the live
/// page of `squirrel tap --web`); it stays valid after the tap stops.
#[derive(Clone)]
pub struct Recording(Arc<Shared>);

impl Recording {
    /// Calls `f` with every event so far, in order. The tap waits while `f` runs: copy
    /// out what you need and return.
    pub fn with<R>(&self, f: impl FnOnce(&[Event]) -> R) -> R {
        f(&lock(&self.0.events))
    }
}

/// A running tap; dropping it stops accepting (connections in progress finish).
pub struct Tap {
    addr: SocketAddr,
    target: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Tap {
    /// Listens on `listen` (e.g. `127.0.0.1:0`) and relays each connection to `target`.
    ///
    /// Errors: binding `listen`, or starting the accepting thread.
    pub fn start(listen: &str, target: SocketAddr) -> io::Result<Tap> {
        Tap::start_inner(listen, target, None)
    }

    /// [`Tap::start`], calling `observer` with every event as it happens.
    ///
    /// Errors: binding `listen`, or starting the accepting thread.
    pub fn start_observed(listen: &str, target: SocketAddr, observer: Observer) -> io::Result<Tap> {
        Tap::start_inner(listen, target, Some(observer))
    }

    fn start_inner(
        listen: &str,
        target: SocketAddr,
        observer: Option<Observer>,
    ) -> io::Result<Tap> {
        let listener = TcpListener::bind(listen)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            events: Mutex::new(Vec::new()),
            observer,
            open: Mutex::new(HashMap::new()),
            idle: Condvar::new(),
            waker: Mutex::new(Waker::Pending),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let shared = Arc::clone(&shared);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("tap-accept".into())
                .spawn(move || accept_loop(listener, target, shared, stop))?
        };
        Ok(Tap {
            addr,
            target,
            shared,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The address clients should connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server the tap relays to.
    pub fn target(&self) -> SocketAddr {
        self.target
    }

    /// A handle on the events, for a page that shows them as they happen.
    pub fn recording(&self) -> Recording {
        Recording(Arc::clone(&self.shared))
    }

    /// Everything that happened so far, in order.
    pub fn events(&self) -> Vec<Event> {
        lock(&self.shared.events).clone()
    }

    /// Everything captured so far, in the order the tap read it.
    pub fn segments(&self) -> Vec<Segment> {
        lock(&self.shared.events)
            .iter()
            .filter_map(|e| match e {
                Event::Data(segment) => Some(segment.clone()),
                _ => None,
            })
            .collect()
    }

    /// All bytes that went one way, concatenated across connections.
    pub fn bytes(&self, direction: Direction) -> Vec<u8> {
        self.segments()
            .into_iter()
            .filter(|s| s.direction == direction)
            .flat_map(|s| s.bytes)
            .collect()
    }

    /// Whether `needle` crossed the tap in either direction, in clear.
    pub fn saw(&self, needle: &[u8]) -> bool {
        [Direction::ToServer, Direction::ToClient]
            .iter()
            .any(|d| contains(&self.bytes(*d), needle))
    }

    /// Connections whose both sides have finished sending, and those turned away
    /// because the server could not be reached.
    pub fn finished_connections(&self) -> usize {
        let events = lock(&self.shared.events);
        let mut closes: HashMap<usize, usize> = HashMap::new();
        let mut turned_away = 0;
        for event in events.iter() {
            match event {
                Event::Close { connection, .. } => *closes.entry(*connection).or_default() += 1,
                Event::Unreachable { .. } => turned_away += 1,
                _ => {}
            }
        }
        closes.values().filter(|n| **n >= 2).count() + turned_away
    }

    /// Stops accepting (a client that connected before the stop, still waiting in the
    /// listen backlog, is relayed too), gives connections in progress up to `grace` to
    /// finish, cuts those still open (both sockets shut down, so each side sees its end),
    /// and returns every event. Use it before writing a capture, so each connection has
    /// its close.
    pub fn stop(mut self, grace: Duration) -> Vec<Event> {
        self.stop_accepting();
        let deadline = Instant::now() + grace;
        let mut open = lock(&self.shared.open);
        while !open.is_empty() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            open = match self.shared.idle.wait_timeout(open, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        for entry in open.values() {
            let _ = entry.client.shutdown(Shutdown::Both);
            let _ = entry.server.shutdown(Shutdown::Both);
        }
        // The cut connections' threads end at once; wait for their close events.
        let deadline = Instant::now() + Duration::from_secs(1);
        while !open.is_empty() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            open = match self.shared.idle.wait_timeout(open, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        drop(open);
        self.events()
    }

    fn stop_accepting(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.acceptor.take() {
            // accept() blocks: a connection of ours wakes it up to see the flag. Clients
            // queued before it are still relayed; it knows ours by its address.
            let waker = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
            *lock(&self.shared.waker) = match waker.as_ref().map(TcpStream::local_addr) {
                Ok(Ok(addr)) => Waker::At(addr),
                _ => Waker::Absent,
            };
            let _ = thread.join();
        }
    }
}

impl Drop for Tap {
    fn drop(&mut self) {
        self.stop_accepting();
    }
}

/// Whether `needle` (not empty) occurs in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Where `needle` (not empty) first occurs in `haystack`.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn accept_loop(
    listener: TcpListener,
    target: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
) {
    let mut connection = 0;
    for client in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            let peer = client.as_ref().ok().and_then(|c| c.peer_addr().ok());
            if is_waker(peer, &shared) {
                return;
            }
        }
        let Ok(client) = client else { continue };
        let (Ok(client_addr), Ok(tap_addr)) = (client.peer_addr(), client.local_addr()) else {
            continue;
        };
        let server = match TcpStream::connect_timeout(&target, CONNECT_TIMEOUT) {
            Ok(server) => server,
            Err(e) => {
                // The 502's JSON message is the wire's, in English; the event is for
                // the person watching the tap.
                let wire_reason = unreachable_reason(&e, crate::i18n::Lang::En);
                let reason = unreachable_reason(&e, crate::i18n::lang());
                let shared = Arc::clone(&shared);
                let turn_away = move || {
                    let answered = turn_away(client, target, &wire_reason);
                    shared.record(Event::Unreachable {
                        connection,
                        client: client_addr,
                        server: target,
                        reason,
                        answered,
                        at: SystemTime::now(),
                    });
                };
                // Answering waits for the client: not on the accepting thread.
                if std::thread::Builder::new()
                    .name("tap-turn-away".into())
                    .spawn(turn_away)
                    .is_err()
                {
                    log::warn!("tap: cannot reach {target}, and cannot answer the client");
                }
                connection += 1;
                continue;
            }
        };
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        // Each copying thread reads one socket and writes the other: two more handles.
        let writers = client
            .try_clone()
            .and_then(|c| Ok((c, server.try_clone()?)));
        let (Ok(open), Ok((client_writer, server_writer))) = (Open::of(&client, &server), writers)
        else {
            continue;
        };
        lock(&shared.open).insert(connection, open);
        shared.record(Event::Open {
            connection,
            client: client_addr,
            tap: tap_addr,
            server: target,
            at: SystemTime::now(),
        });
        for (from, to, direction) in [
            (client, server_writer, Direction::ToServer),
            (server, client_writer, Direction::ToClient),
        ] {
            let shared = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name("tap-copy".into())
                .spawn(move || copy(from, to, connection, direction, &shared));
            if spawned.is_err() {
                log::warn!("tap: cannot start a copying thread for connection {connection}");
            }
        }
        connection += 1;
    }
}

/// Whether the connection from `peer`, accepted after the stop flag was set, is the
/// stop's own waker (or the waker's address cannot be learnt: then any connection ends
/// the loop, as a tap that stops must).
fn is_waker(peer: Option<SocketAddr>, shared: &Shared) -> bool {
    let deadline = Instant::now() + WAKER_WAIT;
    loop {
        match *lock(&shared.waker) {
            Waker::At(addr) => return peer == Some(addr),
            Waker::Absent => return true,
            Waker::Pending if Instant::now() >= deadline => return true,
            // The stop connects first and writes the address after: a moment.
            Waker::Pending => {}
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// How long the tap waits for the server to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the tap waits for a turned-away client to send its request, and to read
/// the answer and close.
const TURN_AWAY_WAIT: Duration = Duration::from_secs(2);

/// Why the server could not be reached, in the words a student acts on, in `lang`.
fn unreachable_reason(e: &io::Error, lang: crate::i18n::Lang) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => crate::tr_in!(lang, "wiretap-refused"),
        io::ErrorKind::TimedOut => crate::tr_in!(
            lang,
            "wiretap-no-answer",
            seconds = CONNECT_TIMEOUT.as_secs().to_string()
        ),
        // The operating system's words.
        _ => e.to_string(),
    }
}

/// Tells a client that the server is down, when it can: a plain-HTTP client (its first
/// bytes are a request line) gets `502 Bad Gateway` with a JSON `message`, as a proxy
/// answers; anything else (a TLS Client Hello) is closed. Either way the tap reads what
/// the client sends until it closes, so closing does not reset the connection before
/// the client reads the answer. Returns whether the 502 was sent.
fn turn_away(mut client: TcpStream, server: SocketAddr, reason: &str) -> bool {
    let _ = client.set_read_timeout(Some(TURN_AWAY_WAIT));
    let _ = client.set_write_timeout(Some(TURN_AWAY_WAIT));
    let mut first = [0u8; 4096];
    let n = client.read(&mut first).unwrap_or(0);
    let answered = looks_like_http(&first[..n]) && {
        let message = format!("tap: cannot reach the server {server} ({reason})");
        crate::http::Response::error(502, &message)
            .write_to(&mut client)
            .is_ok()
    };
    let _ = client.shutdown(Shutdown::Write);
    let deadline = Instant::now() + TURN_AWAY_WAIT;
    let mut sink = [0u8; 4096];
    while Instant::now() < deadline {
        match client.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    answered
}

/// Whether `bytes` start like an HTTP/1.1 request: a method token of capital letters,
/// then a space (`GET /`, `POST /send`).
fn looks_like_http(bytes: &[u8]) -> bool {
    let method = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    (1..=10).contains(&method) && bytes.get(method) == Some(&b' ')
}

/// Copies one direction until its end, recording each read, then passes the end on.
fn copy(
    mut from: TcpStream,
    mut to: TcpStream,
    connection: usize,
    direction: Direction,
    shared: &Shared,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // Recorded before it is forwarded, so events keep the order of cause and effect.
        shared.record(Event::Data(Segment {
            connection,
            direction,
            at: SystemTime::now(),
            bytes: buf[..n].to_vec(),
        }));
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    shared.record(Event::Close {
        connection,
        direction,
        at: SystemTime::now(),
    });
    // Pass the end of the stream on, so the other side sees it too.
    let _ = to.shutdown(Shutdown::Write);
    shared.copy_ended(connection);
}

/// Bytes per line of a [`hex_dump`].
pub const DUMP_WIDTH: usize = 16;

/// A Wireshark-style hex + ASCII dump of `bytes`, one line per 16 bytes: the offset
/// (4 hex digits, counted from `offset`), the bytes in hex in two groups of eight, and
/// the printable ASCII characters (others as `.`):
///
/// ```text
/// 0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1..
/// ```
pub fn hex_dump(bytes: &[u8], offset: usize) -> String {
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(DUMP_WIDTH).enumerate() {
        let _ = write!(out, "{:04x}  ", offset + i * DUMP_WIDTH);
        for j in 0..DUMP_WIDTH {
            match chunk.get(j) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
            if j == 7 {
                out.push(' ');
            }
        }
        out.push_str("  ");
        out.extend(chunk.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                char::from(b)
            } else {
                '.'
            }
        }));
        out.push('\n');
    }
    out
}

/// A few lines of [`hex_dump`] from `bytes`: `lines` lines, starting at the 16-byte
/// line holding offset `at`, with the offsets of `bytes` itself.
pub fn hex_excerpt(bytes: &[u8], at: usize, lines: usize) -> String {
    let start = (at / DUMP_WIDTH * DUMP_WIDTH).min(bytes.len());
    let end = (start + lines * DUMP_WIDTH).min(bytes.len());
    hex_dump(&bytes[start..end], start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_dump_looks_like_wiresharks() {
        let dump = hex_dump(b"GET / HTTP/1.1\r\nHost", 0);
        assert_eq!(
            dump,
            "0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1..\n\
             0010  48 6f 73 74                                        Host\n"
        );
    }

    #[test]
    fn an_excerpt_starts_at_the_line_of_the_spot() {
        let bytes: Vec<u8> = (0u8..64).collect();
        let excerpt = hex_excerpt(&bytes, 40, 2);
        assert!(excerpt.starts_with("0020  20 21"), "{excerpt}");
        assert_eq!(excerpt.lines().count(), 2);
    }

    /// A server that answers each of `n` connections with `pong:` and what it read
    /// first, then closes.
    fn pong_server(n: usize) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(n) {
                let mut stream = stream.unwrap();
                std::thread::spawn(move || {
                    stream
                        .set_read_timeout(Some(Duration::from_secs(10)))
                        .unwrap();
                    let mut buf = [0u8; 64];
                    let got = stream.read(&mut buf).unwrap_or(0);
                    let _ = stream.write_all(&[b"pong:", &buf[..got]].concat());
                });
            }
        });
        addr
    }

    fn exchange(mut client: TcpStream, what: &[u8]) -> Vec<u8> {
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        client.write_all(what).unwrap();
        let mut reply = Vec::new();
        let _ = client.read_to_end(&mut reply);
        reply
    }

    #[test]
    fn a_client_that_connected_just_before_the_stop_is_still_relayed_and_recorded() {
        let server = pong_server(2);
        // The accepting thread is held inside the first connection's Open event, so the
        // second client waits in the listen backlog when the stop begins: as a client
        // that connects at the moment a teacher presses Ctrl-C.
        let (held, is_held) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = Mutex::new(released);
        let observer: Observer = Arc::new(move |event| {
            if let Event::Open { connection: 0, .. } = event {
                let _ = held.send(());
                let _ = lock(&released).recv_timeout(Duration::from_secs(10));
            }
        });
        let tap = Tap::start_observed("127.0.0.1:0", server, observer).unwrap();
        let addr = tap.addr();
        let first = TcpStream::connect(addr).unwrap();
        is_held.recv_timeout(Duration::from_secs(10)).unwrap();
        let second = TcpStream::connect(addr).unwrap();
        let stopping = std::thread::spawn(move || tap.stop(Duration::from_secs(5)));
        // Time for the stop to raise its flag and queue its waker behind the second
        // client (the order is what matters; a slower machine only makes it surer).
        std::thread::sleep(Duration::from_millis(300));
        release.send(()).unwrap();
        assert_eq!(exchange(first, b"first"), b"pong:first");
        assert_eq!(exchange(second, b"second"), b"pong:second");
        let events = stopping.join().unwrap();
        let to_server = |n: usize| -> Vec<u8> {
            events
                .iter()
                .filter_map(|e| match e {
                    Event::Data(s) if s.connection == n && s.direction == Direction::ToServer => {
                        Some(s.bytes.clone())
                    }
                    _ => None,
                })
                .flatten()
                .collect()
        };
        assert_eq!(to_server(0), b"first");
        assert_eq!(to_server(1), b"second", "the queued client was not relayed");
        let opened = events
            .iter()
            .filter(|e| matches!(e, Event::Open { .. }))
            .count();
        assert_eq!(
            opened, 2,
            "the stop's own wake-up connection is not a client"
        );
    }
}
