//! `vault serve`, `adduser` and `passwd`: the server and its members.

use super::*;

pub(super) fn serve(args: ServeArgs) -> Result<(), Failure> {
    let policy = Policy {
        max_upload: args.max_upload,
        quota: args.quota,
        min_free: args.min_free,
    };
    let vault = Arc::new(Vault::open_with(&args.data_dir, policy).map_err(vault_failure)?);
    if args.demo {
        let added = vault.add_demo_users().map_err(vault_failure)?;
        if !added.is_empty() {
            println!("Added the demo users {}.", added.join(" and "));
        }
        let logins: Vec<String> = DEMO_USERS.iter().map(|(u, p)| format!("{u}/{p}")).collect();
        eprintln!(
            "warning: DEMO MODE: anyone can log in as {} — never keep real files in a demo vault",
            logins.join(" or ")
        );
    }
    let options = ServeOptions {
        addr: format!("{}:{}", args.host, args.port),
        data_dir: args.data_dir.clone(),
        certs_dir: args.certs.clone(),
        limits: Limits {
            max_body: args.max_upload,
            head_bytes: usize::try_from(args.max_head).unwrap_or(usize::MAX),
            handshake_timeout: Duration::from_secs(args.handshake_timeout),
            head_timeout: Duration::from_secs(args.head_timeout),
            body_grace: Duration::from_secs(args.body_grace),
            body_min_rate: args.min_body_rate.max(1),
            max_conn_per_address: args.max_conn_per_address.into(),
            ..Limits::default()
        },
        workers: args.workers.into(),
    };
    let running = vault_server::start(&options, vault).map_err(vault_failure)?;
    for issued in &running.issued {
        println!("{issued}");
        for warning in &issued.warnings {
            eprintln!("warning: {warning}");
        }
    }
    for warning in &running.warnings {
        eprintln!("warning: {warning}");
    }
    let users = Users::load(&args.data_dir)
        .map(|u| u.names())
        .unwrap_or_default();
    println!(
        "The vault is listening on https://{} ({} worker{}; data in {}, certificates in {}).",
        running.handle.addr(),
        args.workers,
        if args.workers == 1 { "" } else { "s" },
        args.data_dir.display(),
        args.certs.display()
    );
    if users.is_empty() {
        println!(
            "No users yet: add one with `squirrel vault adduser NAME`, or restart with --demo."
        );
    } else {
        println!(
            "Users: {}. Clients need a certificate signed by {}.",
            users.join(", "),
            args.certs.join("ca.crt").display()
        );
        println!("Try, in another terminal:");
        let user = users.first().map(String::as_str).unwrap_or("user1");
        let password = if args.demo { "password1" } else { "…" };
        println!("  SQUIRREL_PASSWORD={password} squirrel vault upload README.md --user {user} --server localhost:{}", args.port);
        println!("  SQUIRREL_PASSWORD={password} squirrel vault list --user {user} --server localhost:{}", args.port);
        println!(
            "  squirrel vault ui --user {user} --server localhost:{}",
            args.port
        );
    }
    println!("Stop it with Ctrl-C.");
    running.handle.join();
    Ok(())
}

/// Reads a password: from `env_var` when set, else from a prompt without echo.
pub(super) fn read_password(env_var: &str, prompt: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(env_var) {
        return Ok(password);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        Failure::new(format!("cannot read a password: {e}")).hint(format!(
            "set {env_var} to give the password without a prompt"
        ))
    })
}

/// A new password: from `env_var`, else typed twice; at least [`MIN_PASSWORD_CHARS`]
/// characters unless `allow_short`.
pub(crate) fn read_new_password(
    env_var: &str,
    who: &str,
    allow_short: bool,
) -> Result<String, Failure> {
    let password = match std::env::var(env_var) {
        Ok(password) => password,
        Err(_) => {
            let first = read_password(env_var, &format!("New password for {who}: "))?;
            let second = read_password(env_var, "Repeat it: ")?;
            if first != second {
                return Err(Failure::new(
                    "the two passwords differ; nothing was changed",
                ));
            }
            first
        }
    };
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS && !allow_short {
        return Err(Failure::new(format!(
            "the password has {length} character{}: at least {MIN_PASSWORD_CHARS} are needed; nothing was changed",
            if length == 1 { "" } else { "s" }
        ))
        .hint("choose a longer one (a few words make a good one); for a class demo only: --allow-short-password"));
    }
    Ok(password)
}

pub(super) fn adduser(args: UserArgs) -> Result<(), Failure> {
    // Refuse a bad or taken name before asking for a password.
    check_user_name(&args.name).map_err(Failure::new)?;
    let mut users = Users::load(&args.data_dir).map_err(Failure::new)?;
    if users.contains(&args.name) {
        return Err(
            Failure::new(format!("the user {} already exists", args.name)).hint(format!(
                "change the password with: squirrel vault passwd {}",
                args.name
            )),
        );
    }
    let password = read_new_password(PASSWORD_ENV, &args.name, args.allow_short_password)?;
    users
        .add(&args.name, &password, DEFAULT_ITERATIONS)
        .and_then(|()| users.save())
        .map_err(Failure::new)?;
    println!("Added {} to {}.", args.name, users.path().display());
    Ok(())
}

pub(super) fn passwd(args: UserArgs) -> Result<(), Failure> {
    let users = Users::load(&args.data_dir).map_err(Failure::new)?;
    if !users.contains(&args.name) {
        return Err(Failure::new(format!(
            "there is no user {} in {}",
            args.name,
            users.path().display()
        ))
        .hint(format!("add it with: squirrel vault adduser {}", args.name)));
    }
    let vault = Vault::open(&args.data_dir).map_err(vault_failure)?;
    let old = read_password(
        PASSWORD_ENV,
        &format!("Current password for {}: ", args.name),
    )?;
    let new = read_new_password(NEW_PASSWORD_ENV, &args.name, args.allow_short_password)?;
    let count = vault
        .change_password(&args.name, &old, &new)
        .map_err(vault_failure)?;
    println!(
        "Changed the password of {} and re-encrypted {count} archive{} with the new key.",
        args.name,
        if count == 1 { "" } else { "s" }
    );
    Ok(())
}
