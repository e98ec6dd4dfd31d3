//! The `rembug-attachment` URI scheme: shows a stored attachment (an usulan
//! photo, a signature) in the window by its SHA-256 alone, so the UI never
//! receives a file path. `rembug-attachment://localhost/<sha256>` on Linux and
//! macOS; `http://rembug-attachment.localhost/<sha256>` on Windows.
//!
//! The core opens only names that are lower-case hex SHA-256 of a recorded
//! attachment; anything else, and any failure, is a plain 404.

use std::io::Read;

use rembug_core::Store;
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

pub const SCHEME: &str = "rembug-attachment";

/// Answers off the main thread: a photo is read from disk.
pub fn serve<R: Runtime>(context: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = context.app_handle().clone();
    let sha256 = request.uri().path().trim_start_matches('/').to_owned();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.try_state::<AppState>();
        let store = state.as_ref().and_then(|state| state.store().ok());
        responder.respond(respond(store.as_deref(), &sha256));
    });
}

/// The attachment named by `sha256` with its stored media type, or a 404.
fn respond(store: Option<&Store>, sha256: &str) -> Response<Vec<u8>> {
    store.and_then(|store| read(store, sha256)).and_then(image_response).unwrap_or_else(not_found)
}

fn image_response((media_type, bytes): (String, Vec<u8>)) -> Option<Response<Vec<u8>>> {
    Response::builder()
        .header(header::CONTENT_TYPE, media_type)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        // Shown as an image, never run as a page.
        .header(header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox")
        // A hash names the same bytes forever.
        .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
        .body(bytes)
        .ok()
}

fn not_found() -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// The attachment's media type and bytes, if it is stored.
fn read(store: &Store, sha256: &str) -> Option<(String, Vec<u8>)> {
    let attachment = store.attachment(sha256).ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(attachment.size).unwrap_or_default());
    store.open_attachment(sha256).ok()?.read_to_end(&mut bytes).ok()?;
    Some((attachment.media_type, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_stored_hash_is_served_with_its_media_type() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("rembug.sqlite3")).unwrap();
        let photo = store.put_attachment(&mut &b"\x89PNG foto jalan"[..], "image/png").unwrap();

        let found = respond(Some(&store), &photo.sha256);
        assert_eq!(found.status(), StatusCode::OK);
        assert_eq!(found.headers()[header::CONTENT_TYPE], "image/png");
        assert_eq!(found.body().as_slice(), b"\x89PNG foto jalan");

        let upper = photo.sha256.to_uppercase();
        let unknown = "0".repeat(64);
        for name in ["../rembug.sqlite3", "rembug.sqlite3", "", upper.as_str(), unknown.as_str(), "attachments/x"] {
            let refused = respond(Some(&store), name);
            assert_eq!(refused.status(), StatusCode::NOT_FOUND, "{name:?}");
            assert!(refused.body().is_empty(), "{name:?}");
        }
        // A data folder that could not be opened serves nothing.
        assert_eq!(respond(None, &photo.sha256).status(), StatusCode::NOT_FOUND);
    }
}
