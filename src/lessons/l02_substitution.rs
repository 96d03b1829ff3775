//! Lesson 02 — a substitution cipher.
//!
//! The Secret Squirrels stop sending `fluffy tail` in clear text: each letter moves one
//! place back in the alphabet, so the wire carries `ekteex szhk`. Their chat relay stores
//! and forwards only such ciphertext — it has no key. It looks safe, and it is a TOY: there
//! are only 26 keys to try, and letter frequencies give the key away without trying any.
//!
//! In the order the lesson text tells it: the cipher, the chat server, the chat client,
//! and the eavesdropper who breaks it all by frequency analysis.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::http::{self, HttpError, Request, Response, Url};
use crate::lessons::{LessonError, MAX_REPLY};
use crate::net;
use crate::server::{Handler, Limits, Server, Transport};

/// Letters in the alphabet the cipher shifts: `A`–`Z` and `a`–`z`.
pub const ALPHABET_LEN: u8 = 26;

/// The tutorial's key: each letter moves one place back (`f` → `e`).
pub const TUTORIAL_SHIFT: i64 = 1;

/// Largest chat message, in bytes of ciphertext (`NAME: message`). Over it: 413.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024;

/// Messages the relay keeps in memory for clients that poll; the log file keeps all.
pub const KEPT_MESSAGES: usize = 1000;

/// Fewest letters frequency analysis needs before its answer deserves trust.
pub const MIN_LETTERS: u64 = 20;

/// Why a lesson 02 step failed.
#[derive(Debug, thiserror::Error)]
pub enum SubstitutionError {
    /// Connecting to the relay, or its reply, failed (the text says how).
    #[error(transparent)]
    Lesson(#[from] LessonError),
    /// The chat log could not be opened or written.
    #[error("cannot append to the chat log {path}: {source}")]
    Log {
        /// The log file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The encrypted message is larger than [`MAX_MESSAGE_BYTES`].
    #[error("the message is {length} bytes once encrypted; the chat takes at most {limit}")]
    TooLong {
        /// Its length in bytes.
        length: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A name or message that cannot travel as one line of text.
    #[error("{0}")]
    BadText(String),
    /// The relay's reply does not have the shape this client expects.
    #[error("the chat server's reply makes no sense: {0}")]
    BadReply(String),
    /// Frequency analysis needs at least one letter.
    #[error("the text has no letters A–Z to analyse")]
    NoLetters,
}

// ---------------------------------------------------------------------------------------
// The cipher
// ---------------------------------------------------------------------------------------

/// Accented letters as (accent, precomposed letters, their base letters, in the same
/// order): every letter of Latin-1 Supplement and Latin Extended-A (U+00C0–U+017F) whose
/// Unicode canonical decomposition (NFD) is one ASCII letter plus one combining mark.
/// Letters with no such decomposition (ß, æ, ø, ł, đ, ı, ŀ …) pass unchanged.
const ACCENTED: &[(&str, &str, &str)] = &[
    ("grave accent", "ÀÈÌÒÙàèìòù", "AEIOUaeiou"),
    (
        "acute accent",
        "ÁÉÍÓÚÝáéíóúýĆćĹĺŃńŔŕŚśŹź",
        "AEIOUYaeiouyCcLlNnRrSsZz",
    ),
    (
        "circumflex accent",
        "ÂÊÎÔÛâêîôûĈĉĜĝĤĥĴĵŜŝŴŵŶŷ",
        "AEIOUaeiouCcGgHhJjSsWwYy",
    ),
    ("tilde", "ÃÑÕãñõĨĩŨũ", "ANOanoIiUu"),
    ("diaeresis", "ÄËÏÖÜäëïöüÿŸ", "AEIOUaeiouyY"),
    ("ring above", "ÅåŮů", "AaUu"),
    ("cedilla", "ÇçĢģĶķĻļŅņŖŗŞşŢţ", "CcGgKkLlNnRrSsTt"),
    ("macron", "ĀāĒēĪīŌōŪū", "AaEeIiOoUu"),
    ("breve", "ĂăĔĕĞğĬĭŎŏŬŭ", "AaEeGgIiOoUu"),
    ("ogonek", "ĄąĘęĮįŲų", "AaEeIiUu"),
    ("dot above", "ĊċĖėĠġİŻż", "CcEeGgIZz"),
    ("caron", "ČčĎďĚěĽľŇňŘřŠšŤťŽž", "CcDdEeLlNnRrSsTtZz"),
    ("double acute accent", "ŐőŰű", "OoUu"),
];

/// `c` as (row of [`ACCENTED`], base letter), when it is an accented letter we know.
fn decompose(c: char) -> Option<(usize, char)> {
    if !('\u{C0}'..='\u{17F}').contains(&c) {
        return None;
    }
    ACCENTED
        .iter()
        .enumerate()
        .find_map(|(row, (_, letters, bases))| {
            let at = letters.chars().position(|l| l == c)?;
            Some((row, bases.chars().nth(at)?))
        })
}

/// The letter `base` with the accent of row `row` of [`ACCENTED`], if Unicode has it.
fn compose(row: usize, base: char) -> Option<char> {
    let (_, letters, bases) = ACCENTED.get(row)?;
    let at = bases.chars().position(|b| b == base)?;
    letters.chars().nth(at)
}

/// Moves an ASCII letter `back` places back in its alphabet, keeping its case.
fn shift_ascii(c: char, back: u8) -> char {
    let first = if c.is_ascii_uppercase() { b'A' } else { b'a' };
    let offset = (c as u8 - first + ALPHABET_LEN - back % ALPHABET_LEN) % ALPHABET_LEN;
    (first + offset) as char
}

/// Moves every letter `back` places back (0 ≤ `back` < 26); see [`encrypt`].
fn shift_text(text: &str, back: u8) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                return shift_ascii(c, back);
            }
            let Some((row, base)) = decompose(c) else {
                return c;
            };
            // Cycle walking: step the base letter back until we reach one that carries
            // this accent (é, shift 1: d has no acute, c does → ć). The steps form a cycle
            // through the alphabet, so the walk always ends — at the latest back at the
            // letter itself — and walking forward undoes it exactly.
            let mut walked = base;
            for _ in 0..ALPHABET_LEN {
                walked = shift_ascii(walked, back);
                if let Some(accented) = compose(row, walked) {
                    return accented;
                }
            }
            c
        })
        .collect()
}

/// `shift` as a number of places back, 0 to 25 (negative shifts move forward).
fn places_back(shift: i64) -> u8 {
    // rem_euclid of 26 is always in 0..26, so the cast cannot truncate.
    shift.rem_euclid(i64::from(ALPHABET_LEN)) as u8
}

/// Encrypts with the shift (Caesar) cipher: each letter moves `shift` places *back*, as
/// the tutorial's key 1 does (A→Z, B→A: `fluffy tail` → `ekteex szhk`).
///
/// Case is kept; digits, punctuation, spaces, emoji and every other character pass
/// unchanged. An accented letter keeps its accent and moves to the next letter back that
/// Unicode writes with the same accent (é with shift 1 → ć), so [`decrypt`] always undoes
/// `encrypt` exactly. `shift` counts modulo 26; negative values move forward. A TOY: see
/// [`crack`].
pub fn encrypt(text: &str, shift: i64) -> String {
    shift_text(text, places_back(shift))
}

/// Decrypts what [`encrypt`] made with the same `shift`: every letter moves forward.
pub fn decrypt(text: &str, shift: i64) -> String {
    shift_text(text, (ALPHABET_LEN - places_back(shift)) % ALPHABET_LEN)
}

// ---------------------------------------------------------------------------------------
// The chat server: a relay that never sees plaintext
// ---------------------------------------------------------------------------------------

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

/// What the relay holds: the last [`KEPT_MESSAGES`] ciphertexts and the log file.
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

// ---------------------------------------------------------------------------------------
// The chat client: encrypts before sending, decrypts what arrives
// ---------------------------------------------------------------------------------------

/// A message as the client received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Its index on the relay (0 for the first message).
    pub index: u64,
    /// What crossed the wire.
    pub ciphertext: String,
    /// What this client's shift makes of it: `NAME: message` when the sender used the
    /// same shift, gibberish otherwise.
    pub plaintext: String,
}

/// A chat member: a name, a shift (the shared key) and the relay's URL.
///
/// Each call is one HTTP request on a fresh connection. The client remembers the index
/// of the next message it has not seen, so every reply brings exactly what is new.
#[derive(Debug, Clone)]
pub struct ChatClient {
    url: Url,
    name: String,
    shift: i64,
    next: u64,
    timeout: Duration,
}

impl ChatClient {
    /// A member called `name` (one line, not empty) using `shift`, talking to the relay
    /// at `url` (`http://host:port`), waiting at most `timeout` for each step.
    ///
    /// Errors: [`SubstitutionError::BadText`] for an empty or multi-line name.
    pub fn new(
        url: Url,
        name: &str,
        shift: i64,
        timeout: Duration,
    ) -> Result<ChatClient, SubstitutionError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(SubstitutionError::BadText(
                "the name must be one line of text, not empty".into(),
            ));
        }
        Ok(ChatClient {
            url,
            name: name.to_string(),
            shift,
            next: 0,
            timeout,
        })
    }

    /// The member's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Encrypts `NAME: message`, sends it, and returns every message that arrived since
    /// the last call, except this one.
    ///
    /// Errors: [`SubstitutionError::BadText`] (control characters),
    /// [`SubstitutionError::TooLong`], and the connection and reply errors.
    pub fn send(&mut self, message: &str) -> Result<Vec<Received>, SubstitutionError> {
        if message.chars().any(char::is_control) {
            return Err(SubstitutionError::BadText(
                "a message is one line without control characters".into(),
            ));
        }
        let ciphertext = encrypt(&format!("{}: {message}", self.name), self.shift);
        if ciphertext.len() > MAX_MESSAGE_BYTES {
            return Err(SubstitutionError::TooLong {
                length: ciphertext.len(),
                limit: MAX_MESSAGE_BYTES,
            });
        }
        let target = format!("/send?since={}", self.next);
        let response = self.exchange("POST", &target, ciphertext.as_bytes())?;
        let own = header_number(&response, "X-Message-Index")?;
        let received = self.take(&response)?;
        Ok(received.into_iter().filter(|r| r.index != own).collect())
    }

    /// Asks for every message that arrived since the last call.
    ///
    /// Errors: the connection and reply errors.
    pub fn poll(&mut self) -> Result<Vec<Received>, SubstitutionError> {
        let target = format!("/messages?since={}", self.next);
        let response = self.exchange("GET", &target, b"")?;
        self.take(&response)
    }

    /// One request on a fresh connection; a non-200 status is an error.
    fn exchange(
        &self,
        method: &str,
        target: &str,
        body: &[u8],
    ) -> Result<Response, SubstitutionError> {
        let mut tcp = net::connect(&self.url.host, self.url.port, self.timeout)
            .map_err(LessonError::Connect)?;
        let headers = [("Content-Type", "text/plain; charset=utf-8")];
        let headers: &[(&str, &str)] = if body.is_empty() { &[] } else { &headers };
        http::write_request(
            &mut tcp,
            method,
            target,
            Some(&self.url.host_header()),
            headers,
            body,
        )
        .map_err(|e| LessonError::reply(HttpError::from(e)))?;
        let response = http::read_response(&mut tcp, MAX_REPLY).map_err(LessonError::reply)?;
        if response.status != 200 {
            let why = match response.message() {
                Some(message) => format!("{response}: {message}"),
                None => response.to_string(),
            };
            return Err(LessonError::Status(why).into());
        }
        Ok(response)
    }

    /// Decrypts the lines of a 200 reply and moves `next` past them.
    fn take(&mut self, response: &Response) -> Result<Vec<Received>, SubstitutionError> {
        let first = header_number(response, "X-First-Index")?;
        let next = header_number(response, "X-Next-Index")?;
        let body = std::str::from_utf8(&response.body)
            .map_err(|_| SubstitutionError::BadReply("the body is not UTF-8".into()))?;
        let lines: Vec<&str> = if body.is_empty() {
            Vec::new()
        } else {
            body.split('\n').collect()
        };
        if first.checked_add(lines.len() as u64) != Some(next) {
            return Err(SubstitutionError::BadReply(format!(
                "{} lines for messages {first} to {next}",
                lines.len()
            )));
        }
        self.next = next;
        Ok((first..)
            .zip(lines)
            .map(|(index, ciphertext)| Received {
                index,
                ciphertext: ciphertext.to_string(),
                plaintext: decrypt(ciphertext, self.shift),
            })
            .collect())
    }
}

fn header_number(response: &Response, name: &str) -> Result<u64, SubstitutionError> {
    let value = response
        .headers
        .get(name)
        .ok_or_else(|| SubstitutionError::BadReply(format!("no {name} header")))?;
    value
        .trim()
        .parse()
        .map_err(|_| SubstitutionError::BadReply(format!("{name} is not a number: {value:?}")))
}

// ---------------------------------------------------------------------------------------
// The eavesdropper: frequency analysis
// ---------------------------------------------------------------------------------------

/// A language whose letter frequencies we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English.
    English,
    /// French.
    French,
}

/// English letter frequencies A–Z, percent of letters in texts: Robert Lewand,
/// *Cryptological Mathematics* (MAA, 2000), p. 36, as tabled in Wikipedia's "Letter
/// frequency" article.
const ENGLISH: [f64; 26] = [
    8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4, 6.7, 7.5, 1.9, 0.095, 6.0,
    6.3, 9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.074,
];

/// French letter frequencies A–Z (unaccented forms; accented letters are counted apart
/// there and ignored here), percent: Wikipedia, "Letter frequency", table "Relative
/// frequencies of letters in other languages", French column.
const FRENCH: [f64; 26] = [
    7.636, 0.901, 3.260, 3.669, 14.715, 1.066, 0.866, 0.737, 7.529, 0.545, 0.049, 5.456, 2.968,
    7.095, 5.378, 3.021, 1.362, 6.553, 7.948, 7.244, 6.311, 1.628, 0.114, 0.387, 0.308, 0.136,
];

impl Language {
    /// Every language we know, in the order `auto` tries them.
    pub const ALL: [Language; 2] = [Language::English, Language::French];

    /// The language's name in English, e.g. `French`.
    pub fn name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::French => "French",
        }
    }

    /// Relative frequencies of A–Z in percent (they sum to about 100; see the sources on
    /// the tables).
    pub fn frequencies(self) -> &'static [f64; 26] {
        match self {
            Language::English => &ENGLISH,
            Language::French => &FRENCH,
        }
    }
}

/// How often each letter A–Z occurs in `text`, case folded. Accented letters are not
/// counted: the cipher moves them by more than the shift.
pub fn letter_counts(text: &str) -> [u64; 26] {
    let mut counts = [0u64; 26];
    for b in text.bytes().filter(u8::is_ascii_alphabetic) {
        counts[usize::from(b.to_ascii_lowercase() - b'a')] += 1;
    }
    counts
}

/// Pearson's chi-squared statistic of the letters `counts` of a ciphertext, decrypted
/// with `shift`, against `language`: Σ (observed − expected)² / expected over A–Z. Lower
/// is closer; it grows with the number of letters, so compare scores of one text only.
/// No letters at all score 0.
pub fn chi_squared(counts: &[u64; 26], shift: u8, language: Language) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let frequencies = language.frequencies();
    let sum: f64 = frequencies.iter().sum();
    (0..26)
        .map(|plain| {
            // Encryption moved each letter `shift` back, so plain letter p shows as p − shift.
            let cipher = (plain + 26 - usize::from(shift % ALPHABET_LEN)) % 26;
            let observed = counts[cipher] as f64;
            let expected = total as f64 * frequencies[plain] / sum;
            (observed - expected).powi(2) / expected
        })
        .sum()
}

/// One candidate key and how well it fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// The shift, 0 to 25.
    pub shift: u8,
    /// The language the decryption was compared with.
    pub language: Language,
    /// Its [`chi_squared`] score: lower is better.
    pub chi_squared: f64,
}

/// The result of [`crack`].
#[derive(Debug, Clone, PartialEq)]
pub struct Crack {
    /// The best-fitting shift and language.
    pub best: Guess,
    /// All 26 shifts, best first, each with the language it fits best.
    pub ranking: Vec<Guess>,
    /// Letters A–Z counted.
    pub letters: u64,
    /// The text decrypted with the best shift.
    pub plaintext: String,
}

impl Crack {
    /// Whether there were enough letters ([`MIN_LETTERS`]) to trust the answer.
    pub fn is_sure(&self) -> bool {
        self.letters >= MIN_LETTERS
    }

    /// The best guess with another shift: the further its score from `best`'s, the
    /// clearer the answer.
    pub fn runner_up(&self) -> Option<&Guess> {
        self.ranking.get(1)
    }
}

/// Finds the shift of a ciphertext without the key: tries all 26 shifts, scores each
/// decryption's letter counts against `language`'s frequencies (both languages when
/// `None`: "auto") with [`chi_squared`], and keeps the lowest.
///
/// Errors: [`SubstitutionError::NoLetters`] when the text has no letter A–Z.
pub fn crack(ciphertext: &str, language: Option<Language>) -> Result<Crack, SubstitutionError> {
    let counts = letter_counts(ciphertext);
    let letters: u64 = counts.iter().sum();
    if letters == 0 {
        return Err(SubstitutionError::NoLetters);
    }
    let languages: &[Language] = match &language {
        Some(one) => std::slice::from_ref(one),
        None => &Language::ALL,
    };
    let mut guesses: Vec<Guess> = languages
        .iter()
        .flat_map(|&language| {
            (0..ALPHABET_LEN).map(move |shift| Guess {
                shift,
                language,
                chi_squared: chi_squared(&counts, shift, language),
            })
        })
        .collect();
    guesses.sort_by(|a, b| a.chi_squared.total_cmp(&b.chi_squared));
    // Keep each shift once, with the language it fits best.
    let mut ranking: Vec<Guess> = Vec::with_capacity(usize::from(ALPHABET_LEN));
    for guess in guesses {
        if !ranking.iter().any(|g| g.shift == guess.shift) {
            ranking.push(guess);
        }
    }
    let best = *ranking.first().ok_or(SubstitutionError::NoLetters)?;
    Ok(Crack {
        best,
        ranking,
        letters,
        plaintext: decrypt(ciphertext, i64::from(best.shift)),
    })
}

/// A chat log cracked: the key found from all messages together, and each line decrypted.
#[derive(Debug, Clone, PartialEq)]
pub struct CrackedLog {
    /// The analysis of all ciphertexts joined.
    pub crack: Crack,
    /// Each log line with its decryption, in log order.
    pub lines: Vec<(LogLine, String)>,
}

/// Cracks the ciphertexts of a chat log together (one key for the whole club, so their
/// letters add up) and decrypts each line.
///
/// Errors: [`SubstitutionError::NoLetters`] when no message has a letter.
pub fn crack_chat_log(
    lines: &[LogLine],
    language: Option<Language>,
) -> Result<CrackedLog, SubstitutionError> {
    let joined: Vec<&str> = lines.iter().map(|l| l.ciphertext.as_str()).collect();
    let crack = crack(&joined.join("\n"), language)?;
    let shift = i64::from(crack.best.shift);
    let lines = lines
        .iter()
        .map(|l| (l.clone(), decrypt(&l.ciphertext, shift)))
        .collect();
    Ok(CrackedLog { crack, lines })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accent_table_rows_pair_each_letter_with_an_ascii_base() {
        for (name, letters, bases) in ACCENTED {
            assert_eq!(letters.chars().count(), bases.chars().count(), "{name}");
            assert!(bases.chars().all(|b| b.is_ascii_alphabetic()), "{name}");
            for (l, b) in letters.chars().zip(bases.chars()) {
                assert_eq!(decompose(l).map(|(_, base)| base), Some(b), "{l}");
                assert_eq!(
                    l.is_uppercase(),
                    b.is_ascii_uppercase(),
                    "{l} and {b} differ in case"
                );
            }
        }
    }

    #[test]
    fn every_character_below_u_3000_round_trips_under_every_shift() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        for shift in -30..30 {
            assert_eq!(decrypt(&encrypt(&all, shift), shift), all, "shift {shift}");
        }
    }

    #[test]
    fn accented_letters_keep_their_accent() {
        assert_eq!(encrypt("é", 1), "ć");
        // Ç: B, A, Z … carry no cedilla; T does.
        assert_eq!(encrypt("Ça", 1), "Ţz");
        assert_eq!(decrypt("ć", 1), "é");
        // ß has no decomposition: it passes unchanged.
        assert_eq!(encrypt("ß", 5), "ß");
    }

    #[test]
    fn since_is_read_from_the_query() {
        assert_eq!(since_of("/messages"), Ok(0));
        assert_eq!(since_of("/messages?since=12"), Ok(12));
        assert_eq!(since_of("/send?x=1&since=3"), Ok(3));
        assert!(since_of("/send?since=-1").is_err());
    }
}
