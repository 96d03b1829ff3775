//! What the lesson texts and the README tell a student, checked by doing it.
//!
//! Above all, every text's `## … Wireshark` section runs as written, on a live capture
//! of the loopback interface by tshark, Wireshark's engine: its `sh` blocks' commands run
//! in order (servers, taps and captures in the background, as the text's terminals say;
//! each `###` part on its own, so a part that needs a server starts one), and each
//! `tshark -r` line must show what its comment says — packets by default, `# nothing…`
//! nothing, `# prints: X` exactly X. A filter that shows nothing fails; so does a command
//! that fails, unless its comment says `# fails: MESSAGE`. The filters the prose names
//! ("display filter `tls`") must be ones the tshark lines apply.
//!
//! Ports. The texts use the tutorial's ports (5683, the tap's 5684, the vault's 5000 and
//! 5001); the test replaces each with a free port (below the ephemeral range, as those
//! are, and unknown to tshark), consistently, in every command, capture filter and
//! Decode As (`-d tcp.port==5683,http`), adding the flag when a command relies on the
//! default port. Wireshark guesses a protocol from the port (5683 is CoAP's), so the
//! test also makes tshark guess for the new port what it guesses for the old one
//! (`-d tcp.port==NEW,coap` first, from `tshark -G decodes`): a text that forgets
//! Decode As fails here as it fails for a student.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::prereq::{GIT, LIVE_CAPTURE, TSHARK};
use common::BIN;

/// The project root: the texts and README are read from here.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The ports the texts use.
const TEXT_PORTS: [u16; 4] = [5683, 5684, 5000, 5001];

/// How long a foreground command may take.
const COMMAND_DEADLINE: Duration = Duration::from_secs(60);

/// How long a background process may take to say it is ready, or to stop.
const BACKGROUND_DEADLINE: Duration = Duration::from_secs(30);

fn read_text(file: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

// ---------------------------------------------------------------------------------------
// Reading a text: sections, prose, sh blocks, shell words
// ---------------------------------------------------------------------------------------

/// The `## …` section of `text` whose heading names Wireshark, with its `###`
/// subsections: (heading, body) pairs, the part before the first `###` first.
fn capture_section(text: &str, file: &str) -> Vec<(String, String)> {
    let mut in_section = false;
    let mut in_code = false;
    let mut parts: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && line.starts_with("## ") {
            if in_section {
                break;
            }
            if line.contains("Wireshark") {
                in_section = true;
                parts.push((line.to_string(), String::new()));
                continue;
            }
        }
        if !in_section {
            continue;
        }
        if !in_code && line.starts_with("### ") {
            parts.push((line.to_string(), String::new()));
            continue;
        }
        let body = &mut parts.last_mut().unwrap().1;
        body.push_str(line);
        body.push('\n');
    }
    assert!(!parts.is_empty(), "{file} has no `## … Wireshark` section");
    parts
}

/// The lines of the `sh` blocks in `body`, with `\` continuations joined.
fn sh_lines(body: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_sh = !in_sh && trimmed == "```sh";
            continue;
        }
        if !in_sh || (trimmed.is_empty() && pending.is_empty()) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        if !pending.starts_with('#') {
            lines.push(std::mem::take(&mut pending));
        }
        pending.clear();
    }
    lines
}

/// The prose of `body`: everything outside fenced blocks.
fn prose(body: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every `` `X` `` that follows `words` (e.g. "display filter", then optional `:` and
/// spaces) in `prose`, case-insensitively.
fn named_after(prose: &str, words: &str) -> Vec<String> {
    let flat = prose.replace('\n', " ");
    let lower = flat.to_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(words) {
        let start = from + at + words.len();
        let rest = flat[start..].trim_start_matches([' ', ':']);
        if let Some(quoted) = rest.strip_prefix('`') {
            if let Some(end) = quoted.find('`') {
                found.push(quoted[..end].to_string());
            }
        }
        from = start;
    }
    found
}

/// A command line split as `sh` would (single and double quotes, no expansions), and
/// its trailing `# comment`.
fn shell_words(line: &str) -> (Vec<String>, String) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut has_word = false;
    let mut quote: Option<char> = None;
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                has_word = true;
            }
            (None, '#') if !has_word => {
                return (words, line[at + 1..].trim().to_string());
            }
            (None, c) if c.is_whitespace() => {
                if has_word {
                    words.push(std::mem::take(&mut word));
                    has_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                has_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unbalanced quotes in: {line}");
    if has_word {
        words.push(word);
    }
    (words, String::new())
}

/// The value after `option` in `words`.
fn option_value<'a>(words: &'a [String], option: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| w == option)
        .and_then(|i| words.get(i + 1))
        .map(String::as_str)
}

// ---------------------------------------------------------------------------------------
// Ports: the texts' ports replaced by free ones, and Wireshark's guesses carried over
// ---------------------------------------------------------------------------------------

/// What tshark decodes each TCP port as, by default (`tshark -G decodes`).
fn tshark_port_table() -> BTreeMap<u16, String> {
    let out = TSHARK.command().args(["-G", "decodes"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('\t');
            (fields.next()? == "tcp.port")
                .then_some(())
                .and_then(|()| Some((fields.next()?.parse().ok()?, fields.next()?.to_string())))
        })
        .collect()
}

/// A free loopback port that tshark has no protocol for, below the ephemeral range
/// (Linux: 32768 and up). Below it, like 5683, the server's port is the lower one of
/// every connection, which is the one Wireshark tries first: a client's ephemeral port
/// that happens to be registered (there are a few) never takes the guess over. And no
/// client connection anywhere can take it between this check and the server's bind.
/// Never the same port twice in this process, where the lessons run in parallel.
fn free_port(table: &BTreeMap<u16, String>) -> u16 {
    use rand::Rng;
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    let mut rng = rand::rng();
    loop {
        let port = rng.random_range(20_000..32_768);
        if table.contains_key(&port) || given.contains(&port) {
            continue;
        }
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            given.push(port);
            return port;
        }
    }
}

/// The texts' ports and the free ports standing in for them.
struct Ports {
    map: Vec<(u16, u16)>,
    /// `-d tcp.port==NEW,PROTO` for each text port tshark guesses a protocol for.
    guesses: Vec<String>,
}

impl Ports {
    fn new() -> Ports {
        let table = tshark_port_table();
        assert_eq!(
            table.get(&5683).map(String::as_str),
            Some("coap"),
            "tshark no longer reads 5683 as CoAP: the texts' Decode As may be moot"
        );
        let map: Vec<(u16, u16)> = TEXT_PORTS
            .iter()
            .map(|&text_port| (text_port, free_port(&table)))
            .collect();
        let guesses = map
            .iter()
            .filter_map(|(text_port, port)| {
                table
                    .get(text_port)
                    .map(|proto| format!("tcp.port=={port},{proto}"))
            })
            .collect();
        Ports { map, guesses }
    }

    /// `word` with every text port (a whole run of digits) replaced.
    fn replace(&self, word: &str) -> String {
        let mut out = String::new();
        let mut digits = String::new();
        let flush = |digits: &mut String, out: &mut String| {
            let replaced = digits
                .parse::<u16>()
                .ok()
                .and_then(|n| self.map.iter().find(|(text, _)| *text == n))
                .map(|(_, port)| port.to_string());
            out.push_str(replaced.as_deref().unwrap_or(digits));
            digits.clear();
        };
        for c in word.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                flush(&mut digits, &mut out);
                out.push(c);
            }
        }
        flush(&mut digits, &mut out);
        out
    }
}

/// The options a squirrel command relies on the default of, with those defaults (so
/// the port in them can be replaced): `serve` and `--addr 127.0.0.1:5683`, …
fn default_ports(args: &[String]) -> Vec<(&'static str, &'static str)> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let lesson_addr = ("--addr", "127.0.0.1:5683");
    match words.as_slice() {
        ["plain-http" | "fernet" | "https" | "mtls", "serve", ..]
        | ["substitution", "chat-server", ..] => vec![lesson_addr],
        ["plain-http" | "fernet", "fetch", ..] => vec![("--url", "http://127.0.0.1:5683/")],
        ["https" | "mtls", "fetch", ..] => vec![("--url", "https://localhost:5683/")],
        ["substitution", "chat", ..] => vec![("--url", "http://127.0.0.1:5683")],
        ["tap", ..] => vec![("--listen", "127.0.0.1:5684"), ("--to", "127.0.0.1:5683")],
        ["vault", "serve", ..] => vec![("--port", "5000")],
        ["vault", "login" | "list" | "upload" | "download", ..] => {
            vec![("--server", "localhost:5000")]
        }
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Running a section
// ---------------------------------------------------------------------------------------

/// What a background process is.
#[derive(Debug, PartialEq)]
enum Kind {
    /// A server: killed at the end of its subsection.
    Server,
    /// A tap or a live capture: stopped with Ctrl-C (SIGINT) before the next read, so
    /// it writes its file.
    Capture,
}

struct Background {
    line: String,
    comment: String,
    kind: Kind,
    child: Child,
    stdout: Collected,
    stderr: Collected,
}

impl Background {
    /// Ctrl-C, then waits for the process to end; returns what it printed.
    fn interrupt(mut self) -> (String, String) {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) with a pid we own and a standard signal number.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let deadline = Instant::now() + BACKGROUND_DEADLINE;
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "`{}` did not stop", self.line);
            std::thread::sleep(Duration::from_millis(20));
        }
        (self.stdout.all(), self.stderr.all())
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A pipe's text, collected by a thread as it comes.
struct Collected {
    text: Arc<Mutex<String>>,
    /// Closed when the pipe has ended and every line is in `text`.
    done: mpsc::Receiver<()>,
}

impl Collected {
    /// What came so far.
    fn now(&self) -> String {
        self.text.lock().unwrap().clone()
    }

    /// Everything, once the pipe has ended (the process has exited): the reading thread
    /// may lag behind on a loaded machine, so wait for it rather than for a while.
    fn all(&self) -> String {
        let _ = self.done.recv_timeout(BACKGROUND_DEADLINE);
        self.now()
    }
}

/// Collects a pipe's lines.
fn collect(pipe: impl Read + Send + 'static) -> Collected {
    let text = Arc::new(Mutex::new(String::new()));
    let writer = Arc::clone(&text);
    let (finished, done) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut text = writer.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
        drop(finished);
    });
    Collected { text, done }
}

/// One text's capture section being run in a folder.
struct Run<'a> {
    file: &'a str,
    dir: &'a Path,
    env: Vec<(String, String)>,
    ports: Ports,
    running: Vec<Background>,
    reads: usize,
}

impl Run<'_> {
    /// The program and arguments of one text line, its environment, and its stdin.
    fn command(&self, words: &[String]) -> (Command, Vec<String>, Option<String>) {
        let mut words = words.to_vec();
        // `echo 'TEXT' | command`: TEXT on the command's stdin.
        let mut stdin = None;
        if words.first().map(String::as_str) == Some("echo") {
            let bar = words
                .iter()
                .position(|w| w == "|")
                .expect("echo without a pipe");
            stdin = Some(words[1..bar].join(" ") + "\n");
            words.drain(..=bar);
        }
        let mut env = Vec::new();
        while words.first().is_some_and(|w| {
            w.contains('=') && w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        }) {
            let word = words.remove(0);
            let (name, value) = word.split_once('=').unwrap();
            env.push((name.to_string(), self.ports.replace(value)));
        }
        let (mut command, args) = match words.first().map(String::as_str) {
            Some("cargo") => {
                let dashes = words.iter().position(|w| w == "--").expect("cargo run --");
                let mut args = words[dashes + 1..].to_vec();
                for (option, default) in default_ports(&args) {
                    if !args.iter().any(|a| a == option) {
                        args.push(option.to_string());
                        args.push(default.to_string());
                    }
                }
                (Command::new(BIN), args)
            }
            Some("squirrel") => (Command::new(BIN), words[1..].to_vec()),
            Some("tshark") => {
                let mut args = Vec::new();
                for guess in &self.ports.guesses {
                    args.push("-d".to_string());
                    args.push(guess.clone());
                }
                args.extend(words[1..].iter().cloned());
                (TSHARK.command(), args)
            }
            other => panic!("{}: the test cannot run {other:?}", self.file),
        };
        let args: Vec<String> = args.iter().map(|a| self.ports.replace(a)).collect();
        command
            .args(&args)
            .current_dir(self.dir)
            .env_remove("SSLKEYLOGFILE")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .envs(env.iter().map(|(k, v)| (k, v)));
        (command, args, stdin)
    }

    /// Runs one line of a `sh` block.
    fn step(&mut self, line: &str) {
        let (words, comment) = shell_words(line);
        let (mut command, args, stdin) = self.command(&words);
        let is_tshark = words.first().map(String::as_str) == Some("tshark");
        let squirrel_args: Vec<&str> = if is_tshark {
            Vec::new()
        } else {
            args.iter().map(String::as_str).collect()
        };
        let background = if is_tshark {
            args.iter().any(|a| a == "-i").then_some(Kind::Capture)
        } else {
            match squirrel_args.as_slice() {
                ["tap", ..] => Some(Kind::Capture),
                [_, "serve", ..] | ["substitution", "chat-server", ..] => Some(Kind::Server),
                _ => None,
            }
        };
        if let Some(kind) = background {
            self.start(line, &comment, kind, command);
        } else if is_tshark {
            self.read(line, &comment, command);
        } else {
            let out = run_with_deadline(&mut command, stdin.as_deref());
            let fails = comment.strip_prefix("fails: ");
            match fails {
                None => assert!(
                    out.status.success(),
                    "{}: `{line}` failed:\n{}{}",
                    self.file,
                    text(&out.stdout),
                    text(&out.stderr)
                ),
                Some(expected) => {
                    assert_eq!(
                        out.status.code(),
                        Some(1),
                        "{}: `{line}` did not fail",
                        self.file
                    );
                    assert!(
                        text(&out.stderr).contains(expected),
                        "{}: `{line}` failed otherwise:\n{}",
                        self.file,
                        text(&out.stderr)
                    );
                }
            }
        }
    }

    /// Starts a server, a tap or a live capture and waits until it is ready.
    fn start(&mut self, line: &str, comment: &str, kind: Kind, mut command: Command) {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        // Owned at once, so a panic below still ends the process.
        let mut background = Background {
            line: line.to_string(),
            comment: comment.to_string(),
            kind,
            child,
            stdout,
            stderr,
        };
        let live = line.starts_with("tshark");
        // tshark says "Capturing on 'Loopback: lo'" a moment before its capture process
        // has opened the interface; "Capture started." comes after (tshark 4.0). Should
        // a version not say it, a few seconds after the first line will do.
        let mut capturing_since: Option<Instant> = None;
        let mut ready = |out: &str, err: &str| {
            if live {
                if err.contains("Capturing on") {
                    capturing_since.get_or_insert_with(Instant::now);
                }
                err.contains("Capture started")
                    || capturing_since.is_some_and(|t| t.elapsed() > Duration::from_secs(3))
            } else {
                out.contains("://") || out.contains("tap: relaying")
            }
        };
        let deadline = Instant::now() + BACKGROUND_DEADLINE;
        loop {
            let out = background.stdout.now();
            let err = background.stderr.now();
            if ready(&out, &err) {
                break;
            }
            if let Some(status) = background.child.try_wait().unwrap() {
                panic!(
                    "{}: `{line}` ended ({status}) before it was ready:\n{out}{err}",
                    self.file
                );
            }
            assert!(
                Instant::now() < deadline,
                "{}: `{line}` never got ready:\n{out}{err}",
                self.file
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.running.push(background);
    }

    /// Stops the taps and live captures, so their files are written; checks what a live
    /// capture with a display filter printed.
    fn stop_captures(&mut self) {
        let (captures, servers): (Vec<Background>, Vec<Background>) = self
            .running
            .drain(..)
            .partition(|b| b.kind == Kind::Capture);
        self.running = servers;
        if captures.is_empty() {
            return;
        }
        // The last packets are on their way to the capture.
        std::thread::sleep(Duration::from_millis(500));
        for capture in captures {
            let line = capture.line.clone();
            let comment = capture.comment.clone();
            let filtered = line.starts_with("tshark") && line.contains(" -Y ");
            let (out, err) = capture.interrupt();
            if filtered {
                if let Err(why) = self.expect(&line, &comment, &out) {
                    panic!("{why}\n{err}");
                }
            }
        }
    }

    /// Runs a `tshark -r` line after the captures it reads are written.
    fn read(&mut self, line: &str, comment: &str, mut command: Command) {
        self.stop_captures();
        let out = run_with_deadline(&mut command, None);
        assert!(
            out.status.success(),
            "{}: `{line}` failed: {}",
            self.file,
            text(&out.stderr)
        );
        if let Err(why) = self.expect(line, comment, &text(&out.stdout)) {
            panic!("{why}{}", text(&out.stderr));
        }
        self.reads += 1;
    }

    /// Checks a filter's output against the line's comment: `nothing…` → no packet,
    /// `prints: X` → exactly X (lines joined with ", ", blanks collapsed; X ending in
    /// `…` is a prefix), anything else → at least one packet.
    fn expect(&self, line: &str, comment: &str, out: &str) -> Result<(), String> {
        let shown: Vec<String> = out
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        let shown = shown.join(", ");
        let expected = comment.split_once("prints: ").map(|(_, x)| x.trim());
        let fine = if comment.starts_with("nothing") {
            shown.is_empty()
        } else if let Some(expected) = expected {
            match expected.strip_suffix('…') {
                Some(prefix) => shown.starts_with(prefix),
                None => shown == expected,
            }
        } else {
            !shown.is_empty()
        };
        if fine {
            return Ok(());
        }
        Err(format!(
            "{}: `{line}` (ports {:?}) shows {shown:?}, not what its comment says\n",
            self.file, self.ports.map
        ))
    }

    /// Ends a subsection: stops everything it started.
    fn finish(&mut self) {
        self.stop_captures();
        self.running.clear();
    }
}

fn run_with_deadline(command: &mut Command, stdin: Option<&str>) -> Output {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    let deadline = Instant::now() + COMMAND_DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{command:?} took over {COMMAND_DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = stdout.all().into_bytes();
    let stderr = stderr.all().into_bytes();
    Output {
        status,
        stdout,
        stderr,
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `file`'s capture section in a fresh folder prepared by `setup`, with `env` for
/// every command; returns how many `tshark -r` lines ran.
fn run_capture_section(file: &str, setup: fn(&Path) -> Vec<(String, String)>) -> usize {
    let text = read_text(file);
    let parts = capture_section(&text, file);

    // The prose names the filters the tshark lines apply, and teaches Decode As.
    let all_prose: String = parts.iter().map(|(_, body)| prose(body)).collect();
    let lines: Vec<String> = parts.iter().flat_map(|(_, body)| sh_lines(body)).collect();
    let tshark: Vec<Vec<String>> = lines
        .iter()
        .map(|l| shell_words(l).0)
        .filter(|w| w.first().map(String::as_str) == Some("tshark"))
        .collect();
    for (words, option) in [("capture filter", "-f"), ("display filter", "-Y")] {
        for filter in named_after(&all_prose, words) {
            assert!(
                tshark
                    .iter()
                    .any(|w| option_value(w, option) == Some(&filter)),
                "{file} names the {words} `{filter}`, but no tshark line applies it ({option})"
            );
        }
    }
    assert!(
        tshark.iter().any(|w| w.iter().any(|a| a == "-i")),
        "{file}: the capture section has no live capture (tshark -i lo …)"
    );
    if tshark.iter().any(|w| w.iter().any(|a| a == "-d")) {
        assert!(
            all_prose.replace('\n', " ").contains("Decode As"),
            "{file} uses -d but never says Decode As"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let env = setup(dir.path());
    let mut run = Run {
        file,
        dir: dir.path(),
        env,
        ports: Ports::new(),
        running: Vec::new(),
        reads: 0,
    };
    for (_, body) in &parts {
        for line in sh_lines(body) {
            run.step(&line);
        }
        run.finish();
    }
    assert!(run.reads > 0, "{file}: no tshark -r line ran");
    run.reads
}

/// No set-up: the section makes what it needs.
fn nothing(_: &Path) -> Vec<(String, String)> {
    Vec::new()
}

/// Lesson 03's `SECRET_KEY`, exported in both terminals as the text says.
fn secret_key(dir: &Path) -> Vec<(String, String)> {
    let out = Command::new(BIN)
        .args(["fernet", "keygen"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    vec![("SECRET_KEY".into(), text(&out.stdout).trim().to_string())]
}

/// Lesson 05's certificates: the CA, `server` and `client`.
fn certificates(dir: &Path) -> Vec<(String, String)> {
    for args in [
        &["ca", "init"][..],
        &["ca", "issue", "--name", "server", "--server"],
        &["ca", "issue", "--name", "client", "--client"],
    ] {
        let out = Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    Vec::new()
}

fn lesson01_capture_section_shows_coap_then_http_with_decode_as_live() {
    run_capture_section("lessons/01-plain-http.md", nothing);
}

fn lesson02_capture_section_shows_the_chat_ciphertext_live() {
    run_capture_section("lessons/02-substitution.md", nothing);
}

fn lesson03_capture_section_shows_only_the_token_live() {
    run_capture_section("lessons/03-fernet.md", secret_key);
}

fn lesson04_capture_section_finds_the_x25519_keys_of_tls_1_2_and_1_3_live() {
    run_capture_section("lessons/04-key-exchange.md", certificates);
}

fn lesson05_capture_section_finds_the_certificate_in_clear_live() {
    run_capture_section("lessons/05-certificate-authority.md", certificates);
}

fn lesson06_capture_section_shows_tls_and_decrypts_with_the_key_log_live() {
    run_capture_section("lessons/06-https.md", certificates);
}

fn lesson07_capture_section_finds_one_ticket_and_the_certificate_request_live() {
    run_capture_section("lessons/07-mutual-tls.md", certificates);
}

fn lesson08_capture_section_decrypts_the_vault_live_and_through_the_tap() {
    run_capture_section("lessons/08-vault.md", nothing);
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
        for line in sh_lines(&text) {
            let (words, _) = shell_words(&line);
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
    let readme = read_text("README.md");
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
    let readme = read_text("README.md");
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
        let text = read_text(file);
        // Inline code may wrap: Markdown reads the line break as a space.
        let flat = text.replace('\n', " ");
        let setup_block = &text[text.find("## The commands").unwrap()..];
        let setup: Vec<String> = sh_lines(setup_block)
            .into_iter()
            .take_while(|l| l.contains(" ca "))
            .collect();
        assert!(!setup.is_empty(), "{file}: no set-up commands");
        for line in setup {
            let (words, _) = shell_words(&line);
            let dashes = words.iter().position(|w| w == "--").unwrap();
            let out = Command::new(BIN)
                .args(&words[dashes + 1..])
                .current_dir(dir.path())
                .output()
                .unwrap();
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
        let prose = prose(setup_block.split("\n## ").next().unwrap());
        assert!(
            prose.contains("skip"),
            "{file}: the set-up does not say to skip what lesson 05 made"
        );
    }
}

test_main! {
    lesson01_capture_section_shows_coap_then_http_with_decode_as_live: [TSHARK, LIVE_CAPTURE],
    lesson02_capture_section_shows_the_chat_ciphertext_live: [TSHARK, LIVE_CAPTURE],
    lesson03_capture_section_shows_only_the_token_live: [TSHARK, LIVE_CAPTURE],
    lesson04_capture_section_finds_the_x25519_keys_of_tls_1_2_and_1_3_live: [TSHARK, LIVE_CAPTURE],
    lesson05_capture_section_finds_the_certificate_in_clear_live: [TSHARK, LIVE_CAPTURE],
    lesson06_capture_section_shows_tls_and_decrypts_with_the_key_log_live: [TSHARK, LIVE_CAPTURE],
    lesson07_capture_section_finds_one_ticket_and_the_certificate_request_live: [TSHARK, LIVE_CAPTURE],
    lesson08_capture_section_decrypts_the_vault_live_and_through_the_tap: [TSHARK, LIVE_CAPTURE],
    wireshark_reads_5683_as_coap_and_5000_as_gsm_until_decode_as_says_otherwise: [TSHARK],
    every_file_the_lessons_make_is_ignored_by_git: [GIT],
    the_readme_says_how_to_put_squirrel_on_the_path: [],
    the_texts_send_students_only_to_tools_the_readme_lists: [],
    after_lesson_05_the_set_up_of_06_and_07_says_the_files_exist_and_to_skip_it: [],
}
