// The notulen (agenda items) and usulan commands of the shell
// (src-tauri/src/commands/notulen.rs and usulan.rs).
import { call, callRaw } from './api';
import type { AgendaItemForm, UsulanForm } from './bindings';

export const listAgenda = (meetingId: string) => call('list_agenda', { meetingId });
export const addAgendaItem = (meetingId: string, title: string) =>
  call('add_agenda_item', { meetingId, title });
/** The autosave: storing the same texts again writes nothing. */
export const saveAgendaItem = (id: string, form: AgendaItemForm) => call('save_agenda_item', { id, form });
/** Moves an item to `position` (1 is the first); answers the agenda in its new order. */
export const moveAgendaItem = (id: string, position: number) =>
  call('move_agenda_item', { id, position });
export const deleteAgendaItem = (id: string) => call('delete_agenda_item', { id });

export const listUsulan = (meetingId: string) => call('list_usulan', { meetingId });
/** The edit form's starting values, written the way the core reads them back. */
export const usulanForm = (id: string) => call('usulan_form', { id });
export const addUsulan = (meetingId: string, form: UsulanForm) => call('add_usulan', { meetingId, form });
export const updateUsulan = (id: string, form: UsulanForm) => call('update_usulan', { id, form });
export const deleteUsulan = (id: string) => call('delete_usulan', { id });
/** The perkiraan biaya as typed, the way it is stored: "Rp 12.500.000"; rejects when refused. */
export const formatBiaya = (biaya: string) => call('format_biaya', { biaya });

/** Sends a photo file's bytes (never a path); the core checks and downscales it. */
export const addUsulanPhoto = (usulanId: string, bytes: Uint8Array, keepOriginal: boolean) =>
  callRaw('add_usulan_photo', bytes, { 'x-usulan-id': usulanId, 'x-keep-original': keepOriginal ? '1' : '0' });
export const removeUsulanPhoto = (usulanId: string, position: number) =>
  call('remove_usulan_photo', { usulanId, position });
/** Marks a photo as one that goes to SIPD (at most three per usulan; the core refuses a fourth), or unmarks it. */
export const setUsulanPhotoSipd = (usulanId: string, position: number, untukSipd: boolean) =>
  call('set_usulan_photo_sipd', { usulanId, position, untukSipd });

export const carryForwardCandidates = (meetingId: string) =>
  call('carry_forward_candidates', { meetingId });
export const carryForward = (meetingId: string, usulanIds: string[]) =>
  call('carry_forward', { meetingId, usulanIds });
export const carriedOrigins = (meetingId: string) => call('carried_origins', { meetingId });
