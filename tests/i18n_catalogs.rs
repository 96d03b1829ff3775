//! The two languages stay together: every message of the English catalogs
//! (`locales/en/*.ftl`) exists in the French ones (`locales/fr/*.ftl`) and the other way
//! round, in the same file, with the same placeables; every message the code asks for
//! exists; every message in the catalogs is asked for somewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Message id → the names of its variables, for one file.
type Catalog = BTreeMap<String, BTreeSet<String>>;

fn variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_variables(inline, out),
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                variables(&variant.value, out);
            }
        }
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
        }
        _ => {}
    }
}

/// Every `.ftl` file of a language: file name → its messages.
fn catalogs(lang: &str) -> BTreeMap<String, Catalog> {
    let dir = Path::new(ROOT).join("locales").join(lang);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let resource = fluent_syntax::parser::parse(source.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", path.display()));
        let mut catalog = Catalog::new();
        for entry in &resource.body {
            match entry {
                Entry::Message(message) => {
                    let mut names = BTreeSet::new();
                    if let Some(value) = &message.value {
                        variables(value, &mut names);
                    }
                    for attribute in &message.attributes {
                        variables(&attribute.value, &mut names);
                    }
                    let id = message.id.name.to_string();
                    assert!(
                        catalog.insert(id.clone(), names).is_none(),
                        "{id} twice in {}",
                        path.display()
                    );
                }
                Entry::Junk { content } => panic!("{}: cannot read {content:?}", path.display()),
                _ => {}
            }
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.insert(name, catalog);
    }
    assert!(!files.is_empty(), "no catalog in {}", dir.display());
    files
}

fn all_keys(files: &BTreeMap<String, Catalog>) -> BTreeSet<String> {
    files.values().flat_map(|c| c.keys().cloned()).collect()
}

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Literals of `src/` that look like keys of an area but are names of another kind: the
/// vault's data folder and its UI's worker thread.
const NOT_KEYS: [&str; 2] = ["vault-data", "vault-worker"];

/// Every string literal of `src/` that looks like a message key (`area-words-…`).
fn literals_in_code() -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    rust_sources(&Path::new(ROOT).join("src"), &mut files);
    let mut found = BTreeMap::new();
    for file in files {
        let code = std::fs::read_to_string(&file).unwrap();
        for piece in code.split('"').skip(1).step_by(2) {
            let looks_like_key = piece.contains('-')
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && piece.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            if looks_like_key && !NOT_KEYS.contains(&piece) {
                found
                    .entry(piece.to_string())
                    .or_insert_with(|| file.clone());
            }
        }
    }
    found
}

#[test]
fn every_message_is_in_both_languages_with_the_same_placeables() {
    let en = catalogs("en");
    let fr = catalogs("fr");
    assert_eq!(
        en.keys().collect::<Vec<_>>(),
        fr.keys().collect::<Vec<_>>(),
        "the two languages have different catalog files"
    );
    for (file, english) in &en {
        let french = &fr[file];
        for (id, names) in english {
            match french.get(id) {
                None => panic!("{id} (locales/en/{file}) is missing from locales/fr/{file}"),
                Some(french_names) => assert_eq!(
                    names, french_names,
                    "{id} has other placeables in French than in English"
                ),
            }
        }
        for id in french.keys() {
            assert!(
                english.contains_key(id),
                "{id} (locales/fr/{file}) is missing from locales/en/{file}"
            );
        }
    }
}

#[test]
fn every_message_the_code_names_exists_and_every_message_is_used() {
    let keys = all_keys(&catalogs("en"));
    let prefixes: BTreeSet<&str> = keys.iter().filter_map(|k| k.split('-').next()).collect();
    let literals = literals_in_code();
    for (literal, file) in &literals {
        // Only literals of a catalog's area (its first word) claim to be keys.
        let area = literal.split('-').next().unwrap_or("");
        if prefixes.contains(area) {
            assert!(
                keys.contains(literal),
                "{} asks for {literal}, which no catalog has",
                file.display()
            );
        }
    }
    for key in &keys {
        assert!(
            literals.contains_key(key),
            "{key} is in the catalogs but no code asks for it"
        );
    }
}
