//! How the client reads each reply of the wire protocol: a function per reply, from a
//! whole [`Response`] to what it means, refusing any other shape (a hostile server's
//! replies included: the fuzz target `reply` feeds these with arbitrary bytes).

use super::*;

/// What a login reply gives the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginReply {
    /// The session id, sent back as `Authorization`.
    pub session_id: String,
    /// The key derivation parameters (checked when the key is derived).
    pub kdf: KdfParams,
    /// The server's upload limit in bytes, when it says (an extension).
    pub max_upload: Option<u64>,
}

/// Reads a `/login` reply: `{"session_id", "kdf", "max_upload"?}`.
pub fn login_reply(reply: &Response) -> Result<LoginReply, ClientError> {
    let json = reply_json(reply)?;
    let session_id = string_field(&json, "session_id", "login")?;
    let kdf: KdfParams = json
        .get("kdf")
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| ClientError::BadReply("no usable kdf in the login reply".into()))?;
    let max_upload = json.get("max_upload").and_then(|v| v.as_u64());
    Ok(LoginReply {
        session_id,
        kdf,
        max_upload,
    })
}

/// Reads an `/upload-file` reply: the archive name, which must be one we could ask
/// for back (no control characters, no path).
pub fn upload_reply(reply: &Response) -> Result<String, ClientError> {
    let archive = string_field(&reply_json(reply)?, "archive", "upload")?;
    if archive::check_archive_name(&archive).is_err() {
        return Err(ClientError::BadReply(format!(
            "the server named the archive {}, which is not an archive name",
            printable(&archive)
        )));
    }
    Ok(archive)
}

/// Reads a `/get-files` reply: each archive with what is known of it (file name and
/// upload time from its name, stored size from the optional `details`). Names that are
/// not archive names (control characters, a path) are left out.
pub fn list_reply(reply: &Response) -> Result<Vec<ArchiveInfo>, ClientError> {
    let json = reply_json(reply)?;
    let archives = json
        .get("archives")
        .and_then(|v| v.as_array())
        .ok_or_else(|| ClientError::BadReply("no archives list in the reply".into()))?;
    let sizes: HashMap<&str, u64> = json
        .get("details")
        .and_then(|v| v.as_array())
        .map(|details| {
            details
                .iter()
                .filter_map(|d| Some((d.get("name")?.as_str()?, d.get("size")?.as_u64()?)))
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<&str> = archives.iter().filter_map(|v| v.as_str()).collect();
    // A name we could not ask for back (control characters, a path) is no archive of
    // ours: leave it out rather than print it.
    let (names, odd): (Vec<&str>, Vec<&str>) = names
        .into_iter()
        .partition(|name| archive::check_archive_name(name).is_ok());
    if !odd.is_empty() {
        log::warn!(
            "the server listed {} name(s) that are not archive names; left out",
            odd.len()
        );
    }
    Ok(names
        .into_iter()
        .map(|archive| {
            let parsed = archive::parse_archive_name(archive);
            ArchiveInfo {
                archive: archive.to_string(),
                file_name: parsed
                    .as_ref()
                    .map_or_else(|| archive.to_string(), |(name, _)| name.clone()),
                uploaded: parsed.map(|(_, t)| t),
                size: sizes.get(archive).copied(),
            }
        })
        .collect())
}

/// Reads a `/download-file` reply: the archive bytes from `file_content` (base64).
pub fn download_file_reply(reply: &Response) -> Result<Vec<u8>, ClientError> {
    let content = string_field(&reply_json(reply)?, "file_content", "download")?;
    STANDARD
        .decode(content)
        .map_err(|_| ClientError::BadReply("file_content is not base64".into()))
}

/// The error a non-200 reply stands for, its message made [`printable`].
pub fn error_reply(reply: &Response) -> ClientError {
    ClientError::Server {
        status: reply.status,
        message: printable(
            &reply
                .message()
                .unwrap_or_else(|| http::reason(reply.status).to_string()),
        ),
    }
}

/// The JSON body of a reply; anything else is [`ClientError::BadReply`].
fn reply_json(reply: &Response) -> Result<serde_json::Value, ClientError> {
    reply
        .json_body()
        .map_err(|e| ClientError::BadReply(e.to_string()))
}

/// A string field of a reply's JSON, e.g. `session_id` of the `login` reply.
fn string_field(json: &serde_json::Value, field: &str, reply: &str) -> Result<String, ClientError> {
    json.get(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| ClientError::BadReply(format!("no {field} in the {reply} reply")))
}
