import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addAttendanceSheetPhoto, checkIn, setDelegates, setSignature, suggestPeople } from './api-attendance';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockedInvoke.mockReset();
  mockedInvoke.mockResolvedValue(null);
});

describe('attendance commands', () => {
  it('send the arguments under the names the shell expects', async () => {
    await suggestPeople('m1', 'sit');
    expect(mockedInvoke).toHaveBeenLastCalledWith('suggest_people', { meetingId: 'm1', query: 'sit' });
    await checkIn('m1', 'p1');
    expect(mockedInvoke).toHaveBeenLastCalledWith('check_in', { meetingId: 'm1', personId: 'p1', role: 'peserta' });
    await setDelegates('m1', ['p1', 'p2']);
    expect(mockedInvoke).toHaveBeenLastCalledWith('set_delegates', { meetingId: 'm1', personIds: ['p1', 'p2'] });
  });

  it('send images as raw bytes with their ids in headers, never a path', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    await setSignature('m1', 'p1', png);
    expect(mockedInvoke).toHaveBeenLastCalledWith('set_signature', png, {
      headers: { 'x-meeting-id': 'm1', 'x-person-id': 'p1' },
    });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff]);
    await addAttendanceSheetPhoto('m1', jpeg, 'image/jpeg');
    expect(mockedInvoke).toHaveBeenLastCalledWith('add_attendance_sheet_photo', jpeg, {
      headers: { 'x-meeting-id': 'm1', 'x-media-type': 'image/jpeg' },
    });
  });

  it('reject with the core’s ErrorReply', async () => {
    mockedInvoke.mockRejectedValue({ code: 'already_checked_in', fields: [] });
    await expect(checkIn('m1', 'p1')).rejects.toEqual({ code: 'already_checked_in', fields: [] });
  });
});
