// Generated from the Rust types in crates/rembug-core by `make bindings`. Do not edit.

export type Stage = "rembug_warga" | "musrenbang_kelurahan";

export type MeetingStatus = "draft" | "locked";

export type Timezone = "WIB" | "WITA" | "WIT";

export type Kelurahan = { 
/**
 * Kemendagri code, `NN.NN.NN.NNNN`.
 */
code: string, name: string, 
/**
 * `NN.NN.NN`
 */
kecamatan_code: string, kecamatan_name: string, 
/**
 * `NN.NN`
 */
kota_code: string, kota_name: string, };

export type MeetingForm = { 
/**
 * `rembug_warga` or `musrenbang_kelurahan`.
 */
stage: string, kelurahan_code: string, 
/**
 * Required for a rembug warga, ignored for a kelurahan meeting.
 */
rw: string, planning_year: string, 
/**
 * Local date of the meeting, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Local start time, `HH:MM`.
 */
start_time: string, place: string, facilitator: string, notulis: string, };

export type Meeting = { id: string, stage: Stage, status: MeetingStatus, kelurahan: Kelurahan, rw: number | null, planning_year: number, 
/**
 * Local date of the meeting in its own time zone, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Local start time, `HH:MM`.
 */
start_time: string, timezone: Timezone, 
/**
 * The same instant in UTC, RFC 3339.
 */
starts_at: string, place: string, facilitator: string, notulis: string | null, 
/**
 * UTC, RFC 3339.
 */
created_at: string, 
/**
 * UTC, RFC 3339.
 */
updated_at: string, 
/**
 * 1 for the first version; a correction of a locked meeting is the next.
 */
revision: number, 
/**
 * The locked revision this one corrects, and why.
 */
supersedes_id: string | null, revision_reason: string | null, 
/**
 * UTC, RFC 3339; set when the meeting was locked.
 */
locked_at: string | null, 
/**
 * The newer revision that corrects this one, if any.
 */
superseded_by: string | null, };

export type MeetingSummary = { id: string, stage: Stage, status: MeetingStatus, kelurahan_code: string, kelurahan_name: string, kecamatan_name: string, rw: number | null, planning_year: number, date: string, start_time: string, timezone: Timezone, 
/**
 * 1 for the first version; a correction of a locked meeting is the next.
 */
revision: number, };

export type MeetingFilter = { kelurahan_code?: string, rw?: number, planning_year?: number, stage?: Stage, status?: MeetingStatus, 
/**
 * At most this many (default 200).
 */
limit?: number, };

export type MeetingList = { meetings: Array<MeetingSummary>, 
/**
 * How many meetings match the filter, beyond the limit too.
 */
total: number, };

export type MeetingChange = { seq: number, 
/**
 * UTC, RFC 3339.
 */
at: string, 
/**
 * Which part of the meeting: `meeting`, `attendance`, `agenda_item`, `usulan`, ...
 */
entity: string, entity_id: string | null, 
/**
 * `created`, `updated`, `deleted`, `locked`, ...
 */
action: string, 
/**
 * The meeting as JSON before the change; absent when it was created.
 */
before_json: string | null, after_json: string | null, };

export type Language = "id" | "en";

export type Settings = { language: Language, };

export type FieldError = { field: string, code: string, };

export type ErrorReply = { code: string, fields: Array<FieldError>, };
