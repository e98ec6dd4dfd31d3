// What the backup screens say, decided apart from the screens so it is
// tested: the home screen's reminder and the warning before a restore.
import type { BackupReminder, DateText, RestorePlan } from './bindings';

/** A catalogue key and its values. */
export interface Message {
  key: string;
  values: Record<string, string | number>;
}

/**
 * The reminder to back up, or null when every locked meeting is in a
 * backup. `when` picks an instant's text in the current language.
 */
export function reminderMessage(reminder: BackupReminder | null, when: (text: DateText) => string): Message | null {
  if (!reminder || reminder.unprotected === 0) return null;
  const count = reminder.unprotected;
  return reminder.last_backup_at_text === null
    ? { key: 'backup.reminder.never', values: { count } }
    : { key: 'backup.reminder.since', values: { count, date: when(reminder.last_backup_at_text) } };
}

/** What the cadre reads before confirming a restore, in order. */
export function restoreWarning(plan: RestorePlan, when: (text: DateText) => string): Message[] {
  const warning: Message[] = [
    { key: 'backup.restore.holds', values: { date: when(plan.created_at_text), count: plan.meetings_in_backup } },
    { key: 'backup.restore.replaces', values: { count: plan.meetings_here } },
  ];
  if (!plan.same_device) {
    warning.push({ key: 'backup.restore.other_device', values: { fingerprint: plan.device_fingerprint } });
  }
  warning.push({ key: 'backup.restore.kept', values: {} });
  return warning;
}
