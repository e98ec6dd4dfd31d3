// The daftar hadir and delegates commands (src-tauri/src/commands/attendance.rs).
// Every function rejects with an `ErrorReply`, like those of api.ts.
import { call, callRaw } from './api';
import type { PersonForm, Role } from './bindings';

/** The directory's best few matches for what was typed, the meeting's RW first. */
export const suggestPeople = (meetingId: string, query: string) =>
  call('suggest_people', { meetingId, query });

/** The daftar hadir in check-in order. */
export const listAttendees = (meetingId: string) => call('list_attendees', { meetingId });

export const checkIn = (meetingId: string, personId: string, role: Role = 'peserta') =>
  call('check_in', { meetingId, personId, role });

/** Adds a new resident to the directory and checks them in, all or nothing. */
export const checkInNew = (meetingId: string, form: PersonForm, role: Role = 'peserta') =>
  call('check_in_new', { meetingId, form, role });

export const removeAttendee = (meetingId: string, personId: string) =>
  call('remove_attendee', { meetingId, personId });

export const setAttendeeRole = (meetingId: string, personId: string, role: Role) =>
  call('set_attendee_role', { meetingId, personId, role });

/** A signature drawn on screen, as PNG bytes. */
export const setSignature = (meetingId: string, personId: string, png: Uint8Array) =>
  callRaw('set_signature', png, { 'x-meeting-id': meetingId, 'x-person-id': personId });

/** A photo of a paper daftar hadir, as the file's bytes and media type. */
export const addAttendanceSheetPhoto = (meetingId: string, photo: Uint8Array, mediaType: string) =>
  callRaw('add_attendance_sheet_photo', photo, { 'x-meeting-id': meetingId, 'x-media-type': mediaType });

export const attendanceSheetPhotos = (meetingId: string) =>
  call('attendance_sheet_photos', { meetingId });

/** The live counts, against the women's target in the settings. */
export const attendanceCounts = (meetingId: string) => call('attendance_counts', { meetingId });

/** The delegates in order, with warnings against the settings' expected count. */
export const getDelegates = (meetingId: string) => call('delegates', { meetingId });

export const setDelegates = (meetingId: string, personIds: string[]) =>
  call('set_delegates', { meetingId, personIds });
