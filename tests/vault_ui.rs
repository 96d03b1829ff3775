//! `squirrel vault ui` without a real terminal: keys go into the App, tasks run inline
//! against a real vault (TestVault), and the screen is drawn on ratatui's TestBackend
//! and read back as text.

mod common;

use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::TestVault;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use squirrel::i18n::Lang;
use squirrel::vault::config::{self, ClientConfig};
use squirrel::vault::progress::Shared;
use squirrel::vault::schedule::{self, Schedule};
use squirrel::vault::ui::app::{Field, Screen, StatusKind};
use squirrel::vault::ui::{drive, Action, App, Outcome, Worker, WorkerOptions};

struct Ui {
    app: App,
    worker: Worker,
    events: Receiver<Outcome>,
    dir: tempfile::TempDir,
}

/// A UI over a fresh state folder holding the vault's certificates; with
/// `check_every`, the background scheduler runs.
fn ui(tv: &TestVault, prefill: Option<ClientConfig>, check_every: Option<Duration>) -> Ui {
    ui_in(Lang::En, tv, prefill, check_every)
}

/// [`ui`], speaking `lang`.
fn ui_in(
    lang: Lang,
    tv: &TestVault,
    prefill: Option<ClientConfig>,
    check_every: Option<Duration>,
) -> Ui {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    for file in ["ca.crt", "client.crt", "client.key"] {
        std::fs::copy(tv.certs.join(file), dir.path().join("certs").join(file)).unwrap();
    }
    if let Some(c) = prefill {
        config::save(dir.path(), &c).unwrap();
    }
    let progress = Shared::default();
    let (tx, events) = mpsc::channel();
    let worker = Worker::new(
        WorkerOptions {
            dir: dir.path().to_path_buf(),
            timeout: Duration::from_secs(30),
            check_every,
            clock: Arc::new(schedule::system_now),
            lang,
        },
        progress.clone(),
        tx,
    );
    let server = (prefill_none_server(dir.path())).then(|| tv.server());
    let app = App::new_in(lang, dir.path(), server.as_deref(), None, progress);
    Ui {
        app,
        worker,
        events,
        dir,
    }
}

/// Without a remembered config, the test passes the server as `--server` would.
fn prefill_none_server(dir: &Path) -> bool {
    !dir.join("config.json").exists()
}

impl Ui {
    fn key(&mut self, code: KeyCode) -> bool {
        let action = self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        drive(&mut self.app, &mut self.worker, action)
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// Logs in as user1 from a form whose server is already filled in.
    fn log_in(&mut self, password: &str) {
        for _ in 0..5 {
            if self.app.login.focus == Field::User {
                break;
            }
            self.key(KeyCode::Tab);
        }
        assert_eq!(self.app.login.focus, Field::User);
        for _ in 0..self.app.login.user.chars().count() {
            self.key(KeyCode::Backspace);
        }
        assert!(self.app.login.user.is_empty());
        self.type_text("user1");
        self.key(KeyCode::Tab);
        assert_eq!(self.app.login.focus, Field::Password);
        // A bounded loop: a key that stopped deleting must fail the test, not hang it.
        for _ in 0..self.app.login.password.chars().count() {
            self.key(KeyCode::Backspace);
        }
        assert!(self.app.login.password.is_empty());
        self.type_text(password);
        self.key(KeyCode::Enter);
    }

    /// The screen as text, one line a row.
    fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(140, 30)).unwrap();
        terminal.draw(|frame| self.app.render(frame)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer.cell((x, y)).map_or(" ", |c| c.symbol()))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn row(&self, needle: &str) -> String {
        let screen = self.screen();
        screen
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
            .to_string()
    }
}

#[test]
fn login_form_is_prefilled_from_config_and_remember_me_saves_the_password() {
    let tv = TestVault::start();
    let remembered = ClientConfig {
        host: "127.0.0.1".into(),
        port: tv.port,
        username: "user1".into(),
        password: None,
    };
    let mut ui = ui(&tv, Some(remembered), None);
    let screen = ui.screen();
    assert!(screen.contains("Log in"), "{screen}");
    assert!(ui.row("Server address").contains("127.0.0.1"), "{screen}");
    assert!(ui.row("Port").contains(&tv.port.to_string()), "{screen}");
    assert!(ui.row("User name").contains("user1"), "{screen}");
    assert!(ui.row("Remember me").contains("[ ]"), "{screen}");
    // The cursor waits in the password field.
    assert!(ui.row("Password").contains("> "), "{screen}");

    ui.type_text("password1");
    assert!(ui.row("Password").contains("•••••••••"));
    assert!(!ui.screen().contains("password1"));
    ui.key(KeyCode::Tab);
    ui.key(KeyCode::Char(' '));
    assert!(ui.row("Remember me").contains("[x]"));
    ui.key(KeyCode::Enter);

    assert_eq!(ui.app.screen, Screen::Archives, "{:?}", ui.app.status);
    let screen = ui.screen();
    assert!(
        screen.contains(&format!("user1@127.0.0.1:{}", tv.port)),
        "{screen}"
    );
    assert!(screen.contains("Your archives"), "{screen}");
    assert!(screen.contains("Logged in as user1"), "{screen}");
    let saved = config::load(ui.dir.path()).unwrap().unwrap();
    assert_eq!(saved.password.as_deref(), Some("password1"));

    // The next start is prefilled with the password and remember-me ticked.
    let again = App::new(ui.dir.path(), None, None, Shared::default());
    assert!(again.login.remember);
    assert_eq!(again.login.password, "password1");
}

#[test]
fn archive_list_shows_name_last_upload_and_warns_when_over_a_day_old() {
    let tv = TestVault::start();
    let (client, session) = tv.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "winter.txt", b"stash")
        .unwrap();
    let dir = tv.data.join("archives/user1");
    std::fs::rename(
        dir.join(&archive),
        dir.join("winter.txt_2020-01-02T03-04-05.enc"),
    )
    .unwrap();
    client
        .upload_bytes(&session, "spring.txt", b"buds")
        .unwrap();

    let mut ui = ui(&tv, None, None);
    ui.log_in("password1");
    assert_eq!(ui.app.screen, Screen::Archives, "{:?}", ui.app.status);
    let winter = ui.row("winter.txt_2020");
    assert!(winter.contains('⚠'), "{winter}");
    assert!(winter.contains("2020-01-0"), "{winter}");
    let spring = ui.row("spring.txt_");
    assert!(!spring.contains('⚠'), "{spring}");
    assert!(ui.screen().contains("over 24 h old"));

    // Refresh picks up an upload made elsewhere.
    client.upload_bytes(&session, "summer.txt", b"sun").unwrap();
    ui.key(KeyCode::Char('r'));
    ui.row("summer.txt_");
    assert!(
        ui.app.status.1.contains("3 archives"),
        "{:?}",
        ui.app.status
    );
}

#[test]
fn upload_takes_a_path_with_tab_completion_and_shows_the_new_archive() {
    let tv = TestVault::start();
    let mut ui = ui(&tv, None, None);
    ui.log_in("password1");
    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("hazelnuts.txt"), "forty hazelnuts").unwrap();
    std::fs::write(files.path().join("other.txt"), "x").unwrap();

    ui.key(KeyCode::Char('u'));
    assert!(ui.screen().contains("Upload a file"));
    ui.type_text(&format!("{}/ha", files.path().display()));
    ui.key(KeyCode::Tab);
    assert!(ui.row("Path:").contains("hazelnuts.txt"), "{}", ui.screen());
    ui.key(KeyCode::Enter);

    assert_eq!(ui.app.status.0, StatusKind::Info, "{:?}", ui.app.status);
    assert!(
        ui.app.status.1.starts_with("Uploaded"),
        "{:?}",
        ui.app.status
    );
    let row = ui.row("hazelnuts.txt_");
    assert!(row.contains("> "), "the new archive is selected: {row}");
    assert_eq!(ui.app.archives.len(), 1);
}

#[test]
fn download_decrypts_the_selected_archive_into_downloads_without_overwriting() {
    let tv = TestVault::start();
    let (client, session) = tv.login("user1", "password1");
    client
        .upload_bytes(&session, "a.txt", b"first file")
        .unwrap();
    client
        .upload_bytes(&session, "b.txt", b"second file")
        .unwrap();
    let mut ui = ui(&tv, None, None);
    ui.log_in("password1");
    ui.key(KeyCode::Down);
    let selected = ui.app.selected_archive().unwrap().clone();
    assert_eq!(selected.file_name, "b.txt");
    ui.key(KeyCode::Char('d'));
    assert!(
        ui.app.status.1.starts_with("Downloaded"),
        "{:?}",
        ui.app.status
    );
    let downloads = ui.dir.path().join("downloads");
    assert_eq!(
        std::fs::read(downloads.join("b.txt")).unwrap(),
        b"second file"
    );
    ui.key(KeyCode::Enter);
    assert_eq!(
        std::fs::read(downloads.join("b (1).txt")).unwrap(),
        b"second file"
    );
    assert!(ui.screen().contains("b (1).txt"));
}

#[test]
fn errors_show_in_the_status_line_and_the_ui_keeps_going() {
    let tv = TestVault::start();
    let mut ui = ui(&tv, None, None);
    ui.log_in("not the password");
    assert_eq!(ui.app.screen, Screen::Login);
    assert_eq!(ui.app.status.0, StatusKind::Error);
    let screen = ui.screen();
    assert!(
        screen.contains("error: could not log in: the server answered 401"),
        "{screen}"
    );

    // Fix the password and carry on.
    ui.log_in("password1");
    assert_eq!(ui.app.screen, Screen::Archives, "{:?}", ui.app.status);

    // A file that does not exist: an error line, the list still there.
    ui.key(KeyCode::Char('u'));
    ui.type_text("/no/such/file.txt");
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.status.0, StatusKind::Error);
    assert!(
        ui.screen()
            .contains("error: could not upload /no/such/file.txt"),
        "{}",
        ui.screen()
    );
    // Nothing to download yet.
    ui.key(KeyCode::Char('d'));
    assert!(ui.app.status.1.contains("no archive to download"));
    // Esc closes a prompt; q leaves.
    ui.key(KeyCode::Char('s'));
    ui.key(KeyCode::Esc);
    assert!(ui.app.input.is_none());
    assert_eq!(
        ui.app
            .handle_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
        Action::Quit
    );
}

#[test]
fn background_scheduler_uploads_a_scheduled_file_once_while_the_ui_is_open_and_it_downloads() {
    let tv = TestVault::start();
    let mut ui = ui(&tv, None, Some(Duration::from_millis(200)));
    ui.log_in("password1");
    assert_eq!(ui.app.screen, Screen::Archives, "{:?}", ui.app.status);
    let file = ui.dir.path().join("daily.txt");
    std::fs::write(&file, "every day").unwrap();

    ui.key(KeyCode::Char('s'));
    ui.type_text(&file.display().to_string());
    ui.key(KeyCode::Enter);
    assert!(
        ui.app.status.1.starts_with("Scheduled"),
        "{:?}",
        ui.app.status
    );
    assert!(ui.row("daily.txt").contains("never"), "{}", ui.screen());

    // The scheduler's passes arrive on the channel, as the terminal loop reads them.
    let deadline = Instant::now() + Duration::from_secs(20);
    while ui.app.archives.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no scheduled upload: {:?}", ui.app.status);
        if let Ok(outcome) = ui.events.recv_timeout(left) {
            let action = ui.app.apply(outcome);
            drive(&mut ui.app, &mut ui.worker, action);
        }
    }
    let screen = ui.screen();
    assert!(screen.contains("daily.txt_"), "{screen}");
    assert!(
        screen.contains("Scheduled uploads: uploaded daily.txt")
            || ui.app.status.1.contains("archive"),
        "{screen}"
    );
    let key = file.to_string_lossy().into_owned();
    let recorded = Schedule::load(ui.dir.path())
        .unwrap()
        .last_upload(&key)
        .unwrap();
    assert!(recorded > 0);
    assert!(!ui.row("Daily uploads").is_empty());

    // The next pass finds it not due: nothing more goes up.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no second pass");
        if let Ok(Outcome::SchedulerPass { report, .. }) = ui.events.recv_timeout(left) {
            if report.files.iter().all(|(_, o)| {
                *o == schedule::Outcome::NotDue {
                    next: recorded + schedule::INTERVAL_SECS,
                }
            }) {
                break;
            }
        }
    }
    let (client, session) = tv.login("user1", "password1");
    assert_eq!(client.list(&session).unwrap().len(), 1);

    // And the member downloads what the scheduler uploaded.
    ui.key(KeyCode::Char('d'));
    assert!(
        ui.app.status.1.starts_with("Downloaded"),
        "{:?}",
        ui.app.status
    );
    assert_eq!(
        std::fs::read(ui.dir.path().join("downloads/daily.txt")).unwrap(),
        b"every day"
    );
}

#[test]
fn ui_without_a_terminal_says_so_in_one_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run(dir.path(), &["vault", "ui"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = common::text(&out.stderr);
    assert!(
        err.starts_with("error: the terminal UI needs a terminal"),
        "{err}"
    );
    assert!(err.contains("\nhint: "), "{err}");
    assert!(
        !out.stdout.contains(&0x1b),
        "the terminal was never touched"
    );
    let out = common::run(dir.path(), &["--lang", "fr", "vault", "ui"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        common::text(&out.stderr),
        "erreur\u{a0}: l'interface du terminal a besoin d'un terminal (l'entrée et la sortie \
         standard n'en sont pas un)\n\
         conseil\u{a0}: lancez-la dans un terminal, ou utilisez les commandes\u{a0}: squirrel \
         vault login, list, upload, schedule, download\n"
    );
}

#[test]
fn the_window_speaks_french_its_form_its_errors_with_their_hints_and_its_list() {
    let tv = TestVault::start();
    let mut ui = ui_in(Lang::Fr, &tv, None, None);
    let screen = ui.screen();
    assert!(
        screen.contains("Le coffre des Écureuils secrets"),
        "{screen}"
    );
    assert!(screen.contains(" Connexion "), "{screen}");
    assert!(
        ui.row("Adresse du serveur").contains("127.0.0.1"),
        "{screen}"
    );
    assert!(ui
        .row("Se souvenir de moi")
        .contains("[ ] garder le mot de passe dans"));
    assert!(
        screen.contains("Entrée se connecter · Échap quitter"),
        "{screen}"
    );

    // A wrong password: the server's refusal in French, with the hint.
    ui.log_in("not the password");
    assert_eq!(ui.app.screen, Screen::Login);
    assert_eq!(ui.app.status.0, StatusKind::Error);
    assert_eq!(
        ui.app.status.1,
        "erreur\u{a0}: impossible de se connecter\u{a0}: le serveur a répondu 401\u{a0}: nom \
         d'utilisateur ou mot de passe incorrect (conseil\u{a0}: vérifiez le nom d'utilisateur \
         et le mot de passe (SQUIRREL_PASSWORD), ou reconnectez-vous)"
    );
    assert!(
        ui.screen()
            .contains("erreur\u{a0}: impossible de se connecter\u{a0}: le serveur a répondu 401"),
        "{}",
        ui.screen()
    );

    ui.log_in("password1");
    assert_eq!(ui.app.screen, Screen::Archives, "{:?}", ui.app.status);
    let screen = ui.screen();
    assert!(
        screen.contains("Connecté en tant que user1\u{a0}: 0 archive."),
        "{screen}"
    );
    assert!(
        screen.contains("Vos archives — aucune pour l'instant"),
        "{screen}"
    );
    assert!(screen.contains("Envois quotidiens — aucun"), "{screen}");
    assert!(
        screen.contains("u envoyer · s programmer chaque jour"),
        "{screen}"
    );
    ui.key(KeyCode::Char('d'));
    assert_eq!(
        ui.app.status.1,
        "erreur\u{a0}: pas encore d'archive à télécharger\u{a0}: envoyez un fichier avec u"
    );

    // An upload, then the list's columns.
    let file = ui.dir.path().join("noisettes.txt");
    std::fs::write(&file, "des noisettes").unwrap();
    ui.key(KeyCode::Char('u'));
    assert!(
        ui.screen().contains(" Envoyer un fichier "),
        "{}",
        ui.screen()
    );
    ui.type_text(file.to_str().unwrap());
    ui.key(KeyCode::Enter);
    assert_eq!(ui.app.status.0, StatusKind::Info, "{:?}", ui.app.status);
    assert!(
        ui.app
            .status
            .1
            .contains("noisettes.txt envoyé sous le nom noisettes.txt_"),
        "{:?}",
        ui.app.status
    );
    let header = ui.row("Dernier envoi");
    for column in ["Fichier", "Taille", "Archive"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(ui.screen().contains("Vos archives (1)"));
}
