//! The vault's speed and memory, measured over mutual TLS on loopback, beside a private
//! nginx with the same certificates (`../shared/bench/nginx-peer.sh`) when it is there.
//!
//! Run: `cargo bench --bench vault` (release build; about a minute once built).
//! `SQUIRREL_BENCH_RUNS=N` sets the runs per figure (median reported, default 3).
//!
//! Figures: MB/s of a 64 MiB incompressible file and a 64 MiB text uploaded
//! (`/upload-file`) and fetched back (`/archives/<name>`) with login outside the timing;
//! the CLI's upload and download as a user runs them; small requests per second with a
//! new TLS connection each, sequential and with 8 clients; login latency; the server's
//! peak memory above idle (VmHWM) during one 64 MiB upload and during 8 at once; the
//! client's peak memory during `vault download`; the in-memory zip + Fernet pipeline
//! (the `fernet` crate, as uploads were made before they streamed); a 1 GiB round trip
//! through the CLI with the peak memory on both sides (`SQUIRREL_BENCH_BIG=0` skips it).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use openssl::ssl::{SslConnector, SslStream};
use squirrel::http;
use squirrel::tls;
use squirrel::vault::client::{LoggedIn, VaultClient};
use squirrel::vault::storage;

const BIN: &str = env!("CARGO_BIN_EXE_squirrel");
const MIB: usize = 1024 * 1024;
const SIZE: usize = 64 * MIB;
const USER: &str = "bencher";
const IDLE: &str = "idle";
const PASSWORD: &str = "bench-password";

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn runs() -> usize {
    std::env::var("SQUIRREL_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// Runs `f` `runs()` times and returns the median of the seconds it reports.
fn timed<F: FnMut() -> Result<f64>>(mut f: F) -> Result<f64> {
    let mut seconds = Vec::new();
    for _ in 0..runs() {
        seconds.push(f()?);
    }
    Ok(median(seconds))
}

fn mb_per_s(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / 1e6 / seconds
}

fn random(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    for chunk in bytes.chunks_mut(1 << 20) {
        let _ = openssl::rand::rand_bytes(chunk);
    }
    bytes
}

/// English-like text that deflates about as well as prose (~3:1).
fn text(n: usize) -> Vec<u8> {
    let words = [
        "the",
        "squirrels",
        "hid",
        "their",
        "acorns",
        "under",
        "old",
        "oak",
        "trees",
        "and",
        "guarded",
        "fluffy",
        "tail",
        "from",
        "every",
        "curious",
        "eavesdropper",
        "in",
        "forest",
        "while",
        "winter",
        "came",
        "slowly",
        "over",
        "hills",
    ];
    let mut out = Vec::with_capacity(n + 16);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    while out.len() < n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.extend_from_slice(words[(state % words.len() as u64) as usize].as_bytes());
        out.push(if state % 13 == 0 { b'\n' } else { b' ' });
    }
    out.truncate(n);
    out
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start_vault(dir: &Path, workers: usize) -> Result<(Process, u16)> {
    start_vault_with(dir, workers, &["--max-upload", "128MiB", "--quota", "0"])
}

fn start_vault_with(dir: &Path, workers: usize, extra: &[&str]) -> Result<(Process, u16)> {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(["vault", "serve", "--port", "0", "--workers"])
        .arg(workers.to_string())
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        let line = lines.next().ok_or("the vault ended before listening")??;
        if let Some(rest) = line.split("https://").nth(1) {
            let authority = rest.split([' ', '/']).next().unwrap_or("");
            break authority.rsplit(':').next().unwrap_or("").parse()?;
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Ok((Process(child), port))
}

fn peak_rss_mib(pid: u32) -> Result<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(f64::NAN)
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

/// Resets the process's peak resident size (VmHWM) to its current size, so the next
/// reading is the peak of what happens in between (proc(5), clear_refs value 5).
/// Returns the current size (VmRSS), in MiB: the idle level the peak is measured above.
fn reset_peak(pid: u32) -> Result<f64> {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5")?;
    Ok(peak_rss_mib(pid)?.0)
}

/// Runs `command` to its end and returns (seconds, its own peak resident size in MiB,
/// stdout). The peak is its VmHWM read from /proc every 2 ms (wait4's ru_maxrss would
/// include this benchmark's own size, which Linux carries into a child started with
/// CLONE_VM).
fn run_measured(mut command: Command) -> Result<(f64, f64, String)> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let pid = child.id();
    let mut peak = 0.0f64;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let Ok((_, hwm)) = peak_rss_mib(pid) {
            if hwm.is_finite() {
                peak = peak.max(hwm);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let seconds = started.elapsed().as_secs_f64();
    let stdout = out.join().map_err(|_| "stdout reader")?;
    let stderr = err.join().map_err(|_| "stderr reader")?;
    if !status.success() {
        return Err(format!("{command:?}: {}", stderr.trim()).into());
    }
    Ok((seconds, peak, stdout))
}

fn connector(certs: &Path) -> Result<SslConnector> {
    Ok(tls::client_connector(
        &certs.join("ca.crt"),
        Some((&certs.join("client.crt"), &certs.join("client.key"))),
    )?)
}

fn connect(connector: &SslConnector, port: u16) -> Result<SslStream<TcpStream>> {
    Ok(tls::connect(
        connector,
        "127.0.0.1",
        port,
        Duration::from_secs(60),
    )?)
}

/// One GET with a new TLS connection; returns the body length.
fn get(
    connector: &SslConnector,
    port: u16,
    target: &str,
    headers: &[(&str, &str)],
) -> Result<usize> {
    let mut stream = connect(connector, port)?;
    http::write_request(&mut stream, "GET", target, Some("127.0.0.1"), headers, &[])?;
    let reply = http::read_response(&mut stream, 1 << 30)?;
    if reply.status != 200 {
        return Err(format!("GET {target}: {}", reply.status).into());
    }
    Ok(reply.body.len())
}

/// One PUT to nginx's WebDAV location.
fn put(connector: &SslConnector, port: u16, target: &str, body: &[u8]) -> Result<()> {
    let mut stream = connect(connector, port)?;
    http::write_request_head(
        &mut stream,
        "PUT",
        target,
        Some("127.0.0.1"),
        &[],
        Some(body.len() as u64),
    )?;
    stream.write_all(body)?;
    let reply = http::read_response(&mut stream, 1 << 20)?;
    if !(200..300).contains(&reply.status) {
        return Err(format!("PUT {target}: {}", reply.status).into());
    }
    Ok(())
}

/// Requests per second: `clients` threads, each making `per_client` requests; the
/// median of `runs()` rounds, since one round on a shared 2-core machine varies ±10 %.
fn rate<F>(clients: usize, per_client: usize, request: F) -> Result<f64>
where
    F: Fn() -> Result<()> + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let mut rates = Vec::new();
    for _ in 0..runs() {
        let started = Instant::now();
        let threads: Vec<_> = (0..clients)
            .map(|_| {
                let request = Arc::clone(&request);
                std::thread::spawn(move || -> std::result::Result<(), String> {
                    for _ in 0..per_client {
                        request().map_err(|e| e.to_string())?;
                    }
                    Ok(())
                })
            })
            .collect();
        for t in threads {
            t.join().map_err(|_| "client thread panicked")??;
        }
        rates.push((clients * per_client) as f64 / started.elapsed().as_secs_f64());
    }
    Ok(median(rates))
}

/// A private nginx started by `nginx-peer.sh`; dropping it stops it.
struct Nginx {
    pid: i32,
    port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SAFETY: kill(2) with a PID we were given and a valid signal number.
        unsafe {
            libc::kill(self.pid, libc::SIGTERM);
        }
    }
}

fn start_nginx(certs: &Path) -> Result<Nginx> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/nginx-peer.sh");
    if !script.exists() {
        return Err(format!("{} not found", script.display()).into());
    }
    let port = free_port()?;
    let out = Command::new("bash")
        .arg(&script)
        .arg(certs)
        .arg(port.to_string())
        .arg("1")
        .output()?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        return Err(format!("nginx-peer.sh failed: {}", why.trim()).into());
    }
    let pid = String::from_utf8_lossy(&out.stdout).trim().parse()?;
    let nginx = Nginx { pid, port };
    // The script starts nginx in the background: wait until it answers.
    for _ in 0..50 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(nginx);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("nginx did not start listening".into())
}

fn login(client: &VaultClient) -> Result<LoggedIn> {
    Ok(client.login(USER, PASSWORD)?)
}

fn main() -> Result<()> {
    let dir = tempfile::tempdir()?;
    // USER does the work; IDLE never uploads, so its /get-files is TLS + HTTP + session
    // lookup only, which separates the server's per-connection cost from the listing's.
    for user in [USER, IDLE] {
        let add = Command::new(BIN)
            .current_dir(dir.path())
            .args(["vault", "adduser", user])
            .env("SQUIRREL_PASSWORD", PASSWORD)
            .output()?;
        if !add.status.success() {
            return Err(format!("adduser: {}", String::from_utf8_lossy(&add.stderr)).into());
        }
    }
    let (vault, port) = start_vault(dir.path(), 1)?;
    let certs = dir.path().join("certs");
    let server = format!("127.0.0.1:{port}");
    let client = VaultClient::new(&server, &certs, Duration::from_secs(120))?;
    let tls = connector(&certs)?;
    println!("squirrel vault benchmark: {} runs per figure (median), files of {} MiB, loopback, mutual TLS", runs(), SIZE / MIB);
    println!();

    // Login latency: one PBKDF2 run on each side plus a TLS connection.
    let login_s = timed(|| {
        let started = Instant::now();
        login(&client)?;
        Ok(started.elapsed().as_secs_f64())
    })?;
    println!(
        "login latency                         {:>8.0} ms",
        login_s * 1000.0
    );

    // Peak memory and throughput, incompressible then text.
    let session = login(&client)?;
    let pid = vault.0.id();
    let mut results = Vec::new();
    let mut peaks = Vec::new();
    for (kind, content) in [("incompressible", random(SIZE)), ("text", text(SIZE))] {
        let mut archive = String::new();
        let idle = reset_peak(pid)?;
        let up = timed(|| {
            let started = Instant::now();
            archive = client.upload_bytes(&session, &format!("{kind}.bin"), &content)?;
            Ok(started.elapsed().as_secs_f64())
        })?;
        peaks.push((format!("one {kind} upload"), peak_rss_mib(pid)?.1 - idle));
        let idle = reset_peak(pid)?;
        let stored = std::fs::metadata(
            dir.path()
                .join("vault-data/archives")
                .join(USER)
                .join(&archive),
        )?
        .len();
        let down = timed(|| {
            let started = Instant::now();
            let bytes = client.fetch(&session, &archive)?;
            if bytes.len() as u64 != stored {
                return Err("short fetch".into());
            }
            Ok(started.elapsed().as_secs_f64())
        })?;
        // The original protocol's download: the same archive as base64 in JSON.
        if client.fetch_json(&session, &archive)?.len() as u64 != stored {
            return Err("short /download-file".into());
        }
        peaks.push((
            format!("{kind} fetch + /download-file"),
            peak_rss_mib(pid)?.1 - idle,
        ));
        println!(
            "upload {kind:<15}                {:>8.0} MB/s   ({:.2} s; stored as {} MiB)",
            mb_per_s(SIZE, up),
            up,
            stored / MIB as u64
        );
        println!(
            "fetch back {kind:<15}            {:>8.0} MB/s   ({:.2} s)",
            mb_per_s(stored as usize, down),
            down
        );
        results.push((kind, up, down, content));
    }

    // The in-memory pipeline uploads were before they streamed: zip in memory, then the
    // `fernet` crate over the whole ZIP.
    let key = session.archive_key().clone();
    let mut pipelines = Vec::new();
    for (kind, _, _, content) in &results {
        let pipeline = timed(|| {
            let started = Instant::now();
            let zip = storage::zip_one("x", content, chrono::Utc::now())?;
            let token = key.fernet().ok_or("no Fernet key")?.encrypt(&zip);
            std::hint::black_box(token);
            Ok(started.elapsed().as_secs_f64())
        })?;
        println!(
            "in-memory zip + Fernet, {kind:<15}{:>8.0} MB/s",
            mb_per_s(SIZE, pipeline)
        );
        pipelines.push(pipeline);
    }
    println!(
        "  text upload vs in-memory zip + Fernet of the same data: {:.2}x (target >= 1.0x)",
        pipelines[1] / results[1].1
    );

    // Eight members upload 64 MiB each at once, to a vault with 8 workers.
    let (vault8, port8) = start_vault(dir.path(), 8)?;
    let client8 = Arc::new(VaultClient::new(
        &format!("127.0.0.1:{port8}"),
        &certs,
        Duration::from_secs(120),
    )?);
    let session8 = Arc::new(login(&client8)?);
    client8.upload_bytes(&session8, "warm-up.bin", &random(MIB))?;
    let shared = Arc::new(results[0].3.clone());
    let idle = reset_peak(vault8.0.id())?;
    let started = Instant::now();
    let uploads: Vec<_> = (0..8)
        .map(|i| {
            let (client8, session8, shared) = (
                Arc::clone(&client8),
                Arc::clone(&session8),
                Arc::clone(&shared),
            );
            std::thread::spawn(move || {
                client8
                    .upload_bytes(&session8, &format!("concurrent-{i}.bin"), &shared)
                    .map_err(|e| e.to_string())
            })
        })
        .collect();
    for upload in uploads {
        upload.join().map_err(|_| "upload thread panicked")??;
    }
    let eight_s = started.elapsed().as_secs_f64();
    peaks.push((
        "8 incompressible uploads at once (--workers 8)".into(),
        peak_rss_mib(vault8.0.id())?.1 - idle,
    ));
    drop(shared);
    println!(
        "8 concurrent 64 MiB uploads, --workers 8 {:>6.2} s    ({:.0} MB/s in all)",
        eight_s,
        mb_per_s(8 * SIZE, eight_s)
    );
    println!("server peak memory above idle (VmHWM − VmRSS before), per step:");
    for (step, above) in &peaks {
        println!("  {step:<48}{above:>7.1} MiB");
    }
    println!("  (targets: one 64 MiB upload <= 16 MiB; 8 at once <= 128 MiB)");

    // The CLI as a user runs it: log in, transfer, log out.
    let big = dir.path().join("big.bin");
    std::fs::write(&big, &results[0].3)?;
    let cli_command = |args: &[&str], server: &str| {
        let mut command = Command::new(BIN);
        command
            .current_dir(dir.path())
            .arg("vault")
            .args(args)
            .args(["--user", USER, "--server", server])
            .env("SQUIRREL_PASSWORD", PASSWORD)
            .env("RUST_LOG", "warn");
        command
    };
    let mut cli_archive = String::new();
    let mut cli_up_peak = 0.0f64;
    let cli_up = timed(|| {
        let (s, peak, out) = run_measured(cli_command(&["upload", "big.bin"], &server))?;
        cli_archive = out.split(" as ").nth(1).unwrap_or("").trim().to_string();
        cli_up_peak = cli_up_peak.max(peak);
        Ok(s)
    })?;
    let mut cli_down_peak = 0.0f64;
    let cli_down = timed(|| {
        let (s, peak, _) = run_measured(cli_command(&["download", &cli_archive], &server))?;
        cli_down_peak = cli_down_peak.max(peak);
        Ok(s)
    })?;
    println!(
        "CLI upload of 64 MiB (with login)     {:>8.2} s    ({:.0} MB/s; login is {:.2} s of it; client peak {:.0} MiB)",
        cli_up,
        mb_per_s(SIZE, cli_up),
        login_s,
        cli_up_peak
    );
    println!(
        "CLI download + decrypt (with login)   {:>8.2} s    ({:.0} MB/s; client peak {:.0} MiB, target <= 32 MiB)",
        cli_down,
        mb_per_s(SIZE, cli_down),
        cli_down_peak
    );

    // Small requests, a new TLS connection each.
    let auth = session.session_id.clone();
    let small = |clients: usize, per: usize, port: u16, target: String, auth: Option<String>| {
        let tls = tls.clone();
        rate(clients, per, move || {
            let headers: Vec<(&str, &str)> =
                auth.iter().map(|a| ("Authorization", a.as_str())).collect();
            get(&tls, port, &target, &headers).map(|_| ())
        })
    };
    let seq = small(1, 300, port, "/get-files".into(), Some(auth.clone()))?;
    let idle_auth = client.login(IDLE, PASSWORD)?.session_id;
    let seq_idle = small(1, 300, port, "/get-files".into(), Some(idle_auth))?;
    println!(
        "small requests (/get-files, no archives), 1 client {:>7.0} req/s",
        seq_idle
    );
    let par = small(8, 60, port, "/get-files".into(), Some(auth.clone()))?;
    println!(
        "small requests (/get-files), 1 client  {:>7.0} req/s   (--workers 1)",
        seq
    );
    println!(
        "small requests (/get-files), 8 clients {:>7.0} req/s   (--workers 1)",
        par
    );
    // The classroom setting: the same data folder served by 8 workers.
    let auth8 = session8.session_id.clone();
    let par8 = small(8, 60, port8, "/get-files".into(), Some(auth8))?;
    println!(
        "small requests (/get-files), 8 clients {:>7.0} req/s   (--workers 8)",
        par8
    );

    // nginx with the same certificates, one worker.
    match start_nginx(&certs) {
        Err(e) => println!("\nnginx: not measured ({e})"),
        Ok(nginx) => {
            println!("\nnginx 1 worker, same certificates:");
            let content = &results[0].3;
            // Every vault upload stores a new archive, so every PUT stores a new file.
            let mut put_number = 0;
            let put_s = timed(|| {
                put_number += 1;
                let started = Instant::now();
                put(
                    &tls,
                    nginx.port,
                    &format!("/upload/big-{put_number}.bin"),
                    content,
                )?;
                Ok(started.elapsed().as_secs_f64())
            })?;
            let get_s = timed(|| {
                let started = Instant::now();
                get(&tls, nginx.port, "/upload/big-1.bin", &[])?;
                Ok(started.elapsed().as_secs_f64())
            })?;
            put(&tls, nginx.port, "/upload/small.txt", b"fluffy tail")?;
            let n_seq = small(1, 300, nginx.port, "/upload/small.txt".into(), None)?;
            let n_par = small(8, 60, nginx.port, "/upload/small.txt".into(), None)?;
            let (_, up, down, _) = &results[0];
            println!(
                "PUT 64 MiB {:>8.0} MB/s (a new file each time), GET {:>8.0} MB/s",
                mb_per_s(SIZE, put_s),
                mb_per_s(SIZE, get_s)
            );
            println!(
                "small requests: {n_seq:.0} req/s sequential, {n_par:.0} req/s with 8 clients"
            );
            println!("\nsquirrel vs nginx:");
            println!(
                "  64 MiB round trip: nginx {:.2} s, squirrel {:.2} s: ratio {:.2}x (target >= 0.5x)",
                put_s + get_s,
                up + down,
                (put_s + get_s) / (up + down)
            );
            println!(
                "  64 MiB incompressible upload: {:.0} MB/s (target >= 400 MB/s)",
                mb_per_s(SIZE, *up)
            );
            println!(
                "  small requests: {:.2}x sequential ({:.2}x with no archives to list), {:.2}x with 8 clients ({:.2}x with --workers 8) (target >= 1.0x)",
                seq / n_seq,
                seq_idle / n_seq,
                par / n_par,
                par8 / n_par
            );
        }
    }
    drop(results);

    if std::env::var("SQUIRREL_BENCH_BIG").as_deref() != Ok("0") {
        big_round_trip(dir.path(), &certs)?;
    }
    Ok(())
}

/// A 1 GiB incompressible file up and down through the CLI, against a vault started
/// with `--max-upload 1GiB`, with the peak memory of each side.
fn big_round_trip(dir: &Path, certs: &Path) -> Result<()> {
    const BIG: u64 = 1 << 30;
    let (vault, port) = start_vault_with(dir, 1, &["--max-upload", "1GiB", "--quota", "0"])?;
    let server = format!("127.0.0.1:{port}");
    let warm = VaultClient::new(&server, certs, Duration::from_secs(120))?;
    warm.upload_bytes(&login(&warm)?, "warm-up.bin", &random(MIB))?;
    let path = dir.join("huge.bin");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for _ in 0..BIG / (64 << 20) {
            file.write_all(&random(SIZE))?;
        }
        file.flush()?;
    }
    let command = |args: &[&str]| {
        let mut command = Command::new(BIN);
        command
            .current_dir(dir)
            .arg("vault")
            .args(args)
            .args(["--user", USER, "--server", &server])
            .env("SQUIRREL_PASSWORD", PASSWORD)
            .env("RUST_LOG", "warn");
        command
    };
    let pid = vault.0.id();
    let idle = reset_peak(pid)?;
    let (up_s, up_client, out) = run_measured(command(&["upload", "huge.bin"]))?;
    let up_server = peak_rss_mib(pid)?.1 - idle;
    let archive = out.split(" as ").nth(1).unwrap_or("").trim().to_string();
    let idle = reset_peak(pid)?;
    let (down_s, down_client, _) = run_measured(command(&["download", &archive]))?;
    let down_server = peak_rss_mib(pid)?.1 - idle;
    let back = dir.join("downloads/huge.bin");
    if std::fs::metadata(&back)?.len() != BIG {
        return Err("the 1 GiB file came back with another size".into());
    }
    println!(
        "
1 GiB incompressible round trip through the CLI (--max-upload 1GiB):"
    );
    println!(
        "  vault upload   {up_s:>6.2} s ({:.0} MB/s): client peak {up_client:.0} MiB, server peak above idle {up_server:.1} MiB",
        mb_per_s(BIG as usize, up_s)
    );
    println!(
        "  vault download {down_s:>6.2} s ({:.0} MB/s): client peak {down_client:.0} MiB, server peak above idle {down_server:.1} MiB",
        mb_per_s(BIG as usize, down_s)
    );
    std::fs::remove_file(&path)?;
    std::fs::remove_file(&back)?;
    Ok(())
}
