// Generated from the command table (src-tauri/src/commands/table.rs) by `make bindings`. Do not edit.

import type { Channel } from '@tauri-apps/api/core';
import type { AgendaItem, AgendaItemForm, AttendanceCounts, AttendanceSheetPhoto, Attendee, BackupReminder, CarriedOrigin, CarryForwardCandidate, Consolidation, Criterion, CriterionForm, Delegates, DeviceSummary, EnrollAnswer, ErrorReply, ExportProgress, ExportedBundle, FieldError, ImportReport, ImportedMeeting, ImportedRecord, Kelurahan, KelurahanMeetingStarted, KopSettingsForm, Language, Meeting, MeetingChange, MeetingFilter, MeetingForm, MeetingList, OfficeKeyChoice, OfficeSummary, OutboxView, PersonForm, PersonSuggestion, Ranking, RankingMethod, RecordingSettingsForm, RestorePlan, Role, SearchHit, Settings, SignatorySettingsForm, SimilarUsulan, Usulan, UsulanForm, UsulanPhoto } from './bindings';

export type DocumentKind = "berita-acara" | "daftar-hadir" | "usulan" | "notulen" | "tanda-terima";

/** The commands whose arguments travel as JSON: their arguments, under the names the shell reads, and their answer. */
export type Commands = {
  startup_error: { args: Record<string, never>; answer: ErrorReply | null };
  quit_app: { args: Record<string, never>; answer: null };
  close_ready: { args: Record<string, never>; answer: null };
  get_settings: { args: Record<string, never>; answer: Settings };
  recording_settings_form: { args: Record<string, never>; answer: RecordingSettingsForm };
  set_language: { args: { language: Language }; answer: Settings };
  save_recording_settings: { args: { form: RecordingSettingsForm }; answer: Settings };
  save_kop_settings: { args: { form: KopSettingsForm }; answer: Settings };
  signatory_settings_form: { args: Record<string, never>; answer: SignatorySettingsForm };
  save_signatory_settings: { args: { form: SignatorySettingsForm }; answer: Settings };
  list_kelurahan: { args: Record<string, never>; answer: Array<Kelurahan> };
  list_meetings: { args: { filter?: MeetingFilter | null }; answer: MeetingList };
  get_meeting: { args: { id: string }; answer: Meeting };
  new_meeting_form: { args: { today: string }; answer: MeetingForm };
  meeting_form: { args: { id: string }; answer: MeetingForm };
  create_meeting: { args: { form: MeetingForm }; answer: Meeting };
  update_meeting: { args: { id: string; form: MeetingForm }; answer: Meeting };
  meeting_changes: { args: { id: string }; answer: Array<MeetingChange> };
  lock_blockers: { args: { id: string }; answer: Array<FieldError> };
  lock_meeting: { args: { id: string }; answer: Meeting };
  revise_meeting: { args: { id: string; reason: string }; answer: Meeting };
  ranking: { args: { meetingId: string }; answer: Ranking };
  ensure_default_criteria: { args: { meetingId: string }; answer: Array<Criterion> };
  set_criteria: { args: { meetingId: string; criteria: Array<CriterionForm> }; answer: Array<Criterion> };
  set_score: { args: { usulanId: string; criterionId: string; score?: number | null }; answer: Ranking };
  set_ranking_method: { args: { meetingId: string; method: RankingMethod }; answer: Ranking };
  set_hands: { args: { usulanId: string; count: string }; answer: Ranking };
  set_manual_order: { args: { meetingId: string; usulanIds: Array<string>; reason: string }; answer: Ranking };
  clear_manual_order: { args: { meetingId: string }; answer: Ranking };
  search: { args: { text: string; limit: number }; answer: Array<SearchHit> };
  suggest_people: { args: { meetingId: string; query: string }; answer: Array<PersonSuggestion> };
  list_attendees: { args: { meetingId: string }; answer: Array<Attendee> };
  check_in: { args: { meetingId: string; personId: string; role: Role }; answer: Attendee };
  check_in_new: { args: { meetingId: string; form: PersonForm; role: Role }; answer: Attendee };
  remove_attendee: { args: { meetingId: string; personId: string }; answer: null };
  set_attendee_role: { args: { meetingId: string; personId: string; role: Role }; answer: Attendee };
  attendance_sheet_photos: { args: { meetingId: string }; answer: Array<AttendanceSheetPhoto> };
  attendance_counts: { args: { meetingId: string }; answer: AttendanceCounts };
  delegates: { args: { meetingId: string }; answer: Delegates };
  set_delegates: { args: { meetingId: string; personIds: Array<string> }; answer: Delegates };
  list_agenda: { args: { meetingId: string }; answer: Array<AgendaItem> };
  add_agenda_item: { args: { meetingId: string; title: string }; answer: AgendaItem };
  save_agenda_item: { args: { id: string; form: AgendaItemForm }; answer: AgendaItem };
  move_agenda_item: { args: { id: string; position: number }; answer: Array<AgendaItem> };
  delete_agenda_item: { args: { id: string }; answer: Array<AgendaItem> };
  list_usulan: { args: { meetingId: string }; answer: Array<Usulan> };
  usulan_form: { args: { id: string }; answer: UsulanForm };
  add_usulan: { args: { meetingId: string; form: UsulanForm }; answer: Usulan };
  update_usulan: { args: { id: string; form: UsulanForm }; answer: Usulan };
  delete_usulan: { args: { id: string }; answer: null };
  format_biaya: { args: { biaya: string }; answer: string };
  remove_usulan_photo: { args: { usulanId: string; position: number }; answer: Array<UsulanPhoto> };
  carry_forward_candidates: { args: { meetingId: string }; answer: Array<CarryForwardCandidate> };
  carry_forward: { args: { meetingId: string; usulanIds: Array<string> }; answer: Array<Usulan> };
  carried_origins: { args: { meetingId: string }; answer: Array<CarriedOrigin> };
  device_summary: { args: Record<string, never>; answer: DeviceSummary };
  choose_office_key: { args: { title: string; filterLabel: string }; answer: OfficeKeyChoice | null };
  confirm_office_key: { args: { fingerprint: string }; answer: DeviceSummary };
  export_bundle: { args: { id: string; title: string; allowUnencrypted: boolean; onProgress: Channel<ExportProgress> }; answer: ExportedBundle | null };
  import_bundle: { args: { title: string; filterLabel: string }; answer: ImportReport | null };
  imported_meetings: { args: Record<string, never>; answer: Array<ImportedMeeting> };
  imported_meeting: { args: { bundleSha256: string }; answer: ImportedRecord };
  confirm_imported: { args: { bundleSha256: string }; answer: ImportedMeeting };
  back_up: { args: { title: string; onProgress: Channel<ExportProgress> }; answer: string | null };
  backup_reminder: { args: Record<string, never>; answer: BackupReminder };
  choose_backup: { args: { title: string }; answer: RestorePlan | null };
  restore: { args: { onProgress: Channel<ExportProgress> }; answer: null };
  set_rw_count: { args: { kelurahanCode: string; rwCount: string }; answer: number };
  consolidation: { args: { kelurahanCode: string; planningYear: number }; answer: Consolidation };
  start_kelurahan_meeting: { args: { form: MeetingForm; kelurahanCode: string; planningYear: number }; answer: KelurahanMeetingStarted };
  similar_usulan: { args: { meetingId: string }; answer: Array<SimilarUsulan> };
  office_summary: { args: Record<string, never>; answer: OfficeSummary | null };
  enroll_office: { args: { officeUrl: string; code: string; confirmKey?: string | null }; answer: EnrollAnswer };
  enroll_office_file: { args: { title: string; filterLabel: string; confirmKey?: string | null }; answer: EnrollAnswer | null };
  outbox: { args: Record<string, never>; answer: OutboxView };
  send_now: { args: Record<string, never>; answer: null };
  delivered_meetings: { args: Record<string, never>; answer: Array<string> };
  preview_document: { args: { id: string; kind: DocumentKind }; answer: Array<string> };
  save_document: { args: { id: string; kind: DocumentKind; title: string }; answer: string | null };
  open_document: { args: { id: string; kind: DocumentKind }; answer: null };
  save_meeting_xlsx: { args: { id: string; title: string }; answer: string | null };
};

/** The commands whose body is raw bytes (a photo, a signature): the headers that carry their ids, and their answer. */
export type RawCommands = {
  set_signature: { headers: { 'x-meeting-id': string; 'x-person-id': string }; answer: Attendee };
  add_attendance_sheet_photo: { headers: { 'x-meeting-id': string; 'x-media-type': string }; answer: AttendanceSheetPhoto };
  add_usulan_photo: { headers: { 'x-usulan-id': string; 'x-keep-original': string }; answer: UsulanPhoto };
};
