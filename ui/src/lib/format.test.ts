import { describe, expect, it } from 'vitest';
import { formatDate, formatInstant, formatTime, localIsoDate } from './format';

describe('formatDate', () => {
  it('writes the weekday, day, month and year in the language', () => {
    expect(formatDate('2023-11-08', 'id')).toBe('Rabu, 8 November 2023');
    expect(formatDate('2023-11-08', 'en')).toBe('Wednesday, 8 November 2023');
  });

  it('knows every weekday and month, and leap days', () => {
    expect(formatDate('2026-01-04', 'id')).toBe('Minggu, 4 Januari 2026');
    expect(formatDate('2026-08-17', 'id')).toBe('Senin, 17 Agustus 2026');
    expect(formatDate('2028-02-29', 'id')).toBe('Selasa, 29 Februari 2028');
    expect(formatDate('2026-12-25', 'en')).toBe('Friday, 25 December 2026');
  });

  it('returns what is not a real date unchanged', () => {
    expect(formatDate('2023-02-30', 'id')).toBe('2023-02-30');
    expect(formatDate('2023-13-01', 'id')).toBe('2023-13-01');
    expect(formatDate('8/11/2023', 'en')).toBe('8/11/2023');
  });
});

describe('localIsoDate', () => {
  it('is the laptop\'s own date, late in the evening too', () => {
    expect(localIsoDate(new Date(2026, 10, 7, 23, 45))).toBe('2026-11-07');
    expect(localIsoDate(new Date(2027, 0, 1, 0, 5))).toBe('2027-01-01');
  });
});

describe('formatTime', () => {
  it('uses a dot in Indonesian and a colon in English', () => {
    expect(formatTime('19:30', 'WIB', 'id')).toBe('19.30 WIB');
    expect(formatTime('19:30', 'WIB', 'en')).toBe('19:30 WIB');
    expect(formatTime('08:05', 'WITA', 'id')).toBe('08.05 WITA');
  });
});

describe('formatInstant', () => {
  it('shows a UTC instant in the local time of the zone', () => {
    expect(formatInstant('2023-11-08T12:30:00Z', 'WIB', 'id')).toBe('Rabu, 8 November 2023 pukul 19.30 WIB');
    expect(formatInstant('2023-11-08T12:30:00Z', 'WIB', 'en')).toBe('Wednesday, 8 November 2023 at 19:30 WIB');
  });

  it('moves to the next day when the zone is past midnight', () => {
    expect(formatInstant('2023-11-08T20:00:00Z', 'WIT', 'id')).toBe('Kamis, 9 November 2023 pukul 05.00 WIT');
    expect(formatInstant('2023-12-31T16:00:00Z', 'WITA', 'en')).toBe('Monday, 1 January 2024 at 00:00 WITA');
  });

  it('returns what is not an instant unchanged', () => {
    expect(formatInstant('kemarin', 'WIB', 'id')).toBe('kemarin');
  });
});
