//! The command line, declared once with clap: its parser, every `--help`
//! and the shell completions all come from these types. The doc comments on
//! the commands and options are the help the user reads, so they are in
//! Indonesian; clap's own headings and errors are said in Indonesian by
//! [`command`] and [`error_message`].

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use clap_complete::Shell;
use rembug_core::demo::Scale;
use rembug_docs::DocumentKind;

/// Rembug: data musyawarah perencanaan dari baris perintah. Tanpa
/// --data-dir, rembug memakai folder data aplikasi desktop (atau
/// REMBUG_DATA_DIR bila diisi).
#[derive(Parser)]
#[command(name = "rembug", version, disable_help_subcommand = true)]
pub struct Cli {
    /// Folder data Rembug
    #[arg(long, value_name = "FOLDER")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Isi folder data yang masih kosong dengan data contoh
    Demo {
        /// Seberapa banyak data contoh
        #[arg(long, value_name = "SKALA", value_parser = scale_parser())]
        scale: Scale,
        /// Benih acak: benih yang sama memberi data yang sama
        #[arg(long, value_name = "N", default_value_t = 1)]
        seed: u64,
    },
    /// Daftar musyawarah
    Meetings {
        #[command(flatten)]
        output: Output,
    },
    /// Isi satu musyawarah: daftar hadir, notulen, usulan, delegasi, catatan perubahan
    Show {
        /// ID musyawarah, seperti yang ditampilkan `rembug meetings`
        #[arg(value_name = "ID_MUSYAWARAH")]
        meeting_id: String,
        #[command(flatten)]
        output: Output,
    },
    /// Cari di notulen, usulan dan nama peserta
    Search {
        /// Kata yang dicari
        #[arg(value_name = "TEKS")]
        text: String,
        #[command(flatten)]
        output: Output,
    },
    /// Kunci musyawarah: isinya dibekukan dan hanya bisa dikoreksi lewat revisi baru
    Lock {
        /// ID musyawarah, seperti yang ditampilkan `rembug meetings`
        #[arg(value_name = "ID_MUSYAWARAH")]
        meeting_id: String,
        #[command(flatten)]
        output: Output,
    },
    /// Segel musyawarah yang sudah dikunci menjadi bundel bertanda tangan
    Export {
        /// ID musyawarah, seperti yang ditampilkan `rembug meetings`
        #[arg(value_name = "ID_MUSYAWARAH")]
        meeting_id: String,
        /// Berkas bundel yang ditulis
        #[arg(long, value_name = "BERKAS.rembug")]
        out: PathBuf,
        /// Ekspor walau kunci kantor belum diatur (daftar hadir tidak terenkripsi)
        #[arg(long = "tanpa-enkripsi")]
        tanpa_enkripsi: bool,
    },
    /// Periksa bundel: keluar 0 bila sah, atau sebutkan alasan penolakannya
    Verify {
        /// Berkas bundel .rembug
        #[arg(value_name = "BERKAS.rembug")]
        file: PathBuf,
        #[command(flatten)]
        output: Output,
    },
    /// Simpan bundel dari perangkat lain (diperiksa dulu; dua kali tidak mengubah apa pun)
    Import {
        /// Berkas bundel .rembug
        #[arg(value_name = "BERKAS.rembug")]
        file: PathBuf,
    },
    /// Daftar bundel yang diimpor: RW, revisi, perangkat asal, ID dan SHA-256 bundel
    Imported {
        #[command(flatten)]
        output: Output,
    },
    /// Simpan daftar wilayah (CSV berkolom seperti wilayah-cimahi.csv): kelurahan/desa baru ditambah, yang ada diperbarui
    ImportWilayah {
        /// Berkas CSV wilayah
        #[arg(value_name = "BERKAS.csv")]
        file: PathBuf,
        /// Simpan hanya kelurahan/desa kota atau kabupaten ini (kode seperti 32.77); boleh diulang
        #[arg(long, value_name = "KODE_KOTA")]
        kota: Vec<String>,
    },
    /// Cetak dokumen musyawarah sebagai PDF A4
    Print {
        /// ID musyawarah, seperti yang ditampilkan `rembug meetings`
        #[arg(value_name = "ID_MUSYAWARAH")]
        meeting_id: String,
        /// Dokumen yang dicetak
        #[arg(long, value_name = "DOKUMEN", value_parser = document_parser())]
        doc: DocumentKind,
        /// Berkas PDF yang ditulis
        #[arg(long, value_name = "BERKAS.pdf")]
        out: PathBuf,
    },
    /// Buku kerja XLSX untuk kantor: satu musyawarah, atau satu kelurahan dalam satu tahun
    #[command(group(ArgGroup::new("cakupan").required(true).args(["meeting_id", "kelurahan"])))]
    Xlsx {
        /// ID musyawarah, seperti yang ditampilkan `rembug meetings`
        #[arg(value_name = "ID_MUSYAWARAH", conflicts_with_all = ["kelurahan", "year"])]
        meeting_id: Option<String>,
        /// Kode Kemendagri kelurahan, misalnya 32.77.01.1001 (bersama --year)
        #[arg(long, value_name = "KODE", requires = "year")]
        kelurahan: Option<String>,
        /// Tahun perencanaan, misalnya 2027 (bersama --kelurahan)
        #[arg(long, value_name = "TAHUN", requires = "kelurahan")]
        year: Option<i32>,
        /// Berkas XLSX yang ditulis
        #[arg(long, value_name = "BERKAS.xlsx")]
        out: PathBuf,
    },
    /// Pasang kunci kantor kota: bundel berikutnya mengenkripsi daftar hadir untuknya
    OfficeKey {
        /// Berkas kunci publik kantor (kantor.key)
        #[arg(value_name = "BERKAS_KUNCI_KANTOR")]
        file: PathBuf,
        /// Ganti kunci kantor lain yang sudah terpasang (cocokkan dulu sidik jarinya)
        #[arg(long)]
        ganti: bool,
    },
    /// Buat pasangan kunci kantor kota (kantor.key dan kantor-rahasia.key)
    OfficeKeygen {
        /// Folder tempat kedua berkas kunci ditulis
        #[arg(long, value_name = "FOLDER")]
        out: PathBuf,
    },
    /// Buka daftar hadir sebuah bundel dengan kunci rahasia kantor
    OpenPersonal {
        /// Berkas bundel .rembug
        #[arg(value_name = "BERKAS.rembug")]
        file: PathBuf,
        /// Berkas kunci rahasia kantor
        #[arg(long, value_name = "BERKAS_KUNCI_RAHASIA")]
        secret: PathBuf,
        #[command(flatten)]
        output: Output,
    },
    /// Cadangkan folder data (basis data, lampiran, kunci perangkat) ke folder baru di FOLDER
    Backup {
        /// Folder tujuan, misalnya flashdisk
        #[arg(long, value_name = "FOLDER")]
        out: PathBuf,
        #[command(flatten)]
        output: Output,
    },
    /// Pulihkan folder data dari cadangan (data sekarang disimpan di samping dengan tanggal)
    Restore {
        /// Folder cadangan yang dibuat `rembug backup`
        #[arg(value_name = "FOLDER_CADANGAN")]
        from: PathBuf,
        /// Jangan bertanya: ganti data sekarang dengan cadangan
        #[arg(long)]
        yes: bool,
    },
    /// Daftarkan perangkat ini di kantor kota: dengan alamat dan kode, atau dengan berkas pendaftaran
    #[command(group(ArgGroup::new("kantor").required(true).args(["office", "file"])))]
    Enroll {
        /// Alamat kantor, misalnya https://10.0.0.2:8443 (bersama --code)
        #[arg(long, value_name = "URL", requires = "code", conflicts_with = "file")]
        office: Option<String>,
        /// Kode pendaftaran dari kantor, misalnya 7KQ2-M9XD-4HTP
        #[arg(long, value_name = "KODE", requires = "office", conflicts_with = "file")]
        code: Option<String>,
        /// Berkas pendaftaran dari kantor (tanpa jaringan; selesai saat sinkronisasi pertama)
        #[arg(long, value_name = "BERKAS")]
        file: Option<PathBuf>,
        /// Jangan bertanya bila kunci kantor berganti
        #[arg(long)]
        yes: bool,
    },
    /// Kirim ke kantor setiap musyawarah terkunci yang belum terkirim
    Sync {
        #[command(flatten)]
        output: Output,
    },
    /// Daftar musyawarah terkunci dan status pengirimannya ke kantor
    Outbox {
        #[command(flatten)]
        output: Output,
    },
    /// Buka berkas tanda terima dari kantor (bundel yang dibawa dengan flashdisk): musyawarahnya menjadi terkirim
    Receipt {
        /// Berkas tanda terima: tanda-terima-….json (bundel) atau tanda-terima-foto-….json (foto lembar)
        #[arg(value_name = "BERKAS")]
        file: PathBuf,
    },
    /// Catat sendiri hasil usulan dari musyawarah terkunci (bila kota tanpa server kantor); catatan musyawarah tidak berubah, dan jawaban kantor tetap didahulukan
    #[command(group(ArgGroup::new("catatan").required(true).args(["hasil", "hapus"])))]
    Outcome {
        /// ID usulan, seperti yang ditampilkan `rembug show ID_MUSYAWARAH --json`
        #[arg(value_name = "ID_USULAN")]
        usulan_id: String,
        /// Hasilnya: diakomodir, tidak_diakomodir atau dialihkan (bersama --keterangan)
        #[arg(long, value_name = "HASIL", requires = "keterangan", conflicts_with = "hapus")]
        hasil: Option<String>,
        /// Program atau OPD yang menampung, alasan tidak diakomodir, atau saluran lain
        #[arg(long, value_name = "TEKS", requires = "hasil")]
        keterangan: Option<String>,
        /// Hapus hasil yang dicatat sendiri untuk usulan ini
        #[arg(long)]
        hapus: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Tulis skrip pelengkapan perintah untuk shell
    Completions {
        /// Shell yang memakai skripnya
        #[arg(value_name = "SHELL")]
        shell: Shell,
    },
}

/// `--json` where a command offers it.
#[derive(Args)]
pub struct Output {
    /// Keluaran JSON untuk skrip (kunci-kuncinya tetap)
    #[arg(long)]
    pub json: bool,
}

/// What a workbook covers: one meeting, or a kelurahan's planning year.
pub enum XlsxScope {
    Meeting(String),
    KelurahanYear { kelurahan_code: String, planning_year: i32 },
}

impl XlsxScope {
    /// The scope the `xlsx` arguments name; clap has already refused every
    /// other combination.
    pub fn of(meeting_id: Option<String>, kelurahan: Option<String>, year: Option<i32>) -> XlsxScope {
        match (meeting_id, kelurahan, year) {
            (Some(meeting_id), _, _) => XlsxScope::Meeting(meeting_id),
            (None, Some(kelurahan_code), Some(planning_year)) => {
                XlsxScope::KelurahanYear { kelurahan_code, planning_year }
            }
            _ => unreachable!("the argument group requires an id or --kelurahan with --year"),
        }
    }
}

fn scale_parser() -> impl TypedValueParser<Value = Scale> {
    let names = [Scale::Rw, Scale::Kelurahan, Scale::CityDecade].map(Scale::as_str);
    PossibleValuesParser::new(names).map(|name| Scale::parse(&name).expect("every listed scale parses"))
}

fn document_parser() -> impl TypedValueParser<Value = DocumentKind> {
    PossibleValuesParser::new(DocumentKind::ALL.map(DocumentKind::slug))
        .map(|slug| DocumentKind::from_slug(&slug).expect("every listed document parses"))
}

/// The whole command line with its help in Indonesian: headings, notes on
/// choices and defaults, the help and version flags, for `rembug` and every
/// command under it.
pub fn command() -> clap::Command {
    rembug_clap::in_indonesian(Cli::command())
}

/// Parses `words` (the program name first) into what to run.
pub fn parse<I, T>(words: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    Cli::from_arg_matches(&rembug_clap::matches(&mut command(), words)?)
}

pub use rembug_clap::answer_text;

/// A refused command line said in Indonesian, with the usage of the command
/// it was meant for and where to read more.
pub fn error_message(error: &clap::Error) -> String {
    rembug_clap::error_message(error, "rembug")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &[&str]) -> Result<Cli, clap::Error> {
        parse(std::iter::once("rembug").chain(words.iter().copied()))
    }

    #[test]
    fn the_declaration_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn the_data_dir_comes_before_the_command() {
        let cli = parse_words(&["--data-dir", "/tmp/x", "demo", "--scale", "city-decade", "--seed", "7"]).unwrap();
        assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/x")));
        assert!(matches!(cli.command, Command::Demo { scale: Scale::CityDecade, seed: 7 }));
        let cli = parse_words(&["demo", "--scale", "rw"]).unwrap();
        assert!(matches!(cli.command, Command::Demo { scale: Scale::Rw, seed: 1 }));
    }

    #[test]
    fn search_takes_its_text_and_json_in_any_order() {
        let cli = parse_words(&["search", "--json", "jalan rusa"]).unwrap();
        assert!(
            matches!(cli.command, Command::Search { ref text, output: Output { json: true } } if text == "jalan rusa")
        );
        assert_eq!(cli.data_dir, None);
    }

    #[test]
    fn print_and_xlsx_take_their_documents_and_scopes() {
        let cli = parse_words(&["print", "ID", "--doc", "daftar-hadir", "--out", "dh.pdf"]).unwrap();
        assert!(matches!(cli.command,
            Command::Print { ref meeting_id, doc: DocumentKind::DaftarHadir, ref out }
                if meeting_id == "ID" && out == &PathBuf::from("dh.pdf")));
        let scope = |words: &[&str]| match parse_words(words).unwrap().command {
            Command::Xlsx { meeting_id, kelurahan, year, .. } => XlsxScope::of(meeting_id, kelurahan, year),
            _ => panic!("not xlsx: {words:?}"),
        };
        assert!(matches!(
            scope(&["xlsx", "--kelurahan", "32.77.01.1001", "--year", "2027", "--out", "k.xlsx"]),
            XlsxScope::KelurahanYear { ref kelurahan_code, planning_year: 2027 } if kelurahan_code == "32.77.01.1001"
        ));
        assert!(matches!(scope(&["xlsx", "ID", "--out", "m.xlsx"]), XlsxScope::Meeting(ref id) if id == "ID"));
    }

    #[test]
    fn bad_command_lines_are_refused_with_a_usage_exit_code() {
        for words in [
            &["demo", "--scale", "kota"][..],
            &["demo"],
            &["demo", "--scale", "rw", "--seed", "-1"],
            &["show"],
            &["terbang"],
            &[],
            &["meetings", "--csv"],
            &["export", "ID"],
            &["export", "--out", "x.rembug"],
            &["verify"],
            &["import"],
            &["print", "ID", "--out", "x.pdf"],
            &["print", "ID", "--doc", "kuitansi", "--out", "x.pdf"],
            &["print", "--doc", "usulan", "--out", "x.pdf"],
            &["enroll"],
            &["enroll", "--office", "http://127.0.0.1:1"],
            &["enroll", "--code", "7KQ2-M9XD-4HTP"],
            &["enroll", "--file", "kantor.json", "--code", "7KQ2-M9XD-4HTP"],
            &["sync", "--all"],
            &["xlsx", "ID"],
            &["xlsx", "--out", "x.xlsx"],
            &["xlsx", "--kelurahan", "32.77.01.1001", "--out", "x.xlsx"],
            &["xlsx", "ID", "--kelurahan", "32.77.01.1001", "--year", "2027", "--out", "x.xlsx"],
            &["xlsx", "--kelurahan", "32.77.01.1001", "--year", "dua", "--out", "x.xlsx"],
            &["completions", "cmd"],
        ] {
            let error = parse_words(words).err().unwrap_or_else(|| panic!("accepted: {words:?}"));
            assert_eq!(error.exit_code(), 2, "{words:?}");
            assert!(error_message(&error).contains("Pemakaian: rembug"), "{words:?}: {}", error_message(&error));
        }
    }

    #[test]
    fn refusals_are_said_in_indonesian() {
        let message = |words: &[&str]| error_message(&parse_words(words).err().unwrap());
        assert!(message(&["meetings", "--csv"]).starts_with("argumen tidak dikenal: --csv"));
        assert!(message(&["terbang"]).starts_with("perintah tidak dikenal: terbang"));
        let scale = message(&["demo", "--scale", "kota"]);
        assert!(scale.starts_with("nilai tidak dikenal untuk --scale <SKALA>: kota"), "{scale}");
        assert!(scale.contains("rw, kelurahan, city-decade"), "{scale}");
        assert!(scale.contains("Pemakaian: rembug demo [OPSI] --scale <SKALA>"), "{scale}");
        assert!(message(&["demo"]).starts_with("argumen wajib belum diberikan: --scale <SKALA>"));
    }
}
