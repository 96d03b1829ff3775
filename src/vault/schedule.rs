//! Daily scheduled uploads, as the original client's background job did them: a list of
//! files, `upload_schedule.json` = `{"<absolute path>": <last upload, unix seconds>}`
//! (0 = never), and a pass that uploads each file whose last upload is
//! [`INTERVAL_SECS`] (24 h) old or more.
//!
//! What it does more safely than the original:
//!
//! - the time is recorded only after the server confirmed the upload, and the file is
//!   re-read just before, so entries added or removed meanwhile are kept;
//! - a missing file is reported and stays in the schedule (a disk not mounted yet);
//! - the session is renewed when the server forgot it ([`Account::call`]);
//! - two runs never overlap: [`RunLock`] holds `upload_schedule.lock`, and a lock left
//!   by a process that died is taken over (and said so);
//! - the clock is a parameter, so "24 h old" is tested without waiting a day.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::files::{self, StateError};
use crate::i18n::{Lang, Localized};
use crate::vault::archive::{self, ArchiveError};
use crate::vault::client::{Account, ClientError, STALE_AFTER_SECS};
use crate::{tr, tr_in};

/// The schedule's file name in the state folder.
pub const SCHEDULE_FILE: &str = "upload_schedule.json";

/// The lock file's name in the state folder: it holds the PID of the running pass.
pub const LOCK_FILE: &str = "upload_schedule.lock";

/// A file is uploaded again once its last upload is this old (24 h, in seconds).
pub const INTERVAL_SECS: i64 = STALE_AFTER_SECS;

/// How often `schedule run` looks for due files: every minute, as the original did.
pub const DEFAULT_CHECK_EVERY: Duration = Duration::from_secs(60);

/// Why the schedule could not be read, changed or run.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The schedule or lock file could not be read or written.
    File {
        /// `upload_schedule.json` or `upload_schedule.lock` in the state folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },
    /// `upload_schedule.json` is not the expected JSON object.
    Format {
        /// `upload_schedule.json` in the state folder.
        path: PathBuf,
        /// The parser's complaint.
        reason: String,
    },
    /// Another scheduler pass holds the lock.
    Busy {
        /// The process holding the lock.
        pid: u32,
        /// The lock file.
        path: PathBuf,
    },
    /// `schedule remove` of a file that is not scheduled.
    NotScheduled(String),
    /// `schedule add` of something that is not a regular file (the reason in the
    /// language in force).
    NotAFile {
        /// The path given.
        path: PathBuf,
        /// Why it cannot be scheduled.
        reason: String,
    },
}

impl Localized for ScheduleError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            ScheduleError::File { path, source } => tr_in!(
                lang,
                "vault-error-file",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            ScheduleError::Format { path, reason } => tr_in!(
                lang,
                "vault-error-not-a-schedule",
                path = path.display().to_string(),
                reason = reason
            ),
            ScheduleError::Busy { pid, .. } => {
                tr_in!(lang, "vault-error-scheduler-busy", pid = pid.to_string())
            }
            ScheduleError::NotScheduled(path) => {
                tr_in!(lang, "vault-error-not-scheduled", path = path)
            }
            ScheduleError::NotAFile { path, reason } => tr_in!(
                lang,
                "vault-error-file",
                path = path.display().to_string(),
                reason = reason
            ),
        }
    }
}

crate::english_display!(ScheduleError);

impl From<StateError> for ScheduleError {
    fn from(e: StateError) -> Self {
        match e {
            StateError::File { path, source } => ScheduleError::File { path, source },
            StateError::Format { path, reason } => ScheduleError::Format { path, reason },
        }
    }
}

impl ScheduleError {
    /// The next step to suggest to a person, if any, in the language in force.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(crate::i18n::lang())
    }

    /// [`ScheduleError::hint`] in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<String> {
        match self {
            ScheduleError::Busy { path, .. } => Some(tr_in!(
                lang,
                "vault-hint-scheduler-busy",
                path = path.display().to_string()
            )),
            ScheduleError::Format { path, .. } => Some(tr_in!(
                lang,
                "vault-hint-schedule-format",
                path = path.display().to_string()
            )),
            ScheduleError::NotScheduled(_) => Some(tr_in!(lang, "vault-hint-schedule-list")),
            _ => None,
        }
    }
}

/// Whether a file last uploaded at `last` (unix seconds, 0 = never) is due at `now`.
pub fn is_due(last: i64, now: i64) -> bool {
    last <= 0 || now.saturating_sub(last) >= INTERVAL_SECS
}

/// When a file last uploaded at `last` is due next (unix seconds; 0 = now).
pub fn next_due(last: i64) -> i64 {
    if last <= 0 {
        0
    } else {
        last.saturating_add(INTERVAL_SECS)
    }
}

/// The current time in unix seconds: the clock of real runs.
pub fn system_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `path` made absolute against the current folder (lexically: a symbolic link stays a
/// link, so a link to "the latest export" keeps following it).
pub fn absolute(path: &Path) -> Result<PathBuf, ScheduleError> {
    std::path::absolute(path).map_err(|source| ScheduleError::File {
        path: path.to_path_buf(),
        source,
    })
}

/// The upload schedule of a state folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    path: PathBuf,
    entries: BTreeMap<String, i64>,
}

impl Schedule {
    /// Reads `dir/upload_schedule.json`; an absent file is an empty schedule.
    pub fn load(dir: &Path) -> Result<Self, ScheduleError> {
        let path = dir.join(SCHEDULE_FILE);
        let entries = files::load_json(&path)?.unwrap_or_default();
        Ok(Schedule { path, entries })
    }

    /// Writes the schedule atomically (see [`files::save_json`]).
    pub fn save(&self) -> Result<(), ScheduleError> {
        Ok(files::save_json(&self.path, &self.entries)?)
    }

    /// `upload_schedule.json` in the state folder this schedule was loaded from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The scheduled files (absolute paths) with their last upload (unix seconds, 0 =
    /// never), sorted by path.
    pub fn entries(&self) -> impl Iterator<Item = (&str, i64)> {
        self.entries.iter().map(|(p, t)| (p.as_str(), *t))
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The last upload of a scheduled file (by its absolute path).
    pub fn last_upload(&self, path: &str) -> Option<i64> {
        self.entries.get(path).copied()
    }

    /// Schedules `file` (made absolute; it must be a regular file whose name the vault
    /// accepts). Returns the stored path and whether it was new; a file already
    /// scheduled keeps its last upload time.
    pub fn add(&mut self, file: &Path) -> Result<(String, bool), ScheduleError> {
        let path = absolute(file)?;
        let not_a_file = |reason: String| ScheduleError::NotAFile {
            path: file.to_path_buf(),
            reason,
        };
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => return Err(not_a_file(tr!("vault-reason-not-a-regular-file"))),
            Err(e) => return Err(not_a_file(e.to_string())),
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| not_a_file(tr!("vault-reason-name-not-utf8")))?;
        if let Err(ArchiveError::BadName(rule)) = archive::check_file_name(name) {
            return Err(not_a_file(tr!(
                "vault-reason-refused-name",
                reason = rule.localized()
            )));
        }
        let key = path
            .to_str()
            .ok_or_else(|| not_a_file(tr!("vault-reason-not-utf8-path")))?
            .to_string();
        let new = !self.entries.contains_key(&key);
        self.entries.entry(key.clone()).or_insert(0);
        Ok((key, new))
    }

    /// Removes `file` (as given, or made absolute) from the schedule; returns the
    /// stored path. The file itself is not touched.
    pub fn remove(&mut self, file: &Path) -> Result<String, ScheduleError> {
        let given = file.to_string_lossy().into_owned();
        let candidates = [
            Some(given.clone()),
            absolute(file)
                .ok()
                .and_then(|p| p.to_str().map(str::to_string)),
        ];
        for key in candidates.into_iter().flatten() {
            if self.entries.remove(&key).is_some() {
                return Ok(key);
            }
        }
        Err(ScheduleError::NotScheduled(given))
    }

    /// Sets the last upload of `path` if it is still scheduled.
    fn set_last_upload(&mut self, path: &str, time: i64) -> bool {
        match self.entries.get_mut(path) {
            Some(t) => {
                *t = time;
                true
            }
            None => false,
        }
    }
}

/// Uploads one file and says which archive the server made: an [`Account`] in real
/// runs (logging in as needed).
pub trait Uploader {
    /// Uploads the file at `path`; returns the archive name the server confirmed.
    fn upload(&mut self, path: &Path) -> Result<String, ClientError>;
    /// Called after a pass that uploaded something: a good time to log out, since the
    /// next upload is hours away and the session would expire anyway.
    fn end_pass(&mut self) {}
}

impl Uploader for Account {
    fn upload(&mut self, path: &Path) -> Result<String, ClientError> {
        self.call(|client, session| client.upload_file(session, path))
    }

    fn end_pass(&mut self) {
        if let Err(e) = self.logout() {
            log::debug!("could not log out after the scheduled uploads: {e}");
        }
    }
}

/// What a pass did with one scheduled file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Uploaded; the server made this archive, and the time was recorded.
    Uploaded {
        /// The archive name.
        archive: String,
    },
    /// Uploaded, but the new time could not be written: it will be uploaded again.
    Unrecorded {
        /// The archive name.
        archive: String,
        /// Why the schedule could not be saved, in the language in force.
        error: String,
    },
    /// Not due yet.
    NotDue {
        /// When it is due (unix seconds).
        next: i64,
    },
    /// The file does not exist (any more); it stays in the schedule.
    Missing,
    /// The upload failed; the file stays due.
    Failed {
        /// The error, one line, in the language in force.
        error: String,
        /// The next step, if one helps, in the language in force.
        hint: Option<String>,
    },
    /// Not tried, because an earlier upload of this pass failed in a way that would fail
    /// this one too (cannot connect, cannot log in).
    Skipped,
}

impl Outcome {
    /// Whether this outcome counts as a failure (for `--once`'s exit code).
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Outcome::Unrecorded { .. }
                | Outcome::Missing
                | Outcome::Failed { .. }
                | Outcome::Skipped
        )
    }
}

/// What one pass did, file by file, in the schedule's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Each scheduled file (absolute path) and what happened to it.
    pub files: Vec<(String, Outcome)>,
}

impl PassReport {
    /// Whether every file was uploaded or not due.
    pub fn ok(&self) -> bool {
        !self.files.iter().any(|(_, o)| o.is_failure())
    }

    /// The files uploaded in this pass, with their archives.
    pub fn uploaded(&self) -> Vec<(&str, &str)> {
        self.files
            .iter()
            .filter_map(|(p, o)| match o {
                Outcome::Uploaded { archive } | Outcome::Unrecorded { archive, .. } => {
                    Some((p.as_str(), archive.as_str()))
                }
                _ => None,
            })
            .collect()
    }
}

/// Whether an upload error is about this file only (the next file may still go up);
/// anything else — no connection, no login, a server fault — would fail them all.
fn is_per_file(e: &ClientError) -> bool {
    match e {
        ClientError::File { .. } | ClientError::Archive(ArchiveError::BadName(_)) => true,
        ClientError::Server { status, .. } => matches!(status, 400 | 411 | 413),
        _ => false,
    }
}

/// One pass: reads the schedule, uploads each due file through `uploader`, and records
/// `clock()` (unix seconds) for each upload the server confirmed. The caller should
/// hold the [`RunLock`]. Fails only if the schedule cannot be read; each file's fate is
/// in the report.
pub fn run_pass(
    dir: &Path,
    uploader: &mut dyn Uploader,
    clock: &dyn Fn() -> i64,
) -> Result<PassReport, ScheduleError> {
    let schedule = Schedule::load(dir)?;
    let now = clock();
    let mut report = PassReport::default();
    let mut give_up = false;
    for (path, last) in schedule.entries() {
        let outcome = if !is_due(last, now) {
            Outcome::NotDue {
                next: next_due(last),
            }
        } else if give_up {
            Outcome::Skipped
        } else if !Path::new(path).exists() {
            Outcome::Missing
        } else {
            match uploader.upload(Path::new(path)) {
                Ok(archive) => match record(dir, path, clock()) {
                    Ok(()) => Outcome::Uploaded { archive },
                    Err(e) => Outcome::Unrecorded {
                        archive,
                        error: e.localized(),
                    },
                },
                Err(ClientError::File { source, .. })
                    if source.kind() == io::ErrorKind::NotFound =>
                {
                    Outcome::Missing
                }
                Err(e) => {
                    give_up = !is_per_file(&e);
                    Outcome::Failed {
                        error: e.localized(),
                        hint: e.hint(),
                    }
                }
            }
        };
        report.files.push((path.to_string(), outcome));
    }
    if report.files.iter().any(|(_, o)| {
        matches!(
            o,
            Outcome::Uploaded { .. } | Outcome::Unrecorded { .. } | Outcome::Failed { .. }
        )
    }) {
        uploader.end_pass();
    }
    Ok(report)
}

/// Records an upload time, re-reading the schedule first so that files added or removed
/// by another command during the upload are kept as they are now.
fn record(dir: &Path, path: &str, time: i64) -> Result<(), ScheduleError> {
    let mut schedule = Schedule::load(dir)?;
    if schedule.set_last_upload(path, time) {
        schedule.save()?;
    }
    Ok(())
}

/// Runs a pass every `every` until `stop` is set, handing each report to `on_pass`
/// (also when a pass could not read the schedule: the error goes to `on_error` and the
/// loop goes on, so fixing the file is enough). `stop` is checked between sleeps of at
/// most 100 ms.
pub fn run_loop(
    dir: &Path,
    uploader: &mut dyn Uploader,
    clock: &dyn Fn() -> i64,
    every: Duration,
    stop: &AtomicBool,
    on_pass: &mut dyn FnMut(&PassReport),
    on_error: &mut dyn FnMut(&ScheduleError),
) {
    while !stop.load(Ordering::SeqCst) {
        match run_pass(dir, uploader, clock) {
            Ok(report) => on_pass(&report),
            Err(e) => on_error(&e),
        }
        let until = Instant::now() + every;
        while !stop.load(Ordering::SeqCst) {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(100)));
        }
    }
}

/// The lock that keeps two scheduler runs of one state folder from overlapping.
///
/// `upload_schedule.lock` holds the PID of the holder. Two mechanisms together:
/// `flock(2)` makes taking the lock atomic (the kernel releases it when the holder
/// dies, however it dies), and the PID, checked with `kill(pid, 0)`, tells who holds it
/// and whether a process named in the file is still alive. A file naming a live
/// process is respected even without a `flock` (a copy of the file from elsewhere, or a
/// file system without `flock`); a file naming a dead process is a stale lock, taken
/// over and reported. Dropping the lock empties the file and releases it.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
}

/// A lock just taken: and whose stale lock it replaced, if any.
#[derive(Debug)]
pub struct Acquired {
    /// The lock; dropping it releases it.
    pub lock: RunLock,
    /// The PID named by a stale lock that was taken over (its process is gone).
    pub took_over: Option<u32>,
}

impl RunLock {
    /// Takes `dir/upload_schedule.lock`, or fails with [`ScheduleError::Busy`].
    pub fn acquire(dir: &Path) -> Result<Acquired, ScheduleError> {
        let path = dir.join(LOCK_FILE);
        let file_error = |source| ScheduleError::File {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(file_error)?;
        // Never truncate on open: the content is the holder's PID until we hold the lock.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(file_error)?;
        let previous = read_pid(&mut file).map_err(file_error)?;
        if !try_flock(&file).map_err(file_error)? {
            return Err(ScheduleError::Busy {
                pid: previous.unwrap_or(0),
                path,
            });
        }
        let me = std::process::id();
        let took_over = match previous {
            Some(pid) if pid == me => None,
            Some(pid) if process_alive(pid) => {
                return Err(ScheduleError::Busy { pid, path });
            }
            other => other,
        };
        file.set_len(0).map_err(file_error)?;
        file.rewind().map_err(file_error)?;
        writeln!(file, "{me}").map_err(file_error)?;
        file.sync_all().map_err(file_error)?;
        Ok(Acquired {
            lock: RunLock { file, path },
            took_over,
        })
    }

    /// `upload_schedule.lock` in the state folder.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Empty means free; closing the file releases the flock.
        let _ = self.file.set_len(0);
    }
}

/// The PID written in a lock file, if it holds one.
fn read_pid(file: &mut File) -> io::Result<Option<u32>> {
    let mut text = String::new();
    file.rewind()?;
    // A lock file is a few bytes; a huge one is not ours and names no PID.
    file.take(64).read_to_string(&mut text).ok();
    Ok(text.trim().parse().ok().filter(|pid| *pid > 0))
}

/// Takes an exclusive `flock` without waiting; `false` when another holds it.
#[cfg(unix)]
fn try_flock(file: &File) -> io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor we own and keep open; no memory is involved.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    if e.kind() == io::ErrorKind::WouldBlock {
        Ok(false)
    } else {
        Err(e)
    }
}

#[cfg(not(unix))]
fn try_flock(_file: &File) -> io::Result<bool> {
    Ok(true)
}

/// Whether a process with this PID exists (`kill(pid, 0)`: no signal is sent).
#[cfg(unix)]
pub fn process_alive(pid: u32) -> bool {
    // 0 and negative values would address process groups: never pass them on.
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks that the process exists and may be signalled.
    let rc = unsafe { libc::kill(pid, 0) };
    // EPERM: it exists but belongs to someone else — alive all the same.
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Whether a process with this PID exists (unknown here: assume it does).
#[cfg(not(unix))]
pub fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_after_exactly_a_day_and_never_uploaded_is_due() {
        assert!(is_due(0, 5));
        assert!(!is_due(1_000, 1_000 + INTERVAL_SECS - 1));
        assert!(is_due(1_000, 1_000 + INTERVAL_SECS));
        assert_eq!(next_due(0), 0);
        assert_eq!(next_due(10), 10 + INTERVAL_SECS);
    }

    #[test]
    fn schedule_stores_absolute_paths_and_keeps_times_on_re_add() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("acorns.txt");
        std::fs::write(&file, "12").unwrap();
        let mut s = Schedule::load(dir.path()).unwrap();
        let (key, new) = s.add(&file).unwrap();
        assert!(new && Path::new(&key).is_absolute());
        s.set_last_upload(&key, 42);
        assert!(!s.add(&file).unwrap().1);
        assert_eq!(s.last_upload(&key), Some(42));
        s.save().unwrap();
        let text = std::fs::read_to_string(dir.path().join(SCHEDULE_FILE)).unwrap();
        let json: BTreeMap<String, i64> = serde_json::from_str(&text).unwrap();
        assert_eq!(json.get(&key), Some(&42));
        assert!(matches!(
            s.add(dir.path()),
            Err(ScheduleError::NotAFile { reason, .. }) if reason == "not a regular file"
        ));
        assert_eq!(s.remove(&file).unwrap(), key);
        assert!(matches!(
            s.remove(&file),
            Err(ScheduleError::NotScheduled(_))
        ));
    }

    #[test]
    fn lock_is_exclusive_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = RunLock::acquire(dir.path()).unwrap();
        assert_eq!(first.took_over, None);
        // Our own PID is alive: a second taker in this process is refused by flock.
        match RunLock::acquire(dir.path()) {
            Err(ScheduleError::Busy { pid, .. }) => assert_eq!(pid, std::process::id()),
            other => panic!("{other:?}"),
        }
        drop(first);
        let again = RunLock::acquire(dir.path()).unwrap();
        assert_eq!(again.took_over, None);
    }
}
