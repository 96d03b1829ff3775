//! Daily scheduled uploads: the pass with an injected clock (so "24 h old" is tested
//! without waiting a day), new logins when the server forgot the session, the lock, and
//! `squirrel vault schedule …` as a member runs it — against a real vault (TestVault).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{ok, text, vault, TestVault};
use squirrel::server::Limits;
use squirrel::vault::client::{Account, VaultClient};
use squirrel::vault::schedule::{
    self, Outcome, RunLock, Schedule, ScheduleError, INTERVAL_SECS, LOCK_FILE, SCHEDULE_FILE,
};
use squirrel::vault::server::{self as vault_server, ServeOptions, Vault};

fn account(tv: &TestVault, password: &str) -> Account {
    Account::new(tv.client(), "user1", password)
}

fn schedule_file(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    let mut s = Schedule::load(dir).unwrap();
    let (key, _) = s.add(&path).unwrap();
    s.save().unwrap();
    key
}

fn archives(tv: &TestVault) -> Vec<String> {
    let (client, session) = tv.login("user1", "password1");
    client.list(&session).unwrap()
}

#[test]
fn file_is_uploaded_again_only_once_its_last_upload_is_a_day_old() {
    let tv = TestVault::start();
    let dir = tempfile::tempdir().unwrap();
    let key = schedule_file(dir.path(), "acorns.txt", b"twelve acorns");
    let now = Arc::new(AtomicI64::new(1_900_000_000));
    let clock = {
        let now = now.clone();
        move || now.load(Ordering::SeqCst)
    };
    let mut account = account(&tv, "password1");

    let first = schedule::run_pass(dir.path(), &mut account, &clock).unwrap();
    assert!(first.ok());
    assert!(
        matches!(first.files[0].1, Outcome::Uploaded { .. }),
        "{first:?}"
    );
    let t0 = now.load(Ordering::SeqCst);
    assert_eq!(
        Schedule::load(dir.path()).unwrap().last_upload(&key),
        Some(t0)
    );

    // One second short of a day: not due, nothing sent.
    now.store(t0 + INTERVAL_SECS - 1, Ordering::SeqCst);
    let second = schedule::run_pass(dir.path(), &mut account, &clock).unwrap();
    assert_eq!(
        second.files[0].1,
        Outcome::NotDue {
            next: t0 + INTERVAL_SECS
        }
    );
    assert_eq!(archives(&tv).len(), 1);

    // A day to the second: uploaded again.
    now.store(t0 + INTERVAL_SECS, Ordering::SeqCst);
    let third = schedule::run_pass(dir.path(), &mut account, &clock).unwrap();
    assert!(
        matches!(third.files[0].1, Outcome::Uploaded { .. }),
        "{third:?}"
    );
    // Same second, two uploads: the server's counter keeps both names apart.
    assert_eq!(archives(&tv).len(), 2);
}

#[test]
fn time_is_recorded_only_after_the_server_confirmed_the_upload() {
    let tv = TestVault::start_with(
        Limits {
            max_body: 1000,
            ..Limits::default()
        },
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let key = schedule_file(dir.path(), "too-big.bin", &[7u8; 5000]);
    let small = schedule_file(dir.path(), "small.txt", b"fits");
    let mut account = account(&tv, "password1");
    let report = schedule::run_pass(dir.path(), &mut account, &schedule::system_now).unwrap();
    assert!(!report.ok());
    let outcome = |k: &str| &report.files.iter().find(|(p, _)| p == k).unwrap().1;
    match outcome(&key) {
        Outcome::Failed { error, .. } => assert!(error.contains("413"), "{error}"),
        other => panic!("{other:?}"),
    }
    // A refusal of one file does not stop the others.
    assert!(matches!(outcome(&small), Outcome::Uploaded { .. }));
    let schedule = Schedule::load(dir.path()).unwrap();
    assert_eq!(schedule.last_upload(&key), Some(0), "still due");
    assert!(schedule.last_upload(&small).unwrap() > 0);
}

#[test]
fn expired_session_is_replaced_by_one_new_login() {
    let tv = TestVault::start();
    let dir = tempfile::tempdir().unwrap();
    schedule_file(dir.path(), "a.txt", b"a");
    let mut account = account(&tv, "password1");
    account.login().unwrap();
    // The server forgets the session (as after its idle timeout).
    tv.client().logout(account.session().unwrap()).unwrap();
    let report = schedule::run_pass(dir.path(), &mut account, &schedule::system_now).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(account.logins(), 2);
}

#[test]
fn scheduler_survives_a_server_restart_by_logging_in_again() {
    let tv = TestVault::start();
    let dir = tempfile::tempdir().unwrap();
    schedule_file(dir.path(), "a.txt", b"before");
    let mut account = account(&tv, "password1");
    account.login().unwrap();

    // Restart: same port, same data and certificates, no sessions.
    let TestVault {
        dir: _keep,
        certs,
        data,
        running,
        port,
    } = tv;
    drop(running);
    let options = ServeOptions {
        addr: format!("127.0.0.1:{port}"),
        data_dir: data.clone(),
        certs_dir: certs.clone(),
        limits: Limits::default(),
        workers: 1,
    };
    let _restarted = vault_server::start(&options, Arc::new(Vault::open(&data).unwrap())).unwrap();

    let report = schedule::run_pass(dir.path(), &mut account, &schedule::system_now).unwrap();
    assert!(report.ok(), "{report:?}");
    assert_eq!(account.logins(), 2);
    assert_eq!(
        std::fs::read_dir(data.join("archives/user1"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_failed_login_stops_the_pass_instead_of_trying_every_file() {
    let tv = TestVault::start();
    let dir = tempfile::tempdir().unwrap();
    schedule_file(dir.path(), "a.txt", b"a");
    schedule_file(dir.path(), "b.txt", b"b");
    let mut account = account(&tv, "wrong password");
    let report = schedule::run_pass(dir.path(), &mut account, &schedule::system_now).unwrap();
    assert!(!report.ok());
    match &report.files[0].1 {
        Outcome::Failed { error, hint } => {
            assert!(error.contains("401"), "{error}");
            assert!(hint.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.files[1].1, Outcome::Skipped);
}

#[test]
fn missing_file_is_reported_and_kept_in_the_schedule() {
    let tv = TestVault::start();
    let dir = tempfile::tempdir().unwrap();
    let key = schedule_file(dir.path(), "gone.txt", b"soon gone");
    std::fs::remove_file(&key).unwrap();
    let mut account = account(&tv, "password1");
    let report = schedule::run_pass(dir.path(), &mut account, &schedule::system_now).unwrap();
    assert_eq!(report.files, vec![(key.clone(), Outcome::Missing)]);
    assert!(!report.ok());
    assert_eq!(
        Schedule::load(dir.path()).unwrap().last_upload(&key),
        Some(0)
    );
    assert_eq!(account.logins(), 0, "no login when nothing can be uploaded");
}

#[test]
fn a_lock_naming_a_live_process_is_respected_and_a_dead_ones_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    std::fs::write(dir.path().join(LOCK_FILE), format!("{}\n", sleeper.id())).unwrap();
    match RunLock::acquire(dir.path()) {
        Err(ScheduleError::Busy { pid, .. }) => assert_eq!(pid, sleeper.id()),
        other => panic!("{other:?}"),
    }
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    let acquired = RunLock::acquire(dir.path()).unwrap();
    assert_eq!(acquired.took_over, Some(sleeper.id()));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(LOCK_FILE))
            .unwrap()
            .trim(),
        std::process::id().to_string()
    );
    drop(acquired);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap(),
        ""
    );
}

// ---- the command line ----

/// A client state folder with the certificates and a remembered login for user1.
fn remembered(tv: &TestVault) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    for file in ["ca.crt", "client.crt", "client.key"] {
        std::fs::copy(tv.certs.join(file), dir.path().join("certs").join(file)).unwrap();
    }
    let out = vault(
        dir.path(),
        &[
            "login",
            "--remember",
            "--server",
            &tv.server(),
            "--user",
            "user1",
        ],
        &[("SQUIRREL_PASSWORD", "password1")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

#[test]
fn schedule_add_list_then_one_pass_uploads_and_a_second_finds_nothing_due() {
    let tv = TestVault::start();
    let dir = remembered(&tv);
    std::fs::write(dir.path().join("nuts.txt"), "a winter's worth").unwrap();
    let out = ok(&vault(dir.path(), &["schedule", "add", "nuts.txt"], &[]));
    assert!(out.contains("Scheduled"), "{out}");
    let stored: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(SCHEDULE_FILE)).unwrap()).unwrap();
    let (path, last) = stored.as_object().unwrap().iter().next().unwrap();
    assert!(Path::new(path).is_absolute() && path.ends_with("nuts.txt"));
    assert_eq!(last, 0);

    let listed = ok(&vault(dir.path(), &["schedule", "list"], &[]));
    let row = listed.lines().find(|l| l.contains("nuts.txt")).unwrap();
    assert!(row.contains("never") && row.ends_with("now"), "{listed}");

    let first = ok(&vault(dir.path(), &["schedule", "run", "--once"], &[]));
    assert!(first.contains("Uploaded"), "{first}");
    assert_eq!(archives(&tv).len(), 1);
    let second = ok(&vault(dir.path(), &["schedule", "run", "--once"], &[]));
    assert!(second.contains("Not due"), "{second}");
    assert!(!second.contains("Uploaded"), "{second}");
    assert_eq!(archives(&tv).len(), 1);

    let listed = ok(&vault(dir.path(), &["schedule", "list"], &[]));
    let row = listed.lines().find(|l| l.contains("nuts.txt")).unwrap();
    assert!(!row.contains("never") && !row.ends_with("now"), "{listed}");

    // A file whose last upload is a day old is due again (edit the file as time would).
    let mut stored: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.path().join(SCHEDULE_FILE)).unwrap()).unwrap();
    for value in stored.values_mut() {
        *value = (value.as_i64().unwrap() - INTERVAL_SECS).into();
    }
    std::fs::write(
        dir.path().join(SCHEDULE_FILE),
        serde_json::to_vec(&stored).unwrap(),
    )
    .unwrap();
    let third = ok(&vault(dir.path(), &["schedule", "run", "--once"], &[]));
    assert!(third.contains("Uploaded"), "{third}");
    assert_eq!(archives(&tv).len(), 2);

    let out = ok(&vault(dir.path(), &["schedule", "remove", "nuts.txt"], &[]));
    assert!(out.contains("Removed"), "{out}");
    assert!(dir.path().join("nuts.txt").exists());
    let out = vault(dir.path(), &["schedule", "remove", "nuts.txt"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not in the upload schedule"));
}

#[test]
fn run_once_reports_a_missing_file_keeps_it_and_exits_1() {
    let tv = TestVault::start();
    let dir = remembered(&tv);
    std::fs::write(dir.path().join("here.txt"), "here").unwrap();
    std::fs::write(dir.path().join("gone.txt"), "gone").unwrap();
    ok(&vault(
        dir.path(),
        &["schedule", "add", "here.txt", "gone.txt"],
        &[],
    ));
    std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
    let out = vault(dir.path(), &["schedule", "run", "--once"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Missing:") && stdout.contains("gone.txt"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Uploaded") && stdout.contains("here.txt"),
        "{stdout}"
    );
    assert!(text(&out.stderr).starts_with("error: 1 of 2 scheduled files"));
    let listed = ok(&vault(dir.path(), &["schedule", "list"], &[]));
    assert!(listed.contains("gone.txt (missing)"), "{listed}");
}

#[test]
fn run_refuses_while_a_live_scheduler_holds_the_lock_and_takes_over_a_dead_ones() {
    let tv = TestVault::start();
    let dir = remembered(&tv);
    std::fs::write(dir.path().join("x.txt"), "x").unwrap();
    ok(&vault(dir.path(), &["schedule", "add", "x.txt"], &[]));

    let mut sleeper = Command::new("sleep").arg("30").spawn().unwrap();
    std::fs::write(dir.path().join(LOCK_FILE), sleeper.id().to_string()).unwrap();
    let out = vault(dir.path(), &["schedule", "run", "--once"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("another scheduler (PID {})", sleeper.id())),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert!(archives(&tv).is_empty());

    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    let out = ok(&vault(dir.path(), &["schedule", "run", "--once"], &[]));
    assert!(
        out.contains(&format!("Took over the lock of process {}", sleeper.id())),
        "{out}"
    );
    assert!(out.contains("Uploaded"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap(),
        "",
        "released"
    );
}

#[test]
fn run_loop_uploads_when_due_and_stops_cleanly_on_sigterm() {
    let tv = TestVault::start();
    let dir = remembered(&tv);
    std::fs::write(dir.path().join("loop.txt"), "round and round").unwrap();
    ok(&vault(dir.path(), &["schedule", "add", "loop.txt"], &[]));
    let child = common::squirrel(
        dir.path(),
        &["vault", "schedule", "run", "--every", "1"],
        &[],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = Schedule::load(dir.path()).unwrap();
        if s.entries().all(|(_, t)| t > 0) {
            break;
        }
        assert!(Instant::now() < deadline, "the loop never uploaded");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Let it make a second pass (nothing due), then stop it as systemd would.
    std::thread::sleep(Duration::from_millis(1200));
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
    let out = child.wait_with_output().unwrap();
    let stdout = ok(&out);
    assert!(stdout.contains("checking every 1 s"), "{stdout}");
    assert_eq!(stdout.matches("Uploaded").count(), 1, "{stdout}");
    assert!(stdout.trim_end().ends_with("Stopped."), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap(),
        ""
    );
    assert_eq!(archives(&tv).len(), 1);
}

#[test]
fn schedule_cron_prints_a_crontab_line_and_systemd_units_for_this_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&vault(
        dir.path(),
        &["schedule", "cron", "--user", "user1"],
        &[],
    ));
    let abs = std::fs::canonicalize(dir.path()).unwrap();
    let abs = abs.to_string_lossy();
    let cron = out
        .lines()
        .find(|l| l.starts_with("*/15 * * * * "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(cron.contains("vault' 'schedule' 'run' '--once'"), "{cron}");
    assert!(cron.contains(&format!("'--dir' '{abs}'")), "{cron}");
    assert!(cron.contains("'--user' 'user1'"), "{cron}");
    for expected in [
        "[Service]",
        "Type=oneshot",
        &format!("WorkingDirectory={abs}"),
        "ExecStart=\"",
        "[Timer]",
        "OnCalendar=*:0/15",
        "Persistent=true",
        "WantedBy=timers.target",
        "systemctl --user enable --now squirrel-upload.timer",
        "login --remember",
    ] {
        assert!(out.contains(expected), "{expected:?} missing from:\n{out}");
    }
}

#[test]
fn clients_own_session_logs_out_after_a_pass_that_uploaded() {
    let tv = TestVault::start();
    let dir = tempfile::tempdir().unwrap();
    schedule_file(dir.path(), "a.txt", b"a");
    let client: VaultClient = tv.client();
    let mut account = Account::new(client, "user1", "password1");
    let report = schedule::run_pass(dir.path(), &mut account, &schedule::system_now).unwrap();
    assert!(report.ok());
    assert!(
        account.session().is_none(),
        "the next upload is a day away: no session kept open"
    );
}

#[test]
fn in_french_the_schedule_says_what_it_did_and_why_it_refuses() {
    let tv = TestVault::start();
    let dir = remembered(&tv);
    let fr = |args: &[&str]| {
        let mut all = vec!["--lang", "fr", "vault", "schedule"];
        all.extend_from_slice(args);
        common::run(dir.path(), &all, &[])
    };
    std::fs::write(dir.path().join("here.txt"), "here").unwrap();
    std::fs::write(dir.path().join("gone.txt"), "gone").unwrap();
    let added = ok(&fr(&["add", "here.txt", "gone.txt"]));
    assert!(
        added.contains("here.txt programmé pour un envoi quotidien (premier envoi au prochain"),
        "{added}"
    );
    std::fs::remove_file(dir.path().join("gone.txt")).unwrap();
    let listed = ok(&fr(&["list"]));
    let header = listed.lines().next().unwrap();
    assert!(
        header.starts_with("FICHIER") && header.contains("DERNIER ENVOI"),
        "{listed}"
    );
    assert!(header.ends_with("PROCHAIN ENVOI"), "{listed}");
    assert!(listed.contains("gone.txt (manquant)"), "{listed}");
    let row = listed.lines().find(|l| l.contains("here.txt")).unwrap();
    assert!(
        row.contains("jamais") && row.ends_with("maintenant"),
        "{listed}"
    );

    let out = fr(&["run", "--once"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains(" envoyé sous le nom here.txt_"), "{stdout}");
    assert!(
        stdout.contains("gone.txt — gardé dans le programme, réessayé au prochain passage"),
        "{stdout}"
    );
    assert!(stdout.contains(" Manquant\u{a0}: /"), "{stdout}");
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: 1 des 2 fichiers programmés n'a pas pu être envoyé (voir ci-dessus)\n"
    );

    let out = fr(&["remove", "nowhere.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.ends_with(
            "nowhere.txt n'est pas dans le programme d'envois\n\
             conseil\u{a0}: voyez les fichiers programmés avec\u{a0}: squirrel vault schedule list\n"
        ),
        "{err}"
    );
}
