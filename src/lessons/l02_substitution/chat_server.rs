//! The chat server: a relay that stores and forwards ciphertext, and logs it, without
//! ever holding the key.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{SubstitutionError, MAX_MESSAGE_BYTES};
use crate::http::{Request, Response};
use crate::server::{Handler, Limits, Server, Transport};

/// One line of the chat log: `timestamp|[CLIENT ip:port]ciphertext`, the timestamp in
/// RFC 3339 (UTC, milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// When the relay received the message (RFC 3339).
    pub timestamp: String,
    /// Who sent it, `ip:port` as the relay saw it.
    pub peer: String,
    /// The message as it crossed the wire: encrypted `NAME: message`.
    pub ciphertext: String,
}

impl LogLine {
    /// Parses one log line; `None` when it does not have the log's shape.
    pub fn parse(line: &str) -> Option<LogLine> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let (timestamp, rest) = line.split_once('|')?;
        chrono::DateTime::parse_from_rfc3339(timestamp).ok()?;
        let (peer, ciphertext) = rest.strip_prefix("[CLIENT ")?.split_once(']')?;
        Some(LogLine {
            timestamp: timestamp.to_string(),
            peer: peer.to_string(),
            ciphertext: ciphertext.to_string(),
        })
    }
}

impl std::fmt::Display for LogLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}|[CLIENT {}]{}",
            self.timestamp, self.peer, self.ciphertext
        )
    }
}

/// Parses a whole chat log: `Some` when it has at least one line and every non-empty
/// line has the log's shape, so ordinary text is never mistaken for a log.
pub fn parse_chat_log(text: &str) -> Option<Vec<LogLine>> {
    let lines: Option<Vec<LogLine>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(LogLine::parse)
        .collect();
    lines.filter(|l| !l.is_empty())
}

/// What the relay holds: the last [`KEPT_MESSAGES`](super::KEPT_MESSAGES) ciphertexts and the log file.
struct Room {
    /// Messages `next - kept.len()` to `next - 1`.
    kept: VecDeque<String>,
    /// The index the next message gets (0 for the first).
    next: u64,
    log: Option<(PathBuf, File)>,
}

impl Room {
    fn first(&self) -> u64 {
        self.next - self.kept.len() as u64
    }
}

/// The chat relay's state and its [`Handler`]: it stores and forwards ciphertext lines,
/// appends each to the log file, and never sees a key or a plaintext.
///
/// The protocol (plain HTTP, one request per connection):
///
/// - `POST /send?since=N`, body: one line of ciphertext (UTF-8, no control characters,
///   at most [`MAX_MESSAGE_BYTES`]); reply 200 with every message from index `N` on
///   (the sender's own included), its index in `X-Message-Index`; 400 for an empty or
///   multi-line body, 413 when too large.
/// - `GET /messages?since=N`: reply 200 with every message from index `N` on.
///
/// A 200 reply is `text/plain`, one ciphertext per line; `X-First-Index` is the index of
/// the first line and `X-Next-Index` the `since` to send next time. A client that asks
/// for messages no longer kept gets the oldest kept ones; one that asks for the future
/// (the relay restarted) gets everything kept.
pub struct ChatRoom {
    room: Mutex<Room>,
    keep: usize,
}

impl ChatRoom {
    /// A relay keeping at most `keep` (at least 1) messages in memory and appending every
    /// message to the file `log` (created when missing) when given.
    ///
    /// Errors: [`SubstitutionError::Log`] when the log file cannot be opened for appending.
    pub fn new(log: Option<&Path>, keep: usize) -> Result<ChatRoom, SubstitutionError> {
        let log = match log {
            Some(path) => {
                let file = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|source| SubstitutionError::Log {
                        path: path.to_path_buf(),
                        source,
                    })?;
                Some((path.to_path_buf(), file))
            }
            None => None,
        };
        Ok(ChatRoom {
            room: Mutex::new(Room {
                kept: VecDeque::new(),
                next: 0,
                log,
            }),
            keep: keep.max(1),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Room> {
        // A panic elsewhere cannot leave a half-written Room (every change is one push
        // or pop), so a poisoned lock is safe to keep using.
        self.room.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores a ciphertext line from `peer`: logs it, keeps it, returns its index.
    fn post(&self, ciphertext: &str, peer: SocketAddr) -> u64 {
        let mut room = self.lock();
        let index = room.next;
        let line = LogLine {
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            peer: peer.to_string(),
            ciphertext: ciphertext.to_string(),
        };
        if let Some((path, file)) = &mut room.log {
            // A full disk must not silence the chat: the relay goes on and says so.
            if let Err(e) = writeln!(file, "{line}").and_then(|()| file.flush()) {
                log::error!("chat: cannot append to {}: {e}", path.display());
            }
        }
        room.kept.push_back(line.ciphertext);
        while room.kept.len() > self.keep {
            room.kept.pop_front();
        }
        room.next += 1;
        log::info!("chat: message #{index} from {peer}: {ciphertext:?}");
        index
    }

    /// The reply carrying every kept message from index `since` on.
    fn since(&self, since: u64) -> Response {
        let room = self.lock();
        let first = room.first();
        let from = if since > room.next {
            first
        } else {
            since.max(first)
        };
        // `from - first` is below kept.len(), which is a usize.
        let skip = usize::try_from(from - first).unwrap_or(usize::MAX);
        let lines: Vec<&str> = room.kept.iter().skip(skip).map(String::as_str).collect();
        Response::text(200, &lines.join("\n"))
            .header("X-First-Index", &from.to_string())
            .header("X-Next-Index", &room.next.to_string())
    }

    fn send(&self, request: &Request, peer: SocketAddr) -> Response {
        let since = match since_of(&request.target) {
            Ok(n) => n,
            Err(message) => return Response::error(400, &message),
        };
        if request.body.len() > MAX_MESSAGE_BYTES {
            return Response::error(
                413,
                &format!("a message is at most {MAX_MESSAGE_BYTES} bytes"),
            );
        }
        let Ok(text) = std::str::from_utf8(&request.body) else {
            return Response::error(400, "the message is not UTF-8 text");
        };
        if text.is_empty() {
            return Response::error(400, "the message is empty");
        }
        if text.chars().any(char::is_control) {
            // One message, one log line: a newline would forge a second log entry.
            return Response::error(400, "a message is one line without control characters");
        }
        let index = self.post(text, peer);
        self.since(since)
            .header("X-Message-Index", &index.to_string())
    }
}

/// The `since` query parameter of `target`: 0 when absent.
fn since_of(target: &str) -> Result<u64, String> {
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    for pair in query.split('&') {
        if let Some(value) = pair.strip_prefix("since=") {
            return value
                .parse()
                .map_err(|_| format!("since must be a message index, not {value:?}"));
        }
    }
    Ok(0)
}

impl Handler for ChatRoom {
    fn handle(&self, request: Request, peer: SocketAddr) -> Response {
        match (request.method.as_str(), request.path()) {
            ("POST", "/send") => self.send(&request, peer),
            ("GET", "/messages") => match since_of(&request.target) {
                Ok(since) => self.since(since),
                Err(message) => Response::error(400, &message),
            },
            ("GET", "/") => Response::text(
                200,
                "The Secret Squirrels' chat relay: POST /send?since=N (body: one encrypted line), \
                 GET /messages?since=N. It never sees a key.\n",
            ),
            (_, "/send") => Response::error(405, "send messages with POST").header("Allow", "POST"),
            (_, "/messages") | (_, "/") => {
                Response::error(405, "read with GET").header("Allow", "GET")
            }
            _ => Response::error(404, "the chat lives at /send and /messages"),
        }
    }

    fn routine(&self, request_line: &str, status: u16) -> bool {
        // Every member polls every second, and each message has its own log line
        // (`post`): the request lines would only drown it.
        status == 200
            && (request_line.starts_with("GET /messages") || request_line.starts_with("POST /send"))
    }
}

/// Workers of the chat relay: clients poll every second, so a few loops keep one slow
/// client from holding up the others (see `server::Server::workers`).
pub const CHAT_WORKERS: usize = 4;

/// The chat relay on `listener`: plain HTTP (everything on the wire is readable — but
/// encrypted), [`CHAT_WORKERS`] workers, bodies limited to [`MAX_MESSAGE_BYTES`]. Each
/// message is logged at info level; the requests themselves (a poll per client per
/// second) only at debug (see [`ChatRoom`]'s `routine`).
/// Start it with `Server::run` (forever) or `Server::spawn` (in the background).
pub fn chat_server(listener: TcpListener, room: Arc<ChatRoom>) -> Server {
    let limits = Limits {
        max_body: MAX_MESSAGE_BYTES as u64,
        ..Limits::default()
    };
    Server::new("chat", listener, Transport::Plain, room)
        .limits(limits)
        .workers(CHAT_WORKERS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_read_from_the_query() {
        assert_eq!(since_of("/messages"), Ok(0));
        assert_eq!(since_of("/messages?since=12"), Ok(12));
        assert_eq!(since_of("/send?x=1&since=3"), Ok(3));
        assert!(since_of("/send?since=-1").is_err());
    }
}
