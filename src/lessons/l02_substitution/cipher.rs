//! The cipher: each letter moves `shift` places back in the alphabet; accented letters
//! keep their accent, everything else passes unchanged.

use super::ALPHABET_LEN;

/// Accented letters as (accent, precomposed letters, their base letters, in the same
/// order): every letter of Latin-1 Supplement and Latin Extended-A (U+00C0–U+017F) whose
/// Unicode canonical decomposition (NFD) is one ASCII letter plus one combining mark.
/// Letters with no such decomposition (ß, æ, ø, ł, đ, ı, ŀ …) pass unchanged.
const ACCENTED: &[(&str, &str, &str)] = &[
    ("grave accent", "ÀÈÌÒÙàèìòù", "AEIOUaeiou"),
    (
        "acute accent",
        "ÁÉÍÓÚÝáéíóúýĆćĹĺŃńŔŕŚśŹź",
        "AEIOUYaeiouyCcLlNnRrSsZz",
    ),
    (
        "circumflex accent",
        "ÂÊÎÔÛâêîôûĈĉĜĝĤĥĴĵŜŝŴŵŶŷ",
        "AEIOUaeiouCcGgHhJjSsWwYy",
    ),
    ("tilde", "ÃÑÕãñõĨĩŨũ", "ANOanoIiUu"),
    ("diaeresis", "ÄËÏÖÜäëïöüÿŸ", "AEIOUaeiouyY"),
    ("ring above", "ÅåŮů", "AaUu"),
    ("cedilla", "ÇçĢģĶķĻļŅņŖŗŞşŢţ", "CcGgKkLlNnRrSsTt"),
    ("macron", "ĀāĒēĪīŌōŪū", "AaEeIiOoUu"),
    ("breve", "ĂăĔĕĞğĬĭŎŏŬŭ", "AaEeGgIiOoUu"),
    ("ogonek", "ĄąĘęĮįŲų", "AaEeIiUu"),
    ("dot above", "ĊċĖėĠġİŻż", "CcEeGgIZz"),
    ("caron", "ČčĎďĚěĽľŇňŘřŠšŤťŽž", "CcDdEeLlNnRrSsTtZz"),
    ("double acute accent", "ŐőŰű", "OoUu"),
];

/// `c` as (row of [`ACCENTED`], base letter), when it is an accented letter we know.
fn decompose(c: char) -> Option<(usize, char)> {
    if !('\u{C0}'..='\u{17F}').contains(&c) {
        return None;
    }
    ACCENTED
        .iter()
        .enumerate()
        .find_map(|(row, (_, letters, bases))| {
            let at = letters.chars().position(|l| l == c)?;
            Some((row, bases.chars().nth(at)?))
        })
}

/// The letter `base` with the accent of row `row` of [`ACCENTED`], if Unicode has it.
fn compose(row: usize, base: char) -> Option<char> {
    let (_, letters, bases) = ACCENTED.get(row)?;
    let at = bases.chars().position(|b| b == base)?;
    letters.chars().nth(at)
}

/// Moves an ASCII letter `back` places back in its alphabet, keeping its case.
fn shift_ascii(c: char, back: u8) -> char {
    let first = if c.is_ascii_uppercase() { b'A' } else { b'a' };
    let offset = (c as u8 - first + ALPHABET_LEN - back % ALPHABET_LEN) % ALPHABET_LEN;
    (first + offset) as char
}

/// Moves every letter `back` places back (0 ≤ `back` < 26); see [`encrypt`].
fn shift_text(text: &str, back: u8) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                return shift_ascii(c, back);
            }
            let Some((row, base)) = decompose(c) else {
                return c;
            };
            // Cycle walking: step the base letter back until we reach one that carries
            // this accent (é, shift 1: d has no acute, c does → ć). The steps form a cycle
            // through the alphabet, so the walk always ends — at the latest back at the
            // letter itself — and walking forward undoes it exactly.
            let mut walked = base;
            for _ in 0..ALPHABET_LEN {
                walked = shift_ascii(walked, back);
                if let Some(accented) = compose(row, walked) {
                    return accented;
                }
            }
            c
        })
        .collect()
}

/// `shift` as a number of places back, 0 to 25 (negative shifts move forward).
fn places_back(shift: i64) -> u8 {
    // rem_euclid of 26 is always in 0..26, so the cast cannot truncate.
    shift.rem_euclid(i64::from(ALPHABET_LEN)) as u8
}

/// Encrypts with the shift (Caesar) cipher: each letter moves `shift` places *back*, as
/// the tutorial's key 1 does (A→Z, B→A: `fluffy tail` → `ekteex szhk`).
///
/// Case is kept; digits, punctuation, spaces, emoji and every other character pass
/// unchanged. An accented letter keeps its accent and moves to the next letter back that
/// Unicode writes with the same accent (é with shift 1 → ć), so [`decrypt`] always undoes
/// `encrypt` exactly. `shift` counts modulo 26; negative values move forward. A TOY: see
/// [`crack`](fn@super::crack).
pub fn encrypt(text: &str, shift: i64) -> String {
    shift_text(text, places_back(shift))
}

/// Decrypts what [`encrypt`] made with the same `shift`: every letter moves forward.
pub fn decrypt(text: &str, shift: i64) -> String {
    shift_text(text, (ALPHABET_LEN - places_back(shift)) % ALPHABET_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accent_table_rows_pair_each_letter_with_an_ascii_base() {
        for (name, letters, bases) in ACCENTED {
            assert_eq!(letters.chars().count(), bases.chars().count(), "{name}");
            assert!(bases.chars().all(|b| b.is_ascii_alphabetic()), "{name}");
            for (l, b) in letters.chars().zip(bases.chars()) {
                assert_eq!(decompose(l).map(|(_, base)| base), Some(b), "{l}");
                assert_eq!(
                    l.is_uppercase(),
                    b.is_ascii_uppercase(),
                    "{l} and {b} differ in case"
                );
            }
        }
    }

    #[test]
    fn every_character_below_u_3000_round_trips_under_every_shift() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        for shift in -30..30 {
            assert_eq!(decrypt(&encrypt(&all, shift), shift), all, "shift {shift}");
        }
    }

    #[test]
    fn accented_letters_keep_their_accent() {
        assert_eq!(encrypt("é", 1), "ć");
        // Ç: B, A, Z … carry no cedilla; T does.
        assert_eq!(encrypt("Ça", 1), "Ţz");
        assert_eq!(decrypt("ć", 1), "é");
        // ß has no decomposition: it passes unchanged.
        assert_eq!(encrypt("ß", 5), "ß");
    }
}
