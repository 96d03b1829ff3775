//! `squirrel tap --web ADDR`: while the tap relays, a page shows each connection as it
//! happens — its ladder and the bytes of the arrow picked — polling once a second, as
//! the browser chat does. Plain HTTP on loopback; the page's files come from `web/tap/`
//! (and `web/diagram.css`, the tour page's styles), served as the chat's are
//! ([`crate::web`]): the same Content-Security-Policy, text set with `textContent` only.
//!
//! | request | reply |
//! |---|---|
//! | `GET /` and the page's files | the page |
//! | `GET /api/labels` | the page's words ([`crate::diagram::labels`]) |
//! | `GET /api/connections?after=N` | `{"events","tap","server","connections":[…]}`: the connections with an event after the first `N`, each with its drawing and its arrows' byte views |

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::diagram::bytes::{byte_view, Mark};
use crate::diagram::draw::{self, direction_name, Pick};
use crate::diagram::labels::labels;
use crate::diagram::ladder::{self, Connection};
use crate::http::{Request, RequestHead, Response};
use crate::lessons::SECRET;
use crate::server::{Admission, Handler, Limits, Server, ServerHandle, Transport};
use crate::tap::{contains, Recording};
use crate::web::{self, PageFile, CSS, HTML, JS, SVG};

/// Rows of hex (16 bytes each) shown per arrow.
pub const VIEW_ROWS: usize = 16;

/// Arrows drawn per connection: a 64 MiB upload is 4000 TLS records, which would make
/// every poll megabytes long; its handshake and first records tell the story.
pub const MAX_ARROWS: usize = 200;

/// Workers of the page's server: a browser fetches the page's files in parallel.
const WORKERS: usize = 2;

/// Every file of the page; `/` is `index.html`.
pub const FILES: &[PageFile] = &[
    PageFile {
        path: "/",
        content_type: HTML,
        body: include_bytes!("../../web/tap/index.html"),
    },
    PageFile {
        path: "/index.html",
        content_type: HTML,
        body: include_bytes!("../../web/tap/index.html"),
    },
    PageFile {
        path: "/style.css",
        content_type: CSS,
        body: include_bytes!("../../web/tap/style.css"),
    },
    PageFile {
        path: "/diagram.css",
        content_type: CSS,
        body: include_bytes!("../../web/diagram.css"),
    },
    PageFile {
        path: "/favicon.svg",
        content_type: SVG,
        body: include_bytes!("../../web/favicon.svg"),
    },
    PageFile {
        path: "/app.js",
        content_type: JS,
        body: include_bytes!("../../web/tap/app.js"),
    },
    PageFile {
        path: "/drawing.js",
        content_type: JS,
        body: include_bytes!("../../web/tap/drawing.js"),
    },
    PageFile {
        path: "/bytes.js",
        content_type: JS,
        body: include_bytes!("../../web/tap/bytes.js"),
    },
];

/// The live page of one tap: what it relays, and its events.
pub struct LivePage {
    recording: Recording,
    tap: SocketAddr,
    server: SocketAddr,
}

impl LivePage {
    /// The page of the tap listening on `tap`, relaying to `server`, whose events
    /// `recording` holds.
    pub fn new(recording: Recording, tap: SocketAddr, server: SocketAddr) -> LivePage {
        LivePage {
            recording,
            tap,
            server,
        }
    }

    /// The `/api/connections` reply: the connections with an event at index `after` or
    /// later, whole (all their events), and the number of events so far, which the page
    /// sends back as its next `after`.
    pub fn connections(&self, after: usize) -> Value {
        // Copy what is needed and let the tap go on: the ladders are made outside.
        let (total, events) = self.recording.with(|all| {
            let after = if after > all.len() { 0 } else { after };
            let touched: BTreeSet<usize> = all[after..].iter().map(ladder::connection_of).collect();
            let events: Vec<_> = all
                .iter()
                .filter(|e| touched.contains(&ladder::connection_of(e)))
                .cloned()
                .collect();
            (all.len(), events)
        });
        let connections: Vec<Value> = ladder::connections(&events)
            .into_iter()
            .map(connection_json)
            .collect();
        json!({
            "events": total,
            "tap": self.tap.to_string(),
            "server": self.server.to_string(),
            "connections": connections,
        })
    }
}

/// One connection for the page: its drawing (the arrow with the secret picked, else the
/// last), and each arrow's byte view.
fn connection_json(mut connection: Connection) -> Value {
    let total = connection.arrows.len();
    connection.arrows.truncate(MAX_ARROWS);
    let connection = &connection;
    let marks = [Mark {
        needle: SECRET.as_bytes(),
        class: "secret",
    }];
    let picked = connection
        .arrows
        .iter()
        .position(|a| contains(connection.bytes(a), SECRET.as_bytes()))
        .or_else(|| connection.arrows.len().checked_sub(1));
    let pick = picked.map(|i| {
        let arrow = &connection.arrows[i];
        Pick {
            connection: connection.id,
            direction: arrow.direction,
            offset: arrow.offset,
        }
    });
    let drawing = draw::ladder(std::slice::from_ref(connection), &[], pick, &marks);
    let arrows: Vec<Value> = connection
        .arrows
        .iter()
        .map(|arrow| {
            let stream = connection.stream(arrow.direction);
            json!({
                "label": arrow.label,
                "direction": direction_name(arrow.direction),
                "length": arrow.length,
                "view": byte_view(stream, arrow.offset, arrow.offset + arrow.length, VIEW_ROWS, &marks),
            })
        })
        .collect();
    json!({
        "id": connection.id,
        "client": connection.client.to_string(),
        "protocol": connection.protocol.name(),
        "closed": connection.closed(),
        "to_server": connection.to_server.len(),
        "to_client": connection.to_client.len(),
        "picked": picked,
        "messages": total,
        "drawing": drawing,
        "arrows": arrows,
    })
}

impl Handler for LivePage {
    fn handle(&self, request: Request, _peer: SocketAddr) -> Response {
        let path = request.path();
        let api = path.starts_with("/api/");
        let response = if request.method != "GET" {
            Response::error(405, &format!("{path} takes GET, not {}", request.method))
                .header("Allow", "GET")
        } else {
            match path {
                "/api/connections" => {
                    match web::query(&request.target, "after").map(|a| a.parse::<usize>()) {
                        None => Response::json(200, &self.connections(0)),
                        Some(Ok(after)) => Response::json(200, &self.connections(after)),
                        Some(Err(_)) => Response::error(400, "after must be a number of events"),
                    }
                }
                "/api/labels" => Response::json(200, &json!(labels())),
                _ => match web::file(FILES, path) {
                    Some(file) => web::file_response(file),
                    None => Response::error(404, &format!("no page at {path}")),
                },
            }
        };
        web::with_page_headers(response, api)
    }

    fn admit(&self, _head: &RequestHead, _peer: SocketAddr, _limits: &Limits) -> Admission<'_> {
        // Only GETs: no request has a body.
        Admission::Memory { limit: 0 }
    }

    fn routine(&self, request_line: &str, status: u16) -> bool {
        // The page polls every second: those lines would drown the others.
        status == 200 && request_line.starts_with("GET /api/connections")
    }
}

/// Serves `page` on `listener` (loopback: the page shows every byte the tap relays,
/// passwords too) until the handle is dropped.
///
/// Errors: starting the workers.
pub fn start(listener: TcpListener, page: LivePage) -> std::io::Result<ServerHandle> {
    let handler: Arc<dyn Handler> = Arc::new(page);
    Server::new("tap-web", listener, Transport::Plain, handler)
        .workers(WORKERS)
        .spawn()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tap::{Direction, Event, Segment};
    use std::time::SystemTime;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn a_long_connection_draws_its_first_arrows_and_counts_them_all() {
        let mut events = vec![Event::Open {
            connection: 0,
            client: addr(40000),
            tap: addr(5684),
            server: addr(5683),
            at: SystemTime::UNIX_EPOCH,
        }];
        for _ in 0..MAX_ARROWS + 50 {
            events.push(Event::Data(Segment {
                connection: 0,
                direction: Direction::ToServer,
                at: SystemTime::UNIX_EPOCH,
                bytes: vec![0; 10],
            }));
        }
        let connection = ladder::connections(&events).remove(0);
        let json = connection_json(connection);
        assert_eq!(json["messages"], MAX_ARROWS + 50);
        assert_eq!(json["arrows"].as_array().unwrap().len(), MAX_ARROWS);
        assert_eq!(json["picked"], MAX_ARROWS - 1);
    }
}
