//! The client's one-shot commands (`login`, `logout`, `upload`, `list`, `download`)
//! and the terminal UI: who to log in as, where, and how the answers are printed.

use super::*;

pub(super) fn config_failure(e: ConfigError) -> Failure {
    let hint = match &e {
        ConfigError::Format { path, .. } => {
            Some(tr!("vault-hint-config", path = path.display().to_string()))
        }
        ConfigError::File { .. } => None,
    };
    Failure::new(e.localized()).maybe_hint(hint)
}

pub(super) fn schedule_failure(e: ScheduleError) -> Failure {
    let hint = e.hint();
    Failure::new(e.localized()).maybe_hint(hint)
}

/// Who to log in as, where: flags first, then `config.json`, then the defaults.
pub(super) struct Target {
    pub(super) server: String,
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) user: String,
    pub(super) config: Option<ClientConfig>,
}

pub(super) fn target(args: &ClientArgs) -> Result<Target, Failure> {
    let config = config::load(&args.dir).map_err(config_failure)?;
    let server = args
        .server
        .clone()
        .or_else(|| config.as_ref().map(ClientConfig::server))
        .unwrap_or_else(|| DEFAULT_SERVER.to_string());
    let (host, port) = vault_client::parse_server(&server).map_err(client_failure)?;
    let user = args
        .user
        .clone()
        .or_else(|| config.as_ref().map(|c| c.username.clone()))
        .ok_or_else(|| Failure::new(tr!("vault-no-user-name")).hint(tr!("vault-hint-user")))?;
    Ok(Target {
        server,
        host,
        port,
        user,
        config,
    })
}

/// The password: `SQUIRREL_PASSWORD`, else the remembered one (only for the same server
/// and user it was saved for), else a prompt.
pub(super) fn password(target: &Target) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(PASSWORD_ENV) {
        return Ok(password);
    }
    if let Some(remembered) = target
        .config
        .as_ref()
        .and_then(|c| c.password_for(&target.host, target.port, &target.user))
    {
        return Ok(remembered.to_string());
    }
    read_password(
        PASSWORD_ENV,
        &tr!(
            "vault-prompt-password",
            user = &target.user,
            server = &target.server
        ),
    )
}

/// A progress bar when stdout is a terminal (and not `--quiet`); else nothing, and each
/// command prints its plain one-line results.
pub(super) fn progress(args: &ClientArgs) -> Option<Arc<dyn Progress>> {
    (!args.quiet && std::io::stdout().is_terminal())
        .then(|| Arc::new(TerminalBar::new(BAR_THRESHOLD)) as Arc<dyn Progress>)
}

/// Logs in, runs `action`, and logs out whatever happened.
pub(super) fn with_session<F>(args: &ClientArgs, action: F) -> Result<(), Failure>
where
    F: FnOnce(&VaultClient, &LoggedIn) -> Result<(), Failure>,
{
    let target = target(args)?;
    let vault = client(args, &target.server)?;
    let password = password(&target)?;
    let session = vault
        .login(&target.user, &password)
        .map_err(client_failure)?;
    let result = action(&vault, &session);
    if let Err(e) = vault.logout(&session) {
        log::warn!("could not log out: {e}");
    }
    result
}

pub(super) fn client(args: &ClientArgs, server: &str) -> Result<VaultClient, Failure> {
    let vault = VaultClient::new(
        server,
        &args.dir.join("certs"),
        Duration::from_secs(args.timeout.max(1)),
    )
    .map_err(client_failure)?;
    Ok(match progress(args) {
        Some(p) => vault.with_progress(p),
        None => vault,
    })
}

pub(super) fn login(args: &ClientArgs, remember: bool) -> Result<(), Failure> {
    let target = target(args)?;
    let vault = client(args, &target.server)?;
    let password = password(&target)?;
    let session = vault
        .login(&target.user, &password)
        .map_err(client_failure)?;
    if let Err(e) = vault.logout(&session) {
        log::warn!("could not log out: {e}");
    }
    println!(
        "{}",
        tr!(
            "vault-logged-in",
            server = &target.server,
            user = &target.user
        )
    );
    let had_password = target.config.as_ref().is_some_and(|c| c.password.is_some());
    let saved = ClientConfig {
        host: target.host.clone(),
        port: target.port,
        username: target.user.clone(),
        password: remember.then_some(password),
    };
    let path = config::save(&args.dir, &saved).map_err(config_failure)?;
    let path = path.display().to_string();
    if remember {
        println!("{}", tr!("vault-remembered-password", path = &path));
        eprintln!("{}", warning(tr!("vault-password-in-clear", path = &path)));
    } else {
        println!("{}", tr!("vault-remembered", path = &path));
        if had_password {
            println!("{}", tr!("vault-password-removed"));
        }
    }
    Ok(())
}

pub(super) fn logout(dir: &Path, forget: bool) -> Result<(), Failure> {
    if !forget {
        println!("{}", tr!("vault-nothing-to-log-out"));
        let remembered = config::load(dir).map_err(config_failure)?;
        if let Some(c) = remembered {
            let path = config::path(dir).display().to_string();
            let who = format!("{}@{}", c.username, c.server());
            let line = if c.password.is_some() {
                tr!("vault-config-remembers-password", path = path, who = who)
            } else {
                tr!("vault-config-remembers", path = path, who = who)
            };
            println!("{line}");
        }
        return Ok(());
    }
    let path = config::path(dir).display().to_string();
    if config::forget(dir).map_err(config_failure)? {
        println!("{}", tr!("vault-forgot", path = path));
    } else {
        println!("{}", tr!("vault-nothing-remembered", path = path));
    }
    Ok(())
}

/// A unix time (seconds) or UTC time as local time, to the minute.
pub(super) fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

pub(super) fn local_unix(seconds: i64) -> String {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .map(local_time)
        .unwrap_or_else(|| tr!("vault-unix-time", seconds = seconds.to_string()))
}

/// Pads `text` with spaces to `width` characters (not bytes: names can be UTF-8).
pub(super) fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// The width of each column of a table, in characters: the widest of its header and
/// its cells, so the header and every row line up when padded with [`pad`].
pub(super) fn column_widths<const N: usize>(
    header: &[String; N],
    rows: &[[String; N]],
) -> [usize; N] {
    std::array::from_fn(|i| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    })
}

pub(super) fn print_archives(archives: &[vault_client::ArchiveInfo]) {
    if archives.is_empty() {
        println!("{}", tr!("vault-no-archives"));
        return;
    }
    let stale = vault_client::stale_flags(archives, Utc::now());
    let rows: Vec<[String; 4]> = archives
        .iter()
        .map(|a| {
            // Names come from the server: nothing in them may reach the terminal raw.
            [
                vault_client::printable(&a.file_name),
                a.uploaded.map(local_time).unwrap_or_else(|| "?".into()),
                a.size
                    .map(|n| indicatif::HumanBytes(n).to_string())
                    .unwrap_or_else(|| "?".into()),
                vault_client::printable(&a.archive),
            ]
        })
        .collect();
    let header = [
        tr!("vault-column-file"),
        tr!("vault-column-uploaded"),
        tr!("vault-column-size"),
        tr!("vault-column-archive"),
    ];
    let widths = column_widths(&header, &rows);
    println!(
        "  {}  {}  {}  {}",
        pad(&header[0], widths[0]),
        pad(&header[1], widths[1]),
        pad(&header[2], widths[2]),
        header[3]
    );
    for (row, stale) in rows.iter().zip(&stale) {
        println!(
            "{} {}  {}  {}  {}",
            if *stale { "⚠" } else { " " },
            pad(&row[0], widths[0]),
            pad(&row[1], widths[1]),
            pad(&row[2], widths[2]),
            row[3]
        );
    }
    if stale.iter().any(|s| *s) {
        println!("{}", tr!("vault-stale-note"));
    }
}

pub(super) fn ui(args: &ClientArgs) -> Result<(), Failure> {
    let options = squirrel::vault::ui::UiOptions {
        dir: args.dir.clone(),
        server: args.server.clone(),
        user: args.user.clone(),
        timeout: Duration::from_secs(args.timeout.max(1)),
        check_every: schedule::DEFAULT_CHECK_EVERY,
    };
    squirrel::vault::ui::run(options).map_err(|e| match e {
        squirrel::vault::ui::UiError::NotATerminal => {
            Failure::new(e.localized()).hint(tr!("vault-hint-ui-terminal"))
        }
        other => Failure::new(other.localized()),
    })
}
