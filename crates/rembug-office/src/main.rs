//! `rembug-office`: the city office's server and its staff commands over one
//! data folder. Output speaks Indonesian; `--json` output is a stable
//! contract for scripts. Exit codes: 0 done, 1 failed, 2 a wrong command line.

use std::io::{IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rembug_bundle::office::{daftar_hadir_text, open_personal};
use rembug_core::rupiah::group_thousands;
use rembug_core::text::area_number_text;
use rembug_core::wilayah::{WilayahCounts, keep_kota, read_wilayah_file};
use rembug_core::{CoreError, hex};
use rembug_office::office::{check_enrollment_url, parse_duration};
use rembug_office::store::Database;
use rembug_office::synth::synth_year;
use rembug_office::{Limits, Office};

/// rembug-office: server kantor kota yang menerima bundel musyawarah dari
/// perangkat kader yang terdaftar, dan perintah untuk petugas kantor.
#[derive(Parser)]
#[command(name = "rembug-office", version, disable_help_subcommand = true)]
struct Cli {
    /// Folder data kantor (kunci, indeks, bundel)
    #[arg(long, value_name = "FOLDER")]
    data: PathBuf,
    /// Indeks di PostgreSQL, misalnya postgres://rembug@10.0.0.7/rembug (tanpa ini: SQLite di folder data); beberapa server boleh memakai basis data dan folder data yang sama
    #[arg(long, value_name = "URL", value_parser = Database::parse)]
    database: Option<Database>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Siapkan folder data kantor: kunci, indeks dan akun admin pertama (kata sandi dari masukan standar, atau dibuatkan bila kosong)
    Init {
        /// Nama kantor
        #[arg(long, value_name = "NAMA", default_value = "Bappelitbangda")]
        name: String,
        /// Kota
        #[arg(long, value_name = "KOTA", default_value = "Kota Cimahi")]
        city: String,
        /// Nama akun admin pertama
        #[arg(long, value_name = "NAMA", default_value = "admin")]
        admin: String,
    },
    /// Jalankan server kantor
    Serve {
        /// Alamat dan port, misalnya 0.0.0.0:8443 atau 127.0.0.1:8787
        #[arg(long, value_name = "ALAMAT")]
        listen: SocketAddr,
        /// Sertifikat TLS (PEM); bersama --tls-key
        #[arg(long, value_name = "BERKAS.pem", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// Kunci rahasia TLS (PEM); bersama --tls-cert
        #[arg(long, value_name = "BERKAS.pem", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Izinkan HTTP tanpa TLS di alamat selain loopback (hanya di balik proxy TLS)
        #[arg(long)]
        insecure_http: bool,
        /// Ukuran bundel terbesar, dalam byte
        #[arg(long, value_name = "BYTE", default_value_t = Limits::default().max_bundle_bytes)]
        max_bundle_bytes: u64,
        /// Unggahan belum selesai per perangkat
        #[arg(long, value_name = "N", default_value_t = Limits::default().max_uploads_per_device)]
        max_uploads_per_device: u32,
        /// Unggahan yang tidak disentuh selama ini dihapus, misalnya 7d, 12h
        #[arg(long, value_name = "LAMA", default_value = "7d", value_parser = duration_parser)]
        stale_uploads: chrono::Duration,
    },
    /// Buat kode pendaftaran untuk satu kelurahan (atau satu RW); kode ada di baris terakhir
    Code {
        /// Kode Kemendagri kelurahan, misalnya 32.77.01.1001
        #[arg(long, value_name = "KODE")]
        kelurahan: String,
        /// Nomor RW (tanpa ini: seluruh kelurahan)
        #[arg(long, value_name = "N")]
        rw: Option<u16>,
        /// Masa berlaku, misalnya 7d, 12h, 30m
        #[arg(long, value_name = "LAMA", default_value = "7d", value_parser = duration_parser)]
        expires: chrono::Duration,
        /// Tulis juga berkas pendaftaran bertanda tangan kantor (dibuka kader dari flashdisk); bersama --url
        #[arg(long, value_name = "BERKAS.json", requires = "url")]
        enrollment_file: Option<PathBuf>,
        /// Alamat kantor untuk berkas pendaftaran, misalnya https://10.0.0.5:8443
        #[arg(long, value_name = "URL", requires = "enrollment_file")]
        url: Option<String>,
        /// Sertifikat TLS kantor (PEM) yang disematkan perangkat; untuk alamat https://
        #[arg(long, value_name = "BERKAS.pem", requires = "enrollment_file")]
        tls_cert: Option<PathBuf>,
    },
    /// Daftar perangkat terdaftar
    Devices {
        /// Keluaran JSON untuk skrip
        #[arg(long)]
        json: bool,
    },
    /// Cabut sebuah perangkat: unggahan barunya ditolak, kiriman lamanya tetap
    Revoke {
        /// Sidik jari (ABCD-EF01-2345-6789) atau ID perangkat
        #[arg(value_name = "SIDIK_JARI")]
        fingerprint: String,
    },
    /// Daftar bundel yang diterima
    Bundles {
        /// Keluaran JSON untuk skrip
        #[arg(long)]
        json: bool,
    },
    /// Simpan daftar wilayah (CSV berkolom seperti wilayah-cimahi.csv); tampil di dasbor setelah server dimulai ulang
    ImportWilayah {
        /// Berkas CSV wilayah, misalnya seluruh Indonesia dari scripts/wilayah-indonesia
        #[arg(value_name = "BERKAS.csv")]
        file: PathBuf,
        /// Simpan hanya kelurahan/desa kota atau kabupaten ini (kode seperti 32.77); boleh diulang
        #[arg(long, value_name = "KODE_KOTA")]
        kota: Vec<String>,
    },
    /// Isi indeks dengan satu tahun perencanaan sintetis (perangkat, jumlah RW, bundel dengan angka dan usulannya, tanpa berkas) untuk semua kelurahan/desa wilayah kantor, untuk mengukur dasbor pada skala nasional (docs/scale.md); jangan di kantor yang dipakai
    SynthYear {
        /// Tahun perencanaan
        #[arg(long, value_name = "TAHUN")]
        year: i32,
        /// Jumlah bundel
        #[arg(long, value_name = "N", default_value_t = 1_000_000)]
        bundles: u64,
    },
    /// Buka daftar hadir sebuah bundel dengan kunci rahasia kantor
    OpenPersonal {
        /// Berkas bundel .rembug, atau SHA-256 bundel yang diterima
        #[arg(value_name = "BUNDEL")]
        bundle: String,
        /// Keluaran JSON untuk skrip
        #[arg(long)]
        json: bool,
    },
}

fn duration_parser(text: &str) -> Result<chrono::Duration, String> {
    parse_duration(text).ok_or_else(|| format!("'{text}' bukan lama waktu seperti 7d, 12h, 30m atau 45s"))
}

fn main() -> ExitCode {
    let mut command = rembug_clap::in_indonesian(Cli::command());
    let parsed = rembug_clap::matches(&mut command, std::env::args_os()).and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() => {
            eprintln!("rembug-office: {}", rembug_clap::error_message(&error, "rembug-office"));
            return ExitCode::from(2);
        }
        Err(answer) => {
            print!("{}", rembug_clap::answer_text(&answer));
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rembug-office: {error}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error>;

fn run(cli: Cli) -> Result<(), Failure> {
    let data = cli.data.as_path();
    let database = cli.database.unwrap_or_default();
    let open = || Office::open_with(data, &database);
    match cli.command {
        Command::Init { name, city, admin } => init(data, &database, &name, &city, &admin),
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
            insecure_http,
            max_bundle_bytes,
            max_uploads_per_device,
            stale_uploads,
        } => {
            let limits = Limits {
                max_bundle_bytes,
                max_uploads_per_device,
                stale_upload_after: stale_uploads,
                ..Limits::default()
            };
            serve(open()?, listen, tls_cert.zip(tls_key), insecure_http, limits)
        }
        Command::Code { kelurahan, rw, expires, enrollment_file, url, tls_cert } => {
            let office = open()?;
            let pin = match &tls_cert {
                Some(cert) => Some(rembug_office::server::certificate_chain(cert)?.1),
                None => None,
            };
            if let Some(url) = &url {
                check_enrollment_url(url, pin.is_some())?;
            }
            let (code, expires_at) = office.new_code(&kelurahan, rw, expires)?;
            let area = rw.map_or(String::new(), |rw| format!(" RW {}", area_number_text(rw)));
            if let (Some(path), Some(url)) = (enrollment_file, url) {
                let signed = office.enrollment_file(&code, &kelurahan, rw, &expires_at, &url, pin)?;
                std::fs::write(&path, serde_json::to_vec_pretty(&signed)?)?;
                println!("Berkas pendaftaran ditulis: {}", path.display());
            }
            println!("Kode pendaftaran untuk kelurahan {kelurahan}{area}, berlaku sampai {expires_at}, sekali pakai.");
            println!("Sidik jari kantor (cocokkan di perangkat): {}", office.fingerprint());
            println!("{code}");
            Ok(())
        }
        Command::Devices { json } => {
            let devices = open()?.store.devices()?;
            if json {
                return print_json(&devices);
            }
            println!("{} perangkat:", devices.len());
            for device in devices {
                let rw = device.rw.map_or("seluruh kelurahan".to_owned(), |rw| format!("RW {}", area_number_text(rw)));
                let state = device.revoked_at.map_or("aktif".to_owned(), |at| format!("dicabut {at}"));
                println!(
                    "  {}  {} {rw}  terdaftar {}  {state}",
                    device.fingerprint, device.kelurahan_code, device.enrolled_at
                );
            }
            Ok(())
        }
        Command::Revoke { fingerprint } => match open()?.revoke(&fingerprint)? {
            Some(device) => {
                println!("Perangkat {} dicabut ({}).", device.fingerprint, device.revoked_at.unwrap_or_default());
                Ok(())
            }
            None => Err(format!("tidak ada perangkat {fingerprint}").into()),
        },
        Command::ImportWilayah { file, kota } => {
            let mut kelurahan = read_wilayah_file(&file).map_err(|error| match error {
                CoreError::WilayahCsv { line, problem } => problem.refusal_in_indonesian(line),
                other => other.to_string(),
            })?;
            keep_kota(&mut kelurahan, &kota);
            if kelurahan.is_empty() {
                return Err(format!("berkas wilayah tidak memuat kelurahan/desa untuk kota {}", kota.join(", ")).into());
            }
            open()?.import_wilayah(&kelurahan)?;
            let counts = WilayahCounts::of(&kelurahan);
            println!(
                "Wilayah disimpan: {} kota/kabupaten, {} kecamatan, {} kelurahan/desa. Mulai ulang server agar dasbor memakainya.",
                group_thousands(counts.kota as u64),
                group_thousands(counts.kecamatan as u64),
                group_thousands(counts.kelurahan as u64)
            );
            Ok(())
        }
        Command::Bundles { json } => {
            let bundles = open()?.store.bundles()?;
            if json {
                return print_json(&bundles);
            }
            println!("{} bundel:", bundles.len());
            for bundle in bundles {
                let rw = bundle.rw.map_or(String::new(), |rw| format!(" RW {}", area_number_text(rw)));
                println!(
                    "  {}  {}{rw} revisi {}  diterima {}  {}",
                    &bundle.sha256[..16],
                    bundle.kelurahan_code,
                    bundle.revision,
                    bundle.received_at,
                    bundle.review_state
                );
            }
            Ok(())
        }
        Command::SynthYear { year, bundles } => {
            let office = open()?;
            let started = std::time::Instant::now();
            let loaded = synth_year(office.store.as_ref(), &office.wilayah, year, bundles, |done| {
                eprintln!("  {} bundel, {} s", group_thousands(done), started.elapsed().as_secs());
            })?;
            println!(
                "Tahun {year} sintetis: {} bundel dan {} usulan untuk {} kelurahan/desa dalam {:.1} s.",
                group_thousands(loaded.bundles),
                group_thousands(loaded.usulan),
                group_thousands(loaded.kelurahan as u64),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::OpenPersonal { bundle, json } => {
            let office = open()?;
            let path = if hex::is_sha256_hex(&bundle) { office.bundle_path(&bundle) } else { PathBuf::from(&bundle) };
            let personal = open_personal(&path, &office.secret_key_file())?;
            if json { print_json(&personal) } else { Ok(print!("{}", daftar_hadir_text(&personal))) }
        }
    }
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

fn init(data: &Path, database: &Database, name: &str, city: &str, admin: &str) -> Result<(), Failure> {
    let mut password = String::new();
    if std::io::stdin().is_terminal() {
        eprint!("Kata sandi admin {admin} (kosong: dibuatkan): ");
        std::io::stdin().read_line(&mut password)?;
    } else {
        std::io::stdin().read_to_string(&mut password)?;
    }
    let made = Office::init_with(data, database, name, city, admin, password.trim_end_matches(['\r', '\n']))?;
    println!("Kantor {name} ({city}) siap di {}.", data.display());
    println!("Sidik jari kantor (cetak di slip pendaftaran): {}", made.fingerprint);
    if let Some(password) = made.generated_password {
        println!("Kata sandi admin {admin} (dicatat sekarang, tidak ditampilkan lagi): {password}");
    }
    Ok(())
}

fn serve(
    office: Office,
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
    insecure_http: bool,
    limits: Limits,
) -> Result<(), Failure> {
    if tls.is_none() && !insecure_http && !rembug_office::server::plain_http_allowed(&listen) {
        return Err(format!(
            "HTTP tanpa TLS hanya di alamat loopback; beri --tls-cert dan --tls-key, atau --insecure-http bila TLS dipasang di depan server ini ({listen})"
        )
        .into());
    }
    let acceptor = match tls {
        Some((cert, key)) => {
            let (acceptor, pin) = rembug_office::server::tls_acceptor(&cert, &key)?;
            println!("SHA-256 sertifikat TLS (disematkan perangkat): {pin}");
            Some(acceptor)
        }
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        println!(
            "rembug-office {} melayani {scheme}://{} (sidik jari kantor {}).",
            env!("CARGO_PKG_VERSION"),
            listener.local_addr()?,
            office.fingerprint()
        );
        rembug_office::serve(office, limits, listener, acceptor).await?;
        Ok(())
    })
}
