//! The notulen of a demo meeting, in Indonesian, written from what happened
//! in it: who spoke, which usulan came up, what was ranked first, who was
//! chosen as delegate.

use chrono::{NaiveTime, Timelike};

use super::insert::{PersonRow, UsulanRow};
use super::rng::Rng;
use super::vocabulary::CRITERIA;

pub(super) struct AgendaText {
    pub title: String,
    pub discussion: String,
    pub decisions: String,
}

/// What the notulen of one meeting speaks of.
pub(super) struct NotulenContext<'a> {
    /// `RW 05`, or `Kelurahan Melong` for a musrenbang kelurahan.
    pub wilayah: String,
    pub chair: &'a PersonRow,
    pub facilitator: &'a PersonRow,
    pub attendee_count: usize,
    pub start: NaiveTime,
    /// In order of entry, with who proposed each.
    pub usulan: &'a [(UsulanRow, String)],
    /// Best first.
    pub ranked: &'a [UsulanRow],
    pub delegates: Vec<&'a PersonRow>,
    /// Last year's usulan of the same RW that were not accommodated and come back.
    pub carried: usize,
}

/// `Bapak Asep Sunarya` or `Ibu Euis Rahmawati`.
pub(super) fn honorific(person: &PersonRow) -> String {
    let title = if person.gender == "P" { "Ibu" } else { "Bapak" };
    format!("{title} {}", person.name)
}

pub(super) fn rw_agenda(ctx: &NotulenContext<'_>, items: usize, rng: &mut Rng) -> Vec<AgendaText> {
    let mut agenda = vec![opening(ctx, "Ketua RW")];
    if items >= 4 {
        agenda.push(last_year(ctx));
    }
    agenda.push(problems(ctx, rng));
    agenda.push(ranking_and_delegates(ctx, "musrenbang kelurahan"));
    if items >= 5 {
        agenda.push(AgendaText {
            title: "Lain-lain".into(),
            discussion: format!(
                "Warga meminta jadwal kerja bakti bulanan dihidupkan kembali dan iuran kebersihan {} dibahas di rapat pengurus.",
                ctx.wilayah
            ),
            decisions: "Kerja bakti dilaksanakan setiap Minggu pertama, dikoordinasikan oleh ketua RT masing-masing.".into(),
        });
    }
    agenda
}

pub(super) fn kelurahan_agenda(ctx: &NotulenContext<'_>, rw_count: usize) -> Vec<AgendaText> {
    vec![
        opening(ctx, "Lurah"),
        AgendaText {
            title: "Pemaparan hasil rembug warga tiap RW".into(),
            discussion: format!(
                "Delegasi dari {rw_count} RW memaparkan usulan prioritas hasil rembug warga masing-masing, \
                 lengkap dengan lokasi, volume dan perkiraan biaya. {} mengingatkan agar usulan dilengkapi foto lokasi.",
                honorific(ctx.facilitator)
            ),
            decisions: format!("Seluruh {} usulan prioritas RW diterima untuk dibahas.", ctx.usulan.len()),
        },
        ranking_and_delegates(ctx, "musrenbang kecamatan"),
    ]
}

fn opening(ctx: &NotulenContext<'_>, chair_role: &str) -> AgendaText {
    AgendaText {
        title: format!("Pembukaan dan sambutan {chair_role}"),
        discussion: format!(
            "Acara dibuka oleh {} selaku pimpinan rapat {}. Warga diajak menyampaikan permasalahan lingkungan secara \
             terbuka. Fasilitator {} menjelaskan tahapan musrenbang dari rembug warga sampai musrenbang kota.",
            honorific(ctx.chair),
            ctx.wilayah,
            honorific(ctx.facilitator),
        ),
        decisions: format!(
            "Rapat dibuka pukul {:02}.{:02} dan dihadiri {} orang sebagaimana daftar hadir terlampir.",
            ctx.start.hour(),
            ctx.start.minute(),
            ctx.attendee_count
        ),
    }
}

fn last_year(ctx: &NotulenContext<'_>) -> AgendaText {
    let discussion = if ctx.carried == 0 {
        format!(
            "{} membacakan hasil musrenbang tahun lalu. Usulan {} tahun lalu sudah ditindaklanjuti atau tidak \
             diajukan kembali.",
            honorific(ctx.facilitator),
            ctx.wilayah
        )
    } else {
        format!(
            "{} membacakan hasil musrenbang tahun lalu. Sebanyak {} usulan belum diakomodir dan warga meminta \
             usulan tersebut diajukan kembali tahun ini.",
            honorific(ctx.facilitator),
            ctx.carried
        )
    };
    AgendaText {
        title: "Evaluasi usulan tahun lalu".into(),
        discussion,
        decisions: "Usulan yang belum diakomodir dibawa kembali ke rembug tahun ini.".into(),
    }
}

fn problems(ctx: &NotulenContext<'_>, rng: &mut Rng) -> AgendaText {
    let spoken: Vec<String> = ctx
        .usulan
        .iter()
        .take(5)
        .map(|(usulan, proposer)| {
            let verb = rng.pick(&["menyampaikan", "mengeluhkan", "melaporkan"]);
            format!("{proposer} {verb}: {}. Diusulkan: {}.", usulan.fields.permasalahan, usulan.fields.kegiatan)
        })
        .collect();
    AgendaText {
        title: "Penggalian masalah dan usulan kegiatan".into(),
        discussion: spoken.join(" "),
        decisions: format!("Tercatat {} usulan kegiatan untuk diberi skor.", ctx.usulan.len()),
    }
}

fn ranking_and_delegates(ctx: &NotulenContext<'_>, next_level: &str) -> AgendaText {
    let criteria: Vec<String> = CRITERIA.iter().map(|(name, _)| name.to_lowercase()).collect();
    let top: Vec<String> = ctx.ranked.iter().take(3).map(|usulan| usulan.fields.kegiatan.clone()).collect();
    let delegates: Vec<String> = ctx.delegates.iter().map(|person| honorific(person)).collect();
    AgendaText {
        title: "Penentuan prioritas usulan dan pemilihan delegasi".into(),
        discussion: format!(
            "Usulan diberi skor 1 sampai 5 menurut kriteria {}. Prioritas tertinggi: {}.",
            criteria.join(", "),
            top.join("; ")
        ),
        decisions: format!("Disepakati {} delegasi untuk {next_level}: {}.", delegates.len(), delegates.join(", ")),
    }
}
