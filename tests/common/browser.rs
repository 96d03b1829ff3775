//! A real browser for the tests: headless Chromium, driven through chromedriver by
//! Python's selenium (`tests/python/browser_bridge.py`), one JSON line per command.
//!
//! A test that uses it needs `CHROMIUM, CHROMEDRIVER, PY_SELENIUM` (in its
//! `test_main!` line). Each [`Browser`] has its own `HOME` (so its own NSS
//! database, `HOME/.pki/nssdb`, where `squirrel ca install` puts the CA) and its own
//! profile; it can reach loopback only (the host resolver maps every other name to
//! nothing); every command has a deadline, past which the browser and all its
//! processes are killed and the test fails; dropping it ends every process it started.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

use super::prereq::{on_path, PYTHON3};

/// How to start a browser.
pub struct BrowserOptions {
    /// Its `HOME`: the NSS database is `HOME/.pki/nssdb`.
    pub home: PathBuf,
    /// Host names resolved to 127.0.0.1 for this browser (`squirrel.test`); every
    /// other name but localhost resolves to nothing.
    pub map_to_loopback: Vec<String>,
    /// Where Chromium writes its TLS key log (`SSLKEYLOGFILE`), if anywhere.
    pub keylog: Option<PathBuf>,
    /// More Chromium flags.
    pub args: Vec<String>,
    /// Deadline of each command (a page load, a script), in seconds.
    pub timeout_secs: u64,
}

impl BrowserOptions {
    /// A browser whose `HOME` is `home`, with no mapped names and a 20 s deadline.
    pub fn new(home: &Path) -> Self {
        BrowserOptions {
            home: home.to_path_buf(),
            map_to_loopback: Vec::new(),
            keylog: None,
            args: Vec::new(),
            timeout_secs: 20,
        }
    }
}

/// A running headless Chromium; killed with all its processes when dropped.
pub struct Browser {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    deadline: Duration,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts the browser (a few seconds) and waits until it is ready.
    pub fn start(options: &BrowserOptions) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(&options.home).unwrap();
        let bridge = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/python/browser_bridge.py"
        );
        let mut command = PYTHON3.command();
        command
            .arg(bridge)
            // selenium wants paths, not names to look up.
            .arg("--chromium")
            .arg(which("chromium"))
            .arg("--chromedriver")
            .arg(which("chromedriver"))
            .arg("--user-data-dir")
            .arg(profile.path())
            .args(["--timeout", &options.timeout_secs.to_string()])
            .env("HOME", &options.home)
            .env_remove("SSLKEYLOGFILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            // Its own process group, so that one signal ends the bridge, chromedriver
            // and every Chromium process, whatever state they are in.
            .process_group(0);
        for name in &options.map_to_loopback {
            command.args(["--map", &format!("{name} 127.0.0.1")]);
        }
        for arg in &options.args {
            // One word, `--arg=--flag`: argparse takes a separate `--flag` for an option.
            command.arg(format!("--arg={arg}"));
        }
        if let Some(keylog) = &options.keylog {
            command.env("SSLKEYLOGFILE", keylog);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut browser = Browser {
            child,
            stdin,
            replies,
            // Starting takes longer than a command: allow twice as long.
            deadline: Duration::from_secs(options.timeout_secs * 2 + 10),
            _profile: profile,
        };
        let ready = browser.reply("start");
        assert_eq!(ready["ready"], true, "the browser did not start: {ready}");
        browser.deadline = Duration::from_secs(options.timeout_secs + 10);
        browser
    }

    /// Opens `url` and waits for the page to load. `Err` holds the browser's reason
    /// when it shows no page, or its warning or error page instead:
    /// `net::ERR_CERT_AUTHORITY_INVALID`, … (see [`net_error`]).
    pub fn get(&mut self, url: &str) -> Result<(), String> {
        self.command(json!({"cmd": "get", "url": url})).map(|_| ())
    }

    /// Runs `script` in the page (a function body: `return …`) with `args` and
    /// returns its result; a script error fails the test.
    pub fn eval(&mut self, script: &str, args: &[Value]) -> Value {
        self.command(json!({"cmd": "eval", "script": script, "args": args}))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs an asynchronous `script`, which ends by calling
    /// `arguments[arguments.length - 1](result)`, and returns that result.
    pub fn eval_async(&mut self, script: &str, args: &[Value]) -> Value {
        self.command(json!({"cmd": "eval_async", "script": script, "args": args}))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits until `condition` (a JavaScript expression) is truthy, polling every
    /// 100 ms for at most `timeout`; fails the test with `what` otherwise.
    pub fn wait_until(&mut self, condition: &str, timeout: Duration, what: &str) {
        let start = std::time::Instant::now();
        let script = format!("return !!({condition});");
        while !self.eval(&script, &[]).as_bool().unwrap_or(false) {
            assert!(start.elapsed() < timeout, "waited {timeout:?} for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The page's visible text.
    pub fn text(&mut self) -> String {
        let text = self.eval("return document.body ? document.body.innerText : '';", &[]);
        text.as_str().unwrap_or_default().to_string()
    }

    /// Writes a PNG of the whole page to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        self.command(json!({"cmd": "screenshot", "path": path}))
            .unwrap_or_else(|e| panic!("screenshot failed: {e}"));
    }

    /// Writes a PNG of the first element `selector` matches to `path`.
    pub fn screenshot_of(&mut self, selector: &str, path: &Path) {
        self.command(json!({"cmd": "screenshot", "path": path, "selector": selector}))
            .unwrap_or_else(|e| panic!("screenshot of {selector} failed: {e}"));
    }

    /// Prints the page to a PDF at `path`, as "Print" would: print styles, the page's
    /// own `@page` size.
    pub fn pdf(&mut self, path: &Path) {
        self.command(json!({"cmd": "pdf", "path": path}))
            .unwrap_or_else(|e| panic!("printing to PDF failed: {e}"));
    }

    fn command(&mut self, command: Value) -> Result<Value, String> {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
        let reply = self.reply(&command["cmd"].to_string());
        match reply.get("error") {
            Some(error) => Err(error.as_str().unwrap_or_default().to_string()),
            None => Ok(reply["ok"].clone()),
        }
    }

    fn reply(&mut self, what: &str) -> Value {
        match self.replies.recv_timeout(self.deadline) {
            Ok(line) => serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("the browser bridge said {line:?}: {e}")),
            Err(_) => {
                self.kill();
                panic!(
                    "the browser did not answer {what} within {:?}",
                    self.deadline
                )
            }
        }
    }

    fn kill(&mut self) {
        let group = i32::try_from(self.child.id()).unwrap();
        // SAFETY: killpg(2) on the process group this browser's bridge leads.
        unsafe { libc::killpg(group, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A clean quit first (chromedriver closes Chromium), then no survivors.
        let _ = writeln!(self.stdin, "{}", json!({"cmd": "quit"}));
        let _ = self.stdin.flush();
        let _ = self.replies.recv_timeout(Duration::from_secs(10));
        self.kill();
    }
}

/// The `net::ERR_…` code in a browser error (`net::ERR_CERT_AUTHORITY_INVALID`), or
/// the whole message when there is none.
pub fn net_error(error: &str) -> &str {
    error
        .find("net::ERR_")
        .map(|start| {
            let rest = &error[start..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .unwrap_or(error)
}

/// Where `program` is on PATH (the test declared it as a need).
fn which(program: &str) -> PathBuf {
    on_path(program).unwrap_or_else(|| panic!("{program} is not on PATH"))
}

/// `squirrel ca install --dir CERTS` (or `uninstall`) for a browser whose `HOME` is
/// `home`: its NSS database only, never the machine's stores.
pub fn nss_trust(home: &Path, certs: &Path, install: bool) {
    let action = if install { "install" } else { "uninstall" };
    std::fs::create_dir_all(home).unwrap();
    let out = super::run(
        home,
        &["ca", action, "--dir", certs.to_str().unwrap()],
        &[("HOME", home.to_str().unwrap()), ("TRUST_STORES", "nss")],
    );
    super::ok(&out);
}

/// A Chromium policy file, removed when dropped. Chromium on Linux reads policies only
/// from `/etc/chromium/policies/managed/` (no flag or environment variable moves it), so
/// a test that needs one (`AutoSelectCertificateForUrls`, to skip the client-certificate
/// chooser headless Chromium cannot show) needs root.
pub struct ChromiumPolicy(PathBuf);

impl ChromiumPolicy {
    /// Writes `policy` (a JSON object of policies) under a name of its own.
    pub fn write(policy: &Value) -> ChromiumPolicy {
        let dir = Path::new("/etc/chromium/policies/managed");
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(format!(
            "squirrel-test-{}-{}.json",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::write(&path, policy.to_string()).unwrap();
        ChromiumPolicy(path)
    }
}

impl Drop for ChromiumPolicy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
