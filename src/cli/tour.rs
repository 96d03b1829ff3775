//! `squirrel tour`: the newcomer's first command — the whole story of `fluffy tail`,
//! every stage end to end on this machine, with what an eavesdropper saw at each.

use std::path::PathBuf;

use clap::Args;
use squirrel::diagram::tour_page::{tour_page, PageOptions};
use squirrel::i18n::Localized;
use squirrel::tls::KEYLOG_ENV;
use squirrel::tour::{Stage, Summary, Tour};
use squirrel::tr;

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
        std::fs::File::create(path).map_err(|e| cannot_write(path, &e))?;
    }
    let tour = Tour::new(command.keep.as_deref())
        .map_err(|e| Failure::new(e.localized()).hint(tr!("tour-keep-hint")))?;
    if std::env::var_os(KEYLOG_ENV).is_none() {
        // Every OpenSSL endpoint reads this when it is set up. No other thread exists
        // yet (the tour starts its servers below), so changing the environment is safe.
        std::env::set_var(KEYLOG_ENV, tour.key_log());
    }
    println!("{}", tr!("tour-intro-1"));
    println!("{}", tr!("tour-intro-2"));
    println!("{}", tr!("tour-intro-3"));
    let mut stages: Vec<Stage> = Vec::new();
    let keep_stages = command.html.is_some();
    let summary = tour
        .run(&mut |stage| {
            print_stage(stage);
            if keep_stages {
                stages.push(stage.clone());
            }
        })
        .map_err(|e| Failure::new(e.localized()).hint(tr!("tour-failed-hint")))?;
    print_summary(&summary);
    if let Some(path) = &command.html {
        let options = PageOptions {
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            kept: summary.kept.is_some(),
        };
        std::fs::write(path, tour_page(&stages, &options)).map_err(|e| cannot_write(path, &e))?;
        println!(
            "{}",
            tr!("tour-wrote-html", path = path.display().to_string())
        );
    }
    Ok(())
}

fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> Failure {
    Failure::new(tr!(
        "tour-cannot-write",
        path = path.display().to_string(),
        reason = e.to_string()
    ))
    .hint(tr!("tour-html-hint"))
}

fn print_stage(stage: &Stage) {
    println!();
    let number = format!("{:02}", stage.number);
    println!(
        "{}",
        tr!("tour-stage-title", number = number, title = stage.title())
    );
    for line in &stage.story {
        println!("   {line}");
    }
    if let Some(wire) = &stage.wire {
        let saw = tr!(
            "tour-eavesdropper",
            tap = wire.tap.to_string(),
            server = wire.server.to_string(),
            connections = wire.connections,
            to_server = wire.to_server.to_string(),
            to_client = wire.to_client.to_string()
        );
        println!("   {saw}");
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
        println!("   {}", tr!("tour-capture", files = names.join(", ")));
    }
    println!("   ⇒ {}", capitalized(&stage.teaches));
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
        "{}",
        tr!(
            "tour-done",
            seconds = format!("{:.1}", summary.elapsed.as_secs_f64()),
            ports = ports.join(", "),
            folder = summary.removed.display().to_string()
        )
    );
    match &summary.kept {
        Some((dir, files)) => {
            println!(
                "{}",
                tr!("tour-kept-in", folder = dir.display().to_string())
            );
            for file in files {
                println!("   {}", file.display());
            }
            let pcap = dir.join("01-plain-http.pcap").display().to_string();
            println!("{}", tr!("tour-open-them", pcap = pcap));
            let pcapng = dir.join("06-https.pcapng").display().to_string();
            println!("{}", tr!("tour-wireshark-decrypted", pcapng = pcapng));
            println!("{}", tr!("tour-wireshark-keys-log"));
        }
        None => println!("{}", tr!("tour-keep-tip")),
    }
    println!("{}", tr!("tour-next"));
}
