//! The vault client: the wire protocol from the other side, over mutual TLS.
//!
//! Each request is one connection (as the server wants it). After login the client
//! derives the archive key itself from the password and the reply's `kdf` (one PBKDF2
//! run), so it can decrypt what it downloads; the server never sends a key.
//!
//! [`VaultClient`] speaks one request at a time and reports transfers to an optional
//! [`Progress`]; [`Account`] keeps a member's credentials and logs in again when the
//! server has forgotten the session (expired, logged out, restarted).
//!
//! The client trusts no server: every request has a total deadline (the timeout, plus
//! the time its body needs at [`MIN_RATE`]), every reply a size bound, every string from
//! the server is made printable before anyone prints it ([`printable`]), and a download
//! is written under the name of the archive asked for, never a name the server picks.
//! How each reply is read is [`replies`] (a function per reply, which the fuzz target
//! `reply` feeds with hostile bytes).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use openssl::ssl::SslConnector;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::files::{self, Access};
use crate::http::{self, HttpError, Response};
use crate::net;
use crate::pki;
use crate::server::TimedStream;
use crate::tls::{self, TlsError};
use crate::tr;
use crate::vault::archive::{self, ArchiveError, NameRule};
use crate::vault::keys::{ArchiveKey, KdfParams, MasterKey};
use crate::vault::pipeline;
use crate::vault::progress::{Direction, Progress, ProgressReader};

mod error;
pub mod replies;

pub use error::{server_message_in, ClientError};

pub use replies::{
    download_file_reply, error_reply, list_reply, login_reply, upload_reply, LoginReply,
};

/// Default server address of the client.
pub const DEFAULT_SERVER: &str = "localhost:5000";

/// Largest archive the client downloads from a server that did not say its upload limit
/// in the login reply, in bytes (with the limit, the bound is the largest archive an
/// upload of that size makes).
pub const MAX_REPLY: u64 = 2 << 30;

/// Largest JSON reply (login, list, logout), in bytes: a list of 50 000 archives.
pub const MAX_SMALL_REPLY: u64 = 16 << 20;

/// The slowest transfer the client waits for, in bytes per second: a request's deadline
/// is its timeout plus the time its body takes at this rate.
pub const MIN_RATE: u64 = 64 * 1024;

/// Largest file the client unzips from an archive, in bytes.
pub const MAX_FILE: u64 = 1 << 30;

/// A file whose newest upload is older than this (24 h, in seconds) gets a warning, as
/// in the original client; the scheduler uploads it again.
pub const STALE_AFTER_SECS: i64 = 24 * 60 * 60;

/// Characters percent-encoded in `/archives/<name>`: all but unreserved ones (RFC 3986 §2.3).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A logged-in session: its id and the archive key derived on this side.
#[derive(Debug)]
pub struct LoggedIn {
    /// The user name.
    pub user: String,
    /// Session id (UUID) sent as `Authorization`.
    pub session_id: String,
    /// The key derivation parameters from the login reply.
    pub kdf: KdfParams,
    /// The server's upload limit in bytes, when its login reply says it (`max_upload`).
    pub max_upload: Option<u64>,
    archive_key: ArchiveKey,
}

impl LoggedIn {
    /// The user's archive key (a Fernet key), derived locally.
    pub fn archive_key(&self) -> &ArchiveKey {
        &self.archive_key
    }

    /// The largest archive this server can hold, in bytes: what a download may be.
    pub fn max_archive(&self) -> u64 {
        self.max_upload.map_or(MAX_REPLY, archive::max_archive_len)
    }

    /// The largest file an archive of this server can hold, in bytes: what an unzip may
    /// write (a ZIP that inflates past it is refused).
    pub fn max_file(&self) -> u64 {
        self.max_upload.unwrap_or(MAX_FILE)
    }
}

/// Text from the server made safe to print: control characters (ESC of a terminal
/// escape sequence, a bare CR that rewrites the line, BEL) and invisible or deceptive
/// characters (bidi overrides, zero-width characters) become visible escapes such as
/// `\u{1b}`. Everything else is kept.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || archive::is_deceptive(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// The time `bytes` take at [`MIN_RATE`].
fn body_time(bytes: u64) -> Duration {
    Duration::from_secs_f64(bytes as f64 / MIN_RATE as f64)
}

/// Where a reply's body goes, with the most bytes it may have.
enum Reply<'a> {
    /// Kept in memory.
    Memory(u64),
    /// Written into this writer as it arrives (a 200 reply's body only).
    Into(&'a mut dyn io::Write, u64),
}

enum Body<'a> {
    Empty,
    Bytes(&'a [u8]),
    File(&'a mut File, u64),
}

/// One archive on the server, as `vault list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInfo {
    /// The archive name, to download it.
    pub archive: String,
    /// The original file name (from the archive name; the whole archive name when it
    /// does not have the usual shape).
    pub file_name: String,
    /// The upload time, from the archive name.
    pub uploaded: Option<DateTime<Utc>>,
    /// The stored (encrypted) size in bytes, when the server tells it (the optional
    /// `details` of `/get-files`).
    pub size: Option<u64>,
}

/// For each archive, whether it is the newest upload of its file and that upload is
/// more than [`STALE_AFTER_SECS`] before `now`: the original client's ⚠.
pub fn stale_flags(archives: &[ArchiveInfo], now: DateTime<Utc>) -> Vec<bool> {
    let mut newest: HashMap<&str, (DateTime<Utc>, &str)> = HashMap::new();
    for a in archives {
        if let Some(t) = a.uploaded {
            let entry = newest.entry(&a.file_name).or_insert((t, &a.archive));
            if (t, a.archive.as_str()) > *entry {
                *entry = (t, &a.archive);
            }
        }
    }
    archives
        .iter()
        .map(|a| match (a.uploaded, newest.get(a.file_name.as_str())) {
            (Some(t), Some((_, newest_archive))) => {
                *newest_archive == a.archive && (now - t).num_seconds() > STALE_AFTER_SECS
            }
            _ => false,
        })
        .collect()
}

/// Calls [`Progress::finish`] when a transfer ends, however it ends.
struct Finish<'a>(Option<&'a dyn Progress>);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.0 {
            p.finish();
        }
    }
}

/// A client for one vault server.
pub struct VaultClient {
    connector: SslConnector,
    host: String,
    port: u16,
    timeout: Duration,
    progress: Option<Arc<dyn Progress>>,
}

/// Splits `HOST:PORT` (`[::1]:5000` for IPv6) as a URL's authority is split
/// ([`http::split_authority`]); a missing port means 5000.
pub fn parse_server(server: &str) -> Result<(String, u16), ClientError> {
    http::split_authority(server.trim(), 5000)
        .map_err(|_| ClientError::BadAddress(server.to_string()))
}

impl VaultClient {
    /// A client for `server` (`HOST:PORT`) using `ca.crt`, `client.crt` and `client.key`
    /// from `certs_dir`. Each request must be done within `timeout` plus the time its
    /// body needs at [`MIN_RATE`] (in total, however the server drips its bytes).
    pub fn new(server: &str, certs_dir: &Path, timeout: Duration) -> Result<Self, ClientError> {
        let (host, port) = parse_server(server)?;
        let connector = tls::client_connector(
            &certs_dir.join(pki::CA_CERT),
            Some((
                &certs_dir.join(pki::CLIENT_CERT),
                &certs_dir.join(pki::CLIENT_KEY),
            )),
        )?;
        Ok(VaultClient {
            connector,
            host,
            port,
            timeout,
            progress: None,
        })
    }

    /// Reports uploads (file bytes as they are streamed) and downloads (archive bytes as
    /// they arrive) to `progress`.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The server's host name or address.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The server's TCP port (5000 unless `--server` said otherwise).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Sends one request on a new connection and reads a reply of at most `max_reply`
    /// body bytes. `track` names the transfer to report: the file body of an upload, or
    /// the body of a 200 reply for a download.
    fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
        track: Option<(Direction, &str)>,
        reply: Reply<'_>,
    ) -> Result<Response, ClientError> {
        let (max_reply, into) = match reply {
            Reply::Memory(max) => (max, None),
            Reply::Into(out, max) => (max, Some(out)),
        };
        let progress = self.progress.as_deref().filter(|_| track.is_some());
        let _finish = Finish(progress);
        let length = match &body {
            Body::Empty if method == "GET" => None,
            Body::Empty => Some(0),
            Body::Bytes(b) => Some(b.len() as u64),
            Body::File(_, n) => Some(*n),
        };
        // One deadline for the whole exchange, so a server that drips a byte every few
        // seconds cannot keep us (and a scheduler holding its lock) waiting for ever.
        let deadline = Instant::now() + self.timeout + body_time(length.unwrap_or(0));
        let tcp = net::connect(&self.host, self.port, self.timeout).map_err(TlsError::from)?;
        let mut timed =
            TimedStream::new(tcp, self.timeout).map_err(|e| ClientError::Http(HttpError::Io(e)))?;
        timed.set_deadline(deadline);
        let mut stream = tls::handshake(&self.connector, &self.host, self.port, timed)?;
        let host = http::authority(&self.host, self.port);
        let sent = (|| -> io::Result<()> {
            http::write_request_head(&mut stream, method, target, Some(&host), headers, length)?;
            match body {
                Body::Empty => {}
                Body::Bytes(bytes) => io::Write::write_all(&mut stream, bytes)?,
                Body::File(file, n) => {
                    let copied = match (progress, track) {
                        (Some(p), Some((Direction::Upload, name))) => {
                            p.begin(Direction::Upload, name, n);
                            pipeline::copy(&mut ProgressReader::new(file.take(n), p), &mut stream)?
                        }
                        _ => pipeline::copy(&mut file.take(n), &mut stream)?,
                    };
                    if copied != n {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the file shrank while it was being sent",
                        ));
                    }
                }
            }
            io::Write::flush(&mut stream)
        })();
        // A server that refuses early (413, 401) may close before we finish sending:
        // its reply explains more than our write error.
        let reply = read_reply(&mut stream, deadline, max_reply, progress.zip(track), into);
        let _ = stream.shutdown();
        match (sent, reply) {
            (_, Ok(response)) if response.status == 200 => Ok(response),
            (_, Ok(response)) => Err(error_reply(&response)),
            (Err(e), Err(_)) => Err(ClientError::Http(e.into())),
            (Ok(()), Err(e)) => Err(e.into()),
        }
    }

    /// `POST /login`, then derives the archive key from `password` and the reply's `kdf`.
    pub fn login(&self, user: &str, password: &str) -> Result<LoggedIn, ClientError> {
        let body = serde_json::json!({ "username": user, "password": password }).to_string();
        let reply = self.send(
            "POST",
            "/login",
            &[("Content-Type", "application/json")],
            Body::Bytes(body.as_bytes()),
            None,
            Reply::Memory(MAX_SMALL_REPLY),
        )?;
        let LoginReply {
            session_id,
            kdf,
            max_upload,
        } = login_reply(&reply)?;
        let archive_key = MasterKey::derive(password, &kdf)?.archive_key()?;
        Ok(LoggedIn {
            user: user.to_string(),
            session_id,
            kdf,
            max_upload,
            archive_key,
        })
    }

    /// Uploads the file at `path` under its file name, streaming it from disk; returns the
    /// archive name the server chose.
    pub fn upload_file(&self, session: &LoggedIn, path: &Path) -> Result<String, ClientError> {
        let file_error = |source| ClientError::File {
            path: path.to_path_buf(),
            source,
        };
        let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
            file_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                tr!("vault-reason-not-utf8-name"),
            ))
        })?;
        let mut file = File::open(path).map_err(file_error)?;
        let meta = file.metadata().map_err(file_error)?;
        if !meta.is_file() {
            return Err(file_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                tr!("vault-reason-not-a-regular-file"),
            )));
        }
        self.upload(session, name, Body::File(&mut file, meta.len()))
    }

    /// Uploads `content` as `name`; returns the archive name.
    pub fn upload_bytes(
        &self,
        session: &LoggedIn,
        name: &str,
        content: &[u8],
    ) -> Result<String, ClientError> {
        self.upload(session, name, Body::Bytes(content))
    }

    fn upload(
        &self,
        session: &LoggedIn,
        name: &str,
        body: Body<'_>,
    ) -> Result<String, ClientError> {
        let name = archive::normalize_file_name(name);
        archive::check_file_name(&name)?;
        let reply = self.send(
            "POST",
            "/upload-file",
            &[("Authorization", &session.session_id), ("File-Name", &name)],
            body,
            Some((Direction::Upload, &name)),
            Reply::Memory(MAX_SMALL_REPLY),
        )?;
        upload_reply(&reply)
    }

    /// `GET /get-files`: the names of this user's archives.
    pub fn list(&self, session: &LoggedIn) -> Result<Vec<String>, ClientError> {
        Ok(self
            .list_details(session)?
            .into_iter()
            .map(|a| a.archive)
            .collect())
    }

    /// `GET /get-files` with what is known of each archive: file name and upload time
    /// (from the archive name) and stored size (from the reply's optional `details`,
    /// `[{"name", "size"}]`; `None` from a server that does not send it).
    pub fn list_details(&self, session: &LoggedIn) -> Result<Vec<ArchiveInfo>, ClientError> {
        let reply = self.send(
            "GET",
            "/get-files",
            &[("Authorization", &session.session_id)],
            Body::Empty,
            None,
            Reply::Memory(MAX_SMALL_REPLY),
        )?;
        list_reply(&reply)
    }

    /// `GET /archives/<archive>`: the stored archive bytes (a Fernet token), in memory.
    pub fn fetch(&self, session: &LoggedIn, archive: &str) -> Result<Vec<u8>, ClientError> {
        let target = format!("/archives/{}", utf8_percent_encode(archive, PATH_SEGMENT));
        let reply = self.send(
            "GET",
            &target,
            &[("Authorization", &session.session_id)],
            Body::Empty,
            Some((Direction::Download, archive)),
            Reply::Memory(session.max_archive()),
        )?;
        Ok(reply.body)
    }

    /// `GET /archives/<archive>`, the archive bytes written into `out` as they arrive
    /// (at most [`LoggedIn::max_archive`] bytes); returns how many.
    pub fn fetch_to(
        &self,
        session: &LoggedIn,
        archive: &str,
        out: &mut dyn io::Write,
    ) -> Result<u64, ClientError> {
        let target = format!("/archives/{}", utf8_percent_encode(archive, PATH_SEGMENT));
        let mut counted = Counted {
            inner: out,
            count: 0,
        };
        self.send(
            "GET",
            &target,
            &[("Authorization", &session.session_id)],
            Body::Empty,
            Some((Direction::Download, archive)),
            Reply::Into(&mut counted, session.max_archive()),
        )?;
        Ok(counted.count)
    }

    /// `GET /download-file` (the original protocol): the stored archive bytes, sent as
    /// base64 in JSON.
    pub fn fetch_json(&self, session: &LoggedIn, archive: &str) -> Result<Vec<u8>, ClientError> {
        let reply = self.send(
            "GET",
            "/download-file",
            &[
                ("Authorization", &session.session_id),
                ("File-Name", archive),
            ],
            Body::Empty,
            None,
            // base64 in JSON: 4/3 of the archive, and the JSON around it.
            Reply::Memory(session.max_archive().saturating_mul(4) / 3 + 1024),
        )?;
        download_file_reply(&reply)
    }

    /// Fetches `archive`, decrypts and unzips it, and writes the file into
    /// `downloads_dir` without overwriting anything, in bounded memory: the archive
    /// streams into a temporary file, is verified whole (HMAC), then decrypted and
    /// unzipped a piece at a time into a second temporary file, which is renamed into
    /// place last (see [`persist_download`]). A tampered archive is
    /// [`ArchiveError::Integrity`] and nothing is written. The file is named after the
    /// archive asked for: an archive whose entry has another name is refused.
    pub fn download(
        &self,
        session: &LoggedIn,
        archive: &str,
        downloads_dir: &Path,
    ) -> Result<PathBuf, ClientError> {
        if archive::parse_archive_name(archive).is_none() {
            return Err(ClientError::Archive(ArchiveError::BadName(
                NameRule::NotListedArchiveName,
            )));
        }
        let dir_error = |source| ClientError::File {
            path: downloads_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(downloads_dir).map_err(dir_error)?;
        // In the downloads folder, not /tmp: the same disk as the result (a rename, not a
        // copy), and /tmp is often memory.
        let temporary = || files::temporary_in(downloads_dir, Access::Private).map_err(dir_error);
        let mut token = temporary()?;
        self.fetch_to(session, archive, token.as_file_mut())?;
        token
            .as_file_mut()
            .seek(io::SeekFrom::Start(0))
            .map_err(dir_error)?;
        let mut opened = archive::OpenedArchive::open(token.as_file_mut(), &session.archive_key)?;
        // A server cannot make us write `.bashrc` by sending an archive whose entry has
        // that name.
        if !archive::entry_matches_archive(opened.name(), archive) {
            return Err(ClientError::BadReply(tr!(
                "vault-reason-entry-differs",
                name = printable(opened.name())
            )));
        }
        let name = opened.name().to_string();
        let mut file = temporary()?;
        opened.extract_to(file.as_file_mut(), session.max_file())?;
        drop(opened);
        drop(token);
        persist_download(downloads_dir, &name, file)
    }

    /// `POST /logout`.
    pub fn logout(&self, session: &LoggedIn) -> Result<(), ClientError> {
        self.send(
            "POST",
            "/logout",
            &[("Authorization", &session.session_id)],
            Body::Empty,
            None,
            Reply::Memory(MAX_SMALL_REPLY),
        )?;
        Ok(())
    }
}

/// A writer that counts what passes.
struct Counted<'a> {
    inner: &'a mut dyn io::Write,
    count: u64,
}

impl io::Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reads a reply of at most `max_body` body bytes. Once the head is in, the deadline
/// grows by the time the announced body needs at [`MIN_RATE`]; with `track`, the body of
/// a 200 reply is reported to the progress as it arrives; with `into`, the body of a 200
/// reply is written there as it arrives (it must have a `Content-Length`) instead of
/// being kept.
fn read_reply(
    stream: &mut openssl::ssl::SslStream<TimedStream>,
    deadline: Instant,
    max_body: u64,
    track: Option<(&dyn Progress, (Direction, &str))>,
    into: Option<&mut dyn io::Write>,
) -> Result<Response, HttpError> {
    let (head, already) = http::read_response_head(stream, http::HEAD_LIMIT)?;
    let length = head.headers.content_length()?;
    match length {
        Some(length) if length > max_body => {
            return Err(HttpError::BodyTooLarge {
                length,
                limit: max_body,
            })
        }
        Some(length) => stream.get_mut().set_deadline(deadline + body_time(length)),
        None => stream
            .get_mut()
            .set_deadline(deadline + body_time(max_body)),
    }
    let progress = match (track, length) {
        (Some((progress, (Direction::Download, name))), Some(length)) if head.status == 200 => {
            progress.begin(Direction::Download, name, length);
            progress.advance((already.len() as u64).min(length));
            Some(progress)
        }
        _ => None,
    };
    match (into, length) {
        (Some(out), Some(length)) if head.status == 200 => {
            let mut body = http::body_reader(stream, already, length);
            match progress {
                Some(p) => pipeline::copy(&mut ProgressReader::new(body, p), out)?,
                None => pipeline::copy(&mut body, out)?,
            };
            // The body went to `out`: the reply keeps its status and headers only.
            let mut reply = Response::new(head.status);
            reply.headers = head.headers;
            Ok(reply)
        }
        (Some(_), None) if head.status == 200 => Err(HttpError::Malformed(
            "a download without Content-Length".into(),
        )),
        _ => match progress {
            Some(p) => {
                let mut tracked = ProgressReader::new(stream, p);
                http::read_response_body(&mut tracked, head, already, max_body)
            }
            None => http::read_response_body(stream, head, already, max_body),
        },
    }
}

/// A member's credentials and the session they open. It logs in on first use, and once
/// more when the server answers 401 to a session it had accepted before (the session
/// expired, was logged out elsewhere, or the server restarted and forgot it): what a
/// long-running scheduler or an open terminal UI needs.
///
/// The password stays in memory for those later logins; it is never written anywhere.
pub struct Account {
    client: VaultClient,
    user: String,
    password: String,
    session: Option<LoggedIn>,
    logins: u32,
}

impl Account {
    /// Credentials for `client`'s server; nothing is sent until the first call.
    pub fn new(client: VaultClient, user: impl Into<String>, password: impl Into<String>) -> Self {
        Account {
            client,
            user: user.into(),
            password: password.into(),
            session: None,
            logins: 0,
        }
    }

    /// The client these credentials log in with (its server and certificates).
    pub fn client(&self) -> &VaultClient {
        &self.client
    }

    /// The user name.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The current session, if logged in.
    pub fn session(&self) -> Option<&LoggedIn> {
        self.session.as_ref()
    }

    /// How many times this account logged in (first login and every new one).
    pub fn logins(&self) -> u32 {
        self.logins
    }

    /// Logs in now unless a session is open; a wrong password is
    /// [`ClientError::Server`] with status 401.
    pub fn login(&mut self) -> Result<&LoggedIn, ClientError> {
        if self.session.is_none() {
            let session = self.client.login(&self.user, &self.password)?;
            self.logins += 1;
            self.session = Some(session);
        }
        self.session
            .as_ref()
            .ok_or_else(|| ClientError::BadReply("no session after login".into()))
    }

    /// Runs `action` with a session. If the server answers 401 to a session that was
    /// already open before this call, logs in again once and runs `action` again (an
    /// upload streams the file anew); a 401 right after a fresh login is returned.
    pub fn call<T>(
        &mut self,
        mut action: impl FnMut(&VaultClient, &LoggedIn) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        let fresh = self.session.is_none();
        self.login()?;
        let first = match &self.session {
            Some(session) => action(&self.client, session),
            None => return Err(ClientError::BadReply("no session after login".into())),
        };
        match first {
            Err(ClientError::Server { status: 401, .. }) if !fresh => {
                log::info!(
                    "the server no longer knows the session (expired, logged out or restarted): logging in again"
                );
                self.session = None;
                self.login()?;
                match &self.session {
                    Some(session) => action(&self.client, session),
                    None => Err(ClientError::BadReply("no session after login".into())),
                }
            }
            other => other,
        }
    }

    /// Logs out if a session is open. The session is dropped here even when the server
    /// cannot be told (it ends on its own after its idle timeout).
    pub fn logout(&mut self) -> Result<(), ClientError> {
        match self.session.take() {
            Some(session) => self.client.logout(&session),
            None => Ok(()),
        }
    }
}

/// Writes `content` as `dir/name`, or `name (1)`, `name (2)`… when that exists: through
/// a temporary file and a no-clobber rename (see [`persist_download`]). Returns the path
/// written.
pub fn save_download(dir: &Path, name: &str, content: &[u8]) -> Result<PathBuf, ClientError> {
    archive::check_file_name(name)?;
    let dir_error = |source| ClientError::File {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(dir_error)?;
    let mut temp = files::temporary_in(dir, Access::Private).map_err(dir_error)?;
    io::Write::write_all(&mut temp, content).map_err(dir_error)?;
    persist_download(dir, name, temp)
}

/// Makes a written temporary file in `dir` the file `dir/name`, or `name (1)`,
/// `name (2)`… when that exists (see [`files::commit_fresh`]), so an existing file is
/// never replaced and a failure leaves no partial file (the temporary file goes).
/// Returns the path written.
pub fn persist_download(
    dir: &Path,
    name: &str,
    temp: tempfile::NamedTempFile,
) -> Result<PathBuf, ClientError> {
    archive::check_file_name(name)?;
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let names = (0..10_000u32).map(|n| match n {
        0 => name.to_string(),
        n => format!("{stem} ({n}){ext}"),
    });
    let written = files::commit_fresh(temp, dir, names).map_err(|source| ClientError::File {
        path: dir.join(name),
        source,
    })?;
    Ok(dir.join(written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_known_messages_are_translated_with_their_values() {
        use crate::i18n::Lang;
        assert_eq!(
            server_message_in(Lang::Fr, "no such archive"),
            "cette archive n'existe pas"
        );
        assert_eq!(
            server_message_in(
                Lang::Fr,
                "too many failed logins for this user from your address: try again in 42 s"
            ),
            "trop de connexions manquées pour cet utilisateur depuis votre adresse\u{a0}: \
             réessayez dans 42\u{a0}s"
        );
        let quota = "this upload would take your archives past your quota of 1.00 GiB \
                     (1023.00 MiB used; the archive of this file may take 2.00 MiB): ask the \
                     vault's keeper for room";
        assert_eq!(
            server_message_in(Lang::Fr, quota),
            "cet envoi ferait dépasser à vos archives votre quota de 1.00 GiB (1023.00 MiB \
             utilisés\u{202f}; l'archive de ce fichier peut occuper 2.00 MiB)\u{a0}: demandez \
             de la place au gardien du coffre"
        );
        // In English, and for a message the client does not know, the server's words.
        assert_eq!(server_message_in(Lang::En, quota), quota);
        assert_eq!(
            server_message_in(Lang::Fr, "the server is having a bad day"),
            "the server is having a bad day"
        );
        assert_eq!(
            server_message_in(Lang::Fr, "try again in  s"),
            "try again in  s"
        );
    }

    #[test]
    fn server_addresses_parse() {
        assert_eq!(
            parse_server("localhost:5000").unwrap(),
            ("localhost".into(), 5000)
        );
        assert_eq!(parse_server("[::1]:7").unwrap(), ("::1".into(), 7));
        assert_eq!(parse_server("example").unwrap(), ("example".into(), 5000));
        for bad in [":5", "h:x", "[::1]x", "[::1"] {
            assert!(
                matches!(parse_server(bad), Err(ClientError::BadAddress(a)) if a == bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn downloads_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let a = save_download(dir.path(), "notes.txt", b"one").unwrap();
        let b = save_download(dir.path(), "notes.txt", b"two").unwrap();
        assert_eq!(a.file_name().unwrap(), "notes.txt");
        assert_eq!(b.file_name().unwrap(), "notes (1).txt");
        assert_eq!(std::fs::read(a).unwrap(), b"one");
        assert!(matches!(
            save_download(dir.path(), "../x", b"no"),
            Err(ClientError::Archive(ArchiveError::BadName(_)))
        ));
    }
}
