//! The browser chat's HTTP API through real TLS on loopback, with Rust playing the
//! browsers: the end-to-end format of `squirrel::webchat::crypto` (which the real-browser
//! test of lesson 09 checks against WebCrypto) makes the keys and the ciphertexts.

mod common;

use std::io::{Read, Write};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::chat::TestChat;
use serde_json::{json, Value};
use squirrel::http::{self, Response};
use squirrel::i18n::Lang;
use squirrel::tls;
use squirrel::vault::keys::MIN_ITERATIONS;
use squirrel::webchat::api::{CSP, MIN_PASSWORD, SESSION_COOKIE};
use squirrel::webchat::crypto::{self, ImagePlaintext, Kind};
use squirrel::webchat::{ChatOptions, MAX_TEXT};

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(common::random_bytes(3000));
    bytes
}

#[test]
fn register_publish_send_and_read_through_tls_with_the_session_cookie() {
    let chat = TestChat::fast();
    let mut alice = chat.user("alice", "alice-password");
    let mut bob = chat.user("bob", "bob-password");

    // The cookie is the one the issue asks for.
    let reply = chat.send(
        "POST",
        "/api/login",
        &[("X-Squirrel-Chat", "1")],
        br#"{"username":"alice","password":"alice-password"}"#,
    );
    assert_eq!(reply.status, 200);
    let cookie = reply.headers.get("set-cookie").unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }

    let alice_key = alice.publish();
    assert_eq!(
        alice.get("/api/me"),
        json!({ "user": "alice", "key": alice_key })
    );
    bob.publish();
    assert_eq!(
        alice.get("/api/users"),
        json!({ "users": [{ "name": "bob", "key": bob.key_of("bob").0 }] })
    );

    assert_eq!(alice.send_text("bob", 0, "fluffy tail").status, 201);
    assert_eq!(bob.send_text("alice", 1, "and a bushy one").status, 201);
    let image = ImagePlaintext {
        name: "acorn.png".into(),
        mime: "image/png".into(),
        bytes: png(),
    };
    assert_eq!(alice.send_image("bob", 2, &image).status, 201);

    let seen_by_bob = bob.read("alice");
    assert_eq!(seen_by_bob[0], ("alice".into(), b"fluffy tail".to_vec()));
    assert_eq!(seen_by_bob[1], ("bob".into(), b"and a bushy one".to_vec()));
    assert_eq!(seen_by_bob[2].0, "alice");
    assert_eq!(ImagePlaintext::decode(&seen_by_bob[2].1).unwrap(), image);
    assert_eq!(alice.read("bob"), seen_by_bob);

    // Logging out ends the session server-side, whatever the browser keeps.
    let old_cookie = alice.cookie.clone();
    assert_eq!(alice.post_json("/api/logout", &json!({})).status, 200);
    alice.cookie = old_cookie;
    assert_eq!(alice.request("GET", "/api/me", "", b"").status, 401);
}

#[test]
fn nothing_the_server_stores_holds_the_text_the_image_or_a_private_key() {
    let chat = TestChat::fast();
    let mut alice = chat.user("alice", "alice-password");
    let mut bob = chat.user("bob", "bob-password");
    alice.publish();
    bob.publish();
    let image = png();
    alice.send_text("bob", 0, "fluffy tail");
    alice.send_image(
        "bob",
        1,
        &ImagePlaintext {
            name: "acorn.png".into(),
            mime: "image/png".into(),
            bytes: image.clone(),
        },
    );
    let mut secrets: Vec<(&str, Vec<u8>)> = vec![
        ("the text", b"fluffy tail".to_vec()),
        ("the image", image[100..164].to_vec()),
        ("the image's name", b"acorn.png".to_vec()),
        ("a password", b"alice-password".to_vec()),
    ];
    for (who, key) in [("alice", &alice.key), ("bob", &bob.key)] {
        let scalar = key.ec_key().unwrap().private_key().to_vec();
        secrets.push((who, scalar));
        secrets.push((who, key.private_key_to_pkcs8().unwrap()));
    }
    let mut scanned = 0;
    for entry in std::fs::read_dir(chat.data_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        scanned += bytes.len();
        for (what, secret) in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_slice()),
                "{what} is in the server's files"
            );
        }
    }
    assert!(scanned > 3000, "only {scanned} bytes scanned");
}

#[test]
fn another_pairs_conversation_and_images_do_not_exist_for_a_third_user() {
    let chat = TestChat::fast();
    let mut alice = chat.user("alice", "alice-password");
    let mut bob = chat.user("bob", "bob-password");
    let mut carol = chat.user("carol", "carol-password");
    for s in [&mut alice, &mut bob, &mut carol] {
        s.publish();
    }
    alice.send_text("bob", 0, "fluffy tail");
    let image = ImagePlaintext {
        name: "x.png".into(),
        mime: "image/png".into(),
        bytes: png(),
    };
    assert_eq!(alice.send_image("bob", 1, &image).status, 201);
    let url = bob.get("/api/messages?with=alice&after=0")["messages"][1]["url"]
        .as_str()
        .unwrap()
        .to_string();
    // Carol's session asks for the image of alice and bob: as if it did not exist.
    let reply = carol.request("GET", &url, "", b"");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.message().unwrap(), "no such image");
    // Her conversations are hers: with bob there is nothing, with alice nothing.
    for peer in ["alice", "bob"] {
        let listing = carol.get(&format!("/api/messages?with={peer}&after=0"));
        assert_eq!(listing["messages"], json!([]), "with {peer}");
    }
    // And without a session there is nothing at all.
    let reply = chat.send("GET", "/api/messages?with=alice", &[], b"");
    assert_eq!(reply.status, 401);
}

#[test]
fn the_limits_refuse_a_large_message_or_image_before_reading_its_body() {
    let chat = TestChat::fast();
    let mut alice = chat.user("alice", "alice-password");
    let cookie = format!("{SESSION_COOKIE}={}", alice.cookie.clone().unwrap());
    for (target, length) in [
        ("/api/messages", 200 * 1024),
        ("/api/images?to=bob&position=0", 5 * 1024 * 1024 + 8 * 1024),
    ] {
        // Only the head is sent: a 413 that arrives proves the body was never awaited.
        let mut stream = chat.stream();
        let head = format!(
            "POST {target} HTTP/1.1\r\nHost: localhost\r\nX-Squirrel-Chat: 1\r\nCookie: {cookie}\r\nContent-Length: {length}\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let reply = http::read_response(&mut stream, 1 << 20).unwrap();
        assert_eq!(reply.status, 413, "{target}: {:?}", reply.message());
        assert!(reply.message().is_some());
    }
    // A text just over 64 KiB, whose request fits the head check, is refused after.
    let mut bob = chat.user("bob", "bob-password");
    alice.publish();
    bob.publish();
    let reply = alice.send_text("bob", 0, &"a".repeat(MAX_TEXT + 1));
    assert_eq!(reply.status, 413, "{:?}", reply.message());
    assert_eq!(alice.send_text("bob", 0, &"a".repeat(MAX_TEXT)).status, 201);
}

#[test]
fn hostile_input_is_refused_with_json_errors_and_markup_stays_text() {
    let chat = TestChat::fast();
    // Every reply, page or API, carries the CSP and nosniff.
    for target in ["/", "/app.js", "/api/server", "/nope"] {
        let reply = chat.send("GET", target, &[], b"");
        assert_eq!(
            reply.headers.get("content-security-policy"),
            Some(CSP),
            "{target}"
        );
        assert!(CSP.starts_with("default-src 'self'; img-src 'self' blob:"));
        assert_eq!(reply.headers.get("x-content-type-options"), Some("nosniff"));
    }
    let page = chat.send("GET", "/", &[], b"");
    assert!(!String::from_utf8_lossy(&page.body).contains("<script>"));

    let mut evil_name = chat.user("<script>alert(1)</script>", "password-1");
    let mut bob = chat.user("bob", "bob-password");
    evil_name.publish();
    bob.publish();
    assert_eq!(
        bob.get("/api/users")["users"][0]["name"],
        "<script>alert(1)</script>"
    );
    assert_eq!(
        evil_name
            .send_text("bob", 0, "<img src=x onerror=alert(1)>")
            .status,
        201
    );
    let read = bob.read("<script>alert(1)</script>");
    assert_eq!(read[0].1, b"<img src=x onerror=alert(1)>");

    /// Method, target, headers, body, expected status.
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a [u8], u16);
    let cases: &[Case] = &[
        (
            "POST",
            "/api/login",
            &[("X-Squirrel-Chat", "1")],
            b"{not json",
            400,
        ),
        (
            "POST",
            "/api/login",
            &[("X-Squirrel-Chat", "1")],
            b"[1,2]",
            400,
        ),
        // CSRF: neither our header nor our origin; or another site's origin.
        (
            "POST",
            "/api/login",
            &[],
            br#"{"username":"bob","password":"bob-password"}"#,
            403,
        ),
        (
            "POST",
            "/api/login",
            &[("Origin", "https://evil.example"), ("X-Squirrel-Chat", "1")],
            br#"{"username":"bob","password":"bob-password"}"#,
            403,
        ),
        (
            "POST",
            "/api/login",
            &[("X-Squirrel-Chat", "1")],
            br#"{"username":"bob","password":"wrong"}"#,
            401,
        ),
        (
            "POST",
            "/api/register",
            &[("X-Squirrel-Chat", "1")],
            br#"{"username":"a b","password":"long enough"}"#,
            400,
        ),
        (
            "POST",
            "/api/register",
            &[("X-Squirrel-Chat", "1")],
            br#"{"username":"short","password":"1234"}"#,
            400,
        ),
        (
            "POST",
            "/api/register",
            &[("X-Squirrel-Chat", "1")],
            br#"{"username":"bob","password":"another one"}"#,
            409,
        ),
        ("GET", "/api/me", &[], b"", 401),
        ("DELETE", "/api/messages", &[], b"", 405),
        ("GET", "/api/nothing", &[], b"", 404),
    ];
    for (method, target, headers, body, status) in cases {
        let reply = chat.send(method, target, headers, body);
        assert_eq!(
            reply.status,
            *status,
            "{method} {target} {:?}",
            String::from_utf8_lossy(body)
        );
        assert!(
            reply.message().is_some(),
            "{method} {target}: no JSON message"
        );
    }
    // A matching Origin alone is enough (what a browser's fetch sends).
    let origin = format!("https://localhost:{}", chat.port);
    let reply = chat.send(
        "POST",
        "/api/login",
        &[("Origin", &origin)],
        br#"{"username":"bob","password":"bob-password"}"#,
    );
    assert_eq!(reply.status, 200, "{:?}", reply.message());

    // Malformed messages: bad base64, a short IV, a taken position, a stale key.
    let (mut fields, ciphertext) = bob.seal("<script>alert(1)</script>", Kind::Text, 1, b"x");
    fields["ciphertext"] = json!(STANDARD.encode(&ciphertext));
    let mut bad = fields.clone();
    bad["iv"] = json!("not base64!");
    assert_eq!(bob.post_json("/api/messages", &bad).status, 400);
    bad["iv"] = json!(STANDARD.encode([0u8; 8]));
    assert_eq!(bob.post_json("/api/messages", &bad).status, 400);
    let mut taken = fields.clone();
    taken["position"] = json!(0);
    let reply = bob.post_json("/api/messages", &taken);
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json_body().unwrap()["next_position"], 1);
    let mut stale = fields.clone();
    stale["recipient_key"] = json!("0".repeat(64));
    let reply = bob.post_json("/api/messages", &stale);
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json_body().unwrap()["stale"], "recipient_key");
    assert_eq!(bob.post_json("/api/messages", &fields).status, 201);
    // A key that is not P-256 is refused before it is stored.
    let reply = bob.post_json("/api/keys", &json!({ "spki": STANDARD.encode(b"garbage") }));
    assert_eq!(reply.status, 400);
}

/// `GET /api/words` with these headers, through `chat_get`: its `lang` and its words,
/// once the headers every such reply carries are checked.
fn words(
    chat_get: impl Fn(&[(&str, &str)]) -> Response,
    headers: &[(&str, &str)],
) -> (String, Value) {
    let reply = chat_get(headers);
    assert_eq!(reply.status, 200, "{:?}", reply.message());
    assert_eq!(reply.headers.get("content-security-policy"), Some(CSP));
    assert_eq!(reply.headers.get("vary"), Some("Accept-Language"));
    let body = reply.json_body().unwrap();
    let lang = body["lang"].as_str().unwrap().to_string();
    assert_eq!(reply.headers.get("content-language"), Some(lang.as_str()));
    (lang, body["words"].clone())
}

const FRENCH_BROWSER: (&str, &str) = ("Accept-Language", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7");
const ENGLISH_BROWSER: (&str, &str) = ("Accept-Language", "en-GB,en;q=0.9,fr;q=0.8");
const SAFETY_FR: &str = "Numéro de sécurité avec {peer}. Lisez-le-vous l’un à l’autre\u{a0}: s’il diffère, quelqu’un vous a remis une clé qui n’est pas la sienne.";
const SAFETY_EN: &str = "Safety number with {peer}. Read it to each other: if it differs, someone handed you a key that is not theirs.";

#[test]
fn the_page_words_follow_the_browsers_accept_language_else_the_servers_language() {
    let english_server = TestChat::fast();
    let get = |headers: &[(&str, &str)]| english_server.send("GET", "/api/words", headers, b"");
    let (lang, fr) = words(get, &[FRENCH_BROWSER]);
    assert_eq!(lang, "fr");
    assert_eq!(fr["webchat-safety-number"], SAFETY_FR);
    assert_eq!(fr["webchat-log-in-title"], "Connexion");
    let (lang, en) = words(get, &[ENGLISH_BROWSER]);
    assert_eq!(lang, "en");
    assert_eq!(en["webchat-safety-number"], SAFETY_EN);
    assert_eq!(en["webchat-log-in-title"], "Log in");
    // The same words in both languages, each of them translated.
    let keys = |words: &Value| {
        words
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&fr), keys(&en));
    let untranslated: Vec<_> = keys(&fr)
        .into_iter()
        .filter(|k| {
            fr[k] == en[k] && !["webchat-contacts", "webchat-message"].contains(&k.as_str())
        })
        .collect();
    assert!(untranslated.is_empty(), "{untranslated:?}");
    // Neither French nor English asked for, or no header: the server's language.
    assert_eq!(words(get, &[("Accept-Language", "de-DE,de;q=0.9")]).0, "en");
    assert_eq!(words(get, &[]).0, "en");
    // A server whose language is French (--lang fr) answers an English browser in English.
    let french_server = TestChat::start(ChatOptions {
        iterations: MIN_ITERATIONS,
        lang: Lang::Fr,
        ..ChatOptions::default()
    });
    let get = |headers: &[(&str, &str)]| french_server.send("GET", "/api/words", headers, b"");
    assert_eq!(words(get, &[]).0, "fr");
    assert_eq!(words(get, &[("Accept-Language", "de")]).0, "fr");
    assert_eq!(words(get, &[ENGLISH_BROWSER]).0, "en");
    // The API's errors stay English whatever the browser's language: the page words them.
    let reply = english_server.send(
        "POST",
        "/api/login",
        &[("X-Squirrel-Chat", "1"), FRENCH_BROWSER],
        br#"{"username":"nobody","password":"wrong password"}"#,
    );
    assert_eq!(reply.status, 401);
    assert_eq!(reply.message().unwrap(), "wrong user name or password");
}

#[test]
fn the_served_page_speaks_the_language_of_lang_or_of_the_locale() {
    // (flags before the command, environment, the language served)
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 3] = [
        (&["--lang", "fr"], &[], "fr"),
        (&[], &[("LC_ALL", ""), ("LANG", "fr_FR.UTF-8")], "fr"),
        (&["--lang", "en"], &[("LC_ALL", "fr_FR.UTF-8")], "en"),
    ];
    for (lang, envs, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mut args = lang.to_vec();
        args.extend(["web-chat", "serve", "--addr", "127.0.0.1:0"]);
        let server = common::spawn_server(dir.path(), &args, envs);
        let connector = tls::client_connector(&dir.path().join("certs/ca.crt"), None).unwrap();
        let get = |headers: &[(&str, &str)]| {
            let mut stream = tls::connect(
                &connector,
                "localhost",
                server.port,
                Duration::from_secs(10),
            )
            .unwrap();
            let host = format!("localhost:{}", server.port);
            http::write_request(&mut stream, "GET", "/api/words", Some(&host), headers, b"")
                .unwrap();
            http::read_response(&mut stream, 1 << 20).unwrap()
        };
        let (served, words_served) = words(get, &[]);
        assert_eq!(served, expected, "squirrel {args:?} with {envs:?}");
        let safety = if expected == "fr" {
            SAFETY_FR
        } else {
            SAFETY_EN
        };
        assert_eq!(words_served["webchat-safety-number"], safety);
        // The browser's language still comes first.
        assert_eq!(words(get, &[FRENCH_BROWSER]).0, "fr");
        assert_eq!(words(get, &[ENGLISH_BROWSER]).0, "en");
    }
}

#[test]
fn registration_can_be_turned_off_and_teachers_add_users() {
    let chat = TestChat::start(ChatOptions {
        registration: false,
        iterations: MIN_ITERATIONS,
        ..ChatOptions::default()
    });
    let reply = chat.send(
        "POST",
        "/api/register",
        &[("X-Squirrel-Chat", "1")],
        br#"{"username":"alice","password":"alice-password"}"#,
    );
    assert_eq!(reply.status, 403);
    assert!(reply.message().unwrap().contains("web-chat adduser"));
    let server = chat
        .send("GET", "/api/server", &[], b"")
        .json_body()
        .unwrap();
    assert_eq!(server["registration"], false);
    // The page checks a new password's length against the server's own minimum.
    assert_eq!(server["min_password"], MIN_PASSWORD);
}

#[test]
fn the_evil_server_reads_and_re_encrypts_and_the_safety_numbers_differ() {
    let chat = TestChat::start(ChatOptions {
        evil: true,
        iterations: MIN_ITERATIONS,
        ..ChatOptions::default()
    });
    let mut alice = chat.user("alice", "alice-password");
    let mut bob = chat.user("bob", "bob-password");
    alice.publish();
    bob.publish();
    assert_eq!(alice.send_text("bob", 0, "fluffy tail").status, 201);
    // The chat still works both ways…
    assert_eq!(bob.read("alice")[0].1, b"fluffy tail");
    assert_eq!(alice.read("bob")[0].1, b"fluffy tail");
    // …but each side was handed a key that is not the other's.
    let bob_real = crypto::spki(&bob.key).unwrap();
    let alice_real = crypto::spki(&alice.key).unwrap();
    let (_, bob_as_alice_sees_him) = alice.key_of("bob");
    let (_, alice_as_bob_sees_her) = bob.key_of("alice");
    assert_ne!(bob_as_alice_sees_him, bob_real);
    assert_ne!(alice_as_bob_sees_her, alice_real);
    let on_alices_page = crypto::safety_number(&alice_real, &bob_as_alice_sees_him).unwrap();
    let on_bobs_page = crypto::safety_number(&bob_real, &alice_as_bob_sees_her).unwrap();
    assert_ne!(on_alices_page, on_bobs_page);
    // Each sees their own key unchanged.
    assert_eq!(alice.key_of("alice").1, alice_real);
}

#[test]
fn dump_shows_users_keys_and_ciphertext_sizes_only() {
    let chat = TestChat::fast();
    let mut alice = chat.user("alice", "alice-password");
    let mut bob = chat.user("bob", "bob-password");
    let alice_key = alice.publish();
    bob.publish();
    alice.send_text("bob", 0, "fluffy tail");
    let report = squirrel::webchat::dump::dump(&chat.data_dir()).unwrap();
    assert!(report.contains("Users (2)"), "{report}");
    assert!(report.contains(&squirrel::webchat::dump::short_fingerprint(&alice_key)));
    let line = report
        .lines()
        .find(|l| l.contains("alice → bob"))
        .unwrap_or_else(|| panic!("{report}"));
    // 11 bytes of text + 16 of tag.
    assert!(line.contains(" 27 B "), "{line}");
    assert!(!report.contains("fluffy"), "{report}");
    let mut raw = Vec::new();
    std::fs::File::open(chat.data_dir().join("chat.sqlite3"))
        .unwrap()
        .read_to_end(&mut raw)
        .unwrap();
    assert!(!raw.is_empty());
}

#[test]
fn adduser_and_dump_commands_say_what_they_did() {
    let dir = tempfile::tempdir().unwrap();
    let password = [("SQUIRREL_PASSWORD", "teacher-made")];
    let out = common::run(dir.path(), &["web-chat", "adduser", "nutkin"], &password);
    assert!(
        common::ok(&out).contains("Added nutkin to chat-data/chat.sqlite3"),
        "{}",
        common::text(&out.stdout)
    );
    let again = common::run(dir.path(), &["9", "adduser", "nutkin"], &password);
    assert_eq!(again.status.code(), Some(1));
    assert!(common::text(&again.stderr).starts_with("error: the user nutkin already exists"));
    let short = common::run(
        dir.path(),
        &["web-chat", "adduser", "twinkleberry"],
        &[("SQUIRREL_PASSWORD", "short")],
    );
    assert_eq!(short.status.code(), Some(1));
    assert!(common::text(&short.stderr).contains("at least 8 characters"));
    let dump = common::ok(&common::run(dir.path(), &["web-chat", "dump"], &[]));
    assert!(dump.contains("Users (1)"), "{dump}");
    assert!(dump.contains("nutkin"), "{dump}");
    assert!(!dump.contains("teacher-made"), "{dump}");
    let nowhere = common::run(dir.path(), &["web-chat", "dump", "--data-dir", "nope"], &[]);
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(common::text(&nowhere.stderr).contains("hint: start the server once"));
}

/// The first `n` lines `squirrel ARGS` prints on stdout (a server: its banner) and, on
/// stderr, with `until`, its lines up to the first holding it (its log goes on as long
/// as it runs); then the process is stopped.
fn first_lines(
    dir: &std::path::Path,
    args: &[&str],
    n: usize,
    until: Option<&str>,
) -> (Vec<String>, Vec<String>) {
    use std::io::BufRead;
    let mut child = common::squirrel(dir, args, &[])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let lines: Vec<String> = stdout.lines().take(n).map(Result::unwrap).collect();
    let mut said = Vec::new();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    for line in stderr.lines().take_while(|_| until.is_some()) {
        let line = line.unwrap();
        let done = until.is_some_and(|until| line.contains(until));
        said.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    (lines, said)
}

#[test]
fn web_chat_speaks_french_with_lang_fr_and_english_without() {
    let dir = tempfile::tempdir().unwrap();
    // The development certificates first, so the banner is the first thing said.
    let (made, _) = first_lines(
        dir.path(),
        &["web-chat", "serve", "--addr", "127.0.0.1:0"],
        1,
        None,
    );
    assert!(made[0].starts_with("Created the CA"), "{made:?}");
    let (banner, stderr) = first_lines(
        dir.path(),
        &[
            "--lang",
            "fr",
            "web-chat",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--evil",
        ],
        3,
        Some("MODE"),
    );
    let port = banner[0]
        .split("https://localhost:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("{banner:?}"));
    assert_eq!(
        banner,
        [
            format!(
                "web-chat\u{a0}: en service sur https://localhost:{port}/ (4 workers\u{202f}; données \
                 dans chat-data/chat.sqlite3, certificat certs/server.crt) — arrêtez avec Ctrl-C."
            ),
            format!(
                "Ouvrez https://localhost:{port}/ pour un utilisateur et https://127.0.0.1:{port}/ \
                 pour un autre\u{a0}: deux origines, deux connexions et deux magasins de clés séparés."
            ),
            "Le navigateur doit faire confiance à la CA des écureuils\u{a0}: squirrel ca install \
             (ne passez jamais outre l'avertissement)."
                .to_string(),
        ]
    );
    assert!(
        stderr.last().is_some_and(
            |l| l.starts_with("avertissement\u{a0}: MODE MALVEILLANT\u{a0}: ce serveur")
        ),
        "{stderr:?}"
    );

    // An error with its hint, in French, then in English without --lang.
    let fr = common::run(
        dir.path(),
        &["--lang", "fr", "web-chat", "dump", "--data-dir", "nope"],
        &[],
    );
    assert_eq!(fr.status.code(), Some(1));
    assert_eq!(
        common::text(&fr.stderr),
        "erreur\u{a0}: il n'y a pas de base de données du chat dans nope\n\
         conseil\u{a0}: lancez le serveur une fois (squirrel web-chat serve), ou indiquez le \
         dossier avec --data-dir\n"
    );
    let en = common::run(dir.path(), &["web-chat", "dump", "--data-dir", "nope"], &[]);
    assert_eq!(
        common::text(&en.stderr),
        "error: there is no chat database in nope\n\
         hint: start the server once (squirrel web-chat serve), or pass the folder with \
         --data-dir\n"
    );

    // What the server holds, in French.
    let password = [("SQUIRREL_PASSWORD", "teacher-made")];
    common::ok(&common::run(
        dir.path(),
        &["--lang", "fr", "web-chat", "adduser", "nutkin"],
        &password,
    ));
    let dump = common::ok(&common::run(
        dir.path(),
        &["--lang", "fr", "web-chat", "dump"],
        &[],
    ));
    assert!(
        dump.contains("Utilisateurs (1)\u{a0}: un vérificateur de mot de passe chacun"),
        "{dump}"
    );
    assert!(dump.contains("clé pas encore"), "{dump}");
    assert!(
        dump.contains("Messages (0)\u{a0}: AES-256-GCM, IV de 12 octets"),
        "{dump}"
    );
}
