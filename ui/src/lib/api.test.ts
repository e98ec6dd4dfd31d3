import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMeeting, newMeetingForm, startupError, toErrorReply, updateMeeting } from './api';
import type { MeetingForm } from './bindings';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

const form: MeetingForm = {
  stage: 'rembug_warga',
  kelurahan_code: '32.77.01.1001',
  rw: '5',
  planning_year: '',
  date: '28/11/2026',
  start_time: '19:30',
  place: 'Balai RW 05',
  facilitator: 'Siti Rahmawati',
  notulis: '',
  pimpinan: 'Ujang Suryana',
  pimpinan_jabatan: 'Ketua RW 05',
  nomor: '',
};

beforeEach(() => {
  mockedInvoke.mockReset();
});

describe('toErrorReply', () => {
  it('keeps an ErrorReply from the core', () => {
    const reply = { code: 'validation', fields: [{ field: 'rw', code: 'required' }] };
    expect(toErrorReply(reply)).toEqual(reply);
  });

  it('turns anything else into "unexpected"', () => {
    const unexpected = { code: 'unexpected', fields: [] };
    expect(toErrorReply('command create_meeting not allowed')).toEqual(unexpected);
    expect(toErrorReply(new TypeError('window.__TAURI_INTERNALS__ is undefined'))).toEqual(unexpected);
    expect(toErrorReply(null)).toEqual(unexpected);
    expect(toErrorReply({ code: 'validation' })).toEqual(unexpected);
    expect(toErrorReply({ code: 'validation', fields: [{ field: 'rw' }] })).toEqual(unexpected);
  });
});

describe('commands', () => {
  it('send the arguments under the names the shell expects', async () => {
    mockedInvoke.mockResolvedValue({ id: 'm1' });
    await createMeeting(form);
    expect(mockedInvoke).toHaveBeenLastCalledWith('create_meeting', { form });
    await updateMeeting('m1', form);
    expect(mockedInvoke).toHaveBeenLastCalledWith('update_meeting', { id: 'm1', form });
    // A new meeting's form is the core's, for the laptop's own date.
    await newMeetingForm(new Date(2026, 10, 28, 23, 30));
    expect(mockedInvoke).toHaveBeenLastCalledWith('new_meeting_form', { today: '2026-11-28' });
  });

  it('answer what the shell answers', async () => {
    mockedInvoke.mockResolvedValue(null);
    await expect(startupError()).resolves.toBeNull();
  });

  it('reject with an ErrorReply whatever the failure', async () => {
    const reply = { code: 'validation', fields: [{ field: 'place', code: 'required' }] };
    mockedInvoke.mockRejectedValue(reply);
    await expect(createMeeting(form)).rejects.toEqual(reply);
    mockedInvoke.mockRejectedValue('invalid args `form` for command `create_meeting`');
    await expect(createMeeting(form)).rejects.toEqual({ code: 'unexpected', fields: [] });
  });
});
