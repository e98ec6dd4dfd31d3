import { describe, expect, it } from 'vitest';
import type { Meeting, UsulanPhoto } from './bindings';
import { formatRupiah, formatVolume, newUsulanForm, rtListText, sipdPhotoCount } from './usulan';

describe('formatRupiah', () => {
  it('groups thousands with dots after "Rp "', () => {
    expect(formatRupiah(12_500_000)).toBe('Rp 12.500.000');
    expect(formatRupiah(0)).toBe('Rp 0');
    expect(formatRupiah(999)).toBe('Rp 999');
    expect(formatRupiah(1000)).toBe('Rp 1.000');
    expect(formatRupiah(100_000_000_000)).toBe('Rp 100.000.000.000');
  });
});

describe('formatVolume', () => {
  it('writes decimals with a comma and groups thousands with dots', () => {
    expect(formatVolume(120)).toBe('120');
    expect(formatVolume(2.5)).toBe('2,5');
    expect(formatVolume(1500.25)).toBe('1.500,25');
    expect(formatVolume(1_000_000)).toBe('1.000.000');
    expect(formatVolume(0.125)).toBe('0,125');
  });
});

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
