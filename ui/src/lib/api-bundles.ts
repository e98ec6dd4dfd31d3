// Bundles: this device's identity and the office key, exporting a locked
// meeting to a folder, importing another device's bundle, reading the
// imported meetings and confirming one the office's roster does not vouch for. The shell opens the native dialogs itself; the window
// only sends the words they show.
import { Channel } from '@tauri-apps/api/core';
import { call, callRaw } from './api';
import type { ErrorReply, ExportProgress, PageKind, SignedPage } from './bindings';

export const deviceSummary = () => call('device_summary');

/**
 * Null when the user closed the dialog without choosing a file. A key
 * different from the one set is not kept yet: the answer says so
 * (`needs_confirmation`) and `confirmOfficeKey` replaces it.
 */
export const chooseOfficeKey = (title: string, filterLabel: string) =>
  call('choose_office_key', { title, filterLabel });

/** Replaces the office key by the one just chosen, confirmed by its fingerprint. */
export const confirmOfficeKey = (fingerprint: string) => call('confirm_office_key', { fingerprint });

/**
 * Null when the user closed the folder dialog. Without an office key the
 * shell refuses (`unencrypted_not_confirmed`) unless `allowUnencrypted`:
 * the cadre agreed that the daftar hadir travels readable.
 */
export function exportBundle(
  id: string,
  title: string,
  allowUnencrypted: boolean,
  onProgress: (progress: ExportProgress) => void,
) {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call('export_bundle', { id, title, allowUnencrypted, onProgress: channel });
}

/** The shell refused to seal without an office key until the cadre agrees. */
export const needsUnencryptedConsent = (error: ErrorReply) => error.code === 'unencrypted_not_confirmed';

/** Null when the user closed the file dialog. */
export const importBundle = (title: string, filterLabel: string) =>
  call('import_bundle', { title, filterLabel });

export const importedMeetings = () => call('imported_meetings');
export const importedMeeting = (bundleSha256: string) => call('imported_meeting', { bundleSha256 });
/** The cadre counts a result from a device the office's roster does not vouch for. */
export const confirmImported = (bundleSha256: string) => call('confirm_imported', { bundleSha256 });

/** The first digits of a SHA-256, as people read them off a file name. */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 8);
}

/** Whole percent done, 0 when nothing is known yet. */
export function percentDone(progress: ExportProgress | null): number {
  if (!progress || progress.total_bytes === 0) return 0;
  return Math.min(100, Math.floor((progress.done_bytes * 100) / progress.total_bytes));
}

/** The papers whose signed pages the cadre photographs after the lock, in order. */
export const PAGE_KINDS = ['berita_acara', 'daftar_hadir', 'daftar_usulan'] as const satisfies readonly PageKind[];

/** Attaches a photo of a signed page to a locked meeting. */
export const addSignedPage = (meetingId: string, kind: PageKind, photo: Uint8Array, mediaType: string) =>
  callRaw('add_signed_page', photo, { 'x-meeting-id': meetingId, 'x-page-kind': kind, 'x-media-type': mediaType });

export const signedPages = (meetingId: string) => call('signed_pages', { meetingId });

/** How many of the signed pages the office acknowledged. */
export const signedPagesSending = (meetingId: string) => call('signed_pages_sending', { meetingId });

/** The signed pages a kelurahan laptop imported for an imported revision. */
export const importedSignedPages = (bundleSha256: string) => call('imported_signed_pages', { bundleSha256 });

/**
 * Seals the signed pages into a folder the user picks; null when the dialog
 * was closed. Without an office key the shell refuses
 * (`unencrypted_not_confirmed`) unless `allowUnencrypted`.
 */
export const exportSignedPages = (id: string, title: string, allowUnencrypted: boolean) =>
  call('export_signed_pages', { id, title, allowUnencrypted });

/** The pages of one paper, in page order. */
export function pagesOf(pages: SignedPage[], kind: PageKind): SignedPage[] {
  return pages.filter((page) => page.kind === kind).sort((a, b) => a.position - b.position);
}
