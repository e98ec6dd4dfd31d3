//! Native file dialogs, opened by the shell itself: the window never names a
//! path to read or write, it only asks for a dialog, so a compromised page
//! cannot reach the disk beyond what the user picks.
//!
//! Debug builds answer from `REMBUG_TEST_PICKS` when it is set, since
//! WebDriver cannot drive a GTK dialog: a file whose first line is the next
//! answer (a path, or an empty line for "cancelled"), removed once used.

use std::path::PathBuf;

use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// What a dialog shows, in the user's language (the window sends the words).
pub struct Dialog<'a> {
    pub title: &'a str,
    /// A filter's label and extensions, for the file pickers.
    pub filter: Option<(&'a str, &'a [&'a str])>,
    /// Proposed name for a file to save.
    pub file_name: Option<&'a str>,
}

pub fn pick_folder(app: &AppHandle, dialog: Dialog) -> Option<PathBuf> {
    test_answer().unwrap_or_else(|| builder(app, &dialog).blocking_pick_folder()?.into_path().ok())
}

pub fn pick_file(app: &AppHandle, dialog: Dialog) -> Option<PathBuf> {
    test_answer().unwrap_or_else(|| builder(app, &dialog).blocking_pick_file()?.into_path().ok())
}

pub fn save_file(app: &AppHandle, dialog: Dialog) -> Option<PathBuf> {
    test_answer().unwrap_or_else(|| builder(app, &dialog).blocking_save_file()?.into_path().ok())
}

fn builder(app: &AppHandle, dialog: &Dialog) -> tauri_plugin_dialog::FileDialogBuilder<tauri::Wry> {
    let mut builder = app.dialog().file().set_title(dialog.title);
    if let Some((label, extensions)) = dialog.filter {
        builder = builder.add_filter(label, extensions);
    }
    if let Some(name) = dialog.file_name {
        builder = builder.set_file_name(name);
    }
    builder
}

/// `Some(answer)` when a test scripted this dialog.
#[cfg(debug_assertions)]
fn test_answer() -> Option<Option<PathBuf>> {
    let script = std::env::var_os("REMBUG_TEST_PICKS")?;
    let text = std::fs::read_to_string(&script).ok()?;
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    std::fs::write(&script, rest).ok()?;
    Some((!first.is_empty()).then(|| PathBuf::from(first)))
}

#[cfg(not(debug_assertions))]
fn test_answer() -> Option<Option<PathBuf>> {
    None
}
