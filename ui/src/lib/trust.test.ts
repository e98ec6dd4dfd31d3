import { describe, expect, it } from 'vitest';
import type { BundleTrust } from './bindings';
import { needsConfirmation, refusedCorrectionText, trustText } from './trust';

const trust = (device: BundleTrust['device'], confirmed: boolean): BundleTrust => ({
  device,
  confirmed_at: confirmed ? '2026-12-07T01:00:00Z' : null,
});

describe('the trust of an imported bundle', () => {
  it('is said in words, with the cadre confirmation', () => {
    expect(trustText(trust('registered', false))).toBe('Perangkat terdaftar');
    expect(trustText(trust('unknown', false))).toBe('Perangkat tidak dikenal');
    expect(trustText(trust('revoked', true))).toBe('Perangkat dicabut, dikonfirmasi kader');
  });

  it('waits for the cadre only when the roster does not vouch for the device', () => {
    expect(needsConfirmation(trust('registered', false), null)).toBe(false);
    expect(needsConfirmation(trust('unknown', false), null)).toBe(true);
    expect(needsConfirmation(trust('other_rw', false), { kind: 'previous_not_imported' })).toBe(true);
    expect(needsConfirmation(trust('revoked', true), null)).toBe(false);
    expect(needsConfirmation(trust('unknown', false), { kind: 'refused', reason: 'other_device' })).toBe(false);
  });

  it('explains a refused correction only', () => {
    expect(refusedCorrectionText(null)).toBeNull();
    expect(refusedCorrectionText({ kind: 'accepted', replaces: 'a'.repeat(64) })).toBeNull();
    expect(refusedCorrectionText({ kind: 'refused', reason: 'other_device' })).toMatch(/^Koreksi ditolak/);
  });
});
