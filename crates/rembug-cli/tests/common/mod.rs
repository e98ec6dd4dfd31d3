//! Running the built `rembug` binary on a data folder, shared by the CLI's
//! test files.

use std::path::Path;
use std::process::{Command, Output};

pub fn rembug(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rembug"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("REMBUG_DATA_DIR")
        .output()
        .unwrap()
}

pub fn stdout_of(output: &Output) -> String {
    assert!(output.status.success(), "exit {:?}: {}", output.status, String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn json_of(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout_of(output)).unwrap()
}
