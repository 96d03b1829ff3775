//! Bytes as hexadecimal text, the ways the field's tools write them: lower case for
//! keys, secrets and the NSS key log (`openssl`, Wireshark); upper case with colons for
//! certificate fingerprints (`openssl x509 -fingerprint`, browsers).

use std::fmt::Write;

/// Lower-case hex, two digits a byte: `[0xfa, 0x01]` → `fa01`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Upper-case hex, two digits a byte: `[0xfa, 0x01]` → `FA01`.
pub fn encode_upper(bytes: &[u8]) -> String {
    encode(bytes).to_ascii_uppercase()
}

/// Upper-case hex with a colon between bytes, as fingerprints are shown: `FA:01`.
pub fn colons(bytes: &[u8]) -> String {
    let upper = encode_upper(bytes);
    let pairs: Vec<&str> = (0..upper.len())
        .step_by(2)
        .map(|i| &upper[i..i + 2])
        .collect();
    pairs.join(":")
}

/// The bytes of hex text, white space between digits ignored (`16 03 01` or `160301`);
/// `None` for an odd number of digits or a character that is not one.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.len() % 2 != 0 {
        return None;
    }
    Some(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_round_trips() {
        let bytes = [0x00, 0xfa, 0x01, 0xff];
        assert_eq!(encode(&bytes), "00fa01ff");
        assert_eq!(encode_upper(&bytes), "00FA01FF");
        assert_eq!(colons(&bytes), "00:FA:01:FF");
        assert_eq!(colons(&[]), "");
        assert_eq!(decode("00 fa 01\nFF"), Some(bytes.to_vec()));
        assert_eq!(decode("0"), None);
        assert_eq!(decode("zz"), None);
    }
}
