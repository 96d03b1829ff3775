//! The single-page app, compiled into the binary from `web/`: plain HTML, CSS and
//! JavaScript modules, no framework and no build step, so what the browser runs is
//! exactly what a student reads in the folder.

/// One file of the page.
#[derive(Debug, Clone, Copy)]
pub struct PageFile {
    /// The URL path it is served at.
    pub path: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// Every file of the page; `/` is `index.html`.
pub const FILES: &[PageFile] = &[
    PageFile {
        path: "/",
        content_type: HTML,
        body: include_bytes!("../../web/index.html"),
    },
    PageFile {
        path: "/index.html",
        content_type: HTML,
        body: include_bytes!("../../web/index.html"),
    },
    PageFile {
        path: "/style.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../web/style.css"),
    },
    PageFile {
        path: "/favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../web/favicon.svg"),
    },
    PageFile {
        path: "/crypto.js",
        content_type: JS,
        body: include_bytes!("../../web/crypto.js"),
    },
    PageFile {
        path: "/keystore.js",
        content_type: JS,
        body: include_bytes!("../../web/keystore.js"),
    },
    PageFile {
        path: "/api.js",
        content_type: JS,
        body: include_bytes!("../../web/api.js"),
    },
    PageFile {
        path: "/view.js",
        content_type: JS,
        body: include_bytes!("../../web/view.js"),
    },
    PageFile {
        path: "/app.js",
        content_type: JS,
        body: include_bytes!("../../web/app.js"),
    },
];

/// The file served at `path`, if any.
pub fn file(path: &str) -> Option<&'static PageFile> {
    FILES.iter().find(|f| f.path == path)
}
