//! The single-page app, compiled into the binary from `web/`: plain HTML, CSS and
//! JavaScript modules, no framework and no build step, so what the browser runs is
//! exactly what a student reads in the folder. Its words are not in these files: they
//! come from the message catalogs through `GET /api/words` ([`crate::webchat::words`]).

pub use crate::web::PageFile;
use crate::web::{CSS, HTML, JS, SVG};

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
        content_type: CSS,
        body: include_bytes!("../../web/style.css"),
    },
    PageFile {
        path: "/favicon.svg",
        content_type: SVG,
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
        path: "/words.js",
        content_type: JS,
        body: include_bytes!("../../web/words.js"),
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
    crate::web::file(FILES, path)
}
