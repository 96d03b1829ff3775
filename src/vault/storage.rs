//! Where the server keeps archives: `archives/<user>/<archive>` under the data folder,
//! one folder per user (the format of an archive is [`super::archive`]).
//!
//! Every write is atomic ([`crate::files`]): a temporary file in the user's folder,
//! fsync, a no-clobber rename to a fresh name, fsync of the folder. A crash leaves either
//! the whole archive or none (and a stale temporary file that [`Storage::open`] removes).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::files::{self, Access, Existing, TEMP_PREFIX};
use crate::vault::archive::{
    archive_name, check_archive_name, check_file_name, ArchiveError, NameRule,
};

/// The archive store under a data folder.
#[derive(Debug)]
pub struct Storage {
    root: PathBuf,
}

impl Storage {
    /// Opens (creating) `<data_dir>/archives` and removes temporary files left by a
    /// crash mid-upload.
    pub fn open(data_dir: &Path) -> Result<Self, ArchiveError> {
        let root = data_dir.join("archives");
        fs::create_dir_all(&root)?;
        let storage = Storage { root };
        storage.remove_stale_temporaries()?;
        Ok(storage)
    }

    fn remove_stale_temporaries(&self) -> Result<(), ArchiveError> {
        for user_dir in fs::read_dir(&self.root)? {
            let user_dir = user_dir?.path();
            if !user_dir.is_dir() {
                continue;
            }
            for entry in fs::read_dir(&user_dir)? {
                let entry = entry?;
                if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                    log::warn!(
                        "removing an unfinished upload left by a crash: {}",
                        entry.path().display()
                    );
                    fs::remove_file(entry.path())?;
                }
            }
        }
        Ok(())
    }

    /// A user's folder. The name is checked again here, whatever checked it before: it
    /// becomes a path, and `users.json` could hold `../../escape`.
    fn user_dir(&self, user: &str) -> Result<PathBuf, ArchiveError> {
        crate::vault::users::check_user_name(user)
            .map_err(|_| ArchiveError::BadName(NameRule::NotUserName))?;
        Ok(self.root.join(user))
    }

    /// Bytes `user`'s archives take on disk (the sum of their sizes).
    pub fn usage(&self, user: &str) -> Result<u64, ArchiveError> {
        let dir = self.user_dir(user)?;
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let mut total = 0u64;
        for entry in entries {
            let metadata = entry?.metadata()?;
            if metadata.is_file() {
                total = total.saturating_add(metadata.len());
            }
        }
        Ok(total)
    }

    /// Bytes free for us on the file system that holds the archives (statvfs(3)).
    pub fn free_space(&self) -> Result<u64, ArchiveError> {
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(self.root.as_os_str().as_bytes())
            .map_err(|_| ArchiveError::BadName(NameRule::NulInDataPath))?;
        // SAFETY: an all-zero statvfs is a valid value for the call to fill in.
        let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
        // SAFETY: `path` is NUL-terminated and `stats` is a valid, writable statvfs.
        if unsafe { libc::statvfs(path.as_ptr(), &mut stats) } != 0 {
            return Err(io::Error::last_os_error().into());
        }
        Ok((stats.f_bavail as u64).saturating_mul(stats.f_frsize as u64))
    }

    /// A new temporary file in `user`'s folder (`.tmp-…`, removed if dropped, and by
    /// start-up after a crash): an archive is written there, then committed.
    pub fn temporary(&self, user: &str) -> Result<tempfile::NamedTempFile, ArchiveError> {
        let dir = self.user_dir(user)?;
        fs::create_dir_all(&dir)?;
        Ok(files::temporary_in(&dir, Access::Private)?)
    }

    /// Makes a written temporary file `user`'s archive of `file_name` at `time`, under
    /// a fresh name: fsync, no-clobber rename, fsync of the folder. Never replaces an
    /// existing archive. Returns the name.
    pub fn commit(
        &self,
        user: &str,
        file_name: &str,
        time: DateTime<Utc>,
        temp: tempfile::NamedTempFile,
    ) -> Result<String, ArchiveError> {
        check_file_name(file_name)?;
        let dir = self.user_dir(user)?;
        let names = (0..10_000).map(|counter| archive_name(file_name, time, counter));
        match files::commit_fresh(temp, &dir, names) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Err(ArchiveError::BadName(NameRule::TooManyInOneSecond))
            }
            other => Ok(other?),
        }
    }

    /// The names of `user`'s archives, sorted.
    pub fn list(&self, user: &str) -> Result<Vec<String>, ArchiveError> {
        let dir = self.user_dir(user)?;
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry?;
            if let Some(name) = entry.file_name().to_str() {
                if check_archive_name(name).is_ok() && entry.file_type()?.is_file() {
                    names.push(name.to_string());
                }
            }
        }
        names.sort();
        Ok(names)
    }

    /// The path of one of `user`'s archives, after checking the name.
    pub fn path(&self, user: &str, archive: &str) -> Result<PathBuf, ArchiveError> {
        check_archive_name(archive)?;
        Ok(self.user_dir(user)?.join(archive))
    }

    /// Opens one of `user`'s archives for streaming: the open file and its length in
    /// bytes. The length comes from the open file, so an archive replaced meanwhile (a
    /// password change renames a new one over it) is still read whole and consistent.
    pub fn open_archive(&self, user: &str, archive: &str) -> Result<(fs::File, u64), ArchiveError> {
        let path = self.path(user, archive)?;
        let file = fs::File::open(&path).map_err(not_found)?;
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Err(ArchiveError::NotFound);
        }
        Ok((file, metadata.len()))
    }

    /// Replaces an existing archive with a written temporary file atomically (fsync,
    /// rename, fsync of the folder): a password change re-encrypts archives this way.
    pub fn replace(
        &self,
        user: &str,
        archive: &str,
        temp: tempfile::NamedTempFile,
    ) -> Result<(), ArchiveError> {
        let path = self.path(user, archive)?;
        if !path.is_file() {
            return Err(ArchiveError::NotFound);
        }
        Ok(files::commit(temp, &path, Existing::Replace)?)
    }
}

fn not_found(e: io::Error) -> ArchiveError {
    if e.kind() == io::ErrorKind::NotFound {
        ArchiveError::NotFound
    } else {
        e.into()
    }
}
