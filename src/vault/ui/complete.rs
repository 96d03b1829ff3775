//! Tab completion of file paths in the UI's path inputs, as a shell's Tab does.

use std::path::PathBuf;

/// `~/…` → `$HOME/…`, as a shell would.
pub(super) fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(text),
    }
}

/// Completes the last component of `text` from the file system, as a shell's Tab does:
/// one match is completed (a folder gets a `/`); several are completed to their common
/// prefix and returned as candidates. Hidden names only when the prefix starts with a
/// dot.
pub fn complete_path(text: &str) -> (String, Vec<String>) {
    let (dir_part, prefix) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let dir = if dir_part.is_empty() {
        PathBuf::from(".")
    } else {
        expand_home(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (text.to_string(), Vec::new());
    };
    let mut matches: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let is_dir = e.path().is_dir();
            (name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.')))
                .then_some((name, is_dir))
        })
        .collect();
    matches.sort();
    match matches.as_slice() {
        [] => (text.to_string(), Vec::new()),
        [(name, is_dir)] => (
            format!("{dir_part}{name}{}", if *is_dir { "/" } else { "" }),
            Vec::new(),
        ),
        many => {
            let first = &many[0].0;
            let common = many.iter().fold(first.len(), |len, (name, _)| {
                first
                    .char_indices()
                    .zip(name.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8())
                    .min(len)
            });
            let names = many
                .iter()
                .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
                .collect();
            (format!("{dir_part}{}", &first[..common]), names)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_a_unique_name_and_lists_several() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("acorns.txt"), "1").unwrap();
        std::fs::write(dir.path().join("hazel-a.txt"), "1").unwrap();
        std::fs::write(dir.path().join("hazel-b.txt"), "1").unwrap();
        std::fs::create_dir(dir.path().join("stash")).unwrap();
        let base = format!("{}/", dir.path().display());
        assert_eq!(
            complete_path(&format!("{base}ac")).0,
            format!("{base}acorns.txt")
        );
        assert_eq!(
            complete_path(&format!("{base}st")).0,
            format!("{base}stash/")
        );
        let (text, candidates) = complete_path(&format!("{base}ha"));
        assert_eq!(text, format!("{base}hazel-"));
        assert_eq!(candidates, vec!["hazel-a.txt", "hazel-b.txt"]);
        assert_eq!(complete_path(&format!("{base}zz")).0, format!("{base}zz"));
    }
}
