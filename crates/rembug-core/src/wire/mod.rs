//! The records a session bundle carries (`meeting.json`, `personal.json`),
//! as their own types, one module per bundle format version.
//!
//! The app's view types (`Meeting`, `Usulan`, ...) change with the app; these
//! do not. A version's types are frozen: their fields, order and JSON shape
//! are the format (`docs/bundle-format.md`), so a revision locked and sealed
//! today gives the same bytes, and the same `content_hash`, in every later
//! build. A change that alters the bytes is a new module (`v2`), and `v1`
//! stays, still read. Enumerations travel as the strings the format names,
//! so renaming a variant in the domain cannot change a byte here; converting
//! back to the domain parses them.

pub mod v1;
