//! The chat server as a [`Handler`]: the page's files, and the JSON API under `/api/`.
//!
//! | request | success |
//! |---|---|
//! | `GET /api/server` | `{"registration","max_text","max_image","min_password"}` |
//! | `GET /api/words` | `{"lang","words":{key: text}}`: the page's words in the browser's language ([`crate::webchat::words`]) |
//! | `POST /api/register` `{"username","password"}` | 201 `{"message","user"}` and the session cookie |
//! | `POST /api/login` `{"username","password"}` | `{"message","user"}` and the session cookie |
//! | `POST /api/logout` | `{"message"}`, the cookie cleared |
//! | `GET /api/me` | `{"user","key"}` (`key`: my current key's fingerprint or null) |
//! | `GET /api/users` | `{"users":[{"name","key"}]}`: everyone else |
//! | `POST /api/keys` `{"spki"}` | 201 `{"fingerprint"}`: my public key, now current |
//! | `GET /api/keys?user=NAME` | `{"user","fingerprint","spki","published"}`: NAME's current key |
//! | `GET /api/keys/<fingerprint>` | the same, for that key |
//! | `POST /api/messages` `{"to","position","sender_key","recipient_key","iv","ciphertext"}` | 201 `{"message","id","position","time"}` |
//! | `POST /api/images?to=&position=&sender_key=&recipient_key=&iv=` raw ciphertext | 201, as above |
//! | `GET /api/messages?with=NAME&after=ID` | `{"messages":[…],"more"}`, oldest first |
//! | `GET /api/images/<id>` | the image's ciphertext |
//!
//! Binary values travel as standard base64. The session is a cookie
//! (`__Host-session`, `HttpOnly; Secure; SameSite=Strict; Path=/`); every POST must also
//! carry `X-Squirrel-Chat: 1` or an `Origin` that is this server (CSRF). Every reply
//! carries a Content-Security-Policy without inline script and `nosniff`; every error
//! is JSON `{"message"}`. A message's position is the conversation's next one, or 409
//! with `next_position`: the page fetches and sends again.

use std::net::SocketAddr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http::{ApiError, Request, RequestHead, Response};
use crate::i18n::{Lang, Localized};
use crate::server::{Admission, Handler, Limits};
use crate::tr_in;
use crate::vault::sessions::{short_id, Sessions};
use crate::vault::throttle::LoginThrottle;
use crate::vault::users::{UserError, UserRecord};
use crate::webchat::crypto::{self, Kind, IV_LEN, TAG_LEN};
use crate::webchat::evil::Evil;
use crate::webchat::storage::{check_chat_name, NewMessage, PublicKeyRow, Storage, StorageError};
use crate::webchat::{page, words};
use crate::webchat::{ChatOptions, MAX_TEXT};

/// The session cookie's name. `__Host-` makes the browser refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`: no other site or subdomain can plant one.
pub const SESSION_COOKIE: &str = "__Host-session";

/// The header the page sends with every POST: a cross-site form cannot send it, and a
/// cross-site script would need a CORS preflight this server never answers.
pub const CSRF_HEADER: &str = "X-Squirrel-Chat";

/// The Content-Security-Policy of every reply (shared with the tap's live page).
pub use crate::web::CSP;

/// Shortest password accepted at registration, in characters.
pub const MIN_PASSWORD: usize = 8;

/// Most messages one poll returns; the page asks again while `more` is true.
pub const PAGE_SIZE: u32 = 100;

/// Largest body of a request that carries no message (register, login, a key).
const SMALL_BODY: u64 = 16 * 1024;

/// Room for the JSON fields around a text message's base64 ciphertext, in bytes.
const MESSAGE_FIELDS: u64 = 2 * 1024;

/// Room for an image message's header (its name and type) beside the image, in bytes.
pub const IMAGE_HEADER: u64 = 4 * 1024;

impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::BadName(_) => ApiError::new(400, e.to_string()),
            StorageError::Exists(name) => {
                ApiError::new(409, format!("the user name {name} is taken: pick another"))
            }
            StorageError::NoSuchUser(name) => {
                ApiError::new(404, format!("there is no user {name}"))
            }
            StorageError::KeyTaken => ApiError::new(409, e.to_string()),
            StorageError::PositionTaken { next, .. } => ApiError::new(
                409,
                format!("another message took this position: the next one is {next}"),
            )
            .with("next_position", json!(next)),
            other => {
                log::error!("web-chat: storage failure: {other}");
                ApiError::new(
                    500,
                    "the server could not complete the request (see its log)",
                )
            }
        }
    }
}

/// The chat server's state: the database, the sessions, the login throttle, and the man
/// in the middle when `--evil`. Handles requests without a socket.
#[derive(Debug)]
pub struct Chat {
    storage: Storage,
    sessions: Sessions<()>,
    throttle: LoginThrottle,
    options: ChatOptions,
    evil: Option<Evil>,
}

/// What a request's cookie proves.
struct Caller {
    user: String,
}

impl Chat {
    /// A chat over `storage` with these options.
    pub fn new(storage: Storage, options: ChatOptions) -> Self {
        let evil = options.evil.then(Evil::new);
        Chat {
            storage,
            sessions: Sessions::default(),
            throttle: LoginThrottle::default(),
            options,
            evil,
        }
    }

    /// The database.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The largest request body any route takes, in bytes (an image's).
    pub fn largest_body(&self) -> u64 {
        self.options.max_image + IMAGE_HEADER + TAG_LEN as u64
    }

    /// Adds a user (`web-chat adduser`, and registration): checks the name and the
    /// password, derives the verifier (one PBKDF2 run) and stores it.
    pub fn add_user(&self, name: &str, password: &str) -> Result<(), AddUserError> {
        check_chat_name(name)?;
        if password.chars().count() < MIN_PASSWORD {
            return Err(AddUserError::ShortPassword);
        }
        let record = UserRecord::new(password, self.options.iterations)?;
        self.storage.add_user(name, &record)?;
        Ok(())
    }

    fn route(&self, req: &Request, peer: SocketAddr) -> Result<Response, ApiError> {
        let path = req.path();
        let method = req.method.as_str();
        if !path.starts_with("/api/") {
            return match page::file(path) {
                Some(file) if method == "GET" => Ok(crate::web::file_response(file)),
                Some(_) => Err(ApiError::not_allowed(path, method, "GET")),
                None => Err(ApiError::new(404, format!("no page at {path}"))),
            };
        }
        let allow = match path {
            "/api/server" | "/api/words" | "/api/me" | "/api/users" => "GET",
            "/api/register" | "/api/login" | "/api/logout" | "/api/images" => "POST",
            "/api/keys" | "/api/messages" => "GET, POST",
            p if p.starts_with("/api/keys/") || p.starts_with("/api/images/") => "GET",
            _ => return Err(ApiError::new(404, format!("no such endpoint: {path}"))),
        };
        if !allow.split(", ").any(|m| m == method) {
            return Err(ApiError::not_allowed(path, method, allow));
        }
        if method == "POST" {
            check_csrf(req)?;
        }
        match (method, path) {
            ("GET", "/api/server") => Ok(ok(json!({
                "registration": self.options.registration,
                "max_text": MAX_TEXT,
                "max_image": self.options.max_image,
                "min_password": MIN_PASSWORD,
            }))),
            ("GET", "/api/words") => {
                let lang = crate::web::page_lang(req, self.options.lang);
                Ok(crate::web::words_response(lang, &words::words(lang)))
            }
            ("POST", "/api/register") => self.register(req),
            ("POST", "/api/login") => self.login(req, peer),
            ("POST", "/api/logout") => self.logout(req),
            ("GET", "/api/me") => self.me(req),
            ("GET", "/api/users") => self.users(req),
            ("POST", "/api/keys") => self.publish_key(req),
            ("GET", "/api/keys") => self.key_of_user(req),
            ("GET", p) if p.starts_with("/api/keys/") => {
                self.key_by_fingerprint(req, &p["/api/keys/".len()..])
            }
            ("POST", "/api/messages") => self.send_text(req),
            ("GET", "/api/messages") => self.list_messages(req),
            ("POST", "/api/images") => self.send_image(req),
            (_, p) => self.image(req, &p["/api/images/".len()..]),
        }
    }

    fn caller(&self, req: &Request) -> Result<Caller, ApiError> {
        let id = cookie(req, SESSION_COOKIE).ok_or_else(|| ApiError::new(401, "log in first"))?;
        match self.sessions.get(id) {
            Some(session) => Ok(Caller { user: session.user }),
            None => Err(ApiError::new(
                401,
                "your session has ended (logged out, expired, or the server restarted): log in again",
            )),
        }
    }

    fn start_session(&self, user: &str, status: u16, message: &str) -> Response {
        let id = self.sessions.create(user, ());
        log::info!("web-chat: {user} logged in (session {}…)", short_id(&id));
        Response::json(status, &json!({ "message": message, "user": user })).header(
            "Set-Cookie",
            &format!("{SESSION_COOKIE}={id}; HttpOnly; Secure; SameSite=Strict; Path=/"),
        )
    }

    fn register(&self, req: &Request) -> Result<Response, ApiError> {
        if !self.options.registration {
            return Err(ApiError::new(
                403,
                "registration is closed on this server: ask the teacher for an account (squirrel web-chat adduser NAME)",
            ));
        }
        let login: Credentials = parse_json(req, "{\"username\": …, \"password\": …}")?;
        match self.add_user(&login.username, &login.password) {
            Ok(()) => {}
            Err(AddUserError::Storage(e)) => return Err(e.into()),
            Err(AddUserError::ShortPassword) => {
                return Err(ApiError::new(400, AddUserError::ShortPassword.to_string()))
            }
            Err(e @ AddUserError::User(_)) => {
                log::error!("web-chat: cannot register {:?}: {e}", login.username);
                return Err(ApiError::new(
                    500,
                    "the server could not store the password verifier",
                ));
            }
        }
        log::info!("web-chat: {} registered", login.username);
        Ok(self.start_session(
            &login.username,
            201,
            &format!("Welcome, {}", login.username),
        ))
    }

    fn login(&self, req: &Request, peer: SocketAddr) -> Result<Response, ApiError> {
        let login: Credentials = parse_json(req, "{\"username\": …, \"password\": …}")?;
        // A name no one can have is refused before the throttle or the log see it.
        if check_chat_name(&login.username).is_err() {
            return Err(ApiError::new(401, "wrong user name or password"));
        }
        let attempt = self
            .throttle
            .admit("web-chat", &login.username, peer)
            .map_err(ApiError::from)?;
        let record = self.storage.user(&login.username)?;
        // Unknown users cost the same PBKDF2 run as known ones (see UserRecord::dummy).
        let checked = match &record {
            Some(record) => record.check(&login.password).map(drop),
            None => UserRecord::dummy()
                .and_then(|d| d.check(&login.password))
                .and(Err(UserError::BadCredentials)),
        };
        match checked {
            Ok(()) => {
                attempt.succeeded();
                Ok(self.start_session(&login.username, 200, "Logged in"))
            }
            Err(UserError::BadCredentials) => {
                attempt.failed();
                log::info!("web-chat: failed login for {:?}", login.username);
                Err(ApiError::new(401, "wrong user name or password"))
            }
            Err(e) => {
                log::error!("web-chat: login of {:?} failed: {e}", login.username);
                Err(ApiError::new(
                    500,
                    "the server could not check the password",
                ))
            }
        }
    }

    fn logout(&self, req: &Request) -> Result<Response, ApiError> {
        if let Some(id) = cookie(req, SESSION_COOKIE) {
            if let Some(session) = self.sessions.get(id) {
                self.sessions.remove(id);
                log::info!(
                    "web-chat: {} logged out (session {}…)",
                    session.user,
                    short_id(id)
                );
            }
        }
        Ok(ok(json!({ "message": "Logged out" })).header(
            "Set-Cookie",
            &format!("{SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"),
        ))
    }

    fn me(&self, req: &Request) -> Result<Response, ApiError> {
        let caller = self.caller(req)?;
        let key = self.storage.current_key(&caller.user)?;
        Ok(ok(json!({
            "user": caller.user,
            "key": key.map(|k| k.fingerprint),
        })))
    }

    /// The key `viewer` is shown for `row`: the real one, or with `--evil` the server's
    /// stand-in whenever the viewer is not the key's owner.
    fn shown(&self, viewer: &str, row: PublicKeyRow) -> Result<PublicKeyRow, ApiError> {
        match &self.evil {
            Some(evil) if row.user != viewer => evil.stand_in(&row).map_err(|e| {
                log::error!("web-chat (evil): cannot make a key: {e}");
                ApiError::new(
                    500,
                    "the server could not complete the request (see its log)",
                )
            }),
            _ => Ok(row),
        }
    }

    fn users(&self, req: &Request) -> Result<Response, ApiError> {
        let caller = self.caller(req)?;
        let mut users = Vec::new();
        for user in self.storage.users()? {
            if user.name == caller.user {
                continue;
            }
            let key = match self.storage.current_key(&user.name)? {
                Some(row) => Some(self.shown(&caller.user, row)?.fingerprint),
                None => None,
            };
            users.push(json!({ "name": user.name, "key": key }));
        }
        Ok(ok(json!({ "users": users })))
    }

    fn publish_key(&self, req: &Request) -> Result<Response, ApiError> {
        #[derive(Deserialize)]
        struct Publish {
            spki: String,
        }
        let caller = self.caller(req)?;
        let publish: Publish = parse_json(req, "{\"spki\": base64 of the public key}")?;
        let spki = decode_base64(&publish.spki, "spki")?;
        crypto::parse_public_key(&spki).map_err(|e| ApiError::new(400, e.to_string()))?;
        let fingerprint = crypto::fingerprint(&spki);
        let previous = self.storage.current_key(&caller.user)?;
        self.storage
            .publish_key(&caller.user, &spki, &fingerprint)?;
        if previous.as_ref().map(|k| k.fingerprint.as_str()) != Some(fingerprint.as_str()) {
            log::info!(
                "web-chat: {} published the public key {}…",
                caller.user,
                &fingerprint[..16]
            );
        }
        Ok(Response::json(
            201,
            &json!({ "message": "Public key published", "fingerprint": fingerprint }),
        ))
    }

    fn key_of_user(&self, req: &Request) -> Result<Response, ApiError> {
        let caller = self.caller(req)?;
        let user =
            query(req, "user").ok_or_else(|| ApiError::new(400, "name the user: ?user=NAME"))?;
        let row = self.storage.current_key(&user)?.ok_or_else(|| {
            ApiError::new(
                404,
                format!("{user} has no key yet: {user} must log in once first"),
            )
        })?;
        Ok(ok(key_json(&self.shown(&caller.user, row)?)))
    }

    fn key_by_fingerprint(&self, req: &Request, fingerprint: &str) -> Result<Response, ApiError> {
        self.caller(req)?;
        let row = match self.storage.key(fingerprint)? {
            Some(row) => Some(row),
            None => self
                .evil
                .as_ref()
                .and_then(|evil| evil.stand_in_by_fingerprint(fingerprint)),
        };
        let row = row.ok_or_else(|| ApiError::new(404, "no such key"))?;
        Ok(ok(key_json(&row)))
    }

    fn send_text(&self, req: &Request) -> Result<Response, ApiError> {
        #[derive(Deserialize)]
        struct SendText {
            to: String,
            position: u64,
            sender_key: String,
            recipient_key: String,
            iv: String,
            ciphertext: String,
        }
        let caller = self.caller(req)?;
        let send: SendText = parse_json(
            req,
            "{\"to\", \"position\", \"sender_key\", \"recipient_key\", \"iv\", \"ciphertext\"}",
        )?;
        let ciphertext = decode_base64(&send.ciphertext, "ciphertext")?;
        if ciphertext.len() > MAX_TEXT + TAG_LEN {
            return Err(ApiError::new(
                413,
                format!("a message is at most {} KiB", MAX_TEXT / 1024),
            ));
        }
        let iv = decode_base64(&send.iv, "iv")?;
        self.accept(
            &caller,
            NewMessage {
                sender: &caller.user,
                recipient: &send.to,
                position: send.position,
                kind: Kind::Text,
                sender_key: &send.sender_key,
                recipient_key: &send.recipient_key,
                iv: &iv,
                ciphertext: &ciphertext,
            },
        )
    }

    fn send_image(&self, req: &Request) -> Result<Response, ApiError> {
        let caller = self.caller(req)?;
        let field = |name: &str| {
            query(req, name).ok_or_else(|| {
                ApiError::new(
                    400,
                    format!("missing ?{name}= (an image takes to, position, sender_key, recipient_key, iv)"),
                )
            })
        };
        let to = field("to")?;
        let position = field("position")?
            .parse::<u64>()
            .map_err(|_| ApiError::new(400, "position is not a number"))?;
        let sender_key = field("sender_key")?;
        let recipient_key = field("recipient_key")?;
        let iv = decode_base64(&field("iv")?, "iv")?;
        if req.body.len() as u64 > self.largest_body() {
            return Err(ApiError::new(413, "the image is over the limit"));
        }
        self.accept(
            &caller,
            NewMessage {
                sender: &caller.user,
                recipient: &to,
                position,
                kind: Kind::Image,
                sender_key: &sender_key,
                recipient_key: &recipient_key,
                iv: &iv,
                ciphertext: &req.body,
            },
        )
    }

    /// Checks a message against the keys the server knows, stores it (and, `--evil`,
    /// reads and re-encrypts it), and says where it went.
    fn accept(&self, caller: &Caller, message: NewMessage<'_>) -> Result<Response, ApiError> {
        if message.iv.len() != IV_LEN {
            return Err(ApiError::new(400, format!("the IV must be {IV_LEN} bytes")));
        }
        if message.ciphertext.len() < TAG_LEN {
            return Err(ApiError::new(400, "the ciphertext is shorter than its tag"));
        }
        let to = message.recipient;
        check_chat_name(to)?;
        if to == caller.user {
            return Err(ApiError::new(400, "pick someone else to talk to"));
        }
        if self.storage.user(to)?.is_none() {
            return Err(ApiError::new(404, format!("there is no user {to}")));
        }
        let own = self.storage.current_key(&caller.user)?;
        if own.as_ref().map(|k| k.fingerprint.as_str()) != Some(message.sender_key) {
            return Err(ApiError::new(
                409,
                "sender_key is not your current key: publish your key (POST /api/keys) first",
            )
            .with("stale", json!("sender_key")));
        }
        let theirs = self.storage.current_key(to)?.ok_or_else(|| {
            ApiError::new(
                404,
                format!("{to} has no key yet: {to} must log in once first"),
            )
        })?;
        let theirs = self.shown(&caller.user, theirs)?;
        if theirs.fingerprint != message.recipient_key {
            return Err(ApiError::new(
                409,
                format!("{to} has a new key: fetch it (GET /api/keys?user={to}) and encrypt again"),
            )
            .with("stale", json!("recipient_key")));
        }
        let (id, time) = self.storage.add_message(&message)?;
        log::info!(
            "web-chat: {} → {to}: {} at position {} ({} bytes of ciphertext)",
            caller.user,
            message.kind.as_str(),
            message.position,
            message.ciphertext.len()
        );
        if let Some(evil) = &self.evil {
            if let Some(copy) = evil.relay(&self.storage, &message) {
                self.storage.add_relayed(id, &copy)?;
            }
        }
        Ok(Response::json(
            201,
            &json!({ "message": "Sent", "id": id, "position": message.position, "time": time }),
        ))
    }

    fn list_messages(&self, req: &Request) -> Result<Response, ApiError> {
        let caller = self.caller(req)?;
        let with = query(req, "with")
            .ok_or_else(|| ApiError::new(400, "name the other user: ?with=NAME"))?;
        let after = match query(req, "after") {
            Some(after) => after
                .parse::<i64>()
                .map_err(|_| ApiError::new(400, "after is not a message id"))?,
            None => 0,
        };
        if self.storage.user(&with)?.is_none() {
            return Err(ApiError::new(404, format!("there is no user {with}")));
        }
        let rows = self
            .storage
            .messages(&caller.user, &with, after, PAGE_SIZE + 1)?;
        let more = rows.len() > PAGE_SIZE as usize;
        let messages: Vec<Value> = rows
            .into_iter()
            .take(PAGE_SIZE as usize)
            .map(|row| {
                // The recipient of a message the man in the middle re-encrypted gets
                // his copy; the sender sees what she sent.
                let sealed = match row.relayed {
                    Some(copy) if row.recipient == caller.user => copy,
                    _ => row.sealed,
                };
                let mut m = json!({
                    "id": row.id,
                    "from": row.sender,
                    "to": row.recipient,
                    "position": row.position,
                    "kind": row.kind.as_str(),
                    "time": row.time,
                    "sender_key": sealed.sender_key,
                    "recipient_key": sealed.recipient_key,
                    "iv": STANDARD.encode(&sealed.iv),
                    "size": sealed.size,
                });
                match sealed.ciphertext {
                    Some(ciphertext) if row.kind == Kind::Text => {
                        m["ciphertext"] = json!(STANDARD.encode(ciphertext));
                    }
                    _ => m["url"] = json!(format!("/api/images/{}", row.id)),
                }
                m
            })
            .collect();
        Ok(ok(json!({ "messages": messages, "more": more })))
    }

    fn image(&self, req: &Request, id: &str) -> Result<Response, ApiError> {
        let caller = self.caller(req)?;
        let not_found = || ApiError::new(404, "no such image");
        let id: i64 = id.parse().map_err(|_| not_found())?;
        let (sender, recipient, sent, relayed) = self.storage.image(id)?.ok_or_else(not_found)?;
        // Someone else's conversation does not exist, as far as this caller can tell.
        if caller.user != sender && caller.user != recipient {
            return Err(not_found());
        }
        let bytes = match relayed {
            Some(copy) if caller.user == recipient => copy,
            _ => sent,
        };
        Ok(Response::new(200)
            .header("Content-Type", "application/octet-stream")
            .with_body(bytes))
    }
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    /// The name is refused, or taken, or the database failed.
    Storage(#[from] StorageError),
    /// The password is too short.
    ShortPassword,
    /// The verifier could not be derived.
    User(#[from] UserError),
}

impl Localized for AddUserError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            AddUserError::Storage(e) => e.message_in(lang),
            AddUserError::ShortPassword => tr_in!(
                lang,
                "webchat-cli-password-too-short",
                min = MIN_PASSWORD.to_string()
            ),
            AddUserError::User(e) => e.message_in(lang),
        }
    }
}

crate::english_display!(AddUserError);

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

fn ok(body: Value) -> Response {
    Response::json(200, &body)
}

fn parse_json<T: serde::de::DeserializeOwned>(req: &Request, shape: &str) -> Result<T, ApiError> {
    serde_json::from_slice(&req.body)
        .map_err(|e| ApiError::new(400, format!("expected a JSON body {shape}: {e}")))
}

fn decode_base64(text: &str, field: &str) -> Result<Vec<u8>, ApiError> {
    STANDARD
        .decode(text)
        .map_err(|_| ApiError::new(400, format!("{field} is not standard base64")))
}

fn key_json(row: &PublicKeyRow) -> Value {
    json!({
        "user": row.user,
        "fingerprint": row.fingerprint,
        "spki": STANDARD.encode(&row.spki),
        "published": row.published,
    })
}

/// The value of cookie `name` in the `Cookie` header (RFC 6265 §5.4: `a=b; c=d`).
fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers
        .get("cookie")?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A query parameter, percent-decoded (see [`crate::web::query`]).
fn query(req: &Request, name: &str) -> Option<String> {
    crate::web::query(&req.target, name)
}

/// Refuses a POST that a page of another site could have made: it must carry our header
/// or come from our origin, and an `Origin` that is not ours is always refused.
fn check_csrf(req: &Request) -> Result<(), ApiError> {
    let origin = req.headers.get("origin");
    let ours = |origin: &str| {
        req.headers
            .get("host")
            .is_some_and(|host| origin.eq_ignore_ascii_case(&format!("https://{host}")))
    };
    match origin {
        Some(origin) if ours(origin) => Ok(()),
        Some(origin) if origin != "null" || req.headers.get(CSRF_HEADER).is_none() => Err(
            ApiError::new(403, format!("refused: this request comes from another site ({origin})")),
        ),
        _ if req.headers.get(CSRF_HEADER).is_some() => Ok(()),
        _ => Err(ApiError::new(
            403,
            format!("refused: a state-changing request needs the header {CSRF_HEADER}: 1 (CSRF protection)"),
        )),
    }
}

impl Handler for Chat {
    fn handle(&self, request: Request, peer: SocketAddr) -> Response {
        let api = request.path().starts_with("/api/");
        let response = self
            .route(&request, peer)
            .unwrap_or_else(ApiError::into_response);
        crate::web::with_page_headers(response, api)
    }

    /// Each route takes the body it needs and no more: 413 before the body is read.
    fn admit(&self, head: &RequestHead, _peer: SocketAddr, _limits: &Limits) -> Admission<'_> {
        let limit = match (head.method.as_str(), head.path()) {
            ("POST", "/api/images") => self.largest_body(),
            ("POST", "/api/messages") => {
                base64::encoded_len(MAX_TEXT + TAG_LEN, true).unwrap_or(0) as u64 + MESSAGE_FIELDS
            }
            _ => SMALL_BODY,
        };
        Admission::Memory { limit }
    }

    fn routine(&self, request_line: &str, status: u16) -> bool {
        // The page polls every second: those lines would drown the ones that matter.
        status == 200 && request_line.starts_with("GET /api/messages?")
    }
}
