//! Every word of the chat's page, from the message catalogs (`locales/en/webchat.ftl`,
//! `locales/fr/webchat.ftl`), served as `GET /api/words` in the reader's language: the
//! browser's `Accept-Language`, else the server's ([`crate::web::page_lang`]).
//!
//! The page holds no words of its own: `web/index.html` names each element's message
//! (`data-words="webchat-title"`), and `web/words.js` fills it in with `textContent`;
//! `app.js`, `view.js` and `api.js` ask for theirs by key. A placeable stays a `{name}`
//! placeholder, which the page fills: a user name, a number, or an element of the page
//! such as the `<code>` of `webchat-insecure`.
//!
//! The errors of the API keep their English `message` (the wire protocol's); the page
//! shows its own words for the errors it knows (`webchat-error-…`), else that message.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::i18n::{self, Lang};

/// Every message of the page: its key, and the placeables the page fills.
pub const WORDS: &[(&str, &[&str])] = &[
    // index.html
    ("webchat-title", &[]),
    ("webchat-log-out", &[]),
    (
        "webchat-insecure",
        &["is_secure_context", "subtle", "https", "ca_install"],
    ),
    ("webchat-log-in-title", &[]),
    ("webchat-user-name", &[]),
    ("webchat-password", &[]),
    ("webchat-log-in", &[]),
    ("webchat-register", &[]),
    ("webchat-login-note", &[]),
    ("webchat-contacts", &[]),
    ("webchat-your-key", &["key"]),
    ("webchat-pick-contact", &[]),
    ("webchat-safety-number", &["peer"]),
    ("webchat-message", &[]),
    ("webchat-send", &[]),
    ("webchat-send-image", &[]),
    // view.js
    ("webchat-logged-in-as", &["user"]),
    ("webchat-no-key-title", &[]),
    ("webchat-nobody-else", &[]),
    ("webchat-cannot-decrypt-text", &["reason"]),
    ("webchat-cannot-decrypt-image", &["reason"]),
    // app.js
    ("webchat-making-key", &[]),
    ("webchat-peer-has-no-key", &["peer"]),
    ("webchat-key-mismatch", &[]),
    ("webchat-out-of-order", &["position", "expected"]),
    ("webchat-other-key", &[]),
    ("webchat-wrong-key", &[]),
    ("webchat-not-utf8", &[]),
    ("webchat-not-an-image-message", &[]),
    ("webchat-not-an-image", &[]),
    ("webchat-kept-moving", &[]),
    ("webchat-text-too-long", &["kib"]),
    ("webchat-image-too-large", &["name", "mib"]),
    ("webchat-file-not-an-image", &["name"]),
    // api.js: the errors the page knows
    ("webchat-error-status", &["status"]),
    ("webchat-error-unreachable", &[]),
    ("webchat-error-login", &[]),
    ("webchat-error-session-ended", &[]),
    ("webchat-error-name-taken", &["name"]),
    ("webchat-error-bad-name", &["name"]),
    ("webchat-error-short-password", &["min"]),
    ("webchat-error-registration-closed", &[]),
    ("webchat-error-throttled", &["seconds"]),
    ("webchat-error-too-large", &[]),
    ("webchat-error-server", &[]),
];

/// The page's words in `lang`: `{"lang": "fr", "words": {key: template}}`.
pub fn words(lang: Lang) -> Value {
    let words: BTreeMap<&str, String> = WORDS
        .iter()
        .map(|(key, names)| (*key, i18n::template_in(lang, key, names)))
        .collect();
    json!({ "lang": lang.code(), "words": words })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webchat::page::FILES;

    /// The placeholders `{name}` of a template.
    fn placeholders(template: &str) -> Vec<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_word_has_exactly_the_placeholders_the_page_fills() {
        for lang in Lang::ALL {
            let all = words(lang);
            for (key, names) in WORDS {
                let word = all["words"][key].as_str().unwrap();
                assert_ne!(word, *key, "{key} is missing in {lang}");
                let mut found = placeholders(word);
                found.sort_unstable();
                let mut expected = names.to_vec();
                expected.sort_unstable();
                assert_eq!(found, expected, "{key} in {lang}: {word}");
            }
        }
    }

    #[test]
    fn every_key_the_page_names_is_served_and_every_word_is_used() {
        let served: Vec<&str> = WORDS.iter().map(|(key, _)| *key).collect();
        let mut named = Vec::new();
        for file in FILES {
            let text = std::str::from_utf8(file.body).unwrap_or("");
            // Keys are written in double quotes: `data-words="webchat-send"`, `t("webchat-send")`.
            for (start, _) in text.match_indices("\"webchat-") {
                let rest = &text[start + 1..];
                let key = &rest[..rest.find('"').unwrap_or(rest.len())];
                assert!(served.contains(&key), "{} names {key}", file.path);
                named.push(key);
            }
        }
        for key in served {
            assert!(named.contains(&key), "no file of the page uses {key}");
        }
    }

    #[test]
    fn french_is_written_with_french_typography() {
        let fr = words(Lang::Fr);
        for (key, word) in fr["words"].as_object().unwrap() {
            let word = word.as_str().unwrap();
            // A space before « : ; ! ? » is a non-breaking one, as French typesetting
            // wants: the mark never starts a line.
            for mark in [':', ';', '!', '?'] {
                assert!(
                    !word.contains(&format!(" {mark}")),
                    "{key}: a plain space before {mark} in {word:?}"
                );
            }
            assert!(
                !word.contains('\''),
                "{key}: a typewriter apostrophe in {word:?}"
            );
        }
    }
}
