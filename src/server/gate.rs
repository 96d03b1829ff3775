//! The gate: the one thread that accepts connections and holds each, with `poll(2)`,
//! until its first bytes arrive, so an idle connection holds no worker (phase 0 of the
//! module doc of [`super`]).

use super::*;

/// Connections the gate holds before the first bytes arrive, at most; past it, the
/// longest-waiting one is closed (an idle connection costs a file descriptor, and the
/// usual limit is 1024 per process).
pub(super) const MAX_WAITING: usize = 512;

/// Connections one address may have waiting in the gate, at most; past it, its new
/// connections are closed at once, so one client cannot push everyone else out.
pub(super) const MAX_WAITING_PER_ADDRESS: usize = 128;

/// A connection not yet handed to a worker.
pub(super) struct Waiting {
    pub(super) conn: Pending,
    pub(super) fd: RawFd,
    pub(super) peer: SocketAddr,
    /// When it is closed if nothing has arrived by then.
    pub(super) deadline: Instant,
}

pub(super) enum Pending {
    /// Accepted; nothing read yet.
    Fresh(TcpStream),
    /// TLS handshake done; the request head has not started (its deadline is set).
    Handshaken(Box<dyn Connection>),
}

/// What a worker tells the gate.
pub(super) enum Back {
    /// Hold this connection until its request starts.
    Wait(Waiting),
    /// A connection from this address is done with its worker.
    Done(IpAddr),
}

/// The thread that accepts connections and holds them until their first bytes arrive.
pub(super) struct Gate {
    pub(super) listener: TcpListener,
    pub(super) wake: UnixStream,
    pub(super) back: Receiver<Back>,
    pub(super) ready: Sender<Waiting>,
    pub(super) stop: Arc<AtomicBool>,
    pub(super) limits: Limits,
    pub(super) name: String,
    /// Watched with poll(2), oldest first.
    pub(super) waiting: Vec<Waiting>,
    /// Ready, but their address already has its share of workers.
    pub(super) deferred: HashMap<IpAddr, VecDeque<Waiting>>,
    /// Connections per address handed to workers (queued or being served).
    pub(super) active: HashMap<IpAddr, usize>,
}

impl Gate {
    pub(super) fn run(mut self) {
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
pub(super) fn poll(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> io::Result<usize> {
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
pub(super) fn readable_now(fd: RawFd) -> bool {
    let mut fds = [libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }];
    poll(&mut fds, Some(Duration::ZERO)).is_ok_and(|n| n > 0)
}

/// Tells the gate, however the connection ends (a panic included), that the address
/// has one worker fewer.
pub(super) struct Release<'a> {
    pub(super) back: &'a Sender<Back>,
    pub(super) wake: &'a UnixStream,
    pub(super) ip: IpAddr,
}

impl Drop for Release<'_> {
    fn drop(&mut self) {
        if self.back.send(Back::Done(self.ip)).is_ok() {
            let _ = (&*self.wake).write(&[1]);
        }
    }
}
