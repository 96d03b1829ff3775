//! What a text shows against what a command printed: the parts that change from run to
//! run masked on both sides, then the text's `…` read as "anything here".
//!
//! Masked: dates and times (`22 Nov 2026 04:08:51 UTC`, `2026-11-22T03:55:05.347Z`, an
//! archive's `_2026-11-22T10-00-00`), fingerprints, key identifiers and serials (colon
//! hex, long hex, `B5:DC…BE:17`), Fernet tokens and keys, session ids, salts, the
//! shown starts of random values (`tdEGiwW2NO3X…`, `75f0 1bea 34ed 9c3a…`), the random
//! `.p12` password, client ports (the ephemeral range) and the system store's folder.
//! A hex dump row
//! (`0010  48 6f …   Host: 127.0.0.1:`) is compared by its offset and its ASCII column:
//! a port's digits change its hex bytes. Everything else must match to the letter.

/// `text` with what changes between runs replaced by placeholders, trailing blanks cut.
pub fn mask(text: &str) -> String {
    text.lines()
        .map(|line| mask_line(line.trim_end()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line masked (see the module doc).
pub fn mask_line(line: &str) -> String {
    if let Some(row) = dump_row(line) {
        return row;
    }
    let line = after_label(line, "the system store ", ':', "<system store>");
    // In French the folder is followed by a no-break space and a colon (`ca inspect`),
    // or is in parentheses (`ca install`).
    let line = after_label(&line, "le magasin du système /", '\u{a0}', "<system store>");
    let line = after_label(&line, "le magasin du système (", ')', "<system store>");
    let line = after_label(&line, "The p12 password is: ", ' ', "<password>");
    let line = after_label(
        &line,
        "Le mot de passe du p12 est\u{a0}: ",
        ' ',
        "<password>",
    );
    let words: Vec<String> = line.split(' ').map(mask_word).collect();
    join_fingerprints(&join_dates(&words))
}

/// A hex dump row as its offset and ASCII column, or `None` for another line.
fn dump_row(line: &str) -> Option<String> {
    let (offset, rest) = line.split_at_checked(4)?;
    if !offset.bytes().all(|b| b.is_ascii_hexdigit()) || !rest.starts_with("  ") {
        return None;
    }
    // Up to 16 "xx " groups, an extra space after the eighth, then the ASCII column
    // after at least two spaces.
    let body = &rest[2..];
    let hex_end = body.find("   ").or_else(|| {
        let all_hex = body
            .split(' ')
            .filter(|w| !w.is_empty())
            .all(|w| w.len() == 2 && w.bytes().all(|b| b.is_ascii_hexdigit()));
        all_hex.then_some(body.len())
    })?;
    let hex = &body[..hex_end];
    let groups: Vec<&str> = hex.split(' ').filter(|w| !w.is_empty()).collect();
    if groups.is_empty()
        || groups.len() > 16
        || !groups
            .iter()
            .all(|g| g.len() == 2 && g.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return None;
    }
    let ascii = body[hex_end..].trim_start();
    Some(format!("{offset}  <{} bytes>  {ascii}", groups.len()))
}

/// `line` with what follows `label` up to `end` (or the line's end) replaced.
fn after_label(line: &str, label: &str, end: char, placeholder: &str) -> String {
    match line.find(label) {
        Some(at) => {
            let start = at + label.len();
            let stop = line[start..].find(end).map_or(line.len(), |i| start + i);
            format!("{}{placeholder}{}", &line[..start], &line[stop..])
        }
        None => line.to_string(),
    }
}

fn is_hex_upper(b: u8) -> bool {
    b.is_ascii_digit() || (b'A'..=b'F').contains(&b)
}

/// One word masked: the changing part at its end or inside it.
pub fn mask_word(word: &str) -> String {
    // Fernet tokens (version byte 0x80: `gAAAAA`), and `gAAAAAB...` as texts write it.
    if let Some(at) = word.find("gAAAAA") {
        return format!("{}<token>", &word[..at]);
    }
    // A client's port: `127.0.0.1:51762` (Linux hands out 32768 and up).
    if let Some((host, port)) = word.rsplit_once(':') {
        let digits = port.trim_end_matches([',', ')', ']', ';']);
        if digits.len() == 5
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.parse::<u32>().is_ok_and(|p| p >= 32768)
            && (host.contains('.') || host.ends_with(']'))
        {
            return format!("{host}:<port>{}", &port[digits.len()..]);
        }
    }
    // A shortened fingerprint: `B5:DC…BE:17,`.
    let body = word.trim_end_matches([',', ')', ';', '.']);
    if let Some((head, tail)) = body.split_once('…') {
        let pairs = |s: &str| {
            s.split(':')
                .all(|p| p.len() == 2 && p.bytes().all(is_hex_upper))
        };
        if head.len() >= 5 && tail.len() >= 5 && pairs(head) && pairs(tail) {
            return format!("<hex>{}", &word[body.len()..]);
        }
    }
    let word = mask_times(word);
    // Colon hex (fingerprints, key identifiers) and long upper-case hex (serials), at
    // the end of a word (`Fingerprint=FD:C3:…`).
    let start = word
        .bytes()
        .rposition(|b| !(is_hex_upper(b) || b == b':'))
        .map_or(0, |i| i + 1);
    let (prefix, core) = word.split_at(start);
    let is_hex = |s: &str| !s.is_empty() && s.bytes().all(is_hex_upper);
    let colon_hex =
        core.split(':').count() >= 8 && core.split(':').all(|part| part.len() == 2 && is_hex(part));
    let serial = core.len() >= 16 && is_hex(core);
    if colon_hex || serial {
        return format!("{prefix}<hex>");
    }
    // A Fernet key: 32 bytes in URL-safe base64, 44 characters ending in `=`.
    if word.len() == 44
        && word.ends_with('=')
        && word[..43]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return "<key>".to_string();
    }
    // Base64 with padding (salts): `nF4p0Qx24wCIx4naLSJHPQ==,`.
    let body = word.trim_end_matches([',', ')', ';']);
    let base64 = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
    };
    if let Some(core) = body.strip_suffix("==").or(body.strip_suffix('=')) {
        if core.len() >= 14 && base64(core) {
            return format!("<base64>{}", &word[body.len()..]);
        }
    }
    // The shown start of a random value (a verifier, a ciphertext): `tdEGiwW2NO3X…`.
    if let Some(core) = body.strip_suffix('…') {
        // (Any such word: a random prefix may well hold no digit.)
        if core.len() >= 8 && base64(core) {
            return format!("<random>…{}", &word[body.len()..]);
        }
    }
    // A session id (UUID).
    let uuid = word.len() == 36
        && word.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if uuid {
        return "<uuid>".to_string();
    }
    word
}

/// ISO 8601 times inside a word: `2026-11-22T03:55:05.347Z`, `2026-11-22T10-00-00`
/// (an archive's name), `2026-11-22` followed by a time.
fn mask_times(word: &str) -> String {
    let b = word.as_bytes();
    let digits = |from: usize, n: usize| {
        from + n <= b.len() && b[from..from + n].iter().all(u8::is_ascii_digit)
    };
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let date = digits(i, 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2);
        if date {
            let mut end = i + 10;
            if b.get(end) == Some(&b'T')
                && digits(end + 1, 2)
                && matches!(b.get(end + 3), Some(b':' | b'-'))
                && digits(end + 4, 2)
            {
                end += 6;
                if matches!(b.get(end), Some(b':' | b'-')) && digits(end + 1, 2) {
                    end += 3;
                }
                if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                    while end < b.len() && b[end].is_ascii_digit() {
                        end += 1;
                    }
                }
                if b.get(end) == Some(&b'Z') {
                    end += 1;
                }
            }
            out.push_str("<time>");
            i = end;
        } else {
            // `i` is at a character boundary: the bytes matched above are ASCII.
            let c = word[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

/// Dates in words: `22 Nov 2026` and `22 Nov 2026 04:08:51 UTC` become `<date>`; a
/// lone time `04:08` or `04:08:51` after a `<time>` date goes into it.
fn join_dates(words: &[String]) -> String {
    let is_day = |w: &str| (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
    let is_month = |w: &str| {
        w.len() == 3
            && w.as_bytes()[0].is_ascii_uppercase()
            && w[1..].bytes().all(|b| b.is_ascii_lowercase())
    };
    let is_year = |w: &str| {
        let digits = w.trim_end_matches([',', ')', '.']);
        digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let is_clock = |w: &str| {
        let b = w.as_bytes();
        (w.len() == 5 || w.len() == 8)
            && b[2] == b':'
            && w.split(':')
                .all(|p| p.len() == 2 && p.bytes().all(|d| d.is_ascii_digit()))
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i + 2 < words.len()
            && is_day(&words[i])
            && is_month(&words[i + 1])
            && is_year(&words[i + 2])
        {
            let year = &words[i + 2];
            let tail = &year[4..];
            let with_time =
                i + 4 < words.len() && is_clock(&words[i + 3]) && words[i + 4].starts_with("UTC");
            if with_time && tail.is_empty() {
                out.push(format!("<date>{}", &words[i + 4][3..]));
                i += 5;
            } else {
                out.push(format!("<date>{tail}"));
                i += 3;
            }
        } else if out.last().is_some_and(|w| w.ends_with("<time>")) && is_clock(&words[i]) {
            i += 1;
        } else {
            out.push(words[i].clone());
            i += 1;
        }
    }
    out.join(" ")
}

/// A fingerprint's first groups, as `web-chat dump` shows them: `75f0 1bea 34ed 9c3a…`
/// (four groups of four lower-case hex digits, the last followed by `…`).
fn join_fingerprints(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let group = |w: &str| {
        w.len() == 4
            && w.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let run = i + 4 <= words.len()
            && words[i..i + 3].iter().all(|w| group(w))
            && words[i + 3].split_once('…').is_some_and(|(g, _)| group(g));
        if run {
            let rest = words[i + 3].split_once('…').map_or("", |(_, r)| r);
            out.push(format!("<fingerprint>…{rest}"));
            i += 4;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    out.join(" ")
}

/// Whether `actual` matches `expected`, line by line: a line `…` stands for any number
/// of lines, a `…` inside a line for any characters.
pub fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"…", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((first, rest)) => {
            !actual.is_empty() && line_matches(first, actual[0]) && matches(rest, &actual[1..])
        }
    }
}

/// Whether `actual` matches `expected`, whose `…` stand for any characters.
pub fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.split('…').collect();
    if parts.len() == 1 {
        return expected == actual;
    }
    let Some(rest) = actual.strip_prefix(parts[0]) else {
        return false;
    };
    let last = parts[parts.len() - 1];
    if rest.len() < last.len() || !rest.ends_with(last) {
        return false;
    }
    let mut middle = &rest[..rest.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match middle.find(part) {
            Some(at) => middle = &middle[at + part.len()..],
            None => return false,
        }
    }
    true
}
