//! Lesson 01: the secret travels in clear text, and anyone on the path reads it.

mod common;

use std::net::TcpListener;
use std::sync::Arc;

use common::prereq::{LIVE_CAPTURE, TSHARK};
use common::text::TextRun;
use common::{run, spawn_server, text};
use squirrel::http::Url;
use squirrel::lessons::l01_plain_http;
use squirrel::server::{Server, ServerHandle, Transport};
use squirrel::tap::{Direction, Tap};

fn start() -> ServerHandle {
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

fn fluffy_tail_is_visible_on_the_wire() {
    let server = start();
    let tap = Tap::start("127.0.0.1:0", server.addr()).unwrap();
    let url = Url::parse(&format!("http://{}/", tap.addr())).unwrap();
    assert_eq!(l01_plain_http::fetch(&url).unwrap(), "fluffy tail");

    // Exactly the bytes the lesson text shows.
    let request = String::from_utf8(tap.bytes(Direction::ToServer)).unwrap();
    assert_eq!(
        request,
        format!(
            "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            tap.addr()
        )
    );
    let response = String::from_utf8(tap.bytes(Direction::ToClient)).unwrap();
    assert_eq!(
        response,
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 11\r\nConnection: close\r\n\r\nfluffy tail"
    );
    assert!(tap.saw(b"fluffy tail"));
}

fn other_paths_and_methods_are_refused() {
    let server = start();
    let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
    squirrel::http::write_request(&mut stream, "POST", "/", None, &[], b"x").unwrap();
    assert_eq!(
        squirrel::http::read_response(&mut stream, 1024)
            .unwrap()
            .status,
        405
    );
    let url = Url::parse(&format!("http://{}/elsewhere", server.addr())).unwrap();
    let err = l01_plain_http::fetch(&url).unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
}

fn serve_and_fetch_commands_work_as_the_text_shows() {
    let dir = tempfile::tempdir().unwrap();
    let server = spawn_server(
        dir.path(),
        &["plain-http", "serve", "--addr", "127.0.0.1:0"],
        &[],
    );
    let url = format!("http://127.0.0.1:{}/", server.port);
    for alias in ["plain-http", "1", "01"] {
        let out = run(dir.path(), &[alias, "fetch", "--url", &url], &[]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "The secret message is: fluffy tail\n");
    }
}

fn fetch_without_a_server_says_to_start_one() {
    let dir = tempfile::tempdir().unwrap();
    // Port 9 (discard) is closed on a test machine.
    let out = run(
        dir.path(),
        &["plain-http", "fetch", "--url", "http://127.0.0.1:9/"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("error: cannot connect to 127.0.0.1:9"),
        "{err}"
    );
    assert!(
        err.contains("hint: is the lesson's server running?"),
        "{err}"
    );
}

fn serve_on_a_port_out_of_range_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["plain-http", "serve", "--addr", "127.0.0.1:99999"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: cannot listen on 127.0.0.1:99999: the port 99999 is out of range (a TCP port is a number from 1 to 65535)\n\
         hint: pass --addr 127.0.0.1:5683, or another port from 1 to 65535\n"
    );
}

fn a_port_in_use_says_another_server_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(dir.path(), &["plain-http", "serve", "--addr", &addr], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("error: cannot listen on {addr}: ")),
        "{err}"
    );
    assert!(
        err.ends_with(
            "hint: another server uses this port: stop it (Ctrl-C), or pass --addr 127.0.0.1:OTHERPORT\n"
        ),
        "{err}"
    );
}

const TEXT: &str = "lessons/01-plain-http.md";

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).commands();
}

fn the_capture_section_shows_coap_then_http_with_decode_as_live() {
    TextRun::new(TEXT).capture();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT).in_french().commands();
}

fn the_french_text_capture_section_shows_coap_then_http_with_decode_as_live() {
    TextRun::new(TEXT).in_french().capture();
}

test_main! {
    fluffy_tail_is_visible_on_the_wire: [],
    other_paths_and_methods_are_refused: [],
    serve_and_fetch_commands_work_as_the_text_shows: [],
    fetch_without_a_server_says_to_start_one: [],
    serve_on_a_port_out_of_range_says_so: [],
    a_port_in_use_says_another_server_uses_it: [],
    every_command_of_the_text_runs_and_prints_what_it_shows: [],
    the_capture_section_shows_coap_then_http_with_decode_as_live: [TSHARK, LIVE_CAPTURE],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [],
    the_french_text_capture_section_shows_coap_then_http_with_decode_as_live: [TSHARK, LIVE_CAPTURE],
}
