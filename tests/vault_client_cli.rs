//! The vault client as a new member uses it from the command line: remember-me, the
//! list with its ⚠, safe downloads, plain output when not on a terminal. A real vault
//! (TestVault) on a real socket; the real `squirrel` binary in its own state folder.

mod common;

use std::path::{Path, PathBuf};

use common::{ok, text, vault, TestVault};

/// A client state folder holding the vault's CA and the client certificate, as a
/// member gets them from the club.
fn client_dir(vault: &TestVault) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    for file in ["ca.crt", "client.crt", "client.key"] {
        std::fs::copy(vault.certs.join(file), dir.path().join("certs").join(file)).unwrap();
    }
    dir
}

fn config(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap()
}

fn archive_of(upload_stdout: &str) -> String {
    upload_stdout
        .split(" as ")
        .nth(1)
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn login_remember_then_every_command_needs_no_flags_and_logout_forget_removes_it() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let server = tv.server();

    let out = vault(
        dir.path(),
        &[
            "login",
            "--remember",
            "--server",
            &server,
            "--user",
            "user1",
        ],
        &[("SQUIRREL_PASSWORD", "password1")],
    );
    let stdout = ok(&out);
    assert!(stdout.contains("Logged in"), "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("warning:") && stderr.contains("in clear"),
        "{stderr}"
    );
    let saved = config(dir.path());
    assert_eq!(saved["host"], "127.0.0.1");
    assert_eq!(saved["port"], tv.port);
    assert_eq!(saved["username"], "user1");
    assert_eq!(saved["password"], "password1");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("config.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // No --server, no --user, no SQUIRREL_PASSWORD, no prompt (stdin is /dev/null).
    std::fs::write(dir.path().join("acorns.txt"), "twelve acorns\n").unwrap();
    let archive = archive_of(&ok(&vault(dir.path(), &["upload", "acorns.txt"], &[])));
    let listed = ok(&vault(dir.path(), &["list"], &[]));
    assert!(listed.contains(&archive), "{listed}");
    let downloaded = ok(&vault(dir.path(), &["download", &archive], &[]));
    assert!(downloaded.contains("downloads"), "{downloaded}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("downloads/acorns.txt")).unwrap(),
        "twelve acorns\n"
    );

    let out = ok(&vault(dir.path(), &["logout"], &[]));
    assert!(out.contains("every command logs in and out"), "{out}");
    assert!(out.contains("--forget"), "{out}");
    assert!(dir.path().join("config.json").exists());

    let out = ok(&vault(dir.path(), &["logout", "--forget"], &[]));
    assert!(out.contains("Forgot"), "{out}");
    assert!(!dir.path().join("config.json").exists());

    let out = vault(dir.path(), &["list"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: no user name given"), "{err}");
    assert!(err.contains("hint: "), "{err}");
}

#[test]
fn login_without_remember_keeps_server_and_user_but_never_the_password() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let server = tv.server();
    let password = [("SQUIRREL_PASSWORD", "password1")];
    ok(&vault(
        dir.path(),
        &[
            "login",
            "--remember",
            "--server",
            &server,
            "--user",
            "user1",
        ],
        &password,
    ));
    // Logging in again without --remember drops the stored password, and says so.
    let out = ok(&vault(dir.path(), &["login"], &password));
    assert!(out.contains("not your password"), "{out}");
    assert!(out.contains("remembered before was removed"), "{out}");
    let saved = config(dir.path());
    assert_eq!(saved["username"], "user1");
    assert!(saved.get("password").is_none(), "{saved}");
    assert!(!std::fs::read_to_string(dir.path().join("config.json"))
        .unwrap()
        .contains("password1"));

    // Server and user come from config.json; the password from the environment.
    ok(&vault(dir.path(), &["list"], &password));
    // Without it, the prompt cannot read a closed stdin: a clear error, not a hang.
    let out = vault(dir.path(), &["list"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error: cannot read a password"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn remembered_password_goes_only_to_its_own_user_and_the_environment_overrides_it() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let server = tv.server();
    ok(&vault(
        dir.path(),
        &[
            "login",
            "--remember",
            "--server",
            &server,
            "--user",
            "user1",
        ],
        &[("SQUIRREL_PASSWORD", "password1")],
    ));
    // user1's password is not offered for user2: the client has to prompt, and can't.
    let out = vault(dir.path(), &["list", "--user", "user2"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error: cannot read a password"),
        "{}",
        text(&out.stderr)
    );
    // SQUIRREL_PASSWORD wins over the remembered password.
    let out = vault(dir.path(), &["list"], &[("SQUIRREL_PASSWORD", "wrong")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error: the server answered 401"),
        "{}",
        text(&out.stderr)
    );
    // --user overrides the remembered user name.
    let out = vault(
        dir.path(),
        &["list", "--user", "user2"],
        &[("SQUIRREL_PASSWORD", "password2")],
    );
    assert!(ok(&out).contains("No archives yet"));
}

/// Moves an archive on the server's disk to an older upload time (the time lives in the
/// archive's name), as if it had been uploaded then.
fn age_archive(tv: &TestVault, user: &str, archive: &str, stamp: &str) -> String {
    let (name, _) = squirrel::vault::archive::parse_archive_name(archive).unwrap();
    let older = format!("{name}_{stamp}.enc");
    let dir: PathBuf = tv.data.join("archives").join(user);
    std::fs::rename(dir.join(archive), dir.join(&older)).unwrap();
    older
}

#[test]
fn list_shows_file_time_and_size_and_warns_only_when_the_newest_upload_is_over_a_day_old() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let (client, session) = tv.login("user1", "password1");
    let notes = client
        .upload_bytes(&session, "notes.txt", &[b'n'; 3000])
        .unwrap();
    let old = age_archive(&tv, "user1", &notes, "2020-01-02T03-04-05");
    client
        .upload_bytes(&session, "fresh.txt", b"just now")
        .unwrap();

    let args = ["list", "--server", &tv.server(), "--user", "user1"];
    let env = [("SQUIRREL_PASSWORD", "password1")];
    let listed = ok(&vault(dir.path(), &args, &env));
    let line = |name: &str| {
        listed
            .lines()
            .find(|l| l.contains(name) && l.contains(".enc"))
            .unwrap_or_else(|| panic!("{name} not in {listed}"))
            .to_string()
    };
    assert!(
        listed.lines().next().unwrap().contains("UPLOADED"),
        "{listed}"
    );
    let old_line = line("notes.txt");
    assert!(old_line.starts_with('⚠'), "{listed}");
    assert!(
        old_line.contains("2020-01-0"),
        "local time of the upload: {listed}"
    );
    assert!(old_line.contains(&old), "{listed}");
    // The stored size: a Fernet token of the ZIP, a few hundred bytes here.
    assert!(
        old_line.contains(" B ") || old_line.contains("KiB"),
        "{listed}"
    );
    assert!(!line("fresh.txt").starts_with('⚠'), "{listed}");
    assert!(listed.contains("over 24 h old"), "{listed}");

    // A new upload of notes.txt: its newest upload is fresh, so no ⚠ anywhere.
    client
        .upload_bytes(&session, "notes.txt", b"updated")
        .unwrap();
    let listed = ok(&vault(dir.path(), &args, &env));
    assert!(!listed.contains('⚠'), "{listed}");

    // --names: one archive name a line, for scripts.
    let mut names = args.to_vec();
    names.push("--names");
    let names_out = ok(&vault(dir.path(), &names, &env));
    let mut expected = client.list(&session).unwrap();
    expected.sort();
    let mut got: Vec<String> = names_out.lines().map(str::to_string).collect();
    got.sort();
    assert_eq!(got, expected);
}

#[test]
fn download_never_overwrites_and_a_tampered_archive_writes_nothing() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let (client, session) = tv.login("user1", "password1");
    let archive = client
        .upload_bytes(&session, "stash.txt", b"seven hazelnuts")
        .unwrap();
    let args = [
        "download",
        &archive,
        "--server",
        &tv.server(),
        "--user",
        "user1",
    ];
    let env = [("SQUIRREL_PASSWORD", "password1")];
    std::fs::create_dir(dir.path().join("downloads")).unwrap();
    std::fs::write(dir.path().join("downloads/stash.txt"), "mine, keep it").unwrap();
    let out = ok(&vault(dir.path(), &args, &env));
    assert!(out.contains("stash (1).txt"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("downloads/stash.txt")).unwrap(),
        "mine, keep it"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("downloads/stash (1).txt")).unwrap(),
        "seven hazelnuts"
    );

    // Change one byte of the stored token: integrity error, nothing new in downloads/.
    let stored = tv.data.join("archives/user1").join(&archive);
    let mut token = std::fs::read(&stored).unwrap();
    let middle = token.len() / 2;
    token[middle] = if token[middle] == b'A' { b'B' } else { b'A' };
    std::fs::write(&stored, token).unwrap();
    let out = vault(dir.path(), &args, &env);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("integrity check"),
        "{}",
        text(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("downloads"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["stash (1).txt", "stash.txt"],
        "no temporary file left"
    );
}

#[test]
fn large_transfers_print_one_plain_line_when_stdout_is_not_a_terminal() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let big = common::random_bytes(3 << 20);
    std::fs::write(dir.path().join("big.bin"), &big).unwrap();
    let flags = ["--server", &tv.server(), "--user", "user1"];
    let env = [("SQUIRREL_PASSWORD", "password1")];
    let mut args = vec!["upload", "big.bin"];
    args.extend_from_slice(&flags);
    let out = vault(dir.path(), &args, &env);
    let stdout = ok(&out);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    for stream in [&out.stdout, &out.stderr] {
        assert!(
            !stream.contains(&b'\r') && !stream.contains(&0x1b),
            "no bar drawn when stdout is a pipe: {:?}",
            text(stream)
        );
    }
    let archive = archive_of(&stdout);
    let mut args = vec!["download", &archive];
    args.extend_from_slice(&flags);
    let out = vault(dir.path(), &args, &env);
    assert_eq!(ok(&out).lines().count(), 1);
    assert!(!out.stderr.contains(&b'\r'));
    assert_eq!(
        std::fs::read(dir.path().join("downloads/big.bin")).unwrap(),
        big
    );
}

#[test]
fn in_french_the_client_speaks_french_with_its_hints_and_in_english_without_lang() {
    let tv = TestVault::start();
    let dir = client_dir(&tv);
    let server = tv.server();
    let password = [("SQUIRREL_PASSWORD", "password1")];
    let args = |command: &[&'static str]| {
        let mut all: Vec<String> = command.iter().map(|a| a.to_string()).collect();
        all.extend([
            "--server".into(),
            server.clone(),
            "--user".into(),
            "user1".into(),
        ]);
        all
    };
    let run = |args: Vec<String>, lang: Option<&str>| {
        let mut all: Vec<&str> = Vec::new();
        if let Some(lang) = lang {
            all.extend(["--lang", lang]);
        }
        all.push("vault");
        all.extend(args.iter().map(String::as_str));
        common::run(dir.path(), &all, &password)
    };

    // A download of an archive that is not there: the server's 404 in French words,
    // with the hint.
    let missing = args(&["download", "acorns.txt_2026-01-01T00-00-00.enc"]);
    let out = run(missing.clone(), Some("fr"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: le serveur a répondu 404\u{a0}: cette archive n'existe pas\n\
         conseil\u{a0}: listez vos archives avec\u{a0}: squirrel vault list\n"
    );
    // The same command without --lang, under the tests' LC_ALL=C.UTF-8: English.
    let out = run(missing, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: the server answered 404: no such archive\n\
         hint: list your archives with: squirrel vault list\n"
    );

    // A name that is not an archive's, refused before any request.
    let out = run(args(&["download", "acorns.txt"]), Some("fr"));
    assert_eq!(
        text(&out.stderr).lines().next().unwrap(),
        "erreur\u{a0}: nom de fichier refusé\u{a0}: ce n'est pas un nom d'archive (attendu\u{a0}: \
         <file name>_<time>.enc, comme l'affiche `vault list`)"
    );

    // What succeeds speaks French too: an upload, and the list's columns.
    std::fs::write(dir.path().join("acorns.txt"), "twelve acorns\n").unwrap();
    let uploaded = ok(&run(args(&["upload", "acorns.txt"]), Some("fr")));
    assert!(
        uploaded.starts_with("acorns.txt envoyé sous le nom acorns.txt_"),
        "{uploaded}"
    );
    let listed = ok(&run(args(&["list"]), Some("fr")));
    let header = listed.lines().next().unwrap();
    for column in ["FICHIER", "ENVOI", "TAILLE", "ARCHIVE"] {
        assert!(header.contains(column), "{listed}");
    }

    // A wrong password: the server's 401 in French, the hint too.
    let out = common::run(
        dir.path(),
        &[
            "--lang", "fr", "vault", "list", "--server", &server, "--user", "user1",
        ],
        &[("SQUIRREL_PASSWORD", "not the password")],
    );
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: le serveur a répondu 401\u{a0}: nom d'utilisateur ou mot de passe incorrect\n\
         conseil\u{a0}: vérifiez le nom d'utilisateur et le mot de passe (SQUIRREL_PASSWORD), ou \
         reconnectez-vous\n"
    );
}
