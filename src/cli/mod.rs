//! The command line: one module per command group; each turns library errors into
//! `error:`/`hint:` lines.

pub mod ca;
pub mod key_exchange;
pub mod lessons;
pub mod substitution;
pub mod vault;
