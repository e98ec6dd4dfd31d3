import { describe, expect, it } from 'vitest';
import { needsUnencryptedConsent, percentDone, shortHash } from './api-bundles';

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
