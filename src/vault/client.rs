//! The vault client: the wire protocol from the other side, over mutual TLS.
//!
//! Each request is one connection (as the server wants it). After login the client
//! derives the archive key itself from the password and the reply's `kdf` (one PBKDF2
//! run), so it can decrypt what it downloads; the server never sends a key.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use openssl::ssl::SslConnector;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::http::{self, HttpError, Response};
use crate::pki;
use crate::tls::{self, TlsError};
use crate::vault::keys::{ArchiveKey, KdfParams, KeyError, MasterKey};
use crate::vault::storage::{self, StorageError};

/// Default server address of the client.
pub const DEFAULT_SERVER: &str = "localhost:5000";

/// Largest reply the client accepts, in bytes (an archive of a 64 MiB file is ~90 MiB;
/// base64 in `/download-file` adds a third).
pub const MAX_REPLY: u64 = 1 << 30;

/// Largest file the client unzips from an archive, in bytes.
pub const MAX_FILE: u64 = 1 << 30;

/// Characters percent-encoded in `/archives/<name>`: all but unreserved ones (RFC 3986 §2.3).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why a vault command failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connection or TLS failure.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// The reply was not readable HTTP.
    #[error("the server's reply could not be read: {0}")]
    Http(#[from] HttpError),
    /// The server answered with an error status and message.
    #[error("the server answered {status}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// The `message` of the JSON body.
        message: String,
    },
    /// A reply did not have the documented shape.
    #[error("unexpected reply from the server: {0}")]
    BadReply(String),
    /// Key derivation failed (for instance, unusable `kdf` parameters in the reply).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Decrypting or unzipping an archive failed.
    #[error(transparent)]
    Archive(#[from] StorageError),
    /// A local file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
    /// The server address is not `HOST:PORT`.
    #[error("bad server address {0:?} (expected HOST:PORT, e.g. localhost:5000)")]
    BadAddress(String),
}

impl ClientError {
    /// The next step to suggest to a person, if any.
    pub fn hint(&self) -> Option<String> {
        match self {
            ClientError::Tls(TlsError::Connect { .. }) => {
                Some("is the vault running? start it with: squirrel vault serve --demo".into())
            }
            ClientError::Tls(TlsError::File { .. }) => Some(
                "the client needs certs/ca.crt, certs/client.crt and certs/client.key in its --dir (the vault server makes them on first start)".into(),
            ),
            ClientError::Tls(TlsError::Handshake { reason, .. }) if reason.contains("not signed by a CA you trust") => {
                Some("copy the vault's certs/ca.crt into the client's certs/ folder".into())
            }
            ClientError::Server { status: 401, .. } => {
                Some("check the user name and password (SQUIRREL_PASSWORD), or log in again".into())
            }
            ClientError::Server { status: 404, .. } => Some("list your archives with: squirrel vault list".into()),
            ClientError::Server { status: 413, .. } => {
                Some("the server refuses files this large (its --max-upload)".into())
            }
            ClientError::Archive(StorageError::Integrity) => Some(
                "nothing was written; download it again, and if it fails again the archive on the server was changed".into(),
            ),
            _ => None,
        }
    }
}

/// A logged-in session: its id and the archive key derived on this side.
#[derive(Debug)]
pub struct LoggedIn {
    /// The user name.
    pub user: String,
    /// Session id (UUID) sent as `Authorization`.
    pub session_id: String,
    /// The key derivation parameters from the login reply.
    pub kdf: KdfParams,
    archive_key: ArchiveKey,
}

impl LoggedIn {
    /// The user's archive key (a Fernet key), derived locally.
    pub fn archive_key(&self) -> &ArchiveKey {
        &self.archive_key
    }
}

enum Body<'a> {
    Empty,
    Bytes(&'a [u8]),
    File(&'a mut File, u64),
}

/// A client for one vault server.
pub struct VaultClient {
    connector: SslConnector,
    host: String,
    port: u16,
    timeout: Duration,
}

/// Splits `HOST:PORT` (`[::1]:5000` for IPv6); a missing port means 5000.
pub fn parse_server(server: &str) -> Result<(String, u16), ClientError> {
    let bad = || ClientError::BadAddress(server.to_string());
    let server = server.trim();
    let (host, port) = if let Some(rest) = server.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        (host.to_string(), after.strip_prefix(':'))
    } else {
        match server.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (server.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p.parse().map_err(|_| bad())?,
        None => 5000,
    };
    if host.is_empty() {
        return Err(bad());
    }
    Ok((host, port))
}

impl VaultClient {
    /// A client for `server` (`HOST:PORT`) using `ca.crt`, `client.crt` and `client.key`
    /// from `certs_dir`; each read and write waits at most `timeout`.
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
        })
    }

    fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<Response, ClientError> {
        let mut stream = tls::connect(&self.connector, &self.host, self.port, self.timeout)?;
        let host = format!("{}:{}", self.host, self.port);
        let length = match &body {
            Body::Empty if method == "GET" => None,
            Body::Empty => Some(0),
            Body::Bytes(b) => Some(b.len() as u64),
            Body::File(_, n) => Some(*n),
        };
        let sent = (|| -> io::Result<()> {
            http::write_request_head(&mut stream, method, target, Some(&host), headers, length)?;
            match body {
                Body::Empty => {}
                Body::Bytes(bytes) => io::Write::write_all(&mut stream, bytes)?,
                Body::File(file, n) => {
                    let copied = io::copy(&mut file.take(n), &mut stream)?;
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
        let reply = http::read_response(&mut stream, MAX_REPLY);
        let _ = stream.shutdown();
        match (sent, reply) {
            (_, Ok(response)) if response.status == 200 => Ok(response),
            (_, Ok(response)) => Err(ClientError::Server {
                status: response.status,
                message: response
                    .message()
                    .unwrap_or_else(|| http::reason(response.status).to_string()),
            }),
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
        )?;
        let json = reply
            .json_body()
            .map_err(|e| ClientError::BadReply(e.to_string()))?;
        let session_id = json
            .get("session_id")
            .and_then(|v| v.as_str())
            .ok_or_else(|| ClientError::BadReply("no session_id in the login reply".into()))?
            .to_string();
        let kdf: KdfParams = json
            .get("kdf")
            .cloned()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(|| ClientError::BadReply("no usable kdf in the login reply".into()))?;
        let archive_key = MasterKey::derive(password, &kdf)?.archive_key()?;
        Ok(LoggedIn {
            user: user.to_string(),
            session_id,
            kdf,
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
                "not a file name in UTF-8",
            ))
        })?;
        let mut file = File::open(path).map_err(file_error)?;
        let meta = file.metadata().map_err(file_error)?;
        if !meta.is_file() {
            return Err(file_error(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
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
        storage::check_file_name(name)?;
        let reply = self.send(
            "POST",
            "/upload-file",
            &[("Authorization", &session.session_id), ("File-Name", name)],
            body,
        )?;
        let json = reply
            .json_body()
            .map_err(|e| ClientError::BadReply(e.to_string()))?;
        json.get("archive")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| ClientError::BadReply("no archive name in the upload reply".into()))
    }

    /// `GET /get-files`: the names of this user's archives.
    pub fn list(&self, session: &LoggedIn) -> Result<Vec<String>, ClientError> {
        let reply = self.send(
            "GET",
            "/get-files",
            &[("Authorization", &session.session_id)],
            Body::Empty,
        )?;
        let json = reply
            .json_body()
            .map_err(|e| ClientError::BadReply(e.to_string()))?;
        let archives = json
            .get("archives")
            .and_then(|v| v.as_array())
            .ok_or_else(|| ClientError::BadReply("no archives list in the reply".into()))?;
        Ok(archives
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect())
    }

    /// `GET /archives/<archive>`: the stored archive bytes (a Fernet token).
    pub fn fetch(&self, session: &LoggedIn, archive: &str) -> Result<Vec<u8>, ClientError> {
        let target = format!("/archives/{}", utf8_percent_encode(archive, PATH_SEGMENT));
        let reply = self.send(
            "GET",
            &target,
            &[("Authorization", &session.session_id)],
            Body::Empty,
        )?;
        Ok(reply.body)
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
        )?;
        let json = reply
            .json_body()
            .map_err(|e| ClientError::BadReply(e.to_string()))?;
        let content = json
            .get("file_content")
            .and_then(|v| v.as_str())
            .ok_or_else(|| ClientError::BadReply("no file_content in the reply".into()))?;
        STANDARD
            .decode(content)
            .map_err(|_| ClientError::BadReply("file_content is not base64".into()))
    }

    /// Fetches `archive`, decrypts and unzips it, and writes the file into
    /// `downloads_dir` without overwriting anything (see [`save_download`]). A tampered
    /// archive is [`StorageError::Integrity`] and nothing is written.
    pub fn download(
        &self,
        session: &LoggedIn,
        archive: &str,
        downloads_dir: &Path,
    ) -> Result<PathBuf, ClientError> {
        let token = self.fetch(session, archive)?;
        let (name, content) = storage::open(&token, &session.archive_key, MAX_FILE)?;
        save_download(downloads_dir, &name, &content)
    }

    /// `POST /logout`.
    pub fn logout(&self, session: &LoggedIn) -> Result<(), ClientError> {
        self.send(
            "POST",
            "/logout",
            &[("Authorization", &session.session_id)],
            Body::Empty,
        )?;
        Ok(())
    }
}

/// Writes `content` as `dir/name`, or `name (1)`, `name (2)`… when that exists: through
/// a temporary file and a no-clobber rename, so an existing file is never replaced and a
/// failure leaves no partial file. Returns the path written.
pub fn save_download(dir: &Path, name: &str, content: &[u8]) -> Result<PathBuf, ClientError> {
    storage::check_file_name(name)?;
    std::fs::create_dir_all(dir).map_err(|source| ClientError::File {
        path: dir.to_path_buf(),
        source,
    })?;
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    for n in 0..10_000u32 {
        let candidate = if n == 0 {
            name.to_string()
        } else {
            format!("{stem} ({n}){ext}")
        };
        let path = dir.join(&candidate);
        match storage::write_atomic(&path, content, true) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(ClientError::File { path, source }),
        }
    }
    Err(ClientError::File {
        path: dir.join(name),
        source: io::Error::new(io::ErrorKind::AlreadyExists, "too many files of this name"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_parse() {
        assert_eq!(
            parse_server("localhost:5000").unwrap(),
            ("localhost".into(), 5000)
        );
        assert_eq!(parse_server("[::1]:7").unwrap(), ("::1".into(), 7));
        assert_eq!(parse_server("example").unwrap(), ("example".into(), 5000));
        assert!(parse_server(":5").is_err());
        assert!(parse_server("h:x").is_err());
    }

    #[test]
    fn downloads_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let a = save_download(dir.path(), "notes.txt", b"one").unwrap();
        let b = save_download(dir.path(), "notes.txt", b"two").unwrap();
        assert_eq!(a.file_name().unwrap(), "notes.txt");
        assert_eq!(b.file_name().unwrap(), "notes (1).txt");
        assert_eq!(std::fs::read(a).unwrap(), b"one");
        assert!(save_download(dir.path(), "../x", b"no").is_err());
    }
}
