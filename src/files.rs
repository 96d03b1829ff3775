//! Files squirrel writes: atomically, secret ones readable by their owner only, and the
//! small JSON state files (`users.json`, `config.json`, `upload_schedule.json`).
//!
//! An atomic write goes to a temporary file in the same folder (`.tmp-…`, so a crash
//! leaves a name the vault removes at start), is fsynced, renamed over its name (or,
//! without clobbering, only to a free name), and the folder is fsynced so the rename
//! itself survives a power cut. A reader sees the old file or the new one, never half.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use tempfile::{NamedTempFile, PersistError};

/// Prefix of our temporary files; the vault removes leftovers with it at start.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Largest single write(2), in bytes: one 85 MiB write into the page cache measured
/// 200 ms here, the same bytes in 1 MiB writes 21 ms (ext4, Linux 6.18).
const WRITE_PIECE: usize = 1024 * 1024;

/// Who may read a file we make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Its owner only (mode 0600 on Unix): keys, key logs, passwords, archives.
    Private,
    /// Anyone may read it (mode 0644 on Unix): certificates, CSRs.
    Public,
}

/// What an atomic write does when its file exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it.
    Replace,
    /// Keep it: the write fails with [`io::ErrorKind::AlreadyExists`].
    Keep,
}

/// Options that make a file readable and writable by its owner only (mode 0600 on Unix)
/// when they create it: the mode is set at creation, so the file is never readable by
/// others, not even for a moment. Add `.write(true).create(true)…` as needed.
pub fn private_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// The folder of `path` (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new temporary file in `dir` (`.tmp-…`, removed if dropped), with `access`.
pub fn temporary_in(dir: &Path, access: Access) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    // tempfile creates 0600; a public file gets 0644 from the start.
    #[cfg(unix)]
    if access == Access::Public {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = access;
    builder.tempfile_in(dir)
}

/// Makes a rename in `dir` durable (fsync of the folder; a no-op where unsupported).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// fsync, then the rename; on failure the temporary file comes back in the error.
fn rename(temp: NamedTempFile, path: &Path, existing: Existing) -> Result<(), PersistError> {
    if let Err(error) = temp.as_file().sync_all() {
        return Err(PersistError { error, file: temp });
    }
    match existing {
        Existing::Replace => temp.persist(path)?,
        Existing::Keep => temp.persist_noclobber(path)?,
    };
    Ok(())
}

/// Makes a written temporary file `path`: fsync, rename (with [`Existing::Keep`], only
/// if `path` does not exist: else [`io::ErrorKind::AlreadyExists`]), fsync of the folder.
pub fn commit(temp: NamedTempFile, path: &Path, existing: Existing) -> io::Result<()> {
    rename(temp, path, existing).map_err(|e| e.error)?;
    sync_dir(parent(path))
}

/// Makes a written temporary file in `dir` the first of `names` that is free (never
/// replacing a file), as [`commit`] does; returns that name. When every name is taken:
/// [`io::ErrorKind::AlreadyExists`].
pub fn commit_fresh(
    temp: NamedTempFile,
    dir: &Path,
    names: impl IntoIterator<Item = String>,
) -> io::Result<String> {
    let mut temp = temp;
    for name in names {
        match rename(temp, &dir.join(&name), Existing::Keep) {
            Ok(()) => {
                sync_dir(dir)?;
                return Ok(name);
            }
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => temp = e.file,
            Err(e) => return Err(e.error),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "every name tried is taken",
    ))
}

/// Writes `bytes` to `path` atomically (see the module doc), with `access`; with
/// [`Existing::Keep`] an existing `path` is an [`io::ErrorKind::AlreadyExists`] error
/// and stays untouched.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    access: Access,
) -> io::Result<()> {
    let mut temp = temporary_in(parent(path), access)?;
    for piece in bytes.chunks(WRITE_PIECE) {
        temp.write_all(piece)?;
    }
    commit(temp, path, existing)
}

/// Why a JSON state file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The state file: `users.json`, `config.json` or `upload_schedule.json`.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The file is not JSON of the expected shape.
    #[error("{path}: {reason}")]
    Format {
        /// The state file whose JSON is malformed or of another shape.
        path: PathBuf,
        /// The parser's complaint.
        reason: String,
    },
}

/// Reads the JSON state file `path`; `None` when it does not exist.
pub fn load_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, StateError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StateError::File {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| StateError::Format {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
}

/// Writes `value` as the JSON state file `path` (pretty, ending in a newline),
/// creating its folder, atomically and readable by its owner only (such files hold
/// verifiers, sometimes a password).
pub fn save_json<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), StateError> {
    let file_error = |source| StateError::File {
        path: path.to_path_buf(),
        source,
    };
    let mut json = serde_json::to_vec_pretty(value).map_err(|e| StateError::Format {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    json.push(b'\n');
    fs::create_dir_all(parent(path)).map_err(file_error)?;
    write_atomic(path, &json, Existing::Replace, Access::Private).map_err(file_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_leaves_an_existing_file_and_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        write_atomic(&path, b"one", Existing::Keep, Access::Private).unwrap();
        let err = write_atomic(&path, b"two", Existing::Keep, Access::Private).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"three", Existing::Replace, Access::Private).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"three");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_and_public_ones_0644() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let private = dir.path().join("key");
        write_atomic(&private, b"k", Existing::Keep, Access::Private).unwrap();
        assert_eq!(mode(&private), 0o600);
        let public = dir.path().join("crt");
        write_atomic(&public, b"c", Existing::Keep, Access::Public).unwrap();
        assert_eq!(mode(&public), 0o644);
        let log = dir.path().join("log");
        private_options()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        assert_eq!(mode(&log), 0o600);
        save_json(&dir.path().join("state/s.json"), &[1, 2]).unwrap();
        assert_eq!(mode(&dir.path().join("state/s.json")), 0o600);
    }

    #[test]
    fn commit_fresh_takes_the_first_free_name() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a"), b"old").unwrap();
        let mut temp = temporary_in(dir.path(), Access::Private).unwrap();
        temp.write_all(b"new").unwrap();
        let name = commit_fresh(temp, dir.path(), ["a", "b"].map(String::from)).unwrap();
        assert_eq!(name, "b");
        assert_eq!(fs::read(dir.path().join("a")).unwrap(), b"old");
        assert_eq!(fs::read(dir.path().join("b")).unwrap(), b"new");
    }

    #[test]
    fn json_state_round_trips_and_absent_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        assert_eq!(load_json::<Vec<u8>>(&path).unwrap(), None);
        save_json(&path, &vec![1u8, 2]).unwrap();
        assert_eq!(load_json::<Vec<u8>>(&path).unwrap(), Some(vec![1, 2]));
        fs::write(&path, b"{").unwrap();
        assert!(matches!(
            load_json::<Vec<u8>>(&path),
            Err(StateError::Format { .. })
        ));
    }
}
