import { describe, expect, it } from 'vitest';
import type { Meeting, UsulanPhoto } from './bindings';
import { newUsulanForm, rtListText, sipdPhotoCount } from './usulan';

describe('rtListText', () => {
  it('reads the stored list with spaces and two-digit numbers, as on paper', () => {
    expect(rtListText('1,3')).toBe('01, 03');
    expect(rtListText('4')).toBe('04');
    expect(rtListText('12,104')).toBe('12, 104');
    expect(rtListText('')).toBe('');
  });
});

describe('newUsulanForm', () => {
  it('starts blank with the meeting RW filled in', () => {
    const form = newUsulanForm({ rw: 5 } as Meeting);
    expect(form.rw).toBe('5');
    expect(Object.entries(form).filter(([key, value]) => key !== 'rw' && value !== '')).toEqual([]);
    expect(newUsulanForm({ rw: null } as Meeting).rw).toBe('');
  });
});

describe('sipdPhotoCount', () => {
  const photo = (position: number, untuk_sipd?: boolean): UsulanPhoto => ({
    position,
    sha256: 'a'.repeat(64),
    original_sha256: null,
    ...(untuk_sipd === undefined ? {} : { untuk_sipd }),
  });

  it('counts only the photos marked for SIPD; an unmarked photo leaves the key out', () => {
    expect(sipdPhotoCount([])).toBe(0);
    expect(sipdPhotoCount([photo(1), photo(2, false)])).toBe(0);
    expect(sipdPhotoCount([photo(1, true), photo(2), photo(3, true)])).toBe(2);
  });
});
