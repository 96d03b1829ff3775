//! The `squirrel vault` commands as a person runs them: a real server process, real
//! client processes, real files.

mod common;

use std::path::Path;
use std::process::Output;

use common::{run, spawn_server, text, Spawned};

fn serve(dir: &Path, extra: &[&str]) -> Spawned {
    let mut args = vec!["vault", "serve", "--port", "0"];
    args.extend_from_slice(extra);
    spawn_server(dir, &args, &[])
}

fn client(dir: &Path, port: u16, password: &str, args: &[&str]) -> Output {
    let server = format!("localhost:{port}");
    let mut all = vec!["vault"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--server", &server]);
    run(dir, &all, &[("SQUIRREL_PASSWORD", password)])
}

#[test]
fn serve_demo_then_upload_list_download_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--demo"]);
    for file in [
        "certs/ca.crt",
        "certs/server.crt",
        "certs/client.crt",
        "vault-data/users.json",
    ] {
        assert!(dir.path().join(file).exists(), "{file} was not made");
    }
    let original = "The secret message is: fluffy tail\n".repeat(2000);
    std::fs::write(dir.path().join("secret note.txt"), &original).unwrap();

    let out = client(
        dir.path(),
        server.port,
        "password1",
        &["login", "--user", "user1"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Logged in"));

    let out = client(
        dir.path(),
        server.port,
        "password1",
        &["upload", "secret note.txt", "--user", "user1"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let archive = text(&out.stdout)
        .split(" as ")
        .nth(1)
        .unwrap()
        .trim()
        .to_string();

    let out = client(
        dir.path(),
        server.port,
        "password1",
        &["list", "--names", "--user", "user1"],
    );
    assert_eq!(text(&out.stdout).trim(), archive);

    let out = client(
        dir.path(),
        server.port,
        "password1",
        &["download", &archive, "--user", "user1"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("downloads/secret note.txt")).unwrap(),
        original
    );

    // A wrong password: one error line, a hint, exit code 1.
    let out = client(
        dir.path(),
        server.port,
        "nope",
        &["list", "--user", "user1"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: the server answered 401"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
}

#[test]
fn adduser_and_passwd_keep_archives_readable() {
    let dir = tempfile::tempdir().unwrap();
    let add = run(
        dir.path(),
        &["vault", "adduser", "nutkin"],
        &[("SQUIRREL_PASSWORD", "acorn-cache")],
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    let again = run(
        dir.path(),
        &["vault", "adduser", "nutkin"],
        &[("SQUIRREL_PASSWORD", "x")],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));

    let server = serve(dir.path(), &[]);
    std::fs::write(dir.path().join("stash.txt"), "seven hazelnuts").unwrap();
    let out = client(
        dir.path(),
        server.port,
        "acorn-cache",
        &["upload", "stash.txt", "--user", "nutkin"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let archive = text(&out.stdout)
        .split(" as ")
        .nth(1)
        .unwrap()
        .trim()
        .to_string();

    let passwd = run(
        dir.path(),
        &["vault", "passwd", "nutkin"],
        &[
            ("SQUIRREL_PASSWORD", "acorn-cache"),
            ("SQUIRREL_NEW_PASSWORD", "walnut-grove"),
        ],
    );
    assert!(passwd.status.success(), "{}", text(&passwd.stderr));
    assert!(text(&passwd.stdout).contains("re-encrypted 1 archive"));

    // The running server picks up the change without a restart.
    let out = client(
        dir.path(),
        server.port,
        "acorn-cache",
        &["list", "--user", "nutkin"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = client(
        dir.path(),
        server.port,
        "walnut-grove",
        &["download", &archive, "--user", "nutkin"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("downloads/stash.txt")).unwrap(),
        "seven hazelnuts"
    );
}

#[test]
fn adduser_refuses_a_bad_name_before_asking_for_a_password() {
    let dir = tempfile::tempdir().unwrap();
    // No SQUIRREL_PASSWORD and no terminal: asking first would fail on the prompt.
    let out = run(dir.path(), &["vault", "adduser", "bad/name"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: bad user name \"bad/name\": use 1 to 64 letters, digits, '.', '-' or '_', not starting with '.'\n"
    );
    assert!(!dir.path().join("vault-data/users.json").exists());
}

#[test]
fn a_new_password_needs_8_characters_unless_allow_short_password() {
    let dir = tempfile::tempdir().unwrap();
    let short = [("SQUIRREL_PASSWORD", "x")];
    let out = run(dir.path(), &["vault", "adduser", "nutkin"], &short);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: the password has 1 character: at least 8 are needed; nothing was changed\n\
         hint: choose a longer one (a few words make a good one); for a class demo only: --allow-short-password\n"
    );
    assert!(!dir.path().join("vault-data/users.json").exists());
    let out = run(
        dir.path(),
        &["vault", "adduser", "nutkin", "--allow-short-password"],
        &short,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = run(
        dir.path(),
        &["vault", "passwd", "nutkin"],
        &[
            ("SQUIRREL_PASSWORD", "x"),
            ("SQUIRREL_NEW_PASSWORD", "hazel"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with(
            "error: the password has 5 characters: at least 8 are needed; nothing was changed\n"
        ),
        "{}",
        text(&out.stderr)
    );
    let out = run(
        dir.path(),
        &["vault", "passwd", "nutkin"],
        &[
            ("SQUIRREL_PASSWORD", "x"),
            ("SQUIRREL_NEW_PASSWORD", "hazel-nut"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Eight characters, counted as characters: "écureuil" is 9 bytes.
    let out = run(
        dir.path(),
        &["vault", "adduser", "pip"],
        &[("SQUIRREL_PASSWORD", "écureuil")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn passwd_of_an_unknown_user_says_so_before_asking_for_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["vault", "passwd", "nobody"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: there is no user nobody in vault-data/users.json\nhint: add it with: squirrel vault adduser nobody\n"
    );
}

#[test]
fn client_without_certificates_says_where_to_get_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = client(dir.path(), 9, "x", &["list", "--user", "user1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: cannot use "), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[test]
fn the_server_and_its_members_commands_speak_french_with_lang_fr() {
    let dir = tempfile::tempdir().unwrap();
    // The French student's locale, without --lang: LANG when LC_ALL is empty.
    let french = [("LC_ALL", ""), ("LANG", "fr_FR.UTF-8")];
    let server = spawn_server(
        dir.path(),
        &["vault", "serve", "--port", "0", "--demo"],
        &french,
    );
    assert!(
        server
            .banner
            .iter()
            .any(|l| l == "Utilisateurs de démonstration ajoutés\u{a0}: user1 et user2."),
        "{:?}",
        server.banner
    );
    drop(server);
    let mut child = common::squirrel(
        dir.path(),
        &["--lang", "fr", "vault", "serve", "--port", "0"],
        &[],
    )
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let mut banner = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut banner,
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        banner.starts_with("Le coffre écoute sur https://127.0.0.1:")
            && banner.ends_with(
                " (1 worker\u{202f}; données dans vault-data, certificats dans certs).\n"
            ),
        "{banner:?}"
    );

    // Errors with their hints: a short password, a user who is not there.
    let short = [("SQUIRREL_PASSWORD", "noix")];
    let out = run(
        dir.path(),
        &["--lang", "fr", "vault", "adduser", "nutkin"],
        &short,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: le mot de passe a 4 caractères\u{a0}: il en faut au moins 8\u{202f}; \
         rien n'a été changé\n\
         conseil\u{a0}: choisissez-en un plus long (quelques mots en font un bon)\u{202f}; pour une \
         démonstration en classe seulement\u{a0}: --allow-short-password\n"
    );
    let out = run(
        dir.path(),
        &["--lang", "fr", "vault", "passwd", "nobody"],
        &[],
    );
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: il n'y a pas d'utilisateur nobody dans vault-data/users.json\n\
         conseil\u{a0}: ajoutez-le avec\u{a0}: squirrel vault adduser nobody\n"
    );
    let out = run(
        dir.path(),
        &["--lang", "fr", "vault", "adduser", "bad/name"],
        &[],
    );
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: nom d'utilisateur \"bad/name\" refusé\u{a0}: utilisez de 1 à 64 lettres, \
         chiffres, '.', '-' ou '_', sans commencer par '.'\n"
    );
    // And the same command without --lang, under the tests' LC_ALL=C.UTF-8: English.
    let out = run(dir.path(), &["vault", "passwd", "nobody"], &[]);
    assert_eq!(
        text(&out.stderr),
        "error: there is no user nobody in vault-data/users.json\nhint: add it with: squirrel vault adduser nobody\n"
    );
}
