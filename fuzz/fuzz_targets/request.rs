//! Fuzzes request parsing and routing: arbitrary bytes go through the same functions
//! the server runs on a connection (`http::read_request_head`, `http::read_body`) and
//! then through the vault's router with a live session. No input may panic, and every
//! reply must be a well-formed HTTP response with a JSON `message` on errors.
//!
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run request fuzz/corpus/request -- -max_total_time=600`
//! The placeholder `SESSION` in an input is replaced by the live session id, so the
//! fuzzer reaches the routes behind `Authorization`.
#![no_main]

use std::net::SocketAddr;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use squirrel::http::{self, Request};
use squirrel::server::{self, Handler, Limits};
use squirrel::vault::server::Vault;

struct State {
    vault: Vault,
    session_id: String,
    _dir: tempfile::TempDir,
}

fn setup() -> State {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("vault");
    vault.add_demo_users().expect("demo users");
    let body = br#"{"username":"user1","password":"password1"}"#.to_vec();
    let login = Request {
        method: "POST".into(),
        target: "/login".into(),
        headers: http::Headers::new(),
        body,
    };
    let reply = vault.handle(login, peer());
    let session_id = reply.json_body().expect("login JSON")["session_id"]
        .as_str()
        .expect("session id")
        .to_string();
    State {
        vault,
        session_id,
        _dir: dir,
    }
}

fn peer() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 40000))
}

fn substitute(data: &[u8], session: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(b"SESSION") {
            out.extend_from_slice(session);
            i += b"SESSION".len();
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    static STATE: OnceLock<State> = OnceLock::new();
    let state = STATE.get_or_init(setup);
    let data = substitute(data, state.session_id.as_bytes());
    let mut reader = &data[..];
    let (head, rest) = match http::read_request_head(&mut reader, http::HEAD_LIMIT) {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.status();
            return;
        }
    };
    let length = match head.headers.content_length() {
        Ok(length) => length.unwrap_or(0).min(1 << 20),
        Err(_) => return,
    };
    let Ok(body) = http::read_body(&mut reader, rest, length) else {
        return;
    };
    let request = Request::new(head, body);
    // A login costs a 600 000-iteration PBKDF2 run: too slow to fuzz, and serde_json
    // is what parses its body. A logout would end the one session the other routes
    // need. Everything else is routed.
    if request.path() == "/login" || request.path() == "/logout" {
        return;
    }
    // As the accept loop would: admission (the small-body cap, an upload's checks before
    // its body), then the in-memory or the streamed path.
    let mut reply = server::respond(&state.vault, request, peer(), &Limits::default());
    assert!((200..600).contains(&reply.status));
    let mut wire = Vec::new();
    reply.write_to(&mut wire).expect("write to memory");
    let reread = http::read_response(&mut &wire[..], u64::MAX).expect("our reply parses");
    assert_eq!(reread.status, reply.status);
    if reply.status >= 400 {
        assert!(reply.message().is_some(), "error without a JSON message");
    }
});
