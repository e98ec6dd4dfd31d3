//! Demo data: realistic synthetic meetings for trying the app, testing and
//! benchmarking (Cimahi wilayah, Sundanese-flavoured names, plausible usulan,
//! notulen in Indonesian).
//!
//! Deterministic: the same seed gives the same rows, ids included (UUIDv7
//! from a seeded generator, instants derived from the meeting dates, never
//! from the clock). Only the current planning year comes from the clock,
//! through [`generate`]; [`generate_for_year`] takes it as an argument.
//!
//! The planning calendar: a meeting held from July to December plans the
//! budget of two years later, one held from January to June the next year's.
//! So the rembug warga of a planning year meet from mid-November two years
//! before it, and its musrenbang kelurahan in January of the year before.
//!
//! Demo data is generated, not recorded: it writes no change-log entries,
//! because the change log says what a person did to a meeting and nobody did
//! this. Past planning years' meetings are locked, the current year's are
//! drafts. It fills an empty store only, in one transaction; then each locked
//! meeting's record is frozen by the function the Kunci tab's lock uses
//! ([`Store::lock_meeting`]), dated when it was locked, so it seals and
//! travels as a really locked meeting does.

mod generator;
mod insert;
mod notulen;
mod rng;
mod vocabulary;

use chrono::Utc;
use serde::Serialize;
use strum::{EnumIter, EnumString, IntoStaticStr};

use crate::calendar::{DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH, planning_year_of};
use crate::error::{CoreError, Result};
use crate::record::HistoryEntry;
use crate::store::Store;
use crate::string_enum::string_enum;
use generator::{Generator, Kelurahan, Shape};

/// How much demo data to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "kebab-case")]
pub enum Scale {
    /// One RW's laptop in its second year: the RW's rembug warga of the
    /// previous planning year, locked, and of the current year, a draft:
    /// 40 attendees, 4 agenda items, 8 scored usulan, 3 delegates.
    Rw,
    /// A kelurahan's laptop in its second year: every RW's rembug warga of
    /// the previous planning year and that year's musrenbang kelurahan,
    /// locked, and every RW's rembug warga of the current year, drafts.
    Kelurahan,
    /// Ten planning years of the whole city: every RW of every kelurahan and
    /// each kelurahan's musrenbang (about 3,300 meetings for Cimahi).
    CityDecade,
}

string_enum!(Scale);

/// How many rows of each kind were generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoSummary {
    pub first_planning_year: i32,
    pub last_planning_year: i32,
    pub meetings: usize,
    pub locked_meetings: usize,
    pub people: usize,
    pub attendance: usize,
    pub agenda_items: usize,
    pub usulan: usize,
    pub scores: usize,
    pub delegates: usize,
}

/// Rough RW counts of Cimahi's 15 kelurahan, in the order of their codes (312
/// in all); a kelurahan beyond them gets the one at its position modulo 15.
const RW_COUNTS: [u16; 15] = [32, 28, 22, 20, 19, 16, 26, 13, 12, 20, 15, 14, 25, 26, 24];
const DECADE: i32 = 10;

/// The planning year whose rembug warga are being held or prepared now, by
/// the default planning calendar (`calendar.rs`).
pub fn current_planning_year() -> i32 {
    planning_year_of(Utc::now().date_naive(), DEFAULT_TWO_YEARS_AHEAD_FROM_MONTH)
}

/// Fills an empty store with demo data of `scale`; see the module docs.
pub fn generate(store: &Store, scale: Scale, seed: u64) -> Result<DemoSummary> {
    generate_for_year(store, scale, seed, current_planning_year())
}

/// The seed of the practice folder's data, so every cadre practises on the
/// same meetings.
const PRACTICE_SEED: u64 = 1;

/// Fills the practice folder ("Coba dengan data contoh",
/// `data_dir::practice_data_dir`) with a kelurahan's laptop in its second
/// year, so both an RW's and a kelurahan's work can be tried. A practice
/// folder that already holds meetings keeps them: what was practised stays.
pub fn fill_practice(store: &Store) -> Result<()> {
    match generate(store, Scale::Kelurahan, PRACTICE_SEED) {
        Ok(_) | Err(CoreError::DemoNeedsEmptyStore) => Ok(()),
        Err(error) => Err(error),
    }
}

/// [`generate`] with the current planning year given, so the result does not
/// depend on the clock at all.
pub fn generate_for_year(store: &Store, scale: Scale, seed: u64, current_year: i32) -> Result<DemoSummary> {
    let (summary, locked) = store.write(|tx| {
        let has_meetings: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM meeting)", [], |row| row.get(0))?;
        if has_meetings {
            return Err(CoreError::DemoNeedsEmptyStore);
        }
        let kelurahan = {
            let mut statement = tx.prepare("SELECT code, name FROM kelurahan ORDER BY code")?;
            let rows = statement.query_map([], |row| Ok(Kelurahan { code: row.get(0)?, name: row.get(1)? }))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        if kelurahan.is_empty() {
            return Err(CoreError::NotFound { entity: "kelurahan" });
        }
        let rw_count = |index: usize| RW_COUNTS[index % RW_COUNTS.len()];

        let mut generator = Generator::new(tx, seed, current_year);
        match scale {
            Scale::Rw => {
                let index = generator.rng().index(kelurahan.len());
                let rw = generator.rng().between(1, u64::from(rw_count(index))) as u16;
                generator.rw_meeting(&kelurahan[index], rw, current_year - 1, None)?;
                generator.rw_meeting(&kelurahan[index], rw, current_year, Some(Shape::one_evening()))?;
            }
            Scale::Kelurahan => {
                let index = generator.rng().index(kelurahan.len());
                let one = &kelurahan[index];
                let outcomes = (1..=rw_count(index))
                    .map(|rw| generator.rw_meeting(one, rw, current_year - 1, None))
                    .collect::<Result<Vec<_>>>()?;
                generator.kelurahan_meeting(one, current_year - 1, &outcomes)?;
                for rw in 1..=rw_count(index) {
                    generator.rw_meeting(one, rw, current_year, None)?;
                }
            }
            Scale::CityDecade => {
                for year in current_year - DECADE + 1..=current_year {
                    for (index, one) in kelurahan.iter().enumerate() {
                        let outcomes = (1..=rw_count(index))
                            .map(|rw| generator.rw_meeting(one, rw, year, None))
                            .collect::<Result<Vec<_>>>()?;
                        generator.kelurahan_meeting(one, year, &outcomes)?;
                    }
                }
            }
        }
        Ok((generator.summary, generator.locked))
    })?;
    for (meeting_id, locked_at) in &locked {
        store.freeze_record_at(meeting_id, HistoryEntry::public, locked_at)?;
    }
    Ok(summary)
}
