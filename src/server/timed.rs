//! [`TimedStream`]: a TCP stream whose reads and writes must finish by a deadline (a
//! total, not per read) or move at a minimum rate, so no client holds a worker longer
//! than the [`Limits`](super::Limits) allow.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

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
