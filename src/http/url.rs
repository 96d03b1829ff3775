//! URLs and authorities as the lessons' clients take them: `scheme://host[:port][/path]`,
//! an IPv6 host in brackets.

use crate::i18n::{Lang, Localized};
use crate::tr_in;

/// What is wrong with an authority `host[:port]`; words from `locales/*/http.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthorityError {
    /// Nothing before the port.
    NoHost,
    /// `[` without its `]`.
    UnclosedBracket,
    /// Something other than `:PORT` after `]`.
    AfterBracket,
    /// The port is not a number from 0 to 65535.
    Port,
}

impl Localized for AuthorityError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            AuthorityError::NoHost => tr_in!(lang, "http-authority-no-host"),
            AuthorityError::UnclosedBracket => tr_in!(lang, "http-authority-unclosed-bracket"),
            AuthorityError::AfterBracket => tr_in!(lang, "http-authority-after-bracket"),
            AuthorityError::Port => tr_in!(lang, "http-authority-port"),
        }
    }
}

crate::english_display!(AuthorityError);

/// What is wrong with a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// No `scheme://`.
    NoScheme,
    /// A scheme other than http or https.
    Scheme,
    /// The authority (`host:port`) is wrong.
    Authority(AuthorityError),
}

/// A URL that does not parse: the text as given and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct UrlError {
    /// The URL as given.
    pub text: String,
    /// What is wrong.
    pub problem: UrlProblem,
}

impl Localized for UrlError {
    fn message_in(&self, lang: Lang) -> String {
        let why = match &self.problem {
            UrlProblem::NoScheme => tr_in!(lang, "http-url-no-scheme"),
            UrlProblem::Scheme => tr_in!(lang, "http-url-scheme"),
            UrlProblem::Authority(e) => e.message_in(lang),
        };
        tr_in!(
            lang,
            "http-url-bad",
            url = format!("{:?}", self.text),
            why = why
        )
    }
}

crate::english_display!(UrlError);

/// Splits an authority `host[:port]` — an IPv6 address in brackets, `[::1]:5683` —
/// into the host (without brackets) and the port, `default_port` when there is none.
/// Errors say what is wrong ([`AuthorityError`]): no host, an unclosed `[`, a port that
/// is not a number from 0 to 65535.
pub fn split_authority(
    authority: &str,
    default_port: u16,
) -> Result<(String, u16), AuthorityError> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or(AuthorityError::UnclosedBracket)?;
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or(AuthorityError::AfterBracket)?,
                ),
            ),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(AuthorityError::NoHost);
    }
    let port = match port {
        Some(p) => p.parse().map_err(|_| AuthorityError::Port)?,
        None => default_port,
    };
    Ok((host.to_string(), port))
}

/// `host:port` as a `Host` header and URLs write it: an IPv6 address in brackets.
pub fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// A parsed `http://` or `https://` URL: the parts a client needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// Port (default 80 for http, 443 for https).
    pub port: u16,
    /// Path and query, at least `/`.
    pub target: String,
}

impl Url {
    /// Parses `scheme://host[:port][/path]`; IPv6 hosts in brackets (`http://[::1]:5683/`).
    ///
    /// Errors: [`UrlError`], saying what is wrong.
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let bad = |problem| UrlError {
            text: text.to_string(),
            problem,
        };
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| bad(UrlProblem::NoScheme))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return Err(bad(UrlProblem::Scheme)),
        };
        let (authority, target) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let (host, port) =
            split_authority(authority, default_port).map_err(|e| bad(UrlProblem::Authority(e)))?;
        Ok(Url {
            scheme,
            host,
            port,
            target,
        })
    }

    /// The `Host` header value: `host:port`, with brackets around IPv6 addresses.
    pub fn host_header(&self) -> String {
        authority(&self.host, self.port)
    }
}
