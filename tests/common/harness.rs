//! The test runner of the targets that need outside tools (`harness = false` in
//! Cargo.toml): libtest-mimic, which looks and behaves like libtest but can ignore a
//! test at run time, with its reason, when a need is missing (see [`super::prereq`]).

use libtest_mimic::{Arguments, Completion, Trial};

use super::prereq::{self, Need};

/// One test: its name, what it needs, and its body (which fails by panicking, as a
/// `#[test]` does).
pub fn trial(name: &'static str, needs: &[&'static Need], body: fn()) -> Trial {
    let needs = needs.to_vec();
    Trial::ignorable_test(name, move || {
        if let Some(missing) = prereq::missing(&needs) {
            if prereq::in_ci() {
                return Err(format!(
                    "{missing} (CI is set, so a missing tool fails instead of being ignored)"
                )
                .into());
            }
            return Ok(Completion::ignored_with(missing));
        }
        body();
        Ok(Completion::Completed)
    })
}

/// Runs the trials as libtest would, with its command-line arguments (filters,
/// `--list`, `--test-threads`, `--ignored`…), and exits as it would.
pub fn run(trials: Vec<Trial>) -> std::process::ExitCode {
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}
