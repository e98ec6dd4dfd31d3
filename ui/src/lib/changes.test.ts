import { describe, expect, it } from 'vitest';
import { changedFields, shortText } from './changes';

describe('changedFields', () => {
  it('lists only the fields whose value changed, without timestamps', () => {
    const before = JSON.stringify({ place: 'Balai RW 07', rw: 7, updated_at: '2026-11-28T12:00:00Z' });
    const after = JSON.stringify({ place: 'Masjid Al-Ikhlas', rw: 7, updated_at: '2026-11-28T12:05:00Z' });
    expect(changedFields(before, after)).toEqual([{ key: 'place', before: 'Balai RW 07', after: 'Masjid Al-Ikhlas' }]);
  });

  it('shows what a creation set and what a deletion removed', () => {
    const item = JSON.stringify({ title: 'Pembukaan', discussion: '' });
    expect(changedFields(null, item)).toEqual([{ key: 'title', before: null, after: 'Pembukaan' }]);
    expect(changedFields(item, null)).toEqual([{ key: 'title', before: 'Pembukaan', after: null }]);
  });

  it('treats a plain value as one change and ignores unreadable JSON', () => {
    expect(changedFields('3', '5')).toEqual([{ key: 'value', before: '3', after: '5' }]);
    expect(changedFields('{broken', null)).toEqual([]);
  });

  it('shortens long texts and writes structures as JSON', () => {
    expect(shortText('x'.repeat(400))).toHaveLength(160);
    expect(shortText({ code: '32.77' })).toBe('{"code":"32.77"}');
    expect(shortText('')).toBeNull();
  });
});
