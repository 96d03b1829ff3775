//! `squirrel ca install` / `uninstall`: our CA in the browsers' NSS databases and the
//! system store, and out again, touching nothing else; checked with NSS's own certutil
//! and pk12util, curl and Python. Every test has its own HOME (its own NSS databases).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::prereq::{CERTUTIL, CURL, PK12UTIL, PYTHON3, ROOT, SYSTEM_TRUST_STORE};
use common::{ok, run, text};

/// A folder with a CA and a HOME of its own.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        let place = Place {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(place.home()).unwrap();
        ok(&place.squirrel(&["ca", "init"], &[]));
        place
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    fn nssdb(&self) -> PathBuf {
        self.home().join(".pki/nssdb")
    }

    /// `squirrel ARGS` here, with this HOME and `envs` (TRUST_STORES=nss unless given).
    fn squirrel(&self, args: &[&str], envs: &[(&str, &str)]) -> Output {
        let home = self.home();
        let mut all = vec![("HOME", home.to_str().unwrap())];
        if !envs.iter().any(|(k, _)| *k == "TRUST_STORES") {
            all.push(("TRUST_STORES", "nss"));
        }
        all.extend_from_slice(envs);
        run(self.dir.path(), args, &all)
    }

    /// `certutil -L -d sql:DB`: the nicknames and trust attributes.
    fn nss_list(&self, db: &Path) -> String {
        let out = CERTUTIL
            .command()
            .args(["-L", "-d"])
            .arg(format!("sql:{}", db.display()))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    }

    /// The SHA-256 fingerprint of certs/ca.crt as 64 hex digits.
    fn fingerprint(&self) -> String {
        let pem = std::fs::read(self.dir.path().join("certs/ca.crt")).unwrap();
        let cert = openssl::x509::X509::from_pem(&pem).unwrap();
        let digest = cert.digest(openssl::hash::MessageDigest::sha256()).unwrap();
        squirrel::hex::encode_upper(&digest)
    }
}

/// The trust attributes of the NSS entry named `nickname` in a `certutil -L` listing.
fn trust_of(listing: &str, nickname: &str) -> Option<String> {
    listing.lines().find_map(|line| {
        let rest = line.strip_prefix(nickname)?;
        Some(rest.trim().to_string())
    })
}

fn install_puts_the_ca_in_a_new_nss_database_and_a_second_run_changes_nothing() {
    let place = Place::new();
    let out = place.squirrel(&["ca", "install"], &[]);
    let stdout = ok(&out);
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("Installed \"Squirrel Local CA\" (SHA-256 ")
            && first.ends_with("in Chromium (NSS) (~/.pki/nssdb)"),
        "{stdout}"
    );
    assert!(first.contains("valid until "), "{first}");
    assert!(
        stdout.contains("restart a running Chromium or Firefox"),
        "{stdout}"
    );
    let nickname = format!("Squirrel Local CA {}", place.fingerprint());
    let listing = place.nss_list(&place.nssdb());
    assert_eq!(
        trust_of(&listing, &nickname).as_deref(),
        Some("C,,"),
        "{listing}"
    );

    let again = ok(&place.squirrel(&["ca", "install"], &[]));
    assert!(
        again.starts_with("Already installed: \"Squirrel Local CA\""),
        "{again}"
    );
    assert_eq!(
        place.nss_list(&place.nssdb()),
        listing,
        "a second run changed the database"
    );
}

fn uninstall_removes_our_ca_and_no_other_and_keeps_the_files() {
    let ours = Place::new();
    let theirs = Place::new();
    // Both CAs are called "Squirrel Local CA"; only the fingerprint tells them apart.
    let their_ca = theirs.dir.path().join("certs/ca.crt");
    let db = format!("sql:{}", ours.nssdb().display());
    ok(&ours.squirrel(&["ca", "install"], &[]));
    let out = CERTUTIL
        .command()
        .args([
            "-A",
            "-t",
            "C,,",
            "-n",
            "Squirrel Local CA (another class)",
            "-d",
            &db,
            "-i",
        ])
        .arg(&their_ca)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    let stdout = ok(&ours.squirrel(&["ca", "uninstall"], &[]));
    assert!(
        stdout.starts_with("Removed \"Squirrel Local CA\"")
            && stdout.contains("from Chromium (NSS) (~/.pki/nssdb)"),
        "{stdout}"
    );
    assert!(stdout.contains("The files stay: certs/ca.crt"), "{stdout}");
    let listing = ours.nss_list(&ours.nssdb());
    assert!(!listing.contains(&ours.fingerprint()), "{listing}");
    assert_eq!(
        trust_of(&listing, "Squirrel Local CA (another class)").as_deref(),
        Some("C,,"),
        "{listing}"
    );
    assert!(ours.dir.path().join("certs/ca.crt").is_file());
    assert!(ours.dir.path().join("certs/ca.key").is_file());

    let again = ok(&ours.squirrel(&["ca", "uninstall"], &[]));
    assert!(
        again.starts_with("Not installed, nothing to remove: Chromium (NSS)"),
        "{again}"
    );
}

fn firefox_profiles_get_the_ca_too() {
    let place = Place::new();
    let profile = place
        .home()
        .join(".mozilla/firefox/abcd1234.default-release");
    std::fs::create_dir_all(&profile).unwrap();
    let out = CERTUTIL
        .command()
        .args(["-N", "--empty-password", "-d"])
        .arg(format!("sql:{}", profile.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A folder without cert9.db is not a profile.
    std::fs::create_dir_all(place.home().join(".mozilla/firefox/Crash Reports")).unwrap();

    let stdout = ok(&place.squirrel(&["ca", "install"], &[]));
    assert!(
        stdout.contains(
            "in Firefox profile abcd1234.default-release (NSS) (~/.mozilla/firefox/abcd1234.default-release)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Crash Reports"), "{stdout}");
    let nickname = format!("Squirrel Local CA {}", place.fingerprint());
    assert_eq!(
        trust_of(&place.nss_list(&profile), &nickname).as_deref(),
        Some("C,,")
    );
    ok(&place.squirrel(&["ca", "uninstall"], &[]));
    assert!(!place.nss_list(&profile).contains(&place.fingerprint()));
}

fn a_p12_import_brings_the_ca_untrusted_and_install_trusts_that_entry_only() {
    let place = Place::new();
    ok(&place.squirrel(
        &["ca", "issue", "--client", "--p12-password-env", "P12"],
        &[("P12", "acorns")],
    ));
    // What lesson 07 tells a Linux user to do: NSS's own importer.
    std::fs::create_dir_all(place.nssdb()).unwrap();
    let db = format!("sql:{}", place.nssdb().display());
    let out = CERTUTIL
        .command()
        .args(["-N", "--empty-password", "-d", &db])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p12 = place.dir.path().join("certs/client.p12");
    let out = PK12UTIL
        .command()
        .args(["-d", &db, "-W", "acorns", "-i"])
        .arg(&p12)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pk12util refused our .p12: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let imported = place.nss_list(&place.nssdb());
    assert_eq!(
        trust_of(&imported, "client").as_deref(),
        Some("u,u,u"),
        "{imported}"
    );
    assert_eq!(
        trust_of(&imported, "Squirrel Local CA - Secret Squirrels").as_deref(),
        Some(",,"),
        "{imported}"
    );

    let stdout = ok(&place.squirrel(&["ca", "install"], &[]));
    assert!(stdout.starts_with("Installed "), "{stdout}");
    let listing = place.nss_list(&place.nssdb());
    assert_eq!(
        trust_of(&listing, "Squirrel Local CA - Secret Squirrels").as_deref(),
        Some("C,,"),
        "{listing}"
    );
    let inspect = ok(&place.squirrel(&["ca", "inspect", "certs/ca.crt"], &[]));
    assert!(
        inspect.contains("Trust stores:        Chromium (NSS) ~/.pki/nssdb: installed"),
        "{inspect}"
    );
    // Uninstall takes back the trust it gave and leaves the imported entry.
    ok(&place.squirrel(&["ca", "uninstall"], &[]));
    assert_eq!(place.nss_list(&place.nssdb()), imported);
}

fn inspect_says_in_which_store_the_ca_is() {
    let place = Place::new();
    let before = ok(&place.squirrel(&["ca", "inspect", "certs/ca.crt"], &[]));
    assert!(
        before.ends_with(
            "Trust stores:        Chromium (NSS) ~/.pki/nssdb: not installed\n                     (trust it here with: squirrel ca install)\n"
        ),
        "{before}"
    );
    ok(&place.squirrel(&["ca", "install"], &[]));
    let after = ok(&place.squirrel(&["ca", "inspect", "certs/ca.crt"], &[]));
    assert!(
        after.ends_with("Trust stores:        Chromium (NSS) ~/.pki/nssdb: installed\n"),
        "{after}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(
        &place.squirrel(&["ca", "inspect", "certs/ca.crt", "--json"], &[])
    ))
    .unwrap();
    assert_eq!(json["trust_stores"][0]["store"], "Chromium (NSS)");
    assert_eq!(json["trust_stores"][0]["installed"], true);
    // A server certificate is trusted through its CA: no store lines.
    ok(&place.squirrel(&["ca", "issue", "--server"], &[]));
    let leaf = ok(&place.squirrel(&["ca", "inspect", "certs/server.crt"], &[]));
    assert!(!leaf.contains("Trust stores"), "{leaf}");
}

fn without_certutil_install_says_what_to_install_in_one_line() {
    let place = Place::new();
    // No PATH at all: no certutil, no update-ca-certificates.
    let out = place.squirrel(&["ca", "install"], &[("PATH", "")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        ["Skipped Chromium and Firefox (NSS): certutil is missing (install it: sudo apt-get install libnss3-tools)"]
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: \"Squirrel Local CA\" (SHA-256 ")
            && stderr.contains("is in no trust store yet"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

fn unknown_trust_stores_and_a_missing_ca_are_one_line_errors() {
    let place = Place::new();
    let out = place.squirrel(&["ca", "install"], &[("TRUST_STORES", "nss,java")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: TRUST_STORES names an unknown store \"java\" (known: nss, system)\nhint: TRUST_STORES=nss,system, or unset it for both\n"
    );
    let out = place.squirrel(&["ca", "install", "--dir", "nowhere"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot read nowhere/ca.crt")
            && stderr.ends_with("hint: make the CA first: squirrel ca init (or pass --dir DIR)\n"),
        "{stderr}"
    );
}

/// `--lang fr`: a store left alone, the refusal and its hint in French.
fn install_speaks_french_with_lang_fr() {
    let place = Place::new();
    let out = place.squirrel(&["ca", "install", "--lang", "fr"], &[("PATH", "")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stdout).lines().collect::<Vec<_>>(),
        ["Laissé de côté\u{a0}: Chromium et Firefox (NSS), car certutil est absent (installez-le\u{a0}: sudo apt-get install libnss3-tools)"]
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("erreur\u{a0}: la CA «\u{a0}Squirrel Local CA\u{a0}» (SHA-256 ")
            && stderr.contains(", valable jusqu'au ")
            && stderr.contains(") n'est encore dans aucun magasin de confiance\nconseil\u{a0}: voyez les lignes ci-dessus"),
        "{stderr}"
    );
    let out = place.squirrel(
        &["ca", "install", "--lang", "fr"],
        &[("TRUST_STORES", "nss,java")],
    );
    assert_eq!(
        text(&out.stderr),
        "erreur\u{a0}: TRUST_STORES nomme un magasin inconnu, \"java\" (connus\u{a0}: nss, system)\nconseil\u{a0}: TRUST_STORES=nss,system, ou supprimez la variable pour avoir les deux\n"
    );
}

fn the_system_store_needs_root_and_says_to_use_sudo() {
    let place = Place::new();
    // Everything readable by `nobody`, who runs the command: the binary is copied here,
    // since the build's own folder may be closed to other users.
    let bin = place.dir.path().join("squirrel");
    std::fs::copy(common::BIN, &bin).unwrap();
    let out = std::process::Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(place.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = {
        use std::os::unix::process::CommandExt;
        std::process::Command::new(&bin)
            .current_dir(place.dir.path())
            .args(["ca", "install"])
            .env("HOME", place.home())
            .env("TRUST_STORES", "system")
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap()
    };
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Skipped the system store (")
            && stdout.ends_with(
                "changing it needs root (run: sudo squirrel ca install; or TRUST_STORES=nss to leave it alone)\n"
            ),
        "{stdout}"
    );
}

/// Takes the test CA out of the system store however the test ends.
struct SystemStoreGuard<'a>(&'a Place);

impl Drop for SystemStoreGuard<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .squirrel(&["ca", "uninstall"], &[("TRUST_STORES", "system")]);
    }
}

fn as_root_the_system_store_makes_curl_and_python_trust_our_servers_until_uninstall() {
    let place = Place::new();
    ok(&place.squirrel(&["ca", "issue", "--server"], &[]));
    // Lesson 06's server: HTTPS with no client certificate, which curl can fetch.
    let server = common::spawn_server(
        place.dir.path(),
        &["https", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("https://localhost:{}/", server.port);
    let curl = || CURL.command().args(["-sS", &url]).output().unwrap();
    let python = || {
        PYTHON3
            .command()
            .args([
                "-c",
                "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())",
                &url,
            ])
            .output()
            .unwrap()
    };
    assert_eq!(
        curl().status.code(),
        Some(60),
        "curl trusted our CA before install"
    );

    let guard = SystemStoreGuard(&place);
    let stdout = ok(&place.squirrel(&["ca", "install"], &[("TRUST_STORES", "system")]));
    let file = format!("squirrel-{}.crt", &place.fingerprint()[..16]);
    assert!(
        stdout.starts_with("Installed \"Squirrel Local CA\"")
            && stdout.contains("in the system store (/usr/local/share/ca-certificates)"),
        "{stdout}"
    );
    assert!(Path::new("/usr/local/share/ca-certificates")
        .join(&file)
        .is_file());
    let out = curl();
    assert!(out.status.success(), "curl: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "fluffy tail");
    let out = python();
    assert!(out.status.success(), "python: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "fluffy tail\n");
    let inspect = ok(&place.squirrel(
        &["ca", "inspect", "certs/ca.crt"],
        &[("TRUST_STORES", "system")],
    ));
    assert!(
        inspect.contains("the system store /usr/local/share/ca-certificates: installed"),
        "{inspect}"
    );

    let stdout = ok(&place.squirrel(&["ca", "uninstall"], &[("TRUST_STORES", "system")]));
    assert!(
        stdout.starts_with("Removed \"Squirrel Local CA\""),
        "{stdout}"
    );
    drop(guard);
    assert!(!Path::new("/usr/local/share/ca-certificates")
        .join(&file)
        .exists());
    // No link is left in /etc/ssl/certs pointing at the removed file.
    let pem = format!("squirrel-{}.pem", &place.fingerprint()[..16]);
    assert!(std::fs::symlink_metadata(Path::new("/etc/ssl/certs").join(pem)).is_err());
    assert_eq!(curl().status.code(), Some(60), "curl still trusts our CA");
    assert!(!python().status.success(), "python still trusts our CA");
}

test_main! {
    install_puts_the_ca_in_a_new_nss_database_and_a_second_run_changes_nothing: [CERTUTIL],
    uninstall_removes_our_ca_and_no_other_and_keeps_the_files: [CERTUTIL],
    firefox_profiles_get_the_ca_too: [CERTUTIL],
    a_p12_import_brings_the_ca_untrusted_and_install_trusts_that_entry_only: [CERTUTIL, PK12UTIL],
    inspect_says_in_which_store_the_ca_is: [CERTUTIL],
    without_certutil_install_says_what_to_install_in_one_line: [],
    unknown_trust_stores_and_a_missing_ca_are_one_line_errors: [],
    install_speaks_french_with_lang_fr: [],
    the_system_store_needs_root_and_says_to_use_sudo: [ROOT],
    as_root_the_system_store_makes_curl_and_python_trust_our_servers_until_uninstall: [SYSTEM_TRUST_STORE, CURL, PYTHON3],
}
