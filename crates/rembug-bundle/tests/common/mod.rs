//! A locked meeting to seal, and the tools to take a bundle apart and put a
//! hostile one together: a raw ZIP writer that writes whatever it is told.
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use rembug_core::attendance::Role;
use rembug_core::device::DeviceIdentity;
use rembug_core::meeting::MeetingForm;
use rembug_core::people::PersonForm;
use rembug_core::usulan::UsulanForm;
use rembug_core::{DataDir, Store};

/// Residents' names: none may appear in an encrypted bundle's bytes.
pub const NAMES: [&str; 4] = ["Sulastri Wiryaningsih", "Bambang Hadiprayitno", "Euis Kartikasari", "Ujang Sukmajaya"];
pub const PHONES: [&str; 4] = ["081234567890", "081298765432", "085711112222", "087833334444"];

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub data_dir: DataDir,
    pub store: Store,
    pub meeting_id: String,
}

impl Fixture {
    pub fn data_path(&self) -> PathBuf {
        self.data_dir.path().to_owned()
    }

    pub fn device(&self) -> DeviceIdentity {
        DeviceIdentity::load_or_create(self.data_dir.path()).unwrap()
    }

    pub fn seal(&self, office_key: Option<[u8; 32]>, name: &str) -> (rembug_bundle::Sealed, Vec<u8>) {
        let out = self.dir.path().join(name);
        let sealed = rembug_bundle::seal(&self.store, &self.device(), &self.meeting_id, office_key, &out).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        (sealed, bytes)
    }
}

/// A rembug warga of RW 05 in Melong with four residents (two signed on
/// screen), a photo of a paper sheet, agenda, two usulan (one with a photo),
/// scores, delegates; locked.
pub fn locked_meeting() -> Fixture {
    locked_meeting_with(|_, _| {})
}

/// [`locked_meeting`], with `add` called on the draft before it is locked.
pub fn locked_meeting_with(add: impl FnOnce(&Store, &str)) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = DataDir::open(&dir.path().join("data")).unwrap();
    let store = data_dir.open_store().unwrap();
    let meeting = store.create_meeting(&meeting_form()).unwrap();
    let id = meeting.id.clone();
    let mut people = Vec::new();
    for (index, (name, phone)) in NAMES.iter().zip(PHONES).enumerate() {
        let form = PersonForm {
            name: (*name).into(),
            gender: if index % 2 == 0 { "P" } else { "L" }.into(),
            unsur: if index == 0 { "PKK" } else { "warga" }.into(),
            rt: (index + 1).to_string(),
            rw: "5".into(),
            phone: phone.into(),
            ..PersonForm::default()
        };
        people.push(store.check_in_new(&id, &form, Role::Peserta).unwrap().person_id);
    }
    for (index, person) in people.iter().take(2).enumerate() {
        store.set_signature(&id, person, &png(10 + index as u32)).unwrap();
    }
    store.add_attendance_sheet_photo(&id, Cursor::new(png(40)), "image/png").unwrap();
    let item = store.add_agenda_item(&id, "Pembukaan").unwrap();
    let notes = rembug_core::notulen::AgendaItemForm {
        title: "Pembukaan".into(),
        discussion: "Ketua RW membuka rapat.".into(),
        decisions: "Usulan jalan didahulukan.".into(),
    };
    store.save_agenda_item(&item.id, &notes).unwrap();
    let first = store.add_usulan(&id, &usulan_form("Perbaikan jalan lingkungan", "-6,8725", "107,5421")).unwrap();
    let second = store.add_usulan(&id, &usulan_form("Pelatihan UMKM", "", "")).unwrap();
    store.add_usulan_photo(&first.id, Cursor::new(png(64)), false).unwrap();
    let criteria = store.ensure_default_criteria(&id).unwrap();
    for (criterion, score) in criteria.iter().zip([5, 4, 3, 2, 1]) {
        store.set_score(&first.id, &criterion.id, Some(score)).unwrap();
        store.set_score(&second.id, &criterion.id, Some(6 - score)).unwrap();
    }
    store.set_delegates(&id, &people[..3]).unwrap();
    add(&store, &id);
    store.lock_meeting(&id).unwrap();
    Fixture { dir, data_dir, store, meeting_id: id }
}

pub fn meeting_form() -> MeetingForm {
    MeetingForm {
        stage: "rembug_warga".into(),
        kelurahan_code: "32.77.01.1001".into(),
        rw: "5".into(),
        planning_year: "2027".into(),
        date: "2026-12-05".into(),
        start_time: "09:00".into(),
        place: "Aula Masjid Al-Ikhlas".into(),
        facilitator: "Neneng Suryani".into(),
        notulis: "Asep Saepudin".into(),
        pimpinan: "Ujang Suryana".into(),
        pimpinan_jabatan: "Ketua RW".into(),
        nomor: String::new(),
    }
}

fn usulan_form(kegiatan: &str, latitude: &str, longitude: &str) -> UsulanForm {
    UsulanForm {
        permasalahan: "Jalan berlubang saat hujan".into(),
        kegiatan: kegiatan.into(),
        alamat: "Jl. Melong Gg. Melati".into(),
        rt_list: "1, 3".into(),
        latitude: latitude.into(),
        longitude: longitude.into(),
        volume: "150".into(),
        satuan: "meter".into(),
        biaya: "Rp 45.000.000".into(),
        bidang: "infrastruktur".into(),
        ..UsulanForm::default()
    }
}

/// A small PNG whose pixels depend on `seed`, so each is a distinct file.
pub fn png(seed: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(seed, seed, |x, y| image::Rgb([(x * seed) as u8, (y + seed) as u8, 90]));
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// One entry of a raw ZIP, every header field as given.
#[derive(Clone, Debug)]
pub struct RawEntry {
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    pub method: u16,
    pub flags: u16,
    /// Host in the high byte (3 = Unix).
    pub made_by: u16,
    pub external: u32,
    /// Overrides of the sizes written in both headers.
    pub compressed: Option<u32>,
    pub size: Option<u32>,
    /// A different name in the local header than in the central directory.
    pub local_name: Option<Vec<u8>>,
    /// Overrides the CRC-32 written in both headers.
    pub crc32: Option<u32>,
}

impl RawEntry {
    pub fn file(name: &str, data: &[u8]) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            data: data.to_vec(),
            method: 0,
            flags: 0,
            made_by: 0x030a,
            external: 0o100644 << 16,
            compressed: None,
            size: None,
            local_name: None,
            crc32: None,
        }
    }
}

/// Writes the entries as a ZIP archive, local headers then central
/// directory, as told; the bytes need not make sense.
pub fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for entry in entries {
        offsets.push(out.len() as u32);
        let local_name = entry.local_name.as_ref().unwrap_or(&entry.name);
        out.extend(0x0403_4b50u32.to_le_bytes());
        shared_fields(&mut out, entry);
        out.extend((local_name.len() as u16).to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(local_name);
        out.extend(&entry.data);
    }
    let directory_offset = out.len() as u32;
    for (entry, offset) in entries.iter().zip(&offsets) {
        out.extend(0x0201_4b50u32.to_le_bytes());
        out.extend(entry.made_by.to_le_bytes());
        shared_fields(&mut out, entry);
        out.extend((entry.name.len() as u16).to_le_bytes());
        out.extend([0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend(entry.external.to_le_bytes());
        out.extend(offset.to_le_bytes());
        out.extend(&entry.name);
    }
    let directory_size = out.len() as u32 - directory_offset;
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend(directory_size.to_le_bytes());
    out.extend(directory_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The fields both headers share: version needed (1.0), flags, method,
/// 1980-01-01 00:00, CRC-32 and the two sizes.
fn shared_fields(out: &mut Vec<u8>, entry: &RawEntry) {
    out.extend(10u16.to_le_bytes());
    out.extend(entry.flags.to_le_bytes());
    out.extend(entry.method.to_le_bytes());
    out.extend([0, 0, 0x21, 0]);
    out.extend(entry.crc32.unwrap_or_else(|| crc32(&entry.data)).to_le_bytes());
    out.extend(entry.compressed.unwrap_or(entry.data.len() as u32).to_le_bytes());
    out.extend(entry.size.unwrap_or(entry.data.len() as u32).to_le_bytes());
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A bundle's entries in order, to change and put back together; changes to
/// the manifest are signed again with `device`, so checks past the
/// signature are reached.
pub struct Parts {
    pub entries: Vec<RawEntry>,
}

impl Parts {
    pub fn of(bundle: &[u8]) -> Parts {
        let mut archive = zip::ZipArchive::new(Cursor::new(bundle)).unwrap();
        let entries = (0..archive.len())
            .map(|index| {
                let mut file = archive.by_index(index).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                RawEntry::file(file.name(), &data)
            })
            .collect();
        Parts { entries }
    }

    pub fn get(&mut self, name: &str) -> &mut RawEntry {
        self.entries.iter_mut().find(|entry| entry.name == name.as_bytes()).unwrap_or_else(|| panic!("no {name}"))
    }

    pub fn manifest(&mut self) -> serde_json::Value {
        serde_json::from_slice(&self.get("manifest.json").data).unwrap()
    }

    /// Replaces the manifest and signs it with `device`. Written in its
    /// canonical form (the writer's key order) whenever it still parses, so
    /// the checks past the canonical form are reached.
    pub fn set_manifest(&mut self, manifest: &serde_json::Value, device: &DeviceIdentity) {
        let bytes = canonical::<rembug_bundle::Manifest>(manifest);
        self.get("manifest.sig").data = device.sign(&bytes).to_vec();
        self.get("manifest.json").data = bytes;
    }

    /// Changes meeting.json and lists its new hash and size, signed again.
    pub fn edit_meeting(&mut self, device: &DeviceIdentity, edit: impl FnOnce(&mut serde_json::Value)) {
        let mut meeting: serde_json::Value = serde_json::from_slice(&self.get("meeting.json").data).unwrap();
        edit(&mut meeting);
        let bytes = canonical::<rembug_bundle::wire::v1::PublicRecord>(&meeting);
        self.replace_listed("meeting.json", bytes, device);
    }

    /// Replaces an entry's bytes and its manifest listing, signed again.
    pub fn replace_listed(&mut self, name: &str, bytes: Vec<u8>, device: &DeviceIdentity) {
        let mut manifest = self.manifest();
        let sha256 = rembug_core::hex::sha256_hex(&bytes);
        if name == "meeting.json" {
            manifest["content_hash"] = sha256.clone().into();
            let device_id = manifest["device"]["id"].as_str().unwrap().to_owned();
            manifest["bundle_id"] = rembug_bundle::format::bundle_id(&sha256, &device_id).into();
        }
        for file in manifest["files"].as_array_mut().unwrap() {
            if file["path"] == name {
                file["sha256"] = sha256.clone().into();
                file["size"] = bytes.len().into();
            }
        }
        self.get(name).data = bytes;
        self.set_manifest(&manifest, device);
    }

    pub fn zip(&self) -> Vec<u8> {
        raw_zip(&self.entries)
    }
}

/// The bytes the bundle writer gives for `value` read as a `T`, or, when it
/// does not read as one, its bytes as they are.
fn canonical<T: serde::de::DeserializeOwned + serde::Serialize>(value: &serde_json::Value) -> Vec<u8> {
    match serde_json::from_value::<T>(value.clone()) {
        Ok(typed) => serde_json::to_vec(&typed).unwrap(),
        Err(_) => serde_json::to_vec(value).unwrap(),
    }
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
pub mod hostile;
