//! The client's one progress interface: every byte streamed up and every byte received
//! is reported, and a transfer always ends with `finish` — through a real vault.

mod common;

use std::sync::{Arc, Mutex};

use common::{random_bytes, TestVault};
use squirrel::server::Limits;
use squirrel::vault::progress::{Direction, Progress};

#[derive(Debug, Default)]
struct Recorded {
    begun: Vec<(Direction, String, u64)>,
    bytes: u64,
    finished: usize,
}

/// A reporter that remembers what it was told.
#[derive(Debug, Default, Clone)]
struct Recorder(Arc<Mutex<Recorded>>);

impl Progress for Recorder {
    fn begin(&self, direction: Direction, name: &str, total: u64) {
        let mut r = self.0.lock().unwrap();
        r.begun.push((direction, name.to_string(), total));
        r.bytes = 0;
    }
    fn advance(&self, bytes: u64) {
        self.0.lock().unwrap().bytes += bytes;
    }
    fn finish(&self) {
        self.0.lock().unwrap().finished += 1;
    }
}

#[test]
fn upload_reports_every_byte_sent_and_download_every_byte_received() {
    let tv = TestVault::start();
    let recorder = Recorder::default();
    let client = tv.client().with_progress(Arc::new(recorder.clone()));
    let session = client.login("user1", "password1").unwrap();
    {
        let r = recorder.0.lock().unwrap();
        assert!(r.begun.is_empty(), "a login is not a transfer: {r:?}");
    }

    let dir = tempfile::tempdir().unwrap();
    let content = random_bytes(2 << 20);
    let path = dir.path().join("big.bin");
    std::fs::write(&path, &content).unwrap();
    let archive = client.upload_file(&session, &path).unwrap();
    {
        let r = recorder.0.lock().unwrap();
        assert_eq!(
            r.begun,
            vec![(Direction::Upload, "big.bin".to_string(), 2 << 20)]
        );
        assert_eq!(r.bytes, 2 << 20);
        assert_eq!(r.finished, 1);
    }

    let saved = client
        .download(&session, &archive, &dir.path().join("downloads"))
        .unwrap();
    assert_eq!(std::fs::read(saved).unwrap(), content);
    let stored = std::fs::metadata(tv.data.join("archives/user1").join(&archive))
        .unwrap()
        .len();
    let r = recorder.0.lock().unwrap();
    assert_eq!(
        r.begun[1],
        (Direction::Download, archive.clone(), stored),
        "the total is the archive's size on the wire"
    );
    assert_eq!(r.bytes, stored);
    assert_eq!(r.finished, 2);
}

#[test]
fn a_refused_upload_still_finishes_its_progress() {
    let tv = TestVault::start_with(
        Limits {
            max_body: 1 << 20,
            ..Limits::default()
        },
        1,
    );
    let recorder = Recorder::default();
    let client = tv.client().with_progress(Arc::new(recorder.clone()));
    let session = client.login("user1", "password1").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.bin");
    std::fs::write(&path, random_bytes(3 << 20)).unwrap();
    let err = client.upload_file(&session, &path).unwrap_err();
    assert!(err.to_string().contains("413"), "{err}");
    let r = recorder.0.lock().unwrap();
    assert_eq!(r.finished, 1, "{r:?}");
    // A missing archive: the 404 body is not reported as a download.
    drop(r);
    let err = client
        .fetch(&session, "nothing_2020-01-01T00-00-00.enc")
        .unwrap_err();
    assert!(
        matches!(
            err,
            squirrel::vault::client::ClientError::Server { status: 404, .. }
        ),
        "{err}"
    );
    let r = recorder.0.lock().unwrap();
    assert_eq!(r.begun.len(), 1, "{r:?}");
    assert_eq!(r.finished, 2);
}
