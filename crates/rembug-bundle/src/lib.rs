//! Session bundles: a locked meeting sealed into one signed, content-addressed
//! file that travels by USB stick or network, and the checks a bundle passes
//! before anything of it is stored. Shared by the desktop app, the CLI and the
//! office server; it never depends on Tauri. The format is specified in
//! `docs/bundle-format.md`.

mod archive;
mod archive_writer;
pub mod crypto;
mod digest;
pub mod error;
mod export;
pub mod format;
mod import;
pub mod office;
mod progress;
mod seal;
pub mod signed_pages;
mod validate;
mod verify;
mod writeback;

pub use error::{BundleError, BundleErrorCode, Result};
pub use export::{EXTENSION, export_signed_pages_to_folder, export_to_folder, file_name, sealing_key};
pub use format::Manifest;
pub use import::{import_any_file, import_file};
pub use progress::SealProgress;
pub use rembug_core::wire;
pub use seal::{Sealed, seal, seal_with_progress};
pub use signed_pages::{
    PagesManifest, SealedPages, VerifiedPages, import_signed_pages_file, is_signed_pages_file, seal_signed_pages,
    verify_signed_pages_file,
};
pub use verify::{VerifiedBundle, VerifiedFile, verify, verify_file};
