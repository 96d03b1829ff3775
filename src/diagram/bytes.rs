//! Byte views: the hex + ASCII dump that Wireshark and `squirrel tap` print, as rows of
//! spans a page can show, with the bytes that matter marked (`fluffy tail` wherever an
//! eavesdropper can read it). The text of a view is exactly [`crate::tap::hex_dump`]'s.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diagram::labels::{fill, labels};
use crate::tap::DUMP_WIDTH;

/// A run of text, marked or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Characters as the ASCII column shows them (`.` for a byte that is not printable).
    pub text: String,
    /// The mark's class (`secret`, `disguised`), if marked.
    pub mark: Option<&'static str>,
}

/// One line of a byte view: 16 bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The offset of its first byte in the stream, 4 hex digits or more.
    pub offset: String,
    /// The bytes in hex, two groups of eight, padded to full width.
    pub hex: Vec<Span>,
    /// The bytes as ASCII, `.` for the unprintable.
    pub ascii: Vec<Span>,
}

/// A hex + ASCII view of part of a stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ByteView {
    /// One row per 16 bytes, offset first, as Wireshark's bytes pane.
    pub rows: Vec<Row>,
    /// Bytes of the part asked for that were left out, past the last row.
    pub more: usize,
}

/// Something to mark wherever it occurs.
#[derive(Debug, Clone, Copy)]
pub struct Mark<'a> {
    /// The bytes to find.
    pub needle: &'a [u8],
    /// The class of the mark.
    pub class: &'static str,
}

/// A view of `stream[start..end]` (clipped to the stream), from the start of the line
/// holding `start`, at most `max_rows` lines; every occurrence of each mark's needle
/// is marked, also one that begins before the view or ends after it.
pub fn byte_view(
    stream: &[u8],
    start: usize,
    end: usize,
    max_rows: usize,
    marks: &[Mark],
) -> ByteView {
    let end = end.min(stream.len());
    let start = (start / DUMP_WIDTH * DUMP_WIDTH).min(end);
    let shown_end = end.min(start + max_rows * DUMP_WIDTH);
    let classes = marked(stream, start, shown_end, marks);
    let mut rows = Vec::new();
    for row_start in (start..shown_end).step_by(DUMP_WIDTH) {
        let row_end = (row_start + DUMP_WIDTH).min(shown_end);
        let class = |i: usize| classes.get(i - start).copied().flatten();
        let mut hex = Vec::new();
        let mut ascii = Vec::new();
        for j in 0..DUMP_WIDTH {
            let i = row_start + j;
            let gap = if j == 7 { "  " } else { " " };
            if i < row_end {
                let mark = class(i);
                push(&mut hex, &format!("{:02x}", stream[i]), mark);
                // The space after a byte belongs to its mark when the next byte has it too.
                let next = (i + 1 < row_end).then(|| class(i + 1)).flatten();
                push(&mut hex, gap, if next == mark { mark } else { None });
                let b = stream[i];
                let c = if b.is_ascii_graphic() || b == b' ' {
                    char::from(b)
                } else {
                    '.'
                };
                push(&mut ascii, &c.to_string(), mark);
            } else {
                push(&mut hex, "  ", None);
                push(&mut hex, gap, None);
            }
        }
        rows.push(Row {
            offset: format!("{row_start:04x}"),
            hex,
            ascii,
        });
    }
    ByteView {
        rows,
        more: end - shown_end,
    }
}

/// The mark class of each byte of `stream[start..end]`.
fn marked(stream: &[u8], start: usize, end: usize, marks: &[Mark]) -> Vec<Option<&'static str>> {
    let mut classes = vec![None; end - start];
    for mark in marks.iter().filter(|m| !m.needle.is_empty()) {
        // Occurrences overlapping the view may start up to a needle's length before it.
        let from = start.saturating_sub(mark.needle.len() - 1);
        let to = (end + mark.needle.len() - 1).min(stream.len());
        let window = &stream[from..to];
        let mut at = 0;
        while let Some(found) = crate::tap::find(&window[at..], mark.needle) {
            let first = from + at + found;
            for i in first.max(start)..(first + mark.needle.len()).min(end) {
                classes[i - start] = Some(mark.class);
            }
            at += found + 1;
        }
    }
    classes
}

/// Appends `text` to `spans`, joining it to the last span when the mark is the same.
fn push(spans: &mut Vec<Span>, text: &str, mark: Option<&'static str>) {
    match spans.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ => spans.push(Span {
            text: text.to_string(),
            mark,
        }),
    }
}

/// Splits `text` into spans, marking each occurrence of a mark's needle (taken as
/// UTF-8 text): for labels that quote bytes, so the secret is marked there too.
pub fn marked_text(text: &str, marks: &[Mark]) -> Vec<Span> {
    let classes = marked(text.as_bytes(), 0, text.len(), marks);
    let mut spans = Vec::new();
    for (i, c) in text.char_indices() {
        push(&mut spans, c.encode_utf8(&mut [0; 4]), classes[i]);
    }
    spans
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities, for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Spans as HTML: each marked span in a `<mark class="…">`.
pub fn spans_html(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        match span.mark {
            Some(class) => {
                let _ = write!(out, "<mark class=\"{class}\">{}</mark>", escape(&span.text));
            }
            None => out.push_str(&escape(&span.text)),
        }
    }
    out
}

/// The view as an HTML `<pre>`: the lines of a hex dump, marks as `<mark>`.
pub fn view_html(view: &ByteView) -> String {
    let mut out = String::from("<pre class=\"bytes\">");
    for row in &view.rows {
        let _ = writeln!(
            out,
            "<span class=\"offset\">{}</span>  {}  {}",
            row.offset,
            spans_html(&row.hex),
            spans_html(&row.ascii)
        );
    }
    if view.more > 0 {
        let _ = writeln!(
            out,
            "<span class=\"more\">{}</span>",
            escape(&fill(
                &labels().more_bytes,
                &[("n", &view.more.to_string())]
            ))
        );
    }
    out.push_str("</pre>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tap::hex_dump;

    fn text(view: &ByteView) -> String {
        let join = |spans: &[Span]| spans.iter().map(|s| s.text.as_str()).collect::<String>();
        view.rows
            .iter()
            .map(|r| format!("{}  {}  {}\n", r.offset, join(&r.hex), join(&r.ascii)))
            .collect()
    }

    #[test]
    fn the_view_reads_like_the_taps_hex_dump() {
        let stream = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nfluffy tail";
        let view = byte_view(stream, 0, stream.len(), 10, &[]);
        assert_eq!(text(&view), hex_dump(stream, 0));
        assert_eq!(view.more, 0);
    }

    #[test]
    fn the_secret_is_marked_across_lines_and_views_start_on_a_line() {
        let stream = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nfluffy tail";
        let marks = [Mark {
            needle: b"fluffy tail",
            class: "secret",
        }];
        let view = byte_view(stream, 20, stream.len(), 10, &marks);
        assert_eq!(view.rows[0].offset, "0010");
        let marked: String = view
            .rows
            .iter()
            .flat_map(|r| r.ascii.iter())
            .filter(|s| s.mark == Some("secret"))
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, "fluffy tail");
        // In hex, the marked run holds the spaces between its bytes, not the one after.
        let hex: Vec<&Span> = view.rows.iter().flat_map(|r| r.hex.iter()).collect();
        let marked_hex: Vec<String> = hex
            .iter()
            .filter(|s| s.mark.is_some())
            .map(|s| s.text.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(marked_hex, ["66 6c 75 66 66 79 20 74 61", "69 6c"]);
        assert!(hex
            .iter()
            .all(|s| s.mark.is_none() || !s.text.ends_with(' ')));
    }

    #[test]
    fn a_long_part_is_cut_and_counted() {
        let stream = vec![0u8; 100];
        let view = byte_view(&stream, 0, 100, 2, &[]);
        assert_eq!(view.rows.len(), 2);
        assert_eq!(view.more, 68);
        assert!(view_html(&view).contains("68 more bytes"));
    }

    #[test]
    fn html_escapes_what_came_off_the_wire() {
        let view = byte_view(b"<script>&", 0, 9, 1, &[]);
        let html = view_html(&view);
        assert!(html.contains("&lt;script&gt;&amp;"), "{html}");
        let spans = marked_text(
            "body: fluffy tail",
            &[Mark {
                needle: b"fluffy tail",
                class: "secret",
            }],
        );
        assert_eq!(
            spans_html(&spans),
            "body: <mark class=\"secret\">fluffy tail</mark>"
        );
    }
}
