// One function per IPC command of the Tauri shell, typed by the command map
// generated from the shell's command table (./commands.ts). Meetings and
// settings live here; each other area has its own `api-<area>.ts`. Every
// function rejects with an `ErrorReply`, whatever went wrong.
import { invoke } from '@tauri-apps/api/core';
import type {
  ErrorReply,
  FieldError,
  KopSettingsForm,
  Language,
  MeetingFilter,
  MeetingForm,
  RecordingSettingsForm,
  SignatorySettingsForm,
} from './bindings';
import type { Commands, RawCommands } from './commands';
import { localIsoDate } from './format';

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

/** The arguments of a command: none at all for a command that takes none. */
type ArgumentsOf<C extends keyof Commands> =
  Commands[C]['args'] extends Record<string, never> ? [] : [args: Commands[C]['args']];

async function answerOrErrorReply<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toErrorReply(error);
  }
}

/**
 * Calls a command of the shell with its arguments; area modules (`api-*.ts`)
 * build on it. A wrong command name, argument name or argument type does not
 * type-check.
 */
export function call<C extends keyof Commands>(command: C, ...args: ArgumentsOf<C>): Promise<Commands[C]['answer']> {
  return answerOrErrorReply(() => invoke<Commands[C]['answer']>(command, args[0]));
}

/** Calls a command whose body is raw bytes (a photo, a signature), its ids in headers. */
export function callRaw<C extends keyof RawCommands>(
  command: C,
  body: Uint8Array,
  headers: RawCommands[C]['headers'],
): Promise<RawCommands[C]['answer']> {
  return answerOrErrorReply(() => invoke<RawCommands[C]['answer']>(command, body, { headers }));
}

export const startupError = () => call('startup_error');
/** Ends the app (the startup error screen's way out); answers only if it could not. */
export const quitApp = () => call('quit_app');
export const getSettings = () => call('get_settings');
export const recordingSettingsForm = () => call('recording_settings_form');
export const setLanguage = (language: Language) => call('set_language', { language });
export const saveRecordingSettings = (form: RecordingSettingsForm) =>
  call('save_recording_settings', { form });
export const saveKopSettings = (form: KopSettingsForm) => call('save_kop_settings', { form });
/** The government kop's logo, as the chosen file's bytes and media type (PNG or JPEG). */
export const setKopLogo = (logo: Uint8Array, mediaType: string) =>
  callRaw('set_kop_logo', logo, { 'x-media-type': mediaType });
export const removeKopLogo = () => call('remove_kop_logo');
/** Who signs each stage's papers, in order, as the settings screen edits it. */
export const signatorySettingsForm = () => call('signatory_settings_form');
export const saveSignatorySettings = (form: SignatorySettingsForm) => call('save_signatory_settings', { form });

/** The OPD the usulan form offers (Settings → Daftar OPD), by name; each change answers the list. */
export const opdList = () => call('opd_list');
export const addOpd = (name: string) => call('add_opd', { name });
export const renameOpd = (id: number, name: string) => call('rename_opd', { id, name });
export const removeOpd = (id: number) => call('remove_opd', { id });
export const listKelurahan = () => call('list_kelurahan');
/**
 * The meetings that match `filter` (every part optional), newest first, at
 * most the core's default limit, and how many match in all.
 */
export const listMeetings = (filter: MeetingFilter = {}) => call('list_meetings', { filter });
export const getMeeting = (id: string) => call('get_meeting', { id });
/** The form a new meeting starts from, on the laptop's local date. */
export const newMeetingForm = (now: Date) => call('new_meeting_form', { today: localIsoDate(now) });
/** The form that would save `id` unchanged: the edit form starts here. */
export const meetingForm = (id: string) => call('meeting_form', { id });
export const createMeeting = (form: MeetingForm) => call('create_meeting', { form });
export const updateMeeting = (id: string, form: MeetingForm) => call('update_meeting', { id, form });
export const meetingChanges = (id: string) => call('meeting_changes', { id });
