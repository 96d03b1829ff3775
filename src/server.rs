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

/// Limits and deadlines of one connection. [`Limits::default`] gives DESIGN.md's values.
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

/// Connections the gate holds before the first bytes arrive, at most; past it, the
/// longest-waiting one is closed (an idle connection costs a file descriptor, and the
/// usual limit is 1024 per process).
const MAX_WAITING: usize = 512;

/// Connections one address may have waiting in the gate, at most; past it, its new
/// connections are closed at once, so one client cannot push everyone else out.
const MAX_WAITING_PER_ADDRESS: usize = 128;

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

/// When the next read or write must complete by.
#[derive(Debug, Clone, Copy)]
enum Deadline {
    None,
    At(Instant),
    /// Each `window` from `start` must carry `need` bytes; `got` counts this window's.
    Rate {
        start: Instant,
        window: Duration,
        need: u64,
        got: u64,
    },
}

impl Deadline {
    fn rate(window: Duration, min_rate: u64) -> Self {
        let window = window.max(Duration::from_secs(1));
        Deadline::Rate {
            start: Instant::now(),
            window,
            need: (min_rate.max(1) as f64 * window.as_secs_f64()) as u64,
            got: 0,
        }
    }

    fn instant(&self) -> Option<Instant> {
        match *self {
            Deadline::None => None,
            Deadline::At(at) => Some(at),
            Deadline::Rate { start, window, .. } => Some(start + window),
        }
    }

    /// Counts `n` bytes moved; a window that has its bytes starts the next one. Bytes
    /// beyond a window's need give no credit to the next: a client cannot fill the
    /// socket buffers once and then trickle.
    fn count(&mut self, n: usize) {
        if let Deadline::Rate {
            start, need, got, ..
        } = self
        {
            *got += n as u64;
            if *got >= *need {
                *start = Instant::now();
                *got = 0;
            }
        }
    }
}

/// A TCP stream whose reads and writes fail with `TimedOut` once their deadline has
/// passed.
///
/// A deadline is total, not per call: before each call the socket's timeout is set to
/// the time left, so bytes trickling in (or out) cannot extend it. It sits under TLS, so
/// one mechanism covers the handshake, the head and both bodies.
#[derive(Debug)]
pub struct TimedStream {
    tcp: TcpStream,
    read: Deadline,
    write: Deadline,
    /// Limit of one write when no write deadline is set.
    write_timeout: Duration,
    /// The timeouts on the socket now (`None`: calls wait without limit).
    armed_read: Option<Duration>,
    armed_write: Option<Duration>,
}

/// How far past its deadline a call may block. Within it the socket's timeout is left
/// as it is: OpenSSL reads each TLS record in two reads, and re-setting the timeout
/// before each was two more system calls per record on every handshake.
const DEADLINE_SLACK: Duration = Duration::from_millis(20);

impl TimedStream {
    /// Wraps a connected stream; until a deadline is set, each write waits at most
    /// `write_timeout` for the peer and reads wait without limit.
    pub fn new(tcp: TcpStream, write_timeout: Duration) -> io::Result<Self> {
        tcp.set_read_timeout(None)?;
        tcp.set_write_timeout(Some(write_timeout))?;
        tcp.set_nodelay(true)?;
        Ok(TimedStream {
            tcp,
            read: Deadline::None,
            write: Deadline::None,
            write_timeout,
            armed_read: None,
            armed_write: Some(write_timeout),
        })
    }

    /// Every read and write must complete before `at`.
    pub fn set_deadline(&mut self, at: Instant) {
        self.read = Deadline::At(at);
        self.write = Deadline::At(at);
    }

    /// From now on, reads must carry at least `min_rate` bytes per second, measured over
    /// each `window` (at least 1 s).
    pub fn set_min_rate(&mut self, window: Duration, min_rate: u64) {
        self.read = Deadline::rate(window, min_rate);
    }

    /// From now on, writes must carry at least `min_rate` bytes per second, measured
    /// over each `window` (at least 1 s): a reader that stops or trickles is cut.
    pub fn set_write_min_rate(&mut self, window: Duration, min_rate: u64) {
        self.write = Deadline::rate(window, min_rate);
    }

    /// Reads may wait without limit, writes up to the write timeout each.
    pub fn clear_deadline(&mut self) {
        self.read = Deadline::None;
        self.write = Deadline::None;
    }

    /// The underlying socket.
    pub fn tcp(&self) -> &TcpStream {
        &self.tcp
    }

    /// The time left before `deadline`, or `TimedOut` when it has passed.
    fn left(deadline: Option<Instant>) -> io::Result<Option<Duration>> {
        match deadline {
            None => Ok(None),
            Some(at) => match at.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Ok(Some(left)),
                _ => Err(timed_out()),
            },
        }
    }

    /// Whether a socket timeout of `armed` still ends the call at `wanted` (never
    /// earlier, at most [`DEADLINE_SLACK`] later).
    fn still_right(wanted: Option<Duration>, armed: Option<Duration>) -> bool {
        match (wanted, armed) {
            (None, None) => true,
            (Some(left), Some(armed)) => armed >= left && armed - left <= DEADLINE_SLACK,
            _ => false,
        }
    }

    fn arm_read(&mut self) -> io::Result<()> {
        let wanted = Self::left(self.read.instant())?;
        if !Self::still_right(wanted, self.armed_read) {
            self.tcp.set_read_timeout(wanted)?;
            self.armed_read = wanted;
        }
        Ok(())
    }

    fn arm_write(&mut self) -> io::Result<()> {
        let wanted = match Self::left(self.write.instant())? {
            None => Some(self.write_timeout),
            some => some,
        };
        if !Self::still_right(wanted, self.armed_write) {
            self.tcp.set_write_timeout(wanted)?;
            self.armed_write = wanted;
        }
        Ok(())
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "deadline passed")
}

impl Read for TimedStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.arm_read()?;
        let n = match self.tcp.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Err(timed_out()),
            other => other?,
        };
        self.read.count(n);
        Ok(n)
    }
}

impl Write for TimedStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.arm_write()?;
        let n = match self.tcp.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Err(timed_out()),
            other => other?,
        };
        self.write.count(n);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.tcp.flush()
    }
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
                Err(native_tls::HandshakeError::Failure(e)) => Err(e.to_string()),
                Err(native_tls::HandshakeError::WouldBlock(_)) => {
                    Err("the other side took too long".into())
                }
            },
            Transport::OpenSsl(acceptor) => match acceptor.accept(timed) {
                Ok(stream) => Ok(Box::new(stream)),
                Err(mut e) => {
                    let why = crate::tls::describe_handshake_error(&e);
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

/// A connection not yet handed to a worker.
struct Waiting {
    conn: Pending,
    fd: RawFd,
    peer: SocketAddr,
    /// When it is closed if nothing has arrived by then.
    deadline: Instant,
}

enum Pending {
    /// Accepted; nothing read yet.
    Fresh(TcpStream),
    /// TLS handshake done; the request head has not started (its deadline is set).
    Handshaken(Box<dyn Connection>),
}

/// What a worker tells the gate.
enum Back {
    /// Hold this connection until its request starts.
    Wait(Waiting),
    /// A connection from this address is done with its worker.
    Done(IpAddr),
}

/// The thread that accepts connections and holds them until their first bytes arrive.
struct Gate {
    listener: TcpListener,
    wake: UnixStream,
    back: Receiver<Back>,
    ready: Sender<Waiting>,
    stop: Arc<AtomicBool>,
    limits: Limits,
    name: String,
    /// Watched with poll(2), oldest first.
    waiting: Vec<Waiting>,
    /// Ready, but their address already has its share of workers.
    deferred: HashMap<IpAddr, VecDeque<Waiting>>,
    /// Connections per address handed to workers (queued or being served).
    active: HashMap<IpAddr, usize>,
}

impl Gate {
    fn run(mut self) {
        while !self.stop.load(Ordering::SeqCst) {
            let now = Instant::now();
            let timeout = self
                .waiting
                .iter()
                .map(|w| w.deadline.saturating_duration_since(now))
                .min();
            let mut fds: Vec<libc::pollfd> = [self.listener.as_raw_fd(), self.wake.as_raw_fd()]
                .into_iter()
                .chain(self.waiting.iter().map(|w| w.fd))
                .map(|fd| libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                })
                .collect();
            if let Err(e) = poll(&mut fds, timeout) {
                log::error!("{}: poll failed: {e}", self.name);
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            // Readable (bytes, or the peer closed or failed): to a worker. Past its
            // deadline with nothing: closed here, without ever costing a worker.
            let now = Instant::now();
            let polled = std::mem::take(&mut self.waiting);
            for (waiting, fd) in polled.into_iter().zip(&fds[2..]) {
                if fd.revents != 0 {
                    self.dispatch(waiting);
                } else if waiting.deadline <= now {
                    let what = match waiting.conn {
                        Pending::Fresh(_) => "sent nothing",
                        Pending::Handshaken(_) => "sent no request after the TLS handshake",
                    };
                    log::info!("{}: {}: {what} in time; closed", self.name, waiting.peer);
                } else {
                    self.waiting.push(waiting);
                }
            }
            if fds[1].revents != 0 {
                let mut sink = [0u8; 256];
                while matches!((&self.wake).read(&mut sink), Ok(n) if n > 0) {}
            }
            while let Ok(message) = self.back.try_recv() {
                match message {
                    Back::Wait(waiting) => self.waiting.push(waiting),
                    Back::Done(ip) => self.done(ip),
                }
            }
            if fds[0].revents != 0 {
                self.accept_all();
            }
        }
    }

    /// Hands a connection whose bytes have arrived to the workers, unless its address
    /// already has its share of them: then it waits for one of those to finish.
    fn dispatch(&mut self, waiting: Waiting) {
        let ip = waiting.peer.ip();
        let active = self.active.entry(ip).or_insert(0);
        if *active >= self.limits.max_conn_per_address.max(1) {
            self.deferred.entry(ip).or_default().push_back(waiting);
            return;
        }
        *active += 1;
        // Fails only when every worker is gone (the server stops).
        let _ = self.ready.send(waiting);
    }

    fn done(&mut self, ip: IpAddr) {
        if let Some(active) = self.active.get_mut(&ip) {
            *active = active.saturating_sub(1);
            if *active == 0 {
                self.active.remove(&ip);
            }
        }
        let next = self.deferred.get_mut(&ip).and_then(VecDeque::pop_front);
        if self.deferred.get(&ip).is_some_and(VecDeque::is_empty) {
            self.deferred.remove(&ip);
        }
        if let Some(waiting) = next {
            self.dispatch(waiting);
        }
    }

    fn accept_all(&mut self) {
        loop {
            match self.listener.accept() {
                Ok((tcp, peer)) => self.admit(tcp, peer),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    log::warn!("{}: accept failed: {e}", self.name);
                    std::thread::sleep(Duration::from_millis(50));
                    return;
                }
            }
        }
    }

    fn admit(&mut self, tcp: TcpStream, peer: SocketAddr) {
        let ip = peer.ip();
        let from_peer = self.waiting.iter().filter(|w| w.peer.ip() == ip).count()
            + self.deferred.get(&ip).map_or(0, VecDeque::len);
        if from_peer >= MAX_WAITING_PER_ADDRESS {
            log::warn!(
                "{}: {peer}: {from_peer} connections from this address are already waiting; closed",
                self.name
            );
            return;
        }
        if tcp.set_nonblocking(false).is_err() {
            return;
        }
        let deferred: usize = self.deferred.values().map(VecDeque::len).sum();
        if self.waiting.len() + deferred >= MAX_WAITING && !self.waiting.is_empty() {
            let oldest = self.waiting.remove(0);
            log::warn!(
                "{}: {}: closed to make room ({MAX_WAITING} connections are waiting)",
                self.name,
                oldest.peer
            );
        }
        self.waiting.push(Waiting {
            fd: tcp.as_raw_fd(),
            conn: Pending::Fresh(tcp),
            peer,
            deadline: Instant::now() + self.limits.handshake_timeout,
        });
    }
}

/// poll(2) with a timeout (`None`: without limit), retried when a signal interrupts it.
fn poll(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> io::Result<usize> {
    let millis = match timeout {
        None => -1,
        // Rounded up, so a deadline is never polled for before it has passed.
        Some(t) => t.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32,
    };
    loop {
        // SAFETY: `fds` is a valid, exclusively borrowed slice of pollfd for the call.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, millis) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Whether bytes (or the end of the stream) are waiting on `fd` right now.
fn readable_now(fd: RawFd) -> bool {
    let mut fds = [libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }];
    poll(&mut fds, Some(Duration::ZERO)).is_ok_and(|n| n > 0)
}

/// Tells the gate, however the connection ends (a panic included), that the address
/// has one worker fewer.
struct Release<'a> {
    back: &'a Sender<Back>,
    wake: &'a UnixStream,
    ip: IpAddr,
}

impl Drop for Release<'_> {
    fn drop(&mut self) {
        if self.back.send(Back::Done(self.ip)).is_ok() {
            let _ = (&*self.wake).write(&[1]);
        }
    }
}

struct Worker {
    ready: Arc<Mutex<Receiver<Waiting>>>,
    back: Sender<Back>,
    wake: UnixStream,
    transport: Arc<Transport>,
    limits: Limits,
    handler: Arc<dyn Handler>,
    name: String,
}

/// What became of one request.
struct Exchange {
    /// The request line, fit for a log.
    line: String,
    response: Response,
    /// Whether body bytes may still be in flight (the reply came before the whole body).
    unread: bool,
}

impl Worker {
    fn run(self) {
        loop {
            let next = {
                let ready = self.ready.lock().unwrap_or_else(|p| p.into_inner());
                ready.recv()
            };
            let Ok(waiting) = next else {
                return; // The gate is gone: the server stops.
            };
            let peer = waiting.peer;
            let _release = Release {
                back: &self.back,
                wake: &self.wake,
                ip: peer.ip(),
            };
            // A panic in a handler must cost one reply, not the server.
            let outcome = catch_unwind(AssertUnwindSafe(|| self.serve(waiting)));
            if outcome.is_err() {
                log::error!(
                    "{}: {peer}: internal error while serving; connection dropped",
                    self.name
                );
            }
        }
    }

    fn serve(&self, waiting: Waiting) {
        let peer = waiting.peer;
        let limits = &self.limits;
        let (conn, started) = match waiting.conn {
            Pending::Handshaken(conn) => (conn, waiting.deadline - limits.head_timeout),
            Pending::Fresh(tcp) => {
                let started = Instant::now();
                let mut timed = match TimedStream::new(tcp, limits.write_timeout) {
                    Ok(t) => t,
                    Err(e) => {
                        log::warn!("{}: {peer}: cannot set up the connection: {e}", self.name);
                        return;
                    }
                };
                timed.set_deadline(started + limits.handshake_timeout);
                let mut conn = match self.transport.accept(timed) {
                    Ok(conn) => conn,
                    Err(why) => {
                        log::info!("{}: {peer}: TLS handshake failed: {why}", self.name);
                        return;
                    }
                };
                let deadline = Instant::now() + limits.head_timeout;
                conn.timed().set_deadline(deadline);
                let fd = conn.timed().tcp().as_raw_fd();
                if !conn.has_buffered() && !readable_now(fd) {
                    // Handshake done, request not started: wait in the gate, not here.
                    let waiting = Waiting {
                        conn: Pending::Handshaken(conn),
                        fd,
                        peer,
                        deadline,
                    };
                    if self.back.send(Back::Wait(waiting)).is_ok() {
                        let _ = (&self.wake).write(&[1]);
                    }
                    return;
                }
                (conn, started)
            }
        };
        self.serve_request(conn, peer, started);
    }

    fn serve_request(&self, mut conn: Box<dyn Connection>, peer: SocketAddr, started: Instant) {
        let Exchange {
            line,
            response,
            unread,
        } = match self.exchange(conn.as_mut(), peer) {
            Ok(exchange) => exchange,
            Err((line, why)) => {
                log::info!("{}: {peer}: {line}: {why}", self.name);
                return;
            }
        };
        // HEAD (RFC 9110 §9.1, §9.3.2): the handler answered the GET; only the head goes
        // back, `Content-Length` the GET's, and every `Allow` listing GET lists HEAD. A
        // HEAD refused before its handler (411, 413, 408) gets no body either.
        let mut response = response.allow_head();
        if line.starts_with("HEAD ") {
            response = response.without_body();
        }
        // The reply must keep the minimum rate: a client that reads a download at a
        // trickle is cut, as one that sends an upload at a trickle is.
        conn.timed().clear_deadline();
        conn.timed()
            .set_write_min_rate(self.limits.body_grace, self.limits.body_min_rate);
        let written = response.write_to(conn.as_mut());
        let level = if response.status >= 500 {
            log::Level::Error
        } else if self.handler.routine(&line, response.status) {
            log::Level::Debug
        } else {
            log::Level::Info
        };
        log::log!(
            level,
            "{}: {peer} {line} -> {} ({} bytes, {} ms)",
            self.name,
            response.status,
            response.body_len(),
            started.elapsed().as_millis()
        );
        if let Err(e) = written {
            log::info!("{}: {peer}: could not send the reply: {e}", self.name);
            return;
        }
        conn.timed().clear_deadline();
        conn.close();
        if unread {
            drain(conn.as_mut());
        }
    }

    /// Reads one request and makes its reply. `Err` when the peer is beyond answering.
    fn exchange(
        &self,
        conn: &mut dyn Connection,
        peer: SocketAddr,
    ) -> Result<Exchange, (String, HttpError)> {
        let limits = &self.limits;
        let (mut head, already) = match http::read_request_head(conn, limits.head_bytes) {
            Ok(read) => read,
            Err(e) => return reply_to_error("(request head)".into(), e, true),
        };
        let line = loggable(&format!("{} {}", head.method, head.target));
        // Every handler answers HEAD as the GET it asks about (see serve_request).
        if head.method == "HEAD" {
            head.method = "GET".to_string();
        }
        let length = match head.headers.content_length() {
            Ok(length) => length.unwrap_or(0),
            Err(e) => return reply_to_error(line, e, true),
        };
        if head.headers.get("transfer-encoding").is_some() {
            let response =
                Response::error(411, "chunked bodies are not supported: send Content-Length");
            return Ok(Exchange {
                line,
                response,
                unread: true,
            });
        }
        // Whether body bytes are still to come (a reply sent before them needs a drain).
        let pending = length > already.len() as u64;
        if length > limits.max_body {
            return Ok(Exchange {
                line,
                response: too_large(length, limits.max_body),
                unread: pending,
            });
        }
        let admission =
            match catch_unwind(AssertUnwindSafe(|| self.handler.admit(&head, peer, limits))) {
                Ok(admission) => admission,
                Err(_) => {
                    log::error!("{}: {peer}: handler failed on {line}", self.name);
                    let response = Response::error(500, "internal server error");
                    return Ok(Exchange {
                        line,
                        response,
                        unread: pending,
                    });
                }
            };
        let (limit, stream) = match admission {
            Admission::Refuse(response) => {
                return Ok(Exchange {
                    line,
                    response,
                    unread: pending,
                })
            }
            Admission::Memory { limit } => (limit.min(limits.max_body), None),
            Admission::Stream(take_body) => (limits.max_body, Some(take_body)),
        };
        if length > limit {
            return Ok(Exchange {
                line,
                response: too_large(length, limit),
                unread: pending,
            });
        }
        // curl sends `Expect: 100-continue` before a large body and waits a second for
        // this go-ahead (RFC 9110 §10.1.1); answering at once saves that second.
        let expects_continue = head
            .headers
            .get("expect")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("100-continue"));
        if expects_continue && pending && already.is_empty() {
            if let Err(e) = conn
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .and_then(|()| conn.flush())
            {
                return Err((line, e.into()));
            }
        }
        conn.timed()
            .set_min_rate(limits.body_grace, limits.body_min_rate);
        let body_started = Instant::now();
        let (response, unread) = match stream {
            None => {
                let body = match http::read_body(conn, already, length) {
                    Ok(body) => body,
                    Err(e) => return reply_to_error(line, e, true),
                };
                let request = Request::new(head, body);
                let response = self.guarded(peer, &line, || self.handler.handle(request, peer));
                (response, false)
            }
            Some(take_body) => {
                let mut body = Counted {
                    inner: http::body_reader(conn, already, length),
                    left: length,
                };
                let response = self.guarded(peer, &line, || take_body(&mut body));
                (response, body.left > 0)
            }
        };
        if length > 0 {
            log::debug!(
                "{}: {line}: body of {length} bytes taken and answered in {} ms",
                self.name,
                body_started.elapsed().as_millis()
            );
        }
        Ok(Exchange {
            line,
            response,
            unread,
        })
    }

    /// Runs a handler, turning a panic into a 500 reply and a log line.
    fn guarded(&self, peer: SocketAddr, line: &str, f: impl FnOnce() -> Response) -> Response {
        catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
            log::error!("{}: {peer}: handler failed on {line}", self.name);
            Response::error(500, "internal server error")
        })
    }
}

/// A request that could not be read: the reply that says why (408, 413, 431, 400), or
/// `Err` when the peer is gone.
fn reply_to_error(
    line: String,
    e: HttpError,
    unread: bool,
) -> Result<Exchange, (String, HttpError)> {
    match e.status() {
        Some(status) => {
            let message = match &e {
                HttpError::TimedOut => "the request took too long to arrive".to_string(),
                other => other.to_string(),
            };
            Ok(Exchange {
                line,
                response: Response::error(status, &message),
                unread,
            })
        }
        None => Err((line, e)),
    }
}

/// A body reader that remembers how much of the body is left unread.
struct Counted<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
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
