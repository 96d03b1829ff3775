//! Lesson 03: the server sends a Fernet token; only the holder of SECRET_KEY reads it.

mod common;

use std::net::TcpListener;
use std::sync::Arc;

use common::prereq::{LIVE_CAPTURE, PYTHON3, PY_CRYPTOGRAPHY, TSHARK};
use common::text::TextRun;
use common::{run, spawn_server, text};
use squirrel::http::Url;
use squirrel::lessons::l03_fernet::{self, FernetServer};
use squirrel::server::{Server, ServerHandle, Transport};
use squirrel::tap::Tap;

fn start(key: &str) -> ServerHandle {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let handler = FernetServer::new(l03_fernet::load_key(key).unwrap());
    Server::new("fernet", listener, Transport::Plain, Arc::new(handler))
        .spawn()
        .unwrap()
}

fn fluffy_tail_is_not_on_the_wire_only_a_token() {
    let key = l03_fernet::keygen();
    let server = start(&key);
    let tap = Tap::start("127.0.0.1:0", server.addr()).unwrap();
    let url = Url::parse(&format!("http://{}/", tap.addr())).unwrap();
    let (token, secret) = l03_fernet::fetch(&url, &l03_fernet::load_key(&key).unwrap()).unwrap();
    assert_eq!(secret, "fluffy tail");
    assert!(
        token.starts_with("gAAAAA"),
        "a Fernet token starts with version 0x80: {token}"
    );
    assert!(
        !tap.saw(b"fluffy tail"),
        "the secret crossed the wire in clear"
    );
    assert!(
        tap.saw(token.as_bytes()),
        "the token is what an eavesdropper sees"
    );
}

fn a_wrong_key_is_a_clear_error() {
    let server = start(&l03_fernet::keygen());
    let url = Url::parse(&format!("http://{}/", server.addr())).unwrap();
    let err =
        l03_fernet::fetch(&url, &l03_fernet::load_key(&l03_fernet::keygen()).unwrap()).unwrap_err();
    assert!(
        err.to_string()
            .contains("does not decrypt with this SECRET_KEY"),
        "{err}"
    );
}

fn malformed_keys_are_refused_with_the_reason() {
    for bad in [
        "",
        "short",
        "not base64 at all but long enough to be 44 chars!",
        "AAAA",
    ] {
        let err = l03_fernet::load_key(bad)
            .err()
            .unwrap_or_else(|| panic!("{bad:?} accepted"));
        assert!(err.to_string().contains("SECRET_KEY"), "{err}");
    }
}

fn keygen_serve_fetch_commands_and_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["fernet", "keygen"], &[]);
    assert!(out.status.success());
    let key = text(&out.stdout).trim().to_string();
    assert_eq!(key.len(), 44);

    let server = spawn_server(
        dir.path(),
        &["3", "serve", "--addr", "127.0.0.1:0"],
        &[("SECRET_KEY", &key)],
    );
    let url = format!("http://127.0.0.1:{}/", server.port);
    let out = run(
        dir.path(),
        &["fernet", "fetch", "--url", &url],
        &[("SECRET_KEY", &key)],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("The secret message is: fluffy tail\n"));

    let other = l03_fernet::keygen();
    for (env, expect) in [
        (vec![("SECRET_KEY", other.as_str())], "does not decrypt"),
        (vec![("SECRET_KEY", "oops")], "is not a Fernet key"),
        (vec![], "SECRET_KEY is not set"),
    ] {
        let mut cmd = common::squirrel(dir.path(), &["fernet", "fetch", "--url", &url], &[]);
        cmd.env_remove("SECRET_KEY");
        for (k, v) in &env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(err.starts_with("error: ") && err.contains(expect), "{err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{err}"
        );
    }
}

/// The same failures in French, with their hints, for `--lang fr` and a French `LANG`;
/// under `LC_ALL=C.UTF-8` without `--lang`, the English words.
fn the_errors_and_hints_read_in_french_with_lang_fr_and_in_english_under_c() {
    let dir = tempfile::tempdir().unwrap();
    let other = run_keygen(dir.path());
    let server = spawn_server(
        dir.path(),
        &["fernet", "serve", "--addr", "127.0.0.1:0"],
        &[("SECRET_KEY", &run_keygen(dir.path()))],
    );
    let url = format!("http://127.0.0.1:{}/", server.port);
    let fetch = |lang: Option<&str>, key: Option<&str>, envs: &[(&str, &str)]| {
        let mut args = Vec::new();
        if let Some(lang) = lang {
            args.extend(["--lang", lang]);
        }
        args.extend(["fernet", "fetch", "--url", url.as_str()]);
        let mut cmd = common::squirrel(dir.path(), &args, envs);
        cmd.env_remove("SECRET_KEY");
        if let Some(key) = key {
            cmd.env("SECRET_KEY", key);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        assert_eq!(text(&out.stdout), "");
        text(&out.stderr)
    };
    assert_eq!(
        fetch(Some("fr"), None, &[]),
        "erreur\u{a0}: SECRET_KEY n'est pas définie\n\
         conseil\u{a0}: créez une clé avec `squirrel fernet keygen` puis lancez\u{a0}: export SECRET_KEY=<la clé>\n"
    );
    assert_eq!(
        fetch(Some("fr"), Some(&other), &[]),
        "erreur\u{a0}: le jeton ne se déchiffre pas avec cette SECRET_KEY\u{a0}: le serveur utilise une autre clé, ou le jeton a été modifié en chemin\n\
         conseil\u{a0}: les deux côtés ont besoin de la même SECRET_KEY\n"
    );
    let french = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "fr_FR.UTF-8")];
    assert_eq!(
        fetch(None, Some("oops"), &french),
        "erreur\u{a0}: SECRET_KEY n'est pas une clé Fernet\u{a0}: il faut 32 octets en base64 compatible URL (44 caractères terminés par '='), celle-ci a 4 caractères\n\
         conseil\u{a0}: créez une clé avec\u{a0}: squirrel fernet keygen\n"
    );
    // The test helper's LC_ALL=C.UTF-8, whatever LANG says: English.
    assert_eq!(
        fetch(None, None, &[("LANG", "fr_FR.UTF-8")]),
        "error: SECRET_KEY is not set\n\
         hint: make a key with `squirrel fernet keygen` and run: export SECRET_KEY=<the key>\n"
    );
    assert_eq!(
        fetch(None, Some(&other), &[]),
        "error: the token does not decrypt with this SECRET_KEY: the server uses another key, or the token was changed on the way\n\
         hint: both sides need the same SECRET_KEY\n"
    );
    // What succeeds speaks French too.
    let out = common::squirrel(dir.path(), &["--lang", "fr", "fernet", "keygen"], &[])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = text(&out.stderr);
    assert!(
        said.starts_with("Donnez-la à l'autre côté, puis des deux côtés\u{a0}: export SECRET_KEY="),
        "{said}"
    );
}

fn run_keygen(dir: &std::path::Path) -> String {
    let out = run(dir, &["fernet", "keygen"], &[]);
    assert!(out.status.success());
    text(&out.stdout).trim().to_string()
}

const PYTHON_DECRYPT: &str = "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode())";
const PYTHON_SERVER: &str = r#"
import sys, http.server
from cryptography.fernet import Fernet
token = Fernet(sys.argv[1].encode()).encrypt(b"fluffy tail")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(token)))
        self.end_headers()
        self.wfile.write(token)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.handle_request()
"#;

fn python_cryptography_reads_our_tokens_and_we_read_its() {
    let key = l03_fernet::keygen();
    // Ours → Python.
    let server = start(&key);
    let url = Url::parse(&format!("http://{}/", server.addr())).unwrap();
    let (token, _) = l03_fernet::fetch(&url, &l03_fernet::load_key(&key).unwrap()).unwrap();
    let out = PYTHON3
        .command()
        .args(["-c", PYTHON_DECRYPT, &key, &token])
        .output()
        .unwrap();
    assert!(out.status.success(), "python3: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "fluffy tail\n");

    // Python → ours: a Python server makes the token, our client decrypts it.
    let mut python = PYTHON3
        .command()
        .args(["-c", PYTHON_SERVER, &key])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(python.stdout.take().unwrap()),
        &mut port,
    )
    .unwrap();
    let url = Url::parse(&format!("http://127.0.0.1:{}/", port.trim())).unwrap();
    let (_, secret) = l03_fernet::fetch(&url, &l03_fernet::load_key(&key).unwrap()).unwrap();
    assert_eq!(secret, "fluffy tail");
    let _ = python.wait();
}

fn fetch_from_a_server_that_sends_no_token_says_it_is_not_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_server(
        dir.path(),
        &["plain-http", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("http://127.0.0.1:{}/", server.port);
    let key = l03_fernet::keygen();
    let out = run(
        dir.path(),
        &["fernet", "fetch", "--url", &url],
        &[("SECRET_KEY", &key)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: the server's reply is not a Fernet token: it reads \"fluffy tail\", where a token is URL-safe base64 starting with gAAAAA (is this lesson 03's server, `squirrel fernet serve`?)\n\
         hint: start lesson 03's server, with the same SECRET_KEY: squirrel fernet serve\n"
    );
}

const TEXT: &str = "lessons/03-fernet.md";

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).commands();
}

fn the_capture_section_shows_only_the_token_live() {
    TextRun::new(TEXT).setup(secret_key).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).in_french().commands();
}

fn the_french_text_capture_section_shows_only_the_token_live() {
    TextRun::new(TEXT).setup(secret_key).in_french().capture();
}

/// `SECRET_KEY`, exported in both terminals as the text's first section says.
fn secret_key(dir: &std::path::Path) -> Vec<(String, String)> {
    let out = run(dir, &["fernet", "keygen"], &[]);
    assert!(out.status.success());
    vec![("SECRET_KEY".into(), text(&out.stdout).trim().to_string())]
}

test_main! {
    fluffy_tail_is_not_on_the_wire_only_a_token: [],
    a_wrong_key_is_a_clear_error: [],
    malformed_keys_are_refused_with_the_reason: [],
    keygen_serve_fetch_commands_and_one_line_errors: [],
    the_errors_and_hints_read_in_french_with_lang_fr_and_in_english_under_c: [],
    fetch_from_a_server_that_sends_no_token_says_it_is_not_a_token: [],
    python_cryptography_reads_our_tokens_and_we_read_its: [PYTHON3, PY_CRYPTOGRAPHY],
    every_command_of_the_text_runs_and_prints_what_it_shows: [PYTHON3, PY_CRYPTOGRAPHY],
    the_capture_section_shows_only_the_token_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [PYTHON3, PY_CRYPTOGRAPHY],
    the_french_text_capture_section_shows_only_the_token_live: [TSHARK, LIVE_CAPTURE],
}
