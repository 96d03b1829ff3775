//! `squirrel tour`: the whole story end to end, what the eavesdropper saw at each stage,
//! nothing left behind — and with --keep, captures Wireshark reads and decrypts.

mod common;
mod tap_support;

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::prereq::TSHARK;
use common::{run as squirrel, text};
use squirrel::tour::{Stage, Tour};
use tap_support::{fields, file_contains, http_bodies};

/// The text of one stage in the tour's output: from its `NN Title` line to the next.
fn stage<'a>(output: &'a str, number: &str) -> &'a str {
    let start = output
        .find(&format!("\n{number} "))
        .unwrap_or_else(|| panic!("no stage {number} in: {output}"));
    let rest = &output[start + 1..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    &rest[..end]
}

/// The folder the tour says it removed, and the ports it says it closed.
fn leftovers(output: &str) -> (PathBuf, Vec<u16>) {
    let line = output
        .lines()
        .find(|l| l.starts_with("Done in "))
        .unwrap_or_else(|| panic!("no closing line: {output}"));
    let ports = line
        .split("(ports ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap_or_else(|| panic!("no ports: {line}"))
        .split(", ")
        .map(|p| p.parse().unwrap())
        .collect();
    let removed = line
        .split("; removed ")
        .nth(1)
        .and_then(|r| r.strip_suffix('.'))
        .unwrap_or_else(|| panic!("no folder: {line}"));
    (PathBuf::from(removed), ports)
}

fn refused(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err()
}

fn tour(dir: &Path, args: &[&str]) -> (String, Duration) {
    tour_with(dir, args, &[])
}

/// The tour with more environment variables (a French student's `LANG`).
fn tour_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> (String, Duration) {
    let started = Instant::now();
    let mut all = vec!["tour"];
    all.extend_from_slice(args);
    let out = squirrel(dir, &all, envs);
    let elapsed = started.elapsed();
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(text(&out.stderr), "", "the story goes to stdout, quietly");
    (text(&out.stdout), elapsed)
}

fn tour_tells_every_stage_and_what_the_eavesdropper_saw() {
    let dir = tempfile::tempdir().unwrap();
    let (output, elapsed) = tour(dir.path(), &[]);
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");

    let s01 = stage(&output, "01");
    assert!(s01.contains("`fluffy tail` is right there"), "{s01}");
    assert!(
        s01.lines()
            .any(|l| l.trim_start().starts_with("00") && l.contains("fluffy tail")),
        "the excerpt shows the secret in clear: {s01}"
    );
    let s02 = stage(&output, "02");
    assert!(s02.contains("`ekteex szhk`"), "{s02}");
    assert!(s02.contains("shift 1 (English) fits best"), "{s02}");
    let s03 = stage(&output, "03");
    assert!(s03.contains("a Fernet token"), "{s03}");
    assert!(s03.contains("gAAAAA"), "{s03}");
    assert!(s03.contains("With another key the client refuses"), "{s03}");
    let s04 = stage(&output, "04");
    assert!(s04.contains("Mallory"), "{s04}");
    assert!(s04.contains("she reads `fluffy tail`"), "{s04}");
    let s05 = stage(&output, "05");
    assert!(s05.contains("I am CN=server"), "{s05}");
    assert!(s05.contains("according to CN=Squirrel Local CA"), "{s05}");
    for number in ["06", "07"] {
        let s = stage(&output, number);
        assert!(s.contains("only TLS records"), "{s}");
        assert!(s.contains("`fluffy tail` nowhere"), "{s}");
        assert!(s.contains("application_data"), "{s}");
        assert!(s.contains("refuse") || s.contains("required"), "{s}");
    }
    let s08 = stage(&output, "08");
    assert!(s08.contains("identical to the original"), "{s08}");
    assert!(s08.contains("Uploaded README.md"), "{s08}");
    for s in [
        s01,
        s02,
        s03,
        s04,
        s05,
        stage(&output, "06"),
        stage(&output, "07"),
        s08,
    ] {
        assert!(
            s.contains("\n   ⇒ "),
            "every stage says what it teaches: {s}"
        );
    }
}

/// The claims of the French tour, stage by stage, as the English test holds them: every
/// stage under its French name, in French, `fluffy tail` in clear at 01 (in the words and
/// in the bytes shown), nowhere from 06 on.
fn assert_french_tour(output: &str) {
    assert!(
        output.starts_with(
            "squirrel tour\u{a0}: les Écureuils secrets protègent `fluffy tail`, étape par étape.\n"
        ),
        "{output}"
    );
    let names = [
        ("01", "HTTP en clair"),
        ("02", "Un chiffrement par substitution"),
        ("03", "Fernet"),
        ("04", "L'échange de clés"),
        ("05", "Une autorité de certification"),
        ("06", "HTTPS"),
        ("07", "TLS mutuel"),
        ("08", "Le coffre de fichiers"),
    ];
    for (number, name) in names {
        let s = stage(output, number);
        assert!(s.starts_with(&format!("{number} {name}\n")), "{s}");
        assert!(
            s.contains("\n   ⇒ "),
            "every stage says what it teaches: {s}"
        );
        if !["04", "05"].contains(&number) {
            assert!(s.contains("\n   L'espion (tap "), "{s}");
            assert!(s.contains(") a vu\u{a0}:\n"), "{s}");
            assert!(s.contains("\n   Capture\u{a0}: "), "{s}");
        }
        for english in [
            "The eavesdropper",
            " saw:",
            "Capture: ",
            "connection #",
            " bytes",
        ] {
            assert!(
                !s.contains(english),
                "English `{english}` in stage {number}: {s}"
            );
        }
    }
    let s01 = stage(output, "01");
    assert!(s01.contains("`fluffy tail` est là, sous ses yeux"), "{s01}");
    assert!(
        s01.lines()
            .any(|l| l.trim_start().starts_with("00") && l.contains("fluffy tail")),
        "the excerpt shows the secret in clear: {s01}"
    );
    let s02 = stage(output, "02");
    assert!(s02.contains("`ekteex szhk`"), "{s02}");
    assert!(
        s02.contains("le décalage 1 (anglais) colle le mieux"),
        "{s02}"
    );
    let s03 = stage(output, "03");
    assert!(s03.contains("un jeton Fernet de"), "{s03}");
    assert!(
        s03.contains("Avec une autre clé, le client refuse"),
        "{s03}"
    );
    assert!(stage(output, "04").contains("elle lit `fluffy tail`"));
    // Stages 05 to 07 tell the certificates' and TLS's own words, in French too.
    let s05 = stage(output, "05");
    assert!(s05.contains("je suis CN=server"), "{s05}");
    let s06 = stage(output, "06");
    assert!(
        s06.contains("Sans --cacert, le client refuse le serveur\u{a0}: la poignée de main TLS"),
        "{s06}"
    );
    for number in ["06", "07", "08"] {
        let s = stage(output, number);
        assert!(s.contains("seulement des enregistrements TLS"), "{s}");
        assert!(s.contains("`fluffy tail` nulle part"), "{s}");
        assert!(!s.contains("EN CLAIR"), "{s}");
        assert!(s.contains("application_data"), "{s}");
    }
    assert!(stage(output, "08").contains("identique à l'original"));
    let end = output.lines().rev().take(3).collect::<Vec<_>>().join("\n");
    assert!(
        end.contains("Ensuite\u{a0}: les leçons une par une — squirrel lessons"),
        "{end}"
    );
    assert!(end.contains("Terminé en "), "{end}");
}

fn tour_with_lang_fr_tells_every_stage_in_french_and_proves_the_same_claims() {
    let dir = tempfile::tempdir().unwrap();
    let (output, _) = tour(dir.path(), &["--lang", "fr"]);
    assert_french_tour(&output);
}

fn tour_speaks_french_under_a_french_locale_and_english_under_c() {
    let dir = tempfile::tempdir().unwrap();
    let french = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "fr_FR.UTF-8")];
    let (output, _) = tour_with(dir.path(), &[], &french);
    assert_french_tour(&output);
    // The test helper's LC_ALL=C.UTF-8 outranks a French LANG.
    let (output, _) = tour_with(dir.path(), &[], &[("LANG", "fr_FR.UTF-8")]);
    assert!(
        output.starts_with("squirrel tour: the Secret Squirrels guard `fluffy tail`"),
        "{output}"
    );
    assert!(stage(&output, "01").contains("`fluffy tail` is right there"));
    assert!(stage(&output, "06").contains("`fluffy tail` nowhere"));
}

fn tour_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (output, _) = tour(dir.path(), &[]);
    let (removed, ports) = leftovers(&output);
    assert!(!removed.exists(), "{} is still there", removed.display());
    // Six servers (the vault's too) and six taps: stages 04 and 05 have no network.
    assert_eq!(ports.len(), 12, "{ports:?}");
    for port in ports {
        assert!(refused(port), "port {port} still accepts connections");
    }
    let here: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(here.is_empty(), "left in the current folder: {here:?}");
}

fn tour_keep_leaves_captures_that_tshark_reads_and_decrypts() {
    let dir = tempfile::tempdir().unwrap();
    let (output, _) = tour(dir.path(), &["--keep", "captures"]);
    let kept = dir.path().join("captures");
    for stem in ["01-plain-http", "02-substitution", "03-fernet"] {
        assert!(kept.join(format!("{stem}.pcap")).is_file(), "{stem}");
    }
    for stem in ["06-https", "07-mutual-tls", "08-vault"] {
        for ext in ["pcap", "keys.log", "pcapng"] {
            let file = kept.join(format!("{stem}.{ext}"));
            assert!(file.is_file(), "{} missing: {output}", file.display());
        }
    }
    // Lesson 01: the secret in clear, a GET and a 200.
    let p01 = kept.join("01-plain-http.pcap");
    assert!(file_contains(&p01, b"fluffy tail"));
    assert_eq!(http_bodies(&p01, None).trim(), "fluffy tail");
    let codes = fields(&p01, None, "http.response", &["http.response.code"]);
    assert_eq!(codes.trim(), "200");
    // Lessons 06 and 07: TLS records, no secret without keys; with them, the secret.
    for stem in ["06-https", "07-mutual-tls"] {
        let pcap = kept.join(format!("{stem}.pcap"));
        let keys = kept.join(format!("{stem}.keys.log"));
        assert!(!file_contains(&pcap, b"fluffy tail"), "{stem}");
        let hello = fields(&pcap, None, "tls.handshake.type == 1", &["frame.number"]);
        assert_eq!(hello.lines().count(), 1, "{stem}: one ClientHello");
        assert_eq!(http_bodies(&pcap, None), "", "{stem}");
        assert_eq!(
            http_bodies(&pcap, Some(&keys)).trim(),
            "fluffy tail",
            "{stem}"
        );
        let pcapng = kept.join(format!("{stem}.pcapng"));
        assert_eq!(http_bodies(&pcapng, None).trim(), "fluffy tail", "{stem}");
    }
    // The vault: the README went up and came back, invisible without the keys.
    let vault = kept.join("08-vault.pcapng");
    let uris = fields(&vault, None, "http.request", &["http.request.uri"]);
    for uri in ["/login", "/upload-file", "/get-files", "/logout"] {
        assert!(uris.lines().any(|l| l == uri), "{uri}: {uris}");
    }
    assert!(!file_contains(&kept.join("08-vault.pcap"), b"password1"));
}

fn tour_library_stops_every_thread_and_port_it_started() {
    let names = || -> Vec<String> {
        std::fs::read_dir("/proc/self/task")
            .map(|tasks| {
                tasks
                    .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                    .map(|n| n.trim().to_string())
                    // Thread names are cut to 15 bytes here: `plain-http-work`.
                    .filter(|n| n.starts_with("tap-") || n.contains("-work"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let tour = Tour::new(None).unwrap();
    let folder = tour.folder().to_path_buf();
    let mut stages: Vec<Stage> = Vec::new();
    let summary = tour.run(&mut |s| stages.push(s.clone())).unwrap();
    let numbers: Vec<u8> = stages.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8]);
    let clear: Vec<(u8, bool)> = stages
        .iter()
        .filter_map(|s| Some((s.number, s.wire.as_ref()?.secret_in_clear)))
        .collect();
    assert_eq!(
        clear,
        [
            (1, true),
            (2, false),
            (3, false),
            (6, false),
            (7, false),
            (8, false)
        ]
    );
    assert!(!folder.exists());
    assert_eq!(summary.removed, folder);
    for addr in &summary.addresses {
        assert!(refused(addr.port()), "{addr} still accepts connections");
    }
    // Copying threads end a moment after their last event.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !names().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(names(), Vec::<String>::new(), "threads left running");
}

test_main! {
    tour_tells_every_stage_and_what_the_eavesdropper_saw: [],
    tour_with_lang_fr_tells_every_stage_in_french_and_proves_the_same_claims: [],
    tour_speaks_french_under_a_french_locale_and_english_under_c: [],
    tour_leaves_nothing_behind: [],
    tour_keep_leaves_captures_that_tshark_reads_and_decrypts: [TSHARK],
    tour_library_stops_every_thread_and_port_it_started: [],
}
