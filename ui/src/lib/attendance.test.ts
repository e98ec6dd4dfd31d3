import { describe, expect, it } from 'vitest';
import { areaText, moveHighlight, moveItem, newPersonForm, shareText } from './attendance';
import type { Meeting } from './bindings';

const meeting = {
  id: 'm1',
  rw: 5,
  kelurahan: { code: '32.77.01.1001', name: 'Melong' },
} as Meeting;

describe('newPersonForm', () => {
  it('starts from the typed name and the meeting’s RW and kelurahan', () => {
    const form = newPersonForm('  siti aminah ', meeting, ['RT', 'PKK', 'Warga']);
    expect(form).toEqual({
      name: 'siti aminah',
      gender: '',
      unsur: 'Warga',
      rt: '',
      rw: '5',
      kelurahan_code: '32.77.01.1001',
      phone: '',
      disability: false,
      age_group: '',
    });
  });

  it('leaves the unsur to choose when the city lists no "warga", and the RW empty at kelurahan level', () => {
    const form = newPersonForm('Ujang', { ...meeting, rw: null }, ['RT', 'Warga Umum']);
    expect(form.unsur).toBe('');
    expect(form.rw).toBe('');
    expect(newPersonForm('x', meeting, ['Warga']).unsur).toBe('Warga');
  });
});

describe('shareText', () => {
  it('shows whole percents plainly and cuts to one decimal', () => {
    expect(shareText(2500, 'id')).toBe('25%');
    expect(shareText(2857, 'id')).toBe('28,5%');
    expect(shareText(2857, 'en')).toBe('28.5%');
    expect(shareText(0, 'id')).toBe('0%');
    expect(shareText(10_000, 'en')).toBe('100%');
  });

  it('never shows a share just short of the target as reaching it', () => {
    expect(shareText(2999, 'id')).toBe('29,9%');
  });
});

describe('moveHighlight', () => {
  it('moves down and up, wrapping at both ends', () => {
    expect(moveHighlight(0, 1, 3)).toBe(1);
    expect(moveHighlight(2, 1, 3)).toBe(0);
    expect(moveHighlight(0, -1, 3)).toBe(2);
  });

  it('has nothing to highlight in an empty list', () => {
    expect(moveHighlight(0, 1, 0)).toBe(-1);
  });
});

describe('moveItem', () => {
  it('moves one item up or down', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
  });

  it('leaves the list as it is past either end', () => {
    const list = ['a', 'b'];
    expect(moveItem(list, 0, -1)).toEqual(['a', 'b']);
    expect(moveItem(list, 1, 1)).toEqual(['a', 'b']);
    expect(moveItem(list, 5, -1)).toEqual(['a', 'b']);
  });
});

describe('areaText', () => {
  const translate = (key: string, params: Record<string, string | number>) => `${key}:${JSON.stringify(params)}`;

  it('says RT and RW with two digits as on paper, or the part that is known, or a dash', () => {
    expect(areaText(3, 5, translate)).toBe('attendance.rt_rw:{"rt":"03","rw":"05"}');
    expect(areaText(3, null, translate)).toBe('attendance.rt_only:{"rt":"03"}');
    expect(areaText(null, 5, translate)).toBe('attendance.rw_only:{"rw":"05"}');
    expect(areaText(null, null, translate)).toBe('–');
  });
});
