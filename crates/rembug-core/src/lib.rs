//! Rembug's core: the domain of a musyawarah, its validation, and the local
//! store. Shared by the desktop shell, the CLI and the office server; it never
//! depends on Tauri or on any UI.

pub mod bindings;
pub mod data_dir;
pub mod error;
pub mod meeting;
pub mod settings;
pub mod store;
mod text;
pub mod wilayah;

pub use data_dir::DataDir;
pub use error::{CoreError, FieldError, Result};
pub use store::Store;
