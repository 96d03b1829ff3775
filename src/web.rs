//! What the pages squirrel serves have in common: their files are compiled into the
//! binary from `web/` and served exactly as they are in the folder, and every reply
//! carries the same headers, which keep the page to itself (no inline script, no
//! framing, no guessing of content types). The browser chat (lesson 09) and the tap's
//! live page (`squirrel tap --web`) both serve this way. A page speaks its reader's
//! language: the browser's `Accept-Language` ([`page_lang`]), else the server's.

use crate::http::{Request, Response};
use crate::i18n::Lang;

/// One file of a page.
#[derive(Debug, Clone, Copy)]
pub struct PageFile {
    /// The URL path it is served at.
    pub path: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
}

/// `Content-Type` of an HTML file.
pub const HTML: &str = "text/html; charset=utf-8";
/// `Content-Type` of a JavaScript module.
pub const JS: &str = "text/javascript; charset=utf-8";
/// `Content-Type` of a style sheet.
pub const CSS: &str = "text/css; charset=utf-8";
/// `Content-Type` of an SVG image.
pub const SVG: &str = "image/svg+xml";

/// The Content-Security-Policy of every reply: scripts, styles and everything else only
/// from this server (no inline script), images also from `blob:` URLs (the chat's
/// decrypted images), and no framing.
pub const CSP: &str =
    "default-src 'self'; img-src 'self' blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The file of `files` served at `path`, if any.
pub fn file<'a>(files: &'a [PageFile], path: &str) -> Option<&'a PageFile> {
    files.iter().find(|f| f.path == path)
}

/// A 200 reply with the file's bytes and type.
pub fn file_response(file: &PageFile) -> Response {
    Response::new(200)
        .header("Content-Type", file.content_type)
        .with_body(file.body.to_vec())
}

/// Adds the headers every reply of a page's server carries: the [`CSP`], `nosniff`, no
/// referrer, its own browsing context; `no-store` for API replies (`api`), which change
/// from one second to the next, and `no-cache` for the files, which a new binary changes.
pub fn with_page_headers(response: Response, api: bool) -> Response {
    response
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cross-Origin-Opener-Policy", "same-origin")
        .header("Cache-Control", if api { "no-store" } else { "no-cache" })
}

/// The query parameter `name` of a request target (`/api/x?after=3`), percent-decoded
/// as `encodeURIComponent` encodes; `None` when absent or not UTF-8.
pub fn query(target: &str, name: &str) -> Option<String> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8()
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The language of a page for this request: the first of French and English the
/// browser's `Accept-Language` ranks highest (every such field, RFC 9110 §12.5.4, see
/// [`Lang::from_accept_language`]), else `fallback` (the server's `--lang` or locale).
pub fn page_lang(request: &Request, fallback: Lang) -> Lang {
    let ranges: Vec<&str> = request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("accept-language"))
        .map(|(_, value)| value)
        .collect();
    Lang::from_accept_language(&ranges.join(",")).unwrap_or(fallback)
}

/// A reply of a page's words in `lang` (`body`, JSON), which tells caches that it
/// follows `Accept-Language`.
pub fn words_response(lang: Lang, body: &serde_json::Value) -> Response {
    Response::json(200, body)
        .header("Content-Language", lang.code())
        .header("Vary", "Accept-Language")
}
