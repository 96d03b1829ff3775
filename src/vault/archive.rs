//! The archive format, the same for the server that seals and the client that opens:
//! names, the ZIP + Fernet content, sealing and opening.
//!
//! An archive is named `<file name>_<UTC YYYY-MM-DDTHH-MM-SS>.enc` (a collision puts
//! ` (N)` into the file-name part) and holds a Fernet token (ASCII, spec:
//! github.com/fernet/spec) whose plaintext is a ZIP with one entry named `<file name>`,
//! deflated, or stored when deflate would not shrink it (JPEG, PDF, ZIP gain nothing and
//! deflate runs at ~45 MB/s on them). Where archives live on the server is
//! [`super::storage`].

use std::io::{self, Cursor, Read, Seek, Write};

use chrono::{DateTime, Datelike, Timelike, Utc};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use crate::files::TEMP_PREFIX;
use crate::i18n::{Lang, Localized};
use crate::tr_in;
use crate::vault::fernet_stream::{self, FernetError, TokenReader, TokenWriter};
use crate::vault::keys::ArchiveKey;
use crate::vault::pipeline;

/// Longest file name accepted, in bytes, so the archive name fits in 255 bytes.
pub const MAX_FILE_NAME: usize = 200;

/// Why an archive could not be stored, found or opened. Its `Display` is English (the
/// log, the JSON replies); the command line prints [`Localized::localized`]. The reason
/// a `Format` carries (the ZIP library's) is English in both.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file or archive name is refused, by the rule it breaks.
    BadName(NameRule),
    /// No such archive for this user.
    NotFound,
    /// Decryption failed: wrong key, or the archive was changed.
    Integrity,
    /// The decrypted content is not the expected ZIP with one entry.
    Format(String),
    /// The content is larger than allowed once unzipped.
    TooLarge(u64),
    /// File system failure (full disk, permissions…).
    Io(#[from] io::Error),
}

impl Localized for ArchiveError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            ArchiveError::BadName(rule) => {
                tr_in!(
                    lang,
                    "vault-error-bad-file-name",
                    reason = rule.message_in(lang)
                )
            }
            ArchiveError::NotFound => tr_in!(lang, "vault-error-no-such-archive"),
            ArchiveError::Integrity => tr_in!(lang, "vault-error-integrity"),
            ArchiveError::Format(reason) => tr_in!(lang, "vault-error-not-a-zip", reason = reason),
            ArchiveError::TooLarge(bytes) => {
                tr_in!(lang, "vault-error-too-large", bytes = bytes.to_string())
            }
            ArchiveError::Io(e) => tr_in!(lang, "vault-error-storage", reason = e.to_string()),
        }
    }
}

crate::english_display!(ArchiveError);

/// The rule a file, archive or user name breaks ([`check_file_name`],
/// [`check_archive_name`], the storage's own checks). `Display` is English: it goes into
/// the 400 reply's JSON `message` and the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameRule {
    /// The name is empty.
    Empty,
    /// The name is `.` or `..`.
    Dots,
    /// The name holds `/` or `\`.
    Slash,
    /// The name holds control characters.
    Control,
    /// The name is longer than this many bytes (UTF-8).
    TooLong(usize),
    /// Invisible or look-alike characters (bidi controls, zero-width characters, line
    /// separators, a look-alike slash).
    Deceptive,
    /// The prefix of the store's temporary files (`.tmp-`).
    TempPrefix,
    /// Not in Unicode NFC.
    NotNfc,
    /// Not `<file name>_<time>.enc` (a client asked the server for it).
    NotArchiveName,
    /// Not `<file name>_<time>.enc`, checked by the client before it asks: the names
    /// `vault list` shows are the ones to give.
    NotListedArchiveName,
    /// The user name breaks the rules of `users.json`.
    NotUserName,
    /// The data folder's path holds a NUL byte (it cannot be passed to the OS).
    NulInDataPath,
    /// 10 000 uploads of one name in one second took every archive name.
    TooManyInOneSecond,
}

impl Localized for NameRule {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            NameRule::Empty => tr_in!(lang, "vault-name-empty"),
            NameRule::Dots => tr_in!(lang, "vault-name-dots"),
            NameRule::Slash => tr_in!(lang, "vault-name-slash"),
            NameRule::Control => tr_in!(lang, "vault-name-control"),
            NameRule::TooLong(max) => tr_in!(lang, "vault-name-too-long", max = max.to_string()),
            NameRule::Deceptive => tr_in!(lang, "vault-name-deceptive"),
            NameRule::TempPrefix => tr_in!(lang, "vault-name-temp-prefix"),
            NameRule::NotNfc => tr_in!(lang, "vault-name-not-nfc"),
            NameRule::NotArchiveName => tr_in!(lang, "vault-name-not-archive"),
            NameRule::NotListedArchiveName => tr_in!(lang, "vault-reason-not-an-archive-name"),
            NameRule::NotUserName => tr_in!(lang, "vault-name-not-user"),
            NameRule::NulInDataPath => tr_in!(lang, "vault-name-nul-in-data-path"),
            NameRule::TooManyInOneSecond => tr_in!(lang, "vault-name-too-many-in-one-second"),
        }
    }
}

crate::english_display!(NameRule);

/// Characters that draw a slash without being one: a name holding them reads like a
/// path (`notes／..／x`) but is a single name.
const SLASH_LOOKALIKES: [char; 7] = [
    '\u{2044}', // FRACTION SLASH
    '\u{2215}', // DIVISION SLASH
    '\u{29F8}', // BIG SOLIDUS
    '\u{29F9}', // BIG REVERSE SOLIDUS
    '\u{FE68}', // SMALL REVERSE SOLIDUS
    '\u{FF0F}', // FULLWIDTH SOLIDUS
    '\u{FF3C}', // FULLWIDTH REVERSE SOLIDUS
];

/// Whether `c` would make a name look like another, or hide part of it: Unicode format
/// characters (general category Cf: bidi overrides such as U+202E, zero-width
/// characters, the BOM), line and paragraph separators (Zl, Zp), and slash look-alikes.
pub fn is_deceptive(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    matches!(
        c.general_category(),
        GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    ) || SLASH_LOOKALIKES.contains(&c)
}

/// A file name in Unicode NFC (UAX #15): `café` typed as `e` + combining accent (NFD, as
/// macOS spells names) and as `é` become the same name, so they cannot make two archives
/// that look identical.
pub fn normalize_file_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc().collect()
}

/// Checks a file name from a client: not empty, `.` or `..`; no `/`, `\\` or control
/// characters; no invisible or deceptive characters ([`is_deceptive`]); not starting
/// with the prefix of the store's temporary files (`.tmp-`, which start-up removes); in
/// NFC ([`normalize_file_name`]); at most [`MAX_FILE_NAME`] bytes.
pub fn check_file_name(name: &str) -> Result<(), ArchiveError> {
    check_name(name, MAX_FILE_NAME)?;
    let rule = if name.chars().any(is_deceptive) {
        NameRule::Deceptive
    } else if name.starts_with(TEMP_PREFIX) {
        NameRule::TempPrefix
    } else if normalize_file_name(name) != name {
        NameRule::NotNfc
    } else {
        return Ok(());
    };
    Err(ArchiveError::BadName(rule))
}

/// Checks an archive name from a client: no `/`, `\\` or control characters, up to 255
/// bytes (the longest file name on common file systems), ending in `.enc`, and not a
/// temporary file. Looser than [`check_file_name`], so archives stored before a rule
/// was added can still be listed and fetched.
pub fn check_archive_name(name: &str) -> Result<(), ArchiveError> {
    check_name(name, 255)?;
    if !name.ends_with(".enc") || name.starts_with(TEMP_PREFIX) {
        return Err(ArchiveError::BadName(NameRule::NotArchiveName));
    }
    Ok(())
}

fn check_name(name: &str, max_len: usize) -> Result<(), ArchiveError> {
    let rule = if name.is_empty() {
        NameRule::Empty
    } else if name == "." || name == ".." {
        NameRule::Dots
    } else if name.contains('/') || name.contains('\\') {
        NameRule::Slash
    } else if name.chars().any(char::is_control) {
        NameRule::Control
    } else if name.len() > max_len {
        NameRule::TooLong(max_len)
    } else {
        return Ok(());
    };
    Err(ArchiveError::BadName(rule))
}

/// The archive name for `file_name` uploaded at `time`; `counter` > 0 marks a collision.
pub fn archive_name(file_name: &str, time: DateTime<Utc>, counter: u32) -> String {
    let stamp = time.format("%Y-%m-%dT%H-%M-%S");
    if counter == 0 {
        format!("{file_name}_{stamp}.enc")
    } else {
        format!("{file_name} ({counter})_{stamp}.enc")
    }
}

/// Splits an archive name into the file name and the UTC upload time, when it has the
/// shape `<file name>[ (N)]_<YYYY-MM-DDTHH-MM-SS>.enc`.
pub fn parse_archive_name(archive: &str) -> Option<(String, DateTime<Utc>)> {
    let stem = archive.strip_suffix(".enc")?;
    let (name, stamp) = stem.rsplit_once('_')?;
    let time = chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H-%M-%S").ok()?;
    let name = match name.rsplit_once(" (") {
        Some((base, n))
            if n.ends_with(')') && n[..n.len() - 1].bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => name,
    };
    Some((name.to_string(), time.and_utc()))
}

/// Whether a ZIP entry named `entry` is the file `archive` should hold: the archive's
/// file-name part, or that part with its collision counter (`notes.txt (2)_….enc` holds
/// `notes.txt`). A client names the file it writes after the archive it asked for, so a
/// hostile server cannot slip it another name (`.bashrc`).
pub fn entry_matches_archive(entry: &str, archive: &str) -> bool {
    let Some(stem) = archive.strip_suffix(".enc") else {
        return false;
    };
    let Some((name_part, _stamp)) = stem.rsplit_once('_') else {
        return false;
    };
    if entry == name_part {
        return true;
    }
    match name_part
        .strip_prefix(entry)
        .and_then(|rest| rest.strip_prefix(" ("))
    {
        Some(counter) => counter
            .strip_suffix(')')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// The largest archive (Fernet token, in bytes) a file of `file_len` bytes can make:
/// stored (not deflated), with the ZIP's headers, ZIP64 fields and data descriptor. The
/// quota and free-space checks reserve it before an upload, and a client bounds a
/// download by it.
pub fn max_archive_len(file_len: u64) -> u64 {
    // Local header + data descriptor + central directory + end records, with a 255-byte
    // name twice and the ZIP64 extras: well under 1 KiB.
    const ZIP_OVERHEAD: u64 = 1024;
    let zip = file_len.saturating_add(ZIP_OVERHEAD);
    // version 1 + timestamp 8 + IV 16 + PKCS#7-padded ciphertext + HMAC 32.
    let token = (zip / 16 + 1) * 16 + 57;
    token.div_ceil(3).saturating_mul(4)
}

/// Bytes at the start of an upload that decide between deflate and stored.
pub const SAMPLE: usize = 64 * 1024;

/// Whether deflate is worth running on a file that starts with `sample`: true when the
/// sample shrinks by at least 5 %. Compressed formats (JPEG, PDF, ZIP) do not, and then
/// storing saves seconds per file.
fn deflate_pays_off(sample: &[u8]) -> bool {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    if encoder.write_all(sample).is_err() {
        return false;
    }
    match encoder.finish() {
        Ok(compressed) => compressed.len() * 100 < sample.len() * 95,
        Err(_) => false,
    }
}

/// The ZIP time of an entry uploaded at `time` (ZIP times run from 1980 to 2107).
fn zip_time(time: DateTime<Utc>) -> zip::DateTime {
    zip::DateTime::from_date_and_time(
        time.year().clamp(1980, 2107) as u16,
        time.month() as u8,
        time.day() as u8,
        time.hour() as u8,
        time.minute() as u8,
        time.second() as u8,
    )
    .unwrap_or_default()
}

/// Builds the ZIP in memory: one entry named `file_name` holding `content`, deflated
/// when that shrinks it, else stored. The way archives were made before they were
/// streamed; the benchmark compares the streamed upload with it.
pub fn zip_one(
    file_name: &str,
    content: &[u8],
    time: DateTime<Utc>,
) -> Result<Vec<u8>, ArchiveError> {
    let write = |method: CompressionMethod| -> Result<Vec<u8>, ArchiveError> {
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(zip_time(time))
            .large_file(content.len() as u64 >= u32::MAX as u64);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(content.len() + 512)));
        zip.start_file(file_name, options).map_err(zip_error)?;
        zip.write_all(content)?;
        Ok(zip.finish().map_err(zip_error)?.into_inner())
    };
    if deflate_pays_off(&content[..content.len().min(SAMPLE)]) {
        let deflated = write(CompressionMethod::Deflated)?;
        if deflated.len() < content.len() + 100 {
            return Ok(deflated);
        }
    }
    write(CompressionMethod::Stored)
}

/// A missing archive is [`ArchiveError::NotFound`] (a 404), not an I/O failure.
fn zip_error(e: zip::result::ZipError) -> ArchiveError {
    match e {
        zip::result::ZipError::Io(io) => fernet_io(io),
        other => ArchiveError::Format(other.to_string()),
    }
}

/// An I/O error from under the ZIP reader: a token that failed its checks is an
/// integrity error, anything else an I/O one.
fn fernet_io(e: io::Error) -> ArchiveError {
    if e.kind() == io::ErrorKind::InvalidData
        && e.get_ref().is_some_and(|inner| inner.is::<FernetError>())
    {
        ArchiveError::Integrity
    } else {
        ArchiveError::Io(e)
    }
}

impl From<FernetError> for ArchiveError {
    fn from(e: FernetError) -> Self {
        match e {
            FernetError::Invalid(_) => ArchiveError::Integrity,
            FernetError::Io(io) => ArchiveError::Io(io),
            other => ArchiveError::Format(other.to_string()),
        }
    }
}

fn stream_key(key: &ArchiveKey) -> Result<fernet_stream::Key, ArchiveError> {
    fernet_stream::Key::from_base64(key.as_fernet_key())
        .map_err(|_| ArchiveError::Format("the archive key is not a Fernet key".into()))
}

/// Zips `length` bytes of `content` as `file_name` and encrypts the ZIP into a Fernet
/// token written into `sink`, all as the bytes come: socket → ZIP entry → Fernet →
/// sink, holding a few hundred KiB whatever the size. Deflate or stored is decided on
/// the first [`SAMPLE`] bytes. The ZIP is written as a stream (sizes and CRC in a data
/// descriptor after the data), which Python's `zipfile` and every unzip read. Returns
/// the sink; a `content` that ends early is an `UnexpectedEof` error.
pub fn seal_to<R: Read + ?Sized, W: Write>(
    file_name: &str,
    content: &mut R,
    length: u64,
    key: &ArchiveKey,
    time: DateTime<Utc>,
    sink: W,
) -> Result<W, ArchiveError> {
    let token = TokenWriter::new(&stream_key(key)?, sink)?;
    let mut sample = vec![0u8; (length as usize).min(SAMPLE)];
    content.read_exact(&mut sample)?;
    let method = if deflate_pays_off(&sample) {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip_time(time))
        .large_file(length >= u32::MAX as u64);
    let mut zip = zip::ZipWriter::new_stream(token);
    zip.start_file(file_name, options).map_err(zip_error)?;
    zip.write_all(&sample)?;
    drop(sample);
    let rest = length - (length as usize).min(SAMPLE) as u64;
    let copied = pipeline::copy(&mut content.take(rest), &mut zip)?;
    if copied != rest {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("the file ended {} bytes early", rest - copied),
        )
        .into());
    }
    let token = zip.finish().map_err(zip_error)?.into_inner();
    Ok(token.finish()?)
}

/// Zips `content` as `file_name` and encrypts the ZIP into a Fernet token, in memory
/// (see [`seal_to`]).
pub fn seal(
    file_name: &str,
    content: Vec<u8>,
    key: &ArchiveKey,
    time: DateTime<Utc>,
) -> Result<String, ArchiveError> {
    let length = content.len() as u64;
    let token = seal_to(file_name, &mut &content[..], length, key, time, Vec::new())?;
    String::from_utf8(token).map_err(|_| ArchiveError::Format("the token is not ASCII".into()))
}

/// An archive opened for reading: its Fernet token authenticated over the whole source
/// (a first pass), then its ZIP read through the decrypting [`TokenReader`] (a second
/// pass, seeking), with exactly one entry whose name passes [`check_file_name`] (a
/// hostile ZIP cannot name `../x`).
pub struct OpenedArchive<R: Read + Seek> {
    zip: zip::ZipArchive<TokenReader<R>>,
    name: String,
    size: u64,
}

impl<R: Read + Seek> OpenedArchive<R> {
    /// Verifies and opens the archive in `source` under `key`. A changed byte or another
    /// key is [`ArchiveError::Integrity`]; nothing is decrypted before the check.
    pub fn open(source: R, key: &ArchiveKey) -> Result<Self, ArchiveError> {
        let plaintext = TokenReader::open(&stream_key(key)?, source)?;
        let mut zip = zip::ZipArchive::new(plaintext).map_err(zip_error)?;
        if zip.len() != 1 {
            return Err(ArchiveError::Format(format!(
                "{} entries instead of 1",
                zip.len()
            )));
        }
        let (name, size) = {
            let entry = zip.by_index(0).map_err(zip_error)?;
            (entry.name().map_err(zip_error)?.to_string(), entry.size())
        };
        check_file_name(&name)?;
        Ok(OpenedArchive { zip, name, size })
    }

    /// The entry's name: the file's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's size as the ZIP declares it, in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Unzips the file into `out`, at most `max_size` bytes (the declared size could
    /// lie: never more is read); returns its length.
    pub fn extract_to<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        max_size: u64,
    ) -> Result<u64, ArchiveError> {
        if self.size > max_size {
            return Err(ArchiveError::TooLarge(max_size));
        }
        let mut entry = self.zip.by_index(0).map_err(zip_error)?;
        let n = pipeline::copy(&mut (&mut entry).take(max_size.saturating_add(1)), out)
            .map_err(fernet_io)?;
        if n > max_size {
            return Err(ArchiveError::TooLarge(max_size));
        }
        Ok(n)
    }

    /// The whole ZIP, decrypted, from its start: to encrypt it again under another key.
    pub fn into_plaintext(self) -> Result<TokenReader<R>, ArchiveError> {
        let mut plaintext = self.zip.into_inner();
        plaintext.seek(io::SeekFrom::Start(0))?;
        Ok(plaintext)
    }
}

/// Decrypts a Fernet token in memory and unzips its single entry: returns the entry's
/// name and its content, at most `max_size` bytes (see [`OpenedArchive`]).
pub fn open(
    token: &[u8],
    key: &ArchiveKey,
    max_size: u64,
) -> Result<(String, Vec<u8>), ArchiveError> {
    let mut archive = OpenedArchive::open(Cursor::new(token), key)?;
    let mut content = Vec::with_capacity(archive.size().min(max_size) as usize);
    archive.extract_to(&mut content, max_size)?;
    Ok((archive.name().to_string(), content))
}

/// Encrypts the ZIP of a verified archive again under `key` into `sink`, in pieces
/// (a password change re-encrypts every archive this way).
pub fn reseal_to<R: Read + Seek, W: Write>(
    archive: OpenedArchive<R>,
    key: &ArchiveKey,
    sink: W,
) -> Result<W, ArchiveError> {
    let mut plaintext = archive.into_plaintext()?;
    let mut token = TokenWriter::new(&stream_key(key)?, sink)?;
    pipeline::copy(&mut plaintext, &mut token).map_err(fernet_io)?;
    Ok(token.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_escape_or_confuse_are_refused() {
        for (bad, rule) in [
            ("", NameRule::Empty),
            (".", NameRule::Dots),
            ("..", NameRule::Dots),
            ("../x", NameRule::Slash),
            ("a/b", NameRule::Slash),
            ("a\\b", NameRule::Slash),
            ("a\nb", NameRule::Control),
            ("a\u{7f}b", NameRule::Control),
            (&"x".repeat(201), NameRule::TooLong(MAX_FILE_NAME)),
        ] {
            match check_file_name(bad) {
                Err(ArchiveError::BadName(broken)) => assert_eq!(broken, rule, "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        for good in [
            "notes.txt",
            "résumé été.pdf",
            "..hidden",
            "a b",
            &"x".repeat(200),
        ] {
            assert!(check_file_name(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn invisible_deceptive_reserved_and_unnormalized_names_are_refused() {
        for bad in [
            "invoice\u{202E}fdp.exe",
            "zero\u{200B}width.txt",
            "\u{FEFF}bom.txt",
            "line\u{2028}sep.txt",
            "para\u{2029}sep.txt",
            "notes\u{FF0F}..\u{FF0F}x",
            "a\u{2215}b",
            ".tmp-upload",
            "cafe\u{301}.txt",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        let rule = |name| match check_file_name(name) {
            Err(ArchiveError::BadName(rule)) => rule,
            other => panic!("{name:?}: {other:?}"),
        };
        assert_eq!(rule("a\u{2215}b"), NameRule::Deceptive);
        assert_eq!(rule(".tmp-upload"), NameRule::TempPrefix);
        assert_eq!(rule("cafe\u{301}.txt"), NameRule::NotNfc);
        assert_eq!(normalize_file_name("cafe\u{301}.txt"), "caf\u{e9}.txt");
        assert!(check_file_name("caf\u{e9}.txt").is_ok());
        assert!(check_file_name("x.tmp-y").is_ok());
        // Lookups stay as they were: an archive stored before these rules is still found.
        assert!(check_archive_name("zero\u{200B}width.txt_2026-01-01T00-00-00.enc").is_ok());
        assert!(check_archive_name(".tmp-x_2026-01-01T00-00-00.enc").is_err());
    }

    #[test]
    fn a_refused_name_says_its_rule_in_english_on_the_wire_and_in_french_for_a_person() {
        let e = check_file_name(".tmp-upload").unwrap_err();
        assert_eq!(
            e.to_string(),
            "bad file name: names starting with .tmp- are reserved for the vault's temporary files"
        );
        assert_eq!(
            e.message_in(Lang::Fr),
            "nom de fichier refusé\u{a0}: les noms qui commencent par .tmp- sont réservés aux fichiers temporaires du coffre"
        );
        let long = check_file_name(&"x".repeat(201)).unwrap_err();
        assert_eq!(
            long.to_string(),
            "bad file name: the name is over 200 bytes"
        );
        assert_eq!(
            long.message_in(Lang::Fr),
            "nom de fichier refusé\u{a0}: le nom dépasse 200 octets"
        );
    }

    #[test]
    fn an_entry_matches_only_its_own_archive_name() {
        let t = "_2026-11-22T03-24-05.enc";
        assert!(entry_matches_archive("notes.txt", &format!("notes.txt{t}")));
        assert!(entry_matches_archive(
            "notes.txt",
            &format!("notes.txt (2){t}")
        ));
        assert!(entry_matches_archive(
            "report (3)",
            &format!("report (3){t}")
        ));
        assert!(entry_matches_archive(
            "my_file.txt",
            &format!("my_file.txt{t}")
        ));
        assert!(!entry_matches_archive(".bashrc", &format!("notes.txt{t}")));
        assert!(!entry_matches_archive("notes", &format!("notes.txt{t}")));
        assert!(!entry_matches_archive(
            "notes.txt",
            &format!("notes.txt (x){t}")
        ));
        assert!(!entry_matches_archive("notes.txt", "notes.txt"));
    }

    #[test]
    fn the_archive_bound_holds_for_stored_zips() {
        let key_params =
            crate::vault::keys::KdfParams::generate(crate::vault::keys::MIN_ITERATIONS).unwrap();
        let key = crate::vault::keys::MasterKey::derive("pw", &key_params)
            .unwrap()
            .archive_key()
            .unwrap();
        for len in [0usize, 1, 15, 16, 17, 100_000] {
            let mut random = vec![0u8; len];
            openssl::rand::rand_bytes(&mut random).unwrap();
            let name = "n".repeat(200);
            let token = seal(&name, random, &key, Utc::now()).unwrap();
            assert!(token.len() as u64 <= max_archive_len(len as u64), "{len}");
            assert!(
                max_archive_len(len as u64) < token.len() as u64 + 2048,
                "{len}"
            );
        }
    }

    #[test]
    fn archive_names_round_trip() {
        let t = DateTime::parse_from_rfc3339("2026-11-22T03:24:05Z")
            .unwrap()
            .to_utc();
        let name = archive_name("my file_v2.txt", t, 0);
        assert_eq!(name, "my file_v2.txt_2026-11-22T03-24-05.enc");
        assert_eq!(
            parse_archive_name(&name),
            Some(("my file_v2.txt".to_string(), t))
        );
        let second = archive_name("a (1).txt", t, 2);
        assert_eq!(
            parse_archive_name(&second),
            Some(("a (1).txt".to_string(), t))
        );
        assert!(check_archive_name(&archive_name(&"x".repeat(200), t, 99)).is_ok());
    }

    #[test]
    fn random_data_is_stored_and_text_is_deflated() {
        let t = Utc::now();
        let mut random = vec![0u8; 300_000];
        openssl::rand::rand_bytes(&mut random).unwrap();
        let zip = zip_one("r.bin", &random, t).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        assert_eq!(
            archive.by_index(0).unwrap().compression(),
            CompressionMethod::Stored
        );
        let text = "fluffy tail ".repeat(10_000);
        let zip = zip_one("t.txt", text.as_bytes(), t).unwrap();
        assert!(zip.len() < text.len() / 10);
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        assert_eq!(
            archive.by_index(0).unwrap().compression(),
            CompressionMethod::Deflated
        );
    }
}
