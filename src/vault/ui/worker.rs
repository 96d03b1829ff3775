//! The work behind the UI: [`Worker`] does the network and file work of a
//! [`Task`], synchronously; the terminal runs it on a thread, tests
//! call it inline ([`drive`]). The background scheduler is a thread the worker starts
//! after login; its passes come back as [`Outcome::SchedulerPass`] on the same channel.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crate::i18n::{Lang, Localized};
use crate::tr_in;
use crate::vault::client::{self, Account, ClientError, VaultClient};
use crate::vault::config::{self, ClientConfig};
use crate::vault::progress::{Progress, Shared};
use crate::vault::schedule::{self, RunLock, Schedule};

use super::app::{Action, App, Outcome, ScheduledFile, Task};

/// The schedule as the UI shows it (empty when it cannot be read).
fn schedule_snapshot(dir: &Path) -> Vec<ScheduledFile> {
    Schedule::load(dir)
        .map(|s| s.entries().map(|(p, t)| (p.to_string(), t)).collect())
        .unwrap_or_default()
}

/// The source of "now" for the scheduler (unix seconds): replaceable in tests.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// Options of a [`Worker`].
#[derive(Clone)]
pub struct WorkerOptions {
    /// The state folder: `certs/`, `downloads/`, `config.json`, `upload_schedule.json`.
    pub dir: PathBuf,
    /// How long each read or write may wait for the server.
    pub timeout: Duration,
    /// How often the background scheduler looks for due files; `None`: no background
    /// scheduler.
    pub check_every: Option<Duration>,
    /// The scheduler's clock.
    pub clock: Clock,
    /// The language of the outcomes' words (the window's).
    pub lang: Lang,
}

struct Scheduler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// Does the work of [`Task`]s. Dropping it stops the background scheduler (after the
/// upload under way, if any) and logs out.
pub struct Worker {
    options: WorkerOptions,
    progress: Shared,
    events: Sender<Outcome>,
    account: Option<Account>,
    scheduler: Option<Scheduler>,
}

impl Worker {
    /// A worker whose client reports transfers to `progress` and whose background
    /// scheduler sends its passes to `events`.
    pub fn new(options: WorkerOptions, progress: Shared, events: Sender<Outcome>) -> Self {
        Worker {
            options,
            progress,
            events,
            account: None,
            scheduler: None,
        }
    }

    /// The account logged in, if any.
    pub fn account(&mut self) -> Option<&mut Account> {
        self.account.as_mut()
    }

    /// Runs one task to its end.
    pub fn execute(&mut self, task: Task) -> Outcome {
        let lang = self.options.lang;
        let what = match &task {
            Task::Login { .. } => tr_in!(lang, "vault-ui-task-log-in"),
            Task::Refresh => tr_in!(lang, "vault-ui-task-list"),
            Task::Upload(p) => tr_in!(lang, "vault-ui-task-upload", path = p.display().to_string()),
            Task::Schedule(p) => {
                tr_in!(
                    lang,
                    "vault-ui-task-schedule",
                    path = p.display().to_string()
                )
            }
            Task::Download(a) => tr_in!(lang, "vault-ui-task-download", archive = a),
        };
        let failed = |e: ClientError| Outcome::Failed {
            what: what.clone(),
            hint: e.hint_in(lang),
            error: e.message_in(lang),
        };
        match task {
            Task::Login {
                server,
                user,
                password,
                remember,
            } => self
                .login(&server, &user, &password, remember)
                .unwrap_or_else(failed),
            Task::Schedule(path) => {
                let result = Schedule::load(&self.options.dir).and_then(|mut s| {
                    let added = s.add(&path)?;
                    s.save()?;
                    Ok(added)
                });
                match result {
                    Ok((path, new)) => Outcome::Scheduled {
                        path,
                        new,
                        schedule: schedule_snapshot(&self.options.dir),
                    },
                    Err(e) => Outcome::Failed {
                        what,
                        hint: e.hint_in(lang),
                        error: e.message_in(lang),
                    },
                }
            }
            Task::Refresh => self
                .with_account(|a| a.call(|c, s| c.list_details(s)))
                .map(Outcome::Listed)
                .unwrap_or_else(failed),
            Task::Upload(file) => self
                .with_account(|a| {
                    let archive = a.call(|c, s| c.upload_file(s, &file))?;
                    let archives = a.call(|c, s| c.list_details(s))?;
                    Ok(Outcome::Uploaded {
                        file: file.clone(),
                        archive,
                        archives,
                    })
                })
                .unwrap_or_else(failed),
            Task::Download(archive) => {
                let downloads = self.options.dir.join("downloads");
                self.with_account(|a| a.call(|c, s| c.download(s, &archive, &downloads)))
                    .map(|path| Outcome::Downloaded {
                        archive: archive.clone(),
                        path,
                    })
                    .unwrap_or_else(failed)
            }
        }
    }

    fn with_account<T>(
        &mut self,
        f: impl FnOnce(&mut Account) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        match self.account.as_mut() {
            Some(account) => f(account),
            None => Err(ClientError::BadReply(tr_in!(
                self.options.lang,
                "vault-ui-not-logged-in"
            ))),
        }
    }

    fn client(&self, server: &str) -> Result<VaultClient, ClientError> {
        VaultClient::new(
            server,
            &self.options.dir.join("certs"),
            self.options.timeout,
        )
    }

    fn login(
        &mut self,
        server: &str,
        user: &str,
        password: &str,
        remember: bool,
    ) -> Result<Outcome, ClientError> {
        let progress: Arc<dyn Progress> = Arc::new(self.progress.clone());
        let mut account =
            Account::new(self.client(server)?.with_progress(progress), user, password);
        account.login()?;
        let archives = account.call(|c, s| c.list_details(s))?;
        let (host, port) = client::parse_server(server)?;
        let saved = ClientConfig {
            host,
            port,
            username: user.to_string(),
            password: remember.then(|| password.to_string()),
        };
        let lang = self.options.lang;
        let note = match config::save(&self.options.dir, &saved) {
            Ok(path) if remember => tr_in!(
                lang,
                "vault-ui-remembered-password",
                path = path.display().to_string()
            ),
            Ok(path) => tr_in!(
                lang,
                "vault-ui-remembered",
                path = path.display().to_string()
            ),
            Err(e) => tr_in!(lang, "vault-ui-cannot-save", reason = e.message_in(lang)),
        };
        if let Some(mut old) = self.account.replace(account) {
            let _ = old.logout();
        }
        self.start_scheduler(server, user, password);
        Ok(Outcome::LoggedIn {
            user: user.to_string(),
            server: server.to_string(),
            archives,
            schedule: schedule_snapshot(&self.options.dir),
            note,
        })
    }

    /// Starts the background scheduler with its own session (so a long scheduled
    /// upload never holds up the UI's requests).
    fn start_scheduler(&mut self, server: &str, user: &str, password: &str) {
        self.stop_scheduler();
        let Some(every) = self.options.check_every else {
            return;
        };
        let lang = self.options.lang;
        let client = match self.client(server) {
            Ok(c) => c,
            Err(e) => {
                let _ = self.events.send(Outcome::SchedulerNote(tr_in!(
                    lang,
                    "vault-ui-scheduler-failed",
                    reason = e.message_in(lang)
                )));
                return;
            }
        };
        let mut account = Account::new(client, user, password);
        let stop = Arc::new(AtomicBool::new(false));
        let events = self.events.clone();
        let dir = self.options.dir.clone();
        let clock = self.options.clock.clone();
        let flag = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("scheduler".into())
            .spawn(move || {
                let acquired = match RunLock::acquire(&dir) {
                    Ok(a) => a,
                    Err(e) => {
                        let _ = events.send(Outcome::SchedulerNote(tr_in!(
                            lang,
                            "vault-ui-scheduler-elsewhere",
                            reason = e.message_in(lang)
                        )));
                        return;
                    }
                };
                if let Some(pid) = acquired.took_over {
                    let _ = events.send(Outcome::SchedulerNote(tr_in!(
                        lang,
                        "vault-ui-scheduler-took-over",
                        pid = pid.to_string()
                    )));
                }
                let now = move || clock();
                schedule::run_loop(
                    &dir,
                    &mut account,
                    &now,
                    every,
                    &flag,
                    &mut |report| {
                        let _ = events.send(Outcome::SchedulerPass {
                            report: report.clone(),
                            schedule: schedule_snapshot(&dir),
                        });
                    },
                    &mut |e| {
                        let _ = events.send(Outcome::SchedulerNote(tr_in!(
                            lang,
                            "vault-ui-scheduler-error",
                            reason = e.message_in(lang)
                        )));
                    },
                );
                let _ = account.logout();
                drop(acquired);
            });
        match spawned {
            Ok(thread) => self.scheduler = Some(Scheduler { stop, thread }),
            Err(e) => {
                let _ = self.events.send(Outcome::SchedulerNote(tr_in!(
                    lang,
                    "vault-ui-scheduler-failed",
                    reason = e.to_string()
                )));
            }
        }
    }

    fn stop_scheduler(&mut self) {
        if let Some(s) = self.scheduler.take() {
            s.stop.store(true, Ordering::SeqCst);
            let _ = s.thread.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop_scheduler();
        if let Some(mut account) = self.account.take() {
            let _ = account.logout();
        }
    }
}

/// Runs `action` and every follow-up inline: the synchronous driver tests use (the
/// terminal runs tasks on a thread instead). Returns `false` when the action is Quit.
pub fn drive(app: &mut App, worker: &mut Worker, action: Action) -> bool {
    let mut action = action;
    loop {
        match action {
            Action::None => return true,
            Action::Quit => return false,
            Action::Run(task) => {
                let outcome = worker.execute(task);
                action = app.apply(outcome);
            }
        }
    }
}
