// Generated from the Rust types in crates/rembug-core, rembug-bundle and rembug-docs by `make bindings`. Do not edit.

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

export type DateText = { id: string, en: string, };

export type MeetingForm = { 
/**
 * `rembug_warga` or `musrenbang_kelurahan`.
 */
stage: string, kelurahan_code: string, 
/**
 * Required for a rembug warga, ignored for a kelurahan meeting.
 */
rw: string, 
/**
 * Blank: the year the meeting's date plans by the planning calendar.
 */
planning_year: string, 
/**
 * Local date of the meeting, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Local start time, 24-hour: `19.30` as Indonesians write it, or `19:30`.
 */
start_time: string, place: string, facilitator: string, notulis: string, 
/**
 * The pimpinan rapat (chair) who signs the berita acara; required
 * before locking, not before saving.
 */
pimpinan: string, 
/**
 * The chair's office as printed under the name: "Ketua RW 08".
 */
pimpinan_jabatan: string, 
/**
 * The berita acara's "Nomor:", as the RW or kelurahan numbers its
 * letters; may stay blank.
 */
nomor: string, };

export type Meeting = { id: string, stage: Stage, status: MeetingStatus, kelurahan: Kelurahan, rw: number | null, planning_year: number, 
/**
 * Local date of the meeting in its own time zone, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Local start time, 24-hour: `19.30` as Indonesians write it, or `19:30`.
 */
start_time: string, timezone: Timezone, 
/**
 * The same instant in UTC, RFC 3339.
 */
starts_at: string, place: string, facilitator: string, notulis: string | null, 
/**
 * The pimpinan rapat and the office printed under the name. Absent,
 * not null, when blank, as in the bundle's record (`wire::v1`).
 */
pimpinan?: string | null, pimpinan_jabatan?: string | null, 
/**
 * The berita acara's "Nomor:".
 */
nomor?: string | null, 
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

export type MeetingView = { date_text: DateText, start_time_text: DateText, locked_at_text: DateText | null, id: string, stage: Stage, status: MeetingStatus, kelurahan: Kelurahan, rw: number | null, planning_year: number, 
/**
 * Local date of the meeting in its own time zone, `YYYY-MM-DD`.
 */
date: string, 
/**
 * Local start time, 24-hour: `19.30` as Indonesians write it, or `19:30`.
 */
start_time: string, timezone: Timezone, 
/**
 * The same instant in UTC, RFC 3339.
 */
starts_at: string, place: string, facilitator: string, notulis: string | null, 
/**
 * The pimpinan rapat and the office printed under the name. Absent,
 * not null, when blank, as in the bundle's record (`wire::v1`).
 */
pimpinan?: string | null, pimpinan_jabatan?: string | null, 
/**
 * The berita acara's "Nomor:".
 */
nomor?: string | null, 
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
revision: number, 
/**
 * `date` and `start_time` as the window writes them.
 */
date_text: DateText, start_time_text: DateText, };

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
 * `at` in the meeting's zone, as the window writes it.
 */
at_text: DateText, 
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

export type Gender = "L" | "P";

export type AgeGroup = "anak" | "pemuda" | "dewasa" | "lansia";

export type PersonForm = { name: string, 
/**
 * `L` or `P`.
 */
gender: string, unsur: string, 
/**
 * Optional, 1 to 999.
 */
rt: string, 
/**
 * Optional, 1 to 999.
 */
rw: string, 
/**
 * Optional Kemendagri code of the person's kelurahan.
 */
kelurahan_code: string, 
/**
 * Optional; `0812-3456-7890` and `+62 812 3456 7890` are both stored as `081234567890`.
 */
phone: string, 
/**
 * A checkbox.
 */
disability: boolean, 
/**
 * Optional: `anak`, `pemuda`, `dewasa` or `lansia`.
 */
age_group: string, };

export type Person = { id: string, name: string, gender: Gender, unsur: string, rt: number | null, rw: number | null, kelurahan_code: string | null, 
/**
 * National form, digits only: `081234567890`.
 */
phone: string | null, disability: boolean, age_group: AgeGroup | null, 
/**
 * UTC, RFC 3339.
 */
created_at: string, 
/**
 * UTC, RFC 3339.
 */
updated_at: string, };

export type PersonSuggestion = { person: Person, 
/**
 * Already on this meeting's list: Enter would be refused.
 */
checked_in: boolean, };

export type Role = "peserta" | "narasumber" | "fasilitator" | "notulis" | "pimpinan_rapat";

export type Attendee = { person_id: string, name: string, gender: Gender, unsur: string, rt: number | null, rw: number | null, phone: string | null, disability: boolean, age_group: AgeGroup | null, role: Role, 
/**
 * UTC, RFC 3339.
 */
checked_in_at: string, 
/**
 * The drawn signature, a PNG attachment.
 */
signature_sha256: string | null, };

export type UnsurCount = { unsur: string, count: number, };

export type AttendanceCounts = { total: number, women: number, men: number, 
/**
 * Most represented first.
 */
by_unsur: Array<UnsurCount>, disability: number, 
/**
 * Age group `anak` or `pemuda`.
 */
youth: number, 
/**
 * Women's share in basis points, rounded: 3500 is 35.00 %. 0 with no attendees.
 */
women_share_basis_points: number, women_target_percent: number, 
/**
 * Women reach the target share (exactly, not after rounding). False with no attendees.
 */
women_target_met: boolean, };

export type DelegateWarning = "no_woman_delegate" | "delegate_count_outside_range";

export type Delegates = { delegates: Array<Attendee>, warnings: Array<DelegateWarning>, };

export type AttendanceSheetPhoto = { 
/**
 * 1 for the first page photographed.
 */
position: number, sha256: string, media_type: string, };

export type AgendaItemForm = { title: string, discussion: string, decisions: string, };

export type AgendaItem = { id: string, meeting_id: string, 
/**
 * 1 for the first item; contiguous.
 */
position: number, title: string, discussion: string, decisions: string, 
/**
 * UTC, RFC 3339.
 */
updated_at: string, };

export type Bidang = "infrastruktur" | "ekonomi" | "sosial_budaya" | "pemerintahan";

export type Outcome = "diakomodir" | "tidak_diakomodir";

export type UsulanForm = { permasalahan: string, kegiatan: string, alamat: string, 
/**
 * One or more RT numbers: "1, 3" or "01,03".
 */
rt_list: string, 
/**
 * Empty means the meeting's own RW.
 */
rw: string, 
/**
 * Decimal degrees, with a point or a comma; both or neither.
 */
latitude: string, longitude: string, 
/**
 * "150", "2,5" or "1.500".
 */
volume: string, satuan: string, 
/**
 * Whole Rupiah: "12500000", "12.500.000" or "Rp 12.500.000".
 */
biaya: string, 
/**
 * `infrastruktur`, `ekonomi`, `sosial_budaya` or `pemerintahan`.
 */
bidang: string, opd_tujuan: string, 
/**
 * A number of people; empty when unknown.
 */
penerima_manfaat: string, swadaya: string, 
/**
 * The daftar usulan's "keterangan": a note, one or more lines.
 */
keterangan: string, 
/**
 * The id of a person who attended the meeting, or empty.
 */
proposer_person_id: string, 
/**
 * A group that proposed it (PKK, Karang Taruna, ...), or empty.
 */
proposer_group: string, };

export const EMPTY_USULAN_FORM: UsulanForm = {"permasalahan":"","kegiatan":"","alamat":"","rt_list":"","rw":"","latitude":"","longitude":"","volume":"","satuan":"","biaya":"","bidang":"","opd_tujuan":"","penerima_manfaat":"","swadaya":"","keterangan":"","proposer_person_id":"","proposer_group":""};

export type UsulanPhoto = { 
/**
 * 1 to 10, contiguous.
 */
position: number, 
/**
 * The photo shown and sent: downscaled when it was large.
 */
sha256: string, 
/**
 * The file as imported, when the cadre asked to keep it.
 */
original_sha256: string | null, 
/**
 * One of the (at most [`SIPD_PHOTOS_MAX`]) photos that go to SIPD.
 * Left out of JSON when false, so a record hashes as it did before
 * photos could be marked.
 */
untuk_sipd?: boolean, };

export type UsulanOrigin = { rw: number, 
/**
 * The RW meeting's id on the device that recorded it.
 */
source_meeting_id: string, source_usulan_id: string, 
/**
 * The bundle the RW result was imported from; null when it was recorded
 * on this device.
 */
bundle_sha256: string | null, 
/**
 * Its place in the RW's own ranking, from 1.
 */
rank: number, };

export type Usulan = { id: string, meeting_id: string, 
/**
 * Order of entry in the meeting, from 1; contiguous.
 */
position: number, permasalahan: string, kegiatan: string, alamat: string, 
/**
 * RT numbers, "1,3"; empty when none was given.
 */
rt_list: string, rw: number | null, latitude: number | null, longitude: number | null, volume: number, satuan: string, 
/**
 * Whole Rupiah.
 */
biaya: number, bidang: Bidang, opd_tujuan: string | null, penerima_manfaat: number | null, swadaya: string | null, 
/**
 * Left out of JSON when blank, so a record hashes as it did before the
 * field existed.
 */
keterangan?: string | null, proposer_person_id: string | null, 
/**
 * The proposer's name as on the daftar hadir.
 */
proposer_name: string | null, proposer_group: string | null, 
/**
 * Show-of-hands tally, when the meeting counted one.
 */
hands: number | null, 
/**
 * Place in the consensus order, when the meeting overrode the ranking.
 */
manual_rank: number | null, outcome: Outcome | null, 
/**
 * The usulan of an earlier meeting this one was carried forward from.
 */
carried_from_id: string | null, 
/**
 * The RW result this usulan was merged from, at a Musrenbang Kelurahan.
 * Left out of JSON when absent, so an RW meeting's bundle keeps the
 * bytes it had before consolidation existed.
 */
origin?: UsulanOrigin | null, photos: Array<UsulanPhoto>, 
/**
 * UTC, RFC 3339.
 */
created_at: string, 
/**
 * UTC, RFC 3339.
 */
updated_at: string, };

export type UsulanTexts = { volume: string, biaya: string, };

export type UsulanList = { texts: { [key in string]: UsulanTexts }, 
/**
 * "Rp 37.500.000": the sum of every usulan's biaya.
 */
biaya_total: string, usulan: Array<Usulan>, };

export type CarryForwardCandidate = { usulan: Usulan, texts: UsulanTexts, 
/**
 * The locked meeting it was proposed in.
 */
origin: MeetingSummary, };

export type CarriedOrigin = { usulan_id: string, origin: MeetingSummary, };

export type RankingMethod = "scores" | "hands";

export type CriterionForm = { name: string, weight: string, };

export type Criterion = { id: string, 
/**
 * 1 for the first; the order the columns are shown in.
 */
position: number, name: string, 
/**
 * 1 to 100.
 */
weight: number, };

export type RankedUsulan = { usulan_id: string, 
/**
 * 1 for the first.
 */
rank: number, 
/**
 * Order of entry in the meeting.
 */
position: number, kegiatan: string, 
/**
 * Where, as the usulan gives it: the lokasi the projector and the
 * printed list show beside the kegiatan.
 */
alamat: string, 
/**
 * RT numbers, "1,3"; empty when none was given.
 */
rt_list: string, rw: number | null, biaya: number, 
/**
 * `biaya` as screens and papers write it, "Rp 12.500.000".
 */
biaya_text: string, bidang: Bidang, 
/**
 * One per criterion, in the criteria's order; `null` when not scored.
 */
scores: Array<number | null>, 
/**
 * Σ weight × score; `null` when no criterion was scored.
 */
total: number | null, 
/**
 * The total on 0 to 100 (100 = a 5 on every criterion), one decimal.
 */
score_percent: number | null, 
/**
 * `score_percent` as the screens show it, "77,0" (`score_number`): the
 * UI writes it "77,0 dari 100" as the papers do (`score_text`).
 */
score: string | null, hands: number | null, 
/**
 * Placed by the meeting's consensus rather than by the computation.
 */
manually_placed: boolean, };

export type Ranking = { method: RankingMethod, criteria: Array<Criterion>, rows: Array<RankedUsulan>, 
/**
 * Why the meeting overrode the computed order, when it did.
 */
override_reason: string | null, };

export type DeviceTrust = "registered" | "unknown" | "other_rw" | "revoked";

export type BundleTrust = { device: DeviceTrust, 
/**
 * When the cadre confirmed this bundle while its device was in this
 * same state (UTC, RFC 3339); null otherwise, and always for a
 * registered device.
 */
confirmed_at: string | null, };

export type CorrectionRefusal = "other_device" | "revision_not_next" | "meeting_mismatch" | "content_hash_mismatch" | "corrects_refused";

export type Correction = { "kind": "accepted", replaces: string, } | { "kind": "previous_not_imported" } | { "kind": "refused", reason: CorrectionRefusal, };

export type RwSource = { "kind": "imported", bundle_sha256: string, 
/**
 * The meeting's id on the device that recorded it.
 */
meeting_id: string, revision: number, 
/**
 * Local date of the meeting, `YYYY-MM-DD`.
 */
date: string, 
/**
 * `date` as the window writes it.
 */
date_text: DateText, 
/**
 * The recording device, for people to compare.
 */
device_fingerprint: string, usulan_count: number, 
/**
 * Whether the daftar hadir travelled encrypted to the city office.
 */
personal_encrypted: boolean, 
/**
 * The device's standing on the office's roster; only a registered
 * or confirmed one is merged.
 */
trust: BundleTrust, 
/**
 * For a revision above 1: whether it replaced the revision it names;
 * a refused correction is never merged.
 */
correction: Correction | null, } | { "kind": "local", meeting_id: string, revision: number, 
/**
 * Local date of the meeting, `YYYY-MM-DD`.
 */
date: string, 
/**
 * `date` as the window writes it.
 */
date_text: DateText, usulan_count: number, };

export type RwStatus = { rw: number, 
/**
 * The result that is merged; null while the RW is missing.
 */
source: RwSource | null, 
/**
 * Other results for the same RW (another meeting of that RW in the same
 * year), not merged; the UI should point them out. The merged one is
 * the latest meeting, one recorded on this device first on the same day.
 */
other_sources: Array<RwSource>, 
/**
 * Imported results from a device the roster does not vouch for
 * (unknown, another RW's, revoked): not merged until the cadre
 * confirms them.
 */
unconfirmed: Array<RwSource>, 
/**
 * Corrections that do not replace the revision they name (another
 * device, a wrong revision number or hash): shown, never merged.
 */
refused_corrections: Array<RwSource>, };

export type Consolidation = { kelurahan: Kelurahan, planning_year: number, 
/**
 * Null until the cadre says how many RWs the kelurahan has.
 */
rw_count: number | null, 
/**
 * RW 1 to `rw_count`, and any RW beyond it that has a result, ascending.
 */
rws: Array<RwStatus>, 
/**
 * Listed RWs without a merged result: those up to `rw_count`, and any
 * RW whose only results wait for the cadre's confirmation or are
 * refused corrections.
 */
missing_rws: Array<number>, 
/**
 * RWs with a result.
 */
received_count: number, 
/**
 * Usulan the merged list would hold.
 */
usulan_count: number, 
/**
 * The latest revision of this kelurahan's Musrenbang Kelurahan for the
 * year, when one exists on this device; a second is not started.
 */
kelurahan_meeting_id: string | null, };

export type KelurahanMeetingStarted = { 
/**
 * The new draft meeting; its usulan are the merged list.
 */
meeting: Meeting, 
/**
 * RWs whose usulan were merged, ascending.
 */
merged_rws: Array<number>, 
/**
 * RWs without a merged result (`Consolidation::missing_rws`): the cadre
 * chose to start without them.
 */
missing_rws: Array<number>, usulan_count: number, };

export type PlaceMatch = "alamat" | "coordinates" | "alamat_and_coordinates";

export type SimilarUsulan = { usulan_id: string, similar_usulan_id: string, 
/**
 * The RW the other usulan comes from.
 */
similar_rw: number, 
/**
 * The other usulan's position in the meeting's list.
 */
similar_position: number, 
/**
 * How alike the kegiatan are: shared words over all words, 50 to 100.
 */
kegiatan_percent: number, same_place_by: PlaceMatch, 
/**
 * Metres between them when both have coordinates.
 */
distance_metres: number | null, };

export type SearchKind = "notulen" | "usulan" | "attendee";

export type SnippetSegment = { text: string, highlighted: boolean, };

export type SearchHit = { kind: SearchKind, meeting: MeetingSummary, 
/**
 * The agenda item's or usulan's id; for an attendee, the person's id.
 */
item_id: string, 
/**
 * The agenda item's title, the usulan kegiatan, or the attendee's name.
 */
title: string, snippet: Array<SnippetSegment>, };

export type Language = "id" | "en";

export type CriterionSetting = { name: string, weight: number, };

export type StageNames = { rembug_warga: string | null, musrenbang_kelurahan: string | null, };

export type RecordingSettings = { stage_names: StageNames, 
/**
 * Criteria a new meeting starts with.
 */
criteria: Array<CriterionSetting>, 
/**
 * The share of women the attendance should reach, in percent.
 */
women_target_percent: number, unsur: Array<string>, default_kota_code: string, delegates_min: number, delegates_max: number, 
/**
 * Keep a photo's original file beside its downscaled copy.
 */
keep_original_photos: boolean, 
/**
 * From this month (1–12) on, a new meeting plans the budget of two
 * years later (`calendar.rs`).
 */
two_years_ahead_from_month: number, };

export type RecordingSettingsForm = { rembug_warga_name: string, musrenbang_kelurahan_name: string, criteria: Array<CriterionForm>, women_target_percent: string, 
/**
 * One unsur per entry; blank entries are dropped.
 */
unsur: Array<string>, default_kota_code: string, delegates_min: string, delegates_max: string, keep_original_photos: boolean, two_years_ahead_from_month: string, };

export type KopSettings = { 
/**
 * Replaces "PEMERINTAH KOTA <kota>", printed as typed.
 */
government: string | null, 
/**
 * The kelurahan office's address, telephone or e-mail, under the
 * government kop's lines.
 */
address: string | null, 
/**
 * The RW's own address (its secretariat), under an RW's kop.
 */
rw_address: string | null, 
/**
 * The logo beside the government kop: an attachment's SHA-256 (PNG or
 * JPEG, checked by `Store::set_kop_logo`).
 */
logo_sha256: string | null, };

export type KopSettingsForm = { government: string, address: string, rw_address: string, };

export type Opd = { id: number, name: string, };

export type Signer = "pimpinan_rapat" | "notulis" | "wakil_peserta" | "mengetahui_lurah" | "mengetahui_ketua_lpm";

export type Official = { name: string | null, nip: string | null, };

export type SignatorySettings = { 
/**
 * The signature blocks of a rembug warga's papers, in order.
 */
rembug_warga: Array<Signer>, 
/**
 * The signature blocks of a Musrenbang Kelurahan's papers, in order.
 */
musrenbang_kelurahan: Array<Signer>, lurah: Official, ketua_lpm: Official, };

export type SignatorySettingsForm = { rembug_warga: Array<string>, musrenbang_kelurahan: Array<string>, lurah_name: string, lurah_nip: string, ketua_lpm_name: string, ketua_lpm_nip: string, };

export type SigningPrint = { code: string, 
/**
 * UTC, RFC 3339.
 */
printed_at: string, };

export type SigningCheck = { 
/**
 * The last printing for signing, if the papers were printed.
 */
last_print: SigningPrint | null, 
/**
 * The code the record would print now.
 */
current_code: string, 
/**
 * Printed for signing, and the record changed since: the signed paper
 * no longer matches what would be locked.
 */
changed_since_print: boolean, };

export type PageKind = "berita_acara" | "daftar_hadir" | "daftar_usulan";

export type SignedPage = { kind: PageKind, 
/**
 * 1 for the first page of that paper.
 */
position: number, sha256: string, media_type: string, 
/**
 * UTC, RFC 3339.
 */
added_at: string, };

export type SignedPagesImported = { 
/**
 * The imported revision's bundle, whose page shows them.
 */
bundle_sha256: string, 
/**
 * Public pages new to this laptop.
 */
added: number, 
/**
 * Pages this laptop does not keep (the daftar hadir).
 */
personal_skipped: number, };

export type SignedPagesSending = { 
/**
 * Pages attached.
 */
page_count: number, 
/**
 * Pages the office acknowledged with a signed receipt.
 */
delivered_count: number, 
/**
 * The office's time on the last receipt, if any.
 */
delivered_at: string | null, 
/**
 * Where the file of every page attached so far stands: `not_sent` (no
 * page, or never tried), `waiting` (tried again at `next_attempt_at`),
 * `delivered` (every page acknowledged) or `refused` (tried again only
 * when the cadre asks, `last_error` says why). A page added since a
 * failed try makes another file: `not_sent` again.
 */
state: SendState, 
/**
 * Failed tries of that file.
 */
attempts: number, 
/**
 * The office's refusal code, or the device's (`network`, …).
 */
last_error: string | null, 
/**
 * UTC, RFC 3339, by the laptop's clock: when a waiting file is tried again.
 */
next_attempt_at: string | null, 
/**
 * `next_attempt_at` in the meeting's zone, as the window shows it.
 */
next_attempt_at_text: DateText | null, };

export type Settings = { language: Language, recording: RecordingSettings, kop: KopSettings, 
/**
 * Who signs each stage's papers, in order.
 */
signatories: SignatorySettings, };

export type UsulanRecord = { usulan: Usulan, rank: number, 
/**
 * One per criterion, in the criteria's order; null when not scored.
 */
scores: Array<number | null>, total: number | null, score_percent: number | null, manually_placed: boolean, };

export type DelegateRecord = { person_id: string, name: string, gender: Gender, unsur: string, rt: number | null, rw: number | null, role: Role, };

export type HistoryEntry = { seq: bigint, at: string, entity: string, entity_id: string | null, action: string, };

export type PublicRecord = { 
/**
 * The meeting as locked; `superseded_by` is always null here, since a
 * later correction does not change what this revision said.
 */
meeting: Meeting, counts: AttendanceCounts, agenda: Array<AgendaItem>, ranking_method: RankingMethod, ranking_override_reason: string | null, criteria: Array<Criterion>, 
/**
 * In order of entry, each with its place in the ranking.
 */
usulan: Array<UsulanRecord>, delegates: Array<DelegateRecord>, 
/**
 * What happened when, without the values (those are personal).
 */
history: Array<HistoryEntry>, 
/**
 * Every attachment the public part refers to (usulan photos), sorted.
 */
attachments: Array<string>, };

export type ImportedMeeting = { bundle_sha256: string, 
/**
 * The meeting's id on the device that recorded it.
 */
meeting_id: string, revision: number, content_hash: string, 
/**
 * The meeting id of the revision this one corrects, if any.
 */
supersedes_meeting_id: string | null, 
/**
 * The content hash of the revision this one corrects, if any.
 */
supersedes_content_hash: string | null, 
/**
 * The bundle of an imported newer revision whose correction of this one
 * is accepted ([`Correction::Accepted`]); a refused one never hides it.
 */
superseded_by: string | null, stage: Stage, kelurahan_code: string, kelurahan_name: string, rw: number | null, planning_year: number, 
/**
 * Local date of the meeting, `YYYY-MM-DD`.
 */
date: string, 
/**
 * `date` as the window writes it.
 */
date_text: DateText, device_id: string, 
/**
 * The origin device's fingerprint, for people to compare.
 */
device_fingerprint: string, 
/**
 * The daftar hadir and signatures travelled encrypted to the city office
 * and were not imported; otherwise they were left out all the same.
 */
personal_encrypted: boolean, 
/**
 * UTC, RFC 3339.
 */
imported_at: string, 
/**
 * Whether its device is on the office's roster, and whether the cadre
 * confirmed it.
 */
trust: BundleTrust, 
/**
 * For a revision above 1: whether it replaces the revision it names.
 */
correction: Correction | null, };

export type ImportedRecord = { meeting: ImportedMeeting, record: PublicRecord, 
/**
 * Each usulan's volume and cost as written, by its id.
 */
usulan_texts: { [key in string]: UsulanTexts }, 
/**
 * The meeting's start time, and when it was imported in the meeting's
 * zone, as the window writes them.
 */
start_time_text: DateText, imported_at_text: DateText, };

export type DeviceSummary = { 
/**
 * `ABCD-EF01-2345-6789`, for office staff to compare when enrolling.
 */
fingerprint: string, 
/**
 * The fingerprint of the city office's key the personal part of every
 * bundle is encrypted to; null until a key file was chosen.
 */
office_key_fingerprint: string | null, };

export type OfficeKeyOutcome = "kept" | "unchanged" | "needs_confirmation";

export type OfficeKeyChoice = { outcome: OfficeKeyOutcome, 
/**
 * This device as it is now (the old key while a change waits).
 */
device: DeviceSummary, 
/**
 * The fingerprint of the key in the chosen file.
 */
chosen_fingerprint: string, };

export type ExportProgress = { done_bytes: number, total_bytes: number, };

export type ExportedBundle = { path: string, file_name: string, sha256: string, size: number, 
/**
 * False when the device knew no office key: the daftar hadir and the
 * signatures are then readable by whoever holds the file.
 */
personal_encrypted: boolean, };

export type ImportReport = { 
/**
 * The bundle, or another one of the same revision, was imported before;
 * nothing changed.
 */
already_imported: boolean, meeting: ImportedMeeting, 
/**
 * Present when the file held the signed pages of that meeting rather
 * than the meeting itself.
 */
signed_pages: SignedPagesImported | null, };

export type OfficeSummary = { office_url: string, name: string, city: string, 
/**
 * Of the office's signing key: the cadre compares it with the one
 * printed on the enrollment slip.
 */
fingerprint: string, kelurahan_code: string, 
/**
 * Null for a code this laptop's wilayah list does not hold.
 */
kelurahan_name: string | null, rw: number | null, 
/**
 * Enrolled from a file: the office registers the device on its first
 * contact.
 */
pending: boolean, };

export type ReviewState = "diterima" | "perlu_perbaikan" | "disetujui" | "ditolak";

export type MeetingReview = { meeting_id: string, state: ReviewState, note: string | null, 
/**
 * When the office issued the answers it came in (its clock, UTC).
 */
answered_at: string, 
/**
 * `answered_at` in the meeting's zone, as the window writes it.
 */
answered_at_text: DateText, };

export type OutcomeKind = "diakomodir" | "tidak_diakomodir" | "dialihkan";

export type OutcomeSource = "office" | "hand";

export type UsulanOutcome = { usulan_id: string, outcome: OutcomeKind, detail: string, source: OutcomeSource, };

export type OutcomeForm = { 
/**
 * `diakomodir`, `tidak_diakomodir` or `dialihkan`.
 */
outcome: string, 
/**
 * The program or OPD, the reason, or the other channel.
 */
detail: string, };

export type EnrollAnswer = { "outcome": "enrolled", office: OfficeSummary, } | { "outcome": "confirm_key_change", current: string, new: string, };

export type SendState = "not_sent" | "waiting" | "sending" | "delivered" | "refused";

export type OutboxRow = { meeting: MeetingSummary, state: SendState, 
/**
 * What the office holds of the bundle (live while it is sent).
 */
sent_bytes: number, 
/**
 * The bundle's size; 0 before it is sealed.
 */
total_bytes: number, attempts: number, 
/**
 * The last refusal or failure code (`network`, `out_of_scope`, …).
 */
last_error: string | null, 
/**
 * UTC, RFC 3339: when a waiting bundle is tried again.
 */
next_attempt_at: string | null, 
/**
 * UTC, RFC 3339, the office's clock: when it received the bundle.
 */
delivered_at: string | null, 
/**
 * `next_attempt_at` and `delivered_at` in the meeting's zone, as the
 * window writes them.
 */
next_attempt_at_text: DateText | null, delivered_at_text: DateText | null, bundle_sha256: string | null, 
/**
 * The photos of its signed pages: how many, how many the office
 * acknowledged, and where their file stands (backing off as a
 * bundle does after a failed try).
 */
signed_pages: SignedPagesSending, };

export type OutboxView = { enrolled: boolean, 
/**
 * Every locked meeting revision, oldest lock first.
 */
rows: Array<OutboxRow>, 
/**
 * Why the sender's last round could not run at all (`network`,
 * `not_the_office`, …); null when it ran.
 */
failure: string | null, };

export type ReceiptOpened = { 
/**
 * The office's receipt was kept already (by a sync, or the same file).
 */
already_delivered: boolean, 
/**
 * For the receipt of a meeting's signed pages, how many photos it
 * acknowledges; null for a meeting's bundle.
 */
pages: number | null, };

export type BackupReminder = { 
/**
 * Locked meetings (each locked revision counts) that no backup holds
 * and the city office has not acknowledged.
 */
unprotected: number, 
/**
 * When the latest backup began (UTC, RFC 3339); null if none was made.
 */
last_backup_at: string | null, 
/**
 * `last_backup_at` as the window writes it, in [`BACKUP_TIMEZONE`].
 */
last_backup_at_text: DateText | null, };

export type RestorePlan = { 
/**
 * When the backup was made (UTC, RFC 3339).
 */
created_at: string, 
/**
 * `created_at` as the window writes it, in [`BACKUP_TIMEZONE`].
 */
created_at_text: DateText, 
/**
 * Meetings in the backup, a corrected one once.
 */
meetings_in_backup: number, 
/**
 * Meetings in this data folder now, which the backup replaces.
 */
meetings_here: number, 
/**
 * The fingerprint of the device the backup was made on.
 */
device_fingerprint: string, 
/**
 * False when the backup comes from another laptop: restoring it makes
 * this laptop sign as that one.
 */
same_device: boolean, };

export type ErrorCode = "validation" | "not_found" | "meeting_locked" | "schema_too_new" | "data_dir_in_use" | "wilayah_csv" | "database" | "io" | "corrupt" | "demo_needs_empty_store" | "not_ready_to_lock" | "meeting_not_locked" | "already_revised" | "already_checked_in" | "kelurahan_meeting_exists" | "no_rw_results" | "backup_invalid" | "backup_damaged" | "backup_foreign" | "backup_too_new" | "schema_too_old" | "office_document_invalid" | "practice_not_sent" | "signed_pages_revision_unknown" | "signed_pages_other_device";

export const ERROR_CODES: readonly ErrorCode[] = ["validation", "not_found", "meeting_locked", "schema_too_new", "data_dir_in_use", "wilayah_csv", "database", "io", "corrupt", "demo_needs_empty_store", "not_ready_to_lock", "meeting_not_locked", "already_revised", "already_checked_in", "kelurahan_meeting_exists", "no_rw_results", "backup_invalid", "backup_damaged", "backup_foreign", "backup_too_new", "schema_too_old", "office_document_invalid", "practice_not_sent", "signed_pages_revision_unknown", "signed_pages_other_device"];

export type FieldCode = "age_group_unknown" | "amount_invalid" | "amount_negative" | "amount_not_whole" | "amount_too_large" | "bidang_unknown" | "coordinates_incomplete" | "coordinates_outside_indonesia" | "criteria_count_invalid" | "criterion_duplicate" | "date_invalid" | "date_out_of_range" | "delegate_duplicate" | "delegate_not_attendee" | "delegates_range_invalid" | "file_too_large" | "gender_unknown" | "hands_out_of_range" | "image_invalid" | "image_type_unsupported" | "is_delegate" | "kelurahan_unknown" | "kota_code_invalid" | "manual_order_invalid" | "nip_invalid" | "no_attendees" | "no_delegates" | "no_pimpinan" | "no_usulan" | "number_invalid" | "number_negative" | "number_out_of_range" | "number_too_large" | "office_key_invalid" | "opd_duplicate" | "page_duplicate" | "pages_full" | "phone_invalid" | "phone_length" | "photo_dimensions_too_large" | "photo_format_unsupported" | "photo_too_large" | "photo_unreadable" | "position_out_of_range" | "proposer_conflict" | "proposer_not_attendee" | "required" | "rt_list_invalid" | "rt_out_of_range" | "rw_count_out_of_range" | "rw_out_of_range" | "score_out_of_range" | "signature_not_png" | "signer_duplicate" | "signer_unknown" | "signers_empty" | "sipd_photos_full" | "stage_unknown" | "text_invalid" | "time_invalid" | "too_long" | "too_many_photos" | "unsur_count_invalid" | "unsur_duplicate" | "usulan_not_carryable" | "volume_invalid" | "volume_negative" | "volume_too_large" | "weight_out_of_range" | "year_invalid" | "year_out_of_range" | "attachment_invalid" | "counts_inconsistent" | "delegate_count_invalid" | "id_invalid" | "kelurahan_code_invalid" | "meeting_mismatch" | "meeting_not_locked" | "must_be_null" | "office_secret_invalid" | "origin_invalid" | "photo_invalid" | "position_invalid" | "rank_invalid" | "revision_invalid" | "score_invalid" | "timezone_mismatch";

export const FIELD_CODES: readonly FieldCode[] = ["age_group_unknown", "amount_invalid", "amount_negative", "amount_not_whole", "amount_too_large", "bidang_unknown", "coordinates_incomplete", "coordinates_outside_indonesia", "criteria_count_invalid", "criterion_duplicate", "date_invalid", "date_out_of_range", "delegate_duplicate", "delegate_not_attendee", "delegates_range_invalid", "file_too_large", "gender_unknown", "hands_out_of_range", "image_invalid", "image_type_unsupported", "is_delegate", "kelurahan_unknown", "kota_code_invalid", "manual_order_invalid", "nip_invalid", "no_attendees", "no_delegates", "no_pimpinan", "no_usulan", "number_invalid", "number_negative", "number_out_of_range", "number_too_large", "office_key_invalid", "opd_duplicate", "page_duplicate", "pages_full", "phone_invalid", "phone_length", "photo_dimensions_too_large", "photo_format_unsupported", "photo_too_large", "photo_unreadable", "position_out_of_range", "proposer_conflict", "proposer_not_attendee", "required", "rt_list_invalid", "rt_out_of_range", "rw_count_out_of_range", "rw_out_of_range", "score_out_of_range", "signature_not_png", "signer_duplicate", "signer_unknown", "signers_empty", "sipd_photos_full", "stage_unknown", "text_invalid", "time_invalid", "too_long", "too_many_photos", "unsur_count_invalid", "unsur_duplicate", "usulan_not_carryable", "volume_invalid", "volume_negative", "volume_too_large", "weight_out_of_range", "year_invalid", "year_out_of_range", "attachment_invalid", "counts_inconsistent", "delegate_count_invalid", "id_invalid", "kelurahan_code_invalid", "meeting_mismatch", "meeting_not_locked", "must_be_null", "office_secret_invalid", "origin_invalid", "photo_invalid", "position_invalid", "rank_invalid", "revision_invalid", "score_invalid", "timezone_mismatch"];

export type FieldError = { field: string, code: FieldCode, };

export type ErrorReply = { code: string, fields: Array<FieldError>, };

export const AREA_NUMBER_DIGITS = 2;

export const SIPD_PHOTOS_MAX = 3;

export type BundleErrorCode = "not_a_zip" | "truncated" | "zip_unsupported" | "entries_overlap" | "name_invalid" | "absolute_path" | "path_traversal" | "duplicate_entry" | "symlink" | "not_a_file" | "unexpected_entry" | "missing_entry" | "size_mismatch" | "entry_too_large" | "bundle_too_large" | "too_many_entries" | "manifest_too_large" | "compression_unsupported" | "zip_bomb" | "zip_encrypted" | "future_version" | "manifest_invalid" | "signature_invalid" | "device_id_mismatch" | "hash_mismatch" | "record_invalid" | "meeting_invalid" | "meeting_not_locked" | "office_key_needed" | "unencrypted_not_confirmed" | "decryption_failed" | "attachment_corrupt" | "bundle_not_a_file" | "archive_comment" | "crc_mismatch" | "entry_order" | "name_not_ascii" | "bundle_id_mismatch" | "manifest_not_canonical" | "record_not_canonical" | "empty_final_chunk" | "no_signed_pages" | "page_invalid" | "io";

export const BUNDLE_ERROR_CODES: readonly BundleErrorCode[] = ["not_a_zip", "truncated", "zip_unsupported", "entries_overlap", "name_invalid", "absolute_path", "path_traversal", "duplicate_entry", "symlink", "not_a_file", "unexpected_entry", "missing_entry", "size_mismatch", "entry_too_large", "bundle_too_large", "too_many_entries", "manifest_too_large", "compression_unsupported", "zip_bomb", "zip_encrypted", "future_version", "manifest_invalid", "signature_invalid", "device_id_mismatch", "hash_mismatch", "record_invalid", "meeting_invalid", "meeting_not_locked", "office_key_needed", "unencrypted_not_confirmed", "decryption_failed", "attachment_corrupt", "bundle_not_a_file", "archive_comment", "crc_mismatch", "entry_order", "name_not_ascii", "bundle_id_mismatch", "manifest_not_canonical", "record_not_canonical", "empty_final_chunk", "no_signed_pages", "page_invalid", "io"];

export type DocsErrorCode = "document_layout_failed" | "document_pdf_failed" | "document_xlsx_failed" | "corrupt" | "io" | "document_not_signed";

export const DOCUMENT_ERROR_CODES: readonly DocsErrorCode[] = ["document_layout_failed", "document_pdf_failed", "document_xlsx_failed", "corrupt", "io", "document_not_signed"];
