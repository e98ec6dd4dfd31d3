import { describe, expect, it } from 'vitest';
import { reminderMessage, restoreWarning } from './backup';
import type { RestorePlan } from './bindings';

const when = (utc: string) => `<${utc}>`;

describe('the reminder to back up', () => {
  it('says nothing while every locked meeting is in a backup', () => {
    expect(reminderMessage(null, when)).toBeNull();
    expect(reminderMessage({ locked_not_backed_up: 0, last_backup_at: null }, when)).toBeNull();
    expect(reminderMessage({ locked_not_backed_up: 0, last_backup_at: '2026-11-28T13:00:00Z' }, when)).toBeNull();
  });

  it('counts the locked meetings, and says since when when there was a backup', () => {
    expect(reminderMessage({ locked_not_backed_up: 2, last_backup_at: null }, when)).toEqual({
      key: 'backup.reminder.never',
      values: { count: 2 },
    });
    expect(reminderMessage({ locked_not_backed_up: 1, last_backup_at: '2026-11-28T13:00:00Z' }, when)).toEqual({
      key: 'backup.reminder.since',
      values: { count: 1, date: '<2026-11-28T13:00:00Z>' },
    });
  });
});

describe('the warning before a restore', () => {
  const plan: RestorePlan = {
    created_at: '2026-11-28T13:00:00Z',
    meetings_in_backup: 3,
    meetings_here: 5,
    device_fingerprint: 'ABCD-EF01-2345-6789',
    same_device: true,
  };

  it('says what the backup holds, what it replaces, and that the old data is kept', () => {
    expect(restoreWarning(plan, when)).toEqual([
      { key: 'backup.restore.holds', values: { date: '<2026-11-28T13:00:00Z>', count: 3 } },
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
