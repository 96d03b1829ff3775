//! `squirrel tour --html`: one page, a section per stage, each ladder drawn from the
//! stage's capture (the arrows are its HTTP messages or TLS records, as our parser and
//! tshark find them in the pcap), `fluffy tail` marked where it is readable and nowhere
//! from lesson 06 on; the page renders in a real browser and prints one stage per page.

mod common;
mod tap_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::browser::{Browser, BrowserOptions};
use common::prereq::{CHROMEDRIVER, CHROMIUM, PY_SELENIUM, TSHARK};
use common::{run as squirrel, text};
use squirrel::tap::Direction;
use tap_support::{payloads, tshark};

/// The stages with a network, their pcap stems, and whether they speak TLS.
const WIRED: [(&str, &str, bool); 6] = [
    ("01", "01-plain-http", false),
    ("02", "02-substitution", false),
    ("03", "03-fernet", false),
    ("06", "06-https", true),
    ("07", "07-mutual-tls", true),
    ("08", "08-vault", true),
];

/// A tour run with `--html tour.html --keep caps` in a folder of its own.
struct Tour {
    dir: tempfile::TempDir,
    html: String,
}

impl Tour {
    fn run() -> Tour {
        let dir = tempfile::tempdir().unwrap();
        let out = squirrel(
            dir.path(),
            &["tour", "--html", "tour.html", "--keep", "caps"],
            &[],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("Wrote tour.html"),
            "{}",
            text(&out.stdout)
        );
        let html = std::fs::read_to_string(dir.path().join("tour.html")).unwrap();
        Tour { dir, html }
    }

    fn pcap(&self, stem: &str) -> PathBuf {
        self.dir.path().join("caps").join(format!("{stem}.pcap"))
    }

    fn page(&self) -> PathBuf {
        self.dir.path().join("tour.html")
    }

    /// The section of stage `number` (`"01"`).
    fn section(&self, number: &str) -> &str {
        let id = self
            .html
            .find(&format!(" id=\"stage-{number}\""))
            .unwrap_or_else(|| panic!("no section for stage {number}"));
        let start = self.html[..id].rfind("<section class=\"stage").unwrap();
        let rest = &self.html[start..];
        &rest[..rest.find("</section>").unwrap()]
    }
}

/// One arrow of a ladder, as the page has it.
#[derive(Debug)]
struct Arrow {
    connection: usize,
    direction: String,
    length: usize,
    record_type: Option<u8>,
    label: String,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// The arrows of a section's ladder, top to bottom.
fn arrows(section: &str) -> Vec<Arrow> {
    section
        .split("<g class=\"arrow ")
        .skip(1)
        .map(|group| {
            let tag = &group[..group.find('>').unwrap()];
            let group = &group[..group.find("</g>").unwrap()];
            let label_start = group.find("class=\"label\">").unwrap() + "class=\"label\">".len();
            let label_end = label_start + group[label_start..].find("</text>").unwrap();
            Arrow {
                connection: attribute(tag, "data-connection").unwrap().parse().unwrap(),
                direction: attribute(tag, "data-direction").unwrap(),
                length: attribute(tag, "data-length").unwrap().parse().unwrap(),
                record_type: attribute(tag, "data-record-type").map(|t| t.parse().unwrap()),
                label: strip_tags(&group[label_start..label_end]),
            }
        })
        .collect()
}

/// Items grouped by connection, the connections in the order they first appear, each
/// group in its own order. Connections may overlap in a capture (a client opens the
/// next while the last closing alert of the previous one is on its way), so the page
/// and a capture agree connection by connection.
fn per_connection<K: PartialEq, T>(items: impl IntoIterator<Item = (K, T)>) -> Vec<Vec<T>> {
    let mut keys: Vec<K> = Vec::new();
    let mut groups: Vec<Vec<T>> = Vec::new();
    for (key, item) in items {
        match keys.iter().position(|k| *k == key) {
            Some(i) => groups[i].push(item),
            None => {
                keys.push(key);
                groups.push(vec![item]);
            }
        }
    }
    groups
}

/// The byte views of a section, as text (tags stripped).
fn byte_views(section: &str) -> Vec<String> {
    section
        .split("<pre class=\"bytes\">")
        .skip(1)
        .map(|rest| strip_tags(&rest[..rest.find("</pre>").unwrap()]))
        .collect()
}

/// The characters of the byte view's ASCII column (from column 57 of each line, as in
/// a hex dump) that are inside a `<mark class="CLASS">`, joined.
fn marked_ascii(section: &str, class: &str) -> String {
    let view = &section[section.find("<pre class=\"bytes\">").unwrap() + 19..];
    let view = &view[..view.find("</pre>").unwrap()];
    let open = format!("<mark class=\"{class}\">");
    let mut out = String::new();
    for line in view.lines() {
        let (mut column, mut inside, mut rest) = (0, false, line);
        while let Some(c) = rest.chars().next() {
            if rest.starts_with(&open) {
                inside = true;
                rest = &rest[open.len()..];
            } else if rest.starts_with("</mark>") {
                inside = false;
                rest = &rest["</mark>".len()..];
            } else if c == '<' {
                rest = &rest[rest.find('>').unwrap() + 1..];
            } else {
                let (text, len) = match rest.find(';').filter(|_| c == '&') {
                    Some(end) => (unescape(&rest[..=end]), end + 1),
                    None => (c.to_string(), c.len_utf8()),
                };
                if inside && column >= 57 {
                    out.push_str(&text);
                }
                column += 1;
                rest = &rest[len..];
            }
        }
    }
    out
}

/// The TLS records of a capture as our parser reads them, per connection, in the order
/// the frames complete them: (content type, fragment length).
fn records_in(pcap: &Path) -> Vec<Vec<(u8, usize)>> {
    let mut streams: HashMap<(u16, Direction), (Vec<u8>, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (port, direction, bytes) in payloads(pcap) {
        let (stream, counted) = streams.entry((port, direction)).or_default();
        stream.extend_from_slice(&bytes);
        let records = squirrel::tls_records::records(stream);
        for record in &records[*counted..] {
            out.push((port, (record.content_type, record.length)));
        }
        *counted = records.len();
    }
    per_connection(out)
}

/// The HTTP messages of a capture, found with a small reader of our own (a line, the
/// headers, a body of Content-Length bytes), in the order the frames complete them:
/// (direction, first line, length on the wire), per connection.
fn http_messages_in(pcap: &Path) -> Vec<Vec<(Direction, String, usize)>> {
    let mut streams: HashMap<(u16, Direction), (Vec<u8>, usize)> = HashMap::new();
    let mut out = Vec::new();
    for (port, direction, bytes) in payloads(pcap) {
        let (stream, used) = streams.entry((port, direction)).or_default();
        stream.extend_from_slice(&bytes);
        loop {
            let rest = &stream[*used..];
            let Some(head_end) = rest.windows(4).position(|w| w == b"\r\n\r\n") else {
                break;
            };
            let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().unwrap())
                })
                .unwrap_or(0);
            let total = head_end + 4 + length;
            if rest.len() < total {
                break;
            }
            let line = head.lines().next().unwrap().to_string();
            out.push((port, (direction, line, total)));
            *used += total;
        }
    }
    per_connection(out)
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::ToServer => "to-server",
        Direction::ToClient => "to-client",
    }
}

fn the_page_has_a_section_per_stage_and_needs_nothing_but_itself() {
    let tour = Tour::run();
    let html = &tour.html;
    let ids: Vec<&str> = html
        .match_indices("<section class=\"stage")
        .map(|(at, _)| {
            let id = at + html[at..].find(" id=\"stage-").unwrap() + 11;
            &html[id..id + 2]
        })
        .collect();
    assert_eq!(ids, ["01", "02", "03", "04", "05", "06", "07", "08"]);
    // Offline and without script: inline CSS and SVG, nothing fetched.
    assert!(!html.contains("<script"), "a script in the page");
    assert!(!html.contains("<link"), "a linked file");
    assert!(!html.contains("src="), "a fetched resource");
    assert!(!html.contains("url("), "a fetched resource in the CSS");
    assert!(html.contains("@media print") && html.contains("size: A4"));
    for (number, _, _) in WIRED {
        let section = tour.section(number);
        assert_eq!(section.matches("<svg ").count(), 1, "stage {number}");
        assert!(section.contains("class=\"verdict "), "stage {number}");
        assert_eq!(byte_views(section).len(), 1, "stage {number}");
        // The title and the claim, from the lesson table and the stage.
        let lesson = squirrel::lessons::by_number(number.parse().unwrap()).unwrap();
        let title =
            strip_tags(&section[section.find("<h2>").unwrap()..section.find("</h2>").unwrap()]);
        assert_eq!(title, format!("{number} {}", lesson.title.replace('`', "")));
        assert!(section.contains("<p class=\"claim\">"), "stage {number}");
    }
    for number in ["04", "05"] {
        assert!(tour.section(number).contains("class=\"no-network\""));
    }
    // The vault's four exchanges (and the logout) are named on their bands.
    let vault = strip_tags(tour.section("08"));
    for step in [
        "login (POST /login",
        "upload (POST /upload-file",
        "list (GET /get-files",
        "download (GET /archives/",
    ] {
        assert!(vault.contains(step), "{step} missing");
    }
}

fn every_arrow_is_a_message_of_the_stages_capture() {
    let tour = Tour::run();
    for (number, stem, is_tls) in WIRED {
        let drawn = arrows(tour.section(number));
        assert!(!drawn.is_empty(), "stage {number} has no arrow");
        if is_tls {
            let found = records_in(&tour.pcap(stem));
            let drawn = per_connection(
                drawn
                    .iter()
                    .map(|a| (a.connection, (a.record_type.unwrap(), a.length - 5))),
            );
            assert_eq!(drawn, found, "stage {number}");
        } else {
            let found: Vec<Vec<(String, String, usize)>> = http_messages_in(&tour.pcap(stem))
                .into_iter()
                .map(|messages| {
                    messages
                        .into_iter()
                        .map(|(d, line, length)| (direction_name(d).to_string(), line, length))
                        .collect()
                })
                .collect();
            let drawn = per_connection(
                drawn
                    .into_iter()
                    .map(|a| (a.connection, (a.direction, a.label, a.length))),
            );
            assert_eq!(drawn, found, "stage {number}");
        }
    }
}

fn tls_1_2_shows_its_certificate_and_tls_1_3_hides_it() {
    let tour = Tour::run();
    let labels = |number| -> Vec<String> {
        arrows(tour.section(number))
            .into_iter()
            .map(|a| a.label)
            .collect()
    };
    let tls12 = labels("06");
    let tls13 = labels("07");
    for (stage, labels) in [("06", &tls12), ("07", &tls13)] {
        assert_eq!(labels[0], "ClientHello, SNI localhost", "stage {stage}");
    }
    assert!(
        tls12[1].starts_with("ServerHello, TLS 1.2, TLS_ECDHE_"),
        "{tls12:?}"
    );
    assert!(
        tls12
            .iter()
            .any(|l| l.starts_with("Certificate: CN=server")),
        "TLS 1.2 sends the certificate in clear: {tls12:?}"
    );
    assert!(
        tls12.iter().any(|l| l == "handshake, encrypted: Finished"),
        "{tls12:?}"
    );
    assert!(
        tls13[1].starts_with("ServerHello, TLS 1.3, TLS_AES_"),
        "{tls13:?}"
    );
    assert!(
        !tls13.iter().any(|l| l.contains("Certificate")),
        "TLS 1.3 encrypts the certificate: {tls13:?}"
    );
    assert!(tls13.iter().any(|l| l.starts_with("application_data, ")));
}

fn fluffy_tail_is_marked_at_01_and_in_no_byte_view_from_06_on() {
    let tour = Tour::run();
    let marked = |section: &str, class: &str| marked_ascii(section, class);
    // Lesson 01: the ASCII column marks the secret (the hex column marks its bytes too).
    let s01 = tour.section("01");
    assert!(byte_views(s01)[0].contains("fluffy tail"));
    assert!(marked(s01, "secret").contains("fluffy tail"), "{s01}");
    assert!(
        s01.contains("<tspan class=\"secret\">fluffy tail</tspan>"),
        "the reply's arrow quotes it"
    );
    assert!(s01.contains("class=\"verdict leak\""));
    // Lesson 02: the shifted letters, marked as the secret in disguise.
    let s02 = tour.section("02");
    assert!(marked(s02, "disguised").contains("ekteex szhk"), "{s02}");
    assert!(!byte_views(s02)[0].contains("fluffy tail"));
    // Lesson 03: a Fernet token.
    assert!(byte_views(tour.section("03"))[0].contains("gAAAAA"));
    for number in ["06", "07", "08"] {
        let section = tour.section(number);
        for view in byte_views(section) {
            assert!(!view.contains("fluffy tail"), "stage {number}: {view}");
        }
        assert!(!section.contains("class=\"secret\""), "stage {number}");
        assert!(section.contains("class=\"verdict safe\""), "stage {number}");
        assert!(
            section.contains("class=\"arrow to-client sealed picked\""),
            "stage {number}: the reply's record is picked"
        );
    }
}

fn the_arrows_are_the_records_tshark_lists() {
    let tour = Tour::run();
    for (number, stem, is_tls) in WIRED {
        let pcap = tour.pcap(stem);
        let pcap = pcap.to_str().unwrap();
        let drawn = arrows(tour.section(number));
        if is_tls {
            // In document order, each record's TCP stream, its type (tshark files an
            // encrypted TLS 1.3 record's under tls.record.opaque_type) and its length.
            let pdml = tshark(&["-r", pcap, "-T", "pdml"]);
            let mut listed = Vec::new();
            let (mut stream, mut kind) = (None, None);
            for field in pdml.split("<field name=\"").skip(1) {
                let show = || attribute(field, "show").unwrap();
                if field.starts_with("tcp.stream\"") {
                    stream = Some(show().parse::<usize>().unwrap());
                } else if field.starts_with("tls.record.content_type\"")
                    || field.starts_with("tls.record.opaque_type\"")
                {
                    kind = Some(show().parse::<u8>().unwrap());
                } else if field.starts_with("tls.record.length\"") {
                    let record = (kind.take().unwrap(), show().parse::<usize>().unwrap());
                    listed.push((stream.unwrap(), record));
                }
            }
            let drawn = per_connection(
                drawn
                    .iter()
                    .map(|a| (a.connection, (a.record_type.unwrap(), a.length - 5))),
            );
            assert_eq!(drawn, per_connection(listed), "stage {number}");
        } else {
            let fields = tshark(&[
                "-r",
                pcap,
                "-Y",
                "http",
                "-T",
                "fields",
                "-e",
                "tcp.stream",
                "-e",
                "http.request.method",
                "-e",
                "http.request.uri",
                "-e",
                "http.request.version",
                "-e",
                "http.response.version",
                "-e",
                "http.response.code",
                "-e",
                "http.response.phrase",
            ]);
            let listed = per_connection(fields.lines().map(|l| {
                let (stream, rest) = l.split_once('\t').unwrap();
                let parts: Vec<&str> = rest.split('\t').filter(|p| !p.is_empty()).collect();
                (stream.to_string(), parts.join(" "))
            }));
            let drawn = per_connection(drawn.into_iter().map(|a| (a.connection, a.label)));
            assert_eq!(drawn, listed, "stage {number}");
        }
    }
}

/// Whether a PNG shows something: more than a few colours, and at least 5 % of its
/// pixels unlike the most common one (the background).
fn not_blank(png_file: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    for p in &pixels {
        *counts.entry(p).or_default() += 1;
    }
    let background = counts.values().max().copied().unwrap_or(0);
    let other = pixels.len() - background;
    assert!(
        counts.len() > 50,
        "{}: only {} colours",
        png_file.display(),
        counts.len()
    );
    assert!(
        other * 20 > pixels.len(),
        "{}: {other} of {} pixels differ from the background",
        png_file.display(),
        pixels.len()
    );
    (info.width, info.height)
}

fn the_page_renders_in_chromium_and_prints_one_stage_per_page() {
    let tour = Tour::run();
    let mut browser = Browser::start(&BrowserOptions::new(&tour.dir.path().join("home")));
    browser
        .get(&format!("file://{}", tour.page().display()))
        .unwrap();
    // Every ladder laid out at a readable size.
    let widths = browser.eval(
        "return [...document.querySelectorAll('svg.ladder')].map(s => s.getBoundingClientRect().width);",
        &[],
    );
    let widths: Vec<f64> = widths
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_f64().unwrap())
        .collect();
    assert_eq!(widths.len(), 6, "{widths:?}");
    assert!(widths.iter().all(|w| *w > 300.0), "{widths:?}");

    let shots = tour.dir.path().join("shots");
    std::fs::create_dir_all(&shots).unwrap();
    let page = shots.join("tour.png");
    browser.screenshot(&page);
    let (_, height) = not_blank(&page);
    assert!(height > 3000, "the whole page: {height} px");
    let stage = shots.join("tour-stage-01.png");
    browser.screenshot_of("#stage-01", &stage);
    let (width, _) = not_blank(&stage);
    assert!(width > 600, "{width}");
    // SQUIRREL_UPDATE_DOCS=1 refreshes the picture README shows.
    if std::env::var_os("SQUIRREL_UPDATE_DOCS").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/tour-stage-01.png");
        std::fs::copy(&stage, docs).unwrap();
    }

    // Printed: A4, one stage per page.
    let pdf = shots.join("tour.pdf");
    browser.pdf(&pdf);
    let bytes = std::fs::read(&pdf).unwrap();
    let pdf_text = String::from_utf8_lossy(&bytes);
    let pages = pdf_text.matches("/Type /Page\n").count()
        + pdf_text.matches("/Type /Page/").count()
        + pdf_text.matches("/Type /Page ").count()
        + pdf_text.matches("/Type /Page>").count();
    assert_eq!(pages, 8, "one page per stage");
    // A4 is 595 × 842 points.
    let media = pdf_text.split("/MediaBox [").nth(1).unwrap();
    let size: Vec<f64> = media[..media.find(']').unwrap()]
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        (size[2] - 595.0).abs() < 1.0 && (size[3] - 842.0).abs() < 1.0,
        "not A4: {size:?}"
    );
}

fn the_docs_picture_is_a_small_png_that_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let picture = root.join("docs/tour-stage-01.png");
    let bytes = std::fs::read(&picture).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        bytes.len() < 200 * 1024,
        "{} bytes: keep it small",
        bytes.len()
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("(docs/tour-stage-01.png)"));
}

fn the_page_speaks_french_with_lang_fr_or_a_french_locale() {
    for (args, envs) in [
        (vec!["--lang", "fr"], vec![]),
        (vec![], vec![("LC_ALL", ""), ("LANG", "fr_FR.UTF-8")]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut all = vec!["tour", "--html", "tour.html"];
        all.extend(args.iter().copied());
        let out = squirrel(dir.path(), &all, &envs);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let html = std::fs::read_to_string(dir.path().join("tour.html")).unwrap();
        for french in [
            "squirrel tour\u{a0}: ce que l’espion a vu",
            "Ce que l’espion a vu",
            "serveur",
            "espion (le tap)",
        ] {
            assert!(html.contains(french), "{args:?} {envs:?}: no {french:?}");
        }
        assert!(
            !html.contains("What the eavesdropper saw"),
            "{args:?} {envs:?}"
        );
        // Protocol names stay as Wireshark writes them.
        assert!(html.contains("ClientHello"));
    }
}

test_main! {
    the_page_speaks_french_with_lang_fr_or_a_french_locale: [],
    the_page_has_a_section_per_stage_and_needs_nothing_but_itself: [],
    every_arrow_is_a_message_of_the_stages_capture: [],
    tls_1_2_shows_its_certificate_and_tls_1_3_hides_it: [],
    fluffy_tail_is_marked_at_01_and_in_no_byte_view_from_06_on: [],
    the_arrows_are_the_records_tshark_lists: [TSHARK],
    the_page_renders_in_chromium_and_prints_one_stage_per_page: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM],
    the_docs_picture_is_a_small_png_that_readme_shows: [],
}
