//! The browser chat's HTTP API through real TLS, with Rust playing the browsers: the
//! end-to-end format of `squirrel::webchat::crypto` (which the real-browser test of
//! lesson 09 checks against WebCrypto) makes the keys and the ciphertexts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use openssl::pkey::{PKey, Private};
use openssl::ssl::SslConnector;
use serde_json::{json, Value};
use squirrel::http::{self, Response};
use squirrel::server::{Limits, ServerHandle};
use squirrel::tls;
use squirrel::vault::keys::MIN_ITERATIONS;
use squirrel::webchat::api::SESSION_COOKIE;
use squirrel::webchat::crypto::{self, ImagePlaintext, Kind};
use squirrel::webchat::storage::Storage;
use squirrel::webchat::{self, Chat, ChatOptions, ServeOptions};

/// A chat server's address as a browser reaches it: `https://localhost:PORT`, trusting
/// the CA that signed its certificate.
pub struct ChatConnection {
    pub connector: SslConnector,
    pub port: u16,
}

impl ChatConnection {
    /// The server on `port` whose certificate `ca` (PEM) signed.
    pub fn new(ca: &Path, port: u16) -> ChatConnection {
        ChatConnection {
            connector: tls::client_connector(ca, None).unwrap(),
            port,
        }
    }

    pub fn stream(&self) -> openssl::ssl::SslStream<std::net::TcpStream> {
        tls::connect(
            &self.connector,
            "localhost",
            self.port,
            Duration::from_secs(10),
        )
        .unwrap()
    }

    /// One request; `headers` come after Host. Returns the whole response.
    pub fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        let mut stream = self.stream();
        let host = format!("localhost:{}", self.port);
        http::write_request(&mut stream, method, target, Some(&host), headers, body).unwrap();
        http::read_response(&mut stream, 64 << 20).unwrap()
    }

    /// A browser's session of a user it registers: the cookie it holds and the CSRF
    /// header it sends, and its key pair.
    pub fn user(&self, name: &str, password: &str) -> Session<'_> {
        let mut session = Session {
            chat: self,
            name: name.to_string(),
            cookie: None,
            key: crypto::generate_key().unwrap(),
        };
        let reply = session.post_json(
            "/api/register",
            &json!({ "username": name, "password": password }),
        );
        assert_eq!(reply.status, 201, "{:?}", reply.message());
        session
    }
}

/// A chat server on an ephemeral port, with a fresh development PKI and database.
pub struct TestChat {
    pub dir: tempfile::TempDir,
    handle: Option<ServerHandle>,
    connection: ChatConnection,
}

impl std::ops::Deref for TestChat {
    type Target = ChatConnection;

    fn deref(&self) -> &ChatConnection {
        &self.connection
    }
}

impl TestChat {
    pub fn start(options: ChatOptions) -> TestChat {
        let dir = tempfile::tempdir().unwrap();
        let certs = dir.path().join("certs");
        squirrel::pki::ensure_dev_pki(&certs).unwrap();
        let storage = Storage::open(&dir.path().join("chat-data")).unwrap();
        let chat = Arc::new(Chat::new(storage, options));
        let serve = ServeOptions {
            addr: "127.0.0.1:0".into(),
            cert: certs.join("server.crt"),
            key: certs.join("server.key"),
            limits: Limits::default(),
            workers: 2,
        };
        let handle = webchat::start(&serve, chat).unwrap();
        let connection = ChatConnection::new(&certs.join("ca.crt"), handle.addr().port());
        TestChat {
            dir,
            handle: Some(handle),
            connection,
        }
    }

    pub fn fast() -> TestChat {
        TestChat::start(ChatOptions {
            iterations: MIN_ITERATIONS,
            ..ChatOptions::default()
        })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("chat-data")
    }
}

impl Drop for TestChat {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.stop();
        }
    }
}

pub struct Session<'a> {
    pub chat: &'a ChatConnection,
    pub name: String,
    pub cookie: Option<String>,
    pub key: PKey<Private>,
}

impl Session<'_> {
    pub fn request(
        &mut self,
        method: &str,
        target: &str,
        content_type: &str,
        body: &[u8],
    ) -> Response {
        let cookie = self
            .cookie
            .as_ref()
            .map(|c| format!("{SESSION_COOKIE}={c}"));
        let mut headers = vec![("X-Squirrel-Chat", "1"), ("Content-Type", content_type)];
        if let Some(cookie) = &cookie {
            headers.push(("Cookie", cookie));
        }
        let reply = self.chat.send(method, target, &headers, body);
        if let Some(set) = reply.headers.get("set-cookie") {
            let value = set
                .strip_prefix(&format!("{SESSION_COOKIE}="))
                .unwrap()
                .split(';')
                .next()
                .unwrap();
            self.cookie = (!value.is_empty()).then(|| value.to_string());
        }
        reply
    }

    pub fn post_json(&mut self, target: &str, body: &Value) -> Response {
        self.request(
            "POST",
            target,
            "application/json",
            body.to_string().as_bytes(),
        )
    }

    pub fn get(&mut self, target: &str) -> Value {
        let reply = self.request("GET", target, "application/json", b"");
        assert_eq!(reply.status, 200, "{target}: {:?}", reply.message());
        reply.json_body().unwrap()
    }

    /// Publishes this session's public key, as the page does on first login.
    pub fn publish(&mut self) -> String {
        let spki = crypto::spki(&self.key).unwrap();
        let reply = self.post_json("/api/keys", &json!({ "spki": STANDARD.encode(&spki) }));
        assert_eq!(reply.status, 201, "{:?}", reply.message());
        reply.json_body().unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// The peer's current key as the server shows it: (fingerprint, SPKI).
    pub fn key_of(&mut self, user: &str) -> (String, Vec<u8>) {
        let key = self.get(&format!("/api/keys?user={}", encode(user)));
        (
            key["fingerprint"].as_str().unwrap().to_string(),
            STANDARD.decode(key["spki"].as_str().unwrap()).unwrap(),
        )
    }

    /// Encrypts `plaintext` for `to` at `position` as the page does.
    pub fn seal(
        &mut self,
        to: &str,
        kind: Kind,
        position: u64,
        plaintext: &[u8],
    ) -> (Value, Vec<u8>) {
        let own = crypto::fingerprint(&crypto::spki(&self.key).unwrap());
        let (theirs, spki) = self.key_of(to);
        let key = crypto::pair_key(&self.key, &spki, &self.name, to).unwrap();
        let iv = crypto::random_iv().unwrap();
        let aad = crypto::associated_data(kind, &self.name, to, position);
        let ciphertext = crypto::seal(&key, &iv, &aad, plaintext).unwrap();
        let fields = json!({
            "to": to,
            "position": position,
            "sender_key": own,
            "recipient_key": theirs,
            "iv": STANDARD.encode(iv),
        });
        (fields, ciphertext)
    }

    pub fn send_text(&mut self, to: &str, position: u64, text: &str) -> Response {
        let (mut fields, ciphertext) = self.seal(to, Kind::Text, position, text.as_bytes());
        fields["ciphertext"] = json!(STANDARD.encode(ciphertext));
        self.post_json("/api/messages", &fields)
    }

    pub fn send_image(&mut self, to: &str, position: u64, image: &ImagePlaintext) -> Response {
        let (fields, ciphertext) = self.seal(to, Kind::Image, position, &image.encode());
        let query: Vec<String> = ["to", "position", "sender_key", "recipient_key", "iv"]
            .iter()
            .map(|f| {
                let v = match &fields[f] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                format!("{f}={}", encode(&v))
            })
            .collect();
        self.request(
            "POST",
            &format!("/api/images?{}", query.join("&")),
            "application/octet-stream",
            &ciphertext,
        )
    }

    /// Fetches and decrypts the conversation with `peer`, as the page does.
    pub fn read(&mut self, peer: &str) -> Vec<(String, Vec<u8>)> {
        let listing = self.get(&format!("/api/messages?with={}&after=0", encode(peer)));
        let mut out = Vec::new();
        for m in listing["messages"].as_array().unwrap() {
            let from = m["from"].as_str().unwrap().to_string();
            let mine = from == self.name;
            let other_key = if mine {
                &m["recipient_key"]
            } else {
                &m["sender_key"]
            };
            let key = self.get(&format!("/api/keys/{}", other_key.as_str().unwrap()));
            let spki = STANDARD.decode(key["spki"].as_str().unwrap()).unwrap();
            let pair = crypto::pair_key(&self.key, &spki, &self.name, peer).unwrap();
            let kind = Kind::parse(m["kind"].as_str().unwrap()).unwrap();
            let aad = crypto::associated_data(
                kind,
                m["from"].as_str().unwrap(),
                m["to"].as_str().unwrap(),
                m["position"].as_u64().unwrap(),
            );
            let ciphertext = match kind {
                Kind::Text => STANDARD.decode(m["ciphertext"].as_str().unwrap()).unwrap(),
                Kind::Image => {
                    let reply =
                        self.request("GET", m["url"].as_str().unwrap(), "application/json", b"");
                    assert_eq!(reply.status, 200);
                    reply.body
                }
            };
            let iv = STANDARD.decode(m["iv"].as_str().unwrap()).unwrap();
            out.push((from, crypto::open(&pair, &iv, &aad, &ciphertext).unwrap()));
        }
        out
    }
}

pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
