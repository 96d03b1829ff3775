//! The one accept loop every squirrel server runs: blocking `std::net`, one request per
//! connection, deadlines and limits on every connection, and never a panic or a stop
//! because of what a client sends.
//!
//! A connection goes through these phases, each with its own deadline, enforced below
//! TLS on the TCP socket itself ([`TimedStream`]) so the TLS handshake is covered too:
//!
//! 0. **waiting**: a connection that has sent nothing yet holds no worker. One thread,
//!    the *gate*, accepts every connection and watches them all with `poll(2)`; only a
//!    connection whose first bytes have arrived goes to a worker. One that sends
//!    nothing within [`Limits::handshake_timeout`] is closed there. After the TLS
//!    handshake, a connection whose request has not started goes back to the gate
//!    until its first request bytes arrive (within [`Limits::head_timeout`]).
//! 1. the TLS handshake must finish within [`Limits::handshake_timeout`] of its start;
//! 2. the request head must arrive within [`Limits::head_timeout`] of the handshake's end
//!    (in total: a client dripping one byte at a time is cut at the deadline, it cannot
//!    reset a per-read timer);
//! 3. the body must move at least [`Limits::body_min_rate`] bytes per second, measured
//!    over each window of [`Limits::body_grace`], so a slow but honest upload finishes
//!    and a stalled one is cut (408);
//! 4. the reply must move at the same minimum rate, so a client that reads a download
//!    at a trickle is cut too, instead of holding a worker for as long as it likes.
//!
//! Every handler answers HEAD too (RFC 9110 §9.1): the server asks it for the GET and
//! sends only the head of the answer.
//!
//! At most [`Limits::max_conn_per_address`] connections from one client address are
//! served at once (as nginx's `limit_conn`); that address's other ready connections
//! wait their turn in the gate. Workers are a fixed number ([`Server::workers`]) of
//! blocking loops: tiny HTTP servers that spawn a thread per connection grow without
//! bound instead.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use openssl::ssl::{HandshakeError, SslAcceptor, SslStream};

use crate::http::{self, HttpError, Request, RequestHead, Response};
use crate::tls::{HandshakeFailure, Peer};

mod gate;
mod timed;
mod worker;

use gate::{readable_now, Back, Gate, Pending, Release, Waiting};
pub use timed::TimedStream;
use worker::{linger, Worker};

/// Limits and deadlines of one connection. [`Limits::default`] gives the values lesson
/// 08's text lists ("Limits, and a classroom") and `vault serve --help` shows.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request head, in bytes (default 16 KiB). Over it: 431.
    pub head_bytes: usize,
    /// Largest request body, in bytes (default 64 MiB). Over it: 413, before reading it.
    /// A handler may set a smaller limit per request ([`Handler::admit`]).
    pub max_body: u64,
    /// Time allowed for the whole TLS handshake (default 10 s); also how long a new
    /// connection may wait in the gate without sending a byte.
    pub handshake_timeout: Duration,
    /// Time allowed for the whole request head (default 10 s). Over it: 408.
    pub head_timeout: Duration,
    /// The window the minimum rate is measured over, for request and reply bodies
    /// (default 10 s): each window must carry `body_min_rate × body_grace` bytes.
    pub body_grace: Duration,
    /// Minimum rate of a request or reply body, in bytes per second (default 64 KiB/s).
    pub body_min_rate: u64,
    /// How long one write may wait for a client that does not read, outside a reply
    /// body (default 10 s).
    pub write_timeout: Duration,
    /// Connections from one client address served at once (default 8); more wait.
    pub max_conn_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            head_bytes: http::HEAD_LIMIT,
            max_body: 64 * 1024 * 1024,
            handshake_timeout: Duration::from_secs(10),
            head_timeout: Duration::from_secs(10),
            body_grace: Duration::from_secs(10),
            body_min_rate: 64 * 1024,
            write_timeout: Duration::from_secs(10),
            max_conn_per_address: 8,
        }
    }
}

/// User-supplied text as it may appear in a log line: escaped (no control character
/// reaches the log) and cut to 64 characters, so no request can flood the log.
pub fn loggable(text: &str) -> String {
    const MAX: usize = 64;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        out.extend(c.escape_debug());
    }
    out
}

/// One accepted connection after the transport's handshake: plain TCP or TLS.
pub trait Connection: Read + Write + Send {
    /// The timed TCP stream underneath, to change the deadline between phases.
    fn timed(&mut self) -> &mut TimedStream;

    /// Whether request bytes may already sit in this connection's own buffers (read
    /// from the socket but not yet handed out), where `poll(2)` cannot see them.
    fn has_buffered(&self) -> bool {
        false
    }

    /// Ends our side politely (TLS close_notify, then TCP FIN); reading stays possible.
    fn close(&mut self) {
        let _ = self.timed().tcp().shutdown(Shutdown::Write);
    }
}

impl Connection for TimedStream {
    fn timed(&mut self) -> &mut TimedStream {
        self
    }
}

impl Connection for SslStream<TimedStream> {
    fn timed(&mut self) -> &mut TimedStream {
        self.get_mut()
    }

    fn has_buffered(&self) -> bool {
        self.ssl().pending() > 0
    }

    fn close(&mut self) {
        let _ = self.shutdown();
        let _ = self.get_ref().tcp().shutdown(Shutdown::Write);
    }
}

impl Connection for native_tls::TlsStream<TimedStream> {
    fn timed(&mut self) -> &mut TimedStream {
        self.get_mut()
    }

    /// native-tls does not tell: assume there may be, and read on (lesson 06 only).
    fn has_buffered(&self) -> bool {
        true
    }

    fn close(&mut self) {
        let _ = self.shutdown();
        let _ = self.get_ref().tcp().shutdown(Shutdown::Write);
    }
}

/// What wraps each accepted TCP connection before HTTP is spoken.
pub enum Transport {
    /// Plain HTTP: everything readable on the wire (lessons 01 to 03).
    Plain,
    /// TLS through the platform's library via `native-tls` (lesson 06).
    NativeTls(native_tls::TlsAcceptor),
    /// TLS through OpenSSL (see `tls::server_acceptor`): lesson 07 and the vault.
    OpenSsl(SslAcceptor),
}

impl Transport {
    fn accept(&self, timed: TimedStream) -> Result<Box<dyn Connection>, String> {
        match self {
            Transport::Plain => Ok(Box::new(timed)),
            Transport::NativeTls(acceptor) => match acceptor.accept(timed) {
                Ok(stream) => Ok(Box::new(stream)),
                Err(e) => Err(HandshakeFailure::from_native_tls(&e, Peer::Client).to_string()),
            },
            Transport::OpenSsl(acceptor) => match acceptor.accept(timed) {
                Ok(stream) => Ok(Box::new(stream)),
                Err(mut e) => {
                    let why = HandshakeFailure::from_openssl(&e).to_string();
                    if let HandshakeError::Failure(mid) = &mut e {
                        // A client that sent nothing in time has nothing in flight to drain.
                        let timed_out = mid.error().io_error().is_some_and(|io| {
                            matches!(
                                io.kind(),
                                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                            )
                        });
                        if !timed_out {
                            linger(mid.get_mut());
                        }
                    }
                    Err(why)
                }
            },
        }
    }
}

/// A function that takes a request body as a reader and returns the reply.
pub type BodyTaker<'a> = Box<dyn FnOnce(&mut dyn Read) -> Response + 'a>;

/// How the accept loop takes a request's body, decided by [`Handler::admit`] from the
/// head alone, before a byte of the body is read.
pub enum Admission<'a> {
    /// Read the body into memory, at most `limit` bytes (over it: 413, unread), then
    /// call [`Handler::handle`].
    Memory {
        /// Largest body accepted, in bytes.
        limit: u64,
    },
    /// Hand the body to this function as a reader of exactly `Content-Length` bytes
    /// (the minimum rate applies while it reads; a failed read is `TimedOut` for a slow
    /// client, another error for one that went away); it returns the reply.
    Stream(BodyTaker<'a>),
    /// Answer now, without reading the body (401, 413, 507…).
    Refuse(Response),
}

/// Turns one request into one response. Plain functions and closures qualify, so
/// handlers are testable without a socket.
pub trait Handler: Send + Sync {
    /// Looks at a request head from `peer` before its body is read, and says how to take
    /// the body. The default reads up to [`Limits::max_body`] into memory.
    fn admit(&self, head: &RequestHead, peer: SocketAddr, limits: &Limits) -> Admission<'_> {
        let _ = (head, peer);
        Admission::Memory {
            limit: limits.max_body,
        }
    }

    /// Answers `request`, which came from `peer`. A HEAD request arrives as a GET (and
    /// [`Handler::admit`] sees it as one): the server sends only the head of the answer.
    fn handle(&self, request: Request, peer: SocketAddr) -> Response;

    /// Whether this exchange is routine (a page polling): its log line is then at debug
    /// level, not info, so the lines that matter stay readable. By default none is.
    fn routine(&self, _request_line: &str, _status: u16) -> bool {
        false
    }
}

impl<F> Handler for F
where
    F: Fn(Request, SocketAddr) -> Response + Send + Sync,
{
    fn handle(&self, request: Request, peer: SocketAddr) -> Response {
        self(request, peer)
    }
}

/// Runs a request whose body is already in memory through `handler` as the accept loop
/// would (admission, then the in-memory or the streamed path): for tests and the fuzzer.
pub fn respond(
    handler: &dyn Handler,
    request: Request,
    peer: SocketAddr,
    limits: &Limits,
) -> Response {
    let head = request.head();
    match handler.admit(&head, peer, limits) {
        Admission::Refuse(response) => response,
        Admission::Memory { limit } if request.body.len() as u64 > limit => {
            too_large(request.body.len() as u64, limit)
        }
        Admission::Memory { .. } => handler.handle(request, peer),
        Admission::Stream(body) => body(&mut &request.body[..]),
    }
}

fn too_large(length: u64, limit: u64) -> Response {
    Response::error(413, &HttpError::BodyTooLarge { length, limit }.to_string())
}

/// A server: a listener, a transport, limits, a handler and a number of workers.
pub struct Server {
    listener: TcpListener,
    transport: Arc<Transport>,
    limits: Limits,
    handler: Arc<dyn Handler>,
    workers: usize,
    name: String,
}

impl Server {
    /// A one-worker server. `name` prefixes its log lines (e.g. `vault`).
    pub fn new(
        name: &str,
        listener: TcpListener,
        transport: Transport,
        handler: Arc<dyn Handler>,
    ) -> Self {
        Server {
            listener,
            transport: Arc::new(transport),
            limits: Limits::default(),
            handler,
            workers: 1,
            name: name.to_string(),
        }
    }

    /// Replaces the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Runs `n` (at least 1) blocking workers behind the gate.
    pub fn workers(mut self, n: usize) -> Self {
        self.workers = n.max(1);
        self
    }

    /// The address the listener is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends.
    pub fn run(self) -> io::Result<()> {
        let handle = self.spawn()?;
        handle.join();
        Ok(())
    }

    /// Serves on background threads (the gate and the workers); the returned handle
    /// stops them.
    pub fn spawn(self) -> io::Result<ServerHandle> {
        let addr = self.listener.local_addr()?;
        self.listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (wake_tx, wake_rx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        wake_tx.set_nonblocking(true)?;
        let (ready_tx, ready_rx) = mpsc::channel::<Waiting>();
        let (back_tx, back_rx) = mpsc::channel::<Back>();
        let ready_rx = Arc::new(Mutex::new(ready_rx));
        let mut threads = Vec::with_capacity(self.workers + 1);
        for i in 0..self.workers {
            let worker = Worker {
                ready: Arc::clone(&ready_rx),
                back: back_tx.clone(),
                wake: wake_tx.try_clone()?,
                transport: Arc::clone(&self.transport),
                limits: self.limits.clone(),
                handler: Arc::clone(&self.handler),
                name: self.name.clone(),
            };
            let thread = std::thread::Builder::new()
                .name(format!("{}-worker-{i}", self.name))
                .spawn(move || worker.run())?;
            threads.push(thread);
        }
        drop(back_tx);
        let gate = Gate {
            listener: self.listener,
            wake: wake_rx,
            back: back_rx,
            ready: ready_tx,
            stop: Arc::clone(&stop),
            limits: self.limits,
            name: self.name,
            waiting: Vec::new(),
            deferred: HashMap::new(),
            active: HashMap::new(),
        };
        threads.push(
            std::thread::Builder::new()
                .name("gate".into())
                .spawn(move || gate.run())?,
        );
        Ok(ServerHandle {
            addr,
            stop,
            wake: wake_tx,
            threads,
        })
    }
}

/// A running server. Dropping it stops the server and waits for its threads.
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    wake: UnixStream,
    threads: Vec<JoinHandle<()>>,
}

impl ServerHandle {
    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits for the threads (they end only after [`ServerHandle::stop`]).
    pub fn join(mut self) {
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }

    /// Stops accepting, lets each worker finish its current connection, and waits.
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = (&self.wake).write(&[0]);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.stop_now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    fn echo_server(limits: Limits) -> ServerHandle {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let handler = |req: Request, _peer: SocketAddr| {
            Response::text(
                200,
                &format!("{} {} {}", req.method, req.path(), req.body.len()),
            )
        };
        Server::new("test", listener, Transport::Plain, Arc::new(handler))
            .limits(limits)
            .spawn()
            .unwrap()
    }

    #[test]
    fn a_total_deadline_holds_while_bytes_trickle_in() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let trickler = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            // 1.2 s of trickle: a per-read timeout would never fire.
            for _ in 0..40 {
                if s.write_all(b"x").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(30));
            }
        });
        let (tcp, _) = listener.accept().unwrap();
        let mut timed = TimedStream::new(tcp, Duration::from_secs(5)).unwrap();
        let started = Instant::now();
        let deadline = Duration::from_millis(250);
        timed.set_deadline(started + deadline);
        let mut got = 0;
        let err = loop {
            match timed.read(&mut [0u8; 16]) {
                Ok(0) => panic!("the peer closed before the deadline"),
                Ok(n) => got += n,
                Err(e) => break e,
            }
        };
        let took = started.elapsed();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(got >= 3, "only {got} bytes arrived before the deadline");
        // Never before the deadline, and well before the trickle ends (the margin is for
        // a loaded machine's scheduling; the slack itself is 20 ms).
        assert!(took >= deadline, "cut after {took:?}");
        assert!(
            took < deadline + Duration::from_millis(500),
            "cut after {took:?}"
        );
        drop(timed);
        trickler.join().unwrap();
    }

    fn status_of(stream: &mut TcpStream) -> String {
        let mut line = String::new();
        io::BufReader::new(stream).read_line(&mut line).unwrap();
        line
    }

    #[test]
    fn dripping_client_is_cut_at_the_head_deadline_not_reset_per_read() {
        let limits = Limits {
            head_timeout: Duration::from_millis(600),
            ..Limits::default()
        };
        let server = echo_server(limits);
        let mut s = TcpStream::connect(server.addr()).unwrap();
        let started = Instant::now();
        // One byte every 100 ms: each read succeeds, but the total deadline passes.
        for b in b"GET / HTTP/1.1\r\nX-Slow: yes" {
            if s.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
            if started.elapsed() > Duration::from_secs(2) {
                break;
            }
        }
        assert!(status_of(&mut s).starts_with("HTTP/1.1 408"));
        assert!(started.elapsed() < Duration::from_secs(3));
        // The server goes on serving.
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(b"GET /again HTTP/1.1\r\n\r\n").unwrap();
        assert!(status_of(&mut s).starts_with("HTTP/1.1 200"));
    }

    #[test]
    fn stalled_body_is_cut_after_the_grace() {
        let limits = Limits {
            body_grace: Duration::from_millis(300),
            body_min_rate: 1024 * 1024,
            ..Limits::default()
        };
        let server = echo_server(limits);
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(b"POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
            .unwrap();
        assert!(status_of(&mut s).starts_with("HTTP/1.1 408"));
    }

    #[test]
    fn expect_100_continue_gets_the_go_ahead_before_the_body() {
        let server = echo_server(Limits::default());
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(b"POST /x HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            .unwrap();
        let mut reader = io::BufReader::new(s.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
        s.write_all(b"hello").unwrap();
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert!(rest.contains("HTTP/1.1 200 OK\r\n"), "{rest}");
        assert!(rest.ends_with("POST /x 5"), "{rest}");
    }

    #[test]
    fn too_large_body_is_413_before_reading_it() {
        let limits = Limits {
            max_body: 10,
            ..Limits::default()
        };
        let server = echo_server(limits);
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(b"POST /x HTTP/1.1\r\nContent-Length: 11\r\n\r\n")
            .unwrap();
        assert!(status_of(&mut s).starts_with("HTTP/1.1 413"));
    }
}
