//! The city office's server (`docs/sync-protocol.md`): enrolled devices
//! deliver their session bundles over links that drop, each stored once by
//! its SHA-256 after full verification, and get a signed receipt.
//!
//! - `office.rs`: the data folder, its keys, and what staff do from the
//!   command line (codes, revocation, cleanup);
//! - `store/`: the index behind the [`store::OfficeStore`] trait, with the
//!   embedded SQLite store and the PostgreSQL one;
//! - `blobs.rs`: the delivered bundle files behind the
//!   [`blobs::BlobStore`] trait (a local, possibly shared, folder);
//! - `server.rs`: the HTTP handlers, limits and TLS;
//! - `dashboard.rs`: the staff dashboard (server-rendered HTML), with
//!   `html.rs`'s escaping;
//! - `password.rs`: staff password hashes;
//! - `synth.rs`: a synthetic planning year in the index, for measuring the
//!   dashboard at national size.

pub mod blobs;
mod dashboard;
pub mod html;
pub mod office;
pub mod password;
pub mod server;
pub mod store;
pub mod synth;

pub use office::Office;
pub use server::{Limits, serve};
