//! The language of what the command line prints for a person: `--lang`, else `LC_ALL`,
//! `LC_MESSAGES`, `LANG` (`fr_FR.UTF-8` → French), else English; a failure is `error:` and
//! `hint:` in English, `erreur :` and `conseil :` in French (U+00A0 before the colon, as
//! French typography wants). Through the real binary.

mod common;

use common::{run, text};

/// A lesson server asked for a port that cannot exist: it fails before listening, with
/// a hint, and prints nothing else.
const BAD_PORT: [&str; 4] = ["plain-http", "serve", "--addr", "127.0.0.1:99999"];

fn stderr_of(args: &[&str], envs: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), args, envs);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    text(&out.stderr)
}

const FRENCH: &str = "erreur\u{a0}: impossible d'écouter sur 127.0.0.1:99999\u{a0}: le port 99999 est hors limites (un port TCP est un nombre de 1 à 65535)\nconseil\u{a0}: passez --addr 127.0.0.1:5683, ou un autre port de 1 à 65535\n";

const ENGLISH: &str = "error: cannot listen on 127.0.0.1:99999: the port 99999 is out of range (a TCP port is a number from 1 to 65535)\nhint: pass --addr 127.0.0.1:5683, or another port from 1 to 65535\n";

#[test]
fn a_failure_and_its_hint_read_in_french_with_lang_fr() {
    let mut args = vec!["--lang", "fr"];
    args.extend(BAD_PORT);
    assert_eq!(stderr_of(&args, &[]), FRENCH);
}

#[test]
fn without_lang_the_locale_chooses_lc_all_first_then_lc_messages_then_lang() {
    // The test helper sets LC_ALL=C.UTF-8: English.
    assert_eq!(stderr_of(&BAD_PORT, &[]), ENGLISH);
    // A French student's terminal.
    let french = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "fr_FR.UTF-8")];
    assert_eq!(stderr_of(&BAD_PORT, &french), FRENCH);
    // LC_MESSAGES outranks LANG, LC_ALL outranks both.
    let messages = [
        ("LC_ALL", ""),
        ("LC_MESSAGES", "en_GB.UTF-8"),
        ("LANG", "fr_FR.UTF-8"),
    ];
    assert_eq!(stderr_of(&BAD_PORT, &messages), ENGLISH);
    let all = [("LC_ALL", "fr_CA.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")];
    assert_eq!(stderr_of(&BAD_PORT, &all), FRENCH);
    // --lang outranks the locale.
    let mut args = vec!["--lang", "en"];
    args.extend(BAD_PORT);
    assert_eq!(stderr_of(&args, &french), ENGLISH);
}

#[test]
fn a_language_we_do_not_have_is_refused_by_lang_and_falls_back_to_english_from_the_locale() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--lang", "de", "lessons"], &[]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        text(&out.stderr).contains("[possible values: en, fr]"),
        "{out:?}"
    );
    let german = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "de_DE.UTF-8")];
    assert_eq!(stderr_of(&BAD_PORT, &german), ENGLISH);
}
