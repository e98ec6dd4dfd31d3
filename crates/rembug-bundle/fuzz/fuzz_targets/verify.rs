//! Feeds arbitrary bytes to the bundle reader: it must answer Ok or a
//! refusal, never panic, hang or allocate without bound.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = Cursor::new(data);
    if let Ok(bundle) = rembug_bundle::verify(&mut reader) {
        let _ = bundle.personal_record(&mut reader, Some([7; 32]));
    }
});
