// One typed function per IPC command of the Tauri shell (src-tauri/src/commands/).
// Meetings and settings live here; each other area has its own `api-<area>.ts`.
// Every function rejects with an `ErrorReply`, whatever went wrong.
import { invoke, type InvokeArgs, type InvokeOptions } from '@tauri-apps/api/core';
import type {
  ErrorReply,
  FieldError,
  Kelurahan,
  KopSettingsForm,
  Language,
  Meeting,
  MeetingChange,
  MeetingFilter,
  MeetingForm,
  MeetingList,
  RecordingSettingsForm,
  Settings,
} from './bindings';

/** The code for a failure that did not come from the core as an `ErrorReply`. */
const UNEXPECTED = 'unexpected';

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldError).field === 'string' &&
    typeof (value as FieldError).code === 'string'
  );
}

/**
 * The core answers failures with an `ErrorReply`; the shell itself (a refused
 * permission, arguments it could not read) or the webview answer a plain
 * string or an Error. Those become `{ code: "unexpected" }`.
 */
export function toErrorReply(error: unknown): ErrorReply {
  if (typeof error === 'object' && error !== null) {
    const { code, fields } = error as Partial<ErrorReply>;
    if (typeof code === 'string' && Array.isArray(fields) && fields.every(isFieldError)) {
      return { code, fields: fields.map(({ field, code }) => ({ field, code })) };
    }
  }
  return { code: UNEXPECTED, fields: [] };
}

/**
 * Calls a command of the shell; area modules (`api-*.ts`) build on it. Raw
 * bytes (a photo, a signature) go as `args` (a Uint8Array) with their ids in
 * `options.headers`.
 */
export async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await (options ? invoke<T>(command, args, options) : invoke<T>(command, args));
  } catch (error) {
    throw toErrorReply(error);
  }
}

export const startupError = () => call<ErrorReply | null>('startup_error');
/** Ends the app (the startup error screen's way out); answers only if it could not. */
export const quitApp = () => call<void>('quit_app');
export const getSettings = () => call<Settings>('get_settings');
export const setLanguage = (language: Language) => call<Settings>('set_language', { language });
export const saveRecordingSettings = (form: RecordingSettingsForm) =>
  call<Settings>('save_recording_settings', { form });
export const saveKopSettings = (form: KopSettingsForm) => call<Settings>('save_kop_settings', { form });
export const listKelurahan = () => call<Kelurahan[]>('list_kelurahan');
/**
 * The meetings that match `filter` (every part optional), newest first, at
 * most the core's default limit, and how many match in all.
 */
export const listMeetings = (filter: MeetingFilter = {}) => call<MeetingList>('list_meetings', { filter });
export const getMeeting = (id: string) => call<Meeting>('get_meeting', { id });
export const createMeeting = (form: MeetingForm) => call<Meeting>('create_meeting', { form });
export const updateMeeting = (id: string, form: MeetingForm) => call<Meeting>('update_meeting', { id, form });
export const meetingChanges = (id: string) => call<MeetingChange[]>('meeting_changes', { id });
