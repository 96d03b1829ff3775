//! The eavesdropper: frequency analysis finds the shift without trying the keys.

use super::chat_server::LogLine;
use super::cipher::decrypt;
use super::{SubstitutionError, ALPHABET_LEN, MIN_LETTERS};

/// A language whose letter frequencies we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English.
    English,
    /// French.
    French,
}

/// English letter frequencies A–Z, percent of letters in texts: Robert Lewand,
/// *Cryptological Mathematics* (MAA, 2000), p. 36, as tabled in Wikipedia's "Letter
/// frequency" article.
const ENGLISH: [f64; 26] = [
    8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4, 6.7, 7.5, 1.9, 0.095, 6.0,
    6.3, 9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.074,
];

/// French letter frequencies A–Z (unaccented forms; accented letters are counted apart
/// there and ignored here), percent: Wikipedia, "Letter frequency", table "Relative
/// frequencies of letters in other languages", French column.
const FRENCH: [f64; 26] = [
    7.636, 0.901, 3.260, 3.669, 14.715, 1.066, 0.866, 0.737, 7.529, 0.545, 0.049, 5.456, 2.968,
    7.095, 5.378, 3.021, 1.362, 6.553, 7.948, 7.244, 6.311, 1.628, 0.114, 0.387, 0.308, 0.136,
];

impl Language {
    /// Every language we know, in the order `auto` tries them.
    pub const ALL: [Language; 2] = [Language::English, Language::French];

    /// The language's name in the language in force, e.g. `French` (`français`).
    pub fn name(self) -> String {
        self.name_in(crate::i18n::lang())
    }

    /// The language's name in `lang`.
    pub fn name_in(self, lang: crate::i18n::Lang) -> String {
        match self {
            Language::English => crate::tr_in!(lang, "substitution-language-english"),
            Language::French => crate::tr_in!(lang, "substitution-language-french"),
        }
    }

    /// Relative frequencies of A–Z in percent (they sum to about 100; see the sources on
    /// the tables).
    pub fn frequencies(self) -> &'static [f64; 26] {
        match self {
            Language::English => &ENGLISH,
            Language::French => &FRENCH,
        }
    }
}

/// How often each letter A–Z occurs in `text`, case folded. Accented letters are not
/// counted: the cipher moves them by more than the shift.
pub fn letter_counts(text: &str) -> [u64; 26] {
    let mut counts = [0u64; 26];
    for b in text.bytes().filter(u8::is_ascii_alphabetic) {
        counts[usize::from(b.to_ascii_lowercase() - b'a')] += 1;
    }
    counts
}

/// Pearson's chi-squared statistic of the letters `counts` of a ciphertext, decrypted
/// with `shift`, against `language`: Σ (observed − expected)² / expected over A–Z. Lower
/// is closer; it grows with the number of letters, so compare scores of one text only.
/// No letters at all score 0.
pub fn chi_squared(counts: &[u64; 26], shift: u8, language: Language) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let frequencies = language.frequencies();
    let sum: f64 = frequencies.iter().sum();
    (0..26)
        .map(|plain| {
            // Encryption moved each letter `shift` back, so plain letter p shows as p − shift.
            let cipher = (plain + 26 - usize::from(shift % ALPHABET_LEN)) % 26;
            let observed = counts[cipher] as f64;
            let expected = total as f64 * frequencies[plain] / sum;
            (observed - expected).powi(2) / expected
        })
        .sum()
}

/// One candidate key and how well it fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guess {
    /// The shift, 0 to 25.
    pub shift: u8,
    /// The language the decryption was compared with.
    pub language: Language,
    /// Its [`chi_squared`] score: lower is better.
    pub chi_squared: f64,
}

/// The result of [`crack`].
#[derive(Debug, Clone, PartialEq)]
pub struct Crack {
    /// The best-fitting shift and language.
    pub best: Guess,
    /// All 26 shifts, best first, each with the language it fits best.
    pub ranking: Vec<Guess>,
    /// Letters A–Z counted.
    pub letters: u64,
    /// The text decrypted with the best shift.
    pub plaintext: String,
}

impl Crack {
    /// Whether there were enough letters ([`MIN_LETTERS`]) to trust the answer.
    pub fn is_sure(&self) -> bool {
        self.letters >= MIN_LETTERS
    }

    /// The best guess with another shift: the further its score from `best`'s, the
    /// clearer the answer.
    pub fn runner_up(&self) -> Option<&Guess> {
        self.ranking.get(1)
    }
}

/// Finds the shift of a ciphertext without the key: tries all 26 shifts, scores each
/// decryption's letter counts against `language`'s frequencies (both languages when
/// `None`: "auto") with [`chi_squared`], and keeps the lowest.
///
/// Errors: [`SubstitutionError::NoLetters`] when the text has no letter A–Z.
pub fn crack(ciphertext: &str, language: Option<Language>) -> Result<Crack, SubstitutionError> {
    let counts = letter_counts(ciphertext);
    let letters: u64 = counts.iter().sum();
    if letters == 0 {
        return Err(SubstitutionError::NoLetters);
    }
    let languages: &[Language] = match &language {
        Some(one) => std::slice::from_ref(one),
        None => &Language::ALL,
    };
    let mut guesses: Vec<Guess> = languages
        .iter()
        .flat_map(|&language| {
            (0..ALPHABET_LEN).map(move |shift| Guess {
                shift,
                language,
                chi_squared: chi_squared(&counts, shift, language),
            })
        })
        .collect();
    guesses.sort_by(|a, b| a.chi_squared.total_cmp(&b.chi_squared));
    // Keep each shift once, with the language it fits best.
    let mut ranking: Vec<Guess> = Vec::with_capacity(usize::from(ALPHABET_LEN));
    for guess in guesses {
        if !ranking.iter().any(|g| g.shift == guess.shift) {
            ranking.push(guess);
        }
    }
    let best = *ranking.first().ok_or(SubstitutionError::NoLetters)?;
    Ok(Crack {
        best,
        ranking,
        letters,
        plaintext: decrypt(ciphertext, i64::from(best.shift)),
    })
}

/// A chat log cracked: the key found from all messages together, and each line decrypted.
#[derive(Debug, Clone, PartialEq)]
pub struct CrackedLog {
    /// The analysis of all ciphertexts joined.
    pub crack: Crack,
    /// Each log line with its decryption, in log order.
    pub lines: Vec<(LogLine, String)>,
}

/// Cracks the ciphertexts of a chat log together (one key for the whole club, so their
/// letters add up) and decrypts each line.
///
/// Errors: [`SubstitutionError::NoLetters`] when no message has a letter.
pub fn crack_chat_log(
    lines: &[LogLine],
    language: Option<Language>,
) -> Result<CrackedLog, SubstitutionError> {
    let joined: Vec<&str> = lines.iter().map(|l| l.ciphertext.as_str()).collect();
    let crack = crack(&joined.join("\n"), language)?;
    let shift = i64::from(crack.best.shift);
    let lines = lines
        .iter()
        .map(|l| (l.clone(), decrypt(&l.ciphertext, shift)))
        .collect();
    Ok(CrackedLog { crack, lines })
}
