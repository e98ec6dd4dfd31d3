import { describe, expect, it } from 'vitest';
import { reminderMessage, restoreWarning } from './backup';
import type { DateText, RestorePlan } from './bindings';

const when = (text: DateText) => `<${text.en}>`;
const saturday: DateText = {
  id: 'Sabtu, 28 November 2026 pukul 20.00 WIB',
  en: 'Saturday, 28 November 2026 at 20:00 WIB',
};

describe('the reminder to back up', () => {
  it('says nothing while every locked meeting is in a backup', () => {
    expect(reminderMessage(null, when)).toBeNull();
    expect(reminderMessage({ unprotected: 0, last_backup_at: null, last_backup_at_text: null }, when)).toBeNull();
    expect(reminderMessage({ unprotected: 0, last_backup_at: '2026-11-28T13:00:00Z', last_backup_at_text: saturday }, when)).toBeNull();
  });

  it('counts the locked meetings, and says since when when there was a backup', () => {
    expect(reminderMessage({ unprotected: 2, last_backup_at: null, last_backup_at_text: null }, when)).toEqual({
      key: 'backup.reminder.never',
      values: { count: 2 },
    });
    const reminder = { unprotected: 1, last_backup_at: '2026-11-28T13:00:00Z', last_backup_at_text: saturday };
    expect(reminderMessage(reminder, when)).toEqual({
      key: 'backup.reminder.since',
      values: { count: 1, date: '<Saturday, 28 November 2026 at 20:00 WIB>' },
    });
  });
});

describe('the warning before a restore', () => {
  const plan: RestorePlan = {
    created_at: '2026-11-28T13:00:00Z',
    created_at_text: saturday,
    meetings_in_backup: 3,
    meetings_here: 5,
    device_fingerprint: 'ABCD-EF01-2345-6789',
    same_device: true,
  };

  it('says what the backup holds, what it replaces, and that the old data is kept', () => {
    expect(restoreWarning(plan, when)).toEqual([
      { key: 'backup.restore.holds', values: { date: '<Saturday, 28 November 2026 at 20:00 WIB>', count: 3 } },
      { key: 'backup.restore.replaces', values: { count: 5 } },
      { key: 'backup.restore.kept', values: {} },
    ]);
  });

  it('names the other laptop when the backup is not of this one', () => {
    const keys = restoreWarning({ ...plan, same_device: false }, when).map((message) => message.key);
    expect(keys).toEqual([
      'backup.restore.holds',
      'backup.restore.replaces',
      'backup.restore.other_device',
      'backup.restore.kept',
    ]);
  });
});
