//! Every message for a person in English and French, through Mozilla's Fluent: the
//! catalogs are `locales/en/*.ftl` and `locales/fr/*.ftl`, compiled into the binary
//! (`fluent-templates`), one file per area of the program, the same keys in both.
//!
//! The language is chosen once, at start: `--lang en|fr`, else the first of `LC_ALL`,
//! `LC_MESSAGES` and `LANG` that is set (`fr_FR.UTF-8` → French), else English
//! ([`Lang::from_env`]). Logs (`RUST_LOG`), the wire protocols' JSON messages and file
//! formats stay English: they are for programs and for the teacher's log reader.
//!
//! Code asks for a message by key, with its placeables by name:
//! `tr!("tour-stage-title", number = "01", title = title)`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps placeables in Unicode isolation marks by default (FSI … PDI), which
        // a terminal shows as garbage and a test cannot see: plain text here.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language squirrel speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// French, the tutorial's language.
    Fr,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language of a POSIX locale name (`fr_FR.UTF-8`, `fr`, `en_GB`, `C`): French
    /// for `fr…`, English otherwise; `None` for an empty value.
    pub fn from_locale(value: &str) -> Option<Lang> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let language = value
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        Some(if language == "fr" { Lang::Fr } else { Lang::En })
    }

    /// The language the environment asks for: the first of `LC_ALL`, `LC_MESSAGES` and
    /// `LANG` that is set and not empty, as POSIX orders them; English when none is.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|var| std::env::var(var).ok().and_then(|v| Lang::from_locale(&v)))
            .unwrap_or_default()
    }

    /// The language a browser asks for in `Accept-Language` (RFC 9110 §12.5.4:
    /// `fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5`): of the ranges naming French or English
    /// (`fr`, `fr-CA`, `en-GB`…), the one of highest weight (`q`, 1 when absent), the
    /// first listed among equals; `None` when it names neither, or only with weight 0.
    pub fn from_accept_language(value: &str) -> Option<Lang> {
        let mut best: Option<(Lang, u32)> = None;
        for range in value.split(',') {
            let mut parameters = range.split(';');
            let tag = parameters.next().unwrap_or("").trim();
            let lang = match tag.split(['-', '_']).next().unwrap_or("") {
                primary if primary.eq_ignore_ascii_case("fr") => Lang::Fr,
                primary if primary.eq_ignore_ascii_case("en") => Lang::En,
                _ => continue,
            };
            // The weight in thousandths, as the RFC's qvalue has at most three decimals;
            // a range whose weight does not parse is skipped.
            let weight = parameters
                .filter_map(|p| p.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1000), |(_, q)| {
                    q.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|q| (0.0..=1.0).contains(q))
                        .map(|q| (q * 1000.0).round() as u32)
                });
            match weight {
                Some(weight) if weight > 0 && best.is_none_or(|(_, w)| weight > w) => {
                    best = Some((lang, weight));
                }
                _ => {}
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// The language's code, as in `locales/<code>/` and `--lang`: `en`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn identifier(self) -> &'static LanguageIdentifier {
        static EN: OnceLock<LanguageIdentifier> = OnceLock::new();
        static FR: OnceLock<LanguageIdentifier> = OnceLock::new();
        match self {
            Lang::En => EN.get_or_init(|| fluent_templates::langid!("en")),
            Lang::Fr => FR.get_or_init(|| fluent_templates::langid!("fr")),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

static CURRENT: OnceLock<Lang> = OnceLock::new();

/// Sets the language of every later message; the first call wins (the binary calls it
/// once, at start). Returns the language in force.
pub fn set_lang(lang: Lang) -> Lang {
    *CURRENT.get_or_init(|| lang)
}

/// The language in force: the one [`set_lang`] chose, else English (a library used
/// without the binary speaks English).
pub fn lang() -> Lang {
    CURRENT.get().copied().unwrap_or_default()
}

/// A placeable's value: text, or a number (which Fluent can select plurals on).
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text, put in as it is.
    Text(String),
    /// A number.
    Number(f64),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_string())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Number(value as f64)
            }
        }
    )*};
}
number_args!(u8, u16, u32, u64, usize, i32, i64, f64);

/// The message `key` in the language in force, its placeables filled from `args`
/// (`("name", value)`). A key missing from the language falls back to English; a key
/// missing everywhere comes back as itself (a unit test keeps that from shipping).
pub fn text(key: &str, args: &[(&'static str, Arg)]) -> String {
    text_in(lang(), key, args)
}

/// [`tr!`] in a given language: `tr_in!(lang, "key", name = value)`, for
/// [`Localized::message_in`].
#[macro_export]
macro_rules! tr_in {
    ($lang:expr, $key:literal) => {
        $crate::i18n::text_in($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text_in(
            $lang,
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

/// [`text`] in a given language.
pub fn text_in(lang: Lang, key: &str, args: &[(&'static str, Arg)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Text(text) => FluentValue::from(text.clone()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            (Cow::Borrowed(*name), value)
        })
        .collect();
    LOCALES
        .try_lookup_complete(lang.identifier(), key, Some(&args))
        .unwrap_or_else(|| key.to_string())
}

/// The message `key` in `lang` as a template for a page: each placeable named in `names`
/// left as the placeholder `{name}`, which the page (or
/// [`crate::diagram::labels::fill`]) fills later. A placeable not named comes out as
/// Fluent writes a missing one, `{$name}`.
pub fn template_in(lang: Lang, key: &str, names: &[&'static str]) -> String {
    let args: Vec<(&'static str, Arg)> = names
        .iter()
        .map(|name| (*name, Arg::from(format!("{{{name}}}"))))
        .collect();
    text_in(lang, key, &args)
}

/// Something with words for a person, in each language: a typed error, a report. Its
/// `Display` stays English ([`english_display!`](crate::english_display)), for logs and
/// wire messages; the command line prints [`Localized::localized`].
pub trait Localized {
    /// The words in `lang`.
    fn message_in(&self, lang: Lang) -> String;

    /// The words in the language in force (`--lang`, `LANG`).
    fn localized(&self) -> String {
        self.message_in(lang())
    }
}

/// `impl Display` for a [`Localized`] type, in English: logs, JSON messages and other
/// programs' input stay English whatever the user's language.
#[macro_export]
macro_rules! english_display {
    ($type:ty) => {
        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::i18n::Localized::message_in(
                    self,
                    $crate::i18n::Lang::En,
                ))
            }
        }
    };
}

/// The message `key` in the language in force: `tr!("key")`, or with placeables
/// `tr!("key", name = value, count = 3)` (values: text or numbers, see [`Arg`]).
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::text($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names_choose_the_language() {
        assert_eq!(Lang::from_locale("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::from_locale("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_locale("fr_CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C"), Some(Lang::En));
        assert_eq!(Lang::from_locale("de_DE.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale(""), None);
    }

    #[test]
    fn accept_language_picks_the_heaviest_of_french_and_english() {
        let lang = Lang::from_accept_language;
        assert_eq!(lang("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Fr));
        assert_eq!(lang("en-GB,en;q=0.9,fr;q=0.8"), Some(Lang::En));
        assert_eq!(
            lang("de-DE, de;q=0.9, fr-CH;q=0.5, en;q=0.4"),
            Some(Lang::Fr)
        );
        // Weights, not order, rank the ranges; among equals the first listed wins.
        assert_eq!(lang("en;q=0.5, fr"), Some(Lang::Fr));
        assert_eq!(lang("FR ; Q=0.7, en;q=0.7"), Some(Lang::Fr));
        // q=0 means "not this one"; a weight that does not parse drops its range.
        assert_eq!(lang("fr;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(lang("fr;q=2, en;q=0.1"), Some(Lang::En));
        assert_eq!(lang("fr;q=x"), None);
        assert_eq!(lang("de, *;q=0.5"), None);
        assert_eq!(lang(""), None);
        assert_eq!(lang("french"), None);
    }

    #[test]
    fn a_template_keeps_its_placeholders() {
        assert_eq!(
            template_in(Lang::En, "diagram-connection", &["id", "client"]),
            "connection #{id} from {client}"
        );
    }

    #[test]
    fn a_missing_key_comes_back_as_itself() {
        assert_eq!(text_in(Lang::Fr, "no-such-key", &[]), "no-such-key");
    }
}
