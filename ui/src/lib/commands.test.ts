import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ALL_DOCUMENTS, beforeMeetingDocuments, DOCUMENTS, documentsFor } from './api-documents';
import { call, callRaw } from './api';
import type { DocumentKind } from './commands';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockedInvoke.mockReset();
  mockedInvoke.mockResolvedValue(null);
});

describe('the command map generated from the shell’s command table', () => {
  // Each line below must fail to type-check: `npm run check` reports an
  // unused `@ts-expect-error` as soon as the map stops refusing it.
  it('refuses a wrong command, argument name or argument type', async () => {
    // @ts-expect-error: the shell reads `meetingId`
    await call('list_agenda', { meeting_id: 'm1' });
    // @ts-expect-error: an extra argument the shell does not read
    await call('list_agenda', { meetingId: 'm1', limit: 5 });
    // @ts-expect-error: a position is a number
    await call('move_agenda_item', { id: 'a1', position: '2' });
    // @ts-expect-error: the arguments are required
    await call('get_meeting');
    // @ts-expect-error: a command that takes no arguments
    await call('get_settings', { id: 'm1' });
    // @ts-expect-error: no such command
    await call('list_agendas', { meetingId: 'm1' });
    // @ts-expect-error: not one of the documents the shell prints
    await call('preview_document', { id: 'm1', kind: 'rekap' });
    // @ts-expect-error: a raw-bytes command is not called with JSON
    await call('set_signature', { meetingId: 'm1', personId: 'p1' });
    // @ts-expect-error: its ids travel under these headers only
    await callRaw('set_signature', new Uint8Array(), { 'x-meeting-id': 'm1', 'x-person': 'p1' });
    expect(mockedInvoke).toHaveBeenCalledTimes(9);
  });

  it('answers with the command’s own type', async () => {
    mockedInvoke.mockResolvedValue(['data:image/png;base64,']);
    const pages: string[] = await call('preview_document', { id: 'm1', kind: 'notulen' });
    expect(pages).toHaveLength(1);
    // @ts-expect-error: list_meetings answers a MeetingList, not an array
    const meetings: unknown[] = await call('list_meetings', { filter: {} });
    expect(meetings).toHaveLength(1);
  });

  it('lists every printed document in the Cetak tab', () => {
    // Keyed by the generated type: svelte-check fails when the shell adds a document.
    const kinds: Record<DocumentKind, true> = {
      'berita-acara': true,
      'daftar-hadir': true,
      usulan: true,
      notulen: true,
      'tanda-terima': true,
      'daftar-hadir-kosong': true,
      'daftar-hadir-warga': true,
    };
    expect([...ALL_DOCUMENTS].sort()).toEqual(Object.keys(kinds).sort());
    // The tanda terima only once the office received the meeting.
    expect(documentsFor(false)).toEqual(DOCUMENTS);
    expect(documentsFor(true)).toEqual([...DOCUMENTS, 'tanda-terima']);
  });

  it('offers a draft the daftar hadir to print before the meeting, with the residents only for one RW', () => {
    expect(beforeMeetingDocuments({ status: 'draft', rw: 8 })).toEqual(['daftar-hadir-kosong', 'daftar-hadir-warga']);
    expect(beforeMeetingDocuments({ status: 'draft', rw: null })).toEqual(['daftar-hadir-kosong']);
    expect(beforeMeetingDocuments({ status: 'locked', rw: 8 })).toEqual([]);
  });
});
