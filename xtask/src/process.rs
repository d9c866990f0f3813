//! Running the commands a task is made of, failing loudly when one fails.

use anyhow::{bail, Context, Result};
use std::process::Command;

/// `cargo`, the same one that runs this task.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs a command with inherited output; an error if it cannot start or exits non-zero.
pub fn run(what: &str, cmd: &mut Command) -> Result<()> {
    println!("\n==> {what}");
    let status = cmd
        .current_dir(crate::root())
        .status()
        .with_context(|| format!("could not start: {what}"))?;
    if !status.success() {
        bail!("{what}: failed ({status})");
    }
    Ok(())
}

/// Whether a program is on PATH.
pub fn on_path(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}
