//! `squirrel tour` (being written).
use clap::Args;

/// Placeholder.
#[derive(Debug, Args)]
pub struct Command {}

/// Runs the command.
pub fn run(_command: Command) -> Result<(), crate::Failure> {
    Err(crate::Failure::new("not written yet"))
}
