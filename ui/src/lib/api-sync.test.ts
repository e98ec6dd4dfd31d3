import { describe, expect, it } from 'vitest';
import type { MeetingSummary, OutboxRow, OutboxView, SendState } from './bindings';
import { catalogues, LANGUAGES } from './i18n/translate';
import {
  formatBytes,
  percentSent,
  photoFiles,
  pollDelay,
  refusalAdviceKey,
  SEND_STATES,
  SYNC_ERROR_CODES,
  syncErrorKey,
  undelivered,
} from './api-sync';

const meeting: MeetingSummary = {
  id: 'm1',
  stage: 'rembug_warga',
  status: 'locked',
  kelurahan_code: '32.77.01.1001',
  kelurahan_name: 'Melong',
  kecamatan_name: 'Cimahi Selatan',
  rw: 5,
  planning_year: 2027,
  date: '2026-01-14',
  start_time: '19:30',
  timezone: 'WIB',
  revision: 1,
  date_text: { id: 'Rabu, 14 Januari 2026', en: 'Wednesday, 14 January 2026' },
  start_time_text: { id: '19.30 WIB', en: '19:30 WIB' },
};

function row(state: SendState, sent_bytes = 0, total_bytes = 0, pages = 0, pages_state: SendState = 'not_sent'): OutboxRow {
  return {
    meeting,
    state,
    sent_bytes,
    total_bytes,
    attempts: 0,
    last_error: null,
    next_attempt_at: null,
    delivered_at: null,
    next_attempt_at_text: null,
    delivered_at_text: null,
    bundle_sha256: null,
    signed_pages: {
      page_count: pages,
      delivered_count: pages_state === 'delivered' ? pages : 0,
      delivered_at: null,
      state: pages_state,
      attempts: 0,
      last_error: null,
      next_attempt_at: null,
      next_attempt_at_text: null,
    },
  };
}

const view = (...rows: OutboxRow[]): OutboxView => ({ enrolled: true, rows, failure: null });

describe('sending to the office', () => {
  it('has words for every state, keyed by the generated type', () => {
    const states: Record<SendState, true> = { not_sent: true, waiting: true, sending: true, delivered: true, refused: true };
    expect([...SEND_STATES].sort()).toEqual(Object.keys(states).sort());
    for (const language of LANGUAGES) {
      const missing = SEND_STATES.map((state) => `sync.state.${state}`).filter(
        (key) => !Object.hasOwn(catalogues[language], key),
      );
      expect(missing, language).toEqual([]);
    }
  });

  it('says every refusal in both languages, and what to do about the office’s refusals', () => {
    for (const language of LANGUAGES) {
      for (const code of SYNC_ERROR_CODES) {
        expect(syncErrorKey(language, code), `${language}: ${code}`).toBe(`sync.error.${code}`);
      }
      for (const code of ['out_of_scope', 'device_revoked', 'revision_conflict', 'not_own_bundle', 'too_large']) {
        expect(refusalAdviceKey(language, code), `${language}: ${code}`).toBe(`sync.todo.${code}`);
      }
    }
  });

  it('falls back to the general error text, then to the unexpected one', () => {
    expect(syncErrorKey('id', 'meeting_not_locked')).toBe('error.meeting_not_locked');
    expect(syncErrorKey('en', 'no_such_code')).toBe('error.unexpected');
    expect(refusalAdviceKey('id', 'no_such_code')).toBe('sync.todo.other');
    expect(refusalAdviceKey('id', null)).toBe('sync.todo.other');
  });

  it('measures the bar in whole percent of the bundle', () => {
    expect(percentSent(row('not_sent'))).toBe(0);
    expect(percentSent(row('sending', 1, 3))).toBe(33);
    expect(percentSent(row('delivered', 3, 3))).toBe(100);
    expect(percentSent(row('sending', 9, 3))).toBe(100);
  });

  it('asks often while a bundle moves, and counts what is still to deliver', () => {
    expect(pollDelay(view(row('waiting'), row('sending', 1, 2)))).toBe(1000);
    expect(pollDelay(view(row('waiting'), row('delivered')))).toBe(5000);
    expect(undelivered(view(row('waiting'), row('delivered'), row('refused')))).toBe(2);
  });

  it('counts the files of signed-page photos by where they stand, leaving out meetings without photos', () => {
    const rows = [
      row('delivered', 0, 0, 3, 'delivered'),
      row('delivered', 0, 0, 2, 'waiting'),
      row('delivered', 0, 0, 1, 'not_sent'),
      row('delivered', 0, 0, 4, 'refused'),
      row('waiting', 0, 0, 2, 'not_sent'),
      row('delivered'),
    ];
    expect(photoFiles(view(...rows))).toEqual({ waiting: 3, delivered: 1, refused: 1 });
    expect(photoFiles(view(row('delivered')))).toEqual({ waiting: 0, delivered: 0, refused: 0 });
  });

  it('writes sizes as people read them, in each language', () => {
    expect(formatBytes(300, 'id')).toBe('1 KB');
    expect(formatBytes(850 * 1024, 'id')).toBe('850 KB');
    expect(formatBytes(12.5 * 1024 * 1024, 'id')).toBe('12,5 MB');
    expect(formatBytes(12.5 * 1024 * 1024, 'en')).toBe('12.5 MB');
    expect(formatBytes(2 * 1024 * 1024 * 1024, 'id')).toBe('2 GB');
  });
});
