//! A lesson text as the runner reads it: fenced blocks in order, each with the section
//! it stands in and what comes just before it.

/// One fenced block (` ```sh `, ` ```text `…), indented ones (in a list item) too.
#[derive(Debug, Clone)]
pub struct Block {
    /// The fence's language: `sh`, `text`, `json`…
    pub lang: String,
    /// Its lines, the fence's indentation removed.
    pub lines: Vec<String>,
    /// Its first line's number in the file (1-based), for messages.
    pub line: usize,
    /// Index into [`Text::sections`].
    pub section: usize,
    /// Only blank lines stand between it and the previous block.
    pub follows_previous: bool,
    /// The last line of prose before it (empty when none since the previous block).
    pub prose_before: String,
}

/// A `##` or `###` heading and whether it belongs to the capture section (the `##`
/// whose heading names Wireshark, and its `###` parts).
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading line.
    pub heading: String,
    /// Inside the `## … Wireshark` section.
    pub capture: bool,
}

/// A lesson text, read.
#[derive(Debug)]
pub struct Text {
    /// Headings in order; the part before the first is section 0 (`# …`).
    pub sections: Vec<Section>,
    /// Fenced blocks in order.
    pub blocks: Vec<Block>,
    /// Everything outside fenced blocks.
    pub prose: String,
    /// Every whole number the text holds, anywhere.
    pub numbers: Vec<u64>,
}

impl Text {
    /// Reads `markdown`.
    pub fn parse(markdown: &str) -> Text {
        let mut sections = vec![Section {
            heading: String::new(),
            capture: false,
        }];
        let mut blocks = Vec::new();
        let mut prose = String::new();
        let mut open: Option<(Block, usize)> = None;
        let mut only_blank_since_block = false;
        let mut last_prose = String::new();
        let mut in_capture = false;
        for (i, line) in markdown.lines().enumerate() {
            let trimmed = line.trim_start();
            if let Some((mut block, indent)) = open.take() {
                if trimmed == "```" {
                    blocks.push(block);
                    only_blank_since_block = true;
                    last_prose.clear();
                } else {
                    let cut = line.len() - line.trim_start().len();
                    block.lines.push(line[cut.min(indent)..].to_string());
                    open = Some((block, indent));
                }
                continue;
            }
            if let Some(lang) = trimmed.strip_prefix("```") {
                open = Some((
                    Block {
                        lang: lang.trim().to_string(),
                        lines: Vec::new(),
                        line: i + 1,
                        section: sections.len() - 1,
                        follows_previous: only_blank_since_block,
                        prose_before: last_prose.clone(),
                    },
                    line.len() - trimmed.len(),
                ));
                continue;
            }
            prose.push_str(line);
            prose.push('\n');
            if line.starts_with("## ") {
                in_capture = line.contains("Wireshark");
            }
            if line.starts_with("## ") || line.starts_with("### ") {
                sections.push(Section {
                    heading: line.to_string(),
                    capture: in_capture,
                });
            }
            if !line.trim().is_empty() {
                only_blank_since_block = false;
                last_prose = line.trim().to_string();
            }
        }
        let numbers = markdown
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|run| run.parse().ok())
            .collect();
        Text {
            sections,
            blocks,
            prose,
            numbers,
        }
    }

    /// The prose of the capture section.
    pub fn capture_prose(&self) -> String {
        let mut out = String::new();
        let mut inside = false;
        let mut in_code = false;
        for line in self.prose.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if line.starts_with("## ") {
                inside = line.contains("Wireshark");
            }
            if inside && !in_code {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// The command lines of a `sh` block: `\` continuations joined, comment-only and blank
/// lines left out, each with its line number.
pub fn sh_lines(block: &Block) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending = String::new();
    let mut start = block.line + 1;
    for (i, line) in block.lines.iter().enumerate() {
        let trimmed = line.trim();
        if pending.is_empty() {
            start = block.line + 1 + i;
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        lines.push((start, std::mem::take(&mut pending)));
    }
    lines
}

/// Every `` `X` `` that follows `words` (e.g. "display filter", then optional `:` and
/// spaces) in `prose`, case-insensitively.
pub fn named_after(prose: &str, words: &str) -> Vec<String> {
    let flat = prose.replace('\n', " ");
    let lower = flat.to_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(words) {
        let start = from + at + words.len();
        let rest = flat[start..].trim_start_matches([' ', ':']);
        if let Some(quoted) = rest.strip_prefix('`') {
            if let Some(end) = quoted.find('`') {
                found.push(quoted[..end].to_string());
            }
        }
        from = start;
    }
    found
}
