//! `print` and `xlsx`: a meeting's documents as PDF and spreadsheets for the
//! office, made by `rembug-docs` and written atomically (a temporary file
//! beside the target, flushed, then renamed) so a half-written file never
//! takes the target's name.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use rembug_core::Store;
use rembug_docs::{DocumentKind, kelurahan_year_xlsx, meeting_xlsx, render_pdf};

use crate::args::XlsxScope;
use crate::commands::print;
use crate::error::CliError;

pub fn print_document(store: &Store, meeting_id: &str, kind: DocumentKind, out: &Path) -> Result<(), CliError> {
    let pdf = render_pdf(store, meeting_id, kind)?;
    write_atomically(out, &pdf)?;
    print(&format!("{}\n", out.display()))
}

pub fn write_xlsx(store: &Store, scope: &XlsxScope, out: &Path) -> Result<(), CliError> {
    let xlsx = match scope {
        XlsxScope::Meeting(meeting_id) => meeting_xlsx(store, meeting_id)?,
        XlsxScope::KelurahanYear { kelurahan_code, planning_year } => {
            kelurahan_year_xlsx(store, kelurahan_code, *planning_year)?
        }
    };
    write_atomically(out, &xlsx)?;
    print(&format!("{}\n", out.display()))
}

fn write_atomically(out: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let temporary = temporary_path(out);
    let written = File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&temporary, out));
    written.map_err(|error| {
        let _ = fs::remove_file(&temporary);
        CliError::Output(error)
    })
}

/// ".NAME.PID.tmp" in the target's own folder, so the rename stays on one
/// file system.
fn temporary_path(out: &Path) -> PathBuf {
    let name = out.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    out.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}
