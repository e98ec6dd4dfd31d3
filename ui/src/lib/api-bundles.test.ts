import { invoke } from '@tauri-apps/api/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addSignedPage, needsUnencryptedConsent, pagesOf, percentDone, shortHash } from './api-bundles';
import type { PageKind, SignedPage } from './bindings';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const mockedInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockedInvoke.mockReset();
  mockedInvoke.mockResolvedValue(null);
});

describe('export progress', () => {
  it('is a whole percentage, never above 100', () => {
    expect(percentDone(null)).toBe(0);
    expect(percentDone({ done_bytes: 0, total_bytes: 0 })).toBe(0);
    expect(percentDone({ done_bytes: 1, total_bytes: 3 })).toBe(33);
    expect(percentDone({ done_bytes: 3, total_bytes: 3 })).toBe(100);
    expect(percentDone({ done_bytes: 5, total_bytes: 3 })).toBe(100);
  });

  it('names a bundle by the first eight digits of its hash', () => {
    expect(shortHash('3fa2b1c9d0e1f2a3')).toBe('3fa2b1c9');
  });
});

describe('sealing without an office key', () => {
  it('asks the cadre only when the shell refused for want of consent', () => {
    expect(needsUnencryptedConsent({ code: 'unencrypted_not_confirmed', fields: [] })).toBe(true);
    expect(needsUnencryptedConsent({ code: 'meeting_not_locked', fields: [] })).toBe(false);
  });
});

describe('signed pages', () => {
  it('sends the photo as raw bytes with its meeting, paper and type in headers', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    await addSignedPage('m1', 'daftar_hadir', jpeg, 'image/jpeg');
    expect(mockedInvoke).toHaveBeenLastCalledWith('add_signed_page', jpeg, {
      headers: { 'x-meeting-id': 'm1', 'x-page-kind': 'daftar_hadir', 'x-media-type': 'image/jpeg' },
    });
  });

  it('lists one paper in page order', () => {
    const page = (kind: PageKind, position: number): SignedPage => ({
      kind,
      position,
      sha256: `${kind}${position}`,
      media_type: 'image/png',
      added_at: '2026-12-07T07:00:00Z',
    });
    const pages = [page('daftar_hadir', 2), page('berita_acara', 1), page('daftar_hadir', 1)];
    expect(pagesOf(pages, 'daftar_hadir').map((p) => p.position)).toEqual([1, 2]);
    expect(pagesOf(pages, 'daftar_usulan')).toEqual([]);
  });
});
