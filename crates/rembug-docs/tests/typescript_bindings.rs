//! Fails when the TypeScript bindings the UI imports no longer match the Rust
//! types and codes. Regenerate with `make bindings` (REMBUG_UPDATE_BINDINGS=1).
//! It lives here because this is the one library crate that sees the core,
//! the bundle crate (a dev-dependency) and the documents, whose error codes
//! the UI translates.

use std::path::PathBuf;

#[test]
fn ui_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
    let generated = rembug_core::bindings::typescript(
        [
            rembug_core::bindings::declarations(),
            rembug_bundle::error::typescript_declarations(),
            rembug_docs::typescript_declarations(),
        ]
        .concat(),
    );
    if std::env::var_os("REMBUG_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == generated, "{} is stale: run `make bindings` and commit the result", path.display());
}
