//! What went wrong, said in Indonesian: never a Rust debug string.

use std::fmt;
use std::path::PathBuf;

use rembug_bundle::BundleError;
use rembug_core::CoreError;
use rembug_docs::DocsError;
use rembug_sync::outbox::SyncError;
use rembug_sync::receipt_file::ReceiptFileError;

#[derive(Debug)]
pub enum CliError {
    /// No `--data-dir`, no `REMBUG_DATA_DIR`, and the OS has no app-data folder.
    NoDataDir,
    /// A read command pointed at a folder with no database.
    NoDatabase(PathBuf),
    Core(CoreError),
    /// A bundle was refused, or could not be written.
    Bundle(BundleError),
    /// A document or spreadsheet could not be made.
    Docs(DocsError),
    Output(std::io::Error),
    /// `restore` without `--yes` where nobody could confirm it.
    RestoreNotConfirmed,
    /// `office-key` with another key than the one set, without `--ganti`.
    OfficeKeyDiffers {
        current: String,
        chosen: String,
    },
    /// Enrolling or sending to the office failed.
    Sync(SyncError),
    /// `sync` could not deliver this many bundles (each said why).
    NotAllDelivered(usize),
    /// `import-wilayah --kota` named no kota the file holds.
    NoKelurahanInKota(String),
    /// A receipt file was not kept.
    Receipt(ReceiptFileError),
}

impl From<ReceiptFileError> for CliError {
    fn from(error: ReceiptFileError) -> Self {
        match error {
            ReceiptFileError::Sync(sync) => sync.into(),
            other => CliError::Receipt(other),
        }
    }
}

impl From<SyncError> for CliError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Core(core) => CliError::Core(core),
            SyncError::Bundle(bundle) => CliError::Bundle(bundle),
            other => CliError::Sync(other),
        }
    }
}

impl From<CoreError> for CliError {
    fn from(error: CoreError) -> Self {
        CliError::Core(error)
    }
}

impl From<BundleError> for CliError {
    fn from(error: BundleError) -> Self {
        match error {
            BundleError::Core(core) => CliError::Core(core),
            other => CliError::Bundle(other),
        }
    }
}

impl From<DocsError> for CliError {
    fn from(error: DocsError) -> Self {
        match error {
            DocsError::Core(core) => CliError::Core(core),
            other => CliError::Docs(other),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::NoDataDir => write!(f, "folder data tidak diketahui; sebutkan dengan --data-dir FOLDER"),
            CliError::NoDatabase(path) => write!(f, "belum ada data Rembug di {}", path.display()),
            CliError::Output(error) => write!(f, "gagal menulis keluaran: {error}"),
            CliError::RestoreNotConfirmed => {
                write!(f, "pemulihan dibatalkan; tambahkan --yes untuk memulihkan tanpa bertanya")
            }
            CliError::OfficeKeyDiffers { current, chosen } => write!(
                f,
                "kunci kantor lain sudah terpasang (sidik jari {current}); berkas ini berisi kunci {chosen}. \
                 Cocokkan sidik jari baru dengan kantor kota, lalu jalankan lagi dengan --ganti untuk menggantinya; \
                 kunci tidak diubah (office_key_differs)"
            ),
            CliError::Core(error) => write_core(f, error),
            CliError::Sync(error) => write_sync(f, error),
            CliError::NoKelurahanInKota(kota) => {
                write!(
                    f,
                    "berkas wilayah tidak memuat kelurahan/desa untuk kota {kota}; wilayah tidak diubah (wilayah_kota_unknown)"
                )
            }
            CliError::Receipt(error) => write_receipt(f, error),
            CliError::NotAllDelivered(count) => {
                write!(f, "{count} musyawarah belum terkirim ke kantor (not_delivered)")
            }
            CliError::Bundle(BundleError::MeetingNotLocked) => {
                write!(f, "hanya musyawarah yang sudah dikunci yang bisa diekspor (meeting_not_locked)")
            }
            CliError::Bundle(error @ BundleError::UnencryptedNotConfirmed) => write!(
                f,
                "kunci kantor kota belum diatur: tanpa kunci itu nama, nomor HP dan tanda tangan warga di daftar hadir \
                 terbaca oleh siapa pun yang memegang bundelnya. Atur kuncinya dengan `rembug office-key BERKAS`, \
                 atau tambahkan --tanpa-enkripsi bila memang harus dikirim tanpa enkripsi ({})",
                error.code()
            ),
            CliError::Bundle(BundleError::Io(inner)) => write!(f, "kesalahan berkas: {inner} (io)"),
            CliError::Bundle(error) => write!(f, "bundel ditolak: {error} ({})", error.code()),
            CliError::Docs(error) => write!(f, "dokumen gagal dibuat: {error} ({})", error.code()),
        }
    }
}

fn write_sync(f: &mut fmt::Formatter<'_>, error: &SyncError) -> fmt::Result {
    let code = error.code();
    match error {
        SyncError::NotEnrolled => write!(
            f,
            "perangkat ini belum terdaftar di kantor; tidak ada yang dikirim. Daftarkan dulu dengan \
             rembug enroll --office URL --code KODE ({code})"
        ),
        SyncError::OfficeChangeNotConfirmed { current, new } => write!(
            f,
            "kunci kantor akan berganti dari {current} ke {new}; tidak ada yang diubah. Tambahkan --yes bila \
             kantor barunya benar ({code})"
        ),
        SyncError::OfficeChanged => {
            write!(f, "jawaban pendaftaran menyebut kantor lain dari yang menjawab pemeriksaan awal ({code})")
        }
        SyncError::CodeInvalid => write!(f, "kode pendaftaran tidak valid; contohnya 7KQ2-M9XD-4HTP ({code})"),
        SyncError::EnrollmentFileInvalid => {
            write!(f, "berkas pendaftaran tidak sah: rusak atau tidak ditandatangani kunci kantor ({code})")
        }
        SyncError::Office(_) => write!(f, "{} ({code})", crate::sync::reason(code)),
        SyncError::Core(error) => write_core(f, error),
        SyncError::Bundle(error) => write!(f, "bundel ditolak: {error} ({})", error.code()),
    }
}

fn write_receipt(f: &mut fmt::Formatter<'_>, error: &ReceiptFileError) -> fmt::Result {
    let code = error.code();
    match error {
        ReceiptFileError::Invalid => {
            write!(f, "berkas ini bukan berkas tanda terima Rembug, atau rusak; tidak ada yang diubah ({code})")
        }
        ReceiptFileError::OtherOffice => write!(
            f,
            "berkas tanda terima ini dari kantor lain, bukan kantor tempat perangkat ini terdaftar; \
             tidak ada yang diubah ({code})"
        ),
        ReceiptFileError::SignatureInvalid => write!(
            f,
            "tanda tangan kantor pada berkas tanda terima ini tidak sah: berkasnya telah diubah; \
             tidak ada yang diubah ({code})"
        ),
        ReceiptFileError::NotOurs => write!(
            f,
            "tanda terima ini bukan untuk bundel musyawarah terkunci atau foto lembar bertanda tangan dari \
             perangkat ini (foto yang ditambahkan setelah berkasnya disimpan membuat berkas lain); \
             tidak ada yang diubah ({code})"
        ),
        ReceiptFileError::Sync(error) => write_sync(f, error),
    }
}

fn write_core(f: &mut fmt::Formatter<'_>, error: &CoreError) -> fmt::Result {
    let code = error.code();
    match error {
        CoreError::NotFound { entity: "meeting" } => write!(f, "musyawarah tidak ditemukan ({code})"),
        CoreError::NotFound { entity: "receipt" } => {
            write!(f, "belum ada tanda terima kantor: musyawarah ini belum terkirim ({code})")
        }
        CoreError::NotFound { entity } => write!(f, "{entity} tidak ditemukan ({code})"),
        CoreError::MeetingLocked => {
            write!(f, "musyawarah ini sudah dikunci; koreksi hanya lewat revisi baru di aplikasi ({code})")
        }
        CoreError::MeetingNotLocked => write!(f, "musyawarah ini belum dikunci ({code})"),
        CoreError::DataDirInUse => {
            write!(f, "folder data sedang dipakai oleh jendela Rembug lain; tutup aplikasinya dulu ({code})")
        }
        CoreError::SchemaTooNew { .. } => {
            write!(f, "data ini dibuat oleh Rembug versi yang lebih baru; perbarui Rembug ({code})")
        }
        CoreError::SchemaTooOld { .. } => {
            write!(f, "data ini dari Rembug versi lama; buka aplikasi Rembug dulu untuk memperbaruinya ({code})")
        }
        CoreError::DemoNeedsEmptyStore => {
            write!(f, "data demo hanya bisa mengisi folder data yang belum berisi musyawarah ({code})")
        }
        CoreError::NotReadyToLock(missing) => write!(f, "{} ({code})", crate::lock::not_ready_message(missing)),
        CoreError::Validation(fields) => {
            let fields: Vec<String> = fields.iter().map(|field| format!("{}: {}", field.field, field.code)).collect();
            write!(f, "isian ditolak: {} ({code})", fields.join(", "))
        }
        CoreError::BackupInvalid => write!(f, "folder ini bukan cadangan Rembug atau manifesnya tak terbaca ({code})"),
        CoreError::BackupDamaged { file } => {
            write!(f, "cadangan rusak: {file} tidak sama dengan manifesnya; data tidak diubah ({code})")
        }
        CoreError::BackupForeign => {
            write!(f, "kunci perangkat di cadangan bukan perangkat yang disebut manifesnya; data tidak diubah ({code})")
        }
        CoreError::BackupTooNew => {
            write!(f, "cadangan dibuat oleh Rembug versi yang lebih baru; perbarui Rembug ({code})")
        }
        CoreError::OfficeDocumentInvalid { .. } => {
            write!(f, "dokumen dari kantor tidak sah: rusak atau tidak ditandatangani kunci kantor ({code})")
        }
        CoreError::WilayahCsv { line, problem } => write!(f, "{} ({code})", problem.refusal_in_indonesian(*line)),
        CoreError::Database(inner) => write!(f, "kesalahan basis data: {inner} ({code})"),
        CoreError::Io(inner) => write!(f, "kesalahan berkas: {inner} ({code})"),
        other => write!(f, "{other} ({code})"),
    }
}
