//! The tour: the whole story of `fluffy tail`, every stage end to end on this machine,
//! with a [`Tap`] between each client and its server keeping a copy of every byte, as
//! an eavesdropper on the path would. Each stage says what the eavesdropper saw and
//! what it teaches, and leaves a capture (pcap; for TLS stages also the key log and a
//! pcapng that opens decrypted) for Wireshark.
//!
//! Everything runs in this process, on threads, with the lessons' own library
//! functions: servers and taps on ephemeral loopback ports, certificates and vault data
//! in a temporary folder removed at the end. Stages 04 and 05 have no network: they are
//! told from their library functions.
//!
//! The TLS endpoints write their secrets where `SSLKEYLOGFILE` points (see
//! [`crate::tls`]); the caller sets it before starting, to [`Tour::key_log`] (the CLI
//! does), or the TLS captures come without key logs.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagram::labels::labels;
use crate::diagram::ladder::{self, Connection};
use crate::http::Url;
use crate::i18n::{Lang, Localized};
use crate::lessons::{self, l06_https, l07_mutual_tls, Lesson, SECRET};
use crate::lessons::{l01_plain_http, l02_substitution, l03_fernet, l04_key_exchange};
use crate::pcap::{self, PcapError};
use crate::pki;
use crate::server::{Handler, Server, ServerHandle, Transport};
use crate::tap::{find, hex_excerpt, Direction, Event, Tap, DUMP_WIDTH};
use crate::tls::{self, KEYLOG_ENV};
use crate::tls_records;
use crate::vault;
use crate::{tr, tr_in};

/// Lines of hex dump shown per stage.
pub const EXCERPT_LINES: usize = 4;

/// How long a stage's tap waits for its connections to close before cutting them.
const TAP_GRACE: Duration = Duration::from_secs(2);

/// How long a client waits for each step.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The chat message of stage 02: long enough (over 60 letters) for frequency analysis
/// to find the key from this one message.
pub const CHAT_MESSAGE: &str =
    "the secret is fluffy tail. meet me at the old oak tree when the sun sets, and tell nobody else.";

/// The file the vault stage uploads when no README.md is found: what it says.
const FALLBACK_TEXT: &str = "The Secret Squirrels' notes.\n\nThe secret is fluffy tail.\n\
    This text was made by `squirrel tour` because no README.md was found.\n";

/// Largest README the vault stage uploads; a larger one is passed over (the tour stays fast).
const MAX_UPLOAD: u64 = 1 << 20;

/// Why the tour stopped. Words from `locales/*/tour.ftl` ([`Localized`]); `Display` is
/// English.
#[derive(Debug, thiserror::Error)]
pub enum TourError {
    /// The working folder (or the `--keep` folder) could not be made or removed.
    Folder {
        /// The tour's temporary folder, or the `--keep` folder.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// A stage failed; the text says where and why.
    Stage {
        /// The stage (lesson) number.
        number: u8,
        /// What went wrong, in the language in force.
        reason: String,
    },
    /// A capture could not be written.
    Capture(#[from] PcapError),
}

impl Localized for TourError {
    fn message_in(&self, lang: Lang) -> String {
        match self {
            TourError::Folder { path, source } => tr_in!(
                lang,
                "tour-error-folder",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            TourError::Stage { number, reason } => tr_in!(
                lang,
                "tour-error-stage",
                number = format!("{number:02}"),
                reason = reason
            ),
            TourError::Capture(e) => e.message_in(lang),
        }
    }
}

crate::english_display!(TourError);

/// Stage `number` failed because of `why`: a text in the language in force, or an
/// error's words ([`Localized`] where the error has them).
fn failed(number: u8, why: impl Display) -> TourError {
    TourError::Stage {
        number,
        reason: why.to_string(),
    }
}

/// Stage `number` failed because of `e`, in its words in the language in force.
fn failed_with(number: u8, e: &impl Localized) -> TourError {
    failed(number, e.localized())
}

/// What the eavesdropper saw at one stage.
#[derive(Debug, Clone)]
pub struct Wire {
    /// Where the stage's server listened (loopback, an ephemeral port).
    pub server: SocketAddr,
    /// The tap's address, where the client connected.
    pub tap: SocketAddr,
    /// How many connections the tap relayed (a vault stage opens one per request).
    pub connections: usize,
    /// Bytes from the clients to the server.
    pub to_server: usize,
    /// Bytes from the server to the clients.
    pub to_client: usize,
    /// Whether the secret crossed in clear, either way: `fluffy tail`, and at stage 08
    /// also the password or the start of the uploaded file.
    pub secret_in_clear: bool,
    /// What the eavesdropper reads, in one line.
    pub seen: String,
    /// What the excerpt shows (direction, connection, offsets).
    pub excerpt_title: String,
    /// A few lines of hex + ASCII dump ([`EXCERPT_LINES`]), offsets within the stream.
    pub excerpt: String,
    /// The capture files written: the pcap, then for TLS stages with secrets the key
    /// log (`.keys.log`) and the pcapng with the secrets embedded.
    pub files: Vec<PathBuf>,
    /// Key log lines found for this stage's connections.
    pub key_log_lines: usize,
    /// Every connection the tap relayed, with its bytes and its arrows (one per HTTP
    /// message or TLS record): what the ladder diagram of `tour --html` draws.
    pub ladder: Vec<Connection>,
    /// What each connection was, same index as `ladder`, when the stage knows (the
    /// vault's login, upload, …): the eavesdropper of a TLS stage cannot tell.
    pub exchanges: Vec<String>,
    /// Where the excerpt's bytes are, when there is an excerpt.
    pub spot: Option<Spot>,
    /// The secret as it crossed, disguised but there to find (stage 02's shifted
    /// letters).
    pub disguised: Option<String>,
}

/// Where a stage's excerpt is in the capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    /// The connection's number in the stage's capture (0, 1, …).
    pub connection: usize,
    /// Client to server, or server to client.
    pub direction: Direction,
    /// The stream offset of the excerpt's first byte (the start of a dump line).
    pub from: usize,
    /// The stream offset of what the excerpt is about (the secret, the record).
    pub at: usize,
}

/// One stage of the tour, told.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The lesson number, 1 to 8.
    pub number: u8,
    /// What happened, a line each.
    pub story: Vec<String>,
    /// What crossed the wire, for stages with a network.
    pub wire: Option<Wire>,
    /// What the stage teaches, in one line, in the language in force.
    pub teaches: String,
}

impl Stage {
    /// The stage's lesson in the lesson table.
    pub fn lesson(&self) -> Option<&'static Lesson> {
        lessons::by_number(self.number)
    }

    /// The stage's name, from the lesson table (`Plain HTTP`), in the language in force.
    pub fn title(&self) -> String {
        self.lesson()
            .map_or_else(String::new, |l| l.name_in(crate::i18n::lang()))
    }
}

/// How the tour ended.
#[derive(Debug, Clone)]
pub struct Summary {
    /// How long it took.
    pub elapsed: Duration,
    /// The temporary folder, now removed.
    pub removed: PathBuf,
    /// The `--keep` folder and the files left there, when one was given.
    pub kept: Option<(PathBuf, Vec<PathBuf>)>,
    /// Every server and tap address the tour listened on; all are closed now.
    pub addresses: Vec<SocketAddr>,
}

/// A tour ready to run: its temporary folder exists, nothing listens yet.
pub struct Tour {
    work: tempfile::TempDir,
    out: PathBuf,
    keep: Option<PathBuf>,
    files: Vec<PathBuf>,
    addresses: Vec<SocketAddr>,
}

/// One stage's capture: the events and the files written from them.
struct Captured {
    events: Vec<Event>,
    tap: SocketAddr,
    files: Vec<PathBuf>,
    key_log_lines: usize,
}

impl Tour {
    /// Makes the temporary folder (and `keep`, when given, where the captures and key
    /// logs stay after the tour; files of the same names there are replaced).
    ///
    /// Errors: [`TourError::Folder`].
    pub fn new(keep: Option<&Path>) -> Result<Tour, TourError> {
        let work = tempfile::Builder::new()
            .prefix("squirrel-tour-")
            .tempdir()
            .map_err(|source| TourError::Folder {
                path: std::env::temp_dir(),
                source,
            })?;
        let out = match keep {
            Some(dir) => dir.to_path_buf(),
            None => work.path().join("captures"),
        };
        std::fs::create_dir_all(&out).map_err(|source| TourError::Folder {
            path: out.clone(),
            source,
        })?;
        Ok(Tour {
            work,
            out,
            keep: keep.map(Path::to_path_buf),
            files: Vec::new(),
            addresses: Vec::new(),
        })
    }

    /// The temporary folder (removed when the tour ends).
    pub fn folder(&self) -> &Path {
        self.work.path()
    }

    /// Where `SSLKEYLOGFILE` should point for the tour: a file in the temporary folder.
    pub fn key_log(&self) -> PathBuf {
        self.work.path().join("keys.log")
    }

    /// Runs every stage in order, calling `on_stage` as each one ends, then stops
    /// everything and removes the temporary folder.
    ///
    /// Errors: the first stage that fails ([`TourError::Stage`]), a capture that cannot
    /// be written, or the folder that cannot be removed. Servers and taps are stopped
    /// and the temporary folder removed in every case.
    pub fn run(mut self, on_stage: &mut dyn FnMut(&Stage)) -> Result<Summary, TourError> {
        let started = Instant::now();
        let certs = self.work.path().join("certs");
        // In the order of the lessons; each stage stops its servers and tap before the next.
        on_stage(&self.plain_http()?);
        on_stage(&self.substitution()?);
        on_stage(&self.fernet()?);
        on_stage(&key_exchange()?);
        on_stage(&certificate_authority(&certs)?);
        on_stage(&self.https(&certs)?);
        on_stage(&self.mutual_tls(&certs)?);
        on_stage(&self.vault(&certs)?);
        let removed = self.work.path().to_path_buf();
        let kept = self
            .keep
            .take()
            .map(|dir| (dir, std::mem::take(&mut self.files)));
        let addresses = std::mem::take(&mut self.addresses);
        self.work.close().map_err(|source| TourError::Folder {
            path: removed.clone(),
            source,
        })?;
        Ok(Summary {
            elapsed: started.elapsed(),
            removed,
            kept,
            addresses,
        })
    }

    /// Serves `handler` on an ephemeral loopback port with `transport`.
    fn serve(
        &mut self,
        number: u8,
        name: &str,
        transport: Transport,
        handler: Arc<dyn Handler>,
    ) -> Result<ServerHandle, TourError> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| failed(number, e))?;
        let handle = Server::new(name, listener, transport, handler)
            .spawn()
            .map_err(|e| failed(number, e))?;
        self.addresses.push(handle.addr());
        Ok(handle)
    }

    /// Runs `client` against a tap in front of `server`, then stops the tap and writes
    /// `NN-slug.pcap`, and for TLS connections with secrets in the key log also
    /// `NN-slug.keys.log` and `NN-slug.pcapng` (secrets embedded).
    fn capture<T>(
        &mut self,
        number: u8,
        slug: &str,
        server: SocketAddr,
        client: impl FnOnce(SocketAddr) -> Result<T, TourError>,
    ) -> Result<(T, Captured), TourError> {
        let tap = Tap::start("127.0.0.1:0", server).map_err(|e| failed(number, e))?;
        let tap_addr = tap.addr();
        self.addresses.push(tap_addr);
        let result = client(tap_addr);
        let events = tap.stop(TAP_GRACE);
        let value = result?;

        let stem = format!("{number:02}-{slug}");
        let packets = pcap::packets(&events);
        let pcap_path = self.out.join(format!("{stem}.pcap"));
        pcap::write_pcap(&pcap_path, &packets)?;
        let mut files = vec![pcap_path];
        let secrets = match std::env::var_os(KEYLOG_ENV) {
            Some(path) if !path.is_empty() => match pcap::read_key_log(Path::new(&path), &events) {
                Ok(secrets) => secrets,
                // Nothing written yet: no TLS endpoint ran.
                Err(PcapError::KeyLog { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    String::new()
                }
                Err(e) => return Err(e.into()),
            },
            _ => String::new(),
        };
        if !secrets.is_empty() {
            let keys = self.out.join(format!("{stem}.keys.log"));
            write_secret(&keys, secrets.as_bytes())?;
            let pcapng = self.out.join(format!("{stem}.pcapng"));
            pcap::write_pcapng(&pcapng, &packets, secrets.as_bytes())?;
            files.push(keys);
            files.push(pcapng);
        }
        self.files.extend(files.iter().cloned());
        Ok((
            value,
            Captured {
                events,
                tap: tap_addr,
                files,
                key_log_lines: secrets.lines().count(),
            },
        ))
    }

    // -----------------------------------------------------------------------------------
    // The stages
    // -----------------------------------------------------------------------------------

    fn plain_http(&mut self) -> Result<Stage, TourError> {
        const N: u8 = 1;
        let server = self.serve(
            N,
            "plain-http",
            Transport::Plain,
            Arc::new(l01_plain_http::handler),
        )?;
        let (body, captured) = self.capture(N, "plain-http", server.addr(), |tap| {
            l01_plain_http::fetch(&url("http", tap)).map_err(|e| failed_with(N, &e))
        })?;
        let streams = streams(&captured.events);
        let mut wire = wire_of(server.addr(), &captured);
        wire.seen = tr!("tour-01-seen");
        excerpt_around(
            &mut wire,
            &streams,
            Direction::ToClient,
            SECRET.as_bytes(),
            &tr!("tour-01-excerpt"),
        );
        Ok(Stage {
            number: N,
            story: vec![tr!("tour-01-story", body = body)],
            wire: Some(wire),
            teaches: tr!("tour-01-teaches"),
        })
    }

    fn substitution(&mut self) -> Result<Stage, TourError> {
        use l02_substitution::{
            chat_server, crack, encrypt, ChatClient, ChatRoom, KEPT_MESSAGES, TUTORIAL_SHIFT,
        };
        const N: u8 = 2;
        let room = Arc::new(ChatRoom::new(None, KEPT_MESSAGES).map_err(|e| failed_with(N, &e))?);
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| failed(N, e))?;
        let server = chat_server(listener, room)
            .spawn()
            .map_err(|e| failed(N, e))?;
        self.addresses.push(server.addr());
        let (received, captured) = self.capture(N, "substitution", server.addr(), |tap| {
            let chat = |name| ChatClient::new(url("http", tap), name, TUTORIAL_SHIFT, TIMEOUT);
            let mut alice = chat("alice").map_err(|e| failed_with(N, &e))?;
            let mut bob = chat("bob").map_err(|e| failed_with(N, &e))?;
            alice.send(CHAT_MESSAGE).map_err(|e| failed_with(N, &e))?;
            bob.poll().map_err(|e| failed_with(N, &e))
        })?;
        let bob_read = received
            .first()
            .map(|r| r.plaintext.clone())
            .unwrap_or_default();
        let streams = streams(&captured.events);
        // What Eve has: the body of Alice's POST, straight from the wire.
        let posted = streams
            .get(&(0, Direction::ToServer))
            .and_then(|s| {
                find(s, b"\r\n\r\n").map(|at| String::from_utf8_lossy(&s[at + 4..]).into_owned())
            })
            .unwrap_or_default();
        let cracked = crack(&posted, None).map_err(|e| failed_with(N, &e))?;
        let mut wire = wire_of(server.addr(), &captured);
        let shifted = encrypt(SECRET, TUTORIAL_SHIFT);
        wire.seen = tr!("tour-02-seen", shifted = &shifted);
        wire.disguised = Some(shifted.clone());
        excerpt_around(
            &mut wire,
            &streams,
            Direction::ToServer,
            shifted.as_bytes(),
            &tr!("tour-02-excerpt"),
        );
        Ok(Stage {
            number: N,
            story: vec![
                tr!(
                    "tour-02-alice",
                    shift = TUTORIAL_SHIFT.to_string(),
                    posted = posted
                ),
                tr!("tour-02-bob", text = bob_read),
                tr!(
                    "tour-02-eve",
                    letters = cracked.letters.to_string(),
                    shift = cracked.best.shift.to_string(),
                    language = cracked.best.language.name(),
                    text = &cracked.plaintext
                ),
            ],
            wire: Some(wire),
            teaches: tr!("tour-02-teaches"),
        })
    }

    fn fernet(&mut self) -> Result<Stage, TourError> {
        const N: u8 = 3;
        let key = l03_fernet::keygen();
        let fernet = l03_fernet::load_key(&key).map_err(|e| failed_with(N, &e))?;
        let server = self.serve(
            N,
            "fernet",
            Transport::Plain,
            Arc::new(l03_fernet::FernetServer::new(fernet)),
        )?;
        let client_fernet = l03_fernet::load_key(&key).map_err(|e| failed_with(N, &e))?;
        let ((token, plain), captured) = self.capture(N, "fernet", server.addr(), |tap| {
            l03_fernet::fetch(&url("http", tap), &client_fernet).map_err(|e| failed_with(N, &e))
        })?;
        let other = l03_fernet::load_key(&l03_fernet::keygen()).map_err(|e| failed_with(N, &e))?;
        let refused = match l03_fernet::fetch(&url("http", server.addr()), &other) {
            Ok(_) => return Err(failed(N, tr!("tour-03-wrong-key-decrypted"))),
            Err(e) => e.localized(),
        };
        let streams = streams(&captured.events);
        let mut wire = wire_of(server.addr(), &captured);
        wire.seen = tr!("tour-03-seen", length = token.len().to_string());
        excerpt_around(
            &mut wire,
            &streams,
            Direction::ToClient,
            b"gAAAAA",
            &tr!("tour-03-excerpt"),
        );
        Ok(Stage {
            number: N,
            story: vec![
                tr!("tour-03-key", start = &key[..8]),
                tr!("tour-03-decrypted", text = plain),
                tr!("tour-03-refused", reason = refused),
            ],
            wire: Some(wire),
            teaches: tr!("tour-03-teaches"),
        })
    }

    fn https(&mut self, certs: &Path) -> Result<Stage, TourError> {
        const N: u8 = 6;
        let acceptor =
            l06_https::acceptor(&certs.join(pki::SERVER_CERT), &certs.join(pki::SERVER_KEY))
                .map_err(|e| failed_with(N, &e))?;
        let server = self.serve(
            N,
            "https",
            Transport::NativeTls(acceptor),
            Arc::new(l01_plain_http::handler),
        )?;
        let ca = certs.join(pki::CA_CERT);
        let refused = match l06_https::fetch(&url("https", server.addr()), None) {
            Ok(_) => return Err(failed(N, tr!("tour-06-trusted-anyway"))),
            Err(e) => e.localized(),
        };
        // The lesson-07 client (OpenSSL) without a certificate: it writes the key log,
        // which native-tls cannot.
        let (body, captured) = self.capture(N, "https", server.addr(), |tap| {
            l07_mutual_tls::fetch(&url_by_name(tap), &ca, None).map_err(|e| failed_with(N, &e))
        })?;
        let wire = tls_wire(server.addr(), &captured);
        Ok(Stage {
            number: N,
            story: vec![
                tr!("tour-06-refused", reason = refused),
                tr!("tour-06-fetched", body = body),
                key_log_line(&captured),
            ],
            wire: Some(wire),
            teaches: tr!("tour-06-teaches"),
        })
    }

    fn mutual_tls(&mut self, certs: &Path) -> Result<Stage, TourError> {
        const N: u8 = 7;
        let ca = certs.join(pki::CA_CERT);
        let acceptor = tls::server_acceptor(
            &certs.join(pki::SERVER_CERT),
            &certs.join(pki::SERVER_KEY),
            Some(&ca),
        )
        .map_err(|e| failed_with(N, &e))?;
        let server = self.serve(
            N,
            "mtls",
            Transport::OpenSsl(acceptor),
            Arc::new(l01_plain_http::handler),
        )?;
        let refused = match l07_mutual_tls::fetch(&url("https", server.addr()), &ca, None) {
            Ok(_) => return Err(failed(N, tr!("tour-07-let-in"))),
            Err(e) => e.localized(),
        };
        let identity = (certs.join(pki::CLIENT_CERT), certs.join(pki::CLIENT_KEY));
        let (body, captured) = self.capture(N, "mutual-tls", server.addr(), |tap| {
            l07_mutual_tls::fetch(&url_by_name(tap), &ca, Some((&identity.0, &identity.1)))
                .map_err(|e| failed_with(N, &e))
        })?;
        Ok(Stage {
            number: N,
            story: vec![
                tr!("tour-07-refused", reason = refused),
                tr!("tour-07-fetched", body = body),
                key_log_line(&captured),
            ],
            wire: Some(tls_wire(server.addr(), &captured)),
            teaches: tr!("tour-07-teaches"),
        })
    }

    fn vault(&mut self, certs: &Path) -> Result<Stage, TourError> {
        const N: u8 = 8;
        let (user, password) = vault::server::DEMO_USERS[0];
        let data = self.work.path().join("vault-data");
        let state = Arc::new(vault::server::Vault::open(&data).map_err(|e| failed(N, e))?);
        state.add_demo_users().map_err(|e| failed(N, e))?;
        let options = vault::server::ServeOptions {
            addr: "127.0.0.1:0".into(),
            data_dir: data.clone(),
            certs_dir: certs.to_path_buf(),
            limits: crate::server::Limits::default(),
            workers: 1,
        };
        let running = vault::server::start(&options, state).map_err(|e| failed(N, e))?;
        let server = running.handle.addr();
        self.addresses.push(server);
        let (file, note) = file_to_upload(self.work.path()).map_err(|e| failed(N, e))?;
        let original = std::fs::read(&file).map_err(|e| failed(N, e))?;
        let downloads = self.work.path().join("downloads");
        let ((archive, listed, downloaded), captured) =
            self.capture(N, "vault", server, |tap| {
                let by_name = format!("localhost:{}", tap.port());
                let client = vault::client::VaultClient::new(&by_name, certs, TIMEOUT)
                    .map_err(|e| failed(N, e))?;
                let session = client.login(user, password).map_err(|e| failed(N, e))?;
                let archive = client
                    .upload_file(&session, &file)
                    .map_err(|e| failed(N, e))?;
                let listed = client.list(&session).map_err(|e| failed(N, e))?;
                let downloaded = client
                    .download(&session, &archive, &downloads)
                    .map_err(|e| failed(N, e))?;
                client.logout(&session).map_err(|e| failed(N, e))?;
                Ok((archive, listed, downloaded))
            })?;
        drop(running);
        let back = std::fs::read(&downloaded).map_err(|e| failed(N, e))?;
        if back != original {
            return Err(failed(N, tr!("tour-08-differs")));
        }
        let stored =
            std::fs::read(data.join("archives").join(user).join(&archive)).unwrap_or_default();
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut wire = tls_wire(server, &captured);
        let steps = &labels().vault_exchanges;
        if wire.ladder.len() == steps.len() {
            wire.exchanges = steps.iter().map(|s| s.to_string()).collect();
        }
        // The file's own words must not cross in clear either.
        let sample = &original[..original.len().min(32)];
        let all: Vec<u8> = streams(&captured.events).into_values().flatten().collect();
        wire.secret_in_clear |=
            crate::tap::contains(&all, sample) || crate::tap::contains(&all, password.as_bytes());
        let mut story = Vec::new();
        if let Some(note) = note {
            story.push(note);
        }
        story.extend([
            tr!("tour-08-login", user = user),
            tr!(
                "tour-08-uploaded",
                name = name,
                size = original.len().to_string(),
                archive = &archive,
                stored = at_rest(&stored)
            ),
            tr!("tour-08-listed", n = listed.len()),
            key_log_line(&captured),
        ]);
        Ok(Stage {
            number: N,
            story,
            wire: Some(wire),
            teaches: tr!("tour-08-teaches"),
        })
    }
}

fn key_exchange() -> Result<Stage, TourError> {
    const N: u8 = 4;
    let demo = l04_key_exchange::demo(None).map_err(|e| failed_with(N, &e))?;
    let toy = demo.toy;
    let mut story = vec![tr!(
        "tour-04-toy",
        p = toy.p.to_string(),
        g = toy.g.to_string(),
        A = toy.alice_public.to_string(),
        B = toy.bob_public.to_string(),
        secret = toy.alice_shared.to_string()
    )];
    if let Some(eve) = demo.eve {
        story.push(tr!(
            "tour-04-eve",
            tries = eve.tries.to_string(),
            secret = eve.shared.to_string()
        ));
    }
    story.push(tr!(
        "tour-04-x25519",
        start = &crate::hex::encode(&demo.x25519.alice_shared)[..16],
        text = &demo.x25519.bob_reads
    ));
    story.push(tr!(
        "tour-04-mallory",
        mallory = &demo.mitm.mallory_reads,
        bob = &demo.mitm.bob_reads
    ));
    Ok(Stage {
        number: N,
        story,
        wire: None,
        teaches: tr!("tour-04-teaches"),
    })
}

fn certificate_authority(certs: &Path) -> Result<Stage, TourError> {
    const N: u8 = 5;
    let issued = pki::ensure_dev_pki(certs).map_err(|e| failed_with(N, &e))?;
    let mut story: Vec<String> = issued
        .iter()
        .filter_map(|i| i.localized().lines().next().map(str::to_string))
        .collect();
    let summary =
        pki::inspect_file(&certs.join(pki::SERVER_CERT)).map_err(|e| failed_with(N, &e))?;
    if let Some(sentence) = summary.localized().lines().next() {
        story.push(tr!("tour-05-inspect", sentence = sentence));
    }
    Ok(Stage {
        number: N,
        story,
        wire: None,
        teaches: tr!("tour-05-teaches"),
    })
}

fn url(scheme: &str, addr: SocketAddr) -> Url {
    Url {
        scheme: scheme.to_string(),
        host: addr.ip().to_string(),
        port: addr.port(),
        target: "/".to_string(),
    }
}

/// The URL of a loopback TLS server by name, as in the lessons' texts: a client sends a
/// host name in the ClientHello (SNI), never an IP address (RFC 6066 §3), so the
/// eavesdropper sees `localhost` there. The certificate names it too.
fn url_by_name(addr: SocketAddr) -> Url {
    Url {
        host: "localhost".to_string(),
        ..url("https", addr)
    }
}

/// Each connection's bytes in each direction, concatenated in order.
fn streams(events: &[Event]) -> BTreeMap<(usize, Direction), Vec<u8>> {
    let mut out: BTreeMap<(usize, Direction), Vec<u8>> = BTreeMap::new();
    for event in events {
        if let Event::Data(segment) = event {
            out.entry((segment.connection, segment.direction))
                .or_default()
                .extend_from_slice(&segment.bytes);
        }
    }
    out
}

fn wire_of(server: SocketAddr, captured: &Captured) -> Wire {
    let streams = streams(&captured.events);
    let total = |d: Direction| -> usize {
        streams
            .iter()
            .filter(|((_, dir), _)| *dir == d)
            .map(|(_, s)| s.len())
            .sum()
    };
    Wire {
        server,
        tap: captured.tap,
        connections: captured
            .events
            .iter()
            .filter(|e| matches!(e, Event::Open { .. }))
            .count(),
        to_server: total(Direction::ToServer),
        to_client: total(Direction::ToClient),
        secret_in_clear: streams
            .values()
            .any(|s| crate::tap::contains(s, SECRET.as_bytes())),
        seen: String::new(),
        excerpt_title: String::new(),
        excerpt: String::new(),
        files: captured.files.clone(),
        key_log_lines: captured.key_log_lines,
        ladder: ladder::connections(&captured.events),
        exchanges: Vec::new(),
        spot: None,
        disguised: None,
    }
}

/// Sets the excerpt to the lines around `needle` in the first stream of `direction`
/// that holds it.
fn excerpt_around(
    wire: &mut Wire,
    streams: &BTreeMap<(usize, Direction), Vec<u8>>,
    direction: Direction,
    needle: &[u8],
    what: &str,
) {
    for ((connection, dir), bytes) in streams {
        if *dir != direction {
            continue;
        }
        if let Some(at) = find(bytes, needle) {
            wire.excerpt_title = tr!(
                "tour-excerpt-title",
                arrow = direction.arrow(),
                connection = connection.to_string(),
                at = at.to_string(),
                what = what
            );
            // One line before the spot, for context.
            let from = at.saturating_sub(DUMP_WIDTH) / DUMP_WIDTH * DUMP_WIDTH;
            wire.excerpt = hex_excerpt(bytes, from, EXCERPT_LINES);
            wire.spot = Some(Spot {
                connection: *connection,
                direction,
                from,
                at,
            });
            return;
        }
    }
}

fn tls_wire(server: SocketAddr, captured: &Captured) -> Wire {
    let streams = streams(&captured.events);
    let mut wire = wire_of(server, captured);
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for bytes in streams.values() {
        for record in tls_records::records(bytes) {
            *counts.entry(record.content_type).or_default() += 1;
        }
    }
    let list: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{} ×{n}", tls_records::content_type_name(*kind)))
        .collect();
    let records = list.join(", ");
    wire.seen = if wire.secret_in_clear {
        tr!("tour-tls-seen-in-clear", records = records)
    } else {
        tr!("tour-tls-seen-nowhere", records = records)
    };
    // The reply, encrypted: the server's last application_data record on the first
    // connection that is larger than a closing alert (TLS 1.3 sends its close_notify as
    // application data too, 19 bytes; its first ones carry the rest of the handshake).
    if let Some(bytes) = streams.get(&(0, Direction::ToClient)) {
        if let Some(record) = tls_records::records(bytes)
            .into_iter()
            .rev()
            .find(|r| r.content_type == tls_records::APPLICATION_DATA && r.length > 24)
        {
            let (at, length) = (record.offset, record.length);
            wire.excerpt_title = tr!(
                "tour-tls-excerpt",
                at = at.to_string(),
                length = length.to_string()
            );
            wire.excerpt = hex_excerpt(bytes, at, EXCERPT_LINES);
            wire.spot = Some(Spot {
                connection: 0,
                direction: Direction::ToClient,
                from: at / DUMP_WIDTH * DUMP_WIDTH,
                at,
            });
        }
    }
    wire
}

fn key_log_line(captured: &Captured) -> String {
    match (captured.key_log_lines, std::env::var_os(KEYLOG_ENV)) {
        (0, None) => tr!("tour-no-key-log", env = KEYLOG_ENV),
        (0, Some(_)) => tr!("tour-key-log-empty"),
        (n, _) => tr!("tour-key-log-lines", n = n, env = KEYLOG_ENV),
    }
}

/// What a stored archive looks like: the start of its Fernet token and its size.
fn at_rest(stored: &[u8]) -> String {
    if stored.is_empty() {
        return tr!("tour-08-at-rest-empty");
    }
    let head = String::from_utf8_lossy(&stored[..stored.len().min(24)]).into_owned();
    tr!(
        "tour-08-at-rest",
        size = stored.len().to_string(),
        start = head
    )
}

/// The file the vault stage uploads: README.md from the current folder, else the one
/// of the source tree this binary was built from, else a generated text (with a note).
fn file_to_upload(work: &Path) -> std::io::Result<(PathBuf, Option<String>)> {
    let mut candidates = Vec::new();
    if let Ok(dir) = std::env::current_dir() {
        candidates.push(dir.join("README.md"));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    for path in candidates {
        if std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_UPLOAD) {
            return Ok((path, None));
        }
    }
    let path = work.join("squirrel-notes.txt");
    std::fs::write(&path, FALLBACK_TEXT)?;
    Ok((path, Some(tr!("tour-08-no-readme"))))
}

/// Writes a key log file, readable by its owner only (it decrypts the capture).
fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), PcapError> {
    use std::io::Write;
    crate::files::private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|source| PcapError::Write {
            path: path.to_path_buf(),
            source,
        })
}
