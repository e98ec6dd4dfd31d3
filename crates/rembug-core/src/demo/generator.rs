//! Builds demo meetings one at a time: the residents of each RW (created the
//! first time the RW meets), who came, the usulan, the scores, the delegates
//! and the notulen; then hands them to `insert`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rusqlite::Transaction;

use super::DemoSummary;
use super::insert::{self, AgendaRow, MeetingRow, PersonRow, UsulanRow};
use super::notulen::{self, NotulenContext, honorific};
use super::rng::Rng;
use super::vocabulary::*;
use crate::error::Result;
use crate::meeting::{Stage, Timezone};
use crate::store::format_utc;
use crate::usulan::{Proposer, UsulanFields};

/// How many usulan of each RW its delegates carry to the musrenbang kelurahan.
const PRIORITIES_PER_RW: usize = 3;

pub(super) struct Kelurahan {
    pub code: String,
    pub name: String,
}

/// The size of one rembug warga.
pub(super) struct Shape {
    pub attendees: usize,
    pub agenda_items: usize,
    pub usulan: usize,
    pub delegates: usize,
}

impl Shape {
    /// The meeting of the "rw" scale: what one evening in an RW hall records.
    pub fn one_evening() -> Shape {
        Shape { attendees: 40, agenda_items: 4, usulan: 8, delegates: 3 }
    }

    fn varied(rng: &mut Rng) -> Shape {
        Shape {
            attendees: rng.between(20, 70) as usize,
            agenda_items: rng.between(3, 5) as usize,
            usulan: rng.between(10, 22) as usize,
            delegates: rng.between(3, 5) as usize,
        }
    }
}

/// What a rembug warga hands on to its musrenbang kelurahan.
pub(super) struct RwOutcome {
    rw: u16,
    delegates: Vec<usize>,
    priorities: Vec<UsulanRow>,
}

struct RwPool {
    people: Vec<usize>,
    rt_count: u16,
}

/// When a meeting happened and when it was written down and locked.
struct Timing {
    starts_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    locked_at: Option<DateTime<Utc>>,
}

struct MeetingPlan<'a> {
    kelurahan: &'a Kelurahan,
    stage: Stage,
    rw: Option<u16>,
    year: i32,
    start: NaiveTime,
    timing: Timing,
    place: String,
    /// The chair, the facilitator and the notulis first, then the participants.
    attendees: Vec<usize>,
    /// In order of entry, each with who proposed it, as the notulen name them.
    usulan: Vec<(UsulanRow, String)>,
    delegates: usize,
    agenda_items: usize,
    /// For a musrenbang kelurahan: how many RW sent their priorities.
    rw_count: usize,
    carried: usize,
}

pub(super) struct Generator<'t> {
    tx: &'t Transaction<'t>,
    rng: Rng,
    current_year: i32,
    people: Vec<PersonRow>,
    rw_pools: BTreeMap<(String, u16), RwPool>,
    officials: BTreeMap<String, Vec<usize>>,
    /// Usulan of last year that were not accommodated, by kelurahan and RW.
    not_accommodated: BTreeMap<(String, u16), Vec<UsulanRow>>,
    pub summary: DemoSummary,
    /// The meetings locked so far, each with when (UTC, RFC 3339).
    pub locked: Vec<(String, String)>,
}

impl<'t> Generator<'t> {
    pub fn new(tx: &'t Transaction<'t>, seed: u64, current_year: i32) -> Generator<'t> {
        Generator {
            tx,
            rng: Rng::new(seed),
            current_year,
            people: Vec::new(),
            rw_pools: BTreeMap::new(),
            officials: BTreeMap::new(),
            not_accommodated: BTreeMap::new(),
            summary: DemoSummary::default(),
            locked: Vec::new(),
        }
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// A rembug warga, held between mid-November and late December two
    /// years before its planning year (see the planning calendar in `mod.rs`).
    pub fn rw_meeting(&mut self, kelurahan: &Kelurahan, rw: u16, year: i32, shape: Option<Shape>) -> Result<RwOutcome> {
        let shape = shape.unwrap_or_else(|| Shape::varied(&mut self.rng));
        let first_day = NaiveDate::from_ymd_opt(year - 2, 11, 15).expect("a real date");
        let date = first_day + Duration::days(self.rng.between(0, 35) as i64);
        let &(hour, minute) = self.rng.pick(START_TIMES);
        let start = NaiveTime::from_hms_opt(hour.into(), minute.into(), 0).expect("a real time");
        let timing = self.timing(&kelurahan.code, date, start, year);

        let key = (kelurahan.code.clone(), rw);
        if !self.rw_pools.contains_key(&key) {
            let pool = self.new_rw_pool(&kelurahan.code, rw, &timing.created_at)?;
            self.rw_pools.insert(key.clone(), pool);
        }
        let pool = &self.rw_pools[&key];
        let (pool_people, rt_count) = (pool.people.clone(), pool.rt_count);
        let attendees: Vec<usize> =
            self.rng.sample(pool_people.len(), shape.attendees).into_iter().map(|i| pool_people[i]).collect();

        let mut usulan = Vec::new();
        let carried_back = self.not_accommodated.remove(&key).unwrap_or_default();
        let carried_count = (self.rng.between(0, 2) as usize).min(carried_back.len());
        for old in carried_back.into_iter().take(carried_count) {
            let created_at = timing.starts_at + Duration::minutes(40 + 3 * usulan.len() as i64);
            // Brought back by the RT's chair: last year's proposer may not
            // have come this year.
            let proposer = format!("Ketua RT {}", rt_label(&old.fields.rt_list));
            let row = UsulanRow {
                id: self.id(&created_at),
                fields: UsulanFields { proposer: Proposer::Group(proposer.clone()), ..old.fields.clone() },
                carried_from_id: Some(old.id.clone()),
                outcome: None,
                created_at: format_utc(created_at),
                ..old
            };
            usulan.push((row, proposer));
        }
        while usulan.len() < shape.usulan {
            let created_at = timing.starts_at + Duration::minutes(40 + 3 * usulan.len() as i64);
            let proposed = self.new_usulan(&kelurahan.name, rw, rt_count, &attendees[3..], &created_at);
            usulan.push(proposed);
        }

        let place = self.rng.pick(RW_PLACES).replace("{rw}", &format!("{rw:02}"));
        let plan = MeetingPlan {
            kelurahan,
            stage: Stage::RembugWarga,
            rw: Some(rw),
            year,
            start,
            timing,
            place,
            attendees,
            usulan,
            delegates: shape.delegates,
            agenda_items: shape.agenda_items,
            rw_count: 0,
            carried: carried_count,
        };
        let (ranked, delegates) = self.record(plan)?;
        let not_accommodated: Vec<UsulanRow> =
            ranked.iter().filter(|u| u.outcome == Some("tidak_diakomodir")).cloned().collect();
        self.not_accommodated.insert(key, not_accommodated);
        Ok(RwOutcome { rw, delegates, priorities: ranked.into_iter().take(PRIORITIES_PER_RW).collect() })
    }

    /// The musrenbang kelurahan of a planning year, in January of the year
    /// before it: the lurah chairs, the RW delegates attend, and the RW
    /// priorities are ranked again.
    pub fn kelurahan_meeting(&mut self, kelurahan: &Kelurahan, year: i32, rw_outcomes: &[RwOutcome]) -> Result<()> {
        let first_day = NaiveDate::from_ymd_opt(year - 1, 1, 12).expect("a real date");
        let date = first_day + Duration::days(self.rng.between(0, 24) as i64);
        let start = NaiveTime::from_hms_opt(9, 0, 0).expect("a real time");
        let timing = self.timing(&kelurahan.code, date, start, year);
        if !self.officials.contains_key(&kelurahan.code) {
            let officials = (0..OFFICIAL_UNSUR.len())
                .map(|i| self.new_person(&kelurahan.code, None, 1, Some(OFFICIAL_UNSUR[i]), &timing.created_at))
                .collect::<Result<Vec<_>>>()?;
            self.officials.insert(kelurahan.code.clone(), officials);
        }
        let mut attendees: Vec<usize> = self.officials[&kelurahan.code][..3].to_vec();
        attendees.extend(rw_outcomes.iter().flat_map(|outcome| outcome.delegates.iter().copied()));

        let mut usulan = Vec::new();
        for outcome in rw_outcomes {
            for priority in &outcome.priorities {
                let created_at = timing.starts_at + Duration::minutes(30 + usulan.len() as i64);
                let group = format!("Delegasi RW {:02}", outcome.rw);
                let row = UsulanRow {
                    id: self.id(&created_at),
                    fields: UsulanFields { proposer: Proposer::Group(group.clone()), ..priority.fields.clone() },
                    outcome: None,
                    carried_from_id: None,
                    created_at: format_utc(created_at),
                    ..priority.clone()
                };
                usulan.push((row, group));
            }
        }
        let plan = MeetingPlan {
            kelurahan,
            stage: Stage::MusrenbangKelurahan,
            rw: None,
            year,
            start,
            timing,
            place: format!("Aula Kantor Kelurahan {}", kelurahan.name),
            attendees,
            usulan,
            delegates: self.rng.between(3, 5) as usize,
            agenda_items: 3,
            rw_count: rw_outcomes.len(),
            carried: 0,
        };
        self.record(plan)?;
        Ok(())
    }

    /// Ranks, picks delegates, writes the notulen and inserts the meeting
    /// with everything in it. Answers the usulan best first and the delegates.
    fn record(&mut self, plan: MeetingPlan<'_>) -> Result<(Vec<UsulanRow>, Vec<usize>)> {
        let locked = plan.timing.locked_at.is_some();
        let created_at = format_utc(plan.timing.created_at);
        let updated_at = format_utc(plan.timing.updated_at);
        let starts_at = format_utc(plan.timing.starts_at);
        let meeting_id = self.id(&plan.timing.created_at);

        let criteria: Vec<String> = CRITERIA.iter().map(|_| self.id(&plan.timing.starts_at)).collect();
        let mut scored: Vec<(UsulanRow, Vec<u64>)> = plan
            .usulan
            .iter()
            .map(|(usulan, _)| (usulan.clone(), CRITERIA.iter().map(|_| self.rng.between(1, 5)).collect()))
            .collect();
        let total = |scores: &[u64]| -> u64 { scores.iter().zip(CRITERIA).map(|(s, (_, w))| s * w).sum() };
        // Stable: equal totals keep their order of entry.
        scored.sort_by_key(|(_, scores)| std::cmp::Reverse(total(scores)));
        if locked {
            for (rank, (usulan, _)) in scored.iter_mut().enumerate() {
                let accommodated = self.rng.percent(if rank < 3 { 50 } else { 15 });
                usulan.outcome = Some(if accommodated { "diakomodir" } else { "tidak_diakomodir" });
            }
        }
        let delegates = self.pick_delegates(&plan.attendees[3..], plan.delegates);

        let people = &self.people;
        let ranked: Vec<UsulanRow> = scored.iter().map(|(usulan, _)| usulan.clone()).collect();
        let context = NotulenContext {
            wilayah: match plan.rw {
                Some(rw) => format!("RW {rw:02}"),
                None => format!("Kelurahan {}", plan.kelurahan.name),
            },
            chair: &people[plan.attendees[0]],
            facilitator: &people[plan.attendees[1]],
            attendee_count: plan.attendees.len(),
            start: plan.start,
            usulan: &plan.usulan,
            ranked: &ranked,
            delegates: delegates.iter().map(|&i| &people[i]).collect(),
            carried: plan.carried,
        };
        let agenda = match plan.stage {
            Stage::RembugWarga => notulen::rw_agenda(&context, plan.agenda_items, &mut self.rng),
            Stage::MusrenbangKelurahan => notulen::kelurahan_agenda(&context, plan.rw_count),
        };

        let tx = self.tx;
        let locked_at = plan.timing.locked_at.map(format_utc);
        // The chair of a rembug warga is its Ketua RW; a kelurahan's
        // musrenbang is chaired by the Ketua LPM.
        let pimpinan_jabatan = match plan.rw {
            Some(rw) => format!("Ketua RW {rw:02}"),
            None => format!("Ketua LPM Kelurahan {}", plan.kelurahan.name),
        };
        insert::meeting(
            tx,
            &MeetingRow {
                id: &meeting_id,
                stage: plan.stage.as_str(),
                kelurahan_code: &plan.kelurahan.code,
                rw: plan.rw,
                planning_year: plan.year,
                starts_at: &starts_at,
                timezone: Timezone::for_kemendagri_code(&plan.kelurahan.code).as_str(),
                place: &plan.place,
                facilitator: &self.people[plan.attendees[1]].name,
                notulis: &self.people[plan.attendees[2]].name,
                pimpinan: &self.people[plan.attendees[0]].name,
                pimpinan_jabatan: &pimpinan_jabatan,
                created_at: &created_at,
                updated_at: &updated_at,
            },
        )?;
        for (index, &person) in plan.attendees.iter().enumerate() {
            let role = ["pimpinan_rapat", "fasilitator", "notulis"].get(index).copied().unwrap_or("peserta");
            let at = plan.timing.starts_at - Duration::minutes(20) + Duration::seconds(35 * index as i64);
            insert::attendance(tx, &meeting_id, &self.people[person], role, &format_utc(at))?;
        }
        for (index, item) in agenda.iter().enumerate() {
            let at = plan.timing.starts_at + Duration::minutes(30 * (index as i64 + 1));
            let id = self.id(&at);
            insert::agenda_item(
                tx,
                &AgendaRow {
                    id: &id,
                    meeting_id: &meeting_id,
                    position: index + 1,
                    title: &item.title,
                    discussion: &item.discussion,
                    decisions: &item.decisions,
                    updated_at: &format_utc(at),
                },
            )?;
        }
        for (position, (criterion_id, (name, weight))) in criteria.iter().zip(CRITERIA).enumerate() {
            insert::criterion(tx, criterion_id, &meeting_id, position + 1, name, *weight)?;
        }
        // Inserted in order of entry, as they were proposed.
        for (position, (entered, _)) in plan.usulan.iter().enumerate() {
            let (usulan, scores) =
                scored.iter().find(|(usulan, _)| usulan.id == entered.id).expect("every usulan is scored");
            insert::usulan(tx, &meeting_id, position + 1, usulan, &updated_at)?;
            for (criterion_id, score) in criteria.iter().zip(scores) {
                insert::score(tx, &usulan.id, criterion_id, *score)?;
            }
        }
        for (position, &person) in delegates.iter().enumerate() {
            insert::delegate(tx, &meeting_id, &self.people[person].id, position + 1)?;
        }
        if let Some(locked_at) = locked_at {
            insert::lock(tx, &meeting_id, &locked_at)?;
            self.locked.push((meeting_id, locked_at));
        }

        let summary = &mut self.summary;
        summary.meetings += 1;
        summary.locked_meetings += usize::from(locked);
        summary.attendance += plan.attendees.len();
        summary.agenda_items += agenda.len();
        summary.usulan += plan.usulan.len();
        summary.scores += plan.usulan.len() * CRITERIA.len();
        summary.delegates += delegates.len();
        summary.first_planning_year =
            if summary.first_planning_year == 0 { plan.year } else { summary.first_planning_year.min(plan.year) };
        summary.last_planning_year = summary.last_planning_year.max(plan.year);
        Ok((ranked, delegates))
    }

    /// `count` delegates among `candidates`, at least one of them a woman when
    /// a woman attended (the app warns when none is).
    fn pick_delegates(&mut self, candidates: &[usize], count: usize) -> Vec<usize> {
        let mut chosen: Vec<usize> =
            self.rng.sample(candidates.len(), count).into_iter().map(|i| candidates[i]).collect();
        let has_woman = chosen.iter().any(|&i| self.people[i].gender == "P");
        if !has_woman
            && let Some(&woman) = candidates.iter().find(|&&i| self.people[i].gender == "P" && !chosen.contains(&i))
            && let Some(last) = chosen.last_mut()
        {
            *last = woman;
        }
        chosen
    }

    fn timing(&mut self, kelurahan_code: &str, date: NaiveDate, start: NaiveTime, year: i32) -> Timing {
        let starts_at = Timezone::for_kemendagri_code(kelurahan_code).to_utc(date, start);
        let created_at = starts_at
            - Duration::days(self.rng.between(3, 14) as i64)
            - Duration::minutes(self.rng.between(0, 600) as i64);
        let updated_at = starts_at + Duration::minutes(self.rng.between(150, 240) as i64);
        let locked_at = (year < self.current_year).then(|| updated_at + Duration::days(self.rng.between(1, 7) as i64));
        Timing { starts_at, created_at, updated_at, locked_at }
    }

    fn id(&mut self, at: &DateTime<Utc>) -> String {
        let millis = at.timestamp_millis() as u64;
        self.rng.uuid_v7(millis).to_string()
    }

    /// The residents of an RW this device will come to know: 130 to 190.
    fn new_rw_pool(&mut self, kelurahan_code: &str, rw: u16, created_at: &DateTime<Utc>) -> Result<RwPool> {
        let rt_count = self.rng.between(4, 10) as u16;
        let size = self.rng.between(130, 190);
        let people = (0..size)
            .map(|_| self.new_person(kelurahan_code, Some(rw), rt_count, None, created_at))
            .collect::<Result<_>>()?;
        Ok(RwPool { people, rt_count })
    }

    fn new_person(
        &mut self,
        kelurahan_code: &str,
        rw: Option<u16>,
        rt_count: u16,
        unsur: Option<&'static str>,
        created_at: &DateTime<Utc>,
    ) -> Result<usize> {
        let rng = &mut self.rng;
        let unsur = unsur.unwrap_or_else(|| *rng.pick(UNSUR_WEIGHTED));
        let female = matches!(unsur, "PKK" | "Perempuan") || rng.percent(42);
        let name = if female {
            format!("{} {}", rng.pick(FEMALE_NAMES), rng.pick(FEMALE_FAMILY_NAMES))
        } else {
            format!("{} {}", rng.pick(MALE_NAMES), rng.pick(MALE_FAMILY_NAMES))
        };
        let age_group = match (unsur, rng.between(0, 99)) {
            ("Pemuda" | "Karang Taruna", _) => "pemuda",
            (_, 0..=2) => "anak",
            (_, 3..=22) => "pemuda",
            (_, 23..=79) => "dewasa",
            _ => "lansia",
        };
        let phone = rng.percent(40).then(|| {
            let operator = rng.pick(&["12", "13", "21", "22", "52", "53", "57", "77", "78", "95", "96"]);
            format!("08{operator}{:08}", rng.between(0, 99_999_999))
        });
        let person = PersonRow {
            id: String::new(),
            name,
            gender: if female { "P" } else { "L" },
            unsur,
            rt: rw.map(|_| rng.between(1, u64::from(rt_count)) as u16),
            rw,
            kelurahan_code: kelurahan_code.to_owned(),
            phone,
            disability: unsur == "Disabilitas" || rng.percent(2),
            age_group,
            created_at: format_utc(*created_at),
        };
        let person = PersonRow { id: self.id(created_at), ..person };
        insert::person(self.tx, &person)?;
        self.people.push(person);
        self.summary.people += 1;
        Ok(self.people.len() - 1)
    }

    /// A new usulan of an RW, proposed by one of `participants` or a group;
    /// answers it with the proposer as the notulen name them.
    fn new_usulan(
        &mut self,
        kelurahan_name: &str,
        rw: u16,
        rt_count: u16,
        participants: &[usize],
        created_at: &DateTime<Utc>,
    ) -> (UsulanRow, String) {
        let id = self.id(created_at);
        let rng = &mut self.rng;
        let activity = rng.pick(ACTIVITIES);
        let street = rng.pick(STREETS);
        let rt = rng.between(1, u64::from(rt_count));
        let rt_list = match rng.percent(20) && rt < u64::from(rt_count) {
            true => vec![rt as u16, rt as u16 + 1],
            false => vec![rt as u16],
        };
        let place = format!("{street} RT {rt:02}");
        let volume = rng.between(activity.volume.0, activity.volume.1);
        let unit_cost = rng.between(activity.unit_cost.0, activity.unit_cost.1);
        // Estimates are rounded to a hundred thousand Rupiah, as cadres write them.
        let biaya = (volume * unit_cost / 100_000 * 100_000) as i64;
        // Kota Cimahi lies around 6.87° S, 107.54° E.
        let coordinates = rng
            .percent(60)
            .then(|| (-6.92 + rng.between(0, 800) as f64 / 10_000.0, 107.51 + rng.between(0, 600) as f64 / 10_000.0));
        let (proposer, proposer_name) = if rng.percent(50) && !participants.is_empty() {
            let person = &self.people[*rng.pick(participants)];
            (Proposer::Person(person.id.clone()), honorific(person))
        } else {
            let group = match rng.between(0, 2) {
                0 => format!("Ketua RT {rt:02}"),
                1 => format!("PKK RW {rw:02}"),
                _ => format!("Karang Taruna RW {rw:02}"),
            };
            (Proposer::Group(group.clone()), group)
        };
        let fields = UsulanFields {
            permasalahan: activity.permasalahan.replace("{place}", &place).replace("{rw}", &format!("{rw:02}")),
            kegiatan: activity.kegiatan.to_owned(),
            alamat: format!("{street} RT {rt:02}/RW {rw:02}, Kelurahan {kelurahan_name}"),
            rt_list,
            rw: Some(rw),
            coordinates,
            volume: volume as f64,
            satuan: activity.satuan.to_owned(),
            biaya,
            bidang: activity.bidang,
            opd_tujuan: Some(activity.opd.to_owned()),
            penerima_manfaat: Some(rng.between(20, 600) as i64),
            swadaya: rng.percent(50).then(|| (*rng.pick(SWADAYA)).to_owned()),
            keterangan: None,
            proposer,
        };
        let usulan =
            UsulanRow { id, fields, outcome: None, carried_from_id: None, created_at: format_utc(*created_at) };
        (usulan, proposer_name)
    }
}

/// `03` from an RT list `3` or `3,4`.
fn rt_label(rt_list: &[u16]) -> String {
    format!("{:02}", rt_list.first().copied().unwrap_or_default())
}
