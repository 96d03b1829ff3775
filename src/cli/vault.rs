//! `squirrel vault …` (placeholder: being written).
use clap::Subcommand;

/// The file vault.
#[derive(Debug, Subcommand)]
pub enum VaultCommand {}

pub fn run(command: VaultCommand) -> Result<(), crate::Failure> {
    match command {}
}
