//! Small Indonesian formats shared by the PDF and XLSX documents.

use rembug_core::meeting::{Meeting, Stage};
use rembug_core::rupiah::group_thousands;
use rembug_core::settings::StageNames;
use rembug_core::text::area_number_text;
use rembug_core::usulan::{Bidang, Usulan};

/// "03/05", or "–" when neither is known.
pub fn rt_rw(rt: Option<u16>, rw: Option<u16>) -> String {
    let part = |value: Option<u16>| value.map(area_number_text).unwrap_or_else(|| "–".to_owned());
    match (rt, rw) {
        (None, None) => "–".to_owned(),
        _ => format!("{}/{}", part(rt), part(rw)),
    }
}

/// A count of beneficiaries as the daftar usulan writes it: "1.200 orang";
/// blank when not known.
pub fn penerima_manfaat(count: Option<i64>) -> String {
    count.map(|count| format!("{} orang", group_thousands(count.unsigned_abs()))).unwrap_or_default()
}

pub fn bidang_label(bidang: Bidang) -> &'static str {
    match bidang {
        Bidang::Infrastruktur => "Infrastruktur",
        Bidang::Ekonomi => "Ekonomi",
        Bidang::SosialBudaya => "Sosial Budaya",
        Bidang::Pemerintahan => "Pemerintahan",
    }
}

/// The city's own name for the stage where settings give one.
pub fn stage_name(stage: Stage, names: &StageNames) -> String {
    let (custom, usual) = match stage {
        Stage::RembugWarga => (&names.rembug_warga, "Rembug Warga"),
        Stage::MusrenbangKelurahan => (&names.musrenbang_kelurahan, "Musrenbang Kelurahan"),
    };
    custom.clone().filter(|name| !name.trim().is_empty()).unwrap_or_else(|| usual.to_owned())
}

/// "Rembug Warga RW 05 Kelurahan Melong", "Musrenbang Kelurahan Melong"
/// (not "Musrenbang Kelurahan Kelurahan Melong").
pub fn meeting_title(stage_name: &str, meeting: &Meeting) -> String {
    let name = &meeting.kelurahan.name;
    match meeting.rw {
        Some(rw) => format!("{stage_name} RW {} Kelurahan {name}", area_number_text(rw)),
        None if stage_name.to_lowercase().ends_with("kelurahan") => format!("{stage_name} {name}"),
        None => format!("{stage_name} Kelurahan {name}"),
    }
}

/// "Jl. Rusa, RT 01, 03, RW 05": the address with its RT and RW, unless the
/// address already names them (cadres often type "Gg. Sawah RT 02/RW 08").
/// On an RW's own paper, `own_kelurahan` names its kelurahan, and a part of
/// the address that only names it ("Kelurahan Baros", "Kel. Baros") is left
/// out: the kop says it once.
pub fn lokasi(usulan: &Usulan, own_kelurahan: Option<&str>) -> String {
    let alamat = match own_kelurahan {
        Some(name) => without_kelurahan(&usulan.alamat, name),
        None => usulan.alamat.clone(),
    };
    let mut parts = vec![alamat];
    let says = |word: &str| usulan.alamat.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case(word));
    let rts: Vec<String> =
        usulan.rt_list.split(',').filter_map(|rt| rt.trim().parse::<u16>().ok()).map(area_number_text).collect();
    if !rts.is_empty() && !says("RT") {
        parts.push(format!("RT {}", rts.join(", ")));
    }
    if let Some(rw) = usulan.rw.filter(|_| !says("RW")) {
        parts.push(format!("RW {}", area_number_text(rw)));
    }
    parts.retain(|part| !part.trim().is_empty());
    parts.join(", ")
}

/// `alamat` without its comma-separated parts that name kelurahan `name`
/// alone: "Kelurahan Baros", "Kel. Baros", "Baros".
fn without_kelurahan(alamat: &str, name: &str) -> String {
    let names_it = |part: &str| {
        let part = part.trim();
        ["kelurahan ", "kel. ", "kel "]
            .iter()
            .find_map(|prefix| {
                part.get(..prefix.len()).filter(|p| p.eq_ignore_ascii_case(prefix)).map(|p| &part[p.len()..])
            })
            .unwrap_or(part)
            .trim()
            .eq_ignore_ascii_case(name.trim())
    };
    alamat.split(',').filter(|part| !names_it(part)).map(str::trim).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_rws_paper_leaves_its_own_kelurahan_out_of_the_lokasi() {
        let usulan = |alamat: &str| Usulan {
            id: "u1".into(),
            meeting_id: "m1".into(),
            position: 1,
            permasalahan: String::new(),
            kegiatan: "Perbaikan jalan".into(),
            alamat: alamat.into(),
            rt_list: "3".into(),
            rw: Some(8),
            latitude: None,
            longitude: None,
            volume: 1.0,
            satuan: "paket".into(),
            biaya: 1,
            bidang: Bidang::Infrastruktur,
            opd_tujuan: None,
            penerima_manfaat: None,
            swadaya: None,
            keterangan: None,
            proposer_person_id: None,
            proposer_name: None,
            proposer_group: None,
            hands: None,
            manual_rank: None,
            outcome: None,
            carried_from_id: None,
            origin: None,
            photos: Vec::new(),
            created_at: String::new(),
            updated_at: String::new(),
        };
        let typed = usulan("Jl. Baros Gg. Melati, Kelurahan Baros");
        assert_eq!(lokasi(&typed, Some("Baros")), "Jl. Baros Gg. Melati, RT 03, RW 08");
        assert_eq!(lokasi(&typed, None), "Jl. Baros Gg. Melati, Kelurahan Baros, RT 03, RW 08");
        assert_eq!(lokasi(&usulan("Gg. Sawah RT 03/RW 08, kel. baros"), Some("Baros")), "Gg. Sawah RT 03/RW 08");
        assert_eq!(
            lokasi(&usulan("Jl. Kelurahan Barosari"), Some("Baros")),
            "Jl. Kelurahan Barosari, RT 03, RW 08",
            "only a part that names the kelurahan alone goes"
        );
    }

    #[test]
    fn rt_and_rw_are_padded() {
        assert_eq!(rt_rw(Some(3), Some(5)), "03/05");
        assert_eq!(rt_rw(None, Some(5)), "–/05");
        assert_eq!(rt_rw(None, None), "–");
    }
}
