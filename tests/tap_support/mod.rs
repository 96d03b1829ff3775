//! Shared by the tap and tour tests: tshark's view of a capture, and `squirrel tap` run
//! as a real process.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common::prereq::TSHARK;

/// Runs `tshark ARGS` and returns its standard output (the test declares its need of
/// [`TSHARK`]); fails with tshark's stderr when it fails.
pub fn tshark(args: &[&str]) -> String {
    let output = TSHARK
        .command()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tshark: {e}"));
    assert!(
        output.status.success(),
        "tshark {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `tshark -r FILE [-o tls.keylog_file:KEYLOG] -d … -Y FILTER -T fields -e FIELD…`, one
/// line per matching packet, fields separated by tabs, each server port decoded as what
/// its clients spoke ([`decode_as`]).
pub fn fields(file: &Path, keylog: Option<&Path>, filter: &str, names: &[&str]) -> String {
    let decode_as = decode_as(file);
    let file = file.to_string_lossy();
    let option = keylog.map(|k| format!("tls.keylog_file:{}", k.display()));
    let mut args = vec!["-r", &file];
    if let Some(option) = &option {
        args.extend(["-o", option]);
    }
    for rule in &decode_as {
        args.extend(["-d", rule]);
    }
    args.extend(["-Y", filter, "-T", "fields"]);
    for name in names {
        args.extend(["-e", name]);
    }
    tshark(&args)
}

/// Wireshark's Decode As, `tcp.port==PORT,tls` or `tcp.port==PORT,http`, for each port
/// the capture's clients connected to (a SYN's destination): `tls` when the first bytes
/// a client sent there are a TLS handshake record, `http` otherwise. Without it tshark
/// picks a dissector by port number before it guesses, and a client's ephemeral port
/// that is registered to another protocol (57000 IRC, 44818 EtherNet/IP, 48898 ADS…)
/// hides that connection's HTTP — one connection in a few thousand, at random.
pub fn decode_as(file: &Path) -> Vec<String> {
    let file = file.to_string_lossy();
    let frames = tshark(&[
        "-r",
        &file,
        "-Y",
        "tcp",
        "-T",
        "fields",
        "-e",
        "tcp.flags.syn",
        "-e",
        "tcp.flags.ack",
        "-e",
        "tcp.dstport",
        "-e",
        "tcp.payload",
    ]);
    let mut servers: Vec<(String, Option<bool>)> = Vec::new();
    for line in frames.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let [syn, ack, port, payload] = f[..] else {
            continue;
        };
        let set = |flag: &str| flag == "1" || flag == "True";
        if set(syn) && !set(ack) {
            if !servers.iter().any(|(p, _)| p == port) {
                servers.push((port.to_string(), None));
            }
        } else if let Some((_, tls)) = servers.iter_mut().find(|(p, _)| p == port) {
            let hex: String = payload.chars().filter(|c| *c != ':').collect();
            if tls.is_none() && !hex.is_empty() {
                *tls = Some(hex.starts_with("1603"));
            }
        }
    }
    servers
        .into_iter()
        .map(|(port, tls)| {
            let protocol = if tls == Some(true) { "tls" } else { "http" };
            format!("tcp.port=={port},{protocol}")
        })
        .collect()
}

/// What decrypted HTTP bodies a capture shows: `http.file_data` of every HTTP packet.
pub fn http_bodies(file: &Path, keylog: Option<&Path>) -> String {
    fields(file, keylog, "http", &["http.file_data"])
}

/// Frames whose IPv4 or TCP checksum is not good, or that Wireshark's TCP analysis or
/// expert system marks as a warning or an error (checksum checks switched on).
pub fn frames_with_problems(file: &Path) -> String {
    let file = file.to_string_lossy();
    tshark(&[
        "-r",
        &file,
        "-o",
        "tcp.check_checksum:TRUE",
        "-o",
        "ip.check_checksum:TRUE",
        "-Y",
        "tcp.checksum.status != 1 || (ip && ip.checksum.status != 1) || tcp.analysis.flags \
         || _ws.malformed || _ws.expert.severity >= 6291456",
    ])
}

/// A `squirrel tap` process, killed when dropped.
pub struct TapProcess {
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Everything it printed so far.
    pub stdout: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl TapProcess {
    /// Starts `squirrel tap ARGS` in `dir` (add `--listen 127.0.0.1:0`) and waits for
    /// its first line, `tap: relaying ADDR → …` (in French `tap : relais de ADDR → …`).
    pub fn start(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> TapProcess {
        let mut all = vec!["tap"];
        all.extend_from_slice(args);
        let mut child = crate::common::squirrel(dir, &all, envs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = match lines.next() {
            Some(Ok(line)) => line,
            _ => {
                let mut err = String::new();
                let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                panic!("squirrel tap ended before listening: {err}");
            }
        };
        // The banner in English, or in French (`tap : relais de ADDR → …`).
        let addr = ["tap: relaying ", "tap\u{a0}: relais de "]
            .iter()
            .find_map(|banner| first.strip_prefix(banner))
            .and_then(|rest| rest.split(' ').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {first}"));
        let stdout = Arc::new(Mutex::new(format!("{first}\n")));
        let sink = Arc::clone(&stdout);
        let reader = std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut out = sink.lock().unwrap();
                out.push_str(&line);
                out.push('\n');
            }
        });
        TapProcess {
            child,
            addr,
            stdout,
            reader: Some(reader),
        }
    }

    /// Sends Ctrl-C (SIGINT), waits for the tap to write its files and exit, and
    /// returns its exit status with everything it printed.
    pub fn interrupt(mut self) -> Output {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) with a pid we own and a standard signal number.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
        self.wait()
    }

    /// Waits (at most 20 s) for the tap to exit by itself (--connections).
    pub fn wait(&mut self) -> Output {
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "the tap did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        let mut stderr = Vec::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_end(&mut stderr);
        }
        Output {
            status,
            stdout: self.stdout.lock().unwrap().clone().into_bytes(),
            stderr,
        }
    }
}

impl Drop for TapProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `needle` occurs in the file's bytes.
pub fn file_contains(path: &Path, needle: &[u8]) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// The TCP payloads of a capture in frame order, read with the pcap-file crate and our
/// own look at the headers (Ethernet, IPv4 or IPv6, TCP), without tshark: (the client's
/// port, the direction, the bytes). The client is the side that sent the SYN.
pub fn payloads(file: &Path) -> Vec<(u16, squirrel::tap::Direction, Vec<u8>)> {
    use squirrel::tap::Direction;
    let mut reader = pcap_file::pcap::PcapReader::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut clients = std::collections::HashSet::new();
    let mut out = Vec::new();
    while let Some(packet) = reader.next_packet() {
        let frame = packet.unwrap().data.into_owned();
        let ethertype = u16::from_be_bytes([frame[12], frame[13]]);
        let ip = &frame[14..];
        let tcp = match ethertype {
            0x0800 => {
                let header = usize::from(ip[0] & 0x0f) * 4;
                let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
                &ip[header..total]
            }
            0x86dd => {
                let length = usize::from(u16::from_be_bytes([ip[4], ip[5]]));
                &ip[40..40 + length]
            }
            other => panic!("ethertype {other:#06x} in {}", file.display()),
        };
        let src = u16::from_be_bytes([tcp[0], tcp[1]]);
        let dst = u16::from_be_bytes([tcp[2], tcp[3]]);
        let flags = tcp[13];
        if flags & 0x02 != 0 && flags & 0x10 == 0 {
            clients.insert(src);
        }
        let payload = &tcp[usize::from(tcp[12] >> 4) * 4..];
        if payload.is_empty() {
            continue;
        }
        if clients.contains(&src) {
            out.push((src, Direction::ToServer, payload.to_vec()));
        } else {
            out.push((dst, Direction::ToClient, payload.to_vec()));
        }
    }
    out
}
