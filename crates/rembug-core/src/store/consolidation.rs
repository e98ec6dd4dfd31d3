//! Kelurahan consolidation in the store: each kelurahan's RW count, the RW
//! results this device holds (imported bundles or meetings recorded here),
//! starting the Musrenbang Kelurahan with their usulan merged, and the
//! flags on merged usulan that look alike.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::changes::log_change;
use super::imported::{imported_public_record, judged_imported};
use super::meetings::{SUMMARY_COLUMNS, SUMMARY_FROM, get_meeting, insert_meeting, parse_form, summary_from_row};
use super::ranking::ranking_of;
use super::usulan::{get_usulan, insert_usulan, usulan_of_meeting};
use super::wilayah::find_kelurahan;
use super::{Store, now_utc};
use crate::consolidation::{Consolidation, KelurahanMeetingStarted, RwSource, parse_rw_count};
use crate::error::{CoreError, FieldCode, FieldError, Result};
use crate::meeting::{MeetingForm, Stage};
use crate::similar::{SimilarUsulan, similar_usulan};
use crate::usulan::{Usulan, UsulanContext};
use crate::wilayah::Kelurahan;

impl Store {
    /// Records how many RWs the kelurahan has (1 to 99), so the consolidation
    /// can tell which are missing. Field errors on `kelurahan_code`
    /// (`required`, `kelurahan_unknown`) and `rw_count` (`required`,
    /// `number_invalid`, `rw_count_out_of_range`).
    pub fn set_rw_count(&self, kelurahan_code: &str, rw_count: &str) -> Result<u16> {
        self.write(|tx| {
            let mut errors = Vec::new();
            let code = kelurahan_code.trim();
            if code.is_empty() {
                errors.push(FieldError::new("kelurahan_code", FieldCode::Required));
            } else if find_kelurahan(tx, code)?.is_none() {
                errors.push(FieldError::new("kelurahan_code", FieldCode::KelurahanUnknown));
            }
            let count = parse_rw_count(rw_count).map_err(|error| errors.push(FieldError::new("rw_count", error))).ok();
            let Some(count) = count.filter(|_| errors.is_empty()) else {
                return Err(CoreError::Validation(errors));
            };
            tx.execute(
                "INSERT INTO kelurahan_rw_count (kelurahan_code, rw_count, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kelurahan_code) DO UPDATE SET rw_count = excluded.rw_count,
                    updated_at = excluded.updated_at",
                params![code, count, now_utc()],
            )?;
            Ok(count)
        })
    }

    /// For each RW of the kelurahan, where its Rembug Warga result for the
    /// planning year comes from, or that it is missing.
    pub fn consolidation(&self, kelurahan_code: &str, planning_year: i32) -> Result<Consolidation> {
        self.read(|conn| {
            let kelurahan = find_kelurahan(conn, kelurahan_code)?.ok_or(CoreError::NotFound { entity: "kelurahan" })?;
            consolidation_of(conn, kelurahan, planning_year)
        })
    }

    /// Starts the kelurahan's Musrenbang Kelurahan for the planning year: a
    /// draft meeting whose usulan are copies of every RW result's usulan,
    /// RW ascending, then by their rank in the RW, each with its origin.
    /// `form` gives the date, start time, place, facilitator and notulis; its
    /// stage, kelurahan, RW and year are replaced by the consolidation's.
    /// Refused with `kelurahan_meeting_exists` when one exists already and
    /// `no_rw_results` when there is nothing to merge; missing RWs do not
    /// block, the answer names them. One transaction, logged.
    pub fn start_kelurahan_meeting(
        &self,
        form: &MeetingForm,
        kelurahan_code: &str,
        planning_year: i32,
    ) -> Result<KelurahanMeetingStarted> {
        let form = MeetingForm {
            stage: Stage::MusrenbangKelurahan.as_str().to_owned(),
            kelurahan_code: kelurahan_code.to_owned(),
            rw: String::new(),
            planning_year: planning_year.to_string(),
            ..form.clone()
        };
        self.write(|tx| {
            let fields = parse_form(tx, &form)?;
            let consolidation = consolidation_of(tx, fields.kelurahan.clone(), fields.planning_year)?;
            if let Some(meeting_id) = consolidation.kelurahan_meeting_id {
                return Err(CoreError::KelurahanMeetingExists { meeting_id });
            }
            if consolidation.received_count == 0 {
                return Err(CoreError::NoRwResults);
            }
            let meeting = insert_meeting(tx, &fields)?;
            let mut merged_rws = Vec::new();
            let mut usulan_count = 0;
            for status in &consolidation.rws {
                let Some(source) = &status.source else { continue };
                for (usulan, rank) in ranked_usulan_of(tx, source)? {
                    merge_usulan(tx, &meeting.id, status.rw, source, &usulan, rank, &meeting.created_at)?;
                    usulan_count += 1;
                }
                merged_rws.push(status.rw);
            }
            Ok(KelurahanMeetingStarted { meeting, merged_rws, missing_rws: consolidation.missing_rws, usulan_count })
        })
    }

    /// Pairs of the meeting's usulan from different RWs that propose the same
    /// thing at the same place, from both sides (see `similar.rs`); computed
    /// on each read, so edits show at once.
    pub fn similar_usulan(&self, meeting_id: &str) -> Result<Vec<SimilarUsulan>> {
        self.read(|conn| {
            let kelurahan = get_meeting(conn, meeting_id)?.kelurahan;
            let area_names = [kelurahan.name.as_str(), &kelurahan.kecamatan_name, &kelurahan.kota_name];
            Ok(similar_usulan(&usulan_of_meeting(conn, meeting_id)?, &area_names))
        })
    }
}

fn consolidation_of(conn: &Connection, kelurahan: Kelurahan, planning_year: i32) -> Result<Consolidation> {
    let code = kelurahan.code.clone();
    let rw_count: Option<u16> = conn
        .query_row("SELECT rw_count FROM kelurahan_rw_count WHERE kelurahan_code = ?1", [&code], |row| row.get(0))
        .optional()?;
    let mut candidates = local_results(conn, &code, planning_year)?;
    candidates.extend(imported_results(conn, &code, planning_year)?);
    let kelurahan_meeting_id = conn
        .query_row(
            "SELECT id FROM meeting
             WHERE kelurahan_code = ?1 AND planning_year = ?2 AND stage = 'musrenbang_kelurahan'
               AND NOT EXISTS (SELECT 1 FROM meeting AS newer WHERE newer.supersedes_id = meeting.id)
             ORDER BY starts_at DESC, id DESC LIMIT 1",
            params![code, planning_year],
            |row| row.get(0),
        )
        .optional()?;
    Ok(Consolidation::assemble(kelurahan, planning_year, rw_count, candidates, kelurahan_meeting_id))
}

/// Locked Rembug Warga meetings recorded here, each at its latest locked
/// revision (a correction still in draft does not replace it).
fn local_results(conn: &Connection, kelurahan_code: &str, planning_year: i32) -> Result<Vec<(u16, RwSource)>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, (SELECT count(*) FROM usulan WHERE usulan.meeting_id = meeting.id) AS usulan_count
         FROM {SUMMARY_FROM}
         WHERE meeting.kelurahan_code = ?1 AND meeting.planning_year = ?2 AND meeting.stage = 'rembug_warga'
           AND meeting.status = 'locked' AND meeting.rw IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM meeting AS newer
                           WHERE newer.supersedes_id = meeting.id AND newer.status = 'locked')"
    ))?;
    let rows = statement.query_map(params![kelurahan_code, planning_year], |row| {
        let summary = summary_from_row(row)?;
        let usulan_count = row.get("usulan_count")?;
        Ok((summary, usulan_count))
    })?;
    let mut results = Vec::new();
    for row in rows {
        let (summary, usulan_count) = row?;
        let rw = summary.rw.ok_or_else(|| CoreError::Corrupt("a rembug warga without its RW".into()))?;
        results.push((
            rw,
            RwSource::Local {
                meeting_id: summary.id,
                revision: summary.revision,
                date: summary.date,
                date_text: summary.date_text,
                usulan_count,
            },
        ));
    }
    Ok(results)
}

/// Imported Rembug Warga results, each at its latest imported revision that
/// an accepted correction does not replace, with its trust; a bundle of a
/// meeting recorded on this device is that meeting already.
fn imported_results(conn: &Connection, kelurahan_code: &str, planning_year: i32) -> Result<Vec<(u16, RwSource)>> {
    let mut usulan_count = conn.prepare_cached(
        "SELECT json_array_length(record_json, '$.usulan') FROM imported_bundle WHERE bundle_sha256 = ?1",
    )?;
    let mut local = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM meeting WHERE id = ?1)")?;
    let mut results = Vec::new();
    for meeting in judged_imported(conn)? {
        let Some(rw) = meeting.rw else { continue };
        if meeting.kelurahan_code != kelurahan_code
            || meeting.planning_year != planning_year
            || meeting.stage != Stage::RembugWarga
            || meeting.superseded_by.is_some()
            || local.query_row([&meeting.meeting_id], |row| row.get::<_, bool>(0))?
        {
            continue;
        }
        let source = RwSource::Imported {
            usulan_count: usulan_count.query_row([&meeting.bundle_sha256], |row| row.get(0))?,
            bundle_sha256: meeting.bundle_sha256,
            meeting_id: meeting.meeting_id,
            revision: meeting.revision,
            date: meeting.date,
            date_text: meeting.date_text,
            device_fingerprint: meeting.device_fingerprint,
            personal_encrypted: meeting.personal_encrypted,
            trust: meeting.trust,
            correction: meeting.correction,
        };
        results.push((rw, source));
    }
    Ok(results)
}

/// The usulan of an RW result with their rank in the RW, by rank.
fn ranked_usulan_of(conn: &Connection, source: &RwSource) -> Result<Vec<(Usulan, u32)>> {
    let mut ranked = match source {
        RwSource::Local { meeting_id, .. } => {
            let ranks: HashMap<String, u32> =
                ranking_of(conn, meeting_id)?.rows.into_iter().map(|row| (row.usulan_id, row.rank)).collect();
            usulan_of_meeting(conn, meeting_id)?
                .into_iter()
                .map(|usulan| {
                    let rank = ranks.get(&usulan.id).copied().ok_or_else(|| {
                        CoreError::Corrupt(format!("usulan {} is missing from its meeting's ranking", usulan.id))
                    })?;
                    Ok((usulan, rank))
                })
                .collect::<Result<Vec<_>>>()?
        }
        RwSource::Imported { bundle_sha256, .. } => {
            let (json, format_version): (String, u32) = conn.query_row(
                "SELECT record_json, record_format_version FROM imported_bundle WHERE bundle_sha256 = ?1",
                [bundle_sha256],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            let record = imported_public_record(&json, format_version)?;
            record.usulan.into_iter().map(|item| (item.usulan, item.rank)).collect()
        }
    };
    ranked.sort_by_key(|(usulan, rank)| (*rank, usulan.position));
    Ok(ranked)
}

/// Copies one RW usulan to the end of the kelurahan meeting's list, through
/// the usulan form's own checks: every field the cadre typed, the same photo
/// files, and its origin. The proposer, when a person, is left out: they
/// attended the RW meeting, not this one. How the RW ranked it (hands, manual
/// place) stays with the RW; its rank travels in the origin.
// Each argument is one part of the copy; bundling them would only rename them.
#[allow(clippy::too_many_arguments)]
fn merge_usulan(
    tx: &Transaction<'_>,
    meeting_id: &str,
    rw: u16,
    source: &RwSource,
    usulan: &Usulan,
    rank: u32,
    now: &str,
) -> Result<()> {
    let mut form = usulan.to_form();
    form.proposer_person_id = String::new();
    if form.rw.is_empty() {
        form.rw = rw.to_string();
    }
    let context = UsulanContext { stage: Stage::MusrenbangKelurahan, meeting_rw: None, is_attendee: &|_| false };
    let fields = form.parse(&context).map_err(|errors| {
        CoreError::Corrupt(format!("usulan {} of RW {rw} no longer passes its checks: {errors:?}", usulan.id))
    })?;
    let id = insert_usulan(tx, meeting_id, &fields, now)?;
    for photo in &usulan.photos {
        tx.execute(
            "INSERT INTO usulan_photo (usulan_id, position, sha256, original_sha256) VALUES (?1, ?2, ?3, ?4)",
            params![id, photo.position, photo.sha256, photo.original_sha256],
        )?;
    }
    let bundle_sha256 = match source {
        RwSource::Imported { bundle_sha256, .. } => Some(bundle_sha256),
        RwSource::Local { .. } => None,
    };
    tx.execute(
        "INSERT INTO usulan_origin (usulan_id, rw, source_meeting_id, source_usulan_id, bundle_sha256, rank)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, rw, source.meeting_id(), usulan.id, bundle_sha256, rank],
    )?;
    let merged = get_usulan(tx, &id)?;
    log_change(tx, meeting_id, now, "usulan", Some(&id), "merged_from_rw", None, Some(&merged))?;
    Ok(())
}
