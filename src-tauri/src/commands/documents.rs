//! Cetak: a meeting's documents as PDF, saved where the user picks or opened
//! in the system's PDF viewer for printing, and its workbook as XLSX. The
//! documents are laid out by `rembug-docs`; paths come from native dialogs.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rembug_core::CoreError;
use rembug_core::error::ErrorReply;
use rembug_core::meeting::Meeting;
use rembug_core::signing::SigningCheck;
use rembug_docs::{
    DocsError, DocumentKind, meeting_xlsx, render_for_signing, render_pdf, render_preview, write_atomically,
};
use tauri::{AppHandle, State};

use super::Reply;
use crate::dialogs::{self, Dialog};
use crate::state::AppState;

/// Where documents opened for printing are written, inside the data folder.
const PRINT_FOLDER: &str = "cetak";

fn docs_reply<T>(result: Result<T, DocsError>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&error))
}

/// `berita-acara-baros-rw08-2026-12-15.pdf`.
fn file_name(meeting: &Meeting, document: &str, extension: &str) -> String {
    format!("{document}-{}.{extension}", meeting.file_stem())
}

/// The document's pages as PNG data URLs, for the preview in the window
/// (the CSP allows `data:` images; nothing is written to disk).
pub fn preview_document(state: State<'_, AppState>, id: String, kind: DocumentKind) -> Reply<Vec<String>> {
    let store = state.store()?;
    let pages = docs_reply(render_preview(&store, &id, kind))?;
    Ok(pages.iter().map(|png| format!("data:image/png;base64,{}", BASE64.encode(png))).collect())
}

/// Renders the document and asks where to save it; null when cancelled.
pub fn save_document(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    kind: DocumentKind,
    title: String,
) -> Reply<Option<String>> {
    let store = state.store()?;
    let meeting = super::reply(store.get_meeting(&id))?;
    let bytes = docs_reply(render_pdf(&store, &id, kind))?;
    let proposed = file_name(&meeting, kind.slug(), "pdf");
    // Not held while the save dialog is open: a restore may be waiting for it.
    drop(store);
    save_bytes(&app, &title, ("PDF", &["pdf"]), &proposed, &bytes)
}

/// Renders the document into the data folder's print folder and opens it
/// in the system's PDF viewer.
pub fn open_document(state: State<'_, AppState>, id: String, kind: DocumentKind) -> Reply<()> {
    let opened = state.store()?;
    let (store, _, data_dir) = opened.parts();
    let meeting = super::reply(store.get_meeting(&id))?;
    let bytes = docs_reply(render_pdf(store, &id, kind))?;
    let folder = data_dir.join(PRINT_FOLDER);
    let path = folder.join(file_name(&meeting, kind.slug(), "pdf"));
    io_reply(std::fs::create_dir_all(&folder).and_then(|()| write_atomically(&path, &bytes)))?;
    io_reply(open::that_detached(&path))
}

/// "Cetak untuk ditandatangani": the draft's paper without the watermark,
/// its footer carrying the code of the record as printed, opened like
/// `open_document`; answers that code.
pub fn open_for_signing(state: State<'_, AppState>, id: String, kind: DocumentKind) -> Reply<String> {
    let opened = state.store()?;
    let (store, _, data_dir) = opened.parts();
    let meeting = super::reply(store.get_meeting(&id))?;
    let printed = docs_reply(render_for_signing(store, &id, kind))?;
    let folder = data_dir.join(PRINT_FOLDER);
    let path = folder.join(file_name(&meeting, &format!("{}-ttd", kind.slug()), "pdf"));
    io_reply(std::fs::create_dir_all(&folder).and_then(|()| write_atomically(&path, &printed.pdf)))?;
    io_reply(open::that_detached(&path))?;
    Ok(printed.code)
}

/// Whether the record changed since its papers were printed for signing.
pub fn signing_check(state: State<'_, AppState>, id: String) -> Reply<SigningCheck> {
    super::reply(state.store()?.signing_check(&id))
}

/// The meeting's usulan and daftar hadir as a workbook; null when cancelled.
pub fn save_meeting_xlsx(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    title: String,
) -> Reply<Option<String>> {
    let store = state.store()?;
    let meeting = super::reply(store.get_meeting(&id))?;
    let bytes = docs_reply(meeting_xlsx(&store, &id))?;
    let proposed = file_name(&meeting, "rekap", "xlsx");
    drop(store);
    save_bytes(&app, &title, ("Excel", &["xlsx"]), &proposed, &bytes)
}

fn save_bytes(
    app: &AppHandle,
    title: &str,
    filter: (&str, &[&str]),
    proposed: &str,
    bytes: &[u8],
) -> Reply<Option<String>> {
    let Some(path) = dialogs::save_file(app, Dialog { title, filter: Some(filter), file_name: Some(proposed) }) else {
        return Ok(None);
    };
    io_reply(write_atomically(&path, bytes))?;
    Ok(Some(path.display().to_string()))
}

fn io_reply<T>(result: std::io::Result<T>) -> Reply<T> {
    result.map_err(|error| ErrorReply::from(&CoreError::Io(error)))
}
