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
        &[("SQUIRREL_PASSWORD", "acorns")],
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
        "acorns",
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
            ("SQUIRREL_PASSWORD", "acorns"),
            ("SQUIRREL_NEW_PASSWORD", "walnuts"),
        ],
    );
    assert!(passwd.status.success(), "{}", text(&passwd.stderr));
    assert!(text(&passwd.stdout).contains("re-encrypted 1 archive"));

    // The running server picks up the change without a restart.
    let out = client(
        dir.path(),
        server.port,
        "acorns",
        &["list", "--user", "nutkin"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = client(
        dir.path(),
        server.port,
        "walnuts",
        &["download", &archive, "--user", "nutkin"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("downloads/stash.txt")).unwrap(),
        "seven hazelnuts"
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
