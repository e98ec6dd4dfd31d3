//! A corpus of hostile bundles (`common/hostile.rs`), generated from a good
//! one: each must be refused with its own reason, and verifying stores
//! nothing.

mod common;

use std::io::Cursor;

use common::hostile::corpus;
use common::{Parts, locked_meeting};
use rembug_core::hex;
use serde_json::json;

#[test]
fn every_hostile_bundle_is_refused_with_its_reason_and_nothing_is_stored() {
    let fixture = locked_meeting();
    let (_, good) = fixture.seal(None, "good.rembug");
    assert_eq!(Parts::of(&good).zip(), good, "the test's ZIP writer writes what a bundle writer writes");
    rembug_bundle::verify(&mut Cursor::new(&good)).unwrap();
    let receiving = tempfile::tempdir().unwrap();
    let corpus = corpus(&fixture, &good);
    assert!(corpus.len() >= 30, "{} hostile bundles", corpus.len());
    for hostile in &corpus {
        let path = common::write(receiving.path(), "hostile.rembug", &hostile.bytes);
        let error = match rembug_bundle::verify_file(&path) {
            Ok(_) => panic!("{}: accepted", hostile.name),
            Err(error) => error,
        };
        assert_eq!(error.code(), hostile.code, "{}: {error}", hostile.name);
        if let Some((field, code)) = hostile.field {
            let named = error.field_errors().iter().any(|e| e.field == field && e.code == code);
            assert!(named, "{}: {field} {code} not in {:?}", hostile.name, error.field_errors());
        }
    }
    let left: Vec<_> = std::fs::read_dir(receiving.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["hostile.rembug"], "verifying writes nothing");
}

/// The STREAM construction of `docs/bundle-format.md` section 5, written
/// from the text rather than from `crypto.rs`: `chunks` are sealed in turn,
/// the last one marked last, whatever their sizes.
fn stream_encrypt(ephemeral_secret: [u8; 32], recipient: [u8; 32], name: &str, chunks: &[&[u8]]) -> Vec<u8> {
    use chacha20poly1305::aead::{Aead, KeyInit};
    let secret = x25519_dalek::StaticSecret::from(ephemeral_secret);
    let ephemeral = x25519_dalek::PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&x25519_dalek::PublicKey::from(recipient));
    let mut key = [0u8; 32];
    hkdf::Hkdf::<sha2::Sha256>::new(Some(&[ephemeral, recipient].concat()), shared.as_bytes())
        .expand(format!("rembug-bundle-v1 {name}").as_bytes(), &mut key)
        .unwrap();
    let cipher = chacha20poly1305::ChaCha20Poly1305::new(&key.into());
    let mut out = Vec::new();
    for (counter, chunk) in chunks.iter().enumerate() {
        let mut nonce = [0u8; 12];
        nonce[3..11].copy_from_slice(&(counter as u64).to_be_bytes());
        nonce[11] = u8::from(counter + 1 == chunks.len());
        out.extend(cipher.encrypt(&nonce.into(), *chunk).unwrap());
    }
    out
}

#[test]
fn an_encrypted_file_ending_in_an_empty_chunk_after_a_full_one_is_refused_by_the_office() {
    let fixture = locked_meeting();
    let device = fixture.device();
    let (office_secret, office_public) = rembug_bundle::crypto::office_key_pair([3; 32]);
    let (_, sealed) = fixture.seal(Some(office_public), "office.rembug");
    let bundle = rembug_bundle::verify(&mut Cursor::new(&sealed)).unwrap();
    let personal = bundle.personal_record(&mut Cursor::new(&sealed), Some(office_secret)).unwrap();
    let personal_json = serde_json::to_vec(&rembug_bundle::wire::v1::PersonalRecord::from(&personal)).unwrap();

    // Sealed again under a new ephemeral key, the first personal attachment
    // as a full chunk followed by an empty last one.
    let ephemeral_secret = [5u8; 32];
    let full = vec![7u8; rembug_bundle::crypto::CHUNK];
    let mut parts = Parts::of(&sealed);
    let mut manifest = parts.manifest();
    let ephemeral = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(ephemeral_secret)).to_bytes();
    manifest["personal"]["ephemeral_key"] = json!(hex::encode(&ephemeral));
    parts.set_manifest(&manifest, &device);
    let personal_enc = stream_encrypt(ephemeral_secret, office_public, "personal.json.enc", &[&personal_json]);
    parts.replace_listed("personal.json.enc", personal_enc, &device);
    let forged = stream_encrypt(ephemeral_secret, office_public, "personal/0001.enc", &[&full, b""]);
    parts.replace_listed("personal/0001.enc", forged, &device);
    let bytes = parts.zip();

    let bundle = rembug_bundle::verify(&mut Cursor::new(&bytes)).unwrap();
    let mut reader = Cursor::new(&bytes);
    assert_eq!(bundle.personal_record(&mut reader, Some(office_secret)).unwrap(), personal);
    let error = bundle
        .read_attachment(&mut reader, Some(office_secret), &personal.attachments[0], &mut std::io::sink())
        .unwrap_err();
    assert_eq!(error.code(), "empty_final_chunk", "{error}");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_named_like_a_bundle_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("x.rembug");
    let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let folder = dir.path().join("folder.rembug");
    std::fs::create_dir(&folder).unwrap();
    let store = rembug_core::DataDir::open(&dir.path().join("data")).unwrap().open_store().unwrap();
    for path in [fifo, folder] {
        // No writer ever opens the FIFO: a reader that waits for one hangs, so
        // the check runs on another thread with a deadline.
        let (sender, answer) = std::sync::mpsc::channel();
        let checked = path.clone();
        std::thread::spawn(move || sender.send(rembug_bundle::verify_file(&checked).map(drop)).unwrap());
        let error = answer.recv_timeout(std::time::Duration::from_secs(10)).expect("verify_file hung").unwrap_err();
        assert_eq!(error.code(), "bundle_not_a_file", "{}: {error}", path.display());
        assert_eq!(rembug_bundle::import_file(&store, &path).unwrap_err().code(), "bundle_not_a_file");
    }
}
