//! The vault's wire protocol as a [`Handler`]: routing and one handler per request,
//! plain functions of a request and the [`Vault`]'s state (no socket in sight). The
//! contract is lesson 08's text (`lessons/08-vault.md`, "The wire protocol").
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
//! `Bearer <id>`. Every error is JSON `{"message"}` with the status lesson 08 lists.
//!
//! Bodies: an upload's body is taken only once its head has passed every check (session,
//! file name, size, quota, free space), and streamed; every other request's body is at
//! most [`SMALL_BODY`] bytes (413 past it), so a login cannot bring a 30 MiB user name.

use std::io::{self, Read};
use std::net::SocketAddr;

use serde_json::json;

use super::base64_reader::Base64Reader;
use super::server::Vault;
use crate::http::{ApiError, Request, RequestHead, Response, StreamedBody};
use crate::server::{loggable, Admission, Handler, Limits};
use crate::vault::archive::{self, ArchiveError};
use crate::vault::pipeline;
use crate::vault::sessions::{short_id, Session};
use crate::vault::users::{check_user_name, UserError, UserRecord};

/// Largest body of a request other than an upload, in bytes (a login's JSON is tens of
/// bytes). Over it: 413, before the body is read.
pub const SMALL_BODY: u64 = 4 * 1024;

impl From<ArchiveError> for ApiError {
    fn from(e: ArchiveError) -> Self {
        match e {
            ArchiveError::BadName(_) => ApiError::new(400, e.to_string()),
            ArchiveError::NotFound => ApiError::new(404, "no such archive"),
            ArchiveError::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
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
            return Err(ApiError::not_allowed(path, method, allow));
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
            .map_err(ApiError::from)?;
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
        let file_name = archive::normalize_file_name(sent_name);
        archive::check_file_name(&file_name)?;
        if length > self.policy.max_upload {
            return Err(ApiError::new(
                413,
                format!(
                    "the file is larger than this vault's limit of {} (--max-upload)",
                    human(self.policy.max_upload)
                ),
            ));
        }
        let need = archive::max_archive_len(length);
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
            let file = archive::seal_to(&file_name, content, length, &session.data, now, file)?;
            file.finish()?;
            Ok::<(), ArchiveError>(())
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
