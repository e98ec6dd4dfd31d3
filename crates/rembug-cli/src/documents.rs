//! `print` and `xlsx`: a meeting's documents as PDF and spreadsheets for the
//! office, made by `rembug-docs` and written atomically (a temporary file
//! beside the target, flushed, then renamed) so a half-written file never
//! takes the target's name.

use std::path::Path;

use rembug_core::Store;
use rembug_docs::{DocumentKind, kelurahan_year_xlsx, meeting_xlsx, render_pdf, write_atomically};

use crate::args::XlsxScope;
use crate::commands::print;
use crate::error::CliError;

pub fn print_document(store: &Store, meeting_id: &str, kind: DocumentKind, out: &Path) -> Result<(), CliError> {
    let pdf = render_pdf(store, meeting_id, kind)?;
    write_atomically(out, &pdf).map_err(CliError::Output)?;
    print(&format!("{}\n", out.display()))
}

pub fn write_xlsx(store: &Store, scope: &XlsxScope, out: &Path) -> Result<(), CliError> {
    let xlsx = match scope {
        XlsxScope::Meeting(meeting_id) => meeting_xlsx(store, meeting_id)?,
        XlsxScope::KelurahanYear { kelurahan_code, planning_year } => {
            kelurahan_year_xlsx(store, kelurahan_code, *planning_year)?
        }
    };
    write_atomically(out, &xlsx).map_err(CliError::Output)?;
    print(&format!("{}\n", out.display()))
}
