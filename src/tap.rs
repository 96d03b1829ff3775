//! A tap: a relay between a client and a server that forwards every byte both ways and
//! keeps a copy, so we can show — and tests can assert — what an eavesdropper on the
//! path sees at each stage (`fluffy tail` in clear at lesson 01, only TLS records at 06).
//!
//! Point the client at the tap's address instead of the server's. One thread accepts;
//! each connection gets two copying threads, one per direction. This is tooling, not a
//! server: it has no limits, and it binds loopback in tests.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

/// Which way bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the client to the server.
    ToServer,
    /// From the server to the client.
    ToClient,
}

/// One read's worth of bytes passing through the tap.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Which connection (0, 1, … in accept order).
    pub connection: usize,
    /// Which way.
    pub direction: Direction,
    /// When the tap read it.
    pub at: SystemTime,
    /// The bytes, exactly as they crossed.
    pub bytes: Vec<u8>,
}

/// A running tap; dropping it stops accepting (connections in progress finish).
pub struct Tap {
    addr: SocketAddr,
    segments: Arc<Mutex<Vec<Segment>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Tap {
    /// Listens on `listen` (e.g. `127.0.0.1:0`) and relays each connection to `target`.
    pub fn start(listen: &str, target: SocketAddr) -> io::Result<Tap> {
        let listener = TcpListener::bind(listen)?;
        let addr = listener.local_addr()?;
        let segments = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let segments = Arc::clone(&segments);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("tap-accept".into())
                .spawn(move || accept_loop(listener, target, segments, stop))?
        };
        Ok(Tap {
            addr,
            segments,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// The address clients should connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Everything captured so far, in the order the tap read it.
    pub fn segments(&self) -> Vec<Segment> {
        self.segments.lock().map(|s| s.clone()).unwrap_or_default()
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
        [Direction::ToServer, Direction::ToClient].iter().any(|d| {
            let bytes = self.bytes(*d);
            !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle)
        })
    }
}

impl Drop for Tap {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.acceptor.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    target: SocketAddr,
    segments: Arc<Mutex<Vec<Segment>>>,
    stop: Arc<AtomicBool>,
) {
    let mut connection = 0;
    for client in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(client) = client else { continue };
        let server = match TcpStream::connect_timeout(&target, Duration::from_secs(5)) {
            Ok(server) => server,
            Err(e) => {
                log::warn!("tap: cannot reach {target}: {e}");
                continue;
            }
        };
        let pairs = client
            .try_clone()
            .and_then(|c| Ok((c, server.try_clone()?)));
        let Ok((client_writer, server_writer)) = pairs else {
            continue;
        };
        spawn_copy(
            client,
            server_writer,
            connection,
            Direction::ToServer,
            Arc::clone(&segments),
        );
        spawn_copy(
            server,
            client_writer,
            connection,
            Direction::ToClient,
            Arc::clone(&segments),
        );
        connection += 1;
    }
}

fn spawn_copy(
    mut from: TcpStream,
    mut to: TcpStream,
    connection: usize,
    direction: Direction,
    segments: Arc<Mutex<Vec<Segment>>>,
) {
    let _ = std::thread::Builder::new()
        .name("tap-copy".into())
        .spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match from.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                if let Ok(mut s) = segments.lock() {
                    s.push(Segment {
                        connection,
                        direction,
                        at: SystemTime::now(),
                        bytes: buf[..n].to_vec(),
                    });
                }
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            // Pass the end of the stream on, so the other side sees it too.
            let _ = to.shutdown(Shutdown::Write);
        });
}
