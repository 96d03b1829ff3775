//! Fernet tokens written and read in pieces, so a 1 GiB archive never sits in memory.
//!
//! The format is the Fernet spec's (github.com/fernet/spec, `Spec.md`), version 0x80:
//!
//! ```text
//! token = base64url( 0x80 ‖ timestamp (u64, big-endian) ‖ IV (16 B) ‖ ciphertext ‖ HMAC (32 B) )
//! ciphertext = AES-128-CBC(encryption key, IV, PKCS#7-padded plaintext)
//! HMAC       = HMAC-SHA256(signing key, 0x80 ‖ timestamp ‖ IV ‖ ciphertext)
//! key        = base64url( signing key (16 B) ‖ encryption key (16 B) )
//! ```
//!
//! No primitive is ours: AES-128-CBC is OpenSSL's `Crypter`, HMAC-SHA256 OpenSSL's
//! `EVP_DigestSign` (through [`MdCtx`]), base64 the `base64` crate's. Only the framing is
//! ours, and the spec's own vectors (`tests/fixtures/fernet/`) and two independent
//! implementations (the `fernet` crate, Python's `cryptography`) check it.
//!
//! Reading keeps the property for which pyca/cryptography refused a streaming Fernet
//! API (issue #2358): **no plaintext is released before the whole token is
//! authenticated**. [`TokenReader::open`] reads the token once to the end, checking the
//! HMAC (and the padding of the last block); only then does it decrypt, in a second pass
//! over the same file. CBC and base64 both allow decrypting from any block, so the
//! reader can also seek, which is what a ZIP reader needs (its directory is at the end).

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use openssl::error::ErrorStack;
use openssl::md::Md;
use openssl::md_ctx::MdCtx;
use openssl::pkey::{PKey, Private};
use openssl::symm::{Cipher, Crypter, Mode};

/// The only version of the format (spec: "Version").
pub const VERSION: u8 = 0x80;

/// Version, timestamp and IV: the bytes before the ciphertext.
const HEADER: usize = 1 + 8 + 16;

/// Length of the HMAC-SHA256 tag at the end.
const TAG: usize = 32;

/// The AES block size.
const BLOCK: usize = 16;

/// Seconds a token's timestamp may be ahead of the clock when a time-to-live is checked
/// (the value of pyca/cryptography and of the spec's "far-future TS" vector).
pub const MAX_CLOCK_SKEW: u64 = 60;

/// Plaintext bytes encrypted per step when writing; raw token bytes decoded per step
/// when reading (a multiple of 3 and of 16, so base64 groups and AES blocks line up).
const CHUNK: usize = 192 * 1024;

/// Why a token could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum FernetError {
    /// The key is not URL-safe base64 of 32 bytes.
    #[error("not a Fernet key (URL-safe base64 of 32 bytes)")]
    BadKey,
    /// The token is not a valid token under this key: malformed, altered, cut, signed
    /// with another key, badly padded, or outside its time-to-live. One error for all,
    /// as the spec's verifying steps have one outcome.
    #[error("the token is not valid: {0}")]
    Invalid(&'static str),
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// OpenSSL failed (out of memory and the like).
    #[error("cryptography failed: {0}")]
    OpenSsl(#[from] ErrorStack),
}

impl From<FernetError> for io::Error {
    fn from(e: FernetError) -> Self {
        match e {
            FernetError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

/// A Fernet key: 16 bytes for HMAC-SHA256 signing, 16 for AES-128 encryption.
#[derive(Clone)]
pub struct Key {
    signing: [u8; 16],
    encryption: [u8; 16],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// Reads a key in the spec's text form: URL-safe base64 of 32 bytes (44 characters
    /// with padding; without padding is accepted too).
    pub fn from_base64(text: &str) -> Result<Key, FernetError> {
        let text = text.trim();
        let raw = URL_SAFE
            .decode(text)
            .or_else(|_| URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| FernetError::BadKey)?;
        let raw: [u8; 32] = raw.try_into().map_err(|_| FernetError::BadKey)?;
        let mut signing = [0u8; 16];
        let mut encryption = [0u8; 16];
        signing.copy_from_slice(&raw[..16]);
        encryption.copy_from_slice(&raw[16..]);
        Ok(Key {
            signing,
            encryption,
        })
    }

    fn mac(&self) -> Result<MdCtx, ErrorStack> {
        let pkey: PKey<Private> = PKey::hmac(&self.signing)?;
        let mut ctx = MdCtx::new()?;
        ctx.digest_sign_init(Some(Md::sha256()), &pkey)?;
        Ok(ctx)
    }
}

/// The length of the token, in characters, that a plaintext of `len` bytes makes.
pub fn token_len(len: u64) -> u64 {
    let raw = HEADER as u64 + (len / BLOCK as u64 + 1) * BLOCK as u64 + TAG as u64;
    raw.div_ceil(3) * 4
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Signs raw token bytes and writes them as base64url into the sink, in pieces.
struct Framer<W: Write> {
    mac: MdCtx,
    /// Raw bytes not yet encoded (base64 encodes groups of 3).
    carry: [u8; 3],
    carry_len: usize,
    /// Encoded text not yet written: written in large pieces, few system calls.
    out: Vec<u8>,
    sink: W,
}

/// Encoded text written to the sink at a time.
const OUT_PIECE: usize = 256 * 1024;

impl<W: Write> Framer<W> {
    /// Adds `bytes` to the token: to the HMAC when `signed`, and to the text.
    fn push(&mut self, bytes: &[u8], signed: bool) -> Result<(), FernetError> {
        if signed {
            self.mac.digest_sign_update(bytes)?;
        }
        let mut input = bytes;
        if self.carry_len > 0 {
            let take = (3 - self.carry_len).min(input.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&input[..take]);
            self.carry_len += take;
            input = &input[take..];
            if self.carry_len < 3 {
                return Ok(());
            }
            let group = self.carry;
            self.encode(&group);
            self.carry_len = 0;
        }
        let whole = input.len() / 3 * 3;
        self.encode(&input[..whole]);
        let rest = &input[whole..];
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carry_len = rest.len();
        if self.out.len() >= OUT_PIECE {
            self.sink.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Appends the base64 text of `raw` (a multiple of 3 bytes, or the padded end).
    fn encode(&mut self, raw: &[u8]) {
        let start = self.out.len();
        let len = raw.len().div_ceil(3) * 4;
        self.out.resize(start + len, 0);
        // The slice is exactly the encoded length, so this cannot fail.
        let _ = URL_SAFE.encode_slice(raw, &mut self.out[start..]);
    }

    /// Appends the HMAC, pads the text and writes the rest; returns the sink.
    fn finish(mut self) -> Result<W, FernetError> {
        let mut tag = [0u8; TAG];
        self.mac.digest_sign_final(Some(&mut tag))?;
        self.push(&tag, false)?;
        let carry = self.carry;
        self.encode(&carry[..self.carry_len]);
        self.sink.write_all(&self.out)?;
        self.sink.flush()?;
        Ok(self.sink)
    }
}

/// Writes a Fernet token into a sink as the plaintext comes, in pieces: nothing but a
/// few buffers of at most a few hundred KiB is held, whatever the plaintext's size.
/// Call [`TokenWriter::finish`] at the end: until then the token lacks its last block
/// and its HMAC.
pub struct TokenWriter<W: Write> {
    crypter: Crypter,
    framer: Framer<W>,
    scratch: Vec<u8>,
}

impl<W: Write> TokenWriter<W> {
    /// A token under `key` stamped with the current time, with a random IV.
    pub fn new(key: &Key, sink: W) -> Result<Self, FernetError> {
        let mut iv = [0u8; 16];
        openssl::rand::rand_bytes(&mut iv)?;
        TokenWriter::with_parts(key, sink, now(), iv)
    }

    /// A token with the given timestamp (Unix seconds) and IV: for the spec's
    /// `generate.json` vectors. The IV must never repeat under one key.
    pub fn with_parts(
        key: &Key,
        sink: W,
        timestamp: u64,
        iv: [u8; 16],
    ) -> Result<Self, FernetError> {
        let crypter = Crypter::new(
            Cipher::aes_128_cbc(),
            Mode::Encrypt,
            &key.encryption,
            Some(&iv),
        )?;
        let mut framer = Framer {
            mac: key.mac()?,
            carry: [0; 3],
            carry_len: 0,
            out: Vec::with_capacity(OUT_PIECE + CHUNK * 2),
            sink,
        };
        let mut header = [0u8; HEADER];
        header[0] = VERSION;
        header[1..9].copy_from_slice(&timestamp.to_be_bytes());
        header[9..].copy_from_slice(&iv);
        framer.push(&header, true)?;
        Ok(TokenWriter {
            crypter,
            framer,
            scratch: vec![0; CHUNK + BLOCK],
        })
    }

    /// Encrypts the last block (with its PKCS#7 padding), appends the HMAC, and returns
    /// the sink, flushed.
    pub fn finish(mut self) -> Result<W, FernetError> {
        let n = self.crypter.finalize(&mut self.scratch)?;
        let (scratch, framer) = (&self.scratch, &mut self.framer);
        framer.push(&scratch[..n], true)?;
        self.framer.finish()
    }
}

impl<W: Write> Write for TokenWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(CHUNK);
        if n == 0 {
            return Ok(0);
        }
        let k = self
            .crypter
            .update(&buf[..n], &mut self.scratch)
            .map_err(FernetError::from)?;
        let (scratch, framer) = (&self.scratch, &mut self.framer);
        framer.push(&scratch[..k], true)?;
        Ok(n)
    }

    /// Writes the encoded text so far (the token is complete only after `finish`).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The raw token bytes behind a token's base64url text, readable from any offset.
struct Base64Source<R> {
    source: R,
    /// Characters of the token proper (trailing whitespace left out).
    text_len: u64,
    /// Raw bytes the text decodes to.
    raw_len: u64,
    /// Raw offset of `decoded[0]`, and the bytes decoded from the text there.
    start: u64,
    decoded: Vec<u8>,
    text: Vec<u8>,
}

impl<R: Read + Seek> Base64Source<R> {
    fn new(mut source: R) -> Result<Self, FernetError> {
        let total = source.seek(SeekFrom::End(0))?;
        // A token may end with a newline (`echo TOKEN > file`): only at the very end.
        let tail_len = total.min(64);
        source.seek(SeekFrom::Start(total - tail_len))?;
        let mut tail = vec![0u8; tail_len as usize];
        source.read_exact(&mut tail)?;
        let spaces = tail
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        let text_len = total - spaces as u64;
        let tail = &tail[..tail.len() - spaces];
        if text_len == 0 || text_len % 4 != 0 {
            return Err(FernetError::Invalid("not base64url of whole groups"));
        }
        let padding = tail.iter().rev().take_while(|&&b| b == b'=').count() as u64;
        if padding > 2 {
            return Err(FernetError::Invalid("not base64url"));
        }
        Ok(Base64Source {
            source,
            text_len,
            raw_len: text_len / 4 * 3 - padding,
            start: 0,
            decoded: Vec::new(),
            text: vec![0; CHUNK / 3 * 4],
        })
    }

    /// Decodes the piece of raw bytes that holds `offset`; returns its bytes from there.
    fn piece_at(&mut self, offset: u64) -> Result<&[u8], FernetError> {
        let in_buffer = offset >= self.start && offset < self.start + self.decoded.len() as u64;
        if !in_buffer {
            // Pieces start on base64 groups: 3 raw bytes are 4 characters.
            let group = offset / 3;
            let char_start = group * 4;
            let chars = (self.text_len - char_start).min(self.text.len() as u64) as usize;
            self.source.seek(SeekFrom::Start(char_start))?;
            self.source.read_exact(&mut self.text[..chars])?;
            self.decoded.resize(chars / 4 * 3, 0);
            let n = URL_SAFE
                .decode_slice(&self.text[..chars], &mut self.decoded)
                .map_err(|_| FernetError::Invalid("not base64url"))?;
            self.decoded.truncate(n);
            self.start = group * 3;
        }
        let skip = (offset - self.start) as usize;
        if skip >= self.decoded.len() {
            return Err(FernetError::Invalid("shorter than its text says"));
        }
        Ok(&self.decoded[skip..])
    }

    /// Fills `buf` with the raw bytes from `offset` on.
    fn read_exact_at(&mut self, mut offset: u64, buf: &mut [u8]) -> Result<(), FernetError> {
        let mut filled = 0;
        while filled < buf.len() {
            let piece = self.piece_at(offset)?;
            let n = piece.len().min(buf.len() - filled);
            buf[filled..filled + n].copy_from_slice(&piece[..n]);
            filled += n;
            offset += n as u64;
        }
        Ok(())
    }
}

/// A verified Fernet token, read as its plaintext: [`Read`] and [`Seek`] over the
/// decrypted bytes, decrypted a piece at a time from the token's file.
///
/// [`TokenReader::open`] authenticates the whole token first; no plaintext exists
/// before that. The source must not change between the two passes: give it a file only
/// this process writes (the client's own temporary file, the server's archive).
pub struct TokenReader<R> {
    b64: Base64Source<R>,
    key: [u8; 16],
    iv: [u8; 16],
    timestamp: u64,
    /// Plaintext length (the ciphertext less its padding).
    len: u64,
    /// Plaintext position of the next read.
    pos: u64,
    /// Plaintext offset of `plain[0]`, and decrypted bytes from there.
    plain_start: u64,
    plain: Vec<u8>,
    /// The decryption under way: the block it expects next.
    crypter: Option<(Crypter, u64)>,
    raw: Vec<u8>,
}

impl<R: Read + Seek> TokenReader<R> {
    /// Verifies the token in `source` under `key` (HMAC over the whole token, version,
    /// length, padding) and returns a reader of its plaintext. No time-to-live: archives
    /// do not expire.
    pub fn open(key: &Key, source: R) -> Result<Self, FernetError> {
        TokenReader::open_with_ttl(key, source, None)
    }

    /// As [`TokenReader::open`], and with `ttl = Some((seconds, now))` also refuses a
    /// token older than `seconds` at `now` (Unix seconds) or more than
    /// [`MAX_CLOCK_SKEW`] ahead of it (the spec's verifying step 3).
    pub fn open_with_ttl(
        key: &Key,
        source: R,
        ttl: Option<(u64, u64)>,
    ) -> Result<Self, FernetError> {
        let mut b64 = Base64Source::new(source)?;
        let raw_len = b64.raw_len;
        if raw_len < (HEADER + BLOCK + TAG) as u64 {
            return Err(FernetError::Invalid("too short"));
        }
        if (raw_len - (HEADER + TAG) as u64) % BLOCK as u64 != 0 {
            return Err(FernetError::Invalid("the ciphertext is not whole blocks"));
        }
        let mut header = [0u8; HEADER];
        b64.read_exact_at(0, &mut header)?;
        if header[0] != VERSION {
            return Err(FernetError::Invalid("unknown version"));
        }
        let timestamp = u64::from_be_bytes(header[1..9].try_into().unwrap_or([0; 8]));
        if let Some((seconds, now)) = ttl {
            if timestamp.saturating_add(seconds) < now {
                return Err(FernetError::Invalid("expired"));
            }
            if now.saturating_add(MAX_CLOCK_SKEW) < timestamp {
                return Err(FernetError::Invalid("its time is too far in the future"));
            }
        }
        // First pass: the HMAC over everything before the tag, to the very end.
        let signed_len = raw_len - TAG as u64;
        let mut mac = key.mac()?;
        let mut offset = 0u64;
        while offset < signed_len {
            let piece = b64.piece_at(offset)?;
            let n = (piece.len() as u64).min(signed_len - offset) as usize;
            mac.digest_sign_update(&piece[..n])?;
            offset += n as u64;
        }
        let mut expected = [0u8; TAG];
        mac.digest_sign_final(Some(&mut expected))?;
        let mut tag = [0u8; TAG];
        b64.read_exact_at(signed_len, &mut tag)?;
        if !openssl::memcmp::eq(&expected, &tag) {
            return Err(FernetError::Invalid("the HMAC does not match"));
        }
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&header[9..]);
        let mut reader = TokenReader {
            b64,
            key: key.encryption,
            iv,
            timestamp,
            len: 0,
            pos: 0,
            plain_start: 0,
            plain: Vec::new(),
            crypter: None,
            raw: Vec::new(),
        };
        // The padding is in the last block: check it now, so that a bad one is refused
        // before any plaintext, and the plaintext's length is known.
        let ciphertext_len = signed_len - HEADER as u64;
        let last_block = ciphertext_len / BLOCK as u64 - 1;
        let last = reader.decrypt_blocks(last_block, 1)?;
        let pad = last[BLOCK - 1] as usize;
        if pad == 0 || pad > BLOCK || last[BLOCK - pad..].iter().any(|&b| b as usize != pad) {
            return Err(FernetError::Invalid("bad padding"));
        }
        reader.len = ciphertext_len - pad as u64;
        reader.plain.clear();
        Ok(reader)
    }

    /// The token's timestamp (Unix seconds).
    pub fn timestamp(&self) -> u64 {
        self.timestamp
    }

    /// The plaintext's length in bytes.
    pub fn plaintext_len(&self) -> u64 {
        self.len
    }

    /// Decrypts `count` blocks from block `first` into `plain` (keeping the CBC state
    /// when the blocks follow the last ones decrypted) and returns them.
    fn decrypt_blocks(&mut self, first: u64, count: usize) -> Result<&[u8], FernetError> {
        let crypter = match self.crypter.take() {
            Some((crypter, next)) if next == first => crypter,
            _ => {
                // CBC: block `first` decrypts with the ciphertext block before it as IV.
                let mut iv = self.iv;
                if first > 0 {
                    self.b64
                        .read_exact_at(HEADER as u64 + (first - 1) * BLOCK as u64, &mut iv)?;
                }
                let mut crypter =
                    Crypter::new(Cipher::aes_128_cbc(), Mode::Decrypt, &self.key, Some(&iv))?;
                crypter.pad(false);
                crypter
            }
        };
        let mut crypter = crypter;
        self.raw.resize(count * BLOCK, 0);
        self.b64
            .read_exact_at(HEADER as u64 + first * BLOCK as u64, &mut self.raw)?;
        self.plain.resize(count * BLOCK + BLOCK, 0);
        let n = crypter.update(&self.raw, &mut self.plain)?;
        self.plain.truncate(n);
        self.plain_start = first * BLOCK as u64;
        self.crypter = Some((crypter, first + count as u64));
        Ok(&self.plain)
    }
}

impl<R: Read + Seek> Read for TokenReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let buffered =
            self.pos >= self.plain_start && self.pos < self.plain_start + self.plain.len() as u64;
        if !buffered {
            let block = self.pos / BLOCK as u64;
            let blocks_left = (self.len.div_ceil(BLOCK as u64) - block) as usize;
            // The padding block counts: `len` may end inside it.
            let blocks = blocks_left.clamp(1, CHUNK / BLOCK);
            self.decrypt_blocks(block, blocks)?;
        }
        let start = (self.pos - self.plain_start) as usize;
        let end = (self.len - self.plain_start).min(self.plain.len() as u64) as usize;
        let n = (end - start).min(buf.len());
        buf[..n].copy_from_slice(&self.plain[start..start + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for TokenReader<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(n) => {
                self.pos = n;
                Ok(n)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the plaintext",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn key() -> Key {
        Key::from_base64("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=").unwrap()
    }

    fn seal(plain: &[u8]) -> Vec<u8> {
        let mut w = TokenWriter::new(&key(), Vec::new()).unwrap();
        // Odd pieces, so groups of 3 and blocks of 16 straddle writes.
        for piece in plain.chunks(7777) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn round_trips_at_every_block_and_chunk_boundary() {
        for len in [
            0,
            1,
            15,
            16,
            17,
            47,
            48,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 5,
        ] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 + i / 7) as u8).collect();
            let token = seal(&plain);
            assert_eq!(token.len() as u64, token_len(len as u64), "{len}");
            let mut reader = TokenReader::open(&key(), Cursor::new(&token)).unwrap();
            assert_eq!(reader.plaintext_len(), len as u64);
            let mut back = Vec::new();
            reader.read_to_end(&mut back).unwrap();
            assert!(back == plain, "{len}");
        }
    }

    #[test]
    fn seeks_anywhere_in_the_plaintext() {
        let plain: Vec<u8> = (0..3 * CHUNK + 123).map(|i| (i % 251) as u8).collect();
        let token = seal(&plain);
        let mut reader = TokenReader::open(&key(), Cursor::new(&token)).unwrap();
        for &at in &[
            0usize,
            5,
            16,
            17,
            CHUNK - 3,
            CHUNK + 16,
            plain.len() - 1,
            1000,
        ] {
            reader.seek(SeekFrom::Start(at as u64)).unwrap();
            let mut buf = vec![0u8; 40];
            let n = reader.read(&mut buf).unwrap();
            assert!(n > 0);
            assert_eq!(&buf[..n], &plain[at..at + n], "at {at}");
        }
        reader.seek(SeekFrom::End(-3)).unwrap();
        let mut tail = Vec::new();
        reader.read_to_end(&mut tail).unwrap();
        assert_eq!(tail, &plain[plain.len() - 3..]);
    }

    #[test]
    fn a_trailing_newline_is_allowed_and_anything_else_after_the_token_is_not() {
        let mut token = seal(b"fluffy tail");
        token.push(b'\n');
        assert!(TokenReader::open(&key(), Cursor::new(&token)).is_ok());
        token.extend_from_slice(b"AAAA");
        assert!(TokenReader::open(&key(), Cursor::new(&token)).is_err());
    }
}
