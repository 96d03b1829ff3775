//! Transfer progress through one interface (restic's `ui/backup` idea: one reporter
//! trait, several printers). The client reports bytes as they cross the socket; who
//! shows them is the caller's choice:
//!
//! - [`TerminalBar`]: an `indicatif` bar on stderr, for transfers over [`BAR_THRESHOLD`];
//! - [`Shared`]: the latest state, read by the terminal UI when it draws a frame;
//! - [`Quiet`]: nothing (scripts, pipes, `--quiet`).

use std::io::{self, Read};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Transfers smaller than this (1 MiB) finish before a bar would tell anything.
pub const BAR_THRESHOLD: u64 = 1 << 20;

/// Which way the bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// File bytes streamed to the server (`POST /upload-file`).
    Upload,
    /// Archive bytes received from the server (`GET /archives/<name>`).
    Download,
}

impl Direction {
    /// "Uploading" or "Downloading", in the language in force.
    pub fn verb(self) -> String {
        self.verb_in(crate::i18n::lang())
    }

    /// "Uploading" or "Downloading", in `lang`.
    pub fn verb_in(self, lang: crate::i18n::Lang) -> String {
        match self {
            Direction::Upload => crate::tr_in!(lang, "vault-uploading"),
            Direction::Download => crate::tr_in!(lang, "vault-downloading"),
        }
    }
}

/// Receives the progress of one transfer at a time: `begin`, any number of `advance`,
/// then `finish` (also after a failure). Methods take `&self` so one reporter can be
/// shared between the client and whoever draws it.
pub trait Progress: Send + Sync {
    /// A transfer of `total` bytes named `name` (a file or an archive) starts.
    fn begin(&self, direction: Direction, name: &str, total: u64);
    /// `bytes` more bytes were sent or received.
    fn advance(&self, bytes: u64);
    /// The transfer ended, whether it succeeded or not.
    fn finish(&self);
}

/// Shows nothing: for scripts, pipes and `--quiet`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Quiet;

impl Progress for Quiet {
    fn begin(&self, _: Direction, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// An `indicatif` bar on stderr for transfers of at least `threshold` bytes; smaller
/// ones show nothing. The bar is cleared when the transfer ends, so the caller's
/// one-line result stands alone.
#[derive(Debug)]
pub struct TerminalBar {
    threshold: u64,
    bar: Mutex<Option<ProgressBar>>,
}

impl TerminalBar {
    /// A bar for transfers of at least `threshold` bytes ([`BAR_THRESHOLD`] is usual).
    pub fn new(threshold: u64) -> Self {
        TerminalBar {
            threshold,
            bar: Mutex::new(None),
        }
    }

    fn slot(&self) -> MutexGuard<'_, Option<ProgressBar>> {
        // A panic while drawing must not stop later transfers from reporting.
        self.bar.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Progress for TerminalBar {
    fn begin(&self, direction: Direction, name: &str, total: u64) {
        let mut slot = self.slot();
        if let Some(old) = slot.take() {
            old.finish_and_clear();
        }
        if total < self.threshold {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        // The template is a constant: a parse failure is a programming error, and the
        // bar then keeps indicatif's default look rather than failing the transfer.
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(format!("{} {name}", direction.verb()));
        bar.enable_steady_tick(Duration::from_millis(200));
        *slot = Some(bar);
    }

    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.slot().as_ref() {
            bar.inc(bytes);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.slot().take() {
            bar.finish_and_clear();
        }
    }
}

/// What a [`Shared`] reporter knows about the current transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Upload or download.
    pub direction: Direction,
    /// The file or archive.
    pub name: String,
    /// Bytes transferred so far (of the file on upload, of the archive on download).
    pub done: u64,
    /// Bytes in all: the file's length, or the archive's `Content-Length`.
    pub total: u64,
}

impl Snapshot {
    /// Progress as a fraction in `0.0..=1.0` (1.0 for an empty transfer).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }
}

/// Keeps the latest state for someone else to draw (the terminal UI reads it between
/// frames). Clone it to hand one copy to the client and keep one to read.
#[derive(Debug, Default, Clone)]
pub struct Shared {
    state: Arc<Mutex<Option<Snapshot>>>,
}

impl Shared {
    /// The transfer under way, if any.
    pub fn snapshot(&self) -> Option<Snapshot> {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Option<Snapshot>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Progress for Shared {
    fn begin(&self, direction: Direction, name: &str, total: u64) {
        *self.lock() = Some(Snapshot {
            direction,
            name: name.to_string(),
            done: 0,
            total,
        });
    }

    fn advance(&self, bytes: u64) {
        if let Some(s) = self.lock().as_mut() {
            s.done = s.done.saturating_add(bytes);
        }
    }

    fn finish(&self) {
        *self.lock() = None;
    }
}

/// A reader that reports every byte it yields to a [`Progress`].
pub struct ProgressReader<'a, R> {
    inner: R,
    progress: &'a dyn Progress,
}

impl<'a, R: Read> ProgressReader<'a, R> {
    /// Wraps `inner`; `progress.begin` must already have been called.
    pub fn new(inner: R, progress: &'a dyn Progress) -> Self {
        ProgressReader { inner, progress }
    }
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_reporter_counts_bytes_read_through_it() {
        let shared = Shared::default();
        shared.begin(Direction::Upload, "nuts.txt", 10);
        let mut out = Vec::new();
        ProgressReader::new(&b"0123456789"[..], &shared)
            .read_to_end(&mut out)
            .unwrap();
        let s = shared.snapshot().unwrap();
        assert_eq!((s.done, s.total, s.ratio()), (10, 10, 1.0));
        shared.finish();
        assert!(shared.snapshot().is_none());
    }

    #[test]
    fn terminal_bar_stays_hidden_below_its_threshold() {
        let bar = TerminalBar::new(BAR_THRESHOLD);
        bar.begin(Direction::Download, "small", 10);
        assert!(bar.slot().is_none());
        bar.finish();
    }
}
