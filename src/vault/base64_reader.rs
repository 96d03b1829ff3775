//! Standard base64 (RFC 4648 §4) produced as a stream: `GET /download-file` sends an
//! archive of tens of MiB inside JSON without holding it, or its base64, in memory.

use std::io::{self, Read};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Reads `source` as padded standard base64 (RFC 4648 §4), encoding one chunk at a
/// time, so a large archive is sent as base64 without being held in memory.
pub struct Base64Reader<R> {
    source: R,
    /// Raw bytes per chunk: a multiple of 3, so only the last chunk carries padding.
    raw: Vec<u8>,
    encoded: Vec<u8>,
    /// How much of `encoded` has been handed out.
    pos: usize,
    at_end: bool,
}

impl<R: Read> Base64Reader<R> {
    /// A reader of `source`'s bytes as padded standard base64.
    pub fn new(source: R) -> Self {
        Base64Reader {
            source,
            raw: vec![0; 3 * 64 * 1024],
            encoded: Vec::new(),
            pos: 0,
            at_end: false,
        }
    }

    /// Encodes the next full chunk (or the last, short one) into `encoded`.
    fn refill(&mut self) -> io::Result<()> {
        let mut filled = 0;
        while filled < self.raw.len() {
            match self.source.read(&mut self.raw[filled..]) {
                Ok(0) => {
                    self.at_end = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let raw = &self.raw[..filled];
        let len = base64::encoded_len(raw.len(), true)
            .ok_or_else(|| io::Error::other("a base64 chunk's length overflows"))?;
        self.encoded.resize(len, 0);
        STANDARD
            .encode_slice(raw, &mut self.encoded)
            .map_err(io::Error::other)?;
        self.pos = 0;
        Ok(())
    }
}

impl<R: Read> Read for Base64Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.encoded.len() {
            if self.at_end {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.encoded.len() - self.pos);
        buf[..n].copy_from_slice(&self.encoded[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out at most 1000 bytes per read, like a socket or a pipe.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.0.len()).min(1000);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn streamed_base64_equals_one_shot_base64_at_every_chunk_boundary() {
        let chunk = 3 * 64 * 1024;
        let content: Vec<u8> = (0..2 * chunk + 2)
            .map(|i| (i * 7 + i / 251) as u8)
            .collect();
        for len in [0, 1, 2, 3, 4, chunk - 1, chunk, chunk + 1, 2 * chunk + 2] {
            let mut streamed = String::new();
            Base64Reader::new(Trickle(&content[..len]))
                .read_to_string(&mut streamed)
                .unwrap();
            assert_eq!(streamed, STANDARD.encode(&content[..len]), "length {len}");
            assert_eq!(Some(streamed.len()), base64::encoded_len(len, true));
        }
    }
}
