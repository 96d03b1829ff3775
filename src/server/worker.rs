//! A worker: one blocking loop that takes ready connections from the gate and serves
//! each through its phases (handshake, head, body, reply), every one with its deadline.

use super::*;

pub(super) struct Worker {
    pub(super) ready: Arc<Mutex<Receiver<Waiting>>>,
    pub(super) back: Sender<Back>,
    pub(super) wake: UnixStream,
    pub(super) transport: Arc<Transport>,
    pub(super) limits: Limits,
    pub(super) handler: Arc<dyn Handler>,
    pub(super) name: String,
}

/// What became of one request.
pub(super) struct Exchange {
    /// The request line, fit for a log.
    pub(super) line: String,
    pub(super) response: Response,
    /// Whether body bytes may still be in flight (the reply came before the whole body).
    pub(super) unread: bool,
}

impl Worker {
    pub(super) fn run(self) {
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
pub(super) fn reply_to_error(
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
pub(super) struct Counted<R> {
    pub(super) inner: R,
    pub(super) left: u64,
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
pub(super) fn linger(timed: &mut TimedStream) {
    let _ = timed.tcp().shutdown(Shutdown::Write);
    timed.set_deadline(Instant::now() + Duration::from_secs(1));
    let _ = io::copy(&mut timed.take(64 * 1024), &mut io::sink());
}

/// After an error reply to a request that was not read whole, reads (and drops) what the
/// client is still sending, for 2 s or 8 MiB at most, so that dropping the socket does
/// not reset the connection before the client has read the reply. Our side is already
/// shut for writing, so a client that has read the reply closes and ends this early.
pub(super) fn drain(conn: &mut dyn Connection) {
    const MAX_BYTES: u64 = 8 * 1024 * 1024;
    conn.timed()
        .set_deadline(Instant::now() + Duration::from_secs(2));
    let _ = io::copy(&mut conn.take(MAX_BYTES), &mut io::sink());
}
