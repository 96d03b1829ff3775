//! Lesson 09 — the browser chat, in real browsers: headless Chromium, two profiles
//! (alice and bob, each with its own HOME, NSS database and profile), the squirrels' CA
//! trusted with `squirrel ca install`, no connection beyond loopback, a deadline on
//! every step. The server is the `squirrel web-chat serve` command itself.
//!
//! The HTTP API's every error is tested without a browser in `tests/webchat_api.rs`.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use common::browser::{nss_trust, Browser, BrowserOptions};
use common::chat::ChatConnection;
use common::prereq::{CERTUTIL, CHROMEDRIVER, CHROMIUM, PY_SELENIUM};
use common::text::TextRun;
use common::{files_under, ok, run, spawn_server, Spawned};
use squirrel::webchat::crypto::{self, ImagePlaintext, Kind};
use squirrel::webchat::storage::Storage;

/// How long one step in the page may take (a poll runs every second).
const STEP: Duration = Duration::from_secs(20);

/// A chat server (the real command) in a folder of its own.
struct Server {
    dir: tempfile::TempDir,
    spawned: Spawned,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["web-chat", "serve", "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        // On first start it makes the development CA and server certificate in certs/.
        let spawned = spawn_server(dir.path(), &args, &[]);
        Server { dir, spawned }
    }

    fn url(&self, host: &str) -> String {
        format!("https://{host}:{}/", self.spawned.port)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("chat-data")
    }

    /// A browser whose HOME trusts the squirrels' CA, put there by `squirrel ca install`.
    fn browser(&self, who: &str) -> Browser {
        self.browser_with(who, &[])
    }

    /// [`Server::browser`] with more Chromium flags.
    fn browser_with(&self, who: &str, args: &[&str]) -> Browser {
        let home = self.dir.path().join(format!("home-{who}"));
        nss_trust(&home, &self.dir.path().join("certs"), true);
        let mut options = BrowserOptions::new(&home);
        options.args = args.iter().map(|a| a.to_string()).collect();
        Browser::start(&options)
    }
}

/// One user's page.
struct Page {
    browser: Browser,
    user: String,
}

impl Page {
    /// Opens the chat at `url` and registers `user`; the page makes its key.
    fn register(browser: Browser, url: &str, user: &str) -> Page {
        let mut page = Page {
            browser,
            user: user.to_string(),
        };
        page.browser.get(url).unwrap();
        let secure = page.browser.eval("return window.isSecureContext;", &[]);
        assert_eq!(secure, true, "{url} is not a secure context");
        page.wait(
            "!document.getElementById('login-view').hidden",
            "the login form",
        );
        page.browser.eval(
            "document.getElementById('username').value = arguments[0];
             document.getElementById('password').value = arguments[1];
             document.getElementById('register-button').click();",
            &[json!(user), json!(format!("{user} password"))],
        );
        page.wait(
            "document.getElementById('my-key').textContent !== ''",
            "the registration and the key",
        );
        page
    }

    fn wait(&mut self, condition: &str, what: &str) {
        let what = format!("{what} on {}'s page", self.user);
        self.browser.wait_until(condition, STEP, &what);
    }

    /// Opens the conversation with `peer`, once the contact list shows them.
    fn pick(&mut self, peer: &str) {
        let find = "Array.from(document.querySelectorAll('#contacts button'))
                    .find((b) => b.dataset.name === arguments[0])";
        // The contact list is refreshed every 5 s.
        let start = std::time::Instant::now();
        while self
            .browser
            .eval(&format!("return !!{find};"), &[json!(peer)])
            != true
        {
            assert!(
                start.elapsed() < STEP,
                "{peer} never appeared in {}'s contacts",
                self.user
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        self.browser
            .eval(&format!("{find}.click();"), &[json!(peer)]);
        self.wait(
            "!document.getElementById('safety').hidden",
            "the safety number",
        );
    }

    fn send_text(&mut self, text: &str) {
        self.browser.eval(
            "document.getElementById('message-text').value = arguments[0];
             document.getElementById('send-form').requestSubmit();",
            &[json!(text)],
        );
    }

    /// Picks a file in the image input, as a user would with the file chooser.
    fn send_image(&mut self, name: &str, bytes: &[u8]) {
        self.browser.eval(
            "const bytes = Uint8Array.from(atob(arguments[1]), (c) => c.charCodeAt(0));
             const transfer = new DataTransfer();
             transfer.items.add(new File([bytes], arguments[0], { type: 'image/png' }));
             const input = document.getElementById('image-input');
             input.files = transfer.files;
             input.dispatchEvent(new Event('change'));",
            &[json!(name), json!(STANDARD.encode(bytes))],
        );
    }

    /// The messages on the page: `[status, kind, text or file name]` each.
    fn messages(&mut self) -> Vec<Value> {
        let shown = self.browser.eval(
            "return Array.from(document.querySelectorAll('#messages li')).map((li) => [
                 li.dataset.status, li.dataset.kind,
                 (li.querySelector('.text, .file-name, .failed') || li).textContent]);",
            &[],
        );
        shown.as_array().cloned().unwrap_or_default()
    }

    fn safety_number(&mut self) -> String {
        let number = self.browser.eval(
            "return document.getElementById('safety-number').textContent;",
            &[],
        );
        number.as_str().unwrap().to_string()
    }

    /// The text of the first element `selector` matches.
    fn text_of(&mut self, selector: &str) -> String {
        let text = self.browser.eval(
            "return document.querySelector(arguments[0]).textContent;",
            &[json!(selector)],
        );
        text.as_str().unwrap_or_default().to_string()
    }

    fn status_line(&mut self) -> String {
        let status = self
            .browser
            .eval("return document.getElementById('status').textContent;", &[]);
        status.as_str().unwrap_or_default().to_string()
    }
}

/// A real PNG of `width`×2 pixels (8-bit RGB, stored through zlib), which the browser
/// decodes: its `naturalWidth` proves the decrypted bytes are the image.
fn png(width: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut rows = Vec::new();
    for y in 0..2u32 {
        rows.push(0); // filter: none
        for x in 0..width {
            rows.extend_from_slice(&[(x * 7) as u8, (y * 90) as u8, 0xa0]);
        }
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::none());
    std::io::Write::write_all(&mut zlib, &rows).unwrap();
    let idat = zlib.finish().unwrap();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

const ALICE: &str = "alice";
const BOB: &str = "bob<script>alert(1)</script>";

fn alice_and_bob_chat_end_to_end_and_the_server_keeps_only_ciphertext() {
    let server = Server::start(&[]);
    // Two profiles, two origins: alice on localhost, bob on 127.0.0.1.
    let mut alice = Page::register(server.browser("alice"), &server.url("localhost"), ALICE);
    let mut bob = Page::register(server.browser("bob"), &server.url("127.0.0.1"), BOB);
    alice.pick(BOB);
    bob.pick(ALICE);

    let text = "fluffy tail <script>alert('xss')</script>";
    let image = png(37);
    let image_name = "<img src=x onerror=alert(1)>.png";
    alice.send_text(text);
    alice.wait(
        "document.querySelectorAll('#messages li').length === 1",
        "the sent text",
    );
    alice.send_image(image_name, &image);
    bob.wait(
        "document.querySelectorAll('#messages li[data-status=decrypted]').length === 2
         && document.querySelector('#messages img') !== null
         && document.querySelector('#messages img').complete",
        "both messages, decrypted",
    );
    assert_eq!(
        bob.messages(),
        vec![
            json!(["decrypted", "text", text]),
            json!(["decrypted", "image", image_name]),
        ],
        "status line: {}",
        bob.status_line()
    );
    let width = bob.browser.eval(
        "return document.querySelector('#messages img').naturalWidth;",
        &[],
    );
    assert_eq!(width, 37, "the decrypted image does not display");
    let src = bob
        .browser
        .eval("return document.querySelector('#messages img').src;", &[]);
    assert!(src.as_str().unwrap().starts_with("blob:"), "{src}");
    // Markup arrived as text: no element was made from it.
    let made = bob.browser.eval(
        "return document.querySelectorAll('#messages script, #messages img[src=x], #contacts script').length;",
        &[],
    );
    assert_eq!(made, 0);
    alice.wait(
        "document.querySelectorAll('#messages li[data-status=decrypted]').length === 2",
        "her own messages, decrypted",
    );

    // Both pages show the same safety number, the one Rust computes from the two
    // public keys the server holds: the format is the same on both sides.
    let on_alices_page = alice.safety_number();
    assert_eq!(on_alices_page, bob.safety_number());
    let storage = Storage::open_read_only(&server.data_dir()).unwrap();
    let alice_spki = storage.current_key(ALICE).unwrap().unwrap().spki;
    let bob_spki = storage.current_key(BOB).unwrap().unwrap().spki;
    assert_eq!(
        on_alices_page,
        crypto::safety_number(&alice_spki, &bob_spki).unwrap()
    );
    drop(storage);

    // The private key cannot leave the browser: not even the page can export it.
    let export = alice.browser.eval_async(
        "const done = arguments[arguments.length - 1];
         import('/keystore.js').then((store) => store.loadKeyPair(arguments[0]))
           .then((pair) => crypto.subtle.exportKey('pkcs8', pair.privateKey)
             .then(() => done('exported'), (e) => done([e.name, pair.privateKey.extractable])));",
        &[json!(ALICE)],
    );
    assert_eq!(export, json!(["InvalidAccessError", false]));

    // Nothing the server wrote holds the text, the image, or a private key.
    let files = files_under(&server.data_dir());
    assert!(!files.is_empty());
    // The start of a PKCS#8 P-256 private key (RFC 5915 inside RFC 5208), in DER; and
    // a JWK's private part.
    let pkcs8_p256 = [
        0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    ];
    let secrets: [(&str, &[u8]); 6] = [
        ("the text", b"fluffy tail"),
        ("the image", &image[8..]),
        ("the image's name", b"onerror"),
        ("a password", b"alice password"),
        ("a PKCS#8 private key", &pkcs8_p256),
        ("a JWK private key", b"\"d\":"),
    ];
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for (what, secret) in secrets {
            assert!(!contains(&bytes, secret), "{what} is in {}", path.display());
        }
    }

    // `web-chat dump`: the lesson's "what the server sees".
    let dump = ok(&run(
        server.dir.path(),
        &[
            "web-chat",
            "dump",
            "--data-dir",
            server.data_dir().to_str().unwrap(),
        ],
        &[],
    ));
    assert!(dump.contains("Messages (2)"), "{dump}");
    assert!(dump.contains(&format!("{ALICE} → {BOB}  text")), "{dump}");
    assert!(!dump.contains("fluffy"), "{dump}");
}

fn the_page_decrypts_what_openssl_encrypted_and_the_reverse() {
    let server = Server::start(&[]);
    let mut browser = server.browser("alice");
    browser.get(&server.url("localhost")).unwrap();
    // The page's crypto.js, by itself: a key pair made by WebCrypto.
    let browser_spki = browser.eval_async(
        "const done = arguments[arguments.length - 1];
         import('/crypto.js').then(async (e2e) => {
           window.e2e = e2e;
           window.pair = await e2e.generateKeyPair();
           const spki = await e2e.exportPublicKey(window.pair.publicKey);
           done(btoa(String.fromCharCode(...spki)));
         }).catch((e) => done('failed: ' + e));",
        &[],
    );
    let browser_spki = STANDARD.decode(browser_spki.as_str().unwrap()).unwrap();
    let rust_key = crypto::generate_key().unwrap();
    let rust_spki = crypto::spki(&rust_key).unwrap();
    let key = crypto::pair_key(&rust_key, &browser_spki, "openssl", "webcrypto").unwrap();

    // OpenSSL → WebCrypto: a text and an image, as the evil server would send them.
    let iv = crypto::random_iv().unwrap();
    let aad = crypto::associated_data(Kind::Text, "openssl", "webcrypto", 7);
    let sealed_text = crypto::seal(&key, &iv, &aad, "fluffy tail ✓".as_bytes()).unwrap();
    let image = ImagePlaintext {
        name: "acorn <1>.png".into(),
        mime: "image/png".into(),
        bytes: png(3),
    };
    let image_iv = crypto::random_iv().unwrap();
    let image_aad = crypto::associated_data(Kind::Image, "openssl", "webcrypto", 8);
    let sealed_image = crypto::seal(&key, &image_iv, &image_aad, &image.encode()).unwrap();
    let opened = browser.eval_async(
        "const [spki, iv, text, imageIv, image, done] = arguments;
         const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
         (async () => {
           const peer = await e2e.importPublicKey(bytes(spki));
           const key = await e2e.pairKey(pair.privateKey, peer, 'webcrypto', 'openssl');
           const plain = await e2e.decrypt(key, bytes(iv), bytes(text),
             e2e.associatedData('text', 'openssl', 'webcrypto', 7));
           const img = e2e.parseImagePlaintext(await e2e.decrypt(key, bytes(imageIv), bytes(image),
             e2e.associatedData('image', 'openssl', 'webcrypto', 8)));
           let moved = 'decrypted';
           await e2e.decrypt(key, bytes(iv), bytes(text), e2e.associatedData('text', 'openssl', 'webcrypto', 8))
             .catch((e) => { moved = e.name; });
           const safety = await e2e.safetyNumber(bytes(spki), await e2e.exportPublicKey(pair.publicKey));
           done([new TextDecoder().decode(plain), img.name, img.type, btoa(String.fromCharCode(...img.bytes)), moved, safety]);
         })().catch((e) => done('failed: ' + e));",
        &[
            json!(STANDARD.encode(&rust_spki)),
            json!(STANDARD.encode(iv)),
            json!(STANDARD.encode(&sealed_text)),
            json!(STANDARD.encode(image_iv)),
            json!(STANDARD.encode(&sealed_image)),
        ],
    );
    assert_eq!(
        opened,
        json!([
            "fluffy tail ✓",
            image.name,
            image.mime,
            STANDARD.encode(&image.bytes),
            "OperationError",
            crypto::safety_number(&rust_spki, &browser_spki).unwrap(),
        ])
    );

    // WebCrypto → OpenSSL.
    let sealed = browser.eval_async(
        "const [spki, done] = arguments;
         const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
         const b64 = (u8) => btoa(String.fromCharCode(...u8));
         (async () => {
           const peer = await e2e.importPublicKey(bytes(spki));
           const key = await e2e.pairKey(pair.privateKey, peer, 'webcrypto', 'openssl');
           const image = e2e.imagePlaintext('nut.gif', 'image/gif', new Uint8Array([71, 73, 70, 56, 0, 255]));
           const text = await e2e.encrypt(key, new TextEncoder().encode('back from the browser'),
             e2e.associatedData('text', 'webcrypto', 'openssl', 9));
           const img = await e2e.encrypt(key, image, e2e.associatedData('image', 'webcrypto', 'openssl', 10));
           done([b64(text.iv), b64(text.ciphertext), b64(img.iv), b64(img.ciphertext)]);
         })().catch((e) => done('failed: ' + e));",
        &[json!(STANDARD.encode(&rust_spki))],
    );
    let part = |i: usize| STANDARD.decode(sealed[i].as_str().unwrap()).unwrap();
    let text = crypto::open(
        &key,
        &part(0),
        &crypto::associated_data(Kind::Text, "webcrypto", "openssl", 9),
        &part(1),
    )
    .unwrap();
    assert_eq!(text, b"back from the browser");
    let image = crypto::open(
        &key,
        &part(2),
        &crypto::associated_data(Kind::Image, "webcrypto", "openssl", 10),
        &part(3),
    )
    .unwrap();
    assert_eq!(
        ImagePlaintext::decode(&image).unwrap(),
        ImagePlaintext {
            name: "nut.gif".into(),
            mime: "image/gif".into(),
            bytes: vec![71, 73, 70, 56, 0, 255],
        }
    );
    assert_eq!(part(0).len(), crypto::IV_LEN);
}

fn the_evil_server_is_caught_by_the_safety_numbers() {
    let server = Server::start(&["--evil"]);
    let mut alice = Page::register(server.browser("alice"), &server.url("localhost"), ALICE);
    let mut bob = Page::register(server.browser("bob"), &server.url("localhost"), "bob");
    alice.pick("bob");
    bob.pick(ALICE);
    alice.send_text("fluffy tail");
    bob.wait(
        "document.querySelectorAll('#messages li[data-status=decrypted]').length === 1",
        "the message the man in the middle re-encrypted",
    );
    assert_eq!(
        bob.messages(),
        vec![json!(["decrypted", "text", "fluffy tail"])]
    );
    let (on_alices_page, on_bobs_page) = (alice.safety_number(), bob.safety_number());
    assert_eq!(on_alices_page.split(' ').count(), 12);
    assert_ne!(on_alices_page, on_bobs_page, "the lie went unnoticed");
    // What the two real keys give: what both would have seen without the lie.
    let storage = Storage::open_read_only(&server.data_dir()).unwrap();
    let honest = crypto::safety_number(
        &storage.current_key(ALICE).unwrap().unwrap().spki,
        &storage.current_key("bob").unwrap().unwrap().spki,
    )
    .unwrap();
    assert_ne!(on_alices_page, honest);
    assert_ne!(on_bobs_page, honest);
}

const TEXT: &str = "lessons/09-browser-chat.md";

/// What the text's readers do in their browsers before `web-chat dump`: alice and bob
/// register and publish their keys, and alice sends bob `fluffy tail` and a picture —
/// here through the API, with the page's format made by OpenSSL (the tests above hold
/// the page to that format).
fn alice_and_bob_chat(dir: &std::path::Path, port: u16) {
    let chat = ChatConnection::new(&dir.join("certs/ca.crt"), port);
    let mut alice = chat.user("alice", "alice's long password");
    alice.publish();
    let mut bob = chat.user("bob", "bob's long password");
    bob.publish();
    assert_eq!(alice.send_text("bob", 0, "fluffy tail").status, 201);
    // 666 bytes: 722 once framed ({"name":…,"type":…}, a 0) and sealed (16 of tag).
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(666, 0);
    let image = ImagePlaintext {
        name: "acorn.png".into(),
        mime: "image/png".into(),
        bytes,
    };
    assert_eq!(alice.send_image("bob", 1, &image).status, 201);
}

fn every_command_of_the_text_runs_and_prints_what_it_shows() {
    // Its capture section holds only a browser window (the Chromium tests of this file
    // drive one headless), so it has no live capture to run.
    TextRun::new(TEXT)
        .before("cargo run -- web-chat dump", alice_and_bob_chat)
        .commands();
}

fn every_command_of_the_french_text_runs_and_prints_what_it_shows() {
    TextRun::new(TEXT)
        .in_french()
        .before("cargo run -- web-chat dump", alice_and_bob_chat)
        .commands();
}

/// Chromium's flag for the languages its requests ask for, as a French Chromium sends
/// them (on Linux `--lang` changes neither `Accept-Language` nor `navigator.languages`).
const FRENCH_CHROMIUM: &str = "--accept-lang=fr-FR,fr,en-US,en";

fn a_french_browser_shows_the_french_page_and_the_chat_still_works() {
    // The server speaks English (the tests' locale): the browser's language decides.
    let server = Server::start(&[]);
    let url = server.url("localhost");
    let mut browser = server.browser_with("alice", &[FRENCH_CHROMIUM]);
    browser.get(&url).unwrap();
    let language = browser.eval("return navigator.language;", &[]);
    assert_eq!(language, "fr-FR", "the browser does not ask for French");
    browser.wait_until(
        "!document.getElementById('login-view').hidden",
        STEP,
        "the login form",
    );
    let shown = browser.eval(
        "return [document.documentElement.lang, document.title,
                 document.querySelector('#login-view h2').textContent,
                 document.getElementById('register-button').textContent];",
        &[],
    );
    assert_eq!(
        shown,
        json!(["fr", "Chat squirrel", "Connexion", "S’inscrire"])
    );
    // The errors the page knows, in French, though the server's messages are English:
    // a refused login, a name the server refuses, a password the page finds too short.
    let refusals = [
        ("alice", "not her password", "login-button", "nom d’utilisateur ou mot de passe incorrect"),
        (
            "alice et bob",
            "long enough password",
            "register-button",
            "le nom d’utilisateur alice et bob est refusé\u{a0}: utilisez de 1 à 32\u{a0}caractères \
             ASCII visibles (lettres, chiffres, ponctuation), sans espace",
        ),
        ("alice", "short", "register-button", "le mot de passe doit faire au moins 8\u{a0}caractères"),
    ];
    for (user, password, button, said) in refusals {
        let status = browser.eval_async(
            "const [user, password, button, done] = arguments;
             const status = document.getElementById('status');
             document.getElementById('username').value = user;
             document.getElementById('password').value = password;
             new MutationObserver(() => status.textContent && done(status.textContent))
               .observe(status, { childList: true, characterData: true, subtree: true });
             document.getElementById(button).click();",
            &[json!(user), json!(password), json!(button)],
        );
        assert_eq!(status, said, "{button} as {user:?}");
    }

    let mut alice = Page::register(browser, &url, ALICE);
    let mut bob = Page::register(server.browser("bob"), &server.url("127.0.0.1"), "bob");
    alice.pick("bob");
    bob.pick(ALICE);
    assert_eq!(
        alice.text_of("#safety-sentence"),
        "Numéro de sécurité avec bob. Lisez-le-vous l’un à l’autre\u{a0}: s’il diffère, \
         quelqu’un vous a remis une clé qui n’est pas la sienne."
    );
    assert_eq!(alice.text_of("#safety-sentence > strong"), "bob");
    assert_eq!(alice.text_of("#who"), "Session de alice");
    // Bob's browser asks for English: his page stays English.
    assert_eq!(
        bob.text_of("#safety-sentence"),
        "Safety number with alice. Read it to each other: if it differs, \
         someone handed you a key that is not theirs."
    );
    // And the chat works as in English: the same safety number, messages both ways.
    assert_eq!(alice.safety_number(), bob.safety_number());
    alice.send_text("fluffy tail");
    bob.wait(
        "document.querySelectorAll('#messages li[data-status=decrypted]').length === 1",
        "alice's message, decrypted",
    );
    bob.send_text("queue touffue");
    alice.wait(
        "document.querySelectorAll('#messages li[data-status=decrypted]').length === 2",
        "both messages, decrypted",
    );
    assert_eq!(
        alice.messages(),
        vec![
            json!(["decrypted", "text", "fluffy tail"]),
            json!(["decrypted", "text", "queue touffue"]),
        ],
        "status line: {}",
        alice.status_line()
    );
}

test_main! {
    alice_and_bob_chat_end_to_end_and_the_server_keeps_only_ciphertext: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL],
    the_page_decrypts_what_openssl_encrypted_and_the_reverse: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL],
    the_evil_server_is_caught_by_the_safety_numbers: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL],
    every_command_of_the_text_runs_and_prints_what_it_shows: [CERTUTIL],
    every_command_of_the_french_text_runs_and_prints_what_it_shows: [CERTUTIL],
    a_french_browser_shows_the_french_page_and_the_chat_still_works: [CHROMIUM, CHROMEDRIVER, PY_SELENIUM, CERTUTIL],
}
