//! Shared by the integration tests: a real vault server on an ephemeral loopback port
//! with a fresh development PKI and data folder, the `squirrel` binary run as a process,
//! what a test needs from outside ([`prereq`], [`harness`]) and a real browser
//! ([`browser`]).
#![allow(dead_code)]

pub mod browser;
pub mod chat;
pub mod harness;
pub mod prereq;
pub mod text;

/// The `main` of a test target built with `harness = false`: each test function by
/// name, with the [`prereq`] statics it needs (`[]` for none). A function left out of
/// the list is dead code, which clippy's `-D warnings` refuses.
///
/// ```ignore
/// test_main! {
///     tshark_decrypts_the_capture: [TSHARK, CURL],
///     the_parser_refuses_garbage: [],
/// }
/// ```
#[macro_export]
macro_rules! test_main {
    ($($name:ident: [$($need:expr),* $(,)?]),* $(,)?) => {
        fn main() -> std::process::ExitCode {
            common::harness::run(vec![
                $(common::harness::trial(stringify!($name), &[$(&$need),*], $name)),*
            ])
        }
    };
}

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use openssl::ssl::SslStream;
use squirrel::server::Limits;
use squirrel::tls;
use squirrel::vault::client::{LoggedIn, VaultClient};
use squirrel::vault::server::{self, Policy, Running, ServeOptions, Vault};

pub struct TestVault {
    pub dir: tempfile::TempDir,
    pub certs: PathBuf,
    pub data: PathBuf,
    pub running: Running,
    pub port: u16,
}

impl TestVault {
    /// A vault with the demo users and one worker.
    pub fn start() -> Self {
        Self::start_with(Limits::default(), 1)
    }

    pub fn start_with(limits: Limits, workers: usize) -> Self {
        Self::start_with_policy(limits, workers, Policy::default())
    }

    pub fn start_with_policy(limits: Limits, workers: usize, policy: Policy) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let certs = dir.path().join("certs");
        let data = dir.path().join("vault-data");
        let vault = Arc::new(Vault::open_with(&data, policy).unwrap());
        vault.add_demo_users().unwrap();
        let options = ServeOptions {
            addr: "127.0.0.1:0".into(),
            data_dir: data.clone(),
            certs_dir: certs.clone(),
            limits,
            workers,
        };
        let running = server::start(&options, vault).unwrap();
        let port = running.handle.addr().port();
        TestVault {
            dir,
            certs,
            data,
            running,
            port,
        }
    }

    pub fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn client(&self) -> VaultClient {
        VaultClient::new(&self.server(), &self.certs, Duration::from_secs(30)).unwrap()
    }

    pub fn login(&self, user: &str, password: &str) -> (VaultClient, LoggedIn) {
        let client = self.client();
        let session = client.login(user, password).unwrap();
        (client, session)
    }

    /// A connector with the client certificate of this vault's development PKI.
    pub fn connector(&self) -> openssl::ssl::SslConnector {
        tls::client_connector(
            &self.certs.join("ca.crt"),
            Some((
                &self.certs.join("client.crt"),
                &self.certs.join("client.key"),
            )),
        )
        .unwrap()
    }

    /// A mutual-TLS connection with the client certificate, for writing raw bytes.
    pub fn raw(&self) -> SslStream<TcpStream> {
        tls::connect(
            &self.connector(),
            "127.0.0.1",
            self.port,
            Duration::from_secs(30),
        )
        .unwrap()
    }

    /// A mutual-TLS connection from another loopback address (`127.0.0.2`…): what a
    /// second machine in the classroom looks like to the server.
    pub fn raw_from(&self, source: std::net::Ipv4Addr) -> SslStream<TcpStream> {
        let tcp = tcp_from(source, self.port);
        tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        tls::handshake(&self.connector(), "127.0.0.1", self.port, tcp).unwrap()
    }

    /// Sends `bytes` on a fresh connection and returns the whole reply as text.
    pub fn exchange(&self, bytes: &[u8]) -> String {
        let mut stream = self.raw();
        stream.write_all(bytes).unwrap();
        stream.flush().unwrap();
        let mut reply = Vec::new();
        let _ = stream.read_to_end(&mut reply);
        String::from_utf8_lossy(&reply).into_owned()
    }
}

/// Random bytes (incompressible, like a JPEG).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    openssl::rand::rand_bytes(&mut bytes).unwrap();
    bytes
}

/// The status code of a raw reply.
pub fn status(reply: &str) -> u16 {
    reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP reply: {reply:?}"))
}

/// The JSON body of a raw reply.
pub fn json(reply: &str) -> serde_json::Value {
    let body = reply.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body:?}"))
}

/// The `squirrel` binary built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_squirrel");

/// A `squirrel … serve` process, killed when dropped.
pub struct Spawned {
    pub child: std::process::Child,
    pub port: u16,
    /// What it printed before it said where it listens.
    pub banner: Vec<String>,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `squirrel ARGS` in `dir` with `envs`: the one way the tests start the binary. Its
/// stdin is closed, it inherits no key log (`SSLKEYLOGFILE`) from the test's
/// environment, and it speaks English whatever the tester's locale (a test of French
/// output passes `LC_ALL` or `--lang fr`); add to the command what a test needs (stdin,
/// stdout, more variables).
pub fn squirrel(
    dir: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
) -> std::process::Command {
    let mut command = std::process::Command::new(BIN);
    command
        .current_dir(dir)
        .args(args)
        .env_remove("SSLKEYLOGFILE")
        .env("LC_ALL", "C.UTF-8")
        .envs(envs.iter().copied())
        .stdin(std::process::Stdio::null());
    command
}

/// Runs `squirrel ARGS` in `dir` and waits for the line announcing its address
/// (`…://HOST:PORT…`), which every squirrel server prints once it listens.
pub fn spawn_server(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> Spawned {
    spawn_server_logging(dir, args, envs, std::process::Stdio::null())
}

/// [`spawn_server`], with the server's stderr (its log) going to `log`.
pub fn spawn_server_logging(
    dir: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
    log: impl Into<std::process::Stdio>,
) -> Spawned {
    use std::io::BufRead;
    let mut child = squirrel(dir, args, envs)
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    let port = loop {
        let line = match lines.next() {
            Some(Ok(line)) => line,
            _ => panic!(
                "`squirrel {}` ended before listening: {banner:?}",
                args.join(" ")
            ),
        };
        if let Some(rest) = line.split("://").nth(1) {
            let authority = rest.split(['/', ' ']).next().unwrap();
            if let Some(port) = authority.rsplit(':').next().and_then(|p| p.parse().ok()) {
                break port;
            }
        }
        banner.push(line);
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Spawned {
        child,
        port,
        banner,
    }
}

/// Runs `squirrel ARGS` in `dir` to completion.
pub fn run(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    squirrel(dir, args, envs).output().unwrap()
}

/// Runs `squirrel ARGS` in `dir` to completion with `input` on its stdin (then closed).
pub fn run_with_input(
    dir: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
    input: &str,
) -> std::process::Output {
    let mut child = squirrel(dir, args, envs)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A command that does not read its input may close the pipe first.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// Runs `squirrel ARGS` in `dir` for at most `deadline`, then kills it: for a command
/// that should stop by itself (a server refusing its set-up) but might not.
pub fn run_within(
    dir: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &str)],
    deadline: std::time::Duration,
) -> std::process::Output {
    let mut child = squirrel(dir, args, envs)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let until = std::time::Instant::now() + deadline;
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

/// Lossy UTF-8 of a process's output.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `squirrel vault ARGS` in `dir` to completion.
pub fn vault(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    let mut all = vec!["vault"];
    all.extend_from_slice(args);
    run(dir, &all, envs)
}

/// The stdout of a command that must have succeeded (else its exit code and output).
pub fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A TCP connection to `127.0.0.1:port` from the loopback address `source` (Linux routes
/// all of 127.0.0.0/8 to the loopback interface, so `127.0.0.2` is another "machine").
pub fn tcp_from(source: std::net::Ipv4Addr, port: u16) -> TcpStream {
    use std::os::fd::FromRawFd;
    fn sockaddr(ip: std::net::Ipv4Addr, port: u16) -> libc::sockaddr_in {
        // SAFETY: all-zero is a valid sockaddr_in; the fields are set below.
        let mut addr: libc::sockaddr_in = unsafe { std::mem::zeroed() };
        addr.sin_family = libc::AF_INET as libc::sa_family_t;
        addr.sin_port = port.to_be();
        addr.sin_addr.s_addr = u32::from(ip).to_be();
        addr
    }
    let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: plain socket calls on a descriptor we own; each result is checked.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
        let stream = TcpStream::from_raw_fd(fd);
        let local = sockaddr(source, 0);
        let bound = libc::bind(fd, &local as *const _ as *const libc::sockaddr, len);
        assert_eq!(
            bound,
            0,
            "bind {source}: {}",
            std::io::Error::last_os_error()
        );
        let remote = sockaddr(std::net::Ipv4Addr::LOCALHOST, port);
        let connected = libc::connect(fd, &remote as *const _ as *const libc::sockaddr, len);
        assert_eq!(connected, 0, "connect: {}", std::io::Error::last_os_error());
        stream
    }
}

/// The resident memory (`VmRSS`) or its peak (`VmHWM`) of process `pid`, in KiB.
pub fn proc_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

/// Sends a login with this JSON body on `stream` and returns the reply's status.
pub fn login_status<S: Read + Write>(stream: &mut S, body: &str) -> u16 {
    stream
        .write_all(
            format!(
                "POST /login HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .unwrap();
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    status(&String::from_utf8_lossy(&reply))
}
