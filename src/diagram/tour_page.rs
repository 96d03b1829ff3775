//! `squirrel tour --html FILE`: the whole tour as one page a teacher opens offline
//! (`file://`) and projects, or prints as a handout, one stage per A4 page. Inline SVG
//! and CSS only: no script, no network, no framework.
//!
//! Each stage: its title and its claim (the lesson table's title, what it teaches),
//! the ladder of what crossed the tap, and beside it what the eavesdropper saw — the
//! verdict in words and the decisive bytes, `fluffy tail` marked where it is readable.

use std::fmt::Write as _;

use crate::diagram::bytes::{byte_view, escape, view_html, Mark};
use crate::diagram::draw::{self, Pick};
use crate::diagram::labels::{fill, labels};
use crate::lessons::SECRET;
use crate::tour::{Stage, Wire, EXCERPT_LINES};

/// The ladders' and byte views' styles (shared with the tap's live page).
pub const DIAGRAM_CSS: &str = include_str!("../../web/diagram.css");

/// The page's own styles, print included.
pub const TOUR_CSS: &str = include_str!("../../web/tour.css");

/// What the page says about how it was made.
#[derive(Debug, Clone)]
pub struct PageOptions {
    /// When the tour ran, as people read it (`2026-12-01 14:03 UTC`).
    pub date: String,
    /// Whether the captures were kept (`--keep`): only then are their names shown.
    pub kept: bool,
}

/// The page, a complete HTML document.
pub fn tour_page(stages: &[Stage], options: &PageOptions) -> String {
    let words = labels();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{DIAGRAM_CSS}\n{TOUR_CSS}</style>\n</head>\n<body>\n\
         <header class=\"page\">\n<h1>{title}</h1>\n<p>{intro}</p>\n<nav><ol>\n",
        lang = crate::i18n::lang().code(),
        title = escape(&words.tour_title),
        intro = inline(&words.tour_intro),
    );
    for stage in stages {
        let _ = writeln!(
            out,
            "<li><a href=\"#stage-{n:02}\">{n:02} {title}</a></li>",
            n = stage.number,
            title = inline(&title_of(stage))
        );
    }
    out.push_str("</ol></nav>\n</header>\n<main>\n");
    for stage in stages {
        // Lessons 06 (TLS 1.2) and 07 (TLS 1.3) side by side: the difference is the point.
        if stage.number == 6 {
            out.push_str("<div class=\"pair\">\n");
        }
        out.push_str(&section(stage, options));
        if stage.number == 7 {
            out.push_str("</div>\n");
        }
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>{}</p></footer>\n</body>\n</html>\n",
        inline(&fill(
            &words.tour_generated,
            &[
                ("version", env!("CARGO_PKG_VERSION")),
                ("date", &options.date)
            ]
        ))
    );
    out
}

/// The lesson table's title of the stage, in the language in force.
fn title_of(stage: &Stage) -> String {
    stage
        .lesson()
        .map_or_else(String::new, |l| l.title_in(crate::i18n::lang()))
}

/// Text with `code` spans, escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

/// What the marks look for: the secret, and at stage 02 its shifted letters.
fn marks(wire: &Wire) -> Vec<Mark<'_>> {
    let mut marks = vec![Mark {
        needle: SECRET.as_bytes(),
        class: "secret",
    }];
    if let Some(disguised) = &wire.disguised {
        marks.push(Mark {
            needle: disguised.as_bytes(),
            class: "disguised",
        });
    }
    marks
}

fn section(stage: &Stage, options: &PageOptions) -> String {
    let words = labels();
    let mut out = String::new();
    let drawing = stage.wire.as_ref().map(|wire| {
        let pick = wire.spot.map(|spot| Pick {
            connection: spot.connection,
            direction: spot.direction,
            offset: spot.at,
        });
        draw::ladder(&wire.ladder, &wire.exchanges, pick, &marks(wire))
    });
    // A ladder much taller than wide (the vault's five exchanges) goes beside the
    // bytes on a printed page, not above them.
    let tall = drawing.as_ref().is_some_and(|d| d.height > 2 * d.width);
    let _ = write!(
        out,
        "<section class=\"stage{tall}\" id=\"stage-{n:02}\" data-stage=\"{n:02}\">\n\
         <h2><span class=\"number\">{n:02}</span> {title}</h2>\n\
         <p class=\"claim\"><strong>{teaches_label}</strong> {teaches}</p>\n",
        tall = if tall { " tall" } else { "" },
        n = stage.number,
        title = inline(&title_of(stage)),
        teaches_label = escape(&words.teaches),
        teaches = inline(&stage.teaches),
    );
    let story = story_html(stage);
    let (Some(wire), Some(drawing)) = (&stage.wire, drawing) else {
        let _ = write!(
            out,
            "<p class=\"no-network\">{}</p>\n<h3>{}</h3>\n{story}</section>\n",
            inline(&words.no_network),
            escape(&words.happened)
        );
        return out;
    };
    let marks = marks(wire);
    let title = format!("{:02} {}", stage.number, stage.title());
    let verdict = if wire.secret_in_clear {
        "leak"
    } else if wire.disguised.is_some() {
        "weak"
    } else {
        "safe"
    };
    let _ = write!(
        out,
        "<div class=\"stage-body\">\n<figure class=\"ladder-figure\">{svg}</figure>\n\
         <aside class=\"eavesdropper\">\n<h3>{saw}</h3>\n<p class=\"verdict {verdict}\">{seen}</p>\n",
        svg = draw::svg(&drawing, &title),
        saw = escape(&words.saw),
        seen = inline(&wire.seen),
    );
    let stream = wire.spot.and_then(|spot| {
        let connection = wire.ladder.iter().find(|c| c.id == spot.connection)?;
        Some((spot, connection.stream(spot.direction)))
    });
    if let Some((spot, stream)) = stream {
        let view = byte_view(
            stream,
            spot.from,
            spot.from + EXCERPT_LINES * crate::tap::DUMP_WIDTH,
            EXCERPT_LINES,
            &marks,
        );
        let _ = write!(
            out,
            "<p class=\"bytes-title\">{}</p>\n{}\n",
            escape(&fill(&words.bytes_of, &[("what", &wire.excerpt_title)])),
            view_html(&view)
        );
    }
    let _ = write!(out, "<h3>{}</h3>\n{story}", escape(&words.happened));
    if options.kept {
        let names: Vec<String> = wire
            .files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"files\">{}</p>",
            escape(&fill(&words.captures, &[("files", &names.join(", "))]))
        );
    }
    out.push_str("</aside>\n</div>\n</section>\n");
    out
}

fn story_html(stage: &Stage) -> String {
    let mut out = String::from("<ul class=\"story\">\n");
    for line in &stage.story {
        let _ = writeln!(out, "<li>{}</li>", inline(line));
    }
    out.push_str("</ul>\n");
    out
}
