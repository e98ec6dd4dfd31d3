//! `receipt`: opens a receipt file the office saved for a bundle brought on
//! a USB stick; once its signature and bundle check out, the meeting is
//! delivered as after a sync; the receipt of a meeting's signed pages marks
//! those photos delivered. The checks are rembug-sync's.

use std::io::Read;
use std::path::Path;

use rembug_core::DataDir;
use rembug_core::device::DeviceIdentity;
use rembug_core::trust::ReceiptFile;
use rembug_sync::receipt_file::{ReceiptFileError, accept_receipt_file};

use crate::commands::print;
use crate::error::CliError;

pub fn open_receipt_file(dir: &Path, file: &Path) -> Result<(), CliError> {
    let mut text = String::new();
    std::fs::File::open(file)
        .and_then(|opened| opened.take(ReceiptFile::MAX_BYTES + 1).read_to_string(&mut text))
        .map_err(|error| CliError::Core(error.into()))?;
    if text.len() as u64 > ReceiptFile::MAX_BYTES {
        return Err(CliError::Receipt(ReceiptFileError::Invalid));
    }
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let device = DeviceIdentity::load_or_create(data_dir.path())?;
    let accepted = accept_receipt_file(&store, &device, &text)?;
    let state = if accepted.already_delivered { "sudah tercatat terkirim" } else { "kini tercatat terkirim" };
    let what = match accepted.pages {
        Some(pages) => format!("{pages} foto lembar bertanda tangan musyawarah {}", accepted.meeting_id),
        None => format!("Musyawarah {}", accepted.meeting_id),
    };
    let file = if accepted.pages.is_some() { "Berkas foto" } else { "Bundel" };
    print(&format!(
        "Tanda terima kantor sah. {what} {state}.\n{file}: {}\nDiterima kantor: {}\n",
        accepted.receipt.sha256, accepted.receipt.received_at
    ))
}
