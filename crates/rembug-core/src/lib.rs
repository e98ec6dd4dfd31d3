//! Rembug's core: the domain of a musyawarah, its validation, and the local
//! store. Shared by the desktop shell, the CLI and the office server; it never
//! depends on Tauri or on any UI.

pub mod answers;
pub mod atomic;
pub mod attendance;
pub mod autocomplete;
pub mod backup;
pub mod bindings;
pub mod calendar;
pub mod consolidation;
pub mod data_dir;
pub mod demo;
pub mod device;
pub mod error;
pub mod hex;
pub mod imported;
pub mod kop;
pub mod meeting;
pub mod notulen;
pub mod opd;
pub mod outbox;
pub mod people;
pub mod photo_metadata;
pub mod photos;
pub mod ranking;
pub mod record;
pub mod rupiah;
pub mod sending;
pub mod settings;
pub mod signatories;
pub mod signed_pages;
pub mod signing;
pub mod similar;
pub mod store;
mod string_enum;
pub mod tanggal;
pub mod text;
pub mod transfer;
pub mod trust;
pub mod usulan;
pub mod wilayah;
pub mod wire;

pub use data_dir::DataDir;
pub use error::{CoreError, FieldCode, FieldError, Result};
pub use store::Store;
