//! `squirrel vault ui`: the original desktop client's two windows in a terminal
//! (ratatui + crossterm). A login form, prefilled from `config.json`, with a
//! remember-me toggle; then the archive list (file, last upload, ⚠ over 24 h, size)
//! with upload, schedule daily, download + decrypt, refresh and quit, while the
//! scheduler runs in the background.
//!
//! - [`app`]: the state machine ([`App::handle_key`] → [`Action`], [`App::apply`]);
//! - [`worker`]: the [`Worker`] doing the network and file work of each [`Task`];
//! - [`complete`]: Tab completion of paths;
//! - [`view`]: drawing it, [`App::render`];
//! - [`run`]: the terminal loop. The terminal is restored on return, on error and on
//!   panic (ratatui's panic hook), so the shell is never left in raw mode.

pub mod app;
pub mod complete;
pub mod view;
pub mod worker;

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;

pub use app::{Action, App, Outcome, Task};
pub use worker::{drive, Worker, WorkerOptions};

use crate::i18n::{Lang, Localized};
use crate::tr_in;
use crate::vault::progress::Shared;
use crate::vault::schedule;

/// How the UI starts.
#[derive(Debug, Clone)]
pub struct UiOptions {
    /// The state folder: `config.json`, `upload_schedule.json`, `certs/`, `downloads/`.
    pub dir: PathBuf,
    /// The server to prefill (`HOST:PORT`), over the remembered one.
    pub server: Option<String>,
    /// The user name to prefill, over the remembered one.
    pub user: Option<String>,
    /// How long each read or write may wait for the server.
    pub timeout: Duration,
    /// How often the background scheduler looks for due files.
    pub check_every: Duration,
}

/// Why the UI could not run.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    /// Standard input or output is not a terminal.
    NotATerminal,
    /// The terminal could not be set up or drawn on.
    Terminal(#[from] io::Error),
}

impl Localized for UiError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            UiError::NotATerminal => tr_in!(lang, "vault-error-ui-not-a-terminal"),
            UiError::Terminal(e) => {
                tr_in!(lang, "vault-error-ui-terminal", reason = e.to_string())
            }
        }
    }
}

crate::english_display!(UiError);

/// Runs the UI until the member quits. Tasks run on a worker thread so the screen keeps
/// drawing (and the progress gauge moving) during a transfer; quitting waits for the
/// transfer under way, then logs out.
pub fn run(options: UiOptions) -> Result<(), UiError> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(UiError::NotATerminal);
    }
    let progress = Shared::default();
    let (events, outcomes) = mpsc::channel::<Outcome>();
    let (tasks, inbox) = mpsc::channel::<Task>();
    let worker_options = WorkerOptions {
        dir: options.dir.clone(),
        timeout: options.timeout,
        check_every: Some(options.check_every),
        clock: Arc::new(schedule::system_now),
        lang: crate::i18n::lang(),
    };
    let mut worker = Worker::new(worker_options, progress.clone(), events.clone());
    let thread = std::thread::Builder::new()
        .name("vault-worker".into())
        .spawn(move || {
            for task in inbox {
                if events.send(worker.execute(task)).is_err() {
                    break;
                }
            }
            // Dropping the worker stops the scheduler and logs out.
            drop(worker);
        })?;
    let mut app = App::new(
        &options.dir,
        options.server.as_deref(),
        options.user.as_deref(),
        progress,
    );
    let result = match ratatui::try_init() {
        Ok(mut terminal) => event_loop(&mut terminal, &mut app, &tasks, &outcomes),
        Err(e) => Err(e),
    };
    ratatui::restore();
    drop(tasks);
    if let Some(busy) = &app.busy {
        eprintln!("{}", crate::tr!("vault-ui-waiting", task = busy));
    }
    let _ = thread.join();
    Ok(result?)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    tasks: &mpsc::Sender<Task>,
    outcomes: &mpsc::Receiver<Outcome>,
) -> io::Result<()> {
    loop {
        terminal.draw(|frame| app.render(frame))?;
        while let Ok(outcome) = outcomes.try_recv() {
            if let Action::Run(task) = app.apply(outcome) {
                send(app, tasks, task);
            }
        }
        // Short polls keep the gauge and the scheduler's messages fresh.
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        if let Event::Key(key) = event::read()? {
            if key.kind != KeyEventKind::Press {
                continue;
            }
            match app.handle_key(key) {
                Action::Quit => return Ok(()),
                Action::Run(task) => send(app, tasks, task),
                Action::None => {}
            }
        }
    }
}

fn send(app: &mut App, tasks: &mpsc::Sender<Task>, task: Task) {
    if tasks.send(task).is_err() {
        app.busy = None;
        let message = tr_in!(app.lang, "vault-ui-worker-stopped");
        app.status = (
            app::StatusKind::Error,
            tr_in!(app.lang, "cli-error", message = message),
        );
    }
}
