//! CLI of the lesson (being written).
use clap::Subcommand;

/// Placeholder.
#[derive(Debug, Subcommand)]
pub enum Command {}

/// Runs one subcommand.
pub fn run(command: Command) -> Result<(), crate::Failure> {
    match command {}
}
