//! The city at a glance: participation per kecamatan and kelurahan
//! (attendees, the women's share against the target, youth, people with
//! disabilities) and usulan by bidang, by kelurahan and by OPD with their
//! total estimated cost, for one planning year or across years, inside the
//! account's kecamatan. Figures come from the latest revision of each
//! meeting, as the index keeps them at ingest (`store::Figures`), summed by
//! the database ([`OfficeStore::figure_sums`](crate::store::OfficeStore::figure_sums),
//! a few hundred rows for a kota); the list behind a figure reads the
//! meetings themselves (`figures_where`). No bundle file is opened. Charts
//! are SVG drawn here (no script, no network), every label escaped, and
//! every figure links to the list of the meetings behind it.

use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use rembug_core::rupiah::format_rupiah;
use rembug_core::text::area_number_text;

use super::ekspor::bidang_label;
use super::{PageResult, Refusal, Session, blocking, page, query, review_label, session, stage_label};
use crate::html::{e, url_value};
use crate::server::AppState;
use crate::store::{Bundle, BundleFilter, FigureSums, Figures, Participation, SumFilter, UsulanSums};

impl Participation {
    fn add(&mut self, other: &Participation) {
        self.meetings += other.meetings;
        self.attendees += other.attendees;
        self.women += other.women;
        self.youth += other.youth;
        self.disability += other.disability;
        self.target_met += other.target_met;
        self.target_percent = self.target_percent.max(other.target_percent);
    }

    /// The women's share in basis points (5000 = 50%).
    pub fn women_share(&self) -> u32 {
        if self.attendees == 0 { 0 } else { (u64::from(self.women) * 10_000 / u64::from(self.attendees)) as u32 }
    }
}

/// Usulan counted, with their estimated cost in whole Rupiah.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Spending {
    pub usulan: u32,
    pub biaya: i64,
}

/// A group's name and what its link filters on (`wilayah`, `bidang`, `opd`).
type Key = (String, String);

#[derive(Debug, Default)]
pub(super) struct Summary {
    /// (kecamatan code, name)
    pub by_kecamatan: BTreeMap<Key, Participation>,
    /// (kelurahan code, name)
    pub by_kelurahan: BTreeMap<Key, Participation>,
    pub usulan_by_kelurahan: BTreeMap<Key, Spending>,
    /// (bidang, its label)
    pub by_bidang: BTreeMap<Key, Spending>,
    /// (OPD as written, or empty for none; its label)
    pub by_opd: BTreeMap<Key, Spending>,
    pub by_year: BTreeMap<i32, (Participation, Spending)>,
}

/// What no OPD tujuan is called in the tables.
const NO_OPD: &str = "(belum ditentukan)";

/// Puts the database's sums (`OfficeStore::figure_sums`) in the summary's
/// tables: every year's totals, and the groups of `year` (or of all years).
pub(super) fn summarize(sums: &FigureSums, year: Option<i32>) -> Summary {
    let mut summary = Summary::default();
    for place in &sums.places {
        let (participation, spending) = summary.by_year.entry(place.planning_year).or_default();
        participation.add(&place.participation);
        spending.usulan += place.usulan;
        spending.biaya += place.biaya;
        if year.is_some_and(|year| year != place.planning_year) {
            continue;
        }
        let kecamatan_key = (place.kecamatan_code.clone(), place.kecamatan_name.clone());
        let kelurahan_key = (place.kelurahan_code.clone(), place.kelurahan_name.clone());
        summary.by_kecamatan.entry(kecamatan_key).or_default().add(&place.participation);
        summary.by_kelurahan.entry(kelurahan_key.clone()).or_default().add(&place.participation);
        if place.usulan > 0 {
            let spending = summary.usulan_by_kelurahan.entry(kelurahan_key).or_default();
            spending.usulan += place.usulan;
            spending.biaya += place.biaya;
        }
    }
    let chosen = |row: &&UsulanSums| year.is_none_or(|year| year == row.planning_year);
    for row in sums.by_bidang.iter().filter(chosen) {
        let spending = summary.by_bidang.entry((row.key.clone(), bidang_label(&row.key).to_owned())).or_default();
        spending.usulan += row.usulan;
        spending.biaya += row.biaya;
    }
    for row in sums.by_opd.iter().filter(chosen) {
        let label = if row.key.is_empty() { NO_OPD.to_owned() } else { row.key.clone() };
        let spending = summary.by_opd.entry((row.key.clone(), label)).or_default();
        spending.usulan += row.usulan;
        spending.biaya += row.biaya;
    }
    summary
}

/// What a figure's link lists: a year (or all), a wilayah, a bidang, an OPD.
#[derive(Debug, Clone, Default)]
struct Filter {
    year: Option<i32>,
    wilayah: String,
    bidang: Option<String>,
    opd: Option<String>,
}

impl Filter {
    fn read(raw: Option<String>) -> Filter {
        let form = query(raw);
        let optional = |name: &str| form.0.get(name).map(|value| value.trim().to_owned());
        Filter {
            year: form.get("tahun").parse().ok(),
            wilayah: form.get("wilayah").to_owned(),
            bidang: optional("bidang").filter(|bidang| !bidang.is_empty()),
            opd: optional("opd"),
        }
    }

    fn with(&self, wilayah: Option<&str>, bidang: Option<&str>, opd: Option<&str>) -> Filter {
        Filter {
            year: self.year,
            wilayah: wilayah.map_or_else(|| self.wilayah.clone(), str::to_owned),
            bidang: bidang.map(str::to_owned).or_else(|| self.bidang.clone()),
            opd: opd.map(str::to_owned).or_else(|| self.opd.clone()),
        }
    }

    /// The list of the meetings behind a figure.
    fn href(&self) -> String {
        let mut href = format!("/ringkasan/musyawarah?tahun={}", self.year.map(|y| y.to_string()).unwrap_or_default());
        href.push_str(&format!("&wilayah={}", url_value(&self.wilayah)));
        if let Some(bidang) = &self.bidang {
            href.push_str(&format!("&bidang={}", url_value(bidang)));
        }
        if let Some(opd) = &self.opd {
            href.push_str(&format!("&opd={}", url_value(opd)));
        }
        href
    }

    fn covers(&self, session: &Session, bundle: &Bundle) -> bool {
        let code = &bundle.kelurahan_code;
        session.covers(code)
            && self.year.is_none_or(|year| bundle.planning_year == year)
            && (self.wilayah.is_empty() || *code == self.wilayah || code.starts_with(&format!("{}.", self.wilayah)))
    }

    /// Whether a meeting has an usulan of this filter's bidang and OPD (any
    /// meeting, without them).
    fn matches(&self, figures: &Figures) -> bool {
        if self.bidang.is_none() && self.opd.is_none() {
            return true;
        }
        figures.usulan.iter().any(|usulan| {
            self.bidang.as_ref().is_none_or(|bidang| *bidang == usulan.bidang)
                && self.opd.as_ref().is_none_or(|opd| *opd == usulan.opd_tujuan)
        })
    }
}

/// The latest revision of each meeting the filter covers, with its figures,
/// selected by the index (the year, and the wilayah or else the account's
/// kecamatan).
async fn records(state: &AppState, session: &Session, filter: &Filter) -> Result<Vec<(Bundle, Figures)>, Refusal> {
    let wilayah =
        if filter.wilayah.is_empty() { session.staff.kecamatan_code.clone() } else { Some(filter.wilayah.clone()) };
    let selection = BundleFilter { planning_year: filter.year, wilayah, ..BundleFilter::default() };
    let store = state.office.store.clone();
    let records = blocking(move || Ok(store.figures_where(&selection)?)).await?;
    Ok(records
        .into_iter()
        .filter(|(bundle, figures)| filter.covers(session, bundle) && filter.matches(figures))
        .collect())
}

/// The wilayah a figure may cover: the one asked (empty: all) inside the
/// account's kecamatan, or `None` when the two do not meet.
fn scope(session: &Session, wilayah: &str) -> Option<Option<String>> {
    let within = |inner: &str, outer: &str| inner == outer || inner.starts_with(&format!("{outer}."));
    match (&session.staff.kecamatan_code, wilayah) {
        (None, "") => Some(None),
        (None, asked) => Some(Some(asked.to_owned())),
        (Some(own), "") => Some(Some(own.clone())),
        (Some(own), asked) if within(asked, own) => Some(Some(asked.to_owned())),
        (Some(own), asked) if within(own, asked) => Some(Some(own.clone())),
        (Some(_), _) => None,
    }
}

/// The filter's figures summed by the database (the latest revision of
/// each meeting), inside the account's kecamatan.
async fn sums(state: &AppState, session: &Session, filter: &Filter) -> Result<FigureSums, Refusal> {
    let Some(wilayah) = scope(session, &filter.wilayah) else {
        return Ok(FigureSums::default());
    };
    let selection = SumFilter {
        planning_year: filter.year,
        wilayah,
        usulan_bidang: filter.bidang.clone(),
        usulan_opd: filter.opd.clone(),
        ..SumFilter::default()
    };
    let store = state.office.store.clone();
    blocking(move || Ok(store.figure_sums(&selection)?)).await
}

fn percent(basis_points: u32) -> String {
    format!("{},{:02}%", basis_points / 100, basis_points % 100)
}

/// A linked figure.
fn figure(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", e(href), e(text))
}

/// One bar of a chart: its label, value, the value as written, and its link.
struct Bar {
    label: String,
    value: f64,
    text: String,
    href: String,
}

/// A horizontal bar chart as inline SVG: one linked row per bar, the bars
/// scaled to the largest value, with an optional target line (in the
/// values' unit).
fn bar_chart(title: &str, bars: &[Bar], target: Option<(f64, String)>) -> String {
    const ROW: f64 = 26.0;
    const LABEL: f64 = 170.0;
    const BAR: f64 = 260.0;
    let top = bars.iter().map(|bar| bar.value).chain(target.as_ref().map(|(value, _)| *value)).fold(0.0, f64::max);
    let scale = |value: f64| if top > 0.0 { value / top * BAR } else { 0.0 };
    let height = ROW * bars.len() as f64 + if target.is_some() { ROW } else { 6.0 };
    let mut svg = format!(
        "<svg class=\"grafik\" viewBox=\"0 0 600 {height}\" role=\"img\" aria-label=\"{0}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{0}</title>",
        e(title)
    );
    for (index, bar) in bars.iter().enumerate() {
        let y = ROW * index as f64;
        let label: String = bar.label.chars().take(24).collect();
        svg.push_str(&format!(
            "<a href=\"{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{:.1}\" height=\"18\" fill=\"#1f4e5f\"></rect>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text></a>",
            e(&bar.href),
            LABEL - 6.0,
            y + 14.0,
            e(&label),
            LABEL,
            y + 2.0,
            scale(bar.value),
            LABEL + scale(bar.value) + 6.0,
            y + 14.0,
            e(&bar.text)
        ));
    }
    if let Some((value, label)) = target {
        let x = LABEL + scale(value);
        let bottom = ROW * bars.len() as f64;
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{bottom}\" stroke=\"#a40000\" stroke-width=\"2\" \
             stroke-dasharray=\"4 3\"></line><text x=\"{x:.1}\" y=\"{}\" font-size=\"13\" fill=\"#a40000\">{}</text>",
            bottom + 16.0,
            e(&label)
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn participation_section(heading: &str, what: &str, groups: &BTreeMap<Key, Participation>, filter: &Filter) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let mut rows = String::new();
    let mut bars = Vec::new();
    for ((code, name), p) in groups {
        let href = filter.with(Some(code), None, None).href();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(name),
            figure(&href, &p.meetings.to_string()),
            figure(&href, &p.attendees.to_string()),
            figure(&href, &format!("{} ({})", p.women, percent(p.women_share()))),
            figure(&href, &p.youth.to_string()),
            figure(&href, &p.disability.to_string()),
            figure(&href, &format!("{} dari {}", p.target_met, p.meetings)),
        ));
        bars.push(Bar {
            label: name.clone(),
            value: f64::from(p.women_share()) / 100.0,
            text: percent(p.women_share()),
            href,
        });
    }
    let target = groups.values().map(|p| p.target_percent).max().unwrap_or_default();
    let chart = bar_chart(
        &format!("Keterwakilan perempuan per {}", what.to_lowercase()),
        &bars,
        Some((f64::from(target), format!("target {target}%"))),
    );
    format!(
        "<h2>{}</h2>{chart}<div class=\"tabel\"><table><tr><th>{what}</th><th>Musyawarah</th><th>Hadir</th>\
         <th>Perempuan</th><th>Pemuda</th><th>Disabilitas</th><th>Mencapai target perempuan</th></tr>{rows}</table></div>",
        e(heading)
    )
}

fn spending_section(
    heading: &str,
    what: &str,
    groups: &BTreeMap<Key, Spending>,
    link: &dyn Fn(&str) -> Filter,
) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let mut rows = String::new();
    let mut bars = Vec::new();
    for ((key, name), spending) in groups {
        let href = link(key).href();
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            e(name),
            figure(&href, &spending.usulan.to_string()),
            figure(&href, &format_rupiah(spending.biaya)),
        ));
        bars.push(Bar { label: name.clone(), value: spending.biaya as f64, text: format_rupiah(spending.biaya), href });
    }
    format!(
        "<h2>{}</h2>{}<div class=\"tabel\"><table><tr><th>{what}</th><th>Usulan</th><th>Perkiraan biaya</th></tr>\
         {rows}</table></div>",
        e(heading),
        bar_chart(&format!("Perkiraan biaya usulan per {}", what.to_lowercase()), &bars, None)
    )
}

pub(super) async fn overview(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> PageResult {
    let session = session(&state, &headers).await?;
    let filter = Filter::read(raw);
    let all_years = Filter { year: None, ..filter.clone() };
    let sums = sums(&state, &session, &all_years).await?;
    let chosen = summarize(&sums, filter.year);
    let years = &chosen.by_year;
    let mut kecamatan: Vec<(String, String)> = state
        .office
        .wilayah
        .clone()
        .iter()
        .filter(|k| session.covers(&k.code))
        .map(|k| (k.kecamatan_code.clone(), k.kecamatan_name.clone()))
        .collect();
    kecamatan.dedup();
    let options: String = kecamatan
        .iter()
        .map(|(code, name)| {
            let selected = if *code == filter.wilayah { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{}</option>", e(code), e(name))
        })
        .collect();
    let mut body = format!(
        "<form method=\"get\" action=\"/ringkasan\" class=\"sebaris\"><div><label for=\"tahun\">Tahun perencanaan \
         (kosong: semua tahun)</label><input id=\"tahun\" name=\"tahun\" type=\"number\" min=\"2000\" max=\"2100\" \
         value=\"{}\"></div><div><label for=\"wilayah\">Kecamatan</label><select id=\"wilayah\" name=\"wilayah\">\
         <option value=\"\">Semua</option>{options}</select></div><div><button type=\"submit\">Tampilkan</button></div>\
         </form><p>Dari revisi terakhir setiap musyawarah yang diterima kantor. Setiap angka membuka daftar musyawarah \
         di baliknya.</p>",
        filter.year.map(|y| y.to_string()).unwrap_or_default()
    );
    body.push_str(
        "<h2>Per tahun perencanaan</h2><div class=\"tabel\"><table><tr><th>Tahun</th><th>Musyawarah</th><th>Hadir</th>\
         <th>Perempuan</th><th>Usulan</th><th>Perkiraan biaya</th></tr>",
    );
    for (year, (p, spending)) in years {
        let href = Filter { year: Some(*year), ..all_years.clone() }.href();
        body.push_str(&format!(
            "<tr><td>{year}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            figure(&href, &p.meetings.to_string()),
            figure(&href, &p.attendees.to_string()),
            figure(&href, &percent(p.women_share())),
            figure(&href, &spending.usulan.to_string()),
            figure(&href, &format_rupiah(spending.biaya)),
        ));
    }
    body.push_str("</table></div>");
    body.push_str(&participation_section("Kehadiran per kecamatan", "Kecamatan", &chosen.by_kecamatan, &filter));
    body.push_str(&participation_section("Kehadiran per kelurahan", "Kelurahan", &chosen.by_kelurahan, &filter));
    body.push_str(&spending_section("Usulan per bidang", "Bidang", &chosen.by_bidang, &|bidang| {
        filter.with(None, Some(bidang), None)
    }));
    body.push_str(&spending_section("Usulan per kelurahan", "Kelurahan", &chosen.usulan_by_kelurahan, &|code| {
        filter.with(Some(code), None, None)
    }));
    body.push_str(&spending_section("Usulan per OPD tujuan", "OPD", &chosen.by_opd, &|opd| {
        filter.with(None, None, Some(opd))
    }));
    if sums.places.is_empty() {
        body.push_str("<p>Belum ada musyawarah yang diterima untuk pilihan ini.</p>");
    }
    let title = match filter.year {
        Some(year) => format!("Ringkasan kota {year}"),
        None => "Ringkasan kota, semua tahun".to_owned(),
    };
    Ok(page(StatusCode::OK, &title, Some(&session), &body))
}

/// The meetings behind a figure.
pub(super) async fn meetings(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> PageResult {
    let session = session(&state, &headers).await?;
    let filter = Filter::read(raw);
    let mut records = records(&state, &session, &filter).await?;
    records.sort_by(|(a, _), (b, _)| {
        (&a.kelurahan_code, a.rw, a.planning_year).cmp(&(&b.kelurahan_code, b.rw, b.planning_year))
    });
    let mut said = vec![match filter.year {
        Some(year) => format!("tahun {year}"),
        None => "semua tahun".to_owned(),
    }];
    if !filter.wilayah.is_empty() {
        said.push(format!("wilayah {}", filter.wilayah));
    }
    if let Some(bidang) = &filter.bidang {
        said.push(format!("bidang {}", bidang_label(bidang)));
    }
    if let Some(opd) = &filter.opd {
        said.push(format!("OPD {}", if opd.is_empty() { NO_OPD } else { opd }));
    }
    let mut body = format!(
        "<p>{} musyawarah: {}.</p><div class=\"tabel\"><table><tr><th>Tahun</th><th>Tahap</th><th>Kelurahan</th><th>RW</th>\
         <th>Hadir</th><th>Usulan</th><th>Tinjauan</th></tr>",
        records.len(),
        e(&said.join(", "))
    );
    for (bundle, figures) in &records {
        body.push_str(&format!(
            "<tr><td>{}</td><td><a href=\"/bundel/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            bundle.planning_year,
            e(&bundle.sha256),
            stage_label(&bundle.stage),
            e(&figures.kelurahan_name),
            bundle.rw.map(area_number_text).unwrap_or_default(),
            figures.attendees,
            figures.usulan.len(),
            review_label(&bundle.review_state)
        ));
    }
    body.push_str("</table></div><p><a href=\"/ringkasan\">Kembali ke ringkasan</a></p>");
    Ok(page(StatusCode::OK, "Musyawarah di balik angka", Some(&session), &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_escapes_its_labels_and_links_each_bar() {
        let bars = [
            Bar { label: "<script>".into(), value: 2.0, text: "2".into(), href: "/a?x=1&y=2".into() },
            Bar { label: "Melong".into(), value: 1.0, text: "1".into(), href: "/b".into() },
        ];
        let svg = bar_chart("Judul \"x\"", &bars, Some((3.0, "target".into())));
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"), "{svg}");
        assert!(svg.contains("<a href=\"/a?x=1&amp;y=2\">") && svg.contains("<a href=\"/b\">"), "{svg}");
        assert!(svg.contains("aria-label=\"Judul &quot;x&quot;\""), "{svg}");
        // Scaled to the target, the largest: 2 of 3 of 260 px.
        assert!(svg.contains("width=\"173.3\""), "{svg}");
        assert_eq!(percent(3333), "33,33%");
    }
}
