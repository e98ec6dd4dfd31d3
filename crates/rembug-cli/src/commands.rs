//! One function per command. Writes open the data folder with its lock;
//! reads open the database alone and read-only, never migrating it, so they
//! work while the app has it open and never upgrade it under an older app.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use rembug_core::answers::OutcomeForm;
use rembug_core::attendance::DelegateWarning;
use rembug_core::data_dir::{DATABASE_FILE, default_data_dir};
use rembug_core::demo::{self, Scale};
use rembug_core::meeting::{MeetingStatus, MeetingSummary, Stage};
use rembug_core::rupiah::{format_rupiah, group_thousands};
use rembug_core::settings::RecordingSettings;
use rembug_core::store::meetings::MeetingFilter;
use rembug_core::store::search::{SearchHit, SearchKind, SnippetSegment};
use rembug_core::text::area_number_text;
use rembug_core::wilayah::{WilayahCounts, keep_kota, read_wilayah_file};
use rembug_core::{DataDir, Store, wire};
use serde::Serialize;

use crate::answers;
use crate::args::{self, Cli, Command, XlsxScope};
use crate::backup;
use crate::bundles;
use crate::documents;
use crate::error::CliError;
use crate::lock;
use crate::office;
use crate::receipt;
use crate::sync;
use crate::table;

/// More hits than a terminal can usefully show.
const SEARCH_LIMIT: usize = 50;

pub fn run(cli: Cli) -> Result<(), CliError> {
    let data_dir = || cli.data_dir.clone().or_else(default_data_dir).ok_or(CliError::NoDataDir);
    match cli.command {
        Command::Demo { scale, seed } => fill_demo(&data_dir()?, scale, seed),
        Command::Meetings { output } => list_meetings(&open_for_reading(&data_dir()?)?, output.json),
        Command::Show { meeting_id, output } => show(&open_for_reading(&data_dir()?)?, &meeting_id, output.json),
        Command::Search { text, output } => search(&open_for_reading(&data_dir()?)?, &text, output.json),
        Command::Lock { meeting_id, output } => lock::lock(&data_dir()?, &meeting_id, output.json),
        Command::Export { meeting_id, out, tanpa_enkripsi } => {
            bundles::export(&data_dir()?, &meeting_id, &out, tanpa_enkripsi)
        }
        Command::Verify { file, output } => bundles::verify(&file, output.json),
        Command::Import { file } => bundles::import(&data_dir()?, &file),
        Command::Imported { output } => bundles::imported(&open_for_reading(&data_dir()?)?, output.json),
        Command::ImportWilayah { file, kota } => import_wilayah(&data_dir()?, &file, &kota),
        Command::Print { meeting_id, doc, out } => {
            documents::print_document(&open_for_reading(&data_dir()?)?, &meeting_id, doc, &out)
        }
        Command::OfficeKey { file, ganti } => office::set_key(&data_dir()?, &file, ganti),
        Command::OfficeKeygen { out } => office::keygen(&out),
        Command::OpenPersonal { file, secret, output } => office::open_personal(&file, &secret, output.json),
        Command::Xlsx { meeting_id, kelurahan, year, out } => {
            documents::write_xlsx(&open_for_reading(&data_dir()?)?, &XlsxScope::of(meeting_id, kelurahan, year), &out)
        }
        Command::Enroll { office, code, file, yes } => {
            let from = match (&office, &code, &file) {
                (Some(url), Some(code), _) => sync::EnrollFrom::Online { url, code },
                (_, _, Some(file)) => sync::EnrollFrom::File(file),
                _ => unreachable!("the argument group requires --office with --code, or --file"),
            };
            sync::enroll(&data_dir()?, from, yes)
        }
        Command::Sync { output } => sync::sync(&data_dir()?, output.json),
        Command::Outbox { output } => sync::outbox(&data_dir()?, output.json),
        Command::Receipt { file } => receipt::open_receipt_file(&data_dir()?, &file),
        Command::Outcome { usulan_id, hasil, keterangan, hapus: _, output } => {
            // Without --hasil, --hapus was given (clap requires one of them).
            let form = hasil.map(|outcome| OutcomeForm { outcome, detail: keterangan.unwrap_or_default() });
            answers::record(&data_dir()?, &usulan_id, form, output.json)
        }
        Command::Completions { shell } => completions(shell),
        Command::Backup { out, output } => backup::backup(&data_dir()?, &out, output.json),
        Command::Restore { from, yes } => backup::restore(&data_dir()?, &from, yes),
    }
}

/// A completion script for `shell`, from the same declaration that parses.
fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut args::command(), "rembug", &mut script);
    print(&String::from_utf8_lossy(&script))
}

pub(crate) fn open_for_reading(dir: &Path) -> Result<Store, CliError> {
    let database = dir.join(DATABASE_FILE);
    if !database.is_file() {
        return Err(CliError::NoDatabase(dir.to_owned()));
    }
    Ok(Store::open_read_only(&database)?)
}

fn import_wilayah(dir: &Path, file: &Path, kota: &[String]) -> Result<(), CliError> {
    let mut kelurahan = read_wilayah_file(file)?;
    keep_kota(&mut kelurahan, kota);
    if kelurahan.is_empty() {
        return Err(CliError::NoKelurahanInKota(kota.join(", ")));
    }
    let store = DataDir::open(dir)?.open_store()?;
    store.import_wilayah(&kelurahan)?;
    let counts = WilayahCounts::of(&kelurahan);
    print(&format!(
        "Wilayah disimpan: {} kota/kabupaten, {} kecamatan, {} kelurahan/desa.\n",
        group_thousands(counts.kota as u64),
        group_thousands(counts.kecamatan as u64),
        group_thousands(counts.kelurahan as u64)
    ))
}

fn fill_demo(dir: &Path, scale: Scale, seed: u64) -> Result<(), CliError> {
    let data_dir = DataDir::open(dir)?;
    let store = data_dir.open_store()?;
    let started = Instant::now();
    let summary = demo::generate(&store, scale, seed)?;
    let seconds = started.elapsed().as_secs_f64();
    print(&format!(
        "Data demo ({}, seed {seed}) dibuat dalam {seconds:.1} detik di {}:\n\
         {} musyawarah ({} terkunci), tahun perencanaan {}–{}\n\
         {} warga di direktori, {} kehadiran, {} agenda notulen\n\
         {} usulan, {} skor, {} delegasi\n",
        scale.as_str(),
        dir.display(),
        summary.meetings,
        summary.locked_meetings,
        summary.first_planning_year,
        summary.last_planning_year,
        summary.people,
        summary.attendance,
        summary.agenda_items,
        summary.usulan,
        summary.scores,
        summary.delegates,
    ))
}

/// One meeting in `meetings --json`: field names and values are a contract
/// with scripts, kept apart from the UI's types so they can evolve.
#[derive(Serialize)]
struct MeetingJson<'a> {
    id: &'a str,
    stage: &'static str,
    status: &'static str,
    kelurahan_code: &'a str,
    kelurahan_name: &'a str,
    kecamatan_name: &'a str,
    rw: Option<u16>,
    planning_year: i32,
    date: &'a str,
    start_time: &'a str,
    timezone: &'static str,
    revision: u32,
}

impl<'a> From<&'a MeetingSummary> for MeetingJson<'a> {
    fn from(m: &'a MeetingSummary) -> Self {
        MeetingJson {
            id: &m.id,
            stage: m.stage.as_str(),
            status: m.status.as_str(),
            kelurahan_code: &m.kelurahan_code,
            kelurahan_name: &m.kelurahan_name,
            kecamatan_name: &m.kecamatan_name,
            rw: m.rw,
            planning_year: m.planning_year,
            date: &m.date,
            start_time: &m.start_time,
            timezone: m.timezone.as_str(),
            revision: m.revision,
        }
    }
}

fn list_meetings(store: &Store, json: bool) -> Result<(), CliError> {
    let list = store.list_meetings(&MeetingFilter { limit: Some(u32::MAX), ..MeetingFilter::default() })?;
    if list.meetings.len() < list.total as usize {
        eprintln!("rembug: menampilkan {} dari {} musyawarah", list.meetings.len(), list.total);
    }
    if json {
        let rows: Vec<MeetingJson<'_>> = list.meetings.iter().map(MeetingJson::from).collect();
        return print_json(&rows);
    }
    if list.meetings.is_empty() {
        return print("Belum ada musyawarah. Isi data contoh dengan: rembug demo --scale rw\n");
    }
    let rows: Vec<Vec<String>> = list
        .meetings
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                stage_label(m.stage).to_owned(),
                m.kelurahan_name.clone(),
                m.rw.map(area_number_text).unwrap_or_else(|| "-".into()),
                m.planning_year.to_string(),
                format!("{} {} {}", m.date, m.start_time, m.timezone.as_str()),
                status_label(m.status).to_owned(),
            ]
        })
        .collect();
    print(&table::render(&["ID", "Tahap", "Kelurahan", "RW", "Tahun", "Tanggal", "Status"], &rows))
}

/// What `show --json` prints: the meeting in the bundle format's versioned
/// wire types (docs/bundle-format.md, `meeting.json` and `personal.json`), a
/// contract for scripts that a change to the app's own view types leaves
/// alone.
#[derive(Serialize)]
struct ShowJson {
    format_version: u32,
    public: wire::v1::PublicRecord,
    personal: wire::v1::PersonalRecord,
}

fn show(store: &Store, meeting_id: &str, json: bool) -> Result<(), CliError> {
    let meeting = store.get_meeting(meeting_id)?;
    let attendees = store.attendees(meeting_id)?;
    let agenda = store.agenda(meeting_id)?;
    let usulan = store.usulan_list(meeting_id)?;
    let ranking = store.ranking(meeting_id)?;
    let delegates = store.delegates(meeting_id)?;
    let changes = store.meeting_changes(meeting_id)?;
    if json {
        let record = store.meeting_record(meeting_id)?;
        return print_json(&ShowJson {
            format_version: wire::v1::FORMAT_VERSION,
            public: (&record.public).into(),
            personal: (&record.personal).into(),
        });
    }
    let mut out = String::new();
    let wilayah = match meeting.rw {
        Some(rw) => format!("RW {}, Kelurahan {}", area_number_text(rw), meeting.kelurahan.name),
        None => format!("Kelurahan {}", meeting.kelurahan.name),
    };
    out.push_str(&format!("{} {wilayah}, {}\n", stage_label(meeting.stage), meeting.kelurahan.kecamatan_name));
    out.push_str(&format!("ID            {}\n", meeting.id));
    out.push_str(&format!("Status        {} (revisi {})\n", status_label(meeting.status), meeting.revision));
    out.push_str(&format!("Tahun         {}\n", meeting.planning_year));
    out.push_str(&format!("Waktu         {} {} {}\n", meeting.date, meeting.start_time, meeting.timezone.as_str()));
    out.push_str(&format!("Tempat        {}\n", meeting.place));
    out.push_str(&format!("Fasilitator   {}\n", meeting.facilitator));
    out.push_str(&format!("Notulis       {}\n", meeting.notulis.as_deref().unwrap_or("-")));

    out.push_str(&format!("\nDaftar hadir ({} orang)\n", attendees.len()));
    let rows: Vec<Vec<String>> = attendees
        .iter()
        .enumerate()
        .map(|(index, a)| {
            vec![
                (index + 1).to_string(),
                a.name.clone(),
                a.gender.as_str().to_owned(),
                a.unsur.clone(),
                a.rt.map(|rt| format!("{rt:02}")).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    out.push_str(&table::render(&["No", "Nama", "L/P", "Unsur", "RT"], &rows));

    out.push_str("\nNotulen\n");
    for item in &agenda {
        out.push_str(&format!("{}. {}\n", item.position, item.title));
        if !item.discussion.is_empty() {
            out.push_str(&format!("   Pembahasan: {}\n", item.discussion));
        }
        if !item.decisions.is_empty() {
            out.push_str(&format!("   Kesepakatan: {}\n", item.decisions));
        }
    }

    out.push_str(&format!("\nUsulan ({})\n", usulan.len()));
    let rows: Vec<Vec<String>> = usulan
        .iter()
        .map(|u| {
            vec![
                u.position.to_string(),
                u.kegiatan.clone(),
                format!("{} {}", u.volume, u.satuan),
                format_rupiah(u.biaya),
                u.alamat.clone(),
            ]
        })
        .collect();
    out.push_str(&table::render(&["No", "Kegiatan", "Volume", "Biaya", "Lokasi"], &rows));
    let ranked: Vec<String> =
        ranking.rows.iter().take(5).map(|row| format!("{}. {}", row.rank, row.kegiatan)).collect();
    if !ranked.is_empty() {
        out.push_str(&format!("Prioritas: {}\n", ranked.join("; ")));
    }
    let names: Vec<&str> = delegates.delegates.iter().map(|d| d.name.as_str()).collect();
    out.push_str(&format!("\nDelegasi: {}\n", if names.is_empty() { "-".into() } else { names.join(", ") }));
    if !delegates.warnings.is_empty() {
        let recording = store.settings()?.recording;
        for warning in &delegates.warnings {
            out.push_str(&format!("Perhatian: {}\n", delegate_warning(*warning, &recording)));
        }
    }

    out.push_str(&format!("\nCatatan perubahan ({})\n", changes.len()));
    for change in &changes {
        out.push_str(&format!("{}  {} {}\n", change.at, change.entity, change.action));
    }
    print(&out)
}

fn search(store: &Store, text: &str, json: bool) -> Result<(), CliError> {
    let hits = store.search(text, SEARCH_LIMIT)?;
    if json {
        return print_json(&hits.iter().map(SearchHitJson::from).collect::<Vec<_>>());
    }
    if hits.is_empty() {
        return print(&format!("Tidak ada yang cocok dengan \"{text}\".\n"));
    }
    let mut out = String::new();
    for hit in &hits {
        out.push_str(&hit_line(hit));
    }
    print(&out)
}

/// A hit as `search --json` prints it: the CLI's own contract for scripts,
/// not the app's IPC type, so renaming a variant in the app changes nothing
/// here.
#[derive(Serialize)]
struct SearchHitJson<'a> {
    /// "minutes", "usulan" or "attendee", as since the first release.
    kind: &'static str,
    meeting: &'a MeetingSummary,
    item_id: &'a str,
    title: &'a str,
    snippet: &'a [SnippetSegment],
}

impl<'a> From<&'a SearchHit> for SearchHitJson<'a> {
    fn from(hit: &'a SearchHit) -> Self {
        let kind = match hit.kind {
            SearchKind::Notulen => "minutes",
            SearchKind::Usulan => "usulan",
            SearchKind::Attendee => "attendee",
        };
        SearchHitJson { kind, meeting: &hit.meeting, item_id: &hit.item_id, title: &hit.title, snippet: &hit.snippet }
    }
}

/// Two lines per hit: where it is, then the snippet with the matched words
/// in [brackets].
fn hit_line(hit: &SearchHit) -> String {
    let kind = match hit.kind {
        SearchKind::Notulen => "Notulen",
        SearchKind::Usulan => "Usulan",
        SearchKind::Attendee => "Hadir",
    };
    let m = &hit.meeting;
    let wilayah = match m.rw {
        Some(rw) => format!("RW {} {}", area_number_text(rw), m.kelurahan_name),
        None => format!("Kelurahan {}", m.kelurahan_name),
    };
    let snippet: String = hit
        .snippet
        .iter()
        .map(|segment| if segment.highlighted { format!("[{}]", segment.text) } else { segment.text.clone() })
        .collect();
    format!(
        "{kind:<8} {wilayah} · {} · {} · {}\n         {}: {snippet}\n",
        m.date,
        status_label(m.status),
        m.id,
        hit.title
    )
}

fn delegate_warning(warning: DelegateWarning, recording: &RecordingSettings) -> String {
    match warning {
        DelegateWarning::NoWomanDelegate => "belum ada perempuan di antara delegasi".to_owned(),
        DelegateWarning::DelegateCountOutsideRange => format!(
            "jumlah delegasi di luar {}–{} orang yang diminta pengaturan",
            recording.delegates_min, recording.delegates_max
        ),
    }
}

fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::RembugWarga => "Rembug Warga",
        Stage::MusrenbangKelurahan => "Musrenbang Kelurahan",
    }
}

fn status_label(status: MeetingStatus) -> &'static str {
    match status {
        MeetingStatus::Draft => "Draf",
        MeetingStatus::Locked => "Terkunci",
    }
}

pub(crate) fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let mut text = serde_json::to_string_pretty(value).map_err(|error| CliError::Output(error.into()))?;
    text.push('\n');
    print(&text)
}

/// Writes to stdout. A reader that stopped early (`rembug meetings | head`)
/// has what it wanted: that is no error.
pub(crate) fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Output(error)),
        _ => Ok(()),
    }
}
