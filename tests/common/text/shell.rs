//! A text's command line as `sh` reads it: words (quotes kept, so the line can be put
//! back together), operators, the trailing `# comment`.

/// One token of a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// As written, quotes included.
    pub raw: String,
    /// The word `sh` passes to the program (quotes removed); empty for an operator.
    pub word: String,
    /// `|`, `&&`, `;`, `<`, `>`, `>>`, `2>&1`…
    pub operator: bool,
}

impl Token {
    fn word(raw: &str, word: &str) -> Token {
        Token {
            raw: raw.to_string(),
            word: word.to_string(),
            operator: false,
        }
    }

    /// A word written plainly (`sh` quoting added when it needs some).
    pub fn plain(word: &str) -> Token {
        let safe = word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,@+%".contains(&b));
        let raw = if safe {
            word.to_string()
        } else {
            format!("'{}'", word.replace('\'', r"'\''"))
        };
        Token::word(&raw, word)
    }

    /// Whether this is the operator `op`.
    pub fn is(&self, op: &str) -> bool {
        self.operator && self.raw == op
    }
}

/// A command line split as `sh` would (single and double quotes, no expansions), and
/// its trailing `# comment`.
pub fn tokens(line: &str) -> (Vec<Token>, String) {
    let mut tokens = Vec::new();
    let mut raw = String::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let flush = |tokens: &mut Vec<Token>, raw: &mut String, word: &mut String| {
        if !raw.is_empty() {
            tokens.push(Token::word(raw, word));
            raw.clear();
            word.clear();
        }
    };
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                raw.push(c);
            }
            (Some(_), c) => {
                raw.push(c);
                word.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                raw.push(c);
            }
            (None, '#') if raw.is_empty() => {
                flush(&mut tokens, &mut raw, &mut word);
                return (tokens, line[at + 1..].trim().to_string());
            }
            (None, c) if c.is_whitespace() => flush(&mut tokens, &mut raw, &mut word),
            (None, '|' | '&' | ';' | '<' | '>') => {
                // `2>&1` and `2>` belong to the operator, not to a word.
                let fd = raw == "2";
                if !fd {
                    flush(&mut tokens, &mut raw, &mut word);
                }
                let mut op = if fd { "2".to_string() } else { String::new() };
                raw.clear();
                word.clear();
                while i < chars.len() && "|&;<>".contains(chars[i].1) {
                    op.push(chars[i].1);
                    i += 1;
                }
                if op.ends_with(">&") && i < chars.len() && chars[i].1.is_ascii_digit() {
                    op.push(chars[i].1);
                    i += 1;
                }
                tokens.push(Token {
                    raw: op,
                    word: String::new(),
                    operator: true,
                });
                continue;
            }
            (None, c) => {
                raw.push(c);
                word.push(c);
            }
        }
        i += 1;
    }
    assert!(quote.is_none(), "unbalanced quotes in: {line}");
    flush(&mut tokens, &mut raw, &mut word);
    (tokens, String::new())
}

/// The line put back together.
pub fn join(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| t.raw.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The simple commands of a line (split at `|`, `&&`, `||`, `;`), as token ranges.
pub fn commands(tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.operator && ["|", "&&", "||", ";"].contains(&t.raw.as_str()) {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..tokens.len());
    out
}

/// Where a command's arguments end: at its first redirection.
pub fn arguments_end(tokens: &[Token], command: &std::ops::Range<usize>) -> usize {
    (command.start..command.end)
        .find(|&i| tokens[i].operator)
        .unwrap_or(command.end)
}

/// The value after `option` in `words`.
pub fn option_value<'a>(words: &'a [String], option: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| w == option)
        .and_then(|i| words.get(i + 1))
        .map(String::as_str)
}
