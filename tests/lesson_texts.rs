//! What the lesson texts and the README promise beyond each lesson's own commands (each
//! lesson's staged test runs its text: `tests/common/text`): why the texts teach
//! Decode As, that every file they have a student make is kept out of git, what the
//! README says about the set-up, and how the texts read after one another. Also the
//! text runner's own rules: what it masks, what `…` stands for.

mod common;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::prereq::{GIT, TSHARK};
use common::text::mask::{line_matches, mask, matches};
use common::text::parse::{named_after, sh_lines, Text};
use common::text::shell::tokens;
use common::text::{certificates, read, ROOT};
use common::{run, text};

/// Every command line of the `sh` blocks of `markdown`.
fn sh_commands(markdown: &str) -> Vec<String> {
    Text::parse(markdown)
        .blocks
        .iter()
        .filter(|b| b.lang == "sh")
        .flat_map(sh_lines)
        .map(|(_, line)| line)
        .collect()
}

// ---------------------------------------------------------------------------------------
// The text runner's rules
// ---------------------------------------------------------------------------------------

fn masking_hides_only_what_changes_between_runs() {
    for (shown, masked) in [
        (
            "From 22 Nov 2026 04:08:51 UTC to 24 Dec 2027 04:08:51 UTC, I am CN=server",
            "From <date> to <date>, I am CN=server",
        ),
        (
            "Created the CA X (a, b) — valid until 19 Nov 2036",
            "Created the CA X (a, b) — valid until <date>",
        ),
        (
            "sha256 Fingerprint=FD:C3:0D:D1:F6:2C:66:D6:5D:04:E2:47",
            "sha256 Fingerprint=<hex>",
        ),
        ("(SHA-256 B5:DC…BE:17, valid", "(SHA-256 <hex>, valid"),
        (
            "Serial:              7177304720EEA6F08E824BF45AB6A66B",
            "Serial:              <hex>",
        ),
        (
            "The p12 password is: RMenXyg72jxQ (shown only once)  ",
            "The p12 password is: <password> (shown only once)",
        ),
        ("error 85 at 0 depth lookup", "error 85 at 0 depth lookup"),
        (
            "2026-11-22T03:55:05.347Z  [127.0.0.1:36154]  alice: fluffy tail",
            "<time>  [127.0.0.1:<port>]  alice: fluffy tail",
        ),
        (
            "vault download README.md_2026-11-22T10-00-00.enc",
            "vault download README.md_<time>.enc",
        ),
        (
            "The token on the wire: gAAAAABn...",
            "The token on the wire: <token>",
        ),
        (
            "salt nF4p0Qx24wCIx4naLSJHPQ==, verifier tdEGiwW2NO3X…, key 75f0 1bea 34ed 9c3a…",
            "salt <base64>, verifier <random>…, key <fingerprint>…",
        ),
        (
            "0020  35 36 38 34 0d 0a 43 6f  6e 6e 65 63 74 69 6f 6e   5684..Connection",
            "0020  <16 bytes>  5684..Connection",
        ),
        // What a student reads and types stays: counts, the tutorial's port, words.
        (
            "This is a chat log: 3 messages, 94 letters in all, on 127.0.0.1:5683.",
            "This is a chat log: 3 messages, 94 letters in all, on 127.0.0.1:5683.",
        ),
    ] {
        assert_eq!(mask(shown), masked, "{shown}");
    }
}

fn an_ellipsis_stands_for_any_lines_or_characters() {
    assert!(line_matches(
        "The shift is 1 (English: …).",
        "The shift is 1 (English: chi 16.3)."
    ));
    assert!(!line_matches(
        "The shift is 1 (English: …).",
        "The shift is 2 (English: chi 16.3)."
    ));
    assert!(line_matches(
        "#0 … end (the … finished sending)",
        "#0 client → server: end (the client finished sending)"
    ));
    assert!(matches(&["a", "…", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a", "…", "d"], &["a", "d"]));
    assert!(!matches(&["a", "…", "d"], &["a", "b"]));
    assert!(
        !matches(&["a", "b"], &["a", "b", "c"]),
        "lines past the text's are output it does not show"
    );
}

// ---------------------------------------------------------------------------------------
// Why Decode As: Wireshark's guesses for the tutorial's ports
// ---------------------------------------------------------------------------------------

/// A capture of one plain-HTTP exchange (or TLS bytes) between 127.0.0.1:40000 and
/// 127.0.0.1:`port`, written with the tap's pcap writer.
fn capture_on_port(dir: &Path, port: u16, request: &[u8], reply: &[u8]) -> PathBuf {
    use squirrel::tap::{Direction, Event, Segment};
    let at = SystemTime::now();
    let server = format!("127.0.0.1:{port}").parse().unwrap();
    let data = |direction, bytes: &[u8]| {
        Event::Data(Segment {
            connection: 0,
            direction,
            at,
            bytes: bytes.to_vec(),
        })
    };
    let events = vec![
        Event::Open {
            connection: 0,
            client: "127.0.0.1:40000".parse().unwrap(),
            tap: server,
            server,
            at,
        },
        data(Direction::ToServer, request),
        data(Direction::ToClient, reply),
    ];
    let path = dir.join(format!("{port}.pcap"));
    squirrel::pcap::write_pcap(&path, &squirrel::pcap::packets(&events)).unwrap();
    path
}

fn tshark_protocols(path: &Path, decode_as: Option<&str>) -> String {
    let mut command = TSHARK.command();
    command.arg("-r").arg(path);
    if let Some(rule) = decode_as {
        command.args(["-d", rule]);
    }
    let out = command
        .args([
            "-T",
            "fields",
            "-e",
            "_ws.col.Protocol",
            "-Y",
            "tcp.len > 0",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn wireshark_reads_5683_as_coap_and_5000_as_gsm_until_decode_as_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:5683\r\nConnection: close\r\n\r\n";
    let reply = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\
                  Content-Length: 11\r\nConnection: close\r\n\r\nfluffy tail";
    let lesson01 = capture_on_port(dir.path(), 5683, request, reply);
    assert_eq!(tshark_protocols(&lesson01, None), "CoAP CoAP");
    assert_eq!(
        tshark_protocols(&lesson01, Some("tcp.port==5683,http")),
        "HTTP HTTP"
    );

    // A vault handshake's first bytes: a TLS 1.2 record holding the start of a Client
    // Hello, and the start of the server's reply.
    let hello = [
        0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03, 0x11, 0x22, 0x33, 0x44,
        0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11, 0x22, 0x33,
        0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11, 0x22,
        0x33, 0x44, 0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
    ];
    let alert = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28];
    let vault = capture_on_port(dir.path(), 5000, &hello, &alert);
    let guessed = tshark_protocols(&vault, None);
    assert!(
        !guessed.contains("TLS"),
        "5000 is read as TLS already: {guessed}"
    );
    assert!(guessed.contains("RSL"), "{guessed}");
    // A Client Hello's record says TLS 1.0 for compatibility: tshark names it TLSv1.
    assert_eq!(
        tshark_protocols(&vault, Some("tcp.port==5000,tls")),
        "TLSv1 TLSv1.2"
    );
}

// ---------------------------------------------------------------------------------------
// The rest of what the texts and README promise
// ---------------------------------------------------------------------------------------

/// The files the lesson texts have a student make in the project folder.
fn files_the_lessons_make() -> Vec<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(Path::new(ROOT).join("lessons")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in sh_commands(&text) {
            let words: Vec<String> = tokens(&line).0.into_iter().map(|t| t.raw).collect();
            for (i, word) in words.iter().enumerate() {
                let next = words.get(i + 1).cloned();
                let made = match word.as_str() {
                    ">" | "-w" | "--pcap" | "--pcapng" | "--keylog" => next,
                    _ => word.strip_prefix("SSLKEYLOGFILE=").map(str::to_string),
                };
                files.extend(made.filter(|f| !f.starts_with('/')));
            }
        }
        // Files saved from Wireshark's dialogs: "Export Packet Bytes… → `server.der`".
        for saved in named_after(&text, "→ ") {
            if saved.contains('.') && !saved.contains(' ') {
                files.push(saved);
            }
        }
    }
    files.extend(
        [
            "log.txt",
            "certs/ca.key",
            "vault-data/users.json",
            "downloads/README.md",
        ]
        .map(String::from),
    );
    files.sort();
    files.dedup();
    files
}

fn every_file_the_lessons_make_is_ignored_by_git() {
    let files = files_the_lessons_make();
    for expected in ["secret.txt", "lesson01.pcapng", "keys.log", "server.der"] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} not found in {files:?}"
        );
    }
    let out = GIT
        .command()
        .args(["check-ignore", "--no-index", "--verbose", "--non-matching"])
        .args(&files)
        .current_dir(ROOT)
        .output()
        .unwrap();
    let report = text(&out.stdout);
    let not_ignored: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| l.trim_start_matches("::").trim())
        .collect();
    assert!(
        not_ignored.is_empty(),
        "not in .gitignore: {not_ignored:?}\n{report}{}",
        text(&out.stderr)
    );
}

fn the_readme_says_how_to_put_squirrel_on_the_path() {
    let readme = read("README.md");
    let install = readme
        .find("cargo install --path .")
        .expect("README: no `cargo install --path .`");
    let before: &str = &readme[..install];
    let setup = before.rfind("## ").map_or("", |at| &before[at..]);
    assert!(
        setup.starts_with("## Set-up") || setup.starts_with("## Prerequisites"),
        "README: `cargo install --path .` should come with the set-up, not under {:?}",
        setup.lines().next()
    );
    assert!(readme.contains("~/.cargo/bin"), "README: say where it goes");
}

fn the_texts_send_students_only_to_tools_the_readme_lists() {
    let readme = read("README.md");
    let prerequisites = &readme[readme.find("## Prerequisites").unwrap()..];
    let prerequisites = &prerequisites[..prerequisites[3..]
        .find("\n## ")
        .unwrap_or(prerequisites.len())];
    for tool in ["tshark", "curl", "openssl", "python3", "tcpdump"] {
        let used = std::fs::read_dir(Path::new(ROOT).join("lessons"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .any(|text| text.contains(&format!("{tool} ")) || text.contains(&format!("`{tool}`")));
        if used {
            assert!(
                prerequisites.contains(tool),
                "the lessons use {tool}, the README's prerequisites do not list it"
            );
        }
    }
}

/// A student who did lesson 05 and opens lesson 06 or 07: their set-up commands refuse,
/// and the text says so, with the very message, and says to skip them.
fn after_lesson_05_the_set_up_of_06_and_07_says_the_files_exist_and_to_skip_it() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    for file in ["lessons/06-https.md", "lessons/07-mutual-tls.md"] {
        let text = read(file);
        // Inline code may wrap: Markdown reads the line break as a space.
        let flat = text.replace('\n', " ");
        let setup_block = &text[text.find("## The commands").unwrap()..];
        let setup: Vec<String> = sh_commands(setup_block)
            .into_iter()
            .take_while(|l| l.contains(" ca "))
            .collect();
        assert!(!setup.is_empty(), "{file}: no set-up commands");
        for line in setup {
            let words: Vec<String> = tokens(&line).0.into_iter().map(|t| t.word).collect();
            let dashes = words.iter().position(|w| w == "--").unwrap();
            let args: Vec<&str> = words[dashes + 1..].iter().map(String::as_str).collect();
            let out = run(dir.path(), &args, &[]);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{file}: `{line}` after lesson 05"
            );
            let error = String::from_utf8_lossy(&out.stderr);
            let first = error.lines().next().unwrap();
            assert!(
                flat.contains(&format!("`{first}`")),
                "{file} does not show what `{line}` says after lesson 05: {first}"
            );
        }
        let prose = Text::parse(setup_block.split("\n## ").next().unwrap()).prose;
        assert!(
            prose.contains("skip"),
            "{file}: the set-up does not say to skip what lesson 05 made"
        );
    }
}

test_main! {
    masking_hides_only_what_changes_between_runs: [],
    an_ellipsis_stands_for_any_lines_or_characters: [],
    wireshark_reads_5683_as_coap_and_5000_as_gsm_until_decode_as_says_otherwise: [TSHARK],
    every_file_the_lessons_make_is_ignored_by_git: [GIT],
    the_readme_says_how_to_put_squirrel_on_the_path: [],
    the_texts_send_students_only_to_tools_the_readme_lists: [],
    after_lesson_05_the_set_up_of_06_and_07_says_the_files_exist_and_to_skip_it: [],
}
