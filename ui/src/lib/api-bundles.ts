// Bundles: this device's identity and the office key, exporting a locked
// meeting to a folder, importing another device's bundle, reading the
// imported meetings and confirming one the office's roster does not vouch for. The shell opens the native dialogs itself; the window
// only sends the words they show.
import { Channel } from '@tauri-apps/api/core';
import { call } from './api';
import type { ExportProgress } from './bindings';

export const deviceSummary = () => call('device_summary');

/** Null when the user closed the dialog without choosing a file. */
export const chooseOfficeKey = (title: string, filterLabel: string) =>
  call('choose_office_key', { title, filterLabel });

/** Null when the user closed the folder dialog. */
export function exportBundle(id: string, title: string, onProgress: (progress: ExportProgress) => void) {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call('export_bundle', { id, title, onProgress: channel });
}

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
