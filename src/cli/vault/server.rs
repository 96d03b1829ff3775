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
            println!(
                "{}",
                tr!("vault-demo-added", users = joined(&added, tr!("vault-and")))
            );
        }
        let logins: Vec<String> = DEMO_USERS.iter().map(|(u, p)| format!("{u}/{p}")).collect();
        eprintln!(
            "{}",
            warning(tr!(
                "vault-demo-warning",
                logins = joined(&logins, tr!("vault-or"))
            ))
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
        println!("{}", issued.localized());
        for w in issued.warnings_in(squirrel::i18n::lang()) {
            eprintln!("{}", warning(w));
        }
    }
    for w in &running.warnings {
        eprintln!("{}", warning(w));
    }
    let users = Users::load(&args.data_dir)
        .map(|u| u.names())
        .unwrap_or_default();
    println!(
        "{}",
        tr!(
            "vault-listening",
            addr = running.handle.addr().to_string(),
            workers = args.workers,
            data = args.data_dir.display().to_string(),
            certs = args.certs.display().to_string()
        )
    );
    if users.is_empty() {
        println!("{}", tr!("vault-no-users"));
    } else {
        println!(
            "{}",
            tr!(
                "vault-users",
                users = users.join(", "),
                ca = args.certs.join("ca.crt").display().to_string()
            )
        );
        println!("{}", tr!("vault-try"));
        let user = users.first().map(String::as_str).unwrap_or("user1");
        let password = if args.demo { "password1" } else { "…" };
        println!("  SQUIRREL_PASSWORD={password} squirrel vault upload README.md --user {user} --server localhost:{}", args.port);
        println!("  SQUIRREL_PASSWORD={password} squirrel vault list --user {user} --server localhost:{}", args.port);
        println!(
            "  squirrel vault ui --user {user} --server localhost:{}",
            args.port
        );
    }
    println!("{}", tr!("vault-stop"));
    running.handle.join();
    Ok(())
}

/// Reads a password: from `env_var` when set, else from a prompt without echo (`prompt`
/// and a space).
pub(super) fn read_password(env_var: &str, prompt: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var(env_var) {
        return Ok(password);
    }
    rpassword::prompt_password(format!("{prompt} ")).map_err(|e| {
        Failure::new(tr!("vault-cannot-read-password", reason = e.to_string()))
            .hint(tr!("vault-hint-password-env", var = env_var))
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
            let first = read_password(env_var, &tr!("vault-prompt-new-password", user = who))?;
            let second = read_password(env_var, &tr!("vault-prompt-repeat"))?;
            if first != second {
                return Err(Failure::new(tr!("vault-passwords-differ")));
            }
            first
        }
    };
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS && !allow_short {
        return Err(Failure::new(tr!(
            "vault-password-too-short",
            length = length,
            min = MIN_PASSWORD_CHARS.to_string()
        ))
        .hint(tr!("vault-hint-longer-password")));
    }
    Ok(password)
}

fn user_failure(e: squirrel::vault::users::UserError) -> Failure {
    Failure::new(e.localized())
}

pub(super) fn adduser(args: UserArgs) -> Result<(), Failure> {
    // Refuse a bad or taken name before asking for a password.
    check_user_name(&args.name).map_err(user_failure)?;
    let mut users = Users::load(&args.data_dir).map_err(user_failure)?;
    if users.contains(&args.name) {
        return Err(Failure::new(tr!("vault-user-exists", name = &args.name))
            .hint(tr!("vault-hint-passwd", name = &args.name)));
    }
    let password = read_new_password(PASSWORD_ENV, &args.name, args.allow_short_password)?;
    users
        .add(&args.name, &password, DEFAULT_ITERATIONS)
        .and_then(|()| users.save())
        .map_err(user_failure)?;
    println!(
        "{}",
        tr!(
            "vault-user-added",
            name = &args.name,
            path = users.path().display().to_string()
        )
    );
    Ok(())
}

pub(super) fn passwd(args: UserArgs) -> Result<(), Failure> {
    let users = Users::load(&args.data_dir).map_err(user_failure)?;
    if !users.contains(&args.name) {
        return Err(Failure::new(tr!(
            "vault-no-such-user-in",
            name = &args.name,
            path = users.path().display().to_string()
        ))
        .hint(tr!("vault-hint-adduser", name = &args.name)));
    }
    let vault = Vault::open(&args.data_dir).map_err(vault_failure)?;
    let old = read_password(
        PASSWORD_ENV,
        &tr!("vault-prompt-current-password", user = &args.name),
    )?;
    let new = read_new_password(NEW_PASSWORD_ENV, &args.name, args.allow_short_password)?;
    let count = vault
        .change_password(&args.name, &old, &new)
        .map_err(vault_failure)?;
    println!(
        "{}",
        tr!("vault-password-changed", name = &args.name, count = count)
    );
    Ok(())
}
