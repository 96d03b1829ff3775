//! The lessons: each stage of "Exploring HTTPS with Python" as a module, a command, a
//! text in `lessons/` and a staged test. [`LESSONS`] is the one place that lists them:
//! `squirrel lessons` prints it, the command line takes each number as an alias of its
//! command, the tour and its page take their stage titles from it, and tests hold the
//! texts' titles, the README's lesson table and the files in `lessons/` and `tests/` to
//! it, both ways (as rustlings' `dev check` does).

pub mod l01_plain_http;
pub mod l02_substitution;
pub mod l03_fernet;
pub mod l04_key_exchange;
pub mod l06_https;
pub mod l07_mutual_tls;
pub mod l09_browser_chat;

use std::time::Duration;

use crate::http::{HttpError, Response, Url, UrlError};
use crate::i18n::{Lang, Localized};
use crate::net::ConnectError;
use crate::tls::{HandshakeFailure, TlsError};
use crate::tr_in;

/// The Secret Squirrels' message, the thing every stage tries to protect.
pub const SECRET: &str = "fluffy tail";

/// Where lesson servers listen by default: the tutorial's port.
pub const DEFAULT_ADDR: &str = "127.0.0.1:5683";

/// How long lesson clients wait for each connect, read and write.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest reply a lesson client reads, in bytes.
pub const MAX_REPLY: u64 = 1 << 20;

/// Why a lesson's client (or server set-up) failed, in words a student can act on: from
/// `locales/*/lessons.ftl` ([`Localized`]); `Display` is English. The variants holding a
/// text were given it in the language in force where it was made.
#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    /// The `--url` does not parse.
    Url(#[from] UrlError),
    /// The `--url` names another scheme than the lesson speaks.
    Scheme {
        /// The lesson's scheme: `http` or `https`.
        expected: &'static str,
        /// The URL's scheme.
        got: String,
        /// The URL's `host:port`.
        authority: String,
    },
    /// The TCP connection could not be made (plain-HTTP lessons).
    Connect(#[from] ConnectError),
    /// Connecting, the TLS handshake, or the first read after it failed.
    Tls(#[from] TlsError),
    /// The reply could not be read: what HTTP saw.
    Http(HttpError),
    /// The reply could not be read, or is not what the lesson expects (the text says
    /// why, TLS alerts included).
    Reply(String),
    /// The server answered with an error status: its status line (`404 Not Found`) and
    /// the `message` of its JSON reply, when it has one (`the secret is at /`; the wire's
    /// words, English).
    Status {
        /// The status code and reason phrase.
        status: String,
        /// The reply's `message`.
        message: Option<String>,
    },
    /// A key or certificate is missing or wrong; the text says which and why.
    Key(String),
    /// The reply's body is not UTF-8 text.
    NotUtf8,
    /// Lesson 03's key or token is wrong.
    Fernet(#[from] l03_fernet::FernetError),
}

impl Localized for LessonError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            LessonError::Url(e) => e.message_in(lang),
            LessonError::Scheme {
                expected,
                got,
                authority,
            } => tr_in!(
                lang,
                "lessons-error-scheme",
                expected = *expected,
                got = got,
                authority = authority
            ),
            LessonError::Connect(e) => e.message_in(lang),
            LessonError::Tls(e) => e.message_in(lang),
            LessonError::Http(e) => e.message_in(lang),
            LessonError::Reply(text) | LessonError::Key(text) => text.clone(),
            LessonError::NotUtf8 => tr_in!(lang, "lessons-reply-not-utf8"),
            LessonError::Fernet(e) => e.message_in(lang),
            LessonError::Status {
                status,
                message: None,
            } => tr_in!(lang, "lessons-error-status", status = status),
            LessonError::Status {
                status,
                message: Some(message),
            } => tr_in!(
                lang,
                "lessons-error-status-message",
                status = status,
                message = message
            ),
        }
    }
}

crate::english_display!(LessonError);

impl LessonError {
    /// The error status of `response`, with its JSON `message` when it has one.
    pub fn status(response: &Response) -> Self {
        LessonError::Status {
            status: response.to_string(),
            message: response.message(),
        }
    }

    /// A reply-reading failure: a TLS refusal that came with the first read (TLS 1.3
    /// reports a refused client certificate there), or what broke.
    pub fn reply(e: HttpError) -> Self {
        let HttpError::Io(io) = e else {
            return LessonError::Http(e);
        };
        if let Some(failure) = HandshakeFailure::after_handshake(&io) {
            return LessonError::Tls(TlsError::Refused(failure));
        }
        match io.kind() {
            std::io::ErrorKind::TimedOut
            | std::io::ErrorKind::WouldBlock
            | std::io::ErrorKind::ConnectionReset => {
                LessonError::Reply(HandshakeFailure::from_socket(&io).localized())
            }
            // The operating system's words.
            _ => LessonError::Reply(io.to_string()),
        }
    }
}

/// Parses a lesson `--url`, checking its scheme.
pub fn parse_url(text: &str, scheme: &'static str) -> Result<Url, LessonError> {
    let url = Url::parse(text)?;
    if url.scheme != scheme {
        return Err(LessonError::Scheme {
            expected: scheme,
            got: url.scheme.clone(),
            authority: url.host_header(),
        });
    }
    Ok(url)
}

/// The body of a 200 reply as text, or the error status with the reply's `message`.
pub fn body_text(response: Response) -> Result<String, LessonError> {
    if response.status != 200 {
        return Err(LessonError::status(&response));
    }
    String::from_utf8(response.body).map_err(|_| LessonError::NotUtf8)
}

/// One lesson: where its pieces are and what to try first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lesson {
    /// Lesson number, 1 to 9 (also a command alias: `squirrel 3 …`).
    pub number: u8,
    /// Short name used in file names (`lessons/NN-<slug>.md`).
    pub slug: &'static str,
    /// The stage's name, short: the tour's heading for it (`Plain HTTP`).
    pub name: &'static str,
    /// What the stage shows: the lesson text's title and `squirrel lessons`' line.
    pub title: &'static str,
    /// The `squirrel` subcommand of the lesson.
    pub command: &'static str,
    /// The command to try first.
    pub try_first: &'static str,
    /// A hint for when it does not work.
    pub hint: &'static str,
}

impl Lesson {
    /// The lesson text, relative to the project root: `lessons/NN-<slug>.md`.
    pub fn text_path(&self) -> String {
        format!("lessons/{:02}-{}.md", self.number, self.slug)
    }

    /// The lesson text in `lang`, relative to the project root: `lessons/NN-<slug>.md`,
    /// or its French twin `lessons/fr/NN-<slug>.md`.
    pub fn text_path_in(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.text_path(),
            Lang::Fr => format!("lessons/fr/{:02}-{}.md", self.number, self.slug),
        }
    }

    /// [`Lesson::name`] in `lang` (`HTTP en clair`).
    pub fn name_in(&self, lang: Lang) -> String {
        match self.number {
            1 => tr_in!(lang, "lessons-01-name"),
            2 => tr_in!(lang, "lessons-02-name"),
            3 => tr_in!(lang, "lessons-03-name"),
            4 => tr_in!(lang, "lessons-04-name"),
            5 => tr_in!(lang, "lessons-05-name"),
            6 => tr_in!(lang, "lessons-06-name"),
            7 => tr_in!(lang, "lessons-07-name"),
            8 => tr_in!(lang, "lessons-08-name"),
            9 => tr_in!(lang, "lessons-09-name"),
            _ => self.name.to_string(),
        }
    }

    /// [`Lesson::title`] in `lang`: the title of the lesson text in that language.
    pub fn title_in(&self, lang: Lang) -> String {
        match self.number {
            1 => tr_in!(lang, "lessons-01-title"),
            2 => tr_in!(lang, "lessons-02-title"),
            3 => tr_in!(lang, "lessons-03-title"),
            4 => tr_in!(lang, "lessons-04-title"),
            5 => tr_in!(lang, "lessons-05-title"),
            6 => tr_in!(lang, "lessons-06-title"),
            7 => tr_in!(lang, "lessons-07-title"),
            8 => tr_in!(lang, "lessons-08-title"),
            9 => tr_in!(lang, "lessons-09-title"),
            _ => self.title.to_string(),
        }
    }

    /// [`Lesson::hint`] in `lang`.
    pub fn hint_in(&self, lang: Lang) -> String {
        match self.number {
            1 => tr_in!(lang, "lessons-01-hint"),
            2 => tr_in!(lang, "lessons-02-hint"),
            3 => tr_in!(lang, "lessons-03-hint"),
            4 => tr_in!(lang, "lessons-04-hint"),
            5 => tr_in!(lang, "lessons-05-hint"),
            6 => tr_in!(lang, "lessons-06-hint"),
            7 => tr_in!(lang, "lessons-07-hint"),
            8 => tr_in!(lang, "lessons-08-hint"),
            9 => tr_in!(lang, "lessons-09-hint"),
            _ => self.hint.to_string(),
        }
    }

    /// [`Lesson::try_first`] in `lang`: the commands as they are, the words around them
    /// (`(then: …)`) translated.
    pub fn try_first_in(&self, lang: Lang) -> String {
        match self
            .try_first
            .split_once("   (then: ")
            .and_then(|(first, rest)| Some((first, rest.strip_suffix(')')?)))
        {
            Some((first, then)) => {
                // Lesson 09's next step has words around its commands.
                let then = match self.number {
                    9 => tr_in!(lang, "lessons-09-then"),
                    _ => then.to_string(),
                };
                tr_in!(lang, "lessons-try-then", first = first, then = then)
            }
            None => self.try_first.to_string(),
        }
    }

    /// The staged test's name, for `cargo test --test <name>`.
    pub fn test_name(&self) -> String {
        format!("lesson{:02}_{}", self.number, self.slug.replace('-', "_"))
    }
}

/// Every lesson, in order.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        number: 1,
        slug: "plain-http",
        name: "Plain HTTP",
        title: "Plain HTTP: anyone on the path reads `fluffy tail`",
        command: "plain-http",
        try_first: "squirrel plain-http serve   (then: squirrel plain-http fetch)",
        hint: "capture on loopback with the filter `port 5683`, then Decode As TCP 5683 → HTTP (Wireshark guesses CoAP)",
    },
    Lesson {
        number: 2,
        slug: "substitution",
        name: "A substitution cipher",
        title: "A substitution cipher, a chat that logs only ciphertext, and how frequency analysis breaks it",
        command: "substitution",
        try_first: "squirrel substitution encrypt --shift 1 'fluffy tail'",
        hint: "--shift N moves each letter N places back: with 1, f becomes e",
    },
    Lesson {
        number: 3,
        slug: "fernet",
        name: "Fernet",
        title: "Fernet: real symmetric encryption, and the problem of sharing the key",
        command: "fernet",
        try_first: "squirrel fernet keygen",
        hint: "server and client need the same SECRET_KEY",
    },
    Lesson {
        number: 4,
        slug: "key-exchange",
        name: "Key exchange",
        title: "Key exchange: agreeing on a key in public, and the man in the middle",
        command: "key-exchange",
        try_first: "squirrel key-exchange demo",
        hint: "the toy numbers are tiny on purpose: real groups are 255 bits or more",
    },
    Lesson {
        number: 5,
        slug: "certificate-authority",
        name: "A certificate authority",
        title: "Become a certificate authority: CSR, signature, chain of trust",
        command: "ca",
        try_first: "squirrel ca init",
        hint: "files go to certs/; nothing is overwritten without --force",
    },
    Lesson {
        number: 6,
        slug: "https",
        name: "HTTPS",
        title: "HTTPS: the plain-HTTP server behind TLS",
        command: "https",
        try_first: "squirrel https serve   (then: squirrel https fetch --cacert certs/ca.crt)",
        hint: "the client must trust the CA: pass --cacert certs/ca.crt",
    },
    Lesson {
        number: 7,
        slug: "mutual-tls",
        name: "Mutual TLS",
        title: "Mutual TLS: the server asks for a client certificate too",
        command: "mtls",
        try_first: "squirrel mtls serve   (then: squirrel mtls fetch --cert certs/client.crt --key certs/client.key)",
        hint: "make the client certificate with: squirrel ca issue --name client --client",
    },
    Lesson {
        number: 8,
        slug: "vault",
        name: "The file vault",
        title: "The file vault: everything together, in a real product",
        command: "vault",
        try_first: "squirrel vault serve --demo",
        hint: "the client finds its certificates in ./certs (--dir to change)",
    },
    Lesson {
        number: 9,
        slug: "browser-chat",
        name: "The browser chat",
        title: "The browser chat: end-to-end encryption with WebCrypto, and a lying server caught",
        command: "web-chat",
        try_first: "squirrel web-chat serve   (then: squirrel ca install, and open https://localhost:5683/ and https://127.0.0.1:5683/)",
        hint: "crypto.subtle needs a secure context: open the page over https:// with the CA trusted",
    },
];

/// The lesson with this number, if any.
pub fn by_number(number: u8) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Like rustlings' authoring check: every lesson in the table has its text and its
    /// staged test, and every text names the test command.
    #[test]
    fn every_lesson_has_a_text_and_a_staged_test() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (i, lesson) in LESSONS.iter().enumerate() {
            assert_eq!(
                lesson.number as usize,
                i + 1,
                "lessons are numbered in order"
            );
            let text = std::fs::read_to_string(root.join(lesson.text_path()))
                .unwrap_or_else(|e| panic!("{}: {e}", lesson.text_path()));
            let heading = format!("# Lesson {:02} — {}", lesson.number, lesson.title);
            assert_eq!(
                text.lines().next(),
                Some(heading.as_str()),
                "{} does not start with the table's title",
                lesson.text_path()
            );
            let command = format!("cargo test --test {}", lesson.test_name());
            assert!(
                text.contains(&command),
                "{} does not show `{command}`",
                lesson.text_path()
            );
            let test = root
                .join("tests")
                .join(format!("{}.rs", lesson.test_name()));
            assert!(test.exists(), "{} is missing", test.display());
            assert_eq!(by_number(lesson.number), Some(lesson));
        }
    }

    /// The catalogs' words for the table are the table's own in English, and the French
    /// twins' titles in French.
    #[test]
    fn the_table_speaks_english_and_french() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for lesson in LESSONS {
            assert_eq!(lesson.name_in(Lang::En), lesson.name);
            assert_eq!(lesson.title_in(Lang::En), lesson.title);
            assert_eq!(lesson.hint_in(Lang::En), lesson.hint);
            assert_eq!(lesson.try_first_in(Lang::En), lesson.try_first);
            let path = lesson.text_path_in(Lang::Fr);
            let text =
                std::fs::read_to_string(root.join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
            let heading = format!(
                "# Leçon {:02} — {}",
                lesson.number,
                lesson.title_in(Lang::Fr)
            );
            assert_eq!(text.lines().next(), Some(heading.as_str()), "{path}");
            assert_ne!(lesson.hint_in(Lang::Fr), lesson.hint, "{path}");
            assert_ne!(lesson.name_in(Lang::Fr), "", "{path}");
        }
    }

    /// The check the other way round, as rustlings' `dev check` does: a lesson text or
    /// a staged test that the table does not list is a stage nobody will find.
    #[test]
    fn every_lesson_text_and_staged_test_is_in_the_table() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let texts: Vec<String> = LESSONS.iter().map(Lesson::text_path).collect();
        let tests: Vec<String> = LESSONS
            .iter()
            .map(|l| format!("tests/{}.rs", l.test_name()))
            .collect();
        let numbered = |name: &str, prefix: &str| {
            name.strip_prefix(prefix).is_some_and(|rest| {
                rest.len() > 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            })
        };
        let mut seen = 0;
        for (folder, prefix, listed) in [("lessons", "", &texts), ("tests", "lesson", &tests)] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                if numbered(&name, prefix) {
                    let path = format!("{folder}/{name}");
                    assert!(
                        listed.contains(&path),
                        "{path} is not in the lesson table (src/lessons/mod.rs)"
                    );
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 2 * LESSONS.len());
    }
}
