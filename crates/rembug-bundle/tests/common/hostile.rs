//! The corpus of hostile bundles, generated from a good one: each must be
//! refused with its own reason. Shared by the verifier's test
//! (`tests/hostile.rs`) and the office server's, which sends each over HTTP.

use rembug_core::device::DeviceIdentity;
use rembug_core::hex;
use serde_json::json;

use super::{Fixture, Parts, RawEntry, raw_zip};

/// One hostile bundle: what it is, its bytes, and the code it must get.
pub struct Hostile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub code: &'static str,
    /// For `meeting_invalid`: the field and code that must be named.
    pub field: Option<(&'static str, &'static str)>,
}

fn hostile(name: &'static str, code: &'static str, bytes: Vec<u8>) -> Hostile {
    Hostile { name, bytes, code, field: None }
}

fn breach(name: &'static str, field: &'static str, field_code: &'static str, bytes: Vec<u8>) -> Hostile {
    Hostile { name, bytes, code: "meeting_invalid", field: Some((field, field_code)) }
}

/// The good bundle's parts with one more entry, listed in the manifest or not.
fn with_entry(good: &[u8], entry: RawEntry) -> Vec<u8> {
    let mut parts = Parts::of(good);
    parts.entries.insert(2, entry);
    parts.zip()
}

fn edited(good: &[u8], change: impl FnOnce(&mut Parts)) -> Vec<u8> {
    let mut parts = Parts::of(good);
    change(&mut parts);
    parts.zip()
}

fn with_manifest(good: &[u8], device: &DeviceIdentity, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    edited(good, |parts| {
        let mut manifest = parts.manifest();
        change(&mut manifest);
        parts.set_manifest(&manifest, device);
    })
}

fn with_meeting(good: &[u8], device: &DeviceIdentity, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    edited(good, |parts| parts.edit_meeting(device, change))
}

pub fn corpus(fixture: &Fixture, good: &[u8]) -> Vec<Hostile> {
    let device = fixture.device();
    let stranger = DeviceIdentity::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
    let photo = Parts::of(good)
        .entries
        .iter()
        .map(|entry| String::from_utf8(entry.name.clone()).unwrap())
        .find(|name| name.starts_with("attachments/"))
        .unwrap();
    let named = |name: &str| RawEntry::file(name, b"x");
    let mut symlink = named("notes");
    symlink.external = 0o120777 << 16;
    let mut directory = named("notes");
    directory.external |= 0x10;
    let mut bomb = RawEntry::file("bomb", &[0u8; 1000]);
    (bomb.method, bomb.size) = (8, Some(1_000_000_000));
    let mut deflated = RawEntry::file("notes.json", &[0u8; 100]);
    (deflated.method, deflated.size) = (8, Some(150));
    let mut zip_encrypted = RawEntry::file("secret", b"x");
    zip_encrypted.flags = 1;
    let mut huge = RawEntry::file("huge", b"");
    (huge.compressed, huge.size) = (Some(100 << 20), Some(100 << 20));
    let mut lying_local = RawEntry::file("notes.json", b"{}");
    lying_local.local_name = Some(b"evil.json".to_vec());
    let mut stored_but_smaller = RawEntry::file("notes.json", b"{}");
    stored_but_smaller.size = Some(1_000);
    let mut non_utf8 = RawEntry::file("x", b"x");
    non_utf8.name = vec![b'a', 0xff, b'b'];
    let mut timestamped = Parts::of(good);
    timestamped.entries[0].made_by = 0x031e;
    let mut cut_middle = good.to_vec();
    cut_middle.drain(100..200);
    let mut commented = good.to_vec();
    let end = commented.len() - 22;
    commented[end + 20..end + 22].copy_from_slice(&7u16.to_le_bytes());
    commented.extend(b"catatan");
    let attachments: Vec<usize> = Parts::of(good)
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.name.starts_with(b"attachments/"))
        .map(|(index, _)| index)
        .collect();

    vec![
        hostile("not a zip", "not_a_zip", b"Ini bukan arsip ZIP, hanya teks biasa yang cukup panjang.".to_vec()),
        hostile("empty file", "not_a_zip", Vec::new()),
        hostile("truncated to half", "truncated", good[..good.len() / 2].to_vec()),
        hostile("bytes cut from the middle", "truncated", cut_middle),
        hostile("absolute path", "absolute_path", with_entry(good, named("/etc/passwd"))),
        hostile("windows drive path", "absolute_path", with_entry(good, named("C:/Windows/evil.dll"))),
        hostile("path traversal", "path_traversal", with_entry(good, named("../../.bashrc"))),
        hostile("nested traversal", "path_traversal", with_entry(good, named("attachments/../../evil"))),
        hostile("backslash traversal", "path_traversal", with_entry(good, named("..\\..\\evil.exe"))),
        hostile("backslash in name", "name_invalid", with_entry(good, named("attachments\\photo"))),
        hostile("empty path segment", "name_invalid", with_entry(good, named("attachments//x"))),
        hostile("control character in name", "name_invalid", with_entry(good, named("a\nb"))),
        hostile("name not ASCII", "name_not_ascii", with_entry(good, named("attachments/fot\u{f6}"))),
        hostile("archive comment", "archive_comment", commented),
        hostile(
            "CRC-32 that is not the data's",
            "crc_mismatch",
            edited(good, |parts| parts.get(&photo).crc32 = Some(0x1234_5678)),
        ),
        hostile(
            "CRC-32 of the manifest that is not its data's",
            "crc_mismatch",
            edited(good, |parts| parts.get("manifest.json").crc32 = Some(0)),
        ),
        hostile(
            "attachments out of order",
            "entry_order",
            edited(good, |parts| parts.entries.swap(attachments[0], attachments[1])),
        ),
        hostile(
            "manifest first",
            "entry_order",
            edited(good, |parts| {
                let manifest = parts.entries.remove(parts.entries.len() - 2);
                parts.entries.insert(0, manifest);
            }),
        ),
        hostile(
            "manifest lists the files in another order than the archive",
            "entry_order",
            with_manifest(good, &device, |m| m["files"].as_array_mut().unwrap().swap(2, 3)),
        ),
        hostile(
            "bundle id not derived",
            "bundle_id_mismatch",
            with_manifest(good, &device, |m| m["bundle_id"] = json!("0".repeat(32))),
        ),
        hostile(
            "manifest with white space",
            "manifest_not_canonical",
            edited(good, |parts| {
                let pretty = serde_json::to_vec_pretty(&parts.manifest()).unwrap();
                parts.get("manifest.sig").data = device.sign(&pretty).to_vec();
                parts.get("manifest.json").data = pretty;
            }),
        ),
        hostile(
            "meeting.json with white space",
            "record_not_canonical",
            edited(good, |parts| {
                let meeting: serde_json::Value = serde_json::from_slice(&parts.get("meeting.json").data).unwrap();
                parts.replace_listed("meeting.json", serde_json::to_vec_pretty(&meeting).unwrap(), &device);
            }),
        ),
        hostile(
            "meeting.json with an unknown key",
            "record_invalid",
            with_meeting(good, &device, |m| m["meeting"]["catatan"] = json!("x")),
        ),
        hostile("name not UTF-8", "name_invalid", with_entry(good, non_utf8)),
        hostile("duplicate entry", "duplicate_entry", with_entry(good, RawEntry::file("meeting.json", b"{}"))),
        hostile("symlink", "symlink", with_entry(good, symlink)),
        hostile("directory entry", "not_a_file", with_entry(good, directory)),
        hostile("entry not in manifest", "unexpected_entry", with_entry(good, named("catatan.txt"))),
        hostile(
            "missing entry",
            "missing_entry",
            edited(good, |parts| parts.entries.retain(|e| e.name != photo.as_bytes())),
        ),
        hostile(
            "declared size differs",
            "size_mismatch",
            with_manifest(good, &device, |m| m["files"][0]["size"] = json!(3)),
        ),
        hostile("stored entry with two sizes", "size_mismatch", with_entry(good, stored_but_smaller)),
        hostile("entry over the size cap", "entry_too_large", with_entry(good, huge)),
        hostile("zip bomb ratio", "zip_bomb", with_entry(good, bomb)),
        hostile("deflated entry", "compression_unsupported", with_entry(good, deflated)),
        hostile("zip-encrypted entry", "zip_encrypted", with_entry(good, zip_encrypted)),
        hostile(
            "too many entries",
            "too_many_entries",
            raw_zip(&(0..5000).map(|i| RawEntry::file(&format!("e{i}"), b"")).collect::<Vec<_>>()),
        ),
        hostile(
            "huge manifest",
            "manifest_too_large",
            edited(good, |parts| parts.get("manifest.json").data = vec![b' '; 2 << 20]),
        ),
        hostile(
            "future format version",
            "future_version",
            with_manifest(good, &device, |m| m["format_version"] = json!(2)),
        ),
        hostile(
            "format version 0",
            "manifest_invalid",
            with_manifest(good, &device, |m| m["format_version"] = json!(0)),
        ),
        hostile("another format", "manifest_invalid", with_manifest(good, &device, |m| m["format"] = json!("odk"))),
        hostile(
            "manifest not JSON",
            "manifest_invalid",
            edited(good, |parts| parts.get("manifest.json").data = b"{".to_vec()),
        ),
        hostile(
            "manifest lists a traversal path",
            "manifest_invalid",
            with_manifest(good, &device, |m| m["files"][0]["path"] = json!("../meeting.json")),
        ),
        hostile(
            "a correction naming a content hash that is no SHA-256",
            "manifest_invalid",
            edited(good, |parts| {
                let previous = "0190f0aa-0000-7000-8000-0000000000aa";
                parts.edit_meeting(&device, |m| {
                    m["meeting"]["revision"] = json!(2);
                    m["meeting"]["supersedes_id"] = json!(previous);
                    m["meeting"]["revision_reason"] = json!("Salah ketik");
                });
                let mut manifest = parts.manifest();
                manifest["revision"] = json!(2);
                manifest["supersedes"] = json!({ "meeting_id": previous, "content_hash": "../../etc" });
                parts.set_manifest(&manifest, &device);
            }),
        ),
        hostile(
            "manifest routes elsewhere than meeting.json",
            "manifest_invalid",
            with_manifest(good, &device, |m| m["rw"] = json!(9)),
        ),
        hostile("bad signature", "signature_invalid", edited(good, |parts| parts.get("manifest.sig").data[0] ^= 0x80)),
        hostile(
            "signed by another key",
            "signature_invalid",
            edited(good, |parts| {
                let manifest = parts.manifest();
                parts.set_manifest(&manifest, &stranger);
            }),
        ),
        hostile(
            "another key claiming this device id",
            "device_id_mismatch",
            with_manifest(good, &stranger, |m| m["device"]["public_key"] = json!(hex::encode(&stranger.public_key()))),
        ),
        hostile(
            "meeting.json changed after signing",
            "hash_mismatch",
            edited(good, |parts| parts.get("meeting.json").data[10] ^= 1),
        ),
        hostile(
            "photo changed after signing",
            "hash_mismatch",
            edited(good, |parts| {
                let last = parts.get(&photo).data.len() - 1;
                parts.get(&photo).data[last] ^= 1;
            }),
        ),
        hostile("local header names another file", "zip_unsupported", with_entry(good, lying_local)),
        hostile("header fields not canonical", "zip_unsupported", timestamped.zip()),
        hostile("ZIP64 marker", "zip_unsupported", {
            let mut bytes = good.to_vec();
            let end = bytes.len() - 22;
            bytes[end + 16..end + 20].copy_from_slice(&u32::MAX.to_le_bytes());
            bytes
        }),
        hostile(
            "meeting.json not JSON",
            "record_invalid",
            edited(good, |parts| parts.replace_listed("meeting.json", b"[1, 2".to_vec(), &device)),
        ),
        breach(
            "negative cost",
            "usulan.0.biaya",
            "amount_negative",
            with_meeting(good, &device, |m| m["usulan"][0]["usulan"]["biaya"] = json!(-5_000_000)),
        ),
        breach(
            "absurd cost",
            "usulan.0.biaya",
            "amount_too_large",
            with_meeting(good, &device, |m| m["usulan"][0]["usulan"]["biaya"] = json!(9_000_000_000_000_i64)),
        ),
        breach(
            "coordinates outside Indonesia",
            "usulan.0.latitude",
            "coordinates_outside_indonesia",
            with_meeting(good, &device, |m| m["usulan"][0]["usulan"]["latitude"] = json!(48.85)),
        ),
        breach(
            "negative volume",
            "usulan.1.volume",
            "volume_negative",
            with_meeting(good, &device, |m| m["usulan"][1]["usulan"]["volume"] = json!(-3.0)),
        ),
        breach("RW 0", "meeting.rw", "rw_out_of_range", with_meeting(good, &device, |m| m["meeting"]["rw"] = json!(0))),
        breach(
            "kelurahan code malformed",
            "meeting.kelurahan_code",
            "kelurahan_code_invalid",
            with_meeting(good, &device, |m| m["meeting"]["kelurahan"]["code"] = json!("32.77.2.1005")),
        ),
        breach(
            "score of 9",
            "usulan.0.scores",
            "score_invalid",
            with_meeting(good, &device, |m| m["usulan"][0]["scores"][0] = json!(9)),
        ),
        breach(
            "two usulan ranked first",
            "usulan.rank",
            "rank_invalid",
            with_meeting(good, &device, |m| m["usulan"][1]["rank"] = json!(1)),
        ),
        breach(
            "an RW usulan claiming to be merged from another RW",
            "usulan.0.origin",
            "origin_invalid",
            with_meeting(good, &device, |m| {
                m["usulan"][0]["usulan"]["origin"] = json!({
                    "rw": 3, "source_meeting_id": "m", "source_usulan_id": "u", "bundle_sha256": null, "rank": 1
                })
            }),
        ),
        breach(
            "a draft meeting",
            "meeting.status",
            "meeting_not_locked",
            with_meeting(good, &device, |m| m["meeting"]["status"] = json!("draft")),
        ),
        breach(
            "terminal escape in an unsur",
            "counts.by_unsur.0.unsur",
            "text_invalid",
            with_meeting(good, &device, |m| m["counts"]["by_unsur"][0]["unsur"] = json!("PKK\u{1b}[2J")),
        ),
        breach(
            "carriage return in the notulen",
            "agenda.0.discussion",
            "text_invalid",
            with_meeting(good, &device, |m| m["agenda"][0]["discussion"] = json!("rapat\rDIBATALKAN")),
        ),
        breach(
            "line break in an usulan id",
            "usulan.0.usulan.id",
            "id_invalid",
            with_meeting(good, &device, |m| m["usulan"][0]["usulan"]["id"] = json!("a\nb")),
        ),
        breach(
            "bell in a history action",
            "history.0.action",
            "text_invalid",
            with_meeting(good, &device, |m| m["history"][0]["action"] = json!("created\u{7}")),
        ),
        breach(
            "a revision claiming to be superseded",
            "meeting.superseded_by",
            "must_be_null",
            with_meeting(good, &device, |m| {
                m["meeting"]["superseded_by"] = json!("019a6f2e-7c1d-7a4b-9f00-0123456789ab")
            }),
        ),
        breach(
            "the proposer's name in the public record",
            "usulan.0.proposer_name",
            "must_be_null",
            with_meeting(good, &device, |m| m["usulan"][0]["usulan"]["proposer_name"] = json!("Ujang")),
        ),
        breach(
            "an escape sequence in an usulan's keterangan",
            "usulan.0.usulan.keterangan",
            "text_invalid",
            with_meeting(good, &device, |m| m["usulan"][0]["usulan"]["keterangan"] = json!("lihat\u{1b}[2J")),
        ),
        breach(
            "four photos of one usulan marked for SIPD",
            "usulan.0.photos",
            "sipd_photos_full",
            with_meeting(good, &device, |m| {
                let photo = m["usulan"][0]["usulan"]["photos"][0].clone();
                let marked: Vec<_> = (1..=4)
                    .map(|position| {
                        let mut copy = photo.clone();
                        copy["position"] = json!(position);
                        copy["untuk_sipd"] = json!(true);
                        copy
                    })
                    .collect();
                m["usulan"][0]["usulan"]["photos"] = json!(marked);
            }),
        ),
        breach(
            "counts that do not add up",
            "counts",
            "counts_inconsistent",
            with_meeting(good, &device, |m| m["counts"]["women"] = json!(40)),
        ),
    ]
}
