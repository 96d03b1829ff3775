//! Lesson 02's claims: the shift cipher works as the tutorial's (and undoes itself on any
//! text), frequency analysis breaks it in English and French, and the chat relay passes
//! and logs only ciphertext — which the eavesdropper then cracks.
//!
//! Run: `cargo test --test lesson02_substitution`

mod common;

use common::prereq::{LIVE_CAPTURE, TSHARK};
use common::text;
use common::text::TextRun;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use squirrel::http::Url;
use squirrel::lessons::l02_substitution::{
    self as lesson, ChatClient, ChatRoom, Language, SubstitutionError, KEPT_MESSAGES,
    MAX_MESSAGE_BYTES,
};
use squirrel::lessons::SECRET;
use squirrel::server::ServerHandle;

/// Lewis Carroll, *Alice's Adventures in Wonderland* (1865), chapter I: public domain.
const ALICE: &str = include_str!("../src/lessons/data/alice.txt");

/// Victor Hugo, *Les Misérables* (1862), tome I, livre I, chapitre I: public domain.
const MISERABLES: &str = include_str!("../src/lessons/data/miserables.txt");

/// The first paragraph of each, shorter texts for the harder case.
fn first_paragraph(text: &str) -> &str {
    text.split("\n\n").next().unwrap_or(text)
}

fn tutorial_key_1_turns_fluffy_tail_into_ekteex_szhk_and_back() {
    assert_eq!(lesson::encrypt(SECRET, 1), "ekteex szhk");
    assert_eq!(lesson::decrypt("ekteex szhk", 1), SECRET);
    // A→Z, B→A, case kept, everything else unchanged.
    assert_eq!(lesson::encrypt("AaBb Zz, 42!", 1), "ZzAa Yy, 42!");
    // 26 places back is no change at all; 27 is 1; −1 moves forward.
    assert_eq!(lesson::encrypt(SECRET, 26), SECRET);
    assert_eq!(lesson::encrypt(SECRET, 27), "ekteex szhk");
    assert_eq!(lesson::encrypt("ekteex szhk", -1), SECRET);
}

fn decrypt_undoes_encrypt_on_random_text_with_accents_digits_punctuation_and_emoji() {
    let pools: [&[char]; 5] = [
        &['a', 'q', 'z', 'A', 'M', 'Z', ' ', '\n', '\t'],
        &[
            'é', 'è', 'ê', 'ë', 'à', 'ç', 'ñ', 'ÿ', 'Ÿ', 'ő', 'İ', 'ı', 'ß', 'Æ', 'ł', 'ž', 'Ž',
        ],
        &[
            '0', '7', '9', '.', ',', '!', '?', '«', '»', '—', '\'', '"', '|', ']',
        ],
        &['🐿', '️', '🌰', '🔐', '\u{301}', '\u{200d}', '中', 'Ω'],
        &[],
    ];
    let mut rng = StdRng::seed_from_u64(0x5eed_0002);
    for _ in 0..2000 {
        let len = rng.random_range(0..60);
        let text: String = (0..len)
            .map(|_| {
                let pool = pools[rng.random_range(0..pools.len())];
                if pool.is_empty() {
                    // Any Unicode scalar value at all.
                    loop {
                        if let Some(c) = char::from_u32(rng.random_range(0..0x11_0000)) {
                            break c;
                        }
                    }
                } else {
                    pool[rng.random_range(0..pool.len())]
                }
            })
            .collect();
        let shift = rng.random_range(-100..100);
        let encrypted = lesson::encrypt(&text, shift);
        assert_eq!(
            lesson::decrypt(&encrypted, shift),
            text,
            "shift {shift}: {text:?}"
        );
        // Letters move but the shape stays: same number of characters.
        assert_eq!(encrypted.chars().count(), text.chars().count());
    }
}

fn accented_letters_keep_their_accent_and_case() {
    let encrypted = lesson::encrypt("Éléphant à Noël", 1);
    assert_eq!(encrypted, "Ćkćogzms ù Mnäk");
    assert_eq!(lesson::decrypt(&encrypted, 1), "Éléphant à Noël");
}

fn frequency_analysis_finds_every_shift_of_an_english_text() {
    for shift in 0..26 {
        let ciphertext = lesson::encrypt(ALICE, shift);
        for language in [Some(Language::English), None] {
            let cracked = lesson::crack(&ciphertext, language).unwrap();
            assert_eq!(i64::from(cracked.best.shift), shift, "{language:?}");
            assert_eq!(cracked.best.language, Language::English);
            assert_eq!(cracked.plaintext, ALICE);
            assert!(cracked.is_sure());
        }
        let short = lesson::encrypt(first_paragraph(ALICE), shift);
        assert_eq!(
            i64::from(lesson::crack(&short, None).unwrap().best.shift),
            shift
        );
    }
}

fn frequency_analysis_finds_every_shift_of_a_french_text() {
    for shift in 0..26 {
        let ciphertext = lesson::encrypt(MISERABLES, shift);
        for language in [Some(Language::French), None] {
            let cracked = lesson::crack(&ciphertext, language).unwrap();
            assert_eq!(i64::from(cracked.best.shift), shift, "{language:?}");
            assert_eq!(cracked.best.language, Language::French);
            // Accents included: the whole text comes back.
            assert_eq!(cracked.plaintext, MISERABLES);
        }
        let short = lesson::encrypt(first_paragraph(MISERABLES), shift);
        assert_eq!(
            i64::from(lesson::crack(&short, None).unwrap().best.shift),
            shift
        );
    }
}

fn the_right_shift_wins_by_a_wide_margin_on_a_paragraph() {
    let cracked = lesson::crack(&lesson::encrypt(ALICE, 5), None).unwrap();
    let runner_up = cracked.runner_up().unwrap();
    assert!(runner_up.chi_squared > 10.0 * cracked.best.chi_squared);
    assert_eq!(cracked.ranking.len(), 26);
}

fn too_few_letters_are_flagged_as_unsure_and_none_is_an_error() {
    let cracked = lesson::crack("ekteex szhk", None).unwrap();
    assert_eq!(cracked.letters, 10);
    assert!(!cracked.is_sure());
    assert!(matches!(
        lesson::crack("1234 !?", None),
        Err(SubstitutionError::NoLetters)
    ));
}

/// `squirrel ARGS` in a fresh folder with `input` on its stdin: (exit success, stdout,
/// stderr).
fn squirrel(args: &[&str], input: Option<&str>) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = common::run_with_input(dir.path(), args, &[], input.unwrap_or(""));
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

fn binary_encrypts_the_tutorial_example_and_cracks_stdin() {
    let (ok, out, _) = squirrel(&["2", "encrypt", "--shift", "1", "fluffy tail"], None);
    assert!(ok);
    assert_eq!(out, "ekteex szhk\n");
    let (ok, out, _) = squirrel(
        &["substitution", "decrypt", "--shift", "1"],
        Some("ekteex szhk\n"),
    );
    assert!(ok);
    assert_eq!(out, "fluffy tail\n");
    let (ok, out, _) = squirrel(&["2", "crack"], Some(&lesson::encrypt(ALICE, 9)));
    assert!(ok);
    assert!(out.starts_with("The shift is 9 (English"), "{out}");
    assert!(
        out.contains("Alice was beginning to get very tired"),
        "{out}"
    );
}

fn crack_puts_its_doubt_about_a_short_text_in_the_answer_itself() {
    let (ok, out, err) = squirrel(&["2", "crack"], Some("ekteex szhk"));
    assert!(ok);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "Not sure: 10 letters are too few for frequency analysis (it wants 20 or more). \
             The best fit, shift 9 (French: chi-squared 41.0; next best: shift 22 at 41.3), \
             may well be wrong."
        )
    );
    assert!(out.contains("  shift  1 (53.3): fluffy tail\n"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("The line that reads as words gives the shift; check it with: squirrel substitution decrypt --shift N")
    );
    assert!(!out.contains("The shift is"), "{out}");
    assert_eq!(err, "", "the doubt is in the answer, not only on stderr");
}

/// A `squirrel substitution chat-server` in `dir` with its log level left at the
/// default (info), its stderr going to `dir/server.err`; returns it and its port.
fn spawn_relay(dir: &Path) -> (std::process::Child, u16) {
    use std::io::BufRead;
    let stderr = std::fs::File::create(dir.join("server.err")).unwrap();
    let mut child = common::squirrel(
        dir,
        &["substitution", "chat-server", "--addr", "127.0.0.1:0"],
        &[],
    )
    .env_remove("RUST_LOG")
    .stdout(std::process::Stdio::piped())
    .stderr(stderr)
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().unwrap().unwrap();
    let port = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    std::thread::spawn(move || for _ in lines {});
    (child, port)
}

fn the_relay_logs_each_message_but_not_the_polls_at_info_level() {
    let dir = tempfile::tempdir().unwrap();
    let (mut relay, port) = spawn_relay(dir.path());
    let url = format!("http://127.0.0.1:{port}");
    let (ok, out, err) = squirrel(
        &["substitution", "chat", "--name", "alice", "--url", &url],
        Some("fluffy tail\n"),
    );
    assert!(ok, "{out}{err}");
    relay.kill().unwrap();
    relay.wait().unwrap();
    let log = std::fs::read_to_string(dir.path().join("server.err")).unwrap();
    assert!(log.contains("chat: message #0 from 127.0.0.1:"), "{log}");
    assert!(
        !log.contains("/messages"),
        "polls logged at info level:\n{log}"
    );
    assert_eq!(log.lines().count(), 1, "{log}");
}

fn a_relay_that_cannot_listen_leaves_no_log_file() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = common::run(
        dir.path(),
        &["substitution", "chat-server", "--addr", &addr],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!("error: cannot listen on {addr}: ")),
        "{err}"
    );
    assert!(
        !dir.path().join("log.txt").exists(),
        "an empty log.txt was left behind"
    );
}

fn start_relay(log: &Path, keep: usize) -> ServerHandle {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let room = ChatRoom::new(Some(log), keep).unwrap();
    lesson::chat_server(listener, Arc::new(room))
        .spawn()
        .unwrap()
}

fn member(addr: SocketAddr, name: &str, shift: i64) -> ChatClient {
    let url = Url::parse(&format!("http://{addr}")).unwrap();
    ChatClient::new(url, name, shift, Duration::from_secs(5)).unwrap()
}

fn plaintexts(received: Vec<lesson::Received>) -> Vec<String> {
    received.into_iter().map(|r| r.plaintext).collect()
}

const SHIFT: i64 = 3;
const CAROL_SAYS: &str = "the squirrels meet at the old oak tonight, bring the acorns";
const BOB_SAYS: &str = "then I will keep watch by the river and whistle twice";

fn three_members_see_each_others_messages_without_lag_and_the_log_holds_only_ciphertext() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("log.txt");
    let relay = start_relay(&log_path, KEPT_MESSAGES);
    let mut alice = member(relay.addr(), "alice", SHIFT);
    let mut bob = member(relay.addr(), "bob", SHIFT);
    let mut carol = member(relay.addr(), "carol", SHIFT);
    for m in [&mut alice, &mut bob, &mut carol] {
        assert!(m.poll().unwrap().is_empty());
    }

    // A send returns what is new from others, never the sender's own line.
    assert!(alice.send(SECRET).unwrap().is_empty());
    // Bob sees it on his very next request: no turn-taking, no lag.
    assert_eq!(plaintexts(bob.poll().unwrap()), ["alice: fluffy tail"]);
    assert_eq!(
        plaintexts(carol.send(CAROL_SAYS).unwrap()),
        ["alice: fluffy tail"]
    );
    assert_eq!(
        plaintexts(bob.send(BOB_SAYS).unwrap()),
        [format!("carol: {CAROL_SAYS}")]
    );
    assert_eq!(
        plaintexts(alice.poll().unwrap()),
        [format!("carol: {CAROL_SAYS}"), format!("bob: {BOB_SAYS}")]
    );
    assert_eq!(
        plaintexts(carol.poll().unwrap()),
        [format!("bob: {BOB_SAYS}")]
    );
    assert!(bob.poll().unwrap().is_empty());

    // A member with the wrong key gets gibberish.
    let mut eve = member(relay.addr(), "eve", SHIFT + 1);
    let seen = plaintexts(eve.poll().unwrap());
    assert_eq!(seen.len(), 3);
    assert!(!seen.iter().any(|s| s.contains(SECRET)));

    // The relay logged ciphertext only, one line per message, in the log's format.
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains(SECRET), "{log}");
    assert!(
        log.contains(&lesson::encrypt("alice: fluffy tail", SHIFT)),
        "{log}"
    );
    let lines = lesson::parse_chat_log(&log).unwrap();
    assert_eq!(lines.len(), 3);
    for line in &lines {
        assert!(line.peer.starts_with("127.0.0.1:"), "{line:?}");
        assert!(chrono::DateTime::parse_from_rfc3339(&line.timestamp).is_ok());
    }

    // The eavesdropper with the log recovers the whole conversation, key unknown.
    let cracked = lesson::crack_chat_log(&lines, None).unwrap();
    assert_eq!(i64::from(cracked.crack.best.shift), SHIFT);
    let recovered: Vec<&str> = cracked.lines.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(
        recovered,
        [
            "alice: fluffy tail".to_string(),
            format!("carol: {CAROL_SAYS}"),
            format!("bob: {BOB_SAYS}")
        ]
    );

    // The same through the command line.
    let (ok, out, err) = squirrel(&["2", "crack", log_path.to_str().unwrap()], None);
    assert!(ok, "{err}");
    assert!(out.contains("This is a chat log: 3 messages"), "{out}");
    assert!(
        out.contains(&format!("The shift is {SHIFT} (English")),
        "{out}"
    );
    let alice_at = out.find("alice: fluffy tail").unwrap();
    let carol_at = out.find(&format!("carol: {CAROL_SAYS}")).unwrap();
    let bob_at = out.find(&format!("bob: {BOB_SAYS}")).unwrap();
    assert!(alice_at < carol_at && carol_at < bob_at, "{out}");
}

/// Sends raw bytes to the relay; returns the whole reply as text.
fn raw(addr: SocketAddr, request: &[u8]) -> String {
    let mut tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    tcp.write_all(request).unwrap();
    let mut reply = Vec::new();
    let _ = tcp.read_to_end(&mut reply);
    String::from_utf8_lossy(&reply).into_owned()
}

fn relay_refuses_oversized_and_multi_line_messages() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("log.txt");
    let relay = start_relay(&log_path, KEPT_MESSAGES);
    let big = "a".repeat(MAX_MESSAGE_BYTES + 1);
    let request = format!(
        "POST /send HTTP/1.1\r\nContent-Length: {}\r\n\r\n{big}",
        big.len()
    );
    assert!(raw(relay.addr(), request.as_bytes()).starts_with("HTTP/1.1 413"));
    let forged = "ekteex szhk\n2024-01-01T00:00:00Z|[CLIENT 10.0.0.1:1]forged";
    let request = format!(
        "POST /send HTTP/1.1\r\nContent-Length: {}\r\n\r\n{forged}",
        forged.len()
    );
    assert!(raw(relay.addr(), request.as_bytes()).starts_with("HTTP/1.1 400"));
    assert!(raw(relay.addr(), b"GET /nowhere HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
    assert!(raw(relay.addr(), b"DELETE /send HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));

    // The client refuses before sending.
    let mut alice = member(relay.addr(), "alice", 1);
    assert!(matches!(
        alice.send(&"x".repeat(MAX_MESSAGE_BYTES)),
        Err(SubstitutionError::TooLong { .. })
    ));
    assert_eq!(std::fs::read_to_string(&log_path).unwrap(), "");
}

fn relay_keeps_only_the_last_messages_in_memory_but_logs_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("log.txt");
    let relay = start_relay(&log_path, 3);
    let mut alice = member(relay.addr(), "alice", 1);
    for i in 0..5 {
        alice.send(&format!("message {i}")).unwrap();
    }
    let mut late = member(relay.addr(), "late", 1);
    assert_eq!(
        plaintexts(late.poll().unwrap()),
        ["alice: message 2", "alice: message 3", "alice: message 4"]
    );
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert_eq!(lesson::parse_chat_log(&log).unwrap().len(), 5);
}

const TEXT: &str = "lessons/02-substitution.md";

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).commands();
}

fn the_capture_section_shows_the_chat_ciphertext_live() {
    TextRun::new(TEXT).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).in_french().commands();
}

fn the_french_text_capture_section_shows_the_chat_ciphertext_live() {
    TextRun::new(TEXT).in_french().capture();
}

test_main! {
    tutorial_key_1_turns_fluffy_tail_into_ekteex_szhk_and_back: [],
    decrypt_undoes_encrypt_on_random_text_with_accents_digits_punctuation_and_emoji: [],
    accented_letters_keep_their_accent_and_case: [],
    frequency_analysis_finds_every_shift_of_an_english_text: [],
    frequency_analysis_finds_every_shift_of_a_french_text: [],
    the_right_shift_wins_by_a_wide_margin_on_a_paragraph: [],
    too_few_letters_are_flagged_as_unsure_and_none_is_an_error: [],
    binary_encrypts_the_tutorial_example_and_cracks_stdin: [],
    crack_puts_its_doubt_about_a_short_text_in_the_answer_itself: [],
    the_relay_logs_each_message_but_not_the_polls_at_info_level: [],
    a_relay_that_cannot_listen_leaves_no_log_file: [],
    three_members_see_each_others_messages_without_lag_and_the_log_holds_only_ciphertext: [],
    relay_refuses_oversized_and_multi_line_messages: [],
    relay_keeps_only_the_last_messages_in_memory_but_logs_them_all: [],
    every_command_of_the_text_runs_and_prints_what_it_shows: [],
    the_capture_section_shows_the_chat_ciphertext_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [],
    the_french_text_capture_section_shows_the_chat_ciphertext_live: [TSHARK, LIVE_CAPTURE],
}
