//! `squirrel substitution …` (lesson 02): the shift cipher, the encrypted chat, and the
//! frequency analysis that breaks both.

use std::io::{self, BufRead, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use squirrel::i18n::Localized;
use squirrel::lessons::l02_substitution::{
    self as lesson, ChatClient, ChatRoom, Crack, CrackedLog, Language, LogLine, Received,
    SubstitutionError, KEPT_MESSAGES, MIN_LETTERS,
};
use squirrel::lessons::{parse_url, CLIENT_TIMEOUT, DEFAULT_ADDR};
use squirrel::tr;

use super::lesson_failure;
use crate::Failure;

/// How often the chat client asks the relay for new messages.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// Lesson 02: a shift cipher (a TOY), a chat whose server logs only ciphertext, and
/// frequency analysis breaking it.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Encrypt TEXT (or stdin): each letter moves --shift places back (1: fluffy → ekteex).
    Encrypt {
        /// Places each letter moves back (negative: forward); the tutorial's key is 1.
        #[arg(long, default_value_t = lesson::TUTORIAL_SHIFT, allow_negative_numbers = true)]
        shift: i64,
        /// The text; read from stdin when absent.
        text: Option<String>,
    },
    /// Decrypt TEXT (or stdin) made with the same --shift.
    Decrypt {
        /// The shift the text was encrypted with.
        #[arg(long, default_value_t = lesson::TUTORIAL_SHIFT, allow_negative_numbers = true)]
        shift: i64,
        /// The text; read from stdin when absent.
        text: Option<String>,
    },
    /// Find the shift without the key, by letter frequencies; FILE may be a chat log.
    Crack {
        /// A text file, or the chat server's log.txt; stdin when absent.
        file: Option<PathBuf>,
        /// The language of the plaintext; auto tries both and keeps the best fit. (Not
        /// `--lang`: that one is the language squirrel speaks, on every command.)
        #[arg(long, value_enum, default_value_t = LanguageArg::Auto)]
        language: LanguageArg,
    },
    /// Run the chat relay: it stores and forwards ciphertext and logs it to --log.
    ChatServer {
        /// Address to listen on, HOST:PORT (5683 is the tutorial's port).
        #[arg(long, default_value = DEFAULT_ADDR)]
        addr: String,
        /// Log file: one line per message, `timestamp|[CLIENT ip:port]ciphertext`.
        #[arg(long, default_value = "log.txt")]
        log: PathBuf,
    },
    /// Join the chat: type lines, read everyone else's; Ctrl-D to leave.
    Chat {
        /// Your name, sent (encrypted) before each message.
        #[arg(long)]
        name: String,
        /// The relay's URL.
        #[arg(long, default_value = "http://127.0.0.1:5683")]
        url: String,
        /// The club's key: everyone in the chat must use the same one.
        #[arg(long, default_value_t = lesson::TUTORIAL_SHIFT, allow_negative_numbers = true)]
        shift: i64,
    },
}

/// `--language` of `crack`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LanguageArg {
    /// Try English and French; keep the better fit.
    Auto,
    /// English letter frequencies.
    En,
    /// French letter frequencies.
    Fr,
}

impl LanguageArg {
    fn language(self) -> Option<Language> {
        match self {
            LanguageArg::Auto => None,
            LanguageArg::En => Some(Language::English),
            LanguageArg::Fr => Some(Language::French),
        }
    }
}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Encrypt { shift, text } => transform(text, |t| lesson::encrypt(t, shift)),
        Command::Decrypt { shift, text } => transform(text, |t| lesson::decrypt(t, shift)),
        Command::Crack { file, language } => crack(file.as_deref(), language.language()),
        Command::ChatServer { addr, log } => chat_server(&addr, &log),
        Command::Chat { name, url, shift } => chat(&name, &url, shift),
    }
}

/// Prints `f(TEXT)` with a newline, or `f(stdin)` as is (it keeps its own newlines).
fn transform(text: Option<String>, f: impl Fn(&str) -> String) -> Result<(), Failure> {
    let result = match text {
        Some(text) => f(&text) + "\n",
        None => f(&read_stdin()?),
    };
    io::stdout()
        .lock()
        .write_all(result.as_bytes())
        .or_else(output_closed)
}

/// A reader who stops reading (`| head`) ends the output quietly; other write errors fail.
fn output_closed(e: io::Error) -> Result<(), Failure> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Failure::new(tr!(
            "substitution-cannot-write-stdout",
            reason = e.to_string()
        )))
    }
}

fn read_stdin() -> Result<String, Failure> {
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| {
        Failure::new(tr!(
            "substitution-cannot-read-stdin",
            reason = e.to_string()
        ))
    })?;
    // Not UTF-8 (a Latin-1 file, say): the letters still count, the rest shows as �.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn crack(file: Option<&Path>, language: Option<Language>) -> Result<(), Failure> {
    let text = match file {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                Failure::new(tr!(
                    "substitution-cannot-read",
                    path = path.display().to_string(),
                    reason = e.to_string()
                ))
                .hint(tr!("substitution-cannot-read-hint"))
            })?;
            String::from_utf8_lossy(&bytes).into_owned()
        }
        None => read_stdin()?,
    };
    let no_letters = |e: SubstitutionError| {
        Failure::new(e.localized()).hint(tr!("substitution-no-letters-hint"))
    };
    let mut out = io::stdout().lock();
    if let Some(lines) = lesson::parse_chat_log(&text) {
        let cracked = lesson::crack_chat_log(&lines, language).map_err(no_letters)?;
        print_cracked_log(&mut out, &lines, &cracked).or_else(output_closed)
    } else {
        let cracked = lesson::crack(&text, language).map_err(no_letters)?;
        print_cracked_text(&mut out, &cracked, &text).or_else(output_closed)
    }
}

fn print_cracked_log(
    out: &mut dyn Write,
    lines: &[LogLine],
    cracked: &CrackedLog,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        tr!(
            "substitution-chat-log",
            n = lines.len(),
            letters = cracked.crack.letters.to_string()
        )
    )?;
    let joined: Vec<&str> = lines.iter().map(|l| l.ciphertext.as_str()).collect();
    report(out, &cracked.crack, &joined.join(" "))?;
    if cracked.crack.is_sure() {
        writeln!(out, "{}", tr!("substitution-conversation"))?;
    } else {
        writeln!(
            out,
            "{}",
            tr!(
                "substitution-conversation-if",
                shift = cracked.crack.best.shift.to_string()
            )
        )?;
    }
    for (line, plaintext) in &cracked.lines {
        writeln!(out, "{}  [{}]  {plaintext}", line.timestamp, line.peer)?;
    }
    Ok(())
}

fn print_cracked_text(out: &mut dyn Write, cracked: &Crack, text: &str) -> io::Result<()> {
    report(out, cracked, text)?;
    if !cracked.is_sure() {
        // The best fit's decryption is already the list's first line; printing it again
        // under a "check it" would read as an answer.
        return writeln!(out, "{}", tr!("substitution-check-any"));
    }
    writeln!(
        out,
        "{}",
        tr!("substitution-check", shift = cracked.best.shift.to_string())
    )?;
    writeln!(out)?;
    write!(out, "{}", cracked.plaintext)?;
    if !cracked.plaintext.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// The verdict: the shift and how well it fits; when the text is too short to be sure,
/// the doubt comes first, in the answer itself, then every shift's decryption: with 26
/// keys, brute force takes one look.
fn report(out: &mut dyn Write, crack: &Crack, ciphertext: &str) -> io::Result<()> {
    let best = &crack.best;
    let versus = match crack.runner_up() {
        Some(r) => tr!(
            "substitution-next-best",
            shift = r.shift.to_string(),
            chi = format!("{:.1}", r.chi_squared)
        ),
        None => String::new(),
    };
    if crack.is_sure() {
        return writeln!(
            out,
            "{}",
            tr!(
                "substitution-shift-is",
                shift = best.shift.to_string(),
                language = best.language.name(),
                chi = format!("{:.1}", best.chi_squared),
                letters = crack.letters.to_string(),
                versus = versus
            )
        );
    }
    writeln!(
        out,
        "{}",
        tr!(
            "substitution-not-sure",
            letters = crack.letters.to_string(),
            min = MIN_LETTERS.to_string(),
            shift = best.shift.to_string(),
            language = best.language.name(),
            chi = format!("{:.1}", best.chi_squared),
            versus = versus
        )
    )?;
    writeln!(out, "{}", tr!("substitution-all-shifts"))?;
    let sample: String = ciphertext.chars().take(60).collect();
    let sample = sample.lines().next().unwrap_or("");
    for guess in &crack.ranking {
        writeln!(
            out,
            "  {}",
            tr!(
                "substitution-shift-line",
                shift = format!("{:>2}", guess.shift),
                chi = format!("{:.1}", guess.chi_squared),
                text = lesson::decrypt(sample, i64::from(guess.shift))
            )
        )?;
    }
    Ok(())
}

fn chat_server(addr: &str, log_path: &Path) -> Result<(), Failure> {
    // Listen first: a relay that cannot start must not leave an empty log behind.
    let (listener, bound) = super::bind_lesson(addr)?;
    let room = ChatRoom::new(Some(log_path), KEPT_MESSAGES)
        .map_err(|e| Failure::new(e.localized()).hint(tr!("substitution-log-hint")))?;
    // A closed stdout must not stop the relay: the banner is best effort.
    let _ = banner(&mut io::stdout().lock(), bound, log_path);
    lesson::chat_server(listener, Arc::new(room))
        .run()
        .map_err(|e| Failure::new(tr!("substitution-server-stopped", reason = e.to_string())))
}

/// What the relay is, where it logs, and how to join and break it.
fn banner(out: &mut dyn Write, bound: SocketAddr, log_path: &Path) -> io::Result<()> {
    let path = log_path.display().to_string();
    writeln!(
        out,
        "{}",
        tr!("substitution-relaying", addr = bound.to_string())
    )?;
    writeln!(out, "{}", tr!("substitution-appended", path = &path))?;
    writeln!(out, "{}", tr!("substitution-join"))?;
    writeln!(
        out,
        "  squirrel substitution chat --name alice --url http://{bound}"
    )?;
    writeln!(
        out,
        "  squirrel substitution chat --name bob --url http://{bound}"
    )?;
    writeln!(out, "{}", tr!("substitution-break", path = &path))?;
    writeln!(out, "{}", tr!("substitution-stop"))
}

fn chat_failure(e: SubstitutionError) -> Failure {
    match e {
        SubstitutionError::Lesson(e) => {
            lesson_failure(e).hint(tr!("substitution-chat-server-hint"))
        }
        other => Failure::new(other.localized()),
    }
}

fn show(received: &[Received]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    for message in received {
        writeln!(out, "{}", message.plaintext)?;
    }
    out.flush()
}

fn chat(name: &str, url: &str, shift: i64) -> Result<(), Failure> {
    let url = parse_url(url, "http").map_err(lesson_failure)?;
    let mut client = ChatClient::new(url.clone(), name, shift, CLIENT_TIMEOUT)
        .map_err(|e| Failure::new(e.localized()).hint(tr!("substitution-name-hint")))?;
    // Joining fetches what the relay still holds, and proves it is there.
    let history = client.poll().map_err(chat_failure)?;
    let joined = tr!(
        "substitution-joined",
        addr = url.host_header(),
        name = client.name(),
        shift = shift.to_string()
    );
    writeln!(io::stdout(), "{joined}")
        .and_then(|()| show(&history))
        .or_else(output_closed)?;

    // stdin blocks, so it gets its own thread; the main loop sends what it reads and
    // polls in between, so messages arrive while you are not typing.
    let (lines_tx, lines_rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    converse(&mut client, &lines_rx).or_else(output_closed)
}

/// Sends each line typed, polls every [`POLL_EVERY`] in between, and prints what comes;
/// returns when stdin closes (or stdout does).
fn converse(client: &mut ChatClient, lines: &mpsc::Receiver<String>) -> io::Result<()> {
    let mut failing = false;
    loop {
        match lines.recv_timeout(POLL_EVERY) {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => match client.send(&line) {
                Ok(received) => show(&received)?,
                Err(e) => eprintln!("{}", tr!("substitution-not-sent", reason = e.localized())),
            },
            Err(RecvTimeoutError::Timeout) => match client.poll() {
                Ok(received) => {
                    if failing {
                        eprintln!("{}", tr!("substitution-back"));
                        failing = false;
                    }
                    show(&received)?;
                }
                // Say it once, not every second, while the relay is away.
                Err(e) if !failing => {
                    eprintln!("{}", tr!("substitution-retrying", reason = e.localized()));
                    failing = true;
                }
                Err(_) => {}
            },
            Err(RecvTimeoutError::Disconnected) => {
                // stdin closed: show the last messages, then leave.
                if let Ok(last) = client.poll() {
                    show(&last)?;
                }
                return writeln!(io::stdout(), "{}", tr!("substitution-left"));
            }
        }
    }
}
