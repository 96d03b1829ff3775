//! The UI's state machine, apart from all I/O so it is testable without a terminal:
//! [`App`] is pure state; [`App::handle_key`] turns a key into an [`Action`], and
//! [`App::apply`] takes the [`Outcome`] of a [`Task`] that the [`Worker`](super::worker)
//! did; [`App::render`](super::view) draws it. No I/O but reading `config.json` at start.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::{self, Lang, Localized};
use crate::tr_in;
use crate::vault::client::{self, ArchiveInfo};
use crate::vault::config::{self};
use crate::vault::progress::Shared;
use crate::vault::schedule::{Outcome as PassOutcome, PassReport};

use super::complete::{complete_path, expand_home};

/// What the terminal loop should do after a key or an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing more: redraw.
    None,
    /// Leave the UI.
    Quit,
    /// Hand this task to the [`Worker`](super::worker::Worker).
    Run(Task),
}

/// Work for the [`Worker`](super::worker::Worker): everything that touches the network or the disk.
#[derive(Clone, PartialEq, Eq)]
pub enum Task {
    /// Log in, save `config.json`, list the archives, start the background scheduler.
    Login {
        /// `HOST:PORT`.
        server: String,
        /// User name.
        user: String,
        /// Password.
        password: String,
        /// Store the password in `config.json` too.
        remember: bool,
    },
    /// List the archives again.
    Refresh,
    /// Upload a file, then list again.
    Upload(PathBuf),
    /// Add a file to the daily schedule.
    Schedule(PathBuf),
    /// Download, decrypt and save an archive into `downloads/`.
    Download(String),
}

impl std::fmt::Debug for Task {
    // By hand, so a password never reaches a log or a panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Task::Login {
                server,
                user,
                remember,
                ..
            } => write!(
                f,
                "Login {{ server: {server:?}, user: {user:?}, remember: {remember} }}"
            ),
            Task::Refresh => write!(f, "Refresh"),
            Task::Upload(p) => write!(f, "Upload({p:?})"),
            Task::Schedule(p) => write!(f, "Schedule({p:?})"),
            Task::Download(a) => write!(f, "Download({a:?})"),
        }
    }
}

/// A scheduled file and its last upload (unix seconds, 0 = never).
pub type ScheduledFile = (String, i64);

/// What a [`Task`] (or the background scheduler) came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Logged in; the archives and the schedule as they are now.
    LoggedIn {
        /// The user name.
        user: String,
        /// `HOST:PORT`.
        server: String,
        /// The archives.
        archives: Vec<ArchiveInfo>,
        /// The schedule.
        schedule: Vec<ScheduledFile>,
        /// What happened to `config.json`.
        note: String,
    },
    /// The archives, listed again.
    Listed(Vec<ArchiveInfo>),
    /// A file went up; the archives listed again.
    Uploaded {
        /// The file uploaded.
        file: PathBuf,
        /// The archive the server made.
        archive: String,
        /// The member's archives after the upload, as the list shows them.
        archives: Vec<ArchiveInfo>,
    },
    /// A file was added to the schedule (`new` false: it already was).
    Scheduled {
        /// The absolute path stored.
        path: String,
        /// Whether it was not scheduled before.
        new: bool,
        /// The whole schedule after the change.
        schedule: Vec<ScheduledFile>,
    },
    /// An archive was decrypted and saved.
    Downloaded {
        /// The archive name (`<file>_<time>.enc`) that was fetched.
        archive: String,
        /// Where the file was written.
        path: PathBuf,
    },
    /// A pass of the background scheduler, and the schedule after it.
    SchedulerPass {
        /// What it did: uploaded, not due, failed, per file.
        report: PassReport,
        /// The whole schedule after the pass.
        schedule: Vec<ScheduledFile>,
    },
    /// The background scheduler has something to say (it stopped, or another holds the
    /// lock).
    SchedulerNote(String),
    /// A task failed.
    Failed {
        /// What was being done ("log in", "upload notes.txt"…).
        what: String,
        /// The error, one line.
        error: String,
        /// The next step, if one helps.
        hint: Option<String>,
    },
}

/// The two windows of the original client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The login form.
    Login,
    /// The archive list and its actions.
    Archives,
}

/// The login form's fields, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Server host name or address.
    Host,
    /// Server port.
    Port,
    /// User name.
    User,
    /// Password (shown as dots).
    Password,
    /// The remember-me toggle.
    Remember,
}

const FIELDS: [Field; 5] = [
    Field::Host,
    Field::Port,
    Field::User,
    Field::Password,
    Field::Remember,
];

/// The login form.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginForm {
    /// Server host name or address.
    pub host: String,
    /// Server port, as typed.
    pub port: String,
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
    /// Remember me: store the password in `config.json`.
    pub remember: bool,
    /// The field that takes keys.
    pub focus: Field,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("remember", &self.remember)
            .field("focus", &self.focus)
            .finish_non_exhaustive()
    }
}

/// What a path prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    /// Upload the file now.
    Upload,
    /// Add the file to the daily schedule.
    Schedule,
}

/// The path prompt: the text typed, and the candidates of the last Tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathInput {
    /// What the path is for.
    pub purpose: PathPurpose,
    /// The text typed so far.
    pub text: String,
    /// Names that matched the last completion, when there were several.
    pub candidates: Vec<String>,
}

/// How a status line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    /// Something happened.
    Info,
    /// Something is under way.
    Busy,
    /// Something failed.
    Error,
}

/// The UI's whole state.
#[derive(Debug)]
pub struct App {
    /// The state folder (for messages).
    pub dir: PathBuf,
    /// The window shown.
    pub screen: Screen,
    /// The login form.
    pub login: LoginForm,
    /// Who is logged in, where (`user@HOST:PORT`).
    pub identity: Option<String>,
    /// The archives, in the server's order.
    pub archives: Vec<ArchiveInfo>,
    /// ⚠ flags for `archives` (see [`client::stale_flags`]).
    pub stale: Vec<bool>,
    /// The selected archive.
    pub selected: usize,
    /// The schedule, as last read.
    pub schedule: Vec<ScheduledFile>,
    /// The open path prompt, if any.
    pub input: Option<PathInput>,
    /// The status line.
    pub status: (StatusKind, String),
    /// A task under way (its description), during which new tasks wait.
    pub busy: Option<String>,
    /// The transfer under way, reported by the client.
    pub progress: Shared,
    /// The language of every word the window shows.
    pub lang: Lang,
}

impl App {
    /// The login form prefilled from `dir/config.json` (host, port, user, and the
    /// password with remember-me ticked when one is remembered); `server` and `user`
    /// (the command line's) take precedence. An unreadable config is shown in the status
    /// line, not fatal.
    pub fn new(dir: &Path, server: Option<&str>, user: Option<&str>, progress: Shared) -> Self {
        App::new_in(i18n::lang(), dir, server, user, progress)
    }

    /// [`App::new`], speaking `lang`.
    pub fn new_in(
        lang: Lang,
        dir: &Path,
        server: Option<&str>,
        user: Option<&str>,
        progress: Shared,
    ) -> Self {
        let mut status = (StatusKind::Info, tr_in!(lang, "vault-ui-login-status"));
        let error = |message: String| {
            (
                StatusKind::Error,
                tr_in!(lang, "cli-error", message = message),
            )
        };
        let remembered = match config::load(dir) {
            Ok(c) => c,
            Err(e) => {
                status = error(e.message_in(lang));
                None
            }
        };
        let (mut host, mut port) = client::parse_server(client::DEFAULT_SERVER)
            .unwrap_or_else(|_| ("localhost".into(), 5000));
        let mut login_user = String::new();
        let mut password = String::new();
        if let Some(c) = &remembered {
            host = c.host.clone();
            port = c.port;
            login_user = c.username.clone();
        }
        if let Some(server) = server {
            match client::parse_server(server) {
                Ok((h, p)) => (host, port) = (h, p),
                Err(e) => status = error(e.message_in(lang)),
            }
        }
        if let Some(user) = user {
            login_user = user.to_string();
        }
        // The remembered password only for the very server and user it was saved for.
        let remember = match remembered
            .as_ref()
            .and_then(|c| c.password_for(&host, port, &login_user))
        {
            Some(p) => {
                password = p.to_string();
                true
            }
            None => false,
        };
        let focus = if login_user.is_empty() {
            Field::User
        } else if password.is_empty() {
            Field::Password
        } else {
            Field::Remember
        };
        App {
            dir: dir.to_path_buf(),
            screen: Screen::Login,
            login: LoginForm {
                host,
                port: port.to_string(),
                user: login_user,
                password,
                remember,
                focus,
            },
            identity: None,
            archives: Vec::new(),
            stale: Vec::new(),
            selected: 0,
            schedule: Vec::new(),
            input: None,
            status,
            busy: None,
            progress,
            lang,
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = (StatusKind::Info, text.into());
    }

    /// An error in the status line: `error: MESSAGE`.
    fn fail(&mut self, message: String) {
        let text = tr_in!(self.lang, "cli-error", message = message);
        self.error(text);
    }

    fn error(&mut self, text: impl Into<String>) {
        self.status = (StatusKind::Error, text.into());
    }

    /// Starts `task` unless another is under way.
    fn start(&mut self, what: String, task: Task) -> Action {
        if let Some(current) = &self.busy {
            let text = tr_in!(self.lang, "vault-ui-wait", task = current);
            self.error(text);
            return Action::None;
        }
        self.status = (StatusKind::Busy, format!("{what}…"));
        self.busy = Some(what);
        Action::Run(task)
    }

    /// The archive under the cursor.
    pub fn selected_archive(&self) -> Option<&ArchiveInfo> {
        self.archives.get(self.selected)
    }

    /// Turns a key press into an action, updating the form, the selection or the prompt.
    pub fn handle_key(&mut self, key: KeyEvent) -> Action {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
            return Action::Quit;
        }
        // Other control and alt chords mean nothing here: never type them as letters.
        if (ctrl || key.modifiers.contains(KeyModifiers::ALT))
            && matches!(key.code, KeyCode::Char(_))
        {
            return Action::None;
        }
        if self.input.is_some() {
            return self.input_key(key);
        }
        match self.screen {
            Screen::Login => self.login_key(key),
            Screen::Archives => self.archives_key(key),
        }
    }

    fn login_key(&mut self, key: KeyEvent) -> Action {
        let index = FIELDS
            .iter()
            .position(|f| *f == self.login.focus)
            .unwrap_or(0);
        match key.code {
            KeyCode::Esc => return Action::Quit,
            KeyCode::Tab | KeyCode::Down => {
                self.login.focus = FIELDS[(index + 1) % FIELDS.len()];
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.login.focus = FIELDS[(index + FIELDS.len() - 1) % FIELDS.len()];
            }
            KeyCode::Enter => return self.submit_login(),
            KeyCode::Char(' ') if self.login.focus == Field::Remember => {
                self.login.remember = !self.login.remember;
            }
            KeyCode::Char(c) => {
                let field = match self.login.focus {
                    Field::Host => &mut self.login.host,
                    Field::Port if c.is_ascii_digit() => &mut self.login.port,
                    Field::User => &mut self.login.user,
                    Field::Password => &mut self.login.password,
                    Field::Port | Field::Remember => return Action::None,
                };
                field.push(c);
            }
            KeyCode::Backspace => {
                let field = match self.login.focus {
                    Field::Host => &mut self.login.host,
                    Field::Port => &mut self.login.port,
                    Field::User => &mut self.login.user,
                    Field::Password => &mut self.login.password,
                    Field::Remember => return Action::None,
                };
                field.pop();
            }
            _ => {}
        }
        Action::None
    }

    fn submit_login(&mut self) -> Action {
        let form = &self.login;
        let lang = self.lang;
        let missing = if form.host.trim().is_empty() {
            Some(tr_in!(lang, "vault-ui-enter-server"))
        } else if form.user.trim().is_empty() {
            Some(tr_in!(lang, "vault-ui-enter-user"))
        } else if form.password.is_empty() {
            Some(tr_in!(lang, "vault-ui-enter-password"))
        } else {
            None
        };
        if let Some(message) = missing {
            self.fail(message);
            return Action::None;
        }
        let port: u16 = match form.port.parse() {
            Ok(p) if p > 0 => p,
            _ => {
                self.fail(tr_in!(lang, "vault-ui-bad-port"));
                return Action::None;
            }
        };
        let host = form.host.trim();
        let server = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let task = Task::Login {
            server: server.clone(),
            user: form.user.trim().to_string(),
            password: form.password.clone(),
            remember: form.remember,
        };
        self.start(tr_in!(lang, "vault-ui-logging-in", server = server), task)
    }

    fn archives_key(&mut self, key: KeyEvent) -> Action {
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                Action::None
            }
            KeyCode::Down | KeyCode::Char('j') => {
                if self.selected + 1 < self.archives.len() {
                    self.selected += 1;
                }
                Action::None
            }
            KeyCode::Home => {
                self.selected = 0;
                Action::None
            }
            KeyCode::End => {
                self.selected = self.archives.len().saturating_sub(1);
                Action::None
            }
            KeyCode::Char('u') => self.open_input(PathPurpose::Upload),
            KeyCode::Char('s') => self.open_input(PathPurpose::Schedule),
            KeyCode::Char('r') => {
                self.start(tr_in!(self.lang, "vault-ui-refreshing"), Task::Refresh)
            }
            KeyCode::Char('d') | KeyCode::Enter => match self.selected_archive() {
                Some(a) => {
                    let archive = a.archive.clone();
                    self.start(
                        tr_in!(self.lang, "vault-ui-downloading", archive = &archive),
                        Task::Download(archive),
                    )
                }
                None => {
                    self.fail(tr_in!(self.lang, "vault-ui-nothing-to-download"));
                    Action::None
                }
            },
            _ => Action::None,
        }
    }

    fn open_input(&mut self, purpose: PathPurpose) -> Action {
        self.input = Some(PathInput {
            purpose,
            text: String::new(),
            candidates: Vec::new(),
        });
        self.info(tr_in!(self.lang, "vault-ui-type-path"));
        Action::None
    }

    fn input_key(&mut self, key: KeyEvent) -> Action {
        let Some(input) = self.input.as_mut() else {
            return Action::None;
        };
        match key.code {
            KeyCode::Esc => {
                self.input = None;
                self.info(tr_in!(self.lang, "vault-ui-cancelled"));
            }
            KeyCode::Tab => {
                let (text, candidates) = complete_path(&input.text);
                input.text = text;
                input.candidates = candidates;
            }
            KeyCode::Backspace => {
                input.text.pop();
                input.candidates.clear();
            }
            KeyCode::Char(c) => {
                input.text.push(c);
                input.candidates.clear();
            }
            KeyCode::Enter => {
                let text = input.text.trim().to_string();
                let purpose = input.purpose;
                if text.is_empty() {
                    self.fail(tr_in!(self.lang, "vault-ui-path-needed"));
                    return Action::None;
                }
                self.input = None;
                let path = expand_home(&text);
                return match purpose {
                    PathPurpose::Upload => self.start(
                        tr_in!(self.lang, "vault-ui-uploading", path = &text),
                        Task::Upload(path),
                    ),
                    PathPurpose::Schedule => self.start(
                        tr_in!(self.lang, "vault-ui-scheduling", path = &text),
                        Task::Schedule(path),
                    ),
                };
            }
            _ => {}
        }
        Action::None
    }

    fn set_archives(&mut self, archives: Vec<ArchiveInfo>) {
        self.stale = client::stale_flags(&archives, Utc::now());
        self.archives = archives;
        self.selected = self.selected.min(self.archives.len().saturating_sub(1));
    }

    /// Takes the outcome of a task or of the background scheduler; may ask for a
    /// follow-up task (a refresh after a scheduled upload).
    pub fn apply(&mut self, outcome: Outcome) -> Action {
        let from_scheduler = matches!(
            outcome,
            Outcome::SchedulerPass { .. } | Outcome::SchedulerNote(_)
        );
        if !from_scheduler {
            self.busy = None;
        }
        let lang = self.lang;
        match outcome {
            Outcome::LoggedIn {
                user,
                server,
                archives,
                schedule,
                note,
            } => {
                self.screen = Screen::Archives;
                self.identity = Some(format!("{user}@{server}"));
                self.login.password.clear();
                self.set_archives(archives);
                self.schedule = schedule;
                self.selected = 0;
                let count = self.archives.len();
                self.info(format!(
                    "{} {note}",
                    tr_in!(lang, "vault-ui-logged-in", user = user, count = count)
                ));
            }
            Outcome::Listed(archives) => {
                let count = archives.len();
                self.set_archives(archives);
                self.info(tr_in!(lang, "vault-ui-listed", count = count));
            }
            Outcome::Uploaded {
                file,
                archive,
                archives,
            } => {
                self.set_archives(archives);
                if let Some(i) = self.archives.iter().position(|a| a.archive == archive) {
                    self.selected = i;
                }
                self.info(tr_in!(
                    lang,
                    "vault-uploaded",
                    file = file.display().to_string(),
                    archive = archive
                ));
            }
            Outcome::Scheduled {
                path,
                new,
                schedule,
            } => {
                self.schedule = schedule;
                if new {
                    self.info(tr_in!(lang, "vault-ui-scheduled", path = path));
                } else {
                    self.info(tr_in!(lang, "vault-already-scheduled", path = path));
                }
            }
            Outcome::Downloaded { archive, path } => {
                self.info(tr_in!(
                    lang,
                    "vault-downloaded",
                    archive = archive,
                    path = path.display().to_string()
                ));
            }
            Outcome::SchedulerPass { report, schedule } => {
                self.schedule = schedule;
                let mut parts = Vec::new();
                for (path, outcome) in &report.files {
                    let name = Path::new(path)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.clone());
                    match outcome {
                        PassOutcome::Uploaded { archive } => parts.push(tr_in!(
                            lang,
                            "vault-ui-pass-uploaded",
                            name = &name,
                            archive = archive
                        )),
                        PassOutcome::Unrecorded { archive, error } => parts.push(tr_in!(
                            lang,
                            "vault-ui-pass-unrecorded",
                            name = &name,
                            archive = archive,
                            error = error
                        )),
                        PassOutcome::Missing => {
                            parts.push(tr_in!(lang, "vault-ui-pass-missing", name = &name))
                        }
                        PassOutcome::Failed { error, .. } => parts.push(tr_in!(
                            lang,
                            "vault-ui-pass-failed",
                            name = &name,
                            error = error
                        )),
                        PassOutcome::Skipped | PassOutcome::NotDue { .. } => {}
                    }
                }
                if !parts.is_empty() {
                    let text = tr_in!(lang, "vault-ui-pass", parts = parts.join("; "));
                    if report.ok() {
                        self.info(text);
                    } else {
                        self.error(text);
                    }
                }
                if !report.uploaded().is_empty() && self.busy.is_none() {
                    return self.start(tr_in!(lang, "vault-ui-refreshing"), Task::Refresh);
                }
            }
            Outcome::SchedulerNote(text) => self.info(text),
            Outcome::Failed { what, error, hint } => {
                let mut text = tr_in!(lang, "vault-ui-failed", task = what, error = error);
                if let Some(hint) = hint {
                    text = format!("{text} {}", tr_in!(lang, "vault-ui-hint", hint = hint));
                }
                self.fail(text);
            }
        }
        Action::None
    }
}

/// The time of an upload as the UI shows it: local, to the minute.
pub fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn login_form_moves_between_fields_and_asks_for_a_task() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = App::new(dir.path(), Some("127.0.0.1:7"), None, Shared::default());
        assert_eq!(app.login.focus, Field::User);
        for c in "user1".chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
        assert_eq!(app.handle_key(key(KeyCode::Enter)), Action::None);
        assert!(app.status.1.contains("password"), "{:?}", app.status);
        app.handle_key(key(KeyCode::Tab));
        for c in "pw".chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
        app.handle_key(key(KeyCode::Tab));
        app.handle_key(key(KeyCode::Char(' ')));
        match app.handle_key(key(KeyCode::Enter)) {
            Action::Run(Task::Login {
                server,
                user,
                password,
                remember,
            }) => {
                assert_eq!(
                    (server.as_str(), user.as_str(), password.as_str(), remember),
                    ("127.0.0.1:7", "user1", "pw", true)
                );
            }
            other => panic!("{other:?}"),
        }
        // A second Enter while logging in starts nothing.
        assert_eq!(app.handle_key(key(KeyCode::Enter)), Action::None);
    }
    #[test]
    fn task_debug_never_shows_the_password() {
        let task = Task::Login {
            server: "s:1".into(),
            user: "u".into(),
            password: "fluffy tail".into(),
            remember: false,
        };
        assert!(!format!("{task:?}").contains("fluffy"));
    }
}
