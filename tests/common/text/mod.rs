//! Every lesson text, run as written: its staged test runs the commands of its `sh`
//! blocks in a fresh folder, in order, and holds each `text` block shown as their output
//! to what they printed — blog_os's "code and text in step", enforced.
//!
//! How a text is read (the conventions a text's author follows):
//!
//! - `cargo run [--release] -- ARGS` and `squirrel ARGS` run the binary under test; the
//!   tools (tshark, openssl, curl, python3, certutil…) run through their
//!   [`Need`](super::prereq::Need), which the test declares; `echo`, `head`, `grep`,
//!   `stat`, `cat` run as they are, in `sh`, so pipes and redirections work.
//! - Servers (`serve`, `chat-server`), taps, live captures (`tshark -i`) and any line
//!   whose comment says Ctrl-C run in the background, as the text's terminals do. The
//!   end of a `###` part (or of a `##` without parts) stops the taps and captures with
//!   Ctrl-C, so they write their files; a server runs on until a server takes its port
//!   (a student stops the first), or, in the capture section, where each part starts
//!   its own, until the part ends.
//! - A `text` block right after a `sh` block (only blank lines between) is what that
//!   block printed: its commands' output, or, for a block of servers, what they print
//!   on start. After prose saying "Terminal N shows" (in French "Le terminal N
//!   affiche"), it is what the line marked `# terminal N` printed. Both sides are masked
//!   first ([`mask`]); a `…` in the text stands for anything.
//! - A command must succeed, unless the `text` block showing its output shows an
//!   error (a line `error: …` or `erreur : …`, or a Python exception's `…Error: …`), or its comment
//!   says `fails: MESSAGE` (exit code 1 and the message).
//! - Other comments: for `tshark -r`,
//!   `nothing…` (no packet), `prints: X` (exactly X, lines joined by ", "), anything
//!   else at least one packet; `asks for X` (the password prompt gets X, through
//!   `SQUIRREL_PASSWORD` as a script gives it); `type: X` (X typed, then Ctrl-D).
//! - `export NAME=<…>` takes the first line the command before it printed (`<the key
//!   it printed>`); a word holding a time or a random value (`README.md_2026-11-22T10-00-
//!   00.enc`) stands for the one an earlier command printed.
//! - The texts' ports (5683, the tap's 5684, the vault's 5000 and 5001) become free
//!   ports of the same width, everywhere, and back in what is compared; a command that
//!   relies on a default port gets the flag. In the capture section tshark is made to
//!   guess for the new port what it guesses for the old one (5683: CoAP), so a text
//!   that forgets Decode As fails as it fails for a student.
//! - `cargo test …` is not run (the lesson table's check holds it); lines a test
//!   cannot run as written (a browser window) are named by the test, with the reason,
//!   and each named line must exist. What the text has the reader do by hand before a
//!   line (chat in two browsers) a test may do through [`TextRun::before`].
//!
//! The folder holds `src/lessons/data/` and `README.md` from the project, as the
//! project root a student runs from; `HOME` is a folder of its own (so `ca install`
//! fills an empty NSS database), and as root `ca install` and `ca uninstall` run as
//! `nobody`, as a student runs them.

pub mod mask;
pub mod parse;
pub mod shell;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use self::mask::{mask, matches};
use self::parse::{sh_lines, Block, Text};
use self::shell::{arguments_end, commands, join, option_value, tokens, Token};
use super::prereq::{
    self, Need, CERTUTIL, CHROMIUM, CURL, OPENSSL, PK12UTIL, PYTHON3, PY_CRYPTOGRAPHY, SSLYZE,
    TSHARK,
};
use super::BIN;

/// The project root: texts, README and the lessons' data are read from here.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The ports the texts use.
const TEXT_PORTS: [u16; 4] = [5683, 5684, 5000, 5001];

/// How long a foreground command may take.
const COMMAND_DEADLINE: Duration = Duration::from_secs(60);

/// How long a background process may take to say it is ready, or to stop.
const BACKGROUND_DEADLINE: Duration = Duration::from_secs(30);

/// How long a server's output may take to show what its text block says.
const OUTPUT_DEADLINE: Duration = Duration::from_secs(10);

/// The tools a text may call, by the name it calls them.
const TOOLS: [(&str, &Need); 8] = [
    ("tshark", &TSHARK),
    ("openssl", &OPENSSL),
    ("curl", &CURL),
    ("python3", &PYTHON3),
    ("certutil", &CERTUTIL),
    ("pk12util", &PK12UTIL),
    ("sslyze", &SSLYZE),
    ("chromium", &CHROMIUM),
];

/// Programs run as they are, from the shell's PATH.
const SHELL_TOOLS: [&str; 8] = ["echo", "head", "stat", "grep", "cat", "ls", "cp", "mkdir"];

/// The text at `file` (relative to the project root).
pub fn read(file: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// One lesson text to run.
pub struct TextRun {
    file: &'static str,
    /// Run as a French student: `LANG=fr_FR.UTF-8`, no `LC_ALL`.
    french: bool,
    setup: fn(&Path) -> Vec<(String, String)>,
    reader: Vec<(&'static str, &'static str)>,
    before: Vec<(&'static str, Before)>,
}

/// What the reader does before a line: given the folder and the port standing for the
/// text's 5683.
pub type Before = fn(&Path, u16);

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Command lines run.
    pub ran: usize,
    /// `text` blocks compared with what was printed.
    pub compared: usize,
    /// `tshark -r` lines run.
    pub reads: usize,
}

impl TextRun {
    /// The text `lessons/…md`.
    pub fn new(file: &'static str) -> TextRun {
        TextRun {
            file,
            french: file.starts_with("lessons/fr/"),
            setup: |_| Vec::new(),
            reader: Vec::new(),
            before: Vec::new(),
        }
    }

    /// The French twin of this text (`lessons/fr/…md`, the same `sh` blocks), run as a
    /// French student runs it: `LANG=fr_FR.UTF-8`, so the commands print French, and its
    /// `text` blocks hold them to that. A `# fails: MESSAGE` comment, English in both
    /// texts since the blocks are the same, then checks only the exit code.
    pub fn in_french(mut self) -> TextRun {
        let twin = self
            .file
            .strip_prefix("lessons/")
            .filter(|name| !name.starts_with("fr/"))
            .unwrap_or_else(|| panic!("{} has no French twin", self.file));
        self.file = Box::leak(format!("lessons/fr/{twin}").into_boxed_str());
        self.french = true;
        self
    }

    /// Before the line starting with `start`, `action` does what the text has the
    /// reader do by hand (chat in two browsers), so the line prints what the text shows.
    pub fn before(mut self, start: &'static str, action: Before) -> TextRun {
        self.before.push((start, action));
        self
    }

    /// Prepares the folder before the first command (files an earlier lesson made, a
    /// file the text assumes) and returns environment variables for every command.
    pub fn setup(mut self, setup: fn(&Path) -> Vec<(String, String)>) -> TextRun {
        self.setup = setup;
        self
    }

    /// Lines starting with `start` are the reader's to run (a browser window), for the
    /// reason `why`; what follows them is not compared.
    pub fn left_to_the_reader(mut self, start: &'static str, why: &'static str) -> TextRun {
        self.reader.push((start, why));
        self
    }

    /// Runs every section but the capture section, in one folder, in order.
    pub fn commands(&self) -> Report {
        let report = self.run(false);
        eprintln!("{}: {report:?}", self.file);
        assert!(
            report.ran > 0,
            "{}: no command ran outside the capture section",
            self.file
        );
        report
    }

    /// Runs the capture section (`## … Wireshark`) on a live capture of loopback, in a
    /// fresh folder: every filter the prose names must be applied, and do what its
    /// comment says.
    pub fn capture(&self) -> Report {
        let text = Text::parse(&read(self.file));
        let prose = text.capture_prose();
        let tshark: Vec<Vec<String>> = text
            .blocks
            .iter()
            .filter(|b| b.lang == "sh" && text.sections[b.section].capture)
            .flat_map(sh_lines)
            .map(|(_, l)| tokens(&l).0.into_iter().map(|t| t.word).collect::<Vec<_>>())
            .filter(|w| w.first().map(String::as_str) == Some("tshark"))
            .collect();
        assert!(
            !prose.is_empty(),
            "{} has no `## … Wireshark` section",
            self.file
        );
        for (words, option) in [("capture filter", "-f"), ("display filter", "-Y")] {
            for filter in parse::named_after(&prose, words) {
                assert!(
                    tshark
                        .iter()
                        .any(|w| option_value(w, option) == Some(&filter)),
                    "{} names the {words} `{filter}`, but no tshark line applies it ({option})",
                    self.file
                );
            }
        }
        assert!(
            tshark.iter().any(|w| w.iter().any(|a| a == "-i")),
            "{}: the capture section has no live capture (tshark -i lo …)",
            self.file
        );
        if tshark.iter().any(|w| w.iter().any(|a| a == "-d")) {
            assert!(
                prose.replace('\n', " ").contains("Decode As"),
                "{} uses -d but never says Decode As",
                self.file
            );
        }
        let report = self.run(true);
        eprintln!("{} (capture): {report:?}", self.file);
        assert!(report.reads > 0, "{}: no tshark -r line ran", self.file);
        report
    }

    fn run(&self, capture: bool) -> Report {
        let text = Text::parse(&read(self.file));
        let dir = tempfile::tempdir().unwrap();
        let home = student_folder(dir.path());
        let env = (self.setup)(dir.path());
        let mut run = Run {
            file: self.file,
            french: self.french,
            capture,
            dir: dir.path(),
            home,
            env,
            ports: Ports::new(capture, &text.numbers),
            running: Vec::new(),
            reader: self.reader.iter().map(|&(s, w)| (s, w, false)).collect(),
            before: self.before.iter().map(|&(s, a)| (s, a, false)).collect(),
            report: Report::default(),
            printed: Vec::new(),
            block: BlockOutput::default(),
        };
        let mut section = None;
        let mut previous: Option<&Block> = None;
        for (index, block) in text.blocks.iter().enumerate() {
            if text.sections[block.section].capture != capture {
                continue;
            }
            if section != Some(block.section) {
                run.finish();
                section = Some(block.section);
            }
            match block.lang.as_str() {
                "sh" => {
                    run.block = BlockOutput::default();
                    for (line, command) in sh_lines(block) {
                        run.step(line, &command);
                    }
                    let next = text.blocks.get(index + 1);
                    let shown = next.is_some_and(|n| n.lang == "text" && n.follows_previous);
                    if !shown {
                        assert!(
                            run.block.failed.is_empty(),
                            "{}",
                            run.block.failed.join("\n")
                        );
                    }
                }
                "text" => run.compare(block, previous),
                _ => {}
            }
            previous = Some(block);
        }
        run.finish();
        run.running.clear();
        if !capture {
            for (start, _, used) in &run.before {
                assert!(used, "{}: no line starts with `{start}`", self.file);
            }
            for (start, why, used) in &run.reader {
                assert!(
                    used,
                    "{}: no line starts with `{start}`, left to the reader ({why})",
                    self.file
                );
            }
        }
        run.report
    }
}

/// A setup: the certificates of lesson 05 (`ca init`, then `server` and `client`), for
/// the texts after it.
pub fn certificates(dir: &Path) -> Vec<(String, String)> {
    for args in [
        &["ca", "init"][..],
        &["ca", "issue", "--name", "server", "--server"],
        &["ca", "issue", "--name", "client", "--client"],
    ] {
        let out = super::run(dir, args, &[]);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            super::text(&out.stderr)
        );
    }
    Vec::new()
}

/// Makes `dir` a project root as a student has it: the lessons' data and README.md;
/// returns the `HOME` made for the commands.
fn student_folder(dir: &Path) -> PathBuf {
    let data = dir.join("src/lessons/data");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir(Path::new(ROOT).join("src/lessons/data")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    std::fs::copy(Path::new(ROOT).join("README.md"), dir.join("README.md")).unwrap();
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    if prereq::is_root() {
        // `ca install` runs as nobody (see the module doc): it must reach the folder
        // and own its HOME.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::chown(&home, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    home
}

/// The unprivileged user and group as root runs a student's command.
const NOBODY: u32 = 65534;

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

/// A free loopback port of four digits, as the texts' are (so what crosses the wire
/// has the same length: `Host: 127.0.0.1:5684`), and one tshark has no protocol for.
/// Below the ephemeral range (Linux: 32768 and up), the server's port is the lower one
/// of every connection, which is the one Wireshark tries first; and no client
/// connection anywhere can take it between this check and the server's bind. Never
/// the same port twice in this process, where the tests run in parallel.
fn free_port(table: &BTreeMap<u16, String>, avoid: &[u64]) -> u16 {
    use rand::Rng;
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    let mut rng = rand::rng();
    loop {
        let port = rng.random_range(2_000..10_000);
        if table.contains_key(&port)
            || given.contains(&port)
            || TEXT_PORTS.contains(&port)
            || avoid.contains(&u64::from(port))
        {
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
    /// With `wireshark`, the ports are also ones tshark guesses nothing for, and the
    /// guesses for the texts' ports are carried over.
    /// Never one of `avoid`, the numbers the text shows: a port swapped back in what a
    /// command printed must not turn a number the text shows into a text port.
    fn new(wireshark: bool, avoid: &[u64]) -> Ports {
        let table = if wireshark {
            let table = tshark_port_table();
            assert_eq!(
                table.get(&5683).map(String::as_str),
                Some("coap"),
                "tshark no longer reads 5683 as CoAP: the texts' Decode As may be moot"
            );
            table
        } else {
            BTreeMap::new()
        };
        let map: Vec<(u16, u16)> = TEXT_PORTS
            .iter()
            .map(|&text_port| (text_port, free_port(&table, avoid)))
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

    /// `text` with every whole run of digits that is a port in `from` replaced by its
    /// partner.
    fn swap(&self, text: &str, forward: bool) -> String {
        let mut out = String::new();
        let mut digits = String::new();
        let flush = |digits: &mut String, out: &mut String| {
            let replaced = digits.parse::<u16>().ok().and_then(|n| {
                self.map.iter().find_map(|&(text, free)| {
                    let (from, to) = if forward { (text, free) } else { (free, text) };
                    (from == n).then(|| to.to_string())
                })
            });
            out.push_str(replaced.as_deref().unwrap_or(digits));
            digits.clear();
        };
        for c in text.chars() {
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
        ["plain-http" | "fernet" | "https" | "mtls" | "web-chat", "serve", ..]
        | ["substitution", "chat-server", ..] => vec![lesson_addr],
        ["plain-http" | "fernet", "fetch", ..] => vec![("--url", "http://127.0.0.1:5683/")],
        ["https" | "mtls", "fetch", ..] => vec![("--url", "https://localhost:5683/")],
        ["substitution", "chat", ..] => vec![("--url", "http://127.0.0.1:5683")],
        ["tap", ..] => vec![("--listen", "127.0.0.1:5684"), ("--to", "127.0.0.1:5683")],
        ["vault", "serve", ..] => vec![("--port", "5000")],
        ["vault", "login" | "list" | "upload" | "download" | "ui" | "logout", ..] => {
            vec![("--server", "localhost:5000")]
        }
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------

/// What a background process is.
#[derive(Debug, PartialEq)]
enum Kind {
    /// A server: killed at the end of its part.
    Server,
    /// A tap, a live capture, anything stopped with Ctrl-C (SIGINT) before the next
    /// `tshark -r`, so it writes its file.
    Interrupted,
}

struct Background {
    line: String,
    comment: String,
    kind: Kind,
    child: Child,
    stdout: Collected,
    stderr: Option<Collected>,
    tshark: bool,
    /// The port a server listens on (a free one).
    port: Option<String>,
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
    /// Collects a pipe's lines.
    fn new(pipe: impl Read + Send + 'static) -> Collected {
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

/// What a foreground command did.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `command` to its end (at most [`COMMAND_DEADLINE`]), with `stdin`.
fn run_to_end(command: &mut Command, stdin: Option<&str>) -> Ran {
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
        let mut pipe = child.stdin.take().unwrap();
        let _ = pipe.write_all(input.as_bytes());
    }
    let stdout = Collected::new(child.stdout.take().unwrap());
    let stderr = Collected::new(child.stderr.take().unwrap());
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
    Ran {
        code: status.code(),
        stdout: stdout.all(),
        stderr: stderr.all(),
    }
}

// ---------------------------------------------------------------------------------------
// Running a text
// ---------------------------------------------------------------------------------------

/// What the current `sh` block printed.
#[derive(Default)]
struct BlockOutput {
    /// The foreground commands' output, stdout and stderr as they came.
    printed: String,
    /// Indexes into `Run::running` of what the block started, with their terminal.
    started: Vec<(usize, Option<u32>)>,
    /// A line was left to the reader: nothing after the block is compared.
    reader: bool,
    /// The commands that failed without a `# fails:` comment: each says why. Only a
    /// block whose output the text shows with an `error:` line may hold any.
    failed: Vec<String>,
}

struct Run<'a> {
    file: &'a str,
    /// The commands print French (`LANG=fr_FR.UTF-8`).
    french: bool,
    /// Running the capture section.
    capture: bool,
    dir: &'a Path,
    home: PathBuf,
    env: Vec<(String, String)>,
    ports: Ports,
    running: Vec<Background>,
    reader: Vec<(&'static str, &'static str, bool)>,
    before: Vec<(&'static str, Before, bool)>,
    report: Report,
    /// Everything printed so far, for words that stand for a printed value.
    printed: Vec<String>,
    block: BlockOutput,
}

impl Run<'_> {
    fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.file)
    }

    /// Runs one command line of a `sh` block.
    fn step(&mut self, number: usize, line: &str) {
        let (mut tokens, comment) = tokens(line);
        let words: Vec<&str> = tokens.iter().map(|t| t.word.as_str()).collect();
        if words.starts_with(&["cargo", "test"]) {
            return;
        }
        if let Some(reader) = self
            .reader
            .iter_mut()
            .find(|(start, _, _)| line.starts_with(start))
        {
            reader.2 = true;
            self.block.reader = true;
            return;
        }
        // `export NAME=VALUE`, VALUE maybe `<what the command before printed>`.
        if let Some(assignment) = line.strip_prefix("export ") {
            let (name, value) = assignment.split_once('=').unwrap();
            let value = value.trim();
            let value = if value.starts_with('<') && value.ends_with('>') {
                self.printed
                    .last()
                    .and_then(|p| p.lines().next())
                    .map(|l| l.trim().to_string())
                    .unwrap_or_default()
            } else {
                self.ports.swap(&shell::tokens(value).0[0].word, true)
            };
            self.env.push((name.to_string(), value));
            return;
        }
        let port = self.ports.map[0].1;
        for (start, action, used) in self.before.iter_mut() {
            if line.starts_with(*start) {
                action(self.dir, port);
                *used = true;
            }
        }
        self.report.ran += 1;
        let at = self.at(number);
        let program = self.rewrite(&mut tokens, &at);
        let squirrel_args: Vec<String> = match &program {
            Program::Squirrel(args) => args.clone(),
            _ => Vec::new(),
        };
        let tshark = program == Program::Tshark;
        let args: Vec<&str> = squirrel_args.iter().map(String::as_str).collect();
        let background = if tshark {
            tokens
                .iter()
                .any(|t| t.word == "-i")
                .then_some(Kind::Interrupted)
        } else if comment.contains("Ctrl-C") || matches!(args.as_slice(), ["tap", ..]) {
            Some(Kind::Interrupted)
        } else if matches!(
            args.as_slice(),
            [_, "serve", ..] | ["substitution", "chat-server", ..]
        ) {
            Some(Kind::Server)
        } else {
            None
        };
        // As root, `ca install` would change the system store: run it as a student.
        let as_student =
            prereq::is_root() && matches!(args.as_slice(), ["ca", "install" | "uninstall", ..]);
        let mut script = join(&tokens);
        if as_student {
            // A copy of the binary in its HOME: the build's own folder may be closed to
            // other users.
            let copy = self.home.join("squirrel");
            if !copy.exists() {
                std::fs::copy(BIN, &copy).unwrap();
            }
            script = script.replacen(BIN, &copy.to_string_lossy(), 1);
            script =
                format!("setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups -- {script}");
        }
        let mut command = Command::new("sh");
        command
            .current_dir(self.dir)
            .env("HOME", &self.home)
            .env("RUST_LOG", "warn")
            .env_remove("SSLKEYLOGFILE")
            .env_remove("TRUST_STORES")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        if self.french {
            // As a French student's terminal: the messages' language from LANG; the
            // characters' from LC_CTYPE, a locale every machine has.
            command
                .env_remove("LC_ALL")
                .env_remove("LC_MESSAGES")
                .env("LANG", "fr_FR.UTF-8")
                .env("LC_CTYPE", "C.UTF-8");
        } else {
            // An English text: so is what the commands print.
            command.env("LC_ALL", "C.UTF-8");
        }
        if let Some(password) = comment.strip_prefix("asks for ") {
            command.env("SQUIRREL_PASSWORD", password.trim());
        }
        let typed = comment.strip_prefix("type: ").map(|t| {
            let words: Vec<String> = t
                .split_whitespace()
                .map(|w| self.printed_value(w).unwrap_or_else(|| w.to_string()))
                .collect();
            format!("{}\n", words.join(" "))
        });
        let terminal = comment
            .strip_prefix("terminal ")
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok());
        match background {
            Some(kind) => {
                let merge = if tshark { "" } else { "exec 2>&1; " };
                // `NAME=value exec command`: the assignments go before `exec`.
                let assignments = tokens
                    .iter()
                    .take_while(|t| {
                        !t.operator
                            && t.word.contains('=')
                            && t.word.starts_with(|c: char| c.is_ascii_uppercase())
                    })
                    .count();
                let script = if as_student {
                    format!("exec {script}")
                } else {
                    format!(
                        "{} exec {}",
                        join(&tokens[..assignments]),
                        join(&tokens[assignments..])
                    )
                };
                command.arg("-c").arg(format!("{merge}{script}"));
                let port = (kind == Kind::Server)
                    .then(|| {
                        option_value(&squirrel_args, "--addr")
                            .and_then(|a| a.rsplit(':').next())
                            .or(option_value(&squirrel_args, "--port"))
                            .map(|p| self.ports.swap(p, true))
                    })
                    .flatten();
                self.start(&at, line, &comment, kind, tshark, command, terminal, port);
            }
            None if tshark => {
                command.arg("-c").arg(&script);
                self.read(&at, line, &comment, command);
            }
            None => {
                command.arg("-c").arg(format!("exec 2>&1; {script}"));
                let ran = run_to_end(&mut command, typed.as_deref());
                let printed = self.ports.swap(&ran.stdout, false);
                match comment.strip_prefix("fails: ") {
                    None if ran.code == Some(0) => {}
                    None => self.block.failed.push(format!(
                        "{at}: `{line}` failed ({:?}):\n{printed}",
                        ran.code
                    )),
                    Some(expected) => {
                        assert!(
                            ran.code == Some(1),
                            "{at}: `{line}` did not fail:\n{printed}"
                        );
                        assert!(
                            self.french || printed.contains(expected),
                            "{at}: `{line}` failed otherwise:\n{printed}"
                        );
                    }
                }
                self.block.printed.push_str(&printed);
                self.printed.push(printed);
            }
        }
    }

    /// Puts the binary's and the tools' paths into `tokens`, the free ports, the flags
    /// of default ports, the values earlier commands printed; says what the line runs.
    fn rewrite(&self, tokens: &mut Vec<Token>, at: &str) -> Program {
        let mut program = Program::Shell;
        let ranges = commands(tokens);
        // Back to front, so the ranges stay valid while tokens are inserted.
        for range in ranges.into_iter().rev() {
            let mut start = range.start;
            while start < range.end
                && tokens[start].word.contains('=')
                && tokens[start]
                    .word
                    .starts_with(|c: char| c.is_ascii_uppercase())
            {
                start += 1;
            }
            let Some(first) = tokens.get(start).map(|t| t.word.clone()) else {
                continue;
            };
            let mut end = arguments_end(tokens, &(start..range.end));
            match first.as_str() {
                "cargo" => {
                    let dashes = (start..end)
                        .find(|&i| tokens[i].word == "--")
                        .unwrap_or_else(|| panic!("{at}: `cargo` without `run --`"));
                    tokens.splice(start..=dashes, [Token::plain(BIN)]);
                    end -= dashes - start;
                    program = self.squirrel(tokens, start, &mut end);
                }
                "squirrel" => {
                    tokens[start] = Token::plain(BIN);
                    program = self.squirrel(tokens, start, &mut end);
                }
                tool => {
                    if let Some((_, need)) = TOOLS.iter().find(|(name, _)| *name == tool) {
                        assert!(
                            need.is_met(),
                            "{at}: the text runs {tool}: declare {} in this test's needs",
                            need.name
                        );
                        let cryptography = tool == "python3"
                            && tokens[start..range.end]
                                .iter()
                                .any(|t| t.word.contains("cryptography"));
                        assert!(
                            !cryptography || PY_CRYPTOGRAPHY.is_met(),
                            "{at}: the text uses Python's cryptography: declare PY_CRYPTOGRAPHY in this test's needs"
                        );
                        let path = need.command().get_program().to_string_lossy().into_owned();
                        tokens[start] = Token::plain(&path);
                        if tool == "tshark" {
                            let guesses = self
                                .ports
                                .guesses
                                .iter()
                                .flat_map(|g| [Token::plain("-d"), Token::plain(g)]);
                            tokens.splice(start + 1..start + 1, guesses);
                            program = Program::Tshark;
                        }
                    } else {
                        assert!(
                            SHELL_TOOLS.contains(&tool),
                            "{at}: the test cannot run `{tool}`: add it to tests/common/text"
                        );
                    }
                }
            }
        }
        for token in tokens.iter_mut().filter(|t| !t.operator) {
            let swapped = self.ports.swap(&token.raw, true);
            let printed = self.printed_value(&token.word);
            if let Some(value) = printed {
                *token = Token::plain(&value);
            } else if swapped != token.raw {
                *token = Token {
                    raw: swapped,
                    word: self.ports.swap(&token.word, true),
                    operator: false,
                };
            }
        }
        program
    }

    /// A squirrel command at `start`: the flags of the default ports it relies on.
    fn squirrel(&self, tokens: &mut Vec<Token>, start: usize, end: &mut usize) -> Program {
        let args: Vec<String> = tokens[start + 1..*end]
            .iter()
            .map(|t| t.word.clone())
            .collect();
        let mut added = Vec::new();
        for (option, default) in default_ports(&args) {
            if !args.iter().any(|a| a == option) {
                added.push(Token::plain(option));
                added.push(Token::plain(default));
            }
        }
        let n = added.len();
        tokens.splice(*end..*end, added);
        *end += n;
        let mut all = args;
        all.extend(tokens[*end - n..*end].iter().map(|t| t.word.clone()));
        Program::Squirrel(all)
    }

    /// The value an earlier command printed that `word` stands for: a word whose
    /// changing parts (a time, a random value) mask alike.
    fn printed_value(&self, word: &str) -> Option<String> {
        let masked = mask::mask_word(word);
        if masked == word {
            return None;
        }
        self.printed.iter().rev().find_map(|out| {
            out.split_whitespace()
                .find(|w| *w != word && mask::mask_word(w) == masked)
                .map(str::to_string)
        })
    }

    /// Starts a server, a tap or a live capture and waits until it is ready.
    #[allow(clippy::too_many_arguments)]
    fn start(
        &mut self,
        at: &str,
        line: &str,
        comment: &str,
        kind: Kind,
        tshark: bool,
        mut command: Command,
        terminal: Option<u32>,
        port: Option<String>,
    ) {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = Collected::new(child.stdout.take().unwrap());
        let stderr = Collected::new(child.stderr.take().unwrap());
        // Owned at once, so a panic below still ends the process.
        let background = Background {
            line: line.to_string(),
            comment: comment.to_string(),
            kind,
            child,
            stdout,
            stderr: Some(stderr),
            tshark,
            port: port.clone(),
        };
        // A student stops the server on a port before starting another on it.
        if port.is_some() {
            for old in self.running.iter_mut().filter(|b| b.port == port) {
                let _ = old.child.kill();
                let _ = old.child.wait();
            }
        }
        self.running.push(background);
        let index = self.running.len() - 1;
        self.block.started.push((index, terminal));
        // tshark says "Capturing on 'Loopback: lo'" a moment before its capture process
        // has opened the interface; "Capture started." comes after (tshark 4.0). Should
        // a version not say it, a few seconds after the first line will do.
        let mut capturing_since: Option<Instant> = None;
        let started = Instant::now();
        let deadline = started + BACKGROUND_DEADLINE;
        loop {
            let b = &mut self.running[index];
            let out = b.stdout.now();
            let err = b.stderr.as_ref().map(Collected::now).unwrap_or_default();
            let ready = if tshark {
                if err.contains("Capturing on") {
                    capturing_since.get_or_insert_with(Instant::now);
                }
                err.contains("Capture started")
                    || capturing_since.is_some_and(|t| t.elapsed() > Duration::from_secs(3))
            } else if b.kind == Kind::Server || out.contains("tap: relaying") {
                out.contains("://") || out.contains("tap: relaying")
            } else {
                // Something else stopped with Ctrl-C: once it has said something.
                !out.is_empty() || started.elapsed() > Duration::from_secs(2)
            };
            if ready {
                break;
            }
            if let Some(status) = b.child.try_wait().unwrap() {
                panic!("{at}: `{line}` ended ({status}) before it was ready:\n{out}{err}");
            }
            assert!(
                Instant::now() < deadline,
                "{at}: `{line}` never got ready:\n{out}{err}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the taps and live captures, so their files are written; checks what a live
    /// capture with a display filter printed. What they printed stays readable for the
    /// `text` blocks that follow.
    fn stop_interrupted(&mut self) {
        let indexes: Vec<usize> = (0..self.running.len())
            .filter(|&i| {
                self.running[i].kind == Kind::Interrupted && self.running[i].stderr.is_some()
            })
            .collect();
        if indexes.is_empty() {
            return;
        }
        // The last packets are on their way to the capture.
        std::thread::sleep(Duration::from_millis(500));
        for i in indexes {
            let b = &mut self.running[i];
            let pid = i32::try_from(b.child.id()).unwrap();
            // SAFETY: kill(2) with a pid we own and a standard signal number.
            unsafe { libc::kill(pid, libc::SIGINT) };
            let deadline = Instant::now() + BACKGROUND_DEADLINE;
            while b.child.try_wait().unwrap().is_none() {
                assert!(Instant::now() < deadline, "`{}` did not stop", b.line);
                std::thread::sleep(Duration::from_millis(20));
            }
            let out = b.stdout.all();
            let err = b.stderr.take().map(|e| e.all()).unwrap_or_default();
            let (line, comment) = (b.line.clone(), b.comment.clone());
            if b.tshark && line.contains(" -Y ") {
                if let Err(why) = self.expect_packets(&line, &comment, &out) {
                    panic!("{}: {why}\n{err}", self.file);
                }
            }
        }
    }

    /// Runs a `tshark -r` line after the captures it reads are written.
    fn read(&mut self, at: &str, line: &str, comment: &str, mut command: Command) {
        self.stop_interrupted();
        let ran = run_to_end(&mut command, None);
        assert!(ran.code == Some(0), "{at}: `{line}` failed: {}", ran.stderr);
        if let Err(why) = self.expect_packets(line, comment, &ran.stdout) {
            panic!("{at}: {why}{}", ran.stderr);
        }
        self.block.printed.push_str(&ran.stdout);
        self.report.reads += 1;
    }

    /// Checks a filter's output against the line's comment: `nothing…` → no packet,
    /// `prints: X` → exactly X (lines joined with ", ", blanks collapsed; X ending in
    /// `…` is a prefix), anything else → at least one packet.
    fn expect_packets(&self, line: &str, comment: &str, out: &str) -> Result<(), String> {
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
            "`{line}` (ports {:?}) shows {shown:?}, not what its comment says\n",
            self.ports.map
        ))
    }

    /// Holds a `text` block to what the command before it printed, when it is output
    /// (see the module doc).
    fn compare(&mut self, block: &Block, previous: Option<&Block>) {
        let after_sh = block.follows_previous && previous.is_some_and(|p| p.lang == "sh");
        // "Terminal N shows", or in a French text "Le terminal N affiche".
        let terminal = [("Terminal ", " shows"), ("Le terminal ", " affiche")]
            .iter()
            .find_map(|(start, verb)| {
                block
                    .prose_before
                    .strip_prefix(start)
                    .and_then(|rest| rest.split_once(verb))
            })
            .and_then(|(n, _)| n.parse::<u32>().ok());
        if self.block.reader || (!after_sh && terminal.is_none()) {
            return;
        }
        let expected_lines: Vec<String> = mask(&block.lines.join("\n"))
            .lines()
            .map(str::to_string)
            .collect();
        let expected: Vec<&str> = expected_lines.iter().map(String::as_str).collect();
        let at = self.at(block.line);
        // A command may fail only where the text shows it failing.
        let shows_error = block.lines.iter().any(|l| {
            let exception = l
                .split_once(": ")
                .is_some_and(|(kind, _)| kind.ends_with("Error") && !kind.contains(' '));
            l.starts_with("error") || l.starts_with("erreur") || exception
        });
        if after_sh && terminal.is_none() {
            assert_eq!(
                !self.block.failed.is_empty(),
                shows_error,
                "{at}: the text shows {} but {}",
                if shows_error { "an error" } else { "no error" },
                if self.block.failed.is_empty() {
                    "every command succeeded".to_string()
                } else {
                    self.block.failed.join("\n")
                }
            );
        }
        let sources: Vec<usize> = match terminal {
            Some(n) => {
                let found = self.block.started.iter().find(|(_, t)| *t == Some(n));
                vec![
                    found
                        .unwrap_or_else(|| panic!("{at}: no `# terminal {n}` before"))
                        .0,
                ]
            }
            None if self.block.printed.is_empty() => {
                self.block.started.iter().map(|(i, _)| *i).collect()
            }
            None => Vec::new(),
        };
        let deadline = Instant::now() + OUTPUT_DEADLINE;
        loop {
            let printed = if sources.is_empty() {
                self.block.printed.clone()
            } else {
                sources
                    .iter()
                    .map(|&i| self.ports.swap(&self.running[i].stdout.now(), false))
                    .collect()
            };
            let masked = mask(&printed);
            let actual: Vec<&str> = masked.lines().collect();
            if matches(&expected, &actual) {
                self.report.compared += 1;
                return;
            }
            assert!(
                !sources.is_empty() && Instant::now() < deadline,
                "{at}: the text shows\n{}\nbut the commands printed\n{printed}\n(masked: the text\n{}\nthe output\n{masked})",
                block.lines.join("\n"),
                expected.join("\n"),
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Ends a part: stops everything it started.
    /// Ends a part: stops the taps and captures it started and, in the capture section,
    /// its servers too (each part there starts its own). Elsewhere a server runs on, as
    /// a student's terminal 1 does, until a server takes its port.
    fn finish(&mut self) {
        self.stop_interrupted();
        if self.capture {
            self.running.clear();
        }
        self.block = BlockOutput::default();
    }
}

/// What a command line runs.
#[derive(Debug, PartialEq)]
enum Program {
    /// The binary under test, with these arguments.
    Squirrel(Vec<String>),
    /// tshark.
    Tshark,
    /// A tool or a shell utility.
    Shell,
}
