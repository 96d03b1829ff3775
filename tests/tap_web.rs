//! `squirrel tap --web`: while the tap relays, a page on loopback draws each connection
//! as it happens (its ladder and its bytes), served with the browser chat's headers.

mod common;
mod tap_support;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::browser::{Browser, BrowserOptions};
use common::prereq::{CHROMEDRIVER, CHROMIUM, PY_SELENIUM};
use common::{run as squirrel, text};
use serde_json::Value;
use squirrel::http::{self, Response, Url};
use squirrel::lessons::l01_plain_http;
use squirrel::server::{Server, ServerHandle, Transport};
use tap_support::TapProcess;

/// Lesson 01's server on an ephemeral loopback port.
fn lesson_01() -> ServerHandle {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    Server::new(
        "plain-http",
        listener,
        Transport::Plain,
        Arc::new(l01_plain_http::handler),
    )
    .spawn()
    .unwrap()
}

/// A tap in front of `server` with its live page; returns the page's address.
fn tap_with_page(dir: &std::path::Path, server: SocketAddr) -> (TapProcess, SocketAddr) {
    tap_with_page_and(dir, server, &[])
}

/// [`tap_with_page`] with more arguments for the tap.
fn tap_with_page_and(
    dir: &std::path::Path,
    server: SocketAddr,
    more: &[&str],
) -> (TapProcess, SocketAddr) {
    let to = server.to_string();
    let mut args = vec![
        "--listen",
        "127.0.0.1:0",
        "--to",
        &to,
        "--web",
        "127.0.0.1:0",
    ];
    args.extend_from_slice(more);
    let tap = TapProcess::start(dir, &args, &[]);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let printed = tap.stdout.lock().unwrap().clone();
        // In English, or in French with `--lang fr`.
        let page = printed.lines().find_map(|l| {
            [
                "tap: live page at http://",
                "tap\u{a0}: page en direct sur http://",
            ]
            .iter()
            .find_map(|line| l.strip_prefix(line))
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
        });
        if let Some(page) = page {
            return (tap, page);
        }
        assert!(Instant::now() < deadline, "no live page line: {printed}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn get(addr: SocketAddr, target: &str) -> Response {
    request(addr, "GET", target)
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    http::write_request(
        &mut stream,
        method,
        target,
        Some(&addr.to_string()),
        &[],
        b"",
    )
    .unwrap();
    http::read_response(&mut stream, 1 << 24).unwrap()
}

fn fetch_through(tap: &TapProcess) -> String {
    let url = Url::parse(&format!("http://{}/", tap.addr)).unwrap();
    l01_plain_http::fetch(&url).unwrap()
}

fn the_page_and_its_api_carry_the_chats_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = lesson_01();
    let (tap, page) = tap_with_page(dir.path(), server.addr());
    for target in [
        "/",
        "/app.js",
        "/drawing.js",
        "/bytes.js",
        "/diagram.css",
        "/api/connections",
        "/api/labels",
    ] {
        let reply = get(page, target);
        assert_eq!(reply.status, 200, "{target}");
        assert_eq!(
            reply.headers.get("Content-Security-Policy"),
            Some(squirrel::web::CSP),
            "{target}"
        );
        assert_eq!(reply.headers.get("X-Content-Type-Options"), Some("nosniff"));
    }
    let index = String::from_utf8(get(page, "/").body).unwrap();
    assert!(index.contains("<script type=\"module\" src=\"/app.js\">"));
    assert!(!index.contains("innerHTML"));
    for file in ["app.js", "drawing.js", "bytes.js"] {
        let js = String::from_utf8(get(page, &format!("/{file}")).body).unwrap();
        assert!(!js.contains("innerHTML"), "{file} sets markup");
    }
    let missing = get(page, "/nothing-here");
    assert_eq!(missing.status, 404);
    assert!(missing.message().unwrap().contains("/nothing-here"));
    let post = request(page, "POST", "/api/connections");
    assert_eq!(post.status, 405);
    assert_eq!(post.headers.get("Allow"), Some("GET, HEAD"));
    assert_eq!(get(page, "/api/connections?after=soon").status, 400);
    drop(tap);
}

fn the_api_answers_with_the_connections_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let server = lesson_01();
    let (tap, page) = tap_with_page(dir.path(), server.addr());
    let empty = get(page, "/api/connections").json_body().unwrap();
    assert_eq!(empty["connections"], Value::Array(vec![]));
    assert_eq!(empty["tap"], tap.addr.to_string());
    assert_eq!(empty["server"], server.addr().to_string());
    assert_eq!(fetch_through(&tap), "fluffy tail");
    // The tap records the close a moment after the client has its reply.
    let deadline = Instant::now() + Duration::from_secs(5);
    let all = loop {
        let all = get(page, "/api/connections?after=0").json_body().unwrap();
        if all["connections"][0]["closed"] == true || Instant::now() > deadline {
            break all;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let connection = &all["connections"][0];
    assert_eq!(connection["protocol"], "http");
    assert_eq!(connection["closed"], true);
    let labels: Vec<&str> = connection["arrows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["GET / HTTP/1.1", "HTTP/1.1 200 OK"]);
    // The reply holds the secret: it is the arrow picked, and its bytes mark it.
    assert_eq!(connection["picked"], 1);
    let marked: String = connection["arrows"][1]["view"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["ascii"].as_array().unwrap().clone())
        .filter(|s| s["mark"] == "secret")
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(marked, "fluffy tail");
    // Nothing new since: nothing to redraw.
    let after = all["events"].as_u64().unwrap();
    let later = get(page, &format!("/api/connections?after={after}"))
        .json_body()
        .unwrap();
    assert_eq!(later["connections"], Value::Array(vec![]));
    assert_eq!(later["events"], all["events"]);
}

fn a_live_page_off_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = squirrel(
        dir.path(),
        &["tap", "--listen", "127.0.0.1:0", "--web", "0.0.0.0:8088"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: cannot serve the live page on 0.0.0.0:8088"),
        "{err}"
    );
    assert!(err.contains("passwords too"), "{err}");
    assert!(
        err.contains("hint: give a loopback address, e.g. --web 127.0.0.1:8088"),
        "{err}"
    );
    assert_eq!(text(&out.stdout), "", "refused before relaying anything");
}

fn a_lesson_01_fetch_appears_on_the_live_page_within_3_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let server = lesson_01();
    let (tap, page) = tap_with_page(dir.path(), server.addr());
    let mut browser = Browser::start(&BrowserOptions::new(&dir.path().join("home")));
    browser.get(&format!("http://{page}/")).unwrap();
    browser.wait_until(
        "document.getElementById('status').textContent.includes('Waiting for a connection')",
        Duration::from_secs(5),
        "the page to wait for a connection",
    );
    assert_eq!(fetch_through(&tap), "fluffy tail");
    let fetched = Instant::now();
    browser.wait_until(
        "document.querySelectorAll('#connection-0 svg.ladder g.arrow').length === 2",
        Duration::from_secs(3),
        "the connection's two arrows",
    );
    assert!(fetched.elapsed() < Duration::from_secs(3));
    let labels = browser.eval(
        "return [...document.querySelectorAll('#connection-0 g.arrow .label')].map(t => t.textContent);",
        &[],
    );
    assert_eq!(
        labels,
        serde_json::json!(["GET / HTTP/1.1", "HTTP/1.1 200 OK"])
    );
    // The reply is picked: its bytes are shown, the secret marked.
    let marked = browser.eval(
        "return [...document.querySelectorAll('#connection-0 pre.bytes mark.secret')].map(m => m.textContent).join('');",
        &[],
    );
    assert!(marked.as_str().unwrap().contains("fluffy tail"), "{marked}");
    // A click on the request shows its bytes instead.
    let shown = browser.eval(
        "document.querySelector('#connection-0 g.arrow[data-index=\"0\"] .row')
           .dispatchEvent(new MouseEvent('click', {bubbles: true}));
         return document.querySelector('#connection-0 pre.bytes').textContent;",
        &[],
    );
    assert!(
        shown.as_str().unwrap().contains("GET / HTTP/1.1"),
        "{shown}"
    );
    let picked = browser.eval(
        "return [...document.querySelectorAll('#connection-0 g.arrow.picked')].map(g => g.dataset.index);",
        &[],
    );
    assert_eq!(picked, serde_json::json!(["0"]));
    // The page's own requests never crossed the tap: one connection only.
    assert_eq!(
        browser.eval(
            "return document.querySelectorAll('article.connection').length;",
            &[]
        ),
        serde_json::json!(1)
    );
    drop(tap);
}

fn the_live_page_speaks_the_taps_language() {
    let dir = tempfile::tempdir().unwrap();
    let server = lesson_01();
    let (tap, page) = tap_with_page_and(dir.path(), server.addr(), &["--lang", "fr"]);
    let labels: serde_json::Value = serde_json::from_slice(&get(page, "/api/labels").body).unwrap();
    assert_eq!(labels["server"], "serveur");
    assert_eq!(labels["live_title"], "squirrel tap\u{a0}: en direct");
    drop(tap);
}

test_main! {
    the_live_page_speaks_the_taps_language: [],
    the_page_and_its_api_carry_the_chats_security_headers: [],
    the_api_answers_with_the_connections_that_changed: [],
    a_live_page_off_loopback_is_refused: [],
    a_lesson_01_fetch_appears_on_the_live_page_within_3_seconds: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM],
}
