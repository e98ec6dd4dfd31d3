// Cadangkan and Pulihkan: a backup of the whole data folder to a folder the
// cadre picks, the home screen's reminder, and restoring a backup after the
// cadre saw what it replaces. The shell opens the folder dialogs and keeps
// the folder picked to restore from; the window never names a path.
import { Channel } from '@tauri-apps/api/core';
import { call } from './api';
import type { ExportProgress } from './bindings';

/** Where the backup went, or null when the user closed the folder dialog. */
export function backUp(title: string, onProgress: (progress: ExportProgress) => void) {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call('back_up', { title, onProgress: channel });
}

export const backupReminder = () => call('backup_reminder');

/** What restoring the chosen backup would replace; null when cancelled. */
export const chooseBackup = (title: string) => call('choose_backup', { title });

/** Restores the backup last chosen; the window then reloads what it shows. */
export function restore(onProgress: (progress: ExportProgress) => void) {
  const channel = new Channel<ExportProgress>();
  channel.onmessage = onProgress;
  return call('restore', { onProgress: channel });
}
