//! Ladder diagrams laid out once, drawn twice: as SVG text for the tour page, and as
//! JSON for the tap's live page, whose script turns each item into the same SVG element
//! (`web/tap/drawing.js`). Three lifelines — client, eavesdropper (the tap), server —
//! and for each connection a band, then one arrow per message, top to bottom in the
//! order the capture shows them.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagram::bytes::{escape, marked_text, Mark, Span};
use crate::diagram::labels::{fill, labels};
use crate::diagram::ladder::Connection;
use crate::tap::Direction;

/// Width of a ladder, in SVG units (pixels at 100 %).
pub const WIDTH: i32 = 760;
/// The lifelines' x: client, eavesdropper, server.
pub const LIFELINES: [i32; 3] = [70, 380, 690];
/// Height of the header (the three names and addresses).
const HEADER: i32 = 56;
/// Height of a connection's band.
const BAND: i32 = 26;
/// Height of an arrow's row: its label above the line, its note below.
const ROW: i32 = 34;
/// Height of the legend under the last arrow.
const LEGEND: i32 = 30;

/// One thing to draw; the names and fields are SVG's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Item {
    /// A line.
    Line {
        /// Start x.
        x1: i32,
        /// Start y.
        y1: i32,
        /// End x.
        x2: i32,
        /// End y.
        y2: i32,
        /// CSS class.
        class: &'static str,
    },
    /// A rectangle.
    Rect {
        /// Left.
        x: i32,
        /// Top.
        y: i32,
        /// Width.
        width: i32,
        /// Height.
        height: i32,
        /// CSS class.
        class: &'static str,
    },
    /// A dot.
    Circle {
        /// Centre x.
        cx: i32,
        /// Centre y.
        cy: i32,
        /// Radius.
        r: i32,
        /// CSS class.
        class: &'static str,
    },
    /// A filled shape: an arrowhead.
    Polygon {
        /// `x,y x,y …`.
        points: String,
        /// CSS class.
        class: &'static str,
    },
    /// A line of text, its marked parts as `<tspan class="…">`.
    Text {
        /// Anchor x.
        x: i32,
        /// Baseline y.
        y: i32,
        /// `start`, `middle` or `end`.
        anchor: &'static str,
        /// CSS class.
        class: &'static str,
        /// The text.
        spans: Vec<Span>,
    },
    /// A group: an arrow, with what identifies it as `data-` attributes.
    Group {
        /// CSS classes.
        class: String,
        /// `data-NAME` attributes.
        data: Vec<(&'static str, String)>,
        /// What it holds.
        items: Vec<Item>,
    },
}

/// A laid-out picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drawing {
    /// Width, in SVG units.
    pub width: i32,
    /// Height, in SVG units.
    pub height: i32,
    /// What to draw, back to front.
    pub items: Vec<Item>,
}

/// Which arrow to pick out: the one holding byte `offset` of a direction of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    /// The connection's number in the tap's accept order (0, 1, …).
    pub connection: usize,
    /// Client to server, or server to client.
    pub direction: Direction,
    /// A byte offset in that direction's stream.
    pub offset: usize,
}

fn text(x: i32, y: i32, anchor: &'static str, class: &'static str, spans: Vec<Span>) -> Item {
    Item::Text {
        x,
        y,
        anchor,
        class,
        spans,
    }
}

fn plain(text: &str) -> Vec<Span> {
    vec![Span {
        text: text.to_string(),
        mark: None,
    }]
}

/// `to-server` or `to-client`, the class and data value of an arrow's direction.
pub fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::ToServer => "to-server",
        Direction::ToClient => "to-client",
    }
}

/// The ladder of `connections`: a header, then per connection a band (with its caption
/// from `captions`, same index, when there is one) and its arrows. `pick` gets a
/// highlighted row; `marks` are marked wherever labels quote them.
pub fn ladder(
    connections: &[Connection],
    captions: &[String],
    pick: Option<Pick>,
    marks: &[Mark],
) -> Drawing {
    let words = labels();
    let [client_x, tap_x, server_x] = LIFELINES;
    let mut items = Vec::new();
    // The header: who is who.
    let addresses = match connections {
        [] => [String::new(), String::new(), String::new()],
        [only] => [
            only.client.to_string(),
            only.tap.to_string(),
            only.server.to_string(),
        ],
        [first, ..] => [
            String::new(),
            first.tap.to_string(),
            first.server.to_string(),
        ],
    };
    let names = [&words.client, &words.eavesdropper, &words.server];
    let mut header = Vec::new();
    for ((x, name), address) in LIFELINES.iter().zip(names).zip(&addresses) {
        // The middle name is the longest; the outer boxes must stay inside the width.
        let (class, half) = if *x == tap_x {
            ("actor tap", 95)
        } else {
            ("actor", 60)
        };
        header.push(Item::Rect {
            x: x - half,
            y: 4,
            width: 2 * half,
            height: 24,
            class,
        });
        header.push(text(*x, 21, "middle", "actor-name", plain(name)));
        if !address.is_empty() {
            header.push(text(*x, 44, "middle", "address", plain(address)));
        }
    }

    let mut y = HEADER;
    let mut rows = Vec::new();
    for (i, connection) in connections.iter().enumerate() {
        let mut band = fill(
            &words.connection,
            &[
                ("id", &connection.id.to_string()),
                ("client", &connection.client.to_string()),
            ],
        );
        if let Some(caption) = captions.get(i).filter(|c| !c.is_empty()) {
            band = format!("{band}: {caption}");
        }
        rows.push(Item::Rect {
            x: 0,
            y: y + 2,
            width: WIDTH,
            height: BAND - 6,
            class: "band",
        });
        rows.push(text(8, y + 16, "start", "band-text", plain(&band)));
        y += BAND;
        for (index, arrow) in connection.arrows.iter().enumerate() {
            let picked = pick.is_some_and(|p| {
                p.connection == connection.id && arrow.holds(p.direction, p.offset)
            });
            let line_y = y + 19;
            let (from, to, tip) = match arrow.direction {
                Direction::ToServer => (client_x, server_x - 9, server_x),
                Direction::ToClient => (server_x, client_x + 9, client_x),
            };
            let back = if tip > from { -9 } else { 9 };
            // The row's background: coloured when picked, and a target for a click.
            let mut parts = vec![Item::Rect {
                x: 0,
                y,
                width: WIDTH,
                height: ROW,
                class: "row",
            }];
            parts.push(Item::Line {
                x1: from,
                y1: line_y,
                x2: to,
                y2: line_y,
                class: "shaft",
            });
            parts.push(Item::Polygon {
                points: format!(
                    "{tip},{line_y} {},{} {},{}",
                    tip + back,
                    line_y - 5,
                    tip + back,
                    line_y + 5
                ),
                class: "head",
            });
            // The eavesdropper's copy of it.
            parts.push(Item::Circle {
                cx: tap_x,
                cy: line_y,
                r: 3,
                class: "copy",
            });
            parts.push(text(
                (client_x + server_x) / 2,
                y + 13,
                "middle",
                "label",
                marked_text(&arrow.label, marks),
            ));
            if let Some(note) = &arrow.note {
                parts.push(text(
                    (client_x + server_x) / 2,
                    y + 31,
                    "middle",
                    "note",
                    marked_text(note, marks),
                ));
            }
            let mut class = format!(
                "arrow {} {}",
                direction_name(arrow.direction),
                if arrow.sealed { "sealed" } else { "clear" }
            );
            if picked {
                class.push_str(" picked");
            }
            let mut data = vec![
                ("connection", connection.id.to_string()),
                ("index", index.to_string()),
                ("direction", direction_name(arrow.direction).to_string()),
                ("length", arrow.length.to_string()),
            ];
            if let Some(kind) = arrow.record_type {
                data.push(("record-type", kind.to_string()));
            }
            rows.push(Item::Group {
                class,
                data,
                items: parts,
            });
            y += ROW;
        }
    }

    // The legend.
    y += 8;
    let legend = [
        ("legend clear", &words.legend_clear, 0),
        ("legend sealed", &words.legend_sealed, 250),
    ];
    for (class, words, x) in legend {
        rows.push(Item::Line {
            x1: 10 + x,
            y1: y + 10,
            x2: 40 + x,
            y2: y + 10,
            class,
        });
        rows.push(text(46 + x, y + 14, "start", "legend-text", plain(words)));
    }
    if pick.is_some() {
        rows.push(Item::Rect {
            x: 560,
            y: y + 3,
            width: 30,
            height: 14,
            class: "row picked",
        });
        rows.push(text(
            596,
            y + 14,
            "start",
            "legend-text",
            plain(&words.legend_decisive),
        ));
    }
    let height = y + LEGEND - 8;

    for (x, class) in LIFELINES
        .iter()
        .zip(["lifeline", "lifeline tap", "lifeline"])
    {
        // From under the addresses, which a line through would make hard to read.
        items.push(Item::Line {
            x1: *x,
            y1: 49,
            x2: *x,
            y2: height - LEGEND,
            class,
        });
    }
    items.extend(header);
    items.extend(rows);
    Drawing {
        width: WIDTH,
        height,
        items,
    }
}

/// The drawing as an inline `<svg>` element, described by `title` for screen readers.
pub fn svg(drawing: &Drawing, title: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        w = drawing.width,
        h = drawing.height,
        t = escape(title)
    );
    for item in &drawing.items {
        item_svg(&mut out, item);
    }
    out.push_str("</svg>");
    out
}

fn item_svg(out: &mut String, item: &Item) {
    let _ = match item {
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            class,
        } => write!(
            out,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" class=\"{class}\"/>"
        ),
        Item::Rect {
            x,
            y,
            width,
            height,
            class,
        } => write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{height}\" class=\"{class}\"/>"
        ),
        Item::Circle { cx, cy, r, class } => {
            write!(
                out,
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" class=\"{class}\"/>"
            )
        }
        Item::Polygon { points, class } => {
            write!(out, "<polygon points=\"{points}\" class=\"{class}\"/>")
        }
        Item::Text {
            x,
            y,
            anchor,
            class,
            spans,
        } => {
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" class=\"{class}\">"
            );
            for span in spans {
                let _ = match span.mark {
                    Some(mark) => write!(
                        out,
                        "<tspan class=\"{mark}\">{}</tspan>",
                        escape(&span.text)
                    ),
                    None => write!(out, "{}", escape(&span.text)),
                };
            }
            write!(out, "</text>")
        }
        Item::Group { class, data, items } => {
            let _ = write!(out, "<g class=\"{}\"", escape(class));
            for (name, value) in data {
                let _ = write!(out, " data-{name}=\"{}\"", escape(value));
            }
            out.push('>');
            for item in items {
                item_svg(out, item);
            }
            write!(out, "</g>")
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::ladder::connections;
    use crate::tap::{Event, Segment};
    use std::net::SocketAddr;
    use std::time::SystemTime;

    #[test]
    fn one_group_per_arrow_and_labels_escaped() {
        let addr = |p| SocketAddr::from(([127, 0, 0, 1], p));
        let data = |direction, bytes: &[u8]| {
            Event::Data(Segment {
                connection: 0,
                direction,
                at: SystemTime::UNIX_EPOCH,
                bytes: bytes.to_vec(),
            })
        };
        let events = [
            Event::Open {
                connection: 0,
                client: addr(40000),
                tap: addr(5684),
                server: addr(5683),
                at: SystemTime::UNIX_EPOCH,
            },
            data(Direction::ToServer, b"GET /<b> HTTP/1.1\r\n\r\n"),
            data(
                Direction::ToClient,
                b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nfluffy tail",
            ),
        ];
        let connections = connections(&events);
        let marks = [Mark {
            needle: b"fluffy tail",
            class: "secret",
        }];
        let pick = Pick {
            connection: 0,
            direction: Direction::ToClient,
            offset: 40,
        };
        let drawing = ladder(&connections, &[], Some(pick), &marks);
        let svg = svg(&drawing, "01 & co");
        assert_eq!(svg.matches("<g class=\"arrow").count(), 2);
        assert!(svg.contains("GET /&lt;b&gt; HTTP/1.1"), "{svg}");
        assert!(
            svg.contains("<tspan class=\"secret\">fluffy tail</tspan>"),
            "{svg}"
        );
        assert!(
            svg.contains("class=\"arrow to-client clear picked\""),
            "{svg}"
        );
        assert!(svg.contains("aria-label=\"01 &amp; co\""));
        let json = serde_json::to_value(&drawing).unwrap();
        assert_eq!(json["items"][0]["kind"], "line");
    }
}
