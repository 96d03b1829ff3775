//! Lesson 05's claims, through the `squirrel` binary as a student types the commands, in
//! a fresh folder: the squirrels become a CA, ask for a certificate with a CSR, have the
//! CA sign it, read it in plain words ("From A to B, I am X according to Y") and check
//! it; a client gets a `.p12`; the chain passes `openssl verify -x509_strict`; a chain
//! made the tutorial's way (`--tutorial-compat`) does not, and `ca verify` says which
//! rule it breaks. The last tests hold the text to the code: its profile tables are
//! src/pki/profile.rs's, and every command it shows runs and prints what it shows.
//!
//! Run: `cargo test --test lesson05_certificate_authority`

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::prereq::{CERTUTIL, LIVE_CAPTURE, OPENSSL, PYTHON3, TSHARK};
use common::text::{self, TextRun};
use squirrel::pki::{ExtKeyUsage, Extensions, KeyUsageFlag, Profile, DEFAULT_LEAF_DAYS};

const TEXT: &str = "lessons/05-certificate-authority.md";

/// A student's project folder: commands run in it, so files land in `certs/` as the
/// text says.
struct Student {
    dir: tempfile::TempDir,
}

impl Student {
    fn new() -> Self {
        Student {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A student who has already run `ca init`, `ca csr --name server --server` and
    /// `ca sign certs/server.csr --server`.
    fn with_server() -> Self {
        let student = Student::new();
        student.ok(&["ca", "init"]);
        student.ok(&["ca", "csr", "--name", "server", "--server"]);
        student.ok(&["ca", "sign", "certs/server.csr", "--server"]);
        student
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// `squirrel ARGS` with extra environment variables.
    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        common::squirrel(self.dir.path(), args, env)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "squirrel {args:?} failed: {}",
            stderr(&out)
        );
        stdout(&out)
    }

    /// Runs a command that must fail with exit code 1; returns its stderr.
    fn fails(&self, args: &[&str]) -> String {
        self.fails_env(args, &[])
    }

    fn fails_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.run_env(args, env);
        assert_eq!(
            out.status.code(),
            Some(1),
            "squirrel {args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stderr(&out)
    }

    /// The `openssl` command line in the student's folder: (success, stdout + stderr).
    fn openssl(&self, args: &[&str]) -> (bool, String) {
        let out = OPENSSL
            .command()
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("the openssl command line is needed for this lesson");
        (
            out.status.success(),
            format!("{}{}", stdout(&out), stderr(&out)),
        )
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------------------------------
// The steps, as the text shows them.

fn ca_init_makes_a_public_ca_crt_and_a_secret_ca_key() {
    let student = Student::new();
    let init = student.run(&["ca", "init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let out = stdout(&init);
    assert!(
        out.starts_with(
            "Created the CA Squirrel Local CA (certs/ca.crt, certs/ca.key) — valid until "
        ),
        "{out}"
    );
    assert!(
        out.ends_with("Next: squirrel ca issue --server (and --client for mutual TLS)\n"),
        "{out}"
    );
    assert_eq!(
        stderr(&init),
        "warning: certs/ca.key is not encrypted: anyone who can read it can make certificates your machines trust (encrypt it with --passphrase-env VAR)\n"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&student.path("certs/ca.key")), 0o600);
        assert_eq!(mode(&student.path("certs/ca.crt")), 0o644);
    }
    let key = fs::read_to_string(student.path("certs/ca.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");

    // With --passphrase-env, the key is encrypted and there is no warning.
    let locked = student.run_env(
        &[
            "ca",
            "init",
            "--passphrase-env",
            "CA_PASS",
            "--dir",
            "certs/locked",
        ],
        &[("CA_PASS", "hazelnut")],
    );
    assert!(locked.status.success(), "{}", stderr(&locked));
    assert!(stderr(&locked).is_empty(), "{}", stderr(&locked));
    let key = fs::read_to_string(student.path("certs/locked/ca.key")).unwrap();
    assert!(
        key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{key}"
    );
}

fn a_csr_holds_the_public_key_and_the_names_and_is_signed_by_its_own_key() {
    let student = Student::new();
    student.ok(&["ca", "init"]);
    let out = student.ok(&["ca", "csr", "--name", "server", "--server"]);
    assert_eq!(
        out,
        "Created the request certs/server.csr for localhost, 127.0.0.1, ::1, and its key certs/server.key (secret: it never leaves this folder)\n\
         Next: the CA signs it: squirrel ca sign certs/server.csr --server\n"
    );
    assert!(
        !student.path("certs/server.crt").exists(),
        "a CSR is not a certificate"
    );
    // Its self-signature checks out, and its public key is the key's.
    let (ok, text) = student.openssl(&["req", "-in", "certs/server.csr", "-noout", "-verify"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("self-signature verify OK") || text.contains("verify OK"),
        "{text}"
    );
    let (_, from_csr) = student.openssl(&["req", "-in", "certs/server.csr", "-noout", "-pubkey"]);
    let (_, from_key) = student.openssl(&["pkey", "-in", "certs/server.key", "-pubout"]);
    assert!(from_csr.contains("BEGIN PUBLIC KEY"), "{from_csr}");
    assert_eq!(from_csr, from_key);
    let (_, text) = student.openssl(&["req", "-in", "certs/server.csr", "-noout", "-text"]);
    assert!(
        text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"),
        "{text}"
    );
}

fn the_ca_signs_the_csr_and_inspect_says_from_a_to_b_i_am_x_according_to_y() {
    let student = Student::new();
    student.ok(&["ca", "init"]);
    student.ok(&["ca", "csr", "--name", "server", "--server"]);
    let signed = student.ok(&["ca", "sign", "certs/server.csr", "--server"]);
    let first = signed.lines().next().unwrap();
    assert!(
        first.starts_with("Created server.crt for localhost, 127.0.0.1, ::1 — valid until "),
        "{signed}"
    );
    assert!(
        first.ends_with(" — signed by Squirrel Local CA"),
        "{signed}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&student.ok(&["ca", "inspect", "certs/server.crt", "--json"]))
            .unwrap();
    let date = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(json[field].as_str().unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let (a, b) = (date("not_before"), date("not_after"));
    assert!((chrono::Utc::now() - a).num_seconds().abs() < 120, "{a}");
    assert_eq!((b - a).num_days(), i64::from(DEFAULT_LEAF_DAYS));

    let text = student.ok(&["ca", "inspect", "certs/server.crt"]);
    let plain = |d: chrono::DateTime<chrono::Utc>| d.format("%-d %b %Y %H:%M:%S UTC").to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "From {} to {}, I am CN=server, O=Secret Squirrels according to CN=Squirrel Local CA, O=Secret Squirrels.",
            plain(a),
            plain(b)
        )
    );
    assert_eq!(
        lines[1],
        "Names (SAN):         DNS:localhost, IP:127.0.0.1, IP:::1"
    );
    assert_eq!(lines[2], "Key:                 EC P-256");
    assert_eq!(lines[3], "Key usage:           digitalSignature");
    assert_eq!(lines[4], "Extended key usage:  serverAuth");
    assert_eq!(lines[5], "CA:                  no");
    let (_, openssl) = student.openssl(&[
        "x509",
        "-in",
        "certs/server.crt",
        "-noout",
        "-fingerprint",
        "-sha256",
    ]);
    let fingerprint = lines[7]
        .strip_prefix("SHA-256 fingerprint: ")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        openssl.contains(&format!("Fingerprint={fingerprint}")),
        "{openssl}"
    );
}

fn verify_passes_the_server_certificate_and_refuses_the_client_one_as_a_server() {
    let student = Student::with_server();
    let out = student.ok(&["ca", "verify", "certs/server.crt"]);
    for line in [
        "  ok   signed by this CA: CN=Squirrel Local CA, O=Secret Squirrels (strict X.509 rules)",
        "  ok   usage: may be a TLS server (extended key usage: serverAuth)",
        "  ok   names: localhost, 127.0.0.1, ::1 (subjectAltName: the host a client connects to must be one of them)",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in\n{out}");
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("  ok   dates: valid from ")),
        "{out}"
    );

    student.ok(&["ca", "issue", "--name", "client", "--client"]);
    let err = student.fails(&["ca", "verify", "certs/client.crt", "--server"]);
    assert!(
        err.starts_with(
            "error: certs/client.crt: wrong usage: not for a TLS server (extended key usage: clientAuth)\n"
        ),
        "{err}"
    );
}

fn issue_client_makes_a_p12_with_key_certificate_and_ca_under_a_password_shown_once() {
    let student = Student::new();
    student.ok(&["ca", "init"]);
    let out = student.ok(&["ca", "issue", "--name", "client", "--client"]);
    assert!(
        out.starts_with("Created client.crt for client — valid until "),
        "{out}"
    );
    assert!(
        out.contains("  for browsers: certs/client.p12 (secret: key and certificate)\n"),
        "{out}"
    );
    let passwords: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("The p12 password is: "))
        .collect();
    assert_eq!(passwords.len(), 1, "{out}");
    let password = passwords[0].trim_end_matches(" (shown only once)");
    #[cfg(unix)]
    assert_eq!(mode(&student.path("certs/client.p12")), 0o600);
    let (ok, text) = student.openssl(&[
        "pkcs12",
        "-in",
        "certs/client.p12",
        "-passin",
        &format!("pass:{password}"),
        "-nodes",
    ]);
    assert!(ok, "{text}");
    assert!(
        text.contains("subject=O = Secret Squirrels, CN = client"),
        "{text}"
    );
    assert!(
        text.contains("subject=O = Secret Squirrels, CN = Squirrel Local CA"),
        "{text}"
    );
    assert!(text.contains("BEGIN PRIVATE KEY"), "{text}");
}

fn the_chain_passes_openssl_verify_x509_strict() {
    let student = Student::with_server();
    student.ok(&["ca", "issue", "--name", "client", "--client"]);
    for (purpose, cert) in [
        ("sslserver", "certs/server.crt"),
        ("sslclient", "certs/client.crt"),
    ] {
        let (ok, text) = student.openssl(&[
            "verify",
            "-x509_strict",
            "-CAfile",
            "certs/ca.crt",
            "-purpose",
            purpose,
            cert,
        ]);
        assert!(ok, "{text}");
        assert_eq!(text, format!("{cert}: OK\n"));
    }
}

fn tutorial_compat_is_refused_by_strict_verification_and_verify_says_which_rules_break() {
    let student = Student::new();
    let init = student.run(&["ca", "init", "--tutorial-compat", "--dir", "certs/tutorial"]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(
        stderr(&init).starts_with(
            "warning: certs/tutorial/ca.crt made the tutorial's way: strict verifiers refuse it; for the lesson only\n"
        ),
        "{}",
        stderr(&init)
    );
    let issue = student.run(&[
        "ca",
        "issue",
        "--name",
        "server",
        "--server",
        "--tutorial-compat",
        "--dns",
        "localhost",
        "--dir",
        "certs/tutorial",
    ]);
    assert!(issue.status.success(), "{}", stderr(&issue));
    assert_eq!(
        stderr(&issue),
        "warning: certs/tutorial/server.crt made the tutorial's way: strict verifiers refuse it; for the lesson only\n"
    );

    // Classic verification accepts the chain; strict verification refuses it.
    let ca = "certs/tutorial/ca.crt";
    let cert = "certs/tutorial/server.crt";
    let (ok, text) = student.openssl(&["verify", "-CAfile", ca, cert]);
    assert!(ok, "{text}");
    let (ok, text) = student.openssl(&["verify", "-x509_strict", "-CAfile", ca, cert]);
    assert!(!ok, "{text}");
    assert!(text.contains("Missing Authority Key Identifier"), "{text}");

    let out = student.run(&["ca", "verify", cert, "--dir", "certs/tutorial"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let failures: Vec<&str> = report
        .lines()
        .filter_map(|l| l.strip_prefix("  FAIL strict X.509 rule broken: "))
        .collect();
    assert_eq!(failures.len(), 3, "{report}");
    assert!(failures[0].starts_with("this certificate has no authorityKeyIdentifier"));
    assert!(failures[1].starts_with("the CA certificate has no keyUsage"));
    assert!(failures[2].starts_with("the CA certificate has no subjectKeyIdentifier"));
    assert!(
        stderr(&out).starts_with(&format!(
            "error: {cert}: strict X.509 rule broken: this certificate has no authorityKeyIdentifier"
        )),
        "{}",
        stderr(&out)
    );
}

fn tutorial_compat_without_names_puts_the_name_only_in_the_cn_and_verify_says_clients_ignore_it() {
    let student = Student::new();
    student.ok(&["ca", "init", "--tutorial-compat", "--dir", "certs/tutorial"]);
    let issue = student.run(&[
        "ca",
        "issue",
        "--name",
        "bare",
        "--server",
        "--tutorial-compat",
        "--dir",
        "certs/tutorial",
    ]);
    assert!(issue.status.success(), "{}", stderr(&issue));
    assert!(
        stdout(&issue).starts_with("Created bare.crt for bare — valid until "),
        "{}",
        stdout(&issue)
    );
    assert!(
        stderr(&issue)
            .contains("warning: certs/tutorial/bare.crt names no host (no subjectAltName)"),
        "{}",
        stderr(&issue)
    );
    let out = student.run(&[
        "ca",
        "verify",
        "certs/tutorial/bare.crt",
        "--server",
        "--dir",
        "certs/tutorial",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(
            "  FAIL no subjectAltName: the name \"bare\" is only in the CN, which browsers and other modern clients ignore (RFC 9525)"
        ),
        "{}",
        stdout(&out)
    );
}

fn the_number_alias_5_inspects_like_ca() {
    let student = Student::with_server();
    let by_name = student.ok(&["ca", "inspect", "certs/server.crt"]);
    assert_eq!(student.ok(&["5", "inspect", "certs/server.crt"]), by_name);
    assert_eq!(student.ok(&["05", "inspect", "certs/server.crt"]), by_name);
}

fn nothing_is_overwritten_without_force_and_lifetimes_stop_at_825_days() {
    let student = Student::with_server();
    let before = fs::read(student.path("certs/ca.key")).unwrap();
    let err = student.fails(&["ca", "init"]);
    assert_eq!(
        err,
        "error: certs/ca.crt already exists (pass --force to replace it)\n"
    );
    assert_eq!(fs::read(student.path("certs/ca.key")).unwrap(), before);

    let err = student.fails(&["ca", "issue", "--name", "web", "--server", "--days", "826"]);
    assert_eq!(
        err,
        "error: 826 days is too long: a certificate may last at most 825 days (Apple refuses longer ones)\n\
         hint: use --days 825 or fewer (the default is 365)\n"
    );
    assert!(!student.path("certs/web.key").exists());
    student.ok(&["ca", "issue", "--name", "web", "--server", "--days", "825"]);
}

/// `--lang fr`: what `ca` made, its warnings, a certificate read and checked, and a
/// refusal with its hint, in French; the same commands without it, under
/// `LC_ALL=C.UTF-8`, in English.
fn ca_speaks_french_with_lang_fr_and_english_without() {
    let student = Student::new();
    let init = student.run(&["ca", "init", "--lang", "fr"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let out = stdout(&init);
    assert!(
        out.starts_with(
            "CA Squirrel Local CA créée (certs/ca.crt, certs/ca.key) — valable jusqu'au "
        ) && out.ends_with(
            "Ensuite\u{a0}: squirrel ca issue --server (et --client pour le TLS mutuel)\n"
        ),
        "{out}"
    );
    assert_eq!(
        stderr(&init),
        "avertissement\u{a0}: certs/ca.key n'est pas chiffrée\u{a0}: quiconque peut la lire peut fabriquer des certificats auxquels vos machines font confiance (chiffrez-la avec --passphrase-env VAR)\n"
    );

    let too_long = ["ca", "issue", "--name", "web", "--server", "--days", "900"];
    assert_eq!(
        student.fails(&[&too_long[..], &["--lang", "fr"]].concat()),
        "erreur\u{a0}: 900 jours, c'est trop long\u{a0}: un certificat peut durer au plus 825 jours (Apple refuse les plus longs)\n\
         conseil\u{a0}: utilisez --days 825 ou moins (la valeur par défaut est 365)\n"
    );
    assert_eq!(
        student.fails(&too_long),
        "error: 900 days is too long: a certificate may last at most 825 days (Apple refuses longer ones)\n\
         hint: use --days 825 or fewer (the default is 365)\n"
    );

    student.ok(&["ca", "issue", "--name", "client", "--client"]);
    let inspect = student.ok(&["ca", "inspect", "certs/client.crt", "--lang", "fr"]);
    assert!(
        inspect.starts_with("Du ") && inspect.contains(", je suis CN=client, O=Secret Squirrels selon CN=Squirrel Local CA, O=Secret Squirrels.\n"),
        "{inspect}"
    );
    // The values line up one column after the longest French label.
    assert!(
        inspect.contains("\nUsage étendu de la clé\u{a0}: clientAuth\n")
            && inspect.contains("\nNoms (SAN)\u{a0}:             (aucun)\n"),
        "{inspect}"
    );
    let verify = student.run(&[
        "ca",
        "verify",
        "certs/client.crt",
        "--server",
        "--lang",
        "fr",
    ]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stdout(&verify).contains("\n  ÉCHEC mauvais usage\u{a0}: pas pour un serveur TLS (extended key usage\u{a0}: clientAuth)\n"),
        "{}",
        stdout(&verify)
    );
    assert_eq!(
        stderr(&verify),
        "erreur\u{a0}: certs/client.crt\u{a0}: mauvais usage\u{a0}: pas pour un serveur TLS (extended key usage\u{a0}: clientAuth)\n\
         conseil\u{a0}: délivrez un certificat pour ce rôle\u{a0}: squirrel ca issue --server|--client\n"
    );
    let verify = student.run(&["ca", "verify", "certs/client.crt", "--server"]);
    assert_eq!(
        stderr(&verify),
        "error: certs/client.crt: wrong usage: not for a TLS server (extended key usage: clientAuth)\n\
         hint: issue a certificate for that role: squirrel ca issue --server|--client\n"
    );
}

fn a_wrong_ca_passphrase_is_refused_and_nothing_is_written() {
    let student = Student::new();
    let locked = ["--passphrase-env", "CA_PASS", "--dir", "certs/locked"];
    let init: Vec<&str> = ["ca", "init"].iter().chain(&locked).copied().collect();
    assert!(student
        .run_env(&init, &[("CA_PASS", "hazelnut")])
        .status
        .success());
    let issue: Vec<&str> = ["ca", "issue", "--name", "web", "--server"]
        .iter()
        .chain(&locked)
        .copied()
        .collect();
    let err = student.fails_env(&issue, &[("CA_PASS", "acorn")]);
    assert_eq!(
        err,
        "error: wrong passphrase for certs/locked/ca.key\nhint: check the variable named by --passphrase-env\n"
    );
    assert!(!student.path("certs/locked/web.key").exists());
    assert!(student
        .run_env(&issue, &[("CA_PASS", "hazelnut")])
        .status
        .success());
}

// ---------------------------------------------------------------------------------------
// The text and the code tell the same story.

fn key_usage_name(flag: &KeyUsageFlag) -> &'static str {
    match flag {
        KeyUsageFlag::DigitalSignature => "digitalSignature",
        KeyUsageFlag::KeyEncipherment => "keyEncipherment",
        KeyUsageFlag::KeyCertSign => "keyCertSign",
        KeyUsageFlag::CrlSign => "cRLSign",
    }
}

fn ext_key_usage_name(purpose: &ExtKeyUsage) -> &'static str {
    match purpose {
        ExtKeyUsage::ServerAuth => "serverAuth",
        ExtKeyUsage::ClientAuth => "clientAuth",
    }
}

/// `—` for an absent extension, as the text writes it.
fn or_dash(text: String) -> String {
    if text.is_empty() {
        "—".to_string()
    } else {
        text
    }
}

fn basic_constraints_cell(e: &Extensions) -> String {
    match (e.basic_constraints, e.ca, e.path_len) {
        (false, _, _) => "—".to_string(),
        (true, true, Some(n)) => format!("CA:TRUE, pathlen {n}"),
        (true, true, None) => "CA:TRUE".to_string(),
        (true, false, _) => "CA:FALSE".to_string(),
    }
}

fn key_usage_cell(e: &Extensions) -> String {
    let mut text = e
        .key_usage
        .iter()
        .map(key_usage_name)
        .collect::<Vec<_>>()
        .join(", ");
    if e.key_encipherment_for_rsa {
        text.push_str(" (+ keyEncipherment on RSA keys)");
    }
    or_dash(text)
}

fn extended_key_usage_cell(e: &Extensions) -> String {
    or_dash(
        e.extended_key_usage
            .iter()
            .map(ext_key_usage_name)
            .collect::<Vec<_>>()
            .join(", "),
    )
}

fn subject_key_id_cell(e: &Extensions) -> String {
    if e.subject_key_id { "yes" } else { "—" }.to_string()
}

fn authority_key_id_cell(e: &Extensions) -> String {
    if e.authority_key_id { "yes" } else { "—" }.to_string()
}

/// The rows of a profile table as the text writes them, one cell per profile.
fn table_rows(columns: &[Extensions]) -> Vec<String> {
    type Cell = fn(&Extensions) -> String;
    let rows: [(&str, Cell); 5] = [
        ("basicConstraints (critical)", basic_constraints_cell),
        ("keyUsage (critical)", key_usage_cell),
        ("extendedKeyUsage", extended_key_usage_cell),
        ("subjectKeyIdentifier", subject_key_id_cell),
        ("authorityKeyIdentifier", authority_key_id_cell),
    ];
    rows.iter()
        .map(|(name, cell)| {
            let row: Vec<String> = columns.iter().map(cell).collect();
            format!("| {name} | {} |", row.join(" | "))
        })
        .collect()
}

fn the_profile_tables_in_the_text_are_the_ones_in_profile_rs() {
    let text = text::read(TEXT);
    let ours = table_rows(&[
        Profile::Ca.extensions(),
        Profile::Server.extensions(),
        Profile::Client.extensions(),
    ]);
    assert_eq!(
        Profile::Server.tutorial_extensions(),
        Profile::Client.tutorial_extensions()
    );
    let tutorial = table_rows(&[
        Profile::Ca.tutorial_extensions(),
        Profile::Server.tutorial_extensions(),
    ]);
    for row in ours.iter().chain(&tutorial) {
        assert!(
            text.lines().any(|line| line == row),
            "the text lacks the row\n{row}"
        );
    }
}

fn every_command_in_the_text_runs_and_prints_what_the_text_shows() {
    TextRun::new(TEXT).commands();
}

fn the_capture_section_finds_the_certificate_in_clear_live() {
    TextRun::new(TEXT).setup(text::certificates).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).in_french().commands();
}

fn the_french_text_capture_section_finds_the_certificate_in_clear_live() {
    TextRun::new(TEXT)
        .in_french()
        .setup(text::certificates)
        .capture();
}

test_main! {
    ca_init_makes_a_public_ca_crt_and_a_secret_ca_key: [],
    a_csr_holds_the_public_key_and_the_names_and_is_signed_by_its_own_key: [OPENSSL],
    the_ca_signs_the_csr_and_inspect_says_from_a_to_b_i_am_x_according_to_y: [OPENSSL],
    verify_passes_the_server_certificate_and_refuses_the_client_one_as_a_server: [],
    issue_client_makes_a_p12_with_key_certificate_and_ca_under_a_password_shown_once: [OPENSSL],
    the_chain_passes_openssl_verify_x509_strict: [OPENSSL],
    tutorial_compat_is_refused_by_strict_verification_and_verify_says_which_rules_break: [OPENSSL],
    tutorial_compat_without_names_puts_the_name_only_in_the_cn_and_verify_says_clients_ignore_it: [],
    the_number_alias_5_inspects_like_ca: [],
    nothing_is_overwritten_without_force_and_lifetimes_stop_at_825_days: [],
    a_wrong_ca_passphrase_is_refused_and_nothing_is_written: [],
    ca_speaks_french_with_lang_fr_and_english_without: [],
    the_profile_tables_in_the_text_are_the_ones_in_profile_rs: [],
    every_command_in_the_text_runs_and_prints_what_the_text_shows: [OPENSSL, PYTHON3, CERTUTIL],
    the_capture_section_finds_the_certificate_in_clear_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [OPENSSL, PYTHON3, CERTUTIL],
    the_french_text_capture_section_finds_the_certificate_in_clear_live: [TSHARK, LIVE_CAPTURE],
}
