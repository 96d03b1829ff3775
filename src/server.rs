//! The one accept loop every squirrel server runs: blocking `std::net`, one request per
//! connection, deadlines and limits on every connection, and never a panic or a stop
//! because of what a client sends.
//!
//! A connection goes through three phases, each with its own deadline, enforced below
//! TLS on the TCP socket itself ([`TimedStream`]) so the TLS handshake is covered too:
//!
//! 1. the TLS handshake must finish within [`Limits::handshake_timeout`] of its start;
//! 2. the request head must arrive within [`Limits::head_timeout`] of the handshake's end
//!    (in total: a client dripping one byte at a time is cut at the deadline, it cannot
//!    reset a per-read timer);
//! 3. the body must keep an average of [`Limits::body_min_rate`] bytes per second after a
//!    grace of [`Limits::body_grace`], so a slow but honest upload finishes and a
//!    stalled one is cut.
//!
//! Every handler answers HEAD too (RFC 9110 §9.1): the server asks it for the GET and
//! sends only the head of the answer.
//!
//! With one worker, a stalled client delays the others by up to those deadlines; tiny
//! HTTP servers that spawn a thread per connection grow without bound instead. Ours runs
//! a fixed number of workers ([`Server::workers`]) on one listener.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use openssl::ssl::{HandshakeError, SslAcceptor, SslStream};

use crate::http::{self, HttpError, Request, RequestHead, Response};
use crate::tls::{HandshakeFailure, Peer};

/// Limits and deadlines of one connection. [`Limits::default`] gives DESIGN.md's values.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request head, in bytes (default 16 KiB). Over it: 431.
    pub head_bytes: usize,
    /// Largest request body, in bytes (default 64 MiB). Over it: 413, before reading it.
    pub max_body: u64,
    /// Time allowed for the whole TLS handshake (default 10 s).
    pub handshake_timeout: Duration,
    /// Time allowed for the whole request head (default 10 s). Over it: 408.
    pub head_timeout: Duration,
    /// Time a body may take before the minimum rate applies (default 10 s).
    pub body_grace: Duration,
    /// Minimum average body rate after the grace, in bytes per second (default 64 KiB/s).
    pub body_min_rate: u64,
    /// How long one write may wait for a client that does not read (default 10 s).
    pub write_timeout: Duration,
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
        }
    }
}

/// When the next read must complete by.
#[derive(Debug, Clone, Copy)]
enum Deadline {
    None,
    At(Instant),
    /// Bytes received so far must keep up with `min_rate` after `grace` from `start`.
    Rate {
        start: Instant,
        grace: Duration,
        min_rate: u64,
        received: u64,
    },
}

/// A TCP stream whose reads fail with `TimedOut` once the current deadline has passed.
///
/// The deadline is total, not per read: before each read the socket's read timeout is set
/// to the time left, so bytes trickling in cannot extend it. It sits under TLS, so one
/// mechanism covers the handshake, the head and the body.
#[derive(Debug)]
pub struct TimedStream {
    tcp: TcpStream,
    deadline: Deadline,
    /// The read timeout on the socket now (`None`: reads wait without limit).
    armed: Option<Duration>,
}

/// How far past its deadline a read may block. Within it the socket's read timeout is
/// left as it is: OpenSSL reads each TLS record in two reads, and re-setting the timeout
/// before each was two more system calls per record on every handshake.
const DEADLINE_SLACK: Duration = Duration::from_millis(20);

impl TimedStream {
    /// Wraps an accepted stream; writes wait at most `write_timeout` for the peer.
    pub fn new(tcp: TcpStream, write_timeout: Duration) -> io::Result<Self> {
        tcp.set_write_timeout(Some(write_timeout))?;
        tcp.set_nodelay(true)?;
        Ok(TimedStream {
            tcp,
            deadline: Deadline::None,
            armed: None,
        })
    }

    /// Every read must complete before `at`.
    pub fn set_deadline(&mut self, at: Instant) {
        self.deadline = Deadline::At(at);
    }

    /// From now on, reads must keep an average of `min_rate` bytes per second once
    /// `grace` has passed.
    pub fn set_min_rate(&mut self, grace: Duration, min_rate: u64) {
        self.deadline = Deadline::Rate {
            start: Instant::now(),
            grace,
            min_rate: min_rate.max(1),
            received: 0,
        };
    }

    /// Reads may wait without limit (used after the request is read).
    pub fn clear_deadline(&mut self) {
        self.deadline = Deadline::None;
    }

    /// The underlying socket.
    pub fn tcp(&self) -> &TcpStream {
        &self.tcp
    }

    fn current_deadline(&self) -> Option<Instant> {
        match self.deadline {
            Deadline::None => None,
            Deadline::At(at) => Some(at),
            Deadline::Rate {
                start,
                grace,
                min_rate,
                received,
            } => Some(start + grace + Duration::from_secs_f64(received as f64 / min_rate as f64)),
        }
    }

    /// Makes the next read block until `deadline` at the latest (never earlier, and not
    /// later than [`DEADLINE_SLACK`] past it); with no deadline, without limit.
    fn arm(&mut self, deadline: Option<Instant>) -> io::Result<()> {
        let timeout = match deadline {
            None => None,
            Some(at) => match at.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(left),
                _ => return Err(timed_out()),
            },
        };
        let still_right = match (timeout, self.armed) {
            (None, None) => true,
            (Some(left), Some(armed)) => armed >= left && armed - left <= DEADLINE_SLACK,
            _ => false,
        };
        if !still_right {
            self.tcp.set_read_timeout(timeout)?;
            self.armed = timeout;
        }
        Ok(())
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "deadline passed")
}

impl Read for TimedStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm(self.current_deadline())?;
        let n = match self.tcp.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Err(timed_out()),
            other => other?,
        };
        if let Deadline::Rate { received, .. } = &mut self.deadline {
            *received += n as u64;
        }
        Ok(n)
    }
}

impl Write for TimedStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.tcp.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(timed_out()),
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
}

/// One accepted connection after the transport's handshake: plain TCP or TLS.
pub trait Connection: Read + Write {
    /// The timed TCP stream underneath, to change the deadline between phases.
    fn timed(&mut self) -> &mut TimedStream;

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

    fn close(&mut self) {
        let _ = self.shutdown();
        let _ = self.get_ref().tcp().shutdown(Shutdown::Write);
    }
}

impl Connection for native_tls::TlsStream<TimedStream> {
    fn timed(&mut self) -> &mut TimedStream {
        self.get_mut()
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

/// Turns one request into one response. Plain functions and closures qualify, so
/// handlers are testable without a socket.
pub trait Handler: Send + Sync {
    /// Answers `request`, which came from `peer`. A HEAD request arrives as a GET: the
    /// server sends only the head of the answer.
    fn handle(&self, request: Request, peer: SocketAddr) -> Response;

    /// The largest body, in bytes, this handler takes for a request with this head;
    /// the server refuses a larger `Content-Length` with 413 before reading the body.
    /// The server's own [`Limits::max_body`] still applies; by default it alone does.
    fn body_limit(&self, _head: &RequestHead) -> u64 {
        u64::MAX
    }

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

    /// Runs `n` (at least 1) blocking accept loops on the one listener.
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

    /// Serves on background threads; the returned handle stops them.
    pub fn spawn(self) -> io::Result<ServerHandle> {
        let addr = self.listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::with_capacity(self.workers);
        for i in 0..self.workers {
            let worker = Worker {
                listener: self.listener.try_clone()?,
                transport: Arc::clone(&self.transport),
                limits: self.limits.clone(),
                handler: Arc::clone(&self.handler),
                stop: Arc::clone(&stop),
                name: self.name.clone(),
            };
            let thread = std::thread::Builder::new()
                .name(format!("{}-worker-{i}", self.name))
                .spawn(move || worker.run())?;
            threads.push(thread);
        }
        Ok(ServerHandle {
            addr,
            stop,
            threads,
        })
    }
}

/// A running server. Dropping it stops the server and waits for its workers.
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl ServerHandle {
    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits for the workers (they end only after [`ServerHandle::stop`]).
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
        // Each blocked accept() needs a connection to wake up and see the flag.
        for _ in 0..self.threads.len() {
            let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        }
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

struct Worker {
    listener: TcpListener,
    transport: Arc<Transport>,
    limits: Limits,
    handler: Arc<dyn Handler>,
    stop: Arc<AtomicBool>,
    name: String,
}

impl Worker {
    fn run(self) {
        loop {
            let accepted = self.listener.accept();
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            match accepted {
                Ok((tcp, peer)) => {
                    // A panic in a handler must cost one reply, not the server.
                    let outcome =
                        catch_unwind(AssertUnwindSafe(|| self.serve_connection(tcp, peer)));
                    if outcome.is_err() {
                        log::error!(
                            "{}: {peer}: internal error while serving; connection dropped",
                            self.name
                        );
                    }
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    log::warn!("{}: accept failed: {e}", self.name);
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }

    fn serve_connection(&self, tcp: TcpStream, peer: SocketAddr) {
        let started = Instant::now();
        let limits = &self.limits;
        let mut timed = match TimedStream::new(tcp, limits.write_timeout) {
            Ok(t) => t,
            Err(e) => {
                log::warn!("{}: {peer}: cannot set up the connection: {e}", self.name);
                return;
            }
        };
        timed.set_deadline(Instant::now() + limits.handshake_timeout);
        let mut conn = match self.transport.accept(timed) {
            Ok(conn) => conn,
            Err(why) => {
                log::info!("{}: {peer}: TLS handshake failed: {why}", self.name);
                return;
            }
        };
        conn.timed()
            .set_deadline(Instant::now() + limits.head_timeout);
        // A request that could not be read whole leaves bytes in flight: drain them after
        // replying, or closing would reset the connection before the client reads why.
        let (request, mut response, unread) = match self.read_request(conn.as_mut()) {
            Ok(request) => {
                let line = format!("{} {}", request.method, request.target);
                let response = match catch_unwind(AssertUnwindSafe(|| self.answer(request, peer))) {
                    Ok(response) => response,
                    Err(_) => {
                        log::error!("{}: {peer}: handler failed on {line}", self.name);
                        Response::error(500, "internal server error")
                    }
                };
                (line, response, false)
            }
            // A HEAD refused before its handler (411, 413, 408) gets no body either.
            Err(ReadFailure::Reply(line, response)) if line.starts_with("HEAD ") => {
                (line, response.without_body(), true)
            }
            Err(ReadFailure::Reply(line, response)) => (line, response, true),
            Err(ReadFailure::Gone(line, why)) => {
                log::info!("{}: {peer}: {line}: {why}", self.name);
                return;
            }
        };
        conn.timed().clear_deadline();
        let written = response.write_to(conn.as_mut());
        let level = if response.status >= 500 {
            log::Level::Error
        } else if self.handler.routine(&request, response.status) {
            log::Level::Debug
        } else {
            log::Level::Info
        };
        log::log!(
            level,
            "{}: {peer} {request} -> {} ({} bytes, {} ms)",
            self.name,
            response.status,
            response.body_len(),
            started.elapsed().as_millis()
        );
        if let Err(e) = written {
            log::info!("{}: {peer}: could not send the reply: {e}", self.name);
            return;
        }
        conn.close();
        if unread {
            drain(conn.as_mut());
        }
    }

    /// The handler's response to `request`, with HEAD served for every handler: RFC 9110
    /// §9.1 asks every general-purpose server to support GET and HEAD, and §9.3.2 defines
    /// HEAD as GET without the body. So the handler answers the GET, and only its head
    /// goes back (`Content-Length` the GET's); every `Allow` listing GET lists HEAD too.
    fn answer(&self, mut request: Request, peer: SocketAddr) -> Response {
        let head = request.method == "HEAD";
        if head {
            request.method = "GET".to_string();
        }
        let response = self.handler.handle(request, peer).allow_head();
        if head {
            response.without_body()
        } else {
            response
        }
    }

    fn read_request(&self, conn: &mut dyn Connection) -> Result<Request, ReadFailure> {
        let limits = &self.limits;
        let (head, already) = http::read_request_head(conn, limits.head_bytes)
            .map_err(|e| ReadFailure::from_http("(request head)".into(), e))?;
        let line = format!("{} {}", head.method, head.target);
        let length = match head.headers.content_length() {
            Ok(length) => length,
            Err(e) => return Err(ReadFailure::from_http(line, e)),
        };
        if head.headers.get("transfer-encoding").is_some() {
            return Err(ReadFailure::Reply(
                line,
                Response::error(411, "chunked bodies are not supported: send Content-Length"),
            ));
        }
        let length = length.unwrap_or(0);
        let max_body = self.handler.body_limit(&head).min(limits.max_body);
        if length > max_body {
            let e = HttpError::BodyTooLarge {
                length,
                limit: max_body,
            };
            return Err(ReadFailure::from_http(line, e));
        }
        // curl sends `Expect: 100-continue` before a large body and waits a second for
        // this go-ahead (RFC 9110 §10.1.1); answering at once saves that second.
        let expects_continue = head
            .headers
            .get("expect")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("100-continue"));
        if expects_continue && length > 0 && already.is_empty() {
            conn.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .and_then(|()| conn.flush())
                .map_err(|e| ReadFailure::Gone(line.clone(), e.into()))?;
        }
        conn.timed()
            .set_min_rate(limits.body_grace, limits.body_min_rate);
        let started = Instant::now();
        let body = http::read_body(conn, already, length)
            .map_err(|e| ReadFailure::from_http(line.clone(), e))?;
        if length > 0 {
            log::debug!(
                "{}: {line}: body of {length} bytes read in {} ms",
                self.name,
                started.elapsed().as_millis()
            );
        }
        Ok(Request::new(head, body))
    }
}

/// A request that could not be read: either answer it, or the peer is gone.
enum ReadFailure {
    Reply(String, Response),
    Gone(String, HttpError),
}

impl ReadFailure {
    fn from_http(line: String, e: HttpError) -> Self {
        match e.status() {
            Some(status) => {
                let message = match &e {
                    HttpError::TimedOut => "the request took too long to arrive".to_string(),
                    other => other.to_string(),
                };
                ReadFailure::Reply(line, Response::error(status, &message))
            }
            None => ReadFailure::Gone(line, e),
        }
    }
}

/// After a failed handshake, lets our alert reach the client: with TLS 1.3 a client that
/// we refuse (no certificate) has already sent its request, and closing with those bytes
/// unread would send a reset that destroys the alert before the client reads it.
fn linger(timed: &mut TimedStream) {
    let _ = timed.tcp().shutdown(Shutdown::Write);
    timed.set_deadline(Instant::now() + Duration::from_secs(1));
    let _ = io::copy(&mut timed.take(64 * 1024), &mut io::sink());
}

/// After an error reply to a request that was not read whole, reads (and drops) what the
/// client is still sending, for 2 s or 8 MiB at most, so that dropping the socket does
/// not reset the connection before the client has read the reply. Our side is already
/// shut for writing, so a client that has read the reply closes and ends this early.
fn drain(conn: &mut dyn Connection) {
    const MAX_BYTES: u64 = 8 * 1024 * 1024;
    conn.timed()
        .set_deadline(Instant::now() + Duration::from_secs(2));
    let _ = io::copy(&mut conn.take(MAX_BYTES), &mut io::sink());
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
