//! The `squirrel vault` commands as a person runs them: a real server process, real
//! client processes, real files.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_squirrel");

/// A `squirrel vault serve` process, killed when dropped.
struct ServeProcess {
    child: Child,
    port: u16,
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path, extra: &[&str]) -> ServeProcess {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(["vault", "serve", "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    let port = loop {
        let line = lines.next().unwrap_or_else(|| panic!("serve ended early: {seen:?}")).unwrap();
        if let Some(rest) = line.split("listening on https://").nth(1) {
            let addr = rest.split_whitespace().next().unwrap();
            break addr.rsplit(':').next().unwrap().parse().unwrap();
        }
        seen.push(line);
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    ServeProcess { child, port }
}

fn client(dir: &Path, port: u16, password: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(["vault"])
        .args(args)
        .args(["--server", &format!("localhost:{port}")])
        .env("SQUIRREL_PASSWORD", password)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn serve_demo_then_upload_list_download_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--demo"]);
    for file in ["certs/ca.crt", "certs/server.crt", "certs/client.crt", "vault-data/users.json"] {
        assert!(dir.path().join(file).exists(), "{file} was not made");
    }
    let original = "The secret message is: fluffy tail\n".repeat(2000);
    std::fs::write(dir.path().join("secret note.txt"), &original).unwrap();

    let out = client(dir.path(), server.port, "password1", &["login", "--user", "user1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Logged in"));

    let out = client(dir.path(), server.port, "password1", &["upload", "secret note.txt", "--user", "user1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let archive = text(&out.stdout).split(" as ").nth(1).unwrap().trim().to_string();

    let out = client(dir.path(), server.port, "password1", &["list", "--user", "user1"]);
    assert_eq!(text(&out.stdout).trim(), archive);

    let out = client(dir.path(), server.port, "password1", &["download", &archive, "--user", "user1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join("downloads/secret note.txt")).unwrap(), original);

    // A wrong password: one error line, a hint, exit code 1.
    let out = client(dir.path(), server.port, "nope", &["list", "--user", "user1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: the server answered 401"), "{err}");
    assert!(err.contains("\nhint: "), "{err}");
}

#[test]
fn adduser_and_passwd_keep_archives_readable() {
    let dir = tempfile::tempdir().unwrap();
    let add = Command::new(BIN)
        .current_dir(dir.path())
        .args(["vault", "adduser", "nutkin"])
        .env("SQUIRREL_PASSWORD", "acorns")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", text(&add.stderr));
    let again = Command::new(BIN)
        .current_dir(dir.path())
        .args(["vault", "adduser", "nutkin"])
        .env("SQUIRREL_PASSWORD", "x")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));

    let server = serve(dir.path(), &[]);
    std::fs::write(dir.path().join("stash.txt"), "seven hazelnuts").unwrap();
    let out = client(dir.path(), server.port, "acorns", &["upload", "stash.txt", "--user", "nutkin"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let archive = text(&out.stdout).split(" as ").nth(1).unwrap().trim().to_string();

    let passwd = Command::new(BIN)
        .current_dir(dir.path())
        .args(["vault", "passwd", "nutkin"])
        .env("SQUIRREL_PASSWORD", "acorns")
        .env("SQUIRREL_NEW_PASSWORD", "walnuts")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(passwd.status.success(), "{}", text(&passwd.stderr));
    assert!(text(&passwd.stdout).contains("re-encrypted 1 archive"));

    // The running server picks up the change without a restart.
    let out = client(dir.path(), server.port, "acorns", &["list", "--user", "nutkin"]);
    assert_eq!(out.status.code(), Some(1));
    let out = client(dir.path(), server.port, "walnuts", &["download", &archive, "--user", "nutkin"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join("downloads/stash.txt")).unwrap(), "seven hazelnuts");
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
