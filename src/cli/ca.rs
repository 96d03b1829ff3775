//! `squirrel ca …` (placeholder: being written).
use clap::Subcommand;

/// Become your own certificate authority.
#[derive(Debug, Subcommand)]
pub enum CaCommand {}

pub fn run(command: CaCommand) -> Result<(), crate::Failure> {
    match command {}
}
