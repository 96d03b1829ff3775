//! What a test needs from outside Rust and OpenSSL's library, checked once per test
//! process: git's test suite has `test_have_prereq` and its lazy prerequisites, pytest
//! has `importorskip`; this is ours.
//!
//! A test target that needs a tool is built with `harness = false` (Cargo.toml) and
//! declares its tests with [`test_main!`](crate::test_main), naming each test's needs:
//!
//! ```ignore
//! test_main! {
//!     tshark_decrypts_the_capture: [TSHARK],
//!     the_parser_refuses_garbage: [],
//! }
//! ```
//!
//! A missing need makes the test *ignored*, with its reason, in `cargo test`'s own
//! output (`test x ... ignored (needs tshark: apt-get install tshark)`) and in the
//! summary's ignored count; with `CI` set, the same message fails the test, so CI never
//! skips. Tools are started through [`Need::command`], never by name elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// One thing a test needs, and how to get it on each platform.
pub struct Need {
    /// What the ignore line names: "tshark", "Python's cryptography".
    pub name: &'static str,
    probe: Probe,
    /// Install lines: Debian/Ubuntu, Fedora, macOS.
    install: [&'static str; 3],
}

enum Probe {
    /// A program on PATH (found, not run).
    Program(&'static str),
    /// A program in the virtual environment `.ci/run` makes ([`VENV`]), else on PATH.
    VenvProgram(&'static str),
    /// A module that `python3 -c "import M"` imports.
    PythonModule(&'static str),
    /// A 3 MiB tmpfs can be mounted here (root, with the right to mount).
    TmpfsMount,
    /// tshark can capture live on the loopback interface (root, or dumpcap's
    /// capabilities).
    LiveCapture,
    /// The tests run as root.
    Root,
    /// Root, with Debian's system trust store (`update-ca-certificates`).
    DebianSystemStore,
}

/// The Python virtual environment `.ci/run` installs PyPI tools into (sslyze), so their
/// pinned dependencies stay out of the system's Python.
pub const VENV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/venv");

/// Wireshark's command-line engine, which dissects and decrypts our captures.
pub static TSHARK: Need = Need {
    name: "tshark",
    probe: Probe::Program("tshark"),
    install: [
        "apt-get install tshark",
        "dnf install wireshark-cli",
        "brew install --cask wireshark",
    ],
};

/// Wireshark's `editcap` (injects key logs into pcapng files); it comes with tshark.
pub static EDITCAP: Need = Need {
    name: "editcap",
    probe: Probe::Program("editcap"),
    install: [
        "apt-get install tshark",
        "dnf install wireshark-cli",
        "brew install --cask wireshark",
    ],
};

/// A live capture on loopback with tshark: root, or a `dumpcap` allowed to capture.
pub static LIVE_CAPTURE: Need = Need {
    name: "a live capture on loopback (root, or dumpcap's capture rights)",
    probe: Probe::LiveCapture,
    install: [
        "run as root, or: sudo dpkg-reconfigure wireshark-common && sudo usermod -aG wireshark $USER (then log in again)",
        "run as root, or: sudo usermod -aG wireshark $USER (then log in again)",
        "run as root, or install Wireshark's ChmodBPF",
    ],
};

/// curl, the everyday HTTPS client the lessons compare themselves with.
pub static CURL: Need = Need {
    name: "curl",
    probe: Probe::Program("curl"),
    install: [
        "apt-get install curl",
        "dnf install curl",
        "brew install curl",
    ],
};

/// OpenSSL's command-line tool (`openssl verify`, `s_client`), an independent judge of
/// our certificates and handshakes.
pub static OPENSSL: Need = Need {
    name: "the openssl command",
    probe: Probe::Program("openssl"),
    install: [
        "apt-get install openssl",
        "dnf install openssl",
        "brew install openssl@3",
    ],
};

/// Python 3, which runs the tests' independent implementations.
pub static PYTHON3: Need = Need {
    name: "python3",
    probe: Probe::Program("python3"),
    install: [
        "apt-get install python3",
        "dnf install python3",
        "brew install python",
    ],
};

/// Python's `cryptography` (PBKDF2, HKDF, Fernet, X.509 from pyca), to check our
/// formats against an implementation that knows nothing of ours.
pub static PY_CRYPTOGRAPHY: Need = Need {
    name: "Python's cryptography",
    probe: Probe::PythonModule("cryptography"),
    install: [
        "python3 -m pip install cryptography (or apt-get install python3-cryptography)",
        "python3 -m pip install cryptography (or dnf install python3-cryptography)",
        "python3 -m pip install cryptography",
    ],
};

/// Python's `selenium`, the WebDriver client that drives Chromium in the browser tests.
pub static PY_SELENIUM: Need = Need {
    name: "Python's selenium",
    probe: Probe::PythonModule("selenium"),
    install: [
        "python3 -m pip install selenium (or apt-get install python3-selenium)",
        "python3 -m pip install selenium",
        "python3 -m pip install selenium",
    ],
};

/// sslyze (PyPI), the TLS auditor that checks our servers against Mozilla's
/// intermediate profile: found in [`VENV`] or on PATH.
pub static SSLYZE: Need = Need {
    name: "sslyze",
    probe: Probe::VenvProgram("sslyze"),
    install: [
        "bash .ci/run (or: python3 -m venv .ci/venv && .ci/venv/bin/pip install 'sslyze>=6.3,<7'; Debian needs apt-get install python3-venv)",
        "bash .ci/run (or: python3 -m venv .ci/venv && .ci/venv/bin/pip install 'sslyze>=6.3,<7')",
        "bash .ci/run (or: python3 -m venv .ci/venv && .ci/venv/bin/pip install 'sslyze>=6.3,<7')",
    ],
};

/// Chromium, the browser of the browser tests (run headless, loopback only).
pub static CHROMIUM: Need = Need {
    name: "chromium",
    probe: Probe::Program("chromium"),
    install: [
        "apt-get install chromium",
        "dnf install chromium",
        "brew install --cask chromium",
    ],
};

/// ChromeDriver, through which the tests drive Chromium (WebDriver).
pub static CHROMEDRIVER: Need = Need {
    name: "chromedriver",
    probe: Probe::Program("chromedriver"),
    install: [
        "apt-get install chromium-driver",
        "dnf install chromedriver",
        "brew install --cask chromedriver",
    ],
};

/// git, to ask which files `.gitignore` keeps out of the repository.
pub static GIT: Need = Need {
    name: "git",
    probe: Probe::Program("git"),
    install: [
        "apt-get install git",
        "dnf install git",
        "xcode-select --install",
    ],
};

/// NSS's `certutil`, which edits the certificate databases of Chromium and Firefox.
pub static CERTUTIL: Need = Need {
    name: "certutil (NSS)",
    probe: Probe::Program("certutil"),
    install: [
        "apt-get install libnss3-tools",
        "dnf install nss-tools",
        "brew install nss",
    ],
};

/// NSS's `pk12util`, which imports a PKCS#12 file the way the browsers do.
pub static PK12UTIL: Need = Need {
    name: "pk12util (NSS)",
    probe: Probe::Program("pk12util"),
    install: [
        "apt-get install libnss3-tools",
        "dnf install nss-tools",
        "brew install nss",
    ],
};

/// The right to mount a tmpfs (root), to fill a real disk.
pub static TMPFS_MOUNT: Need = Need {
    name: "root, to mount a 3 MiB tmpfs",
    probe: Probe::TmpfsMount,
    install: [
        "run this test as root: sudo -E cargo test --test vault_durability",
        "run this test as root: sudo -E cargo test --test vault_durability",
        "not available on macOS (no tmpfs); CI runs it on Linux",
    ],
};

/// Root, to change what only root may: Chromium's managed policies (read only from
/// `/etc/chromium/policies/managed`), or to run a command as another user.
pub static ROOT: Need = Need {
    name: "root",
    probe: Probe::Root,
    install: [
        "run the test as root: sudo -E cargo test",
        "run the test as root: sudo -E cargo test",
        "run the test as root: sudo -E cargo test",
    ],
};

/// Root on a Debian-family system, to put a CA into the system trust store and take it
/// out again (`/usr/local/share/ca-certificates`, `update-ca-certificates`).
pub static SYSTEM_TRUST_STORE: Need = Need {
    name: "root and Debian's system trust store (update-ca-certificates)",
    probe: Probe::DebianSystemStore,
    install: [
        "apt-get install ca-certificates, and run the test as root: sudo -E cargo test",
        "only Debian's store is tested (Fedora's update-ca-trust is not)",
        "only Debian's store is tested (macOS's keychain is not)",
    ],
};

impl Need {
    /// A `Command` for this need's program (the need must be a program).
    pub fn command(&self) -> Command {
        match self.probe {
            Probe::Program(program) => Command::new(program),
            Probe::VenvProgram(program) => {
                Command::new(in_venv(program).unwrap_or_else(|| program.into()))
            }
            _ => panic!("{} is not a program", self.name),
        }
    }

    /// The install line for this machine's platform.
    pub fn install_line(&self) -> &'static str {
        let [debian, fedora, macos] = self.install;
        if cfg!(target_os = "macos") {
            macos
        } else if Path::new("/etc/fedora-release").exists()
            || Path::new("/etc/redhat-release").exists()
        {
            fedora
        } else {
            debian
        }
    }

    /// Whether the need is met, probed once per test process.
    pub fn is_met(&'static self) -> bool {
        static PROBED: Mutex<Vec<(&'static str, bool)>> = Mutex::new(Vec::new());
        let mut probed = PROBED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&(_, met)) = probed.iter().find(|(name, _)| *name == self.name) {
            return met;
        }
        let met = self.probe();
        probed.push((self.name, met));
        met
    }

    fn probe(&self) -> bool {
        match self.probe {
            Probe::Program(program) => on_path(program).is_some(),
            Probe::VenvProgram(program) => in_venv(program).is_some() || on_path(program).is_some(),
            Probe::PythonModule(module) => {
                on_path("python3").is_some()
                    && quiet(Command::new("python3").args(["-c", &format!("import {module}")]))
            }
            Probe::TmpfsMount => {
                let Ok(dir) = tempfile::tempdir() else {
                    return false;
                };
                let mounted = on_path("mount").is_some()
                    && quiet(
                        Command::new("mount")
                            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
                            .arg(dir.path()),
                    );
                if mounted {
                    quiet(Command::new("umount").arg(dir.path()));
                }
                mounted
            }
            Probe::Root => is_root(),
            Probe::DebianSystemStore => {
                is_root()
                    && on_path("update-ca-certificates").is_some()
                    && Path::new("/usr/local/share/ca-certificates").is_dir()
            }
            Probe::LiveCapture => {
                on_path("tshark").is_some() && {
                    // `tshark -D` lists only the interfaces it may capture on.
                    Command::new("tshark")
                        .arg("-D")
                        .stderr(Stdio::null())
                        .output()
                        .map(|out| {
                            String::from_utf8_lossy(&out.stdout)
                                .lines()
                                .any(|line| line.contains(". lo") || line.contains("Loopback"))
                        })
                        .unwrap_or(false)
                }
            }
        }
    }
}

/// Whether this run is CI's (`CI` set, and not to `false` or `0`): there a missing need
/// fails its test instead of being ignored.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The reason a test with these needs cannot run here, or `None` when all are met:
/// `needs tshark: apt-get install tshark; needs curl: apt-get install curl`.
pub fn missing(needs: &[&'static Need]) -> Option<String> {
    let lines: Vec<String> = needs
        .iter()
        .filter(|need| !need.is_met())
        .map(|need| format!("needs {}: {}", need.name, need.install_line()))
        .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// Whether this test process runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid(2) cannot fail and touches no memory.
    unsafe { libc::geteuid() == 0 }
}

/// Where `program` is on PATH, as a shell would find it.
pub fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|file| {
            std::fs::metadata(file)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// `program` in [`VENV`]'s `bin`, if it is there and executable.
fn in_venv(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let file = Path::new(VENV).join("bin").join(program);
    std::fs::metadata(&file)
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .then_some(file)
}

/// Runs a probe command with no output; true when it succeeds.
fn quiet(command: &mut Command) -> bool {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
