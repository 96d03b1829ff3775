//! `vault schedule …`: daily uploads, their passes, and the cron and systemd lines that
//! run them without a terminal open.

use super::*;

pub(super) fn run_schedule(command: ScheduleCommand) -> Result<(), Failure> {
    match command {
        ScheduleCommand::Add { files, state } => {
            let mut schedule = Schedule::load(&state.dir).map_err(schedule_failure)?;
            let mut added = Vec::new();
            for file in &files {
                let (path, new) = schedule.add(file).map_err(schedule_failure)?;
                added.push((path, new));
            }
            schedule.save().map_err(schedule_failure)?;
            for (path, new) in added {
                if new {
                    println!("{}", tr!("vault-scheduled", path = path));
                } else {
                    println!("{}", tr!("vault-already-scheduled", path = path));
                }
            }
            Ok(())
        }
        ScheduleCommand::Remove { files, state } => {
            let mut schedule = Schedule::load(&state.dir).map_err(schedule_failure)?;
            let mut removed = Vec::new();
            for file in &files {
                removed.push(schedule.remove(file).map_err(schedule_failure)?);
            }
            schedule.save().map_err(schedule_failure)?;
            for path in removed {
                println!("{}", tr!("vault-unscheduled", path = path));
            }
            Ok(())
        }
        ScheduleCommand::List(state) => {
            let schedule = Schedule::load(&state.dir).map_err(schedule_failure)?;
            print_schedule(&schedule, schedule::system_now());
            Ok(())
        }
        ScheduleCommand::Run {
            once,
            every,
            client,
        } => schedule_run(&client, once, Duration::from_secs(every)),
        ScheduleCommand::Cron(client) => schedule_cron(&client),
    }
}

pub(super) fn print_schedule(schedule: &Schedule, now: i64) {
    if schedule.is_empty() {
        println!("{}", tr!("vault-nothing-scheduled"));
        return;
    }
    let rows: Vec<[String; 3]> = schedule
        .entries()
        .map(|(path, last)| {
            let missing = if Path::new(path).exists() {
                String::new()
            } else {
                format!(" {}", tr!("vault-missing-mark"))
            };
            [
                format!("{path}{missing}"),
                if last <= 0 {
                    tr!("vault-never")
                } else {
                    local_unix(last)
                },
                if schedule::is_due(last, now) {
                    tr!("vault-now")
                } else {
                    local_unix(schedule::next_due(last))
                },
            ]
        })
        .collect();
    let header = [
        tr!("vault-column-file"),
        tr!("vault-column-last-upload"),
        tr!("vault-column-next-due"),
    ];
    let widths = column_widths(&header, &rows);
    println!(
        "{}  {}  {}",
        pad(&header[0], widths[0]),
        pad(&header[1], widths[1]),
        header[2]
    );
    for row in rows {
        println!(
            "{}  {}  {}",
            pad(&row[0], widths[0]),
            pad(&row[1], widths[1]),
            row[2]
        );
    }
}

/// Prints what a pass did; with `quiet_not_due`, files not due are left out (the loop
/// would print them every minute).
pub(super) fn print_pass(report: &PassReport, quiet_not_due: bool) {
    let stamp = Local::now().format("%Y-%m-%d %H:%M:%S");
    for (path, outcome) in &report.files {
        let line = match outcome {
            Outcome::Uploaded { archive } => {
                tr!("vault-pass-uploaded", path = path, archive = archive)
            }
            Outcome::Unrecorded { archive, error } => tr!(
                "vault-pass-unrecorded",
                path = path,
                archive = archive,
                error = error
            ),
            Outcome::NotDue { next } if !quiet_not_due => {
                tr!("vault-pass-not-due", path = path, next = local_unix(*next))
            }
            Outcome::NotDue { .. } => continue,
            Outcome::Missing => tr!("vault-pass-missing", path = path),
            Outcome::Failed { error, hint } => {
                println!(
                    "{stamp} {}",
                    tr!("vault-pass-failed", path = path, error = error)
                );
                if let Some(hint) = hint {
                    println!("{stamp}   {}", tr!("cli-hint", hint = hint));
                }
                continue;
            }
            Outcome::Skipped => tr!("vault-pass-skipped", path = path),
        };
        println!("{stamp} {line}");
    }
}

pub(super) fn schedule_run(args: &ClientArgs, once: bool, every: Duration) -> Result<(), Failure> {
    let acquired = RunLock::acquire(&args.dir).map_err(schedule_failure)?;
    if let Some(pid) = acquired.took_over {
        println!(
            "{}",
            tr!(
                "vault-took-over-lock",
                pid = pid.to_string(),
                path = acquired.lock.path().display().to_string()
            )
        );
    }
    let target = target(args)?;
    let vault = client(args, &target.server)?;
    let password = password(&target)?;
    let mut account = Account::new(vault, target.user.clone(), password);
    let clock = schedule::system_now;
    if once {
        let report =
            schedule::run_pass(&args.dir, &mut account, &clock).map_err(schedule_failure)?;
        drop(acquired);
        if report.files.is_empty() {
            println!("{}", tr!("vault-nothing-scheduled"));
        }
        print_pass(&report, false);
        let failed = report.files.iter().filter(|(_, o)| o.is_failure()).count();
        if failed > 0 {
            return Err(Failure::new(tr!(
                "vault-pass-failures",
                failed = failed,
                total = report.files.len().to_string()
            )));
        }
        return Ok(());
    }
    // Stops between files and releases the lock (systemd stops services with SIGTERM).
    let stop = crate::cli::stop_flag_on_signals()?;
    let count = Schedule::load(&args.dir)
        .map(|s| s.entries().count())
        .unwrap_or(0);
    println!(
        "{}",
        tr!(
            "vault-schedule-running",
            count = count,
            server = &target.server,
            user = &target.user,
            every = every.as_secs().to_string()
        )
    );
    schedule::run_loop(
        &args.dir,
        &mut account,
        &clock,
        every,
        &stop,
        &mut |report| print_pass(report, true),
        &mut |e| eprintln!("{}", tr!("cli-error", message = e.localized())),
    );
    drop(acquired);
    println!("{}", tr!("vault-stopped"));
    Ok(())
}

/// Quotes for a POSIX shell: `'…'`, with `'` as `'\''`; crontab also needs `%` escaped.
pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''").replace('%', "\\%"))
}

/// Quotes for a systemd `ExecStart=`/`WorkingDirectory=` value.
pub(super) fn systemd_quote(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('%', "%%")
    )
}

pub(super) fn schedule_cron(args: &ClientArgs) -> Result<(), Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::new(tr!("vault-cannot-find-program", reason = e.to_string())))?;
    let dir = schedule::absolute(&args.dir).map_err(schedule_failure)?;
    let exe = exe.to_string_lossy().into_owned();
    let dir = dir.to_string_lossy().into_owned();
    let mut extra: Vec<String> = Vec::new();
    if let Some(server) = &args.server {
        extra.extend(["--server".into(), server.clone()]);
    }
    if let Some(user) = &args.user {
        extra.extend(["--user".into(), user.clone()]);
    }
    let mut cron_args = vec!["vault", "schedule", "run", "--once", "--dir"]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    cron_args.push(dir.clone());
    cron_args.extend(extra);
    let cron_command = std::iter::once(shell_quote(&exe))
        .chain(cron_args.iter().map(|a| shell_quote(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let systemd_command = std::iter::once(systemd_quote(&exe))
        .chain(cron_args.iter().map(|a| systemd_quote(a)))
        .collect::<Vec<_>>()
        .join(" ");
    let log = format!("{dir}/schedule.log");
    println!("# {}", tr!("vault-cron-intro"));
    println!("# {}", tr!("vault-cron-intro-2"));
    println!("# {}", tr!("vault-cron-intro-3", dir = &dir));
    println!("#");
    println!("# {}", tr!("vault-cron-crontab"));
    println!(
        "*/15 * * * * cd {} && {cron_command} >> {} 2>&1",
        shell_quote(&dir),
        shell_quote(&log)
    );
    println!();
    println!("# {}", tr!("vault-cron-service"));
    println!("[Unit]");
    println!("Description=Squirrel vault: upload the scheduled files that are due");
    println!();
    println!("[Service]");
    println!("Type=oneshot");
    // WorkingDirectory= takes the path as it is (no quotes), with specifiers expanded.
    println!("WorkingDirectory={}", dir.replace('%', "%%"));
    println!("ExecStart={systemd_command}");
    println!();
    println!("# {}", tr!("vault-cron-timer"));
    println!("[Unit]");
    println!("Description=Squirrel vault: scheduled uploads every 15 minutes");
    println!();
    println!("[Timer]");
    println!("OnCalendar=*:0/15");
    println!("Persistent=true");
    println!();
    println!("[Install]");
    println!("WantedBy=timers.target");
    println!();
    println!("# {}", tr!("vault-cron-enable"));
    println!("# {}", tr!("vault-cron-journal"));
    Ok(())
}
