//! The command line, parsed into a [`Invocation`].

use std::path::PathBuf;

use rembug_core::demo::Scale;
use rembug_docs::DocumentKind;

use crate::error::CliError;

pub const USAGE: &str = "\
Pemakaian:
  rembug [--data-dir FOLDER] demo --scale rw|kelurahan|city-decade [--seed N]
  rembug [--data-dir FOLDER] meetings [--json]
  rembug [--data-dir FOLDER] show ID_MUSYAWARAH [--json]
  rembug [--data-dir FOLDER] search TEKS [--json]
  rembug [--data-dir FOLDER] export ID_MUSYAWARAH --out BERKAS.rembug
  rembug verify BERKAS.rembug [--json]
  rembug [--data-dir FOLDER] import BERKAS.rembug
  rembug [--data-dir FOLDER] print ID_MUSYAWARAH --doc berita-acara|daftar-hadir|usulan|notulen --out BERKAS.pdf
  rembug [--data-dir FOLDER] xlsx ID_MUSYAWARAH --out BERKAS.xlsx
  rembug [--data-dir FOLDER] xlsx --kelurahan KODE --year TAHUN --out BERKAS.xlsx
  rembug [--data-dir FOLDER] office-key BERKAS_KUNCI_KANTOR
  rembug office-keygen --out FOLDER
  rembug open-personal BERKAS.rembug --secret BERKAS_KUNCI_RAHASIA [--json]
  rembug [--data-dir FOLDER] backup --out FOLDER [--json]
  rembug [--data-dir FOLDER] restore FOLDER_CADANGAN [--yes]

Tanpa --data-dir, rembug memakai folder data aplikasi desktop
(atau REMBUG_DATA_DIR bila diisi).";

pub struct Invocation {
    pub data_dir: Option<PathBuf>,
    pub command: Command,
}

pub enum Command {
    Help,
    Demo { scale: Scale, seed: u64 },
    Meetings { json: bool },
    Show { meeting_id: String, json: bool },
    Search { text: String, json: bool },
    Export { meeting_id: String, out: PathBuf },
    Verify { file: PathBuf, json: bool },
    Import { file: PathBuf },
    Print { meeting_id: String, kind: DocumentKind, out: PathBuf },
    Xlsx { scope: XlsxScope, out: PathBuf },
    OfficeKey { file: PathBuf },
    OfficeKeygen { out: PathBuf },
    OpenPersonal { file: PathBuf, secret: PathBuf, json: bool },
    Backup { out: PathBuf, json: bool },
    Restore { from: PathBuf, yes: bool },
}

/// What a workbook covers: one meeting, or a kelurahan's planning year.
pub enum XlsxScope {
    Meeting(String),
    KelurahanYear { kelurahan_code: String, planning_year: i32 },
}

const DEFAULT_SEED: u64 = 1;

pub fn parse(mut args: pico_args::Arguments) -> Result<Invocation, CliError> {
    if args.contains(["-h", "--help"]) {
        return Ok(Invocation { data_dir: None, command: Command::Help });
    }
    let data_dir =
        args.opt_value_from_os_str("--data-dir", |raw| Ok::<_, String>(PathBuf::from(raw))).map_err(usage)?;
    let subcommand = args.subcommand().map_err(usage)?;
    let command = match subcommand.as_deref() {
        Some("demo") => {
            let scale: String = args
                .value_from_str("--scale")
                .map_err(|_| CliError::Usage("demo perlu --scale rw|kelurahan|city-decade".into()))?;
            let scale = Scale::parse(&scale)
                .ok_or_else(|| CliError::Usage(format!("skala tidak dikenal: {scale} (rw, kelurahan, city-decade)")))?;
            let seed = args
                .opt_value_from_str("--seed")
                .map_err(|_| CliError::Usage("--seed harus bilangan bulat 0 sampai 18446744073709551615".into()))?
                .unwrap_or(DEFAULT_SEED);
            Command::Demo { scale, seed }
        }
        Some("meetings") => Command::Meetings { json: args.contains("--json") },
        Some("show") => {
            let json = args.contains("--json");
            let meeting_id = args
                .opt_free_from_str()
                .map_err(usage)?
                .ok_or_else(|| CliError::Usage("show perlu ID_MUSYAWARAH".into()))?;
            Command::Show { meeting_id, json }
        }
        Some("search") => {
            let json = args.contains("--json");
            let text =
                args.opt_free_from_str().map_err(usage)?.ok_or_else(|| CliError::Usage("search perlu TEKS".into()))?;
            Command::Search { text, json }
        }
        Some("export") => {
            let out = args
                .opt_value_from_os_str("--out", |raw| Ok::<_, String>(PathBuf::from(raw)))
                .map_err(usage)?
                .ok_or_else(|| CliError::Usage("export perlu --out BERKAS".into()))?;
            let meeting_id = args
                .opt_free_from_str()
                .map_err(usage)?
                .ok_or_else(|| CliError::Usage("export perlu ID_MUSYAWARAH".into()))?;
            Command::Export { meeting_id, out }
        }
        Some("verify") => {
            let json = args.contains("--json");
            Command::Verify { file: required_file(&mut args, "verify")?, json }
        }
        Some("import") => Command::Import { file: required_file(&mut args, "import")? },
        Some("print") => {
            let out = required_out(&mut args, "print")?;
            let doc: String = args
                .opt_value_from_str("--doc")
                .map_err(usage)?
                .ok_or_else(|| CliError::Usage("print perlu --doc berita-acara|daftar-hadir|usulan|notulen".into()))?;
            let kind = DocumentKind::from_slug(&doc).ok_or_else(|| {
                CliError::Usage(format!("dokumen tidak dikenal: {doc} (berita-acara, daftar-hadir, usulan, notulen)"))
            })?;
            let meeting_id = args
                .opt_free_from_str()
                .map_err(usage)?
                .ok_or_else(|| CliError::Usage("print perlu ID_MUSYAWARAH".into()))?;
            Command::Print { meeting_id, kind, out }
        }
        Some("xlsx") => {
            let out = required_out(&mut args, "xlsx")?;
            let kelurahan_code: Option<String> = args.opt_value_from_str("--kelurahan").map_err(usage)?;
            let planning_year: Option<i32> = args
                .opt_value_from_str("--year")
                .map_err(|_| CliError::Usage("--year harus tahun, misalnya 2027".into()))?;
            let meeting_id: Option<String> = args.opt_free_from_str().map_err(usage)?;
            let scope = match (meeting_id, kelurahan_code, planning_year) {
                (Some(meeting_id), None, None) => XlsxScope::Meeting(meeting_id),
                (None, Some(kelurahan_code), Some(planning_year)) => {
                    XlsxScope::KelurahanYear { kelurahan_code, planning_year }
                }
                _ => {
                    return Err(CliError::Usage(
                        "xlsx perlu ID_MUSYAWARAH, atau --kelurahan KODE bersama --year TAHUN".into(),
                    ));
                }
            };
            Command::Xlsx { scope, out }
        }
        Some("office-key") => Command::OfficeKey { file: required_file(&mut args, "office-key")? },
        Some("office-keygen") => Command::OfficeKeygen { out: required_out(&mut args, "office-keygen")? },
        Some("open-personal") => {
            let json = args.contains("--json");
            let secret = args
                .opt_value_from_os_str("--secret", |raw| Ok::<_, String>(PathBuf::from(raw)))
                .map_err(usage)?
                .ok_or_else(|| CliError::Usage("open-personal perlu --secret BERKAS_KUNCI_RAHASIA".into()))?;
            Command::OpenPersonal { file: required_file(&mut args, "open-personal")?, secret, json }
        }
        Some("backup") => {
            let json = args.contains("--json");
            Command::Backup { out: required_out(&mut args, "backup")?, json }
        }
        Some("restore") => {
            let yes = args.contains("--yes");
            Command::Restore { from: required_file(&mut args, "restore")?, yes }
        }
        Some(other) => return Err(CliError::Usage(format!("perintah tidak dikenal: {other}"))),
        None => return Err(CliError::Usage("perintah belum diberikan".into())),
    };
    let rest = args.finish();
    if let Some(extra) = rest.first() {
        return Err(CliError::Usage(format!("argumen tidak dikenal: {}", extra.to_string_lossy())));
    }
    Ok(Invocation { data_dir, command })
}

fn required_file(args: &mut pico_args::Arguments, command: &str) -> Result<PathBuf, CliError> {
    args.opt_free_from_os_str(|raw| Ok::<_, String>(PathBuf::from(raw)))
        .map_err(usage)?
        .ok_or_else(|| CliError::Usage(format!("{command} perlu BERKAS")))
}

fn required_out(args: &mut pico_args::Arguments, command: &str) -> Result<PathBuf, CliError> {
    args.opt_value_from_os_str("--out", |raw| Ok::<_, String>(PathBuf::from(raw)))
        .map_err(usage)?
        .ok_or_else(|| CliError::Usage(format!("{command} perlu --out BERKAS")))
}

fn usage(error: pico_args::Error) -> CliError {
    CliError::Usage(format!("argumen tidak valid: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &[&str]) -> Result<Invocation, CliError> {
        parse(pico_args::Arguments::from_vec(words.iter().map(Into::into).collect()))
    }

    #[test]
    fn the_data_dir_comes_before_the_command() {
        let invocation =
            parse_words(&["--data-dir", "/tmp/x", "demo", "--scale", "city-decade", "--seed", "7"]).unwrap();
        assert_eq!(invocation.data_dir, Some(PathBuf::from("/tmp/x")));
        assert!(matches!(invocation.command, Command::Demo { scale: Scale::CityDecade, seed: 7 }));
    }

    #[test]
    fn search_takes_its_text_and_json_in_any_order() {
        let invocation = parse_words(&["search", "--json", "jalan rusa"]).unwrap();
        assert!(matches!(invocation.command, Command::Search { ref text, json: true } if text == "jalan rusa"));
        assert_eq!(invocation.data_dir, None);
    }

    #[test]
    fn print_and_xlsx_take_their_documents_and_scopes() {
        let invocation = parse_words(&["print", "ID", "--doc", "daftar-hadir", "--out", "dh.pdf"]).unwrap();
        assert!(matches!(invocation.command,
            Command::Print { ref meeting_id, kind: DocumentKind::DaftarHadir, ref out }
                if meeting_id == "ID" && out == &PathBuf::from("dh.pdf")));
        let invocation =
            parse_words(&["xlsx", "--kelurahan", "32.77.01.1001", "--year", "2027", "--out", "k.xlsx"]).unwrap();
        assert!(matches!(invocation.command,
            Command::Xlsx { scope: XlsxScope::KelurahanYear { ref kelurahan_code, planning_year: 2027 }, .. }
                if kelurahan_code == "32.77.01.1001"));
        let invocation = parse_words(&["xlsx", "ID", "--out", "m.xlsx"]).unwrap();
        assert!(matches!(invocation.command, Command::Xlsx { scope: XlsxScope::Meeting(ref id), .. } if id == "ID"));
    }

    #[test]
    fn bad_command_lines_are_usage_errors() {
        for words in [
            &["demo", "--scale", "kota"][..],
            &["demo"],
            &["show"],
            &["terbang"],
            &[],
            &["meetings", "--csv"],
            &["export", "ID"],
            &["export", "--out", "x.rembug"],
            &["verify"],
            &["import"],
            &["print", "ID", "--out", "x.pdf"],
            &["print", "ID", "--doc", "tanda-terima", "--out", "x.pdf"],
            &["print", "--doc", "usulan", "--out", "x.pdf"],
            &["xlsx", "ID"],
            &["xlsx", "--kelurahan", "32.77.01.1001", "--out", "x.xlsx"],
            &["xlsx", "ID", "--kelurahan", "32.77.01.1001", "--year", "2027", "--out", "x.xlsx"],
            &["xlsx", "--kelurahan", "32.77.01.1001", "--year", "dua", "--out", "x.xlsx"],
        ] {
            assert!(matches!(parse_words(words), Err(CliError::Usage(_))), "{words:?}");
        }
    }
}
