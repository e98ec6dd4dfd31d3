import { describe, expect, it } from 'vitest';
import { localIsoDate } from './format';

describe('localIsoDate', () => {
  it('is the laptop\'s own date, late in the evening too', () => {
    expect(localIsoDate(new Date(2026, 10, 7, 23, 45))).toBe('2026-11-07');
    expect(localIsoDate(new Date(2027, 0, 1, 0, 5))).toBe('2027-01-01');
  });
});
