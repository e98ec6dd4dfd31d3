// How the app words the trust a kelurahan laptop gives an imported bundle:
// what the office's roster of enrolled devices says of the device that
// signed it, the cadre's confirmation, and a refused correction.
import type { BundleTrust, Correction, DeviceTrust } from './bindings';
import { t } from './i18n/language.svelte';

export function deviceTrustText(device: DeviceTrust): string {
  switch (device) {
    case 'registered':
      return t('trust.registered');
    case 'unknown':
      return t('trust.unknown');
    case 'other_rw':
      return t('trust.other_rw');
    case 'revoked':
      return t('trust.revoked');
  }
}

/** "Perangkat tidak dikenal, dikonfirmasi kader". */
export function trustText(trust: BundleTrust): string {
  const device = deviceTrustText(trust.device);
  return trust.confirmed_at === null ? device : t('trust.confirmed', { device });
}

/**
 * Whether it waits for the cadre's confirmation before it is merged; never a
 * refused correction, which no confirmation lets replace anything.
 */
export function needsConfirmation(trust: BundleTrust, correction: Correction | null): boolean {
  return trust.device !== 'registered' && trust.confirmed_at === null && correction?.kind !== 'refused';
}

/** Why a correction replaces nothing; null unless it was refused. */
export function refusedCorrectionText(correction: Correction | null): string | null {
  if (correction?.kind !== 'refused') return null;
  switch (correction.reason) {
    case 'other_device':
      return t('trust.refused.other_device');
    case 'revision_not_next':
      return t('trust.refused.revision_not_next');
    case 'meeting_mismatch':
      return t('trust.refused.meeting_mismatch');
    case 'content_hash_mismatch':
      return t('trust.refused.content_hash_mismatch');
    case 'corrects_refused':
      return t('trust.refused.corrects_refused');
  }
}
