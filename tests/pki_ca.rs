//! Lesson 05, the certificate authority, checked through real files and outside tools:
//! the `openssl` command line verifies what `squirrel::pki` makes under its strict X.509
//! rules, Python's `ssl` module completes a mutual-TLS handshake with it under
//! `VERIFY_X509_STRICT`, and `ca inspect` is compared with golden files made from
//! certificates the `openssl` command line signed (tests/fixtures/pki/make-fixtures.sh).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine;
use common::prereq::{OPENSSL, PYTHON3};
use squirrel::pki::{
    self, CaOptions, CheckKind, CsrOptions, IssueOptions, KeyType, LeafProfile, PkiError,
    SignOptions,
};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki");

/// A folder with a fresh CA (no passphrase).
fn ca_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    pki::init_ca(dir.path(), &CaOptions::default()).unwrap();
    dir
}

fn issue(dir: &Path, name: &str, profile: LeafProfile) -> pki::Issued {
    pki::issue(dir, &IssueOptions::new(name, profile)).unwrap()
}

/// Runs the `openssl` command line; returns (success, stdout + stderr).
fn openssl(args: &[&str]) -> (bool, String) {
    let output = OPENSSL
        .command()
        .args(args)
        .output()
        .expect("the openssl command line is needed for these tests");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn openssl_verify(dir: &Path, purpose: &str, cert: &str) -> (bool, String) {
    openssl(&[
        "verify",
        "-x509_strict",
        "-CAfile",
        path_str(&dir.join(pki::CA_CERT)),
        "-purpose",
        purpose,
        path_str(&dir.join(cert)),
    ])
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs the `squirrel` binary with `args` (absolute paths) and extra environment
/// variables, logging warnings only.
fn squirrel(args: &[&str], env: &[(&str, &str)]) -> Output {
    common::squirrel(&std::env::temp_dir(), args, env)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---------------------------------------------------------------------------------------
// Outside tools accept what the CA makes.

fn server_certificate_passes_openssl_x509_strict() {
    let dir = ca_dir();
    issue(dir.path(), "server", LeafProfile::Server);
    let (ok, text) = openssl_verify(dir.path(), "sslserver", "server.crt");
    assert!(ok, "{text}");
    assert!(text.contains("server.crt: OK"), "{text}");
}

fn client_certificate_passes_openssl_x509_strict() {
    let dir = ca_dir();
    issue(dir.path(), "client", LeafProfile::Client);
    let (ok, text) = openssl_verify(dir.path(), "sslclient", "client.crt");
    assert!(ok, "{text}");
}

fn rsa_ca_and_rsa_leaves_pass_openssl_x509_strict() {
    let dir = tempfile::tempdir().unwrap();
    let ca = CaOptions {
        key_type: KeyType::Rsa2048,
        ..CaOptions::default()
    };
    pki::init_ca(dir.path(), &ca).unwrap();
    for (name, profile, purpose) in [
        ("server", LeafProfile::Server, "sslserver"),
        ("client", LeafProfile::Client, "sslclient"),
    ] {
        let mut options = IssueOptions::new(name, profile);
        options.csr.key_type = KeyType::Rsa2048;
        pki::issue(dir.path(), &options).unwrap();
        let (ok, text) = openssl_verify(dir.path(), purpose, &format!("{name}.crt"));
        assert!(ok, "{text}");
    }
}

fn openssl_refuses_a_server_certificate_for_a_client_purpose() {
    let dir = ca_dir();
    issue(dir.path(), "server", LeafProfile::Server);
    let (ok, text) = openssl_verify(dir.path(), "sslclient", "server.crt");
    assert!(!ok, "{text}");
    assert!(text.contains("unsuitable certificate purpose"), "{text}");
}

fn client_p12_opens_with_openssl_and_holds_key_certificate_and_ca() {
    let dir = ca_dir();
    let mut options = IssueOptions::new("client", LeafProfile::Client);
    options.sign.p12_password = Some("fluffy tail".to_string());
    let issued = pki::issue(dir.path(), &options).unwrap();
    assert_eq!(
        issued.p12.as_deref(),
        Some(dir.path().join("client.p12").as_path())
    );
    assert!(issued.p12_password_generated.is_none());
    let p12 = dir.path().join("client.p12");
    let (ok, certs) = openssl(&[
        "pkcs12",
        "-in",
        path_str(&p12),
        "-passin",
        "pass:fluffy tail",
        "-nokeys",
    ]);
    assert!(ok, "{certs}");
    assert!(
        certs.contains("subject=O = Secret Squirrels, CN = client"),
        "{certs}"
    );
    assert!(
        certs.contains("subject=O = Secret Squirrels, CN = Squirrel Local CA"),
        "{certs}"
    );
    let (ok, key) = openssl(&[
        "pkcs12",
        "-in",
        path_str(&p12),
        "-passin",
        "pass:fluffy tail",
        "-nocerts",
        "-noenc",
    ]);
    assert!(ok, "{key}");
    assert!(key.contains("BEGIN PRIVATE KEY"), "{key}");
    let (ok, _) = openssl(&[
        "pkcs12",
        "-in",
        path_str(&p12),
        "-passin",
        "pass:not the password",
        "-nokeys",
    ]);
    assert!(!ok, "the .p12 opened with a wrong password");
}

fn generated_p12_password_is_returned_once_and_opens_the_bundle() {
    let dir = ca_dir();
    let issued = issue(dir.path(), "client", LeafProfile::Client);
    let password = issued.p12_password_generated.clone().unwrap();
    assert_eq!(password.len(), 12);
    assert!(issued.to_string().contains(&format!(
        "The p12 password is: {password} (shown only once)"
    )));
    let (ok, text) = openssl(&[
        "pkcs12",
        "-in",
        path_str(&dir.path().join("client.p12")),
        "-passin",
        &format!("pass:{password}"),
        "-nokeys",
    ]);
    assert!(ok, "{text}");
}

/// Python's `ssl` (OpenSSL underneath, with Python's own defaults) runs a whole
/// mutual-TLS handshake between two in-memory endpoints, both with `VERIFY_X509_STRICT`
/// as Python 3.13's default context sets it (plus its `VERIFY_X509_PARTIAL_CHAIN`).
const PYTHON_HANDSHAKE: &str = r#"
import ssl, sys
d, client_name, host = sys.argv[1], sys.argv[2], sys.argv[3]
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server.load_cert_chain(f"{d}/server.crt", f"{d}/server.key")
server.load_verify_locations(f"{d}/ca.crt")
server.verify_mode = ssl.CERT_REQUIRED
server.verify_flags |= ssl.VERIFY_X509_STRICT
client = ssl.create_default_context(cafile=f"{d}/ca.crt")
client.verify_flags |= ssl.VERIFY_X509_STRICT | getattr(ssl, "VERIFY_X509_PARTIAL_CHAIN", 0)
client.load_cert_chain(f"{d}/{client_name}.crt", f"{d}/{client_name}.key")
c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
c = client.wrap_bio(c_in, c_out, server_hostname=host)
s = server.wrap_bio(s_in, s_out, server_side=True)
done = [False, False]
for _ in range(20):
    for i, (end, out, peer_in) in enumerate(((c, c_out, s_in), (s, s_out, c_in))):
        if not done[i]:
            try:
                end.do_handshake()
                done[i] = True
            except ssl.SSLWantReadError:
                pass
        data = out.read()
        if data:
            peer_in.write(data)
    if all(done):
        break
assert all(done), "the handshake did not finish"
print("handshake ok", dict(x[0] for x in s.getpeercert()["subject"])["commonName"])
"#;

fn python_handshake(dir: &Path, client: &str, host: &str) -> (bool, String) {
    let output = PYTHON3
        .command()
        .args(["-c", PYTHON_HANDSHAKE, path_str(dir), client, host])
        .output()
        .expect("python3 is needed for this test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn python_strict_verification_accepts_the_chain_both_ways() {
    let dir = ca_dir();
    issue(dir.path(), "server", LeafProfile::Server);
    issue(dir.path(), "client", LeafProfile::Client);
    for host in ["localhost", "127.0.0.1", "::1"] {
        let (ok, text) = python_handshake(dir.path(), "client", host);
        assert!(ok, "{host}: {text}");
        assert!(text.contains("handshake ok client"), "{text}");
    }
}

fn python_refuses_a_server_certificate_as_client_and_an_unlisted_host() {
    let dir = ca_dir();
    issue(dir.path(), "server", LeafProfile::Server);
    issue(dir.path(), "client", LeafProfile::Client);
    let (ok, text) = python_handshake(dir.path(), "server", "localhost");
    assert!(
        !ok && text.contains("unsuitable certificate purpose"),
        "{text}"
    );
    let (ok, text) = python_handshake(dir.path(), "client", "vault.example");
    assert!(!ok && text.contains("Hostname mismatch"), "{text}");
}

// ---------------------------------------------------------------------------------------
// Files, modes and overwriting.

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn keys_and_p12_are_mode_0600_and_certificates_0644() {
    let dir = ca_dir();
    issue(dir.path(), "client", LeafProfile::Client);
    for secret in ["ca.key", "client.key", "client.p12"] {
        assert_eq!(mode(&dir.path().join(secret)), 0o600, "{secret}");
    }
    for public in ["ca.crt", "client.crt", "client.csr"] {
        assert_eq!(mode(&dir.path().join(public)), 0o644, "{public}");
    }
}

fn unencrypted_ca_key_comes_with_a_warning_and_an_encrypted_one_without() {
    let dir = tempfile::tempdir().unwrap();
    let plain = pki::init_ca(dir.path(), &CaOptions::default()).unwrap();
    assert_eq!(plain.warnings.len(), 1);
    assert!(
        plain.warnings[0]
            .to_string()
            .contains("ca.key is not encrypted"),
        "{:?}",
        plain.warnings
    );
    let key = fs::read_to_string(dir.path().join("ca.key")).unwrap();
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{key}");

    let options = CaOptions {
        passphrase: Some("hazelnut".into()),
        force: true,
        ..CaOptions::default()
    };
    let encrypted = pki::init_ca(dir.path(), &options).unwrap();
    assert!(encrypted.warnings.is_empty(), "{:?}", encrypted.warnings);
    let key = fs::read_to_string(dir.path().join("ca.key")).unwrap();
    assert!(
        key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{key}"
    );
    // PKCS#8 with AES-256-CBC, as the design asks.
    let (ok, text) = openssl(&["asn1parse", "-in", path_str(&dir.path().join("ca.key"))]);
    assert!(ok && text.contains("aes-256-cbc"), "{text}");
}

fn existing_files_are_not_overwritten_without_force() {
    let dir = ca_dir();
    let before = fs::read(dir.path().join("ca.crt")).unwrap();
    let key_before = fs::read(dir.path().join("ca.key")).unwrap();
    let err = pki::init_ca(dir.path(), &CaOptions::default()).unwrap_err();
    assert!(matches!(err, PkiError::Exists { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{} already exists (pass --force to replace it)",
            dir.path().join("ca.crt").display()
        )
    );
    assert_eq!(fs::read(dir.path().join("ca.crt")).unwrap(), before);
    assert_eq!(fs::read(dir.path().join("ca.key")).unwrap(), key_before);

    let forced = CaOptions {
        force: true,
        ..CaOptions::default()
    };
    pki::init_ca(dir.path(), &forced).unwrap();
    assert_ne!(fs::read(dir.path().join("ca.crt")).unwrap(), before);
    assert_ne!(fs::read(dir.path().join("ca.key")).unwrap(), key_before);
}

#[cfg(unix)]
fn forced_replacement_of_a_world_readable_key_is_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = ca_dir();
    let key = dir.path().join("ca.key");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    let forced = CaOptions {
        force: true,
        ..CaOptions::default()
    };
    pki::init_ca(dir.path(), &forced).unwrap();
    assert_eq!(mode(&key), 0o600);
}

fn issue_checks_every_file_before_writing_any() {
    let dir = ca_dir();
    // Only the last file of the set exists: nothing else may be written.
    fs::write(dir.path().join("client.p12"), b"someone else's bundle").unwrap();
    let err = pki::issue(
        dir.path(),
        &IssueOptions::new("client", LeafProfile::Client),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("client.p12 already exists"),
        "{err}"
    );
    for file in ["client.key", "client.csr", "client.crt"] {
        assert!(!dir.path().join(file).exists(), "{file} was written");
    }
    assert_eq!(
        fs::read(dir.path().join("client.p12")).unwrap(),
        b"someone else's bundle"
    );
    let mut forced = IssueOptions::new("client", LeafProfile::Client);
    forced.sign.force = true;
    pki::issue(dir.path(), &forced).unwrap();
    assert_ne!(
        fs::read(dir.path().join("client.p12")).unwrap(),
        b"someone else's bundle"
    );
}

fn the_name_ca_cannot_overwrite_the_ca() {
    let dir = ca_dir();
    let mut options = IssueOptions::new("ca", LeafProfile::Server);
    options.sign.force = true;
    let err = pki::issue(dir.path(), &options).unwrap_err();
    assert!(matches!(err, PkiError::BadName { .. }), "{err:?}");
    let err = pki::issue(
        dir.path(),
        &IssueOptions::new("../escape", LeafProfile::Server),
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::BadName { .. }), "{err:?}");
}

fn issuing_without_a_ca_says_to_run_ca_init() {
    let dir = tempfile::tempdir().unwrap();
    let err = pki::issue(
        dir.path(),
        &IssueOptions::new("server", LeafProfile::Server),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot read {}: No such file or directory (run: squirrel ca init --dir {})",
            dir.path().join("ca.crt").display(),
            dir.path().display()
        )
    );
    assert!(!dir.path().join("server.key").exists());
}

// ---------------------------------------------------------------------------------------
// The encrypted CA key.

fn encrypted_ca_key_round_trips_through_passphrase_env() {
    let dir = tempfile::tempdir().unwrap();
    let d = path_str(dir.path());
    let pass = [("CA_PASS", "hazelnut")];
    let init = squirrel(
        &["ca", "init", "--dir", d, "--passphrase-env", "CA_PASS"],
        &pass,
    );
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(!stderr(&init).contains("warning:"), "{}", stderr(&init));
    let issue = squirrel(
        &[
            "ca",
            "issue",
            "--server",
            "--dir",
            d,
            "--passphrase-env",
            "CA_PASS",
        ],
        &pass,
    );
    assert!(issue.status.success(), "{}", stderr(&issue));
    let (ok, text) = openssl_verify(dir.path(), "sslserver", "server.crt");
    assert!(ok, "{text}");
}

fn wrong_or_missing_ca_passphrase_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let options = CaOptions {
        passphrase: Some("hazelnut".into()),
        ..CaOptions::default()
    };
    pki::init_ca(dir.path(), &options).unwrap();
    let key = dir.path().join("ca.key");

    let mut wrong = IssueOptions::new("server", LeafProfile::Server);
    wrong.sign.ca_passphrase = Some("acorn".into());
    let err = pki::issue(dir.path(), &wrong).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("wrong passphrase for {}", key.display())
    );
    assert!(!dir.path().join("server.key").exists(), "a key was written");

    let err = pki::issue(
        dir.path(),
        &IssueOptions::new("server", LeafProfile::Server),
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::PassphraseNeeded { .. }), "{err:?}");
    assert!(err.to_string().contains("--passphrase-env"), "{err}");

    // The same through the binary: exit code 1, the wrong passphrase named.
    let d = path_str(dir.path());
    let out = squirrel(
        &[
            "ca",
            "issue",
            "--server",
            "--dir",
            d,
            "--passphrase-env",
            "CA_PASS",
        ],
        &[("CA_PASS", "acorn")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("error: wrong passphrase for"),
        "{}",
        stderr(&out)
    );
    let out = squirrel(
        &[
            "ca",
            "issue",
            "--server",
            "--dir",
            d,
            "--passphrase-env",
            "SQUIRREL_NO_SUCH_VAR",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the environment variable SQUIRREL_NO_SUCH_VAR is not set"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------
// CSR and signing as separate steps.

fn csr_then_sign_makes_the_same_kind_of_certificate_as_issue() {
    let dir = ca_dir();
    let mut csr = CsrOptions::new("web", LeafProfile::Server);
    csr.dns = vec!["vault.local".into()];
    csr.ips = vec!["192.168.1.20".parse().unwrap()];
    let csr_path = pki::make_csr(dir.path(), &csr).unwrap();
    assert_eq!(csr_path, dir.path().join("web.csr"));
    assert!(dir.path().join("web.key").exists());
    assert!(!dir.path().join("web.crt").exists());
    let requested = pki::read_csr(&csr_path).unwrap();
    assert_eq!(
        requested.names,
        [
            "localhost",
            "vault.local",
            "127.0.0.1",
            "::1",
            "192.168.1.20"
        ]
    );

    let signed = pki::sign_csr(
        dir.path(),
        &csr_path,
        &SignOptions::new(LeafProfile::Server),
    )
    .unwrap();
    assert_eq!(signed.cert, dir.path().join("web.crt"));
    assert_eq!(signed.names, requested.names);
    let (ok, text) = openssl_verify(dir.path(), "sslserver", "web.crt");
    assert!(ok, "{text}");

    let mut one_step = IssueOptions::new("web2", LeafProfile::Server);
    one_step.csr.dns = vec!["vault.local".into()];
    one_step.csr.ips = vec!["192.168.1.20".parse().unwrap()];
    pki::issue(dir.path(), &one_step).unwrap();

    let two = pki::inspect_file(&dir.path().join("web.crt")).unwrap();
    let one = pki::inspect_file(&dir.path().join("web2.crt")).unwrap();
    assert_eq!(two.subject_alt_names, one.subject_alt_names);
    assert_eq!(
        two.subject_alt_names,
        [
            "DNS:localhost",
            "DNS:vault.local",
            "IP:127.0.0.1",
            "IP:::1",
            "IP:192.168.1.20"
        ]
    );
    assert_eq!(two.key_usage, one.key_usage);
    assert_eq!(two.extended_key_usage, one.extended_key_usage);
    assert_eq!(two.is_ca, one.is_ca);
    assert_eq!(two.issuer, one.issuer);
    assert_eq!(two.subject, "CN=web, O=Secret Squirrels");
}

fn the_ca_decides_the_usage_not_the_csr() {
    // A server's CSR signed under the client profile gets clientAuth only.
    let dir = ca_dir();
    let csr_path =
        pki::make_csr(dir.path(), &CsrOptions::new("laptop", LeafProfile::Server)).unwrap();
    pki::sign_csr(
        dir.path(),
        &csr_path,
        &SignOptions::new(LeafProfile::Client),
    )
    .unwrap();
    let summary = pki::inspect_file(&dir.path().join("laptop.crt")).unwrap();
    assert_eq!(
        summary.extended_key_usage,
        Some(vec!["clientAuth".to_string()])
    );
    // Its key was in the folder, so the client also gets a .p12.
    assert!(dir.path().join("laptop.p12").exists());
}

fn sign_refuses_a_tampered_csr() {
    let dir = ca_dir();
    let csr_path =
        pki::make_csr(dir.path(), &CsrOptions::new("server", LeafProfile::Server)).unwrap();
    // Change the requested CN from "server" to "sarver" inside the signed DER.
    let pem = fs::read_to_string(&csr_path).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    let at = der.windows(6).position(|w| w == b"server").unwrap();
    der[at + 1] = b'a';
    let tampered = format!(
        "-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    fs::write(&csr_path, tampered).unwrap();
    let err = pki::sign_csr(
        dir.path(),
        &csr_path,
        &SignOptions::new(LeafProfile::Server),
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::BadCsrSignature { .. }), "{err:?}");
    assert!(
        err.to_string().contains("is not signed by its own key"),
        "{err}"
    );
    assert!(!dir.path().join("server.crt").exists());
}

fn a_server_csr_without_names_is_refused() {
    let dir = ca_dir();
    // A client request carries no SAN; signing it as a server must fail.
    let csr_path =
        pki::make_csr(dir.path(), &CsrOptions::new("bare", LeafProfile::Client)).unwrap();
    let err = pki::sign_csr(
        dir.path(),
        &csr_path,
        &SignOptions::new(LeafProfile::Server),
    )
    .unwrap_err();
    assert!(matches!(err, PkiError::NoServerNames { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// Lifetimes and key types.

fn leaf_lifetime_over_825_days_is_refused() {
    let dir = ca_dir();
    let mut options = IssueOptions::new("server", LeafProfile::Server);
    options.sign.days = 826;
    let err = pki::issue(dir.path(), &options).unwrap_err();
    assert!(
        matches!(err, PkiError::TooManyDays { days: 826 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("at most 825 days"), "{err}");
    assert!(!dir.path().join("server.key").exists());
    options.sign.days = 825;
    let issued = pki::issue(dir.path(), &options).unwrap();
    let days = (issued.not_after - chrono::Utc::now()).num_days();
    assert!((824..=825).contains(&days), "{days}");

    let d = path_str(dir.path());
    let out = squirrel(
        &["ca", "issue", "--client", "--days", "826", "--dir", d],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("826 days is too long"),
        "{}",
        stderr(&out)
    );
}

fn ca_is_a_critical_pathlen_0_ca_for_ten_years_and_leaves_last_365_days() {
    let dir = ca_dir();
    let ca = pki::inspect_file(&dir.path().join("ca.crt")).unwrap();
    assert!(ca.is_ca && ca.self_signed);
    assert_eq!(ca.path_len, Some(0));
    assert_eq!(ca.subject, "CN=Squirrel Local CA, O=Secret Squirrels");
    assert_eq!(
        ca.key_usage,
        Some(vec!["keyCertSign".to_string(), "cRLSign".to_string()])
    );
    assert_eq!(ca.extended_key_usage, None);
    assert_eq!((ca.not_after - ca.not_before).num_days(), 3650);
    // notBefore is now, not backdated.
    assert!((chrono::Utc::now() - ca.not_before).num_seconds().abs() < 120);

    issue(dir.path(), "server", LeafProfile::Server);
    let leaf = pki::inspect_file(&dir.path().join("server.crt")).unwrap();
    assert!(!leaf.is_ca && !leaf.self_signed);
    assert_eq!((leaf.not_after - leaf.not_before).num_days(), 365);
    assert_eq!(leaf.serial.len(), 32, "a 128-bit serial: {}", leaf.serial);

    // openssl agrees that basicConstraints and keyUsage are critical.
    let (_, text) = openssl(&[
        "x509",
        "-noout",
        "-text",
        "-in",
        path_str(&dir.path().join("ca.crt")),
    ]);
    assert!(
        text.contains("X509v3 Basic Constraints: critical"),
        "{text}"
    );
    assert!(text.contains("CA:TRUE, pathlen:0"), "{text}");
    assert!(text.contains("X509v3 Key Usage: critical"), "{text}");
}

fn rsa_leaf_gets_key_encipherment_and_ec_leaf_does_not() {
    let dir = ca_dir();
    let mut rsa = IssueOptions::new("rsa", LeafProfile::Server);
    rsa.csr.key_type = KeyType::Rsa2048;
    pki::issue(dir.path(), &rsa).unwrap();
    issue(dir.path(), "ec", LeafProfile::Server);
    let rsa = pki::inspect_file(&dir.path().join("rsa.crt")).unwrap();
    let ec = pki::inspect_file(&dir.path().join("ec.crt")).unwrap();
    assert_eq!(rsa.key, "RSA 2048 bits");
    assert_eq!(ec.key, "EC P-256");
    assert_eq!(
        rsa.key_usage,
        Some(vec![
            "digitalSignature".to_string(),
            "keyEncipherment".to_string()
        ])
    );
    assert_eq!(ec.key_usage, Some(vec!["digitalSignature".to_string()]));
}

fn extra_server_names_are_kept_once_each() {
    let dir = ca_dir();
    let mut options = IssueOptions::new("server", LeafProfile::Server);
    options.csr.dns = vec![
        "Vault.Local".into(),
        "vault.local".into(),
        "localhost".into(),
    ];
    options.csr.ips = vec!["127.0.0.1".parse().unwrap(), "10.0.0.7".parse().unwrap()];
    let issued = pki::issue(dir.path(), &options).unwrap();
    assert_eq!(
        issued.names,
        ["localhost", "vault.local", "127.0.0.1", "::1", "10.0.0.7"]
    );
    let first_line = issued.to_string().lines().next().unwrap().to_string();
    assert!(
        first_line.starts_with(
            "Created server.crt for localhost, vault.local, 127.0.0.1, ::1, 10.0.0.7 — valid until "
        ),
        "{first_line}"
    );
    assert!(
        first_line.ends_with(" — signed by Squirrel Local CA"),
        "{first_line}"
    );
}

// ---------------------------------------------------------------------------------------
// inspect: golden files.

/// Compares `actual` with the golden file, or rewrites it when SQUIRREL_UPDATE_GOLDEN
/// is set (then review the diff).
fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(FIXTURES).join(name);
    if std::env::var_os("SQUIRREL_UPDATE_GOLDEN").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (make it with SQUIRREL_UPDATE_GOLDEN=1)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs (if the change is wanted: SQUIRREL_UPDATE_GOLDEN=1 cargo test --test pki_ca golden)",
        path.display()
    );
}

fn golden_inspect_text_and_json_of_openssl_made_certificates() {
    for name in ["ca", "server", "client-rsa", "expired"] {
        let summary =
            pki::inspect_file(&PathBuf::from(FIXTURES).join(format!("{name}.crt"))).unwrap();
        assert_golden(&format!("{name}.text"), &summary.to_string());
        let json = serde_json::to_string_pretty(&summary).unwrap() + "\n";
        assert_golden(&format!("{name}.json"), &json);
    }
}

fn golden_inspect_through_the_binary() {
    let cert = format!("{FIXTURES}/server.crt");
    let out = squirrel(&["ca", "inspect", &cert], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("server.text", &stdout(&out));
    let out = squirrel(&["ca", "inspect", &cert, "--json"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_golden("server.json", &stdout(&out));
}

fn inspect_starts_with_the_plain_words_sentence() {
    let summary = pki::inspect_file(&PathBuf::from(FIXTURES).join("server.crt")).unwrap();
    let text = summary.to_string();
    assert_eq!(
        text.lines().next().unwrap(),
        "From 1 Jan 2030 00:00:00 UTC to 1 Jan 2032 00:00:00 UTC, I am CN=server, O=Secret Squirrels according to CN=Squirrel Fixture CA, O=Secret Squirrels."
    );
}

fn inspect_fingerprint_and_serial_match_openssl() {
    for name in ["ca", "server", "client-rsa"] {
        let path = PathBuf::from(FIXTURES).join(format!("{name}.crt"));
        let summary = pki::inspect_file(&path).unwrap();
        let (ok, text) = openssl(&[
            "x509",
            "-noout",
            "-fingerprint",
            "-sha256",
            "-serial",
            "-in",
            path_str(&path),
        ]);
        assert!(ok, "{text}");
        assert!(
            text.contains(&format!("Fingerprint={}", summary.sha256_fingerprint)),
            "{text}"
        );
        assert!(
            text.contains(&format!("serial={}", summary.serial)),
            "{text}"
        );
    }
}

fn inspect_reads_der_as_well_as_pem() {
    let path = PathBuf::from(FIXTURES).join("server.crt");
    let pem = fs::read(&path).unwrap();
    let der = openssl::x509::X509::from_pem(&pem)
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(pki::inspect(&der).unwrap(), pki::inspect(&pem).unwrap());
}

fn inspect_says_when_a_file_is_a_key_not_a_certificate() {
    let dir = ca_dir();
    let err = pki::inspect_file(&dir.path().join("ca.key")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{} is not a certificate: it holds a private key (keep it secret)",
            dir.path().join("ca.key").display()
        )
    );
    let err = pki::inspect(b"fluffy tail").unwrap_err();
    assert!(err.to_string().contains("neither a PEM nor a DER"), "{err}");
}

// ---------------------------------------------------------------------------------------
// verify.

fn verify_passes_a_good_certificate() {
    let dir = ca_dir();
    issue(dir.path(), "server", LeafProfile::Server);
    let report = pki::verify(dir.path(), &dir.path().join("server.crt"), None).unwrap();
    assert!(report.ok(), "{report}");
    let kinds: Vec<CheckKind> = report.checks.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            CheckKind::Chain,
            CheckKind::Dates,
            CheckKind::Usage,
            CheckKind::Names
        ]
    );
    let text = report.to_string();
    assert!(text.contains("may be a TLS server"), "{report}");
    assert!(
        text.contains("names: localhost, 127.0.0.1, ::1 (subjectAltName"),
        "{report}"
    );
    // A client certificate is not checked for host names.
    issue(dir.path(), "client", LeafProfile::Client);
    let report = pki::verify(dir.path(), &dir.path().join("client.crt"), None).unwrap();
    assert!(report.ok(), "{report}");
    assert!(
        report.checks.iter().all(|c| c.kind != CheckKind::Names),
        "{report}"
    );
}

fn verify_says_not_signed_by_this_ca_for_another_cas_certificate() {
    let ours = ca_dir();
    let theirs = ca_dir();
    issue(theirs.path(), "client", LeafProfile::Client);
    let report = pki::verify(ours.path(), &theirs.path().join("client.crt"), None).unwrap();
    assert!(!report.ok());
    let failure = report.first_failure().unwrap();
    assert_eq!(failure.kind, CheckKind::Chain);
    assert!(
        failure.detail.starts_with("not signed by this CA"),
        "{report}"
    );

    let out = squirrel(
        &[
            "ca",
            "verify",
            path_str(&theirs.path().join("client.crt")),
            "--dir",
            path_str(ours.path()),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("not signed by this CA"), "{err}");
}

fn verify_names_the_usage_when_a_certificate_is_used_for_the_other_role() {
    let dir = ca_dir();
    issue(dir.path(), "server", LeafProfile::Server);
    issue(dir.path(), "client", LeafProfile::Client);
    let report = pki::verify(
        dir.path(),
        &dir.path().join("server.crt"),
        Some(LeafProfile::Client),
    )
    .unwrap();
    let failure = report.first_failure().unwrap();
    assert_eq!(failure.kind, CheckKind::Usage);
    assert_eq!(
        failure.detail,
        "wrong usage: not for a TLS client (extended key usage: serverAuth)"
    );
    let report = pki::verify(
        &dir.path().join("ca.crt"),
        &dir.path().join("client.crt"),
        Some(LeafProfile::Server),
    )
    .unwrap();
    let failure = report.first_failure().unwrap();
    assert_eq!(
        failure.detail,
        "wrong usage: not for a TLS server (extended key usage: clientAuth)"
    );

    let out = squirrel(
        &[
            "ca",
            "verify",
            path_str(&dir.path().join("client.crt")),
            "--server",
            "--dir",
            path_str(dir.path()),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not for a TLS server"),
        "{}",
        stderr(&out)
    );
}

fn verify_reports_expired_and_not_yet_valid_certificates() {
    let fixtures = PathBuf::from(FIXTURES);
    let report = pki::verify(&fixtures, &fixtures.join("expired.crt"), None).unwrap();
    let failure = report.first_failure().unwrap();
    assert_eq!(failure.kind, CheckKind::Dates);
    assert_eq!(failure.detail, "expired on 1 Jan 2011 00:00:00 UTC");
    // The chain itself is sound: only the dates fail.
    assert!(report.checks[0].passed, "{report}");

    let report = pki::verify(&fixtures, &fixtures.join("server.crt"), None).unwrap();
    assert_eq!(
        report.first_failure().unwrap().detail,
        "not valid yet: it starts on 1 Jan 2030 00:00:00 UTC"
    );
}

fn verify_explains_a_tutorial_style_certificate_without_key_identifiers() {
    // Signed by our CA but with no extensions, as the tutorial's Python code makes them:
    // OpenSSL's strict mode (and Python 3.13) refuses it.
    use openssl::{asn1::Asn1Time, bn::BigNum, hash::MessageDigest, pkey::PKey, x509::X509};
    let dir = ca_dir();
    let ca = X509::from_pem(&fs::read(dir.path().join("ca.crt")).unwrap()).unwrap();
    let ca_key = PKey::private_key_from_pem(&fs::read(dir.path().join("ca.key")).unwrap()).unwrap();
    let key = KeyType::P256.generate().unwrap();
    let mut builder = X509::builder().unwrap();
    builder.set_version(2).unwrap();
    let serial = BigNum::from_u32(7).unwrap().to_asn1_integer().unwrap();
    builder.set_serial_number(&serial).unwrap();
    let mut subject = openssl::x509::X509NameBuilder::new().unwrap();
    subject.append_entry_by_text("CN", "tutorial").unwrap();
    builder.set_subject_name(&subject.build()).unwrap();
    builder.set_issuer_name(ca.subject_name()).unwrap();
    builder.set_pubkey(&key).unwrap();
    builder
        .set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    builder
        .set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    builder.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let path = dir.path().join("tutorial.crt");
    fs::write(&path, builder.build().to_pem().unwrap()).unwrap();

    let report = pki::verify(dir.path(), &path, None).unwrap();
    // Sound under the classic rules; only the strict rule about the leaf fails (our CA
    // itself has every extension).
    assert!(report.checks[0].passed, "{report}");
    assert!(
        report.checks[0].detail.contains("classic rules only"),
        "{report}"
    );
    let failure = report.first_failure().unwrap();
    assert_eq!(failure.kind, CheckKind::Strict);
    assert!(
        failure.detail.starts_with("strict X.509 rule broken: ")
            && failure.detail.contains("no authorityKeyIdentifier"),
        "{report}"
    );
    let strict: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::Strict)
        .collect();
    assert_eq!(strict.len(), 1, "{report}");
    // And with no subjectAltName, the name is only in the CN: the names check says so.
    let names = report
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::Names)
        .unwrap();
    assert!(!names.passed, "{report}");
    assert!(
        names
            .detail
            .starts_with("no subjectAltName: the name \"tutorial\" is only in the CN"),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------
// The tutorial's way (--tutorial-compat).

/// A CA and a server certificate made the tutorial's way, the server named `localhost`
/// in its SAN as the tutorial's CSR asked (`alt_names=["localhost"]`), so that only the
/// strict rules, not the host name, can fail.
fn tutorial_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let ca = CaOptions {
        tutorial_compat: true,
        ..CaOptions::default()
    };
    let made = pki::init_ca(dir.path(), &ca).unwrap();
    assert!(
        made.warnings[0].to_string().ends_with(
            "ca.crt made the tutorial's way: strict verifiers refuse it; for the lesson only"
        ),
        "{:?}",
        made.warnings
    );
    let mut server = IssueOptions::new("server", LeafProfile::Server);
    server.sign.tutorial_compat = true;
    server.csr.dns = vec!["localhost".into()];
    let issued = pki::issue(dir.path(), &server).unwrap();
    assert_eq!(issued.names, ["localhost"]);
    assert_eq!(issued.warnings.len(), 1, "{:?}", issued.warnings);
    let mut client = IssueOptions::new("client", LeafProfile::Client);
    client.sign.tutorial_compat = true;
    pki::issue(dir.path(), &client).unwrap();
    dir
}

fn openssl_verify_classic(dir: &Path, cert: &str) -> (bool, String) {
    openssl(&[
        "verify",
        "-CAfile",
        path_str(&dir.join(pki::CA_CERT)),
        path_str(&dir.join(cert)),
    ])
}

fn tutorial_certificates_carry_only_what_the_tutorial_put_in() {
    let dir = tutorial_dir();
    let ca = pki::inspect_file(&dir.path().join("ca.crt")).unwrap();
    assert!(ca.is_ca && ca.self_signed);
    assert_eq!(ca.path_len, None);
    assert_eq!(ca.key, "RSA 2048 bits");
    assert_eq!(ca.key_usage, None);
    let server = pki::inspect_file(&dir.path().join("server.crt")).unwrap();
    assert_eq!(server.key, "RSA 2048 bits");
    assert_eq!(server.subject_alt_names, ["DNS:localhost"]);
    assert_eq!(server.key_usage, None);
    assert_eq!(server.extended_key_usage, None);
    assert!(!server.is_ca);
    let (ok, text) = openssl(&[
        "x509",
        "-noout",
        "-text",
        "-in",
        path_str(&dir.path().join("server.crt")),
    ]);
    assert!(ok, "{text}");
    for absent in [
        "Basic Constraints",
        "Key Identifier",
        "Key Usage",
        "Extended Key Usage",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    let (_, text) = openssl(&[
        "x509",
        "-noout",
        "-text",
        "-in",
        path_str(&dir.path().join("ca.crt")),
    ]);
    assert!(
        text.contains("X509v3 Basic Constraints: critical"),
        "{text}"
    );
    assert!(
        !text.contains("Key Identifier") && !text.contains("Key Usage"),
        "{text}"
    );
}

fn openssl_accepts_the_tutorial_chain_classically_and_refuses_it_strictly() {
    let dir = tutorial_dir();
    let (ok, text) = openssl_verify_classic(dir.path(), "server.crt");
    assert!(ok, "{text}");
    let (ok, text) = openssl_verify(dir.path(), "sslserver", "server.crt");
    assert!(!ok, "{text}");
    for error in [
        "Missing Authority Key Identifier",
        "CA cert does not include key usage extension",
        "Missing Subject Key Identifier",
    ] {
        assert!(text.contains(error), "{error} not in {text}");
    }
}

fn python_strict_verification_refuses_the_tutorial_chain_and_classic_accepts_it() {
    let dir = tutorial_dir();
    // Both ends strict, as in the helper: refused for the missing key identifiers.
    let (ok, text) = python_handshake(dir.path(), "client", "localhost");
    assert!(!ok, "{text}");
    assert!(text.contains("Missing Authority Key Identifier"), "{text}");
    // Without VERIFY_X509_STRICT (Python before 3.13), the same chain shakes hands.
    let (ok, text) = python_handshake_classic(dir.path(), "localhost");
    assert!(ok, "{text}");
}

/// The handshake of [`PYTHON_HANDSHAKE`] with the client's default flags of Python
/// 3.12 and older (no `VERIFY_X509_STRICT`) and no client certificate.
fn python_handshake_classic(dir: &Path, host: &str) -> (bool, String) {
    let script = PYTHON_HANDSHAKE
        .replace(
            "server.verify_mode = ssl.CERT_REQUIRED",
            "server.verify_mode = ssl.CERT_NONE",
        )
        .replace("server.verify_flags |= ssl.VERIFY_X509_STRICT\n", "")
        .replace(
            "client.verify_flags |= ssl.VERIFY_X509_STRICT | getattr(ssl, \"VERIFY_X509_PARTIAL_CHAIN\", 0)\n",
            "client.verify_flags &= ~ssl.VERIFY_X509_STRICT\n",
        )
        .replace(
            "client.load_cert_chain(f\"{d}/{client_name}.crt\", f\"{d}/{client_name}.key\")\n",
            "",
        )
        .replace(
            "print(\"handshake ok\", dict(x[0] for x in s.getpeercert()[\"subject\"])[\"commonName\"])",
            "print(\"handshake ok\")",
        );
    assert!(!script.contains("VERIFY_X509_STRICT |"), "{script}");
    let output = PYTHON3
        .command()
        .args(["-c", &script, path_str(dir), "client", host])
        .output()
        .expect("python3 is needed for this test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn verify_names_every_strict_rule_the_tutorial_chain_breaks() {
    let dir = tutorial_dir();
    let report = pki::verify(dir.path(), &dir.path().join("server.crt"), None).unwrap();
    assert!(!report.ok());
    assert!(report.checks[0].passed, "{report}");
    let strict: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.kind == CheckKind::Strict)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(strict.len(), 3, "{report}");
    assert!(strict[0].contains("this certificate has no authorityKeyIdentifier"));
    assert!(strict[1].contains("the CA certificate has no keyUsage"));
    assert!(strict[2].contains("the CA certificate has no subjectKeyIdentifier"));
    // Classic usage and names still hold: only the strict rules fail.
    let names = report
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::Names)
        .unwrap();
    assert!(names.passed, "{report}");
    // Alone, the CA passes: OpenSSL applies the strict rules to a chain of two or more,
    // not to a trust anchor checked against itself.
    let report = pki::verify(dir.path(), &dir.path().join("ca.crt"), None).unwrap();
    assert!(report.ok(), "{report}");
}

fn a_tutorial_ca_signs_only_the_tutorial_way() {
    let dir = tutorial_dir();
    let err = pki::issue(dir.path(), &IssueOptions::new("web", LeafProfile::Server)).unwrap_err();
    assert!(matches!(err, PkiError::CaWithoutKeyId { .. }), "{err:?}");
    assert!(err.to_string().contains("--tutorial-compat"), "{err}");
    assert!(!dir.path().join("web.key").exists());
}

fn tutorial_signing_of_a_request_without_names_warns_and_verify_explains_the_cn() {
    // A modern CA, a client's request (no names) signed as a server the tutorial's way.
    let dir = ca_dir();
    let csr = pki::make_csr(dir.path(), &CsrOptions::new("bare", LeafProfile::Client)).unwrap();
    let mut options = SignOptions::new(LeafProfile::Server);
    options.tutorial_compat = true;
    let issued = pki::sign_csr(dir.path(), &csr, &options).unwrap();
    assert_eq!(issued.names, ["bare"]);
    assert_eq!(issued.warnings.len(), 2, "{:?}", issued.warnings);
    assert!(
        issued.warnings[1].to_string().contains("names no host"),
        "{:?}",
        issued.warnings
    );
    let report = pki::verify(
        dir.path(),
        &dir.path().join("bare.crt"),
        Some(LeafProfile::Server),
    )
    .unwrap();
    let kinds: Vec<(CheckKind, bool)> = report.checks.iter().map(|c| (c.kind, c.passed)).collect();
    assert_eq!(
        kinds,
        [
            (CheckKind::Chain, true),
            (CheckKind::Strict, false),
            (CheckKind::Dates, true),
            (CheckKind::Usage, true),
            (CheckKind::Names, false),
        ],
        "{report}"
    );
}

fn binary_tutorial_compat_warns_and_refuses_a_key_type() {
    let dir = tempfile::tempdir().unwrap();
    let d = path_str(dir.path());
    let init = squirrel(&["ca", "init", "--tutorial-compat", "--dir", d], &[]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(
        stderr(&init).starts_with(&format!(
            "warning: {d}/ca.crt made the tutorial's way: strict verifiers refuse it; for the lesson only\n"
        )),
        "{}",
        stderr(&init)
    );
    let issue = squirrel(
        &["ca", "issue", "--server", "--tutorial-compat", "--dir", d],
        &[],
    );
    assert!(issue.status.success(), "{}", stderr(&issue));
    assert!(
        stdout(&issue).starts_with("Created server.crt for server — valid until "),
        "{}",
        stdout(&issue)
    );
    assert!(
        stderr(&issue).contains(&format!(
            "warning: {d}/server.crt made the tutorial's way: strict verifiers refuse it; for the lesson only\n"
        )),
        "{}",
        stderr(&issue)
    );
    let both = squirrel(
        &[
            "ca",
            "issue",
            "--client",
            "--tutorial-compat",
            "--key-type",
            "p256",
            "--dir",
            d,
        ],
        &[],
    );
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

// ---------------------------------------------------------------------------------------
// The binary.

fn binary_init_and_issue_say_what_was_made_and_until_when() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("X");
    let d = path_str(&d);
    let init = squirrel(&["ca", "init", "--dir", d], &[]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let out = stdout(&init);
    assert!(
        out.starts_with(&format!(
            "Created the CA Squirrel Local CA ({d}/ca.crt, {d}/ca.key) — valid until "
        )),
        "{out}"
    );
    // The unencrypted key's warning goes to stderr.
    assert!(
        stderr(&init).starts_with(&format!("warning: {d}/ca.key is not encrypted")),
        "{}",
        stderr(&init)
    );

    let issue = squirrel(
        &["ca", "issue", "--name", "server", "--server", "--dir", d],
        &[],
    );
    assert_eq!(issue.status.code(), Some(0), "{}", stderr(&issue));
    let out = stdout(&issue);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("Created server.crt for localhost, 127.0.0.1, ::1 — valid until "),
        "{out}"
    );
    assert!(first.ends_with(" — signed by Squirrel Local CA"), "{out}");
    assert!(out.contains(&format!("{d}/server.key (secret)")), "{out}");
    assert!(stderr(&issue).is_empty(), "{}", stderr(&issue));
}

fn second_init_without_force_exits_1_with_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = path_str(dir.path());
    assert!(squirrel(&["ca", "init", "--dir", d], &[]).status.success());
    let again = squirrel(&["ca", "init", "--dir", d], &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stdout(&again).is_empty(), "{}", stdout(&again));
    let err = stderr(&again);
    assert_eq!(
        err,
        format!("error: {d}/ca.crt already exists (pass --force to replace it)\n")
    );
    let forced = squirrel(&["ca", "init", "--dir", d, "--force"], &[]);
    assert!(forced.status.success(), "{}", stderr(&forced));
}

fn binary_client_issue_prints_the_p12_password_once() {
    let dir = ca_dir();
    let d = path_str(dir.path());
    let out = squirrel(
        &["ca", "issue", "--client", "--name", "alice", "--dir", d],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("The p12 password is: "))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let password = lines[0]
        .trim_start_matches("The p12 password is: ")
        .trim_end_matches(" (shown only once)");
    let (ok, certs) = openssl(&[
        "pkcs12",
        "-in",
        path_str(&dir.path().join("alice.p12")),
        "-passin",
        &format!("pass:{password}"),
        "-nokeys",
    ]);
    assert!(ok, "{certs}");

    // With --p12-password-env the password is the user's and is not printed.
    let out = squirrel(
        &[
            "ca",
            "issue",
            "--client",
            "--name",
            "bob",
            "--dir",
            d,
            "--p12-password-env",
            "P12_PASS",
        ],
        &[("P12_PASS", "acorns")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("p12 password"), "{}", stdout(&out));
}

fn binary_csr_then_sign_steps() {
    let dir = ca_dir();
    let d = path_str(dir.path());
    let csr = squirrel(
        &["ca", "csr", "--server", "--dns", "vault.local", "--dir", d],
        &[],
    );
    assert!(csr.status.success(), "{}", stderr(&csr));
    assert!(
        stdout(&csr).contains("for localhost, vault.local, 127.0.0.1, ::1"),
        "{}",
        stdout(&csr)
    );
    let csr_path = dir.path().join("server.csr");
    let sign = squirrel(
        &["ca", "sign", path_str(&csr_path), "--server", "--dir", d],
        &[],
    );
    assert!(sign.status.success(), "{}", stderr(&sign));
    assert!(
        stdout(&sign).starts_with("Created server.crt for localhost, vault.local, 127.0.0.1, ::1"),
        "{}",
        stdout(&sign)
    );
    let (ok, text) = openssl_verify(dir.path(), "sslserver", "server.crt");
    assert!(ok, "{text}");
    // --server or --client is required.
    let neither = squirrel(&["ca", "sign", path_str(&csr_path), "--dir", d], &[]);
    assert_eq!(neither.status.code(), Some(2));
}

// ---------------------------------------------------------------------------------------
// The vault's development PKI.

fn ensure_dev_pki_makes_ca_server_and_client_once() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("certs");
    let made = pki::ensure_dev_pki(&dir).unwrap();
    assert_eq!(made.len(), 3);
    assert_eq!(made[0].cert, dir.join(pki::CA_CERT));
    assert_eq!(made[1].cert, dir.join(pki::SERVER_CERT));
    assert_eq!(made[2].cert, dir.join(pki::CLIENT_CERT));
    assert!(made[2].p12_password_generated.is_some());
    for file in [
        pki::CA_CERT,
        pki::CA_KEY,
        pki::SERVER_CERT,
        pki::SERVER_KEY,
        pki::CLIENT_CERT,
        pki::CLIENT_KEY,
        pki::CLIENT_P12,
    ] {
        assert!(dir.join(file).exists(), "{file}");
    }
    let (ok, text) = openssl_verify(&dir, "sslserver", pki::SERVER_CERT);
    assert!(ok, "{text}");
    let (ok, text) = openssl_verify(&dir, "sslclient", pki::CLIENT_CERT);
    assert!(ok, "{text}");

    let ca_before = fs::read(dir.join(pki::CA_CERT)).unwrap();
    assert!(pki::ensure_dev_pki(&dir).unwrap().is_empty());
    assert_eq!(fs::read(dir.join(pki::CA_CERT)).unwrap(), ca_before);
}

fn ensure_dev_pki_refuses_a_partial_set_and_overwrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    pki::ensure_dev_pki(dir.path()).unwrap();
    fs::remove_file(dir.path().join(pki::SERVER_KEY)).unwrap();
    let ca_before = fs::read(dir.path().join(pki::CA_CERT)).unwrap();
    let err = pki::ensure_dev_pki(dir.path()).unwrap_err();
    assert!(matches!(err, PkiError::PartialPki { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("server.key missing"), "{message}");
    assert_eq!(fs::read(dir.path().join(pki::CA_CERT)).unwrap(), ca_before);
    assert!(!dir.path().join(pki::SERVER_KEY).exists());

    // A stray file from another set is not overwritten either.
    let other = tempfile::tempdir().unwrap();
    fs::write(other.path().join(pki::CLIENT_KEY), b"mine").unwrap();
    let err = pki::ensure_dev_pki(other.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("ca.crt, server.crt, server.key missing"),
        "{err}"
    );
    assert_eq!(
        fs::read(other.path().join(pki::CLIENT_KEY)).unwrap(),
        b"mine"
    );
}

test_main! {
    server_certificate_passes_openssl_x509_strict: [OPENSSL],
    client_certificate_passes_openssl_x509_strict: [OPENSSL],
    rsa_ca_and_rsa_leaves_pass_openssl_x509_strict: [OPENSSL],
    openssl_refuses_a_server_certificate_for_a_client_purpose: [OPENSSL],
    client_p12_opens_with_openssl_and_holds_key_certificate_and_ca: [OPENSSL],
    generated_p12_password_is_returned_once_and_opens_the_bundle: [OPENSSL],
    python_strict_verification_accepts_the_chain_both_ways: [PYTHON3],
    python_refuses_a_server_certificate_as_client_and_an_unlisted_host: [PYTHON3],
    keys_and_p12_are_mode_0600_and_certificates_0644: [],
    unencrypted_ca_key_comes_with_a_warning_and_an_encrypted_one_without: [OPENSSL],
    existing_files_are_not_overwritten_without_force: [],
    forced_replacement_of_a_world_readable_key_is_mode_0600: [],
    issue_checks_every_file_before_writing_any: [],
    the_name_ca_cannot_overwrite_the_ca: [],
    issuing_without_a_ca_says_to_run_ca_init: [],
    encrypted_ca_key_round_trips_through_passphrase_env: [OPENSSL],
    wrong_or_missing_ca_passphrase_is_a_clear_error: [],
    csr_then_sign_makes_the_same_kind_of_certificate_as_issue: [OPENSSL],
    the_ca_decides_the_usage_not_the_csr: [],
    sign_refuses_a_tampered_csr: [],
    a_server_csr_without_names_is_refused: [],
    leaf_lifetime_over_825_days_is_refused: [],
    ca_is_a_critical_pathlen_0_ca_for_ten_years_and_leaves_last_365_days: [OPENSSL],
    rsa_leaf_gets_key_encipherment_and_ec_leaf_does_not: [],
    extra_server_names_are_kept_once_each: [],
    golden_inspect_text_and_json_of_openssl_made_certificates: [],
    golden_inspect_through_the_binary: [],
    inspect_starts_with_the_plain_words_sentence: [],
    inspect_fingerprint_and_serial_match_openssl: [OPENSSL],
    inspect_reads_der_as_well_as_pem: [],
    inspect_says_when_a_file_is_a_key_not_a_certificate: [],
    verify_passes_a_good_certificate: [],
    verify_says_not_signed_by_this_ca_for_another_cas_certificate: [],
    verify_names_the_usage_when_a_certificate_is_used_for_the_other_role: [],
    verify_reports_expired_and_not_yet_valid_certificates: [],
    verify_explains_a_tutorial_style_certificate_without_key_identifiers: [],
    tutorial_certificates_carry_only_what_the_tutorial_put_in: [OPENSSL],
    openssl_accepts_the_tutorial_chain_classically_and_refuses_it_strictly: [OPENSSL],
    python_strict_verification_refuses_the_tutorial_chain_and_classic_accepts_it: [PYTHON3],
    verify_names_every_strict_rule_the_tutorial_chain_breaks: [],
    a_tutorial_ca_signs_only_the_tutorial_way: [],
    tutorial_signing_of_a_request_without_names_warns_and_verify_explains_the_cn: [],
    binary_tutorial_compat_warns_and_refuses_a_key_type: [],
    binary_init_and_issue_say_what_was_made_and_until_when: [],
    second_init_without_force_exits_1_with_one_error_line: [],
    binary_client_issue_prints_the_p12_password_once: [OPENSSL],
    binary_csr_then_sign_steps: [OPENSSL],
    ensure_dev_pki_makes_ca_server_and_client_once: [OPENSSL],
    ensure_dev_pki_refuses_a_partial_set_and_overwrites_nothing: [],
}
