//! `squirrel tour`: the newcomer's first command — the whole story of `fluffy tail`,
//! every stage end to end on this machine, with what an eavesdropper saw at each.

use std::path::PathBuf;

use clap::Args;
use squirrel::diagram::tour_page::{tour_page, PageOptions};
use squirrel::tls::KEYLOG_ENV;
use squirrel::tour::{plural, Stage, Summary, Tour};

use crate::Failure;

/// Run every stage end to end on loopback (no set-up, nothing left behind) and show, for
/// each, what an eavesdropper between client and server saw.
#[derive(Debug, Args)]
pub struct Command {
    /// Keep the captures (a pcap per stage) and the TLS key logs (with a pcapng that
    /// opens decrypted) in DIR, for Wireshark; files of the same names are replaced.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Also write FILE: one page that opens offline, each stage drawn as a ladder
    /// diagram (client, eavesdropper, server) beside the bytes the eavesdropper saw;
    /// it prints one stage per A4 page. An existing FILE is replaced.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// Runs the tour.
pub fn run(command: Command) -> Result<(), Failure> {
    // The servers' log lines would drown the story; RUST_LOG brings them back.
    if std::env::var_os("RUST_LOG").is_none() {
        log::set_max_level(log::LevelFilter::Error);
    }
    // Find out now, not after the tour, that the page cannot be written.
    if let Some(path) = &command.html {
        std::fs::File::create(path).map_err(|e| {
            Failure::new(format!("cannot write {}: {e}", path.display()))
                .hint("pass --html a file in a folder you can write to")
        })?;
    }
    let tour = Tour::new(command.keep.as_deref()).map_err(|e| {
        Failure::new(e).hint("pass --keep a folder you can write to, or check TMPDIR")
    })?;
    if std::env::var_os(KEYLOG_ENV).is_none() {
        // Every OpenSSL endpoint reads this when it is set up. No other thread exists
        // yet (the tour starts its servers below), so changing the environment is safe.
        std::env::set_var(KEYLOG_ENV, tour.key_log());
    }
    println!("squirrel tour: the Secret Squirrels guard `fluffy tail`, stage by stage.");
    println!(
        "Each stage runs here, on loopback, with a tap between client and server keeping a copy"
    );
    println!("of every byte: what an eavesdropper on the path would see.");
    let mut stages: Vec<Stage> = Vec::new();
    let keep_stages = command.html.is_some();
    let summary = tour
        .run(&mut |stage| {
            print_stage(stage);
            if keep_stages {
                stages.push(stage.clone());
            }
        })
        .map_err(|e| {
            Failure::new(e).hint("run it again with RUST_LOG=info to see the servers' logs")
        })?;
    print_summary(&summary);
    if let Some(path) = &command.html {
        let options = PageOptions {
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            kept: summary.kept.is_some(),
        };
        std::fs::write(path, tour_page(&stages, &options)).map_err(|e| {
            Failure::new(format!("cannot write {}: {e}", path.display()))
                .hint("pass --html a file in a folder you can write to")
        })?;
        println!(
            "Wrote {}: open it in a browser (it needs no network), project it, or print it: one stage per A4 page.",
            path.display()
        );
    }
    Ok(())
}

fn print_stage(stage: &Stage) {
    println!();
    println!("{:02} {}", stage.number, stage.title());
    for line in &stage.story {
        println!("   {line}");
    }
    if let Some(wire) = &stage.wire {
        println!(
            "   The eavesdropper (tap {} → server {}, {}, {} bytes to the server, {} back) saw:",
            wire.tap,
            wire.server,
            plural(wire.connections, "connection"),
            wire.to_server,
            wire.to_client
        );
        println!("   {}", wire.seen);
        if !wire.excerpt.is_empty() {
            println!("     {}", wire.excerpt_title);
            for line in wire.excerpt.lines() {
                println!("     {line}");
            }
        }
        let names: Vec<String> = wire
            .files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        println!("   Capture: {}", names.join(", "));
    }
    println!("   ⇒ {}", capitalized(stage.teaches));
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn print_summary(summary: &Summary) {
    println!();
    let ports: Vec<String> = summary
        .addresses
        .iter()
        .map(|a| a.port().to_string())
        .collect();
    println!(
        "Done in {:.1} s. Stopped every server and tap (ports {}); removed {}.",
        summary.elapsed.as_secs_f64(),
        ports.join(", "),
        summary.removed.display()
    );
    match &summary.kept {
        Some((dir, files)) => {
            println!("Kept in {}:", dir.display());
            for file in files {
                println!("   {}", file.display());
            }
            println!(
                "Open them: `tshark -r {} -Y http` shows the secret in clear;",
                dir.join("01-plain-http.pcap").display()
            );
            println!(
                "Wireshark opens {} already decrypted (the key log is inside);",
                dir.join("06-https.pcapng").display()
            );
            println!(
                "for a .pcap, set Edit → Preferences → Protocols → TLS → (Pre)-Master-Secret log filename to its .keys.log."
            );
        }
        None => {
            println!("To look at the captures in Wireshark: squirrel tour --keep tour-captures")
        }
    }
    println!("Next: the lessons one by one — squirrel lessons");
}
