//! HEAD on every squirrel server, as RFC 9110 asks (§9.1: every general-purpose server
//! MUST support GET and HEAD; §9.3.2: HEAD is GET without the content): through real
//! sockets, each reply read by httparse in response mode, HEAD gets GET's status and
//! header fields, `Content-Length` included, and not one byte after its head; a 405's
//! `Allow` lists HEAD wherever it lists GET. The servers: lessons 01, 02, 03, 06 and 07,
//! the vault (a JSON reply, a streamed archive) and the web chat.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::TestVault;
use squirrel::lessons::{l01_plain_http, l02_substitution, l03_fernet, l06_https};
use squirrel::server::{Limits, Server, ServerHandle, Transport};
use squirrel::tls;
use squirrel::webchat::storage::Storage;
use squirrel::webchat::{self, Chat, ChatOptions, ServeOptions};

/// A connection to a server under test, plain or TLS.
trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// A reply as httparse reads it: the status, the header fields in order, and every byte
/// that came after the head.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    after_head: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn content_length(&self) -> usize {
        self.header("content-length")
            .unwrap_or_else(|| panic!("no Content-Length: {self:?}"))
            .parse()
            .unwrap()
    }
}

/// Sends one request (`extra` holds header lines, each ending in CRLF, then the body
/// after a blank line is the caller's) and reads the reply to the end of the connection.
fn exchange(mut stream: Box<dyn Stream>, method: &str, target: &str, extra: &str) -> Reply {
    let request = format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\n{extra}");
    let request = if extra.contains("\r\n\r\n") {
        request
    } else {
        format!("{request}Connection: close\r\n\r\n")
    };
    stream.write_all(request.as_bytes()).unwrap();
    stream.flush().unwrap();
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            // A TLS peer that closes without close_notify: what came is what there is.
            Err(_) if !bytes.is_empty() => break,
            Err(e) => panic!("{method} {target}: {e}"),
        }
    }
    let mut fields = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut fields);
    let head_len = match response.parse(&bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        other => panic!(
            "{method} {target}: not a complete HTTP/1.1 response head ({other:?}): {:?}",
            String::from_utf8_lossy(&bytes)
        ),
    };
    assert_eq!(response.version, Some(1), "{method} {target}: not HTTP/1.1");
    Reply {
        status: response.code.unwrap(),
        headers: response
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_string(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
        after_head: bytes[head_len..].to_vec(),
    }
}

/// GET then HEAD of `target` on fresh connections from `connect`: GET's body is exactly
/// its `Content-Length`; HEAD has GET's status and header fields, that `Content-Length`
/// included, and nothing after its head. Returns the GET.
fn head_is_get_without_the_body(
    connect: &dyn Fn() -> Box<dyn Stream>,
    target: &str,
    extra: &str,
) -> Reply {
    let get = exchange(connect(), "GET", target, extra);
    assert_eq!(
        get.after_head.len(),
        get.content_length(),
        "GET {target}: the body is not its Content-Length"
    );
    let head = exchange(connect(), "HEAD", target, extra);
    assert_eq!(head.status, get.status, "HEAD {target}");
    assert_eq!(head.headers, get.headers, "HEAD {target}");
    assert!(
        head.after_head.is_empty(),
        "HEAD {target}: {} bytes after the head",
        head.after_head.len()
    );
    get
}

fn plain(addr: SocketAddr) -> impl Fn() -> Box<dyn Stream> {
    move || Box::new(TcpStream::connect(addr).unwrap())
}

/// TLS connections trusting `certs/ca.crt`, with the client certificate when `mutual`.
fn over_tls(certs: &Path, port: u16, mutual: bool) -> impl Fn() -> Box<dyn Stream> {
    let (cert, key) = (certs.join("client.crt"), certs.join("client.key"));
    let identity = mutual.then_some((cert.as_path(), key.as_path()));
    let connector = tls::client_connector(&certs.join("ca.crt"), identity).unwrap();
    move || Box::new(tls::connect(&connector, "127.0.0.1", port, Duration::from_secs(10)).unwrap())
}

fn serve(transport: Transport, handler: Arc<dyn squirrel::server::Handler>) -> ServerHandle {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    Server::new("test", listener, transport, handler)
        .spawn()
        .unwrap()
}

/// A 405 whose `Allow` lists exactly `allow`.
fn assert_not_allowed(reply: &Reply, allow: &str) {
    assert_eq!(reply.status, 405, "{reply:?}");
    assert_eq!(reply.header("allow"), Some(allow), "{reply:?}");
}

#[test]
fn lesson01_answers_head_with_the_head_of_fluffy_tail() {
    let server = serve(Transport::Plain, Arc::new(l01_plain_http::handler));
    let connect = plain(server.addr());
    let get = head_is_get_without_the_body(&connect, "/", "");
    assert_eq!(get.status, 200);
    assert_eq!(get.after_head, b"fluffy tail");
    assert_eq!(get.content_length(), 11);
    // A 404 and a 405 are GET's too, without their JSON.
    assert_eq!(
        head_is_get_without_the_body(&connect, "/nope", "").status,
        404
    );
    let post = exchange(connect(), "POST", "/", "Content-Length: 0\r\n");
    assert_not_allowed(&post, "GET, HEAD");
}

#[test]
fn a_head_refused_before_its_handler_gets_no_body_either() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let limits = Limits {
        max_body: 10,
        ..Limits::default()
    };
    let server = Server::new(
        "test",
        listener,
        Transport::Plain,
        Arc::new(l01_plain_http::handler),
    )
    .limits(limits)
    .spawn()
    .unwrap();
    let head = exchange(
        plain(server.addr())(),
        "HEAD",
        "/",
        "Content-Length: 11\r\nConnection: close\r\n\r\nfluffy tail",
    );
    assert_eq!(head.status, 413, "{head:?}");
    assert!(head.content_length() > 0);
    assert!(head.after_head.is_empty(), "{head:?}");
}

#[test]
fn lesson02_chat_relay_answers_head() {
    let room = Arc::new(l02_substitution::ChatRoom::new(None, 100).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server = l02_substitution::chat_server(listener, room)
        .spawn()
        .unwrap();
    let connect = plain(server.addr());
    assert_eq!(head_is_get_without_the_body(&connect, "/", "").status, 200);
    let messages = head_is_get_without_the_body(&connect, "/messages?since=0", "");
    assert_eq!(messages.status, 200);
    let put = exchange(connect(), "PUT", "/messages", "Content-Length: 0\r\n");
    assert_not_allowed(&put, "GET, HEAD");
    let get_send = exchange(connect(), "HEAD", "/send", "");
    assert_not_allowed(&get_send, "POST");
    assert!(get_send.after_head.is_empty());
}

#[test]
fn lesson03_fernet_answers_head_with_the_tokens_length() {
    let key = l03_fernet::keygen();
    let fernet = l03_fernet::load_key(&key).unwrap();
    let server = serve(
        Transport::Plain,
        Arc::new(l03_fernet::FernetServer::new(fernet)),
    );
    // Each token is new (time, IV), but every token of `fluffy tail` has one length.
    let get = head_is_get_without_the_body(&plain(server.addr()), "/", "");
    assert_eq!(get.status, 200);
    assert!(String::from_utf8(get.after_head)
        .unwrap()
        .starts_with("gAAAAA"));
}

#[test]
fn lesson06_native_tls_server_answers_head() {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(dir.path()).unwrap();
    let acceptor = l06_https::acceptor(
        &dir.path().join("server.crt"),
        &dir.path().join("server.key"),
    )
    .unwrap();
    let server = serve(
        Transport::NativeTls(acceptor),
        Arc::new(l01_plain_http::handler),
    );
    let connect = over_tls(dir.path(), server.addr().port(), false);
    let get = head_is_get_without_the_body(&connect, "/", "");
    assert_eq!(get.after_head, b"fluffy tail");
}

#[test]
fn lesson07_mutual_tls_server_answers_head() {
    let dir = tempfile::tempdir().unwrap();
    squirrel::pki::ensure_dev_pki(dir.path()).unwrap();
    let acceptor = tls::server_acceptor(
        &dir.path().join("server.crt"),
        &dir.path().join("server.key"),
        Some(&dir.path().join("ca.crt")),
    )
    .unwrap();
    let server = serve(
        Transport::OpenSsl(acceptor),
        Arc::new(l01_plain_http::handler),
    );
    let connect = over_tls(dir.path(), server.addr().port(), true);
    let get = head_is_get_without_the_body(&connect, "/", "");
    assert_eq!(get.after_head, b"fluffy tail");
}

#[test]
fn the_vault_answers_head_for_lists_downloads_and_streamed_archives() {
    let vault = TestVault::start();
    let connect = over_tls(&vault.certs, vault.port, true);
    let login = r#"{"username":"user1","password":"password1"}"#;
    let reply = exchange(
        connect(),
        "POST",
        "/login",
        &format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n{login}",
            login.len()
        ),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let session: serde_json::Value = serde_json::from_slice(&reply.after_head).unwrap();
    let session = session["session_id"].as_str().unwrap().to_string();
    let content = "fluffy tail\n".repeat(1000);
    let reply = exchange(
        connect(),
        "POST",
        "/upload-file",
        &format!(
            "Authorization: {session}\r\nFile-Name: note.txt\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{content}",
            content.len()
        ),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let auth = format!("Authorization: {session}\r\n");

    let list = head_is_get_without_the_body(&connect, "/get-files", &auth);
    assert_eq!(list.status, 200);
    let list: serde_json::Value = serde_json::from_slice(&list.after_head).unwrap();
    let archive = list["archives"][0].as_str().unwrap().to_string();
    // The archive streamed from the disk: HEAD says how long, and reads none of it.
    let bytes = head_is_get_without_the_body(&connect, &format!("/archives/{archive}"), &auth);
    assert_eq!(bytes.status, 200);
    assert_eq!(
        bytes.content_length() as u64,
        std::fs::metadata(vault.data.join("archives/user1").join(&archive))
            .unwrap()
            .len()
    );
    let json = head_is_get_without_the_body(
        &connect,
        "/download-file",
        &format!("{auth}File-Name: {archive}\r\n"),
    );
    assert_eq!(json.status, 200);
    // Without a session: GET's 401, without its JSON.
    assert_eq!(
        head_is_get_without_the_body(&connect, "/get-files", "").status,
        401
    );
    // POST-only endpoints: 405 to GET and to HEAD alike, with Allow: POST.
    let head_login = exchange(connect(), "HEAD", "/login", "");
    assert_not_allowed(&head_login, "POST");
    assert!(head_login.after_head.is_empty());
    let delete = exchange(connect(), "DELETE", "/get-files", &auth);
    assert_not_allowed(&delete, "GET, HEAD");
}

#[test]
fn the_web_chat_answers_head_for_its_page_and_its_api() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    squirrel::pki::ensure_dev_pki(&certs).unwrap();
    let storage = Storage::open(&dir.path().join("chat-data")).unwrap();
    let chat = Arc::new(Chat::new(storage, ChatOptions::default()));
    let options = ServeOptions {
        addr: "127.0.0.1:0".into(),
        cert: certs.join("server.crt"),
        key: certs.join("server.key"),
        limits: Limits::default(),
        workers: 2,
    };
    let server = webchat::start(&options, chat).unwrap();
    let connect = over_tls(&certs, server.addr().port(), false);
    let page = head_is_get_without_the_body(&connect, "/", "");
    assert_eq!(page.status, 200);
    assert!(page.header("content-security-policy").is_some());
    assert_eq!(
        head_is_get_without_the_body(&connect, "/api/server", "").status,
        200
    );
    assert_eq!(
        head_is_get_without_the_body(&connect, "/api/me", "").status,
        401
    );
    let put = exchange(connect(), "PUT", "/api/keys", "Content-Length: 0\r\n");
    assert_not_allowed(&put, "GET, HEAD, POST");
}
