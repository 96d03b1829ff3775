//! The French texts keep step with the English ones: every English lesson text in
//! `lessons/` has its French twin of the same file name in `lessons/fr/` (and README.md
//! has README.fr.md), with the same headings — as many of each level, in the same order —
//! and the same `sh` blocks, byte for byte, in the same order: commands are not
//! translated. The prose and the `text` blocks (program output) are the translation's
//! own. A twin that is missing or drifts fails here, naming the file and the place.

use std::collections::BTreeMap;
use std::path::Path;

/// The project root: the texts are read from here.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A fenced code block: its info string (`sh`, `text`…), its first line's number (from
/// 1) and its lines exactly as written, indentation included.
#[derive(Debug)]
struct Block {
    info: String,
    line: usize,
    body: String,
}

/// A heading outside code blocks: its level (the number of `#`), line number and text.
#[derive(Debug)]
struct Heading {
    level: usize,
    line: usize,
    text: String,
}

/// What a twin must share with its original, read from a Markdown text.
#[derive(Debug, Default)]
struct Shape {
    headings: Vec<Heading>,
    blocks: Vec<Block>,
}

/// Reads the headings and fenced blocks of `text`. A fence is a line whose first
/// non-blank characters are three backticks (fences in list items are indented); it
/// closes at the next line that is only three backticks.
fn shape(text: &str) -> Shape {
    let mut shape = Shape::default();
    let mut open: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        match open.as_mut() {
            Some(block) => {
                if trimmed == "```" {
                    shape.blocks.extend(open.take());
                } else {
                    block.body.push_str(line);
                    block.body.push('\n');
                }
            }
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        info: info.trim().to_string(),
                        line: number,
                        body: String::new(),
                    });
                } else if let Some(level) = heading_level(line) {
                    shape.headings.push(Heading {
                        level,
                        line: number,
                        text: line.to_string(),
                    });
                }
            }
        }
    }
    // An unclosed fence still counts: its drift must show, not vanish.
    shape.blocks.extend(open);
    shape
}

/// The level of an ATX heading (`## Title` is 2), if `line` is one.
fn heading_level(line: &str) -> Option<usize> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' '))).then_some(level)
}

/// Every way `french` (the twin, named `fr_name`) drifts from `english` (`en_name`):
/// headings per level, heading order, and `sh` blocks. Empty when they keep step.
fn drift(en_name: &str, english: &str, fr_name: &str, french: &str) -> Vec<String> {
    let (en, fr) = (shape(english), shape(french));
    let mut problems = Vec::new();

    let count = |shape: &Shape| {
        let mut counts = BTreeMap::new();
        for heading in &shape.headings {
            *counts.entry(heading.level).or_insert(0usize) += 1;
        }
        counts
    };
    let (en_counts, fr_counts) = (count(&en), count(&fr));
    for level in 1..=6 {
        let (e, f) = (
            en_counts.get(&level).copied().unwrap_or(0),
            fr_counts.get(&level).copied().unwrap_or(0),
        );
        if e != f {
            problems.push(format!(
                "{fr_name}: {f} headings of level {level} ({}), {en_name} has {e}",
                "#".repeat(level)
            ));
        }
    }
    if let Some((e, f)) = en
        .headings
        .iter()
        .zip(&fr.headings)
        .find(|(e, f)| e.level != f.level)
    {
        problems.push(format!(
            "{fr_name}:{}: `{}` stands where {en_name}:{} has `{}` (another level: the headings are not in the same order)",
            f.line, f.text, e.line, e.text
        ));
    }

    let sh = |shape: Shape| -> Vec<Block> {
        shape
            .blocks
            .into_iter()
            .filter(|block| block.info == "sh")
            .collect()
    };
    let (en_sh, fr_sh) = (sh(en), sh(fr));
    if en_sh.len() != fr_sh.len() {
        problems.push(format!(
            "{fr_name}: {} `sh` blocks, {en_name} has {}",
            fr_sh.len(),
            en_sh.len()
        ));
    }
    if let Some((index, (e, f))) = en_sh
        .iter()
        .zip(&fr_sh)
        .enumerate()
        .find(|(_, (e, f))| e.body != f.body)
    {
        problems.push(format!(
            "{fr_name}:{}: `sh` block {} differs from {en_name}:{} (commands are not translated)\n--- {en_name}\n{}--- {fr_name}\n{}",
            f.line,
            index + 1,
            e.line,
            e.body,
            f.body
        ));
    }
    problems
}

/// The English texts of `english_dir` that have no twin in `french_dir`, and the French
/// texts there that have no English original: file names, sorted.
fn unpaired(english_dir: &Path, french_dir: &Path) -> (Vec<String>, Vec<String>) {
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|entry| entry.unwrap().path())
                    .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "md"))
                    .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let (english, french) = (names(english_dir), names(french_dir));
    let missing = english
        .iter()
        .filter(|name| !french.contains(name))
        .cloned()
        .collect();
    let orphans = french
        .iter()
        .filter(|name| !english.contains(name))
        .cloned()
        .collect();
    (missing, orphans)
}

fn read(file: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The lesson texts' file names (`01-plain-http.md`…), from `lessons/`.
fn lesson_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("lessons"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "md"))
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// The relative link targets of `text`: `[…](target)`, without `#fragment`.
fn relative_links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|target| target.split('#').next().unwrap_or_default().to_string())
        .filter(|target| !target.is_empty() && !target.contains("://"))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The texts as they stand
// ---------------------------------------------------------------------------------------

#[test]
fn every_english_lesson_text_has_a_french_twin_and_no_french_text_is_an_orphan() {
    let root = Path::new(ROOT);
    let (missing, orphans) = unpaired(&root.join("lessons"), &root.join("lessons/fr"));
    assert!(
        missing.is_empty(),
        "no French twin in lessons/fr/ for: {missing:?} (write lessons/fr/<same name>)"
    );
    assert!(
        orphans.is_empty(),
        "French texts in lessons/fr/ without an English original in lessons/: {orphans:?}"
    );
    assert!(
        !lesson_files().is_empty(),
        "no lesson text found in lessons/"
    );
}

#[test]
fn each_french_lesson_text_has_the_english_headings_and_sh_blocks() {
    let mut problems = Vec::new();
    for file in lesson_files() {
        let (en_name, fr_name) = (format!("lessons/{file}"), format!("lessons/fr/{file}"));
        if !Path::new(ROOT).join(&fr_name).exists() {
            continue; // reported by the test above
        }
        problems.extend(drift(&en_name, &read(&en_name), &fr_name, &read(&fr_name)));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_french_readme_has_the_english_headings_and_sh_blocks() {
    let problems = drift(
        "README.md",
        &read("README.md"),
        "README.fr.md",
        &read("README.fr.md"),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_readme_links_to_the_french_readme() {
    let readme = read("README.md");
    assert!(
        readme.contains("[Français](README.fr.md)"),
        "README.md should link to README.fr.md as [Français](README.fr.md)"
    );
    assert!(
        read("README.fr.md").contains("[English](README.md)"),
        "README.fr.md should link back to README.md as [English](README.md)"
    );
}

#[test]
fn the_french_texts_link_to_french_twins_and_to_files_that_exist() {
    let mut texts = vec![("README.fr.md".to_string(), Path::new(ROOT).to_path_buf())];
    for file in lesson_files() {
        let fr = format!("lessons/fr/{file}");
        if Path::new(ROOT).join(&fr).exists() {
            texts.push((fr, Path::new(ROOT).join("lessons/fr")));
        }
    }
    let mut problems = Vec::new();
    for (name, dir) in texts {
        for target in relative_links(&read(&name)) {
            let path = dir.join(&target);
            if !path.exists() {
                problems.push(format!("{name}: the link {target} leads nowhere"));
            }
            // An English lesson text, or the English README anywhere but in the
            // French README's own "English" link.
            let english_lesson = path.extension().is_some_and(|e| e == "md")
                && path
                    .parent()
                    .is_some_and(|parent| parent.ends_with("lessons"));
            let english_readme = path.ends_with("README.md")
                && path.parent() == Some(Path::new(ROOT))
                && name != "README.fr.md";
            if english_lesson || english_readme {
                problems.push(format!(
                    "{name}: the link {target} leads to an English text; point it to its French twin"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------
// The check itself: it fails when a twin is missing or drifts
// ---------------------------------------------------------------------------------------

const ENGLISH: &str = "# Lesson 01 — Plain HTTP\n\nIntro.\n\n## The commands\n\n```sh\ncargo run -- plain-http serve\n```\n\n```text\nThe secret message is: fluffy tail\n```\n\n## Capture it in Wireshark\n\n### With tshark\n\n1. A step:\n\n   ```sh\n   tshark -r lesson01.pcapng -Y http   # GET and 200\n   ```\n";

const FRENCH: &str = "# Leçon 01 — HTTP en clair\n\nIntroduction.\n\n## Les commandes\n\n```sh\ncargo run -- plain-http serve\n```\n\n```text\nLe message secret est : fluffy tail\n```\n\n## Capturer l'échange dans Wireshark\n\n### Avec tshark\n\n1. Une étape :\n\n   ```sh\n   tshark -r lesson01.pcapng -Y http   # GET and 200\n   ```\n";

#[test]
fn a_faithful_twin_passes_whatever_its_prose_and_output_blocks_say() {
    assert_eq!(
        drift("en.md", ENGLISH, "fr.md", FRENCH),
        Vec::<String>::new()
    );
}

#[test]
fn a_translated_command_or_comment_in_an_sh_block_fails() {
    let french = FRENCH.replace("# GET and 200", "# GET et 200");
    let problems = drift("en.md", ENGLISH, "fr.md", &french);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("fr.md:21: `sh` block 2 differs from en.md:21"),
        "{problems:?}"
    );
}

#[test]
fn an_sh_block_reindented_or_missing_fails() {
    let reindented = FRENCH.replace("   tshark", "    tshark");
    assert_eq!(drift("en.md", ENGLISH, "fr.md", &reindented).len(), 1);
    let cut = FRENCH.replace(
        "```sh\ncargo run -- plain-http serve\n```\n",
        "cargo run -- plain-http serve\n",
    );
    let problems = drift("en.md", ENGLISH, "fr.md", &cut);
    assert!(
        problems
            .iter()
            .any(|p| p == "fr.md: 1 `sh` blocks, en.md has 2"),
        "{problems:?}"
    );
}

#[test]
fn a_missing_heading_or_one_at_another_level_fails() {
    let missing = FRENCH.replace("### Avec tshark\n", "");
    assert_eq!(
        drift("en.md", ENGLISH, "fr.md", &missing),
        vec!["fr.md: 0 headings of level 3 (###), en.md has 1".to_string()]
    );
    let moved = FRENCH
        .replace("## Les commandes", "### Les commandes")
        .replace("### Avec tshark", "## Avec tshark");
    let problems = drift("en.md", ENGLISH, "fr.md", &moved);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .starts_with("fr.md:5: `### Les commandes` stands where en.md:5 has `## The commands`"),
        "{problems:?}"
    );
}

#[test]
fn a_hash_inside_a_code_block_is_not_a_heading() {
    let english = format!("{ENGLISH}\n```sh\n# a comment, not a heading\n```\n");
    let french = format!("{FRENCH}\n```sh\n# a comment, not a heading\n```\n");
    assert_eq!(shape(&english).headings.len(), 4);
    assert!(drift("en.md", &english, "fr.md", &french).is_empty());
}

#[test]
fn a_missing_twin_or_an_orphan_french_text_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (english, french) = (dir.path().join("lessons"), dir.path().join("lessons/fr"));
    std::fs::create_dir_all(&french).unwrap();
    for name in ["01-plain-http.md", "02-substitution.md"] {
        std::fs::write(english.join(name), ENGLISH).unwrap();
    }
    std::fs::write(french.join("01-plain-http.md"), FRENCH).unwrap();
    std::fs::write(french.join("10-extra.md"), FRENCH).unwrap();
    assert_eq!(
        unpaired(&english, &french),
        (
            vec!["02-substitution.md".to_string()],
            vec!["10-extra.md".to_string()]
        )
    );
    std::fs::write(french.join("02-substitution.md"), FRENCH).unwrap();
    std::fs::remove_file(french.join("10-extra.md")).unwrap();
    assert_eq!(unpaired(&english, &french), (vec![], vec![]));
}
