//! The vault server: the wire protocol of DESIGN.md as a [`Handler`], behind mutual TLS
//! on the shared accept loop.
//!
//! | request | success |
//! |---|---|
//! | `POST /login` `{"username","password"}` | `{"message","session_id","kdf"}` |
//! | `POST /upload-file` (`Authorization`, `File-Name`, raw body) | `{"message","archive"}` |
//! | `GET /get-files` | `{"archives":[…],"details":[{"name","size"}]}` |
//! | `GET /download-file` (`File-Name: <archive>`) | `{"message","file_content": base64}` |
//! | `GET /archives/<archive>` (percent-encoded) | the archive bytes |
//! | `POST /logout` | `{"message"}` |
//!
//! `Authorization` is the bare session id (as the original Python client sends it) or
//! `Bearer <id>`. Every error is JSON `{"message"}` with the status of DESIGN.md.
//!
//! Bodies: an upload's body is taken only once its head has passed every check (session,
//! file name, size, quota, free space), and streamed; every other request's body is at
//! most [`SMALL_BODY`] bytes (413 past it), so a login cannot bring a 30 MiB user name.

use std::collections::HashMap;
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use crate::http::{Request, RequestHead, Response, StreamedBody};
use crate::pki;
use crate::server::{loggable, Admission, Handler, Limits, Server, ServerHandle, Transport};
use crate::tls;
use crate::vault::keys::DEFAULT_ITERATIONS;
use crate::vault::pipeline;
use crate::vault::sessions::{short_id, Session, Sessions};
use crate::vault::storage::{self, Storage, StorageError};
use crate::vault::throttle::LoginThrottle;
use crate::vault::users::{check_user_name, UserError, UserRecord, Users};

/// The demo accounts `--demo` adds: the original project's test users.
pub const DEMO_USERS: [(&str, &str); 2] = [("user1", "password1"), ("user2", "password2")];

/// Largest body of a request other than an upload, in bytes (a login's JSON is tens of
/// bytes). Over it: 413, before the body is read.
pub const SMALL_BODY: u64 = 4 * 1024;

/// What the vault allows each upload and each member, in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Largest upload (default 64 MiB); told to clients in the login reply, so they
    /// can bound what they download.
    pub max_upload: u64,
    /// Most bytes of archives one member may keep on disk (default 1 GiB); 0: no quota.
    pub quota: u64,
    /// Free space an upload must leave on the data folder's disk (default 1 GiB);
    /// 0: no check.
    pub min_free: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_upload: 64 << 20,
            quota: 1 << 30,
            min_free: 1 << 30,
        }
    }
}

/// Why the vault could not start or change its users.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Users file problem.
    #[error(transparent)]
    Users(#[from] UserError),
    /// Archive store problem.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Certificate problem.
    #[error(transparent)]
    Pki(#[from] pki::PkiError),
    /// TLS set-up problem.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The socket error.
        #[source]
        source: std::io::Error,
    },
    /// Anything else from the operating system.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// An error reply: status and message.
#[derive(Debug)]
struct ApiError {
    status: u16,
    message: String,
    /// An extra header: `Allow` of a 405, `Retry-After` of a 429.
    header: Option<(&'static str, String)>,
}

impl ApiError {
    fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            header: None,
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::BadName(_) => ApiError::new(400, e.to_string()),
            StorageError::NotFound => ApiError::new(404, "no such archive"),
            StorageError::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                log::error!("vault: the disk is full: {io}");
                ApiError::new(500, "the server's disk is full: nothing was stored")
            }
            other => {
                log::error!("vault: storage failure: {other}");
                ApiError::new(
                    500,
                    "the server could not complete the request (see its log)",
                )
            }
        }
    }
}

/// The vault's state: users, sessions and archives. Handles requests without a socket.
#[derive(Debug)]
pub struct Vault {
    data_dir: PathBuf,
    sessions: Sessions,
    throttle: LoginThrottle,
    storage: Storage,
    policy: Policy,
    /// Bytes reserved by uploads in flight, per member: counted by the quota and the
    /// free-space checks, so concurrent uploads cannot each pass alone and overfill.
    reserved: Mutex<HashMap<String, u64>>,
}

/// Space reserved for one upload in flight, given back when it ends.
struct Reservation<'a> {
    vault: &'a Vault,
    user: String,
    bytes: u64,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut reserved = self.vault.reserved();
        if let Some(n) = reserved.get_mut(&self.user) {
            *n = n.saturating_sub(self.bytes);
            if *n == 0 {
                reserved.remove(&self.user);
            }
        }
    }
}

/// An upload whose head passed every check, waiting for its body.
struct UploadPlan<'a> {
    session: Session,
    /// The file name, in NFC.
    file_name: String,
    length: u64,
    _reservation: Reservation<'a>,
}

impl Vault {
    /// Opens the data folder (creating it): `users.json` and `archives/`, with the
    /// default [`Policy`].
    pub fn open(data_dir: &Path) -> Result<Self, VaultError> {
        Vault::open_with(data_dir, Policy::default())
    }

    /// Opens the data folder with this policy (upload size, quota, free space).
    pub fn open_with(data_dir: &Path, policy: Policy) -> Result<Self, VaultError> {
        std::fs::create_dir_all(data_dir)?;
        // Fail at start, not at the first login, if users.json is damaged.
        let users = Users::load(data_dir)?;
        for refused in users.refused() {
            log::warn!(
                "vault: {}: the record {:?} is ignored: {}",
                users.path().display(),
                loggable(&refused.name),
                refused.reason
            );
        }
        Ok(Vault {
            data_dir: data_dir.to_path_buf(),
            sessions: Sessions::default(),
            throttle: LoginThrottle::default(),
            storage: Storage::open(data_dir)?,
            policy,
            reserved: Mutex::new(HashMap::new()),
        })
    }

    /// The policy this vault enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    fn reserved(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        self.reserved.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The users, read afresh: `vault adduser` and `vault passwd` take effect without a
    /// restart, and a read costs little beside a login's PBKDF2 run.
    fn users(&self) -> Result<Users, UserError> {
        Users::load(&self.data_dir)
    }

    /// Adds the missing demo users and saves; returns the names added.
    pub fn add_demo_users(&self) -> Result<Vec<String>, VaultError> {
        let mut users = self.users()?;
        let mut added = Vec::new();
        for (name, password) in DEMO_USERS {
            if !users.contains(name) {
                users.add(name, password, DEFAULT_ITERATIONS)?;
                added.push(name.to_string());
            }
        }
        if !added.is_empty() {
            users.save()?;
        }
        Ok(added)
    }

    /// Changes `user`'s password from `old` to `new` and re-encrypts the user's
    /// archives with the new archive key; returns how many archives were re-encrypted.
    ///
    /// Every archive is verified and re-encrypted into a temporary file (a piece at a
    /// time, whatever its size) before any is replaced, so a wrong old password or a
    /// damaged archive changes nothing. A crash while the archives are being renamed
    /// over can leave some under the old key: stop the server first, and keep backups.
    pub fn change_password(&self, user: &str, old: &str, new: &str) -> Result<usize, VaultError> {
        let mut users = self.users()?;
        let record = users
            .get(user)
            .cloned()
            .ok_or_else(|| UserError::NoSuchUser(user.to_string()))?;
        let old_key = record.check(old)?.archive_key().map_err(UserError::from)?;
        let new_record = UserRecord::new(new, record.iterations.max(DEFAULT_ITERATIONS))?;
        let new_key = new_record
            .check(new)?
            .archive_key()
            .map_err(UserError::from)?;
        // Every archive is verified and written anew under the new key into a temporary
        // file first, a piece at a time; only when all succeeded are they renamed over.
        let mut resealed = Vec::new();
        for archive in self.storage.list(user)? {
            let (file, _) = self.storage.open_archive(user, &archive)?;
            let opened = storage::OpenedArchive::open(file, &old_key)?;
            let temp = self.storage.temporary(user)?;
            let temp = storage::reseal_to(opened, &new_key, temp)?;
            resealed.push((archive, temp));
        }
        let count = resealed.len();
        for (archive, temp) in resealed {
            self.storage.replace(user, &archive, temp)?;
        }
        users.set(user, new_record)?;
        users.save()?;
        Ok(count)
    }

    fn route(&self, req: Request, peer: SocketAddr) -> Result<Response, ApiError> {
        let path = req.path();
        let method = req.method.as_str();
        let allow = match path {
            "/login" | "/upload-file" | "/logout" => "POST",
            "/get-files" | "/download-file" => "GET",
            p if p.starts_with("/archives/") => "GET",
            _ => {
                return Err(ApiError::new(
                    404,
                    "no such endpoint (the vault answers /login, /upload-file, /get-files, /download-file, /archives/<name>, /logout)",
                ))
            }
        };
        if method != allow {
            let mut e = ApiError::new(405, format!("{path} takes {allow}, not {method}"));
            e.header = Some(("Allow", allow.to_string()));
            return Err(e);
        }
        match path {
            "/login" => self.login(&req, peer),
            "/upload-file" => {
                let plan = self.plan_upload(&req.head())?;
                self.upload(plan, &mut &req.body[..])
            }
            "/get-files" => self.list(&req),
            "/download-file" => self.download_json(&req),
            "/logout" => self.logout(&req),
            _ => self.archive_bytes(&req, &path["/archives/".len()..]),
        }
    }

    fn login(&self, req: &Request, peer: SocketAddr) -> Result<Response, ApiError> {
        #[derive(serde::Deserialize)]
        struct Login {
            username: String,
            password: String,
        }
        let login: Login = serde_json::from_slice(&req.body).map_err(|_| {
            ApiError::new(
                400,
                "expected a JSON body {\"username\": …, \"password\": …}",
            )
        })?;
        // Before the throttle, the log or the users file see it: a name that can be no
        // one's is refused here (and never echoed: it could be anything).
        if check_user_name(&login.username).is_err() {
            log::info!("vault: {peer}: login with a malformed user name refused");
            return Err(ApiError::new(
                400,
                "that is not a valid user name (1 to 64 letters, digits, '.', '-' or '_')",
            ));
        }
        let attempt = self
            .throttle
            .admit("vault", &login.username, peer)
            .map_err(|refusal| {
                let mut e = ApiError::new(429, refusal.to_string());
                e.header = Some(("Retry-After", refusal.seconds.to_string()));
                e
            })?;
        let users = self.users().map_err(|e| {
            log::error!("vault: cannot read the users: {e}");
            ApiError::new(500, "the server cannot read its users (see its log)")
        })?;
        let record = users.get(&login.username).cloned();
        // Unknown users cost the same PBKDF2 run as known ones, so timing does not tell
        // which user names exist.
        let checked = match &record {
            Some(record) => record.check(&login.password),
            None => UserRecord::dummy()
                .and_then(|d| d.check(&login.password))
                .and(Err(UserError::BadCredentials)),
        };
        let (record, master) = match (record, checked) {
            (Some(record), Ok(master)) => (record, master),
            (_, Err(UserError::BadCredentials)) | (None, _) => {
                attempt.failed();
                log::info!("vault: {peer}: failed login for {}", login.username);
                return Err(ApiError::new(401, "wrong user name or password"));
            }
            (_, Err(e)) => {
                log::error!("vault: login of {} failed: {e}", login.username);
                return Err(ApiError::new(
                    500,
                    "the server could not check the password",
                ));
            }
        };
        let archive_key = master
            .archive_key()
            .map_err(|e| ApiError::new(500, format!("key derivation failed: {e}")))?;
        attempt.succeeded();
        let id = self.sessions.create(&login.username, archive_key);
        log::info!(
            "vault: {} logged in (session {}…)",
            login.username,
            short_id(&id)
        );
        // `max_upload` is an extension beside the contract's fields: a client bounds
        // what it accepts as a download by the largest archive an upload can make.
        Ok(Response::json(
            200,
            &json!({
                "message": "Login successful",
                "session_id": id,
                "kdf": record.kdf(),
                "max_upload": self.policy.max_upload,
            }),
        ))
    }

    fn session(&self, req: &Request) -> Result<(String, Session), ApiError> {
        self.session_of(&req.headers)
    }

    fn session_of(&self, headers: &crate::http::Headers) -> Result<(String, Session), ApiError> {
        let value = headers
            .get("authorization")
            .ok_or_else(|| ApiError::new(401, "log in first: no Authorization header"))?
            .trim();
        let id = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => value,
        };
        match self.sessions.get(id) {
            Some(session) => Ok((id.to_string(), session)),
            None => Err(ApiError::new(
                401,
                "no such session (expired or logged out): log in again",
            )),
        }
    }

    /// Checks an upload's head before a byte of its body is read: session, length, file
    /// name, size limit, quota and free space; reserves the space it may take.
    fn plan_upload(&self, head: &RequestHead) -> Result<UploadPlan<'_>, ApiError> {
        let (_, session) = self.session_of(&head.headers)?;
        let length = match head.headers.content_length() {
            Ok(Some(length)) => length,
            _ => return Err(ApiError::new(411, "send the file's size in Content-Length")),
        };
        let sent_name = head
            .headers
            .get("file-name")
            .ok_or_else(|| ApiError::new(400, "name the file in the File-Name header"))?;
        let file_name = storage::normalize_file_name(sent_name);
        storage::check_file_name(&file_name)?;
        if length > self.policy.max_upload {
            return Err(ApiError::new(
                413,
                format!(
                    "the file is larger than this vault's limit of {} (--max-upload)",
                    human(self.policy.max_upload)
                ),
            ));
        }
        let need = storage::max_archive_len(length);
        let mut reserved = self.reserved();
        let in_flight: u64 = reserved.values().sum();
        let user_in_flight = reserved.get(&session.user).copied().unwrap_or(0);
        if self.policy.quota > 0 {
            let used = self.storage.usage(&session.user)? + user_in_flight;
            if used.saturating_add(need) > self.policy.quota {
                log::warn!(
                    "vault: {} is over quota: {used} bytes used, {need} more asked",
                    session.user
                );
                return Err(ApiError::new(
                    507,
                    format!(
                        "this upload would take your archives past your quota of {} ({} used; the archive of this file may take {}): ask the vault's keeper for room",
                        human(self.policy.quota),
                        human(used),
                        human(need)
                    ),
                ));
            }
        }
        if self.policy.min_free > 0 {
            let free = self.storage.free_space()?;
            if free
                < need
                    .saturating_add(in_flight)
                    .saturating_add(self.policy.min_free)
            {
                log::error!(
                    "vault: refusing an upload of {length} bytes: {free} bytes free, {} must stay free (--min-free)",
                    self.policy.min_free
                );
                return Err(ApiError::new(
                    507,
                    format!(
                        "the server's disk is nearly full: this upload would leave less than {} free; nothing was stored",
                        human(self.policy.min_free)
                    ),
                ));
            }
        }
        *reserved.entry(session.user.clone()).or_insert(0) += need;
        drop(reserved);
        let reservation = Reservation {
            vault: self,
            user: session.user.clone(),
            bytes: need,
        };
        Ok(UploadPlan {
            session,
            file_name,
            length,
            _reservation: reservation,
        })
    }

    /// Takes an upload's body from `body` (exactly `plan.length` bytes) and pipes it
    /// into the store: socket → ZIP entry → Fernet → temporary file → fsync → rename.
    /// The file is never held: a few hundred KiB are, whatever its size. A client that
    /// stalls or goes away mid-body leaves nothing behind (the temporary file goes).
    fn upload(&self, plan: UploadPlan<'_>, body: &mut dyn Read) -> Result<Response, ApiError> {
        let UploadPlan {
            session,
            file_name,
            length,
            ..
        } = plan;
        let now = chrono::Utc::now();
        let started = std::time::Instant::now();
        let temp = self.storage.temporary(&session.user)?;
        // This thread receives; a second one zips, encrypts and writes (two cores).
        // Three stages on three threads (see `pipeline`): this one receives, a second
        // zips, encrypts and encodes, a third writes the file and starts its writeback.
        let (sealed, failed) = pipeline::read_ahead(body, length, |content| {
            let file = pipeline::WriteBehind::new(temp.as_file().try_clone()?)?;
            let file = storage::seal_to(&file_name, content, length, &session.data, now, file)?;
            file.finish()?;
            Ok::<(), StorageError>(())
        });
        match (sealed, failed) {
            (Ok(()), _) => {}
            // The body's fault, not the disk's: 408 for a client too slow, 400 for one gone.
            (Err(_), Some(e)) => return Err(body_error(e)),
            (Err(e), None) => return Err(e.into()),
        }
        let at_rest = temp.as_file().metadata().map(|m| m.len()).unwrap_or(0);
        let written = started.elapsed();
        let archive = self.storage.commit(&session.user, &file_name, now, temp)?;
        log::info!(
            "vault: {} stored {} ({length} bytes in, {at_rest} bytes at rest)",
            session.user,
            loggable(&archive),
        );
        // Where an upload's time goes, for profiling.
        log::debug!(
            "vault: body → zip → Fernet → file took {} ms, fsync + rename {} ms",
            written.as_millis(),
            (started.elapsed() - written).as_millis()
        );
        Ok(Response::json(
            200,
            &json!({ "message": format!("File {file_name} uploaded"), "archive": archive }),
        ))
    }

    fn list(&self, req: &Request) -> Result<Response, ApiError> {
        let (_, session) = self.session(req)?;
        let archives = self.storage.list(&session.user)?;
        // An optional extension beside the contract's list (old clients ignore it): the
        // stored size of each archive, so `vault list` can show it without downloading.
        let details: Vec<_> = archives
            .iter()
            .map(|name| {
                let size = self
                    .storage
                    .path(&session.user, name)
                    .ok()
                    .and_then(|p| std::fs::metadata(p).ok())
                    .map(|m| m.len());
                json!({ "name": name, "size": size })
            })
            .collect();
        Ok(Response::json(
            200,
            &json!({ "archives": archives, "details": details }),
        ))
    }

    fn download_json(&self, req: &Request) -> Result<Response, ApiError> {
        let (_, session) = self.session(req)?;
        let archive = req
            .headers
            .get("file-name")
            .ok_or_else(|| ApiError::new(400, "name the archive in the File-Name header"))?;
        // Streamed: the archive's base64 is 1.33× the archive, and building this JSON in
        // memory held four copies of it at once.
        let (file, len) = self.storage.open_archive(&session.user, archive)?;
        const PREFIX: &[u8] = br#"{"message":"File downloaded","file_content":""#;
        const SUFFIX: &[u8] = br#""}"#;
        let encoded_len = base64::encoded_len(len as usize, true)
            .ok_or_else(|| ApiError::new(500, "the archive is too large to send as base64"))?
            as u64;
        let body = io::Cursor::new(PREFIX)
            .chain(Base64Reader::new(file))
            .chain(io::Cursor::new(SUFFIX));
        Ok(Response::new(200)
            .header("Content-Type", "application/json")
            .streamed(StreamedBody::new(
                PREFIX.len() as u64 + encoded_len + SUFFIX.len() as u64,
                body,
            )))
    }

    fn archive_bytes(&self, req: &Request, encoded: &str) -> Result<Response, ApiError> {
        let (_, session) = self.session(req)?;
        let archive = percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .map_err(|_| ApiError::new(400, "the archive name is not percent-encoded UTF-8"))?;
        let (file, len) = self.storage.open_archive(&session.user, &archive)?;
        Ok(Response::new(200)
            .header("Content-Type", "application/octet-stream")
            .streamed(StreamedBody::new(len, file)))
    }

    fn logout(&self, req: &Request) -> Result<Response, ApiError> {
        let (id, session) = self.session(req)?;
        self.sessions.remove(&id);
        log::info!(
            "vault: {} logged out (session {}…)",
            session.user,
            short_id(&id)
        );
        Ok(Response::json(200, &json!({ "message": "Logged out" })))
    }
}

/// Reads `source` as padded standard base64 (RFC 4648 §4), encoding one chunk at a
/// time, so a large archive is sent as base64 without being held in memory.
struct Base64Reader<R> {
    source: R,
    /// Raw bytes per chunk: a multiple of 3, so only the last chunk carries padding.
    raw: Vec<u8>,
    encoded: Vec<u8>,
    /// How much of `encoded` has been handed out.
    pos: usize,
    at_end: bool,
}

impl<R: Read> Base64Reader<R> {
    fn new(source: R) -> Self {
        Base64Reader {
            source,
            raw: vec![0; 3 * 64 * 1024],
            encoded: Vec::new(),
            pos: 0,
            at_end: false,
        }
    }

    /// Encodes the next full chunk (or the last, short one) into `encoded`.
    fn refill(&mut self) -> io::Result<()> {
        let mut filled = 0;
        while filled < self.raw.len() {
            match self.source.read(&mut self.raw[filled..]) {
                Ok(0) => {
                    self.at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let raw = &self.raw[..filled];
        let len = base64::encoded_len(raw.len(), true)
            .ok_or_else(|| io::Error::other("a base64 chunk's length overflows"))?;
        self.encoded.resize(len, 0);
        STANDARD
            .encode_slice(raw, &mut self.encoded)
            .map_err(io::Error::other)?;
        self.pos = 0;
        Ok(())
    }
}

impl<R: Read> Read for Base64Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.encoded.len() {
            if self.at_end {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.encoded.len() - self.pos);
        buf[..n].copy_from_slice(&self.encoded[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// An error while reading an upload's body: a client too slow for the minimum rate
/// (408), or one that went away (400; no one will read it).
fn body_error(e: io::Error) -> ApiError {
    if matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    ) {
        ApiError::new(408, "the request took too long to arrive")
    } else {
        ApiError::new(400, format!("the upload broke off: {e}"))
    }
}

/// Bytes in words: `64.0 MiB`.
fn human(bytes: u64) -> String {
    indicatif::HumanBytes(bytes).to_string()
}

impl ApiError {
    fn into_response(self) -> Response {
        let response = Response::error(self.status, &self.message);
        match &self.header {
            Some((name, value)) => response.header(name, value),
            None => response,
        }
    }
}

impl Handler for Vault {
    /// Uploads are streamed once their head passes every check; every other body is
    /// small ([`SMALL_BODY`]).
    fn admit(&self, head: &RequestHead, _peer: SocketAddr, _limits: &Limits) -> Admission<'_> {
        if head.path() != "/upload-file" || head.method != "POST" {
            return Admission::Memory { limit: SMALL_BODY };
        }
        match self.plan_upload(head) {
            Err(e) => Admission::Refuse(e.into_response()),
            Ok(plan) => Admission::Stream(Box::new(move |body: &mut dyn Read| {
                self.upload(plan, body)
                    .unwrap_or_else(ApiError::into_response)
            })),
        }
    }

    fn handle(&self, request: Request, peer: SocketAddr) -> Response {
        self.route(request, peer)
            .unwrap_or_else(ApiError::into_response)
    }
}

/// Start-up warnings about files others could change or read, as OpenSSH's StrictModes
/// checks: a group- or world-writable data folder, `users.json` or archive folder (anyone
/// in that group could add a member or swap archives), and private keys in `certs_dir`
/// that others can write or read. Each says the `chmod` that fixes it. Also names the
/// records of `users.json` that were refused.
pub fn startup_warnings(data_dir: &Path, certs_dir: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut warnings = Vec::new();
    let mode = |path: &Path| std::fs::metadata(path).ok().map(|m| m.permissions().mode());
    for path in [
        data_dir.to_path_buf(),
        data_dir.join("users.json"),
        data_dir.join("archives"),
    ] {
        if let Some(mode) = mode(&path) {
            if mode & 0o022 != 0 {
                let who = if mode & 0o002 != 0 {
                    "everyone"
                } else {
                    "its group"
                };
                warnings.push(format!(
                    "{} is writable by {who} (mode {:o}): they could add members or replace archives; fix it with: chmod go-w {}",
                    path.display(),
                    mode & 0o777,
                    path.display()
                ));
            }
        }
    }
    let keys = std::fs::read_dir(certs_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "key"));
    for key in keys {
        if let Some(mode) = mode(&key) {
            if mode & 0o077 != 0 {
                warnings.push(format!(
                    "the private key {} can be read or changed by others (mode {:o}); fix it with: chmod 600 {}",
                    key.display(),
                    mode & 0o777,
                    key.display()
                ));
            }
        }
    }
    if let Ok(users) = Users::load(data_dir) {
        for refused in users.refused() {
            warnings.push(format!(
                "{}: the record {:?} is ignored ({}); the other members work",
                users.path().display(),
                loggable(&refused.name),
                refused.reason
            ));
        }
    }
    warnings
}

/// How to run a vault server (`squirrel vault serve`).
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind, e.g. `127.0.0.1:5000` (`0.0.0.0:5000` for a classroom).
    pub addr: String,
    /// Data folder: `users.json` and `archives/`.
    pub data_dir: PathBuf,
    /// Certificate folder: `ca.crt`, `server.crt`, `server.key` (made on first start).
    pub certs_dir: PathBuf,
    /// Connection limits; `max_body` is the upload limit in bytes.
    pub limits: Limits,
    /// Number of accept loops on the listener (at least 1).
    pub workers: usize,
}

/// A vault that is listening.
pub struct Running {
    /// The server; dropping it stops the server.
    pub handle: ServerHandle,
    /// Certificates made on this start (empty when they existed).
    pub issued: Vec<pki::Issued>,
    /// The shared state (for adding users while running, in tests).
    pub vault: Arc<Vault>,
    /// What the keeper should fix ([`startup_warnings`]).
    pub warnings: Vec<String>,
}

/// Makes the development PKI if `certs_dir` has none, opens the data folder, binds and
/// starts serving on background threads.
pub fn start(options: &ServeOptions, vault: Arc<Vault>) -> Result<Running, VaultError> {
    let issued = pki::ensure_dev_pki(&options.certs_dir)?;
    let certs = &options.certs_dir;
    let acceptor = tls::server_acceptor(
        &certs.join(pki::SERVER_CERT),
        &certs.join(pki::SERVER_KEY),
        Some(&certs.join(pki::CA_CERT)),
    )?;
    let listener = TcpListener::bind(&options.addr).map_err(|source| VaultError::Bind {
        addr: options.addr.clone(),
        source,
    })?;
    let handler: Arc<dyn Handler> = vault.clone();
    let handle = Server::new("vault", listener, Transport::OpenSsl(acceptor), handler)
        .limits(options.limits.clone())
        .workers(options.workers)
        .spawn()?;
    let warnings = startup_warnings(&options.data_dir, &options.certs_dir);
    Ok(Running {
        handle,
        issued,
        vault,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out at most 1000 bytes per read, like a socket or a pipe.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(1000);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn streamed_base64_equals_one_shot_base64_at_every_chunk_boundary() {
        let chunk = 3 * 64 * 1024;
        let content: Vec<u8> = (0..2 * chunk + 2)
            .map(|i| (i * 7 + i / 251) as u8)
            .collect();
        for len in [0, 1, 2, 3, 4, chunk - 1, chunk, chunk + 1, 2 * chunk + 2] {
            let mut streamed = String::new();
            Base64Reader::new(Trickle(&content[..len]))
                .read_to_string(&mut streamed)
                .unwrap();
            assert_eq!(streamed, STANDARD.encode(&content[..len]), "length {len}");
            assert_eq!(Some(streamed.len()), base64::encoded_len(len, true));
        }
    }
}
